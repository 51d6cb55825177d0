"""A long leaflet of a fictional medicine ("Longamol"), for timing build and verify.

    python benchmarks/long_leaflet.py PAGES > long.yaml

``content(sections)`` returns the leaflet as YAML (JSON is YAML) with that many
sections; each section has every kind of block (paragraphs, a sub-heading, bullets,
numbered steps, both kinds of side-effect callout, a precaution, a question, a
table) and prints about 1.3 A4 pages. ``sections_for(pages)`` estimates how many
sections give a leaflet of about that many pages. The text is made up and says
nothing about any real medicine.
"""
from __future__ import annotations

import json
import sys

PAGES_PER_SECTION = 1.33


def section(n: int) -> dict:
    words = " ".join(f"word{n}x{k}" for k in range(18))
    para = (f"Longamol paragraph {n}: this made-up text stands in for what a leaflet says about its medicine. "
            f"It runs over several lines so that lines break as in a real leaflet. {words}.")
    return {
        "heading": f"Section {n}: about Longamol",
        "blocks": [
            {"text": para},
            {"text": para + "\n\nA second paragraph after a blank line, so the block prints two."},
            {"subheading": f"Part {n}.1"},
            {"bullets": [f"**Lead {n}.{k}:** a bullet with a bold lead and some words after it" for k in range(5)]},
            {"numbered": [f"Step {k} of the made-up instructions in section {n}" for k in range(1, 4)]},
            {"side_effects": {"severity": "common", "title": f"Common effects {n}",
                              "items": [f"Made-up common effect {n}.{k}" for k in range(4)]}},
            {"side_effects": {"severity": "serious", "title": f"Serious effects {n}",
                              "action": "Get medical help now if you have any of these:",
                              "items": [f"Made-up serious effect {n}.{k}" for k in range(4)]}},
            {"precaution": {"title": f"Precaution {n}", "text": para}},
            {"qa": {"question": f"Question {n}: can I take Longamol with food?", "answer": para}},
            {"table": {"caption": f"Table {n}", "header": ["Symptom", "What to do"],
                       "rows": [[f"Symptom {n}.{k}", "Call your doctor"] for k in range(5)]}},
        ],
    }


def content(sections: int) -> str:
    return json.dumps({
        "language": "en",
        "medicine": {"name": "Longamol", "brands": ["Longa"], "class": "Made-up class"},
        "revision": {"date": "2026-01-02", "version": "1"},
        "key_facts": {"rows": [{"label": f"Fact {k}", "value": f"Made-up value {k}"} for k in range(6)]},
        "sections": [section(n) for n in range(1, sections + 1)],
        "disclaimer": "A made-up leaflet for timing leaflet. Not about any real medicine.",
    }, indent=1)


def sections_for(pages: int) -> int:
    return max(1, round(pages / PAGES_PER_SECTION))


if __name__ == "__main__":
    sys.stdout.write(content(sections_for(int(sys.argv[1]) if len(sys.argv) > 1 else 60)))
