"""A list printed in columns side by side, read column by column.

The items are shared out so that the columns are as even as they can be
without reordering anything: column 1 holds the first items top to bottom,
column 2 the next ones, and so on. An item (with its sub-items) never breaks
between columns. Over a page break the columns split between items: the
items that fit go side by side on this page, the rest on the next, so the
reading order stays the author's.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, pairwise

from reportlab.platypus import Flowable


class Columns(Flowable):
    box_splits = True  # a Box may split it between items (flowables.Box)
    item = "start"  # a list: a lead-in before it stays with it (flowables.Box)

    def __init__(self, units: Sequence[Sequence[Flowable]], count: int, gap: float = 12,
                 space_after: float = 0, _heights: tuple[float, list[float]] | None = None,
                 rtl: bool = False) -> None:
        super().__init__()
        self.rtl = rtl  # right to left: column 1 on the right
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
        heights = []
        for unit in self.units:
            h = 0.0
            for n, f in enumerate(unit):
                h += f.wrap(width, 100_000)[1] + (f.getSpaceBefore() if n else 0)
                if n < len(unit) - 1:
                    h += f.getSpaceAfter()
            heights.append(h)
        self._measured = (width, heights)
        return heights

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
                       self.rtl)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The most items that fit side by side here, and the rest (the tallest column of the
        first m items only grows with m, so a binary search finds m)."""
        width = self._column_width(availWidth)
        low, high = 0, len(self.units) - 1  # the first `low` items fit; more than `high` do not matter
        while low < high:
            m = (low + high + 1) // 2
            if self._part(0, m, width).wrap(availWidth, availHeight)[1] <= availHeight:
                low = m
            else:
                high = m - 1
        if low == 0:
            return []
        first = self._part(0, low, width)
        first.wrap(availWidth, availHeight)
        return [first, self._part(low, len(self.units), width, self.spaceAfter)]

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
