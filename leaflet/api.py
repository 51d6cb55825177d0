"""The public Python API: load, validate, build.

    import leaflet
    problems = leaflet.validate("content/baclofen/en.yaml")   # [] when the file is fine
    doc = leaflet.load("content/baclofen/en.yaml")            # raises leaflet.ContentError
    leaflet.build(doc, "output/baclofen-en.pdf")              # or leaflet.build_bytes(doc)
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .content import loader, validation
from .content.document import Document
from .errors import ContentError, Diagnostic, ResourceError
from .resources import Locale, locale_for
from .resources import theme as load_theme
from .text.printed import iter_texts


def parse(text: str, file: str = "<input>") -> Document:
    """Validate leaflet YAML given as text."""
    source = loader.parse(text, file)
    return Document(validation.to_model(source), source)


def load(path: str | os.PathLike[str]) -> Document:
    """Read and validate a leaflet file. Raises :class:`ContentError` listing every problem."""
    source = loader.load(path)
    return Document(validation.to_model(source), source)


def _locale(doc: Document) -> Locale:
    try:
        return locale_for(doc.leaflet.language)
    except ResourceError as exc:
        raise ContentError([doc.source.map.place(Diagnostic(
            f"leaflet has no locale for language '{doc.leaflet.language}'", ("language",), str(exc)))]) from None


def check(doc: Document):
    """Checks that need the locale and fonts: every printed character has a glyph."""
    from .typeset.fonts import check_locale, fonts_for, glyph_problems

    locale = _locale(doc)
    fonts = fonts_for(locale.script)
    check_locale(fonts, locale.strings, f"locale '{locale.language}'")
    problems = glyph_problems(fonts, iter_texts(doc.leaflet))
    if problems:
        raise ContentError([doc.source.map.place(p) for p in problems])
    return locale, fonts


def validate(path: str | os.PathLike[str]) -> list[Diagnostic]:
    """Every problem in a leaflet file (format, content rules, locale, glyphs); [] when it is fine."""
    try:
        check(load(path))
    except ContentError as exc:
        return exc.diagnostics
    return []


def build_bytes(doc: Document, *, paper: str = "a4", theme: str = "default") -> bytes:
    """Lay out and render ``doc``; return the PDF as bytes."""
    from .errors import RenderError
    from .typeset.render import render

    locale, fonts = check(doc)
    try:
        return render(doc.leaflet, locale, load_theme(theme), fonts, paper)
    except RenderError as exc:
        if not exc.path:
            raise
        raise ContentError([doc.source.map.place(Diagnostic(str(exc), exc.path, exc.hint))]) from None


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename: never a partial file."""
    target = Path(path)
    for folder in reversed(target.parents):
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(20, f"{folder} is a file, not a folder", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; a leaflet is not
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def build(doc: Document, path: str | os.PathLike[str], *, paper: str = "a4", theme: str = "default") -> Path:
    """Build ``doc`` into the PDF file ``path`` (written atomically); return the path."""
    write_atomic(path, build_bytes(doc, paper=paper, theme=theme))
    return Path(path)
