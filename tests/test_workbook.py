"""The office's workbook: template, filled in with openpyxl, cleaned, reported.

The figures typed into the workbook here are made up for the test (TEST FIGURES): they
exercise the path a statistics office takes, they are not data.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import cli
from analysis.data import reading, workbook

REGION, PERIOD = "岳阳县", "2023H1"  # a county-level unit outside Henan

#: indicator name -> (unit or None to keep, 本期, 同比增长(%), 上年同期, 年度目标, 完成年度计划(%))
FILLED = {
    "地区生产总值": (None, "150.5", "5.2", "143.1", "6.5%", ""),
    "固定资产投资": (None, "88.2", "7.1", "", "182", "48.5"),
    "一般公共预算收入": ("万元", "51000", "3.4", "", "", ""),
    "社会消费品零售总额": (None, "待核", "6.0", "", "", ""),  # not a number: rejected
}


def fill(path) -> None:
    """Fill the template as an office would: the yellow cells of a few rows."""
    book = load_workbook(path)
    sheet = book[workbook.DATA_SHEET]
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    for name, (unit, *cells) in FILLED.items():
        at = rows[name]
        if unit:
            sheet.cell(at, 2).value = unit
        for column, text in zip(range(3, 8), cells, strict=True):
            if text:
                number = pd.to_numeric(text, errors="coerce")
                sheet.cell(at, column).value = text if pd.isna(number) else float(number)
    book.save(path)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    path = raw / "yueyang_2023H1.xlsx"
    assert cli.main(["template", "--region", REGION, "--period", PERIOD, "--out", str(path)]) == 0
    fill(path)
    return path


def test_the_template_has_blocks_units_columns_validation_and_instructions(tmp_path):
    path = workbook.write_template(tmp_path / "t.xlsx", region="开封市鼓楼区", period="2022FY")
    book = load_workbook(path)
    assert book.sheetnames == [workbook.DATA_SHEET, workbook.HELP_SHEET]
    sheet = book[workbook.DATA_SHEET]
    assert sheet["A1"].value == "河南省开封市鼓楼区2022年全年主要经济指标"
    assert [c.value for c in sheet[3]][2:] == list(workbook.COLUMNS)
    assert sheet["C2"].value == "全年"
    names = [sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1)]
    assert names[0] == "一、经济总量" and "地区生产总值" in names
    units = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)}
    assert units["地区生产总值"] == "亿元" and units["城镇居民人均可支配收入"] == "元"
    kinds = sorted(v.type for v in sheet.data_validations.dataValidation)
    assert {"decimal", "list", "custom"} <= set(kinds)
    help_text = " ".join(str(c.value) for c in book[workbook.HELP_SHEET]["A"])
    assert "make data" in help_text and "同比增长" in help_text and "410204" in help_text


def test_the_template_refuses_what_it_cannot_write(tmp_path):
    with pytest.raises(workbook.TemplateError, match="ambiguous region '鼓楼区'"):
        workbook.write_template(tmp_path / "t.xlsx", region="鼓楼区", period="2022H1")
    with pytest.raises(workbook.TemplateError, match="cumulative period from January"):
        workbook.write_template(tmp_path / "t.xlsx", region="岳阳县", period="2022H2")
    with pytest.raises(workbook.TemplateError, match=r"\.xlsx"):
        workbook.write_template(tmp_path / "t.csv", region="岳阳县", period="2022H1")


def test_an_unfilled_template_says_it_has_no_figures(tmp_path):
    path = workbook.write_template(tmp_path / "t.xlsx", region=REGION, period=PERIOD)
    with pytest.raises(reading.ReadError, match="no data rows"):
        reading.read_raw(path)


def test_the_filled_workbook_is_read_and_cleaned_with_reconciliation_and_rejects(
    filled, tmp_path, capsys
):
    out = tmp_path / "processed"
    assert cli.main(["clean", "--raw", str(filled.parent), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "yueyang_2023H1.xlsx (Excel workbook" in printed or "yueyang_2023H1.xlsx" in printed
    recon = pd.read_csv(out / "reconciliation.csv")
    assert (recon["rows_read"] == recon["rows_kept"] + recon["rows_rejected"]).all()
    rejects = pd.read_csv(out / "rejects.csv")
    assert len(rejects) == 1 and "待核" in rejects["raw"].iloc[0]
    figures = pd.read_parquet(out / "figures.parquet").set_index(
        ["period", "indicator", "is_target"]
    )
    assert set(figures["region"]) == {"430621"} and set(figures["region_zh"]) == {"岳阳县"}
    gdp = figures.loc[("2023H1", "gdp", False)]
    assert (gdp["value"], gdp["yoy_pct"], gdp["unit"]) == (150.5, 5.2, "亿元")
    assert figures.loc[("2022H1", "gdp", False), "value"] == 143.1
    target = figures.loc[("2023FY", "gdp", True)]
    assert target["yoy_pct"] == 6.5 and pd.isna(target["value"])
    assert figures.loc[("2023FY", "fixed_asset_investment", True), "value"] == 182.0
    assert figures.loc[("2023H1", "fixed_asset_investment", False), "plan_pct"] == 48.5
    assert figures.loc[("2023H1", "budget_revenue", False), "value"] == pytest.approx(5.1)


@pytest.mark.notebook
def test_template_fill_clean_report_end_to_end(filled, tmp_path, capsys):
    processed = tmp_path / "processed"
    assert cli.main(["clean", "--raw", str(filled.parent), "--out", str(processed)]) == 0
    reports = tmp_path / "reports"
    args = ["report", "--region", REGION, "--period", PERIOD, "--lang", "zh"]
    assert (
        cli.main([*args, "--data", str(processed / "figures.parquet"), "--out", str(reports)]) == 0
    )
    html = (reports / "430621_2023H1_zh.html").read_text(encoding="utf-8")
    assert "岳阳县" in html and "150.5" in html
