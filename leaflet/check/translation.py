"""``leaflet check``: does a translation still say what its source says?

Each translated leaflet (a file with a ``translation:`` block) is compared with the file its
``translation.source`` names, field by field:

- **structure** (code ``structure``): the same sections, blocks of the same kinds, the same
  number of list items, table rows and cells, callout and precaution parts, paragraphs in each
  text, the same settings (severity, frequency, columns, section ids, options) and the same
  section references ``[[id]]`` in each text;
- **numbers** (``number``): every number, dose and unit of each text, each read the way a
  reader of its language reads it (:mod:`leaflet.i18n.numbers`);
- **false friends** (``false-friend``): words of the translation's language that read as
  something else (Spanish "once" is eleven), from ``leaflet/data/false_friends/<lang>.json``;
- **untranslated text** (``untranslated``): a text identical to its source, or runs of the
  source's words left in it (see :func:`untranslated_words` for the rule);
- **a stale translation** (``stale``, ``fingerprint``): the translation records a fingerprint
  of the source it was made from (:func:`fingerprint`); a source changed since is reported,
  with the fields that changed.

:func:`check_translation` compares two loaded documents (``leaflet xliff import`` uses it too);
:func:`check_paths` is the command's whole run over files and folders.
"""
from __future__ import annotations

import base64
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path as FsPath
from typing import Any, NamedTuple

import msgspec

from ..content import loader
from ..content.document import Document
from ..content.model import UNSET, Leaflet
from ..errors import ContentError, Diagnostic, Path, UsageError, format_path
from ..i18n import numbers
from ..resources import DATA
from ..text.inline import paragraphs

# fields that are not compared: editorial notes, the translation's own record, and what may differ
# between a source and its translation (language, status, revision, author)
_SKIP = frozenset({"note", "notes", "translation", "language", "status", "revision", "author"})
# fields that are settings, not text: they must be the same in a translation
_SETTINGS = frozenset({"id", "severity", "frequency", "columns", "number_sections", "contents"})
# what the items of each list are called, by the list's field name
_NOUNS = {"sections": ("section", "sections"), "blocks": ("block", "blocks"), "intro": ("block", "blocks"),
          "bullets": ("item", "items"), "numbered": ("item", "items"), "items": ("item", "items"),
          "rows": ("row", "rows"), "header": ("header cell", "header cells"), "lines": ("line", "lines"),
          "brands": ("brand name", "brand names"), "subtitle": ("subtitle line", "subtitle lines"),
          "content": ("part", "parts")}
_REFERENCE = re.compile(r"(?<!\\)\[\[([^\[\]]*)\]\]")
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# fields whose English is often in title case: there, an identical text in capitals is untranslated, not a name
_HEADLINES = frozenset({"heading", "subheading", "title", "label", "caption", "header", "document_type",
                        "contents_entry", "question", "class", "severity"})
_NOT_NAMES = frozenset({"and", "or", "the", "of", "for", "in", "to"})

FINGERPRINT_VERSION = "v1"
_DIGEST = 3  # bytes of each text's digest: enough to tell which texts changed (the total tells whether)
_TOTAL = 12


class Place(NamedTuple):
    """A place in the source file: where a diagnostic's counterpart stands."""

    file: str
    line: int
    column: int
    path: Path

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Problem(NamedTuple):
    """One thing a translation gets wrong: the diagnostic (in the translation's file), and the
    place in the source it is compared with (None where there is none)."""

    diagnostic: Diagnostic
    source: Place | None = None


# --- walking a leaflet's fields ----------------------------------------------------------------


def _fields(node: msgspec.Struct) -> tuple[tuple[str, str], ...]:
    """(attribute, key in the file) of each field of a struct."""
    return _struct_fields(type(node))


@cache
def _struct_fields(tp: type[msgspec.Struct]) -> tuple[tuple[str, str], ...]:
    return tuple(zip(tp.__struct_fields__, tp.__struct_encode_fields__))


def texts(leaflet: Leaflet) -> list[tuple[Path, str]]:
    """Every text of a leaflet that a translation translates, with its path, in file order
    (the fields ``check`` compares and the fingerprint records: not notes, not settings)."""
    return _node_texts(leaflet)


class _Compare:
    """Compares a translation with its source field by field; collects problems and text pairs."""

    def __init__(self, source: Document, translation: Document) -> None:
        self.src, self.tr = source, translation
        self.problems: list[Problem] = []
        self.pairs: list[tuple[Path, str, str]] = []
        self.sources: dict[Path, Path] = {}  # a text's path in the source where it is not its path here
        self.remap: list[tuple[Path, Path]] = []  # (prefix here, prefix in the source) while walking shifted lists

    @property
    def ratio(self) -> float:
        """How much longer the translation's language writes than the source's (log of the ratio
        of all their texts' lengths): what lining up a list by its texts' lengths expects."""
        import math

        if not hasattr(self, "_ratio"):
            src = sum(len(t) for _, t in texts(self.src.leaflet))
            tr = sum(len(t) for _, t in texts(self.tr.leaflet))
            self._ratio = math.log((tr + 1) / (src + 1))
        return self._ratio

    def where(self, path: Path) -> Place:
        line, column = self.src.source.map.locate(path)
        return Place(self.src.path, line, column, path)

    def report(self, path: Path, message: str, hint: str, code: str, *, column: int = 0,
               source: Path | None = None, at: Path | None = None) -> None:
        """A problem at ``path`` of the translation (or the nearest value it has: ``at``), with
        the source's place for ``source`` (default ``path``) in the message."""
        place = self.where(self.sources.get(path, self.src_of(path)) if source is None else source)
        diagnostic = Diagnostic(f"{message} (source: {place})", path, hint, column=column, code=code)
        placed = self.tr.source.map.place(diagnostic)
        if at is not None:
            line, col = self.tr.source.map.locate(at)
            placed = placed.located(placed.file, line, col)
        self.problems.append(Problem(placed, place))

    def walk(self, a: Any, b: Any, path: Path) -> None:
        if isinstance(a, msgspec.Struct) or isinstance(b, msgspec.Struct):
            if type(a) is not type(b):
                self.report(path, f"{_kind_of(b)} here, {_kind_of(a)} in the source", _SAME_SHAPE, "structure")
                return
            kind_a, kind_b = getattr(a, "kind", None), getattr(b, "kind", None)
            if kind_a != kind_b:
                self.report(path, f"a {_name(kind_b)} here, a {_name(kind_a)} in the source", _SAME_SHAPE,
                            "structure")
                return
            for name, key in _fields(a):
                if key in _SKIP:
                    continue
                va, vb = getattr(a, name), getattr(b, name)
                if va is UNSET and vb is UNSET:
                    continue
                if vb is UNSET:
                    self.report(path + (key,), f"the source has '{key}' here, the translation does not",
                                f"translate the source's '{key}' and add it here", "structure", at=path)
                elif va is UNSET:
                    self.report(path + (key,), f"'{key}' is here, but the source has none",
                                f"remove '{key}', or add it to the source first", "structure", source=path)
                elif key in _SETTINGS:
                    if va != vb:
                        self.report(path + (key,), f"{key} is {_show(vb)} here, {_show(va)} in the source",
                                    f"a translation keeps the source's settings: write {key}: {_show(va)}",
                                    "structure")
                else:
                    self.walk(va, vb, path + (key,))
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                self.lists_differ(a, b, path)
                return
            for i, (x, y) in enumerate(zip(a, b)):
                self.walk(x, y, path + (i,))
        elif isinstance(a, str) and isinstance(b, str):
            self.pairs.append((path, a, b))
            if self.remap:
                self.sources[path] = self.src_of(path)
        elif a != b:
            self.report(path, f"{_show(b)} here, {_show(a)} in the source", _SAME_SHAPE, "structure")


    def lists_differ(self, a: list[Any], b: list[Any], path: Path) -> None:
        """Lists of different lengths: say so, and which of the source's entries are missing (or
        which here are extra) where the numbers in them tell; the entries that line up are
        compared as usual."""
        field = path[-1] if path else ""
        one, many = _NOUNS.get(str(field), ("cell", "cells") if isinstance(field, int) else ("item", "items"))
        sig_a = [self.signature(x, self.src.leaflet.language) for x in a]
        sig_b = [self.signature(y, self.tr.leaflet.language) for y in b]
        len_a = [sum(len(t) for _, t in _node_texts(x)) for x in a]
        len_b = [sum(len(t) for _, t in _node_texts(y)) for y in b]
        missing: list[int] = []
        extra: list[int] = []
        pairs: list[tuple[int, int]] = []
        if len(a) > len(b):
            found = _align(sig_a, sig_b, len_a, len_b, self.ratio)
            if found is not None:
                missing, pairs = found[0], found[1]
        else:
            found = _align(sig_b, sig_a, len_b, len_a, -self.ratio)
            if found is not None:
                extra, pairs = found[0], [(i, j) for j, i in found[1]]
        certain = found is not None and found[2] is True
        if found is None or found[2] is False:  # neither the numbers nor the lengths tell which
            missing, extra, pairs = [], [], []
        what = "missing: dropped, or merged into another" if len(b) < len(a) else \
            "more than in the source: one split in two, or added"
        message = f"{len(b)} {one if len(b) == 1 else many} here, {len(a)} in the source ({abs(len(a) - len(b))} {what})"
        guess = "" if certain else ", judging by the lengths of the texts, probably"
        if missing:
            message += f"; missing{guess}: " + ", ".join(
                f"the source's {one} [{i}] {_preview(a[i])}" for i in missing[:3])
        if extra:
            message += f"; not in the source{guess}: " + ", ".join(f"{one} [{j}] {_preview(b[j])}" for j in extra[:3])
        self.report(path, message, f"give each {one} of the source its own {one} here, in the same order", "structure",
                    source=self.src_of(path) + (missing[0],) if len(missing) == 1 else None)
        for i, j in pairs:  # what lines up is still compared (its path is the translation's)
            self.walk_pair(a[i], b[j], path + (i,), path + (j,))

    def walk_pair(self, a: Any, b: Any, src_path: Path, tr_path: Path) -> None:
        """Compare ``a`` (at ``src_path`` in the source) with ``b`` (at ``tr_path`` here)."""
        self.remap.append((tr_path, src_path))
        try:
            self.walk(a, b, tr_path)
        finally:
            self.remap.pop()

    def src_of(self, path: Path) -> Path:
        """The source's path for ``path`` of the translation (they differ after a missing entry)."""
        for tr_prefix, src_prefix in reversed(self.remap):
            if path[:len(tr_prefix)] == tr_prefix:
                return src_prefix + path[len(tr_prefix):]
        return path

    @staticmethod
    def signature(node: Any, language: str) -> tuple[str, ...]:
        return tuple(q.shown for _, text in _node_texts(node) for q in numbers.quantities(_masked(text), language))


def _align(sig_long: list[tuple[str, ...]], sig_short: list[tuple[str, ...]], len_long: list[int],
           len_short: list[int], ratio: float) -> tuple[list[int], list[tuple[int, int]], bool | None] | None:
    """Line up a list with a shorter one: which entries of the longer have no counterpart, the
    pairs (index in the longer, index in the shorter), and whether that is certain. Paired entries
    must hold the same numbers; among the ways to pair them, the one whose texts' lengths keep
    ``ratio`` best is chosen (the log of how much longer the shorter list's language writes than
    the longer's: the two documents' ratio). Certain when the numbers allow only one way; None
    when they allow none (then nothing is paired)."""
    import math

    n, m = len(sig_long), len(sig_short)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    ways = [[0] * (m + 1) for _ in range(n + 1)]
    back: list[list[bool]] = [[False] * (m + 1) for _ in range(n + 1)]  # True: paired
    cost[0][0], ways[0][0] = 0.0, 1
    for i in range(1, n + 1):
        for j in range(0, min(i, m) + 1):
            best, paired, count = cost[i - 1][j], False, ways[i - 1][j]  # the longer's entry i-1 unpaired
            if j and sig_long[i - 1] == sig_short[j - 1] and cost[i - 1][j - 1] < inf:
                c = cost[i - 1][j - 1] + abs(math.log((len_short[j - 1] + 1) / (len_long[i - 1] + 1)) - ratio)
                count += ways[i - 1][j - 1]
                if c < best:
                    best, paired = c, True
            cost[i][j], back[i][j], ways[i][j] = best, paired, min(count, 2)
    if cost[n][m] == inf:
        return None
    unpaired: list[int] = []
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i:
        if back[i][j]:
            pairs.append((i - 1, j - 1))
            j -= 1
        else:
            unpaired.append(i - 1)
        i -= 1
    if ways[n][m] == 1:
        return sorted(unpaired), sorted(pairs), True
    if n - m == 1:  # one entry missing: the lengths tell when one choice fits clearly best
        costs = []
        for skip in range(n):
            rest = [k for k in range(n) if k != skip]
            if all(sig_long[k] == sig_short[j] for j, k in enumerate(rest)):
                costs.append((sum(abs(math.log((len_short[j] + 1) / (len_long[k] + 1)) - ratio)
                                  for j, k in enumerate(rest)), skip))
        costs.sort()
        if len(costs) > 1 and costs[0][0] + _CLEARLY < costs[1][0]:
            skip = costs[0][1]
            rest = [k for k in range(n) if k != skip]
            return [skip], [(k, j) for j, k in enumerate(rest)], None
    return sorted(unpaired), sorted(pairs), False


_CLEARLY = 0.4  # log units: the lengths of one way to line up a list fit this much better than any other's


def _node_texts(node: Any) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []

    def walk(n: Any, path: Path) -> None:
        if isinstance(n, msgspec.Struct):
            for name, key in _fields(n):
                value = getattr(n, name)
                if key not in _SKIP and key not in _SETTINGS and value is not UNSET:
                    walk(value, path + (key,))
        elif isinstance(n, list):
            for i, item in enumerate(n):
                walk(item, path + (i,))
        elif isinstance(n, str):
            out.append((path, n))

    walk(node, ())
    return out


def _preview(node: Any) -> str:
    found = _node_texts(node)
    return f"('{_short(found[0][1], 40)}')" if found else ""


_SAME_SHAPE = "a translation has the source's structure: the same sections, blocks, items, rows and cells, in order"


def _kind_of(node: Any) -> str:
    if isinstance(node, str):
        return "a text"
    if isinstance(node, list):
        return "a list"
    name = type(node).__name__
    return {"ListItem": "an item with sub-items", "TableCell": "a cell with a list"}.get(name, f"a {name}")


def _name(kind: str | None) -> str:
    return {None: "note-only block", "side_effects": "side-effect callout", "qa": "question and answer",
            "subheading": "sub-heading", "bullets": "bullet list", "numbered": "numbered list",
            "text": "text", "items": "list"}.get(kind, str(kind))


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value).lower() \
        if isinstance(value, bool) else str(value)


def _short(text: str, limit: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


# --- the checks of one text and its translation --------------------------------------------------


def _masked(text: str) -> str:
    """The text with references [[id]] and web addresses blanked out (same length)."""
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group())
    return _URL.sub(blank, _REFERENCE.sub(blank, text))


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("**", "").split())


_script = numbers.script_of


def _is_latin(word: str) -> bool:
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in word)


def untranslated_words(text: str, language: str, names: Iterable[str] = ()) -> list[tuple[str, int]]:
    """The words of ``text`` that a translation would translate, with their offsets: words of
    two letters or more, without numbers and their units, web and e-mail addresses, section
    references, words in capitals (acronyms: CNS, GABA-B), and the words of ``names`` (the
    medicine's name and brands)."""
    masked = _masked(text)
    for q in numbers.quantities(masked, language):
        masked = masked[:q.start] + " " * (q.end - q.start) + masked[q.end:]
    skip = {w.lower() for name in names for w in _WORD.findall(name)} - _NOT_NAMES
    out = []
    for m in _WORD.finditer(masked.replace("**", "  ")):
        word = m.group()
        if len(word) < 2 or (word.upper() == word and word.lower() != word) or word.lower() in skip:
            continue
        out.append((word, m.start()))
    return out


class _TextCheck:
    """The checks of one text against its source text."""

    def __init__(self, cmp: _Compare) -> None:
        self.cmp = cmp
        s, t = cmp.src.leaflet, cmp.tr.leaflet
        self.src_lang, self.tr_lang = s.language, t.language
        self.names = [s.medicine.name, *s.medicine.brands, t.medicine.name, *t.medicine.brands]
        self.same_language = self.src_lang.split("-")[0] == self.tr_lang.split("-")[0]
        self.cross_script = _script(self.src_lang) != _script(self.tr_lang)
        self.friends = false_friends(self.tr_lang)
        self.numbers = 0

    def run(self, path: Path, src: str, tr: str) -> None:
        cmp = self.cmp
        n_src, n_tr = len(paragraphs(src)), len(paragraphs(tr))
        if n_src != n_tr:
            cmp.report(path, f"{n_tr} paragraph{'s' if n_tr != 1 else ''} here, {n_src} in the source",
                       "keep the source's paragraphs: a blank line between paragraphs, as in the source",
                       "structure")
        refs_src, refs_tr = sorted(_REFERENCE.findall(src)), sorted(_REFERENCE.findall(tr))
        if refs_src != refs_tr:
            cmp.report(path, f"refers to {_refs(refs_tr)} here, the source to {_refs(refs_src)}",
                       "keep every [[id]] of the source as written: leaflet prints the section's heading or number",
                       "structure")
        self.numbers_of(path, src, tr)
        if path[:2] not in (("medicine", "name"), ("medicine", "brands")) and "lines" not in path[:-1] and \
                not self.same_language:
            self.untranslated(path, src, tr)
        if self.friends:
            self.false_friends(path, src, tr)

    def numbers_of(self, path: Path, src: str, tr: str) -> None:
        found = numbers.compare(_masked(src), self.src_lang, _masked(tr), self.tr_lang)
        self.numbers += found.matched + len(found.missing)
        if found.agree:
            return
        missing, extra = found.missing, found.extra
        if len(missing) == 1 and len(extra) == 1:
            message = f"'{missing[0].written}' in the source is '{extra[0].written}' here"
            if missing[0].value == extra[0].value:
                message += f" (the unit differs: {missing[0].unit or 'none'} and {extra[0].unit or 'none'})"
            elif missing[0].unit == extra[0].unit or None in (missing[0].unit, extra[0].unit):
                message += f" ({missing[0].value} in the source, {extra[0].value} as {self.tr_lang} reads it)"
        else:
            parts = []
            if missing:
                parts.append("the source has " + ", ".join(f"'{q.written}'" for q in missing) + " and this text does not")
            if extra:
                parts.append("this text has " + ", ".join(f"'{q.written}'" for q in extra) + " and the source does not")
            message = "; ".join(parts)
        column = extra[0].start + 1 if extra else 0
        self.cmp.report(path, f"the numbers differ: {message}",
                        f"every number, dose and unit must be as in the source, written as {self.tr_lang} writes "
                        f"numbers (decimal {_symbol(numbers.symbols(self.tr_lang)[0])}, thousands "
                        f"{_symbol(numbers.symbols(self.tr_lang)[1])}); the source says: '{_short(src)}'",
                        "number", column=column)

    def untranslated(self, path: Path, src: str, tr: str) -> None:
        words = untranslated_words(tr, self.tr_lang, self.names)
        if _normal(_masked(src)) == _normal(_masked(tr)):
            need = 1 if self.cross_script else 2
            headline = any(key in _HEADLINES for key in path if isinstance(key, str))
            if len(words) >= need and (headline or not _a_name(words)):
                self.cmp.report(path, f"the text is as in the source, untranslated: '{_short(tr)}'",
                                f"translate it into {self.tr_lang} (names, numbers, units, acronyms and web "
                                "addresses stay as they are)", "untranslated")
            return
        run = self.source_run(src, tr, words)
        if run:
            self.cmp.report(path, f"'{run[0]}' is as in the source, left untranslated in the text",
                            f"translate these words into {self.tr_lang}", "untranslated", column=run[1] + 1)

    def source_run(self, src: str, tr: str, words: list[tuple[str, int]]) -> tuple[str, int] | None:
        """The first run of words of ``tr`` that stands, in order, in ``src`` too: four words in
        a language of the source's script, two of the source's script in another."""
        src_words = [w.lower() for w, _ in untranslated_words(src, self.src_lang, self.names)]
        if self.cross_script:
            words = [(w, at) for w, at in words if _is_latin(w) == (_script(self.src_lang) == "Latn")]
            n = 2
        else:
            n = 4
        if len(words) < n or len(src_words) < n:
            return None
        grams = {tuple(src_words[i:i + n]) for i in range(len(src_words) - n + 1)}
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if tuple(w.lower() for w, _ in gram) in grams and not _a_name(gram):
                start, end = gram[0][1], gram[-1][1] + len(gram[-1][0])
                if not re.search(r"[.!?;:]", tr[start:end]):  # one phrase, not words across sentences
                    return tr[start:end], start
        return None

    def false_friends(self, path: Path, src: str, tr: str) -> None:
        source_language = self.src_lang.split("-")[0]
        for entry in self.friends:
            when, unless = entry.get("when_source"), entry.get("unless_source")
            if when is not None and not (source_language in when and re.search(when[source_language], src, re.I)):
                continue
            if unless and source_language in unless and re.search(unless[source_language], src, re.I):
                continue
            number = entry.get("unless_source_number")
            if number is not None and any(q.value == number for q in numbers.quantities(_masked(src), self.src_lang)):
                continue
            for m in entry["pattern"].finditer(tr):
                if entry.get("near") and not _near(tr, m.start(), m.end(), entry["near"], self.tr_lang):
                    continue
                self.cmp.report(path, f"'{m.group()}' is a false friend: {entry['reason']}",
                                entry.get("hint", "check the word against the source"), "false-friend",
                                column=m.start() + 1)
                break


def _a_name(words: list[tuple[str, int]]) -> bool:
    """Is this run of words a proper name kept as it is ("Food and Drug Administration")? Every
    word starts with a capital letter, short words (and, of, de) aside, and the first does."""
    return words[0][0][:1].isupper() and all(w[:1].isupper() or (len(w) <= 3 and w.islower()) for w, _ in words)


def _refs(refs: list[str]) -> str:
    return ", ".join(f"[[{r}]]" for r in refs) if refs else "no section"


def _symbol(ch: str) -> str:
    return {".": "'.'", ",": "','", "\u00a0": "a no-break space", "\u202f": "a narrow no-break space",
            "'": "an apostrophe", "\u2019": "an apostrophe"}.get(ch, f"'{ch}'")


def _near(text: str, start: int, end: int, cues: list[str], language: str) -> bool:
    """Is there a figure, a unit or a word starting with one of ``cues`` in the sentence around
    ``text[start:end]`` (the word itself aside)?"""
    left = max(text.rfind(c, 0, start) for c in ".!?;\n")
    rights = [i for i in (text.find(c, end) for c in ".!?;\n") if i >= 0]
    sentence = text[left + 1:start] + " " + text[end:min(rights) if rights else len(text)]
    if numbers.quantities(sentence, language):
        return True
    return any(w.lower().startswith(tuple(c.lower() for c in cues)) for w in _WORD.findall(sentence))


@cache
def false_friends(language: str) -> list[dict[str, Any]]:
    """The false friends of ``language`` (``leaflet/data/false_friends/<language>.json``), each
    entry with its compiled ``pattern``; [] for a language without a list."""
    folder = DATA / "false_friends"
    for tag in (language, language.split("-")[0]):
        path = folder / f"{tag}.json"
        if path.is_file():
            entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
            for entry in entries:
                word = re.escape(entry["word"].rstrip("*")) + (r"\w*" if entry["word"].endswith("*") else "")
                entry["pattern"] = re.compile(r"(?<!\w)" + word + r"(?!\w)", re.IGNORECASE)
            return list(entries)
    return []


# --- the fingerprint of a source ----------------------------------------------------------------


def _text_key(text: str) -> bytes:
    """A text as the fingerprint sees it: NFC, spaces collapsed inside each paragraph (a text
    wrapped differently in the YAML is the same text)."""
    return "\n\n".join(" ".join(p.split()) for p in paragraphs(unicodedata.normalize("NFC", text))).encode()


def _digests(entries: Sequence[tuple[Path, str]]) -> tuple[bytes, list[bytes]]:
    total = hashlib.sha256()
    each = []
    for path, text in entries:
        key = _text_key(text)
        total.update(format_path(path).encode() + b"\0" + key + b"\0")
        each.append(hashlib.sha256(key).digest()[:_DIGEST])
    return total.digest()[:_TOTAL], each


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def fingerprint(source: Leaflet | Document) -> str:
    """The fingerprint of a source leaflet, to record in its translation's
    ``translation.fingerprint``: ``v1.<total>.<digests>``, base64url. ``<total>`` is a digest of
    every text the translation translates (:func:`texts`) with its field path, so that any change
    is seen; ``<digests>`` holds 3 bytes (4 characters) per text, in file order, so that
    ``check`` can say which texts changed, were added or were removed. Notes, settings and the
    revision are not in it."""
    leaflet = source.leaflet if isinstance(source, Document) else source
    total, each = _digests(texts(leaflet))
    return f"{FINGERPRINT_VERSION}.{_b64(total)}.{_b64(b''.join(each))}"


def parse_fingerprint(value: str) -> tuple[bytes, list[bytes]] | None:
    """(total, per-text digests) of a fingerprint, or None when it is not one this version writes."""
    parts = value.strip().split(".")
    if len(parts) != 3 or parts[0] != FINGERPRINT_VERSION or not all(
            re.fullmatch(r"[A-Za-z0-9_-]*", p) for p in parts[1:]):
        return None
    try:
        total = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        each = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
    except ValueError:
        return None
    if len(total) != _TOTAL or len(each) % _DIGEST:
        return None
    return total, [each[i:i + _DIGEST] for i in range(0, len(each), _DIGEST)]


def _stale(cmp: _Compare) -> None:
    """Report a source that changed since the fingerprint the translation records, and which texts."""
    record = cmp.tr.leaflet.translation
    assert record is not UNSET
    fp = record.fingerprint
    where = ("translation", "fingerprint")
    stamp = f"leaflet check --stamp {cmp.tr.path}"
    if fp is UNSET:
        cmp.problems.append(Problem(cmp.tr.source.map.place(Diagnostic(
            "the translation records no fingerprint of its source, so a later change to the source cannot be found",
            ("translation",), f"when the translation agrees with its source, record it: {stamp}",
            code="fingerprint"), key=True)))
        return
    parsed = parse_fingerprint(fp)
    if parsed is None:
        cmp.problems.append(Problem(cmp.tr.source.map.place(Diagnostic(
            f"'{_short(fp, 30)}' is not a fingerprint leaflet wrote ({FINGERPRINT_VERSION}.…)", where,
            f"fingerprints are written by the tools, never by hand: {stamp}", code="fingerprint"))))
        return
    old_total, old = parsed
    entries = texts(cmp.src.leaflet)
    total, new = _digests(entries)
    if total == old_total:
        return
    hint = f"update the translation of what changed, then record the source it now matches: {stamp}"
    if record.review is not UNSET:  # the review was of the translation of the old source
        hint += (f"; the review recorded ({record.review.reviewer}, {record.review.date}) was of the translation "
                 "before the change: have the changed texts reviewed, then record the new review")
    reported = 0
    tr_texts = {p for p, _ in texts(cmp.tr.leaflet)}
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        for j in range(j1, j2):
            path, text = entries[j]
            what = "changed" if op == "replace" else "was added"
            cmp.report(path, f"the source's text {what} since the translation was made: now '{_short(text)}'",
                       hint, "stale", at=path if path in tr_texts else where)
            reported += 1
        if op in ("delete", "replace") and i2 - i1 > j2 - j1:
            gone = i2 - i1 - (j2 - j1)
            after = entries[j2 - 1][0] if j2 > 0 else ()
            cmp.problems.append(Problem(cmp.tr.source.map.place(Diagnostic(
                f"{gone} text{'s were' if gone != 1 else ' was'} removed from the source since the translation was "
                f"made{(' (after ' + format_path(after) + ')') if after else ''}", where, hint, code="stale"))))
            reported += 1
    if not reported:  # the same texts, moved between fields
        cmp.problems.append(Problem(cmp.tr.source.map.place(Diagnostic(
            "the source has changed since the translation was made (its texts moved between fields)", where, hint,
            code="stale"))))


# --- one translation, and a whole run ------------------------------------------------------------


class Result(NamedTuple):
    """What :func:`compare` found for one translation."""

    problems: list[Problem]
    texts: int
    numbers: int


def compare(source: Document, translation: Document, *, stale: bool = True) -> Result:
    """Compare ``translation`` with its ``source`` (both loaded): every problem, each placed in
    the translation's file with the source's place, and how many texts and numbers agree."""
    cmp = _Compare(source, translation)
    cmp.walk(source.leaflet, translation.leaflet, ())
    check = _TextCheck(cmp)
    for path, src, tr in cmp.pairs:
        check.run(path, src, tr)
    if stale and translation.leaflet.translation is not UNSET:
        _stale(cmp)
    cmp.problems.sort(key=lambda p: (p.diagnostic.line, p.diagnostic.column))
    return Result(cmp.problems, len(cmp.pairs), check.numbers)


def check_translation(source: Document, translation: Document, *, stale: bool = True) -> list[Diagnostic]:
    """Every problem of ``translation`` against ``source``, as diagnostics in the translation's
    file ([] when they agree); ``stale=False`` leaves out the fingerprint check (for a
    translation being made, such as an XLIFF import, that has no fingerprint yet)."""
    return [p.diagnostic for p in compare(source, translation, stale=stale).problems]


def source_path(translation: Document) -> FsPath | None:
    """The file a translation names as its source (relative to the translation), or None for a source."""
    record = translation.leaflet.translation
    if record is UNSET:
        return None
    return FsPath(translation.path).parent / record.source


# --- files and folders ---------------------------------------------------------------------------


class FileReport(msgspec.Struct):
    """What ``leaflet check`` says about one file: a source, a translation (and against which
    source), or a file that cannot be checked; its problems; how many texts and numbers agree."""

    file: str
    role: str  # "source" | "translation" | "unreadable"
    language: str | None = None
    source: str | None = None
    texts: int = 0
    numbers: int = 0
    problems: list[Problem] = []
    stamped: bool = False  # --stamp wrote a new fingerprint

    @property
    def ok(self) -> bool:
        return not self.problems


def expand(paths: Iterable[str]) -> list[str]:
    """Files and folders -> the leaflet files to check: a folder gives every ``*.yaml`` and
    ``*.yml`` file in it and its sub-folders (not hidden ones), sorted."""
    out: list[str] = []
    for name in paths:
        p = FsPath(name)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml") and f.is_file()
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise UsageError(f"{name}: the folder holds no leaflet files (*.yaml)")
            out.extend(str(f) for f in found)
        else:
            out.append(name)
    seen: set[str] = set()
    return [f for f in out if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]


Load = Callable[[str], Document]


def check_paths(paths: Iterable[str], load: Load) -> list[FileReport]:
    """Check every translation among ``paths`` (files and folders) against its source, loading
    each file with ``load`` (``leaflet.load`` with the command's options). A source is loaded
    once however many translations name it."""
    reports: list[FileReport] = []
    cache_: dict[FsPath, Document | ContentError] = {}

    def get(path: FsPath) -> Document | ContentError:
        key = path.resolve()
        if key not in cache_:
            try:
                cache_[key] = load(str(path))
            except ContentError as exc:
                cache_[key] = exc
        return cache_[key]

    for name in expand(paths):
        doc = get(FsPath(name))
        if isinstance(doc, ContentError):
            reports.append(FileReport(name, "unreadable", problems=[Problem(d) for d in doc.diagnostics]))
            continue
        reports.append(check_document(doc, get))
    return reports


def check_document(doc: Document, get: Callable[[FsPath], Document | ContentError]) -> FileReport:
    """One loaded file: a source (nothing to compare), or a translation compared with its source."""
    language = doc.leaflet.language
    src_path = source_path(doc)
    if src_path is None:
        return FileReport(doc.path, "source", language, texts=len(texts(doc.leaflet)))
    shown = str(src_path)
    report = FileReport(doc.path, "translation", language, shown)

    def problem(message: str, hint: str) -> FileReport:
        report.problems.append(Problem(doc.source.map.place(Diagnostic(
            message, ("translation", "source"), hint, code="translation-source"))))
        return report

    if src_path.resolve() == FsPath(doc.path).resolve():
        return problem("the translation names itself as its source", "name the file it was translated from")
    if not src_path.is_file():
        return problem(f"the source {shown} is not there" if not src_path.exists() else
                       f"the source {shown} is not a file", "translation.source is relative to this file, e.g. en.yaml")
    source = get(src_path)
    if isinstance(source, ContentError):
        n = len(source.diagnostics)
        return problem(f"the source {shown} has {n} problem{'s' if n != 1 else ''}, so it cannot be compared",
                       f"fix the source first: leaflet validate {shown}")
    result = compare(source, doc)
    report.problems.extend(result.problems)
    report.texts, report.numbers = result.texts, result.numbers
    return report


# --- writing the fingerprint into a translation ----------------------------------------------------


def stamp_text(text: str, translation: Document, value: str) -> str:
    """The text of the translation's file with ``translation.fingerprint`` set to ``value``,
    everything else as written (comments, quoting, order). Raises :class:`UsageError` for a file
    that is not a translation."""
    spans = loader.node_spans(text)
    quoted = json.dumps(value)
    if ("translation", "fingerprint") in spans:
        start, end, _ = spans[("translation", "fingerprint")]
        new = quoted + ("\n" if text[start:end].endswith("\n") else "")
        return text[:start] + new + text[end:]
    if ("translation",) not in spans:
        raise UsageError(f"{translation.path} is not a translation (it has no 'translation:' block to record the "
                         "fingerprint in); add 'translation: {source: en.yaml}' naming its source")
    start, end, flow = spans[("translation",)]
    if flow:  # translation: {source: en.yaml}
        before = text[:end].rstrip()
        return before + f", fingerprint: {quoted}" + text[len(before):]
    _, s_end, _ = spans[("translation", "source")]
    column = translation.source.map.keys[("translation", "source")][1]
    line_end = text.find("\n", s_end)
    if line_end < 0:
        return text + f"\n{' ' * (column - 1)}fingerprint: {quoted}\n"
    return text[:line_end + 1] + f"{' ' * (column - 1)}fingerprint: {quoted}\n" + text[line_end + 1:]


def stamp(translation: Document, source: Document) -> tuple[str, bool]:
    """The new text of the translation's file, recording ``source``'s fingerprint, and whether
    it differs from the file as it is. Reads the file again (its text as written)."""
    raw = loader.decode(loader.read(translation.path), translation.path)
    value = fingerprint(source)
    record = translation.leaflet.translation
    if record is not UNSET and record.fingerprint == value:
        return raw, False
    new = stamp_text(raw, translation, value)
    reread = loader.parse(new, translation.path).data
    if not (isinstance(reread, dict) and isinstance(reread.get("translation"), dict)
            and reread["translation"].get("fingerprint") == value):  # pragma: no cover - a bug in stamp_text
        raise UsageError(f"{translation.path}: the fingerprint could not be written into the file as it is written; "
                         f"set translation.fingerprint to \"{value}\" in an editor")
    return new, True


JSON_VERSION = 1


def json_report(reports: Sequence[FileReport]) -> dict[str, Any]:
    """The ``--json`` output: a stable shape, version 1 (see README, "Checking a translation")."""
    def place(p: Problem) -> dict[str, Any]:
        d = p.diagnostic
        return {"code": d.code, "file": d.file, "line": d.line, "column": d.column, "path": format_path(d.path)
                if d.path else "", "message": d.message, "hint": d.hint,
                "source": None if p.source is None else {"file": p.source.file, "line": p.source.line,
                                                          "column": p.source.column,
                                                          "path": format_path(p.source.path) if p.source.path else ""}}

    return {
        "version": JSON_VERSION,
        "ok": all(r.ok for r in reports),
        "files": [{"file": r.file, "role": r.role, "language": r.language, "source": r.source, "texts": r.texts,
                   "numbers": r.numbers, "ok": r.ok, "stamped": r.stamped, "problems": len(r.problems)}
                  for r in reports],
        "problems": [place(p) for r in reports for p in r.problems],
    }
