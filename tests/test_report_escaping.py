"""Text from data is shown, never run: a raw file with markup in it gives a harmless report."""

import re

import pandas as pd
import pytest

from analysis.data import pipeline
from analysis.report import browser, reporting

HOSTILE = [
    {"indicator_zh": "<script>alert(1)</script>", "value": "5", "unit": "个"},
    {"indicator_zh": "<img src=x onerror=alert(1)>", "value": "3", "unit": "个"},
    {
        "indicator_zh": "地区生产总值",
        "value": "100",
        "unit": "亿元",
        "yoy_pct": "5",
        "note": "preliminary",
        "source_url": "javascript:alert(1)<b>bold</b>",
    },
]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    rows = pd.DataFrame(
        [
            {
                "region_zh": "二七区",
                "period": "2015年上半年",  # a past period: future ones are rejected
                "indicator_zh": "",
                "value": "",
                "unit": "",
                "yoy_pct": "",
                "note": "",
                "source_url": "",
                **r,
            }
            for r in HOSTILE
        ]
    )
    raw = tmp / "hostile.csv"
    rows.to_csv(raw, index=False)
    result = pipeline.process_files([raw])
    assert len(result.figures) == 3  # markup in a name is data, kept as uncatalogued
    data_path = pipeline.write_outputs(result, directory=tmp / "processed")["figures"]
    params = reporting.ReportParameters("erqi", "2015H1", "zh", data_path)
    return reporting.run_report(params, out_dir=tmp / "reports")


@pytest.mark.notebook
def test_markup_from_data_is_escaped(hostile_report):
    text = hostile_report.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    # the source's address is shown (data notes), as text
    assert "javascript:alert(1)&lt;b&gt;bold&lt;/b&gt;" in text
    assert "<b>" not in text
    assert "<script" not in text.lower()
    assert not re.search(r"<img[^>]*onerror", text)
    assert 'href="javascript:' not in text


@pytest.mark.notebook
def test_markup_from_data_runs_nothing_in_a_browser(hostile_report):
    check = browser.check_report(hostile_report)
    assert check.console_errors == []
    assert check.blocked == [] and check.failed == []
    assert all(check.images)
