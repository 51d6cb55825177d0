"""Does loading stay linear in the size of the leaflet? (load = parse YAML + validate)

    .venv/bin/python benchmarks/scale.py [PAGES ...]      # default: 100 1000 3000
    .venv/bin/python benchmarks/scale.py --build 100      # also lay out and render

Generates a fictional leaflet of about PAGES pages (sections of a heading, three paragraphs,
a bullet list and a table; --build shows the real page count) and prints, for each size, the file size, the time to
load it with the garbage collector paused during parsing (as leaflet does) and with it left
running (as before), and milliseconds per page.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import leaflet
from leaflet.content import loader

HEAD = """\
language: en
medicine:
  name: Testamol
  brands: [Testa]
  class: Test class
revision:
  date: "2026-01-02"
  version: "3"
key_facts:
  rows:
    - label: Drug class
      value: Test class
sections:
"""
SECTION = """\
  - heading: Part {n} of the fictional leaflet
    blocks:
      - text: "Paragraph one of part {n}. Testamol is a fictional medicine used only to test how leaflet
          lays out long documents, with **bold** words now and then."
      - text: "Paragraph two of part {n}. Take it as the fictional label says; this sentence is here to
          fill the line and the next one too, as leaflets do."
      - bullets:
          - First point of part {n}
          - "**Second point:** with a bold lead"
          - Third point of part {n}
      - text: "Paragraph three of part {n}, which closes the section before its table of symptoms and what to do about them."
      - table:
          header: [Symptom, What to do]
          rows:
            - [Headache, Rest and drink water]
            - [Rash, Call your doctor]
"""
TAIL = "disclaimer: Fictional content for a benchmark.\n"


SECTIONS_PER_PAGE = 8 / 3  # measured: 100 pages of A4 in the default theme take about 267 sections


def leaflet_text(pages: int) -> str:
    return HEAD + "".join(SECTION.format(n=n) for n in range(round(pages * SECTIONS_PER_PAGE))) + TAIL


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()  # CPU time: other processes on the machine do not count
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="*", type=int, default=[100, 1000, 3000])
    ap.add_argument("--build", action="store_true", help="also time build_bytes (slow for big sizes)")
    args = ap.parse_args()
    print("| pages | YAML bytes | load, gc paused CPU s | ms/page | load, gc running CPU s | ms/page |"
          + (" build CPU s | PDF pages |" if args.build else ""))
    print("|---|---|---|---|---|---|" + ("---|---|" if args.build else ""))
    real_disable = gc.disable
    for pages in args.pages:
        text = leaflet_text(pages)
        repeat = 3 if pages <= 3000 else 1
        def load(text: str = text) -> None:
            leaflet.parse(text, "bench.yaml")

        paused = timed(load, repeat)
        gc.disable = lambda: None  # the loader's pause does nothing: gc runs as it did before
        try:
            running = timed(load, repeat)
        finally:
            gc.disable = real_disable
        row = (f"| {pages:,} | {len(text.encode()):,} | {paused:.3f} | {paused / pages * 1000:.2f} | "
               f"{running:.3f} | {running / pages * 1000:.2f} |")
        if args.build:
            import io

            from pypdf import PdfReader

            doc = leaflet.parse(text, "bench.yaml")
            start = time.perf_counter()
            pdf = leaflet.build_bytes(doc)
            row += f" {time.perf_counter() - start:.2f} | {len(PdfReader(io.BytesIO(pdf)).pages)} |"
        print(row, flush=True)
    assert loader  # imported to show where the pause is: leaflet.content.loader.parse


if __name__ == "__main__":
    main()
