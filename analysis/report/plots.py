"""Charts of the reports: tidy DataFrame in, matplotlib Figure out, styled by rcParams.

Every chart reads its look from matplotlib's rcParams (a seaborn theme sets them): text
sizes scale with ``font.size``, the width is ``figure.figsize``'s, the resolution of a PNG
is ``savefig.dpi``'s, and the colours are those of the colour cycle (``axes.prop_cycle``),
by role: ``C0`` the report's region (highlight), ``C1`` the second series (a year earlier,
the other methods), ``C2`` a line series (full years), ``C3`` the other regions, ``C4``
behind time, ``C5`` reference lines (time elapsed, averages), ``C6`` the zero line, ``C7``
the plan track. :func:`report_style` is the reports' look (seaborn's whitegrid, the
shipped CJK font, the colours above); :func:`style` applies it, or any rc dict, for a block::

    with plots.style():                      # the report's look
        fig = plots.growth_years(frame, title="...", xlabel="%", labels=("本期", "上年同期"))
    with plots.style({}):                    # the current theme (e.g. after sns.set_theme)
        fig = plots.growth_years(frame, ...)

Chinese text renders with the CJK font the project ships (``analysis.fonts``), which
``import analysis`` registers with matplotlib as a fallback family.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import textwrap
from functools import cache

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from analysis.fonts import CJK_FONT_NAME, add_cjk_fallback, cjk_font_path  # noqa: F401

#: The colours of the reports' charts, by role (see the module docstring).
REPORT_COLORS = (
    "#c0392b",  # C0 highlight: the report's region, the leading method
    "#95a5a6",  # C1 second series
    "#34495e",  # C2 line series
    "#7f8c8d",  # C3 other regions, first halves
    "#e67e22",  # C4 behind time
    "#2c3e50",  # C5 reference lines
    "#333333",  # C6 zero line
    "#ecf0f1",  # C7 plan track
)
_ROLES = ("highlight", "second", "line", "other", "behind", "reference", "zero", "track")
#: The width of the reports' charts, in inches (their heights follow their rows): drawn for
#: a 412 px phone, whose page leaves about 390 CSS px for a chart (5.25 in at 72 CSS px an
#: inch: 378 px).
REPORT_WIDTH = 5.25
#: Pixels of a chart's PNG per CSS pixel of the page (2: sharp on a phone's screen). The
#: page shows a chart at ``inches × 72`` CSS px, so a text of ``s`` points is ``s`` CSS px.
DENSITY = 2
#: The smallest text of a report's chart, in points (= CSS px on a 412 px phone).
MIN_TEXT_PT = 11


@cache
def _report_rc() -> dict:
    rc = dict(sns.plotting_context("notebook"))
    rc.update(sns.axes_style("whitegrid", rc={"font.family": [CJK_FONT_NAME]}))
    rc.update(
        {
            "axes.prop_cycle": mpl.cycler(color=list(REPORT_COLORS)),
            "axes.unicode_minus": False,
            "savefig.dpi": 72 * DENSITY,
            "figure.figsize": [REPORT_WIDTH, 3.4],
            "text.parse_math": False,
        }
    )
    return rc


def report_style() -> dict:
    """The rcParams of the reports' charts (a copy: change it freely).

    Examples
    --------
    >>> rc = report_style()
    >>> rc["savefig.dpi"], rc["font.family"], rc["figure.figsize"][0]
    (144, ['Noto Sans CJK SC'], 5.25)
    """
    return dict(_report_rc())


@contextlib.contextmanager
def style(rc: dict | None = None):
    """Draw in the block with ``rc`` over the current rcParams (default the report's look).

    The shipped CJK font stays a fallback family, so Chinese renders in any theme.
    """
    rc = report_style() if rc is None else rc
    with mpl.rc_context(rc):
        add_cjk_fallback()
        yield mpl.rcParams


def _chart(draw):
    """A chart function: drawn with chart text as written (never parsed as mathtext: it
    comes from data) and the CJK font as a fallback family, in any theme."""

    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        with mpl.rc_context({"text.parse_math": False}):
            add_cjk_fallback()
            return draw(*args, **kwargs)

    return drawn


def colors() -> dict[str, str]:
    """The colour of each role in the current colour cycle (repeated when it is shorter).

    Examples
    --------
    >>> with style():
    ...     colors()["highlight"], colors()["track"]
    ('#c0392b', '#ecf0f1')
    """
    cycle = [c["color"] for c in mpl.rcParams["axes.prop_cycle"]]
    return {role: mpl.colors.to_hex(cycle[i % len(cycle)]) for i, role in enumerate(_ROLES)}


def _fs(points: float) -> float:
    """A text size given for the reports' 12-point text, scaled with ``font.size``."""
    return mpl.rcParams["font.size"] * points / 12


def _width() -> float:
    return float(mpl.rcParams["figure.figsize"][0])


def _scaled(height: float) -> float:
    """A height given for the reports' width, scaled with the current width."""
    return height * _width() / REPORT_WIDTH


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


#: Punctuation a line never starts with (closing) or ends with (opening).
_NO_LINE_START = set("，。、；：）)》」』！？%")
_NO_LINE_END = set("（(《「『")


@cache
def _measure():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, 72)


def text_width(text: str, size: float) -> float:
    """The width of a line of text in points at ``size`` points, in the current font.

    Examples
    --------
    >>> with style():
    ...     text_width("二七区", 12) > text_width("abc", 12) > 0
    True
    """
    from matplotlib.font_manager import FontProperties

    if not text:
        return 0.0
    prop = FontProperties(size=size)
    width, _, _ = _measure().get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def wrap_to(text: str, *, size: float, width: float) -> str:
    r"""Break a text into lines no wider than ``width`` points at ``size`` points: at spaces
    for Latin text, between characters for Chinese (never inside a number).

    Examples
    --------
    >>> with style():
    ...     wrap_to("Share of the annual plan completed (line: time elapsed, 50%)", size=14,
    ...             width=250)
    'Share of the annual plan completed\n(line: time elapsed, 50%)'
    >>> with style():
    ...     wrap_to("年度目标完成进度（竖线为时间进度50%）", size=14, width=120)
    '年度目标完成进度\n（竖线为时间进度\n50%）'
    """
    tokens = re.findall(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+|\s+",
                        text)  # fmt: skip
    lines: list[str] = []
    line: list[str] = []
    for token in tokens:
        wide = text_width("".join([*line, token]).strip(), size) > width
        if line and not token.isspace() and wide:
            # never start a line with closing punctuation, nor end one with opening
            keep = len(line)
            while keep > 1 and (
                (line[keep] if keep < len(line) else token) in _NO_LINE_START
                or line[keep - 1] in _NO_LINE_END
            ):
                keep -= 1
            lines.append("".join(line[:keep]).rstrip())
            line = line[keep:]
            while line and line[0].isspace():
                line.pop(0)
        line.append(token)
    lines.append("".join(line).strip())
    return "\n".join(x for x in lines if x)


def _title(ax, title: str, *, left: float) -> None:
    """A chart's title over the plot, from its left edge, wrapped to the width left of the
    figure once ``left`` points of labels beside the plot are taken."""
    size = _fs(14)
    width = _width() * 72 - left - 6
    ax.set_title(wrap_to(title, size=size, width=width), fontsize=size, loc="left")


def _labels_width(labels) -> float:
    """Points the wrapped labels beside a horizontal chart take, with the tick padding."""
    lines = [line for label in labels for line in str(label).split("\n")]
    return max((text_width(x, _fs(12)) for x in lines), default=0.0) + 12


def _xlim(ax, lo: float, hi: float) -> None:
    """Set the x range, leaving room right of the last tick for its label to sit within
    the figure (the layout does not make room for a label overhanging the plot)."""
    ax.set_xlim(lo, hi)
    ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
    room = 0.08 * (hi - lo)
    if ticks and hi - ticks[-1] < room:
        ax.set_xlim(lo, ticks[-1] + room)


def _value_axis_width(values) -> float:
    """Points a vertical value axis takes left of the plot: tick numbers and the unit."""
    top = float(pd.Series(values).max()) if len(values) else 0.0
    digits = len(f"{top * 1.2:.0f}")
    return text_width("0" * digits, _fs(11)) + 2.2 * _fs(12) + 10


def min_text_size(fig: Figure) -> float:
    """The smallest text drawn on a figure, in points (every visible, non-empty text).

    Examples
    --------
    >>> fig = Figure(); ax = fig.subplots(); _ = ax.set_title("t", fontsize=14)
    >>> _ = ax.set_xticks([]); _ = ax.set_yticks([])
    >>> min_text_size(fig)
    14.0
    """
    from matplotlib.text import Text

    sizes = [
        t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
    ]
    return float(min(sizes)) if sizes else float("nan")


def clipped(fig: Figure) -> list[str]:
    """Texts of a drawn figure that reach past its edges (titles, legends, labels).

    Examples
    --------
    >>> fig = Figure(figsize=(2, 1)); ax = fig.subplots(); ax.set_axis_off()
    >>> _ = ax.set_title("a title far too long for so small a figure", loc="left")
    >>> clipped(fig)
    ['a title far too long for so small a figure']
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig) if fig.canvas is None or not hasattr(
        fig.canvas, "get_renderer") else fig.canvas  # fmt: skip
    renderer = canvas.get_renderer()
    fig.draw(renderer)
    box = fig.bbox

    def outside(ext) -> bool:
        return (
            ext.x0 < box.x0 - 1 or ext.x1 > box.x1 + 1 or ext.y0 < box.y0 - 1
            or ext.y1 > box.y1 + 1
        )  # fmt: skip

    ticks, out = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks |= {id(tick.label1), id(tick.label2)}
            # only the ticks drawn (within the view) count
            ext = axis.get_tightbbox(renderer) if ax.axison else None
            if ext is not None and outside(ext):
                out.append(f"{axis.axis_name} axis of {ax.get_title(loc='left')!r}")
    for t in fig.findobj(Text):
        if id(t) in ticks or not (t.get_visible() and t.get_text().strip()):
            continue
        if outside(t.get_window_extent(renderer)):
            out.append(t.get_text())
    return out


def to_png(fig: Figure, *, dpi: float | None = None) -> bytes:
    """A figure as PNG bytes, with no timestamp in the file (same input, same bytes).

    ``dpi`` defaults to ``savefig.dpi`` (the figure's own when that is ``'figure'``).

    Examples
    --------
    >>> fig = Figure(figsize=(1, 1))
    >>> to_png(fig)[:4]
    b'\\x89PNG'
    """
    dpi = dpi or mpl.rcParams["savefig.dpi"]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


@_chart
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
    c = colors()
    data = table.dropna(subset=["yoy_pct"]).reset_index(drop=True)
    data["label"] = data["label"].map(wrap)
    highlight = wrap(highlight)
    palette = {lab: (c["highlight"] if lab == highlight else c["other"]) for lab in data["label"]}
    height = 0.6 + 0.55 * len(data)
    fig = Figure(figsize=(_width(), _scaled(height)), layout="constrained")
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
            fontsize=_fs(12),
        )
    ax.axvline(0, color=c["zero"], linewidth=0.8)
    _title(ax, title, left=_labels_width(data["label"]))
    ax.set_xlabel(xlabel, fontsize=_fs(12))
    ax.set_ylabel("")
    ax.tick_params(labelsize=_fs(12))
    lo, hi = min(0.0, data["yoy_pct"].min()), max(0.0, data["yoy_pct"].max())
    pad = 0.18 * max(hi - lo, 1.0)
    _xlim(ax, lo - (pad if lo < 0 else 0), hi + pad)
    return fig


def _figure(rows: int) -> tuple[Figure, object]:
    fig = Figure(figsize=(_width(), _scaled(1.1 + 0.5 * max(rows, 1))), layout="constrained")
    return fig, fig.subplots()


@_chart
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
    c = colors()
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
        palette=[c["highlight"], c["second"]],
        hue_order=list(labels),
    )
    for container in ax.containers:
        ax.bar_label(container, fmt="%+.1f%%", padding=3, fontsize=_fs(11))
    ax.axvline(0, color=c["zero"], linewidth=0.8)
    _title(ax, title, left=_labels_width(table["label"]))
    ax.set_xlabel(xlabel, fontsize=_fs(12))
    ax.set_ylabel("")
    ax.tick_params(labelsize=_fs(12))
    ax.get_legend().remove()
    # below the plot, outside it: the layout makes room for it
    fig.legend(
        *ax.get_legend_handles_labels(),
        fontsize=_fs(11),
        loc="outside lower center",
        ncol=2,
        frameon=False,
    )
    lo, hi = min(0.0, long["growth"].min()), max(0.0, long["growth"].max())
    _xlim(ax, lo * 1.25 if lo < 0 else 0, hi * 1.25 + 0.5)
    return fig


@_chart
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
    c = colors()
    table = table.assign(label=table["label"].map(wrap))
    fig, ax = _figure(len(table))
    ax.barh(table["label"], [100.0] * len(table), color=c["track"], height=0.7)
    shades = [c["highlight"] if v >= time_progress else c["behind"] for v in table["plan_pct"]]
    bars = ax.barh(table["label"], table["plan_pct"], color=shades, height=0.35)
    labels = [f"{v:.1f}%" for v in table["plan_pct"]]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=_fs(11))
    ax.axvline(time_progress, color=c["reference"], linewidth=2)
    ax.invert_yaxis()
    _xlim(ax, 0, max(110.0, float(table["plan_pct"].max()) + 12))
    _title(ax, title, left=_labels_width(table["label"]))
    ax.set_xlabel(xlabel, fontsize=_fs(12))
    ax.tick_params(labelsize=_fs(12))
    return fig


@_chart
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
    c = colors()
    data = table.sort_values("value", ascending=False).reset_index(drop=True)
    data["label"] = data["label"].map(wrap)
    highlight = wrap(highlight)
    palette = {lab: (c["highlight"] if lab == highlight else c["other"]) for lab in data["label"]}
    fig, ax = _figure(len(data))
    sns.barplot(data=data, x="value", y="label", hue="label", palette=palette, legend=False, ax=ax)
    for container in ax.containers:
        ax.bar_label(container, fmt="%.1f", padding=3, fontsize=_fs(11))
    ax.axvline(average, color=c["reference"], linestyle="--", linewidth=1.2)
    ax.annotate(
        f"{average_label} {average:.1f}",
        (average, -0.6),
        fontsize=_fs(11),
        color=c["reference"],
        ha="left",
        xytext=(4, 0),
        textcoords="offset points",
    )
    _title(ax, title, left=_labels_width(data["label"]))
    ax.set_xlabel(xlabel, fontsize=_fs(12))
    ax.set_ylabel("")
    ax.tick_params(labelsize=_fs(12))
    _xlim(ax, min(0.0, data["value"].min() * 1.2), data["value"].max() * 1.18)
    return fig


@_chart
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
    c = colors()
    fig = Figure(figsize=(_width(), _scaled(3.4)), layout="constrained")
    ax = fig.subplots()
    shades = [c["highlight"], c["line"]]
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
            color=shades[i % 2],
            label=series,
        )
    for row in table.itertuples():
        ax.annotate(
            f"{row.value:.1f}",
            (row.year, row.value),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=_fs(11),
        )
    years = sorted(table["year"].unique())
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years])
    _title(ax, title, left=_value_axis_width(table["value"]))
    ax.set_xlabel("")
    ax.set_ylabel(ylabel, fontsize=_fs(12))
    ax.set_ylim(0, table["value"].max() * 1.2)
    ax.tick_params(labelsize=_fs(11))
    ax.legend(title="", fontsize=_fs(11))
    return fig


@_chart
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
    c = colors()
    fig = Figure(figsize=(_width(), _scaled(3.6)), layout="constrained")
    ax = fig.subplots()
    fy = data[data["kind"] == "actual FY"].sort_values("year")
    h1 = data[data["kind"] == "actual H1"].sort_values("year")
    proj = data[data["kind"] == "projected"]
    ax.plot(fy["year"], fy["value"], marker="o", color=c["line"], label=labels["actual FY"])
    ax.plot(
        h1["year"],
        h1["value"],
        marker="s",
        linestyle="none",
        color=c["other"],
        label=labels["actual H1"],
    )
    others = proj[proj["method"] != lead]
    ax.plot(
        others["year"],
        others["value"],
        marker="_",
        markersize=14,
        linestyle="none",
        color=c["second"],
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
            color=c["highlight"],
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
            fontsize=_fs(11),
            color=c["highlight"],
        )
    years = sorted(set(data["year"].astype(int)))
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], rotation=45 if len(years) > 8 else 0)
    _title(ax, title, left=_value_axis_width(data[["value", "upper"]].max(axis=1)))
    ax.set_ylabel(ylabel, fontsize=_fs(12))
    ax.set_xlabel("")
    top = data[["value", "upper"]].max().max()
    ax.set_ylim(0, top * 1.15)
    ax.tick_params(labelsize=_fs(11))
    ax.legend(fontsize=_fs(11), loc="upper left")
    return fig
