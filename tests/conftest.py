"""Shared fixtures: the sample leaflet, built once per test session."""
from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

import leaflet
from leaflet.check.verify import read_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "baclofen" / "en.yaml"

MINIMAL = textwrap.dedent("""\
    language: en
    medicine:
      name: Testamol
      brands: [Testa]
      class: Test class
    revision:
      date: "2026-01-02"
      version: "3"
    key_facts:
      rows:
        - label: Drug class
          value: Test class
    sections:
      - heading: About
        blocks:
          - text: A paragraph.
    disclaimer: Ask your doctor.
""")


@pytest.fixture(scope="session")
def sample_doc() -> leaflet.Document:
    return leaflet.load(SAMPLE)


@pytest.fixture(scope="session")
def sample_pdf(sample_doc: leaflet.Document) -> bytes:
    return leaflet.build_bytes(sample_doc)


@pytest.fixture(scope="session")
def sample_read(sample_pdf: bytes):
    return read_pdf(sample_pdf)


@pytest.fixture
def has_poppler() -> None:
    if not shutil.which("pdftotext"):
        if os.environ.get("LEAFLET_REQUIRE_POPPLER"):  # CI: a missing independent reader is a failure
            pytest.fail("poppler-utils (pdftotext, pdffonts) is required here but not installed")
        pytest.skip("poppler-utils (pdftotext, pdffonts) not installed")
