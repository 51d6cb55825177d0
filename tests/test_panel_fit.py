"""An ordinary prescription's panel fits on page 1 of every bundled leaflet, in every language, on A5
in large print, with and without a brand: where it does not fit as it is (under a machine
translation's banner, above a brand's footer line), it is laid out again more compactly (less
padding, no gap between rows; then its lines closer), and may take page 1 to itself, the leaflet
starting on page 2. The type keeps its size (16 pt, the directions 17.5 pt bold): read from the
PDF's content (pikepdf), the geometry and the texts with poppler.
"""
from __future__ import annotations

import io
import itertools
import re
import subprocess

import msgspec
import pikepdf
import pytest
from reportlab.pdfbase.pdfdoc import xObjectName

import leaflet
from leaflet import api
from leaflet.errors import ContentError
from leaflet.personal import rxfile
from leaflet.typeset.panel import COMPACT, REGULAR, TIGHT
from leaflet.typeset.render import PANEL_FORM

from . import pdfgeom
from .conftest import ROOT

pytestmark = pytest.mark.usefixtures("has_poppler")

CONTENT = ROOT / "content" / "baclofen"
LANGUAGES = sorted(p.stem for p in CONTENT.glob("*.yaml"))
BRAND = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"
RX = rxfile.load(ROOT / "examples" / "prescription.yaml")
# Russian under its four-line banner, above the brand's two-line footer line and the six lines of
# its disclaimer: page 1 has 89 mm for the panel, which takes 97 mm even laid out tightly
DOES_NOT_FIT = {("ru", True)}


def panel_sizes(pdf: bytes) -> tuple[list[float], list[str]]:
    """The font sizes the stamped panel's text is set in (its form XObject's Tf operators), and its
    fonts' names; the text matrix never scales them (a Tm other than a translation is reported)."""
    sizes, fonts = [], []
    with pikepdf.open(io.BytesIO(pdf)) as p:
        form = p.pages[0].Resources.XObject["/" + xObjectName(PANEL_FORM)]
        names = {str(k): str(v.get("/BaseFont")) for k, v in form.Resources.Font.items()}
        for operands, op in pikepdf.parse_content_stream(form):
            if str(op) == "Tf":
                sizes.append(float(operands[1]))
                fonts.append(names[str(operands[0])])
            elif str(op) == "Tm":
                assert [float(v) for v in operands[:4]] == [1, 0, 0, 1], operands
            elif str(op) == "cm":
                a, b, c, d = (float(v) for v in operands[:4])
                assert (a, b, c, d) == (1, 0, 0, 1) or (a == d and b == -c and a * a + b * b == 1), operands
    return sizes, fonts


@pytest.mark.parametrize("branded", [False, True], ids=["plain", "brand"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_ordinary_prescription_fits_on_page_1_on_a5_in_large_print(language, branded, tmp_path):
    rx = msgspec.structs.replace(RX, language=language)
    brand = api.load_brand(BRAND) if branded else None
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    assert doc.leaflet.language == language
    if (language, branded) in DOES_NOT_FIT:  # the one case left: refused, as README says, naming the row
        with pytest.raises(ContentError) as info:
            api.build_personalised(doc, rx, paper="a5", theme="large-print", brand=brand, rx_file="rx.yaml")
        [d] = info.value.diagnostics
        assert d.code == "panel" and "it takes 97 mm where the page has 89 mm for it" in d.message
        return
    pdf = api.build_personalised(doc, rx, paper="a5", theme="large-print", brand=brand)
    assert api.verify(doc, pdf, rx, brand=brand) == []  # the panel first on page 1, every text, the banner
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    pages = pdfgeom.read_words(path)
    assert pdfgeom.overlaps(pages[0].words) == []  # the panel overlaps neither the banner nor the footer
    if language not in ("ar", "he", "ja", "zh"):  # (pdfgeom sorts furniture into words left to right only)
        _, problems, _ = pdfgeom.analyse(doc, path, "large-print", brand.brand if brand else None)
        assert [p for p in problems if p.startswith("page 1:")] == []  # nothing outside the text area
    # the whole panel on page 1 (poppler): its texts, the last row's too
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    flat = re.sub(r"\s+", " ", first)
    for value in ("Alex Example", "Take 1 tablet", "Dr. Sam Sample", "555-0100", "RX-0001234", "90 tablets"):
        assert value in flat, value
    # the type keeps its size: 16 pt, the directions 17.5 pt in bold
    sizes, fonts = panel_sizes(pdf)
    assert min(sizes) >= 16 and max(sizes) == 17.5
    # (Chinese and Japanese fonts have no bold face: their bold is drawn, stroked, from the regular one)
    assert all("Bold" in f or language in ("ja", "zh") for s, f in zip(sizes, fonts) if s == 17.5)
    # and its lines no closer than 1.25 times their size
    t = api.template(doc, paper="a5", theme="large-print", brand=brand)
    rect = t.geometry(api._measured(t, rx, "")[0].lines)[0]
    page = pages[0]
    inside = [w for w in page.words if page.height - rect.top - 1 <= w.y0 and w.y1 <= page.height - rect.y + 1]
    assert all(rect.x - 0.6 <= w.x0 and w.x1 <= rect.x + rect.width + 0.6 for w in inside)
    tops = [row[0].y0 for row in pdfgeom.rows(inside, tolerance=6)]  # (CJK and Latin boxes differ a little)
    assert min(b - a for a, b in itertools.pairwise(tops)) >= 20 - 0.6  # 16 pt on 20 pt lines at the closest


def mode(language: str, paper: str, branded: bool) -> int:
    rx = msgspec.structs.replace(RX, language=language)
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    t = api.template(doc, paper=paper, theme="large-print", brand=BRAND if branded else None)
    return int(api._measured(t, rx, "")[0].mode)


def test_a_panel_is_laid_out_compactly_only_where_it_does_not_fit_as_it_is():
    # English has no banner: its panel is as it always was, on A5 too; so is every panel on A4
    assert mode("en", "a5", True) == REGULAR
    assert {mode(lang, "a4", True) for lang in ("de", "ru", "ja")} == {REGULAR}
    assert mode("de", "a5", False) == COMPACT  # 122 mm where page 1 had 110 mm for it, with the gap under it
    assert mode("de", "a5", True) == TIGHT  # and above the brand's footer line: 98 mm


def test_a_panel_that_takes_page_1_to_itself_starts_the_leaflet_on_page_2(tmp_path):
    rx = msgspec.structs.replace(RX, language="de")
    brand = api.load_brand(BRAND)
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    pdf = api.build_personalised(doc, rx, paper="a5", theme="large-print", brand=brand)
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    assert "Gebrauchsinformation" not in text[0] and "Gebrauchsinformation" in text[1]
    assert "Alex Example" in text[0] and "Alex Example" not in "".join(text[1:])


def test_a_height_class_taller_than_page_1_gets_page_1_s_whole_body():
    """A compact panel's class (its height rounded up to whole lines) may be taller than page 1's
    body while the panel itself fits: its rectangle is then the whole body, and the leaflet is laid
    out from page 2 (page 1's frame has no height)."""
    doc = leaflet.load(CONTENT / "de.yaml")
    t = api.template(doc, paper="a5", theme="large-print", brand=BRAND)
    rect, room, full = t.geometry(40)
    assert rect.height == pytest.approx(full) and room == pytest.approx(full - 10)
    assert t.geometry(None)[0].top == pytest.approx(rect.top)
    layout = t.layout(40)
    _, y0, _, y1 = layout.bbox
    assert y1 - y0 == pytest.approx(full, abs=0.01)
    with pikepdf.open(io.BytesIO(layout.pdf)) as p:
        assert len(p.pages) > 20
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "2", "-", "-"], input=layout.pdf, capture_output=True,
                          check=True).stdout.decode("utf-8").split("\f")
    assert "Gebrauchsinformation" not in text[0] and "Gebrauchsinformation" in text[1]
