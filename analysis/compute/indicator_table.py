"""One tidy indicator table: every figure of a region and period with its computed companions.

``indicator_table`` is what the reports read, for one region or for thousands at once (the
figures are selected once and every measure is computed column-wise). It has one row per
region, indicator and measure:

=====================  =====================================================================
measure                what
=====================  =====================================================================
value                  the level as published (latest release unless ``which='first'``)
value_decimals         the decimals the source wrote the level with (253 -> 0, 18.12 -> 2)
yoy_pct                the growth as published (real for GDP and industry, see the catalog)
yoy_computed           nominal growth computed from this level and last year's
yoy_gap_pts            computed minus published growth, flagged above a threshold
prev_value, prev_yoy   the same period of last year
growth_change_pts      growth now minus growth a year ago, in points
earlier_yoy_pct        growth of the earlier period of this year (Q1 for H1, H1 for Q3, Q3 for FY)
change_vs_earlier_pts  growth now minus that earlier growth, in points
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
rank_yoy, rank_value   rank among the peer group by growth and by level (text ``n/m``)
peer_avg_yoy           the peer group's average growth, and ``gap_peer_avg_pts``
yoy_<parent>           growth of each level above (city, province, nation) ...
gap_<parent>_pts       ... and the region's gap to it in points
=====================  =====================================================================

An indicator with only a target for the year (全年规划建设路网 127条) has its rows too, with
the target and no level. Each row carries ``value`` (float), ``text`` (a code where the
measure has one: the target's qualifier as published, a verdict of
``indicators.VERDICTS``, ``flag``, the parent region, the whole's indicator, ``n/m`` peers
with a figure), ``unit``, ``reason`` (why the value is missing, or a caveat, as a code of
:mod:`analysis.reasons`), ``basis`` (the formula or source) and ``group`` (the peer group
of a rank). A value that cannot be computed is NaN with a reason, never dropped and never filled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.compute import indicators
from analysis.data.vintages import FIGURE_KEY, VALUE_COMPANIONS, one_basis, select_vintage
from analysis.errors import HalfyearError
from analysis.periods import Period, previous_year
from analysis.reasons import reason, reasons

COLUMNS = [
    "region",
    "period",
    "indicator",
    "measure",
    "value",
    "text",
    "unit",
    "reason",
    "basis",
    "group",
]

#: Computed nominal growth differing from published growth by more than this is flagged.
CONSISTENCY_THRESHOLD = 1.0

#: Target qualifiers as the verdict reads them: a range states its lower bound.
_VERDICT_QUALIFIER = {"以上": "以上", "左右": "左右", "区间": "以上", "": ""}

#: Kinds of indicator whose growth is not computed from levels, and those not ranked.
_NOT_GROWN = ("rank", "relation", "share", "rate")
_NOT_RANKED = ("rank", "relation")


class TableError(HalfyearError, ValueError):
    """A region or period the indicator table cannot be built for."""


def default_peer_group(region: str, *, catalog: Catalog | None = None) -> str | None:
    """The group a region is compared in (``Catalog.peer_group``): the smallest named group
    it belongs to, else its group by rule; None if it is in none.

    Examples
    --------
    >>> default_peer_group("erqi"), default_peer_group("shangjie"), default_peer_group("china")
    ('inner5', 'inner6', None)
    """
    return (catalog or load_catalog()).peer_group(region)


def _ancestors(code: str, catalog: Catalog, parents: dict | None = None) -> list[str]:
    """The levels above a region, nearest first (``parents``: region -> parent, if at hand)."""
    if parents is None:
        regs = catalog.regions
        parents = {code: regs.loc[code, "parent"]}
    chain, parent = [], parents[code]
    while parent:
        chain.append(parent)
        parent = parents[parent] if parent in parents else catalog.regions.loc[parent, "parent"]
    return chain


def wide(table: pd.DataFrame, *, column: str = "value") -> pd.DataFrame:
    """The indicator table of one region pivoted: one row per indicator, one column per measure.

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


#: The columns of the figures the table reads (directly or through the vintage selection).
_USED = frozenset(
    [*FIGURE_KEY, "release", "value", "yoy_pct", "plan_pct", *VALUE_COMPANIONS, "yoy_rounding",
     "value_conflict", "yoy_pct_conflict", "plan_pct_conflict", "source_file", "source_line",
     "qualifier", "unit"]
)  # fmt: skip


class _Lookup:
    """Latest (or first) figures of many regions, looked up in bulk."""

    _KEY = ("region", "period", "indicator", "is_target")

    def __init__(self, figures: pd.DataFrame, which: str):
        picked = select_vintage(figures, which=which)
        self.raw, self.which = figures, which
        # the key as one number: region, period and indicator numbered, then combined
        self.codes, numbers, key = {}, {}, np.zeros(len(picked), dtype=np.int64)
        for column in self._KEY[:3]:
            numbers[column], codes = pd.factorize(picked[column], use_na_sentinel=False)
            self.codes[column] = pd.Index(np.asarray(codes, dtype=object), dtype=object)
            key = key * len(codes) + numbers[column]
        target = picked["is_target"].astype(bool).to_numpy()
        key = key * 2 + target
        # a figure stated for several peer groups: the last one stands (keys in order)
        self.keys, last = np.unique(key[::-1], return_index=True)
        kept = len(key) - 1 - last
        self.numbers = {column: number[kept] for column, number in numbers.items()}
        self.target = target[kept]
        self.value = picked["value"].to_numpy(dtype=float)[kept]
        self.yoy = picked["yoy_pct"].to_numpy(dtype=float)[kept]
        self.plan = picked["plan_pct"].to_numpy(dtype=float)[kept]
        self.decimals = (
            picked["value_decimals"].to_numpy(dtype=float)[kept]
            if "value_decimals" in picked
            else np.full(len(kept), np.nan)
        )
        self.qualifier = self._texts(picked, "qualifier", kept)
        self.unit = self._texts(picked, "unit", kept)
        self.group = self._texts(picked, "peer_group", kept)
        value_source = self._texts(picked, "value_source", kept)
        self.source = np.where(
            value_source != "", value_source, self._texts(picked, "yoy_pct_source", kept)
        )
        self.reason = {m: _objects(picked[f"{m}_reason"], kept) for m in ("value", "yoy_pct")}

    @staticmethod
    def _texts(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
        """``str(row.get(column, '') or '')`` for the rows at positions ``rows``."""
        if column not in frame:
            return np.full(len(rows), "", dtype=object)
        values = frame[column]
        if isinstance(values.dtype, pd.StringDtype):  # text, or NaN (which str() spells)
            return _objects(values.fillna("nan"), rows)
        return np.array([str(x or "") for x in values], dtype=object)[rows]

    def get(self, region, period, indicator, *, target: bool = False) -> Mapping[str, np.ndarray]:
        """Figures of many (region, period, indicator), NaN and '' where there is none.

        Each of ``region, period, indicator`` is one code, an array of codes, or a
        ``pd.Categorical`` of them (faster for many rows of few codes).
        """
        n = max(np.size(region), np.size(period), np.size(indicator))
        key, known = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
        for column, asked in zip(self._KEY[:3], (region, period, indicator), strict=True):
            codes = self.codes[column]
            if isinstance(asked, pd.Categorical):  # each distinct code looked up once
                number = codes.get_indexer(asked.categories)[asked.codes]
                number[asked.codes < 0] = -1
            else:
                number = codes.get_indexer(np.atleast_1d(np.asarray(asked, dtype=object)))
            known &= number >= 0
            key = key * len(codes) + number
        key = key * 2 + bool(target)
        place = np.searchsorted(self.keys, key)
        found = known & (place < len(self.keys))
        found[found] = self.keys[place[found]] == key[found]
        fields = {
            "value": (self.value, np.nan),
            "yoy": (self.yoy, np.nan),
            "plan": (self.plan, np.nan),
            "decimals": (self.decimals, np.nan),
            "qualifier": (self.qualifier, ""),
            "source": (self.source, ""),
            "unit": (self.unit, ""),
            "group": (self.group, ""),
            "value_reason": (self.reason["value"], ""),
            "yoy_reason": (self.reason["yoy_pct"], ""),
        }
        return _Found(fields, found, np.where(found, place, 0))


def _objects(values: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The values at positions ``rows`` as Python objects, each distinct value made once."""
    numbers, distinct = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(distinct, dtype=object)[numbers[rows]]


class _Found(Mapping):
    """Figures found by ``_Lookup.get``: each field taken when it is first read."""

    def __init__(self, fields: dict[str, tuple[np.ndarray, object]], found, pick):
        self.fields, self.found, self.pick = fields, found, pick
        self.taken: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.taken:
            values, missing = self.fields[name]
            if not len(values):
                kind = float if isinstance(missing, float) else object
                self.taken[name] = np.full(len(self.found), missing, dtype=kind)
            else:
                self.taken[name] = np.where(self.found, values[self.pick], missing)
        return self.taken[name]

    def __iter__(self):
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


def _nan_or(values: np.ndarray, why) -> np.ndarray:
    """``why`` where ``values`` is NaN, '' elsewhere."""
    return np.where(np.isnan(values), why, "")


def _or(first: np.ndarray, second) -> np.ndarray:
    """``first or second`` element-wise (texts)."""
    first = np.asarray(first, dtype=object)
    empty = np.array([not x for x in first], dtype=bool)
    return np.where(empty, second, first)


def _text_of(*parts) -> np.ndarray:
    """Element-wise concatenation of texts and arrays of texts."""
    out = np.asarray("", dtype=object)
    for part in parts:
        out = out + np.asarray(part, dtype=object)
    return out


def _with_figures(figures: pd.DataFrame, period: str) -> set[str]:
    """The regions with a figure (not a target) in the period."""
    actual = figures["period"].eq(period) & ~figures["is_target"]
    return set(figures.loc[actual, "region"].unique())


def _check(figures: pd.DataFrame, regions: list[str], period: str, with_period: set[str]) -> None:
    """TableError for a region without figures in the period (``with_period``: the regions
    with one), saying what exists."""
    missing = [region for region in regions if region not in with_period]
    if not missing:
        return
    actual = figures.loc[~figures["is_target"], ["region", "period"]]  # two columns: fast
    region = missing[0]
    mine = actual[actual["region"] == region]
    if mine.empty:
        have = sorted(set(actual["region"]))
        raise TableError(f"no figures for region {region!r}; regions with figures: {have}")
    have = sorted(set(mine["period"]))
    raise TableError(f"no figures for {region} in {period}; periods with figures: {have}")


def _groups_of(regions: list[str], peer_group: str | None, catalog: Catalog) -> dict[str, str]:
    """The peer group of each region: ``peer_group`` or its default ('' for none)."""
    groups = catalog.peer_groups
    if peer_group is not None:
        if peer_group not in groups.index:
            raise TableError(f"unknown peer group {peer_group!r}; known: {list(groups.index)}")
        return dict.fromkeys(regions, peer_group)
    # named groups first (as Catalog.peer_group), then groups by rule; the smallest of them
    named = groups["rule"].eq("named") if "rule" in groups else pd.Series(True, groups.index)
    holding: dict[str, list[tuple[bool, int, str]]] = {}
    for code, members, is_named in zip(groups.index, groups["members"], named, strict=True):
        for member in members:
            holding.setdefault(member, []).append((not is_named, len(members), code))
    out = {}
    for region in regions:
        sizes = holding.get(region, [])
        if not sizes:
            out[region] = ""
            continue
        smallest = min(sizes)[:2]
        best = [c for rule, s, c in sizes if (rule, s) == smallest]
        out[region] = (
            best[0] if len(best) == 1 else default_peer_group(region, catalog=catalog) or ""
        )
    return out


def _relevant(
    figures: pd.DataFrame, regions: list[str], groups: dict, periods: set[str], catalog: Catalog
) -> pd.DataFrame:
    """The rows any measure can use: the periods needed, and for a few regions only theirs,
    their peers' and the levels above (fewer rows, faster vintage selection); the columns
    the table reads (``_USED``)."""
    rows = figures["period"].isin(periods).to_numpy(copy=True)
    if len(regions) <= 50:
        table = catalog.peer_groups
        wanted = set(regions)
        for region in regions:
            wanted |= set(_ancestors(region, catalog))
            if groups[region]:
                wanted |= set(table.loc[groups[region], "members"])
        rows &= figures["region"].isin(wanted).to_numpy()
    return figures.loc[rows, [c for c in figures.columns if c in _USED]]


def indicator_table(
    figures: pd.DataFrame,
    *,
    region: str | Sequence[str] | None,
    period: str,
    peer_group: str | None = None,
    which: str = "latest",
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Every figure of one or many regions in a period with its computed companions.

    Parameters
    ----------
    figures : DataFrame
        The processed table (all vintages).
    region : str, sequence of str or None
        Region code, or codes (their tables follow one another in this order); None for
        every region with figures in the period, by code.
    period : str
        Canonical period code (``2019H1``).
    peer_group : str, optional
        Peer-group code for ranks and the peer average; default the smallest group each
        region belongs to.
    which : {'latest', 'first'}
        Vintage: the latest release (reports) or the first (what was known at the time).
    catalog : Catalog, optional
        Indicators, regions and peer groups (default: the shipped catalog).

    Returns
    -------
    DataFrame
        Columns ``region, period, indicator, measure, value, text, unit, reason, basis,
        group``; see the module docstring for the measures.

    Raises
    ------
    TableError
        For a region without figures in the period (the message lists what exists).

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> figures = load_figures()
    >>> t = indicator_table(figures, region="erqi", period="2019H1")
    >>> w = wide(t)
    >>> float(round(w.loc["major_project_investment", "annual_plan_implied"], 1))
    496.1
    >>> float(w.loc["major_project_investment", "progress_gap_pts"])
    1.0
    >>> float(round(w.loc["livelihood_spending_share", "whole_implied"], 2))
    13.84
    >>> t.set_index(["indicator", "measure"]).loc[("gdp", "yoy_computed"), "reason"]
    'no_level period=2018H1'
    >>> both = indicator_table(figures, region=["henan", "erqi"], period="2019H1")
    >>> list(dict.fromkeys(both["region"]))
    ['henan', 'erqi']
    """
    with_period = _with_figures(figures, period)
    if region is None:
        regions = sorted(with_period)
    else:
        regions = [region] if isinstance(region, str) else list(region)
    catalog = catalog or load_catalog()
    span = Period.from_code(period)
    _check(figures, regions, period, with_period)
    groups = _groups_of(regions, peer_group, catalog)
    prev_code = previous_year(span).code
    earlier_code = earlier_period(span)
    needed = {period, prev_code, f"{span.year}FY", f"{span.year - 1}H1", f"{span.year - 1}FY"}
    needed |= {earlier_code} if earlier_code else set()
    look = _Lookup(_relevant(figures, regions, groups, needed, catalog), which)
    items = _items(look, regions, span, catalog)
    table = _Table(items)
    now = look.get(items.region_at, period, items.code_at)
    prev = look.get(items.region_at, prev_code, items.code_at)
    target = look.get(items.region_at, f"{span.year}FY", items.code_at, target=True)
    _levels_and_growth(table, items, now=now, prev=prev, span=span)
    _earlier(table, items, look, now=now, span=span)
    plan_total = _plans(table, items, now=now, span=span)
    _targets(table, items, look, now=now, target=target, plan_total=plan_total, span=span)
    _shares(table, items, look, now=now, period=period)
    _peers(table, items, look, groups=groups, now=now, period=period, catalog=catalog)
    _parents(table, items, look, now=now, period=period, catalog=catalog)
    return table.frame(period)


class _Items:
    """The rows of the table before its measures: (region, indicator) in table order."""

    def __init__(self, region: list[str], code: list[str], catalog: Catalog):
        cat = catalog.indicators
        self.region = np.array(region, dtype=object)
        # each item's region as a number into the distinct regions (texts made once each)
        self.region_number, self.regions = pd.factorize(self.region)
        self.code = np.array(code, dtype=object)
        # the same, as categoricals (for looking figures up once per distinct code)
        self.region_at = pd.Categorical.from_codes(self.region_number, self.regions)
        self.code_at = pd.Categorical(self.code)
        self.n = len(self.code)
        # the catalog's rows, looked up once per distinct indicator
        distinct, number = self.code_at.categories, self.code_at.codes
        self.known = np.isin(np.asarray(distinct, dtype=object), cat.index)[number]
        self.info = cat.reindex(distinct).iloc[number]
        self.kind = np.where(self.known, self.info["kind"].to_numpy(dtype=object), "uncatalogued")
        self.real = np.where(
            self.known, self.info["comparable_prices"].fillna(False).to_numpy(dtype=bool), False
        )
        self.higher = np.where(
            self.known, self.info["higher_is_better"].fillna(True).to_numpy(dtype=bool), True
        )


def _items(look: _Lookup, regions: list[str], span: Period, catalog: Catalog) -> _Items:
    """The indicators of each region with a figure in the period or a target for its year."""
    numbers, codes = look.numbers, look.codes
    now, year = codes["period"].get_indexer([span.code, f"{span.year}FY"])
    period, target = numbers["period"], look.target
    here = ((period == now) & ~target) | ((period == year) & target)
    code_number = numbers["indicator"][here]
    # each region's indicators once, in catalog order (uncatalogued last, by code)
    unique = list(dict.fromkeys(regions))
    place = pd.Index(unique, dtype=object).get_indexer(codes["region"])[numbers["region"][here]]
    catalogued = pd.Index(catalog.indicators.index).get_indexer(codes["indicator"])
    rank = np.where(catalogued >= 0, catalogued, len(catalog.indicators))
    alphabetical = np.argsort(np.argsort(np.asarray(codes["indicator"], dtype=object)))
    mine = np.flatnonzero(place >= 0)
    order = mine[
        np.lexsort((alphabetical[code_number[mine]], rank[code_number[mine]], place[mine]))
    ]
    order = order[_first_of_each(place[order], code_number[order])]
    # the regions in the order asked (a region asked twice has its rows twice)
    bounds = np.searchsorted(place[order], np.arange(len(unique) + 1))
    slices = {r: order[bounds[i] : bounds[i + 1]] for i, r in enumerate(unique)}
    chosen = np.concatenate([slices[r] for r in regions]) if regions else np.array([], int)
    region = np.asarray(codes["region"], dtype=object)[numbers["region"][here]]
    code = np.asarray(codes["indicator"], dtype=object)[code_number]
    return _Items(region[chosen].tolist(), code[chosen].tolist(), catalog)


def _first_of_each(*keys: np.ndarray) -> np.ndarray:
    """Where sorted ``keys`` start a new combination (True for the first of each)."""
    if not len(keys[0]):
        return np.array([], dtype=bool)
    new = np.zeros(len(keys[0]), dtype=bool)
    new[0] = True
    for key in keys:
        new[1:] |= key[1:] != key[:-1]
    return new


class _Texts:
    """A text column built block by block: numbers into the distinct texts of each block.

    A text column of the table repeats few texts (a unit, a basis, a reason of one period)
    over many rows; numbering them per block and spelling each once at the end saves
    converting every row's text to the table's text type.
    """

    def __init__(self) -> None:
        self.numbers: list[np.ndarray] = []
        self.words: list[np.ndarray] = []
        self.size = 0

    def add(self, texts, m: int) -> None:
        """Append ``m`` rows: ``texts`` is one text for all of them or one text per row."""
        texts = np.asarray(texts, dtype=object)
        if texts.ndim == 0:
            numbers, words = np.zeros(m, dtype=np.int32), texts.reshape(1)
        else:
            numbers, words = pd.factorize(np.broadcast_to(texts, (m,)))
            words = np.asarray(words, dtype=object)
            if (numbers < 0).any():  # a missing text: one more word
                numbers = np.where(numbers < 0, len(words), numbers)
                words = np.append(words, np.nan)
        # (32-bit numbers: half the memory of the table's widest temporaries)
        self.numbers.append(numbers.astype(np.int32) + np.int32(self.size))
        self.words.append(words)
        self.size += len(words)

    def spelled(self) -> tuple[np.ndarray, np.ndarray]:
        """The numbers of every row so far, and the texts they number."""
        return np.concatenate(self.numbers), np.concatenate(self.words)


def _text_column(words: np.ndarray, numbers: np.ndarray) -> pd.arrays.ArrowStringArray:
    """The column of texts ``words[numbers]``, converting each distinct text once."""
    return pd.array(words, dtype="str").take(numbers)


class _Table:
    """The measures, added block by block (a block: one measure for some items)."""

    _TEXTS = ("measure", "text", "unit", "reason", "basis", "group")

    def __init__(self, items: _Items):
        self.items = items
        self.item: list[np.ndarray] = []
        self.slot: list[np.ndarray] = []
        self.value: list[np.ndarray] = []
        self.texts = {name: _Texts() for name in self._TEXTS}

    def add(
        self, slot, measure, value=None, *, rows=None, text="", unit="", why="", basis="", group=""
    ):
        """Add ``measure`` for the items ``rows`` (default all); ``slot`` orders measures."""
        rows = np.arange(self.items.n) if rows is None else rows
        m = len(rows)
        value = np.full(m, np.nan) if value is None else np.broadcast_to(value, (m,))
        self.item.append(np.asarray(rows))
        self.slot.append(np.full(m, slot))
        self.value.append(np.asarray(value, dtype=float))
        given = {"measure": measure, "text": text, "unit": unit, "reason": why, "basis": basis}
        for name, texts in {**given, "group": group}.items():
            self.texts[name].add(texts, m)

    def frame(self, period: str) -> pd.DataFrame:
        items = self.items
        if not self.item or not items.n:
            return pd.DataFrame(columns=COLUMNS).astype(
                {c: ("float64" if c == "value" else "str") for c in COLUMNS}
            )
        item = np.concatenate(self.item)
        order = np.lexsort((np.concatenate(self.slot), item))
        item = item[order]
        value = np.concatenate(self.value)[order]
        codes = items.code_at
        columns = {
            "region": _text_column(items.regions, items.region_number[item]),
            "period": _text_column(np.array([period], dtype=object), np.zeros(len(item), int)),
            "indicator": _text_column(np.asarray(codes.categories), codes.codes[item]),
            "value": value,
        }
        spelled = {name: texts.spelled() for name, texts in self.texts.items()}
        spelled = {name: (numbers[order], words) for name, (numbers, words) in spelled.items()}
        # a missing value with neither a word nor a reason: 'not computable'
        (text, text_words), (why, why_words) = spelled["text"], spelled["reason"]
        silent = np.isnan(value) & (text_words == "")[text] & (why_words == "")[why]
        spelled["reason"] = (
            np.where(silent, len(why_words), why),
            np.append(why_words, reason("not_computable")),
        )
        for name, (numbers, words) in spelled.items():
            columns[name] = _text_column(words, numbers)
        return pd.DataFrame(columns, columns=COLUMNS)


def _levels_and_growth(table: _Table, items: _Items, *, now, prev, span: Period) -> None:
    """The level and growth, computed nominal growth, last year's, the change in growth."""
    period, prev_code = span.code, previous_year(span).code
    real, kind = items.real, items.kind
    table.add(
        0,
        "value",
        now["value"],
        text=now["qualifier"],
        unit=now["unit"],
        basis=now["source"],
        why=_or(now["value_reason"], _nan_or(now["value"], reason("no_level_published"))),
        group=now["group"],
    )
    table.add(
        0.5,
        "value_decimals",
        now["decimals"],
        basis="decimals of the published level",
        why=_nan_or(now["decimals"], reason("no_level_published")),
    )
    table.add(
        1,
        "yoy_pct",
        now["yoy"],
        unit="%",
        why=_or(now["yoy_reason"], _nan_or(now["yoy"], reason("no_growth_published"))),
        basis=np.where(real, "published (comparable prices)", "published"),
    )
    flat = np.isin(kind, _NOT_GROWN)
    rows = np.flatnonzero(flat)
    why = reasons("not_computed_for_kind", kind=kind[rows])
    table.add(2, "yoy_computed", rows=rows, why=why)
    table.add(3, "yoy_gap_pts", rows=rows, why=why)
    rows = np.flatnonzero(~flat)
    computed = np.atleast_1d(
        np.asarray(indicators.yoy_growth(now["value"][rows], prev["value"][rows]), dtype=float)
    )
    pv = prev["value"][rows]
    why = np.where(
        np.isnan(now["value"][rows]),
        reason("no_level", period=period),
        np.where(
            np.isnan(pv),
            reason("no_level", period=prev_code),
            np.where(pv <= 0, reason("base_not_positive", period=prev_code), ""),
        ),
    )
    table.add(
        2,
        "yoy_computed",
        computed,
        rows=rows,
        unit="%",
        why=why,
        basis=f"({period} / {prev_code} - 1) x 100, current prices",
    )
    published = now["yoy"][rows]
    diff = np.atleast_1d(np.asarray(computed - published, dtype=float))
    flag = np.abs(diff) > CONSISTENCY_THRESHOLD  # False where either is NaN
    table.add(
        3,
        "yoy_gap_pts",
        diff,
        rows=rows,
        text=np.where(flag, "flag", ""),
        unit="个百分点",
        why=_gap_reasons(computed, published, diff, flag, real[rows]),
        basis=f"computed - published, threshold {CONSISTENCY_THRESHOLD:g} points",
    )
    table.add(
        4,
        "prev_value",
        prev["value"],
        unit=_or(prev["unit"], now["unit"]),
        basis=prev["source"],
        why=_nan_or(prev["value"], reason("no_level", period=prev_code)),
    )
    table.add(
        5,
        "prev_yoy_pct",
        prev["yoy"],
        unit="%",
        basis=prev["source"],
        why=_nan_or(prev["yoy"], reason("no_growth", period=prev_code)),
    )
    change = np.asarray(indicators.growth_change(now["yoy"], prev["yoy"]), dtype=float)
    table.add(
        6,
        "growth_change_pts",
        change,
        unit="个百分点",
        why=_nan_or(
            change,
            np.where(
                np.isnan(now["yoy"]),
                reason("no_growth", period=period),
                reason("no_growth", period=prev_code),
            ),
        ),
        basis=f"yoy {period} - yoy {prev_code}",
    )


def earlier_period(span: Period) -> str:
    """The earlier cumulative period of the same year a period's growth is compared with.

    Q1 (1-3月) for a first half, the first half for 1-9月, 1-9月 for the full year; '' for a
    period with none (Q1, single months, second halves).

    Examples
    --------
    >>> earlier_period(Period.from_code("2019H1")), earlier_period(Period.from_code("2019FY"))
    ('2019Q1', '2019Q3')
    >>> earlier_period(Period.from_code("2019Q1"))
    ''
    """
    if span.start_month != 1:
        return ""
    return {6: f"{span.year}Q1", 9: f"{span.year}H1", 12: f"{span.year}Q3"}.get(span.end_month, "")


def _earlier(table: _Table, items: _Items, look, *, now, span: Period) -> None:
    """Growth of the earlier period of this year, and the change against it in points."""
    code = earlier_period(span)
    if not code:
        why = reason("no_earlier_period", period=span.code)
        table.add(6.1, "earlier_yoy_pct", why=why)
        table.add(6.2, "change_vs_earlier_pts", why=why)
        return
    before = look.get(items.region_at, code, items.code_at)["yoy"]
    table.add(
        6.1,
        "earlier_yoy_pct",
        before,
        unit="%",
        why=_nan_or(before, reason("no_growth", period=code)),
    )
    change = np.asarray(indicators.growth_change(now["yoy"], before), dtype=float)
    table.add(
        6.2,
        "change_vs_earlier_pts",
        change,
        unit="个百分点",
        why=_nan_or(
            change,
            np.where(
                np.isnan(now["yoy"]),
                reason("no_growth", period=span.code),
                reason("no_growth", period=code),
            ),
        ),
        basis=f"yoy {span.code} - yoy {code}",
    )


def _gap_reasons(computed, published, diff, flag, real) -> np.ndarray:
    """Why computed and published growth are not compared, or the flagged gap."""
    out = np.full(len(diff), "", dtype=object)
    missing = np.where(
        np.isnan(computed) & np.isnan(published),
        "both",
        np.where(np.isnan(computed), "computed", "published"),
    )
    gone = np.isnan(diff)
    if gone.any():
        out[gone] = reasons("not_comparable", missing=missing[gone])
    for is_real, code in ((True, "growth_gap_real"), (False, "growth_gap")):
        rows = flag & (real == is_real)
        if rows.any():
            out[rows] = reasons(
                code,
                computed=computed[rows],
                published=published[rows],
                gap=np.abs(diff[rows]),
                threshold=CONSISTENCY_THRESHOLD,
            )
    return out


def _plans(table: _Table, items: _Items, *, now, span: Period) -> np.ndarray:
    """Plan share, time progress, the gap between them and the implied annual plan."""
    n = items.n
    progress = indicators.time_progress(span.end_month) if span.is_cumulative else np.nan
    no_plan = reason("no_plan_published")
    table.add(
        7, "plan_pct", now["plan"], unit="%", basis="published", why=_nan_or(now["plan"], no_plan)
    )
    table.add(
        8,
        "time_progress_pct",
        np.full(n, progress),
        unit="%",
        basis=f"{span.end_month} months / 12",
        why="" if not np.isnan(progress) else reason("not_year_to_date"),
    )
    gap = np.broadcast_to(
        np.asarray(indicators.progress_gap(now["plan"], progress), dtype=float), (n,)
    )
    table.add(
        9,
        "progress_gap_pts",
        gap,
        unit="个百分点",
        basis="plan_pct - time_progress_pct",
        why=_nan_or(gap, no_plan),
    )
    plan_total = np.asarray(indicators.implied_total(now["value"], now["plan"]), dtype=float)
    table.add(
        10,
        "annual_plan_implied",
        plan_total,
        unit=now["unit"],
        basis="value / plan_pct x 100",
        why=_nan_or(plan_total, no_plan),
    )
    return plan_total


def _targets(table: _Table, items: _Items, look, *, now, target, plan_total, span) -> None:
    """The year's targets, the verdict, and what the second half must deliver."""
    period, fy_code = span.code, f"{span.year}FY"
    qualifier = target["qualifier"]
    table.add(
        11,
        "target_yoy_pct",
        target["yoy"],
        text=qualifier,
        unit="%",
        basis=target["source"],
        why=_nan_or(target["yoy"], reason("no_growth_target", period=fy_code)),
    )
    table.add(
        12,
        "target_value",
        target["value"],
        text=qualifier,
        unit=_or(target["unit"], now["unit"]),
        basis=target["source"],
        why=_nan_or(target["value"], reason("no_level_target", period=fy_code)),
    )
    judged = ~np.isnan(target["yoy"]) & ~np.isnan(now["yoy"])
    verdict = np.full(items.n, "", dtype=object)
    reading = np.array([_VERDICT_QUALIFIER.get(q, "") for q in qualifier], dtype=object)
    for q in set(reading[judged]):
        rows = np.flatnonzero(judged & (reading == q))
        verdict[rows] = np.atleast_1d(
            indicators.target_verdict(now["yoy"][rows], target["yoy"][rows], qualifier=q)
        )
    rows = np.flatnonzero(judged)
    table.add(
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
    table.add(
        13,
        "target_verdict",
        rows=rows,
        why=np.where(
            np.isnan(target["yoy"][rows]),
            reason("no_growth_target", period=fy_code),
            reason("no_growth", period=period),
        ),
    )
    _required(table, items, look, now=now, target=target, plan_total=plan_total, span=span)


def _required(table: _Table, items: _Items, look, *, now, target, plan_total, span) -> None:
    """Required second-half growth (growth target) and amount (level target or plan)."""
    h1_prev, fy_prev = f"{span.year - 1}H1", f"{span.year - 1}FY"
    if span.code != f"{span.year}H1":
        table.add(14, "required_h2_growth", why=reason("first_half_only"))
    else:
        no_target = np.isnan(target["yoy"])
        last_h1 = look.get(items.region_at, h1_prev, items.code_at)["value"]
        last_fy = look.get(items.region_at, fy_prev, items.code_at)["value"]
        # last year's H2 = FY - H1 needs both levels from one release
        pair = _pairs(look, items, h1_prev, fy_prev, wanted=~no_target)
        basis, mixed = pair["basis"], pair["basis"] == "mixed"
        last_h1 = np.where(pair["paired"], pair["value_earlier"], last_h1)
        last_fy = np.where(pair["paired"], pair["value_later"], last_fy)
        table.add(
            14,
            "required_h2_growth",
            rows=np.flatnonzero(no_target),
            why=reason("no_growth_target", period=f"{span.year}FY"),
        )
        rows = np.flatnonzero(~no_target & mixed)
        table.add(
            14,
            "required_h2_growth",
            rows=rows,
            why=reasons(
                "mixed_vintages",
                period=h1_prev,
                release=pair["release_wanted_earlier"][rows],
                later=fy_prev,
                later_release=pair["release_wanted_later"][rows],
            ),
        )
        missing_h1, missing_fy = np.isnan(last_h1), np.isnan(last_fy)
        rows = np.flatnonzero(~no_target & ~mixed & (missing_h1 | missing_fy))
        both = reason("needs_last_year", periods=[h1_prev, fy_prev])
        table.add(
            14,
            "required_h2_growth",
            rows=rows,
            why=np.where(
                missing_h1[rows] & missing_fy[rows],
                both,
                np.where(
                    missing_h1[rows],
                    reason("needs_last_year", periods=[h1_prev]),
                    reason("needs_last_year", periods=[fy_prev]),
                ),
            ),
        )
        rows = np.flatnonzero(~no_target & ~mixed & ~missing_h1 & ~missing_fy)
        # real growth targets are met through real growth: this H1 is built from last
        # year's level and this year's (real) growth; nominal ones use this year's level
        level = np.where(items.real[rows], np.nan, now["value"][rows])
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
        table.add(
            14,
            "required_h2_growth",
            req,
            rows=rows,
            unit="%",
            why=_nan_or(req, reason("last_h2_not_positive")),
            basis=np.where(
                basis[rows] == "aligned",
                f"((1 + g)(A0 + B0) - A1) / B0 - 1; {h1_prev} and {fy_prev} from one release "
                "(the later revision has no partner)",
                "((1 + g)(A0 + B0) - A1) / B0 - 1",
            ),
        )
    has_level = ~np.isnan(target["value"])
    level_target = np.where(has_level, target["value"], plan_total)
    amount = np.asarray(
        indicators.required_h2_amount(level_target=level_target, completed=now["value"]),
        dtype=float,
    )
    table.add(
        15,
        "required_h2_amount",
        amount,
        unit=now["unit"],
        why=_nan_or(
            amount,
            np.where(
                np.isnan(level_target),
                reason("no_level_target_or_plan"),
                reason("no_level_completed"),
            ),
        ),
        basis=np.where(has_level, "level target - completed", "implied annual plan - completed"),
    )


def _pairs(
    look: _Lookup, items: _Items, earlier: str, later: str, *, wanted: np.ndarray
) -> dict[str, np.ndarray]:
    """The ``wanted`` items' levels of two periods on one vintage basis
    (``vintages.one_basis``); the other items are left unpaired."""
    raw = look.raw
    rows = raw["period"].isin([earlier, later]).to_numpy(copy=True)
    keys = pd.MultiIndex.from_arrays([items.region[wanted], items.code[wanted]])
    rows[rows] = pd.MultiIndex.from_arrays([raw["region"][rows], raw["indicator"][rows]]).isin(keys)
    pairs = one_basis(raw[rows], earlier=earlier, later=later, which=look.which).set_index(
        ["region", "indicator"]
    )
    at = pairs.index.get_indexer(pd.MultiIndex.from_arrays([items.region, items.code]))
    paired = at >= 0
    pick = np.where(paired, at, 0)

    def column(name: str, missing):
        values = pairs[name].to_numpy()
        if not len(values):
            return np.full(items.n, missing, dtype=object)
        return np.where(paired, values[pick], missing)

    out = {"paired": paired, "basis": column("basis", "")}
    for name in ("value_earlier", "value_later"):
        out[name] = column(name, np.nan).astype(float)
    for name in ("release_wanted_earlier", "release_wanted_later"):
        out[name] = column(name, 0).astype(int)
    return out


def _shares(table: _Table, items: _Items, look, *, now, period: str) -> None:
    """The whole implied by a published share and its part."""
    whole_code = np.where(
        items.known, items.info["share_whole"].fillna("").to_numpy(dtype=object), ""
    )
    rows = np.flatnonzero(items.known & (whole_code != ""))
    if not len(rows):
        return
    part_code = items.info["share_part"].to_numpy(dtype=object)[rows]
    part = look.get(items.region[rows], period, part_code)
    whole = np.atleast_1d(
        np.asarray(indicators.implied_total(part["value"], now["value"][rows]), dtype=float)
    )
    table.add(
        16,
        "whole_implied",
        whole,
        rows=rows,
        text=whole_code[rows],
        unit=part["unit"],
        why=_nan_or(whole, reasons("no_level_of", indicator=part_code)),
        basis=_text_of(part_code, " / ", items.code[rows], " x 100"),
    )


def _peers(table: _Table, items: _Items, look, *, groups, now, period, catalog) -> None:
    """Ranks among the peer group by growth and by level, and the peer average."""
    peer_groups = catalog.peer_groups
    group = np.array([groups[r] for r in items.regions], dtype=object)[items.region_number]
    lone = np.flatnonzero(group == "")
    for slot, measure in enumerate(("rank_yoy", "rank_value", "peer_avg_yoy", "gap_peer_avg_pts")):
        table.add(
            17 + slot, measure, rows=lone, why=reasons("no_peer_group", region=items.region[lone])
        )
    rows = np.flatnonzero(group != "")
    if not len(rows):
        return
    # every member's figure once per (group, indicator) pair, pairs in sorted order
    group_number, group_codes = pd.factorize(group[rows], sort=True)
    code_number, codes = pd.factorize(items.code[rows], sort=True)
    pair_keys, at = np.unique(group_number * len(codes) + code_number, return_inverse=True)
    pair_group, pair_code = group_codes[pair_keys // len(codes)], codes[pair_keys % len(codes)]
    members_of = dict(zip(peer_groups.index, peer_groups["members"], strict=True))
    members = [members_of[g] for g in pair_group]
    sizes = np.array([len(m) for m in members])
    member = np.concatenate([np.asarray(m, dtype=object) for m in members])
    pair_of_member = np.repeat(np.arange(len(pair_keys)), sizes)
    figs = look.get(member, period, pair_code[pair_of_member])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    # the region's own position among its group's members (its first, -1 if not one)
    position = _first_position(pair_of_member, member, at, items.region[rows])
    peers = _Peers(rows, pair_group, sizes, at, position, pair_of_member)
    higher_of = dict(zip(items.code, items.higher, strict=True))
    pair_higher = np.array([bool(higher_of[c]) for c in pair_code], dtype=bool)
    for slot, (measure, attr, what) in enumerate(
        (("rank_yoy", "yoy", "growth"), ("rank_value", "value", "level"))
    ):
        _ranks(table, items, peers, figs[attr], pair_higher, slot=17 + slot, measure=measure,
               what=what, period=period)  # fmt: skip
    _peer_average(table, items, peers, figs["yoy"], starts, sizes, now=now, period=period)


def _first_position(owner, member, query_owner, query_member) -> np.ndarray:
    """For each query, the first position where ``owner`` and ``member`` equal it; -1 if none.

    Examples
    --------
    >>> _first_position(np.array([0, 0, 1]), np.array(["a", "b", "a"], dtype=object),
    ...                 np.array([1, 0, 1]), np.array(["a", "b", "b"], dtype=object)).tolist()
    [2, 1, -1]
    """
    if not len(member):
        return np.full(len(query_member), -1)
    number, _ = pd.factorize(np.concatenate([member, query_member]))
    width = int(number.max()) + 1
    key = owner * width + number[: len(member)]
    query = query_owner * width + number[len(member) :]
    keys, first = np.unique(key, return_index=True)
    at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[at] == query, first[at], -1)


class _Peers:
    """Where each item's region sits among its group's members (for ranks and averages).

    Items (``rows``) are numbered by their (group, indicator) pair (``at``); members are
    listed pair after pair (``pair_of_member``), ``size`` members per pair.
    """

    def __init__(self, rows, pair_group, size, at, position, pair_of_member):
        self.rows, self.pair_group, self.pair_size, self.at = rows, pair_group, size, at
        self.group, self.size = pair_group[at], size[at]
        self.position, self.pair_of_member = position, pair_of_member
        self.inside = position >= 0

    def own(self, values: np.ndarray) -> np.ndarray:
        """The region's own entry of a per-member array (NaN when it is not a member)."""
        return np.where(self.inside, values[np.where(self.inside, self.position, 0)], np.nan)

    def pair_count(self, known: np.ndarray) -> np.ndarray:
        """Members with a figure, per pair."""
        per_pair = np.bincount(self.pair_of_member, weights=known, minlength=len(self.pair_size))
        return per_pair.astype(int)

    def count(self, known: np.ndarray) -> np.ndarray:
        """Members with a figure, per item."""
        return self.pair_count(known)[self.at]

    def of_pairs(self, *parts) -> np.ndarray:
        """Texts per item made once per pair (``_text_of`` of per-pair parts)."""
        return _text_of(*parts)[self.at]


def _ranks(table, items, peers: _Peers, values, pair_higher, *, slot, measure, what, period):
    rows = peers.rows
    unranked = np.isin(items.kind[rows], _NOT_RANKED)
    skip = rows[unranked]
    table.add(
        slot,
        measure,
        rows=skip,
        why=reasons("not_ranked_kind", indicator=items.code[skip], kind=items.kind[skip]),
    )
    ranks = np.full(len(values), np.nan)
    for direction in (True, False):
        chosen = pair_higher[peers.pair_of_member] == direction
        if chosen.any():
            ranks[chosen] = (
                pd.Series(values[chosen])
                .groupby(peers.pair_of_member[chosen])
                .rank(method="min", ascending=not direction)
                .to_numpy(dtype=float)
            )
    known = ~np.isnan(values)
    mine = peers.own(ranks)
    mine_known = np.where(peers.inside, known[np.where(peers.inside, peers.position, 0)], False)
    n_known = peers.count(known)
    others = n_known - mine_known.astype(int)
    why = np.where(
        np.isnan(mine),
        reasons("no_own_figure", measure=what, region=items.region[rows]),
        np.where(
            others == 0,
            reasons("no_other_peer", group=peers.group, measure=what, period=period),
            np.where(
                n_known < peers.size,
                reasons("ranked_among_few", n=n_known, m=peers.size),
                "",
            ),
        ),
    )
    mine = np.where(~np.isnan(mine) & (others == 0), np.nan, mine)
    ranked = ~unranked
    counts = peers.of_pairs(peers.pair_count(known).astype(str), "/", peers.pair_size.astype(str))
    table.add(
        slot,
        measure,
        mine[ranked],
        rows=rows[ranked],
        text=counts[ranked],
        unit="位",
        why=why[ranked],
        basis=peers.of_pairs("among ", peers.pair_group)[ranked],
        group=peers.group[ranked],
    )


def _peer_average(table, items, peers: _Peers, yoy, starts, sizes, *, now, period) -> None:
    rows = peers.rows
    averages = np.empty(len(starts))
    counts = np.empty(len(starts), dtype=int)
    for i, (start, size) in enumerate(zip(starts, sizes, strict=True)):
        averages[i], counts[i] = indicators.peer_average(yoy[start : start + size])
    known = ~np.isnan(yoy)
    mine_known = np.where(peers.inside, known[np.where(peers.inside, peers.position, 0)], False)
    others = peers.count(known) - mine_known.astype(int)
    avg = np.where(others == 0, np.nan, averages[peers.at])
    table.add(
        19,
        "peer_avg_yoy",
        avg,
        rows=rows,
        text=peers.of_pairs(counts.astype(str), "/", peers.pair_size.astype(str)),
        unit="%",
        basis=peers.of_pairs("mean of ", peers.pair_group),
        why=_nan_or(
            avg, reasons("no_other_peer", group=peers.group, measure="growth", period=period)
        ),
        group=peers.group,
    )
    gap = np.atleast_1d(np.asarray(indicators.gap_to(now["yoy"][rows], avg), dtype=float))
    table.add(
        20,
        "gap_peer_avg_pts",
        gap,
        rows=rows,
        unit="个百分点",
        basis=_text_of("yoy ", items.regions, " - peer average")[items.region_number[rows]],
        why=_nan_or(gap, reason("no_peer_growth")),
        group=peers.group,
    )


def _parents(table: _Table, items: _Items, look, *, now, period, catalog) -> None:
    """Growth of the levels above and the gaps to them (``yoy_<level>``, ``gap_<level>_pts``)."""
    regions = catalog.regions
    parents = dict(zip(regions.index, regions["parent"], strict=True))
    chains = [_ancestors(r, catalog, parents) for r in items.regions]
    depth = max((len(c) for c in chains), default=0)
    for k in range(depth):
        # the k-th level above each distinct region that has one, then spread over items
        has = np.array([len(c) > k for c in chains], dtype=bool)
        rows = np.flatnonzero(has[items.region_number])
        if not len(rows):
            continue
        distinct, back = np.unique(items.region_number[rows], return_inverse=True)
        above = np.array([chains[r][k] for r in distinct], dtype=object)
        level = regions["level"].reindex(above).to_numpy(dtype=object)
        parent = above[back]
        theirs = look.get(parent, period, items.code[rows])
        table.add(
            21 + 2 * k,
            _text_of("yoy_", level)[back],
            theirs["yoy"],
            rows=rows,
            text=parent,
            unit="%",
            basis=theirs["source"],
            why=_nan_or(theirs["yoy"], reasons("no_growth_of", region=parent, period=period)),
        )
        mine = now["yoy"][rows]
        gap = np.atleast_1d(np.asarray(indicators.gap_to(mine, theirs["yoy"]), dtype=float))
        table.add(
            22 + 2 * k,
            _text_of("gap_", level, "_pts")[back],
            gap,
            rows=rows,
            text=parent,
            unit="个百分点",
            basis=_text_of("yoy ", items.regions[distinct], " - yoy ", above)[back],
            why=_nan_or(
                gap,
                reasons(
                    "no_growth_of",
                    region=np.where(np.isnan(mine), items.region[rows], parent),
                    period=period,
                ),
            ),
        )
