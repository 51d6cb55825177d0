"""A clinic's brand in another script than the leaflet's prints (build --brand).

The brand's name, contact lines and website fall back, as the personal panel's values do, to the
primary font of every script of leaflet/data/fonts.json (api.brand_fonts ->
leaflet.typeset.fonts.every_script), shaped; a right-to-left text in the footer line of a
left-to-right leaflet is isolated, so the separators stay between the brand's texts. Checked with
poppler (pdffonts: the font of the brand's script embedded; pdftotext -bbox: the text in the title
block of page 1 and in every footer), not only with leaflet's own verify. Only characters no
bundled font has are an error, at the brand file's field.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import leaflet
from leaflet import api
from leaflet.errors import ContentError

from . import pdfgeom
from .conftest import ROOT

pytestmark = pytest.mark.usefixtures("has_poppler")

CONTENT = ROOT / "content" / "baclofen"
# fictional clinics, each in a script the leaflet's own fonts do not have
ARABIC_NAME = "مركز الاختبار"
ARABIC_PHONE = "الهاتف: 555 0100"
HEBREW_LINE = "רחוב הדוגמה 12"
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2067\u2068\u2069"))


def brand_file(tmp_path: Path, name: str, contact: list[str]) -> Path:
    lines = [f"name: {name}", "contact:", *(f'  - "{line}"' for line in contact), "website: https://clinic.example"]
    path = tmp_path / "brand.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def built(tmp_path: Path, language: str, brand: Path) -> tuple[leaflet.Document, Path]:
    doc = leaflet.load(CONTENT / f"{language}.yaml")
    pdf = tmp_path / f"{language}.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, brand=str(brand)))
    return doc, pdf


def embedded(pdf: Path) -> set[str]:
    """The font families pdffonts lists (subset tag dropped), every one embedded."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert all(" yes " in line for line in lines), lines
    return {line.split()[0].split("+", 1)[-1] for line in lines}


def logical(word: pdfgeom.Word) -> str:
    """A word as written: pdftotext -bbox gives a right-to-left word's characters in visual order."""
    text = word.text.translate(BIDI_MARKS)
    return text[::-1] if any(0x0590 <= ord(ch) <= 0x08FF for ch in text) else text


def words(page: pdfgeom.Page) -> list[str]:
    return [logical(w) for w in page.words]


def title_row(page: pdfgeom.Page, word: str) -> set[str]:
    """The words of page 1's first row with ``word``: the brand bar, in the top third (below a
    translation's banner, if any)."""
    row = next(r for r in pdfgeom.rows(page.words) if word in map(logical, r))
    assert row[0].y0 < page.height / 3
    return {logical(w) for w in row}


def pdftotext(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout.translate(BIDI_MARKS)


def test_an_arabic_brand_prints_on_an_english_leaflet(tmp_path):
    path = brand_file(tmp_path, ARABIC_NAME, [ARABIC_PHONE, "12 Example Road"])
    doc, pdf = built(tmp_path, "en", path)
    assert "NotoNaskhArabic-Bold" in embedded(pdf)  # the name is bold in the Arabic font
    assert "NotoNaskhArabic-Regular" in embedded(pdf)  # the contact line
    pages = pdfgeom.read_words(pdf)
    assert title_row(pages[0], "مركز") == set(ARABIC_NAME.split())  # the title block: the name above the kicker
    for page in pages:  # every footer: the name, the Arabic phone line, the Latin line
        assert ARABIC_NAME in pdftotext(pdf, page.number)  # read back in logical order
        found = words(page)
        for word in [*ARABIC_NAME.split(), "الهاتف:", "555", "0100", "Example", "https://clinic.example"]:
            assert word in found, (page.number, word)
    assert leaflet.verify(doc, pdf, brand=str(path)) == []
    assert leaflet.verify(doc, pdf) != []  # the check can fail: without the brand its texts are unexpected


def test_the_arabic_name_is_isolated_in_an_english_footer(tmp_path):
    """On a left-to-right footer line the Arabic name and phone line are each read right to left, and
    the separators and the Latin line after them stay in the order written (left to right)."""
    path = brand_file(tmp_path, ARABIC_NAME, [ARABIC_PHONE, "12 Example Road"])
    _, pdf = built(tmp_path, "en", path)
    page = pdfgeom.read_words(pdf)[0]
    row = next(r for r in pdfgeom.rows(page.words) if any(w.text == "Example" for w in r) and r[0].y0 > page.height / 2)
    xs = {logical(w): w.x0 for w in row}
    name = min(xs[w] for w in ARABIC_NAME.split())
    phone = min(xs[w] for w in ("الهاتف:", "555", "0100"))
    assert name < phone < xs["Example"] < xs["https://clinic.example"]  # the parts in their order
    assert xs["الاختبار"] < xs["مركز"]  # the name itself right to left
    assert xs["0100"] < xs["الهاتف:"]  # ... and the phone line (its number before its label, read right to left)


def test_a_latin_brand_prints_on_an_arabic_and_a_chinese_leaflet(tmp_path):
    path = brand_file(tmp_path, "Riverside Clinic", ["Phone: 555 0100"])
    for language in ("ar", "zh"):
        doc, pdf = built(tmp_path, language, path)
        assert "NotoSans-Bold" in embedded(pdf)
        pages = pdfgeom.read_words(pdf)
        assert title_row(pages[0], "Riverside") == {"Riverside", "Clinic"}
        for page in pages:
            assert {"Riverside", "Clinic", "Phone:", "555", "0100"} <= set(words(page)), (language, page.number)
        assert leaflet.verify(doc, pdf, brand=str(path)) == []


def test_a_hebrew_contact_line_prints_on_a_japanese_and_an_arabic_leaflet(tmp_path):
    path = brand_file(tmp_path, "Riverside Clinic", [HEBREW_LINE])
    for language in ("ja", "ar"):
        doc, pdf = built(tmp_path, language, path)
        assert "NotoSansHebrew-Regular" in embedded(pdf), language
        for page in pdfgeom.read_words(pdf):
            assert set(HEBREW_LINE.split()) <= set(words(page)), (language, page.number)
        assert leaflet.verify(doc, pdf, brand=str(path)) == []


def test_a_brand_in_the_leaflets_script_prints_in_its_fonts():
    """Nothing changes for a brand the leaflet's own fonts print: the same fonts (the same bytes)."""
    doc = leaflet.load(CONTENT / "en.yaml")
    _, fonts = api.check(doc)
    brand = api.load_brand(ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml")
    assert api.brand_fonts(brand, fonts) is fonts


def test_characters_no_bundled_font_has_are_an_error_at_the_brand_field(tmp_path):
    path = brand_file(tmp_path, "Riverside Clinic", ["Phone: 555 0100", "क्लिनिक"])  # Devanagari: no bundled font
    doc = leaflet.load(CONTENT / "en.yaml")
    with pytest.raises(ContentError) as info:
        leaflet.build_bytes(doc, brand=str(path))
    (problem,) = info.value.diagnostics
    text = str(problem)
    where = f"{path}:4:5: error[glyph]: contact[1]"
    assert text.startswith(f"{where}: no font bundled with leaflet has a glyph for 'क' (U+0915)"), text
    assert "fonts.json" in problem.hint
    cli = subprocess.run([str(Path(sys.executable).parent / "leaflet"), "validate", "--brand", str(path),
                          str(CONTENT / "en.yaml")], capture_output=True, text=True)
    assert cli.returncode == 2 and where in cli.stderr  # validate --brand: the same message as build
