"""A synthetic panel of figures for timing the library at scale. SYNTHETIC: not real data.

Every region of the panel is made up (codes ``syn...``, names ``合成...``/``Synthetic ...``)
and exists only in the catalog :func:`synthetic_catalog` builds: the shipped catalog plus
the made-up regions and peer groups, passed to the library as ``catalog=``. Nothing is
written to ``analysis/reference/``, ``data/`` or ``reports/``, and the shipped catalog is
left as it is.

Examples
--------
>>> raw, regions, groups = synthetic_panel(n_regions=12, years=2, indicators=3, seed=1)
>>> sorted(set(raw["region"]))[:2], len(regions), raw["source_file"].iloc[0]
(['syn0000', 'syn0001'], 12, 'SYNTHETIC_panel.csv')
>>> from analysis.data import pipeline
>>> records, rejects = pipeline.standardize(raw, catalog=synthetic_catalog(regions, groups))
>>> len(records) + len(rejects) == len(raw)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import catalog
from analysis.data.reading import COLUMNS as RAW_COLUMNS

#: Label carried by every synthetic row (source file) and region name.
SYNTHETIC = "SYNTHETIC"

#: Catalogued indicators the panel draws from (the first ``indicators`` are used).
PANEL_INDICATORS = (
    "gdp",
    "industrial_value_added",
    "fixed_asset_investment",
    "retail_sales",
    "budget_revenue",
    "general_budget_spending",
    "urban_income",
    "rural_income",
    "resident_income",
    "key_project_investment",
    "major_project_investment",
    "signed_investment",
)


def synthetic_regions(n_regions: int, *, n_cities: int | None = None, group_size: int = 10):
    """Made-up regions (one province, its cities, their districts) and peer groups.

    Parameters
    ----------
    n_regions : int
        Number of regions in all (>= 3): one province, ``n_cities`` cities, the rest
        districts spread over the cities.
    n_cities : int, optional
        Default about one city per 100 regions (at least one).
    group_size : int, default 10
        Districts per peer group (the districts of a city in blocks).

    Returns
    -------
    regions, groups : DataFrame
        In the shape of ``Catalog.regions`` and ``Catalog.peer_groups``.

    Examples
    --------
    >>> regions, groups = synthetic_regions(12, n_cities=2, group_size=4)
    >>> regions["level"].value_counts().to_dict()
    {'district': 9, 'city': 2, 'province': 1}
    >>> groups["members"].map(len).tolist()
    [4, 1, 4]
    """
    if n_regions < 3:
        raise ValueError(
            f"n_regions must be at least 3 (a province, a city, a district); got {n_regions}"
        )
    n_cities = n_cities or max(1, n_regions // 100)
    n_cities = min(n_cities, n_regions - 2)
    width = max(4, len(str(n_regions - 1)))
    codes = [f"syn{i:0{width}d}" for i in range(n_regions)]
    province, cities, districts = codes[0], codes[1 : 1 + n_cities], codes[1 + n_cities :]
    rows = [(province, "province", "")]
    rows += [(c, "city", province) for c in cities]
    rows += [(d, "district", cities[i % n_cities]) for i, d in enumerate(districts)]
    regions = pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "name_zh": [f"合成{r[0][3:]}" for r in rows],
            "name_en": [f"Synthetic {r[0][3:]}" for r in rows],
            "level": [r[1] for r in rows],
            "parent": [r[2] for r in rows],
            "aliases": "",
        }
    )
    groups = []
    for city in cities:
        members = [d for d, _, parent in rows if parent == city]
        for start in range(0, len(members), group_size):
            block = members[start : start + group_size]
            number = len(groups)
            groups.append(
                {
                    "code": f"synpeer{number:04d}",
                    "name_zh": f"合成组{number:04d}",
                    "name_en": f"synthetic group {number:04d}",
                    "aliases": "",
                    "members": block,
                }
            )
    return regions.set_index("code", drop=False), pd.DataFrame(groups).set_index("code", drop=False)


def synthetic_panel(
    *,
    n_regions: int = 3000,
    years: int = 15,
    indicators: int = 10,
    first_year: int = 2010,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A raw long frame of made-up figures, as ``reading.read_raw`` returns a long CSV.

    Every region has, for every year, a first half (H1) and a full year (FY) figure of
    each indicator: a level with one or two decimals and a growth rate. Some figures have
    a preliminary and a final release; growth targets are set for GDP; fixed-asset
    investment states its share of the annual plan in H1. About 1% of the cells are
    written as statisticians do (``约1.2``, ``１２.５``, ``增长8%``, ``万元``) so that
    the general cleaning path is timed too.

    Parameters
    ----------
    n_regions, years, indicators : int
        Panel size: regions (see :func:`synthetic_regions`), years and indicators (at
        most ``len(PANEL_INDICATORS)``).
    first_year : int, default 2010
    seed : int, default 0
        Seed of the random numbers: same arguments, same panel.

    Returns
    -------
    raw, regions, groups : DataFrame
        The raw strings (source file ``SYNTHETIC_panel.csv``) and the synthetic reference
        tables for :func:`synthetic_catalog`.

    Examples
    --------
    >>> raw, _, _ = synthetic_panel(n_regions=5, years=1, indicators=2)
    >>> raw[["region", "period", "indicator", "value", "unit"]].iloc[0].tolist()
    ['syn0000', '2010H1', 'gdp', '627.2', '亿元']
    """
    if not 1 <= indicators <= len(PANEL_INDICATORS):
        raise ValueError(f"indicators must be 1..{len(PANEL_INDICATORS)}; got {indicators}")
    regions, groups = synthetic_regions(n_regions)
    rng = np.random.default_rng(seed)
    codes = regions.index.to_numpy()
    chosen = PANEL_INDICATORS[:indicators]
    cat = catalog.load().indicators
    year_list = np.arange(first_year, first_year + years)
    # one row per region x year x half x indicator
    r_idx, y_idx, h_idx, i_idx = (
        a.ravel()
        for a in np.meshgrid(
            np.arange(len(codes)),
            np.arange(years),
            np.arange(2),
            np.arange(indicators),
            indexing="ij",
        )
    )
    n = r_idx.size
    base = rng.uniform(50, 2000, size=(len(codes), indicators))
    growth = rng.normal(7.0, 2.5, size=n).round(1)
    level = base[r_idx, i_idx] * (1.07**y_idx) * np.where(h_idx == 0, 0.48, 1.0)
    level *= rng.uniform(0.97, 1.03, size=n)
    decimals = rng.integers(1, 3, size=n)
    values = np.where(decimals == 1, np.round(level, 1), np.round(level, 2))
    value_text = np.array([f"{v:.{d}f}" for v, d in zip(values, decimals, strict=True)])
    growth_text = np.array([f"{g:.1f}" for g in growth])
    indicator = np.array(chosen)[i_idx]
    unit = cat.loc[list(chosen), "unit"].to_numpy()[i_idx].astype(object)
    period = np.array(
        [f"{y}{'H1' if h == 0 else 'FY'}" for y, h in zip(year_list[y_idx], h_idx, strict=True)]
    )
    note = np.full(n, "", dtype=object)
    plan = np.full(n, "", dtype=object)
    fai = (indicator == "fixed_asset_investment") & (h_idx == 0)
    plan[fai] = [f"{p:.1f}" for p in rng.uniform(40, 60, size=int(fai.sum()))]
    # statisticians' spellings on about 1% of the rows, read by the general path
    odd = rng.random(n) < 0.01
    kind = rng.integers(0, 4, size=n)
    value_text = value_text.astype(object)
    growth_text = growth_text.astype(object)
    for i in np.flatnonzero(odd):
        if kind[i] == 0:
            value_text[i] = "约" + value_text[i]
        elif kind[i] == 1:
            value_text[i] = value_text[i].translate(
                str.maketrans("0123456789", "０１２３４５６７８９")
            )
        elif kind[i] == 2:
            growth_text[i] = "增长" + growth_text[i] + "%"
        elif unit[i] == "亿元":
            value_text[i] = f"{float(value_text[i]) * 1e4:.0f}"
            unit[i] = "万元"
    frame = pd.DataFrame(
        {
            "region": codes[r_idx],
            "period": period,
            "indicator": indicator,
            "value": value_text,
            "unit": unit,
            "yoy_pct": growth_text,
            "plan_pct": plan,
            "is_target": "0",
            "note": note,
        }
    )
    # a preliminary release for about 5% of the FY figures (the row above is final)
    early = frame[(h_idx == 1) & (rng.random(n) < 0.05)].copy()
    early["value"] = [
        f"{float(v) * 0.99:.1f}" if v[0].isascii() and v[0].isdigit() else v for v in early["value"]
    ]
    early["note"] = "preliminary 初步核算 (synthetic)"
    frame.loc[early.index, "note"] = "revised 最终核实 (synthetic)"
    # a GDP growth target for every region and year
    targets = pd.DataFrame(
        {
            "region": np.repeat(codes, years),
            "period": np.tile([f"{y}FY" for y in year_list], len(codes)),
            "indicator": "gdp",
            "value": "",
            "unit": "%",
            "yoy_pct": np.tile(rng.choice(["6.5", "7", "7.5", "8"], size=years), len(codes)),
            "plan_pct": "",
            "is_target": "1",
            "note": "target qualifier 以上 (synthetic)",
        }
    )
    raw = pd.concat([frame, early, targets], ignore_index=True)
    raw = raw.reindex(columns=list(RAW_COLUMNS), fill_value="")
    raw["source_file"] = f"{SYNTHETIC}_panel.csv"
    raw["source_line"] = [str(i) for i in range(2, len(raw) + 2)]
    return raw.astype("str"), regions, groups


def synthetic_catalog(regions: pd.DataFrame, groups: pd.DataFrame) -> catalog.Catalog:
    """The shipped catalog plus synthetic regions and peer groups, to pass as ``catalog=``.

    The synthetic rows come after the real ones, so real figures clean the same; the
    shipped catalog (``catalog.load()``) is not changed.

    Parameters
    ----------
    regions, groups : DataFrame
        From :func:`synthetic_regions` (codes must not clash with real ones).

    Examples
    --------
    >>> regions, groups = synthetic_regions(5)
    >>> cat = synthetic_catalog(regions, groups)
    >>> cat.region_code("合成0003"), "syn0003" in catalog.load().regions.index
    ('syn0003', False)
    """
    try:
        return catalog.load().with_additions(
            regions=regions, peer_groups=groups, source=f"shipped catalog + {SYNTHETIC}"
        )
    except catalog.CatalogError as err:
        raise ValueError(f"synthetic codes clash with the real reference tables: {err}") from None
