"""Report parameters, notebook runs, the reader's HTML file and the index of reports.

``check_parameters`` validates a report's parameters against the processed data before any
kernel starts; ``run_report`` executes the report notebook with papermill and
``export_html`` writes one self-contained HTML file for readers (no code, no parameters
cell, no scripts, the CJK font subset embedded); ``write_index`` lists every report.
The report's content is built by ``analysis.report.sections``.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from analysis import catalog, periods
from analysis.config import LANGUAGES, paths
from analysis.errors import HalfyearError
from analysis.report.texts import words

TEMPLATES = Path(__file__).parent / "templates"
FONT_FAMILY = "HalfyearCJK"
_CJK_OR_TEXT = re.compile(r"[^\x00-\x7f]")


class ParameterError(HalfyearError, ValueError):
    """A report parameter that the data or the package cannot serve."""


@dataclass(frozen=True)
class ReportParameters:
    """Validated report parameters: region code, canonical period, language, data path.

    ``data_path`` None means the project's processed table.
    """

    region: str
    period: str
    lang: str
    data_path: Path | None


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
    *, region: str, period: str, lang: str, figures: pd.DataFrame, data_path=None
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
    >>> check_parameters(region="二七区", period="2019年上半年", lang="zh", figures=f).period
    '2019H1'
    >>> check_parameters(region="erqi", period="2018H1", lang="zh", figures=f)
    Traceback (most recent call last):
    ...
    analysis.report.reporting.ParameterError: no figures for erqi in 2018H1; periods ...: 2019H1
    """
    if lang not in LANGUAGES:
        raise ParameterError(f"unknown language {lang!r}; available: {', '.join(LANGUAGES)}")
    available = report_periods(figures)
    with_data = sorted(set(available["region"]))
    try:
        code = catalog.region_code(region)
    except catalog.AmbiguousRegionError as err:
        raise ParameterError(f"{err}; regions with data: {', '.join(with_data)}") from None
    except catalog.CatalogError:
        raise ParameterError(
            f"unknown region {region!r}; regions with data: {', '.join(with_data)} (search "
            "every region of the national registry with `halfyear regions QUERY`)"
        ) from None
    if code not in with_data:
        raise ParameterError(
            f"no figures for {catalog.regions().loc[code, 'name_zh']} yet: add them with "
            f"`halfyear template --region {code} --period {period} --out FILE.xlsx`, fill in "
            "the workbook, put it in data/raw and run `make data`; regions with data: "
            f"{', '.join(with_data)}"
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
    return ReportParameters(code, canonical, lang, Path(data_path) if data_path else None)


def region_label(code: str, *, lang: str) -> str:
    """A region's name in the report's language.

    Examples
    --------
    >>> region_label("erqi", lang="zh"), region_label("erqi", lang="en")
    ('二七区', 'Erqi')
    """
    return catalog.regions().loc[code, "name_zh" if lang == "zh" else "name_en"]


def report_name(params: ReportParameters) -> str:
    """File stem of a report: region, period and language.

    Examples
    --------
    >>> report_name(ReportParameters("erqi", "2019H1", "zh", None))
    'erqi_2019H1_zh'
    """
    return f"{params.region}_{params.period}_{params.lang}"


def report_title(params: ReportParameters) -> str:
    """The report's title in its language.

    Examples
    --------
    >>> report_title(ReportParameters("erqi", "2019H1", "zh", None))
    '二七区2019年上半年经济运行情况'
    >>> report_title(ReportParameters("erqi", "2019H1", "en", None))
    'Erqi: economic situation, 2019 H1'
    """
    period = periods.Period.from_code(params.period).label(params.lang)
    return words(params.lang)["title"].format(
        region=region_label(params.region, lang=params.lang), period=period
    )


# --- the reader's HTML --------------------------------------------------------------------


@functools.cache
def _font_file(path: Path) -> bytes:
    """The bytes of a font file, read once per process (16 MB for the CJK font)."""
    return path.read_bytes()


def font_face_css(text: str) -> str:
    """A CSS @font-face with the shipped CJK font cut down to the characters of ``text``.

    The subset is a WOFF file embedded as a data URI, so Chinese renders the same on a PC
    or phone without the font and without any request. Same text, same bytes.

    Examples
    --------
    >>> css = font_face_css("二七区")
    >>> css.startswith('@font-face{font-family:"HalfyearCJK"') and "data:font/woff;base64," in css
    True
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from analysis.report.plots import cjk_font_path

    chars = sorted(set(_CJK_OR_TEXT.findall(text)) | set(" 0123456789.,:;%+-()/"))
    # the font file is read once per process; its bounds are kept (they bound the subset),
    # not recomputed from every glyph
    font = TTFont(
        io.BytesIO(_font_file(cjk_font_path())),
        lazy=True,
        recalcTimestamp=False,
        recalcBBoxes=False,
    )
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = [1, 2]
    options.notdef_outline = True
    options.desubroutinize = True  # faster to write, and smaller for a few thousand glyphs
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer, reorderTables=True)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'@font-face{{font-family:"{FONT_FAMILY}";font-style:normal;font-weight:400;'
        f'src:url(data:font/woff;base64,{data}) format("woff");}}'
    )


def export_html(notebook: Path, html_path: Path, *, title: str, lang: str = "zh") -> Path:
    """Write an executed notebook as the reader's HTML: outputs only, one file.

    The ``halfyear`` nbconvert template drops code, prompts and scripts; cells tagged
    ``parameters``, ``injected-parameters`` or ``remove`` are left out. The file is written
    atomically (a temporary file renamed over the target).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(notebook, as_version=4)
    exporter = HTMLExporter(
        template_name="halfyear",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={"parameters", "injected-parameters", "remove"}, enabled=True
        ),
        enabled=True,
    )
    resources = {"metadata": {"name": title}, "halfyear_lang": "zh-CN" if lang == "zh" else "en"}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    visible = re.sub(r"data:[^\"')]+", "", body)
    body = body.replace("</style>", "</style>\n<style>" + font_face_css(visible) + "</style>", 1)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(f".{html_path.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(html_path)
    return html_path


def headline_figure(params: ReportParameters) -> str:
    """The first headline figure of a report, for the index: '地区生产总值 323.3亿元 +8.0%'.

    Examples
    --------
    >>> headline_figure(ReportParameters("erqi", "2019H1", "zh", None))
    '地区生产总值 323.3亿元 +8.0%'
    """
    from analysis.report.sections import ReportData, headline_rows

    rows = headline_rows(ReportData.load(params))
    if rows.empty:
        return ""
    first = rows.iloc[0]
    return " ".join(str(x) for x in first.iloc[:3] if x != "—")


def run_report(params: ReportParameters, *, out_dir: Path | None = None) -> Path:
    """Execute the report notebook with papermill and write its HTML; returns the HTML path.

    The executed notebook is kept under ``<out_dir>/executed/`` for debugging, and a small
    ``<name>.json`` beside the HTML records what ``write_index`` lists.
    """
    import papermill

    out_dir = Path(out_dir) if out_dir else paths().reports
    name = report_name(params)
    executed = out_dir / "executed" / f"{name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(paths().report_notebook),
        str(executed),
        parameters={
            "region": params.region,
            "period": params.period,
            "lang": params.lang,
            "data_path": str(params.data_path or ""),
        },
        kernel_name="python3",
        cwd=str(paths().notebooks),
        progress_bar=False,
        log_output=False,
        kernel_manager_class="analysis.report.kernels.LocalKernelManager",
    )
    title = report_title(params)
    html_path = export_html(executed, out_dir / f"{name}.html", title=title, lang=params.lang)
    record = {
        **asdict(params),
        "data_path": str(params.data_path or ""),
        "title": title,
        "html": html_path.name,
        "headline": headline_figure(params),
    }
    sidecar = out_dir / f"{name}.json"
    sidecar.write_text(
        json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )
    return html_path


def write_index(out_dir: Path | None = None) -> Path:
    """Write ``index.html`` listing every report in ``out_dir`` with a link to it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "x_2019H1_zh.json").write_text(json.dumps({"region": "erqi",
    ...         "period": "2019H1", "lang": "zh", "title": "<t>", "html": "x.html",
    ...         "headline": "GDP"}))
    ...     text = write_index(Path(d)).read_text(encoding="utf-8")
    >>> "&lt;t&gt;" in text and 'href="x.html"' in text
    True
    """
    out_dir = Path(out_dir) if out_dir else paths().reports
    records = []
    for sidecar in sorted(out_dir.glob("*.json")):
        try:
            record = json.loads(sidecar.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        if {"region", "period", "lang", "html"} <= set(record):
            records.append(record)
    records.sort(key=lambda r: (r["region"], r["period"], r["lang"]))
    rows = "\n".join(
        f"<tr><td>{html.escape(r['region'])}</td><td>{html.escape(r['period'])}</td>"
        f"<td>{html.escape(r['lang'])}</td><td>{html.escape(r.get('headline', ''))}</td>"
        f'<td><a href="{html.escape(r["html"], quote=True)}">{html.escape(r.get("title", ""))}'
        "</a></td></tr>"
        for r in records
    )
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        "<title>halfyear reports</title>\n<style>body{font-family:sans-serif;margin:1rem;}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.3rem .6rem;"
        "text-align:left}</style>\n</head>\n<body>\n<h1>halfyear reports</h1>\n"
        f"<p>{len(records)} reports</p>\n<table>\n<thead><tr><th>region</th><th>period</th>"
        "<th>language</th><th>headline</th><th>report</th></tr></thead>\n<tbody>\n"
        f"{rows}\n</tbody>\n</table>\n</body>\n</html>\n"
    )
    index = out_dir / "index.html"
    tmp = out_dir / ".index.html.tmp"
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(index)
    return index
