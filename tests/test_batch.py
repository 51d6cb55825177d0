"""leaflet batch: a sheet of prescriptions -> one stamped, verified leaflet per row (or one merged PDF).

The PDFs are read back with leaflet verify (panel included) and with poppler; the patient's name
(a sentinel) is searched for in file names, PDF metadata, the manifest and everything printed.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import msgspec
import pikepdf
import pytest

import leaflet
from leaflet import api
from leaflet.batch import MANIFEST, Bad, Job, build_job, jobs_from_sheet
from leaflet.cli import main
from leaflet.personal import rxfile

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "baclofen"
SENTINEL = "Zelda Sentinelova"
HEADER = ["patient", "directions", "purpose", "strength", "form", "prescriber", "pharmacy", "pharmacy_address",
          "pharmacy_phone", "rx_number", "dispensed", "quantity", "refills", "language"]


def row(rx_number: str, language: str = "en", dispensed: str = "2026-11-23", patient: str = SENTINEL) -> list[str]:
    return [patient, "Take 1 tablet at bedtime", "muscle spasms", "10 mg", "tablets", "Dr. Sam Sample",
            "Example Pharmacy", "1 Sample Street, Exampleton", "555-0100", rx_number, dispensed, "30 tablets", "1",
            language]


def sheet(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


ROWS = [row("RX-1"), row("RX-2", dispensed="23/11/2026"), row("RX-3", "ar"), row("RX-4", "it"),
        row("RX-5", "es", patient="Ana Ñúñez")]


def batch(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["batch", str(CONTENT), *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sheet built once with -j 1 and once with -j 2 (and --verify)."""
    base = tmp_path_factory.mktemp("batch")
    src = sheet(base / "rx.csv", ROWS)
    outs = {}
    for jobs in ("1", "2"):
        out = base / f"out-{jobs}"
        proc = subprocess.run([sys.executable, "-m", "leaflet", "batch", str(CONTENT), str(src), "-o", f"{out}/",
                               "-j", jobs, "--verify"], capture_output=True, text=True, cwd=ROOT)
        outs[jobs] = (out, proc)
    return src, outs


def test_each_good_row_is_built_the_bad_one_reported_and_the_status_says_so(built):
    src, outs = built
    out, proc = outs["1"]
    assert proc.returncode == 2, proc.stderr  # a row with problems: content errors
    assert sorted(p.name for p in out.glob("*.pdf")) == ["00002-en.pdf", "00004-ar.pdf", "00005-en.pdf",
                                                         "00006-es.pdf"]
    assert f"{src}: row 3, column dispensed: error[value]" in proc.stderr
    assert "4 written, 0 up to date, 1 row with problems" in proc.stdout
    # row 5 asked for Italian: the leaflet has none, so English, with a warning (no patient data in it)
    assert "row 5: the leaflet has no translation in the prescription's language" in proc.stderr


def test_every_output_verifies_with_its_prescription_and_reads_back_in_poppler(built, has_poppler):
    _src, outs = built
    out, _ = outs["1"]
    for name, r, lang in (("00002-en.pdf", ROWS[0], "en"), ("00004-ar.pdf", ROWS[2], "ar"),
                          ("00005-en.pdf", ROWS[3], "en"), ("00006-es.pdf", ROWS[4], "es")):
        rx = rxfile.parse(msgspec.json.encode(dict(zip(HEADER, r), refills=1)), "rx.json")
        doc = leaflet.load(CONTENT / f"{lang}.yaml")
        pdf = (out / name).read_bytes()
        assert api.verify(doc, pdf, rx) == [], name
        text = subprocess.run(["pdftotext", "-l", "1", str(out / name), "-"], capture_output=True, text=True).stdout
        assert r[0].split()[0] in text and r[9] in text


def test_same_bytes_whatever_the_number_of_workers(built):
    _, outs = built
    one, two = outs["1"][0], outs["2"][0]
    assert outs["2"][1].returncode == 2
    for pdf in one.glob("*.pdf"):
        assert pdf.read_bytes() == (two / pdf.name).read_bytes(), pdf.name
    assert (one / MANIFEST).read_bytes() == (two / MANIFEST).read_bytes()


def test_the_patient_is_in_no_file_name_metadata_manifest_or_message(built):
    _, outs = built
    out, proc = outs["1"]
    assert SENTINEL not in proc.stdout + proc.stderr and "Sentinelova" not in proc.stderr
    assert "\r" not in proc.stderr and "it/s" not in proc.stderr  # no progress bar when not on a terminal
    for path in out.iterdir():
        assert "Sentinelova" not in path.name
    assert b"Sentinelova" not in (out / MANIFEST).read_bytes()
    for pdf in out.glob("*.pdf"):
        with pikepdf.open(pdf) as p:
            meta = " ".join(f"{k}={v}" for k, v in p.docinfo.items())
            assert "Sentinelova" not in meta and "Zelda" not in meta
            assert "/Metadata" not in p.Root  # no XMP packet to hide it in either


def test_a_second_run_skips_what_is_up_to_date_and_rebuilds_what_changed(tmp_path, capsys):
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2")])
    out = tmp_path / "out"
    assert batch(capsys, str(src), "-o", f"{out}/", "-j", "1")[1].startswith(f"{out}/: 2 written, 0 up to date")
    first = (out / "00002-en.pdf").read_bytes()
    assert batch(capsys, str(src), "-o", f"{out}/", "-j", "1")[1].startswith(f"{out}/: 0 written, 2 up to date")
    # a changed row, a damaged output and --force: built again
    sheet(src, [row("RX-1"), row("RX-9")])
    (out / "00002-en.pdf").write_bytes(first[:-10])
    status, stdout, _ = batch(capsys, str(src), "-o", f"{out}/", "-j", "1")
    assert status == 0 and stdout.startswith(f"{out}/: 2 written, 0 up to date")
    assert (out / "00002-en.pdf").read_bytes() == first
    assert batch(capsys, str(src), "-o", f"{out}/", "-j", "1", "--force")[1].startswith(f"{out}/: 2 written")


def test_a_name_pattern_from_fields_and_an_unknown_field(tmp_path, capsys):
    src = sheet(tmp_path / "rx.csv", [row("RX/1")])
    out = tmp_path / "out"
    status, _, _ = batch(capsys, str(src), "-o", f"{out}/", "-j", "1", "--name", "{rx_number}-{language}")
    assert status == 0 and [p.name for p in out.glob("*.pdf")] == ["RX_1-en.pdf"]  # no path from a field
    status, _, err = batch(capsys, str(src), "-o", f"{out}/", "--name", "{patinet}")
    assert status == 1 and "{patinet} is not a prescription field" in err
    # two rows that would write one file: the second is a bad row, the first is kept
    src = sheet(tmp_path / "rx2.csv", [row("RX-1"), row("RX-1", "ar"), row("RX-2")])
    status, _stdout, err = batch(capsys, str(src), "-o", f"{tmp_path}/o2/", "-j", "1", "--name", "{rx_number}")
    assert status == 2 and "row 3: error[sheet]: this row's output would have the same file name as row 2's" in err
    assert sorted(p.name for p in (tmp_path / "o2").glob("*.pdf")) == ["RX-1.pdf", "RX-2.pdf"]


def test_merge_writes_one_pdf_in_the_sheets_order_the_same_for_any_workers(tmp_path, capsys, has_poppler):
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2", "ar"), row("RX-3", dispensed="x"), row("RX-4")])
    merged = []
    for jobs in ("1", "2"):
        out = tmp_path / f"m{jobs}"
        status, stdout, err = batch(capsys, str(src), "-o", f"{out}/", "--merge", "-j", jobs)
        assert status == 2 and "row 4, column dispensed" in err
        # the row left out of the print-ready file is said beside it
        assert stdout.startswith(f"wrote {out}/leaflets.pdf: 3 leaflets, ") and \
            stdout.rstrip().endswith("pages, 1 row with problems not in it"), stdout
        merged.append((out / "leaflets.pdf").read_bytes())
    assert merged[0] == merged[1]
    bad = sheet(tmp_path / "bad.csv", [row("RX-3", dispensed="x")])
    status, stdout, _ = batch(capsys, str(bad), "-o", f"{tmp_path}/none/", "--merge", "-j", "1")
    assert status == 2 and stdout == f"{tmp_path}/none/leaflets.pdf: not written: no leaflet to merge, " \
                                      "1 row with problems not in it\n", stdout
    assert not (tmp_path / "none" / "leaflets.pdf").exists()
    with pikepdf.open(io.BytesIO(merged[0])) as p:
        assert p.check_pdf_syntax() == []
        n_en = len(pikepdf.open(io.BytesIO(api.template(leaflet.load(CONTENT / "en.yaml")).pdf.pdf)).pages)
        first_of_each = [0, n_en, len(p.pages) - n_en]
    text = subprocess.run(["pdftotext", "-", "-"], input=merged[0], capture_output=True).stdout.decode()
    pages = text.split("\f")
    assert [("RX-1", "RX-2", "RX-4")[k] in pages[i] for k, i in enumerate(first_of_each)] == [True] * 3


def test_build_job_is_importable_and_returns_bytes_without_an_output():
    rx = rxfile.load(ROOT / "examples" / "prescription.yaml")
    result = build_job(Job(content=str(CONTENT), prescription=rx, row=1))
    assert result.ok and result.status == "built" and result.language == "en"
    assert api.verify(leaflet.load(CONTENT / "en.yaml"), result.pdf, rx) == []
    # a prescription whose text does not fit its row: the field is named, never the value
    long = msgspec.structs.replace(rx, prescriber="Dr. " + "Sentinelova " * 40)
    bad = build_job(Job(content=str(CONTENT), prescription=long, row=7, source="rx.csv"))
    assert bad.status == "failed" and bad.problems
    assert all("Sentinelova" not in str(d) for d in bad.problems)
    assert "prescriber" in str(bad.problems[0])


def test_dask_bag_fans_a_batch_out_with_the_same_bytes(tmp_path):
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from dask_batch import fan_out
    finally:
        sys.path.remove(str(ROOT / "examples"))
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2", "ar"), row("RX-3", dispensed="no")])
    items = list(jobs_from_sheet(str(CONTENT), str(src), str(tmp_path / "dask")))
    assert [type(i) for i in items] == [Job, Job, Bad]
    jobs = [i for i in items if isinstance(i, Job)]
    results = fan_out(jobs, "processes", partitions=2)
    assert [r.status for r in results] == ["written", "written"]
    local = [build_job(msgspec.structs.replace(j, output="")) for j in jobs]
    assert [Path(r.output).read_bytes() for r in results] == [r.pdf for r in local]


def test_an_output_that_cannot_be_written_fails_that_row_only_with_status_1(tmp_path, capsys):
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2"), row("RX-3", dispensed="no")])
    (tmp_path / "out" / "00002-en.pdf").mkdir(parents=True)
    status, stdout, err = batch(capsys, str(src), "-o", f"{tmp_path}/out/", "-j", "1")
    assert status == 1
    assert f"leaflet: error: {src}: row 2: cannot write {tmp_path}/out/00002-en.pdf: it is a folder" in err
    assert "1 written, 0 up to date, 1 row with problems, 1 failed" in stdout
    assert (tmp_path / "out" / "00003-en.pdf").is_file()


def test_a_sheet_that_cannot_be_read_and_a_missing_default(tmp_path, capsys):
    status, _, err = batch(capsys, str(tmp_path / "none.csv"), "-o", f"{tmp_path}/o/")
    assert status == 2 and "none.csv" in err
    src = sheet(tmp_path / "rx.csv", [row("RX-1")])
    status, _, err = batch(capsys, str(src), "-o", f"{tmp_path}/o/", "--default-language", "xx")
    assert status == 1 and "has no xx.yaml" in err


BRAND = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"


def test_brand_prints_on_every_leaflet_verifies_and_a_new_brand_rebuilds(tmp_path, capsys, has_poppler):
    """batch --brand: each stamped leaflet carries the clinic's brand (read back by poppler and by
    verify with the brand); a brand's problems come before any row; the brand is part of what an
    output is built from, so the same sheet without it is built again, not skipped."""
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-3", "ar")])
    out = tmp_path / "out"
    status, stdout, err = batch(capsys, str(src), "-o", f"{out}/", "-j", "1", "--brand", str(BRAND), "--verify")
    assert status == 0 and stdout.startswith(f"{out}/: 2 written"), err
    brand = api.load_brand(BRAND)
    for name, number, lang in (("00002-en.pdf", "RX-1", "en"), ("00003-ar.pdf", "RX-3", "ar")):
        pdf = out / name
        if has_poppler:
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert text.count("Riverside Family Clinic") >= 2  # above the title and in every page's footer
        rx = rxfile.parse(msgspec.json.encode(dict(zip(HEADER, row(number, lang)))).decode(), "rx.json")
        doc = api.load(CONTENT / f"{lang}.yaml")
        assert api.verify(doc, pdf.read_bytes(), rx, brand=brand) == []
        assert api.verify(doc, pdf.read_bytes(), rx) != []  # the brand is really printed
    status, stdout, _ = batch(capsys, str(src), "-o", f"{out}/", "-j", "1")
    assert status == 0 and stdout.startswith(f"{out}/: 2 written, 0 up to date")  # without the brand: built again
    status, _, err = batch(capsys, str(src), "-o", f"{tmp_path}/none/", "--brand", str(tmp_path / "missing.yaml"))
    assert status == 2 and "missing.yaml" in err and not (tmp_path / "none").exists()


def test_a_quote_that_does_not_close_ends_the_sheet_there_the_rows_before_are_built_for_any_workers(
        tmp_path, capsys):
    # the CSV reader cannot go on past a quoted cell that does not close: the rows before it are
    # built (the same for -j 1 and -j 2), the row is reported as a bad row, and the summary says so
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2")])
    with open(src, "a", encoding="utf-8") as fh:
        fh.write(f'{SENTINEL},"Take 1 tablet,x\n')
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        status, stdout, err = batch(capsys, str(src), "-o", f"{out}/", "-j", jobs)
        assert status == 2, err
        assert f"{src}: row 4: error[sheet]: the CSV cannot be read here" in err
        assert stdout.startswith(f"{out}/: 2 written, 0 up to date, 1 row with problems"), stdout
        assert sorted(p.name for p in out.glob("*.pdf")) == ["00002-en.pdf", "00003-en.pdf"]
        assert SENTINEL not in err + stdout


def test_outputs_built_with_verify_are_up_to_date_for_a_run_without_it(tmp_path, capsys):
    # --verify changes no byte of the output: what was built and verified is not built again without
    # it (nor after, with it again); what was built without --verify is built again to be verified
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2")])
    out = tmp_path / "out"
    runs = [("--verify", "2 written, 0 up to date"), ("", "0 written, 2 up to date"),
            ("--verify", "0 written, 2 up to date"), ("--force", "2 written, 0 up to date"),
            ("--verify", "2 written, 0 up to date")]
    for option, expected in runs:
        status, stdout, _ = batch(capsys, str(src), "-o", f"{out}/", "-j", "1", *([option] if option else []))
        assert status == 0 and stdout.startswith(f"{out}/: {expected}"), (option, stdout)


def test_a_brand_a_language_cannot_print_is_said_once_and_its_rows_are_not_built(tmp_path, capsys, monkeypatch):
    # a brand name with a letter no bundled font has (Devanagari; an Arabic name prints on an English
    # leaflet, in the Arabic font: tests/test_brand_scripts.py): the template cannot be laid out; its
    # problem is the brand file's, said once (not once a row nor a language), each template laid out once
    # (not again for every row), and every row counts as a row with problems
    import leaflet.batch as batch_module

    (tmp_path / "brand.yaml").write_text("name: Clinic क\n", encoding="utf-8")
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2"), row("RX-3", "ar"), row("RX-4")])
    calls = []
    template = api.template
    monkeypatch.setattr(batch_module.api, "template", lambda *a, **k: calls.append(1) or template(*a, **k))
    status, stdout, err = batch(capsys, str(src), "-o", f"{tmp_path}/out/", "-j", "1", "--brand",
                                str(tmp_path / "brand.yaml"))
    assert status == 2
    assert err.count("error[glyph]: name:") == 1, err  # the same problem for English and Arabic: said once
    assert stdout.startswith(f"{tmp_path}/out/: 0 written, 0 up to date, 4 rows with problems"), stdout
    assert len(calls) == 2  # English once (failed), Arabic once (failed)


def test_one_content_file_is_the_default_and_rows_follow_their_language(tmp_path, capsys):
    # as the README says (and as build --rx does): the file is the default translation, not every row's
    src = sheet(tmp_path / "rx.csv", [row("RX-1", "es"), row("RX-2", "xx")])
    status = main(["batch", str(CONTENT / "en.yaml"), str(src), "-o", f"{tmp_path}/file/", "-j", "1"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "file").glob("*.pdf")) == ["00002-es.pdf", "00003-en.pdf"]
    assert "leaflet: warning: " in err and ": row 3: the leaflet has no translation" in err


def test_a_translation_with_problems_fails_its_rows_once_and_the_others_are_built(tmp_path, capsys):
    # a broken es.yaml: its problem is said once (not once a row), its rows are rows with problems, and
    # the rows in other languages are still built (the whole batch stopped before)
    import shutil

    lib = tmp_path / "baclofen"
    lib.mkdir()
    for lang in ("en", "es"):
        shutil.copy(CONTENT / f"{lang}.yaml", lib / f"{lang}.yaml")
    text = (lib / "es.yaml").read_text(encoding="utf-8")
    (lib / "es.yaml").write_text(text.replace('  name: "Baclofeno"', '  name: ""', 1), encoding="utf-8")
    src = sheet(tmp_path / "rx.csv", [row("RX-1", "es"), row("RX-2"), row("RX-3", "es")])
    for jobs in ("1", "2"):
        status = main(["batch", str(lib), str(src), "-o", f"{tmp_path}/out-{jobs}/", "-j", jobs])
        stdout, err = capsys.readouterr()
        assert status == 2
        assert err.count("es.yaml:") == 1 and "error[empty-text]: medicine.name" in err, err
        assert stdout.startswith(f"{tmp_path}/out-{jobs}/: 1 written, 0 up to date, 2 rows with problems"), stdout
        assert [p.name for p in (tmp_path / f"out-{jobs}").glob("*.pdf")] == ["00003-en.pdf"]


def test_a_row_with_a_bad_value_has_its_characters_no_font_prints_reported_too(tmp_path, capsys):
    # every problem of a row at once, as for a prescription file: its bad date and, with the
    # leaflet's fonts, its patient's character no bundled font prints (said only once the date was right)
    src = sheet(tmp_path / "rx.csv", [row("RX-1"), row("RX-2", dispensed="2026-13-45", patient=f"{SENTINEL} \ue000"),
                                      row("RX-3", patient=f"{SENTINEL} \ue000")])
    status, out, err = batch(capsys, str(src), "-o", f"{tmp_path / 'out'}/", "-j", "1", "--quiet")
    assert status == 2 and "1 written, 0 up to date, 2 rows with problems" in out, (out, err)
    assert f"{src}: row 3, column dispensed: error[value]: dispensed: not a date of the calendar" in err, err
    assert f"{src}: row 3, column patient: error[glyph]: patient: no font bundled with leaflet can print a " \
           "character of this field (the first: U+E000)" in err, err
    # the row's only problem, found as it is built: in the same form, its field named after the code
    assert f"{src}: row 4, column patient: error[glyph]: patient: no font bundled with leaflet can print " in err
    assert SENTINEL not in out + err and "\ue000" not in err
    rows = list(jobs_from_sheet(str(CONTENT), str(src), str(tmp_path / "o")))
    [bad] = [r for r in rows if isinstance(r, Bad)]
    assert [d.code for d in bad.problems] == ["value", "glyph"]
