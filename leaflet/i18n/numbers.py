"""Numbers, doses and units in text, read the way a reader of its language reads them.

``quantities(text, language)`` finds every number in a text with the unit written after it,
and gives each one canonical form, so that two texts in different languages can be compared:

- digits of any script (Arabic-Indic U+0660–0669, Extended Arabic-Indic U+06F0–06F9,
  full-width U+FF10–FF19, and every other Unicode decimal digit) read as 0–9;
- the decimal and group (thousands) symbols come from the language's CLDR data (Babel):
  "1.000" is a thousand in German and "1,000" in English, "0,5" is a half in Spanish and
  "0.5" in English; the Arabic decimal and thousands separators (U+066B, U+066C), the
  apostrophes of Swiss grouping, no-break and narrow no-break spaces and the thin space are
  read as such in every language; an ordinary space groups digits only in a language whose
  group symbol is a space (fr, ru …), and only in groups of three ("1 000");
- a separator that cannot be the language's group symbol ("0.5" in German: a group has
  three digits) is read as a decimal point; what cannot be read as one number at all
  (a date "23.11.2026", a version "4.1.2") reads as its separate whole numbers;
- the unit after a number (``leaflet/data/units.json``: mg, мг, ملغ, מ"ג, 毫克 …) reads as
  its canonical name (``mg``), whatever the language's spelling.

``compare(...)`` matches the quantities of a source text with those of its translation (as
multisets: word order changes between languages) and says what is missing and what is extra.
This module knows nothing of leaflets; :mod:`leaflet.check.translation` uses it per field.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent.parent / "data"  # leaflet/data: the units and number words

# separators that may stand between digits of one number
_SPACES = "\u00a0\u202f\u2009"  # no-break, narrow no-break, thin space: group separators in every language
_APOSTROPHES = "'\u2019"  # Swiss grouping: 1'000
_AR_DECIMAL, _AR_GROUP = "\u066b", "\u066c"  # ٫ ٬
_FW_STOP = "\uff0e"  # full-width full stop: a decimal point in Chinese and Japanese text
_SEPARATORS = ".," + _SPACES + _APOSTROPHES + _AR_DECIMAL + _AR_GROUP + _FW_STOP + " "
_FW_GROUP = re.compile(r"(?<=[0-9])\uff0c(?=[0-9]{3}(?![0-9]))")
_MYRIADS = {"万": Decimal(10_000), "萬": Decimal(10_000), "亿": Decimal(10**8), "億": Decimal(10**8)}
_FRACTIONS = {"½": "0.5", "¼": "0.25", "¾": "0.75"}  # vulgar fractions: "½ tablet" is 0.5, "1½" is 1.5
_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]+(?:[" + re.escape(_SEPARATORS) + r"][0-9]+)*[½¼¾]?|[½¼¾])")
# between a number and its unit: spaces and invisible bidi marks (isolates, LRM/RLM/ALM)
_GAP = re.compile(r"[ \u00a0\u202f\u2009\u200e\u200f\u061c\u2066-\u2069]*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


class Quantity(NamedTuple):
    """One number in a text: its canonical value ("1000", "0.5"), its unit's canonical name
    (None when no unit follows it), where it stands (``start``/``end``: character offsets
    into the text, number and unit) and how it is written there."""

    value: str
    unit: str | None
    start: int
    end: int
    written: str

    @property
    def shown(self) -> str:
        """The canonical form, for messages: "5 mg", "0.5", "1000 mg"."""
        return self.value if self.unit is None else f"{self.value} {self.unit}"


_FULL_WIDTH = {i: i - 0xFEE0 for i in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF05, 0xFF0E, 0xFF0F)}


_TO_ASCII = re.compile(r"(?=\d)[^0-9]|[\uff05\uff0e\uff0f\uff21-\uff3a\uff41-\uff5a]")


def _ascii(m: re.Match[str]) -> str:
    ch = m.group()
    return str(unicodedata.decimal(ch)) if ch.isdecimal() else chr(_FULL_WIDTH[ord(ch)])


def normalise_digits(text: str) -> str:
    """Every Unicode decimal digit as its ASCII digit, and full-width Latin letters, ％, ．and ／
    as ASCII ones ("５ｍｇ" is "5mg"), one character for one (offsets into the text stay the
    same). The full-width comma ， stays: in Chinese and Japanese it is punctuation."""
    return text if text.isascii() else _TO_ASCII.sub(_ascii, text)


@cache
def symbols(language: str) -> tuple[str, str]:
    """The decimal and group symbols of ``language`` (a BCP 47 tag) in Latin digits, from CLDR:
    ``('.', ',')`` for en, ``(',', '.')`` for de, ``(',', '\\u202f')`` for fr. A language CLDR
    does not know reads as English."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    tag = language.replace("-", "_")
    for candidate in (tag, tag.split("_")[0]):
        try:
            locale = Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
        return get_decimal_symbol(locale, numbering_system="latn"), get_group_symbol(locale, numbering_system="latn")
    return ".", ","


@cache
def script_of(language: str) -> str:
    """The usual script of a language (ISO 15924, from CLDR's likely subtags): ``Latn`` for es,
    ``Cyrl`` for ru, ``Arab`` for ar, ``Hans`` for zh, ``Jpan`` for ja; ``Latn`` when unknown."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    tag = language.replace("-", "_")
    for candidate in (tag, tag.split("_")[0]):
        full = likely.get(candidate)
        if full:
            parts = full.split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return str(parts[1])
    return "Latn"


class _Units(NamedTuple):
    by_spelling: dict[str, str]  # lower-case spelling -> unit
    pattern: re.Pattern[str]  # any spelling (longest first), ending where a word ends when it is of letters
    time: frozenset[str]


@cache
def _units() -> _Units:
    data = json.loads((DATA / "units.json").read_text(encoding="utf-8"))
    by_spelling = {spelling.lower(): unit for unit, spellings in data["units"].items() for spelling in spellings}

    def alternative(spelling: str) -> str:
        last = spelling[-1]
        end = r"(?!\w)" if last.isalpha() and not _CJK.match(last) else ""
        return re.escape(spelling) + end

    ordered = sorted(by_spelling, key=lambda sp: (-len(sp), sp))
    pattern = re.compile("|".join(alternative(sp) for sp in ordered), re.IGNORECASE)
    return _Units(by_spelling, pattern, frozenset(data.get("time", ())))


def unit_names() -> list[str]:
    """The canonical names of the units leaflet reads (``mg``, ``ml``, ``%`` …)."""
    return sorted(set(_units().by_spelling.values()))


def is_time_unit(unit: str | None) -> bool:
    return unit in _units().time


@cache
def number_words(language: str) -> dict[str, tuple[str, ...]]:
    """Words that stand for a number in ``language`` (``{'3': ('three', 'thrice')}``), from
    ``leaflet/data/number_words.json``; {} for a language it does not list."""
    data = json.loads((DATA / "number_words.json").read_text(encoding="utf-8"))["words"]
    words = data.get(language) or data.get(language.split("-")[0]) or {}
    return {value: tuple(w.lower() for w in listed) for value, listed in words.items()}


def _unit_at(text: str, at: int) -> tuple[str, int] | None:
    """The unit written at ``text[at:]`` (after the gap), and where it ends."""
    gap = _GAP.match(text, at)
    units = _units()
    m = units.pattern.match(text, gap.end() if gap else at)
    if m is None:
        return None
    return units.by_spelling[m.group().lower()], m.end()


def _canonical_decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _canonical(integer: str, fraction: str | None) -> str:
    integer = integer.lstrip("0") or "0"
    return integer if fraction is None else f"{integer}.{fraction}"


def _read(token: str, decimal: str, group: str) -> list[tuple[str, int, int]] | None:
    """One number token (digits and separators, no spaces that break it) as one number:
    [(canonical, 0, len)], or None when it cannot be read as one number."""
    parts = re.split(r"([^0-9])", token)
    digits, seps = parts[0::2], parts[1::2]
    if not seps:
        return [(_canonical(token, None), 0, len(token))]
    space_group = group.isspace() or group in _SPACES

    def role(sep: str) -> str:
        if sep in (_AR_DECIMAL,) or (sep == decimal):
            return "decimal"
        if sep in _SPACES or sep in _APOSTROPHES or sep == _AR_GROUP or sep == group or (sep == " " and space_group):
            return "group"
        return "foreign"  # '.' or ',' that is neither of the language's symbols

    roles = [role(s) for s in seps]
    if "foreign" in roles:  # another language's decimal point: one of them, at the end, is one
        if roles.count("foreign") == 1 and roles[-1] == "foreign":
            roles[-1] = "decimal"
        else:
            return None
    if roles.count("decimal") > 1 or ("decimal" in roles and roles[-1] != "decimal"):
        return None
    groups = [g for g, r in zip(seps, roles) if r == "group"]
    if groups:
        n_groups = len(groups)
        if len(set(groups)) > 1 and not all(g in _SPACES + " " for g in groups):
            return None
        if not (1 <= len(digits[0]) <= 3 and all(len(d) == 3 for d in digits[1:n_groups + 1])):
            if len(seps) == 1 and seps[0] in ".,":  # "0.5" in German, "1,5" in English: a decimal point
                return [(_canonical(digits[0], digits[1]), 0, len(token))]
            return None
    integer = "".join(digits[: len(groups) + 1])
    fraction = digits[-1] if roles[-1] == "decimal" else None
    return [(_canonical(integer, fraction), 0, len(token))]


def quantities(text: str, language: str) -> list[Quantity]:
    """Every number in ``text`` with the unit after it, read as a reader of ``language`` reads it."""
    normal = normalise_digits(text)
    if language.split("-")[0] in ("zh", "ja") and "\uff0c" in normal:  # １，０００: the full-width comma groups
        normal = _FW_GROUP.sub(",", normal)
    decimal, group = symbols(language)
    out: list[Quantity] = []
    for m in _NUMBER.finditer(normal):
        token, base = m.group(), m.start()
        pieces: list[tuple[str, int, int]] = []
        fraction = _FRACTIONS.get(token[-1])
        if fraction is not None:
            token = token[:-1]
            if not token:
                out.append(_with_unit(text, normal, fraction, base, base + 1))
                continue
        # an ordinary space breaks a number unless the language groups digits with spaces, in threes
        chunks = [(c.group(), c.start()) for c in re.finditer(r"[^ ]+", token)]
        whole = _read(token, decimal, group) if len(chunks) > 1 else None
        if whole is not None and (group.isspace() or group in _SPACES):
            pieces = whole
        else:
            for chunk, at in chunks:
                read = _read(chunk, decimal, group)
                if read is None:  # a date, a version: its whole numbers one by one
                    for d in re.finditer(r"[0-9]+", chunk):
                        pieces.append((_canonical(d.group(), None), at + d.start(), at + d.end()))
                else:
                    pieces.extend((value, at + s, at + e) for value, s, e in read)
        if fraction is not None:
            value, s, e = pieces[-1]
            if "." in value:  # "1.5½" is no number: its parts
                pieces.append((fraction, e, e + 1))
            else:
                pieces[-1] = (str(Decimal(value) + Decimal(fraction)), s, e + 1)
        value, s, e = pieces[-1]
        big = _MYRIADS.get(normal[base + e:base + e + 1])
        if big is not None:  # 1万 (ten thousand), 2億 (two hundred million)
            pieces[-1] = (_canonical_decimal(Decimal(value) * big), s, e + 1)
        for i, (value, s, e) in enumerate(pieces):
            if i == len(pieces) - 1:
                out.append(_with_unit(text, normal, value, base + s, base + e))
            else:
                out.append(Quantity(value, None, base + s, base + e, text[base + s:base + e]))
    return out


def _with_unit(text: str, normal: str, value: str, start: int, end: int) -> Quantity:
    """The number ``value`` at ``text[start:end]``, with the unit written after it if there is one."""
    unit = _unit_at(normal, end)
    if unit is None:
        return Quantity(value, None, start, end, text[start:end])
    name, end = unit
    if normal.startswith("/", end):  # mg/kg, mg/ml
        per = _unit_at(normal, end + 1)
        if per is not None:
            name, end = f"{name}/{per[0]}", per[1]
    return Quantity(value, name, start, end, text[start:end])


class Comparison(NamedTuple):
    """What :func:`compare` found: the source's quantities the translation lacks (``missing``)
    and the translation's the source lacks (``extra``); ``matched`` is how many agree."""

    missing: list[Quantity]
    extra: list[Quantity]
    matched: int

    @property
    def agree(self) -> bool:
        return not self.missing and not self.extra


def _has_word(text: str, language: str, value: str) -> bool:
    words = number_words(language).get(value, ())
    if not words:
        return False
    lowered = text.lower()
    if language.split("-")[0] in ("zh", "ja"):
        return any(w in lowered for w in words)
    return any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", lowered) for w in words)


def compare(source: str, source_language: str, translation: str, translation_language: str,
            source_quantities: Iterable[Quantity] | None = None,
            translation_quantities: Iterable[Quantity] | None = None) -> Comparison:
    """Match the numbers of a source text and its translation, each read in its language.

    The same value with the same unit agree; then a number written without a unit agrees with
    the same value with a unit on the other side ("5 to 10 mg" and "5 mg à 10 mg"); last, a
    number without a unit of dose (none, or hours, days, weeks) agrees with a word for it on the
    other side ("three times daily" and "1日3回", :func:`number_words`). Whatever is left is
    ``missing`` (in the source only) or ``extra`` (in the translation only)."""
    src = list(quantities(source, source_language) if source_quantities is None else source_quantities)
    tr = list(quantities(translation, translation_language) if translation_quantities is None
              else translation_quantities)
    matched = 0
    for loose in (False, True):
        rest: list[Quantity] = []
        for q in src:
            for j, t in enumerate(tr):
                if t.value == q.value and (t.unit == q.unit or (loose and (t.unit is None or q.unit is None))):
                    del tr[j]
                    matched += 1
                    break
            else:
                rest.append(q)
        src = rest
    missing = [q for q in src if not ((q.unit is None or is_time_unit(q.unit))
                                      and _has_word(translation, translation_language, q.value))]
    extra = [t for t in tr if not ((t.unit is None or is_time_unit(t.unit))
                                   and _has_word(source, source_language, t.value))]
    matched += len(src) - len(missing) + len(tr) - len(extra)
    return Comparison(missing, extra, matched)
