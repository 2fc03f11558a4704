"""The indicator catalog, the regions and the peer groups: reference data kept as CSV.

The tables live in ``analysis/reference/`` (``indicators.csv``, ``regions.csv``,
``peer_groups.csv``); analysts extend them by editing those files, not this code.

They are read once into a :class:`Catalog` by :func:`load` (cached per folder) and passed
on: the data and compute functions take ``catalog=`` (default: the shipped tables), so a
test or a benchmark hands them a catalog of its own instead of changing module state.

Examples
--------
>>> cat = load()
>>> cat.indicators.loc["gdp", "name_zh"], cat.region_code("管城区")
('地区生产总值', 'guancheng')
>>> load() is cat                      # read once per folder
True
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from analysis.config import reference_file
from analysis.errors import HalfyearError

KINDS = ("flow", "stock", "rate", "share", "count", "rank", "relation")
LEVELS = ("nation", "province", "city", "district", "county", "zone")


class CatalogError(HalfyearError, ValueError):
    """A name that the catalog, the region list or the peer groups do not know."""


def _key(text: str) -> str:
    """Normalised lookup key: NFKC (full-width brackets to ASCII), no spaces."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def _read(folder: Path, name: str) -> pd.DataFrame:
    frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    return frame.apply(lambda col: col.str.strip())


def _indicators(frame: pd.DataFrame) -> pd.DataFrame:
    bad = sorted(set(frame["kind"]) - set(KINDS))
    if bad:
        raise CatalogError(f"indicators.csv: unknown kind(s) {bad}; allowed: {list(KINDS)}")
    for col in ("comparable_prices", "higher_is_better"):
        if frame[col].dtype != bool:
            frame[col] = frame[col].str.lower().map({"true": True, "false": False}).astype(bool)
    if frame["code"].duplicated().any():
        dup = frame.loc[frame["code"].duplicated(), "code"].tolist()
        raise CatalogError(f"indicators.csv: duplicate codes {dup}")
    return frame.set_index("code", drop=False)


def _regions(frame: pd.DataFrame) -> pd.DataFrame:
    bad = sorted(set(frame["level"]) - set(LEVELS))
    if bad:
        raise CatalogError(f"regions.csv: unknown level(s) {bad}; allowed: {list(LEVELS)}")
    return frame.set_index("code", drop=False)


def _peer_groups(frame: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if len(frame) and not isinstance(frame["members"].iloc[0], list):
        frame["members"] = frame["members"].str.split("|")
    unknown = sorted({m for ms in frame["members"] for m in ms} - set(regions.index))
    if unknown:
        raise CatalogError(f"peer_groups.csv: members {unknown} are not in regions.csv")
    return frame.set_index("code", drop=False)


def _lookup_table(frame: pd.DataFrame, names: tuple[str, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, row in frame.iterrows():
        keys = [code, *(row[n] for n in names), *row["aliases"].split("|")]
        for key in keys:
            if key:
                table.setdefault(_key(key), str(code))
                table.setdefault(_key(key).lower(), str(code))
    return table


@dataclass(frozen=True, eq=False)
class Catalog:
    """The reference tables, read once: indicators, regions and peer groups.

    Build one with :func:`load`; derive one with more regions or groups with
    :meth:`with_additions`. The frames are indexed by code and must not be changed in
    place (build a new catalog instead).

    Attributes
    ----------
    indicators : DataFrame
        One row per indicator code: ``code, name_zh, name_en, unit, kind,
        comparable_prices, higher_is_better, block, aliases`` ...; ``kind`` is one of
        :data:`KINDS`.
    regions : DataFrame
        One row per region code: ``code, name_zh, name_en, level, parent, aliases``;
        ``level`` is one of :data:`LEVELS`.
    peer_groups : DataFrame
        One row per named group: ``code, name_zh, name_en, aliases, members`` (a list of
        region codes).
    source : str
        Where the tables were read from (a folder), or what built them.

    Examples
    --------
    >>> cat = load()
    >>> cat.indicators.loc["gdp", ["name_zh", "unit", "kind"]].tolist()
    ['地区生产总值', '亿元', 'flow']
    >>> cat.regions.loc["erqi", ["name_zh", "level", "parent"]].tolist()
    ['二七区', 'district', 'zhengzhou']
    >>> cat.peer_groups.loc["inner5", "name_zh"], len(cat.peer_groups.loc["all16", "members"])
    ('市内五区', 16)
    """

    indicators: pd.DataFrame
    regions: pd.DataFrame
    peer_groups: pd.DataFrame
    source: str = field(default="")

    @classmethod
    def from_frames(
        cls,
        *,
        indicators: pd.DataFrame,
        regions: pd.DataFrame,
        peer_groups: pd.DataFrame,
        source: str = "frames",
    ) -> Catalog:
        """A catalog from tables in the shape of the CSV files (checked as they are).

        Examples
        --------
        >>> cat = load()
        >>> mini = Catalog.from_frames(indicators=cat.indicators.reset_index(drop=True),
        ...     regions=cat.regions.loc[["china"]].reset_index(drop=True),
        ...     peer_groups=cat.peer_groups.iloc[:0].reset_index(drop=True))
        >>> list(mini.regions.index), mini.source
        (['china'], 'frames')
        """
        indicators = _indicators(indicators.copy())
        regions = _regions(regions.copy())
        return cls(indicators, regions, _peer_groups(peer_groups, regions), source)

    def with_additions(
        self,
        *,
        regions: pd.DataFrame | None = None,
        peer_groups: pd.DataFrame | None = None,
        source: str | None = None,
    ) -> Catalog:
        """This catalog with more regions and peer groups (after its own; codes must be new).

        Examples
        --------
        >>> extra = pd.DataFrame([{"code": "x1", "name_zh": "某区", "name_en": "X",
        ...     "level": "district", "parent": "zhengzhou", "aliases": ""}])
        >>> bigger = load().with_additions(regions=extra)
        >>> bigger.region_code("某区"), "x1" in load().regions.index
        ('x1', False)
        """
        regions = self.regions.iloc[:0] if regions is None else regions
        groups = self.peer_groups.iloc[:0] if peer_groups is None else peer_groups
        clash = sorted(set(regions["code"]) & set(self.regions.index))
        clash += sorted(set(groups["code"]) & set(self.peer_groups.index))
        if clash:
            raise CatalogError(f"codes already in the catalog: {clash[:5]}")
        all_regions = _regions(
            pd.concat([self.regions, regions.reset_index(drop=True)], ignore_index=True)
        )
        all_groups = pd.concat([self.peer_groups, groups.reset_index(drop=True)], ignore_index=True)
        return Catalog(
            self.indicators,
            all_regions,
            _peer_groups(all_groups, all_regions),
            source or f"{self.source} + additions",
        )

    @cached_property
    def _region_lookup(self) -> dict[str, str]:
        return _lookup_table(self.regions, ("name_zh", "name_en"))

    @cached_property
    def _indicator_lookup(self) -> dict[str, str]:
        return _lookup_table(self.indicators, ("name_zh",))

    @cached_property
    def _group_lookup(self) -> dict[str, str]:
        return _lookup_table(self.peer_groups, ("name_zh",))

    def region_code(self, name: str) -> str:
        """Region code for a code, a Chinese or English name, or an alias.

        Raises
        ------
        CatalogError
            For a name no region has; the message lists the known regions.

        Examples
        --------
        >>> cat = load()
        >>> cat.region_code("管城区"), cat.region_code("管城回族区"), cat.region_code("erqi")
        ('guancheng', 'guancheng', 'erqi')
        """
        lookup = self._region_lookup
        code = lookup.get(_key(name)) or lookup.get(_key(name).lower())
        if code is None:
            known = ", ".join(f"{c} ({z})" for c, z in self.regions["name_zh"].items())
            raise CatalogError(f"unknown region {name!r}; known regions: {known}")
        return code

    def indicator_code(self, name: str) -> str | None:
        """Catalog code for an indicator code, Chinese name or alias; None when uncatalogued.

        Examples
        --------
        >>> cat = load()
        >>> cat.indicator_code("地区生产总值"), cat.indicator_code("GDP")
        ('gdp', 'gdp')
        >>> cat.indicator_code("农民人均纯收入"), cat.indicator_code("某项新指标") is None
        ('rural_income', True)
        """
        lookup = self._indicator_lookup
        return lookup.get(_key(name)) or lookup.get(_key(name).lower())

    def peer_group_code(self, text: str) -> str | None:
        """Peer-group code named in a text such as a rank note; None when none is named.

        The group named first wins, and at one position the longest name, so "市内五区"
        is not read as its alias "五区", and "4th of 16 ...; also 3rd of 六县(市)" is the 16.

        Examples
        --------
        >>> cat = load()
        >>> cat.peer_group_code("1st among 市内五区 (GDP and budget revenue growth)")
        'inner5'
        >>> cat.peer_group_code("2nd of 16 by level")
        'all16'
        >>> cat.peer_group_code("among 六县(市)"), cat.peer_group_code("highest growth") is None
        ('counties6', True)
        """
        key = _key(text)
        hits = [
            (key.find(name), -len(name), code)
            for name, code in self._group_lookup.items()
            if name in key
        ]
        if hits:
            return min(hits)[2]
        if ("of16" in key.lower() or "16个" in key) and "all16" in self.peer_groups.index:
            return "all16"
        return None


@cache
def _load(folder: Path) -> Catalog:
    indicators = _indicators(_read(folder, "indicators.csv"))
    regions = _regions(_read(folder, "regions.csv"))
    groups = _peer_groups(_read(folder, "peer_groups.csv"), regions)
    return Catalog(indicators, regions, groups, str(folder))


def load(reference_dir: str | Path | None = None) -> Catalog:
    """The catalog read from a folder of reference CSVs (default: the package's own).

    Read once per folder and kept: every later call with the same folder returns the same
    object. Pass it on as ``catalog=``.

    Examples
    --------
    >>> cat = load()
    >>> Path(cat.source).name, len(cat.indicators) > 10
    ('reference', True)
    """
    folder = Path(reference_dir) if reference_dir else reference_file("indicators.csv").parent
    return _load(folder.resolve())


# --- the shipped catalog, for code that has none passed in ----------------------------------


def indicators() -> pd.DataFrame:
    """``load().indicators``: the indicator catalog, one row per indicator code.

    Examples
    --------
    >>> cat = indicators()
    >>> bool(cat.loc["gdp", "comparable_prices"]), bool(cat.loc["gdp", "higher_is_better"])
    (True, True)
    """
    return load().indicators


def regions() -> pd.DataFrame:
    """``load().regions``: the regions, one row per region code, with level and parent."""
    return load().regions


def peer_groups() -> pd.DataFrame:
    """``load().peer_groups``: the named peer groups, members as lists of region codes."""
    return load().peer_groups


def region_code(name: str) -> str:
    """``load().region_code(name)``.

    Examples
    --------
    >>> region_code("管城区")
    'guancheng'
    """
    return load().region_code(name)


def indicator_code(name: str) -> str | None:
    """``load().indicator_code(name)``."""
    return load().indicator_code(name)


def peer_group_code(text: str) -> str | None:
    """``load().peer_group_code(text)``."""
    return load().peer_group_code(text)
