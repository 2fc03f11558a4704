"""The indicator table: computed companions of every figure, and reasons for every gap."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.compute import indicators
from analysis.compute.indicator_table import TableError, default_peer_group, indicator_table, wide
from analysis.data.pipeline import empty_records


@pytest.fixture(scope="module")
def erqi(processed):
    return indicator_table(processed.figures, region="erqi", period="2019H1")


def cell(table, indicator, measure, column="value"):
    return table.set_index(["indicator", "measure"]).loc[(indicator, measure), column]


def test_every_gap_has_a_reason(erqi):
    gaps = erqi[erqi["value"].isna() & (erqi["text"] == "")]
    assert (gaps["reason"].str.len() > 0).all()
    assert not (erqi["reason"] == "not_computable").any()


def test_every_figure_and_every_target_of_the_year_appears(erqi, processed):
    figs = processed.figures
    erqi_figs = figs[figs["region"] == "erqi"]
    actual = erqi_figs[(erqi_figs["period"] == "2019H1") & ~erqi_figs["is_target"]]
    targets = erqi_figs[(erqi_figs["period"] == "2019FY") & erqi_figs["is_target"]]
    assert set(erqi["indicator"]) == set(actual["indicator"]) | set(targets["indicator"])
    # a target with no figure of its own: the target, and no level
    assert cell(erqi, "road_network_planned", "target_value") == 127.0
    assert np.isnan(cell(erqi, "road_network_planned", "value"))


def test_published_decimals_and_the_earlier_period(erqi):
    assert cell(erqi, "eco_project_investment", "value_decimals") == 2.0
    assert cell(erqi, "major_project_investment", "value_decimals") == 0.0
    # no 2019Q1 figure for erqi: the comparison with the first quarter is a gap with its reason
    assert np.isnan(cell(erqi, "gdp", "earlier_yoy_pct"))
    rows = erqi.set_index(["indicator", "measure"])
    assert rows.loc[("gdp", "change_vs_earlier_pts"), "reason"] == "no_growth period=2019Q1"


def test_domain_worked_examples(erqi):
    # 175 major projects: 253亿元, 51% of the plan, 1 point ahead of time; plan about 496亿元
    assert cell(erqi, "major_project_investment", "progress_gap_pts") == pytest.approx(1.0)
    assert cell(erqi, "major_project_investment", "annual_plan_implied") == pytest.approx(
        496.08, abs=0.01
    )
    assert cell(erqi, "major_project_investment", "required_h2_amount") == pytest.approx(
        243.08, abs=0.01
    )
    # 20 ecological projects: 18.12亿元, 72.9% of plan, 22.9 points ahead
    assert cell(erqi, "eco_project_investment", "progress_gap_pts") == pytest.approx(22.9)
    # livelihood spending 10.1亿元 at 73% of budget spending: spending about 13.8亿元
    assert cell(erqi, "livelihood_spending_share", "whole_implied") == pytest.approx(
        13.84, abs=0.01
    )
    assert cell(erqi, "gdp", "time_progress_pct") == 50.0


def test_gaps_to_the_levels_above(erqi):
    assert cell(erqi, "gdp", "gap_province_pts") == pytest.approx(0.3)
    assert cell(erqi, "gdp", "gap_nation_pts") == pytest.approx(1.7)
    assert math.isnan(cell(erqi, "gdp", "gap_city_pts"))
    assert (
        cell(erqi, "gdp", "gap_city_pts", "reason") == "no_growth_of region=zhengzhou period=2019H1"
    )


def test_missing_prior_year_is_a_reason_not_a_number(erqi):
    assert math.isnan(cell(erqi, "gdp", "yoy_computed"))
    assert cell(erqi, "gdp", "yoy_computed", "reason") == "no_level period=2018H1"
    assert cell(erqi, "gdp", "required_h2_growth", "reason") == "no_growth_target period=2019FY"


def test_only_growth_known(erqi):
    assert cell(erqi, "urban_income", "yoy_pct") == 8.0
    assert cell(erqi, "urban_income", "value", "reason") == "no_level_published"


def test_a_rank_is_not_differenced_or_grown(erqi):
    assert cell(erqi, "investment_promotion_rank", "yoy_computed", "reason") == (
        "not_computed_for_kind kind=rank"
    )
    assert cell(erqi, "investment_promotion_rank", "rank_yoy", "reason") == (
        "not_ranked_kind indicator=investment_promotion_rank kind=rank"
    )


def test_nation_growth_target_and_required_second_half(processed):
    t = indicator_table(processed.figures, region="china", period="2019H1")
    assert cell(t, "gdp", "target_yoy_pct") == 6.0
    assert cell(t, "gdp", "target_yoy_pct", "text") == "区间"
    assert cell(t, "gdp", "target_verdict", "text") == "met"
    expected = indicators.required_h2_growth(
        target_growth=6.0, h1_prev=418961.0, fy_prev=900309.0, h1_growth=6.3
    )
    assert cell(t, "gdp", "required_h2_growth") == pytest.approx(expected)
    # the real-growth path: H1 built from last year's level and this year's real growth
    a1 = 418961.0 * 1.063
    assert (a1 + (900309.0 - 418961.0) * (1 + expected / 100)) == pytest.approx(1.06 * 900309.0)
    # computed nominal growth is flagged against the published real growth, with a reason
    assert cell(t, "gdp", "yoy_gap_pts", "text") == "flag"
    assert cell(t, "gdp", "yoy_gap_pts", "reason").startswith("growth_gap_real computed=")


def test_nominal_growth_consistent_with_levels(processed):
    t = indicator_table(processed.figures, region="china", period="2019H1")
    assert cell(t, "urban_income", "yoy_computed") == pytest.approx(7.951, abs=0.001)
    assert cell(t, "urban_income", "yoy_gap_pts", "text") == ""


def test_region_with_no_peer_group(processed):
    t = indicator_table(processed.figures, region="china", period="2019H1")
    assert cell(t, "gdp", "rank_yoy", "reason") == "no_peer_group region=china"


def test_peer_ranks_count_the_peers_with_a_figure(processed):
    t = indicator_table(processed.figures, region="zhengdong", period="2020H1")
    assert cell(t, "gdp", "rank_value") == 2.0
    assert cell(t, "gdp", "rank_value", "text") == "4/16"
    assert cell(t, "gdp", "rank_value", "group") == "all16"
    assert cell(t, "gdp", "rank_yoy") == 2.0


def test_a_period_that_does_not_exist(processed):
    with pytest.raises(
        TableError,
        match=r"no figures for erqi in 2018H1; periods with "
        r"figures: .*'2019H1'",
    ):
        indicator_table(processed.figures, region="erqi", period="2018H1")
    with pytest.raises(TableError, match="no figures for region 'mars'"):
        indicator_table(processed.figures, region="mars", period="2019H1")


def synthetic(rows):
    base = empty_records().iloc[0:0]
    frame = pd.DataFrame(rows)
    defaults = {
        "region_zh": "",
        "year": 0,
        "start_month": 1,
        "catalogued": True,
        "kind": "flow",
        "unit": "亿元",
        "plan_pct": np.nan,
        "qualifier": "",
        "is_target": False,
        "peer_group": "",
        "vintage": "preliminary",
        "release": 1,
        "value_rounding": 0.05,
        "yoy_rounding": 0.05,
        "value_decimals": 1.0,
        "stated": "",
        "value_conflict": "",
        "yoy_pct_conflict": "",
        "plan_pct_conflict": "",
        "flag": "",
        "source_file": "s.csv",
        "source_column": "",
        "source_url": "",
        "note": "",
        "indicator_zh": "",
    }
    for k, v in defaults.items():
        frame[k] = frame[k].fillna(v).infer_objects() if k in frame else v
    frame["source_line"] = range(2, len(frame) + 2)
    frame["year"] = frame["period"].str[:4].astype(int)
    frame["end_month"] = frame["period"].map({"2019H1": 6, "2018H1": 6, "2018FY": 12, "2019FY": 12})
    return frame[base.columns].astype(base.dtypes.to_dict())


def test_zero_and_negative_base():
    figs = synthetic(
        [
            {
                "region": "erqi",
                "period": "2019H1",
                "indicator": "gdp",
                "value": 10.0,
                "yoy_pct": np.nan,
            },
            {
                "region": "erqi",
                "period": "2018H1",
                "indicator": "gdp",
                "value": 0.0,
                "yoy_pct": np.nan,
            },
            {
                "region": "erqi",
                "period": "2019H1",
                "indicator": "budget_revenue",
                "value": 5.0,
                "yoy_pct": np.nan,
            },
            {
                "region": "erqi",
                "period": "2018H1",
                "indicator": "budget_revenue",
                "value": -2.0,
                "yoy_pct": np.nan,
            },
        ]
    )
    t = indicator_table(figs, region="erqi", period="2019H1")
    for code in ("gdp", "budget_revenue"):
        assert math.isnan(cell(t, code, "yoy_computed"))
        assert cell(t, code, "yoy_computed", "reason") == "base_not_positive period=2018H1"


def test_required_growth_with_levels_for_a_nominal_target():
    figs = synthetic(
        [
            {
                "region": "erqi",
                "period": "2019H1",
                "indicator": "retail_sales",
                "value": 106.0,
                "yoy_pct": 6.0,
            },
            {
                "region": "erqi",
                "period": "2018H1",
                "indicator": "retail_sales",
                "value": 100.0,
                "yoy_pct": np.nan,
            },
            {
                "region": "erqi",
                "period": "2018FY",
                "indicator": "retail_sales",
                "value": 220.0,
                "yoy_pct": np.nan,
            },
            {
                "region": "erqi",
                "period": "2019FY",
                "indicator": "retail_sales",
                "value": np.nan,
                "yoy_pct": 8.0,
                "is_target": True,
                "qualifier": "以上",
            },
        ]
    )
    t = indicator_table(figs, region="erqi", period="2019H1")
    req = cell(t, "retail_sales", "required_h2_growth")
    # growing H2 by exactly the required growth meets the target exactly
    assert 106.0 + 120.0 * (1 + req / 100) == pytest.approx(1.08 * 220.0)
    assert cell(t, "retail_sales", "target_verdict", "text") == "not met"
    assert cell(t, "retail_sales", "yoy_computed") == pytest.approx(6.0)


def test_default_peer_group():
    assert default_peer_group("erqi") == "inner5"
    assert default_peer_group("gongyi") == "counties6"
    assert default_peer_group("zhengdong") == "all16"


def test_wide_view(erqi):
    w = wide(erqi)
    assert w.loc["gdp", "value"] == 323.3
    assert list(w.index[:1]) == ["gdp"]


def test_required_second_half_needs_last_years_levels_on_one_basis(processed):
    # Henan's 2020 first half is known only from a later, revised source; its full year
    # from the first release: no second half on one basis, so no required growth
    t = indicator_table(processed.figures, region="henan", period="2021H1")
    assert math.isnan(cell(t, "gdp", "required_h2_growth"))
    assert cell(t, "gdp", "required_h2_growth", "reason") == (
        "mixed_vintages period=2020H1 release=2 later=2020FY later_release=1"
    )
    # China 2010: the final full year has no final first half: both first releases
    t = indicator_table(processed.figures, region="china", period="2011H1")
    expected = indicators.required_h2_growth(
        target_growth=8.0, h1_prev=172840.0, fy_prev=397983.0, h1_growth=9.6
    )
    assert cell(t, "gdp", "required_h2_growth") == pytest.approx(expected)
    assert "2010H1 and 2010FY from one release" in cell(t, "gdp", "required_h2_growth", "basis")
