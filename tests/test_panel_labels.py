"""The personal panel never ends a line with a label and puts its value on the next ("Phone:" /
"555-0100", "Renouvellements :" / "0", "電話：" / "555-0100"), and in Chinese and Japanese never
breaks inside a label ("リフィル回" / "数：1"), where it has the room: a panel that fits page 1
only with its labels apart from their values is laid out so (leaflet.typeset.panel.Panel.fit).
Read back with poppler, on A5 in large print (the narrowest panel), in every script.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import msgspec
import pytest

import leaflet
from leaflet import api
from leaflet.personal import rxfile
from leaflet.text.printed import label_parts

from .conftest import ROOT, SAMPLE

BRAND = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"

# the labels a row's text goes on after (the digital leaflet's may end a line: its address is one
# long word that breaks at its own points, '/')
LABELS = ("panel_patient", "panel_medicine", "panel_directions", "panel_purpose", "panel_prescriber",
          "panel_pharmacy", "panel_phone", "panel_rx_number", "panel_dispensed", "panel_quantity",
          "panel_refills", "brand_name")
_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # pdftotext's embedding marks
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _plain(text: str) -> str:
    return _SPACES.sub(" ", _CONTROLS.sub("", text)).strip()


def panel_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [line for line in map(_plain, out.splitlines()) if line]


RX = rxfile.load(ROOT / "examples" / "prescription.yaml")


# (not Russian: its labels are long, and on A5 in large print its panel fits page 1 only with them
# apart from their values, as test_panel_fit has it: the test below)
@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "ar", "he", "ja", "zh"])
def test_a_label_stays_on_the_line_of_its_value(language, tmp_path, has_poppler):
    rx = msgspec.structs.replace(RX, language=language)
    doc, _ = api.personal_document(leaflet.load(SAMPLE), rx)
    pdf = api.build_personalised(doc, rx, paper="a5", theme="large-print")
    assert api.verify(doc, pdf, rx) == []
    strings = api.check(doc)[0].strings
    labels = [_plain(label_parts(strings, strings[key])[0]) for key in LABELS]
    lines = panel_lines(pdf, tmp_path)
    # pdftotext gives a right-to-left line in logical order; a label at its end is at its logical end
    ending = [line for line in lines if any(line.endswith(label) for label in labels)]
    assert not ending, (language, ending)
    if language in ("ja", "zh"):  # a label whole on a line (poppler may put its colon apart: not looked for)
        for label in labels:
            assert any(label.rstrip(":\uff1a ") in line for line in lines), (language, label, lines[:20])


def test_labels_are_given_up_before_the_panel_is_laid_out_more_tightly():
    """Where the labels held to their values make the panel too tall for page 1, they are let go
    before anything else gives (the panel's spacing, page 1's margins): it is laid out as before."""
    from leaflet.typeset import panel

    seen = []
    layout = panel.Panel.layout

    def spy(self, width, mode=panel.REGULAR):
        layout(self, width, mode)
        seen.append((mode, self.held))

    rx = msgspec.structs.replace(RX, language="ru")
    doc, _ = api.personal_document(leaflet.load(SAMPLE), rx)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(panel.Panel, "layout", spy)
        api.check_personal(doc, rx, paper="a5", theme="large-print", brand=api.load_brand(BRAND))
    assert seen[-1] == (panel.TIGHT, False) and (panel.TIGHT, True) in seen, seen


def test_the_hold_mark_is_no_character_a_leaflet_or_prescription_can_print():
    """linebreak.HOLD (the mark that holds a panel label to its value, never drawn) must be a
    character no bundled font has: then no author's or prescription's text can hold one (the glyph
    check refuses it) and every HOLD in a line is the panel's."""
    from leaflet.resources import font_table
    from leaflet.typeset.fonts import every_script, fonts_for, glyph_problems
    from leaflet.typeset.linebreak import HOLD

    for script in font_table().scripts:
        fonts = every_script(fonts_for(script))
        assert glyph_problems(fonts, [(("patient",), "a" + HOLD)]), script
