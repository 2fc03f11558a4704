"""The office's workbook: an Excel template a statistics office fills in with its figures.

``halfyear template --region R --period P --out FILE.xlsx`` writes it: the catalog's
indicators by block with their units, and per indicator the columns 本期, 同比增长(%),
上年同期, 年度目标 and 完成年度计划(%), with data validation on the numbers and the units,
and an instructions sheet (填写说明) in Chinese. The filled workbook is an ordinary wide
table: put it in ``data/raw/`` and ``make data`` reads it with the normal reader
(:func:`analysis.data.reading.read_wide`) and cleans it with the usual reconciliation and
rejects. Its title names the region with its province and prefecture, so that a name
several regions share (鼓楼区) still resolves.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from analysis import periods
from analysis.catalog import Catalog, CatalogError
from analysis.catalog import load as load_catalog
from analysis.data import cleaning
from analysis.errors import HalfyearError

#: The columns an office fills in, per indicator, as the reader knows them.
COLUMNS = ("本期", "同比增长(%)", "上年同期", "年度目标", "完成年度计划(%)")
#: Blocks of the workbook, in the order of a half-year report: (catalog block, heading).
BLOCKS = (
    ("economy", "经济总量"),
    ("industry", "工业"),
    ("investment", "投资"),
    ("consumption", "消费"),
    ("trade", "外贸外资"),
    ("fiscal", "财政金融"),
    ("income", "居民收入"),
    ("projects", "项目建设"),
    ("promotion", "招商引资"),
    ("urban", "城市建设"),
    ("ecology", "生态"),
    ("livelihood", "民生"),
    ("other", "其他"),
)
#: Indicator kinds an office states in the workbook (ranks and relations need a group).
KINDS = ("flow", "stock", "count", "rate", "share")
DATA_SHEET = "指标"
HELP_SHEET = "填写说明"
_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三")
_PERIOD_LABELS = {(1, 3): "1-3月", (1, 6): "1-6月", (1, 9): "1-9月", (1, 12): "全年"}


class TemplateError(HalfyearError):
    """A workbook that cannot be written for these parameters."""


def template_rows(*, catalog: Catalog | None = None) -> pd.DataFrame:
    """The indicator rows of the workbook: ``block, code, name_zh, unit, units``.

    ``units`` lists the units an office may write for the indicator (those of the same
    dimension as its catalog unit); cleaning converts them to the catalog's.

    Examples
    --------
    >>> rows = template_rows()
    >>> rows.iloc[0][["block", "code", "name_zh", "unit"]].tolist()
    ['经济总量', 'gdp', '地区生产总值', '亿元']
    >>> "万元" in rows.iloc[0]["units"], set(rows["block"]) <= {b for _, b in BLOCKS}
    (True, True)
    """
    cat = (catalog or load_catalog()).indicators
    order = {topic: i for i, (topic, _) in enumerate(BLOCKS)}
    heading = dict(BLOCKS)
    rows = cat[cat["kind"].isin(KINDS) & cat["block"].isin(order)].copy()
    rows["_block"] = rows["block"].map(order)
    rows["_at"] = range(len(rows))
    rows = rows.sort_values(["_block", "_at"], kind="stable")
    return pd.DataFrame(
        {
            "block": rows["block"].map(heading).tolist(),
            "code": rows["code"].tolist(),
            "name_zh": rows["name_zh"].tolist(),
            "unit": rows["unit"].tolist(),
            "units": [_units_like(unit) for unit in rows["unit"]],
        }
    )


def _units_like(unit: str) -> list[str]:
    """The unit first, then the other units of its dimension."""
    if unit in ("%", "sign", "位"):
        return [unit]
    same = cleaning.known_units(dimension=cleaning.unit_dimension(unit))
    return [unit, *(u for u in same if u != unit)]


def period_label(period: str) -> str:
    """The column-group label of a cumulative period (1-6月, 全年 ...).

    Examples
    --------
    >>> period_label("2021H1"), period_label("2021FY"), period_label("2021年1-9月")
    ('1-6月', '全年', '1-9月')
    """
    span = periods.parse_period(period)
    label = _PERIOD_LABELS.get((span.start_month, span.end_month))
    if label is None:
        raise TemplateError(
            f"period {period!r}: the workbook takes a cumulative period from January "
            "(2021Q1, 2021H1, 2021Q3, 2021FY)"
        )
    return label


def write_template(
    path: str | Path, *, region: str, period: str, catalog: Catalog | None = None
) -> Path:
    """Write the office's workbook for a region and period.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (its folder must exist).
    region : str
        Any region of the registry: code, name, alias (``430621``, ``岳阳县``).
    period : str
        A cumulative period from January: ``2021H1``, ``2021年上半年``, ``2021FY`` ...
    catalog : Catalog, optional
        Indicators and regions (default: the shipped catalog).

    Returns
    -------
    Path

    Raises
    ------
    TemplateError
        For an unknown or ambiguous region, a period the workbook cannot take, or a path
        that is not ``.xlsx``.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> out = write_template(Path(tempfile.mkdtemp()) / "t.xlsx", region="岳阳县",
    ...                      period="2021H1")
    >>> book = load_workbook(out)
    >>> book.sheetnames, book["指标"]["A1"].value
    (['指标', '填写说明'], '湖南省岳阳市岳阳县2021年1-6月主要经济指标')
    >>> [c.value for c in book["指标"][3]][:4]
    [None, None, '本期', '同比增长(%)']
    """
    cat = catalog or load_catalog()
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise TemplateError(f"{path}: the workbook is written as .xlsx; give a name ending .xlsx")
    if not path.parent.is_dir():
        raise TemplateError(f"{path.parent}: no such folder")
    try:
        code = cat.region_code(region)
    except CatalogError as err:
        raise TemplateError(str(err)) from None
    try:
        span = periods.parse_period(str(period))
    except periods.PeriodError as err:
        raise TemplateError(f"period {period!r}: {err}") from None
    label = period_label(span.code)
    title = f"{cat.full_name(code)}{span.year}年{label}主要经济指标"
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    _data_sheet(sheet, title=title, label=label, rows=template_rows(catalog=cat))
    _help_sheet(book.create_sheet(HELP_SHEET), title=title, code=code, span=span, cat=cat)
    book.properties.title = title
    book.properties.subject = f"halfyear template: region {code}, period {span.code}"
    book.save(path)
    return path


def _data_sheet(sheet, *, title: str, label: str, rows: pd.DataFrame) -> None:
    width = 2 + len(COLUMNS)
    sheet.append([title, *[""] * (width - 1)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["指标名称", "计量单位", label, *[""] * (len(COLUMNS) - 1)])
    sheet.append(["", "", *COLUMNS])
    sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    sheet.merge_cells(start_row=2, start_column=2, end_row=3, end_column=2)
    sheet.merge_cells(start_row=2, start_column=3, end_row=2, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows(min_row=2, max_row=3):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000",
        formula2="1000000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请填数字",
        error="这一格只填数字（不带单位、不带%）；没有数据就留空。",
    )
    target = DataValidation(
        type="custom",
        formula1="TRUE",
        allow_blank=True,
        showInputMessage=True,
        promptTitle="年度目标",
        prompt="总量目标填数字（单位同本行）；增速目标填百分数，如 8% 或 增长8%以上。",
    )
    sheet.add_data_validation(numbers)
    sheet.add_data_validation(target)
    unit_lists: dict[str, DataValidation] = {}
    block, n = None, 0
    for row in rows.itertuples():
        if row.block != block:
            block = row.block
            sheet.append([f"{_NUMERALS[n]}、{block}"])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            n += 1
        sheet.append([row.name_zh, row.unit])
        at = sheet.max_row
        for column in ("C", "D", "E", "G"):
            numbers.add(f"{column}{at}")
        target.add(f"F{at}")
        choices = ",".join(row.units)
        if choices not in unit_lists:
            unit_lists[choices] = DataValidation(
                type="list",
                formula1=f'"{choices}"',
                allow_blank=False,
                showErrorMessage=True,
                errorTitle="计量单位",
                error=f"这一行的单位只能是：{choices}",
            )
            sheet.add_data_validation(unit_lists[choices])
        unit_lists[choices].add(f"B{at}")
        for column in "CDEFG":
            sheet[f"{column}{at}"].fill = PatternFill("solid", start_color="FFF8E1")
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 10
    for column in "CDEFG":
        sheet.column_dimensions[column].width = 14
    sheet.freeze_panes = "C4"


def _help_sheet(sheet, *, title: str, code: str, span: periods.Period, cat: Catalog) -> None:
    name = cat.regions.loc[code, "name_zh"]
    lines = [
        "填写说明",
        f"本表：{title}（地区代码 {code}，期别 {span.code}）。",
        "1. 只在“指标”表的浅黄色格子里填数；没有的数据留空，不要填 0、“—”或“无”。",
        "2. 本期：本年1月至本期末的累计数（存量指标填期末数），单位见“计量单位”列；"
        "单位可在下拉列表中改成同类单位（如 亿元 改为 万元），清洗时自动换算。",
        "3. 同比增长(%)：比上年同期增长的百分数，只填数字（增长8.5%填 8.5，下降1.2%填 -1.2）；"
        "地区生产总值、规模以上工业增加值按可比价计算的增速。",
        "4. 上年同期：上年同一期别的累计数，单位同本行。",
        "5. 年度目标：全年预期目标。总量目标填数字（单位同本行）；增速目标填百分数，"
        "如 8% 或 增长8%以上。",
        "6. 完成年度计划(%)：本期累计数占全年计划的百分数，只填数字（如 51）。",
        "7. 不要改动表头、指标名称和标题，不要插入或删除列；不在表中的指标可在末尾另起一行，"
        "写明指标名称和单位。",
        f"8. 填好后把文件放入 data/raw/ 文件夹，运行 make data（或 halfyear clean），"
        f"再运行 halfyear report --region {code} --period {span.code} 生成报告。"
        "清洗结果逐个文件列出“读入 = 保留 + 剔除”，剔除的行及原因见 data/processed/rejects.csv。",
        f"9. 同一文件夹中另放一个同名的 .meta.json 文件，写明数据来源（如 {name}统计局），"
        "报告的数据说明会引用。",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120
    for row in sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
