"""Content rules beyond types, each written once.

validate and build both run these (through :func:`leaflet.content.validation.to_model`),
on the loaded data, so that they are found even when other parts of the file are invalid.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

from ..errors import Diagnostic, Path
from ..text.inline import parse_inline
from .model import BLOCK_KINDS, Block, Leaflet, is_set


def block_problem(instance: Any, path: Path) -> Diagnostic:
    if not isinstance(instance, dict):
        return Diagnostic(f"expected a block (a mapping), found {describe(instance)}", path,
                          "a block looks like '- text: …' or '- bullets: …'; a bare '-' is an empty block")
    kinds = [k for k in BLOCK_KINDS if k in instance]
    if len(kinds) > 1:
        return Diagnostic(
            "a block holds exactly one kind of content, found " + " and ".join(f"'{k}'" for k in kinds), path,
            "split it into one block per kind, each starting with '- '")
    return Diagnostic("the block has no content kind", path, "a block holds one of: " + ", ".join(BLOCK_KINDS))


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
                             "e.g. action: Get medical help right away if you have any of these:")
        pr = block.precaution
        if is_set(pr) and not is_set(pr.text) and not is_set(pr.items):
            yield Diagnostic("a precaution needs 'text' or 'items' (or both)", path + (i, "precaution"))


def model_rule_problems(leaflet: Leaflet) -> list[Diagnostic]:
    """Rules the fast path (msgspec) does not check but the JSON Schema states."""
    problems: list[Diagnostic] = []
    if is_set(leaflet.intro):
        problems.extend(_block_rules(leaflet.intro, ("intro",)))
    for s, section in enumerate(leaflet.sections):
        problems.extend(_block_rules(section.blocks, ("sections", s, "blocks")))
    return problems


_NOT_TEXT = {"note", "notes", "language", "date", "severity", "status"}


def data_rule_problems(data: Any, path: Path = ()) -> list[Diagnostic]:
    """Rules beyond types, checked on the loaded data so that they are found even when
    other parts of the file are invalid: paired ``**`` in every text, table row widths."""
    problems: list[Diagnostic] = []
    if isinstance(data, str):
        try:
            runs = parse_inline(data)
        except ValueError as exc:
            problems.append(Diagnostic(
                str(exc), path, "close the bold text with another '**', or write '\\*' for a literal asterisk"))
        else:
            if data.strip() and not "".join(run for run, _ in runs).strip():
                problems.append(Diagnostic("the text prints nothing (only bold markers)", path,
                                           "write the text between the '**' markers"))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            problems.extend(data_rule_problems(item, path + (i,)))
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in _NOT_TEXT:
                problems.extend(data_rule_problems(value, path + (key,)))
        table = data.get("table")
        if isinstance(table, dict) and isinstance(table.get("rows"), list) and table["rows"]:
            rows, header = table["rows"], table.get("header")
            width = len(header) if isinstance(header, list) else len(rows[0]) if isinstance(rows[0], list) else 0
            for r, row in enumerate(rows):
                if isinstance(row, list) and width and len(row) != width:
                    cells = f"{len(row)} cell{'s' if len(row) != 1 else ''}"
                    problems.append(Diagnostic(f"row has {cells}, the table has {width} columns",
                                               path + ("table", "rows", r), "give every row the same number of cells"))
    return problems
