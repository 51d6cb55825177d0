"""Lay out once, stamp many (leaflet.typeset.stamp): the mechanism, with a panel drawn by the test.

Checked with independent readers: poppler (pdftotext, pdffonts) and qpdf's syntax check.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pikepdf
import pytest

import leaflet
from leaflet.api import check
from leaflet.check.verify import compact
from leaflet.check.visible import open_pdf, visible_pages
from leaflet.errors import RenderError
from leaflet.resources import theme as load_theme
from leaflet.typeset import bidipara, stamp
from leaflet.typeset.panel import Panel, panel_height
from leaflet.typeset.render import draw_runs, render

ROOT = Path(__file__).resolve().parent.parent
EN = ["Patient: Zelda Sentinelova", "Take 1 tablet in the morning and 1 at bedtime",
      "Rx 123456 · Łódź Ελένη Юлия"]
AR = ["المريض: زيلدا سنتينيلوفا", "تناول قرصًا واحدًا في الصباح", "Zelda Sentinelova 123"]


CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def bare(text: str) -> str:
    """Text without combining marks and directional controls (as poppler reads Arabic back)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch) and ch not in CONTROLS)


def make_template(lang: str, paper: str = "a4"):
    doc = leaflet.load(ROOT / "content" / "baclofen" / f"{lang}.yaml")
    locale, fonts = check(doc)
    states: list = []
    theme = load_theme("default")
    pdf = render(doc.leaflet, locale, theme, fonts, paper, panel=Panel.reserved(theme), font_states=states)
    return doc, fonts, stamp.Template(pdf, states)


def drawer(fonts, lines, rtl, bbox):
    x0, _y0, x1, y1 = bbox

    def draw(c) -> None:
        y = y1 - 16
        for i, text in enumerate(lines):
            size = 12 if i == 1 else 10
            runs = fonts.runs(text, bold=i == 1)
            if rtl:
                width = bidipara.line_width(runs, size, rtl)
                bidipara.draw_line(c, x1 - width, y, runs, size, rtl)
            else:
                c.setFont(runs[0][0], size)
                draw_runs(c, x0, y, runs, size)
            y -= 18
    return draw


@pytest.fixture(scope="module")
def en():
    return make_template("en")


@pytest.fixture(scope="module")
def ar():
    return make_template("ar")


def stamped(t, lines, rtl=False) -> bytes:
    _doc, fonts, template = t
    return stamp.stamp(template, stamp.draw_panel(template, fonts, drawer(fonts, lines, rtl, template.bbox)))


def pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_a_template_is_the_leaflet_with_an_empty_slot_and_verifies(en):
    doc, _, template = en
    assert leaflet.verify(doc, template.pdf) == []
    assert template.bbox[3] - template.bbox[1] == pytest.approx(panel_height(load_theme("default")))


def test_a_stamp_without_anything_drawn_verifies(en):
    doc, fonts, template = en
    pdf = stamp.stamp(template, stamp.draw_panel(template, fonts, lambda c: None))
    assert leaflet.verify(doc, pdf) == []


@pytest.mark.parametrize("which, lines, rtl", [("en", EN, False), ("ar", AR, True)])
def test_the_panel_is_read_first_and_the_leaflet_is_unchanged(request, has_poppler, which, lines, rtl):
    t = request.getfixturevalue(which)
    doc, _, template = t
    pdf = stamped(t, lines, rtl)
    # leaflet's own read-back: everything of the leaflet, and the panel as the first text of page 1
    problems = leaflet.verify(doc, pdf)
    assert len(problems) == 1 and "page 1 prints text before the leaflet's first text" in problems[0].message
    first = next(visible_pages(open_pdf(pdf)))  # the panel is drawn before the page's body
    assert first.chars.startswith(compact(" ".join(lines))[0])
    # poppler: the panel's lines, then the template's text unchanged
    text = bare(pdftotext(pdf))
    for line in lines:
        for word in re.findall(r"\w+", bare(line)):  # poppler may put RTL punctuation elsewhere
            assert word in text
    assert pdftotext(pdf).replace("\n", " ").split() [-400:] == pdftotext(template.pdf).replace("\n", " ").split()[-400:]


def test_fonts_are_embedded_subsets_with_names_of_their_own(has_poppler, en, tmp_path):
    pdf = stamped(en, EN)
    rows = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode().splitlines()[2:]
    if not rows:  # pdffonts of poppler < 22 reads no standard input
        path = tmp_path / "stamped.pdf"
        path.write_bytes(pdf)
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True).stdout.decode().splitlines()[2:]
    names = [r.split()[0] for r in rows]
    assert len(names) == 3  # the leaflet's two, and one new subset for Ł, ó, ź, Greek and Cyrillic
    assert len(set(names)) == len(names)
    assert all(r.split()[-5:-2] == ["yes", "yes", "yes"] for r in rows)  # embedded, subset, ToUnicode


def test_a_stamp_is_valid_pdf_for_qpdf(en, ar):
    for t, lines, rtl in ((en, EN, False), (ar, AR, True)):
        with pikepdf.open(io.BytesIO(stamped(t, lines, rtl))) as p:
            assert p.check_pdf_syntax() == []
            assert len(p.pages) == len(pikepdf.open(io.BytesIO(t[2].pdf)).pages)


def test_same_panel_same_bytes_whatever_was_stamped_before(en):
    first = stamped(en, EN)
    stamped(en, ["Other Person Ñandú ÿ", "Twice a day", "Q"])  # other glyphs, in other order
    assert stamped(en, EN) == first
    assert stamped(en, EN[:2] + ["Rx 1"]) != first


SUBPROCESS = """
import sys
sys.path.insert(0, {tests!r})
from test_stamp import make_template, stamped, EN, AR
t = make_template({lang!r})
{warmup}
sys.stdout.buffer.write(stamped(t, {lines!r}, {rtl!r}))
"""


@pytest.mark.parametrize("lang, lines, rtl", [("en", EN, False), ("ar", AR, True)])
def test_same_bytes_in_another_process_after_other_work(request, lang, lines, rtl):
    here = stamped(request.getfixturevalue(lang), lines, rtl)
    # another process, which stamped other panels (and shaped other words) first
    other = "['زيد بن ثابت', 'Gülşen Ünal']" if rtl else "['Gülşen Ünal', 'Ωμέγα Ñ']"
    warmup = f"stamped(make_template('he'), ['שלום עולם', 'x'], True); stamped(t, {other}, {rtl})"
    code = SUBPROCESS.format(tests=str(ROOT / "tests"), lang=lang, warmup=warmup, lines=lines, rtl=rtl)
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT).stdout
    assert there == here


def test_the_patient_is_not_in_the_metadata_nor_in_font_names(en):
    pdf = stamped(en, EN)
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert "Sentinelova" not in repr(p.docinfo)
        assert str(p.Root.Lang) == "en"
    # the name is only in the panel's compressed content: nowhere in the file's plain bytes
    assert b"Sentinelova" not in pdf and b"Zelda" not in pdf


def test_a_template_without_a_slot_is_refused():
    doc = leaflet.load(ROOT / "content" / "baclofen" / "en.yaml")
    with pytest.raises(RenderError, match="no panel slot"):
        stamp.Template(leaflet.build_bytes(doc), [])


def test_merge_writes_each_template_once_and_every_leaflet(has_poppler, en, ar, tmp_path):
    items = []
    for t, lines, rtl in ((en, EN, False), (ar, AR, True), (en, EN, False)):
        _, fonts, template = t
        items.append((template, stamp.draw_panel(template, fonts, drawer(fonts, lines, rtl, template.bbox))))
    out = io.BytesIO()
    pages = stamp.merge(out, items, title="Batch 1")
    pdf = out.getvalue()
    n_en, n_ar = (len(pikepdf.open(io.BytesIO(t[2].pdf)).pages) for t in (en, ar))
    assert pages == 2 * n_en + n_ar
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert p.check_pdf_syntax() == []
        assert len(p.pages) == pages
        assert str(p.docinfo.Title) == "Batch 1"
    text = pdftotext(pdf)
    assert text.count("Zelda Sentinelova") == 3
    path = tmp_path / "merged.pdf"
    path.write_bytes(pdf)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    names = [r.split()[0] for r in rows]
    # en's and ar's subsets of Noto Sans under names of their own (ReportLab names both AAAAAA+…); the
    # two English panels are alike, so their one new subset is the same font program under one name
    assert not any(n.startswith("AAAAAA+") for n in names)
    assert len(set(names)) == len(names) - 1
    # the templates' fonts once each, under names of their own (ReportLab names both AAAAAA+…)
    single = len(stamped(en, EN)) + len(stamped(ar, AR, True))
    assert len(pdf) < single + len(stamped(en, EN)) * 0.5
    out2 = io.BytesIO()
    stamp.merge(out2, items, title="Batch 1")
    assert out2.getvalue() == pdf
