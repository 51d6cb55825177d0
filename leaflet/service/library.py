"""The service's library: a folder of leaflets, ``<library>/<leaflet>/<language>.yaml``.

A leaflet id and a language from a request never reach the file system: they are looked up in
the listing of the folder, and only a path found by listing it is ever opened. A folder or file
whose name is not a plain id (``..``, slashes, spaces, control characters) is not listed, and
neither is one that leads outside the library through a symbolic link.
"""
from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import ResourceError
from ..resources import locale_file, locale_for

LEAFLET_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")  # no dot first: never '.' or '..'
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}")  # a translation's file name: <language>.yaml
# a language asked for (a request's path): BCP 47 tags are case-insensitive (EN, en-gb, zh-hans-cn are
# en, en-GB, zh-Hans-CN); letters, digits and hyphens only, so never a path ('..', '/', '%2F')
ANY_CASE_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}")


class Library:
    """The leaflets of ``folder``, listed afresh on each call (adding a translation needs no
    restart; a listing is a few directory reads)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ResourceError(f"the library {folder} is not a folder of leaflets "
                                "(<leaflet>/<language>.yaml): give one with --library DIR")
        self.root = Path(os.path.realpath(self.folder))

    def _inside(self, path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return real != self.root and self.root in real.parents

    def listing(self) -> dict[str, dict[str, str]]:
        """leaflet id -> language -> the path of its file (in name order)."""
        out: dict[str, dict[str, str]] = {}
        try:
            folders = sorted(os.scandir(self.folder), key=lambda e: e.name)
        except OSError:
            return out
        for entry in folders:
            if not LEAFLET_ID.fullmatch(entry.name) or not entry.is_dir() or not self._inside(Path(entry.path)):
                continue
            languages: dict[str, str] = {}
            try:
                files = sorted(os.scandir(entry.path), key=lambda e: e.name)
            except OSError:
                continue
            for file in files:
                stem, dot, ext = file.name.rpartition(".")
                if not dot or ext != "yaml" or not LANGUAGE.fullmatch(stem):
                    continue
                if file.is_file() and self._inside(Path(file.path)):
                    languages[stem] = file.path
            if languages:
                out[entry.name] = languages
        return out

    def find(self, leaflet: str, language: str) -> str | None:
        """The file of ``leaflet`` in ``language``, or None: only an entry of the listing (see :meth:`lookup`)."""
        found = self.lookup(leaflet, language)
        return found[1] if found is not None else None

    def lookup(self, leaflet: str, language: str) -> tuple[str, str] | None:
        """(the language as the listing has it, the file) of ``leaflet`` in ``language``, or None:
        only an entry of the listing, the leaflet's id exactly, the language in any case (BCP 47
        tags are case-insensitive: ``EN`` and ``en-gb`` find ``en.yaml`` and ``en-GB.yaml``); of two
        files whose names differ only in case, the one named as asked, else in BCP 47's case."""
        if not ANY_CASE_LANGUAGE.fullmatch(language):
            return None
        languages = self.listing().get(leaflet, {})
        if language in languages:
            return language, languages[language]
        same = [stem for stem in languages if stem.lower() == language.lower()]
        if not same:
            return None
        from ..personal.model import canonical_language

        stem = next((s for s in same if s == canonical_language(s)), same[0])
        return stem, languages[stem]

    def first(self) -> str | None:
        for languages in self.listing().values():
            for path in languages.values():
                return path
        return None


@functools.lru_cache(maxsize=256)
def language_info(language: str) -> dict[str, Any]:
    """What the form and ``GET /leaflets`` say of a language: its name (in itself, from its
    locale) and direction (the bundled locales do not change while the service runs)."""
    info: dict[str, Any] = {"language": language, "name": language, "direction": "ltr"}
    try:
        locale = locale_for(language)
        info["direction"] = locale.direction
        name = json.loads(locale_file(language).read_text(encoding="utf-8")).get("name")
        if isinstance(name, str) and name:
            info["name"] = name
    except (ResourceError, OSError, ValueError):
        pass
    return info
