"""Reasons and verdicts as codes with arguments; the words live in ``analysis.report.texts``.

Whatever the library says about a figure (why it is missing, a caveat, why a method could
not run) it says as a code with arguments, written as one line of text::

    no_level period=2018H1
    ranked_among_few n=1 m=5 group=inner5
    conflicting_sources conflict=disagree%20value=9%20others=9.1@published_figures.csv:257

The code comes first; each argument is ``key=value``; a value is a code of the package (a
period, region, group or indicator code), a number or a list (``2010,2011``), with ``%``,
space, ``=``, ``,`` and ``;`` written as ``%25``, ``%20``, ``%3D``, ``%2C``, ``%3B``.
Several reasons in one cell are joined with ``"; "``. A report renders a reason in its
language with the template of that code in ``analysis/report/texts/zh.py`` and ``en.py``
(:func:`analysis.report.texts.say`): no English prose travels to a Chinese reader.

To add a reason: add its code and arguments to :data:`CODES` (and any new argument name
to :data:`ARGS`), produce it with :func:`reason`, and give it a template in every
language; the tests fail for a code without a template in every language.

Examples
--------
>>> text = reason("no_level", period="2018H1")
>>> text
'no_level period=2018H1'
>>> parse(text)
[Reason(code='no_level', args={'period': '2018H1'})]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Every reason code and the names of its arguments, in order.
CODES: dict[str, tuple[str, ...]] = {
    # the indicator table: why a figure or a computed measure is missing
    "no_level": ("period",),
    "no_level_of": ("indicator",),
    "no_growth": ("period",),
    "no_growth_of": ("region", "period"),
    "no_level_published": (),
    "no_growth_published": (),
    "no_plan_published": (),
    "no_growth_target": ("period",),
    "no_level_target": ("period",),
    "no_level_target_or_plan": (),
    "no_level_completed": (),
    "needs_last_year": ("periods",),
    "mixed_vintages": ("period", "release", "later", "later_release"),
    "base_not_positive": ("period",),
    "last_h2_not_positive": (),
    "first_half_only": (),
    "not_year_to_date": (),
    "not_computed_for_kind": ("kind",),
    "not_ranked_kind": ("indicator", "kind"),
    "no_peer_group": ("region",),
    "no_own_figure": ("measure", "region"),
    "no_other_peer": ("group", "measure", "period"),
    "ranked_among_few": ("n", "m"),
    "no_peer_growth": (),
    "growth_gap": ("computed", "published", "gap", "threshold"),
    "growth_gap_real": ("computed", "published", "gap", "threshold"),
    "not_comparable": ("missing",),
    "not_computable": (),
    "no_earlier_period": ("period",),
    # the data: sources that disagree
    "conflicting_sources": ("conflict",),
    "disagree": ("value", "others"),
    # rows rejected in cleaning (analysis.data.pipeline, analysis.data.validation)
    "reject_review": ("value",),
    "reject_problem": ("value",),
    "reject_region": ("value",),
    "reject_period": ("value",),
    "reject_indicator": (),
    "reject_value": ("value", "unit"),
    "reject_growth": ("value",),
    "reject_plan": ("value",),
    "reject_is_target": ("value",),
    "reject_peer_group": ("value",),
    "reject_no_figure": (),
    "reject_rank_whole": (),
    "reject_share_range": (),
    "reject_relation_sign": (),
    "reject_column": ("column", "value"),
    "reject_duplicate": ("file", "line"),
    "reject_implausible": ("check", "value"),
    "disagree_many": ("value", "n", "lowest", "highest"),
    # published derived figures rechecked (analysis.compute.checks)
    "check_growth_real": ("computed", "gap"),
    "check_levels": ("before", "after"),
    "check_levels_mismatch": ("before", "after", "result", "low", "high"),
    "check_two_year": ("first", "second"),
    "check_two_year_mismatch": ("first", "second", "result", "period"),
    "check_assessment_rank": (),
    "check_rank_no_base": ("indicator", "measure", "region", "n", "m"),
    "check_rank_peers": ("n", "m", "group"),
    "check_group_unstated": ("group",),
    "check_no_gdp_growth": ("region", "period"),
    "check_vs_city": ("own", "theirs"),
    "check_plan_unpublished": ("implied",),
    "check_whole_unpublished": ("indicator",),
    "check_whole_unknown": (),
    # full-year projections (analysis.compute.projection): why a method cannot run
    "insufficient_history": ("n", "needs"),
    "levels_not_positive": ("years",),
    "no_deflator": ("period",),
    "needs_methods": ("methods",),
    "no_method_can_run": (),
    # ... what a projection rests on
    "share_rule": ("rule", "share", "years"),
    "share_rule_kept": ("rule", "ratio", "n", "regions"),
    "share_rule_chosen": ("rule", "ratio", "n", "regions"),
    "share_rule_default": ("needs",),
    "share_rule_only": ("rule",),
    "shares_borrowed": ("region",),
    "shares_named": ("region",),
    "nominal_growth_from_levels": ("growth", "period", "base"),
    "levels_aligned": ("period", "later", "release"),
    "real_growth_with_deflator": ("growth", "deflator", "period"),
    "nominal_growth_published": ("growth",),
    "log_drift": ("years", "n", "growth"),
    "gap_before": ("period",),
    "equal_weights": ("methods",),
    "growth_target": ("target", "qualifier"),
    "h2_must_grow": ("growth",),
    "h2_growth_unknown": ("period",),
    "target_deflator": ("deflator", "period"),
    "at_prices_of": ("period",),
    "not_a_forecast": (),
    "calibrated_interval": ("level", "n", "half_width", "regions"),
    "deflator_error_included": ("half_width", "n"),
    "too_few_errors": ("n", "needs", "level"),
    "deflator_error_unknown": ("n", "needs"),
    "break_in_data": ("years",),
    # ... warnings about the data it rests on
    "not_in_catalog": ("indicator",),
    "no_level_for": ("region", "period"),
    "census_revision": ("census", "period"),
    "break_vs_published": ("period", "growth", "published", "gap"),
    "break_robust": ("period", "growth", "usual", "spread"),
    # ... and why the lead method leads
    "beats_same_growth": ("method", "ratio", "n", "mape", "regions"),
    "same_growth_leads": ("n", "mape", "regions"),
    "same_growth_leads_over": ("n", "mape", "method", "ratio", "regions"),
    "lowest_mape": ("method", "mape", "n", "regions"),
    "too_few_backtest_years": ("method", "needs"),
}

#: How each argument is read and shown: a code of the package (``period``, ``region``,
#: ``group``, ``indicator``, ``method``), a number (``number``: as few digits as it needs,
#: ``count``: whole, ``decimal1`` / ``decimal2``: one or two decimals), a list of periods
#: (``periods``), years (``years``), regions (``regions``) or methods (``methods``), a word
#: of the texts (``word``), a nested reason (``reason``) or text shown as it is (``text``:
#: values as published with their sources).
ARGS: dict[str, str] = {
    "period": "period",
    "later": "period",
    "periods": "periods",
    "region": "region",
    "group": "group",
    "indicator": "indicator",
    "kind": "word",
    "measure": "word",
    "missing": "word",
    "n": "count",
    "m": "count",
    "release": "count",
    "later_release": "count",
    "computed": "decimal1",
    "published": "decimal1",
    "gap": "decimal1",
    "implied": "decimal1",
    "result": "decimal2",
    "low": "decimal2",
    "high": "decimal2",
    "threshold": "number",
    "before": "number",
    "after": "number",
    "first": "number",
    "second": "number",
    "own": "number",
    "theirs": "number",
    "value": "text",
    "others": "text",
    "file": "text",
    "unit": "text",
    "line": "count",
    "column": "word",
    "lowest": "text",
    "highest": "text",
    "conflict": "reason",
    "needs": "count",
    "years": "years",
    "rule": "word",
    "check": "word",
    "share": "decimal1",
    "growth": "decimal1",
    "base": "period",
    "deflator": "decimal1",
    "target": "decimal1",
    "qualifier": "word",
    "level": "count",
    "half_width": "decimal1",
    "regions": "regions",
    "method": "method",
    "methods": "methods",
    "mape": "decimal1",
    "ratio": "decimal2",
    "census": "count",
    "usual": "decimal1",
    "spread": "decimal1",
}

_QUOTE = {"%": "%25", " ": "%20", "=": "%3D", ",": "%2C", ";": "%3B", "\n": "%0A"}
_UNQUOTE = re.compile(r"%(25|20|3D|2C|3B|0A)")
_CODE = re.compile(r"[a-z][a-z0-9_]*\Z")


class ReasonError(ValueError):
    """A reason code or argument the package does not declare (a defect of the package)."""


@dataclass(frozen=True)
class Reason:
    """One reason: its code and its arguments (values as written, strings)."""

    code: str
    args: Mapping[str, str] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        """The elements of a list argument (one element for a plain value).

        Examples
        --------
        >>> parse("needs_last_year periods=2018H1,2018FY")[0].values("periods")
        ['2018H1', '2018FY']
        """
        text = self.args.get(name, "")
        return [_unquote(v) for v in text.split(",")] if text else []

    def __getitem__(self, name: str) -> str:
        return _unquote(self.args[name])


_QUOTE_TABLE = str.maketrans(_QUOTE)


def _quote(value: object) -> str:
    if isinstance(value, float | np.floating):
        value = repr(float(value))
    return str(value).translate(_QUOTE_TABLE)


def _unquote(text: str) -> str:
    return _UNQUOTE.sub(lambda m: {v: k for k, v in _QUOTE.items()}[m.group(0)], text)


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(_quote(v) for v in value)
    return _quote(value)


def _check(code: str, names: Iterable[str]) -> None:
    if code not in CODES:
        raise ReasonError(f"unknown reason code {code!r}; declare it in analysis.reasons.CODES")
    names = list(names)
    if names != list(CODES[code]):
        raise ReasonError(f"reason {code!r} takes {list(CODES[code])}, not {names}")


def reason(code: str, **args: object) -> str:
    """A reason as text: its code, then each argument as ``key=value``.

    Lists become comma-separated values; floats keep every digit (the texts round them).

    Raises
    ------
    ReasonError
        For a code not in :data:`CODES`, or arguments other than those it declares.

    Examples
    --------
    >>> reason("needs_last_year", periods=["2018H1", "2018FY"])
    'needs_last_year periods=2018H1,2018FY'
    >>> reason("disagree", value=9.0, others="9.1 (a.csv:3)")
    'disagree value=9.0 others=9.1%20(a.csv:3)'
    >>> reason("no_levels")
    Traceback (most recent call last):
    ...
    analysis.reasons.ReasonError: unknown reason code 'no_levels'; declare it in ...
    """
    _check(code, args)
    return " ".join([code, *(f"{k}={_value(v)}" for k, v in args.items())])


def reasons(code: str, **args: object) -> np.ndarray:
    """Many reasons of one code at once: arguments are scalars or arrays of one length.

    Each distinct combination of the arguments is written once (:func:`reason` of it) and
    spread back over the elements.

    Examples
    --------
    >>> reasons("no_growth_of", region=np.array(["henan", "china"]), period="2019H1").tolist()
    ['no_growth_of region=henan period=2019H1', 'no_growth_of region=china period=2019H1']
    """
    _check(code, args)
    arrays = {k: v for k, v in args.items() if isinstance(v, np.ndarray) and v.ndim}
    if not arrays:
        out = np.asarray(code, dtype=object)
        for key, value in args.items():
            out = out + f" {key}={_value(value)}"
        return out
    shape = np.broadcast_shapes(*(v.shape for v in arrays.values()))
    size = int(np.prod(shape))
    # number each element's combination of distinct argument values
    combination = np.zeros(size, dtype=np.int64)
    numbers, quoted = {}, {}
    for key, value in arrays.items():
        numbers[key], quoted[key] = _distinct(np.broadcast_to(value, shape).ravel())
        combination, _ = pd.factorize(combination * len(quoted[key]) + numbers[key])
    n_combinations = int(combination.max()) + 1 if size else 0
    first = np.empty(n_combinations, dtype=np.int64)
    first[combination[::-1]] = np.arange(size)[::-1]
    words = {
        key: np.asarray(_value(value), dtype=object) if key not in arrays
        else np.asarray(quoted[key], dtype=object)[numbers[key][first]]
        for key, value in args.items()
    }  # fmt: skip
    texts = np.full(n_combinations, code, dtype=object)
    for key, word in words.items():
        texts = texts + f" {key}=" + word
    return texts[combination].reshape(shape)


def _distinct(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """``_value`` of a one-dimensional array: each element's number and the quoted texts,
    each distinct value quoted once.

    Examples
    --------
    >>> _distinct(np.array(["a b", "c", "a b"], dtype=object))
    (array([0, 1, 0]), ['a%20b', 'c'])
    >>> numbers, texts = _distinct(np.array([1.5, np.nan, 1.5, -0.0, 0.0]))
    >>> [texts[i] for i in numbers]
    ['1.5', 'nan', '1.5', '-0.0', '0.0']
    """
    kind = values.dtype.kind
    if kind == "f" and values.dtype.itemsize == 8:
        # by their bits: -0.0 and 0.0 are one value but quote differently; the text of a
        # number (repr of a float, str of an int or bool) has nothing to quote
        numbers, bits = pd.factorize(np.ascontiguousarray(values).view(np.int64))
        texts = [repr(x) for x in np.asarray(bits, dtype=np.int64).view(np.float64).tolist()]
    elif kind in "iub":
        numbers, found = pd.factorize(values)
        texts = [str(x) for x in np.asarray(found).tolist()]
    elif kind in "OU" and pd.api.types.infer_dtype(values) == "string":
        numbers, found = pd.factorize(values)
        texts = [_value(x) for x in np.asarray(found).tolist()]
    else:  # mixed types (1, 1.0 and True are one key but quote differently), lists ...
        return np.arange(len(values)), [_value(item) for item in values.tolist()]
    return np.asarray(numbers, dtype=np.int64), texts


def join(*texts: str) -> str:
    """Several reasons in one cell (empty ones left out).

    Examples
    --------
    >>> join(reason("no_level_published"), "", reason("no_growth_published"))
    'no_level_published; no_growth_published'
    """
    return "; ".join(t for t in texts if t)


def parse(text: str) -> list[Reason]:
    """The reasons of a cell, in order; an empty cell has none.

    Raises
    ------
    ReasonError
        For text that is not a reason (prose, an unknown code).

    Examples
    --------
    >>> [r.code for r in parse("no_level period=2018H1; no_growth_published")]
    ['no_level', 'no_growth_published']
    >>> parse("no level for 2018H1")
    Traceback (most recent call last):
    ...
    analysis.reasons.ReasonError: not a reason code: 'no level for 2018H1'
    """
    out = []
    for part in (text or "").split("; "):
        if not part:
            continue
        code, *pairs = part.split(" ")
        if not _CODE.match(code) or code not in CODES or not all("=" in p for p in pairs):
            raise ReasonError(f"not a reason code: {part!r}")
        args = dict(p.split("=", 1) for p in pairs)
        _check(code, args)
        out.append(Reason(code, args))
    return out
