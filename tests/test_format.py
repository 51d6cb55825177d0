"""The format carries real regulated leaflets (EU package leaflets, FDA Medication Guides).

Each feature is built from a small fictional leaflet and read back with poppler
(``pdftotext``, ``-bbox`` for order and position) and, for links, with pypdf. Medicines and
wording are invented ("Testamol"): nothing here is medical advice.
"""
from __future__ import annotations

import io
import subprocess
import textwrap
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

import leaflet
from leaflet import ContentError
from leaflet.check.verify import verify
from leaflet.content.loader import parse as load_data
from leaflet.content.schema import json_schema
from leaflet.content.validation import scalars

from .pdfgeom import Word, read_words

HEAD = """\
language: en
medicine:
  name: Testamol
revision:
  date: "2026-01-02"
"""


def leaflet_text(body: str, head: str = HEAD) -> str:
    return head + textwrap.dedent(body)


def build(tmp_path: Path, body: str, head: str = HEAD, name: str = "t") -> tuple[leaflet.Document, Path]:
    doc = leaflet.parse(leaflet_text(body, head), f"{name}.yaml")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc))
    assert verify(doc, pdf.read_bytes()) == []  # the read-back check knows every text it prints
    return doc, pdf


def text_of(pdf: Path, *options: str) -> str:
    out = subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def words(pdf: Path) -> list[Word]:
    return [w for page in read_words(pdf) for w in page.words]


def find(ws: list[Word], text: str, after: float = -1.0) -> Word:
    """The first word ``text`` (below ``after``, a y from the top of the page)."""
    for w in ws:
        if w.text == text and w.y0 > after:
            return w
    raise AssertionError(f"{text!r} not printed; words: {[w.text for w in ws][:80]}")


def problems_of(body: str, head: str = HEAD) -> list[leaflet.Diagnostic]:
    with pytest.raises(ContentError) as info:
        leaflet.parse(leaflet_text(body, head), "t.yaml")
    return info.value.diagnostics


# 1. optional key facts, disclaimer, class and version -----------------------------------------

def test_a_leaflet_without_key_facts_disclaimer_class_or_version_prints_none_of_them(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: What Testamol is
            blocks:
              - text: Testamol is a fictional medicine.
        """)
    text = text_of(pdf)
    for absent in ("Key facts", "Feature", "Details", "Drug class", "Version", "·"):
        assert absent not in text, absent
    assert "Revised 2 January 2026" in text and "Page 1 of 1" in text
    assert "Testamol is a fictional medicine." in text


def test_the_old_required_fields_still_print_when_given(tmp_path, has_poppler):
    head = HEAD.replace("  name: Testamol\n", "  name: Testamol\n  class: Pain reliever\n").replace(
        '  date: "2026-01-02"\n', '  date: "2026-01-02"\n  version: "4.1"\n')
    _, pdf = build(tmp_path, """\
        key_facts:
          rows:
            - {label: Use, value: Pain}
        sections:
          - heading: About
            blocks:
              - text: A paragraph.
        disclaimer: Ask your pharmacist.
        """, head)
    text = text_of(pdf)
    for present in ("Drug class: Pain reliever", "Key facts", "Revised 2 January 2026 · Version 4.1",
                    "Ask your pharmacist."):
        assert present in text, present


# 2. side-effect callouts -----------------------------------------------------------------------

WORDING = {
    "very_common": "Very common: may affect more than 1 in 10 people",
    "common": "Common: may affect up to 1 in 10 people",
    "uncommon": "Uncommon: may affect up to 1 in 100 people",
    "rare": "Rare: may affect up to 1 in 1,000 people",
    "very_rare": "Very rare: may affect up to 1 in 10,000 people",
    "not_known": "Not known: frequency cannot be estimated from the available data",
}


@pytest.mark.parametrize("frequency", sorted(WORDING))
def test_a_frequency_class_prints_its_standard_wording(tmp_path, has_poppler, frequency):
    _, pdf = build(tmp_path, f"""\
        sections:
          - heading: Possible side effects
            blocks:
              - side_effects:
                  severity: common
                  frequency: {frequency}
                  items: [mild fictional headache]
        """)
    text = text_of(pdf)
    assert WORDING[frequency] + " • mild fictional headache" in text
    assert "COMMON" not in text  # the frequency says how common; no second, contradicting word


def test_serious_and_very_rare_at_once_wording_under_the_band(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Possible side effects
            blocks:
              - side_effects:
                  severity: serious
                  frequency: very_rare
                  title: Fictional acid build-up
                  action: Stop taking Testamol and get medical help straight away if you have
                  items: [fast breathing]
        """)
    ws = words(pdf)
    band, freq, action = find(ws, "SERIOUS"), find(ws, "Very"), find(ws, "Stop")
    assert band.y1 <= freq.y0 and freq.y1 <= action.y0, (band, freq, action)
    assert "SERIOUS · Fictional acid build-up Very rare: may affect up to 1 in 10,000 people Stop" in text_of(pdf)
    # the band is the serious one: heavy border and warning icon come with severity, not frequency
    assert find(ws, "Very").x0 > band.x0 - 20


def test_the_existing_label_still_replaces_the_band_word(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Side effects
            blocks:
              - side_effects: {severity: common, label: Rare, title: Skin, items: [rash]}
        """)
    assert "Rare · Skin • rash" in text_of(pdf)


def test_parts_print_in_the_order_the_author_wrote_them(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Possible side effects
            blocks:
              - side_effects:
                  severity: serious
                  title: Serious side effects
                  content:
                    - action: "Stop taking Testamol and see a doctor at once if you notice signs of this:"
                    - text: "Symptoms include:"
                    - items: [deep fast breathing, feeling cold]
                    - text: This is a fictional closing line.
                    - action: Call the emergency number.
        """)
    ws = words(pdf)
    order = [find(ws, "Stop"), find(ws, "Symptoms"), find(ws, "deep"), find(ws, "feeling"), find(ws, "This"),
             find(ws, "Call")]
    tops = [w.y0 for w in order]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), order
    assert ("Stop taking Testamol and see a doctor at once if you notice signs of this: Symptoms include: "
            "• deep fast breathing • feeling cold This is a fictional closing line. Call the emergency number.") \
        in text_of(pdf)


def test_a_serious_callout_can_be_prose_without_a_list(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Possible side effects
            blocks:
              - side_effects:
                  severity: serious
                  title: Allergic reactions
                  intro: Swelling of the face can happen in rare fictional cases.
                  action: Get medical help straight away.
        """)
    assert ("SERIOUS · Allergic reactions Swelling of the face can happen in rare fictional cases. "
            "Get medical help straight away.") in text_of(pdf)


def test_the_keyed_form_keeps_its_order(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Side effects
            blocks:
              - side_effects:
                  closing: Four.
                  items: [Three]
                  action: Two.
                  intro: One.
                  severity: serious
                  title: T
        """)
    assert "One. Two. • Three Four." in text_of(pdf)


@pytest.mark.parametrize("callout, message", [
    ("{severity: serious, title: T, items: [x]}", "a serious side-effect callout needs 'action'"),
    ("{severity: serious, content: [{text: a}, {items: [x]}]}", "a serious side-effect callout needs 'action'"),
    ("{severity: common, title: T}", "needs 'items' (the list of side effects) or a text"),
    ("{severity: serious, content: [{action: Go.}]}", "needs 'items' or a 'text' part, not only an action"),
    ("{severity: common, content: [{text: a}], items: [x]}", "either as 'content'"),
    ("{severity: common, content: [{text: a, items: [x]}]}", "holds 'text' and 'items'"),
    ("{severity: common, content: [{text: a, columns: 2}]}", "'columns' applies to a list: 'items'"),
])
def test_callout_rules(callout, message):
    found = problems_of(f"""\
        sections:
          - heading: S
            blocks:
              - side_effects: {callout}
        """)
    assert [d.code for d in found] in (["missing-field"], ["block"]), found
    assert message in found[0].message and found[0].line == 9, found


def test_an_unknown_frequency_suggests_the_right_one():
    (d,) = problems_of("""\
        sections:
          - heading: S
            blocks:
              - side_effects: {severity: common, frequency: very_rar, items: [x]}
        """)
    assert d.code == "value" and "'very_rar' is not one of" in d.message and "very_rare" in d.hint


# 3. tables with lists, lists in columns ---------------------------------------------------------

def test_a_table_cell_can_hold_a_list(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Other medicines
            blocks:
              - table:
                  header: [If you take, Tell your doctor]
                  rows:
                    - - fictional medicines
                      - text: "Especially:"
                        bullets: [Fictolin, Placebine]
                    - [anything else, Always.]
        """)
    ws = words(pdf)
    lead, first, second, left = find(ws, "Especially:"), find(ws, "Fictolin"), find(ws, "Placebine"), find(
        ws, "fictional")
    assert lead.y0 < first.y0 < second.y0
    assert abs(lead.y0 - left.y0) < 2  # the list sits in the second cell of the row...
    assert first.x0 > lead.x0 > left.x0  # ...indented under its lead, right of the first cell
    assert find(ws, "anything").y0 > second.y1  # the next row starts below the list
    assert "Especially: • Fictolin • Placebine" in text_of(pdf)


def test_a_cell_mapping_needs_its_list():
    (d,) = problems_of("""\
        sections:
          - heading: S
            blocks:
              - table:
                  rows: [[a, {text: b}]]
        """)
    assert d.code == "missing-field" and "'bullets'" in d.message and d.path[-2:] == (0, 1)


def test_bullets_in_two_columns_read_column_by_column(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Colours
            blocks:
              - bullets: [alpha, bravo, charlie, delta, echo]
                columns: 2
              - text: After the list.
        """)
    ws = words(pdf)
    col1 = [find(ws, t) for t in ("alpha", "bravo", "charlie")]
    col2 = [find(ws, t) for t in ("delta", "echo")]
    assert len({round(w.x0) for w in col1}) == 1 and len({round(w.x0) for w in col2}) == 1
    assert col2[0].x0 > col1[0].x1 + 100  # side by side
    assert abs(col1[0].y0 - col2[0].y0) < 1  # both columns start at the top
    assert [w.y0 for w in col1] == sorted(w.y0 for w in col1)
    assert find(ws, "After").y0 > col1[-1].y1  # what follows comes under the taller column
    # reading order (the PDF's content stream, as pdftotext -raw reads it): column 1, then column 2
    assert "• alpha • bravo • charlie • delta • echo After the list." in text_of(pdf, "-raw")


def test_columns_inside_a_callout_and_numbered(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        sections:
          - heading: Side effects
            blocks:
              - side_effects:
                  severity: common
                  frequency: very_common
                  content:
                    - items: [headache, nausea, dizziness, dry mouth]
                      columns: 2
              - numbered: [first step, second step, third step]
                columns: 3
        """)
    ws = words(pdf)
    assert find(ws, "dizziness").x0 > find(ws, "headache").x1 + 100
    assert abs(find(ws, "dizziness").y0 - find(ws, "headache").y0) < 1
    assert find(ws, "headache").y0 > find(ws, "Very").y1
    steps = [find(ws, "first"), find(ws, "second"), find(ws, "third")]
    assert steps[0].x0 < steps[1].x0 < steps[2].x0 and len({round(w.y0) for w in steps}) == 1
    assert "1. first step 2. second step 3. third step" in text_of(pdf, "-raw")


def test_a_long_list_in_columns_splits_over_pages_in_reading_order(tmp_path, has_poppler):
    items = ", ".join(f"item {n:03d}" for n in range(1, 161))
    _, pdf = build(tmp_path, f"""\
        sections:
          - heading: Many
            blocks:
              - bullets: [{items}]
                columns: 2
        """)
    pages = read_words(pdf)
    assert len(pages) >= 2
    found = [w.text for p in pages for w in sorted(p.words, key=lambda w: (w.x0 > p.width / 2, w.y0))
             if w.text.isdigit() and len(w.text) == 3]
    assert found == [f"{n:03d}" for n in range(1, 161)]  # page by page, column by column: the author's order


def test_columns_only_on_lists():
    (d,) = problems_of("""\
        sections:
          - heading: S
            blocks:
              - text: Not a list.
                columns: 2
        """)
    assert d.code == "block" and d.path[-1] == "columns" and (d.line, d.column) == (10, 18)
    (d,) = problems_of("""\
        sections:
          - heading: S
            blocks:
              - bullets: [a, b]
                columns: 5
        """)
    assert d.code == "value" and "'5' is not one of: 1, 2, 3" in d.message


# 4. references to sections --------------------------------------------------------------------

REFERENCES = """\
    sections:
      - id: what
        heading: What Testamol is
        blocks:
          - text: Read [[side-effects]] before you start.
      - heading: How to take it
        blocks:
          - text: One tablet.
      - heading: Before you take it
        blocks:
          - text: Ask first.
      - id: side-effects
        heading: Possible side effects
        blocks:
          - text: "Like all medicines, Testamol can cause side effects (see also [[what]]; \\\\[[what]] is literal)."
    """


def _links(pdf: Path) -> list[tuple[int, int, float, list[float]]]:
    """(page, page it points at, the height it points at (from the top), its rectangle) of each
    internal link, in the order of the pages' /Annots."""
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    out = []
    for n, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            if a.get("/Subtype") != "/Link" or "/Dest" not in a:
                continue
            dest = a["/Dest"]
            assert dest[1] == "/XYZ"
            out.append((n, numbers[dest[0].idnum], height - float(dest[3]), [float(v) for v in a["/Rect"]]))
    return out


def _points_at(pdf: Path, link: tuple[int, int, float, list[float]], heading_word: str) -> bool:
    """Does the link go to just above the heading that starts with ``heading_word``?"""
    page = read_words(pdf)[link[1] - 1]
    top = find(page.words, heading_word, after=link[2] - 1).y0
    return 0 <= top - link[2] <= 20


def test_a_reference_prints_the_section_number_and_links_to_it(tmp_path, has_poppler):
    head = HEAD + "options:\n  number_sections: true\n"
    _, pdf = build(tmp_path, REFERENCES, head)
    text = text_of(pdf)
    assert "Read section 4 before you start." in text
    assert "4. Possible side effects" in text and "1. What Testamol is" in text
    assert "(see also section 1; [[what]] is literal)" in text
    links = _links(pdf)
    assert len(links) == 2, links
    assert _points_at(pdf, links[0], "4.") and _points_at(pdf, links[1], "1."), links
    # the link's rectangle covers the printed reference
    page = read_words(pdf)[0]
    word, rect = find(page.words, "section"), links[0][3]
    assert rect[0] <= word.x0 + 1 and page.height - rect[3] <= word.y0 + 1 and page.height - rect[1] >= word.y1 - 1
    assert find(page.words, "4").x1 <= rect[2] + 1


def test_without_numbering_a_reference_prints_the_heading(tmp_path, has_poppler):
    _, pdf = build(tmp_path, REFERENCES)
    text = text_of(pdf)
    assert "Read “Possible side effects” before you start." in text
    assert "4. Possible" not in text
    links = _links(pdf)
    assert len(links) == 2 and _points_at(pdf, links[0], "Possible") and _points_at(pdf, links[1], "What")


def test_a_reference_to_an_unknown_section_is_an_error_with_a_did_you_mean():
    (d,) = problems_of(REFERENCES.replace("[[side-effects]]", "[[side-efects]]"))
    assert d.code == "reference"
    assert (d.file, d.line, d.column) == ("t.yaml", 10, 20)  # the column of its "[[" (character 6 of the text)
    assert d.path == ("sections", 0, "blocks", 0, "text")
    assert "'[[side-efects]]' at character 6 refers to no section" in d.message
    assert d.hint == "did you mean '[[side-effects]]'?"


@pytest.mark.parametrize("text, message", [
    ("See [[side effects]].", "is not a section reference"),
    ("See [[what.", "never ends with ']]'"),
])
def test_a_broken_reference_is_a_markup_error(text, message):
    (d,) = problems_of(REFERENCES.replace("Read [[side-effects]] before you start.", text))
    assert d.code == "markup" and message in d.message and "\\[[" in d.hint


def test_section_ids_are_unique():
    (d,) = problems_of(REFERENCES.replace("      - heading: How to take it",
                                          "      - id: what\n        heading: How to take it"))
    assert d.code == "value" and d.path == ("sections", 1, "id") and "already has the id 'what'" in d.message


# 5. numbering and the contents list -----------------------------------------------------------

def test_contents_list_lists_the_numbered_headings_and_links_to_them(tmp_path, has_poppler):
    head = HEAD + "options:\n  number_sections: true\n  contents: true\n"
    _, pdf = build(tmp_path, """\
        intro:
          - text: Read all of this leaflet.
        sections:
          - heading: What Testamol is and what it is used for
            blocks: [{text: A fictional medicine.}]
          - heading: How to take Testamol
            blocks: [{text: One tablet.}]
          - heading: Possible side effects
            blocks: [{text: Few.}]
        """, head)
    assert ("Read all of this leaflet. What is in this leaflet 1. What Testamol is and what it is used for "
            "2. How to take Testamol 3. Possible side effects 1. What Testamol is and what it is used for "
            "A fictional medicine.") in text_of(pdf)
    links = _links(pdf)
    assert len(links) == 3 and all(_points_at(pdf, link, f"{n}.") for n, link in enumerate(links, start=1))
    last_entry = find(read_words(pdf)[0].words, "Possible")  # in the contents list
    assert all(link[2] > last_entry.y1 for link in links)  # the links go to the sections, not the list
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert [o.title for o in reader.outline][1:] == [
        "1. What Testamol is and what it is used for", "2. How to take Testamol", "3. Possible side effects"]


def test_contents_without_numbering(tmp_path, has_poppler):
    _, pdf = build(tmp_path, """\
        options: {contents: true}
        sections:
          - heading: First
            blocks: [{text: One.}]
          - heading: Second
            blocks: [{text: Two.}]
        """)
    assert "What is in this leaflet First Second First One. Second Two." in text_of(pdf)


@pytest.mark.parametrize("options, message, hint", [
    ("{number_sections: yes}", "expected true or false, found text", "write true or false (not 'yes')"),
    ("{contnts: true}", "unknown key 'contnts'", "did you mean 'contents'?"),
    ("[contents]", "expected a mapping of keys, found a list", ""),
])
def test_options_are_validated(options, message, hint):
    (d,) = problems_of(f"""\
        options: {options}
        sections:
          - heading: S
            blocks: [{{text: T}}]
        """)
    assert message in d.message and hint in d.hint and d.line == 6


# 6. the published schema states the new forms -------------------------------------------------

FULL = """\
    options: {number_sections: true, contents: true}
    sections:
      - id: se
        heading: Side effects
        blocks:
          - bullets: [a, b]
            columns: 2
          - side_effects:
              severity: serious
              frequency: very_rare
              content:
                - action: Go now.
                - items: [x, y]
                  columns: 2
          - table:
              rows: [[a, {text: b, bullets: [c]}]]
          - text: See [[se]].
    """


def test_the_schema_accepts_the_new_forms_and_states_their_rules():
    validator = jsonschema.Draft202012Validator(json_schema())
    data = load_data(leaflet_text(FULL), "t.yaml").data
    editor_view = scalars(data)  # what an editor sees: columns: 2 is a number, true is true
    assert list(validator.iter_errors(editor_view)) == []
    leaflet.parse(leaflet_text(FULL), "t.yaml")
    for broken in (FULL.replace("- action: Go now.", "- text: Go now."),  # serious without an action
                   FULL.replace("- action: Go now.", "- action: Go now.\n                  text: x"),
                   FULL.replace("          - text: See [[se]].", "          - text: See.\n            columns: 2")):
        data = scalars(load_data(leaflet_text(broken), "t.yaml").data)
        assert list(validator.iter_errors(data)), broken
        with pytest.raises(ContentError):
            leaflet.parse(leaflet_text(broken), "t.yaml")


def test_the_readme_examples_of_the_format_are_valid(tmp_path, has_poppler):
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Optional parts", 1)[1].split("## The command line", 1)[0]
    examples = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert len(examples) >= 4
    for example in examples:
        if example.startswith("- "):  # blocks
            body = "sections:\n  - heading: S\n    blocks:\n" + textwrap.indent(example, "      ")
        elif example.startswith("options:"):
            body = example + "sections:\n  - heading: S\n    blocks: [{text: T}]\n"
        else:
            body = example
        head = HEAD.replace("medicine:\n  name: Testamol\n", "") if example.startswith("medicine:") else HEAD
        _, pdf = build(tmp_path, body, head)
        assert text_of(pdf)


def test_a_callout_with_a_long_list_in_columns_splits_and_says_which_list_goes_on(tmp_path, has_poppler):
    items = ", ".join(f"effect {n:03d}" for n in range(1, 121))
    _, pdf = build(tmp_path, f"""\
        sections:
          - heading: Possible side effects
            blocks:
              - text: Like all medicines, this one can cause side effects.
              - side_effects:
                  severity: common
                  frequency: common
                  content:
                    - items: [{items}]
                      columns: 2
        """)
    pages = read_words(pdf)
    assert len(pages) == 2
    numbers = [w.text for p in pages for w in sorted(p.words, key=lambda w: (w.x0 > p.width / 2, w.y0))
               if w.text.isdigit() and len(w.text) == 3]
    assert numbers == [f"{n:03d}" for n in range(1, 121)]
    second = " ".join(w.text for w in pages[1].words)
    assert "Common (continued)" in second
    first_numbers = [w for w in pages[0].words if w.text.isdigit() and len(w.text) == 3]
    assert len(first_numbers) > 60  # the box split on the first page rather than move whole


def test_a_reference_in_a_heading_prints_in_the_heading_the_contents_and_the_outline(tmp_path, has_poppler):
    head = HEAD + "options: {number_sections: true, contents: true}\n"
    _, pdf = build(tmp_path, """\
        sections:
          - id: what
            heading: What Testamol is
            blocks: [{text: A fictional medicine.}]
          - heading: More about it (after [[what]])
            blocks: [{text: Nothing more.}]
        """, head)
    text = text_of(pdf)
    assert text.count("More about it (after section 1)") == 2  # the contents list, the heading
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert [o.title for o in reader.outline][-1] == "2. More about it (after section 1)"


def test_validate_and_build_report_the_new_rules_alike(tmp_path, capsys):
    from .test_cli import run

    path = tmp_path / "t.yaml"
    path.write_text(leaflet_text(REFERENCES.replace("[[side-effects]]", "[[side-efects]]")), encoding="utf-8")
    (d,) = leaflet.validate(path)
    assert d.code == "reference" and (d.line, d.column) == (10, 20)
    for command in (["validate", str(path)], ["build", str(path), "-o", str(tmp_path / "t.pdf")]):
        code, _, err = run(capsys, *command)
        assert code == 2 and "t.yaml:10:20: error[reference]" in err and "did you mean '[[side-effects]]'?" in err
    assert not (tmp_path / "t.pdf").exists()
