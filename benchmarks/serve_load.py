"""Load test of ``leaflet serve`` on loopback: N concurrent requests at once, their latency.

    python benchmarks/serve_load.py [--requests 200] [--workers N] [--kind personalised|build|leaflets]
                                    [--language en] [--rounds 3]

Starts ``leaflet serve --port 0`` as a user does (the library is content/), waits until it is
ready (its build processes warmed up), sends one request of each kind to warm them, then, in each
round, opens ``--requests`` connections and sends every request at once (asyncio + httpx2, no
keep-alive). Reports, for each round and over all rounds: how many answered 200 (any other
status is an error, and the exit status is 1), p50, p95 and the slowest latency (from sending to
the whole answer) and the throughput. The requests:

- ``personalised`` (default): POST /leaflets/baclofen/{language}, a fictional prescription as JSON
  -> the personalised PDF (falls back to ``build`` when this leaflet has no personal panel yet);
- ``build``: POST /build with content/baclofen/{language}.yaml -> PDF;
- ``leaflets``: GET /leaflets (the service's overhead alone).

Run it with the interpreter you measure (e.g. .venv/bin/python); the README's Benchmark section
holds its numbers.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RX = {
    "patient": "Alex Example", "directions": "Take 1 tablet by mouth in the morning and 1 at bedtime",
    "purpose": "muscle spasms", "strength": "10 mg", "form": "tablets", "prescriber": "Dr. Sam Sample",
    "pharmacy": "Example Pharmacy", "pharmacy_address": "1 Sample Street, Exampleton",
    "pharmacy_phone": "555-0100", "rx_number": "RX-0001234", "dispensed": "2026-11-23",
    "quantity": "60 tablets", "refills": 2,
}


def start(workers: int | None) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "leaflet", "serve", "--port", "0", "--library", str(ROOT / "content")]
    if workers:
        command += ["--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "LEAFLET_SERVE_TOKEN"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                               cwd=ROOT)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("leaflet serve: ready on "):
            return process, line.split("ready on ", 1)[1].split()[0]
    raise SystemExit("leaflet serve did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


async def burst(url: str, n: int, request: dict) -> tuple[list[float], list[int], float]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        async def one() -> tuple[float, int]:
            t = time.perf_counter()
            r = await client.request(**request)
            await r.aread()
            return time.perf_counter() - t, r.status_code

        started = time.perf_counter()
        results = await asyncio.gather(*(one() for _ in range(n)))
        wall = time.perf_counter() - started
    return [t for t, _ in results], [s for _, s in results], wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None, help="build processes (default: the service's)")
    parser.add_argument("--kind", choices=("personalised", "build", "leaflets"), default="personalised")
    parser.add_argument("--language", default="en")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from leaflet import api

    kind = args.kind
    if kind == "personalised" and not hasattr(api, "build_personalised"):
        print("this version has no personal panel (api.build_personalised): measuring POST /build instead")
        kind = "build"
    content = (ROOT / "content" / "baclofen" / f"{args.language}.yaml").read_bytes()
    request = {
        "personalised": {"method": "POST", "url": f"leaflets/baclofen/{args.language}",
                         "content": json.dumps({**RX, "language": args.language}).encode(),
                         "headers": {"content-type": "application/json"}},
        "build": {"method": "POST", "url": "build", "content": content},
        "leaflets": {"method": "GET", "url": "leaflets"},
    }[kind]
    process, url = start(args.workers)
    try:
        health = httpx.get(url + "health").json()
        workers = health["workers"]
        with httpx.Client(base_url=url, timeout=600) as client:
            for _ in range(workers * 2):  # every build process has built this leaflet once
                r = client.request(**request)
                if r.status_code != 200:
                    raise SystemExit(f"warm-up request failed: {r.status_code} {r.text[:300]}")
        print(f"{args.requests} concurrent {request['method']} /{request['url']} ({kind}), {workers} build processes, "
              f"{os.cpu_count()} CPUs")
        everything: list[float] = []
        failures = 0
        for round_ in range(1, args.rounds + 1):
            latencies, statuses, wall = asyncio.run(burst(url, args.requests, request))
            bad = sum(1 for s in statuses if s != 200)
            failures += bad
            everything += latencies
            print(f"round {round_}: {args.requests - bad}/{args.requests} ok, "
                  f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
                  f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, slowest {max(latencies) * 1000:.0f} ms, "
                  f"{args.requests / wall:.1f} requests/s")
        print(f"all rounds: {len(everything) - failures}/{len(everything)} ok, "
              f"p50 {statistics.median(everything) * 1000:.0f} ms, p95 {percentile(everything, 0.95) * 1000:.0f} ms")
        return 1 if failures else 0
    finally:
        process.terminate()
        process.wait(30)


if __name__ == "__main__":
    sys.exit(main())
