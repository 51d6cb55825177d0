"""Right-to-left leaflets: shaped Arabic, UAX #9 line order, the mirrored page, read-back.

Checked with independent readers: poppler (``pdftotext -bbox`` for positions, ``pdftoppm`` for
pixels) and pypdf, against python-bidi's own reordering (``get_display``) for the visual order and
fontTools for the width of unjoined letters."""
from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from bidi import get_display

import leaflet
from leaflet.check.verify import verify
from leaflet.resources import theme as load_theme
from leaflet.text.printed import printed_stream

from . import pdfgeom
from .conftest import ROOT, SAMPLE

FIXTURES = ROOT / "tests" / "fixtures" / "scripts"
LOCALES = FIXTURES / "locales"
RTL = [FIXTURES / "rtl-ar.yaml", FIXTURES / "rtl-he.yaml", ROOT / "content" / "baclofen" / "ar.yaml",
       ROOT / "content" / "baclofen" / "he.yaml"]
CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def load(path: Path) -> leaflet.Document:
    return leaflet.load(path, locales=[LOCALES])


def build(path: Path, tmp_path: Path, theme: str = "default") -> tuple[leaflet.Document, Path]:
    doc = load(path)
    pdf = tmp_path / f"{path.parent.name}-{path.stem}-{theme}.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, theme=theme))
    return doc, pdf


def bare(text: str) -> str:
    """Text without combining marks and directional controls."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(ch) and ch not in CONTROLS)


_LETTERS = re.compile(r"[\u05d0-\u05ea\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")


def rtl_words(text: str) -> list[str]:
    """The right-to-left words of a text (letters only: marks and punctuation dropped)."""
    return [w for w in _LETTERS.findall(bare(text)) if len(w) > 1]


def area(pdf_page: pdfgeom.Page, theme: str = "default") -> pdfgeom.Geometry:
    return pdfgeom.Geometry.from_theme(load_theme(theme), pdf_page.width, pdf_page.height)


def row_with(page: pdfgeom.Page, visual: str) -> list[pdfgeom.Word]:
    """The row of words holding the word ``visual`` (as pdftotext -bbox spells it: visual order)."""
    for r in pdfgeom.rows(page.words):
        if any(bare(w.text) == visual for w in r):
            return sorted(r, key=lambda w: w.x0)
    raise AssertionError(f"{visual!r} not on the page")


_BUILD = """
import hashlib, sys
import reportlab.pdfbase.ttfonts as t
if sys.argv[1] == "without": t.uharfbuzz = None  # what ReportLab sees when uharfbuzz is not installed
import leaflet
doc = leaflet.load(sys.argv[2], locales=sys.argv[3:])
print(hashlib.sha256(leaflet.build_bytes(doc)).hexdigest())
"""


@pytest.mark.parametrize("content", [SAMPLE, FIXTURES / "rtl-ar.yaml"], ids=["en", "ar"])
def test_output_does_not_depend_on_reportlab_seeing_harfbuzz_or_on_earlier_builds(content):
    """ReportLab switches its own shaping on where it can import uharfbuzz; leaflet's fonts never
    let it: the same bytes whether ReportLab sees HarfBuzz or not (shaping is leaflet's own), and
    whichever leaflet the process built before."""
    digests = {subprocess.run([sys.executable, "-c", _BUILD, how, str(content), str(LOCALES)], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
               for how in ("with", "without")}
    assert len(digests) == 1, digests
    for first in (SAMPLE, FIXTURES / "rtl-ar.yaml", FIXTURES / "rtl-he.yaml"):
        leaflet.build_bytes(load(first))
        assert digests == {hashlib.sha256(leaflet.build_bytes(load(content))).hexdigest()}


@pytest.mark.parametrize("source", RTL, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_rtl_leaflets_verify_and_read_back_in_logical_order(source, tmp_path, has_poppler):
    """leaflet verify passes; pypdf and pdftotext read every right-to-left word the leaflet prints in
    logical order (a word drawn or read the wrong way round would not be found), with the base
    letters: no private-use codes, no presentation forms."""
    from pypdf import PdfReader

    doc, pdf = build(source, tmp_path)
    assert verify(doc, pdf.read_bytes()) == []
    pypdf_text = bare("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages))
    poppler_text = bare(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout)
    for text in (pypdf_text, poppler_text):
        assert not any(0xE000 <= ord(ch) <= 0xF8FF or ord(ch) >= 0xF0000 for ch in text)  # private use
        assert not any(0xFB1D <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF for ch in text)  # presentation
        assert "\ufffd" not in text and "\x00" not in text
    strings = leaflet.resources.locale_for(doc.leaflet.language, [LOCALES]).strings
    expected = [w for item in printed_stream(doc.leaflet, strings) for w in rtl_words(item.text)]
    assert len(expected) > 20
    # (pypdf glues some neighbours, table cells, into one word: a word is looked for as a part; and
    # its direction guesses may move a letter that carries a mark at a line's end, "مساءً.": it may
    # miss one word in a hundred, where a reversed or jumbled read-back would miss them all)
    missing = [w for w in expected if w not in pypdf_text]
    assert len(missing) <= len(expected) // 100, f"pypdf does not read {missing[:5]}"
    missing = [w for w in expected if w not in poppler_text]
    assert not missing, f"pdftotext does not read {missing[:5]}"
    assert PdfReader(io.BytesIO(pdf.read_bytes())).trailer["/Root"]["/Lang"] == doc.leaflet.language


@pytest.mark.parametrize(("source", "line"), [
    ("rtl-ar.yaml", "تستامول (Testamol) دواء خيالي للاختبار فقط. الجرعة المعتادة 10 mg مرتين في اليوم."),
    ("rtl-ar.yaml", "اكتب الجرعة كما هي: \u206610 mg\u2069 قبل النوم، ولا تتجاوز \u206640 mg\u2069 في اليوم."),
    ("rtl-he.yaml", "טסטמול (Testamol) היא תרופה דמיונית לבדיקה בלבד. המינון הרגיל הוא 10 mg פעמיים ביום."),
    ("rtl-he.yaml", "רשמו את המינון כך: \u206610 mg\u2069 לפני השינה, ולא יותר מ־\u206640 mg\u2069 ביום."),
])
def test_words_run_in_the_order_uax9_gives(source, line, tmp_path, has_poppler):
    """A line's words, left to right on the page (pdftotext -bbox), are those of python-bidi's
    visual order of the line: right to left, with '10 mg' reading 'mg 10' unless isolated."""
    _, pdf = build(FIXTURES / source, tmp_path)
    page = pdfgeom.read_words(pdf)[0]
    visual = [bare(w) for w in get_display(line, base_dir="R").split()]
    # the row holding most of the line's words (poppler may cut a word where a bracket of another
    # direction meets it: the row is compared as one string, left to right)
    row = max((sorted(r, key=lambda w: w.x0) for r in pdfgeom.rows(page.words)),
              key=lambda r: len({bare(w.text) for w in r} & set(visual)))
    assert "".join(bare(w.text) for w in row) == "".join(visual)
    geometry = area(page)
    assert abs(row[-1].x1 - geometry.right) < 1.0  # right-aligned
    assert row[0].x0 > geometry.left + 20


def test_the_uax9_check_sees_a_line_in_logical_order(tmp_path, has_poppler):
    """The order check itself: the same line drawn left to right would not pass."""
    line = "تستامول (Testamol) دواء خيالي للاختبار فقط."
    assert get_display(line, base_dir="R").split() != line.split()


@pytest.mark.parametrize("source", ["rtl-ar.yaml", "rtl-he.yaml"])
def test_bullets_numbers_and_table_columns_are_mirrored(source, tmp_path, has_poppler):
    doc, pdf = build(FIXTURES / source, tmp_path)
    page = pdfgeom.read_words(pdf)[0]
    geometry = area(page)
    body = [w for w in page.words if w.y1 < page.height - 110]  # not the footer's "Page 1 of 2"
    bullets = [w for w in body if w.text == "•"]
    numbers = [w for w in body if w.text in ("1", "2") and any(
        v.text == "." and abs(v.y0 - w.y0) < 2 and 0 <= w.x0 - v.x1 < 1 for v in body)]  # "1." reads ".1"
    assert bullets and len(numbers) >= 2
    for mark in bullets + numbers:  # at the right end of its line (of its column, in a list in columns)
        row = [w for w in body if abs(w.y0 - mark.y0) < 2 and w is not mark]
        left = [w for w in row if w.x1 <= mark.x0 + 0.5]
        right = [w for w in row if w.x0 >= mark.x1 - 0.5 and w.text != "."]
        assert left and mark.x0 - max(w.x1 for w in left) < 15, mark  # its text just left of it
        assert not right or min(w.x0 for w in right) - mark.x1 > 10, mark  # nothing of its item right of it
    top = [m for m in bullets + numbers if not any(abs(w.y0 - m.y0) < 2 and w.x0 > m.x1 for w in body)]
    assert top and all(m.x1 > geometry.right - 12 for m in top)  # (inside a callout: its padding)
    table = next(b.table for s in doc.leaflet.sections for b in s.blocks if b.table)
    heads = []
    for text in table.header:
        visual = bare(text)[::-1]
        heads.append(next(w for w in page.words if bare(w.text) == visual))
    assert [h.x0 for h in heads] == sorted((h.x0 for h in heads), reverse=True)  # column 1 on the right
    assert heads[0].x1 > geometry.right - 10


def test_list_columns_read_from_the_right(tmp_path, has_poppler):
    _, pdf = build(FIXTURES / "rtl-ar.yaml", tmp_path)
    page = pdfgeom.read_words(pdf)[0]
    first = next(w for w in page.words if bare(w.text) == "وصفة"[::-1])  # item 1: column 1
    third = next(w for w in page.words if bare(w.text) == "كوب"[::-1] and abs(w.y0 - first.y0) < 2)  # item 3
    assert first.x0 > third.x1


def band_pixels(pdf: Path, page: pdfgeom.Page, word: pdfgeom.Word, tmp_path: Path) -> tuple[int, int]:
    """Light pixels (the icon, the band's text) on a callout band's row left of its text and right of
    it: (left, right)."""
    from PIL import Image

    out = tmp_path / "band"
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", str(page.number), "-l", str(page.number),
                    "-singlefile", str(pdf), str(out)], check=True)
    img = Image.open(f"{out}.pgm").convert("L")
    row = [w for w in page.words if abs(w.y0 - word.y0) < 2]
    x0, x1 = min(w.x0 for w in row), max(w.x1 for w in row)
    geometry = area(page)
    y0, y1 = round(word.y0 + 2), round(word.y1 - 2)

    def light(a: float, b: float) -> int:
        return sum(v > 160 for v in img.crop((round(a), y0, round(b), y1)).tobytes())

    return light(geometry.left + 2, x0 - 2), light(x1 + 2, geometry.right - 2)


def test_callout_icon_and_band_are_mirrored(tmp_path, has_poppler):
    """The serious band's warning icon (light shape on the dark band) is right of the band's text in
    a right-to-left leaflet, left of it in a left-to-right one."""
    _, pdf = build(FIXTURES / "rtl-ar.yaml", tmp_path)
    pages = pdfgeom.read_words(pdf)
    page, word = next((p, w) for p in pages for w in p.words if bare(w.text) == "خطيرة"[::-1])
    left, right = band_pixels(pdf, page, word, tmp_path)
    assert right > 15 and left == 0, (left, right)
    doc = leaflet.load(SAMPLE)
    pdf_en = tmp_path / "en.pdf"
    pdf_en.write_bytes(leaflet.build_bytes(doc))
    pages = pdfgeom.read_words(pdf_en)
    page, word = next((p, w) for p in pages for w in p.words if w.text == "SERIOUS")
    left, right = band_pixels(pdf_en, page, word, tmp_path)
    assert left > 15 and right == 0, (left, right)


def test_arabic_letters_are_joined_on_the_page(tmp_path, has_poppler):
    """A joined word is narrower than its letters in their isolated forms (fontTools: the widths
    the font's character map gives), as pdftotext -bbox measures it."""
    from fontTools.ttLib import TTFont

    _, pdf = build(FIXTURES / "rtl-ar.yaml", tmp_path)
    font = TTFont(ROOT / "fonts" / "NotoNaskhArabic-Regular.ttf")
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    page = pdfgeom.read_words(pdf)[0]
    size = load_theme("default")["body"]["size"]
    checked = 0
    for word in ("للاختبار", "المعتادة", "خيالي", "مرتين"):
        w = next(w for w in page.words if bare(w.text) == word[::-1])
        isolated = sum(hmtx[cmap[ord(ch)]][0] for ch in word) * size / upem
        assert w.x1 - w.x0 < 0.95 * isolated, (word, w.x1 - w.x0, isolated)
        checked += 1
    assert checked == 4


@pytest.mark.parametrize("theme", ["default", "large-print"])
@pytest.mark.parametrize("source", RTL, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_rtl_pages_are_full_and_text_stays_in_the_text_area(source, theme, tmp_path, has_poppler):
    """The page-break rules hold for right-to-left text: no page but the last a quarter empty, no
    text outside the text area or over other text; a box that goes on over a page says so."""
    doc, pdf = build(source, tmp_path, theme)
    pages = pdfgeom.read_words(pdf)
    empty = []
    for page in pages:
        geometry = area(page, theme)
        for w in page.words:
            assert geometry.left - 0.6 <= w.x0 and w.x1 <= geometry.right + 0.6, (page.number, w)
        assert pdfgeom.overlaps(page.words) == []
        rows = pdfgeom.rows(page.words)
        rule = min(w.y0 for r in rows[-3:] for w in r)  # the footer's rows: disclaimer, revision line
        page.body = [w for w in page.words if w.y1 < rule - 4]
        if page.number > 1:
            page.header = [w for w in rows[0]]
            page.body = [w for w in page.body if w not in page.header]
        empty.append(round(pdfgeom.empty_fraction(page, geometry), 2))
    if len(pages) > 1:
        assert all(e <= 0.3 for e in empty[:-1]), empty
    assert verify(doc, pdf.read_bytes()) == []


def test_a_callout_that_goes_on_over_a_page_says_continued_in_hebrew(tmp_path, has_poppler):
    doc, pdf = build(ROOT / "content" / "baclofen" / "he.yaml", tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "(המשך)" in bare(text) or ")המשך(" in bare(text)
    assert verify(doc, pdf.read_bytes()) == []


def test_bidi_marks_in_a_left_to_right_paragraph_print_nothing(tmp_path, has_poppler):
    """Marks and isolates (as pseudo-localisation adds them to a left-to-right leaflet) steer the
    order and are never drawn: no glyph, no box, no gap; the text reads back without them."""
    from pypdf import PdfReader
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from leaflet.typeset import bidipara
    from leaflet.typeset.fonts import fonts_for

    fonts = fonts_for("Latn")
    marked = "Take \u200e10 mg\u200f twice a day \u2066(Testamol)\u2069 \u061c."
    assert fonts.missing(marked) == []  # the glyph check does not ask for them
    style = ParagraphStyle("p", fontName=fonts.regular, fontSize=10.5, leading=14.5)
    para = bidipara.paragraph(marked, style, rtl=False)
    assert isinstance(para, bidipara.BidiParagraph)  # not ReportLab's, which would draw them
    plain = bidipara.paragraph(bare(marked), style, rtl=False)
    assert isinstance(plain, Paragraph) and not isinstance(plain, bidipara.BidiParagraph)  # ReportLab's lines
    pdf = tmp_path / "marks.pdf"
    SimpleDocTemplate(str(pdf)).build([para, plain])
    text = PdfReader(pdf).pages[0].extract_text()
    assert not any(ch in text for ch in CONTROLS) and "\ufffd" not in text
    assert text.count("Take 10 mg twice a day (Testamol) .") == 2, text
    words = [w.text for w in pdfgeom.read_words(pdf)[0].words]
    assert words[:len(words) // 2] == words[len(words) // 2:]  # drawn exactly as without the marks


# A right-to-left leaflet as the new-user trial wrote them: a dose in brackets after a text that
# starts with a dose (pseudo-localised, its isolate resolves left to right: UAX #9 then draws
# '(' apart from the word after it), and a section reference in quotes before a full stop
ISOLATES_HE = """\
language: he
medicine:
  name: טסטמול
revision:
  date: "2026-11-23"
intro:
  - text: "10 mg פעמיים ביום (לכל היותר 40 mg ביום)"
  - text: "אל תיטלו יותר מ־2 טבליות (40 mg). ראו [[about]]."
key_facts:
  rows:
    - label: מינון מקובל
      value: "10 mg פעמיים ביום (לכל היותר 40 mg ביום)"
sections:
  - id: about
    heading: מהי טסטמול?
    blocks:
      - text: "טסטמול היא טבלייה (40 mg) לבנה. ראו גם [[about]]."
"""


def isolates_doc(tmp_path: Path) -> leaflet.Document:
    source = tmp_path / "he.yaml"
    source.write_text(ISOLATES_HE, encoding="utf-8")
    return load(source)


@pytest.mark.parametrize("source", ["rtl-ar.yaml", "rtl-he.yaml", "isolates"])
def test_pseudo_rtl_leaflets_verify(source, tmp_path):
    """verify --pseudo reads a right-to-left pseudo leaflet back: text that follows on in reading
    order but is drawn apart (other text of the line between, as UAX #9 orders it next to an
    isolate) is read without a space that is not in the text ('»' then '.', '(' then a word)."""
    doc = isolates_doc(tmp_path) if source == "isolates" else load(FIXTURES / source)
    fake = leaflet.pseudo(doc)
    assert verify(fake, leaflet.build_bytes(fake)) == []
    assert verify(doc, leaflet.build_bytes(doc)) == []


def test_pseudo_rtl_line_is_drawn_in_the_order_uax9_gives(tmp_path, has_poppler):
    """The drawing beside an isolate is right: the pseudo line's words, left to right on the page
    (pdftotext -bbox), are python-bidi's visual order of the pseudo text, isolates and marks
    included (its first-strong isolate resolves left to right: it starts with '10 mg'). So the
    read-back, not the drawing, had been at fault."""
    fake = leaflet.pseudo(isolates_doc(tmp_path))
    line = fake.leaflet.intro[0].text
    assert line.startswith("\u206810 mg\u200e")
    pdf = tmp_path / "he-pseudo.pdf"
    pdf.write_bytes(leaflet.build_bytes(fake))
    page = pdfgeom.read_words(pdf)[0]
    visual = [bare(w) for w in get_display(line, base_dir="R").split()]
    row = max((sorted(r, key=lambda w: w.x0) for r in pdfgeom.rows(page.words)),
              key=lambda r: len({bare(w.text) for w in r} & set(visual)))
    assert "".join(bare(w.text) for w in row) == "".join(visual)
    assert "".join(visual) != "".join(bare(w) for w in get_display(bare(line), base_dir="R").split())


def tall_rows(lang: str, filler: int) -> str:
    """A leaflet whose table, after ``filler`` one-line paragraphs, has rows with a tall second cell."""
    words = {"he": ("טקסט ארוך של תופעות לוואי", "שורה", "משפט"), "ar": ("نص طويل عن الآثار الجانبية", "صف", "جملة"),
             "en": ("A long text about side effects", "row", "sentence")}[lang]
    fill = "".join(f"      - text: {words[0]} {i}\n" for i in range(filler))
    rows = "".join(f'            - ["{words_of(lang)} {r}", "'
                   + " ".join(f"{words[0]} {words[1]} {r} {words[2]} {k}." for k in range(30)) + '"]\n'
                   for r in range(3))
    return (f"language: {lang}\nmedicine: {{name: {words[0]}}}\nrevision: {{date: \"2026-11-23\"}}\nsections:\n"
            f"  - heading: {words[0]}\n    blocks:\n{fill}      - table:\n"
            f"          header: [{words[0]}, {words[0]}]\n          rows:\n{rows}")


@pytest.mark.parametrize(("lang", "fillers"), [("he", range(14, 24, 1)), ("ar", range(15, 25, 2)),
                                               ("en", range(16, 24, 2))])
def test_tall_rtl_table_rows_split_inside_their_cells_like_ltr_rows(lang, fillers, tmp_path, has_poppler):
    """A right-to-left table row taller than what is left of the page splits inside its cells, as
    a left-to-right one does (en: the same leaflet left to right): the page is filled (the row
    used to move on whole, leaving 40% of the page empty, or its first part ran into the footer;
    a page starting with the rest of a split row was left 60% empty), the columns stay mirrored,
    no text overlaps or leaves the text area, and verify reads it back."""
    split = 0
    for filler in fillers:
        doc = leaflet.parse(tall_rows(lang, filler), f"{lang}-{filler}.yaml")
        pdf = tmp_path / f"{lang}-{filler}.pdf"
        pdf.write_bytes(leaflet.build_bytes(doc))
        assert verify(doc, pdf.read_bytes()) == [], filler
        pages = pdfgeom.read_words(pdf)
        empty = []
        for page in pages:
            geometry = area(page)
            assert pdfgeom.overlaps(page.words) == [], (filler, page.number)
            rows = pdfgeom.rows(page.words)
            rule = min(w.y0 for w in rows[-1])  # the footer's row: revision line and page label
            page.body = [w for w in page.words if w.y1 < rule - 4]
            assert len(page.body) + len(rows[-1]) == len(page.words), (filler, page.number)  # nothing in the footer
            for w in page.body:
                assert geometry.left - 0.6 <= w.x0 and w.x1 <= geometry.right + 0.6, (filler, page.number, w)
            if page.number > 1:
                page.header = list(rows[0])
                page.body = [w for w in page.body if w not in page.header]
            empty.append(round(pdfgeom.empty_fraction(page, geometry), 2))
        assert all(e <= 0.25 for e in empty[:-1]), (filler, empty)
        label = bare(words_of(lang)) if lang == "en" else bare(words_of(lang))[::-1]  # (as poppler spells it)
        labels = [w for p in pages for w in p.words if bare(w.text) == label]
        assert len(labels) == 3
        for w in labels:  # each row's first cell is the right column (the left one left to right)
            if lang == "en":
                assert w.x0 < area(pages[0]).left + 10, (filler, w)
            else:
                assert w.x1 > area(pages[0]).right - 10, (filler, w)
        split += len([w for w in pages[0].words if bare(w.text) == label]) == 1 and len(pages) == 3
    assert split, "the sweep never split a row on page 1: it tests nothing"


def words_of(lang: str) -> str:
    return {"he": "ראשון", "ar": "أول", "en": "first"}[lang]
