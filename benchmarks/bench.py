"""Benchmark: leaflet against a bare ReportLab build of the same leaflet.

    python benchmarks/bench.py [CONTENT.yaml] [--runs N] [--long 60,300,600] [--long-runs N]

Reports, for leaflet and for the bare baseline (benchmarks/bare_reportlab.py):
- warm ms per document: median (and least) CPU time of N builds in one process, after one
  warm-up, taken in turns with the baseline (leaflet: load + validate + glyph check + layout +
  render, to bytes);
- process s: median (and least) wall time of N whole-process builds writing a file, taken in
  turns with the baseline (so that a busy machine slows both alike), with compiled bytecode
  (leaflet and the baseline are compiled first and run without PYTHONDONTWRITEBYTECODE, as an
  installed package runs)
  (the ``leaflet build`` command installed beside the interpreter, else
  ``python -m leaflet build``, vs ``python benchmarks/bare_reportlab.py``);
- PDF bytes.
Then, for long leaflets of a fictional medicine (benchmarks/long_leaflet.py) of about
60, 300 and 600 pages (``--long``): seconds to build (load + validate + render, to
bytes) and to verify (read the PDF back and match it against the content), median of
``--long-runs`` runs each, and verify's share of build time (the aim: at most 2).
Then (``--rtl``, default ``ar,he``) the right-to-left samples content/baclofen/<lang>.yaml (shaped,
bidi-ordered) against the English one: warm ms per document (CPU time, median of ``--runs``,
measured in turns after a warm-up, so the shaping cache is warm as in any build after the first)
and the ratio (the aim: at most 2). Where a bundled locale is missing, the test locales in
tests/fixtures/scripts/locales are used.
Run it with the interpreter you measure (e.g. .venv/bin/python).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


class Timing(NamedTuple):
    median: float
    min: float


def interleaved(fns: list, runs: int, clock=time.perf_counter) -> list[Timing]:
    """Median and least time of each function, measured in turns (a, b, a, b, …) after one warm-up
    each, so that a busy machine slows both sides alike and the ratio stays fair."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, times):
            t = clock()
            fn()
            out.append(clock() - t)
    return [Timing(statistics.median(t), min(t)) for t in times]


def compiled_env() -> dict[str, str]:
    """The environment for whole-process runs: bytecode compiled and used, as an installed
    package has it. With PYTHONDONTWRITEBYTECODE set (as on the development machines) an
    editable install would recompile leaflet's changed modules at every start, and the process
    column would measure the compiler: so compile leaflet and the baseline first, and run both
    sides with the variable unset."""
    import compileall

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for folder in (ROOT / "leaflet", ROOT / "benchmarks"):
        compileall.compile_dir(str(folder), quiet=1)
    return env


def run_process(cmd: list[str], env: dict[str, str]):
    return lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("content", nargs="?", default="content/baclofen/en.yaml")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--long", default="60,300,600", help="page counts of the long leaflets ('' for none)")
    ap.add_argument("--long-runs", type=int, default=3)
    ap.add_argument("--rtl", default="ar,he", help="right-to-left samples to compare with English ('' for none)")
    args = ap.parse_args()
    if args.rtl:
        right_to_left([lang for lang in args.rtl.split(",") if lang], args.runs)
    content = str((ROOT / args.content).resolve())

    import warm_builds

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "leaflet.pdf"
        bare = Path(tmp) / "bare.pdf"

        def leaflet_once() -> bytes:
            return warm_builds.leaflet_once(content)

        def bare_once() -> bytes:
            return warm_builds.bare_once(content)

        script = Path(sys.executable).parent / "leaflet"  # the installed command, as a user runs it
        command = [str(script)] if script.is_file() else [sys.executable, "-m", "leaflet"]
        # warm: CPU time of the process (other processes' load counts less); process: wall time
        lw, bw = interleaved([leaflet_once, bare_once], args.runs, time.process_time)
        env = compiled_env()
        lp, bp = interleaved([
            run_process(command + ["build", content, "-o", str(ours)], env),
            run_process([sys.executable, str(ROOT / "benchmarks" / "bare_reportlab.py"), content, str(bare)], env),
        ], args.runs)
        out["leaflet"] = (lw, lp, len(leaflet_once()))
        out["bare ReportLab"] = (bw, bp, len(bare_once()))
    print(f"content: {args.content}   runs: {args.runs}   python: {sys.executable}")
    print(f"{'':16} {'warm ms/doc':>12} {'(least)':>8} {'process s':>10} {'(least)':>8} {'PDF bytes':>10}")
    for name, (w, p, b) in out.items():
        print(f"{name:16} {w.median * 1000:12.1f} {w.min * 1000:8.1f} {p.median:10.3f} {p.min:8.3f} {b:10,}")
    (lw, lp, _), (bw, bp, _) = out["leaflet"], out["bare ReportLab"]
    print(f"{'ratio':16} {lw.median / bw.median:12.2f} {lw.min / bw.min:8.2f} {lp.median / bp.median:10.2f} "
          f"{lp.min / bp.min:8.2f}")
    if args.long:
        long_leaflets([int(n) for n in args.long.split(",")], args.long_runs)


def right_to_left(languages: list[str], runs: int) -> None:
    """Warm build time of the right-to-left samples against the English one (the aim: at most 2x)."""
    import leaflet

    bundled = all((ROOT / "leaflet" / "data" / "locales" / f"{lang}.json").is_file() for lang in languages)
    locales = [] if bundled else [ROOT / "tests" / "fixtures" / "scripts" / "locales"]
    sources = {"en": ROOT / "content" / "baclofen" / "en.yaml",
               **{lang: ROOT / "content" / "baclofen" / f"{lang}.yaml" for lang in languages}}
    fns = [lambda src=src: leaflet.build_bytes(leaflet.load(src, locales=locales)) for src in sources.values()]
    times = interleaved(fns, runs, time.process_time)
    print(f"right to left (content/baclofen), warm CPU ms per document, median (and least) of {runs}")
    print(f"{'language':9} {'warm ms/doc':>12} {'vs en':>6} {'(least)':>8} {'vs en':>6} {'pages':>6}")
    en = times[0]
    for (lang, src), t in zip(sources.items(), times):
        pages = leaflet.build_bytes(leaflet.load(src, locales=locales)).count(b"/Type /Page\n")
        print(f"{lang:9} {t.median * 1000:12.1f} {t.median / en.median:6.2f} {t.min * 1000:8.1f} "
              f"{t.min / en.min:6.2f} {pages:6}")
    print()


def long_leaflets(sizes: list[int], runs: int) -> None:
    """Build and verify time for long leaflets: verify must stay linear (at most 2x build)."""
    import long_leaflet

    import leaflet
    from leaflet.check.verify import match

    print(f"\nlong leaflets (benchmarks/long_leaflet.py), median of {runs} run{'s' if runs != 1 else ''}")
    print(f"{'pages':>6} {'build s':>9} {'verify s':>9} {'verify/build':>13}")
    for size in sizes:
        text = long_leaflet.content(long_leaflet.sections_for(size))
        builds, verifies = [], []
        for _ in range(runs):
            t = time.perf_counter()
            doc = leaflet.parse(text, "long.yaml")
            pdf = leaflet.build_bytes(doc)
            builds.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = match(doc, pdf)
            verifies.append(time.perf_counter() - t)
            if result.problems:
                raise SystemExit(f"verify found problems in the long leaflet: {result.problems[:3]}")
        b, v = statistics.median(builds), statistics.median(verifies)
        print(f"{result.pages:6} {b:9.2f} {v:9.2f} {v / b:13.2f}")


if __name__ == "__main__":
    main()
