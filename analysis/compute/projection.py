"""Full-year projections from the first half, with calibrated intervals and an honest backtest.

:func:`project` takes the processed table (every release of every figure) and returns a
:class:`ProjectionResult`: one region's full year projected from its first half by a few
simple methods, each with its interval (where its backtest errors allow one), the
assumptions it rests on, and a status saying why it could not run; the lead method and
why; and :meth:`ProjectionResult.backtest`, which projects every past year from that
year's first half with what was known at the time.

Methods (codes in :data:`METHODS`):

- ``h1_share``: FY = H1 / s, with the H1 share s of past years by a rule chosen by
  backtest (:data:`SHARE_RULES`: last year's share, the mean of the last three, or a linear
  trend over the last five). A region without shares borrows them from the nearest level
  above that has them (city before province before nation), and says so.
- ``same_growth``: the second half grows as the first did, at current prices:
  FY = FY0 x A1 / A0 (the nominal growth of the H1 levels; last year's H1 and FY on one
  vintage basis). Where this year's H1 level is missing but its growth is published at
  comparable prices, FY = FY0 (1 + g)(1 + d), with d last year's implicit deflator; the
  deflator's year-to-year error widens the interval.
- ``drift``: a random walk with drift on the logs of the annual levels.
- ``combination``: the mean of ``h1_share`` and ``drift`` (the first half and the
  annual trend are two sources of information).
- ``target_path``: the full year the growth target implies; a target, not a forecast: no
  interval, never the lead.

Intervals are calibrated on the backtest: the interval of a method is
``projected x exp(± q)``, with q the ``ceil(level (n + 1))``-th smallest of the n absolute
log errors of that method in earlier years (split-conformal), from the region's own
backtest when it has :data:`OWN_MIN` years or more, else pooled with the levels above it.
With too few errors there is no interval, and the status says so. The share rule and the
lead method are chosen the same way, from years before the one projected, so every
backtest year is projected out of sample.

Everything a reader is told is a code with arguments (``status`` and ``status_args``,
:meth:`ProjectionResult.assumptions`, :attr:`ProjectionResult.warnings`, the lead's
reason): the words live with the report, in each language.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import reasons
from analysis.catalog import Catalog, CatalogError
from analysis.catalog import load as load_catalog
from analysis.compute.indicators import required_h2_growth, yoy_growth
from analysis.data.store import empty_records
from analysis.data.vintages import FIGURE_KEY, RELEASE_ORDER, one_basis, select_vintage
from analysis.errors import HalfyearError
from analysis.periods import Period

__all__ = [
    "ASSUMPTION_COLUMNS",
    "BENCHMARKS",
    "CENSUS_REVISIONS",
    "FOLD_COLUMNS",
    "FORECASTS",
    "LEAD",
    "MARGIN",
    "METHODS",
    "MIN_SELECT",
    "NEEDS",
    "OWN_MIN",
    "SHARE_RULES",
    "SUMMARY_COLUMNS",
    "TABLE_COLUMNS",
    "WARNING_COLUMNS",
    "Backtest",
    "ProjectionError",
    "ProjectionResult",
    "detect_breaks",
    "drift",
    "empirical_interval",
    "first_releases",
    "fold_data",
    "h1_share",
    "implied_deflator",
    "project",
    "same_growth",
    "share_rule",
    "synthetic_figures",
    "target_path",
]

#: Method codes, in the order of the tables.
METHODS = ("h1_share", "same_growth", "drift", "combination", "target_path")

#: Methods that forecast (may lead, have intervals); ``target_path`` is a target.
FORECASTS = ("h1_share", "same_growth", "drift", "combination")

#: Benchmarks scored in backtests only: the published (comparable-price) H1 growth applied
#: to current-price levels, FY = A1 + B0 (1 + g), the naive rule this module replaces.
BENCHMARKS = ("same_growth_published",)

#: The pseudo-method of a backtest: in each year, the method chosen from earlier years.
LEAD = "lead"

#: Rules for the H1 share: last year's (the latest year with one), the mean of the latest
#: three, a linear trend over the latest five (at least three).
SHARE_RULES = ("last", "mean3", "trend")
_RULE_NEEDS = {"last": 1, "mean3": 3, "trend": 3}
_TREND_YEARS = 5

#: The least history each method needs: past H1 shares (own or borrowed), last year's
#: full year, consecutive annual levels.
NEEDS = {"h1_share": 1, "same_growth": 1, "drift": 3, "combination": 1, "target_path": 1}

#: Backtest years a region needs to be judged on its own errors alone; with fewer, its
#: errors are pooled with those of the levels above it (same indicator).
OWN_MIN = 8

#: Past years (projected by both) needed to compare a method with the default.
MIN_SELECT = 3

#: How much lower (as a share) a challenger's past errors must be to replace the default:
#: last year's H1 share among the share rules, same growth for the lead.
MARGIN = 0.1

#: Economic censuses and the year whose first full-year release carries their revision
#: (published late in the year after the census, after that year's first half).
CENSUS_REVISIONS = {2004: 2005, 2008: 2009, 2013: 2014, 2018: 2019, 2023: 2024}

#: Columns of :meth:`ProjectionResult.table`.
TABLE_COLUMNS = ("method", "projected", "lower", "upper", "status", "reason")

#: Columns of :meth:`ProjectionResult.assumptions`.
ASSUMPTION_COLUMNS = ("method", "reason")

#: Columns of :attr:`ProjectionResult.warnings`.
WARNING_COLUMNS = ("reason",)

#: Columns of :attr:`Backtest.folds`.
FOLD_COLUMNS = (
    "region", "year", "method", "detail", "actual", "projected", "lower", "upper", "error",
    "error_pct", "ape", "covered", "status", "reason",
)  # fmt: skip

#: Columns of :meth:`Backtest.summary`.
SUMMARY_COLUMNS = (
    "region", "method", "n", "mae", "mape_pct", "bias_pct", "ratio_to_same_growth",
    "n_vs_same_growth", "n_interval", "n_covered", "coverage_pct", "level",
)  # fmt: skip

_REQUIRED = (
    "region", "period", "indicator", "is_target", "peer_group", "value", "yoy_pct",
    "plan_pct", "qualifier", "release", "source_file", "source_line",
)  # fmt: skip
_OK = "ok"
_TINY = 1e-9  # percentage points: errors below this count as none
_HISTORY_COLUMNS = [
    "year", "h1", "fy", "h1_growth", "fy_growth", "pair_h1", "pair_fy", "share", "basis",
]  # fmt: skip


class ProjectionError(HalfyearError, ValueError):
    """An argument :func:`project` cannot serve (unknown region, indicator, bad level ...)."""


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def _row(
    method: str,
    *,
    projected: float = math.nan,
    status: str = _OK,
    status_args: Mapping | None = None,
    assumptions: list[tuple[str, dict]] | None = None,
    years: tuple[int, ...] = (),
    **extra: object,
) -> dict:
    """One method's answer: ``status`` is ``'ok'`` or a code, with ``status_args``."""
    return {
        "method": method,
        "projected": float(projected) if status == _OK else math.nan,
        "lower": math.nan,
        "upper": math.nan,
        "status": status,
        "status_args": dict(status_args or {}),
        "assumptions": list(assumptions or []),
        "years": tuple(int(y) for y in years),
        **extra,
    }


def _say(item: tuple[str, Mapping]) -> str:
    """A (code, arguments) pair as a reason (:mod:`analysis.reasons`)."""
    code, args = item
    return reasons.reason(code, **args)


def _status_reason(row: dict) -> str:
    """Why a method did not run, as a reason; '' when it did."""
    return "" if row["status"] == _OK else _say((row["status"], row["status_args"]))


def _insufficient(method: str, n: int, needs: int, **args: object) -> dict:
    return _row(method, status="insufficient_history", status_args={"n": n, "needs": needs, **args})


def _finite(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)


def _years(values: object) -> list[int]:
    return sorted({int(y) for y in values})


def _check_level(level: object) -> float:
    if isinstance(level, bool) or not _finite(level) or not 0.0 < float(level) < 1.0:
        raise ProjectionError(f"level must be a number between 0 and 1 (e.g. 0.8); got {level!r}")
    return float(level)


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        raise ProjectionError(f"year must be an integer year such as 2019; got {year!r}")
    return int(year)


def _annual(values: pd.Series | Mapping[int, float]) -> pd.Series:
    """Levels as a float Series on integer years, sorted, missing years dropped."""
    series = (
        values.astype(float) if isinstance(values, pd.Series) else pd.Series(values, dtype=float)
    )
    series.index = pd.Index([int(y) for y in series.index], dtype="int64")
    return series.dropna().sort_index()


def _tail_run(series: pd.Series, end: int) -> pd.Series:
    """The longest run of consecutive years ending at ``end`` (empty if ``end`` is missing)."""
    if end not in set(series.index):
        return series.iloc[0:0]
    known, start = set(series.index), end
    while start - 1 in known:
        start -= 1
    return series.loc[start:end]


def _mixed_args(frame: pd.DataFrame, year: int) -> dict:
    """The arguments of a ``mixed_vintages`` reason for ``year``'s H1 and FY."""
    releases = [
        int(frame[c].get(year, 0)) if c in frame else 0 for c in ("release_h1", "release_fy")
    ]
    return {
        "period": f"{year}H1",
        "release": releases[0],
        "later": f"{year}FY",
        "later_release": releases[1],
    }


def _history_frame(history: pd.DataFrame) -> pd.DataFrame:
    """A history indexed by year with every column of :data:`_HISTORY_COLUMNS`.

    ``pair_h1`` and ``pair_fy`` (the levels on one basis) default to ``h1`` and ``fy``, so
    the methods also take a plain ``year, h1, fy`` frame.
    """
    frame = history.copy()
    if "year" in frame.columns:
        frame = frame.set_index("year")
    frame.index = pd.Index([int(y) for y in frame.index], dtype="int64", name="year")
    for column in ("h1", "fy", "h1_growth", "fy_growth"):
        if column not in frame:
            frame[column] = math.nan
    if "pair_h1" not in frame:
        frame["pair_h1"], frame["pair_fy"] = frame["h1"], frame["fy"]
        both = frame["h1"].notna() & frame["fy"].notna()
        frame["basis"] = np.where(both, "same", "")
    if "share" not in frame:
        usable = (frame["pair_h1"] > 0) & (frame["pair_fy"] > 0)
        frame["share"] = (frame["pair_h1"] / frame["pair_fy"]).where(usable)
    return frame.sort_index()


# ---------------------------------------------------------------------------------------
# The methods: each takes past data of one region and returns a row for the table
# ---------------------------------------------------------------------------------------


def share_rule(shares: pd.Series | Mapping[int, float], *, year: int, rule: str) -> dict:
    """The H1 share a rule gives for ``year`` from the shares of earlier years.

    Parameters
    ----------
    shares : Series or mapping
        H1 shares (H1 / FY, on one vintage basis) by year; years from ``year`` on are
        ignored.
    year : int
        The year projected.
    rule : {'last', 'mean3', 'trend'}
        Last year's share (the latest year with one), the mean of the latest three, or an
        OLS line through the latest five (at least three) carried to ``year``.

    Returns
    -------
    dict
        ``share`` (NaN when the rule cannot run), ``years`` (the years used), ``n``.

    Examples
    --------
    >>> shares = {2016: 0.44, 2017: 0.45, 2018: 0.46}
    >>> [round(share_rule(shares, year=2019, rule=r)["share"], 4) for r in SHARE_RULES]
    [0.46, 0.45, 0.47]
    >>> share_rule({2018: 0.46}, year=2019, rule="mean3")["share"]
    nan
    """
    if rule not in SHARE_RULES:
        raise ProjectionError(f"unknown share rule {rule!r}; rules: {', '.join(SHARE_RULES)}")
    past = _annual(shares)
    past = past[(past.index < year) & (past > 0)]
    if len(past) < _RULE_NEEDS[rule]:
        return {"share": math.nan, "years": _years(past.index), "n": len(past)}
    if rule == "last":
        used = past.iloc[-1:]
        share = float(used.iloc[0])
    elif rule == "mean3":
        used = past.iloc[-3:]
        share = float(used.mean())
    else:
        used = past.iloc[-_TREND_YEARS:]
        _slope, intercept = np.polyfit(used.index.to_numpy(dtype=float) - year, used.to_numpy(), 1)
        share = float(intercept)
    return {"share": share, "years": _years(used.index), "n": len(used)}


def h1_share(
    shares: pd.Series | Mapping[int, float], *, h1: float, year: int, rule: str = "last"
) -> dict:
    """Project the full year as H1 / the H1 share a rule gives from past shares.

    Parameters
    ----------
    shares : Series or mapping
        H1 shares by year (see :func:`share_rule`).
    h1 : float
        The projected year's H1 level.
    year : int
        The projected year.
    rule : str, default 'last'
        One of :data:`SHARE_RULES`.

    Returns
    -------
    dict
        A table row: ``method, projected, lower, upper`` (no interval yet: intervals come
        from the backtest), ``status, status_args, assumptions, years``.

    Examples
    --------
    >>> row = h1_share({2017: 0.40, 2018: 0.44}, h1=55.0, year=2019)
    >>> row["projected"], row["assumptions"]
    (125.0, [('share_rule', {'rule': 'last', 'share': 44.0, 'years': [2018]})])
    >>> h1_share({}, h1=55.0, year=2019)["status_args"]
    {'n': 0, 'needs': 1}
    """
    found = share_rule(shares, year=year, rule=rule)
    if not _finite(found["share"]):
        return _insufficient("h1_share", found["n"], _RULE_NEEDS[rule])
    if not _finite(h1):
        return _row("h1_share", status="no_level", status_args={"period": f"{year}H1"})
    args = {"rule": rule, "share": 100.0 * found["share"], "years": found["years"]}
    return _row(
        "h1_share",
        projected=h1 / found["share"],
        assumptions=[("share_rule", args)],
        years=tuple(found["years"]),
    )


def implied_deflator(history: pd.DataFrame, *, year: int) -> dict:
    """Last year's implicit deflator and how much it moved from year to year.

    The deflator of year y is ``(FY_y / FY_{y-1}) / (1 + g_y) - 1``, with g_y the published
    (comparable-price) growth of the full year: the price change in the level growth. The
    projection for ``year`` assumes the latest known deflator again; its error is the
    change between consecutive known deflators.

    Parameters
    ----------
    history : DataFrame
        Past years with ``year, fy, fy_growth`` (levels and published growth in percent).
    year : int
        The projected year; only earlier years are used.

    Returns
    -------
    dict
        ``deflator`` (a fraction, NaN when none is known), ``year`` (whose deflator it is),
        ``changes`` (absolute year-to-year changes of the known deflators, as fractions).

    Examples
    --------
    >>> past = pd.DataFrame({"year": [2016, 2017, 2018], "fy": [100.0, 110.0, 121.0],
    ...                      "fy_growth": [6.0, 7.0, 8.0]})
    >>> d = implied_deflator(past, year=2019)
    >>> round(d["deflator"], 4), d["year"], [round(c, 4) for c in d["changes"]]
    (0.0185, 2018, [0.0095])
    """
    frame = _history_frame(history)
    frame = frame[frame.index < year]
    fy, growth = frame["fy"], frame["fy_growth"]
    deflators = {}
    for y in frame.index:
        if y - 1 in frame.index and fy.get(y - 1, 0) > 0 and fy[y] > 0 and _finite(growth[y]):
            deflators[int(y)] = float((fy[y] / fy[y - 1]) / (1.0 + growth[y] / 100.0) - 1.0)
    if not deflators:
        return {"deflator": math.nan, "year": None, "changes": []}
    years = sorted(deflators)
    changes = [abs(deflators[b] - deflators[a]) for a, b in itertools.pairwise(years)]
    return {"deflator": deflators[years[-1]], "year": years[-1], "changes": changes}


def same_growth(
    history: pd.DataFrame,
    *,
    year: int,
    h1: float,
    h1_growth: float = math.nan,
    comparable_prices: bool = False,
) -> dict:
    """Project the full year assuming the second half grows as the first, at current prices.

    With this year's H1 level A1 and last year's H1 and FY (A0, FY0, from one vintage):
    FY = A1 + B0 A1 / A0 = FY0 A1 / A0, with B0 = FY0 - A0: the nominal growth of the H1
    levels, never a comparable-price rate on current-price levels. Without A1 (or without
    last year's pair) but with the published H1 growth g: FY = FY0 (1 + g)(1 + d) where
    the growth is at comparable prices (d: last year's implicit deflator, see
    :func:`implied_deflator`, stated in the assumptions with the spread of its changes,
    which the interval includes), FY = FY0 (1 + g) where it is nominal.

    Parameters
    ----------
    history : DataFrame
        Past years with ``year, h1, fy`` (and ``fy_growth`` for the deflator;
        ``pair_h1, pair_fy, basis`` for last year's levels on one basis, defaulting to
        ``h1, fy``).
    year : int
        The projected year.
    h1 : float
        This year's H1 level A1 (NaN when unknown).
    h1_growth : float, optional
        This year's published H1 growth in percent.
    comparable_prices : bool, default False
        Whether the published growth is at comparable prices (GDP, value added).

    Returns
    -------
    dict
        A table row (see :func:`h1_share`).

    Examples
    --------
    >>> past = pd.DataFrame({"year": [2018], "h1": [100.0], "fy": [220.0]})
    >>> row = same_growth(past, year=2019, h1=106.0, h1_growth=6.3, comparable_prices=True)
    >>> round(row["projected"], 1), row["assumptions"][0][0]
    (233.2, 'nominal_growth_from_levels')
    >>> past = pd.DataFrame({"year": [2017, 2018], "h1": [np.nan, np.nan],
    ...                      "fy": [200.0, 220.0], "fy_growth": [np.nan, 7.0]})
    >>> row = same_growth(past, year=2019, h1=np.nan, h1_growth=6.0, comparable_prices=True)
    >>> round(row["projected"], 1), row["assumptions"][0][0]
    (239.7, 'real_growth_with_deflator')
    """
    frame = _history_frame(history)
    frame = frame[frame.index < year]
    last = year - 1
    a0 = float(frame["pair_h1"].get(last, math.nan))
    fy0_pair = float(frame["pair_fy"].get(last, math.nan))
    basis = str(frame["basis"].get(last, "") or "")
    fy0 = float(frame["fy"].get(last, math.nan))
    if _finite(h1) and _finite(a0) and _finite(fy0_pair) and a0 > 0:
        b0 = fy0_pair - a0
        if b0 <= 0:
            return _row("same_growth", status="last_h2_not_positive")
        growth = (h1 / a0 - 1.0) * 100.0
        args = {"growth": growth, "period": f"{year}H1", "base": f"{last}H1"}
        assumptions = [("nominal_growth_from_levels", args)]
        if basis == "aligned":
            release = int(frame["release_h1"].get(last, 0)) if "release_h1" in frame else 0
            args = {"period": f"{last}H1", "later": f"{last}FY", "release": release}
            assumptions.append(("levels_aligned", args))
        return _row(
            "same_growth",
            projected=fy0_pair * h1 / a0,
            assumptions=assumptions,
            years=(last, year),
        )
    if not _finite(h1):
        why = ("no_level", {"period": f"{year}H1"})
    elif basis == "mixed":
        why = ("mixed_vintages", _mixed_args(frame, last))
    else:
        why = ("no_level", {"period": f"{last}H1"})
    if not _finite(fy0):
        return _row("same_growth", status="no_level", status_args={"period": f"{last}FY"})
    if not _finite(h1_growth):
        return _row("same_growth", status=why[0], status_args=why[1])
    g = float(h1_growth) / 100.0
    if not comparable_prices:
        return _row(
            "same_growth",
            projected=fy0 * (1.0 + g),
            assumptions=[("nominal_growth_published", {"growth": h1_growth}), why],
            years=(last, year),
        )
    deflator = implied_deflator(frame.reset_index(), year=year)
    if not _finite(deflator["deflator"]):
        return _row("same_growth", status="no_deflator", status_args={"period": f"{last}FY"})
    d = deflator["deflator"]
    args = {"growth": h1_growth, "deflator": 100.0 * d, "period": f"{deflator['year']}FY"}
    return _row(
        "same_growth",
        projected=fy0 * (1.0 + g) * (1.0 + d),
        assumptions=[("real_growth_with_deflator", args), why],
        years=(deflator["year"] - 1, last, year),
        deflator_changes=deflator["changes"],
    )


def _same_growth_published(frame: pd.DataFrame, *, year: int, h1: float, h1_growth: float) -> dict:
    """The benchmark FY = A1 + B0 (1 + g) with the published H1 growth g (see BENCHMARKS)."""
    last = year - 1
    a0 = float(frame["pair_h1"].get(last, math.nan))
    fy0 = float(frame["pair_fy"].get(last, math.nan))
    if not (_finite(h1) and _finite(a0) and _finite(fy0) and _finite(h1_growth)):
        return _insufficient(BENCHMARKS[0], 0, 1)
    return _row(BENCHMARKS[0], projected=h1 + (fy0 - a0) * (1.0 + h1_growth / 100.0))


def drift(fy: pd.Series | Mapping[int, float], *, year: int) -> dict:
    """Random walk with drift on the logs of the annual levels, one year ahead.

    Uses the consecutive years ending at ``year - 1``: with n log steps of mean m,
    FY = FY_{year-1} exp(m), so constant growth projects exactly.

    Parameters
    ----------
    fy : Series or mapping
        Annual (FY) levels by year; years from ``year`` on are ignored.
    year : int
        The projected year.

    Returns
    -------
    dict
        A table row (see :func:`h1_share`).

    Examples
    --------
    >>> row = drift({2016: 100.0, 2017: 110.0, 2018: 121.0}, year=2019)
    >>> round(row["projected"], 6), row["assumptions"]
    (133.1, [('log_drift', {'years': [2016, 2017, 2018], 'n': 3, 'growth': 10.0})])
    >>> drift({2017: 110.0, 2018: 121.0}, year=2019)["status_args"]
    {'n': 2, 'needs': 3}
    """
    series = _annual(fy)
    series = series[series.index < year]
    run = _tail_run(series, year - 1)
    if len(run) < NEEDS["drift"]:
        return _insufficient("drift", len(run), NEEDS["drift"])
    if (run <= 0).any():
        return _row(
            "drift",
            status="levels_not_positive",
            status_args={"years": _years(run.index[run <= 0])},
        )
    steps = np.diff(np.log(run.to_numpy()))
    mean = float(steps.mean())
    earlier = series.index[series.index < run.index[0]]
    args = {
        "years": _years(run.index),
        "n": len(run),
        "growth": round(100.0 * math.expm1(mean), 10),
    }
    assumptions = [("log_drift", args)]
    if len(earlier):
        assumptions.append(("gap_before", {"period": f"{int(run.index[0]) - 1}FY"}))
    return _row(
        "drift",
        projected=float(run.iloc[-1]) * math.exp(mean),
        assumptions=assumptions,
        years=tuple(run.index),
    )


def target_path(
    history: pd.DataFrame,
    *,
    year: int,
    target: float,
    qualifier: str = "",
    h1: float = math.nan,
    h1_growth: float = math.nan,
    comparable_prices: bool = False,
) -> dict:
    """The full year the annual growth target implies: a target, not a forecast.

    FY = FY0 (1 + target) for a nominal target; a comparable-price target is carried to
    current prices with last year's implicit deflator, FY = FY0 (1 + target)(1 + d), or,
    with no deflator known, left at last year's prices (and said so). The assumptions give
    the second-half growth the target requires
    (:func:`analysis.compute.indicators.required_h2_growth`, last year's H1 and FY on one
    basis).

    Parameters
    ----------
    history : DataFrame
        Past years (see :func:`same_growth`); must hold ``year - 1``'s FY.
    year : int
        The projected year.
    target : float
        The year's growth target in percent (NaN when none was set).
    qualifier : str, optional
        The target's qualifier: '以上', '左右' or '区间' (a range; ``target`` is its lower
        bound).
    h1, h1_growth : float, optional
        This year's H1 level and published H1 growth, for the required H2 growth.
    comparable_prices : bool, default False
        Whether the target (and published growth) is at comparable prices.

    Returns
    -------
    dict
        A table row (see :func:`h1_share`); never an interval.

    Examples
    --------
    >>> past = pd.DataFrame({"year": [2018], "h1": [100.0], "fy": [220.0]})
    >>> row = target_path(past, year=2019, target=8.0, qualifier="以上", h1_growth=6.0)
    >>> round(row["projected"], 1), [code for code, _ in row["assumptions"]]
    (237.6, ['growth_target', 'h2_must_grow', 'not_a_forecast'])
    >>> round(row["assumptions"][1][1]["growth"], 2)
    9.67
    """
    frame = _history_frame(history)
    frame = frame[frame.index < year]
    last = year - 1
    if not _finite(target):
        return _row("target_path", status="no_growth_target", status_args={"period": f"{year}FY"})
    fy0 = float(frame["fy"].get(last, math.nan))
    if not _finite(fy0):
        return _row("target_path", status="no_level", status_args={"period": f"{last}FY"})
    assumptions = [("growth_target", {"target": target, "qualifier": qualifier})]
    a0 = float(frame["pair_h1"].get(last, math.nan))
    fy0_pair = float(frame["pair_fy"].get(last, math.nan))
    needed = math.nan
    if _finite(a0) and _finite(fy0_pair) and (_finite(h1_growth) or _finite(h1)):
        needed = required_h2_growth(
            target_growth=target,
            h1_prev=a0,
            fy_prev=fy0_pair,
            h1_now=None if _finite(h1_growth) else h1,
            h1_growth=h1_growth if _finite(h1_growth) else None,
        )
    if _finite(needed):
        assumptions.append(("h2_must_grow", {"growth": float(needed)}))
    else:
        assumptions.append(("h2_growth_unknown", {"period": f"{last}FY"}))
    projected = fy0 * (1.0 + target / 100.0)
    if comparable_prices:
        deflator = implied_deflator(frame.reset_index(), year=year)
        if _finite(deflator["deflator"]):
            projected *= 1.0 + deflator["deflator"]
            args = {"deflator": 100 * deflator["deflator"], "period": f"{deflator['year']}FY"}
            assumptions.append(("target_deflator", args))
        else:
            assumptions.append(("at_prices_of", {"period": f"{last}FY"}))
    assumptions.append(("not_a_forecast", {}))
    return _row("target_path", projected=projected, assumptions=assumptions, years=(last,))


def empirical_interval(
    projected: float, errors: list[float] | np.ndarray, *, level: float = 0.8
) -> tuple[float, float, float]:
    """An interval calibrated on past errors: ``projected x exp(± q)`` (split-conformal).

    With n past log errors ``log(projected / actual)``, q is the ``ceil(level (n + 1))``-th
    smallest absolute error; when errors and the new one are exchangeable the interval
    holds the actual with probability at least ``level`` (and below ``level + 1 / (n + 1)``).
    With too few errors (``ceil(level (n + 1)) > n``: fewer than 4 at 80%) there is none.

    Parameters
    ----------
    projected : float
        The projection.
    errors : sequence of float
        Past log errors of the method.
    level : float, default 0.8
        Nominal coverage.

    Returns
    -------
    tuple of float
        ``(lower, upper, q)``; NaN when there are too few errors.

    Examples
    --------
    >>> lower, upper, q = empirical_interval(100.0, [0.01, -0.02, 0.03, -0.04], level=0.8)
    >>> round(lower, 2), round(upper, 2), q
    (96.08, 104.08, 0.04)
    >>> empirical_interval(100.0, [0.01, 0.02, 0.03])
    (nan, nan, nan)
    """
    errors = np.abs(np.asarray(errors, dtype=float))
    errors = np.sort(errors[np.isfinite(errors)])
    k = math.ceil(level * (len(errors) + 1) - 1e-9)
    if not _finite(projected) or k > len(errors) or k < 1:
        return math.nan, math.nan, math.nan
    q = float(errors[k - 1])
    return projected * math.exp(-q), projected * math.exp(q), q


def _errors_needed(level: float) -> int:
    """The fewest errors that give an interval at ``level``."""
    n = 1
    while math.ceil(level * (n + 1) - 1e-9) > n:
        n += 1
    return n


# ---------------------------------------------------------------------------------------
# Breaks
# ---------------------------------------------------------------------------------------


def detect_breaks(
    levels: pd.Series | Mapping[int, float],
    published: pd.Series | Mapping[int, float] | None = None,
    *,
    threshold: float = 5.0,
    robust_sds: float = 3.0,
) -> pd.DataFrame:
    """Year-on-year level jumps that look like a break (a census revision, a new boundary).

    Growth is computed from the levels of consecutive years only. A year is flagged when

    - its published growth is known and the level growth departs from it by more than
      ``threshold`` points beyond the series' usual gap (the median gap when five or
      more are known, else zero: levels at current prices and real growth differ by the
      price rise every year): code ``break_vs_published``; or
    - no growth is published and the level growth is more than ``robust_sds`` robust
      standard deviations (1.4826 x MAD) from the median growth (needs 4 growths): code
      ``break_robust``.

    Parameters
    ----------
    levels : Series or mapping
        Levels by year.
    published : Series or mapping, optional
        Published growth in percent by year.
    threshold : float, default 5.0
        Points of unusual gap between level growth and published growth.
    robust_sds : float, default 3.0
        Robust standard deviations of an unusual jump without published growth.

    Returns
    -------
    DataFrame
        One row per flagged year: ``year, level_growth, published_growth, usual_gap,
        usual_growth, spread, code``.

    Examples
    --------
    Zhengzhou's GDP (亿元), whose 2019 level came after the fourth economic census:

    >>> levels = {2013: 6202.0, 2014: 6800.0, 2016: 7994.16, 2017: 9130.17, 2018: 10143.3,
    ...           2019: 11589.7, 2020: 12003.0, 2021: 12691.0}
    >>> growth = {2014: 9.3, 2017: 8.2, 2018: 8.1, 2019: 6.5, 2020: 3.0, 2021: 4.7}
    >>> detect_breaks(levels, growth)[["year", "level_growth", "usual_gap", "code"]].round(1)
       year  level_growth  usual_gap                code
    0  2019          14.3        2.0  break_vs_published
    """
    columns = [
        "year", "level_growth", "published_growth", "usual_gap", "usual_growth", "spread",
        "code",
    ]  # fmt: skip
    series = _annual(levels)
    rates = _annual(published) if published is not None else pd.Series(dtype=float)
    growth = {
        int(y): float(yoy_growth(series.loc[y], series.loc[y - 1]))
        for y in series.index
        if y - 1 in series.index
    }
    growth = {y: g for y, g in growth.items() if math.isfinite(g)}
    gaps = {y: g - float(rates.loc[y]) for y, g in growth.items() if y in rates.index}
    usual = float(np.median(list(gaps.values()))) if len(gaps) >= 5 else 0.0
    values = np.array(list(growth.values()))
    median = float(np.median(values)) if len(values) else math.nan
    spread = 1.4826 * float(np.median(np.abs(values - median))) if len(values) >= 4 else 0.0
    rows = []
    for y, g in growth.items():
        if y in gaps:
            if abs(gaps[y] - usual) > threshold:
                rows.append(
                    [y, g, float(rates.loc[y]), usual, median, spread, "break_vs_published"]
                )
        elif spread > 0 and abs(g - median) > robust_sds * spread:
            rows.append([y, g, math.nan, usual, median, spread, "break_robust"])
    return pd.DataFrame(rows, columns=columns).astype({"year": "int64", "code": "str"})


# ---------------------------------------------------------------------------------------
# From the processed table to one region's history
# ---------------------------------------------------------------------------------------


def first_releases(figures: pd.DataFrame) -> pd.DataFrame:
    """The rows of each figure's earliest release: what was known when it first appeared.

    A measure that only a later release states (a level first published in a revision)
    was not known at the time, so a backtest does not see it. Estimates (预计, release 0,
    made before the figure is published) are not releases of the figure and are left out.

    Parameters
    ----------
    figures : DataFrame
        The processed table (all releases).

    Returns
    -------
    DataFrame
        A filtered copy.

    Examples
    --------
    >>> figs = synthetic_figures("demo", h1={2019: 50.0})
    >>> later = synthetic_figures("demo", h1={2019: 51.0}, release=2)
    >>> first_releases(pd.concat([figs, later]))["value"].tolist()
    [50.0]
    >>> guess = synthetic_figures("demo", h1={2019: 49.0}, release=0)
    >>> first_releases(pd.concat([guess, later]))["value"].tolist()
    [51.0]
    """
    figures = figures.loc[figures["release"] >= RELEASE_ORDER["preliminary"]]
    if figures.empty:
        return figures.copy()
    earliest = figures.groupby(FIGURE_KEY, sort=False, dropna=False)["release"].transform("min")
    return figures.loc[figures["release"] == earliest].copy()


def fold_data(figures: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """The rows a backtest fold for ``year`` may see: what was known after that year's H1.

    Keeps every row of earlier years, the rows of ``year`` ending by June (Q1, H1, ...)
    and ``year``'s targets (set at the start of the year); drops the rest of ``year``
    (Q3, FY) and all later years.

    Parameters
    ----------
    figures : DataFrame
        The processed table (canonical period codes).
    year : int
        The fold year.

    Returns
    -------
    DataFrame
        A filtered copy; ``figures`` is not changed.

    Examples
    --------
    >>> figs = synthetic_figures("demo", h1={2018: 40.0, 2019: 44.0},
    ...                          fy={2018: 100.0, 2019: 110.0}, targets={2019: 8.0})
    >>> fold_data(figs, year=2019)[["period", "is_target"]].values.tolist()
    [['2018FY', False], ['2018H1', False], ['2019FY', True], ['2019H1', False]]
    """
    year = _check_year(year)
    codes = figures["period"].astype(str)
    parsed = {code: Period.from_code(code) for code in codes.unique()}
    years = codes.map(lambda c: parsed[c].year)
    ends = codes.map(lambda c: parsed[c].end_month)
    target = figures["is_target"].astype(bool)
    keep = (years < year) | ((years == year) & (target | (ends <= 6)))
    return figures.loc[keep].copy()


def _empty_history() -> pd.DataFrame:
    out = pd.DataFrame(
        {c: pd.Series(dtype=float) for c in [*_HISTORY_COLUMNS[1:], "release_h1", "release_fy"]}
    )
    out["basis"] = pd.Series(dtype="str")
    return out.rename_axis("year").set_index(pd.Index([], dtype="int64", name="year"))


def _history(picked: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """One region's years: H1 and FY levels and growth, the pair on one basis, the share.

    ``picked``: the region's H1 and FY figures, one release each (:func:`select_vintage`);
    ``pairs``: its H1 and FY pairs on one basis (:func:`one_basis`).
    """
    if picked.empty:
        return _empty_history()
    years = sorted({int(p[:4]) for p in picked["period"]})
    out = pd.DataFrame(index=pd.Index(years, dtype="int64", name="year"))
    for kind, level_name, growth_name in (("H1", "h1", "h1_growth"), ("FY", "fy", "fy_growth")):
        part = picked.loc[picked["period"].str.endswith(kind)]
        at = pd.Index(part["period"].str[:4].astype(int).to_numpy(), name="year")
        for name, column in ((level_name, "value"), (growth_name, "yoy_pct")):
            values = pd.Series(part[column].to_numpy(dtype=float), index=at)
            out[name] = values.groupby(level=0).first().reindex(out.index)
    pairs = pairs.set_axis(pd.Index(pairs["later"].str[:4].astype(int).to_numpy(), name="year"))
    pairs = pairs[~pairs.index.duplicated()]
    out["pair_h1"] = pairs["value_earlier"].reindex(out.index).astype(float)
    out["pair_fy"] = pairs["value_later"].reindex(out.index).astype(float)
    out["basis"] = pairs["basis"].reindex(out.index).fillna("").astype(str)
    out["release_h1"] = pairs["release_wanted_earlier"].reindex(out.index).astype(float)
    out["release_fy"] = pairs["release_wanted_later"].reindex(out.index).astype(float)
    usable = (out["pair_h1"] > 0) & (out["pair_fy"] > 0)
    out["share"] = (out["pair_h1"] / out["pair_fy"]).where(usable)
    return out


def _targets(picked: pd.DataFrame) -> dict[int, tuple[float, str]]:
    """Growth targets by year from one region's selected FY target rows."""
    picked = picked.loc[picked["yoy_pct"].notna()]
    out = {}
    for period, growth, qualifier in picked[["period", "yoy_pct", "qualifier"]].itertuples(
        index=False
    ):
        out.setdefault(int(period[:4]), (float(growth), str(qualifier or "")))
    return out


@dataclass(frozen=True)
class _Series:
    """One region's figures of one indicator on one basis (latest, or first releases)."""

    region: str
    history: pd.DataFrame
    targets: dict


def _series(rows: pd.DataFrame, regions: list[str], which: str) -> dict[str, _Series]:
    """Each region's history and targets, one release per figure (``which``)."""
    rows = rows.loc[rows["region"].isin(regions)]
    codes = rows["period"].astype(str)
    rows = rows.loc[codes.str.fullmatch(r"\d{4}(?:H1|FY)")]
    target = rows["is_target"].astype(bool)
    picked = select_vintage(rows, which=which) if len(rows) else rows
    picked_target = picked["is_target"].astype(bool)
    actual = rows.loc[~target]
    years = sorted({int(p[:4]) for p in actual["period"]})
    pairs = one_basis(
        actual, earlier=[f"{y}H1" for y in years], later=[f"{y}FY" for y in years], which=which
    )
    out = {}
    for region in regions:
        mine = picked["region"] == region
        fy_targets = picked.loc[mine & picked_target & picked["period"].str.endswith("FY")]
        out[region] = _Series(
            region,
            _history(picked.loc[mine & ~picked_target], pairs.loc[pairs["region"] == region]),
            _targets(fy_targets),
        )
    return out


# ---------------------------------------------------------------------------------------
# One year: the point projections, then the choices and intervals from earlier years
# ---------------------------------------------------------------------------------------


def _raw(
    series: dict[str, _Series],
    *,
    region: str,
    year: int,
    sources: list[tuple[str, str]],
    comparable: bool,
) -> dict:
    """Every method's point projection for one region and year, before the backtest's choices.

    ``sources``: whose H1 shares may be used, in order (own, then the levels above; or a
    proxy named by the analyst), with why.
    """
    history = series[region].history
    past = history[history.index < year]
    h1 = float(history["h1"].get(year, math.nan))
    growth = float(history["h1_growth"].get(year, math.nan))
    source, shares = None, pd.Series(dtype=float)
    for code, why in sources:
        theirs = series[code].history["share"]
        theirs = theirs[theirs.index < year].dropna()
        if len(theirs):
            source, shares = (code, why), theirs
            break
    target, qualifier = series[region].targets.get(year, (math.nan, ""))
    frame = past.reset_index()
    return {
        "h1": h1,
        "source": source,
        "candidates": {r: h1_share(shares, h1=h1, year=year, rule=r) for r in SHARE_RULES},
        "same_growth": same_growth(
            frame, year=year, h1=h1, h1_growth=growth, comparable_prices=comparable
        ),
        "drift": drift(past["fy"], year=year),
        "target_path": target_path(
            frame,
            year=year,
            target=target,
            qualifier=qualifier,
            h1=h1,
            h1_growth=growth,
            comparable_prices=comparable,
        ),
        BENCHMARKS[0]: _same_growth_published(past, year=year, h1=h1, h1_growth=growth),
    }


@dataclass(frozen=True)
class _Entry:
    """One backtest error: region, year, method (or ``h1_share:<rule>``), log error, APE."""

    region: str
    year: int
    method: str
    log_error: float
    ape: float


def _pool(
    ledger: dict[str, list[_Entry]], *, region: str, chain: list[str], year: int
) -> tuple[list[_Entry], list[str]]:
    """The errors a choice for ``year`` rests on: the region's own, or pooled up the chain."""
    own = [e for e in ledger.get(region, []) if e.year < year]
    own_years = {e.year for e in own if e.method in FORECASTS}
    if len(own_years) >= OWN_MIN:
        return own, [region]
    pooled, regions = list(own), [region] if own else []
    for above in chain:
        theirs = [e for e in ledger.get(above, []) if e.year < year]
        if theirs:
            pooled += theirs
            regions.append(above)
    return pooled, regions


def _stats(pool: list[_Entry], method: str) -> tuple[int, float, float, list[int]]:
    """n, mean |log error|, MAPE and the years of one method's errors in a pool."""
    mine = [e for e in pool if e.method == method and math.isfinite(e.log_error)]
    if not mine:
        return 0, math.nan, math.nan, []
    return (
        len(mine),
        float(np.mean([abs(e.log_error) for e in mine])),
        float(np.mean([e.ape for e in mine])),
        _years(e.year for e in mine),
    )


def _ok(row: dict) -> bool:
    return row["status"] == _OK and _finite(row["projected"])


def _copy(row: dict) -> dict:
    return {**row, "assumptions": list(row["assumptions"]), "status_args": dict(row["status_args"])}


def _challenge(pool: list[_Entry], default: str, challengers: list[str]) -> dict:
    """Keep ``default`` unless a challenger's past errors are :data:`MARGIN` lower.

    Each challenger is compared with the default on the past years (and regions) both
    projected, by mean absolute percentage error; it needs :data:`MIN_SELECT` such years.
    Returns the winner, its error ratio to the default and the years compared.
    """
    base = {(e.region, e.year): e.ape for e in pool if e.method == default}
    best = {"winner": default, "ratio": math.nan, "n": 0, "challenger": ""}
    for method in challengers:
        mine = {(e.region, e.year): e.ape for e in pool if e.method == method}
        common = sorted(base.keys() & mine.keys())
        if len(common) < MIN_SELECT:
            continue
        theirs = float(np.mean([base[k] for k in common]))
        ours = float(np.mean([mine[k] for k in common]))
        ratio = (ours + _TINY) / (theirs + _TINY)  # equal when both are (almost) exact
        if not math.isfinite(best["ratio"]) or ratio < best["ratio"]:
            best = {"winner": default, "ratio": ratio, "n": len(common), "challenger": method}
            best["years"] = [min(k[1] for k in common), max(k[1] for k in common)]
    if best["challenger"] and best["ratio"] < 1.0 - MARGIN:
        best["winner"] = best["challenger"]
    return best


def _choose_rule(raw: dict, pool: list[_Entry], regions: list[str]) -> dict:
    """The h1_share row: last year's share unless another rule did clearly better before."""
    runnable = [r for r in SHARE_RULES[1:] if _ok(raw["candidates"][r])]
    if _ok(raw["candidates"]["last"]):
        found = _challenge(pool, "h1_share:last", [f"h1_share:{r}" for r in runnable])
        chosen = found["winner"].split(":")[1]
        if not runnable:
            choice = ("share_rule_only", {"rule": chosen})
        elif not found["n"]:
            choice = ("share_rule_default", {"needs": MIN_SELECT})
        else:
            args = {"rule": found["challenger"].split(":")[1], "ratio": found["ratio"]}
            args.update({"n": found["n"], "regions": regions})
            choice = ("share_rule_chosen" if chosen != "last" else "share_rule_kept", args)
    elif runnable:
        chosen = runnable[0]
        choice = ("share_rule_only", {"rule": chosen})
    else:
        chosen, choice = "last", None
    row = _copy(raw["candidates"][chosen])
    row["detail"] = chosen
    if _ok(row):
        row["assumptions"].append(choice)
        if raw["source"] is not None and raw["source"][1] != "own":
            code, why = raw["source"]
            row["assumptions"].append(
                ("shares_named" if why == "named" else "shares_borrowed", {"region": code})
            )
    return row


def _with_interval(row: dict, errors: list[float], *, level: float, regions: list[str]) -> None:
    """Set the row's empirical interval (in place) and state it."""
    lower, upper, q = empirical_interval(row["projected"], errors, level=level)
    changes = row.get("deflator_changes")
    if changes is not None and math.isfinite(q):
        _, _, q_deflator = empirical_interval(1.0, np.log1p(np.asarray(changes)), level=level)
        if math.isfinite(q_deflator):
            q = math.hypot(q, q_deflator)
            lower, upper = row["projected"] * math.exp(-q), row["projected"] * math.exp(q)
            args = {"half_width": 100 * math.expm1(q_deflator), "n": len(changes)}
            row["assumptions"].append(("deflator_error_included", args))
        else:
            args = {"n": len(changes), "needs": _errors_needed(level)}
            row["assumptions"].append(("deflator_error_unknown", args))
            return
    if math.isfinite(q):
        row["lower"], row["upper"] = lower, upper
        args = {"level": round(100 * level), "n": len(errors), "half_width": 100 * math.expm1(q)}
        row["assumptions"].append(("calibrated_interval", {**args, "regions": regions}))
    else:
        args = {"n": len(errors), "needs": _errors_needed(level), "level": round(100 * level)}
        row["assumptions"].append(("too_few_errors", args))


def _resolve(
    raw: dict, *, pool: list[_Entry], regions: list[str], level: float
) -> tuple[dict[str, dict], str, tuple[str, dict]]:
    """Rows of every method for one year, with the choices and intervals of earlier years."""
    rows = {"h1_share": _choose_rule(raw, pool, regions)}
    for method in ("same_growth", "drift", "target_path", *BENCHMARKS):
        rows[method] = _copy(raw[method])
    parts = ("h1_share", "drift")
    if all(_ok(rows[m]) for m in parts):
        rows["combination"] = _row(
            "combination",
            projected=float(np.mean([rows[m]["projected"] for m in parts])),
            assumptions=[("equal_weights", {"methods": list(parts)})],
            years=tuple(sorted({y for m in parts for y in rows[m]["years"]})),
        )
    else:
        missing = [m for m in parts if not _ok(rows[m])]
        rows["combination"] = _row(
            "combination", status="needs_methods", status_args={"methods": missing}
        )
    for method in FORECASTS:
        if _ok(rows[method]):
            errors = [e.log_error for e in pool if e.method == method]
            _with_interval(rows[method], errors, level=level, regions=regions)
    return (rows, *_choose_lead(rows, pool, regions))


def _choose_lead(rows: dict, pool: list[_Entry], regions: list[str]) -> tuple[str, tuple]:
    """Same growth, unless a method that can run now did clearly better in earlier years."""
    runnable = [m for m in FORECASTS if _ok(rows[m])]
    if not runnable:
        return "", ("no_method_can_run", {})
    if "same_growth" in runnable:
        others = [m for m in runnable if m != "same_growth"]
        found = _challenge(pool, "same_growth", others)
        if found["winner"] != "same_growth":
            _, _, mape, _ = _stats(pool, found["winner"])
            args = {"method": found["winner"], "ratio": found["ratio"], "n": found["n"]}
            args.update({"mape": mape, "regions": regions})
            return found["winner"], ("beats_same_growth", args)
        n, _, mape, _ = _stats(pool, "same_growth")
        if n == 0:
            args = {"method": "same_growth", "needs": MIN_SELECT}
            return "same_growth", ("too_few_backtest_years", args)
        if found["challenger"]:
            args = {"n": n, "mape": mape, "method": found["challenger"], "ratio": found["ratio"]}
            return "same_growth", ("same_growth_leads_over", {**args, "regions": regions})
        return "same_growth", ("same_growth_leads", {"n": n, "mape": mape, "regions": regions})
    scored = {}
    for method in runnable:
        n, _, mape, years = _stats(pool, method)
        if n >= MIN_SELECT:
            scored[method] = (mape, n, years)
    if scored:
        lead = min(scored, key=lambda m: (scored[m][0], FORECASTS.index(m)))
        mape, n, _ = scored[lead]
        return lead, ("lowest_mape", {"method": lead, "mape": mape, "n": n, "regions": regions})
    for method in ("h1_share", "combination", "drift"):
        if method in runnable:
            return method, ("too_few_backtest_years", {"method": method, "needs": MIN_SELECT})
    return "", ("no_method_can_run", {})


def _sources(region: str, chain: list[str], proxy: str | None) -> list[tuple[str, str]]:
    if proxy is not None:
        return [(proxy, "named")]
    return [(region, "own"), *((above, "nearest_above") for above in chain)]


def _holds(lower: float, upper: float, actual: float) -> bool:
    """Whether the interval holds the actual (rounding in the last digits forgiven)."""
    slack = 1e-9 * abs(actual)
    return bool(lower - slack <= actual <= upper + slack)


def _fold_rows(region: str, year: int, actual: float, rows: dict, lead: str) -> list[dict]:
    out = []
    methods = [*METHODS, LEAD, *BENCHMARKS]
    for method in methods:
        row = rows[lead] if method == LEAD and lead else rows.get(method)
        if row is None:
            row = _row(LEAD, status="no_method_can_run")
        projected = row["projected"] if _ok(row) else math.nan
        error = projected - actual
        has_interval = _finite(row["lower"]) and _finite(row["upper"])
        ratio = projected / actual if actual else math.nan
        out.append(
            {
                "region": region,
                "year": year,
                "method": method,
                "detail": lead if method == LEAD else str(row.get("detail", "")),
                "actual": actual,
                "projected": projected,
                "lower": row["lower"] if has_interval else math.nan,
                "upper": row["upper"] if has_interval else math.nan,
                "error": error,
                "error_pct": 100.0 * (ratio - 1.0),
                "ape": abs(100.0 * (ratio - 1.0)),
                "covered": _holds(row["lower"], row["upper"], actual) if has_interval else pd.NA,
                "status": row["status"],
                "reason": _status_reason(row),
            }
        )
    return out


def _entries(region: str, year: int, actual: float, raw: dict, rows: dict, lead: str) -> list:
    out = []

    def add(method: str, row: dict) -> None:
        if _ok(row) and actual > 0 and row["projected"] > 0:
            ratio = row["projected"] / actual
            out.append(_Entry(region, year, method, math.log(ratio), abs(100 * (ratio - 1))))

    for rule, row in raw["candidates"].items():
        add(f"h1_share:{rule}", row)
    for method in (*METHODS, *BENCHMARKS):
        add(method, rows[method])
    if lead:
        add(LEAD, rows[lead])
    return out


def _backtest_series(
    series: dict[str, _Series],
    *,
    region: str,
    chain: list[str],
    proxy: str | None,
    until: int,
    level: float,
    comparable: bool,
    ledger: dict[str, list[_Entry]],
) -> list[dict]:
    """Project every year of ``region`` before ``until`` from its own H1, in time order.

    Each year's share rule, intervals and lead come from the errors of earlier years only
    (own, or pooled with the levels above, which must already be in ``ledger``).
    """
    history = series[region].history
    years = [int(y) for y in history.index if y < until and _finite(history.loc[y, "fy"])]
    ledger[region] = []
    folds = []
    for year in years:
        raw = _raw(
            series,
            region=region,
            year=year,
            sources=_sources(region, chain, proxy),
            comparable=comparable,
        )
        pool, regions = _pool(ledger, region=region, chain=chain, year=year)
        rows, lead, _ = _resolve(raw, pool=pool, regions=regions, level=level)
        actual = float(history.loc[year, "fy"])
        folds.extend(_fold_rows(region, year, actual, rows, lead))
        ledger[region].extend(_entries(region, year, actual, raw, rows, lead))
    return folds


def _folds_frame(rows: list[dict]) -> pd.DataFrame:
    folds = pd.DataFrame(rows, columns=list(FOLD_COLUMNS))
    floats = ["actual", "projected", "lower", "upper", "error", "error_pct", "ape"]
    folds = folds.astype({"year": "int64", "covered": "boolean", "status": "str", "detail": "str"})
    return folds.astype(dict.fromkeys(floats, float))


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


def _summary_rows(folds: pd.DataFrame, *, keys: list[str]) -> pd.DataFrame:
    """Per method: n, errors, the ratio to same growth and interval coverage (with counts)."""
    done = folds.loc[folds["projected"].notna() & folds["actual"].notna()]
    base = done.loc[done["method"] == "same_growth"].set_index(keys)
    order = [m for m in (*METHODS, LEAD, *BENCHMARKS) if m in set(folds["method"])]
    out = []
    for method in order:
        mine = done.loc[done["method"] == method].set_index(keys)
        covered = mine["covered"].dropna().astype(bool)
        common = mine.index.intersection(base.index)
        if len(keys) == 1:  # one series: the ratio of mean absolute errors, in its unit
            theirs, ours = base.loc[common, "error"].abs(), mine.loc[common, "error"].abs()
        else:  # series of different units: the ratio of mean absolute percentage errors
            theirs, ours = base.loc[common, "ape"], mine.loc[common, "ape"]
        ratio = float(ours.mean() / theirs.mean()) if len(common) and theirs.mean() > 0 else np.nan
        n = len(mine)
        out.append(
            {
                "method": method,
                "n": n,
                "mae": float(mine["error"].abs().mean()) if n and len(keys) == 1 else math.nan,
                "mape_pct": float(mine["ape"].mean()) if n else math.nan,
                "bias_pct": float(mine["error_pct"].mean()) if n else math.nan,
                "ratio_to_same_growth": ratio,
                "n_vs_same_growth": len(common),
                "n_interval": len(covered),
                "n_covered": int(covered.sum()),
                "coverage_pct": 100.0 * float(covered.mean()) if len(covered) else math.nan,
            }
        )
    return pd.DataFrame(out)


@dataclass(frozen=True)
class Backtest:
    """How each method did in past years, each projected from its own H1.

    Attributes
    ----------
    folds : DataFrame
        One row per region, year and method (:data:`FOLD_COLUMNS`): ``detail`` is the
        share rule ``h1_share`` used, or the method the ``lead`` chose that year;
        ``error`` is projected - actual (the first-released full year), ``error_pct`` the
        same in % of the actual, ``ape`` its absolute value; ``covered`` says whether the
        interval held the actual (missing where there was none); ``status`` and
        ``status_args`` say why a method could not run.
    level : float
        Nominal coverage of the intervals.
    """

    folds: pd.DataFrame
    level: float = 0.8

    def summary(self) -> pd.DataFrame:
        """Per region and method: years projected, errors, ratio to same growth, coverage.

        ``n`` counts the years the method projected; ``mae`` is in the indicator's unit,
        ``mape_pct`` the mean absolute percentage error, ``bias_pct`` the mean signed
        error in % (below 0: too low). ``ratio_to_same_growth`` is the method's mean
        absolute error over same growth's, on the ``n_vs_same_growth`` years both
        projected (below 1: better). ``n_covered`` of the ``n_interval`` years with an
        interval held the actual (``coverage_pct``), against the nominal ``level``.

        Returns
        -------
        DataFrame
            Columns :data:`SUMMARY_COLUMNS`, methods in the order :data:`METHODS`, then
            ``lead`` and the :data:`BENCHMARKS`.

        Examples
        --------
        >>> folds = pd.DataFrame({
        ...     "region": "demo", "year": [2017, 2017, 2018, 2018],
        ...     "method": ["same_growth", "drift"] * 2, "actual": [100.0] * 4,
        ...     "projected": [98.0, 101.0, 104.0, 99.0],
        ...     "lower": [np.nan, 95.0, np.nan, 100.0], "upper": [np.nan, 105.0, np.nan, 110.0],
        ... })
        >>> folds = folds.assign(error=folds["projected"] - folds["actual"],
        ...                      error_pct=folds["projected"] - 100.0,
        ...                      ape=(folds["projected"] - 100.0).abs(),
        ...                      covered=[pd.NA, True, pd.NA, False])
        >>> Backtest(folds).summary()[["method", "n", "mape_pct", "ratio_to_same_growth",
        ...                            "n_interval", "n_covered"]]
                method  n  mape_pct  ratio_to_same_growth  n_interval  n_covered
        0  same_growth  2       3.0              1.000000           0          0
        1        drift  2       1.0              0.333333           2          1
        """
        parts = []
        for region, folds in self.folds.groupby("region", sort=False):
            part = _summary_rows(folds, keys=["year"])
            parts.append(part.assign(region=region))
        return self._shape(parts)

    def pooled(self) -> pd.DataFrame:
        """The summary over every region's years together (region ``'pooled'``).

        Series of different units are pooled on percentages: ``mae`` is left empty and
        ``ratio_to_same_growth`` is the ratio of mean absolute percentage errors on the
        region-years both methods projected.

        Returns
        -------
        DataFrame
            Columns :data:`SUMMARY_COLUMNS`.
        """
        if self.folds.empty:
            return self._shape([])
        part = _summary_rows(self.folds, keys=["region", "year"])
        return self._shape([part.assign(region="pooled")])

    def _shape(self, parts: list[pd.DataFrame]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame(columns=list(SUMMARY_COLUMNS)).astype(
                {"n": "int64", "n_interval": "int64", "n_covered": "int64"}
            )
        out = pd.concat(parts, ignore_index=True).assign(level=self.level)
        ints = ["n", "n_vs_same_growth", "n_interval", "n_covered"]
        return out[list(SUMMARY_COLUMNS)].astype(dict.fromkeys(ints, "int64"))


@dataclass(frozen=True)
class ProjectionResult:
    """The projected full year of one region and indicator by every method.

    Attributes
    ----------
    region, indicator : str
        Codes of the region and indicator.
    year : int
        The year whose full year is projected from its first half.
    level : float
        Nominal coverage of the intervals.
    h1 : float
        The year's H1 level used (NaN when none is known).
    history : DataFrame
        The region's past years: ``year, h1, fy, h1_growth, fy_growth`` (each level as
        published, latest release), ``pair_h1, pair_fy`` (H1 and FY on one basis),
        ``share``, ``basis`` (see :func:`analysis.data.vintages.one_basis`),
        ``release_h1, release_fy``.
    warnings : DataFrame
        Codes with arguments (:data:`WARNING_COLUMNS`): possible breaks, a census revision
        pending, missing figures, last year's levels of mixed vintages.
    proxy : str or None
        The region whose H1 shares ``h1_share`` borrowed, if not the region's own.
    """

    region: str
    indicator: str
    year: int
    level: float
    h1: float
    history: pd.DataFrame = field(repr=False)
    warnings: pd.DataFrame = field(repr=False)
    proxy: str | None
    rows: tuple[dict, ...] = field(repr=False)
    lead: tuple[str, str] = field(repr=False)
    backtests: Mapping[str, Backtest] = field(repr=False)
    figures: pd.DataFrame = field(repr=False)
    catalog: Catalog | None = field(default=None, repr=False, compare=False)

    def table(self) -> pd.DataFrame:
        """One row per method: ``method, projected, lower, upper, status, reason``.

        ``lower`` and ``upper`` bound the calibrated interval at :attr:`level` (missing
        where the method has none); ``status`` is ``'ok'`` or the code of the ``reason``
        (:mod:`analysis.reasons`) why the method could not run.

        Examples
        --------
        >>> figs = synthetic_figures("demo", h1={2017: 40.0, 2018: 44.0, 2019: 48.4},
        ...                          fy={2017: 100.0, 2018: 110.0})
        >>> project(figs, region="demo", indicator="gdp", year=2019).table()[
        ...     ["method", "projected", "reason"]]
                method  projected                          reason
        0     h1_share      121.0
        1  same_growth      121.0
        2        drift        NaN  insufficient_history n=2 needs=3
        3  combination        NaN           needs_methods methods=drift
        4  target_path        NaN   no_growth_target period=2019FY
        """
        rows = [
            {**{c: row[c] for c in TABLE_COLUMNS if c != "reason"}, "reason": _status_reason(row)}
            for row in self.rows
        ]
        return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))

    def assumptions(self) -> pd.DataFrame:
        """What each method's projection rests on: ``method, reason``, one row per item.

        Each ``reason`` is a code with arguments (:mod:`analysis.reasons`): the share rule
        and how it was chosen, whose shares, the growth and deflator used, the target and the
        second-half growth it requires, the calibrated interval (nominal level, number of
        past errors, half-width, regions pooled) or why there is none, breaks in the data.

        Examples
        --------
        >>> figs = synthetic_figures("demo", h1={2017: 40.0, 2018: 44.0, 2019: 48.4},
        ...                          fy={2017: 100.0, 2018: 110.0})
        >>> a = project(figs, region="demo", indicator="gdp", year=2019).assumptions()
        >>> for text in a.loc[a["method"] == "h1_share", "reason"]:
        ...     print(text)
        share_rule rule=last share=40.0 years=2018
        share_rule_only rule=last
        too_few_errors n=1 needs=4 level=80
        """
        rows = [
            {"method": row["method"], "reason": _say(item)}
            for row in self.rows
            for item in row["assumptions"]
        ]
        return pd.DataFrame(rows, columns=list(ASSUMPTION_COLUMNS))

    def backtest(self, region: str | None = None) -> Backtest:
        """Every past year of the region projected from its own H1, with what was known then.

        Each year uses the first release of every figure (a measure first stated in a
        revision is not used), years before it and its own H1 and target, never its
        full year or anything later; its share rule, intervals and lead come from earlier
        years' errors. The actual is the first-released full year.

        Parameters
        ----------
        region : str, optional
            Another region whose backtest was computed for this projection (a level
            above, or the proxy), e.g. to show the errors whose pool the intervals used;
            default this region.

        Returns
        -------
        Backtest

        Examples
        --------
        >>> fy = {y: 100.0 * 1.1 ** (y - 2010) for y in range(2010, 2020)}
        >>> h1 = {y: 0.45 * v for y, v in fy.items()}
        >>> result = project(synthetic_figures("demo", h1=h1, fy=fy), region="demo",
        ...                  indicator="gdp", year=2020)
        >>> summary = result.backtest().summary().set_index("method")
        >>> summary.loc[["h1_share", "drift", "lead"], ["n", "mape_pct"]].round(6)
                  n  mape_pct
        method
        h1_share  9       0.0
        drift     7       0.0
        lead      9       0.0
        """
        code = self.region if region is None else region
        if code not in self.backtests:
            raise ProjectionError(
                f"no backtest for {code!r} here; computed for: {', '.join(self.backtests)}"
            )
        return self.backtests[code]

    def lead_method(self) -> tuple[str, str]:
        """The method to lead with, and why (a reason, :mod:`analysis.reasons`).

        Same growth, the plainest assumption, unless another method that can run this year
        had a mean absolute percentage error at least :data:`MARGIN` lower than same
        growth's on the :data:`MIN_SELECT` or more earlier backtest years both projected
        (``beats_same_growth``; else ``same_growth_leads`` or ``same_growth_leads_over``).
        The errors are the region's own, or pooled with the levels above when it has fewer
        than :data:`OWN_MIN` backtest years. When same growth cannot run: the lowest MAPE
        (``lowest_mape``), or with too few years the first that can run of H1 share,
        combination, drift (``too_few_backtest_years``).

        Examples
        --------
        >>> figs = synthetic_figures("erqi", h1={2021: 36.3, 2022: 39.93},
        ...                          fy={2021: 121.0}, h1_growth={2022: 10.0})
        >>> project(figs, region="erqi", indicator="gdp", year=2022).lead_method()
        ('same_growth', 'too_few_backtest_years method=same_growth needs=3')
        """
        return self.lead

    def chart_data(self) -> pd.DataFrame:
        """Tidy data to chart: past actual FY and H1 levels, and every method's projection.

        Returns
        -------
        DataFrame
            Columns ``year, kind`` ('actual FY', 'actual H1', 'projected'), ``method``
            (empty for actuals), ``value, lower, upper``.

        Examples
        --------
        >>> figs = synthetic_figures("demo", h1={2017: 40.0, 2018: 44.0, 2019: 48.4},
        ...                          fy={2017: 100.0, 2018: 110.0})
        >>> data = project(figs, region="demo", indicator="gdp", year=2019).chart_data()
        >>> data.groupby("kind").size().to_dict()
        {'actual FY': 2, 'actual H1': 3, 'projected': 2}
        """
        parts = []
        past = self.history[self.history["year"] < self.year]
        for kind, column in (("actual FY", "fy"), ("actual H1", "h1")):
            known = past.loc[past[column].notna()]
            parts.append(
                pd.DataFrame(
                    {"year": known["year"], "kind": kind, "method": "", "value": known[column]}
                )
            )
        if math.isfinite(self.h1):
            parts.append(
                pd.DataFrame(
                    {"year": [self.year], "kind": "actual H1", "method": "", "value": [self.h1]}
                )
            )
        table = self.table()
        done = table.loc[table["projected"].notna()]
        parts.append(
            pd.DataFrame(
                {
                    "year": self.year,
                    "kind": "projected",
                    "method": done["method"],
                    "value": done["projected"],
                    "lower": done["lower"],
                    "upper": done["upper"],
                }
            )
        )
        out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
        out = out.reindex(columns=["year", "kind", "method", "value", "lower", "upper"])
        return out.astype({"year": "int64", "lower": float, "upper": float})


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------


def _ancestors(region: str, catalog: Catalog) -> list[str]:
    table = catalog.regions
    chain, seen = [], {region}
    parent = table["parent"].get(region, "") if "parent" in table else ""
    while isinstance(parent, str) and parent and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = table["parent"].get(parent, "")
    return chain


def _check_inputs(
    figures: object, region: object, indicator: object, proxy: object, catalog: Catalog
) -> tuple[str, str, str | None]:
    if not isinstance(figures, pd.DataFrame):
        raise ProjectionError(f"figures must be the processed table (a DataFrame); got {figures!r}")
    missing = [c for c in _REQUIRED if c not in figures.columns]
    if missing:
        raise ProjectionError(
            f"figures lacks column(s) {missing}; pass the processed table "
            "(analysis.data.pipeline.load_figures())"
        )
    if not isinstance(indicator, str) or indicator not in set(figures["indicator"]):
        known = sorted(set(figures["indicator"].astype(str)))
        raise ProjectionError(f"no figures for indicator {indicator!r}; indicators: {known}")
    cat = catalog.indicators
    if indicator in cat.index and cat.loc[indicator, "kind"] != "flow":
        raise ProjectionError(
            f"{indicator!r} is a {cat.loc[indicator, 'kind']} indicator; a projection from "
            "H1 needs a cumulative flow (kind 'flow', e.g. gdp, retail_sales)"
        )
    codes = set(figures.loc[figures["indicator"] == indicator, "region"].astype(str))

    def resolve(name: object, option: str) -> str:
        if isinstance(name, str) and name in codes:
            return name
        if isinstance(name, str):
            try:
                code = catalog.region_code(name)
            except CatalogError:
                code = None
            if code in codes:
                return code
        raise ProjectionError(
            f"{option}={name!r} has no {indicator} figures; regions with them: {sorted(codes)}"
        )

    return (
        resolve(region, "region"),
        indicator,
        None if proxy is None else resolve(proxy, "proxy"),
    )


def _warnings(
    history: pd.DataFrame, *, region: str, indicator: str, year: int, h1: float, known: bool
) -> tuple[list[tuple[str, dict]], pd.DataFrame]:
    """Warnings of a projection, and the breaks found in the region's own levels."""
    notes: list[tuple[str, dict]] = []
    if not known:
        notes.append(("not_in_catalog", {"indicator": indicator}))
    if not math.isfinite(h1):
        notes.append(("no_level_for", {"region": region, "period": f"{year}H1"}))
    if history["basis"].get(year - 1, "") == "mixed":
        notes.append(("mixed_vintages", _mixed_args(history, year - 1)))
    for census, revised in CENSUS_REVISIONS.items():
        if revised == year:
            notes.append(("census_revision", {"census": census, "period": f"{year}FY"}))
    seen = history[history.index <= year]
    found = []
    for series, level_column, growth_column in (
        ("FY", "fy", "fy_growth"),
        ("H1", "h1", "h1_growth"),
    ):
        breaks = detect_breaks(seen[level_column], seen[growth_column])
        if not breaks.empty:
            found.append(breaks.assign(series=series))
    breaks = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    for b in breaks.itertuples() if len(breaks) else ():
        args = {"period": f"{int(b.year)}{b.series}", "growth": b.level_growth}
        if b.code == "break_vs_published":
            args.update({"published": b.published_growth, "gap": b.usual_gap})
        else:
            args.update({"usual": b.usual_growth, "spread": b.spread})
        notes.append((b.code, args))
    return notes, breaks


def project(
    figures: pd.DataFrame,
    *,
    region: str,
    indicator: str,
    year: int,
    proxy: str | None = None,
    level: float = 0.8,
    catalog: Catalog | None = None,
) -> ProjectionResult:
    """Project a region's full year from its first half by every method, with its backtest.

    The projection uses the latest release of every figure of ``year`` and before (a known
    FY of ``year`` is never used); derived figures (last year's second half, H1 shares)
    pair levels of one release (:func:`analysis.data.vintages.one_basis`). The backtest
    uses first releases (:meth:`ProjectionResult.backtest`); the share rule, the intervals
    and the lead come from its errors. ``h1_share`` uses the region's own shares, else those
    of the nearest level above that has them (city, province, nation), or ``proxy``.

    Parameters
    ----------
    figures : DataFrame
        The processed table (``analysis.data.pipeline.load_figures()``): all releases.
    region : str
        Region code or name (e.g. 'erqi', '二七区').
    indicator : str
        Indicator code of a cumulative flow (e.g. 'gdp').
    year : int
        The year to project.
    proxy : str, optional
        Region whose H1 shares ``h1_share`` uses instead of the region's own.
    level : float, default 0.8
        Nominal coverage of the intervals, between 0 and 1.
    catalog : Catalog, optional
        Indicators and regions (default: the shipped catalog).

    Returns
    -------
    ProjectionResult

    Raises
    ------
    ProjectionError
        For an unknown region, proxy or indicator (listing those with figures), an
        indicator that is not a cumulative flow, a non-integer year or a level outside
        (0, 1).

    Examples
    --------
    >>> figs = synthetic_figures("demo", h1={2016: 45.0, 2017: 49.5, 2018: 54.45, 2019: 59.9},
    ...     fy={2016: 100.0, 2017: 110.0, 2018: 121.0}, h1_growth={2019: 10.0},
    ...     targets={2019: 8.0})
    >>> result = project(figs, region="demo", indicator="gdp", year=2019)
    >>> result.table()[["method", "projected", "lower", "upper", "status"]].round(1)
            method  projected  lower  upper status
    0     h1_share      133.1    NaN    NaN     ok
    1  same_growth      133.1    NaN    NaN     ok
    2        drift      133.1    NaN    NaN     ok
    3  combination      133.1    NaN    NaN     ok
    4  target_path      130.7    NaN    NaN     ok
    >>> project(figs, region="demo", indicator="gdp", year=2019, level=80)
    Traceback (most recent call last):
    ...
    analysis.compute.projection.ProjectionError: level must be a number between 0 and 1 ...
    """
    year = _check_year(year)
    level = _check_level(level)
    catalog = catalog or load_catalog()
    region, indicator, proxy = _check_inputs(figures, region, indicator, proxy, catalog)
    chain = _ancestors(region, catalog)
    regions = list(dict.fromkeys([region, *chain, *([proxy] if proxy else [])]))
    relevant = figures.loc[
        (figures["indicator"] == indicator) & figures["region"].isin(regions)
    ].copy()
    years = relevant["period"].astype(str).str[:4].astype(int)
    cat = catalog.indicators
    known = indicator in cat.index
    comparable = bool(cat.loc[indicator, "comparable_prices"]) if known else False
    # the backtest: first releases, levels above first (their errors pool into ours)
    first = _series(first_releases(relevant.loc[years < year]), regions, "first")
    ledger: dict[str, list[_Entry]] = {}
    backtests = {}
    for at, code in reversed(list(enumerate([region, *chain]))):
        folds = _backtest_series(
            first,
            region=code,
            chain=chain[at:] if code != region else chain,
            proxy=proxy if code == region else None,
            until=year,
            level=level,
            comparable=comparable,
            ledger=ledger,
        )
        backtests[code] = Backtest(_folds_frame(folds), level=level)
    # this year: the latest releases up to this year
    latest = _series(relevant.loc[years <= year], regions, "latest")
    raw = _raw(
        latest,
        region=region,
        year=year,
        sources=_sources(region, chain, proxy),
        comparable=comparable,
    )
    pool, pooled_regions = _pool(ledger, region=region, chain=chain, year=year)
    rows, lead, (code, args) = _resolve(raw, pool=pool, regions=pooled_regions, level=level)
    history = latest[region].history
    notes, breaks = _warnings(
        history, region=region, indicator=indicator, year=year, h1=raw["h1"], known=known
    )
    own = latest[region].history
    for method in METHODS:
        row = rows[method]
        uses_own = method != "h1_share" or raw["source"] is None or raw["source"][0] == region
        hit = (
            sorted({int(y) for y in breaks.get("year", []) if y in row["years"]})
            if uses_own
            else []
        )
        if hit and _ok(row):
            row["assumptions"].append(("break_in_data", {"years": hit}))
    source = raw["source"][0] if raw["source"] is not None else None
    return ProjectionResult(
        region=region,
        indicator=indicator,
        year=year,
        level=level,
        h1=raw["h1"],
        history=own[own.index < year].reset_index(),
        warnings=pd.DataFrame({"reason": [_say(n) for n in notes]}, columns=list(WARNING_COLUMNS)),
        proxy=source if source not in (None, region) else None,
        rows=tuple(rows[m] for m in METHODS),
        lead=(lead, _say((code, args))),
        backtests=backtests,
        figures=relevant,
        catalog=catalog,
    )


def synthetic_figures(
    region: str,
    *,
    indicator: str = "gdp",
    h1: Mapping[int, float] | None = None,
    fy: Mapping[int, float] | None = None,
    h1_growth: Mapping[int, float] | None = None,
    fy_growth: Mapping[int, float] | None = None,
    targets: Mapping[int, float] | None = None,
    release: int = 1,
) -> pd.DataFrame:
    """A small table in the processed table's shape, for examples and tests.

    Parameters
    ----------
    region : str
        Region code written in every row.
    indicator : str, default 'gdp'
        Indicator code.
    h1, fy : mapping of year to level, optional
        H1 and FY levels (a growth without a level gives a row with an empty level).
    h1_growth, fy_growth : mapping of year to percent, optional
        Published growth.
    targets : mapping of year to percent, optional
        Annual growth targets (FY target rows).
    release : int, default 1
        Release order of every row (1 = preliminary).

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.data.store.empty_records`, sorted like the table.

    Examples
    --------
    >>> figs = synthetic_figures("demo", h1={2019: 50.0}, h1_growth={2019: 8.0})
    >>> figs[["region", "period", "value", "yoy_pct", "is_target"]].values.tolist()
    [['demo', '2019H1', 50.0, 8.0, False]]
    """
    h1, fy = dict(h1 or {}), dict(fy or {})
    h1_growth, fy_growth, targets = (
        dict(h1_growth or {}),
        dict(fy_growth or {}),
        dict(targets or {}),
    )
    records = []
    for kind, levels, growths in (("H1", h1, h1_growth), ("FY", fy, fy_growth)):
        for year in sorted(set(levels) | set(growths)):
            records.append(
                {
                    "period": f"{year}{kind}",
                    "value": levels.get(year, math.nan),
                    "yoy_pct": growths.get(year, math.nan),
                    "is_target": False,
                    "end_month": 6 if kind == "H1" else 12,
                }
            )
    for year, growth in sorted(targets.items()):
        records.append(
            {
                "period": f"{year}FY",
                "value": math.nan,
                "yoy_pct": growth,
                "is_target": True,
                "qualifier": "以上",
                "end_month": 12,
            }
        )
    template = empty_records()
    if not records:
        return template
    rows = pd.DataFrame(records)
    given = {
        "region": region,
        "region_zh": region,
        "period": rows["period"],
        "year": rows["period"].str[:4].astype(int),
        "start_month": 1,
        "end_month": rows["end_month"],
        "indicator": indicator,
        "indicator_zh": indicator,
        "catalogued": True,
        "kind": "flow",
        "value": rows["value"],
        "yoy_pct": rows["yoy_pct"],
        "qualifier": rows["qualifier"].fillna("") if "qualifier" in rows else "",
        "is_target": rows["is_target"],
        "vintage": "preliminary",
        "release": int(release),
        "source_file": "synthetic",
        "source_line": np.arange(1, len(rows) + 1),
    }
    defaults = {"int64": 0, "float64": math.nan, "bool": False}
    frame = pd.DataFrame(
        {
            column: given.get(column, defaults.get(str(dtype), ""))
            for column, dtype in template.dtypes.items()
        },
        index=rows.index,
    )
    frame = frame.astype(template.dtypes.to_dict())
    return frame.sort_values(["region", "period", "indicator"], kind="stable").reset_index(
        drop=True
    )
