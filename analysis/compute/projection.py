"""Full-year projections from the first half, with intervals and a backtest.

:func:`project` takes the processed table (every vintage of every figure) and returns a
:class:`ProjectionResult`: the projected full year of one region and indicator by six
simple methods, each with its interval (where it has one), the assumptions it rests on,
and a status saying why it could not run. :meth:`ProjectionResult.backtest` projects every
past year from that year's first half, with the data known at the time, and reports how
each method did.

Methods (codes in :data:`METHODS`, display names in :data:`METHOD_LABELS`):

- ``h1_share``: FY = H1 / mean H1 share of past years; the range runs from the largest to
  the smallest share. A region without two past years of H1 and FY levels borrows the
  shares of its nearest ancestor that has them (or of ``proxy=``), and says so.
- ``same_growth``: the second half grows as the first did, FY = A1 + B0 (1 + g_H1).
- ``target_path``: the full year the annual growth target implies, FY0 (1 + g), with the
  second-half growth it requires.
- ``drift``: a random walk with drift on the logs of the annual levels.
- ``ets``: damped-trend exponential smoothing (statsmodels ``ETSModel``) on the annual levels.
- ``linear_trend``: OLS of the annual level on the year.

The series are short, so only one- and two-parameter trends are used, every trend states
the years it rests on, and a method with too little history says
``insufficient history (n=..., needs ...)`` instead of drawing a line. Levels are at
current prices while published growth rates of GDP are real: where a method mixes the two
its assumptions say so.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.catalog import Catalog, CatalogError
from analysis.catalog import load as load_catalog
from analysis.compute.indicators import required_h2_growth, yoy_growth
from analysis.data.pipeline import empty_records
from analysis.data.vintages import select_vintage
from analysis.periods import Period

__all__ = [
    "FOLD_COLUMNS",
    "METHODS",
    "METHOD_LABELS",
    "NEEDS",
    "SUMMARY_COLUMNS",
    "TABLE_COLUMNS",
    "Backtest",
    "ProjectionResult",
    "detect_breaks",
    "drift",
    "ets",
    "fold_data",
    "h1_share",
    "linear_trend",
    "project",
    "same_growth",
    "synthetic_figures",
    "target_path",
]

#: Method codes, in the order of the tables.
METHODS = ("h1_share", "same_growth", "target_path", "drift", "ets", "linear_trend")

#: Method names for display, by language.
METHOD_LABELS = {
    "zh": {
        "h1_share": "上半年占比法",
        "same_growth": "同速增长法",
        "target_path": "目标路径",
        "drift": "带漂移随机游走",
        "ets": "阻尼趋势指数平滑",
        "linear_trend": "线性趋势",
    },
    "en": {
        "h1_share": "H1 share",
        "same_growth": "same growth",
        "target_path": "target path",
        "drift": "random walk with drift",
        "ets": "damped trend (ETS)",
        "linear_trend": "linear trend",
    },
}

#: The least history each method needs: past years with both H1 and FY levels
#: (``h1_share``), last year's levels (``same_growth``, ``target_path``), or annual levels.
NEEDS = {"h1_share": 2, "same_growth": 1, "target_path": 1, "drift": 3, "ets": 6, "linear_trend": 3}

#: Columns of :meth:`ProjectionResult.table`.
TABLE_COLUMNS = ("method", "projected", "lower", "upper", "assumptions", "status")

#: Columns of :attr:`Backtest.folds`.
FOLD_COLUMNS = (
    "year", "method", "actual", "projected", "lower", "upper", "error", "ape", "covered",
    "status",
)  # fmt: skip

#: Columns of :meth:`Backtest.summary`.
SUMMARY_COLUMNS = (
    "method", "n", "mae", "mape_pct", "bias_pct", "n_interval", "coverage_pct",
    "mae_vs_same_growth", "n_vs_same_growth",
)  # fmt: skip

_REQUIRED = (
    "region", "period", "indicator", "is_target", "peer_group", "value", "yoy_pct",
    "plan_pct", "qualifier", "release", "source_file", "source_line",
)  # fmt: skip
_QUALIFIER_TEXT = {
    "以上": "at least (以上)",
    "左右": "about (左右)",
    "区间": "a range (区间): its lower bound is used",
}
_OK = "ok"


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def _insufficient(n: int, needs: int) -> str:
    return f"insufficient history (n={n}, needs {needs})"


def _row(
    method: str,
    *,
    projected: float = math.nan,
    lower: float = math.nan,
    upper: float = math.nan,
    assumptions: str = "",
    status: str = _OK,
    years: tuple[int, ...] = (),
) -> dict:
    """One method's answer; ``years`` are the years whose levels it used."""
    return {
        "method": method,
        "projected": float(projected),
        "lower": float(lower),
        "upper": float(upper),
        "assumptions": assumptions,
        "status": status,
        "years": tuple(int(y) for y in years),
    }


def _finite(x: object) -> bool:
    return isinstance(x, numbers.Real) and math.isfinite(x)


def _span(years: list[int] | tuple[int, ...] | pd.Index) -> str:
    """Years as runs: ``2010-2014, 2016, 2018-2019``."""
    years = sorted({int(y) for y in years})
    if not years:
        return "no years"
    runs: list[list[int]] = [[years[0], years[0]]]
    for year in years[1:]:
        if year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _t_quantile(level: float, df: int) -> float:
    """Two-sided Student t quantile for a central interval of ``level``."""
    from scipy import stats  # imported on use: keeps `import analysis.compute.projection` light

    return float(stats.t.ppf(0.5 + level / 2.0, df))


def _check_level(level: object) -> float:
    if isinstance(level, bool) or not _finite(level) or not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be a number between 0 and 1 (e.g. 0.8); got {level!r}")
    return float(level)


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        raise ValueError(f"year must be an integer year such as 2019; got {year!r}")
    return int(year)


def _annual(fy: pd.Series | Mapping[int, float]) -> pd.Series:
    """Annual levels as a float Series on integer years, sorted, missing years dropped."""
    series = pd.Series(fy, dtype=float) if not isinstance(fy, pd.Series) else fy.astype(float)
    series.index = pd.Index([int(y) for y in series.index], dtype="int64")
    return series.dropna().sort_index()


def _tail_run(fy: pd.Series, end: int) -> pd.Series:
    """The longest run of consecutive years ending at ``end`` (empty if ``end`` is missing)."""
    known = set(fy.index)
    start = end
    while start - 1 in known:
        start -= 1
    if end not in known:
        return fy.iloc[0:0]
    return fy.loc[start:end]


def _run_note(run: pd.Series, fy: pd.Series) -> str:
    earlier = fy.index[fy.index < (run.index[0] if len(run) else 0)]
    note = f"consecutive years {_span(run.index)}"
    if len(earlier):
        note += f" (earlier years {_span(earlier)} left out: a gap in {int(run.index[0]) - 1})"
    return note


# ---------------------------------------------------------------------------------------
# The methods: each takes past data of one region and returns a row for the table
# ---------------------------------------------------------------------------------------


def _pairs(history: pd.DataFrame) -> pd.DataFrame:
    """Past years with both an H1 and an FY level."""
    return history.loc[history["h1"].notna() & history["fy"].notna()].sort_values("year")


def h1_share(history: pd.DataFrame, *, h1: float, source: str = "") -> dict:
    """Project the full year as H1 / the mean H1 share of past years.

    The range runs from H1 / the largest share to H1 / the smallest share: the span of
    past seasonality, not a probability interval.

    Parameters
    ----------
    history : DataFrame
        Past years (before the projected one) with columns ``year``, ``h1``, ``fy``
        (levels); years lacking either level are not used.
    h1 : float
        The projected year's H1 level.
    source : str, optional
        Whose shares these are, for the assumptions (e.g. a proxy region).

    Returns
    -------
    dict
        ``method, projected, lower, upper, assumptions, status, years``; status is
        ``'ok'`` or why the method could not run.

    Examples
    --------
    >>> past = pd.DataFrame({"year": [2017, 2018], "h1": [40.0, 45.0], "fy": [100.0, 100.0]})
    >>> row = h1_share(past, h1=50.0)
    >>> round(row["projected"], 2), round(row["lower"], 2), round(row["upper"], 2)
    (117.65, 111.11, 125.0)
    >>> h1_share(past.head(1), h1=50.0)["status"]
    'insufficient history (n=1, needs 2)'
    """
    pairs = _pairs(history)
    years = tuple(pairs["year"])
    who = f"H1 share from {source}" if source else "H1 share"
    if len(pairs) < NEEDS["h1_share"]:
        return _row(
            "h1_share",
            status=_insufficient(len(pairs), NEEDS["h1_share"]),
            assumptions=f"{who}: needs {NEEDS['h1_share']} past years with H1 and FY levels",
        )
    bad = pairs.loc[(pairs["h1"] <= 0) | (pairs["fy"] <= 0), "year"].tolist()
    if bad:
        return _row(
            "h1_share",
            status=f"needs positive H1 and FY levels; zero or negative in {_span(bad)}",
            years=years,
        )
    if not _finite(h1):
        return _row("h1_share", status="no H1 level for the projected year", years=years)
    shares = pairs["h1"] / pairs["fy"]
    mean, low, high = float(shares.mean()), float(shares.min()), float(shares.max())
    text = (
        f"{who}: mean {mean:.1%}, range {low:.1%}-{high:.1%} ({_span(years)}, n={len(pairs)}); "
        "FY = H1 / mean share; the range (H1 / largest .. H1 / smallest share) is the span "
        "of past seasonality, not a probability interval"
    )
    return _row(
        "h1_share",
        projected=h1 / mean,
        lower=h1 / high,
        upper=h1 / low,
        assumptions=text,
        years=years,
    )


def _growth_gaps(history: pd.DataFrame) -> pd.Series:
    """Per past year: H2 growth (from levels) minus H1 growth (as same_growth uses it)."""
    pairs = _pairs(history).set_index("year")
    gaps = {}
    for year in pairs.index:
        if year - 1 not in pairs.index:
            continue
        now, before = pairs.loc[year], pairs.loc[year - 1]
        h2_growth = yoy_growth(now["fy"] - now["h1"], before["fy"] - before["h1"])
        published = now.get("h1_growth", math.nan)
        h1_growth = published if _finite(published) else yoy_growth(now["h1"], before["h1"])
        if _finite(h2_growth) and _finite(h1_growth):
            gaps[int(year)] = h2_growth - h1_growth
    return pd.Series(gaps, dtype=float)


def same_growth(
    history: pd.DataFrame, *, year: int, h1: float, h1_growth: float = math.nan, level: float = 0.8
) -> dict:
    """Project the full year assuming the second half grows as the first: A1 + B0 (1 + g_H1).

    A1 is this year's H1 level, B0 = FY0 - A0 last year's second half, and g_H1 the
    published H1 growth (computed from the H1 levels when none is published). With three
    or more past years of (H2 growth - H1 growth) gaps, the interval is
    ``± B0 * t * RMS(gap)`` (Student t, n degrees of freedom); otherwise there is none.

    Parameters
    ----------
    history : DataFrame
        Past years with columns ``year``, ``h1``, ``fy`` and optionally ``h1_growth``.
    year : int
        The projected year; ``history`` must hold ``year - 1``.
    h1 : float
        This year's H1 level A1.
    h1_growth : float, optional
        This year's published H1 growth in percent.
    level : float, default 0.8
        Coverage of the interval.

    Returns
    -------
    dict
        A table row (see :func:`h1_share`).

    Examples
    --------
    >>> past = pd.DataFrame({"year": [2018], "h1": [100.0], "fy": [220.0]})
    >>> same_growth(past, year=2019, h1=106.0, h1_growth=6.0)["projected"]
    233.2
    >>> same_growth(past, year=2020, h1=110.0)["status"]
    'insufficient history (n=0, needs 1)'
    """
    pairs = _pairs(history).set_index("year")
    if year - 1 not in pairs.index:
        return _row(
            "same_growth",
            status=_insufficient(0, NEEDS["same_growth"]),
            assumptions=f"needs the H1 and FY levels of {year - 1}",
        )
    a0, fy0 = float(pairs.loc[year - 1, "h1"]), float(pairs.loc[year - 1, "fy"])
    b0 = fy0 - a0
    years = (year - 1, year)
    if not _finite(h1):
        return _row("same_growth", status="no H1 level for the projected year", years=years)
    if b0 <= 0:
        return _row(
            "same_growth",
            status=f"last year's second half (FY - H1 = {b0:g}) is not positive",
            years=years,
        )
    if _finite(h1_growth):
        g, g_text = float(h1_growth), f"published H1 growth {h1_growth:.1f}%"
        if a0 > 0:
            g_text += (
                f" (real, comparable prices where the indicator has them; H1 levels grew "
                f"{yoy_growth(h1, a0):.1f}%)"
            )
    elif a0 > 0:
        g = float(yoy_growth(h1, a0))
        g_text = f"H1 growth {g:.1f}% computed from the levels (none published)"
    else:
        return _row("same_growth", status="no H1 growth: none published, no positive base")
    projected = h1 + b0 * (1.0 + g / 100.0)
    gaps = _growth_gaps(history[history["year"] < year])
    lower = upper = math.nan
    if len(gaps) >= 3:
        rms = float(np.sqrt(np.mean(np.square(gaps))))
        half = b0 * _t_quantile(level, len(gaps)) * rms / 100.0
        lower, upper = projected - half, projected + half
        interval = (
            f"{level:.0%} interval from past H2-minus-H1 growth gaps (RMS {rms:.1f} points, "
            f"{_span(gaps.index)}, n={len(gaps)})"
        )
    else:
        interval = f"no interval: fewer than 3 past years of H2 and H1 growth (n={len(gaps)})"
    text = (
        f"FY = H1 {h1:.1f} + {year - 1} H2 {b0:.1f} x (1 + {g:.1f}%): the second half grows "
        f"as the first, at {g_text}; {interval}"
    )
    return _row(
        "same_growth", projected=projected, lower=lower, upper=upper, assumptions=text, years=years
    )


def target_path(
    history: pd.DataFrame,
    *,
    year: int,
    target: float,
    qualifier: str = "",
    h1: float = math.nan,
    h1_growth: float = math.nan,
) -> dict:
    """The full year the annual growth target implies: FY0 (1 + target), no interval.

    The assumptions give the second-half growth the target requires
    (:func:`analysis.compute.indicators.required_h2_growth`), from this year's published H1 growth
    or, when none is published, its H1 level.

    Parameters
    ----------
    history : DataFrame
        Past years with columns ``year``, ``h1``, ``fy``; must hold ``year - 1``'s FY.
    year : int
        The projected year.
    target : float
        The year's growth target in percent (NaN when none was set).
    qualifier : str, optional
        The target's qualifier: '以上', '左右' or '区间' (a range; ``target`` is its lower
        bound).
    h1, h1_growth : float, optional
        This year's H1 level and published H1 growth, for the required H2 growth.

    Returns
    -------
    dict
        A table row (see :func:`h1_share`).

    Examples
    --------
    >>> past = pd.DataFrame({"year": [2018], "h1": [100.0], "fy": [220.0]})
    >>> row = target_path(past, year=2019, target=8.0, qualifier="以上", h1_growth=6.0)
    >>> round(row["projected"], 1), row["status"]
    (237.6, 'ok')
    >>> print(row["assumptions"])
    FY = 2018 FY 220.0 x (1 + target 8.0%, at least (以上)); the second half must grow 9.7%
    (H1 grew 6.0%); a real growth target applied to a current-price level where the
    indicator uses comparable prices; no interval: a target is not a forecast
    """
    known = history.loc[history["fy"].notna()].set_index("year")
    if not _finite(target):
        return _row("target_path", status=f"no growth target for {year}")
    if year - 1 not in known.index:
        return _row(
            "target_path",
            status=_insufficient(0, NEEDS["target_path"]),
            assumptions=f"needs the FY level of {year - 1}",
        )
    fy0 = float(known.loc[year - 1, "fy"])
    a0 = float(known.loc[year - 1, "h1"]) if "h1" in known else math.nan
    how = _QUALIFIER_TEXT.get(qualifier, "")
    target_text = f"target {target:.1f}%" + (f", {how}" if how else "")
    if _finite(h1_growth) or _finite(h1):
        needed = required_h2_growth(
            target_growth=target,
            h1_prev=a0,
            fy_prev=fy0,
            h1_now=h1 if not _finite(h1_growth) else None,
            h1_growth=h1_growth if _finite(h1_growth) else None,
        )
    else:
        needed = math.nan
    if _finite(needed):
        grew = (
            f"H1 grew {h1_growth:.1f}%"
            if _finite(h1_growth)
            else f"H1 level {h1:.1f} against {a0:.1f}"
        )
        required = f"the second half must grow {needed:.1f}% ({grew})"
    else:
        required = f"required H2 growth not computable (needs the {year - 1} H1 level)"
    text = (
        f"FY = {year - 1} FY {fy0:.1f} x (1 + {target_text}); {required}; a real growth "
        "target applied to a current-price level where the indicator uses comparable "
        "prices; no interval: a target is not a forecast"
    )
    return _row(
        "target_path", projected=fy0 * (1.0 + target / 100.0), assumptions=text, years=(year - 1,)
    )


def drift(fy: pd.Series | Mapping[int, float], *, year: int, level: float = 0.8) -> dict:
    """Random walk with drift on the logs of the annual levels, one year ahead.

    Uses the consecutive years ending at ``year - 1``. With n log steps of mean m and
    standard deviation s, FY = FY_{year-1} exp(m) and the interval is
    exp(m ± t_{n-1} s sqrt(1 + 1/n)): constant growth projects exactly.

    Parameters
    ----------
    fy : Series or mapping
        Annual (FY) levels by year; years from ``year`` on are ignored.
    year : int
        The projected year.
    level : float, default 0.8
        Coverage of the interval.

    Returns
    -------
    dict
        A table row (see :func:`h1_share`).

    Examples
    --------
    >>> row = drift({2016: 100.0, 2017: 110.0, 2018: 121.0}, year=2019)
    >>> round(row["projected"], 6), row["status"]
    (133.1, 'ok')
    >>> drift({2017: 110.0, 2018: 121.0}, year=2019)["status"]
    'insufficient history (n=2, needs 3)'
    """
    series = _annual(fy)
    series = series[series.index < year]
    run = _tail_run(series, year - 1)
    if len(run) < NEEDS["drift"]:
        return _row(
            "drift",
            status=_insufficient(len(run), NEEDS["drift"]),
            assumptions=f"needs {NEEDS['drift']} consecutive FY levels ending {year - 1}",
        )
    years = tuple(run.index)
    if (run <= 0).any():
        bad = run.index[run <= 0].tolist()
        return _row("drift", status=f"needs positive levels (logs); not positive in {_span(bad)}")
    steps = np.diff(np.log(run.to_numpy()))
    n = len(steps)
    mean, sd = float(steps.mean()), float(steps.std(ddof=1))
    half = _t_quantile(level, n - 1) * sd * math.sqrt(1.0 + 1.0 / n)
    last = float(run.iloc[-1])
    text = (
        f"random walk with drift on log FY levels, {_run_note(run, series)}, n={len(run)}: "
        f"mean growth {math.expm1(mean):.1%} a year (step sd {sd:.3f}); {level:.0%} interval "
        f"from the step sd (t, {n - 1} df, x sqrt(1 + 1/{n}))"
    )
    return _row(
        "drift",
        projected=last * math.exp(mean),
        lower=last * math.exp(mean - half),
        upper=last * math.exp(mean + half),
        assumptions=text,
        years=years,
    )


def ets(fy: pd.Series | Mapping[int, float], *, year: int, level: float = 0.8) -> dict:
    """Damped additive trend exponential smoothing (ETS A,Ad,N) on annual levels, one step.

    Fits statsmodels' ``ETSModel(error='add', trend='add', damped_trend=True)`` by maximum
    likelihood to the consecutive years ending at ``year - 1`` (levels scaled by the last
    one for the optimiser) and takes the prediction interval of
    ``get_prediction(...).summary_frame``. Optimiser warnings are kept out of the output
    and noted in the assumptions.

    Parameters
    ----------
    fy : Series or mapping
        Annual (FY) levels by year; years from ``year`` on are ignored.
    year : int
        The projected year.
    level : float, default 0.8
        Coverage of the interval.

    Returns
    -------
    dict
        A table row (see :func:`h1_share`).

    Examples
    --------
    >>> levels = {2012 + i: 100.0 * 1.08**i for i in range(7)}
    >>> row = ets(levels, year=2019)
    >>> row["status"], bool(row["lower"] < row["projected"] < row["upper"])
    ('ok', True)
    >>> ets({2017: 1.0, 2018: 2.0}, year=2019)["status"]
    'insufficient history (n=2, needs 6)'
    """
    series = _annual(fy)
    series = series[series.index < year]
    run = _tail_run(series, year - 1)
    if len(run) < NEEDS["ets"]:
        return _row(
            "ets",
            status=_insufficient(len(run), NEEDS["ets"]),
            assumptions=f"needs {NEEDS['ets']} consecutive FY levels ending {year - 1}",
        )
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    scale = float(run.abs().iloc[-1]) or 1.0
    endog = pd.Series(run.to_numpy() / scale)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = ETSModel(endog, error="add", trend="add", damped_trend=True)
            fitted = model.fit(disp=False)
            frame = fitted.get_prediction(start=len(endog), end=len(endog)).summary_frame(
                alpha=1.0 - level
            )
    except (ValueError, np.linalg.LinAlgError) as err:
        return _row("ets", status=f"did not fit: {err}", years=tuple(run.index))
    mean, low, high = (float(frame[c].iloc[0]) * scale for c in ("mean", "pi_lower", "pi_upper"))
    if not all(map(math.isfinite, (mean, low, high))):
        return _row("ets", status="did not fit: no finite prediction", years=tuple(run.index))
    params = dict(zip(fitted.param_names, fitted.params, strict=False))
    text = (
        f"damped trend ETS(A,Ad,N) on FY levels, {_run_note(run, series)}, n={len(run)}; "
        f"alpha {params.get('smoothing_level', math.nan):.2f}, "
        f"beta {params.get('smoothing_trend', math.nan):.2f}, "
        f"phi {params.get('damping_trend', math.nan):.2f}; {level:.0%} prediction interval "
        "of the fitted model (5 parameters on a short series: likely too narrow)"
    )
    if caught:
        text += "; the optimiser warned (e.g. did not converge): treat with caution"
    return _row(
        "ets", projected=mean, lower=low, upper=high, assumptions=text, years=tuple(run.index)
    )


def linear_trend(fy: pd.Series | Mapping[int, float], *, year: int, level: float = 0.8) -> dict:
    """OLS of the annual level on the year, one step ahead, with its prediction interval.

    Uses every known year before ``year`` at its actual position, so gaps are allowed.

    Parameters
    ----------
    fy : Series or mapping
        Annual (FY) levels by year; years from ``year`` on are ignored.
    year : int
        The projected year.
    level : float, default 0.8
        Coverage of the interval.

    Returns
    -------
    dict
        A table row (see :func:`h1_share`).

    Examples
    --------
    >>> row = linear_trend({2014: 90.0, 2016: 110.0, 2017: 120.0, 2018: 130.0}, year=2019)
    >>> round(row["projected"], 6), row["status"]
    (140.0, 'ok')
    >>> linear_trend({2018: 130.0}, year=2019)["status"]
    'insufficient history (n=1, needs 3)'
    """
    series = _annual(fy)
    series = series[series.index < year]
    if len(series) < NEEDS["linear_trend"]:
        return _row("linear_trend", status=_insufficient(len(series), NEEDS["linear_trend"]))
    from statsmodels.regression.linear_model import OLS

    x = np.column_stack([np.ones(len(series)), series.index.to_numpy(dtype=float) - year])
    fitted = OLS(series.to_numpy(), x).fit()
    frame = fitted.get_prediction(np.array([[1.0, 0.0]])).summary_frame(alpha=1.0 - level)
    mean = float(frame["mean"].iloc[0])
    low, high = float(frame["obs_ci_lower"].iloc[0]), float(frame["obs_ci_upper"].iloc[0])
    if not (math.isfinite(low) and math.isfinite(high)):
        low = high = math.nan
    text = (
        f"OLS of FY level on year, {_span(series.index)}, n={len(series)}: slope "
        f"{fitted.params[1]:.1f} a year; {level:.0%} prediction interval "
        f"(t, {len(series) - 2} df); a straight line in levels understates steady "
        "percentage growth"
    )
    return _row(
        "linear_trend",
        projected=mean,
        lower=low,
        upper=high,
        assumptions=text,
        years=tuple(series.index),
    )


# ---------------------------------------------------------------------------------------
# Breaks
# ---------------------------------------------------------------------------------------


def detect_breaks(
    levels: pd.Series | Mapping[int, float],
    published: pd.Series | Mapping[int, float] | None = None,
    *,
    threshold: float = 5.0,
    robust_sds: float = 3.0,
    label: str = "FY",
) -> pd.DataFrame:
    """Year-on-year level jumps that look like a break (a census revision, a new boundary).

    Growth is computed from the levels of consecutive years only. A year is flagged when

    - its published growth is known and the level growth departs from it by more than
      ``threshold`` points beyond the series' usual gap (the median gap when five or
      more are known, else zero: levels at current prices and real growth differ by the
      price rise every year); or
    - no growth is published and the level growth is more than ``robust_sds`` robust
      standard deviations (1.4826 x MAD) from the median growth (needs 4 growths).

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
    label : str, default 'FY'
        The period named in the reasons.

    Returns
    -------
    DataFrame
        One row per flagged year: ``year, level_growth, published_growth, usual_gap,
        reason``.

    Examples
    --------
    Zhengzhou's GDP (亿元), whose 2019 level came after the fourth economic census:

    >>> levels = {2013: 6202.0, 2014: 6800.0, 2016: 7994.16, 2017: 9130.17, 2018: 10143.3,
    ...           2019: 11589.7, 2020: 12003.0, 2021: 12691.0}
    >>> growth = {2014: 9.3, 2017: 8.2, 2018: 8.1, 2019: 6.5, 2020: 3.0, 2021: 4.7}
    >>> for reason in detect_breaks(levels, growth)["reason"]:
    ...     print(reason)
    possible break in 2019 (FY level +14.3% vs published growth 6.5%, usual gap +2.0 points):
    census revision or price effect?
    """
    columns = ["year", "level_growth", "published_growth", "usual_gap", "reason"]
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
            p = float(rates.loc[y])
            if abs(gaps[y] - usual) <= threshold:
                continue
            usual_text = f", usual gap {usual:+.1f} points" if usual else ""
            reason = (
                f"possible break in {y} ({label} level {g:+.1f}% vs published growth "
                f"{p:.1f}%{usual_text}): census revision or price effect?"
            )
            rows.append([y, g, p, usual, reason])
        elif spread > 0 and abs(g - median) > robust_sds * spread:
            reason = (
                f"possible break in {y} ({label} level {g:+.1f}% against a usual "
                f"{median:+.1f}% ± {spread:.1f}, no published growth): census revision?"
            )
            rows.append([y, g, math.nan, usual, reason])
    return pd.DataFrame(rows, columns=columns).astype({"year": "int64"})


# ---------------------------------------------------------------------------------------
# From the processed table to the methods
# ---------------------------------------------------------------------------------------


def _period_parts(codes: pd.Series) -> pd.DataFrame:
    """Year and end month of canonical period codes."""
    parsed = {code: Period.from_code(code) for code in codes.unique()}
    return pd.DataFrame(
        {
            "year": codes.map(lambda c: parsed[c].year),
            "start_month": codes.map(lambda c: parsed[c].start_month),
            "end_month": codes.map(lambda c: parsed[c].end_month),
        },
        index=codes.index,
    )


def _history(selected: pd.DataFrame, region: str) -> pd.DataFrame:
    """Per year: H1 and FY levels, published growths and H1 share of one region."""
    rows = selected.loc[(selected["region"] == region) & ~selected["is_target"].astype(bool)]
    parts = {}
    for kind, level_name, growth_name in (("H1", "h1", "h1_growth"), ("FY", "fy", "fy_growth")):
        mine = rows.loc[rows["period"].astype(str).str.fullmatch(rf"\d{{4}}{kind}")]
        years = pd.Index(mine["period"].str[:4].astype(int).to_numpy(), name="year")
        for name, column in ((level_name, "value"), (growth_name, "yoy_pct")):
            values = pd.Series(mine[column].to_numpy(dtype=float), index=years)
            parts[name] = values.groupby(level=0).first()
    out = pd.DataFrame(parts, columns=["h1", "fy", "h1_growth", "fy_growth"]).astype(float)
    usable = (out["h1"] > 0) & (out["fy"] > 0)
    out["share"] = (out["h1"] / out["fy"]).where(usable)
    out.index = out.index.astype("int64")
    out = out.rename_axis("year").reset_index().sort_values("year", ignore_index=True)
    return out[["year", "h1", "fy", "share", "h1_growth", "fy_growth"]]


def _target(selected: pd.DataFrame, region: str, year: int) -> tuple[float, str]:
    rows = selected.loc[
        (selected["region"] == region)
        & selected["is_target"].astype(bool)
        & (selected["period"] == f"{year}FY")
    ]
    rows = rows.loc[rows["yoy_pct"].notna()]
    if rows.empty:
        return math.nan, ""
    return float(rows["yoy_pct"].iloc[0]), str(rows["qualifier"].iloc[0] or "")


def _ancestors(region: str, catalog: Catalog) -> list[str]:
    table = catalog.regions
    chain, seen = [], {region}
    parent = table["parent"].get(region, "")
    while parent and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = table["parent"].get(parent, "")
    return chain


def _name(region: str, catalog: Catalog) -> str:
    return str(catalog.regions["name_zh"].get(region, region))


def _share_source(
    selected: pd.DataFrame,
    *,
    region: str,
    year: int,
    own: pd.DataFrame,
    proxy: str | None,
    catalog: Catalog,
) -> tuple[str, pd.DataFrame, str]:
    """Whose H1 shares to use: the region's own, ``proxy``, or the nearest ancestor."""
    n_own = len(_pairs(own))
    if n_own == 1:
        lacking = f"{region} has 1 year of H1 and FY levels before {year}"
    else:
        lacking = f"{region} has {'no' if n_own == 0 else n_own} H1 and FY history before {year}"
    if proxy is not None:
        past = _history(selected, proxy)
        return (
            proxy,
            past[past["year"] < year],
            f"{_name(proxy, catalog)} (proxy named by the analyst)",
        )
    if n_own >= NEEDS["h1_share"]:
        return region, own, ""
    for ancestor in _ancestors(region, catalog):
        past = _history(selected, ancestor)
        past = past[past["year"] < year]
        if len(_pairs(past)) >= NEEDS["h1_share"]:
            return ancestor, past, f"{_name(ancestor, catalog)} (proxy: {lacking})"
    return region, own, ""


def _break_table(history: pd.DataFrame) -> pd.DataFrame:
    fy = history.set_index("year")
    found = [
        detect_breaks(fy["fy"], fy["fy_growth"], label="FY").assign(series="FY"),
        detect_breaks(fy["h1"], fy["h1_growth"], label="H1").assign(series="H1"),
    ]
    found = [f for f in found if not f.empty]
    if not found:
        return detect_breaks({}).assign(series="")
    return pd.concat(found, ignore_index=True)


@dataclass(frozen=True)
class _Core:
    rows: tuple[dict, ...]
    h1: float
    history: pd.DataFrame
    proxy: str | None
    warnings: tuple[str, ...]


def _core(
    selected: pd.DataFrame,
    *,
    region: str,
    year: int,
    proxy: str | None,
    level: float,
    catalog: Catalog,
) -> _Core:
    """Every method for one region and year, on one vintage of the visible data."""
    every = _history(selected, region)
    past = every[every["year"] < year].reset_index(drop=True)
    now = every[every["year"] == year]
    h1 = float(now["h1"].iloc[0]) if len(now) else math.nan
    h1_growth = float(now["h1_growth"].iloc[0]) if len(now) else math.nan
    source_region, share_past, source = _share_source(
        selected, region=region, year=year, own=past, proxy=proxy, catalog=catalog
    )
    target, qualifier = _target(selected, region, year)
    fy = past.set_index("year")["fy"]
    rows = [
        h1_share(share_past, h1=h1, source=source),
        same_growth(past, year=year, h1=h1, h1_growth=h1_growth, level=level),
        target_path(
            past, year=year, target=target, qualifier=qualifier, h1=h1, h1_growth=h1_growth
        ),
        drift(fy, year=year, level=level),
        ets(fy, year=year, level=level),
        linear_trend(fy, year=year, level=level),
    ]
    notes: list[str] = []
    if not math.isfinite(h1):
        notes.append(f"no {year} H1 level for {region}: methods built on H1 cannot run")
    breaks = _break_table(every[every["year"] <= year])
    notes.extend(breaks["reason"])
    for row in rows:
        uses_h1 = row["method"] in ("h1_share", "same_growth")
        own = row["method"] != "h1_share" or source_region == region
        hit = [
            int(b.year)
            for b in breaks.itertuples()
            if own and b.year in row["years"] and (b.series == "FY" or uses_h1)
        ]
        if hit and row["status"] == _OK:
            row["assumptions"] += f"; possible break in {_span(sorted(set(hit)))} in the data used"
    used = source_region if source_region != region else None
    return _Core(tuple(rows), h1, past, used, tuple(notes))


def fold_data(figures: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """The rows a backtest fold for ``year`` may see: what was known after that year's H1.

    Keeps every row of earlier years, the rows of ``year`` ending by June (Q1, H1, ...)
    and ``year``'s targets (set at the start of the year); drops the rest of ``year``
    (Q3, FY) and all later years. Vintages are not chosen here: a fold then takes the
    first release of each figure.

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
    parts = _period_parts(figures["period"].astype(str))
    target = figures["is_target"].astype(bool)
    keep = (parts["year"] < year) | ((parts["year"] == year) & (target | (parts["end_month"] <= 6)))
    return figures.loc[keep].copy()


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backtest:
    """How each method did in past years, each projected from its own H1.

    Attributes
    ----------
    folds : DataFrame
        One row per year and method: ``year, method, actual, projected, lower, upper,
        error`` (projected - actual), ``ape`` (absolute error in % of actual),
        ``covered`` (actual within the interval; missing where there is none), ``status``.
    level : float
        Nominal coverage of the intervals.
    """

    folds: pd.DataFrame
    level: float = 0.8

    def summary(self) -> pd.DataFrame:
        """Per method: years projected, MAE, MAPE (%), mean error (%), interval coverage.

        ``n`` counts the years the method projected; ``mae`` is in the indicator's unit;
        ``bias_pct`` is the mean signed error in % of the actual (below 0: too low);
        ``coverage_pct`` is the share of the ``n_interval`` years with an interval whose
        interval held the actual. ``mae_vs_same_growth`` is the method's MAE over
        same_growth's MAE on the ``n_vs_same_growth`` years both projected (below 1: better
        than assuming the second half grows as the first).

        Returns
        -------
        DataFrame
            Columns :data:`SUMMARY_COLUMNS`, one row per method in :data:`METHODS` order.

        Examples
        --------
        >>> folds = pd.DataFrame({
        ...     "year": [2017, 2017, 2018, 2018], "method": ["same_growth", "drift"] * 2,
        ...     "actual": [100.0] * 4, "projected": [98.0, 101.0, 104.0, 99.0],
        ...     "lower": [np.nan, 95.0, np.nan, 100.0], "upper": [np.nan, 105.0, np.nan, 110.0],
        ... })
        >>> folds = folds.assign(error=folds["projected"] - folds["actual"])
        >>> folds = folds.assign(ape=folds["error"].abs(), covered=[pd.NA, True, pd.NA, False])
        >>> Backtest(folds).summary().set_index("method").loc[
        ...     ["same_growth", "drift"], ["n", "mae", "coverage_pct", "mae_vs_same_growth"]]
                     n  mae  coverage_pct  mae_vs_same_growth
        method
        same_growth  2  3.0           NaN                 1.0
        drift        2  1.0          50.0            0.333333
        """
        folds = self.folds
        done = folds.loc[folds["projected"].notna() & folds["actual"].notna()]
        base = done.loc[done["method"] == "same_growth"].set_index("year")["error"].abs()
        out = []
        for method in METHODS:
            mine = done.loc[done["method"] == method]
            errors = mine["error"].abs()
            pct = 100.0 * mine["error"] / mine["actual"].abs()
            covered = mine["covered"].dropna().astype(bool)
            mine_by_year = mine.set_index("year")["error"].abs()
            common = mine_by_year.index.intersection(base.index)
            base_mae = float(base.loc[common].mean()) if len(common) else math.nan
            ratio = (
                float(mine_by_year.loc[common].mean()) / base_mae
                if len(common) and base_mae > 0
                else math.nan
            )
            out.append(
                {
                    "method": method,
                    "n": len(mine),
                    "mae": float(errors.mean()) if len(mine) else math.nan,
                    "mape_pct": float(mine["ape"].mean()) if len(mine) else math.nan,
                    "bias_pct": float(pct.mean()) if len(mine) else math.nan,
                    "n_interval": len(covered),
                    "coverage_pct": 100.0 * float(covered.mean()) if len(covered) else math.nan,
                    "mae_vs_same_growth": ratio,
                    "n_vs_same_growth": len(common),
                }
            )
        return pd.DataFrame(out, columns=list(SUMMARY_COLUMNS)).astype(
            {"n": "int64", "n_interval": "int64", "n_vs_same_growth": "int64"}
        )

    def lead_method(self, *, min_years: int = 3) -> tuple[str, str]:
        """The method to lead with, and why: the lowest MAPE among those with enough years.

        Parameters
        ----------
        min_years : int, default 3
            Backtest years a method needs to be chosen.

        Returns
        -------
        tuple of (str, str)
            The method code and the reason, in English. With too few backtest years the
            choice is ``same_growth``, the plainest assumption.

        Examples
        --------
        >>> folds = pd.DataFrame(columns=list(FOLD_COLUMNS))
        >>> Backtest(folds).lead_method()
        ('same_growth', 'too few backtest years to choose (no method has n >= 3); ...')
        """
        if isinstance(min_years, bool) or not isinstance(min_years, int) or min_years < 1:
            raise ValueError(f"min_years must be a positive integer; got {min_years!r}")
        table = self.summary().set_index("method")
        eligible = table.loc[(table["n"] >= min_years) & table["mape_pct"].notna()]
        if eligible.empty:
            return (
                "same_growth",
                f"too few backtest years to choose (no method has n >= {min_years}); same "
                "growth is the plainest assumption",
            )
        best = eligible["mape_pct"].idxmin()
        row = eligible.loc[best]
        years = self.folds.loc[
            (self.folds["method"] == best) & self.folds["projected"].notna(), "year"
        ]
        reason = (
            f"lowest MAPE ({row['mape_pct']:.1f}%) among the methods with at least "
            f"{min_years} backtest years ({int(row['n'])} years, {_span(years.tolist())})"
        )
        if len(eligible) > 1:
            runner = eligible.drop(index=best)["mape_pct"].idxmin()
            reason += f"; next best {runner} ({eligible.loc[runner, 'mape_pct']:.1f}%)"
        if row["n_interval"] > 0:
            reason += (
                f"; its interval covered {row['coverage_pct']:.0f}% of the years "
                f"(nominal {self.level:.0%})"
            )
        return str(best), reason


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
        The region's past years: ``year, h1, fy, share, h1_growth, fy_growth``.
    warnings : list of str
        Possible breaks in the series and missing figures.
    proxy : str or None
        The region whose H1 shares ``h1_share`` borrowed, if any.
    """

    region: str
    indicator: str
    year: int
    level: float
    h1: float
    history: pd.DataFrame = field(repr=False)
    warnings: list[str]
    proxy: str | None
    rows: tuple[dict, ...] = field(repr=False)
    figures: pd.DataFrame = field(repr=False)
    requested_proxy: str | None = field(default=None, repr=False)
    catalog: Catalog | None = field(default=None, repr=False, compare=False)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def table(self) -> pd.DataFrame:
        """One row per method: ``method, projected, lower, upper, assumptions, status``.

        Examples
        --------
        >>> figs = synthetic_figures("demo", h1={2017: 40.0, 2018: 44.0, 2019: 48.4},
        ...                          fy={2017: 100.0, 2018: 110.0})
        >>> project(figs, region="demo", indicator="gdp", year=2019).table()[
        ...     ["method", "projected", "status"]]
                 method  projected                               status
        0      h1_share      121.0                                   ok
        1   same_growth      121.0                                   ok
        2   target_path        NaN                   no growth target for 2019
        3         drift        NaN  insufficient history (n=2, needs 3)
        4           ets        NaN  insufficient history (n=2, needs 6)
        5  linear_trend        NaN  insufficient history (n=2, needs 3)
        """
        return pd.DataFrame(
            [{c: row[c] for c in TABLE_COLUMNS} for row in self.rows], columns=list(TABLE_COLUMNS)
        )

    def backtest(self) -> Backtest:
        """Project every past year with H1 and FY levels from its own H1; compare with its FY.

        A fold for year Y sees only :func:`fold_data` (years before Y, Y's figures up to
        June and Y's targets), takes the first release of every figure (what was known at
        the time) and is scored against Y's first-released FY level. The proxy rule is
        applied within each fold.

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
        >>> summary.loc[["h1_share", "drift"], ["n", "mape_pct"]].round(6)
                  n  mape_pct
        method
        h1_share  8       0.0
        drift     7       0.0
        """
        if "backtest" not in self._cache:
            self._cache["backtest"] = _backtest(
                self.figures,
                region=self.region,
                year=self.year,
                proxy=self.requested_proxy,
                level=self.level,
                catalog=self.catalog or load_catalog(),
            )
        return self._cache["backtest"]

    def lead_method(self) -> tuple[str, str]:
        """The method to lead with here, and why.

        The backtest's choice (see :meth:`Backtest.lead_method`) when that method could run
        for this year; otherwise the first method that could, in the order same growth,
        H1 share, linear trend, drift, ETS, target path. ``('', reason)`` when none could.

        Examples
        --------
        >>> figs = synthetic_figures("erqi", h1={2021: 36.3, 2022: 39.93},
        ...                          fy={2021: 121.0}, h1_growth={2022: 10.0})
        >>> project(figs, region="erqi", indicator="gdp", year=2022).lead_method()[0]
        'same_growth'
        """
        method, reason = self.backtest().lead_method()
        status = self.table().set_index("method")["status"]
        if status.get(method) == "ok":
            return method, reason
        for alternative in ("same_growth", "h1_share", "linear_trend", "drift", "ets",
                            "target_path"):  # fmt: skip
            if status.get(alternative) == "ok":
                return alternative, (
                    f"{reason}; {method} cannot run here ({status.get(method)}), so "
                    f"{alternative} leads as the first method that can"
                )
        return "", f"{reason}; no method has enough history here"

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
        for kind, column in (("actual FY", "fy"), ("actual H1", "h1")):
            known = self.history.loc[self.history[column].notna()]
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
# Entry points
# ---------------------------------------------------------------------------------------


def _relevant(
    figures: pd.DataFrame, *, region: str, indicator: str, proxy: str | None, catalog: Catalog
) -> pd.DataFrame:
    regions = {region, *_ancestors(region, catalog), *([proxy] if proxy else [])}
    keep = (figures["indicator"] == indicator) & figures["region"].isin(regions)
    return figures.loc[keep].copy()


def _backtest(
    figures: pd.DataFrame,
    *,
    region: str,
    year: int,
    proxy: str | None,
    level: float,
    catalog: Catalog,
) -> Backtest:
    # One release per figure, chosen figure by figure, so choosing before the fold's
    # filter gives the same rows as choosing after it.
    first = select_vintage(figures, which="first")
    actuals = _pairs(_history(first, region))
    rows = []
    for fold_year in actuals.loc[actuals["year"] < year, "year"]:
        core = _core(
            fold_data(first, year=int(fold_year)),
            region=region,
            year=int(fold_year),
            proxy=proxy,
            level=level,
            catalog=catalog,
        )
        actual = float(actuals.loc[actuals["year"] == fold_year, "fy"].iloc[0])
        for row in core.rows:
            error = row["projected"] - actual
            has_interval = math.isfinite(row["lower"]) and math.isfinite(row["upper"])
            rows.append(
                {
                    "year": int(fold_year),
                    "method": row["method"],
                    "actual": actual,
                    "projected": row["projected"],
                    "lower": row["lower"],
                    "upper": row["upper"],
                    "error": error,
                    "ape": abs(error) / abs(actual) * 100.0 if actual else math.nan,
                    "covered": (row["lower"] <= actual <= row["upper"]) if has_interval else pd.NA,
                    "status": row["status"],
                }
            )
    folds = pd.DataFrame(rows, columns=list(FOLD_COLUMNS))
    folds = folds.astype({"year": "int64", "covered": "boolean", "status": "str"})
    float_columns = ["actual", "projected", "lower", "upper", "error", "ape"]
    return Backtest(folds.astype(dict.fromkeys(float_columns, float)), level=level)


def _check_inputs(
    figures: object, region: object, indicator: object, proxy: object, catalog: Catalog
) -> tuple[str, str, str | None]:
    if not isinstance(figures, pd.DataFrame):
        raise ValueError(f"figures must be the processed table (a DataFrame); got {figures!r}")
    missing = [c for c in _REQUIRED if c not in figures.columns]
    if missing:
        raise ValueError(
            f"figures lacks column(s) {missing}; pass the processed table "
            "(analysis.data.pipeline.load_figures())"
        )
    if not isinstance(indicator, str) or indicator not in set(figures["indicator"]):
        known = sorted(set(figures["indicator"].astype(str)))
        raise ValueError(f"no figures for indicator {indicator!r}; indicators: {known}")
    cat = catalog.indicators
    if indicator in cat.index and cat.loc[indicator, "kind"] != "flow":
        raise ValueError(
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
        raise ValueError(
            f"{option}={name!r} has no {indicator} figures; regions with them: {sorted(codes)}"
        )

    return (
        resolve(region, "region"),
        indicator,
        None if proxy is None else resolve(proxy, "proxy"),
    )


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
    """Project a region's full year from its first half by every method.

    Uses the latest release of every figure (:func:`analysis.data.vintages.select_vintage`).
    Only years before ``year`` and ``year``'s H1 and target enter the methods; a known FY
    of ``year`` is never used. ``h1_share`` borrows the H1 shares of ``proxy`` or, when
    the region has fewer than two past years with H1 and FY levels, of its nearest
    ancestor that has them, and its assumptions say so.

    Parameters
    ----------
    figures : DataFrame
        The processed table (``analysis.data.pipeline.load_figures()``): all vintages.
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
        Regions (for the ancestors whose shares may be borrowed) and indicators; default
        the shipped catalog.

    Returns
    -------
    ProjectionResult

    Raises
    ------
    ValueError
        For an unknown region, proxy or indicator (listing those with figures), an
        indicator that is not a cumulative flow, a non-integer year or a level outside
        (0, 1).

    Examples
    --------
    >>> figs = synthetic_figures("demo", h1={2016: 45.0, 2017: 49.5, 2018: 54.45, 2019: 59.9},
    ...     fy={2016: 100.0, 2017: 110.0, 2018: 121.0}, h1_growth={2019: 10.0},
    ...     targets={2019: 8.0})
    >>> result = project(figs, region="demo", indicator="gdp", year=2019)
    >>> result.table()[["method", "projected", "lower", "upper"]].round(1)
             method  projected  lower  upper
    0      h1_share      133.1  133.1  133.1
    1   same_growth      133.1    NaN    NaN
    2   target_path      130.7    NaN    NaN
    3         drift      133.1  133.1  133.1
    4           ets        NaN    NaN    NaN
    5  linear_trend      131.3  129.0  133.6
    >>> project(figs, region="demo", indicator="gdp", year=2019, level=80)
    Traceback (most recent call last):
    ...
    ValueError: level must be a number between 0 and 1 (e.g. 0.8); got 80
    """
    year = _check_year(year)
    level = _check_level(level)
    catalog = catalog or load_catalog()
    region, indicator, proxy = _check_inputs(figures, region, indicator, proxy, catalog)
    relevant = _relevant(figures, region=region, indicator=indicator, proxy=proxy, catalog=catalog)
    visible = relevant.loc[relevant["period"].astype(str).str[:4].astype(int) <= year]
    core = _core(
        select_vintage(visible, which="latest"),
        region=region,
        year=year,
        proxy=proxy,
        level=level,
        catalog=catalog,
    )
    notes = list(core.warnings)
    if indicator not in catalog.indicators.index:
        notes.append(f"{indicator} is not in the catalog: assumed a cumulative flow")
    return ProjectionResult(
        region=region,
        indicator=indicator,
        year=year,
        level=level,
        h1=core.h1,
        history=core.history,
        warnings=notes,
        proxy=core.proxy,
        rows=core.rows,
        figures=relevant,
        requested_proxy=proxy,
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
        The columns of :func:`analysis.data.pipeline.empty_records`, sorted like the table.

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
