"""Web addresses in a text: clickable links that wrap at sensible points.

A ``https://…``, ``http://…`` or ``www.…`` address in an author's text prints as
written and carries a link annotation to it (``www.`` addresses link to
``https://www.…``). Punctuation that ends the sentence (``.``, ``,``, ``)`` …)
stays outside the link; a closing bracket that pairs with one inside the
address stays in.

ReportLab breaks lines only at spaces; for a word that does not fit it asks
``reportlab.platypus.paragraph._uri_split_pairs`` where an address may be
split (without adding a hyphen) when the style's ``uriWasteReduce`` is set, and
its own answer is "after a slash" only. :func:`install` replaces that function
with one that, for web addresses, also offers the points a typographer would
(Chicago Manual of Style): after ``//`` and ``/``, and before ``.``, ``-``,
``?``, ``#``, ``&``, ``=``, ``_``, ``~``, ``%`` — so that a line never ends with
a period or hyphen that reads as the end of a sentence or a word break, and the
printed characters are exactly the address (no zero-width spaces, no
hyphens: a reader types what they see; text extraction reads it back). Any
other word is left to ReportLab's own function.
"""
from __future__ import annotations

import re
import threading
import unicodedata

from reportlab.platypus import paragraph as _rl_paragraph

# An address starts at a word boundary (not inside an e-mail address or another word) and runs
# to the next space or character that cannot be in one as printed.
URL = re.compile(r"(?<![\w@/.\-])(?:https?://|www\.)[^\s<>\"«»“”‘’]+", re.IGNORECASE)
_TRAILING = ".,;:!?'*"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_WEB = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
_BREAK_BEFORE = frozenset(".-?#&=_~%")
# Split an address that does not fit (ReportLab's uriWasteReduce) when moving it whole to the
# next line would leave more than this part of the line empty.
URI_WASTE = 0.5
# A break leaves at least this many characters of the address for the next line (no "-10." alone).
MIN_TAIL = 5


# The addresses of the document being built, in this thread: a piece of one that ReportLab carried
# over to the next line may be split again (it no longer starts with https:// or www.). Reset for
# every document (:func:`reset`), so that what one build prints never depends on an earlier one.
_state = threading.local()
# A carried-over piece shorter than this never splits at an arbitrary character (so that an
# ordinary word that happens to end an address, "start", "effects", is never broken).
MIN_REST = 16


def _printed() -> set[str]:
    found: set[str] | None = getattr(_state, "printed", None)
    if found is None:
        found = _state.printed = set()
    return found


def reset() -> None:
    """Forget the addresses of the previous document (call before laying out a new one)."""
    _state.printed = set()


def snapshot() -> frozenset[str]:
    """The addresses known so far in this document (to lay it out again from the same point)."""
    return frozenset(_printed())


def restore(addresses: frozenset[str]) -> None:
    """Know these addresses only, as :func:`snapshot` gave them."""
    _state.printed = set(addresses)


def split_urls(text: str) -> list[tuple[str, bool]]:
    """``text`` as (piece, is_address) pairs, in order; joined, they are ``text``."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in URL.finditer(text):
        start, end = m.span()
        url = m.group()
        for i, ch in enumerate(url):  # beyond ASCII, an address holds letters, digits and marks only
            if ord(ch) > 127 and unicodedata.category(ch)[0] not in "LNM":
                url = url[:i]
                break
        while url:  # sentence punctuation after the address is not part of it
            last = url[-1]
            if last in _TRAILING or (last in _PAIRS and url.count(_PAIRS[last]) < url.count(last)):
                url = url[:-1]
            else:
                break
        end = start + len(url)
        if len(url) <= len(_WEB.match(url).group()):  # type: ignore[union-attr]  # "www." alone
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((url, True))
        _printed().add(url)
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def href(url: str) -> str:
    """The link target: ``www.…`` as ``https://www.…``; characters beyond ASCII percent-encoded
    (a PDF URI is 7-bit ASCII)."""
    target = url if url.lower().startswith(("http://", "https://")) else "https://" + url
    return "".join(ch if ord(ch) < 128 else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in target)


def split_points(url: str, *, rest: bool = False) -> list[int]:
    """Where a web address (or, with ``rest``, the part of one carried over to a new line) may
    be broken across lines (indices into it), first to last."""
    m = _WEB.match(url)
    if not m and not rest:
        return []
    start = m.end() if m else 0
    points = set()
    if m and start < len(url) and url.lower().startswith(("http://", "https://")):
        points.add(start)  # after "//"
    for i in range(start, len(url)):
        ch = url[i]
        if ch == "/":
            points.add(i + 1)
        elif ch in _BREAK_BEFORE and i > start:
            points.add(i)
    return sorted(p for p in points if 0 < p <= len(url) - MIN_TAIL)


def _is_rest(word: str) -> bool:
    return len(word) >= MIN_REST and any(url.endswith(word) and url != word for url in _printed())


_original_split_pairs = getattr(_rl_paragraph, "_uri_split_pairs", None)


def _uri_split_pairs(uri: str | bytes) -> list[tuple[str, str]] | None:
    if isinstance(uri, bytes):
        uri = uri.decode("utf-8")
    if _WEB.match(uri):  # ReportLab tries the longest head first, and takes the first that fits
        return [(uri[:p], uri[p:]) for p in reversed(split_points(uri))]
    if _is_rest(uri):  # the rest of an address, at the start of a line: if no point fits, any character
        points = split_points(uri, rest=True)
        return [(uri[:p], uri[p:]) for p in [*reversed(points), *range(len(uri) - 1, 0, -1)]]
    return _original_split_pairs(uri) if _original_split_pairs is not None else None


def install() -> None:
    """Let ReportLab split web addresses at the points above (idempotent)."""
    if _original_split_pairs is not None:
        _rl_paragraph._uri_split_pairs = _uri_split_pairs


install()
