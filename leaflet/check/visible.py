"""The text a reader can see on each page of a PDF, in the order it is drawn.

A small PDF content-stream interpreter: it follows the graphics state (``q``/``Q``,
``cm``, colours, alpha, clipping, form XObjects) and the text state (``Tf``, ``Tm``,
``Tr``, ``Tc``/``Tw``/``Tz``…) and keeps a text only where a reader can see it:

- on the page (inside the media box and crop box, and inside any clip and form box);
- not in an invisible render mode (``3 Tr``, ``7 Tr``);
- at least :func:`min_size` points tall (the smallest size the bundled themes print), and
  not squeezed (``Tz``, a text matrix) to less than half its width;
- with a contrast of at least 4.5:1 (WCAG 2 relative luminance) against what is under
  it: white paper, or the last filled shape drawn under it; an opaque shape drawn
  over the text afterwards hides it (also one in an annotation's appearance);
- not in optional content (a layer) that is off by default.

Annotations other than links are listed per page (leaflet writes none).

Text the reader cannot see is kept apart, with the reason, so that ``verify`` can say
why a text counts as missing. Text is returned per page as a "compact" string (the
characters without white space) and, for every character, what separates it from
the one before: ``n`` nothing, ``s`` a space, ``b`` a line break. Matching on that
representation tolerates words split over two lines and line-end hyphens, but not a
space lost or added inside a line.

This module and :mod:`leaflet.check.verify` are the only pypdf users. Everything pypdf
raises on a damaged file is turned into a :class:`~leaflet.errors.PdfError`.
"""
from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from functools import cache
from math import hypot
from pathlib import Path
from typing import Any

from ..errors import PdfError
from ..resources import DATA

Matrix = tuple[float, float, float, float, float, float]
Rgb = tuple[float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
WHITE: Rgb = (1.0, 1.0, 1.0)
MIN_CONTRAST = 4.5
BUCKET = 24.0  # points: shapes and texts are filed in horizontal bands of this height
MAX_FORM_DEPTH = 12
MAX_OPERATIONS = 20_000_000  # per document, forms included: a content bomb is an error, not a hang


@cache
def min_size() -> float:
    """The smallest font size any bundled theme prints (the footer of the default theme)."""
    sizes: list[float] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "size" and isinstance(item, int | float):
                    sizes.append(float(item))
                else:
                    walk(item)

    for path in sorted((DATA / "themes").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return min(sizes)


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n, PDF row-vector convention (apply m first, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def luminance(rgb: Rgb) -> float:
    """WCAG 2 relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: Rgb, bg: Rgb) -> float:
    a, b = luminance(fg), luminance(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _clamp(v: float) -> float:
    return 0.0 if v < 0 else 1.0 if v > 1 else v


def to_rgb(components: list[float], space: str) -> Rgb | None:
    """A colour in a device (or device-like) colour space as RGB; None when it cannot be known."""
    try:
        vals = [_clamp(float(v)) for v in components]
    except (TypeError, ValueError):
        return None
    if space == "gray" and len(vals) == 1:
        return (vals[0], vals[0], vals[0])
    if space == "rgb" and len(vals) == 3:
        return (vals[0], vals[1], vals[2])
    if space == "cmyk" and len(vals) == 4:
        c, m, y, k = vals
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    if space == "tint" and len(vals) == 1:  # a separation ink: full tint is as dark as ink gets
        return (1 - vals[0], 1 - vals[0], 1 - vals[0])
    return None


def blend(fg: Rgb, alpha: float, bg: Rgb) -> Rgb:
    if alpha >= 1:
        return fg
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg))  # type: ignore[return-value]


# --- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(rb"""
    \((?:[^()\\]|\\.)*\) | << | >> | <[^<>]*> | /[^\x00\t\n\x0c\r /\[\]()<>{}%]* | %[^\r\n]*
  | [^\x00\t\n\x0c\r /\[\]()<>{}%]+ | [\[\]()<>{}]
""", re.X | re.S)
_NUMBER_START = frozenset(b"0123456789+-.")
_ESCAPE = re.compile(rb"\\([nrtbf()\\]|[0-7]{1,3}|\r\n|\r|\n)")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_KEYWORDS = {b"true": True, b"false": False, b"null": None}


class _Fallback(Exception):
    """The fast tokenizer met something it does not read (inline image, nested parentheses)."""


def _unescape(m: re.Match[bytes]) -> bytes:
    e = m.group(1)
    if e in _ESCAPES:
        return _ESCAPES[e]
    if e[0] in b"\r\n":
        return b""
    return bytes([int(e, 8) & 0xFF])


def _fast_operations(data: bytes) -> list[tuple[list[Any], bytes]]:
    ops: list[tuple[list[Any], bytes]] = []
    operands: list[Any] = []
    stack: list[list[Any]] = []
    number = _NUMBER_START
    for tok in _TOKEN.findall(data):
        first = tok[0]
        if first in number:
            operands.append(float(tok))
        elif first == 47:  # /name
            operands.append(tok.decode("latin-1"))
        elif first == 40:  # (string)
            if len(tok) == 1:
                raise _Fallback  # nested parentheses
            raw = tok[1:-1]
            operands.append(_ESCAPE.sub(_unescape, raw) if b"\\" in raw else raw)
        elif first == 37:  # %comment
            continue
        elif first == 60:  # <hex> or <<
            if tok == b"<<":
                stack.append(operands)
                operands = []
            elif len(tok) >= 2 and tok[-1] == 62:
                digits = re.sub(rb"[^0-9A-Fa-f]", b"", tok)
                if len(digits) % 2:
                    digits += b"0"
                operands.append(bytes.fromhex(digits.decode("ascii")))
            else:
                raise _Fallback
        elif first == 91:  # [
            stack.append(operands)
            operands = []
        elif first == 93 or tok == b">>":
            if not stack:
                raise _Fallback
            inner, operands = operands, stack.pop()
            operands.append(inner if first == 93 else {})
        elif tok in _KEYWORDS:
            operands.append(_KEYWORDS[tok])
        elif stack or tok in (b"BI", b"ID", b"EI") or first in b")>{}":
            raise _Fallback
        else:
            ops.append((operands, tok))
            operands = []
    return ops


def _pypdf_value(value: Any) -> Any:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    if isinstance(value, NameObject):
        return str(value)
    if isinstance(value, TextStringObject):
        return bytes(value.original_bytes)
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | NumberObject):
        return float(value)
    if isinstance(value, ArrayObject):
        return [_pypdf_value(v) for v in value]
    if isinstance(value, DictionaryObject):
        return {}
    return value


def operations(data: bytes, reader: Any) -> list[tuple[list[Any], bytes]]:
    """The operations of a content stream: a fast tokenizer, pypdf's parser for what it does not read."""
    try:
        return _fast_operations(data)
    except _Fallback:
        from pypdf.generic import ContentStream

        stream = ContentStream(None, reader)
        stream.set_data(data)
        out: list[tuple[list[Any], bytes]] = []
        for operands, op in stream.operations:
            if op == b"INLINE IMAGE":
                out.append(([], b"BI"))
                continue
            out.append(([_pypdf_value(v) for v in operands], bytes(op)))
        return out


# --- fonts ----------------------------------------------------------------------------------

_BF = re.compile(rb"beginbf(char|range)(.*?)endbf(?:char|range)", re.S)
_HEXTOK = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[([^\]]*)\]")


def _utf16(hexdigits: bytes) -> str:
    raw = bytes.fromhex(re.sub(rb"\s", b"", hexdigits).decode("ascii"))
    text = raw.decode("utf-16-be", errors="replace")
    return text.replace("\x00", "\ufffd")


def _to_unicode(data: bytes) -> dict[int, str]:
    out: dict[int, str] = {}
    for kind, body in _BF.findall(data):
        toks = _HEXTOK.findall(body)
        if kind == b"char":
            for i in range(0, len(toks) - 1, 2):
                out[int(toks[i][0] or b"0", 16)] = _utf16(toks[i + 1][0])
        else:
            i = 0
            while i + 2 < len(toks):
                lo, hi = int(toks[i][0] or b"0", 16), int(toks[i + 1][0] or b"0", 16)
                dst_hex, dst_arr = toks[i + 2]
                if hi - lo > 65535:
                    raise PdfError("the PDF is damaged: a font's character map is too large")
                if dst_arr:
                    for k, d in enumerate(re.findall(rb"<([0-9A-Fa-f\s]*)>", dst_arr)):
                        out[lo + k] = _utf16(d)
                else:
                    base = _utf16(dst_hex)
                    for k in range(hi - lo + 1):
                        out[lo + k] = base[:-1] + chr(ord(base[-1]) + k) if base else "\ufffd"
                i += 3
    return out


class Font:
    """Decodes a font's strings to text and measures them (in 1/1000 of the font size)."""

    def __init__(self, obj: Any) -> None:
        obj = obj.get_object() if obj is not None else {}
        subtype = str(obj.get("/Subtype", ""))
        self.two_byte = subtype == "/Type0"
        to_unicode: dict[int, str] = {}
        cmap = obj.get("/ToUnicode")
        if cmap is not None:
            cmap = cmap.get_object()
            if hasattr(cmap, "get_data"):
                to_unicode = _to_unicode(cmap.get_data())
        scale = 1.0
        if subtype == "/Type3":
            fm = obj.get("/FontMatrix")
            scale = float(fm[0]) * 1000 if fm else 1.0
        if self.two_byte:
            self.unicode = to_unicode
            desc = obj.get("/DescendantFonts")
            d = desc[0].get_object() if desc else {}
            self.default_width = float(d.get("/DW", 1000))
            self.cid_widths: dict[int, float] = {}
            w = d.get("/W")
            items = list(w.get_object()) if w is not None else []
            i = 0
            while i + 1 < len(items):
                first = int(items[i])
                nxt = items[i + 1].get_object() if hasattr(items[i + 1], "get_object") else items[i + 1]
                if isinstance(nxt, list):
                    for k, width in enumerate(nxt):
                        self.cid_widths[first + k] = float(width)
                    i += 2
                elif i + 2 < len(items):
                    last = int(nxt)
                    if last - first > 65535:
                        raise PdfError("the PDF is damaged: a font's width table is too large")
                    for code in range(first, last + 1):
                        self.cid_widths[code] = float(items[i + 2])
                    i += 3
                else:
                    break
            return
        base = _base_encoding(obj.get("/Encoding"))
        self.table = [to_unicode[code] if code in to_unicode else base[code] for code in range(256)]
        widths = [0.0] * 256
        first = int(obj.get("/FirstChar", 0) or 0)
        given = obj.get("/Widths")
        missing = 0.0
        fd = obj.get("/FontDescriptor")
        if fd is not None:
            missing = float(fd.get_object().get("/MissingWidth", 0) or 0)
        if given is None:
            widths = [500.0] * 256  # a standard font without widths: about half an em per character
        else:
            given = list(given.get_object())
            for code in range(256):
                k = code - first
                widths[code] = float(given[k]) * scale if 0 <= k < len(given) else missing
        self.widths = widths

    def decode(self, data: bytes) -> tuple[str, float, int]:
        """Text, width (thousandths of the font size, before Tc/Tw) and the count of single-byte spaces."""
        if not self.two_byte:
            return "".join(map(self.table.__getitem__, data)), sum(map(self.widths.__getitem__, data)), data.count(32)
        text, width = [], 0.0
        for i in range(0, len(data) - 1, 2):
            code = data[i] << 8 | data[i + 1]
            text.append(self.unicode.get(code, "\ufffd"))
            width += self.cid_widths.get(code, self.default_width)
        return "".join(text), width, 0

    def pieces(self, data: bytes) -> list[str]:
        """The text of each glyph of a string."""
        if not self.two_byte:
            return [self.table[b] for b in data]
        return [self.unicode.get(data[i] << 8 | data[i + 1], "\ufffd") for i in range(0, len(data) - 1, 2)]

    def char_widths(self, data: bytes) -> list[float]:
        if not self.two_byte:
            return [self.widths[b] for b in data]
        return [self.cid_widths.get(data[i] << 8 | data[i + 1], self.default_width) for i in range(0, len(data) - 1, 2)]


@cache
def _named_encoding(name: str) -> tuple[str, ...]:
    codec = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}.get(name, "latin-1")
    return tuple(bytes([c]).decode(codec, errors="replace") for c in range(256))


def _base_encoding(encoding: Any) -> tuple[str, ...]:
    if encoding is None:
        return _named_encoding("/StandardEncoding")
    encoding = encoding.get_object()
    if isinstance(encoding, str):
        return _named_encoding(str(encoding))
    return _named_encoding(str(encoding.get("/BaseEncoding", "/StandardEncoding")))


# --- the interpreter --------------------------------------------------------------------------

class Run:
    """A piece of text as drawn: its characters, what separates it from the text before (n, s, b),
    and why a reader cannot see it ("" when they can)."""

    __slots__ = ("box", "chars", "codes", "gap", "hidden", "sep")

    def __init__(self, chars: str, sep: str, hidden: str, codes: tuple[Font, bytes] | None = None) -> None:
        self.chars, self.sep, self.hidden = chars, sep, hidden
        self.codes = codes  # the font and the string drawn: to turn right-to-left text round glyph by glyph
        self.box: Extent | None = None  # where it is drawn: left x, right x, baseline y, size
        # the blank stretch on its line that made ``sep`` a space: left x, right x, baseline y, size
        self.gap: Extent | None = None

    def reversed(self) -> str:
        """The characters with the glyphs in reverse order (a glyph's own text kept in order: a
        letter with its marks, a ligature)."""
        if self.codes is None or "\x00" in self.chars:
            return self.chars[::-1]
        return "".join(reversed(self.codes[0].pieces(self.codes[1])))


class Page:
    """What one page shows: visible text (compact characters and separators) and hidden text."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.chars = ""
        self.seps = ""
        self.hidden: list[tuple[str, str]] = []  # (compact text, why a reader cannot see it)
        self.annotations: list[str] = []  # annotations drawn over the page (not links), with their text

    def text(self, start: int = 0, end: int | None = None) -> str:
        """The visible text between two compact positions, with spaces and line breaks as spaces."""
        return spaced(self.chars, self.seps, start, end)


def spaced(chars: Sequence[str], seps: Sequence[str], start: int = 0, end: int | None = None) -> str:
    """Compact characters back to text: a space wherever a word space or a line break stood
    before a character ('s', 'b'), none where it followed on directly ('n')."""
    out: list[str] = []
    for ch, sep in zip(chars[start:end], seps[start:end]):
        if sep != "n" and out:
            out.append(" ")
        out.append(ch)
    return "".join(out)


_SEP_RANK = {"n": 0, "s": 1, "b": 2}
Extent = tuple[float, float, float, float]


class _State:
    __slots__ = ("clip", "ctm", "fill", "fill_alpha", "fill_space", "font", "rise", "size", "stroke", "stroke_alpha",
                 "stroke_space", "tc", "tl", "tr", "tw", "tz")

    def __init__(self) -> None:
        self.ctm: Matrix = IDENTITY
        self.clip: tuple[float, float, float, float] = (-1e9, -1e9, 1e9, 1e9)
        self.fill: Rgb | None = (0.0, 0.0, 0.0)
        self.stroke: Rgb | None = (0.0, 0.0, 0.0)
        self.fill_space = self.stroke_space = "gray"
        self.fill_alpha = self.stroke_alpha = 1.0
        self.font: Font | None = None
        self.size = 0.0
        self.tc = self.tw = self.tl = self.rise = 0.0
        self.tz = 1.0
        self.tr = 0

    def copy(self) -> _State:
        new = _State.__new__(_State)
        for name in _State.__slots__:
            setattr(new, name, getattr(self, name))
        return new


class _PageReader:
    """Interprets one page's content (and the forms it uses)."""

    def __init__(self, reader: Any, page: Any, number: int, budget: list[int], fonts: dict[Any, Font],
                 layers: set[Any] | None = None) -> None:
        self.reader, self.number, self.budget = reader, number, budget
        box = page.mediabox
        crop = page.cropbox
        self.box = (max(float(box.left), float(crop.left)), max(float(box.bottom), float(crop.bottom)),
                    min(float(box.right), float(crop.right)), min(float(box.top), float(crop.top)))
        self.runs: list[Run] = []
        self.shapes: dict[int, list[tuple[float, float, float, float, Rgb | None]]] = {}
        self.texts: dict[int, list[tuple[Run, float, float]]] = {}
        self.fonts = fonts  # shared by all pages of a document
        # the previous run (or text object): its left x, right x, baseline y, size
        self.last: tuple[float, float, float, float] | None = None
        self.block = 0  # where the runs of the current text object (BT … ET) start in self.runs
        self.before: tuple[float, float, float, float] | None = None  # self.last when it began
        self.extents: list[tuple[float, float, float, float]] = []  # each run of the text object: x0, x1, y, size
        self.forms: set[Any] = set()
        self.layers = layers  # keys of the optional content groups that are off (None: no layers)
        self.hidden_layers = 0  # how many of the open marked-content sections and forms are in a layer that is off
        self.marks: list[int] = []

    # resources ----------------------------------------------------------------------------
    def font(self, resources: Any, name: str) -> Font | None:
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            return None
        ref = fonts.get_object().get(name)
        if ref is None:
            return None
        key = getattr(ref, "idnum", None) or id(ref.get_object())
        if key not in self.fonts:
            self.fonts[key] = Font(ref)
        return self.fonts[key]

    # shapes -----------------------------------------------------------------------------------
    def add_shape(self, bbox: tuple[float, float, float, float], colour: Rgb | None, alpha: float,
                  clip: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = max(bbox[0], clip[0]), max(bbox[1], clip[1]), min(bbox[2], clip[2]), min(bbox[3], clip[3])
        if x0 >= x1 or y0 >= y1 or self.hidden_layers:
            return
        if alpha < 1 and colour is not None:
            colour = None if alpha > 0.05 else colour  # translucent paint: under it, the colour is a mix
            if alpha <= 0.05:
                return  # all but transparent: it hides nothing and is no background
        for b in range(int(y0 // BUCKET), int(y1 // BUCKET) + 1):
            self.shapes.setdefault(b, []).append((x0, y0, x1, y1, colour))
            for run, x, y in self.texts.get(b, ()):
                if not run.hidden and x0 <= x <= x1 and y0 <= y <= y1:
                    run.hidden = "covered by a shape drawn over it"

    def background(self, x: float, y: float) -> Rgb | None:
        for x0, y0, x1, y1, colour in reversed(self.shapes.get(int(y // BUCKET), ())):
            if x0 <= x <= x1 and y0 <= y <= y1:
                return colour
        return WHITE

    # text ------------------------------------------------------------------------------------------
    def show(self, st: _State, tm: Matrix, data: bytes) -> Matrix:
        font = st.font
        if font is None or not data:
            return tm
        text, width, spaces = font.decode(data)
        n = len(text)
        advance = (width / 1000 * st.size + st.tc * n + st.tw * spaces) * st.tz
        m = mul(tm, st.ctm)
        x, y = apply(m, 0, st.rise)
        ex, ey = apply(m, advance, st.rise)
        size = st.size * hypot(m[2], m[3])
        if not text:  # glyphs that stand for no text (a mark whose letter carries it): nothing to read
            return (tm[0], tm[1], tm[2], tm[3], tm[4] + advance * tm[0], tm[5] + advance * tm[1])
        # separator from the previous run, from geometry (on the baseline: a mark raised above its
        # letter is on the letter's line)
        _, base = apply(m, 0, 0)
        gap: Extent | None = None
        if self.last is not None and _marks_only(text):  # marks placed on the letter before: no gap
            sep = "n"
            self.extents.append(self.last)
        else:
            sep, gap = _separator(self.last, min(x, ex), max(x, ex), base, size)
            self.last = (min(x, ex), max(x, ex), base, size)
            self.extents.append(self.last)
        hidden = self.why_hidden(st, x, y, ex, ey, size)
        if not hidden and size and st.size * st.tz * hypot(m[0], m[1]) < 0.5 * size:
            hidden = f"squeezed to {100 * st.tz * hypot(m[0], m[1]) / hypot(m[2], m[3]):.0f}% of its width"
        if hidden == "partly off the page":  # keep the characters that are on it
            widths = font.char_widths(data)
            pos = 0.0
            keep = []
            for ch, w in zip(text, widths):
                cx, cy = apply(m, pos + w * st.size / 1000 * st.tz / 2, st.rise)
                keep.append(ch if self.inside(cx, cy + size * 0.35, st.clip) else "\x00")
                pos += (w / 1000 * st.size + st.tc + (st.tw if ch == " " and not font.two_byte else 0)) * st.tz
            hidden = ""
            text = "".join(keep)
        run = Run(text, sep, hidden, (font, data))
        run.box, run.gap = self.extents[-1], gap
        self.runs.append(run)
        rx, ry = (x + ex) / 2, (y + ey) / 2 + size * 0.35
        self.texts.setdefault(int(ry // BUCKET), []).append((run, rx, ry))
        return (tm[0], tm[1], tm[2], tm[3], tm[4] + advance * tm[0], tm[5] + advance * tm[1])

    def end_text(self) -> None:
        """At the end of a one-line text object: right-to-left text (its runs hold right-to-left
        letters and no left-to-right ones) is drawn left to right, in visual order, so its runs and
        characters are turned round into reading order; and what separates the object from the
        text before it is measured on the whole object (a right-to-left line's runs are drawn in
        reading order, each to the left of the one before)."""
        runs, extents = self.runs[self.block:], self.extents
        if not runs or len(extents) != len(runs):
            return
        y, size = extents[0][2], extents[0][3]
        if any(abs(e[2] - y) > 0.3 * max(size, e[3]) for e in extents):
            return  # several lines (a paragraph drawn by ReportLab): left as drawn
        x0, x1 = min(e[0] for e in extents), max(e[1] for e in extents)
        if _right_to_left("".join(r.chars for r in runs)):
            seps = [(r.sep, r.gap) for r in runs]
            ordered = runs[::-1]
            for k, run in enumerate(ordered):
                run.chars = run.reversed()
                run.sep, run.gap = seps[len(runs) - k] if k else seps[0]
            self.runs[self.block:] = ordered
        runs = self.runs[self.block:]
        runs[0].sep, runs[0].gap = _separator(self.before, x0, x1, y, size)
        self.last = (x0, x1, y, size)
        self.extents = []

    def inside(self, x: float, y: float, clip: tuple[float, float, float, float]) -> bool:
        b = self.box
        return (max(b[0], clip[0]) - 0.5 <= x <= min(b[2], clip[2]) + 0.5
                and max(b[1], clip[1]) - 0.5 <= y <= min(b[3], clip[3]) + 0.5)

    def why_hidden(self, st: _State, x: float, y: float, ex: float, ey: float, size: float) -> str:
        if self.hidden_layers:
            return "in a layer (optional content) that is off"
        if st.tr in (3, 7):
            return f"invisible text render mode ({st.tr} Tr)"
        if size < min_size() * 0.98:
            return f"{size:.1f} pt, below the smallest size leaflet prints ({min_size():g} pt)"
        up = size * 0.35
        a, b = self.inside(x, y + up, st.clip), self.inside(ex, ey + up, st.clip)
        if not (a and b):
            return "partly off the page" if a or b else "off the page or clipped away"
        stroked = st.tr in (1, 5)
        ink = st.stroke if stroked else st.fill
        alpha = st.stroke_alpha if stroked else st.fill_alpha
        ground = self.background((x + ex) / 2, (y + ey) / 2 + up)
        if ink is None or ground is None:
            return "in a colour, or on a background, whose contrast cannot be checked"
        ratio = contrast(blend(ink, alpha, ground), ground)
        if ratio < MIN_CONTRAST:
            return f"contrast {ratio:.1f}:1 against its background (at least {MIN_CONTRAST}:1 needed)"
        return ""

    # the interpreter -----------------------------------------------------------------------------
    def run(self, content: bytes, resources: Any, st: _State, depth: int = 0) -> None:
        ops = operations(content, self.reader)
        self.budget[0] += len(ops)
        if self.budget[0] > MAX_OPERATIONS:
            raise PdfError("the PDF is too complex to check (more than "
                           f"{MAX_OPERATIONS:,} drawing operations)")
        stack: list[_State] = []
        tm = tlm = IDENTITY
        path: list[float] = []  # bbox of the current path: x0, y0, x1, y1 (device space)
        clip_next = False
        for operands, op in ops:
            try:
                if op == b"Tj" or op == b"'" or op == b'"':
                    if op != b"Tj":
                        if op == b'"' and len(operands) >= 3:
                            st.tw, st.tc = float(operands[0]), float(operands[1])
                        tlm = (tlm[0], tlm[1], tlm[2], tlm[3], tlm[4] - st.tl * tlm[2], tlm[5] - st.tl * tlm[3])
                        tm = tlm
                    if operands and isinstance(operands[-1], bytes):
                        tm = self.show(st, tm, operands[-1])
                elif op == b"TJ":
                    for item in operands[0] if operands and isinstance(operands[0], list) else ():
                        if isinstance(item, bytes):
                            tm = self.show(st, tm, item)
                        elif isinstance(item, float):
                            dx = -item / 1000 * st.size * st.tz
                            tm = (tm[0], tm[1], tm[2], tm[3], tm[4] + dx * tm[0], tm[5] + dx * tm[1])
                elif op == b"T*":
                    tlm = (tlm[0], tlm[1], tlm[2], tlm[3], tlm[4] - st.tl * tlm[2], tlm[5] - st.tl * tlm[3])
                    tm = tlm
                elif op == b"Td" or op == b"TD":
                    tx, ty = float(operands[0]), float(operands[1])
                    if op == b"TD":
                        st.tl = -ty
                    tlm = (tlm[0], tlm[1], tlm[2], tlm[3], tx * tlm[0] + ty * tlm[2] + tlm[4],
                           tx * tlm[1] + ty * tlm[3] + tlm[5])
                    tm = tlm
                elif op == b"Tm":
                    tlm = tm = tuple(float(v) for v in operands[:6])  # type: ignore[assignment]
                elif op == b"Tf":
                    st.font = self.font(resources, operands[0])
                    st.size = float(operands[1])
                elif op == b"BT":
                    tm = tlm = IDENTITY
                    self.block, self.before, self.extents = len(self.runs), self.last, []
                elif op == b"ET":
                    self.end_text()
                elif op == b"TL":
                    st.tl = float(operands[0])
                elif op == b"Tc":
                    st.tc = float(operands[0])
                elif op == b"Tw":
                    st.tw = float(operands[0])
                elif op == b"Tz":
                    st.tz = float(operands[0]) / 100
                elif op == b"Ts":
                    st.rise = float(operands[0])
                elif op == b"Tr":
                    st.tr = int(operands[0])
                elif op == b"q":
                    stack.append(st.copy())
                elif op == b"Q":
                    if stack:
                        st = stack.pop()
                elif op == b"cm":
                    st.ctm = mul(tuple(float(v) for v in operands[:6]), st.ctm)  # type: ignore[arg-type]
                elif op in (b"rg", b"g", b"k", b"RG", b"G", b"K"):
                    space = {b"rg": "rgb", b"g": "gray", b"k": "cmyk"}[op.lower()]
                    colour = to_rgb(operands, space)
                    if op.islower():
                        st.fill, st.fill_space = colour, space
                    else:
                        st.stroke, st.stroke_space = colour, space
                elif op in (b"cs", b"CS"):
                    space = self.colour_space(resources, operands[0])
                    black = {"gray": [0.0], "rgb": [0.0] * 3, "cmyk": [0.0, 0.0, 0.0, 1.0], "tint": [1.0]}
                    colour = to_rgb(black[space], space) if space in black else None
                    if op == b"cs":
                        st.fill, st.fill_space = colour, space
                    else:
                        st.stroke, st.stroke_space = colour, space
                elif op in (b"sc", b"scn", b"SC", b"SCN"):
                    if op.islower():
                        st.fill = to_rgb(operands, st.fill_space)
                    else:
                        st.stroke = to_rgb(operands, st.stroke_space)
                elif op == b"gs":
                    self.ext_state(resources, operands[0], st)
                elif op == b"re":
                    x, y, w, h = (float(v) for v in operands[:4])
                    for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
                        path = _grow(path, *apply(st.ctm, px, py))
                elif op in (b"m", b"l"):
                    path = _grow(path, *apply(st.ctm, float(operands[0]), float(operands[1])))
                elif op in (b"c", b"v", b"y"):
                    for i in range(0, len(operands) - 1, 2):
                        path = _grow(path, *apply(st.ctm, float(operands[i]), float(operands[i + 1])))
                elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"n"):
                    if path and op not in (b"S", b"s", b"n"):
                        self.add_shape((path[0], path[1], path[2], path[3]), st.fill, st.fill_alpha, st.clip)
                    if clip_next and path:
                        c = st.clip
                        st.clip = (max(c[0], path[0]), max(c[1], path[1]), min(c[2], path[2]), min(c[3], path[3]))
                    path, clip_next = [], False
                elif op in (b"W", b"W*"):
                    clip_next = True
                elif op == b"Do":
                    self.do(resources, operands[0], st, depth)
                elif op in (b"BDC", b"BMC", b"EMC"):
                    self.marked(op, operands, resources)
                elif op == b"BI":  # an inline image: its area is unknown here; it is no text
                    pass
                elif op == b"sh":  # a shading fills the clip area with colours not checked here
                    c = st.clip
                    self.add_shape((max(c[0], self.box[0]), max(c[1], self.box[1]), min(c[2], self.box[2]),
                                    min(c[3], self.box[3])), None, 1.0, st.clip)
            except (IndexError, TypeError, ValueError, AttributeError, KeyError) as exc:
                raise PdfError(f"the PDF is damaged: page {self.number} has a malformed '{op.decode('latin-1')}' "
                               f"operation ({type(exc).__name__})") from None

    def colour_space(self, resources: Any, name: Any) -> str:
        device = {"/DeviceGray": "gray", "/DeviceRGB": "rgb", "/DeviceCMYK": "cmyk", "/G": "gray", "/RGB": "rgb",
                  "/CMYK": "cmyk"}
        if name in device:
            return device[name]
        spaces = resources.get("/ColorSpace") if resources is not None else None
        space = spaces.get_object().get(name) if spaces is not None else None
        if space is None:
            return "unknown"
        space = space.get_object()
        if isinstance(space, str):
            return device.get(space, "unknown")
        kind = str(space[0])
        if kind == "/ICCBased":
            n = int(space[1].get_object().get("/N", 0))
            return {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "unknown")
        if kind in ("/CalGray",):
            return "gray"
        if kind in ("/CalRGB",):
            return "rgb"
        if kind == "/Separation" and str(space[1]) != "/None":
            return "tint"
        return "unknown"  # Pattern, Indexed, DeviceN, Lab: not checked, so text in them does not count

    def ext_state(self, resources: Any, name: Any, st: _State) -> None:
        states = resources.get("/ExtGState") if resources is not None else None
        gs = states.get_object().get(name) if states is not None else None
        if gs is None:
            return
        gs = gs.get_object()
        if "/ca" in gs:
            st.fill_alpha = float(gs["/ca"])
        if "/CA" in gs:
            st.stroke_alpha = float(gs["/CA"])
        if "/Font" in gs:
            st.font = Font(gs["/Font"][0])
            st.size = float(gs["/Font"][1])

    def do(self, resources: Any, name: Any, st: _State, depth: int) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        ref = xobjects.get_object().get(name) if xobjects is not None else None
        if ref is None:
            return
        form = ref.get_object()
        subtype = form.get("/Subtype")
        if subtype == "/Image":
            x0, y0 = apply(st.ctm, 0, 0)
            x1, y1 = apply(st.ctm, 1, 1)
            self.add_shape((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), None, st.fill_alpha, st.clip)
            return
        if subtype != "/Form":
            return
        key = getattr(ref, "idnum", None) or id(form)
        self.place_form(form, key, st, resources, depth)

    def place_form(self, form: Any, key: Any, st: _State, resources: Any, depth: int,
                   placed: Matrix | None = None) -> None:
        """Run a form XObject (or an annotation's appearance, ``placed`` on its rectangle)."""
        if key in self.forms or depth >= MAX_FORM_DEPTH:
            raise PdfError(f"the PDF is damaged: page {self.number} uses a form that contains itself "
                           f"(or forms nested more than {MAX_FORM_DEPTH} deep)")
        inner = st.copy()
        matrix = form.get("/Matrix")
        if matrix is not None:
            inner.ctm = mul(tuple(float(v) for v in matrix[:6]), inner.ctm)  # type: ignore[arg-type]
        if placed is not None:
            inner.ctm = mul(inner.ctm, placed)
        bbox = form.get("/BBox")
        if bbox is not None:
            corners = [apply(inner.ctm, float(bbox[i]), float(bbox[j])) for i, j in ((0, 1), (2, 1), (0, 3), (2, 3))]
            c = inner.clip
            inner.clip = (max(c[0], min(p[0] for p in corners)), max(c[1], min(p[1] for p in corners)),
                          min(c[2], max(p[0] for p in corners)), min(c[3], max(p[1] for p in corners)))
        hidden_layer = self.layer_off(form.get("/OC"))
        self.forms.add(key)
        self.hidden_layers += hidden_layer
        try:
            self.run(stream_data(form, f"a form on page {self.number}"), form.get("/Resources", resources), inner,
                     depth + 1)
        finally:
            self.forms.discard(key)
            self.hidden_layers -= hidden_layer

    # optional content (layers) ---------------------------------------------------------------
    def layer_off(self, oc: Any) -> int:
        """1 when ``oc`` (an optional content group or membership dictionary) is off, else 0."""
        if oc is None or self.layers is None:
            return 0
        oc = oc.get_object()
        groups = oc.get("/OCGs") if oc.get("/Type") == "/OCMD" else None
        if groups is None:
            return int(_key(oc) in self.layers)
        groups = groups.get_object()
        refs = [g.get_object() for g in groups] if isinstance(groups, list) else [groups]
        off = [_key(g) in self.layers for g in refs]
        policy = str(oc.get("/P", "/AnyOn"))
        hidden = {"/AllOn": any(off), "/AnyOff": not any(off), "/AllOff": not all(off)}.get(policy, all(off))
        return int(bool(refs) and hidden)

    def marked(self, op: bytes, operands: list[Any], resources: Any) -> None:
        if op == b"EMC":
            if self.marks:
                self.hidden_layers -= self.marks.pop()
            return
        off = 0
        if op == b"BDC" and len(operands) >= 2 and operands[0] == "/OC" and isinstance(operands[1], str):
            props = resources.get("/Properties") if resources is not None else None
            ref = props.get_object().get(operands[1]) if props is not None else None
            off = self.layer_off(ref)
        self.marks.append(off)
        self.hidden_layers += off

    # annotations ---------------------------------------------------------------------------------
    def annotations(self, page: Any) -> list[str]:
        """Annotations a viewer draws over the page, other than links (leaflet writes only links):
        each described with the text it shows. Shapes in their normal appearance hide the page's
        text under them."""
        annots = page.get("/Annots")
        found: list[str] = []
        if annots is None:
            return found
        for ref in annots.get_object():
            annot = ref.get_object()
            subtype = str(annot.get("/Subtype", "/Unknown"))
            if subtype in ("/Link", "/Popup") or int(annot.get("/F", 0)) & 2:
                continue  # a link, or hidden
            mark = len(self.runs)
            normal = self.appearance(annot)
            if normal is not None:
                rect = [float(v) for v in annot["/Rect"]]
                bbox = [float(v) for v in normal.get("/BBox", rect)]
                matrix = tuple(float(v) for v in normal.get("/Matrix", IDENTITY)[:6])
                corners = [apply(matrix, bbox[i], bbox[j])  # type: ignore[arg-type]
                           for i, j in ((0, 1), (2, 1), (0, 3), (2, 3))]
                bx0, by0 = min(p[0] for p in corners), min(p[1] for p in corners)
                bx1, by1 = max(p[0] for p in corners), max(p[1] for p in corners)
                rx0, ry0 = min(rect[0], rect[2]), min(rect[1], rect[3])
                rx1, ry1 = max(rect[0], rect[2]), max(rect[1], rect[3])
                sx = (rx1 - rx0) / (bx1 - bx0) if bx1 > bx0 else 1.0
                sy = (ry1 - ry0) / (by1 - by0) if by1 > by0 else 1.0
                self.last = None
                self.place_form(normal, getattr(ref, "idnum", None) or id(annot), _State(), None, 0,
                                (sx, 0.0, 0.0, sy, rx0 - sx * bx0, ry0 - sy * by0))
            drawn = [r.chars for r in self.runs[mark:] if not r.hidden]
            del self.runs[mark:]  # not part of the page's text: reported on their own
            shown = " ".join(" ".join(drawn).replace("\x00", " ").split())
            contents = annot.get("/Contents")
            text = shown or (" ".join(str(contents).split()) if contents is not None else "")
            found.append(f"{subtype[1:]}" + (f" '{text}'" if text else ""))
        return found

    def appearance(self, annot: Any) -> Any:
        ap = annot.get("/AP")
        normal = ap.get_object().get("/N") if ap is not None else None
        if normal is None:
            return None
        normal = normal.get_object()
        if hasattr(normal, "get_data"):
            return normal
        state = annot.get("/AS")  # appearance states: the one selected
        chosen = normal.get(state) if state is not None else None
        return chosen.get_object() if chosen is not None else None

    def _bridged(self) -> None:
        """A space read from a blank stretch between two runs, drawn one after the other on a line,
        where other text of the line stands in that stretch is no space between them: in a line
        of both directions, text that follows on in reading order can be drawn away from the
        text before it, with other runs between (UAX #9 puts ``(`` and the right-to-left word
        after it apart when a number of the word's run is drawn between them). What separates
        them is then only what the text itself holds (a space drawn as a character)."""
        bands: dict[int, list[Extent]] = {}
        for run in self.runs:
            if run.box is not None and not run.hidden:
                bands.setdefault(int(run.box[2] // BUCKET), []).append(run.box)
        for run in self.runs:
            if run.gap is None or run.sep != "s":
                continue
            lo, hi, y, tol = run.gap
            band = int(y // BUCKET)
            for b in (band - 1, band, band + 1):
                if any(abs(box[2] - y) <= 0.3 * max(tol, box[3]) and min(hi, box[1]) - max(lo, box[0]) > 0.15 * tol
                       for box in bands.get(b, ())):
                    run.sep = "n"
                    break

    def page(self) -> Page:
        out = Page(self.number)
        chars: list[str] = []
        seps: list[str] = []
        carry = "b"  # the strongest separator since the last character kept; a page starts on a new line
        self._bridged()
        for run in self.runs:
            if _SEP_RANK[run.sep] > _SEP_RANK[carry]:
                carry = run.sep
            text = run.chars
            if run.hidden:
                compact = "".join(text.split()).replace("\x00", "")
                if compact:
                    out.hidden.append((compact, run.hidden))
                continue
            if "\x00" in text or "\u00ad" in text:  # characters off the page are breaks; soft hyphens print nothing
                text = text.replace("\u00ad", "").replace("\x00", "\n")
            words = text.split()
            if text[:1].isspace() and carry == "n":
                carry = "s"
            for word in words:
                chars.append(word)
                seps.append(carry + "n" * (len(word) - 1))
                carry = "s"
            if words and not text[-1].isspace():
                carry = "n"
        out.chars = "".join(chars)
        out.seps = "".join(seps)
        return out


def _separator(last: Extent | None, x0: float, x1: float, y: float, size: float) -> tuple[str, Extent | None]:
    """What separates text drawn from x0 to x1 on baseline y from the text drawn before it: ``n``
    nothing, ``s`` a space (on the same line, after it to the right, or, in right-to-left text,
    before it to the left), ``b`` a line break; and for a space, the blank stretch between them
    (left x, right x, baseline y, size)."""
    if last is None:
        return "b", None
    lx0, lx1, ly, lsize = last
    tol = max(size, lsize)
    if abs(y - ly) > 0.3 * tol:
        return "b", None
    if x0 >= lx1 - 0.2 * tol:
        return ("s", (lx1, x0, y, tol)) if x0 - lx1 > 0.15 * tol else ("n", None)
    if x1 <= lx0 + 0.2 * tol:
        return ("s", (x1, lx0, y, tol)) if lx0 - x1 > 0.15 * tol else ("n", None)
    return "b", None


@cache
def _strong(ch: str) -> str:
    kind = unicodedata.bidirectional(ch)
    return "R" if kind in ("R", "AL") else "L" if kind == "L" else ""


def _marks_only(text: str) -> bool:
    """Is ``text`` only combining marks (drawn over or under a letter drawn before)?"""
    return all(unicodedata.combining(ch) for ch in text)


def _right_to_left(text: str) -> bool:
    """Does ``text`` hold right-to-left letters and no left-to-right ones?"""
    kinds = {_strong(ch) for ch in text}
    return "R" in kinds and "L" not in kinds


def _grow(path: list[float], x: float, y: float) -> list[float]:
    if not path:
        return [x, y, x, y]
    return [min(path[0], x), min(path[1], y), max(path[2], x), max(path[3], y)]


# --- opening a PDF --------------------------------------------------------------------------------

def _errors() -> tuple[type[BaseException], ...]:
    from pypdf.errors import PyPdfError

    return (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError, zlib.error,
            RecursionError, OverflowError, UnicodeDecodeError, NotImplementedError, EOFError)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def stream_data(stream: Any, what: str) -> bytes:
    """A stream's decoded data; PdfError if pypdf cannot decode it (it would warn and return nothing)."""
    log = logging.getLogger("pypdf")
    handler = _Warnings()
    level, propagate = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    log.propagate = False
    try:
        data = stream.get_data()
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = propagate
    if handler.messages:
        raise PdfError(f"the PDF is damaged: {what} cannot be decoded ({handler.messages[0].rstrip('.')})",
                       "build the leaflet again; if the file was copied or sent, copy it again")
    return bytes(data)


def open_pdf(pdf: str | Path | bytes) -> Any:
    """A pypdf reader for a PDF that can be checked; PdfError (with a hint) for one that cannot."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files: we report, pypdf need not warn
    name = "the file" if isinstance(pdf, bytes) else str(pdf)
    if isinstance(pdf, bytes):
        data = pdf
    else:
        try:
            data = Path(pdf).read_bytes()
        except FileNotFoundError:
            raise PdfError(f"{pdf}: no such file", "give the PDF that 'leaflet build' wrote") from None
        except IsADirectoryError:
            raise PdfError(f"{pdf} is a folder, not a PDF file", "give the PDF that 'leaflet build' wrote") from None
        except OSError as exc:
            raise PdfError(f"{pdf}: cannot read the file: {exc.strerror or exc}") from None
    head = data[:1024]
    if b"%PDF-" not in head:
        what = "an empty file" if not data.strip() else "not a PDF file (it does not start with '%PDF-')"
        raise PdfError(f"{name} is {what}", "give the PDF that 'leaflet build' wrote, not the content file or "
                       "another document")
    if b"%%EOF" not in data[-2048:]:
        raise PdfError(f"{name} is incomplete: it does not end with the PDF end-of-file marker (truncated, or "
                       "still being written?)", "build the leaflet again, or copy the whole file")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfError(f"{name} is encrypted (password-protected), so its text cannot be checked",
                           "verify the PDF as 'leaflet build' wrote it, before any protection is added")
        len(reader.pages)
    except PdfError:
        raise
    except _errors() as exc:
        raise PdfError(f"{name} is damaged and cannot be read: {_reason(exc)}",
                       "build the leaflet again; if the file was copied or sent, copy it again") from None
    return reader


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().rstrip(".")
    return text if text and len(text) < 200 else type(exc).__name__


def visible_pages(reader: Any) -> Iterator[Page]:
    """Each page's visible and hidden text, in drawing order."""
    budget = [0]
    fonts: dict[Any, Font] = {}
    layers = _layers_off(reader)
    for number, page in enumerate(_pages(reader), start=1):
        try:
            pr = _PageReader(reader, page, number, budget, fonts, layers)
            contents = page.get("/Contents")
            if contents is not None:
                contents = contents.get_object()
                parts = [c.get_object() for c in contents] if isinstance(contents, list) else [contents]
                data = b"\n".join(stream_data(c, f"the content of page {number}") for c in parts)
                pr.run(data, page.get("/Resources"), _State())
            annotations = pr.annotations(page)
            out = pr.page()
            out.annotations = annotations
            yield out
        except PdfError:
            raise
        except _errors() as exc:
            raise PdfError(f"the PDF is damaged: page {number} cannot be read: {_reason(exc)}",
                           "build the leaflet again; if the file was copied or sent, copy it again") from None


def _key(obj: Any) -> Any:
    ref = getattr(obj, "indirect_reference", None)
    return (ref.idnum, ref.generation) if ref is not None else id(obj)


def _layers_off(reader: Any) -> set[Any] | None:
    """The optional content groups (layers) a viewer hides by default; None when there are none."""
    try:
        props = reader.trailer["/Root"].get("/OCProperties")
        if props is None:
            return None
        props = props.get_object()
        default = props.get("/D")
        default = default.get_object() if default is not None else {}
        groups = [g.get_object() for g in props.get("/OCGs", [])]
        if str(default.get("/BaseState", "/ON")) == "/OFF":
            on = {_key(g.get_object()) for g in default.get("/ON", [])}
            return {_key(g) for g in groups} - on
        return {_key(g.get_object()) for g in default.get("/OFF", [])}
    except _errors() as exc:
        raise PdfError(f"the PDF is damaged: its layers (optional content) cannot be read: {_reason(exc)}") from None


def _pages(reader: Any) -> Iterator[Any]:
    try:
        yield from reader.pages
    except _errors() as exc:
        raise PdfError(f"the PDF is damaged: its page tree cannot be read: {_reason(exc)}",
                       "build the leaflet again; if the file was copied or sent, copy it again") from None


def pypdf_errors() -> tuple[type[BaseException], ...]:
    return _errors()

