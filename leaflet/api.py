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
from .errors import ContentError, Diagnostic, ResourceError, UsageError
from .resources import Locale, locale_for
from .resources import theme as load_theme
from .text.printed import iter_texts

MAX_INPUT_SIZE = loader.MAX_INPUT_SIZE  # bytes (10 MB)


def _direction(source: loader.Source) -> str:
    """The writing direction of the leaflet's language, from its locale ("ltr" without one:
    a leaflet without a locale is refused anyway, by :func:`check`)."""
    language = source.data.get("language") if isinstance(source.data, dict) else None
    if isinstance(language, str):
        try:
            return locale_for(language).direction
        except ResourceError:
            pass
    return "ltr"


def _document(source: loader.Source) -> Document:
    return Document(validation.to_model(source, direction=_direction(source)), source)


def parse(text: str | bytes, file: str = "<input>", *, max_input_size: int = MAX_INPUT_SIZE) -> Document:
    """Validate leaflet YAML given as text (or as UTF-8 bytes, e.g. read from a pipe)."""
    return _document(loader.parse(text, file, max_input_size=max_input_size))


def load(path: str | os.PathLike[str], *, max_input_size: int = MAX_INPUT_SIZE) -> Document:
    """Read and validate a leaflet file. Raises :class:`ContentError` listing every problem.

    Only a regular file of at most ``max_input_size`` bytes is read (not a device or a pipe)."""
    return _document(loader.load(path, max_input_size=max_input_size))


def _locale(doc: Document) -> Locale:
    try:
        return locale_for(doc.leaflet.language)
    except ResourceError as exc:
        raise ContentError([doc.source.map.place(Diagnostic(
            f"leaflet has no locale for language '{doc.leaflet.language}'", ("language",), str(exc),
            code="locale"))]) from None


def check(doc: Document):
    """Checks that need the locale and fonts: every printed character has a glyph."""
    from .typeset.fonts import check_locale, fonts_for, glyph_problems

    locale = _locale(doc)
    fonts = fonts_for(locale.script)
    check_locale(fonts, locale.strings, locale.file or f"locale '{locale.language}'")
    problems = glyph_problems(fonts, iter_texts(doc.leaflet))
    if problems:
        raise ContentError([doc.source.map.place(p) for p in problems])
    return locale, fonts


def validate(path: str | os.PathLike[str], *, max_input_size: int = MAX_INPUT_SIZE) -> list[Diagnostic]:
    """Every problem in a leaflet file (format, content rules, locale, glyphs); [] when it is fine."""
    try:
        check(load(path, max_input_size=max_input_size))
    except ContentError as exc:
        return exc.diagnostics
    return []


def source_date_epoch() -> int | None:
    """``$SOURCE_DATE_EPOCH`` (reproducible builds: the PDF's dates), or None when unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > 253402300799:  # 9999-12-31
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01 "
                         "(see https://reproducible-builds.org/specs/source-date-epoch/)")
    return int(value)


def build_bytes(doc: Document, *, paper: str = "a4", theme: str = "default") -> bytes:
    """Lay out and render ``doc``; return the PDF as bytes.

    The PDF's creation and modification dates are ``$SOURCE_DATE_EPOCH`` when it is set,
    else the leaflet's revision date: never the clock, so the same input gives the same bytes."""
    from .errors import RenderError
    from .typeset.render import render

    epoch = source_date_epoch()
    locale, fonts = check(doc)
    try:
        return render(doc.leaflet, locale, load_theme(theme), fonts, paper, epoch=epoch)
    except RenderError as exc:
        if not exc.path:
            raise
        raise ContentError([doc.source.map.place(Diagnostic(str(exc), exc.path, exc.hint, code=exc.code))]) from None


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
