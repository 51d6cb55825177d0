"""Benchmark: leaflet against a bare ReportLab build of the same leaflet.

    python benchmarks/bench.py [CONTENT.yaml] [--runs N]

Reports, for leaflet and for the bare baseline (benchmarks/bare_reportlab.py):
- warm ms per document: median of N builds in one process, after one warm-up
  (leaflet: load + validate + glyph check + layout + render, to bytes);
- process s: median wall time of N whole-process builds writing a file
  (the ``leaflet build`` command installed beside the interpreter, else
  ``python -m leaflet build``, vs ``python benchmarks/bare_reportlab.py``);
- PDF bytes.
Run it with the interpreter you measure (e.g. .venv/bin/python).
"""
from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def warm_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def process_s(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("content", nargs="?", default="content/baclofen/en.yaml")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    content = str((ROOT / args.content).resolve())

    import bare_reportlab

    import leaflet

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "leaflet.pdf"
        bare = Path(tmp) / "bare.pdf"

        def leaflet_once() -> bytes:
            return leaflet.build_bytes(leaflet.load(content))

        def bare_once() -> bytes:
            buf = io.BytesIO()
            bare_reportlab.build(content, buf)
            return buf.getvalue()

        script = Path(sys.executable).parent / "leaflet"  # the installed command, as a user runs it
        command = [str(script)] if script.is_file() else [sys.executable, "-m", "leaflet"]
        out["leaflet"] = (
            warm_ms(leaflet_once, args.runs),
            process_s(command + ["build", content, "-o", str(ours)], args.runs),
            len(leaflet_once()),
        )
        out["bare ReportLab"] = (
            warm_ms(bare_once, args.runs),
            process_s([sys.executable, str(ROOT / "benchmarks" / "bare_reportlab.py"), content, str(bare)],
                      args.runs),
            len(bare_once()),
        )
    print(f"content: {args.content}   runs: {args.runs}   python: {sys.executable}")
    print(f"{'':16} {'warm ms/doc':>12} {'process s':>10} {'PDF bytes':>10}")
    for name, (w, p, b) in out.items():
        print(f"{name:16} {w:12.1f} {p:10.3f} {b:10,}")
    (lw, lp, _), (bw, bp, _) = out["leaflet"], out["bare ReportLab"]
    print(f"{'ratio':16} {lw / bw:12.2f} {lp / bp:10.2f}")


if __name__ == "__main__":
    main()
