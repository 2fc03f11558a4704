"""Tests of analysis.compute.projection: known answers, coverage, no leakage, edges, real series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.compute import projection as pj
from analysis.compute.indicators import required_h2_growth
from analysis.data.pipeline import empty_records

# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def _frame(rows: list[dict]) -> pd.DataFrame:
    """A processed table (the columns and types of empty_records) from a few figures.

    Each row gives ``region, period, value`` and optionally ``yoy_pct, is_target,
    qualifier, release``.
    """
    template = empty_records()
    defaults = {"int64": 0, "float64": math.nan, "bool": False}
    records = []
    for line, given in enumerate(rows, start=1):
        record = {c: defaults.get(str(t), "") for c, t in template.dtypes.items()}
        period = given["period"]
        record.update(
            indicator="gdp",
            kind="flow",
            catalogued=True,
            year=int(period[:4]),
            start_month=1,
            end_month={"Q1": 3, "H1": 6, "Q3": 9, "FY": 12}[period[4:]],
            release=1,
            vintage="preliminary",
            source_file="test.csv",
            source_line=line,
        )
        record.update(given)
        records.append(record)
    return pd.DataFrame(records, columns=template.columns).astype(template.dtypes.to_dict())


def _levels(region: str, h1: dict, fy: dict, **growth) -> list[dict]:
    rows = [{"region": region, "period": f"{y}H1", "value": v} for y, v in h1.items()]
    rows += [{"region": region, "period": f"{y}FY", "value": v} for y, v in fy.items()]
    for kind, key in (("H1", "h1_growth"), ("FY", "fy_growth")):
        for y, g in growth.get(key, {}).items():
            rows.append({"region": region, "period": f"{y}{kind}", "value": math.nan, "yoy_pct": g})
    return rows


def _table(result: pj.ProjectionResult) -> pd.DataFrame:
    return result.table().set_index("method")


@pytest.fixture(scope="module")
def real(processed) -> pd.DataFrame:
    """The processed table of the committed raw data (all vintages)."""
    return processed.figures


# ---------------------------------------------------------------------------------------
# Known answers
# ---------------------------------------------------------------------------------------


def test_constant_h1_share_projects_exactly():
    fy = {2014 + i: 1000.0 * 1.07**i for i in range(5)}  # 2014..2018
    h1 = {y: 0.43 * v for y, v in fy.items()}
    h1[2019] = 0.43 * 1234.5
    figs = _frame(_levels("demo", h1, fy))
    row = _table(pj.project(figs, region="demo", indicator="gdp", year=2019)).loc["h1_share"]
    assert row["status"] == "ok"
    assert row["projected"] == pytest.approx(1234.5, rel=1e-12)
    assert row["lower"] == pytest.approx(1234.5, rel=1e-12)
    assert row["upper"] == pytest.approx(1234.5, rel=1e-12)
    assert "mean 43.0%" in row["assumptions"]
    assert "2014-2018, n=5" in row["assumptions"]


def test_h1_share_range_runs_from_largest_to_smallest_share():
    past = pd.DataFrame({"year": [2016, 2017, 2018], "h1": [40.0, 45.0, 50.0], "fy": [100.0] * 3})
    row = pj.h1_share(past, h1=90.0)
    assert row["projected"] == pytest.approx(200.0)
    assert (row["lower"], row["upper"]) == (pytest.approx(180.0), pytest.approx(225.0))


def test_linear_series_projects_on_its_line_with_gaps():
    fy = {y: 500.0 + 25.0 * (y - 2010) for y in (2010, 2011, 2013, 2014, 2016, 2017, 2018)}
    row = pj.linear_trend(fy, year=2019)
    assert row["status"] == "ok"
    assert row["projected"] == pytest.approx(725.0, rel=1e-12)
    assert row["lower"] == pytest.approx(725.0, rel=1e-9)
    assert row["upper"] == pytest.approx(725.0, rel=1e-9)
    assert "2010-2011, 2013-2014, 2016-2018, n=7" in row["assumptions"]


def test_drift_is_in_logs_constant_growth_projects_on_its_line():
    fy = {y: 300.0 * 1.08 ** (y - 2012) for y in range(2012, 2019)}
    row = pj.drift(fy, year=2019)
    assert row["projected"] == pytest.approx(300.0 * 1.08**7, rel=1e-12)
    assert row["lower"] == pytest.approx(row["projected"], rel=1e-9)
    assert row["upper"] == pytest.approx(row["projected"], rel=1e-9)
    # a straight line in levels has shrinking log steps: drift lands slightly above it
    linear = {y: 100.0 + 10.0 * (y - 2012) for y in range(2012, 2019)}
    assert pj.drift(linear, year=2019)["projected"] == pytest.approx(170.0, rel=0.02)


def test_same_growth_follows_the_domain_formula():
    past = pd.DataFrame({"year": [2018], "h1": [299.4], "fy": [650.0]})
    row = pj.same_growth(past, year=2019, h1=323.3, h1_growth=8.0)
    assert row["projected"] == pytest.approx(323.3 + (650.0 - 299.4) * 1.08)
    assert math.isnan(row["lower"]) and "no interval" in row["assumptions"]
    computed = pj.same_growth(past, year=2019, h1=323.3)
    assert computed["projected"] == pytest.approx(323.3 * 650.0 / 299.4)
    assert "computed from the levels" in computed["assumptions"]


def test_same_growth_interval_from_past_growth_gaps():
    fy = {2015 + i: 100.0 * 1.1**i for i in range(4)}
    h1 = {y: 0.4 * v for y, v in fy.items()}
    past = pd.DataFrame({"year": list(fy), "h1": list(h1.values()), "fy": list(fy.values())})
    row = pj.same_growth(past, year=2019, h1=0.4 * 100 * 1.1**4, level=0.8)
    # H2 grew as H1 every year: no gap, so the interval collapses on the projection
    assert row["projected"] == pytest.approx(100 * 1.1**4)
    assert row["lower"] == pytest.approx(row["projected"])
    assert "n=3" in row["assumptions"]


def test_target_path_and_required_h2_growth():
    figs = _frame(
        [
            *_levels("demo", {2018: 100.0, 2019: 106.0}, {2018: 220.0}, h1_growth={2019: 6.0}),
            {"region": "demo", "period": "2019FY", "value": math.nan, "yoy_pct": 8.0,
             "is_target": True, "qualifier": "以上"},
        ]
    )  # fmt: skip
    row = _table(pj.project(figs, region="demo", indicator="gdp", year=2019)).loc["target_path"]
    assert row["projected"] == pytest.approx(220.0 * 1.08)
    needed = required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=220.0, h1_growth=6.0)
    assert f"must grow {needed:.1f}%" in row["assumptions"]
    assert "at least (以上)" in row["assumptions"]
    assert math.isnan(row["lower"]) and math.isnan(row["upper"])


def test_range_target_says_lower_bound_is_used():
    past = pd.DataFrame({"year": [2018], "h1": [100.0], "fy": [220.0]})
    row = pj.target_path(past, year=2019, target=6.0, qualifier="区间", h1_growth=6.3)
    assert "lower bound is used" in row["assumptions"]


def test_ets_runs_on_enough_points_and_is_quiet(recwarn):
    rng = np.random.default_rng(3)
    fy = {2010 + i: 100.0 * 1.07**i * (1 + 0.01 * rng.standard_normal()) for i in range(9)}
    row = pj.ets(fy, year=2019, level=0.8)
    assert row["status"] == "ok"
    assert row["lower"] <= row["projected"] <= row["upper"]
    assert "2010-2018, n=9" in row["assumptions"]
    assert len(recwarn) == 0
    assert pj.ets(dict(list(fy.items())[-5:]), year=2019)["status"] == (
        "insufficient history (n=5, needs 6)"
    )


# ---------------------------------------------------------------------------------------
# Interval coverage on simulated data
# ---------------------------------------------------------------------------------------


def test_drift_interval_covers_about_nominal_on_random_walks():
    rng = np.random.default_rng(20190701)
    hits = []
    for _ in range(200):
        steps = 0.07 + 0.03 * rng.standard_normal(11)
        levels = 1000.0 * np.exp(np.cumsum(steps))
        fy = dict(zip(range(2010, 2020), levels[:-1], strict=True))
        row = pj.drift(fy, year=2020, level=0.8)
        hits.append(row["lower"] <= levels[-1] <= row["upper"])
    assert 65 <= 100 * np.mean(hits) <= 95


def test_linear_trend_interval_covers_about_nominal():
    rng = np.random.default_rng(7)
    hits = []
    for _ in range(200):
        years = np.arange(2010, 2020)
        levels = 200.0 + 15.0 * (years - 2010) + 8.0 * rng.standard_normal(len(years))
        row = pj.linear_trend(dict(zip(years[:-1], levels[:-1], strict=True)), year=2019)
        hits.append(row["lower"] <= levels[-1] <= row["upper"])
    assert 65 <= 100 * np.mean(hits) <= 95


# ---------------------------------------------------------------------------------------
# No leakage
# ---------------------------------------------------------------------------------------


def _absurd_after(figures: pd.DataFrame, fold_year: int) -> pd.DataFrame:
    """Every figure published after the fold year's H1 set to absurd values.

    That is every later year, and the fold year's Q3 and FY, but not its target (set at
    the start of the year).
    """
    year = figures["period"].str[:4].astype(int)
    later = (year > fold_year) | (
        (year == fold_year) & figures["period"].str.endswith(("FY", "Q3")) & ~figures["is_target"]
    )
    out = figures.copy()
    out.loc[later, "value"] = out.loc[later, "value"] * 1000.0 + 7.0
    out.loc[later, "yoy_pct"] = 999.0
    return out


def test_no_future_data_leaks_into_a_backtest_fold(real):
    fold_year = 2016
    before = pj.project(real, region="china", indicator="gdp", year=2018).backtest().folds
    mutated = _absurd_after(real, fold_year)
    after = pj.project(mutated, region="china", indicator="gdp", year=2018).backtest().folds
    columns = ["year", "method", "projected", "lower", "upper", "status"]
    kept = before["year"] <= fold_year
    pd.testing.assert_frame_equal(
        before.loc[kept, columns].reset_index(drop=True),
        after.loc[after["year"] <= fold_year, columns].reset_index(drop=True),
    )
    assert before.loc[kept & (before["method"] == "ets"), "status"].eq("ok").any()
    # the fold's own actual did change: the comparison is against the fold year's FY
    assert not after.loc[after["year"] == fold_year, "actual"].equals(
        before.loc[before["year"] == fold_year, "actual"]
    )


def test_a_fold_never_sees_its_own_full_year(real, monkeypatch):
    seen = []
    original = pj._core

    def spy(selected, *, year, **options):
        seen.append((year, selected.copy()))
        return original(selected, year=year, **options)

    monkeypatch.setattr(pj, "_core", spy)
    pj.project(real, region="henan", indicator="gdp", year=2024).backtest()
    folds = [(y, s) for y, s in seen if y < 2024]
    assert [y for y, _ in folds] == [2019, 2020, 2021, 2022, 2023]
    for fold_year, selected in folds:
        year = selected["period"].str[:4].astype(int)
        assert (year <= fold_year).all()
        own_fy = (selected["period"] == f"{fold_year}FY") & ~selected["is_target"]
        assert not own_fy.any()
        assert (selected["period"] == f"{fold_year}H1").any()
        assert not (selected["period"] == f"{fold_year}Q3").any()


def test_fold_data_keeps_the_year_to_june_and_its_targets():
    figs = _frame(
        [
            *_levels("demo", {2018: 40.0, 2019: 44.0}, {2018: 100.0, 2019: 110.0}),
            {"region": "demo", "period": "2019Q1", "value": 20.0},
            {"region": "demo", "period": "2019Q3", "value": 80.0},
            {"region": "demo", "period": "2020H1", "value": 48.0},
            {"region": "demo", "period": "2019FY", "value": math.nan, "yoy_pct": 7.0,
             "is_target": True},
        ]
    )  # fmt: skip
    kept = pj.fold_data(figs, year=2019)
    assert sorted(zip(kept["period"], kept["is_target"], strict=True)) == [
        ("2018FY", False), ("2018H1", False), ("2019FY", True), ("2019H1", False),
        ("2019Q1", False),
    ]  # fmt: skip
    assert len(figs) == 8  # the input is untouched


def test_backtest_uses_first_release_current_projection_the_latest():
    rows = _levels("demo", {2016: 40.0, 2017: 44.0, 2018: 48.0}, {2016: 100.0, 2017: 110.0})
    rows.append({"region": "demo", "period": "2017FY", "value": 130.0, "release": 3})
    result = pj.project(_frame(rows), region="demo", indicator="gdp", year=2018)
    assert result.history.set_index("year").loc[2017, "fy"] == 130.0
    folds = result.backtest().folds
    assert folds.loc[folds["year"] == 2017, "actual"].eq(110.0).all()


# ---------------------------------------------------------------------------------------
# Degenerate input
# ---------------------------------------------------------------------------------------


def test_one_year_of_history_h1_share_insufficient_same_growth_runs():
    figs = _frame(_levels("demo", {2018: 40.0, 2019: 44.0}, {2018: 100.0}))
    table = _table(pj.project(figs, region="demo", indicator="gdp", year=2019))
    assert table.loc["h1_share", "status"] == "insufficient history (n=1, needs 2)"
    assert table.loc["same_growth", "status"] == "ok"
    assert table.loc["same_growth", "projected"] == pytest.approx(44.0 + 60.0 * 1.1)
    for method in ("drift", "linear_trend"):
        assert table.loc[method, "status"] == "insufficient history (n=1, needs 3)"
    assert table.loc["ets", "status"] == "insufficient history (n=1, needs 6)"
    assert table.loc["target_path", "status"] == "no growth target for 2019"


def test_zero_and_negative_values_skip_share_and_logs():
    fy = {2014: 100.0, 2015: 0.0, 2016: 120.0, 2017: -5.0, 2018: 140.0}
    h1 = {2014: 40.0, 2015: 10.0, 2016: 50.0, 2017: 30.0, 2018: 60.0, 2019: 66.0}
    table = _table(
        pj.project(_frame(_levels("demo", h1, fy)), region="demo", indicator="gdp", year=2019)
    )
    assert table.loc["h1_share", "status"].startswith("needs positive H1 and FY levels")
    assert "2015, 2017" in table.loc["h1_share", "status"]
    assert table.loc["drift", "status"].startswith("needs positive levels (logs)")
    assert table.loc["linear_trend", "status"] == "ok"
    assert table.loc["same_growth", "status"] == "ok"


def test_negative_last_second_half_stops_same_growth():
    past = pd.DataFrame({"year": [2018], "h1": [120.0], "fy": [100.0]})
    row = pj.same_growth(past, year=2019, h1=50.0, h1_growth=5.0)
    assert "is not positive" in row["status"] and math.isnan(row["projected"])


def test_gaps_trends_use_the_consecutive_tail_and_say_so():
    fy = {2010: 80.0, 2011: 88.0, 2014: 100.0, 2015: 110.0, 2016: 121.0, 2017: 133.1}
    row = pj.drift(fy, year=2018)
    assert row["status"] == "ok"
    assert row["projected"] == pytest.approx(146.41)
    assert "consecutive years 2014-2017" in row["assumptions"]
    assert "gap in 2013" in row["assumptions"]
    assert pj.drift(fy, year=2019)["status"] == "insufficient history (n=0, needs 3)"
    assert pj.linear_trend(fy, year=2019)["status"] == "ok"


def test_missing_h1_of_the_year_still_runs_the_trends():
    fy = {y: 100.0 + 10 * (y - 2012) for y in range(2012, 2019)}
    h1 = {y: 0.4 * v for y, v in fy.items()}
    result = pj.project(_frame(_levels("demo", h1, fy)), region="demo", indicator="gdp", year=2019)
    table = _table(result)
    assert math.isnan(result.h1)
    assert table.loc["h1_share", "status"] == "no H1 level for the projected year"
    assert table.loc["linear_trend", "projected"] == pytest.approx(170.0)
    assert any("no 2019 H1 level" in w for w in result.warnings)


def test_bad_arguments_say_what_is_allowed(real):
    figs = _frame(_levels("demo", {2018: 40.0}, {2018: 100.0}))
    with pytest.raises(ValueError, match="level must be a number between 0 and 1"):
        pj.project(figs, region="demo", indicator="gdp", year=2019, level=80)
    with pytest.raises(ValueError, match="year must be an integer year"):
        pj.project(figs, region="demo", indicator="gdp", year="2019")
    with pytest.raises(ValueError, match=r"regions with them: \['demo'\]"):
        pj.project(figs, region="nowhere", indicator="gdp", year=2019)
    with pytest.raises(ValueError, match=r"indicators: \['gdp'\]"):
        pj.project(figs, region="demo", indicator="cpi", year=2019)
    with pytest.raises(ValueError, match="needs a cumulative flow"):
        pj.project(real, region="erqi", indicator="gdp_growth_rank", year=2019)
    with pytest.raises(ValueError, match="lacks column"):
        pj.project(figs.drop(columns="release"), region="demo", indicator="gdp", year=2019)
    with pytest.raises(ValueError, match="min_years must be a positive integer"):
        pj.Backtest(pd.DataFrame(columns=list(pj.FOLD_COLUMNS))).lead_method(min_years=0)


def test_region_by_chinese_name(real):
    result = pj.project(real, region="二七区", indicator="gdp", year=2019)
    assert result.region == "erqi"


# ---------------------------------------------------------------------------------------
# Breaks
# ---------------------------------------------------------------------------------------


def test_break_in_zhengzhou_after_the_census(real):
    result = pj.project(real, region="zhengzhou", indicator="gdp", year=2024)
    flagged = [w for w in result.warnings if w.startswith("possible break in 2019")]
    assert flagged, result.warnings
    assert "FY level +14.3% vs published growth 6.5%" in flagged[0]
    assert "census revision" in flagged[0]
    assert not any(w.startswith("possible break in 2017") for w in result.warnings)
    trend = _table(result).loc["linear_trend", "assumptions"]
    assert "possible break in 2019 in the data used" in trend


def test_break_without_published_growth_by_robust_spread():
    levels = {2010 + i: 100.0 * 1.08**i for i in range(8)}
    levels = {y: v * (1.25 if y >= 2015 else 1.0) for y, v in levels.items()}
    found = pj.detect_breaks(levels)
    assert found["year"].tolist() == [2015]
    assert "no published growth" in found["reason"].iloc[0]
    assert pj.detect_breaks({2010: 1.0, 2011: 1.1}).empty


def test_no_break_in_a_smooth_series():
    levels = {2010 + i: 100.0 * 1.08**i for i in range(8)}
    growth = {y: 7.0 for y in levels}
    assert pj.detect_breaks(levels, growth).empty


# ---------------------------------------------------------------------------------------
# Proxy
# ---------------------------------------------------------------------------------------


def test_erqi_2019_borrows_the_shares_of_the_nearest_ancestor_with_history(real):
    result = pj.project(real, region="erqi", indicator="gdp", year=2019)
    # zhengzhou has one year (2016) with H1 and FY levels before 2019, henan none
    assert result.proxy == "china"
    assert result.h1 == pytest.approx(323.3)
    row = _table(result).loc["h1_share"]
    assert row["status"] == "ok"
    assert row["assumptions"].startswith(
        "H1 share from 全国 (proxy: erqi has no H1 and FY history before 2019)"
    )
    assert "n=8" in row["assumptions"]
    assert row["lower"] < row["projected"] < row["upper"]
    lead, reason = result.lead_method()
    # no backtest years, and same growth cannot run without last year's levels: the first
    # method that can run leads, and the reason says so
    assert lead == "h1_share" and reason.startswith("too few backtest years to choose")
    assert "same_growth cannot run here" in reason


def test_named_proxy_is_used_and_stated(real):
    result = pj.project(real, region="erqi", indicator="gdp", year=2019, proxy="zhengzhou")
    row = _table(result).loc["h1_share"]
    assert row["status"] == "insufficient history (n=1, needs 2)"
    assert "郑州市 (proxy named by the analyst)" in row["assumptions"]
    with pytest.raises(ValueError, match="proxy='atlantis'"):
        pj.project(real, region="erqi", indicator="gdp", year=2019, proxy="atlantis")


def test_region_with_own_history_uses_no_proxy():
    fy = {y: 100.0 for y in (2016, 2017, 2018)}
    h1 = {2016: 40.0, 2017: 40.0, 2018: 40.0, 2019: 44.0}
    result = pj.project(_frame(_levels("demo", h1, fy)), region="demo", indicator="gdp", year=2019)
    assert result.proxy is None
    assert _table(result).loc["h1_share", "assumptions"].startswith("H1 share: mean 40.0%")


# ---------------------------------------------------------------------------------------
# The result object
# ---------------------------------------------------------------------------------------


def test_result_shapes_and_inputs_untouched(real):
    copy = real.copy()
    result = pj.project(real, region="china", indicator="gdp", year=2019)
    table = result.table()
    assert tuple(table.columns) == pj.TABLE_COLUMNS
    assert table["method"].tolist() == list(pj.METHODS)
    assert (table["status"] == "ok").all(), table[["method", "status"]]
    assert list(result.history.columns) == ["year", "h1", "fy", "share", "h1_growth", "fy_growth"]
    assert result.history["year"].max() == 2018
    chart = result.chart_data()
    assert set(chart["kind"]) == {"actual FY", "actual H1", "projected"}
    assert chart.loc[chart["kind"] == "projected", "year"].eq(2019).all()
    assert set(pj.METHOD_LABELS["zh"]) == set(pj.METHOD_LABELS["en"]) == set(pj.METHODS)
    pd.testing.assert_frame_equal(real, copy)
    assert result.backtest() is result.backtest()  # computed once


@pytest.mark.parametrize(("region", "min_methods"), [("china", 6), ("henan", 4), ("zhengzhou", 3)])
def test_backtest_on_the_real_series(real, region, min_methods):
    result = pj.project(real, region=region, indicator="gdp", year=2024)
    backtest = result.backtest()
    summary = backtest.summary()
    lead, reason = backtest.lead_method()
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(f"\n{region} GDP, backtest of the 2024 methods\n{summary.round(2)}")
        print(f"lead: {lead}: {reason}")
    assert tuple(summary.columns) == pj.SUMMARY_COLUMNS
    assert summary["method"].tolist() == list(pj.METHODS)
    ran = summary.loc[summary["n"] > 0]
    assert len(ran) >= min_methods
    assert np.isfinite(ran[["mae", "mape_pct"]].to_numpy()).all()
    assert lead in pj.METHODS and reason
    folds = backtest.folds
    assert tuple(folds.columns) == pj.FOLD_COLUMNS
    assert (folds["year"] < 2024).all()
    done = folds.loc[folds["projected"].notna()]
    assert np.allclose(done["error"], done["projected"] - done["actual"])
    if region == "china":
        assert summary.set_index("method").loc["same_growth", "n"] >= 10
        assert summary.set_index("method").loc["same_growth", "mae_vs_same_growth"] == 1.0
