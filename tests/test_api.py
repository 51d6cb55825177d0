"""The small public Python API."""
from __future__ import annotations

import leaflet

from .conftest import MINIMAL, SAMPLE


def test_validate_returns_problems_instead_of_raising(tmp_path):
    assert leaflet.validate(SAMPLE) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("      - text: A paragraph.", "      - txt: A paragraph."), encoding="utf-8")
    [problem] = leaflet.validate(bad)
    assert (problem.line, problem.column, problem.path) == (16, 9, ("sections", 0, "blocks", 0, "txt"))
    assert problem.hint == "did you mean 'text'?"


def test_validate_includes_glyph_check(tmp_path):
    bad = tmp_path / "ja.yaml"
    bad.write_text(MINIMAL.replace("A paragraph.", "日本語"), encoding="utf-8")
    [problem] = leaflet.validate(bad)
    assert problem.path == ("sections", 0, "blocks", 0, "text") and "U+65E5" in problem.message


def test_build_to_path_and_bytes_agree(tmp_path):
    doc = leaflet.parse(MINIMAL, "m.yaml")
    out = leaflet.build(doc, tmp_path / "deep" / "m.pdf")
    assert out.read_bytes() == leaflet.build_bytes(doc)
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir()] == ["m.pdf"]  # no temporary file left behind


def test_document_knows_its_output_name():
    assert leaflet.load(SAMPLE).output_name == "baclofen-en"
