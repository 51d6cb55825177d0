"""leaflet verify: the PDF prints the content, in order, visibly, each text in its place.

Most tests doctor a PDF the way a mistake or a tool would (a bullet removed, text made
invisible, a page dropped, the file encrypted…) and check that verify reports it, while
the same PDF rewritten untouched still passes.
"""
from __future__ import annotations

import json
import re
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader, PdfWriter

import leaflet
from leaflet.check.verify import compact, match, verify
from leaflet.check.visible import contrast, min_size
from leaflet.cli import main
from leaflet.errors import PdfError
from leaflet.resources import locale_for
from leaflet.text.printed import furniture, printed_stream

from .conftest import MINIMAL, SAMPLE

SEIZURES_BULLET = re.compile(
    rb"q\n1 0 0 1 [\d.]+ [\d.]+ cm\nq\nBT [^\n]*\(\\002\) Tj ET\n0 0 0 rg\nBT [^\n]*\(Seizures\) Tj T\* ET\nQ\nQ\n")


def seizures_path(doc):
    [path] = [p.path for p in printed_stream(doc.leaflet, locale_for("en").strings) if p.text == "Seizures"]
    return path


def doctor(pdf: bytes, old: bytes | re.Pattern[bytes], new: bytes, *, forms: bool = False) -> bytes:
    """The PDF with ``old`` replaced by ``new`` in the content streams (exactly one place) of its pages
    (or of its form XObjects), written back by pypdf."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    count = 0
    for page in writer.pages:
        streams = [page.get_contents()] if not forms else [
            x.get_object() for x in page["/Resources"]["/XObject"].values()]
        for stream in streams:
            data, n = re.subn(old, new, stream.get_data())
            if n:
                count += n
                stream.set_data(data)
                if not forms:
                    page.replace_contents(stream)
    assert count == 1, f"expected one place to change, found {count}"
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def rewrite(pdf: bytes, *, drop_page: int | None = None, password: str | None = None, algorithm: str = "RC4-128"):
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    if drop_page is not None:
        writer.remove_page(drop_page)
    if password is not None:
        writer.encrypt(password, algorithm=algorithm)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def sample_text(old: str, new: str) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


# -- the printed stream --------------------------------------------------------------------------

def test_printed_stream_is_in_the_order_the_pdf_prints(sample_doc, sample_read):
    text = "".join(sample_read.text.split())
    pos = 0
    for item in printed_stream(sample_doc.leaflet, locale_for("en").strings):
        found = text.find("".join(item.text.split()), pos)
        assert found >= 0, item
        pos = found


def test_printed_stream_marks_generated_text():
    doc = leaflet.parse(MINIMAL.replace("      - text: A paragraph.", "      - numbered: [One, Two]"), "t.yaml")
    stream = printed_stream(doc.leaflet, locale_for("en").strings)
    generated = [p.text for p in stream if p.generated]
    assert generated == ["Patient information leaflet", "Brand name:", "Drug class:", "Key facts", "Feature",
                         "Details", "1.", "2."]
    assert [p.text for p in stream if not p.generated] == ["Testamol", "Testa", "Test class", "Drug class",
                                                            "Test class", "About", "One", "Two"]


# -- the untouched PDF passes, and each text is on the page verify says ----------------------------

def test_the_untouched_pdf_passes_also_when_rewritten(sample_doc, sample_pdf):
    assert verify(sample_doc, sample_pdf) == []
    assert verify(sample_doc, rewrite(sample_pdf)) == []
    assert verify(sample_doc, doctor(sample_pdf, rb"\(Seizures\) Tj", b"(Seizures) Tj")) == []


def test_every_text_is_placed_on_the_page_pdftotext_finds_it(sample_doc, sample_pdf, tmp_path, has_poppler):
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(sample_pdf)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = ["".join(p.split()) for p in out.split("\f")]
    result = match(sample_doc, sample_pdf)
    assert result.problems == []
    authored = [p for p in printed_stream(sample_doc.leaflet, locale_for("en").strings) if p.text.strip()]
    assert len(result.placed) == len(authored)
    assert max(p.last_page for p in result.placed) == result.pages >= 3
    for placed in result.placed:
        chars = compact(placed.item.text)[0]
        first, last = pages[placed.first_page - 1], pages[placed.last_page - 1]
        if placed.first_page == placed.last_page:
            assert chars in first, (placed.item.path, placed.first_page)
        else:  # split over a page break: it starts on one page and ends on the next
            assert placed.last_page == placed.first_page + 1
            assert any(chars[:k] in first and chars[k:] in last for k in range(1, len(chars))), placed
    [seizures] = [p for p in result.placed if p.item.text == "Seizures"]
    # the key-facts table also says "Seizures": this one is the bullet, on the callout's page
    assert "SERIOUS·SeriousSideEffects" in pages[seizures.first_page - 1]


# -- doctored PDFs: each is reported ---------------------------------------------------------------

def test_a_removed_bullet_is_reported_although_its_words_are_elsewhere(sample_doc, sample_pdf):
    assert "Seizures" in sample_doc.leaflet.key_facts.rows[3].value  # the word stays in the PDF
    problems = verify(sample_doc, doctor(sample_pdf, SEIZURES_BULLET, b""))
    [p] = problems
    assert p.path == seizures_path(sample_doc) and p.code == "verify"
    assert "not printed in the PDF" in p.message and "'Seizures'" in p.message
    assert p.file == sample_doc.path and p.line > 0


def test_a_pdf_built_without_a_bullet_is_reported(sample_doc):
    short = leaflet.parse(sample_text("            - Seizures\n", ""), "short.yaml")
    [p] = verify(sample_doc, leaflet.build_bytes(short))
    assert p.path == seizures_path(sample_doc) and "not printed in the PDF" in p.message


def test_the_pdf_of_a_bigger_leaflet_is_reported(sample_doc):
    bigger = leaflet.parse(sample_text(
        "            - Seizures\n", "            - Seizures\n            - A made-up extra symptom\n"), "big.yaml")
    problems = verify(sample_doc, leaflet.build_bytes(bigger))
    assert len(problems) == 1
    assert "prints text that is not in the content: 'A made-up extra symptom'" in problems[0].message


def test_the_pdf_of_a_bigger_leaflet_with_a_whole_section_more_is_reported(sample_doc):
    data = json.loads(json.dumps(leaflet.load(SAMPLE).source.data))
    data["sections"].insert(2, {"heading": "An extra section", "blocks": [
        {"text": f"Extra paragraph {n}. " + "Words that the smaller leaflet does not have. " * 8} for n in range(30)]})
    problems = verify(sample_doc, leaflet.build_bytes(leaflet.parse(json.dumps(data), "big.yaml")))
    text = messages(problems)
    assert "An extra section" in text and "not in the content" in text
    assert "not printed in the PDF" not in text  # everything of the smaller leaflet is there, in order


@pytest.mark.parametrize(("change", "reason"), [
    (b"3 Tr (Seizures) Tj 0 Tr", "invisible text render mode (3 Tr)"),
    (b"7 Tr (Seizures) Tj 0 Tr", "invisible text render mode (7 Tr)"),
    # the callout's background is pale pink (#fbeaea), not white
    (b"1 1 1 rg (Seizures) Tj 0 0 0 rg", "contrast 1.2:1 against its background"),
    (b".75 .75 .75 rg (Seizures) Tj 0 0 0 rg", "contrast 1.6:1 against its background"),
    (b"/F2+0 2 Tf (Seizures) Tj", "2.0 pt, below the smallest size leaflet prints (9 pt)"),
    (b"5 Tz (Seizures) Tj 100 Tz", "squeezed to 5% of its width"),
    (b"1000 0 Td (Seizures) Tj -1000 0 Td", "off the page"),
    (b"0 -2000 Td (Seizures) Tj 0 2000 Td", "off the page"),
])
def test_text_a_reader_cannot_see_does_not_count(sample_doc, sample_pdf, change, reason):
    pdf = doctor(sample_pdf, rb"\(Seizures\) Tj", change)
    [p] = verify(sample_doc, pdf)
    assert p.path == seizures_path(sample_doc)
    assert "a reader cannot see it" in p.message and reason in p.message, p.message


def test_text_covered_by_a_shape_drawn_over_it_does_not_count(sample_doc, sample_pdf):
    pdf = doctor(sample_pdf, rb"\(Seizures\) Tj T\* ET\n", b"(Seizures) Tj T* ET\n1 1 1 rg 0 0 300 14 re f\n")
    [p] = verify(sample_doc, pdf)
    assert "covered by a shape drawn over it" in p.message and "'Seizures'" in p.message


def test_white_text_on_a_dark_band_counts(sample_doc, sample_pdf):
    # the serious band is white on black; the same white text off the band is invisible
    assert verify(sample_doc, sample_pdf) == []
    pdf = doctor(sample_pdf, rb"1 1 1 rg\nBT 1 0 0 1 0 4 Tm (/F\d\+0 12 Tf 16 TL \(SERIOUS)",
                 rb"1 1 1 rg\nBT 1 0 0 1 0 -60 Tm \1")
    [p] = verify(sample_doc, pdf)
    assert "contrast 1.2:1" in p.message and "'Serious Side Effects'" in p.message


def test_a_page_label_in_a_form_must_be_visible_too(sample_doc, sample_pdf):
    pdf = doctor(sample_pdf, rb"\(Page 2 of (\d+)\) Tj", rb"3 Tr (Page 2 of \1) Tj", forms=True)
    [p] = verify(sample_doc, pdf)
    assert p.message.startswith("page 2 of") and "'Page 2 of" in p.message
    assert "a reader cannot see it: invisible text render mode (3 Tr)" in p.message


def test_a_removed_page_is_reported(sample_doc, sample_pdf):
    pages = len(PdfReader(BytesIO(sample_pdf)).pages)
    problems = verify(sample_doc, rewrite(sample_pdf, drop_page=1))
    text = messages(problems)
    # the labels say "of N", the file has N - 1 pages; the second page's texts are missing
    assert f"page 2 of {pages - 1} lacks its header or footer: 'Page 2 of {pages - 1}' (the page has " \
           f"'Page 3 of {pages}' in its place)" in text
    assert len(problems) == pages  # one for each page left, and one for the missing texts
    assert "not printed in the PDF (expected on page 2)" in problems[-1].message
    assert "more texts after it" in problems[-1].message


def test_two_swapped_bullets_are_reported(sample_doc):
    swapped = leaflet.parse(sample_text(
        '            - Seizures\n            - "Mental confusion, hallucinations, or mood changes"\n',
        '            - "Mental confusion, hallucinations, or mood changes"\n            - Seizures\n'), "swap.yaml")
    problems = verify(sample_doc, leaflet.build_bytes(swapped))
    assert len(problems) == 1
    assert "printed out of order" in problems[0].message


def test_two_texts_swapped_inside_the_pdf_are_reported(sample_doc, sample_pdf):
    pdf = doctor(sample_pdf, rb"(?s)\(Seizures\)(.*?)\(Mental confusion, hallucinations, or mood changes\)",
                 rb"(Mental confusion, hallucinations, or mood changes)\1(Seizures)")
    text = messages(verify(sample_doc, pdf))
    assert "out of order" in text


def test_a_text_printed_twice_is_reported(sample_doc, sample_pdf):
    pdf = doctor(sample_pdf, rb"\(Seizures\) Tj T\*", b"(Seizures) Tj T* (Seizures) Tj T*")
    [p] = verify(sample_doc, pdf)
    assert "printed twice" in p.message and "'Seizures'" in p.message


def test_an_altered_word_is_reported_once(sample_doc, sample_pdf):
    pdf = doctor(sample_pdf, rb"\(Seizures\) Tj", b"(Seisures) Tj")
    [p] = verify(sample_doc, pdf)
    assert p.path == seizures_path(sample_doc)
    assert "not printed in the PDF as written: 'Seizures'" in p.message and "'Seisures' in its place" in p.message


def test_a_lost_space_is_reported(sample_doc, sample_pdf):
    pdf = doctor(sample_pdf, rb"\(Mental confusion, hallucinations", b"(Mental confusion,hallucinations")
    assert len(verify(sample_doc, pdf)) == 1


# -- files that cannot be checked ------------------------------------------------------------------

@pytest.mark.parametrize("algorithm", ["RC4-40", "RC4-128"])
def test_an_encrypted_pdf_says_so(sample_doc, sample_pdf, algorithm):
    with pytest.raises(PdfError) as info:
        verify(sample_doc, rewrite(sample_pdf, password="secret", algorithm=algorithm))
    assert "is encrypted (password-protected)" in str(info.value) and info.value.hint


@pytest.mark.parametrize(("data", "says"), [
    (b"", "is an empty file"),
    (b"language: en\n", "is not a PDF file (it does not start with '%PDF-')"),
    (b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "is damaged and cannot be read"),
])
def test_a_file_that_is_not_a_readable_pdf_says_so(sample_doc, data, says):
    with pytest.raises(PdfError) as info:
        verify(sample_doc, data)
    assert says in str(info.value) and info.value.hint


def test_a_truncated_pdf_says_so(sample_doc, sample_pdf):
    with pytest.raises(PdfError) as info:
        verify(sample_doc, sample_pdf[: len(sample_pdf) // 2])
    assert "is incomplete" in str(info.value)


def test_a_damaged_page_stream_says_so(sample_doc, sample_pdf):
    reader = PdfReader(BytesIO(sample_pdf))
    raw = reader.pages[0]["/Contents"].get_object()._data
    assert raw in sample_pdf
    broken = sample_pdf.replace(raw, raw[:20] + b"\x00" * (len(raw) - 20))
    with pytest.raises(PdfError) as info:
        verify(sample_doc, broken)
    assert "damaged" in str(info.value) and "page 1" in str(info.value)


def test_cli_reports_an_encrypted_pdf(sample_pdf, tmp_path, capsys):
    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(rewrite(sample_pdf, password="secret"))
    assert main(["verify", str(SAMPLE), str(pdf)]) == 1
    err = capsys.readouterr().err
    assert f"{pdf}: error: {pdf} is encrypted (password-protected)" in err
    assert "\n  hint: verify the PDF as 'leaflet build' wrote it" in err
    assert "cryptography" not in err


def test_cli_reports_a_language_without_locale_as_a_content_error(sample_pdf, tmp_path, capsys):
    content = tmp_path / "it.yaml"
    content.write_text(SAMPLE.read_text(encoding="utf-8").replace("language: en", "language: it"), encoding="utf-8")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(sample_pdf)
    assert main(["verify", str(content), str(pdf)]) == 2
    err = capsys.readouterr().err
    line = SAMPLE.read_text(encoding="utf-8").splitlines().index("language: en") + 1
    assert f"{content}:{line}:11: error[locale]: language: leaflet has no locale for language 'it'" in err
    assert "cannot read the PDF" not in err


def test_cli_reports_problems_with_exit_1(sample_pdf, tmp_path, capsys):
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(doctor(sample_pdf, SEIZURES_BULLET, b""))
    assert main(["verify", str(SAMPLE), str(pdf)]) == 1
    err = capsys.readouterr().err
    assert "error[verify]: sections[" in err and "'Seizures'" in err
    assert f"1 problem: {pdf} does not print all of" in err


# -- the visibility rules --------------------------------------------------------------------------

def test_contrast_and_the_smallest_size():
    assert round(contrast((0, 0, 0), (1, 1, 1)), 1) == 21.0
    assert contrast((1, 1, 1), (0x1F / 255, 0x3A / 255, 0x5F / 255)) > 4.5  # table header: white on navy
    assert contrast((0x77 / 255,) * 3, (1, 1, 1)) < 4.5  # #777 on white: just too light
    assert min_size() == 9  # the footer of the default theme


@pytest.mark.parametrize("fixture", ["eu-veltorin.yaml", "us-plexadrin.yaml"])
@pytest.mark.parametrize(("theme", "paper"), [("default", "a4"), ("large-print", "letter")])
def test_the_fixtures_pass_in_every_theme(fixture, theme, paper):
    from .conftest import ROOT

    doc = leaflet.load(ROOT / "tests" / "fixtures" / fixture)
    assert verify(doc, leaflet.build_bytes(doc, theme=theme, paper=paper)) == []


def test_the_public_api_verifies(sample_doc, sample_pdf, tmp_path):
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(sample_pdf)
    assert leaflet.verify(sample_doc, pdf) == [] and leaflet.verify(sample_doc, str(pdf)) == []
    with pytest.raises(leaflet.PdfError):
        leaflet.verify(sample_doc, tmp_path / "missing.pdf")
    short = leaflet.parse(sample_text("            - Seizures\n", ""), "short.yaml")
    assert len(leaflet.verify(sample_doc, leaflet.build_bytes(short))) == 1


def canvas_pdf() -> bytes:
    """A page drawn with ReportLab's canvas directly (a standard font, no ToUnicode map): one text
    for each way of being seen or not."""
    from reportlab.pdfgen.canvas import Canvas

    buf = BytesIO()
    c = Canvas(buf, pagesize=(400, 400), invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(20, 370, "Visible")
    t = c.beginText(20, 350)
    t.setTextRenderMode(3)
    t.textLine("Invisible")
    t.setTextRenderMode(0)  # the render mode outlives the text object: without this, all below is unseen
    c.drawText(t)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(20, 330, "White")
    c.setFillColorRGB(0, 0, 0)
    c.rect(10, 300, 200, 20, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(20, 305, "Banded")  # white on the black rectangle: seen
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 3)
    c.drawString(20, 280, "Tiny")
    c.setFont("Helvetica", 12)
    c.drawString(-300, 260, "Offpage")
    c.saveState()
    p = c.beginPath()
    p.rect(0, 0, 50, 50)
    c.clipPath(p, stroke=0)
    c.drawString(200, 240, "Clipped")
    c.restoreState()
    c.saveState()
    c.setFillAlpha(0.1)
    c.drawString(20, 220, "Faint")
    c.restoreState()
    c.drawString(20, 200, "Covered")
    c.setFillColorRGB(1, 1, 1)
    c.rect(15, 195, 100, 16, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.beginForm("label")
    c.setFont("Helvetica-Bold", 12)
    c.drawString(0, 0, "Formed")
    c.endForm()
    c.saveState()
    c.translate(20, 180)
    c.doForm("label")
    c.restoreState()
    c.setFillColorRGB(0.4, 0.4, 0.4)
    c.drawString(20, 160, "Grey")  # #666 on white: 5.7:1, seen
    c.showPage()
    c.save()
    return buf.getvalue()


def test_what_a_reader_sees_on_a_page_drawn_directly():
    from leaflet.check.visible import open_pdf, visible_pages

    [page] = list(visible_pages(open_pdf(canvas_pdf())))
    assert page.text() == "Visible Banded Formed Grey"
    reasons = {text: why for text, why in page.hidden}
    assert reasons["Invisible"] == "invisible text render mode (3 Tr)"
    assert reasons["White"].startswith("contrast 1.0:1")
    assert reasons["Tiny"].startswith("3.0 pt, below")
    assert reasons["Offpage"] == reasons["Clipped"] == "off the page or clipped away"
    assert reasons["Faint"].startswith("contrast 1.")
    assert reasons["Covered"] == "covered by a shape drawn over it"


def test_split_texts_of_a_long_leaflet_are_on_the_pages_pdftotext_finds(tmp_path, has_poppler):
    from .test_pdf import long_leaflet

    data = json.loads(long_leaflet(paragraph_count=2, rows=30))
    data["sections"][0]["blocks"].insert(1, {"text": " ".join(f"Sentence {n} of a paragraph longer than a page."
                                                                 for n in range(200))})
    doc = leaflet.parse(json.dumps(data), "long.yaml")
    pdf = leaflet.build_bytes(doc)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = ["".join(p.split()) for p in out.split("\f")]
    result = match(doc, pdf)
    assert result.problems == []
    split = [p for p in result.placed if p.first_page != p.last_page]
    assert split, "expected a text split over a page break"
    strings = locale_for("en").strings
    bodies = []  # pdftotext's pages without their header and footer
    for n, page in enumerate(pages[:result.pages], start=1):
        for piece in furniture(doc.leaflet, strings, n, result.pages):
            page = page.replace(compact(piece)[0], "")
        bodies.append(page)
    for placed in result.placed:
        chars = compact(placed.item.text)[0]
        first, last = placed.first_page - 1, placed.last_page - 1
        if first == last:
            assert chars in bodies[first], placed
        else:
            assert chars in "".join(bodies[first:last + 1]), placed
            assert chars[:20] in bodies[first], placed
            assert chars[-20:] in bodies[last] and chars not in bodies[first] and chars not in bodies[last], placed


def test_white_on_white_paper_does_not_count(sample_doc, sample_pdf):
    pdf = doctor(sample_pdf, rb"\(How Baclofen Works\) Tj", b"1 1 1 rg (How Baclofen Works) Tj 0 0 0 rg")
    [p] = verify(sample_doc, pdf)
    assert p.path[-1] == "subheading"
    assert "a reader cannot see it (contrast 1.0:1 against its background" in p.message


@pytest.mark.parametrize(("data", "says"), [
    (lambda pdf: pdf[:-3000], "is incomplete: it does not end with the PDF end-of-file marker"),
    (lambda pdf: b"%PDF-1.4\n%%EOF\n", "is damaged and cannot be read"),
    (lambda pdf: b"\x89PNG\r\n\x1a\n" + bytes(100), "is not a PDF file"),
])
def test_cli_reports_a_pdf_it_cannot_check_in_one_line_and_a_hint(sample_pdf, tmp_path, capsys, data, says):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(data(sample_pdf))
    assert main(["verify", str(SAMPLE), str(pdf)]) == 1
    err = capsys.readouterr().err
    first, hint, *rest = err.splitlines()
    assert first.startswith(f"{pdf}: error: {pdf} {says}") and hint.startswith("  hint: ") and not rest
    assert "Traceback" not in err and "internal error" not in err


def with_layer(pdf: bytes, *, off: bool) -> bytes:
    """The PDF with the "Seizures" bullet's text in an optional content group (a layer), off or on."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(BytesIO(doctor(pdf, rb"\(Seizures\) Tj", b"/OC /oc1 BDC (Seizures) Tj EMC"))))
    group = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/OCG"),
                                                 NameObject("/Name"): TextStringObject("Layer")}))
    for page in writer.pages:
        page["/Resources"][NameObject("/Properties")] = DictionaryObject({NameObject("/oc1"): group})
    state = NameObject("/OFF" if off else "/ON")
    writer.root_object[NameObject("/OCProperties")] = DictionaryObject({
        NameObject("/OCGs"): ArrayObject([group]),
        NameObject("/D"): DictionaryObject({state: ArrayObject([group])})})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_in_a_layer_that_is_off_does_not_count(sample_doc, sample_pdf):
    assert verify(sample_doc, with_layer(sample_pdf, off=False)) == []
    [p] = verify(sample_doc, with_layer(sample_pdf, off=True))
    assert "a reader cannot see it (in a layer (optional content) that is off): 'Seizures'" in p.message


def test_annotations_are_reported_and_hide_what_they_cover(sample_doc, sample_pdf, tmp_path, has_poppler):
    from pypdf.annotations import FreeText
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject

    # where the bullet "Seizures" is, from an independent reader
    path = tmp_path / "s.pdf"
    path.write_bytes(sample_pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = html.split("<page ")[1:]
    number = next(n for n, p in enumerate(pages) if "SERIOUS" in p and ">Seizures<" in p)
    height = float(re.search(r'height="([\d.]+)"', pages[number]).group(1))
    x0, y0, x1, y1 = (float(v) for v in re.search(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Seizures<', pages[number]).groups())
    writer = PdfWriter(clone_from=PdfReader(BytesIO(sample_pdf)))
    cover = StreamObject()
    cover.set_data(b"1 1 1 rg 0 0 10 10 re f")
    cover.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                  NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)])})
    writer.add_annotation(number, DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Square"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (x0 - 1, height - y1 - 1, x1 + 1, height - y0 + 1)]),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(cover)})}))
    writer.add_annotation(0, FreeText(text="A note someone added", rect=(60, 60, 260, 90)))
    out = BytesIO()
    writer.write(out)
    text = messages(verify(sample_doc, out.getvalue()))
    assert "page 1 has an annotation drawn over it: FreeText 'A note someone added'" in text
    assert f"page {number + 1} has an annotation drawn over it: Square" in text
    assert "a reader cannot see it (covered by a shape drawn over it): 'Seizures'" in text


def test_words_broken_at_soft_hyphens_pass(tmp_path, has_poppler):
    word = "Arznei\u00admittel\u00adpackungs\u00adbeilage"  # a word with soft hyphens: it may break there
    doc = leaflet.parse(MINIMAL.replace("text: A paragraph.", "text: " + json.dumps(" ".join([word] * 60))), "t.yaml")
    pdf = leaflet.build_bytes(doc)
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\n")
    assert any(line.endswith("-") and "Arznei" in line for line in lines)  # a hyphen printed at a break
    assert verify(doc, pdf) == []
    other = leaflet.parse(MINIMAL.replace("text: A paragraph.", "text: " + json.dumps(
        " ".join([word] * 59 + ["Arzneimittelpackungsbeilagen"]))), "t.yaml")
    assert len(verify(other, pdf)) == 1  # a letter more is still found


def test_a_page_printed_twice_is_one_problem_besides_the_page_labels(sample_doc, sample_pdf):
    writer = PdfWriter(clone_from=PdfReader(BytesIO(sample_pdf)))
    writer.insert_page(writer.pages[1], 2)
    out = BytesIO()
    writer.write(out)
    problems = verify(sample_doc, out.getvalue())
    body = [p for p in problems if "header or footer" not in p.message]
    assert len(body) == 1 and "printed twice (page 2 and page 3)" in body[0].message
    assert "more texts after it" in body[0].message and body[0].line > 0


def _edits(data, rnd):
    """One random edit of a leaflet's data: a list entry deleted, duplicated or swapped, or a word changed."""
    import copy

    data = copy.deepcopy(data)
    lists, texts = [], []

    def walk(node, path):
        if isinstance(node, list):
            lists.append(node)
            children = enumerate(node)
        elif isinstance(node, dict):
            children = node.items()
        else:
            return
        for key, value in children:
            if key in ("note", "notes", "language", "revision", "severity"):
                continue
            if isinstance(value, str) and " " in value:
                texts.append((node, key))
            walk(value, path + (key,))

    walk(data, ())
    op = rnd.choice(["delete", "duplicate", "swap", "word"])
    if op == "word":
        node, key = rnd.choice(texts)
        words = node[key].split(" ")
        words[rnd.randrange(len(words))] += "x"
        node[key] = " ".join(words)
    else:
        items = rnd.choice([entry for entry in lists if len(entry) >= 2])
        i, j = rnd.sample(range(len(items)), 2)
        if op == "delete":
            del items[i]
        elif op == "duplicate":
            items.insert(i, copy.deepcopy(items[i]))
        else:
            items[i], items[j] = items[j], items[i]
    return op, data


def test_random_edits_are_caught_and_the_edited_pdf_passes():
    import random

    from .test_pdf import ALL_KINDS

    base = leaflet.parse(ALL_KINDS, "all.yaml")
    strings = locale_for("en").strings
    original = [p.text for p in printed_stream(base.leaflet, strings)]
    rnd = random.Random(7)
    checked = 0
    while checked < 10:
        op, data = _edits(base.source.data, rnd)
        try:
            doc = leaflet.parse(json.dumps(data), "edited.yaml")
            pdf = leaflet.build_bytes(doc)
        except leaflet.LeafletError:
            continue  # an edit the format refuses (a table row of another width …)
        if [p.text for p in printed_stream(doc.leaflet, strings)] == original:
            continue  # two equal entries swapped: nothing printed changed
        checked += 1
        assert verify(doc, pdf) == [], op
        assert verify(base, pdf), (op, data)


def test_the_readme_example_is_what_verify_prints(sample_pdf, tmp_path, monkeypatch, capsys):
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ leaflet verify content/baclofen/en.yaml old.pdf\n", 1)[1].split("```", 1)[0]
    (tmp_path / "content" / "baclofen").mkdir(parents=True)
    (tmp_path / "content" / "baclofen" / "en.yaml").write_bytes(SAMPLE.read_bytes())
    pdf = doctor(sample_pdf, SEIZURES_BULLET, b"")
    pdf = doctor(pdf, rb"\(Mental confusion, hallucinations, or mood changes\) Tj",
                 b"3 Tr (Mental confusion, hallucinations, or mood changes) Tj 0 Tr")
    pdf = doctor(pdf, rb"\(Severe withdrawal symptoms if the medication is stopped abruptly\) Tj T\*",
                 b"(Severe withdrawal symptoms if the medication is stopped abruptly) Tj T* (A made-up extra symptom) Tj T*")
    (tmp_path / "old.pdf").write_bytes(pdf)
    monkeypatch.chdir(tmp_path)
    assert main(["verify", "content/baclofen/en.yaml", "old.pdf"]) == 1
    assert capsys.readouterr().err == block


def split_row_leaflet(left: list[str], right: list[str], *, extra: str = "") -> leaflet.Document:
    """A leaflet whose table has one row taller than a page: the layout splits it inside its cells."""
    data = {"language": "en", "medicine": {"name": "Testamol"}, "revision": {"date": "2026-01-02"},
            "sections": [{"heading": "About", "blocks": [
                {"text": "A short paragraph before the table."},
                {"table": {"header": ["Left", "Right", "Notes"], "rows": [
                    ["A short first row", "Two words", "Fine"],
                    [" ".join(left), {"text": " ".join(right), "bullets": ["Bullet one", "Bullet two"]}, "Short"],
                    ["A last row", "After the split", "Done"]]}},
                {"text": "A paragraph after the table." + extra}]}]}
    return leaflet.parse(json.dumps(data), "split.yaml")


LEFT = [f"leftword{n}" for n in range(200)]  # over three pages
RIGHT = [f"rightword{n}" for n in range(170)]  # over two


def test_a_table_row_split_inside_its_cells_passes(tmp_path, has_poppler):
    doc = split_row_leaflet(LEFT, RIGHT)
    pdf = leaflet.build_bytes(doc)
    path = tmp_path / "split.pdf"
    path.write_bytes(pdf)
    # poppler reads the row as the layout prints it: each cell's part on page 1, then on page 2
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    words = [re.findall(r"(?:leftword|rightword)\d+|Left|Short", p) for p in pages[:3]]
    assert [w[0] for w in words] == ["Left"] * 3  # the header repeats on each page
    assert words[0].index("leftword0") < words[0].index("rightword0") < words[0].index("Short")
    assert words[1].index("rightword169") > words[1].index("leftword150"), "cell 2 follows cell 1's part"
    assert "leftword199" in words[2] and "Short" not in words[1] + words[2]
    result = match(doc, pdf)
    assert result.problems == []
    [left] = [p for p in result.placed if p.item.text.startswith("leftword0 ")]
    [right] = [p for p in result.placed if p.item.text.startswith("rightword0 ")]
    assert (left.first_page, left.last_page) == (1, 3) and (right.first_page, right.last_page) == (1, 2)
    assert verify(doc, rewrite(pdf)) == []


def one_line_part_leaflet(cell: str, right: str = " ".join(f"rightword{n}" for n in range(400))) -> leaflet.Document:
    """A table row taller than a page, after a paragraph that leaves room at the page's foot for
    the row's first line: the first cell's paragraph, one line, ends the page beside the second
    cell's first line; its bullet (two lines, kept together) goes on overleaf."""
    data = {"language": "en", "medicine": {"name": "Testamol"}, "revision": {"date": "2026-01-02"},
            "sections": [{"heading": "About", "blocks": [
                {"text": " ".join(f"filler{n}" for n in range(452))},
                {"table": {"header": ["Left", "Right"], "rows": [[
                    {"text": cell, "bullets": ["A bullet with words enough to wrap onto a second line in its half"
                                               " of the row"]}, right]]}}]}]}
    return leaflet.parse(json.dumps(data), "split.yaml")


def test_a_split_row_whose_first_part_is_one_line_beside_the_next_cell_passes(tmp_path, has_poppler):
    # random leaflet 100006 on A5 large print: 'Swallow after hours.' alone on its page, on the baseline
    # of the next cell's first line, was read as not ending its part (a part had to end a line), so the
    # row did not match: "not printed as written" and "page 16 prints text that is not in the content"
    doc = one_line_part_leaflet("Cell one.")
    pdf = leaflet.build_bytes(doc)
    path = tmp_path / "split.pdf"
    path.write_bytes(pdf)
    bbox = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    y = {w: float(m) for m, w in re.findall(r'yMax="([\d.]+)">(one\.|rightword0|bullet)<', bbox)}
    assert "bullet" not in y and y["one."] == y["rightword0"], y  # the bullet is overleaf; one line beside cell 2
    result = match(doc, pdf)
    assert result.problems == []
    placed = {p.item.text.split()[0]: (p.first_page, p.last_page) for p in result.placed if p.item.row}
    assert placed["Cell"] == (1, 1) and placed["A"] == (2, 2) and placed["rightword0"][0] == 1, placed
    assert verify(doc, rewrite(pdf)) == []
    # still strict: a word missing from the one-line part, or the part swapped, is reported
    for other in ("Cell.", "one. Cell"):
        assert "table.rows[0][0]" in messages(verify(doc, leaflet.build_bytes(one_line_part_leaflet(other))))


@pytest.mark.parametrize(("left", "right"), [
    (LEFT[:190] + LEFT[191:], RIGHT),  # a word gone from the third part of cell 1
    (LEFT[:120] + LEFT[121:], RIGHT),  # … from its second part
    (LEFT, RIGHT[:120] + RIGHT[121:]),  # … from the second part of cell 2
    (RIGHT, LEFT),  # the two cells of the split row swapped
])
def test_a_split_row_with_a_word_missing_or_its_cells_swapped_is_reported(left, right):
    doc = split_row_leaflet(LEFT, RIGHT)
    other = leaflet.build_bytes(split_row_leaflet(left, right))
    problems = verify(doc, other)
    assert problems and "table.rows[1][0]" in messages(problems)  # reported on the split row


def test_an_altered_text_shows_where_it_differs_not_the_same_beginning_twice(sample_doc):
    """The change is at the end of a long text: the message shows the words there, on both sides."""
    altered = leaflet.parse(sample_text("(MS), spinal cord injuries, and cerebral palsy.",
                                        "(MS), spinal cord injuries, and other conditions."), "altered.yaml")
    [p] = verify(sample_doc, leaflet.build_bytes(altered))
    assert "not printed in the PDF as written: '…injuries, and cerebral palsy.'" in p.message, p.message
    assert "has '…injuries, and other conditions." in p.message, p.message


def test_a_lost_space_is_shown_and_named(sample_doc, sample_pdf):
    """The texts differ only by a space: the message shows both from there, and says what differs."""
    pdf = doctor(sample_pdf, rb"\(Mental confusion, hallucinations", b"(Mental confusion,hallucinations")
    [p] = verify(sample_doc, pdf)
    assert "as written: 'Mental confusion, hallucinations" in p.message, p.message
    assert "has 'Mental confusion,hallucinations" in p.message, p.message
    assert "the content has a space between 'confusion,' and 'hallucinations,', the page has none" in p.message


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060"])
def test_an_invisible_difference_names_the_characters(sample_doc, invisible):
    """Texts that differ by a character that prints nothing look the same: the message shows it by
    its code point and names it (U+XXXX and its Unicode name), on the side that has it."""
    name = {"\u200b": "U+200B ZERO WIDTH SPACE", "\u2060": "U+2060 WORD JOINER"}[invisible]
    marked = leaflet.parse(sample_text("  - Seizures\n", f"  - Seiz{invisible}ures\n"), "marked.yaml")
    pdf = leaflet.build_bytes(marked)
    [p] = verify(sample_doc, pdf)  # the page has it, the content has not
    assert f"has 'Seiz<{name[:6]}>ures' in its place" in p.message, p.message
    assert f"(the page has {name} (invisible: it prints nothing) after 'Seiz', the content has not)" in p.message
    [p] = verify(marked, leaflet.build_bytes(sample_doc))  # the other way round
    assert f"as written: 'Seiz<{name[:6]}>ures'; page 3 has 'Seizures' in its place" in p.message, p.message
    assert f"(the content has {name} (invisible: it prints nothing) after 'Seiz', the page has not)" in p.message
    assert verify(marked, pdf) == []
