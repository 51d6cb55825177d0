"""What leaflet writes: the PDF's dates, and files replaced atomically, safely and only when regular."""
from __future__ import annotations

import subprocess

import pytest

import leaflet
from tests.conftest import MINIMAL


def pdf_dates(pdf: bytes, tmp_path) -> dict[str, str]:
    out = tmp_path / "dates.pdf"
    out.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", "-isodates", str(out)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in info.splitlines() if "Date" in line)}


@pytest.mark.parametrize("date, expected", [("2026-01-02", "2026-01-02T00:00:00Z"), ("2025-07", "2025-07-01T00:00:00Z")])
def test_pdf_dates_are_the_revision_date(date, expected, tmp_path, monkeypatch, has_poppler):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf = leaflet.build_bytes(leaflet.parse(MINIMAL.replace("2026-01-02", date)))
    assert pdf_dates(pdf, tmp_path) == {"CreationDate": expected, "ModDate": expected}


def test_pdf_dates_follow_source_date_epoch(tmp_path, monkeypatch, has_poppler):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = leaflet.build_bytes(leaflet.parse(MINIMAL))
    assert pdf_dates(pdf, tmp_path) == {"CreationDate": "2023-11-14T22:13:20Z", "ModDate": "2023-11-14T22:13:20Z"}
    assert pdf == leaflet.build_bytes(leaflet.parse(MINIMAL))  # still the same bytes


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "99999999999999"])
def test_malformed_source_date_epoch_is_an_error(value, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(leaflet.errors.UsageError, match="SOURCE_DATE_EPOCH"):
        leaflet.build_bytes(leaflet.parse(MINIMAL))
