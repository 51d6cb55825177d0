"""Walk a leaflet's printable text, and its two pieces of inline markup.

Inline markup is deliberately tiny:

- ``**bold**``. A ``**`` without its partner is an error (it would otherwise
  print stray asterisks or bold the rest of the text); write ``\\*`` for a
  literal asterisk next to another one.
- ``[[id]]``: a reference to the section whose ``id`` is *id*; it prints that
  section's number ("section 4") or, when sections are not numbered, its
  heading, and links to it. Write ``\\[[`` for two literal brackets; a single
  ``[`` and a ``]]`` print as written.

Everything else in a text is literal: ``<``, ``>`` and ``&`` print as written.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

_TOKEN = re.compile(r"\\\*|\\\[\[|\*\*|\[\[")
REF_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class Run(NamedTuple):
    """A piece of a text: literal text (``ref`` None), or a reference to section ``ref``."""

    text: str
    bold: bool
    ref: str | None = None


def parse_runs(text: str) -> list[Run]:
    """Split ``text`` into runs. Raises ValueError on an unpaired ``**`` or a broken ``[[``."""
    runs: list[Run] = []
    bold = False
    buf: list[str] = []
    pos = 0
    opened_at = -1

    def flush() -> None:
        if buf:
            joined = "".join(buf)
            if joined:
                runs.append(Run(joined, bold))
            buf.clear()

    for match in _TOKEN.finditer(text):
        if match.start() < pos:  # inside a reference already consumed
            continue
        buf.append(text[pos:match.start()])
        pos = match.end()
        token = match.group()
        if token == "\\*":
            buf.append("*")
        elif token == "\\[[":
            buf.append("[[")
        elif token == "[[":
            end = text.find("]]", pos)
            if end < 0:
                raise ValueError(f"'[[' at character {match.start() + 1} starts a section reference that never "
                                 "ends with ']]'")
            ref = text[pos:end]
            if not REF_ID.fullmatch(ref):
                raise ValueError(f"'[[{ref}]]' at character {match.start() + 1} is not a section reference: "
                                 "write [[id]] with the id of a section")
            flush()
            runs.append(Run("", bold, ref))
            pos = end + 2
        else:
            flush()
            bold = not bold
            opened_at = match.start()
    buf.append(text[pos:])
    if bold:
        raise ValueError(
            f"'**' at character {opened_at + 1} starts bold text that never ends"
        )
    flush()
    return runs


def references(text: str) -> list[tuple[str, int]]:
    """The section ids a text refers to, each with its character position (1-based); [] on bad markup."""
    out = []
    for match in _TOKEN.finditer(text):
        if match.group() == "[[":
            end = text.find("]]", match.end())
            if end >= 0 and REF_ID.fullmatch(text[match.end():end]):
                out.append((text[match.end():end], match.start() + 1))
    # a '[[' inside an escaped '\[[' is matched as the escape first, so never counted
    return out


def parse_inline(text: str, refs: Mapping[str, str] | None = None) -> list[tuple[str, bool]]:
    """Split ``text`` into (run, bold) pairs, each reference replaced by ``refs[id]`` (its id when
    ``refs`` is not given). Raises ValueError on bad markup."""
    out = []
    for run in parse_runs(text):
        if run.ref is None:
            out.append((run.text, run.bold))
        else:
            out.append(((refs or {}).get(run.ref, run.ref), run.bold))
    return out


def plain(text: str, refs: Mapping[str, str] | None = None) -> str:
    """The text as it prints, without markup (references resolved through ``refs``)."""
    return "".join(run for run, _ in parse_inline(text, refs))


# Whitespace a line may break at. The no-break spaces (U+00A0, U+2007 figure space, U+202F narrow
# no-break space) are not: they hold a number to its unit ("80\u00a0mg") and a French colon to
# its word ("dose\u00a0:"), so they print as written and are never collapsed into a space.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def words(text: str) -> list[str]:
    """``text`` split at runs of breaking whitespace (``str.split()`` but for the no-break spaces)."""
    return [w for w in _BREAKING_SPACE.split(text) if w]


def one_line(text: str) -> str:
    """A one-line text as it prints: each run of whitespace (a tab, a line break) is one space;
    a no-break space stays.

    Paragraphs print this way too (ReportLab breaks lines at whitespace); this is for
    text drawn as one line (the revision line) and for PDF metadata."""
    return " ".join(words(text))


def _tight(ch: str) -> bool:
    """A character written without spaces around it: a Chinese or Japanese one (East Asian wide,
    full-width or half-width), not Hangul (Korean is written with spaces)."""
    o = ord(ch)
    if o < 0x1100 or 0xAC00 <= o <= 0xD7FF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or 0xFFA0 <= o <= 0xFFDC:
        return False
    return unicodedata.east_asian_width(ch) in "WFH"


def joins_tight(before: str, after: str) -> bool:
    """Does a line break of the source between these two characters print as nothing (not as a
    space)? Between two Chinese or Japanese characters, as in CSS Text (segment break
    transformation): "…空白が\n原稿…" is "…空白が原稿…"."""
    return _tight(before) and _tight(after)


def join_lines(lines: list[str]) -> str:
    """Lines of a paragraph as one line: each run of whitespace is one space, and a line break
    between two Chinese or Japanese characters is nothing (:func:`joins_tight`)."""
    out = ""
    for line in lines:
        parts = words(line)
        if not parts:
            continue
        piece = " ".join(parts)
        if out:
            out += "" if joins_tight(out[-1], piece[0]) else " "
        out += piece
    return out


def paragraphs(text: str) -> list[str]:
    """A blank line separates paragraphs; other line breaks are spaces (nothing between two
    Chinese or Japanese characters: :func:`join_lines`).

    Text is put in Unicode NFC form: an accent typed as a separate combining
    mark prints as the composed letter (the same text, drawn as one glyph).
    """
    parts = re.split(r"\n[ \t]*\n", unicodedata.normalize("NFC", text).strip())
    return [" ".join(words(p)) if p.isascii() or "\n" not in p else join_lines(p.split("\n"))
            for p in parts if p.strip()]
