"""Paragraphs in both directions: shaped, broken into lines, reordered by UAX #9, aligned.

ReportLab's Paragraph lays words out left to right and draws characters one by one. A
:class:`BidiParagraph` takes the same markup (ReportLab's parser reads it: fonts, colours,
links, ``<br/>``) and does the rest itself:

1. the embedding level of every character, resolved over the whole paragraph
   (:func:`leaflet.text.bidi.levels`), its base direction that of the leaflet;
2. words (between spaces) cut into runs of one font and one level, each shaped by HarfBuzz
   with its word as context (:func:`leaflet.typeset.shaping.shape`, cached);
3. lines broken greedily at spaces, in logical order, a web address wrapping where
   :mod:`leaflet.typeset.links` allows and a word longer than a line cut where it must;
4. each line put in visual order (rules L1 and L2), aligned to its start edge (the right
   one in a right-to-left paragraph), its bullet or number on that side too.

It is a Paragraph for the rest of the layout: ``blPara.lines`` counts its lines, ``split``
keeps two lines on each side of a break as ReportLab's does (``allowWidows``,
``allowOrphans``), ``getPlainText`` gives the text of the part. A split part shares the
levels of the whole paragraph, so a break never changes how a line reads.
"""
from __future__ import annotations

import copy
import re
from typing import Any, NamedTuple

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from ..text import bidi
from . import links, shaping
from .flowables import Heading, Para, Whole

_FUZZ = 1e-6
# a paragraph's tokens: a forced line break, a run of spaces, a word (what lies between them)
_TOKEN = re.compile(r"(?P<brk>\n)|(?P<space> +)|(?P<word>[^ \n]+)")


class _Seg(NamedTuple):
    """A run of one word (or of spaces) in one font, size, colour, link and level."""

    start: int
    end: int
    level: int
    frag: Any
    glyphs: shaping.Glyphs
    width: float  # points


class _Token(NamedTuple):
    kind: str  # "word", "space" or "break"
    start: int
    end: int
    segs: tuple[_Seg, ...]
    width: float


class _Line(NamedTuple):
    segs: tuple[_Seg, ...]  # logical order
    width: float
    start: int
    end: int


class _Lines:
    """What the layout reads of a wrapped paragraph (as of ReportLab's ParaLines)."""

    kind = 1

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines


class _Source:
    """What the parts of a split paragraph share: the logical text, its fragments and levels."""

    def __init__(self, frags: list[Any], rtl: bool) -> None:
        chars: list[str] = []
        owner: list[Any] = []
        for f in frags:
            if getattr(f, "lineBreak", False):
                chars.append("\n")
                owner.append(f)
                continue
            chars.extend(f.text)
            owner.extend([f] * len(f.text))
        self.text = "".join(chars)
        self.frag_of = owner
        self.rtl = rtl
        lv: list[int] = []
        base = 1 if rtl else 0
        pos = 0
        for piece in self.text.split("\n"):  # a forced line break ends a bidi paragraph
            lv.extend(bidi.levels(piece, rtl))
            pos += len(piece)
            if pos < len(self.text):
                lv.append(base)
                pos += 1
        self.levels = lv
        self.tokens: dict[tuple[int, int], list[_Token]] = {}  # by range: shaped once per paragraph
        self.lines: dict[tuple[int, int, float], list[_Line]] = {}  # by range and width: wrapped once


def _same(a: Any, b: Any) -> bool:
    return (a is b) or (a.fontName == b.fontName and a.fontSize == b.fontSize and a.textColor == b.textColor
                        and a.link == b.link and getattr(a, "rise", 0) == getattr(b, "rise", 0))


class BidiParagraph(Paragraph):
    """A paragraph shaped and ordered by UAX #9; right-aligned when ``rtl``."""

    plain = True  # a plain paragraph for the page-break rules (flowables.is_plain)

    def __init__(self, text: str, style: ParagraphStyle, bulletText: str | None = None, *,
                 rtl: bool = True, **kw: Any) -> None:
        super().__init__(text, style, bulletText=bulletText, **kw)
        self.rtl = rtl
        self._src = _Source(self.frags, rtl)
        self._range = (0, len(self._src.text))

    # the text -----------------------------------------------------------------------------
    def getPlainText(self, identify: Any = None) -> str:
        start, end = self._range
        return bidi.strip_controls(self._src.text[start:end].replace("\n", " "))

    def _tokens(self, start: int, end: int) -> list[_Token]:
        found = self._src.tokens.get((start, end))
        if found is None:
            found = self._src.tokens[(start, end)] = self._make_tokens(start, end)
        return list(found)

    def _make_tokens(self, start: int, end: int) -> list[_Token]:
        src = self._src
        out: list[_Token] = []
        for m in _TOKEN.finditer(src.text, start, end):
            i, j = m.span()
            if m.lastgroup == "brk":
                out.append(_Token("break", i, j, (), 0.0))
                continue
            segs = self._segments(i, j)
            out.append(_Token("space" if m.lastgroup == "space" else "word", i, j, segs,
                              segs[0].width if len(segs) == 1 else sum([s.width for s in segs])))
        return out

    def _segments(self, start: int, end: int, context: tuple[int, int] | None = None) -> tuple[_Seg, ...]:
        """A word (or spaces) cut into runs of one style and level, each shaped with the word as
        context (``context``: the whole word's span, where this is a part of a word cut over two
        lines: its letters keep the joining forms they have in the word); directional controls steer
        the levels and print nothing."""
        src = self._src
        text, levels, frag_of = src.text, src.levels, src.frag_of
        lo, hi = context or (start, end)
        word = text[lo:hi]
        f = frag_of[start]
        lv = levels[start]
        n = end - start
        # (ParaFrag compares by identity: count is the identity test, in C)
        if (n == 1 or (levels[start:end].count(lv) == n and frag_of[start:end].count(f) == n)) \
                and bidi.CONTROLS.isdisjoint(word):
            # one run (most words): one font, one level, no control
            glyphs = shaping.shape(f.fontName, word, start - lo, end - lo, lv % 2 == 1)
            return (_Seg(start, end, lv, f, glyphs, glyphs.width * f.fontSize / 1000),)
        segs: list[_Seg] = []
        i = start
        while i < end:
            if text[i] in bidi.CONTROLS:
                i += 1
                continue
            f, lv = frag_of[i], levels[i]
            j = i + 1
            while j < end and text[j] not in bidi.CONTROLS and levels[j] == lv and _same(frag_of[j], f):
                j += 1
            glyphs = shaping.shape(f.fontName, word, i - lo, j - lo, lv % 2 == 1)
            segs.append(_Seg(i, j, lv, f, glyphs, glyphs.width * f.fontSize / 1000))
            i = j
        return tuple(segs)

    # lines --------------------------------------------------------------------------------
    def _widths(self, width: float) -> tuple[float, float]:
        st = self.style
        first_indent = st.firstLineIndent if self._range[0] == 0 else 0
        avail = width - st.leftIndent - st.rightIndent
        return avail - first_indent, avail

    def _break(self, width: float) -> list[_Line]:
        first, later = self._widths(width)
        start, end = self._range
        lines: list[_Line] = []
        cur: list[_Token] = []
        cur_w = 0.0
        space: _Token | None = None
        avail = first

        def flush() -> None:
            nonlocal cur, cur_w, avail, space
            segs = tuple(s for t in cur for s in t.segs)
            lines.append(_Line(segs, cur_w, cur[0].start if cur else 0, cur[-1].end if cur else 0))
            cur, cur_w, avail, space = [], 0.0, later, None

        tokens = self._tokens(start, end)
        k = 0
        while k < len(tokens):
            tok = tokens[k]
            k += 1
            if tok.kind == "break":
                flush()
                continue
            if tok.kind == "space":
                space = tok if cur else None
                continue
            gap = space.width if (space is not None and cur) else 0.0
            if cur_w + gap + tok.width <= avail + _FUZZ:
                if gap:
                    cur.append(space)  # type: ignore[arg-type]
                cur.append(tok)
                cur_w += gap + tok.width
                space = None
                continue
            # the word does not fit on this line
            head, rest = self._cut(tok, avail - cur_w - gap, avail, bool(cur))
            if head is not None:
                if gap:
                    cur.append(space)  # type: ignore[arg-type]
                cur.append(head)
                cur_w += gap + head.width
            if cur:
                flush()
            if rest is not None:
                if head is None and rest is tok and tok.width <= avail + _FUZZ:
                    cur, cur_w = [tok], tok.width
                else:
                    tokens.insert(k, rest)
        if cur or not lines:
            flush()
        return lines

    def _cut(self, tok: _Token, room: float, line: float, started: bool) -> tuple[_Token | None, _Token | None]:
        """Where a word that does not fit in ``room`` goes: (head on this line, rest) — a web
        address splits at a typographer's point when moving it whole would leave more than
        ``links.URI_WASTE`` of the line empty; a word longer than a whole line splits wherever
        it must. ``(None, tok)``: the whole word moves to the next line."""
        text = self._src.text[tok.start:tok.end]
        is_url = bool(links._WEB.match(text)) or links._is_rest(text)
        if started and not (is_url and room > links.URI_WASTE * line):
            return None, tok
        if not started and tok.width <= line + _FUZZ:
            return None, tok
        points = links.split_points(text, rest=not links._WEB.match(text)) if is_url else []
        if not started:
            points = points or list(range(1, len(text)))
        # a part keeps the joining forms it has in the word (an Arabic letter cut from the next one
        # still shows that the word goes on); never a hyphen (Arabic has none; see .hyphenate)
        word = self._word(tok.start, tok.end) if not is_url else None
        for p in reversed(points):
            head = self._token(tok.start, tok.start + p, word)
            if head.width <= room + _FUZZ:
                return head, self._token(tok.start + p, tok.end, word)
        if not started:  # not even one character fits: it goes alone on the line
            return self._token(tok.start, tok.start + 1, word), self._token(tok.start + 1, tok.end, word)
        return None, tok

    def _word(self, start: int, end: int) -> tuple[int, int]:
        """The span of the whole word (between spaces) that ``start:end`` is part of."""
        text = self._src.text
        lo = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
        ends = [i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0]
        return lo, min(ends, default=len(text))

    def _token(self, start: int, end: int, context: tuple[int, int] | None = None) -> _Token:
        segs = self._segments(start, end, context)
        return _Token("word", start, end, segs, sum(s.width for s in segs))

    # the flowable -------------------------------------------------------------------------
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        key = (*self._range, availWidth)
        lines = self._src.lines.get(key)
        if lines is None:  # (the layout wraps a paragraph many times at one width)
            lines = self._src.lines[key] = self._break(availWidth)
        self.blPara = _Lines(lines)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        self._wrapped_at = availWidth
        return self.width, self.height

    def _part(self, start: int, end: int) -> BidiParagraph:
        part = copy.copy(self)
        part._range = (start, end)
        if start > self._range[0]:
            part.bulletText = None
        part.__dict__.pop("blPara", None)
        return part

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if availWidth < _FUZZ or availHeight < _FUZZ:
            return []
        # split by the lines of the last wrap, as ReportLab's Paragraph does: a table splits a
        # cell at the column's width, but wrapped it inside the cell's padding; at the wider
        # width the lines would differ (fewer: it "fits", and the row could not split at all)
        if not hasattr(self, "blPara"):
            self.wrap(availWidth, availHeight)
        width = self._wrapped_at
        lines = self.blPara.lines
        style = self.style
        s = int(availHeight / float(style.leading))  # as ReportLab counts
        allow_orphans = getattr(self, "allowOrphans", getattr(style, "allowOrphans", 0))
        if (not allow_orphans and s <= 1) or s == 0:
            return []
        n = len(lines)
        if n <= s:
            return [self]
        allow_widows = getattr(self, "allowWidows", getattr(style, "allowWidows", 1))
        if not allow_widows and n == s + 1:
            if (allow_orphans and n == 3) or n > 3:
                s -= 1
            else:
                return []
        cut = lines[s].start
        first, second = self._part(self._range[0], cut), self._part(cut, self._range[1])
        first.wrap(width, availHeight)
        return [first, second]

    def draw(self) -> None:
        canv = self.canv
        st = self.style
        lines = self.blPara.lines
        y = self.height - st.fontSize
        width = self.width
        canv.saveState()
        if self.bulletText and self._range[0] == 0:
            self._draw_bullet(y)
        colour = None
        for n, line in enumerate(lines):
            indent = st.firstLineIndent if (n == 0 and self._range[0] == 0) else 0
            if self.rtl:
                x = width - st.leftIndent - indent - line.width
            else:
                x = st.leftIndent + indent
            colour = self._draw_line(line, x, y, colour)
            y -= st.leading
        canv.restoreState()

    def _draw_line(self, line: _Line, x: float, y: float, colour: Any) -> Any:
        """Draw a line's runs at their visual places, in logical order (for text extraction);
        runs of one level, font and colour side by side are drawn as one."""
        segs = line.segs
        if not segs:
            return colour
        text = self._src.text
        levels = bidi.line_levels("".join([text[s.start] for s in segs]), [s.level for s in segs], self.rtl)
        order = bidi.visual_order(levels)
        placed: list[tuple[float, int]] = []
        pos = x
        for k in order:
            placed.append((pos, k))
            pos += segs[k].width
        # visual neighbours of one level and colour are drawn as one text object (fonts may change
        # inside it), so that a reader sees a run of one direction whole
        groups: list[list[tuple[float, int]]] = []
        for item in placed:
            if groups:
                last = segs[groups[-1][-1][1]]
                cur = segs[item[1]]
                a, b = last.frag.textColor, cur.frag.textColor
                if levels[groups[-1][-1][1]] == levels[item[1]] and (a is b or a == b):
                    groups[-1].append(item)
                    continue
            groups.append([item])
        canv = self.canv
        for group in sorted(groups, key=lambda g: min([k for _, k in g])):
            f = segs[group[0][1]].frag
            if f.textColor is not colour and f.textColor != colour:
                canv.setFillColor(f.textColor)
                colour = f.textColor
            pieces = [(segs[k].frag.fontName, segs[k].frag.fontSize, segs[k].glyphs) for _, k in group]
            shaping.draw_pieces(canv, group[0][0], y + getattr(f, "rise", 0), pieces,
                                self._backwards(group, segs, levels))
        # links: one rectangle per stretch of a line that links to one place
        start: tuple[float, float, Any] | None = None
        for pos_x, k in [*placed, (pos, -1)]:
            link = segs[k].frag.link if k >= 0 else None
            target = link[0][1] if link else None
            if start is not None and target != start[2]:
                size = segs[0].frag.fontSize
                _link(canv, start[2], (start[0], y - 0.2 * size, pos_x, y + 0.9 * size))
                start = None
            if target is not None and start is None:
                start = (pos_x, 0.0, target)
        return colour

    def _backwards(self, group: list[tuple[float, int]], segs: tuple[_Seg, ...], levels: list[int]) -> bool:
        """Are a group's glyphs written from the right? Glyphs go left to right, except punctuation
        running right to left with no right-to-left letter among it ("),"): a reader could not tell
        its direction, so it is written in reading order (each glyph still at its place)."""
        if levels[group[0][1]] % 2 == 0:
            return False
        text = self._src.text  # (part by part: the first right-to-left letter answers)
        return not any(bidi.has_rtl_letters(text[segs[k].start:segs[k].end]) for _, k in group)

    def _draw_bullet(self, y: float) -> None:
        st = self.style
        text = self.bulletText if isinstance(self.bulletText, str) else "".join(f.text for f in self.bulletText)
        name, size = st.bulletFontName, st.bulletFontSize
        lv = bidi.levels(text, self.rtl)
        segs: list[tuple[int, shaping.Glyphs]] = []
        i = 0
        while i < len(text):
            j = i + 1
            while j < len(text) and lv[j] == lv[i]:
                j += 1
            segs.append((lv[i], shaping.shape(name, text, i, j, lv[i] % 2 == 1)))
            i = j
        order = bidi.visual_order([s[0] for s in segs])
        total = sum(g.width for _, g in segs) * size / 1000
        x = self.width - st.bulletIndent - total if self.rtl else st.bulletIndent
        xs = {}
        for k in order:
            xs[k] = x
            x += segs[k][1].width * size / 1000
        self.canv.setFillColor(st.textColor)
        for k, (_, g) in enumerate(segs):
            shaping.draw(self.canv, xs[k], y + getattr(st, "bulletOffsetY", 0), name, size, g)


def _link(canv: Any, target: str, rect: tuple[float, float, float, float]) -> None:
    if target.startswith("#"):
        canv.linkRect("", target[1:], rect, relative=1)
    else:
        canv.linkURL(target, rect, relative=1, kind="URI")


class BidiHeading(Heading, BidiParagraph):
    """A heading (in the outline) shaped and ordered like a BidiParagraph."""

    plain = False

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int, outline: str, anchor: str = "",
                 *, rtl: bool = True) -> None:
        BidiParagraph.__init__(self, text, style, rtl=rtl)
        self.outline: tuple[str, int, str] | None = (key, level, outline)
        self.anchor = anchor
        self.keep_with_next = True


class BidiWhole(Whole, BidiParagraph):
    """Lines that never split (an address), shaped and ordered like a BidiParagraph."""

    plain = False


def paragraph(text: str, style: ParagraphStyle, rtl: bool, **kw: Any) -> Paragraph:
    """A paragraph of markup ``text``: ReportLab's own for left-to-right text without right-to-left
    letters or directional controls (byte for byte as before), else a BidiParagraph (``rtl``: the
    leaflet's direction, the paragraph's base direction)."""
    if rtl or bidi.needs_bidi(text):
        return BidiParagraph(text, style, rtl=rtl, **kw)
    return Para(text, style, **kw)


def heading(text: str, style: ParagraphStyle, key: str, level: int, outline: str, anchor: str, rtl: bool) -> Heading:
    if rtl or bidi.needs_bidi(text):
        return BidiHeading(text, style, key, level, outline, anchor, rtl=rtl)
    return Heading(text, style, key, level, outline, anchor)


def whole(text: str, style: ParagraphStyle, rtl: bool) -> Paragraph:
    if rtl or bidi.needs_bidi(text):
        return BidiWhole(text, style, rtl=rtl)
    return Whole(text, style)


def _one_line(runs: list[tuple[str, str]], size: float, rtl: bool) -> tuple[list[tuple[float, str, shaping.Glyphs]],
                                                                              float]:
    """A line of (font, text) runs (from FontSet.runs) shaped and put in visual order: each piece
    (its x from the line's left end, font, glyphs) in logical order, and the line's width."""
    text = "".join(t for _, t in runs)
    fonts = [name for name, t in runs for _ in t]
    lv = bidi.levels(text, rtl)
    pieces: list[tuple[int, str, shaping.Glyphs]] = []
    i = 0
    while i < len(text):
        if text[i] in bidi.CONTROLS:
            i += 1
            continue
        j = i + 1
        while j < len(text) and lv[j] == lv[i] and fonts[j] == fonts[i] and text[j] not in bidi.CONTROLS:
            j += 1
        pieces.append((lv[i], fonts[i], shaping.shape(fonts[i], text, i, j, lv[i] % 2 == 1)))
        i = j
    order = bidi.visual_order([p[0] for p in pieces])
    xs = [0.0] * len(pieces)
    x = 0.0
    for k in order:
        xs[k] = x
        x += pieces[k][2].width * size / 1000
    return [(xs[k], name, g) for k, (_, name, g) in enumerate(pieces)], x


def line_width(runs: list[tuple[str, str]], size: float, rtl: bool) -> float:
    """The width of a line of (font, text) runs drawn by :func:`draw_line`."""
    return _one_line(runs, size, rtl)[1]


def draw_line(canv: Any, x: float, y: float, runs: list[tuple[str, str]], size: float, rtl: bool) -> float:
    """Draw a line of (font, text) runs shaped and in visual order, its left end at x; its width."""
    pieces, width = _one_line(runs, size, rtl)
    for dx, name, glyphs in pieces:
        shaping.draw(canv, x + dx, y, name, size, glyphs)
    return width
