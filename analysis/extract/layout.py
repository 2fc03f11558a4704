"""The layout of a bulletin page: lines of page chrome, and tables inside the prose.

Text copied from a web page carries more than prose: the page's chrome (发布时间, 浏览量,
a forum's post counts and sign-in days) and tables, written as ``|``-separated cells on a
line (``粮食 | 143972 |``), one cell a line between lines of ``|`` (a vertical table), all
on one line, or as space-separated columns (``工业 8848 -45.1``). :func:`chrome_spans`
finds the chrome so that its numbers give no figure; :func:`find_tables` reads the tables
as tables: the header says what each column is (a level in the unit it or the table's
``单位`` note names, a growth rate, a share), every row gives one indicator.

Examples
--------
>>> text = "单位:吨 | |\\n产品名称 | 产量 |\\n粮食 | 143972 |\\n#稻谷 | 118787 |\\n"
>>> [(r.name, r.cells) for r in find_tables(text)[0].rows]
[('粮食', (('level', '143972', '吨'),)), ('稻谷', (('level', '118787', '吨'),))]
>>> chrome_spans("发布时间: 2022-08-05\\n浏览量:\\n一、经济增长较为稳定。")
[(0, 16), (17, 21)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.extract import words

__all__ = ["Table", "TableRow", "chrome_spans", "find_tables", "mask"]

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_CELL_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?%?")
_LONE_NUMBER = re.compile(r"[\d.,]+\s*[万亿千百]?\s*[^\u4e00-\u9fff]{0,3}")
_UNIT_NOTE = re.compile(r"(?:计量)?单位\s*[:：]\s*(?P<unit>[^\s|,，;；)）]+)")
_BRACKET_UNIT = re.compile(r"[(（]\s*(?P<unit>[^()（）\d]{1,8}?)\s*[)）]")
_GROWTH_HEADER = re.compile(r"增长|增速|增幅|涨跌|比上年|同比|比去年")
_SHARE_HEADER = re.compile(r"比重|占比|构成")
_NAME_PREFIX = re.compile(r"^(?:其中\s*[:：]?|[#＃]+|\d+[.、]\s*)+")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_SPACED_ROW = re.compile(
    r"^\s*(?P<name>[^\d\s|][^\d|]*?)\s+(?P<numbers>[-+]?\d+(?:\.\d+)?(?:\s+[-+]?\d+(?:\.\d+)?)+)\s*$"
)
_SENTENCE_END = re.compile(r"[。；;！？]")


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans blanked out (spaces; line breaks kept), offsets unchanged.

    Examples
    --------
    >>> mask("ab\\ncd", [(1, 4)])
    'a \\n d'
    """
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line with its offset (without its line break)."""
    out, at = [], 0
    for line in text.split("\n"):
        out.append((at, line))
        at += len(line) + 1
    return out


def chrome_spans(text: str, *, tables: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Lines of page chrome: short lines with a chrome word, and lines of a lone number.

    A chrome word is one of the ``chrome`` words of extract_words.csv (发布时间, 浏览量,
    签到天数 ...); a line that holds it and no sentence (no 。, under 80 characters) is
    chrome. A line that is only a number (``1万``, ``144382``) is chrome too, unless it
    is inside one of the ``tables`` spans (a cell of a vertical table).
    """
    chrome = words.words("chrome")
    spans = []
    for start, line in _lines(text):
        body = line.strip()
        if not body:
            continue
        end = start + len(line)
        short = len(body) < 80 and not _SENTENCE_END.search(body)
        in_table = any(a <= start and end <= b for a, b in tables)
        if (short and any(w in body for w in chrome)) or (
            _LONE_NUMBER.fullmatch(body) and not in_table
        ):
            spans.append((start, end))
    return spans


@dataclass(frozen=True)
class TableRow:
    """One row of a table: the indicator's name and its cells (role, number, unit)."""

    name: str
    start: int
    end: int
    cells: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table found in the text: where it is, its columns' roles, its rows."""

    start: int
    end: int
    roles: tuple[str, ...]
    header_read: bool
    rows: tuple[TableRow, ...]


def _role(header: str, unit: str) -> tuple[str, str]:
    """What a column holds, from its header: (role, unit)."""
    if _GROWTH_HEADER.search(header):
        return "growth", "%"
    if _SHARE_HEADER.search(header):
        return "share", "%"
    if match := _BRACKET_UNIT.search(header):
        return "level", match.group("unit")
    return "level", "%" if header.endswith("%") else unit


def _name(cell: str) -> str:
    return _CJK_SPACE.sub("", _NAME_PREFIX.sub("", cell.strip())).strip(" :：")


def _grid(cells: list[tuple[int, int, str]]) -> Table | None:
    """A table from its cells in reading order, or None when they make none."""
    numeric = [bool(_CELL_NUMBER.fullmatch(c)) for _, _, c in cells]
    if sum(numeric) < 2 or True not in numeric:
        return None
    first = numeric.index(True)
    if first == 0:
        return None
    k = 1
    while first + k - 1 < len(cells) and numeric[first + k - 1]:
        k += 1
    header = [c for _, _, c in cells[: first - 1]]
    unit = ""
    for cell in header:
        if match := _UNIT_NOTE.search(cell):
            unit = match.group("unit")
    columns = [h for h in header if not _UNIT_NOTE.fullmatch(h.strip())]
    header_read = len(columns) >= k
    if header_read:
        roles_units = [_role(h, unit) for h in columns[-(k - 1) :]]
    else:
        roles_units = [("level", unit), ("growth", "%")][: k - 1]
        roles_units += [("level", unit)] * (k - 1 - len(roles_units))
    rows = []
    i = first - 1
    while i + k <= len(cells):
        group = cells[i : i + k]
        if numeric[i] or not all(numeric[i + 1 : i + k]):
            break
        start, _, name = group[0]
        values = tuple(
            (role, c.rstrip("%"), u)
            for (role, u), (_, _, c) in zip(roles_units, group[1:], strict=True)
        )
        rows.append(TableRow(_name(name), start, group[-1][1], values))
        i += k
    if not rows:
        return None
    used = cells[max(0, first - 1 - (k if header_read else 0)) : first - 1] or cells[first - 1 :]
    start, _, caption = used[0]
    if ends := list(_SENTENCE_END.finditer(caption)):
        start += ends[-1].end()  # prose before the table's caption in the same cell
    return Table(
        start,
        rows[-1].end,
        tuple(r for r, _ in roles_units),
        header_read,
        tuple(rows),
    )


def _bar_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of lines that hold ``|`` cells, with the single-cell lines between them."""
    lines = _lines(text)
    bar = [("|" in line) for _, line in lines]
    blocks = []
    i = 0
    while i < len(lines):
        if not bar[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (
            bar[j + 1]
            or (
                j + 2 < len(lines)
                and bar[j + 2]
                and len(lines[j + 1][1].strip()) <= 40
                and not _SENTENCE_END.search(lines[j + 1][1])
            )
        ):
            j += 1
        blocks.append((lines[i][0], lines[j][0] + len(lines[j][1])))
        i = j + 1
    return blocks


def _bar_cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    cells = []
    for match in re.finditer(r"[^|\n]+", text[start:end]):
        body = match.group()
        stripped = body.strip()
        if stripped:
            at = start + match.start() + body.index(stripped)
            cells.append((at, at + len(stripped), stripped))
    return cells


def _spaced_tables(text: str) -> list[Table]:
    """Tables of space-separated columns: three or more lines of a name and numbers."""
    lines = _lines(text)
    out = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _SPACED_ROW.match(lines[j][1]):
            j += 1
        if j - i >= 3:
            cells: list[tuple[int, int, str]] = []
            if i > 0:
                at, header = lines[i - 1]
                tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", header)]
                if len(tokens) >= 2 and not any(_NUMBER.fullmatch(t) for _, _, t in tokens):
                    cells += [(at + a, at + b, t) for a, b, t in tokens]
            for at, line in lines[i:j]:
                match = _SPACED_ROW.match(line)
                name = match.group("name")
                cells.append((at + match.start("name"), at + match.end("name"), name))
                for number in re.finditer(r"\S+", match.group("numbers")):
                    a = at + match.start("numbers") + number.start()
                    cells.append((a, a + len(number.group()), number.group()))
            if (table := _grid(cells)) is not None:
                out.append(table)
            i = j
        else:
            i += 1
    return out


def find_tables(text: str) -> list[Table]:
    """The tables in a text (``|``-separated, vertical, or space-separated), in order."""
    tables = []
    for start, end in _bar_blocks(text):
        if (table := _grid(_bar_cells(text, start, end))) is not None:
            tables.append(table)
    taken = [(t.start, t.end) for t in tables]
    for table in _spaced_tables(text):
        if not any(a < table.end and table.start < b for a, b in taken):
            tables.append(table)
    return sorted(tables, key=lambda t: t.start)
