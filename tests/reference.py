"""Reference implementations: the obvious, slow, row-by-row versions of the library's fast code.

The library keeps one implementation of each thing (the column-wise one); these are what it
is checked against (``tests/test_reference.py``): the indicator table figure by figure,
vintage selection figure by figure, cleaning row by row, duplicate marking group by group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.compute import indicators
from analysis.compute.indicator_table import (
    COLUMNS,
    CONSISTENCY_THRESHOLD,
    TableError,
    earlier_period,
)
from analysis.data import pipeline, validation, vintages
from analysis.periods import Period, previous_year
from analysis.reasons import reason

# --- cleaning ------------------------------------------------------------------------------


def standardize_by_row(
    raw: pd.DataFrame, *, catalog: Catalog | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``pipeline.standardize`` with every row through ``standardize_row``."""
    return pipeline._finish(raw, None, np.arange(len(raw)), catalog or load_catalog())


def mark_duplicates_by_group(frame: pd.DataFrame):
    """``validation.mark_duplicates`` group by group."""
    out = frame.copy()
    for col in ("value_conflict", "yoy_pct_conflict", "plan_pct_conflict"):
        out[col] = ""
    key = ["region", "period", "indicator", "is_target", "peer_group", "release"]
    exact = [*key, *vintages.MEASURES, "unit"]
    dup = out.duplicated(subset=exact, keep="first")
    first_of = out.drop_duplicates(subset=exact, keep="first").set_index(exact)
    rejected_rows = []
    for idx in out.index[dup]:
        row = out.loc[idx]
        first = first_of.loc[tuple(row[exact])]
        rejected_rows.append(
            {
                "source_file": row["source_file"],
                "source_line": row["source_line"],
                "source_column": row["source_column"],
                "reason": f"duplicate of {first['source_file']}:"
                f"{first['source_line']} (same figure, same release, same values)",
                "code": reason(
                    "reject_duplicate", file=first["source_file"], line=first["source_line"]
                ),
            }
        )
    out = out.loc[~dup]
    for _, group in out.groupby(key, dropna=False):
        if len(group) < 2:
            continue
        for measure, tol_col in (
            ("value", "value_rounding"),
            ("yoy_pct", "yoy_rounding"),
            ("plan_pct", None),
        ):
            have = group[group[measure].notna()]
            for i, a in have.iterrows():
                clashing = [
                    b
                    for j, b in have.iterrows()
                    if j != i
                    and not validation._same(
                        a[measure],
                        b[measure],
                        a[tol_col] if tol_col else 0.0,
                        b[tol_col] if tol_col else 0.0,
                    )
                ]
                clashes = [f"{b[measure]:g} ({b['source_file']}:{b['source_line']})"
                           for b in clashing]  # fmt: skip
                if clashes and len(have) <= validation.MAX_LISTED:
                    out.loc[i, f"{measure}_conflict"] = reason(
                        "disagree", value=f"{a[measure]:g}", others=", ".join(clashes)
                    )
                elif clashes:  # the lowest and the highest, the first in file order of each
                    lowest = min(clashing, key=lambda b: b[measure])
                    highest = max(clashing, key=lambda b: b[measure])
                    out.loc[i, f"{measure}_conflict"] = reason(
                        "disagree_many",
                        value=f"{a[measure]:g}",
                        n=len(clashes),
                        lowest=f"{lowest[measure]:g} ({lowest['source_file']}:"
                        f"{lowest['source_line']})",
                        highest=f"{highest[measure]:g} ({highest['source_file']}:"
                        f"{highest['source_line']})",
                    )
    return out, pd.DataFrame(rejected_rows, columns=validation.REJECT_COLUMNS)


# --- vintages ------------------------------------------------------------------------------


def _pick(group: pd.DataFrame, measure: str, which: str) -> tuple[float, str, str, pd.Series]:
    """Value, source, reason and chosen row for one measure of one figure."""
    have = group[group[measure].notna()]
    if have.empty:
        return np.nan, "", "", None
    release = have["release"].max() if which == "latest" else have["release"].min()
    same = have[have["release"] == release]
    rounding_col = "value_rounding" if measure == "value" else "yoy_rounding"
    if rounding_col in same:
        same = same.sort_values(rounding_col, kind="stable", na_position="last")
    best = same.iloc[0]
    source = f"{best['source_file']}:{best['source_line']}"
    conflict_col = f"{measure}_conflict"
    if conflict_col in same and (same[conflict_col] != "").any():
        conflict = same.loc[same[conflict_col] != "", conflict_col].iloc[0]
        return np.nan, source, reason("conflicting_sources", conflict=conflict), None
    return float(best[measure]), source, "", best


def select_vintage_by_row(figures: pd.DataFrame, which: str) -> pd.DataFrame:
    """``vintages.select_vintage`` figure by figure."""
    out = []
    for _, group in figures.groupby(vintages.FIGURE_KEY, sort=True, dropna=False):
        ordered = group.sort_values("release", ascending=(which == "first"), kind="stable")
        row = ordered.iloc[0].copy()
        for measure in vintages.MEASURES:
            value, source, why, best = _pick(group, measure, which)
            if measure == "value":
                for column in vintages.VALUE_COMPANIONS:
                    if column in row:
                        row[column] = np.nan if best is None else best[column]
            row[measure] = value
            row[f"{measure}_source"] = source
            row[f"{measure}_reason"] = why
        out.append(row)
    return pd.DataFrame(out).reset_index(drop=True)


# --- the indicator table -------------------------------------------------------------------

_VERDICT_QUALIFIER = {"以上": "以上", "左右": "左右", "区间": "以上", "": ""}


@dataclass(frozen=True)
class _Fig:
    value: float
    yoy: float
    plan: float
    qualifier: str
    source: str
    unit: str
    group: str
    decimals: float = np.nan

    @classmethod
    def of(cls, row: pd.Series | None) -> _Fig:
        if row is None:
            return cls(np.nan, np.nan, np.nan, "", "", "", "")
        return cls(
            float(row["value"]),
            float(row["yoy_pct"]),
            float(row["plan_pct"]),
            str(row.get("qualifier", "") or ""),
            str(row.get("value_source") or row.get("yoy_pct_source") or ""),
            str(row.get("unit", "") or ""),
            str(row.get("peer_group", "") or ""),
            float(row.get("value_decimals", np.nan)),
        )


def _ancestors(code: str, catalog: Catalog) -> list[str]:
    regs = catalog.regions
    chain, parent = [], regs.loc[code, "parent"]
    while parent:
        chain.append(parent)
        parent = regs.loc[parent, "parent"]
    return chain


def _default_peer_group(region: str, catalog: Catalog) -> str | None:
    return catalog.peer_group(region)


class _Index:
    """Latest (or first) figures keyed by (region, period, indicator, is_target)."""

    def __init__(self, figures: pd.DataFrame, which: str):
        # vintage selection has its own reference (select_vintage_by_row), checked apart
        picked = vintages.select_vintage(figures, which=which)
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
            found = vintages.one_basis(self.raw, earlier=earlier, later=later, which=self.which)
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


def _relevant(figures: pd.DataFrame, region: str, period: Period, catalog) -> pd.DataFrame:
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
        earlier_period(period),
    }
    return figures[figures["region"].isin(regions) & figures["period"].isin(periods)]


def _isnan(x: float) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def indicator_table_by_row(
    figures: pd.DataFrame,
    *,
    region: str,
    period: str,
    peer_group: str | None = None,
    which: str = "latest",
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """``indicator_table`` of one region, figure by figure and measure by measure."""
    catalog = catalog or load_catalog()
    span = Period.from_code(period)
    actual = figures[(figures["region"] == region) & ~figures["is_target"]]
    if actual.empty:
        have = sorted(set(figures.loc[~figures["is_target"], "region"]))
        raise TableError(f"no figures for region {region!r}; regions with figures: {have}")
    if not (actual["period"] == period).any():
        have = sorted(set(actual["period"]))
        raise TableError(f"no figures for {region} in {period}; periods with figures: {have}")
    group = peer_group if peer_group is not None else _default_peer_group(region, catalog)
    index = _Index(_relevant(figures, region, span, catalog), which)
    frame, target = index.frame, index.frame["is_target"].astype(bool)
    here = frame[
        (frame["region"] == region)
        & (
            ((frame["period"] == period) & ~target)
            | ((frame["period"] == f"{span.year}FY") & target)
        )
    ]
    cat = catalog.indicators
    order = {code: i for i, code in enumerate(cat.index)}
    codes = sorted(set(here["indicator"]), key=lambda c: (order.get(c, len(order)), c))
    rows: list[dict] = []
    for code in codes:
        rows.extend(_rows_for(index, code, region=region, span=span, group=group, catalog=catalog))
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({c: ("float64" if c == "value" else "str") for c in COLUMNS})


def _rows_for(index: _Index, code: str, *, region, span: Period, group, catalog: Catalog):
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

    def add(measure, value=np.nan, *, text="", unit="", why="", basis="", group=""):
        if _isnan(value) and not text and not why:
            why = reason("not_computable")
        out.append(
            {
                "region": region,
                "period": period,
                "indicator": code,
                "measure": measure,
                "value": value,
                "text": text,
                "unit": unit,
                "reason": why,
                "basis": basis,
                "group": group,
            }
        )

    add(
        "value",
        now.value,
        text=now.qualifier,
        unit=unit,
        why=reasons.get("value", "")
        or ("" if not _isnan(now.value) else reason("no_level_published")),
        basis=now.source,
        group=now.group,
    )
    add(
        "value_decimals",
        now.decimals,
        basis="decimals of the published level",
        why="" if not _isnan(now.decimals) else reason("no_level_published"),
    )
    add(
        "yoy_pct",
        now.yoy,
        unit="%",
        why=reasons.get("yoy_pct", "")
        or ("" if not _isnan(now.yoy) else reason("no_growth_published")),
        basis="published" + (" (comparable prices)" if real else ""),
    )
    if kind in ("rank", "relation", "share", "rate"):
        add("yoy_computed", why=reason("not_computed_for_kind", kind=kind))
        add("yoy_gap_pts", why=reason("not_computed_for_kind", kind=kind))
    else:
        computed = indicators.yoy_growth(now.value, prev.value)
        why = ""
        if _isnan(now.value):
            why = reason("no_level", period=period)
        elif _isnan(prev.value):
            why = reason("no_level", period=prev_code)
        elif prev.value <= 0:
            why = reason("base_not_positive", period=prev_code)
        add(
            "yoy_computed",
            computed,
            unit="%",
            why=why,
            basis=f"({period} / {prev_code} - 1) x 100, current prices",
        )
        diff = computed - now.yoy
        flag = abs(diff) > CONSISTENCY_THRESHOLD
        caveat = ""
        if _isnan(diff):
            missing = [n for n, v in (("computed", computed), ("published", now.yoy)) if _isnan(v)]
            caveat = reason("not_comparable", missing="both" if len(missing) == 2 else missing[0])
        elif flag:
            caveat = reason(
                "growth_gap_real" if real else "growth_gap",
                computed=computed,
                published=now.yoy,
                gap=abs(diff),
                threshold=CONSISTENCY_THRESHOLD,
            )
        add(
            "yoy_gap_pts",
            diff,
            text="flag" if flag else "",
            unit="个百分点",
            why=caveat,
            basis=f"computed - published, threshold {CONSISTENCY_THRESHOLD:g} points",
        )
    add(
        "prev_value",
        prev.value,
        unit=prev.unit or unit,
        why="" if not _isnan(prev.value) else reason("no_level", period=prev_code),
        basis=prev.source,
    )
    add(
        "prev_yoy_pct",
        prev.yoy,
        unit="%",
        why="" if not _isnan(prev.yoy) else reason("no_growth", period=prev_code),
        basis=prev.source,
    )
    change = indicators.growth_change(now.yoy, prev.yoy)
    add(
        "growth_change_pts",
        change,
        unit="个百分点",
        why=""
        if not _isnan(change)
        else reason("no_growth", period=period if _isnan(now.yoy) else prev_code),
        basis=f"yoy {period} - yoy {prev_code}",
    )
    earlier = earlier_period(span)
    if not earlier:
        why = reason("no_earlier_period", period=period)
        add("earlier_yoy_pct", why=why)
        add("change_vs_earlier_pts", why=why)
    else:
        before = index.get(region, earlier, code).yoy
        add(
            "earlier_yoy_pct",
            before,
            unit="%",
            why="" if not _isnan(before) else reason("no_growth", period=earlier),
        )
        change = indicators.growth_change(now.yoy, before)
        add(
            "change_vs_earlier_pts",
            change,
            unit="个百分点",
            why=""
            if not _isnan(change)
            else reason("no_growth", period=period if _isnan(now.yoy) else earlier),
            basis=f"yoy {period} - yoy {earlier}",
        )

    progress = indicators.time_progress(span.end_month) if span.is_cumulative else np.nan
    no_plan = reason("no_plan_published")
    add(
        "plan_pct",
        now.plan,
        unit="%",
        why="" if not _isnan(now.plan) else no_plan,
        basis="published",
    )
    add(
        "time_progress_pct",
        progress,
        unit="%",
        basis=f"{span.end_month} months / 12",
        why="" if not _isnan(progress) else reason("not_year_to_date"),
    )
    gap = indicators.progress_gap(now.plan, progress)
    add(
        "progress_gap_pts",
        gap,
        unit="个百分点",
        why="" if not _isnan(gap) else no_plan,
        basis="plan_pct - time_progress_pct",
    )
    plan_total = indicators.implied_total(now.value, now.plan)
    add(
        "annual_plan_implied",
        plan_total,
        unit=unit,
        why="" if not _isnan(plan_total) else no_plan,
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
        why="" if not _isnan(target.yoy) else reason("no_growth_target", period=fy_code),
    )
    add(
        "target_value",
        target.value,
        text=qualifier,
        unit=target.unit or unit,
        basis=target.source,
        why="" if not _isnan(target.value) else reason("no_level_target", period=fy_code),
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
            why=(
                reason("no_growth_target", period=fy_code)
                if _isnan(target.yoy)
                else reason("no_growth", period=period)
            ),
        )
    _required(add, index, code, region=region, span=span, now=now, target=target,
              plan_total=plan_total, real=real, unit=unit)  # fmt: skip

    if known and cat.loc[code, "share_whole"]:
        part_code, whole_code = cat.loc[code, "share_part"], cat.loc[code, "share_whole"]
        part = index.get(region, period, part_code)
        whole = indicators.implied_total(part.value, now.value)
        add(
            "whole_implied",
            whole,
            text=whole_code,
            unit=part.unit,
            why="" if not _isnan(whole) else reason("no_level_of", indicator=part_code),
            basis=f"{part_code} / {code} x 100",
        )
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
            why=""
            if not _isnan(theirs.yoy)
            else reason("no_growth_of", region=parent, period=period),
        )
        gap_parent = indicators.gap_to(now.yoy, theirs.yoy)
        missing = region if _isnan(now.yoy) else parent
        add(
            f"gap_{level}_pts",
            gap_parent,
            text=parent,
            unit="个百分点",
            basis=f"yoy {region} - yoy {parent}",
            why=""
            if not _isnan(gap_parent)
            else reason("no_growth_of", region=missing, period=period),
        )
    return out


def _required(add, index, code, *, region, span, now, target, plan_total, real, unit):
    h1_code, fy_code = f"{span.year - 1}H1", f"{span.year - 1}FY"
    prev_h1 = index.get(region, h1_code, code)
    prev_fy = index.get(region, fy_code, code)
    # last year's H2 = FY - H1 needs both levels from one release
    a0, fy0, basis, releases = index.pair(region, code, h1_code, fy_code)
    if span.code != f"{span.year}H1":
        add("required_h2_growth", why=reason("first_half_only"))
    elif _isnan(target.yoy):
        add("required_h2_growth", why=reason("no_growth_target", period=f"{span.year}FY"))
    elif basis == "mixed":
        why = reason(
            "mixed_vintages",
            period=h1_code,
            release=releases[0],
            later=fy_code,
            later_release=releases[1],
        )
        add("required_h2_growth", why=why)
    elif _isnan(prev_h1.value) or _isnan(prev_fy.value):
        missing = [
            p
            for p, f in ((f"{span.year - 1}H1", prev_h1), (f"{span.year - 1}FY", prev_fy))
            if _isnan(f.value)
        ]
        add("required_h2_growth", why=reason("needs_last_year", periods=missing))
    else:
        level = np.nan if real else now.value
        req = indicators.required_h2_growth(
            target_growth=target.yoy,
            h1_prev=a0,
            fy_prev=fy0,
            h1_now=level,
            h1_growth=now.yoy,
        )
        aligned = f"; {h1_code} and {fy_code} from one release (the later revision has no partner)"
        add(
            "required_h2_growth",
            req,
            unit="%",
            why="" if not _isnan(req) else reason("last_h2_not_positive"),
            basis="((1 + g)(A0 + B0) - A1) / B0 - 1" + (aligned if basis == "aligned" else ""),
        )
    level_target = target.value if not _isnan(target.value) else plan_total
    source = "level target" if not _isnan(target.value) else "implied annual plan"
    amount = indicators.required_h2_amount(level_target=level_target, completed=now.value)
    why = ""
    if _isnan(amount):
        why = reason("no_level_target_or_plan" if _isnan(level_target) else "no_level_completed")
    add("required_h2_amount", amount, unit=unit, why=why, basis=f"{source} - completed")


def _peers(add, index, code, *, region, period, group, kind, known, now, catalog):
    if group is None:
        for m in ("rank_yoy", "rank_value", "peer_avg_yoy", "gap_peer_avg_pts"):
            add(m, why=reason("no_peer_group", region=region))
        return
    members = catalog.peer_groups.loc[group, "members"]
    higher = bool(catalog.indicators.loc[code, "higher_is_better"]) if known else True
    rows = [index.get(m, period, code) for m in members]
    for measure, attr in (("rank_yoy", "yoy"), ("rank_value", "value")):
        if kind in ("rank", "relation"):
            add(measure, why=reason("not_ranked_kind", indicator=code, kind=kind))
            continue
        values = pd.Series([getattr(r, attr) for r in rows], index=members, dtype=float)
        ranks = indicators.rank_values(values, higher_is_better=higher)
        n = int(values.notna().sum())
        mine = float(ranks.get(region, np.nan))
        what = "growth" if attr == "yoy" else "level"
        others = int(values.drop(region, errors="ignore").notna().sum())
        if _isnan(mine):
            why = reason("no_own_figure", measure=what, region=region)
        elif others == 0:
            mine = np.nan
            why = reason("no_other_peer", group=group, measure=what, period=period)
        elif n < len(members):
            why = reason("ranked_among_few", n=n, m=len(members))
        else:
            why = ""
        add(measure, mine, text=f"{n}/{len(members)}", unit="位", why=why,
            basis=f"among {group}", group=group)  # fmt: skip
    yoy = pd.Series([r.yoy for r in rows], index=members, dtype=float)
    avg, n = indicators.peer_average(yoy)
    others = int(yoy.drop(region, errors="ignore").notna().sum())
    if others == 0:
        avg = np.nan
    add(
        "peer_avg_yoy",
        avg,
        text=f"{n}/{len(members)}",
        unit="%",
        basis=f"mean of {group}",
        why=""
        if not _isnan(avg)
        else reason("no_other_peer", group=group, measure="growth", period=period),
        group=group,
    )
    gap = indicators.gap_to(now.yoy, avg)
    add(
        "gap_peer_avg_pts",
        gap,
        unit="个百分点",
        basis=f"yoy {region} - peer average",
        why="" if not _isnan(gap) else reason("no_peer_growth"),
        group=group,
    )
