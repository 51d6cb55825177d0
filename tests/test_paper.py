"""A5 paper (``--paper a5``): the page-fill rule, the geometry (no overlap, nothing outside the
text area) and large print hold for the samples in several scripts, read back with poppler."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import leaflet
from leaflet.resources import locale_for
from leaflet.resources import theme as load_theme

from . import pdfgeom
from .conftest import ROOT

pytestmark = pytest.mark.usefixtures("has_poppler")

MAX_EMPTY = 0.25
A5 = (419.53, 595.28)  # points: 148 x 210 mm


analyse = pdfgeom.analyse


def frame(doc: leaflet.Document, theme: str, paper: str, brand=None,
          panel: int | None = None) -> tuple[float, float, float, tuple[float, float]]:
    """The body's frame as the layout declares it, in poppler's coordinates (y down): the top of
    page 1's (without a personal panel: the panel is text on page 1 like the body's), the top of
    later pages', the bottom (the footer's top), and page 1's top and bottom margins (``panel``: the
    personal panel's height class, where page 1's margins give it room; else the theme's)."""
    from leaflet.typeset.fonts import fonts_for
    from leaflet.typeset.layout import Styles
    from leaflet.typeset.panel import ReservedPanel
    from leaflet.typeset.render import PAPER, PageFurniture

    locale = locale_for(doc.leaflet.language)
    fonts = fonts_for(locale.script)
    t = load_theme(theme)
    width, height = PAPER[paper]
    f = PageFurniture(Styles(fonts, t), fonts, t, locale, doc.leaflet, width, height, brand=brand)
    bottom = height - f.bottom - f.footer_height()
    first = f.top, f.bottom
    if panel is not None:
        first = PageFurniture(Styles(fonts, t), fonts, t, locale, doc.leaflet, width, height,
                              ReservedPanel(t, panel), brand).margins(1)
    return bottom - f.body_height(first=True), bottom - f.body_height(first=False), bottom, first


def check_pages(doc: leaflet.Document, pdf: Path, theme: str, paper: str, brand=None,
                panel: int | None = None) -> list[float]:
    """Any script: no word outside the text area or over another (poppler's boxes), no body
    text in the footer; returns the share of each page's body left empty (below its last text:
    on page 1 of a personalised leaflet, ``panel`` its panel's height class, the panel's text
    counts, as its margins may give it room)."""
    pages = pdfgeom.read_words(pdf)
    first_top, later_top, later_bottom, (margin_top, margin_bottom) = frame(doc, theme, paper, brand, panel)
    empty = []
    for page in pages:
        area = pdfgeom.Geometry.from_theme(load_theme(theme), page.width, page.height)
        top, bottom = later_top, later_bottom
        if page.number == 1:  # (the margins the theme has, or less where they give a panel room)
            top = first_top - (area.top - margin_top)
            bottom = later_bottom + (page.height - margin_bottom - area.bottom)
            area = pdfgeom.Geometry(area.left, area.right, margin_top, page.height - margin_bottom)
        for w in page.words:
            assert area.left - 0.6 <= w.x0 and w.x1 <= area.right + 0.6, (page.number, w)
            assert area.top - 0.25 * (w.y1 - w.y0) <= w.y0, (page.number, w)
        assert pdfgeom.overlaps(page.words) == [], page.number
        # (a line at the frame's top: its glyph box may rise a point or so above it, by the font's ascent)
        body = [w for w in page.words if w.y0 >= top - 2 and w.y1 <= bottom + 4]
        for w in body:  # (the footer's last line may reach into the margin by a script's descent)
            assert w.y1 <= area.bottom + 0.25 * (w.y1 - w.y0), (page.number, w)
        below = [w for w in page.words if w.y0 > bottom - 4 and w not in body]
        assert body, page.number
        # text is in the body or entirely in the footer: none straddles the footer's top
        assert all(w.y0 >= bottom - 0.25 * (w.y1 - w.y0) for w in below), (page.number, below[:3])
        empty.append(round(max(0.0, bottom - max(w.y1 for w in body)) / (bottom - top), 2))
    return empty


@pytest.mark.parametrize("theme", ["default", "large-print"])
@pytest.mark.parametrize("language", ["en", "ar", "zh", "ja", "he"])
def test_a5_pages_are_full_and_text_never_collides(language, theme, tmp_path):
    doc = leaflet.load(ROOT / "content" / "baclofen" / f"{language}.yaml")
    pdf = tmp_path / "a5.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper="a5", theme=theme))
    pages = pdfgeom.read_words(pdf)
    assert all(abs(p.width - A5[0]) < 1 and abs(p.height - A5[1]) < 1 for p in pages)
    empty = check_pages(doc, pdf, theme, "a5")
    assert leaflet.verify(doc, pdf.read_bytes()) == []
    assert all(e <= MAX_EMPTY for e in empty[:-1]), f"share of each page left empty: {empty}"
    if language == "en":  # the header and footer word by word (words split at spaces: Latin only)
        pages, problems, area = analyse(doc, pdf, theme)
        assert problems == []
        empty = [round(pdfgeom.empty_fraction(p, area), 2) for p in pages]  # as tests/test_geometry.py measures
        assert all(e <= MAX_EMPTY for e in empty[:-1]), f"share of each page left empty: {empty}"


@pytest.mark.parametrize(("paper", "theme"), [("a5", "default"), ("a4", "large-print"), ("letter", "large-print")])
@pytest.mark.parametrize("language", ["en", "ar", "zh"])
def test_pages_are_full_with_the_personal_panel_and_a_brand(language, paper, theme, tmp_path):
    """Issue 7: the panel (on page 1) and a clinic's brand (title block and footer) on A5 and in
    large print: pages full, text inside the area, and the stamped PDF verifies."""
    import msgspec

    from leaflet import api
    from leaflet.personal import rxfile

    doc = leaflet.load(ROOT / "content" / "baclofen" / f"{language}.yaml")
    rx = msgspec.structs.replace(rxfile.load(ROOT / "examples" / "prescription.yaml"), language=language)
    brand = api.load_brand(ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml")
    pdf = tmp_path / "rx.pdf"
    pdf.write_bytes(api.build_personalised(doc, rx, paper=paper, theme=theme, brand=brand))
    empty = check_pages(doc, pdf, theme, paper, brand.brand)
    assert all(e <= MAX_EMPTY for e in empty[:-1]), f"share of each page left empty: {empty}"
    assert api.verify(doc, pdf.read_bytes(), rx, brand=brand) == []


def test_a5_large_print_keeps_its_sizes(tmp_path):
    """Large print on A5 is still 16 pt body text (the page is smaller, the text is not)."""
    doc = leaflet.load(ROOT / "content" / "baclofen" / "en.yaml")
    pdf = tmp_path / "a5.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper="a5", theme="large-print"))
    words = [w for page in pdfgeom.read_words(pdf) for w in page.words]
    heights = sorted(round(w.y1 - w.y0) for w in words)
    body = max(set(heights), key=heights.count)  # the commonest word height: body text
    a4 = tmp_path / "a4.pdf"
    a4.write_bytes(leaflet.build_bytes(doc, paper="a4", theme="large-print"))
    a4_heights = sorted(round(w.y1 - w.y0) for page in pdfgeom.read_words(a4) for w in page.words)
    assert body == max(set(a4_heights), key=a4_heights.count)


def test_the_revision_line_goes_above_the_page_label_where_they_do_not_fit_side_by_side(tmp_path):
    doc = leaflet.load(ROOT / "content" / "baclofen" / "en.yaml")
    pdf = tmp_path / "a5.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper="a5", theme="large-print"))
    page = pdfgeom.read_words(pdf)[0]
    revised = next(w for w in page.words if w.text == "Revised")
    label = next(w for w in page.words if w.text == "Page")
    assert (revised.y0 + revised.y1) / 2 < (label.y0 + label.y1) / 2 - 10  # a line above it, not beside it
    a4 = tmp_path / "a4.pdf"
    a4.write_bytes(leaflet.build_bytes(doc, paper="a4", theme="large-print"))
    page = pdfgeom.read_words(a4)[0]
    revised = next(w for w in page.words if w.text == "Revised")
    label = next(w for w in page.words if w.text == "Page")
    assert abs(revised.y0 - label.y0) < 1  # on A4 they share the last line


def test_every_command_with_paper_takes_a5(tmp_path):
    out = tmp_path / "a5.pdf"
    cmd = [str(ROOT / ".venv" / "bin" / "leaflet")]
    if not Path(cmd[0]).exists():
        import sys

        cmd = [sys.executable, "-m", "leaflet"]
    run = subprocess.run([*cmd, "build", str(ROOT / "content" / "baclofen" / "en.yaml"), "--paper", "a5", "-o",
                          str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "419.528 x 595.276 pts" in info  # 148 x 210 mm
    bad = subprocess.run([*cmd, "build", str(ROOT / "content" / "baclofen" / "en.yaml"), "--paper", "a3"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "invalid choice: 'a3'" in bad.stderr and "a5" in bad.stderr


def test_the_page_before_a_page_left_too_empty_ends_earlier():
    """flowables.look_back: a page (not the first) left more than LOOK_BACK_OVER empty has the
    page before it end earlier (measured from its frame's foot), by what fills the gap to 10% of
    the page, as far as that page stays within DONOR_LIMIT; what it cannot give, the pages before
    it give in turn. Then the other LOOK_BACK_WAYS: filled to 18%, the page two before giving, and
    the page just before giving alone (what it can). The share is measured below the last text: a
    page's fourth figure is the room under the last text inside the last thing on it."""
    from leaflet.typeset.flowables import LOOK_BACK_OVER, emptiest, look_back, overfull

    gaps = [(1, 10.0, 400.0), (2, 0.0, 400.0), (3, 100.0, 400.0)]  # (the last page, 4, ended no page break)
    assert overfull(gaps) == pytest.approx(100 / 400 - LOOK_BACK_OVER)
    # 88 pt under the foot of a box and 10 under its last text (its padding, border, space after)
    assert overfull([(1, 0.0, 400.0), (2, 88.0, 400.0, 10.0)]) == pytest.approx(98 / 400 - LOOK_BACK_OVER)
    assert emptiest([(1, 0.0, 400.0), (2, 88.0, 400.0, 10.0)]) == pytest.approx(98 / 400)
    assert overfull([(1, 0.0, 400.0), (2, 88.0, 400.0)]) == 0  # 22 % from the box's foot alone
    tried: set[tuple[int, int]] = set()
    page, shorten = look_back(gaps, {}, tried)
    assert page == 3 and shorten == {2: pytest.approx(100 - 0.1 * 400)}  # page 3 left 10% empty
    assert look_back(gaps, {}, tried) == (3, {2: pytest.approx(100 - 0.18 * 400)})  # or 18%
    # page 1 gives (its lines going over push page 2's last ones on), as far as it stays within 15%
    assert look_back(gaps, {}, tried) == (3, {1: pytest.approx(0.15 * 400)})
    assert look_back(gaps, {}, tried) == (3, {1: pytest.approx(10 + 28)})
    # the last way (page 2 alone) would ask what the first did: not tried again; no page is far
    # enough back to push alone; then page 1 gives as far as it stays within 20% (GAP_LIMIT)
    assert look_back(gaps, {}, tried) == (3, {1: pytest.approx(10 + 60)})
    assert look_back(gaps, {}, tried) is None  # all tried
    # page 2 ends 45 pt above its foot: it ends 15% of the page above it (60 pt), and page 1 gives
    # the rest of the 60 pt that page 3 lacks (45 pt), so that page 2 stays within 15%
    tight = [(1, 0.0, 400.0), (2, 45.0, 400.0), (3, 100.0, 400.0)]
    tried = set()
    assert look_back(tight, {}, tried)[1] == {2: pytest.approx(0.15 * 400), 1: pytest.approx(45)}
    for _ in range(3):
        look_back(tight, {}, tried)
    # last, page 2 gives what it can alone (page 1's part of the cascade may be what cannot go over)
    assert look_back(tight, {}, tried) == (3, {2: pytest.approx(0.15 * 400)})
    # then those ways with the pages that give left at most 20% empty: page 2 gives 80 pt, page 1 25
    assert look_back(tight, {}, tried) == (3, {2: pytest.approx(0.2 * 400), 1: pytest.approx(25)})
    # the gap is filled from the foot of the last thing on the page (the shortening is measured so)
    assert look_back([(1, 0.0, 400.0), (2, 0.0, 400.0), (3, 88.0, 400.0, 10.0)], {}, set())[1] == {
        2: pytest.approx(88 - 0.1 * 400)}
    # a page that ends at 15% already gives nothing of its own: page 1 gives all 60 pt
    assert look_back([(1, 0.0, 400.0), (2, 60.0, 400.0), (3, 100.0, 400.0)], {}, set())[1] == {
        2: pytest.approx(60), 1: pytest.approx(60)}
    # a page that a look-back made end early, left too empty itself: first it ends at its foot again
    assert look_back([(1, 0.0, 400.0), (2, 100.0, 400.0), (3, 0.0, 400.0)], {2: 40.0, 5: 9.0}, set()) == (
        2, {5: 9.0})
    # what is already asked of the other pages stays
    assert look_back(gaps, {5: 9.0}, set())[1] == {5: 9.0, 2: pytest.approx(60)}
    assert look_back([(1, 200.0, 400.0), (2, 0.0, 400.0)], {}, set()) is None  # the first page has none before it


def test_each_group_of_look_back_ways_goes_over_every_page_left_too_empty_in_turn():
    """flowables.look_back's groups of ways, each tried on every page left too empty (the first
    first) before the next group, so that a page no way fills does not take up the tries of the
    pages after it: the pages before give (as above), then a page up to PUSH_PAGES before ends
    earlier alone (its last lines going over push those of the full pages between on), then all
    those ways again with the pages that give left at most GAP_LIMIT empty (two lines of a page of
    eleven are more than DONOR_LIMIT of it). Pages 4 and 8 are 30% empty (120 of 400 pt)."""
    from leaflet.typeset.flowables import PUSH_PAGES, look_back

    gaps = [(p, 120.0 if p in (4, 8) else 0.0, 400.0) for p in range(1, 9)]
    tried: set[tuple[int, int]] = set()
    trials = []
    while (step := look_back(gaps, {}, tried)) is not None:
        trials.append((step[0], {p: round(s, 6) for p, s in step[1].items()}))
    cascades = [(4, {3: 60, 2: 20}), (4, {3: 48}), (4, {2: 60, 1: 20}), (4, {2: 48}), (4, {3: 60})]
    assert trials[:5] == cascades  # 80 pt to fill page 4 to 10%: page 3 gives 60 (15%), page 2 20
    assert trials[5:10] == [(8, {p + 4: s for p, s in t.items()}) for _, t in cascades]  # page 8 next
    assert PUSH_PAGES == 6
    # a page 3 to 6 before, alone (page 4 has only page 1 three before it), 60 pt (15%)
    assert trials[10:15] == [(4, {1: 60}), (8, {5: 60}), (8, {4: 60}), (8, {3: 60}), (8, {2: 60})]
    # then with 20%: 80 pt, page 3 alone has it all (what asks what a way did before is not tried)
    assert trials[15:] == [(4, {3: 80}), (4, {2: 80}), (4, {1: 80}),
                           *((8, {p: 80}) for p in (7, 6, 5, 4, 3, 2))]


def test_page_1_under_a_personal_panel_is_measured_over_its_whole_text_area():
    """The look-back's measure of page 1 (LeafletDoc's gaps) counts the personal panel above its
    body frame as text, as the rule does: a frame the panel leaves 40 pt of, holding nothing, under a
    300 pt panel is 12 % empty, not wholly (which made every such leaflet look over the rule)."""
    from leaflet.typeset.flowables import emptiest, empty_share, overfull

    assert empty_share((1, 40.0, 40.0, 0.0, 300.0)) == pytest.approx(40 / 340)
    assert empty_share((1, 40.0, 40.0, 0.0)) == 1.0  # (a page without a panel: its frame)
    gaps = [(1, 40.0, 40.0, 0.0, 300.0), (2, 20.0, 400.0, 0.0, 0.0)]
    assert overfull(gaps) == 0 and emptiest(gaps) == pytest.approx(40 / 340)


def test_a_leaflet_laid_out_again_is_deterministic_and_its_template_stamps(tmp_path, monkeypatch):
    """German on A5 in large print is laid out again (a page as first laid out is more than a
    quarter empty; Japanese was, before the banner's short form): the same bytes every time, and
    the template of the layout kept (with that layout's font subsets) stamps a panel that poppler
    reads, the leaflet unchanged."""
    from leaflet.api import check
    from leaflet.typeset import render as render_module
    from leaflet.typeset import stamp
    from leaflet.typeset.panel import Panel
    from leaflet.typeset.render import render

    from .test_stamp import drawer

    doc = leaflet.load(ROOT / "content" / "baclofen" / "de.yaml")
    pdf = leaflet.build_bytes(doc, paper="a5", theme="large-print")
    assert pdf == leaflet.build_bytes(doc, paper="a5", theme="large-print")
    with monkeypatch.context() as m:  # (it is laid out again: without, the layout differs)
        m.setattr(render_module, "LOOK_BACK_BUILDS", 0)
        m.setattr(render_module, "LAST_RESORT_BUILDS", 0)
        assert leaflet.build_bytes(doc, paper="a5", theme="large-print") != pdf
    locale, fonts = check(doc)
    theme = load_theme("large-print")
    states: list = []
    pdf = render(doc.leaflet, locale, theme, fonts, "a5", panel=Panel.reserved(theme), font_states=states)
    assert leaflet.verify(doc, pdf) == []
    template = stamp.Template(pdf, states)
    lines = ["Patient Test", "1 Tablette 3-mal täglich"]  # (fictional)
    out = stamp.stamp(template, stamp.draw_panel(template, fonts, drawer(fonts, lines, False, template.bbox)))
    text = subprocess.run(["pdftotext", "-", "-"], input=out, capture_output=True, check=True).stdout.decode()
    before = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert all("".join(line.split()) in flat for line in lines)
    assert text.split("\f")[1:] == before.split("\f")[1:]  # every page but the first as it was


LEAFLETS = sorted([*ROOT.glob("content/**/*.yaml"),
                   *(p for p in (ROOT / "tests" / "fixtures").rglob("*.yaml") if "brand" not in p.parts)])
# Issue 7: on A5 in large print (a third of the page is the footer, the draft banner and the header)
# these pages are still more than a quarter empty: what follows cannot start in the room left, even
# with the rules given way as far as they go (a line or item alone, a lead-in ending the page), and
# the pages before cannot give it their last lines without being left as empty or breaking a rule
# a look-back never breaks (share of the page, measured with poppler; the README says why for each).
A5_LARGE_PRINT_NOT_YET = {
    # page 29 (0.26): the questions' heading and its first question and answer; the next question
    # (two lines) and its three-line answer (never 1 + 2) do not fit in the two lines left
    "content/baclofen/ru.yaml": 0.26,
    # page 17 (0.26): the serious callout's last part (three items); the precautions' heading (28 pt
    # and its spacing) and the two lines it needs under it do not fit in the three lines left
    "content/baclofen/de.yaml": 0.26,
    # page 2 (0.37): section 3's heading and its first callout (a frequency line and two items: a
    # frequency line never ends a box part) need more than the room left; page 1 ends with the
    # contents list (a title and three entries, never 2 + 1)
    "tests/fixtures/i18n/ru.yaml": 0.37,
    # page 2 (0.26): the serious callout (band, action and one item; never split below its action)
    # does not fit in the room left
    "tests/fixtures/i18n/es.yaml": 0.26,
    # page 3 (0.33): its section ends; the next (a heading, the serious callout's two-line band and
    # its frequency line) cannot start in the room left
    "tests/fixtures/xliff/es.yaml": 0.33,
}


def test_every_leaflet_is_tried_on_a5_in_large_print():
    names = {str(p.relative_to(ROOT)) for p in LEAFLETS}
    assert len(LEAFLETS) >= 28 and "content/baclofen/en.yaml" in names and set(A5_LARGE_PRINT_NOT_YET) <= names


@pytest.mark.parametrize("source", LEAFLETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_leaflet_on_a5_in_large_print_keeps_pages_full(source, tmp_path):
    """Every sample and fixture on A5 in large print: no page but the last more than a quarter
    empty (poppler's word boxes), no text over other text or outside the area, and verify passes.
    The pages still over the rule are listed (A5_LARGE_PRINT_NOT_YET) with their worst share: one
    that gets worse fails, and one that keeps the rule must come off the list."""
    doc = leaflet.load(source)
    pdf = tmp_path / "a5.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper="a5", theme="large-print"))
    empty = check_pages(doc, pdf, "large-print", "a5")
    assert leaflet.verify(doc, pdf.read_bytes()) == []
    pages_full_or_known(empty, A5_LARGE_PRINT_NOT_YET.get(str(source.relative_to(ROOT))), "A5_LARGE_PRINT_NOT_YET")


def pages_full_or_known(empty: list[float], known: float | None, listed: str) -> None:
    """Every page but the last at most a quarter empty; or, for a case ``listed`` as not yet, still
    over it (else it must come off the list) but no worse than its pinned share ``known`` (xfail)."""
    over = [share for share in empty[:-1] if share > MAX_EMPTY]
    if known is None:
        assert not over, f"share of each page left empty: {empty}"
        return
    assert over, f"it keeps the rule now ({empty}): take it off {listed}"
    assert max(over) <= known, f"worse than {known}: {empty}"
    pytest.xfail(f"pages over a quarter empty: {over}")


def personalised(source: Path, pdf: Path, paper: str, theme: str, brand: Path | None = None,
                 rx: Path = ROOT / "examples" / "prescription.yaml") -> list[float]:
    """Build ``source`` personalised with the prescription ``rx`` (its language set to the
    leaflet's) as ``leaflet build --rx`` (and ``leaflet batch``) does, with the brand file ``brand``
    if given, into ``pdf``; check it as :func:`check_pages` does (page 1's margins where they give the
    panel room) and return the share of each page left empty below its last text (the panel counts
    as text on page 1). Shared with tools/page_fill.py --rx."""
    import msgspec

    from leaflet import api
    from leaflet.personal import rxfile

    doc = leaflet.load(source)
    prescription = msgspec.structs.replace(rxfile.load(rx), language=doc.leaflet.language)
    loaded = api.load_brand(brand) if brand is not None else None
    t = api.template(doc, paper=paper, theme=theme, brand=loaded)
    pdf.write_bytes(api.stamp_personalised(t, prescription))  # what build --rx gives, byte for byte
    lines = api._measured(t, prescription, "")[0].lines  # the panel's height class
    return check_pages(doc, pdf, theme, paper, loaded.brand if loaded is not None else None, lines)


# Issue 7: personalised leaflets (the example prescription) on A5 in large print whose pages are
# still more than a quarter empty (their worst share, measured with poppler). The panel is not the
# cause: the leaflet built without one (with the same brand or none) leaves pages as empty.
PERSONAL_A5_LARGE_PRINT_NOT_YET = {
    # the Russian sample's own page 29 (A5_LARGE_PRINT_NOT_YET: the questions, 0.26)
    ("ru", False): 0.26,
    # with the brand's two-line footer line, 8 lines a page: page 26 (0.33) is a precaution box's
    # continuation (its title again and six lines), the box's last two lines going on to page 27
    ("ru", True): 0.33,
    # with the brand: page 3 (0.34) ends after the intro's first paragraph; the second (8 lines) fills
    # page 4, which the key facts (their heading, header row and first row: a page) cannot share
    ("fr", True): 0.34,
}


@pytest.mark.parametrize(("language", "branded"), [  # Latin, Cyrillic, RTL, CJK; French, German, Spanish: above
    *((language, branded) for language in ("en", "ru", "ar", "ja") for branded in (False, True)),
    ("fr", True), ("de", True), ("es", True)],
    ids=lambda v: {False: "plain", True: "brand"}.get(v, v) if isinstance(v, bool) else v)
def test_personalised_leaflets_on_a5_in_large_print_keep_pages_full(language, branded, tmp_path):
    """The personal panel at the top of page 1 (build --rx), with and without a clinic's brand, on
    A5 in large print: no page but the last more than a quarter empty (poppler; page 1's text area
    holds the panel), no text over other text or outside the area, and the PDF verifies."""
    from leaflet import api
    from leaflet.personal import rxfile

    brand = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml" if branded else None
    source = ROOT / "content" / "baclofen" / f"{language}.yaml"
    pdf = tmp_path / "rx.pdf"
    empty = personalised(source, pdf, "a5", "large-print", brand)
    import msgspec

    doc = leaflet.load(source)
    rx = msgspec.structs.replace(rxfile.load(ROOT / "examples" / "prescription.yaml"), language=language)
    assert api.verify(doc, pdf.read_bytes(), rx, brand=api.load_brand(brand) if brand else None) == []
    pages_full_or_known(empty, PERSONAL_A5_LARGE_PRINT_NOT_YET.get((language, branded)),
                        "PERSONAL_A5_LARGE_PRINT_NOT_YET")


def test_a_last_resort_layout_lets_an_intro_leave_a_line_alone():
    """A heading, its three-line intro and the list it introduces, with room for the heading and two
    lines of the intro on a page that would be left a third empty: the pair moves on whole (the
    intro never splits 2 + 1), but in a last-resort layout (render lays a leaflet out so only where
    pages are left over a quarter empty however the pages before them gave) the intro leaves its
    last line alone, going on with the list; never where the page would be left little empty."""
    from reportlab.lib.styles import ParagraphStyle

    from leaflet.typeset.flowables import Heading, KeepWithNext, Para, keep_with_next, relaxing

    def chain(frame: float = 120) -> KeepWithNext:
        style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, allowOrphans=0,
                               allowWidows=0)
        heading = Heading("Made-up heading", ParagraphStyle("heading", parent=style, fontName="Helvetica-Bold"),
                          "h1", 0, "Made-up heading")
        intro = Para("made-up words of an intro " * 5, style)  # three lines
        items = []
        for i in range(2):
            item = Para(f"made-up item {i}", style)
            item.item, item.level = "start", 0
            items.append(item)
        items[0].keep_with_next = "soft"
        story = keep_with_next([heading, intro, *items], 200, frame)
        assert len(story) == 1 and isinstance(story[0], KeepWithNext)
        return story[0]

    with relaxing():
        assert chain().split(200, 40) == []  # heading (12) and two lines (24) fit, not three
    with relaxing(True):
        parts = chain().split(200, 40)
        assert len(parts) == 2 and parts[0].wrap(200, 40)[1] == pytest.approx(36)
        assert len(parts[0].rest.blPara.lines) == 2  # the heading and two lines of the intro
        assert parts[1].wrap(200, 1000)[1] == pytest.approx(12 + 12 + 12)  # its last line and the two items
        assert chain().split(200, 20) == []  # the heading and a line: still nothing alone at the foot
        # 38 pt left of a 175 pt page: over a fifth (the rules give way) but within a quarter (not this one)
        assert len(chain().split(200, 38)) == 2 and chain(175).split(200, 38) == []


def test_a_page_a_look_back_ends_early_never_leaves_an_item_alone():
    """Where a look-back makes a page end early (LeafletDoc sets flowables.set_may_relax(False)),
    the room under its last text is not a gap the rules must give way to: a box of three items that
    only has room for one moves on whole there, and splits 1 + 2 on a page that ends at its foot."""
    from reportlab.lib.colors import black, white
    from reportlab.lib.styles import ParagraphStyle

    from leaflet.typeset.flowables import Box, Para, relaxing, set_may_relax

    def box() -> Box:
        style = ParagraphStyle("item", fontName="Helvetica", fontSize=10, leading=12)
        items = []
        for i in range(3):
            item = Para(f"made-up item {i}", style)
            item.item, item.level = "start", 0
            items.append(item)
        return Box(items, border=black, border_width=1, fill=white, padding=4, max_height=100)

    with relaxing():
        assert len(box().split(400, 25)) == 3  # room for one item: the rules give way, 1 + 2
        set_may_relax(False)
        assert box().split(400, 25) == []  # a page ended early: it moves on whole
        set_may_relax(True)
        assert len(box().split(400, 25)) == 3


def test_a_box_taller_than_a_page_never_leaves_its_title_alone_at_a_page_foot():
    """A precaution box taller than a page, with room left on this page for its title alone (the
    title is kept with its text): it moves on and splits at the top of the next page, its title
    there with the first lines of its text; never a part holding only the title, its text overleaf
    (seen on A5 in large print, Russian personalised with the brand: "Проблемы с почками и
    печенью" alone at the foot of a page)."""
    from reportlab.lib.colors import black, white
    from reportlab.lib.styles import ParagraphStyle

    from leaflet.typeset.flowables import Box, Para, relaxing

    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12)

    def box() -> Box:
        title = Para("Made-up title", ParagraphStyle("title", parent=style, fontName="Helvetica-Bold"))
        title.keep_with_next = True
        text = Para("made-up words of a precaution " * 60, style)  # about 20 lines: taller than the page
        return Box([title, text], border=black, border_width=1, fill=white, padding=4, max_height=100,
                   continued_title=("Made-up title (continued)", style))

    with relaxing():
        assert box().split(400, 30) == []  # room for the title and not a line of its text: it moves on
        head, _, tail = box().split(400, 100)  # at the top of a page: the title and lines of its text
        assert len(head.content) == 2 and len(head.content[1].blPara.lines) >= 2
        assert tail.content[0].text.startswith("Made-up title (continued)")


def test_the_page_fill_tool_marks_a_page_over_a_quarter_empty(tmp_path):
    """tools/page_fill.py: the share of each page left empty (poppler), OVER and exit status 1 for
    a page over a quarter; --save and --compare find the PDFs whose bytes differ."""
    import sys

    tool = [sys.executable, str(ROOT / "tools" / "page_fill.py"), "--paper", "a5", "--theme", "large-print"]
    run = subprocess.run([*tool, str(ROOT / "tests" / "fixtures" / "i18n" / "ru.yaml"), "--save",
                          str(tmp_path / "run.json")], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "tests/fixtures/i18n/ru.yaml a5 large-print" in run.stdout and "OVER" in run.stdout
    assert "1 PDFs: 1 with a page (not the last) more than a quarter empty" in run.stdout
    run = subprocess.run([*tool, str(ROOT / "tests" / "fixtures" / "i18n" / "ru.yaml"), "--compare",
                          str(tmp_path / "run.json")], capture_output=True, text=True, cwd=tmp_path)
    assert "0 of 1 differ in bytes" in run.stdout
    import json

    saved = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    for entry in saved.values():
        entry[0] = "0" * 16  # another PDF than the one built
    (tmp_path / "run.json").write_text(json.dumps(saved), encoding="utf-8")
    run = subprocess.run([*tool, str(ROOT / "tests" / "fixtures" / "i18n" / "ru.yaml"), "--compare",
                          str(tmp_path / "run.json")], capture_output=True, text=True, cwd=tmp_path)
    assert "1 of 1 differ in bytes" in run.stdout, run.stdout
    run = subprocess.run([*tool[:2], str(ROOT / "content" / "baclofen" / "en.yaml"), "--paper", "a4", "--theme",
                          "default"], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0 and "0 with a page" in run.stdout, run.stdout
