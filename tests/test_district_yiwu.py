"""义乌市 (330782), a real district outside Zhengzhou: its figures, its grid runs, its reports.

The figures are in ``data/raw/yiwu_figures.csv`` (with 金华市 and 浙江省 above it). These tests
check that they resolve through the national registry, that both first halves with enough
figures are in the default grid, and that the reports run and state the published numbers.
"""

from __future__ import annotations

import csv
import re

import nbformat
import pytest

from analysis import batch, catalog
from analysis.config import paths
from analysis.data.vintages import select_vintage
from analysis.report import reporting

YIWU, JINHUA, ZHEJIANG = "330782", "330700", "330000"
RAW_FILE = "yiwu_figures.csv"


def _raw_row(region: str, period: str, indicator: str) -> dict:
    """The one actual (not target) row of the raw file for a figure."""
    with (paths().raw / RAW_FILE).open(encoding="utf-8", newline="") as handle:
        rows = [
            r for r in csv.DictReader(handle)
            if (r["region_code"], r["period"], r["indicator"], r["is_target"])
            == (region, period, indicator, "0")
        ]  # fmt: skip
    assert len(rows) == 1, rows
    return rows[0]


def _latest(processed, region: str, period: str, indicator: str):
    figures = processed.figures
    chosen = select_vintage(figures[figures["region"] == region])
    row = chosen[
        (chosen["period"] == period) & (chosen["indicator"] == indicator) & ~chosen["is_target"]
    ]
    assert len(row) == 1, row
    return row.iloc[0]


def test_every_region_of_the_file_is_a_registry_region_with_its_chain(processed):
    cat = catalog.load()
    assert cat.region_code("义乌市") == cat.region_code("义乌") == YIWU
    assert cat.ancestors(YIWU) == [JINHUA, ZHEJIANG, "china"]
    rows = processed.figures[processed.figures["source_file"] == RAW_FILE]
    assert set(rows["region"]) == {YIWU, JINHUA, ZHEJIANG}
    rejected = processed.rejects[processed.rejects["source_file"] == RAW_FILE]
    assert rejected.empty, rejected


def test_two_years_with_first_half_and_full_year_gdp(processed):
    figures = processed.figures
    gdp = figures[(figures["region"] == YIWU) & (figures["indicator"] == "gdp")]
    levels = gdp.dropna(subset=["value"])
    years_h1 = {p[:4] for p in levels["period"] if p.endswith("H1")}
    years_fy = {p[:4] for p in levels["period"] if p.endswith("FY")}
    assert {"2020", "2021", "2022"} <= years_h1 & years_fy


@pytest.mark.parametrize(
    ("period", "raw_unit", "factor"), [("2021H1", "十亿元", 10), ("2022H1", "亿元", 1)]
)
def test_processed_gdp_is_the_published_figure(processed, period, raw_unit, factor):
    raw = _raw_row(YIWU, period, "gdp")
    assert raw["unit"] == raw_unit
    figure = _latest(processed, YIWU, period, "gdp")
    assert figure["value"] == pytest.approx(float(raw["value"]) * factor)
    assert figure["yoy_pct"] == pytest.approx(float(raw["yoy_pct"]))
    assert figure["unit"] == "亿元"


def test_both_first_halves_are_in_the_default_grid(processed):
    grid = batch.build_grid(processed.figures)
    runs = {(p.region, p.period, p.lang) for p in grid.runs}
    for period in ("2021H1", "2022H1"):
        assert {(YIWU, period, "zh"), (YIWU, period, "en")} <= runs


@pytest.fixture(scope="module", params=["zh", "en"])
def yiwu_report(request, processed_path, tmp_path_factory):
    """Yiwu's 2022 first-half report, executed by papermill, in one language."""
    out = tmp_path_factory.mktemp(f"yiwu_{request.param}")
    params = reporting.ReportParameters(YIWU, "2022H1", request.param, processed_path)
    html = reporting.run_report(params, out_dir=out)
    executed = nbformat.read(out / "executed" / f"{html.stem}.ipynb", as_version=4)
    return params, html.read_text(encoding="utf-8"), executed


def _errors(executed) -> list[str]:
    return [
        o.get("ename", "")
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o["output_type"] == "error"
    ]


@pytest.mark.notebook
def test_report_runs_and_states_the_published_headline(yiwu_report, processed):
    params, html, executed = yiwu_report
    assert _errors(executed) == []
    text = re.sub(r"<[^>]+>", " ", html)
    name = "义乌市" if params.lang == "zh" else "Yiwu"
    assert name in text
    gdp = _latest(processed, YIWU, "2022H1", "gdp")
    province = _latest(processed, ZHEJIANG, "2022H1", "gdp")
    # the level as published (882.14亿元: 882.1 or 882.14 in zh, 88.21 or 88.214 bn in en)
    level = f"{gdp['value']:.1f}" if params.lang == "zh" else f"{gdp['value'] / 10:.2f}"
    assert level in text
    assert f"{gdp['yoy_pct']:+.1f}%" in text
    assert f"{province['yoy_pct']:+.1f}%" in text  # the province in the comparison
    # the gap to the province in points, from the two published rates
    gap = f"{gdp['yoy_pct'] - province['yoy_pct']:.1f}"
    assert gap in text
