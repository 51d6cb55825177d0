"""The shortcuts that make a build fast give what the long way gives.

Each shortcut here skips work the layout would otherwise repeat; these tests pin down
when it may (the same question again) and when it must not (anything that changes the
answer). The sample's bytes staying the same is checked in tests/test_output.py.
"""
from __future__ import annotations

import copy

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from leaflet.typeset.flowables import Heading, Para, Whole

TEXT = ("Take one tablet of Testamol three times a day with a glass of water, after a meal, "
        "and never more than the dose your doctor wrote on the label of the carton. ") * 3


@pytest.fixture
def breaks(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The widths at which ReportLab broke a paragraph into lines, in order."""
    seen: list[float] = []
    original = Paragraph.breakLines

    def counting(self: Paragraph, widths: list[float]) -> object:
        seen.append(widths[-1])
        return original(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    return seen


@pytest.mark.parametrize("cls", [Para, Whole])
def test_a_paragraph_is_broken_into_lines_once_for_each_width(cls: type[Para], breaks: list[float]) -> None:
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    p = cls(TEXT, style)
    size = p.wrap(200, 1000)
    assert p.wrap(200, 500) == size and p.wrap(200, 10_000) == size
    assert len(breaks) == 1
    lines = len(p.blPara.lines)
    assert p.wrap(300, 1000) != size  # another width: broken again
    assert len(breaks) == 2
    assert p.wrap(200, 1000) == size and len(p.blPara.lines) == lines
    assert len(breaks) == 3
    assert size == Paragraph(TEXT, style).wrap(200, 1000)  # as ReportLab's own gives


def test_a_new_style_or_a_split_breaks_the_lines_again(breaks: list[float]) -> None:
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    p = Para(TEXT, style)
    p.wrap(200, 1000)
    before = len(p.blPara.lines)
    p.style = ParagraphStyle("indented", parent=style, leftIndent=60)  # as the layout sets a list's last style
    _, height = p.wrap(200, 1000)
    assert len(breaks) == 2 and len(p.blPara.lines) > before
    assert height == Paragraph(TEXT, p.style).wrap(200, 1000)[1]
    del breaks[:]
    assert p.split(200, 12) == []  # one line would be an orphan: ReportLab drops the lines
    assert "blPara" not in p.__dict__
    assert p.wrap(200, 1000)[1] == height and len(breaks) == 1
    first, second = p.split(200, 3 * 12)
    assert p.wrap(200, 1000)[1] == height and len(breaks) == 2  # after a split: broken again
    assert (type(first), type(second)) == (Para, Para)


def test_a_copy_without_its_lines_breaks_them_again(breaks: list[float]) -> None:
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    h = Heading(TEXT, style, "h1", 0, "outline")
    size = h.wrap(200, 1000)
    part = copy.copy(h)
    del part.blPara
    assert part.wrap(200, 1000) == size and len(breaks) == 2
