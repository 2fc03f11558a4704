"""Tests of analysis.periods: codes, labels, parsing and period algebra."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.periods import (
    Period,
    PeriodError,
    derive_single,
    parse_period,
    parse_periods,
    period_grid,
    previous_year,
    single_period,
)

# --- Period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "code"),
    [
        ((1, 3), "2019Q1"),
        ((1, 6), "2019H1"),
        ((1, 9), "2019Q3"),
        ((1, 12), "2019FY"),
        ((1, 1), "2019M01"),
        ((1, 2), "2019M02"),
        ((1, 5), "2019M05"),
        ((1, 11), "2019M11"),
        ((4, 6), "2019Q2"),
        ((10, 12), "2019Q4"),
        ((7, 12), "2019H2"),
        ((7, 9), "2019M07-09"),
        ((3, 6), "2019M03-06"),
        ((5, 5), "2019M05-05"),
    ],
)
def test_code_and_from_code_are_inverse(span, code):
    period = Period(2019, *span)
    assert period.code == code
    assert str(period) == code
    assert Period.from_code(code) == period


def test_properties():
    h1 = Period(2019, 1, 6)
    assert h1.is_cumulative
    assert h1.months == 6
    assert h1.time_progress == 0.5
    assert Period(2019, 1, 9).time_progress == 0.75
    assert Period(2019, 1, 12).time_progress == 1.0
    q2 = Period(2019, 4, 6)
    assert not q2.is_cumulative
    assert q2.months == 3


def test_time_progress_of_a_single_span_is_refused():
    with pytest.raises(PeriodError, match="cumulative"):
        _ = Period(2019, 7, 12).time_progress


def test_periods_order_by_year_then_months():
    periods = [Period(2019, 1, 6), Period(2018, 1, 12), Period(2019, 1, 3)]
    assert sorted(periods) == [Period(2018, 1, 12), Period(2019, 1, 3), Period(2019, 1, 6)]


def test_period_is_frozen_and_hashable():
    period = Period(2019, 1, 6)
    with pytest.raises(AttributeError):
        period.year = 2020  # type: ignore[misc]
    assert {period, Period(2019, 1, 6)} == {period}


def test_numpy_integers_become_python_integers():
    period = Period(np.int64(2019), np.int32(1), np.int64(6))
    assert type(period.year) is int
    assert period == Period(2019, 1, 6)
    assert hash(period) == hash(Period(2019, 1, 6))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2019, 1, 13), "month 13"),
        ((2019, 0, 6), "month 0"),
        ((2019, 6, 1), "start month 6 is after end month 1"),
        ((19, 1, 6), "four-digit"),
        ((2019.0, 1, 6), "integer"),
        ((True, 1, 6), "integer"),
        (("2019", 1, 6), "integer"),
    ],
)
def test_invalid_periods(args, message):
    with pytest.raises(PeriodError, match=message):
        Period(*args)


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(
    "code",
    ["2019h1", "2019H3", "2019M13", "2019M00", "19H1", "2019 H1", "H1", "2019M6", "", "2019M06-03"],
)
def test_from_code_rejects_non_codes(code):
    with pytest.raises(PeriodError, match=r"not a canonical period code|month"):
        Period.from_code(code)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("2019M06", "2019H1"),
        ("2019M12", "2019FY"),
        ("2019M01-06", "2019H1"),
        ("2019M04-06", "2019Q2"),
    ],
)
def test_from_code_names_the_canonical_spelling(alias, canonical):
    with pytest.raises(PeriodError, match=f"write '{canonical}'"):
        Period.from_code(alias)


def test_from_code_rejects_non_text():
    with pytest.raises(PeriodError, match="allowed"):
        Period.from_code(2019)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("span", "zh", "en"),
    [
        ((1, 3), "2019年一季度", "2019 Q1"),
        ((1, 6), "2019年上半年", "2019 H1"),
        ((1, 9), "2019年1-9月", "2019 Jan-Sep"),
        ((1, 12), "2019年全年", "2019 full year"),
        ((1, 2), "2019年1-2月", "2019 Jan-Feb"),
        ((1, 1), "2019年1月", "2019 Jan"),
        ((4, 6), "2019年二季度", "2019 Q2"),
        ((7, 9), "2019年三季度", "2019 Jul-Sep"),
        ((10, 12), "2019年四季度", "2019 Q4"),
        ((7, 12), "2019年下半年", "2019 H2"),
        ((3, 6), "2019年3-6月", "2019 Mar-Jun"),
        ((8, 8), "2019年8月", "2019 Aug"),
    ],
)
def test_labels(span, zh, en):
    period = Period(2019, *span)
    assert period.label("zh") == zh
    assert period.label() == zh
    assert period.label("en") == en


def test_label_rejects_unknown_language():
    with pytest.raises(PeriodError, match=r"'fr'.*zh, en"):
        Period(2019, 1, 6).label("fr")


# --- parse_period ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("2019H1", "2019H1"),
        ("2019年上半年", "2019H1"),
        ("2019年1-6月", "2019H1"),
        ("2019年1-6月份", "2019H1"),
        ("2019 年 1 - 6 月", "2019H1"),
        ("2019Q3", "2019Q3"),
        ("2019FY", "2019FY"),
        ("2019M02", "2019M02"),
        ("2019M07-09", "2019M07-09"),
        ("2019Q2", "2019Q2"),
        ("2019H2", "2019H2"),
        ("2019年", "2019FY"),
        ("2019年全年", "2019FY"),
        ("2019年度", "2019FY"),
        ("2019", "2019FY"),
        ("2019年1-9月", "2019Q3"),
        ("2019年前三季度", "2019Q3"),
        ("2019年第二季度", "2019Q2"),
        ("２０１９年上半年", "2019H1"),
        ("2019h1", "2019H1"),  # parse_period is lenient about case
        ("2019M6", "2019H1"),  # and about non-canonical codes
    ],
)
def test_labels_with_their_own_year(label, code):
    assert parse_period(label).code == code
    assert parse_period(label, year=2019).code == code


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("上半年", "2019H1"),
        ("下半年", "2019H2"),
        ("1-6月", "2019H1"),
        ("1～6月", "2019H1"),
        ("1~6月", "2019H1"),
        ("1—6月", "2019H1"),
        ("1–6月", "2019H1"),
        ("１－６月", "2019H1"),
        ("1至6月", "2019H1"),
        ("一至六月", "2019H1"),
        ("一季度", "2019Q1"),
        ("第一季度", "2019Q1"),
        ("1季度", "2019Q1"),
        ("前三季度", "2019Q3"),
        ("二季度", "2019Q2"),
        ("第二季度", "2019Q2"),
        ("三季度", "2019M07-09"),
        ("第三季度", "2019M07-09"),
        ("四季度", "2019Q4"),
        ("1-9月", "2019Q3"),
        ("1-2月", "2019M02"),
        ("1-12月", "2019FY"),
        ("十至十二月", "2019Q4"),
        ("全年", "2019FY"),
        ("1月", "2019M01"),
        ("3月", "2019M03-03"),
        ("4-6月", "2019Q2"),
        ("3-6月", "2019M03-06"),
        ("6月末", "2019H1"),
        ("6月底", "2019H1"),
        ("二季度末", "2019H1"),
        ("年末", "2019FY"),
        ("年底", "2019FY"),
        ("1-6月累计", "2019H1"),
        ("H1", "2019H1"),
        ("Q3", "2019Q3"),
        ("M05", "2019M05"),
        (" 上半年 ", "2019H1"),
    ],
)
def test_labels_needing_a_year(label, code):
    assert parse_period(label, year=2019).code == code


def test_year_may_be_given_as_digits_or_numpy_integer():
    assert parse_period("上半年", year="2019").code == "2019H1"
    assert parse_period("上半年", year=np.int64(2019)).code == "2019H1"
    assert parse_period("上半年", year=2019.0).code == "2019H1"


def test_a_period_passes_through():
    period = Period(2019, 1, 6)
    assert parse_period(period) is period
    with pytest.raises(PeriodError, match="contradicts year=2020"):
        parse_period(period, year=2020)


@pytest.mark.parametrize("label", ["上半年", "1-6月", "一季度", "全年", "H1", "6月末"])
def test_missing_year_is_an_error(label):
    with pytest.raises(PeriodError, match="states no year: pass year="):
        parse_period(label)


def test_year_conflict_is_an_error():
    with pytest.raises(PeriodError, match="states year 2019 but year=2020"):
        parse_period("2019年上半年", year=2020)
    with pytest.raises(PeriodError, match="states year 2019 but year=2018"):
        parse_period("2019H1", year=2018)


@pytest.mark.parametrize(
    "label", ["上伴年", "2019年上伴年", "H3", "2019Q5", "abc", "前四季度", "五季度", "1-6", "6-月"]
)
def test_unknown_text_lists_accepted_forms(label):
    with pytest.raises(PeriodError, match=r"unknown period label.*accepted: .*上半年"):
        parse_period(label, year=2019)


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("1-13月", "month 13"),
        ("13月", "month 13"),
        ("0月", "month 0"),
        ("6-1月", "start month 6 is after end month 1"),
        ("2019年6-1月", "start month 6 is after end month 1"),
        ("M13", "month 13"),
    ],
)
def test_month_validation(label, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(label, year=2019)
    # the month error is reported even when the year is missing too
    with pytest.raises(PeriodError, match=message):
        parse_period(label)


@pytest.mark.parametrize("label", ["", "   ", None, 2019, 6.0])
def test_empty_or_non_text_labels(label):
    with pytest.raises(PeriodError):
        parse_period(label, year=2019)


@pytest.mark.parametrize("year", [True, 2019.5, "二〇一九", [2019]])
def test_bad_year_argument(year):
    with pytest.raises(PeriodError, match="year= must be an integer"):
        parse_period("上半年", year=year)


# --- parse_periods -----------------------------------------------------------------------


def test_parse_periods_returns_codes_and_months():
    df = pd.DataFrame({"period": ["上半年", "2019年1-9月", "全年"], "value": [1.0, 2.0, 3.0]})
    out = parse_periods(df, year=2019)
    assert out["period"].tolist() == ["2019H1", "2019Q3", "2019FY"]
    assert out["year"].tolist() == [2019] * 3
    assert out["start_month"].tolist() == [1, 1, 1]
    assert out["end_month"].tolist() == [6, 9, 12]
    assert out["year"].dtype == "int64"
    assert out["value"].tolist() == [1.0, 2.0, 3.0]


def test_parse_periods_does_not_mutate_its_input():
    df = pd.DataFrame({"period": ["上半年"], "value": [1.0]})
    before = df.copy()
    parse_periods(df, year=2019)
    pd.testing.assert_frame_equal(df, before)


def test_parse_periods_other_column_and_index():
    df = pd.DataFrame({"when": ["2019H1", "二季度"]}, index=["a", "b"])
    out = parse_periods(df, column="when", year=2019)
    assert out["when"].tolist() == ["2019H1", "2019Q2"]
    assert list(out.index) == ["a", "b"]


def test_parse_periods_uses_a_year_column_when_no_year_is_given():
    df = pd.DataFrame({"period": ["上半年", "全年", "2021Q1"], "year": [2019, 2020, 2021]})
    out = parse_periods(df)
    assert out["period"].tolist() == ["2019H1", "2020FY", "2021Q1"]
    # idempotent: the codes and the year column agree
    pd.testing.assert_frame_equal(parse_periods(out), out)


def test_parse_periods_year_column_with_gaps():
    df = pd.DataFrame({"period": ["上半年", "2020FY"], "year": [2019, np.nan]})
    assert parse_periods(df)["year"].tolist() == [2019, 2020]


def test_parse_periods_names_the_row_and_label():
    df = pd.DataFrame({"period": ["上半年", "上伴年"]}, index=[10, 11])
    with pytest.raises(PeriodError, match=r"row 11: unknown period label '上伴年'"):
        parse_periods(df, year=2019)


def test_parse_periods_missing_label_and_missing_column():
    with pytest.raises(PeriodError, match="row 1: missing"):
        parse_periods(pd.DataFrame({"period": ["2019H1", None]}))
    with pytest.raises(PeriodError, match="no column 'period'"):
        parse_periods(pd.DataFrame({"when": ["2019H1"]}))


def test_parse_periods_missing_year_names_the_row():
    with pytest.raises(PeriodError, match="row 0: period '上半年' states no year"):
        parse_periods(pd.DataFrame({"period": ["上半年"]}))


# --- previous_year and single_period -------------------------------------------------------


def test_previous_year_keeps_the_type():
    assert previous_year("2019H1") == "2018H1"
    assert previous_year("2019M07-09") == "2018M07-09"
    assert previous_year(Period(2019, 1, 5)) == Period(2018, 1, 5)


def test_previous_year_rejects_a_label_without_year():
    with pytest.raises(PeriodError, match="no year"):
        previous_year("上半年")


@pytest.mark.parametrize(
    ("later", "earlier", "code"),
    [
        ("2019H1", "2019Q1", "2019Q2"),
        ("2019FY", "2019H1", "2019H2"),
        ("2019FY", "2019Q3", "2019Q4"),
        ("2019Q3", "2019H1", "2019M07-09"),
        ("2019M05", "2019M02", "2019M03-05"),
        (Period(2019, 1, 6), Period(2019, 1, 3), "2019Q2"),
    ],
)
def test_single_period(later, earlier, code):
    result = single_period(later, earlier)
    assert isinstance(result, Period)
    assert result.code == code


@pytest.mark.parametrize(
    ("later", "earlier", "message"),
    [
        ("2019Q1", "2019H1", "must end before"),
        ("2019H1", "2019H1", "must end before"),
        ("2019H1", "2018Q1", "different years"),
        ("2019H2", "2019H1", "later period 2019H2 is a single span"),
        ("2019FY", "2019Q2", "earlier period 2019Q2 is a single span"),
    ],
)
def test_single_period_refusals(later, earlier, message):
    with pytest.raises(PeriodError, match=message):
        single_period(later, earlier)


# --- derive_single -------------------------------------------------------------------------


def _figures(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "region": ["erqi", "erqi", "jinshui", "jinshui"],
            "indicator": ["gdp", "gdp", "gdp", "gdp"],
            "period": ["2019Q1", "2019H1", "2019Q1", "2019H1"],
            "value": [150.0, 323.3, 500.0, 1100.0],
            "unit": "亿元",
            "kind": "flow",
        }
    )
    return frame.assign(**overrides)


def test_derive_single_differences_cumulative_flows():
    out = derive_single(_figures(), later="2019H1", earlier="2019Q1")
    assert out.columns.tolist() == ["region", "indicator", "period", "value", "unit", "kind"]
    assert out["region"].tolist() == ["erqi", "jinshui"]
    assert out["period"].tolist() == ["2019Q2", "2019Q2"]
    assert out["value"].tolist() == pytest.approx([173.3, 600.0])
    assert out["kind"].tolist() == ["flow", "flow"]
    assert out["unit"].tolist() == ["亿元", "亿元"]


def test_derive_single_does_not_mutate_its_input():
    df = _figures()
    before = df.copy()
    derive_single(df, later="2019H1", earlier="2019Q1")
    pd.testing.assert_frame_equal(df, before)


def test_derive_single_ignores_other_periods_and_keeps_gaps():
    df = pd.concat(
        [
            _figures(),
            pd.DataFrame(
                {
                    "region": ["guancheng", "erqi"],
                    "indicator": ["gdp", "gdp"],
                    "period": ["2019H1", "2018FY"],
                    "value": [400.0, 999.0],
                    "unit": "亿元",
                    "kind": ["flow", "stock"],  # the 2018FY stock row is not requested
                }
            ),
        ],
        ignore_index=True,
    )
    out = derive_single(df, later="2019H1", earlier="2019Q1")
    assert out["region"].tolist() == ["erqi", "jinshui", "guancheng"]
    assert math.isnan(out["value"].iloc[2])  # no Q1 figure: the Q2 value is a gap


def test_derive_single_carries_year_and_months():
    df = parse_periods(_figures())
    out = derive_single(df, later="2019H1", earlier="2019Q1")
    assert out[["year", "start_month", "end_month"]].drop_duplicates().values.tolist() == [
        [2019, 4, 6]
    ]


@pytest.mark.parametrize("kind", ["stock", "rate", "share", "count", "rank", "relation"])
def test_derive_single_refuses_non_flows(kind):
    df = _figures(kind=["flow", "flow", kind, kind], indicator=["gdp", "gdp", "x", "x"])
    with pytest.raises(PeriodError, match=rf"cannot difference.*x \({kind}\).*only cumulative"):
        derive_single(df, later="2019H1", earlier="2019Q1")


def test_derive_single_refuses_a_missing_kind():
    df = _figures(kind=["flow", None, "flow", "flow"])
    with pytest.raises(PeriodError, match="cannot difference"):
        derive_single(df, later="2019H1", earlier="2019Q1")


def test_derive_single_other_kind_column():
    df = _figures().rename(columns={"kind": "type"})
    out = derive_single(df, later="2019H1", earlier="2019Q1", kind_column="type")
    assert out["type"].tolist() == ["flow", "flow"]
    with pytest.raises(PeriodError, match="lacks column"):
        derive_single(df, later="2019H1", earlier="2019Q1")


def test_derive_single_refuses_duplicates_and_unit_clashes():
    doubled = pd.concat([_figures(), _figures().iloc[[0]]], ignore_index=True)
    with pytest.raises(PeriodError, match=r"more than one figure.*erqi/gdp/2019Q1"):
        derive_single(doubled, later="2019H1", earlier="2019Q1")
    mixed = _figures(unit=["亿元", "万元", "亿元", "亿元"])
    with pytest.raises(PeriodError, match="units differ"):
        derive_single(mixed, later="2019H1", earlier="2019Q1")


def test_derive_single_refuses_text_values_and_non_canonical_codes():
    with pytest.raises(PeriodError, match="numeric"):
        derive_single(_figures(value=["1", "2", "3", "4"]), later="2019H1", earlier="2019Q1")
    with pytest.raises(PeriodError, match=r"'2019M06' is not a canonical.*parse_periods"):
        derive_single(
            _figures(period=["2019Q1", "2019M06", "2019Q1", "2019H1"]),
            later="2019H1",
            earlier="2019Q1",
        )


def test_derive_single_reads_period_labels_in_its_arguments():
    out = derive_single(_figures(), later="2019年上半年", earlier="2019年一季度")
    assert out["period"].tolist() == ["2019Q2", "2019Q2"]


def test_derive_single_refuses_single_periods():
    with pytest.raises(PeriodError, match="single span"):
        derive_single(_figures(), later="2019H2", earlier="2019H1")


# --- period_grid ---------------------------------------------------------------------------


def test_period_grid_counts_figures_in_time_order():
    df = pd.DataFrame(
        {
            "region": ["erqi", "erqi", "erqi", "jinshui", "jinshui"],
            "period": ["2019FY", "2019Q2", "2019H1", "2019H1", "2018FY"],
            "value": [1.0, 2.0, 3.0, np.nan, 5.0],
        }
    )
    grid = period_grid(df)
    assert grid.columns.tolist() == ["2018FY", "2019H1", "2019Q2", "2019FY"]
    assert grid.index.tolist() == ["erqi", "jinshui"]
    assert grid.loc["erqi"].tolist() == [0, 1, 1, 1]
    assert grid.loc["jinshui"].tolist() == [1, 0, 0, 0]
    assert (grid.dtypes == "int64").all()


def test_period_grid_without_values_counts_rows():
    df = pd.DataFrame({"region": ["a", "a", "b"], "period": ["2019H1", "2019H1", "2019FY"]})
    grid = period_grid(df)
    assert grid.loc["a", "2019H1"] == 2
    assert grid.loc["b", "2019H1"] == 0


def test_period_grid_needs_codes():
    with pytest.raises(PeriodError, match="parse_periods"):
        period_grid(pd.DataFrame({"region": ["a"], "period": ["上半年"]}))


# --- properties ----------------------------------------------------------------------------

spans = st.integers(1, 12).flatmap(lambda end: st.tuples(st.integers(1, end), st.just(end)))
periods = st.builds(lambda year, span: Period(year, *span), st.integers(1900, 2100), spans)


@given(periods)
def test_from_code_inverts_code(period):
    assert Period.from_code(period.code) == period


@given(periods)
def test_chinese_label_reads_back(period):
    assert parse_period(period.label("zh")) == period


@given(periods)
def test_previous_year_then_code(period):
    assert previous_year(period.code) == Period(period.year - 1, *_span(period)).code


def _span(period: Period) -> tuple[int, int]:
    return period.start_month, period.end_month


@given(
    st.integers(2000, 2030),
    st.lists(
        st.tuples(st.floats(0, 1e6, allow_nan=False), st.floats(0, 1e6, allow_nan=False)),
        min_size=1,
        max_size=5,
    ),
)
def test_h1_plus_second_half_is_the_full_year(year, pairs):
    regions = [f"r{i}" for i in range(len(pairs))]
    h1 = [a for a, _ in pairs]
    fy = [a + b for a, b in pairs]
    df = pd.DataFrame(
        {
            "region": regions * 2,
            "indicator": "gdp",
            "period": [f"{year}H1"] * len(pairs) + [f"{year}FY"] * len(pairs),
            "value": h1 + fy,
            "kind": "flow",
        }
    )
    h2 = derive_single(df, later=f"{year}FY", earlier=f"{year}H1")
    assert h2["period"].unique().tolist() == [f"{year}H2"]
    assert h2["region"].tolist() == regions
    for first, second, full in zip(h1, h2["value"], fy, strict=True):
        assert first + second == pytest.approx(full, rel=1e-12, abs=1e-6)


def test_derive_single_refuses_figures_of_different_vintages():
    # China 2019: the revised full year minus the first-release first half is no second half
    df = pd.DataFrame(
        {
            "region": "china",
            "indicator": "gdp",
            "period": ["2019H1", "2019FY"],
            "value": [450933.0, 986515.0],
            "kind": "flow",
            "release": [1, 2],
        }
    )
    with pytest.raises(PeriodError, match=r"different vintages: china/gdp \(2019FY release 2, "):
        derive_single(df, later="2019FY", earlier="2019H1")
    same = df.assign(value=[450933.0, 990865.0], release=[1, 1])
    out = derive_single(same, later="2019FY", earlier="2019H1")
    assert out["period"].tolist() == ["2019H2"] and out["value"].tolist() == [539932.0]
