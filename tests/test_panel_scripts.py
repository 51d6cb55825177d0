"""The personal panel prints names in any script leaflet has fonts for, whatever the leaflet's language.

A pharmacy serves patients of every script: an Arabic name on an English leaflet, a Chinese name on
a Spanish one, a Hebrew name on an Arabic one. The panel's values fall back to the primary font of
every script of leaflet/data/fonts.json (leaflet.typeset.fonts.every_script), shaped, and a
right-to-left value on a left-to-right panel is isolated and drawn right to left. Checked with
poppler (pdffonts for the fonts embedded, pdftotext for the text and its order), not only with
leaflet's own verify. Only characters no bundled font has are an error, naming the field.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import msgspec
import pytest

import leaflet
from leaflet import api
from leaflet.errors import ContentError
from leaflet.personal import rxfile

from .conftest import ROOT

RX_YAML = ROOT / "examples" / "prescription.yaml"
CONTENT = ROOT / "content" / "baclofen"
# fictional names, each in a script the leaflet's own fonts do not have
ARABIC = "سمير حداد"
HEBREW = "נועה לוי"
CHINESE = "王小明"
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2067\u2068\u2069"))


def personalised(language: str, **values: str) -> tuple[leaflet.Document, object, bytes]:
    rx = msgspec.structs.replace(rxfile.load(RX_YAML), language=language, **values)
    doc, warning = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    assert warning is None
    return doc, rx, api.build_personalised(doc, rx)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout


def embedded(pdf: bytes, tmp_path: Path) -> set[str]:
    """The font families pdffonts lists (subset tag dropped), every one embedded."""
    lines = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert all(" yes " in line for line in lines), lines  # embedded (emb column)
    return {line.split()[0].split("+", 1)[-1] for line in lines}


def page1_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    text = poppler("pdftotext", pdf, tmp_path, "-f", "1", "-l", "1")
    return [line.translate(BIDI_MARKS).strip() for line in text.splitlines() if line.strip()]


def words(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, str, float]]:
    """(left, right, word, top) of each word of page 1."""
    out = poppler("pdftotext", pdf, tmp_path, "-bbox", "-f", "1", "-l", "1")
    return [(float(x0), float(x1), w, float(y0)) for x0, y0, x1, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out)]


def at(found: list[tuple[float, float, str, float]], word: str) -> tuple[float, float, str, float]:
    # pdftotext -bbox gives a right-to-left word's letters in visual order (reversed)
    hits = [w for w in found if w[2] in (word, word[::-1])]
    assert hits, f"{word!r} not on page 1"
    return hits[0]


def test_an_arabic_name_on_an_english_leaflet(tmp_path, has_poppler):
    doc, rx, pdf = personalised("en", patient=ARABIC, prescriber="د. " + ARABIC)
    assert api.verify(doc, pdf, rx) == []
    assert {"NotoNaskhArabic-Bold", "NotoNaskhArabic-Regular"} <= embedded(pdf, tmp_path)
    lines = page1_lines(pdf, tmp_path)
    assert f"Patient: {ARABIC}" in lines  # read back in logical order: drawn right to left
    assert any(line.startswith("Prescriber:") and ARABIC in line for line in lines)  # (poppler puts "د." apart)
    found = words(pdf, tmp_path)
    first, second = (at(found, w) for w in ARABIC.split())
    label = at(found, "Patient:")
    assert label[1] < second[0] < second[1] < first[0]  # after the label, the name's first word at the right
    # joined letters: the shaped glyphs read back as the letters (the ToUnicode of each form)
    assert ARABIC.split()[0] in " ".join(w[2] for w in found) or ARABIC.split()[0][::-1] in " ".join(
        w[2] for w in found)


def test_a_chinese_name_on_a_spanish_leaflet(tmp_path, has_poppler):
    doc, rx, pdf = personalised("es", patient=CHINESE + " (Li)")
    assert doc.leaflet.language == "es"
    assert api.verify(doc, pdf, rx) == []
    assert "DroidSansFallback" in embedded(pdf, tmp_path)
    assert f"Paciente: {CHINESE} (Li)" in page1_lines(pdf, tmp_path)


@pytest.mark.parametrize("language, name, family, label", [
    ("ar", "Alex Example", "NotoSans-Bold", "المريض:"),
    ("ar", HEBREW, "NotoSansHebrew-Bold", "المريض:"),
    ("he", ARABIC, "NotoNaskhArabic-Bold", "מטופל:"),
    ("ja", ARABIC, "NotoNaskhArabic-Bold", "患者："),
    ("en", HEBREW, "NotoSansHebrew-Bold", "Patient:"),
])
def test_names_in_other_scripts_print_in_their_fonts(language, name, family, label, tmp_path, has_poppler):
    doc, rx, pdf = personalised(language, patient=name)
    assert api.verify(doc, pdf, rx) == []
    assert family in embedded(pdf, tmp_path)
    text = " ".join(page1_lines(pdf, tmp_path))
    assert name in text or " ".join(name.split()[::-1]) in text


def test_a_script_no_bundled_font_has_is_still_an_error_naming_the_field():
    rx = msgspec.structs.replace(rxfile.load(RX_YAML), pharmacy="\u0905\u0932\u0947 Pharmacy")  # Devanagari
    with pytest.raises(ContentError) as info:
        api.build_personalised(leaflet.load(CONTENT / "en.yaml"), rx, rx_file="rx.yaml")
    [d] = info.value.diagnostics
    assert d.code == "glyph" and d.path == ("pharmacy",) and "U+0905" in d.message and "3 characters" in d.message
    assert "\u0905" not in str(d) and "Pharmacy" not in d.message and "Latn" in d.hint


def test_the_fallback_fonts_leave_the_bytes_deterministic(tmp_path):
    _, _, one = personalised("en", patient=ARABIC)
    personalised("ar", patient=HEBREW)  # another leaflet, where Noto Naskh Arabic is the primary font
    _, _, two = personalised("en", patient=ARABIC)
    assert one == two


def test_a_right_to_left_value_on_a_left_to_right_panel_is_isolated(tmp_path, has_poppler):
    """"Pharmacy: <Arabic name> · 1 Sample Street": without an isolate, the address's "1" after the
    Arabic letters would count as an Arabic number (UAX #9, W2) and be drawn inside the name's run,
    left of it; isolated, the name reads right to left and the address follows it, on its right."""
    doc, rx, pdf = personalised("en", pharmacy=ARABIC)
    assert api.verify(doc, pdf, rx) == []
    found = words(pdf, tmp_path)
    label = at(found, "Pharmacy:")
    first, second = (at(found, w) for w in ARABIC.split())
    number = next(w for w in found if w[2] == "1" and round(w[3]) == round(label[3]))  # on the pharmacy's line
    assert label[1] < second[0] < first[0] < number[0], (label, first, second, number)
