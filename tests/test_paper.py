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


def frame(doc: leaflet.Document, theme: str, paper: str, brand=None) -> tuple[float, float, float]:
    """The body's frame as the layout declares it, in poppler's coordinates (y down): the top of
    page 1's, the top of later pages', and the bottom (the footer's top)."""
    from leaflet.typeset.fonts import fonts_for
    from leaflet.typeset.layout import Styles
    from leaflet.typeset.render import PAPER, PageFurniture

    locale = locale_for(doc.leaflet.language)
    fonts = fonts_for(locale.script)
    t = load_theme(theme)
    width, height = PAPER[paper]
    f = PageFurniture(Styles(fonts, t), fonts, t, locale, doc.leaflet, width, height, brand=brand)
    bottom = height - f.bottom - f.footer_height()
    return bottom - f.body_height(first=True), bottom - f.body_height(first=False), bottom


def check_pages(doc: leaflet.Document, pdf: Path, theme: str, paper: str, brand=None) -> list[float]:
    """Any script: no word outside the text area or over another (poppler's boxes), no body
    text in the footer; returns the share of each page's body left empty."""
    pages = pdfgeom.read_words(pdf)
    first_top, later_top, bottom = frame(doc, theme, paper, brand)
    empty = []
    for page in pages:
        area = pdfgeom.Geometry.from_theme(load_theme(theme), page.width, page.height)
        for w in page.words:
            assert area.left - 0.6 <= w.x0 and w.x1 <= area.right + 0.6, (page.number, w)
            assert area.top - 0.25 * (w.y1 - w.y0) <= w.y0, (page.number, w)
        assert pdfgeom.overlaps(page.words) == [], page.number
        top = first_top if page.number == 1 else later_top
        body = [w for w in page.words if w.y0 >= top - 1 and w.y1 <= bottom + 4]
        for w in body:  # (the footer's last line may reach into the margin by a script's descent)
            assert w.y1 <= area.bottom + 0.25 * (w.y1 - w.y0), (page.number, w)
        below = [w for w in page.words if w.y0 > bottom - 4 and w not in body]
        assert body, page.number
        # text is in the body or entirely in the footer: none straddles the footer's top
        assert all(w.y0 >= bottom - 0.25 * (w.y1 - w.y0) for w in below), (page.number, below[:3])
        empty.append(round(max(0.0, bottom - max(w.y1 for w in body)) / (bottom - top), 2))
    return empty


# Where the page-fill rule does not hold yet on A5 (measured: Japanese in large print leaves a page
# 0.26 empty, where the FAQ's heading, its first question and two lines of the answer do not fit
# in the room a page leaves and nothing before them can be moved on); the geometry (no overlap,
# nothing outside the text area or into the footer) and verify hold everywhere: checked first.
FILL_NOT_YET = {("ja", "large-print")}


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
    full = all(e <= MAX_EMPTY for e in empty[:-1])
    if language == "en":  # the header and footer word by word (words split at spaces: Latin only)
        pages, problems, area = analyse(doc, pdf, theme)
        assert problems == []
        empty = [round(pdfgeom.empty_fraction(p, area), 2) for p in pages]  # as tests/test_geometry.py measures
        full = full and all(e <= MAX_EMPTY for e in empty[:-1])
    if (language, theme) in FILL_NOT_YET:
        if full:  # pragma: no cover - a fix of the page breaks: take it off the list
            pytest.fail(f"the page-fill rule now holds on A5 for {language} {theme}: remove it from FILL_NOT_YET")
        pytest.xfail(f"page-fill rule not yet met on A5 ({language}, {theme}): {empty}")
    assert full, f"share of each page left empty: {empty}"


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
