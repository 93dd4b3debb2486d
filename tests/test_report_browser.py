"""report.html and compare.html in a real headless browser (Debian's chromium + chromedriver, via selenium):
the images render, the findings are listed, and the console shows no error.

Needs ``apt-get install chromium chromium-driver`` and the ``selenium`` package; skipped without them, except
under CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from browser import chromium  # noqa: E402
from test_report import synthetic_analysis  # noqa: E402

from movelab.report import write_compare, write_outputs  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
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
