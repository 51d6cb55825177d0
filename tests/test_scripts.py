"""Every script's fonts: Arabic, Hebrew (and their fallback to Noto Sans for Latin, digits and
brackets), checked with poppler (pdffonts, pdftotext) as an independent reader."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import leaflet
from leaflet.check.verify import verify
from leaflet.typeset.fonts import fonts_for, glyph_problems

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "scripts"  # not in tests/fixtures: tools/fuzz.py mutates those
LOCALES = FIXTURES / "locales"  # test locales (fictional wording) until the bundled ones land


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
                          capture_output=True, text=True, check=True).stdout


def embedded(pdf: bytes, tmp_path: Path) -> list[str]:
    out = poppler("pdffonts", pdf, tmp_path)
    rows = out.splitlines()[2:]
    assert rows and all(" yes yes yes " in r for r in rows), out  # embedded, subset, with a ToUnicode map
    return sorted(r.split()[0].split("+", 1)[1] for r in rows)


def build(name: str) -> tuple[leaflet.Document, bytes]:
    doc = leaflet.load(FIXTURES / name, locales=[LOCALES])
    return doc, leaflet.build_bytes(doc)


def clean(text: str) -> str:
    """pdftotext's text with its bidi marks (it adds them around right-to-left lines) removed."""
    return "".join(ch for ch in text if ch not in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize(("script", "primary"), [("Arab", "Noto Naskh Arabic"), ("Hebr", "Noto Sans Hebrew")])
def test_arabic_and_hebrew_fall_back_to_noto_sans_for_latin_and_brackets(script, primary):
    fonts = fonts_for(script)
    assert [f.family for f in fonts.faces] == [primary, "Noto Sans", "DejaVu Sans"]
    latin = "10 mg (x) [y] https://example.org/a?b=1 ≥ → ✓ – • “”"
    assert fonts.missing(latin) == []
    runs = fonts.runs("مرة 10 mg (يوميًا)" if script == "Arab" else "פעם 10 mg (ביום)")
    by_font = {name for name, _ in runs}
    assert fonts.faces[0].regular in by_font and fonts.faces[1].regular in by_font
    assert [run for name, run in runs if name == fonts.faces[1].regular][:1] in (["mg"], ["10"])


def test_the_arabic_font_has_arabic_indic_digits_and_punctuation():
    fonts = fonts_for("Arab")
    arabic = "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ، ؛ ؟ ٪ ـ"
    assert fonts.missing(arabic) == []
    assert fonts.runs(arabic) == [(fonts.regular, arabic)]  # all in the Arabic font, none in a fallback


@pytest.mark.parametrize(("fixture", "fonts", "words"), [
    ("ar.yaml", ["DejaVuSans", "NotoNaskhArabic-Bold", "NotoNaskhArabic-Regular", "NotoSans-Regular"],
     ["تستامول", "Testa", "10 mg", "https://example.org/testamol", "≥"]),
    ("he.yaml", ["DejaVuSans", "NotoSans-Bold", "NotoSans-Regular", "NotoSansHebrew-Bold",
                         "NotoSansHebrew-Regular"],
     ["טסטמול", "Testa", "10 mg", "https://example.org/testamol", "≥"]),
])
def test_right_to_left_leaflets_embed_their_fonts_and_read_back(fixture, fonts, words, tmp_path, has_poppler):
    doc, pdf = build(fixture)
    assert embedded(pdf, tmp_path) == fonts
    text = clean(poppler("pdftotext", pdf, tmp_path))
    assert "\x00" not in text and "\ufffd" not in text
    letters = {ch for ch in text if ch.isalpha()}
    assert letters >= {ch for w in words for ch in w if ch.isalpha()}
    for word in words:
        if word.isascii():
            assert word in text, word
    assert verify(doc, pdf) == []


def test_bullets_and_list_numbers_print_in_a_font_that_has_them(tmp_path, has_poppler):
    """The Arabic and Hebrew fonts have no '•': the bullet is drawn in Noto Sans, not as a blank box."""
    for script in ("Arab", "Hebr"):
        fonts = fonts_for(script)
        assert 0x2022 not in fonts.faces[0].cmap
        assert fonts.font_for("•–0123456789.") == fonts.faces[1].regular
    assert fonts_for("Latn").font_for("•–0123456789.") == fonts_for("Latn").regular
    _, pdf = build("ar.yaml")
    assert "•" in poppler("pdftotext", pdf, tmp_path)


def test_a_letter_no_font_of_the_arabic_chain_has_is_an_error():
    [problem] = glyph_problems(fonts_for("Arab"), [(("x",), "خذ 苯 ש")])
    assert "'苯' (U+82EF)" in problem.message and "Noto Naskh Arabic, Noto Sans, DejaVu Sans" in problem.message
    assert "U+05E9" in problem.message  # Hebrew is not printed by the Arabic chain (DejaVu: symbols only)
