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

import collections
import contextlib
import gc
import os
import stat
from collections.abc import Iterator
from typing import Any

import msgspec
import yaml

from .. import errors
from ..errors import ContentError, Diagnostic, Path
from ..text.inline import joins_tight

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
    # texts written on one line as they are (no escapes): the column of their first character,
    # so that a problem with one character can point at it
    exact: dict[Path, int] = {}
    # the other texts (over several lines, or with escapes): where each is written (start and end
    # offsets in the file, its style) and its value, to find one character's own line and column
    spans: dict[Path, tuple[int, int, str, str]] = {}
    text: str = ""  # the file's text (for spans)

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
        """``diagnostic`` at its place in the file. A diagnostic not yet placed (line 0) whose
        column is set points at that character (1-based) of its text: where the text is written
        as it is, on one line, the column is that character's; else the text's own."""
        line, column = self.locate(diagnostic.path, key=key)
        if not diagnostic.line and diagnostic.column and not key:
            if diagnostic.path in self.exact:
                column = self.exact[diagnostic.path] + diagnostic.column - 1
            elif diagnostic.path in self.spans:
                found = _char_position(self.text, *self.spans[diagnostic.path], diagnostic.column - 1)
                if found is not None:
                    line, column = found
        return diagnostic.located(self.file, line, column)


_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _char_position(text: str, start: int, end: int, style: str, value: str, k: int) -> tuple[int, int] | None:
    """The line and column (1-based, in characters) where character ``k`` (0-based) of the value of
    a scalar written at ``text[start:end]`` in ``style`` stands; None where that cannot be told."""
    if not 0 <= k < len(value):
        return None
    quoted = style in ("'", '"')
    i, limit = start + quoted, end - quoted
    if style in ("|", ">"):  # after the indicator's line
        i = text.find("\n", start, end) + 1
        if i <= 0:
            return None
    at = -1
    for n, ch in enumerate(value):
        if ch.isspace() and i < limit and text[i].isspace():  # a space, or a folded line break
            if n == k:
                at = i
            if text[i] == "\n":
                while i < limit and text[i].isspace():
                    i += 1
            else:
                i += 1
        elif ch.isspace() and not (style == '"' and i < limit and text[i] == "\\"):
            if n == k:  # a line break YAML made from several (blank lines): at the text there
                at = i
        else:
            while (i < limit and text[i].isspace()) or (style == '"' and text.startswith("\\\n", i)):
                i += 2 if text[i] == "\\" else 1
            if i >= limit:
                return None
            if n == k:
                at = i
            if style == '"' and text[i] == "\\":  # an escape: \u202e, \t, \\ …
                kind = text[i + 1:i + 2]
                if kind in _HEX_ESCAPES:
                    digits = text[i + 2:i + 2 + _HEX_ESCAPES[kind]]
                    try:
                        decoded = chr(int(digits, 16))
                    except ValueError:
                        return None
                    i += 2 + len(digits)
                else:
                    decoded, i = _ESCAPES.get(kind, ""), i + 2
                if decoded != ch:
                    return None
            elif style == "'" and text.startswith("\'\'", i) and ch == "'":
                i += 2
            elif text[i] == ch:
                i += 1
            else:
                return None
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            return line, at - (text.rfind("\n", 0, at) + 1) + 1
    return None


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


class _Events:
    """The parser's events, one at a time with one of look-ahead (not a list of them all: a
    large file makes millions): ``peek`` and ``next`` are the parser's own methods, so that
    reading an event runs no Python code of leaflet's (the events of a sample are a sixth of its
    load)."""

    def __init__(self, parser: Any) -> None:
        self.peek = parser.peek_event
        self.next = parser.get_event


def _recent_events(text: str, limit: int = 3) -> list[Any]:
    """The last ``limit`` events the parser gives ``text`` before its syntax error (for the
    message: a quoted text that runs on): the file parsed again, only when it has an error."""
    recent: collections.deque[Any] = collections.deque(maxlen=limit)
    with contextlib.suppress(yaml.YAMLError):
        for event in yaml.parse(text, Loader=_Loader):
            recent.append(event)
    return list(recent)


class _Builder:
    def __init__(self, events: _Events, smap: SourceMap, text: str) -> None:
        self.events = events
        self.next = events.next
        self.text = text
        self.map = smap
        self.problems: list[Diagnostic] = []
        self.reuse_problems = 0

    def problem(self, mark: Any, path: Path, message: str, hint: str = "", code: str = "yaml-feature") -> None:
        line, col = _pos(mark)
        self.problems.append(Diagnostic(message, path, hint, self.map.file, line, col, code))

    def reuse_problem(self, mark: Any, path: Path, message: str) -> None:
        """Anchors and aliases: the first few are reported, then a count (an alias bomb has thousands)."""
        self.reuse_problems += 1
        if self.reuse_problems <= MAX_ALIAS_PROBLEMS:
            self.problem(mark, path, message, "write the text out in full where it is needed")

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
            self.problem(event.start_mark, path, f"the content is nested more than {MAX_DEPTH} levels deep",
                         "a leaflet is a few levels deep: check the indentation", code="document")
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
            start, end = event.start_mark, event.end_mark
            if start.line == end.line:
                if not event.style:
                    self.map.exact[path] = start.column + 1
                elif event.style in "'\"" and ("\\" if event.style == '"' else "''") not in \
                        self.text[start.index:end.index]:
                    self.map.exact[path] = start.column + 2
            value = event.value
            if start.line == end.line:
                pass
            elif event.style in (None, "", ">") and not value.isascii():
                value = _refold(event, self.text)
            elif event.style in ("'", '"') and not value.isascii():
                value = _refold_quoted(event, self.text)
            if path not in self.map.exact:
                self.map.spans[path] = (start.index, end.index, event.style or "", value)
            return value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(self.events.peek(), yaml.SequenceEndEvent):
                items.append(self.node(path + (len(items),), depth + 1))
            self.next()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            while not isinstance(self.events.peek(), yaml.MappingEndEvent):
                key_event = self.events.peek()
                if not isinstance(key_event, yaml.ScalarEvent):
                    self.problem(key_event.start_mark, path, "a key must be a plain word, not a list or mapping",
                                 code="type")
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


def _fold(lines: list[str], tight: bool) -> str:
    """YAML's line folding of a plain or folded scalar's lines (their indentation removed): a
    line break between two lines is a space, ``n`` breaks around empty lines are ``n - 1`` line
    breaks; with ``tight``, a break between two Chinese or Japanese characters is nothing."""
    out = ""
    breaks = 0
    for line in lines:
        if not line:
            breaks += 1
            continue
        if out:
            out += "\n" * breaks if breaks else ("" if tight and joins_tight(out[-1], line[0]) else " ")
        out += line
        breaks = 0
    return out


def _refold(event: Any, text: str) -> str:
    """A multi-line plain or folded (``>``) scalar as YAML folds it, except that a line break
    between two Chinese or Japanese characters folds to nothing: YAML would put a space there
    ("…空白が 原稿…"), which the author never typed. The value is recomputed from the source only
    when folding the source's lines YAML's way gives YAML's value back (else it is kept as it is:
    a folded scalar with more-indented lines, say)."""
    raw = text[event.start_mark.index:event.end_mark.index]
    if event.style == ">":
        raw = raw.split("\n", 1)[1] if "\n" in raw else ""  # the line of the '>' indicator
        lines = raw.split("\n")
        indents = {len(line) - len(line.lstrip(" ")) for line in lines if line.strip()}
        if len(indents) > 1:  # more-indented lines keep their breaks: leave those to YAML
            return str(event.value)
        lines = [line.strip(" ") for line in lines]
        body = event.value.rstrip("\n")
        trail = event.value[len(body):]
    else:
        lines = [line.strip(" \t") for line in raw.split("\n")]
        body, trail = event.value, ""
    while lines and not lines[-1]:
        lines.pop()
    if _fold(lines, tight=False) != body:
        return str(event.value)
    return _fold(lines, tight=True) + trail


def _refold_quoted(event: Any, text: str) -> str:
    """A multi-line quoted scalar (``"…"`` or ``'…'``) as YAML folds it, except that a line break
    between two Chinese or Japanese characters folds to nothing (as in :func:`_refold`). Each
    source line is decoded on its own (a double-quoted line's escapes, a single-quoted line's
    ``''``); a line ending in an escaped line break (``\\``) joins the next with nothing, as in
    YAML. The value is recomputed only when folding the decoded lines YAML's way gives YAML's
    value back (else it is kept as YAML made it)."""
    raw = text[event.start_mark.index + 1:event.end_mark.index - 1]  # inside the quotes
    source = raw.split("\n")
    pieces: list[tuple[str, bool]] = []  # (a line's text, whether its line break is escaped)
    for n, line in enumerate(source):
        if n:
            line = line.lstrip(" \t")
        if n < len(source) - 1:
            line = line.rstrip(" \t")
        escaped = False
        if event.style == '"':
            tail = len(line) - len(line.rstrip("\\"))
            if n < len(source) - 1 and tail % 2:  # an escaped line break: the lines join directly
                line, escaped = line[:-1], True
            try:
                line = yaml.safe_load('"' + line + '"') if line else ""
            except yaml.YAMLError:
                return str(event.value)
            if not isinstance(line, str):  # pragma: no cover - a quoted scalar is a text
                return str(event.value)
        else:
            line = line.replace("''", "'")
        pieces.append((line, escaped))

    lines: list[str] = []
    joined = False
    for piece, escaped in pieces:
        if joined:
            lines[-1] += piece
        else:
            lines.append(piece)
        joined = escaped
    if _fold(lines, tight=False) != event.value:
        return str(event.value)
    return _fold(lines, tight=True)


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
    return Diagnostic(message, (), hint, file, line, col, "yaml-syntax")


def _runaway_quote(events: list[Any]) -> Any:
    """The last quoted text before a syntax error, if it spans lines (an unclosed quote swallows lines)."""
    for event in reversed(events[-3:]):
        if (isinstance(event, yaml.ScalarEvent) and event.style in ('"', "'")
                and event.end_mark.line > event.start_mark.line):
            return event
    return None


MAX_ALIAS_PROBLEMS = 10


MAX_INPUT_SIZE = 10 * 1024 * 1024
"""The largest leaflet file read, in bytes, unless the caller gives another limit (a leaflet
is tens of kilobytes; the limit stops a wrong file, or a generator gone wrong, from
filling the memory)."""


def format_size(size: int) -> str:
    """10485760 -> '10 MB' (units of 1024)."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


def _input_problem(message: str, hint: str, file: str, line: int = 0, col: int = 0) -> ContentError:
    return ContentError([Diagnostic(message, (), hint, file, line, col, "input")])


def _too_large(file: str, limit: int) -> ContentError:
    return _input_problem(
        f"the input is larger than the limit of {format_size(limit)}",
        "a leaflet is tens of kilobytes: is this the right file? If it is, raise the limit "
        "(leaflet --max-input-size, or max_input_size= in Python)", file)


def parse(text: str | bytes, file: str = "<input>", *, max_input_size: int = MAX_INPUT_SIZE) -> Source:
    """Parse leaflet YAML (text, or UTF-8 bytes); raise :class:`ContentError` listing every problem."""
    if isinstance(text, bytes):
        if len(text) > max_input_size:
            raise _too_large(file, max_input_size)
        text = decode(text, file)
    else:
        if len(text) > max_input_size:
            raise _too_large(file, max_input_size)
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:  # a lone surrogate: only a Python caller can pass one
            line = text.count("\n", 0, exc.start) + 1
            col = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
            raise _input_problem(
                f"the text holds U+{ord(text[exc.start]):04X}, a lone surrogate, which is not a character",
                "the text was decoded wrongly before it reached leaflet: pass text decoded from UTF-8",
                file, line, col) from None
        if size > max_input_size:
            raise _too_large(file, max_input_size)
    with gc_paused():
        return _parse(text, file)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the garbage collector (if it runs) while many small objects are made.

    Loading makes a great many small objects (events, strings, lists, dicts, paths); the
    collector would scan them all again and again while they are made, so loading a large
    leaflet would grow faster than the file. Nothing here makes reference cycles, so the
    collection can wait until the end; the collector runs again as it did before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _parse(text: str, file: str) -> Source:
    try:
        parser = _Loader(text)
        try:
            return _build(_Events(parser), file, text)
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_syntax_problem(exc, text, file, _recent_events(text))]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ContentError([Diagnostic(
            f"the file contains the control character U+{char:04X}, which a leaflet file cannot hold", (),
            "remove it (it is invisible in most editors: delete and retype the text around it)",
            file, line, col, "character")]) from None


def _build(events: _Events, file: str, text: str) -> Source:
    smap = SourceMap(file, text=text)
    events.next()  # StreamStart
    if isinstance(events.peek(), yaml.StreamEndEvent):
        raise ContentError([Diagnostic(
            "the file is empty", (), "a leaflet file starts with 'language:', 'medicine:' …; "
            "see content/baclofen/en.yaml", file, 1, 1, "document")])
    events.next()  # DocumentStart
    builder = _Builder(events, smap, text)
    data = builder.node(())
    events.next()  # DocumentEnd
    second = events.next()
    if isinstance(second, yaml.DocumentStartEvent):
        line, col = _pos(second.start_mark)
        raise ContentError([Diagnostic(
            "the file holds more than one YAML document", (), "keep one leaflet per file; remove the '---' line",
            file, line, col, "yaml-feature")])
    if builder.reuse_problems > MAX_ALIAS_PROBLEMS:
        more = builder.reuse_problems - MAX_ALIAS_PROBLEMS
        builder.problems.append(Diagnostic(f"… and {more} more anchors or aliases", (), "", file, 0, 0,
                                                   "yaml-feature"))
    if builder.problems and not isinstance(data, dict):
        raise ContentError(builder.problems)
    if data is None:
        raise ContentError([Diagnostic(
            "the document is empty", (), "a leaflet file starts with 'language:', 'medicine:' …", file, 1, 1,
            "document")])
    if not isinstance(data, dict):
        line, col = smap.values[()]
        kind = "a list" if isinstance(data, list) else "a single text"
        raise ContentError([Diagnostic(
            f"the document is {kind}, not a mapping of fields", (),
            "a leaflet file is a mapping: 'language: en', 'medicine: …', 'sections: …'", file, line, col,
            "document")])
    return Source(data, smap, builder.problems)


FILE_KINDS = errors.FILE_KINDS  # what a path is when not a regular file or folder


def read(path: str | os.PathLike[str], max_input_size: int = MAX_INPUT_SIZE) -> bytes:
    """The bytes of a leaflet file: a regular file of at most ``max_input_size`` bytes.

    A device (``/dev/zero`` never ends), a named pipe (it may never be written to) or a socket
    is refused before it is opened for reading, without waiting on it."""
    name = str(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise _input_problem("file not found", "check the path", name) from None
    except ValueError:  # a NUL character in the name (a Python caller's)
        raise _input_problem("the file name holds a NUL character", "check the path", name) from None
    except OSError as exc:
        raise _input_problem(f"cannot read the file: {exc.strerror}", "", name) from None
    if stat.S_ISDIR(info.st_mode):
        raise _input_problem("this is a folder, not a leaflet file", "name a file such as content/baclofen/en.yaml",
                             name)
    if not stat.S_ISREG(info.st_mode):
        raise _input_problem(
            f"this is {FILE_KINDS.get(stat.S_IFMT(info.st_mode), 'not a regular file')}, not a leaflet file",
            "name a regular file; to pass generated content, write it to standard input with '-'", name)
    if info.st_size > max_input_size:
        raise _too_large(name, max_input_size)
    try:  # O_NONBLOCK: should the file have become a pipe since, opening it does not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _input_problem(f"cannot read the file: {exc.strerror}", "", name) from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _input_problem("this is not a regular file, not a leaflet file", "name a regular file", name)
        try:
            raw = read_limited(fh, max_input_size)
        except OSError as exc:
            raise _input_problem(f"cannot read the file: {exc.strerror}", "", name) from None
    if len(raw) > max_input_size:
        raise _too_large(name, max_input_size)
    return raw


def read_limited(stream: Any, limit: int) -> Any:
    """At most ``limit`` + 1 bytes (characters, from a text stream) of ``stream``: one more than
    allowed shows it is too large. Read in pieces: never one buffer of the limit's size."""
    pieces: list[Any] = []
    size = 0
    while size <= limit:
        piece = stream.read(min(1 << 20, limit + 1 - size))
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return pieces[0][:0].join(pieces) if pieces else b""


def decode(raw: bytes, name: str) -> str:
    """UTF-8 bytes -> text (a byte order mark allowed); a clear error where they are not UTF-8."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark is allowed, and not a column
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        raise _input_problem(f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                             "the file is UTF-16: save it as UTF-8 in your editor" if utf16 else
                             "save the file as UTF-8 in your editor", name, line, col) from None


def load(path: str | os.PathLike[str], *, max_input_size: int = MAX_INPUT_SIZE) -> Source:
    """Read and parse a leaflet file from disk."""
    return parse(decode(read(path, max_input_size), str(path)), str(path), max_input_size=max_input_size)


def node_spans(text: str) -> dict[Path, tuple[int, int, bool]]:
    """Where each value of a (well-formed) leaflet file stands in its text: the character offsets
    of its start and end, and whether a list or mapping is written in flow style (``{…}``,
    ``[…]``; the end of a flow collection is the offset of its closing bracket). For tools that
    edit one value of a file and keep the rest as written (``leaflet check --stamp``)."""
    out: dict[Path, tuple[int, int, bool]] = {}
    stack: list[dict[str, Any]] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            top = stack.pop()
            out[top["path"]] = (top["start"], event.start_mark.index, bool(top["flow"]))
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            continue
        path: Path = ()
        if stack:
            top = stack[-1]
            if top["kind"] == "seq":
                path = top["path"] + (top["n"],)
                top["n"] += 1
            elif top["key"] is None:  # a key
                top["key"] = getattr(event, "value", "")
                continue
            else:
                path, top["key"] = top["path"] + (top["key"],), None
        if isinstance(event, yaml.ScalarEvent):
            out[path] = (event.start_mark.index, event.end_mark.index, False)
        else:
            stack.append({"path": path, "kind": "seq" if isinstance(event, yaml.SequenceStartEvent) else "map",
                          "n": 0, "key": None, "start": event.start_mark.index, "flow": event.flow_style})
    return out


class _Dumper(yaml.SafeDumper):
    """Writes plain data (mappings, lists, texts) as leaflet files are written: block style,
    lists indented under their key, texts of several lines as literal blocks, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _text(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(data: Any) -> str:
    """Plain data (mappings, lists, texts, as :func:`parse` gives them) as YAML text that
    :func:`parse` reads back as the same data: keys in their order, each text on one line or as
    a literal block, quoted wherever YAML would read it as something else ("No", "1.10", ": ")."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1 << 16, indent=2)
    return str(text)
