"""A list printed in columns side by side, read column by column.

The items are shared out so that the columns are as even as they can be
without reordering anything: column 1 holds the first items top to bottom,
column 2 the next ones, and so on. An item (with its sub-items) never breaks
between columns. Over a page break the columns split between items: the
items that fit go side by side on this page, the rest on the next, so the
reading order stays the author's. Where that would leave much of the page
empty (an item with many sub-items that does not fit), or where one item is
taller than a page, the item itself splits: between its sub-items or inside a
paragraph, with two lines and two sub-items or more on each side, as a box's
list does (:func:`.flowables.may_break_before`); its first part ends the
last column here and the rest starts the first column overleaf.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from itertools import combinations, pairwise

from reportlab.platypus import Flowable

from .flowables import LOOK_BACK_OVER, SPLIT_WHEN_GAP_OVER, is_plain, last_resort, leftover_of, lines_of, may_break_before


class Columns(Flowable):
    box_splits = True  # a Box may split it between items (flowables.Box)
    item = "start"  # a list: a lead-in before it stays with it (flowables.Box)

    def __init__(self, units: Sequence[Sequence[Flowable]], count: int, gap: float = 12,
                 space_after: float = 0, _heights: tuple[float, list[float]] | None = None,
                 rtl: bool = False, frame: float = 0.0, continues: bool = False) -> None:
        """``frame``: the body frame's height (a gap larger than SPLIT_WHEN_GAP_OVER of it has an
        item split rather than moved on; 0: only an item that fits nowhere splits);
        ``continues``: the first item is the rest of one split on an earlier page."""
        super().__init__()
        self.rtl = rtl  # right to left: column 1 on the right
        self.frame, self.continues = frame, continues
        self.leftover: float | None = None  # set by a KeepWithNext that holds this list
        self.units = [list(u) for u in units]
        self.count, self.gap = count, gap
        self.spaceAfter = space_after
        self._cols: list[list[int]] = []
        self._measured = _heights  # (column width, height of each unit): wrapping is the costly part

    def line_count(self) -> int:
        """Rows of the tallest column, as a Box counts lines (at least two each side of a break)."""
        return max((len(c) for c in self._cols), default=0)

    def _column_width(self, width: float) -> float:
        return (width - self.gap * (self.count - 1)) / self.count

    def _unit_heights(self, width: float) -> list[float]:
        if self._measured is not None and self._measured[0] == width:
            return self._measured[1]
        heights = [self._height(unit, width) for unit in self.units]
        self._measured = (width, heights)
        return heights

    @staticmethod
    def _height(unit: Sequence[Flowable], width: float) -> float:
        h = 0.0
        for n, f in enumerate(unit):
            h += f.wrap(width, 100_000)[1] + (f.getSpaceBefore() if n else 0)
            if n < len(unit) - 1:
                h += f.getSpaceAfter()
        return h

    def _balance(self, heights: Sequence[float]) -> tuple[list[list[int]], float]:
        """Split points giving the lowest tallest column; on a tie, the earlier columns longer."""
        n = len(heights)
        # prefix sums: a column of units a..b-1 is their heights and the gaps between them
        total, gaps = [0.0], [0.0]
        for i, h in enumerate(heights):
            total.append(total[-1] + h)
            gaps.append(gaps[-1] + (self.units[i][-1].getSpaceAfter() if self.units[i] else 0))

        def column(a: int, b: int) -> float:
            return total[b] - total[a] + (gaps[b - 1] - gaps[a] if b > a else 0)

        best_key: tuple[float, tuple[int, ...]] | None = None
        best: tuple[float, tuple[int, ...]] = (0.0, ())
        for cuts in combinations(range(1, n), min(self.count, n) - 1):
            tallest = max(column(a, b) for a, b in pairwise((0, *cuts, n)))
            key = (round(tallest, 3), tuple(-c for c in cuts))
            if best_key is None or key < best_key:
                best_key, best = key, (tallest, cuts)
        return [list(range(a, b)) for a, b in pairwise((0, *best[1], n))], best[0]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        heights = self._unit_heights(self._column_width(availWidth))
        self._cols, self.height = self._balance(heights) if heights else ([], 0.0)
        self.width = availWidth
        return self.width, self.height

    def _part(self, start: int, end: int, width: float, space_after: float = 0) -> Columns:
        heights = self._unit_heights(width)
        return Columns(self.units[start:end], self.count, self.gap, space_after, (width, heights[start:end]),
                       self.rtl, self.frame, self.continues and start == 0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The most items that fit side by side here, and the rest (the tallest column of the
        first m items only grows with m, so a binary search finds m). Where none fits, or the
        items that fit leave more than SPLIT_WHEN_GAP_OVER of the page empty, the next item
        splits (:meth:`_split_item`)."""
        width = self._column_width(availWidth)
        low, high = 0, len(self.units) - 1  # the first `low` items fit; more than `high` do not matter
        while low < high:
            m = (low + high + 1) // 2
            if self._part(0, m, width).wrap(availWidth, availHeight)[1] <= availHeight:
                low = m
            else:
                high = m - 1
        first = self._part(0, low, width)
        used = first.wrap(availWidth, availHeight)[1] if low else 0.0
        if low < len(self.units) and (low == 0 or (self.frame and availHeight - used > SPLIT_WHEN_GAP_OVER * self.frame)):
            fresh = leftover_of(self, availHeight) >= self.frame - 1 if self.frame else False
            parts = self._split_item(low, width, availWidth, availHeight, least=2)
            if not parts and low == 0 and fresh:  # an item taller than a page: it runs on, rules relaxed
                parts = self._split_item(low, width, availWidth, availHeight, least=1)
            elif last_resort() and self._leaves(parts or [first], availWidth, availHeight) > LOOK_BACK_OVER * self.frame:
                # a last-resort layout (pages left over a quarter empty however the pages before gave,
                # flowables.last_resort): where this page would be left emptier than a look-back lets a
                # page be, the item splits with one line or sub-item on a side, if that fills it more
                fuller = self._split_item(low, width, availWidth, availHeight, least=1)
                if fuller and self._leaves(fuller, availWidth, availHeight) < self._leaves(parts or [first], availWidth,
                                                                                          availHeight):
                    parts = fuller
            if parts:
                return parts
        if low == 0:
            return []
        first.wrap(availWidth, availHeight)
        return [first, self._part(low, len(self.units), width, self.spaceAfter)]

    @staticmethod
    def _leaves(parts: Sequence[Flowable], availWidth: float, availHeight: float) -> float:
        """The room the first of ``parts`` leaves in ``availHeight``."""
        return availHeight - parts[0].wrap(availWidth, availHeight)[1]

    def _split_item(self, k: int, width: float, availWidth: float, availHeight: float,
                    least: int) -> list[Flowable]:
        """Items ``0..k-1`` and the largest first part of item ``k`` that fit in ``availHeight``, and
        the rest; ``least`` lines and sub-items on each side of the break inside item ``k``
        (:func:`.flowables.may_break_before`). [] where no such break fits."""
        unit, heights = self.units[k], self._unit_heights(width)
        for f in unit:
            f.wrap(width, 100_000)
        lines = [lines_of(f) for f in unit]
        continues = self.continues and k == 0

        def fits(head: list[Flowable]) -> bool:
            part = Columns([*self.units[:k], head], self.count, self.gap, 0,
                           (width, [*heights[:k], self._height(head, width)]), self.rtl)
            return part.wrap(availWidth, availHeight)[1] <= availHeight

        def fits_after(before: list[Flowable], part: Flowable) -> bool:
            return fits([*before, part])

        best: tuple[list[Flowable], list[Flowable]] | None = None
        for i, f in enumerate(unit):
            if i and may_break_before(unit, i, lines, least, continues=continues):
                if not fits(unit[:i]):
                    break
                best = (unit[:i], unit[i:])
            if is_plain(f) and lines[i] >= 2 * least:  # inside the paragraph: `least` lines each side
                split = self._split_lines(f, width, lines[i], least, partial(fits_after, unit[:i]))
                if split is not None and sum(lines[:i]) + lines_of(split[0]) >= least:
                    best = ([*unit[:i], split[0]], [split[1], *unit[i + 1:]])
                if (lines_of(split[0]) < lines[i] - least) if split is not None else not fits(unit[:i + 1]):
                    break  # not all of this paragraph fits: nothing after it does (a paragraph that
                    # cannot split so, its lines kept together, may still fit whole)
        if best is None:
            return []
        head, tail = best
        first = Columns([*self.units[:k], head], self.count, self.gap, 0, None, self.rtl, self.frame, self.continues)
        first.wrap(availWidth, availHeight)
        rest = Columns([tail, *self.units[k + 1:]], self.count, self.gap, self.spaceAfter, None, self.rtl,
                       self.frame, continues=True)
        return [first, rest]

    @staticmethod
    def _split_lines(f: Flowable, width: float, total: int, least: int,
                     fits: Callable[[Flowable], bool]) -> tuple[Flowable, Flowable] | None:
        """``f`` (a paragraph of ``total`` lines) split with the most lines first that ``fits``
        (a binary search: a first part of more lines is taller), ``least`` lines or more on each
        side; the parts keep its marks (a list item's, its level, the field it prints), the second
        being the item's continuation."""
        def split(n: int) -> list[Flowable]:
            f.wrap(width, 100_000)
            parts = f.split(width, n * f.style.leading + 0.01)
            f.wrap(width, 100_000)
            if len(parts) != 2 or lines_of(parts[0]) != n:
                return []
            for part in parts:
                for name in ("item", "level", "leaflet_path"):
                    if hasattr(f, name):
                        setattr(part, name, getattr(f, name))
                part.wrap(width, 100_000)
            if getattr(f, "item", ""):
                parts[1].item = "more"
            return parts if fits(parts[0]) else []

        low, high = least - 1, total - least  # `low` lines fit (least - 1: none known); more than `high` may not
        best: list[Flowable] = []
        while low < high:
            n = (low + high + 1) // 2
            parts = split(n)
            if parts:
                low, best = n, parts
            else:
                high = n - 1
        return (best[0], best[1]) if best else None

    def draw(self) -> None:
        width = self._column_width(self.width)
        for c, column in enumerate(self._cols):
            x = c * (width + self.gap)
            if self.rtl:
                x = self.width - x - width
            y = self.height
            for i in column:
                for n, f in enumerate(self.units[i]):
                    if n:
                        y -= f.getSpaceBefore()
                    y -= f.height
                    f.drawOn(self.canv, x, y)
                    y -= f.getSpaceAfter()
