"""Problems found in content, with where they are and what to do about them.

Every stage (loading, validation, the glyph check in layout) reports problems
as :class:`Diagnostic` values; :class:`ContentError` carries all of them at
once, so an author fixes a file in one round instead of one error at a time.
"""
from __future__ import annotations

from typing import Iterable, Union

import msgspec

PathPart = Union[str, int]
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

    def located(self, file: str, line: int, column: int) -> "Diagnostic":
        return Diagnostic(self.message, self.path, self.hint, file, line, column)

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where += f":{self.line}:{self.column}"
        text = f"{where}: error: "
        if self.path:
            text += f"{format_path(self.path)}: "
        text += self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ContentError(Exception):
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
