"""The schema of the processed table, and the checks that send rows to the rejects file.

``FIGURES`` is a pandera schema: types, allowed values and per-row rules. ``validate``
splits a frame into the rows that pass and the rows that fail, each failure with a reason
a person can act on. ``mark_duplicates`` deals with the same figure stated twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.catalog import KINDS, Catalog
from analysis.catalog import load as load_catalog
from analysis.data import store
from analysis.data.vintages import MEASURES, RELEASE_ORDER
from analysis.reasons import join, reason

#: Columns of the processed table, in order.
COLUMNS = list(store.TYPES)

#: Columns a reject row carries besides the raw fields.
REJECT_COLUMNS = ["source_file", "source_line", "source_column", "reason", "code"]


def _finite(values: pd.Series) -> pd.Series:
    """Whether each value is finite (not inf), column-wise."""
    return pd.Series(np.isfinite(values.to_numpy(dtype=float)), index=values.index)


def _has_a_figure(df: pd.DataFrame) -> pd.Series:
    return df[["value", "yoy_pct", "plan_pct"]].notna().any(axis=1)


def _rank_is_whole(df: pd.DataFrame) -> pd.Series:
    is_rank = df["kind"].eq("rank") & df["value"].notna()
    return ~is_rank | ((df["value"] >= 1) & (df["value"] == df["value"].round()))


def _share_in_range(df: pd.DataFrame) -> pd.Series:
    bounded = df["kind"].isin(["share", "rate"]) & df["value"].notna()
    return ~bounded | df["value"].between(0, 100)


def _relation_is_sign(df: pd.DataFrame) -> pd.Series:
    rel = df["kind"].eq("relation")
    return ~rel | df["value"].isin([-1.0, 1.0])


#: The checks of whole rows: the function, its message, and its reason code.
_ROW_CHECKS = (
    (_has_a_figure, "no figure: value, yoy_pct and plan_pct are all empty"),
    (_rank_is_whole, "a rank must be a whole number >= 1"),
    (_share_in_range, "a share or rate must lie between 0 and 100 (%)"),
    (_relation_is_sign, "an above/below figure must be +1 or -1"),
)
_ROW_CODES = dict(
    zip(
        (error for _, error in _ROW_CHECKS),
        (
            reason("reject_no_figure"),
            reason("reject_rank_whole"),
            reason("reject_share_range"),
            reason("reject_relation_sign"),
        ),
        strict=True,
    )
)


def figures_schema(*, catalog: Catalog | None = None) -> pa.DataFrameSchema:
    """The pandera schema of ``data/processed/figures.parquet``.

    Built on call from the region and peer-group lists of ``catalog`` (default: the shipped
    one), never at import time.

    Examples
    --------
    >>> schema = figures_schema()
    >>> schema.columns["yoy_pct"].nullable, "region" in schema.columns
    (True, True)
    """
    catalog = catalog or load_catalog()
    region_codes = list(catalog.regions.index)
    group_codes = [*catalog.peer_groups.index, ""]
    kinds = [*KINDS, "uncatalogued"]
    text = {"dtype": str, "nullable": False}
    return pa.DataFrameSchema(
        {
            "region": pa.Column(checks=pa.Check.isin(region_codes), **text),
            "region_zh": pa.Column(**text),
            "period": pa.Column(
                checks=pa.Check.str_matches(r"^\d{4}(Q[1-4]|H[12]|FY|M\d\d(-\d\d)?)$"), **text
            ),
            "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
            "start_month": pa.Column(int, pa.Check.in_range(1, 12)),
            "end_month": pa.Column(int, pa.Check.in_range(1, 12)),
            "indicator": pa.Column(checks=pa.Check.str_length(min_value=1), **text),
            "indicator_zh": pa.Column(**text),
            "catalogued": pa.Column(bool),
            "kind": pa.Column(checks=pa.Check.isin(kinds), **text),
            "value": pa.Column(
                float, pa.Check(_finite, name="isfinite", ignore_na=True), nullable=True
            ),
            "unit": pa.Column(**text),
            "yoy_pct": pa.Column(
                float,
                pa.Check.gt(-100, error="growth of -100% or less is impossible"),
                nullable=True,
            ),
            "plan_pct": pa.Column(float, pa.Check.in_range(0, 1000), nullable=True),
            "qualifier": pa.Column(**text),
            "is_target": pa.Column(bool),
            "peer_group": pa.Column(checks=pa.Check.isin(group_codes), **text),
            "vintage": pa.Column(checks=pa.Check.isin(list(RELEASE_ORDER)), **text),
            "release": pa.Column(int),
            "value_rounding": pa.Column(float, nullable=True),
            "yoy_rounding": pa.Column(float, nullable=True),
            "value_decimals": pa.Column(float, nullable=True),
            "stated": pa.Column(**text),
            "value_conflict": pa.Column(**text),
            "yoy_pct_conflict": pa.Column(**text),
            "plan_pct_conflict": pa.Column(**text),
            "flag": pa.Column(**text),
            "source_file": pa.Column(checks=pa.Check.str_length(min_value=1), **text),
            "source_line": pa.Column(int, pa.Check.ge(1)),
            "source_column": pa.Column(**text),
            "source_url": pa.Column(**text),
            "note": pa.Column(**text),
        },
        checks=[pa.Check(check, error=error) for check, error in _ROW_CHECKS],
        strict=True,
        ordered=True,
        coerce=False,
    )


def _reason(case: pd.Series) -> str:
    check = str(case["check"])
    if case["schema_context"] == "DataFrameSchema":
        return check
    return f"{case['column']}: {check} (got {case['failure_case']!r})"


def _code(case: pd.Series) -> str:
    """The reason code of a failed check (``analysis.reasons``)."""
    if case["schema_context"] == "DataFrameSchema":
        return _ROW_CODES[str(case["check"])]
    return reason("reject_column", column=str(case["column"]), value=str(case["failure_case"]))


def validate(
    frame: pd.DataFrame, *, catalog: Catalog | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split records into valid rows and rejected rows with a reason each.

    Parameters
    ----------
    frame : DataFrame
        Records with the columns of ``COLUMNS``.
    catalog : Catalog, optional
        The regions and peer groups allowed (default: the shipped catalog).

    Returns
    -------
    valid, rejected : DataFrame
        ``valid`` has the rows that pass every check; ``rejected`` has the others with the
        columns ``source_file``, ``source_line`` and ``reason``.

    Raises
    ------
    pandera.errors.SchemaErrors
        When a whole column is wrong (missing, wrong type): a defect in the code that builds
        the records, not in a data row.

    Examples
    --------
    >>> from analysis.data.pipeline import empty_records
    >>> good, bad = validate(empty_records())
    >>> len(good), len(bad)
    (0, 0)
    """
    schema = figures_schema(catalog=catalog)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        row_cases = cases[cases["index"].notna()]
        if len(row_cases) < len(cases):
            raise
        reasons = row_cases.assign(
            reason=row_cases.apply(_reason, axis=1), code=row_cases.apply(_code, axis=1)
        )
        rows = reasons.groupby("index")
        by_row = rows["reason"].agg(lambda r: "; ".join(dict.fromkeys(r)))
        codes = rows["code"].agg(lambda c: join(*dict.fromkeys(c)))
        bad_index = frame.index.isin(by_row.index)
        rejected = frame.loc[bad_index, ["source_file", "source_line", "source_column"]].assign(
            reason=by_row.reindex(frame.index[bad_index]).to_numpy(),
            code=codes.reindex(frame.index[bad_index]).to_numpy(),
        )
        return frame.loc[~bad_index].copy(), rejected.reset_index(drop=True)
    return frame.copy(), pd.DataFrame(columns=REJECT_COLUMNS)


def _same(a: float, b: float, tol_a: float, tol_b: float) -> bool:
    tol = max(np.nan_to_num(tol_a), np.nan_to_num(tol_b), 1e-9)
    return bool(abs(a - b) <= tol + 1e-9 * max(abs(a), abs(b)))


def _duplicate_rows(frame: pd.DataFrame, dup: np.ndarray, exact: list[str]) -> list[dict]:
    """Reject records for the repeated rows, each naming the first row it repeats."""
    if not dup.any():
        return []
    same = frame.groupby(exact, dropna=False, sort=False).ngroup().to_numpy()
    first = np.zeros(same.max() + 1, dtype=int)
    first[same[~dup]] = np.flatnonzero(~dup)  # each first occurrence is its group's only one
    files, lines = frame["source_file"].to_numpy(), frame["source_line"].to_numpy()
    columns = frame["source_column"].to_numpy()
    rows = []
    for position in np.flatnonzero(dup):
        origin = first[same[position]]
        rows.append(
            {
                "source_file": files[position],
                "source_line": lines[position],
                "source_column": columns[position],
                "reason": f"duplicate of {files[origin]}:{lines[origin]} "
                "(same figure, same release, same values)",
                "code": reason("reject_duplicate", file=files[origin], line=lines[origin]),
            }
        )
    return rows


#: A measure stated by more rows than this for one figure and release gets, in each row,
#: a summary of the values it disagrees with (how many, the lowest and the highest)
#: rather than the list of them.
MAX_LISTED = 10


def _clash(a: np.ndarray, b: np.ndarray, ta: np.ndarray, tb: np.ndarray) -> np.ndarray:
    """Whether values disagree beyond the rounding of the less precise (``_same``, on arrays)."""
    tol = np.maximum(np.maximum(ta, tb), 1e-9)
    return np.abs(a - b) > tol + 1e-9 * np.maximum(np.abs(a), np.abs(b))


def _conflicts(values: np.ndarray, tols: np.ndarray, where: list[str]) -> list[str]:
    """The conflict text of each row of one figure's measure ('' when it agrees with all).

    Up to :data:`MAX_LISTED` rows, each lists the values it disagrees with, in file order;
    beyond, each says how many, the lowest and the highest, found on sorted values (one
    search per rounding class): near-linear in the number of rows.
    """
    n = len(values)
    if n <= MAX_LISTED:
        clash = _clash(values[:, None], values[None, :], tols[:, None], tols[None, :])
        return [
            reason(
                "disagree",
                value=f"{values[i]:g}",
                others=", ".join(f"{values[j]:g} ({where[j]})" for j in np.flatnonzero(clash[i])),
            )
            if clash[i].any()
            else ""
            for i in range(n)
        ]
    count = np.zeros(n, dtype=np.int64)
    low = np.full(n, -1)
    high = np.full(n, -1)
    for tol in np.unique(tols):
        members = np.flatnonzero(tols == tol)
        ranked = members[np.argsort(values[members], kind="stable")]
        sorted_values = values[ranked]
        reach = np.maximum(np.maximum(tols, tol), 1e-9) + 1e-9 * np.abs(values)
        below = np.searchsorted(sorted_values, values - reach, side="left")
        above = np.searchsorted(sorted_values, values + reach, side="right")
        count += below + (len(ranked) - above)
        for i in np.flatnonzero(below > 0):  # the lowest clashing value of this class
            j = ranked[0]
            if low[i] < 0 or (values[j], j) < (values[low[i]], low[i]):
                low[i] = j
        top = sorted_values[-1]
        first_top = ranked[np.searchsorted(sorted_values, top, side="left")]
        for i in np.flatnonzero(above < len(ranked)):
            j = first_top
            if high[i] < 0 or (-values[j], j) < (-values[high[i]], high[i]):
                high[i] = j
        for i in np.flatnonzero((below == 0) & (above < len(ranked))):  # lowest is above
            j = ranked[above[i]]
            if low[i] < 0 or (values[j], j) < (values[low[i]], low[i]):
                low[i] = j
        for i in np.flatnonzero((above == len(ranked)) & (below > 0)):  # highest is below
            j = ranked[np.searchsorted(sorted_values, sorted_values[below[i] - 1], "left")]
            if high[i] < 0 or (-values[j], j) < (-values[high[i]], high[i]):
                high[i] = j
    return [
        reason(
            "disagree_many",
            value=f"{values[i]:g}",
            n=int(count[i]),
            lowest=f"{values[low[i]]:g} ({where[low[i]]})",
            highest=f"{values[high[i]]:g} ({where[high[i]]})",
        )
        if count[i]
        else ""
        for i in range(n)
    ]


def mark_duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reject exact repeats of a figure; flag sources that disagree.

    - A row that repeats an earlier row of the same figure and release in every measure
      (value, growth, plan share) is rejected as a duplicate of that row.
    - Rows of the same figure and release whose measures differ by more than the rounding of
      the less precise one are kept, and each gets ``<measure>_conflict`` naming the other
      source, so that no value is picked silently (``select_vintage`` leaves it empty).
    - Values that agree within rounding (39.8万亿元 and 397983亿元) are consistent.
    - A measure stated by more than :data:`MAX_LISTED` rows of one figure is summarised in
      each row (how many values it disagrees with, the lowest and the highest): the work
      and the text stay near-linear in the number of rows.

    Returns
    -------
    kept, rejected : DataFrame

    Examples
    --------
    >>> from analysis.data.pipeline import empty_records
    >>> kept, rejected = mark_duplicates(empty_records())
    >>> len(kept), len(rejected)
    (0, 0)
    """
    out = frame.copy()
    blank = pd.Series("", index=out.index, dtype="str")
    for col in ("value_conflict", "yoy_pct_conflict", "plan_pct_conflict"):
        out[col] = blank
    key = ["region", "period", "indicator", "is_target", "peer_group", "release"]
    exact = [*key, *MEASURES, "unit"]
    # only rows of a figure stated more than once in one release can repeat or clash
    stated_again = out.duplicated(subset=key, keep=False).to_numpy()
    dup = np.zeros(len(out), dtype=bool)
    if stated_again.any():
        dup[stated_again] = out[stated_again].duplicated(subset=exact, keep="first").to_numpy()
    rejected_rows = _duplicate_rows(out, dup, exact)
    if dup.any():
        out = out.loc[~dup]
        stated_again = out.duplicated(subset=key, keep=False).to_numpy()
    several = out[stated_again]
    files, lines = several["source_file"].to_numpy(), several["source_line"].to_numpy()
    for measure, tol_col in (
        ("value", "value_rounding"),
        ("yoy_pct", "yoy_rounding"),
        ("plan_pct", None),
    ):
        have = several[several[measure].notna()]
        if have.empty:
            continue
        at = several.index.get_indexer(have.index)
        values = have[measure].to_numpy(dtype=float)
        tols = np.nan_to_num(have[tol_col].to_numpy(dtype=float)) if tol_col else 0 * values
        texts = np.full(len(have), "", dtype=object)
        group = have.groupby(key, dropna=False, sort=False).ngroup().to_numpy()
        order = np.argsort(group, kind="stable")
        bounds = np.flatnonzero(np.diff(group[order])) + 1
        for rows in np.split(order, bounds):
            if len(rows) < 2:
                continue
            where = [f"{files[at[r]]}:{lines[at[r]]}" for r in rows]
            texts[rows] = _conflicts(values[rows], tols[rows], where)
        conflict = pd.Series(texts, index=have.index)
        out.loc[have.index, f"{measure}_conflict"] = conflict.to_numpy(dtype=object)
    rejected = pd.DataFrame(rejected_rows, columns=REJECT_COLUMNS)
    return out, rejected
