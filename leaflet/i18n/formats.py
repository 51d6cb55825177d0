"""Dates and numbers as a locale writes them, from CLDR (through Babel).

"Revised 23 November 2026", "Revisado el 23 de noviembre de 2026", "Stand: 23. November 2026";
a revision dated YYYY-MM prints its month and year ("November 2026", "ноябрь 2026 г."). Page
labels and section numbers use the digits of the locale's default numbering system in CLDR
(Latin digits for ``ar``, whose CLDR default is ``latn``; Arabic-Indic ones for ``ar-EG``).

The CLDR locales of the bundled locale files come from ``leaflet/data/cldr.json``: their long date
pattern, month-and-year pattern, month names and digits, taken from Babel by
``tools/update_cldr.py`` (tests/test_locales.py checks that they still format exactly as Babel
does). Importing Babel and unpickling its data costs some 30 ms at every start, for a footer;
any other CLDR locale (a user's locale file, a leaflet tagged ``pt-BR``) is formatted by Babel
itself, imported on first use.

Nothing here reads the machine's locale, time zone or clock: the same input gives the same text.
"""
from __future__ import annotations

import datetime
import re
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

DEFAULT = "en"
TABLE = Path(__file__).resolve().parent.parent / "data" / "cldr.json"

# The digit zero of each decimal numbering system some CLDR locale uses by default (CLDR's
# numberingSystems.xml: each is ten consecutive code points). Babel names a locale's default
# system but formats with ASCII digits whatever it is.
ZERO = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6",
    "adlm": "\U0001e950", "hmnp": "\U0001e140", "olck": "\u1c50", "cakm": "\U00011136",
    "tibt": "\u0f20", "nkoo": "\u07c0", "mymr": "\u1040", "mtei": "\uabf0",
}


@cache
def table() -> dict[str, dict[str, Any]]:
    """``cldr.json``: for each CLDR locale it holds (Babel's spelling, ``en_GB``), the CLDR data a
    leaflet's footer needs (see tools/update_cldr.py)."""
    # msgspec's decoder, not json's: a build has it loaded (the bundled file is plain JSON)
    data: dict[str, dict[str, Any]] = msgspec.json.decode(TABLE.read_bytes())["locales"]
    return data


def _tag_key(tag: str) -> str:
    return tag.replace("-", "_")


@cache
def known_cldr(tag: str) -> str | None:
    """The CLDR locale for a BCP 47 tag or a Babel identifier (``en-GB``, ``en_GB``, ``zh-Hans``)
    in Babel's spelling (``en_GB``, ``zh_Hans``); None when CLDR does not know it."""
    if _tag_key(tag) in table():
        return _tag_key(tag)
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(_tag_key(tag)))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def cldr_of(strings: dict[str, Any]) -> str:
    """The CLDR locale a locale's strings are written with (``strings['_cldr']``, see
    :func:`leaflet.resources.cldr_locale`); English for strings made by hand."""
    value = strings.get("_cldr")
    return value if isinstance(value, str) and value else DEFAULT


# CLDR date patterns: quoted literals ('de', '' for a quote) and runs of one field letter
_TOKEN = re.compile(r"'((?:[^']|'')*)'|([A-Za-z])\2*|[^A-Za-z']+")


def _apply(pattern: str, date: datetime.date, months: dict[str, list[str]]) -> str | None:
    """A date in a CLDR pattern of days, months and years (the fields footers use); None for a
    pattern with any other field (then Babel formats it)."""
    out: list[str] = []
    for m in _TOKEN.finditer(pattern):
        quoted, letter, token = m.group(1), m.group(2), m.group(0)
        if quoted is not None:
            out.append(quoted.replace("''", "'") if quoted else "'")
        elif letter is None:
            out.append(token)
        elif letter == "d" and len(token) <= 2:
            out.append(f"{date.day:0{len(token)}d}")
        elif letter == "y" and len(token) != 2:
            out.append(f"{date.year:0{len(token)}d}")
        elif letter in "ML" and len(token) <= 2:
            out.append(f"{date.month:0{len(token)}d}")
        elif letter in "ML" and len(token) == 4:
            out.append(months["format" if letter == "M" else "stand-alone"][date.month - 1])
        else:
            return None
    return "".join(out)


def _babel_date(date: datetime.date, cldr: str, day: bool) -> str:
    from babel import Locale
    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    locale = Locale.parse(cldr)
    return babel_date(date, "long", locale=locale) if day else format_skeleton("yMMMM", date, locale=locale)


@cache
def format_date(date: str, cldr: str) -> str:
    """A revision date as the locale writes it: YYYY-MM-DD in CLDR's long form ("23 November
    2026", "23 de noviembre de 2026", "2026年11月23日"), YYYY-MM as month and year ("November
    2026"). ``date`` is a valid content date (checked by the format)."""
    parts = [int(p) for p in date.split("-")]
    day = len(parts) == 3
    when = datetime.date(parts[0], parts[1], parts[2] if day else 1)
    entry = table().get(cldr)
    text = None
    if entry is not None:
        text = _apply(entry["long" if day else "month_year"], when, entry["months"])
    if text is None:
        text = _babel_date(when, cldr, day)
    return digits(text, cldr)


@cache
def _digits(cldr: str) -> str:
    """The ten digits of the locale's default numbering system in CLDR ("0123456789" for most;
    Latin ones for a system not in :data:`ZERO`)."""
    entry = table().get(cldr)
    if entry is not None:
        system = entry["numbering"]
    else:
        from babel import Locale

        system = Locale.parse(cldr).default_numbering_system
    zero = ZERO.get(system, "0")
    return "".join(chr(ord(zero) + d) for d in range(10))


def digits(text: str, cldr: str) -> str:
    """``text`` with its ASCII digits in the locale's default numbering system (Babel writes
    dates with ASCII digits whatever the numbering system)."""
    native = _digits(cldr)
    if native == "0123456789":
        return text
    return text.translate(str.maketrans("0123456789", native))


def format_number(number: int, cldr: str) -> str:
    """A page or section number in the locale's digits, never grouped ("1000", not "1,000")."""
    return digits(str(number), cldr)


def samples(cldr: str, date: str) -> list[str]:
    """The texts formatting adds to a leaflet (its revision date, the digits of its page and
    section numbers): their characters need glyphs too."""
    return [format_date(date, cldr), _digits(cldr)]


# CLDR's two-letter territories that are not ISO 3166-1 countries: regions (EU, the euro zone, the
# UN), exceptional reservations (AC Ascension Island, CP, DG, EA, IC, TA), private use (QO, XA, XB,
# XK) and the unknown region (ZZ). A two-letter code among them is left as written.
_NOT_ISO_3166 = frozenset({"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"})
_COUNTRY_CODE = re.compile(r"[A-Z]{2,3}")


@cache
def _alpha2(code: str) -> str | None:
    """An ISO 3166-1 code, two or three capital letters (``MX``, ``MEX``) -> its two-letter form;
    None for anything else (a code ISO 3166-1 does not assign: ``UK``, ``EU``)."""
    from babel import Locale
    from babel.core import get_global

    if len(code) == 3:  # CLDR's territory aliases map each alpha-3 code to its alpha-2 one
        targets = get_global("territory_aliases").get(code, [])
        code = targets[0] if len(targets) == 1 and len(targets[0]) == 2 else ""
    return code if code and code not in _NOT_ISO_3166 and code in Locale("en").territories else None


@cache
def country_name(text: str, cldr: str) -> str | None:
    """The name CLDR gives, in the language ``cldr`` (a BCP 47 tag or Babel identifier: ``es-MX``,
    ``ar``), to the country ``text`` is the ISO 3166-1 code of (two or three capital letters:
    ``MX``, ``MEX``): ``México``, ``المكسيك``. None when ``text`` is not such a code (a country
    written out, ``Mexico``, or in small letters, ``mx``, is printed as written) or CLDR has no
    name for it in that language (nor in its parent locales, which Babel falls back on). Babel's
    data only: the same text each time."""
    if not _COUNTRY_CODE.fullmatch(text):
        return None
    code = _alpha2(text)
    locale = known_cldr(cldr)
    if code is None or locale is None:
        return None
    from babel import Locale

    name = Locale.parse(locale).territories.get(code)
    return name if isinstance(name, str) and name.strip() else None
