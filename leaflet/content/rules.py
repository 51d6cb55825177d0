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
from ..text.inline import paragraphs, parse_inline, references
from ..text.uri import url_problem
from .model import BLOCK_KINDS, PART_KINDS, PRECAUTION_PART_KINDS, Block, Leaflet, is_set

SERIOUS_NEEDS_ACTION = "a serious side-effect callout needs 'action': what to do now"
_KEYED_PARTS = ("intro", "action", "items", "closing")


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


def model_rule_problems(leaflet: Leaflet) -> list[Diagnostic]:
    """Rules the fast path (msgspec) does not check but the JSON Schema states."""
    problems: list[Diagnostic] = []
    if is_set(leaflet.intro):
        problems.extend(_block_rules(leaflet.intro, ("intro",)))
    for s, section in enumerate(leaflet.sections):
        problems.extend(_block_rules(section.blocks, ("sections", s, "blocks")))
    return problems


_NOT_TEXT = {"note", "notes", "language", "date", "severity", "status", "frequency", "id", "columns", "options",
             "translation", "digital_url"}

# Characters a leaflet may not hold: controls other than tab and line breaks (a YAML escape
# such as "\0" or "\e" can write them), lone surrogates, and the bidirectional overrides and
# embeddings, which make text show in another order than it is read ("Take \u202e51\u202c mg"
# shows as "Take 15 mg").
_REFUSED = "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e]"
# Bidirectional isolates and marks: right-to-left text needs them; a left-to-right leaflet does not,
# and there they only hide a change of reading order.
_BIDI_MARKS = "[\u061c\u200e\u200f\u2066-\u2069]"
# Both, as one class: the one scan of every text. The two above are compiled only when it finds
# something (a class of a few thousand characters costs millions of instructions to compile).
_ANY_REFUSED = re.compile(f"{_REFUSED[:-1]}{_BIDI_MARKS[1:-1]}]")
# Characters that print nothing, besides controls (C*) and spaces (Z*).
_BLANK = set("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0") | {
    chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0000, 0xE1000))}


def _shown(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def prints_something(text: str) -> bool:
    """Does ``text`` (markup removed) draw anything: a character that is not a control,
    a format character (zero-width space, word joiner, soft hyphen …), a space or a blank?"""
    if _ASCII_VISIBLE.search(text):  # the common case: one scan in C (ASCII '!'-'~' are letters, digits, signs)
        return True
    return any(unicodedata.category(ch)[0] not in "CZ" and ch not in _BLANK for ch in text)


_ASCII_VISIBLE = re.compile(r"[!-~]")


def character_problems(text: str, path: Path, direction: str = "ltr") -> list[Diagnostic]:
    """Controls, surrogates and bidirectional controls in ``text`` (one diagnostic per kind of character).

    Each diagnostic's column is the character's place in the text (1-based): placing it in the
    file (:meth:`SourceMap.place`) turns that into the character's column where it can."""
    if not _ANY_REFUSED.search(text):  # the common case: one scan
        return []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for match in re.finditer(_REFUSED, text):
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
                "(delete and retype the text around it)", column=match.start() + 1, code="character"))
        else:
            problems.append(Diagnostic(
                f"{where} is the control character {_shown(ch)}, which a leaflet cannot print", path,
                "remove it (a YAML escape such as \"\\0\" or \"\\e\" writes one); "
                "use a line break or a blank line to break lines", column=match.start() + 1, code="character"))
    if direction != "rtl":
        for match in re.finditer(_BIDI_MARKS, text):
            ch = match.group()
            if ch in seen:
                continue
            seen.add(ch)
            problems.append(Diagnostic(
                f"character {match.start() + 1} of the text is {_shown(ch)}, a bidirectional mark; "
                "in a left-to-right leaflet it only hides a change of reading order", path,
                "remove it (it is invisible in most editors); right-to-left leaflets (such as ar, he) "
                "may use isolates and marks", column=match.start() + 1, code="character"))
    return problems


def text_problems(text: str, path: Path, direction: str = "ltr") -> list[Diagnostic]:
    """The rules every printed text follows, as the layout prints it: it prints something,
    holds no refused characters, and each paragraph (a blank line starts one) pairs its ``**``."""
    if not text.strip():
        return []  # blank: the schema reports "the text is empty"
    if not prints_something(text):
        return [_empty(text, path)]
    problems = character_problems(text, path, direction)
    if "*" not in text and "[[" not in text:  # no markup: it prints as written, and prints something
        return problems
    printed: list[str] = []
    for paragraph in paragraphs(text):
        try:
            runs = parse_inline(paragraph)
        except ValueError as exc:
            message = str(exc)
            if parse_inline_ok(text) and "section reference" in message:
                message = "a section reference ('[[…]]') goes on across a blank line; write it on one line"
            elif parse_inline_ok(text):  # paired in the whole text, not within its paragraphs
                message = "bold text ('**') goes on across a blank line; bold ends with its paragraph"
            else:
                try:
                    parse_inline(text)
                except ValueError as whole:
                    message = str(whole)  # the character counts in the text as written
            hint = ("write [[id]] with the id of a section, or '\\[[' for two literal brackets"
                    if "section reference" in message else
                    "close the bold text with another '**' in the same paragraph, "
                    "or write '\\*' for a literal asterisk")
            problems.append(Diagnostic(message, path, hint, code="markup"))
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


def section_ids(data: Any) -> dict[str, int]:
    """The ``id`` of each section that has one (as loaded), with the section's index."""
    ids: dict[str, int] = {}
    sections = data.get("sections") if isinstance(data, dict) else None
    if isinstance(sections, list):
        for s, section in enumerate(sections):
            if isinstance(section, dict) and isinstance(section.get("id"), str) and section["id"] not in ids:
                ids[section["id"]] = s
    return ids


def _duplicate_ids(data: Any) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    sections = data.get("sections") if isinstance(data, dict) else None
    seen: dict[str, int] = {}
    for s, section in enumerate(sections if isinstance(sections, list) else []):
        sid = section.get("id") if isinstance(section, dict) else None
        if isinstance(sid, str):
            if sid in seen:
                problems.append(Diagnostic(
                    f"sections[{seen[sid]}] already has the id '{sid}'", ("sections", s, "id"),
                    "give every section its own id", code="value"))
            else:
                seen[sid] = s
    return problems


# A heading that starts with its own number: "1. What Testamol is", "2) Before you take it", "3.1: Doses".
_OWN_NUMBER = re.compile(r"\s*(\d{1,3}(?:\.\d{1,3})*[.):])\s+\S")


def _contents_entry_problems(data: Any) -> list[Diagnostic]:
    """A section's ``contents_entry`` prints only in the contents list: without one it would be lost."""
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return []
    options = data.get("options")
    if isinstance(options, dict) and options.get("contents") is True:
        return []
    return [Diagnostic("'contents_entry' prints only in the contents list, and this leaflet has none",
                       ("sections", s, "contents_entry"),
                       "turn the contents list on (options: contents: true), or remove 'contents_entry'",
                       code="value")
            for s, section in enumerate(data["sections"]) if isinstance(section, dict) and "contents_entry" in section]


def _numbering_problems(data: Any) -> list[Diagnostic]:
    """With ``options.number_sections``, leaflet numbers the headings: a heading that carries
    its number already would print it twice ("1. 1. What Testamol is")."""
    if not isinstance(data, dict) or not isinstance(data.get("options"), dict) or \
            data["options"].get("number_sections") is not True or not isinstance(data.get("sections"), list):
        return []
    problems: list[Diagnostic] = []
    for s, section in enumerate(data["sections"]):
        if not isinstance(section, dict):
            continue
        for key in ("heading", "contents_entry"):
            text = section.get(key)
            if not isinstance(text, str):
                continue
            try:
                shown = "".join(run for run, _ in parse_inline(text))
            except ValueError:
                shown = text  # the markup error is reported on its own
            match = _OWN_NUMBER.match(shown)
            if match:
                printed = f"{s + 1}. {' '.join(shown.split())}"
                what = "heading" if key == "heading" else "contents entry"
                problems.append(Diagnostic(
                    f"the {what} starts with its own number '{match.group(1)}', and 'number_sections' numbers the "
                    f"sections too: it would print '{printed}'", ("sections", s, key),
                    f"remove '{match.group(1)}' from the {what} (leaflet numbers the sections), or turn numbering "
                    "off (options: number_sections: false) to keep the numbers as written", code="value"))
    return problems


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")


def review_problems(data: Any) -> list[Diagnostic]:
    """A review recorded in a translated leaflet (``translation.review``) turns its unreviewed
    banner off; it must agree with the rest of the file:

    - it is not older than the revision (``revision.date``): a text revised after its review has
      not been reviewed (dates compared as far as both go: a review in November 2026 covers a
      revision of 2026-11);
    - the leaflet is not a ``draft``, whose banner says it is not yet reviewed.
    """
    translation = data.get("translation") if isinstance(data, dict) else None
    review = translation.get("review") if isinstance(translation, dict) else None
    if not isinstance(review, dict):
        return []
    problems: list[Diagnostic] = []
    revision = data.get("revision")
    revised = revision.get("date") if isinstance(revision, dict) else None
    reviewed = review.get("date")
    if isinstance(revised, str) and isinstance(reviewed, str) and _DATE.match(revised) and _DATE.match(reviewed):
        n = min(len(revised), len(reviewed))
        if reviewed[:n] < revised[:n]:
            problems.append(Diagnostic(
                f"the review is dated {reviewed}, before the revision it would cover ({revised}): the leaflet "
                "was revised after it was reviewed", ("translation", "review", "date"),
                "have this revision reviewed and record the new review's date; if the review did cover this "
                "revision, correct the date", code="value"))
    if data.get("status") == "draft":
        problems.append(Diagnostic(
            "a draft, whose banner says it is not yet reviewed, but 'translation.review' records a review of it",
            ("status",),
            "remove the review while the leaflet is a draft, or make it 'status: machine-translation' (the "
            "recorded review turns the banner off) or 'status: final'", code="value"))
    return problems


def _digital_url_problems(data: Any) -> list[Diagnostic]:
    """``digital_url``: an http(s) address a QR code can hold."""
    url = data.get("digital_url") if isinstance(data, dict) else None
    if not isinstance(url, str):
        return []  # absent, or not text: the schema says so
    found = url_problem(url)
    if found is None:
        return []
    message, hint = found
    if message.startswith("not a web address") and url.strip() and len(url) <= 200:
        message = f"'{url}' is {message}"  # an address in a leaflet is no one's private data
    return [Diagnostic(message, ("digital_url",), hint, code="value")]


def data_rule_problems(data: Any, path: Path = (), direction: str = "ltr",
                       ids: dict[str, int] | None = None) -> list[Diagnostic]:
    """Rules beyond types, checked on the loaded data so that they are found even when
    other parts of the file are invalid: the characters and markup of every text, references
    to sections that exist, unique section ids, table row widths, the parts of side-effect
    callouts, and ``columns`` only on lists. ``ids``: the sections' ids (found in ``data``
    on the first call)."""
    problems: list[Diagnostic] = []
    if ids is None:
        ids = section_ids(data)
        problems.extend(_duplicate_ids(data))
        problems.extend(_numbering_problems(data))
        problems.extend(_contents_entry_problems(data))
        problems.extend(review_problems(data))
        problems.extend(_digital_url_problems(data))
    if isinstance(data, str):
        found = text_problems(data, path, direction)
        problems.extend(found)
        if "[[" in data and not any(p.code == "markup" for p in found):
            for ref, at in references(data):
                if ref not in ids:
                    problems.append(Diagnostic(
                        f"'[[{ref}]]' at character {at} refers to no section: no section has the id '{ref}'",
                        path, _reference_hint(ref, ids), column=at, code="reference"))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            problems.extend(data_rule_problems(item, path + (i,), direction, ids))
    elif isinstance(data, dict):
        se = data.get("side_effects")
        if isinstance(se, dict):
            problems.extend(_callout_rules(se, path + ("side_effects",)))
        pr = data.get("precaution")
        if isinstance(pr, dict):
            problems.extend(_precaution_rules(pr, path + ("precaution",)))
        # a block (a callout's part is checked with the callout; anywhere else, such as a list item,
        # 'columns' is an unknown key, reported by the schema)
        is_block = len(path) >= 2 and isinstance(path[-1], int) and (path[-2] == "blocks" or path[:-1] == ("intro",))
        if "columns" in data and is_block and any(k in data for k in BLOCK_KINDS) and not any(
                k in data for k in ("bullets", "numbered")):
            problems.append(Diagnostic("'columns' applies to a list: 'bullets' or 'numbered'", path + ("columns",),
                                       "remove 'columns', or put it on a bullets block", code="block"))
        for key, value in data.items():
            if key not in _NOT_TEXT:
                problems.extend(data_rule_problems(value, path + (key,), direction, ids))
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


def _reference_hint(ref: str, ids: dict[str, int]) -> str:
    from difflib import get_close_matches  # only for a hint

    close = get_close_matches(ref, list(ids), n=1, cutoff=0.6)
    if close:
        return f"did you mean '[[{close[0]}]]'?"
    if ids:
        return "section ids in this file: " + ", ".join(sorted(ids))
    return "give the section an id (id: side-effects) and refer to it as [[side-effects]]"


def _part_problems(content: list[Any], allowed: tuple[str, str, str], owner: str, path: Path,
                   found: list[list[str] | None]) -> Iterable[Diagnostic]:
    """The parts of a callout's or precaution's ordered ``content``: each holds exactly one kind,
    and ``columns`` only on a list. Appends to ``found`` the kinds each part holds (None where the
    part is not a mapping: the schema reports it)."""
    a, b, c = allowed
    for i, part in enumerate(content):
        if not isinstance(part, dict):
            found.append(None)
            continue
        kinds = [k for k in allowed if k in part]
        if len(kinds) != 1 and all(k in ("note", "columns", *allowed) for k in part):
            what = ("holds " + " and ".join(f"'{k}'" for k in kinds)) if kinds else f"has no {a}, {b} or {c}"
            yield Diagnostic(f"a {owner} part holds exactly one of '{a}', '{b}' or '{c}'; this one {what}",
                             path + ("content", i), "split it into one part per kind, each starting with '- '",
                             code="block")
        if "columns" in part and "items" not in part:
            yield Diagnostic("'columns' applies to a list: 'items'", path + ("content", i, "columns"),
                             "remove 'columns', or put it on an items part", code="block")
        found.append(kinds)


def _precaution_rules(pr: dict[str, Any], path: Path) -> Iterable[Diagnostic]:
    """A precaution (as loaded): text and/or items, or an ordered ``content`` list of parts, each
    one kind; a sub-heading part has a text or a list after it."""
    keyed = [k for k in ("text", "items") if k in pr]
    if "content" in pr and keyed:
        yield Diagnostic(
            "a precaution's parts are written either as 'content' (a list, printed in order) or as 'text' and "
            "'items' — found 'content' and " + " and ".join(repr(k) for k in keyed), path,
            "move " + " and ".join(repr(k) for k in keyed) + " into 'content' as parts (- text: …, - items: [...])",
            code="block")
        return
    if "content" not in pr:
        if not keyed:
            yield Diagnostic("a precaution needs 'text' or 'items' (or both), or 'content'", path,
                             "add text: … or items: [...] under the title, or content: [...] for several parts "
                             "in order (- text: …, - subheading: …, - items: [...])", code="missing-field")
        return
    content = pr["content"]
    if not isinstance(content, list):
        return  # the schema reports it
    found: list[list[str] | None] = []
    yield from _part_problems(content, PRECAUTION_PART_KINDS, "precaution", path, found)
    kinds = [f[0] if f is not None and len(f) == 1 else None for f in found]
    for i, kind in enumerate(kinds):
        if kind == "subheading" and (i + 1 == len(kinds) or kinds[i + 1] == "subheading"):
            yield Diagnostic("a sub-heading part needs a text or a list after it", path + ("content", i),
                             "add the part it heads (- text: … or - items: [...]) after it, or remove it",
                             code="missing-field")


def _callout_rules(se: dict[str, Any], path: Path) -> Iterable[Diagnostic]:
    """A side-effect callout (as loaded): keyed parts or ``content``, an action when serious,
    something besides the action to say; each ``content`` part one kind."""
    keyed = [k for k in _KEYED_PARTS if k in se]
    content = se.get("content")
    serious = se.get("severity") == "serious"
    if "content" in se and keyed:
        yield Diagnostic(
            "a callout's parts are written either as 'content' (a list, printed in order) or as "
            f"{', '.join(repr(k) for k in _KEYED_PARTS)} — found 'content' and " + ", ".join(repr(k) for k in keyed),
            path, "move " + ", ".join(repr(k) for k in keyed) + " into 'content' as parts (- text: …, - action: …, "
            "- items: [...])", code="block")
    if isinstance(content, list):
        found: list[list[str] | None] = []
        yield from _part_problems(content, PART_KINDS, "callout", path, found)
        kinds = [k for f in found if f is not None for k in f]
        if serious and "action" not in kinds:
            yield Diagnostic(SERIOUS_NEEDS_ACTION, path + ("content",),
                             "add a part such as: - action: Get medical help right away if you have any of these:",
                             code="missing-field")
        if content and kinds and not any(k in kinds for k in ("text", "items")):
            yield Diagnostic("a side-effect callout needs 'items' or a 'text' part, not only an action",
                             path + ("content",), "add the list of side effects (- items: [...]) or a text",
                             code="missing-field")
        return
    if "content" in se:
        return  # not a list (the schema reports it), or both forms (reported above)
    if serious and "action" not in se:
        yield Diagnostic(SERIOUS_NEEDS_ACTION, path,
                         "e.g. action: Get medical help right away if you have any of these:", code="missing-field")
    if not any(k in se for k in ("items", "intro", "closing")):
        yield Diagnostic("a side-effect callout needs 'items' (the list of side effects) or a text ('intro' or "
                         "'closing')", path, "add items: [...] or intro: …", code="missing-field")
