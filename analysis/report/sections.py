"""The sections of a half-year report, each built from the data as one block of HTML.

The report notebook calls ``ReportData.load`` once and then one function per section;
each returns an ``IPython.display.HTML`` object. Text that comes from data (region and
indicator names, notes, sources) is escaped here, so a raw file cannot inject markup into
a report. A section without data says so in one line.
"""

from __future__ import annotations

import base64
import html
import json
import math
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import catalog
from analysis.compute import checks
from analysis.compute.indicator_table import indicator_table, wide
from analysis.config import git_version, paths
from analysis.data.vintages import select_vintage
from analysis.periods import Period
from analysis.report import plots, texts
from analysis.report.numbers import format_growth, format_percent
from analysis.report.texts import (
    Names,
    format_points,
    format_value,
    growth_words,
    say,
    target_text,
    timing_words,
)

SECTIONS = ("summary", "headline", "compare", "targets", "peers", "trend", "notes", "methods")
#: Headline indicators, in the order the summary mentions them.
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


def esc(text: object) -> str:
    """HTML-escaped text of any value.

    Examples
    --------
    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape(str(text), quote=True)


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@dataclass
class ReportData:
    """Everything one report shows, loaded once: parameters, figures, indicator table."""

    region: str
    period: str
    lang: str
    figures: pd.DataFrame
    table: pd.DataFrame
    data_path: Path
    manifest: dict = field(default_factory=dict)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def load(cls, params) -> ReportData:
        """Read the processed table (and its manifest and rejects) for validated parameters."""
        from analysis.data.pipeline import load_figures

        data_path = Path(params.data_path) if params.data_path else paths().processed_table
        figures = load_figures(data_path)
        manifest_path = data_path.with_name("manifest.json")
        manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
        rejects_path = data_path.with_name("rejects.csv")
        rejects = (
            pd.read_csv(rejects_path, dtype=str, keep_default_na=False)
            if rejects_path.exists()
            else pd.DataFrame(columns=["source_file", "source_line", "reason", "raw"])
        )
        table = indicator_table(figures, region=params.region, period=params.period)
        return cls(
            params.region, params.period, params.lang, figures, table, data_path, manifest, rejects
        )

    @property
    def t(self) -> dict[str, str]:
        return texts.words(self.lang)

    @property
    def lw(self):
        return texts.language(self.lang)

    @property
    def span(self) -> Period:
        return Period.from_code(self.period)

    @property
    def measures(self) -> pd.DataFrame:
        return wide(self.table, column="value")

    @property
    def words(self) -> pd.DataFrame:
        return wide(self.table, column="text")

    @property
    def reasons(self) -> pd.DataFrame:
        return wide(self.table, column="reason")

    def name(self, code: str) -> str:
        """Indicator name in the report's language (the phrase itself when uncatalogued)."""
        cat = catalog.indicators()
        if code in cat.index:
            return cat.loc[code, "name_zh" if self.lang == "zh" else "name_en"]
        return code

    def region_name(self, code: str | None = None) -> str:
        regs = catalog.regions()
        return regs.loc[code or self.region, "name_zh" if self.lang == "zh" else "name_en"]

    def group_name(self, code: str) -> str:
        return catalog.peer_groups().loc[code, "name_zh" if self.lang == "zh" else "name_en"]

    def kind(self, code: str) -> str:
        cat = catalog.indicators()
        return cat.loc[code, "kind"] if code in cat.index else "uncatalogued"

    def unit(self, code: str) -> str:
        return self.table[(self.table["indicator"] == code) & (self.table["measure"] == "value")][
            "unit"
        ].iloc[0]

    def fmt(self, value: float, unit: str, qualifier: str = "") -> str:
        """A level formatted for the report's language."""
        return format_value(value, unit, qualifier or "", lang=self.lang)

    def period_label(self, code: str | None = None) -> str:
        return Period.from_code(code or self.period).label(self.lang)

    def reason(self, text: str) -> str:
        """A reason from the indicator table, in the report's language."""
        return say(text, lang=self.lang, names=Names(self.lang))


# --- small HTML builders ------------------------------------------------------------------


def _section(key: str, data: ReportData, body: str):
    from IPython.display import HTML

    return HTML(
        f'<section id="sec-{key}">\n<h2>{esc(data.t["sec_" + key])}</h2>\n{body}\n</section>'
    )


def _table(headers: list[str], rows: list[list[str]], *, text_cols: tuple[int, ...] = ()) -> str:
    """An HTML table; every cell is escaped."""

    def cls(i: int) -> str:
        return ' class="text"' if i in text_cols else ""

    head = "".join(f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "\n".join(
        "<tr>" + "".join(f"<td{cls(i)}>{esc(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return (
        f'<div class="table-wrap"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n'
        "</tbody></table></div>"
    )


def _figure(fig, *, alt: str, caption: str = "") -> str:
    """A chart as an inline PNG with alt text and an optional caption."""
    raw = plots.to_png(fig)
    width, height = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
    png = base64.b64encode(raw).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{esc(alt)}" '
        f'width="{width}" height="{height}">{cap}</figure>'
    )


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{esc(text)}</p>"


def _none(data: ReportData, what: str) -> str:
    return _p(data.t["no_section_data"].format(what=data.t["what_" + what]), "note")


# --- title, contents -------------------------------------------------------------------


def data_vintage(data: ReportData) -> str:
    """The data's own date: the latest period any figure in the table reaches.

    Examples
    --------
    >>> from analysis.report.reporting import ReportParameters
    >>> d = ReportData.load(ReportParameters("erqi", "2019H1", "zh", None))
    >>> data_vintage(d)
    '2025年上半年'
    """
    latest = max(
        (Period.from_code(p) for p in set(data.figures["period"])),
        key=lambda p: (p.year, p.end_month),
    )
    return latest.label(data.lang)


def header(data: ReportData):
    """Title, subtitle (region, period, data vintage) and the table of contents."""
    from IPython.display import HTML

    t = data.t
    title = t["title"].format(region=data.region_name(), period=data.period_label())
    subtitle = t["subtitle"].format(
        region=data.region_name(), period=data.period_label(), vintage=data_vintage(data)
    )
    items = "".join(f'<li><a href="#sec-{k}">{esc(t["sec_" + k])}</a></li>' for k in SECTIONS)
    return HTML(
        f'<header><h1>{esc(title)}</h1>\n<p class="subtitle">{esc(subtitle)}</p>\n'
        f'<nav class="toc"><h2>{esc(t["toc"])}</h2><ol>{items}</ol></nav></header>'
    )


# --- 1 summary ----------------------------------------------------------------------------


def summary_sentences(data: ReportData) -> list[str]:
    """The overview, written from the numbers with the sentence templates of ``texts``.

    Examples
    --------
    >>> from analysis.report.reporting import ReportParameters
    >>> d = ReportData.load(ReportParameters("erqi", "2019H1", "zh", None))
    >>> summary_sentences(d)[0]
    '2019年上半年,二七区地区生产总值完成323.3亿元,同比增长8.0%。'
    """
    t, v, w = data.t, data.measures, data.words
    period, region = data.period_label(), data.region_name()
    out: list[str] = []
    for code in [c for c in SUMMARY_ORDER if c in v.index]:
        value, growth = v.loc[code, "value"], v.loc[code, "yoy_pct"]
        name = data.name(code)
        shown = data.fmt(value, data.unit(code), w.loc[code, "value"])
        if not _nan(value) and not _nan(growth):
            text = t["summary_level_growth"].format(
                name=name,
                value=shown,
                growth=growth_words(growth, lang=data.lang),
            )
        elif not _nan(growth):
            text = t["summary_growth_only"].format(
                name=name, growth=growth_words(growth, lang=data.lang)
            )
        elif not _nan(value):
            text = t["summary_level_only"].format(name=name, value=shown)
        else:
            continue
        out.append(text)
        comparisons = []
        for level in ("city", "province", "nation"):
            gap_col = f"gap_{level}_pts"
            if gap_col in v.columns and not _nan(v.loc[code, gap_col]):
                gap = v.loc[code, gap_col]
                parent = data.region_name(w.loc[code, gap_col])
                if round(gap, 1) == 0:
                    comparisons.append(t["summary_equal"].format(parent=parent))
                else:
                    key = "summary_higher" if gap > 0 else "summary_lower"
                    comparisons.append(t[key].format(parent=parent, gap=f"{abs(gap):.1f}"))
        if comparisons:
            joiner = t["list_joiner"]
            out.append(t["summary_vs_parents"].format(comparisons=joiner.join(comparisons)))
    for code in v.index[v["plan_pct"].notna()]:
        out.append(
            t["summary_plan"].format(
                name=data.name(code),
                value=data.fmt(v.loc[code, "value"], data.unit(code)),
                plan=format_percent(v.loc[code, "plan_pct"]),
                timing=timing_words(v.loc[code, "progress_gap_pts"], lang=data.lang),
            )
        )
    for code in v.index:
        if data.kind(code) == "rank" and not _nan(v.loc[code, "value"]):
            out.append(t["summary_rank"].format(name=data.name(code), rank=_rank_text(data, code)))
    if not out:
        return [t["summary_none"].format(region=region, period=period)]
    out[0] = t["summary_opening"].format(period=period, region=region) + out[0]
    return out


def _rank_text(data: ReportData, code: str) -> str:
    row = data.figures[
        (data.figures["region"] == data.region)
        & (data.figures["period"] == data.period)
        & (data.figures["indicator"] == code)
    ]
    group = row["peer_group"].iloc[0] if not row.empty else ""
    rank = int(data.measures.loc[code, "value"])
    if group:
        return data.t["rank"].format(rank=rank, group=data.group_name(group))
    return data.t["rank_no_group"].format(rank=rank)


def summary(data: ReportData):
    """Section 1: the overview in sentences."""
    sentences = summary_sentences(data)
    joiner = data.t["sentence_joiner"]
    paragraphs = [
        joiner.join(sentences[:4]),
        joiner.join(sentences[4:9]),
        joiner.join(sentences[9:]),
    ]
    body = "".join(_p(p) for p in paragraphs if p)
    return _section("summary", data, f'<div class="summary">{body}</div>')


# --- 2 headline table ---------------------------------------------------------------------


def headline_rows(data: ReportData) -> pd.DataFrame:
    """The headline table as display strings, one row per indicator of the period.

    Examples
    --------
    >>> from analysis.report.reporting import ReportParameters
    >>> d = ReportData.load(ReportParameters("erqi", "2019H1", "zh", None))
    >>> headline_rows(d).iloc[0, :3].tolist()
    ['地区生产总值', '323.3亿元', '+8.0%']
    """
    t, v, w = data.t, data.measures, data.words
    rows = []
    for code in v.index:
        kind = data.kind(code)
        if kind == "rank":
            shown = _rank_text(data, code)
        elif kind == "relation":
            shown = t["above"] if v.loc[code, "value"] > 0 else t["below"]
        else:
            shown = data.fmt(v.loc[code, "value"], data.unit(code), w.loc[code, "value"])
        target = v.loc[code, "target_yoy_pct"]
        target_shown = t["none"]
        if not _nan(target):
            target_shown = target_text(target, w.loc[code, "target_yoy_pct"], lang=data.lang)
        elif not _nan(v.loc[code, "target_value"]):
            target_shown = data.fmt(
                v.loc[code, "target_value"], data.unit(code), w.loc[code, "target_value"]
            )
        rank = t["none"]
        if not _nan(v.loc[code, "rank_yoy"]) and "/" in (w.loc[code, "rank_yoy"] or ""):
            n, _, m = w.loc[code, "rank_yoy"].partition("/")
            group = data.table[
                (data.table["indicator"] == code) & (data.table["measure"] == "rank_yoy")
            ]["group"].iloc[0]
            rank = t["rank_of"].format(
                rank=int(v.loc[code, "rank_yoy"]),
                group=data.group_name(group),
                n=n,
                m=m,
            )
        rows.append(
            [
                data.name(code),
                shown,
                format_growth(v.loc[code, "yoy_pct"]),
                format_growth(v.loc[code, "prev_yoy_pct"]),
                format_points(v.loc[code, "growth_change_pts"], lang=data.lang),
                target_shown,
                format_percent(v.loc[code, "plan_pct"]),
                format_points(v.loc[code, "progress_gap_pts"], lang=data.lang),
                rank,
            ]
        )
    columns = [
        t["col_indicator"],
        t["col_value"],
        t["col_growth"],
        t["col_prev_growth"],
        t["col_change"],
        t["col_target"],
        t["col_progress"],
        t["col_vs_time"],
        t["col_rank"],
    ]
    frame = pd.DataFrame(rows, columns=columns)
    # a column with no figure for any indicator says nothing: leave it out
    keep = [c for i, c in enumerate(columns) if i < 2 or (frame[c] != t["none"]).any()]
    return frame[keep]


def headline(data: ReportData):
    """Section 2: the headline table."""
    rows = headline_rows(data)
    return _section("headline", data, _table(list(rows.columns), rows.to_numpy().tolist()))


# --- 3 against last year ------------------------------------------------------------------


def compare(data: ReportData):
    """Section 3: this period against the same period last year and last year's H2."""
    t, v = data.t, data.measures
    parts = []
    growth = v[v["yoy_pct"].notna() | v["prev_yoy_pct"].notna()]
    growth = growth[[data.kind(c) not in ("rank", "relation") for c in growth.index]]
    if not growth.empty:
        frame = pd.DataFrame(
            {
                "label": [data.name(c) for c in growth.index],
                "now": growth["yoy_pct"].to_numpy(),
                "before": growth["prev_yoy_pct"].to_numpy(),
            }
        )
        fig = plots.growth_years(
            frame,
            title=t["chart_growth_years"],
            xlabel=t["axis_growth"],
            labels=(t["this_period"], t["last_year"]),
        )
        parts.append(_figure(fig, alt=t["chart_growth_years"]))
        missing = [data.name(c) for c in growth.index if _nan(v.loc[c, "prev_yoy_pct"])]
        if missing:
            reason = data.reason(data.reasons.loc[growth.index[0], "prev_yoy_pct"])
            line = t["compare_missing"].format(
                label=t["last_year"], names=t["list_joiner"].join(missing), reason=reason
            )
            parts.append(_p(line, "note"))
    levels = v[v["prev_value"].notna() & v["value"].notna()]
    if not levels.empty:
        rows = [
            [
                data.name(c),
                data.fmt(levels.loc[c, "value"], data.unit(c)),
                data.fmt(levels.loc[c, "prev_value"], data.unit(c)),
                format_growth(levels.loc[c, "yoy_computed"]),
                format_growth(levels.loc[c, "yoy_pct"]),
            ]
            for c in levels.index
        ]
        heads = [
            t["col_indicator"],
            t["this_period"],
            t["last_year"],
            t["col_nominal"],
            t["col_growth"],
        ]
        parts.append(_table(heads, rows))
    h2 = _last_h2(data)
    if h2:
        parts.extend(_p(s) for s in h2)
    if not parts:
        parts.append(_none(data, "compare"))
    return _section("compare", data, "\n".join(parts))


def _last_h2(data: ReportData) -> list[str]:
    """Sentences comparing this H1 with last year's second half (FY - H1), flows only."""
    span = data.span
    if span.code != f"{span.year}H1":
        return []
    latest = select_vintage(
        data.figures[(data.figures["region"] == data.region) & ~data.figures["is_target"]]
    )
    by = latest.set_index(["period", "indicator"])["value"]
    out = []
    for code in data.measures.index:
        if data.kind(code) != "flow":
            continue
        fy, h1 = by.get((f"{span.year - 1}FY", code)), by.get((f"{span.year - 1}H1", code))
        now = data.measures.loc[code, "value"]
        if _nan(fy) or _nan(h1) or _nan(now):
            continue
        out.append(
            data.t["compare_h2"].format(
                name=data.name(code),
                value=data.fmt(now, data.unit(code)),
                h2=data.fmt(fy - h1, data.unit(code)),
            )
        )
    return out


# --- 4 targets ----------------------------------------------------------------------------


def targets(data: ReportData):
    """Section 4: plan progress against time, growth targets, and what H2 must deliver."""
    t, v, w = data.t, data.measures, data.words
    parts = []
    progress = data.span.time_progress * 100 if data.span.is_cumulative else np.nan
    planned = v[v["plan_pct"].notna()]
    if not planned.empty:
        frame = pd.DataFrame(
            {
                "label": [data.name(c) for c in planned.index],
                "plan_pct": planned["plan_pct"].to_numpy(),
            }
        )
        title = t["chart_plan"].format(progress=f"{progress:.0f}")
        fig = plots.plan_bullets(frame, time_progress=progress, title=title, xlabel=t["axis_plan"])
        parts.append(_figure(fig, alt=title))
        rows = [
            [
                data.name(c),
                data.fmt(planned.loc[c, "value"], data.unit(c)),
                format_percent(planned.loc[c, "plan_pct"]),
                timing_words(planned.loc[c, "progress_gap_pts"], lang=data.lang),
                data.fmt(planned.loc[c, "annual_plan_implied"], data.unit(c)),
                data.fmt(planned.loc[c, "required_h2_amount"], data.unit(c)),
            ]
            for c in planned.index
        ]
        implied = t["col_implied_plan"]
        parts.append(
            _table(
                [
                    t["col_indicator"],
                    t["col_value"],
                    t["col_progress"],
                    t["col_vs_time"],
                    implied,
                    t["col_required"],
                ],
                rows,
            )
        )
    growth_targets = v[v["target_yoy_pct"].notna()]
    if not growth_targets.empty:
        rows = []
        for c in growth_targets.index:
            req = v.loc[c, "required_h2_growth"]
            required = (
                t["h2_required_growth"].format(value=format_growth(req))
                if not _nan(req)
                else data.reason(data.reasons.loc[c, "required_h2_growth"])
            )
            verdict_code = w.loc[c, "target_verdict"]
            verdict_shown = (
                data.lw.VERDICTS[verdict_code]
                if verdict_code
                else data.reason(data.reasons.loc[c, "target_verdict"])
            )
            rows.append(
                [
                    data.name(c),
                    target_text(
                        v.loc[c, "target_yoy_pct"], w.loc[c, "target_yoy_pct"], lang=data.lang
                    ),
                    format_growth(v.loc[c, "yoy_pct"]),
                    verdict_shown,
                    required,
                ]
            )
        verdict = t["col_verdict"]
        parts.append(
            _table(
                [t["col_indicator"], t["col_target"], t["col_growth"], verdict, t["col_required"]],
                rows,
                text_cols=(3, 4),
            )
        )
    tasks = _year_targets(data)
    if tasks:
        heading = t["year_targets"]
        parts.append(f"<h3>{esc(heading)}</h3>")
        parts.append(_table([t["col_indicator"], t["col_target"]], tasks))
    if not parts:
        parts.append(_none(data, "targets"))
    return _section("targets", data, "\n".join(parts))


def _year_targets(data: ReportData) -> list[list[str]]:
    """The year's targets stated for the region (task and level targets, growth targets)."""
    rows = data.figures[
        (data.figures["region"] == data.region)
        & data.figures["is_target"]
        & (data.figures["year"] == data.span.year)
    ]
    out = []
    for r in select_vintage(rows).itertuples():
        if not _nan(r.value):
            shown = data.fmt(r.value, r.unit, r.qualifier)
        else:
            shown = target_text(r.yoy_pct, r.qualifier, lang=data.lang)
        out.append([data.name(r.indicator), shown])
    return out


# --- 5 peers and parents ------------------------------------------------------------------


def peers(data: ReportData, *, indicator: str = "gdp"):
    """Section 5: published ranks, the region among its peers, and the levels above."""
    t, v = data.t, data.measures
    parts = []
    ranks = [
        [data.name(c), _rank_text(data, c)]
        for c in v.index
        if data.kind(c) == "rank" and not _nan(v.loc[c, "value"])
    ]
    if ranks:
        parts.append(_table([t["col_indicator"], t["col_rank"]], ranks))
    chart = _peer_chart(data, indicator=indicator)
    if chart:
        parts.append(chart)
    parents = _parents_rows(data)
    if parents:
        parts.append(f"<h3>{esc(t['parents_table'])}</h3>")
        heads, rows, fig_table = parents
        parts.append(_table(heads, rows))
        if fig_table is not None:
            name = data.name(indicator)
            title = t["chart_growth_parents"].format(indicator=name, region=data.region_name())
            fig = plots.growth_comparison(
                fig_table, highlight=data.region_name(), title=title, xlabel=t["axis_growth"]
            )
            parts.append(_figure(fig, alt=title))
    if not parts:
        parts.append(_none(data, "peers"))
    return _section("peers", data, "\n".join(parts))


def _peer_chart(data: ReportData, *, indicator: str) -> str:
    """The region among its peer group by level: this period, or the latest with peer data."""
    from analysis.compute.indicator_table import default_peer_group

    group = default_peer_group(data.region)
    if group is None or indicator not in catalog.indicators().index:
        return ""
    members = catalog.peer_groups().loc[group, "members"]
    for name in ("inner6", "all16"):  # widen to the groups that hold the region
        if data.region in catalog.peer_groups().loc[name, "members"]:
            wider = catalog.peer_groups().loc[name, "members"]
            if len(wider) > len(members):
                group, members = name, wider
    rows = data.figures[
        data.figures["region"].isin(members)
        & (data.figures["indicator"] == indicator)
        & ~data.figures["is_target"]
        & data.figures["value"].notna()
    ]
    latest = select_vintage(rows)
    counts = latest.groupby("period")["region"].nunique()
    usable = [
        p
        for p in counts.index
        if counts[p] >= 3 and data.region in set(latest.loc[latest["period"] == p, "region"])
    ]
    usable = [p for p in usable if Period.from_code(p) <= data.span or p == data.period]
    if not usable:
        return ""
    period = (
        data.period
        if data.period in usable
        else max(usable, key=lambda p: (Period.from_code(p).year, Period.from_code(p).end_month))
    )
    snap = latest[latest["period"] == period]
    frame = pd.DataFrame(
        {"label": [data.region_name(r) for r in snap["region"]], "value": snap["value"].to_numpy()}
    )
    unit = catalog.indicators().loc[indicator, "unit"]
    title = data.t["chart_peers"].format(
        indicator=data.name(indicator),
        region=data.region_name(),
        group=data.group_name(group),
        period=data.period_label(period),
    )
    fig = plots.peer_bars(
        frame,
        highlight=data.region_name(),
        average=float(frame["value"].mean()),
        title=title,
        xlabel=unit,
        average_label=data.t["peer_average"],
    )
    note = ""
    if period != data.period:
        note = _p(data.t["peers_other_period"].format(period=data.period_label(period)), "note")
    caption = data.t["peers_caption"].format(
        group=data.group_name(group), n=len(snap), m=len(members)
    )
    return note + _figure(fig, alt=title, caption=caption)


def _parents_rows(data: ReportData):
    v, w = data.measures, data.words
    levels = [c for c in ("yoy_city", "yoy_province", "yoy_nation") if c in v.columns]
    if not levels:
        return None
    have = v[v[levels].notna().any(axis=1) & v["yoy_pct"].notna()]
    if have.empty:
        return None
    codes = [w.loc[have.index[0], c] for c in levels]
    heads = [data.t["col_indicator"], data.region_name(), *[data.region_name(c) for c in codes]]
    rows = [
        [
            data.name(c),
            format_growth(have.loc[c, "yoy_pct"]),
            *[format_growth(have.loc[c, lv]) for lv in levels],
        ]
        for c in have.index
    ]
    fig_table = None
    if "gdp" in have.index:
        labels = [data.region_name(), *[data.region_name(c) for c in codes]]
        values = [have.loc["gdp", "yoy_pct"], *[have.loc["gdp", lv] for lv in levels]]
        fig_table = pd.DataFrame({"label": labels, "yoy_pct": values}).dropna()
        if len(fig_table) < 2:
            fig_table = None
    return heads, rows, fig_table


# --- 6 trend ------------------------------------------------------------------------------


def _backtest_rows(data: ReportData, summary: pd.DataFrame) -> list[list[str]]:
    """The backtest table: per method, years, MAPE, bias, ratio to same growth, coverage."""
    labels = data.lw.METHODS
    rows = []
    for r in summary.itertuples():
        coverage = (
            data.t["proj_coverage"].format(covered=r.n_covered, n=r.n_interval)
            if r.n_interval
            else data.t["none"]
        )
        rows.append(
            [
                labels[r.method],
                str(int(r.n)),
                format_percent(r.mape_pct),
                format_growth(r.bias_pct),
                data.t["none"] if _nan(r.ratio_to_same_growth) else f"{r.ratio_to_same_growth:.2f}",
                coverage,
            ]
        )
    return rows


def _projection_block(data: ReportData, code: str) -> str:
    """Chart, method table and backtest of one indicator's full-year projection."""
    from analysis.compute import projection

    t, labels = data.t, data.lw.METHODS
    result = projection.project(
        data.figures, region=data.region, indicator=code, year=data.span.year
    )
    table = result.table()
    unit = catalog.indicators().loc[code, "unit"]
    name = data.name(code)
    lead, why = result.lead_method()
    if not lead:
        detail = t["proj_none_joiner"].join(
            t["proj_none_item"].format(method=labels[r.method], reason=data.reason(r.reason))
            for r in table.itertuples()
        )
        return _p(t["proj_none"].format(indicator=name, detail=detail), "note")
    level = round(100 * result.level)
    parts = [f"<h3>{esc(t['proj_heading'].format(indicator=name))}</h3>"]
    chart_labels = {"actual FY": t["full_year"], "actual H1": t["first_half"], **labels}
    title = t["proj_chart"].format(indicator=name, year=data.span.year)
    fig = plots.projection_chart(
        result.chart_data(), lead=lead, labels=chart_labels, title=title, ylabel=unit
    )
    parts.append(_figure(fig, alt=title))
    row = table.set_index("method").loc[lead]
    values = {"method": labels[lead], "year": data.span.year, "level": level}
    values["value"] = data.fmt(row["projected"], unit)
    if _nan(row["lower"]):
        sentence = t["proj_lead_no_interval"].format(**values)
    else:
        values.update(lower=data.fmt(row["lower"], unit), upper=data.fmt(row["upper"], unit))
        sentence = t["proj_lead"].format(**values)
    sentence += t["proj_why"].format(reason=data.reason(why))
    parts.append(_p(sentence))
    assumptions = result.assumptions()
    rows = []
    for r in table.itertuples():
        interval = (
            t["proj_interval"].format(lower=data.fmt(r.lower, unit), upper=data.fmt(r.upper, unit))
            if not _nan(r.lower)
            else t["none"]
        )
        mine = assumptions.loc[assumptions["method"] == r.method, "reason"]
        note = data.reason("; ".join(mine)) if r.status == "ok" else data.reason(r.reason)
        rows.append([labels[r.method], data.fmt(r.projected, unit), interval, note])
    parts.append(f"<h3>{esc(t['proj_methods'])}</h3>")
    cols = [t["proj_col_method"], t["proj_col_projected"], t["proj_col_interval"]]
    parts.append(_table([*cols, t["proj_col_assumptions"]], rows, text_cols=(3,)))
    parts.append(f"<h3>{esc(t['proj_backtest'])}</h3>")
    # the region's own backtest; without one, that of the nearest level above (labelled)
    shown = None
    for region in reversed(list(result.backtests)):  # the region, then the levels above
        summary = result.backtest(region).summary()
        if (summary["n"] > 0).any():
            shown = (region, summary[summary["n"] > 0])
            break
    if shown is None:
        parts.append(_p(t["proj_no_backtest"], "note"))
    else:
        region, summary = shown
        if region != data.region:
            parts.append(
                _p(t["proj_proxy_backtest"].format(proxy=data.region_name(region)), "note")
            )
        cols = [t["proj_col_method"], t["proj_col_years"], t["proj_col_mape"]]
        cols += [t["proj_col_bias"], t["proj_col_vs_same"]]
        cols.append(t["proj_col_coverage"].format(level=level))
        parts.append(_table(cols, _backtest_rows(data, summary)))
    for warning in result.warnings["reason"]:
        parts.append(_p(data.reason(warning), "note"))
    return "\n".join(parts)


def level_series(data: ReportData, *, indicator: str = "gdp") -> pd.DataFrame:
    """The region's full-year and first-half levels as they stood at the report's period.

    Nothing from after the report's period: a 2019 report does not show a 2023 level.

    Examples
    --------
    >>> from analysis.report.reporting import ReportParameters
    >>> d = ReportData.load(ReportParameters("erqi", "2019H1", "zh", None))
    >>> level_series(d)[["year", "series", "value"]].values.tolist()
    [[2017, '全年', 567.0], [2019, '上半年', 323.3]]
    """
    t = data.t
    rows = data.figures[
        (data.figures["region"] == data.region)
        & (data.figures["indicator"] == indicator)
        & ~data.figures["is_target"]
        & data.figures["value"].notna()
    ]
    latest = select_vintage(rows)
    if latest.empty:
        return pd.DataFrame({"year": [], "series": [], "value": []})
    latest = latest[latest["period"].str.endswith(("FY", "H1"))]
    span = data.span
    keep = [
        (Period.from_code(p).year, Period.from_code(p).end_month) <= (span.year, span.end_month)
        for p in latest["period"]
    ]
    latest = latest[keep].sort_values(["year", "period"])
    return pd.DataFrame(
        {
            "year": latest["year"].astype(int).to_numpy(),
            "series": [
                t["full_year"] if p.endswith("FY") else t["first_half"] for p in latest["period"]
            ],
            "value": latest["value"].to_numpy(),
        }
    )


def trend(data: ReportData, *, indicator: str = "gdp"):
    """Section 6: the level over the years, and the full-year projection of each headline
    flow indicator with a first-half level."""
    t = data.t
    parts = []
    frame = level_series(data, indicator=indicator)
    if len(frame) >= 2:
        title = t["chart_level"].format(indicator=data.name(indicator))
        fig = plots.level_over_time(
            frame, title=title, ylabel=catalog.indicators().loc[indicator, "unit"]
        )
        parts.append(_figure(fig, alt=title))
    else:
        parts.append(_none(data, "trend"))
    if data.span.code != f"{data.span.year}H1":
        parts.append(_p(data.t["proj_not_h1"], "note"))
    else:
        v = data.measures
        for code in [c for c in SUMMARY_ORDER if c in v.index]:
            if data.kind(code) == "flow" and not _nan(v.loc[code, "value"]):
                parts.append(_projection_block(data, code))
    return _section("trend", data, "\n".join(parts))


# --- 7 data notes -------------------------------------------------------------------------


def _source_description(file: str) -> str:
    """What a raw file's sidecar says about its source, or ''."""
    meta = paths().raw / f"{Path(file).stem}.meta.json"
    if meta.exists():
        return json.loads(meta.read_text(encoding="utf-8")).get("source", "")
    return ""


def notes(data: ReportData):
    """Section 7: sources, gaps, disagreements between sources, rechecks, rejected rows."""
    t = data.t
    heads = {k.removeprefix("col_"): v for k, v in t.items() if k.startswith("col_")}
    parts = [f"<h3>{esc(t['notes_sources'])}</h3>"]
    used = data.figures[
        (data.figures["region"] == data.region) & (data.figures["period"] == data.period)
    ]
    items = []
    for (file, url), group in used.groupby(["source_file", "source_url"]):
        where = url or _source_description(file)
        items.append(f"<li>{esc(file)} ({len(group)}): {esc(where)}</li>")
    parts.append(f'<ul class="compact">{"".join(items)}</ul>')
    gaps = []
    for code in [c for c in SUMMARY_ORDER if c in data.measures.index]:
        for measure in ("value", "yoy_pct", "prev_value", "prev_yoy_pct"):
            reason = data.reasons.loc[code, measure]
            if _nan(data.measures.loc[code, measure]) and reason:
                gaps.append(
                    t["notes_gap_line"].format(name=data.name(code), reason=data.reason(reason))
                )
    if gaps:
        parts.append(f"<h3>{esc(t['notes_gaps'])}</h3>")
        parts.append('<ul class="compact">' + "".join(f"<li>{esc(g)}</li>" for g in gaps) + "</ul>")
    parts.append(f"<h3>{esc(t['notes_conflicts'])}</h3>")
    mine = data.figures[data.figures["region"] == data.region]
    conflict = mine[(mine["value_conflict"] != "") | (mine["yoy_pct_conflict"] != "")]
    if conflict.empty:
        parts.append(_p(t["notes_none_conflicts"], "note"))
    else:
        rows = [
            [
                data.period_label(r.period),
                data.name(r.indicator),
                data.reason(r.value_conflict or r.yoy_pct_conflict),
            ]
            for r in conflict.itertuples()
        ]
        parts.append(
            _table([heads["period"], t["col_indicator"], heads["conflict"]], rows, text_cols=(2,))
        )
    rechecked = checks.reproduce_published(mine)
    rechecked = rechecked[rechecked["verdict"] != "not recomputable"]
    if not rechecked.empty:
        parts.append(f"<h3>{esc(t['notes_checks'])}</h3>")
        rows = [
            [
                data.period_label(r.period),
                data.name(r.indicator),
                f"{r.published:g}",
                f"{r.recomputed:.2f}",
                data.lw.CHECKS[r.verdict],
                data.reason(r.detail),
            ]
            for r in rechecked.itertuples()
        ]
        parts.append(
            _table(
                [
                    heads["period"],
                    t["col_indicator"],
                    heads["published"],
                    heads["recomputed"],
                    heads["check_verdict"],
                    heads["detail"],
                ],
                rows,
                text_cols=(4, 5),
            )
        )
    parts.append(f"<h3>{esc(t['notes_rejected'])}</h3>")
    rejected = _rejected_rows(data)
    if rejected.empty:
        parts.append(_p(t["notes_none_rejected"], "note"))
    else:
        rows = [[f"{r.source_file}:{r.source_line}", r.reason] for r in rejected.itertuples()]
        parts.append(_table([heads["where"], heads["reason"]], rows, text_cols=(1,)))
    return _section("notes", data, "\n".join(parts))


def _rejected_rows(data: ReportData) -> pd.DataFrame:
    if data.rejects.empty or "raw" not in data.rejects:
        return data.rejects.iloc[0:0]
    names = {data.region, catalog.regions().loc[data.region, "name_zh"]}
    pattern = "|".join(rf"(?:^|\| )region(?:_code|_zh)?={n}(?: \||$)" for n in names)
    return data.rejects[data.rejects["raw"].str.contains(pattern, regex=True)]


# --- 8 methods and provenance -------------------------------------------------------------


def versions() -> dict[str, str]:
    """Versions of Python and the main libraries.

    Examples
    --------
    >>> "python" in versions() and "pandas" in versions()
    True
    """
    out = {"python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "not installed"
    return out


def methods(data: ReportData):
    """Section 8: formulas, and the provenance of the report (parameters, files, versions)."""
    from analysis import __version__

    t = data.t
    parts = [
        f"<h3>{esc(t['methods_formulas'])}</h3>",
        '<ul class="compact">' + "".join(f"<li>{esc(f)}</li>" for f in data.lw.FORMULAS) + "</ul>",
    ]
    params = {
        "region": data.region,
        "period": data.period,
        "lang": data.lang,
        "data": data.data_path.name,
    }
    files = data.manifest.get("files", [])
    vintages = data.figures[
        (data.figures["region"] == data.region) & (data.figures["period"] == data.period)
    ]["vintage"].value_counts()
    prov = [
        f"<p>{esc(t['prov_parameters'])}: "
        + ", ".join(f"{esc(k)}=<code>{esc(v)}</code>" for k, v in params.items())
        + "</p>",
        f'<p>{esc(t["prov_files"])}:</p><ul class="compact">'
        + "".join(
            f"<li>{esc(f['file'])} ({esc(f.get('encoding', ''))}, {f.get('rows_read', '')} "
            f"rows): <code>{esc(f.get('sha256', ''))}</code></li>"
            for f in files
        )
        + "</ul>",
        f"<p>{esc(t['prov_vintage'])}: {esc(data_vintage(data))}; "
        + ", ".join(f"{esc(data.lw.VINTAGES[k])} {v}" for k, v in vintages.items())
        + "</p>",
        f"<p>{esc(t['prov_code'])}: halfyear {esc(__version__)}, git "
        f"<code>{esc(git_version())}</code></p>",
        f"<p>{esc(t['prov_versions'])}: "
        + ", ".join(f"{esc(k)} {esc(v)}" for k, v in versions().items())
        + "</p>",
    ]
    parts.append(f"<h3>{esc(t['methods_provenance'])}</h3>")
    parts.append('<footer class="provenance">' + "\n".join(prov) + "</footer>")
    return _section("methods", data, "\n".join(parts))
