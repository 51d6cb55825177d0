"""Check loaded data against the leaflet format and turn it into the model.

Valid files (the common case) take the fast path: msgspec converts the data
into :mod:`leaflet.model` classes in well under a millisecond. When that fails,
the same data is checked against the JSON Schema derived from the same model
with ``jsonschema``, which finds *every* problem at once; each is reported
with its file:line:col, its field path and a hint ("did you mean …?").
Rules beyond types (one kind per block, paired ``**``, table widths) are
checked too, and problems the loader found (duplicate keys, tags, aliases) are
reported together with all of these: one run lists everything wrong in a file.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import msgspec

from .diagnostics import ContentError, Diagnostic, Path
from .loader import Source
from .model import BLOCK_KINDS, Block, Leaflet, is_set
from .texts import parse_inline

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "null": "nothing (an empty value)",
    "integer": "a number",
    "number": "a number",
    "boolean": "true or false",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return type(value).__name__


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib

    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed here: " + ", ".join(choices)


def to_model(source: Source) -> Leaflet:
    """Validate ``source``; return the model or raise ContentError with every problem."""
    problems: list[Diagnostic] = []
    try:
        leaflet = msgspec.convert(source.data, Leaflet, strict=True)
    except msgspec.ValidationError as exc:
        leaflet = None
        problems = schema_problems(source.data) or [_from_msgspec(exc)]
    if leaflet is not None:
        problems.extend(model_rule_problems(leaflet))
    problems.extend(data_rule_problems(source.data))
    if not problems and not source.problems:
        return leaflet  # type: ignore[return-value]
    # a value the loader already refused (an alias, a tagged value) is not reported twice
    refused = [p.path for p in source.problems if p.path]
    problems = [p for p in problems if not any(p.path[: len(r)] == r for r in refused)]
    placed = [source.map.place(p, key=p.message.startswith(("unknown key", "missing required"))) for p in problems]
    placed.extend(source.problems)
    raise ContentError(sorted(placed, key=lambda d: (d.line == 0, d.line, d.column)))


def _from_msgspec(exc: msgspec.ValidationError) -> Diagnostic:
    message = str(exc)
    path: Path = ()
    m = re.search(r" - at `\$(.*)`$", message)
    if m:
        message = message[: m.start()]
        path = tuple(int(p) if p.isdigit() else p for p in re.findall(r"\w+", m.group(1)))
    return Diagnostic(message, path)


# -- every problem at once, from the JSON Schema ---------------------------

def schema_problems(data: Any) -> list[Diagnostic]:
    import jsonschema  # only needed when a file has problems

    from .schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    found: list[Diagnostic] = []
    for error in validator.iter_errors(data):
        found.extend(_translate(error))
    unique = {(d.path, d.message): d for d in found}
    return list(unique.values())


def _translate(error: Any) -> list[Diagnostic]:
    path: Path = tuple(error.absolute_path)
    schema = error.schema
    kind = error.validator
    if kind == "additionalProperties":
        allowed = schema.get("properties", {})
        return [
            Diagnostic(f"unknown key '{key}'", path + (key,), _did_you_mean(key, allowed))
            for key in error.instance if key not in allowed
        ]
    if kind == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        name = missing.group(1) if missing else str(error.validator_value)
        if name == "action":
            return [Diagnostic(
                "a serious side-effect callout needs 'action': what to do now", path,
                "e.g. action: Get medical help right away if you have any of these:")]
        import difflib

        strays = [k for k in error.instance if k not in schema.get("properties", {})]
        close = difflib.get_close_matches(name, strays, 1, 0.6)
        hint = f"is '{close[0]}' a misspelling of it?" if close else ""
        return [Diagnostic(f"missing required field '{name}'", path, hint)]
    if kind == "type" and schema.get("title") == "Block":
        return [_block_problem(error.instance, path)]
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        hint = ""
        if error.instance is None:
            hint = "this field is empty: write its value after the colon, or remove the key"
        elif "string" in expected and isinstance(error.instance, dict):
            hint = "text that contains ': ' must be put in quotes"
        elif "string" in expected and isinstance(error.instance, list):
            hint = "write one text here, not a list (text that starts with '- ' or '[' must be put in quotes)"
        return [Diagnostic(f"expected {words}, found {_describe(error.instance)}", path, hint)]
    if kind in ("minLength", "pattern") and isinstance(error.instance, str):
        if "YYYY" in schema.get("description", ""):
            return [Diagnostic(f"'{error.instance}' is not a date written YYYY-MM-DD (or YYYY-MM)", path,
                               "e.g. 2026-11-23 (quote it: \"2026-11-23\")")]
        if "BCP 47" in schema.get("description", ""):
            return [Diagnostic(f"'{error.instance}' is not a language tag", path,
                               "use a BCP 47 tag such as en, en-GB, es, ar, uk, ja")]
        return [Diagnostic("the text is empty", path, "write the text, or remove the key")]
    if kind == "minItems":
        return [Diagnostic(f"needs at least {error.validator_value} item(s), found {len(error.instance)}", path)]
    if kind == "maxItems":
        return [Diagnostic(f"allows at most {error.validator_value} items, found {len(error.instance)}", path)]
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        word = error.instance if isinstance(error.instance, str) else _describe(error.instance)
        hint = _did_you_mean(word, options) if isinstance(error.instance, str) else ""
        return [Diagnostic(f"'{word}' is not one of: {', '.join(map(str, options))}", path, hint)]
    if kind == "oneOf" and schema.get("title") == "Block":
        if not isinstance(error.instance, dict):
            return []  # reported by the type check
        if any(k not in schema["properties"] for k in error.instance):
            return []  # an unknown key: reported on its own, with a did-you-mean
        return [_block_problem(error.instance, path)]
    if kind == "anyOf" and "required" in str(error.validator_value):  # precaution
        return [Diagnostic("a precaution needs 'text' or 'items' (or both)", path)]
    if kind == "anyOf" and isinstance(error.instance, str):
        # a list item that is text, but empty or blank
        nested = [e for e in error.context if e.validator in ("minLength", "pattern")]
        if nested:
            return _translate(nested[0])
    if kind == "anyOf" and isinstance(error.instance, dict):
        # a list item that is a mapping: report what is wrong inside it
        nested = [e for e in error.context if e.validator != "type"]
        out: list[Diagnostic] = []
        for sub in nested:
            out.extend(_translate(sub))
        if out:
            return out
    if kind == "anyOf":
        return [Diagnostic(f"expected text, or a mapping with 'text' and 'items'; found {_describe(error.instance)}",
                           path)]
    if kind in ("minProperties",):
        return [Diagnostic("the block is empty", path, "a block holds one of: " + ", ".join(BLOCK_KINDS))]
    return [Diagnostic(error.message, path)]


def _block_problem(instance: Any, path: Path) -> Diagnostic:
    if not isinstance(instance, dict):
        return Diagnostic(f"expected a block (a mapping), found {_describe(instance)}", path,
                          "a block looks like '- text: …' or '- bullets: …'; a bare '-' is an empty block")
    kinds = [k for k in BLOCK_KINDS if k in instance]
    if len(kinds) > 1:
        return Diagnostic(
            "a block holds exactly one kind of content, found " + " and ".join(f"'{k}'" for k in kinds), path,
            "split it into one block per kind, each starting with '- '")
    return Diagnostic("the block has no content kind", path, "a block holds one of: " + ", ".join(BLOCK_KINDS))


# -- rules beyond types --------------------------------------------------

def _block_rules(blocks: list[Block], path: Path) -> Iterable[Diagnostic]:
    for i, block in enumerate(blocks):
        kinds = [k for k in BLOCK_KINDS if getattr(block, k) is not msgspec.UNSET]
        if len(kinds) > 1 or (not kinds and not is_set(block.note)):
            yield _block_problem({k: 1 for k in kinds}, path + (i,))
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
