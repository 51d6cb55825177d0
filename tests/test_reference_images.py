"""Reference page images: chosen pages, rendered at low resolution, match tests/reference/*.png.

A layout change that moves text, drops a border or a grid, or changes a size shows here. After a
deliberate change, look at the pages and regenerate: ``python tools/update_reference_images.py``.
"""
from __future__ import annotations

import importlib.util

import pytest
from PIL import Image

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("update_reference_images", ROOT / "tools" / "update_reference_images.py")
assert _spec and _spec.loader
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)
SPEC = tool.manifest()

pytestmark = pytest.mark.usefixtures("has_poppler")


def test_a_handful_of_pages_cover_the_looks():
    pages = SPEC["pages"]
    assert 4 <= len(pages) <= 8
    looks = {(p["paper"], p["theme"]) for p in pages}
    assert {("a4", "default"), ("letter", "default"), ("a4", "large-print"), ("a5", "default")} <= looks
    assert any("brand" in p for p in pages)


@pytest.mark.parametrize("entry", SPEC["pages"], ids=lambda e: e["name"])
def test_page_matches_its_reference(entry, tmp_path):
    image = tool.render(entry, SPEC["dpi"], tmp_path)
    reference = Image.open(tool.REFERENCE / f"{entry['name']}.png").convert("L")
    mean, changed = tool.difference(image, reference)
    assert mean <= tool.MAX_MEAN_DIFFERENCE and changed <= tool.MAX_CHANGED_SHARE, (
        f"{entry['name']} differs from its reference (mean {mean:.2f}, {changed:.2%} of pixels changed); "
        "if the change is deliberate, look at the pages and run python tools/update_reference_images.py")


def test_the_comparison_sees_a_different_page(tmp_path):
    """The tolerance is not so loose that another page of the same leaflet passes."""
    first, third = SPEC["pages"][0], SPEC["pages"][1]
    image = tool.render(first, SPEC["dpi"], tmp_path)
    other = Image.open(tool.REFERENCE / f"{third['name']}.png").convert("L")
    mean, changed = tool.difference(image, other)
    assert mean > tool.MAX_MEAN_DIFFERENCE and changed > tool.MAX_CHANGED_SHARE
