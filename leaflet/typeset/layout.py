"""Layout: the content model -> a list of ReportLab flowables (the "story").

Everything the page shows is decided here from three inputs: the leaflet, its
locale's fixed strings and the theme. Drawing the pages, the running header,
the footer and the PDF's structure happens in :mod:`leaflet.render`.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from string import Formatter
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..content.model import Block, Item, Leaflet, ListItem, SideEffects, TableCell, is_set
from ..errors import Path, RenderError
from ..resources import Locale
from ..text.inline import one_line, paragraphs, parse_runs, plain, words
from ..text.printed import (
    callout_band,
    callout_parts,
    contents_entry,
    frequency_line,
    label_parts,
    list_number,
    part_kind,
    precaution_parts,
    reference_texts,
    section_headings,
    severity_word,
)
from . import bidipara
from .columns import Columns
from .flowables import Box, Heading, RowTable, RtlRowTable, keep_with_next, max_columns, tag
from .fonts import BULLET_MARKS, FontSet
from .hyphenate import Hyphenator
from .linebreak import CJK_SCRIPTS, is_cjk
from .links import URI_WASTE, href, split_urls

if TYPE_CHECKING:  # the brand's model is loaded only by a build with a brand (build --brand)
    from ..content.brand import Brand


def color(value: str) -> Color:
    return HexColor(value)


CELL_PADDING = 5  # points, left and right of a table cell's text


def fit_columns(widths: Sequence[float], needs: Sequence[float]) -> list[float]:
    """Column widths of the same total as ``widths`` in which each column is at least as wide as
    it ``needs`` (its longest word, with the cell's padding): a column too narrow takes the room it
    lacks from the others, from each in proportion to what it has to spare. A table whose words
    all fit keeps its widths, and so does one whose words cannot all fit, however the width is
    shared (its longest words break at a hyphenation point with a hyphen: see :mod:`.hyphenate`):
    a column is widened only where that makes every word of the table fit."""
    lack = sum(max(0.0, n - w) for w, n in zip(widths, needs))
    spare = [max(0.0, w - n) for w, n in zip(widths, needs)]
    total_spare = sum(spare)
    if lack <= 0 or total_spare < lack:
        return list(widths)
    return [n if n > w else w - lack * s / total_spare for w, n, s in zip(widths, needs, spare)]


class Styles:
    """Paragraph styles built from a theme for one font set."""

    def __init__(self, fonts: FontSet, theme: dict[str, Any], *, hyphenation: str | Hyphenator = "") -> None:
        """``hyphenation``: how the paragraphs hyphenate (:func:`.hyphenate.hyphenator_for` a
        leaflet), or the pyphen dictionary that hyphenates every word ("": none; a word wider than
        its line still breaks with a hyphen, after a character: see :mod:`.hyphenate`)."""
        self.fonts, self.theme = fonts, theme
        t, f = theme, fonts
        marks = f.font_for(BULLET_MARKS)  # bullets and list numbers are drawn in one font
        extra_all: dict[str, Any] = {}
        if f.script in CJK_SCRIPTS:  # lines break between characters, with kinsoku (see .linebreak)
            extra_all["wordWrap"] = "CJK"
        else:  # a word wider than its line breaks with a hyphen; every word with options.hyphenate
            extra_all["hyphenationLang"] = hyphenation if isinstance(hyphenation, Hyphenator) else Hyphenator(
                hyphenation, every_word=bool(hyphenation))
        ink = color(t["colors"]["text"])

        def style(name: str, spec: dict[str, Any], *, bold: bool = False, **extra: Any) -> ParagraphStyle:
            extra.setdefault("textColor", ink)
            return ParagraphStyle(
                name, fontName=f.bold if bold else f.regular, fontSize=spec["size"], leading=spec["leading"],
                alignment=TA_LEFT, allowWidows=0, allowOrphans=0, splitLongWords=1, uriWasteReduce=URI_WASTE,
                bulletFontName=marks, bulletFontSize=spec["size"], **extra_all, **extra,
            )

        gap = t["paragraph_space"]
        self.body = style("body", t["body"], spaceAfter=gap)
        self.title = style("title", t["title"], bold=True, spaceAfter=2)
        self.kicker = style("kicker", t["kicker"], bold=True, textColor=color(t["colors"]["muted"]), spaceAfter=2,
                            keepWithNext=1)  # never alone at the foot of a page (under a tall panel)
        self.subtitle = style("subtitle", t["subtitle"], spaceAfter=1)
        h = t["heading"]
        self.heading = style("heading", h, bold=True, spaceBefore=h["space_before"], spaceAfter=h["space_after"])
        s = t["subheading"]
        self.subheading = style("subheading", s, bold=True, spaceBefore=s["space_before"],
                                spaceAfter=s["space_after"])
        self.question = style("question", t["body"], bold=True, spaceBefore=4, spaceAfter=1)
        indent = t["body"]["size"] * 1.3
        self.bullets = [
            style(f"bullet{level}", t["body"], leftIndent=indent * (level + 1), bulletIndent=indent * level + 2,
                  spaceAfter=2)
            for level in range(4)
        ]
        self.cell = style("cell", t["body"])
        self.cell_head = style("cell_head", t["body"], bold=True, textColor=color(t["colors"]["table_header_text"]))
        self.footer = style("footer", t["footer"], textColor=color(t["colors"]["muted"]))
        self.header = style("header", t["header"], bold=True, textColor=color(t["colors"]["muted"]))
        self.banner = style("banner", t["footer"], bold=True, textColor=color(t["colors"]["banner_text"]))


def keep_sub_list_ends(flat: list[Flowable], level: int = 1) -> None:
    """In a list's paragraphs (item by item, each with its ``level``), every sub-list's first two
    items travel together, and its last two, as the list's own do (soft: parted rather than leave
    a gap), so that a sub-list breaks over a page with two of its items or more on each side; and
    the item it belongs to travels with its first item (as a lead-in, softly). An item with a
    sub-list of its own is left to that sub-list's rules."""
    def depth(f: Flowable) -> int:
        return int(getattr(f, "level", 0))

    i = 0
    while i < len(flat):
        if depth(flat[i]) < level:
            i += 1
            continue
        if i and not getattr(flat[i - 1], "keep_with_next", False):
            flat[i - 1].keep_with_next = "soft"  # the item's text, with its sub-list's first item
        end = i
        while end < len(flat) and depth(flat[end]) >= level:
            end += 1
        run = flat[i:end]  # one sub-list, with the sub-lists of its items
        starts = [n for n, f in enumerate(run) if depth(f) == level and getattr(f, "item", "") == "start"]
        if len(starts) > 1:
            for first, second in ((starts[0], starts[1]), (starts[-2], starts[-1])):
                unit = run[first:second]
                if all(depth(f) == level for f in unit):
                    for f in unit:
                        if not getattr(f, "keep_with_next", False):
                            f.keep_with_next = "soft"
        keep_sub_list_ends(run, level + 1)
        i = end


def escape(text: str) -> str:
    """Text -> ReportLab paragraph markup that prints it literally.

    (Not xml.sax.saxutils.escape: importing it pulls in urllib, http and ssl,
    a fifth of leaflet's start-up time.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def literal(text: str, fonts: FontSet, *, bold: bool = False, style_bold: bool | None = None) -> str:
    """Plain text -> markup that prints it literally, each character in the first font of the
    script's chain that has it. ``bold``: the weight of this text; ``style_bold``: the weight of
    the paragraph style's own font (default: the same). A run in another font is wrapped in
    <font name=...>."""
    base = fonts.bold if (bold if style_bold is None else style_bold) else fonts.regular
    runs = fonts.runs(text, bold)
    if len(runs) == 1 and runs[0][0] == base:  # most texts: all in the style's own font
        return escape(text)
    out = []
    for name, run in runs:
        run = escape(run)
        out.append(run if name == base else f'<font name="{name}">{run}</font>')
    return "".join(out)


def literal_template(template: str, fonts: FontSet, *, bold: bool = False) -> str:
    """A locale string with placeholders ("{label} · {title}") -> markup for ``str.format``: its
    own text printed literally in the chain's fonts (as :func:`literal`), each placeholder left
    outside any ``<font>``, so that the text put in its place keeps its own fonts (a Chinese
    title inside a template whose " · " prints in Noto Sans would otherwise print in Noto Sans)."""
    out = []
    for text, field, spec, conversion in Formatter().parse(template):
        if text:
            out.append(literal(text, fonts, bold=bold).replace("{", "{{").replace("}", "}}"))
        if field is not None:
            out.append("{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def markup(text: str, fonts: FontSet, refs: Mapping[str, str] | None = None,
           anchors: Mapping[str, str] | None = None, *, bold: bool = False, style_bold: bool = False) -> str:
    """Author text -> ReportLab paragraph markup. Only ``**bold**`` and references ``[[id]]``
    become markup: a reference prints ``refs[id]`` and links to the named destination
    ``anchors[id]``. Characters the primary font lacks print in a fallback font of the chain
    (in the same weight); a web address is a link to it (see :mod:`.links`).
    ``bold`` sets all of the text in bold (never by adding ``**`` around the author's text:
    a text ending in a backslash would escape the closing marker); ``style_bold`` says the
    paragraph's style is bold already."""
    out = []
    for run in parse_runs(unicodedata.normalize("NFC", text)):
        weight = style_bold or bold or run.bold
        if run.ref is not None:
            piece = literal((refs or {}).get(run.ref, run.ref), fonts, bold=weight, style_bold=style_bold)
            if anchors and run.ref in anchors:
                piece = f'<a href="#{anchors[run.ref]}">{piece}</a>'
            out.append(piece)
            continue
        for part, is_url in split_urls(run.text):
            printed = literal(part, fonts, bold=weight, style_bold=style_bold)
            out.append(f'<a href="{escape(href(part)).replace(chr(34), "&quot;")}">{printed}</a>' if is_url else printed)
    return "".join(out)


class StoryBuilder:
    """Turns a Leaflet into flowables. One instance per build."""

    def __init__(self, leaflet: Leaflet, locale: Locale, theme: dict[str, Any], styles: Styles,
                 frame_width: float, frame_height: float, *, brand: Brand | None = None, logo: Any = None) -> None:
        """``brand`` and its ``logo`` (a :class:`leaflet.typeset.brand.Logo`, or None): the clinic's
        brand, above the title (``theme`` has its accent colour applied already)."""
        self.leaflet, self.locale, self.theme, self.fonts = leaflet, locale, theme, styles.fonts
        self.brand, self.logo = brand, logo
        self.width, self.frame_height = frame_width, frame_height
        self.st = styles
        self.rtl = locale.direction == "rtl"  # right to left: the page is mirrored
        self.colors = {k: color(v) for k, v in theme["colors"].items()}
        self._keys = 0
        self._path: Path = ()  # the block being laid out
        self.refs = reference_texts(leaflet, locale.strings)  # what each [[id]] prints
        # named destinations of the sections that links go to: those with an id, or all of them
        # when the contents list links to every one
        contents = leaflet.layout.contents
        self.section_anchors = [f"section-{n}" if contents or is_set(sec.id) else ""
                                for n, sec in enumerate(leaflet.sections, start=1)]
        self.anchors = {sec.id: a for sec, a in zip(leaflet.sections, self.section_anchors) if is_set(sec.id)}

    # helpers --------------------------------------------------------------
    def mk(self, text: str, *, bold: bool = False, style_bold: bool = False) -> str:
        """Author text -> paragraph markup, references resolved and linked."""
        return markup(text, self.fonts, self.refs, self.anchors, bold=bold, style_bold=style_bold)

    def para(self, text: str, style: ParagraphStyle, *, bold: bool = False, **kw: Any) -> Paragraph:
        return self.P(self.mk(text, bold=bold, style_bold=style.fontName == self.fonts.bold), style, **kw)

    def P(self, markup_text: str, style: ParagraphStyle, **kw: Any) -> Paragraph:
        """A paragraph of markup: shaped and ordered by UAX #9 in a right-to-left leaflet (or where
        the text needs it), ReportLab's own otherwise (see :mod:`.bidipara`)."""
        return bidipara.paragraph(markup_text, style, self.rtl, **kw)

    def paras(self, text: str, style: ParagraphStyle) -> list[Flowable]:
        return [self.para(p, style) for p in paragraphs(text)]

    def heading(self, text: str, style: ParagraphStyle, level: int, anchor: str = "") -> Heading:
        self._keys += 1
        outline = one_line(plain(text, self.refs))
        return bidipara.heading(self.mk(one_line(text), style_bold=style.fontName == self.fonts.bold),
                                style, f"h{self._keys}", level, outline, anchor, self.rtl)

    def item_units(self, items: Sequence[Item], level: int = 0, numbered: bool = False) -> list[list[Flowable]]:
        """The paragraphs of each item (a bullet with its sub-bullets), item by item."""
        units: list[list[Flowable]] = []
        style = self.st.bullets[min(level, len(self.st.bullets) - 1)]
        bullet = "•" if level % 2 == 0 else "–"
        for number, item in enumerate(items, start=1):
            text = item.text if isinstance(item, ListItem) else item
            mark = list_number(self.locale.strings, number) if numbered else bullet
            unit: list[Flowable] = []
            for n, p in enumerate(paragraphs(text)):
                para = self.para(p, style, bulletText=mark if n == 0 else None)
                para.item = "more" if n else "start"  # how a box may break a list (flowables.Box)
                para.level = level  # the list's depth: a sub-list splits by its own items
                unit.append(para)
            if isinstance(item, ListItem):
                unit.extend(self.items(item.items, level + 1))
            units.append(unit)
        return units

    def items(self, items: Sequence[Item], level: int = 0, numbered: bool = False) -> list[Flowable]:
        return [f for unit in self.item_units(items, level, numbered) for f in unit]

    def columns(self, items: Sequence[Item], columns: int, numbered: bool = False,
                space_after: float | None = None) -> list[Flowable]:
        """A list in ``columns`` columns side by side, read column by column."""
        units = self.item_units(items, numbered=numbered)
        gap = space_after if space_after is not None else units[-1][-1].getSpaceAfter()
        return [Columns(units, columns, gap=self.theme["body"]["size"] * 1.5, space_after=gap, rtl=self.rtl,
                        frame=self.frame_height)]

    # the document -----------------------------------------------------------
    def story(self) -> list[Flowable]:
        lf = self.leaflet
        out: list[Flowable] = self.title_block()
        if is_set(lf.intro):
            out.extend(self.blocks(lf.intro, ("intro",)))
        out.extend(self.key_facts())
        out.extend(self.contents())
        headings = section_headings(lf, self.locale.strings)
        for s, (section, heading, anchor) in enumerate(zip(lf.sections, headings, self.section_anchors)):
            out.append(tag(self.heading(heading, self.st.heading, 0, anchor), ("sections", s, "heading")))
            out.extend(self.blocks(section.blocks, ("sections", s, "blocks")))
        return keep_with_next(out, self.width, self.frame_height)

    def contents(self) -> list[Flowable]:
        """The "What is in this leaflet" list: each section's heading (numbered when the sections
        are), linked to the section."""
        lf, s = self.leaflet, self.locale.strings
        if not lf.layout.contents:
            return []
        title = self.P(literal(s["contents_title"], self.fonts, bold=True), ParagraphStyle(
            "contents-title", parent=self.st.subheading, keepWithNext=0))
        title.keep_with_next = True
        out: list[Flowable] = [tag(title, ("options", "contents"))]
        numbered = lf.layout.number_sections
        style = self.st.bullets[0] if numbered else ParagraphStyle("contents", parent=self.st.body, spaceAfter=2)
        for n, (section, anchor) in enumerate(zip(lf.sections, self.section_anchors), start=1):
            heading = markup(one_line(contents_entry(section)), self.fonts, self.refs)  # no link in a link
            text = f'<a href="#{anchor}">{heading}</a>'
            entry = self.P(text, style, bulletText=list_number(s, n) if numbered else None)
            out.append(tag(entry, ("sections", n - 1, "contents_entry" if is_set(section.contents_entry)
                                   else "heading")))
        out[-1].style = ParagraphStyle("contents-last", parent=out[-1].style, spaceAfter=self.theme["paragraph_space"])
        return out

    def title_block(self) -> list[Flowable]:
        m, s = self.leaflet.medicine, self.locale.strings
        kicker = markup(self.leaflet.document_type, self.fonts, style_bold=True) if is_set(
            self.leaflet.document_type) else literal(s["kicker"], self.fonts, bold=True)
        out: list[Flowable] = []
        if self.brand is not None:
            out.append(tag(self.brand_bar(self.brand), ("brand", "name")))
        out.append(self.P(kicker, self.st.kicker))
        out.append(tag(self.heading(m.name, self.st.title, 0), ("medicine", "name")))
        if is_set(m.subtitle):  # the generic name, a pronunciation, the form: one line each, no label
            for i, line in enumerate(m.subtitle):
                out.append(tag(self.para(one_line(line), self.st.subtitle), ("medicine", "subtitle", i)))
        if m.brands:
            # The separators are printed in the chain's fonts like any text: raw in the markup they
            # took the paragraph's font, and a CJK font prints no comma (a blank box).
            names = literal(", ", self.fonts).join(self.mk(b) for b in m.brands)
            out.append(self.P(self.labelled(s["brand_names"] if len(m.brands) > 1 else s["brand_name"], names),
                              self.st.subtitle))
        if is_set(m.drug_class):
            out.append(self.P(self.labelled(s["drug_class"], self.mk(m.drug_class)), self.st.subtitle))
        if is_set(self.leaflet.digital_url):
            out.append(Spacer(1, 4))
            out.append(tag(self.digital_url(self.leaflet.digital_url), ("digital_url",)))
        out.append(Spacer(1, 6))
        return out

    def brand_bar(self, brand: Brand) -> Flowable:
        """The clinic's logo and name above the title (its name printed as written, in its accent colour)."""
        from .brand import LOGO_HEIGHT, BrandBar

        h = self.theme["heading"]
        style = ParagraphStyle("brand-name", parent=self.st.heading, spaceBefore=0, spaceAfter=0, keepWithNext=0,
                               textColor=self.colors.get("brand", self.colors["text"]), fontSize=h["size"],
                               leading=h["leading"])
        name = self.P(literal(one_line(brand.name), self.fonts, bold=True), style)
        scale = self.theme["body"]["size"] / 10.5  # a larger logo in large print
        return BrandBar(self.logo, name, self.rtl, LOGO_HEIGHT * max(1.0, scale))

    def digital_url(self, url: str) -> Flowable:
        """The QR code of the leaflet's digital version, with its label and address beside it
        (the code is never the only way there: the address prints, and is a link)."""
        from .qr import QrBlock

        label = self.P(literal(self.locale.strings["digital_leaflet"], self.fonts, bold=True),
                       ParagraphStyle("qr-label", parent=self.st.subtitle, fontName=self.fonts.bold, spaceAfter=1))
        address = self.P(markup(one_line(url), self.fonts), ParagraphStyle("qr-url", parent=self.st.subtitle,
                                                                           spaceAfter=0))
        return QrBlock(url, [label, address], self.rtl)

    def labelled(self, label: str, value: str) -> str:
        """Markup of a bold label and its value (markup), punctuated as the locale's
        ``label_value`` says: "Brand name: Lioresal", "Nom commercial\u202f: …", "商品名：…"."""
        text, gap, tail = label_parts(self.locale.strings, label)
        return (literal(text, self.fonts, bold=True, style_bold=False) + (literal(gap, self.fonts) if gap else "")
                + value + (literal(tail, self.fonts) if tail else ""))

    def key_facts(self) -> list[Flowable]:
        if not is_set(self.leaflet.key_facts):
            return []
        kf, s = self.leaflet.key_facts, self.locale.strings
        heading = kf.heading if is_set(kf.heading) else s["key_facts"]
        header = kf.header if is_set(kf.header) else s["key_facts_header"]
        rows = [[r.label, r.value] for r in kf.rows]
        table = self.table(header, rows, col_widths=[0.34 * self.width, 0.66 * self.width], bold_first=True,
                           path=("key_facts",), cell_path=lambda r, c: ("rows", r, ("label", "value")[c]))
        return [self.heading(heading, self.st.heading, 0), table]

    def table(self, header: Sequence[str] | None, rows: Sequence[Sequence[str | TableCell]],
              col_widths: Sequence[float] | None = None, bold_first: bool = False, path: Path = (),
              cell_path: Callable[[int, int], Path] = lambda r, c: ("rows", r, c)) -> Table:
        c = self.colors
        data: list[list[Any]] = []
        if header:
            data.append([tag(self.para(h, self.st.cell_head), (*path, "header", i)) for i, h in enumerate(header)])
        for r, row in enumerate(rows):
            cells: list[Any] = []
            for i, cell in enumerate(row):
                where = (*path, *cell_path(r, i))
                if isinstance(cell, TableCell):  # a list, after an optional text
                    content: list[Flowable] = []
                    if is_set(cell.text):
                        lead = ParagraphStyle("cell-lead", parent=self.st.cell, spaceAfter=2)
                        content.extend(tag(p, (*where, "text")) for p in self.paras(cell.text, lead))
                    content.extend(tag(f, (*where, "bullets")) for f in self.items(cell.bullets))
                    cells.append(content)
                    continue
                cells.append(tag(self.para(cell, self.st.cell, bold=bold_first and i == 0), where))
            data.append(cells)
        ncols = max(len(r) for r in data)
        body = self.theme["body"]
        most = max_columns(self.width, body["size"])
        if ncols > most:
            raise RenderError(
                f"the table has {ncols} columns, but at most {most} fit across the page at {body['size']:g} pt",
                (*path, "header" if header else "rows"),
                "split it into narrower tables, or turn it round (one row for each of today's columns)",
                code="table")
        widths = list(col_widths) if col_widths else [self.width / ncols] * ncols
        widths = fit_columns(widths, self.column_needs(header, rows, widths, bold_first))
        kind = RowTable
        if self.rtl:  # columns from right to left: cells in visual order, drawn from the right
            data, widths, kind = [row[::-1] for row in data], widths[::-1], RtlRowTable
        table = kind(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT",
                         splitInRow=2 * body["leading"] + 7)  # a row split inside keeps 2 lines each side
        table.frame = self.frame_height
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # cells hold paragraphs, but Table still selects a cell font: never Helvetica
            ("FONT", (0, 0), (-1, -1), self.fonts.regular, self.theme["body"]["size"], self.theme["body"]["leading"]),
            ("GRID", (0, 0), (-1, -1), 0.6, c["table_grid"]),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        first = 1 if header else 0
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), c["table_header_bg"]))
        for r in range(first, len(data)):
            if (r - first) % 2 == 1:
                commands.append(("BACKGROUND", (0, r), (-1, r), c["table_stripe"]))
        table.setStyle(TableStyle(commands))
        table.spaceBefore, table.spaceAfter = 2, 8
        return table

    def word_widths(self, text: str, bold: bool = False) -> list[float]:
        """The widths of the words of ``text`` (author text) at the body's size: what no line of a
        cell breaks inside without a hyphen. Its words between breakable spaces (a number and its
        unit, "10\u00a0mg", are one), without web addresses (they break at their own points) and,
        in Chinese and Japanese, only the runs between CJK characters (lines break there)."""
        size = self.theme["body"]["size"]
        out: list[float] = []
        for part, is_url in split_urls(plain(text, self.refs)):
            if is_url:
                continue
            for word in words(part):
                if self.fonts.script in CJK_SCRIPTS:
                    pieces = "".join(" " if is_cjk(ch) else ch for ch in word).split()
                else:
                    pieces = [word]
                out.extend(sum(stringWidth(run, name, size) for name, run in self.fonts.runs(piece, bold))
                           for piece in pieces)
        return out

    def column_needs(self, header: Sequence[str] | None, rows: Sequence[Sequence[str | TableCell]],
                     widths: Sequence[float], bold_first: bool) -> list[float]:
        """How wide each column of a table must be for its longest word to fit, padding included;
        where a column's longest words cannot fit however much room the others give it (German's
        compounds on A5), for the longest of its words that can (the others break at a hyphen)."""
        ncols = len(widths)
        found: list[list[float]] = [[] for _ in range(ncols)]
        indent = self.st.bullets[0].leftIndent

        def item_texts(items: Sequence[Item], level: int = 0) -> list[tuple[str, float]]:
            out: list[tuple[str, float]] = []
            for item in items:
                if isinstance(item, ListItem):
                    out.append((item.text, indent * (level + 1)))
                    out.extend(item_texts(item.items, level + 1))
                else:
                    out.append((item, indent * (level + 1)))
            return out

        for i, h in enumerate(header or ()):
            found[i].extend(self.word_widths(h, bold=True))
        for row in rows:
            for i, cell in enumerate(row):
                if isinstance(cell, TableCell):
                    texts = ([(cell.text, 0.0)] if is_set(cell.text) else []) + item_texts(cell.bullets)
                    for text, left in texts:
                        found[i].extend(left + w for w in self.word_widths(text))
                else:
                    found[i].extend(self.word_widths(cell, bold=bold_first and i == 0))
        pad = 2 * CELL_PADDING + 0.5
        needs = [max(ws, default=-pad) + pad for ws in found]
        total = sum(widths)
        for i, ws in enumerate(found):
            room = total - sum(n for j, n in enumerate(needs) if j != i)
            if needs[i] > room:
                needs[i] = max((w + pad for w in ws if w + pad <= room), default=0.0)
        return needs

    def blocks(self, blocks: Sequence[Block], path: Path = ()) -> list[Flowable]:
        out: list[Flowable] = []
        for b, block in enumerate(blocks):
            kind = block.kind
            if kind is None:  # an editorial note: never printed
                continue
            self._path = (*path, b, kind)
            # each flowable names the field it prints, for layout errors (render.layout_problem)
            if kind in ("bullets", "numbered") and is_set(block.columns) and block.columns > 1:
                made = self.columns(getattr(block, kind), block.columns, numbered=kind == "numbered",
                                    space_after=self.theme["paragraph_space"])
            else:
                made = getattr(self, f"block_{kind}")(getattr(block, kind))
            out.extend(tag(f, self._path) for f in made)
        return out

    def block_text(self, text: str) -> list[Flowable]:
        return self.paras(text, self.st.body)

    def block_subheading(self, text: str) -> list[Flowable]:
        return [self.heading(text, self.st.subheading, 1)]

    def block_lines(self, lines: Sequence[str]) -> list[Flowable]:
        return [bidipara.whole("<br/>".join(markup(one_line(line), self.fonts) for line in lines), self.st.body,
                               self.rtl)]

    def block_numbered(self, items: Sequence[Item]) -> list[Flowable]:
        return self.block_bullets(items, numbered=True)

    def block_bullets(self, items: Sequence[Item], numbered: bool = False) -> list[Flowable]:
        out = self.items(items, numbered=numbered)
        if len(out) > 1:  # the first two items travel together, and the last two
            out[0].keep_with_next = out[-2].keep_with_next = "soft"  # parted rather than leave a gap
        keep_sub_list_ends(out)
        if out:
            out[-1].style = ParagraphStyle("bullet-last", parent=out[-1].style, spaceAfter=self.theme["paragraph_space"])
        return out

    def block_side_effects(self, se: SideEffects) -> list[Flowable]:
        c, s, serious = self.colors, self.locale.strings, se.severity == "serious"
        band_style = ParagraphStyle(
            "band", parent=self.st.subheading, spaceBefore=0, spaceAfter=0, keepWithNext=0,
            textColor=c["serious_band_text"] if serious else c["common_band_text"])
        frequency = se.frequency if is_set(se.frequency) else None
        title = self.mk(se.title, style_bold=True) if is_set(se.title) else None
        # locale text is plain text too, in the band's bold
        word = severity_word(s, se.severity, frequency)
        label = self.mk(se.label, style_bold=True) if is_set(se.label) else (
            literal(word, self.fonts, bold=True) if word is not None else None)
        frequency_name = literal(s[f"frequency_{frequency}"], self.fonts, bold=True, style_bold=False) if (
            frequency is not None) else ""
        templates = ("callout_band", "continued", "frequency_line")  # filled in with .format below

        def text(key: str, value: Any, bold: bool) -> Any:
            if not isinstance(value, str) or key.startswith("_"):  # _cldr: how dates are written, not printed
                return value
            return literal_template(value, self.fonts, bold=bold) if key in templates else literal(
                value, self.fonts, bold=bold)
        plain_s = {k: text(k, v, False) for k, v in s.items()}
        s = {k: text(k, v, True) for k, v in s.items()}
        band_text = callout_band(s, se.severity, title, label=label, frequency=frequency)
        continued_text = callout_band(s, se.severity, title, label=label, frequency=frequency, continued=True)
        band = self.P(band_text, band_style) if band_text is not None else None
        continued = self.P(continued_text, band_style) if continued_text is not None else None
        content: list[Flowable] = []
        if frequency is not None:  # the class's standard wording under the band, its name in bold
            line = self.P(frequency_line(plain_s, frequency, frequency_name), self.st.body)
            line.keep_with_next = True
            content.append(tag(line, (*self._path, "frequency")))
        bold_body = ParagraphStyle("action", parent=self.st.body, fontName=self.fonts.bold)
        for path, part in callout_parts(se):
            where = (*self._path, *path)
            if isinstance(part, list):
                content.extend(tag(f, where) for f in self.part_list(se, path, part))
            else:
                style = bold_body if part_kind(path) == "action" else self.st.body
                content.extend(tag(f, where) for f in self.paras(part, style))
        kind = "serious" if serious else "common"
        return [Box(content, border=c[f"{kind}_border"], border_width=self.theme["borders"][kind],
                    fill=c[f"{kind}_bg"], padding=self.theme["box_padding"], max_height=self.frame_height,
                    band=band, continued_band=continued, band_fill=c[f"{kind}_band"], icon=kind, rtl=self.rtl)]

    def part_list(self, box: Any, path: Path, items: Sequence[Item]) -> list[Flowable]:
        """A list part of a callout or precaution: in columns where its ``content`` part asks."""
        cols = box.content[int(path[1])].columns if path[0] == "content" and is_set(box.content) else 1
        return self.columns(items, cols) if is_set(cols) and cols > 1 else self.items(items)

    def block_precaution(self, pr: Any) -> list[Flowable]:
        c = self.colors
        title_style = ParagraphStyle("ptitle", parent=self.st.subheading, spaceBefore=0, keepWithNext=0)
        content: list[Flowable] = [self.para(pr.title, title_style)]
        content[0].keep_with_next = True  # never alone above a break
        # where the box goes on over a page, its title repeats: "Title (continued)"
        before, _, after = self.locale.strings["continued"].partition("{title}")
        bold = title_style.fontName == self.fonts.bold
        continued = (literal(before, self.fonts, bold=bold) + self.mk(one_line(pr.title), style_bold=bold)
                     + literal(after, self.fonts, bold=bold), title_style)
        subheading = ParagraphStyle("psubheading", parent=self.st.body, fontName=self.fonts.bold,
                                    spaceBefore=self.theme["paragraph_space"], spaceAfter=2)
        for path, part in precaution_parts(pr):
            where = (*self._path, *path)
            if isinstance(part, list):
                content.extend(tag(f, where) for f in self.part_list(pr, path, part))
            elif path[-1] == "subheading":  # bold, kept with what follows it (no bookmark: it is inside a box)
                head = self.para(one_line(part), subheading)
                head.keep_with_next = True
                content.append(tag(head, where))
            else:
                content.extend(tag(f, where) for f in self.paras(part, self.st.body))
        return [Box(content, border=c["precaution_border"], border_width=self.theme["borders"]["precaution"],
                    fill=c["precaution_bg"], padding=self.theme["box_padding"], max_height=self.frame_height,
                    continued_title=continued, rtl=self.rtl)]

    def block_qa(self, qa: Any) -> list[Flowable]:
        question = self.paras(qa.question, self.st.question)
        for q in question:
            q.keep_with_next = True
            tag(q, (*self._path, "question"))
        return question + [tag(a, (*self._path, "answer")) for a in self.paras(qa.answer, self.st.body)]

    def block_table(self, t: Any) -> list[Flowable]:
        out: list[Flowable] = []
        if is_set(t.caption):
            out.extend(self.paras(t.caption, ParagraphStyle("caption", parent=self.st.body, fontName=self.fonts.bold)))
            out[-1].keep_with_next = True
        out.append(self.table(t.header if is_set(t.header) else None, t.rows, path=self._path))
        return out

