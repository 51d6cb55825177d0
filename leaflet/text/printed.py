"""The texts a leaflet prints, in reading order, and the page furniture around them.

Shared by the typesetter (which draws them) and the read-back check (which
looks for them in the PDF): both must agree on what a page says.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from string import Formatter
from typing import Any, NamedTuple

from ..content.model import Block, Item, Leaflet, ListItem, is_set
from ..errors import Path
from .inline import one_line, paragraphs, plain


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
            yield q + ("title",), se.title
            if is_set(se.intro):
                yield q + ("intro",), se.intro
            if is_set(se.action):
                yield q + ("action",), se.action
            yield from _items(se.items, q + ("items",))
            if is_set(se.closing):
                yield q + ("closing",), se.closing
        if is_set(block.precaution):
            pr, q = block.precaution, p + ("precaution",)
            yield q + ("title",), pr.title
            if is_set(pr.text):
                yield q + ("text",), pr.text
            if is_set(pr.items):
                yield from _items(pr.items, q + ("items",))
        if is_set(block.qa):
            yield p + ("qa", "question"), block.qa.question
            yield p + ("qa", "answer"), block.qa.answer
        if is_set(block.table):
            t, q = block.table, p + ("table",)
            if is_set(t.caption):
                yield q + ("caption",), t.caption
            if is_set(t.header):
                for c, cell in enumerate(t.header):
                    yield q + ("header", c), cell
            for r, row in enumerate(t.rows):
                for c, cell in enumerate(row):
                    yield q + ("rows", r, c), cell


def iter_texts(leaflet: Leaflet) -> Iterator[tuple[Path, str]]:
    """Every text the author wrote that prints, with its path, in reading order."""
    m = leaflet.medicine
    if is_set(leaflet.document_type):
        yield ("document_type",), leaflet.document_type
    yield ("medicine", "name"), m.name
    for i, brand in enumerate(m.brands):
        yield ("medicine", "brands", i), brand
    yield ("medicine", "class"), m.drug_class
    if is_set(leaflet.intro):
        yield from _blocks(leaflet.intro, ("intro",))
    kf = leaflet.key_facts
    if is_set(kf.heading):
        yield ("key_facts", "heading"), kf.heading
    if is_set(kf.header):
        for c, cell in enumerate(kf.header):
            yield ("key_facts", "header", c), cell
    for r, row in enumerate(kf.rows):
        yield ("key_facts", "rows", r, "label"), row.label
        yield ("key_facts", "rows", r, "value"), row.value
    for s, section in enumerate(leaflet.sections):
        yield ("sections", s, "heading"), section.heading
        yield from _blocks(section.blocks, ("sections", s, "blocks"))
    yield ("disclaimer",), leaflet.disclaimer
    yield ("revision", "date"), leaflet.revision.date
    yield ("revision", "version"), leaflet.revision.version


def callout_band(strings: dict, severity: str, title: str, *, label: str | None = None,
                 continued: bool = False) -> str:
    """The band on top of a side-effect callout ("SERIOUS · Serious side effects"), with the title
    (and an author's label) as given, markup and all; where a callout goes on over a page break,
    its band says so."""
    if label is None:  # the locale's word, in capitals; an author's label prints as written
        label = strings[f"side_effects_{severity}"].upper()
    band = strings["callout_band"].format(label=label, title=title)
    return strings["continued"].format(title=band) if continued else band


def continued_bands(leaflet: Leaflet, strings: dict) -> list[str]:
    """Plain texts of the "(continued)" bands a leaflet may print: they interrupt the text
    of a callout split over two pages, so the read-back check takes them out first."""
    out = []
    blocks = [*(leaflet.intro if is_set(leaflet.intro) else []), *(b for s in leaflet.sections for b in s.blocks)]
    for block in blocks:
        if is_set(block.side_effects):
            se = block.side_effects
            label = plain(se.label) if is_set(se.label) else None
            out.append(callout_band(strings, se.severity, plain(se.title), label=label, continued=True))
    return out


def furniture(leaflet: Leaflet, strings: dict, page: int, pages: int) -> list[str]:
    """The texts a page carries besides its body, in the order they are drawn.

    Shared by the renderer (which draws them) and the read-back check (which
    strips them from each page's text before joining pages, so that a
    paragraph split across two pages reads as one).
    """
    out: list[str] = []
    if leaflet.status == "machine-translation":
        out.append(strings["status_machine_translation"])
    elif leaflet.status == "draft":
        out.append(strings["status_draft"])
    if page > 1:
        out.append(plain(leaflet.medicine.name))
    out.extend(plain(p) for p in paragraphs(leaflet.disclaimer))
    rev = leaflet.revision
    out.append(one_line(f'{strings["revised"].format(date=rev.date)} · '
                        f'{strings["version"].format(version=plain(rev.version))}'))
    out.append(strings["page"].format(page=page, pages=pages))
    return out


# --- the printed stream: everything a leaflet's body prints, in reading order -------------------

class Printed(NamedTuple):
    """One text the body of a leaflet prints, as it prints (markup removed, one paragraph).

    ``path`` is the field it comes from; ``generated`` marks text the layout adds (locale strings
    such as "Brand name:", bullets, list numbers, the callout band's label) rather than text the
    author wrote. ``repeats`` are texts the layout may print again just before this one when a
    page break falls inside or right before it: a callout's "(continued)" band, a table's header
    row. The read-back check skips them there (and only there).
    """

    path: Path
    text: str
    generated: bool = False
    repeats: tuple[str, ...] = ()


def _one(text: str) -> str:
    """A text printed as one paragraph (a title, a cell): markup removed, whitespace collapsed."""
    return " ".join(plain(unicodedata.normalize("NFC", text)).split())


class _Stream:
    """Builds the printed stream of one leaflet; see :func:`printed_stream`."""

    def __init__(self, strings: dict[str, Any]) -> None:
        self.s = strings
        self.out: list[Printed] = []
        self.repeats: tuple[str, ...] = ()

    def add(self, path: Path, text: str, generated: bool = False) -> None:
        if text.strip():
            self.out.append(Printed(path, text, generated, self.repeats))

    def paras(self, path: Path, text: str) -> None:
        for p in paragraphs(text):
            self.add(path, plain(p))

    def items(self, items: list[Item], path: Path, level: int = 0, numbered: bool = False) -> None:
        bullet = "•" if level % 2 == 0 else "–"
        for number, item in enumerate(items, start=1):
            text = item.text if isinstance(item, ListItem) else item
            p = path + (number - 1, "text") if isinstance(item, ListItem) else path + (number - 1,)
            self.add(p, f"{number}." if numbered else bullet, generated=True)
            self.paras(p, text)
            if isinstance(item, ListItem):
                self.items(item.items, path + (number - 1, "items"), level + 1)

    def formatted(self, path: Path, template: str, **fields: tuple[Path, str, bool]) -> None:
        """A locale template ("{label} · {title}"): its literal parts are generated text."""
        for literal, name, _, _ in Formatter().parse(template):
            if literal.strip():
                self.add(path, literal.strip(), generated=True)
            if name is not None:
                p, text, generated = fields[name]
                self.add(p, text, generated)

    def table(self, path: Path, header: Sequence[tuple[Path, str, bool]],
              rows: Sequence[Sequence[tuple[Path, str]]]) -> None:
        for p, text, generated in header:
            self.add(p, text, generated)
        saved = self.repeats
        if header:  # the header row repeats on every page the table continues on
            self.repeats = saved + (" ".join(text for _, text, _ in header),)
        for row in rows:
            for p, text in row:
                self.add(p, text)
        self.repeats = saved

    def blocks(self, blocks: list[Block], path: Path) -> None:
        for b, block in enumerate(blocks):
            p = path + (b,)
            if is_set(block.text):
                self.paras(p + ("text",), block.text)
            if is_set(block.subheading):
                self.add(p + ("subheading",), _one(block.subheading))
            if is_set(block.bullets):
                self.items(block.bullets, p + ("bullets",))
            if is_set(block.lines):
                for i, line in enumerate(block.lines):
                    self.add(p + ("lines", i), _one(line))
            if is_set(block.numbered):
                self.items(block.numbered, p + ("numbered",), numbered=True)
            if is_set(block.side_effects):
                self.side_effects(block.side_effects, p + ("side_effects",))
            if is_set(block.precaution):
                pr, q = block.precaution, p + ("precaution",)
                self.add(q + ("title",), _one(pr.title))
                if is_set(pr.text):
                    self.paras(q + ("text",), pr.text)
                if is_set(pr.items):
                    self.items(pr.items, q + ("items",))
            if is_set(block.qa):
                self.paras(p + ("qa", "question"), block.qa.question)
                self.paras(p + ("qa", "answer"), block.qa.answer)
            if is_set(block.table):
                t, q = block.table, p + ("table",)
                if is_set(t.caption):
                    self.paras(q + ("caption",), t.caption)
                header = [(q + ("header", c), _one(cell), False) for c, cell in enumerate(t.header)] if is_set(
                    t.header) else []
                self.table(q, header, [[(q + ("rows", r, c), _one(cell)) for c, cell in enumerate(row)]
                                       for r, row in enumerate(t.rows)])

    def side_effects(self, se: Any, q: Path) -> None:
        if is_set(se.label):
            label = (q + ("label",), _one(se.label), False)
        else:
            label = (q + ("severity",), self.s[f"side_effects_{se.severity}"].upper(), True)
        self.formatted(q, self.s["callout_band"], label=label, title=(q + ("title",), _one(se.title), False))
        saved = self.repeats
        band = callout_band(self.s, se.severity, _one(se.title), label=label[1] if is_set(se.label) else None,
                            continued=True)
        self.repeats = saved + (band,)  # the band repeats, "(continued)", where the callout goes on over a page
        if is_set(se.intro):
            self.paras(q + ("intro",), se.intro)
        if is_set(se.action):
            self.paras(q + ("action",), se.action)
        self.items(se.items, q + ("items",))
        if is_set(se.closing):
            self.paras(q + ("closing",), se.closing)
        self.repeats = saved


def printed_stream(leaflet: Leaflet, strings: dict[str, Any]) -> list[Printed]:
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
    """
    st = _Stream(strings)
    s, m = strings, leaflet.medicine
    if is_set(leaflet.document_type):
        st.add(("document_type",), _one(leaflet.document_type))
    else:
        st.add(("document_type",), s["kicker"], generated=True)
    st.add(("medicine", "name"), _one(m.name))
    if m.brands:
        st.add(("medicine", "brands"), f'{s["brand_names"] if len(m.brands) > 1 else s["brand_name"]}:', generated=True)
        for i, brand in enumerate(m.brands):
            if i:
                st.add(("medicine", "brands", i), ",", generated=True)
            st.add(("medicine", "brands", i), _one(brand))
    st.add(("medicine", "class"), f'{s["drug_class"]}:', generated=True)
    st.add(("medicine", "class"), _one(m.drug_class))
    if is_set(leaflet.intro):
        st.blocks(leaflet.intro, ("intro",))
    kf = leaflet.key_facts
    if is_set(kf.heading):
        st.add(("key_facts", "heading"), _one(kf.heading))
    else:
        st.add(("key_facts", "heading"), s["key_facts"], generated=True)
    if is_set(kf.header):
        header = [(("key_facts", "header", c), _one(cell), False) for c, cell in enumerate(kf.header)]
    else:
        header = [(("key_facts", "header", c), cell, True) for c, cell in enumerate(s["key_facts_header"])]
    st.table(("key_facts",), header, [[(("key_facts", "rows", r, "label"), _one(row.label)),
                                       (("key_facts", "rows", r, "value"), _one(row.value))]
                                      for r, row in enumerate(kf.rows)])
    for i, section in enumerate(leaflet.sections):
        st.add(("sections", i, "heading"), _one(section.heading))
        st.blocks(section.blocks, ("sections", i, "blocks"))
    return st.out
