"""Data files that ship with leaflet: locale strings, themes, the font table.

They are JSON so that loading them costs nothing and needs no YAML; a
translator adds ``leaflet/data/locales/<lang>.json`` to print the fixed strings
("Page X of Y", callout labels …) of a new language.
"""
from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from .errors import ResourceError

DATA = Path(__file__).resolve().parent / "data"


def fonts_dir() -> Path:
    """The bundled fonts: ``$LEAFLET_FONTS`` if set; else ``leaflet/fonts`` in an installed
    package; else ``fonts/`` in a checkout (and an editable install)."""
    env = os.environ.get("LEAFLET_FONTS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    installed = here / "fonts"
    return installed if installed.is_dir() else here.parent / "fonts"


class Locale(msgspec.Struct, frozen=True):
    language: str
    script: str
    direction: str
    strings: dict[str, Any]


def available_locales() -> list[str]:
    return sorted(p.stem for p in (DATA / "locales").glob("*.json"))


@cache
def locale_for(language: str) -> Locale:
    """The locale for a BCP 47 tag: the exact tag first, then its primary language."""
    candidates = [language, language.split("-")[0]]
    for tag in candidates:
        path = DATA / "locales" / f"{tag}.json"
        if path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
            return Locale(language, raw["script"], raw["direction"], raw["strings"])
    raise ResourceError(
        f"no locale strings for language '{language}' (looked for "
        f"{', '.join(f'leaflet/data/locales/{t}.json' for t in dict.fromkeys(candidates))}); "
        f"available: {', '.join(available_locales())}. "
        "Copy en.json, translate its strings and set its script."
    )


def available_themes() -> list[str]:
    return sorted(p.stem for p in (DATA / "themes").glob("*.json"))


@cache
def theme(name: str = "default") -> dict[str, Any]:
    path = DATA / "themes" / f"{name}.json"
    if not path.is_file():
        raise ResourceError(f"unknown theme '{name}'; available: {', '.join(available_themes())}")
    data = json.loads(path.read_text(encoding="utf-8"))
    base = data.pop("extends", None)
    if base:
        merged = json.loads(json.dumps(theme(base)))
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key].update(value)
            else:
                merged[key] = value
        return merged
    return data


@cache
def font_table() -> dict[str, dict[str, str]]:
    raw = json.loads((DATA / "fonts.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}
