"""How fast leaflet.personal.sheet.read_rows reads a sheet, and whether its memory stays flat.

    .venv/bin/python benchmarks/sheet_rows.py            # 1,000 and 10,000 rows, CSV and .xlsx
    .venv/bin/python benchmarks/sheet_rows.py --rows 1000,10000,50000 --kinds csv

Each size is generated once in a temporary folder (fictional patients), then read in a fresh
process, so that the peak memory (maxrss) is the reader's alone: it should not grow with the rows.
Rows per second are by CPU time (the wall time is printed too: on a busy machine it is larger).
"""
from __future__ import annotations

import argparse
import datetime
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = ["patient", "directions", "purpose", "strength", "form", "prescriber", "pharmacy", "pharmacy_address",
          "pharmacy_phone", "rx_number", "dispensed", "quantity", "refills", "language"]


def cells(n: int, excel: bool) -> list[object]:
    return [f"Patient {n}", "Take 1 tablet by mouth in the morning and 1 tablet at bedtime", "muscle spasms", "10 mg",
            "tablets", "Dr. Sam Sample", "Example Pharmacy", "1 Sample Street\nExampleton", "555-0100", f"RX-{n:07d}",
            datetime.datetime(2026, 11, 23) if excel else "2026-11-23", 60 if excel else "60 tablets", 2, "en"]


def write(path: Path, rows: int) -> None:
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(HEADER)
            for n in range(rows):
                out.writerow(cells(n, False))
    else:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Today")
        sheet.append(HEADER)
        for n in range(rows):
            sheet.append(cells(n, True))
        book.save(path)


def measure(path: str) -> None:
    """(in the child process) read every row; print rows, CPU s, wall s, maxrss MB."""
    from leaflet.personal.sheet import read_rows

    wall, cpu = time.perf_counter(), time.process_time()
    ok = sum(1 for result in read_rows(path) if result.ok)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(ok, cpu, wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default="1000,10000")
    ap.add_argument("--kinds", default="csv,xlsx")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure)
        return
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'sheet':>6} {'rows':>7} {'rows/s (CPU)':>13} {'CPU s':>7} {'wall s':>7} {'maxrss MB':>10}")
        for kind in args.kinds.split(","):
            for rows in (int(r) for r in args.rows.split(",")):
                path = Path(folder) / f"rows-{rows}.{kind}"
                write(path, rows)
                out = subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True,
                                     capture_output=True, text=True).stdout.split()
                ok, cpu, wall, rss = int(out[0]), float(out[1]), float(out[2]), float(out[3])
                assert ok == rows, (ok, rows)
                print(f"{kind:>6} {rows:>7,} {rows / cpu:>13,.0f} {cpu:>7.2f} {wall:>7.2f} {rss:>10.0f}")


if __name__ == "__main__":
    main()
