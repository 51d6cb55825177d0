"""The JSON Schema of the leaflet format, derived from :mod:`leaflet.model`.

``leaflet schema`` prints it; ``schema/leaflet.schema.json`` in the repository
is this output (a test keeps the two in step). Editors that understand JSON
Schema for YAML (e.g. VS Code's YAML extension) then autocomplete and check
leaflet files. The validator uses this same schema to report every problem at
once, so what the editor says and what ``leaflet validate`` says agree.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import msgspec

from .model import BLOCK_KINDS, Leaflet

SCHEMA_ID = "https://leaflet.invalid/schema/leaflet.schema.json"


@lru_cache(maxsize=1)
def json_schema() -> dict[str, Any]:
    schema = msgspec.json.schema(Leaflet)
    defs = schema["$defs"]
    # Rules a plain dataclass cannot state, written in JSON Schema terms.
    block = defs["Block"]
    block["oneOf"] = [{"required": [kind]} for kind in BLOCK_KINDS] + [
        {"required": ["note"], "maxProperties": 1}
    ]
    block["minProperties"] = 1
    defs["SideEffects"]["if"] = {"properties": {"severity": {"const": "serious"}}, "required": ["severity"]}
    defs["SideEffects"]["then"] = {"required": ["action"]}
    defs["Precaution"]["anyOf"] = [{"required": ["text"]}, {"required": ["items"]}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "leaflet: patient medicine leaflet content",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
