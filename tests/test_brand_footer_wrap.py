"""The brand's footer line wraps between its parts, never inside a phone number: "Phone: 555 0100"
split over two lines ("Phone: 555" / "0100 · https://…") was seen on Letter in large print. The
spaces inside a group of digits are no-break spaces (as the panel holds a number to its unit); the
line still prints and reads back (poppler, and leaflet verify --brand) as written."""
from __future__ import annotations

import io
import itertools
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

import leaflet
from leaflet import api
from leaflet.resources import theme as load_theme
from leaflet.typeset.layout import Styles
from leaflet.typeset.render import PageFurniture, hold_digit_groups

from .conftest import ROOT
from .pdfgeom import text_lines

pytestmark = pytest.mark.usefixtures("has_poppler")

CONTENT = ROOT / "content" / "baclofen"
PHONES = ("555 0100", "+1 (555) 010 0199", "020 7946 0958")
BRAND = textwrap.dedent("""\
    name: Riverside Family Clinic
    contact:
      - 12 Example Road, Springfield
      - "Phone: 555 0100"
      - "Fax: +1 (555) 010 0199"
      - "Out of hours: 020 7946 0958"
    website: https://riverside.example
""")


def footer_lines(language: str, widths: range, tmp_path: Path, theme: str = "large-print") -> list[list[str]]:
    """The brand line's lines of text (poppler's pdftotext), one list per text width it is wrapped at."""
    (tmp_path / "brand.yaml").write_text(BRAND, encoding="utf-8")
    brand = leaflet.load_brand(tmp_path / "brand.yaml").brand
    doc = leaflet.load(CONTENT / f"{language}.yaml")
    locale, fonts = api.check(doc)
    spec = load_theme(theme)
    margins = (spec["margins_mm"]["left"] + spec["margins_mm"]["right"]) * 72 / 25.4
    styles = Styles(fonts, spec)
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(900, 900))
    for width in widths:  # the footer of a page whose text area is this wide
        line = PageFurniture(styles, fonts, spec, locale, doc.leaflet, width + margins, 900, brand=brand).brand_line
        assert line is not None
        line.drawOn(canv, 20, 880 - line.height)
        canv.showPage()
    canv.save()
    return text_lines(out.getvalue())[:len(widths)]


@pytest.mark.parametrize("language", ["en", "he", "ja"])
def test_a_phone_number_never_breaks_over_two_lines(language: str, tmp_path: Path) -> None:
    pages = footer_lines(language, range(270, 560, 3), tmp_path)
    split = []
    for lines in pages:
        for a, b in itertools.pairwise(lines):
            # a digit group parted, or a label from its number (right to left, pdftotext gives the
            # lines' words in the eye's order: the test is the same)
            if re.search(r"(\d[)]?|:)$", a) and re.match(r"[(+]?\d", b):
                split.append((a, b))
    assert not split, split[:3]
    wrapped = sum(len(lines) > 1 for lines in pages)
    assert wrapped > len(pages) // 2  # the line did wrap, at most of these widths
    joined = " ".join(" ".join(lines) for lines in pages)
    assert "\u00a0" not in joined  # read back as written: spaces
    for phone in PHONES:
        assert joined.count(phone) == len(pages), phone  # every time, whole


def test_digit_groups_are_held_and_nothing_else() -> None:
    assert hold_digit_groups("Phone: 555 0100") == "Phone:\u00a0555\u00a00100"
    assert hold_digit_groups("Tel. +1 (555) 010-0100") == "Tel. +1\u00a0(555)\u00a0010-0100"
    assert hold_digit_groups("電話：03 1234 5678") == "電話：03\u00a01234\u00a05678"
    assert hold_digit_groups("555 / 0100") == "555\u00a0/\u00a00100"
    # words, and a number beside a word, still break as before
    assert hold_digit_groups("12 Example Road, Springfield") == "12 Example Road, Springfield"
    assert hold_digit_groups("Phone 555") == "Phone 555"


def test_letter_large_print_prints_and_verifies_the_contact_lines_whole(tmp_path: Path) -> None:
    """The case reported: Letter in large print, where a brand line with this address wrapped
    inside the number ("… · Phone: 555" / "0100 · https://…"). Now the number goes whole to the
    next line, with its label."""
    brand = tmp_path / "brand.yaml"
    brand.write_text(textwrap.dedent("""\
        name: Riverside Family Clinic
        contact:
          - 12 Example Road, Springfield Lake Meadows
          - "Phone: 555 0100"
        website: https://riverside.example
    """), encoding="utf-8")
    doc = leaflet.load(CONTENT / "en.yaml")
    pdf = api.build_bytes(doc, paper="letter", theme="large-print", brand=brand)
    assert api.verify(doc, pdf, brand=brand) == []
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    lines = [line.strip() for line in text.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("Riverside Family Clinic ·"))
    assert lines[at:at + 2] == ["Riverside Family Clinic · 12 Example Road, Springfield Lake Meadows ·",
                                "Phone: 555 0100 · https://riverside.example"], lines[at:at + 2]
