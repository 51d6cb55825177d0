"""Load a leaflet file: YAML text -> plain data + where each value was written.

This is the only module that imports PyYAML. It builds data straight from the
parser's events rather than letting YAML construct objects, which gives us:

- every scalar exactly as the author wrote it (``No`` stays "No", ``1.10``
  stays "1.10": YAML's implicit booleans and numbers would silently change
  medical text), with empty values as ``None``;
- a line and column for every key and value, for error messages;
- clear errors, never a traceback, for syntax errors, tags (``!!python/...``),
  anchors and aliases (the vehicle of "billion laughs" alias bombs), duplicate
  keys (YAML would keep only the last one: a lost paragraph), non-text keys,
  several documents in one file, and empty or non-mapping documents.
"""
from __future__ import annotations

import os
from pathlib import Path as FsPath
from typing import Any

import msgspec
import yaml

from ..errors import ContentError, Diagnostic, Path

try:  # libyaml's parser is much faster; the pure-Python one gives the same events
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_NULLS = {"", "~", "null", "Null", "NULL"}
# Explicit tags an author may write without changing the meaning of text.
_HARMLESS_TAGS = {"!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
MAX_DEPTH = 64


class SourceMap(msgspec.Struct):
    """Where each value (and each mapping key) stands in the file."""

    file: str
    values: dict[Path, tuple[int, int]] = {}
    keys: dict[Path, tuple[int, int]] = {}

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``path``; the nearest enclosing value if it is absent."""
        if key and path in self.keys:
            return self.keys[path]
        probe = tuple(path)
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def place(self, diagnostic: Diagnostic, *, key: bool = False) -> Diagnostic:
        line, column = self.locate(diagnostic.path, key=key)
        return diagnostic.located(self.file, line, column)


class Source(msgspec.Struct):
    """A loaded leaflet file: its data, its source map, and problems found while reading it.

    ``problems`` (duplicate keys, tags, anchors …) do not stop loading, so that
    validation can report them together with every other problem in the file.
    """

    data: Any
    map: SourceMap
    problems: list[Diagnostic] = []

    @property
    def file(self) -> str:
        return self.map.file


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, events: list[Any], smap: SourceMap) -> None:
        self.events = events
        self.i = 0
        self.map = smap
        self.problems: list[Diagnostic] = []
        self.reuse_problems = 0

    def problem(self, mark: Any, path: Path, message: str, hint: str = "") -> None:
        line, col = _pos(mark)
        self.problems.append(Diagnostic(message, path, hint, self.map.file, line, col))

    def reuse_problem(self, mark: Any, path: Path, message: str) -> None:
        """Anchors and aliases: the first few are reported, then a count (an alias bomb has thousands)."""
        self.reuse_problems += 1
        if self.reuse_problems <= MAX_ALIAS_PROBLEMS:
            self.problem(mark, path, message, "write the text out in full where it is needed")

    def next(self) -> Any:
        event = self.events[self.i]
        self.i += 1
        return event

    def check_node_event(self, event: Any, path: Path) -> None:
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.reuse_problem(event.start_mark, path, f"YAML anchors (&{anchor}) are not allowed in leaflet files")
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _HARMLESS_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(
                event.start_mark, path, f"YAML tag '{shown}' is not allowed in leaflet files",
                "remove the tag: leaflet files hold only text, lists and mappings",
            )

    def node(self, path: Path, depth: int = 0) -> Any:
        event = self.next()
        if depth > MAX_DEPTH:
            self.problem(event.start_mark, path, f"the content is nested more than {MAX_DEPTH} levels deep")
            self.skip(event)
            return None
        if isinstance(event, yaml.AliasEvent):
            self.reuse_problem(event.start_mark, path, f"YAML aliases (*{event.anchor}) are not allowed in leaflet files")
            return None
        self.map.values[path] = _pos(event.start_mark)
        self.check_node_event(event, path)
        if isinstance(event, yaml.ScalarEvent):
            if event.implicit[0] and event.value in _NULLS:  # a plain (unquoted) empty or null value
                return None
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(self.events[self.i], yaml.SequenceEndEvent):
                items.append(self.node(path + (len(items),), depth + 1))
            self.next()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            while not isinstance(self.events[self.i], yaml.MappingEndEvent):
                key_event = self.events[self.i]
                if not isinstance(key_event, yaml.ScalarEvent):
                    self.problem(key_event.start_mark, path, "a key must be a plain word, not a list or mapping")
                    self.skip(self.next())
                    self.skip(self.next())
                    continue
                self.next()
                key = key_event.value
                self.check_node_event(key_event, path + (key,))
                if key in mapping:
                    self.problem(
                        key_event.start_mark, path + (key,), f"duplicate key '{key}'",
                        f"'{key}' is already given at line {self.map.keys[path + (key,)][0]}; "
                        "YAML would silently keep only the last one",
                    )
                    self.skip(self.next())
                    continue
                self.map.keys[path + (key,)] = _pos(key_event.start_mark)
                mapping[key] = self.node(path + (key,), depth + 1)
            self.next()
            return mapping
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover

    def skip(self, event: Any) -> None:
        """Skip the rest of a node whose start event was already read."""
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth = 1
            while depth:
                e = self.next()
                if isinstance(e, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    depth += 1
                elif isinstance(e, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    depth -= 1


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str, events: list[Any]) -> Diagnostic:
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark) if mark else (1, 1)
    hint = ("check the indentation and quoting on this line or the one before; "
            "quote text that contains ': ' or starts with a special character")
    message = f"YAML syntax error: {problem or context}"
    if context and problem:
        message += f" ({context})"
    if "escape" in problem and exc.problem_mark is not None:
        message = f"YAML syntax error: {problem} in a double-quoted text"
        hint = ("in \"…\" a backslash starts an escape such as \\n or \\u00e9; write \\\\ for a backslash, "
                "or use single quotes '…' where a backslash is just a backslash")
    elif "quoted scalar" in context and "end of stream" in problem and exc.context_mark is not None:
        opened = _pos(exc.context_mark)
        stopped = line
        line, col = opened
        message = f"a quoted text that starts here is never closed (YAML reached line {stopped} looking for its end)"
        hint = "add the closing quote; a quote inside the text is written \\\" inside \"…\" or '' inside '…'"
    elif quote := _runaway_quote(events):
        first, last = _pos(quote.start_mark)[0], _pos(quote.end_mark)[0]
        hint = (f"the quoted text that starts on line {first} only ends on line {last}: "
                f"is its closing quote missing on line {first}?")
    elif "cannot start any token" in problem and mark is not None and text[mark.index:mark.index + 1] == "\t":
        message = "a tab character is used for indentation here"
        hint = "YAML indents with spaces only: replace the tab with spaces"
    return Diagnostic(message, (), hint, file, line, col)


def _runaway_quote(events: list[Any]) -> Any:
    """The last quoted text before a syntax error, if it spans lines (an unclosed quote swallows lines)."""
    for event in reversed(events[-3:]):
        if (isinstance(event, yaml.ScalarEvent) and event.style in ('"', "'")
                and event.end_mark.line > event.start_mark.line):
            return event
    return None


MAX_ALIAS_PROBLEMS = 10


def parse(text: str, file: str = "<input>") -> Source:
    """Parse leaflet YAML text; raise :class:`ContentError` listing every problem."""
    smap = SourceMap(file)
    events: list[Any] = []
    try:
        events.extend(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_syntax_problem(exc, text, file, events)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ContentError([Diagnostic(
            f"the file contains the control character U+{char:04X}, which a leaflet file cannot hold", (),
            "remove it (it is invisible in most editors: delete and retype the text around it)",
            file, line, col)]) from None

    documents = sum(isinstance(e, yaml.DocumentStartEvent) for e in events)
    if documents == 0:
        raise ContentError([Diagnostic(
            "the file is empty", (), "a leaflet file starts with 'language:', 'medicine:' …; "
            "see content/baclofen/en.yaml", file, 1, 1)])
    if documents > 1:
        second = [e for e in events if isinstance(e, yaml.DocumentStartEvent)][1]
        line, col = _pos(second.start_mark)
        raise ContentError([Diagnostic(
            "the file holds more than one YAML document", (), "keep one leaflet per file; remove the '---' line",
            file, line, col)])

    builder = _Builder(events, smap)
    builder.i = 2  # StreamStart, DocumentStart
    data = builder.node(())
    if builder.reuse_problems > MAX_ALIAS_PROBLEMS:
        more = builder.reuse_problems - MAX_ALIAS_PROBLEMS
        builder.problems.append(Diagnostic(f"… and {more} more anchors or aliases", (), "", file, 0, 0))
    if builder.problems and not isinstance(data, dict):
        raise ContentError(builder.problems)
    if data is None:
        raise ContentError([Diagnostic(
            "the document is empty", (), "a leaflet file starts with 'language:', 'medicine:' …", file, 1, 1)])
    if not isinstance(data, dict):
        line, col = smap.values[()]
        kind = "a list" if isinstance(data, list) else "a single text"
        raise ContentError([Diagnostic(
            f"the document is {kind}, not a mapping of fields", (),
            "a leaflet file is a mapping: 'language: en', 'medicine: …', 'sections: …'", file, line, col)])
    return Source(data, smap, builder.problems)


def load(path: str | os.PathLike[str]) -> Source:
    """Read and parse a leaflet file from disk."""
    name = str(path)
    try:
        raw = FsPath(path).read_bytes()
    except FileNotFoundError:
        raise ContentError([Diagnostic("file not found", (), "check the path", name)]) from None
    except IsADirectoryError:
        raise ContentError([Diagnostic(
            "this is a folder, not a leaflet file", (), "name a file such as content/baclofen/en.yaml", name)]) from None
    except OSError as exc:
        raise ContentError([Diagnostic(f"cannot read the file: {exc.strerror}", (), "", name)]) from None
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark is allowed, and not a column
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        raise ContentError([Diagnostic(
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", (),
            "save the file as UTF-8 in your editor", name, line, col)]) from None
    return parse(text, name)
