"""leaflet's errors: one base class, and diagnostics with a code, a place and a hint.

Every stage (loading, validation, the glyph check, layout) reports problems in
content as :class:`Diagnostic` values; :class:`ContentError` carries all of
them at once, so an author fixes a file in one round instead of one error at a
time. Every error leaflet raises on purpose is a :class:`LeafletError`; the
command line reports each kind in its own words and anything else is a bug.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable

import msgspec

FILE_KINDS = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a named pipe (FIFO)",
              stat.S_IFSOCK: "a socket"}  # what a path is when not a regular file or folder


def file_kind(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is when it is there but is not a regular file ("a folder", "a named pipe
    (FIFO)", ...), without opening it; None for a regular file or nothing there."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return "a folder" if stat.S_ISDIR(mode) else FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")


PathPart = str | int
Path = tuple[PathPart, ...]


def format_path(path: Path) -> str:
    """``('sections', 2, 'blocks', 0)`` -> ``sections[2].blocks[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(document)"


class Diagnostic(msgspec.Struct, frozen=True):
    """One problem: what is wrong, in which field, where in which file, and what to do."""

    message: str
    path: Path = ()
    hint: str = ""
    file: str = ""
    line: int = 0
    column: int = 0
    code: str = ""  # one of CODES: what kind of problem, for tools and documentation
    # where in the input when that is not (only) a line and column of a text file: a sheet's row and
    # column ("row 7, column dispensed"), a FHIR element ("MedicationRequest.dosageInstruction[0].text")
    where: str = ""

    def located(self, file: str, line: int, column: int) -> Diagnostic:
        return msgspec.structs.replace(self, file=file, line=line, column=column)

    def with_code(self, code: str) -> Diagnostic:
        return msgspec.structs.replace(self, code=code)

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where += f":{self.line}:{self.column}"
        if self.where:
            where += f": {self.where}"
        text = f"{where}: error[{self.code}]: " if self.code else f"{where}: error: "
        if self.path:
            text += f"{format_path(self.path)}: "
        text += self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class LeafletError(Exception):
    """Base class of every error leaflet raises on purpose."""


class ContentError(LeafletError):
    """The content has problems; ``diagnostics`` lists every one found."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        n = len(self.diagnostics)
        lines = [str(d) for d in self.diagnostics]
        lines.append(f"{n} problem{'s' if n != 1 else ''} found")
        return "\n".join(lines)


def raise_if_any(diagnostics: Iterable[Diagnostic]) -> None:
    found = list(diagnostics)
    if found:
        raise ContentError(found)


class ResourceError(LeafletError):
    """A locale, theme or font that leaflet cannot find or use."""


class RenderError(LeafletError):
    """The content cannot be laid out (e.g. a table row taller than a page).

    ``path`` names the field at fault when it is known, with a ``hint``.
    """

    def __init__(self, message: str, path: Path = (), hint: str = "", code: str = "layout") -> None:
        super().__init__(message)
        self.path, self.hint, self.code = path, hint, code


class UsageError(LeafletError):
    """The command or its options are wrong (not the content)."""


class OutputError(LeafletError):
    """An output file that cannot be written: its folder is a file, it is a device or a folder,
    or the system refuses (permissions, a full disk). The message names the file."""


class PdfError(LeafletError):
    """A PDF that cannot be read back: missing, encrypted, damaged, or not a PDF at all.

    ``hint`` says what to do about it.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


# The kinds of diagnostic, by code. Each Diagnostic leaflet makes carries one of these.
CODES: dict[str, str] = {
    "input": "the file cannot be read: missing, a folder, a device, too large, or not UTF-8",
    "yaml-syntax": "the YAML cannot be parsed",
    "json-syntax": "the JSON cannot be parsed (a prescription file or request)",
    "yaml-feature": "a YAML feature leaflet refuses: tags, anchors, aliases, several documents, duplicate keys",
    "document": "the document is empty or not a mapping of fields",
    "unknown-key": "a key the format does not have",
    "missing-field": "a required field is absent",
    "type": "a value of the wrong kind (text, list, mapping)",
    "value": "a value outside what the field allows (an enum, a date, a language tag, a count)",
    "empty-text": "a text that prints nothing",
    "block": "a block that holds no kind or more than one",
    "markup": "inline markup that is not closed or prints nothing",
    "table": "a table whose rows and columns do not agree or do not fit",
    "character": "a character a leaflet may not hold (bidi overrides, controls)",
    "glyph": "a character no bundled font can print",
    "locale": "no locale, or a locale that is incomplete",
    "layout": "content that cannot be laid out on the page",
    "reference": "a reference to a section that does not exist",
    "verify": "a PDF that does not print its content as it should",
    "structure": "a translation whose sections, blocks, items, rows, cells or settings differ from its source's",
    "number": "a translation whose numbers, doses or units differ from its source's",
    "false-friend": "a word of the translation's language that reads as something else (Spanish 'once' is eleven)",
    "untranslated": "text of a translation left as in its source",
    "stale": "a translation whose source has changed since it was made (its fingerprint)",
    "fingerprint": "a translation that records no fingerprint of its source, or one leaflet did not write",
    "translation-source": "a translation whose source file is missing or has problems",
    "xliff-syntax": "an XLIFF file that is not well-formed XML, or declares a DTD or entities (refused: never expanded)",
    "xliff": "a file that is not an XLIFF 1.2 file leaflet can import (another version, no target language, "
             "no copy of its source)",
    "xliff-unit": "a trans-unit missing, unknown to the source, given twice, or without a target",
    "xliff-inline": "an inline code of a target (bold, a section reference) that does not match its source's",
    "record": "a prescription record that is not a mapping of fields (a file, sheet row or request of another shape)",
    "sheet": "a CSV or Excel sheet whose header or layout is wrong: an unknown or doubled column, no header, "
             "a cell outside the columns, quotes that do not close; an Excel cell with a formula but no saved "
             "result, or an error value",
    "fhir": "a FHIR Bundle that does not hold one prescription: not a Bundle, no MedicationRequest or Patient, "
            "several of them, a Dosage without words",
    "panel": "a prescription text that does not fit in the personal panel at the top of page 1",
    "logo": "a brand's logo that is missing, unreadable, too large, or not a PNG, JPEG or SVG image",
    "contrast": "a brand colour that leaves text too faint, or callouts alike in grayscale",
}
