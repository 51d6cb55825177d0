"""leaflet verify: the PDF prints the content, in order, visibly, each text in its place."""
from __future__ import annotations

import leaflet
from leaflet.resources import locale_for
from leaflet.text.printed import printed_stream

from .conftest import MINIMAL


def test_printed_stream_is_in_the_order_the_pdf_prints(sample_doc, sample_read):
    text = "".join(sample_read.text.split())
    pos = 0
    for item in printed_stream(sample_doc.leaflet, locale_for("en").strings):
        found = text.find("".join(item.text.split()), pos)
        assert found >= 0, item
        pos = found


def test_printed_stream_marks_generated_text():
    doc = leaflet.parse(MINIMAL.replace("      - text: A paragraph.", "      - numbered: [One, Two]"), "t.yaml")
    stream = printed_stream(doc.leaflet, locale_for("en").strings)
    generated = [p.text for p in stream if p.generated]
    assert generated == ["Patient information leaflet", "Brand name:", "Drug class:", "Key facts", "Feature",
                         "Details", "1.", "2."]
    assert [p.text for p in stream if not p.generated] == ["Testamol", "Testa", "Test class", "Drug class",
                                                            "Test class", "About", "One", "Two"]
