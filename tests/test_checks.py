"""Published derived figures recomputed from other published figures."""

import pandas as pd
import pytest

from analysis.compute.checks import VERDICTS, reproduce_published


@pytest.fixture(scope="module")
def table(processed):
    return reproduce_published(processed.figures)


def find(table, check, region, period, indicator):
    rows = table[
        (table["check"] == check)
        & (table["region"] == region)
        & (table["period"] == period)
        & (table["indicator"] == indicator)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_prints_the_reproduction_table(table):
    with pd.option_context(
        "display.width", 250, "display.max_colwidth", 90, "display.max_rows", 500
    ):
        print(table.drop(columns="tolerance").to_string())
        print(table.groupby(["check", "verdict"]).size().to_string())
    assert set(table["verdict"]) <= set(VERDICTS)
    recomputable = table[table["verdict"] != "not recomputable"]
    assert len(recomputable) >= 30
    assert recomputable["recomputed"].notna().all()


def test_nominal_growth_reproduced_from_levels(table):
    row = find(table, "growth from levels", "china", "2019H1", "urban_income")
    assert row["verdict"] == "reproduced"
    assert row["recomputed"] == pytest.approx((21342 / 19770 - 1) * 100)
    assert (
        find(table, "growth from levels", "jinshui", "2019FY", "rural_income")["verdict"]
        == "reproduced"
    )


def test_real_growth_is_not_recomputed_from_current_price_levels(table):
    row = find(table, "growth from levels", "china", "2019H1", "gdp")
    assert row["verdict"] == "not recomputable"
    assert row["detail"].startswith("check_growth_real ")


def test_findings_are_reported_not_hidden(table):
    # Henan's 2019 budget revenue: the two published levels give 7.38%, the source says 7.3%
    assert (
        find(table, "growth from levels", "henan", "2019FY", "budget_revenue")["verdict"]
        == "mismatch"
    )
    # Henan's 2021 two-year average (3.6%) needs a 2020 growth other than the 1.3% published
    assert find(table, "two-year average growth", "henan", "2021FY", "gdp")["verdict"] == "mismatch"
    # Huiji's 2024 "first by growth" cannot hold among all 16 units (Zhongmou grew faster)
    huiji = find(table, "rank by growth", "huiji", "2024FY", "gdp_growth_rank")
    assert huiji["verdict"] == "mismatch"
    assert huiji["detail"].endswith("; check_group_unstated group=all16")


def test_ranks_with_partial_peers_are_consistent(table):
    row = find(table, "rank by level", "jinshui", "2017FY", "gdp_level_rank")
    assert (row["verdict"], row["recomputed"]) == ("consistent", 1.0)
    assert row["detail"].startswith("check_rank_peers n=8 m=16 ")
    assert (
        find(table, "above/below city average", "jinshui", "2017FY", "gdp_growth_vs_city_avg")[
            "verdict"
        ]
        == "reproduced"
    )


def test_two_year_average_reproduced(table):
    row = find(table, "two-year average growth", "henan", "2021H1", "gdp")
    assert row["verdict"] == "reproduced"
    assert row["recomputed"] == pytest.approx(4.82, abs=0.01)
