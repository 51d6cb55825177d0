"""Fan a batch of personalised leaflets out with Dask bag (pip install "leaflet[dask]").

    python examples/dask_batch.py content/baclofen/ prescriptions.csv out/ [--scheduler processes|ADDRESS]

A batch is a list of independent jobs (leaflet.batch.Job): each names the leaflet's folder, holds
one validated prescription and where its PDF goes. ``leaflet.batch.build_job`` builds one in any
process (each worker lays each language out once, then stamps), so Dask only maps it over the
list: locally over processes, or on a cluster (``--scheduler tcp://host:8786``, with
dask.distributed; the content folder and the output folder must be on every worker's file
system). Rows with problems are reported here, by row and column, never their values.
"""
from __future__ import annotations

import argparse
import sys

import dask.bag as db

from leaflet.batch import Bad, Job, Result, build_job, jobs_from_sheet


def fan_out(jobs: list[Job], scheduler: str = "processes", partitions: int = 0) -> list[Result]:
    """Build every job with Dask bag; the results come back in the jobs' order."""
    bag = db.from_sequence(jobs, npartitions=partitions or max(1, min(len(jobs), 64)))
    if scheduler in ("processes", "threads", "synchronous", "sync"):
        return bag.map(build_job).compute(scheduler=scheduler)
    from dask.distributed import Client  # a cluster: pip install "dask[distributed]"

    with Client(scheduler) as client:
        return bag.map(build_job).compute(scheduler=client)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("content")
    ap.add_argument("sheet")
    ap.add_argument("out")
    ap.add_argument("--scheduler", default="processes")
    args = ap.parse_args(argv)
    jobs, bad = [], 0
    for item in jobs_from_sheet(args.content, args.sheet, args.out):
        if isinstance(item, Bad):
            bad += 1
            for d in item.problems:
                print(d, file=sys.stderr)
        else:
            jobs.append(item)
    results = fan_out(jobs, args.scheduler)
    failed = [r for r in results if not r.ok]
    for r in failed:
        for d in r.problems:
            print(d, file=sys.stderr)
        if r.error:
            print(r.error, file=sys.stderr)
    print(f"{sum(r.status == 'written' for r in results)} written, {len(failed) + bad} rows failed")
    return 2 if failed or bad else 0


if __name__ == "__main__":
    sys.exit(main())
