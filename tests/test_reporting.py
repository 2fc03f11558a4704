"""Report parameters, titles, the index, the model and the sections read as a reader does."""

import json
import re

import matplotlib as mpl
import pandas as pd
import pytest

from analysis.compute import projection
from analysis.data.pipeline import load_figures
from analysis.report import model as report_model
from analysis.report import reporting, sections
from analysis.report.document import Report
from analysis.report.render import escape
from analysis.report.texts import format_value, language, say


@pytest.fixture(scope="module")
def figures(processed_path) -> pd.DataFrame:
    return load_figures(processed_path)


@pytest.fixture(scope="module")
def erqi(processed_path) -> report_model.ReportModel:
    return report_model.load_model("erqi", "2019H1", data_path=processed_path)


def model_of(processed_path, region, period):
    return report_model.load_model(region, period, data_path=processed_path)


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


def test_the_model_holds_numbers_and_codes_not_words(erqi):
    assert erqi.measures.loc["gdp", "value"] == 323.3
    assert erqi.reasons.loc["gdp", "prev_yoy_pct"] == "no_growth period=2018H1"
    assert erqi.groups.loc["investment_promotion_rank", "value"] == "inner6"
    assert erqi.series.values.tolist() == [[2017, "FY", 567.0], [2019, "H1", 323.3]]
    assert erqi.peers.group == "all16" and erqi.peers.period == "2017FY"
    assert [p.indicator for p in erqi.projections] == ["gdp"]
    # nothing in the model is in a language: every text is a code or data as published
    chinese = erqi.table[["reason", "basis"]].apply(lambda c: c.str.contains(r"[\u4e00-\u9fff]"))
    assert not chinese.any().any()


def test_headline_rows_come_from_the_model(erqi):
    table = sections.headline_rows(erqi, "zh").set_index("指标")
    assert table.loc["地区生产总值", "本期"] == "323.3亿元"
    assert table.loc["地区生产总值", "同比增长"] == "+8.0%"
    assert table.loc["重大项目完成投资"].tolist()[:1] == ["253.0亿元"]
    assert table.loc["重大项目完成投资", "完成年度计划"] == "51.0%"
    assert table.loc["重大项目完成投资", "较时间进度"] == "+1.0个百分点"
    assert table.loc["百城提质完成投资", "本期"] == "80.1亿元"  # 80.05 rounds half up
    assert table.loc["政务服务办理量", "本期"] == "22万余件"
    assert table.loc["招商引资工作综合评价排名", "本期"] == "市内六区第1位"
    assert len(table) == len(erqi.measures)


def test_summary_is_written_from_the_numbers(erqi):
    text = "".join(sections.summary_sentences(erqi, "zh"))
    assert text.startswith("2019年上半年,二七区地区生产总值完成323.3亿元,同比增长8.0%。")
    assert "高于河南省0.3个百分点、高于全国1.7个百分点" in text
    assert "重大项目完成投资253.0亿元,完成年度计划的51.0%,超时间进度1.0个百分点。" in text


def test_summary_in_english(erqi):
    first = sections.summary_sentences(erqi, "en")[0]
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


def test_rejected_rows_of_the_region_are_found(erqi, figures):
    rejects = pd.DataFrame(
        {
            "source_file": ["a.csv", "a.csv"],
            "source_line": ["3", "4"],
            "reason": ["bad", "other"],
            "raw": ["region=erqi | period=2019H1", "region=jinshui | period=2019H1"],
        }
    )
    model = report_model.build(figures, region="erqi", period="2019H1", rejects=rejects)
    assert model.rejected["source_line"].tolist() == ["3"]


def test_section_without_data_says_so_in_one_line(processed_path):
    section = sections.targets(model_of(processed_path, "dengfeng", "2020FY"), "zh")
    html = section.html()
    assert "本期没有年度目标或计划完成进度的数据。" in html
    assert "<img" not in html and section.charts == {}


def test_trend_section_shows_the_library_projection(erqi, figures):
    result = projection.project(figures, region="erqi", indicator="gdp", year=2019)
    lead, _ = result.lead_method()
    row = result.table().set_index("method").loc[lead]
    html = sections.trend(erqi, "zh").html()
    # erqi borrows the H1 share of the nearest level above with one: the city
    assert lead == "h1_share" and result.proxy == "zhengzhou"
    assert f"预测2019年全年{format_value(row['projected'], '亿元', lang='zh')}" in html
    assert "借用郑州市的占比" in html
    # erqi has no past year to backtest: the city's backtest is shown, labelled as the city's
    assert "本地区没有可回测的往年：下表为郑州市同一指标的回测误差" in html
    assert "80%区间覆盖" in html and re.search(r"\d+年中\d+年", html)


def test_trend_section_leads_with_the_method_the_backtest_chose(processed_path, figures):
    result = projection.project(figures, region="china", indicator="gdp", year=2019)
    lead, reason = result.lead_method()
    html = sections.trend(model_of(processed_path, "china", "2019H1"), "en").html()
    assert f"Leading method: {language('en').METHODS[lead]}" in html
    assert f"Why: {escape(say(reason, lang='en'))}" in html  # as the template escapes it
    # coverage always with its count
    assert re.search(r"\d+ of \d+ years", html) and "80% interval held" in html


def test_trend_section_outside_a_first_half(processed_path):
    html = sections.trend(model_of(processed_path, "china", "2019FY"), "zh").html()
    assert "全年预测只对上半年报告给出" in html


def test_trend_uses_nothing_from_after_the_report_period(erqi, figures):
    later = figures.query("region == 'erqi' and indicator == 'gdp' and period == '2023FY'")
    assert not later.empty  # the data has Erqi's 2023 level ...
    assert erqi.series["year"].max() == 2019  # ... and the 2019 report's series stops at 2019


def test_every_section_builds_for_a_region_without_levels(processed_path):
    # 荥阳 2020: growth rates only, no level of any indicator
    report = Report(model_of(processed_path, "xingyang", "2020FY"), "zh")
    assert report.model.series.empty
    for section in report.sections():
        assert section.html().startswith("<")
    assert "本期没有历史序列的数据。" in report.trend.html()


def test_a_section_is_its_numbers_its_charts_and_its_html(erqi):
    section = sections.compare(erqi, "en")
    assert section.data.set_index("indicator").loc["gdp", "yoy_pct"] == 8.0
    figure = section.figures["growth"]
    assert figure.axes[0].get_yticklabels()[0].get_text() == "GDP"
    html = section._repr_html_()
    assert html.startswith('<section id="sec-compare">') and "data:image/png;base64," in html
    # the same chart in another theme: larger text, other colours, the same numbers
    restyled = section.draw(
        "growth",
        rc={"font.size": 24, "axes.prop_cycle": mpl.cycler(color=["#000000"])},
    )
    assert restyled.axes[0]._left_title.get_fontsize() == 28
    assert figure.axes[0]._left_title.get_fontsize() == 14
    assert restyled.axes[0].patches[0].get_facecolor()[:3] == (0.0, 0.0, 0.0)
    widths = [p.get_width() for p in restyled.axes[0].patches if p.get_width()]
    assert widths == [p.get_width() for p in figure.axes[0].patches if p.get_width()]


def test_the_record_gives_the_index_its_headline(erqi):
    record = Report(erqi, "zh").record()
    assert record["headline"] == "地区生产总值 323.3亿元 +8.0%"
    assert record["figures"]["gdp"] == {"value": 323.3, "unit": "亿元", "yoy_pct": 8.0}
    assert record["title"] == "二七区2019年上半年经济运行情况"
