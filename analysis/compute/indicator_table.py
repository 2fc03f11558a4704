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

from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.compute import indicators
from analysis.data.vintages import one_basis, select_vintage
from analysis.errors import HalfyearError
from analysis.periods import Period, previous_year

COLUMNS = ["region", "period", "indicator", "measure", "value", "text", "unit", "reason", "basis"]

#: Computed nominal growth differing from published growth by more than this is flagged.
CONSISTENCY_THRESHOLD = 1.0

#: Target qualifiers as the verdict reads them: a range states its lower bound.
_VERDICT_QUALIFIER = {"以上": "以上", "左右": "左右", "区间": "以上", "": ""}


class TableError(HalfyearError, ValueError):
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


def default_peer_group(region: str, *, catalog: Catalog | None = None) -> str | None:
    """The smallest named peer group the region belongs to (None if it is in none).

    Examples
    --------
    >>> default_peer_group("erqi"), default_peer_group("shangjie"), default_peer_group("china")
    ('inner5', 'inner6', None)
    """
    groups = (catalog or load_catalog()).peer_groups
    holding = groups[groups["members"].map(lambda m: region in m)]
    if holding.empty:
        return None
    return holding.assign(n=holding["members"].map(len)).sort_values("n").index[0]


def _ancestors(code: str, catalog: Catalog) -> list[str]:
    regs = catalog.regions
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
        self.raw, self.which = figures, which
        self._pairs: dict[tuple[str, str], pd.DataFrame] = {}
        self.rows = {
            (r["region"], r["period"], r["indicator"], bool(r["is_target"])): r
            for _, r in picked.iterrows()
        }

    def get(self, region: str, period: str, indicator: str, *, target: bool = False) -> _Fig:
        return _Fig.of(self.rows.get((region, period, indicator, target)))

    def pair(self, region: str, indicator: str, earlier: str, later: str) -> tuple:
        """Levels of two periods on one vintage basis (``one_basis``): values and basis."""
        if (earlier, later) not in self._pairs:
            found = one_basis(self.raw, earlier=earlier, later=later, which=self.which)
            self._pairs[(earlier, later)] = found.set_index(["region", "indicator"])
        found = self._pairs[(earlier, later)]
        if (region, indicator) not in found.index:
            return np.nan, np.nan, "", (0, 0)
        row = found.loc[(region, indicator)]
        releases = (int(row["release_wanted_earlier"]), int(row["release_wanted_later"]))
        return row["value_earlier"], row["value_later"], row["basis"], releases

    def reasons(self, region: str, period: str, indicator: str) -> dict[str, str]:
        row = self.rows.get((region, period, indicator, False))
        if row is None:
            return {}
        return {m: row.get(f"{m}_reason", "") for m in ("value", "yoy_pct", "plan_pct")}


def _relevant(figures: pd.DataFrame, region: str, period: Period, catalog: Catalog) -> pd.DataFrame:
    """The rows any measure of the table can use: fewer rows, faster vintage selection."""
    members = set()
    for g in catalog.peer_groups.itertuples():
        if region in g.members:
            members |= set(g.members)
    regions = {region, *members, *_ancestors(region, catalog)}
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
    catalog: Catalog | None = None,
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
    catalog : Catalog, optional
        Indicators, regions and peer groups (default: the shipped catalog).

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
    >>> from analysis.data.pipeline import load_figures
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
    catalog = catalog or load_catalog()
    span = Period.from_code(period)
    actual = figures[(figures["region"] == region) & ~figures["is_target"]]
    if actual.empty:
        have = sorted(set(figures.loc[~figures["is_target"], "region"]))
        raise TableError(f"no figures for region {region!r}; regions with figures: {have}")
    if not (actual["period"] == period).any():
        have = sorted(set(actual["period"]))
        raise TableError(f"no figures for {region} in {period}; periods with figures: {have}")
    group = peer_group if peer_group is not None else default_peer_group(region, catalog=catalog)
    if group is not None and group not in catalog.peer_groups.index:
        raise TableError(f"unknown peer group {group!r}; known: {list(catalog.peer_groups.index)}")
    index = _Index(_relevant(figures, region, span, catalog), which)
    here = index.frame[
        (index.frame["region"] == region)
        & (index.frame["period"] == period)
        & ~index.frame["is_target"].astype(bool)
    ]
    cat = catalog.indicators
    order = {code: i for i, code in enumerate(cat.index)}
    codes = sorted(here["indicator"], key=lambda c: (order.get(c, len(order)), c))
    rows: list[dict] = []
    for code in codes:
        rows.extend(_rows_for(index, code, region=region, span=span, group=group, catalog=catalog))
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"value": "float64"})


def _rows_for(
    index: _Index, code: str, *, region: str, span: Period, group: str | None, catalog: Catalog
):
    cat = catalog.indicators
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
        add,
        index,
        code,
        region=region,
        period=period,
        group=group,
        kind=kind,
        known=known,
        now=now,
        catalog=catalog,
    )
    for parent in _ancestors(region, catalog):
        level = catalog.regions.loc[parent, "level"]
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


def _mixed_reason(h1_code: str, fy_code: str, h1_release, fy_release) -> str:
    return (
        f"last year's levels are of different vintages ({h1_code} release {h1_release}, "
        f"{fy_code} release {fy_release}): no second half on one basis"
    )


def _aligned_basis(h1_code: str, fy_code: str) -> str:
    return f"; {h1_code} and {fy_code} from one release (the later revision has no partner)"


def _required(add, index, code, *, region, span, now, target, plan_total, real, unit):
    """Required second-half growth (growth target) and amount (level target or plan)."""
    h1_code, fy_code = f"{span.year - 1}H1", f"{span.year - 1}FY"
    prev_h1 = index.get(region, h1_code, code)
    prev_fy = index.get(region, fy_code, code)
    # last year's H2 = FY - H1 needs both levels from one release
    a0, fy0, basis, releases = index.pair(region, code, h1_code, fy_code)
    if span.code != f"{span.year}H1":
        add("required_h2_growth", reason="defined for a first-half period")
    elif _isnan(target.yoy):
        add("required_h2_growth", reason=f"no growth target for {span.year}FY")
    elif basis == "mixed":
        add("required_h2_growth", reason=_mixed_reason(h1_code, fy_code, *releases))
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
            h1_prev=a0,
            fy_prev=fy0,
            h1_now=level,
            h1_growth=now.yoy,
        )
        add(
            "required_h2_growth",
            req,
            unit="%",
            reason="" if not _isnan(req) else "last year's second half is zero or negative",
            basis="((1 + g)(A0 + B0) - A1) / B0 - 1"
            + (_aligned_basis(h1_code, fy_code) if basis == "aligned" else ""),
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


def _peers(add, index, code, *, region, period, group, kind, known, now, catalog):
    """Ranks among the peer group by growth and by level, and the peer average."""
    if group is None:
        for m in ("rank_yoy", "rank_value", "peer_avg_yoy", "gap_peer_avg_pts"):
            add(m, reason=f"{region} belongs to no peer group")
        return
    members = catalog.peer_groups.loc[group, "members"]
    higher = bool(catalog.indicators.loc[code, "higher_is_better"]) if known else True
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


# --- many regions at once ------------------------------------------------------------------


class _Lookup:
    """Latest (or first) figures of many regions, looked up in bulk like ``_Index.get``."""

    _KEY = ("region", "period", "indicator", "is_target")

    def __init__(self, figures: pd.DataFrame, which: str):
        picked = select_vintage(figures, which=which)
        self.picked = picked
        # ``_Index`` keeps the last figure of a key that several peer groups share
        keyed = picked.drop_duplicates(list(self._KEY), keep="last").reset_index(drop=True)
        self.keys = pd.MultiIndex.from_arrays(
            [keyed[c].to_numpy(dtype=object) for c in self._KEY[:3]]
            + [keyed["is_target"].astype(bool).to_numpy()]
        )
        self.value = keyed["value"].to_numpy(dtype=float)
        self.yoy = keyed["yoy_pct"].to_numpy(dtype=float)
        self.plan = keyed["plan_pct"].to_numpy(dtype=float)
        self.qualifier = self._texts(keyed, "qualifier")
        self.unit = self._texts(keyed, "unit")
        self.source = np.array(
            [
                str(a or b or "")
                for a, b in zip(keyed["value_source"], keyed["yoy_pct_source"], strict=True)
            ],
            dtype=object,
        )
        self.reason = {m: keyed[f"{m}_reason"].to_numpy(dtype=object) for m in ("value", "yoy_pct")}

    @staticmethod
    def _texts(frame: pd.DataFrame, column: str) -> np.ndarray:
        """``str(row.get(column, '') or '')`` for every row."""
        if column not in frame:
            return np.full(len(frame), "", dtype=object)
        return np.array([str(x or "") for x in frame[column]], dtype=object)

    def get(self, region, period, indicator, *, target: bool = False) -> dict[str, np.ndarray]:
        """Figures of many (region, period, indicator), NaN and '' where there is none."""
        n = max(np.size(region), np.size(period), np.size(indicator))
        query = pd.MultiIndex.from_arrays(
            [
                np.broadcast_to(np.asarray(x, dtype=object), (n,))
                for x in (region, period, indicator)
            ]
            + [np.full(n, target, dtype=bool)]
        )
        at = self.keys.get_indexer(query) if len(self.keys) else np.full(n, -1)
        found = at >= 0
        pick = np.where(found, at, 0)

        def take(values: np.ndarray, missing):
            if not len(values):
                return np.full(n, missing, dtype=float if isinstance(missing, float) else object)
            return np.where(found, values[pick], missing)

        return {
            "value": take(self.value, np.nan),
            "yoy": take(self.yoy, np.nan),
            "plan": take(self.plan, np.nan),
            "qualifier": take(self.qualifier, ""),
            "source": take(self.source, ""),
            "unit": take(self.unit, ""),
            "value_reason": take(self.reason["value"], ""),
            "yoy_reason": take(self.reason["yoy_pct"], ""),
        }


def _nan_or(values: np.ndarray, reason: str | np.ndarray) -> np.ndarray:
    """``reason`` where ``values`` is NaN, '' elsewhere."""
    return np.where(np.isnan(values), reason, "")


def _text_of(*parts) -> np.ndarray:
    """Element-wise concatenation of texts and arrays of texts."""
    out = np.asarray("", dtype=object)
    for part in parts:
        out = out + np.asarray(part, dtype=object)
    return out


def indicator_panel(
    figures: pd.DataFrame,
    *,
    period: str,
    regions: list[str] | None = None,
    which: str = "latest",
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """The indicator tables of many regions for one period, computed together.

    The rows are those of ``indicator_table(figures, region=r, period=period, which=which)``
    for each region ``r`` in turn (each with its default peer group), in the same order and
    with the same values; the figures are selected once for all regions, so a panel of
    thousands of regions takes seconds instead of hours.

    Parameters
    ----------
    figures : DataFrame
        The processed table (all vintages).
    period : str
        Canonical period code (``2019H1``).
    regions : list of str, optional
        Region codes, in the order wanted; default every region with figures (targets
        excluded) in ``period``, sorted by code.
    which : {'latest', 'first'}
        Vintage, as for ``indicator_table``.
    catalog : Catalog, optional
        As for ``indicator_table``.

    Returns
    -------
    DataFrame
        The columns of ``indicator_table``.

    Raises
    ------
    TableError
        For a region (of ``regions``) without figures in ``period``, as ``indicator_table``.

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> figures = load_figures()
    >>> panel = indicator_panel(figures, period="2019H1")
    >>> sorted(set(panel["region"]))[:3]
    ['china', 'erqi', 'henan']
    >>> erqi = panel[panel["region"] == "erqi"].reset_index(drop=True)
    >>> erqi.equals(indicator_table(figures, region="erqi", period="2019H1"))
    True
    """
    catalog = catalog or load_catalog()
    span = Period.from_code(period)
    actual = figures[~figures["is_target"]]
    with_period = sorted(set(actual.loc[actual["period"] == period, "region"]))
    if regions is None:
        regions = with_period
    else:
        for region in regions:
            if region not in set(with_period):
                indicator_table(
                    figures[figures["region"] == region],
                    region=region,
                    period=period,
                    which=which,
                    catalog=catalog,
                )  # raises TableError
    if not regions:
        return pd.DataFrame(columns=COLUMNS).astype({"value": "float64"})
    prev_code = previous_year(span).code
    fy_code, h1_prev, fy_prev = f"{span.year}FY", f"{span.year - 1}H1", f"{span.year - 1}FY"
    needed = {period, prev_code, fy_code, h1_prev, fy_prev}
    look = _Lookup(figures[figures["period"].isin(needed)], which)

    # the items: (region, indicator) in the order of each region's table
    cat = catalog.indicators
    order = {code: i for i, code in enumerate(cat.index)}
    picked = look.picked
    here = picked[(picked["period"] == period) & ~picked["is_target"].astype(bool)]
    by_region = here.groupby("region", sort=False)["indicator"].agg(list).to_dict()
    item_region, item_code = [], []
    for region in regions:
        codes = sorted(by_region.get(region, []), key=lambda c: (order.get(c, len(order)), c))
        item_region += [region] * len(codes)
        item_code += codes
    region_arr = np.array(item_region, dtype=object)
    code_arr = np.array(item_code, dtype=object)
    n = len(code_arr)
    known = np.isin(code_arr, cat.index)
    info = cat.reindex(code_arr)
    kind = np.where(known, info["kind"].to_numpy(dtype=object), "uncatalogued")
    real = np.where(known, info["comparable_prices"].fillna(False).to_numpy(dtype=bool), False)
    higher = np.where(known, info["higher_is_better"].fillna(True).to_numpy(dtype=bool), True)

    now = look.get(region_arr, period, code_arr)
    prev = look.get(region_arr, prev_code, code_arr)
    target = look.get(region_arr, fy_code, code_arr, target=True)
    unit = now["unit"]
    blocks: list[dict] = []

    def add(slot, measure, value=None, *, rows=None, text="", unit="", reason="", basis=""):
        rows = np.arange(n) if rows is None else rows
        m = len(rows)
        value = np.full(m, np.nan) if value is None else np.broadcast_to(value, (m,))
        blocks.append(
            {
                "item": rows,
                "slot": np.full(m, slot),
                "measure": np.broadcast_to(np.asarray(measure, dtype=object), (m,)),
                **{
                    k: np.broadcast_to(np.asarray(v, dtype=object), (m,))
                    for k, v in (
                        ("text", text),
                        ("unit", unit),
                        ("reason", reason),
                        ("basis", basis),
                    )
                },
                "value": np.asarray(value, dtype=float),
            }
        )

    def sub(x, rows):
        return x[rows] if isinstance(x, np.ndarray) and x.ndim else x

    add(
        0,
        "value",
        now["value"],
        text=now["qualifier"],
        unit=unit,
        basis=now["source"],
        reason=_or(now["value_reason"], _nan_or(now["value"], "no level published")),
    )
    add(
        1,
        "yoy_pct",
        now["yoy"],
        unit="%",
        reason=_or(now["yoy_reason"], _nan_or(now["yoy"], "no growth published")),
        basis=np.where(real, "published (comparable prices)", "published"),
    )
    flat = np.isin(kind, ["rank", "relation", "share", "rate"])
    rows = np.flatnonzero(flat)
    why = _text_of("not computed for a ", kind[rows])
    add(2, "yoy_computed", rows=rows, reason=why)
    add(3, "yoy_gap_pts", rows=rows, reason=why)
    rows = np.flatnonzero(~flat)
    computed = indicators.yoy_growth(now["value"][rows], prev["value"][rows])
    computed = np.atleast_1d(np.asarray(computed, dtype=float))
    pv = prev["value"][rows]
    why = np.where(
        np.isnan(now["value"][rows]),
        f"no level for {period}",
        np.where(
            np.isnan(pv),
            f"no level for {prev_code}",
            np.where(pv <= 0, f"base {prev_code} is zero or negative", ""),
        ),
    )
    add(
        2,
        "yoy_computed",
        computed,
        rows=rows,
        unit="%",
        reason=why,
        basis=f"({period} / {prev_code} - 1) x 100, current prices",
    )
    if len(rows):
        check = indicators.growth_consistency(
            computed, now["yoy"][rows], threshold=CONSISTENCY_THRESHOLD
        )
        diff = check["difference_pts"].to_numpy(dtype=float)
        flag = check["flag"].to_numpy(dtype=bool)
        said = check["reason"].to_numpy(dtype=object)
        caveat = np.where(
            flag & real[rows],
            _text_of(said, "; published growth is real (comparable prices), so a gap is expected"),
            said,
        )
        add(
            3,
            "yoy_gap_pts",
            diff,
            rows=rows,
            text=np.where(flag, "flag", ""),
            unit="个百分点",
            reason=np.where(flag | np.isnan(diff), caveat, ""),
            basis=f"computed - published, threshold {CONSISTENCY_THRESHOLD:g} points",
        )
    add(
        4,
        "prev_value",
        prev["value"],
        unit=_or(prev["unit"], unit),
        basis=prev["source"],
        reason=_nan_or(prev["value"], f"no level for {prev_code}"),
    )
    add(
        5,
        "prev_yoy_pct",
        prev["yoy"],
        unit="%",
        basis=prev["source"],
        reason=_nan_or(prev["yoy"], f"no growth for {prev_code}"),
    )
    change = np.asarray(indicators.growth_change(now["yoy"], prev["yoy"]), dtype=float)
    add(
        6,
        "growth_change_pts",
        change,
        unit="个百分点",
        reason=_nan_or(
            change,
            np.where(np.isnan(now["yoy"]), f"no growth for {period}", f"no growth for {prev_code}"),
        ),
        basis=f"yoy {period} - yoy {prev_code}",
    )
    progress = indicators.time_progress(span.end_month) if span.is_cumulative else np.nan
    add(
        7,
        "plan_pct",
        now["plan"],
        unit="%",
        basis="published",
        reason=_nan_or(now["plan"], "no plan share published"),
    )
    add(
        8,
        "time_progress_pct",
        np.full(n, progress),
        unit="%",
        basis=f"{span.end_month} months / 12",
        reason="" if not _isnan(progress) else "not a year-to-date period",
    )
    gap = np.asarray(indicators.progress_gap(now["plan"], progress), dtype=float)
    gap = np.broadcast_to(gap, (n,))
    add(
        9,
        "progress_gap_pts",
        gap,
        unit="个百分点",
        basis="plan_pct - time_progress_pct",
        reason=_nan_or(gap, "no plan share published"),
    )
    plan_total = np.asarray(indicators.implied_total(now["value"], now["plan"]), dtype=float)
    add(
        10,
        "annual_plan_implied",
        plan_total,
        unit=unit,
        basis="value / plan_pct x 100",
        reason=_nan_or(plan_total, "no plan share published"),
    )
    qualifier = target["qualifier"]
    add(
        11,
        "target_yoy_pct",
        target["yoy"],
        text=qualifier,
        unit="%",
        basis=target["source"],
        reason=_nan_or(target["yoy"], f"no growth target for {fy_code}"),
    )
    add(
        12,
        "target_value",
        target["value"],
        text=qualifier,
        unit=_or(target["unit"], unit),
        basis=target["source"],
        reason=_nan_or(target["value"], f"no level target for {fy_code}"),
    )
    judged = ~np.isnan(target["yoy"]) & ~np.isnan(now["yoy"])
    verdict = np.full(n, "", dtype=object)
    reading = np.array([_VERDICT_QUALIFIER.get(q, "") for q in qualifier], dtype=object)
    for q in set(reading[judged]):
        rows = np.flatnonzero(judged & (reading == q))
        verdict[rows] = np.atleast_1d(
            indicators.target_verdict(now["yoy"][rows], target["yoy"][rows], qualifier=q)
        )
    rows = np.flatnonzero(judged)
    add(
        13,
        "target_verdict",
        rows=rows,
        text=verdict[rows],
        basis=_text_of(
            f"yoy {period} against target {fy_code}",
            np.where(qualifier[rows] != "", _text_of(" (", qualifier[rows], ")"), ""),
        ),
    )
    rows = np.flatnonzero(~judged)
    add(
        13,
        "target_verdict",
        rows=rows,
        reason=np.where(
            np.isnan(target["yoy"][rows]),
            f"no growth target for {fy_code}",
            f"no growth for {period}",
        ),
    )

    # required second-half growth and amount (``_required``); last year's H2 = FY - H1
    # needs both levels from one release
    last_h1 = look.get(region_arr, h1_prev, code_arr)["value"]
    last_fy = look.get(region_arr, fy_prev, code_arr)["value"]
    pairs = one_basis(
        figures[figures["period"].isin([h1_prev, fy_prev])],
        earlier=h1_prev,
        later=fy_prev,
        which=which,
    ).set_index(["region", "indicator"])
    at = pairs.index.get_indexer(pd.MultiIndex.from_arrays([region_arr, code_arr]))
    paired = at >= 0
    pick = np.where(paired, at, 0)

    def pair_column(name: str, missing):
        values = pairs[name].to_numpy()
        if not len(values):
            return np.full(n, missing, dtype=object)
        return np.where(paired, values[pick], missing)

    basis = pair_column("basis", "")
    mixed = basis == "mixed"
    last_h1 = np.where(paired, pair_column("value_earlier", np.nan).astype(float), last_h1)
    last_fy = np.where(paired, pair_column("value_later", np.nan).astype(float), last_fy)
    if span.code != f"{span.year}H1":
        add(14, "required_h2_growth", reason="defined for a first-half period")
    else:
        no_target = np.isnan(target["yoy"])
        add(
            14,
            "required_h2_growth",
            rows=np.flatnonzero(no_target),
            reason=f"no growth target for {span.year}FY",
        )
        rows = np.flatnonzero(~no_target & mixed)
        add(
            14,
            "required_h2_growth",
            rows=rows,
            reason=np.array(
                [
                    _mixed_reason(h1_prev, fy_prev, a, b)
                    for a, b in zip(
                        pair_column("release_wanted_earlier", 0)[rows],
                        pair_column("release_wanted_later", 0)[rows],
                        strict=True,
                    )
                ],
                dtype=object,
            ),
        )
        missing_h1, missing_fy = np.isnan(last_h1), np.isnan(last_fy)
        rows = np.flatnonzero(~no_target & ~mixed & (missing_h1 | missing_fy))
        add(
            14,
            "required_h2_growth",
            rows=rows,
            reason=_text_of(
                "needs last year's levels: no ",
                np.where(
                    missing_h1[rows] & missing_fy[rows],
                    f"{h1_prev} or {fy_prev}",
                    np.where(missing_h1[rows], h1_prev, fy_prev),
                ),
            ),
        )
        rows = np.flatnonzero(~no_target & ~mixed & ~missing_h1 & ~missing_fy)
        level = np.where(real[rows], np.nan, now["value"][rows])
        req = np.atleast_1d(
            np.asarray(
                indicators.required_h2_growth(
                    target_growth=target["yoy"][rows],
                    h1_prev=last_h1[rows],
                    fy_prev=last_fy[rows],
                    h1_now=level,
                    h1_growth=now["yoy"][rows],
                ),
                dtype=float,
            )
        )
        add(
            14,
            "required_h2_growth",
            req,
            rows=rows,
            unit="%",
            reason=_nan_or(req, "last year's second half is zero or negative"),
            basis=np.where(
                basis[rows] == "aligned",
                "((1 + g)(A0 + B0) - A1) / B0 - 1" + _aligned_basis(h1_prev, fy_prev),
                "((1 + g)(A0 + B0) - A1) / B0 - 1",
            ),
        )
    has_level = ~np.isnan(target["value"])
    level_target = np.where(has_level, target["value"], plan_total)
    amount = np.asarray(
        indicators.required_h2_amount(level_target=level_target, completed=now["value"]),
        dtype=float,
    )
    add(
        15,
        "required_h2_amount",
        amount,
        unit=unit,
        reason=_nan_or(
            amount,
            np.where(np.isnan(level_target), "no level target or plan share", "no level completed"),
        ),
        basis=np.where(has_level, "level target - completed", "implied annual plan - completed"),
    )

    # shares
    whole_code = np.where(known, info["share_whole"].fillna("").to_numpy(dtype=object), "")
    rows = np.flatnonzero(known & (whole_code != ""))
    if len(rows):
        part_code = info["share_part"].to_numpy(dtype=object)[rows]
        part = look.get(region_arr[rows], period, part_code)
        whole = np.atleast_1d(
            np.asarray(indicators.implied_total(part["value"], now["value"][rows]), dtype=float)
        )
        add(
            16,
            "whole_implied",
            whole,
            rows=rows,
            text=whole_code[rows],
            unit=part["unit"],
            reason=_nan_or(whole, _text_of("no level for ", part_code)),
            basis=_text_of(part_code, " / ", code_arr[rows], " x 100"),
        )

    _panel_peers(
        add,
        look,
        region_arr,
        code_arr,
        kind=kind,
        higher=higher,
        now=now,
        period=period,
        catalog=catalog,
    )
    _panel_parents(add, look, region_arr, code_arr, now=now, period=period, catalog=catalog)

    item = np.concatenate([b["item"] for b in blocks])
    slot = np.concatenate([b["slot"] for b in blocks])
    order_rows = np.lexsort((slot, item))
    columns = {
        "region": region_arr[item[order_rows]],
        "period": np.full(len(item), period, dtype=object),
        "indicator": code_arr[item[order_rows]],
    }
    for name in ("measure", "value", "text", "unit", "reason", "basis"):
        columns[name] = np.concatenate([b[name] for b in blocks])[order_rows]
    # as ``add``: a missing value with neither a word nor a reason is 'not computable'
    silent = np.isnan(columns["value"]) & (columns["text"] == "") & (columns["reason"] == "")
    columns["reason"] = np.where(silent, "not computable", columns["reason"])
    out = pd.DataFrame(columns, columns=COLUMNS)
    return out.astype({c: ("float64" if c == "value" else "str") for c in COLUMNS})


def _or(first: np.ndarray, second) -> np.ndarray:
    """``first or second`` element-wise (texts)."""
    first = np.asarray(first, dtype=object)
    empty = np.array([not x for x in first], dtype=bool)
    return np.where(empty, second, first)


def _panel_peers(add, look, region_arr, code_arr, *, kind, higher, now, period, catalog):
    """Ranks among the default peer group and the peer average (``_peers``), for all items."""
    groups = catalog.peer_groups
    regions = sorted(set(region_arr))
    group_of = _default_groups(regions, catalog)
    group = np.array([group_of[r] or "" for r in region_arr], dtype=object)
    lone = np.flatnonzero(group == "")
    for slot, measure in enumerate(("rank_yoy", "rank_value", "peer_avg_yoy", "gap_peer_avg_pts")):
        add(
            17 + slot,
            measure,
            rows=lone,
            reason=_text_of(region_arr[lone], " belongs to no peer group"),
        )
    rows = np.flatnonzero(group != "")
    if not len(rows):
        return
    # every member's figure once per (group, indicator)
    pairs = sorted(set(zip(group[rows], code_arr[rows], strict=True)))
    members = [groups.loc[g, "members"] for g, _ in pairs]
    sizes = np.array([len(m) for m in members])
    member = np.concatenate([np.asarray(m, dtype=object) for m in members])
    pair_of_member = np.repeat(np.arange(len(pairs)), sizes)
    pair_code = np.array([c for _, c in pairs], dtype=object)
    figs = look.get(member, period, pair_code[pair_of_member])
    pair_index = {p: i for i, p in enumerate(pairs)}
    at = np.array([pair_index[(g, c)] for g, c in zip(group[rows], code_arr[rows], strict=True)])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    here_kind = kind[rows]
    unranked = np.isin(here_kind, ["rank", "relation"])
    group_here = group[rows]
    size_here = sizes[at]
    for slot, (measure, attr, what) in enumerate(
        (("rank_yoy", "yoy", "growth"), ("rank_value", "value", "level"))
    ):
        skip = rows[unranked]
        add(
            17 + slot,
            measure,
            rows=skip,
            reason=_text_of("not ranked: ", code_arr[skip], " is a ", kind[skip]),
        )
        values = figs[attr]
        ranks = np.full(len(member), np.nan)
        higher_of = dict(zip(code_arr, higher, strict=True))
        pair_higher = np.array([bool(higher_of[c]) for c in pair_code], dtype=bool)
        for direction in (True, False):
            chosen = pair_higher[pair_of_member] == direction
            if chosen.any():
                ranks[chosen] = (
                    pd.Series(values[chosen])
                    .groupby(pair_of_member[chosen])
                    .rank(method="min", ascending=not direction)
                    .to_numpy(dtype=float)
                )
        known = ~np.isnan(values)
        count = np.bincount(pair_of_member, weights=known, minlength=len(pairs)).astype(int)
        # the region's own position among its group's members
        position = np.array(
            [
                starts[a] + list(members[a]).index(r) if r in members[a] else -1
                for a, r in zip(at, region_arr[rows], strict=True)
            ]
        )
        inside = position >= 0
        mine = np.where(inside, ranks[np.where(inside, position, 0)], np.nan)
        mine_known = np.where(inside, known[np.where(inside, position, 0)], False)
        n_known = count[at]
        others = n_known - mine_known.astype(int)
        reason = np.where(
            np.isnan(mine),
            _text_of(f"no {what} for ", region_arr[rows]),
            np.where(
                others == 0,
                _text_of("no other member of ", group_here, f" has a {what} for {period}"),
                np.where(
                    n_known < size_here,
                    _text_of(
                        "only ",
                        n_known.astype(str),
                        " of ",
                        size_here.astype(str),
                        " peers have a figure",
                    ),
                    "",
                ),
            ),
        )
        mine = np.where(~np.isnan(mine) & (others == 0), np.nan, mine)
        ranked = ~unranked
        add(
            17 + slot,
            measure,
            mine[ranked],
            rows=rows[ranked],
            text=_text_of(n_known.astype(str), " of ", size_here.astype(str))[ranked],
            unit="位",
            reason=reason[ranked],
            basis=_text_of("among ", group_here)[ranked],
        )
    yoy = figs["yoy"]
    averages = np.empty(len(pairs))
    counts = np.empty(len(pairs), dtype=int)
    for i, (start, size) in enumerate(zip(starts, sizes, strict=True)):
        averages[i], counts[i] = indicators.peer_average(yoy[start : start + size])
    position = np.array(
        [
            starts[a] + list(members[a]).index(r) if r in members[a] else -1
            for a, r in zip(at, region_arr[rows], strict=True)
        ]
    )
    inside = position >= 0
    mine_known = np.where(inside, ~np.isnan(yoy[np.where(inside, position, 0)]), False)
    known_count = np.bincount(pair_of_member, weights=~np.isnan(yoy), minlength=len(pairs))
    others = known_count.astype(int)[at] - mine_known.astype(int)
    avg = np.where(others == 0, np.nan, averages[at])
    add(
        19,
        "peer_avg_yoy",
        avg,
        rows=rows,
        text=_text_of(counts[at].astype(str), " of ", size_here.astype(str)),
        unit="%",
        basis=_text_of("mean of ", group_here),
        reason=_nan_or(
            avg, _text_of("no other member of ", group_here, f" has growth for {period}")
        ),
    )
    gap = np.asarray(indicators.gap_to(now["yoy"][rows], avg), dtype=float)
    add(
        20,
        "gap_peer_avg_pts",
        np.atleast_1d(gap),
        rows=rows,
        unit="个百分点",
        basis=_text_of("yoy ", region_arr[rows], " - peer average"),
        reason=_nan_or(np.atleast_1d(gap), "no growth for the region or its peers"),
    )


def _default_groups(regions: list[str], catalog: Catalog) -> dict[str, str | None]:
    """``default_peer_group`` of many regions (ties between groups decided by it)."""
    groups = catalog.peer_groups
    holding: dict[str, list[tuple[int, str]]] = {}
    for code, members in zip(groups.index, groups["members"], strict=True):
        for member in members:
            holding.setdefault(member, []).append((len(members), code))
    out = {}
    for region in regions:
        sizes = holding.get(region, [])
        if not sizes:
            out[region] = None
            continue
        smallest = min(s for s, _ in sizes)
        best = [c for s, c in sizes if s == smallest]
        out[region] = best[0] if len(best) == 1 else default_peer_group(region, catalog=catalog)
    return out


def _panel_parents(add, look, region_arr, code_arr, *, now, period, catalog):
    """Growth of the levels above and the gaps to them (``yoy_<level>``, ``gap_<level>_pts``)."""
    regions = catalog.regions
    chains = {r: _ancestors(r, catalog) for r in set(region_arr)}
    depth = max((len(c) for c in chains.values()), default=0)
    for k in range(depth):
        rows = np.flatnonzero([len(chains[r]) > k for r in region_arr])
        if not len(rows):
            continue
        parent = np.array([chains[r][k] for r in region_arr[rows]], dtype=object)
        level = regions["level"].reindex(parent).to_numpy(dtype=object)
        theirs = look.get(parent, period, code_arr[rows])
        add(
            21 + 2 * k,
            _text_of("yoy_", level),
            theirs["yoy"],
            rows=rows,
            text=parent,
            unit="%",
            basis=theirs["source"],
            reason=_nan_or(theirs["yoy"], _text_of("no growth for ", parent, f" in {period}")),
        )
        mine = now["yoy"][rows]
        gap = np.atleast_1d(np.asarray(indicators.gap_to(mine, theirs["yoy"]), dtype=float))
        add(
            22 + 2 * k,
            _text_of("gap_", level, "_pts"),
            gap,
            rows=rows,
            text=parent,
            unit="个百分点",
            basis=_text_of("yoy ", region_arr[rows], " - yoy ", parent),
            reason=_nan_or(
                gap,
                _text_of(
                    "no growth for ",
                    np.where(np.isnan(mine), region_arr[rows], parent),
                    f" in {period}",
                ),
            ),
        )
