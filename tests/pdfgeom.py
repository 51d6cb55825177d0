"""Page geometry read back with an independent reader: poppler's ``pdftotext -bbox``.

Used by the geometry tests and by ``tools/update_reference_images.py``'s report. Every position
here comes from the PDF as poppler reads it; the only inputs from leaflet are the theme's margins
(the text area) and the texts the page furniture should print.
"""
from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MM = 72 / 25.4
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')



def text_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text as poppler's ``pdftotext`` reads them (stripped, blank lines left out)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")]

@dataclass(frozen=True)
class Word:
    x0: float
    y0: float  # top (poppler measures y downwards from the top of the page)
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    header: list[Word] = field(default_factory=list)
    footer: list[Word] = field(default_factory=list)
    body: list[Word] = field(default_factory=list)


def read_words(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for n, m in enumerate(_PAGE.finditer(out), start=1):
        words = [Word(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in _WORD.findall(m.group(3))]
        pages.append(Page(n, float(m.group(1)), float(m.group(2)), words))
    return pages


def rows(words: list[Word], tolerance: float = 2.0) -> list[list[Word]]:
    """Words grouped into rows by their top edge, top row first."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0, w.x0)):
        if out and abs(out[-1][0].y0 - w.y0) <= tolerance:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def split_furniture(page: Page, header_texts: list[str], footer_texts: list[str]) -> None:
    """Sort a page's words into header, body and footer.

    The footer is the run of bottom rows made only of the footer's words (disclaimer, revision,
    page label); the header the run of top rows made only of the header's words. A body word in
    the same row as a footer word (a body frame running into the footer) ends the run early, so
    the footer comes out short: :func:`check_page` reports it.
    """
    head_tokens = Counter(t for s in header_texts for t in s.split())
    foot_tokens = Counter(t for s in footer_texts for t in s.split())
    rs = rows(page.words)
    top = 0
    while top < len(rs) and head_tokens:
        row = Counter(w.text for w in rs[top])
        if row - head_tokens:  # a word the header does not have (or has fewer times)
            break
        head_tokens -= row
        top += 1
    bottom = len(rs)
    while bottom > top:
        row = Counter(w.text for w in rs[bottom - 1])
        if row - foot_tokens:
            break
        foot_tokens -= row
        bottom -= 1
    page.header = [w for r in rs[:top] for w in r]
    page.body = [w for r in rs[top:bottom] for w in r]
    page.footer = [w for r in rs[bottom:] for w in r]


def overlaps(words: list[Word], shrink: float = 0.2) -> list[tuple[Word, Word]]:
    """Pairs of words whose boxes overlap (each box shrunk by ``shrink`` of its height top and
    bottom, and a little at the sides, since poppler's boxes include the font's full ascent and
    descent, which neighbouring lines may share)."""
    boxes = []
    for w in words:
        dy = (w.y1 - w.y0) * shrink
        boxes.append((w.x0 + 0.5, w.y0 + dy, w.x1 - 0.5, w.y1 - dy, w))
    boxes.sort(key=lambda b: b[1])
    found = []
    for i, (ax0, _ay0, ax1, ay1, a) in enumerate(boxes):
        for bx0, by0, bx1, _by1, b in boxes[i + 1:]:
            if by0 >= ay1:
                break
            if bx0 < ax1 and ax0 < bx1:
                found.append((a, b))
    return found


@dataclass
class Geometry:
    """The text area of a page in poppler's coordinates (y downwards), from the theme's margins."""

    left: float
    right: float
    top: float
    bottom: float

    @classmethod
    def from_theme(cls, theme: dict, width: float, height: float) -> Geometry:
        m = theme["margins_mm"]
        return cls(m["left"] * MM, width - m["right"] * MM, m["top"] * MM, height - m["bottom"] * MM)


def check_page(page: Page, area: Geometry, footer_texts: list[str], header_texts: list[str]) -> list[str]:
    """Problems on one page: text outside the text area, overlapping text, body text in the
    header or footer, a footer that does not print all of its words."""
    problems = []
    eps = 0.6
    for w in page.words:
        # poppler's box reaches the font's full ascent and descent, beyond the ink: allow a quarter
        v = 0.25 * (w.y1 - w.y0)
        if w.x0 < area.left - eps or w.x1 > area.right + eps or w.y0 < area.top - v or w.y1 > area.bottom + v:
            problems.append(f"page {page.number}: {w.text!r} at ({w.x0:.1f}, {w.y0:.1f})-({w.x1:.1f}, {w.y1:.1f}) "
                            "runs outside the text area")
    for a, b in overlaps(page.words):
        problems.append(f"page {page.number}: {a.text!r} overlaps {b.text!r} at ({a.x0:.1f}, {a.y0:.1f})")
    expected = sorted(t for s in footer_texts for t in s.split())
    if sorted(w.text for w in page.footer) != expected:
        problems.append(f"page {page.number}: the footer rows hold {sorted(w.text for w in page.footer)}, "
                        f"expected {expected} (body text in the footer?)")
    expected_head = sorted(t for s in header_texts for t in s.split())
    if sorted(w.text for w in page.header) != expected_head:
        problems.append(f"page {page.number}: the header rows hold {sorted(w.text for w in page.header)}, "
                        f"expected {expected_head}")
    if page.body and page.footer:
        low = max(w.y1 for w in page.body)
        high = min(w.y0 for w in page.footer)
        if low > high - 4:
            problems.append(f"page {page.number}: body text reaches y={low:.1f}, into the footer at y={high:.1f}")
    if page.body and page.header:
        if min(w.y0 for w in page.body) < max(w.y1 for w in page.header) + 4:
            problems.append(f"page {page.number}: body text runs into the running header")
    return problems


def empty_fraction(page: Page, area: Geometry) -> float:
    """How much of the body's height is left empty below its last text, as a fraction."""
    top = max(w.y1 for w in page.header) if page.header else area.top
    bottom = min(w.y0 for w in page.footer) if page.footer else area.bottom
    if not page.body:
        return 1.0
    return max(0.0, bottom - max(w.y1 for w in page.body)) / (bottom - top)


def analyse(doc: Any, pdf: Path, theme: str, brand: Any = None,
            first: tuple[float, float] | None = None) -> tuple[list[Page], list[str], Geometry]:
    """Read every page's words (poppler), sort them into header, body and footer (the leaflet's own
    furniture, with its brand's line when it has one); list the geometry problems of every page.
    ``first``: page 1's top and bottom margins (points) where they are not the theme's (a tight
    personal panel's page 1, whose margins give it room)."""
    from leaflet.resources import locale_for
    from leaflet.resources import theme as load_theme
    from leaflet.text.printed import furniture

    strings = locale_for(doc.leaflet.language).strings
    pages = read_words(pdf)
    problems: list[str] = []
    area = None
    for page in pages:
        texts = furniture(doc.leaflet, strings, page.number, len(pages), brand)
        n_head = (doc.leaflet.status != "final") + (page.number > 1)
        head, foot = texts[:n_head], texts[n_head:]
        split_furniture(page, head, foot)
        area = Geometry.from_theme(load_theme(theme), page.width, page.height)
        if page.number == 1 and first is not None:
            problems += check_page(page, Geometry(area.left, area.right, first[0], page.height - first[1]), foot, head)
            continue
        problems += check_page(page, area, foot, head)
    assert area is not None
    return pages, problems, area
