"""leaflet build --pseudo: every printed text accented and about 35% longer, with bidi marks that
never print; numbers, doses, addresses, markup and placeholders kept; a banner on every page;
verify --pseudo reads it back. Checked with poppler and with leaflet check's number reader."""
from __future__ import annotations

import re
import string
import subprocess
import unicodedata

import pytest

import leaflet
from leaflet.cli import main
from leaflet.i18n.numbers import quantities
from leaflet.i18n.pseudo import BANNER, pseudo, pseudo_strings
from leaflet.resources import PLACEHOLDERS, locale_for
from leaflet.text.bidi import strip_controls
from leaflet.text.inline import parse_runs, references
from leaflet.text.printed import iter_texts

from .conftest import MINIMAL, ROOT

SAMPLES = ROOT / "content" / "baclofen"
CONTROLS = "\u2068\u2069\u200e\u200f"


@pytest.fixture(scope="module")
def en():
    return leaflet.load(SAMPLES / "en.yaml")


def test_a_text_is_accented_longer_and_isolated_with_its_dose_kept():
    text = "**Initial dose:** Usually, the starting dose is 5 mg taken three times daily."
    out = pseudo(text)
    assert out.startswith("\u2068**") and out.endswith(".\u2069")
    assert "5 mg\u200e" in out  # the dose as written, marked
    shown = strip_controls(out)
    assert not re.search(r"[a-z]{2}", re.sub(r"\bmg\b|[bfmpqvx]", "", shown))  # ASCII letters accented (bar b f m p q v x)
    assert 1.25 < len(shown) / len(text) < 1.45
    assert pseudo(text) == out  # the same every time


@pytest.mark.parametrize("text", [
    "See [[effects]] and https://example.org/testamol?dose=5mg, or write to help@example.org.",
    r"Literal \*stars\* and \[[brackets]] stay escapes; **bold** stays bold.",
])
def test_markup_and_addresses_print_as_written(text):
    out = strip_controls(pseudo(text))
    assert [ref for ref, _ in references(out)] == [ref for ref, _ in references(text)]
    assert [run.bold for run in parse_runs(out)] == [run.bold for run in parse_runs(text)]
    for kept in re.findall(r"https?://\S+[^.,]|\S+@\S+[^.]|\\\*|\\\[\[", text):
        assert kept in out


def test_locale_strings_keep_their_placeholders_and_the_banner_says_what_it_is():
    strings = locale_for("en").strings
    out = pseudo_strings(strings)
    for key, wanted in PLACEHOLDERS.items():
        names = {n for _, n, _, _ in string.Formatter().parse(out[key]) if n is not None}
        assert names == wanted, key
    assert out["_cldr"] == strings["_cldr"]  # data, not text
    assert strip_controls(out["status_draft"]) == BANNER
    assert strip_controls(out["kicker"]) != strings["kicker"]
    assert len(out["key_facts_header"]) == 2


@pytest.mark.parametrize("language", ["en", "es", "de", "fr", "ru", "ar", "he", "zh", "ja"])
def test_every_sample_keeps_every_number_and_gets_about_35_percent_longer(language):
    """The numbers and doses each text holds, read as leaflet check reads them, are the same in the
    pseudo leaflet; the printed text as a whole is 30-40% longer."""
    doc = leaflet.load(SAMPLES / f"{language}.yaml")
    fake = leaflet.pseudo(doc)
    before = dict(iter_texts(doc.leaflet))
    after = dict(iter_texts(fake.leaflet))
    assert list(before) == list(after)  # the same texts in the same places
    for path, text in before.items():
        if path == ("revision", "date"):
            assert after[path] == text
            continue
        assert [(q.value, q.unit) for q in quantities(strip_controls(after[path]), language)] == \
            [(q.value, q.unit) for q in quantities(text, language)], path
    grown = sum(len(strip_controls(t)) for t in after.values()) / sum(len(t) for t in before.values())
    assert 1.30 < grown < 1.40, grown
    assert fake.leaflet.status == "draft" and fake.pseudo and not doc.pseudo


def pdftotext(pdf, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_build_pseudo_writes_its_own_file_with_the_banner_on_every_page(tmp_path, monkeypatch, capsys, has_poppler):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "testamol").mkdir(parents=True)
    source = tmp_path / "content" / "testamol" / "en.yaml"
    source.write_text((SAMPLES / "en.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["build", "--pseudo", str(source)]) == 0
    pdf = tmp_path / "output" / "testamol-en-pseudo.pdf"
    assert "wrote output/testamol-en-pseudo.pdf" in capsys.readouterr().out and pdf.is_file()
    assert not (tmp_path / "output" / "testamol-en.pdf").exists()
    pages = [" ".join(p.split()) for p in pdftotext(pdf).split("\f") if p.strip()]
    assert len(pages) >= 4 and all(p.startswith(" ".join(BANNER.split())) for p in pages)
    text = pdftotext(pdf, "-raw")
    assert not set(CONTROLS + "\ufffd\x00") & set(text)  # the marks steer the order; they never print
    assert "Ƀáçĺöféñ" not in text and "Báçĺöféñ" in text  # accented (and longer: Báçĺöféñáöé)
    assert "5 mg" in text and "80 mg" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in row for row in fonts)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Title:" in info and not set(CONTROLS) & set(info)  # metadata without isolates
    # verify reads it back with --pseudo, and only so
    assert main(["verify", "--pseudo", str(source), str(pdf)]) == 0
    assert "prints all the pseudo-localised text of" in capsys.readouterr().out
    assert main(["verify", str(source), str(pdf)]) == 1
    capsys.readouterr()
    assert main(["build", str(source)]) == 0
    assert main(["verify", "--pseudo", str(source), "output/testamol-en.pdf"]) == 1


def test_pseudo_build_is_deterministic_and_leaves_the_normal_build_alone(en):
    fake = leaflet.pseudo(en)
    assert leaflet.build_bytes(fake) == leaflet.build_bytes(leaflet.pseudo(en))
    assert leaflet.build_bytes(en) != leaflet.build_bytes(fake)
    assert leaflet.verify(fake, leaflet.build_bytes(fake)) == []


def test_pseudo_with_o_and_folder_outputs(tmp_path, capsys):
    src = tmp_path / "t.yaml"
    src.write_text(MINIMAL, encoding="utf-8")
    assert main(["build", "--pseudo", str(src), "-o", str(tmp_path / "x.pdf")]) == 0
    assert (tmp_path / "x.pdf").is_file()
    assert main(["build", "--pseudo", str(src), "-o", str(tmp_path / "out") + "/"]) == 0
    assert (tmp_path / "out" / f"{tmp_path.name}-en-pseudo.pdf").is_file()


def test_content_errors_are_reported_as_by_build(tmp_path, capsys):
    src = tmp_path / "t.yaml"
    src.write_text(MINIMAL.replace("  name: Testamol", "  nmae: Testamol"), encoding="utf-8")
    assert main(["build", "--pseudo", str(src)]) == 2
    err = capsys.readouterr().err
    assert f"{src}:3:3: error[unknown-key]" in err
    assert not (tmp_path / "output").exists()


def test_a_layout_that_does_not_hold_up_fails_as_a_build_would():
    """A revision line that fits the footer as written is wider than the page once it is a third
    longer: the pseudo build says so, at the field, as the build of a long translation would. (One
    that only runs into the page number goes on a line of its own above it.)"""
    version = " ".join(["Release"] * 9)
    doc = leaflet.parse(MINIMAL.replace('version: "3"', f'version: "{version}"'), "t.yaml")
    leaflet.build_bytes(doc)  # fits as written
    with pytest.raises(leaflet.ContentError) as err:
        leaflet.build_bytes(leaflet.pseudo(doc))
    [problem] = err.value.diagnostics
    assert problem.path == ("revision", "version") and "too long for the footer" in problem.message
    assert (problem.file, problem.line) == ("t.yaml", 8)


def test_accents_are_precomposed_and_survive_normalisation():
    out = strip_controls(pseudo("Take the tablets with water."))
    assert unicodedata.normalize("NFC", out) == out and unicodedata.normalize("NFD", out) != out
