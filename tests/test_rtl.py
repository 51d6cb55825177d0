"""Right-to-left leaflets: shaped Arabic, UAX #9 line order, the mirrored page, read-back.

Checked with independent readers: poppler (pdftotext -bbox for positions, pdftoppm for pixels,
pdfinfo) and pypdf, and python-bidi's own reordering for the expected visual order."""
from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

import leaflet
from leaflet.check.verify import verify

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "scripts"
LOCALES = FIXTURES / "locales"
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def build(name: str) -> tuple[leaflet.Document, bytes]:
    doc = leaflet.load(FIXTURES / name, locales=[LOCALES])
    return doc, leaflet.build_bytes(doc)


def bbox_words(pdf: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, str]]]:
    """pdftotext -bbox: per page, the words as (x0, x1, y, text)."""
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(float(a), float(c), float(b), html.unescape(t)) for a, b, c, d, t in _WORD.findall(page)])
    return pages


_BUILD = """
import hashlib, sys
import reportlab.pdfbase.ttfonts as t
if sys.argv[1] == "without": t.uharfbuzz = None  # what ReportLab sees when uharfbuzz is not installed
import leaflet
doc = leaflet.load(sys.argv[2], locales=sys.argv[3:])
print(hashlib.sha256(leaflet.build_bytes(doc)).hexdigest())
"""


@pytest.mark.parametrize("content", ["content/baclofen/en.yaml", "tests/fixtures/scripts/ar.yaml"])
def test_output_does_not_depend_on_reportlab_seeing_harfbuzz(content):
    """ReportLab switches its own shaping on where it can import uharfbuzz; leaflet's fonts never
    let it: the same bytes whether ReportLab sees HarfBuzz or not (shaping is leaflet's own)."""
    digests = {subprocess.run([sys.executable, "-c", _BUILD, how, str(ROOT / content), str(LOCALES)], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
               for how in ("with", "without")}
    assert len(digests) == 1, digests
    for first in ("content/baclofen/en.yaml", "tests/fixtures/scripts/ar.yaml"):  # whatever was built before
        leaflet.build_bytes(leaflet.load(ROOT / first, locales=[LOCALES]))
        doc = leaflet.load(ROOT / content, locales=[LOCALES])
        assert digests == {hashlib.sha256(leaflet.build_bytes(doc)).hexdigest()}  # and in this process too


@pytest.mark.parametrize("fixture", ["ar.yaml", "he.yaml"])
def test_rtl_leaflets_verify_and_read_back_logically_with_pypdf(fixture):
    import io

    from pypdf import PdfReader

    doc, pdf = build(fixture)
    assert verify(doc, pdf) == []
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert not any(0xE000 <= ord(ch) <= 0xF8FF or ord(ch) >= 0xF0000 for ch in text)  # no private-use codes
    assert not any(0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF for ch in text)  # no presentation forms
    name = doc.leaflet.medicine.name
    assert name in text  # the name in logical order (a reversed read-back would not hold it)
