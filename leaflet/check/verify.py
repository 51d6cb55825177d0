"""Read a built PDF back and check that it prints its content: all of it, in order, visibly.

``leaflet verify CONTENT PDF`` and the test-suite use it. The PDF's visible text
(:mod:`leaflet.check.visible`: on the page, not invisible, not tiny, dark enough on
its background) is compared with the leaflet's printed stream
(:func:`leaflet.text.printed.printed_stream`: the author's texts and the labels the
layout adds, in reading order) in one forward pass:

- every page must end with its furniture (banner, running header, disclaimer,
  revision line, "Page X of Y"), which is then set aside;
- the bodies of the pages, read one after the other, must print the stream in
  order, each text where it belongs; a paragraph may run over a page break, a word
  may be split over two lines, and a callout's "(continued)" band or a table's
  repeated header row may stand where a page begins;
- what is left over is reported: a text that is missing (or there but not
  visible), out of order, printed twice, or text in the PDF that the content does
  not have.

Texts are compared after Unicode NFC normalisation with soft hyphens removed; white
space must agree except where a line ends.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from ..content.document import Document
from ..errors import ContentError, Diagnostic, PdfError, ResourceError
from ..resources import locale_for
from ..text.bidi import strip_controls
from ..text.panel import PrescriptionData, is_private
from ..text.printed import Printed, furniture, printed_stream
from .visible import Page, min_size, open_pdf, pypdf_errors, spaced, visible_pages

if TYPE_CHECKING:  # the brand's model is loaded only with a brand
    from ..content.brand import Brand

MAX_PROBLEMS = 40  # after this many differences the rest are counted, not listed
SKIP_AHEAD = 80  # how many texts ahead a resynchronisation looks for the PDF's text
FAILED_SEARCHES = 200  # whole-document searches for a missing text, before searches stay near
NEAR = 6000  # characters: how far a search looks once FAILED_SEARCHES is used up
ROW_TRIES = 200  # ways of cutting a split table row's cells tried on one page, before it counts as not printed
FURNITURE_GAP = 40  # characters of other text tolerated after a piece of furniture (then reported)

_SPACE = re.compile(r"\s+")
_HYPHEN_BREAK = re.compile(r"-\s+(?=\w)")


def normalise(text: str) -> str:
    """NFC, no soft hyphens, single spaces, and no space after a hyphen (line-end hyphenation)."""
    text = strip_controls(unicodedata.normalize("NFC", text).replace("\u00ad", ""))
    text = _SPACE.sub(" ", text).strip()
    return _HYPHEN_BREAK.sub("-", text)


def compact(text: str) -> tuple[str, str]:
    """A text as characters without white space, and for each what comes before it: ``n`` nothing,
    ``s`` a space (the representation of :class:`leaflet.check.visible.Page`)."""
    words = strip_controls(unicodedata.normalize("NFC", text).replace("\u00ad", "")).split()
    return "".join(words), "".join("s" + "n" * (len(w) - 1) for w in words)


# --- reading PDFs for the tests and for people: text per page, metadata, fonts, outline ----------

class PdfText(msgspec.Struct):
    """What a PDF says: text per page (pypdf's extraction, normalised) and its document info."""

    pages: list[str]
    metadata: dict[str, str]
    language: str | None
    outline: list[str] = []
    fonts: list[tuple[str, bool]] = []

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def read_pdf(path: str | Path | bytes) -> PdfText:
    reader = open_pdf(path)
    try:
        pages = [normalise(page.extract_text() or "") for page in reader.pages]
        meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
        outline: list[str] = []

        def walk(items: Any) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    outline.append(str(item.title))

        walk(reader.outline)
        fonts: dict[str, bool] = {}
        for page in reader.pages:
            _collect_fonts(page.get("/Resources"), fonts, set())
    except pypdf_errors() as exc:
        raise PdfError(f"the PDF is damaged and cannot be read: {exc}") from None
    return PdfText(pages, meta, _language(reader), outline, sorted(fonts.items()))


def _language(reader: Any) -> str | None:
    root: Any = reader.trailer["/Root"]
    lang = root.get("/Lang")
    return str(lang) if lang is not None else None


def _collect_fonts(resources: Any, found: dict[str, bool], seen: set[int]) -> None:
    """Font name -> embedded?, through pages and the form XObjects they use."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        embedded = False
        if descriptor is not None:
            d = descriptor.get_object()
            embedded = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        found[str(font.get("/BaseFont"))] = embedded
    for xobject in (resources.get("/XObject") or {}).values():
        ref = getattr(xobject, "idnum", -1)
        if ref in seen:
            continue
        seen.add(ref)
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _collect_fonts(xobject.get("/Resources"), found, seen)


# --- matching -------------------------------------------------------------------------------------

class _Expected:
    __slots__ = ("chars", "item", "repeats", "seps")

    def __init__(self, item: Printed) -> None:
        self.item = item
        self.chars, self.seps = compact(item.text)
        self.repeats = tuple(c for c in (compact(r)[0] for r in item.repeats) if c)


class Placed(msgspec.Struct):
    """Where a text of the printed stream was found: its first and last page (1-based)."""

    item: Printed
    first_page: int
    last_page: int


class Match(msgspec.Struct):
    """The outcome of :func:`match`: the problems, and where each text that was found is printed."""

    problems: list[Diagnostic]
    placed: list[Placed]
    pages: int


class _Body:
    """The pages' bodies read one after the other: characters, separators and page starts."""

    def __init__(self, pages: list[Page], ends: list[int]) -> None:
        chars, seps, self.starts = [], [], []
        at = 0
        for page, end in zip(pages, ends):
            self.starts.append(at)
            chars.append(page.chars[:end])
            seps.append("b" + page.seps[1:end] if end else "")  # a page starts on a new line
            at += end
        self.chars, self.seps = "".join(chars), "".join(seps)
        self.start_set = set(self.starts)
        # hyphens at the end of a line: the typesetter's (at a soft hyphen), or part of the text
        self.hyphens = [i for i in _positions(self.chars, _HYPHENS)
                        if i + 1 < len(self.seps) and self.seps[i + 1] == "b"]
        self.pages = pages

    def page_of(self, pos: int) -> int:
        """1-based number of the page that holds the character at ``pos``."""
        return max(1, bisect_right(self.starts, pos))

    def page_end(self, pos: int) -> int:
        k = bisect_right(self.starts, pos)
        return self.starts[k] if k < len(self.starts) else len(self.chars)

    def text(self, start: int, end: int) -> str:
        return spaced(self.chars, self.seps, start, end)

    def skip_repeats(self, pos: int, repeats: tuple[str, ...]) -> int:
        moved = True
        while moved and repeats:
            moved = False
            for r in repeats:
                end = self.printed_at(pos, r)
                if end >= 0:
                    pos = end
                    moved = True
        return pos

    def printed_at(self, pos: int, text: str) -> int:
        """Where ``text`` (compact: no spaces) ends if it is printed at ``pos``, a line's end
        allowed a hyphen the text does not have (a repeated header row's word hyphenated in its
        cell: "Характери-" / "стика"); -1 if it is not."""
        if self.chars.startswith(text, pos):
            return pos + len(text)
        got, gaps, size = self.chars, self.seps, len(self.chars)
        j = 0
        while j < len(text):
            if pos >= size:
                return -1
            if got[pos] == text[j]:
                pos, j = pos + 1, j + 1
            elif j and got[pos] in _HYPHENS and pos + 1 < size and gaps[pos + 1] == "b":
                pos += 1
            else:
                return -1
        return pos

    def seps_agree(self, a: int, b: int, expected: str, e: int) -> bool:
        """The PDF's separators in [a, b) agree with ``expected`` from ``e``: the same, or a line break."""
        got = self.seps[a:b]
        want = expected[e:e + (b - a)]
        if got == want:
            return True
        k = 0
        while True:
            nb = got.find("b", k)
            if nb < 0:
                return got[k:] == want[k:]
            if got[k:nb] != want[k:nb]:
                return False
            k = nb + 1

    def match(self, pos: int, exp: _Expected) -> int:
        """Where ``exp`` ends if it is printed at ``pos``; -1 if it is not."""
        end = self._match(pos, exp)
        if end < 0 and self.hyphens:
            k = bisect_right(self.hyphens, pos)
            if k < len(self.hyphens) and self.hyphens[k] < pos + len(exp.chars) + 64:
                return self._match_hyphenated(pos, exp)
        return end

    def _match_hyphenated(self, pos: int, exp: _Expected) -> int:
        """:meth:`match`, one character at a time, where a line may end in a hyphen the text does
        not have (the typesetter breaks a word at a soft hyphen and prints a hyphen there)."""
        chars, seps, n = exp.chars, exp.seps, len(exp.chars)
        got, gaps, size = self.chars, self.seps, len(self.chars)
        if exp.repeats and pos in self.start_set:
            pos = self.skip_repeats(pos, exp.repeats)
        j = 0
        while j < n:
            if j and pos in self.start_set:
                pos = self.skip_repeats(pos, exp.repeats)
            if pos >= size:
                return -1
            c = got[pos]
            if c == chars[j] and (j == 0 or gaps[pos] in ("b", seps[j])):
                pos, j = pos + 1, j + 1
            elif j and c in _HYPHENS and pos + 1 < size and gaps[pos + 1] == "b":
                pos += 1  # a hyphen at a line's end that the text does not have
            else:
                return -1
        return pos

    def match_row(self, pos: int, cells: list[list[_Expected]]) -> tuple[int, list[tuple[int, int]]] | None:
        """Where a table row split inside its cells ends if it is printed at ``pos``, and where each
        of its texts is (from the start of the first part that has some of it to the end of the
        last); None if it is not printed so.

        A split row prints, on each page, every cell's part in turn: cell 1 part 1, cell 2 part 1,
        (page break, repeated header), cell 1 part 2, cell 2 part 2, … Each cell's texts must be
        there in order and whole; a part may be empty (the cell is done, or starts overleaf), a
        part that does not finish its cell ends at the end of a line (or, a part of one line, where
        the next cell's part goes on beside it on the same baseline), the last part of a page ends
        the page, and every page the row runs over carries some of it."""
        repeats = cells[0][0].repeats
        state = [(0, 0)] * len(cells)  # per cell: the text being matched, characters of it matched
        parts: list[tuple[int, int, int, int, int]] = []  # cell, start, end, first and last text it has
        size = len(self.chars)
        while True:
            if pos in self.start_set:
                pos = self.skip_repeats(pos, repeats)
            limit = self.page_end(pos)
            chosen: list[tuple[int, int, tuple[int, int], tuple[int, int]]] = []
            end = self._page_parts(pos, limit, cells, state, chosen, [ROW_TRIES])
            if end is None or end == pos:
                return None  # not printed so, or a page with nothing of the row
            for c, (a, b, before, after) in enumerate(chosen):
                if b > a:
                    parts.append((c, a, b, before[0], after[0] if after[1] else after[0] - 1))
            state = [after for _, _, _, after in chosen]
            if all(j == len(cell) for (j, _), cell in zip(state, cells)):
                first = [0]
                for cell in cells:
                    first.append(first[-1] + len(cell))
                spans = [[size, -1] for _ in range(first[-1])]
                for c, a, b, j0, j1 in parts:
                    for j in range(j0, j1 + 1):
                        span = spans[first[c] + j]
                        span[0], span[1] = min(span[0], a), max(span[1], b)
                return end, [(a, b) for a, b in spans]
            if limit >= size:
                return None
            pos = end

    def _page_parts(self, pos: int, limit: int, cells: list[list[_Expected]], state: list[tuple[int, int]],
                    chosen: list[tuple[int, int, tuple[int, int], tuple[int, int]]], budget: list[int]) -> int | None:
        """The parts of the row's cells on one page, from ``pos``, the cells before
        ``len(chosen)`` being matched: where they end (None if they are not printed so), with each
        cell's part added to ``chosen`` as (start, end, state before, state after). A part is
        matched as far as it goes; where what follows does not fit (the next cell may begin with
        the words that continue this one), it is cut at an earlier line start instead. The parts
        end the row, or the page."""
        c = len(chosen)
        if c == len(cells):
            done = all(after[0] == len(cell) for (_, _, _, after), cell in zip(chosen, cells))
            return pos if done or pos == limit else None
        budget[0] -= 1
        if budget[0] < 0:
            return None
        cell = cells[c]
        j, o = state[c]
        cuts: list[tuple[int, int, int]] = []  # (position, text, character): the line starts passed
        at = pos
        while j < len(cell):
            exp = cell[j]
            at, o = self._prefix(at, limit, exp, o, cuts, j)
            if o < len(exp.chars):
                break
            j, o = j + 1, 0
        candidates = [cut for cut in reversed(cuts) if cut[0] < at]
        # a part ends with its cell, a line or a page; a part of one line may end where the next
        # cell's first line goes on beside it, on the same baseline
        one_line = self.seps[at] == "s" and "b" not in self.seps[pos + 1:at] if at < limit else False
        if j == len(cell) or at == limit or self.seps[at] == "b" or one_line:
            candidates.insert(0, (at, j, o))
        for end, cj, co in candidates:
            chosen.append((pos, end, state[c], (cj, co)))
            last = self._page_parts(end, limit, cells, state, chosen, budget)
            if last is not None:
                return last
            chosen.pop()
        return None

    def _prefix(self, pos: int, limit: int, exp: _Expected, o: int, cuts: list[tuple[int, int, int]],
                j: int) -> tuple[int, int]:
        """How far ``exp``, from its character ``o``, is printed at ``pos`` before ``limit``: the
        position and the character of ``exp`` reached (line-end hyphens allowed, as in a text).
        Each line start passed is added to ``cuts`` as (position, ``j``, character)."""
        chars, seps, n = exp.chars, exp.seps, len(exp.chars)
        got, gaps = self.chars, self.seps
        while o < n and pos < limit:
            c = got[pos]
            if gaps[pos] == "b":
                cuts.append((pos, j, o))
            if c == chars[o] and (o == 0 or gaps[pos] in ("b", seps[o])):
                pos, o = pos + 1, o + 1
            elif o and c in _HYPHENS and (pos + 1 >= limit or gaps[pos + 1] == "b"):
                pos += 1  # a hyphen at a line's end that the text does not have
            else:
                break
        return pos, o

    def _match(self, pos: int, exp: _Expected) -> int:
        chars, n = exp.chars, len(exp.chars)
        if exp.repeats and pos in self.start_set:
            pos = self.skip_repeats(pos, exp.repeats)
        j = 0
        while True:
            end = self.page_end(pos)
            take = min(n - j, end - pos)
            if take <= 0:
                return -1
            if not self.chars.startswith(chars if take == n else chars[j:j + take], pos):
                return -1
            if take > 1 and not self.seps_agree(pos + 1, pos + take, exp.seps, j + 1):
                return -1
            j += take
            pos += take
            if j == n:
                return pos
            pos = self.skip_repeats(pos, exp.repeats)  # a page break inside the text


_HYPHENS = "-\u2010"


def _positions(text: str, wanted: str) -> list[int]:
    out = []
    for ch in wanted:
        at = text.find(ch)
        while at >= 0:
            out.append(at)
            at = text.find(ch, at + 1)
    return sorted(out)


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "…"


# characters that print nothing a reader can see (format characters, joiners, variation selectors,
# fillers): two texts that differ only by them look the same, so a difference names them
_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u180b\u180c\u180d\u180e\u180f\u3164\uffa0"
                             + "".join(chr(c) for c in range(0xFE00, 0xFE10)))


def _invisible(ch: str) -> bool:
    return ch in _INVISIBLE_EXTRA or unicodedata.category(ch) == "Cf" or 0xE0100 <= ord(ch) <= 0xE01EF


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def _sep_differs(want_sep: str, got_sep: str) -> bool:
    """Do two separators disagree? A line break on the page agrees with a space or with nothing."""
    return got_sep != "b" and (want_sep == "n") != (got_sep == "n")


def _differing(want: str, want_seps: str, got: str, got_seps: str) -> tuple[str, str, str]:
    """Two compact texts (see :func:`compact`) shown where they differ: from a couple of words
    before the first character (or space) that differs ("…" for what comes before), a few words
    of each, invisible characters shown by their code point; and what the difference is when a
    reader cannot see it (a space, an invisible character), "" otherwise."""
    n = min(len(want), len(got))
    k = 0
    while k < n and want[k] == got[k] and (k == 0 or not _sep_differs(want_seps[k], got_seps[k])):
        k += 1
    shown_want, shown_got = _around(want, want_seps, k), _around(got, got_seps, k)
    notes: list[str] = []
    if 0 < k < n and want[k] == got[k]:  # the first difference is a space
        a = k - 1
        while a > 0 and want_seps[a] == "n":
            a -= 1
        b = k + 1
        while b < len(want) and want_seps[b] == "n":
            b += 1
        between = f"between '{want[a:k]}' and '{want[k:b]}'"
        if got_seps[k] == "n":
            notes.append(f"the content has a space {between}, the page has none")
        else:
            notes.append(f"the page has a space {between}, the content has none")
    for side, text, seps, other in (("the content", want, want_seps, got), ("the page", got, got_seps, want)):
        extra = [ch for ch in dict.fromkeys(text) if _invisible(ch) and text.count(ch) > other.count(ch)]
        if extra:
            at = text.index(extra[0])
            after = f" after '{spaced(text, seps, max(0, at - 12), at)}'" if at else " at the start"
            notes.append(f"{side} has {', '.join(map(_name, extra))} (invisible: it prints nothing){after}, "
                         f"{'the page' if side == 'the content' else 'the content'} has not")
    if not notes and shown_want == shown_got:  # pragma: no cover - a difference _around does not show
        notes.append("the texts differ in a way that does not show")
    return shown_want, shown_got, "; ".join(notes)


def _around(chars: str, seps: str, k: int, before: int = 2, width: int = 60) -> str:
    starts = [i for i in range(min(len(chars), k + width + 1)) if i == 0 or seps[i] != "n"]
    w = bisect_right(starts, k) - 1  # the word holding character k
    start = starts[max(0, w - before)] if starts else 0
    end = min(len(chars), start + width)
    while end < len(chars) and seps[end] == "n":  # to the end of a word
        end += 1
    out = ["…"] if start else []
    for i in range(start, end):
        if i > start and seps[i] != "n":
            out.append(" ")
        out.append(f"<U+{ord(chars[i]):04X}>" if _invisible(chars[i]) else chars[i])
    if end < len(chars):
        out.append("…")
    return "".join(out)


def match(doc: Document, pdf: str | Path | bytes, prescription: PrescriptionData | None = None,
          brand: Brand | None = None) -> Match:
    """Compare ``doc`` with the PDF; see the module's docstring. Raises :class:`PdfError` for a
    PDF that cannot be read and :class:`ContentError` for content that has no locale.

    With a ``prescription`` the PDF is a personalised leaflet: page 1 begins with its personal
    panel (:mod:`leaflet.text.panel`). No message quotes the panel's texts (patient data): a
    difference there names the field; text before the leaflet's first text on page 1 that the
    content does not have is never quoted either (the panel of a PDF verified without
    ``--rx``)."""
    lf = doc.leaflet
    try:
        strings = locale_for(lf.language, doc.locale_dirs).strings
        if doc.pseudo:  # a pseudo-localised leaflet prints its locale's strings pseudo-localised too
            from ..i18n.pseudo import pseudo_strings

            strings = pseudo_strings(strings, lf.language)
    except ResourceError as exc:
        raise ContentError([doc.source.map.place(Diagnostic(
            f"leaflet has no locale for language '{lf.language}'", ("language",), str(exc), code="locale"))]) from None
    reader = open_pdf(pdf)
    where = str(pdf) if not isinstance(pdf, bytes) else "<pdf>"
    pages = list(visible_pages(reader))
    total = len(pages)
    problems: list[Diagnostic] = []

    def pdf_problem(message: str, hint: str) -> None:
        problems.append(Diagnostic(message, (), hint, file=where, code="verify"))

    # furniture: every page ends with it
    ends = []
    for page in pages:
        end = len(page.chars)
        absent: list[str] = []
        for piece in reversed(furniture(lf, strings, page.number, total, brand)):
            c = compact(piece)[0]
            if not c:
                continue
            if page.chars.endswith(c, 0, end):
                end -= len(c)
                continue
            at = page.chars.rfind(c, max(0, end - len(c) - FURNITURE_GAP), end)
            if at >= 0:  # there, but followed by text that does not belong (a wrong page number …)
                junk = _shown(page.text(at + len(c), end))
                if absent:
                    absent[-1] += f" (the page has '{junk}' in its place)"
                else:
                    absent.append(f"'{junk}' after {_shown(piece)!r}, where nothing belongs")
                end = at
                continue
            why = _hidden_reason(page, c)
            absent.append(repr(_shown(piece)) + (f" (there, but a reader cannot see it: {why})" if why else ""))
        ends.append(end)
        if absent:
            pdf_problem(f"page {page.number} of {total} lacks its header or footer: {'; '.join(reversed(absent))}",
                        "every page must carry the disclaimer, the revision line and 'Page X of Y' "
                        "(and the running header from page 2)")
    for page in pages:
        for annotation in page.annotations:
            pdf_problem(f"page {page.number} has an annotation drawn over it: {annotation}",
                        "leaflet writes no annotations but links: the PDF was changed after it was built")
    body = _Body(pages, ends)
    expected = [_Expected(item) for item in printed_stream(lf, strings, prescription, brand=brand)]
    expected = [e for e in expected if e.chars]

    placed: list[tuple[int, int] | None] = [None] * len(expected)
    missing: list[tuple[int, int]] = []  # (index, position where it was expected)
    unexpected: list[tuple[int, int]] = []  # (start, end) in body.chars
    pos, i, n = 0, 0, len(expected)
    searches = [FAILED_SEARCHES]
    size = len(body.chars)
    tried: set[int] = set()  # table rows tried as split inside their cells
    while i < n:
        exp = expected[i]
        end = body.match(pos, exp)
        if end >= 0:
            placed[i] = (pos, end)
            pos, i = end, i + 1
            continue
        split = _split_row(body, expected, placed, i, pos, tried)
        if split is not None:
            pos, i = split
            continue
        ahead = _find_ahead(body, exp, pos, searches)
        skip = _find_skip(body, expected, i, pos)
        cost_ahead = ahead - pos if ahead >= 0 else size + 1
        cost_skip = sum(len(expected[k].chars) for k in range(i, skip)) if skip >= 0 else size + 1
        if ahead < 0 and skip < 0:
            missing.append((i, pos))
            i += 1
        elif cost_ahead <= cost_skip:
            unexpected.append((pos, ahead))
            pos = ahead
        else:
            missing.extend((k, pos) for k in range(i, skip))
            i = skip
        if len(missing) + len(unexpected) > 20 * MAX_PROBLEMS:  # hopelessly different: stop early
            missing.extend((k, pos) for k in range(i, n))
            break
    if pos < size:
        unexpected.append((pos, size))

    found = _report(doc, where, body, expected, placed, missing, unexpected)
    found = _private(found, expected, placed, body, where)
    problems.extend(d for _, d in sorted(found, key=lambda pair: pair[0]))  # in the order of the pages
    lang = _language(reader)
    if lang != lf.language:
        problems.append(Diagnostic(
            f"the PDF's language (/Lang) is {lang!r}, the content says {lf.language!r}",
            ("language",), "build the PDF again from this file", file=where, code="verify"))
    out = [Placed(expected[k].item, body.page_of(span[0]), body.page_of(span[1] - 1))
           for k, span in enumerate(placed) if span is not None]
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [Diagnostic(
            f"… and {more} more difference{'s' if more != 1 else ''} not listed", (), "", file=where, code="verify")]
    return Match(problems, out, total)


def _private(found: list[tuple[int, Diagnostic]], expected: list[_Expected], placed: list[tuple[int, int] | None],
             body: _Body, where: str) -> list[tuple[int, Diagnostic]]:
    """``found`` with no patient data in it: a difference in the personal panel names the field,
    and text the content does not have before its first text on page 1 is not quoted. The panel's
    own texts (its labels, and the medicine's name and brands, which are the leaflet's) come before
    its last value: they never count as the content's first text, so no text between them is quoted."""
    panel_end = max((k for k, e in enumerate(expected) if is_private(e.item.path)), default=-1)
    first = next((span[0] for k, span in enumerate(placed) if span is not None and k > panel_end),
                 len(body.chars))
    out = []
    for at, d in found:
        if d.path and is_private(d.path):
            field = d.path[1] if len(d.path) > 1 else "prescription"
            d = Diagnostic(f"the personal panel does not print the prescription's '{field}' as it should (page 1)",
                           (field,), "build the PDF again from this content and prescription (verify --rx names "
                           "the prescription it was built from)", file=where, code="verify")
        elif not d.path and at < first and body.page_of(at) == 1:
            d = Diagnostic("page 1 prints text before the leaflet's first text that is not in the content (not "
                           "shown: it may be a personal panel's patient data)", (),
                           "a personalised leaflet is verified with its prescription: leaflet verify CONTENT.yaml "
                           "PDF --rx rx.yaml", file=where, code="verify")
        out.append((at, d))
    return out


def _split_row(body: _Body, expected: list[_Expected], placed: list[tuple[int, int] | None], i: int, pos: int,
               tried: set[int]) -> tuple[int, int] | None:
    """Where the table row of ``expected[i]`` (a text that is not printed at ``pos``) ends, and the
    index after it, if the row is printed split inside its cells from its first text on (see
    :meth:`_Body.match_row`); then its texts are placed. None if it is not (or not in a row)."""
    row = expected[i].item.row
    if not row or row in tried:
        return None
    tried.add(row)
    first = i
    while first > 0 and expected[first - 1].item.row == row:
        first -= 1
    if first < i:  # the row's first texts were matched as printed whole: start where they start
        span = placed[first]
        if span is None or any(placed[k] is None for k in range(first, i)):
            return None
        pos = span[0]
    last = i
    while last < len(expected) and expected[last].item.row == row:
        last += 1
    cells: list[list[_Expected]] = []
    for k in range(first, last):
        if not cells or expected[k].item.cell != expected[k - 1].item.cell:
            cells.append([])
        cells[-1].append(expected[k])
    if len(cells) < 2:
        return None  # one cell: it reads in order, split or not
    found = body.match_row(pos, cells)
    if found is None:
        return None
    end, spans = found
    for k, span in zip(range(first, last), spans):
        placed[k] = span
    return end, last


def _find_ahead(body: _Body, exp: _Expected, pos: int, searches: list[int]) -> int:
    """The nearest position after ``pos`` where ``exp`` is printed, or -1."""
    probe = exp.chars[:32]
    limit = len(body.chars) if searches[0] > 0 else min(len(body.chars), pos + NEAR)
    q = body.chars.find(probe, pos + 1, limit)
    tries = 0
    while q >= 0 and tries < 64:
        if body.match(q, exp) >= 0:
            return q
        tries += 1
        q = body.chars.find(probe, q + 1, limit)
    searches[0] -= 1
    return -1


def _find_skip(body: _Body, expected: list[_Expected], i: int, pos: int) -> int:
    """The first author's text after ``i`` (within SKIP_AHEAD) printed at ``pos``, or -1."""
    for j in range(i + 1, min(len(expected), i + 1 + SKIP_AHEAD)):
        if not expected[j].item.generated and body.match(pos, expected[j]) >= 0:
            return j
    return -1


def _hidden_reason(page: Page, chars: str) -> str:
    """Why a reader cannot see ``chars`` on ``page`` (if the page has it as hidden text), else ''."""
    if not chars or not page.hidden:
        return ""
    joined, offsets = "", []
    for text, _ in page.hidden:
        offsets.append(len(joined))
        joined += text
    at = joined.find(chars)
    if at < 0:
        return ""
    return page.hidden[bisect_right(offsets, at) - 1][1]


_MARKS_SPACED = re.compile(r"^(?:[•–·,:\s]|\d+\.\s)+|(?:\s[•–·,:]|\s\d+\.|\s)+$")
_MARKS = re.compile(r"^(?:[•–·,:]|\d+\.)+|(?:[•–·,:]|\d+\.)+$")


class _Tiles:
    """Finds the content's texts inside a stretch of unexpected PDF text (printed twice, or out of order)."""

    KEY = 12
    MAX_TILED = 20_000  # characters of one stretch looked at this way; the rest is reported as it is

    def __init__(self, expected: list[_Expected]) -> None:
        self.expected = expected
        self.long: dict[str, list[int]] = {}
        self.short: dict[str, list[int]] = {}
        for k, exp in enumerate(expected):
            if len(exp.chars) >= self.KEY:
                self.long.setdefault(exp.chars[:self.KEY], []).append(k)
            elif len(exp.chars) >= 2:
                self.short.setdefault(exp.chars, []).append(k)
        self.short_lengths = sorted({len(c) for c in self.short}, reverse=True)

    def tile(self, body: _Body, start: int, end: int,
             missing: dict[int, int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(text index, position) of each text found in [start, end), and the stretches left over."""
        hits: list[tuple[int, int]] = []
        leftover: list[tuple[int, int]] = []
        q, limit, loose = start, min(end, start + self.MAX_TILED), -1
        chars = body.chars
        while q < limit:
            hit = -1
            candidates = list(self.long.get(chars[q:q + self.KEY], ()))
            for n in self.short_lengths:
                if q + n <= end:
                    candidates += self.short.get(chars[q:q + n], ())
            candidates.sort(key=lambda k: k not in missing)  # a missing text first: then it is only moved
            for k in candidates:
                e = body.match(q, self.expected[k])
                if q < e <= end:
                    hit = k
                    break
            if hit < 0:
                if loose < 0:
                    loose = q
                q += 1
                continue
            if loose >= 0:
                leftover.append((loose, q))
                loose = -1
            hits.append((hit, q))
            q = e
        if loose >= 0 or q < end:
            leftover.append((loose if loose >= 0 else q, end))
        return hits, leftover


def _report(doc: Document, where: str, body: _Body, expected: list[_Expected], placed: list[tuple[int, int] | None],
            missing: list[tuple[int, int]], unexpected: list[tuple[int, int]]) -> list[tuple[int, Diagnostic]]:
    """The differences found, each with the position in the PDF's body it is about."""
    found: list[tuple[int, Diagnostic]] = []

    def content_problem(at: int, message: str, path: tuple[Any, ...], hint: str) -> None:
        found.append((at, doc.source.map.place(Diagnostic(message, path, hint, code="verify"))))

    def pdf_problem(at: int, message: str, hint: str) -> None:
        found.append((at, Diagnostic(message, (), hint, file=where, code="verify")))

    hint_missing = "the text is missing or altered on the page: build the PDF again from this file"
    hint_hidden = (f"text counts only where a reader can see it: on the page, not invisible, at least "
                   f"{min_size():g} pt and with a contrast of at least 4.5:1")
    explained: set[int] = set()
    missing_at = dict(missing)
    tiles = _Tiles(expected) if unexpected else None
    for start, end in unexpected:
        page = body.page_of(start)
        assert tiles is not None
        hits, leftover = tiles.tile(body, start, end, missing_at)
        authored = [(k, q) for k, q in hits if not expected[k].item.generated]
        if not authored or any(_MARKS.sub("", body.chars[a:b]) for a, b in leftover):
            # not made of the content's texts (only of labels, or with other text between them):
            # all of it is text the content does not have
            hits, authored, leftover = [], [], [(start, end)]
        moved = [(k, q) for k, q in authored if k in missing_at and k not in explained]
        again = [(k, q) for k, q in authored if k not in missing_at]
        for group, kind in ((moved, "moved"), (again, "again")):
            if not group:
                continue
            k, q = group[0]
            exp = expected[k]
            more = f", and {len(group) - 1} more text{'s' if len(group) > 2 else ''} after it" if len(group) > 1 else ""
            if kind == "moved":
                explained.update(k for k, _ in group)
                expected_page = body.page_of(missing_at[k])
                where_ = f"page {page}" + (f", expected on page {expected_page}" if expected_page != page else "")
                content_problem(q, f"printed out of order ({where_}): '{_shown(exp.item.text)}'{more}", exp.item.path,
                                "the PDF prints the content's texts in another order than this file")
            else:
                span = placed[k]
                first = body.page_of(span[0]) if span else page
                content_problem(q, f"printed twice (page {first} and page {page}): '{_shown(exp.item.text)}'{more}",
                                exp.item.path, "each text of the content prints once")
        for a, b in leftover:
            shown = _MARKS_SPACED.sub("", body.text(a, b))
            if not _MARKS.sub("", "".join(shown.split())):
                continue  # only bullets, numbers or punctuation between texts that are explained
            instead = [k for k, at in missing if at == a and k not in explained and not expected[k].item.generated]
            if instead:  # the PDF has other text where this one belongs: one text altered
                k = instead[0]
                explained.add(k)
                want, got, unseen = _differing(expected[k].chars, expected[k].seps, body.chars[a:b], body.seps[a:b])
                content_problem(a, f"not printed in the PDF as written: '{want}'; page "
                                f"{body.page_of(a)} has '{got}' in its place" + (f" ({unseen})" if unseen else ""),
                                expected[k].item.path,
                                "the text is altered on the page: build the PDF again from this file")
            else:
                pdf_problem(a, f"page {body.page_of(a)} prints text that is not in the content: '{_shown(shown)}'",
                            "the PDF was built from other content, or changed after it was built")
    # missing texts, in runs of consecutive ones
    runs: list[list[tuple[int, int]]] = []
    for k, at in missing:
        if runs and runs[-1][-1][0] == k - 1:
            runs[-1].append((k, at))
        else:
            runs.append([(k, at)])
    for run in runs:
        # a run's bullets and labels go with its texts: reported with them, or (moved) not at all
        authored = [(k, at) for k, at in run if not expected[k].item.generated]
        if authored:
            authored = [(k, at) for k, at in authored if k not in explained]
            if not authored:
                continue
        else:
            authored = run
        k, at = authored[0]
        exp = expected[k]
        page = body.page_of(at) if body.chars else 1
        hidden = ""
        for p in (page, page + 1, page - 1):
            if 1 <= p <= len(body.pages):
                hidden = _hidden_reason(body.pages[p - 1], exp.chars)
                if hidden:
                    page = p
                    break
        what = "the layout's text" if exp.item.generated else "not printed in the PDF"
        if hidden:
            message = f"on page {page} but a reader cannot see it ({hidden}): '{_shown(exp.item.text)}'"
        else:
            message = f"{what} (expected on page {page}): '{_shown(exp.item.text)}'"
            if exp.item.generated:
                message = f"the layout's '{_shown(exp.item.text)}' is not printed (expected on page {page})"
        if len(authored) > 1:
            last = expected[authored[-1][0]].item
            message += f", and {len(authored) - 1} more text{'s' if len(authored) > 2 else ''} after it, " \
                       f"up to '{_shown(last.text)}'"
        content_problem(at, message, exp.item.path, hint_hidden if hidden else hint_missing)
    return found


def verify(doc: Document, pdf: str | Path | bytes, prescription: PrescriptionData | None = None, *,
           brand: Brand | None = None) -> list[Diagnostic]:
    """Problems found comparing ``doc`` with the PDF; an empty list means it prints all of it, in order.
    ``prescription``: the PDF is a personalised leaflet built with it (its panel is checked too);
    ``brand``: the clinic's brand it was built with (its name and footer line are checked too)."""
    return match(doc, pdf, prescription, brand).problems
