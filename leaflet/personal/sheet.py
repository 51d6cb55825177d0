"""Prescriptions from a sheet: CSV or Excel (.xlsx), one prescription a row.

This is the only module that imports openpyxl. :func:`read_rows` streams: it reads one row at
a time, so memory stays flat for a sheet of any length, and yields a :class:`RowResult` for each
non-empty row: a :class:`~leaflet.personal.model.Prescription`, or the row's problems (each with
the row number and the column's name, never the cell's text: that is patient data).

The rules, as the README says them:

- The first non-empty row is the header. Its cells are the prescription's field names
  (``patient``, ``directions``, ``rx_number`` …), matched without regard to case, spaces,
  hyphens and underscores (``Rx Number`` is ``rx_number``). A header no field has is an error
  (with a did-you-mean when it is close to one), so is a field given twice, and so is a required
  field with no column: each is one error for the sheet, raised by :func:`read_rows` before any
  row is read.
- A CSV file is UTF-8, with or without a byte order mark; any other encoding is an error for the
  sheet (with the line). Its delimiter is a comma, a semicolon or a tab: the one that splits the
  header line into the most field names (comma on a tie). Quoted cells may hold delimiters,
  quotes (doubled) and line breaks.
- An Excel workbook's first worksheet is read; date cells are dates (written YYYY-MM-DD), whole
  numbers are written without a decimal point, formulas give the value Excel last computed; a
  formula with no saved result (a workbook written by a program that does not compute formulas),
  or whose result is an error (``#N/A``), is an error naming the row and the column; so is every
  formula of a workbook that asks to be calculated when opened (``fullCalcOnLoad``: XlsxWriter,
  openpyxl), whose saved results are placeholders (XlsxWriter saves 0) unless its writer was told them.
- Row numbers are the sheet's, as a spreadsheet program shows them: the first row is 1 (in a CSV
  file a quoted cell that holds line breaks is one row, however many lines it takes).
- An empty cell is an absent field; a row whose cells are all empty is skipped.
"""
from __future__ import annotations

import codecs
import csv
import os
import re
import stat
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec

from ..errors import ContentError, Diagnostic, file_kind
from . import model

_FIELDS: tuple[str, ...] = tuple(f.name for f in model.FIELDS)
_DELIMITERS = (",", ";", "\t")
_CHUNK = 1 << 16
_MAX_CELL = 1 << 20  # characters in one CSV cell (the csv module's default limit is 128 KiB)
# a header text quoted in an error is shortened to this many characters
_MAX_HEADER_SHOWN = 40


class RowResult(msgspec.Struct, frozen=True):
    """One row of a sheet: its number (as a spreadsheet program shows it) and either the
    prescription it holds or the problems that stop it (never both)."""

    row: int
    prescription: model.Prescription | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    # a row with problems: its texts that passed their own checks (field, text, where), for the check
    # that needs a leaflet's fonts (model.RecordError)
    texts: tuple[tuple[str, str, model.Location], ...] = ()

    @property
    def ok(self) -> bool:
        return self.prescription is not None


def normalise(header: str) -> str:
    """``' Rx Number '`` -> ``'rx_number'``: what a header is matched by."""
    return re.sub(r"[\s_\-]+", "_", header.strip().casefold()).strip("_")


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA' (how a spreadsheet names its columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sheet_error(place: model.Location, message: str, hint: str = "", code: str = "sheet") -> ContentError:
    return ContentError([place.diagnostic(message, None, hint, code=code)])


def _check_file(path: str | os.PathLike[str]) -> str:
    name = str(path)
    here = model.Location(file=name)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise _sheet_error(here, "file not found", "check the path", "input") from None
    except ValueError:
        raise _sheet_error(here, "the file name holds a NUL character", "check the path", "input") from None
    except OSError as exc:
        raise _sheet_error(here, f"cannot read the file: {exc.strerror}", "", "input") from None
    if not stat.S_ISREG(info.st_mode):
        raise _sheet_error(here, f"this is {file_kind(path)}, not a sheet", "name a .csv or .xlsx file", "input")
    return name


def _shown(header: str) -> str:
    text = " ".join(header.split())
    text = text if text.isprintable() else text.encode("unicode_escape").decode()
    return text if len(text) <= _MAX_HEADER_SHOWN else text[:_MAX_HEADER_SHOWN - 1] + "…"


class _Sheet(msgspec.Struct, frozen=True):
    """Where the rows come from: the file, and the worksheet's name in a workbook."""

    file: str
    name: str = ""

    def at(self, row: int = 0, column: str = "") -> model.Location:
        return model.Location(file=self.file, sheet=self.name, row=row, column_name=column)


def _columns(cells: Sequence[str], sheet: _Sheet, row: int) -> list[str | None]:
    """The header's cells -> the field each column holds (None: a column with no header, which
    must stay empty). Every problem of the header is in one ContentError."""
    problems: list[Diagnostic] = []
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    suggested: set[str] = set()  # fields a misspelt header was taken for: not reported missing as well
    known = {normalise(f): f for f in _FIELDS}
    if not any(normalise(c) in known for c in cells):
        # none of the first row's cells is a field name: it is not a header (perhaps a first row of
        # data, whose text is patient data: so none of it is quoted)
        raise _sheet_error(sheet.at(row), "the first row is not a header: none of its cells is a field name", (
            "the first row names the columns: " + ", ".join(_FIELDS[:4]) + " … (see the README, "
            "'Prescriptions from a sheet: CSV and Excel')"), "sheet")
    for index, cell in enumerate(cells):
        letter = column_letter(index)
        key = normalise(cell)
        if not key:
            fields.append(None)
            continue
        field = known.get(key)
        if field is None:
            # a header is the format's business, not patient data (this row names fields): it may be quoted
            hint = model.unknown_field_hint(key)
            meant = re.fullmatch(r"did you mean '(\w+)'\?", hint)
            if meant:
                suggested.add(meant.group(1))
            problems.append(sheet.at(row, letter).diagnostic(
                f"unknown column '{_shown(cell)}'", None, hint, code="unknown-key"))
            fields.append(None)
            continue
        if field in seen:
            problems.append(sheet.at(row, letter).diagnostic(
                f"the column {field} is there twice (also column {seen[field]})", None,
                "keep one column for each field", code="sheet"))
        seen.setdefault(field, letter)
        fields.append(field)
    missing = [f for f in model.REQUIRED if f not in seen and f not in suggested]
    if missing:
        problems.append(sheet.at(row).diagnostic(
            (f"the sheet has no column {missing[0]}" if len(missing) == 1 else
             "the sheet has no columns " + ", ".join(missing)) + " (required)", None,
            "every prescription needs " + ("it" if len(missing) == 1 else "them") + ": add the column" +
            ("s" if len(missing) > 1 else "") + " to the header row", code="missing-field"))
    if problems:
        raise ContentError(problems)
    return fields


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _record(row: int, values: Sequence[Any], fields: Sequence[str | None], sheet: _Sheet,
            formulas: dict[int, str] | None = None) -> RowResult:
    """A row's cells -> its prescription (or its problems), through the one validator.
    ``formulas``: the cells (by index) of an Excel row whose formula has no saved result ("") or
    gave an error ("#N/A" ...): each is a problem of its own, never a field read as absent."""
    mapping: dict[str, Any] = {}
    extra = []
    formulas = formulas or {}
    for index, value in enumerate(values):
        if _blank(value) or index in formulas:
            continue
        field = fields[index] if index < len(fields) else None
        if field is None:
            extra.append(index)
            continue
        # a line break inside a cell is one line break, however the file ends its lines (CRLF, CR)
        mapping[field] = value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value
    if extra:
        letters = ", ".join(column_letter(i) for i in extra)
        return RowResult(row, None, (sheet.at(row, column_letter(extra[0])).diagnostic(
            f"a cell in a column without a header (column {letters})", None,
            "give the column a header, or empty the cell", code="sheet"),))

    def locate(field: str) -> model.Location:
        return sheet.at(row, field if field in model.BY_NAME else "")

    found = [_formula_problem(sheet, row, index, fields[index] if index < len(fields) else None, kind)
             for index, kind in sorted(formulas.items())]
    unread = {d.path[0] for d in found if d.path}
    try:
        prescription = model.from_record(mapping, locate)
    except ContentError as exc:
        # a field whose formula has no result is that problem, not also a missing field
        found += [d for d in exc.diagnostics if not (d.code == "missing-field" and d.path and d.path[0] in unread)]
        return RowResult(row, None, tuple(found), exc.texts if isinstance(exc, model.RecordError) else ())
    if found:
        return RowResult(row, None, tuple(found), tuple(model.printed_texts(model.to_record(prescription), locate)))
    return RowResult(row, prescription)


def _formula_problem(sheet: _Sheet, row: int, index: int, field: str | None, kind: str) -> Diagnostic:
    """An Excel cell that gives no value to read (a formula with no saved result, an error): named
    by its row and column, never by its formula or value (either may hold patient data); ``kind``
    is "" (no saved result) or the Excel error it gave (``#N/A``, ``#REF!`` ...: Excel's own words,
    not the cell's data)."""
    place = sheet.at(row, field or column_letter(index))
    if kind == _NOT_COMPUTED:
        return place.diagnostic("the cell holds a formula whose saved result was never computed", field, (
            "the workbook asks to be calculated when it is opened: it was written by a program that does not "
            "compute formulas (XlsxWriter saves 0 as every formula's result), so the value in the file is not "
            "the formula's. Open it in Excel or LibreOffice and save it (that computes and stores each result), "
            "or write the values instead of formulas"), code="sheet")
    if kind:
        return place.diagnostic(f"the cell holds an error value ({kind}), not a text or number", field, (
            "an error a formula gave, or typed in: correct the formula or the cell in Excel or LibreOffice and "
            "save the workbook again"), code="sheet")
    return place.diagnostic("the cell holds a formula with no saved result", field, (
        "the workbook was written by a program that does not compute formulas: open it in Excel or "
        "LibreOffice and save it (that stores each formula's result), or paste the cells as values "
        "(Paste Special > Values)"), code="sheet")


# --- CSV ---------------------------------------------------------------------------------------------


def _check_utf8(path: str, sheet: _Sheet) -> None:
    """The whole file is UTF-8 (read in pieces: memory stays flat), or one error naming the line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    tail = b""  # the bytes of the line the last piece ended in
    with open(path, "rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            raise _sheet_error(model.Location(file=sheet.file, line=1, column=1), "the file is UTF-16, not UTF-8", (
                "save it as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8 (Comma delimited))"), "input")
        fh.seek(0)
        while True:
            piece = fh.read(_CHUNK)
            try:
                decoder.decode(piece, final=not piece)
            except UnicodeDecodeError as exc:
                # (an error at the very end of the file is reported by the final call, with no piece)
                at = min(exc.start, len(piece))
                line += piece.count(b"\n", 0, at)
                start = piece.rfind(b"\n", 0, at) + 1
                before = (tail if not start else b"") + piece[start:at]
                column = len(before.decode("utf-8", errors="replace")) + 1
                raise _sheet_error(model.Location(file=sheet.file, line=line, column=column),
                                   "the file is not valid UTF-8", (
                    "it was probably saved in a Windows or Mac code page: save it as 'CSV UTF-8' "
                    "(Excel: File > Save As > CSV UTF-8; LibreOffice: character set Unicode (UTF-8))"),
                    "input") from None
            if not piece:
                return
            line += piece.count(b"\n")
            newline = piece.rfind(b"\n")
            tail = piece[newline + 1:] if newline >= 0 else (tail + piece)[-_CHUNK:]  # (bounded: memory stays flat)


def _delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most field names (comma on a tie)."""
    known = {normalise(f) for f in _FIELDS}
    best, score = ",", 0
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        found = sum(1 for c in cells if normalise(c) in known)
        if found > score:
            best, score = delimiter, found
    return best


def _csv_rows(path: str) -> Iterator[RowResult]:
    sheet = _Sheet(path)
    _check_utf8(path, sheet)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        while first and not first.strip():
            first = fh.readline()
        fh.seek(0)  # (utf-8-sig skips the byte order mark again)
        reader = csv.reader(fh, delimiter=_delimiter(first), strict=True)
        fields: list[str | None] | None = None
        row = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error:
                # csv's message may quote the text it stopped at (patient data): say what it means instead
                raise _sheet_error(model.Location(file=path, row=row + 1),
                                   "the CSV cannot be read here: a quoted cell that does not close, a stray quote "
                                   "after one, or a cell longer than 128 KB", (
                    "a cell in quotes ends with a quote; a quote inside it is written twice (\"\"); "
                    "save the sheet again from the spreadsheet program"), "sheet") from None
            row += 1
            if not any(c.strip() for c in cells):
                continue
            if fields is None:
                fields = _columns(cells, sheet, row)
                continue
            yield _record(row, cells, fields, sheet)
        if fields is None:
            raise _sheet_error(model.Location(file=path), "the sheet is empty",
                               "the first row names the columns: patient, directions …", "sheet")


# --- Excel -------------------------------------------------------------------------------------------


def _xlsx_rows(path: str) -> Iterator[RowResult]:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    here = model.Location(file=path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _sheet_error(here, "the workbook cannot be read (damaged, or not an Excel workbook)", (
            "save it from Excel or LibreOffice as an Excel workbook (.xlsx), or as CSV UTF-8"), "input") from None
    try:
        if not book.worksheets:
            raise _sheet_error(here, "the workbook has no worksheet", "put the prescriptions on its first sheet",
                               "sheet")
        ws = book.worksheets[0]
        sheet = _Sheet(path, ws.title)
        formulas = _Formulas(book, ws)
        fields: list[str | None] | None = None
        # cell values as Excel holds them: text, numbers (int, float), dates (datetime): from_record
        # takes them as they are (a date cell is a date, not a serial number); a formula's is the
        # result Excel saved with it (data_only), and a formula without one is a problem of its own
        try:
            for row, cells in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                unread = formulas.unread(row, cells)
                if all(_blank(c) for c in cells) and not unread:
                    continue
                if fields is None:
                    if unread:
                        kinds = set(unread.values())
                        raise _sheet_error(sheet.at(row), (
                            "the header row holds formulas with no saved result" if "" in kinds else
                            "the header row holds formulas whose results were never computed"
                            if _NOT_COMPUTED in kinds else "the header row holds formulas that give errors"), (
                            "write the column names as text, or open the workbook in Excel or LibreOffice and "
                            "save it"), "sheet")
                    fields = _columns(["" if c is None else str(c) for c in cells], sheet, row)
                    continue
                yield _record(row, cells, fields, sheet, unread)
        finally:
            formulas.close()
        if fields is None:
            raise _sheet_error(sheet.at(), "the worksheet is empty",
                               "the first row names the columns: patient, directions …", "sheet")
    finally:
        book.close()


# the error values a formula's saved result may be (Excel's, LibreOffice's): never a prescription's text
_EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                           "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
# the kind of a formula cell whose saved result is a placeholder: in a workbook that asks to be calculated
# when opened (:func:`_calculated_on_load`)
_NOT_COMPUTED = "not computed"
# a formula (<f>, <x:f> with a namespace prefix) or an error value (<c ... t="e">) in a worksheet's XML:
# looked for as plain bytes (a regular expression takes ten times as long on a large sheet)
_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/>", b":f>", b":f ", b":f/>", b't="e"', b"t='e'")


def _has_formulas(archive: Any, part: Any) -> bool:
    """Whether the worksheet's XML (``part`` of the workbook's zip ``archive``) holds any formula (a
    ``<f>`` element) or error value, read in pieces: memory stays flat. False when openpyxl's reader does not say
    where the worksheet is (then no formula is looked for: their saved results are read as before)."""
    if archive is None or not isinstance(part, str):
        return False
    try:
        with archive.open(part) as fh:
            tail = b""
            while True:
                piece = fh.read(_CHUNK)
                if not piece:
                    return False
                window = tail + piece
                if any(mark in window for mark in _FORMULA_MARKS):
                    return True
                tail = piece[-8:]
    except (KeyError, OSError, ValueError):
        return False


def _calculated_on_load(archive: Any) -> bool:
    """Whether the workbook asks the program that opens it to calculate every formula
    (``<calcPr fullCalcOnLoad="1">``, ECMA-376 Part 1, 18.2.2; a program that calculates them clears
    it when it saves). Programs that write workbooks without computing their formulas set it
    (XlsxWriter, openpyxl, exceljs ...): the results they save with the formulas are placeholders
    (XlsxWriter's is 0, or a value its caller gave). Read from the workbook's XML itself: openpyxl's
    ``Workbook.calculation`` says ``fullCalcOnLoad`` for any ``<calcPr>`` that does not say otherwise,
    as Excel's own (``<calcPr calcId="191029"/>``) does not. False when it cannot be read."""
    from xml.etree.ElementTree import ParseError, iterparse

    if archive is None:
        return False
    part = "xl/workbook.xml"
    try:
        with archive.open("_rels/.rels") as fh:  # the package's main part (xl/workbook.xml as a rule)
            for _event, element in iterparse(fh, events=("end",)):
                if element.tag.rsplit("}", 1)[-1] == "Relationship" and \
                        (element.get("Type") or "").endswith("/officeDocument"):
                    part = (element.get("Target") or part).lstrip("/")
                    break
        with archive.open(part) as fh:
            for _event, element in iterparse(fh, events=("end",)):
                if element.tag.rsplit("}", 1)[-1] == "calcPr":
                    return (element.get("fullCalcOnLoad") or "").strip().lower() in ("1", "true")
    except (KeyError, OSError, ValueError, ParseError):
        pass
    return False


class _Formulas:
    """The worksheet's formula cells, read only when a row needs them: when the sheet has formulas
    (or error values) and a row has a cell that reads as empty (openpyxl's ``data_only`` gives None for a formula
    with no saved result) or as an Excel error value. Then the worksheet's XML is read a second
    time, in step with the values, one row at a time, for each formula cell's saved result: none
    (no ``<v>``, or an empty one that is not a text), a text (``t="str"``: an empty text is a
    formula that gives nothing, read as an empty cell), or an error (``t="e"``, a formula's or typed in).
    In a workbook that asks to be calculated when opened (:func:`_calculated_on_load`) every row is
    read so, and every formula's saved result is a problem (``_NOT_COMPUTED``), whatever it reads as."""

    def __init__(self, book: Any, ws: Any) -> None:
        self._archive, self._part = getattr(book, "_archive", None), getattr(ws, "_worksheet_path", None)
        self.present = _has_formulas(self._archive, self._part)
        self.placeholders = self.present and _calculated_on_load(self._archive)
        self._source: Any = None
        self._rows: Iterator[tuple[int, dict[int, str]]] | None = None
        self._next: tuple[int, dict[int, str]] = (0, {})

    def _cells(self) -> Iterator[tuple[int, dict[int, str]]]:
        """(row number, {column index: "" for no saved result, or the error value}) for each row
        with a formula that gives no value."""
        from xml.etree.ElementTree import iterparse

        assert self._archive is not None and isinstance(self._part, str)  # (self.present says so)
        self._source = self._archive.open(self._part)
        number = 0
        for _event, element in iterparse(self._source, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag != "row":
                continue
            number = int(element.get("r") or number + 1)
            found: dict[int, str] = {}
            index = -1
            for cell in element:
                if cell.tag.rsplit("}", 1)[-1] != "c":
                    continue
                ref = _CELL_REF.match(cell.get("r") or "")
                index = _column_index(ref.group(1)) if ref else index + 1
                children = {child.tag.rsplit("}", 1)[-1]: child for child in cell}
                kind = cell.get("t") or "n"
                saved = children.get("v")
                text = None if saved is None else saved.text or ""
                formula = "f" in children
                if kind == "e" and not (formula and self.placeholders):  # an error value, a formula's or typed in (#N/A)
                    found[index] = (text or "").strip() or "#VALUE!"
                elif formula and (text is None or (not text and kind not in ("str", "s", "inlineStr"))):
                    found[index] = ""
                elif formula and self.placeholders:  # a saved result that no calculation gave
                    found[index] = _NOT_COMPUTED
            element.clear()
            if found:
                yield number, found

    def unread(self, row: int, cells: Sequence[Any]) -> dict[int, str]:
        """The cells of ``row`` (by index) whose formula gives no value: "" (no saved result) or
        the error value it gave."""
        if not self.present:
            return {}
        suspects = [i for i, c in enumerate(cells) if self.placeholders or c is None or
                    (isinstance(c, str) and c in _EXCEL_ERRORS)]
        if not suspects:
            return {}
        import zipfile
        from xml.etree.ElementTree import ParseError

        try:
            if self._rows is None:
                self._rows = self._cells()
            while self._next[0] < row:
                self._next = next(self._rows, (1 << 62, {}))
        except (ParseError, OSError, KeyError, ValueError, zipfile.BadZipFile):
            # (the values were read: a worksheet whose XML cannot be read again is read as before)
            self.present = False
            return {}
        if self._next[0] != row:
            return {}
        # (an error value is only ever one of Excel's: a crafted file's other text is never shown)
        return {i: kind if not kind or kind in _EXCEL_ERRORS or kind == _NOT_COMPUTED else "#VALUE!"
                for i, kind in self._next[1].items() if i in suspects}

    def close(self) -> None:
        if self._source is not None:
            self._source.close()


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d+$")


def _column_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26 (the inverse of :func:`column_letter`)."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and other OLE files)


def sheet_kind(path: str | os.PathLike[str]) -> str:
    """'xlsx' or 'csv', by the file's first bytes (a .xlsx is a zip); an old .xls, an OpenDocument
    sheet and other binary files are an error."""
    name = _check_file(path)
    here = model.Location(file=name)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_XLSX_MAGIC):
        if name.lower().endswith(".ods"):
            raise _sheet_error(here, "OpenDocument sheets (.ods) are not read", (
                "save it as an Excel workbook (.xlsx) or as CSV UTF-8"), "input")
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise _sheet_error(here, "this is an old Excel workbook (.xls), which is not read", (
            "save it as an Excel workbook (.xlsx) or as CSV UTF-8"), "input")
    if b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _sheet_error(here, "this is not a sheet (binary data)", "name a .csv or .xlsx file", "input")
    return "csv"


def read_rows(path: str | os.PathLike[str]) -> Iterator[RowResult]:
    """Every non-empty row of a CSV or Excel sheet after the header, in order, as a
    :class:`RowResult` (a prescription, or the row's problems).

    The file as a whole and its header are checked before this returns: a :class:`ContentError`
    for the sheet (not found, not UTF-8, not a sheet, an unknown, doubled or missing column). A CSV
    file whose quotes do not close is a ContentError when the reader reaches it. Rows are read one
    at a time: memory stays flat however long the sheet is."""
    kind = sheet_kind(path)
    name = str(path)
    rows = _xlsx_rows(name) if kind == "xlsx" else _csv_rows(name)
    # read up to the first row now, so that the sheet's own problems come before any row
    first = next(rows, None)

    def chained() -> Iterator[RowResult]:
        if first is not None:
            yield first
            yield from rows

    return chained()
