"""QR codes to the digital leaflet (``digital_url``): decoded from rendered pixels by an independent
reader (zxing-cpp on a ``pdftoppm`` PNG), in left-to-right and right-to-left leaflets; the address
printed beside the code (checked with ``pdftotext``) and verified; bad addresses refused."""
from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

import leaflet
from leaflet.errors import RenderError
from leaflet.text.printed import printed_stream
from leaflet.text.uri import ascii_uri
from leaflet.typeset import qr

from .conftest import MINIMAL

pytestmark = pytest.mark.usefixtures("has_poppler")

URL = "https://example.org/leaflets/testamol/en"

RTL = textwrap.dedent("""\
    language: ar
    medicine:
      name: تيستامول
    revision:
      date: "2026-11-23"
    digital_url: {url}
    sections:
      - heading: ما هو تيستامول
        blocks:
          - text: تيستامول دواء خيالي للاختبارات.
""")


def with_url(url: str, base: str = MINIMAL) -> str:
    return base.replace("revision:", f"digital_url: {url}\nrevision:", 1)


def render_png(pdf: bytes, tmp_path: Path, dpi: int = 150, page: int = 1) -> Path:
    src = tmp_path / "qr.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(src), str(tmp_path / "page")], check=True)
    return tmp_path / "page.png"


def decode(png: Path) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    with Image.open(png) as image:
        return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize(("text", "url"), [
    (with_url(URL), URL),
    (RTL.format(url="https://example.org/ar/testamol"), "https://example.org/ar/testamol"),
], ids=["ltr", "rtl"])
def test_the_code_decodes_to_the_address_and_the_address_prints_beside_it(text, url, tmp_path):
    doc = leaflet.parse(text, "qr.yaml")
    pdf = leaflet.build_bytes(doc)
    assert decode(render_png(pdf, tmp_path)) == [url]
    assert leaflet.verify(doc, pdf) == []  # the label and the address are in the printed stream
    out = subprocess.run(["pdftotext", str(tmp_path / "qr.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert url in out
    # the address is a link (and so is the code)
    assert pdf.count(f"/URI ({url})".encode()) == 2


def test_the_code_is_vector_and_on_the_side_of_the_page_the_text_starts(tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    for text, rtl in ((with_url(URL), False), (RTL.format(url=URL), True)):
        pdf = leaflet.build_bytes(leaflet.parse(text, "qr.yaml"))
        assert b"/Subtype /Image" not in pdf  # drawn, not a bitmap
        with Image.open(render_png(pdf, tmp_path)) as image:
            (found,) = zxingcpp.read_barcodes(image)
            width = image.size[0]
        p = found.position
        centre = (p.top_left.x + p.top_right.x + p.bottom_left.x + p.bottom_right.x) / 4
        # in a right-to-left leaflet the page is mirrored: the code stands at the right margin
        assert (centre > width / 2) == rtl, (centre, width)


def test_a_long_address_makes_a_larger_code_that_still_decodes(tmp_path):
    url = "https://example.org/leaflets/" + "testamol-" * 20 + "en?lang=en&v=2#side-effects"
    doc = leaflet.parse(with_url(url), "qr.yaml")
    pdf = leaflet.build_bytes(doc)
    assert decode(render_png(pdf, tmp_path)) == [url]
    assert leaflet.verify(doc, pdf) == []
    assert qr.qr_side(url) > qr.qr_side(URL)


def test_a_non_ascii_address_is_encoded_as_browsers_send_it(tmp_path):
    url = "https://مثال.example/نشرة"
    doc = leaflet.parse(RTL.format(url=url), "qr.yaml")
    pdf = leaflet.build_bytes(doc)
    assert decode(render_png(pdf, tmp_path)) == [ascii_uri(url)] == ["https://xn--mgbh0fb.example/%D9%86%D8%B4%D8%B1%D8%A9"]
    assert leaflet.verify(doc, pdf) == []


def test_the_quiet_zone_is_four_white_modules_and_the_modules_are_at_least_half_a_millimetre():
    matrix = qr.qr_matrix(URL)
    assert qr.qr_modules(URL) == len(matrix) + 8
    assert qr.qr_side(URL) / qr.qr_modules(URL) >= 0.5 * 72 / 25.4 - 1e-9
    assert qr.LEVEL == "M"


def test_draw_qr_refuses_modules_a_phone_cannot_read():
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas("/dev/null")
    with pytest.raises(RenderError, match=r"under the 0\.4 mm"):
        qr.draw_qr(canvas, 0, 0, qr.qr_modules(URL) * qr.MIN_MODULE * 0.9, URL)
    qr.draw_qr(canvas, 0, 0, qr.qr_modules(URL) * qr.MIN_MODULE, URL)  # the smallest allowed


def test_draw_qr_on_a_bare_canvas_decodes(tmp_path):
    """draw_qr on its own (as the personal panel calls it), on a coloured background."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "bare.pdf"
    canvas = Canvas(str(path), pagesize=(200, 200), invariant=1)
    canvas.setFillColorRGB(0.2, 0.3, 0.6)
    canvas.rect(0, 0, 200, 200, stroke=0, fill=1)
    qr.draw_qr(canvas, 40, 40, 120, URL)
    canvas.save()
    assert decode(render_png(path.read_bytes(), tmp_path)) == [URL]


@pytest.mark.parametrize(("url", "says"), [
    ("ftp://example.org/x", "'ftp://example.org/x' is not a web address: it must start with http:// or https://"),
    ("example.org/testamol", "is not a web address"),
    ("https://example.org/a leaflet", "is not a web address"),
    ("https://", "is not a web address"),
    ("https://example.org/" + "a" * 2400, "too long for a QR code"),
])
def test_a_bad_address_is_a_content_error_at_its_place(url, says, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(with_url(f'"{url}"'), encoding="utf-8")
    problems = leaflet.validate(path)
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.path, p.code, p.line, p.column) == (("digital_url",), "value", 6, 14)
    assert says in p.message
    assert "https://example.org/leaflets" in p.hint or "shorter address" in p.hint


def test_a_digital_url_that_is_not_text_is_a_type_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(with_url("[https://example.org]"), encoding="utf-8")
    (p,) = leaflet.validate(path)
    assert (p.path, p.code) == (("digital_url",), "type")


def test_without_digital_url_nothing_is_added():
    doc = leaflet.parse(MINIMAL, "min.yaml")
    strings = leaflet.api._locale(doc).strings
    assert not any(item.path == ("digital_url",) for item in printed_stream(doc.leaflet, strings))
    assert b"/URI" not in leaflet.build_bytes(doc)
