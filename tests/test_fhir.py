"""Prescriptions from FHIR R4 Bundles (leaflet.personal.fhir)."""
from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from leaflet.errors import ContentError
from leaflet.personal import fhir
from leaflet.personal.fhir import from_bundle

FIXTURES = Path(__file__).parent / "fixtures" / "fhir"
BUNDLE: dict[str, Any] = json.loads((FIXTURES / "bundle.json").read_text(encoding="utf-8"))
SENTINEL = "Zebulon Quartermaine-Sentinel"


def bundle() -> dict[str, Any]:
    return copy.deepcopy(BUNDLE)


def resource(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind)


def index(data: dict[str, Any], kind: str) -> int:
    return next(i for i, e in enumerate(data["entry"]) if e["resource"]["resourceType"] == kind)


def problems(data: dict[str, Any] | str) -> list[Any]:
    text = data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)
    with pytest.raises(ContentError) as info:
        from_bundle(text, "b.json")
    return info.value.diagnostics


def test_the_sample_bundle_maps_every_field():
    rx = fhir.read(str(FIXTURES / "bundle.json"))
    assert rx.patient == "Alex J. Example"  # the official name, not the old one: given + family
    assert rx.language == "en"  # the preferred communication, not the first
    assert rx.directions == "Take 1 tablet by mouth in the morning and 1 tablet at bedtime"  # patientInstruction
    assert rx.purpose == "muscle spasms"
    assert rx.strength == "10 mg" and rx.form == "tablets"
    assert rx.prescriber == "Dr. Sam Sample"  # a relative reference Practitioner/prac-1
    assert rx.pharmacy == "Example Pharmacy" and rx.pharmacy_phone == "555-0100"  # the phone, not the fax
    assert rx.pharmacy_address == "1 Sample Street\nExampleton, EX 00001"
    assert rx.rx_number == "RX-0001234"  # the official identifier
    assert rx.dispensed == datetime.date(2026, 11, 23)  # whenHandedOver, not whenPrepared
    assert rx.quantity == "60 tablets" and rx.refills == 2


def test_text_bytes_with_a_byte_order_mark_and_parsed_data_give_the_same():
    raw = (FIXTURES / "bundle.json").read_bytes()
    assert from_bundle(b"\xef\xbb\xbf" + raw, "b.json") == from_bundle(raw.decode(), "b.json") == from_bundle(BUNDLE)


def test_directions_patient_instruction_else_text_in_sequence_order():
    data = bundle()
    request = resource(data, "MedicationRequest")
    request["dosageInstruction"] = [
        {"sequence": 2, "text": "Then take 1 tablet at bedtime"},
        {"sequence": 1, "text": "1 tab qAM", "patientInstruction": "Take 1 tablet in the morning"},
    ]
    assert from_bundle(data).directions == "Take 1 tablet in the morning\nThen take 1 tablet at bedtime"
    # the dispense's instructions (what the pharmacy labelled) come before the request's
    resource(data, "MedicationDispense")["dosageInstruction"] = [{"text": "Take 1 tablet twice a day"}]
    assert from_bundle(data).directions == "Take 1 tablet twice a day"


def test_a_dosage_without_words_is_an_error_at_its_element_and_line():
    data = bundle()
    request = resource(data, "MedicationRequest")
    request["dosageInstruction"] = [{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}}]
    text = json.dumps(data, indent=2)
    (problem,) = problems(text)
    n = index(data, "MedicationRequest")
    assert problem.where == f"Bundle.entry[{n}].resource.dosageInstruction[0]"
    assert problem.code == "missing-field" and problem.path == ("directions",)
    line = text.splitlines()[problem.line - 1]
    assert line[problem.column - 1] == "{" and '"dosageInstruction"' in text.splitlines()[problem.line - 2]
    assert str(problem).startswith(f"b.json:{problem.line}:{problem.column}: Bundle.entry[{n}].resource."
                                   "dosageInstruction[0]: error[missing-field]: directions: ")


def test_language_from_communication():
    data = bundle()
    patient = resource(data, "Patient")
    patient["communication"] = [{"language": {"text": "es"}}, {"language": {"coding": [
        {"system": "urn:iso:std:iso:639", "code": "ara"}, {"system": "urn:ietf:bcp:47", "code": "ar"}]}}]
    assert from_bundle(data).language == "es"  # none preferred: the first; its text
    patient["communication"][1]["preferred"] = True
    assert from_bundle(data).language == "ar"  # the BCP 47 coding first
    patient["communication"] = [{"language": {"text": "Spanish"}}]
    (problem,) = problems(data)
    assert problem.code == "value" and problem.path == ("language",) and "Spanish" not in str(problem)
    del patient["communication"]
    (problem,) = problems(data)
    assert problem.code == "missing-field" and problem.where == "Bundle.entry[0].resource.communication (not in the " \
        "Bundle)"


def test_names_text_first_then_given_and_family():
    data = bundle()
    resource(data, "Patient")["name"] = [{"text": "Rosa María Ejemplo", "family": "Ejemplo"}]
    resource(data, "Practitioner")["name"] = [{"family": "Sample", "given": ["Sam", "T."], "suffix": ["MD"]}]
    rx = from_bundle(data)
    assert rx.patient == "Rosa María Ejemplo" and rx.prescriber == "Sam T. Sample MD"


ASSEMBLY = "http://hl7.org/fhir/StructureDefinition/humanname-assembly-order"


@pytest.mark.parametrize("code, expected", [("F", "Dr. 山田 花子 Jr."), ("G", "Dr. 花子 山田 Jr."),
                                            (None, "Dr. 花子 山田 Jr."), ("NL1", "Dr. 花子 山田 Jr.")])
def test_a_names_assembly_order_extension_puts_the_family_name_first(code, expected):
    """Seen in a new user's trial: a Japanese patient's name, in its parts, printed given name first
    ('花子 山田'), where the name is written family name first. FHIR's extension humanname-assembly-order
    (v2 table 0444: F 'Prefix Family Given Suffix', G 'Prefix Given Family Suffix') says which; without
    it (or with another code) the parts stand given name first, as before."""
    data = bundle()
    name: dict[str, Any] = {"use": "official", "family": "山田", "given": ["花子"], "prefix": ["Dr."], "suffix": ["Jr."]}
    if code is not None:
        name["extension"] = [{"url": ASSEMBLY, "valueCode": code}]
    resource(data, "Patient")["name"] = [name]
    assert from_bundle(data).patient == expected


@pytest.mark.parametrize("order", [("usual", "official", "nickname"), ("nickname", "official", "usual")])
def test_the_official_name_before_the_usual_one_in_any_order(order):
    # a dispensing label names the patient as their records do: the official name wins over a usual
    # (shortened) one and a nickname, wherever it stands in the list
    names = {"official": {"use": "official", "given": ["Rosa", "María"], "family": "Ejemplo Prueba"},
             "usual": {"use": "usual", "given": ["Rosi"], "family": "Ejemplo"},
             "nickname": {"use": "nickname", "text": "Rosita"}}
    data = bundle()
    resource(data, "Patient")["name"] = [names[use] for use in order]
    assert from_bundle(data).patient == "Rosa María Ejemplo Prueba"
    resource(data, "Patient")["name"] = [names["nickname"], names["usual"]]  # no official name: the usual one
    assert from_bundle(data).patient == "Rosi Ejemplo"


@pytest.mark.parametrize("requester, expected", [
    ({"reference": "https://fhir.example.org/r4/Practitioner/prac-1"}, "Dr. Sam Sample"),  # a fullUrl
    ({"reference": "Practitioner/prac-1", "display": "Dr. S. Sample"}, "Dr. Sam Sample"),  # the resource wins
    ({"display": "Dr. Sam Sample (locum)"}, "Dr. Sam Sample (locum)"),  # only a display
    ({"reference": "#doc"}, "Dr. Contained"),  # a contained resource
])
def test_references_resolve_inside_the_bundle(requester, expected):
    data = bundle()
    request = resource(data, "MedicationRequest")
    request["requester"] = requester
    request["contained"] = [{"resourceType": "Practitioner", "id": "doc", "name": [{"text": "Dr. Contained"}]}]
    assert from_bundle(data).prescriber == expected


def test_a_practitioner_role_is_its_practitioner():
    data = bundle()
    data["entry"].append({"fullUrl": "urn:uuid:role-1", "resource": {
        "resourceType": "PractitionerRole", "id": "role-1", "practitioner": {"reference": "Practitioner/prac-1"}}})
    resource(data, "MedicationRequest")["requester"] = {"reference": "urn:uuid:role-1"}
    assert from_bundle(data).prescriber == "Dr. Sam Sample"


def test_a_dangling_reference_is_one_error_with_its_line():
    (problem,) = problems((FIXTURES / "dangling-reference.json").read_text(encoding="utf-8"))
    assert problem.code == "reference" and problem.where.endswith(".resource.requester.reference")
    assert (problem.line, problem.column) > (100, 0)


def test_a_reference_to_the_wrong_kind_of_resource():
    data = bundle()
    resource(data, "MedicationRequest")["requester"] = {"reference": "urn:uuid:6f1c2a9e-2b8e-4c51-9d3a-6a1f0c7e5b01",
                                                        "display": "x"}
    resource(data, "MedicationRequest")["subject"] = {"reference": "Practitioner/prac-1"}
    found = problems(data)
    assert [p.code for p in found][:1] == ["reference"] and "not a Patient" in found[0].message


def test_the_pharmacy_from_the_dispense_location_and_the_request_performer():
    data = bundle()
    data["entry"].append({"fullUrl": "urn:uuid:loc-1", "resource": {
        "resourceType": "Location", "id": "loc-1", "name": "Example Pharmacy, High Street",
        "telecom": [{"system": "phone", "value": "555-0142"}],
        "address": {"text": "12 High Street\nExampleton"}}})
    resource(data, "MedicationDispense")["location"] = {"reference": "urn:uuid:loc-1"}
    rx = from_bundle(data)
    assert (rx.pharmacy, rx.pharmacy_address, rx.pharmacy_phone) == (
        "Example Pharmacy", "12 High Street\nExampleton", "555-0142")  # the organisation's name, the place's address
    del resource(data, "MedicationDispense")["performer"]
    del resource(data, "MedicationDispense")["location"]
    assert from_bundle(data).pharmacy == "Example Pharmacy"  # dispenseRequest.performer


def test_without_a_dispense_the_date_dispensed_is_missing_where_expected():
    data = bundle()
    data["entry"] = [e for e in data["entry"] if e["resource"]["resourceType"] != "MedicationDispense"]
    (problem,) = problems(data)
    assert problem.path == ("dispensed",) and problem.where == "MedicationDispense.whenHandedOver (not in the Bundle)"


def test_a_partial_date_and_bad_refills_are_errors_at_their_elements():
    data = bundle()
    resource(data, "MedicationDispense")["whenHandedOver"] = "2026-11"
    resource(data, "MedicationRequest")["dispenseRequest"]["numberOfRepeatsAllowed"] = -1
    text = json.dumps(data, indent=1)
    found = problems(text)
    assert [(p.path, p.where.rsplit(".", 1)[1]) for p in found] == [
        (("refills",), "numberOfRepeatsAllowed"), (("dispensed",), "whenHandedOver")]
    for p in found:
        assert text.splitlines()[p.line - 1][p.column - 1] in '"-'  # the value's first character


def test_strength_from_the_ingredient_ratio():
    data = bundle()
    ingredient = resource(data, "Medication")["ingredient"][0]
    ingredient["strength"] = {"numerator": {"value": 5, "unit": "mg"}, "denominator": {"value": 5, "unit": "mL"}}
    assert from_bundle(data).strength == "5 mg/5 mL"
    ingredient["strength"]["denominator"] = {"value": 1, "unit": "mL"}
    assert from_bundle(data).strength == "5 mg/mL"
    ingredient["strength"] = {"numerator": {"value": 2.50, "unit": "mg"}}
    assert from_bundle(json.dumps(data).replace("2.5,", "2.50,")).strength == "2.50 mg"  # the decimal as written


def test_several_requests_the_dispense_chooses():
    data = bundle()
    other = copy.deepcopy(resource(data, "MedicationRequest"))
    other["id"], other["identifier"] = "medrx-2", [{"value": "RX-OTHER"}]
    data["entry"].insert(0, {"fullUrl": "urn:uuid:other", "resource": other})
    assert from_bundle(data).rx_number == "RX-0001234"  # the one the dispense's authorizingPrescription names
    del resource(data, "MedicationDispense")["authorizingPrescription"]
    (problem,) = problems(data)
    assert problem.code == "fhir" and "2 MedicationRequests" in problem.message


@pytest.mark.parametrize("name, expected", [
    ("no-request.json", "the Bundle holds no MedicationRequest"),
    ("broken.json", "expected ',' or ']'"),
])
def test_fixtures_that_are_not_prescriptions(name, expected):
    (problem,) = problems((FIXTURES / name).read_text(encoding="utf-8"))
    assert expected in problem.message
    if name == "broken.json":
        assert (problem.line, problem.column, problem.code) == (11, 5, "json-syntax")


@pytest.mark.parametrize("text, expected", [
    ("", "the file is empty"),
    ('{"resourceType": "Patient"}', "this is a FHIR Patient, not a Bundle"),
    ("[1, 2]", "not a FHIR Bundle"),
    ('{"resourceType": "Bundle", "resourceType": "Bundle"}', "given twice"),
    ('{"resourceType": "Bundle", "entry": []} x', "more text after"),
    ('{"resourceType": "Bundle", "entry": [}', "not a JSON value"),
    ('{"resourceType": "Bundle", "entry": {"resource": {}}}', "expected a list"),
    ('{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "name": "Zebulon"}}, '
     '{"resource": {"resourceType": "MedicationRequest"}}]}', "expected a list"),
])
def test_json_and_bundle_shape_errors(text, expected):
    found = problems(text)
    assert any(expected in p.message for p in found), found
    assert all("Zebulon" not in str(p) for p in found)


def test_a_fhir_resource_that_is_not_a_bundle_is_said_so_by_build_rx(tmp_path, capsys):
    # a Patient (or a MedicationRequest) on its own is FHIR, not a prescription file with 8 unknown fields
    from tests.conftest import SAMPLE

    patient = resource(bundle(), "Patient")
    patient["name"] = [{"text": SENTINEL}]
    path = tmp_path / "patient.json"
    path.write_text(json.dumps(patient, indent=1), encoding="utf-8")
    code, out, err = _run(capsys, "build", SAMPLE, "--rx", path, "-o", tmp_path / "x.pdf")
    assert code == 2
    assert f"{path}:1:1: Bundle: error[fhir]: this is a FHIR Patient, not a Bundle" in err, err
    assert "unknown field" not in err and "Zebulon" not in out + err


def test_no_error_of_a_bundle_holds_the_patients_name():
    data = bundle()
    patient = resource(data, "Patient")
    patient["name"] = [{"text": SENTINEL, "given": SENTINEL}]
    patient["communication"] = [{"language": {"text": SENTINEL}}]
    patient["id"] = SENTINEL.replace(" ", "")
    request = resource(data, "MedicationRequest")
    request["subject"] = {"reference": "Patient/" + SENTINEL.replace(" ", "-")}
    request["dosageInstruction"] = [{"text": SENTINEL + "\u202e"}, {"route": {"text": SENTINEL}}]
    request["dispenseRequest"]["numberOfRepeatsAllowed"] = SENTINEL
    resource(data, "MedicationDispense")["whenHandedOver"] = SENTINEL
    found = problems(data)
    assert len(found) >= 4
    text = "\n".join(str(p) for p in found)
    assert "Zebulon" not in text and "Sentinel" not in text
    broken = json.dumps(data)[:-40] + '"' + SENTINEL
    assert "Zebulon" not in "\n".join(str(p) for p in problems(broken))


# --- build --rx bundle.json --------------------------------------------------------------------------


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    from leaflet.cli import main

    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_build_and_verify_take_a_bundle_and_keep_the_patient_out_of_metadata_and_errors(tmp_path, capsys):
    from pypdf import PdfReader

    from tests.conftest import SAMPLE

    data = bundle()
    resource(data, "Patient")["name"] = [{"text": SENTINEL}]
    good = tmp_path / "bundle.json"
    good.write_text(json.dumps(data, indent=2), encoding="utf-8")
    pdf = tmp_path / "out.pdf"
    code, out, err = _run(capsys, "build", SAMPLE, "--rx", good, "-o", pdf)
    assert code == 0, err
    assert SENTINEL not in out + err and SENTINEL not in str(pdf)
    info = {k: str(v) for k, v in (PdfReader(pdf).metadata or {}).items()}
    assert info and not [k for k, v in info.items() if "Zebulon" in v]
    import subprocess

    printed = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], check=True, capture_output=True,
                             text=True).stdout
    assert SENTINEL in printed and "Take 1 tablet by mouth in the morning and 1 tablet at bedtime" in printed
    code, out, err = _run(capsys, "verify", SAMPLE, pdf, "--rx", good)
    assert code == 0, err
    resource(data, "MedicationDispense")["whenHandedOver"] = "23/11/2026"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, out, err = _run(capsys, "build", SAMPLE, "--rx", bad, "-o", tmp_path / "bad.pdf")
    assert code != 0 and "whenHandedOver: error[value]: dispensed: not a date" in err
    assert "Zebulon" not in out + err and not (tmp_path / "bad.pdf").exists()


def test_elements_of_the_wrong_kind_anywhere_are_errors_never_a_crash():
    kinds: list[Any] = [None, 1, -1, 2.5, "", "x", [], {}, ["a"], [{}], {"a": 1}, True, {"reference": "urn:uuid:no"}]

    def paths(node: Any, path: tuple = ()) -> list[tuple]:
        found = [path]
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            found += paths(value, (*path, key))
        return found

    for n, (*parents, last) in enumerate(paths(BUNDLE)[1:]):  # every element, as every kind of JSON value
        for kind in kinds:
            data = bundle()
            node: Any = data
            for key in parents:
                node = node[key]
            node[last] = copy.deepcopy(kind)
            try:
                from_bundle(json.dumps(data) if n % 7 == 0 else data, "b.json")  # some as text too
            except ContentError:
                pass


# --- strict validation (the optional fhir.resources) ---------------------------------------------------


def test_strict_validation_passes_the_sample_and_names_the_element_of_a_problem():
    pytest.importorskip("fhir.resources")
    assert from_bundle(BUNDLE, strict=True) == from_bundle(BUNDLE)
    data = bundle()
    resource(data, "MedicationRequest")["statusReason"] = SENTINEL  # an object in FHIR, not a text
    resource(data, "Patient")["gender"] = SENTINEL.replace(" ", "  ")  # a code holds no double space
    resource(data, "MedicationDispense")["handedOver"] = "2026-11-23"  # no such element
    text = json.dumps(data, indent=2)
    with pytest.raises(ContentError) as info:
        from_bundle(text, "b.json", strict=True)
    found = info.value.diagnostics
    where = {d.where for d in found}
    assert f"Bundle.entry[{index(data, 'MedicationDispense')}].resource.handedOver" in where
    assert any(w.endswith(".resource.statusReason") for w in where) and any(w.endswith(".gender") for w in where)
    assert all(d.line > 1 and d.code == "fhir" for d in found)
    assert "Zebulon" not in str(info.value)
    assert from_bundle(text, "b.json").rx_number == "RX-0001234"  # not strict: only what the panel reads counts
    resource(data, "Practitioner")["resourceType"] = "Zebulonist"
    with pytest.raises(ContentError, match="resourceType") as info:
        from_bundle(data, strict=True)
    assert "Zebulon" not in str(info.value)


def test_strict_validation_without_the_library_says_how_to_install_it(monkeypatch):
    import sys

    from leaflet.errors import UsageError

    monkeypatch.setitem(sys.modules, "fhir.resources.R4B.bundle", None)  # as if not installed
    with pytest.raises(UsageError, match=r"leaflet\[fhir\]"):
        from_bundle(BUNDLE, strict=True)
    assert from_bundle(BUNDLE).rx_number == "RX-0001234"  # the core needs no FHIR library


# --- the country of an address: an ISO 3166 code is named in the leaflet's language ---------------------


def _with_country(country: str, language: str = "en") -> dict[str, Any]:
    data = bundle()
    resource(data, "Organization")["address"][0]["country"] = country
    resource(data, "Patient")["communication"] = [{"language": {"coding": [{"system": "urn:ietf:bcp:47",
                                                                             "code": language}]}}]
    return data


@pytest.mark.parametrize("country, language, printed", [
    ("MX", "en", "Mexico"),
    ("MX", "es", "México"),
    ("MEX", "es-MX", "México"),  # the three-letter code too
    ("MX", "ar", "المكسيك"),  # right to left
    ("DE", "he", "גרמניה"),
    ("JP", "ja", "日本"),
    ("Mexico", "es", "Mexico"),  # a name written out is the author's
    ("mx", "es", "mx"),  # not a code (codes are capitals): as written
    ("UK", "en", "UK"),  # not an ISO 3166-1 code (GB is): as written
    ("EU", "de", "EU"),
])
def test_a_country_code_is_named_in_the_leaflets_language_and_a_name_kept(country, language, printed):
    rx = from_bundle(_with_country(country, language))
    assert rx.pharmacy_address == "1 Sample Street\nExampleton, EX 00001\n" + printed


def test_the_country_is_named_in_the_language_asked_for_and_address_text_is_kept():
    data = _with_country("MX", "es")
    assert from_bundle(data, language="ar").pharmacy_address.endswith("\nالمكسيك")
    assert from_bundle(data, language="fr").pharmacy_address.endswith("\nMexique")
    resource(data, "Organization")["address"][0]["text"] = "1 Sample Street, Exampleton, MX"
    assert from_bundle(data).pharmacy_address == "1 Sample Street, Exampleton, MX"  # Address.text as written


def test_build_rx_prints_the_country_in_the_language_the_leaflet_is_built_in(tmp_path, capsys):
    import subprocess

    from tests.conftest import SAMPLE

    es = tmp_path / "es.json"
    es.write_text(json.dumps(_with_country("MX", "es")), encoding="utf-8")
    pt = tmp_path / "pt.json"  # no Portuguese translation: the English leaflet, and the country in English
    pt.write_text(json.dumps(_with_country("MX", "pt-BR")), encoding="utf-8")
    for path, printed, absent in ((es, "México", "Mexico"), (pt, "Mexico", "México")):
        pdf = tmp_path / (path.stem + ".pdf")
        code, _out, err = _run(capsys, "build", SAMPLE, "--rx", path, "-o", pdf)
        assert code == 0, err
        assert ("warning" in err) == (path is pt)
        text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        assert printed in text and absent not in text
        code, _out, err = _run(capsys, "verify", SAMPLE, pdf, "--rx", path)
        assert code == 0, err
        code, _out, err = _run(capsys, "validate", SAMPLE, "--rx", path)
        assert code == 0, err


# --- refills -----------------------------------------------------------------------------------------


def test_refills_remaining_after_a_dispense_come_from_its_extension_else_the_refills_allowed():
    data = bundle()
    assert from_bundle(data).refills == 2  # numberOfRepeatsAllowed: a first fill
    dispense = resource(data, "MedicationDispense")
    dispense["extension"] = [{"url": "http://example.org/other", "valueInteger": 7},
                             {"url": fhir.REFILLS_REMAINING[0], "valueInteger": 1}]
    dispense["type"] = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "RF"}]}
    assert from_bundle(data).refills == 1
    dispense["extension"] = [{"url": fhir.REFILLS_REMAINING[1], "valueInteger": 0}]  # the older URL
    assert from_bundle(data).refills == 0
    dispense["extension"][0]["valueInteger"] = -1
    (problem,) = problems(data)
    assert problem.path == ("refills",) and problem.where.endswith("extension[0].valueInteger")


@pytest.mark.parametrize("value", [{"valueUnsignedInt": 0}, {}, {"valueInteger": None}, {"valueString": "0"}])
def test_a_refills_remaining_extension_without_its_integer_is_an_error_not_the_refills_allowed(value):
    """The extension says how many refills remain; one whose value is not a valueInteger (another
    type, none) was passed over, and the panel printed the refills allowed (2 here, where 0 remain)."""
    data = bundle()
    dispense = resource(data, "MedicationDispense")
    dispense["extension"] = [{"url": fhir.REFILLS_REMAINING[0], **value}]
    text = json.dumps(data, indent=1)
    (problem,) = problems(text)
    assert problem.path == ("refills",) and problem.code == "missing-field"
    assert problem.where == f"Bundle.entry[{index(data, 'MedicationDispense')}].resource.extension[0]"
    assert "valueInteger" in problem.hint and problem.line > 0


def test_a_refill_without_the_refills_remaining_is_an_error_not_the_refills_allowed():
    data = bundle()
    dispense = resource(data, "MedicationDispense")
    dispense["type"] = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "RFC"}]}
    text = json.dumps(data, indent=1)
    (problem,) = problems(text)
    assert problem.code == "missing-field" and problem.path == ("refills",)
    assert problem.where == f"Bundle.entry[{index(data, 'MedicationDispense')}].resource.type.coding[0]"
    assert "refillsRemaining" in problem.hint and problem.line > 0
    dispense["type"]["coding"][0]["code"] = "FF"  # a first fill: the refills allowed remain
    assert from_bundle(data).refills == 2


def test_a_bundle_without_refills_names_the_element_they_come_from():
    data = bundle()
    del resource(data, "MedicationRequest")["dispenseRequest"]["numberOfRepeatsAllowed"]
    (problem,) = problems(data)
    assert problem.path == ("refills",) and problem.code == "missing-field"
    assert problem.where.endswith("dispenseRequest.numberOfRepeatsAllowed (not in the Bundle)")


# --- FHIR XML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bundle.xml", "bundle.json", "bundle"])
def test_fhir_xml_is_a_clear_error_saying_to_send_json(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<Bundle xmlns="http://hl7.org/fhir">\n'
                    f'  <type value="collection"/><!-- {SENTINEL} -->\n</Bundle>\n', encoding="utf-8")
    code, out, err = _run(capsys, "validate", "--rx", path)
    assert code == 2
    assert f"{path}:1:1: error[fhir]: this is FHIR in XML: leaflet reads a FHIR Bundle in FHIR's JSON format " \
           "only\n  hint: send or save the Bundle as FHIR JSON" in err
    assert "Zebulon" not in out + err
    other = tmp_path / "rx.yaml"
    other.write_text("<prescription/>\n", encoding="utf-8")
    code, out, err = _run(capsys, "validate", "--rx", other)
    assert code == 2 and "error[document]: this is XML, which is not a prescription file" in err


def test_the_panels_problems_with_a_bundle_name_its_element_line_and_column(tmp_path, capsys):
    """A text the panel cannot print (a patient's name in a script no bundled font has) or that does
    not fit in its row, found after the Bundle is read: named at the FHIR element it came from, at its
    line and column, as the Bundle's own problems are (it was the file and the field only)."""
    from tests.conftest import SAMPLE

    data = bundle()
    resource(data, "Patient")["name"] = [{"use": "official", "family": "शर्मा", "given": ["Zebulon"]}]
    resource(data, "MedicationRequest")["reasonCode"] = [{"text": "spasms " * 40}]  # too long for its row
    path = tmp_path / "bundle.json"
    text = json.dumps(data, indent=1, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    family = next(n for n, line in enumerate(lines, start=1) if '"name": [' in line) + 1  # its HumanName
    patient, request = index(data, "Patient"), index(data, "MedicationRequest")
    for argv in (("validate", SAMPLE, "--rx", path), ("build", SAMPLE, "--rx", path, "-o", tmp_path / "x.pdf")):
        code, out, err = _run(capsys, *argv)
        assert code == 2, err
        assert f"{path}:{family}:" in err and f"Bundle.entry[{patient}].resource.name[0]" in err, err
        assert "error[glyph]: patient: no font bundled with leaflet can print" in err
        assert "शर्मा" not in out + err and "Zebulon" not in out + err
    data["entry"][patient]["resource"]["name"] = [{"family": "Example", "given": ["Zebulon"]}]
    text = json.dumps(data, indent=1, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    reason = next(n for n, line in enumerate(text.split("\n"), start=1) if "spasms spasms" in line)
    code, out, err = _run(capsys, "build", SAMPLE, "--rx", path, "-o", tmp_path / "x.pdf")
    assert code == 2 and "error[panel]: purpose:" in err, err
    assert f"{path}:{reason}:" in err and f"Bundle.entry[{request}].resource.reasonCode[0].text" in err, err
    assert "spasms" not in err.replace("muscle spasms", "") and "Zebulon" not in err


def test_a_bundle_with_a_bad_date_and_a_character_no_font_prints_reports_both(tmp_path, capsys):
    """Every problem at once, as for a content file: a Bundle with a bad value (a date) reported
    only the date; the patient's name, which no bundled font can print, came only once the date was
    put right. validate and build say the same, each at its element, line and column."""
    from tests.conftest import SAMPLE

    data = bundle()
    resource(data, "Patient")["name"] = [{"use": "official", "family": "Example\ue000", "given": [SENTINEL]}]
    resource(data, "MedicationDispense")["whenHandedOver"] = "2026-13-45"
    path = tmp_path / "bundle.json"
    text = json.dumps(data, indent=1, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    name = next(n for n, line in enumerate(lines, start=1) if '"name": [' in line) + 1
    when = next(n for n, line in enumerate(lines, start=1) if "2026-13-45" in line)
    patient, dispense = index(data, "Patient"), index(data, "MedicationDispense")
    errs = []
    for argv in (("validate", SAMPLE, "--rx", path), ("build", SAMPLE, "--rx", path, "-o", tmp_path / "x.pdf")):
        code, out, err = _run(capsys, *argv)
        assert code == 2 and not (tmp_path / "x.pdf").exists(), err
        assert f"{path}:{name}:" in err and f"Bundle.entry[{patient}].resource.name[0]: error[glyph]: patient: no font " \
               "bundled with leaflet can print a character of this field (the first: U+E000)" in err, err
        assert f"{path}:{when}:" in err and f"Bundle.entry[{dispense}].resource.whenHandedOver: error[value]: " \
               "dispensed: not a date of the calendar" in err, err
        assert err.endswith("2 problems in 1 file\n"), err
        assert "Zebulon" not in out + err and "\ue000" not in out + err and "2026-13-45" not in err
        errs.append(err)
    assert errs[0] == errs[1]
    # the glyph problem alone is placed as it is with the date put right: the same line, element and words
    resource(data, "MedicationDispense")["whenHandedOver"] = "2026-11-23"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    code, _, alone = _run(capsys, "validate", SAMPLE, "--rx", path)
    assert code == 2 and alone.split("\n")[:2] == errs[0].split("\n")[:2], alone


def test_a_bundle_with_a_problem_of_its_own_has_its_glyphs_checked_too():
    """A Bundle whose prescription reads but that has a problem of its own (a purpose not a text)
    still carries its texts for the leaflet's fonts' check (personal.model.RecordError); so does
    one whose prescription does not (a bad date): never the date, language or refills (the panel
    writes those itself)."""
    from leaflet import api
    from leaflet.personal import model
    from tests.conftest import SAMPLE

    doc = api.load(SAMPLE)
    data = bundle()
    resource(data, "Patient")["name"] = [{"use": "official", "family": "Example\ue000", "given": ["Alex"]}]
    resource(data, "MedicationRequest")["reasonCode"] = [{"text": 5}]  # optional: the rest is a prescription
    with pytest.raises(model.RecordError) as info:
        from_bundle(json.dumps(data, indent=1, ensure_ascii=False), "b.json")
    assert [d.code for d in info.value.diagnostics] == ["type"]
    found = api.with_glyph_problems(info.value, doc)
    assert [d.code for d in found] == ["glyph", "type"]
    [glyph] = [d for d in found if d.code == "glyph"]
    assert glyph.path == ("patient",) and glyph.where == f"Bundle.entry[{index(data, 'Patient')}].resource.name[0]"
    resource(data, "MedicationRequest")["reasonCode"] = [{"text": "muscle spasms"}]
    resource(data, "MedicationDispense")["whenHandedOver"] = "2026-13-45"
    with pytest.raises(model.RecordError) as info:
        from_bundle(json.dumps(data, indent=1, ensure_ascii=False), "b.json")
    texts = {field for field, _, _ in info.value.texts}
    assert "patient" in texts and not texts & {"dispensed", "language", "refills"}
    assert [d.code for d in api.with_glyph_problems(info.value, doc)] == ["glyph", "value"]
