"""A word wider than its line breaks with a visible hyphen, never silently.

ReportLab cuts a word wider than the line (``splitLongWords``) at whatever character fits,
without a hyphen: "Характерис" at a line's end and "тика" on the next read as two non-words.
A paragraph style of leaflet carries a :class:`Hyphenator` as its ``hyphenationLang`` (ReportLab
accepts a callable), and :func:`install` wraps ReportLab's ``_hyphenateWord`` and
``_hyphenateFragWord`` (which it asks, for each word that does not fit at a line's end, where to
split it) so that:

- a word that fits on a line of its own is never hyphenated (it moves whole to the next line),
  unless the leaflet asks for hyphenation (``options.hyphenate``: then ReportLab hyphenates it by
  the language's dictionary, as before);
- a word wider than its line is broken where a typesetter would: after a hyphen of its own (no
  hyphen added), else at a hyphenation point of the leaflet's language (pyphen's dictionary) with
  a hyphen, else — as a last resort, on a line of its own — after a character, with a hyphen
  (at least two characters on each side where the line allows). The longest head that fits is
  taken; when none fits after the words already on the line, the word starts the next line.
- a word with a digit or a sign in it ("10mg", "B12", "1,000,000"), a web address (it breaks at
  its own points, :mod:`.links`) and a word of a script written without hyphens (Hangul; CJK
  and right-to-left paragraphs have their own line breakers, :mod:`.linebreak`, :mod:`.bidipara`)
  never get a hyphen: they are left to ReportLab, which cuts them where they must be cut.

Nothing is added to the text but the hyphen drawn at the line's end: a paragraph split over two
pages rejoins the word without it, and ``leaflet verify`` reads "Характе-" + "ристика" as the word.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as _rl_paragraph

_FUZZ = 1e-6
MIN_PART = 2  # characters each side of a break at a character, where the line allows
LONGEST_WORD = 64  # letters: a longer word is looked up in no dictionary (it has none of its points)
_ORIGINAL = "_leaflet_original_hyphenation"


class Hyphenator:
    """A paragraph style's hyphenation: the leaflet's language (a BCP 47 tag, for its pyphen
    dictionary, looked up when a word first needs it) and whether every word at a line's end may
    be hyphenated (``options.hyphenate``) or only one wider than its line."""

    def __init__(self, language: str, every_word: bool = False) -> None:
        self.language, self.every_word = language, every_word
        self._dictionary: Any = None

    def _pyphen(self) -> Any:
        if self._dictionary is None:
            self._dictionary = False
            if self.language:
                import pyphen  # only when a word needs it: importing reads its list of dictionaries

                found = pyphen.language_fallback(self.language.replace("-", "_"))
                if found:
                    self._dictionary = pyphen.Pyphen(lang=found)
        return self._dictionary

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        """The (head, tail) pairs of ``word`` at its hyphenation points, the longest head first
        (what ReportLab asks of ``hyphenationLang``)."""
        dictionary = self._pyphen()
        return iter(dictionary.iterate(word)) if dictionary else iter(())

    def points(self, core: str) -> list[tuple[int, bool]]:
        """Where a word too wide for its line may break before any character: (position, whether
        a hyphen is added), the longest head first — after its own hyphens, and at its dictionary's
        points (in a word of at most :data:`LONGEST_WORD` letters: a longer one is no word of a
        dictionary)."""
        found: dict[int, bool] = {}
        start = 0
        for part in core.split("-"):
            if part and len(part) <= LONGEST_WORD:
                for head, _tail in self(part):
                    found[start + len(head)] = True
            start += len(part) + 1
            if start < len(core):
                found[start] = False  # after the word's own hyphen
        return sorted(found.items(), reverse=True)


def hyphenator_for(leaflet: Any) -> Hyphenator:
    """A leaflet's :class:`Hyphenator`: its language's, hyphenating every word with
    ``options.hyphenate`` (see :func:`.linebreak.hyphenation_language`)."""
    from .linebreak import hyphenation_language

    return Hyphenator(leaflet.language, every_word=bool(hyphenation_language(leaflet)))


def may_hyphenate(core: str) -> bool:
    """May a visible hyphen break this word: letters (and marks) only, with its own hyphens, and
    of a script that hyphenates (not Hangul, not CJK, not right to left)."""
    if not core or core[0] == "-" or core[-1] == "-" or "--" in core:
        return False
    for ch in core:
        if ch == "-":
            continue
        if not (ch.isalpha() or unicodedata.combining(ch)):
            return False
        o = ord(ch)
        if o >= 0x1100 and (0x1100 <= o <= 0x11FF or 0x2E80 <= o or 0x3130 <= o <= 0x318F):
            return False  # Hangul jamo, CJK, Hangul syllables and the rest of the wide scripts
        if unicodedata.bidirectional(ch) in ("R", "AL"):
            return False
    return True


def affixes(word: str) -> tuple[str, str, str]:
    """(leading punctuation, the word, trailing punctuation), as ReportLab's hyphenation sees them."""
    m = _rl_paragraph._hy_pfx_pat.match(word)
    pfx = m.group(0) if m else ""
    rest = word[len(pfx):]
    m = _rl_paragraph._hy_sfx_pat.search(rest)
    sfx = m.group(0) if m else ""
    core = rest[: len(rest) - len(sfx)]
    if core.endswith("-") and not core.endswith("--"):  # the head of a word a page break split (ReportLab's)
        core, sfx = core[:-1], "-" + sfx
    return pfx, core, sfx


def _longest(candidates: Sequence[int], fits: Callable[[int], bool]) -> int | None:
    """The first of ``candidates`` (positions, the longest head first) for which the head ``fits``
    (a head's width grows with its length: found by bisection, for a word of thousands of
    letters)."""
    lo, hi = 0, len(candidates)
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(candidates[mid]):
            hi = mid
        else:
            lo = mid + 1
    return candidates[lo] if lo < len(candidates) else None


def break_long(hyphenator: Hyphenator, word: str, room: float, at_start: bool,
               width: Callable[[str], float]) -> tuple[str, str] | None:
    """Where to break ``word``, too wide for its line: (head as printed, hyphen included; tail), the
    head at most ``room`` wide; ``("", word)`` when it should start the next line; None when it
    may not take a hyphen (left to ReportLab)."""
    pfx, core, sfx = affixes(word)
    if not may_hyphenate(core):
        return None
    points = hyphenator.points(core)
    added = dict(points)

    def head(at: int, hyphen: bool = True) -> str:
        return pfx + core[:at] + ("-" if hyphen else "")

    at = _longest([p for p, _ in points], lambda p: width(head(p, added[p])) <= room + _FUZZ)
    if at is not None:
        return head(at, added[at]), core[at:] + sfx
    if not at_start:
        return "", word
    # the last resort, on a line of its own: after a character (not beside a hyphen of the word's)
    n = len(core)
    for low, high in ((MIN_PART, n - MIN_PART), (1, n - 1)):  # two letters each side, else one
        candidates = [i for i in range(high, low - 1, -1) if core[i - 1] != "-" and core[i] != "-"]
        at = _longest(candidates, lambda i: width(head(i)) <= room + _FUZZ)
        if at is not None:
            return head(at), core[at:] + sfx
    return None


def _is_address(word: str) -> bool:
    """A web address, an e-mail address, or a piece of an address carried over to the next line
    (it breaks at its own points, never with a hyphen: see :mod:`.links`)."""
    from .links import _is_rest

    return "/" in word or "." in word.strip(".") or "@" in word or _is_rest(word)


def _hyphenate_word(hyphenator: Any, fontName: str, fontSize: float, w: Any, ww: float, newWidth: float,
                    maxWidth: float, uriWasteReduce: Any, embeddedHyphenation: Any, *args: Any) -> Any:
    original = getattr(_rl_paragraph, _ORIGINAL)[0]
    if not isinstance(hyphenator, Hyphenator):
        return original(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, uriWasteReduce,
                        embeddedHyphenation, *args)
    if ww <= maxWidth + _FUZZ or _is_address(w) or _rl_paragraph.isBidiStr(w):
        return original(hyphenator if hyphenator.every_word else None, fontName, fontSize, w, ww, newWidth,
                        maxWidth, uriWasteReduce, embeddedHyphenation, *args)
    room = maxWidth - (newWidth - ww)
    found = break_long(hyphenator, str(w), room, room >= maxWidth - _FUZZ,
                       lambda s: stringWidth(s, fontName, fontSize))
    if found is None:
        return None
    head, tail = found
    # (an empty head, the word moving to the next line, is a hyphenated one too for a rejoin, which
    # takes the hyphens off the pieces of a word that starts with one: "" less its last is "")
    return [_rl_paragraph._SplitWordHY(head) if head.endswith("-") or not head else _rl_paragraph._SplitWordH(head),
            _rl_paragraph._SplitWordEnd(tail)]


def _hyphenate_frag_word(hyphenator: Any, FW: Any, newWidth: float, maxWidth: float, uriWasteReduce: Any,
                         embeddedHyphenation: Any, *args: Any) -> Any:
    original = getattr(_rl_paragraph, _ORIGINAL)[1]
    if not isinstance(hyphenator, Hyphenator):
        return original(hyphenator, FW, newWidth, maxWidth, uriWasteReduce, embeddedHyphenation, *args)
    ww = FW[0]
    text = "".join(str(t) for _f, t in FW[1:])
    if ww <= maxWidth + _FUZZ or _is_address(text):
        return original(hyphenator if hyphenator.every_word else None, FW, newWidth, maxWidth, uriWasteReduce,
                        embeddedHyphenation, *args)
    if len(FW) != 2:  # a word in several fonts: at its dictionary's points, by ReportLab
        return original(hyphenator, FW, newWidth, maxWidth, uriWasteReduce, embeddedHyphenation, *args)
    f, s = FW[1]
    room = maxWidth - (newWidth - ww)
    found = break_long(hyphenator, str(s), room, room >= maxWidth - _FUZZ,
                       lambda t: stringWidth(t, f.fontName, f.fontSize))
    if found is None:
        return None
    head, tail = found
    # (an empty head, the word moving to the next line, has no hyphen for a rejoin to take off)
    head_kind = _rl_paragraph._SplitFragHY if head.endswith("-") else _rl_paragraph._SplitFragH
    tail_kind = _rl_paragraph._SplitFragHS if isinstance(FW, _rl_paragraph._HSFrag) else _rl_paragraph._SplitFrag
    return [head_kind([stringWidth(head, f.fontName, f.fontSize), (f, head)]),
            tail_kind([stringWidth(tail, f.fontName, f.fontSize), (f, tail)])]


def install() -> None:
    """Wrap ReportLab's hyphenation so that a :class:`Hyphenator` style breaks over-long words
    with a hyphen (idempotent)."""
    if not hasattr(_rl_paragraph, _ORIGINAL):
        setattr(_rl_paragraph, _ORIGINAL, (_rl_paragraph._hyphenateWord, _rl_paragraph._hyphenateFragWord))
    _rl_paragraph._hyphenateWord = _hyphenate_word
    _rl_paragraph._hyphenateFragWord = _hyphenate_frag_word


install()
