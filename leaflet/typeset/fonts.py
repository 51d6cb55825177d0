"""Fonts: which files print which script, registered once per process.

Fonts come only from the project's ``fonts/`` folder (open licences, TrueType
outlines so that ReportLab can embed and subset them). Nothing may fall back
to an unembedded PDF standard font, and a character the font cannot draw is a
content error (naming the field), never a blank box on a patient's leaflet.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import msgspec
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..errors import Diagnostic, Path, ResourceError
from ..resources import font_table, fonts_dir

# Characters that never need a glyph: line breaks and layout whitespace.
_NO_GLYPH_NEEDED = set("\n\r\t")


class FontSet(msgspec.Struct, frozen=True):
    """The registered ReportLab font names for one script."""

    family: str
    regular: str
    bold: str
    cmap: frozenset[int]

    def missing(self, text: str) -> list[str]:
        return sorted({ch for ch in text if ord(ch) not in self.cmap and ch not in _NO_GLYPH_NEEDED})


_registered: dict[str, FontSet] = {}


def _register(file_name: str) -> tuple[str, frozenset[int]]:
    name = "Leaflet-" + file_name.rsplit(".", 1)[0]
    if name in pdfmetrics.getRegisteredFontNames():  # not getFont(): it searches the disk for AFM files
        font = pdfmetrics.getFont(name)
    else:
        path = fonts_dir() / file_name
        if not path.is_file():
            raise ResourceError(f"font file not found: {path} (see fonts/README.md)") from None
        try:
            font = TTFont(name, str(path))
        except TTFError as exc:
            raise ResourceError(f"cannot use font {path}: {exc}") from None
        pdfmetrics.registerFont(font)
    return name, frozenset(font.face.charToGlyph)


def check_locale(fonts: FontSet, strings: dict, where: str) -> None:
    """The locale's own strings print too: a glyph missing there is the locale file's fault."""
    texts = [s for v in strings.values() for s in (v if isinstance(v, list) else [v]) if isinstance(s, str)]
    missing = sorted({ch for text in texts for ch in fonts.missing(text)})
    if missing:
        raise ResourceError(f"{where}: {fonts.family} has no glyph for "
                            + ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
                            + "; check the locale's 'script' or its fonts in leaflet/data/fonts.json")


def fonts_for(script: str) -> FontSet:
    """Register (once) and return the fonts for an ISO 15924 script code."""
    if script in _registered:
        return _registered[script]
    table = font_table()
    if script not in table:
        raise ResourceError(
            f"no font is set up for script '{script}'; scripts with fonts: {', '.join(sorted(table))} "
            "(add one to leaflet/data/fonts.json and its file to fonts/)"
        )
    entry = table[script]
    regular, cmap = _register(entry["regular"])
    bold, bold_cmap = _register(entry["bold"])
    fs = FontSet(entry["family"], regular, bold, cmap & bold_cmap)
    _registered[script] = fs
    return fs


def _show(ch: str) -> str:
    """'é' (U+00E9); invisible and control characters by code point only."""
    return f"U+{ord(ch):04X}" if unicodedata.category(ch)[0] in "CZ" else f"'{ch}' (U+{ord(ch):04X})"


def glyph_problems(fonts: FontSet, texts: Iterable[tuple[Path, str]]) -> list[Diagnostic]:
    """A diagnostic for each text that holds characters the fonts cannot draw."""
    problems = []
    for path, text in texts:
        missing = fonts.missing(unicodedata.normalize("NFC", text))
        if missing:
            shown = ", ".join(_show(ch) for ch in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            problems.append(Diagnostic(
                f"{fonts.family} has no glyph for {shown}{more}", path,
                "check the leaflet's 'language' (it chooses the script and its font), "
                "or replace the character", code="glyph",
            ))
    return problems
