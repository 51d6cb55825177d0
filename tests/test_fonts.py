"""The font chain: characters the primary font lacks print in a fallback font, checked with
poppler (pdffonts, pdftotext) as an independent reader; characters no font has are errors."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import leaflet
from leaflet.check.verify import verify
from leaflet.resources import Locale, locale_for, theme
from leaflet.typeset.fonts import fonts_for, glyph_problems
from leaflet.typeset.layout import literal, markup
from leaflet.typeset.render import render

from .conftest import MINIMAL

SYMBOLS = "≥≤→✓"  # not in Noto Sans: printed in the fallback (DejaVu Sans)
IN_NOTO = "±×µ°½®™‰"  # in Noto Sans: no fallback needed


def pdffonts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert all(" yes yes yes " in r for r in rows), out  # embedded, subset, with a ToUnicode map
    return sorted(r.split()[0].split("+", 1)[1] for r in rows)


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def leaflet_with(old: str, new: str) -> leaflet.Document:
    assert MINIMAL.count(old) == 1, old
    return leaflet.parse(MINIMAL.replace(old, new), "symbols.yaml")


def test_the_sample_embeds_only_the_primary_font(sample_pdf, tmp_path, has_poppler):
    assert pdffonts(sample_pdf, tmp_path) == ["NotoSans-Bold", "NotoSans-Regular"]
    assert len(sample_pdf) <= 32 * 1024


def test_symbols_the_primary_font_has_need_no_fallback(tmp_path, has_poppler):
    doc = leaflet_with("A paragraph.", f'"{IN_NOTO} and **{IN_NOTO}**"')
    pdf = leaflet.build_bytes(doc)
    assert pdffonts(pdf, tmp_path) == ["NotoSans-Bold", "NotoSans-Regular"]
    assert f"{IN_NOTO} and {IN_NOTO}" in pdftotext(pdf, tmp_path)


def test_symbols_print_in_the_fallback_font_in_both_weights(tmp_path, has_poppler):
    text = f'"Take ≥ 2 → ✓ ≤ 4 and **bold ≥ 5 → ✓** {IN_NOTO}"'
    doc = leaflet_with("A paragraph.", text)
    pdf = leaflet.build_bytes(doc)
    assert pdffonts(pdf, tmp_path) == ["DejaVuSans", "DejaVuSans-Bold", "NotoSans-Bold", "NotoSans-Regular"]
    assert f"Take ≥ 2 → ✓ ≤ 4 and bold ≥ 5 → ✓ {IN_NOTO}" in pdftotext(pdf, tmp_path)
    assert verify(doc, pdf) == []


def test_a_bold_style_uses_the_bold_fallback(tmp_path, has_poppler):
    """A symbol only in a heading (a bold style, no ** markup) embeds only the fallback's bold."""
    pdf = leaflet.build_bytes(leaflet_with("heading: About", "heading: About ≥ 5"))
    assert pdffonts(pdf, tmp_path) == ["DejaVuSans-Bold", "NotoSans-Bold", "NotoSans-Regular"]
    assert "About ≥ 5" in pdftotext(pdf, tmp_path)


def test_the_revision_line_drawn_outside_paragraphs_gets_the_fallback(tmp_path, has_poppler):
    doc = leaflet_with('version: "3"', 'version: "3 → 4"')
    pdf = leaflet.build_bytes(doc)
    assert "DejaVuSans" in pdffonts(pdf, tmp_path)
    assert "Version 3 → 4" in pdftotext(pdf, tmp_path)
    assert verify(doc, pdf) == []


def test_locale_strings_in_page_label_banner_and_callout_band_get_the_fallback(tmp_path, has_poppler):
    """A locale whose page label holds a symbol: the label is drawn in a form, outside paragraphs."""
    en = locale_for("en")
    strings = {**en.strings, "page": "Page {page} → {pages}", "status_draft": "DRAFT ✓",
               "callout_band": "{label} → {title}", "side_effects_common": "Common ✓"}
    doc = leaflet.parse(MINIMAL.replace("disclaimer: Ask your doctor.", "disclaimer: Ask your doctor.\nstatus: draft")
                        .replace("      - text: A paragraph.", "      - side_effects: {severity: common, title: Ache, "
                                 "items: [Headache]}"), "band.yaml")
    fonts = fonts_for("Latn")
    pdf = render(doc.leaflet, Locale("en", "Latn", "ltr", strings), theme(), fonts)
    assert pdffonts(pdf, tmp_path) == ["DejaVuSans-Bold", "NotoSans-Bold", "NotoSans-Regular"]
    text = pdftotext(pdf, tmp_path)
    assert "Page 1 → 1" in text and "DRAFT ✓" in text and "COMMON ✓ → Ache" in text


def test_markup_wraps_only_the_runs_the_primary_font_lacks():
    fonts = fonts_for("Latn")
    fallback = fonts.faces[1]
    assert markup("a ≥ b", fonts) == f'a <font name="{fallback.regular}">≥</font> b'
    assert markup("**a ≥ b**", fonts) == (f'<font name="{fonts.bold}">a </font><font name="{fallback.bold}">≥</font>'
                                         f'<font name="{fonts.bold}"> b</font>')
    assert markup("a ≥ b", fonts, style_bold=True) == f'a <font name="{fallback.bold}">≥</font> b'
    assert markup("1 < 2 & ±", fonts) == "1 &lt; 2 &amp; ±"  # escaped, and ± is in the primary font
    assert literal("Brand:", fonts, bold=True, style_bold=False) == f'<font name="{fonts.bold}">Brand:</font>'


def test_the_fallback_prints_symbols_only_never_letters_of_other_scripts():
    """DejaVu Sans has Hebrew and Arabic letters; a Latin leaflet must not print them unshaped."""
    fonts = fonts_for("Latn")
    assert fonts.missing("שלום سلام 😀") == sorted(set("שלוםسلام😀"))
    assert fonts.missing("≥≤→✓") == []


def test_a_missing_glyph_names_every_distinct_character():
    fonts = fonts_for("Latn")
    text = "日本語の文書です 日本"  # 8 distinct characters, none in any bundled font
    [problem] = glyph_problems(fonts, [(("sections", 0, "heading"), text)])
    for ch in set(text) - {" "}:
        assert f"'{ch}' (U+{ord(ch):04X})" in problem.message
    assert "more" not in problem.message and problem.code == "glyph"
    assert "Noto Sans, DejaVu Sans" in problem.message


def test_validate_accepts_symbols_the_chain_has_and_refuses_others(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL.replace("A paragraph.", "Dose ≥ 5 mg ✓"), encoding="utf-8")
    assert leaflet.validate(good) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("A paragraph.", "Dose ≥ 5 mg \U0001F48A"), encoding="utf-8")
    [problem] = leaflet.validate(bad)
    assert "U+1F48A" in problem.message and "≥" not in problem.message


@pytest.mark.parametrize("bold", [False, True])
def test_runs_split_by_font_and_keep_spaces_in_the_primary_font(bold):
    """Word spaces stay in the paragraph's font (its word spacing), symbols go to the fallback."""
    fonts = fonts_for("Latn")
    runs = fonts.runs("a ≥ ≤→ b", bold)
    primary, fallback = (f.bold if bold else f.regular for f in fonts.faces)
    assert runs == [(primary, "a "), (fallback, "≥"), (primary, " "), (fallback, "≤→"), (primary, " b")]


def test_a_fallback_font_adds_only_the_glyphs_it_prints():
    """Its subset holds the symbols used, not all of ASCII as ReportLab does by default."""
    plain = leaflet.build_bytes(leaflet_with("A paragraph.", '"Take 2 of 5 and **bold 5**"'))
    symbols = leaflet.build_bytes(leaflet_with("A paragraph.", '"Take ≥ 2 → ✓ ≤ 5 and **bold ≥ 5 → ✓**"'))
    assert len(symbols) - len(plain) < 10_000, (len(plain), len(symbols))  # about 4 KB a font; 22 KB with ASCII


def test_every_font_of_the_table_is_bundled_prepared_and_licensed():
    """TrueType outlines (ReportLab cannot embed CFF), hinting removed by tools/prepare_fonts.py,
    and a licence named in fonts/README.md."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from leaflet.resources import font_table, fonts_dir

    table = font_table()
    readme = (fonts_dir() / "README.md").read_text(encoding="utf-8")
    for face in table.faces.values():
        for name in filter(None, (face.regular, face.bold)):
            tables = set(TTFontFile(str(fonts_dir() / name)).table)
            assert "glyf" in tables and not tables & {"fpgm", "prep", "cvt ", "DSIG"}, (name, tables)
            assert f"`{name}`" in readme
    for licence in ("OFL.txt", "LICENSE-DejaVu.txt"):
        assert (fonts_dir() / licence).is_file() and f"`{licence}`" in readme
    for script in table.scripts:  # Latin words, digits and brackets print in every leaflet
        assert "Noto Sans" in [f.family for f in fonts_for(script).faces]


def test_an_invisible_variation_selector_gets_its_own_hint():
    [problem] = glyph_problems(fonts_for("Latn"), [(("x",), "Done \u2714\ufe0f")])
    assert "U+FE0F" in problem.message and "'✔'" not in problem.message  # ✔ itself prints
    assert "variation selector" in problem.hint and "delete it" in problem.hint


@pytest.mark.parametrize("script", ["Latn", "Grek", "Cyrl"])
def test_every_script_has_the_symbol_fallback(script):
    fonts = fonts_for(script)
    assert [f.family for f in fonts.faces] == ["Noto Sans", "DejaVu Sans"]
    assert fonts.missing(SYMBOLS + IN_NOTO + "Ωω Жж") == []


def _stub_chain(loaded: list[bool]):
    """A font chain of two made-up families: 'a' and 'b' in the primary, 'c' in the fallback."""
    from leaflet.typeset.fonts import Face, FontSet

    def fallbacks() -> tuple[Face, ...]:
        loaded.append(True)
        return (Face("F", "f", "fb", frozenset(map(ord, "c"))),)

    return FontSet("Test", Face("P", "p", "pb", frozenset(map(ord, "ab"))), ("P", "F"), fallbacks)


def test_a_line_break_does_not_load_the_fallback_fonts():
    loaded: list[bool] = []
    fs = _stub_chain(loaded)
    assert fs.missing("ab\nba\t\u200f") == [] and loaded == []  # needs no glyph: no file read
    assert fs.missing("ab\nc") == [] and loaded == [True]
    assert fs.missing("az\nyz") == ["y", "z"]


def test_the_locale_check_runs_once_for_strings_that_print_and_every_time_for_ones_that_do_not():
    from leaflet.errors import ResourceError
    from leaflet.typeset import fonts

    loaded: list[bool] = []
    fs = _stub_chain(loaded)
    named: list[str] = []

    def where() -> str:
        named.append("x")
        return "locale 'tt'"

    fonts.check_locale(fs, {"one": "ab", "many": ["ba", "ab\nab", 3]}, where)
    assert named == [] and (fs, "ab\nba\nab\nab") in fonts._LOCALES_CHECKED  # named only for a message
    fonts.check_locale(fs, {"one": "ab", "many": ["ba", "ab\nab", 3]}, where)
    assert loaded == []
    for _ in range(2):  # a failure is never remembered as checked
        with pytest.raises(ResourceError, match=r"locale 'tt'.*'z'") as exc:
            fonts.check_locale(fs, {"one": "ab", "many": ["bz"]}, where)
        assert "U+007A" in str(exc.value)
    assert named == ["x", "x"]
