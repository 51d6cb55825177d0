"""leaflet serve, in process (Starlette's TestClient, httpx2): the endpoints, the limits, the token,
path traversal, and that no patient data reaches the logs or an error."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx2")

from starlette.testclient import TestClient  # noqa: E402

from leaflet import api  # noqa: E402
from leaflet.errors import UsageError  # noqa: E402
from leaflet.service import server  # noqa: E402
from leaflet.service.app import Settings, create_app  # noqa: E402
from leaflet.service.library import Library  # noqa: E402

from .conftest import MINIMAL, ROOT  # noqa: E402

SENTINEL = "Zebedee Quarrington-Sentinel"  # a fictional patient: searched for in every log and error
TOKEN = "s3cret-token-for-the-tests-0123456789"


def record(**changes: object) -> dict[str, object]:
    rx: dict[str, object] = {
        "patient": SENTINEL, "directions": "Take 1 tablet by mouth in the morning and 1 at bedtime",
        "purpose": "muscle spasms", "strength": "10 mg", "form": "tablets", "prescriber": "Dr. Sam Sample",
        "pharmacy": "Example Pharmacy", "pharmacy_address": "1 Sample Street, Exampleton",
        "pharmacy_phone": "555-0100", "rx_number": "RX-0001234", "dispensed": "2026-11-23",
        "quantity": "60 tablets", "refills": 2, "language": "en",
    }
    rx.update(changes)
    return {k: v for k, v in rx.items() if v is not None}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library with the English and Arabic sample, a minimal leaflet, and bait outside it: a
    leaflet beside the library, reached only through traversal or links."""
    base = tmp_path_factory.mktemp("service")
    lib = base / "library"
    (lib / "baclofen").mkdir(parents=True)
    for lang in ("en", "ar"):
        shutil.copy(ROOT / "content" / "baclofen" / f"{lang}.yaml", lib / "baclofen" / f"{lang}.yaml")
    (lib / "testamol").mkdir()
    (lib / "testamol" / "en.yaml").write_text(MINIMAL, encoding="utf-8")
    outside = base / "outside" / "secret"
    outside.mkdir(parents=True)
    (outside / "en.yaml").write_text(MINIMAL, encoding="utf-8")
    (base / "en.yaml").write_text(MINIMAL, encoding="utf-8")  # library/../en.yaml
    (lib / "en.yaml").write_text(MINIMAL, encoding="utf-8")  # library/<..>/en.yaml for leaflet '.'
    (lib / "linked").symlink_to(outside, target_is_directory=True)  # a leaflet folder linked out
    (lib / "testamol" / "fr.yaml").symlink_to(outside / "en.yaml")  # a language file linked out
    (lib / "not an id").mkdir()
    (lib / "not an id" / "en.yaml").write_text(MINIMAL, encoding="utf-8")
    return lib


@pytest.fixture(scope="module")
def client(library: Path):
    with TestClient(create_app(Settings(library=library, workers=1))) as c:
        yield c


def test_health(client: TestClient):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_leaflets_lists_the_library_and_nothing_outside_it(client: TestClient):
    r = client.get("/leaflets")
    assert r.status_code == 200
    listing = {entry["id"]: {lang["language"]: lang for lang in entry["languages"]} for entry in r.json()["leaflets"]}
    assert set(listing) == {"baclofen", "testamol"}  # not 'linked' (outside), not 'not an id'
    assert set(listing["baclofen"]) == {"ar", "en"}
    assert set(listing["testamol"]) == {"en"}  # fr.yaml links outside the library
    assert listing["baclofen"]["ar"]["direction"] == "rtl" and listing["baclofen"]["en"]["direction"] == "ltr"
    assert listing["baclofen"]["ar"]["name"] == "العربية"


def test_build_gives_the_pdf_and_it_verifies(client: TestClient):
    r = client.post("/build", content=MINIMAL.encode(), headers={"content-type": "application/yaml"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    doc = api.parse(MINIMAL)
    assert r.content == api.build_bytes(doc)  # the same bytes as a build on the command line
    assert api.verify(doc, r.content) == []
    letter = client.post("/build?paper=letter&theme=large-print", content=MINIMAL.encode())
    assert letter.status_code == 200
    assert letter.content == api.build_bytes(doc, paper="letter", theme="large-print")


def test_build_with_problems_answers_422_with_every_diagnostic(client: TestClient):
    broken = MINIMAL.replace("  - heading: About\n", "  - heading: About\n    extra: 1\n").replace(
        'date: "2026-01-02"', 'date: "2026-13-02"')
    r = client.post("/build", content=broken.encode())
    assert r.status_code == 422
    answer = r.json()
    assert answer["error"] == "content"
    found = {(d["field"], d["code"]) for d in answer["diagnostics"]}
    assert ("revision.date", "value") in found and ("sections[0].extra", "unknown-key") in found
    for d in answer["diagnostics"]:
        assert set(d) >= {"line", "column", "field", "message", "hint", "code"}
        assert d["line"] > 0 and d["column"] > 0
    unknown = next(d for d in answer["diagnostics"] if d["code"] == "unknown-key")
    assert (unknown["line"], unknown["column"]) == (15, 5)


def test_build_refuses_a_theme_file_and_bad_options(client: TestClient, tmp_path: Path):
    theme = tmp_path / "t.json"
    theme.write_text("{}", encoding="utf-8")
    for query in (f"theme={theme}", "theme=../themes/default", "paper=a3", "paper=../x", "colour=red"):
        r = client.post(f"/build?{query}", content=MINIMAL.encode())
        assert r.status_code == 400, query
        assert r.json()["error"] == "usage"
        assert str(tmp_path) not in r.text and "../" not in r.text  # never echoed


@pytest.mark.parametrize("leaflet, language", [
    ("%2E%2E", "en"),  # library/../en.yaml
    (".", "en"),  # library/./en.yaml (httpx keeps a lone '.' encoded as %2E)
    ("%2E", "en"),
    ("linked", "en"),  # a folder linked outside the library
    ("testamol", "fr"),  # a file linked outside the library
    ("..%2Foutside%2Fsecret", "en"),  # encoded slashes
    ("%2F" + "tmp", "en"),  # an absolute path
    ("..%5C..%5Csecret", "en"),  # backslashes
    ("baclofen%00", "en"),
    ("not%20an%20id", "en"),
    ("baclofen", "en.yaml"),
    ("baclofen", "%2E%2E%2Fbaclofen%2Fen"),
    ("BACLOFEN", "en"),  # a leaflet's id is as the library names it (a language tag is any case, below)
    ("baclofen", "EN%2F..%2F..%2Fen"),
    ("baclofen", "en_GB"),  # not a BCP 47 tag (a POSIX locale's form)
    ("baclofen", "EN-GB"),  # a tag the library has no translation for
    ("baclofen", "E"),
    ("nosuch", "EN"),
    ("nosuch", "en"),
])
def test_leaflet_ids_never_reach_the_file_system(client: TestClient, leaflet: str, language: str):
    r = client.post(f"/leaflets/{leaflet}/{language}", content=json.dumps(record()),
                    headers={"content-type": "application/json"})
    assert r.status_code == 404, (leaflet, language, r.text)
    assert r.json()["error"] == "not-found"
    assert "secret" not in r.text and "tmp" not in r.text and "%" not in r.text  # the id is not echoed


@pytest.mark.parametrize("language", ["EN", "En", "eN"])
def test_a_language_tag_in_any_case_finds_its_translation(client: TestClient, language: str):
    # BCP 47 tags are case-insensitive: EN is en (was 404), answered as /en answers, named as its file
    body, headers = json.dumps(record()), {"content-type": "application/json"}
    r = client.post(f"/leaflets/baclofen/{language}", content=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == 'attachment; filename="baclofen-en.pdf"'
    assert r.content == client.post("/leaflets/baclofen/en", content=body, headers=headers).content
    r = client.post(f"/leaflets/baclofen/{language}", content=json.dumps(record(language="ar")), headers=headers)
    assert r.status_code == 422 and [d["field"] for d in r.json()["diagnostics"]] == ["language"]
    r = client.post("/leaflets/baclofen/AR", content=json.dumps(record(language="AR-sa")), headers=headers)
    assert r.status_code == 200, r.text
    strings = client.get(f"/form/strings/{language}")
    assert strings.status_code == 200 and strings.json() == client.get("/form/strings/en").json()
    assert client.get("/form/strings/en_GB").status_code == client.get("/form/strings/..").status_code == 404


def test_the_library_finds_a_tag_in_any_case_by_its_listing_only(tmp_path: Path):
    lib_dir = tmp_path / "lib"
    (lib_dir / "baclofen").mkdir(parents=True)
    for name in ("en", "pt-BR", "zh-hans"):
        (lib_dir / "baclofen" / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    lib = Library(lib_dir)
    assert lib.lookup("baclofen", "EN") == ("en", str(lib_dir / "baclofen" / "en.yaml"))
    assert lib.lookup("baclofen", "pt-br") == ("pt-BR", str(lib_dir / "baclofen" / "pt-BR.yaml"))
    assert lib.lookup("baclofen", "ZH-Hans") == ("zh-hans", str(lib_dir / "baclofen" / "zh-hans.yaml"))
    for language in ("pt_BR", "pt", "../EN", "EN/", "e", "", "EN.yaml"):
        assert lib.lookup("baclofen", language) is None, language
    (lib_dir / "baclofen" / "pt-br.yaml").write_text(MINIMAL, encoding="utf-8")  # two names, one tag
    assert lib.lookup("baclofen", "pt-br")[0] == "pt-br"  # the one named as asked
    assert lib.lookup("baclofen", "PT-BR")[0] == "pt-BR"  # else the one in BCP 47's case


def test_a_leaflet_of_the_library_is_found(client: TestClient):
    # the same request to a listed leaflet reaches validation (here: a problem, so 422, not 404)
    r = client.post("/leaflets/testamol/en", content=json.dumps(record(dispensed="yesterday")),
                    headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert [d["field"] for d in r.json()["diagnostics"]] == ["dispensed"]


def test_library_lookup_is_by_listing_only(library: Path):
    lib = Library(library)
    assert lib.find("baclofen", "en") == str(library / "baclofen" / "en.yaml")
    outside = library.parent / "outside" / "secret"
    for leaflet, language in ((str(outside), "en"), ("..", "en"), (".", "en"), ("linked", "en"),
                              ("testamol", "fr"), ("../outside/secret", "en"), ("baclofen", "../../en")):
        assert lib.find(leaflet, language) is None, (leaflet, language)


def test_prescription_problems_come_beside_their_fields_without_values(client: TestClient):
    rx = record(dispensed="23/11/2026", refills="two", pharmacy_phone=None, patinet=SENTINEL)
    r = client.post("/leaflets/baclofen/en", content=json.dumps(rx), headers={"content-type": "application/json"})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["diagnostics"]}
    assert fields == {"dispensed", "refills", "pharmacy_phone", "patinet"}
    assert SENTINEL not in r.text and "23/11/2026" not in r.text and "two" not in r.text.replace("two ", "")


def test_every_problem_at_once_a_bad_value_and_a_character_no_font_prints(client: TestClient):
    # the glyph check runs alongside the prescription's own (it needs the leaflet's fonts): a bad date
    # and a patient's character no bundled font prints are both answered, for JSON and a FHIR Bundle
    rx = record(dispensed="2026-13-45", patient=SENTINEL + " \ue000")
    r = client.post("/leaflets/baclofen/en", content=json.dumps(rx), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert sorted((d["field"], d["code"]) for d in r.json()["diagnostics"]) == [("dispensed", "value"),
                                                                                ("patient", "glyph")]
    bundle = json.loads((ROOT / "tests" / "fixtures" / "fhir" / "bundle.json").read_text(encoding="utf-8"))
    for entry in bundle["entry"]:
        res = entry["resource"]
        if res["resourceType"] == "Patient":
            res["name"] = [{"use": "official", "family": SENTINEL + "\ue000", "given": ["Alex"]}]
        if res["resourceType"] == "MedicationDispense":
            res["whenHandedOver"] = "2026-13-45"
    r = client.post("/leaflets/baclofen/en", content=json.dumps(bundle), headers={"content-type": "application/fhir+json"})
    assert r.status_code == 422, r.text
    found = r.json()["diagnostics"]
    assert sorted((d["field"], d["code"]) for d in found) == [("dispensed", "value"), ("patient", "glyph")], found
    assert all(d["line"] and d.get("where") for d in found), found  # each at its element, line and column
    assert SENTINEL not in r.text and "\ue000" not in r.text and "13-45" not in r.text


def test_a_prescription_in_another_language_than_asked_is_refused(client: TestClient):
    r = client.post("/leaflets/baclofen/en", content=json.dumps(record(language="ar")),
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["diagnostics"]] == ["language"]


def test_a_prescription_in_a_regional_form_of_the_language_asked_is_built(client: TestClient):
    from leaflet.personal import model

    # FHIR systems send Patient.communication as ar-SA, es-MX: built from ar.yaml, as build --rx does
    r = client.post("/leaflets/baclofen/ar", content=json.dumps(record(language="ar-SA")),
                    headers={"content-type": "application/fhir+json"})
    assert r.status_code == 200, r.text
    rx = model.from_record(record(language="ar-SA"), model.at_file("rx"))
    doc = api.load(str(ROOT / "content" / "baclofen" / "ar.yaml"))
    assert api.verify(doc, r.content, rx) == []
    r = client.post("/leaflets/baclofen/ar", content=json.dumps(record(language="en-GB")),
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and [d["field"] for d in r.json()["diagnostics"]] == ["language"]


def test_a_regional_form_goes_to_its_own_translation_when_the_library_has_it(tmp_path: Path):
    from leaflet.service.jobs import _language_matches

    (tmp_path / "en.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _language_matches("en-GB", "en", str(tmp_path)) and _language_matches("en", "en", str(tmp_path))
    (tmp_path / "en-GB.yaml").write_text(MINIMAL, encoding="utf-8")
    assert not _language_matches("en-GB", "en", str(tmp_path))  # build --rx would choose en-GB.yaml
    assert _language_matches("en-GB", "en-GB", str(tmp_path))
    assert not _language_matches("en-GB", "ar", str(tmp_path)) and not _language_matches("enx", "en", "")


@pytest.mark.parametrize("body, content_type, status", [
    (b'{"patient": "Zebedee Quarrington-Sentinel", ', "application/json", 422),  # cut short
    (b"\xff\xfe{}", "application/json", 422),  # not UTF-8
    (b"[1, 2]", "application/json", 422),  # not an object
    (b'{"patient": "x"}', "text/plain", 415),
    (b"patient=x", "application/x-www-form-urlencoded", 415),
])
def test_bad_prescription_bodies(client: TestClient, body: bytes, content_type: str, status: int):
    r = client.post("/leaflets/baclofen/en", content=body, headers={"content-type": content_type})
    assert r.status_code == status, r.text
    assert SENTINEL not in r.text
    if status == 422:
        assert r.json()["diagnostics"][0]["code"] in ("input", "json-syntax", "document", "type", "record")


_FHIR_XML = b'<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/><!-- Zebedee --></Bundle>'


def test_fhir_xml_is_refused_saying_to_send_fhir_json(client: TestClient):
    r = client.post("/leaflets/baclofen/en", content=_FHIR_XML, headers={"content-type": "application/fhir+xml"})
    assert r.status_code == 415 and "FHIR XML is not read" in r.json()["message"]
    # sent as JSON all the same: the same words as on the command line, at 1:1
    r = client.post("/leaflets/baclofen/en", content=_FHIR_XML, headers={"content-type": "application/fhir+json"})
    assert r.status_code == 422, r.text
    (d,) = r.json()["diagnostics"]
    assert (d["code"], d["line"], d["column"]) == ("fhir", 1, 1) and "FHIR in XML" in d["message"]
    assert "Zebedee" not in r.text


def test_a_prescription_gives_the_personalised_pdf(client: TestClient, tmp_path: Path):
    r = client.post("/leaflets/baclofen/en", content=json.dumps(record()), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="baclofen-en.pdf"'  # no patient name
    assert r.headers["cache-control"] == "no-store"
    from leaflet.personal import model

    doc = api.load(ROOT / "content" / "baclofen" / "en.yaml")
    rx = model.from_record(record(), model.at_file("rx"))
    # stamped into the leaflet laid out once, as leaflet batch does
    assert r.content == api.stamp_personalised(api.template(doc), rx)
    assert api.verify(doc, r.content, rx) == []
    pdf = tmp_path / "rx.pdf"
    pdf.write_bytes(r.content)
    if shutil.which("pdfinfo") and shutil.which("pdftotext"):  # read by poppler: printed, never in the metadata
        printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert SENTINEL in " ".join(printed.split())
        info = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert SENTINEL.split()[0] not in info


def test_personalised_pdfs_do_not_depend_on_what_was_built_before(client: TestClient):
    from leaflet.personal import model

    json_type = {"content-type": "application/json"}
    first = client.post("/leaflets/baclofen/ar", content=json.dumps(record(language="ar")), headers=json_type)
    other = client.post("/leaflets/baclofen/ar", content=json.dumps(record(language="ar", patient="Sam Other",
                                                                            refills=0)), headers=json_type)
    letter = client.post("/leaflets/baclofen/ar?paper=letter&theme=large-print",
                         content=json.dumps(record(language="ar")), headers=json_type)
    again = client.post("/leaflets/baclofen/ar", content=json.dumps(record(language="ar")), headers=json_type)
    assert first.status_code == other.status_code == letter.status_code == again.status_code == 200
    assert first.content == again.content != other.content
    doc = api.load(ROOT / "content" / "baclofen" / "ar.yaml")
    rx = model.from_record(record(language="ar"), model.at_file("rx"))
    assert api.verify(doc, first.content, rx) == []
    assert letter.content == api.stamp_personalised(api.template(doc, paper="letter", theme="large-print"), rx)
    assert api.verify(doc, letter.content, rx) == []


def test_a_fhir_bundle_gives_the_personalised_pdf(client: TestClient):
    from leaflet.personal import fhir

    bundle = (ROOT / "tests" / "fixtures" / "fhir" / "bundle.json").read_bytes()
    r = client.post("/leaflets/baclofen/en", content=bundle, headers={"content-type": "application/fhir+json"})
    assert r.status_code == 200, r.text
    doc = api.load(ROOT / "content" / "baclofen" / "en.yaml")
    rx = fhir.from_bundle(bundle, "bundle.json")
    assert r.content == api.stamp_personalised(api.template(doc), rx)
    assert api.verify(doc, r.content, rx) == []


def test_a_fhir_bundle_with_problems_names_its_elements(client: TestClient):
    # personal.fhir finds what is wrong (its business); the service passes on where: the element, line, column
    bundle = (ROOT / "tests" / "fixtures" / "fhir" / "no-request.json").read_bytes()
    r = client.post("/leaflets/baclofen/en", content=bundle, headers={"content-type": "application/fhir+json"})
    assert r.status_code == 422, r.text
    problems = r.json()["diagnostics"]
    assert problems and all(d["code"] for d in problems)
    assert any(d.get("where") or d["line"] for d in problems)


def test_unknown_endpoints_and_methods(client: TestClient):
    assert client.get("/nothing").status_code == 404
    assert client.get("/build").status_code == 405
    assert client.delete("/leaflets").status_code == 405


def test_the_form_page(client: TestClient):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    for field in ("patient", "directions", "dispensed", "refills", "pharmacy_phone"):
        assert f'<label for="f-{field}"' in page and f'id="f-{field}"' in page and f'id="e-{field}"' in page
    import re

    assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", page)  # nothing from a CDN
    assert "http://" not in page.replace("https://…", "")  # (the digital leaflet's hint says https://…)
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/form.js").status_code == 200 and client.get("/form.css").status_code == 200
    ar = client.get("/form/strings/ar").json()
    assert ar["direction"] == "rtl" and ar["language"] == "ar" and set(ar["labels"]) >= {"patient", "directions"}
    assert client.get("/form/strings/en").json()["direction"] == "ltr"
    # the labels in the chosen language: the panel's own (its locale's panel_*), the rest the form's
    from leaflet.resources import locale_for

    assert ar["labels"]["patient"] == locale_for("ar").strings["panel_patient"]
    assert ar["labels"]["strength"] == "التركيز" and ar["ui"]["submit"] == "إنشاء ملف PDF"
    assert client.get("/form/strings/pt-BR").json()["labels"]["strength"] == "Strength"  # no words of its own


def test_the_form_offers_every_paper_size(client: TestClient):
    """The form's paper sizes are leaflet's (A5 as well as A4 and Letter: it offered only the two)."""
    import re

    from leaflet.cli import PAPERS

    select = re.search(r'<select id="f-paper">(.*?)</select>', client.get("/").text, re.S)
    assert select and tuple(re.findall(r'<option value="([^"]+)"', select.group(1))) == PAPERS


def test_the_form_has_the_digital_leaflet_and_a_date_hint_only_for_a_text_box(client: TestClient):
    page = client.get("/").text
    assert '<input id="f-digital_url" name="digital_url" dir="auto" aria-describedby="h-digital_url e-digital_url" ' \
           'type="url"' in page and 'id="e-digital_url"' in page
    # the date's YYYY-MM-DD is for a browser without a date control (form.js shows it then); hidden, and
    # not read out with the field, where the browser shows its own control
    assert '<span class="hint" id="h-dispensed" hidden>YYYY-MM-DD</span>' in page
    assert 'id="f-dispensed" name="dispensed" dir="auto" aria-describedby="e-dispensed" type="date"' in page
    from leaflet.resources import locale_for

    ar = client.get("/form/strings/ar").json()
    assert ar["labels"]["digital_url"] == locale_for("ar").strings["panel_digital"]  # the panel's own label
    assert "digital_url" not in ar["ui"] and not [k for k in ar["ui"] if k.startswith("err_")]
    # the brand dispensed: the leaflet's own "Brand name" (not the service's brands, the clinic's choice)
    assert '<label for="f-brand" id="l-brand">Brand name</label>' in page and 'id="f-clinic"' in page
    assert ar["labels"]["brand"] == locale_for("ar").strings["brand_name"] and ar["ui"]["brand"] == "العيادة أو الصيدلية"
    assert client.get("/form/strings/pt-BR").json()["labels"]["brand"] == "Brand name"


def test_the_forms_field_errors_are_in_its_language():
    from leaflet.personal.model import MAX_REFILLS
    from leaflet.resources import locale_files
    from leaflet.service import form

    english = form.strings("en")["errors"]
    assert english["missing-field"] == "Fill this in: the panel needs it."
    assert english["value:refills"].endswith(f"from 0 to {MAX_REFILLS} (0 for none).")
    for language, _ in locale_files(()):
        errors = form.strings(language)["errors"]
        assert set(errors) == set(form.ERRORS) | {"date-incomplete"} | {
            f"service:{kind}" for kind in form.SERVICE_ERRORS}, language
        assert all(text.strip() and "{" not in text for text in errors.values()), language
        if language != "en":  # its own words, not English left in
            assert not set(errors.values()) & set(english.values()), language
    arabic = form.strings("ar")["errors"]
    assert all(any("\u0600" <= c <= "\u06ff" for c in text) for text in arabic.values())
    assert str(MAX_REFILLS) in arabic["value:refills"]
    # the codes the form has words for are leaflet's codes
    from leaflet.errors import CODES

    assert {kind.split(":")[0] for kind in form.ERRORS} <= set(CODES)
    # and the service's answers it has words for are those the service gives (README: its table)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{kind}` |" in readme for kind in form.SERVICE_ERRORS)


def test_the_form_has_its_words_in_every_bundled_language():
    from leaflet.resources import locale_files
    from leaflet.service import form

    table = form._form_strings()
    languages = {tag for tag, _ in locale_files(())}
    assert languages <= set(table), languages - set(table)
    for language, words in table.items():
        assert set(words) == set(table["en"]), language
        assert all(isinstance(v, str) and v.strip() for v in words.values()), language


# --- the token --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guarded(library: Path):
    with TestClient(create_app(Settings(library=library, workers=1, token=TOKEN, warm=False))) as c:
        yield c


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN,
    f"Bearer {TOKEN.upper()}",
])
def test_the_token_is_required(guarded: TestClient, header: str | None):
    headers = {"authorization": header} if header is not None else {}
    for method, path in (("GET", "/leaflets"), ("POST", "/build"), ("POST", "/leaflets/baclofen/en")):
        r = guarded.request(method, path, headers={**headers, "content-type": "application/json"}, content=b"{}")
        assert r.status_code == 401, (header, path)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert TOKEN not in r.text


def test_the_right_token_is_let_in(guarded: TestClient):
    ok = {"authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/leaflets", headers=ok).status_code == 200
    assert guarded.get("/leaflets", headers={"authorization": f"bearer  {TOKEN} "}).status_code == 200
    assert guarded.post("/build", headers=ok, content=b"language: en\n").status_code == 422
    # open without it: the health check (for load balancers) and the form's own files (no data in them)
    for path in ("/health", "/", "/form.js", "/form.css", "/form/strings/en"):
        assert guarded.get(path).status_code == 200, path
    assert 'data-token="yes"' in guarded.get("/").text


def test_binding_beyond_localhost_needs_a_token():
    for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"):
        server.check_binding(host, None)
    for host in ("0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.org", ""):
        with pytest.raises(UsageError, match="needs a token"):
            server.check_binding(host, None)
        server.check_binding(host, TOKEN)


def test_the_token_comes_from_the_environment_or_a_file(tmp_path: Path):
    assert server.read_token(None, {}) is None
    assert server.read_token(None, {server.TOKEN_ENV: f" {TOKEN}\n"}) == TOKEN
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    assert server.read_token(str(path), {}) == TOKEN
    for bad in ("short", "has a space in it, long enough"):
        with pytest.raises(UsageError, match="at least 16 characters"):
            server.read_token(None, {server.TOKEN_ENV: bad})
    with pytest.raises(UsageError, match="cannot read it"):
        server.read_token(str(tmp_path / "missing"), {})


def test_serve_refuses_to_start_beyond_localhost_without_a_token(library: Path):
    env = {k: v for k, v in os.environ.items() if k != server.TOKEN_ENV}
    done = subprocess.run([sys.executable, "-m", "leaflet", "serve", "--host", "0.0.0.0", "--port", "0",
                           "--library", str(library)], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1
    assert "needs a token" in done.stderr and "LEAFLET_SERVE_TOKEN" in done.stderr
    missing = subprocess.run([sys.executable, "-m", "leaflet", "serve", "--port", "0", "--library",
                              str(library / "nothing")],
                             capture_output=True, text=True, timeout=60, env=env)
    assert missing.returncode == 1 and "--library" in missing.stderr


# --- limits -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(library: Path):
    with TestClient(create_app(Settings(library=library, workers=1, max_body=2000, warm=False))) as c:
        yield c


def test_the_body_size_is_limited(small: TestClient):
    assert len(MINIMAL.encode()) < 2000
    assert small.post("/build", content=MINIMAL.encode()).status_code == 200
    exact = MINIMAL.encode() + b"#" * (2000 - len(MINIMAL.encode()) - 1) + b"\n"
    assert len(exact) == 2000 and small.post("/build", content=exact).status_code == 200
    big = exact + b"\n"
    r = small.post("/build", content=big)
    assert r.status_code == 413 and r.json()["error"] == "too-large"

    def chunks():  # no Content-Length: the limit is counted as the body comes
        for _ in range(30):
            yield b"# " + b"x" * 98 + b"\n"

    r = small.post("/build", content=chunks())
    assert r.status_code == 413
    r = small.post("/leaflets/baclofen/en", content=json.dumps(record(directions="x" * 3000)),
                   headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert SENTINEL not in r.text


def test_the_time_is_limited(library: Path):
    with TestClient(create_app(Settings(library=library, workers=1, timeout=0.02, warm=False))) as c:
        service = c.app.app.state.service  # type: ignore[attr-defined]
        before = {w.process.pid for w in service.pool._all}
        sample = (ROOT / "content" / "baclofen" / "en.yaml").read_bytes()
        r = c.post("/build", content=sample)
        assert r.status_code == 503 and r.json()["error"] == "timeout"
        assert c.get("/health").status_code == 200  # the service goes on
        # the build that overran was stopped: its process is killed and another takes its place
        for _ in range(200):
            after = {w.process.pid for w in service.pool._all}
            if after and after != before:
                break
            asyncio.run(asyncio.sleep(0.05))
        assert after and after.isdisjoint(before)


def _concurrently(app, requests: list[tuple[str, str, bytes]]) -> list[httpx.Response]:
    async def main() -> list[httpx.Response]:
        service = app.app.state.service
        await service.pool.start()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as c:
                return await asyncio.gather(*(c.request(m, p, content=b) for m, p, b in requests))
        finally:
            await service.pool.stop()

    return asyncio.run(main())


def test_200_concurrent_requests_queue_and_all_succeed(library: Path):
    app = create_app(Settings(library=library, workers=2, warm=False))
    tiny = MINIMAL.encode()
    requests = [("POST", "/build", tiny) if i % 4 == 0 else ("GET", "/leaflets", b"") for i in range(200)]
    answers = _concurrently(app, requests)
    assert [r.status_code for r in answers] == [200] * 200
    pdfs = {r.content for r, (_, path, _) in zip(answers, requests) if path == "/build"}
    assert pdfs == {api.build_bytes(api.parse(MINIMAL))}  # every one the same bytes


def test_a_full_queue_answers_503_at_once(library: Path):
    app = create_app(Settings(library=library, workers=1, max_queue=3, warm=False))
    answers = _concurrently(app, [("POST", "/build", MINIMAL.encode())] * 12)
    codes = sorted(r.status_code for r in answers)
    assert codes.count(200) >= 4 and 503 in codes  # one building and three waiting at least
    busy = next(r for r in answers if r.status_code == 503)
    assert busy.json()["error"] == "busy" and busy.headers["retry-after"] == "1"


# --- no patient data in the logs --------------------------------------------------------------------

def test_no_patient_data_in_logs_or_errors(client: TestClient, small: TestClient, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    answers = []
    json_type = {"content-type": "application/json"}
    answers.append(client.post("/leaflets/baclofen/en", content=json.dumps(record(dispensed="no")), headers=json_type))
    answers.append(client.post("/leaflets/baclofen/en", content=json.dumps(record(refills=SENTINEL)),
                               headers=json_type))
    answers.append(client.post("/leaflets/baclofen/en", content=json.dumps(record(**{SENTINEL: 1})),
                               headers=json_type))
    answers.append(client.post("/leaflets/baclofen/en", content=f'{{"patient": "{SENTINEL}"'.encode(),
                               headers=json_type))
    answers.append(client.post(f"/leaflets/baclofen/en?patient={SENTINEL}", content=json.dumps(record()),
                               headers=json_type))
    answers.append(client.post(f"/leaflets/{SENTINEL}/en", content=json.dumps(record()), headers=json_type))
    answers.append(client.get(f"/{SENTINEL}"))
    answers.append(small.post("/leaflets/baclofen/en", content=json.dumps(record(purpose="x" * 3000)),
                              headers=json_type))
    answers.append(client.post("/build", content=MINIMAL.replace("Testamol", SENTINEL).encode() + b"\nx: 1\n"))
    answers.append(client.post("/leaflets/baclofen/ar", content=json.dumps(record(language="ar")),
                               headers=json_type))
    # the service's loggers (the test's own HTTP client, httpx, logs the addresses it asks for)
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "/leaflets/{leaflet}/{language}" in logged  # the route is logged, as its template
    words = SENTINEL.split()[0], SENTINEL.split()[1]
    for word in words:
        assert word not in logged
        assert word.replace(" ", "%20") not in logged
    # errors never echo a value; but the /build one quotes the content (no patient's), and an unknown
    # field is named (a key is the format's business: personal.model says so), so those two are left out
    for r in answers[:2] + answers[3:-1]:
        assert all(word not in r.text for word in words), r.text


def test_a_prescriptions_language_matches_its_translation_in_any_case(tmp_path: Path):
    from leaflet.service.jobs import _language_matches

    folder = tmp_path / "baclofen"
    folder.mkdir()
    for name in ("zh-hans", "pt"):
        (folder / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _language_matches("zh-Hans", "zh-hans", str(folder))  # a prescription's tag is in BCP 47's case
    assert _language_matches("pt-BR", "pt", str(folder))  # no pt-BR translation: pt
    (folder / "pt-br.yaml").write_text(MINIMAL, encoding="utf-8")
    assert not _language_matches("pt-BR", "pt", str(folder))  # its own translation, named in any case
    assert not _language_matches("en", "pt", str(folder))
