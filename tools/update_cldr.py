"""Write leaflet/data/cldr.json: the CLDR data the footers of the bundled locales need, from Babel.

    python tools/update_cldr.py [--check]

For each CLDR locale a bundled locale file names (its ``cldr``), plus the regional variants listed
in EXTRA: the long date pattern, the month-and-year pattern (skeleton yMMMM), the wide month names
(format and stand-alone forms) and the default numbering system. leaflet formats those locales'
dates from this table without importing Babel (about 30 ms of every start); every other locale is
formatted by Babel itself. Run this after upgrading Babel (tests/test_locales.py fails when the
table no longer formats exactly as Babel does); --check only compares.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "leaflet" / "data" / "cldr.json"
EXTRA = ["en_US", "ar_EG", "ar_SA"]  # leaflets tagged en-US, ar-EG, ar-SA find a bundled locale


def build() -> dict:
    import babel
    from babel import Locale

    ids = set(EXTRA)
    for path in sorted((ROOT / "leaflet" / "data" / "locales").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        ids.add(str(Locale.parse((data.get("cldr") or data["language"]).replace("-", "_"))))
    out = {}
    for cldr in sorted(ids):
        locale = Locale.parse(cldr)
        out[cldr] = {
            "long": locale.date_formats["long"].pattern,
            "month_year": locale.datetime_skeletons["yMMMM"].pattern,
            "months": {form: [locale.months[form]["wide"][m] for m in range(1, 13)]
                       for form in ("format", "stand-alone")},
            "numbering": locale.default_numbering_system,
        }
    return {"_comment": f"Written by tools/update_cldr.py from Babel {babel.__version__} "
                        "(CLDR data); do not edit by hand.", "locales": out}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args()
    text = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print("cldr.json is up to date" if same else "cldr.json differs from Babel's data: run tools/update_cldr.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
