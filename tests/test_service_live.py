"""leaflet serve as a user starts it: a real server on loopback (``leaflet serve --port 0``), 200
concurrent requests over sockets, its form driven in headless Chromium (Debian's chromium and
chromium-driver with selenium: no browser download), and its log searched for the patient."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx2")

from leaflet import api  # noqa: E402

from .conftest import MINIMAL, ROOT  # noqa: E402
from .test_service import SENTINEL, record  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
REQUIRE_BROWSER = os.environ.get("LEAFLET_REQUIRE_BROWSER") == "1"  # set by CI (.ci/run): never skipped there


@contextlib.contextmanager
def serving(lib: Path, log: Path, *options: str) -> Iterator[tuple[str, str]]:
    """``leaflet serve --port 0 --library LIB OPTIONS`` on a free loopback port, its standard error
    (the log) in ``log``: yields its address and its "ready on" line; stopped on the way out."""
    env = {k: v for k, v in os.environ.items() if k != "LEAFLET_SERVE_TOKEN"}
    with open(log, "wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "leaflet", "serve", "--port", "0", "--library", str(lib),
                                    *options], stdout=subprocess.PIPE, stderr=err, env=env, text=True)
    assert process.stdout is not None
    url = ready = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("leaflet serve: ready on "):
            ready = line.rstrip()
            url = line.split("ready on ", 1)[1].split()[0]
            break
    if url is None or ready is None:
        process.kill()
        pytest.fail(f"leaflet serve did not start: {log.read_text(errors='replace')}")
    try:
        yield url, ready
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory):
    """``leaflet serve`` on a free loopback port, with the English and Arabic sample; its standard
    error (the log) goes to a file the tests read."""
    base = tmp_path_factory.mktemp("live")
    lib = base / "library"
    (lib / "baclofen").mkdir(parents=True)
    for lang in ("en", "ar"):
        shutil.copy(ROOT / "content" / "baclofen" / f"{lang}.yaml", lib / "baclofen" / f"{lang}.yaml")
    log = base / "serve.log"
    with serving(lib, log, "--workers", "2") as (url, _):
        yield url, log


def test_live_health_and_listing(live):
    url, _ = live
    assert url.startswith("http://127.0.0.1:")
    assert httpx.get(url + "health").json()["status"] == "ok"
    ids = [entry["id"] for entry in httpx.get(url + "leaflets").json()["leaflets"]]
    assert ids == ["baclofen"]


def test_200_concurrent_requests_on_loopback(live):
    """All of them answered, none refused: the queue takes the burst (the benchmark times it:
    benchmarks/serve_load.py)."""
    url, _ = live
    tiny = MINIMAL.encode()

    async def main() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
            def one(i: int):
                if i % 5 == 0:
                    return client.post("build", content=tiny)
                return client.get("leaflets")
            return await asyncio.gather(*(one(i) for i in range(200)))

    answers = asyncio.run(main())
    assert [r.status_code for r in answers] == [200] * 200
    assert {r.content for i, r in enumerate(answers) if i % 5 == 0} == {api.build_bytes(api.parse(MINIMAL))}


# --- the form in a real browser -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    if not (CHROMIUM and CHROMEDRIVER):
        if REQUIRE_BROWSER:
            pytest.fail("chromium and chromium-driver are required (apt-get install chromium chromium-driver)")
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    if REQUIRE_BROWSER:
        import selenium.webdriver as webdriver
    else:
        webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1000,1400", "--lang=en-GB"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(60)
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _wait(condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def _open_form(driver, url: str, language: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(url)
    _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#f-language option"))
    Select(driver.find_element(By.ID, "f-leaflet")).select_by_value("baclofen")
    Select(driver.find_element(By.ID, "f-language")).select_by_value(language)
    _wait(lambda: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language)


def _fill(driver, rx: dict[str, object]) -> None:
    from selenium.webdriver.common.by import By

    for field, value in rx.items():
        if field == "language":
            continue
        element = driver.find_element(By.ID, f"f-{field}")
        element.clear()
        if element.get_attribute("type") == "date":  # typed as the browser's date control takes it
            driver.execute_script("arguments[0].value = arguments[1]", element, str(value))
        else:
            element.send_keys(str(value))


@pytest.mark.browser
def test_the_form_shows_errors_beside_their_fields(live, browser):
    from selenium.webdriver.common.by import By

    url, _ = live
    driver, _ = browser
    _open_form(driver, url, "en")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "ltr"
    _fill(driver, record(patient=None, refills="two", digital_url="example.org/leaflet"))
    driver.find_element(By.ID, "submit").click()
    patient = _wait(lambda: driver.find_element(By.ID, "e-patient").text)
    from leaflet.service import form

    english = form.strings("en")["errors"]
    assert patient == english["missing-field"]  # the form's words for the problem, not the file format's
    assert driver.find_element(By.ID, "e-refills").text == english["value:refills"]
    assert driver.find_element(By.ID, "e-digital_url").text == english["value:digital_url"]
    assert driver.find_element(By.ID, "f-digital_url").get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "f-patient").get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "f-refills").get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "e-directions").text == ""
    assert driver.find_element(By.ID, "f-directions").get_attribute("aria-invalid") is None
    # each error is tied to its field for screen readers
    assert "e-patient" in driver.find_element(By.ID, "f-patient").get_attribute("aria-describedby")
    screenshots = os.environ.get("LEAFLET_SCREENSHOTS")
    if screenshots:
        driver.save_screenshot(str(Path(screenshots) / "form-en-errors.png"))


@pytest.mark.browser
def test_the_arabic_forms_errors_are_in_arabic_and_leaflets_own_words_are_marked_english(live, browser,
                                                                                       tmp_path: Path):
    from selenium.webdriver.common.by import By

    from leaflet.personal.model import MAX_TEXT
    from leaflet.service import form

    url, _ = live
    driver, _ = browser
    _open_form(driver, url, "ar")
    # a prescriber longer than a prescription's text may be: a problem the form has no words of its own for
    _fill(driver, record(patient=None, refills="two", digital_url="ftp://example.org", language="ar",
                         prescriber="x" * (MAX_TEXT + 1)))
    driver.find_element(By.ID, "submit").click()
    arabic = form.strings("ar")["errors"]
    assert _wait(lambda: driver.find_element(By.ID, "e-patient").text) == arabic["missing-field"]
    assert driver.find_element(By.ID, "e-refills").text == arabic["value:refills"]
    assert driver.find_element(By.ID, "e-digital_url").text == arabic["value:digital_url"]
    for field in ("patient", "refills", "digital_url"):
        (said,) = driver.find_elements(By.CSS_SELECTOR, f"#e-{field} span")
        assert said.get_attribute("lang") == ""  # the page's own language (ar)
    (english,) = driver.find_elements(By.CSS_SELECTOR, "#e-prescriber span")
    assert english.get_attribute("lang") == "en" and english.get_attribute("dir") == "auto"
    assert english.text.startswith(f"the text is longer than {MAX_TEXT} characters")
    assert driver.find_element(By.ID, "e-form").text == form.ui("ar")["errors"]
    driver.save_screenshot(str(Path(os.environ.get("LEAFLET_SCREENSHOTS") or tmp_path) / "form-ar-errors.png"))


@pytest.mark.browser
def test_the_date_control_has_no_wrong_hint_and_an_unfinished_date_is_said_so(live, browser):
    from selenium.webdriver.common.by import By

    from leaflet.service import form

    url, _ = live
    driver, _ = browser
    _open_form(driver, url, "en")
    date = driver.find_element(By.ID, "f-dispensed")
    assert date.get_attribute("type") == "date"  # Chromium has a date control: it shows the date its own way
    assert not driver.find_element(By.ID, "h-dispensed").is_displayed()  # so no YYYY-MM-DD under it
    assert date.get_attribute("aria-describedby") == "e-dispensed"
    _fill(driver, {k: v for k, v in record().items() if k != "dispensed"})
    date.clear()
    date.click()
    date.send_keys("11")  # the month only: the control holds an unfinished date, and gives no value
    assert driver.execute_script("return arguments[0].validity.badInput", date)
    driver.find_element(By.ID, "submit").click()
    said = _wait(lambda: driver.find_element(By.ID, "e-dispensed").text)
    assert said == form.strings("en")["errors"]["date-incomplete"]  # not "missing required field"
    assert date.get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "e-patient").text == ""


@pytest.mark.browser
def test_the_form_turns_right_to_left_for_arabic(live, browser, tmp_path: Path):
    from selenium.webdriver.common.by import By

    url, _ = live
    driver, _ = browser
    _open_form(driver, url, "ar")
    html = driver.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    from leaflet.resources import locale_for

    _wait(lambda: driver.find_element(By.ID, "l-patient").text == locale_for("ar").strings["panel_patient"])
    assert driver.find_element(By.ID, "submit").text == "إنشاء ملف PDF"
    # right-to-left: a label starts at the right edge of its field
    # right-to-left: a label's text starts at the right edge of its field
    text = driver.execute_script("const r = document.createRange(); r.selectNodeContents(arguments[0]); "
                                 "const b = r.getBoundingClientRect(); return [b.left, b.right];",
                                 driver.find_element(By.ID, "l-patient"))
    field = driver.find_element(By.ID, "f-patient").rect
    assert abs(text[1] - (field["x"] + field["width"])) < 2
    assert text[0] > field["x"] + field["width"] / 2
    screenshots = os.environ.get("LEAFLET_SCREENSHOTS")  # a folder to keep the form's pictures in
    driver.save_screenshot(str(Path(screenshots or tmp_path) / "form-ar.png"))


def _downloaded(folder: Path) -> Path | None:
    done = [p for p in folder.glob("*.pdf")]
    return done[0] if done and not list(folder.glob("*.crdownload")) else None


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_form_gives_the_pdf_and_it_verifies(live, browser, language: str):
    from selenium.webdriver.common.by import By

    from leaflet.personal import model

    url, _ = live
    driver, downloads = browser
    for old in downloads.iterdir():
        old.unlink()
    _open_form(driver, url, language)
    rx = record(language=language, digital_url=f"https://example.org/leaflets/baclofen/{language}",
                brand="Spasmofict")  # the brand dispensed (fictional)
    _fill(driver, rx)
    driver.find_element(By.ID, "submit").click()
    pdf = _wait(lambda: _downloaded(downloads), 120)
    assert pdf.name == f"baclofen-{language}.pdf"  # no patient name in the file's name
    assert driver.find_element(By.ID, "download").is_displayed()
    doc = api.load(ROOT / "content" / "baclofen" / f"{language}.yaml")
    prescription = model.from_record(rx, model.at_file("form"))
    data = pdf.read_bytes()
    assert data == api.stamp_personalised(api.template(doc), prescription)
    assert api.verify(doc, data, prescription) == []  # leaflet verify, the personal panel included


def test_the_log_holds_no_patient_data(live):
    """Last in this module: everything above went through this server."""
    url, log = live
    json_type = {"content-type": "application/json"}
    httpx.post(url + "leaflets/baclofen/en", content=json.dumps(record(dispensed="never")), headers=json_type)
    httpx.post(url + f"leaflets/baclofen/en?patient={SENTINEL}", content=json.dumps(record()), headers=json_type)
    httpx.get(url + f"{SENTINEL}?name={SENTINEL}")
    httpx.post(url + "leaflets/baclofen/en", content=json.dumps(record()), headers=json_type, timeout=60)
    time.sleep(0.5)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "POST /leaflets/{leaflet}/{language}" in text  # it does log requests
    for word in SENTINEL.split():
        assert word not in text
    assert "%20" not in text and "?" not in text  # no address as asked, no query string


@pytest.mark.browser
def test_the_forms_other_answers_are_in_its_language(browser, tmp_path: Path):
    """An answer that is no PDF and no list of problems (here: a body over --max-body, 413) is said
    in the form's words, not the service's English message."""
    from selenium.webdriver.common.by import By

    from leaflet.service import form

    lib = tmp_path / "library"
    (lib / "baclofen").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "baclofen" / "ar.yaml", lib / "baclofen" / "ar.yaml")
    driver, _ = browser
    with serving(lib, tmp_path / "serve.log", "--workers", "1", "--max-body", "1K") as (url, _):
        _open_form(driver, url, "ar")
        _fill(driver, record(language="ar", directions="Take 1 tablet at bedtime. " * 60))
        driver.find_element(By.ID, "submit").click()
        said = _wait(lambda: driver.find_element(By.ID, "e-form").text)
    assert said == form.strings("ar")["errors"]["service:too-large"]


@pytest.mark.browser
def test_without_a_date_control_the_date_is_a_text_box_with_its_hint(live, browser):
    """As in a browser that has no date control (it shows type="date" as a text box): emulated by
    turning the field into a text box as the page is parsed, before form.js runs."""
    from selenium.webdriver.common.by import By

    from leaflet.service import form

    url, _ = live
    driver, _ = browser
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        new MutationObserver(function (changes, observer) {
          const date = document.getElementById("f-dispensed");
          if (date) { date.setAttribute("type", "text"); observer.disconnect(); }
        }).observe(document, {childList: true, subtree: true});"""})
    try:
        _open_form(driver, url, "ar")
        date = driver.find_element(By.ID, "f-dispensed")
        assert date.get_attribute("type") == "text"
        hint = driver.find_element(By.ID, "h-dispensed")
        assert hint.is_displayed() and hint.text == form.strings("ar")["hints"]["dispensed"]
        assert date.get_attribute("aria-describedby") == "h-dispensed e-dispensed"  # read out with the field
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
