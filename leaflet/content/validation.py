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
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec

from ..errors import ContentError, Diagnostic, Path
from .loader import Source
from .model import BLOCK_KINDS, SECTION_ID_RULE, Leaflet
from .rules import block_problem, data_rule_problems, describe, model_rule_problems

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "null": "nothing (an empty value)",
    "integer": "a number",
    "number": "a number",
    "boolean": "true or false",
}


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib

    choices = sorted(map(str, choices))  # an enum may be numbers (columns: 1, 2, 3)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed here: " + ", ".join(choices)


_BOOLEANS = {"true": True, "false": False}


def scalars(data: Any, key: str = "") -> Any:
    """The loader keeps every scalar as the text written; the few fields that are numbers or
    true/false get theirs here: ``columns: 2`` and ``options: {contents: true}``. Anything else
    stays text, and the schema then says what the field takes."""
    if isinstance(data, dict):
        out: dict[str, Any] | None = None  # a copy only where something changes: most of a file never does
        for k, v in data.items():
            if k == "columns" and isinstance(v, str) and v.isascii() and v.isdigit():
                new: Any = int(v)
            elif k == "options" and isinstance(v, dict):
                new = {ok: _BOOLEANS.get(ov, ov) if isinstance(ov, str) else ov for ok, ov in v.items()}
            elif isinstance(v, (dict, list)):
                new = scalars(v, k)
            else:
                continue
            if new is not v:
                if out is None:
                    out = dict(data)
                out[k] = new
        return data if out is None else out
    if isinstance(data, list):
        changed = None
        for i, v in enumerate(data):
            if isinstance(v, (dict, list)):
                new = scalars(v)
                if new is not v:
                    if changed is None:
                        changed = list(data)
                    changed[i] = new
        return data if changed is None else changed
    return data


# keys whose values never print as written: settings, ids and notes to translators
NOT_PRINTED = frozenset({"language", "status", "severity", "frequency", "columns", "id", "options", "note", "notes",
                         "author", "translation"})


def printed_values(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every text value of loaded data (not yet checked against the format) that prints, with its
    path: for the glyph check of a file whose model cannot be built for other problems."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k not in NOT_PRINTED:
                yield from printed_values(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from printed_values(v, (*path, i))
    elif isinstance(data, str):
        yield path, data


MAX_PROBLEMS = 200  # reported per file; a file that is not a leaflet can have thousands


def to_model(source: Source, *, direction: str = "ltr") -> Leaflet:
    """Validate ``source``; return the model or raise ContentError with every problem.

    ``direction`` ("ltr" or "rtl", the direction of the leaflet's language) decides whether
    bidirectional isolates and marks are allowed; overrides and embeddings never are."""
    problems: list[Diagnostic] = []
    data = scalars(source.data)
    try:
        leaflet = msgspec.convert(data, Leaflet, strict=True)
    except msgspec.ValidationError as exc:
        leaflet = None
        problems = schema_problems(data) or [_from_msgspec(exc)]
    if leaflet is not None:
        problems.extend(model_rule_problems(leaflet))
    problems.extend(data_rule_problems(data, direction=direction))
    if not problems and not source.problems:
        return leaflet  # type: ignore[return-value]
    # a value the loader already refused (an alias, a tagged value) is not reported twice
    refused = [p.path for p in source.problems if p.path]
    problems = [p for p in problems if not any(p.path[: len(r)] == r for r in refused)]
    placed = [source.map.place(p, key=p.message.startswith(("unknown key", "missing required"))) for p in problems]
    placed.extend(source.problems)
    placed.sort(key=lambda d: (d.line == 0, d.line, d.column))
    if len(placed) > MAX_PROBLEMS:  # a file that is not a leaflet at all: the first ones say enough
        more = len(placed) - MAX_PROBLEMS
        placed = [*placed[:MAX_PROBLEMS], Diagnostic(
            f"… and {more} more problems", (), "fix these first, or check that this is a leaflet file",
            source.file, 0, 0, code=placed[MAX_PROBLEMS].code)]
    raise ContentError(placed)


def _from_msgspec(exc: msgspec.ValidationError) -> Diagnostic:
    message = str(exc)
    path: Path = ()
    m = re.search(r" - at `\$(.*)`$", message)
    if m:
        message = message[: m.start()]
        path = tuple(int(p) if p.isdigit() else p for p in re.findall(r"\w+", m.group(1)))
    return Diagnostic(message, path, code="type")


_COLUMNS_HINT = ("'columns' goes on a whole list, beside 'bullets' or 'numbered' in a block (or on a callout's "
                 "'items' part); a list item or a nested list cannot be in columns: remove it here")


def _section_id_problem(sid: str, path: Path) -> Diagnostic:
    """A section id the pattern refuses: the rule, and the id written as it may be."""
    import unicodedata

    what = "the id is empty" if not sid.strip() else f"'{sid}' is not a section id"
    ascii_id = unicodedata.normalize("NFKD", sid).encode("ascii", "ignore").decode("ascii")
    suggestion = re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_id).strip("-_.")
    if suggestion and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", suggestion):
        hint = f"write it as '{suggestion}' (and refer to it as [[{suggestion}]])"
    else:
        hint = "e.g. id: side-effects (and refer to it as [[side-effects]])"
    return Diagnostic(f"{what}: {SECTION_ID_RULE}", path, hint, code="value")


# -- every problem at once, from the JSON Schema ---------------------------

def schema_problems(data: Any, schema: dict[str, Any] | None = None,
                    special: Any = None) -> list[Diagnostic]:
    """Every problem of ``data`` against ``schema`` (default: the leaflet format's), in leaflet's
    words; ``special(error)``, when given, words an error its own way first (a list, or [] to
    leave it to the general rules)."""
    import jsonschema  # only needed when a file has problems

    from .schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema() if schema is None else schema)
    found: list[Diagnostic] = []
    for error in validator.iter_errors(data):
        found.extend((special(error) if special is not None else []) or _translate(error))
    unique = {(d.path, d.message): d for d in found}
    return list(unique.values())


def _translate(error: Any) -> list[Diagnostic]:
    from .schema import RULE

    path: Path = tuple(error.absolute_path)
    schema = error.schema
    kind = error.validator
    if isinstance(schema, dict) and schema.get("$comment") == RULE:
        return []  # a content rule: leaflet.content.rules reports it, in its own words
    if kind == "additionalProperties":
        allowed = schema.get("properties", {})
        unknown = [key for key in error.instance if key not in allowed]
        found = [
            Diagnostic(f"unknown key '{key}'", path + (key,),
                       _COLUMNS_HINT if key == "columns" else _did_you_mean(key, allowed), code="unknown-key")
            for key in unknown[:MAX_PROBLEMS]
        ]
        if len(unknown) > MAX_PROBLEMS:
            found.append(Diagnostic(f"… and {len(unknown) - MAX_PROBLEMS} more unknown keys here", path,
                                    "is this a leaflet file?", code="unknown-key"))
        return found
    if kind == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        name = missing.group(1) if missing else str(error.validator_value)
        import difflib

        strays = [k for k in error.instance if k not in schema.get("properties", {})][:MAX_PROBLEMS]
        close = difflib.get_close_matches(name, strays, 1, 0.6)
        hint = f"is '{close[0]}' a misspelling of it?" if close else ""
        return [Diagnostic(f"missing required field '{name}'", path, hint, code="missing-field")]
    if kind == "type" and schema.get("title") == "Block":
        return [block_problem(error.instance, path)]
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected)
        hint = ""
        if error.instance is None:
            hint = "this field is empty: write its value after the colon, or remove the key"
        elif "string" in expected and isinstance(error.instance, dict):
            hint = "text that contains ': ' must be put in quotes"
        elif "string" in expected and isinstance(error.instance, list):
            hint = "write one text here, not a list (text that starts with '- ' or '[' must be put in quotes)"
        elif "array" in expected and isinstance(error.instance, str):
            hint = "write a list, even of one: each entry on its own line starting with '- ', or [\"…\", \"…\"]"
        elif "boolean" in expected and isinstance(error.instance, str):
            hint = f"write true or false (not '{error.instance}')"
        return [Diagnostic(f"expected {words}, found {describe(error.instance)}", path, hint, code="type")]
    if kind in ("minLength", "pattern") and isinstance(error.instance, str):
        if "YYYY" in schema.get("description", ""):
            return [Diagnostic(f"'{error.instance}' is not a date written YYYY-MM-DD (or YYYY-MM)", path,
                               "e.g. 2026-11-23 (quote it: \"2026-11-23\")", code="value")]
        if "BCP 47" in schema.get("description", ""):
            return [Diagnostic(f"'{error.instance}' is not a language tag", path,
                               "use a BCP 47 tag such as en, en-GB, es, ar, uk, ja", code="value")]
        if len(path) == 3 and path[0] == "sections" and path[2] == "id":
            return [_section_id_problem(error.instance, path)]
        return [Diagnostic("the text is empty", path, "write the text, or remove the key", code="empty-text")]
    if kind == "minItems":
        return [Diagnostic(f"needs at least {error.validator_value} item(s), found {len(error.instance)}", path,
                           code="value")]
    if kind == "maxItems":
        return [Diagnostic(f"allows at most {error.validator_value} items, found {len(error.instance)}", path,
                           code="value")]
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        word = error.instance if isinstance(error.instance, str) else str(error.instance) if isinstance(
            error.instance, int) and not isinstance(error.instance, bool) else describe(error.instance)
        hint = _did_you_mean(word, options) if isinstance(error.instance, str) else ""
        return [Diagnostic(f"'{word}' is not one of: {', '.join(map(str, options))}", path, hint, code="value")]
    if kind == "oneOf" and schema.get("title") == "Block":
        if not isinstance(error.instance, dict):
            return []  # reported by the type check
        if any(k not in schema["properties"] for k in error.instance):
            return []  # an unknown key: reported on its own, with a did-you-mean
        return [block_problem(error.instance, path)]
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
        return [Diagnostic(f"expected text, or a mapping with 'text' and 'items'; found {describe(error.instance)}",
                           path, code="type")]
    if kind in ("minProperties",):
        return [Diagnostic("the block is empty", path, "a block holds one of: " + ", ".join(BLOCK_KINDS),
                           code="block")]
    return [Diagnostic(error.message, path, code="value")]
