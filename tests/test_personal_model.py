"""The prescription record contract: leaflet.personal.model.from_record."""
from __future__ import annotations

import datetime

import msgspec
import pytest

from leaflet.errors import CODES, ContentError
from leaflet.personal.model import FIELDS, REQUIRED, Location, Prescription, at_file, from_record, to_record

SENTINEL = "Zebulon Quixotic-Sentinel"

GOOD = {
    "patient": SENTINEL,
    "directions": "Take 1 tablet by mouth in the morning and 1 at bedtime",
    "purpose": "muscle spasms",
    "strength": "10 mg",
    "form": "tablets",
    "prescriber": "Dr. Sam Sample",
    "pharmacy": "Example Pharmacy",
    "pharmacy_address": "1 Sample Street\nExampleton EX1 2AB",
    "pharmacy_phone": "555-0100",
    "rx_number": "RX-0001234",
    "dispensed": "2026-11-23",
    "quantity": "60 tablets",
    "refills": "2",
    "language": "en",
}


def locate_rows(field: str) -> Location:
    return Location(file="batch.csv", row=7, column_name=field or "")


def problems(record, locate=None):
    with pytest.raises(ContentError) as info:
        from_record(record, locate or at_file("rx.json"))
    return info.value.diagnostics


def test_a_good_record_is_a_prescription():
    rx = from_record(GOOD, at_file("rx.json"))
    assert isinstance(rx, Prescription)
    assert rx.patient == SENTINEL and rx.dispensed == datetime.date(2026, 11, 23) and rx.refills == 2
    assert rx.quantity == "60 tablets" and rx.pharmacy_address == "1 Sample Street\nExampleton EX1 2AB"
    assert rx.digital_url is None and rx.brand is None
    assert from_record(to_record(rx), at_file("x")) == rx
    # JSON round trip for services
    assert msgspec.json.decode(msgspec.json.encode(rx), type=Prescription) == rx


def test_values_from_sheets_and_fhir_convert():
    record = {**GOOD, "refills": 0, "quantity": 60, "dispensed": datetime.datetime(2026, 11, 23),
              "digital_url": "https://example.org/leaflets/baclofen"}
    rx = from_record(record, at_file("x"))
    assert (rx.refills, rx.quantity, rx.dispensed) == (0, "60", datetime.date(2026, 11, 23))
    assert from_record({**GOOD, "quantity": 60.0, "refills": 1.0}, at_file("x")).quantity == "60"
    # empty optional cells are "not given"
    assert from_record({**GOOD, "purpose": "  ", "brand": None}, at_file("x")).purpose is None


def test_every_problem_at_once_never_with_the_value():
    bad = {**GOOD, "patient": "", "dispensed": "23/11/2026", "refills": "two", "quantity": "some",
           "language": "English!", "digital_url": "example org", "patinet": SENTINEL}
    del bad["prescriber"]
    found = problems(bad, locate_rows)
    by_field = {d.path: d for d in found}
    assert set(by_field) == {("patient",), ("dispensed",), ("refills",), ("quantity",), ("language",),
                             ("digital_url",), ("patinet",), ("prescriber",)}
    for d in found:
        assert d.code in CODES, d
        assert d.file == "batch.csv" and "row 7" in d.where, d
        text = str(d)
        for value in (SENTINEL, "23/11/2026", "two", "some", "English!", "example org"):
            assert value not in text, text
    assert by_field[("patinet",)].code == "unknown-key" and "did you mean 'patient'?" in by_field[("patinet",)].hint
    assert by_field[("prescriber",)].code == "missing-field"
    assert by_field[("dispensed",)].code == "value" and "YYYY-MM-DD" in by_field[("dispensed",)].message
    assert str(by_field[("dispensed",)]).startswith(
        "batch.csv: row 7, column dispensed: error[value]: dispensed: not a date written YYYY-MM-DD")


def test_aliases_get_a_did_you_mean():
    record = {**GOOD, "sig": "x", "qty": "3"}
    hints = {d.path: d.hint for d in problems(record)}
    assert hints[("sig",)] == "did you mean 'directions'?" and hints[("qty",)] == "did you mean 'quantity'?"


@pytest.mark.parametrize("field, value, code", [
    ("dispensed", "2026-02-30", "value"),
    ("dispensed", 20261123, "type"),
    ("dispensed", datetime.datetime(2026, 11, 23, 9, 30), "value"),
    ("refills", "-1", "value"),
    ("refills", 100, "value"),
    ("refills", True, "type"),
    ("refills", 1.5, "type"),
    ("quantity", 0, "value"),
    ("quantity", float("nan"), "value"),
    ("quantity", float("inf"), "value"),
    ("refills", float("nan"), "type"),
    ("patient", ["a", "b"], "type"),
    ("patient", {"given": "x"}, "type"),
    ("patient", "Alex\nExample", "value"),
    ("patient", "Alex\u202eExample", "character"),
    ("patient", "Alex\x00Example", "character"),
    ("patient", "\u200b\u200b", "empty-text"),
    ("patient", "x" * 501, "value"),
    ("directions", True, "type"),
    ("language", "../../etc", "value"),
    ("digital_url", "javascript:alert(1)", "value"),
    ("digital_url", "https://exa mple.org/x", "value"),
])
def test_a_bad_value_is_one_problem_naming_the_field(field, value, code):
    [d] = problems({**GOOD, field: value})
    assert d.path == (field,) and d.code == code, d
    if isinstance(value, str) and len(value) > 3:
        assert value not in str(d)


def test_bidi_marks_follow_the_language_direction():
    ar = {**GOOD, "language": "ar", "patient": "\u2067Alex Example\u2069"}
    assert from_record(ar, at_file("x")).patient == ar["patient"]
    found = problems({**ar, "language": "en"})
    assert found and all(d.code == "character" and d.path == ("patient",) for d in found)


def test_a_record_that_is_not_a_mapping():
    [d] = problems(["patient", SENTINEL])
    assert d.code == "record" and SENTINEL not in str(d)


def test_locations_print_for_each_kind_of_input():
    assert str(Location(file="rx.yaml", line=3, column=10)) == "rx.yaml:3:10"
    assert str(Location(file="b.xlsx", sheet="Today", row=7, column_name="dispensed")) == \
        "b.xlsx: sheet Today, row 7, column dispensed"
    element = "Bundle.entry[1].resource.dosageInstruction[0].patientInstruction"
    assert str(Location(file="bundle.json", element=element)) == f"bundle.json: {element}"
    d = Location(file="rx.yaml", line=3, column=10).diagnostic("m", "patient", "h", code="value")
    assert str(d) == "rx.yaml:3:10: error[value]: patient: m\n  hint: h"


def test_every_required_field_is_reported_when_the_record_is_empty():
    found = problems({})
    assert [d.path[0] for d in found] == list(REQUIRED)
    assert all(d.code == "missing-field" and d.hint for d in found)
    assert {f.name for f in FIELDS} == set(Prescription.__struct_fields__)


def test_any_value_in_any_field_is_a_prescription_or_a_content_error():
    import itertools

    odd = [None, "", " ", 0, -1, 2**70, 1e308, float("nan"), True, [], {}, "x" * 600, "\x00", "\ud800", "\u202e1",
           datetime.datetime(2026, 1, 1, 1), datetime.date(2026, 1, 1), b"bytes", object(), "2026-13-01", "٣", "1.5"]
    for field, value in itertools.product([f.name for f in FIELDS], odd):
        try:
            rx = from_record({**GOOD, field: value}, at_file("x"))
        except ContentError as exc:
            assert all(d.code in CODES and d.path for d in exc.diagnostics), (field, value)
        else:
            assert isinstance(rx, Prescription)
    for key in (1, None, ("a",)):
        with pytest.raises(ContentError):
            from_record({**GOOD, key: "x"}, at_file("x"))


def test_arabic_indic_digits_are_numbers():
    rx = from_record({**GOOD, "refills": "٢", "quantity": "٩٠ قرصًا", "language": "ar"}, at_file("x"))
    assert rx.refills == 2 and rx.quantity == "٩٠ قرصًا"
    assert from_record({**GOOD, "refills": "۳"}, at_file("x")).refills == 3


@pytest.mark.parametrize("written, canonical", [
    ("EN", "en"), ("es-mx", "es-MX"), ("ES-MX", "es-MX"), ("zh-hans-cn", "zh-Hans-CN"), ("es-419", "es-419"),
    ("AR", "ar"), ("en-gb-oxendict", "en-GB-oxendict"), ("pt-BR", "pt-BR"),
])
def test_a_language_tag_is_read_in_any_case_and_kept_in_bcp_47_case(written, canonical):
    # language tags are case-insensitive (BCP 47); dispensing systems write EN or es-mx: the leaflet's
    # translation is then found as for en or es-MX (its file names are in BCP 47's case)
    assert from_record({**GOOD, "language": written}, at_file("x")).language == canonical
    assert problems({**GOOD, "language": "E"}) and problems({**GOOD, "language": "en_GB"})
