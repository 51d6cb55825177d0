"""Defects and gaps a new-user trial on real leaflets found in the format (fictional wording).

Each case is a small fictional leaflet ("Testamol"); printed results are read back with poppler.
"""
from __future__ import annotations

import textwrap

import pytest

from .test_format import HEAD, build, find, problems_of, text_of, words

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


# a contents entry in the approved wording ---------------------------------------------------

CONTENTS = HEAD + "options:\n  number_sections: true\n  contents: true\n"
ENTRIES = """\
    sections:
      - id: what
        heading: What Testamol (fictamol) is and what it is used for
        contents_entry: What Testamol is and what it is used for
        blocks: [{text: "A fictional medicine; see [[what]]."}]
      - heading: How to take Testamol
        blocks: [{text: One tablet.}]
    """


def test_a_contents_entry_prints_in_the_contents_list_and_the_heading_stays(tmp_path, has_poppler):
    from pypdf import PdfReader

    _, pdf = build(tmp_path, ENTRIES, CONTENTS)
    text = text_of(pdf)
    assert ("What is in this leaflet 1. What Testamol is and what it is used for 2. How to take Testamol "
            "1. What Testamol (fictamol) is and what it is used for A fictional medicine; see section 1.") in text
    assert text.count("fictamol") == 1
    outline = [item.title for item in PdfReader(str(pdf)).outline if not isinstance(item, list)]
    assert "1. What Testamol (fictamol) is and what it is used for" in outline
    from .test_format import _links, _points_at

    links = _links(pdf)  # the entry links to its section (then the contents' second entry, the reference)
    assert _points_at(pdf, links[0], "1.") and _points_at(pdf, links[1], "2.")
    _, pdf = build(tmp_path, ENTRIES, HEAD + "options:\n  contents: true\n", name="plain")
    assert "What is in this leaflet What Testamol is and what it is used for How to take" in text_of(pdf)


def test_a_contents_entry_without_a_contents_list_is_an_error():
    (d,) = problems_of(ENTRIES, NUMBERED)
    assert d.code == "value" and d.path == ("sections", 0, "contents_entry") and d.line == 11
    assert "prints only in the contents list" in d.message and "contents: true" in d.hint


def test_a_contents_entry_with_its_own_number_is_an_error_when_sections_are_numbered():
    (d,) = problems_of(ENTRIES.replace("contents_entry: What", "contents_entry: 1. What"), CONTENTS)
    assert d.code == "value" and d.path == ("sections", 0, "contents_entry")
    assert "the contents entry starts with its own number '1.'" in d.message


# a precaution with ordered parts ------------------------------------------------------------

BOX = """\
    sections:
      - heading: Most important information
        blocks:
          - precaution:
              title: What is the most important thing to know about Testamol?
              content:
                - text: Testamol is a fictional medicine.
                - subheading: Made-up infections
                - text: "Tell your doctor if you:"
                - items: [have an infection, get many infections, feel feverish]
                  columns: 2
                - subheading: Invented blood problems
                - items:
                    - bruising
                    - text: bleeding
                      items: [gums, nose]
                - text: Call your doctor right away.
                  note: an editorial note, never printed
          - text: After the box.
    """


def test_a_precaution_prints_its_parts_in_the_order_written_inside_its_box(tmp_path, has_poppler):
    _, pdf = build(tmp_path, BOX)
    text = text_of(pdf)
    assert ("What is the most important thing to know about Testamol? Testamol is a fictional medicine. "
            "Made-up infections Tell your doctor if you:") in text
    assert "Invented blood problems • bruising • bleeding – gums – nose Call your doctor right away. After the box." \
        in text
    assert "editorial" not in text
    ws = words(tmp_path / "t.pdf")
    tops = [find(ws, w).y0 for w in ("fictional", "Made-up", "Tell", "have", "Invented", "bruising", "gums", "Call",
                                     "After")]
    assert tops == sorted(tops), tops
    assert abs(find(ws, "feel").y0 - find(ws, "have").y0) < 1 and find(ws, "feel").x0 > find(ws, "have").x1  # columns
    title, last = find(ws, "What", after=find(ws, "Most").y1), find(ws, "Call")
    for w in ("Made-up", "Invented", "bruising"):  # inside the box, at the title's left edge (or indented)
        assert find(ws, w).x0 >= title.x0 - 0.5
    assert last.y0 > title.y0


def test_the_keyed_precaution_still_prints_text_then_items(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: S
            blocks:
              - precaution: {title: Kidney care, items: [one, two], text: Drink water.}
        """)
    assert "Kidney care Drink water. • one • two" in text_of(pdf)


@pytest.mark.parametrize("precaution, path, code, message", [
    ("{title: T, text: x, content: [{text: y}]}", (), "block", "either as 'content'"),
    ("{title: T, content: [{text: y, items: [z]}]}", ("content", 0), "block", "this one holds 'text' and 'items'"),
    ("{title: T, content: [{note: n}]}", ("content", 0), "block", "has no text, subheading or items"),
    ("{title: T, content: [{text: y, columns: 2}]}", ("content", 0, "columns"), "block", "applies to a list"),
    ("{title: T, content: [{text: y}, {subheading: S}]}", ("content", 1), "missing-field", "needs a text or a list"),
    ("{title: T, content: [{subheading: S}, {subheading: R}, {text: y}]}", ("content", 0), "missing-field",
     "needs a text or a list"),
    ("{title: T, content: []}", ("content",), "value", "needs at least 1 item"),
    ("{title: T, content: [{txt: y}]}", ("content", 0, "txt"), "unknown-key", "unknown key 'txt'"),
    ("{title: T}", (), "missing-field", "a precaution needs 'text' or 'items' (or both), or 'content'"),
])
def test_precaution_content_rules(precaution, path, code, message):
    (d,) = problems_of(f"""\
        sections:
          - heading: S
            blocks:
              - precaution: {precaution}
        """)
    assert d.code == code and d.path == ("sections", 0, "blocks", 0, "precaution", *path), str(d)
    assert message in d.message, str(d)


def test_a_precaution_with_parts_splits_over_pages_never_after_a_subheading(tmp_path):
    from .test_geometry import leaflet_with, sweep

    parts = "".join(f"      - subheading: Part heading {i}\n      - text: Part text number {i} of the box.\n"
                    f"      - items: [Point {i}a, Point {i}b, Point {i}c]\n" for i in range(7))
    box = f"- precaution:\n    title: Kidney care\n    content:\n{parts}"
    broke = 0
    import leaflet
    from leaflet.check.verify import verify

    for filler, pages in sweep(box, tmp_path, 18, 34):
        on = [p for p in pages if any(r.startswith("Part heading") for r in p) or any("Point" in r for r in p)]
        for p in pages:
            assert not p[-1].startswith("Part heading"), (filler, p[-3:])  # never alone at a page's foot
        if len(on) > 1:
            broke += 1
            assert any(r == "Kidney care (continued)" for r in on[1]), (filler, on[1][:3])
            doc = leaflet_with(box, filler)
            assert verify(doc, leaflet.build_bytes(doc)) == []
    assert broke >= 5, f"the sweep split the precaution {broke} times: it tests too little"


def test_the_new_texts_are_checked_for_glyphs_like_every_text():
    import leaflet

    head = HEAD.replace("  name: Testamol\n", "  name: Testamol\n  subtitle: [Line 💊]\n")
    src = leaflet.parse(head + "options:\n  contents: true\n" + textwrap.dedent("""\
        sections:
          - heading: S
            contents_entry: Entry 日
            blocks:
              - precaution: {title: T, content: [{subheading: Sub 本}, {text: x}]}
        """), "t.yaml")
    with pytest.raises(leaflet.ContentError) as info:
        leaflet.build_bytes(src)
    found = {d.path: d.code for d in info.value.diagnostics}
    assert found == {("medicine", "subtitle", 0): "glyph", ("sections", 0, "contents_entry"): "glyph",
                     ("sections", 0, "blocks", 0, "precaution", "content", 0, "subheading"): "glyph"}


# lines under the title without a label ------------------------------------------------------

SUBTITLE = """\
    language: en
    medicine:
      name: TESTAMOL
      subtitle:
        - (Tes-ta-mol)
        - "(fictamol) tablets, for oral use"
      brands: [Testa]
    document_type: Medication Guide
    revision:
      date: "2026-01-02"
    sections:
      - heading: What is Testamol?
        blocks: [{text: A fictional medicine.}]
    """


def test_subtitle_lines_print_under_the_title_one_under_the_other(tmp_path, has_poppler):
    _, pdf = build(tmp_path, SUBTITLE, head="")
    assert "Medication Guide TESTAMOL (Tes-ta-mol) (fictamol) tablets, for oral use Brand name: Testa What is" \
        in text_of(pdf)
    ws = words(pdf)
    title, first, second, brand = (find(ws, w) for w in ("TESTAMOL", "(Tes-ta-mol)", "(fictamol)", "Brand"))
    assert title.y0 + 20 < first.y0 and first.y1 <= second.y0 + 1 and second.y1 <= brand.y0 + 1
    assert abs(first.x0 - title.x0) < 3 and abs(second.x0 - title.x0) < 3


def test_a_subtitle_written_as_one_text_asks_for_a_list():
    (d,) = problems_of(textwrap.dedent(SUBTITLE).replace(
        "  subtitle:\n    - (Tes-ta-mol)\n    - \"(fictamol) tablets, for oral use\"\n",
        "  subtitle: (Tes-ta-mol)\n"), head="")
    assert d.code == "type" and d.path == ("medicine", "subtitle") and "expected a list, found text" in d.message
    assert "'- '" in d.hint
