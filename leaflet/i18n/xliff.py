"""XLIFF 1.2 export and import: leaflets for CAT tools (Trados, memoQ, Phrase, Weblate, OmegaT).

**Export** writes one ``<file>`` whose ``<body>`` holds one ``<trans-unit>`` per text of the
source leaflet that prints (:func:`leaflet.text.printed.iter_texts`, plus a section's
``contents_entry``; not the revision date and version, which a translation keeps), in reading
order, then one locked unit (``translate="no"``) per text that never prints but belongs to the
file (``note:`` fields, the top-level ``notes``, ``author``), so that a translation may keep its
own. The ``<header>`` carries the source file itself as the skeleton
(``<skl><internal-file form="application/yaml">``): the import rebuilds the structure from it, so
an XLIFF file is complete on its own, whatever happens to the source meanwhile.

Inside a text:

- ``**bold**`` is ``<g id="1" ctype="bold">…</g>``;
- a reference ``[[id]]`` is ``<x id="2" ctype="x-leaflet-ref" equiv-text="[[id]]"/>``, a placeholder
  a translator moves but cannot break;
- every number, with the unit written after it ("5 mg", "80 mg/day", "2.5", "1,000", "5–10 mg",
  "12/19/2019", "B3") is ``<mrk mtype="protected">``: marked not to translate, so that a CAT tool
  keeps it;
- a literal ``*`` or ``[[`` (written ``\\*``, ``\\[[`` in the leaflet) is plain text.

**Unit ids** are stable: ``<scope>.<field>.<digest>``, where *scope* is the id of the section the
text is in (``sections`` for a section without an id; ``medicine``, ``intro``, ``key_facts``,
``disclaimer``, ``notes``, … outside sections), *field* the kind of text (``heading``, ``text``,
``bullets``, ``title``, ``cell``, ``note``, …) and *digest* the first 8 hex digits of the SHA-256 of
the source text as written; a text repeated in the same scope and field gets ``.2``, ``.3`` … in
reading order. Inserting, removing or moving a text changes no other unit's id (a list position
would), and a changed source text gets a new id, as a CAT tool's memory expects. Ids use only
``A-Z a-z 0-9 . _ -``.

**Import** reads a file (safely: see :func:`read`), rebuilds the translated leaflet from the
skeleton (structure, ids, settings, dates) and the targets (texts), and writes it as YAML with
``language`` the target language, ``status: machine-translation`` and ``translation: {source,
fingerprint}``. Every problem is a :class:`~leaflet.errors.Diagnostic` at the XLIFF file's
line and column, naming the unit and its field.
"""
from __future__ import annotations

import copy
import hashlib
import re
import xml.parsers.expat as expat
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from ..content.loader import dump as dump_yaml
from ..content.model import Leaflet, is_set
from ..content.validation import scalars
from ..errors import ContentError, Diagnostic, Path, format_path
from ..text.inline import Run, parse_runs
from ..text.printed import iter_texts

NS = "urn:oasis:names:tc:xliff:document:1.2"
VERSION = "1.2"
DATATYPE = "x-leaflet-yaml"
SKELETON_FORM = "application/yaml"
FINGERPRINT_FORM = "application/x-leaflet-fingerprint"
TOOL = "leaflet"
REF_CTYPE = "x-leaflet-ref"
_OTHER_VERSIONS = {"urn:oasis:names:tc:xliff:document:1.1": "1.1", "urn:oasis:names:tc:xliff:document:1.0": "1.0",
                   "urn:oasis:names:tc:xliff:document:2.0": "2.0", "urn:oasis:names:tc:xliff:document:2.1": "2.1",
                   "urn:oasis:names:tc:xliff:document:2.2": "2.2"}

# --- what is protected: numbers and the unit written after them ---------------------------------------

# units after a number: Latin, Cyrillic and Arabic ones end where a word would (not "5 large"); CJK ones
# are followed by more CJK text, without a space
_UNITS = ("mg|mcg|µg|μg|ug|ng|g|kg|ml|mL|l|L|dl|dL|mmol|µmol|μmol|mol|mEq|IU|U|%|‰|°C|°F|°|mm|cm|m|kcal|h|min"
          "|мг|мкг|мл|г|кг|ملغ|مغ|مل")
_CJK_UNITS = "毫克|微克|毫升|克|ミリグラム|ミリリットル"
_PER = "kg|m²|m2|day|d|h|hr|mL|ml|L|dose|min|week|wk|день|сут"
_D = r"[\d¼½¾⅐-⅞]"  # a digit of any script, or a vulgar fraction
_CORE = rf"[A-Za-z]*(?:{_D}+[A-Za-z]*)+"  # 5, 2026, B3, CYP2D6, 20mg (Latin letters only: never a CJK phrase)
_SEP = r"(?:[.,:/–\-\u066b\u066c\uff0e]|[\u00a0\u202f\u2009](?=\d{3}(?!\d)))"  # 2.5 1,000 1 000 12/19 5-10 ٢٫٥
_PROTECTED = re.compile(
    rf"(?<![A-Za-z0-9]){_CORE}(?:{_SEP}{_CORE})*"
    rf"(?:\s?[–—-]\s?{_D}+(?:[.,]{_D}+)*)?"  # 5 – 10
    rf"(?:[ \u00a0\u202f]?(?:(?:{_UNITS})(?:/(?:{_PER}))?(?![^\W\d_])|(?:{_CJK_UNITS})))?")  # mg, mg/day, %, 毫克


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where the numbers (with their units) are in a literal text: (start, end) offsets."""
    return [m.span() for m in _PROTECTED.finditer(text)]


# --- the units of a leaflet -------------------------------------------------------------------------

class Unit(NamedTuple):
    """One text of the source leaflet, as one trans-unit."""

    id: str
    path: Path
    text: str  # as written in the source (markup and all)
    translate: bool = True  # False: a text that never prints (a note, the author): locked
    notes: tuple[str, ...] = ()  # the editorial notes about it (context for the translator)


_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]")


_LISTS = ("bullets", "numbered", "items", "lines", "subtitle", "brands", "header")


def _field(path: Path) -> str:
    """The kind of text at ``path``: its last key; for a list item, its list's ('bullets', 'items' …),
    also for one with sub-items; 'cell' in a table's rows."""
    strs = [(i, p) for i, p in enumerate(path) if isinstance(p, str)]
    i, name = strs[-1]
    if name == "text" and len(strs) > 1 and isinstance(path[i - 1], int) and strs[-2][1] in (*_LISTS, "rows"):
        name = strs[-2][1]
    return "cell" if name == "rows" and "table" in path else name


def _scope(path: Path, data: Any) -> str:
    if path[0] == "sections" and len(path) > 1 and isinstance(path[1], int):
        section = data["sections"][path[1]]
        sid = section.get("id") if isinstance(section, dict) else None
        return sid if isinstance(sid, str) and sid else "sections"
    return str(path[0])


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _texts(leaflet: Leaflet) -> Iterator[tuple[Path, str]]:
    """Every text of the leaflet that prints or would print (a contents entry), in reading order;
    not the revision's date and version (a translation keeps the source's)."""
    for path, text in iter_texts(leaflet):
        if path[0] == "revision" or (path[0] == "sections" and path[-1] == "contents_entry"):
            continue
        yield path, text
        if path[0] == "sections" and path[2:] == ("heading",):
            section = leaflet.sections[int(path[1])]
            if is_set(section.contents_entry):
                yield ("sections", path[1], "contents_entry"), section.contents_entry


def _unprinted(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """The texts of the file that never print: every ``note``, the top-level ``notes``, ``author``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "note" and isinstance(value, str):
                yield path + (key,), value
            elif key == "notes" and not path and isinstance(value, list):
                yield from ((("notes", i), v) for i, v in enumerate(value) if isinstance(v, str))
            elif key == "author" and not path and isinstance(value, str):
                yield ("author",), value
            elif key not in ("translation",):
                yield from _unprinted(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _unprinted(value, path + (i,))


def _get(data: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
        elif not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _notes_about(path: Path, data: Any) -> tuple[str, ...]:
    """The ``note`` of each mapping around the text at ``path`` (its block, its callout part, the
    key facts); a section's note goes with its heading only."""
    out = []
    for n in range(1, len(path)):
        node = _get(data, path[:n])
        if isinstance(node, dict) and isinstance(node.get("note"), str) and node["note"].strip():
            if path[0] == "sections" and n == 2 and path[2:] != ("heading",):
                continue
            out.append(node["note"])
    return tuple(out)


def units(leaflet: Leaflet, data: Any) -> list[Unit]:
    """The trans-units of a leaflet (``data``: its loaded data, for the unprinted texts), with stable ids."""
    counts: dict[str, int] = {}
    used: set[str] = set()

    def make_id(path: Path, text: str) -> str:
        base = _ID_CHARS.sub("-", f"{_scope(path, data)}.{_field(path)}.{digest(text)}")
        n = counts.get(base, 0) + 1
        uid = base if n == 1 else f"{base}.{n}"
        while uid in used:  # never twice, whatever the ids of the sections look like
            n += 1
            uid = f"{base}.{n}"
        counts[base] = n
        used.add(uid)
        return uid

    out = [Unit(make_id(p, t), p, t, True, _notes_about(p, data)) for p, t in _texts(leaflet)]
    out.extend(Unit(make_id(p, t), p, t, False) for p, t in _unprinted(data))
    return out


# --- inline content: leaflet markup <-> XLIFF inline elements ------------------------------------------

class Code(NamedTuple):
    """An inline code of a unit's source: bold (``ref`` None) or a reference to section ``ref``."""

    id: str
    ref: str | None


def source_codes(text: str) -> dict[str, Code]:
    """The inline codes of a source text, by id: each bold span, then each reference, numbered 1, 2, 3 … in order."""
    codes: dict[str, Code] = {}
    bold = False
    for run in _runs(text):
        if run.bold and not bold:
            codes[str(len(codes) + 1)] = Code(str(len(codes) + 1), None)
        bold = run.bold
        if run.ref is not None:
            codes[str(len(codes) + 1)] = Code(str(len(codes) + 1), run.ref)
    return codes


def _runs(text: str) -> list[Run]:
    try:
        return parse_runs(text)
    except ValueError:  # validated content always parses; a broken text stays as written
        return [Run(text, False)]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return (_esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def _protect(text: str) -> str:
    out, pos = [], 0
    for start, end in protected_spans(text):
        out.append(_esc(text[pos:start]))
        out.append(f'<mrk mtype="protected">{_esc(text[start:end])}</mrk>')
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def inline_xml(text: str, codes: dict[str, Code] | None = None) -> str:
    """A text's XLIFF inline content: bold as ``<g>``, references as ``<x/>``, numbers protected.

    ``codes``: the source's codes, when ``text`` is a translation of it: its bold spans take the
    source's bold ids in order (the ones after the last get new ids), its references the id of the
    same reference in the source."""
    own = source_codes(text)
    if codes is not None:
        bolds = [c.id for c in codes.values() if c.ref is None]
        refs = {c.ref: c.id for c in codes.values() if c.ref is not None}
        fresh = max((int(i) for i in codes if i.isdigit()), default=0)
        mapped: dict[str, str] = {}
        b = 0
        for code in own.values():
            if code.ref is None:
                if b < len(bolds):
                    mapped[code.id] = bolds[b]
                else:
                    fresh += 1
                    mapped[code.id] = str(fresh)
                b += 1
            elif code.ref in refs:
                mapped[code.id] = refs[code.ref]
            else:
                fresh += 1
                mapped[code.id] = str(fresh)
    else:
        mapped = {i: i for i in own}
    out: list[str] = []
    bold = False
    n = 0
    for run in _runs(text):
        if run.bold != bold:
            if run.bold:
                n += 1
                out.append(f'<g id="{mapped[str(n)]}" ctype="bold">')
            else:
                out.append("</g>")
            bold = run.bold
        if run.ref is not None:
            n += 1
            out.append(f'<x id="{mapped[str(n)]}" ctype="{REF_CTYPE}" equiv-text="{_attr(f"[[{run.ref}]]")}"/>')
        else:
            out.append(_protect(run.text))
    if bold:
        out.append("</g>")
    return "".join(out)


class Segment(NamedTuple):
    """A piece of a target: literal text, or a reference (``ref``), bold or not."""

    text: str
    bold: bool
    ref: str | None = None


def markup(segments: Sequence[Segment], *, escape_stars: bool = False) -> str:
    """Leaflet markup for ``segments``: ``**`` where bold starts and ends, ``[[id]]`` for references,
    and ``\\*`` / ``\\[[`` where a literal asterisk or two brackets would read as markup (every
    asterisk with ``escape_stars``: as the source text writes them). Raises ValueError when the
    text cannot be written in leaflet markup."""
    pieces: list[tuple[bool, str]] = []  # (literal?, text)
    bold = False
    for seg in segments:
        if not seg.text and seg.ref is None:
            continue
        if seg.bold != bold:
            pieces.append((False, "**"))
            bold = seg.bold
        if seg.ref is not None:
            pieces.append((False, f"[[{seg.ref}]]"))
        elif pieces and pieces[-1][0]:
            pieces[-1] = (True, pieces[-1][1] + seg.text)
        else:
            pieces.append((True, seg.text))
    if bold:
        pieces.append((False, "**"))
    out: list[str] = []
    for k, (literal, text) in enumerate(pieces):
        if not literal:
            out.append(text)
            continue
        after = pieces[k + 1][1][:1] if k + 1 < len(pieces) else ""
        i = 0
        while i < len(text):
            ch = text[i]
            prev = out[-1][-1:] if out and out[-1] else ""
            nxt = text[i + 1] if i + 1 < len(text) else after
            if ch == "*" and (escape_stars or prev in ("*", "\\") or nxt == "*"):
                out.append("\\*")
            elif ch == "[" and nxt == "[" and i + 1 < len(text):
                out.append("\\[[")
                i += 1
            else:
                out.append(ch)
            i += 1
    result = "".join(out)
    if _merged(parse_runs(result)) != _merged([Run(s.text, s.bold, s.ref) for s in segments]):
        raise ValueError("this text cannot be written in leaflet markup as it stands")
    return result


def _merged(runs: Iterable[Run]) -> list[tuple[str, bool, str | None]]:
    out: list[tuple[str, bool, str | None]] = []
    for r in runs:
        if r.ref is None and not r.text:
            continue
        if out and r.ref is None and out[-1][2] is None and out[-1][1] == r.bold:
            out[-1] = (out[-1][0] + r.text, r.bold, None)
        else:
            out.append((r.text, r.bold, r.ref))
    return out


# --- export -------------------------------------------------------------------------------------------

# XLIFF 1.2 target states for a translation's texts, from what the translation file says
STATE_REVIEWED, STATE_TRANSLATED, STATE_TO_REVIEW = "signed-off", "translated", "needs-review-translation"


def _lengths(data: Any, path: Path = (), out: dict[Path, int] | None = None) -> dict[Path, int]:
    """The length of every list in loaded data, by path."""
    out = {} if out is None else out
    if isinstance(data, dict):
        for key, value in data.items():
            _lengths(value, path + (key,), out)
    elif isinstance(data, list):
        out[path] = len(data)
        for i, value in enumerate(data):
            _lengths(value, path + (i,), out)
    return out


def _section_ids(data: Any) -> dict[str, int]:
    sections = data.get("sections") if isinstance(data, dict) else None
    ids: dict[str, int] = {}
    for i, section in enumerate(sections if isinstance(sections, list) else ()):
        sid = section.get("id") if isinstance(section, dict) else None
        if isinstance(sid, str):
            ids[sid] = -1 if sid in ids else i  # an id given twice matches nothing
    return ids


class Pairing:
    """Which text of a translation translates which text of its source (both as loaded data)."""

    def __init__(self, source: Any, translation: Any) -> None:
        self.source, self.translation = source, translation
        self.source_lists, self.translation_lists = _lengths(source), _lengths(translation)
        self.source_ids, self.translation_ids = _section_ids(source), _section_ids(translation)
        self.same_sections = self.source_lists.get(("sections",)) == self.translation_lists.get(("sections",))

    def text(self, path: Path) -> str | None:
        """The translation's text for the source's text at ``path``, when the translation has the
        source's structure all the way there: every list on the way as long as the source's (an
        inserted bullet must not pair the next text with the translation of another), except that a
        section with an ``id`` is the translation's section with that id, wherever it is, and one
        without pairs by place only where both have as many sections and the translation's has no
        id either. Else None."""
        there = path
        start = 0
        if path[0] == "sections" and len(path) > 1 and isinstance(path[1], int):
            section = _get(self.source, path[:2])
            sid = section.get("id") if isinstance(section, dict) else None
            if isinstance(sid, str):  # by its id, wherever the translation has it
                j = self.translation_ids.get(sid, -1)
                if j < 0 or self.source_ids.get(sid) != path[1]:
                    return None
            else:  # by its place
                j = path[1]
                other = _get(self.translation, path[:2])
                if not self.same_sections or not isinstance(other, dict) or "id" in other:
                    return None
            there, start = ("sections", j, *path[2:]), 2
        for i in range(start, len(path)):
            if isinstance(path[i], int) and self.source_lists.get(path[:i]) != self.translation_lists.get(there[:i]):
                return None
        value = _get(self.translation, there)
        return value if isinstance(value, str) and value.strip() else None


def _state(translation: Leaflet, stale: bool) -> tuple[str, str | None]:
    if stale:
        return STATE_TO_REVIEW, None
    if is_set(translation.translation) and is_set(translation.translation.review):
        return STATE_REVIEWED, None
    if translation.status == "machine-translation":
        return STATE_TO_REVIEW, "mt-suggestion"
    if translation.status == "draft":
        return STATE_TO_REVIEW, None
    return STATE_TRANSLATED, None


class Translation(NamedTuple):
    """An existing translation to fill the targets from: its model and loaded data; ``stale``: the
    paths of the source's texts that changed since the translation was made (from the fingerprint
    it records), or True when every text is to be reviewed."""

    leaflet: Leaflet
    data: Any
    stale: Collection[Path] | bool = frozenset()


GUIDE = ("Translate the texts; keep every inline code (bold, section references) and the protected numbers "
         "and doses as they are. Units marked translate=no are editorial notes, never printed.")


class Exported(NamedTuple):
    """An XLIFF document, how many texts it gives to translate and how many of them have a target."""

    text: str
    units: int
    targets: int


def export(leaflet: Leaflet, data: Any, source_text: str, target_language: str, *, original: str,
           translation: Translation | None = None, fingerprint: str | None = None, tool_version: str = "") -> Exported:
    """The XLIFF 1.2 document translating ``leaflet`` (loaded ``data``, file text ``source_text``,
    file name ``original``) into ``target_language``; the targets from ``translation`` where it has
    the same structure. ``fingerprint``: the source's, as ``leaflet check`` records it."""
    src_lang = leaflet.language
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<xliff version="{VERSION}" xmlns="{NS}">',
             f'  <file original="{_attr(original)}" source-language="{_attr(src_lang)}" '
             f'target-language="{_attr(target_language)}" datatype="{DATATYPE}" tool-id="{TOOL}" xml:space="preserve">',
             "    <header>",
             f'      <skl><internal-file form="{SKELETON_FORM}">{_esc(source_text)}</internal-file></skl>',
             f'      <tool tool-id="{TOOL}" tool-name="leaflet"' + (
                 f' tool-version="{_attr(tool_version)}"' if tool_version else "") + "/>",
             f'      <note from="{TOOL}">{_esc(GUIDE)}</note>']
    if fingerprint:
        lines.append(f'      <reference><internal-file form="{FINGERPRINT_FORM}">{_esc(fingerprint)}</internal-file>'
                     "</reference>")
    lines += ["    </header>", "    <body>"]
    pairing = Pairing(data, translation.data) if translation else None
    count = filled = 0
    for unit in units(leaflet, data):
        count += unit.translate
        attrs = f'id="{unit.id}" resname="{_attr(format_path(unit.path))}"'
        if not unit.translate:
            attrs += ' translate="no"'
        lines.append(f"      <trans-unit {attrs}>")
        codes = source_codes(unit.text) if unit.translate else {}
        lines.append(f'        <source xml:lang="{_attr(src_lang)}">'
                     f'{inline_xml(unit.text) if unit.translate else _esc(unit.text)}</source>')
        target = pairing.text(unit.path) if pairing else None
        stale = False
        if translation is not None and target is not None and not (not unit.translate and target == unit.text):
            stale = translation.stale is True or (
                not isinstance(translation.stale, bool) and unit.path in translation.stale)
            state, qualifier = _state(translation.leaflet, stale)
            content = inline_xml(target, codes) if unit.translate else _esc(target)
            extra = f' state-qualifier="{qualifier}"' if qualifier else ""
            filled += unit.translate
            lines.append(f'        <target xml:lang="{_attr(target_language)}" state="{state}"{extra}>{content}</target>')
        for note in unit.notes:
            lines.append(f'        <note from="author" annotates="source">{_esc(note)}</note>')
        if stale:
            lines.append(f'        <note from="{TOOL}" annotates="target">The source text changed since this '
                         "translation was made: review the target against the new source.</note>")
        if translation is not None and target is None and unit.translate:
            lines.append(f'        <note from="{TOOL}" annotates="target">The translation has no text here '
                         "(its structure differs from the source's at this place).</note>")
        lines.append("      </trans-unit>")
    lines += ["    </body>", "  </file>", "</xliff>", ""]
    return Exported("\n".join(lines), count, filled)


# --- reading an XLIFF file ------------------------------------------------------------------------------

class Node:
    """An element of the XLIFF file: its namespace and name, attributes (namespaced ones as
    ``{uri}name``), children (elements and text, in order) and where it starts (line, column)."""

    __slots__ = ("attrs", "children", "column", "line", "name", "ns")

    def __init__(self, ns: str, name: str, attrs: dict[str, str], line: int, column: int) -> None:
        self.ns, self.name, self.attrs, self.line, self.column = ns, name, attrs, line, column
        self.children: list[Node | str] = []

    def elements(self, name: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (name is None or c.name == name)]

    def first(self, name: str) -> Node | None:
        found = self.elements(name)
        return found[0] if found else None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Refused(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def parse_xml(data: bytes, file: str) -> Node:
    """Parse XML with the standard library's expat, refusing what an XLIFF file never needs and an
    attacker would use: a document type with an internal subset, any entity declaration (the
    "billion laughs" bomb is made of them) and external entities (never fetched: no file or network
    is read). Raises ContentError (code ``xliff-syntax``) at the line and column of the problem."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    root: list[Node] = []

    def where() -> tuple[int, int]:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        node = Node(ns, local, {(f"{{{k.rpartition(' ')[0]}}}{k.rpartition(' ')[2]}" if " " in k else k): v
                                for k, v in attrs.items()}, *where())
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            kids = stack[-1].children
            if kids and isinstance(kids[-1], str):
                kids[-1] += text
            else:
                kids.append(text)

    def doctype(name: str, system_id: str | None, public_id: str | None, has_internal_subset: int) -> None:
        if has_internal_subset:
            raise _Refused("the file declares a document type with an internal subset (<!DOCTYPE … [ … ]>)",
                           "an XLIFF 1.2 file needs no DTD: remove the <!DOCTYPE …> declaration")

    def entity(*args: Any) -> None:
        raise _Refused("the file declares an XML entity (<!ENTITY …>)",
                       "an XLIFF file needs no entity declarations: remove them (leaflet never expands them)")

    def external(*args: Any) -> int:
        raise _Refused("the file refers to an external entity", "leaflet reads no other file or URL: remove it")

    def skipped(name: str, is_parameter_entity: int) -> None:  # declared in a DTD leaflet never reads
        raise _Refused(f"the file uses the entity '&{name};', which leaflet does not expand (its DTD is never read)",
                       "write the character itself (the file is UTF-8), or a character reference such as &#160;")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.SkippedEntityHandler = skipped
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        line, col = where()
        raise ContentError([Diagnostic(str(exc), (), exc.hint, file, line, col, "xliff-syntax")]) from None
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise ContentError([Diagnostic(
            f"the file is not well-formed XML: {message}", (),
            "the file was damaged or cut short, or edited by hand: save it again from the CAT tool, "
            "or export it again with 'leaflet xliff export'", file, exc.lineno, exc.offset + 1,
            "xliff-syntax")]) from None
    return root[0]


class TransUnit(NamedTuple):
    """A trans-unit as read: where it is, its target (None: no target, or an empty one)."""

    id: str
    node: Node
    target: Node | None
    translate: bool


class XliffFile(NamedTuple):
    """An XLIFF 1.2 file as leaflet reads it."""

    file: str
    original: str
    source_language: str
    target_language: str
    skeleton: str | None
    fingerprint: str | None
    units: dict[str, TransUnit]
    file_node: Node

    def place(self, node: Node | None = None) -> tuple[str, int, int]:
        node = node or self.file_node
        return self.file, node.line, node.column


def _problem(message: str, hint: str, where: tuple[str, int, int], code: str = "xliff", path: Path = ()) -> Diagnostic:
    file, line, column = where
    return Diagnostic(message, path, hint, file, line, column, code)


def _units(body: Node) -> Iterator[Node]:
    for child in body.elements():
        if child.name == "trans-unit":
            yield child
        elif child.name == "group":
            yield from _units(child)


def read(data: bytes, file: str) -> XliffFile:
    """Read an XLIFF 1.2 file made by :func:`export` (and edited in a CAT tool). Raises
    ContentError listing every problem: malformed XML, another XLIFF version, no or several
    ``<file>`` elements, no target language, a unit id given twice."""
    root = parse_xml(data, file)
    at = (file, root.line, root.column)
    version = root.attrs.get("version", "")
    if root.name != "xliff":
        raise ContentError([_problem(f"the root element is <{root.name}>, not <xliff>: this is not an XLIFF file",
                                     "give the XLIFF 1.2 file written by 'leaflet xliff export'", at)])
    if root.ns in _OTHER_VERSIONS or (version and version != VERSION):
        shown = _OTHER_VERSIONS.get(root.ns, version)
        raise ContentError([_problem(
            f"this is an XLIFF {shown} file; leaflet reads XLIFF {VERSION}",
            f"save or export the file as XLIFF {VERSION} in the CAT tool (the version every major CAT tool reads)", at)])
    if root.ns not in (NS, "") or version != VERSION:
        raise ContentError([_problem(
            f"the <xliff> element has namespace '{root.ns}' and version '{version}', not XLIFF {VERSION}'s",
            f"an XLIFF {VERSION} file starts <xliff version=\"{VERSION}\" xmlns=\"{NS}\">", at)])
    files = root.elements("file")
    if len(files) != 1:
        raise ContentError([_problem(
            f"the file holds {len(files)} <file> elements; leaflet imports one leaflet at a time (one <file>)",
            "export and import each leaflet on its own", at)])
    fnode = files[0]
    where = (file, fnode.line, fnode.column)
    problems: list[Diagnostic] = []
    target_language = fnode.attrs.get("target-language", "").strip()
    if not target_language:
        problems.append(_problem("the <file> element has no target-language",
                                 "add target-language=\"es\" (the language translated into) to <file>", where))
    header = fnode.first("header")
    skeleton = fingerprint = None
    if header is not None:
        skl = header.first("skl")
        internal = skl.first("internal-file") if skl is not None else None
        if internal is not None and internal.attrs.get("form", SKELETON_FORM) == SKELETON_FORM:
            skeleton = internal.text()
        for ref in header.elements("reference"):
            inner = ref.first("internal-file")
            if inner is not None and inner.attrs.get("form") == FINGERPRINT_FORM:
                fingerprint = inner.text().strip() or None
    body = fnode.first("body")
    found: dict[str, TransUnit] = {}
    for node in _units(body) if body is not None else ():
        uid = node.attrs.get("id", "")
        if uid in found:
            problems.append(_problem(
                f"trans-unit '{uid}' is given twice (first at line {found[uid].node.line})",
                "keep one trans-unit per id: the CAT tool may have merged or split segments", (file, node.line,
                                                                                              node.column),
                "xliff-unit"))
            continue
        target = node.first("target")
        found[uid] = TransUnit(uid, node, target, node.attrs.get("translate", "yes") != "no")
    if problems:
        raise ContentError(problems)
    return XliffFile(file, fnode.attrs.get("original", ""), fnode.attrs.get("source-language", ""), target_language,
                     skeleton, fingerprint, found, fnode)


# --- a target back to leaflet markup -------------------------------------------------------------------

class _Inline:
    """Turns a target's inline content into segments, checking each code against the source's."""

    def __init__(self, codes: dict[str, Code], unit: Unit, where: Callable[[Node], tuple[str, int, int]]) -> None:
        self.codes, self.unit, self.where = codes, unit, where
        self.out: list[Segment] = []
        self.problems: list[Diagnostic] = []
        self.used: set[str] = set()
        self.depth = 0  # inside how many bold codes
        self.open: list[str] = []  # ids of <bpt> not yet closed by their <ept>

    def problem(self, node: Node, message: str, hint: str) -> None:
        self.problems.append(_problem(f"unit '{self.unit.id}': {message}", hint, self.where(node), "xliff-inline",
                                      self.unit.path))

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.out.append(Segment(child, self.depth > 0))
            else:
                self.element(child)

    def element(self, node: Node) -> None:
        name, cid = node.name, node.attrs.get("id", "")
        code = self.codes.get(cid)
        if name == "mrk":  # protected numbers, segments (mtype="seg"), terms: their text
            self.walk(node)
        elif name == "g":
            if code is not None and code.ref is not None:
                self.problem(node, f"<g id=\"{cid}\"> stands where the source has the reference [[{code.ref}]]",
                             "put the reference placeholder back as it is in the source")
            elif code is None and node.attrs.get("ctype") != "bold":
                self.problem(node, f"<g id=\"{cid}\"> is not an inline code of this unit's source",
                             "use only the inline codes of the source (bold: <g ctype=\"bold\">)")
            else:
                self.used.add(cid)
                self.depth += 1
                self.walk(node)
                self.depth -= 1
        elif name in ("x", "ph"):
            if code is None or code.ref is None:
                self.problem(node, f"<{name} id=\"{cid}\"/> is not a reference of this unit's source",
                             "use only the placeholders of the source; a section reference cannot be added here")
            else:
                self.used.add(cid)
                self.out.append(Segment("", self.depth > 0, code.ref))
        elif name == "bpt":
            if (code is None or code.ref is not None) and node.attrs.get("ctype") != "bold":
                self.problem(node, f"<bpt id=\"{cid}\"> is not a bold code of this unit's source",
                             "use only the inline codes of the source")
            else:
                self.used.add(cid)
                self.open.append(cid)
                self.depth += 1
        elif name == "ept":
            rid = node.attrs.get("rid", cid)
            if rid in self.open:
                self.open.remove(rid)
                self.depth -= 1
            else:
                self.problem(node, f"<ept> closes no open <bpt> (id '{rid}')", "pair every <bpt> with its <ept>")
        else:
            self.problem(node, f"<{name}> is not an inline code leaflet can import",
                         "remove it: a leaflet text has only bold and section references")

    def finish(self, target: Node) -> list[Segment]:
        for cid in self.open:
            self.problem(target, f"<bpt id=\"{cid}\"> is never closed by an <ept>", "pair every <bpt> with its <ept>")
        for cid, code in self.codes.items():
            if cid not in self.used:
                what = f"the reference [[{code.ref}]]" if code.ref else "a bold code"
                self.problem(target, f"the target lacks {what} (inline code id \"{cid}\") that the source has",
                             "place every inline code of the source in the target (the CAT tool shows them as tags)")
        return self.out


class Rebuilt(NamedTuple):
    """The translated leaflet: its data, its YAML text, and where each field's text came from in the XLIFF."""

    data: Any
    text: str
    places: dict[Path, tuple[str, int, int]]


def rebuild(xf: XliffFile, leaflet: Leaflet, data: Any, *, source_name: str | None = None,
            fingerprint: str | None = None) -> Rebuilt:
    """The translated leaflet: the source's structure (``leaflet``, loaded ``data``: the skeleton or
    the source file) with the XLIFF's targets as its texts. Raises ContentError listing every
    problem: a unit of the source missing from the XLIFF, a unit the source does not have, a
    target missing or empty, an inline code that does not match the source's."""
    problems: list[Diagnostic] = []
    out = copy.deepcopy(data)
    places: dict[Path, tuple[str, int, int]] = {}
    expected = units(leaflet, data)
    known = {u.id for u in expected}
    for uid, extra in xf.units.items():
        if uid not in known:
            problems.append(_problem(
                f"trans-unit '{uid}' is not a text of the source ({extra.node.attrs.get('resname', 'no resname')})",
                "the source changed since this file was exported, or the id was edited: export again and "
                "let the CAT tool's translation memory fill in the translations", xf.place(extra.node), "xliff-unit"))

    def where(node: Node) -> tuple[str, int, int]:
        return xf.place(node)

    for unit in expected:
        tu = xf.units.get(unit.id)
        if tu is None:
            if not unit.translate:  # a locked text a tool left out: the source's stays
                continue
            problems.append(_problem(
                f"no trans-unit '{unit.id}' for this text of the source",
                "the CAT tool dropped the unit, or the file is from another version of the source: export again",
                xf.place(), "xliff-unit", unit.path))
            continue
        places[unit.path] = xf.place(tu.target or tu.node)
        target = tu.target
        if target is None or (not target.text().strip() and not target.elements()):
            if not unit.translate:
                continue
            problems.append(_problem(
                f"unit '{unit.id}' has no target: this text is not translated",
                "translate it in the CAT tool (or copy the source where it stays the same), then import again",
                xf.place(tu.node), "xliff-unit", unit.path))
            continue
        if not unit.translate:
            _set(out, unit.path, target.text())
            continue
        reader = _Inline(source_codes(unit.text), unit, where)
        reader.walk(target)
        segments = reader.finish(target)
        if reader.problems:
            problems.extend(reader.problems)
            continue
        try:
            text = markup(segments, escape_stars="\\*" in unit.text)
        except ValueError as exc:
            problems.append(_problem(f"unit '{unit.id}': {exc}",
                                     "a literal backslash or '[' right before bold or a reference cannot be "
                                     "written in a leaflet text: add a space between them",
                                     xf.place(target), "xliff-inline", unit.path))
            continue
        _set(out, unit.path, text)
    if problems:
        problems.sort(key=lambda d: (d.line, d.column))
        raise ContentError(problems)
    translated = scalars(_translated(out, xf.target_language, source_name or xf.original, fingerprint))
    return Rebuilt(translated, HEADER.format(source=source_name or xf.original) + dump_yaml(translated), places)


HEADER = "# A translation of {source}, rebuilt from an XLIFF file by 'leaflet xliff import'.\n"


def _set(data: Any, path: Path, value: str) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _translated(data: dict[str, Any], language: str, source: str, fingerprint: str | None) -> dict[str, Any]:
    """The source's data as a translation: its language, status and where it comes from (after
    ``revision``, where a translated leaflet says so), without the source's own status and translation."""
    out: dict[str, Any] = {}
    block: dict[str, Any] = {"source": source}
    if fingerprint:
        block["fingerprint"] = fingerprint
    for key, value in data.items():
        if key in ("status", "translation"):
            continue
        out[key] = language if key == "language" else value
        if key == "revision":
            out["status"] = "machine-translation"
            out["translation"] = block
    if "status" not in out:
        out["status"] = "machine-translation"
        out["translation"] = block
    return out


def relocate(diagnostics: Iterable[Diagnostic], places: dict[Path, tuple[str, int, int]],
             fallback: tuple[str, int, int]) -> list[Diagnostic]:
    """Problems found in the rebuilt leaflet, placed at the XLIFF target each field came from
    (the nearest one for a field that is not a text itself)."""
    out = []
    for d in diagnostics:
        where = places.get(d.path)
        if where is None:
            where = next((w for p, w in places.items() if p[: len(d.path)] == d.path), None) or next(
                (places[d.path[:n]] for n in range(len(d.path) - 1, 0, -1) if d.path[:n] in places), fallback)
        out.append(d.located(*where))
    return out
