"""Regenerate the reference page images in tests/reference/ (see tests/reference/pages.json).

    python tools/update_reference_images.py [--check]

Builds each listed leaflet (paper, theme), renders the listed page with poppler's pdftoppm at
low resolution in grayscale and writes tests/reference/<name>.png. Run it after a deliberate
change of the layout, LOOK at the new images (and at full-size pages), and commit them with the
change. With --check it writes nothing and reports how far each page is from its reference
(what tests/test_reference_images.py checks).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "reference"
sys.path.insert(0, str(ROOT))

# how far a page may drift from its reference: poppler versions antialias a little differently
MAX_MEAN_DIFFERENCE = 1.0  # mean absolute difference per pixel, of 255
MAX_CHANGED_SHARE = 0.003  # share of pixels that differ by more than 64 (a stroke or glyph moved)


def render(entry: dict, dpi: int, folder: Path):
    """The listed page as a grayscale Pillow image."""
    from PIL import Image

    import leaflet

    doc = leaflet.load(ROOT / entry["source"])
    pdf = folder / f"{entry['name']}.pdf"
    brand = str(ROOT / entry["brand"]) if "brand" in entry else None  # a clinic's brand file (build --brand)
    pdf.write_bytes(leaflet.build_bytes(doc, paper=entry["paper"], theme=entry["theme"], brand=brand))
    out = folder / entry["name"]
    page = str(entry["page"])
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", page, "-l", page, "-singlefile", str(pdf), str(out)],
                   check=True)
    return Image.open(f"{out}.pgm").convert("L")


def difference(image, reference) -> tuple[float, float]:
    """(mean absolute difference per pixel, share of pixels that differ by more than 64)."""
    from PIL import ImageChops

    if image.size != reference.size:
        return 255.0, 1.0
    diff = ImageChops.difference(image, reference)
    histogram = diff.histogram()
    pixels = image.size[0] * image.size[1]
    mean = sum(value * n for value, n in enumerate(histogram)) / pixels
    changed = sum(histogram[65:]) / pixels
    return mean, changed


def manifest() -> dict:
    return json.loads((REFERENCE / "pages.json").read_text(encoding="utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = ap.parse_args()
    from PIL import Image

    spec = manifest()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in spec["pages"]:
            image = render(entry, spec["dpi"], Path(tmp))
            target = REFERENCE / f"{entry['name']}.png"
            if args.check:
                mean, changed = difference(image, Image.open(target).convert("L"))
                ok = mean <= MAX_MEAN_DIFFERENCE and changed <= MAX_CHANGED_SHARE
                bad += not ok
                print(f"{'ok  ' if ok else 'DIFF'} {entry['name']}: mean {mean:.2f}, changed {changed:.2%}")
            else:
                image.save(target, optimize=True)
                print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
