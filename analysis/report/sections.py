"""The sections of a report: each one its numbers (a DataFrame), its charts and its HTML.

A section is built from the report model (:mod:`analysis.report.model`) in one language::

    from analysis.report import model, sections
    m = model.load_model("erqi", "2019H1")
    s = sections.compare(m, "zh")
    s.data                      # the numbers, a tidy DataFrame
    s.figures["growth"]         # the chart as the report draws it (a matplotlib Figure)
    s.draw("growth")            # the same chart in the current theme (rcParams, seaborn)
    s                           # in JupyterLab: the section as the report shows it

The words come from :mod:`analysis.report.texts`, the markup from the Jinja templates in
``templates/report/`` (:mod:`analysis.report.render`); a section never reads figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.report import plots, render, texts
from analysis.report.model import ReportModel
from analysis.report.numbers import format_growth, format_percent

SECTIONS = ("summary", "headline", "compare", "targets", "peers", "trend", "notes", "methods")


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


#: The options of the chart functions that are words drawn on the chart.
TEXT_OPTIONS = ("title", "xlabel", "ylabel", "labels", "highlight", "average_label")


@dataclass
class Chart:
    """A chart of a section: the plotting function, its data and its words."""

    draw: Callable[..., Figure]
    data: pd.DataFrame
    options: dict
    alt: str
    caption: str = ""
    note: str = ""


@dataclass
class Section:
    """One section of a report in one language.

    Attributes
    ----------
    key : str
        One of :data:`SECTIONS` (or ``header``).
    lang : str
    title : str
    data : DataFrame
        The section's numbers, tidy (one row per indicator or item).
    blocks : list of dict
        What the template shows, in order (paragraphs, tables, charts, lists).
    charts : dict of Chart
        The section's charts by name.
    frames : dict of DataFrame
        Further tables of the section (the data notes' sources, gaps, ...).
    """

    key: str
    lang: str
    title: str
    data: pd.DataFrame
    blocks: list[dict] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    template: str = "report/section.html.j2"
    _figures: dict[str, Figure] = field(default_factory=dict, repr=False)

    @property
    def figures(self) -> dict[str, Figure]:
        """The charts as the report draws them (its style), drawn once and kept."""
        for name in self.charts:
            if name not in self._figures:
                with plots.style():
                    self._figures[name] = self._draw(name)
        return {name: self._figures[name] for name in self.charts}

    def draw(self, name: str, *, rc: dict | None = None) -> Figure:
        """A chart drawn anew in the current theme (rcParams, a seaborn theme), plus ``rc``.

        Change the theme, then draw: ``sns.set_theme(context="talk"); s.draw("growth")``.
        """
        with plots.style(rc or {}):
            return self._draw(name)

    def _draw(self, name: str) -> Figure:
        chart = self.charts[name]
        return chart.draw(chart.data, **chart.options)

    def png(self, name: str) -> bytes:
        """A chart as PNG bytes, in the report's style."""
        figure = self.figures[name]
        with plots.style():
            return plots.to_png(figure)

    def html(self, *, charts: bool = True) -> str:
        """The section as the report shows it (charts as embedded PNGs; ``charts=False``:
        empty images, their words kept)."""
        return render.section(self, charts=charts)

    def words(self) -> list[str]:
        """Every text of the section's charts: titles, axis labels, legends, data labels."""
        out = []
        for chart in self.charts.values():
            out += [chart.alt, chart.caption, chart.note]
            shown = {k: v for k, v in chart.options.items() if k in TEXT_OPTIONS}
            for value in shown.values():
                if isinstance(value, str):
                    out.append(value)
                elif isinstance(value, tuple | list):
                    out += [v for v in value if isinstance(v, str)]
                elif isinstance(value, dict):
                    out += [v for v in value.values() if isinstance(v, str)]
            for column in ("label", "series"):
                if column in chart.data:
                    out += [str(v) for v in chart.data[column]]
        return [w for w in out if w]

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return (
            f"<Section {self.key} ({self.lang}): {len(self.data)} rows, charts {list(self.charts)}>"
        )


class _Say:
    """The words of a report: its language's templates and names, numbers with their words."""

    def __init__(self, model: ReportModel, lang: str):
        self.model, self.lang = model, lang
        self.t = texts.words(lang)
        self.words = texts.language(lang)
        self.names = texts.Names(lang, catalog=model.catalog)

    def name(self, code: str) -> str:
        return self.names.indicator(code)

    def region(self, code: str | None = None) -> str:
        return self.names.region(code or self.model.region)

    def group(self, code: str) -> str:
        return self.names.group(code)

    def period(self, code: str | None = None) -> str:
        return self.names.period(code or self.model.period)

    def fmt(self, value: float, unit: str, qualifier: str = "") -> str:
        return texts.format_value(value, unit, qualifier or "", lang=self.lang)

    def reason(self, text: str) -> str:
        return texts.say(text, lang=self.lang, names=self.names)

    def none_note(self, what: str) -> dict:
        text = self.t["no_section_data"].format(what=self.t["what_" + what])
        return {"type": "p", "text": text, "cls": "note"}

    def table(self, headers, rows, *, text_cols=()) -> dict:
        return {"type": "table", "headers": list(headers), "rows": rows, "text_cols": text_cols}


def _section(say: _Say, key: str, data: pd.DataFrame, blocks: list, **kw) -> Section:
    return Section(key, say.lang, say.t["sec_" + key], data, blocks, **kw)


# --- title, contents -----------------------------------------------------------------------


def header(model: ReportModel, lang: str) -> Section:
    """Title, subtitle (region, period, the data's own date) and the table of contents."""
    say = _Say(model, lang)
    t = say.t
    title = t["title"].format(region=say.region(), period=say.period())
    subtitle = t["subtitle"].format(
        region=say.region(), period=say.period(), vintage=say.period(model.vintage)
    )
    contents = [{"key": k, "title": t["sec_" + k]} for k in SECTIONS]
    data = pd.DataFrame(
        {"region": [model.region], "period": [model.period], "vintage": [model.vintage]}
    )
    block = {
        "type": "header",
        "title": title,
        "subtitle": subtitle,
        "toc": t["toc"],
        "contents": contents,
    }
    return Section("header", lang, title, data, [block], template="report/header.html.j2")


def title(model: ReportModel, lang: str) -> str:
    """The report's title in its language.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> title(load_model("erqi", "2019H1"), "en")
    'Erqi: economic situation, 2019 H1'
    """
    say = _Say(model, lang)
    return say.t["title"].format(region=say.region(), period=say.period())


# --- 1 summary -----------------------------------------------------------------------------


def summary_sentences(model: ReportModel, lang: str) -> list[str]:
    """The overview, written from the numbers with the sentence templates of the texts.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> summary_sentences(load_model("erqi", "2019H1"), "zh")[0]
    '2019年上半年,二七区地区生产总值完成323.3亿元,同比增长8.0%。'
    """
    say = _Say(model, lang)
    t, v, w, units = say.t, model.measures, model.codes, model.units
    out: list[str] = []
    for code in model.headline_codes():
        value, growth = v.loc[code, "value"], v.loc[code, "yoy_pct"]
        name = say.name(code)
        shown = say.fmt(value, units[code], w.loc[code, "value"])
        if not _nan(value) and not _nan(growth):
            words = texts.growth_words(growth, lang=lang)
            text = t["summary_level_growth"].format(name=name, value=shown, growth=words)
        elif not _nan(growth):
            words = texts.growth_words(growth, lang=lang)
            text = t["summary_growth_only"].format(name=name, growth=words)
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
                parent = say.region(w.loc[code, gap_col])
                if round(gap, 1) == 0:
                    comparisons.append(t["summary_equal"].format(parent=parent))
                else:
                    key = "summary_higher" if gap > 0 else "summary_lower"
                    comparisons.append(t[key].format(parent=parent, gap=f"{abs(gap):.1f}"))
        if comparisons:
            joined = t["list_joiner"].join(comparisons)
            out.append(t["summary_vs_parents"].format(comparisons=joined))
    for code in v.index[v["plan_pct"].notna()]:
        out.append(
            t["summary_plan"].format(
                name=say.name(code),
                value=say.fmt(v.loc[code, "value"], units[code]),
                plan=format_percent(v.loc[code, "plan_pct"]),
                timing=texts.timing_words(v.loc[code, "progress_gap_pts"], lang=lang),
            )
        )
    for code in v.index:
        if model.kind(code) == "rank" and not _nan(v.loc[code, "value"]):
            out.append(t["summary_rank"].format(name=say.name(code), rank=_rank(say, code)))
    if not out:
        return [t["summary_none"].format(region=say.region(), period=say.period())]
    out[0] = t["summary_opening"].format(period=say.period(), region=say.region()) + out[0]
    return out


def _rank(say: _Say, code: str) -> str:
    """A published rank with its peer group: '市内五区第1位'."""
    rank = int(say.model.measures.loc[code, "value"])
    group = say.model.groups.loc[code, "value"]
    if group:
        return say.t["rank"].format(rank=rank, group=say.group(group))
    return say.t["rank_no_group"].format(rank=rank)


def summary(model: ReportModel, lang: str) -> Section:
    """Section 1: the overview in sentences."""
    say = _Say(model, lang)
    sentences = summary_sentences(model, lang)
    joiner = say.t["sentence_joiner"]
    paragraphs = [
        joiner.join(sentences[:4]),
        joiner.join(sentences[4:9]),
        joiner.join(sentences[9:]),
    ]
    measures = [
        "value",
        "yoy_pct",
        "gap_city_pts",
        "gap_province_pts",
        "gap_nation_pts",
        "plan_pct",
        "progress_gap_pts",
    ]
    table = model.table
    data = table[table["measure"].isin(measures) & table["value"].notna()]
    data = data[["indicator", "measure", "value", "unit"]].reset_index(drop=True)
    blocks = [{"type": "summary", "paragraphs": [p for p in paragraphs if p]}]
    return _section(say, "summary", data, blocks)


# --- 2 headline table ----------------------------------------------------------------------

HEADLINE_MEASURES = (
    "value",
    "yoy_pct",
    "prev_yoy_pct",
    "growth_change_pts",
    "target_yoy_pct",
    "target_value",
    "plan_pct",
    "progress_gap_pts",
    "rank_yoy",
)


def headline_rows(model: ReportModel, lang: str) -> pd.DataFrame:
    """The headline table as display strings, one row per indicator of the period.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> headline_rows(load_model("erqi", "2019H1"), "zh").iloc[0, :3].tolist()
    ['地区生产总值', '323.3亿元', '+8.0%']
    """
    say = _Say(model, lang)
    t, v, w, units = say.t, model.measures, model.codes, model.units
    rows = []
    for code in v.index:
        kind = model.kind(code)
        if kind == "rank":
            shown = _rank(say, code)
        elif kind == "relation":
            shown = t["above"] if v.loc[code, "value"] > 0 else t["below"]
        else:
            shown = say.fmt(v.loc[code, "value"], units[code], w.loc[code, "value"])
        target = v.loc[code, "target_yoy_pct"]
        target_shown = t["none"]
        if not _nan(target):
            target_shown = texts.target_text(target, w.loc[code, "target_yoy_pct"], lang=lang)
        elif not _nan(v.loc[code, "target_value"]):
            target_shown = say.fmt(
                v.loc[code, "target_value"], units[code], w.loc[code, "target_value"]
            )
        rank = t["none"]
        if not _nan(v.loc[code, "rank_yoy"]) and "/" in (w.loc[code, "rank_yoy"] or ""):
            n, _, m = w.loc[code, "rank_yoy"].partition("/")
            rank = t["rank_of"].format(
                rank=int(v.loc[code, "rank_yoy"]),
                group=say.group(model.groups.loc[code, "rank_yoy"]),
                n=n,
                m=m,
            )
        rows.append(
            [
                say.name(code),
                shown,
                format_growth(v.loc[code, "yoy_pct"]),
                format_growth(v.loc[code, "prev_yoy_pct"]),
                texts.format_points(v.loc[code, "growth_change_pts"], lang=lang),
                target_shown,
                format_percent(v.loc[code, "plan_pct"]),
                texts.format_points(v.loc[code, "progress_gap_pts"], lang=lang),
                rank,
            ]
        )
    columns = [
        t[c]
        for c in (
            "col_indicator",
            "col_value",
            "col_growth",
            "col_prev_growth",
            "col_change",
            "col_target",
            "col_progress",
            "col_vs_time",
            "col_rank",
        )
    ]
    frame = pd.DataFrame(rows, columns=columns)
    # a column with no figure for any indicator says nothing: leave it out
    keep = [c for i, c in enumerate(columns) if i < 2 or (frame[c] != t["none"]).any()]
    return frame[keep]


def headline(model: ReportModel, lang: str) -> Section:
    """Section 2: the headline table."""
    say = _Say(model, lang)
    rows = headline_rows(model, lang)
    v = model.measures
    data = v[[m for m in HEADLINE_MEASURES if m in v.columns]].rename_axis("indicator")
    data = data.reset_index().assign(unit=lambda d: d["indicator"].map(model.units))
    blocks = [say.table(rows.columns, rows.to_numpy().tolist())]
    return _section(say, "headline", data, blocks)


# --- 3 against last year -------------------------------------------------------------------


def compare(model: ReportModel, lang: str) -> Section:
    """Section 3: this period against the same period last year and last year's H2."""
    say = _Say(model, lang)
    t, v, units = say.t, model.measures, model.units
    blocks: list[dict] = []
    charts: dict[str, Chart] = {}
    growth = v[v["yoy_pct"].notna() | v["prev_yoy_pct"].notna()]
    growth = growth[[model.kind(c) not in ("rank", "relation") for c in growth.index]]
    if not growth.empty:
        frame = pd.DataFrame(
            {
                "label": [say.name(c) for c in growth.index],
                "now": growth["yoy_pct"].to_numpy(),
                "before": growth["prev_yoy_pct"].to_numpy(),
            }
        )
        options = {
            "title": t["chart_growth_years"],
            "xlabel": t["axis_growth"],
            "labels": (t["this_period"], t["last_year"]),
        }
        charts["growth"] = Chart(plots.growth_years, frame, options, alt=t["chart_growth_years"])
        blocks.append({"type": "figure", "chart": "growth"})
        missing = [say.name(c) for c in growth.index if _nan(v.loc[c, "prev_yoy_pct"])]
        if missing:
            reason = say.reason(model.reasons.loc[growth.index[0], "prev_yoy_pct"])
            line = t["compare_missing"].format(
                label=t["last_year"], names=t["list_joiner"].join(missing), reason=reason
            )
            blocks.append({"type": "p", "text": line, "cls": "note"})
    levels = v[v["prev_value"].notna() & v["value"].notna()]
    if not levels.empty:
        rows = [
            [
                say.name(c),
                say.fmt(levels.loc[c, "value"], units[c]),
                say.fmt(levels.loc[c, "prev_value"], units[c]),
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
        blocks.append(say.table(heads, rows))
    for r in model.last_h2.itertuples():
        text = t["compare_h2"].format(
            name=say.name(r.indicator), value=say.fmt(r.value, r.unit), h2=say.fmt(r.h2, r.unit)
        )
        blocks.append({"type": "p", "text": text, "cls": ""})
    if not blocks:
        blocks.append(say.none_note("compare"))
    columns = ["value", "prev_value", "yoy_pct", "prev_yoy_pct", "yoy_computed"]
    data = v.loc[v.index.isin(growth.index) | v.index.isin(levels.index), columns]
    data = data.rename_axis("indicator").reset_index()
    data = data.merge(model.last_h2[["indicator", "h2"]], how="left", on="indicator")
    return _section(say, "compare", data, blocks, charts=charts)


# --- 4 targets -----------------------------------------------------------------------------


def targets(model: ReportModel, lang: str) -> Section:
    """Section 4: plan progress against time, growth targets, and what H2 must deliver."""
    say = _Say(model, lang)
    t, v, w, units = say.t, model.measures, model.codes, model.units
    blocks: list[dict] = []
    charts: dict[str, Chart] = {}
    span = model.span
    progress = span.time_progress * 100 if span.is_cumulative else np.nan
    planned = v[v["plan_pct"].notna()]
    if not planned.empty:
        frame = pd.DataFrame(
            {
                "label": [say.name(c) for c in planned.index],
                "plan_pct": planned["plan_pct"].to_numpy(),
            }
        )
        chart_title = t["chart_plan"].format(progress=f"{progress:.0f}")
        options = {"time_progress": progress, "title": chart_title, "xlabel": t["axis_plan"]}
        charts["plan"] = Chart(plots.plan_bullets, frame, options, alt=chart_title)
        blocks.append({"type": "figure", "chart": "plan"})
        rows = [
            [
                say.name(c),
                say.fmt(planned.loc[c, "value"], units[c]),
                format_percent(planned.loc[c, "plan_pct"]),
                texts.timing_words(planned.loc[c, "progress_gap_pts"], lang=lang),
                say.fmt(planned.loc[c, "annual_plan_implied"], units[c]),
                say.fmt(planned.loc[c, "required_h2_amount"], units[c]),
            ]
            for c in planned.index
        ]
        heads = [
            t["col_indicator"],
            t["col_value"],
            t["col_progress"],
            t["col_vs_time"],
            t["col_implied_plan"],
            t["col_required"],
        ]
        blocks.append(say.table(heads, rows))
    growth_targets = v[v["target_yoy_pct"].notna()]
    if not growth_targets.empty:
        rows = []
        for c in growth_targets.index:
            req = v.loc[c, "required_h2_growth"]
            required = (
                t["h2_required_growth"].format(value=format_growth(req))
                if not _nan(req)
                else say.reason(model.reasons.loc[c, "required_h2_growth"])
            )
            verdict = w.loc[c, "target_verdict"]
            verdict = (
                say.words.VERDICTS[verdict]
                if verdict
                else say.reason(model.reasons.loc[c, "target_verdict"])
            )
            target = texts.target_text(
                v.loc[c, "target_yoy_pct"], w.loc[c, "target_yoy_pct"], lang=lang
            )
            rows.append(
                [say.name(c), target, format_growth(v.loc[c, "yoy_pct"]), verdict, required]
            )
        heads = [
            t["col_indicator"],
            t["col_target"],
            t["col_growth"],
            t["col_verdict"],
            t["col_required"],
        ]
        blocks.append(say.table(heads, rows, text_cols=(3, 4)))
    tasks = []
    for r in model.year_targets.itertuples():
        if not _nan(r.value):
            shown = say.fmt(r.value, r.unit, r.qualifier)
        else:
            shown = texts.target_text(r.yoy_pct, r.qualifier, lang=lang)
        tasks.append([say.name(r.indicator), shown])
    if tasks:
        blocks.append({"type": "h3", "text": t["year_targets"]})
        blocks.append(say.table([t["col_indicator"], t["col_target"]], tasks))
    if not blocks:
        blocks.append(say.none_note("targets"))
    columns = [
        "value",
        "plan_pct",
        "time_progress_pct",
        "progress_gap_pts",
        "annual_plan_implied",
        "required_h2_amount",
        "target_yoy_pct",
        "yoy_pct",
        "required_h2_growth",
    ]
    data = v.loc[v["plan_pct"].notna() | v["target_yoy_pct"].notna(), columns]
    data = data.rename_axis("indicator").reset_index()
    data["verdict"] = data["indicator"].map(w["target_verdict"])
    return _section(
        say, "targets", data, blocks, charts=charts, frames={"year_targets": model.year_targets}
    )


# --- 5 peers and parents -------------------------------------------------------------------


def peers(model: ReportModel, lang: str) -> Section:
    """Section 5: published ranks, the region among its peers, and the levels above."""
    say = _Say(model, lang)
    t, v, w = say.t, model.measures, model.codes
    blocks: list[dict] = []
    charts: dict[str, Chart] = {}
    ranks = [
        [say.name(c), _rank(say, c)]
        for c in v.index
        if model.kind(c) == "rank" and not _nan(v.loc[c, "value"])
    ]
    if ranks:
        blocks.append(say.table([t["col_indicator"], t["col_rank"]], ranks))
    snap = model.peers
    if snap is not None:
        frame = pd.DataFrame(
            {
                "label": [say.region(r) for r in snap.frame["region"]],
                "value": snap.frame["value"].to_numpy(),
            }
        )
        chart_title = t["chart_peers"].format(
            indicator=say.name(snap.indicator),
            region=say.region(),
            group=say.group(snap.group),
            period=say.period(snap.period),
        )
        options = {
            "highlight": say.region(),
            "average": float(frame["value"].mean()),
            "title": chart_title,
            "xlabel": texts.unit_label(
                model.catalog.indicators.loc[snap.indicator, "unit"], lang=lang
            ),
            "average_label": t["peer_average"],
        }
        note = ""
        if snap.period != model.period:
            note = t["peers_other_period"].format(period=say.period(snap.period))
        caption = t["peers_caption"].format(
            group=say.group(snap.group), n=len(frame), m=snap.members
        )
        charts["peers"] = Chart(
            plots.peer_bars, frame, options, alt=chart_title, caption=caption, note=note
        )
        blocks.append({"type": "figure", "chart": "peers"})
    levels = [c for c in ("yoy_city", "yoy_province", "yoy_nation") if c in v.columns]
    have = v[v[levels].notna().any(axis=1) & v["yoy_pct"].notna()] if levels else v.iloc[0:0]
    if not have.empty:
        codes = [w.loc[have.index[0], c] for c in levels]
        heads = [t["col_indicator"], say.region(), *[say.region(c) for c in codes]]
        rows = [
            [
                say.name(c),
                format_growth(have.loc[c, "yoy_pct"]),
                *[format_growth(have.loc[c, lv]) for lv in levels],
            ]
            for c in have.index
        ]
        blocks.append({"type": "h3", "text": t["parents_table"]})
        blocks.append(say.table(heads, rows))
        lead = model.lead_indicator
        if lead in have.index:
            labels = [say.region(), *[say.region(c) for c in codes]]
            values = [have.loc[lead, "yoy_pct"], *[have.loc[lead, lv] for lv in levels]]
            frame = pd.DataFrame({"label": labels, "yoy_pct": values}).dropna()
            if len(frame) >= 2:
                chart_title = t["chart_growth_parents"].format(
                    indicator=say.name(lead), region=say.region()
                )
                options = {
                    "highlight": say.region(),
                    "title": chart_title,
                    "xlabel": t["axis_growth"],
                }
                charts["parents"] = Chart(plots.growth_comparison, frame, options, alt=chart_title)
                blocks.append({"type": "figure", "chart": "parents"})
    if not blocks:
        blocks.append(say.none_note("peers"))
    columns = [
        "yoy_pct",
        "rank_yoy",
        "rank_value",
        "peer_avg_yoy",
        "gap_peer_avg_pts",
        *levels,
        *[f"gap_{lv.removeprefix('yoy_')}_pts" for lv in levels],
    ]
    data = v[[c for c in columns if c in v.columns]].rename_axis("indicator").reset_index()
    frames = {"peers": snap.frame if snap is not None else pd.DataFrame()}
    return _section(say, "peers", data, blocks, charts=charts, frames=frames)


# --- 6 trend -------------------------------------------------------------------------------


def trend(model: ReportModel, lang: str) -> Section:
    """Section 6: the level over the years, and the full-year projection of each headline
    flow indicator with a first-half level."""
    say = _Say(model, lang)
    t = say.t
    blocks: list[dict] = []
    charts: dict[str, Chart] = {}
    series = model.series
    if len(series) >= 2:
        indicator = model.lead_indicator
        frame = series.assign(
            kind=series["kind"].map({"FY": t["full_year"], "H1": t["first_half"]})
        )
        frame = frame.rename(columns={"kind": "series"})
        chart_title = t["chart_level"].format(indicator=say.name(indicator))
        unit = model.catalog.indicators.loc[indicator, "unit"]
        options = {"title": chart_title, "ylabel": texts.unit_label(unit, lang=lang)}
        charts["level"] = Chart(plots.level_over_time, frame, options, alt=chart_title)
        blocks.append({"type": "figure", "chart": "level"})
    else:
        blocks.append(say.none_note("trend"))
    span = model.span
    if span.code != f"{span.year}H1":
        blocks.append({"type": "p", "text": t["proj_not_h1"], "cls": "note"})
    for projection in model.projections:
        blocks += _projection_blocks(say, projection, charts)
    tables = [p.table.assign(indicator=p.indicator) for p in model.projections]
    projections = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return _section(
        say, "trend", series, blocks, charts=charts, frames={"projections": projections}
    )


def _projection_blocks(say: _Say, p, charts: dict) -> list[dict]:
    """Chart, method table and backtest of one indicator's full-year projection."""
    t, methods = say.t, say.words.METHODS
    name = say.name(p.indicator)
    table = p.table
    if not p.lead:
        detail = t["proj_none_joiner"].join(
            t["proj_none_item"].format(method=methods[r.method], reason=say.reason(r.reason))
            for r in table.itertuples()
        )
        text = t["proj_none"].format(indicator=name, detail=detail)
        return [{"type": "p", "text": text, "cls": "note"}]
    level = round(100 * p.level)
    blocks: list[dict] = [{"type": "h3", "text": t["proj_heading"].format(indicator=name)}]
    labels = {"actual FY": t["full_year"], "actual H1": t["first_half"], **methods}
    chart_title = t["proj_chart"].format(indicator=name, year=p.year)
    options = {
        "lead": p.lead,
        "labels": labels,
        "title": chart_title,
        "ylabel": texts.unit_label(p.unit, lang=say.lang),
    }
    charts[f"projection_{p.indicator}"] = Chart(
        plots.projection_chart, p.chart, options, alt=chart_title
    )
    blocks.append({"type": "figure", "chart": f"projection_{p.indicator}"})
    row = table.set_index("method").loc[p.lead]
    values = {"method": methods[p.lead], "year": p.year, "level": level}
    values["value"] = say.fmt(row["projected"], p.unit)
    if _nan(row["lower"]):
        sentence = t["proj_lead_no_interval"].format(**values)
    else:
        values.update(lower=say.fmt(row["lower"], p.unit), upper=say.fmt(row["upper"], p.unit))
        sentence = t["proj_lead"].format(**values)
    sentence += t["proj_why"].format(reason=say.reason(p.why))
    blocks.append({"type": "p", "text": sentence, "cls": ""})
    rows = []
    for r in table.itertuples():
        interval = (
            t["proj_interval"].format(
                lower=say.fmt(r.lower, p.unit), upper=say.fmt(r.upper, p.unit)
            )
            if not _nan(r.lower)
            else t["none"]
        )
        mine = p.assumptions.loc[p.assumptions["method"] == r.method, "reason"]
        note = say.reason("; ".join(mine)) if r.status == "ok" else say.reason(r.reason)
        rows.append([methods[r.method], say.fmt(r.projected, p.unit), interval, note])
    blocks.append({"type": "h3", "text": t["proj_methods"]})
    heads = [
        t["proj_col_method"],
        t["proj_col_projected"],
        t["proj_col_interval"],
        t["proj_col_assumptions"],
    ]
    blocks.append(say.table(heads, rows, text_cols=(3,)))
    blocks.append({"type": "h3", "text": t["proj_backtest"]})
    if p.backtest_region is None:
        blocks.append({"type": "p", "text": t["proj_no_backtest"], "cls": "note"})
    else:
        if p.backtest_region != say.model.region:
            text = t["proj_proxy_backtest"].format(proxy=say.region(p.backtest_region))
            blocks.append({"type": "p", "text": text, "cls": "note"})
        heads = [
            t["proj_col_method"],
            t["proj_col_years"],
            t["proj_col_mape"],
            t["proj_col_bias"],
            t["proj_col_vs_same"],
            t["proj_col_coverage"].format(level=level),
        ]
        blocks.append(say.table(heads, _backtest_rows(say, p.backtest)))
    for warning in p.warnings:
        blocks.append({"type": "p", "text": say.reason(warning), "cls": "note"})
    return blocks


def _backtest_rows(say: _Say, summary: pd.DataFrame) -> list[list[str]]:
    """The backtest table: per method, years, MAPE, bias, ratio to same growth, coverage."""
    t, methods = say.t, say.words.METHODS
    rows = []
    for r in summary.itertuples():
        coverage = (
            t["proj_coverage"].format(covered=r.n_covered, n=r.n_interval)
            if r.n_interval
            else t["none"]
        )
        ratio = t["none"] if _nan(r.ratio_to_same_growth) else f"{r.ratio_to_same_growth:.2f}"
        rows.append(
            [
                methods[r.method],
                str(int(r.n)),
                format_percent(r.mape_pct),
                format_growth(r.bias_pct),
                ratio,
                coverage,
            ]
        )
    return rows


# --- 7 data notes --------------------------------------------------------------------------


def notes(model: ReportModel, lang: str) -> Section:
    """Section 7: sources, gaps, disagreements between sources, rechecks, rejected rows."""
    say = _Say(model, lang)
    t = say.t
    blocks: list[dict] = [{"type": "h3", "text": t["notes_sources"]}]
    items = []
    for r in model.sources.itertuples():
        described = r.description_zh if lang == "zh" and r.description_zh else r.description
        where = r.url or described
        items.append(t["notes_source"].format(file=r.file, n=r.figures, where=where))
    blocks.append({"type": "list", "items": items})
    gaps, gap_rows = [], []
    v, reasons = model.measures, model.reasons
    for code in model.headline_codes():
        for measure in ("value", "yoy_pct", "prev_value", "prev_yoy_pct"):
            reason = reasons.loc[code, measure]
            if _nan(v.loc[code, measure]) and reason:
                gaps.append(
                    t["notes_gap_line"].format(name=say.name(code), reason=say.reason(reason))
                )
                gap_rows.append({"indicator": code, "measure": measure, "reason": reason})
    if gaps:
        blocks.append({"type": "h3", "text": t["notes_gaps"]})
        blocks.append({"type": "list", "items": gaps})
    blocks.append({"type": "h3", "text": t["notes_conflicts"]})
    if model.conflicts.empty:
        blocks.append({"type": "p", "text": t["notes_none_conflicts"], "cls": "note"})
    else:
        rows = [
            [say.period(r.period), say.name(r.indicator), say.reason(r.conflict)]
            for r in model.conflicts.itertuples()
        ]
        heads = [t["col_period"], t["col_indicator"], t["col_conflict"]]
        blocks.append(say.table(heads, rows, text_cols=(2,)))
    if not model.rechecks.empty:
        blocks.append({"type": "h3", "text": t["notes_checks"]})
        rows = [
            [
                say.period(r.period),
                say.name(r.indicator),
                f"{r.published:g}",
                f"{r.recomputed:.2f}",
                say.words.CHECKS[r.verdict],
                say.reason(r.detail),
            ]
            for r in model.rechecks.itertuples()
        ]
        heads = [
            t["col_period"],
            t["col_indicator"],
            t["col_published"],
            t["col_recomputed"],
            t["col_check_verdict"],
            t["col_detail"],
        ]
        blocks.append(say.table(heads, rows, text_cols=(4, 5)))
    blocks.append({"type": "h3", "text": t["notes_rejected"]})
    if model.rejected.empty:
        blocks.append({"type": "p", "text": t["notes_none_rejected"], "cls": "note"})
    else:
        rows = [
            [f"{r.source_file}:{r.source_line}", say.reason(r.code) if r.code else r.reason]
            for r in model.rejected.itertuples()
        ]
        blocks.append(say.table([t["col_where"], t["col_reason"]], rows, text_cols=(1,)))
    frames = {
        "sources": model.sources,
        "gaps": pd.DataFrame(gap_rows),
        "conflicts": model.conflicts,
        "rejected": model.rejected,
    }
    return _section(say, "notes", model.rechecks, blocks, frames=frames)


# --- 8 methods and provenance --------------------------------------------------------------


def methods(model: ReportModel, lang: str) -> Section:
    """Section 8: formulas, and the provenance of the report (parameters, files, versions)."""
    say = _Say(model, lang)
    t, prov = say.t, model.provenance
    params = {
        "region": prov.params["region"],
        "period": prov.params["period"],
        "lang": lang,
        "data": prov.params["data"],
    }
    files = [
        {
            "file": f.file,
            "detail": t["prov_rows"].format(encoding=f.encoding, rows=f.rows),
            "sha256": f.sha256,
        }
        for f in prov.files.itertuples()
    ]
    vintages = ", ".join(
        f"{say.words.VINTAGES[r.vintage]} {r.figures}" for r in prov.vintages.itertuples()
    )
    block = {
        "type": "provenance",
        "labels": t,
        "params": list(params.items()),
        "files": files,
        "vintage": f"{say.period(model.vintage)}; {vintages}",
        "package": prov.package,
        "git": prov.git,
        "versions": ", ".join(f"{k} {v}" for k, v in prov.versions.items()),
    }
    blocks = [
        {"type": "h3", "text": t["methods_formulas"]},
        {"type": "list", "items": list(say.words.FORMULAS)},
        {"type": "h3", "text": t["methods_provenance"]},
        block,
    ]
    return _section(say, "methods", prov.files, blocks)


BUILDERS = {
    "summary": summary,
    "headline": headline,
    "compare": compare,
    "targets": targets,
    "peers": peers,
    "trend": trend,
    "notes": notes,
    "methods": methods,
}
