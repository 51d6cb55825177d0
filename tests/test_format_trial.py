"""Defects and gaps a new-user trial on real leaflets found in the format (fictional wording).

Each case is a small fictional leaflet ("Testamol"); printed results are read back with poppler.
"""
from __future__ import annotations

import pytest

from .test_format import HEAD, build, problems_of, text_of

NUMBERED = HEAD + "options:\n  number_sections: true\n"


# an invalid section id says what an id is ---------------------------------------------------

@pytest.mark.parametrize("sid, suggestion", [
    ("mal id", "mal-id"), ("-x", "x"), ("a/b", "a-b"), ("ñandú", "nandu"), ("", None)])
def test_an_invalid_section_id_states_the_rule(sid, suggestion):
    (d,) = problems_of(f"""\
        sections:
          - id: "{sid}"
            heading: Four
            blocks:
              - text: hi
        """)
    assert d.code == "value" and d.path == ("sections", 0, "id") and (d.line, d.column) == (7, 9)
    assert "ASCII letters" in d.message and "starts with a letter or a digit" in d.message
    assert (f"'{sid}' is not a section id" if sid else "the id is empty") in d.message
    if suggestion:
        assert d.hint == f"write it as '{suggestion}' (and refer to it as [[{suggestion}]])"


# a heading that carries its number, with numbered sections ---------------------------------

@pytest.mark.parametrize("heading, number", [
    ("1. What Testamol is", "1."), ('"2) What Testamol is"', "2)"), ('"**3.** What Testamol is"', "3."),
    ('"4.1: Doses"', "4.1:")])
def test_a_heading_with_its_own_number_is_an_error_when_sections_are_numbered(heading, number):
    (d,) = problems_of(f"""\
        sections:
          - heading: {heading}
            blocks: [{{text: hi}}]
        """, NUMBERED)
    assert d.code == "value" and d.path == ("sections", 0, "heading") and d.line == 9
    assert f"starts with its own number '{number}'" in d.message and "it would print '1. " in d.message
    assert "remove" in d.hint and "number_sections: false" in d.hint


@pytest.mark.parametrize("heading", ["1.5 mg tablets and what they hold", "24-hour dosing", "2 ways to take it"])
def test_a_heading_that_starts_with_a_number_that_is_not_its_own_is_fine(tmp_path, has_poppler, heading):
    _, pdf = build(tmp_path, f"""\
        sections:
          - heading: {heading}
            blocks: [{{text: hi}}]
        """, NUMBERED)
    assert f"1. {heading}" in text_of(pdf)


def test_without_numbering_a_heading_keeps_its_own_number(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: 1. What Testamol is
            blocks: [{text: hi}]
        """)
    text = text_of(pdf)
    assert "1. What Testamol is" in text and "1. 1." not in text


# columns on a list item: one clear error ---------------------------------------------------

def test_columns_on_a_nested_item_is_one_error_that_says_where_columns_go():
    (d,) = problems_of("""\
        sections:
          - heading: One
            blocks:
              - bullets:
                  - text: "if you have an infection such as:"
                    columns: 2
                    items: [fever, cough, chills]
        """)
    assert d.code == "unknown-key" and d.path == ("sections", 0, "blocks", 0, "bullets", 0, "columns")
    assert (d.line, d.column) == (11, 13)
    assert "beside 'bullets' or 'numbered' in a block" in d.hint and "list item" in d.hint


def test_columns_on_a_block_that_is_not_a_list_is_still_a_block_error():
    (d,) = problems_of("""\
        sections:
          - heading: One
            blocks:
              - text: Not a list.
                columns: 2
        """)
    assert d.code == "block" and d.path == ("sections", 0, "blocks", 0, "columns")
    (d,) = problems_of("""\
        intro:
          - text: Not a list.
            columns: 2
        sections:
          - heading: One
            blocks: [{text: hi}]
        """)
    assert d.code == "block" and d.path == ("intro", 0, "columns")


# the PDF's Author is the leaflet's, or none -------------------------------------------------

def _pdfinfo(pdf) -> dict[str, str]:
    import subprocess

    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def test_without_an_author_the_pdf_has_no_author(tmp_path, has_poppler):
    body = """\
        sections:
          - heading: What Testamol is
            blocks: [{text: hi}]
        """
    doc, pdf = build(tmp_path, body)
    info = _pdfinfo(pdf)
    assert "Author" not in info and info["Title"].strip() == "Testamol – Patient information leaflet"
    assert info["Creator"].strip() == "leaflet" and "Subject" in info and "Keywords" in info
    assert info["CreationDate"].strip() == "Fri Jan  2 00:00:00 2026 UTC"
    assert b"/Author" not in pdf.read_bytes() and b"anonymous" not in pdf.read_bytes()
    import leaflet

    assert leaflet.build_bytes(doc) == pdf.read_bytes()  # the same bytes every time
    _, pdf = build(tmp_path, body, HEAD + "author: Example Clinic\n", name="a")
    assert _pdfinfo(pdf)["Author"].strip() == "Example Clinic"
