"""What the personal panel prints: its rows, in USP <17> order, as plain texts with their fields.

The panel at the top of page 1 of a personalised leaflet (``leaflet build … --rx rx.yaml``)
prints a prescription (:class:`leaflet.personal.model.Prescription`) in the order of the USP
<17> prescription label:

1. the patient;
2. the medicine (the leaflet's ``medicine.name``; the brand dispensed, or else the leaflet's
   brands), strength and form;
3. the directions (drawn in bold, at least 12 pt);
4. the purpose ("Purpose: …"), when given;
5. the prescriber;
6. the pharmacy: name, address, phone;
7. the Rx number, the date dispensed (written as the locale writes dates), the quantity and the
   refills (in the locale's digits);

and, when the prescription gives one, the address of the digital leaflet. The labels are locale
strings (``panel_*``). This module is the one place that says what the panel prints: the layout
(:mod:`leaflet.typeset.panel`) draws these rows, and the read-back check (``leaflet verify --rx``)
expects them, in this order, before the rest of page 1 (:func:`leaflet.text.printed.printed_stream`).
"""
from __future__ import annotations

import datetime
import unicodedata
from typing import Any, NamedTuple, Protocol

from ..content.model import Leaflet
from ..errors import Path
from ..i18n.formats import cldr_of, format_date, format_number
from .inline import one_line, plain
from .printed import label_parts

PANEL_KEYS = ("panel_patient", "panel_medicine", "panel_directions", "panel_purpose", "panel_prescriber",
              "panel_pharmacy", "panel_phone", "panel_rx_number", "panel_dispensed", "panel_quantity",
              "panel_refills", "panel_digital")
SEPARATOR = " · "  # between the items of one row


class PrescriptionData(Protocol):
    """What the panel reads of a prescription (:class:`leaflet.personal.model.Prescription`)."""

    @property
    def patient(self) -> str: ...

    @property
    def directions(self) -> str: ...

    @property
    def strength(self) -> str: ...

    @property
    def form(self) -> str: ...

    @property
    def prescriber(self) -> str: ...

    @property
    def pharmacy(self) -> str: ...

    @property
    def pharmacy_address(self) -> str: ...

    @property
    def pharmacy_phone(self) -> str: ...

    @property
    def rx_number(self) -> str: ...

    @property
    def dispensed(self) -> datetime.date: ...

    @property
    def quantity(self) -> str: ...

    @property
    def refills(self) -> int: ...

    @property
    def language(self) -> str: ...

    @property
    def purpose(self) -> str | None: ...

    @property
    def brand(self) -> str | None: ...

    @property
    def digital_url(self) -> str | None: ...


class Segment(NamedTuple):
    """A piece of a row: a label or separator the layout adds (``generated``), or a value (its field)."""

    path: Path  # ("prescription", field) for the prescription's values, ("medicine", ...) for the leaflet's
    text: str
    generated: bool = False
    bold: bool = False
    label: bool = False  # a label, or what separates it from its value: held to the value on a line


class Row(NamedTuple):
    """One row of the panel: its segments in reading order, and at most how many lines it may take."""

    field: str  # the field a row too long for its lines is reported under
    segments: tuple[Segment, ...]
    lines: int
    directions: bool = False  # drawn in the directions' style (bold, at least 12 pt)
    usual: int = 1  # the lines it usually takes (USUAL_LINES): a panel too tall names the row most over it


def rx(field: str) -> Path:
    return ("prescription", field)


def is_private(path: Path) -> bool:
    """Is a text at ``path`` patient data (a value of the prescription)? Never quoted in messages."""
    return bool(path) and path[0] == "prescription"


def _label(strings: dict[str, Any], label: str, field: str, path: Path | None = None) -> tuple[Segment, ...]:
    """A label with its punctuation (the locale's ``label_value``: "Patient:", "Patient\u202f:",
    "患者：") and what separates it from the value (nothing after a full-width colon)."""
    text, gap, _ = label_parts(strings, label)
    where = rx(field) if path is None else path
    return (Segment(where, text, generated=True, label=True),
            *([Segment(where, gap, generated=True, label=True)] if gap else []))


def _sep(field: str) -> Segment:
    return Segment(rx(field), SEPARATOR, generated=True)


def _lines(text: str) -> list[str]:
    """A value's lines (a line break in directions or an address starts a new line), each collapsed."""
    return [one_line(line) for line in unicodedata.normalize("NFC", text).split("\n") if line.strip()]


def _value(field: str, text: str, *, bold: bool = False) -> list[Segment]:
    out: list[Segment] = []
    for i, line in enumerate(_lines(text)):
        if i:
            out.append(Segment(rx(field), "\n", generated=True))
        out.append(Segment(rx(field), line, bold=bold))
    return out


# the most lines each row may take (a text longer than that is refused, naming its field): they bound
# the panel's height classes and refuse what no prescription holds (a page of text in one field), not
# a normal value on the narrowest paper: a full Russian name (name, patronymic, surname) takes 3 lines
# on A5 in large print beside the digital leaflet's QR code. The panel is as tall as its rows need
# (leaflet.typeset.panel), within what page 1 has room for.
ROW_LINES = {"patient": 3, "medicine": 4, "directions": 8, "purpose": 3, "prescriber": 3, "pharmacy": 5,
             "rx_number": 4, "digital_url": 2}
# the lines each row usually takes: the height of a panel laid out without a prescription
USUAL_LINES = {"patient": 1, "medicine": 2, "directions": 3, "purpose": 1, "prescriber": 1, "pharmacy": 2,
               "rx_number": 2, "digital_url": 1}
# rows made mostly of the panel's labels (the Rx number, the date dispensed, the quantity and the
# refills: short values the pharmacy cannot shorten): a panel too tall for page 1 never names them
LABEL_ROWS = ("rx_number",)


def _row(field: str, segments: tuple[Segment, ...], kind: str, directions: bool = False) -> Row:
    """A row of the kind ``kind`` (its lines: ROW_LINES, USUAL_LINES), reported under ``field``."""
    return Row(field, segments, ROW_LINES[kind], directions, USUAL_LINES[kind])


def panel_rows(prescription: PrescriptionData, leaflet: Leaflet, strings: dict[str, Any]) -> list[Row]:
    """The panel's rows for ``prescription`` on ``leaflet`` in the locale ``strings`` (with its
    ``panel_*`` keys), in USP <17> order. Rows without a value (no purpose, no digital leaflet)
    are left out (the panel is as tall as the rows it has)."""
    s = strings
    cldr = cldr_of(strings)
    p = prescription
    rows = [_row("patient", (*_label(s, s["panel_patient"], "patient"), *_value("patient", p.patient, bold=True)),
                 "patient")]
    medicine: list[Segment] = [*_label(s, s["panel_medicine"], "medicine"),
                               Segment(("medicine", "name"), one_line(plain(leaflet.medicine.name)), bold=True)]
    if p.brand is not None:
        medicine += [_sep("brand"), *_label(s, s["brand_name"], "brand"), *_value("brand", p.brand)]
    elif leaflet.medicine.brands:
        brands = leaflet.medicine.brands
        medicine += [_sep("brand"), *_label(s, s["brand_names"] if len(brands) > 1 else s["brand_name"], "brand",
                                            ("medicine", "brands"))]
        for i, brand in enumerate(brands):
            if i:
                medicine.append(Segment(("medicine", "brands", i), ", ", generated=True))
            medicine.append(Segment(("medicine", "brands", i), one_line(plain(brand))))
    medicine += [_sep("strength"), *_value("strength", p.strength), Segment(rx("form"), " ", generated=True),
                 *_value("form", p.form)]
    rows.append(_row("strength", tuple(medicine), "medicine"))
    rows.append(_row("directions", (*_label(s, s["panel_directions"], "directions"),
                                    *_value("directions", p.directions, bold=True)),
                     "directions", directions=True))
    if p.purpose is not None:
        rows.append(_row("purpose", (*_label(s, s["panel_purpose"], "purpose"), *_value("purpose", p.purpose)),
                         "purpose"))
    rows.append(_row("prescriber", (*_label(s, s["panel_prescriber"], "prescriber"),
                                    *_value("prescriber", p.prescriber)), "prescriber"))
    address: list[Segment] = []
    for line in _lines(p.pharmacy_address):
        address += [_sep("pharmacy_address"), Segment(rx("pharmacy_address"), line)]
    rows.append(_row("pharmacy_address", (*_label(s, s["panel_pharmacy"], "pharmacy"), *_value("pharmacy", p.pharmacy),
                                          *address, _sep("pharmacy_phone"),
                                          *_label(s, s["panel_phone"], "pharmacy_phone"),
                                          *_value("pharmacy_phone", p.pharmacy_phone)), "pharmacy"))
    rows.append(_row("rx_number", (
        *_label(s, s["panel_rx_number"], "rx_number"), *_value("rx_number", p.rx_number), _sep("dispensed"),
        *_label(s, s["panel_dispensed"], "dispensed"), Segment(rx("dispensed"), format_date(p.dispensed.isoformat(), cldr)),
        _sep("quantity"), *_label(s, s["panel_quantity"], "quantity"), *_value("quantity", p.quantity),
        _sep("refills"), *_label(s, s["panel_refills"], "refills"), Segment(rx("refills"), format_number(p.refills, cldr)),
    ), "rx_number"))
    if p.digital_url is not None:
        rows.append(_row("digital_url", (*_label(s, s["panel_digital"], "digital_url"),
                                         Segment(rx("digital_url"), p.digital_url)), "digital_url"))
    return rows


def panel_texts(prescription: PrescriptionData, leaflet: Leaflet, strings: dict[str, Any]) -> list[Segment]:
    """Every text the panel prints, in reading order (what ``verify --rx`` expects first on page 1)."""
    return [seg for row in panel_rows(prescription, leaflet, strings) for seg in row.segments
            if seg.text.strip()]


def missing_strings(strings: dict[str, Any]) -> list[str]:
    """The panel's locale strings a locale lacks (an older locale file of one's own)."""
    return [key for key in PANEL_KEYS if not isinstance(strings.get(key), str)]
