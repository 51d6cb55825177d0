"""Web addresses: link annotations (read with pypdf), wrapping at sensible points inside the
margins (read with poppler's pdftotext -bbox), and text extraction that reads them back."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

import leaflet
from leaflet.check.verify import verify
from leaflet.resources import theme
from leaflet.typeset.links import href, split_points, split_urls

from .conftest import MINIMAL

LONG = "https://www.medicines-information.example.org/leaflets/patient/very-long-path/testamol-10mg-tablets?lang=en&section=side-effects"
REPORT = "https://yellowcard.example.gov.uk/report-a-suspected-side-effect-of-a-medicine-or-medical-device/start"
SOLID = "https://example.org/" + "a" * 120  # one segment longer than a line
BRACKETS = "https://en.example.org/wiki/Testamol_(fictional_medicine)"
URLS_LEAFLET = MINIMAL.replace("      - text: A paragraph.", f"""\
      - text: "Read the full leaflet at {LONG}. It is free."
      - text: "Short (www.example.org), **bold https://bold.example.org/a/b/c** and (see {BRACKETS}) more."
      - bullets:
          - "Report side effects: {REPORT}"
          - "Solid: {SOLID}"
""").replace('  rows:\n    - label: Drug class\n      value: Test class', f'''\
  rows:
    - label: Website
      value: "{LONG}"''').replace("disclaimer: Ask your doctor.", 'disclaimer: "More at https://www.example.org/disclaimer."')


@pytest.fixture(scope="module")
def urls_doc() -> leaflet.Document:
    return leaflet.parse(URLS_LEAFLET, "urls.yaml")


@pytest.fixture(scope="module")
def urls_pdf(urls_doc) -> bytes:
    return leaflet.build_bytes(urls_doc)


def link_targets(pdf: bytes) -> list[str]:
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link" and list(annot.get("/Border", [0, 0, 0])) == [0, 0, 0]
            out.append(str(annot["/A"]["/URI"]))
    return out


def pdftotext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "u.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("text", "expected"), [
    ("See https://example.org/a.", [("See ", False), ("https://example.org/a", True), (".", False)]),
    ("(www.example.org), then", [("(", False), ("www.example.org", True), ("), then", False)]),
    (f"(see {BRACKETS}).", [("(see ", False), (BRACKETS, True), (").", False)]),
    ("mail me@www.example.org or www. alone", [("mail me@www.example.org or www. alone", False)]),
    ("http://a.example/x?y=1&z=2;", [("http://a.example/x?y=1&z=2", True), (";", False)]),
    ("www.a.example/é→b", [("www.a.example/é", True), ("→b", False)]),
])
def test_addresses_are_found_without_the_sentence_punctuation(text, expected):
    assert split_urls(text) == expected


def test_link_targets():
    assert href("www.example.org/a") == "https://www.example.org/a"
    assert href("http://example.org/é") == "http://example.org/%C3%A9"


def test_split_points_are_after_slashes_and_before_dots_and_hyphens():
    url = "https://a.example/b-c?d=efghi"
    assert [url[:p] for p in split_points(url)] == [
        "https://", "https://a", "https://a.example/", "https://a.example/b", "https://a.example/b-c",
        "https://a.example/b-c?d"]
    short = "https://a.example/dose-10"
    assert [short[p:] for p in split_points(short)][-1] == "dose-10"  # never "-10" alone on a line


def test_every_address_is_a_link_annotation_to_itself(urls_pdf):
    targets = set(link_targets(urls_pdf))
    assert targets == {LONG, REPORT, SOLID, BRACKETS, "https://www.example.org", "https://bold.example.org/a/b/c",
                       "https://www.example.org/disclaimer"}


def test_the_sample_has_no_links(sample_pdf):
    assert link_targets(sample_pdf) == []


def test_pdftotext_reads_the_addresses_back_exactly(urls_doc, urls_pdf, tmp_path, has_poppler):
    text = pdftotext(urls_pdf, tmp_path)
    assert "\u200b" not in text and "\u00ad" not in text  # nothing invisible was added
    joined = text.replace("\n", "")
    for url in (LONG, REPORT, SOLID, BRACKETS, "www.example.org", "https://www.example.org/disclaimer."):
        assert url in joined, url
    assert verify(urls_doc, urls_pdf) == []


def test_long_addresses_break_at_sensible_points(urls_pdf, tmp_path, has_poppler):
    lines = pdftotext(urls_pdf, tmp_path).splitlines()
    for url in (LONG, REPORT):
        breaks = []
        for n, line in enumerate(lines):
            start = line.find(url[:30])
            if start < 0:
                continue
            printed, k = line[start:], n
            while len(printed) < len(url):  # the address goes on on the next line
                breaks.append(len(printed))
                k += 1
                printed += lines[k]
            assert printed.startswith(url)
        assert breaks, f"{url} did not wrap: the test needs it to"
        for b in breaks:
            assert b in split_points(url), (url[:b], url[b:])


def test_long_addresses_stay_inside_the_margins(urls_pdf, tmp_path, has_poppler):
    page_width = 595.28  # A4
    margins = theme()["margins_mm"]
    left, right = margins["left"] * 72 / 25.4, page_width - margins["right"] * 72 / 25.4
    html = pdftotext(urls_pdf, tmp_path, "-bbox")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)
    assert any("aaaa" in w for _, _, w in words)
    for x0, x1, word in words:
        assert float(x0) >= left - 0.5 and float(x1) <= right + 0.5, (word, x0, x1)


def test_what_one_build_may_split_again_is_its_own_addresses_only(urls_doc):
    """The pieces of an address carried over to a new line may split again; an ordinary word of
    another leaflet, or a short one, never (same input, same bytes, whatever was built before)."""
    from leaflet.typeset import links

    leaflet.build_bytes(urls_doc)
    rest = SOLID[len("https://example.org/"):]
    assert links._is_rest(rest) and not links._is_rest("start") and not links._is_rest(LONG)
    leaflet.build_bytes(leaflet.parse(MINIMAL, "m.yaml"))
    assert not links._is_rest(rest)
