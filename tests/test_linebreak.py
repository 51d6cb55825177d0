"""Chinese and Japanese line breaking (kinsoku, no spaces added where source lines join),
checked on the page with poppler (pdftotext -bbox-layout: where each line starts and ends)."""
from __future__ import annotations

import html
import itertools
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

import leaflet
from leaflet.check.verify import verify
from leaflet.content import loader
from leaflet.resources import theme
from leaflet.text.inline import paragraphs
from leaflet.typeset.fonts import fonts_for
from leaflet.typeset.layout import markup
from leaflet.typeset.linebreak import NO_END, NO_START, may_break

from .conftest import ROOT

MM = 72 / 25.4
A4_WIDTH = 595.2756
LOCALES = ROOT / "tests" / "fixtures" / "scripts" / "locales"
_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>")
# a few of the characters that may not start a line, and of those that may not end one
CLOSING = "。、，」）！？：；ー》』"
OPENING = "「（《『"


def lines_of(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, str]]:
    """(left, right, text) of every line poppler finds, in reading order (its words joined by a space)."""
    path = tmp_path / "l.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [(float(x0), float(x1), " ".join(html.unescape(w) for w in _WORD.findall(body)))
            for x0, x1, body in _LINE.findall(out)]


def cjk_leaflet(language: str, texts: list[str]) -> str:
    blocks = "\n".join(f"      - text: \"{t}\"" for t in texts)
    return textwrap.dedent("""\
        language: {language}
        medicine:
          name: Testamol
          class: Test
        revision:
          date: "2026-01-02"
        key_facts:
          rows:
            - label: Test
              value: Test
        sections:
          - heading: Test
            blocks:
        {blocks}
        disclaimer: Test.
        """).format(language=language, blocks=blocks)


def sweep(filler: str, mark: str, per_line: int) -> list[str]:
    """Paragraphs in which ``mark`` falls at every position around the end of the first line."""
    return [filler * k + mark + filler * 12 for k in range(per_line - 3, per_line + 3)]


@pytest.mark.parametrize(("language", "filler"), [("zh", "测"), ("ja", "テ")])
def test_no_line_starts_with_closing_punctuation_nor_ends_with_an_opening_one(language, filler, tmp_path,
                                                                             has_poppler):
    t = theme()
    left, right_edge = t["margins_mm"]["left"] * MM, A4_WIDTH - t["margins_mm"]["right"] * MM
    per_line = int((right_edge - left) // t["body"]["size"])
    texts = [t for mark in CLOSING for t in sweep(filler, mark, per_line)]
    texts += [t for mark in OPENING for t in sweep(filler, mark, per_line)]
    texts += [t for mark in CLOSING for t in sweep(filler, "Testamol" + mark, per_line - 4)]
    doc = leaflet.parse(cjk_leaflet(language, texts), "kinsoku.yaml", locales=[LOCALES])
    pdf = leaflet.build_bytes(doc)
    lines = lines_of(pdf, tmp_path)
    starts = [text[0] for _, _, text in lines if text]
    ends = [text[-1] for _, _, text in lines if text]
    assert len(lines) > 2 * len(texts)  # every paragraph is broken (two lines at least)
    assert not set(starts) & set(CLOSING), [t for _, _, t in lines if t[0] in CLOSING][:5]
    assert not set(ends) & set(OPENING), [t for _, _, t in lines if t[-1] in OPENING][:5]
    right = max(x1 for _, x1, _ in lines)
    assert right <= right_edge + 0.5, right  # nothing hangs into the margin
    assert verify(doc, pdf) == []


def test_latin_words_and_numbers_never_break_inside():
    fonts = fonts_for("Hans")
    text = "测试" * 3 + "请服用 Testamol 10 mg，每日三次 Testamol-Retard 20 mg。" * 6
    para = Paragraph(markup(text, fonts), ParagraphStyle("t", fontName=fonts.regular, fontSize=10, leading=12,
                                                          wordWrap="CJK"))
    for width in range(120, 300, 7):
        para.wrap(width, 10_000)
        lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
        assert "".join(lines) == text  # nothing added, nothing lost
        for before, after in itertools.pairwise(lines):
            joint = before[-1:] + after[:1]  # a break at a space keeps the space on the line before
            assert not re.fullmatch(r"[A-Za-z0-9-]{2}", joint), (width, before, after)
            assert after[:1] not in NO_START and before.rstrip()[-1:] not in NO_END


def core(text: str) -> int:
    """Its characters but for spaces and punctuation."""
    import unicodedata

    return sum(1 for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


@pytest.mark.parametrize(("script", "text"), [
    ("Jpan", "1回1錠を1日3回服用してください。"),
    ("Jpan", "用法：1回1錠を1日3回服用してください"),
    ("Jpan", "バクロフェンは筋肉のけいれんをやわらげる薬です。眠気が出ることがあります。"),
    ("Hans", "每次口服1片，每日3次。如果漏服一次，请在想起时尽快服用。"),
])
def test_no_paragraph_ends_with_a_line_of_one_character(script, text):
    """A paragraph's last line is never a single character but for punctuation ("い。", "す"): the
    line before gives it its last characters, where it can break earlier and keep two of its own.
    Every width from the narrowest to the widest: nothing added or lost, every line in its width."""
    fonts = fonts_for(script)
    para = Paragraph(markup(text, fonts), ParagraphStyle("t", fontName=fonts.regular, fontSize=16, leading=23,
                                                          wordWrap="CJK"))
    broken = 0
    for width in range(80, 420, 3):
        para.wrap(width, 10_000)
        lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
        assert "".join(lines) == text, width
        assert all(line.currentWidth <= width + 0.01 for line in para.blPara.lines), width
        if len(lines) >= 2:
            assert core(lines[-1]) >= 2, (width, lines)
            assert core(lines[-2]) >= 2, (width, lines)
            broken += 1
    assert broken > 20  # (the sweep goes through widths where a greedy break left one alone)


def test_the_break_rules():
    assert may_break("测", "试") and may_break("。", "测") and may_break(" ", "T") and may_break("测", "T")
    assert not may_break("测", "。") and not may_break("「", "测") and not may_break("测", "ー")
    assert not may_break("T", "e") and not may_break("1", "0") and not may_break("测", " ")
    assert not may_break("…", "…") and not may_break("测", "\u00a0") and not may_break("한", "국")


@pytest.mark.parametrize(("style", "expected"), [
    ("plain", "空白がなく、原稿の改行で two words and 日本"),
    ("folded", "空白がなく、原稿の改行で two words and 日本"),
    ("literal", "空白がなく、原稿の改行で two words and 日本"),
])
def test_no_space_is_added_where_source_lines_between_cjk_characters_join(style, expected):
    lines = ["空白がなく、", "原稿の改行で", "two words", "and 日本"]
    if style == "plain":
        yaml = "text: " + "\n  ".join(lines) + "\n"
    else:
        yaml = "text: " + (">-" if style == "folded" else "|") + "\n" + "".join(f"  {line}\n" for line in lines)
    value = loader.parse(yaml, "x.yaml").data["text"]
    assert paragraphs(value) == [expected]


@pytest.mark.parametrize("quote", ['"', "'"], ids=["double-quoted", "single-quoted"])
@pytest.mark.parametrize(("lines", "expected"), [
    (["空白がなく、", "原稿の改行で", "two words", "and 日本"], "空白がなく、原稿の改行で two words and 日本"),
    (["请每日服用", "两次，每次", "10 mg，饭后", "服用。"], "请每日服用两次，每次 10 mg，饭后服用。"),
], ids=["ja", "zh"])
def test_a_multi_line_quoted_value_joins_cjk_lines_without_a_space(quote, lines, expected):
    """A quoted value written over several lines folds as a plain one does: no space between two
    CJK characters, a space elsewhere; escapes and blank lines as YAML reads them."""
    yaml = f"text: {quote}" + "\n  ".join(lines) + f"{quote}\n"
    assert loader.parse(yaml, "x.yaml").data["text"] == expected
    if quote == '"':  # escapes decoded line by line, a blank line a line break, an escaped break joins
        yaml = 'text: "空白が\\u3000\n  原稿\n\n  です\\\n   ね \\u2066x\\u2069\n  日本"\n'
        assert loader.parse(yaml, "x.yaml").data["text"] == "空白が\u3000原稿\nですね \u2066x\u2069 日本"
    else:
        assert loader.parse("text: 'it''s 日\n  本'\n", "x.yaml").data["text"] == "it's 日本"


def test_korean_lines_join_with_a_space():
    assert loader.parse("text: 한국어\n  문장\n", "x.yaml").data["text"] == "한국어 문장"
    assert loader.parse('text: "한국어\n  문장"\n', "x.yaml").data["text"] == "한국어 문장"
    assert paragraphs("한국어\n문장") == ["한국어 문장"]


def test_a_folded_scalar_with_more_indented_lines_is_left_to_yaml():
    text = "text: >\n  空白が\n    原稿\n  です\n"
    assert loader.parse(text, "x.yaml").data["text"] == "空白が\n  原稿\nです\n"


@pytest.mark.parametrize(("language", "value", "printed"), [
    ("ja", "空白がなく、\n          原稿の改行で", "空白がなく、原稿の改行で"),
    ("ja", '"空白がなく、\n          原稿の改行で"', "空白がなく、原稿の改行で"),
    ("zh", '"请每日服用\n          两次，饭后服用。"', "请每日服用两次，饭后服用。"),
], ids=["ja-plain", "ja-double-quoted", "zh-double-quoted"])
def test_joined_cjk_lines_print_and_verify_without_a_space(language, value, printed, tmp_path, has_poppler):
    source = cjk_leaflet(language, ["X"]).replace('      - text: "X"', f"      - text: {value}")
    doc = leaflet.parse(source, "join.yaml", locales=[LOCALES])
    pdf = leaflet.build_bytes(doc)
    assert printed in [t for _, _, t in lines_of(pdf, tmp_path)]
    assert verify(doc, pdf) == []


# -- hyphenation (options.hyphenate) ----------------------------------------------------------------

FRENCH = textwrap.dedent("""\
    language: fr
    medicine:
      name: Testamol
      class: Antidouleur
    revision:
      date: "2026-01-02"
    {options}
    key_facts:
      rows:
        - label: Classe
          value: Antidouleur
    sections:
      - heading: Informations
        blocks:
    {blocks}
    disclaimer: Demandez conseil à votre médecin.
    """)
WORDS = ("Prenez Testamol 500 mg trois fois par jour conformément aux recommandations incontestablement "
         "indispensables Vitamine-B12 3000000000 mg pharmacocinétiques https://example.org/testamol/notice-patient "
         "hypersensibilité B12Testamolretardcomprimés électroencéphalographie")


def french(hyphenate: bool) -> str:
    blocks = "\n".join(f'      - text: "{"x " * k}{WORDS}"' for k in range(0, 40, 3))
    return FRENCH.format(options="options: {hyphenate: true}" if hyphenate else "", blocks=blocks)


def added_hyphens(lines: list[tuple[float, float, str]]) -> list[str]:
    """The words a line end split with a hyphen that the text does not have: 'recom-' + 'mandations'."""
    words = set(WORDS.split())
    out = []
    for (_, _, before), (_, _, after) in itertools.pairwise(lines):
        last, first = before.split()[-1] if before.split() else "", after.split()[0] if after.split() else ""
        if last.endswith("-") and last[:-1] + first in words:
            out.append(last + first)
    return out


def test_hyphenation_is_off_by_default_and_on_by_option(tmp_path, has_poppler):
    off = leaflet.parse(french(False), "fr.yaml", locales=[ROOT / "tests" / "locales"])
    assert added_hyphens(lines_of(leaflet.build_bytes(off), tmp_path)) == []
    on = leaflet.parse(french(True), "fr.yaml", locales=[ROOT / "tests" / "locales"])
    pdf = leaflet.build_bytes(on)
    split = added_hyphens(lines_of(pdf, tmp_path))
    assert len(split) >= 5, split  # the long words are hyphenated where they fall at a line end
    for word in split:  # only words of letters: never a number, a dose, an address or a word with digits
        assert re.fullmatch(r"[^\W\d_]+-[^\W\d_]+", word), word
    assert verify(on, pdf) == []  # "recom-" + "mandations" reads back as the word the content has


def test_no_hyphenation_dictionary_for_some_languages():
    from leaflet.typeset.linebreak import hyphenation_language

    class Layout:
        hyphenate = True

    class Doc:
        layout = Layout()
        language = "de"

    assert hyphenation_language(Doc()) == "de"
    for language in ("ar", "he", "zh", "ja"):
        Doc.language = language
        assert hyphenation_language(Doc()) == ""
    Layout.hyphenate = False
    Doc.language = "de"
    assert hyphenation_language(Doc()) == ""


@pytest.mark.parametrize("language", ["zh", "ja"])
@pytest.mark.parametrize(("paper", "look"), [("a4", "default"), ("letter", "large-print")])
def test_cjk_samples_keep_to_the_text_area_and_never_collide(language, paper, look, tmp_path, has_poppler):
    """The geometry checks of tests/test_geometry.py that hold for any script (no overlapping
    text, nothing outside the text area) on the Chinese and Japanese samples, broken by
    .linebreak. (Its header and footer checks match the furniture's words split at spaces,
    which CJK lines do not have.)"""
    from leaflet.resources import locale_for
    from leaflet.text.printed import furniture

    from . import pdfgeom

    doc = leaflet.load(ROOT / "content" / "baclofen" / f"{language}.yaml")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(leaflet.build_bytes(doc, paper=paper, theme=look))
    strings = locale_for(language).strings
    pages = pdfgeom.read_words(pdf)
    problems: list[str] = []
    for page in pages:
        texts = furniture(doc.leaflet, strings, page.number, len(pages))
        n_head = (doc.leaflet.status != "final") + (page.number > 1)
        pdfgeom.split_furniture(page, texts[:n_head], texts[n_head:])
        area = pdfgeom.Geometry.from_theme(theme(look), page.width, page.height)
        problems += [p for p in pdfgeom.check_page(page, area, texts[n_head:], texts[:n_head])
                     if "runs outside the text area" in p or " overlaps " in p]
    assert problems == []
    assert len(pages) >= 4
    assert verify(doc, pdf.read_bytes()) == []
