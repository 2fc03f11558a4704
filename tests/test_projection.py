"""Tests of analysis.compute.projection: known answers, calibration, vintages, no look-ahead."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import reasons
from analysis.catalog import load as load_catalog
from analysis.compute import projection as pj
from analysis.compute.indicators import required_h2_growth
from analysis.data.pipeline import empty_records
from analysis.errors import HalfyearError

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


def _value(name: str, text: str):
    """An argument of a reason as a number, a code or a list (list arguments always)."""

    def one(v: str):
        for kind in (int, float):
            try:
                return kind(v)
            except ValueError:
                pass
        return v

    if reasons.ARGS[name] in ("years", "regions", "methods", "periods"):
        return [one(v) for v in text.split(",")] if text else []
    return one(text)


def _read(text: str) -> tuple[str, dict]:
    """One reason: its code and its arguments as values."""
    (item,) = reasons.parse(text)
    return item.code, {k: _value(k, v) for k, v in item.args.items()}


def _codes(result: pj.ProjectionResult, method: str) -> list[str]:
    a = result.assumptions()
    return [_read(t)[0] for t in a.loc[a["method"] == method, "reason"]]


def _args(result: pj.ProjectionResult, method: str, code: str) -> dict:
    a = result.assumptions()
    found = [_read(t) for t in a.loc[a["method"] == method, "reason"]]
    return next(args for c, args in found if c == code)


def _warnings(result: pj.ProjectionResult) -> list[tuple[str, dict]]:
    return [_read(t) for t in result.warnings["reason"]]


def _catalog_with(*regions: tuple[str, str]):
    """The shipped catalog with test regions (code, parent) added."""
    extra = pd.DataFrame(
        [
            {"code": c, "name_zh": c, "name_en": c, "level": "district", "parent": p,
             "aliases": ""}
            for c, p in regions
        ]
    )  # fmt: skip
    return load_catalog().with_additions(regions=extra)


# ---------------------------------------------------------------------------------------
# Known answers
# ---------------------------------------------------------------------------------------


def test_constant_h1_share_projects_exactly_with_a_zero_width_interval():
    fy = {2010 + i: 1000.0 * 1.07**i for i in range(9)}  # 2010..2018
    h1 = {y: 0.43 * v for y, v in fy.items()}
    h1[2019] = 0.43 * 1234.5
    result = pj.project(_frame(_levels("demo", h1, fy)), region="demo", indicator="gdp", year=2019)
    row = _table(result).loc["h1_share"]
    assert row["status"] == "ok"
    assert row["projected"] == pytest.approx(1234.5, rel=1e-12)
    # every past error was zero: the calibrated interval has no width
    assert row["lower"] == pytest.approx(1234.5, rel=1e-9)
    assert row["upper"] == pytest.approx(1234.5, rel=1e-9)
    assert _args(result, "h1_share", "share_rule") == {
        "rule": "last",
        "share": 43.0,
        "years": [2018],
    }
    assert _args(result, "h1_share", "calibrated_interval")["n"] == 8


def test_share_rules_known_answers():
    shares = {2014: 0.40, 2015: 0.41, 2016: 0.42, 2017: 0.43, 2018: 0.44}
    assert pj.share_rule(shares, year=2019, rule="last")["share"] == 0.44
    assert pj.share_rule(shares, year=2019, rule="mean3")["share"] == pytest.approx(0.43)
    trend = pj.share_rule(shares, year=2019, rule="trend")
    assert trend["share"] == pytest.approx(0.45) and trend["years"] == [
        2014,
        2015,
        2016,
        2017,
        2018,
    ]
    # the latest five only, and never a share of the projected year or later
    more = {**shares, 2010: 0.9, 2019: 0.1}
    assert pj.share_rule(more, year=2019, rule="trend")["share"] == pytest.approx(0.45)
    with pytest.raises(pj.ProjectionError, match="unknown share rule"):
        pj.share_rule(shares, year=2019, rule="median")


def test_share_rule_chosen_by_backtest_follows_a_trending_share():
    # the H1 share rises by a point a year, as China's did: last year's share is always
    # a point too high, the trend is exact; the backtest finds it out of sample
    fy = {2008 + i: 1000.0 * 1.08**i for i in range(12)}  # 2008..2019
    h1 = {y: (0.40 + 0.01 * (y - 2008)) * v for y, v in fy.items()}
    result = pj.project(_frame(_levels("demo", h1, fy)), region="demo", indicator="gdp", year=2019)
    choice = _args(result, "h1_share", "share_rule_chosen")
    assert choice["rule"] == "trend" and choice["ratio"] < 0.05 and choice["regions"] == ["demo"]
    assert _table(result).loc["h1_share", "projected"] == pytest.approx(fy[2019], rel=1e-9)
    folds = result.backtest().folds
    used = folds[(folds["method"] == "h1_share") & folds["projected"].notna()]
    # the early years had too few years to compare rules and kept last year's share
    assert used["detail"].iloc[0] == "last" and used["detail"].iloc[-1] == "trend"


def test_drift_is_in_logs_constant_growth_projects_on_its_line():
    fy = {y: 300.0 * 1.08 ** (y - 2012) for y in range(2012, 2019)}
    row = pj.drift(fy, year=2019)
    assert row["projected"] == pytest.approx(300.0 * 1.08**7, rel=1e-12)
    assert row["assumptions"] == [
        ("log_drift", {"years": list(range(2012, 2019)), "n": 7, "growth": 8.0})
    ]


def test_target_path_and_required_h2_growth():
    figs = _frame(
        [
            *_levels("demo", {2018: 100.0, 2019: 106.0}, {2018: 220.0}, h1_growth={2019: 6.0}),
            {"region": "demo", "period": "2019FY", "value": math.nan, "yoy_pct": 8.0,
             "is_target": True, "qualifier": "以上"},
        ]
    )  # fmt: skip
    result = pj.project(figs, region="demo", indicator="gdp", year=2019)
    row = _table(result).loc["target_path"]
    needed = required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=220.0, h1_growth=6.0)
    assert _args(result, "target_path", "h2_must_grow")["growth"] == pytest.approx(needed)
    assert _args(result, "target_path", "growth_target") == {"target": 8.0, "qualifier": "以上"}
    # a comparable-price target on a current-price level, no deflator known: said so
    assert row["projected"] == pytest.approx(220.0 * 1.08)
    assert "at_prices_of" in _codes(result, "target_path")
    assert "not_a_forecast" in _codes(result, "target_path")
    assert math.isnan(row["lower"]) and math.isnan(row["upper"])


def test_empirical_interval_is_conformal():
    errors = [0.05, -0.01, 0.02, -0.04, 0.03, 0.0, -0.02, 0.01, 0.06]
    lower, upper, q = pj.empirical_interval(200.0, errors, level=0.8)
    assert q == 0.05  # the 8th smallest of 9 absolute errors: ceil(0.8 x 10) = 8
    assert (lower, upper) == (
        pytest.approx(200 * math.exp(-0.05)),
        pytest.approx(200 * math.exp(0.05)),
    )
    assert all(math.isnan(x) for x in pj.empirical_interval(200.0, errors[:3], level=0.8))
    assert not math.isnan(pj.empirical_interval(200.0, errors[:4], level=0.8)[2])
    assert math.isnan(pj.empirical_interval(200.0, errors[:8], level=0.9)[2])


# ---------------------------------------------------------------------------------------
# Calibration on synthetic series whose error distribution is known
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [4, 9, 19])
def test_empirical_interval_covers_its_level_on_known_errors(n):
    # i.i.d. N(0, 0.03) log errors: P(new within the k-th of n) = k / (n + 1) exactly
    rng = np.random.default_rng(n)
    trials = 4000
    past = rng.normal(0.0, 0.03, size=(trials, n))
    new = rng.normal(0.0, 0.03, size=trials)
    hits = 0
    for errors, e in zip(past, new, strict=True):
        lower, upper, _ = pj.empirical_interval(100.0, errors, level=0.8)
        actual = 100.0 * math.exp(-e)
        hits += lower <= actual <= upper
    expected = math.ceil(0.8 * (n + 1)) / (n + 1)
    assert abs(hits / trials - expected) < 0.025


def test_backtest_intervals_are_calibrated_on_synthetic_series():
    # 60 series, 16 years: H1 share 0.45 with i.i.d. log noise sd 0.02, nominal growth
    # 8% +- 2%. Same growth's log error is the change of the noise, N(0, 0.02 sqrt 2):
    # the out-of-sample 80% intervals should hold about 80% of the actuals.
    rng = np.random.default_rng(20190701)
    hits = total = 0
    widths = []
    for _ in range(60):
        growth = 0.08 + 0.02 * rng.standard_normal(16)
        fy = 1000.0 * np.exp(np.cumsum(growth))
        share = 0.45 * np.exp(0.02 * rng.standard_normal(16))
        years = range(2009, 2025)
        figs = _frame(
            _levels("demo", dict(zip(years, share * fy, strict=True)),
                    dict(zip(years, fy, strict=True)))
        )  # fmt: skip
        folds = pj.project(figs, region="demo", indicator="gdp", year=2025).backtest().folds
        mine = folds[(folds["method"] == "same_growth") & folds["covered"].notna()]
        hits += int(mine["covered"].astype(bool).sum())
        total += len(mine)
        widths += list(np.log(mine["upper"] / mine["projected"]))
    assert total == 60 * 11  # years 2014..2024: from the fifth error on
    assert 0.75 <= hits / total <= 0.86
    # the half-width estimates the 80% quantile of |N(0, 0.02 sqrt 2)|: 1.2816 x 0.0283
    assert np.median(widths) == pytest.approx(1.2816 * 0.02 * math.sqrt(2), rel=0.15)


# ---------------------------------------------------------------------------------------
# Nominal and real
# ---------------------------------------------------------------------------------------


def _priced(years, *, real_growth=0.06, inflation=0.03, share=0.46):
    """Levels at current prices growing 6% real and 3% in prices; growth published real."""
    fy = {y: 1000.0 * ((1 + real_growth) * (1 + inflation)) ** (y - years[0]) for y in years}
    h1 = {y: share * v for y, v in fy.items()}
    published = {y: 100 * real_growth for y in years[1:]}
    return fy, h1, published


def test_same_growth_uses_the_nominal_growth_of_the_levels():
    years = list(range(2010, 2020))
    fy, h1, published = _priced(years)
    figs = _frame(_levels("demo", h1, {y: v for y, v in fy.items() if y < 2019},
                          h1_growth=published, fy_growth=published))  # fmt: skip
    result = pj.project(figs, region="demo", indicator="gdp", year=2019)
    row = _table(result).loc["same_growth"]
    # the second half grows as the first at current prices: exact
    assert row["projected"] == pytest.approx(fy[2019], rel=1e-12)
    args = _args(result, "same_growth", "nominal_growth_from_levels")
    assert args["growth"] == pytest.approx(100 * (1.06 * 1.03 - 1))
    # the naive benchmark (comparable-price growth on current-price levels) falls short
    # by the price rise of the second half in every backtest year
    folds = result.backtest().folds
    naive = folds[(folds["method"] == "same_growth_published") & folds["projected"].notna()]
    assert len(naive) == 8
    nominal_growth = 1.06 * 1.03
    expected = 100 * (1 - 0.46) * (1.06 - nominal_growth) / nominal_growth
    assert np.allclose(naive["error_pct"], expected)
    assert (naive["error_pct"] < -1.5).all()
    nominal = folds[(folds["method"] == "same_growth") & folds["projected"].notna()]
    assert np.allclose(nominal["error_pct"], 0.0, atol=1e-9)


def test_only_real_growth_states_the_deflator_and_widens_the_interval():
    years = list(range(2008, 2020))
    fy, h1, published = _priced(years)
    rng = np.random.default_rng(5)
    # the price rise wanders: 3% +- 1% a year, so the assumed deflator has an error
    prices = np.cumprod(1 + 0.03 + 0.01 * rng.standard_normal(len(years)))
    fy = {y: 1000.0 * 1.06 ** (y - 2008) * p for y, p in zip(years, prices, strict=True)}
    h1 = {y: 0.46 * v for y, v in fy.items()}
    h1_levels = {y: v for y, v in h1.items() if y < 2019}  # 2019: growth only
    figs = _frame(_levels("demo", h1_levels, {y: v for y, v in fy.items() if y < 2019},
                          h1_growth={**published, 2019: 6.0}, fy_growth=published))  # fmt: skip
    result = pj.project(figs, region="demo", indicator="gdp", year=2019)
    row = _table(result).loc["same_growth"]
    args = _args(result, "same_growth", "real_growth_with_deflator")
    deflator = (fy[2018] / fy[2017]) / 1.06 - 1
    assert args["deflator"] == pytest.approx(100 * deflator)
    assert args["period"] == "2018FY"
    assert _args(result, "same_growth", "no_level") == {"period": "2019H1"}
    assert row["projected"] == pytest.approx(fy[2018] * 1.06 * (1 + deflator))
    # the deflator's own error is in the interval, on top of the method's
    widened = _args(result, "same_growth", "deflator_error_included")
    assert widened["n"] == 9 and widened["half_width"] > 0
    method = _args(result, "same_growth", "calibrated_interval")
    half = math.log(row["upper"] / row["projected"])
    assert half >= math.log1p(widened["half_width"] / 100) > 0
    # the stated half-width is the whole of it: the method's errors and the deflator's
    assert 100 * math.expm1(half) == pytest.approx(method["half_width"])
    assert math.log(row["projected"] / row["lower"]) == pytest.approx(half)


def test_nominal_indicator_uses_published_growth_without_deflator():
    past = pd.DataFrame({"year": [2018], "h1": [np.nan], "fy": [220.0]})
    row = pj.same_growth(past, year=2019, h1=np.nan, h1_growth=5.0, comparable_prices=False)
    assert row["projected"] == pytest.approx(231.0)
    assert row["assumptions"] == [
        ("nominal_growth_published", {"growth": 5.0}),
        ("no_level", {"period": "2019H1"}),
    ]


# ---------------------------------------------------------------------------------------
# One vintage basis
# ---------------------------------------------------------------------------------------


def test_china_2019_second_half_of_one_basis_in_same_growth(real):
    result = pj.project(real, region="china", indicator="gdp", year=2020)
    # the revised 2019 full year (986,515) has no revised first half beside it: last
    # year's levels are both first releases, never the revised year minus the first half
    assert _args(result, "same_growth", "levels_aligned") == {
        "period": "2019H1", "later": "2019FY", "release": 1,
    }  # fmt: skip
    args = _args(result, "same_growth", "nominal_growth_from_levels")
    assert args == {
        "growth": pytest.approx(100 * (456614.0 / 450933.0 - 1)), "period": "2020H1",
        "base": "2019H1",
    }  # fmt: skip
    history = result.history.set_index("year")
    assert history.loc[2019, "fy"] == 986515.0  # the latest level, as published
    assert history.loc[2019, "share"] == pytest.approx(450933.0 / 990865.0)
    assert _table(result).loc["same_growth", "projected"] == pytest.approx(
        990865.0 * 456614.0 / 450933.0
    )
    codes = [code for code, _ in _warnings(result)]
    assert "mixed_vintages" not in codes
    assert "census_revision" not in codes  # the 2018 census landed in 2019, not 2020
    revised_2019 = pj.project(real, region="china", indicator="gdp", year=2019)
    assert ("census_revision", {"census": 2018, "period": "2019FY"}) in _warnings(revised_2019)


def test_mixed_vintages_are_refused_and_said():
    rows = _levels("demo", {2017: 40.0, 2018: 44.0, 2019: 48.0}, {2017: 100.0})
    rows += [{"region": "demo", "period": "2018FY", "value": 111.0, "release": 2}]
    rows += [{"region": "demo", "period": "2019H1", "value": math.nan, "yoy_pct": 9.0}]
    rows += [{"region": "demo", "period": "2018FY", "value": math.nan, "yoy_pct": 8.0}]
    result = pj.project(_frame(rows), region="demo", indicator="gdp", year=2019)
    table = _table(result)
    # 2018: a revised full year and a first-release first half: no share, no H2
    assert math.isnan(result.history.set_index("year").loc[2018, "share"])
    mixed = {"period": "2018H1", "release": 1, "later": "2018FY", "later_release": 2}
    assert ("mixed_vintages", mixed) in _warnings(result)
    assert _args(result, "same_growth", "mixed_vintages") == mixed
    args = _args(result, "same_growth", "real_growth_with_deflator")
    deflator = 1.11 / 1.08 - 1
    assert args["deflator"] == pytest.approx(100 * deflator)
    assert table.loc["same_growth", "projected"] == pytest.approx(111.0 * 1.09 * (1 + deflator))
    # h1_share falls back on the one share of one basis (2017)
    assert _args(result, "h1_share", "share_rule")["years"] == [2017]


def test_backtest_uses_first_releases_and_never_a_later_revision():
    rows = _levels("demo", {2016: 40.0, 2017: 44.0, 2018: 48.0}, {2016: 100.0, 2017: 110.0})
    rows.append({"region": "demo", "period": "2017FY", "value": 130.0, "release": 3})
    # a level stated only in a later release was not known at the time
    rows.append({"region": "demo", "period": "2017H1", "value": 45.0, "release": 2})
    result = pj.project(_frame(rows), region="demo", indicator="gdp", year=2018)
    assert result.history.set_index("year").loc[2017, "fy"] == 130.0
    folds = result.backtest().folds
    assert folds.loc[folds["year"] == 2017, "actual"].eq(110.0).all()
    fold = folds[(folds["year"] == 2017) & (folds["method"] == "same_growth")].iloc[0]
    assert fold["projected"] == pytest.approx(100.0 * 44.0 / 40.0)
    only_later = _levels(
        "demo", {2016: 40.0}, {2015: 92.0, 2016: 100.0, 2017: 110.0}, fy_growth={2016: 8.0}
    )
    only_later.append({"region": "demo", "period": "2017H1", "value": 45.0, "release": 2})
    only_later.append({"region": "demo", "period": "2017H1", "value": math.nan, "yoy_pct": 8.0})
    folds = (
        pj.project(_frame(only_later), region="demo", indicator="gdp", year=2018).backtest().folds
    )
    fold = folds[(folds["year"] == 2017)].set_index("method")
    assert fold.loc["h1_share", "reason"] == "no_level period=2017H1"
    deflator = (100.0 / 92.0) / 1.08 - 1
    assert fold.loc["same_growth", "projected"] == pytest.approx(100.0 * 1.08 * (1 + deflator))


# ---------------------------------------------------------------------------------------
# No look-ahead
# ---------------------------------------------------------------------------------------


def _poisoned_after(figures: pd.DataFrame, fold_year: int) -> pd.DataFrame:
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
    out.loc[later & figures["is_target"], "yoy_pct"] = 0.5
    return out


_COMPARED = ["region", "year", "method", "detail", "projected", "lower", "upper", "status"]


@pytest.mark.parametrize(("region", "fold_years"), [("china", (2012, 2016, 2019, 2022)),
                                                    ("henan", (2020, 2022))])  # fmt: skip
def test_every_later_value_poisoned_leaves_all_folds_unchanged(real, region, fold_years):
    result = pj.project(real, region=region, indicator="gdp", year=2025)
    for fold_year in fold_years:
        after = pj.project(
            _poisoned_after(real, fold_year), region=region, indicator="gdp", year=2025
        )
        for code in result.backtests:  # the region and the levels above (pooled errors)
            before_folds = result.backtest(code).folds
            after_folds = after.backtest(code).folds
            kept = before_folds["year"] <= fold_year
            pd.testing.assert_frame_equal(
                before_folds.loc[kept, _COMPARED].reset_index(drop=True),
                after_folds.loc[after_folds["year"] <= fold_year, _COMPARED].reset_index(drop=True),
            )
        # the fold's own actual did change: it is scored against the fold year's FY
        mine = result.backtest().folds
        assert (
            not after.backtest()
            .folds.loc[after.backtest().folds["year"] == fold_year, "actual"]
            .equals(mine.loc[mine["year"] == fold_year, "actual"])
        )


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


# ---------------------------------------------------------------------------------------
# Degenerate input
# ---------------------------------------------------------------------------------------


def test_one_year_of_history():
    figs = _frame(_levels("demo", {2018: 40.0, 2019: 44.0}, {2018: 100.0}))
    table = _table(pj.project(figs, region="demo", indicator="gdp", year=2019))
    assert table.loc["h1_share", "status"] == "ok"
    assert table.loc["same_growth", "projected"] == pytest.approx(110.0)
    assert table.loc["drift", "reason"] == "insufficient_history n=1 needs=3"
    assert table.loc["target_path", "status"] == "no_growth_target"
    assert table[["lower", "upper"]].isna().all().all()  # no backtest errors, no interval


def test_zero_and_negative_values_skip_share_and_logs():
    fy = {2014: 100.0, 2015: 0.0, 2016: 120.0, 2017: -5.0, 2018: 140.0}
    h1 = {2014: 40.0, 2015: 10.0, 2016: 50.0, 2017: 30.0, 2018: 60.0, 2019: 66.0}
    result = pj.project(_frame(_levels("demo", h1, fy)), region="demo", indicator="gdp", year=2019)
    table = _table(result)
    assert _args(result, "h1_share", "share_rule")["years"] == [2018]
    assert table.loc["drift", "status"] == "levels_not_positive"
    assert table.loc["drift", "reason"] == "levels_not_positive years=2015,2017"
    assert table.loc["same_growth", "status"] == "ok"


def test_negative_last_second_half_stops_same_growth():
    past = pd.DataFrame({"year": [2018], "h1": [120.0], "fy": [100.0]})
    row = pj.same_growth(past, year=2019, h1=50.0, h1_growth=5.0)
    assert row["status"] == "last_h2_not_positive" and math.isnan(row["projected"])
    assert row["status_args"] == {}


def test_gaps_trends_use_the_consecutive_tail_and_say_so():
    fy = {2010: 80.0, 2011: 88.0, 2014: 100.0, 2015: 110.0, 2016: 121.0, 2017: 133.1}
    row = pj.drift(fy, year=2018)
    assert row["projected"] == pytest.approx(146.41)
    assert row["assumptions"][0][1]["years"] == [2014, 2015, 2016, 2017]
    assert row["assumptions"][1] == ("gap_before", {"period": "2013FY"})
    assert pj.drift(fy, year=2019)["status_args"] == {"n": 0, "needs": 3}


def test_missing_h1_of_the_year_still_runs_drift():
    fy = {y: 100.0 + 10 * (y - 2012) for y in range(2012, 2019)}
    h1 = {y: 0.4 * v for y, v in fy.items()}
    result = pj.project(_frame(_levels("demo", h1, fy)), region="demo", indicator="gdp", year=2019)
    table = _table(result)
    assert math.isnan(result.h1)
    assert table.loc["h1_share", "reason"] == "no_level period=2019H1"
    assert table.loc["drift", "status"] == "ok"
    assert ("no_level_for", {"region": "demo", "period": "2019H1"}) in _warnings(result)
    assert result.lead_method()[0] == "drift"


def test_bad_arguments_say_what_is_allowed(real):
    figs = _frame(_levels("demo", {2018: 40.0}, {2018: 100.0}))
    with pytest.raises(pj.ProjectionError, match="level must be a number between 0 and 1"):
        pj.project(figs, region="demo", indicator="gdp", year=2019, level=80)
    with pytest.raises(pj.ProjectionError, match="year must be an integer year"):
        pj.project(figs, region="demo", indicator="gdp", year="2019")
    with pytest.raises(pj.ProjectionError, match=r"regions with them: \['demo'\]"):
        pj.project(figs, region="nowhere", indicator="gdp", year=2019)
    with pytest.raises(pj.ProjectionError, match=r"indicators: \['gdp'\]"):
        pj.project(figs, region="demo", indicator="cpi", year=2019)
    with pytest.raises(pj.ProjectionError, match="needs a cumulative flow"):
        pj.project(real, region="erqi", indicator="gdp_growth_rank", year=2019)
    with pytest.raises(pj.ProjectionError, match="lacks column"):
        pj.project(figs.drop(columns="release"), region="demo", indicator="gdp", year=2019)
    assert issubclass(pj.ProjectionError, HalfyearError)


def test_region_by_chinese_name(real):
    assert pj.project(real, region="二七区", indicator="gdp", year=2019).region == "erqi"


# ---------------------------------------------------------------------------------------
# Breaks
# ---------------------------------------------------------------------------------------


def test_break_in_zhengzhou_after_the_census(real):
    result = pj.project(real, region="zhengzhou", indicator="gdp", year=2023)
    breaks = [args for code, args in _warnings(result) if code.startswith("break_")]
    found = [b for b in breaks if b["period"] == "2019FY"]
    assert len(found) == 1
    assert found[0]["growth"] == pytest.approx(14.26, abs=0.01)
    assert found[0]["published"] == 6.5
    assert not any(b["period"].startswith("2017") for b in breaks)
    assert _args(result, "drift", "break_in_data") == {"years": [2019]}


def test_break_without_published_growth_by_robust_spread():
    levels = {2010 + i: 100.0 * 1.08**i for i in range(8)}
    levels = {y: v * (1.25 if y >= 2015 else 1.0) for y, v in levels.items()}
    found = pj.detect_breaks(levels)
    assert found["year"].tolist() == [2015] and found["code"].tolist() == ["break_robust"]
    assert pj.detect_breaks({2010: 1.0, 2011: 1.1}).empty


def test_no_break_in_a_smooth_series():
    levels = {2010 + i: 100.0 * 1.08**i for i in range(8)}
    assert pj.detect_breaks(levels, dict.fromkeys(levels, 7.0)).empty


# ---------------------------------------------------------------------------------------
# Proxy and pooling
# ---------------------------------------------------------------------------------------


def test_erqi_2019_borrows_the_citys_share_before_the_nations(real):
    result = pj.project(real, region="erqi", indicator="gdp", year=2019)
    # zhengzhou (the city) has one year with H1 and FY levels before 2019 (2016): city
    # before province before nation
    assert result.proxy == "zhengzhou"
    assert result.h1 == pytest.approx(323.3)
    assert _args(result, "h1_share", "shares_borrowed") == {"region": "zhengzhou"}
    share = _args(result, "h1_share", "share_rule")
    assert share["years"] == [2016] and share["share"] == pytest.approx(100 * 3537.1 / 7994.16)
    row = _table(result).loc["h1_share"]
    assert row["projected"] == pytest.approx(323.3 * 7994.16 / 3537.1)
    # erqi has no backtest year: its interval rests on the errors of the levels above
    assert _args(result, "h1_share", "calibrated_interval")["regions"] == ["zhengzhou", "china"]
    assert row["lower"] < row["projected"] < row["upper"]
    lead, reason = result.lead_method()
    code, args = _read(reason)
    assert (lead, code, args["method"]) == ("h1_share", "lowest_mape", "h1_share")
    assert args["regions"] == ["zhengzhou", "china"]


def test_named_proxy_is_used_and_stated(real):
    result = pj.project(real, region="erqi", indicator="gdp", year=2019, proxy="china")
    assert _args(result, "h1_share", "shares_named") == {"region": "china"}
    assert result.proxy == "china"
    with pytest.raises(pj.ProjectionError, match="proxy='atlantis'"):
        pj.project(real, region="erqi", indicator="gdp", year=2019, proxy="atlantis")


def test_short_history_pools_errors_with_the_level_above_long_history_does_not():
    catalog = _catalog_with(("up", ""), ("down", "up"))
    fy = {2008 + i: 1000.0 * 1.08**i for i in range(12)}
    rng = np.random.default_rng(1)
    h1 = {y: 0.45 * v * math.exp(0.01 * rng.standard_normal()) for y, v in fy.items()}
    rows = _levels("up", h1, {y: v for y, v in fy.items() if y < 2019})
    rows += _levels("down", {2017: 45.0, 2018: 49.0, 2019: 53.0}, {2017: 100.0, 2018: 108.0})
    figs = _frame(rows)
    down = pj.project(figs, region="down", indicator="gdp", year=2019, catalog=catalog)
    assert _args(down, "same_growth", "calibrated_interval")["regions"] == ["down", "up"]
    assert set(down.backtests) == {"down", "up"}
    up = pj.project(figs, region="up", indicator="gdp", year=2019, catalog=catalog)
    assert _args(up, "same_growth", "calibrated_interval")["regions"] == ["up"]


# ---------------------------------------------------------------------------------------
# The lead
# ---------------------------------------------------------------------------------------


def test_lead_is_same_growth_unless_clearly_beaten():
    # smooth annual growth, noisy first halves: drift does clearly better, and leads
    rng = np.random.default_rng(11)
    fy = {2008 + i: 1000.0 * 1.08**i for i in range(12)}
    h1 = {y: 0.45 * v * math.exp(0.05 * rng.standard_normal()) for y, v in fy.items()}
    figs = _frame(_levels("demo", h1, {y: v for y, v in fy.items() if y < 2019}))
    method, reason = pj.project(figs, region="demo", indicator="gdp", year=2019).lead_method()
    code, args = _read(reason)
    assert (method, code, args["method"]) == ("drift", "beats_same_growth", "drift")
    assert args["ratio"] < 1 - pj.MARGIN and args["n"] >= pj.MIN_SELECT
    # a constant share: nothing beats same growth, which stays
    h1 = {y: 0.45 * v for y, v in fy.items()}
    figs = _frame(_levels("demo", h1, {y: v for y, v in fy.items() if y < 2019}))
    method, reason = pj.project(figs, region="demo", indicator="gdp", year=2019).lead_method()
    assert method == "same_growth" and _read(reason)[0] == "same_growth_leads_over"


def test_the_lead_in_the_backtest_is_chosen_from_earlier_years_only(real):
    folds = pj.project(real, region="china", indicator="gdp", year=2025).backtest().folds
    lead = folds[folds["method"] == "lead"].set_index("year")
    for year, row in lead.iterrows():
        if row["detail"]:
            chosen = folds[(folds["year"] == year) & (folds["method"] == row["detail"])]
            assert chosen["projected"].iloc[0] == row["projected"]


# ---------------------------------------------------------------------------------------
# The result object
# ---------------------------------------------------------------------------------------


def test_result_shapes_codes_and_inputs_untouched(real):
    copy = real.copy()
    result = pj.project(real, region="china", indicator="gdp", year=2019)
    table = result.table()
    assert tuple(table.columns) == pj.TABLE_COLUMNS
    assert table["method"].tolist() == list(pj.METHODS)
    assert (table["status"] == "ok").all(), table[["method", "status"]]
    assert tuple(result.assumptions().columns) == pj.ASSUMPTION_COLUMNS
    assert tuple(result.warnings.columns) == pj.WARNING_COLUMNS
    # codes, never sentences
    # codes with arguments, never sentences: every text is a declared reason
    texts = [*table["reason"], *result.assumptions()["reason"], *result.warnings["reason"]]
    texts.append(result.lead_method()[1])
    assert all(reasons.parse(t) for t in texts if t)
    assert set(table.loc[table["reason"] == "", "status"]) <= {"ok"}
    assert result.history["year"].max() == 2018
    chart = result.chart_data()
    assert set(chart["kind"]) == {"actual FY", "actual H1", "projected"}
    assert chart.loc[chart["kind"] == "projected", "year"].eq(2019).all()
    pd.testing.assert_frame_equal(real, copy)
    assert result.backtest() is result.backtest()
    with pytest.raises(pj.ProjectionError, match="no backtest for 'erqi'"):
        result.backtest("erqi")


@pytest.mark.parametrize("region", ["china", "henan", "zhengzhou"])
def test_backtest_on_the_real_series(real, region):
    result = pj.project(real, region=region, indicator="gdp", year=2025)
    backtest = result.backtest()
    summary = backtest.summary()
    assert tuple(summary.columns) == pj.SUMMARY_COLUMNS
    assert summary["method"].tolist() == [*pj.METHODS, pj.LEAD, *pj.BENCHMARKS]
    folds = backtest.folds
    assert tuple(folds.columns) == pj.FOLD_COLUMNS
    assert (folds["year"] < 2025).all() and (folds["region"] == region).all()
    done = folds.loc[folds["projected"].notna()]
    assert np.allclose(done["error"], done["projected"] - done["actual"])
    assert np.allclose(done["ape"], 100 * (done["projected"] / done["actual"] - 1).abs())
    covered = summary.set_index("method")
    assert (covered["n_covered"] <= covered["n_interval"]).all()
    assert covered.loc["same_growth", "ratio_to_same_growth"] == 1.0
    if region == "china":
        assert covered.loc["same_growth", "n"] >= 12
        assert covered.loc["same_growth", "n_interval"] >= 8


def test_every_reason_of_a_projection_renders_in_every_language(real):
    from analysis.report import texts

    found = set()
    for region, year in (("erqi", 2019), ("china", 2019), ("china", 2020), ("henan", 2021),
                         ("zhengzhou", 2023), ("china", 2025)):  # fmt: skip
        result = pj.project(real, region=region, indicator="gdp", year=year)
        found |= set(result.table()["reason"]) | set(result.assumptions()["reason"])
        found |= set(result.warnings["reason"]) | {result.lead_method()[1]}
        for backtest in result.backtests.values():
            found |= set(backtest.folds["reason"])
    found.discard("")
    codes = {r.code for text in found for r in reasons.parse(text)}
    assert {"share_rule", "calibrated_interval", "census_revision", "levels_aligned"} <= codes
    for lang in texts.LANGS:
        names = texts.Names(lang)
        for text in sorted(found):
            said = texts.say(text, lang=lang, names=names)
            assert said and "{" not in said, text
