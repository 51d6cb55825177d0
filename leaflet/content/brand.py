"""A clinic's brand file (``build --brand FILE``): its name, logo, accent colour, contact lines
and website, printed in the title block and the footer of every page.

Validated like content: read by :mod:`leaflet.content.loader` (line and column of every value),
converted with msgspec (unknown keys are errors, with a did-you-mean), every problem reported at
once from the same JSON Schema that is published (``schema/brand.schema.json``, ``leaflet schema
--brand``). The logo's file is checked here (there, readable, not too large, a PNG, JPEG or SVG by
its first bytes); drawing it (and reading its pixels) is the typesetter's (:mod:`leaflet.typeset.brand`).
The accent colour's contrast and the callouts' grayscale distinction are checked against the
theme it is used with (:func:`colour_problems`), at build time.
"""
from __future__ import annotations

import json
import math
import os
import re
import stat
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from ..errors import ContentError, Diagnostic, Path
from ..text.uri import url_problem
from .loader import MAX_INPUT_SIZE, Source, load
from .model import Text, is_set

BRAND_SCHEMA_ID = "https://leaflet.invalid/schema/brand.schema.json"
MAX_LOGO_BYTES = 5 * 1024 * 1024  # a logo larger than this is refused (a print logo is well under 1 MB)
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MIN_CONTRAST = 4.5  # WCAG 2 AA for text
MIN_CALLOUT_CONTRAST = 3.0  # serious and common callout bands, as grays (WCAG's non-text contrast)

Colour = Annotated[str, Meta(pattern=r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$", description=(
    "A colour written #RRGGBB (or #RGB), in quotes: a # outside quotes starts a YAML comment."))]


class Colors(Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """The brand's colours."""

    accent: Annotated[Colour, Meta(description=(
        "The accent colour: the clinic's name, the rules, table headers, precaution and common callout "
        "borders, and a light tint of it behind common callouts. Text printed in it or on it keeps a "
        "contrast of at least 4.5:1; serious callouts stay black."))]


class Brand(Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A clinic's brand, printed in the title block and in the footer of every page."""

    name: Annotated[Text, Meta(description="The clinic's name: beside the logo above the title, and in the footer.")]
    logo: Annotated[str, Meta(min_length=1, description=(
        "The logo: a PNG, JPEG or SVG file, its path relative to the brand file; optional."))] | UnsetType = UNSET
    colors: Colors | UnsetType = UNSET
    contact: Annotated[list[Text], Meta(min_length=1, description=(
        "Lines such as the address and the phone number, printed in the footer; optional."))] | UnsetType = UNSET
    website: Annotated[str, Meta(description=(
        "The clinic's web address (http:// or https://), printed in the footer as a link; optional."))] | \
        UnsetType = UNSET


class BrandDocument(msgspec.Struct):
    """A validated brand and the file it came from (for error positions and the logo's path)."""

    brand: Brand
    source: Source
    logo_path: str | None = None  # the logo's file, resolved against the brand file's folder

    @property
    def path(self) -> str:
        return self.source.file

    def place(self, diagnostic: Diagnostic) -> Diagnostic:
        return self.source.map.place(diagnostic)


@lru_cache(maxsize=1)
def brand_schema() -> dict[str, Any]:
    schema = msgspec.json.schema(Brand)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BRAND_SCHEMA_ID,
            "title": "leaflet: a clinic's brand file (build --brand)", **schema}


def brand_schema_text() -> str:
    return json.dumps(brand_schema(), indent=2, ensure_ascii=False) + "\n"


def load_brand(path: str | os.PathLike[str], *, max_input_size: int = MAX_INPUT_SIZE) -> BrandDocument:
    """Read and validate a brand file; raise :class:`ContentError` with every problem, each at
    its file:line:col (the logo's problems at the ``logo`` field)."""
    source = load(path, max_input_size=max_input_size)
    return to_brand(source, FilePath(path).parent)


def to_brand(source: Source, folder: FilePath) -> BrandDocument:
    from .rules import character_problems, text_problems
    from .validation import schema_problems

    problems: list[Diagnostic] = []
    data = source.data
    brand: Brand | None = None
    try:
        brand = msgspec.convert(data, Brand, strict=True)
    except msgspec.ValidationError as exc:
        problems.extend(schema_problems(data, brand_schema(), _colour_syntax))
        if not problems:  # pragma: no cover - the schema and msgspec agree
            problems.append(Diagnostic(str(exc), (), code="type"))
    if isinstance(data, dict):
        for key in ("name", "contact"):
            value = data.get(key)
            values = [((key,), value)] if isinstance(value, str) else [
                ((key, i), v) for i, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []
            for where, text in values:
                problems.extend(p for p in text_problems(text, where) if p.code != "markup")
        for key in ("logo", "website"):
            if isinstance(data.get(key), str):
                problems.extend(character_problems(data[key], (key,)))
        website = data.get("website")
        if isinstance(website, str) and (found_url := url_problem(website)) is not None:
            message, hint = found_url
            if message.startswith("not a web address"):
                message = f"'{website}' is {message}"
            problems.append(Diagnostic(message, ("website",), hint.replace("leaflets/baclofen-en", "clinic"),
                                       code="value"))
    logo_path = None
    if brand is not None and is_set(brand.logo) and not problems:
        logo_path, problem = _logo_file(brand.logo, folder)
        if problem is not None:
            problems.append(problem)
    if problems or source.problems:
        placed = [source.map.place(p, key=p.message.startswith(("unknown key", "missing required")))
                  for p in problems]
        placed.extend(source.problems)
        placed.sort(key=lambda d: (d.line == 0, d.line, d.column))
        raise ContentError(placed)
    assert brand is not None
    return BrandDocument(brand, source, logo_path)


def _colour_syntax(error: Any) -> list[Diagnostic]:
    """A colour that is not #RRGGBB, or empty (an unquoted # is a YAML comment: the value is empty)."""
    path: Path = tuple(error.absolute_path)
    if path != ("colors", "accent"):
        return []
    if error.instance is None:
        return [Diagnostic("the colour is empty", path,
                           "write it in quotes: accent: \"#1f6f4a\" (a # outside quotes starts a YAML comment)",
                           code="value")]
    if error.validator == "pattern":
        return [Diagnostic(f"'{error.instance}' is not a colour written #RRGGBB", path,
                           "e.g. accent: \"#1f6f4a\" (in quotes)", code="value")]
    return []


LOGO_KINDS = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def logo_kind(head: bytes) -> str | None:
    """'PNG', 'JPEG' or 'SVG' from a file's first bytes; None for anything else."""
    for magic, kind in LOGO_KINDS.items():
        if head.startswith(magic):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE", b"<!doctype")) and b"<svg" in head:
        return "SVG"
    return None


def _logo_file(logo: str, folder: FilePath) -> tuple[str | None, Diagnostic | None]:
    """The logo's path, or the problem with it (at the ``logo`` field)."""
    path = folder / logo

    def problem(message: str, hint: str) -> tuple[None, Diagnostic]:
        return None, Diagnostic(message, ("logo",), hint, code="logo")

    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return problem(f"the logo {logo} is not there (looked for {path})",
                       "the path is relative to the brand file's folder")
    except (OSError, ValueError) as exc:
        return problem(f"cannot read the logo {logo}: {getattr(exc, 'strerror', None) or exc}", "")
    if stat.S_ISDIR(info.st_mode):
        return problem(f"the logo {logo} is a folder, not an image", "name a PNG, JPEG or SVG file")
    if not stat.S_ISREG(info.st_mode):
        return problem(f"the logo {logo} is not a regular file", "name a PNG, JPEG or SVG file")
    if info.st_size > MAX_LOGO_BYTES:
        return problem(f"the logo {logo} is {info.st_size / (1 << 20):.1f} MB, more than the "
                       f"{MAX_LOGO_BYTES >> 20} MB a logo may be", "save it smaller: a print logo needs well under 1 MB")
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        return problem(f"cannot read the logo {logo}: {exc.strerror}", "check the file's permissions")
    if logo_kind(head) is None:
        return problem(f"the logo {logo} is not a PNG, JPEG or SVG image", "save the logo as PNG, JPEG or SVG")
    return str(path), None


# -- colours -------------------------------------------------------------------------------------

def parse_colour(text: str) -> tuple[float, float, float]:
    """'#1f6f4a' or '#1f4' -> (r, g, b) in 0..1."""
    h = text.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def hex_colour(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance: what a colour prints as in grayscale, 0 (black) to 1 (white)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(linear, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tint(rgb: tuple[float, float, float], share: float) -> tuple[float, float, float]:
    """``share`` of the colour on white paper (a light tint for backgrounds)."""
    return tuple(1 - share * (1 - c) for c in rgb)  # type: ignore[return-value]


BAND_TINT = 0.18  # the common callout's band: a light tint of the accent
BACKGROUND_TINT = 0.07  # ... and its background


def brand_colours(brand: Brand, colours: dict[str, str]) -> dict[str, str]:
    """The theme's ``colours`` with the brand's accent applied (unchanged without one): the accent
    for the rules, the table header, precaution and common callout borders and the clinic's name
    (``brand``); light tints of it for the common callout's band and background. Serious callouts
    keep the theme's (black) styling."""
    if not is_set(brand.colors):
        return {**colours, "brand": colours["text"]}
    accent = brand.colors.accent.lower()
    rgb = parse_colour(accent)
    if len(accent) == 4:
        accent = hex_colour(rgb)
    return {**colours, "brand": accent, "rule": accent, "table_header_bg": accent, "precaution_border": accent,
            "common_border": accent, "common_band": hex_colour(tint(rgb, BAND_TINT)),
            "common_bg": hex_colour(tint(rgb, BACKGROUND_TINT))}


def _suggest(rgb: tuple[float, float, float], against: tuple[float, float, float]) -> str:
    """The accent darkened (or lightened) just enough for a contrast of 4.5:1 against ``against``."""
    dark = luminance(against) > 0.5
    for step in range(1, 101):
        k = step / 100
        candidate = tuple(c * (1 - k) for c in rgb) if dark else tuple(c + (1 - c) * k for c in rgb)
        if contrast(candidate, against) >= MIN_CONTRAST + 0.05:  # type: ignore[arg-type]
            return hex_colour(candidate)  # type: ignore[arg-type]
    return "#000000" if dark else "#ffffff"


def _ratio(ratio: float) -> str:
    """A contrast ratio as shown: rounded down (4.48 is 4.4, never a 4.5 that reads as passing)."""
    return f"{math.floor(ratio * 10) / 10:.1f}"


def colour_problems(brand: Brand, colours: dict[str, str]) -> list[Diagnostic]:
    """The accent colour against the theme's ``colours`` (their ``text``, ``table_header_text``,
    ``common_band_text``, ``serious_band`` and the white paper): every text printed in it or on it
    keeps a contrast of at least 4.5:1, and a common callout's band stays far from a serious one's
    in grayscale (3:1). Each problem names the colour, at the ``colors.accent`` field."""
    if not is_set(brand.colors):
        return []
    accent = brand.colors.accent
    rgb = parse_colour(accent)
    applied = brand_colours(brand, colours)
    white = (1.0, 1.0, 1.0)
    path: Path = ("colors", "accent")
    out: list[Diagnostic] = []
    checks = [
        ("the clinic's name, printed in it on the white paper", white, rgb),
        (f"the table headers' text ({colours['table_header_text']}) on it", parse_colour(colours["table_header_text"]),
         rgb),
        (f"the common callouts' band text ({colours['common_band_text']}) on its tint "
         f"({applied['common_band']})", parse_colour(colours["common_band_text"]), parse_colour(applied["common_band"])),
    ]
    for what, fg, bg in checks:
        ratio = contrast(fg, bg)
        if ratio < MIN_CONTRAST:
            against = fg if bg == rgb else bg
            better = _suggest(rgb, against)
            out.append(Diagnostic(
                f"the accent colour {accent} gives a contrast of {_ratio(ratio)}:1 for {what}; text needs at least "
                f"{MIN_CONTRAST}:1", path, f"choose a darker or lighter accent, e.g. {better}", code="contrast"))
            break  # one problem says enough: the suggestion fixes the others too, or they follow
    serious = parse_colour(colours["serious_band"])
    common = parse_colour(applied["common_band"])
    ratio = contrast(serious, common)
    if ratio < MIN_CALLOUT_CONTRAST:
        out.append(Diagnostic(
            f"with the accent colour {accent}, a common callout's band ({applied['common_band']}) is too close to "
            f"a serious one's ({colours['serious_band']}) in grayscale: {_ratio(ratio)}:1, at least "
            f"{MIN_CALLOUT_CONTRAST}:1 keeps them apart", path, "choose a lighter accent colour", code="contrast"))
    return out


def printed_texts(brand: Brand) -> list[tuple[Path, str]]:
    """The brand's texts as they print, in order, each with its field: for the glyph check."""
    out: list[tuple[Path, str]] = [(("name",), brand.name)]
    if is_set(brand.contact):
        out.extend((("contact", i), line) for i, line in enumerate(brand.contact))
    if is_set(brand.website):
        out.append((("website",), brand.website))
    return out
