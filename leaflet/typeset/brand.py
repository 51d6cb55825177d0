"""A clinic's brand on the page: the logo and name above the title, the footer line.

The logo is read here (the content stage checked its file): a PNG or JPEG through Pillow (its
size first, so that a huge image is refused before it is decoded), an SVG through svglib (drawn
as vectors; one that declares a DTD or entities, links to other files or has text in it is refused). Problems
are :class:`RenderError` with the path ``("logo",)``; :mod:`leaflet.api` puts them at the
``logo`` field of the brand file.
"""
from __future__ import annotations

import re
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..content.brand import BrandDocument
from ..errors import RenderError

MAX_PIXELS = 40_000_000  # a logo of more pixels is refused before it is decoded (a print logo needs ~1 MP)
LOGO_HEIGHT = 14 * mm  # the logo's height above the title (its width follows, up to MAX_LOGO_WIDTH)
MAX_LOGO_WIDTH = 60 * mm
GAP = 4 * mm  # between the logo and the clinic's name


class Logo:
    """A brand's logo, read and ready to draw: ``width`` and ``height`` are its own proportions."""

    def __init__(self, path: str, shown: str) -> None:
        self.path, self.shown = path, shown
        self.image: Any = None  # a ReportLab ImageReader (PNG, JPEG)
        self.drawing: Any = None  # a ReportLab Drawing (SVG)
        with open(path, "rb") as fh:
            head = fh.read(16)
        if head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
            self._bitmap()
        else:
            self._svg()

    def _problem(self, message: str, hint: str = "save the logo again as a PNG, JPEG or SVG file") -> RenderError:
        return RenderError(f"the logo {self.shown} {message}", ("logo",), hint, code="logo")

    def _bitmap(self) -> None:
        from PIL import Image, UnidentifiedImageError
        from reportlab.lib.utils import ImageReader

        try:
            with Image.open(self.path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise self._problem(f"is {width} x {height} pixels, more than the {MAX_PIXELS // 1_000_000} "
                                        "million pixels a logo may have", "scale it down: 1,000 pixels across "
                                        "prints sharp at logo size")
                image.load()  # a truncated or damaged file fails here, not in the middle of a build
        except RenderError:
            raise
        except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
            raise self._problem(f"cannot be read as an image ({type(exc).__name__}: {exc})") from None
        if width < 1 or height < 1:
            raise self._problem("has no pixels")
        self.image = ImageReader(self.path)
        self.width, self.height = float(width), float(height)

    def _svg(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                text = fh.read()
        except OSError as exc:
            raise self._problem(f"cannot be read: {exc.strerror}") from None
        if re.search(rb"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
            raise self._problem("declares a DTD or entities, which leaflet never expands",
                                "save the SVG without a DOCTYPE")
        for href in re.findall(rb"""<image\b[^>]*?href\s*=\s*["']([^"']*)""", text, re.IGNORECASE):
            if not href.strip().startswith(b"data:"):
                raise self._problem("links to another file; leaflet draws only what the logo file holds",
                                    "embed the image in the SVG (a data: URI), or give the logo as PNG")
        import logging

        from svglib.svglib import svg2rlg

        logger = logging.getLogger("svglib")
        level = logger.level
        logger.setLevel(logging.CRITICAL)  # svglib logs what it cannot draw; the error below says it
        try:
            drawing = svg2rlg(self.path)
        except Exception as exc:  # noqa: BLE001 - svglib raises anything for a bad file; said in its own words
            raise self._problem(f"cannot be read as an SVG image ({type(exc).__name__})") from None
        finally:
            logger.setLevel(level)
        if drawing is None or not drawing.width or not drawing.height:
            raise self._problem("cannot be read as an SVG image (it has no size, or is not SVG)")
        if any(_texts(drawing)):
            # svglib draws <text> in a standard PDF font: not embedded, with no glyph check (a
            # letter it lacks prints as nothing), and text that `leaflet verify` finds in no content
            raise self._problem("has text in it (an SVG <text> element), which leaflet does not print in a logo",
                                "convert the logo's text to outlines (paths) in the drawing program "
                                "(Inkscape: Path > Object to Path), or give the logo as PNG")
        self.drawing = drawing
        self.width, self.height = float(drawing.width), float(drawing.height)

    def size(self, height: float, max_width: float) -> tuple[float, float]:
        """The logo's width and height drawn ``height`` tall, narrower if it would be over ``max_width``."""
        w = self.width * height / self.height
        if w > max_width:
            return max_width, self.height * max_width / self.width
        return w, height

    def draw(self, canv: Any, x: float, y: float, width: float, height: float) -> None:
        if self.image is not None:
            canv.drawImage(self.image, x, y, width, height, mask="auto")
            return
        from reportlab.graphics import renderPDF

        canv.saveState()
        canv.translate(x, y)
        canv.scale(width / self.width, height / self.height)
        renderPDF.draw(self.drawing, canv, 0, 0)
        canv.restoreState()


def _texts(node: Any) -> Any:
    """The non-empty texts (ReportLab ``String`` shapes) in a drawing, its groups included."""
    from reportlab.graphics.shapes import Group, String

    if isinstance(node, String):
        if node.text.strip():
            yield node.text
    elif isinstance(node, Group):
        for child in node.contents:
            yield from _texts(child)


def read_logo(brand: BrandDocument) -> Logo | None:
    """The brand's logo, read (None without one); :class:`RenderError` at ``logo`` if it cannot be."""
    if brand.logo_path is None:
        return None
    from ..content.model import is_set

    shown = brand.brand.logo if is_set(brand.brand.logo) else brand.logo_path
    try:
        return Logo(brand.logo_path, shown)
    except OSError as exc:
        raise RenderError(f"the logo {shown} cannot be read: {exc.strerror or exc}", ("logo",),
                          "check the file and its permissions", code="logo") from None


class BrandBar(Flowable):
    """The clinic's logo with its name beside it, vertically centred, above the title: the logo
    at the left margin, or at the right in a right-to-left leaflet (the page is mirrored)."""

    def __init__(self, logo: Logo | None, name: Flowable, rtl: bool, logo_height: float = LOGO_HEIGHT) -> None:
        super().__init__()
        self.logo, self.name, self.rtl = logo, name, rtl
        self.logo_size = logo.size(logo_height, MAX_LOGO_WIDTH) if logo is not None else (0.0, 0.0)
        self.spaceAfter = 6

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        lw, lh = self.logo_size
        room = availWidth - (lw + GAP if self.logo is not None else 0)
        self._name_height = self.name.wrap(room, availHeight)[1]
        self.height = max(lh, self._name_height)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv = self.canv
        lw, lh = self.logo_size
        if self.logo is not None:
            self.logo.draw(canv, self.width - lw if self.rtl else 0.0, (self.height - lh) / 2, lw, lh)
        x = 0.0 if self.rtl or self.logo is None else lw + GAP
        self.name.drawOn(canv, x, (self.height - self._name_height) / 2)
