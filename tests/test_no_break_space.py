"""A no-break space is never a place to break a line: "80\u00a0mg" never ends a line with "80"
and starts the next with "mg", and the French "dose\u00a0:" keeps its colon with its word. Checked
with poppler (pdftotext) as an independent reader."""
from __future__ import annotations

import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

import leaflet
from leaflet.text.inline import one_line, paragraphs, words

from .conftest import MINIMAL

NBSP, NNBSP = "\u00a0", "\u202f"


def test_no_break_spaces_are_kept_and_other_whitespace_collapses() -> None:
    assert paragraphs(f"take 80{NBSP}mg\n  a  day\u3000now") == [f"take 80{NBSP}mg a day now"]
    assert one_line(f"dose{NBSP}:\t5{NNBSP}mg\n") == f"dose{NBSP}: 5{NNBSP}mg"
    assert words(f" a{NBSP}b \u2007c ") == [f"a{NBSP}b", "\u2007c"]


@pytest.mark.parametrize("space", [NBSP, NNBSP, "\u2007"], ids=["U+00A0", "U+202F", "U+2007"])
def test_no_line_breaks_at_a_no_break_space(space: str, tmp_path: Path, has_poppler: None) -> None:
    """(ReportLab keeps words together across U+00A0 only: leaflet's word splitter keeps U+202F and
    U+2007 too, leaflet.typeset.linebreak.)"""
    # the dose falls at every place of a line in turn: one of them is where the line is full
    filler = ("Testamol est un médicament fictif utilisé ici pour remplir la ligne de texte avant la dose, "
              "et la phrase continue encore un peu")
    start = 60
    blocks = "".join(f'          - "{filler[:n]} 80{space}mg par jour."\n' for n in range(start, len(filler)))
    text = MINIMAL.replace("      - text: A paragraph.\n", f"      - bullets:\n{blocks}").replace(
        "heading: About", f'heading: "Posologie{space}: 80{space}mg"')
    doc = leaflet.parse(text, "nbsp.yaml")
    pdf = tmp_path / "nbsp.pdf"
    leaflet.build(doc, pdf)
    assert leaflet.verify(doc, pdf) == []
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.rstrip() for line in out.splitlines()]
    broken = [f"{a!r} / {b!r}" for a, b in pairwise(lines) if a.endswith("80") or b.startswith("mg")]
    assert not broken, "\n".join(broken)
    # every dose (and the heading's) on one line (poppler reads the no-break space as a space)
    assert out.replace(space, " ").count("80 mg") == len(filler) - start + 1, out
    assert "Posologie :" in out.replace(space, " ")
