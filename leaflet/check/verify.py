"""Read a built PDF back and check that the content is printed in it.

This is the only module that imports pypdf. ``leaflet verify CONTENT PDF``
and the test-suite use it: every text the author wrote must be found in the
PDF's text (compared after normalising whitespace and line-end hyphenation),
and every page must carry the disclaimer and its "Page X of Y" label.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import msgspec

from ..content.document import Document
from ..errors import Diagnostic
from ..resources import locale_for
from ..text.inline import paragraphs, plain
from ..text.printed import continued_bands, furniture, iter_texts

_SPACE = re.compile(r"\s+")
_HYPHEN_BREAK = re.compile(r"-\s+(?=\w)")


def normalise(text: str) -> str:
    """NFC, no soft hyphens, single spaces, and no space after a hyphen (line-end hyphenation)."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    text = _SPACE.sub(" ", text).strip()
    return _HYPHEN_BREAK.sub("-", text)


class PdfText(msgspec.Struct):
    """What a PDF says: text per page (normalised) and its document info."""

    pages: list[str]
    metadata: dict[str, str]
    language: str | None
    outline: list[str] = []
    fonts: list[tuple[str, bool]] = []

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def read_pdf(path: str | Path | bytes) -> PdfText:
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files: we report, pypdf need not warn

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    pages = [normalise(page.extract_text() or "") for page in reader.pages]
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
    root: Any = reader.trailer["/Root"]
    lang = root.get("/Lang")
    outline: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append(str(item.title))

    walk(reader.outline)
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        _collect_fonts(page.get("/Resources"), fonts, set())
    return PdfText(pages, meta, str(lang) if lang is not None else None, outline, sorted(fonts.items()))


def _collect_fonts(resources: Any, found: dict[str, bool], seen: set[int]) -> None:
    """Font name -> embedded?, through pages and the form XObjects they use."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        embedded = False
        if descriptor is not None:
            d = descriptor.get_object()
            embedded = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        found[str(font.get("/BaseFont"))] = embedded
    for xobject in (resources.get("/XObject") or {}).values():
        ref = getattr(xobject, "idnum", -1)
        if ref in seen:
            continue
        seen.add(ref)
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _collect_fonts(xobject.get("/Resources"), found, seen)


def verify(doc: Document, pdf: str | Path | bytes) -> list[Diagnostic]:
    """Problems found comparing ``doc`` with the PDF; an empty list means all is printed."""
    read = read_pdf(pdf)
    where = str(pdf) if not isinstance(pdf, bytes) else "<pdf>"
    strings = locale_for(doc.leaflet.language, doc.locale_dirs).strings
    total = len(read.pages)
    problems: list[Diagnostic] = []
    bodies = []
    for n, page in enumerate(read.pages, start=1):
        pieces = furniture(doc.leaflet, strings, n, total)
        expected = normalise(" ".join(pieces))
        if page.endswith(expected):
            bodies.append(page[: -len(expected)])
            continue
        bodies.append(page)
        missing = [t for t in pieces if normalise(t) not in page]
        problems.append(Diagnostic(
            f"page {n} does not end with its header and footer"
            + (f"; missing: {'; '.join(repr(m) for m in missing)}" if missing else " in the expected order"),
            (), "every page must carry the disclaimer, 'Page X of Y' and the revision", file=where))
    whole = normalise(" ".join(bodies))
    for band in continued_bands(doc.leaflet, strings):  # a callout's band repeated after a page break
        whole = whole.replace(" " + normalise(band) + " ", " ")
    compact = whole.replace(" ", "")  # a word too long for its line is split across lines
    for path, text in iter_texts(doc.leaflet):
        if path[0] in ("disclaimer", "revision"):
            continue  # page furniture: checked on every page above
        for para in paragraphs(text):
            expected = normalise(plain(para))
            if expected not in whole and expected.replace(" ", "") not in compact:
                shown = expected if len(expected) <= 70 else expected[:67] + "…"
                problems.append(doc.source.map.place(Diagnostic(
                    f"not printed in the PDF: '{shown}'", path, "the text is missing or altered on the page")))
    if read.language != doc.leaflet.language:
        problems.append(Diagnostic(
            f"the PDF's language (/Lang) is {read.language!r}, the content says {doc.leaflet.language!r}",
            ("language",), file=where))
    return problems
