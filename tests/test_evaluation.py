"""Tests of analysis.compute.evaluation: which series are evaluated, pooling and the goal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compute import evaluation as ev
from analysis.compute import projection as pj


def _series(region: str, *, start: int, end: int, noise: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    fy = {y: 100.0 * 1.08 ** (y - start) for y in range(start, end + 1)}
    h1 = {y: 0.45 * v * float(np.exp(noise * rng.standard_normal())) for y, v in fy.items()}
    return pj.synthetic_figures(region, h1=h1, fy=fy, h1_growth={y: 6.0 for y in fy})


def test_the_real_series_with_four_backtest_years(processed):
    found = ev.series_to_evaluate(processed.figures)
    assert found[["region", "indicator"]].values.tolist() == [
        ["330000", "gdp"], ["china", "gdp"], ["henan", "gdp"],
    ]  # fmt: skip
    # 浙江省 has both halves of 2020-2023, 义乌市 of 2020-2022
    assert ev.fold_years(processed.figures, region="330000", indicator="gdp") == [
        2020, 2021, 2022, 2023,
    ]  # fmt: skip
    # zhengzhou has full years and first halves in only 3 years (2016, 2020, 2022)
    assert ev.fold_years(processed.figures, region="zhengzhou", indicator="gdp") == [
        2016, 2020, 2022,
    ]  # fmt: skip
    assert ev.series_to_evaluate(processed.figures, min_folds=3)["region"].tolist() == [
        "330000", "330782", "china", "henan", "zhengzhou",
    ]  # fmt: skip
    with pytest.raises(pj.ProjectionError, match="min_folds"):
        ev.series_to_evaluate(processed.figures, min_folds=0)


def test_pooled_table_pools_percentages_over_series():
    figures = pd.concat(
        [
            _series("a", start=2008, end=2020, noise=0.01, seed=1),
            _series("b", start=2012, end=2020, noise=0.03, seed=2),
        ],
        ignore_index=True,
    )
    done = ev.evaluate(figures)
    assert done.series["region"].tolist() == ["a", "b"]
    folds = done.folds
    pooled = done.pooled().set_index("method")
    mine = folds[(folds["method"] == "h1_share") & folds["projected"].notna()]
    assert pooled.loc["h1_share", "n"] == len(mine)
    assert pooled.loc["h1_share", "mape_pct"] == pytest.approx(mine["ape"].mean())
    # pooled over series of different units: a ratio of mean absolute percentage errors
    ape = folds.pivot_table(index=["region", "year"], columns="method", values="ape")
    both = ape[["drift", "same_growth"]].dropna()
    assert pooled.loc["drift", "ratio_to_same_growth"] == pytest.approx(
        both["drift"].mean() / both["same_growth"].mean()
    )
    assert np.isnan(pooled.loc["drift", "mae"]) if "mae" in pooled else True
    per_series = done.by_series()
    assert set(per_series["region"]) == {"a", "b"}
    assert per_series.groupby("method")["n"].sum().loc["h1_share"] == pooled.loc["h1_share", "n"]
    # coverage with its count, against the nominal level
    assert (pooled["n_covered"] <= pooled["n_interval"]).all()
    assert (pooled["level"] == 0.8).all()


def test_goal_compares_the_lead_on_the_same_years():
    figures = _series("a", start=2008, end=2020, noise=0.02, seed=3)
    done = ev.evaluate(figures)
    found = ev.goal(done)
    folds = done.folds
    lead = folds[(folds["method"] == "lead") & folds["projected"].notna()]
    assert found["lead_mape_pct"] == pytest.approx(lead["ape"].mean())
    vs = found["lead_vs_published"]
    assert vs["ratio"] == pytest.approx(vs["lead_mape_pct"] / vs["other_mape_pct"])
    # the published growth (6%) is below the nominal growth of the levels (8%): the naive
    # rule falls short, the lead does not
    assert vs["ratio"] < 0.75
    covered = lead["covered"].dropna()
    assert found["lead_coverage"]["n_interval"] == len(covered)
    assert found["lead_mape_by_region"]["a"]["n"] == len(lead)
