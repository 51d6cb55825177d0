"""The personal panel: a prescription at the top of page 1, in a rectangle as tall as it needs.

Each prescription's panel is measured first (:meth:`Panel.layout`: its rows wrapped at the text
area's width, cheap) and its height rounded up to a whole number of body lines, its *height
class* (:attr:`Panel.lines`, :func:`class_height`): a short prescription gets a tight panel, a
long address a taller one, and prescriptions of one class share one layout of the leaflet. The
rectangle (:func:`panel_rect`) depends on the paper, the theme, the leaflet's language (its
direction, and whether a banner is printed above it) and the class, never on anything else of the
prescription: a leaflet laid out once with a rectangle of a class left empty
(``render(..., panel=Panel.reserved(theme, lines))``) takes the panel of any prescription of that
class, drawn into it with :func:`draw_panel` (the "lay out once, stamp many" path). A row longer
than :data:`ROW_LINES` allows is refused before anything is drawn (:meth:`Panel.layout` raises
:class:`~leaflet.errors.RenderError` naming the field, code ``panel``). A panel taller than page 1
has room for is laid out again more compactly (:meth:`Panel.fit`: :data:`COMPACT`, then
:data:`TIGHT`), taking page 1 to itself if it must, page 1's top and bottom margins giving what
it still lacks (down to :data:`leaflet.typeset.render.MIN_MARGIN`); one too tall even then is
refused (:meth:`Panel.check_fits`, naming the row most over its usual lines, and where the panel
has more room).

What the panel prints, row by row in USP <17> order, is :func:`leaflet.text.panel.panel_rows`;
this module only draws it: each row a paragraph (shaped and mirrored for right-to-left
languages, CJK line breaking for Chinese and Japanese), the directions in bold at
:func:`directions_size` (at least 12 pt), the whole in a ruled box as wide as the text area.

Its texts are the first drawn on page 1 (before the body): ``leaflet verify --rx`` reads them
there. A stamping path that adds the panel to a finished page must put its drawing *before*
the page's content (prepend it to the content stream).
"""
from __future__ import annotations

import math
import re
import threading
from typing import Any, NamedTuple

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from ..content.model import Leaflet
from ..errors import RenderError
from ..resources import Locale
from ..text.bidi import has_rtl_letters, needs_bidi
from ..text.panel import LABEL_ROWS, USUAL_LINES, PrescriptionData, Row, panel_rows
from . import bidipara, qr
from .fonts import FontSet
from .hyphenate import Hyphenator, hyphenator_for
from .layout import Styles, literal
from .linebreak import HOLD, hold_digit_groups

BORDER = 1.0  # points: the box's rule
ROW_GAP = 2.0  # points between rows
PANEL_GAP = 10.0  # points between the panel and the body of page 1
# A panel too tall for page 1 as it is laid out at first (A5 in large print, under a translation's
# banner and a brand's footer) is laid out again, more compactly: first with less padding and no
# gap between its rows (COMPACT), then also with its lines closer, 1.25 times their size (TIGHT:
# the directions' spacing; the type keeps its size). Either may take page 1 to itself (the
# leaflet starting on page 2); a tight one too tall even for that gets what it lacks from page 1's
# top and bottom margins (leaflet.typeset.render.PageFurniture.margins). A panel that fits as it
# is never changes.
REGULAR, COMPACT, TIGHT = 0, 1, 2
COMPACT_PADDING = 4.0
TIGHT_LEADING = 1.25
MIN_DIRECTIONS_SIZE = 12.0  # USP <17>: critical text at least 12 pt
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate, pop directional isolate
# A number and the word after it (its unit: "10 mg", "90 tablets", "3 times") are held together by a
# no-break space, as the leaflet's own text holds them ("80\u00a0mg", leaflet.text.inline): a
# prescription's values come with ordinary spaces, and in a narrow panel (A5 in large print, Hebrew,
# Japanese) a line could break between "10" and "mg". The value prints as written (a space).
_NUMBER_UNIT = re.compile(r"(?<=\d)[ \t]+(?=[^\W\d_]|[%\u00b0\u2103\u2109\u00b5])")
# A label never ends a line with its value on the next ("Phone:" / "555-0100", "Renouvellements :" /
# "0", "電話：" / "555-0100"): the space after it is a no-break space (printed, and read back, as a
# space), and in Chinese and Japanese, whose lines break between any two characters, its characters
# and its value's first are held together (linebreak.HOLD: nor "リフィル回" / "数：1"). Not before the
# digital leaflet's address, a long word that breaks at its own points ('/'). This costs lines: a
# panel that fits page 1 only without it (Russian on A5 in large print, with a brand) is laid out
# without it (Panel.fit), before page 1's margins give any room.
_GAP = re.compile(r"[ \t]+")
# where a panel too tall for page 1 has more room, for its error's hint (without the paper and theme at
# hand): A5 in large print gives it the least (more_room says it for the paper and theme built with)
MORE_ROOM = "print on A4 or Letter, or in the default theme, where the panel has more room"


class Rect(NamedTuple):
    """A rectangle on the page, in points: ``x``, ``y`` its lower left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height


def directions_size(theme: dict[str, Any]) -> tuple[float, float]:
    """The directions' size and leading: 1.5 pt over the body text, and never under 12 pt
    (12 pt in the default theme, 17.5 pt in large print)."""
    size = max(MIN_DIRECTIONS_SIZE, theme["body"]["size"] + 1.5)
    return size, round(size * 1.25, 2)


def padding(theme: dict[str, Any]) -> float:
    return float(theme["box_padding"])


def frame(theme: dict[str, Any]) -> float:
    """The panel's height less its rows: the padding and rule above and below."""
    return 2 * padding(theme) + 2 * BORDER


def class_height(theme: dict[str, Any], lines: int) -> float:
    """The height of a panel of height class ``lines``: room for that many body lines."""
    return frame(theme) + lines * theme["body"]["leading"]


def default_lines(theme: dict[str, Any]) -> int:
    """The height class of a panel laid out without a prescription (:func:`leaflet.api.build_reserved`,
    :func:`leaflet.api.panel_rect` without one): room for every row at its usual number of lines
    (:data:`USUAL_LINES`)."""
    leading = theme["body"]["leading"]
    _, directions_leading = directions_size(theme)
    rows = (sum(n for name, n in USUAL_LINES.items() if name != "directions") * leading
            + USUAL_LINES["directions"] * directions_leading + ROW_GAP * (len(USUAL_LINES) - 1))
    return math.ceil(rows / leading - 1e-6)


def panel_height(theme: dict[str, Any]) -> float:
    """The height of a panel of the default class (:func:`default_lines`)."""
    return class_height(theme, default_lines(theme))


def more_room(paper: str, theme: str) -> str:
    """Where a panel too tall for page 1 on ``paper`` in ``theme`` (a theme's name, or a theme file)
    has more room, for its error's hint: A4 or Letter for A5, the default theme for another; "" on
    A4 and Letter in the default theme (the most room the panel has)."""
    ways = [*(["on A4 or Letter"] if paper == "a5" else []), *(["in the default theme"] if theme != "default" else [])]
    return f"print {', or '.join(ways)}, where the panel has more room" if ways else ""


def panel_rect(page_height: float, left: float, width: float, top_margin: float, above: float,
               theme: dict[str, Any], lines: int | None = None) -> Rect:
    """The panel's rectangle on page 1 for height class ``lines`` (None: :func:`default_lines`):
    as wide as the text area, under the top margin and what is printed above it (``above``: the
    banner and its gap, 0 without one)."""
    height = class_height(theme, default_lines(theme) if lines is None else lines)
    return Rect(left, page_height - top_margin - above - height, width, height)


# Rows laid out, by their markup and everything else their layout depends on: in a batch most rows
# (the medicine, the prescriber, the pharmacy) are the same from one prescription to the next, and
# a laid-out paragraph draws the same on any canvas. The theme and font set are keyed by identity
# (by value: a style's every attribute, the font chain's families). One cache per thread: a
# paragraph is drawn on the canvas ReportLab sets on it for the time of the draw (Flowable.drawOn),
# so one shared by two threads stamping at once would draw one panel's row on the other's canvas
# (tests/test_threads.py).
_LAID_MAX = 512  # rows kept by each thread


class _Laid(threading.local):
    def __init__(self) -> None:
        self.rows: dict[tuple[Any, ...], tuple[Paragraph, float]] = {}


_LAID = _Laid()


def _style_key(style: ParagraphStyle) -> str:
    """A paragraph style by value (its attributes; ReportLab copies a parent's in)."""
    return repr(sorted((k, repr(v)) for k, v in vars(style).items() if k not in ("parent", "name")))


class Panel:
    """A prescription's panel rows, laid out for one font set, theme and direction."""

    def __init__(self, rows: list[Row], fonts: FontSet, styles: Styles, theme: dict[str, Any], rtl: bool) -> None:
        self.rows, self.fonts, self.theme, self.rtl = rows, fonts, theme, rtl
        body = styles.body
        self.cjk = body.wordWrap == "CJK"  # its rows break between any two characters (leaflet.typeset.linebreak)
        self.held = True  # its labels held to their values (_GAP); Panel.fit gives it up where it must
        self.style = ParagraphStyle("panel", parent=body, spaceBefore=0, spaceAfter=0)
        size, leading = directions_size(theme)
        self.directions_style = ParagraphStyle("panel_directions", parent=body, fontName=fonts.bold, fontSize=size,
                                               leading=leading, spaceBefore=0, spaceAfter=0)
        self.lines = 0  # its height class (body lines), once laid out
        self.height = 0.0  # class_height(theme, lines), once laid out
        self.needed = 0.0  # what its rows (or its QR code) take, of that
        self.mode = REGULAR  # how compactly it is laid out (REGULAR, COMPACT, TIGHT)
        tight = ParagraphStyle("panel_tight", parent=self.style, leading=round(self.style.fontSize * TIGHT_LEADING, 2))
        tight_directions = ParagraphStyle("panel_directions_tight", parent=self.directions_style,
                                          leading=min(leading, round(size * TIGHT_LEADING, 2)))
        self._styles = {REGULAR: (self.style, self.directions_style), COMPACT: (self.style, self.directions_style),
                        TIGHT: (tight, tight_directions)}
        self._style_keys = {m: (_style_key(a), _style_key(b)) for m, (a, b) in self._styles.items()}
        self._laid: list[tuple[Paragraph, float]] | None = None
        self._width = 0.0
        # the prescription's digital leaflet: a QR code at the end of the rows' lines (the right; the
        # left right to left), its address printed in the last row (the code is never the only way)
        self.qr_url = next((seg.text for row in rows if row.field == "digital_url" for seg in row.segments
                            if not seg.generated and seg.text.strip()), None)
        self.qr_size = 0.0
        self._narrow: list[bool] = []
        self._row_lines: list[int] = []

    @classmethod
    def reserved(cls, theme: dict[str, Any], lines: int | None = None) -> ReservedPanel:
        """The rectangle of height class ``lines`` (None: :func:`default_lines`) only, drawn
        empty: a layout to stamp the panels of that class into later."""
        return ReservedPanel(theme, lines)

    def _markup(self, row: Row, cjk: bool = False) -> str:
        """A row's paragraph markup: each label held to its value when :attr:`held` (see
        :data:`_GAP`). ``cjk``: for a row broken by :mod:`.linebreak` (Chinese, Japanese), where
        :data:`~.linebreak.HOLD` holds a label's characters and its value's first together."""
        bold_style = row.directions
        held = self.held and row.field != "digital_url"
        out = []
        for seg in row.segments:
            if seg.text == "\n":
                out.append("<br/>")
            else:
                text = seg.text
                phone = seg.path[-1:] == ("pharmacy_phone",)
                # a value reads in its own direction: a phone number after an Arabic label must not read
                # backwards, nor an Arabic or Hebrew name on a left-to-right panel take the separator
                # and label after it into its run (left-to-right values there stay as they are)
                if not seg.generated:
                    # a phone number never wraps inside (misdialled), as in the brand footer
                    text = hold_digit_groups(text) if phone else _NUMBER_UNIT.sub("\u00a0", text)
                if seg.label and held:
                    text = HOLD.join(text) + HOLD if cjk else _GAP.sub("\u00a0", text) if text.isspace() else text
                if not seg.generated and (self.rtl or has_rtl_letters(text)):
                    text = FSI + text + PDI
                out.append(literal(text, self.fonts, bold=seg.bold or bold_style, style_bold=bold_style))
        return "".join(out)

    def inset(self, mode: int | None = None) -> float:
        """From the box's edge to its rows: the rule and the padding (less in a compact layout)."""
        pad = padding(self.theme)
        return (pad if (self.mode if mode is None else mode) == REGULAR else min(pad, COMPACT_PADDING)) + BORDER

    def inner(self, rect: Rect) -> Rect:
        pad = self.inset()
        return Rect(rect.x + pad, rect.y + pad, rect.width - 2 * pad, rect.height - 2 * pad)

    def layout(self, width: float, mode: int = REGULAR) -> None:
        """Wrap every row at the panel's inner ``width`` (the text area's less the box) and set the
        panel's height class (:attr:`lines`, :attr:`height`): the body lines that hold its rows
        (or its QR code) and the box, rounded up. A row that takes more lines than :data:`ROW_LINES`
        allows is a RenderError naming its field (code ``panel``). ``mode``: COMPACT or TIGHT lay it
        out more compactly (see :data:`COMPACT`; :meth:`fit` chooses)."""
        self.mode = mode
        pad = self.inset()
        row_gap = ROW_GAP if mode == REGULAR else 0.0
        full_width = width - 2 * pad
        if self.qr_url is not None:
            self.qr_size = max(qr.MIN_SIDE, qr.qr_side(self.qr_url))
        laid = []
        offset = 0.0  # from the top of the rows: the rows beside the QR code are narrower
        self._narrow = []
        self._row_lines = []
        for row in self.rows:
            narrow = self.qr_url is not None and offset < self.qr_size
            text_width = full_width - (self.qr_size + qr.GAP if narrow else 0)
            self._narrow.append(narrow)
            style = self._styles[mode][row.directions]
            markup = self._markup(row)
            if self.held and self.cjk and not self.rtl and not needs_bidi(markup):  # (linebreak.split_lines)
                markup = self._markup(row, cjk=True)
            key = (markup, self.rtl, text_width, self.fonts.families, self._style_keys[mode][row.directions])
            laid_rows = _LAID.rows  # this thread's
            cached = laid_rows.get(key)
            if cached is None:
                para = bidipara.paragraph(markup, style, self.rtl)
                _, height = para.wrap(text_width, 1 << 20)
                if len(laid_rows) >= _LAID_MAX:  # bounded: memory stays flat over a batch of any length
                    laid_rows.clear()
                laid_rows[key] = (para, height)
            else:
                para, height = cached
            lines = round(height / style.leading)
            if lines > row.lines:
                raise RenderError(
                    f"the text does not fit in the personal panel: it takes {lines} lines where a row of the panel "
                    f"has at most {row.lines}", (row.field,), "shorten it", code="panel")
            self._row_lines.append(lines)
            laid.append((para, height))
            offset += height + row_gap
        self._laid, self._width = laid, width
        self.needed = max(offset - row_gap if laid else 0.0, self.qr_size)
        # (the box's frame as class_height counts it: a compact box's smaller padding is room for rows)
        rows = self.needed + 2 * (pad - padding(self.theme) - BORDER)
        self.lines = max(1, math.ceil(rows / self.theme["body"]["leading"] - 1e-6))
        self.height = class_height(self.theme, self.lines)

    @property
    def drawn_height(self) -> float:
        """What the panel's box takes on the page: its rows (or QR code) and its rule and padding."""
        return self.needed + 2 * self.inset()

    def fit(self, width: float, room: float, full: float | None = None, most: float | None = None, *,
            more_room: str = MORE_ROOM) -> None:
        """Lay the panel out (:meth:`layout`) to fit page 1: as it is when its height class fits in
        ``room`` (page 1's body less the gap under the panel), else COMPACT, else TIGHT, when the box
        then fits in ``full`` (page 1's whole body: the panel takes page 1 to itself; default ``room``),
        else TIGHT when it fits in ``most`` (that body with page 1's top and bottom margins given:
        :meth:`leaflet.typeset.render.PageFurniture.margins`; default ``full``). Otherwise a
        RenderError naming the row to shorten, with ``more_room`` in its hint (see :meth:`check_fits`).
        In each layout its labels are first held to their values (:attr:`held`, :data:`_GAP`), then, if
        it does not fit so, not: the panel is never laid out more tightly, nor page 1's margins given, for them."""
        full = room if full is None else full
        for mode in (REGULAR, COMPACT, TIGHT):
            for held in (True, False):
                self.held = held
                self.layout(width, mode)
                if (self.height <= room) if mode == REGULAR else (self.drawn_height <= full):
                    return
        # (TIGHT, the labels not held: page 1's margins give what it still lacks, when they can)
        self.check_fits(full if most is None else most, self.drawn_height, more_room=more_room)

    def check_fits(self, room: float, height: float | None = None, *, more_room: str = MORE_ROOM) -> None:
        """A panel taller than ``room`` (what page 1 has for it: see
        :meth:`leaflet.typeset.render.PageFurniture.panel_room`) is a RenderError (code ``panel``)
        naming the row the prescription can shorten (:meth:`overlong`), or the digital leaflet when
        its QR code is the tallest part; its hint names the way out: ``more_room`` (where the
        panel has more room, see :func:`more_room`; "" for none), or shortening that field.
        ``height``: what it takes (default: its height class)."""
        height = self.height if height is None else height
        if height <= room:
            return
        takes = (f"the personal panel does not fit on page 1: it takes {math.ceil(height / mm)} mm where the page "
                 f"has {max(math.floor(room / mm), 0)} mm for it")
        shorten = "shorten this field" if not more_room else f"{more_room}, or shorten this field"
        if self.qr_url is not None and self.qr_size >= self.needed:
            raise RenderError(f"{takes} (its QR code is the tallest part)", ("digital_url",), shorten,
                              code="panel")
        row, lines = self.overlong()
        why = (f"this row takes {lines} lines where it usually takes {row.usual}, the most over its usual length"
               if lines > row.usual else "this is its longest row")
        raise RenderError(f"{takes} ({why})", (row.field,), shorten, code="panel")

    def overlong(self) -> tuple[Row, int]:
        """The row of a laid-out panel a prescription too long for page 1 can shorten, and its lines:
        of its own texts (not the Rx number's row, mostly labels: :data:`~leaflet.text.panel.LABEL_ROWS`),
        the one most lines over what it usually takes (:data:`~leaflet.text.panel.USUAL_LINES`), then
        the longest, then the first."""
        laid = [(row, n) for row, n in zip(self.rows, self._row_lines) if row.field not in LABEL_ROWS]
        laid = laid or list(zip(self.rows, self._row_lines))
        return max(laid, key=lambda item: (item[1] - item[0].usual, item[1]))

    def draw(self, canv: Any, rect: Rect) -> None:
        """Draw the box and the rows into ``rect`` (from :func:`panel_rect`)."""
        if self._laid is None or abs(self._width - rect.width) > 0.01:  # (a template's box is written rounded)
            self.layout(rect.width, self.mode)
        assert self._laid is not None
        canv.saveState()
        colors = self.theme["colors"]
        canv.setStrokeColor(HexColor(colors["rule"]))
        canv.setLineWidth(BORDER)
        half = BORDER / 2
        canv.roundRect(rect.x + half, rect.y + half, rect.width - BORDER, rect.height - BORDER, 3, stroke=1, fill=0)
        inner = self.inner(rect)
        shift = 0.0
        if self.qr_url is not None:
            side = self.qr_size
            if self.rtl:
                shift = side + qr.GAP
            # no link annotation: a stamped panel holds none (leaflet.typeset.stamp); the address prints
            qr.draw_qr(_NoLinks(canv), inner.x if self.rtl else inner.x + inner.width - side, inner.top - side,
                       side, self.qr_url)
        y = inner.top
        row_gap = ROW_GAP if self.mode == REGULAR else 0.0
        for (para, height), narrow in zip(self._laid, self._narrow):
            para.drawOn(canv, inner.x + (shift if narrow else 0.0), y - height)
            y -= height + row_gap
        canv.restoreState()


class _NoLinks:
    """A canvas that draws as the one it wraps, but adds no link annotations."""

    def __init__(self, canv: Any) -> None:
        self._canv = canv

    def linkURL(self, *args: Any, **kw: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._canv, name)


class ReservedPanel:
    """The panel's rectangle with nothing in it (see :meth:`Panel.reserved`)."""

    def __init__(self, theme: dict[str, Any], lines: int | None = None) -> None:
        self.lines = default_lines(theme) if lines is None else lines
        self.height = class_height(theme, self.lines)

    def layout(self, width: float) -> None:
        pass

    def draw(self, canv: Any, rect: Rect) -> None:
        pass


def draw_panel(canv: Any, rect: Rect, rows: list[Row], fonts: FontSet, theme: dict[str, Any], rtl: bool,
               *, hyphenation: str | Hyphenator = "") -> None:
    """Lay out and draw a prescription's rows (:func:`leaflet.text.panel.panel_rows`) into
    ``rect`` on ``canv`` (at least as tall as the rows' height class: see :meth:`Panel.layout`).
    Raises RenderError (code ``panel``, naming the field) when a row does not fit. ``canv`` should be a
    :class:`leaflet.typeset.render.LeafletCanvas` (or give its text objects the same synthetic
    bold) for scripts whose fonts have no bold file (Chinese, Japanese)."""
    panel = Panel(rows, fonts, Styles(fonts, theme, hyphenation=hyphenation), theme, rtl)
    panel.fit(rect.width, rect.height)
    panel.draw(canv, rect)


def draw_prescription(canv: Any, rect: Rect, prescription: PrescriptionData, leaflet: Leaflet, locale: Locale,
                      theme: dict[str, Any], fonts: FontSet) -> None:
    """:func:`draw_panel` for a prescription: its rows (:func:`leaflet.text.panel.panel_rows`) in the
    locale's strings and direction, drawn into ``rect`` (see :func:`leaflet.typeset.render.panel_geometry`)."""
    draw_panel(canv, rect, panel_rows(prescription, leaflet, locale.strings), fonts, theme,
               locale.direction == "rtl", hyphenation=hyphenator_for(leaflet))


__all__ = ["COMPACT", "MIN_DIRECTIONS_SIZE", "PANEL_GAP", "REGULAR", "TIGHT", "Panel", "Rect", "ReservedPanel",
           "class_height", "default_lines", "directions_size", "draw_panel", "draw_prescription", "more_room",
           "panel_height", "panel_rect"]
