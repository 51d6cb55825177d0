"""Benchmark: leaflet batch (lay out once, stamp many) against single personalised builds, in one run.

    python benchmarks/batch.py [--sizes 1,100,1000,10000] [--jobs 2] [--languages en=8,es=1,ar=1] [--keep DIR]
                               [--varied]

Writes sheets of fictional prescriptions (names made up from syllables, every row different;
languages mixed as --languages says), then for each size runs ``leaflet batch content/baclofen/
SHEET -o DIR/ -j JOBS -q`` as a whole process (a fresh output folder: everything is built) and
reports its wall time, the milliseconds per leaflet after the first ((T(n) - T(1)) / (n - 1)) in
wall time and in CPU time of all its processes (on a busy machine the CPU time is the steadier),
and the largest resident set size of any of its processes (the parent and each worker:
``getrusage(RUSAGE_CHILDREN)`` of a wrapper process). Then, for comparison in the same run: a
single ``leaflet build content/baclofen/en.yaml --rx examples/prescription.yaml`` (whole process)
and ``api.build_personalised`` warm in one process (median of 9), and a stamp warm in one process
(``api.stamp_personalised``, median of 200) per language. Run it with the interpreter you measure
(e.g. .venv/bin/python).
"""
from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["patient", "directions", "purpose", "strength", "form", "prescriber", "pharmacy", "pharmacy_address",
          "pharmacy_phone", "rx_number", "dispensed", "quantity", "refills", "language"]
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "da", "fe", "gu", "ha", "jo", "ly", "pe"]
ARABIC = ["سا", "مي", "نو", "را", "لي", "كا", "دو", "فا"]
DIRECTIONS = {"en": "Take 1 tablet by mouth in the morning and 1 at bedtime",
              "es": "Tome 1 tableta por la mañana y 1 al acostarse",
              "ar": "تناول قرصاً واحداً صباحاً وقرصاً واحداً عند النوم"}


def name(rng: random.Random, language: str) -> str:
    parts = ARABIC if language == "ar" else SYLLABLES
    return " ".join("".join(rng.choice(parts) for _ in range(rng.randint(2, 3))).title() for _ in range(2))


# --varied: panels of several heights (each its own layout of the leaflet, see leaflet.api.Template)
EXTRA = {"en": " Swallow it whole with water, with or after food. Do not stop taking it suddenly.",
         "es": " Tráguela entera con agua, con o después de la comida. No deje de tomarla de repente.",
         "ar": " ابتلعه كاملاً مع الماء، مع الطعام أو بعده. لا تتوقف عن تناوله فجأة."}
ADDRESSES = ["1 Sample Street, Exampleton", "Unit 4, The Old Mill\n1 Sample Street\nExampleton EX1 2AB"]


def write_sheet(path: Path, n: int, mix: list[tuple[str, int]], seed: int = 7, varied: bool = False) -> None:
    rng = random.Random(seed)
    languages = [lang for lang, weight in mix for _ in range(weight)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(n):
            lang = languages[i % len(languages)]
            directions, purpose, address = DIRECTIONS[lang], "muscle spasms", ADDRESSES[0]
            if varied:
                directions += EXTRA[lang] * rng.randint(0, 2)
                purpose = rng.choice(["muscle spasms", ""])
                address = rng.choice(ADDRESSES)
            w.writerow([name(rng, lang), directions, purpose, "10 mg", "tablets", "Dr. Sam Sample",
                        "Example Pharmacy", address, "555-0100", f"RX-{i:07d}",
                        "2026-11-23", f"{rng.choice([30, 60, 90])} tablets", str(rng.randint(0, 5)), lang])


WRAPPER = """
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime)
"""


def leaflet_command() -> list[str]:
    exe = Path(sys.executable).with_name("leaflet")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "leaflet"]


def timed(cmd: list[str]) -> tuple[float, int, float]:
    """Wall seconds, the largest RSS of any process (KB) and the CPU seconds of them all."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], check=True, capture_output=True, text=True,
                         cwd=ROOT).stdout.split()
    return float(out[0]), int(out[1]), float(out[2])


def warm() -> None:
    import msgspec

    import leaflet
    from leaflet import api
    from leaflet.personal import rxfile

    rx = rxfile.load(ROOT / "examples" / "prescription.yaml")
    doc = leaflet.load(ROOT / "content" / "baclofen" / "en.yaml")
    api.build_personalised(doc, rx)
    times = []
    for _ in range(9):
        t = time.process_time()
        api.build_personalised(doc, rx)
        times.append(time.process_time() - t)
    print(f"single build (build_personalised, warm, CPU): {statistics.median(times) * 1000:.1f} ms")
    for lang in ("en", "es", "ar"):
        d = leaflet.load(ROOT / "content" / "baclofen" / f"{lang}.yaml")
        r = msgspec.structs.replace(rx, language=lang)
        t0 = time.process_time()
        template = api.template(d)
        t1 = time.process_time()
        times = []
        for i in range(200):
            one = msgspec.structs.replace(r, rx_number=f"RX-{i:06d}", patient=f"Kalo Mine {i}")
            t = time.process_time()
            api.stamp_personalised(template, one)
            times.append(time.process_time() - t)
        print(f"  {lang}: template {1000 * (t1 - t0):.0f} ms once, then a stamp {statistics.median(times) * 1000:.2f} ms "
              "(warm, CPU, median of 200)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,100,1000,10000")
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--languages", default="en=8,es=1,ar=1")
    ap.add_argument("--keep", help="keep the sheets and outputs in this folder")
    ap.add_argument("--no-warm", action="store_true", help="leave out the in-process measures")
    ap.add_argument("--varied", action="store_true",
                    help="prescriptions of several panel heights (directions of 1 to 3 sentences, with or without a "
                         "purpose, addresses of 1 or 3 lines), not all alike")
    args = ap.parse_args()
    mix = [(part.split("=")[0], int(part.split("=")[1])) for part in args.languages.split(",")]
    sizes = [int(s) for s in args.sizes.split(",")]
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="leaflet-batch-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    cmd = leaflet_command()
    try:
        t_single, rss_single, _ = timed([*cmd, "build", "content/baclofen/en.yaml", "--rx", "examples/prescription.yaml",
                                      "-o", str(base / "single.pdf")])
        print(f"single build (leaflet build --rx, whole process): {t_single:.2f} s, {rss_single / 1024:.0f} MB")
        first = first_cpu = None
        for n in sizes:
            sheet = base / f"rx-{n}.csv"
            write_sheet(sheet, n, mix, varied=args.varied)
            out = base / f"out-{n}"
            shutil.rmtree(out, ignore_errors=True)
            t, rss, cpu = timed([*cmd, "batch", "content/baclofen/", str(sheet), "-o", f"{out}/", "-j", args.jobs,
                                 "-q"])
            if first is None:
                first, first_cpu = t, cpu
            per = ""
            if n > 1 and first is not None and first_cpu is not None:
                per = (f", {(t - first) / (n - 1) * 1000:.2f} ms per leaflet after the first "
                       f"({(cpu - first_cpu) / (n - 1) * 1000:.2f} ms of CPU, all processes)")
            print(f"batch of {n} (-j {args.jobs}): {t:.2f} s{per}, largest process {rss / 1024:.0f} MB")
        if not args.no_warm:
            warm()
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
