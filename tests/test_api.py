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


def test_a_missing_glyph_is_reported_with_every_other_problem(tmp_path):
    """A file whose model cannot be built (an unknown key, unpaired '**') still gets its glyphs
    checked: every problem in a file at once, in the order of the file."""
    bad = tmp_path / "en.yaml"
    bad.write_text(MINIMAL.replace("A paragraph.", "Keep \U0001F48A dry, **away from heat").replace(
        "medicine:\n", "medicine:\n  nmae: x\n"), encoding="utf-8")
    problems = leaflet.validate(bad)
    assert [p.code for p in problems] == ["unknown-key", "markup", "glyph"], problems
    glyph = problems[2]
    assert glyph.path == ("sections", 0, "blocks", 0, "text") and "U+1F48A" in glyph.message and glyph.line == 17
    assert [d.code for d in _load_error(bad)] == ["unknown-key", "markup", "glyph"]  # build says the same
    # the same file without the other problems gives the same glyph problem
    bad.write_text(MINIMAL.replace("A paragraph.", "Keep \U0001F48A dry"), encoding="utf-8")
    [alone] = leaflet.validate(bad)
    assert (alone.path, alone.message, alone.hint, alone.line) == (glyph.path, glyph.message, glyph.hint, 16)


def test_printed_values_of_a_leaflet_are_the_texts_it_prints():
    """The glyph check of a broken file looks at the same fields as that of a good one."""
    from leaflet.content import loader, validation
    from leaflet.text.printed import iter_texts

    source = loader.load(SAMPLE)
    printed = dict(iter_texts(leaflet.load(SAMPLE).leaflet))
    raw = dict(validation.printed_values(source.data))
    assert set(printed) <= set(raw)
    assert {p for p in raw if p[-1] in validation.NOT_PRINTED} == set()


def _load_error(path):
    try:
        leaflet.load(path)
    except leaflet.ContentError as exc:
        return exc.diagnostics
    raise AssertionError("no error")


def test_build_to_path_and_bytes_agree(tmp_path):
    doc = leaflet.parse(MINIMAL, "m.yaml")
    out = leaflet.build(doc, tmp_path / "deep" / "m.pdf")
    assert out.read_bytes() == leaflet.build_bytes(doc)
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir()] == ["m.pdf"]  # no temporary file left behind


def test_document_knows_its_output_name():
    assert leaflet.load(SAMPLE).output_name == "baclofen-en"
