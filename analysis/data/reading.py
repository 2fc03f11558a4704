"""Reading raw statistics files into one raw long frame of strings, with provenance.

Two shapes of file arrive:

- **long** CSV files, one figure a row (``region_code, period, indicator, value, unit, ...``),
  such as the figures collected in ``data/raw/``; read by :func:`read_long`;
- **wide** tables as statistics offices send them (Excel or CSV): a title, a header of one
  or two rows, one indicator a row and, per period, a group of columns such as 本期,
  上年同期, 同比增长(%) and 占年度计划(%); read by :func:`read_wide`.

:func:`read_raw` tells them apart. Every reader returns the same columns (:data:`COLUMNS`),
all strings, missing as ``''``: nothing is parsed here (numbers, periods and units are the
cleaning stage's work). Each row says where it came from (``source_file``, ``source_line``
and, for wide tables, ``source_column``). ``frame.attrs`` tells how the file was read:
``format``, ``encoding`` and ``encoding_reason``, ``ignored_columns`` and ``skipped_rows``
(``(line, text)`` of blank, note and heading rows), and for wide tables ``title``,
``sheet``, ``year`` and ``year_from``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.store import unescape
from analysis.errors import HalfyearError

__all__ = [
    "COLUMNS",
    "CSV_ENCODINGS",
    "LONG_COLUMNS",
    "RAW_SUFFIXES",
    "Encoding",
    "ReadError",
    "detect_encoding",
    "list_raw_files",
    "read_long",
    "read_raw",
    "read_wide",
]

#: The columns of every raw frame, in this order; all strings, missing as ''.
COLUMNS = (
    "region",
    "region_zh",
    "period",
    "indicator",
    "indicator_zh",
    "value",
    "unit",
    "yoy_pct",
    "plan_pct",
    "is_target",
    "peer_group",
    "source_url",
    "note",
    "review",
    "source_file",
    "source_line",
    "source_column",
    "problem",
)

#: The columns a long CSV may have; ``region`` is derived from the first two.
LONG_COLUMNS = (
    "region_code",
    "region_zh",
    "period",
    "indicator",
    "indicator_zh",
    "value",
    "unit",
    "yoy_pct",
    "plan_pct",
    "is_target",
    "peer_group",
    "source_url",
    "note",
    "review",
)

#: The file suffixes :func:`read_raw` reads and :func:`list_raw_files` lists.
RAW_SUFFIXES = (".csv", ".xlsx", ".xlsm")

#: The text encodings tried for CSV files, in order (after a byte-order mark).
CSV_ENCODINGS = ("utf-8", "gb18030")

_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# wide tables: headings of the label columns and of the columns of a period group,
# compared after NFKC, without whitespace and without a trailing (%) or %; a heading not
# listed here (增减, 年度计划 ...) is left out and named in attrs['ignored_columns']
_NAME_HEADINGS = frozenset({"指标", "指标名称", "指标名", "项目", "名称"})
_UNIT_HEADINGS = frozenset({"单位", "计量单位"})
_ROLE_HEADINGS = {
    "value": ("本期", "绝对值", "累计", "本年累计", "本期累计", "数值", "本年", "完成值", "总量"),
    "prior": ("上年同期", "去年同期", "上年同期累计", "上年同期数"),
    "growth": ("同比增长", "比上年同期增长", "增长", "增速", "同比增速", "比上年增长", "同比"),
    "plan": ("占年度计划", "完成年度计划", "占年计划", "完成年计划", "占全年计划", "完成全年计划"),
    "target": ("年度目标", "全年目标", "年度预期目标", "全年预期目标"),
}
_ROLES = {heading: role for role, headings in _ROLE_HEADINGS.items() for heading in headings}

_NOTE_ROW = re.compile(r"^(?:注|说明|备注|附注|数据来源|资料来源)\s*\d*\s*[:：]")
_UNIT_NOTE = re.compile(r"(?:计量)?单位\s*[:：]\s*(\S+)")
_NAME_PREFIX = re.compile(r"^(?:其中\s*[:：]?|[#＃]+)\s*")
_BRACKETED = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<unit>[^()（）]+?)\s*[)）]$")
_UNIT_TEXT = re.compile(
    r"^(?:%|‰|个百分点|百分点|[十百千万亿]*(?:元/人|元|美元|人次|人|户|家|个|所|座|条|套|次|件|"
    r"项|处|辆|台|吨|千瓦时|度|亩|公顷|平方公里|平方米|立方米|公里|千米|标箱|床|张|位|名))$"
)
_YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年")
_PERIOD_IN_TITLE = re.compile(
    r"\d{4}年(?:\d{1,2}[-~—至]\d{1,2}月|上半年|下半年|前三季度|全年|第?[一二三四1-4]季度|\d{1,2}月)"
)
_LEADING_YEAR = re.compile(r"^(\d{4})")


class ReadError(HalfyearError):
    """A raw file that cannot be read at all: missing, empty, undecodable or malformed.

    Parameters
    ----------
    file : str
        The file as given.
    line : int or None
        The 1-based line (or sheet row) the problem is on, when there is one.
    problem : str
        What is wrong and what is allowed.

    Examples
    --------
    >>> err = ReadError("data/raw/x.csv", 3, "3 fields, the header (line 1) has 12")
    >>> str(err)
    'data/raw/x.csv, line 3: 3 fields, the header (line 1) has 12'
    >>> str(ReadError("y.csv", None, "no such file")), err.line
    ('y.csv: no such file', 3)
    """

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        super().__init__(file, line, problem)
        self.file = str(file)
        self.line = line
        self.problem = problem

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        return f"{where}: {self.problem}"


class _NoTable(ReadError):
    """A sheet (or file) with no table in it: no long header and no heading row."""


@dataclass(frozen=True)
class Encoding:
    """The text encoding of a file and why it was chosen.

    Examples
    --------
    >>> Encoding("utf-8", "valid UTF-8")
    Encoding(name='utf-8', reason='valid UTF-8')
    """

    name: str
    reason: str


# ---------------------------------------------------------------------------- bytes and text


def _read_bytes(path: Path) -> bytes:
    """The bytes of a file; ReadError when it does not exist or is not a file."""
    if not path.exists():
        raise ReadError(str(path), None, "no such file")
    if not path.is_file():
        raise ReadError(str(path), None, "not a file (a directory?); give a .csv or .xlsx file")
    try:
        return path.read_bytes()
    except OSError as err:
        raise ReadError(str(path), None, f"cannot read the file: {err.strerror}") from None


def _line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset.

    Examples
    --------
    >>> _line_of(b"a\\nb\\nc", 4)
    3
    """
    return data.count(b"\n", 0, offset) + 1


def _chinese_share(text: str, codec: str, leads: tuple[tuple[int, int], ...]) -> float:
    """The share of a text's non-ASCII characters that are common in ``codec``: those
    whose two-byte code starts with a lead byte in ``leads`` (its frequent hanzi and
    punctuation rows); 0 when the text has none."""
    found = total = 0
    for char in text:
        if char.isascii():
            continue
        total += 1
        try:
            code = char.encode(codec)
        except UnicodeEncodeError:
            continue
        found += len(code) == 2 and any(lo <= code[0] <= hi for lo, hi in leads)
    return found / total if total else 0.0


#: Lead bytes of common text: GB2312's punctuation rows and its hanzi; Big5's.
_GB2312_COMMON = ((0xA1, 0xA3), (0xB0, 0xF7))
_BIG5_COMMON = ((0xA1, 0xA3), (0xA4, 0xC6))


def _utf8_lines(data: bytes) -> list[int]:
    """Lines (1-based) that hold Chinese text in valid UTF-8 (two characters or more)."""
    found = []
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= 2:
            found.append(number)
    return found


def _is_gbk_line(data: bytes, offset: int) -> bool:
    """Whether the line holding ``offset`` is Chinese text in GBK (GB18030)."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    try:
        text = data[start : end if end >= 0 else len(data)].decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _encoding_of(data: bytes, *, file: str) -> Encoding:
    """The encoding of some bytes (see :func:`detect_encoding`)."""
    if data[:2] in _UTF16_BOMS:
        raise ReadError(
            file,
            1,
            "UTF-16 text (byte-order mark at the start) is not read; "
            "save the file as CSV in UTF-8 (or GBK/GB18030)",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        even = data[0::2].count(0) if len(data) > 1 else 0
        odd = data[1::2].count(0)
        if max(even, odd) > len(data) // 4:
            problem = "UTF-16 text without a byte-order mark is not read"
        else:
            problem = "a NUL byte (binary data): not a text file"
        raise ReadError(file, _line_of(data, nul), f"{problem}; save the file as CSV in UTF-8")
    if data.startswith(_UTF8_BOM):
        try:
            data[len(_UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError as err:
            at = err.start + len(_UTF8_BOM)
            raise ReadError(
                file,
                _line_of(data, at),
                f"starts with a UTF-8 byte-order mark, but byte 0x{data[at]:02x} is not "
                "UTF-8 (GBK text after the mark?): the file mixes encodings; save it again "
                "as UTF-8",
            ) from None
        return Encoding("utf-8-sig", "UTF-8 byte-order mark")
    failures = []
    for name in CSV_ENCODINGS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as err:
            bad = data[err.start : err.start + 1].hex()
            failures.append((_line_of(data, err.start), f"{name} (byte 0x{bad})"))
            if name == "utf-8" and _is_gbk_line(data, err.start) and (utf8 := _utf8_lines(data)):
                raise ReadError(
                    file,
                    failures[0][0],
                    f"mixes encodings: line {utf8[0]} is UTF-8 but line {failures[0][0]} is "
                    "not (GBK?); save the whole file in one encoding, UTF-8",
                ) from None
            continue
        if name == "utf-8":
            return Encoding("utf-8", "valid UTF-8")
        return _gbk_or_big5(data, text)
    detail = "; ".join(f"{what} at line {line}" for line, what in failures)
    raise ReadError(
        file,
        max(line for line, _ in failures),
        f"cannot decode: first undecodable byte under each encoding tried: {detail}; "
        f"encodings tried: utf-8-sig (byte-order mark), {', '.join(CSV_ENCODINGS)}",
    )


def _gbk_or_big5(data: bytes, gbk_text: str) -> Encoding:
    """GB18030 (GBK), unless the bytes read as common Big5 text better than as GBK."""
    gbk = _chinese_share(gbk_text, "gb2312", _GB2312_COMMON)
    try:
        big5_text = data.decode("cp950")
    except UnicodeDecodeError:
        big5_text = None
    big5 = _chinese_share(big5_text, "cp950", _BIG5_COMMON) if big5_text is not None else 0.0
    if big5 > gbk:
        return Encoding(
            "cp950",
            f"not valid UTF-8; Big5 (traditional Chinese, code page 950): {big5:.0%} of its "
            f"characters are common Big5 ones, {gbk:.0%} common GBK ones read as GB18030",
        )
    return Encoding("gb18030", "not valid UTF-8; decodes as GB18030 (superset of GBK/GB2312)")


def detect_encoding(path: str | Path) -> Encoding:
    """The text encoding of a CSV file, chosen deterministically, with the reason.

    A UTF-8 byte-order mark gives ``utf-8-sig`` (when the rest is UTF-8); otherwise
    ``utf-8`` when every byte decodes as UTF-8; otherwise ``gb18030`` (which also reads GBK
    and GB2312 files), or ``cp950`` (Big5) when the bytes read as common traditional
    Chinese better than as common simplified Chinese.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Encoding
        The codec name for :meth:`bytes.decode` and the reason it was chosen.

    Raises
    ------
    ReadError
        For a missing file, UTF-16 text (with or without a byte-order mark), a NUL byte,
        a byte-order mark followed by text that is not UTF-8, a file mixing UTF-8 and GBK
        lines, or bytes that neither UTF-8 nor GB18030 decode (naming the line of the
        first undecodable byte under each).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.csv").write_bytes("指标,本期\\n".encode("gbk"))
    10
    >>> detect_encoding(folder / "a.csv")
    Encoding(name='gb18030', reason='not valid UTF-8; decodes as GB18030 (superset of GBK/GB2312)')
    >>> _ = (folder / "t.csv").write_bytes("數據,來源:區統計局\\n".encode("big5"))
    >>> detect_encoding(folder / "t.csv").name
    'cp950'
    >>> (folder / "b.csv").write_bytes(b"a,b\\n1,\\xff\\xff\\n")
    9
    >>> detect_encoding(folder / "b.csv")
    Traceback (most recent call last):
    ...
    analysis.data.reading.ReadError: .../b.csv, line 2: cannot decode: ...
    """
    path = Path(path)
    return _encoding_of(_read_bytes(path), file=str(path))


def _checked_bytes(path: Path) -> tuple[bytes, Encoding]:
    """The bytes of a CSV file and their encoding; ReadError for a 0-byte file."""
    data = _read_bytes(path)
    if not data:
        raise ReadError(str(path), None, "empty file (0 bytes): no data rows")
    return data, _encoding_of(data, file=str(path))


def _decoded(path: Path) -> tuple[str, Encoding]:
    """The text of a CSV file and its encoding; ReadError for a 0-byte file."""
    data, encoding = _checked_bytes(path)
    return data.decode(encoding.name), encoding


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    """CSV records with the line each starts on; cells stripped of outer whitespace.

    Quoted fields may hold commas and line breaks; CRLF and LF both end a line; a blank
    line is an empty record.

    Examples
    --------
    >>> _csv_records('a,b\\r\\n"1,5", x \\r\\n\\r\\n2,3\\r\\n')
    [(1, ['a', 'b']), (2, ['1,5', 'x']), (3, []), (4, ['2', '3'])]
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    start = 1
    for cells in reader:
        records.append((start, [cell.strip() for cell in cells]))
        start = reader.line_num + 1
    return records


def _frame(records: list[dict[str, str]], attrs: dict) -> pd.DataFrame:
    """The raw frame: :data:`COLUMNS` in order, string dtype, with ``attrs``."""
    frame = pd.DataFrame(
        [[record.get(column, "") for column in COLUMNS] for record in records],
        columns=list(COLUMNS),
        dtype="str",
    )
    _unescape_cells(frame)
    frame.attrs.update(attrs)
    return frame


def _unescape_cells(frame: pd.DataFrame) -> None:
    """Undo, in place, the "'" a spreadsheet-safe writer put before formula-like text."""
    for column in frame.columns:
        quoted = frame[column].str.startswith("'")
        if quoted.any():
            frame.loc[quoted, column] = frame.loc[quoted, column].map(unescape)


def _check_suffix(path: Path, allowed: tuple[str, ...], *, reader: str) -> None:
    """ReadError unless the file's suffix is one the reader takes."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ReadError(
            str(path),
            None,
            "old Excel format .xls is not read; open it in Excel or WPS and "
            f"save it as .xlsx ({reader} reads {', '.join(allowed)})",
        )
    if suffix not in allowed:
        raise ReadError(
            str(path),
            None,
            f"unknown format {suffix or '(no suffix)'!r}; {reader} reads {', '.join(allowed)}",
        )


# -------------------------------------------------------------------------------- long files


def _long_header(header: list[str], *, file: str) -> dict[str, int]:
    """Column positions of a long CSV header; ReadError for duplicates or missing columns."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in positions:
            raise ReadError(file, 1, f"column {name!r} appears twice in the header")
        positions[name] = index
    required = [
        ["period"],
        ["value"],
        ["unit"],
        ["region_code", "region_zh"],
        ["indicator", "indicator_zh"],
    ]
    missing = [" or ".join(names) for names in required if not set(names) & set(positions)]
    if missing:
        raise ReadError(
            file,
            1,
            f"missing required column(s) {', '.join(missing)}; the header has {header}; "
            "a long file needs period, value, unit, region_code or region_zh, "
            "and indicator or indicator_zh",
        )
    return positions


def _long_record(cells: list[str], positions: dict[str, int]) -> dict[str, str]:
    """One long CSV row as a raw record (without provenance)."""
    fields = {name: cells[positions[name]] if name in positions else "" for name in LONG_COLUMNS}
    code = fields.pop("region_code")
    return {**fields, "region": code or fields["region_zh"]}


def read_long(path: str | Path) -> pd.DataFrame:
    """Read a tidy long CSV file (one figure a row) into the raw frame.

    Required columns: ``period``, ``value``, ``unit``, ``region_code`` or ``region_zh``,
    ``indicator`` or ``indicator_zh``; the other columns of :data:`LONG_COLUMNS` are
    optional (``''`` when absent). ``region`` is the row's ``region_code``, or its
    ``region_zh`` when the code is empty or the file has none. Columns the project does
    not know are left out and named in ``attrs['ignored_columns']``; blank lines are
    skipped and listed in ``attrs['skipped_rows']``.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file in UTF-8 (with or without byte-order mark) or GBK/GB18030, or an
        ``.xlsx`` workbook whose first sheet holds the same columns (a corrected review
        file, for example).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, all strings; ``source_line`` is the line the row starts on (the
        header is line 1) and ``source_column`` is ``''``.

    Raises
    ------
    ReadError
        For a missing, empty, header-only or undecodable file, a missing required or
        duplicated column, a row with more or fewer fields than the header.

    Examples
    --------
    >>> import analysis
    >>> fixtures = Path(analysis.__file__).parents[1] / "tests" / "fixtures"
    >>> raw = read_long(fixtures / "long_sample.csv")
    >>> raw.loc[0, ["region", "region_zh", "period", "indicator", "value", "unit"]].tolist()
    ['china', '全国', '2018H1', 'gdp', '418961.0', '亿元']
    >>> raw.loc[0, "source_line"], raw.attrs["encoding"]
    ('2', 'utf-8')
    """
    path = Path(path)
    file = str(path)
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        return _long_sheet(_excel_sheet(path, None), file=file)
    _check_suffix(path, (".csv",), reader="read_long")
    data, encoding = _checked_bytes(path)
    fast = _long_csv_columnar(data, file=file, encoding=encoding)
    if fast is not None:
        return fast
    text = data.decode(encoding.name)
    return _long_frame(_csv_records(text), file=file, encoding=encoding)


def _long_sheet(sheet: _Sheet, *, file: str) -> pd.DataFrame:
    """The raw frame of a worksheet holding a long table."""
    records = [(line, [c.strip() for c in cells]) for line, cells in _rectangular(sheet.records)]
    encoding = Encoding("", f"Excel workbook, sheet {sheet.name!r} (no text encoding)")
    frame = _with_problems(_long_frame(records, file=file, encoding=encoding), sheet)
    frame.attrs["sheet"] = sheet.name
    return frame


def _record_lines(data: bytes) -> tuple[bytes, np.ndarray, np.ndarray] | None:
    """The header record of some CSV bytes, and the first line of every later record and
    whether the record is empty (a blank line).

    A line break ends a record unless it is inside a quoted field, that is, unless an odd
    number of quote characters comes before it (a doubled quote inside a quoted field
    counts twice). Computed on arrays, not in a loop; a file without quotes and blank
    lines has one record a line, and its lines are only counted. ``None`` for a lone
    carriage return (a line break the row reader treats differently).

    Examples
    --------
    >>> header, lines, empty = _record_lines(b'a,b\\r\\n"1\\n2",3\\n\\nx,y')
    >>> header, lines.tolist(), empty.tolist()
    (b'a,b', [2, 4, 5], [False, True, False])
    >>> header, lines, empty = _record_lines(b'a,b\\r\\n1,2\\r\\n3,4\\r\\n')
    >>> header, lines.tolist(), empty.tolist()
    (b'a,b', [2, 3], [False, False])
    """
    returns = data.count(b"\r")
    if returns and returns != data.count(b"\r\n"):
        return None
    if not (b'"' in data or b"\n\n" in data or b"\n\r\n" in data):
        # one record a line and no blank line: the lines are counted, not located
        count = data.count(b"\n") + (not data.endswith(b"\n"))
        end = data.find(b"\n")
        header = (data if end < 0 else data[:end]).removesuffix(b"\r")
        return header, np.arange(2, count + 1), np.zeros(max(count - 1, 0), dtype=bool)
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    ending = newlines
    if b'"' in data:
        quotes = np.flatnonzero(raw == 34)
        ending = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    starts = np.concatenate(([0], ending + 1))
    ends = np.concatenate((ending, [raw.size]))
    if starts[-1] == raw.size:  # the file ends with a line break
        starts, ends = starts[:-1], ends[:-1]
    if returns:  # a record's text stops before its CR LF
        ends = ends - ((ends > starts) & (raw[np.maximum(ends - 1, 0)] == 13))
    lines = np.searchsorted(newlines, starts) + 1
    return data[starts[0] : ends[0]], lines[1:], (ends == starts)[1:]


def _repeated(text: str, n: int):
    """An arrow array of ``n`` times the same text, made from its buffers.

    Examples
    --------
    >>> _repeated("ab", 3).to_pylist(), _repeated("", 2).to_pylist()
    (['ab', 'ab', 'ab'], ['', ''])
    """
    import pyarrow as pa

    data = text.encode("utf-8")
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))


def _long_csv_columnar(raw: bytes, *, file: str, encoding: Encoding) -> pd.DataFrame | None:
    """A long CSV's bytes read by pyarrow's columnar reader, with the row reader's result.

    Gives exactly what :func:`_long_frame` gives for the same text (cells stripped, blank
    rows skipped and listed, each row's first line), or ``None`` when the file needs the
    row reader: a row with the wrong number of fields (reported there with its line), a
    blank header, a lone carriage return. Line numbers come from :func:`_record_lines`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as arrow_csv

    if encoding.name == "utf-8":
        data = raw
    elif encoding.name == "utf-8-sig":
        data = raw[len(_UTF8_BOM) :]
    else:
        data = raw.decode(encoding.name).encode("utf-8")
    records = _record_lines(data)
    if records is None or not records[0]:
        return None
    first, lines, empty = records
    header = [cell.strip() for cell in next(csv.reader(io.StringIO(first.decode(), newline="")))]
    if not any(header):
        return None
    positions = _long_header(header, file=file)
    if not lines.size:
        return None  # header only: the row reader says so
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = arrow_csv.read_csv(
            pa.py_buffer(data[len(first) :]),
            read_options=arrow_csv.ReadOptions(column_names=names),
            parse_options=arrow_csv.ParseOptions(
                newlines_in_values=b'"' in data, ignore_empty_lines=True
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),  # pandas' str
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    data_lines = lines[~empty]
    if table.num_rows != data_lines.size:
        return None
    stripped = [pc.utf8_trim_whitespace(table[name]) for name in names]
    cells = {name: stripped[i] for name, i in positions.items()}
    # a blank row (every cell empty) is skipped, as the row reader does
    maybe = np.flatnonzero(pc.equal(pc.utf8_length(stripped[0]), 0).to_numpy(False))
    for column in stripped[1:]:
        if maybe.size:
            empty_cell = pc.equal(pc.utf8_length(column.take(maybe)), 0).to_numpy(False)
            maybe = maybe[empty_cell]
    blank = np.zeros(table.num_rows, dtype=bool)
    blank[maybe] = True
    skipped = sorted(
        [(int(line), "") for line in lines[empty]] + [(int(line), "") for line in data_lines[blank]]
    )
    if blank.all():
        raise ReadError(file, 1, "header only: no data rows")
    if maybe.size:
        keep = pa.array(~blank)
        cells = {name: column.filter(keep) for name, column in cells.items()}
    n = table.num_rows - maybe.size
    nothing = _repeated("", n)
    columns = {name: cells.get(name, nothing) for name in LONG_COLUMNS}
    code, named = columns.pop("region_code"), columns["region_zh"]
    columns["region"] = pc.if_else(pc.equal(pc.utf8_length(code), 0), named, code)
    columns["source_file"] = _repeated(file, n)
    columns["source_line"] = pc.cast(pa.array(data_lines[~blank]), pa.large_string())
    columns["source_column"] = nothing
    columns["problem"] = nothing
    frame = pa.table({name: columns[name] for name in COLUMNS}).to_pandas()
    _unescape_cells(frame)
    frame.attrs.update(
        {
            "source_file": file,
            "format": "long",
            "encoding": encoding.name,
            "encoding_reason": encoding.reason,
            "ignored_columns": [name for name in header if name not in LONG_COLUMNS],
            "skipped_rows": skipped,
        }
    )
    return frame


def _long_frame(
    records: list[tuple[int, list[str]]], *, file: str, encoding: Encoding
) -> pd.DataFrame:
    """The raw frame of a long table's rows (header first), from CSV or Excel."""
    if not records or not any(records[0][1]):
        raise ReadError(file, 1, "no header: the first line is blank")
    header = records[0][1]
    positions = _long_header(header, file=file)
    rows, skipped = [], []
    for line, cells in records[1:]:
        if not any(cells):
            skipped.append((line, ""))
            continue
        if len(cells) != len(header):
            raise ReadError(
                file,
                line,
                f"{len(cells)} fields, the header (line 1) has {len(header)}; "
                "quote a field that holds a comma",
            )
        record = _long_record(cells, positions)
        rows.append({**record, "source_file": file, "source_line": str(line)})
    if not rows:
        raise ReadError(file, 1, "header only: no data rows")
    attrs = {
        "source_file": file,
        "format": "long",
        "encoding": encoding.name,
        "encoding_reason": encoding.reason,
        "ignored_columns": [name for name in header if name not in LONG_COLUMNS],
        "skipped_rows": skipped,
    }
    return _frame(rows, attrs)


# ------------------------------------------------------------------------------- wide tables


def _heading(text: str) -> str:
    """A heading compared by meaning: NFKC, no whitespace, no trailing (%) or %.

    Examples
    --------
    >>> _heading("同比增长（%）"), _heading(" 1－6月 "), _heading("本 期")
    ('同比增长', '1-6月', '本期')
    """
    key = "".join(unicodedata.normalize("NFKC", text).split())
    return re.sub(r"(?:\(%\)|%)$", "", key)


def _role(text: str) -> str | None:
    """The role of a period-group column from its heading: value, prior, growth, plan."""
    return _ROLES.get(_heading(text))


def _number_text(number: float) -> str:
    """A number as a spreadsheet shows it in General format: 15 significant digits.

    Examples
    --------
    >>> _number_text(323.3), _number_text(450933.0), _number_text(0.1 + 0.2)
    ('323.3', '450933', '0.3')
    """
    text = format(Decimal(f"{number:.15g}").normalize(), "f")
    return "0" if text == "-0" else text


def _cell_text(value: object, number_format: str = "General") -> str:
    """The text of an Excel cell value: numbers without '.0', percent cells as 6.3%.

    Examples
    --------
    >>> _cell_text(8.0), _cell_text(18.12), _cell_text(0.063, "0.0%"), _cell_text(None)
    ('8', '18.12', '6.3%', '')
    >>> _cell_text(" 地区生产总值 "), _cell_text(dt.datetime(2019, 6, 30))
    ('地区生产总值', '2019-06-30')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in number_format.replace('"%"', ""):
            return _number_text(value * 100) + "%"
        return _number_text(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value).strip()


def _fill_merged(grid: list[list[str]], ranges: list[tuple[int, int, int, int]]) -> list[list[str]]:
    """A copy of a grid with each merged range's top-left text in every cell of the range.

    ``ranges`` holds 1-based ``(min_row, min_col, max_row, max_col)`` bounds.

    Examples
    --------
    >>> grid = [["指标", "1-6月", ""], ["", "本期", "上年同期"]]
    >>> _fill_merged(grid, [(1, 1, 2, 1), (1, 2, 1, 3)])
    [['指标', '1-6月', '1-6月'], ['指标', '本期', '上年同期']]
    """
    filled = [list(row) for row in grid]
    for min_row, min_col, max_row, max_col in ranges:
        text = grid[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(filled))):
            for c in range(min_col - 1, min(max_col, len(filled[r]))):
                filled[r][c] = text
    return filled


@dataclass(frozen=True)
class _Sheet:
    """One worksheet as text (merged ranges filled), and the rows that cannot be used as
    they are: hidden, or holding a formula whose result the workbook did not save."""

    name: str
    state: str
    records: list[tuple[int, list[str]]]
    problems: dict[int, str]


def _check_parts(data: bytes, file: str) -> None:
    """ReadError unless a workbook is a zip whose XML parts all parse."""
    from xml.etree.ElementTree import ParseError, XMLPullParser

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        for name in names:
            if not name.endswith((".xml", ".rels")):
                continue
            parser = XMLPullParser()
            with archive.open(name) as part:
                for block in iter(lambda: part.read(1 << 16), b""):
                    parser.feed(block)
            parser.close()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as err:
        raise ReadError(file, None, _not_a_workbook(f"not a zip archive: {err}")) from None
    except ParseError as err:
        raise ReadError(file, None, _not_a_workbook(f"part {name} is broken: {err}")) from None
    if "xl/workbook.xml" not in names:
        raise ReadError(file, None, _not_a_workbook("it has no xl/workbook.xml"))


def _not_a_workbook(why: str) -> str:
    return (
        f"not a readable Excel workbook ({why}); open it in Excel or WPS and save it again "
        "as .xlsx (a password-protected workbook must be saved without its password)"
    )


def _workbook(path: Path) -> list[_Sheet]:
    """Every worksheet of a workbook, with its hidden rows and unsaved formula results."""
    import openpyxl

    file = str(path)
    data = _read_bytes(path)
    if data.startswith(bytes.fromhex("d0cf11e0a1b11ae1")):
        raise ReadError(file, None, _not_a_workbook("an encrypted or old-format (.xls) file"))
    _check_parts(data, file)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        has_formulas = b"<f" in b"".join(
            zipfile.ZipFile(io.BytesIO(data)).read(n)
            for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
            if n.startswith("xl/worksheets/")
        )
        formulas = openpyxl.load_workbook(io.BytesIO(data)) if has_formulas else None
        return [_sheet(ws, formulas[ws.title] if formulas else None) for ws in book.worksheets]
    except ReadError:
        raise
    except Exception as err:  # anything a broken workbook makes openpyxl raise
        why = f"{type(err).__name__}: {err}".splitlines()[0][:160]
        raise ReadError(file, None, _not_a_workbook(why)) from None


def _sheet(ws, formulas) -> _Sheet:
    """A worksheet as text with the problems of its rows (``formulas``: the same sheet
    loaded with its formulas rather than their saved results)."""
    grid = [
        [_cell_text(cell.value, cell.number_format) for cell in row]
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
    ]
    ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    problems: dict[int, list[str]] = {}
    for row, dimension in ws.row_dimensions.items():
        if dimension.hidden and row <= ws.max_row:
            problems.setdefault(row, []).append(
                f"hidden row {row} of sheet {ws.title!r}: unhide it in Excel or WPS to use its "
                "figures, or delete it"
            )
    for cells in formulas.iter_rows() if formulas is not None else ():
        for cell in cells:
            if cell.data_type != "f" or ws[cell.coordinate].value is not None:
                continue
            text = str(getattr(cell.value, "text", cell.value))[:40]
            problems.setdefault(cell.row, []).append(
                f"cell {cell.coordinate} of sheet {ws.title!r} holds a formula ({text}) whose "
                "result the workbook did not save: open it in Excel or WPS and save it"
            )
    return _Sheet(
        ws.title,
        ws.sheet_state,
        list(enumerate(_fill_merged(grid, ranges), start=1)),
        {row: "; ".join(found) for row, found in problems.items()},
    )


def _excel_sheet(path: Path, sheet: str | int | None) -> _Sheet:
    """One worksheet: by name, by 0-based number, or (None) the first visible one."""
    file = str(path)
    sheets = _workbook(path)
    names = [s.name for s in sheets]
    if not sheets:
        raise ReadError(file, None, "the workbook has no worksheet")
    if sheet is None:
        return next((s for s in sheets if s.state == "visible"), sheets[0])
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise ReadError(
                file,
                None,
                f"no sheet number {sheet}; the workbook has {len(names)} sheet(s) "
                f"{names} (numbered from 0)",
            )
        return sheets[sheet]
    if sheet not in names:
        raise ReadError(file, None, f"no sheet {sheet!r}; the workbook has sheets {names}")
    return sheets[names.index(sheet)]


def _excel_rows(path: Path, sheet: str | int | None) -> tuple[list[tuple[int, list[str]]], str]:
    """The rows of a worksheet as text, merged ranges filled, with their row numbers."""
    found = _excel_sheet(path, sheet)
    return found.records, found.name


def _with_problems(frame: pd.DataFrame, sheet: _Sheet) -> pd.DataFrame:
    """The raw frame of a sheet, each row from a hidden row or an unsaved formula with its
    ``problem`` (cleaning rejects such rows with it as the reason)."""
    if not sheet.problems:
        return frame
    lines = frame["source_line"].astype(int)
    problem = lines.map(sheet.problems).fillna("")
    return frame.assign(problem=problem.where(problem != "", frame["problem"]).astype("str"))


def _rectangular(records: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Rows padded to one width, trailing blank rows dropped.

    Examples
    --------
    >>> _rectangular([(1, ["a"]), (2, ["b", "c"]), (3, []), (4, ["", ""])])
    [(1, ['a', '']), (2, ['b', 'c'])]
    """
    width = max((len(cells) for _, cells in records), default=0)
    rows = [(line, cells + [""] * (width - len(cells))) for line, cells in records]
    while rows and not any(rows[-1][1]):
        rows.pop()
    return rows


def _row_text(cells: list[str]) -> str:
    """The distinct non-empty texts of a row, in order, joined by ' | '.

    Examples
    --------
    >>> _row_text(["注:增速按可比价格计算。"] * 3 + [""])
    '注:增速按可比价格计算。'
    """
    seen: list[str] = []
    for cell in cells:
        if cell and cell not in seen:
            seen.append(cell)
    return " | ".join(seen)


def _forward_filled(cells: list[str]) -> list[str]:
    """Each empty cell takes the text on its left (a merged label written once in CSV).

    Examples
    --------
    >>> _forward_filled(["", "1-6月", "", "", "全年", ""])
    ['', '1-6月', '1-6月', '1-6月', '全年', '全年']
    """
    filled, last = [], ""
    for cell in cells:
        last = cell or last
        filled.append(last)
    return filled


@dataclass(frozen=True)
class _Group:
    """One period group of a wide table: its label and its columns by role."""

    label: str
    columns: dict[str, int]
    headings: dict[str, str]


@dataclass(frozen=True)
class _Layout:
    """Where things are in a wide table (row indexes into the rectangular rows)."""

    title_rows: int
    header_row: int
    name_col: int
    unit_col: int | None
    groups: list[_Group]
    ignored: list[str]


def _is_period_row(cells: list[str], first: int) -> bool:
    """Whether a row above the headings holds period labels over the value columns."""
    return any(cell and cell != cells[0] and not _UNIT_NOTE.match(cell) for cell in cells[first:])


def _group_columns(
    labels: list[str], headings: list[str], columns: list[int], *, file: str, line: int
) -> list[_Group]:
    """Period groups from the label and heading of each value column."""
    groups: list[_Group] = []
    for col in columns:
        label, heading = labels[col], headings[col]
        if not groups or groups[-1].label != label:
            groups.append(_Group(label, {}, {}))
        group = groups[-1]
        role = _role(heading)
        if role is None:
            continue
        if role in group.columns:
            where = f"under {label!r}" if label else "with no period heading above them"
            raise ReadError(
                file,
                line,
                f"two {role} columns {where}: {group.headings[role]!r} and {heading!r}; "
                "each period needs its own heading (e.g. 1-6月) above its group",
            )
        group.columns[role] = col
        group.headings[role] = heading
    return [g for g in groups if g.columns]


def _ignored_columns(
    rows: list[list[str]], *, own_labels: list[str], headings: list[str], used: set[int]
) -> list[str]:
    """The columns left out: their label/heading, or 'column N' for an unheaded one with data.

    Examples
    --------
    >>> _ignored_columns([["地区生产总值", "1", "x"]], own_labels=["", "", "年度计划"],
    ...                  headings=["", "本期", ""], used={0, 1})
    ['年度计划']
    """
    ignored = []
    for col in range(len(headings)):
        if col in used:
            continue
        own = "/".join(dict.fromkeys(t for t in (own_labels[col], headings[col]) if t))
        if own:
            ignored.append(own)
        elif any(cells[col] for cells in rows):
            ignored.append(f"column {col + 1}")
    return ignored


def _layout(rows: list[list[str]], *, file: str, lines: list[int]) -> _Layout:
    """Find the title, the headings, the name and unit columns and the period groups."""
    header = next((i for i, cells in enumerate(rows) if any(_role(c) for c in cells[1:])), None)
    if header is None:
        raise _NoTable(
            file,
            None,
            "no heading row found: a wide table needs column headings such as "
            "本期 (or 绝对值, 累计), 上年同期, 同比增长(%) or 占年度计划(%)",
        )
    headings = rows[header]
    first = min(c for c, text in enumerate(headings) if c > 0 and _role(text))
    above = rows[header - 1] if header > 0 else None
    has_labels = above is not None and _is_period_row(above, first)
    label_row = [
        "" if _UNIT_NOTE.match(cell) else _heading(cell)
        for cell in (above if has_labels else [""] * len(headings))
    ]
    label_of = [""] * first + _forward_filled(label_row[first:])
    words = [
        _heading(headings[c]) or (label_row[c] if has_labels else "") for c in range(len(headings))
    ]
    name_col = next((c for c in range(first) if words[c] in _NAME_HEADINGS), 0)
    unit_col = next((c for c, word in enumerate(words) if word in _UNIT_HEADINGS), None)
    value_cols = [c for c in range(first, len(headings)) if c != unit_col]
    groups = _group_columns(
        label_of,
        [headings[c] if c >= first else "" for c in range(len(headings))],
        value_cols,
        file=file,
        line=lines[header],
    )
    data_cols = [c for g in groups for c in g.columns.values()]
    data_rows = [
        cells
        for cells in rows[header + 1 :]
        if _row_kind(cells, name_col=name_col, data_cols=data_cols) == "data"
    ]
    ignored = _ignored_columns(
        data_rows,
        own_labels=label_row,
        headings=[_heading(h) for h in headings],
        used={name_col, *([] if unit_col is None else [unit_col]), *data_cols},
    )
    return _Layout(
        title_rows=header - 1 if has_labels else header,
        header_row=header,
        name_col=name_col,
        unit_col=unit_col,
        groups=groups,
        ignored=ignored,
    )


def _region_in(title: str) -> str:
    """The region a title names (its text as written), by the region catalog; '' if none.

    The match ending last wins, then the longest, so 郑州市二七区 gives 二七区.

    Examples
    --------
    >>> _region_in("二七区2019年上半年主要经济指标"), _region_in("郑州市二七区主要指标")
    ('二七区', '二七区')
    >>> _region_in("全国2019年主要经济指标"), _region_in("主要经济指标")
    ('全国', '')

    A name several regions share keeps the names written before it:

    >>> _region_in("河南省开封市鼓楼区2021年1-6月主要经济指标")
    '开封市鼓楼区'
    """
    from analysis import catalog

    text = unicodedata.normalize("NFKC", title)
    names = {
        name
        for zh, aliases in zip(
            catalog.regions()["name_zh"], catalog.regions()["aliases"], strict=True
        )
        for name in (zh, *aliases.split("|"))
        if name
    }
    hits = [(text.rfind(name) + len(name), len(name), name) for name in names if name in text]
    if not hits:
        return ""
    end, _, found = max(hits)
    # a name several regions share (鼓楼区) takes the names written before it (开封市鼓楼区)
    start = end - len(found)
    while not _names_one_region(found):
        before = [n for n in names if text[:start].endswith(n)]
        if not before:
            break
        longest = max(before, key=len)
        found, start = longest + found, start - len(longest)
    return found


def _names_one_region(name: str) -> bool:
    from analysis import catalog

    try:
        catalog.region_code(name)
    except catalog.CatalogError:
        return False
    return True


def _clean_name(text: str) -> str:
    """An indicator name without indentation and without a 其中: or # prefix.

    Examples
    --------
    >>> _clean_name("　　其中：重大生态项目完成投资"), _clean_name("#工业投资")
    ('重大生态项目完成投资', '工业投资')
    """
    return _NAME_PREFIX.sub("", text.strip()).strip()


def _split_unit(name: str) -> tuple[str, str]:
    """A name and the unit written in brackets at its end, when the bracket holds a unit.

    Examples
    --------
    >>> _split_unit("地区生产总值（亿元）"), _split_unit("新增市场主体(万家)")
    (('地区生产总值', '亿元'), ('新增市场主体', '万家'))
    >>> _split_unit("固定资产投资(不含农户)")
    ('固定资产投资(不含农户)', '')
    """
    match = _BRACKETED.match(name)
    if match and match["name"] and _UNIT_TEXT.match(unicodedata.normalize("NFKC", match["unit"])):
        return match["name"], match["unit"]
    return name, ""


def _name_and_unit(name_cell: str, unit_cell: str, table_unit: str) -> tuple[str, str]:
    """The indicator name and its unit: the unit column, else a bracket, else the title's."""
    name, bracket_unit = _split_unit(_clean_name(name_cell))
    if unit_cell:
        keep = bracket_unit and bracket_unit != unit_cell
        return (f"{name}({bracket_unit})" if keep else name), unit_cell
    return name, bracket_unit or table_unit


def _year_before(period: str) -> str:
    """The same span one year earlier: the leading four-digit year minus one.

    Examples
    --------
    >>> _year_before("2019年1-6月"), _year_before("2019H1")
    ('2018年1-6月', '2018H1')
    """
    return _LEADING_YEAR.sub(lambda m: str(int(m[1]) - 1), period, count=1)


def _group_period(label: str, *, year: str, period: str | None, title_period: str) -> str | None:
    """The period of a group: its label with the year prefixed; None when it cannot tell.

    Examples
    --------
    >>> _group_period("1-6月", year="2019", period=None, title_period="")
    '2019年1-6月'
    >>> _group_period("", year="2019", period=None, title_period="2019年上半年")
    '2019年上半年'
    >>> _group_period("全年", year="", period=None, title_period="") is None
    True
    """
    if label:
        if _LEADING_YEAR.match(label):
            return label
        return f"{year}年{label}" if year else None
    if period and not re.fullmatch(r"\d{4}年?", period.strip()):
        return period.strip()
    return title_period or None


def _row_kind(cells: list[str], *, name_col: int, data_cols: list[int]) -> str:
    """'blank', 'note' (注: / 数据来源: ...), 'heading' (no figures) or 'data'."""
    if not any(cells):
        return "blank"
    if _NOTE_ROW.match(unicodedata.normalize("NFKC", cells[name_col])):
        return "note"
    if not any(cells[c] for c in data_cols):
        return "heading"
    return "data"


def _wide_context(
    title: str, *, region: str | None, period: str | None, file: str, line: int
) -> dict[str, str]:
    """Region, year and period the title and the arguments give a wide table."""
    named = _region_in(title)
    if not (region or named):
        shown = f"the title {title!r} names no known region" if title else "it has no title"
        raise ReadError(
            file,
            line,
            f"cannot tell which region this table is for: {shown}; "
            "pass region= (a code such as 'erqi' or a name such as '二七区')",
        )
    title_year = _YEAR_IN_TITLE.search(title)
    arg_year = _LEADING_YEAR.match(period.strip()) if period else None
    if arg_year:
        year, year_from = arg_year[1], f"period argument {period!r}"
    elif title_year:
        year, year_from = title_year[1], f"title {title!r}"
    else:
        year, year_from = "", ""
    title_period = _PERIOD_IN_TITLE.search(unicodedata.normalize("NFKC", title).replace(" ", ""))
    unit = _UNIT_NOTE.search(unicodedata.normalize("NFKC", title))
    return {
        "region": region or named,
        "region_zh": named,
        "year": year,
        "year_from": year_from,
        "title_period": title_period[0] if title_period else "",
        "table_unit": unit[1] if unit else "",
    }


def _resolve_periods(
    groups: list[_Group], context: dict[str, str], *, period: str | None, file: str, line: int
) -> list[str]:
    """The period of each group; ReadError when a year or period cannot be told."""
    resolved = []
    for group in groups:
        found = _group_period(
            group.label,
            year=context["year"],
            period=period,
            title_period=context["title_period"],
        )
        if found is None and group.label:
            raise ReadError(
                file,
                line,
                f"cannot tell which year the period {group.label!r} is in: the "
                "title states no year; pass period= (e.g. period='2019')",
            )
        if found is None:
            raise ReadError(
                file,
                line,
                "cannot tell which period the figures are for: no period heading "
                "(e.g. 1-6月) above the columns and none in the title; "
                "pass period= (e.g. period='2019H1')",
            )
        resolved.append(found)
    return resolved


def _group_records(cells: list[str], group: _Group, period: str) -> list[dict[str, str]]:
    """The raw records one table row gives for one period group (0, 1 or 2)."""

    def cell(role: str) -> str:
        return cells[group.columns[role]] if role in group.columns else ""

    def where(role: str) -> str:
        heading = group.headings[role]
        return f"{group.label}/{heading}" if group.label else heading

    records = []
    if cell("target"):
        # an annual target of the period's year: a growth (8%, 增长8%以上) or a level
        growth = "%" in cell("target") or cell("target").lstrip().startswith(("增长", "下降"))
        records.append(
            {
                "period": f"{_LEADING_YEAR.match(period)[1]}FY",
                "value": "" if growth else cell("target"),
                "yoy_pct": cell("target") if growth else "",
                "is_target": "1",
                "source_column": where("target"),
            }
        )
    filled = [role for role in ("value", "growth", "plan") if cell(role)]
    if filled:
        records.append(
            {
                "period": period,
                "value": cell("value"),
                "yoy_pct": cell("growth"),
                "plan_pct": cell("plan"),
                "source_column": where(filled[0]),
            }
        )
    if cell("prior"):
        records.append(
            {
                "period": _year_before(period),
                "value": cell("prior"),
                "source_column": where("prior"),
            }
        )
    return records


def _wide_frame(
    records: list[tuple[int, list[str]]],
    *,
    file: str,
    region: str | None,
    period: str | None,
    attrs: dict,
) -> pd.DataFrame:
    """The raw frame of a wide table from its rows (text cells, merged ranges filled)."""
    numbered = _rectangular(records)
    if not numbered:
        raise ReadError(file, None, "empty table: no data rows")
    lines = [line for line, _ in numbered]
    rows = [cells for _, cells in numbered]
    layout = _layout(rows, file=file, lines=lines)
    title = " ".join(filter(None, (_row_text(c) for c in rows[: layout.title_rows])))
    header_line = lines[layout.header_row]
    context = _wide_context(title, region=region, period=period, file=file, line=header_line)
    periods = _resolve_periods(layout.groups, context, period=period, file=file, line=header_line)
    data_cols = [c for g in layout.groups for c in g.columns.values()]
    out, skipped = [], []
    for line, cells in zip(
        lines[layout.header_row + 1 :], rows[layout.header_row + 1 :], strict=True
    ):
        if _row_kind(cells, name_col=layout.name_col, data_cols=data_cols) != "data":
            skipped.append((line, _row_text(cells)))
            continue
        unit_cell = cells[layout.unit_col] if layout.unit_col is not None else ""
        name, unit = _name_and_unit(cells[layout.name_col], unit_cell, context["table_unit"])
        for group, group_period in zip(layout.groups, periods, strict=True):
            out.extend(
                {
                    **record,
                    "region": context["region"],
                    "region_zh": context["region_zh"],
                    "indicator_zh": name,
                    "unit": unit,
                    "source_file": file,
                    "source_line": str(line),
                }
                for record in _group_records(cells, group, group_period)
            )
    if not out:
        raise ReadError(
            file,
            header_line,
            "no data rows below the headings: every row is blank, a note or has no figures",
        )
    return _frame(
        out,
        {
            **attrs,
            "source_file": file,
            "format": "wide",
            "title": title,
            "year": context["year"],
            "year_from": context["year_from"],
            "ignored_columns": layout.ignored,
            "skipped_rows": skipped,
        },
    )


def _wide_sheet(sheet: _Sheet, *, file: str, region: str | None, period: str | None):
    """The raw frame of a worksheet holding a wide table."""
    attrs = {
        "encoding": "",
        "encoding_reason": "Excel workbook (text stored as Unicode)",
        "sheet": sheet.name,
    }
    frame = _wide_frame(sheet.records, file=file, region=region, period=period, attrs=attrs)
    return _with_problems(frame, sheet)


def _check_text_option(name: str, value: object) -> None:
    """TypeError unless an option is None or a non-empty string."""
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise TypeError(f"{name}= must be a non-empty string or None, not {value!r}")


def read_wide(
    path: str | Path,
    *,
    region: str | None = None,
    period: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a wide statistics table (Excel or CSV) into the raw frame, one figure a row.

    The table has optional title rows, a heading row (本期 or 绝对值/累计/本年累计/数值,
    上年同期, 同比增长(%) or 比上年同期增长(%)/增长(%)/增速(%), 占年度计划(%) or
    完成年度计划(%)), optionally a row of period labels above it (1-6月, 全年, ...;
    merged across the group in Excel, written once in CSV), then one indicator a row,
    the name in the first column (or the one headed 指标/项目) and optionally a unit
    column (单位/计量单位).

    Each indicator row and period group gives one row (``value`` from 本期, ``yoy_pct``
    from the growth column, ``plan_pct`` from the plan column), and a 上年同期 cell one
    more row for the same span a year earlier. A group with no figure in a row gives no
    row. Periods are the label with the year prefixed (``2019年1-6月``); without a label
    the title's period (``2019年上半年``) or ``period=``. Names lose indentation and a
    ``其中:`` or ``#`` prefix; a unit in brackets at the end of the name (``(亿元)``) is
    moved to ``unit`` when there is no unit cell. Blank rows, notes (注:, 数据来源:) and
    rows without figures are skipped and listed in ``attrs['skipped_rows']``.

    Parameters
    ----------
    path : str or Path
        A ``.xlsx``/``.xlsm`` workbook or a ``.csv`` file (UTF-8 or GBK/GB18030).
    region : str, optional
        The region the table is for (code or name); by default the region the title names.
    period : str, optional
        The year (``'2019'``) for period labels without one, or the period itself
        (``'2019H1'``) for a table without period labels; by default from the title.
    sheet : str or int, optional
        Excel only: the sheet name or its 0-based number; by default the first sheet.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, all strings; ``source_line`` is the file line (CSV) or sheet row
        (Excel); ``source_column`` the group's label and column heading (``1-6月/本期``).

    Raises
    ------
    ReadError
        For a missing, empty or undecodable file, an unknown format, a missing sheet, no
        heading row, a table whose region or year cannot be told, or no data rows.
    TypeError
        For an option that is not a non-empty string (``sheet`` may be an int).
    ValueError
        For ``sheet=`` with a CSV file.

    Examples
    --------
    >>> import analysis
    >>> fixtures = Path(analysis.__file__).parents[1] / "tests" / "fixtures"
    >>> raw = read_wide(fixtures / "wide_china_2019.xlsx")
    >>> cols = ["indicator_zh", "period", "value", "yoy_pct", "source_line", "source_column"]
    >>> raw.loc[:3, cols]
      indicator_zh       period   value yoy_pct source_line source_column
    0       地区生产总值  2019年1-6月  450933     6.3           4       1-6月/本期
    1       地区生产总值  2018年1-6月  418961                 4     1-6月/上年同期
    2       地区生产总值    2019年全年  990865     6.1           4         全年/本期
    3       地区生产总值    2018年全年  900309                 4       全年/上年同期
    >>> raw.loc[0, ["region", "unit"]].tolist(), raw.attrs["skipped_rows"]
    (['全国', '亿元'], [(8, '注:地区生产总值增速按可比价格计算。')])
    """
    path = Path(path)
    file = str(path)
    _check_suffix(path, (".csv", *_EXCEL_SUFFIXES), reader="read_wide")
    _check_text_option("region", region)
    _check_text_option("period", period)
    if isinstance(sheet, str):
        _check_text_option("sheet", sheet)
    elif sheet is not None and (isinstance(sheet, bool) or not isinstance(sheet, int)):
        raise TypeError(f"sheet= must be a sheet name, a 0-based number or None, not {sheet!r}")
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        return _wide_sheet(_excel_sheet(path, sheet), file=file, region=region, period=period)
    else:
        if sheet is not None:
            raise ValueError(f"sheet={sheet!r} applies to Excel workbooks only; {file} is CSV")
        text, encoding = _decoded(path)
        records = _csv_records(text)
        attrs = {"encoding": encoding.name, "encoding_reason": encoding.reason, "sheet": ""}
    return _wide_frame(records, file=file, region=region, period=period, attrs=attrs)


# ---------------------------------------------------------------------------- dispatch, list


def _is_long_header(path: Path) -> bool:
    """Whether a file's first line (first sheet row) names the columns ``period`` and
    ``value``."""
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        records, _ = _excel_rows(path, None)
        first = next((cells for _, cells in records if any(cells)), [])
        return {"period", "value"} <= {c.strip() for c in first}
    try:
        with path.open("rb") as handle:
            start = handle.read(1 << 16)
    except OSError:
        start = b""  # missing, a folder, unreadable: the reader says which
    line = start.removeprefix(_UTF8_BOM).split(b"\n", 1)[0]
    if line.count(b'"') % 2 == 0 and len(line) < len(start):
        # the first line is the whole header: its names (ASCII in a long file) decide
        names = next(csv.reader([line.decode("utf-8", errors="replace")]), [])
        return {"period", "value"} <= {cell.strip() for cell in names}
    text, _ = _decoded(path)
    first = next(csv.reader(io.StringIO(text, newline="")), [])  # the first record only
    return {"period", "value"} <= {cell.strip() for cell in first}


def read_raw(path: str | Path, **options: object) -> pd.DataFrame:
    """Read any raw file: long CSV, wide CSV or wide Excel table, told apart by content.

    A file (CSV, or the first sheet of a workbook) whose header names the columns
    ``period`` and ``value`` goes to :func:`read_long`, any other to :func:`read_wide`.

    Parameters
    ----------
    path : str or Path
        The file.
    **options
        ``region``, ``period``, ``sheet`` for :func:`read_wide`; a long file takes none.

    Returns
    -------
    DataFrame
        The raw frame (:data:`COLUMNS`, strings); ``attrs['format']`` is ``'long'`` or
        ``'wide'``.

    Raises
    ------
    ReadError
        As the reader it dispatches to, and for a format other than .csv, .xlsx, .xlsm.
    TypeError
        For options given for a long file or options read_wide does not take.

    Examples
    --------
    >>> import analysis
    >>> fixtures = Path(analysis.__file__).parents[1] / "tests" / "fixtures"
    >>> [read_raw(fixtures / name).attrs["format"]
    ...  for name in ("long_sample.csv", "wide_erqi_2019H1.csv", "wide_china_2019.xlsx")]
    ['long', 'wide', 'wide']
    >>> read_raw(fixtures / "empty.csv")
    Traceback (most recent call last):
    ...
    analysis.data.reading.ReadError: .../empty.csv: empty file (0 bytes): no data rows
    """
    path = Path(path)
    _check_suffix(path, RAW_SUFFIXES, reader="read_raw")
    unknown = sorted(set(options) - {"region", "period", "sheet"})
    if unknown:
        raise TypeError(f"read_raw got unknown option(s) {unknown}; allowed: region, period, sheet")
    if path.suffix.lower() in _EXCEL_SUFFIXES and "sheet" not in options:
        return _read_workbook(path, **options)  # type: ignore[arg-type]
    if _is_long_header(path):
        if options:
            raise TypeError(
                f"{path} is a long file (it has period and value columns): its rows say their "
                f"region and period, so options {sorted(options)} do not apply"
            )
        return read_long(path)
    return read_wide(path, **options)  # type: ignore[arg-type]


def _read_workbook(path: Path, *, region: str | None = None, period: str | None = None):
    """Every table of a workbook: each visible sheet holding a long or a wide table.

    Hidden sheets and sheets without a table are not read; each is named, with why, in
    ``attrs['skipped_sheets']``. With tables on several sheets, ``source_column`` starts
    with the sheet's name (``2018!`` , ``2018!1-6月/本期``).
    """
    file = str(path)
    frames, skipped = [], []
    for sheet in _workbook(path):
        if sheet.state != "visible":
            skipped.append((sheet.name, f"{sheet.state} sheet, not read (unhide it to read it)"))
            continue
        rows = _rectangular(sheet.records)
        if not rows:
            skipped.append((sheet.name, "empty"))
            continue
        first = next(cells for _, cells in rows if any(cells))
        if {"period", "value"} <= {c.strip() for c in first}:
            if region or period:
                raise TypeError(
                    f"{path} sheet {sheet.name!r} is a long table (it has period and value "
                    "columns): its rows say their region and period, so region= and period= "
                    "do not apply"
                )
            frames.append((sheet, _long_sheet(sheet, file=file)))
            continue
        try:
            frames.append((sheet, _wide_sheet(sheet, file=file, region=region, period=period)))
        except _NoTable:
            text = _row_text(first)[:30]
            skipped.append((sheet.name, f"no table (no long header, no heading row): {text!r}"))
    if not frames:
        said = "; ".join(f"{name!r}: {why}" for name, why in skipped) or "no sheets"
        raise ReadError(file, None, f"no sheet holds a table ({said})")
    if len(frames) > 1:
        frames = [
            (sheet, frame.assign(source_column=f"{sheet.name}!" + frame["source_column"]))
            for sheet, frame in frames
        ]
    frame = pd.concat([f for _, f in frames], ignore_index=True)
    formats = list(dict.fromkeys(f.attrs["format"] for _, f in frames))
    frame.attrs.update(
        {
            **frames[0][1].attrs,
            "format": "+".join(formats),
            "encoding": "",
            "encoding_reason": "Excel workbook, "
            + ", ".join(f"sheet {s.name!r} ({f.attrs['format']})" for s, f in frames),
            "sheet": ", ".join(s.name for s, _ in frames),
            "skipped_sheets": skipped,
            "skipped_rows": [r for _, f in frames for r in f.attrs.get("skipped_rows", [])],
            "ignored_columns": list(
                dict.fromkeys(c for _, f in frames for c in f.attrs.get("ignored_columns", []))
            ),
        }
    )
    return frame


def list_raw_files(directory: str | Path) -> list[Path]:
    """The raw data files in a folder (not its subfolders), sorted by name.

    Lists ``.csv``, ``.xlsx``, ``.xlsm`` and ``.xls`` files (reading an ``.xls`` raises a
    ReadError that says to save it as ``.xlsx``); leaves out README files, hidden files,
    Excel lock files (``~$...``) and metadata files (``*.meta.*``).

    Parameters
    ----------
    directory : str or Path
        The folder, usually ``data/raw``.

    Returns
    -------
    list of Path

    Raises
    ------
    ReadError
        When the folder does not exist.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("b.csv", "a.xlsx", "a.meta.json", "README.md", ".x.csv", "n.txt"):
    ...     _ = (folder / name).write_text("x")
    >>> [p.name for p in list_raw_files(folder)]
    ['a.xlsx', 'b.csv']
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ReadError(str(folder), None, "no such folder; give the folder of raw files")
    try:
        entries = list(folder.iterdir())
    except OSError as err:
        raise ReadError(str(folder), None, f"cannot list the folder: {err.strerror}") from None
    return sorted(
        (
            p
            for p in entries
            if p.is_file()
            and p.suffix.lower() in (*RAW_SUFFIXES, ".xls")
            and not p.name.startswith((".", "~$"))
            and ".meta." not in p.name
            and not p.name.lower().startswith("readme")
        ),
        key=lambda p: p.name,
    )
