"""Report parameters, titles, the index of reports, number formatting in the sections."""

import json
import re

import pandas as pd
import pytest

from analysis.data.pipeline import load_figures
from analysis.report import reporting, sections


@pytest.fixture(scope="module")
def figures(processed_path) -> pd.DataFrame:
    return load_figures(processed_path)


@pytest.fixture(scope="module")
def erqi(processed_path) -> sections.ReportData:
    params = reporting.ReportParameters("erqi", "2019H1", "zh", processed_path)
    return sections.ReportData.load(params)


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
        reporting.check_parameters(figures=figures, **params)


def test_parameters_accept_chinese_names_and_labels(figures):
    p = reporting.check_parameters(
        region="二七区", period="2019年1-6月", lang="en", figures=figures
    )
    assert (p.region, p.period, p.lang, p.data_path) == ("erqi", "2019H1", "en", None)


def test_headline_rows_come_from_the_indicator_table(erqi):
    rows = erqi.measures
    table = sections.headline_rows(erqi).set_index("指标")
    assert table.loc["地区生产总值", "本期"] == "323.3亿元"
    assert table.loc["地区生产总值", "同比增长"] == "+8.0%"
    assert table.loc["重大项目完成投资"].tolist()[:1] == ["253.0亿元"]
    assert table.loc["重大项目完成投资", "完成年度计划"] == "51.0%"
    assert table.loc["重大项目完成投资", "较时间进度"] == "+1.0个百分点"
    assert table.loc["百城提质完成投资", "本期"] == "80.1亿元"  # 80.05 rounds half up
    assert table.loc["政务服务办理量", "本期"] == "22万余件"
    assert table.loc["招商引资工作综合评价排名", "本期"] == "市内六区第1位"
    assert len(table) == len(rows)


def test_summary_is_written_from_the_numbers(erqi):
    text = "".join(sections.summary_sentences(erqi))
    assert text.startswith("2019年上半年,二七区地区生产总值完成323.3亿元,同比增长8.0%。")
    assert "高于河南省0.3个百分点、高于全国1.7个百分点" in text
    assert "重大项目完成投资253.0亿元,完成年度计划的51.0%,超时间进度1.0个百分点。" in text


def test_summary_in_english(processed_path):
    data = sections.ReportData.load(
        reporting.ReportParameters("erqi", "2019H1", "en", processed_path)
    )
    first = sections.summary_sentences(data)[0]
    assert first == "In 2019 H1, Erqi: GDP 32.33 bn yuan, up 8.0% year on year."


def test_titles():
    p = reporting.ReportParameters("erqi", "2019H1", "en", None)
    assert reporting.report_title(p) == "Erqi: economic situation, 2019 H1"
    assert reporting.report_name(p) == "erqi_2019H1_en"


def test_index_lists_reports_and_escapes(tmp_path):
    for lang, title in (("zh", "二七区<b>"), ("en", "Erqi")):
        (tmp_path / f"erqi_2019H1_{lang}.json").write_text(
            json.dumps(
                {
                    "region": "erqi",
                    "period": "2019H1",
                    "lang": lang,
                    "title": title,
                    "html": f"erqi_2019H1_{lang}.html",
                    "headline": "地区生产总值 323.3亿元 +8.0%",
                }
            )
        )
    (tmp_path / "broken.json").write_text("{")
    text = reporting.write_index(tmp_path).read_text(encoding="utf-8")
    assert text.count("<tr><td>erqi</td>") == 2
    assert 'href="erqi_2019H1_zh.html"' in text and "二七区&lt;b&gt;" in text
    assert "<b>" not in text


def test_font_subset_is_reproducible_and_small():
    first = reporting.font_face_css("二七区经济运行情况")
    assert first == reporting.font_face_css("二七区经济运行情况")
    assert len(first) < 60_000


def test_rejected_rows_of_the_region_are_found(erqi):
    data = sections.ReportData(
        **{
            **erqi.__dict__,
            "rejects": pd.DataFrame(
                {
                    "source_file": ["a.csv", "a.csv"],
                    "source_line": ["3", "4"],
                    "reason": ["bad", "other"],
                    "raw": ["region=erqi | period=2019H1", "region=jinshui | period=2019H1"],
                }
            ),
        }
    )
    assert sections._rejected_rows(data)["source_line"].tolist() == ["3"]


def test_section_without_data_says_so_in_one_line(processed_path):
    data = sections.ReportData.load(
        reporting.ReportParameters("dengfeng", "2020FY", "zh", processed_path)
    )
    html = sections.targets(data).data
    assert "本期没有年度目标或计划完成进度的数据。" in html
    assert "<img" not in html


def test_trend_section_shows_the_library_projection(erqi):
    from analysis.compute import projection

    result = projection.project(erqi.figures, region="erqi", indicator="gdp", year=2019)
    lead, _ = result.lead_method()
    row = result.table().set_index("method").loc[lead]
    html = sections.trend(erqi).data
    # erqi borrows the H1 share of the nearest level above with one: the city
    assert lead == "h1_share" and result.proxy == "zhengzhou"
    assert f"预测2019年全年{sections.format_value(row['projected'], '亿元', lang='zh')}" in html
    assert "借用郑州市的占比" in html
    # erqi has no past year to backtest: the city's backtest is shown, labelled as the city's
    assert "本地区没有可回测的往年：下表为郑州市同一指标的回测误差" in html
    assert "80%区间覆盖" in html and re.search(r"\d+年中\d+年", html)


def test_trend_section_leads_with_the_method_the_backtest_chose(processed_path):
    from analysis.compute import projection

    data = sections.ReportData.load(
        reporting.ReportParameters("china", "2019H1", "en", processed_path)
    )
    result = projection.project(data.figures, region="china", indicator="gdp", year=2019)
    lead, reason = result.lead_method()
    html = sections.trend(data).data
    label = sections.texts.language("en").METHODS[lead]
    assert f"Leading method: {label}" in html
    assert f"Why: {sections.texts.say(reason, lang='en')}" in html
    # coverage always with its count
    assert re.search(r"\d+ of \d+ years", html) and "80% interval held" in html


def test_trend_section_outside_a_first_half(processed_path):
    data = sections.ReportData.load(
        reporting.ReportParameters("china", "2019FY", "zh", processed_path)
    )
    assert "全年预测只对上半年报告给出" in sections.trend(data).data


def test_trend_uses_nothing_from_after_the_report_period(erqi):
    later = erqi.figures.query("region == 'erqi' and indicator == 'gdp' and period == '2023FY'")
    assert not later.empty  # the data has Erqi's 2023 level ...
    series = sections.level_series(erqi)
    assert series["year"].max() == 2019  # ... and the 2019 report's series stops at 2019
    assert series.values.tolist() == [[2017, "全年", 567.0], [2019, "上半年", 323.3]]


def test_every_section_builds_for_a_region_without_levels(processed_path):
    # 荥阳 2020: growth rates only, no level of any indicator
    data = sections.ReportData.load(
        reporting.ReportParameters("xingyang", "2020FY", "zh", processed_path)
    )
    assert sections.level_series(data).empty
    for section in (
        sections.header,
        sections.summary,
        sections.headline,
        sections.compare,
        sections.targets,
        sections.peers,
        sections.trend,
        sections.notes,
        sections.methods,
    ):
        assert "<" in section(data).data
    assert "本期没有历史序列的数据。" in sections.trend(data).data
