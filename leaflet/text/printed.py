"""The texts a leaflet prints, in reading order, and the page furniture around them.

Shared by the typesetter (which draws them) and the read-back check (which
looks for them in the PDF): both must agree on what a page says.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..content.model import Block, Item, Leaflet, ListItem, is_set
from ..errors import Path
from .inline import paragraphs, plain


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
    out.append(f'{strings["revised"].format(date=rev.date)} · {strings["version"].format(version=rev.version)}')
    out.append(strings["page"].format(page=page, pages=pages))
    return out
