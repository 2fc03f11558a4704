"""Report parameters, titles, the index, the model and the sections read as a reader does."""

import json
import re
from types import SimpleNamespace

import matplotlib as mpl
import numpy as np
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


def test_block_tables_come_from_the_model(erqi):
    tables = {name: t.set_index("指标") for _, name, t in sections.block_tables(erqi, "zh")}
    assert list(tables)[:3] == ["经济总量", "居民收入", "项目建设"]
    assert tables["经济总量"].loc["地区生产总值"].tolist() == ["323.3亿元", "+8.0%"]
    # a column with no figure in its block is left out
    assert tables["居民收入"].columns.tolist() == ["同比增长"]
    projects = tables["项目建设"]
    assert projects.loc["重大项目完成投资", "本期"] == "253亿元"  # as published, not 253.0
    assert projects.loc["重大项目完成投资", "完成年度计划"] == "51%"
    assert projects.loc["重大项目完成投资", "较时间进度（个百分点）"] == "+1.0"
    assert projects.loc["省重点项目投资目标完成情况排名", "本期"] == "市内五区第一位"
    assert tables["城市建设"].loc["百城提质完成投资", "本期"] == "80.05亿元"
    assert tables["生态"].loc["重大生态项目完成投资", "本期"] == "18.12亿元"
    assert tables["其他"].loc["政务服务办理量", "本期"] == "22万余件"
    # every indicator with a figure this period is in one block; target-only rows are not
    shown = sum(len(t) for t in tables.values())
    with_figure = erqi.measures[["value", "yoy_pct"]].notna().any(axis=1).sum()
    assert shown == with_figure
    html = sections.blocks(erqi, "zh").html()
    whole = "民生领域公共财政支出10.1亿元，占一般公共预算支出的73%，"
    whole += "据此推算一般公共预算支出约13.8亿元。"
    assert whole in html


def test_the_judgment_is_written_from_the_assessment(erqi):
    text = sections.judgment_text(erqi, "zh")
    assert text.startswith("2019年上半年，二七区地区生产总值323.3亿元，同比增长8.0%，")
    assert "增速高于河南省0.3个百分点、高于全国1.7个百分点" in text
    assert "上年同期、一季度和郑州市暂无可比增速" in text
    assert "9项年度目标中，2项快于时间进度或已达标，1项慢于时间进度或未达标" in text
    assert text.endswith("总体看，二七区经济运行稳中有进。")
    assert not re.search(r"[,()]", text)  # full-width punctuation in Chinese prose
    html = sections.judgment(erqi, "zh").html()
    assert "判断规则J6" in html


def test_the_judgment_in_english(erqi):
    text = sections.judgment_text(erqi, "en")
    assert text.startswith("In 2019 H1, Erqi's GDP was 32.33 bn yuan, up 8.0% year on year;")
    assert "0.3 points above Henan and 1.7 points above China" in text
    assert text.endswith("Overall, Erqi's economy is stable and improving.")


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
    # grouped by region and period, named in Chinese with the English beside
    assert text.count('<section class="region"') == 1
    assert '<h2>二七区<span class="en">Erqi</span></h2>' in text
    assert '<h3>2019年上半年<span class="en">2019 H1</span></h3>' in text
    assert 'href="erqi_2019H1_zh.html"' in text and "二七区&lt;b&gt;" in text
    assert 'href="erqi_2019H1_en.html"' in text
    assert text.count('<span class="headline">地区生产总值 323.3亿元 +8.0%</span>') == 2
    assert "<b>" not in text
    assert "共2份报告，1个地区" in text and "2 reports, 1 region<" in text
    # the Chinese font is embedded, cut down to the page's characters
    assert '@font-face{font-family:"HalfyearCJK"' in text and "data:font/woff;base64," in text


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
    assert "本期数据中没有年度目标或计划完成进度。" in html
    assert "<img" not in html and section.charts == {}


def test_outlook_section_shows_the_library_projection(erqi, figures):
    result = projection.project(figures, region="erqi", indicator="gdp", year=2019)
    lead, _ = result.lead_method()
    row = result.table().set_index("method").loc[lead]
    html = sections.outlook(erqi, "zh").html()
    # erqi borrows the H1 share of the nearest level above with one: the city
    assert lead == "h1_share" and result.proxy == "zhengzhou"
    assert f"预测2019年全年{format_value(row['projected'], '亿元', lang='zh')}" in html
    assert "借用郑州市的占比" in html
    # erqi has no past year to backtest: the city's backtest is shown, labelled as the city's
    assert "本地区没有可回测的往年：下表为郑州市同一指标的回测误差" in html
    assert "80%区间覆盖" in html and re.search(r"\d+年中\d+年", html)
    # no method was compared with same growth: that column is left out, not a row of dashes
    assert erqi.projections[0].backtest["ratio_to_same_growth"].isna().all()
    assert "误差与同速增长法之比" not in html


def test_outlook_section_leads_with_the_method_the_backtest_chose(processed_path, figures):
    result = projection.project(figures, region="china", indicator="gdp", year=2019)
    lead, reason = result.lead_method()
    html = sections.outlook(model_of(processed_path, "china", "2019H1"), "en").html()
    assert f"Leading method: {language('en').METHODS[lead]}" in html
    assert f"Why: {escape(say(reason, lang='en'))}" in html  # as the template escapes it
    # coverage always with its count
    assert re.search(r"\d+ of \d+ years", html) and "80% interval held" in html


def test_outlook_section_outside_a_first_half(processed_path):
    html = sections.outlook(model_of(processed_path, "china", "2019FY"), "zh").html()
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
    assert "本期没有历史序列的数据。" in report.outlook.html()


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
    assert record["headline"] == "地区生产总值323.3亿元，增长8.0%；稳中有进"
    assert record["verdict"] == "advancing"
    assert record["figures"]["gdp"] == {"value": 323.3, "unit": "亿元", "yoy_pct": 8.0}
    assert record["title"] == "二七区2019年上半年经济运行情况"


def test_every_target_with_its_first_half_status(erqi):
    section = sections.targets(erqi, "zh")
    html = section.html()
    # behind the time line, said as plainly as ahead, with what the second half must deliver
    assert (
        '<li class="behind"><span class="tag">慢于进度</span> 全年规划建设路网：全年目标127条，'
        "上半年完成61条（路网开工建设），占全年目标的48.0%，慢于时间进度2.0个百分点；"
        "下半年需完成66条，比上半年多8.2%。</li>"
    ) in html
    assert (
        '<li class="ahead"><span class="tag">快于进度</span> 重大项目完成投资：上半年完成253亿元，'
        "完成年度计划的51%，超时间进度1.0个百分点；按此推算全年计划约496.1亿元"
    ) in html
    # a target the data hold no first-half figure for says so, with the target
    assert "以下6项年度目标上半年无完成数据，进度无法判断：老旧小区整治提升任务158个" in html
    assert "停车泊位建设8000个" in html and "生活垃圾分类覆盖率70%以上" in html
    # every target of the table is in the section, once
    assert len(section.data) == 9
    chart = section.charts["progress"].data.set_index("label")["plan_pct"].round(1)
    assert chart.to_dict() == {"重大项目完成投资": 51.0, "全年规划建设路网": 48.0,
                               "重大生态项目完成投资": 72.9}  # fmt: skip


def test_problems_with_their_numbers(erqi):
    found = sections.problem_sentences(erqi, "zh")
    assert found[:4] == [
        "全年规划建设路网：全年目标127条，上半年完成61条，占48.0%，慢于时间进度2.0个百分点。",
        "农村居民人均可支配收入增长8.0%，低于全国（8.9%）0.9个百分点。",
        "未开工省重点项目12个。",
        "未开工市重点项目12个。",
    ]
    assert found[4].startswith("本期未公布工业增加值、固定资产投资、社会消费品零售总额和")
    assert "共6项年度目标上半年无完成数据" in found[5] and len(found) == 6
    html = sections.problems(erqi, "zh").html()
    assert html.count("<li>") == 6 and '<ol class="findings">' in html
    english = sections.problem_sentences(erqi, "en")
    assert len(english) == len(found)
    assert english[1] == (
        "Rural per-capita disposable income up 8.0%, 0.9 points below China (8.9%)."
    )


def test_when_no_rule_finds_a_problem_the_report_says_so(erqi):
    from dataclasses import replace

    quiet = replace(
        erqi, assessment=replace(erqi.assessment, problems=erqi.assessment.problems.iloc[0:0])
    )
    html = sections.problems(quiet, "zh").html()
    assert "按本报告的问题规则（见“方法与来源”），本期未发现滞后指标。" in html
    assert "<li>" not in html


def test_outlook_says_what_the_second_half_must_deliver(erqi):
    due, projected = sections.outlook_sentences(erqi, "zh")
    assert "全年规划建设路网：下半年需完成66条，比上半年多8.2%。" in due
    assert "重大项目完成投资：下半年需完成243.1亿元，比上半年少3.9%。" in due
    (gdp,) = projected
    row = erqi.assessment.outlook.set_index("indicator").loc["gdp"]
    low, high = format_value(row["lower"], "亿元", lang="zh"), format_value(row["upper"], "亿元",
                                                                         lang="zh")  # fmt: skip
    value = format_value(row["projected"], "亿元", lang="zh")
    # the range with how often such a range held: erqi has no past year, the city's is shown
    (shown,) = erqi.projections
    tested = shown.backtest.set_index("method").loc["h1_share"]
    held = f"{tested['n_interval']}年中有{tested['n_covered']}年覆盖实际值"
    assert gdp == (
        f"地区生产总值：按上半年占比法预测，全年约{value}（80%区间{low}至{high}）；"
        f"本地区没有可回测的往年，郑州市同一方法的80%区间{held}。"
    )
    due_en, projected_en = sections.outlook_sentences(erqi, "en")
    assert len(due_en) == len(due) and len(projected_en) == len(projected)
    assert "Roads planned for the year: the second half must deliver 66, 8.2% more" in due_en[1]


def test_a_projection_whose_method_was_never_backtested_says_its_range_is_untested(
    processed_path,
):
    yiwu = model_of(processed_path, "330782", "2021H1")
    (gdp, *_) = sections.outlook_sentences(yiwu, "zh")[1]
    (shown, *_) = yiwu.projections
    assert shown.lead not in set(shown.backtest["method"])
    assert gdp.endswith("；该方法没有往年回测，区间未经检验。")
    english = sections.outlook_sentences(yiwu, "en")[1][0]
    assert english.endswith("no past year in the backtest, so the range is untested.")


def test_peer_groups_are_named_with_their_rule(erqi):
    html = sections.peers(erqi, "zh").html()
    named = "比较组：市内五区（已命名的比较组：中原区、二七区、管城回族区、金水区、惠济区）。"
    assert named in html
    english = sections.peers(erqi, "en").html()
    assert "Peer group: the five inner districts (a named group: Zhongyuan" in english


def test_a_peer_group_without_figures_is_still_named_with_its_rule(processed_path):
    yiwu = model_of(processed_path, "330782", "2022H1")
    html = sections.peers(yiwu, "zh").html()
    assert (
        "比较组：金华市各县级市（义乌市不在已命名的比较组中，按规则取金华市同类型县级单位比较）。"
        in html
    )
    assert "该组其他地区在数据中暂无可比数值。" in html
    english = sections.peers(yiwu, "en").html()
    assert "by rule: Yiwu City is in no named group" in english
    assert "No other member of the group has a figure in the data." in english
    # a region whose group has figures gets no such sentence
    assert (
        "暂无可比数值"
        not in sections.peers(model_of(processed_path, "erqi", "2019H1"), "zh").html()
    )


ANALYSIS_SECTIONS = ("judgment", "blocks", "targets", "problems", "outlook")


@pytest.mark.parametrize(
    ("region", "period"),
    [("erqi", "2019H1"), ("china", "2019H1"), ("xingyang", "2020FY"), ("dengfeng", "2020FY")],
)
def test_chinese_prose_has_full_width_punctuation(processed_path, region, period):
    report = Report(model_of(processed_path, region, period), "zh")
    for key in ANALYSIS_SECTIONS:
        section = getattr(report, key)
        for block in section.blocks:
            texts = [block.get("text", ""), *block.get("paragraphs", [])]
            texts += [i if isinstance(i, str) else i["text"] for i in block.get("items", [])]
            for text in texts:
                assert not re.search(r"[,;()]|:(?!\d)", text), (key, text)


@pytest.mark.parametrize(
    ("region", "period"), [("erqi", "2019H1"), ("china", "2019H1"), ("xingyang", "2020FY")]
)
def test_the_english_edition_has_the_same_structure_and_judgment(processed_path, region, period):
    model = model_of(processed_path, region, period)
    zh, en = Report(model, "zh"), Report(model, "en")
    for a, b in zip(zh.sections(), en.sections(), strict=True):
        assert a.key == b.key
        assert [x["type"] for x in a.blocks] == [x["type"] for x in b.blocks], a.key
        assert list(a.charts) == list(b.charts)
    assert zh.record()["verdict"] == en.record()["verdict"]
    english = "".join(b.get("text", "") for s in en.sections() for b in s.blocks)
    assert not re.search(r"[\u4e00-\u9fff]", english)


@pytest.mark.parametrize(
    ("region", "period"), [("erqi", "2019H1"), ("china", "2019H1"), ("zhengzhou", "2020H1")]
)
def test_charts_are_drawn_for_a_phone_and_nothing_is_clipped(processed_path, region, period):
    from analysis.report import plots

    model = model_of(processed_path, region, period)
    for lang in ("zh", "en"):
        for section in Report(model, lang).sections():
            for name, figure in section.figures.items():
                assert figure.get_size_inches()[0] == plots.REPORT_WIDTH
                assert plots.min_text_size(figure) >= plots.MIN_TEXT_PT, (section.key, name)
                assert plots.clipped(figure) == [], (lang, section.key, name)


@pytest.mark.parametrize(
    ("region", "period"),
    [("china", "2019H1"), ("henan", "2019H1"), ("xingyang", "2020FY"), ("dengfeng", "2020FY")],
)
def test_regions_without_targets_or_parents_get_every_section(processed_path, region, period):
    report = Report(model_of(processed_path, region, period), "zh")
    html = report.html(charts=False)
    for key in sections.SECTIONS:
        assert f'id="sec-{key}"' in html
    if report.model.assessment.targets.empty:
        assert "本期数据中没有年度目标或计划完成进度。" in html


def test_sources_that_disagree_are_one_row_per_figure_with_units(erqi):
    rows = sections.conflict_rows(sections._Say(erqi, "en"), erqi.conflicts)
    growth = "+9.0% (published_figures.csv:256); +9.1% (published_figures.csv:257)"
    assert rows == [["2017 full year", "GDP, growth", growth]]
    html = sections.notes(erqi, "zh").html()
    zh = "2017年全年地区生产总值同比增速：+9.0%（published_figures.csv:256）；+9.1%"
    assert f"<li>{zh}（published_figures.csv:257）</li>" in html
    # many sources of one level: the count, the lowest and the highest, in the unit
    many = pd.DataFrame(
        {
            "period": "2019H1",
            "indicator": "gdp",
            "measure": "value",
            "value": [323.3, 320.0, 330.12, 321.0, 322.0, 329.0],
            "unit": "亿元",
            "decimals": [1, 0, 2, 0, 0, 0],
            "source": [f"a.csv:{i}" for i in range(2, 8)],
        }
    )
    (row,) = sections.conflict_rows(sections._Say(erqi, "zh"), many)
    assert row == [
        "2019年上半年",
        "地区生产总值数值",
        "6个来源数值不一，最低320亿元（a.csv:3），最高330.12亿元（a.csv:4）",
    ]


def test_required_growth_reads_as_prose_with_its_direction(processed_path):
    china = model_of(processed_path, "china", "2019H1")
    frame = china.assessment.outlook
    row = frame[(frame["indicator"] == "gdp") & (frame["kind"] == "target")].iloc[0]
    needed = f"{abs(row['h2_growth']):.1f}%"
    (due,) = sections.outlook_sentences(china, "zh")[0]
    # a range target is read by its lower end, as the data holds it; no sign in prose
    assert due == f"地区生产总值：实现全年增长6.0%（区间下限）的目标，下半年需增长{needed}。"
    # a target the first half has already secured: the second half may even shrink
    say = sections._Say(china, "en")
    ahead = SimpleNamespace(basis="growth", h2_growth=-1.24, h2_reason="")
    shrinks = "; it is reached even if the second half shrinks by 1.2%"
    assert sections._required(say, ahead) == shrinks
    assert sections._required(sections._Say(china, "zh"), ahead) == "；下半年即使下降1.2%也能实现"


def test_a_target_against_a_projection_without_range_is_placed_against_the_projection(
    processed_path,
):
    henan = model_of(processed_path, "henan", "2019H1")
    frame = henan.assessment.outlook
    row = frame[(frame["indicator"] == "gdp") & (frame["kind"] == "projection")].iloc[0]
    assert np.isnan(row["lower"]) and row["target_position"] == "below range"
    (gdp,) = sections.outlook_sentences(henan, "zh")[1]
    assert "不给区间" in gdp and gdp.endswith("低于预测值，有望完成。")
    assert "预测区间" not in gdp
