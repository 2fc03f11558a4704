"""The report model: every number, verdict and reason one report shows, computed once.

:func:`build` takes the processed table and computes, for one region and period, the
indicator table, the projections, the series, the peers, the rechecks and the provenance;
the result is a :class:`ReportModel`, the same in every language (it holds numbers and
codes, never words). The sections (:mod:`analysis.report.sections`), the overview and the
index read only the model: none of them goes back to the figures.

Examples
--------
>>> model = load_model("erqi", "2019H1")
>>> model.measures.loc["gdp", ["value", "yoy_pct"]].tolist()
[323.3, 8.0]
>>> model.vintage, [p.indicator for p in model.projections]
('2024FY', ['gdp'])
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.compute import checks
from analysis.compute.assessment import Assessment, assess
from analysis.compute.indicator_table import indicator_table, wide
from analysis.config import git_version, paths
from analysis.data import store
from analysis.data.vintages import select_vintage
from analysis.periods import Period

#: Headline indicators, in the order the overview mentions them; the first is the report's
#: lead indicator (the trend chart draws its levels, the peers chart ranks by it).
SUMMARY_ORDER = (
    "gdp",
    "industrial_value_added",
    "fixed_asset_investment",
    "retail_sales",
    "budget_revenue",
    "urban_income",
    "rural_income",
    "resident_income",
)


def headline_order(catalog: Catalog) -> list[str]:
    """The headline indicators the catalog knows, in the overview's order.

    Examples
    --------
    >>> headline_order(load_catalog())[:3]
    ['gdp', 'industrial_value_added', 'fixed_asset_investment']
    """
    return [c for c in SUMMARY_ORDER if c in catalog.indicators.index]


#: Libraries whose versions the provenance lists.
LIBRARIES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "papermill",
    "nbconvert",
    "pandera",
    "mplfonts",
)


@dataclass(frozen=True)
class PeerSnapshot:
    """The region among a peer group by level, in one period (the peers chart).

    Attributes
    ----------
    indicator, group, period : str
        Codes; ``period`` is the report's, or the latest earlier one with peer figures.
    members : int
        Regions in the group.
    frame : DataFrame
        ``region, value``: the members with a figure.
    """

    indicator: str
    group: str
    period: str
    members: int
    frame: pd.DataFrame


@dataclass(frozen=True)
class Projection:
    """A full-year projection of one indicator, as the trend section shows it.

    Attributes
    ----------
    indicator, unit : str
    year : int
    level : float
        Nominal coverage of the intervals (0.8).
    table : DataFrame
        ``ProjectionResult.table()``: method, projected, lower, upper, status, reason.
    lead, why : str
        The method to lead with ('' when none can run) and why (a reason code).
    assumptions : DataFrame
        ``method, reason``: what each method rests on (reason codes).
    backtest_region : str or None
        Whose backtest is shown: the region's own, or that of the nearest level above
        with one (None when no region has one).
    backtest : DataFrame
        That backtest's summary, methods that projected at least one year.
    warnings : tuple of str
        Reason codes (breaks in the series, missing figures).
    chart : DataFrame
        ``ProjectionResult.chart_data()``.
    """

    indicator: str
    year: int
    unit: str
    level: float
    table: pd.DataFrame
    lead: str
    why: str
    assumptions: pd.DataFrame
    backtest_region: str | None
    backtest: pd.DataFrame
    warnings: tuple[str, ...]
    chart: pd.DataFrame


@dataclass(frozen=True)
class Provenance:
    """Where the report comes from: parameters, data files, releases, code and libraries."""

    params: dict
    files: pd.DataFrame
    vintages: pd.DataFrame
    package: str
    git: str
    versions: dict


@dataclass(frozen=True)
class ReportModel:
    """One report's numbers, verdicts and reasons (codes), in no language.

    Attributes
    ----------
    region, period : str
        Codes (``erqi``, ``2019H1``).
    table : DataFrame
        The indicator table (``analysis.compute.indicator_table``), long.
    vintage : str
        The latest period any figure of the data reaches (the data's own date).
    series : DataFrame
        ``year, kind ('FY' or 'H1'), value``: levels of the lead indicator (the first
        headline indicator of the catalog) as they stood at the report's period.
    last_h2 : DataFrame
        ``indicator, value, h2, unit``: this first half against last year's second half.
    year_targets : DataFrame
        ``indicator, value, unit, qualifier, yoy_pct``: the year's targets.
    peers : PeerSnapshot or None
    projections : tuple of Projection
        One per headline flow indicator with a first-half level (first-half reports).
    sources, conflicts, rechecks, rejected : DataFrame
        The data notes: files used (``file, url, description, description_zh, figures``),
        figures the sources state differently (``period, indicator, measure, value, unit,
        decimals, source``: one row per stating row, ``source`` as ``file:line``), published figures
        rechecked (``period, indicator, published, recomputed, verdict, detail``) and rows
        of the region rejected in cleaning (``source_file, source_line, reason, code``).
    provenance : Provenance
    assessment : Assessment
        The analysis (``analysis.compute.assessment.assess``): every target's first-half
        status, the overall judgment, the problems, the outlook and the blocks, as codes
        with their numbers; its outlook holds the projections above.
    catalog : Catalog
        The reference tables the names come from.
    """

    region: str
    period: str
    table: pd.DataFrame
    vintage: str
    series: pd.DataFrame
    last_h2: pd.DataFrame
    year_targets: pd.DataFrame
    peers: PeerSnapshot | None
    projections: tuple[Projection, ...]
    sources: pd.DataFrame
    conflicts: pd.DataFrame
    rechecks: pd.DataFrame
    rejected: pd.DataFrame
    provenance: Provenance
    assessment: Assessment = field(repr=False)
    catalog: Catalog = field(repr=False)

    @property
    def span(self) -> Period:
        return Period.from_code(self.period)

    @cached_property
    def measures(self) -> pd.DataFrame:
        """The indicator table's values: one row per indicator, one column per measure."""
        return wide(self.table, column="value")

    @cached_property
    def codes(self) -> pd.DataFrame:
        """The indicator table's ``text`` column: qualifiers, verdicts, parents, ``n/m``."""
        return wide(self.table, column="text")

    @cached_property
    def reasons(self) -> pd.DataFrame:
        """The indicator table's reasons (codes of :mod:`analysis.reasons`)."""
        return wide(self.table, column="reason")

    @cached_property
    def groups(self) -> pd.DataFrame:
        """The peer group of each rank."""
        return wide(self.table, column="group")

    @cached_property
    def units(self) -> pd.Series:
        """The unit of each indicator's level."""
        rows = self.table[self.table["measure"] == "value"]
        return pd.Series(rows["unit"].to_numpy(), index=rows["indicator"].to_numpy())

    def kind(self, code: str) -> str:
        """The indicator's kind in the catalog (``uncatalogued`` for a phrase it lacks)."""
        cat = self.catalog.indicators
        return cat.loc[code, "kind"] if code in cat.index else "uncatalogued"

    def headline_codes(self) -> list[str]:
        """The headline indicators of the table, in the overview's order."""
        return [c for c in headline_order(self.catalog) if c in self.measures.index]

    @property
    def lead_indicator(self) -> str:
        """The first headline indicator of the catalog (GDP): the trend and peers charts'."""
        order = headline_order(self.catalog)
        return order[0] if order else ""


def load_model(
    region: str,
    period: str,
    *,
    data_path: str | Path | None = None,
    figures: pd.DataFrame | None = None,
    catalog: Catalog | None = None,
) -> ReportModel:
    """The model of a report from the processed table (default the project's).

    Reads ``figures.parquet`` (unless ``figures`` is that table, already read) and, beside
    it, ``manifest.json`` and ``rejects.csv``.
    """
    from analysis.data.store import load_figures

    data_path = Path(data_path) if data_path else paths().processed_table
    figures = load_figures(data_path) if figures is None else figures
    manifest_path = data_path.with_name("manifest.json")
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    rejects_path = data_path.with_name("rejects.csv")
    rejects = store.read_csv(rejects_path) if rejects_path.exists() else None
    return build(
        figures,
        region=region,
        period=period,
        data_name=data_path.name,
        manifest=manifest,
        rejects=rejects,
        catalog=catalog,
    )


def build(
    figures: pd.DataFrame,
    *,
    region: str,
    period: str,
    data_name: str = "figures.parquet",
    manifest: dict | None = None,
    rejects: pd.DataFrame | None = None,
    raw_dir: Path | None = None,
    catalog: Catalog | None = None,
) -> ReportModel:
    """Compute the model of one report.

    Parameters
    ----------
    figures : DataFrame
        The processed table (all vintages).
    region, period : str
        Codes (checked: ``analysis.report.reporting.check_parameters``).
    data_name : str
        The name of the processed table, for the provenance.
    manifest : dict, optional
        ``manifest.json`` of the processed table (input files and their hashes).
    rejects : DataFrame, optional
        ``rejects.csv`` of the processed table.
    raw_dir : Path, optional
        Where the raw files' ``.meta.json`` (their sources) are; default ``data/raw``.
    catalog : Catalog, optional
        Reference tables (default the shipped ones).
    """
    catalog = catalog or load_catalog()
    table = indicator_table(figures, region=region, period=period, catalog=catalog)
    span = Period.from_code(period)
    mine = figures[figures["region"] == region]
    projections, results = _projections(figures, table, region=region, span=span, catalog=catalog)
    return ReportModel(
        region=region,
        period=period,
        table=table,
        vintage=_latest_period(figures),
        series=level_series(
            figures, region=region, period=period, indicator=(headline_order(catalog) or ["gdp"])[0]
        ),
        last_h2=_last_h2(mine, table, span, catalog),
        year_targets=_year_targets(mine, span),
        peers=_peer_snapshot(figures, region=region, span=span, catalog=catalog),
        projections=projections,
        sources=_sources(mine, period, raw_dir or paths().raw),
        conflicts=_conflicts(mine),
        rechecks=_rechecks(mine, catalog),
        rejected=_rejected(rejects, region, catalog),
        provenance=_provenance(mine, region, period, data_name, manifest or {}),
        assessment=assess(table, catalog=catalog, projections=results),
        catalog=catalog,
    )


def _latest_period(figures: pd.DataFrame) -> str:
    latest = max(
        (Period.from_code(p) for p in set(figures["period"])),
        key=lambda p: (p.year, p.end_month),
    )
    return latest.code


def level_series(
    figures: pd.DataFrame, *, region: str, period: str, indicator: str = "gdp"
) -> pd.DataFrame:
    """The region's full-year and first-half levels as they stood at the report's period.

    Nothing from after the report's period: a 2019 report does not show a 2023 level.

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> level_series(load_figures(), region="erqi", period="2019H1").values.tolist()
    [[2017, 'FY', 567.0], [2019, 'H1', 323.3]]
    """
    rows = figures[
        (figures["region"] == region)
        & (figures["indicator"] == indicator)
        & ~figures["is_target"]
        & figures["value"].notna()
    ]
    latest = select_vintage(rows)
    empty = pd.DataFrame({"year": pd.Series(dtype="int64"), "kind": [], "value": []})
    if latest.empty:
        return empty
    latest = latest[latest["period"].str.endswith(("FY", "H1"))]
    span = Period.from_code(period)
    keep = [
        (Period.from_code(p).year, Period.from_code(p).end_month) <= (span.year, span.end_month)
        for p in latest["period"]
    ]
    latest = latest[keep].sort_values(["year", "period"])
    return pd.DataFrame(
        {
            "year": latest["year"].astype(int).to_numpy(),
            "kind": [p[4:] for p in latest["period"]],
            "value": latest["value"].to_numpy(),
        }
    )


def _last_h2(mine: pd.DataFrame, table: pd.DataFrame, span: Period, catalog) -> pd.DataFrame:
    """This first half against last year's second half (FY - H1), flow indicators."""
    columns = ["indicator", "value", "h2", "unit"]
    if span.code != f"{span.year}H1":
        return pd.DataFrame(columns=columns)
    latest = select_vintage(mine[~mine["is_target"]])
    by = latest.set_index(["period", "indicator"])["value"]
    values = wide(table)
    units = table[table["measure"] == "value"].set_index("indicator")["unit"]
    cat = catalog.indicators
    out = []
    for code in values.index:
        if code not in cat.index or cat.loc[code, "kind"] != "flow":
            continue
        fy, h1 = by.get((f"{span.year - 1}FY", code)), by.get((f"{span.year - 1}H1", code))
        now = values.loc[code, "value"]
        if fy is None or h1 is None or np.isnan(fy) or np.isnan(h1) or np.isnan(now):
            continue
        out.append({"indicator": code, "value": now, "h2": fy - h1, "unit": units[code]})
    return pd.DataFrame(out, columns=columns)


def _year_targets(mine: pd.DataFrame, span: Period) -> pd.DataFrame:
    """The year's targets stated for the region (task and level targets, growth targets)."""
    rows = mine[mine["is_target"] & (mine["year"] == span.year)]
    picked = select_vintage(rows)
    columns = ["indicator", "value", "unit", "qualifier", "yoy_pct"]
    if picked.empty:
        return pd.DataFrame(columns=columns)
    return picked[columns].reset_index(drop=True)


def _peer_snapshot(figures, *, region: str, span: Period, catalog) -> PeerSnapshot | None:
    """The region among its widest peer group by level: this period, or the latest earlier."""
    order = headline_order(catalog)
    indicator = order[0] if order else ""
    groups = catalog.peer_groups
    holding = groups[groups["members"].map(lambda m: region in m)]
    if holding.empty or indicator not in catalog.indicators.index:
        return None
    # the widest named group that holds the region (the most peers to compare with); a
    # region in no named group: the widest of its groups by rule
    if "rule" in holding and holding["rule"].eq("named").any():
        holding = holding[holding["rule"].eq("named")]
    size = holding["members"].map(len)
    group = size[size == size.max()].index[0]
    members = groups.loc[group, "members"]
    rows = figures[
        figures["region"].isin(members)
        & (figures["indicator"] == indicator)
        & ~figures["is_target"]
        & figures["value"].notna()
    ]
    latest = select_vintage(rows)
    counts = latest.groupby("period")["region"].nunique()
    usable = [
        p
        for p in counts.index
        if counts[p] >= 3 and region in set(latest.loc[latest["period"] == p, "region"])
    ]
    usable = [p for p in usable if Period.from_code(p) <= span or p == span.code]
    if not usable:
        return None
    period = (
        span.code
        if span.code in usable
        else max(usable, key=lambda p: (Period.from_code(p).year, Period.from_code(p).end_month))
    )
    snap = latest[latest["period"] == period]
    values = pd.DataFrame({"region": snap["region"].to_numpy(), "value": snap["value"].to_numpy()})
    return PeerSnapshot(indicator, group, period, len(members), values)


def _projections(figures, table, *, region: str, span: Period, catalog) -> tuple[tuple, dict]:
    """Full-year projections of the headline flow indicators with a first-half level: as the
    trend block shows them, and the projection results by indicator (for the outlook)."""
    from analysis.compute import projection

    if span.code != f"{span.year}H1":
        return (), {}
    values = wide(table)
    cat = catalog.indicators
    out, results = [], {}
    for code in [c for c in headline_order(catalog) if c in values.index]:
        if code not in cat.index or cat.loc[code, "kind"] != "flow":
            continue
        if np.isnan(values.loc[code, "value"]):
            continue
        result = projection.project(
            figures, region=region, indicator=code, year=span.year, catalog=catalog
        )
        results[code] = result
        lead, why = result.lead_method()
        shown, summary = None, pd.DataFrame()
        if lead:
            # the region's own backtest; without one, that of the nearest level above
            for whose in reversed(list(result.backtests)):
                tested = result.backtest(whose).summary()
                if (tested["n"] > 0).any():
                    shown, summary = whose, tested[tested["n"] > 0].reset_index(drop=True)
                    break
        out.append(
            Projection(
                indicator=code,
                year=span.year,
                unit=cat.loc[code, "unit"],
                level=result.level,
                table=result.table(),
                lead=lead,
                why=why,
                assumptions=result.assumptions(),
                backtest_region=shown,
                backtest=summary,
                warnings=tuple(result.warnings["reason"]),
                chart=result.chart_data() if lead else pd.DataFrame(),
            )
        )
    return tuple(out), results


def _sources(mine: pd.DataFrame, period: str, raw_dir: Path) -> pd.DataFrame:
    """The files the region's figures of the period come from, with where they were found."""
    used = mine[mine["period"] == period]
    rows = []
    for (file, url), group in used.groupby(["source_file", "source_url"]):
        meta = _meta(raw_dir, file)
        rows.append(
            {
                "file": file,
                "url": url,
                "description": meta.get("source", ""),
                "description_zh": meta.get("source_zh", ""),
                "figures": len(group),
            }
        )
    return pd.DataFrame(rows, columns=["file", "url", "description", "description_zh", "figures"])


def _meta(raw_dir: Path, file: str) -> dict:
    """What a raw file's sidecar (``<name>.meta.json``) says about it, or {}."""
    path = raw_dir / f"{Path(file).stem}.meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


#: The measures whose sources can disagree, with the unit each is stated in (None: the row's).
CONFLICT_MEASURES = {"value": None, "yoy_pct": "%", "plan_pct": "%"}


def _conflicts(mine: pd.DataFrame) -> pd.DataFrame:
    """Every row stating a figure that another source states differently (cleaning marks
    them in ``<measure>_conflict``), with its value, unit and place."""
    parts = []
    for measure, unit in CONFLICT_MEASURES.items():
        rows = mine[mine[f"{measure}_conflict"] != ""]
        parts.append(
            pd.DataFrame(
                {
                    "period": rows["period"].to_numpy(),
                    "indicator": rows["indicator"].to_numpy(),
                    "measure": [measure] * len(rows),
                    "value": rows[measure].to_numpy(dtype=float),
                    "unit": rows["unit"].to_numpy() if unit is None else [unit] * len(rows),
                    "decimals": (
                        rows["value_decimals"].to_numpy(dtype=float)
                        if unit is None
                        else np.full(len(rows), np.nan)
                    ),
                    "source": [
                        f"{f}:{line}"
                        for f, line in zip(rows["source_file"], rows["source_line"], strict=True)
                    ],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _rechecks(mine: pd.DataFrame, catalog) -> pd.DataFrame:
    table = checks.reproduce_published(mine, catalog=catalog)
    table = table[table["verdict"] != "not recomputable"]
    columns = ["period", "indicator", "published", "recomputed", "verdict", "detail"]
    return table[columns].reset_index(drop=True)


def _rejected(rejects: pd.DataFrame | None, region: str, catalog) -> pd.DataFrame:
    """Rows of the region rejected in cleaning (found by the region's code or name)."""
    columns = ["source_file", "source_line", "reason", "code"]
    if rejects is None or rejects.empty or "raw" not in rejects:
        return pd.DataFrame(columns=columns)
    names = {region, catalog.regions.loc[region, "name_zh"]}
    pattern = "|".join(rf"(?:^|\| )region(?:_code|_zh)?={n}(?: \||$)" for n in names)
    mine = rejects[rejects["raw"].str.contains(pattern, regex=True)]
    out = mine.reindex(columns=columns, fill_value="")
    return out.reset_index(drop=True)


def versions() -> dict[str, str]:
    """Versions of Python and the main libraries (each library ``not installed`` when absent).

    Examples
    --------
    >>> v = versions()
    >>> list(v)[:3], v["pandas"] == metadata.version("pandas")
    (['python', 'pandas', 'numpy'], True)
    """
    out = {"python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "not installed"
    return out


def _provenance(mine, region, period, data_name, manifest) -> Provenance:
    from analysis import __version__

    files = pd.DataFrame(
        [
            {
                "file": f["file"],
                "encoding": f.get("encoding", ""),
                "rows": f.get("rows_read", ""),
                "sha256": f.get("sha256", ""),
            }
            for f in manifest.get("files", [])
        ],
        columns=["file", "encoding", "rows", "sha256"],
    )
    counts = mine.loc[mine["period"] == period, "vintage"].value_counts()
    vintages = pd.DataFrame({"vintage": counts.index.to_numpy(), "figures": counts.to_numpy()})
    return Provenance(
        params={"region": region, "period": period, "data": data_name},
        files=files,
        vintages=vintages,
        package=__version__,
        git=git_version(),
        versions=versions(),
    )
