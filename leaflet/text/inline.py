"""Walk a leaflet's printable text, and its one piece of inline markup.

Inline markup is deliberately tiny: ``**bold**``. Everything else in a text is
literal: ``<``, ``>`` and ``&`` print as written. A ``**`` without its partner
is an error (it would otherwise print stray asterisks or bold the rest of the
text); write ``\\*`` for a literal asterisk next to another one.
"""
from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"\\\*|\*\*")


def parse_inline(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into (run, bold) pairs. Raises ValueError on an unpaired ``**``."""
    runs: list[tuple[str, bool]] = []
    bold = False
    buf: list[str] = []
    pos = 0
    opened_at = -1
    for match in _TOKEN.finditer(text):
        buf.append(text[pos:match.start()])
        pos = match.end()
        if match.group() == "\\*":
            buf.append("*")
            continue
        if buf:
            runs.append(("".join(buf), bold))
            buf = []
        bold = not bold
        opened_at = match.start()
    buf.append(text[pos:])
    if bold:
        raise ValueError(
            f"'**' at character {opened_at + 1} starts bold text that never ends"
        )
    runs.append(("".join(buf), bold))
    return [(run, b) for run, b in runs if run]


def plain(text: str) -> str:
    """The text as it prints, without markup."""
    return "".join(run for run, _ in parse_inline(text))


def one_line(text: str) -> str:
    """A one-line text as it prints: each run of whitespace (a tab, a line break) is one space.

    Paragraphs print this way too (ReportLab breaks lines at whitespace); this is for
    text drawn as one line (the revision line) and for PDF metadata."""
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    """A blank line separates paragraphs; other line breaks are spaces.

    Text is put in Unicode NFC form: an accent typed as a separate combining
    mark prints as the composed letter (the same text, drawn as one glyph).
    """
    parts = re.split(r"\n[ \t]*\n", unicodedata.normalize("NFC", text).strip())
    return [" ".join(p.split()) for p in parts if p.strip()]
