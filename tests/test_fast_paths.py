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


# Shaped runs with marks above and below (harakat, niqqud: offsets and a rise), kerning ("AV", "Wa",
# "To") and plain stretches, several fonts and sizes in one text object.
SHAPED = [
    ("Arab", "يَوْمِيًّا مُرَكَّزَة", True, 10),
    ("Arab", "تناول قرصًا واحدًا كل يوم", True, 14),
    ("Hebr", "בְּרֵאשִׁית קַח טַבְלִיָּה", True, 10),
    ("Hebr", "טבליה אחת ביום", True, 9.5),
    ("Latn", "AVATAR Wa To 10 mg", False, 10),
    ("Latn", "Testamol", False, 23),
]


def _canvas() -> object:
    import io

    from reportlab.pdfgen.canvas import Canvas

    return Canvas(io.BytesIO())


def test_a_glyph_that_follows_on_is_written_as_the_glyph_by_glyph_placement_writes_it() -> None:
    """draw_pieces appends a glyph with no offset or kerning straight to its string
    (Glyphs.follows); the long way places every glyph. Both write the same operators."""
    from leaflet.typeset import fonts, shaping

    pieces = []
    for script, text, rtl, size in SHAPED:
        fs = fonts.fonts_for(script)
        for name in (fs.regular, fs.bold):
            pieces.append((name, size, shaping.shape(name, text, 0, len(text), rtl)))
    glyphs = [g for _, _, g in pieces]
    # the cases are there: glyphs that follow on, kerned ones, offset ones, raised ones
    assert sum(sum(g.follows) for g in glyphs) > 50
    assert any(a != w for g in glyphs for a, w in zip(g.advances, g.widths))
    assert any(x for g in glyphs for x in g.x_offsets) and any(y for g in glyphs for y in g.y_offsets)
    canv = _canvas()
    for n in range(len(pieces)):
        for chosen in (pieces[n:n + 1], pieces[n:n + 3], pieces[:n + 1]):
            shaping.draw_pieces(canv, 12.5, 700.25, chosen)
            fast = canv._code.pop()
            shaping._draw_placed(canv, 12.5, 700.25, chosen, backwards=False)
            assert fast == canv._code.pop()
    shaping.draw_pieces(canv, 0, 0, [])
    assert canv._code == []  # nothing to draw: no empty text object


def test_follows_marks_only_a_glyph_that_starts_where_the_one_before_it_ends() -> None:
    from leaflet.typeset import fonts, shaping

    for script, text, rtl, _ in SHAPED:
        name = fonts.fonts_for(script).regular
        g = shaping.shape(name, text, 0, len(text), rtl)
        assert len(g.follows) == len(g.codes) and not g.follows[0]
        for i in range(1, len(g.codes)):
            plain = (g.x_offsets[i - 1] == g.x_offsets[i] == 0 and g.advances[i - 1] == g.widths[i - 1]
                     and g.y_offsets[i] == g.y_offsets[i - 1])
            assert g.follows[i] == plain, (text, i)


def test_the_escape_table_writes_what_reportlabs_escape_writes() -> None:
    import random

    from reportlab.lib.rl_accel import escapePDF

    from leaflet.typeset import shaping

    every = bytes(range(256)).decode("latin-1")
    assert every.translate(shaping._ESCAPE) == escapePDF(every)
    assert {chr(c) for c in shaping._ESCAPE} >= set("()\\")  # (the table is not empty)
    rng = random.Random(7)
    for _ in range(50):
        text = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))).decode("latin-1")
        assert text.translate(shaping._ESCAPE) == escapePDF(text)


@pytest.mark.parametrize("script", ["Latn", "Arab", "Hebr", "Hans"])
def test_the_characters_outside_the_primary_font_are_those_its_cmap_lacks(script: str) -> None:
    """FontSet.outside_primary (str.translate deleting the primary family's characters, the glyph
    check's and FontSet.runs' first question of every text) keeps exactly the characters whose
    code points are not in the primary family's cmap: every code point, lone surrogates too."""
    from leaflet.typeset.fonts import fonts_for

    fonts = fonts_for(script)
    every = "".join(map(chr, range(0x110000)))
    rest = fonts.outside_primary(every)
    assert rest == "".join(chr(c) for c in range(0x110000) if c not in fonts.primary.cmap)
    assert fonts.outside_primary("") == ""
    assert fonts.missing("a\u0378b") == ["\u0378"]  # unassigned: no font draws it
