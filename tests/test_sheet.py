"""Prescriptions from a sheet (leaflet.personal.sheet): CSV and Excel, row by row."""
from __future__ import annotations

import datetime
import tracemalloc
from pathlib import Path

import pytest

from leaflet.errors import CODES, ContentError
from leaflet.personal import sheet
from leaflet.personal.sheet import read_rows

FIXTURES = Path(__file__).parent / "fixtures" / "sheets"
HEADER = ("patient,directions,purpose,strength,form,prescriber,pharmacy,pharmacy_address,pharmacy_phone,rx_number,"
          "dispensed,quantity,refills,language")
SENTINEL = "Zebulon Quartermaine-Sentinel"


def row(patient: str = "Alex Example", **changes: str) -> str:
    cells = {"patient": patient, "directions": "Take 1 tablet at bedtime", "purpose": "muscle spasms",
             "strength": "10 mg", "form": "tablets", "prescriber": "Dr. Sam Sample", "pharmacy": "Example Pharmacy",
             "pharmacy_address": '"1 Sample Street, Exampleton"', "pharmacy_phone": "555-0100",
             "rx_number": "RX-1", "dispensed": "2026-11-23", "quantity": "60", "refills": "2", "language": "en"}
    cells.update(changes)
    return ",".join(cells[name] for name in HEADER.split(","))


def sheet_errors(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        list(read_rows(path))
    return [str(d) for d in info.value.diagnostics]


def test_the_sample_sheet_gives_every_prescription_as_written():
    results = list(read_rows(FIXTURES / "prescriptions.csv"))
    assert [r.row for r in results] == [2, 3, 5, 6]  # row 4 is empty: skipped; a two-line cell is one row
    assert all(r.ok and not r.diagnostics for r in results)
    first, spanish, arabic, quoted = (r.prescription for r in results)
    assert first.pharmacy_address == "1 Sample Street\nExampleton EX1 2AB"  # a quoted cell with a line break
    assert first.dispensed == datetime.date(2026, 11, 23) and first.refills == 2
    assert first.quantity == "60 tablets" and first.rx_number == "RX-0001234"
    assert spanish.directions == "Tome 1 tableta por la mañana y 1 tableta al acostarse" and spanish.language == "es"
    assert arabic.language == "ar" and arabic.directions.startswith("تناول")
    assert quoted.patient == 'Jordan "JJ" Sample' and quoted.purpose is None  # an empty cell is not given


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_delimiter_and_byte_order_mark(tmp_path, delimiter, bom):
    text = (HEADER + "\n" + row() + "\n").replace(",", delimiter).replace(
        f'"1 Sample Street{delimiter} Exampleton"', '"1 Sample Street, Exampleton"')
    path = tmp_path / "rx.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    (result,) = read_rows(path)
    assert result.ok, result.diagnostics
    assert result.prescription.patient == "Alex Example"  # no BOM glued to the first header or value
    assert result.prescription.pharmacy_address == "1 Sample Street, Exampleton"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_and_breaks_inside_cells(tmp_path, newline):
    path = tmp_path / "rx.csv"
    text = (FIXTURES / "prescriptions.csv").read_text(encoding="utf-8").replace("\n", newline)
    path.write_bytes(text.encode("utf-8"))
    results = list(read_rows(path))
    assert [r.row for r in results] == [2, 3, 5, 6] and all(r.ok for r in results)
    assert results[0].prescription.pharmacy_address == "1 Sample Street\nExampleton EX1 2AB"  # one line break


def test_headers_match_without_case_spaces_or_underscores(tmp_path):
    header = HEADER.replace("pharmacy_address", " Pharmacy Address ").replace("rx_number", "RX-NUMBER").replace(
        "patient", "PATIENT")
    path = tmp_path / "rx.csv"
    path.write_text(header + "\n" + row() + "\n", encoding="utf-8")
    (result,) = read_rows(path)
    assert result.ok and result.prescription.rx_number == "RX-1"


def test_a_bad_date_is_reported_at_its_row_and_column_and_the_others_are_read():
    results = list(read_rows(FIXTURES / "bad-date.csv"))
    assert [r.ok for r in results] == [True, False]
    (problem,) = results[1].diagnostics
    assert problem.code == "value" and problem.path == ("dispensed",)
    assert str(problem).startswith(f"{FIXTURES / 'bad-date.csv'}: row 3, column dispensed: error[value]: ")
    assert "23/11/2026" not in str(problem)  # the value is never in the message


def test_bad_refills_each_row_its_own_error():
    results = list(read_rows(FIXTURES / "bad-refills.csv"))
    assert [r.row for r in results] == [2, 3] and not any(r.ok for r in results)
    for result in results:
        (problem,) = result.diagnostics
        assert problem.where == f"row {result.row}, column refills" and problem.path == ("refills",)


def test_a_missing_required_column_is_one_error_for_the_sheet_before_any_row():
    with pytest.raises(ContentError) as info:
        read_rows(FIXTURES / "missing-column.csv")  # raised by the call, not at the first row
    (problem,) = info.value.diagnostics  # one error, not one per row
    assert problem.code == "missing-field" and problem.where == "row 1"
    assert "pharmacy_phone" in problem.message and "dispensed" in problem.message


def test_a_misspelt_header_gets_a_did_you_mean_and_is_not_also_missing():
    (problem,) = sheet_errors(FIXTURES / "misspelt-header.csv")
    assert "row 1, column F" in problem and "unknown column 'presciber'" in problem
    assert "did you mean 'prescriber'?" in problem


def test_an_unknown_column_is_an_error():
    (problem,) = sheet_errors(FIXTURES / "unknown-column.csv")
    assert "column O" in problem and "unknown column 'insurance'" in problem and "error[unknown-key]" in problem


def test_a_column_given_twice_and_a_cell_without_a_header(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(HEADER + ",Patient\n" + row() + ",Alex\n", encoding="utf-8")
    (problem,) = sheet_errors(path)
    assert "the column patient is there twice (also column A)" in problem and "column O" in problem
    path = tmp_path / "extra.csv"
    path.write_text(HEADER + ",\n" + row() + ",stray\n" + row() + ",\n", encoding="utf-8")
    bad, good = read_rows(path)
    assert good.ok  # an empty cell under no header is fine
    (problem,) = bad.diagnostics
    assert problem.where == "row 2, column O" and problem.code == "sheet" and "stray" not in str(problem)


def test_a_sheet_without_a_header_row_quotes_none_of_its_data(tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text(row(SENTINEL) + "\n" + row() + "\n", encoding="utf-8")
    (problem,) = sheet_errors(path)
    assert "the first row is not a header" in problem and SENTINEL not in problem and "Sample" not in problem


@pytest.mark.parametrize("encoding, expected", [("latin-1", "not valid UTF-8"), ("utf-16", "UTF-16")])
def test_another_encoding_is_a_clear_error(tmp_path, encoding, expected):
    path = tmp_path / "rx.csv"
    path.write_bytes((HEADER + "\n" + row("Zoë Example") + "\n").encode(encoding))
    (problem,) = sheet_errors(path)
    assert expected in problem and "CSV UTF-8" in problem and "error[input]" in problem
    if encoding == "latin-1":
        assert problem.startswith(f"{path}:2:3: ")  # the line and column of the first byte that is not UTF-8


def test_quotes_that_do_not_close_stop_the_sheet_where_they_open(tmp_path):
    path = tmp_path / "rx.csv"
    path.write_text(HEADER + "\n" + row() + "\n" + row('"Alex Example') + "\n", encoding="utf-8")
    rows = read_rows(path)
    assert next(rows).ok  # the rows before are read
    with pytest.raises(ContentError) as info:
        next(rows)
    (problem,) = info.value.diagnostics
    assert problem.code == "sheet" and "quoted cell" in problem.message and "Alex" not in str(problem)


@pytest.mark.parametrize("content, expected", [
    (b"", "the sheet is empty"),
    (b"\n ,, \n", "the sheet is empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel workbook (.xls)"),
    (b"PK\x03\x04not really a zip", "the workbook cannot be read"),
    (b"\x7fELF\x02\x01\x01\x00\x00", "not a sheet (binary data)"),
])
def test_files_that_are_not_sheets(tmp_path, content, expected):
    path = tmp_path / "rx.csv"
    path.write_bytes(content)
    (problem,) = sheet_errors(path)
    assert expected in problem


def test_a_missing_file_and_a_folder(tmp_path):
    assert "file not found" in sheet_errors(tmp_path / "nope.csv")[0]
    assert "a folder, not a sheet" in sheet_errors(tmp_path)[0]


# --- Excel ----------------------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list[object]], title: str = "Today") -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for values in rows:
        ws.append(values)
    book.save(path)
    return path


def _excel_row(patient: str = "Alex Example", **changes: object) -> list[object]:
    cells: dict[str, object] = {
        "patient": patient, "directions": "Take 1 tablet at bedtime", "purpose": "muscle spasms", "strength": "10 mg",
        "form": "tablets", "prescriber": "Dr. Sam Sample", "pharmacy": "Example Pharmacy",
        "pharmacy_address": "1 Sample Street\nExampleton", "pharmacy_phone": "555-0100", "rx_number": "RX-1",
        "dispensed": datetime.datetime(2026, 11, 23), "quantity": 60, "refills": 2, "language": "en"}
    cells.update(changes)
    return [cells[name] for name in HEADER.split(",")]


def test_an_excel_workbook_dates_are_dates_and_numbers_numbers(tmp_path):
    path = _workbook(tmp_path / "batch.xlsx", [
        [h.replace("_", " ").title() for h in HEADER.split(",")],
        _excel_row(),
        [],
        [None] * 14,
        _excel_row("Rosa Ejemplo", quantity="30 tabletas", refills=0.0, language="es", rx_number=12345),
    ])
    first, second = read_rows(path)
    assert (first.row, second.row) == (2, 5)
    assert first.prescription.dispensed == datetime.date(2026, 11, 23)  # a date cell, not a serial number
    assert first.prescription.quantity == "60" and first.prescription.refills == 2
    assert first.prescription.pharmacy_address == "1 Sample Street\nExampleton"
    assert second.prescription.refills == 0 and second.prescription.rx_number == "12345"
    assert second.prescription.quantity == "30 tabletas"


def test_excel_errors_name_the_sheet_row_and_column(tmp_path):
    path = _workbook(tmp_path / "batch.xlsx", [
        HEADER.split(","),
        _excel_row(SENTINEL, dispensed=datetime.datetime(2026, 11, 23, 14, 30)),
        _excel_row(SENTINEL, dispensed="next Tuesday", refills="many"),
    ])
    first, second = read_rows(path)
    (problem,) = first.diagnostics
    assert str(problem).startswith(f"{path}: sheet Today, row 2, column dispensed: error[value]: ")
    assert "time of day" in problem.message
    assert [d.where for d in second.diagnostics] == ["sheet Today, row 3, column dispensed",
                                                     "sheet Today, row 3, column refills"]


def test_excel_header_problems_are_for_the_sheet(tmp_path):
    header = HEADER.replace("refills", "refils").split(",")[:-1]  # without language, which comes later
    path = _workbook(tmp_path / "batch.xlsx", [[], [*header, "Language", "Notes"], _excel_row()])
    with pytest.raises(ContentError) as info:
        read_rows(path)
    assert [(d.where, d.code) for d in info.value.diagnostics] == [
        ("sheet Today, row 2, column M", "unknown-key"), ("sheet Today, row 2, column O", "unknown-key")]
    assert "did you mean 'refills'?" in info.value.diagnostics[0].hint


# --- privacy and streaming ---------------------------------------------------------------------------


def test_no_error_of_a_sheet_holds_the_patients_name(tmp_path, caplog):
    lines = [HEADER,
             row(SENTINEL, dispensed="2026-02-30"),
             row(SENTINEL, refills=SENTINEL),
             row(SENTINEL, language=SENTINEL.replace(" ", "")),
             row(SENTINEL, quantity=SENTINEL),
             row(SENTINEL, directions=""),
             row(SENTINEL + "\u202e"),
             row(SENTINEL) + "," + SENTINEL,
             row('"' + SENTINEL)]
    path = tmp_path / "rx.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = []
    with pytest.raises(ContentError) as info:
        for result in read_rows(path):
            assert not result.ok
            text += [str(d) for d in result.diagnostics]
    text.append(str(info.value))
    assert len(text) >= 8
    assert not [t for t in text if "Zebulon" in t or "Sentinel" in t]
    assert "Zebulon" not in caplog.text


def test_read_rows_streams_with_flat_memory(tmp_path):
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n")
        for n in range(6000):
            fh.write(row(f"Patient {n}", rx_number=f"RX-{n}") + "\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = 0
        for result in read_rows(path):
            assert result.ok
            count += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 6000
    assert peak < size / 4, (peak, size)  # far less than the file: the rows are not held


def test_the_codes_used_are_documented():
    assert "sheet" in CODES and "input" in CODES
    assert sheet.column_letter(0) == "A" and sheet.column_letter(25) == "Z" and sheet.column_letter(26) == "AA"


def test_every_row_of_the_sample_sheet_builds_verifies_and_prints_its_panel(tmp_path):
    import subprocess

    import leaflet
    from leaflet import api
    from tests.conftest import ROOT

    for result in read_rows(FIXTURES / "prescriptions.csv"):
        rx = result.prescription
        doc = leaflet.load(ROOT / "content" / "baclofen" / f"{rx.language}.yaml")
        pdf = api.build_personalised(doc, rx)
        assert api.verify(doc, pdf, rx=rx) == []
        path = tmp_path / f"row-{result.row}.pdf"
        path.write_bytes(pdf)
        printed = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], check=True, capture_output=True,
                                 text=True).stdout
        if rx.language != "ar":  # (pdftotext reads right-to-left lines in its own order)
            assert rx.directions in " ".join(printed.split()) and rx.rx_number in printed


# --- Excel formulas ----------------------------------------------------------------------------------
# openpyxl writes a formula without its result (it computes nothing): such a cell reads as empty
# (data_only), and must be an error naming its row and column, never a field silently absent.


def _save_results(path: Path, results: dict[str, tuple[str, str]]) -> None:
    """Give formula cells the saved result a spreadsheet program would write: {"M2": ("n", "2")}
    (t="n" a number, "str" a text, "e" an error); and, as it does when it saves, no longer ask for the
    formulas to be calculated when the workbook is opened (openpyxl wrote fullCalcOnLoad="1"; Excel
    writes its calcPr without it)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    book, n = re.subn(r"<calcPr [^>]*/>", '<calcPr calcId="191029"/>', parts["xl/workbook.xml"].decode())
    assert n == 1
    parts["xl/workbook.xml"] = book.encode()
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, (kind, value) in results.items():
        def saved(m: re.Match[str], ref: str = ref, kind: str = kind, value: str = value) -> str:
            return f'<c r="{ref}" t="{kind}"><f>{m.group(2)}</f><v>{value}</v></c>'

        xml, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>', saved, xml)
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_formula_with_no_saved_result_is_an_error_at_its_row_and_column(tmp_path):
    # M is refills (required), C purpose (optional): neither may be read as "not given"
    path = _workbook(tmp_path / "batch.xlsx", [
        HEADER.split(","),
        _excel_row(SENTINEL, refills="=1+1"),
        _excel_row(SENTINEL, purpose='="' + SENTINEL + '"'),
        _excel_row(),
    ])
    first, second, third = read_rows(path)
    (problem,) = first.diagnostics  # the formula, not also "missing required field 'refills'"
    assert str(problem).startswith(f"{path}: sheet Today, row 2, column refills: error[sheet]: refills: the cell "
                                   "holds a formula with no saved result\n  hint: ")
    assert "open it in Excel or LibreOffice and save it" in problem.hint and "paste" in problem.hint
    (problem,) = second.diagnostics
    assert (problem.where, problem.path) == ("sheet Today, row 3, column purpose", ("purpose",))
    assert "Zebulon" not in str(problem) + str(first.diagnostics[0])  # neither the formula nor a value
    assert third.ok


def test_a_row_of_formulas_with_no_saved_results_is_not_skipped_as_empty(tmp_path):
    path = _workbook(tmp_path / "batch.xlsx", [HEADER.split(","), ["=A1"] * 14, [], _excel_row()])
    first, second = read_rows(path)
    assert first.row == 2 and not first.ok and second.ok and second.row == 4
    assert len(first.diagnostics) == 14 and {d.code for d in first.diagnostics} == {"sheet"}
    assert first.diagnostics[0].where == "sheet Today, row 2, column patient"
    assert path.name in str(first.diagnostics[0])


def test_a_formula_in_a_column_without_a_header_is_named_by_its_letter(tmp_path):
    path = _workbook(tmp_path / "batch.xlsx", [HEADER.split(","), [*_excel_row(), "=1"]])
    (result,) = read_rows(path)
    (problem,) = result.diagnostics
    assert problem.where == "sheet Today, row 2, column O" and problem.path == ()


def test_a_formula_with_a_saved_result_gives_it_and_an_error_value_is_an_error(tmp_path):
    # as Excel or LibreOffice save it: M2 refills =1+1 -> 2; C2 purpose gives an empty text (read as not
    # given, as an empty cell is); M3 refills =1/0 -> #DIV/0!; C3 an error typed in (#N/A), no formula
    path = _workbook(tmp_path / "batch.xlsx", [
        HEADER.split(","),
        _excel_row(refills="=1+1", purpose='=""'),
        _excel_row(SENTINEL, refills="=1/0", purpose="#N/A"),
    ])
    _save_results(path, {"M2": ("n", "2"), "C2": ("str", ""), "M3": ("e", "#DIV/0!")})
    first, second = read_rows(path)
    assert first.prescription.refills == 2 and first.prescription.purpose is None
    assert [(d.where, d.message) for d in second.diagnostics] == [
        ("sheet Today, row 3, column purpose", "the cell holds an error value (#N/A), not a text or number"),
        ("sheet Today, row 3, column refills", "the cell holds an error value (#DIV/0!), not a text or number")]
    assert "correct the formula or the cell" in second.diagnostics[0].hint


def _xlsxwriter_workbook(path: Path, rows: list[dict[int, tuple[str, object]]], title: str = "Today") -> Path:
    """A workbook as XlsxWriter writes one (it computes no formula): each row {column: ("value", v)}, or
    ("formula", text) saved with XlsxWriter's placeholder result (0), or ("formula=", (text, value))
    saved with the result its caller gave."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(title)
    ws.write_row(0, 0, HEADER.split(","))
    for r, cells in enumerate(rows, start=1):
        for c, (how, what) in cells.items():
            if how == "value":
                ws.write(r, c, what)
            elif how == "formula":
                ws.write_formula(r, c, what)
            else:
                ws.write_formula(r, c, what[0], None, what[1])
    book.close()
    return path


def _cells(**changes: tuple[str, object]) -> dict[int, tuple[str, object]]:
    names = HEADER.split(",")
    cells = {names.index(k): ("value", v) for k, v in zip(names, _excel_row()) if k != "dispensed"}
    cells[names.index("dispensed")] = ("value", "2026-11-23")
    cells.update({names.index(k): v for k, v in changes.items()})
    return cells


def test_formulas_of_a_workbook_xlsxwriter_wrote_are_errors_never_its_placeholder_results(tmp_path):
    """XlsxWriter saves every formula with the result 0 unless told another: refills '=1+1' would read
    as 0 refills, a purpose formula as '0'. Its workbook asks to be calculated when opened
    (fullCalcOnLoad): every formula in it is an error naming sheet, row and column, never a value."""
    path = _xlsxwriter_workbook(tmp_path / "batch.xlsx", [
        _cells(refills=("formula", "=1+1")),
        _cells(patient=("value", SENTINEL), purpose=("formula", '="for ' + SENTINEL + '"')),
        _cells(refills=("formula=", ("=1+1", 2))),  # a result its caller gave: no calculation gave it either
        _cells(),
    ])
    import zipfile

    with zipfile.ZipFile(path) as z:  # (what XlsxWriter wrote: the placeholder, and the request to calculate)
        assert "<f>1+1</f><v>0</v>" in z.read("xl/worksheets/sheet1.xml").decode()
        assert 'fullCalcOnLoad="1"' in z.read("xl/workbook.xml").decode()
    first, second, third, fourth = read_rows(path)
    assert [(d.where, d.path, d.code) for d in first.diagnostics] == [
        ("sheet Today, row 2, column refills", ("refills",), "sheet")]
    (problem,) = first.diagnostics
    assert str(problem).startswith(f"{path}: sheet Today, row 2, column refills: error[sheet]: refills: the cell "
                                   "holds a formula whose saved result was never computed\n  hint: ")
    assert "open it in excel or libreoffice and save it" in problem.hint.lower()
    assert "write the values" in problem.hint
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"`batch.xlsx: {problem.where}: error[sheet]: refills: {problem.message}` / `hint: {problem.hint}`" in readme
    assert [d.where for d in second.diagnostics] == ["sheet Today, row 3, column purpose"]
    assert "Zebulon" not in str(second.diagnostics[0]) and "for " not in second.diagnostics[0].message
    assert [d.where for d in third.diagnostics] == ["sheet Today, row 4, column refills"]
    assert fourth.ok and fourth.prescription.refills == 2


def test_a_header_of_formulas_xlsxwriter_wrote_is_a_sheet_error(tmp_path):
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "batch.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Today")
    for c, name in enumerate(HEADER.split(",")):
        ws.write_formula(0, c, f'="{name}"', None, name)  # its results given: still never computed
    ws.write_row(1, 0, [str(v) for v in _excel_row()])
    book.close()
    with pytest.raises(ContentError) as info:
        read_rows(path)
    (problem,) = info.value.diagnostics
    assert (problem.where, problem.message) == ("sheet Today, row 1",
                                                "the header row holds formulas whose results were never computed")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert problem.message.replace("the header row holds ", "… ") in readme


def test_a_workbook_that_does_not_ask_to_be_calculated_gives_its_saved_results(tmp_path):
    """The same formula, saved by a program that computed it (Excel, LibreOffice: no fullCalcOnLoad):
    its result is read; openpyxl's Workbook.calculation says fullCalcOnLoad for Excel's calcPr too, so
    the workbook's XML is read for it."""
    path = _workbook(tmp_path / "batch.xlsx", [HEADER.split(","), _excel_row(refills="=1+1")])
    _save_results(path, {"M2": ("n", "3")})
    (result,) = read_rows(path)
    assert result.ok and result.prescription.refills == 3
    import openpyxl

    assert openpyxl.load_workbook(path, read_only=True).calculation.fullCalcOnLoad  # (its misreading)


def test_an_error_value_in_a_sheet_without_formulas_is_an_error(tmp_path):
    path = _workbook(tmp_path / "batch.xlsx", [HEADER.split(","), _excel_row(form="#REF!")])
    (result,) = read_rows(path)
    assert [d.message for d in result.diagnostics] == ["the cell holds an error value (#REF!), not a text or number"]


def test_a_header_of_formulas_with_no_saved_results_is_a_sheet_error(tmp_path):
    path = _workbook(tmp_path / "batch.xlsx", [['="patient"'] * 3, _excel_row()])
    with pytest.raises(ContentError) as info:
        read_rows(path)
    (problem,) = info.value.diagnostics
    assert problem.where == "sheet Today, row 1" and "formulas with no saved result" in problem.message


def test_formulas_are_read_again_only_for_a_sheet_that_has_them(tmp_path, monkeypatch):
    opened = []
    real = sheet._Formulas._cells

    def counting(self):
        opened.append(1)
        return real(self)

    monkeypatch.setattr(sheet._Formulas, "_cells", counting)
    # an empty optional cell in a sheet without formulas: the XML is not read a second time
    plain = _workbook(tmp_path / "plain.xlsx", [HEADER.split(","), _excel_row(purpose=None)])
    assert [r.ok for r in read_rows(plain)] == [True] and opened == []
    with_formulas = _workbook(tmp_path / "f.xlsx", [HEADER.split(","), _excel_row(purpose=None, refills="=2")])
    assert [r.ok for r in read_rows(with_formulas)] == [False] and opened == [1]


def test_formulas_are_found_in_a_worksheet_written_with_a_namespace_prefix(tmp_path):
    # some writers name every element with a prefix (<x:c>, <x:f>): the same sheet, read the same
    import re
    import zipfile

    path = _workbook(tmp_path / "batch.xlsx", [HEADER.split(","), _excel_row(refills="=1+1"), _excel_row()])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1x:\2", xml).replace("<x:worksheet xmlns=", "<x:worksheet xmlns:x=")
    assert "<x:f>" in xml and "<f>" not in xml
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    first, second = read_rows(path)
    assert [(d.where, d.message) for d in first.diagnostics] == [
        ("sheet Today, row 2, column refills", "the cell holds a formula with no saved result")] and second.ok
