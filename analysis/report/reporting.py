"""Report parameters, the one run of a report notebook, the reader's HTML and the index.

``check_parameters`` validates a report's parameters against the processed data before any
kernel starts. ``run_report`` is the one way a report is made: it executes the report
notebook with papermill (in a fresh kernel, or in the engine it is given, such as the
batch's warm kernel), reads the record the notebook's last cell displays (title, headline,
key numbers), exports the reader's HTML (``export_html``: no code, no parameters cell, no
scripts, the CJK font subset embedded) and writes the sidecar ``<name>.json`` that
``write_index`` lists. The report's content is built by ``analysis.report.document``.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import json
import queue
import re
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from analysis import periods
from analysis.catalog import AmbiguousRegionError, CatalogError
from analysis.catalog import load as load_catalog
from analysis.config import LANGUAGES, paths
from analysis.data import store
from analysis.errors import HalfyearError
from analysis.report.params import ReportParameters, report_name
from analysis.report.texts import Names, words

TEMPLATES = Path(__file__).parent / "templates"
FONT_FAMILY = "HalfyearCJK"
_CJK_OR_TEXT = re.compile(r"[^\x00-\x7f]")


class ParameterError(HalfyearError, ValueError):
    """A report parameter that the data or the package cannot serve."""


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
    *, region: str, period: str, lang: str, figures: pd.DataFrame | None = None, data_path=None
) -> ReportParameters:
    """Validate report parameters against the data; the message lists what is valid.

    ``figures`` is the processed table (read from ``data_path`` when not given).

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
    if figures is None:
        from analysis.data.store import load_figures

        try:
            figures = load_figures(Path(data_path) if data_path else None)
        except FileNotFoundError as err:
            raise ParameterError(str(err)) from None
    available = report_periods(figures)
    with_data = sorted(set(available["region"]))
    try:
        code = load_catalog().region_code(region)
    except AmbiguousRegionError as err:
        raise ParameterError(f"{err}; regions with data: {', '.join(with_data)}") from None
    except CatalogError:
        raise ParameterError(
            f"unknown region {region!r}; regions with data: {', '.join(with_data)} (search "
            "every region of the national registry with `halfyear regions QUERY`)"
        ) from None
    if code not in with_data:
        raise ParameterError(
            f"no figures for {load_catalog().regions.loc[code, 'name_zh']} yet: add them with "
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


def report_title(params: ReportParameters) -> str:
    """The report's title in its language.

    Examples
    --------
    >>> report_title(ReportParameters("erqi", "2019H1", "zh", None))
    '二七区2019年上半年经济运行情况'
    >>> report_title(ReportParameters("erqi", "2019H1", "en", None))
    'Erqi: economic situation, 2019 H1'
    """
    names = Names(params.lang)
    return words(params.lang)["title"].format(
        region=names.region(params.region), period=names.period(params.period)
    )


# --- the reader's HTML --------------------------------------------------------------------


@functools.cache
def _font_file(path: Path) -> bytes:
    """The bytes of a font file, read once per process (16 MB for the CJK font)."""
    return path.read_bytes()


def _parsed_font():
    """The CJK font parsed, its tables read (a subset changes it: one per subset).

    The font file is read once per process; its bounds are kept (they bound the subset),
    not recomputed from every glyph.
    """
    from fontTools.ttLib import TTFont

    from analysis.fonts import cjk_font_path

    font = TTFont(
        io.BytesIO(_font_file(cjk_font_path())),
        lazy=True,
        recalcTimestamp=False,
        recalcBBoxes=False,
    )
    for tag in sorted(font.keys()):
        font[tag]
    cff = font["CFF "].cff
    _ = cff[cff.fontNames[0]].CharStrings  # the glyphs' index
    return font


#: A parsed font waiting for the next subset (:func:`prepare_font`), and one being parsed.
_PARSED: queue.SimpleQueue = queue.SimpleQueue()
_PARSING = threading.Lock()


def prepare_font() -> None:
    """Parse the CJK font for this process's next :func:`font_face_css`, in a thread.

    A process that writes reports one after another (a batch's worker) calls it when the
    font is not needed for a while (while a notebook runs): the next subset then starts
    from a parsed font. The subset's bytes are the same. Nothing is done when a parsed
    font is waiting or being parsed.
    """
    if _PARSED.qsize() or not _PARSING.acquire(blocking=False):
        return

    def parse() -> None:
        try:
            _PARSED.put(_parsed_font())
        finally:
            _PARSING.release()

    threading.Thread(target=parse, name="halfyear-font", daemon=True).start()


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

    chars = sorted(set(_CJK_OR_TEXT.findall(text)) | set(" 0123456789.,:;%+-()/"))
    try:
        font = _PARSED.get_nowait()  # parsed ahead (prepare_font)
    except queue.Empty:
        font = _parsed_font()
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


#: Cells with these tags are left out of the reader's HTML.
_REMOVED_TAGS = frozenset({"parameters", "injected-parameters", "remove"})
_EXPORTING = threading.Lock()


@functools.cache
def _exporter():
    """The reader's HTML exporter, built once per process (its templates compiled once)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="halfyear",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(_REMOVED_TAGS), enabled=True), enabled=True
    )
    return exporter


def export_html(notebook: Path, html_path: Path, *, title: str, lang: str = "zh") -> Path:
    """Write an executed notebook as the reader's HTML: outputs only, one file.

    The ``halfyear`` nbconvert template drops code, prompts and scripts; cells tagged
    ``parameters``, ``injected-parameters`` or ``remove`` are left out. The file is written
    atomically (a temporary file renamed over the target).
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    removed = _REMOVED_TAGS
    shown = [
        output["data"]["text/html"]
        for cell in nb.cells
        if cell.cell_type == "code" and not removed & set(cell.metadata.get("tags", []))
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    # the font subset holds the characters the reader sees: the title and the outputs' text
    visible = re.sub(r"data:[^\"')]+", "", "\n".join([title, *shown]))
    resources = {
        "metadata": {"name": title},
        "halfyear_lang": "zh-CN" if lang == "zh" else "en",
        "halfyear_font_css": font_face_css(visible),
    }
    with _EXPORTING:  # one exporter per process, one notebook at a time
        body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return store.atomic_write(
        html_path, lambda tmp: tmp.write_bytes(body.encode("utf-8")), what="the report"
    )


def read_record(notebook: Path) -> dict | None:
    """The record the report notebook's last cell displayed (``Report.show_record``), or
    None for a notebook that displays none."""
    import nbformat

    from analysis.report.params import RECORD_MIMETYPE

    nb = nbformat.read(notebook, as_version=4)
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RECORD_MIMETYPE in data:
                record = data[RECORD_MIMETYPE]
                return json.loads(record) if isinstance(record, str) else dict(record)
    return None


@dataclass(frozen=True)
class RunResult:
    """The files of one report run: the reader's HTML, its sidecar, the executed notebook."""

    html: Path
    sidecar: Path
    executed: Path
    record: dict


def run_report(
    params: ReportParameters,
    *,
    out_dir: Path | None = None,
    notebook: Path | None = None,
    engine: str | None = None,
    timeout: float | None = None,
) -> Path:
    """Run one report: execute the notebook, export the HTML, write the sidecar.

    Returns the HTML's path; :func:`run` returns all the files.
    """
    return run(params, out_dir=out_dir, notebook=notebook, engine=engine, timeout=timeout).html


def run(
    params: ReportParameters,
    *,
    out_dir: Path | None = None,
    notebook: Path | None = None,
    engine: str | None = None,
    timeout: float | None = None,
) -> RunResult:
    """Execute the report notebook for ``params`` and write the report's files.

    Parameters
    ----------
    params : ReportParameters
        Checked parameters (``check_parameters``).
    out_dir : Path, optional
        Where ``<name>.html``, ``<name>.json`` and ``executed/<name>.ipynb`` go (default
        ``reports/``). Each file is written atomically.
    notebook : Path, optional
        The notebook to run (default ``notebooks/halfyear_report.ipynb``).
    engine : str, optional
        A papermill engine name; default a fresh kernel per run (talking over IPC
        sockets). The batch passes its warm-kernel engine (``analysis.report.kernels``).
    timeout : float, optional
        Seconds a cell may run.

    Raises
    ------
    papermill.PapermillExecutionError
        When a cell raised an error (the executed notebook is kept, with the banner).
    """
    import papermill

    out_dir = Path(out_dir) if out_dir else paths().reports
    notebook = Path(notebook) if notebook else paths().report_notebook
    name = report_name(params)
    executed = out_dir / "executed" / f"{name}.ipynb"
    html_path, sidecar_path = out_dir / f"{name}.html", out_dir / f"{name}.json"
    options: dict = (
        {"engine_name": engine}
        if engine
        else {
            "cwd": str(notebook.parent),
            "kernel_manager_class": "analysis.report.kernels.LocalKernelManager",
        }
    )
    # the three files are written beside their places and renamed there together: a kill
    # or a full disk meanwhile leaves the previous report whole
    with store.stage_folder(out_dir) as stage:
        staged = stage / f"{name}.ipynb"
        try:
            papermill.execute_notebook(
                str(notebook),
                str(staged),
                parameters={
                    "region": params.region,
                    "period": params.period,
                    "lang": params.lang,
                    "data_path": str(params.data_path or ""),
                },
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                execution_timeout=timeout,
                **options,
            )
        except BaseException:
            if staged.exists():  # a failed run keeps its executed notebook, to be read
                with contextlib.suppress(store.WriteError):
                    store.replace_together([(staged, executed)])
            raise
        try:
            # the title and headline the notebook recorded; a notebook without a record
            # (not a report of this package's) gets the title of its parameters, no headline
            record = read_record(staged) or {"title": report_title(params), "headline": ""}
            html = export_html(
                staged, stage / html_path.name, title=record["title"], lang=params.lang
            )
            sidecar = {
                **asdict(params),
                "data_path": str(params.data_path or ""),
                "title": record["title"],
                "html": html_path.name,
                "headline": record["headline"],
            }
            text = json.dumps(sidecar, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
            written = stage / sidecar_path.name
            written.write_text(text, encoding="utf-8")
            store.replace_together([(staged, executed), (html, html_path), (written, sidecar_path)])
        except Exception as err:
            raise ExportError(f"{type(err).__name__}: {err}") from err
    return RunResult(html_path, sidecar_path, executed, record)


class ExportError(RuntimeError):
    """The notebook ran, but its HTML or its sidecar could not be written."""


def write_index(out_dir: Path | None = None) -> Path:
    """Write ``index.html`` listing every report in ``out_dir`` (from the sidecars).

    The reports are grouped by region and period, named in Chinese with the English
    beside, each with its headline; the Chinese font is embedded (cut down to the page's
    characters), so the index reads the same on any PC or phone.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "x_2019H1_zh.json").write_text(json.dumps({"region": "erqi",
    ...         "period": "2019H1", "lang": "zh", "title": "<t>", "html": "x.html",
    ...         "headline": "GDP"}))
    ...     text = write_index(Path(d)).read_text(encoding="utf-8")
    >>> "&lt;t&gt;" in text and 'href="x.html"' in text and "二七区" in text
    True
    """
    from analysis.report import render

    out_dir = Path(out_dir) if out_dir else paths().reports
    store.recover(out_dir)  # a report whose renames a kill interrupted is made whole first
    records = []
    for sidecar in sorted(out_dir.glob("*.json")):
        try:
            record = json.loads(sidecar.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and {"region", "period", "lang", "html"} <= set(record):
            records.append({"title": "", "headline": "", **record})
    groups = index_groups(records)
    page = render.index(groups, count=len(records))
    # an index whose reports have not changed is left as it is (a batch with nothing to do
    # stays fast: the font subset is the costly part)
    stamp = hashlib.sha256(page.encode("utf-8")).hexdigest()[:16]
    path = out_dir / "index.html"
    if path.exists() and f"<!-- halfyear index {stamp} -->" in path.read_text(
        encoding="utf-8", errors="replace"
    ):
        return path
    font = font_face_css(re.sub(r"<[^>]+>", "", page))
    page = render.index(groups, count=len(records), font_css=font, stamp=stamp)
    return store.atomic_write(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))


def index_groups(records: list[dict]) -> list[dict]:
    """Report records grouped by region, then period (latest first), with their names.

    Each group: ``region``, ``name_zh``, ``name_en`` and ``periods``, a list of
    ``period``, ``label_zh``, ``label_en`` and the record of each language (``zh``, ``en``;
    None when that edition is missing).

    Examples
    --------
    >>> groups = index_groups([{"region": "erqi", "period": "2019H1", "lang": "en"},
    ...                        {"region": "erqi", "period": "2020FY", "lang": "zh"}])
    >>> g = groups[0]
    >>> g["name_zh"], g["name_en"], [(p["label_zh"], p["en"] is None) for p in g["periods"]]
    ('二七区', 'Erqi', [('2020年全年', True), ('2019年上半年', False)])
    """
    catalog = load_catalog()
    regions = catalog.regions
    by_region: dict[str, dict[str, dict]] = {}
    for r in records:
        by_region.setdefault(r["region"], {}).setdefault(r["period"], {})[r["lang"]] = r
    groups = []
    for code, by_period in by_region.items():
        known = code in regions.index
        ordered = sorted(
            by_period,
            key=lambda p: _period_key(p),
            reverse=True,
        )
        groups.append(
            {
                "region": code,
                "name_zh": regions.loc[code, "name_zh"] if known else code,
                "name_en": regions.loc[code, "name_en"] if known else code,
                "periods": [
                    {
                        "period": p,
                        "label_zh": _period_label(p, "zh"),
                        "label_en": _period_label(p, "en"),
                        "zh": by_period[p].get("zh"),
                        "en": by_period[p].get("en"),
                    }
                    for p in ordered
                ],
            }
        )
    groups.sort(key=lambda g: (g["name_zh"], g["region"]))
    return groups


def _period_key(code: str) -> tuple:
    try:
        p = periods.Period.from_code(code)
    except periods.PeriodError:
        return (0, 0, code)
    return (p.year, p.end_month, code)


def _period_label(code: str, lang: str) -> str:
    try:
        return periods.Period.from_code(code).label(lang)
    except periods.PeriodError:
        return code
