"""leaflet.text.bidi: the levels read from python-bidi, and lines put in visual order by them,
against python-bidi's own ``get_display`` (an independent implementation of the reordering)."""
from __future__ import annotations

import random

import pytest
from bidi import get_display

from leaflet.text.bidi import levels, line_levels, needs_bidi, strip_controls, visual_order

ALEF, BEH, MEEM = "\u0627", "\u0628", "\u0645"
ALPHABET = [ALEF, BEH, MEEM, "\u05d0", "\u05d1", "a", "b", "1", "2", "\u0661", " ", "(", ")", "[", ".", ",", "-",
            "/", "%", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]


def shown(text: str, rtl: bool) -> str:
    order = visual_order(line_levels(text, levels(text, rtl), rtl))
    return strip_controls("".join(text[i] for i in order))


def test_levels_and_reordering_agree_with_python_bidi_on_random_lines():
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 24)))
        for rtl in (True, False):
            assert shown(text, rtl) == strip_controls(get_display(text, base_dir="R" if rtl else "L")), (text, rtl)


def test_a_number_and_a_latin_unit_in_arabic_follow_uax9_and_an_isolate_keeps_them_in_order():
    word = MEEM + ALEF + BEH
    # UAX #9: the space between "10" and "mg" takes the paragraph's direction: "mg" shows left of "10"
    assert shown(f"{word} 10 mg {word}", True) == f"{word[::-1]} mg 10 {word[::-1]}"
    # an isolate (LRI … PDI) keeps "10 mg" left to right, as written
    assert shown(f"{word} \u206610 mg\u2069 {word}", True) == f"{word[::-1]} 10 mg {word[::-1]}"
    # after a Latin word, the number and the brackets go with it (W7, N0): one left-to-right run
    assert shown(f"{word} Testamol (5 mg) {word}", True) == f"{word[::-1]} Testamol (5 mg) {word[::-1]}"
    # in Arabic, a bracketed number reads right to left (the glyphs of the brackets are mirrored)
    assert shown(f"{word} ({word} 5) {word}", True) == f"{word[::-1]} )5 {word[::-1]}( {word[::-1]}"


@pytest.mark.parametrize("rtl", [True, False])
def test_isolates_are_resolved_as_uax9_says(rtl):
    # inside an RLI the Arabic word and the number are at levels 3 and 4; the isolate's own
    # direction is kept whatever surrounds it
    text = f"x \u2067{MEEM}{ALEF} 12\u2069 y"
    lv = levels(text, rtl)
    assert lv[text.index(MEEM)] % 2 == 1 and lv[text.index("1")] % 2 == 0
    assert lv[text.index(MEEM)] > lv[0]


def test_levels_cover_every_character_of_astral_and_combining_text():
    text = f"{BEH}\u064e\U0001F600 a"
    assert len(levels(text, True)) == len(text)


def test_what_needs_bidi():
    assert needs_bidi(MEEM) and needs_bidi("\u200e") and needs_bidi("a\u2066b\u2069")
    assert not needs_bidi("Testamol 10 mg (x) – •")
