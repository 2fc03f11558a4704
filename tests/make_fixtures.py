"""Build the reading fixtures in tests/fixtures/ from the real figures in data/raw/.

Every number is copied from ``published_figures.csv`` or ``erqi_2019H1_meeting.csv``; the
wide tables lay those figures out the way statistics offices send them. The script is
deterministic (fixed workbook timestamps) and re-runnable:

    .venv/bin/python tests/make_fixtures.py
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
_SHARED = Path("/work/shared/data")


def raw_folder() -> Path:
    """The folder of the real files: the project's data/raw, else the shared copy."""
    local = ROOT / "data" / "raw"
    return local if (local / "published_figures.csv").exists() else _SHARED


#: Lines of published_figures.csv (1-based, header is line 1) copied into long_sample.csv:
#: China, Henan, Zhengzhou and Erqi rows, four of them with a quoted field holding a comma.
LONG_SAMPLE_LINES = (58, 62, 63, 64, 66, 68, 70, 128, 133, 193, 256, 258, 265)

_FIXED_TIME = (2019, 7, 15, 0, 0, 0)
_FIXED_STAMP = "2019-07-15T00:00:00Z"


def _csv_text(rows: list[list[str]], *, newline: str = "\n") -> str:
    """Rows as CSV text (fields quoted only when needed)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def _published_lines() -> list[str]:
    """The lines of published_figures.csv, without line ends."""
    return (raw_folder() / "published_figures.csv").read_text(encoding="utf-8").splitlines()


def long_sample() -> str:
    """A dozen real rows of published_figures.csv, verbatim, with its header."""
    lines = _published_lines()
    return "\n".join([lines[0], *(lines[n - 1] for n in LONG_SAMPLE_LINES)]) + "\n"


def wide_erqi_rows() -> list[list[str]]:
    """二七区 2019 H1 as a one-period wide table (figures of erqi_2019H1_meeting.csv)."""
    return [
        ["二七区2019年上半年主要经济指标", "", "", "", ""],
        ["指标", "单位", "1-6月", "", ""],
        ["", "", "本期", "同比增长(%)", "占年度计划(%)"],
        ["地区生产总值", "亿元", "323.3", "8", ""],
        ["城镇居民人均可支配收入", "元", "", "8", ""],
        ["农村居民人均可支配收入", "元", "", "8", ""],
        ["重大项目完成投资", "亿元", "253", "", "51"],
        ["重大生态项目完成投资", "亿元", "18.12", "", "72.9"],
        ["新增市场主体", "万家", "1.11", "", ""],
        ["新建中小学校", "所", "7", "", ""],
        ["", "", "", "", ""],
        ["数据来源:二七区2019年上半年经济形势分析会", "", "", "", ""],
    ]


def wide_no_region_rows() -> list[list[str]]:
    """A wide table whose title names no region (and no argument will)."""
    return [
        ["2019年上半年主要经济指标", "", "", ""],
        ["指标", "单位", "1-6月", ""],
        ["", "", "本期", "同比增长(%)"],
        ["地区生产总值", "亿元", "323.3", "8"],
    ]


def _deterministic_zip(data: bytes) -> bytes:
    """A workbook's zip with fixed entry times and fixed document timestamps."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<2>",
                    content,
                )
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


def wide_china_workbook() -> bytes:
    """全国 2019: 1-6月 and 全年 groups, merged title and headings, a note row."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "主要指标"
    ws.append(["全国2019年主要经济指标"])
    ws.append(["指标", "单位", "1-6月", None, None, "全年", None, None])
    ws.append([None, None, "本期", "上年同期", "同比增长(%)", "本期", "上年同期", "同比增长(%)"])
    ws.append(["地区生产总值", "亿元", 450933, 418961, 6.3, 990865, 900309, 6.1])
    ws.append(["固定资产投资(不含农户)", "亿元", 299100, None, 5.8])
    ws.append(["城镇居民人均可支配收入", "元", 21342, 19770, 8.0])
    ws.append(["农村居民人均可支配收入", "元", 7778, 7142, 8.9])
    ws.append(["注:地区生产总值增速按可比价格计算。"])
    for cells in ("A1:H1", "A2:A3", "B2:B3", "C2:E2", "F2:H2", "A8:H8"):
        ws.merge_cells(cells)
    for cell in ("A1", "A2", "B2", "C2", "F2"):
        ws[cell].alignment = Alignment(horizontal="center", vertical="center")
    ws.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic_zip(buffer.getvalue())


def undecodable() -> bytes:
    """A long CSV whose third line holds bytes neither UTF-8 nor GB18030 decode."""
    lines = _published_lines()
    data = (lines[0] + "\n" + lines[67] + "\n").encode("utf-8")
    data += b"\xe5\x85\xa8\xe5\x9b\xbd,china,2019H1,gdp,\xff\xff,\xe4\xba\xbf\xe5\x85\x83,,0,,\n"
    for codec in ("utf-8", "gb18030"):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        raise AssertionError(f"undecodable.csv decodes as {codec}")
    return data


def missing_column() -> str:
    """A long CSV without the required ``unit`` column."""
    rows = list(csv.reader(io.StringIO(long_sample())))
    keep = [i for i, name in enumerate(rows[0]) if name != "unit"]
    return _csv_text([[row[i] for i in keep] for row in rows[:3]])


def fixtures() -> dict[str, bytes]:
    """Every fixture file name and its bytes."""
    erqi = _csv_text(wide_erqi_rows())
    sample = long_sample()
    return {
        "wide_china_2019.xlsx": wide_china_workbook(),
        "wide_erqi_2019H1.csv": erqi.encode("utf-8"),
        "wide_erqi_2019H1_bom.csv": erqi.encode("utf-8-sig"),
        "wide_erqi_2019H1_gbk.csv": erqi.encode("gbk"),
        "wide_no_region.csv": _csv_text(wide_no_region_rows()).encode("utf-8"),
        "long_sample.csv": sample.encode("utf-8"),
        # as a Windows export: GB18030 with CRLF line ends
        "long_sample_gbk.csv": sample.replace("\n", "\r\n").encode("gb18030"),
        "empty.csv": b"",
        "header_only.csv": (_published_lines()[0] + "\n").encode("utf-8"),
        "missing_column.csv": missing_column().encode("utf-8"),
        "undecodable.csv": undecodable(),
    }


def main() -> None:
    """Write the fixtures, reporting each file written or unchanged."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, data in fixtures().items():
        path = FIXTURES / name
        state = "unchanged" if path.exists() and path.read_bytes() == data else "written"
        if state == "written":
            path.write_bytes(data)
        print(f"{state:9} {path.relative_to(ROOT)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
