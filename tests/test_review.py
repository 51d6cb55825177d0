"""A recorded review turns a machine translation's unreviewed banner off; the rules that keep a
review consistent with the rest of the file; the banner read back with poppler on every page."""
from __future__ import annotations

import subprocess

import pytest

import leaflet
from leaflet.resources import bundled_locales, locale_for

from .conftest import ROOT

SAMPLE = ROOT / "content" / "baclofen" / "es.yaml"  # a machine translation of several pages
BANNER = "TRADUCCIÓN AUTOMÁTICA SIN REVISAR"
REVIEW = "  review:\n    reviewer: A. Traductora\n    date: \"{date}\"\n"


def with_review(text: str, date: str = "2026-11-30") -> str:
    """The sample with a review recorded in its translation block (after 'source:')."""
    head, sep, rest = text.partition("  source: en.yaml\n")
    assert sep
    return head + sep + REVIEW.format(date=date) + rest


def pages_text(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def test_an_unreviewed_machine_translation_has_the_banner_on_every_page(sample_text, tmp_path, has_poppler):
    doc = leaflet.parse(sample_text, str(SAMPLE))
    pdf = leaflet.build_bytes(doc)
    pages = pages_text(pdf, tmp_path)
    assert len(pages) >= 3
    assert all(page.startswith(BANNER) for page in pages), [p[:60] for p in pages]
    assert leaflet.verify(doc, pdf) == []
    # in full on page 1; on the pages after it the short form, its opening words, then the header
    strings = locale_for("es").strings
    full, short = strings["status_machine_translation"], strings["status_machine_translation_short"]
    assert full.startswith(short) and len(short) < len(full) / 2
    assert pages[0].startswith(full)
    assert all(page.startswith(short + " Baclofeno") for page in pages[1:]), [p[:80] for p in pages]


def test_the_short_banner_is_the_opening_of_the_full_one_in_every_bundled_locale():
    """The pages after the first say what the leaflet is in the full banner's own opening words
    (nothing said there that page 1 does not say); a locale file without a short form (one of
    one's own, written before there was one) prints the full banner on every page."""
    from leaflet.text.printed import banner

    doc = leaflet.parse(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))
    draft = leaflet.parse(SAMPLE.read_text(encoding="utf-8").replace("status: machine-translation",
                                                                     "status: draft"), str(SAMPLE))
    for code in sorted(p.stem for p in bundled_locales().glob("*.json")):
        strings = locale_for(code).strings
        for key in ("status_draft", "status_machine_translation"):
            assert strings[key].startswith(strings[key + "_short"]), (code, key)
            assert strings[key + "_short"][-1] in ".。", (code, key)
        assert banner(doc.leaflet, strings, 1) == strings["status_machine_translation"]
        assert banner(doc.leaflet, strings, 2) == strings["status_machine_translation_short"]
        assert banner(draft.leaflet, strings, 3) == strings["status_draft_short"]
        old = {**strings, "status_draft_short": None, "status_machine_translation_short": None}
        assert banner(doc.leaflet, old, 2) == strings["status_machine_translation"]
        assert banner(draft.leaflet, old, 2) == strings["status_draft"]


def test_a_recorded_review_turns_the_banner_off(sample_text, tmp_path, has_poppler):
    reviewed = leaflet.parse(with_review(sample_text), str(SAMPLE))
    pdf = leaflet.build_bytes(reviewed)
    pages = pages_text(pdf, tmp_path)
    assert len(pages) >= 3 and not any(BANNER in page for page in pages)
    assert leaflet.verify(reviewed, pdf) == []
    # verify follows the review: the unreviewed PDF does not pass for the reviewed content, nor
    # the reviewed PDF for the unreviewed content (it lacks its banner)
    unreviewed = leaflet.parse(sample_text, str(SAMPLE))
    assert any("prints text that is not in the content" in p.message or "lacks" in p.message
               for p in leaflet.verify(reviewed, leaflet.build_bytes(unreviewed)))
    assert leaflet.verify(unreviewed, pdf) != []


def test_a_review_of_a_final_leaflet_prints_no_banner_either(sample_text, tmp_path, has_poppler):
    text = with_review(sample_text).replace("status: machine-translation", "status: final")
    pages = pages_text(leaflet.build_bytes(leaflet.parse(text, "es.yaml")), tmp_path)
    assert not any(BANNER in page for page in pages)


def problems(text: str) -> list[leaflet.Diagnostic]:
    try:
        leaflet.parse(text, "es.yaml")
    except leaflet.ContentError as exc:
        return exc.diagnostics
    return []


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_review_older_than_the_revision_is_an_error_at_its_date(sample_text):
    text = with_review(sample_text, "2026-11-01")
    [d] = problems(text)
    assert (d.code, d.path, d.line, d.column) == ("value", ("translation", "review", "date"),
                                                  line_of(text, 'date: "2026-11-01"'), 11)
    assert "dated 2026-11-01, before the revision it would cover (2026-11-23)" in d.message
    assert "have this revision reviewed" in d.hint


@pytest.mark.parametrize("revised, review, ok", [
    ("2026-11-23", "2026-11-23", True),   # reviewed the day it was revised
    ("2026-11", "2026-11-05", True),      # the revision is known to the month only
    ("2026-11-23", "2026-11", True),      # the review is known to the month only
    ("2026-11", "2026-10-31", False),
    ("2026-11-23", "2026-10", False),
    ("2026-11-23", "2025-12-24", False),
])
def test_review_and_revision_dates_are_compared_as_far_as_both_go(sample_text, revised, review, ok):
    text = with_review(sample_text, review).replace('date: "2026-11-23"', f'date: "{revised}"', 1)
    assert (problems(text) == []) is ok


def test_a_draft_that_records_a_review_is_contradictory(sample_text):
    text = with_review(sample_text).replace("status: machine-translation", "status: draft")
    [d] = problems(text)
    assert (d.code, d.path, d.line, d.column) == ("value", ("status",), line_of(text, "status: draft"), 9)
    assert "a draft, whose banner says it is not yet reviewed, but 'translation.review' records" in d.message


def test_validate_reports_the_review_rules_with_the_other_problems(sample_text, tmp_path):
    """validate and build share the rules: an invalid file reports its review problems too."""
    text = with_review(sample_text, "2026-01-01").replace("  version: \"1.0\"\n", "  version: \"1.0\"\n  colour: red\n")
    path = tmp_path / "es.yaml"
    path.write_text(text, encoding="utf-8")
    codes = sorted(d.code for d in leaflet.validate(path))
    assert codes == ["unknown-key", "value"], codes
