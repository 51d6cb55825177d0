"""The service's brands (``leaflet serve --brand [ID=]BRAND.yaml``): a clinic's or pharmacy's
brand printed on every leaflet the service serves.

Each brand file is read and checked once, when the service starts and before it listens: its
format and its logo (:func:`leaflet.api.load_brand`), its accent colour against every bundled
theme (a request may ask for any of them with ``?theme=``), and its texts against the fonts of
every language of the library (one leaflet per language is loaded for its fonts). A problem stops
the service with the brand file's ``file:line:col``. The brands checked are then handed to each
build process as they are (the files are not read again while the service runs: a changed brand
file needs a restart).

Several brands: each has an id (``ID=FILE``, or the file's name without ``.yaml``); a request
chooses one with ``?brand=ID``; without it the first brand given is used.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from .. import api
from ..errors import ContentError, Diagnostic, UsageError
from ..resources import available_themes
from ..resources import theme as load_theme
from .library import LEAFLET_ID, Library

if TYPE_CHECKING:
    from ..content.brand import BrandDocument
    from ..content.document import Document

BRAND_ID = LEAFLET_ID  # a plain id: letters, digits, '.', '_', '-' (no dot first)
_NAMED = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]{0,99})=(.+)", re.DOTALL)


def parse_spec(spec: str) -> tuple[str, str]:
    """``--brand`` as given: ``ID=FILE`` or ``FILE`` (its id then the file's name without its
    extension). A file that exists under the whole name is that file, '=' or not."""
    if not spec.strip():
        raise UsageError("--brand needs a brand file (BRAND.yaml) or ID=BRAND.yaml, not an empty name")
    named = _NAMED.fullmatch(spec)
    if named and not os.path.exists(spec):
        return named.group(1), named.group(2)
    stem = Path(spec).stem
    if not BRAND_ID.fullmatch(stem):
        raise UsageError(f"--brand {spec}: the file's name cannot serve as the brand's id (?brand=ID); "
                         "name it: --brand ID=FILE, with an id of letters, digits, '.', '_' or '-'")
    return stem, spec


def brand_ids(specs: list[str]) -> tuple[tuple[str, str], ...]:
    """The ``--brand`` options as (id, file) pairs, in the order given; an id given twice is an error."""
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for spec in specs:
        brand_id, path = parse_spec(spec)
        if brand_id in seen:
            raise UsageError(f"two brands have the id '{brand_id}': name them apart, --brand ID=FILE")
        seen.add(brand_id)
        pairs.append((brand_id, path))
    return tuple(pairs)


def load_brands(brands: tuple[tuple[str, str], ...], library: Library, *,
                max_input_size: int | None = None) -> dict[str, BrandDocument]:
    """Read and check every brand (see the module's docstring); raise one ContentError with every
    problem of every brand, each at its brand file's line and column, or return id -> brand in the
    order given."""
    if not brands:
        return {}
    loaded: dict[str, BrandDocument] = {}
    problems: list[Diagnostic] = []
    for brand_id, path in brands:
        try:
            loaded[brand_id] = api.load_brand(path) if max_input_size is None else \
                api.load_brand(path, max_input_size=max_input_size)
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    if not loaded:
        raise ContentError(problems)
    themes = [load_theme(name) for name in available_themes()]
    found: dict[Diagnostic, list[str]] = {}  # a problem -> the languages it is found in (a colour's: all)
    for doc in _one_leaflet_per_language(library):
        try:
            _, fonts = api.check(doc)
        except ContentError:  # a leaflet with problems is reported when it is asked for, not here
            continue
        for brand in loaded.values():
            for theme_data in themes:
                try:
                    api.check_brand(doc, brand, fonts, theme_data)
                except ContentError as exc:
                    for d in exc.diagnostics:
                        languages = found.setdefault(d, [])
                        if doc.leaflet.language not in languages:
                            languages.append(doc.leaflet.language)
    problems.extend(_in_languages(d, languages) for d, languages in found.items())
    if problems:
        raise ContentError(problems)
    return loaded


def _in_languages(d: Diagnostic, languages: list[str]) -> Diagnostic:
    """A glyph problem says which of the library's languages cannot print the brand's text."""
    if d.code != "glyph":
        return d
    return msgspec.structs.replace(d, message=f"{d.message} (the library's leaflets in {', '.join(languages)})")


def _one_leaflet_per_language(library: Library) -> list[Document]:
    """A leaflet of the library in each of its languages (the first that loads), for its fonts."""
    docs: dict[str, Document] = {}
    for languages in library.listing().values():
        for language, path in languages.items():
            if language in docs:
                continue
            try:
                docs[language] = api.load(path)
            except ContentError:
                continue
    return list(docs.values())
