"""Shaping: the one place where text becomes glyphs through HarfBuzz, and where glyphs are drawn.

ReportLab draws a string character by character from the font's character map. That is
right for Latin, Greek and Cyrillic, and wrong for Arabic (whose letters join: each takes
an initial, medial, final or isolated form, and some pairs form a ligature) and for any
right-to-left script (whose glyphs run from right to left). For those, :func:`shape` asks
HarfBuzz (``uharfbuzz``) for the glyphs of a run of text in one font and one direction,
and :func:`draw` writes them into the page.

ReportLab would switch on its own HarfBuzz shaping wherever ``uharfbuzz`` can be imported
and a style asks for it; leaflet never asks (no style sets ``shaping``), and every font is
registered with ``shapable=False`` (:mod:`leaflet.typeset.fonts`), so what a PDF holds
never depends on what else is installed: left-to-right text is drawn by ReportLab exactly as
before, and shaped text only by this module.

**Reading back.** A PDF reader turns glyphs back into text through the font's ToUnicode map,
one entry per code. A shaped glyph may stand for a letter in a contextual form (no code
point of its own), for two letters (a ligature), or for a mirrored bracket. Each distinct
(glyph, text) pair therefore gets its own code in the font (a private-use character that
ReportLab maps to the glyph, as its own shaping does) and the ToUnicode map says the *text*
it stands for — the logical letters, never a presentation form or a private-use character
(``_ShapedFont.addObjects``). A right-to-left run's glyphs are drawn left to right (visual
order: what HarfBuzz returns), and a line's runs in logical order, so that pypdf (which
reverses right-to-left runs) and poppler (which orders words by position) both read the
words in logical order.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

import uharfbuzz as hb
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from ..errors import RenderError
from .fonts import LeafletFont

# escapePDF as a table (each byte's escape, as ReportLab's escapePDF writes it): str.translate
# does in C what escapePDF does in Python when ReportLab's C accelerator is not installed
_ESCAPE = {c: escapePDF(chr(c)) for c in range(256) if escapePDF(chr(c)) != chr(c)}

# Codes for glyphs drawn from shaping start here (plane 15, private use: never in a font's
# character map, never in an author's text, never in the PDF: ToUnicode says what they mean).
_FIRST_CODE = 0xF0000


class Glyphs(NamedTuple):
    """A shaped run, in visual order (left to right). Lengths in thousandths of the font size."""

    codes: str  # one character per glyph: what ReportLab encodes for it
    widths: tuple[float, ...]  # each glyph's own advance (what the PDF's /Widths says)
    advances: tuple[float, ...]  # each glyph's advance after shaping (kerning, marks)
    x_offsets: tuple[float, ...]
    y_offsets: tuple[float, ...]
    width: float  # the run's advance
    # glyph i starts exactly where glyph i-1 ends, at its rise (no offset, no kerning): drawn
    # with no move between them (see draw_pieces). Always False for the first glyph.
    follows: tuple[bool, ...] = ()


class _Face:
    """HarfBuzz's view of one registered ReportLab font, and the codes of its shaped glyphs."""

    def __init__(self, name: str) -> None:
        font = pdfmetrics.getFont(name)
        if not isinstance(font, TTFont):  # pragma: no cover - leaflet registers only TrueType fonts
            raise TypeError(f"{name} is not a TrueType font")
        if not isinstance(font, _ShapedFont):
            font.__class__ = _ShapedFont  # its ToUnicode maps must say what shaped glyphs stand for
        self.font = font
        self.hb = hb.Font(hb.Face(hb.Blob(font.face._ttf_data)))
        self.scale = 1000 / self.hb.face.upem
        self.codes: dict[tuple[int, str], str] = {}
        self.cmap = font.face.charToGlyph

    def code(self, gid: int, text: str) -> str:
        """The character ReportLab encodes for glyph ``gid`` standing for ``text``."""
        key = (gid, text)
        found = self.codes.get(key)
        if found is not None:
            return found
        if len(text) == 1 and self.cmap.get(ord(text)) == gid:
            code = text  # the glyph the character map gives: ReportLab's own code and ToUnicode
        else:
            face = self.font.face
            n = _FIRST_CODE + len(_TEXTS.setdefault(self.font.fontName, {}))
            code = chr(n)
            face.charToGlyph[n] = gid
            face.charWidths[n] = round(self.hb.get_glyph_h_advance(gid) * self.scale, 3)
            _TEXTS[self.font.fontName][n] = text
        self.codes[key] = code
        return code


# characters that print nothing: HarfBuzz may give them no glyph, and that is right
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\ufeff"

_FACES: dict[str, _Face] = {}
# For each font, what each shaping code stands for (for its ToUnicode map).
_TEXTS: dict[str, dict[int, str]] = {}
# The runs shaped, the most recently used last: at most MAX_SHAPED of them (some 1.5 KB each), so
# that memory stays flat over a batch of thousands of distinct names (the Arabic and the Hebrew
# sample together shape some 1,500 runs; a name shaped again costs some 20 microseconds).
MAX_SHAPED = 8192
_SHAPED: OrderedDict[tuple[str, str, int, int, bool], Glyphs] = OrderedDict()
# The faces, the codes of shaped glyphs (each font's character map gains them) and the cache are
# shared by every thread of the process: changed under this lock only (two threads giving two
# glyphs the same code would draw one with the other's glyph).
_LOCK = threading.Lock()


def _face(name: str) -> _Face:
    face = _FACES.get(name)
    if face is None:
        face = _FACES[name] = _Face(name)
    return face


def shape(name: str, context: str, start: int, end: int, rtl: bool) -> Glyphs:
    """The glyphs of ``context[start:end]`` in font ``name``, right to left when ``rtl``; the rest
    of ``context`` (the word around it) is the context that joining looks at. Cached (the
    MAX_SHAPED most recently used): a word is shaped once per process. Thread-safe."""
    key = (name, context, start, end, rtl)
    with _LOCK:
        found = _SHAPED.get(key)
        if found is not None:
            _SHAPED.move_to_end(key)
            return found
        glyphs = _shape(name, context, start, end, rtl)
        _SHAPED[key] = glyphs
        if len(_SHAPED) > MAX_SHAPED:
            _SHAPED.popitem(last=False)
        return glyphs


def _shape(name: str, context: str, start: int, end: int, rtl: bool) -> Glyphs:
    face = _face(name)
    buf = hb.Buffer()
    buf.add_str(context, start, end - start)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES  # a mark goes with its letter
    hb.shape(face.hb, buf)
    infos, positions = buf.glyph_infos, buf.glyph_positions
    # the text each glyph stands for: a cluster's characters go to its first glyph in logical order
    clusters = sorted({info.cluster for info in infos})
    ends = dict(zip(clusters, [*clusters[1:], end]))
    seen: set[int] = set()
    order = range(len(infos) - 1, -1, -1) if rtl else range(len(infos))
    texts = [""] * len(infos)
    for i in order:
        c = infos[i].cluster
        if c not in seen:
            seen.add(c)
            texts[i] = context[c:ends[c]]
    s = face.scale
    codes, widths, advances, xs, ys = [], [], [], [], []
    for info, pos, text in zip(infos, positions, texts):
        if info.codepoint == 0 and text.strip(_INVISIBLE):
            # .notdef: the font has no glyph for a character that prints. The glyph check should
            # have sent it to another font or refused it; never draw a blank box in its place.
            ch = next(c for c in text if c not in _INVISIBLE)
            raise RenderError(f"no glyph for {ch!r} (U+{ord(ch):04X}) in font {name}",
                              hint="print it in a font that has it (fonts.json), or write another character",
                              code="glyph")
        codes.append(face.code(info.codepoint, text))
        widths.append(face.font.face.getCharWidth(ord(codes[-1])))
        advances.append(pos.x_advance * s)
        xs.append(pos.x_offset * s)
        ys.append(pos.y_offset * s)
    follows = tuple(i > 0 and xs[i - 1] == 0 and xs[i] == 0 and advances[i - 1] == widths[i - 1]
                    and ys[i] == ys[i - 1] for i in range(len(codes)))
    return Glyphs("".join(codes), tuple(widths), tuple(advances), tuple(xs), tuple(ys), sum(advances), follows)


def draw(canv: Any, x: float, y: float, name: str, size: float, glyphs: Glyphs) -> None:
    """Draw a shaped run with its left end at (x, y) on the baseline, in the canvas's fill colour."""
    draw_pieces(canv, x, y, [(name, size, glyphs)])


def draw_pieces(canv: Any, x: float, y: float, pieces: Sequence[tuple[str, float, Glyphs]],
                backwards: bool = False) -> None:
    """Draw runs side by side (each ``(font, size, glyphs)``, left to right, the first with its left
    end at (x, y)) as one text object, in the canvas's fill colour. ``backwards``: the glyphs are
    written from the last to the first, each still at its place (see bidipara).

    One ``TJ`` per font and rise: a glyph that starts where the one before it ends is appended to
    the current string, and a kerning or offset glyph gets a move (thousandths of the size) in the
    array. Every glyph's place is computed as the sum of the advances before it, in order, so a
    glyph is placed the same however its run was cut."""
    if backwards:
        _draw_placed(canv, x, y, pieces, backwards=True)
        return
    doc = canv._doc
    try:
        encoded_in = doc._leaflet_encoded
    except AttributeError:
        encoded_in = doc._leaflet_encoded = {}
    fonts = pdfmetrics._fonts  # the registered fonts by name (getFont without its checks)
    out: list[str] = []
    at = 0.0  # where the text position is (points from x)
    rise = 0.0
    pen = 0.0
    cur_font: Any = None
    cur_sub = -1
    cur_size = 0.0
    parts: list[str] = []
    run = bytearray()  # glyphs that follow on with no move between them: one string
    for name, size, glyphs in pieces:
        if not glyphs.codes:
            continue
        font = fonts.get(name) or pdfmetrics.getFont(name)
        k = size / 1000
        encoded = encoded_in.get((font.fontName, glyphs.codes))
        if encoded is None:
            encoded = _encoded(font, glyphs.codes, doc)
        for (sub, byte), adv, dx, dy, w, follows in zip(encoded, glyphs.advances,
                                                         glyphs.x_offsets, glyphs.y_offsets, glyphs.widths,
                                                         glyphs.follows):
            gx = pen + dx * k
            pen += adv * k
            if follows and sub == cur_sub:  # (same font, size and rise: not the piece's first glyph)
                run.append(byte)
                at = gx + w * k
                continue
            gy = dy * k
            if font is not cur_font or sub != cur_sub or size != cur_size or gy != rise:
                if run:
                    parts.append(f"({run.decode('latin-1').translate(_ESCAPE)})")
                    run.clear()
                if parts:
                    out.append(f"[{' '.join(parts)}] TJ")
                    parts.clear()
                if font is not cur_font or sub != cur_sub or size != cur_size:
                    out.append(f"{font.getSubsetInternalName(sub, doc)} {_fp(size)} Tf")
                    cur_font, cur_sub, cur_size = font, sub, size
                if gy != rise:  # a mark placed above or below its letter
                    out.append(f"{fp_str(gy)} Ts")
                    rise = gy
            move = (at - gx) * 1000 / size  # thousandths of the size; a tenth of one is 0.001 pt at 10 pt
            if move > 0.05 or move < -0.05:
                if run:
                    parts.append(f"({run.decode('latin-1').translate(_ESCAPE)})")
                    run.clear()
                parts.append(_num(move))
            run.append(byte)
            at = gx + w * k
    if cur_font is None:
        return
    if run:
        parts.append(f"({run.decode('latin-1').translate(_ESCAPE)})")
    if parts:
        out.append(f"[{' '.join(parts)}] TJ")
    if rise:
        out.append("0 Ts")
    canv._code.append(f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm {' '.join(out)} ET")


_FP: dict[float, str] = {}


def _fp(size: float) -> str:
    """fp_str of a font size (a handful per document), remembered."""
    found = _FP.get(size)
    if found is None:
        found = _FP[size] = fp_str(size)
    return found


def _draw_placed(canv: Any, x: float, y: float, pieces: Sequence[tuple[str, float, Glyphs]],
                 backwards: bool) -> None:
    """draw_pieces the long way: every glyph placed, then written (``backwards``: from the last to the
    first, each at its place). What draw_pieces writes forwards is the same (tests/test_fast_paths.py)."""
    doc = canv._doc
    placed = []  # (x from the left end, rise, font, size, subset, byte, width) of each glyph, left to right
    pen = 0.0
    for name, size, glyphs in pieces:
        font = pdfmetrics.getFont(name)
        k = size / 1000
        encoded = _encoded(font, glyphs.codes, doc)
        for (sub, byte), adv, dx, dy, w in zip(encoded, glyphs.advances, glyphs.x_offsets, glyphs.y_offsets,
                                               glyphs.widths):
            placed.append((pen + dx * k, dy * k, font, size, sub, byte, w * k))
            pen += adv * k
    if not placed:
        return
    out = [f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm"]
    at = 0.0  # where the text position is (points from x)
    rise = 0.0
    current: tuple[Any, int, float] | None = None
    parts: list[str] = []
    run = bytearray()

    def end_run() -> None:
        if run:
            parts.append(f"({run.decode('latin-1').translate(_ESCAPE)})")
            run.clear()

    def flush() -> None:
        end_run()
        if parts:
            out.append(f"[{' '.join(parts)}] TJ")
            parts.clear()

    for gx, gy, font, size, sub, byte, width in (reversed(placed) if backwards else placed):
        if current != (font, sub, size) or gy != rise:
            flush()
            if current != (font, sub, size):
                out.append(f"{font.getSubsetInternalName(sub, doc)} {fp_str(size)} Tf")
                current = (font, sub, size)
            if gy != rise:
                out.append(f"{fp_str(gy)} Ts")
                rise = gy
        move = (at - gx) * 1000 / size
        if move > 0.05 or move < -0.05:
            end_run()
            parts.append(_num(move))
        run.append(byte)
        at = gx + width
    flush()
    if rise:
        out.append("0 Ts")
    out.append("ET")
    canv._code.append(" ".join(out))


def _num(v: float) -> str:
    """A number for a TJ array, to a tenth of a thousandth of the font size."""
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _encoded(font: Any, codes: str, doc: Any) -> list[tuple[int, int]]:
    """The (subset, byte) of each glyph code in this document (ReportLab's assignment, cached per
    document: a word's codes are encoded once)."""
    cache = getattr(doc, "_leaflet_encoded", None)
    if cache is None:
        cache = doc._leaflet_encoded = {}
    key = (font.fontName, codes)
    found = cache.get(key)
    if found is None:
        found = cache[key] = [(sub, b) for sub, data in font.splitString(codes, doc) for b in data]
    return found


class _ShapedFont(LeafletFont):
    """A registered TrueType font that also draws shaped glyphs: its ToUnicode maps say, for each
    shaping code, the text the glyph stands for (ReportLab's would say the private-use code)."""

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)  # (forgets the document's state)
        texts = _TEXTS.get(self.fontName)
        if not texts:
            return
        for n, subset in enumerate(subsets):
            if not any(code in texts for code in subset):
                continue
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            doc.idToObject["toUnicodeCMap:" + base].content = _to_unicode(base, [
                texts.get(code, chr(code)) for code in subset])


def to_unicode_cmap(font: Any, name: str, subset: Sequence[int]) -> str | None:
    """The ToUnicode CMap of a subset of ``font`` named ``name`` when it holds shaped glyphs (what
    each stands for), else None (ReportLab's map is right): for subsets written outside ReportLab's
    document (leaflet.typeset.stamp)."""
    texts = _TEXTS.get(font.fontName)
    if not texts or not any(code in texts for code in subset):
        return None
    return _to_unicode(name, [texts.get(code, chr(code)) for code in subset])


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode(name: str, texts: Sequence[str]) -> str:
    """A ToUnicode CMap (as ReportLab writes it) mapping code i to ``texts[i]``."""
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({name})", f"/Ordering ({name})", "/Supplement 0", ">> def", f"/CMapName /{name} def",
        "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(texts) - 1:02X}>", "endcodespacerange",
        f"{len(texts)} beginbfchar", *(f"<{i:02X}> <{_utf16(t)}>" for i, t in enumerate(texts)), "endbfchar",
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])
