"""The arithmetic of half-year analysis: growth, targets, peers and contributions.

Every function is pure and takes scalars, numpy arrays or pandas Series (several Series
arguments must share one index). A result is NaN wherever the data cannot give a value (a
missing figure, a zero or negative base); an invalid *argument* (an unknown method, a
month outside 1-12) raises ``ValueError`` saying what is allowed.

Units follow the reports: growth rates, shares, plan completion and time progress are in
percent (``8.0`` means 8%); a difference of two percents is in percentage points
(个百分点); levels keep the unit they come in (亿元, 万元, ...).

Scalars in give Python scalars out, arrays give arrays, and Series give Series on the same
index. The formulas are those of the project's domain note, "The arithmetic".
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "QUALIFIERS",
    "VERDICTS",
    "compound_annual_growth",
    "contribution",
    "contributions",
    "gap_to",
    "growth_change",
    "growth_consistency",
    "implied_total",
    "peer_average",
    "plan_completion",
    "progress_gap",
    "pull",
    "rank_values",
    "rank_within_groups",
    "required_h2_amount",
    "required_h2_growth",
    "share",
    "target_verdict",
    "time_progress",
    "two_year_average_growth",
    "yoy_growth",
]

#: Target qualifiers ``target_verdict`` understands: 以上 (at least), 左右 (about), none.
QUALIFIERS = ("以上", "左右", "", None)

#: The words ``target_verdict`` answers with.
VERDICTS = ("met", "not met", "above", "below", "no data")

# Comparisons of percents against a target absorb floating-point noise of this many points,
# so that 7.6 against a target of 7.1 "左右" (difference 0.5000000000000009) is within 0.5.
_EPS = 1e-9


# ---------------------------------------------------------------------------------------
# Input handling shared by the public functions
# ---------------------------------------------------------------------------------------


def _to_float_array(x: Any) -> np.ndarray:
    """One argument as a float ndarray (0-d for a scalar); pd.NA and None become NaN."""
    if isinstance(x, pd.Series):
        return pd.to_numeric(x).to_numpy(dtype=float, na_value=np.nan)
    if x is None or x is pd.NA:
        return np.asarray(np.nan)
    try:
        return np.asarray(x, dtype=float)
    except TypeError:
        return pd.array(list(x), dtype="Float64").to_numpy(dtype=float, na_value=np.nan)


def _common_index(args: Sequence[Any]) -> pd.Index | None:
    """The index shared by the Series among ``args``, or None when there is no Series."""
    indexes = [a.index for a in args if isinstance(a, pd.Series)]
    if not indexes:
        return None
    first = indexes[0]
    for other in indexes[1:]:
        if not first.equals(other):
            raise ValueError(
                "Series arguments must share one index (same labels in the same order); "
                "align them first, e.g. with Series.align or reindex"
            )
    return first


def _inputs(*args: Any) -> tuple[list[np.ndarray], pd.Index | None]:
    """Float arrays for the arguments, and the index to put the result on (if any)."""
    return [_to_float_array(a) for a in args], _common_index(args)


def _output(result: np.ndarray, index: pd.Index | None) -> Any:
    """Shape a numpy result like the inputs: Series on ``index``, ndarray, or a scalar."""
    result = np.asarray(result)
    if index is not None:
        return pd.Series(np.broadcast_to(result, (len(index),)).copy(), index=index)
    if result.ndim == 0:
        return result.item()
    return result


def _ratio(numerator: np.ndarray, denominator: np.ndarray, *, positive: bool) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is not usable.

    With ``positive`` the denominator must be > 0 (a base level); otherwise only != 0.
    """
    usable = denominator > 0 if positive else denominator != 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.divide(numerator, denominator)
    return np.where(usable & np.isfinite(denominator), out, np.nan)


def _check_number(name: str, value: Any, *, minimum: float, strict: bool) -> float:
    """Validate a scalar option (not data): a finite real number above ``minimum``."""
    allowed = f"> {minimum:g}" if strict else f">= {minimum:g}"
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or (value <= minimum if strict else value < minimum)
    ):
        raise ValueError(f"{name} must be a finite number {allowed}; got {value!r}")
    return float(value)


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def _check_columns(frame: pd.DataFrame, **columns: Hashable | Sequence[Hashable]) -> None:
    for option, names in columns.items():
        wanted = [names] if isinstance(names, (str, int)) else list(names)
        missing = [n for n in wanted if n not in frame.columns]
        if missing:
            raise ValueError(
                f"{option}={names!r} names no column of the frame; "
                f"the columns are {list(frame.columns)!r}"
            )


# ---------------------------------------------------------------------------------------
# Growth
# ---------------------------------------------------------------------------------------


def yoy_growth(current: Any, previous: Any) -> Any:
    """Year-on-year growth in percent: (current / previous - 1) * 100.

    Parameters
    ----------
    current : float, array-like or Series
        Level of this period (e.g. 1-6月 this year).
    previous : float, array-like or Series
        Level of the same period last year.

    Returns
    -------
    float, ndarray or Series
        Growth in percent; NaN where ``previous`` is missing, zero or negative (a growth
        rate on such a base means nothing) or ``current`` is missing. A negative
        ``current`` on a positive base gives a fall of more than 100%.

    Examples
    --------
    >>> yoy_growth(323.3, 299.4)
    7.98
    >>> yoy_growth([108.0, 5.0, 5.0, None], [100.0, 0.0, -2.0, 100.0])
    array([ 8., nan, nan, nan])
    """
    (cur, prev), index = _inputs(current, previous)
    return _output((_ratio(cur, prev, positive=True) - 1.0) * 100.0, index)


def growth_change(growth_now: Any, growth_before: Any) -> Any:
    """Change in growth, in percentage points: growth now minus growth a year ago.

    Parameters
    ----------
    growth_now, growth_before : float, array-like or Series
        Growth rates in percent.

    Returns
    -------
    float, ndarray or Series
        Points; positive when growth sped up (加快), negative when it slowed (回落).

    Examples
    --------
    >>> growth_change(8.0, 8.3)
    -0.3
    >>> now = pd.Series([8.0, 6.5], index=["GDP", "投资"])
    >>> before = pd.Series([7.0, None], index=["GDP", "投资"])
    >>> growth_change(now, before)
    GDP    1.0
    投资     NaN
    dtype: float64
    """
    (now, before), index = _inputs(growth_now, growth_before)
    return _output(now - before, index)


def _format_pct(x: float) -> str:
    return f"{x:.1f}"


def _format_threshold(x: float) -> str:
    text = f"{x:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _consistency_reason(computed: float, published: float, diff: float, threshold: float) -> str:
    missing = [n for n, v in (("computed", computed), ("published", published)) if np.isnan(v)]
    if missing:
        return f"not comparable: {' and '.join(missing)} growth missing"
    if not abs(diff) > threshold:
        return ""
    gap = f"{abs(diff):.1f}"
    if not float(gap) > threshold:  # keep the message consistent with the test it reports
        gap = f"{abs(diff):.2f}"
    return (
        f"computed nominal growth {_format_pct(computed)}% differs from published "
        f"{_format_pct(published)}% by {gap} points (> {_format_threshold(threshold)}): "
        "price effect, coverage change, or a data error"
    )


def growth_consistency(computed: Any, published: Any, *, threshold: float = 1.0) -> Any:
    """Compare growth computed from two levels with the published growth.

    The published rate is kept for display; this only says when the two differ enough to
    mention (a price effect, a change of coverage 可比口径, or a data error).

    Parameters
    ----------
    computed : float, array-like or Series
        Growth computed from current-price levels, in percent (see ``yoy_growth``).
    published : float, array-like or Series
        Growth as published (often real growth at comparable prices), in percent.
    threshold : float, default 1.0
        Largest difference in points that is not flagged; must be >= 0.

    Returns
    -------
    tuple or DataFrame
        For scalars a tuple ``(difference_pts, flag, reason)``; otherwise a DataFrame with
        those columns (on the Series' index when given one). ``difference_pts`` is computed
        minus published; ``flag`` is ``|difference| > threshold``; ``reason`` is ``''`` when
        not flagged, an explanation when flagged, and ``'not comparable: ... missing'``
        (with ``flag`` False) when a growth rate is missing.

    Examples
    --------
    >>> growth_consistency(9.6, 8.0)  # doctest: +NORMALIZE_WHITESPACE
    (1.6, True, 'computed nominal growth 9.6% differs from published 8.0% by 1.6 points
    (> 1.0): price effect, coverage change, or a data error')
    >>> growth_consistency(8.4, 8.0)
    (0.4, False, '')
    >>> table = growth_consistency([8.4, None], [8.0, 8.0], threshold=0.5)
    >>> table[["difference_pts", "flag"]]
       difference_pts   flag
    0             0.4  False
    1             NaN  False
    >>> table.loc[1, "reason"]
    'not comparable: computed growth missing'
    """
    threshold = _check_number("threshold", threshold, minimum=0.0, strict=False)
    (comp, pub), index = _inputs(computed, published)
    comp, pub = np.broadcast_arrays(comp, pub)
    diff = comp - pub
    flag = np.abs(diff) > threshold  # False where either is NaN
    reasons = [
        _consistency_reason(c, p, d, threshold)
        for c, p, d in zip(comp.ravel(), pub.ravel(), diff.ravel(), strict=True)
    ]
    if index is None and diff.ndim == 0:
        return diff.item(), bool(flag), reasons[0]
    frame = pd.DataFrame(
        {"difference_pts": diff.ravel(), "flag": flag.ravel(), "reason": reasons},
        index=index,
    )
    return frame


def two_year_average_growth(g1: Any, g2: Any) -> Any:
    """Average annual growth over two years: (sqrt((1 + g1)(1 + g2)) - 1), in percent.

    Used when last year's base was abnormal: it averages the fall and the rebound.

    Parameters
    ----------
    g1, g2 : float, array-like or Series
        Growth of each of the two years, in percent.

    Returns
    -------
    float, ndarray or Series
        Average growth in percent; NaN where a growth is missing or below -100%
        (impossible for a level).

    Examples
    --------
    >>> two_year_average_growth(-6.8, 12.7)  # a 2020 fall and a 2021 rebound
    2.49
    >>> two_year_average_growth([10.0, 10.0], [10.0, -150.0])
    array([10., nan])
    """
    (a, b), index = _inputs(g1, g2)
    fa, fb = 1.0 + a / 100.0, 1.0 + b / 100.0
    valid = (fa >= 0) & (fb >= 0)
    with np.errstate(invalid="ignore", over="ignore"):
        avg = (np.sqrt(fa * fb) - 1.0) * 100.0
    return _output(np.where(valid, avg, np.nan), index)


def compound_annual_growth(first: Any, last: Any, *, years: float) -> Any:
    """Compound annual growth between two levels: ((last / first)^(1/years) - 1) * 100.

    Parameters
    ----------
    first, last : float, array-like or Series
        Levels at the start and at the end.
    years : float
        Years between the two levels; must be > 0.

    Returns
    -------
    float, ndarray or Series
        Growth in percent a year; NaN where ``first`` is missing, zero or negative, or
        ``last`` is missing or negative.

    Examples
    --------
    >>> compound_annual_growth(100.0, 121.0, years=2)
    10.0
    >>> compound_annual_growth([100.0, 0.0], [150.0, 10.0], years=5)
    array([8.45, nan])
    """
    years = _check_number("years", years, minimum=0.0, strict=True)
    (f, last_), index = _inputs(first, last)
    ratio = _ratio(last_, f, positive=True)
    with np.errstate(invalid="ignore", over="ignore"):
        growth = (np.power(np.where(ratio >= 0, ratio, np.nan), 1.0 / years) - 1.0) * 100.0
    return _output(growth, index)


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------


def time_progress(end_month: Any) -> Any:
    """Time progress (时间进度) at the end of a month, in percent: end_month / 12 * 100.

    Parameters
    ----------
    end_month : int, array-like or Series
        Last month of the cumulative period (6 for 1-6月); whole numbers 1 to 12.
        Missing values give NaN.

    Returns
    -------
    float, ndarray or Series
        Percent of the year elapsed; 50 at the end of June.

    Raises
    ------
    ValueError
        If a month is not a whole number from 1 to 12.

    Examples
    --------
    >>> time_progress(6)
    50.0
    >>> time_progress([3, 9, 12])
    array([ 25.,  75., 100.])
    """
    (month,), index = _inputs(end_month)
    known = month[~np.isnan(month)]
    bad = known[(known < 1) | (known > 12) | (known != np.round(known))]
    if bad.size:
        raise ValueError(f"end_month must be a whole number from 1 to 12; got {bad.ravel()[0]:g}")
    return _output(month / 12.0 * 100.0, index)


def plan_completion(completed: Any, annual_plan: Any) -> Any:
    """Plan progress (完成年度计划), in percent: completed / annual plan * 100.

    Parameters
    ----------
    completed : float, array-like or Series
        Amount completed so far this year.
    annual_plan : float, array-like or Series
        The year's planned amount, in the same unit.

    Returns
    -------
    float, ndarray or Series
        Percent of the plan; NaN where the plan is missing, zero or negative.

    Examples
    --------
    >>> plan_completion(253.0, 496.1)
    51.0
    >>> plan_completion([18.12, 5.0], [24.86, 0.0])
    array([72.89, nan])
    """
    (done, plan), index = _inputs(completed, annual_plan)
    return _output(_ratio(done, plan, positive=True) * 100.0, index)


def progress_gap(completion_pct: Any, time_progress_pct: Any) -> Any:
    """Plan progress against time progress, in points: ahead (+) or behind (-).

    "时间过半、任务过半" holds where the gap is >= 0.

    Parameters
    ----------
    completion_pct : float, array-like or Series
        Plan progress in percent (see ``plan_completion``).
    time_progress_pct : float, array-like or Series
        Time progress in percent (see ``time_progress``).

    Returns
    -------
    float, ndarray or Series
        Percentage points.

    Examples
    --------
    >>> progress_gap(51.0, time_progress(6))
    1.0
    >>> progress_gap(72.9, 50.0)
    22.9
    """
    (done, elapsed), index = _inputs(completion_pct, time_progress_pct)
    return _output(done - elapsed, index)


def implied_total(part: Any, share_pct: Any) -> Any:
    """The whole implied by a part and its share: part / share * 100.

    Gives the annual plan implied by an amount completed and its completion percent, or
    a spending total implied by one item and the share it is said to be.

    Parameters
    ----------
    part : float, array-like or Series
        The known part (amount completed, one item of spending).
    share_pct : float, array-like or Series
        Its share of the whole, in percent.

    Returns
    -------
    float, ndarray or Series
        The whole, in the unit of ``part``; NaN where the share is missing, zero or
        negative.

    Examples
    --------
    >>> implied_total(253.0, 51.0)  # 253亿元 is 51% of the annual plan
    496.08
    >>> implied_total(10.1, 73.0)  # 10.1亿元 of livelihood spending is 73% of the total
    13.84
    """
    (p, s), index = _inputs(part, share_pct)
    return _output(_ratio(p, s, positive=True) * 100.0, index)


def share(part: Any, whole: Any) -> Any:
    """Share of a part in a whole, in percent: part / whole * 100.

    Parameters
    ----------
    part, whole : float, array-like or Series
        Levels in the same unit.

    Returns
    -------
    float, ndarray or Series
        Percent; NaN where the whole is missing, zero or negative.

    Examples
    --------
    >>> share(10.1, 13.84)
    72.98
    >>> share(pd.Series([1.0, 3.0]), 4.0)
    0    25.0
    1    75.0
    dtype: float64
    """
    (p, w), index = _inputs(part, whole)
    return _output(_ratio(p, w, positive=True) * 100.0, index)


def required_h2_growth(
    *,
    target_growth: Any,
    h1_prev: Any,
    fy_prev: Any,
    h1_now: Any = None,
    h1_growth: Any = None,
) -> Any:
    """Growth the second half needs for the year to reach a growth target, in percent.

    With last year's H1 = A0, H2 = B0 = FY0 - A0 and this year's H1 = A1:
    g_H2 = ((1 + g)(A0 + B0) - A1) / B0 - 1. Where only this year's H1 growth is known
    (real growth, no comparable level), A1 = A0 (1 + g_H1).

    Parameters
    ----------
    target_growth : float, array-like or Series
        Annual growth target g, in percent.
    h1_prev : float, array-like or Series
        Last year's first-half level A0.
    fy_prev : float, array-like or Series
        Last year's full-year level FY0.
    h1_now : float, array-like or Series, optional
        This year's first-half level A1.
    h1_growth : float, array-like or Series, optional
        This year's first-half growth in percent; used where ``h1_now`` is not given or
        missing.

    Returns
    -------
    float, ndarray or Series
        Required H2 growth in percent; NaN where B0 <= 0 or a needed figure is missing.

    Raises
    ------
    ValueError
        If neither ``h1_now`` nor ``h1_growth`` is given.

    Examples
    --------
    >>> required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=220.0, h1_now=106.0)
    9.67
    >>> required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=220.0, h1_growth=6.0)
    9.67
    >>> required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=100.0, h1_growth=6.0)
    nan
    """
    if h1_now is None and h1_growth is None:
        raise ValueError("give h1_now (this year's H1 level) or h1_growth (its growth in %)")
    (g, a0, fy0, a1_level, g_h1), index = _inputs(
        target_growth,
        h1_prev,
        fy_prev,
        np.nan if h1_now is None else h1_now,
        np.nan if h1_growth is None else h1_growth,
    )
    b0 = fy0 - a0
    a1 = np.where(np.isnan(a1_level), a0 * (1.0 + g_h1 / 100.0), a1_level)
    needed = (1.0 + g / 100.0) * (a0 + b0) - a1
    return _output((_ratio(needed, b0, positive=True) - 1.0) * 100.0, index)


def required_h2_amount(*, level_target: Any, completed: Any) -> Any:
    """What the second half must deliver to reach a level target: target - completed.

    Parameters
    ----------
    level_target : float, array-like or Series
        The year's target level T (e.g. planned investment).
    completed : float, array-like or Series
        Amount completed in the first half, in the unit of ``level_target``.

    Returns
    -------
    float, ndarray or Series
        The amount still needed; negative when the target is already exceeded.

    Examples
    --------
    >>> required_h2_amount(level_target=496.1, completed=253.0)
    243.1
    """
    (target, done), index = _inputs(level_target, completed)
    return _output(target - done, index)


def target_verdict(
    achieved: Any, target: Any, *, qualifier: str | None = None, tolerance: float = 0.5
) -> Any:
    """Whether a figure meets its target, read with the target's qualifier.

    The answer is one of ``VERDICTS``:

    - ``'met'``: at least the target (``'以上'`` or no qualifier), or within ``tolerance``
      of it (``'左右'``);
    - ``'not met'``: below a target that is ``'以上'`` or unqualified;
    - ``'above'`` / ``'below'``: more than ``tolerance`` above / below a ``'左右'`` target;
    - ``'no data'``: the figure or the target is missing.

    Parameters
    ----------
    achieved : float, array-like or Series
        The figure achieved (growth in percent, or a level).
    target : float, array-like or Series
        The target, in the unit of ``achieved``.
    qualifier : {'以上', '左右', '', None}, default None
        The target's qualifier: '以上' at least, '左右' about, '' or None plain.
    tolerance : float, default 0.5
        Half-width of "about" for '左右', in the unit of the figures (points for growth);
        must be >= 0. Boundaries count as met.

    Returns
    -------
    str, ndarray of str or Series of str

    Raises
    ------
    ValueError
        If ``qualifier`` is not one of ``QUALIFIERS`` or ``tolerance`` is negative.

    Examples
    --------
    >>> target_verdict(8.0, 8.0, qualifier="以上")
    'met'
    >>> target_verdict(7.9, 8.0, qualifier="以上")
    'not met'
    >>> target_verdict([7.5, 8.6, 7.4, None], 8.0, qualifier="左右")
    array(['met', 'above', 'below', 'no data'], dtype=object)
    """
    if not (qualifier is None or (isinstance(qualifier, str) and qualifier in QUALIFIERS)):
        raise ValueError(f"qualifier must be one of {QUALIFIERS!r}; got {qualifier!r}")
    tolerance = _check_number("tolerance", tolerance, minimum=0.0, strict=False)
    (got, aim), index = _inputs(achieved, target)
    got, aim = np.broadcast_arrays(got, aim)
    missing = np.isnan(got) | np.isnan(aim)
    if qualifier == "左右":
        conditions = [missing, got > aim + tolerance + _EPS, got < aim - tolerance - _EPS]
        choices = ["no data", "above", "below"]
        default = "met"
    else:
        conditions = [missing, got >= aim - _EPS]
        choices = ["no data", "met"]
        default = "not met"
    verdict = np.select(conditions, np.array(choices, dtype=object), default=default)
    verdict = np.asarray(verdict, dtype=object)
    if index is not None:
        return pd.Series(verdict.ravel().tolist(), index=index)
    if verdict.ndim == 0:
        return str(verdict.item())
    return verdict


# ---------------------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------------------


def rank_values(values: Any, *, higher_is_better: bool = True) -> Any:
    """Rank within a group, 1 = best; ties share the best rank; missing values unranked.

    Parameters
    ----------
    values : float, array-like or Series
        One figure per member (levels or growth rates).
    higher_is_better : bool, default True
        Whether the largest value ranks first (False for e.g. a price index or a
        jobless rate).

    Returns
    -------
    float, ndarray or Series
        Float ranks (method 'min': two tied first are both 1, the next is 3); NaN where the
        value is missing. A Series keeps its index.

    Examples
    --------
    >>> growth = pd.Series([8.0, 7.2, 8.0, None], index=["二七", "中原", "金水", "上街"])
    >>> rank_values(growth)
    二七    1.0
    中原    3.0
    金水    1.0
    上街    NaN
    dtype: float64
    >>> rank_values([3.0, 1.0, 2.0], higher_is_better=False)
    array([3., 1., 2.])
    """
    higher_is_better = _check_bool("higher_is_better", higher_is_better)
    (v,), index = _inputs(values)
    if v.ndim > 1:
        raise ValueError(f"values must be a scalar or one-dimensional; got shape {v.shape}")
    ranks = pd.Series(np.atleast_1d(v)).rank(method="min", ascending=not higher_is_better)
    return _output(ranks.to_numpy(dtype=float).reshape(v.shape), index)


def rank_within_groups(
    frame: pd.DataFrame,
    *,
    value: Hashable,
    group: Hashable | Sequence[Hashable],
    higher_is_better: bool = True,
) -> pd.DataFrame:
    """Rank every row among the rows of its group (see ``rank_values``).

    Parameters
    ----------
    frame : DataFrame
        One row per member and group (e.g. region x peer group x indicator x period).
    value : column label
        Column to rank by.
    group : column label or list of column labels
        Column(s) defining the groups.
    higher_is_better : bool, default True
        Whether the largest value ranks first.

    Returns
    -------
    DataFrame
        A copy of ``frame`` with columns ``rank`` (float, NaN for a missing value),
        ``n_ranked`` (members of the group with a value) and ``n_members`` (group size),
        the counts as nullable integers. Rows whose group is missing are not ranked and
        have missing counts. Existing columns of those names are replaced.

    Examples
    --------
    >>> peers = pd.DataFrame({
    ...     "region": ["二七", "中原", "金水", "上街", "二七", "中原"],
    ...     "group": ["六区", "六区", "六区", "六区", "五区", "五区"],
    ...     "growth": [8.0, 7.2, 8.0, None, 8.0, 7.2],
    ... })
    >>> rank_within_groups(peers, value="growth", group="group")
      region group  growth  rank  n_ranked  n_members
    0     二七    六区     8.0   1.0         3          4
    1     中原    六区     7.2   3.0         3          4
    2     金水    六区     8.0   1.0         3          4
    3     上街    六区     NaN   NaN         3          4
    4     二七    五区     8.0   1.0         2          2
    5     中原    五区     7.2   2.0         2          2
    """
    higher_is_better = _check_bool("higher_is_better", higher_is_better)
    _check_columns(frame, value=value, group=group)
    keys = [group] if isinstance(group, (str, int)) else list(group)
    out = frame.copy()
    figures = pd.Series(_to_float_array(frame[value]), index=frame.index)
    grouped = figures.groupby([frame[k] for k in keys], dropna=True, sort=False)
    ranks = grouped.rank(method="min", ascending=not higher_is_better)
    out["rank"] = ranks.to_numpy(dtype=float)  # groupby.rank keeps the row order
    out["n_ranked"] = grouped.transform("count").astype("Int64").array
    out["n_members"] = grouped.transform("size").astype("Int64").array
    return out


def gap_to(value: Any, reference: Any) -> Any:
    """Gap to a reference (the city average, the leader): value - reference.

    Parameters
    ----------
    value, reference : float, array-like or Series
        Two growth rates (the gap is in points) or two levels (in their unit).

    Returns
    -------
    float, ndarray or Series

    Examples
    --------
    >>> gap_to(8.0, 7.3)  # 高于全市平均0.7个百分点
    0.7
    """
    (v, ref), index = _inputs(value, reference)
    return _output(v - ref, index)


def peer_average(values: Any) -> tuple[float, int]:
    """Mean of the peers' figures that are known, and how many were used.

    Parameters
    ----------
    values : float, array-like or Series
        One figure per peer; missing figures are left out, never filled.

    Returns
    -------
    tuple of (float, int)
        The mean (NaN when no figure is known) and the count of figures averaged.

    Examples
    --------
    >>> peer_average([8.0, 7.0, None, 6.0])
    (7.0, 3)
    >>> peer_average([None, None])
    (nan, 0)
    """
    (v,), _ = _inputs(values)
    known = v[~np.isnan(v)]
    return (float(known.mean()) if known.size else math.nan), int(known.size)


# ---------------------------------------------------------------------------------------
# Contribution
# ---------------------------------------------------------------------------------------


def contribution(component_increase: Any, total_increase: Any) -> Any:
    """Contribution rate (贡献率) of a component, in percent: its increase / total increase.

    Parameters
    ----------
    component_increase : float, array-like or Series
        The component's increase over the period a year ago (a level difference).
    total_increase : float, array-like or Series
        The total's increase, in the same unit.

    Returns
    -------
    float, ndarray or Series
        Percent; NaN where the total's increase is missing or zero. With a falling total
        the rates still sum to 100 over the components.

    Examples
    --------
    >>> contribution(12.0, 24.0)
    50.0
    >>> contribution([3.0, 1.0], [0.0, 4.0])
    array([nan, 25.])
    """
    (part, total), index = _inputs(component_increase, total_increase)
    return _output(_ratio(part, total, positive=False) * 100.0, index)


def pull(contribution_pct: Any, total_growth: Any) -> Any:
    """Pull (拉动) of a component on the total's growth, in points.

    Contribution / 100 * total growth: the points of the total's growth due to the
    component.

    Parameters
    ----------
    contribution_pct : float, array-like or Series
        Contribution rate in percent (see ``contribution``).
    total_growth : float, array-like or Series
        The total's growth in percent.

    Returns
    -------
    float, ndarray or Series
        Percentage points.

    Examples
    --------
    >>> pull(50.0, 8.0)  # 贡献率50%, 拉动增长4个百分点
    4.0
    """
    (c, g), index = _inputs(contribution_pct, total_growth)
    return _output(c / 100.0 * g, index)


def contributions(
    frame: pd.DataFrame,
    *,
    component: Hashable,
    prev: Hashable,
    now: Hashable,
    total_prev: float,
    total_now: float,
) -> pd.DataFrame:
    """Increase, contribution and pull of each component of a total.

    Parameters
    ----------
    frame : DataFrame
        One row per component (e.g. the three industries of GDP).
    component : column label
        Column naming the components; names must be unique.
    prev, now : column label
        Columns with each component's level a year ago and now.
    total_prev, total_now : float
        The total's level a year ago and now (the published total, which need not equal
        the sum of the components listed).

    Returns
    -------
    DataFrame
        A copy of ``frame`` with columns ``increase`` (now - prev, in the levels' unit),
        ``contribution_pct`` (percent of the total's increase) and ``pull_pts`` (points of
        the total's growth). NaN where a level is missing, the total did not change, or
        its base is not positive.

    Raises
    ------
    ValueError
        If a column is not in the frame or a component is listed twice.

    Examples
    --------
    >>> gdp = pd.DataFrame({"industry": ["一产", "二产", "三产"],
    ...                     "h1_2018": [1.0, 99.0, 200.0], "h1_2019": [1.0, 105.0, 218.0]})
    >>> contributions(gdp, component="industry", prev="h1_2018", now="h1_2019",
    ...               total_prev=300.0, total_now=324.0)
      industry  h1_2018  h1_2019  increase  contribution_pct  pull_pts
    0       一产      1.0      1.0       0.0               0.0       0.0
    1       二产     99.0    105.0       6.0              25.0       2.0
    2       三产    200.0    218.0      18.0              75.0       6.0
    """
    _check_columns(frame, component=component, prev=prev, now=now)
    duplicated = frame[component][frame[component].duplicated()]
    if not duplicated.empty:
        raise ValueError(
            f"each component must appear once; listed more than once: {list(duplicated)!r}"
        )
    out = frame.copy()
    increase = _to_float_array(frame[now]) - _to_float_array(frame[prev])
    (t0, t1), _ = _inputs(total_prev, total_now)
    share_of_increase = contribution(increase, t1 - t0)
    out["increase"] = increase
    out["contribution_pct"] = share_of_increase
    out["pull_pts"] = pull(share_of_increase, yoy_growth(t1, t0))
    return out
