"""Render: pages, running header, footer, PDF metadata and outline.

"Page X of Y" is drawn without a second layout pass and without the common
"NumberedCanvas" recipe (which defers every page and so breaks bookmark
destinations): each page places a reference to a small PDF form XObject
(``leaflet-page-N``) whose content, the finished label, is written once the
last page is known, just before the file is saved.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from ..content.model import Leaflet, is_set
from ..errors import RenderError
from ..resources import Locale
from ..text.bidi import has_rtl_letters, strip_controls
from ..text.bidi import needs_bidi as bidi_needed
from ..text.inline import one_line, paragraphs, plain
from ..text.panel import Row
from ..text.printed import BRAND_SEPARATOR, banner, furniture, reference_texts
from . import bidipara, links
from .flowables import (
    LAST_RESORT_BUILDS,
    LOOK_BACK_BUILDS,
    LOOK_BACK_OVER,
    Gap,
    emptiest,
    look_back,
    overfull,
    relaxing,
    set_below_last_text,
    set_may_relax,
    text_foot,
    too_tall,
)
from .fonts import FontSet, TextObject
from .hyphenate import hyphenator_for
from .layout import StoryBuilder, Styles, literal, markup
from .linebreak import hold_digit_groups
from .panel import FSI, PANEL_GAP, PDI, Panel, Rect, ReservedPanel, panel_rect

if TYPE_CHECKING:  # the brand's model is loaded only by a build with a brand (build --brand)
    from ..content.brand import Brand

PAPER = {"a4": A4, "letter": LETTER, "a5": A5}
# The form XObject that holds the personal panel at the top of page 1 (see leaflet.typeset.stamp):
# a leaflet laid out with its panel's rectangle reserved (a template) draws it first on page 1,
# empty; stamping a prescription fills it in.
PANEL_FORM = "leaflet-panel"
# Page 1's top and bottom margins never go below this where they give a tight panel the room page 1
# lacks (PageFurniture.margins): 8 mm, wider than the edge a printer cannot print on (about 4-6 mm)
MIN_MARGIN = 8 * mm
# Binary (Flate only) streams: ASCII85 on top would add a quarter to every page stream.
rl_config.useA85 = 0


def draw_runs(canv: Canvas, x: float, y: float, runs: list[tuple[str, str]], size: float) -> None:
    """Draw (font, text) runs from FontSet.runs one after the other on a line: text drawn
    outside paragraphs (revision line, page label) gets the font fallback too."""
    for name, run in runs:
        if (canv._fontname, canv._fontsize) != (name, size):
            canv.setFont(name, size)
        canv.drawString(x, y, run)
        x += stringWidth(run, name, size)


class PageFurniture:
    """What every page carries besides the body: header, footer, banner."""

    def __init__(self, styles: Styles, fonts: FontSet, theme: dict[str, Any], locale: Locale, leaflet: Leaflet,
                 page_width: float, page_height: float, panel: Panel | ReservedPanel | None = None,
                 brand: Brand | None = None) -> None:
        self.styles, self.fonts, self.theme, self.locale = styles, fonts, theme, locale
        self.panel = panel  # the personal panel at the top of page 1 (build --rx), or its empty rectangle
        self.brand = brand  # a clinic's brand (build --brand): its line in the footer of every page
        self.leaflet, self.page_width, self.page_height = leaflet, page_width, page_height
        self.rtl = locale.direction == "rtl"  # right to left: header and footer mirrored
        t = self.theme
        m = t["margins_mm"]
        self.left, self.right = m["left"] * mm, m["right"] * mm
        self.top, self.bottom = m["top"] * mm, m["bottom"] * mm
        self.width = self.page_width - self.left - self.right
        disclaimer = self.leaflet.disclaimer if is_set(self.leaflet.disclaimer) else ""
        refs = reference_texts(self.leaflet, self.locale.strings)
        self.disclaimer = [bidipara.paragraph(markup(p, self.fonts, refs), self.styles.footer, self.rtl)
                           for p in paragraphs(disclaimer)]
        self.disclaimer_height = sum(p.wrap(self.width, self.page_height)[1] for p in self.disclaimer)
        # the brand's line (name, contact, website) above the disclaimer, on every page
        self.brand_line = None
        self.brand_height = 0.0
        if brand is not None:
            self.brand_line = bidipara.paragraph(self.brand_markup(brand), self.styles.footer, self.rtl)
            self.brand_height = self.brand_line.wrap(self.width, self.page_height)[1] + 2
        self.line_height = self.theme["footer"]["leading"]
        # texts of a page's furniture, shared with the read-back check (leaflet.texts.furniture)
        pieces = furniture(self.leaflet, self.locale.strings, 2, 2, brand)
        self.revision_text = pieces[-2]
        # the banner: in full on page 1, its short form on the pages after it (text.printed.banner)
        self.banner, self.banner_height = self.banner_paragraph(1)
        self.later_banner, self.later_banner_height = self.banner_paragraph(2)
        self.banner_gap = 8 if self.banner is not None else 0.0
        self.header = bidipara.paragraph(markup(self.leaflet.medicine.name, self.fonts, refs, style_bold=True),
                                         self.styles.header, self.rtl)
        self.header_height = self.header.wrap(self.width, self.page_height)[1] + 12  # text, rule, space
        # the revision line and "Page X of Y" share the footer's last line; where they do not fit side by
        # side (A5 in large print), the revision line goes on a line of its own above
        size = self.theme["footer"]["size"]
        label = self.text_width(self.page_label(999, 999), size, bold=True)
        self.revision_width = self.text_width(self.revision_text, size)
        self.stacked = self.revision_width + label + 12 > self.width
        self.check()

    def banner_paragraph(self, page: int) -> tuple[Paragraph | None, float]:
        """The banner of page ``page`` (:func:`leaflet.text.printed.banner`) and its height, padding
        included: (None, 0) for a leaflet without one."""
        text = banner(self.leaflet, self.locale.strings, page)
        if text is None:
            return None, 0.0
        para = bidipara.paragraph(literal(text, self.fonts, bold=True), self.styles.banner, self.rtl)
        return para, para.wrap(self.width - 8, self.page_height)[1] + 6

    def check(self) -> None:
        """Content that leaves no room on the page: named by its field."""
        height = self.body_height(first=False)
        if height < self.page_height / 3:
            left = f"only {height / mm:.0f} mm" if height > 0 else "no room"
            if self.header_height > self.disclaimer_height:
                raise RenderError(
                    f"the medicine name is too long: it heads every page, and leaves {left} on each page "
                    "for the leaflet's text", ("medicine", "name"),
                    "keep the name to the medicine and its form; brands go in 'brands'")
            if self.brand_height > self.disclaimer_height:
                raise RenderError(
                    f"the brand's footer line leaves {left} on each page for the leaflet's text", ("brand", "contact"),
                    "the clinic's name, contact lines and website print on every page: keep them to a line or two",
                    code="layout")
            raise RenderError(
                f"the footer and header leave {left} on each page for the leaflet's text",
                ("disclaimer",), "the disclaimer prints on every page: keep it to a few lines")
        if self.revision_width > self.width:
            raise RenderError(
                "the revision line is too long for the footer: it is wider than the page, even on a line of its own",
                ("revision", "version"), "keep the version short, e.g. 4.2 or PI-0031-2")

    def brand_markup(self, brand: Brand) -> str:
        """The footer's brand line (:func:`leaflet.text.printed.brand_footer`): the name in bold,
        the contact lines, the website as a link. It wraps between words, but never inside a phone
        number or other group of digits, nor between a label and its number ("Phone: 555 0100" is
        never "Phone: 555" and "0100": :func:`hold_digit_groups`)."""
        sep = literal(BRAND_SEPARATOR, self.fonts)

        def own(text: str) -> str:  # right-to-left text on a left-to-right page reads in its own direction,
            return FSI + text + PDI if not self.rtl and has_rtl_letters(text) else text  # apart from the separators

        parts = [literal(own(one_line(brand.name)), self.fonts, bold=True, style_bold=False)]
        if is_set(brand.contact):
            parts.extend(literal(own(hold_digit_groups(one_line(line))), self.fonts) for line in brand.contact)
        if is_set(brand.website):
            parts.append(markup(own(one_line(brand.website)), self.fonts))
        return sep.join(parts)

    def shaped(self, text: str) -> bool:
        """Is a line of furniture drawn shaped and in bidi order (not by ReportLab's drawString)?"""
        return self.rtl or bidi_needed(text)

    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        """The width of a line of furniture (the revision line, the page label) as drawn."""
        if self.shaped(text):
            return bidipara.line_width(self.fonts.runs(text, bold=bold), size, self.rtl)
        return stringWidth(text, self.fonts.bold if bold else self.fonts.regular, size)

    # the body frame ---------------------------------------------------------
    def footer_height(self) -> float:
        return self.brand_height + self.disclaimer_height + self.line_height * (1 + self.stacked) + 14

    def margins(self, page: int) -> tuple[float, float]:
        """The top and bottom margins of page ``page``: the theme's, but on page 1 of a leaflet whose
        panel's height class is taller than page 1's whole body (:meth:`panel_full`: a panel taking
        page 1 to itself, laid out tight, under a translation's banner and above a brand's footer
        line on A5 in large print), what the panel lacks, given by both margins in proportion to what
        each has over :data:`MIN_MARGIN`, never below it (:meth:`panel_most`). Nothing else of the
        page changes: the banner and the footer print as on every page, nearer the paper's edges."""
        lacking = self.panel.height - self._bare_body(self.top, self.bottom) if self.panel is not None else 0.0
        if page != 1 or lacking <= 0:
            return self.top, self.bottom
        spare_top, spare_bottom = max(self.top - MIN_MARGIN, 0.0), max(self.bottom - MIN_MARGIN, 0.0)
        spare = spare_top + spare_bottom
        if spare <= 0:
            return self.top, self.bottom
        give = min(lacking, spare)
        return self.top - give * spare_top / spare, self.bottom - give * spare_bottom / spare

    def _bare_body(self, top: float, bottom: float) -> float:
        """Page 1's body frame without a panel, between margins ``top`` and ``bottom``."""
        return self.page_height - top - (self.banner_height + self.banner_gap) - bottom - self.footer_height()

    def body_height(self, first: bool) -> float:
        """Height of the body frame: the page less margins, header, banner and footer (and on page 1
        the personal panel and the gap under it: none left when the panel takes page 1 to itself)."""
        if first:
            height = self._bare_body(*self.margins(1))
            if self.panel is not None:
                height = max(height - self.panel.height - PANEL_GAP, 0.0)
            return height
        top_reserved = self.later_banner_height + self.banner_gap + self.header_height
        return self.page_height - self.top - top_reserved - self.bottom - self.footer_height()

    def frame(self, first: bool) -> Frame:
        y = self.margins(1 if first else 2)[1] + self.footer_height()
        height = self.body_height(first)
        return Frame(self.left, y, self.width, height, leftPadding=0, rightPadding=0, topPadding=0,
                     bottomPadding=0, id="first" if first else "later")

    def panel_rect(self) -> Rect:
        """Where the personal panel goes on page 1 (see :mod:`.panel`), as tall as its height class."""
        top, bottom = self.margins(1)
        rect = panel_rect(self.page_height, self.left, self.width, top, self.banner_height + self.banner_gap,
                          self.theme, self.panel.lines if self.panel is not None else None)
        full = self._bare_body(top, bottom)
        if rect.height > full:  # a compact panel that takes page 1 to itself: at most its whole body
            rect = Rect(rect.x, rect.top - full, rect.width, full)
        return rect

    def panel_room(self) -> float:
        """The tallest personal panel page 1 has room for: its body frame, less the gap under the
        panel (the panel may take page 1 to itself, the leaflet starting on page 2, never more)."""
        return self.panel_full() - PANEL_GAP

    def panel_full(self) -> float:
        """Page 1's whole body frame without a panel, between the theme's margins: the most a
        panel that takes page 1 to itself may have (a compact one, :meth:`leaflet.typeset.panel.Panel.fit`)."""
        return self._bare_body(self.top, self.bottom)

    def panel_most(self) -> float:
        """Page 1's whole body frame with its top and bottom margins at :data:`MIN_MARGIN` (or the
        theme's, if less): the most a tight panel may have, page 1's margins giving what
        :meth:`panel_full` lacks (see :meth:`margins`)."""
        return self._bare_body(min(self.top, MIN_MARGIN), min(self.bottom, MIN_MARGIN))

    # drawing ------------------------------------------------------------------
    def draw_panel(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Called at the start of page 1, before its body: the personal panel's texts come first.
        A reserved panel (a template) draws the panel's form there, empty until stamped."""
        if isinstance(self.panel, ReservedPanel):
            canv.doForm(PANEL_FORM)
        elif self.panel is not None:
            self.panel.draw(canv, self.panel_rect())

    def draw(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Called at the end of each page, after its body: header, banner, footer."""
        canv.saveState()
        page = canv.getPageNumber()
        colors = self.theme["colors"]
        margin_top, margin_bottom = self.margins(page)
        top = self.page_height - margin_top
        para, height = (self.banner, self.banner_height) if page == 1 else (self.later_banner, self.later_banner_height)
        if para is not None:
            canv.setFillColor(HexColor(colors["banner_bg"]))
            canv.rect(self.left, top - height, self.width, height, stroke=0, fill=1)
            para.drawOn(canv, self.left + 4, top - height + 3)
            top -= height + self.banner_gap
        if page > 1:
            self.header.drawOn(canv, self.left, top - self.header.height)
            canv.setStrokeColor(HexColor(colors["rule"]))
            canv.setLineWidth(0.5)
            rule = top - self.header.height - 3
            canv.line(self.left, rule, self.left + self.width, rule)
        # footer: rule, disclaimer, then page label and revision on one line
        y = margin_bottom + self.footer_height() - 8
        canv.setStrokeColor(HexColor(colors["rule"]))
        canv.setLineWidth(0.5)
        canv.line(self.left, y, self.left + self.width, y)
        y -= 3
        if self.brand_line is not None:
            y -= self.brand_line.height
            self.brand_line.drawOn(canv, self.left, y)
            y -= 2
        for p in self.disclaimer:
            y -= p.height
            p.drawOn(canv, self.left, y)
        label_baseline = margin_bottom + 2
        baseline = label_baseline + (self.line_height if self.stacked else 0)
        size = self.theme["footer"]["size"]
        runs = self.fonts.runs(self.revision_text)
        if self.shaped(self.revision_text):  # mirrored: the revision line at the right, "Page X of Y" at the left
            canv.setFillColor(HexColor(colors["muted"]))
            x = self.left + self.width - bidipara.line_width(runs, size, self.rtl) if self.rtl else self.left
            bidipara.draw_line(canv, x, baseline, runs, size, self.rtl)
        else:
            canv.setFont(runs[0][0] if runs else self.fonts.regular, size)
            canv.setFillColor(HexColor(colors["muted"]))
            draw_runs(canv, self.left, baseline, runs, size)
        canv.saveState()
        canv.translate(self.left if self.rtl else self.left + self.width, label_baseline)
        canv.doForm(f"leaflet-page-{page}")
        canv.restoreState()
        canv.restoreState()

    def page_label(self, page: int, pages: int) -> str:
        return furniture(self.leaflet, self.locale.strings, page, pages, self.brand)[-1]


class FontState(NamedTuple):
    """What a document's subsets of one font hold, as ReportLab assigned them (its TTFont state):
    kept for a template (``render(font_states=...)``) so that a stamped panel draws the glyphs
    the leaflet's subsets have already with the same codes (leaflet.typeset.stamp)."""

    font: str  # the registered font name
    internal: str  # its name in the PDF's resources: F1 (subset n is /F1+n)
    subsets: tuple[tuple[int, ...], ...]
    assignments: dict[int, int]  # character -> code (subset * 256 + byte)


class LeafletCanvas(Canvas):
    """A canvas that writes the "Page X of Y" forms once the page count is known."""

    furniture: PageFurniture | None = None
    font_states: list[FontState] | None = None

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> PDFTextObject:
        f = self.furniture
        if f is not None and f.fonts.synthetic_bold:  # bold text in fonts without a bold file
            return TextObject(self, x, y, direction=direction)
        return super().beginText(x, y, direction)

    def save(self) -> None:
        if self._code:  # pragma: no cover - platypus always ends with showPage
            self.showPage()
        pages = self._pageNumber - 1
        f = self.furniture
        if f is not None and isinstance(f.panel, ReservedPanel):  # a template: the panel's empty form, its box the rectangle
            x, y, width, height = f.panel_rect()
            self.beginForm(PANEL_FORM, lowerx=x, lowery=y, upperx=x + width, uppery=y + height)
            self.endForm()
        if f is not None:
            size = f.theme["footer"]["size"]
            for page in range(1, pages + 1):
                label = f.page_label(page, pages)
                runs = f.fonts.runs(label, bold=True)
                if f.shaped(label):  # right to left: the label starts at the left margin
                    width = bidipara.line_width(runs, size, f.rtl)
                    x = 0.0 if f.rtl else -width
                    self.beginForm(f"leaflet-page-{page}", lowerx=x - 2, lowery=-size, upperx=x + width + 2,
                                   uppery=size * 2)
                    self.setFillColor(HexColor(f.theme["colors"]["text"]))
                    bidipara.draw_line(self, x, 0, runs, size, f.rtl)
                    self.endForm()
                    continue
                width = sum(stringWidth(run, name, size) for name, run in runs)
                self.beginForm(f"leaflet-page-{page}", lowerx=-width - 2, lowery=-size, upperx=2, uppery=size * 2)
                self.setFont(runs[0][0] if runs else f.fonts.bold, size)
                self.setFillColor(HexColor(f.theme["colors"]["text"]))
                draw_runs(self, -width, 0, runs, size)
                self.endForm()
        if self.font_states is not None:
            for font in self._doc.delayedFonts:
                state = font.state.get(self._doc)
                if state is not None and state.internalName:
                    self.font_states.append(FontState(font.fontName, state.internalName,
                                                      tuple(tuple(s) for s in state.subsets), dict(state.assignments)))
        super().save()


def pdf_date(leaflet: Leaflet, epoch: int | None = None) -> str:
    """The PDF's CreationDate and ModDate: ``epoch`` (seconds, from SOURCE_DATE_EPOCH) when
    given, else the leaflet's revision date (YYYY-MM is the first of the month), at 00:00 UTC.
    Never the clock: the same input gives the same bytes."""
    if epoch is not None:
        import datetime

        when = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
        return when.strftime("D:%Y%m%d%H%M%S+00'00'")
    year, month, *day = leaflet.revision.date.split("-")
    return f"D:{year}{month}{day[0] if day else '01'}000000+00'00'"


class _InfoWithoutAuthor(PDFInfo):
    """The document information dictionary without an Author: for a leaflet that names none
    (ReportLab always writes one, "(anonymous)" by default). Otherwise as ReportLab writes it."""

    def format(self, document: Any) -> bytes:
        date = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        return PDFDictionary({
            "Title": PDFString(self.title), "ModDate": date, "CreationDate": date,
            "Producer": PDFString(self.producer), "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
        }).format(document)


class LeafletDoc(BaseDocTemplate):
    def __init__(self, target: Any, furniture: PageFurniture, date: str = "",
                 font_states: list[FontState] | None = None, shorten: Mapping[int, float] | None = None,
                 **kw: Any) -> None:
        super().__init__(target, **kw)
        self.furniture = furniture
        self.font_states = font_states
        self.date = date
        self.shorten = shorten or {}  # page -> points its body ends above the frame's foot (flowables.look_back)
        # each page a break ended (all but the last): its number, the room left empty at its foot, its body's height
        # and the room under its last text, in the last thing on it (flowables.overfull)
        self.gaps: list[Gap] = []
        self.below = 0.0
        first: dict[str, Any] = {"onPage": furniture.draw_panel} if furniture.panel is not None else {}
        self.addPageTemplates([
            PageTemplate("first", frames=[furniture.frame(True)], onPageEnd=furniture.draw, autoNextPageTemplate="later",
                         **first),
            PageTemplate("later", frames=[furniture.frame(False)], onPageEnd=furniture.draw),
        ])

    def handle_frameBegin(self, resume: int = 0, pageTopFlowables: Any = None) -> None:
        super().handle_frameBegin(resume, pageTopFlowables)
        f = self.frame  # (a frame is reused page after page: its foot is set again on each)
        f._y1p = f._y1 + f._bottomPadding + self.shorten.get(self.page, 0.0)
        set_may_relax(self.shorten.get(self.page, 0.0) <= 0)  # (flowables._RELAX)
        self.below = 0.0
        set_below_last_text(0.0)

    def handle_frameEnd(self, resume: int = 0) -> None:
        f = self.frame
        if f._height > 0:  # (page 1 has no body when the personal panel takes it to itself)
            # page 1's personal panel is text of its text area, above its body (flowables.empty_share)
            panel = self.furniture.panel
            above = panel.height + PANEL_GAP if panel is not None and self.page == 1 else 0.0
            self.gaps.append((self.page, f._y - f._y1 - f._bottomPadding, f._height, self.below, above))
        super().handle_frameEnd(resume)

    def afterFlowable(self, flowable: Any) -> None:
        if not isinstance(flowable, ActionFlowable):  # the room under the last text drawn on the page
            self.below = flowable.getSpaceAfter() + text_foot(flowable)
            set_below_last_text(self.below)

    def handle_flowable(self, flowables: list[Any]) -> None:
        first = flowables[0] if flowables else None
        try:
            super().handle_flowable(flowables)
        except LayoutError:
            # ReportLab names the flowable by its repr: name the field instead
            raise too_tall(first, self.furniture.width, self.furniture.body_height(first=False)) from None

    def beforeDocument(self) -> None:
        self.canv.furniture = self.furniture
        self.canv.font_states = self.font_states
        if self.author is None:  # the leaflet names no author: the PDF claims none
            info = _InfoWithoutAuthor()
            info.__dict__.update(self.canv._doc.info.__dict__)
            self.canv._doc.info = info
        if self.date:
            self.canv.setDateFormatter(lambda *_: self.date)
        self.canv.showOutline()
        self.canv.setViewerPreference("DisplayDocTitle", "true")  # viewers show the title, not the file name


def render(leaflet: Leaflet, locale: Locale, theme: dict[str, Any], fonts: FontSet, paper: str = "a4", *,
           epoch: int | None = None, panel: list[Row] | ReservedPanel | None = None,
           font_states: list[FontState] | None = None, brand: Brand | None = None, logo: Any = None) -> bytes:
    """Lay out and render a validated leaflet; return the PDF bytes. ``epoch`` sets the PDF's
    dates (see :func:`pdf_date`). ``panel``: the personal panel's rows
    (:func:`leaflet.text.panel.panel_rows`) to print at the top of page 1, or
    ``Panel.reserved(theme)`` for its rectangle left empty (see :mod:`.panel`); a row that does
    not fit raises RenderError (code ``panel``) before anything is laid out. A leaflet with its
    panel reserved is a template for :mod:`leaflet.typeset.stamp`: an empty form
    (:data:`PANEL_FORM`) stands in the rectangle; ``font_states``, a list, receives what its font
    subsets hold (:class:`FontState`). ``brand``: a clinic's brand (its checked colours applied to
    the theme here) and ``logo``, its :class:`leaflet.typeset.brand.Logo` (or None).

    A leaflet whose pages come out with one left too empty (what follows could not start on it)
    is laid out again, the page before it ending earlier (:func:`.flowables.look_back`), at most
    ``LOOK_BACK_BUILDS`` more times; the fullest layout is kept."""
    page_width, page_height = PAPER[paper]
    links.reset()  # the addresses ReportLab may split again are this document's only
    if brand is not None:
        from ..content.brand import brand_colours

        theme = {**theme, "colors": brand_colours(brand, theme["colors"])}
    styles = Styles(fonts, theme, hyphenation=hyphenator_for(leaflet))
    drawn: Panel | ReservedPanel | None = None
    if isinstance(panel, list):
        drawn = Panel(panel, fonts, styles, theme, locale.direction == "rtl")  # laid out to fit, below
    elif panel is not None:
        drawn = panel
    furniture = PageFurniture(styles, fonts, theme, locale, leaflet, page_width, page_height, drawn, brand)
    if isinstance(drawn, Panel):
        drawn.fit(furniture.width, furniture.panel_room(), furniture.panel_full(), furniture.panel_most())
    s = locale.strings
    m = leaflet.medicine
    def clean(text: str) -> str:  # PDF metadata: one line; bidi isolates and marks steer drawing, not metadata
        return one_line(strip_controls(text))

    def meta(text: str) -> str:  # ... and an author's text without its markup
        return clean(plain(text))

    name = meta(m.name)
    drug_class = [meta(m.drug_class)] if is_set(m.drug_class) else []
    kicker = clean(s["kicker"])
    keywords = [name, *map(meta, m.brands), *drug_class, kicker, leaflet.language]
    options = dict(
        pagesize=(page_width, page_height),
        leftMargin=furniture.left, rightMargin=furniture.right, topMargin=furniture.top,
        bottomMargin=furniture.bottom,
        title=f"{name} – {meta(leaflet.document_type) if isinstance(leaflet.document_type, str) else kicker}",
        author=meta(leaflet.author) if isinstance(leaflet.author, str) else None,  # None: no Author at all
        subject=clean(s["subject"].format(name=name)),
        keywords=keywords,
        creator="leaflet",
        producer="leaflet (ReportLab)",
        lang=leaflet.language,
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.regular,
        initialFontSize=theme["body"]["size"],
        initialLeading=theme["body"]["leading"],
    )

    def lay_out(shorten: Mapping[int, float],
                last_resort: bool = False) -> tuple[bytes, list[Gap], list[FontState]]:
        links.restore(addresses)  # the addresses as the furniture left them, for every layout alike
        states: list[FontState] = []
        story = StoryBuilder(leaflet, locale, theme, styles, furniture.width, furniture.body_height(first=False),
                             brand=brand, logo=logo).story()
        buffer = io.BytesIO()
        doc = LeafletDoc(buffer, furniture, pdf_date(leaflet, epoch), states if font_states is not None else None,
                         shorten, **options)
        fonts.claim()
        try:
            with relaxing(last_resort):
                doc.build(story, canvasmaker=LeafletCanvas)
        except LayoutError:  # (ReportLab's message names its objects by their repr: not shown)
            raise RenderError("the content does not fit on the page",
                              hint="split the longest block (a table, a box or a list) into smaller ones") from None
        return buffer.getvalue(), doc.gaps, states

    def fullest(first: tuple[bytes, list[Gap], list[FontState]],
                last_resort: bool) -> tuple[bytes, list[Gap], list[FontState]]:
        # a page left too empty because what follows could not start on it: the page before gives it
        # its last lines (flowables.look_back), the first such page first; a layout is kept only where
        # the pages are fuller
        pdf, gaps, states = first
        shorten: dict[int, float] = {}
        tried: set[tuple[int, int]] = set()
        for _ in range(LAST_RESORT_BUILDS if last_resort else LOOK_BACK_BUILDS):
            if overfull(gaps) == 0:
                break
            step = look_back(gaps, shorten, tried)
            if step is None:
                break
            page, trial = step
            try:
                other, other_gaps, other_states = lay_out(trial, last_resort)
            except RenderError:  # a shortened page cannot hold what must start it
                continue
            if overfull(other_gaps) < overfull(gaps) - 1e-6 and emptiest(other_gaps) <= max(emptiest(gaps),
                                                                                             LOOK_BACK_OVER):
                pdf, gaps, states, shorten = other, other_gaps, other_states, trial
                tried = {t for t in tried if t[0] < page}  # the pages after it have changed
        return pdf, gaps, states

    addresses = links.snapshot()
    pdf, gaps, states = fullest(lay_out({}), False)
    if overfull(gaps) > 0:
        # pages still too empty: laid out again with the last resort of the rules (flowables.last_resort:
        # a lead-in or list item leaves a line alone), looked back again; kept where the pages are fuller
        try:
            other, other_gaps, other_states = fullest(lay_out({}, True), True)
        except RenderError:
            other_gaps = gaps
        if overfull(other_gaps) < overfull(gaps) - 1e-6:
            pdf, gaps, states = other, other_gaps, other_states
    if font_states is not None:  # what the kept layout's font subsets hold
        font_states.extend(states)
    return pdf


def panel_geometry(leaflet: Leaflet, locale: Locale, theme: dict[str, Any], fonts: FontSet, paper: str = "a4",
                   lines: int | None = None, brand: Brand | None = None) -> tuple[Rect, float, float, float]:
    """The personal panel's rectangle on page 1 of ``leaflet`` (points, lower left corner) for the
    height class ``lines`` (None: the default, :func:`leaflet.typeset.panel.default_lines`): what
    ``render(..., panel=...)`` reserves for a panel of that class; the tallest panel page 1
    has room for (:meth:`PageFurniture.panel_room`); page 1's whole body, the most a compact
    panel that takes page 1 to itself may have (:meth:`PageFurniture.panel_full`); and that body with
    page 1's margins given, the most a tight one may have (:meth:`PageFurniture.panel_most`). They
    depend on the paper, the theme, the language (and the banner a draft or unreviewed translation
    prints above it) and the brand (its footer line)."""
    page_width, page_height = PAPER[paper]
    styles = Styles(fonts, theme, hyphenation=hyphenator_for(leaflet))
    furniture = PageFurniture(styles, fonts, theme, locale, leaflet, page_width, page_height,
                              ReservedPanel(theme, lines), brand)
    return furniture.panel_rect(), furniture.panel_room(), furniture.panel_full(), furniture.panel_most()
