"""The published JSON Schema is generated from the model and agrees with the validator."""
from __future__ import annotations

import json

import jsonschema
import pytest

import leaflet
from leaflet.content.loader import parse
from leaflet.content.schema import json_schema, schema_text

from .conftest import MINIMAL, ROOT, SAMPLE

PUBLISHED = ROOT / "schema" / "leaflet.schema.json"


def test_published_schema_is_up_to_date():
    assert PUBLISHED.read_text(encoding="utf-8") == schema_text(), (
        "schema/leaflet.schema.json is stale: run  leaflet schema -o schema/leaflet.schema.json")


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(PUBLISHED.read_text(encoding="utf-8")))


def test_sample_satisfies_schema():
    data = parse(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE)).data
    assert list(jsonschema.Draft202012Validator(json_schema()).iter_errors(data)) == []


@pytest.mark.parametrize("change", [
    ("      - text: A paragraph.", "      - text: A paragraph.\n        bullets: [two kinds]"),
    ("      - text: A paragraph.", "      - side_effects: {severity: serious, title: T, items: [x]}"),
    ("      - text: A paragraph.", "      - precaution: {title: T}"),
    ("      - text: A paragraph.", "      - txt: A paragraph."),
])
def test_schema_and_validator_agree_on_rules(change):
    src = MINIMAL.replace(*change)
    data = parse(src, "t.yaml").data
    assert list(jsonschema.Draft202012Validator(json_schema()).iter_errors(data)), "schema accepts it"
    with pytest.raises(leaflet.ContentError):
        leaflet.parse(src, "t.yaml")


def test_schema_documents_the_fields():
    defs = json_schema()["$defs"]
    assert {"Leaflet", "Block", "SideEffects", "Precaution", "QA", "KeyFacts", "Section"} <= set(defs)
    assert "class" in defs["Medicine"]["properties"]
