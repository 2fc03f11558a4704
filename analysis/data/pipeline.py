"""From data/raw to data/processed: read, clean, validate, reconcile.

``standardize`` turns the raw string rows of one file into typed records (one per figure)
and rejects; ``process_files`` runs every file and writes the processed table, the rejects
file and the reconciliation (rows read = rows kept + rows rejected, per file).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import periods
from analysis.catalog import Catalog, CatalogError
from analysis.catalog import load as load_catalog
from analysis.data import cleaning, plausibility, reading, store, validation
from analysis.data.store import empty_records
from analysis.data.vintages import RELEASE_ORDER, vintage_from_note
from analysis.reasons import join, reason

_TRUE = {"1", "true", "yes", "是", "y", "t"}
_FALSE = {"", "0", "false", "no", "否", "n", "f"}
_NOTE_QUALIFIER = re.compile(r"(以上|左右|区间|余|突破|超过|接近|约|近)")
_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


def rounding_of(text: str, *, factor: float = 1.0) -> float:
    """Half a unit of the last digit stated in a number, times a unit factor.

    Examples
    --------
    >>> rounding_of("39.8"), rounding_of("397983"), rounding_of("39.8", factor=1e4)
    (0.05, 0.5, 500.0)
    >>> bool(np.isnan(rounding_of("")))
    True
    """
    match = _NUMBER.search(cleaning.normalize_text(text or ""))
    if not match:
        return np.nan
    decimals = len(match.group(1) or "")
    return 0.5 * 10.0 ** (-decimals) * factor


def decimals_of(rounding):
    """Decimals a value was published with, in its stored unit, from its ``rounding_of``.

    ``value_decimals`` of the processed table: 18.12亿元 has 2, 253亿元 has 0, and 39.8万亿元
    stored as 398000亿元 has -3 (known to the thousand 亿元). NaN where no level was stated.

    Examples
    --------
    >>> decimals_of(rounding_of("18.12")), decimals_of(rounding_of("253"))
    (2.0, 0.0)
    >>> decimals_of(rounding_of("39.8", factor=1e4)), bool(np.isnan(decimals_of(np.nan)))
    (-3.0, True)
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        decimals = -np.round(np.log10(2 * np.asarray(rounding, dtype=float))) + 0.0
    return float(decimals) if decimals.ndim == 0 else decimals


def target_qualifier(note: str) -> str:
    """The qualifier a note states for a target or an approximate figure.

    Examples
    --------
    >>> target_qualifier("target qualifier 左右 (2013 河南政府工作报告)")
    '左右'
    >>> target_qualifier("target RANGE 6.5%-7%; yoy_pct holds lower bound")
    '区间'
    >>> target_qualifier("more than (余)"), target_qualifier("preliminary")
    ('余', '')
    """
    if re.search(r"\brange\b", note or "", re.IGNORECASE):
        return "区间"
    if re.search(r"\bAPPROXIMATE\b", note or ""):
        return "左右"
    match = _NOTE_QUALIFIER.search(note or "")
    return match.group(1) if match else ""


def _relation_value(note: str) -> float:
    text = (note or "").lower()
    if "above" in text or "高于" in text:
        return 1.0
    if "below" in text or "低于" in text:
        return -1.0
    return np.nan


def _is_target(text: str) -> bool:
    key = (text or "").strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"is_target must be 1 or 0 (or empty), not {text!r}")


_ENUMERATOR = re.compile(
    r"^\s*(?:\d+[.、]|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*"
)


def _indicator(raw: pd.Series, catalog: Catalog) -> tuple[str, str, bool]:
    for name in (raw.get("indicator", ""), raw.get("indicator_zh", "")):
        if not name:
            continue
        code = catalog.indicator_code(name) or catalog.indicator_code(_ENUMERATOR.sub("", name))
        if code:
            return code, catalog.indicators.loc[code, "name_zh"], True
    name = raw.get("indicator", "") or raw.get("indicator_zh", "")
    if not name:
        raise ValueError("no indicator name or code")
    return name, raw.get("indicator_zh", "") or name, False


def _value_and_unit(raw: pd.Series, kind: str, canonical: str | None):
    """Parse value and unit; convert to the catalog's unit. Returns value, unit, qual, rounding."""
    quantity = cleaning.parse_quantity(raw.get("value", ""))
    unit_text = raw.get("unit", "").strip()
    stated_unit = cleaning.parse_unit(unit_text) if unit_text else (quantity.unit or "")
    if quantity.unit and stated_unit and quantity.unit != stated_unit:
        raise ValueError(
            f"value {raw['value']!r} carries unit {quantity.unit} but the unit column says "
            f"{stated_unit}"
        )
    value = quantity.value
    if canonical is None:
        rounding = rounding_of(raw.get("value", ""))
        return value, stated_unit, quantity.qualifier or "", rounding
    if value is None or (isinstance(value, float) and np.isnan(value)):
        # growth-only rows state the unit of the growth (%), not of the level
        return np.nan, canonical, quantity.qualifier or "", np.nan
    if stated_unit == "" and kind in ("rank", "relation"):
        stated_unit = canonical
    if stated_unit == "":
        raise ValueError(f"value {raw['value']!r} has no unit; the catalog unit is {canonical}")
    try:
        converted = cleaning.convert_unit(value, from_unit=stated_unit, to_unit=canonical)
        factor = cleaning.convert_unit(1.0, from_unit=stated_unit, to_unit=canonical)
    except cleaning.CleaningError as err:
        raise ValueError(f"unit {stated_unit} contradicts the catalog: {err}") from None
    rounding = rounding_of(raw.get("value", ""), factor=factor)
    return converted, canonical, quantity.qualifier or "", rounding


def _line_number(text: object) -> int:
    """A row's line number: its whole number, else 0 (a line that is not a number is
    rejected with a reason of its own).

    Examples
    --------
    >>> _line_number("12"), _line_number(""), _line_number("x"), _line_number(7)
    (12, 0, 0, 7)
    """
    text = str(text).strip()
    return int(text) if text.isdigit() else 0


def _rejected(message: str, codes: list[str]) -> ValueError:
    """The error of a rejected row: its reasons in English, and as codes (``.codes``)."""
    err = ValueError(message)
    err.codes = tuple(codes)
    return err


def standardize_row(raw: pd.Series, *, catalog: Catalog | None = None) -> dict:
    """One raw row (strings) to one typed record; raises ValueError with the reason.

    Names and codes are resolved by ``catalog`` (default: the shipped catalog).

    Examples
    --------
    >>> raw = pd.Series({"region": "erqi", "period": "2019H1", "indicator": "gdp",
    ...     "value": "323.3", "unit": "亿元", "yoy_pct": "8", "is_target": "0",
    ...     "source_file": "x.csv", "source_line": "2"})
    >>> rec = standardize_row(raw)
    >>> rec["region"], rec["period"], rec["value"], rec["yoy_pct"], rec["kind"]
    ('erqi', '2019H1', 323.3, 8.0, 'flow')
    >>> standardize_row(raw.replace({"亿元": "个"}))
    Traceback (most recent call last):
    ...
    ValueError: unit 个 contradicts the catalog: ...
    """
    catalog = catalog or load_catalog()
    raw = raw.fillna("").astype(str)
    reasons, codes = [], []  # each reason in English, and as a code (analysis.reasons)
    if raw.get("review", "").strip():
        reasons.append(f"flagged for review and not cleared: {raw['review'].strip()}")
        codes.append(reason("reject_review", value=raw["review"].strip()))
    if raw.get("problem", "").strip():  # found in reading: a hidden row, an unsaved formula
        reasons.append(raw["problem"].strip())
        codes.append(reason("reject_problem", value=raw["problem"].strip()))
    region = ""
    region_text = raw.get("region", "") or raw.get("region_zh", "")
    try:
        region = catalog.region_code(region_text)
    except CatalogError as err:
        reasons.append(str(err).split("; known")[0] + " (see analysis/reference/regions.csv)")
        codes.append(reason("reject_region", value=region_text))
    try:
        period = periods.parse_period(raw.get("period", ""))
    except periods.PeriodError as err:
        reasons.append(f"period: {err}")
        codes.append(reason("reject_period", value=raw.get("period", "")))
        period = None
    line = raw.get("source_line", "").strip()
    if line and not line.isdigit():
        reasons.append(f"source_line must be a whole number, not {line!r}")
        codes.append(reason("reject_column", column="source_line", value=line))
    try:
        indicator, indicator_zh, catalogued = _indicator(raw, catalog)
    except ValueError as err:  # no indicator: what else is wrong with the row is said too
        raise _rejected(
            "; ".join([*reasons, str(err)]), [*codes, reason("reject_indicator")]
        ) from None
    cat = catalog.indicators.loc[indicator] if catalogued else None
    kind = cat["kind"] if catalogued else "uncatalogued"
    note = raw.get("note", "")
    value = unit = qualifier = None
    rounding = np.nan
    try:
        if kind == "relation":
            value, unit, qualifier, rounding = _relation_value(note), "sign", "", np.nan
        else:
            value, unit, qualifier, rounding = _value_and_unit(
                raw, kind, cat["unit"] if catalogued else None
            )
    except (ValueError, cleaning.CleaningError) as err:
        reasons.append(str(err))
        codes.append(reason("reject_value", value=raw.get("value", ""), unit=raw.get("unit", "")))
    growth = plan = None
    yoy_rounding = np.nan
    try:
        if raw.get("yoy_pct", "").strip():
            g = cleaning.parse_growth(raw["yoy_pct"])
            if g.unit not in ("%", None):
                raise ValueError(f"yoy_pct must be a growth in %, not in {g.unit}")
            growth = g.value
            qualifier = qualifier or g.qualifier or ""
            yoy_rounding = rounding_of(raw["yoy_pct"])
    except (ValueError, cleaning.CleaningError) as err:
        reasons.append(f"yoy_pct: {err}")
        codes.append(reason("reject_growth", value=raw.get("yoy_pct", "")))
    try:
        if raw.get("plan_pct", "").strip():
            plan = cleaning.parse_quantity(raw["plan_pct"]).value
    except (ValueError, cleaning.CleaningError) as err:
        reasons.append(f"plan_pct: {err}")
        codes.append(reason("reject_plan", value=raw.get("plan_pct", "")))
    try:
        is_target = _is_target(raw.get("is_target", ""))
    except ValueError as err:
        reasons.append(str(err))
        codes.append(reason("reject_is_target", value=raw.get("is_target", "")))
        is_target = False
    group_text = raw.get("peer_group", "")
    peer_group = ""
    if group_text:
        peer_group = catalog.peer_group_code(group_text) or ""
        if not peer_group:
            known = ", ".join(catalog.peer_groups["name_zh"])
            reasons.append(f"unknown peer group {group_text!r}; known: {known}")
            codes.append(reason("reject_peer_group", value=group_text))
    elif kind == "rank":
        peer_group = catalog.peer_group_code(note) or ""
    if reasons:
        raise _rejected("; ".join(reasons), codes)
    vintage = vintage_from_note(note)
    return {
        "region": region,
        "region_zh": catalog.regions.loc[region, "name_zh"],
        "period": period.code,
        "year": period.year,
        "start_month": period.start_month,
        "end_month": period.end_month,
        "indicator": indicator,
        "indicator_zh": indicator_zh,
        "catalogued": catalogued,
        "kind": kind,
        "value": np.nan if value is None else float(value),
        "unit": unit or "",
        "yoy_pct": np.nan if growth is None else float(growth),
        "plan_pct": np.nan if plan is None else float(plan),
        "qualifier": qualifier or target_qualifier(note),
        "is_target": is_target,
        "peer_group": peer_group,
        "vintage": vintage,
        "release": RELEASE_ORDER[vintage],
        "value_rounding": rounding,
        "yoy_rounding": yoy_rounding,
        "value_decimals": decimals_of(rounding),
        "stated": " ".join(
            t for t in (raw.get("value", ""), raw.get("unit", ""), raw.get("yoy_pct", "")) if t
        ),
        "value_conflict": "",
        "yoy_pct_conflict": "",
        "plan_pct_conflict": "",
        "flag": "",
        "source_file": raw.get("source_file", ""),
        "source_line": _line_number(raw.get("source_line", "")),
        "source_column": raw.get("source_column", ""),
        "source_url": raw.get("source_url", ""),
        "note": note,
    }


def standardize(
    raw: pd.DataFrame, *, catalog: Catalog | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw rows of one file to typed records and rejects (row-level parsing and schema).

    Rows in the common form (codes and names the catalog knows, plain or statistical
    numbers that parse) are cleaned column by column; every other row goes through
    ``standardize_row``, so a rejected row gets the same reason either way. Regions,
    indicators and peer groups are those of ``catalog`` (default: the shipped catalog).

    Returns
    -------
    records, rejected : DataFrame
        ``records`` has the columns of the processed table; ``rejected`` has
        ``source_file``, ``source_line`` and ``reason``. ``len(records) + len(rejected)``
        equals ``len(raw)``.

    Examples
    --------
    >>> raw = pd.DataFrame({"region": ["erqi", "nowhere"], "period": ["2019H1"] * 2,
    ...     "indicator": ["gdp"] * 2, "value": ["323.3", "1"], "unit": ["亿元"] * 2,
    ...     "source_file": ["x.csv"] * 2, "source_line": ["2", "3"]})
    >>> records, rejected = standardize(raw)
    >>> len(records), rejected["reason"].str.contains("unknown region").tolist()
    (1, [True])
    """
    catalog = catalog or load_catalog()
    fast, rest = _standardize_columns(raw, catalog)
    return _finish(raw, fast, rest, catalog)


def _finish(
    raw: pd.DataFrame, fast: pd.DataFrame | None, rest: np.ndarray, catalog: Catalog
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean the ``rest`` rows one by one, join them with ``fast`` in file order, validate."""
    records, positions, rejected = [], [], []
    rows = raw.iterrows() if fast is None else ((None, raw.iloc[i]) for i in rest)
    for position, (_, row) in zip(rest, rows, strict=True):
        try:
            records.append(standardize_row(row, catalog=catalog))
            positions.append(position)
        except ValueError as err:
            rejected.append(
                {
                    "source_file": row.get("source_file", ""),
                    "source_line": _line_number(row.get("source_line", "")),
                    "source_column": row.get("source_column", ""),
                    "reason": str(err),
                    "code": join(*getattr(err, "codes", ())),
                }
            )
    frame = pd.DataFrame(records, columns=validation.COLUMNS) if records else empty_records()
    at = np.asarray(positions, dtype=np.int64)  # the raw row of each record
    if fast is not None and not records:
        frame, at = fast.reset_index(drop=True), fast.index.to_numpy(dtype=np.int64)
    elif fast is not None and len(fast):
        frame = pd.concat(
            [fast.assign(_at=fast.index), frame.assign(_at=at)],
            ignore_index=True,
        )
        frame = frame.sort_values("_at", kind="stable")
        at = frame.pop("_at").to_numpy(dtype=np.int64)
        frame = frame.reset_index(drop=True)
    frame = frame.astype(empty_records().dtypes.to_dict())
    valid, invalid = validation.validate(frame, catalog=catalog)
    written = raw[[c for c in ("unit", "region_zh", "indicator_zh") if c in raw]]
    at = at[valid.index.to_numpy()]
    if len(at) != len(raw) or (at != np.arange(len(raw))).any():
        written = written.iloc[at]
    valid, implausible = plausibility.check(valid, written, catalog=catalog)
    rejects = pd.concat(
        [pd.DataFrame(rejected, columns=validation.REJECT_COLUMNS), invalid, implausible],
        ignore_index=True,
    )
    return valid.reset_index(drop=True), rejects


# --- the column-wise path of standardize ---------------------------------------------------

_PLAIN = r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?"
_FAILED = object()


def _text(raw: pd.DataFrame, name: str) -> pd.Series:
    """A raw column as text ('' for missing), on positions 0..n-1."""
    if name not in raw:
        return pd.Series("", index=range(len(raw)), dtype="str")
    return raw[name].fillna("").astype("str").reset_index(drop=True)


def _arrow_text(column: pd.Series | pa.Array) -> pa.Array:
    """A text column as one Arrow array of large strings (an Arrow array as it is)."""
    if isinstance(column, pa.Array):
        return column
    array = pa.array(column, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _str(array: pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Arrow array of texts as the pandas text array a column holds."""
    return pd.array(array, dtype="str")


class _Words:
    """Texts numbered in the order they come: a text column as an array of small integers."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.numbers: dict[str, int] = {}

    def __call__(self, word: str) -> int:
        number = self.numbers.get(word)
        if number is None:
            number = self.numbers[word] = len(self.words)
            self.words.append(word)
        return number

    def column(self, numbers: np.ndarray) -> pd.api.extensions.ExtensionArray:
        """The texts of ``numbers`` as a text array."""
        words = pa.array(self.words or [""], type=pa.large_string())
        return _str(words.take(numbers))


class _Distinct:
    """A function applied once per distinct value of one or more columns, and spread back
    over the rows (``function`` takes the value, or a tuple of the values of the columns).

    A value the function raises on is marked failed; its rows take the row-by-row path.
    """

    def __init__(self, columns: pd.Series | tuple[pd.Series, ...], function):
        if isinstance(columns, pd.Series):
            self.codes, uniques = pd.factorize(columns, use_na_sentinel=False)
            self.values = list(uniques)
        else:  # the distinct combinations: one number per row from the numbers per column
            coded = [pd.factorize(c, use_na_sentinel=False) for c in columns]
            key = np.zeros(len(columns[0]), dtype=np.int64)
            for codes, uniques in coded:
                key = key * max(len(uniques), 1) + codes
            self.codes, keys = pd.factorize(key)
            first = np.zeros(len(keys), dtype=np.int64)
            first[self.codes[::-1]] = np.arange(len(key))[::-1]  # first row of each
            self.values = list(zip(*(u[c[first]] for c, u in coded), strict=True))
        self.results = []
        for value in self.values:
            try:
                self.results.append(function(value))
            except Exception:  # the row-by-row path reports (or raises) it
                self.results.append(_FAILED)
        self.failed = self.field(lambda r: False, default=True, dtype=bool)

    def field(self, get, *, default=None, dtype=object) -> np.ndarray:
        """One value per row: ``get(result)``, ``default`` where the function failed."""
        values = np.empty(len(self.results), dtype=dtype)
        for i, result in enumerate(self.results):
            values[i] = default if result is _FAILED else get(result)
        return values[self.codes]

    def words(self, get, words: _Words) -> np.ndarray:
        """Text ``get(result)`` per row, as numbers of ``words`` ('' where it failed)."""
        return self.field(lambda r: words(get(r)), default=words(""), dtype=np.int32)

    def same(self, get, value=lambda v: v) -> bool:
        """Whether ``get(result)`` is ``value(distinct value)`` wherever it did not fail."""
        return all(
            r is _FAILED or get(r) == value(v)
            for r, v in zip(self.results, self.values, strict=True)
        )


def _plain_numbers(text: pd.Series | pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which texts are plain decimal numbers, their values and their decimals."""
    array = _arrow_text(text)
    plain = pc.match_substring_regex(array, f"^{_PLAIN}$").to_numpy(zero_copy_only=False)
    values = np.full(len(text), np.nan)
    decimals = np.zeros(len(text), dtype=np.int8)  # at most 15
    if plain.any():
        numbers = array.filter(pa.array(plain))
        values[plain] = pc.cast(numbers, pa.float64()).to_numpy(zero_copy_only=False)
        point = pc.find_substring(numbers, ".").to_numpy(zero_copy_only=False)
        length = pc.binary_length(numbers).to_numpy(zero_copy_only=False)
        decimals[plain] = np.where(point >= 0, length - point - 1, 0)
    return plain, values, decimals


def _roundings(decimals: np.ndarray) -> np.ndarray:
    """``rounding_of`` a plain number with ``decimals`` digits after the point."""
    top = int(decimals.max()) if len(decimals) else 0
    return np.array([0.5 * 10.0 ** (-d) for d in range(top + 1)])[decimals]


def _parsed(text: pd.Series, rows: np.ndarray, function) -> list:
    """``function`` on the texts of ``rows`` (once per distinct text), ``_FAILED`` where it
    raises."""
    if not len(rows):
        return []
    distinct = _Distinct(text.take(rows), function)
    return [distinct.results[c] for c in distinct.codes]


def _named_peer_group(text: str, catalog: Catalog) -> str:
    """The peer group a raw ``peer_group`` cell names ('' for an empty cell)."""
    if not text:
        return ""
    code = catalog.peer_group_code(text)
    if not code:
        raise ValueError(f"unknown peer group {text!r}")
    return code


def _joined(*columns: pd.Series | pa.Array) -> pd.api.extensions.ExtensionArray:
    """Texts joined by single spaces, empty ones left out (the ``stated`` column).

    Rows with every text given are joined in one columnar step; the others are joined
    text by text, leaving out the empty ones, and put in their places.

    Examples
    --------
    >>> text = lambda *t: pd.Series(t, dtype="str")
    >>> _joined(text("1", "", "3", ""), text("亿元", "x", "", ""), text("", "y", "4", "")).tolist()
    ['1 亿元', 'x y', '3 4', '']
    """
    space = pa.scalar(" ", pa.large_string())
    texts = [_arrow_text(c) for c in columns]
    out = pc.binary_join_element_wise(*texts, space)
    given = [pc.not_equal(t, "").to_numpy(zero_copy_only=False) for t in texts]
    short = ~np.logical_and.reduce(given)
    if short.any():
        rows = pa.array(np.flatnonzero(short))
        part = None
        for text, there in zip(texts, given, strict=True):
            text, there = text.take(rows), there[short]
            if part is None:
                part, some = text, there
                continue
            both = pc.binary_join_element_wise(part, text, space)
            part = pc.if_else(pa.array(there), pc.if_else(pa.array(some), both, text), part)
            some = some | there
        out = pc.replace_with_mask(out, pa.array(short), part)
    return _str(out)


def _standardize_columns(
    raw: pd.DataFrame, catalog: Catalog
) -> tuple[pd.DataFrame | None, np.ndarray]:
    """Records of the rows in the common form, column by column, and the other rows.

    Each step is ``standardize_row``'s, applied to whole columns (or once per distinct
    text); a row any step cannot take in the common form goes to ``standardize_row``.
    Returns the records (indexed by row position) and the positions of the other rows;
    ``(None, all positions)`` when the frame is not all text.
    """
    n = len(raw)
    if n == 0 or not all(pd.api.types.is_string_dtype(dtype) for dtype in raw.dtypes):
        return None, np.arange(n)
    cat = catalog.indicators
    words = _Words()
    empty = words("")
    ok = np.array(_text(raw, "review").str.strip() == "", dtype=bool)
    ok &= np.array(_text(raw, "problem").str.strip() == "", dtype=bool)

    region_text = _text(raw, "region")
    region_text = region_text.where(region_text != "", _text(raw, "region_zh"))
    region = _Distinct(region_text, catalog.region_code)
    period_text = _text(raw, "period")
    period = _Distinct(period_text, periods.parse_period)
    indicator_text = _text(raw, "indicator")
    indicator = _Distinct(
        (indicator_text, _text(raw, "indicator_zh")),
        lambda names: _indicator(dict(zip(("indicator", "indicator_zh"), names, strict=True)),
                                 catalog),
    )  # fmt: skip
    note_text = _text(raw, "note")
    note = _Distinct(
        note_text,
        lambda t: (vintage_from_note(t), target_qualifier(t), _relation_value(t),
                   catalog.peer_group_code(t) or "", RELEASE_ORDER[vintage_from_note(t)]),
    )  # fmt: skip
    target = _Distinct(_text(raw, "is_target"), _is_target)
    group_text = _text(raw, "peer_group")
    group = _Distinct(group_text, lambda text: _named_peer_group(text, catalog))
    line_text = _text(raw, "source_line")
    line_array = _arrow_text(line_text)
    for step in (region, period, indicator, note, target, group):
        ok &= ~step.failed
    lines_ok = pc.or_(
        pc.match_substring_regex(line_array, "^[0-9]{1,18}$"), pc.equal(line_array, "")
    )
    ok &= lines_ok.to_numpy(zero_copy_only=False)

    catalogued = indicator.field(lambda r: r[2], default=False, dtype=bool)
    kind_of = lambda r: cat.loc[r[0], "kind"] if r[2] else "uncatalogued"  # noqa: E731
    kind = indicator.field(kind_of, default="")
    kind_words = indicator.words(kind_of, words)
    canonical = indicator.words(lambda r: cat.loc[r[0], "unit"] if r[2] else "", words)
    relation = kind == "relation"
    rank = kind == "rank"
    group_words = np.where(
        (group_text != "").to_numpy(dtype=bool),
        group.words(lambda r: r, words),
        np.where(rank, note.words(lambda r: r[3], words), empty),
    )

    # value and unit (_value_and_unit); a relation takes its value from the note
    value_text = _text(raw, "value")
    unit_text = _text(raw, "unit").str.strip()
    unit = _Distinct(unit_text, lambda t: cleaning.parse_unit(t) if t else "")
    value_array = _arrow_text(value_text)
    plain, q_value, decimals = _plain_numbers(value_array)
    q_unit = np.full(n, empty, dtype=np.int32)
    q_qual = np.full(n, empty, dtype=np.int32)
    q_none = np.zeros(n, dtype=bool)
    other = np.flatnonzero(~plain & ok & ~relation)
    if len(other):
        quantity = _Distinct(value_text.take(other), cleaning.parse_quantity)
        ok[other] &= ~quantity.failed
        q_none[other] = quantity.field(lambda q: q.value is None, default=False, dtype=bool)
        q_value[other] = quantity.field(
            lambda q: np.nan if q.value is None else q.value, default=np.nan, dtype=float
        )
        q_unit[other] = quantity.words(lambda q: q.unit or "", words)
        q_qual[other] = quantity.words(lambda q: q.qualifier or "", words)
    has_unit_text = (unit_text != "").to_numpy(dtype=bool)
    stated = np.where(has_unit_text, unit.words(lambda r: r, words), q_unit)
    clash = (q_unit != empty) & (stated != empty) & (q_unit != stated)
    ok &= relation | (~(has_unit_text & unit.failed) & ~clash)
    level = catalogued & ~relation & ~q_none
    stated = np.where(level & (stated == empty) & rank, canonical, stated)
    ok &= ~(level & (stated == empty))
    # unit conversion: one factor per (stated unit, catalog unit) pair
    value = q_value.copy()
    factor = np.ones(n)
    convert = np.flatnonzero(ok & level & (stated != canonical))
    if len(convert):
        pairs = _Distinct(
            (pd.Series(stated[convert]), pd.Series(canonical[convert])),
            lambda pair: cleaning.convert_unit(
                1.0, from_unit=words.words[pair[0]], to_unit=words.words[pair[1]]
            ),
        )
        ok[convert] &= ~pairs.failed
        factor[convert] = pairs.field(lambda f: f, default=1.0, dtype=float)
        for i in convert[~pairs.failed]:  # as convert_unit does it, value by value
            value[i] = cleaning.convert_unit(
                q_value[i], from_unit=words.words[stated[i]], to_unit=words.words[canonical[i]]
            )
    rounding = np.full(n, np.nan)
    measured = ~relation & ~(catalogued & q_none)
    rounding[measured & plain] = (_roundings(decimals) * factor)[measured & plain]
    rows = np.flatnonzero(measured & ~plain & ok)
    for i, text in zip(rows, value_text.take(rows).tolist(), strict=True):
        rounding[i] = rounding_of(text, factor=factor[i])
    value = np.where(relation, note.field(lambda r: r[2], default=np.nan, dtype=float), value)
    unit_words = np.where(relation, words("sign"), np.where(catalogued, canonical, stated))
    qualifier = np.where(relation, empty, q_qual)

    # growth and plan share
    yoy_text = _text(raw, "yoy_pct")
    has_yoy = (yoy_text.str.strip() != "").to_numpy(dtype=bool)
    yoy_array = _arrow_text(yoy_text)
    yoy_plain, yoy_value, yoy_decimals = _plain_numbers(yoy_array)
    growth = np.where(has_yoy, yoy_value + 0.0, np.nan)
    yoy_rounding = np.where(has_yoy & yoy_plain, _roundings(yoy_decimals), np.nan)
    rows = np.flatnonzero(has_yoy & ~yoy_plain & ok)
    texts = yoy_text.take(rows).tolist()
    for i, text, g in zip(rows, texts, _parsed(yoy_text, rows, cleaning.parse_growth),
                          strict=True):  # fmt: skip
        if g is _FAILED or g.unit not in ("%", None):
            ok[i] = False
            continue
        growth[i] = np.nan if g.value is None else float(g.value)
        if qualifier[i] == empty:
            qualifier[i] = words(g.qualifier or "")
        yoy_rounding[i] = rounding_of(text)
    plan_text = _text(raw, "plan_pct")
    has_plan = (plan_text.str.strip() != "").to_numpy(dtype=bool)
    plan_plain, plan_value, _ = _plain_numbers(plan_text)
    plan = np.where(has_plan, plan_value, np.nan)
    rows = np.flatnonzero(has_plan & ~plan_plain & ok)
    for i, quantity in zip(rows, _parsed(plan_text, rows, cleaning.parse_quantity), strict=True):
        if quantity is _FAILED:
            ok[i] = False
        else:
            plan[i] = np.nan if quantity.value is None else float(quantity.value)
    qualifier = np.where(qualifier == empty, note.words(lambda r: r[1], words), qualifier)

    keep = np.flatnonzero(ok)
    every = len(keep) == n
    pick = slice(None) if every else keep  # the kept rows of a column (no copy for all)
    region_names = dict(catalog.regions["name_zh"].items())

    def kept(text: pd.Series):  # the texts of the rows of keep (no copy when that is all)
        return (text if every else text.take(keep)).array

    def text_of(distinct: _Distinct, get, source: pd.Series | None = None, value=lambda v: v):
        """The texts ``get(result)`` of the kept rows; ``source`` itself where they are the
        distinct values (``value`` of them), as a region code written as its code."""
        if source is not None and distinct.same(get, value):
            return kept(source)
        return words.column(distinct.words(get, words)[pick])

    stated = _joined(value_array, _text(raw, "unit"), yoy_array)
    texts = {
        "region": text_of(region, lambda r: r, region_text),
        "region_zh": text_of(region, lambda r: region_names[r]),
        "period": text_of(period, lambda p: p.code, period_text),
        "indicator": text_of(indicator, lambda r: r[0], indicator_text, lambda v: v[0]),
        "indicator_zh": text_of(indicator, lambda r: r[1]),
        "kind": words.column(kind_words[pick]),
        "unit": words.column(unit_words[pick]),
        "qualifier": words.column(qualifier[pick]),
        "peer_group": words.column(group_words[pick]),
        "vintage": text_of(note, lambda r: r[0]),
        "stated": stated if every else stated.take(keep),
        "value_conflict": words.column(np.full(len(keep), empty, dtype=np.int32)),
        "source_file": kept(_text(raw, "source_file")),
        "source_column": kept(_text(raw, "source_column")),
        "source_url": kept(_text(raw, "source_url")),
        "note": kept(note_text),
    }
    for name in ("yoy_pct_conflict", "plan_pct_conflict", "flag"):
        texts[name] = texts["value_conflict"]
    lines = pc.if_else(pc.equal(line_array, ""), pa.scalar("0", pa.large_string()), line_array)
    release = note.field(lambda r: r[4], default=RELEASE_ORDER["unspecified"], dtype=np.int64)
    numbers = {
        "year": period.field(lambda p: p.year, default=0, dtype=np.int64)[pick],
        "start_month": period.field(lambda p: p.start_month, default=0, dtype=np.int64)[pick],
        "end_month": period.field(lambda p: p.end_month, default=0, dtype=np.int64)[pick],
        "catalogued": catalogued[pick],
        "value": value[pick],
        "yoy_pct": growth[pick],
        "plan_pct": plan[pick],
        "is_target": target.field(lambda r: r, default=False, dtype=bool)[pick],
        "release": release[pick],
        "value_rounding": rounding[pick],
        "yoy_rounding": yoy_rounding[pick],
        "value_decimals": decimals_of(rounding[pick]),
        "source_line": pc.cast(lines if every else lines.take(keep), pa.int64()).to_numpy(
            zero_copy_only=False
        ),
    }
    columns = {**texts, **numbers}
    records = pd.DataFrame(
        {name: columns[name] for name in validation.COLUMNS},
        index=pd.RangeIndex(n) if every else pd.Index(keep),
        copy=False,
    )
    return records, np.flatnonzero(~ok)


@dataclass(frozen=True)
class ProcessResult:
    """What ``process_files`` produced: the table, the rejects and the reconciliation."""

    figures: pd.DataFrame
    rejects: pd.DataFrame
    reconciliation: pd.DataFrame


def _raw_fields(raw: pd.DataFrame, rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejects with the raw fields of their rows, for a person to fix."""
    if rejects.empty:
        return rejects.assign(raw="")
    key = ["source_file", "source_line", "source_column"]
    keyed = raw.assign(source_line=raw["source_line"].astype(int))
    fields = [c for c in raw.columns if c not in key]
    keyed = keyed.assign(
        raw=keyed[fields].apply(lambda r: " | ".join(f"{k}={v}" for k, v in r.items() if v), axis=1)
    )[[*key, "raw"]].drop_duplicates(key)
    return rejects.merge(keyed, on=key, how="left")


def process_files(files: list[Path], *, catalog: Catalog | None = None) -> ProcessResult:
    """Read, clean and validate raw files into one processed table.

    Parameters
    ----------
    files : list of Path
        Raw data files (long or wide, CSV or Excel).
    catalog : Catalog, optional
        Indicators, regions and peer groups (default: the shipped catalog).

    Returns
    -------
    ProcessResult
        ``figures`` (every valid record, all vintages), ``rejects`` (one row per rejected
        record with file, line, reason and the raw fields), ``reconciliation`` (per file:
        rows read, kept, rejected, encoding).

    Raises
    ------
    analysis.data.reading.ReadError
        A file that cannot be read at all (missing, empty, undecodable, missing column).
    """
    catalog = catalog or load_catalog()
    frames, rejects, recon = [], [], []
    for path in files:
        raw = reading.read_raw(path)
        attrs = dict(raw.attrs)
        # provenance names the file, not where this machine keeps it (reruns stay identical)
        raw = raw.assign(source_file=Path(path).name)
        meta = read_meta(path)
        url = meta.get("source_url", "")
        if url.startswith("http") and "source_url" in raw:
            raw = raw.assign(source_url=raw["source_url"].mask(raw["source_url"] == "", url))
        records, rejected = standardize(raw, catalog=catalog)
        frames.append(records)
        rejects.append(_raw_fields(raw, rejected))
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        _check_digest(path, digest, meta)
        recon.append(
            {
                "file": path.name,
                "sha256": digest,
                "encoding": attrs.get("encoding", ""),
                "encoding_reason": attrs.get("encoding_reason", ""),
                "rows_read": len(raw),
                "rows_kept": len(records),
                "rows_rejected": len(rejected),
                "notes": "; ".join(
                    f"sheet {name!r} not read: {why}"
                    for name, why in attrs.get("skipped_sheets", [])
                ),
            }
        )
    figures = pd.concat(frames, ignore_index=True) if frames else empty_records()
    figures, dup_rejects = validation.mark_duplicates(figures)
    if not dup_rejects.empty:
        for row in recon:
            n = int((dup_rejects["source_file"].map(lambda f: Path(f).name) == row["file"]).sum())
            row["rows_kept"] -= n
            row["rows_rejected"] += n
        rejects.append(dup_rejects.assign(raw=""))
    rejects_frame = pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame()
    reconciliation = pd.DataFrame(recon)
    if not reconciliation.empty:
        balance = reconciliation["rows_kept"] + reconciliation["rows_rejected"]
        broken = reconciliation[balance != reconciliation["rows_read"]]
        if not broken.empty:
            raise AssertionError(f"reconciliation does not balance:\n{broken}")
    figures = plausibility.flag(figures.reset_index(drop=True))
    figures = figures.sort_values(["region", "period", "indicator", "release"], kind="stable")
    return ProcessResult(figures.reset_index(drop=True), rejects_frame, reconciliation)


#: What a raw file's ``<name>.meta.json`` may say, and the type of each entry.
META_FIELDS = {"file": str, "sha256": str, "format": str, "source": str, "source_url": str,
               "source_url_note": str, "note": str, "retrieved": str}  # fmt: skip


def read_meta(path: Path) -> dict:
    """The ``<name>.meta.json`` of a raw file ({} when it has none), its shape checked.

    Raises
    ------
    analysis.data.reading.ReadError
        Naming the meta file: not JSON (with the line), not an object, a known entry of
        the wrong type (``source_url`` must be text ...), or naming another file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.meta.json").write_text('{"source_url": 1}')
    >>> read_meta(folder / "a.csv")
    Traceback (most recent call last):
    ...
    analysis.data.reading.ReadError: .../a.meta.json: source_url must be text (a string), not 1
    """
    path = Path(path)
    meta_path = path.with_name(f"{path.stem}.meta.json")
    file = str(meta_path)
    if not meta_path.exists() and not meta_path.is_symlink():
        return {}
    if meta_path.is_dir():
        raise reading.ReadError(file, None, "a folder, not a file; the meta file is JSON")
    try:
        text = meta_path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise reading.ReadError(file, None, f"cannot read: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise reading.ReadError(
            file, None, f"not UTF-8 (byte 0x{err.object[err.start]:02x}); save it as UTF-8"
        ) from None
    try:
        meta = json.loads(text)
    except json.JSONDecodeError as err:
        problem = f"not valid JSON: {err.msg} (column {err.colno})"
        raise reading.ReadError(file, err.lineno, problem) from None
    if not isinstance(meta, dict):
        raise reading.ReadError(
            file,
            None,
            f"must be a JSON object (keys {', '.join(META_FIELDS)}), not a {type(meta).__name__}",
        )
    for key, kind in META_FIELDS.items():
        if key in meta and not isinstance(meta[key], kind):
            raise reading.ReadError(
                file, None, f"{key} must be text (a string), not {json.dumps(meta[key])[:60]}"
            )
    if meta.get("file") and meta["file"] != path.name:
        raise reading.ReadError(file, None, f"describes {meta['file']!r}, not {path.name!r}")
    return meta


def _check_digest(path: Path, digest: str, meta: dict) -> None:
    """ReadError when a raw file's SHA-256 is not the one its meta.json records."""
    stated = meta.get("sha256", "").strip().lower()
    if stated and stated != digest:
        raise reading.ReadError(
            str(path),
            None,
            f"SHA-256 {digest[:12]}... differs from the {stated[:12]}... that "
            f"{path.stem}.meta.json records: the file changed after it was described (raw "
            "files are never edited); if the change is deliberate, put the new sha256 in "
            "the meta file",
        )


def write_outputs(result: ProcessResult, *, directory: Path) -> dict[str, Path]:
    """Write the processed table (Parquet), the rejects, the reconciliation (CSV) and the
    manifest as one set (``store.staged``): all four are replaced together or not at all.

    Returns the paths written, by name.

    Raises
    ------
    analysis.data.store.WriteError
        When the folder cannot be written (one line; the previous files are kept).
    """
    directory = Path(directory)
    with store.staged(directory) as stage:
        result.figures.to_parquet(stage / "figures.parquet", index=False)
        store.write_csv(result.rejects, stage / "rejects.csv")
        store.write_csv(result.reconciliation, stage / "reconciliation.csv")
        manifest = {
            "files": result.reconciliation.to_dict(orient="records"),
            "figures": len(result.figures),
            "rejects": len(result.rejects),
            "outputs": {
                name: hashlib.sha256((stage / name).read_bytes()).hexdigest()
                for name in ("figures.parquet", "rejects.csv", "reconciliation.csv")
            },
        }
        (stage / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True, default=int) + "\n",
            encoding="utf-8",
        )
    return {
        "figures": directory / "figures.parquet",
        "rejects": directory / "rejects.csv",
        "reconciliation": directory / "reconciliation.csv",
        "manifest": directory / "manifest.json",
    }


def format_reconciliation(reconciliation: pd.DataFrame) -> str:
    """The reconciliation as lines a person reads: one per file, then the total.

    Examples
    --------
    >>> rec = pd.DataFrame([{"file": "a.csv", "encoding": "utf-8", "encoding_reason": "valid",
    ...     "rows_read": 5, "rows_kept": 4, "rows_rejected": 1}])
    >>> print(format_reconciliation(rec))
    a.csv (utf-8): read 5 = kept 4 + rejected 1
    total: read 5 = kept 4 + rejected 1
    """
    lines = [
        f"{r.file} ({r.encoding}): read {r.rows_read} = kept {r.rows_kept} "
        f"+ rejected {r.rows_rejected}"
        for r in reconciliation.itertuples()
    ]
    total = reconciliation[["rows_read", "rows_kept", "rows_rejected"]].sum()
    lines.append(
        f"total: read {total.rows_read} = kept {total.rows_kept} + rejected {total.rows_rejected}"
    )
    return "\n".join(lines)


def load_figures(path: Path | None = None) -> pd.DataFrame:
    """Read the processed table (all vintages), checked: ``store.load_figures``.

    Raises
    ------
    analysis.data.store.ProcessedDataError
        One line naming the file: missing (with the command that builds it), unreadable,
        of another shape, or not the table its manifest describes.
    """
    return store.load_figures(path)
