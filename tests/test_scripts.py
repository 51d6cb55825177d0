"""Every script's fonts: Arabic, Hebrew (and their fallback to Noto Sans for Latin, digits and
brackets), checked with poppler (pdffonts, pdftotext) as an independent reader."""
from __future__ import annotations

import re
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


def content_streams(pdf: bytes) -> bytes:
    import io

    import pypdf

    return b"".join(page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


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
    for word in words:  # (poppler orders a line's words by its own rules: "10 mg" reads "mg 10" there;
        if word.isascii():  # the order is checked in tests/test_rtl.py)
            for part in word.split():
                assert part in text, part
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


# -- Chinese and Japanese ---------------------------------------------------------------------------

RARE = "\U0002B740"  # a CJK Extension D ideograph: in no bundled font


@pytest.mark.parametrize(("fixture", "fonts"), [
    ("zh.yaml", ["DroidSansFallback", "DroidSansFallback", "NotoSans-Bold", "NotoSans-Regular"]),
    ("ja.yaml", ["DroidSansFallback", "LeafletGothicJP-Regular", "LeafletGothicJP-Regular", "NotoSans-Bold",
                 "NotoSans-Regular"]),
])
def test_cjk_leaflets_embed_their_fonts_and_read_back(fixture, fonts, tmp_path, has_poppler):
    doc, pdf = build(fixture)
    assert embedded(pdf, tmp_path) == fonts  # a CJK font's 256-glyph subsets: several per font
    text = poppler("pdftotext", pdf, tmp_path)
    assert "\x00" not in text and "\ufffd" not in text
    assert "苯二氮䓬" in text  # U+44EC is outside GB2312: printed (Droid Sans Fallback has it), not dropped
    assert "Testamol 10 mg" in text
    assert verify(doc, pdf) == []


def test_latin_in_cjk_text_prints_in_noto_sans_and_cjk_in_the_cjk_font():
    zh, ja = fonts_for("Hans"), fonts_for("Jpan")
    assert [f.family for f in zh.faces] == ["Droid Sans Fallback", "Noto Sans", "DejaVu Sans"]
    assert [f.family for f in ja.faces] == ["Leaflet Gothic JP", "Droid Sans Fallback", "Noto Sans", "DejaVu Sans"]
    assert zh.runs("每次 10 mg。") == [(zh.faces[0].regular, "每次"), (zh.faces[1].regular, " 10 mg"),
                                     (zh.faces[0].regular, "。")]
    assert ja.runs("1回 10 mg、骨") == [(ja.faces[2].regular, "1"), (ja.faces[0].regular, "回"),
                                      (ja.faces[2].regular, " 10 mg"), (ja.faces[0].regular, "、骨")]
    # Japanese kanji print in the Japanese font (Droid draws 骨 in its Chinese form); a kanji it
    # lacks falls back to Droid Sans Fallback rather than fail
    assert ja.runs("䓬") == [(ja.faces[1].regular, "䓬")]


def test_a_rare_cjk_character_no_font_has_is_an_error_naming_it(tmp_path):
    source = (FIXTURES / "zh.yaml").read_text(encoding="utf-8").replace("苯二氮䓬类测试药（虚构）", f"测试药{RARE}")
    bad = tmp_path / "zh.yaml"
    bad.write_text(source, encoding="utf-8")
    [problem] = leaflet.validate(bad, locales=[LOCALES])
    line = next(n for n, text in enumerate(source.splitlines(), start=1) if RARE in text)
    assert (problem.line, problem.code) == (line, "glyph") and problem.column > 0
    assert problem.path == ("key_facts", "rows", 0, "value")
    assert "U+2B740" in str(problem) and str(problem).startswith(f"{bad}:{line}:")
    with pytest.raises(leaflet.ContentError):
        leaflet.build_bytes(leaflet.load(bad, locales=[LOCALES]))


def test_bold_in_a_font_without_a_bold_file_is_printed_bold(tmp_path, has_poppler):
    """Droid Sans Fallback and the Japanese font have no bold: bold text is filled and stroked in
    its own colour (2 Tr), under a name of its own, in the same embedded subsets as the regular."""
    from reportlab.pdfbase import pdfmetrics

    zh = fonts_for("Hans")
    assert zh.bold != zh.regular and pdfmetrics.getFont(zh.bold).face is pdfmetrics.getFont(zh.regular).face
    _, pdf = build("zh.yaml")
    streams = content_streams(pdf)
    assert b" 2 Tr " in streams and b"0 Tr" in streams
    assert "重要：" in poppler("pdftotext", pdf, tmp_path)


def test_the_english_sample_uses_no_synthetic_bold(sample_pdf):
    streams = content_streams(sample_pdf)
    assert b" 2 Tr " not in streams and b" 0 Tr" not in streams


def test_greek_and_cyrillic_are_complete_in_noto_sans():
    import unicodedata

    letters = [chr(c) for c in [*range(0x370, 0x400), *range(0x1F00, 0x2000), *range(0x400, 0x530)]
               if unicodedata.category(chr(c)).startswith("L") and not 0x3E2 <= c <= 0x3EF]  # not Coptic
    for script in ("Grek", "Cyrl"):
        assert fonts_for(script).missing("".join(letters)) == []
    assert fonts_for("Cyrl").missing("ґєіїҐЄІЇ ёЁ №«»„“ ₴ ₽") == []
    assert fonts_for("Grek").missing("άέήίόύώΐΰϊϋ ΄΅·;") == []


LONG_URL = "https://example.org/testamol/patient-information/a-very-long-address-that-is-longer-than-a-line/index.html"


@pytest.mark.parametrize("language", ["fr", "ar", "he", "zh", "ja"])
def test_a_long_web_address_never_runs_over_the_margin(language, tmp_path, has_poppler):
    from leaflet.resources import theme

    from .conftest import MINIMAL

    words = {"fr": "Lisez", "ar": "اقرأ", "he": "קרא", "zh": "请访问", "ja": "詳しくは"}[language]
    texts = [f'"{words} {"x " * k}{LONG_URL}{"/abc" * k} {words}"' for k in range(0, 12, 2)]
    blocks = "\n".join(f"      - text: {t}" for t in texts)
    source = MINIMAL.replace("language: en", f"language: {language}").replace("      - text: A paragraph.", blocks)
    doc = leaflet.parse(source, "url.yaml", locales=[LOCALES, ROOT / "tests" / "locales"])
    pdf = leaflet.build_bytes(doc)
    path = tmp_path / "u.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    xs = [(float(a), float(b)) for a, b in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', out)]
    t = theme()
    mm = 72 / 25.4
    assert min(x0 for x0, _ in xs) >= t["margins_mm"]["left"] * mm - 0.5
    assert max(x1 for _, x1 in xs) <= 595.2756 - t["margins_mm"]["right"] * mm + 0.5
    assert verify(doc, pdf) == []


def test_a_chain_without_a_font_for_bullets_is_refused():
    from leaflet.errors import ResourceError
    from leaflet.typeset.fonts import Face, FontSet, check_marks

    arabic_only = Face("Arabic only", "A", "A", frozenset(range(0x600, 0x700)))
    with pytest.raises(ResourceError, match="bullets and list numbers"):
        check_marks(FontSet("Arab", arabic_only, ("Arabic only",), lambda: ()))
    check_marks(fonts_for("Arab"))  # Noto Sans, in the chain, has them
