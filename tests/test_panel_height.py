"""The personal panel is as tall as its rows: height classes, A5 in large print, stamping.

Each prescription's panel is measured and its height rounded up to whole body lines (its class);
a leaflet is laid out once per class (api.Template), and a single build takes the same path as a
batch. Read back with poppler (pdftotext -bbox through tests/pdfgeom.py): every text of the panel
inside its rectangle, nothing of the body in it or overlapping it, the body starting just under
it, every row printed in order.
"""
from __future__ import annotations

import io
from pathlib import Path

import msgspec
import pikepdf
import pytest
from reportlab.pdfbase.pdfdoc import xObjectName

import leaflet
from leaflet import api
from leaflet.errors import ContentError
from leaflet.personal import rxfile
from leaflet.resources import theme as load_theme
from leaflet.typeset.panel import PANEL_GAP
from leaflet.typeset.render import PANEL_FORM

from . import pdfgeom
from .conftest import ROOT

RX_YAML = ROOT / "examples" / "prescription.yaml"
CONTENT = ROOT / "content" / "baclofen"
LONG_ADDRESS = "Unit 4, The Old Mill\nHarbour Road\n1 Sample Street\nExampleton EX1 2AB"
LONG_DIRECTIONS = ("Take 1 tablet by mouth 3 times a day, with food or milk. Swallow it whole with a full glass "
                   "of water. Do not stop taking it suddenly: ask your pharmacist how to lower the dose.")
SHORT = {"purpose": None, "directions": "Take 1 tablet at bedtime", "quantity": "30"}
# taller than a panel with every row at its usual lines (the height every panel had before)
TALL = {"pharmacy_address": LONG_ADDRESS, "directions": f"{LONG_DIRECTIONS}\n{LONG_DIRECTIONS}\nKeep to this dose.",
        "brand": "Examplofen Forte Long-Acting Modified-Release Tablets",
        "purpose": "muscle spasms and stiffness after an injury to the spinal cord, and the pain and cramps "
                   "that come with them at night",
        "prescriber": "Dr. Samantha Sample-Example, Department of Neurology and Rehabilitation Medicine, "
                      "Exampleton General Hospital"}


def rx_with(**values) -> object:
    return msgspec.structs.replace(rxfile.load(RX_YAML), **values)


def personal(rx, paper="a4", theme="default") -> tuple[leaflet.Document, bytes]:
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    return doc, api.build_personalised(doc, rx, paper=paper, theme=theme)


def labels(doc: leaflet.Document, rx) -> list[str]:
    """The first word of each row's label, in USP order (the rows the prescription has)."""
    s = api.check(doc)[0].strings
    keys = ["panel_patient", "panel_medicine", "panel_directions", *(["panel_purpose"] if rx.purpose else []),
            "panel_prescriber", "panel_pharmacy", "panel_rx_number"]
    return [s[k].split()[0] for k in keys]


def panel_geometry(doc, rx, pdf: bytes, tmp_path, paper: str, theme: str) -> list[str]:
    """Problems of page 1 as poppler reads it: the page's own geometry check (text outside the
    text area, overlapping words, furniture), a panel word outside the panel's rectangle, a body
    word inside it, a row missing or out of order."""
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    pages, problems, _ = pdfgeom.analyse(doc, path, theme)
    page = pages[0]
    rect = api.panel_rect(doc, paper=paper, theme=theme, rx=rx)
    top, bottom = page.height - rect.top, page.height - rect.y  # poppler's y runs downwards
    inside = [w for w in page.body if w.y0 < bottom]
    below = [w for w in page.body if w.y0 >= bottom]
    for w in inside:
        v = 0.25 * (w.y1 - w.y0)
        if w.y1 > bottom + v or w.y0 < top - v or w.x0 < rect.x - 0.6 or w.x1 > rect.x + rect.width + 0.6:
            problems.append(f"{w.text!r} runs out of the panel's rectangle")
    if below and min(w.y0 for w in below) < bottom + PANEL_GAP - 3:
        problems.append("the body starts inside the gap under the panel")
    rows = [row[0].text.rstrip(":") for row in pdfgeom.rows(inside)]
    wanted = labels(doc, rx)
    found = [w for w in rows if w in wanted]
    if found != wanted:
        problems.append(f"the panel's rows begin {found}, expected {wanted}")
    return [p for p in problems if "page 1:" in p or not p.startswith("page ")]


def test_a_short_prescription_gets_a_tight_panel_and_a_long_address_a_taller_one(tmp_path, has_poppler):
    short, tall = rx_with(**SHORT), rx_with(**TALL)
    doc = leaflet.load(CONTENT / "en.yaml")
    low = api.panel_rect(doc, rx=short)
    high = api.panel_rect(doc, rx=tall)
    usual = api.panel_rect(doc)  # every row at its usual lines: what the panel used to be for everyone
    leading = load_theme("default")["body"]["leading"]
    assert low.height < usual.height < high.height
    assert low.top == high.top == usual.top
    for rx in (short, tall):
        doc, pdf = personal(rx)
        assert api.verify(doc, pdf, rx) == []
        assert panel_geometry(doc, rx, pdf, tmp_path, "a4", "default") == []
        # tight: from the last row of the panel to the first of the body, the box's padding, the gap
        # and less than a line of the class's rounding
        page = pdfgeom.read_words(tmp_path / "p.pdf")[0]
        rect = api.panel_rect(doc, rx=rx)
        last = max(w.y1 for w in page.words if w.y0 < page.height - rect.y)
        body = min(w.y0 for w in page.words if w.y0 > page.height - rect.y)
        assert body - last < PANEL_GAP + 2 * 8 + leading + 8, (body, last)


def test_a_panel_of_any_class_stamped_from_one_template_is_the_single_build(tmp_path):
    doc = leaflet.load(CONTENT / "en.yaml")
    t = api.template(doc)
    prescriptions = [rx_with(**SHORT), rx_with(), rx_with(pharmacy_address=LONG_ADDRESS), rx_with(**TALL),
                     rx_with(**SHORT)]
    classes = [api.stamp_panel(t, rx).lines for rx in prescriptions]
    assert len(set(classes)) == 4 and classes[0] == classes[-1]
    stamped = [api.stamp_personalised(t, rx) for rx in prescriptions]
    assert stamped == [api.build_personalised(doc, rx) for rx in prescriptions]
    assert stamped[0] == stamped[-1]
    # a layout dropped from the template's cache and made again gives the same bytes
    t._layouts.clear()
    assert api.stamp_personalised(t, prescriptions[3]) == stamped[3]


def test_a_template_keeps_a_bounded_number_of_layouts():
    t = api.template(leaflet.load(CONTENT / "en.yaml"))
    for lines in range(10, 10 + api.MAX_LAYOUTS + 3):
        t.layout(lines)
    assert len(t._layouts) == api.MAX_LAYOUTS


@pytest.mark.parametrize("language", ["en", "ar", "he", "ja", "zh"])
def test_a5_large_print_prints_the_whole_panel(language, tmp_path, has_poppler):
    rx = rx_with(language=language)
    doc, pdf = personal(rx, "a5", "large-print")
    assert doc.leaflet.language == language
    assert api.verify(doc, pdf, rx) == []
    if language in ("en",):  # the rows' first words read back in order (right to left: see test_rtl)
        assert panel_geometry(doc, rx, pdf, tmp_path, "a5", "large-print") == []
    with pikepdf.open(io.BytesIO(pdf)) as p:
        box = p.pages[0].Resources.XObject["/" + xObjectName(PANEL_FORM)].BBox  # the panel's form, stamped
    assert float(box[3]) - float(box[1]) == pytest.approx(api.panel_rect(doc, paper="a5", theme="large-print",
                                                                          rx=rx).height)


def a5_large_print_with_the_brand(rx, tmp_path) -> Path:
    """``rx``'s leaflet built on A5 in large print with the clinic brand of the tests, checked: it
    verifies, and poppler finds every page's text where it belongs (tests/pdfgeom.py)."""
    brand = api.load_brand(ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml")
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    pdf = api.build_personalised(doc, rx, paper="a5", theme="large-print", brand=brand)
    assert api.verify(doc, pdf, rx, brand=brand) == []
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    _, problems, _ = pdfgeom.analyse(doc, path, "large-print", brand.brand)
    assert problems == []
    return path


def test_a5_large_print_a_long_address_and_the_brand(tmp_path, has_poppler):
    rx = rx_with(pharmacy_address="1 Sample Street\nExampleton\nEX1 2AB")  # 3 lines where the old panel had 2
    a5_large_print_with_the_brand(rx, tmp_path)


def test_a_panel_too_tall_for_page_1_names_the_row_most_over_its_usual_lines_never_its_value():
    # where page 1 has the least room (Russian, its four-line banner, the brand's footer line: 89 mm,
    # 99 mm with page 1's margins given, tests/test_panel_fit.py), a pharmacy's row a line longer
    # than the example's does not fit even laid out tight
    rx = rx_with(language="ru", pharmacy="Example Community Pharmacy",
                 pharmacy_address="Unit 4, The Old Mill Business Park, 1 Sample Street, Exampleton EX1 2AB")
    brand = api.load_brand(ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml")
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    with pytest.raises(ContentError) as info:
        api.build_personalised(doc, rx, paper="a5", theme="large-print", brand=brand, rx_file="rx.yaml")
    [d] = info.value.diagnostics
    assert d.code == "panel" and d.path == ("pharmacy_address",)
    assert str(d) == ("rx.yaml: error[panel]: pharmacy_address: the personal panel does not fit on page 1: "
                      "it takes 104 mm where the page has 99 mm for it (this row takes 4 lines where it usually "
                      "takes 2, the most over its usual length)\n  hint: print on A4 or Letter, or in the default "
                      "theme, where the panel has more room, or shorten this field")
    assert "Sample" not in str(d) and "Alex" not in str(d) and "Mill" not in str(d)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`error[panel]: pharmacy_address: the personal panel does not fit on page 1: it takes 104 mm\n  where " \
           "the page has 99 mm for it (this row takes 4 lines where it usually takes 2, the most over\n  its usual " \
           "length)`, `hint: print on A4 or Letter, or in the default theme, where the panel has\n  more room, or " \
           "shorten this field`" in readme


RUSSIAN_NAME = "Александра Владимировна Константинова"  # name, patronymic, surname: fictional
# a realistic Russian prescription (fictional): on A5 in large print its panel needs 127 mm, page 1 has 112
RUSSIAN = {"patient": RUSSIAN_NAME, "language": "ru", "purpose": "мышечные спазмы", "form": "таблетки",
           "directions": "Принимайте по 1 таблетке внутрь 3 раза в день, во время еды, запивая стаканом воды",
           "pharmacy": "Аптека «Здоровье» на Ленинском проспекте", "quantity": "90 таблеток",
           "pharmacy_address": "Ленинский проспект, д. 123, корп. 4, Москва, 119071",
           "pharmacy_phone": "+7 495 123-45-67", "prescriber": "д-р Сэм Сэмпл"}
DIGITAL = "https://example.org/leaflets/baclofen/en"


def test_a_full_russian_name_beside_the_qr_code_prints_on_a5_in_large_print(tmp_path, has_poppler):
    # beside the QR code the patient's row is narrower: the full name takes 3 lines (refused at 2 before)
    brand = api.load_brand(ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml")
    rx = rx_with(patient=RUSSIAN_NAME, digital_url=DIGITAL)
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    panel, _ = api._measured(api.template(doc, paper="a5", theme="large-print", brand=brand), rx, "")
    assert panel._row_lines[0] == 3 and panel.rows[0].field == "patient"
    path = a5_large_print_with_the_brand(rx, tmp_path)
    # poppler reads the name on page 1 on three lines, one word a line, all left of the QR code
    words = pdfgeom.read_words(path)[0].words
    name = [next(w for w in words if w.text == part) for part in RUSSIAN_NAME.split()]
    assert name[0].y0 < name[1].y0 < name[2].y0
    assert max(w.x1 for w in name) < 148 * pdfgeom.MM - 15 * pdfgeom.MM - 20 * pdfgeom.MM  # the code: 20 mm


def test_an_absurd_patient_name_is_still_refused():
    rx = rx_with(patient=" ".join([RUSSIAN_NAME] * 3))
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    with pytest.raises(ContentError) as info:
        api.build_personalised(doc, rx, paper="a5", theme="large-print", rx_file="rx.yaml")
    [d] = info.value.diagnostics
    assert d.code == "panel" and d.path == ("patient",)
    assert "where a row of the panel has at most 3" in d.message and "Алекс" not in str(d)


@pytest.mark.parametrize("digital", [None, "https://example.org/leaflets/baclofen/ru"])
def test_a_realistic_russian_prescription_too_tall_for_a5_large_print_names_a_row_to_act_on(digital):
    rx = rx_with(**RUSSIAN, digital_url=digital)
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    assert doc.leaflet.language == "ru"
    with pytest.raises(ContentError) as info:
        api.check_personal(doc, rx, paper="a5", theme="large-print", rx_file="rx.yaml")
    [d] = info.value.diagnostics
    # the pharmacy's row, 4 lines where it usually takes 2: not the directions (4, usually 3), the
    # longest, nor the Rx number's row, labels the pharmacy cannot shorten
    assert d.code == "panel" and d.path == ("pharmacy_address",), str(d)
    assert "does not fit on page 1" in d.message and "4 lines where it usually takes 2" in d.message
    assert d.hint == ("print on A4 or Letter, or in the default theme, where the panel has more room, "
                      "or shorten this field")
    for value in RUSSIAN.values():
        for word in value.split():
            assert len(word) < 4 or word not in str(d), word
    # the ways out the hint names: A4 or Letter in large print, A5 in the default theme
    for paper, theme in (("a4", "large-print"), ("letter", "large-print"), ("a5", "default")):
        api.check_personal(doc, rx, paper=paper, theme=theme)


def test_the_hint_names_only_the_ways_out_there_are():
    from leaflet.typeset.panel import more_room

    assert more_room("a5", "large-print") == ("print on A4 or Letter, or in the default theme, where the panel "
                                              "has more room")
    assert more_room("a5", "default") == "print on A4 or Letter, where the panel has more room"
    assert more_room("a4", "large-print") == "print in the default theme, where the panel has more room"
    assert more_room("letter", "default") == ""


def test_a_panel_too_tall_never_names_the_rx_number_row_of_labels():
    # Russian on A5 in large print with the brand, a longer quantity: the Rx number's row takes 4 lines
    # (the longest; named before), the pharmacy's 3 where it usually takes 2
    brand = api.load_brand(ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml")
    rx = rx_with(language="ru", quantity="90 таблеток по 10 мг")
    doc, _ = api.personal_document(leaflet.load(CONTENT / "en.yaml"), rx)
    with pytest.raises(ContentError) as info:
        api.check_personal(doc, rx, paper="a5", theme="large-print", brand=brand, rx_file="rx.yaml")
    [d] = info.value.diagnostics
    assert d.path == ("pharmacy_address",) and "3 lines where it usually takes 2" in d.message, str(d)


def test_panels_of_several_heights_merge_into_one_valid_pdf(tmp_path, has_poppler):
    import subprocess

    doc = leaflet.load(CONTENT / "en.yaml")
    t = api.template(doc)
    prescriptions = [rx_with(**SHORT, rx_number="RX-A"), rx_with(**TALL, rx_number="RX-B"),
                     rx_with(**SHORT, rx_number="RX-C")]
    singles = [api.stamp_personalised(t, rx) for rx in prescriptions]
    out = io.BytesIO()
    pages = api.stamp_merged(out, [(t, rx) for rx in prescriptions])
    counts = [len(pikepdf.open(io.BytesIO(pdf)).pages) for pdf in singles]
    assert pages == sum(counts)
    with pikepdf.open(io.BytesIO(out.getvalue())) as p:
        assert p.check_pdf_syntax() == [] and len(p.pages) == pages
    path = tmp_path / "m.pdf"
    path.write_bytes(out.getvalue())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    firsts = [0, counts[0], counts[0] + counts[1]]
    assert [f"RX-{k}" in text.split("\f")[i] for k, i in zip("ABC", firsts)] == [True] * 3
    # two layouts' subsets of one font never share a name in the merged file
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    names = [line.split()[0] for line in fonts]
    assert len(names) == len(set(names))
