"""The analysis a half-year report publishes: targets, judgment, problems, outlook.

Everything here reads the indicator table (``analysis.compute.indicator_table``) and the
indicator catalog, and returns tidy frames and small result objects whose statuses,
verdicts and findings are **codes with their numbers**; the words are the report's (its
text modules, in each language). The rules are listed, with their thresholds, in
``docs/report-rules.md``; each is tested on constructed cases.

- :func:`target_status`: every annual target with its first-half status. A target's
  achievement is the same indicator's first-half figure, or the indicator the catalog names
  in ``achieved_by`` (with ``achieved_measure``): the link is data, not code.
- :func:`judgment`: the overall reading (总体判断) of the headline indicator against last
  year, the earlier period of this year, the levels above and the peers, the count of
  targets ahead of and behind the time line, and a verdict chosen by the rules
  :data:`JUDGMENT_RULES`.
- :func:`problems`: what lags (存在问题), each finding with its numbers, by the rules
  :data:`PROBLEM_RULES`; an empty frame when nothing lags.
- :func:`outlook`: what the second half must deliver per target, and the full-year
  projections with their ranges (下半年形势预判).
- :func:`blocks`: the indicators grouped in the catalog's blocks, with the measures a
  block table shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.compute import indicators
from analysis.compute.indicator_table import wide
from analysis.errors import HalfyearError

#: The blocks of a report, in order (names in the text modules).
BLOCKS = (
    "economy",  # 经济总量
    "industry",  # 工业
    "investment",  # 投资
    "consumption",  # 消费
    "trade",  # 外贸外资
    "fiscal",  # 财政金融
    "income",  # 居民收入
    "projects",  # 项目建设
    "promotion",  # 招商引资
    "urban",  # 城市建设
    "ecology",  # 生态
    "livelihood",  # 民生
    "other",  # 其他
)

#: A change of growth smaller than this (in points) reads as flat (持平), not as faster
#: (加快) or slower (回落).
STEADY_PTS = 0.5

#: The measures of a target's achievement the catalog may name in ``achieved_measure``.
ACHIEVED_MEASURES = ("value", "yoy_pct", "plan_pct")

#: Target statuses, ahead of or on the time line / behind it / not assessable.
AHEAD = ("ahead", "completed", "met", "reached", "above")
BEHIND = ("behind", "not met", "below", "short")

#: Columns of :func:`target_status`.
TARGET_COLUMNS = (
    "indicator", "basis", "target", "qualifier", "unit", "achieved_by", "achieved",
    "progress_pct", "time_pct", "gap", "status", "h2_amount", "h2_vs_h1_pct", "h2_growth",
    "h2_reason",
)  # fmt: skip

#: Columns of :func:`problems`.
PROBLEM_COLUMNS = ("rule", "code", "indicator", "against", "value", "reference", "diff", "unit")

#: Columns of :func:`outlook`.
OUTLOOK_COLUMNS = (
    "indicator", "kind", "basis", "h2_amount", "h2_vs_h1_pct", "h2_growth", "unit",
    "method", "projected", "lower", "upper", "level", "target_level", "target_position",
    "status",
)  # fmt: skip

#: Measures a block table shows, in order (a column with no data is left out).
BLOCK_MEASURES = (
    "value", "yoy_pct", "growth_change_pts", "change_vs_earlier_pts", "plan_pct",
    "progress_gap_pts", "rank",
)  # fmt: skip

#: The judgment's rules, first match wins: (id, verdict, condition).
JUDGMENT_RULES = (
    ("J1", "undetermined", "no headline growth in the data"),
    ("J2", "pressure", "headline growth below zero"),
    (
        "J3",
        "pressure",
        "headline growth slower on every known comparison over time (at least one) "
        "and below every known level above (at least one)",
    ),
    ("J4", "easing", "headline growth slower on a known comparison over time"),
    ("J5", "easing", "more than half of the assessed targets behind"),
    (
        "J6",
        "advancing",
        "headline growth faster on a known comparison over time, or above every known "
        "level above (at least one); and no more targets behind than ahead",
    ),
    ("J7", "steady", "otherwise"),
)

#: The problem rules, in the order a report lists them: (id, code, condition).
PROBLEM_RULES = (
    ("P1", "target_behind", "a target with plan progress behind the time line"),
    ("P2", "growth_target_not_met", "growth below its annual growth target"),
    ("P3", "end_target_short", "a rate or year-end level short of its target"),
    ("P4", "decline", "an indicator moving the wrong way (growth below zero where higher is "
     "better, above zero where lower is better)"),
    ("P5", "slower_than_last_year", f"growth {STEADY_PTS} points or more below last year's"),
    ("P6", "slower_than_earlier", f"growth {STEADY_PTS} points or more below the earlier "
     "period of this year"),
    ("P7", "below_parent", "growth below a level above or the peer average"),
    ("P8", "adverse_count", "a count where lower is better above zero (projects not started)"),
    ("P9", "headline_missing", "a headline indicator with neither level nor growth"),
    ("P10", "target_unmeasured", "an annual target with no first-half figure to measure it"),
)  # fmt: skip


class AssessmentError(HalfyearError, ValueError):
    """A catalog whose blocks or target links the assessment cannot read."""


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _texts(column: pd.Series) -> pd.Series:
    """A column of words, '' where there is none."""
    return column.astype(object).where(column.notna(), "").astype(str)


def _catalog_indicators(catalog: Catalog | None) -> pd.DataFrame:
    """The indicator catalog: of the catalog given, or the shipped one."""
    return (catalog or load_catalog()).indicators


def check_catalog(cat: pd.DataFrame) -> pd.DataFrame:
    """The indicator catalog, checked for what the assessment reads from it.

    ``block`` must be one of :data:`BLOCKS`; ``achieved_by`` a known indicator code (or
    empty) and ``achieved_measure`` one of :data:`ACHIEVED_MEASURES` (or empty);
    ``headline`` a whole number (or empty).

    Raises
    ------
    AssessmentError
        Naming the indicators and values that are wrong, and what is allowed.

    Examples
    --------
    >>> cat = check_catalog(load_catalog().indicators)
    >>> cat.loc["gdp", "block"], cat.loc["road_network_planned", "achieved_by"]
    ('economy', 'roads_started')
    """
    problems = []
    for column in ("block", "headline", "achieved_by", "achieved_measure"):
        if column not in cat.columns:
            problems.append(f"no column {column!r}")
    if problems:
        raise AssessmentError(f"indicators.csv: {'; '.join(problems)}")
    bad = cat.loc[~cat["block"].isin(BLOCKS), "block"]
    if len(bad):
        problems.append(f"unknown block {dict(bad)}; allowed: {list(BLOCKS)}")
    links = cat.loc[cat["achieved_by"] != "", "achieved_by"]
    unknown = links[~links.isin(cat.index)]
    if len(unknown):
        problems.append(f"achieved_by names unknown indicators {dict(unknown)}")
    measures = cat.loc[cat["achieved_measure"] != "", "achieved_measure"]
    wrong = measures[~measures.isin(ACHIEVED_MEASURES)]
    if len(wrong):
        problems.append(f"achieved_measure {dict(wrong)}; allowed: {list(ACHIEVED_MEASURES)}")
    head = cat.loc[cat["headline"] != "", "headline"]
    if not head.str.fullmatch(r"\d+").all():
        problems.append(f"headline must be a whole number: {dict(head)}")
    if problems:
        raise AssessmentError("indicators.csv: " + "; ".join(problems))
    return cat


# --- the indicator table as the assessment reads it --------------------------------------


@dataclass(frozen=True)
class _View:
    """The indicator table pivoted (values, texts, reasons) with its catalog rows."""

    measures: pd.DataFrame
    texts: pd.DataFrame
    reasons: pd.DataFrame
    groups: pd.DataFrame
    cat: pd.DataFrame

    @classmethod
    def of(cls, table: pd.DataFrame, catalog: Catalog | None) -> _View:
        cat = check_catalog(_catalog_indicators(catalog))
        if table.empty:
            empty = pd.DataFrame(index=pd.Index([], name="indicator"))
            return cls(empty, empty, empty, empty, cat)
        groups = wide(table, column="group") if "group" in table.columns else pd.DataFrame()
        return cls(
            wide(table),
            wide(table, column="text"),
            wide(table, column="reason"),
            groups,
            cat,
        )

    def get(self, code: str, measure: str) -> float:
        if code not in self.measures.index or measure not in self.measures.columns:
            return np.nan
        return float(self.measures.loc[code, measure])

    def text(self, code: str, measure: str) -> str:
        if code not in self.texts.index or measure not in self.texts.columns:
            return ""
        value = self.texts.loc[code, measure]
        return "" if _nan(value) else str(value)

    def group(self, code: str, measure: str) -> str:
        """The peer group of a rank (published or computed), '' when none."""
        if code not in self.groups.index or measure not in self.groups.columns:
            return ""
        value = self.groups.loc[code, measure]
        return "" if _nan(value) else str(value)

    def reason(self, code: str, measure: str) -> str:
        if code not in self.reasons.index or measure not in self.reasons.columns:
            return ""
        value = self.reasons.loc[code, measure]
        return "" if _nan(value) else str(value)

    def info(self, code: str, column: str, default=""):
        if code in self.cat.index:
            return self.cat.loc[code, column]
        return default

    def kind(self, code: str) -> str:
        return self.info(code, "kind", "uncatalogued")

    def higher_is_better(self, code: str) -> bool:
        return bool(self.info(code, "higher_is_better", True))

    @property
    def time_pct(self) -> float:
        if "time_progress_pct" not in self.measures.columns:
            return np.nan
        known = self.measures["time_progress_pct"].dropna()
        return float(known.iloc[0]) if len(known) else np.nan

    def headlines(self) -> list[str]:
        """The catalog's headline indicators, in their order."""
        head = self.cat.loc[self.cat["headline"] != "", "headline"].astype(int)
        return list(head.sort_values(kind="stable").index)


# --- targets ------------------------------------------------------------------------------


def _time_status(gap: float, progress: float) -> str:
    if _nan(gap):
        return "no time line"
    if not _nan(progress) and progress >= 100:
        return "completed"
    rounded = round(gap, 1)
    return "ahead" if rounded > 0 else "behind" if rounded < 0 else "on time"


def _pace(h2_amount: float, achieved: float) -> float:
    """How much more (or less) the second half must deliver than the first, in percent."""
    if _nan(h2_amount) or _nan(achieved) or achieved <= 0 or h2_amount < 0:
        return np.nan
    return float((h2_amount / achieved - 1.0) * 100.0)


def _level_row(view: _View, code: str, target: float, source: str, measure: str) -> dict:
    """Status of a level target (amount or count against the time line; a rate or a
    year-end level against the target itself)."""
    achieved = view.get(source, measure) if source else np.nan
    unit = view.info(code, "unit") or ""
    row = {
        "indicator": code,
        "target": target,
        "qualifier": view.text(code, "target_value"),
        "unit": unit,
        "achieved_by": source if source != code else "",
        "achieved": achieved,
        "time_pct": view.time_pct,
    }
    kind = view.kind(source or code)
    if kind in ("rate", "share", "stock") or measure != "value":
        gap = achieved - target if view.higher_is_better(code) else target - achieved
        if _nan(achieved):
            status = "no achievement"
        else:
            status = "reached" if round(gap, 1) >= 0 else "short"
        return row | {"basis": "end_level", "gap": gap, "status": status}
    progress = indicators.plan_completion(achieved, target)
    gap = indicators.progress_gap(progress, view.time_pct)
    amount = indicators.required_h2_amount(level_target=target, completed=achieved)
    status = "no achievement" if _nan(achieved) else _time_status(gap, progress)
    return row | {
        "basis": "level",
        "progress_pct": progress,
        "gap": gap,
        "status": status,
        "h2_amount": amount,
        "h2_vs_h1_pct": _pace(amount, achieved),
    }


def _growth_row(view: _View, code: str, source: str) -> dict:
    target = view.get(code, "target_yoy_pct")
    qualifier = view.text(code, "target_yoy_pct")
    achieved = view.get(source, "yoy_pct") if source else np.nan
    reading = {"以上": "以上", "左右": "左右", "区间": "以上"}.get(qualifier, "")
    verdict = indicators.target_verdict(achieved, target, qualifier=reading)
    return {
        "indicator": code,
        "basis": "growth",
        "target": target,
        "qualifier": qualifier,
        "unit": "%",
        "achieved_by": source if source != code else "",
        "achieved": achieved,
        "time_pct": view.time_pct,
        "gap": achieved - target,
        "status": "no achievement" if verdict == "no data" else verdict,
        "h2_growth": view.get(code, "required_h2_growth") if source == code else np.nan,
        "h2_reason": view.reason(code, "required_h2_growth") if source == code else "",
    }


def _plan_row(view: _View, code: str) -> dict:
    progress = view.get(code, "plan_pct")
    amount = view.get(code, "required_h2_amount")
    achieved = view.get(code, "value")
    return {
        "indicator": code,
        "basis": "plan",
        "target": view.get(code, "annual_plan_implied"),
        "qualifier": "",
        "unit": view.info(code, "unit") or "",
        "achieved_by": "",
        "achieved": achieved,
        "progress_pct": progress,
        "time_pct": view.time_pct,
        "gap": view.get(code, "progress_gap_pts"),
        "status": _time_status(view.get(code, "progress_gap_pts"), progress),
        "h2_amount": amount,
        "h2_vs_h1_pct": _pace(amount, achieved),
    }


def _achievement(view: _View, code: str, default_measure: str) -> tuple[str, str]:
    """The indicator and measure that hold a target's first-half achievement."""
    linked = view.info(code, "achieved_by") or ""
    measure = view.info(code, "achieved_measure") or default_measure
    source = linked or code
    has = source in view.measures.index and not _nan(view.get(source, measure))
    return (source if has else ""), measure


def target_status(table: pd.DataFrame, *, catalog: Catalog | None = None) -> pd.DataFrame:
    """Every annual target of the table with its first-half status.

    One row per target: a growth target (``basis='growth'``: the first-half growth against
    it, ``status`` one of 'met', 'not met', 'above', 'below'), a level target of an amount
    or a count (``'level'``: progress against the time line, ahead or behind in points, what
    the second half must deliver and how that compares with the first half's pace), a rate
    or year-end level (``'end_level'``: 'reached' or 'short', the gap in its unit), or a
    published share of the annual plan (``'plan'``). A target whose achievement the data do
    not hold has status 'no achievement'.

    Parameters
    ----------
    table : DataFrame
        The indicator table of one region and period.
    catalog : Catalog, optional
        The catalog (default: the shipped one); its ``achieved_by`` and ``achieved_measure``
        link a target to the indicator that measures it.

    Returns
    -------
    DataFrame
        Columns :data:`TARGET_COLUMNS`; ``gap`` is in points (or the target's unit for an
        ``end_level``), ``h2_vs_h1_pct`` how much more than the first half the second half
        must deliver.

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> from analysis.compute.indicator_table import indicator_table
    >>> t = indicator_table(load_figures(), region="erqi", period="2019H1")
    >>> s = target_status(t).set_index("indicator")
    >>> row = s.loc["major_project_investment"]
    >>> float(row["progress_pct"]), float(row["gap"]), row["status"]
    (51.0, 1.0, 'ahead')
    >>> float(round(s.loc["eco_project_investment", "gap"], 1))
    22.9
    """
    view = _View.of(table, catalog)
    rows = []
    for code in view.measures.index:
        if not _nan(view.get(code, "target_yoy_pct")):
            source, _ = _achievement(view, code, "yoy_pct")
            rows.append(_growth_row(view, code, source))
        target = view.get(code, "target_value")
        if not _nan(target):
            source, measure = _achievement(view, code, "value")
            rows.append(_level_row(view, code, target, source, measure))
        elif not _nan(view.get(code, "plan_pct")):
            rows.append(_plan_row(view, code))
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    for column in ("qualifier", "unit", "achieved_by", "h2_reason", "status", "basis"):
        frame[column] = _texts(frame[column])
    numbers = [c for c in TARGET_COLUMNS if c not in ("indicator", "qualifier", "unit",
                                                        "achieved_by", "h2_reason", "status",
                                                        "basis")]  # fmt: skip
    return frame.astype({c: "float64" for c in numbers})


# --- judgment -----------------------------------------------------------------------------

_PARENT_ORDER = ("city", "province", "nation")
_GAP = re.compile(r"^gap_(\w+)_pts$")


def _direction_in_time(diff: float) -> str:
    if _nan(diff):
        return "unknown"
    if diff >= STEADY_PTS:
        return "faster"
    if diff <= -STEADY_PTS:
        return "slower"
    return "flat"


def _direction_in_space(diff: float) -> str:
    if _nan(diff):
        return "unknown"
    rounded = round(diff, 1)
    return "above" if rounded > 0 else "below" if rounded < 0 else "equal"


def comparisons(
    table: pd.DataFrame, indicator: str, *, catalog: Catalog | None = None
) -> pd.DataFrame:
    """An indicator's growth against last year, the earlier period, the levels above, peers.

    Returns
    -------
    DataFrame
        One row per comparison: ``against`` ('last_year', 'earlier', a level such as
        'province', or 'peers'), ``region`` (the parent's code where there is one),
        ``reference`` (their growth), ``diff`` (points: this growth minus theirs) and
        ``direction`` ('faster', 'slower', 'flat' over time, within :data:`STEADY_PTS`;
        'above', 'below', 'equal' against others; 'unknown' without a figure).

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> from analysis.compute.indicator_table import indicator_table
    >>> t = indicator_table(load_figures(), region="erqi", period="2019H1")
    >>> c = comparisons(t, "gdp").set_index("against")
    >>> c.loc[["province", "nation"], ["reference", "direction"]].values.tolist()
    [[7.7, 'above'], [6.3, 'above']]
    """
    view = _View.of(table, catalog)
    return _comparisons(view, indicator)


def _comparisons(view: _View, code: str) -> pd.DataFrame:
    rows = []
    for against, growth, change in (
        ("last_year", "prev_yoy_pct", "growth_change_pts"),
        ("earlier", "earlier_yoy_pct", "change_vs_earlier_pts"),
    ):
        diff = view.get(code, change)
        rows.append(
            {
                "against": against,
                "region": "",
                "reference": view.get(code, growth),
                "diff": diff,
                "direction": _direction_in_time(diff),
            }
        )
    levels = [m.group(1) for c in view.measures.columns if (m := _GAP.match(c))]
    levels = [lv for lv in levels if lv != "peer_avg"]
    levels.sort(key=lambda lv: _PARENT_ORDER.index(lv) if lv in _PARENT_ORDER else 99)
    for level in levels:
        diff = view.get(code, f"gap_{level}_pts")
        rows.append(
            {
                "against": level,
                "region": view.text(code, f"yoy_{level}") or view.text(code, f"gap_{level}_pts"),
                "reference": view.get(code, f"yoy_{level}"),
                "diff": diff,
                "direction": _direction_in_space(diff),
            }
        )
    diff = view.get(code, "gap_peer_avg_pts")
    rows.append(
        {
            "against": "peers",
            "region": "",
            "reference": view.get(code, "peer_avg_yoy"),
            "diff": diff,
            "direction": _direction_in_space(diff),
        }
    )
    return pd.DataFrame(rows, columns=["against", "region", "reference", "diff", "direction"])


@dataclass(frozen=True)
class Judgment:
    """The overall reading of a region's period (总体判断), as codes and numbers.

    Attributes
    ----------
    headline : str
        The indicator the judgment reads (the first of the catalog's headline indicators
        with a growth rate), '' when none has one.
    growth : float
        Its growth (NaN when there is none).
    comparisons : DataFrame
        See :func:`comparisons` (empty without a headline).
    targets : dict
        Counts: ``total``, ``assessed``, ``ahead``, ``behind``, ``on_time``,
        ``unmeasured``.
    verdict : str
        'advancing' (稳中有进), 'steady' (总体平稳), 'easing' (稳中趋缓), 'pressure'
        (下行压力加大) or 'undetermined'.
    rule : str
        The id of the rule in :data:`JUDGMENT_RULES` that chose the verdict.
    """

    headline: str
    growth: float
    comparisons: pd.DataFrame = field(repr=False)
    targets: dict
    verdict: str
    rule: str


def _target_counts(status: pd.DataFrame) -> dict:
    states = status["status"]
    assessed = states.isin(AHEAD + BEHIND + ("on time",))
    return {
        "total": len(states),
        "assessed": int(assessed.sum()),
        "ahead": int(states.isin(AHEAD).sum()),
        "behind": int(states.isin(BEHIND).sum()),
        "on_time": int((states == "on time").sum()),
        "unmeasured": int((states == "no achievement").sum()),
    }


def choose_verdict(growth: float, comparisons: pd.DataFrame, targets: dict) -> tuple[str, str]:
    """The verdict and the id of the rule that chose it (:data:`JUDGMENT_RULES`).

    Examples
    --------
    >>> c = pd.DataFrame({"against": ["last_year", "province"], "diff": [1.0, 0.3],
    ...                   "direction": ["faster", "above"]})
    >>> choose_verdict(8.0, c, {"assessed": 3, "ahead": 2, "behind": 1})
    ('advancing', 'J6')
    >>> choose_verdict(-1.0, c, {"assessed": 0, "ahead": 0, "behind": 0})
    ('pressure', 'J2')
    """
    if _nan(growth):
        return "undetermined", "J1"
    if growth < 0:
        return "pressure", "J2"
    in_time = comparisons.loc[comparisons["against"].isin(["last_year", "earlier"])]
    in_time = in_time.loc[in_time["direction"] != "unknown", "direction"]
    in_space = comparisons.loc[comparisons["against"].isin(_PARENT_ORDER)]
    in_space = in_space.loc[in_space["direction"] != "unknown", "direction"]
    slowed_all = len(in_time) > 0 and (in_time == "slower").all()
    below_all = len(in_space) > 0 and (in_space == "below").all()
    if slowed_all and below_all:
        return "pressure", "J3"
    if (in_time == "slower").any():
        return "easing", "J4"
    behind, ahead = targets.get("behind", 0), targets.get("ahead", 0)
    if behind * 2 > targets.get("assessed", 0) and behind > 0:
        return "easing", "J5"
    above_all = len(in_space) > 0 and (in_space == "above").all()
    if ((in_time == "faster").any() or above_all) and behind <= ahead:
        return "advancing", "J6"
    return "steady", "J7"


def _headline(view: _View) -> str:
    for code in view.headlines():
        if not _nan(view.get(code, "yoy_pct")):
            return code
    return ""


def judgment(
    table: pd.DataFrame, *, catalog: Catalog | None = None, targets: pd.DataFrame | None = None
) -> Judgment:
    """The overall reading of the period by the rules :data:`JUDGMENT_RULES`.

    Parameters
    ----------
    table : DataFrame
        The indicator table of one region and period.
    catalog : Catalog, optional
        The catalog (default: the shipped one); ``headline`` orders the indicators the
        judgment may lead with.
    targets : DataFrame, optional
        :func:`target_status` of the table (computed when not given).

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> from analysis.compute.indicator_table import indicator_table
    >>> t = indicator_table(load_figures(), region="erqi", period="2019H1")
    >>> j = judgment(t)
    >>> j.headline, j.growth, j.verdict, j.rule
    ('gdp', 8.0, 'advancing', 'J6')
    """
    view = _View.of(table, catalog)
    status = target_status(table, catalog=catalog) if targets is None else targets
    counts = _target_counts(status)
    code = _headline(view)
    if not code:
        empty = pd.DataFrame(columns=["against", "region", "reference", "diff", "direction"])
        verdict, rule = choose_verdict(np.nan, empty, counts)
        return Judgment("", np.nan, empty, counts, verdict, rule)
    growth = view.get(code, "yoy_pct")
    comp = _comparisons(view, code)
    verdict, rule = choose_verdict(growth, comp, counts)
    return Judgment(code, growth, comp, counts, verdict, rule)


# --- problems -----------------------------------------------------------------------------


def _problem(rule: str, indicator: str, **numbers) -> dict:
    code = {r[0]: r[1] for r in PROBLEM_RULES}[rule]
    row = {"rule": rule, "code": code, "indicator": indicator, "against": "", "unit": ""}
    return row | numbers


def _target_problems(status: pd.DataFrame) -> list[dict]:
    out = []
    for r in status.itertuples():
        if r.basis in ("level", "plan") and r.status == "behind":
            out.append(_problem("P1", r.indicator, value=r.progress_pct, reference=r.time_pct,
                                diff=r.gap, unit="%"))  # fmt: skip
    for r in status.itertuples():
        if r.basis == "growth" and r.status in ("not met", "below"):
            out.append(_problem("P2", r.indicator, value=r.achieved, reference=r.target,
                                diff=r.gap, unit="%", against=r.qualifier))  # fmt: skip
    for r in status.itertuples():
        if r.basis == "end_level" and r.status == "short":
            out.append(_problem("P3", r.indicator, value=r.achieved, reference=r.target,
                                diff=r.gap, unit=r.unit))  # fmt: skip
    return out


def _growth_problems(view: _View) -> list[dict]:
    out = []
    for code in view.measures.index:
        growth = view.get(code, "yoy_pct")
        if _nan(growth) or view.kind(code) in ("rank", "relation"):
            continue
        if (growth < 0) if view.higher_is_better(code) else (growth > 0):
            out.append(_problem("P4", code, value=growth, unit="%"))
    for rule, change, before in (
        ("P5", "growth_change_pts", "prev_yoy_pct"),
        ("P6", "change_vs_earlier_pts", "earlier_yoy_pct"),
    ):
        for code in view.measures.index:
            diff = view.get(code, change)
            if _direction_in_time(diff) == "slower" and view.higher_is_better(code):
                out.append(_problem(rule, code, value=view.get(code, "yoy_pct"),
                                    reference=view.get(code, before), diff=diff,
                                    unit="个百分点"))  # fmt: skip
    for code in view.measures.index:
        if not view.higher_is_better(code):
            continue
        comp = _comparisons(view, code)
        below = comp.loc[~comp["against"].isin(["last_year", "earlier"])]
        for r in below.loc[below["direction"] == "below"].itertuples():
            out.append(_problem("P7", code, against=r.against, value=view.get(code, "yoy_pct"),
                                reference=r.reference, diff=r.diff,
                                unit="个百分点"))  # fmt: skip
    return out


def _data_problems(view: _View, status: pd.DataFrame) -> list[dict]:
    out = []
    for code in view.measures.index:
        value = view.get(code, "value")
        if view.kind(code) == "count" and not view.higher_is_better(code) and value > 0:
            out.append(_problem("P8", code, value=value, unit=view.info(code, "unit")))
    for code in view.headlines():
        if _nan(view.get(code, "value")) and _nan(view.get(code, "yoy_pct")):
            out.append(_problem("P9", code))
    for r in status.loc[status["status"] == "no achievement"].itertuples():
        out.append(_problem("P10", r.indicator, reference=r.target, unit=r.unit))
    return out


def problems(
    table: pd.DataFrame, *, catalog: Catalog | None = None, targets: pd.DataFrame | None = None
) -> pd.DataFrame:
    """What lags (存在问题), by the rules :data:`PROBLEM_RULES`, each with its numbers.

    Returns
    -------
    DataFrame
        Columns :data:`PROBLEM_COLUMNS`, in rule order: ``value`` is the figure that lags,
        ``reference`` what it is measured against (the time line, the target, last year's
        growth, the level above named in ``against``), ``diff`` the gap in points (or in
        ``unit``). Empty when no rule finds anything.

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> from analysis.compute.indicator_table import indicator_table
    >>> t = indicator_table(load_figures(), region="erqi", period="2019H1")
    >>> p = problems(t)
    >>> p.loc[p["code"] == "adverse_count", ["indicator", "value"]].values.tolist()
    [['provincial_key_projects_not_started', 12.0], ['municipal_key_projects_not_started', 12.0]]
    """
    view = _View.of(table, catalog)
    status = target_status(table, catalog=catalog) if targets is None else targets
    rows = _target_problems(status) + _growth_problems(view) + _data_problems(view, status)
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    order = {r[0]: i for i, r in enumerate(PROBLEM_RULES)}
    frame = frame.iloc[np.argsort(frame["rule"].map(order).to_numpy(), kind="stable")]
    frame = frame.reset_index(drop=True)
    for column in ("against", "unit"):
        frame[column] = _texts(frame[column])
    return frame.astype({c: "float64" for c in ("value", "reference", "diff")})


# --- outlook ------------------------------------------------------------------------------


def _projection_row(code: str, result, targets: pd.DataFrame) -> dict:
    """The lead method's full-year projection with its range, against the growth target."""
    table = result.table().set_index("method")
    method, _why = result.lead_method()
    row = {"indicator": code, "kind": "projection", "level": float(result.level)}
    if not method:
        return row | {"status": "no method"}
    lead = table.loc[method]
    row |= {
        "method": method,
        "projected": float(lead["projected"]),
        "lower": float(lead["lower"]),
        "upper": float(lead["upper"]),
        "status": "ok",
    }
    if "target_path" in table.index and table.loc["target_path", "status"] == "ok":
        goal = float(table.loc["target_path", "projected"])
        row["target_level"] = goal
        low = row["lower"] if not _nan(row["lower"]) else row["projected"]
        high = row["upper"] if not _nan(row["upper"]) else row["projected"]
        row["target_position"] = (
            "above range" if goal > high else "below range" if goal < low else "within range"
        )
    return row


def outlook(targets: pd.DataFrame, projections: Mapping[str, object] | None = None) -> pd.DataFrame:
    """What the second half must deliver, and the full year projected (下半年形势预判).

    Parameters
    ----------
    targets : DataFrame
        :func:`target_status`.
    projections : mapping of indicator code to ``ProjectionResult``, optional
        Results of :func:`analysis.compute.projection.project`; the lead method's
        projection and range are taken, and the growth target's full-year level (the
        ``target_path`` method) is placed against that range.

    Returns
    -------
    DataFrame
        Columns :data:`OUTLOOK_COLUMNS`: one ``kind='target'`` row per target still to be
        delivered (amount, pace against the first half, required growth), then one
        ``kind='projection'`` row per projected indicator (``target_position`` 'above
        range', 'within range' or 'below range' where the target gives a full year).

    Examples
    --------
    >>> status = pd.DataFrame([{"indicator": "roads", "basis": "level", "unit": "条",
    ...     "h2_amount": 66.0, "h2_vs_h1_pct": 8.2, "h2_growth": np.nan,
    ...     "status": "behind"}])
    >>> outlook(status)[["indicator", "kind", "h2_amount"]].values.tolist()
    [['roads', 'target', 66.0]]
    """
    rows = []
    for r in targets.itertuples():
        if r.status in ("no achievement", "completed", "reached"):
            continue
        if _nan(r.h2_amount) and _nan(r.h2_growth):
            continue
        rows.append(
            {
                "indicator": r.indicator,
                "kind": "target",
                "basis": r.basis,
                "h2_amount": r.h2_amount,
                "h2_vs_h1_pct": r.h2_vs_h1_pct,
                "h2_growth": r.h2_growth,
                "unit": r.unit,
                "status": r.status,
            }
        )
    for code, result in (projections or {}).items():
        rows.append(_projection_row(code, result, targets))
    frame = pd.DataFrame(rows, columns=list(OUTLOOK_COLUMNS))
    texts = ("indicator", "kind", "basis", "unit", "method", "target_position", "status")
    for column in texts:
        frame[column] = _texts(frame[column])
    return frame.astype({c: "float64" for c in OUTLOOK_COLUMNS if c not in texts})


# --- blocks -------------------------------------------------------------------------------


def blocks(table: pd.DataFrame, *, catalog: Catalog | None = None) -> pd.DataFrame:
    """The indicators of the table in the catalog's blocks, with the measures they show.

    A published rank of an indicator in the table (the catalog's ``rank_of``) is shown in
    that indicator's ``rank`` column rather than on a row of its own; otherwise ``rank`` is
    the rank by growth among the peers. Uncatalogued indicators go to 'other'.

    Returns
    -------
    DataFrame
        ``block, indicator`` and :data:`BLOCK_MEASURES`, blocks in :data:`BLOCKS` order,
        indicators in catalog order within a block; ``rank_source`` says where a rank came
        from ('published' or 'peers') and ``rank_group`` the peer group it is among.

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> from analysis.compute.indicator_table import indicator_table
    >>> t = indicator_table(load_figures(), region="erqi", period="2019H1")
    >>> b = blocks(t)
    >>> b.groupby("block", sort=False).size().head(3).to_dict()
    {'economy': 1, 'income': 2, 'projects': 10}
    """
    view = _View.of(table, catalog)
    cat = view.cat
    folded = {
        code: cat.loc[code, "rank_of"]
        for code in view.measures.index
        if view.kind(code) == "rank"
        and code in cat.index
        and cat.loc[code, "rank_of"] in view.measures.index
        and not _nan(view.get(code, "value"))
    }
    published = {of: code for code, of in folded.items() if cat.loc[code, "rank_by"] == "yoy_pct"}
    rows = []
    for code in view.measures.index:
        if code in folded:
            continue
        row = {"block": view.info(code, "block", "other") or "other", "indicator": code}
        for measure in BLOCK_MEASURES[:-1]:
            row[measure] = view.get(code, measure)
        if view.kind(code) == "rank":
            row["value"] = np.nan
            row["rank"], row["rank_source"] = view.get(code, "value"), "published"
            row["rank_group"] = view.group(code, "value")
        elif code in published:
            row["rank"], row["rank_source"] = view.get(published[code], "value"), "published"
            row["rank_group"] = view.group(published[code], "value")
        else:
            rank = view.get(code, "rank_yoy")
            row["rank"], row["rank_source"] = rank, ("" if _nan(rank) else "peers")
            row["rank_group"] = "" if _nan(rank) else view.group(code, "rank_yoy")
        rows.append(row)
    columns = ["block", "indicator", *BLOCK_MEASURES, "rank_source", "rank_group"]
    frame = pd.DataFrame(rows, columns=columns)
    position = {code: i for i, code in enumerate(cat.index)}
    frame = frame.assign(
        _b=frame["block"].map({b: i for i, b in enumerate(BLOCKS)}),
        _i=frame["indicator"].map(lambda c: position.get(c, len(position))),
    )
    frame = frame.sort_values(["_b", "_i"], kind="stable").drop(columns=["_b", "_i"])
    return frame.reset_index(drop=True)


def columns_with_data(frame: pd.DataFrame) -> list[str]:
    """The measures of a block table that hold at least one figure (the columns to show).

    Examples
    --------
    >>> b = pd.DataFrame({"indicator": ["gdp"], "value": [323.3], "yoy_pct": [8.0],
    ...                   "plan_pct": [np.nan], "rank": [np.nan]})
    >>> columns_with_data(b)
    ['value', 'yoy_pct']
    """
    return [m for m in BLOCK_MEASURES if m in frame.columns and frame[m].notna().any()]


# --- everything at once -------------------------------------------------------------------


def projected_indicators(table: pd.DataFrame, *, catalog: Catalog | None = None) -> list[str]:
    """The headline indicators the outlook projects: cumulative flows with a level this period.

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> from analysis.compute.indicator_table import indicator_table
    >>> projected_indicators(indicator_table(load_figures(), region="erqi", period="2019H1"))
    ['gdp']
    """
    view = _View.of(table, catalog)
    return [
        code
        for code in view.headlines()
        if view.kind(code) == "flow" and not _nan(view.get(code, "value"))
    ]


@dataclass(frozen=True)
class Assessment:
    """The report's analysis of one region and period: every part, computed once.

    Attributes
    ----------
    targets : DataFrame
        :func:`target_status`.
    judgment : Judgment
        :func:`judgment`.
    problems : DataFrame
        :func:`problems`.
    outlook : DataFrame
        :func:`outlook`.
    blocks : DataFrame
        :func:`blocks`.
    """

    targets: pd.DataFrame = field(repr=False)
    judgment: Judgment
    problems: pd.DataFrame = field(repr=False)
    outlook: pd.DataFrame = field(repr=False)
    blocks: pd.DataFrame = field(repr=False)


def assess(
    table: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    projections: Mapping[str, object] | None = None,
) -> Assessment:
    """Targets, judgment, problems, outlook and blocks of one indicator table.

    Parameters
    ----------
    table : DataFrame
        The indicator table of one region and period.
    catalog : Catalog, optional
        The catalog (default: the shipped one).
    projections : mapping of indicator code to ``ProjectionResult``, optional
        Full-year projections for the outlook (see :func:`projected_indicators`).

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> from analysis.compute.indicator_table import indicator_table
    >>> a = assess(indicator_table(load_figures(), region="erqi", period="2019H1"))
    >>> a.judgment.verdict, len(a.targets), a.problems["rule"].iloc[0]
    ('advancing', 9, 'P1')
    """
    targets = target_status(table, catalog=catalog)
    return Assessment(
        targets=targets,
        judgment=judgment(table, catalog=catalog, targets=targets),
        problems=problems(table, catalog=catalog, targets=targets),
        outlook=outlook(targets, projections),
        blocks=blocks(table, catalog=catalog),
    )
