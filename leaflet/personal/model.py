"""The prescription: what the personal panel at the top of page 1 prints, and how it is checked.

The contract every input form keeps (a prescription file, a CSV or Excel row, a FHIR R4 Bundle,
an HTTP request):

1. Turn the input into a **plain mapping** of the field names below (``FIELDS``) to values: text
   (``str``), whole numbers (``int``; ``float`` only where a whole number is written ``30.0``)
   and, for ``dispensed``, a ``datetime.date`` (or ``datetime.datetime`` at midnight, as Excel
   gives it) or the text ``YYYY-MM-DD``. ``None`` and texts that are empty or only spaces are
   "not given" (an empty sheet cell). Nothing else is converted: a ``bool`` or a list is a
   type error.
2. Give a **locator**: a function ``locate(field) -> Location`` saying where ``field`` is in the
   input (a file's line and column, a sheet's row and column, a FHIR element path). It is
   called for every field with a problem, also for a field that is absent (then it says where the
   record is: the file, the row) and for unknown fields (where the unknown key is).
3. Call :func:`from_record` (``from_record(mapping, locate)``). It returns a
   :class:`Prescription`, or raises :class:`~leaflet.errors.ContentError` listing **every**
   problem at once, each a :class:`~leaflet.errors.Diagnostic` with a code from
   ``errors.CODES``, the location's file, line and column (or its ``where``: "row 7, column
   dispensed", a FHIR element), the field as its ``path`` and a hint.

**No message or hint ever holds a value** (patient data): a problem says which field and what is
wrong with it ("not a date written YYYY-MM-DD"), never what was written. Unknown fields are
errors (a misspelt ``patinet`` would otherwise drop the patient's name) with a did-you-mean.

Texts are printed exactly as given (no markup: ``**`` prints as two asterisks), less the spaces
at their ends. Whether they fit in the panel and whether the fonts can draw them is checked when
the panel is laid out (``leaflet.typeset.panel``), for the paper, theme and language used.
"""
from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec

from ..content.rules import character_problems, prints_something
from ..errors import ContentError, Diagnostic, ResourceError
from ..resources import locale_for


class Location(msgspec.Struct, frozen=True, kw_only=True):
    """Where a field of a prescription record is in its input. One of three kinds, or a mix:

    - a text file: ``Location(file="rx.yaml", line=3, column=10)`` -> ``rx.yaml:3:10``;
    - a sheet: ``Location(file="batch.xlsx", sheet="Today", row=7, column_name="dispensed")``
      -> ``batch.xlsx: sheet Today, row 7, column dispensed`` (``row`` as the sheet numbers it,
      the header being row 1; ``sheet`` only for a workbook);
    - a FHIR element: ``Location(file="bundle.json", element="MedicationRequest.dosageInstruction[0].text")``
      (with ``line``/``column`` too when the reader knows them).
    """

    file: str = ""
    line: int = 0
    column: int = 0
    sheet: str = ""
    row: int = 0
    column_name: str = ""
    element: str = ""

    @property
    def where(self) -> str:
        """The part of the place that is not a file's line and column: sheet, row, column, element."""
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row:
            parts.append(f"row {self.row}")
        if self.column_name:
            parts.append(f"column {self.column_name}")
        if self.element:
            parts.append(self.element)
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.file or "<input>"
        if self.line:
            text += f":{self.line}:{self.column}"
        if self.where:
            text += f": {self.where}"
        return text

    def diagnostic(self, message: str, field: str | None, hint: str = "", *, code: str) -> Diagnostic:
        """A Diagnostic placed here, about ``field`` (None: the record as a whole)."""
        return Diagnostic(message, (field,) if field else (), hint, self.file, self.line, self.column, code,
                          where=self.where)


Locator = Callable[[str], Location]
"""field name -> where it is in the input (:class:`Location`); called for absent fields too."""


class RecordError(ContentError):
    """A prescription record's problems (:func:`from_record`), with ``texts``: its texts that passed
    their own checks, each as (field, text, where it is). Whether the fonts print every character of
    them needs a leaflet (its fonts, then those of the other scripts): where one is at hand
    (``validate CONTENT --rx``, ``build --rx``, a batch, the service), that check runs over them too
    (:func:`leaflet.api.with_glyph_problems`), so that every problem is reported at once, as for a
    leaflet file."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = (), texts: Iterable[tuple[str, str, Location]] = ()) -> None:
        super().__init__(diagnostics)
        self.texts = tuple(texts)


def printed_texts(values: Mapping[str, Any], locate: Locator) -> list[tuple[str, str, Location]]:
    """The texts of a record's checked ``values`` (field -> value) that the panel prints as written
    (not the language, the date or the refills, which it writes itself), with where each is."""
    return [(name, value, locate(name)) for name, value in values.items()
            if isinstance(value, str) and name not in ("language", "dispensed")]


def at_file(file: str) -> Locator:
    """A locator that knows only the input's name (an HTTP request, a record built in Python)."""
    here = Location(file=file)
    return lambda field: here


class Prescription(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One dispensed prescription, validated: what the personal panel prints (USP <17> order).

    Texts are as given (spaces at their ends removed); ``dispensed`` is a date; ``refills`` a
    whole number. The optional fields are None when not given. Encode with
    ``msgspec.json.encode`` (``dispensed`` as ``YYYY-MM-DD``); never log it (patient data)."""

    patient: str
    directions: str
    strength: str
    form: str
    prescriber: str
    pharmacy: str
    pharmacy_address: str
    pharmacy_phone: str
    rx_number: str
    dispensed: datetime.date
    quantity: str
    refills: int
    language: str
    purpose: str | None = None
    brand: str | None = None
    digital_url: str | None = None


class Field(msgspec.Struct, frozen=True):
    """One field of the prescription format: its kind, whether it is required, what it is."""

    name: str
    kind: str  # text | lines | date | count | quantity | language | url
    required: bool
    description: str
    example: str


FIELDS: tuple[Field, ...] = (
    Field("patient", "text", True, "The patient's name, as on the prescription label.", "Alex Example"),
    Field("directions", "lines", True,
          "How to take the medicine, in plain words and digits, printed exactly as written in 12 pt bold "
          "(USP <17>); a line break starts a new line.",
          "Take 1 tablet by mouth in the morning and 1 at bedtime"),
    Field("purpose", "text", False, "What the medicine is for, printed as 'Purpose: …' (USP <17>: when the "
          "prescriber gives it), as written: 'muscle spasms' or 'for muscle spasms'.", "muscle spasms"),
    Field("strength", "text", True, "The strength dispensed.", "10 mg"),
    Field("form", "text", True, "The dosage form dispensed.", "tablets"),
    Field("brand", "text", False, "The brand name of the product dispensed, when a brand is dispensed; "
          "without it the panel names the brands of the leaflet's medicine.", "Testabrand"),
    Field("prescriber", "text", True, "Who prescribed the medicine.", "Dr. Sam Sample"),
    Field("pharmacy", "text", True, "The pharmacy's name.", "Example Pharmacy"),
    Field("pharmacy_address", "lines", True, "The pharmacy's address; a line break starts a new line.",
          "1 Sample Street, Exampleton"),
    Field("pharmacy_phone", "text", True, "The pharmacy's telephone number.", "555-0100"),
    Field("rx_number", "text", True, "The prescription (Rx) number.", "RX-0001234"),
    Field("dispensed", "date", True, "The date dispensed, YYYY-MM-DD; printed in the leaflet's language.",
          "2026-11-23"),
    Field("quantity", "quantity", True, "The quantity dispensed: a number, with its unit if wanted.",
          "60 tablets"),
    Field("refills", "count", True, "How many refills remain: a whole number, 0 for none.", "2"),
    Field("language", "language", True,
          "The patient's language (BCP 47): the leaflet is built in it when the leaflet has that translation.",
          "en"),
    Field("digital_url", "url", False,
          "The address of the digital leaflet (https://…): printed, with a QR code, in the panel.",
          "https://example.org/leaflets/baclofen"),
)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
REQUIRED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)

# names people use for the fields (dispensing systems, FHIR, habit): for the did-you-mean
ALIASES = {
    "name": "patient", "patient_name": "patient", "sig": "directions", "instructions": "directions",
    "dosage": "directions", "indication": "purpose", "reason": "purpose", "dose": "strength",
    "dosage_form": "form", "doctor": "prescriber", "physician": "prescriber", "prescribed_by": "prescriber",
    "store": "pharmacy", "pharmacy_name": "pharmacy", "address": "pharmacy_address",
    "phone": "pharmacy_phone", "telephone": "pharmacy_phone", "rx": "rx_number", "rx_no": "rx_number",
    "prescription_number": "rx_number", "date": "dispensed", "date_dispensed": "dispensed",
    "dispense_date": "dispensed", "qty": "quantity", "refill": "refills", "refills_remaining": "refills",
    "lang": "language", "locale": "language", "url": "digital_url", "link": "digital_url",
    "brand_name": "brand",
}

MAX_TEXT = 500  # characters in one text: far more than a panel prints; stops a wrong column early
MAX_REFILLS = 99
MAX_URL = 2000
_ANY_CASE_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}$")


def canonical_language(tag: str) -> str:
    """A language tag in BCP 47's case (tags are case-insensitive; systems write ``EN``, ``es-mx``,
    ``zh-hans-cn``): the language in lower case, a script in title case, a region in upper case."""
    first, *rest = tag.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            parts.append(part.upper())
        else:
            parts.append(part.lower())
    return "-".join(parts)
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
# digits a pharmacy writes: ASCII, Arabic-Indic (٠-٩) and Extended Arabic-Indic (۰-۹, Persian, Urdu)
DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_QUANTITY = re.compile(f"^[{DIGITS}]")
_COUNT = re.compile(f"^[{DIGITS}]{{1,2}}$")


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    return "a value of another kind"


def unknown_field_hint(name: str) -> str:
    """'did you mean …?' for a field the format does not have (no values in it: a field name)."""
    alias = ALIASES.get(name.strip().lower().replace(" ", "_").replace("-", "_"))
    if alias:
        return f"did you mean '{alias}'?"
    close = difflib.get_close_matches(name, list(BY_NAME), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "the fields are: " + ", ".join(BY_NAME)


def language_tag(text: str) -> bool:
    """Whether ``text`` has the shape of a BCP 47 language tag, in any case (``en``, ``es-mx``)."""
    return bool(_ANY_CASE_LANGUAGE.fullmatch(text))


def _direction(language: Any) -> str:
    if isinstance(language, str) and _ANY_CASE_LANGUAGE.fullmatch(language.strip()):
        try:
            return locale_for(canonical_language(language.strip())).direction
        except ResourceError:
            pass
    return "ltr"


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(field: Field, value: Any, problem: Callable[..., None], direction: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        problem(f"expected text, found {_kind_of(value)}", "write the text (quote it in YAML or JSON)",
                code="type")
        return None
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        problem(f"the text is longer than {MAX_TEXT} characters",
                "is this the right column or field? The panel prints a few lines for each field", code="value")
        return None
    if not prints_something(text):
        problem("the text is empty: it holds only characters that print nothing",
                "write the text, or leave the field out", code="empty-text")
        return None
    found = False
    for d in character_problems(text, (field.name,), direction):
        found = True
        # character_problems says which character it is (a control code point), never the text
        problem(d.message, d.hint, code=d.code)
    if field.kind != "lines" and ("\n" in text or "\r" in text):
        found = True
        problem("the text holds a line break; this field is one line",
                "write it on one line", code="value")
    return None if found else text


def _date(value: Any, problem: Callable[..., None]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            problem("expected a date, found a date with a time of day",
                    "give the date only (YYYY-MM-DD); in a sheet, format the cell as a date", code="value")
            return None
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        problem(f"expected a date written YYYY-MM-DD, found {_kind_of(value)}",
                "e.g. 2026-11-23 (quote it in YAML: \"2026-11-23\")", code="type")
        return None
    m = _DATE.fullmatch(value.strip())
    if not m:
        problem("not a date written YYYY-MM-DD", "e.g. 2026-11-23: year, month and day, with '-'", code="value")
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        problem("not a date of the calendar (the month has no such day, or there is no such month)",
                "check the month (01-12) and the day", code="value")
        return None


def _count(value: Any, problem: Callable[..., None]) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _COUNT.fullmatch(value.strip()):
        value = int(value.strip())  # int() reads Arabic-Indic digits too
    if isinstance(value, bool) or not isinstance(value, int):
        problem("not a whole number", "write the number of refills in digits, 0 for none",
                code="value" if isinstance(value, str) else "type")
        return None
    if not 0 <= value <= MAX_REFILLS:
        problem(f"the number of refills must be from 0 to {MAX_REFILLS}", "write the refills that remain, 0 for none",
                code="value")
        return None
    return value


def _quantity(field: Field, value: Any, problem: Callable[..., None], direction: str) -> str | None:
    if isinstance(value, float):
        if not math.isfinite(value):  # JSON readers accept NaN and Infinity
            problem("the quantity is not a number", "write the quantity dispensed, e.g. 60 or 60 tablets",
                    code="value")
            return None
        if not value.is_integer() and value > 0:
            return repr(value)
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value <= 0:
            problem("the quantity must be more than 0", "write the quantity dispensed, e.g. 60 or 60 tablets",
                    code="value")
            return None
        return str(value)
    text = _text(field, value, problem, direction)
    if text is not None and not _QUANTITY.match(text):
        problem("the quantity does not start with a number", "write the number dispensed in digits, "
                "then its unit if wanted: e.g. 60 or 60 tablets or 150 mL", code="value")
        return None
    return text


def from_record(record: Any, locate: Locator, *, direction: str | None = None) -> Prescription:
    """Validate a prescription record (see the module's contract); return the
    :class:`Prescription` or raise ContentError listing every problem, each placed by ``locate``.

    ``direction`` ("ltr"/"rtl") decides whether bidirectional isolates and marks are allowed in the
    texts; by default it is the direction of the record's ``language`` (overrides never are)."""
    if not isinstance(record, Mapping):
        raise ContentError([locate("").diagnostic(
            f"the prescription is {_kind_of(record)}, not a mapping of fields", None,
            "a prescription is a mapping: 'patient: …', 'directions: …', 'dispensed: …' (see the prescription "
            "schema: leaflet schema --rx)", code="record")])
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    if direction is None:
        direction = _direction(record.get("language"))
    for key in record:
        if not isinstance(key, str):
            problems.append(locate("").diagnostic("a field name must be text", None,
                                                  "the fields are: " + ", ".join(BY_NAME), code="type"))
        elif key not in BY_NAME:
            # the name of the key is the format's business, not patient data: it may be shown
            shown = key if len(key) <= 40 and key.isprintable() else key[:40].encode("unicode_escape").decode() + "…"
            problems.append(locate(key).diagnostic(f"unknown field '{shown}'", key, unknown_field_hint(key),
                                                   code="unknown-key"))
    for field in FIELDS:
        value = record.get(field.name)
        if not _given(value):
            if field.required:
                problems.append(locate(field.name).diagnostic(
                    f"missing required field '{field.name}'" if value is None else "the field is empty", field.name,
                    f"{field.description} E.g. {field.name}: {field.example}",
                    code="missing-field" if value is None else "empty-text"))
            continue

        def problem(message: str, hint: str = "", *, code: str, _name: str = field.name) -> None:
            problems.append(locate(_name).diagnostic(message, _name, hint, code=code))

        converted: Any
        if field.kind in ("text", "lines"):
            converted = _text(field, value, problem, direction)
        elif field.kind == "date":
            converted = _date(value, problem)
        elif field.kind == "count":
            converted = _count(value, problem)
        elif field.kind == "quantity":
            converted = _quantity(field, value, problem, direction)
        elif field.kind == "language":
            converted = None
            if not isinstance(value, str):
                problem(f"expected a language tag, found {_kind_of(value)}", "e.g. en, ar, zh, ru", code="type")
            elif not _ANY_CASE_LANGUAGE.fullmatch(value.strip()):
                problem("not a language tag", "use a BCP 47 tag such as en, en-GB, es, ar, zh, ru", code="value")
            else:
                converted = canonical_language(value.strip())
        else:  # url
            converted = None
            if not isinstance(value, str):
                problem(f"expected a web address, found {_kind_of(value)}", "e.g. https://example.org/leaflet",
                        code="type")
            elif len(value.strip()) > MAX_URL or not _URL.fullmatch(value.strip()):
                problem("not a web address starting with https:// (or http://)",
                        "e.g. https://example.org/leaflets/baclofen (no spaces)", code="value")
            else:
                converted = value.strip()
        if converted is not None:
            values[field.name] = converted
    if problems:
        problems.sort(key=lambda d: (d.line == 0, d.line, d.column))
        raise RecordError(problems, printed_texts(values, locate))
    return Prescription(**values)


def to_record(prescription: Prescription) -> dict[str, Any]:
    """The plain mapping that :func:`from_record` turns back into ``prescription`` (fields not
    given are left out; ``dispensed`` as YYYY-MM-DD): for JSON, sheets and tests."""
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = getattr(prescription, field.name)
        if value is None:
            continue
        out[field.name] = value.isoformat() if isinstance(value, datetime.date) else value
    return out


__all__ = ["ALIASES", "BY_NAME", "FIELDS", "REQUIRED", "Field", "Location", "Locator", "Prescription", "RecordError",
           "at_file", "from_record", "printed_texts", "to_record", "unknown_field_hint"]
