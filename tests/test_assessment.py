"""The report's analysis: target status, judgment, problems, outlook, blocks.

Most cases are constructed indicator tables (one row per indicator and measure, as
``indicator_table`` returns them), so each rule is tested on the situation it is for.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.catalog import Catalog, load
from analysis.compute import assessment
from analysis.compute.indicator_table import COLUMNS, indicator_table

ROOT = Path(__file__).resolve().parents[1]

#: Measures whose ``text`` carries a word (a qualifier, a parent's code).
TEXTS = {"target_yoy_pct", "target_value", "yoy_city", "yoy_province", "yoy_nation",
         "gap_city_pts", "gap_province_pts", "gap_nation_pts"}  # fmt: skip
PARENTS = {"city": "zhengzhou", "province": "henan", "nation": "china"}


def table(figures: dict[str, dict], *, time_pct: float = 50.0) -> pd.DataFrame:
    """An indicator table from {indicator: {measure: value or (value, text)}}."""
    rows = []
    for code, measures in figures.items():
        measures = {"time_progress_pct": time_pct, **measures}
        for level, parent in PARENTS.items():
            for measure in (f"yoy_{level}", f"gap_{level}_pts"):
                if measure in measures and not isinstance(measures[measure], tuple):
                    measures[measure] = (measures[measure], parent)
        for measure, given in measures.items():
            value, text = given if isinstance(given, tuple) else (given, "")
            rows.append(
                {"region": "x", "period": "2019H1", "indicator": code, "measure": measure,
                 "value": float(value), "text": text, "unit": "", "reason": "", "basis": ""}
            )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS).astype({"value": "float64"})


def catalog(**links: dict) -> Catalog:
    """The shipped catalog, with some rows changed ({code: {column: value}})."""
    shipped = load()
    frame = shipped.indicators.copy()
    for code, columns in links.items():
        for column, value in columns.items():
            frame.loc[code, column] = value
    return Catalog.from_frames(
        indicators=frame.reset_index(drop=True),
        regions=shipped.regions.reset_index(drop=True),
        peer_groups=shipped.peer_groups.reset_index(drop=True),
    )


def status_of(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("indicator").loc[code]


# --- target status ------------------------------------------------------------------------


def test_a_count_target_linked_in_the_catalog_is_measured_by_its_achievement():
    # 127 roads planned for the year, 61 started by June: 48.0%, 2.0 points behind
    t = table({"road_network_planned": {"target_value": 127}, "roads_started": {"value": 61}})
    s = status_of(assessment.target_status(t), "road_network_planned")
    assert s["basis"] == "level" and s["achieved_by"] == "roads_started"
    assert round(s["progress_pct"], 1) == 48.0 and round(s["gap"], 1) == -2.0
    assert s["status"] == "behind"
    assert s["h2_amount"] == 66.0  # 127 - 61
    assert round(s["h2_vs_h1_pct"], 1) == 8.2  # 66 against 61 in the first half


def test_the_link_is_data_not_code():
    t = table({"road_network_planned": {"target_value": 127}, "roads_tendered": {"value": 13}})
    shipped = status_of(assessment.target_status(t), "road_network_planned")
    assert shipped["status"] == "no achievement"  # the catalog links roads_started
    relinked = catalog(road_network_planned={"achieved_by": "roads_tendered"})
    s = status_of(assessment.target_status(t, catalog=relinked), "road_network_planned")
    assert (s["achieved"], s["achieved_by"], s["status"]) == (13.0, "roads_tendered", "behind")


def test_a_target_without_achievement_says_so():
    t = table({"parking_spaces": {"target_value": 8000}, "gdp": {"value": 100, "yoy_pct": 8}})
    s = status_of(assessment.target_status(t), "parking_spaces")
    assert s["status"] == "no achievement" and np.isnan(s["achieved"])
    assert np.isnan(s["gap"]) and np.isnan(s["h2_amount"])


def test_published_plan_share_ahead_and_the_implied_plan():
    t = table({"major_project_investment": {"value": 253, "plan_pct": 51,
               "progress_gap_pts": 1.0, "annual_plan_implied": 253 / 0.51,
               "required_h2_amount": 253 / 0.51 - 253}})  # fmt: skip
    s = status_of(assessment.target_status(t), "major_project_investment")
    assert (s["basis"], s["status"], s["gap"]) == ("plan", "ahead", 1.0)
    assert round(s["target"], 1) == 496.1 and round(s["h2_amount"], 1) == 243.1


def test_on_time_and_completed():
    t = table({"new_public_toilets": {"target_value": 20, "value": 10},
               "parking_spaces": {"target_value": 8000, "value": 8100}})  # fmt: skip
    s = assessment.target_status(t).set_index("indicator")["status"]
    assert s.to_dict() == {"new_public_toilets": "on time", "parking_spaces": "completed"}


def test_a_rate_target_is_read_against_the_target_not_the_time_line():
    t = table({"waste_sorting_coverage": {"target_value": 70, "value": 62.5}})
    s = status_of(assessment.target_status(t), "waste_sorting_coverage")
    assert (s["basis"], s["status"], s["gap"]) == ("end_level", "short", -7.5)
    assert np.isnan(s["progress_pct"])


def test_growth_target_met_and_not_met_with_its_qualifier():
    t = table({"gdp": {"yoy_pct": 7.8, "target_yoy_pct": (8.0, "以上"),
                       "required_h2_growth": 8.2},
               "retail_sales": {"yoy_pct": 7.6, "target_yoy_pct": (8.0, "左右")}})  # fmt: skip
    s = assessment.target_status(t).set_index("indicator")
    assert s.loc["gdp", "status"] == "not met" and s.loc["gdp", "h2_growth"] == 8.2
    assert s.loc["retail_sales", "status"] == "met"  # within 0.5 of 'about 8%'
    assert round(s.loc["gdp", "gap"], 1) == -0.2


def test_no_targets_gives_an_empty_frame_with_the_columns():
    t = table({"gdp": {"value": 100, "yoy_pct": 8}})
    frame = assessment.target_status(t)
    assert frame.empty and list(frame.columns) == list(assessment.TARGET_COLUMNS)


# --- judgment -----------------------------------------------------------------------------


def gdp(**measures) -> dict:
    return {"gdp": {"value": 100.0, "yoy_pct": 8.0, **measures}}


def verdict(figures: dict) -> tuple[str, str]:
    j = assessment.judgment(table(figures))
    return j.verdict, j.rule


def behind(n: int) -> dict:
    """n task targets, each behind the time line."""
    codes = ["new_public_toilets", "parking_spaces", "resettlement_projects_returned"][:n]
    return {c: {"target_value": 100, "value": 40} for c in codes}


def ahead(n: int) -> dict:
    codes = ["old_community_renovation", "new_schools", "parks_built"][:n]
    return {c: {"target_value": 100, "value": 60} for c in codes}


def test_no_headline_growth_gives_no_verdict():
    assert verdict({"parks_built": {"value": 4}}) == ("undetermined", "J1")
    assert verdict({"gdp": {"value": 100.0}, **behind(2)}) == ("undetermined", "J1")


def test_decline_is_pressure():
    assert verdict(gdp(yoy_pct=-1.2, gap_province_pts=2.0)) == ("pressure", "J2")


def test_slower_on_every_comparison_in_time_and_below_the_levels_above_is_pressure():
    figures = gdp(growth_change_pts=-1.0, change_vs_earlier_pts=-0.6,
                  gap_province_pts=-0.4, gap_nation_pts=-0.1)  # fmt: skip
    assert verdict(figures) == ("pressure", "J3")


def test_slower_than_last_year_but_above_the_province_is_easing():
    assert verdict(gdp(growth_change_pts=-1.0, gap_province_pts=0.5)) == ("easing", "J4")


def test_a_small_change_reads_as_flat():
    figures = gdp(growth_change_pts=-0.4)
    assert verdict(figures) == ("steady", "J7")
    c = assessment.judgment(table(figures)).comparisons.set_index("against")
    assert c.loc["last_year", "direction"] == "flat"


def test_all_targets_behind_is_easing_even_with_growth_above_the_levels_above():
    figures = {**gdp(gap_province_pts=0.3, gap_nation_pts=1.7), **behind(3)}
    j = assessment.judgment(table(figures))
    assert (j.verdict, j.rule) == ("easing", "J5")
    assert j.targets == {"total": 3, "assessed": 3, "ahead": 0, "behind": 3, "on_time": 0,
                         "unmeasured": 0}  # fmt: skip


def test_mixed_targets_with_more_ahead_and_growth_above_is_advancing():
    figures = {**gdp(gap_province_pts=0.3, gap_nation_pts=1.7), **behind(1), **ahead(2)}
    j = assessment.judgment(table(figures))
    assert (j.verdict, j.rule) == ("advancing", "J6")
    assert (j.targets["ahead"], j.targets["behind"]) == (2, 1)


def test_mixed_targets_with_more_behind_than_ahead_is_not_advancing():
    figures = {**gdp(gap_province_pts=0.3), **behind(2), **ahead(1)}
    assert verdict(figures) == ("easing", "J5")
    figures = {**gdp(gap_province_pts=0.3), **behind(2), **ahead(1),
               "parks_built": {"target_value": 10, "value": 5}}  # fmt: skip
    assert verdict(figures) == ("steady", "J7")  # 2 of 4 behind: not more than half


def test_faster_than_last_year_without_targets_is_advancing():
    assert verdict(gdp(growth_change_pts=0.8)) == ("advancing", "J6")


def test_no_parent_data_and_no_history_is_steady():
    j = assessment.judgment(table(gdp()))
    assert (j.verdict, j.rule) == ("steady", "J7")
    assert (j.comparisons["direction"] == "unknown").all()
    assert j.targets["total"] == 0


def test_above_some_levels_and_below_others_is_not_advancing_on_the_levels_alone():
    assert verdict(gdp(gap_province_pts=0.3, gap_nation_pts=-0.2)) == ("steady", "J7")


def test_the_headline_is_the_first_catalog_headline_with_growth():
    figures = {"gdp": {"value": 100.0}, "retail_sales": {"yoy_pct": 6.0},
               "industrial_value_added": {"yoy_pct": 5.0}}  # fmt: skip
    j = assessment.judgment(table(figures))
    assert (j.headline, j.growth) == ("industrial_value_added", 5.0)


# --- problems -----------------------------------------------------------------------------


def codes(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["code"], frame["indicator"], strict=True))


def test_nothing_lags_gives_an_empty_frame():
    figures = {code: {"value": 10.0, "yoy_pct": 8.0} for code in
               ("gdp", "industrial_value_added", "fixed_asset_investment", "retail_sales",
                "budget_revenue", "urban_income", "rural_income")}  # fmt: skip
    frame = assessment.problems(table(figures))
    assert frame.empty and list(frame.columns) == list(assessment.PROBLEM_COLUMNS)


def test_every_problem_rule_with_its_numbers():
    figures = {
        "gdp": {"value": 100.0, "yoy_pct": 6.0, "prev_yoy_pct": 7.5, "growth_change_pts": -1.5,
                "gap_province_pts": -0.4, "yoy_province": 6.4, "target_yoy_pct": (8.0, "以上")},
        "retail_sales": {"yoy_pct": -2.0, "earlier_yoy_pct": 1.0, "change_vs_earlier_pts": -3.0},
        "road_network_planned": {"target_value": 127},
        "roads_started": {"value": 61},
        "waste_sorting_coverage": {"target_value": 70, "value": 62.5},
        "parking_spaces": {"target_value": 8000},
        "provincial_key_projects_not_started": {"value": 12},
    }  # fmt: skip
    frame = assessment.problems(table(figures))
    assert codes(frame) == [
        ("target_behind", "road_network_planned"),
        ("growth_target_not_met", "gdp"),
        ("end_target_short", "waste_sorting_coverage"),
        ("decline", "retail_sales"),
        ("slower_than_last_year", "gdp"),
        ("slower_than_earlier", "retail_sales"),
        ("below_parent", "gdp"),
        ("adverse_count", "provincial_key_projects_not_started"),
        ("headline_missing", "industrial_value_added"),
        ("headline_missing", "fixed_asset_investment"),
        ("headline_missing", "budget_revenue"),
        ("headline_missing", "urban_income"),
        ("headline_missing", "rural_income"),
        ("target_unmeasured", "parking_spaces"),
    ]
    row = frame.set_index(["code", "indicator"])
    behind = row.loc[("target_behind", "road_network_planned")]
    assert (round(behind["value"], 1), behind["reference"], round(behind["diff"], 1)) == (
        48.0, 50.0, -2.0)  # fmt: skip
    below = row.loc[("below_parent", "gdp")]
    assert (below["against"], below["reference"], below["diff"]) == ("province", 6.4, -0.4)
    slower = row.loc[("slower_than_last_year", "gdp")]
    assert (slower["value"], slower["reference"], slower["diff"]) == (6.0, 7.5, -1.5)
    assert row.loc[("adverse_count", "provincial_key_projects_not_started"), "value"] == 12.0


def test_problems_when_every_target_is_behind():
    frame = assessment.problems(table({**gdp(), **behind(3)}))
    found = frame[frame["code"] == "target_behind"]
    assert sorted(found["indicator"]) == sorted(behind(3))
    # each with its numbers: 40 of 100 done, 10 points behind a 50% time line
    assert (found["value"] == 40.0).all() and (found["reference"] == 50.0).all()
    assert (found["diff"] == -10.0).all() and (found["unit"] == "%").all()


def test_problems_of_mixed_targets_name_only_those_behind():
    frame = assessment.problems(table({**gdp(), **behind(1), **ahead(2)}))
    assert frame.loc[frame["code"] == "target_behind", "indicator"].tolist() == [
        "new_public_toilets"
    ]
    assert not frame["indicator"].isin(list(ahead(2))).any()


def test_problems_without_targets_say_nothing_of_targets():
    frame = assessment.problems(table(gdp(growth_change_pts=-1.0)))
    assert not frame["code"].isin(["target_behind", "target_unmeasured"]).any()
    assert "slower_than_last_year" in set(frame["code"])


def test_problems_without_parent_data_compare_with_no_level_above():
    frame = assessment.problems(table(gdp(yoy_pct=3.0)))
    assert "below_parent" not in set(frame["code"])
    figures = gdp(yoy_pct=3.0, yoy_nation=6.3, gap_nation_pts=-3.3)
    row = assessment.problems(table(figures)).set_index("code").loc["below_parent"]
    assert (row["against"], row["reference"], row["diff"]) == ("nation", 6.3, -3.3)


def test_a_count_where_lower_is_better_is_a_problem_only_above_zero():
    figures = {"provincial_key_projects_not_started": {"value": 0},
               "municipal_key_projects_not_started": {"value": 3}}  # fmt: skip
    frame = assessment.problems(table(figures))
    found = frame.loc[frame["code"] == "adverse_count", "indicator"].tolist()
    assert found == ["municipal_key_projects_not_started"]


# --- outlook ------------------------------------------------------------------------------


class FakeProjection:
    """What ``outlook`` reads of a ``ProjectionResult``: ``table``, ``lead_method``, ``level``."""

    level = 0.8

    def __init__(self, rows: list[dict], lead: str):
        self.rows, self.lead = rows, lead

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)

    def lead_method(self) -> tuple[str, str]:
        return self.lead, "constructed"


def test_outlook_per_target_and_projection_against_the_target():
    t = table({"road_network_planned": {"target_value": 127}, "roads_started": {"value": 61},
               "parking_spaces": {"target_value": 8000}})  # fmt: skip
    result = FakeProjection(
        [
            {"method": "h1_share", "projected": 700.0, "lower": 680.0, "upper": 720.0,
             "status": "ok"},
            {"method": "target_path", "projected": 730.0, "lower": np.nan, "upper": np.nan,
             "status": "ok"},
        ],
        lead="h1_share",
    )  # fmt: skip
    frame = assessment.outlook(assessment.target_status(t), {"gdp": result})
    assert frame["kind"].tolist() == ["target", "projection"]  # parking: nothing to measure
    roads, gdp_row = frame.iloc[0], frame.iloc[1]
    assert (roads["indicator"], roads["h2_amount"]) == ("road_network_planned", 66.0)
    assert (gdp_row["method"], gdp_row["projected"], gdp_row["lower"], gdp_row["upper"]) == (
        "h1_share", 700.0, 680.0, 720.0)  # fmt: skip
    assert (gdp_row["target_level"], gdp_row["target_position"]) == (730.0, "above range")


def test_outlook_without_a_method_that_can_run():
    result = FakeProjection(
        [
            {
                "method": "h1_share",
                "projected": np.nan,
                "lower": np.nan,
                "upper": np.nan,
                "status": "insufficient history",
            }
        ],
        lead="",
    )
    frame = assessment.outlook(assessment.target_status(table(gdp())), {"gdp": result})
    assert frame[["kind", "status"]].values.tolist() == [["projection", "no method"]]


# --- blocks -------------------------------------------------------------------------------


def test_blocks_in_order_with_published_ranks_folded_into_their_indicator():
    figures = {"retail_sales": {"value": 50.0, "yoy_pct": 7.0},
               "gdp": {"value": 100.0, "yoy_pct": 8.0},
               "gdp_growth_rank": {"value": 2.0},
               "parks_built": {"value": 4.0}}  # fmt: skip
    frame = assessment.blocks(table(figures))
    assert frame[["block", "indicator"]].values.tolist() == [
        ["economy", "gdp"],
        ["consumption", "retail_sales"],
        ["ecology", "parks_built"],
    ]
    gdp_row = frame.set_index("indicator").loc["gdp"]
    assert (gdp_row["rank"], gdp_row["rank_source"]) == (2.0, "published")
    assert assessment.columns_with_data(frame.iloc[2:]) == ["value"]


def test_every_catalog_indicator_has_a_known_block_and_links_resolve():
    cat = assessment.check_catalog(load().indicators)
    assert set(cat["block"]) <= set(assessment.BLOCKS)
    bad = catalog(gdp={"block": "economics"})
    with pytest.raises(assessment.AssessmentError, match=r"unknown block.*economics"):
        assessment.blocks(table(gdp()), catalog=bad)
    bad = catalog(road_network_planned={"achieved_by": "roads"})
    with pytest.raises(assessment.AssessmentError, match="achieved_by names unknown"):
        assessment.target_status(table(gdp()), catalog=bad)


# --- the rules are documented -------------------------------------------------------------


def test_every_rule_is_in_the_rules_document():
    doc = (ROOT / "docs" / "report-rules.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\| (J\d+|P\d+) ", doc, flags=re.MULTILINE))
    expected = {r[0] for r in assessment.JUDGMENT_RULES + assessment.PROBLEM_RULES}
    assert ids == expected
    assert f"{assessment.STEADY_PTS}" in doc


# --- the default report's data ------------------------------------------------------------


@pytest.fixture(scope="module")
def erqi(processed):
    return indicator_table(processed.figures, region="erqi", period="2019H1")


def test_published_ranks_name_their_peer_group(erqi):
    ranks = assessment.blocks(erqi).set_index("indicator")
    row = ranks.loc["investment_promotion_rank"]
    assert (row["rank"], row["rank_source"], row["rank_group"]) == (1.0, "published", "inner6")


def test_erqi_first_half_of_2019(erqi):
    status = assessment.target_status(erqi).set_index("indicator")
    assert status.loc["major_project_investment", "status"] == "ahead"
    roads = status.loc["road_network_planned"]  # 127 planned, 61 started
    assert (round(roads["progress_pct"], 1), round(roads["gap"], 1)) == (48.0, -2.0)
    assert roads["status"] == "behind" and roads["h2_amount"] == 66.0
    assert status.loc["parking_spaces", "status"] == "no achievement"
    assert round(status.loc["eco_project_investment", "gap"], 1) == 22.9
    j = assessment.judgment(erqi)
    assert (j.headline, j.verdict) == ("gdp", "advancing")
    found = assessment.problems(erqi)
    below = found.loc[found["code"] == "below_parent"].iloc[0]
    assert (below["indicator"], below["against"], round(below["diff"], 1)) == (
        "rural_income", "nation", -0.9)  # fmt: skip


def test_assess_bundles_every_part_from_one_target_status(erqi, processed):
    from analysis.compute.projection import project

    codes = assessment.projected_indicators(erqi)
    runs = {c: project(processed.figures, region="erqi", indicator=c, year=2019) for c in codes}
    result = assessment.assess(erqi, projections=runs)
    assert codes == ["gdp"]
    gdp_outlook = result.outlook.set_index("indicator").loc["gdp"]
    assert gdp_outlook["kind"] == "projection" and gdp_outlook["status"] == "ok"
    assert gdp_outlook["lower"] <= gdp_outlook["projected"] <= gdp_outlook["upper"]
    assert result.judgment.targets["total"] == len(result.targets)
