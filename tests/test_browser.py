"""The default report opened as a reader opens it: headless Chromium, network blocked."""

import shutil

import pytest

from analysis.config import paths
from analysis.report import browser, reporting


@pytest.mark.notebook
def test_default_report_in_chromium(processed_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    params = reporting.ReportParameters("erqi", "2019H1", "zh", processed_path)
    html = reporting.run_report(params, out_dir=out)
    shot = paths().reports / "screenshot_erqi_2019H1_zh.png"
    check = browser.check_report(html, screenshot=shot)
    print(check)
    assert check.blocked == [] and check.failed == []
    assert check.console_errors == []
    assert len(check.images) >= 4 and all(check.images)
    assert check.font_status == ["loaded"]
    assert check.cjk_glyphs and all(check.cjk_glyphs)
    assert check.title == reporting.report_title(params)
    assert shot.exists() and shot.stat().st_size > 10_000
    shutil.copy(html, tmp_path_factory.getbasetemp() / "checked.html")


def test_missing_browser_gives_a_clear_message(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(browser.BrowserMissingError, match="make browser"):
        browser.chromium_path()
