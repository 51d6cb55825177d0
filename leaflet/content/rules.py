"""Content rules beyond types, each written once.

validate and build both run these (through :func:`leaflet.content.validation.to_model`),
on the loaded data, so that they are found even when other parts of the file are invalid.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import msgspec

from ..errors import Diagnostic, Path
from ..text.inline import paragraphs, parse_inline
from .model import BLOCK_KINDS, Block, Leaflet, is_set


def block_problem(instance: Any, path: Path) -> Diagnostic:
    if not isinstance(instance, dict):
        return Diagnostic(f"expected a block (a mapping), found {describe(instance)}", path,
                          "a block looks like '- text: …' or '- bullets: …'; a bare '-' is an empty block",
                          code="block")
    kinds = [k for k in BLOCK_KINDS if k in instance]
    if len(kinds) > 1:
        return Diagnostic(
            "a block holds exactly one kind of content, found " + " and ".join(f"'{k}'" for k in kinds), path,
            "split it into one block per kind, each starting with '- '", code="block")
    return Diagnostic("the block has no content kind", path, "a block holds one of: " + ", ".join(BLOCK_KINDS),
                      code="block")


def describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return type(value).__name__


def _block_rules(blocks: list[Block], path: Path) -> Iterable[Diagnostic]:
    for i, block in enumerate(blocks):
        kinds = [k for k in BLOCK_KINDS if getattr(block, k) is not msgspec.UNSET]
        if len(kinds) > 1 or (not kinds and not is_set(block.note)):
            yield block_problem({k: 1 for k in kinds}, path + (i,))
        se = block.side_effects
        if is_set(se) and se.severity == "serious" and not is_set(se.action):
            yield Diagnostic("a serious side-effect callout needs 'action': what to do now",
                             path + (i, "side_effects"),
                             "e.g. action: Get medical help right away if you have any of these:",
                             code="missing-field")
        pr = block.precaution
        if is_set(pr) and not is_set(pr.text) and not is_set(pr.items):
            yield Diagnostic("a precaution needs 'text' or 'items' (or both)", path + (i, "precaution"),
                             code="missing-field")


def model_rule_problems(leaflet: Leaflet) -> list[Diagnostic]:
    """Rules the fast path (msgspec) does not check but the JSON Schema states."""
    problems: list[Diagnostic] = []
    if is_set(leaflet.intro):
        problems.extend(_block_rules(leaflet.intro, ("intro",)))
    for s, section in enumerate(leaflet.sections):
        problems.extend(_block_rules(section.blocks, ("sections", s, "blocks")))
    return problems


_NOT_TEXT = {"note", "notes", "language", "date", "severity", "status"}

# Characters a leaflet may not hold: controls other than tab and line breaks (a YAML escape
# such as "\0" or "\e" can write them), lone surrogates, and the bidirectional overrides and
# embeddings, which make text show in another order than it is read ("Take \u202e51\u202c mg"
# shows as "Take 15 mg").
_REFUSED = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e]")
# Bidirectional isolates and marks: right-to-left text needs them; a left-to-right leaflet does not,
# and there they only hide a change of reading order.
_BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u2066-\u2069]")
_ANY_REFUSED = re.compile(f"{_REFUSED.pattern}|{_BIDI_MARKS.pattern}")
# Characters that print nothing, besides controls (C*) and spaces (Z*).
_BLANK = set("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0") | {
    chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0000, 0xE1000))}


def _shown(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def prints_something(text: str) -> bool:
    """Does ``text`` (markup removed) draw anything: a character that is not a control,
    a format character (zero-width space, word joiner, soft hyphen …), a space or a blank?"""
    return any(unicodedata.category(ch)[0] not in "CZ" and ch not in _BLANK for ch in text)


def character_problems(text: str, path: Path, direction: str = "ltr") -> list[Diagnostic]:
    """Controls, surrogates and bidirectional controls in ``text`` (one diagnostic per kind of character)."""
    if not _ANY_REFUSED.search(text):  # the common case: one scan
        return []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for match in _REFUSED.finditer(text):
        ch = match.group()
        if ch in seen:
            continue
        seen.add(ch)
        where = f"character {match.start() + 1} of the text"
        if 0x202A <= ord(ch) <= 0x202E:
            problems.append(Diagnostic(
                f"{where} is {_shown(ch)}, a bidirectional control that changes the order in which "
                "the text is shown (a dose can read differently: '51' shown as '15')", path,
                "remove it, and write the text in the order it is read; it is invisible in most editors "
                "(delete and retype the text around it)", code="character"))
        else:
            problems.append(Diagnostic(
                f"{where} is the control character {_shown(ch)}, which a leaflet cannot print", path,
                "remove it (a YAML escape such as \"\\0\" or \"\\e\" writes one); "
                "use a line break or a blank line to break lines", code="character"))
    if direction != "rtl":
        for match in _BIDI_MARKS.finditer(text):
            ch = match.group()
            if ch in seen:
                continue
            seen.add(ch)
            problems.append(Diagnostic(
                f"character {match.start() + 1} of the text is {_shown(ch)}, a bidirectional mark; "
                "in a left-to-right leaflet it only hides a change of reading order", path,
                "remove it (it is invisible in most editors); right-to-left leaflets (such as ar, he) "
                "may use isolates and marks", code="character"))
    return problems


def text_problems(text: str, path: Path, direction: str = "ltr") -> list[Diagnostic]:
    """The rules every printed text follows, as the layout prints it: it prints something,
    holds no refused characters, and each paragraph (a blank line starts one) pairs its ``**``."""
    if not text.strip():
        return []  # blank: the schema reports "the text is empty"
    if not prints_something(text):
        return [_empty(text, path)]
    problems = character_problems(text, path, direction)
    if "*" not in text:  # no markup: it prints as written, and prints something (checked above)
        return problems
    printed: list[str] = []
    for paragraph in paragraphs(text):
        try:
            runs = parse_inline(paragraph)
        except ValueError as exc:
            message = str(exc)
            if parse_inline_ok(text):  # paired in the whole text, not within its paragraphs
                message = "bold text ('**') goes on across a blank line; bold ends with its paragraph"
            else:
                try:
                    parse_inline(text)
                except ValueError as whole:
                    message = str(whole)  # the character counts in the text as written
            problems.append(Diagnostic(
                message, path,
                "close the bold text with another '**' in the same paragraph, "
                "or write '\\*' for a literal asterisk", code="markup"))
            return problems
        printed.extend(run for run, _ in runs)
    if not prints_something("".join(printed)):
        if "".join(printed).strip():
            problems.append(_empty(text, path))
        else:
            problems.append(Diagnostic("the text prints nothing (only bold markers)", path,
                                       "write the text between the '**' markers", code="markup"))
    return problems


def _empty(text: str, path: Path) -> Diagnostic:
    invisible = sorted({ch for ch in text if not ch.isspace() and ch != "*"})
    shown = ", ".join(f"U+{ord(ch):04X}" for ch in invisible[:5])
    return Diagnostic("the text is empty", path,
                      f"it holds only characters that print nothing ({shown}): write the text, or remove the key",
                      code="empty-text")


def parse_inline_ok(text: str) -> bool:
    try:
        parse_inline(text)
    except ValueError:
        return False
    return True


def data_rule_problems(data: Any, path: Path = (), direction: str = "ltr") -> list[Diagnostic]:
    """Rules beyond types, checked on the loaded data so that they are found even when
    other parts of the file are invalid: the characters and markup of every text, table row widths."""
    problems: list[Diagnostic] = []
    if isinstance(data, str):
        problems.extend(text_problems(data, path, direction))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            problems.extend(data_rule_problems(item, path + (i,), direction))
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in _NOT_TEXT:
                problems.extend(data_rule_problems(value, path + (key,), direction))
            elif isinstance(value, str):  # notes, dates, the language: no markup, but no hidden controls
                problems.extend(character_problems(value, path + (key,), direction))
            elif isinstance(value, list):
                problems.extend(p for i, v in enumerate(value) if isinstance(v, str)
                                for p in character_problems(v, path + (key, i), direction))
        table = data.get("table")
        if isinstance(table, dict) and isinstance(table.get("rows"), list) and table["rows"]:
            rows, header = table["rows"], table.get("header")
            width = len(header) if isinstance(header, list) else len(rows[0]) if isinstance(rows[0], list) else 0
            for r, row in enumerate(rows):
                if isinstance(row, list) and width and len(row) != width:
                    cells = f"{len(row)} cell{'s' if len(row) != 1 else ''}"
                    problems.append(Diagnostic(f"row has {cells}, the table has {width} columns",
                                               path + ("table", "rows", r), "give every row the same number of cells",
                                               code="table"))
    return problems
