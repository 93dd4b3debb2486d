"""report.html and compare.html in a real headless browser (Debian's chromium + chromedriver, via selenium):
the images render, the findings are listed, and the console shows no error.

Needs ``apt-get install chromium chromium-driver`` and the ``selenium`` package; skipped without them, except
under CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from test_report import synthetic_analysis  # noqa: E402

from movelab.report import write_compare, write_outputs  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).is_file():
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run in CI: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,1600",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> list[dict]:
    driver.get(path.resolve().as_uri())
    driver.execute_script("return document.readyState")
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def _images(driver) -> list[dict]:
    return driver.execute_script(
        "return Array.from(document.images).map(i => ({id: i.id, complete: i.complete, w: i.naturalWidth,"
        " h: i.naturalHeight, shown: i.getBoundingClientRect().width}))"
    )


def test_report_html_in_a_browser(browser, tmp_path):
    analysis = synthetic_analysis()
    write_outputs(analysis, tmp_path / "out")
    errors = _open(browser, tmp_path / "out" / "report.html")
    assert errors == []
    images = _images(browser)
    assert [i["id"] for i in images][:1] == ["img-timeline"]  # + img-curves when time_normalise exists
    assert all(i["complete"] and i["w"] > 0 and i["h"] > 0 and i["shown"] > 100 for i in images)
    cards = browser.execute_script(
        "return Array.from(document.querySelectorAll('#findings .finding')).map(e => e.dataset.code)"
    )
    assert cards == ["excessive_trunk_lean"]
    text = browser.find_element("id", "findings").text
    assert "leaned further forward than your shins" in text
    notes = browser.find_element("id", "notes").text
    assert "Pelvic tilt" in notes
    assert browser.find_element("id", "per-span").is_displayed()


def test_compare_html_in_a_browser(browser, tmp_path):
    write_outputs(synthetic_analysis(), tmp_path / "before")
    write_outputs(synthetic_analysis(), tmp_path / "after")
    write_compare(tmp_path / "before", tmp_path / "after", tmp_path / "cmp", labels=("before", "after"))
    assert _open(browser, tmp_path / "cmp" / "compare.html") == []
    images = _images(browser)
    assert len(images) == 1 and images[0]["w"] > 0
    assert "persisting" in browser.find_element("id", "findings").text


def test_a_console_error_would_be_seen(browser, tmp_path):
    """The check above can fail: a page whose image is broken logs an error that the test reads."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><img src="missing.png"></body></html>')
    errors = _open(browser, page)
    assert errors and "missing.png" in errors[0]["message"]
