"""Releases of one figure: preliminary, revised, final; and picking one per figure.

A figure is first published preliminary (初步核算) and later revised (初步核实, 最终核实, or
after an economic census). The processed table keeps every release; ``select_vintage``
picks, measure by measure, the latest (for reports) or the first (for backtests).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.reasons import reason

#: Vintage names and their release order (higher = later).
RELEASE_ORDER = {"estimate": 0, "preliminary": 1, "unspecified": 1, "revised": 2, "final": 3}
MEASURES = ("value", "yoy_pct", "plan_pct")
FIGURE_KEY = ["region", "period", "indicator", "is_target", "peer_group"]
#: Columns that describe a level and travel with it when the level is picked.
VALUE_COMPANIONS = ("value_rounding", "value_decimals")

_PRELIMINARY = re.compile(r"^\s*preliminary|初步核算|初步测算|初步统计|初步预计|初步")
_REVISED = re.compile(r"\brevised\b|after (the )?\w* ?econ(omic)? census|普查")
_ESTIMATE = re.compile(r"预计|\bestimate\b", re.IGNORECASE)


def vintage_from_note(note: str) -> str:
    """The vintage a source note states: final, revised, preliminary, estimate or unspecified.

    Examples
    --------
    >>> vintage_from_note("revised 最终核实 (国家统计局公告〔2012〕第1号)")
    'final'
    >>> vintage_from_note("revised 初步核实 (2011-09)")
    'revised'
    >>> vintage_from_note("preliminary 2014 growth as cited in 2015 (later revised to 7.3)")
    'preliminary'
    >>> vintage_from_note("third-party table; 2019 level as revised after 4th econ census")
    'revised'
    >>> vintage_from_note("estimate 预计 (2013 report)"), vintage_from_note("")
    ('estimate', 'unspecified')
    """
    note = note or ""
    if "最终核实" in note:
        return "final"
    if "初步核实" in note:
        return "revised"
    if _PRELIMINARY.search(note):
        return "preliminary"
    if _REVISED.search(note):
        return "revised"
    if _ESTIMATE.search(note):
        return "estimate"
    return "unspecified"


def _first_per_group(group: np.ndarray, rows: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Of ``rows`` (positions), the first of each group when sorted by ``keys`` in turn.

    Returns one position per group that has rows, in group order; ties keep table order.
    """
    order = np.lexsort((rows, *reversed(keys), group[rows]))
    chosen = rows[order]
    starts = np.r_[True, group[chosen][1:] != group[chosen][:-1]]
    return chosen[starts]


def _source_labels(frame: pd.DataFrame) -> pd.api.extensions.ExtensionArray:
    """``file:line`` of every row, then '' (texts: each distinct file and line written once).

    Examples
    --------
    >>> rows = pd.DataFrame({"source_file": ["a.csv", "a.csv", "b.csv"], "source_line": [3, 4, 3]})
    >>> _source_labels(rows).tolist()
    ['a.csv:3', 'a.csv:4', 'b.csv:3', '']
    """
    lines = frame["source_line"]
    if lines.dtype == object:  # 1, 1.0 and True would be one value: as the texts they write
        lines = lines.map(str)
    parts = [pd.factorize(frame["source_file"], use_na_sentinel=False)]
    parts.append(pd.factorize(lines, use_na_sentinel=False))
    (file_number, files), (line_number, lines) = parts
    files = np.array([f"{f}:" for f in files.tolist()], dtype=object)
    lines = np.array([f"{line}" for line in lines.tolist()], dtype=object)
    labels = np.append(files[file_number] + lines[line_number], "")
    return pd.array(labels, dtype="str")


def _infer_like_rows(out: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Column types as building the frame from row objects gives (the row-by-row rule)."""
    for col in out.columns:
        column = out[col]
        loose = column.dtype == object or (
            col in figures.columns and not pd.api.types.is_numeric_dtype(column.dtype)
            and not pd.api.types.is_bool_dtype(column.dtype) and column.isna().all()
        )  # fmt: skip
        if loose:
            out[col] = pd.Series(column.tolist(), index=out.index)
    return out


def select_vintage(figures: pd.DataFrame, *, which: str = "latest") -> pd.DataFrame:
    """One row per figure, each measure taken from the latest (or first) release that has it.

    Measures (``value``, ``yoy_pct``, ``plan_pct``) are picked independently, so a level from
    one release and a growth rate stated only in another both survive. Within one release the
    most precisely stated value wins, and its ``value_rounding`` and ``value_decimals`` come
    with it. Where sources of the same release disagree beyond rounding, the measure is left
    empty and ``<measure>_reason`` says why.

    Parameters
    ----------
    figures : DataFrame
        The processed table (``data/processed/figures.parquet``).
    which : {'latest', 'first'}
        ``latest`` for a report of the current state, ``first`` for what was known at the
        time (projection backtests).

    Returns
    -------
    DataFrame
        The figure key columns, the measures, ``<measure>_source`` (file:line) and
        ``<measure>_reason``, plus the descriptive columns of the chosen rows.

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "region": ["china"] * 2, "period": ["2010FY"] * 2, "indicator": ["gdp"] * 2,
    ...     "is_target": [False] * 2, "peer_group": [""] * 2,
    ...     "value": [397983.0, 401513.0], "yoy_pct": [np.nan, 10.4], "plan_pct": [np.nan] * 2,
    ...     "release": [1, 3], "vintage": ["preliminary", "final"],
    ...     "source_file": ["a.csv"] * 2, "source_line": [5, 3]})
    >>> select_vintage(rows)[["value", "yoy_pct", "vintage"]].values.tolist()
    [[401513.0, 10.4, 'final']]
    >>> select_vintage(rows, which="first")[["value", "yoy_pct"]].values.tolist()
    [[397983.0, 10.4]]
    """
    if which not in ("latest", "first"):
        raise ValueError(f"which must be 'latest' or 'first', not {which!r}")
    if figures.empty:
        return figures.copy()
    release = figures["release"]
    if not pd.api.types.is_numeric_dtype(release.dtype) or release.isna().any():
        raise ValueError("select_vintage needs a release order (a number) for every row")
    frame = figures.reset_index(drop=True)
    group = frame.groupby(FIGURE_KEY, sort=True, dropna=False).ngroup().to_numpy()
    n_groups = int(group.max()) + 1
    # later releases first for 'latest' (ties keep the order of the table)
    rank = release.to_numpy(dtype=float) * (-1.0 if which == "latest" else 1.0)
    every = np.arange(len(frame))
    out = frame.iloc[_first_per_group(group, every, rank)].reset_index(drop=True)
    labels, unlabelled = _source_labels(frame), len(frame)
    for measure in MEASURES:
        values = np.full(n_groups, np.nan)
        sources = np.full(n_groups, unlabelled)  # the row whose label is the source
        reasons = np.full(n_groups, "", dtype=object)
        have = every[frame[measure].notna().to_numpy()]
        if have.size:
            extreme = np.zeros(n_groups, dtype=rank.dtype)
            top = _first_per_group(group, have, rank[have])
            extreme[group[top]] = rank[top]
            same = have[rank[have] == extreme[group[have]]]
            rounding_col = "value_rounding" if measure == "value" else "yoy_rounding"
            if rounding_col in frame:
                rounding = frame[rounding_col].to_numpy(dtype=float)
                missing = np.isnan(rounding)
                best = _first_per_group(
                    group, same, missing[same], np.where(missing, 0.0, rounding)[same]
                )
            else:
                best = _first_per_group(group, same)
            at = group[best]
            values[at] = frame[measure].to_numpy(dtype=float)[best]
            sources[at] = best
            conflict_col = f"{measure}_conflict"
            if conflict_col in frame:
                conflicts = frame[conflict_col]
                clashing = same[(conflicts != "").to_numpy()[same]]
                if clashing.size:
                    if rounding_col in frame:
                        first = _first_per_group(
                            group, clashing, missing[clashing],
                            np.where(missing, 0.0, rounding)[clashing],
                        )  # fmt: skip
                    else:
                        first = _first_per_group(group, clashing)
                    text = conflicts.to_numpy(dtype=object)[first]
                    values[group[first]] = np.nan
                    reasons[group[first]] = [
                        reason("conflicting_sources", conflict=t) for t in text
                    ]
        if measure == "value":
            # a level's precision travels with the level, not with the latest row
            for column in VALUE_COMPANIONS:
                if column in frame:
                    companion = np.full(n_groups, np.nan)
                    if have.size:
                        companion[at] = frame[column].to_numpy(dtype=float)[best]
                    out[column] = np.where(np.isnan(values), np.nan, companion)
        out[measure] = values
        out[f"{measure}_source"] = labels.take(sources)
        out[f"{measure}_reason"] = pd.Series(reasons, dtype="str")
    return _infer_like_rows(out, figures)


#: How :func:`one_basis` put the two figures of a derived period on one basis.
#: ``same``: the chosen releases already agree; ``aligned``: the later one of the two
#: chosen releases has no partner, so both are taken from the latest (or, for
#: ``which='first'``, the earliest) release that holds both; ``mixed``: no release holds
#: both, so no derived value may be computed from the pair.
BASIS = ("same", "aligned", "mixed")

_BASIS_KEY = ["region", "indicator"]


def one_basis(
    figures: pd.DataFrame,
    *,
    earlier: str | list[str],
    later: str | list[str],
    which: str = "latest",
) -> pd.DataFrame:
    """Levels of two periods taken from one release, so that their difference is meaningful.

    A derived period (H2 = FY - H1, Q2 = H1 - Q1, a share H1 / FY) is only meaningful when
    both figures are of one vintage: a census-revised full year minus a first-release first
    half is not a second half. For each region and indicator with a level in both periods,
    the release of each is first chosen as :func:`select_vintage` would (the latest, or the
    first); when the two differ, both are taken from the latest (or first) release that
    holds a level of each (``aligned``); when no release holds both, the pair is ``mixed``
    and its values are left empty. Within one release the most precisely stated value wins,
    as in :func:`select_vintage`.

    Parameters
    ----------
    figures : DataFrame
        The processed table (all vintages): ``region, period, indicator, is_target,
        peer_group, value, release`` and the columns :func:`select_vintage` reads.
    earlier, later : str or list of str
        Period codes of the pairs (e.g. ``'2019H1'`` and ``'2019FY'``), or lists of equal
        length for several pairs at once.
    which : {'latest', 'first'}
        Start from the latest releases (a report of the current state) or the first (what
        was known at the time).

    Returns
    -------
    DataFrame
        One row per region, indicator and pair with a level in both periods:
        ``region, indicator, earlier, later, value_earlier, value_later, release_earlier,
        release_later`` (the releases the values come from), ``release_wanted_earlier,
        release_wanted_later`` (the releases :func:`select_vintage` would have used) and
        ``basis`` (one of :data:`BASIS`).

    Examples
    --------
    China's 2019 first half was published once; its full year was first published at
    990,865亿元 and revised to 986,515亿元. The latest pair is aligned to the first release:

    >>> rows = pd.DataFrame({
    ...     "region": "china", "indicator": "gdp", "is_target": False, "peer_group": "",
    ...     "period": ["2019H1", "2019FY", "2019FY"], "value": [450933.0, 990865.0, 986515.0],
    ...     "release": [1, 1, 2], "yoy_pct": np.nan, "plan_pct": np.nan,
    ...     "source_file": "f.csv", "source_line": [68, 64, 65]})
    >>> pair = one_basis(rows, earlier="2019H1", later="2019FY").iloc[0]
    >>> pair["basis"], pair["value_later"] - pair["value_earlier"]
    ('aligned', np.float64(539932.0))
    >>> one_basis(rows.iloc[[0, 2]], earlier="2019H1", later="2019FY")[
    ...     ["basis", "release_earlier", "release_later"]].values.tolist()
    [['mixed', 1, 2]]
    """
    if which not in ("latest", "first"):
        raise ValueError(f"which must be 'latest' or 'first', not {which!r}")
    earlier_list = [earlier] if isinstance(earlier, str) else list(earlier)
    later_list = [later] if isinstance(later, str) else list(later)
    if len(earlier_list) != len(later_list):
        raise ValueError(
            f"earlier and later must pair up: {len(earlier_list)} and {len(later_list)} periods"
        )
    columns = [
        *_BASIS_KEY, "earlier", "later", "value_earlier", "value_later", "release_earlier",
        "release_later", "release_wanted_earlier", "release_wanted_later", "basis",
    ]  # fmt: skip
    pairs = pd.DataFrame({"earlier": earlier_list, "later": later_list}).drop_duplicates()
    periods = set(earlier_list) | set(later_list)
    rows = figures.loc[
        figures["period"].isin(periods)
        & ~figures["is_target"].astype(bool)
        & figures["value"].notna()
    ]
    if rows.empty or pairs.empty:
        return pd.DataFrame(columns=columns).astype({"value_earlier": float, "value_later": float})
    latest = which == "latest"
    # every (pair, side) a period plays, then the releases holding a level of each
    sides = pd.concat(
        [
            pairs.reset_index(drop=True).rename_axis("pair").reset_index()[["pair", side]]
            .rename(columns={side: "period"}).assign(side=side)
            for side in ("earlier", "later")
        ],
        ignore_index=True,
    )  # fmt: skip
    releases = rows[[*_BASIS_KEY, "period", "release"]].drop_duplicates().merge(sides)
    group = [*_BASIS_KEY, "pair"]
    per_side = releases.groupby([*group, "side"], sort=False)["release"]
    wanted = (per_side.max() if latest else per_side.min()).unstack("side")  # noqa: PD010
    if wanted.empty or not {"earlier", "later"} <= set(wanted.columns):
        return pd.DataFrame(columns=columns).astype({"value_earlier": float, "value_later": float})
    wanted = wanted.dropna(subset=["earlier", "later"])
    sided = releases.groupby([*group, "release"], sort=False)["side"].nunique()
    shared = sided[sided == 2].reset_index().groupby(group, sort=False)["release"]
    shared = (shared.max() if latest else shared.min()).reindex(wanted.index)
    both = pd.DataFrame(
        {
            "release_wanted_earlier": wanted["earlier"],
            "release_wanted_later": wanted["later"],
            "shared": shared,
        }
    )
    same = both["release_wanted_earlier"] == both["release_wanted_later"]
    both["basis"] = np.where(same, "same", np.where(both["shared"].notna(), "aligned", "mixed"))
    use = both["shared"].where(~same, both["release_wanted_earlier"])
    both["release_earlier"] = use.where(use.notna(), both["release_wanted_earlier"])
    both["release_later"] = use.where(use.notna(), both["release_wanted_later"])
    both = both.reset_index()
    both = both.join(pairs.reset_index(drop=True), on="pair")
    # the values of the chosen releases, the most precise of a release winning
    chosen = pd.concat(
        [
            both[[*_BASIS_KEY, side, f"release_{side}"]].rename(
                columns={side: "period", f"release_{side}": "release"}
            )
            for side in ("earlier", "later")
        ]
    ).drop_duplicates()
    picked = select_vintage(rows.merge(chosen, on=[*_BASIS_KEY, "period", "release"]))
    values = picked[[*_BASIS_KEY, "period", "value"]].drop_duplicates([*_BASIS_KEY, "period"])
    values = values.set_index([*_BASIS_KEY, "period"])["value"]
    for side in ("earlier", "later"):
        at = pd.MultiIndex.from_frame(both[[*_BASIS_KEY, side]])
        both[f"value_{side}"] = values.reindex(at).to_numpy(dtype=float)
    mixed = both["basis"] == "mixed"
    both.loc[mixed, ["value_earlier", "value_later"]] = np.nan
    out = both[columns].sort_values([*_BASIS_KEY, "later"], kind="stable")
    int_columns = [c for c in columns if c.startswith("release")]
    return out.astype(dict.fromkeys(int_columns, "int64")).reset_index(drop=True)
