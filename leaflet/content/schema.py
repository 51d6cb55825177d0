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

from ..text.uri import WEB_ADDRESS
from .model import BLOCK_KINDS, PART_KINDS, PRECAUTION_PART_KINDS, Leaflet

SCHEMA_ID = "https://leaflet.invalid/schema/leaflet.schema.json"
# Marks the schema's statement of a rule that leaflet's content rules (leaflet.content.rules)
# check and word themselves: the validator reports those, not the schema's version of them.
RULE = "leaflet content rule (reported by leaflet.content.rules)"


def _rule(schema: dict[str, Any]) -> dict[str, Any]:
    """Mark ``schema`` and every subschema in it as a content rule's (see RULE)."""
    for key, value in schema.items():
        if key in ("properties", "dependentSchemas"):  # name -> subschema
            for sub in value.values():
                _rule(sub)
        elif key in ("allOf", "anyOf", "oneOf"):
            for sub in value:
                _rule(sub)
        elif key in ("not", "if", "then", "else", "contains", "items"):
            _rule(value)
    schema["$comment"] = RULE
    return schema


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
    block["allOf"] = [_rule({"dependentSchemas": {"columns": {"anyOf": [
        {"required": ["bullets"]}, {"required": ["numbered"]}]}}})]
    keyed = ["intro", "action", "items", "closing"]
    has_action_part = {"properties": {"content": {"contains": {"required": ["action"]}}}, "required": ["content"]}
    defs["SideEffects"]["allOf"] = [_rule(rule) for rule in (
        # the parts are written with keys or as an ordered 'content' list, not both
        {"not": {"required": ["content"], "anyOf": [{"required": [k]} for k in keyed]}},
        # a serious callout says what to do now
        {"if": {"properties": {"severity": {"const": "serious"}}, "required": ["severity"]},
         "then": {"anyOf": [{"required": ["action"]}, has_action_part]}},
        # and something besides: the side effects, or a text
        {"anyOf": [{"required": [k]} for k in ("items", "intro", "closing", "content")]},
    )]
    defs["CalloutPart"]["allOf"] = [_rule({"oneOf": [{"required": [k]} for k in PART_KINDS]}),
                                    _rule({"dependentRequired": {"columns": ["items"]}})]
    defs["Precaution"]["allOf"] = [_rule(rule) for rule in (
        # text and/or items, or an ordered 'content' list, not both
        {"anyOf": [{"required": [k]} for k in ("text", "items", "content")]},
        {"not": {"required": ["content"], "anyOf": [{"required": ["text"]}, {"required": ["items"]}]}},
    )]
    defs["PrecautionPart"]["allOf"] = [_rule({"oneOf": [{"required": [k]} for k in PRECAUTION_PART_KINDS]}),
                                       _rule({"dependentRequired": {"columns": ["items"]}})]
    # a web address (for editors; leaflet.content.rules checks it, and words its errors)
    defs["Leaflet"]["properties"]["digital_url"]["allOf"] = [_rule({"pattern": WEB_ADDRESS.pattern})]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "leaflet: patient medicine leaflet content",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
