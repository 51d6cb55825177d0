"""leaflet serve --brand as a user starts it, with two brands: the form (headless Chromium, as in
test_service_live) offers the choice and the PDF it gives carries the brand chosen."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("starlette")

from leaflet import api

from .conftest import ROOT
from .test_service import record
from .test_service_live import _downloaded, _fill, _open_form, _wait, browser, serving  # noqa: F401

RIVERSIDE = ROOT / "tests" / "fixtures" / "brand" / "riverside.yaml"


@pytest.fixture(scope="module")
def branded_live(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("brand-live")
    lib = base / "library"
    (lib / "baclofen").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "baclofen" / "en.yaml", lib / "baclofen" / "en.yaml")
    hillside = base / "hillside.yaml"
    hillside.write_text('name: Hillside Community Pharmacy\ncolors:\n  accent: "#1f4e79"\n', encoding="utf-8")
    with serving(lib, base / "serve.log", "--workers", "1", "--brand", str(RIVERSIDE),
                 "--brand", f"hillside={hillside}") as (url, ready):
        assert ready.endswith("brands riverside, hillside)")
        yield url, hillside


@pytest.mark.browser
def test_the_form_offers_the_brands_and_the_pdf_carries_the_one_chosen(branded_live, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from leaflet.personal import model

    url, hillside = branded_live
    driver, downloads = browser
    for old in downloads.iterdir():
        old.unlink()
    _open_form(driver, url, "en")
    choice = driver.find_element(By.ID, "f-clinic")
    assert driver.find_element(By.ID, "r-clinic").is_displayed()  # two brands: a choice
    assert [o.get_attribute("value") for o in Select(choice).options] == ["riverside", "hillside"]
    Select(choice).select_by_value("hillside")
    rx = record()
    _fill(driver, rx)
    driver.find_element(By.ID, "submit").click()
    pdf = _wait(lambda: _downloaded(downloads), 120)
    doc = api.load(ROOT / "content" / "baclofen" / "en.yaml")
    prescription = model.from_record(rx, model.at_file("form"))
    data = pdf.read_bytes()
    brand = api.load_brand(hillside)
    assert data == api.stamp_personalised(api.template(doc, brand=brand), prescription)
    assert api.verify(doc, data, prescription, brand=brand) == []
