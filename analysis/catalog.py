"""The indicator catalog, the regions and the peer groups: reference data kept as CSV.

The tables live in ``analysis/reference/`` (``indicators.csv``, ``regions.csv``,
``peer_groups.csv``); analysts extend them by editing those files, not this code.
"""

from __future__ import annotations

import unicodedata
from functools import cache

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


def _read(name: str) -> pd.DataFrame:
    frame = pd.read_csv(reference_file(name), dtype=str, keep_default_na=False)
    return frame.apply(lambda col: col.str.strip())


@cache
def indicators() -> pd.DataFrame:
    """The indicator catalog, one row per indicator code.

    Columns: ``code, name_zh, name_en, unit, kind, comparable_prices, higher_is_better,
    topic, aliases``. ``kind`` is one of ``flow`` (cumulative flow), ``stock``, ``rate``,
    ``share``, ``count``, ``rank`` or ``relation`` (above or below a reference).

    Examples
    --------
    >>> cat = indicators()
    >>> cat.loc["gdp", ["name_zh", "unit", "kind"]].tolist()
    ['地区生产总值', '亿元', 'flow']
    >>> bool(cat.loc["gdp", "comparable_prices"]), bool(cat.loc["gdp", "higher_is_better"])
    (True, True)
    """
    frame = _read("indicators.csv")
    bad = sorted(set(frame["kind"]) - set(KINDS))
    if bad:
        raise CatalogError(f"indicators.csv: unknown kind(s) {bad}; allowed: {list(KINDS)}")
    for col in ("comparable_prices", "higher_is_better"):
        frame[col] = frame[col].str.lower().map({"true": True, "false": False}).astype(bool)
    if frame["code"].duplicated().any():
        dup = frame.loc[frame["code"].duplicated(), "code"].tolist()
        raise CatalogError(f"indicators.csv: duplicate codes {dup}")
    return frame.set_index("code", drop=False)


@cache
def regions() -> pd.DataFrame:
    """The regions, one row per region code, with level and parent.

    Examples
    --------
    >>> r = regions()
    >>> r.loc["erqi", ["name_zh", "level", "parent"]].tolist()
    ['二七区', 'district', 'zhengzhou']
    """
    frame = _read("regions.csv")
    bad = sorted(set(frame["level"]) - set(LEVELS))
    if bad:
        raise CatalogError(f"regions.csv: unknown level(s) {bad}; allowed: {list(LEVELS)}")
    return frame.set_index("code", drop=False)


@cache
def peer_groups() -> pd.DataFrame:
    """The named peer groups, with their members as a list of region codes.

    Examples
    --------
    >>> g = peer_groups()
    >>> g.loc["inner5", "name_zh"], len(g.loc["all16", "members"])
    ('市内五区', 16)
    """
    frame = _read("peer_groups.csv")
    frame["members"] = frame["members"].str.split("|")
    unknown = sorted({m for ms in frame["members"] for m in ms} - set(regions().index))
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


@cache
def _region_lookup() -> dict[str, str]:
    return _lookup_table(regions(), ("name_zh", "name_en"))


@cache
def _indicator_lookup() -> dict[str, str]:
    return _lookup_table(indicators(), ("name_zh",))


@cache
def _group_lookup() -> dict[str, str]:
    return _lookup_table(peer_groups(), ("name_zh",))


def region_code(name: str) -> str:
    """Region code for a code, a Chinese or English name, or an alias.

    Raises
    ------
    CatalogError
        For a name no region has; the message lists the known regions.

    Examples
    --------
    >>> region_code("管城区"), region_code("管城回族区"), region_code("erqi")
    ('guancheng', 'guancheng', 'erqi')
    """
    code = _region_lookup().get(_key(name)) or _region_lookup().get(_key(name).lower())
    if code is None:
        known = ", ".join(f"{c} ({z})" for c, z in regions()["name_zh"].items())
        raise CatalogError(f"unknown region {name!r}; known regions: {known}")
    return code


def indicator_code(name: str) -> str | None:
    """Catalog code for an indicator code, Chinese name or alias; None when uncatalogued.

    Examples
    --------
    >>> indicator_code("地区生产总值"), indicator_code("GDP"), indicator_code("农民人均纯收入")
    ('gdp', 'gdp', 'rural_income')
    >>> indicator_code("某项新指标") is None
    True
    """
    return _indicator_lookup().get(_key(name)) or _indicator_lookup().get(_key(name).lower())


def peer_group_code(text: str) -> str | None:
    """Peer-group code named in a text such as a rank note; None when none is named.

    The group named first wins, and at one position the longest name, so "市内五区" is
    not read as its alias "五区", and "4th of 16 ...; also 3rd of 六县(市)" is the 16.

    Examples
    --------
    >>> peer_group_code("1st among 市内五区 (GDP and budget revenue growth)")
    'inner5'
    >>> peer_group_code("2nd of 16 by level")
    'all16'
    >>> peer_group_code("among 六县(市)"), peer_group_code("highest growth") is None
    ('counties6', True)
    """
    key = _key(text)
    hits = [
        (key.find(name), -len(name), code) for name, code in _group_lookup().items() if name in key
    ]
    if hits:
        return min(hits)[2]
    if "of16" in key.lower() or "16个" in key:
        return "all16"
    return None
