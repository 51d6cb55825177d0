"""Personalised leaflets: the panel at the top of page 1, build --rx, verify --rx, privacy.

The panel is read back with poppler (pdftotext -bbox for the order and place of its rows,
pdftohtml -xml for the directions' size and weight), not only with leaflet's own verify.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

import leaflet
from leaflet import api
from leaflet.errors import ContentError
from leaflet.personal import rxfile
from leaflet.personal.model import Prescription
from leaflet.text.printed import label_parts

from .conftest import ROOT, SAMPLE

SENTINEL = "Zebulon Quixotic-Sentinel"
RX_YAML = ROOT / "examples" / "prescription.yaml"
# directions and purpose as a pharmacy in each language would write them (fictional)
LOCAL = {
    "ar": ("تناول قرصًا واحدًا 3 مرات يوميًا", "تشنج العضلات"),
    "zh": ("每次口服1片，每日3次", "肌肉痉挛"),
    "ja": ("1回1錠を1日3回服用してください", "筋肉のけいれん"),
    "ru": ("Принимайте по 1 таблетке 3 раза в день", "мышечные спазмы"),
    "he": ("קח טבליה אחת 3 פעמים ביום", "עוויתות שרירים"),
}


def prescription(**changes) -> Prescription:
    rx = rxfile.load(RX_YAML)
    return msgspec.structs.replace(rx, **{"patient": SENTINEL, **changes})


def localised(language: str) -> Prescription:
    directions, purpose = LOCAL.get(language, (None, None))
    extra = {"directions": directions, "purpose": purpose} if directions else {}
    return prescription(language=language, **extra)


@pytest.fixture(scope="module")
def en_doc():
    return leaflet.load(SAMPLE)


def build(language="en", theme="default", paper="a4", **changes):
    rx = msgspec.structs.replace(localised(language), **changes) if changes else localised(language)
    doc, warning = api.personal_document(leaflet.load(SAMPLE), rx)
    assert warning is None
    return doc, rx, api.build_personalised(doc, rx, theme=theme, paper=paper)


def words(pdf: bytes, tmp_path: Path, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(c), float(d), html_unescape(w)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out)]


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def first(found, text):
    # pdftotext -bbox gives right-to-left words in visual order, their letters reversed
    hits = [w for w in found if w[4] in (text, text[::-1])]
    assert hits, f"{text!r} not on the page: {[w[4] for w in found][:80]}"
    return hits[0]


def on_line(found, y: int, part: str, glued: bool) -> bool:
    """Is ``part`` a word on the line at ``y`` (or, ``glued``, the start of one)?"""
    return any(round(w[1]) == y and (w[4] in (part, part[::-1]) or (glued and w[4].startswith(part))) for w in found)


@pytest.mark.parametrize("language", ["en", "ar", "he", "zh", "ja", "ru"])
def test_the_panel_prints_in_usp_order_and_verifies(language, tmp_path, has_poppler):
    doc, rx, pdf = build(language)
    assert api.verify(doc, pdf, rx) == []
    strings = leaflet.api.check(doc)[0].strings
    found = words(pdf, tmp_path)
    # each label punctuated as the locale's label_value says ("Patient:", zh "患者：" with no space after)
    labels = [label_parts(strings, strings[k]) for k in ("panel_patient", "panel_medicine", "panel_directions",
                                                          "panel_purpose", "panel_prescriber", "panel_pharmacy",
                                                          "panel_rx_number")]
    tops = []
    for label, gap, _ in labels:
        # the first line holding every word of the label (ru 'Способ применения:', he 'רופא מרשם:');
        # with no space after it (a full-width colon: zh '患者：'), its last word goes on with the value
        parts = label.split()
        lines = sorted({round(w[1]) for w in found})  # a line's words in several fonts differ a little
        tops.append(next(y for y in lines if all(on_line(found, y, part, glued=not gap and i == len(parts) - 1)
                                                 for i, part in enumerate(parts))))
    assert tops == sorted(tops) and len(set(tops)) == len(tops), (labels, tops)  # top to bottom, one row each
    title = doc.leaflet.medicine.name
    title_word = [w for w in found if w[4] in (title, title[::-1]) and w[3] - w[1] > 20]  # the big title under the panel
    assert title_word and title_word[0][1] > tops[-1]
    # the values print as given
    text = " ".join(w[4] for w in found)
    for value in (rx.rx_number, "555-0100", SENTINEL.split()[0]):
        assert value in text


def test_right_to_left_panel_is_mirrored(tmp_path, has_poppler):
    _, _, pdf = build("ar")
    found = words(pdf, tmp_path)
    label = first(found, "المريض:")
    name = first(found, SENTINEL.split()[0])
    page_right = 595.2756 - 18 * 72 / 25.4
    assert abs(label[2] - page_right) < 12, label  # the label starts at the right edge of the box
    assert name[2] < label[0]  # and the name follows it, to its left
    phone = first(found, "555-0100")  # a phone number after an Arabic label reads left to right
    assert phone


def _html_text(pdf: bytes, tmp_path: Path) -> list[tuple[float, str, str]]:
    """(size in points, font family, text) of page 1's texts, from pdftohtml -xml at zoom 1."""
    path = tmp_path / "h.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-zoom", "1", "-stdout", "-f", "1", "-l", "1", str(path)],
                         capture_output=True, text=True, check=True).stdout
    fonts = {m[0]: (float(m[1]), m[2]) for m in re.findall(r'<fontspec id="(\d+)" size="([\d.]+)" family="([^"]+)"',
                                                           xml)}
    return [(*fonts[f], t) for f, t in re.findall(r'<text [^>]*font="(\d+)">(.*?)</text>', xml)]


@pytest.mark.parametrize("theme, least", [("default", 12), ("large-print", 17)])
def test_directions_print_at_least_12_pt_bold(theme, least, tmp_path, has_poppler):
    doc, rx, pdf = build("en", theme=theme)
    lines = [(size, text) for size, _, text in _html_text(pdf, tmp_path) if "Take 1 tablet" in text]
    assert lines, "the directions are not on page 1"
    size, text = lines[0]
    assert size >= least and text.startswith("<b>") and text.endswith("</b>"), (size, text)
    body = [s for s, _, t in _html_text(pdf, tmp_path) if t.startswith("Baclofen, often marketed")]
    assert body and size > body[0]
    assert api.verify(doc, pdf, rx) == []


def test_large_print_and_letter_verify():
    for theme, paper in (("large-print", "a4"), ("default", "letter"), ("large-print", "letter")):
        doc, rx, pdf = build("en", theme=theme, paper=paper)
        assert api.verify(doc, pdf, rx) == [], (theme, paper)


def test_the_panel_is_deterministic_and_leaves_the_plain_build_alone(en_doc):
    _, _, a = build("en")
    _, _, b = build("en")
    assert a == b
    assert leaflet.build_bytes(en_doc) != a
    assert leaflet.build_bytes(en_doc) == leaflet.build_bytes(leaflet.load(SAMPLE))


def test_the_panel_has_the_same_height_for_every_prescription():
    from leaflet.resources import theme as load_theme
    from leaflet.typeset.panel import panel_height

    short = build("en", directions="Take 1", purpose=None)
    long = build("en", directions="Take 1 tablet by mouth three times a day with food; " * 2, brand="Testabrand",
                 digital_url="https://example.org/leaflets/baclofen")
    for doc, rx, pdf in (short, long):
        assert api.verify(doc, pdf, rx) == []
    for name in ("default", "large-print"):
        assert panel_height(load_theme(name)) > 0
    assert panel_height(load_theme("large-print")) > panel_height(load_theme("default"))


def test_a_text_that_does_not_fit_names_the_field_not_the_value(en_doc):
    rx = prescription(directions="Take one tablet " * 30)  # 8 lines at most: 6 on A4, 15 on A5 in large print
    assert api.verify(en_doc, api.build_personalised(en_doc, rx), rx) == []
    with pytest.raises(ContentError) as info:
        api.build_personalised(en_doc, rx, rx_file="rx.yaml", paper="a5", theme="large-print")
    [d] = info.value.diagnostics
    assert d.code == "panel" and d.path == ("directions",) and d.file == "rx.yaml"
    assert "Take one" not in str(d) and SENTINEL not in str(d)
    # 3 lines at most (a full Russian name takes 3 on A5 in large print): 360 characters take 5 on A4
    rx = prescription(patient=SENTINEL + " " + "Longname " * 40)
    with pytest.raises(ContentError) as info:
        api.build_personalised(en_doc, rx, rx_file="rx.yaml")
    assert [d.path for d in info.value.diagnostics] == [("patient",)]
    assert SENTINEL not in str(info.value) and "Longname" not in str(info.value)


def test_a_character_the_fonts_cannot_print_names_the_field_not_the_value(en_doc):
    rx = prescription(patient="\u0905\u0932\u0947\u0915\u094d\u0938 Example")  # Devanagari in an English leaflet
    with pytest.raises(ContentError) as info:
        api.build_personalised(en_doc, rx, rx_file="rx.yaml")
    [d] = info.value.diagnostics
    assert d.code == "glyph" and d.path == ("patient",) and "U+0905" in d.message
    assert "\u0905" not in str(d) and "U+0932" not in str(d) and "6 characters" in d.message


def test_verify_finds_a_panel_of_another_prescription_without_quoting_it(en_doc):
    rx = prescription()
    pdf = api.build_personalised(en_doc, rx)
    other = msgspec.structs.replace(rx, patient="Other Person", refills=3)
    found = api.verify(en_doc, pdf, other)
    assert {d.path for d in found} >= {("patient",), ("refills",)}
    for d in found:
        assert SENTINEL.split()[0] not in str(d) and "Other" not in str(d), str(d)
    # without --rx the panel is text the content does not have: reported, never quoted
    found = api.verify(en_doc, pdf)
    assert found and all(SENTINEL.split()[0] not in str(d) for d in found)


def test_verify_quotes_no_text_of_a_panel_after_the_medicines_name(en_doc):
    # the panel's medicine row prints the leaflet's own name and brands: text of the panel after them
    # (directions, purpose, address, Rx number of another prescription) is never quoted either
    rx = prescription(directions="Take 1 tablet at bedtime; if you feel Quillwort-sleepy, call us",
                      purpose="muscle spasms, Xylobackache", rx_number="RX-SENTINEL-77")
    pdf = api.build_personalised(en_doc, rx)
    other = prescription()
    found = api.verify(en_doc, pdf, other)
    assert {d.path for d in found} >= {("directions",), ("rx_number",)}
    for d in found:
        assert not any(secret in str(d) for secret in ("Quillwort", "Xylobackache", "SENTINEL", "Zebulon")), str(d)


# --- the command line ------------------------------------------------------------------------

def run(*args, cwd=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "leaflet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, input=stdin)


def write_rx(folder: Path, **changes) -> Path:
    data = msgspec.to_builtins(prescription(**changes))
    path = folder / "rx.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_build_and_verify_follow_the_prescriptions_language(tmp_path, has_poppler):
    rx = write_rx(tmp_path, language="ar", directions=LOCAL["ar"][0])
    done = run("build", SAMPLE, "--rx", rx, "-o", f"{tmp_path}/", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "baclofen-ar-personal.pdf"
    assert pdf.is_file() and done.stderr == ""
    done = run("verify", SAMPLE, pdf, "--rx", rx)
    assert done.returncode == 0 and "personal panel" in done.stdout, done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Title:.*باكلوفين", info, re.M)


def test_cli_warns_when_the_leaflet_has_no_translation_in_that_language(tmp_path):
    rx = write_rx(tmp_path, language="pt-BR")
    done = run("build", SAMPLE, "--rx", rx, "-o", tmp_path / "out.pdf")
    assert done.returncode == 0, done.stderr
    assert "leaflet: warning: the leaflet has no translation in the prescription's language" in done.stderr
    assert "'en'" in done.stderr and "pt" not in done.stderr.split("warning:", 1)[1].split("in ", 1)[0]
    assert SENTINEL not in done.stderr


def test_no_patient_data_in_metadata_file_names_or_messages(tmp_path, has_poppler):
    rx = write_rx(tmp_path)
    done = run("build", SAMPLE, "--rx", rx, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    outputs = list((tmp_path / "output").iterdir())
    assert [p.name for p in outputs] == ["baclofen-en-personal.pdf"]
    pdf = outputs[0]
    for command in (["pdfinfo", str(pdf)], ["pdfinfo", "-meta", str(pdf)]):
        shown = subprocess.run(command, capture_output=True, text=True).stdout
        assert SENTINEL not in shown and "Zebulon" not in shown
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert not any("Zebulon" in str(v) for v in (reader.metadata or {}).values())
    assert reader.xmp_metadata is None or "Zebulon" not in str(reader.xmp_metadata)
    raw = pdf.read_bytes()
    assert b"Zebulon" not in raw  # nor in any uncompressed part of the file (content streams are compressed)
    # every message of a bad prescription, of a panel that does not fit, of verify with another one
    bad = tmp_path / "bad.yaml"
    bad.write_text(RX_YAML.read_text(encoding="utf-8").replace("Alex Example", SENTINEL)
                   .replace('"2026-11-23"', SENTINEL).replace("refills: 2", f"refills: {SENTINEL}")
                   + f"patinet: {SENTINEL}\n", encoding="utf-8")
    long = write_rx(tmp_path, prescriber=SENTINEL * 12)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**json.loads(rx.read_text()), "patient": "Other " + SENTINEL}), encoding="utf-8")
    for args in (("build", SAMPLE, "--rx", bad), ("build", SAMPLE, "--rx", long, "-o", tmp_path / "x.pdf"),
                 ("verify", SAMPLE, pdf, "--rx", other), ("verify", SAMPLE, pdf)):
        done = run(*args, cwd=tmp_path)
        assert done.returncode != 0, args
        assert "Zebulon" not in done.stderr + done.stdout, done.stderr
    assert not (tmp_path / "x.pdf").exists()
    assert not any("Zebulon" in p.name for p in tmp_path.rglob("*"))


def test_cli_reads_the_prescription_from_standard_input(tmp_path):
    data = json.dumps(msgspec.to_builtins(prescription()))
    done = run("build", SAMPLE, "--rx", "-", "-o", tmp_path / "a.pdf", stdin=data)
    assert done.returncode == 0, done.stderr
    done = run("verify", SAMPLE, tmp_path / "a.pdf", "--rx", "-", stdin=data)
    assert done.returncode == 0, done.stderr
    done = run("build", "-", "--rx", "-", "-o", tmp_path / "b.pdf", stdin=data)
    assert done.returncode == 1 and "only once" in done.stderr


@pytest.mark.parametrize("args, message", [
    (("build", SAMPLE, SAMPLE, "--rx", RX_YAML), "personalises one leaflet"),
    (("build", SAMPLE, "--rx", RX_YAML, "--pseudo"), "cannot be given together"),
    (("build", SAMPLE, "--rx", RX_YAML, "-o", "x.txt"), "should end with .pdf"),
])
def test_cli_usage_errors(args, message, tmp_path):
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 1 and message in done.stderr


def test_readme_prescription_error_example_is_what_build_says(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The prescription file", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    shown = re.search(r"```\n\$ leaflet build content/baclofen/en.yaml --rx rx.yaml[^\n]*\n(.*?)```", section,
                      re.S).group(1)
    (tmp_path / "rx.yaml").write_text(example.replace('dispensed: "2026-11-23"', "dispensed: 23/11/2026")
                                      .replace("refills: 2", "refils: 2"), encoding="utf-8")
    done = run("build", SAMPLE, "--rx", "rx.yaml", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == shown
    assert rxfile.parse(example, "rx.yaml") == rxfile.load(RX_YAML)


def test_lay_out_once_then_stamp_the_rectangle(tmp_path, has_poppler):
    """build_reserved lays the leaflet out as build_personalised does, the panel's rectangle empty."""
    doc, rx, personal = build("en")
    reserved = api.build_reserved(doc, rx=rx)  # laid out for the height of rx's panel
    rect = api.panel_rect(doc, rx=rx)
    assert rect == api.panel_rect(doc, rx=rx) and rect.height > 0
    a, b = words(personal, tmp_path), words(reserved, tmp_path)
    assert not any(w[4] == "Patient:" for w in b)
    body = [w for w in b if w[1] > 841.89 - rect.y]  # below the rectangle: the same words, in the same places
    assert body and body == [w for w in a if w[1] > 841.89 - rect.y]
    assert all(w[3] < 841.89 - rect.y for w in a if w[4] in ("Patient:", "Refills:"))  # the panel is inside it
    for w in a:
        if w[4] in ("Patient:", "Refills:"):
            assert rect.x <= w[0] and w[2] <= rect.x + rect.width and 841.89 - rect.top <= w[1]
    assert api.build_reserved(doc, rx=rx) == reserved


def test_draw_prescription_into_the_rectangle_of_another_canvas():
    import io

    from leaflet.typeset.panel import draw_prescription
    from leaflet.typeset.render import LeafletCanvas

    doc, rx, _ = build("zh")
    locale, fonts = api.check(doc)
    rect = api.panel_rect(doc)
    from leaflet.resources import theme

    buffer = io.BytesIO()
    canv = LeafletCanvas(buffer, pagesize=(595.2756, 841.8898))
    draw_prescription(canv, rect, rx, doc.leaflet, locale, theme("default"), fonts)
    canv.showPage()
    canv.save()
    from leaflet.check.visible import open_pdf, visible_pages

    [page] = list(visible_pages(open_pdf(buffer.getvalue())))
    assert "Zebulon" in page.chars and "每次口服1片" in page.chars


def test_readme_panel_and_verify_examples_are_what_leaflet_says(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A personalised leaflet", 1)[1].split("## Python API", 1)[0]
    (tmp_path / "content").symlink_to(ROOT / "content")
    rx = RX_YAML.read_text(encoding="utf-8")
    sentence = "Take 1 tablet by mouth 3 times a day, with food or milk, and drink a full glass of water. "
    (tmp_path / "long.yaml").write_text(rx.replace("directions: Take 1 tablet by mouth 3 times a day",
                                                   "directions: " + sentence * 5), encoding="utf-8")
    shown = re.search(r"\$ leaflet build content/baclofen/en.yaml --rx long.yaml --paper a5 --theme large-print"
                      r"[^\n]*\n(.*?)```", section, re.S).group(1)
    done = run("build", "content/baclofen/en.yaml", "--rx", "long.yaml", "--paper", "a5", "--theme", "large-print",
               cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == "".join(line[2:] + "\n" for line in shown.rstrip().splitlines())
    (tmp_path / "rx.yaml").write_text(rx, encoding="utf-8")
    (tmp_path / "other-rx.yaml").write_text(rx.replace("Alex Example", "Other Person"), encoding="utf-8")
    assert run("build", "content/baclofen/en.yaml", "--rx", "rx.yaml", "-o", "baclofen-en-personal.pdf",
               cwd=tmp_path).returncode == 0
    shown = re.search(r"\$ leaflet verify content/baclofen/en.yaml baclofen-en-personal.pdf --rx other-rx.yaml\n"
                      r"(.*?)```", section, re.S).group(1)
    done = run("verify", "content/baclofen/en.yaml", "baclofen-en-personal.pdf", "--rx", "other-rx.yaml",
               cwd=tmp_path)
    assert done.returncode == 1 and done.stderr == shown
    warning = re.search(r"`(leaflet: warning: [^`]*)`", section).group(1)
    (tmp_path / "pt.yaml").write_text(rx.replace("language: en", "language: pt-BR"), encoding="utf-8")
    done = run("build", "content/baclofen/en.yaml", "--rx", "pt.yaml", "-o", "pt.pdf", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == warning + "\n"


def test_a_bug_while_building_withholds_its_message(en_doc, monkeypatch):
    import leaflet.text.panel

    def broken(*args, **kw):
        raise ValueError(f"cannot draw {SENTINEL}")

    monkeypatch.setattr(leaflet.text.panel, "panel_rows", broken)
    monkeypatch.delenv("LEAFLET_DEBUG", raising=False)
    with pytest.raises(leaflet.errors.RenderError) as info:
        api.build_personalised(en_doc, prescription())
    assert "ValueError" in str(info.value) and "Zebulon" not in str(info.value)
    monkeypatch.setenv("LEAFLET_DEBUG", "1")
    with pytest.raises(ValueError):
        api.build_personalised(en_doc, prescription())


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_digital_leaflet_qr_code_decodes_and_the_address_prints_beside_it(language, tmp_path, has_poppler):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    url = f"https://example.org/leaflets/baclofen/{language}"
    doc, rx, pdf = build(language, digital_url=url)
    assert api.verify(doc, pdf, rx) == []
    src = tmp_path / "qr.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-gray", "-f", "1", "-l", "1", "-singlefile", str(src),
                    str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        found = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [url]
    text = " ".join(w[4] for w in words(pdf, tmp_path))
    assert url in text
    # the code sits inside the panel's rectangle, at the end of the lines (the left in Arabic)
    rect = api.panel_rect(doc)
    [result] = [r for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
    left = result.position.top_left.x * 72 / 150
    assert rect.x <= left <= rect.x + rect.width
    assert (left < rect.x + rect.width / 2) == (language == "ar")


FORM_STRINGS = json.loads((ROOT / "leaflet" / "service" / "strings.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", sorted(k for k in FORM_STRINGS if not k.startswith("_")))
def test_the_purpose_label_is_not_the_first_word_the_form_suggests(language):
    """The web form's hint writes a purpose as a phrase ('e.g. for muscle spasms', 'p. ej., para los
    espasmos musculares'), as USP <17> and pharmacies do: the panel's label must not be that phrase's
    own first word, or the panel prints 'For: for muscle spasms' (it did in en and es)."""
    strings = json.loads((ROOT / "leaflet" / "data" / "locales" / f"{language}.json").read_text(encoding="utf-8"))
    label = strings["strings"]["panel_purpose"].casefold()
    hint = re.findall(r"\w+", FORM_STRINGS[language]["hint_purpose"].casefold())
    assert label not in hint, (language, label, hint)


@pytest.mark.parametrize("language, purpose", [("en", "for muscle spasms"), ("es", "para los espasmos musculares")])
def test_a_purpose_written_as_a_phrase_prints_once(language, purpose, tmp_path, has_poppler):
    doc, rx, pdf = build(language, purpose=purpose)
    assert api.verify(doc, pdf, rx) == []
    text = " ".join(w[4] for w in words(pdf, tmp_path)).casefold()
    first_word = purpose.split()[0]
    assert f" {purpose}" in text and text.count(f"{first_word}: {first_word} ") == 0, text[:400]
