"""A small, fast, deterministic slice of tools/fuzz.py: hostile strings in fields and random
mutations of the sample and of tests/bad/; every outcome is "ok and builds", a ContentError
(the same from validate and build), or a layout error, never another exception.

The full fuzzer (``.venv/bin/python tools/fuzz.py --cases 2000``) runs outside the suite."""
from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("leaflet_fuzz", ROOT / "tools" / "fuzz.py")
assert _spec and _spec.loader
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

MINIMAL_FIELDS = """\
language: en
medicine:
  name: NAME
  class: Test class
revision:
  date: "2026-01-02"
  version: VERSION
key_facts:
  rows:
    - label: LABEL
      value: Test class
sections:
  - heading: HEADING
    blocks:
      - text: TEXT
      - table:
          rows:
            - [CELL, Two]
disclaimer: DISCLAIMER
"""
FIELDS = ["NAME", "VERSION", "LABEL", "HEADING", "TEXT", "CELL", "DISCLAIMER"]


def _quoted(text: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in text) + '"'


def _with(field: str, value: str) -> str:
    text = MINIMAL_FIELDS
    for f in FIELDS:
        text = text.replace(f, _quoted(value) if f == field else f"Plain {f.lower()}")
    return text


@pytest.mark.parametrize("value", [s for s in fuzz.HOSTILE if len(s) < 100 and "\ud800" not in s
                                   and "\udfff" not in s])
def test_hostile_string_in_every_one_line_and_paragraph_field(value):
    for field in FIELDS:
        kind, detail = fuzz.outcome(_with(field, value))
        assert kind in ("ok", "invalid", "layout"), f"{field}={value!r}: {kind}: {detail}"


def test_random_mutations():
    kinds = [fuzz.outcome(text)[0] for text in fuzz.cases(seed=5, count=25)]
    assert "crash" not in kinds and "build-only" not in kinds, kinds
    assert kinds.count("ok") >= 3  # the mutations do reach the build
