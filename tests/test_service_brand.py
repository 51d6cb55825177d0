"""leaflet serve --brand: a clinic's or pharmacy's brand on every leaflet the service serves (the
personalised ones and POST /build), several brands chosen per request with ?brand=ID, and a bad
brand file that stops the service, with its file:line:col, before it listens."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from starlette.testclient import TestClient

from leaflet import api, cli
from leaflet.errors import ContentError, UsageError
from leaflet.personal import model
from leaflet.service import server
from leaflet.service.app import Settings, create_app
from leaflet.service.brands import brand_ids, parse_spec

from .conftest import MINIMAL, ROOT
from .test_service import record

RIVERSIDE = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"
HILLSIDE = """\
name: Hillside Community Pharmacy
colors:
  accent: "#1f4e79"
contact:
  - 3 Sample Lane, Exampleton
"""
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("brand-service")
    lib = base / "library"
    (lib / "baclofen").mkdir(parents=True)
    for lang in ("en", "ar"):
        shutil.copy(ROOT / "content" / "baclofen" / f"{lang}.yaml", lib / "baclofen" / f"{lang}.yaml")
    (base / "hillside.yaml").write_text(HILLSIDE, encoding="utf-8")
    return lib


@pytest.fixture(scope="module")
def branded(library: Path):
    brands = (("riverside", str(RIVERSIDE)), ("hillside", str(library.parent / "hillside.yaml")))
    with TestClient(create_app(Settings(library=library, workers=1, warm=False, brands=brands))) as c:
        yield c


def printed(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler reads it (an independent reader), or "" without poppler."""
    if not shutil.which("pdftotext"):
        return ""
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_every_personalised_leaflet_carries_the_default_brand(branded: TestClient, tmp_path: Path):
    brand = api.load_brand(RIVERSIDE)
    for language in ("en", "ar"):
        r = branded.post(f"/leaflets/baclofen/{language}", content=json.dumps(record(language=language)),
                         headers=JSON)
        assert r.status_code == 200, r.text
        doc = api.load(ROOT / "content" / "baclofen" / f"{language}.yaml")
        rx = model.from_record(record(language=language), model.at_file("rx"))
        assert r.content == api.stamp_personalised(api.template(doc, brand=brand), rx)
        assert api.verify(doc, r.content, rx, brand=brand) == []
        assert api.verify(doc, r.content, rx) != []  # the brand's texts are really there
        text = printed(r.content, tmp_path)
        if text:
            assert text.count("Riverside Family Clinic") >= 2 and "Hillside" not in text  # title block and footer


def test_a_request_chooses_another_brand(branded: TestClient, tmp_path: Path, library: Path):
    r = branded.post("/leaflets/baclofen/en?brand=hillside", content=json.dumps(record()), headers=JSON)
    assert r.status_code == 200, r.text
    hillside = api.load_brand(library.parent / "hillside.yaml")
    doc = api.load(ROOT / "content" / "baclofen" / "en.yaml")
    rx = model.from_record(record(), model.at_file("rx"))
    assert api.verify(doc, r.content, rx, brand=hillside) == []
    text = printed(r.content, tmp_path)
    if text:
        assert "Hillside Community Pharmacy" in text and "Riverside" not in text
    same = branded.post("/leaflets/baclofen/en?brand=riverside", content=json.dumps(record()), headers=JSON)
    default = branded.post("/leaflets/baclofen/en", content=json.dumps(record()), headers=JSON)
    assert same.content == default.content != r.content


def test_build_carries_the_brand_too(branded: TestClient, library: Path):
    content = (ROOT / "content" / "baclofen" / "en.yaml").read_bytes()
    r = branded.post("/build?brand=hillside", content=content)
    assert r.status_code == 200, r.text
    doc = api.load(ROOT / "content" / "baclofen" / "en.yaml")
    assert r.content == api.build_bytes(doc, brand=library.parent / "hillside.yaml")
    assert r.content != api.build_bytes(doc)


def test_unknown_brands_are_refused_without_naming_them_back(branded: TestClient, library: Path):
    r = branded.post("/leaflets/baclofen/en?brand=elsewhere-secret", content=json.dumps(record()), headers=JSON)
    assert r.status_code == 400 and r.json()["message"] == "brand must be one of: riverside, hillside"
    assert branded.get("/leaflets").json()["brands"] == [
        {"id": "riverside", "name": "Riverside Family Clinic"}, {"id": "hillside", "name": "Hillside Community Pharmacy"}]
    with TestClient(create_app(Settings(library=library, workers=1, warm=False))) as plain:
        r = plain.post("/build?brand=riverside", content=MINIMAL.encode())
        assert r.status_code == 400 and "no brands" in r.json()["message"]
        assert plain.get("/leaflets").json()["brands"] == []
        assert plain.post("/build", content=MINIMAL.encode()).status_code == 200


def test_the_form_offers_the_brands(branded: TestClient):
    page = branded.get("/").text
    assert 'id="f-clinic"' in page and 'id="r-clinic" hidden' in page  # shown by form.js when there are several
    assert branded.get("/form/strings/ar").json()["ui"]["brand"] == "العيادة أو الصيدلية"
    assert "brand=" in branded.get("/form.js").text


BAD = "name: Riverside Family Clinic\ncolors:\n  accent: \"#9fc5e8\"\n"


def test_a_bad_brand_stops_the_service_before_it_listens(tmp_path: Path, library: Path, monkeypatch, capsys):
    (tmp_path / "pale.yaml").write_text(BAD, encoding="utf-8")
    listened: list[object] = []
    monkeypatch.setattr(server, "listen", lambda *a: listened.append(a) or pytest.fail("listened"))
    status = cli.main(["serve", "--port", "0", "--library", str(library), "--workers", "1",
                       "--brand", str(tmp_path / "pale.yaml"), "--brand", f"x={tmp_path / 'missing.yaml'}"])
    err = capsys.readouterr().err
    assert status == 2 and not listened
    assert f"{tmp_path / 'pale.yaml'}:3:11: error[contrast]: colors.accent: the accent colour #9fc5e8" in err
    assert f"{tmp_path / 'missing.yaml'}: error[input]: file not found" in err
    assert err.rstrip().endswith("2 problems in 2 files")
    with pytest.raises(ContentError):
        create_app(Settings(library=library, workers=1, warm=False, brands=(("pale", str(tmp_path / "pale.yaml")),)))


def test_a_brand_the_library_cannot_print_stops_the_service(tmp_path: Path, library: Path):
    (tmp_path / "emoji.yaml").write_text('name: "Riverside \U0001F3E5"\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        server.serve(Settings(library=library, workers=1, brands=(("e", str(tmp_path / "emoji.yaml")),)),
                     "127.0.0.1", 0)
    problems = caught.value.diagnostics
    assert {d.code for d in problems} == {"glyph"} and {(d.line, d.column) for d in problems} == {(1, 7)}
    # no bundled font has the emoji: one problem, for every language of the library
    (problem,) = problems
    languages = problem.message.rsplit("(the library's leaflets in ", 1)[1].rstrip(")").split(", ")
    assert {"ar", "en"} <= set(languages), problem.message


def test_brand_options_name_their_ids():
    assert parse_spec("clinic.yaml") == ("clinic", "clinic.yaml")
    assert parse_spec("north=brands/clinic.yaml") == ("north", "brands/clinic.yaml")
    with pytest.raises(UsageError, match="two brands have the id 'clinic'"):
        brand_ids(["clinic.yaml", "other/clinic.yaml"])
    with pytest.raises(UsageError, match="cannot serve as the brand's id"):
        parse_spec("my clinic.yaml")
    with pytest.raises(UsageError, match="not an empty name"):
        parse_spec(" ")
