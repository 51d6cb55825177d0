"""leaflet validate --rx and --brand: a prescription file (YAML, JSON, a FHIR R4 Bundle) and a brand
file checked without building, with the rules build uses (the same diagnostics, word for word),
at file:line:col with the field and a hint, never a prescription's value."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from leaflet import cli

from .conftest import ROOT, SAMPLE

SENTINEL = "Zephyrine Validate-Sentinel"
RX_YAML = ROOT / "examples" / "prescription.yaml"
FHIR = ROOT / "tests" / "fixtures" / "fhir"
BRAND = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"


def leaflet(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def rx_yaml(folder: Path, name: str = "rx.yaml", **changes: str) -> Path:
    text = RX_YAML.read_text(encoding="utf-8").replace("Alex Example", SENTINEL)
    for old, new in changes.items():
        text = re.sub(rf"^{old}: .*$", new, text, flags=re.M)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def bad_prescriptions(folder: Path) -> dict[str, Path]:
    """Prescriptions with problems of each kind: field values, unknown keys, JSON syntax, FHIR
    Bundles with problems, and a character the leaflet's fonts cannot print."""
    out = {
        "values": rx_yaml(folder, "values.yaml", dispensed="dispensed: 23/11/2026", refills="refils: two"),
        "missing": rx_yaml(folder, "missing.yaml", directions="", purpose=""),
        "glyph": rx_yaml(folder, "glyph.yaml", patient="patient: \u0905\u0932\u0947\u0915\u094d\u0938 Example"),
        # a bad value and a character no bundled font prints: both at once (the glyph was reported
        # only once the date was put right)
        "glyph-and-value": rx_yaml(folder, "glyph-and-value.yaml", patient=f"patient: {SENTINEL} \ue000",
                                   dispensed='dispensed: "2026-13-45"'),
    }
    record = dict(line.split(": ", 1) for line in RX_YAML.read_text(encoding="utf-8").splitlines()
                  if ": " in line and not line.startswith("#"))
    record.update(patient=f"{SENTINEL} \U0001F48A", dispensed="2026-02-30", refills=2)
    as_json = folder / "glyph-and-value.json"
    as_json.write_text(json.dumps({k: v.strip('"') if isinstance(v, str) else v for k, v in record.items()},
                                  indent=1), encoding="utf-8")
    out["json-glyph-and-value"] = as_json
    broken = folder / "broken.json"
    broken.write_text('{"patient": "' + SENTINEL + '", "refills": 2,,}', encoding="utf-8")
    out["json"] = broken
    for name in ("broken", "no-request", "dangling-reference"):
        out[f"fhir-{name}"] = FHIR / f"{name}.json"
    return out


def test_a_good_prescription_and_brand_are_ok(capsys, tmp_path):
    status, out, err = leaflet(capsys, "validate", "--rx", RX_YAML)
    assert status == 0 and out == f"{RX_YAML}: ok\n" and err == ""
    status, out, err = leaflet(capsys, "validate", "--rx", FHIR / "bundle.json")  # a FHIR R4 Bundle, as build --rx
    assert status == 0 and out == f"{FHIR / 'bundle.json'}: ok\n", err
    status, out, err = leaflet(capsys, "validate", SAMPLE, "--rx", RX_YAML, "--brand", BRAND)
    assert status == 0 and out == f"{SAMPLE}: ok\n{RX_YAML}: ok\n{BRAND}: ok\n" and err == ""
    status, out, _ = leaflet(capsys, "validate", "--brand", BRAND)
    assert status == 0 and out == f"{BRAND}: ok\n"


@pytest.mark.parametrize("kind", ["values", "missing", "glyph", "glyph-and-value", "json-glyph-and-value", "json",
                                  "fhir-broken", "fhir-no-request", "fhir-dangling-reference"])
def test_validate_rx_reports_what_build_rx_reports(kind, capsys, tmp_path):
    rx = bad_prescriptions(tmp_path)[kind]
    target = tmp_path / "out.pdf"
    built, _, build_err = leaflet(capsys, "build", SAMPLE, "--rx", rx, "-o", target)
    status, out, err = leaflet(capsys, "validate", SAMPLE, "--rx", rx)
    assert built == status == 2 and not target.exists()
    assert err == build_err and f"{rx}:" in err  # the same rules: the same diagnostics, word for word
    assert f"{rx}: ok" not in out and f"{SAMPLE}: ok" in out  # the leaflet itself is fine
    assert SENTINEL not in err and "Zephyrine" not in err and "\u0905" not in err
    for line in err.splitlines()[:-1:2]:  # each problem at file:line:col (a FHIR one at its element too)
        assert re.match(rf"{re.escape(str(rx))}(:\d+:\d+)?(: \S+)?: error\[[a-z-]+\]: ", line), line
    if kind.endswith("glyph-and-value"):  # every problem at once: the bad value and the character no bundled font prints
        assert "error[glyph]: patient: no font bundled with leaflet can print a character" in err, err
        assert "error[value]: dispensed: not a date of the calendar" in err and "2 problems in 1 file" in err, err
        assert "\U0001F48A" not in err and "\ue000" not in err
    if "glyph" not in kind:  # the prescription file's own rules need no leaflet
        alone, out, err_alone = leaflet(capsys, "validate", "--rx", rx)
        assert alone == 2 and err_alone == build_err and out == ""


NINE_STEPS = "directions: |\n" + "".join(f"  Step {i}: take one tablet\n" for i in range(1, 10))
WORDY = ("directions: Take one tablet by mouth three times a day with a full glass of water after each meal; "
         "swallow it whole and do not crush or chew it. Keep taking it every day for as long as your prescriber "
         "tells you to, even when you feel well.")
LONG_ADDRESS = "pharmacy_address: " + ", ".join(f"Warehouse {i} WMW Mall" for i in range(1, 21))
# too tall for page 1 on A5 in large print even laid out compact and tight, page 1's margins given
# (fits in the default panel; without the long address, 150 mm: it fits now that the margins give)
TOO_TALL_FOR_A5 = {"directions": WORDY, "purpose": "purpose: muscle spasms and stiffness after an injury to the "
                   "spinal cord", "prescriber": "prescriber: Dr. Samantha Sample-Example, Neurology",
                   "pharmacy": "pharmacy: Example Community Pharmacy",
                   "pharmacy_address": "pharmacy_address: Unit 4, The Old Mill Business Park, 1 Sample Street, "
                   "Exampleton EX1 2AB"}


@pytest.mark.parametrize("case, change, options, where", [
    ("nine-lines", {"directions": NINE_STEPS}, (), ":4:13: error[panel]: directions: the text does not fit"),
    ("address", {"pharmacy_address": LONG_ADDRESS}, (),
     ":10:19: error[panel]: pharmacy_address: the text does not fit"),
    # fits in the default panel; on A5 in large print, as build --paper a5 --theme large-print measures it, not
    ("a5-large-print", TOO_TALL_FOR_A5, ("--paper", "a5", "--theme", "large-print"),
     ":4:13: error[panel]: directions: the personal panel does not fit on page 1"),
])
def test_validate_rx_measures_the_panel_as_build_rx(case, change, options, where, capsys, tmp_path):
    """A text too long for its row of the panel (or the panel for page 1) is found by validate with
    the measurement build runs, on the paper and in the theme given: the same diagnostics."""
    rx = rx_yaml(tmp_path, f"{case}.yaml", **{k: v.rstrip("\n").replace("\\", "\\\\") for k, v in change.items()})
    target = tmp_path / "out.pdf"
    built, _, build_err = leaflet(capsys, "build", SAMPLE, "--rx", rx, "-o", target, *options)
    status, out, err = leaflet(capsys, "validate", SAMPLE, "--rx", rx, *options)
    assert built == status == 2 and not target.exists()
    assert err == build_err, (err, build_err)  # word for word
    assert err.startswith(f"{rx}{where}") and err.endswith("1 problem in 1 file\n"), err
    assert out == f"{SAMPLE}: ok\n" and SENTINEL not in err and "WMW Mall" not in err
    if options:  # the measurement depends on the paper and theme: without them it fits, as build says
        assert leaflet(capsys, "validate", SAMPLE, "--rx", rx)[:2] == (0, f"{SAMPLE}: ok\n{rx}: ok\n")


def test_validate_paper_and_theme_are_checked_as_build_checks_them(capsys, tmp_path):
    status, _, err = leaflet(capsys, "validate", SAMPLE, "--rx", RX_YAML, "--theme", "nonesuch")
    built, _, build_err = leaflet(capsys, "build", SAMPLE, "--rx", RX_YAML, "--theme", "nonesuch",
                                  "-o", tmp_path / "x.pdf")
    assert status == built == 1 and err == build_err and "nonesuch" in err
    status, _, err = leaflet(capsys, "validate", SAMPLE, "--paper", "a3")
    assert status == 1 and "--paper" in err
    status, out, _ = leaflet(capsys, "validate", SAMPLE, "--rx", RX_YAML, "--paper", "a5", "--theme", "large-print",
                             "--brand", BRAND)
    assert status == 0 and out == f"{SAMPLE}: ok\n{RX_YAML}: ok\n{BRAND}: ok\n"


def test_field_line_column_and_hint(capsys, tmp_path):
    rx = bad_prescriptions(tmp_path)["values"]
    status, _, err = leaflet(capsys, "validate", "--rx", rx)
    assert status == 2
    assert f"{rx}:15:1: error[unknown-key]: refils: unknown field 'refils'" in err
    assert f"{rx}:13:12: error[value]: dispensed: not a date written YYYY-MM-DD\n  hint: e.g. 2026-11-23" in err
    assert f"{rx}:3:1: error[missing-field]: refills: missing required field 'refills'\n  hint: " in err
    assert "23/11/2026" not in err and "two" not in err


def test_the_prescription_is_checked_against_the_leaflet_in_its_language(capsys, tmp_path):
    # Devanagari prints in no bundled leaflet: in the Arabic translation build --rx would choose, too
    rx = rx_yaml(tmp_path, language="language: ar", patient="patient: \u0905\u0932\u0947\u0915\u094d\u0938")
    status, out, err = leaflet(capsys, "validate", SAMPLE, "--rx", rx)
    assert status == 2 and f"{rx}:3:10: error[glyph]: patient: " in err and "Arab" not in out
    ok = rx_yaml(tmp_path, "pt.yaml", language="language: pt-BR")
    status, out, err = leaflet(capsys, "validate", SAMPLE, "--rx", ok)
    assert status == 0 and "leaflet: warning: the leaflet has no translation in the prescription's language" in err


def test_validate_brand(capsys, tmp_path):
    pale = tmp_path / "pale.yaml"
    pale.write_text('name: Riverside Family Clinic\ncolors:\n  accent: "#9fc5e8"\n', encoding="utf-8")
    status, out, err = leaflet(capsys, "validate", "--brand", pale)
    assert status == 2 and out == "" and err.startswith(f"{pale}:3:11: error[contrast]: colors.accent: ")
    built, _, build_err = leaflet(capsys, "build", SAMPLE, "--brand", pale, "-o", tmp_path / "x.pdf")
    assert built == 2 and build_err == err  # as build reports it
    logo = tmp_path / "logo.yaml"
    logo.write_text("name: Riverside Family Clinic\nlogo: missing.png\n", encoding="utf-8")
    status, _, err = leaflet(capsys, "validate", "--brand", logo)
    assert status == 2 and f"{logo}:2:7: error[logo]: logo: the logo missing.png is not there" in err
    emoji = tmp_path / "emoji.yaml"
    emoji.write_text('name: "Riverside \U0001F3E5"\n', encoding="utf-8")
    status, out, _ = leaflet(capsys, "validate", "--brand", emoji)  # glyphs need a leaflet's fonts
    assert status == 0 and out == f"{emoji}: ok\n"
    status, out, err = leaflet(capsys, "validate", SAMPLE, "--brand", emoji)
    assert status == 2 and f"{emoji}:1:7: error[glyph]: name: " in err and out == f"{SAMPLE}: ok\n"


def test_standard_input_and_usage(capsys, tmp_path, monkeypatch):
    import io

    data = json.dumps({"patient": SENTINEL, "refills": "two"})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    status, _, err = leaflet(capsys, "validate", "--rx", "-")
    assert status == 2 and "<stdin>:1:" in err and SENTINEL not in err
    status, _, err = leaflet(capsys, "validate")
    assert status == 1 and "give the files to check" in err
    status, _, err = leaflet(capsys, "validate", SAMPLE, SAMPLE, "--rx", RX_YAML)
    assert status == 1 and "--rx is checked against one leaflet" in err
    status, _, err = leaflet(capsys, "validate", "-", "--rx", "-")
    assert status == 1 and "only once" in err
    status, _, err = leaflet(capsys, "validate", "--rx", tmp_path / "none.yaml")
    assert status == 2 and f"{tmp_path / 'none.yaml'}: error[input]: file not found" in err


def test_readme_validate_rx_example_is_what_validate_says(capsys, tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Checking a prescription: `leaflet validate --rx`", 1)[1].split("\n### ", 1)[0]
    shown = re.search(r"```\n\$ leaflet validate content/baclofen/en.yaml --rx rx.yaml[^\n]*\n(.*?)```", section,
                      re.S).group(1)
    (tmp_path / "content").symlink_to(ROOT / "content")
    rx_yaml(tmp_path, patient="patient: \u0905\u0932\u0947\u0915\u094d\u0938 Example")
    monkeypatch.chdir(tmp_path)
    status, out, err = leaflet(capsys, "validate", "content/baclofen/en.yaml", "--rx", "rx.yaml")
    assert status == 2 and out + err == shown


def test_readme_validate_rx_panel_example_is_what_validate_says(capsys, tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Checking a prescription: `leaflet validate --rx`", 1)[1].split("\n### ", 1)[0]
    command, shown = re.search(r"```\n\$ (leaflet validate content/baclofen/en.yaml --rx rx.yaml --paper a5 "
                               r"--theme large-print)[^\n]*\n(.*?)```", section, re.S).groups()
    (tmp_path / "content").symlink_to(ROOT / "content")
    rx_yaml(tmp_path, **TOO_TALL_FOR_A5)
    monkeypatch.chdir(tmp_path)
    status, out, err = leaflet(capsys, *command.split()[1:])
    assert status == 2 and out + err == shown


def test_readme_fhir_error_table_is_what_leaflet_says(capsys, tmp_path, monkeypatch):
    """The FHIR section's table of errors: each row's message is the first line leaflet prints for
    the example Bundle with the change the row names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Prescriptions from FHIR R4 Bundles", 1)[1].split("\n### ", 1)[0]
    rows = dict(re.findall(r"^\| ([^|]+?) \| `([^`]+)`", section, re.M))
    bundle = (FHIR / "bundle.json").read_text(encoding="utf-8")
    data = json.loads(bundle)
    variants = {
        "a Dosage without words": bundle.replace('           "text": "1 tab PO qAM and qHS",\n', "").replace(
            '           "patientInstruction": "Take 1 tablet by mouth in the morning and 1 tablet at bedtime",\n', ""),
        "a bad value": bundle.replace('"whenHandedOver": "2026-11-23T09:05:00+00:00"', '"whenHandedOver": "23/11/2026"'),
        "not a Bundle": json.dumps(data["entry"][0]["resource"], indent=2),
        "broken JSON": (FHIR / "broken.json").read_text(encoding="utf-8"),
        "no MedicationRequest": (FHIR / "no-request.json").read_text(encoding="utf-8"),
        "a dangling reference": (FHIR / "dangling-reference.json").read_text(encoding="utf-8"),
    }
    monkeypatch.chdir(tmp_path)
    for problem, text in variants.items():
        assert text != bundle, problem
        Path("bundle.json").write_text(text, encoding="utf-8")
        status, _, err = leaflet(capsys, "validate", "--rx", "bundle.json")
        assert status == 2 and err.splitlines()[0] == rows[problem], problem
