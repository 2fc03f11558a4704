"""The default reports opened as a reader opens them: headless Chromium, network blocked, on
a 412 px phone and a 1280 px screen."""

import shutil

import pytest

from analysis.config import paths
from analysis.report import browser, reporting

#: Chinese characters each edition must draw with the embedded font (the English edition
#: names the district in Chinese beside its translation).
SAMPLES = {"zh": "二七区经济运行总体判断", "en": "二七区"}


@pytest.fixture(scope="module")
def reports(processed_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    made = {}
    for lang in ("zh", "en"):
        params = reporting.ReportParameters("erqi", "2019H1", lang, processed_path)
        made[lang] = (params, reporting.run_report(params, out_dir=out))
    return made


def _shot(lang: str, width: int):
    # the phone's screenshot keeps the name it always had
    suffix = "" if width == 412 else f"_{width}"
    return paths().reports / f"screenshot_erqi_2019H1_{lang}{suffix}.png"


@pytest.mark.notebook
@pytest.mark.parametrize("width", [412, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_report_in_chromium(reports, tmp_path_factory, lang, width):
    params, html = reports[lang]
    shot = _shot(lang, width)
    check = browser.check_report(html, screenshot=shot, sample=SAMPLES[lang], width=width)
    print(check)
    assert check.blocked == [] and check.failed == []
    assert check.console_errors == []
    assert len(check.images) >= 4 and all(check.images)
    assert check.font_status == ["loaded"]
    assert check.cjk_glyphs and all(check.cjk_glyphs)
    assert check.title == reporting.report_title(params)
    # no page wider than the window: long words wrap, wide tables scroll in their box
    assert check.window_width == width
    assert check.page_width <= width, check.too_wide
    assert check.tables and all(t["inside"] for t in check.tables)
    assert all(t["cue"] for t in check.tables if t["scrolls"]), check.tables
    # the default report's tables are made to fit a phone: none needs scrolling there
    assert not any(t["scrolls"] for t in check.tables), check.tables
    # charts drawn for the phone: no chart text under 11 CSS px, at either width
    assert len(check.chart_text_px) == len(check.images)
    assert min(check.chart_text_px) >= browser.MIN_CHART_TEXT_PX - 0.05, check.chart_text_px
    assert check.ok
    assert shot.exists() and shot.stat().st_size > 10_000
    if lang == "zh" and width == 412:
        shutil.copy(html, tmp_path_factory.getbasetemp() / "checked.html")


def test_missing_browser_gives_a_clear_message(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(browser.BrowserMissingError, match="make browser"):
        browser.chromium_path()
