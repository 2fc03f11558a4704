"""Report parameters, the figures a report shows, and notebook runs to HTML.

``check_parameters`` validates a report's parameters against the processed data before any
kernel starts; ``headline_figures`` and ``format_headline`` give the headline table;
``run_report`` executes the report notebook with papermill and exports HTML without code.
All wording of the reports lives in ``TEXTS``, in Chinese and English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import catalog, periods
from analysis.config import LANGUAGES, paths
from analysis.vintages import select_vintage

TEXTS = {
    "zh": {
        "title": "{region}{period}经济运行情况",
        "subtitle": "数据来源:已公开发布的统计数据,经 halfyear 清洗与校验;共 {n} 项指标。",
        "headline": "主要指标",
        "col_indicator": "指标",
        "col_value": "本期",
        "col_growth": "同比增长",
        "col_plan": "占年度计划",
        "col_rank": "排名",
        "growth_chart_title": "{indicator}同比增长:{region}与上级地区",
        "growth_chart_xlabel": "同比增长(%)",
        "no_growth_chart": "本期没有可与上级地区比较的{indicator}增速数据。",
        "rank": "{group}第{rank}位",
        "rank_no_group": "第{rank}位",
        "above": "高于平均",
        "below": "低于平均",
    },
    "en": {
        "title": "{region}: economic situation, {period}",
        "subtitle": "Source: published statistics, cleaned and validated by halfyear; "
        "{n} indicators.",
        "headline": "Headline figures",
        "col_indicator": "Indicator",
        "col_value": "This period",
        "col_growth": "Year on year",
        "col_plan": "Share of annual plan",
        "col_rank": "Rank",
        "growth_chart_title": "{indicator} growth: {region} and the levels above it",
        "growth_chart_xlabel": "Year-on-year growth (%)",
        "no_growth_chart": "No {indicator} growth to compare with the levels above for this "
        "period.",
        "rank": "{rank} among {group}",
        "rank_no_group": "rank {rank}",
        "above": "above average",
        "below": "below average",
    },
}


class ParameterError(ValueError):
    """A report parameter that the data or the package cannot serve."""


@dataclass(frozen=True)
class ReportParameters:
    """Validated report parameters: region code, canonical period, language, data path."""

    region: str
    period: str
    lang: str
    data_path: Path


def report_periods(figures: pd.DataFrame) -> pd.DataFrame:
    """Regions and periods that have figures for a report (targets excluded), with counts.

    Examples
    --------
    >>> f = pd.DataFrame({"region": ["erqi", "erqi", "china"], "period": ["2019H1"] * 3,
    ...                   "is_target": [False, True, False]})
    >>> report_periods(f).values.tolist()
    [['china', '2019H1', 1], ['erqi', '2019H1', 1]]
    """
    actual = figures[~figures["is_target"]]
    counts = actual.groupby(["region", "period"]).size().rename("figures").reset_index()
    return counts.sort_values(["region", "period"], kind="stable").reset_index(drop=True)


def check_parameters(
    *, region: str, period: str, lang: str, figures: pd.DataFrame, data_path: Path
) -> ReportParameters:
    """Validate report parameters against the data; the message lists what is valid.

    Raises
    ------
    ParameterError
        For an unknown language, an unknown region, a region without data, or a period
        without data for the region.

    Examples
    --------
    >>> f = pd.DataFrame({"region": ["erqi"], "period": ["2019H1"], "is_target": [False]})
    >>> check_parameters(region="二七区", period="2019年上半年", lang="zh", figures=f,
    ...                  data_path=Path("x.parquet")).period
    '2019H1'
    >>> check_parameters(region="erqi", period="2018H1", lang="zh", figures=f,
    ...                  data_path=Path("x.parquet"))
    Traceback (most recent call last):
    ...
    analysis.reporting.ParameterError: no figures for erqi in 2018H1; periods with data ...: 2019H1
    """
    if lang not in LANGUAGES:
        raise ParameterError(f"unknown language {lang!r}; available: {', '.join(LANGUAGES)}")
    available = report_periods(figures)
    with_data = sorted(set(available["region"]))
    try:
        code = catalog.region_code(region)
    except catalog.CatalogError:
        raise ParameterError(
            f"unknown region {region!r}; regions with data: {', '.join(with_data)}"
        ) from None
    if code not in with_data:
        raise ParameterError(
            f"no figures for region {code}; regions with data: {', '.join(with_data)}"
        )
    try:
        canonical = periods.parse_period(str(period)).code
    except periods.PeriodError as err:
        raise ParameterError(f"period {period!r}: {err}") from None
    have = available.loc[available["region"] == code, "period"].tolist()
    if canonical not in have:
        raise ParameterError(
            f"no figures for {code} in {canonical}; periods with data for {code}: {', '.join(have)}"
        )
    return ReportParameters(code, canonical, lang, Path(data_path))


def headline_figures(figures: pd.DataFrame, *, region: str, period: str) -> pd.DataFrame:
    """The latest figures of a region and period, in catalog order, targets excluded.

    Examples
    --------
    >>> from analysis.pipeline import load_figures
    >>> h = headline_figures(load_figures(), region="erqi", period="2019H1")
    >>> h.loc[h["indicator"] == "gdp", ["value", "unit", "yoy_pct"]].values.tolist()
    [[323.3, '亿元', 8.0]]
    """
    rows = figures[
        (figures["region"] == region) & (figures["period"] == period) & ~figures["is_target"]
    ]
    latest = select_vintage(rows, which="latest")
    if latest.empty:
        return latest
    order = {code: i for i, code in enumerate(catalog.indicators().index)}
    latest = latest.assign(_order=latest["indicator"].map(order).fillna(len(order)))
    return latest.sort_values(["_order", "indicator"], kind="stable").drop(columns="_order")


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= 10000 else f"{int(value)}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def format_value(value: float, unit: str, qualifier: str = "") -> str:
    """A level as Chinese reports write it: the number, the unit, the qualifier.

    Examples
    --------
    >>> format_value(323.3, "亿元"), format_value(22, "万件", "余"), format_value(5688, "套")
    ('323.3亿元', '22万余件', '5688套')
    >>> format_value(float("nan"), "亿元")
    '—'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = _number(value)
    if qualifier == "余" and unit.startswith("万"):
        return f"{number}万余{unit[1:]}"
    if qualifier in ("余", "以上", "左右"):
        return f"{number}{unit}{qualifier}"
    if qualifier in ("约", "突破", "超过", "接近", "近"):
        return f"{qualifier}{number}{unit}"
    return f"{number}{unit}"


def format_growth(value: float) -> str:
    """Growth with a sign and one decimal: '+8.0%'; a gap is '—'.

    Examples
    --------
    >>> format_growth(8), format_growth(-1.55), format_growth(float("nan"))
    ('+8.0%', '-1.6%', '—')
    """
    if value is None or math.isnan(value):
        return "—"
    return f"{value:+.1f}%"


def format_headline(headline: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The headline figures as a table of display strings, columns named in ``lang``.

    Examples
    --------
    >>> h = pd.DataFrame({"indicator": ["gdp"], "indicator_zh": ["地区生产总值"],
    ...     "catalogued": [True], "kind": ["flow"], "value": [323.3], "unit": ["亿元"],
    ...     "qualifier": [""], "yoy_pct": [8.0], "plan_pct": [float("nan")],
    ...     "peer_group": [""]})
    >>> format_headline(h, lang="en").values.tolist()
    [['GDP', '323.3亿元', '+8.0%', '—']]
    """
    text = TEXTS[lang]
    cat = catalog.indicators()
    groups = catalog.peer_groups()
    rows = []
    for r in headline.itertuples():
        if r.catalogued:
            name = cat.loc[r.indicator, "name_zh" if lang == "zh" else "name_en"]
        else:
            name = r.indicator_zh
        if r.kind == "rank" and not math.isnan(r.value):
            group = ""
            if r.peer_group:
                group = groups.loc[r.peer_group, "name_zh" if lang == "zh" else "name_en"]
            key = "rank" if group else "rank_no_group"
            shown = text[key].format(rank=int(r.value), group=group)
        elif r.kind == "relation":
            shown = text["above"] if r.value > 0 else text["below"]
        else:
            unit = "" if r.kind in ("rank",) else r.unit
            shown = format_value(r.value, unit, r.qualifier)
        plan = "—" if math.isnan(r.plan_pct) else f"{r.plan_pct:.1f}%"
        rows.append([name, shown, format_growth(r.yoy_pct), plan])
    columns = [text["col_indicator"], text["col_value"], text["col_growth"], text["col_plan"]]
    return pd.DataFrame(rows, columns=columns)


def region_label(code: str, *, lang: str) -> str:
    """A region's name in the report's language.

    Examples
    --------
    >>> region_label("erqi", lang="zh"), region_label("erqi", lang="en")
    ('二七区', 'Erqi')
    """
    return catalog.regions().loc[code, "name_zh" if lang == "zh" else "name_en"]


def ancestors(code: str) -> list[str]:
    """The region's parents up to the nation, nearest first.

    Examples
    --------
    >>> ancestors("erqi")
    ['zhengzhou', 'henan', 'china']
    """
    regs = catalog.regions()
    chain = []
    parent = regs.loc[code, "parent"]
    while parent:
        chain.append(parent)
        parent = regs.loc[parent, "parent"]
    return chain


def growth_against_parents(
    figures: pd.DataFrame, *, region: str, period: str, indicator: str, lang: str
) -> pd.DataFrame:
    """Growth of one indicator for a region and each level above it, in the same period.

    Levels without the figure are left out of the table (they are gaps, not zeros).

    Examples
    --------
    >>> from analysis.pipeline import load_figures
    >>> t = growth_against_parents(load_figures(), region="erqi", period="2019H1",
    ...                            indicator="gdp", lang="zh")
    >>> t[["label", "yoy_pct"]].values.tolist()
    [['二七区', 8.0], ['河南省', 7.7], ['全国', 6.3]]
    """
    codes = [region, *ancestors(region)]
    rows = figures[
        figures["region"].isin(codes)
        & (figures["period"] == period)
        & (figures["indicator"] == indicator)
        & ~figures["is_target"]
    ]
    latest = select_vintage(rows, which="latest").dropna(subset=["yoy_pct"])
    latest = latest.set_index("region").reindex([c for c in codes if c in set(latest["region"])])
    return pd.DataFrame(
        {
            "region": latest.index,
            "label": [region_label(c, lang=lang) for c in latest.index],
            "yoy_pct": latest["yoy_pct"].to_numpy(),
        }
    )


def report_name(params: ReportParameters) -> str:
    """File stem of a report: region, period and language.

    Examples
    --------
    >>> report_name(ReportParameters("erqi", "2019H1", "zh", Path("x")))
    'erqi_2019H1_zh'
    """
    return f"{params.region}_{params.period}_{params.lang}"


def report_title(params: ReportParameters) -> str:
    """The report's title in its language.

    Examples
    --------
    >>> report_title(ReportParameters("erqi", "2019H1", "zh", Path("x")))
    '二七区2019年上半年经济运行情况'
    """
    period = periods.Period.from_code(params.period).label(params.lang)
    return TEXTS[params.lang]["title"].format(
        region=region_label(params.region, lang=params.lang), period=period
    )


def export_html(notebook: Path, html_path: Path, *, title: str) -> Path:
    """Write an executed notebook as HTML for readers: no code, no parameters cells."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(notebook, as_version=4)
    remover = TagRemovePreprocessor(
        remove_cell_tags={"parameters", "injected-parameters", "remove"}, enabled=True
    )
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.register_preprocessor(remover, enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(html_path)
    return html_path


def run_report(params: ReportParameters, *, out_dir: Path | None = None) -> Path:
    """Execute the report notebook with papermill and write its HTML; returns the HTML path.

    The executed notebook is kept under ``reports/executed/`` for debugging.
    """
    import papermill

    out_dir = Path(out_dir) if out_dir else paths().reports
    executed = out_dir / "executed" / f"{report_name(params)}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(paths().report_notebook),
        str(executed),
        parameters={
            "region": params.region,
            "period": params.period,
            "lang": params.lang,
            "data_path": str(params.data_path),
        },
        kernel_name="python3",
        cwd=str(paths().notebooks),
        progress_bar=False,
        log_output=False,
    )
    return export_html(
        executed, out_dir / f"{report_name(params)}.html", title=report_title(params)
    )


def growth_chart(figures: pd.DataFrame, params: ReportParameters, *, indicator: str = "gdp"):
    """The growth comparison chart as an image to display, or a one-line note without data.

    Returns an ``IPython.display.Image`` (PNG) when the region and at least one level above
    it have the indicator's growth, else an ``IPython.display.Markdown`` saying so.

    Examples
    --------
    >>> from analysis.pipeline import load_figures
    >>> p = ReportParameters("erqi", "2019H1", "en", Path("x"))
    >>> type(growth_chart(load_figures(), p)).__name__
    'Image'
    >>> type(growth_chart(load_figures(), p, indicator="retail_sales")).__name__
    'Markdown'
    """
    from IPython.display import Image, Markdown

    from analysis import plots

    text = TEXTS[params.lang]
    name = catalog.indicators().loc[indicator, "name_zh" if params.lang == "zh" else "name_en"]
    table = growth_against_parents(
        figures,
        region=params.region,
        period=params.period,
        indicator=indicator,
        lang=params.lang,
    )
    if len(table) < 2 or params.region not in set(table["region"]):
        return Markdown(text["no_growth_chart"].format(indicator=name))
    label = region_label(params.region, lang=params.lang)
    fig = plots.growth_comparison(
        table,
        highlight=label,
        title=text["growth_chart_title"].format(indicator=name, region=label),
        xlabel=text["growth_chart_xlabel"],
    )
    return Image(data=plots.to_png(fig), format="png")
