"""Words cut over two lines without a hyphen in every sample and fixture, read back with poppler.

Builds each leaflet (every content/ and tests/fixtures/ file but the brand files, or the files
given) on each paper and theme, as tools/page_fill.py does (``--rx`` personalised, ``--brand``
with a clinic's brand), and lists each word that a line ends inside without a hyphen
(tests/cutwords.py: "Характерис" / "тика"), and apart the web addresses broken inside a word of
theirs (they break at their own points, never with a hyphen). Exit status 1 when a word is cut.

    .venv/bin/python tools/cut_words.py [FILE.yaml...] [--paper a5] [--theme large-print]
                                        [--rx PRESCRIPTION] [--brand BRAND.yaml]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.page_fill import builds, name, options  # noqa: E402


def sources(source: Path, language: str, rx: Path | None, brand: Path | None) -> list[Path | None]:
    """The texts a leaflet's PDF prints: the leaflet, its locale's strings (as a build finds them),
    the prescription and the brand."""
    from leaflet.resources import locale_dirs, locale_file

    return [source, locale_file(language, locale_dirs(source)), rx, brand]


def check(source: Path, paper: str, theme: str, folder: Path, rx: Path | None = None,
          brand: Path | None = None) -> tuple[list, list]:
    """(the words cut, the addresses broken inside a word) of one build."""
    import msgspec

    import leaflet
    from leaflet import api
    from leaflet.personal import rxfile
    from leaflet.resources import locale_dirs, locale_for
    from tests.cutwords import Source, find_cuts

    doc = leaflet.load(source)
    pdf = folder / f"{name(source, paper, theme, rx, brand).replace('/', '_')}.pdf"
    if rx is not None:  # as build --rx does (tests/test_paper.py's personalised(), without its page checks)
        prescription = msgspec.structs.replace(rxfile.load(rx), language=doc.leaflet.language)
        t = api.template(doc, paper=paper, theme=theme, brand=api.load_brand(brand) if brand is not None else None)
        pdf.write_bytes(api.stamp_personalised(t, prescription))
    else:
        pdf.write_bytes(api.build_bytes(doc, paper=paper, theme=theme, brand=brand))
    rtl = locale_for(doc.leaflet.language, locale_dirs(source)).direction == "rtl"
    return find_cuts(pdf, Source.files(*sources(source, doc.leaflet.language, rx, brand)), rtl)


def main() -> int:
    args = options(__doc__.splitlines()[0]).parse_args()
    total = addresses = pdfs = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for source, paper, theme, brand in builds(args):
            cuts, broken = check(source, paper, theme, folder, args.rx, brand)
            pdfs += 1
            total += len(cuts)
            addresses += len(broken)
            print(f"{name(source, paper, theme, args.rx, brand):55} {len(cuts)} cut"
                  + "".join(f"\n    {c}" for c in cuts)
                  + "".join(f"\n    (address) {c}" for c in broken), flush=True)
    print(f"{pdfs} PDFs: {total} words cut without a hyphen; {addresses} web addresses broken inside a word")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
