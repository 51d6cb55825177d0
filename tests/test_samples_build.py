"""Every translation of the sample leaflet builds, and the PDF prints it: `verify` passes, and
poppler (an independent reader) finds the doses with their units, no NUL or replacement
characters, every font embedded, and the document language set.

Every language has its locale and its script's fonts: a problem of any kind fails the test.
"""
from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest

import leaflet
from leaflet.text.printed import iter_texts

from .test_samples import FOLDER, LANGUAGES, UNITS, doses


def poppler(tool: str, pdf: Path, *args: str) -> str:
    return subprocess.run([tool, *args, str(pdf), "-"] if tool == "pdftotext" else [tool, str(pdf)],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_builds_and_prints_its_content(language: str, tmp_path: Path, has_poppler: None) -> None:
    path = FOLDER / f"{language}.yaml"
    assert leaflet.validate(path) == []
    doc = leaflet.load(path)
    pdf = leaflet.build(doc, tmp_path / f"baclofen-{language}.pdf")
    assert leaflet.verify(doc, pdf) == []

    # pdftotext marks right-to-left lines and the left-to-right runs in them with embeddings
    # (U+202A-U+202E): not part of the text
    text = re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFC", poppler("pdftotext", pdf)))
    assert "\x00" not in text and "\ufffd" not in text
    flat = re.sub(r"\s+", " ", text)
    en = dict(iter_texts(leaflet.load(FOLDER / "en.yaml").leaflet))
    wanted = sum((doses(t, UNITS[language]) for t in en.values()), start=doses(""))
    found = doses(flat)
    for dose, count in wanted.items():
        if dose[1]:  # a number with its unit: the dose as the reader sees it
            assert found[dose] >= count, f"{dose} printed {found[dose]} times, expected {count}"

    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(" yes yes yes " in row for row in fonts), fonts  # embedded, subset, ToUnicode
    assert str(pypdf.PdfReader(pdf).trailer["/Root"]["/Lang"]) == language
