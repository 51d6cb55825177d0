"""An ordinary prescription's panel fits on page 1 of every bundled leaflet, in every language, on A5
in large print, with and without a brand: where it does not fit as it is (under a machine
translation's banner, above a brand's footer line), it is laid out again more compactly (less
padding, no gap between rows; then its lines closer), and may take page 1 to itself, the leaflet
starting on page 2; where page 1 is too short even for that (Russian with the brand), page 1's top
and bottom margins give what it lacks, never below 8 mm, everything on the page printing as on every
page. The type keeps its size (16 pt, the directions 17.5 pt bold): read from the PDF's content
(pikepdf), the geometry and the texts with poppler.
"""
from __future__ import annotations

import io
import itertools
import re
import subprocess
from collections import Counter

import msgspec
import pikepdf
import pytest
from reportlab.pdfbase.pdfdoc import xObjectName

import leaflet
from leaflet import api
from leaflet.personal import rxfile
from leaflet.resources import locale_for
from leaflet.text import printed
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
# its disclaimer: page 1 has 89 mm for the panel, which takes 97 mm (its height class) even laid out
# tightly; page 1's margins give it the 8 mm it lacks (from 14 and 12 mm to 9.5 and 9 mm)
MARGINS_GIVE = {("ru", True)}
THEME_MARGINS = (14 * pdfgeom.MM, 12 * pdfgeom.MM)  # large print's top and bottom margins (points)


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
    pdf = api.build_personalised(doc, rx, paper="a5", theme="large-print", brand=brand)
    assert api.verify(doc, pdf, rx, brand=brand) == []  # the panel first on page 1, every text, the furniture
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    pages = pdfgeom.read_words(path)
    page = pages[0]
    assert pdfgeom.overlaps(page.words) == []  # the panel overlaps neither the banner nor the footer
    # page 1's margins (poppler): its furniture where page 2's is, but where they give the panel room
    lowest = [max(w.y1 for w in p.words) for p in pages[:2]]  # "Page X of Y", the last line
    bottom = THEME_MARGINS[1] - (lowest[0] - lowest[1])
    top = THEME_MARGINS[0]
    if doc.leaflet.status != "final":  # the banner's first line
        top -= min(w.y0 for w in pages[1].words) - min(w.y0 for w in page.words)
    if (language, branded) in MARGINS_GIVE:
        assert 8 * pdfgeom.MM - 0.01 <= top < THEME_MARGINS[0] - 1 and 8 * pdfgeom.MM - 0.01 <= bottom < THEME_MARGINS[1] - 1
    else:
        assert (top, bottom) == pytest.approx(THEME_MARGINS, abs=0.01)
    if language not in ("ar", "he", "ja", "zh"):  # (pdfgeom sorts furniture into words left to right only)
        read, problems, _ = pdfgeom.analyse(doc, path, "large-print", brand.brand if brand else None, first=(top, bottom))
        assert [p for p in problems if p.startswith("page 1:")] == []  # nothing outside page 1's text area
        # the footer (brand line, disclaimer, revision, "Page X of Y") and the banner as on page 2, line for line

        def lines(words: list[pdfgeom.Word], start: float) -> list[float]:
            return sorted({round(w.y0 - start, 1) for w in words})

        one, two = read[0], read[1]
        assert lines(one.footer, lowest[0]) == lines(two.footer, lowest[1]) and len(lines(one.footer, 0)) >= 3
        if one.header:  # the banner: in full on page 1, its first sentence (two lines here) on page 2
            assert lines(one.header, one.header[0].y0)[:2] == lines(two.header, two.header[0].y0)[:2]
    # the whole panel on page 1 (poppler): its texts, the last row's too
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    flat = re.sub(r"\s+", " ", first)
    values = ("Alex Example", "Take 1 tablet", "Dr. Sam Sample", "555-0100", "RX-0001234", "90 tablets")
    for value in values:
        assert value in flat, value
    # the type keeps its size: 16 pt, the directions 17.5 pt in bold
    sizes, fonts = panel_sizes(pdf)
    assert min(sizes) >= 16 and max(sizes) == 17.5
    # (Chinese and Japanese fonts have no bold face: their bold is drawn, stroked, from the regular one)
    assert all("Bold" in f or language in ("ja", "zh") for s, f in zip(sizes, fonts) if s == 17.5)
    # its texts inside the panel's rectangle, every other text of page 1 wholly above it (the banner)
    # or below it (the body, the footer); its lines no closer than 1.25 times their size
    t = api.template(doc, paper="a5", theme="large-print", brand=brand)
    rect = t.geometry(api._measured(t, rx, "")[0].lines)[0]
    high, low = page.height - rect.top, page.height - rect.y  # (poppler's y runs downwards)
    inside = [w for w in page.words if high - 1 <= w.y0 and w.y1 <= low + 1]
    assert all(rect.x - 0.6 <= w.x0 and w.x1 <= rect.x + rect.width + 0.6 for w in inside)
    # (in Chinese and Japanese poppler takes a label and the value after it for one word)
    assert [v for value in values for v in value.split() if not any(v in w.text for w in inside)] == []
    outside = [w for w in page.words if w not in inside]
    assert all(w.y1 <= high or w.y0 >= low for w in outside), [w for w in outside if high < w.y1 and w.y0 < low]
    above = [w for w in outside if w.y1 <= high]
    banner = printed.banner(doc.leaflet, locale_for(language).strings) or ""
    assert not Counter("".join(w.text for w in above)) - Counter(re.sub(r"\s", "", banner))  # above it, the banner
    assert len(inside) > 20 and min(w.y0 for w in inside) > high - 1 and max(w.y1 for w in inside) < low + 1
    tops = [row[0].y0 for row in pdfgeom.rows(inside, tolerance=6)]  # (CJK and Latin boxes differ a little)
    assert min(b - a for a, b in itertools.pairwise(tops)) >= 20 - 0.6  # 16 pt on 20 pt lines at the closest


def mode(language: str, paper: str, branded: bool, theme: str = "large-print") -> int:
    rx = msgspec.structs.replace(RX, language=language)
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    t = api.template(doc, paper=paper, theme=theme, brand=BRAND if branded else None)
    return int(api._measured(t, rx, "")[0].mode)


def test_a_panel_is_laid_out_compactly_only_where_it_does_not_fit_as_it_is():
    # English has no banner: its panel is as it always was, on A5 too; so is every panel on A4 and Letter
    assert mode("en", "a5", True) == REGULAR
    assert {mode(lang, paper, branded, theme) for lang in LANGUAGES for paper in ("a4", "letter")
            for branded in (False, True) for theme in ("default", "large-print")} == {REGULAR}
    assert mode("de", "a5", False) == COMPACT  # 122 mm where page 1 had 110 mm for it, with the gap under it
    assert mode("de", "a5", True) == TIGHT  # and above the brand's footer line: 98 mm
    assert mode("ru", "a5", True) == TIGHT  # 97 mm where page 1 has 89 mm: its margins give the rest


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
    body: page 1's top and bottom margins give what it lacks, down to 8 mm; a class taller even
    than that gets the whole body between those margins, and the leaflet is laid out from page 2
    (page 1's frame has no height)."""
    doc = leaflet.load(CONTENT / "de.yaml")
    t = api.template(doc, paper="a5", theme="large-print", brand=BRAND)
    rect, room, full, most = t.geometry(40)
    assert room == pytest.approx(full - 10) and most == pytest.approx(full + 10 * pdfgeom.MM)  # 14, 12 mm to 8, 8
    assert rect.height == pytest.approx(most)
    eleven, twelve = t.geometry(11)[0], t.geometry(12)[0]  # 97 mm: it fits; 105 mm: the margins give 3.7 mm
    assert eleven.height < full < twelve.height < most and eleven.top < twelve.top < rect.top
    assert t.geometry(None)[0].top == pytest.approx(rect.top)
    layout = t.layout(40)
    _, y0, _, y1 = layout.bbox
    assert y1 - y0 == pytest.approx(most, abs=0.01)
    with pikepdf.open(io.BytesIO(layout.pdf)) as p:
        assert len(p.pages) > 20
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "2", "-", "-"], input=layout.pdf, capture_output=True,
                          check=True).stdout.decode("utf-8").split("\f")
    assert "Gebrauchsinformation" not in text[0] and "Gebrauchsinformation" in text[1]


def test_batch_stamps_the_panel_build_rx_gives_where_page_1_s_margins_give(tmp_path, capsys):
    """leaflet batch lays the Russian leaflet out once, its page 1's margins given for the panel's
    class, and stamps each panel in: the bytes build --rx gives (and verify passes, panel included)."""
    import csv

    from leaflet.cli import main

    fields = ["patient", "directions", "purpose", "strength", "form", "prescriber", "pharmacy", "pharmacy_address",
              "pharmacy_phone", "rx_number", "dispensed", "quantity", "refills", "language"]
    rxs = [msgspec.structs.replace(RX, language="ru"), msgspec.structs.replace(RX, language="ru", rx_number="RX-2"),
           msgspec.structs.replace(RX, language="de")]
    src = tmp_path / "rx.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(fields)
        w.writerows([[str(getattr(rx, f)) for f in fields] for rx in rxs])
    out = tmp_path / "out"
    status = main(["batch", str(CONTENT), str(src), "-o", f"{out}/", "-j", "1", "--paper", "a5", "--theme",
                   "large-print", "--brand", str(BRAND), "--quiet"])
    _, err = capsys.readouterr()
    assert status == 0, err
    brand = api.load_brand(BRAND)
    for n, rx in enumerate(rxs, start=2):
        stamped = (out / f"{n:05d}-{rx.language}.pdf").read_bytes()
        doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
        assert stamped == api.build_personalised(doc, rx, paper="a5", theme="large-print", brand=brand)
        assert api.verify(doc, stamped, rx, brand=brand) == []
