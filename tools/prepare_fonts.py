"""Prepare the bundled fonts in ``fonts/`` from upstream TrueType files.

Run once when a font is added or updated (it needs fontTools, a development
dependency; the build itself never runs this):

    python tools/prepare_fonts.py /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ...
    python tools/prepare_fonts.py --rename "Leaflet Gothic JP" /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf

What it does, and why:
- removes TrueType hinting (fpgm/prep/cvt tables and glyph instructions):
  hinting only helps screens at small pixel sizes, and ReportLab copies those
  tables into every embedded subset, so dropping them makes each PDF smaller;
- drops the DSIG signature (it is invalid once the file changes);
- keeps only the Windows-platform names (family, style, copyright, licence),
  which ReportLab also copies into every subset.
Outlines, metrics, cmap and OpenType layout tables are kept unchanged, so the
glyphs print exactly as the designers drew them. The result stays under the
font's licence (see fonts/README.md); Noto declares no reserved font name.

``--rename FAMILY`` gives the prepared font a new family name (name records 1, 3,
4 and 6) and file name (``FAMILY`` without spaces, ``-Regular.ttf``): a licence
that forbids a modified font to keep the original name needs it (the IPA Font
License, Article 3.1(4)). The copyright and licence records are kept as they are.
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

KEEP_NAME_IDS = {0, 1, 2, 3, 4, 5, 6, 13, 14}


def prepare(src: Path, dst_dir: Path, rename: str = "") -> Path:
    options = subset.Options()
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True
    options.name_IDs = sorted(KEEP_NAME_IDS)
    options.name_legacy = False
    options.name_languages = [0x0409]
    options.layout_features = ["*"]
    options.drop_tables += ["DSIG"]
    options.recalc_timestamp = False
    font = TTFont(src, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    dst = dst_dir / src.name
    if rename:
        style = font["name"].getDebugName(2) or "Regular"
        compact = rename.replace(" ", "")
        for record_id, value in ((1, rename), (3, f"{compact}-{style}"), (4, f"{rename} {style}" if style != "Regular"
                                 else rename), (6, f"{compact}-{style}")):
            font["name"].setName(value, record_id, 3, 1, 0x0409)
        dst = dst_dir / f"{compact}-{style}.ttf"
    font.save(dst)
    return dst


def main(argv: list[str]) -> int:
    rename = ""
    if argv[:1] == ["--rename"] and len(argv) > 2:
        rename, argv = argv[1], argv[2:]
    if not argv or any(a.startswith("-") for a in argv):
        print(__doc__)
        return 2
    out = Path(__file__).resolve().parent.parent / "fonts"
    for name in argv:
        dst = prepare(Path(name), out, rename)
        print(f"{name} -> {dst} ({dst.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
