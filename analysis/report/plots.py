"""Charts for the reports, drawn with seaborn, with Chinese text in a font the project ships.

The CJK font is Noto Sans CJK SC from the ``mplfonts`` package (installed from the lock
file), registered with matplotlib on first use: reports never depend on fonts of the
machine they are built on.
"""

from __future__ import annotations

import importlib.util
import io
import re
import textwrap
from functools import cache
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.errors import HalfyearError

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"
HIGHLIGHT = "#c0392b"
OTHERS = "#7f8c8d"


class FontMissingError(HalfyearError, RuntimeError):
    """The CJK font package is not installed."""


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def wrap(text: str, *, width: int = 18) -> str:
    r"""Break a label into lines that fit a chart: ``width`` Latin characters a line, half
    as many Chinese characters (they are twice as wide).

    Examples
    --------
    >>> wrap("Zhengzhou Economic and Technological Development Zone")
    'Zhengzhou Economic\nand Technological\nDevelopment Zone'
    >>> wrap("城镇居民人均可支配收入")
    '城镇居民人均可支配\n收入'
    """
    if _CJK.search(text):
        step = max(width // 2, 1)
        return "\n".join(text[i : i + step] for i in range(0, len(text), step))
    return textwrap.fill(text, width=width)


def cjk_font_path() -> Path:
    """Path of the CJK font file shipped by the ``mplfonts`` package.

    Raises
    ------
    FontMissingError
        When ``mplfonts`` is not installed, with the command that installs it.

    Examples
    --------
    >>> cjk_font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
    # the package is only located, not imported: its own imports are not needed here
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or spec.origin is None:
        raise FontMissingError(
            "the CJK font package mplfonts is not installed; run `make env` "
            "(it installs everything in requirements/runtime.lock)"
        )
    path = Path(spec.origin).parent / "fonts" / CJK_FONT_FILE
    if not path.exists():
        raise FontMissingError(f"{path} is missing from the mplfonts package; reinstall it")
    return path


@cache
def use_cjk_font() -> str:
    """Register the shipped CJK font with matplotlib and make it the default.

    Returns the font family name. Safe to call many times.

    Examples
    --------
    >>> use_cjk_font()
    'Noto Sans CJK SC'
    """
    font_manager.fontManager.addfont(str(cjk_font_path()))
    sns.set_theme(style="whitegrid", font=CJK_FONT_NAME)
    mpl.rcParams["font.family"] = [CJK_FONT_NAME]
    mpl.rcParams["axes.unicode_minus"] = False
    # chart text comes from data (names, titles): drawn as written, never parsed as mathtext
    mpl.rcParams["text.parse_math"] = False
    return CJK_FONT_NAME


def to_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """A figure as PNG bytes, with no timestamp in the file (same input, same bytes).

    Examples
    --------
    >>> fig = Figure(figsize=(1, 1))
    >>> to_png(fig)[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def growth_comparison(table: pd.DataFrame, *, highlight: str, title: str, xlabel: str) -> Figure:
    """Horizontal bars of growth rates, one per region, the report's region highlighted.

    Parameters
    ----------
    table : DataFrame
        Columns ``label`` (region name as shown) and ``yoy_pct``.
    highlight : str
        The label to draw in the highlight colour.
    title, xlabel : str
        Texts in the report's language.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["二七区", "河南省", "全国"], "yoy_pct": [8.0, 7.7, 6.3]})
    >>> fig = growth_comparison(t, highlight="二七区", title="增速", xlabel="%")
    >>> [float(p.get_width()) for p in fig.axes[0].patches]
    [8.0, 7.7, 6.3]
    """
    use_cjk_font()
    data = table.dropna(subset=["yoy_pct"]).reset_index(drop=True)
    data["label"] = data["label"].map(wrap)
    highlight = wrap(highlight)
    palette = {lab: (HIGHLIGHT if lab == highlight else OTHERS) for lab in data["label"]}
    height = 0.6 + 0.55 * len(data)
    fig = Figure(figsize=(5.6, height), layout="constrained")
    ax = fig.subplots()
    sns.barplot(
        data=data, x="yoy_pct", y="label", hue="label", palette=palette, legend=False, ax=ax
    )
    for patch, value in zip(ax.patches, data["yoy_pct"], strict=True):
        ax.annotate(
            f"{value:+.1f}%",
            (patch.get_width(), patch.get_y() + patch.get_height() / 2),
            xytext=(4 if value >= 0 else -4, 0),
            textcoords="offset points",
            va="center",
            ha="left" if value >= 0 else "right",
            fontsize=12,
        )
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_title(wrap(title, width=52), fontsize=14, loc="left")
    ax.set_xlabel(xlabel, fontsize=12)
    ax.set_ylabel("")
    ax.tick_params(labelsize=12)
    lo, hi = min(0.0, data["yoy_pct"].min()), max(0.0, data["yoy_pct"].max())
    pad = 0.18 * max(hi - lo, 1.0)
    ax.set_xlim(lo - (pad if lo < 0 else 0), hi + pad)
    return fig


def _figure(rows: int, *, width: float = 5.6) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, 1.1 + 0.5 * max(rows, 1)), layout="constrained")
    return fig, fig.subplots()


def growth_years(table: pd.DataFrame, *, title: str, xlabel: str, labels: tuple[str, str]):
    """Growth this period and a year earlier, one pair of bars per indicator.

    Parameters
    ----------
    table : DataFrame
        Columns ``label`` (indicator name), ``now`` and ``before`` (growth in %, NaN for a
        gap: its bar is simply absent).
    labels : (str, str)
        Legend texts for ``now`` and ``before``.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["地区生产总值"], "now": [8.0], "before": [float("nan")]})
    >>> fig = growth_years(t, title="增速", xlabel="%", labels=("本期", "上年同期"))
    >>> [float(p.get_width()) for p in fig.axes[0].patches if p.get_width() > 0]
    [8.0]
    """
    use_cjk_font()
    table = table.assign(label=table["label"].map(wrap))
    long = table.melt(
        id_vars="label", value_vars=["now", "before"], var_name="when", value_name="growth"
    )
    long["when"] = long["when"].map({"now": labels[0], "before": labels[1]})
    fig, ax = _figure(len(table) * 1.4)
    sns.barplot(
        data=long,
        x="growth",
        y="label",
        hue="when",
        ax=ax,
        palette=[HIGHLIGHT, "#95a5a6"],
        hue_order=list(labels),
    )
    for container in ax.containers:
        ax.bar_label(container, fmt="%+.1f%%", padding=3, fontsize=11)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_title(wrap(title, width=52), fontsize=14, loc="left")
    ax.set_xlabel(xlabel, fontsize=12)
    ax.set_ylabel("")
    ax.tick_params(labelsize=12)
    ax.legend(
        title="",
        fontsize=11,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.6 / len(table)),
        ncol=2,
        frameon=False,
    )
    lo, hi = min(0.0, long["growth"].min()), max(0.0, long["growth"].max())
    ax.set_xlim(lo * 1.25 if lo < 0 else 0, hi * 1.25 + 0.5)
    return fig


def plan_bullets(table: pd.DataFrame, *, time_progress: float, title: str, xlabel: str):
    """Bullet chart: share of the annual plan completed per indicator, with the time line.

    Parameters
    ----------
    table : DataFrame
        Columns ``label`` and ``plan_pct``.
    time_progress : float
        Time elapsed in percent of the year (50 at the end of June): the vertical line.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["重大项目", "生态项目"], "plan_pct": [51.0, 72.9]})
    >>> fig = plan_bullets(t, time_progress=50, title="进度", xlabel="%")
    >>> [float(p.get_width()) for p in fig.axes[0].patches][-2:]
    [51.0, 72.9]
    """
    use_cjk_font()
    table = table.assign(label=table["label"].map(wrap))
    fig, ax = _figure(len(table))
    ax.barh(table["label"], [100.0] * len(table), color="#ecf0f1", height=0.7)
    colors = [HIGHLIGHT if v >= time_progress else "#e67e22" for v in table["plan_pct"]]
    bars = ax.barh(table["label"], table["plan_pct"], color=colors, height=0.35)
    ax.bar_label(bars, labels=[f"{v:.1f}%" for v in table["plan_pct"]], padding=3, fontsize=11)
    ax.axvline(time_progress, color="#2c3e50", linewidth=2)
    ax.invert_yaxis()
    ax.set_xlim(0, max(110.0, float(table["plan_pct"].max()) + 12))
    ax.set_title(wrap(title, width=52), fontsize=14, loc="left")
    ax.set_xlabel(xlabel, fontsize=12)
    ax.tick_params(labelsize=12)
    return fig


def peer_bars(
    table: pd.DataFrame,
    *,
    highlight: str,
    average: float,
    title: str,
    xlabel: str,
    average_label: str,
):
    """The region among its peers, highlighted, with the peer average as a line.

    Parameters
    ----------
    table : DataFrame
        Columns ``label`` and ``value``, one row per peer that has a figure.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["金水区", "二七区"], "value": [1203.4, 567.0]})
    >>> fig = peer_bars(t, highlight="二七区", average=885.2, title="t", xlabel="亿元",
    ...                 average_label="平均")
    >>> len(fig.axes[0].patches)
    2
    """
    use_cjk_font()
    data = table.sort_values("value", ascending=False).reset_index(drop=True)
    data["label"] = data["label"].map(wrap)
    highlight = wrap(highlight)
    palette = {lab: (HIGHLIGHT if lab == highlight else OTHERS) for lab in data["label"]}
    fig, ax = _figure(len(data))
    sns.barplot(data=data, x="value", y="label", hue="label", palette=palette, legend=False, ax=ax)
    for container in ax.containers:
        ax.bar_label(container, fmt="%.1f", padding=3, fontsize=11)
    ax.axvline(average, color="#2c3e50", linestyle="--", linewidth=1.2)
    ax.annotate(
        f"{average_label} {average:.1f}",
        (average, -0.6),
        fontsize=11,
        color="#2c3e50",
        ha="left",
        xytext=(4, 0),
        textcoords="offset points",
    )
    ax.set_title(wrap(title, width=52), fontsize=14, loc="left")
    ax.set_xlabel(xlabel, fontsize=12)
    ax.set_ylabel("")
    ax.tick_params(labelsize=12)
    ax.set_xlim(min(0.0, data["value"].min() * 1.2), data["value"].max() * 1.18)
    return fig


def level_over_time(table: pd.DataFrame, *, title: str, ylabel: str):
    """Levels over the years, one line per kind of period (全年, 上半年); gaps stay gaps.

    Parameters
    ----------
    table : DataFrame
        Columns ``year``, ``series`` (label of the period kind) and ``value``.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2017, 2023, 2019], "series": ["全年", "全年", "上半年"],
    ...                   "value": [567.0, 831.9, 323.3]})
    >>> fig = level_over_time(t, title="t", ylabel="亿元")
    >>> full_year = fig.axes[0].lines[0]
    >>> [str(v) for v in full_year.get_ydata()]  # 2018-2022 are gaps, not a line
    ['567.0', 'nan', 'nan', 'nan', 'nan', 'nan', '831.9']
    """
    use_cjk_font()
    fig = Figure(figsize=(5.6, 3.4), layout="constrained")
    ax = fig.subplots()
    colors = [HIGHLIGHT, "#34495e"]
    markers = ["o", "s"]
    years_all = range(int(table["year"].min()), int(table["year"].max()) + 1)
    for i, (series, part) in enumerate(table.groupby("series", sort=False)):
        # a missing year breaks the line: a gap stays a gap
        full = part.set_index("year")["value"].reindex(years_all)
        ax.plot(
            list(full.index),
            full.to_numpy(),
            marker=markers[i % 2],
            markersize=8,
            color=colors[i % 2],
            label=series,
        )
    for row in table.itertuples():
        ax.annotate(
            f"{row.value:.1f}",
            (row.year, row.value),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=10,
        )
    years = sorted(table["year"].unique())
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years])
    ax.set_title(wrap(title, width=52), fontsize=14, loc="left")
    ax.set_xlabel("")
    ax.set_ylabel(ylabel, fontsize=12)
    ax.set_ylim(0, table["value"].max() * 1.2)
    ax.tick_params(labelsize=11)
    ax.legend(title="", fontsize=11)
    return fig


def projection_chart(
    data: pd.DataFrame, *, lead: str, labels: dict[str, str], title: str, ylabel: str
) -> Figure:
    """The full-year series, this year's first half, and the projected full year.

    Parameters
    ----------
    data : DataFrame
        ``ProjectionResult.chart_data()``: columns year, kind ('actual FY', 'actual H1',
        'projected'), method, value, lower, upper.
    lead : str
        The method drawn with its interval; the other methods are drawn as small marks.
    labels : dict
        Display texts for 'actual FY', 'actual H1' and every method code.

    Examples
    --------
    >>> d = pd.DataFrame({"year": [2017, 2018, 2019, 2019], "kind": ["actual FY", "actual FY",
    ...     "actual H1", "projected"], "method": ["", "", "", "h1_share"],
    ...     "value": [567.0, 600.0, 323.3, 729.6], "lower": [None, None, None, 694.7],
    ...     "upper": [None, None, None, 764.4]})
    >>> fig = projection_chart(d, lead="h1_share", labels={"actual FY": "全年",
    ...     "actual H1": "上半年", "h1_share": "上半年占比法"}, title="t", ylabel="亿元")
    >>> len(fig.axes[0].lines) >= 3
    True
    """
    use_cjk_font()
    fig = Figure(figsize=(5.6, 3.6), layout="constrained")
    ax = fig.subplots()
    fy = data[data["kind"] == "actual FY"].sort_values("year")
    h1 = data[data["kind"] == "actual H1"].sort_values("year")
    proj = data[data["kind"] == "projected"]
    ax.plot(fy["year"], fy["value"], marker="o", color="#34495e", label=labels["actual FY"])
    ax.plot(
        h1["year"],
        h1["value"],
        marker="s",
        linestyle="none",
        color="#7f8c8d",
        label=labels["actual H1"],
    )
    others = proj[proj["method"] != lead]
    ax.plot(
        others["year"],
        others["value"],
        marker="_",
        markersize=14,
        linestyle="none",
        color="#95a5a6",
        label="",
    )
    main = proj[proj["method"] == lead]
    if not main.empty:
        row = main.iloc[0]
        low = row["value"] - row["lower"] if pd.notna(row["lower"]) else 0.0
        high = row["upper"] - row["value"] if pd.notna(row["upper"]) else 0.0
        ax.errorbar(
            [row["year"]],
            [row["value"]],
            yerr=[[low], [high]],
            fmt="D",
            color=HIGHLIGHT,
            markersize=8,
            capsize=6,
            label=labels.get(lead, lead),
        )
        ax.annotate(
            f"{row['value']:.1f}",
            (row["year"], row["value"]),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=11,
            color=HIGHLIGHT,
        )
    years = sorted(set(data["year"].astype(int)))
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], rotation=45 if len(years) > 8 else 0)
    ax.set_title(wrap(title, width=52), fontsize=14, loc="left")
    ax.set_ylabel(ylabel, fontsize=12)
    ax.set_xlabel("")
    top = data[["value", "upper"]].max().max()
    ax.set_ylim(0, top * 1.15)
    ax.tick_params(labelsize=11)
    ax.legend(fontsize=10, loc="upper left")
    return fig
