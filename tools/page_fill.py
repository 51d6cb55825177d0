"""Page fill of every sample and fixture, measured with poppler: how much of each page is left empty.

Builds each leaflet (every content/ and tests/fixtures/ file but the brand files, or the files
given) on each paper and theme, reads the PDF back with ``pdftotext -bbox`` (the measure of
tests/test_paper.py: the body's frame as the layout declares it, against poppler's word boxes, in
any script) and prints the share of each page's text area left empty below its last text, with
the PDF's digest: pages over a quarter (every page but the last) are marked OVER.

    .venv/bin/python tools/page_fill.py [FILE.yaml...] [--paper a5] [--theme large-print]
                                        [--rx PRESCRIPTION] [--brand BRAND.yaml]
                                        [--save RUN.json] [--compare RUN.json] [--out DIR]

``--rx`` builds each leaflet personalised (as ``leaflet build --rx``), the prescription's language
set to the leaflet's; ``--brand`` with a clinic's brand (repeat it with ``none`` for both).

``--save`` writes the digests and shares; ``--compare`` lists the PDFs whose bytes differ from
a saved run (which samples a layout change alters). Exit status 1 when a page is over a quarter.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAPERS = ("a4", "letter", "a5")
THEMES = ("default", "large-print")
MAX_EMPTY = 0.25


def leaflets() -> list[Path]:
    """Every sample and fixture leaflet (the brand files are not leaflets)."""
    return sorted([*ROOT.glob("content/**/*.yaml"),
                   *(p for p in (ROOT / "tests" / "fixtures").rglob("*.yaml") if "brand" not in p.parts)])


def measure(source: Path, paper: str, theme: str, folder: Path, rx: Path | None = None,
            brand: Path | None = None) -> tuple[str, list[float]]:
    """(the PDF's digest, the share of each page left empty) of one build: personalised with the
    prescription ``rx`` (its language the leaflet's) and the brand ``brand`` where given."""
    import leaflet
    from leaflet import api
    from tests.test_paper import check_pages, personalised

    pdf = folder / f"{name(source, paper, theme, rx, brand).replace('/', '_')}.pdf"
    if rx is not None:
        shares = personalised(source, pdf, paper, theme, brand, rx)
        return hashlib.sha256(pdf.read_bytes()).hexdigest()[:16], shares
    doc = leaflet.load(source)
    pdf.write_bytes(api.build_bytes(doc, paper=paper, theme=theme, brand=brand))
    loaded = api.load_brand(brand).brand if brand is not None else None
    return hashlib.sha256(pdf.read_bytes()).hexdigest()[:16], check_pages(doc, pdf, theme, paper, loaded)


def name(source: Path, paper: str, theme: str, rx: Path | None = None, brand: Path | None = None) -> str:
    where = source.resolve().relative_to(ROOT) if source.resolve().is_relative_to(ROOT) else source
    return f"{where} {paper} {theme}" + (" rx" if rx is not None else "") + (f" {brand.stem}" if brand else "")


def options(description: str) -> argparse.ArgumentParser:
    """The options that choose the builds (shared with tools/cut_words.py): files, papers, themes,
    prescription, brands, and the folder the PDFs are kept in."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("files", nargs="*", type=Path, help="leaflets (default: every sample and fixture)")
    ap.add_argument("--paper", action="append", choices=PAPERS, help="(repeatable; default: all)")
    ap.add_argument("--theme", action="append", choices=THEMES, help="(repeatable; default: both)")
    ap.add_argument("--rx", type=Path, help="build personalised with this prescription (its language the leaflet's)")
    ap.add_argument("--brand", action="append", type=Path,
                    help="with this clinic's brand (repeatable; 'none': without one)")
    ap.add_argument("--out", type=Path, help="keep the PDFs in this folder")
    return ap


def builds(args: argparse.Namespace) -> Iterator[tuple[Path, str, str, Path | None]]:
    """(leaflet, paper, theme, brand or None) of each build the options ask for."""
    for source in args.files or leaflets():
        for paper in args.paper or PAPERS:
            for theme in args.theme or THEMES:
                for brand in args.brand or [None]:
                    yield source, paper, theme, None if brand is not None and str(brand) == "none" else brand


def main() -> int:
    ap = options(__doc__.splitlines()[0])
    ap.add_argument("--save", type=Path, help="write the digests and shares to this JSON file")
    ap.add_argument("--compare", type=Path, help="list the PDFs whose bytes differ from this saved run")
    args = ap.parse_args()
    before = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    results: dict[str, tuple[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for source, paper, theme, brand in builds(args):
            digest, shares = measure(source, paper, theme, folder, args.rx, brand)
            key = name(source, paper, theme, args.rx, brand)
            results[key] = (digest, shares)
            worst = max(shares[:-1], default=0.0)
            print(f"{key:55} {digest} worst {worst:.2f} {shares}{'  OVER' if worst > MAX_EMPTY else ''}", flush=True)
    over = [k for k, (_, shares) in results.items() if any(s > MAX_EMPTY for s in shares[:-1])]
    print(f"{len(results)} PDFs: {len(over)} with a page (not the last) more than a quarter empty")
    if before is not None:
        changed = [k for k in results if k in before and before[k][0] != results[k][0]]
        print(f"{len(changed)} of {len(results)} differ in bytes from {args.compare}" + "".join(
            f"\n  {k}: worst {max(before[k][1][:-1], default=0):.2f} -> {max(results[k][1][:-1], default=0):.2f}"
            for k in changed))
    if args.save:
        args.save.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
