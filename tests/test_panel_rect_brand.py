"""api.panel_rect and api.build_reserved take the brand: its footer line leaves page 1 less room,
so on A5 in large print a branded leaflet's panel is laid out more compactly (or takes page 1 to
itself) and its rectangle is not the unbranded one. Without ``brand=`` panel_rect gave the
unbranded rectangle for a branded leaflet (23 to 46 points off on A5 large print)."""
from __future__ import annotations

import io
import re
import subprocess

import msgspec
import pikepdf
import pytest
from reportlab.pdfbase.pdfdoc import xObjectName

import leaflet
from leaflet import api
from leaflet.personal import rxfile
from leaflet.typeset.render import PANEL_FORM

from .conftest import ROOT

CONTENT = ROOT / "content" / "baclofen"
BRAND = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"
A5_HEIGHT = 595.2755905511812
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>')


def _form_box(pdf: bytes) -> tuple[float, ...]:
    """The panel's form on page 1, where the page draws it: (x0, y0, x1, y1) in points."""
    with pikepdf.open(io.BytesIO(pdf)) as p:
        box = p.pages[0].Resources.XObject["/" + xObjectName(PANEL_FORM)].BBox
        return tuple(float(v) for v in box)


@pytest.mark.parametrize("language", ["ja", "de", "he"])
def test_the_branded_rectangle_is_the_one_the_branded_leaflet_draws(language, tmp_path, has_poppler):
    rx = msgspec.structs.replace(rxfile.load(ROOT / "examples" / "prescription.yaml"), language=language)
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    brand = api.load_brand(BRAND)
    kw = dict(paper="a5", theme="large-print")
    pdf = api.build_personalised(doc, rx, brand=brand, **kw)
    x0, y0, x1, y1 = _form_box(pdf)
    for r in (rx, None):
        branded = api.panel_rect(doc, rx=r, brand=brand, **kw)
        assert branded == api.panel_rect(doc, rx=r, brand=str(BRAND), **kw)  # a loaded brand or its path
        if r is rx:  # the rectangle the branded leaflet stamps its panel into
            assert (branded.x, branded.y, branded.x + branded.width, branded.top) == pytest.approx((x0, y0, x1, y1))
    # the brand's footer makes a difference here: the rectangle without the brand is not this one
    assert api.panel_rect(doc, rx=rx, **kw) != api.panel_rect(doc, rx=rx, brand=brand, **kw)
    # build_reserved with the brand: the branded leaflet, its panel left empty, the body in the same places
    reserved = api.build_reserved(doc, rx=rx, brand=brand, **kw)
    assert _form_box(reserved) == pytest.approx((x0, y0, x1, y1))
    rect = api.panel_rect(doc, rx=rx, brand=brand, **kw)

    def words(data: bytes) -> list[tuple[float, float, str]]:
        (tmp_path / "x.pdf").write_bytes(data)
        out = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "x.pdf"), "-"], capture_output=True, text=True,
                             check=True).stdout
        return [(float(x), float(y), w) for x, y, w in WORD.findall(out)]

    below = A5_HEIGHT - rect.y
    body = [w for w in words(reserved) if w[1] > below]
    assert body and body == [w for w in words(pdf) if w[1] > below]
    assert "Riverside" in " ".join(w[2] for w in words(reserved))  # the brand is printed
    assert api.build_reserved(doc, rx=rx, brand=brand, **kw) == reserved  # deterministic
