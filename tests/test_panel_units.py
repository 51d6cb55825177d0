"""The personal panel holds a number to its unit ("10 mg", "90 tablets") as the leaflet's own text
does (a no-break space, leaflet.text.inline): in a narrow panel no line ends with "10" and the next
begins with "mg". The value still reads as written (read back by poppler)."""
from __future__ import annotations

import io
import itertools
import re

import msgspec
import pytest
from reportlab.pdfgen.canvas import Canvas

import leaflet
from leaflet import api
from leaflet.personal import rxfile
from leaflet.resources import theme as load_theme
from leaflet.typeset.layout import Styles
from leaflet.typeset.linebreak import hyphenation_language
from leaflet.typeset.panel import Panel, Rect

from .conftest import ROOT
from .pdfgeom import text_lines

CONTENT = ROOT / "content" / "baclofen"
RX_YAML = ROOT / "examples" / "prescription.yaml"


def draw_panels(doc, rx, widths: range, theme: str = "large-print") -> list[list[str]]:
    """The panel of ``rx`` on ``doc``: its lines of text (poppler's pdftotext), one list per width
    the panel is drawn at."""
    locale, fonts = api.check(doc)
    rows, fonts = api.panel_for(doc, rx, locale, fonts)
    spec = load_theme(theme)
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(800, 1400))
    for width in widths:
        panel = Panel(rows, fonts, Styles(fonts, spec, hyphenation=hyphenation_language(doc.leaflet)), spec,
                      locale.direction == "rtl")
        panel.layout(width)
        panel.draw(canv, Rect(20, 1400 - 20 - 1300, width, 1300))
        canv.showPage()
    canv.save()
    return text_lines(out.getvalue())[:len(widths)]


def panel_lines(language: str, widths: range, theme: str = "large-print") -> list[list[str]]:
    """The panel's lines of text (poppler's pdftotext), one list per width the panel is drawn at."""
    rx = msgspec.structs.replace(rxfile.load(RX_YAML), language=language, strength="10 mg",
                                 directions="Take 1 tablet by mouth 3 times a day with 200 ml of water")
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    return draw_panels(doc, rx, widths, theme)


@pytest.mark.parametrize("language", ["en", "he", "ja"])
def test_a_number_never_wraps_away_from_its_unit(language, has_poppler):
    pages = panel_lines(language, range(240, 420, 3))
    # the leaflet's numbers in the panel, each with its unit (Latin digits in every language here)
    split = []
    for lines in pages:
        for a, b in itertools.pairwise(lines):
            if re.search(r"(?<![\d.,-])(10|1|3|200)$", a) and re.match(r"(mg|tablets?|times|ml)\b", b):
                split.append((a, b))
    assert not split, split[:3]
    joined = " ".join(" ".join(lines) for lines in pages)
    assert "10 mg" in joined and "200 ml" in joined and "\u00a0" not in joined  # read back as written


PHONES = ("+52 55 5555 0100", "+1 (555) 010 0199", "020 7946 0958")


@pytest.mark.parametrize("language", ["en", "es", "ar", "ja"])
def test_the_pharmacys_phone_number_never_wraps_inside(language, has_poppler):
    """Seen in a new user's trial: 'Teléfono: +52' / '55 5555 0100' (a number split over two lines is
    misdialled). The panel holds a phone number's digit groups together, as the brand footer does
    (its label may end a line: the number is whole on the next); it reads back as written."""
    doc0 = leaflet.load(CONTENT / "en.yaml")
    split, seen = [], 0
    for phone in PHONES:
        rx = msgspec.structs.replace(rxfile.load(RX_YAML), language=language, pharmacy_phone=phone,
                                     pharmacy_address="Avenida Insurgentes 1234, 03100")
        doc, _ = api.personal_document(doc0, rx)
        for lines in draw_panels(doc, rx, range(260, 460, 3)):
            text = "\n".join(lines)
            groups = phone.split(" ")
            for a, b in itertools.pairwise(lines):  # a line ends inside the number
                if any(a.endswith(" ".join(groups[:i])) and b.startswith(" ".join(groups[i:]))
                       for i in range(1, len(groups))):
                    split.append((phone, a, b))
            seen += phone in text or phone[::-1] in text  # (read back whole: right to left poppler may reverse)
    assert not split, split[:3]
    assert seen, "the phone number never read back whole"
