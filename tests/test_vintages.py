"""Vintages: reading a release from a note, and picking one release per figure."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.data.vintages import select_vintage, vintage_from_note
from tests import reference


@pytest.mark.parametrize(
    ("note", "vintage"),
    [
        ("revised 最终核实 (国家统计局公告〔2012〕第1号)", "final"),
        ("revised 最终核实 (人民日报 2017-01-10 via mirror); growth same as preliminary", "final"),
        ("revised 初步核实 (2015)", "revised"),
        ("preliminary 初步核算 level; growth of that vintage see jp.xinhuanet row", "preliminary"),
        ("NBS 初步测算 (盛来运 release text)", "preliminary"),
        ("2021 区政府工作报告 (区长张艳敏) on zgcounty.com; 初步统计", "preliminary"),
        (
            "revised 2019 figure as shown in a third-party 2020 table (4th econ census/final)",
            "revised",
        ),
        ("as cited in 2021 article; level possibly pre-census vintage", "unspecified"),
        ("2024 惠济区政府工作报告 (区长李伟光), official site; 预计 (estimate)", "estimate"),
        ("", "unspecified"),
    ],
)
def test_vintage_from_note(note, vintage):
    assert vintage_from_note(note) == vintage


def frame(**cols):
    n = len(next(iter(cols.values())))
    base = {
        "region": ["x"] * n,
        "period": ["2019FY"] * n,
        "indicator": ["gdp"] * n,
        "is_target": [False] * n,
        "peer_group": [""] * n,
        "plan_pct": [np.nan] * n,
        "source_file": ["f.csv"] * n,
        "source_line": list(range(2, n + 2)),
    }
    return pd.DataFrame({**base, **cols})


def test_measures_are_picked_independently():
    rows = frame(
        value=[100.0, np.nan],
        yoy_pct=[np.nan, 6.1],
        release=[1, 2],
        vintage=["preliminary", "revised"],
    )
    latest = select_vintage(rows).iloc[0]
    assert (latest["value"], latest["yoy_pct"]) == (100.0, 6.1)
    assert latest["value_source"] == "f.csv:2" and latest["yoy_pct_source"] == "f.csv:3"


def test_first_release_for_backtests():
    rows = frame(
        value=[990865.0, 986515.0],
        yoy_pct=[6.1, 6.0],
        release=[1, 2],
        vintage=["preliminary", "revised"],
    )
    assert select_vintage(rows, which="first").iloc[0]["value"] == 990865.0
    assert select_vintage(rows, which="latest").iloc[0]["value"] == 986515.0


def test_conflict_leaves_the_measure_empty_with_a_reason():
    rows = frame(
        value=[1.0, 2.0],
        yoy_pct=[5.0, 5.0],
        release=[1, 1],
        vintage=["preliminary"] * 2,
        value_conflict=["1 here vs 2 (f.csv:3)", "2 here vs 1 (f.csv:2)"],
        yoy_pct_conflict=["", ""],
        plan_pct_conflict=["", ""],
    )
    picked = select_vintage(rows).iloc[0]
    assert math.isnan(picked["value"]) and picked["value_reason"].startswith("conflicting")
    assert picked["yoy_pct"] == 5.0


def test_which_is_validated():
    with pytest.raises(ValueError, match="'latest' or 'first'"):
        select_vintage(
            frame(value=[1.0], yoy_pct=[1.0], release=[1], vintage=["x"]), which="newest"
        )


def test_a_levels_precision_travels_with_the_level():
    rows = frame(
        value=[18.12, np.nan],
        yoy_pct=[np.nan, 6.1],
        release=[1, 2],
        vintage=["preliminary", "revised"],
        value_rounding=[0.005, np.nan],
        value_decimals=[2.0, np.nan],
    )
    for pick in (select_vintage(rows), reference.select_vintage_by_row(rows, "latest")):
        row = pick.iloc[0]
        assert (row["value"], row["value_decimals"], row["value_rounding"]) == (18.12, 2.0, 0.005)
        assert row["yoy_pct"] == 6.1


# --- one basis for derived periods ---------------------------------------------------------


def test_china_2019_second_half_is_on_one_basis(processed):
    from analysis.data.vintages import one_basis

    figures = processed.figures
    latest = one_basis(figures, earlier="2019H1", later="2019FY", which="latest")
    row = latest[(latest["region"] == "china") & (latest["indicator"] == "gdp")].iloc[0]
    # the latest full year (986,515, revised) has no revised first half beside it: both
    # come from the first release, never the revised year minus the first-release half
    assert select_vintage(
        figures[(figures["region"] == "china") & (figures["period"] == "2019FY")
                & (figures["indicator"] == "gdp") & ~figures["is_target"]]
    ).iloc[0]["value"] == 986515.0  # fmt: skip
    assert row["basis"] == "aligned"
    assert (row["release_wanted_earlier"], row["release_wanted_later"]) == (1, 2)
    assert (row["release_earlier"], row["release_later"]) == (1, 1)
    assert row["value_later"] - row["value_earlier"] == 990865.0 - 450933.0
    assert row["value_later"] - row["value_earlier"] != 986515.0 - 450933.0
    first = one_basis(figures, earlier="2019H1", later="2019FY", which="first")
    row = first[(first["region"] == "china") & (first["indicator"] == "gdp")].iloc[0]
    assert row["basis"] == "same" and row["value_later"] == 990865.0


def _pair_rows(h1, fy):
    """China-like rows: (value, release) lists for 2019H1 and 2019FY."""
    rows = [("2019H1", v, r) for v, r in h1] + [("2019FY", v, r) for v, r in fy]
    return pd.DataFrame(
        {
            "region": "china",
            "indicator": "gdp",
            "is_target": False,
            "peer_group": "",
            "period": [p for p, _, _ in rows],
            "value": [v for _, v, _ in rows],
            "release": [r for _, _, r in rows],
            "yoy_pct": np.nan,
            "plan_pct": np.nan,
            "source_file": "f.csv",
            "source_line": range(2, len(rows) + 2),
        }
    )


def test_one_basis_aligns_to_the_revised_first_half_where_it_exists():
    from analysis.data.vintages import one_basis

    rows = _pair_rows(h1=[(450933.0, 1), (456000.0, 2)], fy=[(990865.0, 1), (986515.0, 2)])
    row = one_basis(rows, earlier="2019H1", later="2019FY").iloc[0]
    assert row["basis"] == "same"
    assert (row["value_earlier"], row["value_later"]) == (456000.0, 986515.0)
    # a final full year (release 3) with only a revised first half: aligned at release 2
    rows = _pair_rows(h1=[(450933.0, 1), (456000.0, 2)], fy=[(986515.0, 2), (990000.0, 3)])
    row = one_basis(rows, earlier="2019H1", later="2019FY").iloc[0]
    assert (row["basis"], row["release_earlier"], row["release_later"]) == ("aligned", 2, 2)
    assert row["value_later"] == 986515.0


def test_one_basis_refuses_a_pair_no_release_holds():
    from analysis.data.vintages import one_basis

    rows = _pair_rows(h1=[(450933.0, 1)], fy=[(986515.0, 2)])
    for which in ("latest", "first"):
        row = one_basis(rows, earlier="2019H1", later="2019FY", which=which).iloc[0]
        assert row["basis"] == "mixed"
        assert math.isnan(row["value_earlier"]) and math.isnan(row["value_later"])
    with pytest.raises(ValueError, match="which must be"):
        one_basis(rows, earlier="2019H1", later="2019FY", which="best")
    with pytest.raises(ValueError, match="must pair up"):
        one_basis(rows, earlier=["2019H1"], later=["2019FY", "2018FY"])
    assert one_basis(rows.iloc[0:0], earlier="2019H1", later="2019FY").empty
