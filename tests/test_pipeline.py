"""Raw files to the processed table: standardising rows, rejects, reconciliation."""

import math

import pandas as pd
import pytest

from analysis.data import pipeline, reading
from analysis.data.vintages import select_vintage

from .conftest import FIXTURES


def raw_rows(*rows: dict) -> pd.DataFrame:
    """Raw string rows as the readers return them, with provenance."""
    base = {
        "region": "erqi",
        "region_zh": "",
        "period": "2019H1",
        "indicator": "gdp",
        "indicator_zh": "",
        "value": "",
        "unit": "",
        "yoy_pct": "",
        "plan_pct": "",
        "is_target": "0",
        "peer_group": "",
        "source_url": "",
        "note": "",
        "source_file": "t.csv",
        "source_column": "",
    }
    return pd.DataFrame([{**base, "source_line": str(i + 2), **row} for i, row in enumerate(rows)])


def one(records: pd.DataFrame, **key) -> pd.Series:
    mask = pd.Series(True, index=records.index)
    for col, val in key.items():
        mask &= records[col] == val
    assert mask.sum() == 1, records.loc[mask]
    return records.loc[mask].iloc[0]


# --- the committed data -------------------------------------------------------------------


def test_reconciliation_balances_for_every_file(processed):
    rec = processed.reconciliation.set_index("file")
    assert rec.loc["erqi_2019H1_meeting.csv", "rows_read"] == 46
    assert rec.loc["published_figures.csv", "rows_read"] == 417
    assert rec.loc["yiwu_figures.csv", ["rows_read", "rows_kept"]].tolist() == [69, 69]
    assert (rec["rows_kept"] + rec["rows_rejected"] == rec["rows_read"]).all()
    assert rec["rows_kept"].sum() == len(processed.figures)
    assert rec["rows_rejected"].sum() == len(processed.rejects)
    print(pipeline.format_reconciliation(processed.reconciliation))


def test_every_reject_names_file_line_and_reason(processed):
    rejects = processed.rejects
    assert rejects["source_file"].str.len().gt(0).all()
    assert rejects["source_line"].ge(2).all()
    assert rejects["reason"].str.len().gt(10).all()
    print(rejects[["source_file", "source_line", "reason"]].to_string())


def test_real_figures_survive_cleaning(processed):
    figs = processed.figures
    gdp = one(figs, region="erqi", period="2019H1", indicator="gdp")
    assert (gdp["value"], gdp["unit"], gdp["yoy_pct"]) == (323.3, "亿元", 8.0)
    plan = one(figs, region="erqi", period="2019H1", indicator="major_project_investment")
    assert (plan["value"], plan["plan_pct"]) == (253.0, 51.0)
    rank = one(figs, region="erqi", period="2019H1", indicator="investment_promotion_rank")
    assert (rank["value"], rank["peer_group"], rank["kind"]) == (1.0, "inner6", "rank")
    cases = one(figs, region="erqi", period="2019H1", indicator="gov_service_cases")
    assert (cases["value"], cases["unit"], cases["qualifier"]) == (22.0, "万件", "余")


def test_units_are_converted_to_the_catalog_unit(processed):
    figs = processed.figures
    h1 = one(figs, region="china", period="2010H1", indicator="gdp")
    assert h1["value"] == pytest.approx(172840.0) and h1["unit"] == "亿元"
    henan = one(figs, region="henan", period="2024H1", indicator="gdp")
    assert henan["value"] == pytest.approx(31231.44)
    assert henan["stated"].startswith("3123.144")


def test_levels_remember_the_decimals_the_source_wrote(processed):
    figs = processed.figures
    decimals = {
        code: one(figs, region="erqi", period="2019H1", indicator=code)["value_decimals"]
        for code in ("eco_project_investment", "major_project_investment", "gdp")
    }
    assert decimals == {
        "eco_project_investment": 2.0,  # 18.12亿元
        "major_project_investment": 0.0,  # 253亿元
        "gdp": 1.0,  # 323.3亿元
    }
    # stated in a larger unit: 39.8万亿元 is 398000亿元, known to the thousand
    china = figs[(figs["region"] == "china") & figs["stated"].str.startswith("39.8 万亿元")]
    assert china["value_decimals"].tolist() == [-3.0]
    growth_only = one(figs, region="erqi", period="2019H1", indicator="urban_income")
    assert math.isnan(growth_only["value_decimals"])


def test_growth_only_rows_keep_the_growth_and_no_level(processed):
    row = one(processed.figures, region="erqi", period="2019H1", indicator="urban_income")
    assert math.isnan(row["value"]) and row["yoy_pct"] == 8.0 and row["unit"] == "元"


def test_targets_and_qualifiers(processed):
    figs = processed.figures
    t = figs[
        (figs["region"] == "zhengzhou")
        & (figs["period"] == "2019FY")
        & (figs["indicator"] == "gdp")
        & figs["is_target"]
    ]
    assert t["yoy_pct"].tolist() == [8.0] and t["qualifier"].tolist() == ["左右"]
    rng = one(figs, region="china", period="2019FY", indicator="gdp", is_target=True)
    assert (rng["yoy_pct"], rng["qualifier"]) == (6.0, "区间")


def test_relation_rows_read_above_and_below(processed):
    figs = processed.figures
    erqi = one(figs, region="erqi", period="2017FY", indicator="gdp_growth_vs_city_avg")
    jinshui = one(figs, region="jinshui", period="2021Q1", indicator="gdp_growth_vs_city_avg")
    assert (erqi["value"], jinshui["value"]) == (1.0, -1.0)


def test_vintages_latest_and_first(processed):
    rows = processed.figures.query(
        "region == 'china' and period == '2010FY' and indicator == 'gdp' and not is_target"
    )
    assert set(rows["vintage"]) == {"preliminary", "revised", "final"}
    latest = select_vintage(rows, which="latest").iloc[0]
    first = select_vintage(rows, which="first").iloc[0]
    assert (latest["value"], latest["yoy_pct"]) == (401513.0, 10.4)
    # the precise preliminary level wins over the rounded 39.8万亿元 of the same release
    assert (first["value"], first["yoy_pct"]) == (397983.0, 10.3)


def test_sources_that_disagree_are_flagged_not_picked(processed):
    rows = processed.figures.query("region == 'erqi' and period == '2017FY' and indicator == 'gdp'")
    assert (rows["yoy_pct_conflict"] != "").sum() == 2
    latest = select_vintage(rows).iloc[0]
    assert math.isnan(latest["yoy_pct"]) and "9.1" in latest["yoy_pct_reason"]
    assert latest["value"] == 567.0  # the level is not in dispute


def test_rounded_restatements_are_consistent(processed):
    rows = processed.figures.query(
        "region == 'henan' and period == '2023FY' and indicator == 'gdp'"
    )
    assert len(rows) == 2 and (rows["value_conflict"] == "").all()


def test_exact_repeats_are_rejected_as_duplicates(processed):
    dup = processed.rejects[processed.rejects["reason"].str.startswith("duplicate of")]
    assert len(dup) >= 2  # zhengzhou 2015H1 and 2016H1 are each stated twice
    assert dup["reason"].str.contains(r"published_figures\.csv:\d+").all()


# --- bad rows -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"value": "三百亿", "unit": "亿元"}, "三百亿"),
        ({"value": "323.3", "unit": "个"}, "contradicts the catalog"),
        ({"value": "323.3", "unit": "亿元", "region": "火星区"}, "unknown region '火星区'"),
        ({"value": "323.3", "unit": "亿元", "period": "2019H3"}, "period"),
        ({"value": "", "unit": "亿元"}, "no figure"),
        (
            {"value": "1", "unit": "位", "indicator": "gdp_growth_rank", "peer_group": "火星组"},
            "unknown peer group",
        ),
        ({"value": "1.5", "unit": "位", "indicator": "gdp_growth_rank"}, "whole number"),
        ({"value": "323.3", "unit": "亿元", "is_target": "maybe"}, "is_target"),
        ({"value": "323.3", "unit": "亿元", "yoy_pct": "-120"}, "impossible"),
        (
            {"value": "323.3", "unit": "亿元", "review": "number could belong to two indicators"},
            "flagged for review and not cleared: number could belong",
        ),
    ],
)
def test_bad_rows_are_rejected_with_a_reason(row, reason):
    records, rejected = pipeline.standardize(raw_rows(row))
    assert records.empty
    assert len(rejected) == 1
    assert reason in rejected.iloc[0]["reason"]
    assert rejected.iloc[0]["source_line"] == 2


def test_a_line_number_that_is_not_a_whole_number_is_a_rejected_row():
    rows = raw_rows(
        {"value": "323.3", "unit": "亿元", "source_line": "x"},
        {"value": "323.3", "unit": "亿元", "period": "2018H1", "source_line": "7"},
    )
    records, rejected = pipeline.standardize(rows)
    assert records["source_line"].tolist() == [7]
    assert rejected[["reason", "code"]].values.tolist() == [
        [
            "source_line must be a whole number, not 'x'",
            "reject_column column=source_line value=x",
        ]
    ]


def test_unknown_indicator_is_kept_as_uncatalogued():
    records, rejected = pipeline.standardize(
        raw_rows({"indicator": "", "indicator_zh": "夜间经济示范街区", "value": "3", "unit": "个"})
    )
    assert rejected.empty
    row = records.iloc[0]
    assert (row["indicator"], row["catalogued"], row["kind"], row["unit"]) == (
        "夜间经济示范街区",
        False,
        "uncatalogued",
        "个",
    )


def test_conflicting_duplicates_in_one_file(tmp_path):
    rows = raw_rows(
        {"value": "323.3", "unit": "亿元", "yoy_pct": "8"},
        {"value": "332.3", "unit": "亿元", "yoy_pct": "8"},
        {"value": "323.3", "unit": "亿元", "yoy_pct": "8"},
    )
    path = tmp_path / "dups.csv"
    long = rows.drop(columns=["source_file", "source_line", "source_column"])
    long.rename(columns={"region": "region_code"}).to_csv(path, index=False)
    result = pipeline.process_files([path])
    rec = result.reconciliation.iloc[0]
    assert (rec["rows_read"], rec["rows_kept"], rec["rows_rejected"]) == (3, 2, 1)
    assert result.rejects.iloc[0]["reason"].startswith("duplicate of dups.csv:2")
    assert (result.figures["value_conflict"] != "").all()
    picked = select_vintage(result.figures).iloc[0]
    assert math.isnan(picked["value"]) and picked["yoy_pct"] == 8.0


def test_unreadable_file_stops_with_file_and_line(tmp_path):
    with pytest.raises(reading.ReadError, match="empty"):
        pipeline.process_files([FIXTURES / "empty.csv"])


def test_wide_excel_goes_through_the_whole_path():
    result = pipeline.process_files([FIXTURES / "wide_china_2019.xlsx"])
    figs = result.figures
    gdp = one(figs, region="china", period="2019H1", indicator="gdp")
    assert (gdp["value"], gdp["yoy_pct"]) == (450933.0, 6.3)
    prev = one(figs, region="china", period="2018H1", indicator="gdp")
    assert prev["value"] == 418961.0
    rec = result.reconciliation.iloc[0]
    assert rec["rows_kept"] + rec["rows_rejected"] == rec["rows_read"]


@pytest.mark.parametrize(
    "name", ["wide_erqi_2019H1.csv", "wide_erqi_2019H1_bom.csv", "wide_erqi_2019H1_gbk.csv"]
)
def test_wide_csv_in_every_encoding_gives_the_same_figures(name):
    result = pipeline.process_files([FIXTURES / name])
    gdp = one(result.figures, region="erqi", period="2019H1", indicator="gdp")
    assert (gdp["value"], gdp["yoy_pct"]) == (323.3, 8.0)
    eco = one(result.figures, region="erqi", period="2019H1", indicator="eco_project_investment")
    assert (eco["value"], eco["plan_pct"]) == (18.12, 72.9)


def test_processed_table_round_trips_through_parquet(processed, processed_path):
    back = pd.read_parquet(processed_path)
    pd.testing.assert_frame_equal(back, processed.figures, check_dtype=False)
