"""Words cut over two lines without a hyphen, found by reading the PDF back with poppler.

A patient reads "Характерис" at a line's end and "тика" at the next line's start as two
non-words: the text is silently altered on the page. :func:`find_cuts` reads a PDF's words
with ``pdftotext -bbox`` (an independent reader: nothing here comes from leaflet's layout),
groups them into lines of text (a run of words on one baseline, apart from the run beside it in
the next table cell or column), and for each line finds the next line of the same paragraph (the
run just below it that starts where it starts: at its left edge, or its right one in a
right-to-left leaflet). The line's last fragment and the next line's first fragment are a cut
word when, joined, they make a word of the source texts (the leaflet, its locale's strings, the
prescription and the brand) and the source never has the two side by side as words of their own
("in" + "to" is not a cut when the text says "in to" somewhere). A line ending in a hyphen is a
word hyphenated, not cut. Chinese and Japanese fragments are left out (their lines break between
characters), and so are the parts of a web address (it breaks at its own points, never with a
hyphen): :func:`find_cuts` returns those apart, as ``addresses``.

Used by tests/test_long_words.py and tools/cut_words.py.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .pdfgeom import Word, read_words

_TOKEN = re.compile(r"\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_HYPHENS = "-\u2010\u2011\u00ad"


def _plain(text: str) -> str:
    """Compatibility forms (Arabic presentation forms, ligatures) to their letters, without
    combining marks (poppler may put an Arabic vowel mark before its letter), case folded."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _cjk(text: str) -> bool:
    return any(ord(ch) >= 0x2E80 and unicodedata.east_asian_width(ch) in "WFH" for ch in text)


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


@dataclass(frozen=True)
class Source:
    """The words of the source texts, the pairs of words written side by side, and the words of
    their web addresses."""

    words: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    address_words: frozenset[str]

    @classmethod
    def of(cls, texts: list[str]) -> Source:
        words: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        address: set[str] = set()
        for text in texts:
            text = _plain(text)
            for url in _URL.findall(text):
                address.update(_TOKEN.findall(url))
            tokens = _TOKEN.findall(_URL.sub(" ", text))
            words.update(tokens)
            pairs.update(itertools.pairwise(tokens))
        return cls(frozenset(words), frozenset(pairs), frozenset(address - words))

    @classmethod
    def files(cls, *paths: Path | None) -> Source:
        return cls.of([p.read_text(encoding="utf-8") for p in paths if p is not None])


@dataclass(frozen=True)
class Cut:
    page: int
    head: str  # the fragment at the line's end, as printed
    tail: str  # the fragment that starts the next line

    def __str__(self) -> str:
        return f"page {self.page}: {self.head!r} / {self.tail!r}"


@dataclass
class _Run:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)


def _runs(words: list[Word]) -> list[_Run]:
    """A page's words as runs: words on one baseline (bottom edge within 1.5 pt), each within
    0.4 of its height of the last (a space; a table cell's padding or a column gap is wider)."""
    runs: list[_Run] = []
    for w in sorted(words, key=lambda w: (round(w.y1), w.x0)):
        line = [r for r in runs if abs(r.words[-1].y1 - w.y1) <= 1.5
                and 0 <= w.x0 - r.words[-1].x1 + 0.5 <= 0.4 * (w.y1 - w.y0)]
        if line:
            line[-1].words.append(w)
        else:
            runs.append(_Run([w]))
    return runs


def _next_line(run: _Run, runs: list[_Run], rtl: bool) -> _Run | None:
    """The run just below ``run`` that starts where it (or the word after its bullet) starts."""
    height = run.y1 - run.y0
    edges = [w.x1 if rtl else w.x0 for w in (run.words[-2:] if rtl else run.words[:2])]
    below = [r for r in runs if run.y1 - 0.3 * height < r.y0 < run.y1 + 0.6 * height
             and any(abs((r.x1 if rtl else r.x0) - e) <= 1.5 for e in edges)]
    return min(below, key=lambda r: r.y0, default=None)


def _glued(words: list[Word], rtl: bool) -> list[str]:
    """The run's words as read: touching boxes (poppler parts a word at an Arabic mark) joined;
    right-to-left text (which poppler gives in the order drawn) reversed, read from the right."""
    out: list[tuple[Word, str]] = []
    for w in words:
        text = w.text[::-1] if _rtl(w.text) else w.text
        if out and w.x0 - out[-1][0].x1 < 0.3:
            prev = out[-1][0]
            glued = text + out[-1][1] if rtl else out[-1][1] + text
            out[-1] = (Word(prev.x0, prev.y0, w.x1, w.y1, glued), glued)
        else:
            out.append((w, text))
    texts = [t for _, t in out]
    return texts[::-1] if rtl else texts


def find_cuts(pdf: Path, source: Source, rtl: bool = False) -> tuple[list[Cut], list[Cut]]:
    """The words of ``pdf`` cut over two lines without a hyphen, and (apart) the web addresses
    broken inside a word of theirs (which never get a hyphen)."""
    cuts: list[Cut] = []
    addresses: list[Cut] = []
    for page in read_words(pdf):
        runs = _runs(page.words)
        for run in runs:
            nxt = _next_line(run, runs, rtl)
            if nxt is None:
                continue
            head_text, tail_text = _glued(run.words, rtl)[-1], _glued(nxt.words, rtl)[0]
            head, tail = _plain(head_text), _plain(tail_text)
            if not head or not tail or head[-1] in _HYPHENS or _cjk(head[-1]) or _cjk(tail[0]):
                continue
            a = _TOKEN.search(head[::-1])
            b = _TOKEN.match(tail)
            if a is None or a.start() != 0 or b is None:
                continue  # the line ends in punctuation, or the next starts with it
            left, right = a.group()[::-1], b.group()
            joined = left + right
            if (left, right) in source.pairs:
                continue
            if joined not in source.words and joined not in source.address_words:
                continue
            address = joined not in source.words or "/" in head_text or "." in head_text.rstrip(".")
            (addresses if address else cuts).append(Cut(page.number, head_text, tail_text))
    return cuts, addresses
