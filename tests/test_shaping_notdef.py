"""The last line of defence against blank boxes: a character the shaping font has no glyph for
(HarfBuzz gives .notdef, glyph 0) is a RenderError naming it, never drawn as a box. The glyph
check before layout normally sends such a character to a fallback font (found by the new-user
trial: a brand-list comma once reached the Hebrew font, which has none, and printed a box)."""
from __future__ import annotations

import pytest

from leaflet.errors import RenderError
from leaflet.typeset import shaping
from leaflet.typeset.fonts import fonts_for


def test_a_character_without_a_glyph_is_an_error_not_a_box() -> None:
    hebrew = fonts_for("Hebr").regular
    assert shaping.shape(hebrew, "שלום", 0, 4, True).codes  # letters the font has: fine
    with pytest.raises(RenderError) as info:
        shaping.shape(hebrew, "\u4e2d", 0, 1, False)  # a CJK character: not in Noto Sans Hebrew
    assert "U+4E2D" in str(info.value) and info.value.code == "glyph"


def test_marks_that_print_nothing_are_not_errors() -> None:
    hebrew = fonts_for("Hebr").regular
    shaping.shape(hebrew, "\u2067שלום\u2069\u200f", 0, 7, True)
