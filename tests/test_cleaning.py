"""Tests of analysis.data.cleaning: text, numbers, units, growth wording and ranks."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.data.cleaning import (
    QUALIFIERS,
    CleaningError,
    Quantity,
    chinese_numeral,
    clean_numeric_column,
    convert_unit,
    known_units,
    normalize_text,
    parse_growth,
    parse_quantity,
    parse_rank,
    parse_unit,
    unit_dimension,
)

EMPTY = Quantity(None, None, None)

# --- normalize_text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２３．４", "123.4"),
        ("８％", "8%"),
        ("（初步核算）", "(初步核算)"),
        ("  增长  8% \t以上 ", "增长 8% 以上"),
        ("1,234.5", "1234.5"),
        ("1，234.5", "1234.5"),
        ("12,345,678亿元", "12345678亿元"),
        ("−1.6%", "-1.6%"),
        ("1,2", "1,2"),  # not a thousands separator
        ("8%，高于全市", "8%,高于全市"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


def test_normalize_text_rejects_non_text():
    with pytest.raises(CleaningError, match="expected text"):
        normalize_text(12)  # type: ignore[arg-type]


# --- units -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("亿元", "亿元"),
        ("亿", "亿元"),
        ("亿元人民币", "亿元"),
        ("十亿元 (billion yuan)", "十亿元"),
        ("十亿元（billion yuan）", "十亿元"),
        ("billion yuan", "十亿元"),
        ("Billion Yuan", "十亿元"),
        ("万亿", "万亿元"),
        ("%", "%"),
        ("％", "%"),
        ("百分点", "个百分点"),
        ("pp", "个百分点"),
        ("rank", "位"),
        ("名", "位"),
        ("户", "家"),
        ("㎡", "平方米"),
        (" 万人次 ", "万人次"),
    ],
)
def test_parse_unit(text, unit):
    assert parse_unit(text) == unit


@pytest.mark.parametrize("text", ["光年", "", "   ", "亿元元", None])
def test_parse_unit_unknown(text):
    with pytest.raises(CleaningError, match=r"unknown unit .*known units: 元, 千元"):
        parse_unit(text)


def test_unit_dimension():
    assert unit_dimension("亿") == "money"
    assert unit_dimension("%") == "percent"
    assert unit_dimension("个百分点") == "points"
    assert unit_dimension("万人次") == "count:人次"
    with pytest.raises(CleaningError, match="unknown unit"):
        unit_dimension("光年")


def test_known_units():
    assert known_units(dimension="money") == (
        "元",
        "千元",
        "万元",
        "百万元",
        "亿元",
        "十亿元",
        "万亿元",
    )
    assert {"%", "个百分点", "位"} <= set(known_units())
    with pytest.raises(CleaningError, match=r"unknown dimension 'weight'; known: .*money"):
        known_units(dimension="weight")


# --- parse_quantity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("323.3亿元", (323.3, "亿元", None)),
        ("约1.1万个", (1.1, "万个", "约")),
        ("22万余件", (22, "万件", "余")),
        ("2.2万余件", (2.2, "万件", "余")),
        ("突破55万人次", (55, "万人次", "突破")),
        ("8%以上", (8, "%", "以上")),
        ("7%左右", (7, "%", "左右")),
        ("超过1.36万亿元", (1.36, "万亿元", "超过")),
        ("-1.6%", (-1.6, "%", None)),
        ("+2.5%", (2.5, "%", None)),
        ("１２３.４亿元", (123.4, "亿元", None)),
        ("１２３．４亿元", (123.4, "亿元", None)),
        ("5688套", (5688, "套", None)),
        ("5688", (5688, None, None)),
        ("1,234.5万元", (1234.5, "万元", None)),
        ("1，234.5万元", (1234.5, "万元", None)),
        ("30亿", (30, "亿元", None)),
        ("1.5十亿元 (billion yuan)", (1.5, "十亿元", None)),
        ("12.74 万亿", (12.74, "万亿元", None)),
        ("323.3 亿元", (323.3, "亿元", None)),
        ("达323.3亿元", (323.3, "亿元", None)),
        ("达到8%", (8, "%", None)),
        ("近5万平方米", (5, "万平方米", "近")),
        ("接近8%", (8, "%", "接近")),
        ("超30%", (30, "%", "超")),
        ("逾10万件", (10, "万件", "逾")),
        ("300多亿元", (300, "亿元", "多")),
        ("20多家", (20, "家", "多")),
        ("20余", (20, None, "余")),
        ("三个", (3, "个", None)),
        ("两万人", (2, "万人", None)),
        ("十二条", (12, "条", None)),
        ("8个百分点", (8, "个百分点", None)),
    ],
)
def test_parse_quantity(text, expected):
    value, unit, qualifier = expected
    assert parse_quantity(text) == Quantity(float(value), unit, qualifier)


def test_parse_quantity_values_are_floats():
    assert type(parse_quantity("5688套").value) is float


@pytest.mark.parametrize("text", ["", "   ", None, float("nan"), np.nan, pd.NA])
def test_parse_quantity_empty(text):
    assert parse_quantity(text) == EMPTY


@pytest.mark.parametrize(("number", "value"), [(5, 5.0), (323.3, 323.3), (np.float64(1.5), 1.5)])
def test_parse_quantity_passes_numbers(number, value):
    assert parse_quantity(number) == Quantity(value, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "八点",
        "12..3",
        "1.2.3亿元",
        "亿元",
        "十亿元 (billion yuan)",
        "约",
        "8光年",
        "1.2万",
        "%8",
    ],
)
def test_parse_quantity_rejects_non_numbers_quoting_the_text(text):
    with pytest.raises(CleaningError) as info:
        parse_quantity(text)
    assert repr(text) in str(info.value)


def test_parse_quantity_rejects_two_qualifiers():
    with pytest.raises(CleaningError, match=r"two qualifiers \(约, 余\)"):
        parse_quantity("约20余家")


def test_every_qualifier_is_read():
    forms = {
        "约": "约8%",
        "近": "近8%",
        "以上": "8%以上",
        "左右": "8%左右",
        "余": "8万余件",
        "多": "8多家",
        "突破": "突破8%",
        "超过": "超过8%",
        "超": "超8%",
        "逾": "逾8%",
        "接近": "接近8%",
    }
    assert set(forms) == set(QUALIFIERS)
    for qualifier, text in forms.items():
        quantity = parse_quantity(text)
        assert quantity.qualifier == qualifier, text
        assert quantity.value == 8.0


def test_quantity_is_frozen():
    with pytest.raises(AttributeError):
        parse_quantity("8%").value = 9.0  # type: ignore[misc]


# --- parse_growth ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增长8%", (8, "%", None)),
        ("同比增长8.0%", (8, "%", None)),
        ("比上年增长 6.5 %", (6.5, "%", None)),
        ("下降3%", (-3, "%", None)),
        ("同比下降3.7%", (-3.7, "%", None)),
        ("减少2.1%", (-2.1, "%", None)),
        ("回落0.5个百分点", (-0.5, "个百分点", None)),
        ("增速回落0.5个百分点", (-0.5, "个百分点", None)),
        ("提高1.2个百分点", (1.2, "个百分点", None)),
        ("提高1.2百分点", (1.2, "个百分点", None)),
        ("增长8%以上", (8, "%", "以上")),
        ("增长7%左右", (7, "%", "左右")),
        ("同比增长约8%", (8, "%", "约")),
        ("持平", (0, "%", None)),
        ("与上年持平", (0, "%", None)),
        ("同比持平", (0, "%", None)),
        ("-3.0", (-3, "%", None)),
        ("8", (8, "%", None)),
        ("-1.6%", (-1.6, "%", None)),
        ("增长-1.6%", (-1.6, "%", None)),
        ("增长８％", (8, "%", None)),
        ("下降0%", (0, "%", None)),
    ],
)
def test_parse_growth(text, expected):
    value, unit, qualifier = expected
    assert parse_growth(text) == Quantity(float(value), unit, qualifier)


def test_parse_growth_zero_is_not_negative():
    assert math.copysign(1.0, parse_growth("下降0%").value) == 1.0


def test_parse_growth_empty_and_numbers():
    assert parse_growth("") == EMPTY
    assert parse_growth(None) == EMPTY
    assert parse_growth(8.0) == Quantity(8.0, "%", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("增长", "no number"),
        ("增长5亿元", "not a growth unit; allowed: %, 个百分点"),
        ("增长1.2倍", "not a known unit"),
        ("下降-3%", "ambiguous"),
        ("大幅增长", "as a number"),
        ("abc", "as a number"),
    ],
)
def test_parse_growth_rejects(text, message):
    with pytest.raises(CleaningError, match=message) as info:
        parse_growth(text)
    assert repr(text) in str(info.value)


# --- numerals and ranks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("〇", 0),
        ("零", 0),
        ("一", 1),
        ("两", 2),
        ("二", 2),
        ("九", 9),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一十五", 15),
        ("九十九", 99),
        ("7", 7),
        ("１２", 12),
    ],
)
def test_chinese_numeral(text, number):
    assert chinese_numeral(text) == number


@pytest.mark.parametrize("text", ["一百", "十十", "二二", "两十", "", "abc", "第一", None])
def test_chinese_numeral_rejects(text):
    with pytest.raises(CleaningError, match="Chinese numeral; allowed"):
        chinese_numeral(text)


def test_all_numerals_up_to_99():
    digits = "一二三四五六七八九"
    for n in range(1, 100):
        tens, units = divmod(n, 10)
        text = ("" if tens == 0 else ("" if tens == 1 else digits[tens - 1]) + "十") + (
            digits[units - 1] if units else ""
        )
        assert chinese_numeral(text) == n


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("第一", 1),
        ("第十二位", 12),
        ("居全市第二", 2),
        ("排名第3", 3),
        ("排名第 3 位", 3),
        ("第３名", 3),
        ("位居全市第五位", 5),
        ("并列第二", 2),
        ("1", 1),
        ("1.0", 1),
        ("1st", 1),
        ("2nd", 2),
        ("3rd", 3),
        ("4th", 4),
        ("11th", 11),
        ("12th", 12),
        ("21st", 21),
        (7, 7),
        (np.int64(3), 3),
    ],
)
def test_parse_rank(text, rank):
    assert parse_rank(text) == rank


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("倒数第一", "counted from the bottom"),
        ("第0", "ranks start at 1"),
        ("0", "ranks start at 1"),
        ("1nd", "write 1st"),
        ("11st", "write 11th"),
        ("前三", "allowed"),
        ("第一百", "allowed"),
        ("abc第1", "allowed"),
        ("", "allowed"),
        ("1.5", "allowed"),
        (1.0, "allowed"),
        (True, "allowed"),
        (None, "allowed"),
    ],
)
def test_parse_rank_rejects(text, message):
    with pytest.raises(CleaningError, match=message):
        parse_rank(text)


# --- convert_unit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1.36, "万亿元", "亿元", 13600.0),
        (3233000, "万元", "亿元", 323.3),
        (323.3, "亿元", "万元", 3233000.0),
        (1.5, "十亿元 (billion yuan)", "亿元", 15.0),
        (2.2, "万件", "件", 22000.0),
        (5, "万平方米", "平方米", 50000.0),
        (8.0, "%", "%", 8.0),
        (1, "亿", "元", 1e8),
    ],
)
def test_convert_unit(value, source, target, expected):
    assert convert_unit(value, from_unit=source, to_unit=target) == pytest.approx(expected)


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, pd.NA])
def test_convert_unit_missing_gives_nan(value):
    assert math.isnan(convert_unit(value, from_unit="万元", to_unit="亿元"))


def test_convert_unit_refuses_other_dimensions():
    with pytest.raises(CleaningError) as info:
        convert_unit(5, from_unit="个", to_unit="亿元")
    assert str(info.value) == "cannot convert 个 to 亿元: 个 is count:个, 亿元 is money"
    with pytest.raises(CleaningError, match="% is percent, 个百分点 is points"):
        convert_unit(1, from_unit="%", to_unit="个百分点")
    with pytest.raises(CleaningError, match=r"count:个.*count:件"):
        convert_unit(1, from_unit="万个", to_unit="件")


def test_convert_unit_refuses_unknown_units_and_text():
    with pytest.raises(CleaningError, match="unknown unit '光年'"):
        convert_unit(1, from_unit="光年", to_unit="亿元")
    with pytest.raises(CleaningError, match="expected a number"):
        convert_unit("1", from_unit="亿元", to_unit="万元")  # type: ignore[arg-type]


# --- clean_numeric_column ----------------------------------------------------------------


def _raw() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": ["323.3", "约1.1", "1.36万亿元", None, "22万余件", "１,２３４"],
            "unit": ["亿元", "万个", "亿元", "亿元", None, "元"],
            "source_file": "erqi.csv",
            "source_line": [2, 3, 4, 5, 6, 7],
        }
    )


def test_clean_numeric_column():
    out = clean_numeric_column(_raw(), column="value")
    assert out["value"].dtype == "float64"
    assert out["value"].tolist()[:3] == [323.3, 1.1, 13600.0]
    assert math.isnan(out["value"].iloc[3])
    assert out["value"].tolist()[4:] == [22.0, 1234.0]
    qualifiers = out["value_qualifier"].tolist()
    assert qualifiers[1] == "约"
    assert qualifiers[4] == "余"
    assert all(pd.isna(q) for i, q in enumerate(qualifiers) if i not in (1, 4))
    assert out["unit"].tolist() == ["亿元", "万个", "亿元", "亿元", "万件", "元"]
    assert out.columns.tolist() == [*_raw().columns, "value_qualifier"]


def test_clean_numeric_column_does_not_mutate_its_input():
    df = _raw()
    before = df.copy()
    clean_numeric_column(df, column="value")
    pd.testing.assert_frame_equal(df, before)


def test_clean_numeric_column_keeps_numbers_and_index():
    df = pd.DataFrame({"value": [1, 2.5, np.nan]}, index=["a", "b", "c"])
    out = clean_numeric_column(df, column="value")
    assert out["value"].tolist()[:2] == [1.0, 2.5]
    assert list(out.index) == ["a", "b", "c"]


def test_clean_numeric_column_names_row_and_source():
    df = _raw().assign(value=["1", "2", "3", "4", "abc", "6"])
    with pytest.raises(CleaningError, match=r"row 4 \(erqi.csv:6\): cannot read 'abc'"):
        clean_numeric_column(df, column="value")


def test_clean_numeric_column_names_row_without_source():
    df = pd.DataFrame({"amount": ["1", "12..3"]}, index=[7, 8])
    with pytest.raises(CleaningError, match=r"^row 8: cannot read '12..3'"):
        clean_numeric_column(df, column="amount")


def test_clean_numeric_column_refuses_a_unit_clash():
    df = _raw().assign(value=["1", "2", "3个", "4", "5", "6"])
    with pytest.raises(
        CleaningError, match=r"row 2 \(erqi.csv:4\): '3个' is not in the row's unit"
    ):
        clean_numeric_column(df, column="value")


def test_clean_numeric_column_refuses_to_lose_a_unit():
    df = pd.DataFrame({"value": ["1", "2亿元"]})
    with pytest.raises(
        CleaningError, match="row 1: '2亿元' states unit 亿元 but the frame has no unit"
    ):
        clean_numeric_column(df, column="value")
    out = clean_numeric_column(
        pd.DataFrame({"value": ["1", "2"]}), column="value", unit_column=None
    )
    assert out["value"].tolist() == [1.0, 2.0]


def test_clean_numeric_column_other_unit_column():
    df = pd.DataFrame({"value": ["1万元"], "单位": ["亿元"]})
    out = clean_numeric_column(df, column="value", unit_column="单位")
    assert out["value"].tolist() == pytest.approx([1e-4])


def test_clean_numeric_column_missing_column():
    with pytest.raises(CleaningError, match="no column 'amount'"):
        clean_numeric_column(_raw(), column="amount")


# --- properties ----------------------------------------------------------------------------

MONEY = known_units(dimension="money")
finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(finite, st.sampled_from(MONEY))
def test_money_conversion_round_trips(value, unit):
    there = convert_unit(value, from_unit=unit, to_unit="亿元")
    back = convert_unit(there, from_unit="亿元", to_unit=unit)
    assert back == pytest.approx(value, rel=1e-12, abs=1e-300)


@given(
    st.decimals(
        min_value=-1_000_000_000,
        max_value=1_000_000_000,
        places=4,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.sampled_from(MONEY),
)
def test_decimal_text_reads_back(number: Decimal, unit):
    text = f"{number}{unit}"
    quantity = parse_quantity(text)
    assert quantity.value == float(number)
    assert quantity.unit == unit
    assert quantity.qualifier is None


@given(finite, st.sampled_from(["增长", "下降"]))
def test_growth_sign_follows_the_wording(value, verb):
    magnitude = abs(round(value, 2))
    quantity = parse_growth(f"{verb}{magnitude}%")
    expected = magnitude if verb == "增长" else -magnitude
    assert quantity.value == pytest.approx(expected)
