"""The JSON Schema of prescription files (``leaflet schema --rx``), from the same field table
(:data:`leaflet.personal.model.FIELDS`) that :func:`~leaflet.personal.model.from_record` checks.

``schema/prescription.schema.json`` in the repository is this output (a test keeps the two in
step). It states what an editor can check; :func:`from_record` checks the rest (a calendar date,
characters that may not print) and words every problem itself.
"""
from __future__ import annotations

import json
from typing import Any

from .model import DIGITS, FIELDS, MAX_REFILLS, MAX_TEXT, MAX_URL, REQUIRED

SCHEMA_ID = "https://leaflet.invalid/schema/prescription.schema.json"

_TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": r"\S"}
_KINDS: dict[str, dict[str, Any]] = {
    "text": {**_TEXT, "pattern": r"^[^\n\r]*\S[^\n\r]*$"},
    "lines": _TEXT,
    "date": {"type": "string", "format": "date", "pattern": r"^\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\s*$"},
    "count": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_REFILLS},
                        {"type": "string", "pattern": f"^\\s*[{DIGITS}]{{1,2}}\\s*$"}]},
    "quantity": {"anyOf": [{"type": "number", "exclusiveMinimum": 0},
                           {**_TEXT, "pattern": f"^\\s*[{DIGITS}]"}]},
    "language": {"type": "string", "pattern": r"^\s*[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}\s*$"},
    "url": {"type": "string", "format": "uri", "maxLength": MAX_URL, "pattern": r"^\s*https?://\S+\s*$"},
}


def json_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for field in FIELDS:
        properties[field.name] = {**_KINDS[field.kind], "description": field.description,
                                  "examples": [field.example]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "leaflet: a prescription, for the personal panel at the top of page 1 (USP <17> order)",
        "description": ("One dispensed prescription (leaflet build CONTENT.yaml --rx rx.yaml). Patient data: "
                        "leaflet never writes it into logs, error messages, PDF metadata or file names."),
        "type": "object",
        "properties": properties,
        "required": list(REQUIRED),
        "additionalProperties": False,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
