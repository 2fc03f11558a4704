"""The grid of a batch: which reports to run, checked against the data before any run.

A grid file (YAML) has any of ``regions``, ``periods``, ``langs`` (a name or a list),
``min_figures`` and ``runs`` (a list of ``{region, period, lang}``). Regions and periods
given together make their full product; a side left out is every region (or period) the
data can report on with figures of at least ``min_figures`` indicators.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from analysis.config import LANGUAGES
from analysis.errors import HalfyearError

#: A region and period make a report with figures of at least this many indicators.
DEFAULT_MIN_FIGURES = 3
#: Keys a grid file may have.
GRID_KEYS = ("regions", "periods", "langs", "runs", "min_figures")


class GridError(HalfyearError, ValueError):
    """A grid (or a batch option) that cannot be run; the message says what is allowed."""


# --- the grid ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Grid:
    """The runs of a batch, checked, and the combinations that were not valid.

    Attributes
    ----------
    runs : tuple of reporting.ReportParameters
        Valid parameter sets, one per report name, sorted by name.
    invalid : tuple of str
        One line per invalid combination, saying what is valid instead.
    """

    runs: tuple
    invalid: tuple = ()


def reportable(figures, *, min_figures: int = DEFAULT_MIN_FIGURES):
    """Regions and periods with actual figures of at least ``min_figures`` indicators.

    Parameters
    ----------
    figures : DataFrame
        The processed table.
    min_figures : int, default DEFAULT_MIN_FIGURES
        Distinct indicators (targets excluded) a report needs.

    Returns
    -------
    DataFrame
        Columns ``region``, ``period``, ``indicators``, sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region": ["a", "a", "a", "b"], "period": ["2019H1"] * 4,
    ...     "indicator": ["gdp", "gdp", "retail_sales", "gdp"], "is_target": [False] * 4})
    >>> reportable(f, min_figures=2).values.tolist()
    [['a', '2019H1', 2]]
    """
    if min_figures < 1:
        raise GridError(f"min_figures must be at least 1, not {min_figures}")
    actual = figures[~figures["is_target"].astype(bool)]
    counts = (
        actual.groupby(["region", "period"])["indicator"].nunique().rename("indicators")
    ).reset_index()
    counts = counts[counts["indicators"] >= min_figures]
    return counts.sort_values(["region", "period"], kind="stable").reset_index(drop=True)


def _as_list(value, key: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str | int):
        return [str(value)]
    if isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value]
    raise GridError(f"{key} must be a name or a list of names, not {_short(repr(value), 80)}")


def build_grid(
    figures,
    *,
    regions: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
    langs: Iterable[str] | None = None,
    runs: Iterable[dict] | None = None,
    min_figures: int = DEFAULT_MIN_FIGURES,
    data_path: Path | None = None,
) -> Grid:
    """Check a grid of report parameters against the data: the valid runs, the rest listed.

    Regions and periods given together make their full product; a side left out is every
    region (or period) the data can report on with at least ``min_figures`` indicators;
    both left out is the default grid. ``runs`` adds explicit parameter sets (mappings with
    ``region``, ``period`` and ``lang``). Names and labels are accepted as in
    ``halfyear report`` (二七区, 2019年上半年) and each run is named by its canonical codes,
    so a report asked for twice runs once.

    Parameters
    ----------
    figures : DataFrame
        The processed table.
    regions, periods : iterable of str, optional
        Region codes or names; period codes or labels.
    langs : iterable of str, optional
        Report languages; default every language (``zh``, ``en``).
    runs : iterable of dict, optional
        Explicit parameter sets.
    min_figures : int, default DEFAULT_MIN_FIGURES
        Indicators a region and period need to be chosen for a side left out.
    data_path : Path, optional
        The processed table the notebooks read (default the project's).

    Returns
    -------
    Grid

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> figures = load_figures()
    >>> grid = build_grid(figures, regions=["二七区"], periods=["2019H1", "2018H1"],
    ...                   langs=["zh"])
    >>> [(p.region, p.period, p.lang) for p in grid.runs]
    [('erqi', '2019H1', 'zh')]
    >>> print(grid.invalid[0])
    二七区 2018H1 zh: no figures for erqi in 2018H1; periods with data for erqi: ...
    >>> len(build_grid(figures).runs) > 50
    True
    """
    from analysis import periods as period_codes
    from analysis.catalog import CatalogError
    from analysis.catalog import load as load_catalog
    from analysis.report import reporting

    cat = load_catalog()
    langs = list(langs) if langs else list(LANGUAGES)
    table = reportable(figures, min_figures=min_figures)
    wanted: list[tuple[str, str, str]] = []
    invalid: list[str] = []
    regions = None if regions is None else list(regions)
    periods = None if periods is None else list(periods)
    if regions is not None and periods is not None:
        wanted += [(r, p, lang) for r in regions for p in periods for lang in langs]
    elif regions is not None:
        for region in regions:
            try:
                code = cat.region_code(region)
            except CatalogError:
                invalid.append(
                    f"{region}: unknown region; regions with enough data for a report: "
                    f"{', '.join(sorted(set(table['region'])))}"
                )
                continue
            have = table.loc[table["region"] == code, "period"].tolist()
            if not have:
                invalid.append(
                    f"{region}: no period with figures of {min_figures} indicators or more; "
                    f"regions that have one: {', '.join(sorted(set(table['region'])))} "
                    "(or name the periods, or lower --min-figures)"
                )
            wanted += [(region, p, lang) for p in have for lang in langs]
    elif periods is not None:
        for period in periods:
            try:
                code = period_codes.parse_period(str(period)).code
            except period_codes.PeriodError as err:
                invalid.append(f"{period}: {err}")
                continue
            have = table.loc[table["period"] == code, "region"].tolist()
            if not have:
                invalid.append(
                    f"{period}: no region with figures of {min_figures} indicators or more; "
                    f"periods that have one: {', '.join(sorted(set(table['period'])))}"
                )
            wanted += [(r, period, lang) for r in have for lang in langs]
    elif runs is None:
        wanted += [
            (r, p, lang)
            for r, p in zip(table["region"], table["period"], strict=True)
            for lang in langs
        ]
    for i, run in enumerate(runs or []):
        if not isinstance(run, dict) or not {"region", "period", "lang"} <= set(run):
            invalid.append(
                f"runs[{i}]: {_short(repr(run), 80)}: a run needs region, period and lang"
            )
            continue
        extra = sorted(set(run) - {"region", "period", "lang"})
        if extra:
            invalid.append(f"runs[{i}]: unknown keys {extra}; allowed: region, period, lang")
            continue
        wanted.append((str(run["region"]), str(run["period"]), str(run["lang"])))
    checked = {}
    for region, period, lang in wanted:
        try:
            params = reporting.check_parameters(
                region=region, period=period, lang=lang, figures=figures, data_path=data_path
            )
        except reporting.ParameterError as err:
            invalid.append(f"{region} {period} {lang}: {err}")
            continue
        checked.setdefault(reporting.report_name(params), params)
    return Grid(tuple(checked[name] for name in sorted(checked)), tuple(invalid))


#: The largest grid file read (a grid lists regions, periods and languages: a few kB).
MAX_GRID_BYTES = 256_000


def _grid_loader():
    import yaml

    class GridLoader(yaml.SafeLoader):
        """PyYAML's safe loader without anchors and aliases (no expansion bombs)."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in a grid file",
                    event.start_mark,
                )  # fmt: skip
            return super().compose_node(parent, index)

    return GridLoader


def _short(value: object, limit: int = 200) -> str:
    """A value's text, cut to ``limit`` characters.

    Examples
    --------
    >>> _short("x" * 300, 10)
    'xxxxxxxxxx...'
    """
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "..."


def read_grid_file(path: str | Path) -> dict:
    """The grid of a YAML file: ``regions``, ``periods``, ``langs``, ``runs``, ``min_figures``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = Path(d) / "grid.yaml"
    ...     _ = path.write_text("regions: [erqi]\\nlangs: zh\\n", encoding="utf-8")
    ...     read_grid_file(path)
    {'regions': ['erqi'], 'langs': ['zh']}
    """
    import yaml

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_GRID_BYTES:
            raise GridError(
                f"{path}: a grid file of {size / 1e6:.1f} MB; a grid file is at most "
                f"{MAX_GRID_BYTES // 1000} kB (list regions, periods and languages, not runs)"
            )
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise GridError(f"{path}: cannot read the grid file: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise GridError(
            f"{path}: not UTF-8 (byte 0x{err.object[err.start]:02x}); save the grid file as UTF-8"
        ) from None
    try:
        data = yaml.load(text, Loader=_grid_loader()) or {}  # a safe loader, no aliases
    except yaml.MarkedYAMLError as err:
        line = f", line {err.problem_mark.line + 1}" if err.problem_mark else ""
        problem = " ".join(str(err.problem or err.context or "").split())
        raise GridError(f"{path}{line}: not valid YAML: {_short(problem)}") from None
    except yaml.YAMLError as err:
        raise GridError(f"{path}: not valid YAML: {_short(' '.join(str(err).split()))}") from None
    except RecursionError:
        raise GridError(f"{path}: nested too deeply to be a grid file") from None
    if not isinstance(data, dict):
        raise GridError(f"{path}: a grid file is a mapping with keys {', '.join(GRID_KEYS)}")
    unknown = sorted(set(data) - set(GRID_KEYS))
    if unknown:
        raise GridError(f"{path}: unknown keys {unknown}; allowed: {', '.join(GRID_KEYS)}")
    grid = {}
    for key in ("regions", "periods", "langs"):
        if key in data:
            grid[key] = _as_list(data[key], f"{path}: {key}")
    if "runs" in data:
        if not isinstance(data["runs"], list):
            raise GridError(f"{path}: runs must be a list of {{region, period, lang}}")
        grid["runs"] = data["runs"]
    if "min_figures" in data:
        if not isinstance(data["min_figures"], int) or data["min_figures"] < 1:
            raise GridError(f"{path}: min_figures must be a whole number >= 1")
        grid["min_figures"] = data["min_figures"]
    return grid


def parse_shard(text: str) -> tuple[int, int]:
    """``K/N`` as (K, N): the K-th of N shards, counted from 1.

    Examples
    --------
    >>> parse_shard("2/4")
    (2, 4)
    >>> parse_shard("5/4")
    Traceback (most recent call last):
    ...
    analysis.batch.grid.GridError: --shard 5/4: write K/N with 1 <= K <= N, e.g. 1/4 ... 4/4
    """
    k, sep, n = str(text).partition("/")
    if sep and k.strip().isdigit() and n.strip().isdigit() and 1 <= int(k) <= int(n):
        return int(k), int(n)
    raise GridError(f"--shard {text}: write K/N with 1 <= K <= N, e.g. 1/4 ... 4/4")


def take_shard(runs, shard: tuple[int, int]) -> list:
    """The runs of shard ``(K, N)``: the grid dealt out like cards, language by language
    and, within a language, region by region, so that every shard holds its share of each
    language and of each region's runs (runs without a language or region: every N-th from
    the K-th). The runs come back in the grid's order.

    The shards of a grid are disjoint, cover it, and do not depend on the machine.

    Examples
    --------
    >>> take_shard(list("abcdefg"), (1, 3)), take_shard(list("abcdefg"), (3, 3))
    (['a', 'd', 'g'], ['c', 'f'])
    >>> from analysis.report.reporting import ReportParameters as P
    >>> grid = [P(r, p, lang, None) for r in ("erqi", "henan") for p in ("2018FY", "2019H1")
    ...         for lang in ("en", "zh")]
    >>> [(p.region, p.period, p.lang) for p in take_shard(grid, (1, 2))]
    [('erqi', '2018FY', 'en'), ('erqi', '2019H1', 'zh'),
     ('henan', '2018FY', 'zh'), ('henan', '2019H1', 'en')]
    """
    k, n = shard
    runs = list(runs)

    def field(i: int, name: str) -> str:
        return str(getattr(runs[i], name, ""))

    # grouped by language, then region; each region's periods rotated by the rank of its
    # language and region, so that shards also differ in their periods
    groups: dict[tuple[str, str], list[int]] = {}
    for i in sorted(range(len(runs)), key=lambda i: (field(i, "lang"), field(i, "region"),
                                                     field(i, "period"), i)):  # fmt: skip
        groups.setdefault((field(i, "lang"), field(i, "region")), []).append(i)
    langs = sorted({lang for lang, _ in groups})
    regions = sorted({region for _, region in groups})
    dealt = []
    for (lang, region), members in groups.items():
        turn = (langs.index(lang) + regions.index(region)) % len(members)
        dealt += members[turn:] + members[:turn]
    mine = sorted(i for position, i in enumerate(dealt) if position % n == k - 1)
    return [runs[i] for i in mine]
