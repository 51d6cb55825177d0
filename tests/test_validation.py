"""Broken content is reported, never a traceback: every problem with file:line:col, field path and hint.

Small cases modify a minimal valid leaflet written to tmp_path (see ``leaflet_file``);
hostile and structural files live in ``tests/bad/`` (each starts with a comment
line saying what is wrong with it).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import leaflet
from leaflet import ContentError, Diagnostic
from leaflet.errors import format_path

BAD = Path(__file__).resolve().parent / "bad"

# The required fields of leaflet.model.Leaflet, and the fields that were required before
# the format grew optional ones (class, version, key_facts, disclaimer). Line numbers
# matter: the cases below point into this text.
VALID = """\
language: en
medicine:
  name: Testamol
  class: Pain reliever
revision:
  date: "2026-01-15"
  version: "1"
key_facts:
  rows:
    - label: Drug class
      value: Pain reliever
sections:
  - heading: What it is
    blocks:
      - text: A medicine for pain.
  - heading: How to take it
    blocks:
      - text: Take one tablet.
  - heading: Side effects
    blocks:
      - text: Most people have none.
disclaimer: Ask your doctor or pharmacist.
"""
LAST_BLOCK = "      - text: Most people have none."  # line 21: sections[2].blocks[0]


def leaflet_file(tmp_path: Path, *changes: tuple[str, str], append: str = "") -> Path:
    """Write VALID with each (old, new) replacement (old must occur exactly once) and ``append``."""
    text = VALID
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} must occur exactly once in VALID"
        text = text.replace(old, new)
    path = tmp_path / "leaflet.yaml"
    path.write_text(text + append, encoding="utf-8")
    return path


def block(tmp_path: Path, yaml_text: str) -> Path:
    """VALID with sections[2].blocks[0] (line 21, column 9) replaced by ``yaml_text``."""
    return leaflet_file(tmp_path, (LAST_BLOCK, yaml_text.rstrip("\n")))


def problems(path: Path) -> list[Diagnostic]:
    with pytest.raises(ContentError) as info:
        leaflet.load(path)
    found = info.value.diagnostics
    assert found, "ContentError without diagnostics"
    return found


def only(path: Path) -> Diagnostic:
    found = problems(path)
    assert len(found) == 1, "expected one problem, got:\n" + "\n".join(map(str, found))
    return found[0]


def expect(d: Diagnostic, file: Path, where: str, path: str, message: str, hint: str | None = None) -> None:
    """``where`` is "line:col"; ``path`` as printed ("" for the whole document); message/hint: a part."""
    line, col = (int(n) for n in where.split(":"))
    assert (d.file, d.line, d.column) == (str(file), line, col), str(d)
    assert format_path(d.path) == (path or "(document)"), str(d)
    assert message in d.message, str(d)
    if hint is not None:
        assert hint in d.hint, str(d)


def test_minimal_leaflet_is_valid(tmp_path):
    doc = leaflet.load(leaflet_file(tmp_path))
    assert doc.leaflet.sections[2].blocks[0].text == "Most people have none."


# -- unknown, missing and misspelt keys -----------------------------------------

def test_unknown_key_in_a_block_suggests_the_right_one(tmp_path):
    path = block(tmp_path, "      - txt: Most people have none.")
    d = only(path)
    expect(d, path, "21:9", "sections[2].blocks[0].txt", "unknown key 'txt'", "did you mean 'text'?")
    assert str(d) == (f"{path}:21:9: error[unknown-key]: sections[2].blocks[0].txt: unknown key 'txt'\n"
                      "  hint: did you mean 'text'?")


def test_unknown_top_level_key(tmp_path):
    path = leaflet_file(tmp_path, append="autor: Pharmacy team\n")
    expect(only(path), path, "23:1", "autor", "unknown key 'autor'", "did you mean 'author'?")


def test_unknown_key_with_nothing_close_lists_the_allowed_keys(tmp_path):
    path = leaflet_file(tmp_path, append="colour: red\n")
    d = only(path)
    expect(d, path, "23:1", "colour", "unknown key 'colour'", "allowed here:")
    for key in ("author", "disclaimer", "intro", "sections"):
        assert key in d.hint


def test_missing_top_level_field(tmp_path):
    path = leaflet_file(tmp_path, ('revision:\n  date: "2026-01-15"\n  version: "1"\n', ""))
    expect(only(path), path, "1:1", "", "missing required field 'revision'")


def test_missing_nested_field(tmp_path):
    path = leaflet_file(tmp_path, ("  name: Testamol\n", ""))
    expect(only(path), path, "2:1", "medicine", "missing required field 'name'")


def test_missing_field_in_a_qa_block(tmp_path):
    path = block(tmp_path, "      - qa:\n          question: Can I drive?")
    expect(only(path), path, "21:9", "sections[2].blocks[0].qa", "missing required field 'answer'")


def test_misspelt_required_key_links_both_problems(tmp_path):
    path = leaflet_file(tmp_path, ("revision:", "revison:"))
    missing, unknown = problems(path)
    expect(missing, path, "1:1", "", "missing required field 'revision'", "is 'revison' a misspelling of it?")
    expect(unknown, path, "5:1", "revison", "unknown key 'revison'", "did you mean 'revision'?")


# -- wrong types and empty values --------------------------------------------

LIST_HINT = "write one text here, not a list"


@pytest.mark.parametrize("new, where, found, hint", [
    ("  name: [Testamol, Testa]", "3:9", "expected text, found a list", LIST_HINT),
    ("  name:\n    - Testamol", "4:5", "expected text, found a list", LIST_HINT),
    ("  name:\n    brand: Testamol", "4:5", "expected text, found a mapping of keys", "must be put in quotes"),
    ("  name: {brand: Testamol}", "3:9", "expected text, found a mapping of keys", "must be put in quotes"),
    ("  name:", "3:8", "expected text, found nothing (an empty value)", "this field is empty"),
    ("  name: ~", "3:9", "expected text, found nothing (an empty value)", "this field is empty"),
    ("  name: null", "3:9", "expected text, found nothing (an empty value)", "this field is empty"),
    ('  name: ""', "3:9", "the text is empty", "write the text, or remove the key"),
    ('  name: "   "', "3:9", "the text is empty", "write the text, or remove the key"),
], ids=["flow-list", "block-list", "mapping", "flow-mapping", "empty", "tilde", "null", "empty-quoted", "blank"])
def test_wrong_type_or_empty_text(tmp_path, new, where, found, hint):
    path = leaflet_file(tmp_path, ("  name: Testamol", new))
    expect(only(path), path, where, "medicine.name", found, hint)


def test_text_where_a_mapping_is_expected(tmp_path):
    path = leaflet_file(tmp_path, ("medicine:\n  name: Testamol\n  class: Pain reliever", "medicine: Testamol"))
    expect(only(path), path, "2:11", "medicine", "expected a mapping of keys, found text")


def test_text_where_a_list_is_expected(tmp_path):
    path = leaflet_file(tmp_path, ("  class: Pain reliever", "  class: Pain reliever\n  brands: Testa"))
    expect(only(path), path, "5:11", "medicine.brands", "expected a list, found text")


def test_unquoted_colon_space_in_text_is_a_syntax_error_with_a_quoting_hint(tmp_path):
    path = leaflet_file(tmp_path, ("      - text: Take one tablet.", "      - text: Note: take one tablet."))
    expect(only(path), path, "18:19", "", "YAML syntax error", "quote text that contains ': '")


def test_empty_list(tmp_path):
    path = leaflet_file(tmp_path, ("    - label: Drug class\n      value: Pain reliever\n", "    []\n"))
    expect(only(path), path, "10:5", "key_facts.rows", "needs at least 1 item(s), found 0")


def test_too_many_items(tmp_path):
    path = leaflet_file(tmp_path, ("key_facts:\n", "key_facts:\n  header: [Feature, Details, More]\n"))
    expect(only(path), path, "9:11", "key_facts.header", "allows at most 2 items, found 3")


# -- empty and non-mapping documents --------------------------------------------

@pytest.mark.parametrize("text", ["", "\n", "   \n\n  \n", "---\n", "# only a comment\n"],
                         ids=["empty", "newline", "spaces", "bare-document-marker", "comment"])
def test_file_without_content(tmp_path, text):
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    d = only(path)
    expect(d, path, "1:1", "", "empty", "language:")


def test_document_that_is_a_number_is_text_not_a_mapping(tmp_path):
    path = tmp_path / "number.yaml"
    path.write_text("42\n", encoding="utf-8")
    expect(only(path), path, "1:1", "", "the document is a single text, not a mapping of fields")


def test_a_quoted_text_that_runs_on_is_named_in_the_syntax_error_hint() -> None:
    """The hint names the quoted text that swallowed the lines after it (its closing quote
    missing), found among the last events the parser gave before its error."""
    text = 'language: en\nmedicine:\n  name: "Baclofen\n  form: tablet\nsections: "x"\n  - a\n'
    with pytest.raises(ContentError) as exc:
        leaflet.parse(text, "runaway.yaml")
    (d,) = exc.value.diagnostics
    assert (d.line, d.column) == (5, 12) and d.message.startswith("YAML syntax error")
    assert "the quoted text that starts on line 3 only ends on line 5" in d.hint


# -- the hostile and structural corpus in tests/bad/ ----------------------------

CORPUS: dict[str, list[tuple[str, str, str, str]]] = {
    # file: [(line:col, path, part of message, part of hint), ...] in order
    "comments_only.yaml": [("1:1", "", "the file is empty", "a leaflet file starts with 'language:'")],
    "document_is_list.yaml": [("2:1", "", "the document is a list, not a mapping", "a leaflet file is a mapping")],
    "document_is_string.yaml": [("2:1", "", "the document is a single text, not a mapping",
                                 "a leaflet file is a mapping")],
    "two_documents.yaml": [("5:1", "", "more than one YAML document", "remove the '---' line")],
    "syntax_error.yaml": [("6:20", "", "YAML syntax error: mapping values are not allowed",
                           "quote text that contains ': '")],
    "bad_indentation.yaml": [("5:9", "", "YAML syntax error", "check the indentation")],
    "tag_python_object.yaml": [("4:9", "medicine.name", "YAML tag '!!python/object/apply:os.system' is not allowed",
                                "remove the tag")],
    "tag_custom.yaml": [("5:10", "medicine.class", "YAML tag '!custom' is not allowed", "remove the tag")],
    "anchor_alias.yaml": [
        ("5:10", "medicine.class", "YAML anchors (&cls) are not allowed", "write the text out in full"),
        ("9:14", "key_facts.rows[0].value", "YAML aliases (*cls) are not allowed", "write the text out in full"),
    ],
    "duplicate_keys.yaml": [("7:9", "sections[0].blocks[0].text", "duplicate key 'text'",
                             "'text' is already given at line 6")],
    "not_utf8.yaml": [("4:15", "", "not valid UTF-8 (byte 0xf6)", "save the file as UTF-8")],
    "several_problems.yaml": [
        ("2:11", "language", "'English' is not a language tag", "BCP 47"),
        ("4:8", "medicine.name", "expected text, found nothing", "this field is empty"),
        ("7:9", "revision.date", "'tomorrow' is not a date written YYYY-MM-DD", "2026-11-23"),
        ("11:7", "key_facts.rows[0]", "missing required field 'value'", "is 'valu' a misspelling of it?"),
        ("12:7", "key_facts.rows[0].valu", "unknown key 'valu'", "did you mean 'value'?"),
        ("16:42", "sections[0].blocks[0].text", "'[[side-effects]]' at character 28 refers to no section",
         "give the section an id"),
        ("18:21", "sections[0].blocks[1].side_effects.severity", "'serius' is not one of: common, serious",
         "did you mean 'serious'?"),
        ("21:9", "sections[0].blocks[2].txt", "unknown key 'txt'", "did you mean 'text'?"),
    ],
    "bold_across_blank_line.yaml": [("16:15", "sections[0].blocks[0].text",
                                     "bold text ('**') goes on across a blank line", "in the same paragraph")],
    "bidi_override.yaml": [
        ("16:20", "sections[0].blocks[0].text", "character 6 of the text is U+202E RIGHT-TO-LEFT OVERRIDE",
         "in the order it is read"),
        ("16:23", "sections[0].blocks[0].text", "character 9 of the text is U+202C POP DIRECTIONAL FORMATTING",
         "in the order it is read"),
    ],
    "bidi_mark_in_ltr.yaml": [("16:23", "sections[0].blocks[0].text",
                               "U+200F RIGHT-TO-LEFT MARK, a bidirectional mark; in a left-to-right leaflet",
                               "right-to-left leaflets")],
    "invisible_text.yaml": [("4:9", "medicine.name", "the text is empty", "(U+200B, U+2060)")],
    "nul_escape.yaml": [("16:24", "sections[0].blocks[0].text", "the control character U+0000", "YAML escape")],
    "escape_character.yaml": [("16:21", "sections[0].blocks[0].text", "the control character U+001B",
                               "YAML escape")],
}

XFAIL_CORPUS = {  # tested one by one below
    "unclosed_quote.yaml", "tab_indentation.yaml", "control_character.yaml", "bom_then_not_utf8.yaml",
    "not_utf8_after_utf8.yaml", "problems_in_two_stages.yaml",
}
OTHER_CORPUS = {"billion_laughs.yaml"}
FRAGMENTS = {"anchor_alias.yaml", "duplicate_keys.yaml", "tag_custom.yaml", "tag_python_object.yaml"}


def test_every_corpus_file_is_tested_and_says_what_is_wrong():
    files = {p.name for p in BAD.glob("*.yaml")}
    assert files == set(CORPUS) | XFAIL_CORPUS | OTHER_CORPUS
    for name in files:
        first = (BAD / name).read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        assert first.startswith(b"# ") and len(first) > 20, name


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus(name):
    path = BAD / name
    found = problems(path)
    if name in FRAGMENTS:  # the top-level fields a fragment leaves out are not what it tests
        found = [d for d in found if not (d.path == () and d.message.startswith("missing required field"))]
    assert len(found) == len(CORPUS[name]), "\n".join(map(str, found))
    for d, (where, field, message, hint) in zip(found, CORPUS[name]):
        expect(d, path, where, field, message, hint)
        assert "Traceback" not in str(d)


def test_several_problems_are_all_reported_at_once():
    with pytest.raises(ContentError) as info:
        leaflet.load(BAD / "several_problems.yaml")
    assert len(info.value.diagnostics) == 8
    assert str(info.value).endswith("\n8 problems found")


def test_billion_laughs_fails_fast():
    outcome: list[BaseException | object] = []

    def attempt() -> None:
        try:
            outcome.append(leaflet.load(BAD / "billion_laughs.yaml"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome.append(exc)

    start = time.perf_counter()
    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "loading an alias bomb did not finish within 10 s"
    assert time.perf_counter() - start < 2
    [error] = outcome
    assert isinstance(error, ContentError), repr(error)
    reuse = [d for d in error.diagnostics if "anchors" in d.message or "aliases" in d.message]
    expect(reuse[0], BAD / "billion_laughs.yaml", "2:4", "a", "YAML anchors (&a) are not allowed")
    # the first ten are listed, then a count: not one line for each of the 81
    assert len(reuse) == 11 and reuse[-1].message == "… and 71 more anchors or aliases"
    assert len(error.diagnostics) < 30


def test_unclosed_quote_points_at_the_line_of_the_quote():
    d = only(BAD / "unclosed_quote.yaml")
    assert d.line == 4 or "line 4" in f"{d.message} {d.hint}", str(d)


def test_tab_indentation_says_tab():
    path = BAD / "tab_indentation.yaml"
    d = only(path)
    expect(d, path, "4:1", "", "")
    assert "tab" in f"{d.message} {d.hint}".lower(), str(d)


def test_control_character_is_located():
    path = BAD / "control_character.yaml"
    d = only(path)
    expect(d, path, "4:13", "", "control character")
    assert "<unicode string>" not in d.message and "position" not in d.message, str(d)
    assert d.hint, str(d)


def test_not_utf8_after_a_byte_order_mark():
    path = BAD / "bom_then_not_utf8.yaml"
    expect(only(path), path, "4:15", "", "not valid UTF-8 (byte 0xf6)", "save the file as UTF-8")


def test_not_utf8_column_counts_characters():
    path = BAD / "not_utf8_after_utf8.yaml"
    expect(only(path), path, "4:15", "", "not valid UTF-8 (byte 0xf6)")


def test_problems_of_schema_and_rules_are_reported_together():
    path = BAD / "problems_in_two_stages.yaml"
    found = problems(path)
    assert len(found) == 2, "\n".join(map(str, found))
    expect(found[0], path, "14:15", "sections[0].blocks[0].text", "'**'", "close the bold text")
    expect(found[1], path, "15:9", "sections[0].blocks[1].txt", "unknown key 'txt'", "did you mean 'text'?")


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert leaflet.load(path).leaflet.language == "en"


def test_byte_order_mark_does_not_shift_columns(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("language: en", "language: English").encode("utf-8"))
    expect(only(path), path, "1:11", "language", "'English' is not a language tag")


def test_windows_line_endings_keep_positions(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(VALID.replace("  name: Testamol", "  name:").replace("\n", "\r\n").encode("utf-8"))
    expect(only(path), path, "3:8", "medicine.name", "expected text, found nothing")


# -- values -------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "26-01-15", "2026-1-5", "2026/01/15"])
def test_bad_date(tmp_path, value):
    path = leaflet_file(tmp_path, ('  date: "2026-01-15"', f"  date: {value}"))
    expect(only(path), path, "6:9", "revision.date", f"'{value}' is not a date written YYYY-MM-DD", "2026-11-23")


@pytest.mark.parametrize("value", ["English", "EN", "en_GB", "e", "en-"])
def test_bad_language_tag(tmp_path, value):
    path = leaflet_file(tmp_path, ("language: en", f"language: {value}"))
    expect(only(path), path, "1:11", "language", f"'{value}' is not a language tag", "BCP 47")


def test_bad_status_suggests_the_right_one(tmp_path):
    path = leaflet_file(tmp_path, ("disclaimer:", "status: drafft\ndisclaimer:"))
    expect(only(path), path, "22:9", "status", "'drafft' is not one of: draft, final, machine-translation",
           "did you mean 'draft'?")


def test_bad_severity_suggests_the_right_one(tmp_path):
    path = block(tmp_path, """\
      - side_effects:
          severity: serius
          title: Side effects
          items: [Headache]""")
    expect(only(path), path, "22:21", "sections[2].blocks[0].side_effects.severity",
           "'serius' is not one of: common, serious", "did you mean 'serious'?")


def test_serious_side_effects_need_an_action(tmp_path):
    path = block(tmp_path, """\
      - side_effects:
          severity: serious
          title: Side effects
          items: [Fits]""")
    expect(only(path), path, "22:11", "sections[2].blocks[0].side_effects",
           "a serious side-effect callout needs 'action'", "action:")


def test_common_side_effects_need_no_action(tmp_path):
    path = block(tmp_path, """\
      - side_effects:
          severity: common
          title: Side effects
          items: [Headache]""")
    assert leaflet.load(path).leaflet.sections[2].blocks[0].side_effects.severity == "common"


def test_precaution_needs_text_or_items(tmp_path):
    path = block(tmp_path, "      - precaution:\n          title: Kidneys")
    expect(only(path), path, "22:11", "sections[2].blocks[0].precaution",
           "a precaution needs 'text' or 'items' (or both)")


def test_block_with_two_kinds(tmp_path):
    path = block(tmp_path, "      - text: Most people have none.\n        bullets: [Headache, Nausea]")
    expect(only(path), path, "21:9", "sections[2].blocks[0]",
           "a block holds exactly one kind of content, found 'text' and 'bullets'", "split it into one block per kind")


def test_empty_block(tmp_path):
    path = block(tmp_path, "      - {}")
    expect(only(path), path, "21:9", "sections[2].blocks[0]", "the block has no content kind",
           "a block holds one of: text, bullets")


def test_note_only_block_is_allowed(tmp_path):
    assert leaflet.load(block(tmp_path, "      - note: for reviewers")).leaflet.sections[2].blocks[0].kind is None


@pytest.mark.parametrize("item, where", [("      - Most people have none.", "21:9"), ("      -", "21:8")],
                         ids=["text", "empty"])
def test_block_that_is_not_a_mapping_is_reported_once(tmp_path, item, where):
    path = block(tmp_path, item)
    expect(only(path), path, where, "sections[2].blocks[0]", "expected a block", "- text:")


def test_table_rows_with_differing_cell_counts(tmp_path):
    path = block(tmp_path, """\
      - table:
          header: [Symptom, What to do]
          rows:
            - [Headache, Rest]
            - [Rash]
            - [Fever, Drink water, Call us]""")
    short, long = problems(path)
    expect(short, path, "25:15", "sections[2].blocks[0].table.rows[1]", "row has 1 cell",
           "give every row the same number of cells")
    expect(long, path, "26:15", "sections[2].blocks[0].table.rows[2]", "row has 3 cells, the table has 2 columns")


def test_table_without_header_takes_its_width_from_the_first_row(tmp_path):
    path = block(tmp_path, "      - table:\n          rows:\n            - [a, b]\n            - [c]")
    expect(only(path), path, "24:15", "sections[2].blocks[0].table.rows[1]", "the table has 2 columns")


def test_unpaired_bold_marker(tmp_path):
    path = block(tmp_path, "      - text: Take **one tablet.")
    expect(only(path), path, "21:15", "sections[2].blocks[0].text", "'**' at character 6 starts bold text that never ends",
           "close the bold text with another '**'")


def test_unpaired_bold_marker_in_a_nested_field(tmp_path):
    path = leaflet_file(tmp_path, ("      value: Pain reliever", "      value: Pain **reliever"))
    expect(only(path), path, "11:14", "key_facts.rows[0].value", "'**'", "close the bold text")


def test_escaped_asterisk_is_not_a_bold_marker(tmp_path):
    path = block(tmp_path, r"      - text: Take **one** tablet \*\* a day.")
    assert leaflet.load(path).leaflet.sections[2].blocks[0].text.endswith(r"\*\* a day.")


def test_non_text_key(tmp_path):
    path = leaflet_file(tmp_path, append="? [a, b]\n: x\n")
    expect(only(path), path, "23:3", "", "a key must be a plain word")


def test_number_key_is_an_unknown_key(tmp_path):
    path = leaflet_file(tmp_path, append="1: x\n")
    expect(only(path), path, "23:1", "1", "unknown key '1'", "allowed here:")


def test_too_deep_nesting(tmp_path):
    path = leaflet_file(tmp_path, append="notes: " + "[" * 100 + "]" * 100 + "\n")
    [d] = [d for d in problems(path) if "nested" in d.message]
    assert (d.line, d.path[:2]) == (23, ("notes", 0))
    assert "nested more than 64 levels deep" in d.message


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    expect(only(path), path, "0:0", "", "file not found", "check the path")


def test_folder_instead_of_file(tmp_path):
    expect(only(tmp_path), tmp_path, "0:0", "", "this is a folder", "name a file")


# -- plain scalars keep the author's exact text -------------------------------

@pytest.mark.parametrize("written", [
    "No", "no", "yes", "Yes", "on", "off", "true", "False", "y", "n",  # YAML 1.1/1.2 booleans
    "1.10", "080", "0x1F", "0o17", "1e3", "1_000", "-5", "+1", ".inf", ".NaN", "12:30",  # numbers
    "2026-01-15", "=", "<<",  # a date, the YAML 1.1 value and merge keys
    "null text", "~x",  # not nulls
])
def test_plain_scalars_keep_their_exact_text(tmp_path, written):
    path = leaflet_file(tmp_path, ("      value: Pain reliever", f"      value: {written}"))
    assert leaflet.load(path).leaflet.key_facts.rows[0].value == written


@pytest.mark.parametrize("written, kept", [("1.0", "1.0"), ("2", "2"), ("1.10", "1.10"), ("'01'", "01")])
def test_version_number_stays_text(tmp_path, written, kept):
    path = leaflet_file(tmp_path, ('  version: "1"', f"  version: {written}"))
    assert leaflet.load(path).leaflet.revision.version == kept


def test_unquoted_date_stays_text(tmp_path):
    path = leaflet_file(tmp_path, ('  date: "2026-01-15"', "  date: 2026-01-15"))
    assert leaflet.load(path).leaflet.revision.date == "2026-01-15"


def test_text_of_only_bold_markers_prints_nothing_and_is_an_error():
    src = VALID.replace("  name: Testamol", '  name: "****"')
    with pytest.raises(ContentError) as info:
        leaflet.parse(src, "t.yaml")
    [d] = info.value.diagnostics
    assert d.path == ("medicine", "name") and "prints nothing" in d.message


# -- validate and build share every rule (each of these once said ok, then failed to build) ----

def builds(src: str) -> bytes:
    """validate's checks pass and build makes a PDF (or both raise ContentError)."""
    doc = leaflet.parse(src, "t.yaml")
    leaflet.api.check(doc)
    return leaflet.build_bytes(doc)


def refused(src: str) -> list[Diagnostic]:
    """validate and build both refuse ``src`` with the same diagnostics."""
    with pytest.raises(ContentError) as validated:
        leaflet.api.check(leaflet.parse(src, "t.yaml"))
    with pytest.raises(ContentError) as built:
        leaflet.build_bytes(leaflet.parse(src, "t.yaml"))
    assert validated.value.diagnostics == built.value.diagnostics
    for d in validated.value.diagnostics:
        assert d.code in leaflet.errors.CODES and d.line, str(d)
    return validated.value.diagnostics


@pytest.mark.parametrize("old, new, where", [
    ("      - text: Most people have none.", '      - text: "**Most\\n\\npeople** have none."', "21:15"),
    ("disclaimer: Ask your doctor or pharmacist.", 'disclaimer: "**Ask your doctor\\n\\nor pharmacist.**"', "22:13"),
])
def test_bold_across_a_blank_line_is_refused_by_validate_and_build(old, new, where):
    [d] = refused(VALID.replace(old, new))
    assert d.code == "markup" and f"{d.line}:{d.column}" == where
    assert "across a blank line" in d.message and "'**'" in d.hint


def test_bold_in_each_paragraph_is_fine():
    builds(VALID.replace("      - text: Most people have none.", '      - text: "**Most**\\n\\n**people**"'))


@pytest.mark.parametrize("label", ["'Dose\\'", "'Dose \\'", "'\\\\'", "'**Dose**'", "'a\\*'"])
def test_key_fact_label_ending_in_a_backslash_builds(label, has_poppler, tmp_path):
    pdf = builds(VALID.replace("    - label: Drug class", f"    - label: {label}"))
    out = tmp_path / "x.pdf"
    out.write_bytes(pdf)
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    printed = label.strip("'").replace("**", "").replace("\\*", "*")
    assert printed.strip() in text


@pytest.mark.parametrize("value", ['"\\0"', '"\\u200B"', '"\\uFEFF"', '"\\u2060"', '"\\u00AD"', '"\\u200B\\u2060 "',
                                   '"**\\u200B**"', '"\\0\\0"', '"\\u202E"'])
def test_text_that_prints_nothing_is_empty(value):
    [d] = refused(VALID.replace("  name: Testamol", f"  name: {value}"))
    assert d.code == "empty-text" and d.message == "the text is empty" and (d.line, d.column) == (3, 9), str(d)
    assert "U+" in d.hint


def test_invisible_characters_inside_text_are_kept():
    builds(VALID.replace("      - text: Most people have none.", '      - text: "Most\\u00ADpeople have none."'))


@pytest.mark.parametrize("field, old", [
    ("version", '  version: "1"'), ("name", "  name: Testamol"), ("label", "    - label: Drug class"),
    ("heading", "  - heading: What it is"),
])
def test_tab_or_line_break_in_a_one_line_field_prints_a_space(field, old, tmp_path, has_poppler):
    key = old.split(":")[0]
    pdf = builds(VALID.replace(old, f'{key}: "A1.0\\tbeta\\nB2"'))
    out = tmp_path / "x.pdf"
    out.write_bytes(pdf)
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "A1.0 beta B2" in " ".join(text.split()), text
    assert "1.0beta" not in text and "betaB2" not in text
    from leaflet.check.verify import verify

    assert verify(leaflet.parse(VALID.replace(old, f'{key}: "A1.0\\tbeta\\nB2"'), "t.yaml"), out) == []


@pytest.mark.parametrize("char", ["\\u202A", "\\u202B", "\\u202C", "\\u202D", "\\u202E"])
def test_bidi_overrides_and_embeddings_are_refused(char):
    src = VALID.replace("      - text: Take one tablet.", f'      - text: "Take {char}51\\u202C mg"')
    found = refused(src)
    # each at its escape's backslash: "Take {char}51\u202C mg" (after 14 columns of indent and key, the quote)
    assert all(d.code == "character" and (d.line, d.column) == (18, 21 if f"U+{char[2:]}" in d.message else 29)
               for d in found), found
    assert any(f"U+{char[2:]}" in d.message for d in found), found
    assert "order it is read" in found[0].hint


def test_bidi_override_in_a_note_is_refused_too():
    [d] = refused(VALID.replace("      - text: Take one tablet.", '      - text: Take one tablet.\n        note: "\\u202E"'))
    assert d.code == "character" and d.path == ("sections", 1, "blocks", 0, "note")


@pytest.mark.parametrize("char", ["\\u2066", "\\u2067", "\\u2068", "\\u2069", "\\u200E", "\\u200F", "\\u061C"])
def test_bidi_isolates_and_marks_are_refused_in_a_left_to_right_leaflet(char):
    [d] = refused(VALID.replace("      - text: Take one tablet.", f'      - text: "Take {char}one tablet."'))
    assert d.code == "character" and f"U+{char[2:]}" in d.message and "left-to-right" in d.message
    assert "right-to-left" in d.hint


def test_bidi_marks_are_allowed_in_a_right_to_left_leaflet():
    from leaflet.content import loader, rules, validation

    src = VALID.replace("      - text: Take one tablet.", '      - text: "Take \\u200Fone tablet."')
    source = loader.parse(src, "t.yaml")
    validation.to_model(source, direction="rtl")  # no error
    with pytest.raises(ContentError):
        validation.to_model(source, direction="ltr")
    assert rules.character_problems("a\u202eb", (), "rtl")  # overrides: never


@pytest.mark.parametrize("char", ["\\x07", "\\e", "\\x7F", "\\x85", "\\v", "\\f"])
def test_control_characters_inside_text_are_refused(char):
    [d] = refused(VALID.replace("      - text: Take one tablet.", f'      - text: "Take{char} one tablet."'))
    assert d.code == "character" and "control character" in d.message


def test_lone_surrogate_from_a_python_caller():
    with pytest.raises(ContentError) as info:
        leaflet.parse(VALID.replace("Testamol", "Test\udc80mol"), "t.yaml")
    [d] = info.value.diagnostics
    assert d.code == "input" and (d.line, d.column) == (3, 13) and "U+DC80" in d.message


@pytest.mark.parametrize("language", ["word " * 100, "../../../etc/passwd", "en/../en", "x" * 300])
def test_a_language_that_is_not_a_tag_is_a_clean_error(language):
    with pytest.raises(ContentError) as info:
        leaflet.parse(VALID.replace("language: en", f"language: '{language}'"), "t.yaml")
    [d] = info.value.diagnostics
    assert d.code == "value" and d.path == ("language",)


def test_every_diagnostic_made_in_content_api_and_fonts_has_a_code():
    """Each Diagnostic(...) call passes a code from CODES (a keyword, or the 7th argument)."""
    import ast

    from leaflet.errors import CODES

    package = Path(leaflet.__file__).parent
    files = [*sorted((package / "content").glob("*.py")), *sorted((package / "personal").glob("*.py")),
             package / "api.py", package / "typeset" / "fonts.py"]
    calls = 0
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Diagnostic":
                calls += 1
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                if code is None and len(node.args) >= 7:
                    code = node.args[6]
                where = f"{file.relative_to(package)}:{node.lineno}"
                assert code is not None, f"{where}: Diagnostic without a code"
                if isinstance(code, ast.Constant):
                    assert code.value in CODES, f"{where}: unknown code {code.value!r}"
    assert calls > 30


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.yaml")))
def test_every_corpus_diagnostic_has_a_known_code(name):
    for d in leaflet.validate(BAD / name):
        assert d.code in leaflet.errors.CODES, str(d)


def test_bidi_marks_follow_the_direction_of_the_leaflets_locale(tmp_path):
    """The direction comes from the locale, for validate and build alike: a right-to-left
    locale allows isolates and marks (never overrides); its left-to-right twin refuses them."""
    import json

    from leaflet.resources import DATA

    en = json.loads((DATA / "locales" / "en.json").read_text(encoding="utf-8"))
    (tmp_path / "locales").mkdir()
    for language, direction in (("he", "rtl"), ("fr", "ltr")):
        locale = {**en, "language": language, "direction": direction}
        (tmp_path / "locales" / f"{language}.json").write_text(json.dumps(locale), encoding="utf-8")
    text = VALID.replace("      - text: Take one tablet.", '      - text: "Take \\u2067one\\u2069 \\u200Ftablet."')
    for language, ok in (("he", True), ("fr", False)):
        path = tmp_path / f"{language}.yaml"
        path.write_text(text.replace("language: en", f"language: {language}"), encoding="utf-8")
        found = leaflet.validate(path, locales=[tmp_path / "locales"])
        assert (found == []) is ok, found
        if ok:
            leaflet.build_bytes(leaflet.load(path, locales=[tmp_path / "locales"]))
        else:
            assert {d.code for d in found} == {"character"} and len(found) == 3
    path.write_text(text.replace("language: en", "language: he").replace("\\u2067", "\\u202E"), encoding="utf-8")
    [d] = leaflet.validate(path, locales=[tmp_path / "locales"])
    assert "U+202E" in d.message


def test_a_file_with_thousands_of_problems_reports_the_first_ones_quickly():
    from leaflet.content.validation import MAX_PROBLEMS

    text = "".join(f"key{i}: value\n" for i in range(5000))
    with pytest.raises(ContentError) as info:  # did-you-mean for only the first keys: fast
        leaflet.parse(text, "t.yaml")
    found = info.value.diagnostics
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1].message.startswith("… and ") and found[-1].code in leaflet.errors.CODES
    assert all(d.code for d in found)


@pytest.mark.parametrize("written, line, column", [
    ("Take \u202e51 mg", 18, 20),              # plain, on one line: the character's own column
    ("'Take \u202e51 mg'", 18, 21),            # single-quoted: after the quote
    ('"Take \u202e51 mg"', 18, 21),            # double-quoted without escapes
    ('"Take \\u202e51 mg"', 18, 21),          # an escape: its backslash
    ("'It''s \u202e51 mg'", 18, 22),           # '' is one quote in the text, two characters in the file
    ("|\n          Take \u202e51 mg", 19, 16),  # a block text: on its own line
    ("Take one\n          and \u202e51 mg", 19, 15),  # a plain text over two lines
])
def test_a_refused_character_is_pointed_at_where_it_can_be(written, line, column):
    [d] = refused(VALID.replace("      - text: Take one tablet.", f"      - text: {written}"))
    assert (d.line, d.column) == (line, column), str(d)


@pytest.mark.parametrize("value", ["two", "'٣'", "３", "'2 '"])
def test_a_word_where_a_number_of_columns_is_expected(value):
    [d] = refused(VALID.replace("      - text: Take one tablet.", f"      - bullets: [a, b]\n        columns: {value}"))
    assert d.code == "value" and "is not one of: 1, 2, 3" in d.message and d.path[-1] == "columns"


def test_a_utf16_file_says_so(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes(VALID.encode("utf-16"))
    [d] = leaflet.validate(path)
    assert d.code == "input" and (d.line, d.column) == (1, 1) and "UTF-16" in d.hint


def test_scalars_converts_only_columns_and_options_and_copies_only_what_changes():
    from leaflet.content.validation import scalars

    data = {"sections": [{"blocks": [{"bullets": ["a"], "columns": "2"}, {"text": "3"}]}],
            "options": {"contents": "true"}, "medicine": {"name": "12"}}
    out = scalars(data)
    assert out == {"sections": [{"blocks": [{"bullets": ["a"], "columns": 2}, {"text": "3"}]}],
                   "options": {"contents": True}, "medicine": {"name": "12"}}
    assert data["sections"][0]["blocks"][0]["columns"] == "2" and data["options"]["contents"] == "true"
    assert out["medicine"] is data["medicine"] and out["sections"][0]["blocks"][1] is data["sections"][0]["blocks"][1]
    plain = {"sections": [{"heading": "h", "blocks": [{"text": "t"}]}]}
    assert scalars(plain) is plain  # nothing to convert: no copy of the tree


def test_prints_something_sees_through_invisible_characters():
    from leaflet.content.rules import prints_something

    assert prints_something("a") and prints_something("\u200b!") and prints_something("é") and prints_something("日")
    assert not prints_something("\u200b\u2800 \ufe0f\u3164")


EXACT_COLUMNS = """\
language: en
medicine:
  name: Testamol
revision:
  date: "2026-11-23"
sections:
  - id: dose
    heading: Dose
    blocks:
      - text: See the section [[dosse]] for more.
      - text: This text runs over
          two lines, and [[dosee]] is on the second.
      - text: "A quoted text with an escape \\u00e9 and a bad
          one: Take \\u202e51\\u202c mg"
      - text: >
          Folded text over lines
          with a bad [[nope]] here.
      - text: |
          A literal block
          with a bad [[nada]] here.
"""


def test_errors_point_at_the_reference_or_character_on_its_own_line_and_column():
    """A reference error points at its '[['; a bad character at itself (the backslash of its
    escape), also in a text over several lines (plain, quoted, folded, literal)."""
    with pytest.raises(leaflet.ContentError) as info:
        leaflet.parse(EXACT_COLUMNS, "cols.yaml")
    places = sorted((d.line, d.column, d.code) for d in info.value.diagnostics)
    assert places == [(10, 31, "reference"), (12, 26, "reference"), (14, 21, "character"), (14, 29, "character"),
                      (17, 22, "reference"), (20, 22, "reference")], places
    lines = EXACT_COLUMNS.splitlines()
    for line, column, code in places:
        assert lines[line - 1][column - 1:].startswith("[[" if code == "reference" else "\\u202")
