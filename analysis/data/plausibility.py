"""Figures that cannot be real, found by rules kept as data.

The rules are ``analysis/reference/plausibility.csv``, one a row:

- ``rule``: its name; ``reason``: what a person reads in rejects.csv (or the ``flag``
  column) before the figure's own numbers;
- ``applies_to``: which figures: ``*``, ``kind=<kind>`` (flow, count ...),
  ``dimension=<dimension>`` of the figure's unit (money, count ...), ``per_capita`` or
  ``not_per_capita`` (by 人均 in the indicator's name), ``actual`` or ``target``,
  ``catalogued``;
- ``check`` and ``limit``: ``min`` and ``max`` (the value in the smallest unit of its
  dimension, yuan for money, against ``limit``), ``whole`` (a whole number in that
  unit), ``year_ahead`` (the period's year at most ``limit`` years after the current
  one), ``unit_per_capita`` (the unit as written says per person: 元/人, 人均),
  ``unit_at_least`` (the unit as written is ``limit`` yuan or more: 亿元 ...),
  ``region_name`` and ``indicator_name`` (a code and a name in the same row that the
  catalog says are of two different regions or indicators), ``cumulative`` (a
  year-to-date figure larger than a later one of the same year: H1 > FY);
- ``action``: ``reject`` (the row goes to rejects.csv with the reason) or ``flag`` (the
  figure is kept, the reason in its ``flag`` column, since it cannot be told which of
  two figures is wrong).

:func:`check` applies the row rules to the records of one file (rows read = kept +
rejected still holds), each rejected row with the English reason and the reason code
``reject_implausible check=<rule> value=...``; :func:`flag` applies the rules across rows to
the whole table. A new rule needs its words for readers in ``analysis/report/texts/zh.py``
and ``en.py`` (``ARG_WORDS["check"]``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from analysis.data import cleaning
from analysis.errors import HalfyearError
from analysis.reasons import reasons as reason_codes

__all__ = ["CHECKS", "RuleError", "check", "flag", "rules"]

#: The checks a rule may name; the row checks, then the checks across rows.
CHECKS = ("min", "max", "whole", "year_ahead", "unit_per_capita", "unit_at_least",
          "region_name", "indicator_name", "cumulative")  # fmt: skip
_ACROSS_ROWS = ("cumulative",)
_PER_CAPITA = re.compile("/人|人均|percapita", re.IGNORECASE)
_SELECTORS = ("*", "per_capita", "not_per_capita", "actual", "target", "catalogued")
_REJECT_COLUMNS = ["source_file", "source_line", "source_column", "reason", "code"]


class RuleError(HalfyearError):
    """A rule of plausibility.csv that cannot be applied (the message names the row)."""


@cache
def rules() -> pd.DataFrame:
    """The rules of ``analysis/reference/plausibility.csv``, checked.

    Examples
    --------
    >>> table = rules()
    >>> table.loc["negative_flow", ["applies_to", "check", "action"]].tolist()
    ['kind=flow', 'min', 'reject']
    """
    path = resources.files("analysis") / "reference" / "plausibility.csv"
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    for line, row in enumerate(table.itertuples(), 2):
        where = f"plausibility.csv, line {line} ({row.rule})"
        if row.check not in CHECKS:
            raise RuleError(f"{where}: unknown check {row.check!r}; known: {', '.join(CHECKS)}")
        if row.action not in ("reject", "flag"):
            raise RuleError(f"{where}: action must be reject or flag, not {row.action!r}")
        selector = row.applies_to.split("=")[0]
        if row.applies_to not in _SELECTORS and selector not in ("kind", "dimension"):
            raise RuleError(
                f"{where}: unknown applies_to {row.applies_to!r}; allowed: "
                f"{', '.join(_SELECTORS)}, kind=<kind>, dimension=<dimension>"
            )
        if row.check in ("min", "max", "year_ahead", "unit_at_least"):
            try:
                float(row.limit)
            except ValueError:
                raise RuleError(f"{where}: {row.check} needs a number as limit") from None
    return table.set_index("rule")


# --- facts about each record ----------------------------------------------------------------


@cache
def _unit_facts(unit: str) -> tuple[str, float]:
    """The dimension of a unit and its size in the smallest unit of that dimension."""
    try:
        dimension = cleaning.unit_dimension(unit)
    except (cleaning.CleaningError, KeyError):
        return "", math.nan
    units = cleaning.known_units(dimension=dimension)
    to_first = {u: cleaning.convert_unit(1.0, from_unit=u, to_unit=units[0]) for u in units}
    smallest = min(to_first, key=to_first.get)
    return dimension, cleaning.convert_unit(1.0, from_unit=unit, to_unit=smallest)


def _raw_text(raw: pd.DataFrame, name: str) -> pd.Series:
    if name not in raw:
        return pd.Series("", index=raw.index, dtype="str")
    return raw[name].fillna("").astype(str)


def _per_distinct(column: pd.Series, function, dtype=object) -> np.ndarray:
    """``function`` of each row's value, called once per distinct value (an array)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=dtype)
    for i, value in enumerate(uniques):
        results[i] = function(value)
    return results[codes]


def _selected(
    applies_to: str, records: pd.DataFrame, dimension, *, per_capita: np.ndarray | None = None
) -> np.ndarray:
    """The rows a rule applies to; ``dimension``: the dimension of each row's unit, or a
    function of a dimension value that gives those rows; ``per_capita``: which rows are of
    a per-capita indicator, when known."""
    n = len(records)
    if applies_to == "*":
        return np.ones(n, dtype=bool)
    if applies_to in ("per_capita", "not_per_capita"):
        if per_capita is None:
            per_capita = _per_distinct(records["indicator_zh"], lambda t: "人均" in t, bool)
        if applies_to == "per_capita":
            return per_capita
        return ~per_capita & records["catalogued"].to_numpy(dtype=bool)
    if applies_to in ("actual", "target"):
        target = records["is_target"].to_numpy(dtype=bool)
        return ~target if applies_to == "actual" else target
    if applies_to == "catalogued":
        return records["catalogued"].to_numpy(dtype=bool)
    what, _, value = applies_to.partition("=")
    if what == "kind":
        return (records["kind"] == value).to_numpy(dtype=bool)
    if callable(dimension):
        return dimension(value)
    dimension = pd.Series(dimension, index=records.index, dtype=object).fillna("")
    return _per_distinct(dimension, lambda d: d == value or d.startswith(value + ":"), bool)


def _names_differ(codes: pd.Series, names: pd.Series, lookup) -> np.ndarray:
    """Rows whose name the catalog resolves to another code than the row's."""

    def differ(pair: tuple[str, str]) -> bool:
        code, name = pair
        if not code or not name:
            return False
        try:
            named = lookup(name)
        except HalfyearError:
            named = None
        return bool(named and named != code)

    out = np.zeros(len(codes), dtype=bool)
    named = np.flatnonzero((names != "").to_numpy(dtype=bool))  # a row without a name agrees
    if not len(named):
        return out
    codes, names = codes.iloc[named], names.iloc[named]
    code_of, code_values = pd.factorize(codes, use_na_sentinel=False)
    name_of, name_values = pd.factorize(names, use_na_sentinel=False)
    width = max(len(name_values), 1)
    pair_of, pairs = pd.factorize(code_of * width + name_of)
    results = np.array(
        [differ((code_values[p // width], name_values[p % width])) for p in pairs], dtype=bool
    )
    out[named] = results[pair_of]
    return out


def check(
    records: pd.DataFrame, raw: pd.DataFrame, *, catalog, today: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split one file's records into plausible ones and rows rejected by a rule.

    Parameters
    ----------
    records : DataFrame
        Valid records of the processed table's columns.
    raw : DataFrame
        The raw row each record was read from, one per record in the same order (for the
        unit, region name and indicator name as written).
    catalog : Catalog
        Regions and indicators, to tell whether a code and a name disagree.
    today : date, optional
        The current date (for periods in the future); default today.

    Returns
    -------
    kept, rejected : DataFrame
        ``rejected`` has ``source_file``, ``source_line``, ``source_column``, ``reason``.

    Examples
    --------
    >>> from analysis.data.pipeline import standardize
    >>> raw = pd.DataFrame({"region": ["erqi"] * 2, "period": ["2019H1"] * 2,
    ...     "indicator": ["gdp", "major_projects"], "value": ["-323.3", "3.5"],
    ...     "unit": ["亿元", "个"], "source_file": ["x.csv"] * 2, "source_line": ["2", "3"]})
    >>> kept, rejected = standardize(raw)
    >>> len(kept), [r.split(":")[0] for r in rejected["reason"]]
    (0, ['negative', 'not a whole number'])
    """
    if records.empty:
        return records, pd.DataFrame(columns=_REJECT_COLUMNS)
    if len(raw) != len(records):
        raise ValueError(
            f"one raw row per record is needed: {len(raw)} rows, {len(records)} records"
        )
    today = today or dt.date.today()
    n = len(records)
    written = {
        c: _raw_text(raw, c).set_axis(records.index) for c in ("unit", "region_zh", "indicator_zh")
    }
    # facts about each distinct unit, spread over the rows
    unit_of, units = pd.factorize(records["unit"], use_na_sentinel=False)
    facts = [_unit_facts(u) for u in units]
    size = np.array([f[1] for f in facts], dtype=float)[unit_of] if n else np.zeros(0)
    base = records["value"].to_numpy(dtype=float) * size

    def dimension(value: str) -> np.ndarray:  # the rows whose unit is of this dimension
        match = [f[0] == value or f[0].startswith(value + ":") for f in facts]
        return np.array(match, dtype=bool)[unit_of]

    # facts about each distinct unit as written (one factorization, three columns)
    written_of, written_units = pd.factorize(written["unit"], use_na_sentinel=False)
    facts_written = [_written_facts(u) for u in written_units]
    per_capita_unit = np.array([f[0] for f in facts_written], dtype=bool)[written_of]
    money_written = np.array([f[1] == "money" for f in facts_written], dtype=bool)[written_of]
    written_size = np.array([f[2] for f in facts_written], dtype=float)[written_of]
    per_capita = _per_distinct(records["indicator_zh"], lambda t: "人均" in t, dtype=bool)
    reasons = np.full(n, "", dtype=object)
    codes = np.full(n, "", dtype=object)

    def figure(bad: np.ndarray) -> pd.Series:  # "value unit", formatted for the bad rows only
        rows = records.loc[bad]
        return rows["value"].map("{:g}".format) + " " + rows["unit"]

    for name, rule in rules().iterrows():
        if rule["action"] != "reject" or rule["check"] in _ACROSS_ROWS:
            continue
        limit = float(rule["limit"]) if rule["limit"] else math.nan
        test = rule["check"]
        if test == "min":
            bad, said = base < limit, figure
        elif test == "max":
            bad, said = base > limit, figure
        elif test == "whole":
            bad = np.abs(base - np.round(base)) > 1e-6 * np.maximum(1.0, np.abs(base))
            said = figure
        elif test == "year_ahead":
            bad = records["year"].to_numpy() > today.year + limit
            said = lambda bad: records["period"][bad]  # noqa: E731
        elif test == "unit_per_capita":
            bad, said = per_capita_unit, lambda bad: "unit " + written["unit"][bad]
        elif test == "unit_at_least":
            bad, said = (
                money_written & (written_size >= limit),
                lambda bad: "unit " + written["unit"][bad],
            )
        elif test == "region_name":
            bad = _names_differ(records["region"], written["region_zh"], catalog.region_code)
            bad &= (written["region_zh"] != "").to_numpy(dtype=bool)
            said = lambda bad: (records["region"][bad] + " with region_zh "  # noqa: E731
                                + written["region_zh"][bad])  # fmt: skip
        else:  # indicator_name
            bad = _names_differ(records["indicator"], written["indicator_zh"],
                                catalog.indicator_code)  # fmt: skip
            said = lambda bad: (records["indicator"][bad] + " with indicator_zh "  # noqa: E731
                                + written["indicator_zh"][bad])  # fmt: skip
        rows = _selected(rule["applies_to"], records, dimension, per_capita=per_capita)
        bad = np.asarray(bad, dtype=bool) & rows
        if bad.any():
            said = said(bad)
            text = (rule["reason"] + " (" + said + "; rule " + name + ")").to_numpy(dtype=object)
            code = np.array(
                reason_codes("reject_implausible", check=name, value=said.to_numpy(dtype=object)),
                dtype=object,
            )
            before = reasons[bad]
            reasons[bad] = np.where(before == "", text, before + "; " + text)
            before = codes[bad]
            codes[bad] = np.where(before == "", code, before + "; " + code)
    out = reasons != ""
    if not out.any():
        return records, pd.DataFrame(columns=_REJECT_COLUMNS)
    rejected = records.loc[out, _REJECT_COLUMNS[:3]].assign(reason=reasons[out], code=codes[out])
    return records.loc[~out], rejected.reset_index(drop=True)


def _known(unit: str) -> bool:
    try:
        cleaning.parse_unit(unit)
    except cleaning.CleaningError:
        return False
    return bool(unit)


def _written_facts(written: str) -> tuple[bool, str, float]:
    """Whether a unit as written says per person, and ``_unit_facts`` of it (``('', nan)``
    for an unknown or empty unit)."""
    unit = unicodedata.normalize("NFKC", written).replace(" ", "")
    facts = _unit_facts(cleaning.parse_unit(unit)) if _known(unit) else ("", math.nan)
    return _PER_CAPITA.search(unit) is not None, *facts


def _figure(row: pd.Series, where: bool = False) -> str:
    text = f"{row['period']} {row['value']:g} {row['unit']}"
    return f"{text} ({row['source_file']}:{row['source_line']})" if where else text


def _add(out: pd.DataFrame, index, text: str) -> None:
    before = out.loc[index, "flag"]
    if text not in before:
        out.loc[index, "flag"] = f"{before}; {text}" if before else text


def flag(figures: pd.DataFrame) -> pd.DataFrame:
    """The table with the rules across rows applied: each figure a rule flags gets the
    rule's reason and the other figure in its ``flag`` column.

    Examples
    --------
    >>> from analysis.data.pipeline import standardize
    >>> raw = pd.DataFrame({"region": ["erqi"] * 2, "period": ["2019H1", "2019FY"],
    ...     "indicator": ["gdp"] * 2, "value": ["600", "567"], "unit": ["亿元"] * 2,
    ...     "source_file": ["x.csv"] * 2, "source_line": ["2", "3"]})
    >>> flagged = flag(standardize(raw)[0])
    >>> print(flagged.loc[0, "flag"])
    2019H1 600 亿元 is larger than 2019FY 567 亿元 (x.csv:3): larger than ...
    """
    out = figures.copy()
    if "flag" not in out:
        out["flag"] = ""
    for name, rule in rules().iterrows():
        if rule["check"] != "cumulative" or out.empty:
            continue
        chosen = _selected(rule["applies_to"], out, pd.Series("", index=out.index))
        cumulative = chosen & ~out["is_target"] & out["value"].notna() & (out["start_month"] == 1)
        rows = out[cumulative]
        key = ["region", "indicator", "year", "release", "peer_group"]
        several = rows[rows.duplicated(key, keep=False)]
        for _, group in several.groupby(key, sort=False):
            months = sorted(group["end_month"].unique())
            for at, first in enumerate(months):
                for then in months[at + 1 :]:
                    early = group[group["end_month"] == first]
                    late = group[group["end_month"] == then]
                    low = late.loc[late["value"].idxmin()]
                    high = early.loc[early["value"].idxmax()]
                    tol_early = early["value_rounding"].fillna(0) + np.nan_to_num(
                        low["value_rounding"]
                    )
                    tol_late = late["value_rounding"].fillna(0) + np.nan_to_num(
                        high["value_rounding"]
                    )
                    for index in early.index[early["value"] > low["value"] + tol_early]:
                        row = out.loc[index]
                        _add(out, index, f"{_figure(row)} is larger than {_figure(low, True)}: "
                             f"{rule['reason']} (rule {name})")  # fmt: skip
                    for index in late.index[late["value"] < high["value"] - tol_late]:
                        row = out.loc[index]
                        _add(out, index, f"{_figure(high, True)} is larger than {_figure(row)}: "
                             f"{rule['reason']} (rule {name})")  # fmt: skip
    return out
