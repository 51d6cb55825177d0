"""Prescription files: one prescription in YAML or JSON (``leaflet build … --rx rx.yaml``).

A YAML file is read by :mod:`leaflet.content.loader` exactly as content files are (every value
the text written, no tags, anchors or duplicate keys, a line and column for each value). A JSON
file is decoded by the standard library's JSON decoder (so numbers, ``true`` and ``null`` are
what JSON says they are) and read by the same loader for where each field is. Both get the same
input safety as content files: only a regular file is read (never a device or pipe), at most
``max_input_size`` bytes, UTF-8 (a byte order mark allowed). The mapping is then checked by
:func:`leaflet.personal.model.from_record`: every problem at once, at ``file:line:col``, naming
the field and never its value.
"""
from __future__ import annotations

import json
import os
import re
from typing import Any

from ..content import loader
from ..errors import ContentError, Diagnostic
from .model import BY_NAME, Location, Locator, Prescription, RecordError, from_record, printed_texts, to_record

MAX_RX_SIZE = 64 * 1024
"""The largest prescription file read, in bytes (a prescription is a few hundred bytes)."""

_SIZE_HINT = ("a prescription file is a few hundred bytes: is this the right file? "
              "(leaflet --max-input-size, or max_input_size= in Python, raises the limit)")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _for_prescriptions(d: Diagnostic) -> Diagnostic:
    """The loader speaks of leaflet files; the same problems in a prescription file say so."""
    import msgspec

    message = d.message.replace("leaflet files", "prescription files").replace("leaflet file",
                                                                               "prescription file")
    hint = d.hint.replace("leaflet files", "prescription files").replace("leaflet file", "prescription file")
    if d.code == "input" and "larger than the limit" in message:
        hint = _SIZE_HINT
    elif d.code == "input" and "folder" in message:
        hint = "name a prescription file such as rx.yaml or rx.json"
    elif d.code == "input" and "regular file" in message:
        hint = "name a regular file (rx.yaml or rx.json)"
    elif d.code == "document" or "a leaflet" in hint:
        hint = ("a prescription file is a mapping of fields: 'patient: …', 'directions: …', 'dispensed: …' "
                "(leaflet schema --rx prints them all)")
    elif d.code == "yaml-feature" and "more than one" in message:
        hint = "keep one prescription per file; remove the '---' line"
    return msgspec.structs.replace(d, message=message, hint=hint)


def _refine(exc: ContentError) -> ContentError:
    return ContentError([_for_prescriptions(d) for d in exc.diagnostics])


def _locator(smap: loader.SourceMap | None, file: str, data: Any) -> Locator:
    def locate(field: str) -> Location:
        if smap is None:
            return Location(file=file)
        if not field:
            line, column = smap.locate(())
        elif field in BY_NAME and isinstance(data, dict) and field in data:
            line, column = smap.locate((field,))
        else:  # an unknown field (its key), or one that is absent (the start of the document)
            line, column = smap.locate((field,), key=True)
        return Location(file=file, line=line, column=column)
    return locate


def _is_json(text: str, file: str, format: str | None) -> bool:
    if format is not None:
        return format == "json"
    lowered = file.lower()
    if lowered.endswith(".json"):
        return True
    if lowered.endswith((".yaml", ".yml")):
        return False
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def _json_data(text: str, file: str) -> tuple[Any, list[Diagnostic]]:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:  # its message says what is wrong, never the text
        raise ContentError([Diagnostic(
            f"JSON syntax error: {exc.msg}", (), "check the quotes, commas and braces on this line or the one "
            "before (a JSON file is one object: {\"patient\": \"…\", …})", file, exc.lineno, exc.colno,
            "json-syntax")]) from None
    except RecursionError:
        raise ContentError([Diagnostic("the JSON is nested too deeply", (), "a prescription is one flat object",
                                       file, 1, 1, "document")]) from None
    problems = [Diagnostic(f"duplicate field '{key}'", (key,), "JSON readers would silently keep only the last one",
                           file, 0, 0, "yaml-feature") for key in dict.fromkeys(duplicates) if key in BY_NAME]
    return data, problems


def _xml_problem(text: str, file: str) -> Diagnostic:
    """XML given as a prescription: a FHIR resource in FHIR's XML format (its namespace), or other
    XML; neither is read, and the error says what to send instead."""
    head = text[:4096]
    if "http://hl7.org/fhir" in head:
        return Diagnostic(
            "this is FHIR in XML: leaflet reads a FHIR Bundle in FHIR's JSON format only", (),
            "send or save the Bundle as FHIR JSON (application/fhir+json): a FHIR server gives it with "
            "_format=json or 'Accept: application/fhir+json', and the HL7 FHIR validator converts a file "
            "(java -jar validator_cli.jar bundle.xml -convert -output bundle.json)", file, 1, 1, "fhir")
    return Diagnostic(
        "this is XML, which is not a prescription file", (),
        "a prescription file is YAML or JSON (leaflet schema --rx prints its fields), or a FHIR Bundle in JSON",
        file, 1, 1, "document")


_SHEET_ENDINGS = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")
_SHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # a zip (an Excel workbook), an old .xls


def _sheet_problem(text: str | bytes, file: str) -> Diagnostic | None:
    """A sheet of prescriptions (a CSV or Excel file, by its name; a workbook by its first bytes)
    given where one prescription is read: an error saying what reads it, never its data."""
    head = text[:4] if isinstance(text, bytes) else b""
    if not file.lower().endswith(_SHEET_ENDINGS) and not head.startswith(_SHEET_MAGIC):
        return None
    return Diagnostic(
        "this is a sheet of prescriptions (CSV or Excel), not a prescription file", (),
        "--rx takes one prescription (YAML or JSON, or a FHIR Bundle in JSON); a sheet is built with "
        "leaflet batch LEAFLET SHEET -o DIR/, which reports each row's problems by row and column", file,
        code="input")


def _as_yaml(text: str) -> str:
    """JSON text as the YAML loader reads it for where each field is: tabs (JSON allows them between
    values, YAML not) and surrogate-pair escapes (libyaml refuses them) evened out, character for
    character, so that every line and column stays the same."""
    return _SURROGATE_ESCAPE.sub(lambda m: "\\u0020" + " " * 6, text.replace("\t", " "))


def parse(text: str | bytes, file: str = "<input>", *, format: str | None = None,
          max_input_size: int = MAX_RX_SIZE, language: str | None = None) -> Prescription:
    """A prescription from YAML or JSON text (``format`` "yaml" or "json"; by default from the file
    name's ending, else JSON when the text starts with '{'). JSON with a ``resourceType`` is FHIR,
    read by :func:`leaflet.personal.fhir.from_bundle` (a Bundle; another resource is an error
    saying which it is; ``language``, the leaflet's language if not the patient's, names the
    countries of its addresses). Raises ContentError with every problem."""
    sheet = _sheet_problem(text, file)
    if sheet is not None:
        raise ContentError([sheet])
    if isinstance(text, bytes) or len(text) > max_input_size:
        if len(text) > max_input_size:
            raise ContentError([_for_prescriptions(Diagnostic(
                f"the input is larger than the limit of {loader.format_size(max_input_size)}", (), "", file,
                code="input"))])
        try:
            text = loader.decode(text, file)  # type: ignore[arg-type]
        except ContentError as exc:
            raise _refine(exc) from None
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        raise ContentError([_xml_problem(text, file)])
    if _is_json(text, file, format):
        data, problems = _json_data(text, file)
        # a FHIR R4 Bundle: its own reader (so too any other FHIR resource, which it says is not a Bundle:
        # resourceType is no field of a prescription file)
        if isinstance(data, dict) and "resourceType" in data:
            from .fhir import from_bundle

            return from_bundle(text, file, language=language)
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            raise ContentError([Diagnostic(
                f"the JSON is {kind}, not an object of fields", (), "a prescription file is one object: "
                "{\"patient\": \"…\", \"directions\": \"…\", …} (leaflet schema --rx)", file, 1, 1, "document")])
        # where each field is: the same loader as YAML files (JSON is YAML's flow style)
        shown = _as_yaml(text)
        try:
            smap: loader.SourceMap | None = loader.parse(shown, file, max_input_size=max_input_size).map
        except ContentError:
            smap = None
        if problems and smap is not None:
            problems = [smap.place(d, key=True) for d in problems]
    else:
        try:
            source = loader.parse(text, file, max_input_size=max_input_size)
        except ContentError as exc:
            raise _refine(exc) from None
        data, smap, problems = source.data, source.map, [_for_prescriptions(d) for d in source.problems]
    locate = _locator(smap, file, data)
    try:
        prescription = from_record(data, locate)
    except ContentError as exc:
        refused = {d.path for d in problems if d.path}
        found = [*problems, *(d for d in exc.diagnostics if d.path not in refused or d.code == "unknown-key")]
        found.sort(key=lambda d: (d.line == 0, d.line, d.column))
        texts = exc.texts if isinstance(exc, RecordError) else ()
        raise RecordError(found, [t for t in texts if (t[0],) not in refused]) from None
    if problems:
        refused = {d.path for d in problems if d.path}
        raise RecordError(problems, [t for t in printed_texts(to_record(prescription), locate) if (t[0],) not in refused])
    return prescription


def place(diagnostics: list[Diagnostic], text: str | bytes, file: str) -> list[Diagnostic]:
    """Diagnostics found later about the prescription read from ``text`` (the panel's: a text that
    does not fit, a character the fonts cannot print; they name ``file`` and the field but have no
    place) at their field's line and column in it, as the file's own problems are; in a FHIR Bundle,
    at the element the field came from (:func:`leaflet.personal.fhir.field_locations`)."""
    todo = [d for d in diagnostics if d.file == file and not d.line and len(d.path) == 1]
    if not todo:
        return diagnostics
    try:
        if isinstance(text, bytes):
            text = loader.decode(text, file)
        if _is_json(text, file, None):
            data, _ = _json_data(text, file)
            if isinstance(data, dict) and "resourceType" in data:
                return _place_in_bundle(diagnostics, todo, text, file)
            if not isinstance(data, dict):
                return diagnostics
            text = _as_yaml(text)
        source = loader.parse(text, file)
    except ContentError:
        return diagnostics
    if not isinstance(source.data, dict):
        return diagnostics
    locate = _locator(source.map, file, source.data)
    placed = []
    for d in diagnostics:
        if d in todo and isinstance(d.path[0], str) and d.path[0] in source.data:
            where = locate(d.path[0])
            d = d.located(file, where.line, where.column)
        placed.append(d)
    return placed


def _place_in_bundle(diagnostics: list[Diagnostic], todo: list[Diagnostic], text: str,
                     file: str) -> list[Diagnostic]:
    import msgspec

    from .fhir import field_locations

    try:
        found = field_locations(text, file)
    except ContentError:
        return diagnostics
    placed = []
    for d in diagnostics:
        where = found.get(d.path[0]) if d in todo and isinstance(d.path[0], str) else None
        if where is not None:
            d = msgspec.structs.replace(d, line=where.line, column=where.column, where=where.where)
        placed.append(d)
    return placed


def load(path: str | os.PathLike[str], *, max_input_size: int = MAX_RX_SIZE,
         language: str | None = None) -> Prescription:
    """Read a prescription file (``rx.yaml``, ``rx.json``): a regular file of at most
    ``max_input_size`` bytes, UTF-8 (``language``: as for :func:`parse`). Raises ContentError
    listing every problem."""
    sheet = _sheet_problem(b"", str(path)) if os.path.isfile(path) else None
    if sheet is not None:  # (named as one: before its size is checked, as a sheet is often larger)
        raise ContentError([sheet])
    try:
        raw = loader.read(path, max_input_size)
    except ContentError as exc:
        raise _refine(exc) from None
    return parse(raw, str(path), max_input_size=max_input_size, language=language)
