"""Bidirectional text (Unicode UAX #9): embedding levels and the visual order of a line.

The levels come from python-bidi, which wraps the Rust crate ``unicode-bidi`` (a complete
UAX #9, isolates U+2066–U+2069 included; python-bidi's older pure-Python algorithm refuses
isolates). python-bidi publishes only ``get_display``; its ``debug`` output is the crate's
``BidiInfo``, whose ``levels`` (one per byte of the UTF-8 text) are the resolved levels of rules
X1–I2. :func:`levels` reads them from there (tests/test_bidi.py checks that what it reads gives
``get_display``'s own order). A paragraph's levels are resolved once, over the whole paragraph;
each line is then put in visual order by rules L1 and L2 (:func:`visual_order`), so that a
break between lines never changes how a number or a Latin word is resolved.

No ReportLab here: the typesetter (:mod:`leaflet.typeset.shaping`) asks this module for levels
and orders, and shapes and draws the runs.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Explicit directional formatting characters and marks: they steer the algorithm and print
# nothing (the isolates and marks an author may write in a right-to-left leaflet, the
# embeddings and overrides that the input rules refuse, and ALM).
CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NO_CONTROLS = dict.fromkeys(map(ord, CONTROLS))  # str.translate: a set, not a compiled class (start-up time)
# Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko … and their presentation forms).
_RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def needs_bidi(text: str) -> bool:
    """Does ``text`` hold right-to-left letters or directional controls (so that left-to-right
    drawing would show it in the wrong order, or print a control)?"""
    return _RTL_RE.search(text) is not None or not CONTROLS.isdisjoint(text)


def has_rtl_letters(text: str) -> bool:
    """Does ``text`` hold a strong right-to-left character (a letter a reader knows runs right to left)?"""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def strip_controls(text: str) -> str:
    """``text`` without directional controls and marks (as it reads back from the page)."""
    return text if CONTROLS.isdisjoint(text) else text.translate(_NO_CONTROLS)


@lru_cache(maxsize=4096)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The resolved embedding level of each character of one paragraph (no line breaks in it),
    its base direction given (``rtl``: level 1, else 0). Even levels run left to right, odd ones
    right to left."""
    if not text:
        return ()
    if not rtl and not needs_bidi(text):
        return (0,) * len(text)
    from bidi import get_display  # python-bidi: only for right-to-left text

    info = get_display(text, base_dir="R" if rtl else "L", debug=True)
    start = info.find("levels: [")
    end = info.find("]", start)
    if start < 0 or end < 0:  # pragma: no cover - guarded by tests/test_bidi.py
        raise RuntimeError("python-bidi's debug output has no levels: this version of python-bidi is not supported")
    per_byte = [int(v) for v in _LEVEL.findall(info, start, end)]
    out: list[int] = []
    pos = 0
    for ch in text:
        out.append(per_byte[pos])
        pos += len(ch.encode("utf-8"))
    if pos != len(per_byte):  # pragma: no cover - guarded by tests/test_bidi.py
        raise RuntimeError("python-bidi's levels do not match the text: this version of python-bidi is not supported")
    return tuple(out)


def _resets(ch: str) -> bool:
    """Rule L1: white space and isolate controls at the end of a line take the paragraph's level."""
    return unicodedata.bidirectional(ch) in ("WS", "LRI", "RLI", "FSI", "PDI")


def line_levels(text: str, line_levels_: tuple[int, ...] | list[int], rtl: bool) -> list[int]:
    """Rule L1 for one line: the levels of its trailing white space and isolate controls set back
    to the paragraph's (a line holds no tabs or segment separators: paragraphs collapse white
    space)."""
    base = 1 if rtl else 0
    out = list(line_levels_)
    i = len(text)
    while i > 0 and _resets(text[i - 1]):
        i -= 1
        out[i] = base
    return out


def visual_order(levels_: list[int] | tuple[int, ...]) -> list[int]:
    """Rule L2: the indices of a line's items (characters, or runs of one level) from left to
    right: from the highest level down to the lowest odd one, every stretch at that level or
    higher is reversed."""
    order = list(range(len(levels_)))
    if not levels_:
        return order
    highest = max(levels_)
    lowest = min(levels_)
    if highest == lowest:  # one level (most lines): as it is, or reversed
        return order[::-1] if highest % 2 else order
    lowest_odd = lowest | 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        n = len(order)
        while i < n:
            if levels_[order[i]] >= level:
                j = i
                while j < n and levels_[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order
