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

import pandas as pd
from matplotlib.figure import Figure

from analysis.compute.assessment import columns_with_data
from analysis.report import plots, render, texts
from analysis.report.model import Projection, ReportModel
from analysis.report.numbers import (
    NONE,
    format_growth,
    format_number,
    format_percent,
    rounded,
    signed,
)

#: The sections of a report, in the genre's order: the judgment first, then the main
#: indicators by block, every target's status, the region among its peers and the levels
#: above, the problems, the outlook for the second half, and the appendices.
SECTIONS = (
    "judgment",
    "blocks",
    "targets",
    "peers",
    "problems",
    "outlook",
    "compare",
    "notes",
    "methods",
)


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

    def fmt(self, value: float, unit: str, qualifier: str = "", decimals=None) -> str:
        """A level in words: as derived, or with the source's ``decimals``."""
        return texts.format_value(value, unit, qualifier or "", lang=self.lang, decimals=decimals)

    def level(self, code: str) -> str:
        """An indicator's level this period as its source wrote it (its decimals, its
        qualifier): 253亿元 stays 253, 18.12 stays 18.12."""
        v, w = self.model.measures, self.model.codes
        decimals = v.loc[code, "value_decimals"] if "value_decimals" in v.columns else None
        return self.fmt(v.loc[code, "value"], self.model.units[code], w.loc[code, "value"],
                        decimals)  # fmt: skip

    @property
    def so_far(self) -> str:
        """The part of the year the report's figures cover: '上半年' / 'the first half'."""
        return self.t.get(f"so_far_{self.model.period[4:]}", self.t["so_far"])

    @property
    def rest(self) -> str:
        """The part of the year still to come ('下半年'), '' for a full-year report."""
        suffix = self.model.period[4:]
        return "" if suffix == "FY" else self.t.get(f"rest_{suffix}", self.t["rest"])

    def rank(self, rank: float, group: str = "") -> str:
        """A rank in the genre's words, with its group: '市内五区第一位'."""
        words = texts.rank_words(rank, lang=self.lang)
        if group:
            return self.t["rank"].format(rank=words, group=self.group(group))
        return self.t["rank_no_group"].format(rank=words)

    def series(self, items: list[str], *, last: str = "and") -> str:
        """Items joined as the language lists them: 'a, b and c' / 'a、b和c'; ``last``
        'or', or 'clause' (clauses: 'a、b' / 'a and b') or 'count' ('2项…，1项…')."""
        items = [i for i in items if i]
        if len(items) < 2:
            return "".join(items)
        joiner = (
            self.t["list_count"] if last == "count" and self.lang == "zh" else self.t["list_joiner"]
        )
        return joiner.join(items[:-1]) + self.t[f"list_{last}"] + items[-1]

    def mid(self, code: str) -> str:
        """An indicator's name inside a sentence (English: 'industrial value added'; an
        acronym such as GDP kept)."""
        name = self.name(code)
        if self.lang == "en" and len(name) > 1 and name[0].isupper() and name[1].islower():
            return name[0].lower() + name[1:]
        return name

    def reason(self, text: str) -> str:
        return texts.say(text, lang=self.lang, names=self.names)

    def none_note(self, what: str) -> dict:
        text = self.t["no_section_data"].format(what=self.t["what_" + what])
        return {"type": "p", "text": text, "cls": "note"}

    def table(self, headers, rows, *, text_cols=(), wrap_cols=()) -> dict:
        """A table block; ``text_cols`` wrap and read from the left, ``wrap_cols`` wrap at
        their spaces only (a level's number and unit are kept together)."""
        return {
            "type": "table",
            "headers": list(headers),
            "rows": rows,
            "text_cols": text_cols,
            "wrap_cols": wrap_cols,
        }


def _section(say: _Say, key: str, data: pd.DataFrame, blocks: list, **kw) -> Section:
    return Section(key, say.lang, say.t["sec_" + key], data, blocks, **kw)


def _published_percent(value: float) -> str:
    """A rate as published (51 -> '51%', 72.9 -> '72.9%'); derived rates use
    :func:`format_percent` (one decimal)."""
    return NONE if _nan(value) else f"{format_number(value)}%"


def _points(value: float) -> str:
    """A change in points in a table whose header says 个百分点: '+1.0', '-0.3'."""
    return NONE if _nan(value) else signed(value)


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


# --- 1 judgment ----------------------------------------------------------------------------


def _when(say: _Say, against: str, region: str) -> str:
    """What a comparison of the judgment is against, in words ('' for none to name)."""
    t = say.t
    if against == "last_year":
        return t["when_last_year"]
    if against == "earlier":
        return t.get(f"when_earlier_{say.model.period[4:]}", "")
    if against == "peers":
        return t["when_peers"]
    return say.region(region) if region else ""


def judgment_text(model: ReportModel, lang: str) -> str:
    """The overall judgment (总体判断) in one paragraph, from the model's assessment.

    The headline indicator's level and growth; its growth against last year, the earlier
    period of this year, the levels above and the peers (faster, slower, flat; above,
    below); the comparisons without a figure named; the annual targets ahead of and behind
    the time line; the verdict chosen by the rules of ``docs/report-rules.md``.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> text = judgment_text(load_model("erqi", "2019H1"), "zh")
    >>> text[:35]
    '2019年上半年，二七区地区生产总值323.3亿元，同比增长8.0%，'
    >>> text[-16:]
    '总体看，二七区经济运行稳中有进。'
    """
    say = _Say(model, lang)
    t = say.t
    j = model.assessment.judgment
    if not j.headline:
        return t["judgment_none"].format(period=say.period(), region=say.region())
    code = j.headline
    growth = texts.growth_words(j.growth, lang=lang)
    if _nan(model.measures.loc[code, "value"]):
        head = t["judgment_growth_only"].format(name=say.name(code), growth=growth)
    else:
        head = t["judgment_level_growth"].format(
            name=say.name(code), value=say.level(code), growth=growth
        )
    parts, unknown = [], []
    for r in j.comparisons.itertuples():
        when = _when(say, r.against, r.region)
        if not when:
            continue
        if r.direction == "unknown":
            if r.against != "peers":
                unknown.append(when)
            continue
        diff = rounded(abs(r.diff))
        if r.direction in ("faster", "slower", "flat"):
            parts.append(t[f"judgment_{r.direction}"].format(when=when, diff=diff))
        else:
            parts.append(t[f"judgment_{r.direction}"].format(parent=when, diff=diff))
    text = t["judgment_opening"].format(period=say.period(), region=say.region()) + head
    if parts:
        text += t["judgment_speed"].format(comparisons=say.series(parts, last="clause"))
    if unknown:
        text += t["judgment_unknown"].format(what=say.series(unknown, last="or"))
    text += t["judgment_end"]
    counts = j.targets
    if counts.get("total", 0):
        found = []
        if counts["ahead"] or counts["assessed"]:
            found.append(t["judgment_count_ahead"].format(n=counts["ahead"]))
            found.append(t["judgment_count_behind"].format(n=counts["behind"]))
        if counts["on_time"]:
            found.append(t["judgment_count_on_time"].format(n=counts["on_time"]))
        if counts["unmeasured"]:
            found.append(
                t["judgment_count_unmeasured"].format(n=counts["unmeasured"], so_far=say.so_far)
            )
        text += t["judgment_targets"].format(
            total=counts["total"], counts=say.series(found, last="count")
        )
    if j.verdict != "undetermined":
        verdict = say.words.JUDGMENT[j.verdict]
        text += t["judgment_verdict"].format(region=say.region(), verdict=verdict)
    return text


def record_headline(model: ReportModel, lang: str) -> str:
    """The report's headline for the index: the judgment's indicator, level, growth and
    verdict ('' without a headline growth).

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> record_headline(load_model("erqi", "2019H1"), "zh")
    '地区生产总值323.3亿元，增长8.0%；稳中有进'
    """
    say = _Say(model, lang)
    j = model.assessment.judgment
    if not j.headline:
        return ""
    fields = {
        "name": say.name(j.headline),
        "growth": texts.growth_words(j.growth, lang=lang),
        "verdict": say.words.JUDGMENT[j.verdict],
    }
    if _nan(model.measures.loc[j.headline, "value"]):
        return say.t["record_headline_growth"].format(**fields)
    return say.t["record_headline"].format(value=say.level(j.headline), **fields)


def judgment(model: ReportModel, lang: str) -> Section:
    """Section 1: the overall judgment, one paragraph, and the rule that chose the verdict."""
    say = _Say(model, lang)
    j = model.assessment.judgment
    blocks: list[dict] = [{"type": "summary", "paragraphs": [judgment_text(model, lang)]}]
    rule = say.t["judgment_rule"].format(rule=j.rule, condition=say.words.RULES[j.rule])
    blocks.append({"type": "p", "text": rule, "cls": "note"})
    data = j.comparisons.assign(indicator=j.headline, growth=j.growth)
    verdict = pd.DataFrame(
        {"verdict": [j.verdict], "rule": [j.rule], **{k: [v] for k, v in j.targets.items()}}
    )
    return _section(say, "judgment", data, blocks, frames={"verdict": verdict})


# --- 2 blocks ------------------------------------------------------------------------------

#: The block table's columns: measure -> the header's key.
BLOCK_HEADERS = {
    "value": "col_value",
    "yoy_pct": "col_growth",
    "growth_change_pts": "col_change_last_year",
    "change_vs_earlier_pts": "col_change_earlier",
    "plan_pct": "col_plan",
    "progress_gap_pts": "col_gap_time",
    "rank": "col_position",
}


def _block_cell(say: _Say, row, measure: str) -> str:
    code = row.indicator
    value = getattr(row, measure)
    if _nan(value):
        return NONE
    if measure == "value":
        if say.model.kind(code) == "rank":
            return say.rank(value, row.rank_group)
        if say.model.kind(code) == "relation":
            return say.t["above"] if value > 0 else say.t["below"]
        return say.level(code).replace(" ", NBSP)
    if measure == "yoy_pct":
        return format_growth(value)
    if measure == "plan_pct":
        return _published_percent(value)
    if measure == "rank":
        return say.rank(value, row.rank_group)
    return _points(value)


#: A space a line does not break at (between a number and its unit).
NBSP = "\u00a0"


def block_tables(model: ReportModel, lang: str) -> list[tuple[str, str, pd.DataFrame]]:
    """The main indicators as (block, block name, table of display strings), one per
    block with data; a column with no figure in the block is left out.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> block, name, table = block_tables(load_model("erqi", "2019H1"), "zh")[0]
    >>> name, table.columns.tolist(), table.iloc[0].tolist()
    ('经济总量', ['指标', '本期', '同比增长'], ['地区生产总值', '323.3亿元', '+8.0%'])
    """
    say = _Say(model, lang)
    t, words = say.t, say.words
    frame = model.assessment.blocks
    # a published rank of its own row reads as that row's value (one column fewer)
    own = frame["indicator"].map(model.kind) == "rank"
    frame = frame.assign(
        value=frame["value"].where(~own, frame["rank"]), rank=frame["rank"].where(~own)
    )
    measures = [m for m in BLOCK_HEADERS if m in frame.columns]
    frame = frame[frame[measures].notna().any(axis=1)]
    when = t.get(f"when_earlier_{model.period[4:]}", t["when_earlier"])
    out = []
    for block, rows in frame.groupby("block", sort=False):
        shown = columns_with_data(rows)
        heads = [t["col_indicator"]] + [
            t[BLOCK_HEADERS[m]].format(when=when) for m in shown if m in BLOCK_HEADERS
        ]
        cells = [
            [say.name(r.indicator)] + [_block_cell(say, r, m) for m in shown if m in BLOCK_HEADERS]
            for r in rows.itertuples()
        ]
        out.append((block, words.BLOCKS[block], pd.DataFrame(cells, columns=heads)))
    return out


def _wholes(say: _Say) -> list[tuple[str, str]]:
    """(indicator, sentence) for the wholes a share implies: '...据此推算一般公共预算支出约
    13.8亿元。'"""
    model = say.model
    v, w = model.measures, model.codes
    if "whole_implied" not in v.columns:
        return []
    rows = model.table[model.table["measure"] == "whole_implied"].set_index("indicator")
    cat = model.catalog.indicators
    out = []
    for code in v.index[v["whole_implied"].notna()]:
        part = cat.loc[code, "share_part"] if code in cat.index else ""
        if not part or part not in v.index or _nan(v.loc[part, "value"]):
            continue
        whole = w.loc[code, "whole_implied"]
        out.append(
            (
                code,
                say.t["block_whole"].format(
                    part=say.name(part),
                    part_value=say.level(part),
                    whole=say.mid(whole),
                    share=say.level(code),
                    whole_value=say.fmt(v.loc[code, "whole_implied"], rows.loc[code, "unit"]),
                ),
            )
        )
    return out


def blocks(model: ReportModel, lang: str) -> Section:
    """Section 2: the main indicators, one small table per block (经济总量, 工业, ...)."""
    say = _Say(model, lang)
    frame = model.assessment.blocks
    block_of = dict(zip(frame["indicator"], frame["block"], strict=True))
    wholes = _wholes(say)
    wrap_heads = {say.t["col_value"], say.t["col_position"]}
    out: list[dict] = []
    for block, name, table in block_tables(model, lang):
        out.append({"type": "h3", "text": name})
        # the level and the rank columns may wrap (a rank with its group is long)
        wrap = tuple(i for i, h in enumerate(table.columns) if i and h in wrap_heads)
        out.append(say.table(table.columns, table.to_numpy().tolist(), wrap_cols=wrap))
        for code, sentence in wholes:
            if block_of.get(code) == block:
                out.append({"type": "p", "text": sentence, "cls": ""})
    if not out:
        out.append({"type": "p", "text": say.t["blocks_none"], "cls": "note"})
    return _section(say, "blocks", model.assessment.blocks, out)


# --- 7 against last year -------------------------------------------------------------------


def compare(model: ReportModel, lang: str) -> Section:
    """Section 7: this period against the same period last year and last year's H2."""
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


# --- 3 targets -----------------------------------------------------------------------------

#: How prominent a target's status is: both sides of the time line alike.
STATUS_CLASS = {
    "ahead": "ahead", "completed": "ahead", "met": "ahead", "above": "ahead",
    "reached": "ahead", "behind": "behind", "not met": "behind", "below": "behind",
    "short": "behind", "on time": "level",
}  # fmt: skip


def _pace(say: _Say, pct: float) -> str:
    """How the rest of the year compares with the part gone: '，比上半年多8.2%'."""
    if _nan(pct):
        return ""
    if round(pct, 1) == 0:
        return say.t["target_pace_same"].format(so_far=say.so_far)
    key = "target_pace_more" if pct > 0 else "target_pace_less"
    return say.t[key].format(pace=rounded(abs(pct)), so_far=say.so_far)


def _unsigned_pct(value: float) -> str:
    """A rate for prose whose words carry the direction: '5.7%' (增长5.7% / 下降5.7%)."""
    return f"{rounded(abs(value))}%"


def _required(say: _Say, r) -> str:
    """What the rest of the year must deliver for a target ('' in a full-year report)."""
    t = say.t
    if not say.rest:
        return ""
    if r.basis == "growth":
        if not _nan(r.h2_growth):
            key = "target_required_growth" + ("_down" if r.h2_growth < 0 else "")
            return t[key].format(rest=say.rest, value=_unsigned_pct(r.h2_growth))
        return t["target_required_reason"].format(reason=say.reason(r.h2_reason)) if (
            r.h2_reason
        ) else ""  # fmt: skip
    if _nan(r.h2_amount):
        return ""
    return t["target_required"].format(
        rest=say.rest, h2=say.fmt(r.h2_amount, r.unit), pace=_pace(say, r.h2_vs_h1_pct)
    )


def _achieved(say: _Say, r) -> tuple[str, str]:
    """A target's first-half achievement as its source wrote it, and the indicator that
    holds it when that is another one ('' otherwise)."""
    source = r.achieved_by or r.indicator
    via = say.t["target_via"].format(name=say.mid(r.achieved_by)) if r.achieved_by else ""
    if source in say.model.measures.index and _measure_of(say, r.indicator) == "value":
        return say.level(source), via
    return say.fmt(r.achieved, r.unit), via


def _measure_of(say: _Say, code: str) -> str:
    cat = say.model.catalog.indicators
    measure = cat.loc[code, "achieved_measure"] if code in cat.index else ""
    return measure or "value"


def target_sentence(say: _Say, r) -> str:
    """One target's status so far in a sentence (a row of ``assessment.target_status``)."""
    t, lang = say.t, say.lang
    name, so_far = say.name(r.indicator), say.so_far
    if r.basis == "growth":
        return t["target_growth"].format(
            name=name,
            target=texts.target_text(r.target, r.qualifier, lang=lang),
            so_far=so_far,
            growth=texts.growth_words(r.achieved, lang=lang),
            verdict=say.words.VERDICTS[r.status],
            required=_required(say, r),
        )
    target = say.fmt(r.target, r.unit, r.qualifier)
    if r.basis == "plan":
        return t["target_plan"].format(
            name=name,
            so_far=so_far,
            achieved=say.level(r.indicator),
            progress=_published_percent(r.progress_pct),
            timing=texts.timing_words(r.gap, lang=lang),
            target=target,
            required=_required(say, r),
        )
    achieved, via = _achieved(say, r)
    if r.basis == "end_level":
        status = say.words.STATUS[r.status]
        if r.status == "short":
            status = t["target_end_gap"].format(status=status, gap=say.fmt(abs(r.gap), r.unit))
        return t["target_end_level"].format(
            name=name, target=target, so_far=so_far, achieved=achieved, via=via, status=status
        )
    if r.status == "completed":
        return t["target_completed"].format(
            name=name, target=target, so_far=so_far, achieved=achieved, via=via,
            progress=format_percent(r.progress_pct),
        )  # fmt: skip
    return t["target_level"].format(
        name=name,
        target=target,
        so_far=so_far,
        achieved=achieved,
        via=via,
        progress=format_percent(r.progress_pct),
        timing=texts.timing_words(r.gap, lang=lang),
        required=_required(say, r),
    )


def targets(model: ReportModel, lang: str) -> Section:
    """Section 3: every annual target with its first-half status, ahead and behind alike.

    A chart of progress against the time line (every target with a share done), one
    sentence per target with its status tag (ahead, behind, met, ...) and what the second
    half must deliver, and the targets the data hold no first-half figure for.
    """
    say = _Say(model, lang)
    t = say.t
    status = model.assessment.targets
    blocks: list[dict] = []
    charts: dict[str, Chart] = {}
    if status.empty:
        blocks.append({"type": "p", "text": t["targets_none"], "cls": "note"})
        return _section(say, "targets", status, blocks)
    progress = status[status["progress_pct"].notna()]
    if not progress.empty:
        time_pct = float(progress["time_pct"].iloc[0])
        frame = pd.DataFrame(
            {
                "label": [say.name(c) for c in progress["indicator"]],
                "plan_pct": progress["progress_pct"].to_numpy(),
            }
        )
        chart_title = t["chart_target_progress"].format(progress=f"{time_pct:.0f}")
        options = {"time_progress": time_pct, "title": chart_title,
                   "xlabel": t["axis_target_progress"]}  # fmt: skip
        charts["progress"] = Chart(plots.plan_bullets, frame, options, alt=chart_title)
        blocks.append({"type": "figure", "chart": "progress"})
    items = [
        {
            "tag": say.words.STATUS[r.status],
            "cls": STATUS_CLASS.get(r.status, "level"),
            "text": target_sentence(say, r),
        }
        for r in status.itertuples()
        if r.status != "no achievement"
    ]
    if items:
        blocks.append({"type": "items", "items": items})
    missing = status[status["status"] == "no achievement"]
    if not missing.empty:
        listed = [
            t["target_item_growth"].format(
                name=say.mid(r.indicator),
                target=texts.target_text(r.target, r.qualifier, lang=lang),
            )
            if r.basis == "growth"
            else t["target_item"].format(
                name=say.mid(r.indicator), target=say.fmt(r.target, r.unit, r.qualifier)
            )
            for r in missing.itertuples()
        ]
        text = t["target_unmeasured"].format(
            n=len(listed), items=say.series(listed), so_far=say.so_far
        )
        blocks.append({"type": "items", "items": [
            {"tag": say.words.STATUS["no achievement"], "cls": "missing", "text": text}
        ]})  # fmt: skip
    return _section(
        say, "targets", status, blocks, charts=charts, frames={"year_targets": model.year_targets}
    )


# --- 4 peers and parents -------------------------------------------------------------------


def _rank(say: _Say, code: str) -> str:
    """A published rank with its peer group: '市内五区第一位'."""
    rank = say.model.measures.loc[code, "value"]
    return say.rank(rank, say.model.groups.loc[code, "value"] or "")


def group_rule(say: _Say, group: str) -> str:
    """A peer group named with the rule it was formed by (``Catalog.peer_rule``).

    A named group lists its members; a group by rule says why the region is compared with
    the units of its type in a region above.
    """
    cat = say.model.catalog
    rule = cat.peer_rule(group)
    members = cat.peer_groups.loc[group, "members"]
    names = say.t["list_joiner"].join(say.region(m) for m in members if m in cat.regions.index)
    return say.t[f"peer_rule_{rule['rule']}"].format(
        group=say.group(group),
        region=say.region(),
        parent=say.region(rule["parent"]) if rule["parent"] else "",
        members=names,
    )


def peers(model: ReportModel, lang: str) -> Section:
    """Section 4: published ranks, the region among its peers, and the levels above; each
    peer group named with the rule it was formed by."""
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
    used = [model.groups.loc[c, "value"] for c in v.index
            if model.kind(c) == "rank" and not _nan(v.loc[c, "value"])]  # fmt: skip
    used += [snap.group] if snap is not None else []
    own = model.catalog.peer_group(model.region) if not any(used) else None
    for group in dict.fromkeys(g for g in [*used, own] if g):
        text = t["peers_group"].format(rule=group_rule(say, group))
        if group == own:
            text += t["peers_no_figures"]
        blocks.append({"type": "p", "text": text, "cls": "note"})
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


# --- 5 problems ----------------------------------------------------------------------------


def _percent(value: float) -> str:
    """A growth rate in prose brackets: '8.9%', '-1.2%'."""
    return f"{rounded(value)}%"


def problem_sentences(model: ReportModel, lang: str) -> list[str]:
    """What lags (存在问题), one sentence per finding with its numbers, in rule order.

    Headline figures missing (P9) and targets without a first-half figure (P10) are one
    sentence each, naming every indicator; an empty list when no rule finds anything.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> problem_sentences(load_model("erqi", "2019H1"), "zh")[0]
    '全年规划建设路网：全年目标127条，上半年完成61条，占48.0%，慢于时间进度2.0个百分点。'
    """
    say = _Say(model, lang)
    t, words = say.t, say.words
    found = model.assessment.problems
    status = model.assessment.targets.set_index("indicator")
    out: list[str] = []
    for code, rows in found.groupby("code", sort=False):
        if code == "headline_missing":
            names = say.series([say.mid(c) for c in rows["indicator"]])
            out.append(t["problem_headline_missing"].format(names=names))
            continue
        if code == "target_unmeasured":
            names = say.series([say.mid(c) for c in rows["indicator"]])
            out.append(
                t["problem_target_unmeasured"].format(names=names, n=len(rows), so_far=say.so_far)
            )
            continue
        for r in rows.itertuples():
            name = say.name(r.indicator)
            fields: dict = {
                "name": name,
                "diff": rounded(abs(r.diff)) if not _nan(r.diff) else "",
                "so_far": say.so_far,
            }
            if code == "target_behind":
                s = status.loc[r.indicator]
                source = s["achieved_by"] or r.indicator
                fields |= {
                    "target": say.fmt(s["target"], s["unit"], s["qualifier"]),
                    "achieved": say.level(source)
                    if source in model.measures.index
                    else say.fmt(s["achieved"], s["unit"]),
                    "progress": (_published_percent if s["basis"] == "plan" else format_percent)(
                        r.value
                    ),
                }
            elif code == "growth_target_not_met":
                fields |= {
                    "growth": texts.growth_words(r.value, lang=lang),
                    "target": texts.target_text(r.reference, r.against, lang=lang),
                }
            elif code == "end_target_short":
                fields |= {
                    "value": say.fmt(r.value, r.unit),
                    "target": say.fmt(r.reference, r.unit),
                    "gap": say.fmt(abs(r.diff), r.unit),
                }
            elif code == "adverse_count":
                fields["value"] = say.level(r.indicator)
            else:
                fields["growth"] = texts.growth_words(r.value, lang=lang)
                if not _nan(r.reference):
                    fields["reference"] = _percent(r.reference)
                if code == "slower_than_earlier":
                    fields["when"] = _when(say, "earlier", "")
                if code == "below_parent":
                    region = (
                        model.codes.loc[r.indicator, f"yoy_{r.against}"]
                        if f"yoy_{r.against}" in model.codes.columns
                        else ""
                    )
                    fields["parent"] = _when(say, r.against, region)
            out.append(words.PROBLEMS[code].format(**fields))
    return out


def problems(model: ReportModel, lang: str) -> Section:
    """Section 5: what lags, by the problem rules, each with its numbers; when the rules
    find nothing, one line says so."""
    say = _Say(model, lang)
    sentences = problem_sentences(model, lang)
    if sentences:
        blocks = [{"type": "ol", "items": sentences}]
    else:
        blocks = [{"type": "p", "text": say.t["problems_none"], "cls": ""}]
    return _section(say, "problems", model.assessment.problems, blocks)


# --- 6 outlook -----------------------------------------------------------------------------


def outlook_sentences(model: ReportModel, lang: str) -> tuple[list[str], list[str]]:
    """What the second half must deliver per target, and the full-year projections with
    their ranges: one plain sentence each.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> targets, projected = outlook_sentences(load_model("erqi", "2019H1"), "zh")
    >>> targets[1]
    '全年规划建设路网：下半年需完成66条，比上半年多8.2%。'
    """
    say = _Say(model, lang)
    t, words = say.t, say.words
    frame = model.assessment.outlook
    status = model.assessment.targets.set_index("indicator")
    due, projected = [], []
    # a full-year report has no rest of the year to speak of
    for r in frame[frame["kind"] == "target"].itertuples() if say.rest else ():
        name = say.name(r.indicator)
        if r.basis == "growth":
            s = status.loc[r.indicator]
            target = texts.target_text(s["target"], s["qualifier"], lang=lang)
            if _nan(r.h2_growth):
                reason = say.reason(s["h2_reason"]) if s["h2_reason"] else NONE
                due.append(t["outlook_growth_unknown"].format(
                    name=name, target=target, reason=reason, rest=say.rest))  # fmt: skip
            else:
                key = "outlook_growth" + ("_down" if r.h2_growth < 0 else "")
                due.append(t[key].format(
                    name=name, target=target, h2=_unsigned_pct(r.h2_growth), rest=say.rest
                ))  # fmt: skip
            continue
        due.append(
            t["outlook_level"].format(
                name=name,
                h2=say.fmt(r.h2_amount, r.unit),
                pace=_pace(say, r.h2_vs_h1_pct),
                rest=say.rest,
            )
        )
    shown = {p.indicator: p for p in model.projections}
    for r in frame[frame["kind"] == "projection"].itertuples():
        name = say.name(r.indicator)
        unit = shown[r.indicator].unit if r.indicator in shown else ""
        if r.status != "ok":
            projected.append(t["outlook_projection_none"].format(name=name))
            continue
        position = ""
        if r.target_position:
            # against the range, or against the projection itself when it has no range
            kind = "outlook_point_" if _nan(r.lower) else "outlook_target_"
            key = kind + r.target_position.split()[0]
            position = t[key].format(target=say.fmt(r.target_level, unit))
        values = {
            "name": name,
            "method": words.METHODS[r.method],
            "projected": say.fmt(r.projected, unit),
            "position": position,
        }
        if _nan(r.lower):
            projected.append(t["outlook_projection_no_interval"].format(**values))
        else:
            projected.append(
                t["outlook_projection"].format(
                    **values,
                    level=round(100 * r.level),
                    lower=say.fmt(r.lower, unit),
                    upper=say.fmt(r.upper, unit),
                    record=_interval_record(say, shown.get(r.indicator), r.method, r.level),
                )
            )
    return due, projected


def _interval_record(say: _Say, shown: Projection | None, method: str, level: float) -> str:
    """How often the method's interval held the outcome in the backtest the report shows
    (the region's own, or the nearest level above's), or that it is untested."""
    t = say.t
    tested = pd.DataFrame() if shown is None else shown.backtest
    row = tested[tested["method"] == method] if not tested.empty else tested
    if row.empty or not int(row["n_interval"].iloc[0]):
        return t["outlook_record_none"]
    values = {
        "level": round(100 * level),
        "n": int(row["n_interval"].iloc[0]),
        "covered": int(row["n_covered"].iloc[0]),
    }
    if shown.backtest_region == say.model.region:
        return t["outlook_record_own"].format(**values)
    return t["outlook_record_proxy"].format(**values, proxy=say.region(shown.backtest_region))


def outlook(model: ReportModel, lang: str) -> Section:
    """Section 6: what the second half must deliver for each target, the full year
    projected with its range (one sentence each), then the level over the years and each
    projection's methods and backtest."""
    say = _Say(model, lang)
    t = say.t
    blocks: list[dict] = []
    charts: dict[str, Chart] = {}
    due, projected = outlook_sentences(model, lang)
    if due:
        blocks.append({"type": "h3", "text": t["outlook_targets"].format(rest=say.rest)})
        blocks.append({"type": "list", "items": due})
    if projected:
        blocks.append({"type": "h3", "text": t["outlook_projections"]})
        blocks.append({"type": "list", "items": projected})
    if not due and not projected:
        blocks.append({"type": "p", "text": t["outlook_none"], "cls": "note"})
    span = model.span
    if span.code != f"{span.year}H1":
        blocks.append({"type": "p", "text": t["proj_not_h1"], "cls": "note"})
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
    for projection in model.projections:
        blocks += _projection_blocks(say, projection, charts)
    tables = [p.table.assign(indicator=p.indicator) for p in model.projections]
    projections = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    frames = {"projections": projections, "series": series}
    return _section(say, "outlook", model.assessment.outlook, blocks, charts=charts,
                    frames=frames)  # fmt: skip


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
    rows, notes = [], []
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
        rows.append([methods[r.method], say.fmt(r.projected, p.unit), interval])
        notes.append(t["proj_none_item"].format(method=methods[r.method], reason=note))
    blocks.append({"type": "h3", "text": t["proj_methods"]})
    heads = [t["proj_col_method"], t["proj_col_projected"], t["proj_col_interval"]]
    # the numbers in a table that fits a phone; what each method assumes, as prose below it
    blocks.append(say.table(heads, rows, wrap_cols=(2,)))
    blocks.append({"type": "list", "items": notes})
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
        rows = _backtest_rows(say, p.backtest)
        # a column no method has a figure in is left out
        keep = [i for i in range(len(heads)) if i == 0 or any(r[i] != t["none"] for r in rows)]
        blocks.append(say.table([heads[i] for i in keep], [[r[i] for i in keep] for r in rows]))
    for warning in p.warnings:
        blocks.append({"type": "p", "text": say.reason(warning), "cls": "note"})
    return blocks


#: Sources of one figure listed one by one up to this many; beyond, the lowest and highest.
MAX_CONFLICT_LISTED = 4


def conflict_rows(say: _Say, conflicts: pd.DataFrame) -> list[list[str]]:
    """One row per figure the sources state differently: its period, what it is, and each
    source's value with its unit (a growth rate always with its %) and place.

    Examples
    --------
    >>> from analysis.report.model import load_model
    >>> model = load_model("erqi", "2019H1")
    >>> period, what, values = conflict_rows(_Say(model, "zh"), model.conflicts)[0]
    >>> period, what
    ('2017年全年', '地区生产总值同比增速')
    >>> values
    '+9.0%（published_figures.csv:256）；+9.1%（published_figures.csv:257）'
    """
    t, column = say.t, say.words.ARG_WORDS["column"]
    rows = []
    keys = ["period", "indicator", "measure"]
    for (period, code, measure), group in conflicts.groupby(keys, sort=False):
        stated = []
        for r in group.sort_values("value", kind="stable").itertuples():
            if measure == "yoy_pct":
                number = format_growth(r.value)
            elif measure == "plan_pct":
                number = format_percent(r.value)
            else:
                number = say.fmt(r.value, r.unit, decimals=None if _nan(r.decimals) else r.decimals)
            stated.append(t["conflict_value"].format(value=number, source=r.source))
        if len(stated) > MAX_CONFLICT_LISTED:
            text = t["conflict_many"].format(n=len(stated), lowest=stated[0], highest=stated[-1])
        else:
            text = t["conflict_joiner"].join(stated)
        what = t["conflict_what"].format(name=say.name(code), measure=column[measure])
        rows.append([say.period(period), what, text])
    return rows


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


# --- 8 data notes --------------------------------------------------------------------------


def notes(model: ReportModel, lang: str) -> Section:
    """Section 8: sources, gaps, disagreements between sources, rechecks, rejected rows."""
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
        # a list, not a table: the values and their places read on a phone without scrolling
        lines = [
            t["conflict_line"].format(period=period, what=what, values=values)
            for period, what, values in conflict_rows(say, model.conflicts)
        ]
        blocks.append({"type": "list", "items": lines})
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


# --- 9 methods and provenance --------------------------------------------------------------


def methods(model: ReportModel, lang: str) -> Section:
    """Section 9: formulas, the rules of the judgment and the problems, and the provenance
    of the report (parameters, files, versions)."""
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
    rules = [
        t["rule_item"].format(rule=rule, condition=condition)
        for rule, condition in say.words.RULES.items()
    ]
    blocks = [
        {"type": "h3", "text": t["methods_formulas"]},
        {"type": "list", "items": list(say.words.FORMULAS)},
        {"type": "h3", "text": t["methods_rules"]},
        {"type": "list", "items": rules},
        {"type": "h3", "text": t["methods_provenance"]},
        block,
    ]
    return _section(say, "methods", prov.files, blocks)


BUILDERS = {
    "judgment": judgment,
    "blocks": blocks,
    "targets": targets,
    "peers": peers,
    "problems": problems,
    "outlook": outlook,
    "compare": compare,
    "notes": notes,
    "methods": methods,
}
