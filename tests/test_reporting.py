"""Report parameters, headline figures and number formatting."""

from pathlib import Path

import pandas as pd
import pytest

from analysis import reporting
from analysis.pipeline import load_figures


@pytest.fixture(scope="module")
def figures(processed_path) -> pd.DataFrame:
    return load_figures(processed_path)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "火星区"}, r"unknown region '火星区'; regions with data: .*erqi"),
        (
            {"period": "2018H1"},
            r"no figures for erqi in 2018H1; periods with data for erqi: "
            r".*2019H1",
        ),
        ({"period": "2019H3"}, r"period '2019H3'"),
        ({"lang": "fr"}, r"unknown language 'fr'; available: zh, en"),
    ],
)
def test_bad_parameters_say_what_is_valid(figures, kwargs, message):
    params = {"region": "erqi", "period": "2019H1", "lang": "zh", **kwargs}
    with pytest.raises(reporting.ParameterError, match=message):
        reporting.check_parameters(figures=figures, data_path=Path("x"), **params)


def test_parameters_accept_chinese_names_and_labels(figures):
    p = reporting.check_parameters(
        region="二七区", period="2019年1-6月", lang="en", figures=figures, data_path=Path("x")
    )
    assert (p.region, p.period, p.lang) == ("erqi", "2019H1", "en")


def test_headline_figures_are_the_latest_actual_figures(figures):
    h = reporting.headline_figures(figures, region="erqi", period="2019H1")
    assert not h["is_target"].any()
    assert h["indicator"].is_unique
    assert h["indicator"].iloc[0] == "gdp"  # catalog order: GDP first
    expected = figures.query("region == 'erqi' and period == '2019H1' and not is_target")
    assert set(h["indicator"]) == set(expected["indicator"])


def test_headline_table_formats(figures):
    h = reporting.headline_figures(figures, region="erqi", period="2019H1")
    zh = reporting.format_headline(h, lang="zh").set_index("指标")
    assert zh.loc["地区生产总值"].tolist() == ["323.3亿元", "+8.0%", "—"]
    assert zh.loc["重大项目完成投资"].tolist() == ["253亿元", "—", "51.0%"]
    assert zh.loc["城镇居民人均可支配收入"].tolist() == ["—", "+8.0%", "—"]
    assert zh.loc["招商引资工作综合评价排名", "本期"] == "市内六区第1位"
    en = reporting.format_headline(h, lang="en").set_index("Indicator")
    assert en.loc["GDP", "Year on year"] == "+8.0%"
    assert en.loc["Rank: investment promotion assessment", "This period"] == (
        "1 among the six inner districts"
    )


def test_growth_against_parents_skips_gaps(figures):
    t = reporting.growth_against_parents(
        figures, region="erqi", period="2019H1", indicator="gdp", lang="en"
    )
    # Zhengzhou published no 2019H1 GDP growth in the data: a gap, not a zero
    assert t["region"].tolist() == ["erqi", "henan", "china"]
    assert t["yoy_pct"].tolist() == [8.0, 7.7, 6.3]


def test_titles():
    p = reporting.ReportParameters("erqi", "2019H1", "en", Path("x"))
    assert reporting.report_title(p) == "Erqi: economic situation, 2019 H1"
