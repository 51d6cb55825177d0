"""Page geometry, read back with poppler (``pdftotext -bbox``, ``pdftoppm``), not with leaflet's reader.

- pages are full: no page but the last is more than a quarter empty (the sample and two leaflets
  with the structure of real ones, in A4, Letter and large print);
- no text overlaps other text, nothing runs outside the text area, into the footer or the header;
- callout icons, box borders and table grids are drawn (pixels of the rendered page);
- where pages break: tables never leave a single row alone, boxes keep two items each side,
  headings and lead-ins stay with what they introduce, addresses stay whole.
"""
from __future__ import annotations

import re
import subprocess
import textwrap
from itertools import pairwise
from pathlib import Path

import pytest

import leaflet
from leaflet.check.verify import verify

from . import pdfgeom
from .conftest import MINIMAL, ROOT, SAMPLE

FIXTURES = ROOT / "tests" / "fixtures"
LEAFLETS = [SAMPLE, FIXTURES / "eu-veltorin.yaml", FIXTURES / "us-plexadrin.yaml"]
LOOKS = [("a4", "default"), ("letter", "default"), ("a4", "large-print")]
MAX_EMPTY = 0.25

pytestmark = pytest.mark.usefixtures("has_poppler")


def build(doc: leaflet.Document, tmp_path: Path, paper: str = "a4", theme: str = "default",
          name: str = "out") -> Path:
    pdf = tmp_path / f"{name}-{paper}-{theme}.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper=paper, theme=theme))
    return pdf


analyse = pdfgeom.analyse


def body_rows(page: pdfgeom.Page) -> list[str]:
    return [" ".join(w.text for w in sorted(r, key=lambda w: w.x0)) for r in pdfgeom.rows(page.body)]


@pytest.mark.parametrize(("paper", "theme"), LOOKS)
@pytest.mark.parametrize("source", LEAFLETS, ids=lambda p: p.stem)
def test_pages_are_full_and_text_never_collides(source, paper, theme, tmp_path):
    doc = leaflet.load(source)
    pdf = build(doc, tmp_path, paper, theme)
    pages, problems, area = analyse(doc, pdf, theme)
    assert problems == []
    assert len(pages) >= 2
    empty = [round(pdfgeom.empty_fraction(p, area), 2) for p in pages]
    assert all(e <= MAX_EMPTY for e in empty[:-1]), f"share of each page left empty: {empty}"
    assert verify(doc, pdf.read_bytes()) == []


def test_the_geometry_check_sees_text_in_the_footer(tmp_path):
    """The checker itself: a body word on a footer row, or overlapping words, are reported."""
    page = pdfgeom.Page(1, 600, 800, [
        pdfgeom.Word(50, 100, 90, 114, "Body"),
        pdfgeom.Word(60, 104, 100, 118, "Clash"),
        pdfgeom.Word(50, 760, 90, 772, "Ask"), pdfgeom.Word(95, 760, 130, 772, "intruder"),
    ])
    pdfgeom.split_furniture(page, [], ["Ask"])
    problems = pdfgeom.check_page(page, pdfgeom.Geometry(40, 560, 40, 790), ["Ask"], [])
    assert any("overlaps" in p for p in problems)
    assert any("footer rows" in p for p in problems)



def test_the_page_analysis_sees_text_outside_the_area_of_a_real_pdf(tmp_path):
    """The whole analysis (poppler's words, the furniture split, the checker) on a real PDF: the
    large-print sample measured against the default theme's margins runs out of its text area."""
    doc = leaflet.load(SAMPLE)
    pdf = build(doc, tmp_path, theme="large-print")
    assert analyse(doc, pdf, "large-print")[1] == []
    assert any("outside" in p or "footer" in p for p in analyse(doc, pdf, "default")[1])

# --- drawings: pixels of the rendered page -------------------------------------------------

def gray_page(pdf: Path, page: int, tmp_path: Path, dpi: int = 144):
    from PIL import Image

    out = tmp_path / f"px-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(out)], check=True)  # PGM: writing PNG takes ten times longer
    return Image.open(f"{out}.pgm").convert("L"), dpi / 72


def find(pages: list[pdfgeom.Page], text: str) -> tuple[pdfgeom.Page, pdfgeom.Word]:
    for page in pages:
        for w in page.words:
            if w.text == text:
                return page, w
    raise AssertionError(f"{text!r} not found")


def region(img, scale: float, x0: float, y0: float, x1: float, y1: float) -> list[int]:
    box = (round(x0 * scale), round(y0 * scale), round(x1 * scale), round(y1 * scale))
    return list(img.crop(box).tobytes())  # mode L: one byte a pixel


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("draw")
    doc = leaflet.load(SAMPLE)
    pdf = build(doc, tmp)
    pages, problems, area = analyse(doc, pdf, "default")
    assert problems == []
    return pdf, pages, area, tmp


@pytest.mark.parametrize("label", ["COMMON", "SERIOUS"])
def test_callout_icons_are_drawn(sample_pages, label):
    """Left of the band's label there is an icon: the band's colour and the icon's, side by side."""
    pdf, pages, _, tmp = sample_pages
    page, word = find(pages, label)
    img, k = gray_page(pdf, page.number, tmp)
    pixels = region(img, k, word.x0 - 15, word.y0 + 2, word.x0 - 3, word.y1 - 2)
    dark, light = sum(p < 90 for p in pixels), sum(p > 170 for p in pixels)
    assert dark > len(pixels) * 0.1 and light > len(pixels) * 0.1, (dark, light, len(pixels))


def test_callout_icons_grow_with_the_band_text(tmp_path):
    """In large print the icon is as tall, next to the band's label, as in the default theme."""
    doc = leaflet.load(SAMPLE)
    ratios = []
    for theme in ("default", "large-print"):
        pdf = build(doc, tmp_path, theme=theme)
        pages, _, area = analyse(doc, pdf, theme)
        page, word = find(pages, "SERIOUS")
        img, k = gray_page(pdf, page.number, tmp_path)
        h = word.y1 - word.y0
        light = []
        for y in range(round((word.y0 - h) * k), round((word.y1 + h) * k)):
            row = region(img, k, area.left + 2, y / k, word.x0 - 2, y / k + 1 / k)
            if row[0] < 90 and row[-1] < 90 and any(p > 170 for p in row):  # on the band: the icon
                light.append(y)
        runs: list[list[int]] = []  # the icon: the longest run of such rows
        for y in light:
            if runs and y == runs[-1][-1] + 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        ratios.append(max(len(r) for r in runs) / k / h)
    assert abs(ratios[1] - ratios[0]) < 0.15 * ratios[0], ratios


@pytest.mark.parametrize("label", ["COMMON", "SERIOUS"])
def test_callout_borders_are_drawn(sample_pages, label):
    """Down both sides of a callout, under its band, runs a dark border."""
    pdf, pages, area, tmp = sample_pages
    page, word = find(pages, label)
    img, k = gray_page(pdf, page.number, tmp)
    top, bottom = word.y1 + 8, word.y1 + 40  # inside the box, under the band
    for x0, x1 in ((area.left - 0.5, area.left + 1.5), (area.right - 1.5, area.right + 0.5)):
        for y in range(round(top * k), round(bottom * k)):
            row = region(img, k, x0, y / k, x1, y / k + 1 / k)
            assert min(row) < 130, (label, x0, y / k, row)


def test_table_grid_is_drawn(sample_pages):
    """Between the key-facts table's columns and between its rows there are grid lines."""
    pdf, pages, _, tmp = sample_pages
    page, klass = find(pages, "Class")  # the table's row "Drug Class | Muscle relaxant"
    drug = next(w for w in page.words if w.text == "Drug" and abs(w.y0 - klass.y0) < 2)
    relaxant = next(w for w in page.words if w.text == "relaxant" and abs(w.y0 - drug.y0) < 2)
    muscle = next(w for w in page.words if w.text == "Muscle" and abs(w.y0 - drug.y0) < 2)
    primary = next(w for w in page.words if w.text == "Primary" and w.y0 > drug.y1)
    img, k = gray_page(pdf, page.number, tmp)
    # a vertical line between the columns, all the way down the row
    for y in range(round((drug.y0 + 2) * k), round((drug.y1 - 2) * k)):
        row = region(img, k, klass.x1 + 2, y / k, muscle.x0 - 1, y / k + 1 / k)
        assert min(row) < 200, ("no column line", y / k)
    # a horizontal line between two rows, under both columns
    for x in (drug.x0 + 5, relaxant.x1 + 20):
        column = region(img, k, x, drug.y1 - 1, x + 1 / k, primary.y0 + 1)
        assert min(column) < 200, ("no row line", x)


# --- where pages break ---------------------------------------------------------------------

def leaflet_with(blocks: str, filler: int) -> leaflet.Document:
    """A leaflet whose test blocks start ``filler`` lines down the second page's worth of text."""
    fill = "".join(f"      - text: Filler line number {i} of the text that comes first.\n" for i in range(filler))
    src = MINIMAL.replace("      - text: A paragraph.\n", fill + textwrap.indent(textwrap.dedent(blocks), "      "))
    return leaflet.parse(src, "sweep.yaml")


def sweep(blocks: str, tmp_path: Path, start: int = 20, stop: int = 48, theme: str = "default",
          empty: list[list[float]] | None = None):
    """Build the blocks at every position down a page; yield the pages' body rows of each build
    (and append the share of each page left empty to ``empty``)."""
    for filler in range(start, stop):
        doc = leaflet_with(blocks, filler)
        pdf = build(doc, tmp_path, theme=theme, name=f"sweep{filler}")
        pages, problems, area = analyse(doc, pdf, theme)
        assert problems == [], filler
        if empty is not None:
            empty.append([round(pdfgeom.empty_fraction(p, area), 2) for p in pages])
        yield filler, [body_rows(p) for p in pages]


def assert_full(empty: list[list[float]]) -> None:
    """No page but the last of any build is more than a quarter empty."""
    for n, shares in enumerate(empty):
        assert all(e <= MAX_EMPTY for e in shares[:-1]), (n, shares)


def count(rows: list[str], pattern: str) -> int:
    return sum(1 for r in rows if re.search(pattern, r))


def test_a_table_never_leaves_one_row_alone(tmp_path):
    rows = "".join(f"        - [Row {i:02d} first cell, Row {i:02d} second cell]\n" for i in range(6))
    table = f"- table:\n    header: [First, Second]\n    rows:\n{rows}"
    broke = 0
    for filler, pages in sweep(table, tmp_path):
        counts = [count(p, r"^Row \d\d first") for p in pages]
        on = [c for c in counts if c]
        broke += len(on) > 1
        assert sum(on) == 6 and all(c >= 2 for c in on), (filler, counts)
    assert broke, "the sweep never split the table: it tests nothing"


def test_a_box_splits_with_two_items_each_side_and_says_continued(tmp_path):
    items = "".join(f"        - Callout item number {i:02d}\n" for i in range(8))
    box = ("- side_effects:\n    severity: serious\n    title: Get help now\n"
           "    action: \"Call a doctor straight away if you have:\"\n" f"    items:\n{items}")
    broke = 0
    for filler, pages in sweep(box, tmp_path, 14, 44):
        counts = [count(p, r"^• Callout item number") for p in pages]
        on = [c for c in counts if c]
        assert sum(on) == 8 and all(c >= 2 for c in on), (filler, counts)
        for p in pages:  # the lead-in never ends a page
            assert not p[-1].startswith("Call a doctor"), filler
        if len(on) > 1:
            broke += 1
            later = next(p for p, c in zip(pages[1:], counts[1:]) if c)
            assert any("(continued)" in r for r in later), filler
    assert broke, "the sweep never split the box: it tests nothing"


ACTION = "Stop taking Zetamol and phone your doctor at once if you notice any of these effects, even if they seem mild."
CALLOUT_PARTS = f"""\
- side_effects:
    severity: serious
    content:
      - action: {ACTION}
      - text: "Uncommon (may affect up to 1 in 100 people):"
      - items: [a fictional feeling of floating above the ground.]
      - text: "Rare (may affect up to 1 in 1,000 people):"
      - items: [fictional blue patches on the fingernails.]
      - text: "Not known (how often cannot be estimated from the data):"
      - items:
          - "signs of a fictional infection such as a sudden fever, a sore throat or sore gums. In rare cases
            Zetamol changes how the fictional blood cells are made, so that some people fight infections
            less well for a while after they stop."
          - a fictional fit.
"""


@pytest.mark.parametrize(("theme", "start", "stop"), [("default", 14, 44), ("large-print", 4, 30)])
def test_a_callout_never_breaks_after_its_action_or_a_lead_in(theme, start, stop, tmp_path):
    """A serious callout of lead-ins and short lists breaks between them or inside its long
    item, never right after the action or a colon, and never leaves a page a quarter empty."""
    empty: list[list[float]] = []
    broke = 0
    for filler, pages in sweep(CALLOUT_PARTS, tmp_path, start, stop, theme, empty):
        for p in pages[:-1]:
            assert not p[-1].endswith(":"), (filler, p[-3:])
            assert not ACTION.endswith(p[-1]), (filler, p[-3:])
        broke += sum(any("(continued)" in r for r in p) for p in pages)
    assert broke, "the sweep never split the callout: it tests nothing"
    assert_full(empty)


def test_a_sub_list_in_a_callout_keeps_two_items_each_side(tmp_path):
    subs = "".join(f"          - sub-sign number {i}\n" for i in range(4))
    box = ("- side_effects:\n    severity: serious\n    action: \"Get help at once if you have:\"\n    items:\n"
           "      - first made-up reaction, which can happen to anyone at any time of day\n"
           "      - text: \"second made-up reaction; its signs are:\"\n        items:\n" + subs +
           "      - third made-up reaction\n      - fourth made-up reaction\n")
    broke = 0
    for filler, pages in sweep(box, tmp_path, 14, 44):
        on = [c for c in (count(p, r"^– sub-sign number") for p in pages) if c]
        assert sum(on) == 4 and all(c >= 2 for c in on), (filler, on)
        for p in pages[:-1]:
            assert not p[-1].endswith(":"), (filler, p[-3:])
        broke += len(on) > 1
    assert broke, "the sweep never split the sub-list: it tests nothing"


NESTED = """\
- bullets:
    - One made-up ingredient of the tablet is listed here.
    - text: "The other made-up ingredients are:"
      items:
        - "Tablet core: made-up sugar, made-up starch, made-up chalk, another made-up binder of a
          low grade, a made-up lubricant and a made-up colour used only in this test."
        - "Tablet coating: made-up film, made-up softener, made-up white, made-up yellow, made-up
          red and made-up black colours."
"""


def test_a_list_item_ending_in_a_colon_travels_with_its_sub_items(tmp_path):
    empty: list[list[float]] = []
    for filler, pages in sweep(NESTED, tmp_path, 20, 48, empty=empty):
        for p in pages[:-1]:
            assert not p[-1].endswith(":"), (filler, p[-3:])
    assert_full(empty)


LONG_FIRST = ("- text: \"Take care if you take Zetamol with:\"\n- bullets:\n    - \"other made-up medicines such as "
              + ", ".join(f"made-up medicine number {i} (for a made-up illness)" for i in range(16))
              + ", and a made-up herbal remedy.\"\n    - a made-up medicine for the heart.\n")


@pytest.mark.parametrize("theme", ["default", "large-print"])
def test_a_lead_in_and_a_long_first_item_split_inside_the_item_rather_than_leave_a_gap(theme, tmp_path):
    """The lead-in and the start of a long first item stay on the page (two lines or more of the
    item on each side), rather than all move on and leave the page more than a quarter empty."""
    empty: list[list[float]] = []
    split = 0
    for filler, pages in sweep(LONG_FIRST, tmp_path, 16, 44, theme, empty):
        for p in pages[:-1]:
            assert not p[-1].startswith("Take care if you take"), (filler, p[-3:])
        at = next(n for n, p in enumerate(pages) if any(r.startswith("• other made-up") for r in p))
        split += at + 1 < len(pages) and pages[at][-1].startswith(("made-up", "• other", "illness"))
    assert split, "the sweep never split the long item: it tests nothing"
    assert_full(empty)


def test_the_last_item_of_a_list_is_not_sent_on_alone_while_the_page_has_room(tmp_path):
    items = "".join(f"    - \"Instruction {w}: if you forget the dose, take it with the next one, and then carry on"
                    " as usual, with your usual doses at the usual times of day, the next day and after that.\"\n"
                    for w in ("one", "two", "three", "four"))
    blocks = "- bullets:\n" + items
    for filler in range(4, 24):
        doc = leaflet_with(blocks, filler)
        pdf = build(doc, tmp_path, theme="large-print", name=f"widow{filler}")
        pages, problems, area = analyse(doc, pdf, "large-print")
        assert problems == [], filler
        for before, page in pairwise(pages):
            rs = body_rows(page)
            if rs and rs[0].startswith("• Instruction four"):  # alone at the top of this page
                rows = pdfgeom.rows(before.body)
                third = next(n for n, r in enumerate(rows) if " ".join(w.text for w in r).startswith("• Instruction three"))
                height = max(w.y1 for w in before.body) - rows[third][0].y0
                # carrying the third item over too would have left the page more than ~a fifth empty
                top = max(w.y1 for w in before.header) if before.header else area.top
                bottom = min(w.y0 for w in before.footer)
                assert pdfgeom.empty_fraction(before, area) + height / (bottom - top) > 0.2, filler


def test_a_precaution_split_over_pages_repeats_its_title(tmp_path):
    items = "".join(f"        - Precaution point number {i:02d}\n" for i in range(8))
    box = f"- precaution:\n    title: Kidney care\n    items:\n{items}"
    broke = 0
    for filler, pages in sweep(box, tmp_path, 14, 44):
        counts = [count(p, r"^• Precaution point") for p in pages]
        on = [(n, c) for n, c in enumerate(counts) if c]
        assert sum(c for _, c in on) == 8 and all(c >= 2 for _, c in on), (filler, counts)
        if len(on) > 1:
            broke += 1
            later = pages[on[1][0]]
            at = next(i for i, r in enumerate(later) if r.startswith("• Precaution point"))
            assert later[at - 1] == "Kidney care (continued)", (filler, later[:at])
            doc = leaflet_with(box, filler)
            assert verify(doc, leaflet.build_bytes(doc)) == []
    assert broke, "the sweep never split the precaution: it tests nothing"


def test_a_box_is_not_moved_leaving_a_large_gap(tmp_path):
    """A box that would fit on the next page splits rather than leave this one a third empty."""
    items = "".join(f"        - Callout item number {i:02d}\n" for i in range(14))
    box = f"- side_effects:\n    severity: common\n    title: Common ones\n    items:\n{items}"
    doc = leaflet_with(box, 24)
    pdf = build(doc, tmp_path)
    pages, problems, area = analyse(doc, pdf, "default")
    assert problems == []
    assert len(pages) == 2
    assert pdfgeom.empty_fraction(pages[0], area) <= MAX_EMPTY


def test_a_heading_and_its_lead_in_stay_with_what_they_introduce(tmp_path):
    blocks = ("- subheading: Zeta heading\n- text: \"Before you start, tell your doctor if you:\"\n"
              "- bullets:\n" + "".join(f"    - have bullet condition {i}\n" for i in range(5)))
    for filler, pages in sweep(blocks, tmp_path):
        page = next(p for p in pages if "Zeta heading" in p)
        assert page[-1] != "Zeta heading", filler
        at = page.index("Zeta heading")
        assert page[at + 1].startswith("Before you start"), filler
        assert len(page) > at + 3 and page[at + 2].startswith("• have bullet condition 0"), filler


def test_a_heading_and_its_short_intro_stay_with_the_callout_they_introduce(tmp_path):
    blocks = ("- subheading: Zeta heading\n- text: Some people get these side effects.\n"
              "- side_effects:\n    severity: common\n    title: Zeta box\n    items:\n"
              + "".join(f"      - zeta effect {i}\n" for i in range(6)))
    for filler, pages in sweep(blocks, tmp_path):
        page = next(p for p in pages if "Zeta heading" in p)
        at = page.index("Zeta heading")
        assert page[at + 1:at + 4] == ["Some people get these side effects.", "COMMON · Zeta box",
                                       "• zeta effect 0"], (filler, page[at:])


def test_an_address_never_splits(tmp_path):
    blocks = "- lines:\n" + "".join(f"    - Address line {i}\n" for i in range(6))
    for filler, pages in sweep(blocks, tmp_path):
        on = [count(p, r"^Address line") for p in pages]
        assert sorted(on)[-1] == 6, (filler, on)


# --- layout problems are content errors naming the field ---------------------------------

def errors_of(src: str, **kw) -> list[str]:
    with pytest.raises(leaflet.ContentError) as err:
        leaflet.build_bytes(leaflet.parse(src, "too-big.yaml"), **kw)
    return [str(d) for d in err.value.diagnostics]


def blocks_src(blocks: str) -> str:
    return MINIMAL.replace("      - text: A paragraph.\n", textwrap.indent(textwrap.dedent(blocks), "      "))


@pytest.mark.parametrize(("columns", "theme", "most"), [(11, "default", 10), (50, "default", 10),
                                                        (8, "large-print", 7)])
def test_too_many_table_columns_is_an_error_giving_the_most_that_fit(columns, theme, most):
    header = ", ".join(f"H{i}" for i in range(columns))
    row = ", ".join(f"c{i}" for i in range(columns))
    found = errors_of(blocks_src(f"- table:\n    header: [{header}]\n    rows:\n      - [{row}]\n"), theme=theme)
    assert len(found) == 1
    assert found[0].startswith("too-big.yaml:17:") and "error[table]: sections[0].blocks[0].table.header:" in found[0]
    assert f"has {columns} columns, but at most {most} fit" in found[0]


def test_as_many_columns_as_fit_build_without_overlap(tmp_path):
    header = ", ".join(f"Head{i}" for i in range(10))
    row = ", ".join(f"cell{i}" for i in range(10))
    doc = leaflet.parse(blocks_src(f"- table:\n    header: [{header}]\n    rows:\n      - [{row}]\n"), "ten.yaml")
    _, problems, _ = analyse(doc, build(doc, tmp_path), "default")
    assert problems == []


@pytest.mark.parametrize(("src", "where", "says"), [
    (MINIMAL.replace("heading: About", "heading: " + " ".join(["Heading"] * 2000)),
     "14:14: error[layout]: sections[0].heading:", "the heading is too long"),
    (blocks_src("- qa:\n    question: " + " ".join(["Why"] * 3000) + "\n    answer: Because.\n"),
     "17:21: error[layout]: sections[0].blocks[0].qa.question:", "the question is too long"),
    (blocks_src("- subheading: " + " ".join(["Sub"] * 3000) + "\n- text: Under it.\n"),
     "16:21: error[layout]: sections[0].blocks[0].subheading:", "the sub-heading is too long"),
    (blocks_src("- lines:\n" + "".join(f"    - line {i}\n" for i in range(80))),
     "17:11: error[layout]: sections[0].blocks[0].lines:", "never splits"),
    (MINIMAL.replace("name: Testamol", "name: " + "T" * 10_000),
     "3:9: error[layout]: medicine.name:", "the medicine name is too long"),
    (MINIMAL.replace("name: Testamol", "name: " + "Testamol " * 400),
     "3:9: error[layout]: medicine.name:", "the medicine name is too long"),
    (MINIMAL.replace('version: "3"', 'version: "' + "v" * 200 + '"'),
     "8:12: error[layout]: revision.version:", "wider than the page, even on a line of its own"),
    # a header row repeats on every page: one taller than a page (fuzz seed 103, case 686) is named
    (MINIMAL.replace("key_facts:\n", "key_facts:\n  header: [" + "Word " * 2500 + ", Value]\n"),
     "10:12: error[layout]: key_facts.header[0]:", "a header row repeats at the top of every page"),
    (blocks_src("- side_effects:\n    severity: common\n    title: " + "Word " * 2500 + "\n    items: [a, b]\n"),
     "17:11: error[layout]: sections[0].blocks[0].side_effects:", "the callout's band (its label and title)"),
    (blocks_src("- table:\n    header: [" + "Word " * 2500 + ", B]\n    rows:\n      - [a, b]\n"),
     "17:20: error[layout]: sections[0].blocks[0].table.header[0]:", "a header row repeats"),
])
def test_content_too_big_for_a_page_is_an_error_naming_the_field(src, where, says):
    found = errors_of(src)
    assert len(found) == 1, found
    assert found[0].startswith(f"too-big.yaml:{where}") and says in found[0], found[0]
    assert "0x" not in found[0] and "Flowable" not in found[0] and "internal" not in found[0]


def test_a_table_cell_taller_than_a_page_runs_on_over_pages(tmp_path):
    long = " ".join(f"word{i}" for i in range(2500))
    doc = leaflet.parse(blocks_src(f"- table:\n    header: [A, B]\n    rows:\n      - [short, {long}]\n"
                                   "      - [next, row]\n"), "cell.yaml")
    pdf = build(doc, tmp_path)
    pages, problems, _ = analyse(doc, pdf, "default")
    assert problems == [] and len(pages) >= 3
    # every word, in order (the header row repeats on each page, between the cell's parts)
    words = [w.text for p in pages for w in p.body if w.text.startswith("word")]
    assert words == long.split()
    assert verify(doc, pdf.read_bytes()) == []


def test_a_callout_item_taller_than_a_page_runs_on_over_pages(tmp_path):
    long = " ".join(f"word{i}" for i in range(2500))
    doc = leaflet.parse(blocks_src(f"- side_effects:\n    severity: common\n    title: T\n    items:\n      - {long}\n"),
                        "item.yaml")
    pdf = build(doc, tmp_path)
    pages, problems, _ = analyse(doc, pdf, "default")
    assert problems == [] and len(pages) >= 3
    assert verify(doc, pdf.read_bytes()) == []



def footer_rule(pdf: Path, page: pdfgeom.Page, area: pdfgeom.Geometry, tmp_path: Path) -> float:
    """The y of the rule over the footer: the lowest row above the footer's text drawn dark
    across the whole text width (no line of text is dark edge to edge)."""
    img, k = gray_page(pdf, page.number, tmp_path)
    top = min(w.y0 for w in page.footer)
    for y in range(round(top * k), round((top - 60) * k), -1):
        row = region(img, k, area.left + 1, y / k, area.right - 1, y / k + 1 / k)
        if sum(p < 160 for p in row) > 0.9 * len(row):
            return y / k
    raise AssertionError("no rule over the footer")


@pytest.mark.parametrize(("paper", "theme"), LOOKS)
def test_text_filling_a_page_stops_above_the_footer_rule(paper, theme, tmp_path):
    """A long paragraph fills page 1 down to the body's foot; shifted down a little at a time
    (a filler line moves it by a third of a line), its last line always keeps 8 pt (3 mm)
    clear of the rule over the footer."""
    long = " ".join(f"word{i}" for i in range(700))
    clearance = []
    for filler in range(4):
        src = MINIMAL.replace("      - text: A paragraph.\n", "".join(
            f"      - lines: [Filler {i}]\n" for i in range(filler)) + f"      - text: {long}\n")
        doc = leaflet.parse(src, "fill.yaml")
        pdf = build(doc, tmp_path, paper, theme, f"fill{filler}")
        pages, problems, area = analyse(doc, pdf, theme)
        assert problems == [], filler
        rule = footer_rule(pdf, pages[0], area, tmp_path)
        clearance.append(round(rule - max(w.y1 for w in pages[0].body), 1))
    assert min(clearance) >= 8, clearance


def test_a_table_of_tall_list_cells_breaks_once_a_page(tmp_path):
    """Rows of long lists start at the foot of a page split inside their cells; the rest of the
    table goes to the next page (never its repeated header under the first part, mid-page)."""
    rows = "".join(f"        - [Row {r}, {{bullets: [" + ", ".join(f"'item {r}-{i} in a cell'" for i in range(12))
                   + "]}]\n" for r in range(4))
    table = f"- table:\n    header: [What, Details]\n    rows:\n{rows}"
    for filler in range(0, 40, 3):
        doc = leaflet_with(table, filler)
        pdf = build(doc, tmp_path, name=f"cells{filler}")
        pages, problems, _ = analyse(doc, pdf, "default")
        assert problems == [], filler
        for page in pages:
            assert count(body_rows(page), r"^What Details$") <= 1, filler
        assert verify(doc, pdf.read_bytes()) == [], filler


LONG = " ".join(f"w{n:04d}" for n in range(900))  # some 60 lines: more than a page
LONG_ITEMS = {
    "a long first item": f"""
      - bullets:
          - "{LONG}"
          - Second item.
          - Third item.""",
    "a long item before the last": f"""
      - bullets:
          - First item.
          - Second item.
          - "{LONG}"
          - Last item.""",
    "a long lead-in": f"""
      - text: "{LONG}:"
      - bullets: [One item., Another item.]""",
    "a callout's long item": f"""
      - side_effects:
          severity: serious
          action: "Stop taking it and call a doctor if you have:"
          items: [First item., "{LONG}", Last item.]""",
    "a table's long cell": f"""
      - table:
          header: [When, What]
          rows:
            - [Morning, Short.]
            - [Evening, "{LONG}"]
            - [Night, Short.]""",
}


@pytest.mark.parametrize("body", list(LONG_ITEMS.values()), ids=list(LONG_ITEMS))
def test_a_very_long_item_runs_on_over_pages(body, tmp_path):
    """A list item, lead-in, callout item or cell taller than a page splits inside itself (two
    lines or more on each side), never refused as "taller than a page"."""
    blocks = textwrap.indent(textwrap.dedent(body), "    ").rstrip()
    text = MINIMAL.replace("    blocks:\n      - text: A paragraph.", "    blocks:" + blocks)
    doc = leaflet.parse(text, "long.yaml")
    pdf = build(doc, tmp_path)
    pages, problems, _ = analyse(doc, pdf, "default")
    assert problems == []
    assert verify(doc, pdf.read_bytes()) == []
    words = [[w.text for w in page.body if re.fullmatch(r"w\d{4}:?", w.text)] for page in pages]
    assert [w for page in words for w in page] == [f"w{n:04d}" for n in range(899)] + [
        "w0899:" if "w0899:" in body else "w0899"]
    held = [page for page in words if page]
    assert len(held) >= 2
    assert all(len(page) >= 2 * 10 for page in held)  # two lines (10+ words each) or more on each page


def test_a_sub_list_keeps_its_first_two_and_last_two_items_together(tmp_path):
    """A sub-list in the body breaks over a page with two of its items or more on each side, as a
    list does (its first two items travel together, and its last two)."""
    subs = "".join(f"          - sub-sign number {i} of the made-up reaction\n" for i in range(5))
    body = ("- bullets:\n    - first made-up reaction, which can happen to anyone at any time of day\n"
            "    - text: \"second made-up reaction; its signs are\"\n      items:\n" + subs +
            "    - third made-up reaction\n    - fourth made-up reaction\n")
    broke = 0
    empty: list[list[float]] = []
    for filler, pages in sweep(body, tmp_path, 18, 29, empty=empty):
        on = [c for c in (count(p, r"^– sub-sign number") for p in pages) if c]
        assert sum(on) == 5 and all(c >= 2 for c in on), (filler, on)
        broke += len(on) > 1
    assert broke, "the sweep never split the sub-list: it tests nothing"
    assert_full(empty)


INTRO_AND_BOX = """\
- subheading: Made-up clinic
- lines: [Made-up Clinic of Testing, 1 Fiction Street, Testtown]
- side_effects:
    severity: serious
    action: Call the made-up clinic at once if you have any of the made-up signs that this long text describes.
    items: [a made-up rash, a made-up fever, a made-up cough, a made-up ache]
"""


def test_a_heading_and_its_short_intro_end_a_page_rather_than_leave_it_a_third_empty(tmp_path):
    """In large print, a sub-heading, its address and the start of a callout take a third of a
    page: where they do not fit, the heading and the address end the page (the callout starts the
    next) rather than all move on; the heading is never left alone."""
    empty: list[list[float]] = []
    ended = 0
    for filler, pages in sweep(INTRO_AND_BOX, tmp_path, 8, 30, "large-print", empty):
        for p in pages[:-1]:
            assert p[-1] != "Made-up clinic", (filler, p[-3:])
        ended += any(p[-1] == "Testtown" for p in pages[:-1])
    assert_full(empty)
    assert ended, "the sweep never ended a page with the address: it tests nothing"


COLUMN_LIST = "- bullets:\n    - first made-up sign\n    - second made-up sign\n" \
    "    - text: \"the made-up rash, which comes with\"\n      items:\n" + \
    "".join(f"          - sub-sign number {i:02d} of the rash\n" for i in range(20)) + \
    "    - third made-up sign\n  columns: 2\n"


def test_an_item_of_a_list_in_columns_splits_rather_than_leave_a_gap(tmp_path):
    """A list in two columns whose item has many sub-items: where the item does not fit, it splits
    between its sub-items (two or more on each side, the rest starting the first column overleaf)
    rather than move on whole and leave the page a third empty (random leaflet cases 28, 35, 37)."""
    empty: list[list[float]] = []
    broke = 0
    for filler, pages in sweep(COLUMN_LIST, tmp_path, 10, 48, empty=empty):
        on = [c for c in (sum(len(re.findall(r"sub-sign number \d\d", r)) for r in p) for p in pages) if c]
        assert sum(on) == 20 and all(c >= 2 for c in on), (filler, on)
        broke += len(on) > 1
        doc = leaflet_with(COLUMN_LIST, filler)
        assert verify(doc, build(doc, tmp_path, name="columns").read_bytes()) == [], filler  # the reading order
    assert_full(empty)
    assert broke, "the sweep never split the item: it tests nothing"
