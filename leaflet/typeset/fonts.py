"""Fonts: which files print which script, registered once per process.

Each script has an ordered chain of font families (``leaflet/data/fonts.json``):
the primary family first, then fallbacks. Text is printed character by
character in the first family of the chain that has the character, so a
Latin leaflet prints in Noto Sans and its ``≥``, ``→`` or ``✓`` in the symbol
fallback, inside the same paragraph. A fallback font is embedded (as a
subset) only in a PDF that uses it.

Fonts come only from the project's ``fonts/`` folder (open licences, TrueType
outlines so that ReportLab can embed and subset them). Nothing may fall back
to an unembedded PDF standard font, and a character that no font of the chain
can draw is a content error (naming the field and every such character), never
a blank box on a patient's leaflet.
"""
from __future__ import annotations

import copy
import threading
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.textobject import PDFTextObject

from ..errors import Diagnostic, Path, ResourceError
from ..resources import font_table, fonts_dir
from ..text.bidi import CONTROLS

# Characters that never need a glyph: line breaks and layout whitespace, and the directional
# controls and marks, which steer the bidi algorithm and are never drawn (leaflet.typeset.bidipara).
_NO_GLYPH_NEEDED = frozenset("\n\r\t") | CONTROLS
_NO_GLYPH_CODES = frozenset(map(ord, _NO_GLYPH_NEEDED))


class Face(msgspec.Struct, frozen=True):
    """One family of a script's chain: registered ReportLab font names and the characters it draws."""

    family: str
    regular: str
    bold: str  # where the family has no bold: the regular font under a name of its own (_bold_alias)
    cmap: frozenset[int]  # characters that both weights draw

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap


class FontSet:
    """The fonts of one script: the primary family, then its fallbacks, in order.

    Fallback families are registered only when a text needs one: reading a TrueType file
    costs some 13 ms, and most leaflets print every character in the primary family."""

    def __init__(self, script: str, primary: Face, families: tuple[str, ...],
                 load_fallbacks: Callable[[], tuple[Face, ...]]) -> None:
        self.script, self._primary, self._families = script, primary, families
        self._load_fallbacks: Callable[[], tuple[Face, ...]] | None = load_fallbacks
        self._faces: tuple[Face, ...] = (primary,)
        self.synthetic_bold = False  # a family of the chain has no bold file: see TextObject
        # character -> (the first family that has it, needs no glyph, is a combining mark): runs()
        self._runs_memo: dict[str, tuple[Face, bool, bool]] = {}
        self._drop_primary: dict[int, None] | None = None  # see outside_primary

    def outside_primary(self, text: str) -> str:
        """The characters of ``text`` that the primary family does not draw ("" when it draws them
        all): ``text`` less those of its characters (``str.translate`` deleting them, in C; about
        four times faster on a paragraph than a set of its code points, and the glyph check and
        :meth:`runs` ask it of every text of every build). The table is made once; two threads
        making it at once make the same one."""
        drop = self._drop_primary
        if drop is None:
            drop = self._drop_primary = dict.fromkeys(self._primary.cmap)
        return text.translate(drop)

    @property
    def faces(self) -> tuple[Face, ...]:
        if self._load_fallbacks is not None:
            self._faces = (self._primary, *self._load_fallbacks())
            self._load_fallbacks = None
        return self._faces

    @property
    def primary(self) -> Face:
        return self._primary

    @property
    def family(self) -> str:
        return self._primary.family

    @property
    def families(self) -> str:
        """'Noto Sans, DejaVu Sans': the chain, for messages."""
        return ", ".join(self._families)

    @property
    def regular(self) -> str:
        return self._primary.regular

    @property
    def bold(self) -> str:
        return self._primary.bold

    def font_for(self, text: str, bold: bool = False) -> str:
        """The ReportLab font name of the first family of the chain that draws every character of
        ``text`` (the primary when none does): for marks drawn outside paragraph markup, such as
        the bullets and list numbers (an Arabic or Hebrew font has no '•')."""
        codes = set(map(ord, text))
        face = next((f for f in self.faces if f.cmap.issuperset(codes)), self._primary) \
            if not self._primary.cmap.issuperset(codes) else self._primary
        return face.bold if bold else face.regular

    def claim(self) -> None:
        """Before a document is drawn (in the thread that draws it): ReportLab keeps one font
        object per file for the whole process, so a family that is a primary in one chain and a
        fallback in another (Noto Sans: Latin's primary, Arabic's fallback) takes the subsetting
        of its role in *this* document (a fallback's first subset holds only the glyphs used):
        which leaflet a process built first never changes the bytes of the next. The role is the
        thread's (:class:`LeafletFont`), never the font object's: an English and an Arabic
        leaflet drawn at once in two threads each get their own."""
        _ROLES.roles = {name: face is self._primary
                        for face in self._faces  # those loaded: the layout has asked for every one it uses
                        for name in (face.regular, face.bold)}

    def missing(self, text: str) -> list[str]:
        """The distinct characters of ``text`` that no family of the chain draws, sorted."""
        rest = self.outside_primary(text)  # it runs on every text of every build
        if not rest:
            return []
        codes = set(map(ord, rest))
        codes -= _NO_GLYPH_CODES  # (a line break needs no glyph: no reason to load the fallbacks)
        if not codes:
            return []
        for face in self.faces[1:]:
            codes -= face.cmap
            if not codes:
                return []
        return sorted(map(chr, codes))

    def runs(self, text: str, bold: bool = False) -> list[tuple[str, str]]:
        """Split ``text`` into (ReportLab font name, run) pairs: each character in the first
        family that has it, in the weight asked for (so word spaces keep the primary font's
        width). A combining mark stays with its letter when that letter's family has it."""
        primary = self._primary
        rest = self.outside_primary(text)
        if not rest or all(ch in _NO_GLYPH_NEEDED for ch in rest):
            return [(primary.bold if bold else primary.regular, text)] if text else []
        out: list[tuple[str, str]] = []
        current: Face | None = None
        buf: list[str] = []
        memo = self._runs_memo
        for ch in text:
            m = memo.get(ch)
            if m is None:  # the first family that has it (none: refused by the glyph check); sticks?
                m = memo[ch] = (next((f for f in self.faces if f.has(ch)), primary), ch in _NO_GLYPH_NEEDED,
                                bool(unicodedata.combining(ch)))
            if current is not None and (m[1] or (m[2] and current.has(ch))):
                face = current
            else:
                face = m[0]
            if face is not current and buf:
                assert current is not None
                out.append((current.bold if bold else current.regular, "".join(buf)))
                buf = []
            current = face
            buf.append(ch)
        if buf:
            assert current is not None
            out.append((current.bold if bold else current.regular, "".join(buf)))
        return out


# The name suffix of a font without a bold file, printed as bold (see _bold_alias).
AS_BOLD = "-AsBold"
# Synthetic bold: the glyphs are filled and stroked with a line this part of the font size wide,
# in the fill colour (about the weight difference between Noto Sans Regular and Bold).
BOLD_STROKE = 0.04


class TextObject(PDFTextObject):
    """ReportLab's text object, which prints text in a font without a bold file (Chinese,
    Japanese) in bold where bold is asked for: fill and stroke (``2 Tr``) with the fill colour.
    A PDF that uses no such font gets exactly the bytes of ReportLab's own text object."""

    _bold = False

    def __init__(self, canvas: Any, x: float = 0, y: float = 0, direction: str | None = None) -> None:
        super().__init__(canvas, x, y, direction)
        if self._fontname.endswith(AS_BOLD):  # drawString after canvas.setFont
            self._embolden(self._fontname, self._fontsize, getattr(canvas, "_fillColorObj", None))

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        super().setFont(psfontname, size, leading)
        self._embolden(psfontname, size)

    def _setFont(self, psfontname: str, size: float) -> None:
        super()._setFont(psfontname, size)
        self._embolden(psfontname, size)

    def setFillColor(self, aColor: Any, alpha: Any = None) -> None:
        super().setFillColor(aColor, alpha)
        if self._bold:
            self.setStrokeColor(aColor)

    def _embolden(self, name: str, size: float, fill: Any = None) -> None:
        bold = name.endswith(AS_BOLD)
        if bold:
            if fill is None:  # the colour set in this text object, else the canvas's
                fill = self.__dict__.get("_fillColorObj", getattr(self._canvas, "_fillColorObj", None))
            if fill is not None:
                self.setStrokeColor(fill)
            self._code.append(f"2 Tr {fp_str(size * BOLD_STROKE)} w")
        elif self._bold:
            self._code.append("0 Tr")
        self._bold = bold


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for a font subset, with each character written in UTF-16 as
    the PDF standard asks. ReportLab writes ``<%04X>`` of the code point, which is UTF-16 only
    inside the BMP: a rare kanji such as U+2A6B2 came out as five hex digits, which poppler
    reads as U+2A6B and pypdf cannot read at all. For BMP characters the map is byte for byte
    ReportLab's own."""
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return cmap
    wide = {f"<{i:02X}> <{v:04X}>": f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>"
            for i, v in enumerate(subset) if v > 0xFFFF}
    return "\n".join(wide.get(line, line) for line in cmap.split("\n"))


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # TTFont.addObjects looks it up in its module

_registered: dict[str, FontSet] = {}
_ROLES = threading.local()  # .roles: font name -> ASCII-readable, for the document this thread draws


class _AsciiReadable:
    """``TTFont._asciiReadable`` (which ReportLab reads whenever it assigns a character a code in
    a document's subsets) as the role :meth:`FontSet.claim` gave the font in the document this
    thread is drawing; the font's own value (set when it was registered) in a thread that claimed
    none. A flag on the shared font object would be one thread's role for every thread."""

    def __get__(self, font: Any, owner: Any = None) -> Any:
        if font is None:
            return self
        roles = getattr(_ROLES, "roles", None)
        if roles is not None:
            found = roles.get(font.fontName)
            if found is not None:
                return found
        return font.__dict__.get("_leaflet_ascii", font.__dict__.get("_asciiReadable", True))

    def __set__(self, font: Any, value: Any) -> None:
        font.__dict__["_leaflet_ascii"] = value


class LeafletFont(TTFont):
    """A TrueType font registered by leaflet: its ASCII-readable role is per thread (see
    :class:`_AsciiReadable`)."""

    _asciiReadable = _AsciiReadable()


def _register(file_name: str, *, fallback: bool = False) -> tuple[str, frozenset[int]]:
    """Register a font file once; a fallback's subsets hold only the glyphs used (ReportLab
    otherwise puts all of ASCII into every font's first subset: some 5 KB per fallback font)."""
    name = "Leaflet-" + file_name.rsplit(".", 1)[0]
    if name in pdfmetrics.getRegisteredFontNames():  # not getFont(): it searches the disk for AFM files
        font = pdfmetrics.getFont(name)
    else:
        path = fonts_dir() / file_name
        if not path.is_file():
            raise ResourceError(f"font file not found: {path} (see fonts/README.md)") from None
        try:
            # shapable=False: ReportLab never shapes on its own, whatever is installed; shaping
            # is leaflet.typeset.shaping's alone
            font = LeafletFont(name, str(path), asciiReadable=not fallback, shapable=False)
        except TTFError as exc:
            raise ResourceError(f"cannot use font {path}: {exc}") from None
        pdfmetrics.registerFont(font)
    return name, frozenset(font.face.charToGlyph)


def _bold_alias(regular: str) -> str:
    """A second name for a font without a bold file, for its bold text: the same glyphs (in the
    same embedded subsets: the alias shares the font's state, so nothing is embedded twice), but
    a name of its own, so that bold and regular text stay apart in the paragraph markup (a Latin
    word in bold Chinese text prints in Noto Sans Bold)."""
    name = regular + AS_BOLD
    if name not in pdfmetrics.getRegisteredFontNames():
        alias = copy.copy(pdfmetrics.getFont(regular))  # shares face, encoding and per-document state
        alias.fontName = name
        pdfmetrics.registerFont(alias)
    return name


def fonts_for(script: str) -> FontSet:
    """Register (once) and return the font chain for an ISO 15924 script code."""
    if script in _registered:
        return _registered[script]
    table = font_table()
    if script not in table.scripts:
        raise ResourceError(
            f"no font is set up for script '{script}'; scripts with fonts: {', '.join(sorted(table.scripts))} "
            "(add one to leaflet/data/fonts.json and its files to fonts/)"
        )
    chain = list(table.chain(script))

    def face(n: int) -> Face:
        family, only = chain[n]
        entry = table.faces[family]
        regular, cmap = _register(entry.regular, fallback=n > 0)
        bold, bold_cmap = _register(entry.bold, fallback=n > 0) if entry.bold else (_bold_alias(regular), cmap)
        return Face(family, regular, bold, cmap & bold_cmap & only if only is not None else cmap & bold_cmap)

    fs = FontSet(script, face(0), tuple(family for family, _ in chain),
                 lambda: tuple(face(n) for n in range(1, len(chain))))
    fs.synthetic_bold = any(table.faces[family].bold is None for family, _ in chain)
    check_marks(fs)
    _registered[script] = fs
    return fs


_widened: dict[str, FontSet] = {}


def every_script(fonts: FontSet) -> FontSet:
    """``fonts``' chain followed by the primary family of every other script that
    ``leaflet/data/fonts.json`` sets up (in its order, each with its ranges): for texts that may be
    written in any script whatever the leaflet's language, such as a patient's name on the personal
    panel (an Arabic name on an English leaflet, a Latin one on a Japanese leaflet). A character
    still prints in the first family that has it, so a text the leaflet's own chain prints is
    printed exactly as by ``fonts``; only characters no bundled font has are missing. Registered
    once per process; the extra families are read only when a text needs one of them."""
    found = _widened.get(fonts.script)
    if found is not None:
        return found
    table = font_table()
    chain = list(table.chain(fonts.script))
    known = {family for family, _ in chain}
    for script in table.scripts:
        family, only = table.chain(script)[0]
        if family not in known:
            known.add(family)
            chain.append((family, only))
    base = fonts

    def extra(n: int) -> Face:
        family, only = chain[n]
        entry = table.faces[family]
        regular, cmap = _register(entry.regular, fallback=True)
        bold, bold_cmap = _register(entry.bold, fallback=True) if entry.bold else (_bold_alias(regular), cmap)
        return Face(family, regular, bold, cmap & bold_cmap & only if only is not None else cmap & bold_cmap)

    own = len(table.chain(fonts.script))
    wide = FontSet(fonts.script, fonts.primary, tuple(family for family, _ in chain),
                   lambda: (*base.faces[1:], *(extra(n) for n in range(own, len(chain)))))
    wide.synthetic_bold = any(table.faces[family].bold is None for family, _ in chain)
    _widened[fonts.script] = wide
    return wide


# What the layout draws as a bullet or a list number, in one font (see layout.Styles): not text of
# the content or the locale, so the glyph check does not see it; a chain must have a font for it.
BULLET_MARKS = "•–0123456789."


def check_marks(fonts: FontSet) -> None:
    """A font chain without one family that draws all of the bullets and list numbers would
    print them as blank boxes: a ResourceError naming the script."""
    codes = set(map(ord, BULLET_MARKS))
    if fonts.primary.cmap.issuperset(codes):  # most chains: the fallbacks need not be loaded
        return
    if not any(f.cmap.issuperset(codes) for f in fonts.faces):
        raise ResourceError(
            f"leaflet/data/fonts.json: no font of the chain for script {fonts.script} ({fonts.families}) has all of "
            f"the bullets and list numbers {BULLET_MARKS!r}; add one (Noto Sans has them) to the chain")


def show(ch: str) -> str:
    """'é' (U+00E9); invisible and control characters by code point only."""
    return f"U+{ord(ch):04X}" if unicodedata.category(ch)[0] in "CZM" else f"'{ch}' (U+{ord(ch):04X})"


def _no_glyph(fonts: FontSet, missing: list[str]) -> str:
    """The message for characters no font of the chain draws: every one of them, by code point."""
    fams = fonts.families
    which = f"the fonts for script {fonts.script} ({fams}) have" if len(fonts.faces) > 1 else f"{fams} has"
    return f"{which} no glyph for {', '.join(show(ch) for ch in missing)}"


# (font chain, a locale's strings) found to print: the check runs once per process, not per build
_LOCALES_CHECKED: set[tuple[FontSet, str]] = set()


def check_locale(fonts: FontSet, strings: dict, where: str | Callable[[], str]) -> None:
    """The locale's own strings print too: a glyph missing there is the locale file's fault.
    ``where``: the locale, for the message (or a function that names it, called only then)."""
    texts = [s for v in strings.values() for s in (v if isinstance(v, list) else [v]) if isinstance(s, str)]
    # one text: a line break never composes with its neighbours (NFC of each = NFC of the whole)
    # and needs no glyph, so the characters missing from it are those missing from the texts
    key = (fonts, "\n".join(texts))
    if key in _LOCALES_CHECKED:
        return
    missing = fonts.missing(unicodedata.normalize("NFC", key[1]))
    if missing:
        raise ResourceError(f"{where if isinstance(where, str) else where()}: {_no_glyph(fonts, missing)}; "
                            "check the locale's 'script' or its fonts in leaflet/data/fonts.json")
    if len(_LOCALES_CHECKED) > 256:  # a long-running process that reads many locales
        _LOCALES_CHECKED.clear()
    _LOCALES_CHECKED.add(key)


def glyph_problems(fonts: FontSet, texts: Iterable[tuple[Path, str]]) -> list[Diagnostic]:
    """A diagnostic for each text that holds characters no font of the chain can draw,
    naming every distinct such character."""
    problems = []
    for path, text in texts:
        missing = fonts.missing(unicodedata.normalize("NFC", text))
        if missing:
            hint = ("check the leaflet's 'language' (it chooses the script and its fonts), "
                    "or replace the character")
            selectors = [ch for ch in missing if 0xFE00 <= ord(ch) <= 0xFE0F]
            if selectors:  # typed after a symbol by phones and emoji pickers: invisible
                hint = (f"{', '.join(show(ch) for ch in selectors)} is an invisible variation selector (it asks for "
                        "emoji or text style); delete it: the character before it prints in text style without it")
            problems.append(Diagnostic(_no_glyph(fonts, missing), path, hint, code="glyph"))
    return problems
