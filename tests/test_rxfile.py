"""Prescription files (YAML, JSON): leaflet.personal.rxfile, and their published schema."""
from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from leaflet.errors import CODES, ContentError
from leaflet.personal import rxfile
from leaflet.personal.schema import schema_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SENTINEL = "Zebulon Quixotic-Sentinel"


def problems(text, name="rx.yaml", **kw):
    with pytest.raises(ContentError) as info:
        rxfile.parse(text, name, **kw)
    for d in info.value.diagnostics:
        assert d.code in CODES, d
        assert SENTINEL not in str(d), d
    return info.value.diagnostics


def good_yaml() -> str:
    return (EXAMPLES / "prescription.yaml").read_text(encoding="utf-8").replace("Alex Example", SENTINEL)


def test_the_examples_load_and_agree():
    a = rxfile.load(EXAMPLES / "prescription.yaml")
    b = rxfile.load(EXAMPLES / "prescription.json")
    assert a == b and a.refills == 2 and a.quantity == "90 tablets" and str(a.dispensed) == "2026-11-23"


def test_the_published_schema_is_current_and_accepts_the_examples():
    published = ROOT / "schema" / "prescription.schema.json"
    assert published.read_text(encoding="utf-8") == schema_text(), (
        "schema/prescription.schema.json is stale: run  leaflet schema --rx -o schema/prescription.schema.json")
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(json.loads((EXAMPLES / "prescription.json").read_text())))
    bad = {**json.loads((EXAMPLES / "prescription.json").read_text()), "patinet": "x", "refills": "two"}
    del bad["patient"]
    assert len(list(validator.iter_errors(bad))) == 3


def test_yaml_errors_come_at_file_line_col_naming_the_field():
    text = good_yaml().replace('dispensed: "2026-11-23"', "dispensed: 23.11.2026").replace(
        "refills: 2", f"refils: 2\nnote: {SENTINEL}")
    found = {d.path: d for d in problems(text)}
    assert set(found) == {("dispensed",), ("refils",), ("note",), ("refills",)}
    lines = text.splitlines()
    d = found[("dispensed",)]
    assert d.file == "rx.yaml" and lines[d.line - 1][d.column - 1:].startswith("23.11.2026")
    assert "23.11.2026" not in str(d)
    u = found[("refils",)]
    assert u.code == "unknown-key" and lines[u.line - 1].startswith("refils") and "refills" in u.hint
    assert found[("refills",)].code == "missing-field"


def test_json_errors_come_at_file_line_col_and_keep_json_types():
    data = json.loads((EXAMPLES / "prescription.json").read_text())
    data.update(patient=SENTINEL, refills=True, quantity=[60])
    text = json.dumps(data, indent="\t")  # tabs: JSON allows them, YAML does not
    found = {d.path: d for d in problems(text, "rx.json")}
    assert set(found) == {("refills",), ("quantity",)}
    assert all(d.code == "type" and d.line > 1 for d in found.values())
    line = text.splitlines()[found[("refills",)].line - 1]
    assert line[found[("refills",)].column - 1:].startswith("true")


def test_json_syntax_and_shape():
    [d] = problems('{"patient": "x",\n "refills": 2,,}', "rx.json")
    assert d.code == "json-syntax" and (d.line, d.column) == (2, 15)
    [d] = problems("[1, 2]", "rx.json")
    assert d.code == "document"
    text = json.dumps({**json.loads((EXAMPLES / "prescription.json").read_text()), "patient": SENTINEL})
    found = problems(text.replace('"rx_number"', '"patient": "again", "rx_number"'), "rx.json")
    assert [d.path for d in found] == [("patient",)] and "duplicate" in found[0].message
    # a non-BMP character written as a JSON surrogate pair escape is fine (libyaml refuses those)
    ok = text.replace(SENTINEL, "Alex \\ud83d\\ude00 Example")
    assert rxfile.parse(ok, "rx.json").patient == "Alex \U0001F600 Example"


@pytest.mark.parametrize("text, code", [
    ("", "document"),
    ("- a\n- b\n", "document"),
    ("patient: &a x\ndirections: *a\n", "yaml-feature"),
    ("patient: !!python/object:os.system x\n", "yaml-feature"),
    ("patient: x\npatient: y\n", "yaml-feature"),
    ("a: b\n---\nc: d\n", "yaml-feature"),
    ("patient: [unclosed\n", "yaml-syntax"),
])
def test_yaml_features_refused_as_in_content_files(text, code):
    assert code in {d.code for d in problems(text)}
    assert all("leaflet file" not in str(d) for d in problems(text))


def test_input_safety(tmp_path):
    with pytest.raises(ContentError) as info:
        rxfile.load(tmp_path)
    assert info.value.diagnostics[0].code == "input" and "prescription" in str(info.value)
    with pytest.raises(ContentError) as info:
        rxfile.load(tmp_path / "missing.yaml")
    assert info.value.diagnostics[0].code == "input"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"patient: " + b"x" * (rxfile.MAX_RX_SIZE + 10))
    with pytest.raises(ContentError) as info:
        rxfile.load(big)
    assert "larger than the limit of 64 KB" in str(info.value) and "prescription" in str(info.value)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(good_yaml().replace("Exampleton", "Ex\xe4mpleton").encode("latin-1"))
    with pytest.raises(ContentError) as info:
        rxfile.load(latin1)
    assert info.value.diagnostics[0].code == "input" and "UTF-8" in str(info.value)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "rx.yaml"
        os.mkfifo(fifo)
        with pytest.raises(ContentError) as info:
            rxfile.load(fifo)  # refused without waiting for a writer
        assert "named pipe" in str(info.value)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + good_yaml().encode())
    assert rxfile.load(bom).patient == SENTINEL


def test_leaflet_schema_rx_prints_the_published_schema(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "leaflet", "schema", "--rx"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == (ROOT / "schema" / "prescription.schema.json").read_text()
    done = subprocess.run([sys.executable, "-m", "leaflet", "schema", "--rx", "-o", str(tmp_path / "s.json")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and json.loads((tmp_path / "s.json").read_text())["title"].startswith("leaflet: a pre")


@pytest.mark.parametrize("name", ["rx.csv", "rx.xlsx", "rx"])
def test_a_sheet_given_as_a_prescription_says_to_use_batch(tmp_path, capsys, name):
    """Seen in a new user's trial: 'validate --rx rx.csv' said 'the document is a single text', and an
    Excel workbook 'the file is not valid UTF-8 (byte 0x8f)' with the hint to save it as UTF-8."""
    from leaflet.cli import main

    sheet = tmp_path / name
    if name == "rx.xlsx" or name == "rx":  # an Excel workbook (a zip), whatever its name
        import zipfile

        with zipfile.ZipFile(sheet, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
    else:
        sheet.write_text("patient,directions,dispensed\nZebulon Sentinel,Take 1,2026-11-23\n", encoding="utf-8")
    for argv in (["validate", "--rx", sheet], ["build", ROOT / "content" / "baclofen" / "en.yaml", "--rx", sheet,
                                                "-o", tmp_path / "x.pdf"]):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        assert code == 2, err
        assert f"{sheet}: error[input]: this is a sheet of prescriptions (CSV or Excel), not a prescription file" in err
        assert "leaflet batch" in err and "Zebulon" not in out + err
        assert not (tmp_path / "x.pdf").exists()
