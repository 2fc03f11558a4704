"""One tidy indicator table per region and period: every figure with its computed companions.

``indicator_table`` is what the reports read. It has one row per indicator and measure:

=====================  =====================================================================
measure                what
=====================  =====================================================================
value                  the level as published (latest release unless ``which='first'``)
yoy_pct                the growth as published (real for GDP and industry, see the catalog)
yoy_computed           nominal growth computed from this level and last year's
yoy_gap_pts            computed minus published growth, flagged above a threshold
prev_value, prev_yoy   the same period of last year
growth_change_pts      growth now minus growth a year ago, in points
plan_pct               published share of the annual plan completed
time_progress_pct      months elapsed / 12
progress_gap_pts       plan share minus time progress (时间过半、任务过半 when >= 0)
annual_plan_implied    the annual plan implied by a published completion share
target_yoy_pct         the year's growth target (qualifier in ``text``)
target_value           the year's level target
target_verdict         growth achieved against the growth target, qualifier respected
required_h2_growth     growth the second half needs to meet the growth target
required_h2_amount     what the second half must deliver to meet a level target or plan
whole_implied          the whole implied by a published share (民生支出 at 73% of spending)
rank_yoy, rank_value   rank among the peer group by growth and by level (text: n of m)
peer_avg_yoy           the peer group's average growth, and ``gap_peer_avg_pts``
yoy_<parent>           growth of each level above (city, province, nation) ...
gap_<parent>_pts       ... and the region's gap to it in points
=====================  =====================================================================

Each row carries ``value`` (float), ``text`` (a word where the measure is one), ``unit``,
``reason`` (why the value is missing, or a caveat) and ``basis`` (where it came from).
A value that cannot be computed is NaN with a reason, never dropped and never filled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import catalog, indicators
from analysis.periods import Period, previous_year
from analysis.vintages import select_vintage

COLUMNS = ["region", "period", "indicator", "measure", "value", "text", "unit", "reason", "basis"]

#: Computed nominal growth differing from published growth by more than this is flagged.
CONSISTENCY_THRESHOLD = 1.0

#: Target qualifiers as the verdict reads them: a range states its lower bound.
_VERDICT_QUALIFIER = {"以上": "以上", "左右": "左右", "区间": "以上", "": ""}


class TableError(ValueError):
    """A region or period the indicator table cannot be built for."""


@dataclass(frozen=True)
class _Fig:
    value: float
    yoy: float
    plan: float
    qualifier: str
    source: str
    unit: str

    @classmethod
    def of(cls, row: pd.Series | None) -> _Fig:
        if row is None:
            return cls(np.nan, np.nan, np.nan, "", "", "")
        return cls(
            float(row["value"]),
            float(row["yoy_pct"]),
            float(row["plan_pct"]),
            str(row.get("qualifier", "") or ""),
            str(row.get("value_source") or row.get("yoy_pct_source") or ""),
            str(row.get("unit", "") or ""),
        )


def default_peer_group(region: str) -> str | None:
    """The smallest named peer group the region belongs to (None if it is in none).

    Examples
    --------
    >>> default_peer_group("erqi"), default_peer_group("shangjie"), default_peer_group("china")
    ('inner5', 'inner6', None)
    """
    groups = catalog.peer_groups()
    holding = groups[groups["members"].map(lambda m: region in m)]
    if holding.empty:
        return None
    return holding.assign(n=holding["members"].map(len)).sort_values("n").index[0]


def _ancestors(code: str) -> list[str]:
    regs = catalog.regions()
    chain, parent = [], regs.loc[code, "parent"]
    while parent:
        chain.append(parent)
        parent = regs.loc[parent, "parent"]
    return chain


class _Index:
    """Latest (or first) figures keyed by (region, period, indicator, is_target)."""

    def __init__(self, figures: pd.DataFrame, which: str):
        picked = select_vintage(figures, which=which)
        self.frame = picked
        self.rows = {
            (r["region"], r["period"], r["indicator"], bool(r["is_target"])): r
            for _, r in picked.iterrows()
        }

    def get(self, region: str, period: str, indicator: str, *, target: bool = False) -> _Fig:
        return _Fig.of(self.rows.get((region, period, indicator, target)))

    def reasons(self, region: str, period: str, indicator: str) -> dict[str, str]:
        row = self.rows.get((region, period, indicator, False))
        if row is None:
            return {}
        return {m: row.get(f"{m}_reason", "") for m in ("value", "yoy_pct", "plan_pct")}


def _relevant(figures: pd.DataFrame, region: str, period: Period) -> pd.DataFrame:
    """The rows any measure of the table can use: fewer rows, faster vintage selection."""
    members = set()
    for g in catalog.peer_groups().itertuples():
        if region in g.members:
            members |= set(g.members)
    regions = {region, *members, *_ancestors(region)}
    prev = previous_year(period)
    periods = {
        period.code,
        prev.code,
        f"{period.year}FY",
        f"{period.year - 1}FY",
        f"{period.year - 1}H1",
    }
    return figures[figures["region"].isin(regions) & figures["period"].isin(periods)]


def _isnan(x: float) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def indicator_table(
    figures: pd.DataFrame,
    *,
    region: str,
    period: str,
    peer_group: str | None = None,
    which: str = "latest",
) -> pd.DataFrame:
    """Every figure of a region and period with its computed companions, tidy and long.

    Parameters
    ----------
    figures : DataFrame
        The processed table (all vintages).
    region : str
        Region code.
    period : str
        Canonical period code (``2019H1``).
    peer_group : str, optional
        Peer-group code for ranks and the peer average; default the smallest group the
        region belongs to.
    which : {'latest', 'first'}
        Vintage: the latest release (reports) or the first (what was known at the time).

    Returns
    -------
    DataFrame
        Columns ``region, period, indicator, measure, value, text, unit, reason, basis``;
        see the module docstring for the measures.

    Raises
    ------
    TableError
        For a region or period without figures (the message lists what exists).

    Examples
    --------
    >>> from analysis.pipeline import load_figures
    >>> t = indicator_table(load_figures(), region="erqi", period="2019H1")
    >>> w = wide(t)
    >>> float(round(w.loc["major_project_investment", "annual_plan_implied"], 1))
    496.1
    >>> float(w.loc["major_project_investment", "progress_gap_pts"])
    1.0
    >>> float(round(w.loc["livelihood_spending_share", "whole_implied"], 2))
    13.84
    >>> t.set_index(["indicator", "measure"]).loc[("gdp", "yoy_computed"), "reason"]
    'no level for 2018H1'
    """
    span = Period.from_code(period)
    actual = figures[(figures["region"] == region) & ~figures["is_target"]]
    if actual.empty:
        have = sorted(set(figures.loc[~figures["is_target"], "region"]))
        raise TableError(f"no figures for region {region!r}; regions with figures: {have}")
    if not (actual["period"] == period).any():
        have = sorted(set(actual["period"]))
        raise TableError(f"no figures for {region} in {period}; periods with figures: {have}")
    group = peer_group if peer_group is not None else default_peer_group(region)
    if group is not None and group not in catalog.peer_groups().index:
        raise TableError(
            f"unknown peer group {group!r}; known: {list(catalog.peer_groups().index)}"
        )
    index = _Index(_relevant(figures, region, span), which)
    here = index.frame[
        (index.frame["region"] == region)
        & (index.frame["period"] == period)
        & ~index.frame["is_target"].astype(bool)
    ]
    cat = catalog.indicators()
    order = {code: i for i, code in enumerate(cat.index)}
    codes = sorted(here["indicator"], key=lambda c: (order.get(c, len(order)), c))
    rows: list[dict] = []
    for code in codes:
        rows.extend(_rows_for(index, code, region=region, span=span, group=group))
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"value": "float64"})


def _rows_for(index: _Index, code: str, *, region: str, span: Period, group: str | None):
    cat = catalog.indicators()
    known = code in cat.index
    kind = cat.loc[code, "kind"] if known else "uncatalogued"
    real = bool(cat.loc[code, "comparable_prices"]) if known else False
    period = span.code
    prev_code = previous_year(span).code
    now = index.get(region, period, code)
    prev = index.get(region, prev_code, code)
    reasons = index.reasons(region, period, code)
    unit = now.unit
    out: list[dict] = []

    def add(measure, value=np.nan, *, text="", unit="", reason="", basis=""):
        if _isnan(value) and not text and not reason:
            reason = "not computable"
        out.append(
            {
                "region": region,
                "period": period,
                "indicator": code,
                "measure": measure,
                "value": value,
                "text": text,
                "unit": unit,
                "reason": reason,
                "basis": basis,
            }
        )

    add(
        "value",
        now.value,
        text=now.qualifier,
        unit=unit,
        reason=reasons.get("value", "") or ("" if not _isnan(now.value) else "no level published"),
        basis=now.source,
    )
    add(
        "yoy_pct",
        now.yoy,
        unit="%",
        reason=reasons.get("yoy_pct", "") or ("" if not _isnan(now.yoy) else "no growth published"),
        basis="published" + (" (comparable prices)" if real else ""),
    )
    if kind in ("rank", "relation", "share", "rate"):
        add("yoy_computed", reason=f"not computed for a {kind}")
        add("yoy_gap_pts", reason=f"not computed for a {kind}")
    else:
        computed = indicators.yoy_growth(now.value, prev.value)
        why = ""
        if _isnan(now.value):
            why = f"no level for {period}"
        elif _isnan(prev.value):
            why = f"no level for {prev_code}"
        elif prev.value <= 0:
            why = f"base {prev_code} is zero or negative"
        add(
            "yoy_computed",
            computed,
            unit="%",
            reason=why,
            basis=f"({period} / {prev_code} - 1) x 100, current prices",
        )
        diff, flag, text = indicators.growth_consistency(
            computed, now.yoy, threshold=CONSISTENCY_THRESHOLD
        )
        caveat = text
        if flag and real:
            caveat = text + "; published growth is real (comparable prices), so a gap is expected"
        add(
            "yoy_gap_pts",
            diff,
            text="flag" if flag else "",
            unit="个百分点",
            reason=caveat if (flag or _isnan(diff)) else "",
            basis=f"computed - published, threshold {CONSISTENCY_THRESHOLD:g} points",
        )
    add(
        "prev_value",
        prev.value,
        unit=prev.unit or unit,
        reason="" if not _isnan(prev.value) else f"no level for {prev_code}",
        basis=prev.source,
    )
    add(
        "prev_yoy_pct",
        prev.yoy,
        unit="%",
        reason="" if not _isnan(prev.yoy) else f"no growth for {prev_code}",
        basis=prev.source,
    )
    change = indicators.growth_change(now.yoy, prev.yoy)
    add(
        "growth_change_pts",
        change,
        unit="个百分点",
        reason=""
        if not _isnan(change)
        else ("no growth for " + (period if _isnan(now.yoy) else prev_code)),
        basis=f"yoy {period} - yoy {prev_code}",
    )

    # targets and time progress
    progress = indicators.time_progress(span.end_month) if span.is_cumulative else np.nan
    add(
        "plan_pct",
        now.plan,
        unit="%",
        reason="" if not _isnan(now.plan) else "no plan share published",
        basis="published",
    )
    add(
        "time_progress_pct",
        progress,
        unit="%",
        basis=f"{span.end_month} months / 12",
        reason="" if not _isnan(progress) else "not a year-to-date period",
    )
    gap = indicators.progress_gap(now.plan, progress)
    add(
        "progress_gap_pts",
        gap,
        unit="个百分点",
        reason="" if not _isnan(gap) else "no plan share published",
        basis="plan_pct - time_progress_pct",
    )
    plan_total = indicators.implied_total(now.value, now.plan)
    add(
        "annual_plan_implied",
        plan_total,
        unit=unit,
        reason="" if not _isnan(plan_total) else "no plan share published",
        basis="value / plan_pct x 100",
    )
    fy_code = f"{span.year}FY"
    target = index.get(region, fy_code, code, target=True)
    qualifier = target.qualifier
    add(
        "target_yoy_pct",
        target.yoy,
        text=qualifier,
        unit="%",
        basis=target.source,
        reason="" if not _isnan(target.yoy) else f"no growth target for {fy_code}",
    )
    add(
        "target_value",
        target.value,
        text=qualifier,
        unit=target.unit or unit,
        basis=target.source,
        reason="" if not _isnan(target.value) else f"no level target for {fy_code}",
    )
    if not _isnan(target.yoy) and not _isnan(now.yoy):
        verdict = indicators.target_verdict(
            now.yoy, target.yoy, qualifier=_VERDICT_QUALIFIER.get(qualifier, "")
        )
        add(
            "target_verdict",
            text=verdict,
            basis=f"yoy {period} against target {fy_code}"
            + (f" ({qualifier})" if qualifier else ""),
        )
    else:
        add(
            "target_verdict",
            reason=(
                f"no growth target for {fy_code}"
                if _isnan(target.yoy)
                else f"no growth for {period}"
            ),
        )
    _required(
        add,
        index,
        code,
        region=region,
        span=span,
        now=now,
        target=target,
        plan_total=plan_total,
        real=real,
        unit=unit,
    )

    # shares
    if known and cat.loc[code, "share_whole"]:
        part_code, whole_code = cat.loc[code, "share_part"], cat.loc[code, "share_whole"]
        part = index.get(region, period, part_code)
        whole = indicators.implied_total(part.value, now.value)
        add(
            "whole_implied",
            whole,
            text=whole_code,
            unit=part.unit,
            reason="" if not _isnan(whole) else f"no level for {part_code}",
            basis=f"{part_code} / {code} x 100",
        )
    # peers and parents
    _peers(
        add, index, code, region=region, period=period, group=group, kind=kind, known=known, now=now
    )
    for parent in _ancestors(region):
        level = catalog.regions().loc[parent, "level"]
        theirs = index.get(parent, period, code)
        add(
            f"yoy_{level}",
            theirs.yoy,
            text=parent,
            unit="%",
            basis=theirs.source,
            reason="" if not _isnan(theirs.yoy) else f"no growth for {parent} in {period}",
        )
        gap_parent = indicators.gap_to(now.yoy, theirs.yoy)
        add(
            f"gap_{level}_pts",
            gap_parent,
            text=parent,
            unit="个百分点",
            basis=f"yoy {region} - yoy {parent}",
            reason=""
            if not _isnan(gap_parent)
            else f"no growth for {region if _isnan(now.yoy) else parent} in {period}",
        )
    return out


def _required(add, index, code, *, region, span, now, target, plan_total, real, unit):
    """Required second-half growth (growth target) and amount (level target or plan)."""
    prev_h1 = index.get(region, f"{span.year - 1}H1", code)
    prev_fy = index.get(region, f"{span.year - 1}FY", code)
    if span.code != f"{span.year}H1":
        add("required_h2_growth", reason="defined for a first-half period")
    elif _isnan(target.yoy):
        add("required_h2_growth", reason=f"no growth target for {span.year}FY")
    elif _isnan(prev_h1.value) or _isnan(prev_fy.value):
        missing = [
            p
            for p, f in ((f"{span.year - 1}H1", prev_h1), (f"{span.year - 1}FY", prev_fy))
            if _isnan(f.value)
        ]
        add("required_h2_growth", reason=f"needs last year's levels: no {' or '.join(missing)}")
    else:
        # real growth targets are met through real growth: build this H1 from last year's
        # level and this year's (real) growth; nominal ones use this year's level if known
        level = np.nan if real else now.value
        req = indicators.required_h2_growth(
            target_growth=target.yoy,
            h1_prev=prev_h1.value,
            fy_prev=prev_fy.value,
            h1_now=level,
            h1_growth=now.yoy,
        )
        add(
            "required_h2_growth",
            req,
            unit="%",
            reason="" if not _isnan(req) else "last year's second half is zero or negative",
            basis="((1 + g)(A0 + B0) - A1) / B0 - 1",
        )
    level_target = target.value if not _isnan(target.value) else plan_total
    source = "level target" if not _isnan(target.value) else "implied annual plan"
    amount = indicators.required_h2_amount(level_target=level_target, completed=now.value)
    add(
        "required_h2_amount",
        amount,
        unit=unit,
        reason=""
        if not _isnan(amount)
        else ("no level target or plan share" if _isnan(level_target) else "no level completed"),
        basis=f"{source} - completed",
    )


def _peers(add, index, code, *, region, period, group, kind, known, now):
    """Ranks among the peer group by growth and by level, and the peer average."""
    if group is None:
        for m in ("rank_yoy", "rank_value", "peer_avg_yoy", "gap_peer_avg_pts"):
            add(m, reason=f"{region} belongs to no peer group")
        return
    members = catalog.peer_groups().loc[group, "members"]
    higher = bool(catalog.indicators().loc[code, "higher_is_better"]) if known else True
    rows = [index.get(m, period, code) for m in members]
    for measure, attr in (("rank_yoy", "yoy"), ("rank_value", "value")):
        if kind in ("rank", "relation"):
            add(measure, reason=f"not ranked: {code} is a {kind}")
            continue
        values = pd.Series([getattr(r, attr) for r in rows], index=members, dtype=float)
        ranks = indicators.rank_values(values, higher_is_better=higher)
        n = int(values.notna().sum())
        text = f"{n} of {len(members)}"
        mine = float(ranks.get(region, np.nan))
        what = "growth" if attr == "yoy" else "level"
        others = int(values.drop(region, errors="ignore").notna().sum())
        if _isnan(mine):
            reason = f"no {what} for {region}"
        elif others == 0:
            mine, reason = np.nan, f"no other member of {group} has a {what} for {period}"
        elif n < len(members):
            reason = f"only {n} of {len(members)} peers have a figure"
        else:
            reason = ""
        add(measure, mine, text=text, unit="位", reason=reason, basis=f"among {group}")
    yoy = pd.Series([r.yoy for r in rows], index=members, dtype=float)
    avg, n = indicators.peer_average(yoy)
    others = int(yoy.drop(region, errors="ignore").notna().sum())
    if others == 0:
        avg = np.nan
    add(
        "peer_avg_yoy",
        avg,
        text=f"{n} of {len(members)}",
        unit="%",
        basis=f"mean of {group}",
        reason="" if not _isnan(avg) else f"no other member of {group} has growth for {period}",
    )
    gap = indicators.gap_to(now.yoy, avg)
    add(
        "gap_peer_avg_pts",
        gap,
        unit="个百分点",
        basis=f"yoy {region} - peer average",
        reason="" if not _isnan(gap) else "no growth for the region or its peers",
    )


def wide(table: pd.DataFrame, *, column: str = "value") -> pd.DataFrame:
    """The indicator table pivoted: one row per indicator, one column per measure.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": ["gdp", "gdp"], "measure": ["value", "yoy_pct"],
    ...                   "value": [323.3, 8.0]})
    >>> wide(t).loc["gdp"].tolist()
    [323.3, 8.0]
    """
    order = list(dict.fromkeys(table["measure"]))
    pivot = table.pivot(index="indicator", columns="measure", values=column)  # noqa: PD010
    pivot = pivot.reindex(index=list(dict.fromkeys(table["indicator"])), columns=order)
    pivot.columns.name = None
    return pivot
