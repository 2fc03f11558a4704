"""How well the projections do: one series' backtest table, and a pooled evaluation.

:func:`backtest_table` is what ``halfyear backtest --region R --indicator I`` prints and the
report shows: per method, the years projected, MAPE, the ratio of its mean absolute error to
same growth's, and interval coverage with its count. :func:`evaluate` runs the backtest of
every real series with enough years (``make backtest``) and pools the errors per indicator
and method; :func:`goal` reads off whether the projections beat the naive method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.compute import projection as pj

__all__ = ["Evaluation", "backtest_table", "evaluate", "fold_years", "goal", "series_to_evaluate"]

#: Columns of :func:`backtest_table`.
TABLE_COLUMNS = (
    "region", "method", "n", "mape_pct", "bias_pct", "ratio_to_same_growth",
    "n_vs_same_growth", "n_covered", "n_interval", "coverage_pct", "level",
)  # fmt: skip


def fold_years(figures: pd.DataFrame, *, region: str, indicator: str) -> list[int]:
    """Years a backtest can score: a first-released full-year level and a first-half figure.

    Parameters
    ----------
    figures : DataFrame
        The processed table.
    region, indicator : str
        Codes of the series.

    Returns
    -------
    list of int

    Examples
    --------
    >>> figs = pj.synthetic_figures("demo", h1={2018: 40.0, 2019: 44.0},
    ...                             fy={2017: 90.0, 2018: 100.0, 2019: 110.0})
    >>> fold_years(figs, region="demo", indicator="gdp")
    [2018, 2019]
    """
    rows = figures.loc[(figures["region"] == region) & (figures["indicator"] == indicator)]
    history = pj._series(pj.first_releases(rows), [region], "first")[region].history
    known = history["fy"].notna() & (history["h1"].notna() | history["h1_growth"].notna())
    return [int(y) for y in history.index[known]]


def series_to_evaluate(
    figures: pd.DataFrame, *, min_folds: int = 4, catalog: Catalog | None = None
) -> pd.DataFrame:
    """Every series (region, flow indicator) with at least ``min_folds`` backtest years.

    Returns
    -------
    DataFrame
        ``region, indicator, folds, first, last`` (years), sorted by indicator and region.

    Examples
    --------
    >>> fy = {y: 100.0 * 1.08 ** (y - 2010) for y in range(2010, 2016)}
    >>> figs = pj.synthetic_figures("demo", h1={y: 0.45 * v for y, v in fy.items()}, fy=fy)
    >>> series_to_evaluate(figs).values.tolist()
    [['demo', 'gdp', 6, 2010, 2015]]
    >>> series_to_evaluate(figs, min_folds=7).empty
    True
    """
    if isinstance(min_folds, bool) or not isinstance(min_folds, int) or min_folds < 1:
        raise pj.ProjectionError(f"min_folds must be a positive integer; got {min_folds!r}")
    catalog = catalog or load_catalog()
    cat = catalog.indicators
    actual = figures.loc[~figures["is_target"].astype(bool) & figures["value"].notna()]
    actual = actual.loc[actual["period"].astype(str).str.fullmatch(r"\d{4}FY")]
    rows = []
    for (region, indicator), _ in actual.groupby(["region", "indicator"], sort=True):
        if indicator in cat.index and cat.loc[indicator, "kind"] != "flow":
            continue
        years = fold_years(figures, region=region, indicator=indicator)
        if len(years) >= min_folds:
            rows.append([region, indicator, len(years), years[0], years[-1]])
    out = pd.DataFrame(rows, columns=["region", "indicator", "folds", "first", "last"])
    return out.sort_values(["indicator", "region"], ignore_index=True)


def backtest_table(backtest: pj.Backtest, *, pooled: bool = False) -> pd.DataFrame:
    """The backtest as shown: per method, n, MAPE, bias, ratio to same growth, coverage.

    Methods that never ran are left out. ``ratio_to_same_growth`` is the ratio of mean
    absolute errors on the years both projected (pooled over series: of mean absolute
    percentage errors on the region-years both projected); ``n_covered`` of ``n_interval``
    intervals held the actual, against the nominal ``level``.

    Examples
    --------
    >>> fy = {y: 100.0 * 1.08 ** (y - 2010) for y in range(2010, 2020)}
    >>> figs = pj.synthetic_figures("demo", h1={y: 0.45 * v for y, v in fy.items()}, fy=fy)
    >>> result = pj.project(figs, region="demo", indicator="gdp", year=2020)
    >>> backtest_table(result.backtest())[["method", "n", "n_covered", "n_interval"]]
            method  n  n_covered  n_interval
    0     h1_share  9          5           5
    1  same_growth  9          5           5
    2        drift  7          3           3
    3  combination  7          3           3
    4         lead  9          5           5
    """
    summary = backtest.pooled() if pooled else backtest.summary()
    summary = summary.loc[summary["n"] > 0]
    return summary[list(TABLE_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class Evaluation:
    """The backtests of many series: every fold, and tables per series and pooled.

    Attributes
    ----------
    series : DataFrame
        The series evaluated (:func:`series_to_evaluate`).
    folds : DataFrame
        Their backtest folds (:data:`analysis.compute.projection.FOLD_COLUMNS`) with an
        ``indicator`` column.
    level : float
        Nominal coverage of the intervals.
    """

    series: pd.DataFrame
    folds: pd.DataFrame
    level: float = 0.8

    def by_series(self) -> pd.DataFrame:
        """:func:`backtest_table` of each series, with its ``indicator``."""
        parts = [
            backtest_table(pj.Backtest(group, level=self.level)).assign(indicator=indicator)
            for (indicator, _), group in self.folds.groupby(["indicator", "region"], sort=True)
        ]
        return _with_indicator_first(parts)

    def pooled(self) -> pd.DataFrame:
        """:func:`backtest_table` pooled over every series of each indicator."""
        parts = [
            backtest_table(pj.Backtest(group, level=self.level), pooled=True).assign(
                indicator=indicator
            )
            for indicator, group in self.folds.groupby("indicator", sort=True)
        ]
        return _with_indicator_first(parts)


def _with_indicator_first(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=["indicator", *TABLE_COLUMNS])
    out = pd.concat(parts, ignore_index=True)
    return out[["indicator", *TABLE_COLUMNS]]


def evaluate(
    figures: pd.DataFrame,
    *,
    min_folds: int = 4,
    level: float = 0.8,
    catalog: Catalog | None = None,
) -> Evaluation:
    """Backtest every series with at least ``min_folds`` years, each year out of sample.

    Each series is projected for the year after its last figure, so its backtest covers
    every year it has; each year's share rule, intervals and lead come from earlier years
    only (:meth:`analysis.compute.projection.ProjectionResult.backtest`).

    Examples
    --------
    >>> fy = {y: 100.0 * 1.08 ** (y - 2010) for y in range(2010, 2016)}
    >>> figs = pj.synthetic_figures("demo", h1={y: 0.45 * v for y, v in fy.items()}, fy=fy)
    >>> evaluation = evaluate(figs)
    >>> row = evaluation.pooled().set_index("method").loc["same_growth"]
    >>> int(row["n"]), round(float(row["mape_pct"]), 9)
    (5, 0.0)
    """
    catalog = catalog or load_catalog()
    series = series_to_evaluate(figures, min_folds=min_folds, catalog=catalog)
    parts = []
    for s in series.itertuples():
        result = pj.project(
            figures,
            region=s.region,
            indicator=s.indicator,
            year=int(s.last) + 1,
            level=level,
            catalog=catalog,
        )
        parts.append(result.backtest().folds.assign(indicator=s.indicator))
    columns = ["indicator", *pj.FOLD_COLUMNS]
    folds = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    return Evaluation(series=series, folds=folds, level=level)


def goal(evaluation: Evaluation, *, indicator: str = "gdp") -> dict:
    """Whether the lead method beat the naive rules, on the years both projected.

    Returns the lead's MAPE and that of same growth and of the published-rate benchmark
    on the same region-years, their ratios, and the lead's pooled interval coverage with
    its count.

    Examples
    --------
    >>> fy = {y: 100.0 * 1.08 ** (y - 2010) for y in range(2010, 2016)}
    >>> figs = pj.synthetic_figures("demo", h1={y: 0.45 * v for y, v in fy.items()}, fy=fy)
    >>> goal(evaluate(figs))["lead_vs_same_growth"]["n"]
    5
    """
    folds = evaluation.folds.loc[
        (evaluation.folds["indicator"] == indicator) & evaluation.folds["projected"].notna()
    ]
    ape = folds.pivot_table(index=["region", "year"], columns="method", values="ape")
    out = {}
    for name, other in (("same_growth", "same_growth"), ("published", pj.BENCHMARKS[0])):
        if pj.LEAD not in ape or other not in ape:
            out[f"lead_vs_{name}"] = {"n": 0}
            continue
        both = ape[[pj.LEAD, other]].dropna()
        lead, theirs = float(both[pj.LEAD].mean()), float(both[other].mean())
        out[f"lead_vs_{name}"] = {
            "n": len(both),
            "lead_mape_pct": lead,
            "other_mape_pct": theirs,
            "ratio": lead / theirs if theirs > 0 else math.nan,
        }
    lead = folds.loc[folds["method"] == pj.LEAD]
    covered = lead["covered"].dropna().astype(bool)
    out["lead_coverage"] = {
        "n_covered": int(covered.sum()),
        "n_interval": len(covered),
        "coverage_pct": 100.0 * float(covered.mean()) if len(covered) else math.nan,
        "level_pct": 100.0 * evaluation.level,
    }
    by_region = lead.groupby("region")["ape"].agg(["mean", "size"])
    out["lead_mape_by_region"] = {
        region: {"mape_pct": float(row["mean"]), "n": int(row["size"])}
        for region, row in by_region.iterrows()
    }
    out["lead_mape_pct"] = float(lead["ape"].mean()) if len(lead) else math.nan
    out["n_series"] = int(np.sum(evaluation.series["indicator"] == indicator))
    return out
