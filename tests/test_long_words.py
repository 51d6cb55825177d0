"""A word wider than its line or table cell is never cut silently: read back with poppler, no line
ends inside a word without a hyphen (tests/cutwords.py), a table's columns are sized so that their
longest words fit, and a word that still does not fit breaks at a hyphenation point with a hyphen
(leaflet.typeset.hyphenate) — never a number, a dose, a web address, an Arabic word."""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle

import leaflet
from leaflet.check.verify import verify
from leaflet.resources import theme
from leaflet.typeset import bidipara, shaping
from leaflet.typeset.fonts import fonts_for
from leaflet.typeset.hyphenate import Hyphenator
from leaflet.typeset.layout import Styles, fit_columns, markup

from . import pdfgeom
from .conftest import ROOT
from .cutwords import Source, find_cuts

SAMPLES = ROOT / "content" / "baclofen"
RX = ROOT / "examples" / "prescription.yaml"
BRAND = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"


def source_of(path: Path, *more: Path) -> Source:
    from leaflet.resources import locale_dirs, locale_file

    language = leaflet.load(path).leaflet.language
    return Source.files(path, locale_file(language, locale_dirs(path)), *more)


def test_russian_key_facts_on_a5_in_large_print_keep_their_words(tmp_path, has_poppler):
    """The personalised Russian leaflet with the brand, on A5 in large print: its key facts'
    labels printed "Характерис" / "тика", "Лекарствен" / "ные взаимо" / "действия" when the label
    column was a fixed third of the table; now the column is as wide as its longest word."""
    from .test_paper import personalised

    pdf = tmp_path / "ru.pdf"
    personalised(SAMPLES / "ru.yaml", pdf, "a5", "large-print", BRAND, RX)
    cuts, addresses = find_cuts(pdf, source_of(SAMPLES / "ru.yaml", RX, BRAND))
    assert cuts == [] and addresses == []
    printed = {w.text for page in pdfgeom.read_words(pdf) for w in page.words}
    for word in ("Характеристика", "Лекарственные", "взаимодействия", "беременности", "применение"):
        assert word in printed, word


@pytest.mark.parametrize(("language", "paper", "look"), [
    ("ru", "a5", "large-print"), ("de", "a5", "large-print"), ("de", "a5", "default"), ("de", "a4", "large-print"),
    ("fr", "a5", "large-print"), ("es", "a5", "large-print"), ("ar", "a5", "large-print"),
    ("ja", "a5", "large-print"),
])
def test_no_word_is_cut_without_a_hyphen(language, paper, look, tmp_path, has_poppler):
    """Every line of the sample ends at a space, after a hyphen, between CJK characters or at a
    web address's own break point (each of these cut words before: German's compounds on A5 and
    in large print, the French, Spanish and Russian key facts); and verify reads it back."""
    doc = leaflet.load(SAMPLES / f"{language}.yaml")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper=paper, theme=look))
    cuts, _ = find_cuts(pdf, source_of(SAMPLES / f"{language}.yaml"), rtl=language == "ar")
    assert cuts == []
    assert verify(doc, pdf.read_bytes()) == []


def test_verify_reads_a_hyphenated_word_and_still_rejects_a_dropped_or_swapped_one(tmp_path, has_poppler):
    """German on A5 in large print: "Neben-" / "wirkungen" and "Wechselwir-" / "kungen" (hyphens the
    text does not have) read back as the content's words; a content that drops or swaps a word
    of those labels does not match the PDF."""
    path = SAMPLES / "de.yaml"
    pdf = leaflet.build_bytes(leaflet.load(path), paper="a5", theme="large-print")
    (tmp_path / "de.pdf").write_bytes(pdf)
    printed = [w.text for page in pdfgeom.read_words(tmp_path / "de.pdf") for w in page.words]
    assert "Neben-" in printed and any(w.startswith("Wechselwir") and w.endswith("-") for w in printed), printed
    assert verify(leaflet.load(path), pdf) == []
    text = path.read_text(encoding="utf-8")
    for label, changed in [("Häufige Nebenwirkungen", "Häufige"), ("Häufige Nebenwirkungen", "Nebenwirkungen Häufige"),
                           ("Wechselwirkungen", "Wechselwirkung")]:
        assert text.count(f'label: "{label}"') == 1
        doc = leaflet.parse(text.replace(f'label: "{label}"', f'label: "{changed}"'), str(path))
        assert verify(doc, pdf) != [], changed


def test_a_hyphenated_header_row_repeated_over_pages_verifies(tmp_path, has_poppler):
    """A key-facts table whose words cannot all fit (its label header is wider than any label
    column could be) keeps its widths and hyphenates the header; the header row repeats on each
    page the table runs over, "Электроэнцефало-" / "графический" read back as the word."""
    rows = "\n".join(f'    - label: "Строка {n}"\n      value: "Значение строки {n} для проверки"' for n in range(40))
    source = f"""\
language: ru
medicine:
  name: Тестамол
  class: Тест
revision:
  date: "2026-01-02"
key_facts:
  header: ["Электроэнцефалографический", "Сведения"]
  rows:
{rows}
sections:
  - heading: Раздел
    blocks:
      - text: Абзац.
disclaimer: Спросите врача.
"""
    path = tmp_path / "ru.yaml"
    path.write_text(source, encoding="utf-8")
    doc = leaflet.load(path)
    pdf = tmp_path / "ru.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper="a5", theme="large-print"))
    pages = pdfgeom.read_words(pdf)
    heads = [w.text for page in pages for w in page.words if w.text.startswith("Электро")]
    assert len(pages) >= 3 and len(heads) >= 3 and all(h.endswith("-") for h in heads), heads
    assert find_cuts(pdf, source_of(path)) == ([], [])
    assert verify(doc, pdf.read_bytes()) == []


# -- the paragraph's line breaks ------------------------------------------------------------------

def lines(text: str, width: float, language: str = "de", every_word: bool = False, script: str = "Latn") -> list[str]:
    fonts = fonts_for(script)
    style = Styles(fonts, theme("default"), hyphenation=Hyphenator(language, every_word)).body
    p = bidipara.paragraph(markup(text, fonts), style, False)
    p.wrap(width, 10_000)
    if p.blPara.kind == 0:
        return [" ".join(str(w) for w in words) for _, words in p.blPara.lines]
    return ["".join(f.text for f in line.words).strip() for line in p.blPara.lines]


def test_a_word_wider_than_its_line_breaks_at_hyphenation_points_with_a_hyphen():
    import pyphen

    word = "Schwangerschaftskategorie"
    got = lines(word, 75)
    assert len(got) >= 2 and all(line.endswith("-") for line in got[:-1]), got
    assert "".join(line[:-1] for line in got[:-1]) + got[-1] == word
    points = {int(p) for p in pyphen.Pyphen(lang="de").positions(word)}
    ends = [len("".join(line[:-1] for line in got[: i + 1])) for i in range(len(got) - 1)]
    assert set(ends) <= points, (got, points)


def test_a_word_that_fits_a_line_of_its_own_moves_whole_and_is_never_hyphenated():
    assert lines("Häufige Nebenwirkungen", 110) == ["Häufige", "Nebenwirkungen"]
    assert lines("Основное применение", 80, "ru") == ["Основное", "применение"]


def test_a_word_moves_to_the_next_line_rather_than_leave_one_letter_before_its_hyphen():
    """ReportLab filled the line's rest with the word's head at any character: "Основное п" /
    "рименение". Now it breaks at a dictionary point that fits, or starts the next line."""
    for width in (62, 70, 80, 90):
        got = lines("Основное применение", width, "ru")
        for line in got:
            last = line.split()[-1]
            assert not last.endswith("-") or len(last) >= 3, got
        assert " ".join(got).replace("- ", "") == "Основное применение"


def test_without_a_dictionary_the_last_resort_is_a_character_with_a_hyphen():
    got = lines("Abcdefghijklmnopqrstuvwxyz", 50, language="")
    assert all(line.endswith("-") and len(line) >= 3 for line in got[:-1]), got
    assert len(got[-1]) >= 2
    assert "".join(line[:-1] for line in got[:-1]) + got[-1] == "Abcdefghijklmnopqrstuvwxyz"


@pytest.mark.parametrize("text", ["30000000000000000000", "B12Testamolretardcomprimés",
                                  "https://example.org/testamol/patient-information-leaflet-2026"])
def test_numbers_doses_and_addresses_never_get_a_hyphen(text):
    got = lines(text, 50)
    assert len(got) >= 2
    assert "".join(got) == text, got  # cut where they must be (an address at its own points), nothing added


@pytest.mark.parametrize("text", [" ".join(["Schwangerschaftskategorie"] * 6),
                                  "**Hinweis:** " + " ".join(["Schwangerschaftskategorie"] * 6)],
                         ids=["one-font", "several-fonts"])
def test_a_hyphenated_paragraph_split_over_two_pages_keeps_its_lines(text):
    """Split after any line, the two parts (wrapped again, as the next page does) print the lines
    the whole paragraph had: the word cut at the page break rejoins without its hyphen and breaks
    again where it did."""
    fonts = fonts_for("Latn")
    style = Styles(fonts, theme("default"), hyphenation=Hyphenator("de")).body

    def printed(part) -> list[str]:
        part.wrap(70, 10_000)
        if part.blPara.kind == 0:
            return [" ".join(str(w) for w in words) for _, words in part.blPara.lines]
        return ["".join(f.text for f in line.words).strip() for line in part.blPara.lines]

    whole = printed(bidipara.paragraph(markup(text, fonts), style, False))
    assert sum(line.endswith("-") for line in whole) >= 6, whole
    for n in range(2, len(whole) - 1):
        p = bidipara.paragraph(markup(text, fonts), style, False)
        p.wrap(70, 10_000)
        parts = p.split(70, n * style.leading + 0.1)
        assert len(parts) == 2
        assert printed(parts[0]) + printed(parts[1]) == whole, n


def test_arabic_never_gets_a_hyphen_and_a_cut_word_keeps_its_joining_forms():
    fonts = fonts_for("Arab")
    style = ParagraphStyle("ar", parent=Styles(fonts, theme("default")).body)
    word = "والمستحضرات" * 3
    p = bidipara.paragraph(markup(word, fonts), style, True)
    p.wrap(90, 10_000)
    found = p.blPara.lines
    assert len(found) >= 2
    assert "".join(p._src.text[line.start:line.end] for line in found) == word  # no hyphen added
    head = found[0]
    cut = head.end
    glyphs = shaping.shape(style.fontName, word, 0, cut, True)
    alone = shaping.shape(style.fontName, word[:cut], 0, cut, True)
    assert glyphs.codes != alone.codes  # (the letter before the cut joins on in the word)
    assert "".join(s.glyphs.codes for s in head.segs) == glyphs.codes


# -- the table's columns ----------------------------------------------------------------------------

def test_columns_keep_their_widths_when_their_words_fit():
    assert fit_columns([34.0, 66.0], [20.0, 30.0]) == [34.0, 66.0]


def test_a_column_too_narrow_for_its_longest_word_takes_the_room_from_the_others():
    assert fit_columns([34.0, 66.0], [40.0, 30.0]) == [40.0, 60.0]
    assert fit_columns([30.0, 30.0, 30.0], [45.0, 10.0, 25.0]) == pytest.approx([45.0, 30 - 15 * 20 / 25, 30 - 15 * 5 / 25])


def test_a_table_whose_words_cannot_all_fit_keeps_its_widths():
    """(Its longest words break at hyphenation points: widening one column for some of them would
    only take the room of the other's.)"""
    assert fit_columns([34.0, 66.0], [80.0, 40.0]) == [34.0, 66.0]


def test_a_latin_word_longer_than_a_japanese_line_breaks_with_a_hyphen_a_number_without(tmp_path, has_poppler):
    """In Chinese and Japanese lines break between characters, without hyphens; a Latin word of
    letters wider than the line (there is no space to break it at) gets one, a number never."""
    from .test_linebreak import LOCALES, cjk_leaflet

    word = "Pseudopseudohypoparathyroidismustestamolretardcomprimes"
    number = "3" * 60
    source = cjk_leaflet("ja", [f"これは{word}です。", f"番号は{number}です。"])
    path = tmp_path / "ja.yaml"
    path.write_text(source, encoding="utf-8")
    doc = leaflet.parse(source, str(path), locales=[LOCALES])
    pdf = tmp_path / "ja.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper="a5", theme="large-print"))
    printed = [w.text for page in pdfgeom.read_words(pdf) for w in page.words]
    heads = [w for w in printed if w.endswith("-")]
    assert heads and all(h[-3:-1].isalpha() for h in heads), printed
    assert "".join(w for w in printed if w.startswith("3") or w.endswith("3")).count("3") == 60
    assert not any(w.endswith("3-") for w in printed)
    cuts, _ = find_cuts(pdf, Source.of([source]))
    assert cuts == []
    assert verify(doc, pdf.read_bytes()) == []
