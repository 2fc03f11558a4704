"""Tests of analysis.data.reading: long and wide raw files into one raw frame of strings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data import reading
from analysis.data.reading import COLUMNS, ReadError

FIXTURES = Path(__file__).parent / "fixtures"
_LOCAL_RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
RAW = _LOCAL_RAW if (_LOCAL_RAW / "published_figures.csv").exists() else Path("/work/shared/data")

ERQI_CSVS = {
    "wide_erqi_2019H1.csv": "utf-8",
    "wide_erqi_2019H1_bom.csv": "utf-8-sig",
    "wide_erqi_2019H1_gbk.csv": "gb18030",
}
READABLE = [
    "wide_china_2019.xlsx",
    *ERQI_CSVS,
    "long_sample.csv",
    "long_sample_gbk.csv",
]


def _row(frame: pd.DataFrame, **match: str) -> pd.Series:
    """The one row whose columns equal the given texts."""
    mask = pd.Series(True, index=frame.index)
    for column, text in match.items():
        mask &= frame[column] == text
    assert mask.sum() == 1, f"{mask.sum()} rows match {match}"
    return frame.loc[mask].iloc[0]


def _write(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# ------------------------------------------------------------------------------ every frame


@pytest.mark.parametrize("name", READABLE)
def test_columns_in_order_all_strings_no_missing(name):
    raw = reading.read_raw(FIXTURES / name)
    assert list(raw.columns) == list(COLUMNS)
    assert all(pd.api.types.is_string_dtype(raw[c]) for c in raw.columns)
    assert not raw.isna().any().any()
    assert (raw["source_file"] == str(FIXTURES / name)).all()
    assert raw["source_line"].str.fullmatch(r"[1-9]\d*").all()


@pytest.mark.parametrize("name", READABLE)
def test_reading_twice_gives_equal_frames(name):
    first, second = reading.read_raw(FIXTURES / name), reading.read_raw(FIXTURES / name)
    pd.testing.assert_frame_equal(first, second)
    assert first.attrs == second.attrs


# --------------------------------------------------------------------------- the xlsx table


@pytest.fixture(scope="module")
def china() -> pd.DataFrame:
    return reading.read_wide(FIXTURES / "wide_china_2019.xlsx")


def test_xlsx_current_period_row(china):
    row = _row(china, indicator_zh="地区生产总值", period="2019年1-6月")
    assert row["value"] == "450933"
    assert row["yoy_pct"] == "6.3"
    assert row["unit"] == "亿元"
    assert row["source_line"] == "4"
    assert row["source_column"] == "1-6月/本期"
    assert row["region"] == row["region_zh"] == "全国"


def test_xlsx_prior_year_column_becomes_its_own_row(china):
    row = _row(china, indicator_zh="地区生产总值", period="2018年1-6月")
    assert row["value"] == "418961"
    assert row["yoy_pct"] == ""
    assert row["source_column"] == "1-6月/上年同期"
    assert (
        _row(china, indicator_zh="城镇居民人均可支配收入", period="2018年1-6月")["value"] == "19770"
    )


def test_xlsx_merged_period_label_fills_every_column_of_its_group(china):
    full_year = _row(china, indicator_zh="地区生产总值", period="2019年全年")
    assert (full_year["value"], full_year["yoy_pct"]) == ("990865", "6.1")
    assert full_year["source_column"] == "全年/本期"
    assert _row(china, indicator_zh="地区生产总值", period="2018年全年")["value"] == "900309"
    assert _row(china, source_column="全年/上年同期")["source_line"] == "4"


def test_xlsx_numbers_as_written_and_empty_groups_give_no_rows(china):
    assert (
        _row(china, indicator_zh="城镇居民人均可支配收入", period="2019年1-6月")["yoy_pct"] == "8"
    )
    fai = china[china["indicator_zh"] == "固定资产投资(不含农户)"]
    assert fai[["period", "value", "yoy_pct"]].values.tolist() == [["2019年1-6月", "299100", "5.8"]]
    assert len(china) == 9


def test_xlsx_note_row_skipped_and_recorded(china):
    assert china.attrs["skipped_rows"] == [(8, "注:地区生产总值增速按可比价格计算。")]
    assert not china["indicator_zh"].str.startswith("注").any()
    assert china.attrs["title"] == "全国2019年主要经济指标"
    assert china.attrs["year"] == "2019"
    assert china.attrs["sheet"] == "主要指标"
    assert china.attrs["format"] == "wide"
    assert china.attrs["encoding_reason"].startswith("Excel")


def test_xlsx_sheet_by_number_and_region_argument(china):
    again = reading.read_wide(FIXTURES / "wide_china_2019.xlsx", sheet=0, region="china")
    assert (again["region"] == "china").all() and (again["region_zh"] == "全国").all()
    pd.testing.assert_frame_equal(again.drop(columns="region"), china.drop(columns="region"))


def test_xlsx_missing_sheet_names_the_sheets():
    with pytest.raises(ReadError, match=r"no sheet '2019'; the workbook has sheets \['主要指标'\]"):
        reading.read_wide(FIXTURES / "wide_china_2019.xlsx", sheet="2019")
    with pytest.raises(ReadError, match="no sheet number 3"):
        reading.read_wide(FIXTURES / "wide_china_2019.xlsx", sheet=3)


def test_period_argument_year_wins_over_title():
    raw = reading.read_wide(FIXTURES / "wide_china_2019.xlsx", period="2020")
    assert set(raw["period"]) == {"2020年1-6月", "2019年1-6月", "2020年全年", "2019年全年"}
    assert raw.attrs["year_from"] == "period argument '2020'"


def test_xlsx_percent_cells_number_column_unit_subtitle_and_headings(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["郑州市二七区主要经济指标"])
    ws.append(["单位：亿元"])
    ws.append(["序号", "项目", "2019年1-6月", None, "年度计划"])
    ws.append([None, None, "累计", "增速", None])
    ws.append([1, "地区生产总值", 323.3, 0.08, None])
    ws.append([None, "一、投资"])
    ws.append([2, "重大项目完成投资", 253, None, 496])
    ws["D5"].number_format = "0.0%"
    ws.merge_cells("A1:E1")
    ws.merge_cells("C3:D3")
    book.save(tmp_path / "t.xlsx")
    raw = reading.read_raw(tmp_path / "t.xlsx")
    assert raw[
        ["region", "indicator_zh", "period", "value", "unit", "yoy_pct"]
    ].values.tolist() == [
        ["二七区", "地区生产总值", "2019年1-6月", "323.3", "亿元", "8%"],
        ["二七区", "重大项目完成投资", "2019年1-6月", "253", "亿元", ""],
    ]
    assert raw["source_line"].tolist() == ["5", "7"]
    assert raw.attrs["ignored_columns"] == ["序号", "年度计划"]
    assert raw.attrs["skipped_rows"] == [(6, "一、投资")]


# ---------------------------------------------------------------------- the erqi CSV tables


@pytest.mark.parametrize(("name", "encoding"), ERQI_CSVS.items())
def test_erqi_encodings_reported(name, encoding):
    raw = reading.read_raw(FIXTURES / name)
    assert raw.attrs["encoding"] == encoding
    assert reading.detect_encoding(FIXTURES / name).name == encoding


def test_erqi_three_encodings_give_identical_frames():
    frames = [reading.read_raw(FIXTURES / name).drop(columns="source_file") for name in ERQI_CSVS]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])


def test_encoding_reasons():
    reasons = {n: reading.detect_encoding(FIXTURES / n).reason for n in ERQI_CSVS}
    assert reasons["wide_erqi_2019H1_bom.csv"] == "UTF-8 byte-order mark"
    assert reasons["wide_erqi_2019H1.csv"] == "valid UTF-8"
    assert reasons["wide_erqi_2019H1_gbk.csv"] == (
        "not valid UTF-8; decodes as GB18030 (superset of GBK/GB2312)"
    )


def test_erqi_cells():
    raw = reading.read_raw(FIXTURES / "wide_erqi_2019H1_gbk.csv")
    assert len(raw) == 7
    assert set(raw["period"]) == {"2019年1-6月"}
    assert set(raw["region"]) == {"二七区"}
    gdp = _row(raw, indicator_zh="地区生产总值")
    assert gdp[["value", "unit", "yoy_pct", "plan_pct", "source_line"]].tolist() == [
        "323.3", "亿元", "8", "", "4",
    ]  # fmt: skip
    income = _row(raw, indicator_zh="城镇居民人均可支配收入")
    assert (income["value"], income["yoy_pct"], income["unit"]) == ("", "8", "元")
    assert income["source_column"] == "1-6月/同比增长(%)"
    projects = _row(raw, indicator_zh="重大项目完成投资")
    assert (projects["value"], projects["yoy_pct"], projects["plan_pct"]) == ("253", "", "51")
    assert _row(raw, indicator_zh="重大生态项目完成投资")["plan_pct"] == "72.9"
    assert _row(raw, indicator_zh="新增市场主体")[["value", "unit"]].tolist() == ["1.11", "万家"]
    assert raw.attrs["skipped_rows"] == [
        (11, ""),
        (12, "数据来源:二七区2019年上半年经济形势分析会"),
    ]


def test_unit_split_from_bracketed_name_prefix_and_indent_stripped(tmp_path):
    path = _write(
        tmp_path / "erqi.csv",
        [
            ["二七区2019年上半年主要经济指标", "", ""],
            ["指标", "本期", "增速(%)"],
            ["地区生产总值（亿元）", "323.3", "8"],
            ["重大项目完成投资(亿元)", "253", ""],
            ["　　其中：重大生态项目完成投资(亿元)", "18.12", ""],
            ["固定资产投资(不含农户)", "", "5.8"],
            ["注:增速按可比价格计算。", "", ""],
        ],
        encoding="gbk",
    )
    raw = reading.read_wide(path)
    assert raw[["indicator_zh", "unit"]].values.tolist() == [
        ["地区生产总值", "亿元"],
        ["重大项目完成投资", "亿元"],
        ["重大生态项目完成投资", "亿元"],
        ["固定资产投资(不含农户)", ""],
    ]
    # no period heading: the title's period
    assert set(raw["period"]) == {"2019年上半年"}
    assert raw["source_column"].tolist() == ["本期", "本期", "本期", "增速(%)"]
    assert raw.attrs["skipped_rows"] == [(7, "注:增速按可比价格计算。")]


def test_csv_period_labels_written_once_fill_across(tmp_path):
    path = _write(
        tmp_path / "china.csv",
        [
            ["全国主要经济指标", "", "", "", "", "", ""],
            ["指标名称", "计量单位", "1-6月", "", "全年", "", "年度计划"],
            ["", "", "绝对值", "比上年同期增长(%)", "绝对值", "比上年同期增长(%)", ""],
            ["地区生产总值", "亿元", "450933", "6.3", "990865", "6.1", ""],
        ],
    )
    raw = reading.read_wide(path, period="2019")
    assert raw[["period", "value", "yoy_pct", "source_column"]].values.tolist() == [
        ["2019年1-6月", "450933", "6.3", "1-6月/绝对值"],
        ["2019年全年", "990865", "6.1", "全年/绝对值"],
    ]
    assert raw.attrs["ignored_columns"] == ["年度计划"]


def test_wide_without_year_asks_for_period(tmp_path):
    path = _write(
        tmp_path / "china.csv",
        [["全国主要经济指标", "", ""], ["指标", "1-6月", ""], ["", "本期", "同比增长(%)"],
         ["地区生产总值(亿元)", "450933", "6.3"]],
    )  # fmt: skip
    with pytest.raises(ReadError, match=r"line 3: cannot tell which year .*pass period="):
        reading.read_wide(path)


def test_wide_without_region_raises():
    with pytest.raises(ReadError) as info:
        reading.read_raw(FIXTURES / "wide_no_region.csv")
    assert info.value.file.endswith("wide_no_region.csv")
    assert info.value.line == 3
    assert "cannot tell which region this table is for" in str(info.value)
    assert "pass region=" in str(info.value)
    raw = reading.read_raw(FIXTURES / "wide_no_region.csv", region="erqi")
    assert raw[["region", "region_zh", "period", "value"]].values.tolist() == [
        ["erqi", "", "2019年1-6月", "323.3"]
    ]


def test_wide_without_headings_raises(tmp_path):
    path = _write(tmp_path / "x.csv", [["指标", "数"], ["地区生产总值", "1"]])
    with pytest.raises(ReadError, match=r"x\.csv: no heading row found.*本期"):
        reading.read_wide(path, region="erqi")


def test_wide_two_value_columns_under_one_label_raises(tmp_path):
    path = _write(
        tmp_path / "x.csv",
        [
            ["二七区2019年主要经济指标", "", ""],
            ["指标", "本期", "本期"],
            ["地区生产总值", "1", "2"],
        ],
    )
    with pytest.raises(ReadError, match=r"line 2: two value columns"):
        reading.read_wide(path)


# ------------------------------------------------------------------------------- long files


def test_long_sample_cells_and_quoted_commas():
    raw = reading.read_long(FIXTURES / "long_sample.csv")
    assert len(raw) == 13
    row = _row(raw, region="china", period="2019FY", value="99.1")
    assert row["note"] == "preliminary, rounded; as cited in 2020"
    assert row["source_line"] == "6"
    assert row["unit"] == "万亿元"
    assert row["source_url"] == "http://news.cncaa.org/36639.html"
    erqi = _row(raw, region="erqi", indicator="gdp", period="2017FY")
    assert erqi["note"].startswith("preliminary (初步预计), 映象网")
    # optional columns the file lacks are empty
    assert (raw[["indicator_zh", "plan_pct", "peer_group", "source_column"]] == "").all().all()
    assert raw.attrs["ignored_columns"] == [] and raw.attrs["format"] == "long"


def test_long_gb18030_with_crlf_equals_utf8():
    utf8 = reading.read_long(FIXTURES / "long_sample.csv")
    gbk = reading.read_long(FIXTURES / "long_sample_gbk.csv")
    assert gbk.attrs["encoding"] == "gb18030"
    pd.testing.assert_frame_equal(gbk.drop(columns="source_file"), utf8.drop(columns="source_file"))
    assert not gbk["note"].str.contains("\r").any()


def test_long_region_name_only_unknown_columns_and_blank_lines(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "region_zh,period,indicator_zh,value,unit,source\r\n"
        "二七区,2019H1,地区生产总值,323.3,亿元,press\r\n"
        "\r\n"
        ",,,,,\r\n"
        "二七区,2019H1,新增市场主体,1.11,万家,press\r\n",
        encoding="utf-8",
    )
    raw = reading.read_long(path)
    assert raw[
        ["region", "region_zh", "indicator", "indicator_zh", "source_line"]
    ].values.tolist() == [
        ["二七区", "二七区", "", "地区生产总值", "2"],
        ["二七区", "二七区", "", "新增市场主体", "5"],
    ]
    assert raw.attrs["ignored_columns"] == ["source"]
    assert raw.attrs["skipped_rows"] == [(3, ""), (4, "")]


def test_long_ragged_row_names_its_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("region_code,period,indicator,value,unit\nerqi,2019H1,gdp,323,3,亿元\n")
    with pytest.raises(ReadError, match=r"x\.csv, line 2: 6 fields, the header \(line 1\) has 5"):
        reading.read_long(path)


@pytest.mark.parametrize(
    ("name", "rows", "check"),
    [
        ("erqi_2019H1_meeting.csv", 46, {"indicator": "gdp", "value": "323.3", "yoy_pct": "8"}),
        ("published_figures.csv", 417, {"region": "china", "period": "2019H1", "indicator": "gdp"}),
        ("yiwu_figures.csv", 69, {"region": "330782", "period": "2022H1", "indicator": "gdp"}),
    ],
)
def test_real_files(name, rows, check):
    raw = reading.read_raw(RAW / name)
    assert len(raw) == rows
    assert raw.attrs["format"] == "long" and raw.attrs["encoding"] == "utf-8"
    assert raw.attrs["ignored_columns"] == [] and raw.attrs["skipped_rows"] == []
    assert raw["source_line"].tolist() == [str(n) for n in range(2, rows + 2)]
    assert len(_row(raw, **check)) == len(COLUMNS)


def test_real_erqi_ranks_keep_their_peer_group():
    raw = reading.read_raw(RAW / "erqi_2019H1_meeting.csv")
    row = _row(raw, indicator="investment_promotion_rank")
    assert (row["region"], row["region_zh"], row["peer_group"]) == ("erqi", "二七区", "市内六区")
    assert _row(raw, indicator="eco_project_investment")["plan_pct"] == "72.9"


_FIELD = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.tuples(_FIELD, _FIELD, _FIELD), min_size=1, max_size=5),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_long_round_trip_keeps_every_text(tmp_path, cells, encoding):
    rows = [["region_code", "period", "indicator", "value", "unit", "note"]]
    rows += [[region, "2019H1", "gdp", value, "亿元", note] for region, value, note in cells]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "round.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    raw = reading.read_long(path)
    expected = [[r.strip(), v.strip(), n.strip()] for r, v, n in cells]
    assert raw[["region", "value", "note"]].values.tolist() == expected


# ------------------------------------------------------------------------------ read errors


def test_read_error_message_and_attributes():
    err = ReadError("a.csv", 7, "bad")
    assert (str(err), err.file, err.line, err.problem) == ("a.csv, line 7: bad", "a.csv", 7, "bad")
    assert str(ReadError("a.csv", None, "bad")) == "a.csv: bad"


@pytest.mark.parametrize(
    ("name", "line", "pattern"),
    [
        ("empty.csv", None, r"empty\.csv: empty file \(0 bytes\): no data rows"),
        ("header_only.csv", 1, r"header_only\.csv, line 1: header only: no data rows"),
        (
            "missing_column.csv",
            1,
            r"missing_column\.csv, line 1: missing required column\(s\) unit; "
            r"the header has \['region_zh', 'region_code', 'period', .*\]; "
            r"a long file needs period, value, unit",
        ),
        (
            "undecodable.csv",
            3,
            r"undecodable\.csv, line 3: cannot decode: .*utf-8 \(byte 0xff\) at line 3; "
            r"gb18030 \(byte 0xff\) at line 3; encodings tried: utf-8-sig .*, utf-8, gb18030",
        ),
        ("no_such_file.csv", None, r"no_such_file\.csv: no such file"),
    ],
)
def test_bad_inputs(name, line, pattern):
    with pytest.raises(ReadError, match=pattern) as info:
        reading.read_raw(FIXTURES / name)
    assert info.value.line == line
    assert info.value.file == str(FIXTURES / name)


def test_undecodable_bytes_fail_both_encodings():
    data = (FIXTURES / "undecodable.csv").read_bytes()
    for codec in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(codec)
    with pytest.raises(ReadError, match="line 3"):
        reading.detect_encoding(FIXTURES / "undecodable.csv")


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("figures.txt", r"figures\.txt: unknown format '\.txt'; read_raw reads \.csv, \.xlsx"),
        ("figures", r"unknown format '\(no suffix\)'"),
        ("old.xls", r"old\.xls: old Excel format \.xls is not read; .*save it as \.xlsx"),
    ],
)
def test_unknown_formats(tmp_path, name, pattern):
    path = tmp_path / name
    path.write_text("period,value\n")
    with pytest.raises(ReadError, match=pattern):
        reading.read_raw(path)


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("period,value\n".encode("utf-16"))
    with pytest.raises(ReadError, match=r"UTF-16 .*save the file as CSV in UTF-8"):
        reading.detect_encoding(path)


def test_broken_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ReadError, match=r"broken\.xlsx: not a readable Excel workbook"):
        reading.read_raw(path)


# -------------------------------------------------------------------------- dispatch, options


def test_read_raw_dispatch_by_header():
    assert reading.read_raw(FIXTURES / "long_sample_gbk.csv").attrs["format"] == "long"
    assert reading.read_raw(FIXTURES / "wide_erqi_2019H1_bom.csv").attrs["format"] == "wide"


def test_read_raw_options():
    with pytest.raises(TypeError, match=r"long file .*options \['region'\] do not apply"):
        reading.read_raw(FIXTURES / "long_sample.csv", region="erqi")
    with pytest.raises(TypeError, match=r"unknown option\(s\) \['year'\]; allowed: region"):
        reading.read_raw(FIXTURES / "wide_erqi_2019H1.csv", year="2019")
    with pytest.raises(ValueError, match="sheet='x' applies to Excel workbooks only"):
        reading.read_wide(FIXTURES / "wide_erqi_2019H1.csv", sheet="x")
    with pytest.raises(TypeError, match="region= must be a non-empty string"):
        reading.read_wide(FIXTURES / "wide_erqi_2019H1.csv", region="")


def test_list_raw_files(tmp_path):
    for name in ("b.csv", "a.XLSX", "c.xls", "a.meta.json", "b.meta.csv", "README.md",
                 ".hidden.csv", "~$a.xlsx", "notes.txt"):  # fmt: skip
        (tmp_path / name).write_text("x")
    (tmp_path / "sub.csv").mkdir()
    assert [p.name for p in reading.list_raw_files(tmp_path)] == ["a.XLSX", "b.csv", "c.xls"]
    with pytest.raises(ReadError, match="no such folder"):
        reading.list_raw_files(tmp_path / "missing")


def test_list_raw_files_of_real_data_folder():
    names = [p.name for p in reading.list_raw_files(RAW)]
    assert names == ["erqi_2019H1_meeting.csv", "published_figures.csv", "yiwu_figures.csv"]


# --- encodings and workbooks that are not what they seem ---------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xef\xbb\xbf" + "指标,本期\n".encode("gbk"), "byte-order mark, but byte 0x"),
        ("region,value\n二七区,1\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        (b"a,b\n1,\x002\n", "a NUL byte"),
        ("指标,本期\n".encode("gbk") + "二七区,1\n".encode(), "mixes encodings"),
    ],
)
def test_mixed_or_binary_text_is_refused_with_its_line(tmp_path, data, message):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(reading.ReadError, match=message):
        reading.detect_encoding(path)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("地區生產總值,億元,初步核算", "big5", "cp950"),
        ("地区生产总值,亿元,初步核算", "gbk", "gb18030"),
        ("二七区", "gbk", "gb18030"),  # also valid Big5: a tie reads as GBK
    ],
)
def test_big5_is_told_from_gbk(tmp_path, text, codec, expected):
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode(codec))
    assert reading.detect_encoding(path).name == expected
    assert path.read_bytes().decode(expected) == text


def test_every_visible_sheet_is_read_and_hidden_rows_say_so(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "A"
    header = ["region_code", "period", "indicator", "value", "unit"]
    for cells in (header, ["erqi", "2019H1", "gdp", "323.3", "亿元"]):
        first.append(cells)
    second = book.create_sheet("B")
    for cells in (header, ["erqi", "2019H1", "major_projects", "175", "个"],
                  ["erqi", "2019H1", "new_schools", "=B1", "所"]):  # fmt: skip
        second.append(cells)
    second.row_dimensions[2].hidden = True
    book.create_sheet("notes").append(["说明"])
    book.save(tmp_path / "book.xlsx")
    raw = reading.read_raw(tmp_path / "book.xlsx")
    assert raw["source_column"].tolist() == ["A!", "B!", "B!"]
    assert raw["problem"].str.contains("hidden row 2 of sheet 'B'").tolist() == [False, True, False]
    assert "holds a formula (=B1)" in raw.loc[2, "problem"]
    assert raw.attrs["skipped_sheets"][0][0] == "notes"
