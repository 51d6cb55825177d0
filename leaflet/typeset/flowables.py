"""Flowables of a leaflet page: headings in the outline, keep-with-next pairs, boxes.

Layout (:mod:`leaflet.typeset.layout`) decides what goes into the story; the
classes here decide how each piece behaves at a page break.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, FrameBreak, Paragraph, Spacer, Table

from ..errors import RenderError


class WrapOnce(Paragraph):
    """A paragraph that is broken into lines once for each width.

    The layout wraps a paragraph again and again at the same width: ReportLab's table for each
    cell's geometry, a box measuring its content, a heading with what it keeps with. The lines
    are the same each time (they depend on the width and the style only), and breaking them
    is most of a build's time: so a wrap at the width and style of the last one returns its
    size. A split (which may change the fragments it shares with its parts, and drops the lines
    when it fails) forgets it: the next wrap breaks the lines again, as ReportLab would."""

    _wrapped: tuple[float, object] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        done = self._wrapped
        if done is not None and done[0] == availWidth and done[1] is self.style and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, self.style) if "blPara" in self.__dict__ else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._wrapped = None
        return super().split(availWidth, availHeight)


class Para(WrapOnce):
    """ReportLab's paragraph, broken into lines once for each width (:class:`WrapOnce`)."""

    plain = True  # the page-break rules may split it by lines (is_plain)


class Heading(WrapOnce):
    """A heading that adds itself to the PDF outline (bookmarks) where it lands."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int, outline: str,
                 anchor: str = "") -> None:
        super().__init__(text, style)  # ``text`` is paragraph markup (layout.markup)
        self.outline: tuple[str, int, str] | None = (key, level, outline)
        self.anchor = anchor  # a named destination that links go to ([[id]], the contents list)
        self.keep_with_next = True

    def draw(self) -> None:
        if self.outline:
            key, level, title = self.outline
            top = self.height + self.style.leading * 0.5
            self.canv.bookmarkHorizontal(key, 0, top)
            if self.anchor:
                self.canv.bookmarkHorizontal(self.anchor, 0, top)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
            self.outline = None
        super().draw()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for later in parts[1:]:
            later.outline = None
        return parts


# A box moved whole to the next page leaves the rest of this page empty; it splits
# (with its "(continued)" band) instead when that would leave more than this share
# of the body frame empty, and two list items that travel together part. Pages may
# then be at most about a quarter empty (tests/test_geometry.py measures it).
SPLIT_WHEN_GAP_OVER = 0.15
# Past this share of a page left empty the rules give way, weakest first: a box breaks with a
# single line or item on one side, a table row splits inside its cells, a paragraph leaves one
# line alone; last a lead-in (an action, then a colon) may end the page. So no page but the last
# is more than a quarter empty, the one hard rule (measured below the last text, with the
# spacing around it: hence the margin).
GAP_LIMIT = 0.2
# Where a page is still left more than LOOK_BACK_OVER empty, because what comes next cannot start
# on it (a heading with its intro and first lines, a box's band and first lines: nothing shorter),
# the page before it ends earlier, by as much as leaves that page at most DONOR_LIMIT empty, so
# that its last lines go over and fill the gap; what that page cannot give, the pages before it
# give in turn (up to CASCADE_PAGES of them), their last lines going over to keep it full. The
# pages are laid out again (at most LOOK_BACK_BUILDS more times, only for a leaflet with such a
# page; LAST_RESORT_BUILDS more for its last-resort layout: render), and the fuller layout is kept.
# LOOK_BACK_GROUPS are the ways tried, group by group: which page before gives first (1: the one
# just before; 2: the one before that, whose lines going over push the lumpy end of the page just
# before -- a lead-in and the box it introduces, say -- on to fill the gap), what share of the page
# the gap is filled to, how far back pages may give (the cascade's last way: only the page just
# before, what it can; where the pages before it cannot give a little -- a table that would move
# whole -- the cascade asked them for nothing it needed: seen in xliff/es, an address going over
# alone filled the page), and how empty a page that gives may be left.
# The second group: a page further back (3 to PUSH_PAGES pages before) ends earlier alone, and its
# last lines going over push those of each full page between on, by whole lines, to the gap. Pages
# of about eleven lines (A5 in large print) give two lines or none (a paragraph or list item keeps
# two each side): asking each page between to give a share leaves one of them over a quarter
# empty, where a push from further back passes two lines through each (seen in baclofen/ru,
# personalised: a heading with a six-line lead-in fills one page, the callout it introduces the
# next, 27 % empty; the page five before ending 30 pt earlier leaves none of them over 0.18).
# The third: both again with the pages that give left at most GAP_LIMIT empty (two lines and their
# spacing are 0.18 of such a page, more than DONOR_LIMIT).
# Each group is tried on every page left too empty, the first first, before the next group: so a
# page no way fills (an intro the key facts cannot follow) does not take up the tries of the pages
# after it.
# The share left empty is measured below the last text, as the rule measures it: from the foot
# of the last thing on the page, with the space after it and what that thing holds under its last
# text (a box's padding and border, a table's cell padding: text_foot). It is within a point or
# two of poppler's measure (tests/test_paper.py) on every page of the samples and fixtures on A5
# in large print, so 0.235 here is a quarter there, with a margin. (Measured from the foot of the
# last thing alone, a page ending with a box was 6 points emptier than it seemed: a page 26 %
# empty under a callout was not laid out again.) A page within the rule is never laid out again,
# so the leaflets that kept it do not change.
LOOK_BACK_OVER = 0.235
DONOR_LIMIT = 0.15
LOOK_BACK_BUILDS = 30
LAST_RESORT_BUILDS = 10
CASCADE_PAGES = 4
PUSH_PAGES = 6
_CASCADES = ((1, GAP_LIMIT / 2, CASCADE_PAGES), (1, 0.18, CASCADE_PAGES), (2, GAP_LIMIT / 2, CASCADE_PAGES),
             (2, 0.18, CASCADE_PAGES), (1, GAP_LIMIT / 2, 1))
# each way: (which page before gives first, the share to fill the gap to, how far back pages give,
# the share a page that gives may be left empty at most)
LOOK_BACK_GROUPS: tuple[tuple[tuple[int, float, int, float], ...], ...] = (
    tuple((*w, DONOR_LIMIT) for w in _CASCADES),
    tuple((back, GAP_LIMIT / 2, back, DONOR_LIMIT) for back in range(3, PUSH_PAGES + 1)),
    (*((*w, GAP_LIMIT) for w in _CASCADES),
     *((back, GAP_LIMIT / 2, back, GAP_LIMIT) for back in range(2, PUSH_PAGES + 1))))
LOOK_BACK_WAYS = tuple(w for group in LOOK_BACK_GROUPS for w in group)

# False while a page is laid out that a look-back made end early (LeafletDoc): its foot is not the
# frame's, so the room it leaves is not a gap the rules must give way to. The rules that give way
# (a line or item alone, a lead-in ending a page, one table row at the foot) never do so there:
# a layout tried for a look-back never breaks them where the first layout kept them.
_RELAX: ContextVar[bool] = ContextVar("leaflet_relax", default=True)


def may_relax() -> bool:
    """May the rules give way on the page being laid out (see ``_RELAX``)?"""
    return _RELAX.get()


def set_may_relax(allowed: bool) -> None:
    """Lay out the next page with (or without) the rules giving way (inside :func:`relaxing`)."""
    _RELAX.set(allowed)


# The room under the last text drawn on the page being laid out, inside the last thing drawn (its
# space after it, a box's padding: text_foot), set by LeafletDoc: what a page ending here would
# leave empty is this and what the frame has left.
_BELOW: ContextVar[float] = ContextVar("leaflet_below", default=0.0)


def below_last_text() -> float:
    """The room under the last text drawn on this page, in the last thing drawn (see ``_BELOW``)."""
    return _BELOW.get()


def set_below_last_text(room: float) -> None:
    _BELOW.set(room)


# True while a leaflet is laid out again because pages were left over a quarter empty however the
# pages before them gave (render): the last resort of the rules is open (KeepWithNext: a lead-in,
# an intro or a list item leaves a line alone where the page would be left too empty).
_LAST_RESORT: ContextVar[bool] = ContextVar("leaflet_last_resort", default=False)


def last_resort() -> bool:
    """Is this layout the last resort (see ``_LAST_RESORT``)?"""
    return _LAST_RESORT.get()


@contextmanager
def relaxing(last: bool = False) -> Iterator[None]:
    """A layout's pages say whether the rules may give way (:func:`set_may_relax`) and what room
    their last text leaves (:func:`set_below_last_text`); ``last``: the layout is the last resort
    (:func:`last_resort`). After it, what was before."""
    token, room, resort = _RELAX.set(True), _BELOW.set(0.0), _LAST_RESORT.set(last)
    try:
        yield
    finally:
        _RELAX.reset(token)
        _BELOW.reset(room)
        _LAST_RESORT.reset(resort)


Gap = tuple[int, float, float] | tuple[int, float, float, float] | tuple[int, float, float, float, float]


def empty_share(g: Gap) -> float:
    """The share of a page left empty below its last text (``g`` as in :func:`overfull`): of its
    whole text area, page 1's personal panel above its body frame included (its fifth item), as the
    rule measures it (the panel is text; a page 1 the panel takes to itself is not left empty)."""
    return (g[1] + (g[3] if len(g) > 3 else 0.0)) / (g[2] + (g[4] if len(g) > 4 else 0.0))


def overfull(gaps: Sequence[Gap]) -> float:
    """How far pages are left emptier than LOOK_BACK_OVER, together: ``gaps`` holds, for each page
    a page break ended (every page but the last), its number, the room left empty at its foot (from
    the foot of the last thing on it), its body's height, the room under that thing's last text
    (its space after it, a box's padding and border: :func:`text_foot`; 0 if not given) and the
    text area above its body (page 1's personal panel and the gap under it; 0 if not given)."""
    return sum(max(0.0, empty_share(g) - LOOK_BACK_OVER) for g in gaps)


def emptiest(gaps: Sequence[Gap]) -> float:
    """The largest share of a page left empty (``gaps`` as for :func:`overfull`)."""
    return max((empty_share(g) for g in gaps), default=0.0)


def text_foot(f: Flowable) -> float:
    """The room inside a flowable under its last text: a box's padding and border (and its last
    content's), a table's cell padding under its last row, a spacer's height; what a heading or a
    lead-in keeps with, its follower's. 0 for a paragraph."""
    if isinstance(f, KeepWithNext):
        return text_foot(f.rest)
    if isinstance(f, Box):
        return f.bottom_padding + f.border_width + (text_foot(f.content[-1]) if f.content else 0.0)
    if isinstance(f, Table):
        styles = getattr(f, "_cellStyles", None)
        return float(max((c.bottomPadding for c in styles[-1]), default=0.0)) if styles else 0.0
    if isinstance(f, Spacer):
        return float(f.height)
    return 0.0


def look_back(gaps: Sequence[Gap], shorten: Mapping[int, float],
              tried: set[tuple[int, int]]) -> tuple[int, dict[int, float]] | None:
    """The next layout to try (a page, and how far above its frame's foot each page ends:
    ``shorten``), where a page but the first is left more than LOOK_BACK_OVER empty (``gaps`` as
    for :func:`overfull`); None when none is left to try. ``tried`` (pages tried, and how) grows.

    Each group of LOOK_BACK_GROUPS in turn, and in it each such page, the first first, and each
    of its ways (a page before, a share to fill the gap to, how far back pages give and how empty
    a page that gives may be left): that page before ends earlier, so that its last lines go over
    and fill the gap, but no higher than leaves it that empty; what it cannot give so, the page
    before it gives in turn (its last lines going over keep it full), and so on back.
    Each page's new end is measured from its frame's foot, as ``gaps`` is: a page that already
    ends above its foot gives only what lies below its new end."""
    by_page = {g[0]: (g[1], g[2]) for g in gaps}
    for g in gaps:  # a page that ends early to give its lines on, left too empty itself
        page = g[0]
        if empty_share(g) > LOOK_BACK_OVER and shorten.get(page, 0.0) > 0 and (page, -1) not in tried:
            tried.add((page, -1))
            return page, {p: s for p, s in shorten.items() if p != page}  # ends at its foot again
    starts = [sum(map(len, LOOK_BACK_GROUPS[:i])) for i in range(len(LOOK_BACK_GROUPS))]
    order = ((g, way) for start, group in zip(starts, LOOK_BACK_GROUPS) for g in gaps[1:]
             for way in range(start, start + len(group)))
    for g, way in order:
        page = g[0]
        w = LOOK_BACK_WAYS[way]
        if empty_share(g) <= LOOK_BACK_OVER or (page, way) in tried or page - w[0] not in by_page:
            continue
        tried.add((page, way))
        trial = _given(by_page, shorten, g, *w)
        earlier = (_given(by_page, shorten, g, *e) for e in LOOK_BACK_WAYS[:way])
        if trial != shorten and trial not in earlier:  # (a way that asks what an earlier one did is not tried)
            return page, trial
    return None


def _given(by_page: Mapping[int, tuple[float, float]], shorten: Mapping[int, float], g: Gap, first: int,
           target: float, last: int, limit: float = DONOR_LIMIT) -> dict[int, float]:
    """``shorten`` with the pages before page ``g`` ending earlier, from the page ``first`` before it
    back to the page ``last`` before it at most, to fill its gap to ``target``, each left at most
    ``limit`` empty (see :func:`look_back`)."""
    page, gap, height = g[0], g[1], g[2]
    give = gap - target * height  # what the page before gives it
    trial = dict(shorten)
    donor = page - first
    while donor in by_page and give > 1 and donor >= page - last:
        before, before_height = by_page[donor]
        trial[donor] = max(0.0, min(before + give, limit * before_height))  # (never below its frame's foot)
        give = before + give - limit * before_height  # what it lacks: the page before gives it
        donor -= 1
    return trial


def is_plain(f: Flowable) -> bool:
    """A plain paragraph (ReportLab's, or a shaped one: not a heading, not a ``lines`` block), which
    the page-break rules may split by lines."""
    return type(f) is Paragraph or getattr(type(f), "plain", False) is True


def lines_at(f: Paragraph, width: float) -> int:
    f.wrap(width, 10_000)
    return lines_of(f)


def lines_of(f: Flowable) -> int:
    """How many lines of text a wrapped flowable holds (2 for anything that is not a paragraph
    and does not say: a list in columns counts its rows)."""
    count = getattr(f, "line_count", None)
    if count is not None:
        return int(count())
    bl = getattr(f, "blPara", None)
    return 2 if bl is None else len(bl.lines)


def leftover_of(f: Flowable, available: float) -> float:
    """The space a flowable would leave empty if moved whole to the next page: its container's
    (a heading it travels with) when it has one, else what the frame has left."""
    left = getattr(f, "leftover", None)
    return available if left is None else left


def _carry_item(f: Flowable, parts: list[Flowable]) -> None:
    """The second part of ``f`` split over a page keeps its marks (list item, level, the field it
    prints) and is its list item's continuation."""
    for name in ("item", "level", "leaflet_path"):
        if hasattr(f, name):
            setattr(parts[1], name, getattr(f, name))
    if getattr(f, "item", ""):
        parts[1].item = "more"


def _split_alone(f: Flowable, width: float, height: float) -> list[Flowable]:
    """A plain paragraph split in ``height`` with a line alone on a side if need be, its second
    part keeping its marks (:func:`_carry_item`); [] where it does not split in two."""
    f.allowOrphans = f.allowWidows = 1
    try:
        parts = f.split(width, height)
    finally:
        del f.allowOrphans, f.allowWidows
    if len(parts) != 2:
        return []
    _carry_item(f, parts)
    return parts


class KeepWithNext(Flowable):
    """A heading (or question, or lead-in) and what follows it, never parted by a page break.

    Unlike ReportLab's keepWithNext, which moves the pair to a new page whenever
    the pair does not fit, this splits the follower where it stands when it can
    (a long table or paragraph starts under its heading) and moves the pair only
    when nothing of the follower fits under the heading.
    """

    def __init__(self, first: Flowable, rest: Flowable, soft: bool = False, frame: float = 0.0) -> None:
        super().__init__()
        self.first, self.rest, self.soft, self.frame = first, rest, soft, frame  # frame: the body's height
        self.leftover: float | None = None

    def _gap(self) -> float:
        return max(self.first.getSpaceAfter(), self.rest.getSpaceBefore())

    def getSpaceBefore(self) -> float:
        return self.first.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.rest.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, h1 = self.first.wrap(availWidth, availHeight)
        _, h2 = self.rest.wrap(availWidth, max(availHeight - h1 - self._gap(), 0))
        self._h1 = h1
        self.width, self.height = availWidth, h1 + self._gap() + h2
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        _, h1 = self.first.wrap(availWidth, availHeight)
        room = availHeight - h1 - self._gap()
        parts: list[Flowable] = []
        if room > 0:
            # if the follower cannot split here, the pair moves and leaves *this* space empty
            self.rest.leftover = leftover_of(self, availHeight)
            try:
                parts = self.rest.split(availWidth, room)
            finally:
                self.rest.leftover = None
        if len(parts) >= 2:
            return [KeepWithNext(self.first, parts[0], self.soft, self.frame), *parts[1:]]
        gap = leftover_of(self, availHeight)
        if gap > GAP_LIMIT * self.frame:
            # moving the pair would leave this page too empty: a long first part (a list item, a
            # lead-in paragraph) splits here, two lines or more each side, its end going on with
            # the follower; a soft pair (two list items) parts
            if is_plain(self.first) and getattr(self.first.style, "name", "") != "question":
                first = self.first.split(availWidth, availHeight)
                if len(first) == 2:
                    _carry_item(self.first, first)
                    return [first[0], KeepWithNext(first[1], self.rest, self.soft, self.frame)]
            if not may_relax():  # a page a look-back ends early: what follows moves on whole
                return []
            if self.soft and h1 <= availHeight:  # (a first item taller than the room cannot stay here)
                return [self.first, self.rest]
            # then a line alone on a side (the weakest rule) gives way: the follower splits 1 + n
            if is_plain(self.rest) and room > 0:
                parts = _split_alone(self.rest, availWidth, room)
                if parts:
                    return [KeepWithNext(self.first, parts[0], self.soft, self.frame), parts[1]]
            # and last a lead-in (never a heading or a question) ends the page, where it fits (a lead-in
            # taller than the room cannot stay here: the pair moves on; seen on A5 in large print)
            if is_plain(self.first) and is_lead_in(self.first) and h1 <= availHeight:
                return [self.first, self.rest]
            # or a short intro under a heading (not a colon lead-in: a text or an address that a box,
            # a list or a table follows), where what it introduces cannot start on this page
            if getattr(self.first, "intro", False) and h1 <= availHeight:
                return [self.first, self.rest]
            # and, in a last-resort layout (pages were left over a quarter empty however the pages
            # before them gave), where this page would be left emptier than a look-back lets a page be
            # (a quarter, with a margin; measured below its last text), the first part itself (a list
            # item, a lead-in, an intro; never a heading or a question) leaves a line alone: its first
            # lines end the page, its end goes on with what follows (seen on A5 in large print: in
            # scripts/rtl-he a heading and two lines of its three-line intro fill a page the heading
            # and the whole intro would leave 25 % empty)
            if (last_resort() and is_plain(self.first) and getattr(self.first.style, "name", "") != "question"
                    and gap + below_last_text() > LOOK_BACK_OVER * self.frame):
                first = _split_alone(self.first, availWidth, availHeight)
                if first:
                    return [first[0], KeepWithNext(first[1], self.rest, self.soft, self.frame)]
        return []

    def draw(self) -> None:
        self.first.drawOn(self.canv, 0, self.height - self._h1)
        self.rest.drawOn(self.canv, 0, 0)


def tag(f: Flowable, path: tuple[str | int, ...]) -> Flowable:
    """Note which field a flowable prints (kept if already more precise), for layout errors."""
    if not getattr(f, "leaflet_path", None):
        f.leaflet_path = path
    return f


COLONS = (":", "\uff1a")  # ':' and the full-width '：'


def is_lead_in(f: Flowable) -> bool:
    """A paragraph that introduces what follows: it ends with a colon (a full-width one in
    Chinese and Japanese: "包括：")."""
    return isinstance(f, Paragraph) and f.getPlainText().rstrip().endswith(COLONS)


def is_action(f: Flowable) -> bool:
    """A callout's action (what to do), which introduces the rest of the callout."""
    return getattr(getattr(f, "style", None), "name", "") == "action"


def keep_with_next(story: list[Flowable], width: float, frame: float) -> list[Flowable]:
    """Join every flowable marked ``keep_with_next`` to the one after it.

    Lead-ins are marked first: a paragraph ending with a colon, and a short
    paragraph (up to three lines) right under a heading, travel with what
    follows them, so a heading and its intro are never left at a page's foot.
    """
    for i, f in enumerate(story[:-1]):
        if getattr(f, "item", None) and is_lead_in(f):  # a list item that introduces its sub-items
            after = story[i + 1]
            if getattr(after, "item", None) and getattr(after, "level", 0) > getattr(f, "level", 0):
                f.keep_with_next = True
            continue
        if not isinstance(f, Paragraph) or isinstance(f, Heading) or getattr(f, "item", None):
            continue
        after = story[i + 1]
        introduces = not isinstance(after, Paragraph) or bool(getattr(after, "item", None))  # a list, box, table
        if is_lead_in(f):
            f.keep_with_next = True
        elif introduces and i and isinstance(story[i - 1], Heading) and lines_at(f, width) <= 3:
            f.keep_with_next = f.intro = True  # (it may end a page, as a last resort: KeepWithNext)
    out: list[Flowable] = []
    for flowable in reversed(story):
        keep = getattr(flowable, "keep_with_next", False)
        if keep and out:
            out[-1] = KeepWithNext(flowable, out[-1], soft=keep == "soft", frame=frame)
        else:
            out.append(flowable)
    return out[::-1]


class Whole(WrapOnce):
    """A paragraph that never splits across pages (an address: a ``lines`` block)."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []



def may_break_before(content: Sequence[Flowable], i: int, lines: Sequence[int], least: int, lead_ins: bool = True,
                     colons: bool = True, continues: bool = False) -> bool:
    """May a box's (or a list item's) ``content`` break before its ``i``-th flowable, with at least
    ``least`` lines (``lines``: each flowable's) and, inside a list, ``least`` items on each side?
    Never after something kept with what follows it, inside one list item's paragraphs, after a
    lead-in (``colons``: a colon; ``lead_ins``: the action, a short intro to a list).
    ``continues``: the content goes on from an earlier page (its list has items there)."""
    prev, cur = content[i - 1], content[i]
    if getattr(prev, "keep_with_next", False):  # a precaution's title, the frequency line
        return False
    prev_item, cur_item = getattr(prev, "item", ""), getattr(cur, "item", "")
    if cur_item == "more":  # the second paragraph of one list item
        return False
    if (colons and is_lead_in(prev)) or (lead_ins and is_action(prev)):
        return False  # a lead-in (a colon, also a list item's; the action) stays with what it introduces
    if lead_ins and cur_item == "start" and not prev_item and lines[i - 1] <= 2:
        return False  # so does a short intro to a list
    if sum(lines[:i]) < least or sum(lines[i:]) < least:
        return False
    if cur_item and prev_item:  # inside a list (or a sub-list): `least` of its items on each side
        level = getattr(cur, "level", 0)
        before = after = 0
        for f in reversed(content[:i]):
            if not getattr(f, "item", "") or getattr(f, "level", 0) < level:
                break
            before += getattr(f, "item", "") == "start" and getattr(f, "level", 0) == level
        else:
            if continues:  # the list began on an earlier page: it has items there
                before = least
        for f in content[i:]:
            if not getattr(f, "item", "") or getattr(f, "level", 0) < level:
                break
            after += getattr(f, "item", "") == "start" and getattr(f, "level", 0) == level
        if before < max(least, 1) or after < least:
            return False  # (never between an item and its first sub-item)
    return True


def _carry_marks(f: Flowable, parts: list[Flowable], width: float) -> None:
    """The two parts of ``f`` split inside a box keep its marks (list item, keep-with-next, the
    field it prints); the second part of a list item is its continuation; it is wrapped at ``width``."""
    for part in parts:
        for name in ("item", "keep_with_next", "leaflet_path"):
            if hasattr(f, name):
                setattr(part, name, getattr(f, name))
    if getattr(f, "item", ""):
        parts[1].item = "more"
    parts[1].wrap(width, 10_000)

class Box(Flowable):
    """A bordered box with an optional label band; split over pages where a typesetter would.

    Used for side-effect callouts and precautions. ``band`` is a paragraph
    drawn on a coloured strip at the top; ``icon`` ("serious" or "common")
    draws a shape left of it, so the kind shows without colour.
    """

    leftover: float | None = None  # set by a KeepWithNext that holds this box

    def __init__(self, content: Sequence[Flowable], *, border: Color, border_width: float, fill: Color,
                 padding: float, max_height: float, band: Paragraph | None = None, band_fill: Color | None = None,
                 continued_band: Paragraph | None = None, icon: str = "", gap: float = 3,
                 continued_title: tuple[str, ParagraphStyle] | None = None, rtl: bool = False) -> None:
        super().__init__()
        self.content = list(content)
        self.rtl = rtl  # right to left: the icon and the band's text on the right
        self.border, self.border_width, self.fill = border, border_width, fill
        self.padding, self.max_height = padding, max_height
        self.bottom_padding = padding
        self.band, self.band_fill, self.icon, self.gap = band, band_fill, icon, gap
        self.continued_band = continued_band or band
        self.continued_title = continued_title  # a box without a band: its title again, "(continued)"
        self.spaceBefore, self.spaceAfter = 6, 8
        self.continues = False  # the part of a box after a page break

    # geometry -----------------------------------------------------------
    def _icon_scale(self) -> float:
        """The icon grows with the band's text (drawn for 12 pt; large print's band is bigger)."""
        return self.band.style.fontSize / 12 if self.band is not None else 1.0

    def _icon_space(self) -> float:
        return 16 * self._icon_scale() if self.icon else 0

    def _inner_width(self, width: float) -> float:
        return width - 2 * self.padding - self.border_width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        inner = self._inner_width(availWidth)
        self._heights = [f.wrap(inner, 10_000)[1] for f in self.content]
        self._band_height = 0.0
        if self.band is not None:
            self._band_height = self.band.wrap(inner - self._icon_space(), 10_000)[1] + 2 * 4
        body = sum(self._heights) + self.gap * max(0, len(self.content) - 1)
        self.height = self._band_height + body + self.padding + self.bottom_padding + self.border_width
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split where a typesetter would, or move whole (return ``[]``).

        A box that fits on a fresh page moves there whole when that leaves little of this
        page empty (at most ``SPLIT_WHEN_GAP_OVER`` of a page); otherwise it splits, with at
        least two lines (and, inside a list, two items) on each side of the break, never
        right after a lead-in ("Call your doctor if you have:") or a precaution's title.
        Where no such break exists, or the best one leaves more than ``GAP_LIMIT`` of the page
        empty under it, the rules give way, weakest first (see the ``relaxations``).
        A box taller than a page always splits, with those rules relaxed if need be.
        """
        self.wrap(availWidth, availHeight)
        too_tall = self.height > self.max_height
        fresh = leftover_of(self, availHeight) >= self.max_height - 1  # at the top of a page
        if not too_tall and leftover_of(self, availHeight) <= SPLIT_WHEN_GAP_OVER * self.max_height:
            return []
        inner = self._inner_width(availWidth)
        room = availHeight - self._band_height - 1.5 * self.padding - self.border_width  # a part that goes on
        best = self._best_break(inner, room, least=2)
        limit = GAP_LIMIT * self.max_height
        if leftover_of(self, availHeight) > limit and (best is None or self._gap(best, availWidth, availHeight) > limit):
            # no break keeps the rules, or the best leaves this page too empty: they give way, weakest
            # first, until a break leaves little of the page empty (else the fullest break is taken)
            relaxations: tuple[dict[str, Any], ...] = (
                dict(least=1),  # a line or item alone beats a page a quarter empty
                dict(least=2, orphans=True),  # a paragraph's line alone, with two lines of the box each side
                dict(least=1, lead_ins=False),  # the action (a whole sentence) at the foot of the page
                dict(least=1, lead_ins=False, colons=False))  # and, last, a colon lead-in
            if not may_relax():  # a page a look-back ends early: two lines of the box on each side still
                relaxations = (dict(least=2, orphans=True),)
            for relaxed in relaxations:
                other = self._best_break(inner, room, **relaxed)
                if other is not None and (best is None or self._gap(other, availWidth, availHeight)
                                          < self._gap(best, availWidth, availHeight)):
                    best = other
                if best is not None and self._gap(best, availWidth, availHeight) <= limit:
                    break
        if best is None and too_tall and not fresh:
            # a box taller than a page, where no break keeps even a line of it on each side here:
            # it moves on and splits at the top of the next page (never a part that holds only a
            # precaution's title or a frequency line, its text overleaf)
            return []
        if best is None and fresh:
            best = self._best_break(inner, room, least=0)
        if best is None:
            return []
        first, rest = best
        head = self._clone(first, self.band)
        head.bottom_padding = self.padding / 2  # the text goes on overleaf: the border closes close under it
        # the rest goes on the next page, never into room left under the first part
        if self.band is None and self.continued_title is not None:
            from .bidipara import paragraph  # (it builds on this module)

            title = paragraph(*self.continued_title, rtl=self.rtl)
            title.keep_with_next = True
            rest = [title, *rest]
        tail = self._clone(rest, self.continued_band)
        tail.continues = True
        return [head, FrameBreak(), tail]

    def _gap(self, best: tuple[list[Flowable], list[Flowable]], width: float, height: float) -> float:
        """The room a break's first part leaves empty under it, in ``height``."""
        head = self._clone(best[0], self.band)
        head.bottom_padding = self.padding / 2
        return height - head.wrap(width, height)[1]

    def _best_break(self, inner: float, room: float, *, least: int, lead_ins: bool = True,
                    colons: bool = True, orphans: bool = False) -> tuple[list[Flowable], list[Flowable]] | None:
        """The break that puts the most content above it and fits in ``room``, with at least
        ``least`` lines (and list items) on each side, never after a lead-in (unless ``lead_ins``
        is false: after the action or a short intro; ``colons`` false: after a colon too);
        ``least=0``: anywhere at all. ``orphans``: a paragraph split here may leave one of its
        lines alone on a side, where that side of the box still has ``least`` lines (a title and
        the first line of its text)."""
        content, heights = self.content, self._heights
        lines = [lines_of(f) for f in content]
        best = None
        used = 0.0
        for i, f in enumerate(content):
            gap = self.gap if i else 0.0
            if i and (not least or self._may_break_before(i, lines, least, lead_ins, colons)):
                best = (content[:i], content[i:])
            here = room - used - gap
            if heights[i] > here:  # f does not fit whole: try to split it by lines
                splits = (isinstance(f, Paragraph) and not isinstance(f, Whole)) or getattr(f, "box_splits", False)
                if here > 0 and splits:
                    parts = f.split(inner, here)
                    before = after = 0
                    if len(parts) == 2:
                        _carry_marks(f, parts, inner)
                        before = sum(lines[:i]) + lines_of(parts[0])
                        after = lines_of(parts[1]) + sum(lines[i + 1:])
                    if orphans and is_plain(f) and (before < least or after < least):
                        parts = self._orphan_split(f, inner, here, sum(lines[:i]), sum(lines[i + 1:]), least)
                        if len(parts) == 2:
                            _carry_marks(f, parts, inner)
                            before = after = least
                    if len(parts) == 2 and before >= least and after >= least:
                        best = (content[:i] + [parts[0]], [parts[1], *content[i + 1:]])
                break
            used += gap + heights[i]
        else:  # all of it fits but the box's foot does not: the last paragraph splits, `least` lines going on
            f = content[-1] if content else None
            if (best is None and least and isinstance(f, Paragraph) and not isinstance(f, Whole)
                    and lines[-1] >= 2 * least and sum(lines[:-1]) + lines[-1] - least >= least):
                parts = f.split(inner, heights[-1] - least * f.style.leading)
                if len(parts) == 2:
                    _carry_marks(f, parts, inner)
                    best = (content[:-1] + [parts[0]], [parts[1]])
        return best

    @staticmethod
    def _orphan_split(f: Flowable, inner: float, here: float, above: int, below: int,
                      least: int) -> list[Flowable]:
        """``f`` split in ``here`` with one of its lines alone on a side if need be, the most
        lines first, where the box keeps ``least`` lines on each side (``above`` and ``below``
        it: lines of the box's other content)."""
        total, leading = lines_at(f, inner), f.style.leading
        for k in range(min(total - 1, int(here / leading)), 0, -1):
            if above + k < least or total - k + below < least:
                continue
            f.allowOrphans = f.allowWidows = 1
            try:
                parts = f.split(inner, k * leading + 0.01)
            finally:
                del f.allowOrphans, f.allowWidows
            if len(parts) == 2 and lines_of(parts[0]) == k:
                return parts
        return []

    def _may_break_before(self, i: int, lines: list[int], least: int, lead_ins: bool = True,
                          colons: bool = True) -> bool:
        return may_break_before(self.content, i, lines, least, lead_ins, colons, self.continues)

    def _clone(self, content: list[Flowable], band: Paragraph | None) -> Box:
        return Box(content, border=self.border, border_width=self.border_width, fill=self.fill,
                   padding=self.padding, max_height=self.max_height, band=band, band_fill=self.band_fill,
                   continued_band=self.continued_band, icon=self.icon, gap=self.gap,
                   continued_title=self.continued_title, rtl=self.rtl)

    # drawing ------------------------------------------------------------
    def draw(self) -> None:
        c = self.canv
        bw = self.border_width
        c.saveState()
        c.setFillColor(self.fill)
        c.setStrokeColor(self.border)
        c.setLineWidth(bw)
        c.rect(bw / 2, bw / 2, self.width - bw, self.height - bw, stroke=1, fill=1)
        x = bw / 2 + self.padding
        y = self.height - bw / 2
        if self.band is not None:
            c.setFillColor(self.band_fill or self.border)
            c.rect(bw / 2, y - self._band_height, self.width - bw, self._band_height, stroke=0, fill=1)
            band_h = self._band_height - 8
            if self.rtl:  # mirrored: the icon at the right end, the text to its left
                if self.icon:
                    self._draw_icon(self.width - x - 6 * self._icon_scale(), y - self._band_height / 2)
                self.band.drawOn(c, x, y - 4 - band_h)
            else:
                if self.icon:
                    self._draw_icon(x + 6 * self._icon_scale(), y - self._band_height / 2)
                self.band.drawOn(c, x + self._icon_space(), y - 4 - band_h)
            y -= self._band_height
        c.restoreState()
        y -= self.padding
        for f, h in zip(self.content, self._heights):
            y -= h
            f.drawOn(c, x, y)
            y -= self.gap

    def _draw_icon(self, cx: float, cy: float) -> None:
        """A warning triangle with '!' (serious) or a circle with 'i' (common), as shapes."""
        c = self.canv
        ink = self.band.style.textColor if self.band is not None else self.border
        c.saveState()
        c.translate(cx, cy)
        k = self._icon_scale()
        c.scale(k, k)
        cx = cy = 0
        c.setFillColor(ink)
        c.setStrokeColor(ink)
        if self.icon == "serious":
            p = c.beginPath()
            p.moveTo(cx - 6, cy - 5)
            p.lineTo(cx + 6, cy - 5)
            p.lineTo(cx, cy + 6)
            p.close()
            c.drawPath(p, stroke=0, fill=1)
            c.setFillColor(self.band_fill or self.border)
            c.rect(cx - 0.8, cy - 1.5, 1.6, 5, stroke=0, fill=1)
            c.rect(cx - 0.8, cy - 3.8, 1.6, 1.5, stroke=0, fill=1)
        else:
            c.circle(cx, cy, 5.5, stroke=0, fill=1)
            c.setFillColor(self.band_fill or self.fill)
            c.rect(cx - 0.8, cy - 3.5, 1.6, 4.3, stroke=0, fill=1)
            c.rect(cx - 0.8, cy + 1.8, 1.6, 1.5, stroke=0, fill=1)
        c.restoreState()


def max_columns(width: float, size: float) -> int:
    """How many table columns fit across ``width`` at text size ``size``: each needs its
    padding (10 pt) and room for about six characters (3.5 em) of text."""
    return max(1, int(width // (10 + 3.5 * size)))


class RowTable(Table):
    """A table that never leaves a single row alone at the top or the foot of a page.

    ReportLab splits tables between rows with no widow control; this moves the
    table on when only its first row would fit, and carries one more row over
    when only the last row would go to the next page. A row taller than what is
    left of a page splits inside its cells (``splitInRow``), so a very long cell
    runs on over pages instead of failing. ``frame`` is the body frame's height.
    """

    frame = 0.0
    leftover: float | None = None

    def _splitCell(self, value: Any, style: Any, oldHeight: float, newHeight: float, width: float) -> Any:
        # ReportLab 5.1 splits a cell's paragraph at the column's width, but measured it inside the
        # cell's padding: a paragraph that broke its lines again at the wider width could fit
        # whole, and split() then returns the one paragraph, which _splitCell indexes as two parts
        # (IndexError). Paragraphs split by the lines of their last wrap (ReportLab's and
        # bidipara's alike), so this does not happen; should a flowable still do it, the cell
        # cannot be split at this point: ReportLab's own answer for that is [].
        try:
            halves = super()._splitCell(value, style, oldHeight, newHeight, width)
        except IndexError:
            return []
        # the pieces of a split paragraph are new flowables: they print the same field (layout errors)
        whole = list(value) if isinstance(value, (list, tuple)) else [value]
        if halves and whole:
            kept = sum(1 for f in halves[0] if any(f is w for w in whole))
            source = getattr(whole[min(kept, len(whole) - 1)], "leaflet_path", ())
            for part in (*halves[0], *halves[1]):
                if isinstance(part, Flowable) and source:
                    tag(part, source)
        return halves

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self._split(availWidth, availHeight)
        for part in parts:  # the parts are new tables: they print the same field (layout errors)
            if isinstance(part, Table) and getattr(self, "leaflet_path", None):
                tag(part, self.leaflet_path)
        if len(parts) == 2 and self._only_empty_rows(parts[1]):
            return [parts[0]]  # a row split inside its cells ended on this page: no empty rest overleaf
        if len(parts) == 2:  # the rest goes on the next page: never split again into room left here
            return [parts[0], FrameBreak(), parts[1]]
        return parts

    def _only_empty_rows(self, rest: Table) -> bool:
        """Does the rest of a split hold only the repeated header and rows whose cells are all empty?
        (ReportLab's split inside a row can leave such a row when every cell's text fitted.)"""
        head = self.repeatRows if isinstance(self.repeatRows, int) else 0

        def empty(cell: object) -> bool:
            if isinstance(cell, (list, tuple)):
                return all(empty(c) for c in cell)
            return cell is None or (isinstance(cell, str) and not cell.strip())

        return all(empty(cell) for row in rest._cellvalues[head:] for cell in row)

    def _split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if not parts:
            return self._split_tall_row(availHeight)
        if len(parts) != 2:
            return parts
        head = self.repeatRows if isinstance(self.repeatRows, int) else 0
        total = len(self._cellvalues) - head
        first = len(parts[0]._cellvalues) - head
        second = len(parts[1]._cellvalues) - head
        if first + second != total:  # a row split inside its cells: nothing is alone
            return parts
        leftover = leftover_of(self, availHeight)
        fresh = leftover >= self.frame - 1
        # a row is split inside its cells only where keeping it whole would leave a large gap:
        # whole rows read best (and split cells interleave their parts in the text order)
        if (first >= 2 or (first == 1 and fresh)) and \
                availHeight - sum(self._rowHeights[:head + first]) > GAP_LIMIT * self.frame:
            # the next row is tall: start it here, split inside its cells, rather than leave a gap
            # (also after one row at the top of a page, the rest of a row split overleaf: it is
            # not alone, the next row's start follows it)
            inside = self._splitRows(availHeight, doInRowSplit=1) if self.splitInRow else []
            if len(inside) == 2:
                return inside
        if first == 1 and total > 1 and not fresh:
            # one row alone at the foot: move the table on, unless that leaves a large gap;
            # then start the next row here too, split inside its cells
            if leftover <= GAP_LIMIT * self.frame or not may_relax():
                return []
            inside = self._splitRows(availHeight, doInRowSplit=1) if self.splitInRow else []
            return inside if len(inside) == 2 else parts
        if second == 1 and first >= 2:
            if first == 2 and not fresh and leftover <= GAP_LIMIT * self.frame:
                return []  # 1 + 2 would leave a row alone either way: move on, all three together
            # carry one more row over, unless that leaves this page too empty: then split that
            # row inside its cells, most of it here, two lines or more of it overleaf
            keep = sum(self._rowHeights[:head + first - 1]) + 0.01
            if availHeight - keep <= GAP_LIMIT * self.frame:
                fewer = super().split(availWidth, keep)
            else:
                most = sum(self._rowHeights[:head + first]) - self.splitInRow - 0.01
                fewer = self._splitRows(most, doInRowSplit=1) if self.splitInRow else []
            if len(fewer) == 2:  # the rest goes on the next page, not in the room left on this one
                return fewer
        return parts


    def _split_tall_row(self, availHeight: float) -> list[Flowable]:
        """Split a row that does not fit on a fresh page higher up, where ReportLab will not.

        ReportLab refuses a split inside a row when the table's height below the split point
        would be under ``splitInRow`` (two lines): a row (or the rest of one split on the page
        before) a little taller than a page could then go on no page at all. Splitting it
        ``splitInRow`` above its foot keeps two lines each side and lets the rest run on, split
        again on the next page if need be. Only where the table could go on no page whole:
        a table that moves on whole (room left on a page) is not touched."""
        if not self.splitInRow or leftover_of(self, availHeight) < self.frame - 1:
            return []
        top, n = 0.0, 0  # the row that does not fit (n), and the height of those above it
        while n < len(self._rowHeights) and top + self._rowHeights[n] <= availHeight:
            top += self._rowHeights[n]
            n += 1
        if n == len(self._rowHeights):
            return []
        head = self.repeatRows if isinstance(self.repeatRows, int) else 0
        lower = top + self._rowHeights[n] - self.splitInRow - 0.01
        if n < head or lower >= availHeight or lower - top < self.splitInRow:
            return []
        parts = self._splitRows(lower, doInRowSplit=1)
        return parts if len(parts) == 2 else []


class RtlRowTable(RowTable):
    """A RowTable whose columns run from right to left: its rows hold their cells in visual order
    (the last column first, see StoryBuilder.table), and each row's cells are drawn from the right,
    in reading order (for text extraction and ``leaflet verify``)."""

    def draw(self) -> None:
        if self._spanCmds or getattr(self, "_renderCB", None):  # pragma: no cover - leaflet uses neither
            super().draw()
            return
        c = self.canv
        c.saveState()
        self._curweight = self._curcolor = self._curcellstyle = None
        self._makeShadow()
        self._makeRoundedCornersClip()
        self._drawBkgrnd()
        for row, rowstyle, rowpos, rowheight in zip(self._cellvalues, self._cellStyles, self._rowpositions[1:],
                                                    self._rowHeights):
            cells = list(zip(row, rowstyle, self._colpositions[:-1], self._colWidths))
            for cellval, cellstyle, colpos, colwidth in reversed(cells):
                self._drawCell(cellval, cellstyle, (colpos, rowpos), (colwidth, rowheight))
        self._drawLines()
        c.restoreState()
        if self._roundingRectDef:
            self._restoreRoundingObscuredLines()


_TOO_TALL = {
    "heading": ("the heading is too long to fit on a page with the start of what follows it",
                "a heading is a few words: put the rest in a text block under it"),
    "subheading": ("the sub-heading is too long to fit on a page with the start of what follows it",
                   "a sub-heading is a few words: put the rest in a text block under it"),
    "name": ("the medicine name is too long to fit on a page as the title",
             "keep the name to the medicine and its form; brands go in 'brands'"),
    "question": ("the question is too long to fit on a page with the start of its answer",
                 "keep the question short and put the detail in the answer"),
    "header": ("the table's header is taller than a page: a header row repeats at the top of every page "
               "and never splits", "keep the header's cells to a few words; put the rest in the rows"),
    "band": ("the callout's band (its label and title) is taller than a page: it repeats at the top of "
             "every page the callout goes on to and never splits",
             "keep the title to a few words; put the rest in the callout's text"),
    "lines": ("the lines are taller than a page, and a lines block (an address) never splits over pages",
              "split it into two lines blocks, or write it as text"),
    "cell": ("the table's row is taller than a page and its cells cannot be split over pages",
             "split the long cell into several rows, or put the detail in a text block under the table"),
}


def too_tall(f: Flowable, width: float, height: float) -> RenderError:
    """The error for a flowable that fits on no page: names the field at fault."""
    path = _culprit(f, width, height)
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    if _tall_band(f, width, height):
        key = "band"
    elif key != "header" and ("table" in path or path[:1] == ("key_facts",)):  # a cell, or the rest of one
        key = "cell"
    message, hint = _TOO_TALL.get(key, ("this content is taller than a page and cannot be split over pages",
                                        "split it into shorter blocks"))
    return RenderError(message, path, hint)


def _tall_band(f: Flowable, width: float, height: float) -> bool:
    """Is ``f`` (or what it keeps with) a box whose band alone takes most of a page?"""
    while isinstance(f, KeepWithNext):
        f = f.rest
    if not isinstance(f, Box) or f.band is None:
        return False
    return bool(f.band.wrap(f._inner_width(width) - f._icon_space(), 10_000)[1] > height / 2)


def _culprit(f: Flowable, width: float, height: float) -> tuple[str | int, ...]:
    """The path of the field at fault: the most precise one known, else that of what holds it
    (a piece of a split cell or table that lost its own still names the table)."""
    return _inner_culprit(f, width, height) or tuple(getattr(f, "leaflet_path", ()))


def _inner_culprit(f: Flowable, width: float, height: float) -> tuple[str | int, ...]:
    if isinstance(f, KeepWithNext):
        h1 = f.first.wrap(width, height)[1]
        if h1 + f._gap() + 2 * getattr(getattr(f.first, "style", None), "leading", 12) > height:
            return _culprit(f.first, width, height)
        return _culprit(f.rest, width, height)
    if isinstance(f, Box):
        inner = f._inner_width(width)
        for c in f.content:
            if c.wrap(inner, 10_000)[1] > height / 2:
                return _culprit(c, inner, height)
    if isinstance(f, Table):
        for row, widths in zip(f._cellvalues, [f._colWidths] * len(f._cellvalues)):
            for cell, w in zip(row, widths):
                # ReportLab holds a cell's flowables in a tuple (_ExpandedCellTuple) once it has wrapped
                for part in cell if isinstance(cell, (list, tuple)) else [cell]:
                    if isinstance(part, Flowable) and part.wrap(w, 10_000)[1] > height / 2:
                        return _culprit(part, w, height)
    return tuple(getattr(f, "leaflet_path", ()))
