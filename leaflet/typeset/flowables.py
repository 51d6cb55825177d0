"""Flowables of a leaflet page: headings in the outline, keep-with-next pairs, boxes.

Layout (:mod:`leaflet.typeset.layout`) decides what goes into the story; the
classes here decide how each piece behaves at a page break.
"""
from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph


class Heading(Paragraph):
    """A heading that adds itself to the PDF outline (bookmarks) where it lands."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int, outline: str) -> None:
        super().__init__(text, style)  # ``text`` is paragraph markup (layout.markup)
        self.outline: tuple[str, int, str] | None = (key, level, outline)
        self.keep_with_next = True

    def draw(self) -> None:
        if self.outline:
            key, level, title = self.outline
            self.canv.bookmarkHorizontal(key, 0, self.height + self.style.leading * 0.5)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
            self.outline = None
        super().draw()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for later in parts[1:]:
            later.outline = None
        return parts


class KeepWithNext(Flowable):
    """A heading (or question) and what follows it, never parted by a page break.

    Unlike ReportLab's keepWithNext, which moves the pair to a new page whenever
    the pair does not fit, this splits the follower where it stands when it can
    (a long table or paragraph starts under its heading) and moves the pair only
    when nothing of the follower fits under the heading.
    """

    def __init__(self, first: Flowable, rest: Flowable) -> None:
        super().__init__()
        self.first, self.rest = first, rest

    def _gap(self) -> float:
        return max(self.first.getSpaceAfter(), self.rest.getSpaceBefore())

    def getSpaceBefore(self) -> float:
        return self.first.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.rest.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, h1 = self.first.wrap(availWidth, availHeight)
        _, h2 = self.rest.wrap(availWidth, max(availHeight - h1 - self._gap(), 0))
        self._h1 = h1
        self.width, self.height = availWidth, h1 + self._gap() + h2
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        _, h1 = self.first.wrap(availWidth, availHeight)
        room = availHeight - h1 - self._gap()
        if room <= 0:
            return []
        parts = self.rest.split(availWidth, room)
        if len(parts) < 2:
            return []
        return [KeepWithNext(self.first, parts[0]), *parts[1:]]

    def draw(self) -> None:
        self.first.drawOn(self.canv, 0, self.height - self._h1)
        self.rest.drawOn(self.canv, 0, 0)


def keep_with_next(story: list[Flowable]) -> list[Flowable]:
    """Join every flowable marked ``keep_with_next`` to the one after it."""
    out: list[Flowable] = []
    for flowable in reversed(story):
        if getattr(flowable, "keep_with_next", False) and out:
            out[-1] = KeepWithNext(flowable, out[-1])
        else:
            out.append(flowable)
    return out[::-1]


class Box(Flowable):
    """A bordered box with an optional label band; kept whole unless taller than a page.

    Used for side-effect callouts and precautions. ``band`` is a paragraph
    drawn on a coloured strip at the top; ``icon`` ("serious" or "common")
    draws a shape left of it, so the kind shows without colour.
    """

    def __init__(self, content: Sequence[Flowable], *, border: Color, border_width: float, fill: Color,
                 padding: float, max_height: float, band: Paragraph | None = None, band_fill: Color | None = None,
                 continued_band: Paragraph | None = None, icon: str = "", gap: float = 3) -> None:
        super().__init__()
        self.content = list(content)
        self.border, self.border_width, self.fill = border, border_width, fill
        self.padding, self.max_height = padding, max_height
        self.band, self.band_fill, self.icon, self.gap = band, band_fill, icon, gap
        self.continued_band = continued_band or band
        self.spaceBefore, self.spaceAfter = 6, 8

    # geometry -----------------------------------------------------------
    def _icon_space(self) -> float:
        return 16 if self.icon else 0

    def _inner_width(self, width: float) -> float:
        return width - 2 * self.padding - self.border_width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        inner = self._inner_width(availWidth)
        self._heights = [f.wrap(inner, 10_000)[1] for f in self.content]
        self._band_height = 0.0
        if self.band is not None:
            self._band_height = self.band.wrap(inner - self._icon_space(), 10_000)[1] + 2 * 4
        body = sum(self._heights) + self.gap * max(0, len(self.content) - 1)
        self.height = self._band_height + body + 2 * self.padding + self.border_width
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= self.max_height:
            return []  # fits on a fresh page: move it there whole
        inner = self._inner_width(availWidth)
        room = availHeight - self._band_height - 2 * self.padding - self.border_width
        first: list[Flowable] = []
        rest = list(self.content)
        while rest:
            f = rest[0]
            h = f.wrap(inner, 10_000)[1] + (self.gap if first else 0)
            if h <= room:
                first.append(rest.pop(0))
                room -= h
                continue
            parts = f.split(inner, room - (self.gap if first else 0))
            if len(parts) >= 2:
                first.append(parts[0])
                rest[0:1] = parts[1:]
            break
        if not first:
            return []
        return [self._clone(first, self.band), self._clone(rest, self.continued_band)] if rest else [
            self._clone(first, self.band)]

    def _clone(self, content: list[Flowable], band: Paragraph | None) -> Box:
        return Box(content, border=self.border, border_width=self.border_width, fill=self.fill,
                   padding=self.padding, max_height=self.max_height, band=band, band_fill=self.band_fill,
                   continued_band=self.continued_band, icon=self.icon, gap=self.gap)

    # drawing ------------------------------------------------------------
    def draw(self) -> None:
        c = self.canv
        bw = self.border_width
        c.saveState()
        c.setFillColor(self.fill)
        c.setStrokeColor(self.border)
        c.setLineWidth(bw)
        c.rect(bw / 2, bw / 2, self.width - bw, self.height - bw, stroke=1, fill=1)
        x = bw / 2 + self.padding
        y = self.height - bw / 2
        if self.band is not None:
            c.setFillColor(self.band_fill or self.border)
            c.rect(bw / 2, y - self._band_height, self.width - bw, self._band_height, stroke=0, fill=1)
            if self.icon:
                self._draw_icon(x + 6, y - self._band_height / 2)
            band_h = self._band_height - 8
            self.band.drawOn(c, x + self._icon_space(), y - 4 - band_h)
            y -= self._band_height
        c.restoreState()
        y -= self.padding
        for f, h in zip(self.content, self._heights):
            y -= h
            f.drawOn(c, x, y)
            y -= self.gap

    def _draw_icon(self, cx: float, cy: float) -> None:
        """A warning triangle with '!' (serious) or a circle with 'i' (common), as shapes."""
        c = self.canv
        ink = self.band.style.textColor if self.band is not None else self.border
        c.setFillColor(ink)
        c.setStrokeColor(ink)
        if self.icon == "serious":
            p = c.beginPath()
            p.moveTo(cx - 6, cy - 5)
            p.lineTo(cx + 6, cy - 5)
            p.lineTo(cx, cy + 6)
            p.close()
            c.drawPath(p, stroke=0, fill=1)
            c.setFillColor(self.band_fill or self.border)
            c.rect(cx - 0.8, cy - 1.5, 1.6, 5, stroke=0, fill=1)
            c.rect(cx - 0.8, cy - 3.8, 1.6, 1.5, stroke=0, fill=1)
        else:
            c.circle(cx, cy, 5.5, stroke=0, fill=1)
            c.setFillColor(self.band_fill or self.fill)
            c.rect(cx - 0.8, cy - 3.5, 1.6, 4.3, stroke=0, fill=1)
            c.rect(cx - 0.8, cy + 1.8, 1.6, 1.5, stroke=0, fill=1)
