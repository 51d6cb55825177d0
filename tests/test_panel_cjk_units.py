"""In a Japanese or Chinese leaflet a line may break between any two CJK characters, and between a
CJK character and a number: the panel's date ("2026年11月23日", as Babel writes it) was seen split
over two lines ("2026年11" / "月23日"), and a number could end a line with its counter ("1錠",
"3回") starting the next. A number holds to the CJK character after it (its counter or unit), and
a date's 年 and 月 to the number after them, in the panel and in the body text alike (the one CJK
line breaker, leaflet.typeset.linebreak); the text reads back as written (poppler)."""
from __future__ import annotations

import io
import itertools

import msgspec
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

import leaflet
from leaflet import api
from leaflet.personal import rxfile
from leaflet.resources import theme as load_theme
from leaflet.typeset.layout import Styles, literal
from leaflet.typeset.linebreak import may_break

from .conftest import ROOT
from .pdfgeom import text_lines
from .test_panel_units import draw_panels

pytestmark = pytest.mark.usefixtures("has_poppler")

CONTENT = ROOT / "content" / "baclofen"
RX_YAML = ROOT / "examples" / "prescription.yaml"
DATE = "2026年11月23日"
# fictional directions, with numbers and their counters
DIRECTIONS = {"ja": "1回1錠を1日3回、食後に200 mlの水で服用", "zh": "每次1片，每日3次，饭后用200 ml水送服"}
QUANTITY = {"ja": "90錠", "zh": "90片"}
HELD = {"ja": ("1回", "1錠", "3回", "90錠"), "zh": ("1片", "3次", "90片")}


def panel_pages(language: str, widths: range, theme: str = "large-print",
                directions: str | None = None) -> list[list[str]]:
    """The panel's lines of text (poppler), one list per inner width the panel is drawn at."""
    rx = msgspec.structs.replace(rxfile.load(RX_YAML), language=language, directions=directions or DIRECTIONS[language],
                                 quantity=QUANTITY[language])
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    assert doc.leaflet.language == language
    return draw_panels(doc, rx, widths, theme)


def _broken(lines: list[str], whole: str) -> list[tuple[str, str]]:
    """Where ``whole`` is split over two consecutive lines."""
    found = []
    for a, b in itertools.pairwise(lines):
        for cut in range(1, len(whole)):
            if a.endswith(whole[:cut]) and b.startswith(whole[cut:]):
                found.append((a, b))
    return found


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_the_panels_date_and_counters_never_break_inside(language):
    pages = panel_pages(language, range(220, 420, 3))
    split = [pair for lines in pages for whole in (DATE, *HELD[language]) for pair in _broken(lines, whole)]
    assert not split, split[:3]
    for lines in pages:  # every width: the date and the values read back whole, as written
        joined = "".join(lines)
        assert DATE in joined and QUANTITY[language] in joined and "\u00a0" not in joined


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_the_body_text_keeps_dates_and_counters_whole(language):
    """The body's CJK line breaker (the same rule): a paragraph holding a date and numbers with
    their counters, wrapped at many widths."""
    text = f"調剤日は{DATE}です。{DIRECTIONS[language]}。" if language == "ja" else \
        f"配药日期为{DATE}。{DIRECTIONS[language]}。"
    _sweep_body(language, text, (DATE, *HELD[language]))


def _sweep_body(language: str, text: str, held: tuple[str, ...]) -> None:
    """``text`` in the body style of the ``language`` sample, wrapped at every third width from the
    narrowest that holds a date up to 300 pt, read back by poppler: none of ``held`` is split over
    two lines, and the text reads back whole."""
    doc = leaflet.load(CONTENT / f"{language}.yaml")
    _, fonts = api.check(doc)
    styles = Styles(fonts, load_theme("default"))
    assert styles.body.wordWrap == "CJK"
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(600, 900))
    style = ParagraphStyle("t", parent=styles.body)
    date = Paragraph(literal(DATE, fonts), style)
    date.wrap(1000, 900)
    widths = range(int(date.blPara.lines[0].currentWidth) + 1, 300, 3)  # from the narrowest that holds the date
    assert len(widths) > 40
    for width in widths:
        para = Paragraph(literal(text, fonts), style)
        _, height = para.wrap(width, 900)
        para.drawOn(canv, 20, 880 - height)
        canv.showPage()
    canv.save()
    pages = text_lines(out.getvalue())[:len(widths)]
    split = [pair for lines in pages for whole in held for pair in _broken(lines, whole)]
    assert not split, split[:3]
    for lines in pages:
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # (a line may end at the space)


# ordinals: 第 (the prefix of an ordinal number, "the 1st ...") holds to the number after it, as a
# currency sign does (UAX 14's PR class before a number; JIS X 4051 keeps a number with what is
# written with it); the number holds to its counter by the rule above: "第1回", "第１回", "第12週"
ORDINALS = {"ja": ("第1回", "第１回", "第12週", "第3日"), "zh": ("第1次", "第3天", "第１２周", "第2周")}
ORDINAL_TEXT = {"ja": "第1回目の服用の後、第１回の検査を行い、第12週まで続け、第3日に受診してください。",
                "zh": "第1次服药后第3天复诊，第１２周复查，第2周起每日一次。"}


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_an_ordinal_never_breaks_after_its_prefix_in_the_body(language):
    """Seen: '第' at the end of a line and '1回' starting the next."""
    _sweep_body(language, ORDINAL_TEXT[language], ORDINALS[language])


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_an_ordinal_never_breaks_after_its_prefix_in_the_panel(language):
    text = {"ja": "第1回は1錠、第２回から2錠を服用", "zh": "第1次服1片，第3天起每次服2片，第2周起每日3次"}[language]
    pages = panel_pages(language, range(220, 420, 3), directions=text)
    held = {"ja": ("第1回", "第２回"), "zh": ("第1次", "第3天", "第2周")}[language]
    split = [pair for lines in pages for whole in held for pair in _broken(lines, whole)]
    assert not split, split[:3]
    for lines in pages:
        assert text in "".join(lines)


def test_the_rule():
    assert not may_break("1", "錠") and not may_break("3", "回") and not may_break("年", "1")
    assert not may_break("月", "2") and not may_break("１", "０") and not may_break("１", "錠")
    assert may_break("日", "3") and may_break("錠", "を") and may_break("を", "1") and may_break("。", "1")
    assert may_break("日", "に")
    # 第 before a number, in ASCII or full-width digits; not before anything else (第一, a word in
    # ideographs, breaks as ideographs do), and a number before 第 is not held to it
    assert not may_break("第", "1") and not may_break("第", "１") and not may_break("第", "9")
    assert may_break("第", "一") and may_break("は", "第") and may_break("、", "第")


def test_a_date_wider_than_its_line_still_breaks():
    """A date longer than the line: it breaks where it must (nothing is lost)."""
    from leaflet.typeset.linebreak import split_lines

    doc = leaflet.load(CONTENT / "ja.yaml")
    _, fonts = api.check(doc)
    style = ParagraphStyle("t", parent=Styles(fonts, load_theme("default")).body)
    para = Paragraph(literal(DATE, fonts), style)
    lines = split_lines(para.frags, [style.fontSize * 3])
    assert len(lines.lines) > 1
    assert "".join(w.text for line in lines.lines for w in line.words) == DATE
