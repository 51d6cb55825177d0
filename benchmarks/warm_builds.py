"""Warm builds for counting instructions (README, Benchmark; bench.py times the same two
builds): build the sample with leaflet and with the bare ReportLab script once each (the
warm-up, as bench.py's warm runs have both in one process), then N more times with one of them.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python benchmarks/warm_builds.py leaflet 5
    (the same with 0) -> the difference of the two "Collected" counts, divided by 5, is one warm build

Run from the repository's root, with compiled bytecode (python -m compileall -q leaflet benchmarks).
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bare_reportlab  # noqa: E402

import leaflet  # noqa: E402

SOURCE = str(ROOT / "content" / "baclofen" / "en.yaml")


def leaflet_once(source: str = SOURCE) -> bytes:
    """One leaflet build of ``source``: load, validate, check, lay out and render, to bytes."""
    return leaflet.build_bytes(leaflet.load(source))


def bare_once(source: str = SOURCE) -> bytes:
    """One build of ``source`` by the bare ReportLab script, to bytes."""
    out = io.BytesIO()
    bare_reportlab.build(source, out)
    return out.getvalue()


def main() -> None:
    which, runs = sys.argv[1], int(sys.argv[2])
    build = {"leaflet": leaflet_once, "bare": bare_once}[which]
    leaflet_once()
    bare_once()
    for _ in range(runs):
        build()


if __name__ == "__main__":
    main()
