"""Pseudo-localisation: ``leaflet build --pseudo``.

A pseudo-localised leaflet is the leaflet with every text it prints (the author's texts and the
locale's fixed strings) accented, about 35% longer and wrapped in bidirectional isolates, so
that a layout can be seen to hold up for a long translation before there is one: tables,
callout bands, headings, the footer. It is never a leaflet to give out: every page carries the
banner :data:`BANNER`, and the PDF is written as ``<leaflet>-<language>-pseudo.pdf``.

What stays as written, so that the pseudo leaflet still says what the leaflet says about
doses: digits and every number with its unit ("5 mg", "1,000", "10 mg/kg": the spans that
:func:`leaflet.i18n.numbers.quantities` reads, as ``leaflet check`` does), web and e-mail
addresses, markup (``**``, ``[[id]]``, ``\\*``, ``\\[[``), the placeholders of the locale's
strings ({page}, {date}), and letters that are not ASCII (a Spanish leaflet keeps its ñ; an
Arabic or Chinese one gets longer, not accented).

The transformation runs on a validated leaflet (so it never makes a leaflet invalid, and it is
never validated again) and is the same every time: the same input gives the same PDF.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec

from ..content.document import Document
from ..content.model import Leaflet
from ..text.printed import iter_texts
from .numbers import quantities

EXPANSION = 0.35  # how much longer each text gets
BANNER = ("PSEUDO-LOCALISED LAYOUT TEST – accented, about 35% longer text with bidi marks; not a leaflet. "
          "Do not give to patients.")

# ASCII letters and their accented forms: all in Latin-1 and Latin Extended-A, which every Latin
# font leaflet uses has, in both cases (callout bands print the severity word in capitals)
_ACCENTED = str.maketrans(
    "acdeghijklnorstuwyzACDEGHIJKLNORSTUWYZ",
    "áçďéğĥíĵķĺñöŕšţüŵýžÅÇĎÉĞĤÎĴĶĹÑÖŔŠŤÛŴÝŽ")
_VOWELS = frozenset("áéíöüýÅÉÎÖÛÝaeiouyAEIOUYàèìòùâêîôûäëïõ")
FSI, PDI, LRM = "\u2068", "\u2069", "\u200e"

# what prints as written: markup, addresses, a locale string's placeholders
_MARKUP = r"\\\*|\\\[\[|\*\*|\[\[[^\[\]]*\]\]"
_ADDRESS = r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_PLACEHOLDER = r"\{\{|\}\}|\{[^{}]*\}"
_KEPT_TEXT = re.compile(f"{_MARKUP}|{_ADDRESS}")
_KEPT_TEMPLATE = re.compile(f"{_MARKUP}|{_ADDRESS}|{_PLACEHOLDER}")
_WORD = re.compile(r"[^\W\d_]+")
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n\s*)")


def _spans(text: str, language: str, kept: re.Pattern[str]) -> list[tuple[int, int, bool]]:
    """``text`` cut into (start, end, keep) pieces: keep is True for what prints as written
    (markup, addresses, placeholders, and each number with its unit, followed by an LRM)."""
    protected = [(m.start(), m.end()) for m in kept.finditer(text)]
    protected += [(q.start, q.end) for q in quantities(text, language)]
    protected.sort()
    out: list[tuple[int, int, bool]] = []
    at = 0
    for start, end in protected:
        if end <= at:
            continue
        start = max(start, at)
        if start > at:
            out.append((at, start, False))
        out.append((start, end, True))
        at = end
    if at < len(text):
        out.append((at, len(text), False))
    return out


def _lengthen(word: str, extra: int) -> str:
    """``word`` with ``extra`` more letters: its vowels again (else its letters), in turn."""
    if extra <= 0:
        return word
    pool = [ch for ch in word if ch in _VOWELS] or list(word)
    if not word.isupper():  # "Öral" goes on "Öŕáĺöá", not "ÖŕáĺÖá"
        pool = [ch.lower() for ch in pool]
    return word + "".join(pool[i % len(pool)] for i in range(extra))


def _shares(lengths: list[int], total: int) -> list[int]:
    """``total`` extra letters shared among words in proportion to their lengths (largest
    remainders first, then the earlier word)."""
    whole = sum(lengths)
    if not whole or total <= 0:
        return [0] * len(lengths)
    exact = [total * n / whole for n in lengths]
    shares = [int(x) for x in exact]
    order = sorted(range(len(lengths)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _paragraph(text: str, language: str, kept: re.Pattern[str]) -> str:
    pieces = _spans(text, language, kept)
    # what a translator translates gets longer: not the numbers, addresses and markup kept
    printed = sum(end - start for start, end, keep in pieces if not keep)
    words = [(i, m) for i, (start, end, keep) in enumerate(pieces) if not keep
             for m in _WORD.finditer(text, start, end)]
    shares = iter(_shares([m.end() - m.start() for _, m in words], round(printed * EXPANSION)))
    out: list[str] = []
    word_iter = iter(words)
    pending = next(word_iter, None)
    for i, (start, end, keep) in enumerate(pieces):
        chunk = text[start:end]
        if keep:
            out.append(chunk + (LRM if chunk[:1].isdigit() or chunk[:1] in "½¼¾" else ""))
            continue
        at = start
        while pending is not None and pending[0] == i:
            m = pending[1]
            out.append(text[at:m.start()])
            out.append(_lengthen(m.group().translate(_ACCENTED), next(shares)))
            at = m.end()
            pending = next(word_iter, None)
        out.append(text[at:end])
    return FSI + "".join(out) + PDI


def pseudo(text: str, language: str = "en", *, template: bool = False) -> str:
    """One text as it prints in the pseudo leaflet: each paragraph accented, about 35% longer
    and wrapped in a first-strong isolate (U+2068 … U+2069); see the module's docstring for
    what stays as written. ``template``: a locale string, whose {placeholders} stay too."""
    kept = _KEPT_TEMPLATE if template else _KEPT_TEXT
    parts = _PARAGRAPH_BREAK.split(text)
    return "".join(part if i % 2 else (_paragraph(part, language, kept) if part.strip() else part)
                   for i, part in enumerate(parts))


def pseudo_strings(strings: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The locale's strings, pseudo-localised (placeholders kept); the draft banner says that the
    leaflet is a pseudo-localised layout test. Keys starting with '_' (data, not text) stay."""
    out: dict[str, Any] = {}
    for key, value in strings.items():
        if key.startswith("_"):
            out[key] = value
        elif isinstance(value, str):
            out[key] = pseudo(value, language, template=True)
        elif isinstance(value, list):
            out[key] = [pseudo(v, language, template=True) if isinstance(v, str) else v for v in value]
        else:
            out[key] = value
    out["status_draft"] = FSI + BANNER + PDI  # isolated: in a right-to-left leaflet it still reads left to right
    out["status_draft_short"] = out["status_draft"]  # every page says what the PDF is, in full
    return out


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _printed_paths(leaflet: Leaflet) -> Iterator[tuple[tuple[Any, ...], str]]:
    for path, text in iter_texts(leaflet):
        if path != ("revision", "date"):  # a date prints as the locale writes it (leaflet.i18n.formats)
            yield path, text


def pseudo_leaflet(leaflet: Leaflet) -> Leaflet:
    """The leaflet with every text it prints pseudo-localised, and the status ``draft`` (its
    banner, from :func:`pseudo_strings`, says what it is). Structure, options, notes and the
    revision date are unchanged, so every place in it is the same place in the content file."""
    data = msgspec.to_builtins(leaflet)
    for path, text in _printed_paths(leaflet):
        _set(data, path, pseudo(text, leaflet.language))
    data["status"] = "draft"
    data.pop("translation", None)  # a review would turn off no banner here: the pseudo one stays
    return msgspec.convert(data, Leaflet)


def pseudo_document(doc: Document) -> Document:
    """``doc`` pseudo-localised: its leaflet transformed, and marked so that its locale's strings
    are too (wherever leaflet looks them up: building, checking glyphs, verifying)."""
    return msgspec.structs.replace(doc, leaflet=pseudo_leaflet(doc.leaflet), pseudo=True)
