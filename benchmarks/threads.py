"""Benchmark: shared state in one process.

    python benchmarks/threads.py [--builds 200] [--threads 8] [--names 50000]

1. Builds in threads: the sample in en, ar and he built alone (the reference bytes), then
   ``--builds`` builds alternating en/ar/he in a ThreadPoolExecutor of ``--threads``; prints how
   many PDFs differ from the reference (0: builds in threads give the bytes of a build alone).
2. The shaping cache over a batch of distinct names: ``--names`` distinct Arabic words shaped
   one after the other (as the personal panels of a long batch shape their names); prints the
   cache's size and the memory it holds (tracemalloc) at each tenth, with the cache bounded
   (shaping.MAX_SHAPED) and, for comparison, unbounded.

Run it with the interpreter you measure (e.g. .venv/bin/python).
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet import api  # noqa: E402
from leaflet.typeset import shaping  # noqa: E402
from leaflet.typeset.fonts import fonts_for  # noqa: E402

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def builds(n: int, threads: int) -> None:
    langs = ["en", "ar", "he"]
    docs = {lang: api.load(ROOT / "content" / "baclofen" / f"{lang}.yaml") for lang in langs}
    alone = {lang: hashlib.sha256(api.build_bytes(doc)).hexdigest() for lang, doc in docs.items()}
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        got = list(pool.map(lambda i: hashlib.sha256(api.build_bytes(docs[langs[i % 3]])).hexdigest(), range(n)))
    differ = [(i, langs[i % 3]) for i, h in enumerate(got) if h != alone[langs[i % 3]]]
    print(f"builds in {threads} threads: {n} builds (en/ar/he in turn) in {time.perf_counter() - started:.1f} s, "
          f"{len(differ)} differ from the build alone{': ' + str(differ[:10]) if differ else ''}")


def names(n: int, bound: int) -> None:
    rng = random.Random(5)
    font = fonts_for("Arab").regular
    shaping._SHAPED.clear()
    shaping.MAX_SHAPED = bound
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    shown = []
    for i in range(1, n + 1):
        word, k = rng.choice(LETTERS), i  # every name a new one: i written in letters, after a random one
        while k:
            k, digit = divmod(k, len(LETTERS))
            word += LETTERS[digit]
        shaping.shape(font, word, 0, len(word), True)
        if i % (n // 10) == 0:
            shown.append(f"{i}: {len(shaping._SHAPED)} runs, {(tracemalloc.get_traced_memory()[0] - base) / 1e6:.1f} MB")
    tracemalloc.stop()
    print(f"shaping cache, bound {bound}: " + "; ".join(shown))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--builds", type=int, default=200)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--names", type=int, default=50000)
    args = ap.parse_args()
    if args.builds:
        builds(args.builds, args.threads)
    if args.names:
        bound = shaping.MAX_SHAPED
        names(args.names, bound)
        names(args.names, 10**9)  # unbounded, as before
        shaping.MAX_SHAPED = bound


if __name__ == "__main__":
    main()
