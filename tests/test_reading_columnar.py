"""The columnar reader of long CSV files gives exactly what the row reader gives.

``reading.read_long`` reads a CSV with pyarrow (``_long_csv_columnar``) and keeps the row
reader (``_long_frame`` over ``_csv_records``) for files it does not take (a malformed
row is reported there, with its line). Both must agree on every file the columnar reader
takes: cells, line numbers, skipped rows, attributes.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.data import reading

HEADER = ["region_code", "period", "indicator", "value", "unit", "note"]


UTF8 = reading.Encoding("utf-8", "valid UTF-8")


def _both(data: bytes, encoding=UTF8):
    """(columnar result or None, row reader result or the ReadError it raised)."""
    try:
        slow = reading._long_frame(
            reading._csv_records(data.decode(encoding.name)), file="x.csv", encoding=encoding
        )
    except reading.ReadError as err:
        slow = err
    try:
        fast = reading._long_csv_columnar(data, file="x.csv", encoding=encoding)
    except reading.ReadError as err:
        fast = err
    return fast, slow


def _same(fast, slow) -> None:
    if isinstance(slow, reading.ReadError):
        assert fast is None or str(fast) == str(slow)
        return
    if fast is None:
        return
    assert not isinstance(fast, Exception), fast
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.attrs == slow.attrs


_cell = st.text(alphabet=list("ab 中,\"\n\r\t\u3000'=@"), max_size=6)
_line_end = st.sampled_from(["\n", "\r\n"])


@st.composite
def _csv_files(draw) -> bytes:
    end = draw(_line_end)
    rows = [",".join(HEADER)]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["plain", "plain", "quoted", "raw", "blank", "short"]))
        cells = [draw(_cell) for _ in HEADER]
        if kind == "plain":
            cells = [
                c.replace('"', "").replace(",", "").replace("\n", "").replace("\r", "")
                for c in cells
            ]
            rows.append(",".join(cells))
        elif kind == "quoted":
            rows.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
        elif kind == "raw":
            rows.append(",".join(cells))
        elif kind == "blank":
            rows.append(draw(st.sampled_from(["", " ", ",,,,,", " , ,,,,"])))
        else:
            rows.append(",".join(cells[:3]))
    text = end.join(rows) + draw(st.sampled_from(["", end]))
    return text.encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(_csv_files())
def test_columnar_reader_agrees_with_the_row_reader(data):
    _same(*_both(data))


@pytest.mark.parametrize(
    "text",
    [
        "region_code,period,indicator,value,unit\n"
        "erqi,2019H1,gdp,1,亿元\n"
        "erqi,2019H1,gdp_x, 2 ,亿元\n",
        "region_code,period,indicator,value,unit\r\n"
        "erqi,2019H1,gdp,1,亿元\r\n"
        "\r\n"
        ",,,,\r\n"
        'erqi,2019H1,"gdp\r\nline two","1,5",亿元\r\n'
        'erqi,2019H1,gdp,"say ""hi""",亿元',
        "region_zh,period,indicator_zh,value,unit,extra\n二七区,2019H1,地区生产总值,1,亿元,x\n",
    ],
)
def test_well_formed_files_take_the_columnar_reader(text):
    data = text.encode("utf-8")
    fast, slow = _both(data)
    assert fast is not None, "the columnar reader fell back"
    _same(fast, slow)


def test_line_numbers_count_line_breaks_inside_quoted_fields():
    text = (
        "region_code,period,indicator,value,unit,note\n"
        'erqi,2019H1,gdp,1,亿元,"two\nlines"\n'
        "\n"
        "erqi,2019H1,gdp,2,亿元,\n"
    )
    fast, _ = _both(text.encode())
    assert fast["source_line"].tolist() == ["2", "5"]
    assert fast.attrs["skipped_rows"] == [(4, "")]


def test_gbk_and_bom_files_read_the_same(tmp_path):
    text = "region_zh,period,indicator_zh,value,unit\n二七区,2019H1,地区生产总值,1,亿元\n"
    for name, data in [
        ("gbk.csv", text.encode("gbk")),
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        frame = reading.read_long(path)
        encoding = reading.detect_encoding(path)
        assert frame.loc[0, "region"] == "二七区"
        assert frame.attrs["encoding"] == encoding.name
        assert reading._long_csv_columnar(data, file=str(path), encoding=encoding) is not None


def test_a_short_row_is_reported_with_its_line_by_the_row_reader(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("region_code,period,indicator,value,unit\nerqi,2019H1,gdp,1,亿元\nerqi,1\n")
    with pytest.raises(reading.ReadError, match=r"short\.csv, line 3: 2 fields"):
        reading.read_long(path)
