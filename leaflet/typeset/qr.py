"""QR codes to a leaflet's digital version: vector, with their quiet zone, sized for a phone.

:func:`draw_qr` draws the code as filled rectangles (one per run of dark modules in a row) on
a white square that includes the quiet zone, so it prints sharp at any resolution and reads
on a coloured background too. ReportLab's own encoder (``reportlab.graphics.barcode.qrencoder``)
makes the matrix: no dependency is added for it.

Choices, for a code printed on paper and read by a phone camera:

- error correction level **M** (15 % of the code may be lost): enough for a crease, a smudge
  or a pen mark, while keeping the code small; H would make it a third larger for damage a
  leaflet rarely has (it matters under a logo, and leaflet puts nothing over the code);
- the **quiet zone** is 4 modules on each side, as the standard (ISO/IEC 18004) asks;
- modules of **0.5 mm** (:data:`MODULE`) by default and never under 0.4 mm
  (:data:`MIN_MODULE`): phone cameras read 0.4 mm modules at a normal reading distance; a
  typical 40-character address is a 29-module code, 18.5 mm square with its quiet zone;
- the data is the address as an ASCII URI: a non-ASCII host goes through IDNA and any other
  non-ASCII character is percent-encoded (UTF-8), as browsers send it, so that every reader
  opens the same address (a QR code in byte mode does not say its character set).

The code is never the only way to the digital leaflet: callers print the address beside it
(the content's ``digital_url`` prints as text and a link; see :mod:`leaflet.typeset.layout`).
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..errors import RenderError
from ..text.uri import QR_CAPACITY, ascii_uri

QUIET = 4  # modules of quiet zone on each side (ISO/IEC 18004)
MODULE = 0.5 * mm  # the module size draw_qr's callers are advised to use (see qr_side)
MIN_MODULE = 0.4 * mm  # smaller modules are refused: phones miss them on paper
LEVEL = "M"  # error correction: 15 % of the code may be damaged


def qr_data(url: str) -> str:
    """The address as the code holds it: see :func:`leaflet.text.uri.ascii_uri`."""
    return ascii_uri(url)


@lru_cache(maxsize=64)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, row by row from the top, True for dark (without the quiet zone)."""
    # imported here: reportlab.graphics.barcode imports every kind of barcode (about 40 M
    # instructions), which a leaflet without a QR code does not need
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, LEVEL))
    data = qr_data(url).encode("ascii")
    if len(data) > QR_CAPACITY:  # beyond the largest code (version 40); the content rules say so first
        raise RenderError("the web address is too long for a QR code", ("digital_url",),
                          "give a shorter address (a short link) for the digital leaflet", code="value")
    code.addData(qrencoder.QR8bitByte(data))
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


def qr_modules(url: str) -> int:
    """The code's width in modules, quiet zone included."""
    return len(qr_matrix(url)) + 2 * QUIET


def qr_side(url: str, module: float = MODULE) -> float:
    """The side (points) of the code for ``url`` at ``module`` points a module, quiet zone included."""
    return qr_modules(url) * module


def draw_qr(canvas: Any, x: float, y: float, size: float, url: str) -> None:
    """Draw the QR code of ``url`` on a ReportLab canvas: a ``size`` x ``size`` square (points)
    whose lower left corner is at (``x``, ``y``), quiet zone included (white, painted), the
    code black; the square is also a link to ``url``. Raises :class:`RenderError` when the
    modules would be smaller than :data:`MIN_MODULE` (give a larger size, or a shorter address;
    :func:`qr_side` gives the advised size). Deterministic: the same address draws the same."""
    matrix = qr_matrix(url)
    count = len(matrix) + 2 * QUIET
    module = size / count
    if module < MIN_MODULE - 1e-9:
        raise RenderError(
            f"the QR code would have modules of {module / mm:.2f} mm, under the {MIN_MODULE / mm:.1f} mm a phone "
            f"reads on paper ({count} modules in {size / mm:.1f} mm)", ("digital_url",),
            "give a shorter address for the digital leaflet (a short link)", code="layout")
    canvas.saveState()
    canvas.setFillGray(1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)  # the quiet zone, whatever is under it
    canvas.setFillGray(0)
    path = canvas.beginPath()
    top = y + size - QUIET * module
    for r, row in enumerate(matrix):
        c = 0
        for dark, run in itertools.groupby(row):
            n = len(list(run))
            if dark:
                path.rect(x + (QUIET + c) * module, top - (r + 1) * module, n * module, module)
            c += n
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    canvas.linkURL(qr_data(url), (x, y, x + size, y + size), relative=1, thickness=0)


MIN_SIDE = 20 * mm  # the smallest code drawn beside a text: about the size phones find at a glance
GAP = 4 * mm  # between the code and its text


class QrBlock(Flowable):
    """The code of ``url`` with ``texts`` (flowables: the label and the printed address) beside it,
    vertically centred on the code: the code at the left, or at the right when ``rtl`` (the page
    is mirrored). Never split (it is a few lines tall)."""

    def __init__(self, url: str, texts: list[Flowable], rtl: bool) -> None:
        super().__init__()
        self.url, self.texts, self.rtl = url, texts, rtl
        self.side = max(qr_side(url), MIN_SIDE)
        self._text_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        room = availWidth - self.side - GAP
        self._text_height = sum(t.wrap(room, availHeight)[1] + t.getSpaceAfter() for t in self.texts)
        if self.texts:
            self._text_height -= self.texts[-1].getSpaceAfter()
        self.height = max(self.side, self._text_height)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv = self.canv
        x_code = self.width - self.side if self.rtl else 0.0
        draw_qr(canv, x_code, self.height - self.side, self.side, self.url)
        x_text = 0.0 if self.rtl else self.side + GAP
        y = self.height - (self.height - self._text_height) / 2  # the texts' top, centred on the code
        for t in self.texts:
            y -= t.height
            t.drawOn(canv, x_text, y)
            y -= t.getSpaceAfter()
