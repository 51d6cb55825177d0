"""The texts a leaflet prints, in reading order, and the page furniture around them.

Shared by the typesetter (which draws them) and the read-back check (which
looks for them in the PDF): both must agree on what a page says.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from string import Formatter
from typing import TYPE_CHECKING, Any, NamedTuple

from ..content.model import (
    Block,
    Item,
    KeyFacts,
    Leaflet,
    ListItem,
    Precaution,
    Section,
    SideEffects,
    TableCell,
    is_set,
)
from ..errors import Path
from ..i18n.formats import cldr_of, format_date, format_number
from .inline import one_line, paragraphs, plain

if TYPE_CHECKING:  # the brand's model is loaded only by a build with a brand (build --brand)
    from ..content.brand import Brand
    from .panel import PrescriptionData


def _items(items: list[Item], path: Path) -> Iterator[tuple[Path, str]]:
    for i, item in enumerate(items):
        if isinstance(item, ListItem):
            yield path + (i, "text"), item.text
            yield from _items(item.items, path + (i, "items"))
        else:
            yield path + (i,), item


def _blocks(blocks: list[Block], path: Path) -> Iterator[tuple[Path, str]]:
    for b, block in enumerate(blocks):
        p = path + (b,)
        if is_set(block.text):
            yield p + ("text",), block.text
        if is_set(block.subheading):
            yield p + ("subheading",), block.subheading
        if is_set(block.bullets):
            yield from _items(block.bullets, p + ("bullets",))
        if is_set(block.lines):
            for i, line in enumerate(block.lines):
                yield p + ("lines", i), line
        if is_set(block.numbered):
            yield from _items(block.numbered, p + ("numbered",))
        if is_set(block.side_effects):
            se, q = block.side_effects, p + ("side_effects",)
            if is_set(se.label):
                yield q + ("label",), se.label
            if is_set(se.title):
                yield q + ("title",), se.title
            for part_path, part in callout_parts(se, q):
                if isinstance(part, str):
                    yield part_path, part
                else:
                    yield from _items(part, part_path)
        if is_set(block.precaution):
            pr, q = block.precaution, p + ("precaution",)
            yield q + ("title",), pr.title
            for part_path, part in precaution_parts(pr, q):
                if isinstance(part, str):
                    yield part_path, part
                else:
                    yield from _items(part, part_path)
        if is_set(block.qa):
            yield p + ("qa", "question"), block.qa.question
            yield p + ("qa", "answer"), block.qa.answer
        if is_set(block.table):
            t, q = block.table, p + ("table",)
            if is_set(t.caption):
                yield q + ("caption",), t.caption
            if is_set(t.header):
                for c, head in enumerate(t.header):
                    yield q + ("header", c), head
            for r, row in enumerate(t.rows):
                for c, cell in enumerate(row):
                    if isinstance(cell, TableCell):
                        if is_set(cell.text):
                            yield q + ("rows", r, c, "text"), cell.text
                        yield from _items(cell.bullets, q + ("rows", r, c, "bullets"))
                    else:
                        yield q + ("rows", r, c), cell


def _content_parts(content: Sequence[Any], path: Path) -> list[tuple[Path, str | list[Item]]]:
    """The parts of an ordered ``content:`` list as written, each with its path ending in its kind."""
    return [(path + ("content", i, part.kind), getattr(part, part.kind))
            for i, part in enumerate(content) if part.kind is not None]


def callout_parts(se: SideEffects, path: Path = ()) -> list[tuple[Path, str | list[Item]]]:
    """A callout's parts in the order they print, each with its path: texts (intro, action,
    closing, or ``text``/``action`` parts) and lists (``items``). The keyed form prints intro,
    action, items, closing; ``content`` prints its parts as written."""
    if is_set(se.content):
        return _content_parts(se.content, path)
    keyed = [(name, getattr(se, name)) for name in ("intro", "action", "items", "closing")]
    return [(path + (name,), value) for name, value in keyed if is_set(value)]


def precaution_parts(pr: Precaution, path: Path = ()) -> list[tuple[Path, str | list[Item]]]:
    """A precaution's parts after its title, in the order they print, each with its path: texts
    (``text``, ``subheading``) and lists (``items``). The keyed form prints text, then items;
    ``content`` prints its parts as written. The last element of a path says the kind."""
    if is_set(pr.content):
        return _content_parts(pr.content, path)
    keyed = [(name, getattr(pr, name)) for name in ("text", "items")]
    return [(path + (name,), value) for name, value in keyed if is_set(value)]


def contents_entry(section: Section) -> str:
    """A section's entry in the contents list (author markup kept): its ``contents_entry``, else its heading."""
    return section.contents_entry if is_set(section.contents_entry) else section.heading


def part_kind(path: Path) -> str:
    """'text', 'action' or 'items' for a path from :func:`callout_parts` (intro and closing are text)."""
    last = path[-1]
    return "text" if last in ("intro", "closing") else str(last)


def iter_texts(leaflet: Leaflet) -> Iterator[tuple[Path, str]]:
    """Every text the author wrote that prints, with its path, in reading order."""
    m = leaflet.medicine
    if is_set(leaflet.document_type):
        yield ("document_type",), leaflet.document_type
    yield ("medicine", "name"), m.name
    if is_set(m.subtitle):
        for i, line in enumerate(m.subtitle):
            yield ("medicine", "subtitle", i), line
    for i, brand in enumerate(m.brands):
        yield ("medicine", "brands", i), brand
    if is_set(m.drug_class):
        yield ("medicine", "class"), m.drug_class
    if is_set(leaflet.intro):
        yield from _blocks(leaflet.intro, ("intro",))
    if is_set(leaflet.key_facts):
        kf = leaflet.key_facts
        if is_set(kf.heading):
            yield ("key_facts", "heading"), kf.heading
        if is_set(kf.header):
            for c, cell in enumerate(kf.header):
                yield ("key_facts", "header", c), cell
        for r, row in enumerate(kf.rows):
            yield ("key_facts", "rows", r, "label"), row.label
            yield ("key_facts", "rows", r, "value"), row.value
    if leaflet.layout.contents:
        for s, section in enumerate(leaflet.sections):
            if is_set(section.contents_entry):
                yield ("sections", s, "contents_entry"), section.contents_entry
    for s, section in enumerate(leaflet.sections):
        yield ("sections", s, "heading"), section.heading
        yield from _blocks(section.blocks, ("sections", s, "blocks"))
    if is_set(leaflet.disclaimer):
        yield ("disclaimer",), leaflet.disclaimer
    yield ("revision", "date"), leaflet.revision.date
    if is_set(leaflet.revision.version):
        yield ("revision", "version"), leaflet.revision.version


def callout_band(strings: dict[str, Any], severity: str, title: str | None, *, label: str | None = None,
                 continued: bool = False, frequency: str | None = None) -> str | None:
    """The band on top of a side-effect callout ("SERIOUS · Serious side effects"), with the title
    (and an author's label) as given, markup and all; where a callout goes on over a page break,
    its band says so. None when the band would be empty: a callout that is not serious, has a
    frequency class (which says how common it is, under the band) and no title or label."""
    if label is None:  # an author's label prints as written
        label = severity_word(strings, severity, frequency)
    if label is not None and title is not None:
        band = strings["callout_band"].format(label=label, title=title)
    elif label is not None or title is not None:
        band = label if label is not None else str(title)
    elif continued and frequency is not None:  # no band, but where it goes on overleaf, say which list it is
        band = str(strings[f"frequency_{frequency}"])
    else:
        return None
    return strings["continued"].format(title=band) if continued else band


def severity_word(strings: dict[str, Any], severity: str, frequency: str | None = None) -> str | None:
    """The locale's word for a callout's band, in capitals ("SERIOUS", "COMMON"); None for a
    callout that is not serious and has a frequency class (which says how common it is)."""
    if frequency is not None and severity == "common":
        return None
    return str(strings[f"side_effects_{severity}"]).upper()


def label_parts(strings: dict[str, Any], label: str) -> tuple[str, str, str]:
    """A label as the locale's ``label_value`` puts it before its value: the label with its
    punctuation ("Brand name:", "Nom commercial\u202f:", "商品名："), what separates it from the
    value (" ", or nothing after a full-width colon) and what follows the value (usually nothing)."""
    head, _, tail = strings["label_value"].format(label=label, value="\x00").partition("\x00")
    text = head.rstrip()
    return text, head[len(text):], tail


def frequency_line(strings: dict[str, Any], frequency: str, name: str | None = None) -> str:
    """The standard wording of an EU frequency class, "Very common: may affect more than 1 in 10
    people"; ``name`` replaces the class's name (the typesetter passes it in bold)."""
    return strings["frequency_line"].format(
        name=strings[f"frequency_{frequency}"] if name is None else name,
        wording=strings[f"frequency_{frequency}_wording"])


def number(strings: dict[str, Any], n: int) -> str:
    """A page, section or list number in the locale's digits (CLDR's default numbering system)."""
    return format_number(n, cldr_of(strings))


def list_number(strings: dict[str, Any], n: int) -> str:
    """The mark of a numbered list item, or of a section in the contents list: "1."."""
    return f"{number(strings, n)}."


def numbered_heading(strings: dict[str, Any], n: int, heading: str) -> str:
    """A section heading with its number, "1. What Testamol is", the heading as given."""
    return strings["section_number"].format(number=number(strings, n), heading=heading)


def section_headings(leaflet: Leaflet, strings: dict[str, Any]) -> list[str]:
    """Each section's heading as it prints (author markup kept), numbered when the leaflet numbers them."""
    if not leaflet.layout.number_sections:
        return [s.heading for s in leaflet.sections]
    return [numbered_heading(strings, n, one_line(s.heading)) for n, s in enumerate(leaflet.sections, 1)]


def reference_texts(leaflet: Leaflet, strings: dict[str, Any]) -> dict[str, str]:
    """What a reference ``[[id]]`` prints, by section id: "section 4" when sections are
    numbered, else the section's heading ("“Possible side effects”")."""
    out: dict[str, str] = {}
    for n, section in enumerate(leaflet.sections, start=1):
        if is_set(section.id):
            if leaflet.layout.number_sections:
                out[section.id] = strings["reference_number"].format(number=number(strings, n))
            else:
                heading = one_line(plain(section.heading))
                out[section.id] = strings["reference_heading"].format(heading=heading)
    return out


def contents_texts(leaflet: Leaflet, strings: dict[str, Any]) -> list[str]:
    """The "What is in this leaflet" list as it prints (plain text): its title, then one entry per
    section; [] when the leaflet has no contents list."""
    if not leaflet.layout.contents:
        return []
    refs = reference_texts(leaflet, strings)
    numbered = leaflet.layout.number_sections
    return [strings["contents_title"], *(
        (f"{list_number(strings, n)} " if numbered else "") + one_line(plain(contents_entry(section), refs))
        for n, section in enumerate(leaflet.sections, start=1))]


def reviewed(leaflet: Leaflet) -> bool:
    """Does the leaflet record a person's review of its translation (``translation.review``)?"""
    return is_set(leaflet.translation) and is_set(leaflet.translation.review)


def banner(leaflet: Leaflet, strings: dict[str, Any], page: int = 1) -> str | None:
    """The banner on top of every page, or None: a draft's "DRAFT – not yet reviewed", and a
    machine translation's "UNREVIEWED MACHINE TRANSLATION" until the file records a review
    (``translation: {review: {reviewer, date}}``; the rules that keep a review consistent with
    the rest of the file are in :mod:`leaflet.content.rules`). Page 1 carries it in full; the pages
    after it (``page`` > 1) its short form, the locale's ``status_draft_short`` or
    ``status_machine_translation_short`` (its opening words: what the leaflet is), where the
    locale has one."""
    if leaflet.status == "draft":
        full, short = strings["status_draft"], strings["status_draft_short"]
    elif leaflet.status == "machine-translation" and not reviewed(leaflet):
        full, short = strings["status_machine_translation"], strings["status_machine_translation_short"]
    else:
        return None
    return str(short if page > 1 and short is not None else full)


def furniture(leaflet: Leaflet, strings: dict, page: int, pages: int, brand: Brand | None = None) -> list[str]:
    """The texts a page carries besides its body, in the order they are drawn.

    Shared by the renderer (which draws them) and the read-back check (which
    strips them from each page's text before joining pages, so that a
    paragraph split across two pages reads as one). With a ``brand``, its footer line
    (:func:`brand_footer`) comes before the disclaimer.
    """
    out: list[str] = []
    text = banner(leaflet, strings, page)
    if text is not None:
        out.append(text)
    if page > 1:
        out.append(plain(leaflet.medicine.name, reference_texts(leaflet, strings)))
    if brand is not None:
        out.append(brand_footer(brand))
    if is_set(leaflet.disclaimer):
        refs = reference_texts(leaflet, strings)
        out.extend(plain(p, refs) for p in paragraphs(leaflet.disclaimer))
    out.append(revision_line(leaflet, strings))
    out.append(page_label(strings, page, pages))
    return out


BRAND_SEPARATOR = " · "


def brand_footer(brand: Brand) -> str:
    """The brand's line in the footer of every page: the clinic's name, its contact lines and its
    website, one after the other ("Example Clinic · 1 Main Street · 555 0100 · https://…"), as written."""
    parts = [brand.name, *(brand.contact if is_set(brand.contact) else []),
             *([brand.website] if is_set(brand.website) else [])]
    return BRAND_SEPARATOR.join(one_line(unicodedata.normalize("NFC", p)) for p in parts)


def page_label(strings: dict[str, Any], page: int, pages: int) -> str:
    """The footer's "Page 2 of 5", in the locale's digits."""
    return str(strings["page"].format(page=number(strings, page), pages=number(strings, pages)))


# --- the printed stream: everything a leaflet's body prints, in reading order -------------------

class Printed(NamedTuple):
    """One text the body of a leaflet prints, as it prints (markup removed, one paragraph).

    ``path`` is the field it comes from; ``generated`` marks text the layout adds (locale strings
    such as "Brand name:", bullets, list numbers, the callout band's label) rather than text the
    author wrote. ``repeats`` are texts the layout may print again just before this one when a
    page break falls inside or right before it: a callout's "(continued)" band, a table's header
    row. The read-back check skips them there (and only there).

    ``row`` and ``cell`` mark the texts of one table row (``row`` > 0, the same for the whole row;
    ``cell`` the column): the layout may split a tall row inside its cells at a page break, and then
    each page prints every cell's part in turn (cell 1 part 1, cell 2 part 1, page break, cell 1
    part 2, …). The read-back check accepts that order, and only at a page break.
    """

    path: Path
    text: str
    generated: bool = False
    repeats: tuple[str, ...] = ()
    row: int = 0
    cell: int = 0


class _Stream:
    """Builds the printed stream of one leaflet; see :func:`printed_stream`."""

    def __init__(self, strings: dict[str, Any], refs: dict[str, str]) -> None:
        self.s = strings
        self.refs = refs  # what each [[id]] prints
        self.out: list[Printed] = []
        self.repeats: tuple[str, ...] = ()
        self.row = 0  # the table row being added (see Printed.row), 0 outside tables
        self.cell = 0
        self.rows = 0

    def one(self, text: str) -> str:
        """A text printed as one paragraph (a title, a cell): markup removed, whitespace collapsed."""
        return one_line(plain(unicodedata.normalize("NFC", text), self.refs))

    def add(self, path: Path, text: str, generated: bool = False) -> None:
        if text.strip():
            self.out.append(Printed(path, text, generated, self.repeats, self.row, self.cell))

    def paras(self, path: Path, text: str) -> None:
        for p in paragraphs(text):
            self.add(path, plain(p, self.refs))

    def item_list(self, items: list[Item], path: Path, numbered: bool = False) -> None:
        """A list; in columns it reads the same (column 1 top to bottom, then column 2)."""
        self.items(items, path, numbered=numbered)

    def items(self, items: list[Item], path: Path, level: int = 0, numbered: bool = False) -> None:
        bullet = "•" if level % 2 == 0 else "–"
        for n, item in enumerate(items, start=1):
            text = item.text if isinstance(item, ListItem) else item
            p = path + (n - 1, "text") if isinstance(item, ListItem) else path + (n - 1,)
            self.add(p, list_number(self.s, n) if numbered else bullet, generated=True)
            self.paras(p, text)
            if isinstance(item, ListItem):
                self.items(item.items, path + (n - 1, "items"), level + 1)

    def formatted(self, path: Path, template: str, **fields: tuple[Path, str, bool]) -> None:
        """A locale template ("{label} · {title}"): its literal parts are generated text."""
        for literal, name, _, _ in Formatter().parse(template):
            if literal.strip():
                self.add(path, literal.strip(), generated=True)
            if name is not None:
                p, text, generated = fields[name]
                self.add(p, text, generated)

    def table(self, path: Path, header: Sequence[tuple[Path, str, bool]],
              rows: Sequence[Sequence[Sequence[tuple[Path, str, bool]]]]) -> None:
        """A table: its header row, then each row, cell by cell (each cell one or more texts)."""
        for p, text, generated in header:
            self.add(p, text, generated)
        saved = self.repeats
        if header:  # the header row repeats on every page the table continues on
            self.repeats = saved + (" ".join(text for _, text, _ in header),)
        for row in rows:
            self.rows += 1
            self.row = self.rows
            for c, cell in enumerate(row):
                self.cell = c
                for p, text, generated in cell:
                    self.add(p, text, generated)
        self.row = self.cell = 0
        self.repeats = saved

    def blocks(self, blocks: list[Block], path: Path) -> None:
        for b, block in enumerate(blocks):
            p = path + (b,)
            if is_set(block.text):
                self.paras(p + ("text",), block.text)
            if is_set(block.subheading):
                self.add(p + ("subheading",), self.one(block.subheading))
            if is_set(block.bullets):
                self.item_list(block.bullets, p + ("bullets",))
            if is_set(block.lines):
                for i, line in enumerate(block.lines):
                    self.add(p + ("lines", i), self.one(line))
            if is_set(block.numbered):
                self.item_list(block.numbered, p + ("numbered",), numbered=True)
            if is_set(block.side_effects):
                self.side_effects(block.side_effects, p + ("side_effects",))
            if is_set(block.precaution):
                pr, q = block.precaution, p + ("precaution",)
                self.add(q + ("title",), self.one(pr.title))
                saved = self.repeats  # where the box goes on over a page, its title repeats
                self.repeats = saved + (self.s["continued"].format(title=self.one(pr.title)),)
                for part_path, part in precaution_parts(pr, q):
                    if isinstance(part, list):
                        self.items(part, part_path)
                    elif part_path[-1] == "subheading":
                        self.add(part_path, self.one(part))
                    else:
                        self.paras(part_path, part)
                self.repeats = saved
            if is_set(block.qa):
                self.paras(p + ("qa", "question"), block.qa.question)
                self.paras(p + ("qa", "answer"), block.qa.answer)
            if is_set(block.table):
                t, q = block.table, p + ("table",)
                if is_set(t.caption):
                    self.paras(q + ("caption",), t.caption)
                header = [(q + ("header", c), self.one(cell), False) for c, cell in enumerate(t.header)] if is_set(
                    t.header) else []
                self.table(q, header, [[self.cell_texts(q + ("rows", r, c), cell) for c, cell in enumerate(row)]
                                       for r, row in enumerate(t.rows)])

    def cell_texts(self, path: Path, cell: str | TableCell) -> list[tuple[Path, str, bool]]:
        """A table cell's texts: one text, or a text and a bulleted list."""
        if not isinstance(cell, TableCell):
            return [(path, self.one(cell), False)]
        out: list[tuple[Path, str, bool]] = []
        if is_set(cell.text):
            out.extend((path + ("text",), plain(p, self.refs), False) for p in paragraphs(cell.text))
        mark = len(self.out)
        self.items(cell.bullets, path + ("bullets",))  # collected, then handed back in order
        out.extend((item.path, item.text, item.generated) for item in self.out[mark:])
        del self.out[mark:]
        return out

    def side_effects(self, se: SideEffects, q: Path) -> None:
        frequency = se.frequency if is_set(se.frequency) else None
        title = (q + ("title",), self.one(se.title), False) if is_set(se.title) else None
        label: tuple[Path, str, bool] | None = None
        if is_set(se.label):
            label = (q + ("label",), self.one(se.label), False)
        elif (word := severity_word(self.s, se.severity, frequency)) is not None:
            label = (q + ("severity",), word, True)
        if label is not None and title is not None:
            self.formatted(q, self.s["callout_band"], label=label, title=title)
        elif label is not None or title is not None:
            self.add(*(label or title))  # type: ignore[misc]
        saved = self.repeats
        band = callout_band(self.s, se.severity, title[1] if title else None,
                            label=label[1] if is_set(se.label) and label else None, continued=True,
                            frequency=frequency)
        if band is not None:  # the band repeats, "(continued)", where the callout goes on over a page
            self.repeats = saved + (band,)
        if frequency is not None:
            self.formatted(q + ("frequency",), self.s["frequency_line"],
                           name=(q + ("frequency",), self.s[f"frequency_{frequency}"], True),
                           wording=(q + ("frequency",), self.s[f"frequency_{frequency}_wording"], True))
        for path, part in callout_parts(se, q):
            if isinstance(part, list):
                self.items(part, path)
            else:
                self.paras(path, part)
        self.repeats = saved


def printed_stream(leaflet: Leaflet, strings: dict[str, Any], prescription: PrescriptionData | None = None, *,
                   brand: Brand | None = None) -> list[Printed]:
    """Everything the body of a leaflet prints, in reading order: the author's texts with their
    paths and the texts the layout generates around them (marked ``generated``).

    This is the contract between the layout (:mod:`leaflet.typeset.layout`) and the read-back
    check (:mod:`leaflet.check.verify`), which matches a PDF's visible text against this stream in
    one forward pass: text on the page that is not here is reported as unexpected, text here that
    is not on the page as missing. **Every new text the layout prints (a label, a number, a
    contents list, a cross-reference, a heading the locale supplies…) must be added here, in the
    order it is drawn**, or ``leaflet verify`` will fail on every leaflet that uses it. Page
    furniture (running header, footer, banner, "Page X of Y") is not part of the stream: see
    :func:`furniture`. ``strings`` are the locale's strings.

    With a ``prescription`` (a personalised leaflet), the personal panel's texts come first
    (:func:`leaflet.text.panel.panel_texts`: page 1 draws the panel before its body); their paths
    start with "prescription" (patient data: see :func:`leaflet.text.panel.is_private`).
    With a ``brand`` (``build --brand``), the clinic's name opens the body (beside its logo).
    """
    st = _Stream(strings, reference_texts(leaflet, strings))
    if prescription is not None:
        from .panel import panel_texts

        for seg in panel_texts(prescription, leaflet, strings):
            st.add(seg.path, seg.text, generated=seg.generated)
    if brand is not None:  # the clinic's name, beside its logo, opens the title block
        st.add(("brand", "name"), one_line(unicodedata.normalize("NFC", brand.name)))
    s, m = strings, leaflet.medicine
    if is_set(leaflet.document_type):
        st.add(("document_type",), st.one(leaflet.document_type))
    else:
        st.add(("document_type",), s["kicker"], generated=True)
    st.add(("medicine", "name"), st.one(m.name))
    if is_set(m.subtitle):
        for i, line in enumerate(m.subtitle):
            st.add(("medicine", "subtitle", i), st.one(line))
    if m.brands:
        label, _, tail = label_parts(s, s["brand_names"] if len(m.brands) > 1 else s["brand_name"])
        st.add(("medicine", "brands"), label, generated=True)
        for i, brand_name in enumerate(m.brands):
            if i:
                st.add(("medicine", "brands", i), ",", generated=True)
            st.add(("medicine", "brands", i), st.one(brand_name))
        if tail:
            st.add(("medicine", "brands"), tail, generated=True)
    if is_set(m.drug_class):
        label, _, tail = label_parts(s, s["drug_class"])
        st.add(("medicine", "class"), label, generated=True)
        st.add(("medicine", "class"), st.one(m.drug_class))
        if tail:
            st.add(("medicine", "class"), tail, generated=True)
    if is_set(leaflet.digital_url):  # beside its QR code: the label, then the address as written
        st.add(("digital_url",), s["digital_leaflet"], generated=True)
        st.add(("digital_url",), leaflet.digital_url)
    if is_set(leaflet.intro):
        st.blocks(leaflet.intro, ("intro",))
    if is_set(leaflet.key_facts):
        _key_facts(st, leaflet.key_facts)
    if leaflet.layout.contents:  # the "What is in this leaflet" list
        st.add(("options", "contents"), s["contents_title"], generated=True)
        for i, section in enumerate(leaflet.sections):
            where = ("sections", i, "contents_entry" if is_set(section.contents_entry) else "heading")
            if leaflet.layout.number_sections:
                st.add(where, list_number(s, i + 1), generated=True)
            st.add(where, st.one(contents_entry(section)))
    for i, section in enumerate(leaflet.sections):
        if leaflet.layout.number_sections:
            st.formatted(("sections", i, "heading"), s["section_number"],
                         number=(("sections", i, "heading"), number(s, i + 1), True),
                         heading=(("sections", i, "heading"), st.one(section.heading), False))
        else:
            st.add(("sections", i, "heading"), st.one(section.heading))
        st.blocks(section.blocks, ("sections", i, "blocks"))
    return st.out


def _key_facts(st: _Stream, kf: KeyFacts) -> None:
    s = st.s
    if is_set(kf.heading):
        st.add(("key_facts", "heading"), st.one(kf.heading))
    else:
        st.add(("key_facts", "heading"), s["key_facts"], generated=True)
    if is_set(kf.header):
        header = [(("key_facts", "header", c), st.one(cell), False) for c, cell in enumerate(kf.header)]
    else:
        header = [(("key_facts", "header", c), cell, True) for c, cell in enumerate(s["key_facts_header"])]
    st.table(("key_facts",), header, [[[(("key_facts", "rows", r, "label"), st.one(row.label), False)],
                                       [(("key_facts", "rows", r, "value"), st.one(row.value), False)]]
                                      for r, row in enumerate(kf.rows)])


def revised(strings: dict[str, Any], date: str) -> str:
    """The footer's "Revised 23 November 2026" ("Revised November 2026" for a YYYY-MM date): the
    date as the locale's CLDR data writes it, in its ``revised`` (a day) or ``revised_month``
    (a month) string."""
    template = strings["revised"] if date.count("-") == 2 else strings["revised_month"]
    return str(template.format(date=format_date(date, cldr_of(strings))))


def revision_line(leaflet: Leaflet, strings: dict[str, Any]) -> str:
    """The footer's "Revised 23 November 2026 · Version 1.0" (without the version when there is none)."""
    rev = leaflet.revision
    revised_text = revised(strings, rev.date)
    if not is_set(rev.version):
        return one_line(revised_text)
    return one_line(f'{revised_text} · {strings["version"].format(version=plain(rev.version))}')
