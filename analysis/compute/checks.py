"""Published derived figures recomputed from other published figures.

A growth rate, a two-year average, a rank or an above/below-average statement that a source
published can often be recomputed from other figures in the data. ``reproduce_published``
does so for every such figure and says, for each, whether it was reproduced within rounding,
is consistent with the partial data available, does not match (a data finding for the data
notes, not something to tune away), or cannot be recomputed and why.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.compute import indicators
from analysis.data.vintages import select_vintage
from analysis.periods import Period, previous_year
from analysis.reasons import join, reason

COLUMNS = [
    "check",
    "region",
    "period",
    "indicator",
    "published",
    "recomputed",
    "tolerance",
    "verdict",
    "detail",
]
VERDICTS = ("reproduced", "consistent", "mismatch", "not recomputable")

_TWO_YEAR = re.compile(r"(?:两年平均|two-year avg\.?)\s*(-?\d+(?:\.\d+)?)%")
#: Published ranks whose group is not stated are checked against all county-level units.
UNSTATED_GROUP = "all16"


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _growth_bounds(now: float, prev: float, r_now: float, r_prev: float) -> tuple[float, float]:
    """Range of growth the rounded levels allow."""
    r_now = 0.0 if _nan(r_now) else r_now
    r_prev = 0.0 if _nan(r_prev) else r_prev
    low = indicators.yoy_growth(now - r_now, prev + r_prev)
    high = indicators.yoy_growth(now + r_now, prev - r_prev)
    return low, high


def growth_checks(latest: pd.DataFrame, *, catalog: Catalog | None = None) -> list[dict]:
    """Published growth against growth recomputed from the two published levels."""
    cat = (catalog or load_catalog()).indicators
    by_key = latest.set_index(["region", "period", "indicator"])
    rows = []
    have = latest[latest["yoy_pct"].notna() & latest["value"].notna()]
    for r in have.itertuples():
        if r.kind not in ("flow", "stock", "count"):
            continue
        prev_code = previous_year(Period.from_code(r.period)).code
        key = (r.region, prev_code, r.indicator)
        if key not in by_key.index or _nan(by_key.loc[key, "value"]):
            continue
        prev = by_key.loc[key]
        computed = indicators.yoy_growth(r.value, prev["value"])
        low, high = _growth_bounds(r.value, prev["value"], r.value_rounding, prev["value_rounding"])
        tol = 0.05 if _nan(r.yoy_rounding) else r.yoy_rounding
        real = bool(cat.loc[r.indicator, "comparable_prices"])
        if real:
            verdict = "not recomputable"
            detail = reason("check_growth_real", computed=computed, gap=computed - r.yoy_pct)
        elif low - tol <= r.yoy_pct <= high + tol:
            verdict = "reproduced"
            detail = reason("check_levels", before=prev["value"], after=r.value)
        else:
            verdict = "mismatch"
            detail = reason(
                "check_levels_mismatch",
                before=prev["value"],
                after=r.value,
                result=computed,
                low=low,
                high=high,
            )
        rows.append(
            {
                "check": "growth from levels",
                "region": r.region,
                "period": r.period,
                "indicator": r.indicator,
                "published": r.yoy_pct,
                "recomputed": computed,
                "tolerance": tol,
                "verdict": verdict,
                "detail": detail,
            }
        )
    return rows


def two_year_checks(figures: pd.DataFrame, latest: pd.DataFrame) -> list[dict]:
    """Two-year average growth stated in a source note against the two published growths."""
    by_key = latest.set_index(["region", "period", "indicator"])
    rows = []
    for r in figures[~figures["is_target"]].itertuples():
        match = _TWO_YEAR.search(r.note or "")
        if not match:
            continue
        published = float(match.group(1))
        prev_code = previous_year(Period.from_code(r.period)).code
        key = (r.region, prev_code, r.indicator)
        base = {
            "check": "two-year average growth",
            "region": r.region,
            "period": r.period,
            "indicator": r.indicator,
            "published": published,
            "tolerance": 0.05,
        }
        if key not in by_key.index or _nan(by_key.loc[key, "yoy_pct"]):
            rows.append(
                {
                    **base,
                    "recomputed": np.nan,
                    "verdict": "not recomputable",
                    "detail": reason("no_growth", period=prev_code),
                }
            )
            continue
        g0 = by_key.loc[key, "yoy_pct"]
        computed = indicators.two_year_average_growth(g0, r.yoy_pct)
        # each input is rounded to 0.05 points: the average can move by about half that
        low = indicators.two_year_average_growth(g0 - 0.05, r.yoy_pct - 0.05)
        high = indicators.two_year_average_growth(g0 + 0.05, r.yoy_pct + 0.05)
        ok = low - 0.05 <= published <= high + 0.05
        detail = reason("check_two_year", first=g0, second=r.yoy_pct)
        if not ok:
            detail = reason(
                "check_two_year_mismatch",
                first=g0,
                second=r.yoy_pct,
                result=computed,
                period=prev_code,
            )
        rows.append(
            {
                **base,
                "recomputed": computed,
                "verdict": "reproduced" if ok else "mismatch",
                "detail": detail,
            }
        )
    return rows


def rank_checks(latest: pd.DataFrame, *, catalog: Catalog | None = None) -> list[dict]:
    """Published ranks against ranks computed from the peers' published figures."""
    catalog = catalog or load_catalog()
    groups = catalog.peer_groups
    cat = catalog.indicators
    rows = []
    ranks = latest[latest["kind"].eq("rank") & latest["value"].notna()]
    for r in ranks.itertuples():
        base_code = cat.loc[r.indicator, "rank_of"] if r.indicator in cat.index else ""
        by = cat.loc[r.indicator, "rank_by"] if base_code else ""
        if not base_code:
            rows.append(
                {
                    "check": "rank",
                    "region": r.region,
                    "period": r.period,
                    "indicator": r.indicator,
                    "published": r.value,
                    "recomputed": np.nan,
                    "tolerance": 0.0,
                    "verdict": "not recomputable",
                    "detail": reason("check_assessment_rank"),
                }
            )
            continue
        group = r.peer_group or UNSTATED_GROUP
        members = groups.loc[group, "members"]
        peers = latest[
            (latest["indicator"] == base_code)
            & (latest["period"] == r.period)
            & latest["region"].isin(members)
        ].set_index("region")[by]
        values = peers.reindex(members).astype(float)
        n, m = int(values.notna().sum()), len(members)
        higher = bool(cat.loc[base_code, "higher_is_better"])
        note = "" if r.peer_group else reason("check_group_unstated", group=group)
        base = {
            "check": f"rank by {'growth' if by == 'yoy_pct' else 'level'}",
            "region": r.region,
            "period": r.period,
            "indicator": r.indicator,
            "published": r.value,
            "tolerance": 0.0,
        }
        if _nan(values.get(r.region, np.nan)):
            rows.append(
                {
                    **base,
                    "recomputed": np.nan,
                    "verdict": "not recomputable",
                    "detail": join(
                        reason(
                            "check_rank_no_base",
                            indicator=base_code,
                            measure="growth" if by == "yoy_pct" else "level",
                            region=r.region,
                            n=n,
                            m=m,
                        ),
                        note,
                    ),
                }
            )
            continue
        computed = float(indicators.rank_values(values, higher_is_better=higher)[r.region])
        missing = m - n
        if n == m:
            verdict = "reproduced" if computed == r.value else "mismatch"
        elif computed <= r.value <= computed + missing:
            verdict = "consistent"
        else:
            verdict = "mismatch"
        detail = join(reason("check_rank_peers", n=n, m=m, group=group), note)
        rows.append({**base, "recomputed": computed, "verdict": verdict, "detail": detail})
    return rows


def relation_checks(latest: pd.DataFrame, *, catalog: Catalog | None = None) -> list[dict]:
    """'Above / below the city average' statements against the region's and city's growth."""
    rows = []
    regions = (catalog or load_catalog()).regions
    rel = latest[latest["indicator"].eq("gdp_growth_vs_city_avg") & latest["value"].notna()]
    for r in rel.itertuples():
        city = regions.loc[r.region, "parent"]
        own = latest[
            (latest["region"] == r.region)
            & (latest["period"] == r.period)
            & (latest["indicator"] == "gdp")
        ]["yoy_pct"]
        theirs = latest[
            (latest["region"] == city)
            & (latest["period"] == r.period)
            & (latest["indicator"] == "gdp")
        ]["yoy_pct"]
        base = {
            "check": "above/below city average",
            "region": r.region,
            "period": r.period,
            "indicator": r.indicator,
            "published": r.value,
            "tolerance": 0.0,
        }
        if own.dropna().empty or theirs.dropna().empty:
            missing = r.region if own.dropna().empty else city
            rows.append(
                {
                    **base,
                    "recomputed": np.nan,
                    "verdict": "not recomputable",
                    "detail": reason("check_no_gdp_growth", region=missing, period=r.period),
                }
            )
            continue
        diff = float(own.iloc[0] - theirs.iloc[0])
        computed = float(np.sign(diff))
        rows.append(
            {
                **base,
                "recomputed": computed,
                "verdict": "reproduced" if computed == r.value else "mismatch",
                "detail": reason("check_vs_city", own=own.iloc[0], theirs=theirs.iloc[0]),
            }
        )
    return rows


def plan_and_share_checks(latest: pd.DataFrame, *, catalog: Catalog | None = None) -> list[dict]:
    """Published plan shares and shares: recomputable only if the plan or whole is published."""
    rows = []
    for r in latest[latest["plan_pct"].notna()].itertuples():
        rows.append(
            {
                "check": "plan completion",
                "region": r.region,
                "period": r.period,
                "indicator": r.indicator,
                "published": r.plan_pct,
                "recomputed": np.nan,
                "tolerance": 0.05,
                "verdict": "not recomputable",
                "detail": reason(
                    "check_plan_unpublished",
                    implied=indicators.implied_total(r.value, r.plan_pct),
                ),
            }
        )
    cat = (catalog or load_catalog()).indicators
    for r in latest[latest["kind"].eq("share") & latest["value"].notna()].itertuples():
        whole = cat.loc[r.indicator, "share_whole"] if r.indicator in cat.index else ""
        have = latest[
            (latest["region"] == r.region)
            & (latest["period"] == r.period)
            & (latest["indicator"] == whole)
        ]
        if whole and not have.empty and have["value"].notna().any():
            part = latest[
                (latest["region"] == r.region)
                & (latest["period"] == r.period)
                & (latest["indicator"] == cat.loc[r.indicator, "share_part"])
            ]
            computed = indicators.share(part["value"].iloc[0], have["value"].iloc[0])
            ok = abs(computed - r.value) <= 0.5
            rows.append(
                {
                    "check": "share",
                    "region": r.region,
                    "period": r.period,
                    "indicator": r.indicator,
                    "published": r.value,
                    "recomputed": computed,
                    "tolerance": 0.5,
                    "verdict": "reproduced" if ok else "mismatch",
                    "detail": "",
                }
            )
        else:
            rows.append(
                {
                    "check": "share",
                    "region": r.region,
                    "period": r.period,
                    "indicator": r.indicator,
                    "published": r.value,
                    "recomputed": np.nan,
                    "tolerance": 0.5,
                    "verdict": "not recomputable",
                    "detail": (
                        reason("check_whole_unpublished", indicator=whole)
                        if whole
                        else reason("check_whole_unknown")
                    ),
                }
            )
    return rows


def reproduce_published(figures: pd.DataFrame, *, catalog: Catalog | None = None) -> pd.DataFrame:
    """Every published derived figure that other published figures bear on, rechecked.

    Parameters
    ----------
    figures : DataFrame
        The processed table (all vintages); the latest release of each figure is used.
    catalog : Catalog, optional
        Indicators, regions and peer groups (default: the shipped catalog).

    Returns
    -------
    DataFrame
        Columns ``check, region, period, indicator, published, recomputed, tolerance,
        verdict, detail``; ``verdict`` is one of ``VERDICTS``, ``detail`` a reason code
        (:mod:`analysis.reasons`).

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> table = reproduce_published(load_figures())
    >>> row = table[(table["region"] == "china") & (table["period"] == "2019H1")
    ...             & (table["indicator"] == "urban_income")].iloc[0]
    >>> row["verdict"], round(float(row["recomputed"]), 2)
    ('reproduced', 7.95)
    """
    actual = figures[~figures["is_target"]]
    latest = select_vintage(actual, which="latest")
    rows = [
        *growth_checks(latest, catalog=catalog),
        *two_year_checks(actual, latest),
        *rank_checks(latest, catalog=catalog),
        *relation_checks(latest, catalog=catalog),
        *plan_and_share_checks(latest, catalog=catalog),
    ]
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(
        ["check", "region", "period", "indicator"], kind="stable", ignore_index=True
    )
