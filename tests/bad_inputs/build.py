"""The cases of the bad-input corpus: the inputs each writes and what it expects.

``cases.csv`` lists every case (``case, kind, expect, detail, what``); this module builds
each one's files in a fresh folder and returns its :class:`Plan`: the steps to run
(``runner.Step``) and the check that tells ``handled`` from ``accepted wrongly``. ``expect``
names the check:

- ``refused``: the command stops with exit status 2 and one line naming ``detail`` (several
  words joined by ``&`` must all appear); nothing half-written is left;
- ``rejected``: ``halfyear clean`` succeeds, the bad row is in rejects.csv with a reason
  containing ``detail`` and not in the table; rows read = kept + rejected;
- ``flagged``: the figure is kept with ``detail`` in its ``flag`` column;
- ``accounted``: every row of the workbook is read, and kept or rejected (a reason or the
  printed summary naming ``detail``);
- ``decoded``: the file is read in the encoding ``detail`` and its text comes out right;
- ``intact``: after a fault, data/processed holds either the previous state or the new
  one, whole and consistent, and the next command works;
- ``neutral``: no cell of the CSV or XLSX written is a live formula, and the text reads
  back as it was;
- ``finishes``: cleaning finishes (within the step's timeout), rows balance and the
  conflict notes stay short;
- ``ok``: the step succeeds and its own check (returned by a ``call``) holds.

The figures are real (二七区 2019 H1, from ``data/raw``); the faults are made up.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .runner import Result, Step, consistency_problem, read_csv, state

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RAW, OUT = "raw", "out"

LONG_HEADER = [
    "region_code", "region_zh", "period", "indicator", "indicator_zh", "value", "unit",
    "yoy_pct", "plan_pct", "is_target", "peer_group", "source_url", "note",
]  # fmt: skip
GOOD = [
    {"region_code": "erqi", "region_zh": "二七区", "period": "2019H1", "indicator": "gdp",
     "indicator_zh": "地区生产总值", "value": "323.3", "unit": "亿元", "yoy_pct": "8"},
    {"region_code": "erqi", "region_zh": "二七区", "period": "2019H1",
     "indicator": "major_projects", "indicator_zh": "重大项目个数", "value": "175", "unit": "个"},
    {"region_code": "erqi", "region_zh": "二七区", "period": "2019H1",
     "indicator": "major_project_investment", "indicator_zh": "重大项目完成投资",
     "value": "253", "unit": "亿元", "plan_pct": "51"},
    {"region_code": "erqi", "region_zh": "二七区", "period": "2017FY", "indicator": "gdp",
     "indicator_zh": "地区生产总值", "value": "567.0", "unit": "亿元", "yoy_pct": "9.0",
     "note": "preliminary"},
]  # fmt: skip
WIDE = [
    ["二七区2019年上半年主要经济指标", "", "", "", ""],
    ["指标", "单位", "1-6月", "", ""],
    ["", "", "本期", "同比增长(%)", "占年度计划(%)"],
    ["地区生产总值", "亿元", "323.3", "8", ""],
    ["重大项目完成投资", "亿元", "253", "", "51"],
    ["重大生态项目完成投资", "亿元", "18.12", "", "72.9"],
    ["新建中小学校", "所", "7", "", ""],
]


@dataclass
class Plan:
    """A case's steps and its check ('' when the outcome is what the case expects)."""

    steps: list[Step]
    check: Callable[[list[Result]], str]
    after_step: Callable[[int, Result], None] | None = None
    memo: dict = field(default_factory=dict)


# --- the manifest ---------------------------------------------------------------------------


def manifest() -> list[dict]:
    """The rows of cases.csv."""
    with (HERE / "cases.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


BUILDERS: dict[str, Callable[[Path, dict], Plan]] = {}


def case(*names: str):
    """Register a builder for one or more cases (it gets the folder and the manifest row)."""

    def register(function):
        for name in names:
            if name in BUILDERS:
                raise ValueError(f"two builders for case {name}")
            BUILDERS[name] = function
        return function

    return register


def plan(row: dict, folder: Path | None = None) -> Plan:
    """The plan of a manifest row, its files written into ``folder``."""
    import tempfile

    folder = folder or Path(tempfile.mkdtemp(prefix="hy-bad-"))
    (folder / RAW).mkdir(parents=True, exist_ok=True)
    return BUILDERS[row["case"]](folder, row)


# --- writing inputs -------------------------------------------------------------------------


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def long_rows(rows: list[dict]) -> list[list[str]]:
    return [LONG_HEADER, *([r.get(c, "") for c in LONG_HEADER] for r in rows)]


def write_long(folder: Path, rows: list[dict], name: str = "figures.csv", *,
               encoding: str = "utf-8") -> Path:  # fmt: skip
    path = folder / RAW / name
    path.write_bytes(csv_text(long_rows(rows)).encode(encoding))
    return path


def row(**fields: str) -> dict:
    """A long row for erqi 2019H1 GDP with some fields replaced."""
    return {**GOOD[0], **fields}


def workbook(sheets: list[tuple[str, list[list[object]]]]):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for cells in rows:
            ws.append(cells)
    return book


def long_sheet(rows: list[dict]) -> list[list[object]]:
    return long_rows(rows)


def save(book, folder: Path, name: str = "book.xlsx") -> Path:
    path = folder / RAW / name
    book.save(path)
    return path


def write_meta(folder: Path, data: Path, **fields) -> Path:
    import hashlib

    meta = {
        "file": data.name,
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        "format": "long",
        "source": "test",
        "source_url": "",
        **fields,
    }
    path = data.with_name(f"{data.stem}.meta.json")
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return path


# --- steps ----------------------------------------------------------------------------------


def clean(folder: Path, out: str = OUT, **fault) -> Step:
    return Step(argv=["clean", "--raw", str(folder / RAW), "--out", str(folder / out)],
                fault=fault, label="clean")  # fmt: skip


def table(folder: Path, out: str = OUT) -> str:
    return str(folder / out / "figures.parquet")


def periods(folder: Path, out: str = OUT) -> Step:
    return Step(argv=["periods", "--data", table(folder, out)], label="periods")


# --- reading the outputs --------------------------------------------------------------------


def outputs(folder: Path, out: str = OUT):
    import pandas as pd

    base = folder / out
    figures = pd.read_parquet(base / "figures.parquet")
    rejects = read_csv(base / "rejects.csv")
    recon = read_csv(base / "reconciliation.csv")
    for column in ("rows_read", "rows_kept", "rows_rejected"):
        recon[column] = recon[column].astype(int)
    return figures, rejects, recon


def _cleaned(result: Result, folder: Path) -> str:
    """'' when the clean step succeeded and its outputs agree."""
    if result.rc != 0:
        return f"clean exited {result.rc}: {result.stderr.strip()[:300]}"
    problem = consistency_problem(folder / OUT)
    if problem:
        return f"the processed files disagree: {problem}"
    _, _, recon = outputs(folder)
    if (recon["rows_kept"] + recon["rows_rejected"] != recon["rows_read"]).any():
        return "rows read != kept + rejected"
    return ""


def _has(text: str, detail: str) -> bool:
    return all(d.strip().lower() in str(text).lower() for d in detail.split("&"))


def expect_rejected(folder: Path, detail: str, bad: list[tuple[str, int]]):
    def check(results: list[Result]) -> str:
        why = _cleaned(results[-1], folder)
        if why:
            return why
        figures, rejects, _ = outputs(folder)
        for file, line in bad:
            kept = figures[(figures["source_file"] == file) & (figures["source_line"] == line)]
            if len(kept):
                return f"{file}:{line} was kept ({kept.iloc[0]['value']})"
            mine = rejects[(rejects["source_file"] == file) & (rejects["source_line"] == str(line))]
            if mine.empty:
                return f"{file}:{line} is neither kept nor rejected"
            if not any(_has(reason, detail) for reason in mine["reason"]):
                return f"{file}:{line} rejected for another reason: {mine['reason'].iloc[0]!r}"
        return ""

    return check


def expect_flagged(folder: Path, detail: str, bad: list[tuple[str, int]]):
    def check(results: list[Result]) -> str:
        why = _cleaned(results[-1], folder)
        if why:
            return why
        figures, rejects, _ = outputs(folder)
        for file, line in bad:
            kept = figures[(figures["source_file"] == file) & (figures["source_line"] == line)]
            if kept.empty:
                mine = rejects[rejects["source_line"] == str(line)]
                if len(mine) and any(_has(r, detail) for r in mine["reason"]):
                    continue  # rejected with the reason is as good as flagged
                return f"{file}:{line} was dropped, not flagged"
            if "flag" not in kept:
                return "the table has no flag column: the figure is kept without a word"
            if not any(_has(f, detail) for f in kept["flag"]):
                return f"{file}:{line} kept without a flag naming {detail!r}"
        return ""

    return check


def expect_accounted(folder: Path, detail: str, rows: int, *, rejected: int | None = None):
    def check(results: list[Result]) -> str:
        why = _cleaned(results[-1], folder)
        if why:
            return why
        _, rejects, recon = outputs(folder)
        if int(recon["rows_read"].sum()) != rows:
            return f"read {int(recon['rows_read'].sum())} rows, the workbook has {rows}"
        if rejected is not None and len(rejects) != rejected:
            return f"{len(rejects)} rows rejected, expected {rejected}"
        if detail:
            said = results[-1].stdout + "\n".join(rejects.get("reason", []))
            if not _has(said, detail):
                return f"neither the rejects nor the summary say {detail!r}"
        return ""

    return check


def expect_refused(folder: Path, detail: str, *, out: str | None = OUT, before=None):
    from .runner import _one_line

    def check(results: list[Result]) -> str:
        why = _one_line(results[-1], detail)
        if why:
            return why
        if out is not None:
            now = state(folder / out)
            previous = before() if before else None
            if now != previous:
                return f"the output folder changed: {sorted(now or {})}"
        return ""

    return check


def expect_ok(results: list[Result]) -> str:
    last = results[-1]
    if last.rc != 0:
        return f"exit {last.rc}: {(last.error or last.stderr).strip()[:300]}"
    value = last.value or {}
    return "" if value.get("ok") else value.get("why", "no check result")


# === fault: writes to data/processed interrupted ============================================


def _fault_plan(folder: Path, fault: dict, *, first: bool = False, setup=None) -> Plan:
    """Clean A (the previous state), then B with a fault; B alone into 'new' for reference.

    Handled when the faulty run was killed or stopped with one line (or succeeded), the
    output holds the previous state or B's whole, consistent, and `halfyear periods` works.
    """
    a = folder / "a"
    b = folder / "b"
    a.mkdir()
    b.mkdir()
    rows_a = GOOD[:2]
    rows_b = [*GOOD, *(row(period=f"20{y}H1", value=f"{200 + y}.5", note=f"rejected {'x' * 400}",
                           unit="吨") for y in range(10, 40))]  # fmt: skip
    (a / "figures.csv").write_text(csv_text(long_rows(rows_a)), encoding="utf-8")
    (b / "figures.csv").write_text(csv_text(long_rows(rows_b)), encoding="utf-8")
    memo: dict = {}

    def step(source: Path, out: str, **f) -> Step:
        return Step(argv=["clean", "--raw", str(source), "--out", str(folder / out)], fault=f)

    steps = [step(b, "new")]
    if not first:
        steps.append(step(a, OUT))
    steps += [step(b, OUT, **fault), periods(folder)]
    faulty = len(steps) - 2

    def after_step(index: int, result: Result) -> None:
        if index == 0:
            memo["new"] = state(folder / "new")
        if index == faulty - 1:
            memo["before"] = state(folder / OUT) if not first else None
            if setup:
                setup(folder)

    def check(results: list[Result]) -> str:
        if results[0].rc != 0 or (not first and results[1].rc != 0):
            return "the runs without a fault failed"
        run = results[faulty]
        now = state(folder / OUT)
        if now not in (memo.get("before"), memo.get("new")):
            problem = consistency_problem(folder / OUT) if now else "nothing"
            return (
                f"after the fault the output is neither the previous state nor the new: {problem}"
            )
        if now is not None and consistency_problem(folder / OUT):
            return consistency_problem(folder / OUT)
        if not run.killed and run.rc not in (0, 2):
            return f"the faulty run exited {run.rc}"
        if run.rc == 2 and len(run.lines) != 1:
            return f"the faulty run said {len(run.lines)} lines: {run.stderr[:300]!r}"
        if run.rc == 0 and now != memo.get("new"):
            return "the run said it succeeded but the output is not the new state"
        nxt = results[-1]
        if now is not None and nxt.rc != 0:
            return f"the next command failed: {nxt.stderr.strip()[:300]}"
        if now is None and nxt.rc != 2:
            return f"the next command on no data exited {nxt.rc}"
        return ""

    return Plan(steps, check, after_step, memo)


@case("kill_at_write_2", "kill_at_write_3", "kill_at_write_4", "kill_at_write_5")
def _kill_at(folder: Path, spec: dict) -> Plan:
    return _fault_plan(folder, {"kill_at": int(spec["case"].rsplit("_", 1)[1])})


@case("enospc_at_write_2", "enospc_at_write_3", "enospc_at_write_4")
def _enospc_at(folder: Path, spec: dict) -> Plan:
    return _fault_plan(folder, {"fail_at": int(spec["case"].rsplit("_", 1)[1]),
                                "errno": errno.ENOSPC})  # fmt: skip


@case("kill_first_clean_at_2", "enospc_first_clean_at_3")
def _first(folder: Path, spec: dict) -> Plan:
    fault = {"kill_at": 2} if "kill" in spec["case"] else {"fail_at": 3, "errno": errno.ENOSPC}
    return _fault_plan(folder, fault, first=True)


@case("kill_in_parquet")
def _kill_in_parquet(folder: Path, spec: dict) -> Plan:
    return _fault_plan(folder, {"fsize": 4096, "kill": True})


@case("kill_in_rejects")
def _kill_in_rejects(folder: Path, spec: dict) -> Plan:
    # the table of B is ~20 kB, its rejects ~30 kB: the limit falls inside rejects.csv
    return _fault_plan(folder, {"fsize": 24_000, "kill": True})


@case("disk_full_in_parquet")
def _efbig_parquet(folder: Path, spec: dict) -> Plan:
    return _fault_plan(folder, {"fsize": 4096})


@case("disk_full_in_rejects")
def _efbig_rejects(folder: Path, spec: dict) -> Plan:
    return _fault_plan(folder, {"fsize": 24_000})


@case("rejects_read_only")
def _rejects_read_only(folder: Path, spec: dict) -> Plan:
    return _fault_plan(folder, {"user": "nobody", "modes": {f"{OUT}/rejects.csv": 0o444}})


@case("out_dir_read_only")
def _out_read_only(folder: Path, spec: dict) -> Plan:
    return _fault_plan(folder, {"user": "nobody", "modes": {OUT: 0o555}})


@case("rejects_is_directory")
def _rejects_directory(folder: Path, spec: dict) -> Plan:
    write_long(folder, GOOD)
    (folder / OUT / "rejects.csv").mkdir(parents=True)
    return Plan([clean(folder)], expect_refused(folder, "rejects.csv", before=lambda: None))


# === silent: inputs taken without a word ====================================================


@case("two_sheets_long")
def _two_sheets_long(folder: Path, spec: dict) -> Plan:
    save(workbook([("A", long_sheet(GOOD[:2])), ("B", long_sheet(GOOD[2:]))]), folder)
    return Plan([clean(folder)], expect_accounted(folder, spec["detail"], 4, rejected=0))


@case("two_sheets_wide")
def _two_sheets_wide(folder: Path, spec: dict) -> Plan:
    second = [r[:] for r in WIDE]
    second[0][0] = "二七区2018年上半年主要经济指标"
    save(workbook([("2019", WIDE), ("2018", second)]), folder)
    return Plan([clean(folder)], expect_accounted(folder, spec["detail"], 8, rejected=0))


@case("three_sheets_middle_empty")
def _three_sheets(folder: Path, spec: dict) -> Plan:
    save(workbook([("A", long_sheet(GOOD[:1])), ("empty", []), ("C", long_sheet(GOOD[1:3]))]),
         folder)  # fmt: skip
    return Plan([clean(folder)], expect_accounted(folder, spec["detail"], 3, rejected=0))


@case("notes_sheet")
def _notes_sheet(folder: Path, spec: dict) -> Plan:
    notes = [["说明"], ["本表数据来自二七区统计局。"]]
    save(workbook([("数据", long_sheet(GOOD[:2])), ("说明", notes)]), folder)
    return Plan([clean(folder)], expect_accounted(folder, spec["detail"], 2, rejected=0))


@case("hidden_sheet")
def _hidden_sheet(folder: Path, spec: dict) -> Plan:
    book = workbook([("数据", long_sheet(GOOD[:2])), ("旧数据", long_sheet(GOOD[2:]))])
    book["旧数据"].sheet_state = "hidden"
    save(book, folder)
    return Plan([clean(folder)], expect_accounted(folder, spec["detail"], 2))


@case("very_hidden_sheet")
def _very_hidden_sheet(folder: Path, spec: dict) -> Plan:
    book = workbook([("数据", long_sheet(GOOD[:2])), ("计算", long_sheet(GOOD[2:]))])
    book["计算"].sheet_state = "veryHidden"
    save(book, folder)
    return Plan([clean(folder)], expect_accounted(folder, spec["detail"], 2))


@case("first_sheet_hidden")
def _first_sheet_hidden(folder: Path, spec: dict) -> Plan:
    old = [row(value="300.0", note="old draft")]
    book = workbook([("草稿", long_sheet(old)), ("数据", long_sheet(GOOD[:2]))])
    book["草稿"].sheet_state = "hidden"
    book.active = 1
    save(book, folder)

    def check(results):
        why = expect_accounted(folder, spec["detail"], 2)(results)
        if why:
            return why
        figures, _, _ = outputs(folder)
        if (figures["value"] == 300.0).any():
            return "the hidden draft's 300.0 was read as a figure"
        return ""

    return Plan([clean(folder)], check)


def _hidden_row_book(folder: Path, *, wide: bool, grouped: bool = False) -> None:
    rows = WIDE if wide else long_sheet(GOOD)
    book = workbook([("数据", rows)])
    ws = book["数据"]
    hidden = 5 if wide else 3  # wide: 重大项目完成投资; long: major_project_investment
    ws.row_dimensions[hidden].hidden = True
    if grouped:
        ws.row_dimensions[hidden].outlineLevel = 1
    save(book, folder)


@case("hidden_row_long")
def _hidden_row_long(folder: Path, spec: dict) -> Plan:
    _hidden_row_book(folder, wide=False)
    return Plan([clean(folder)], expect_rejected(folder, spec["detail"], [("book.xlsx", 3)]))


@case("hidden_row_wide")
def _hidden_row_wide(folder: Path, spec: dict) -> Plan:
    _hidden_row_book(folder, wide=True)
    return Plan([clean(folder)], expect_rejected(folder, spec["detail"], [("book.xlsx", 5)]))


@case("hidden_row_grouped")
def _hidden_row_grouped(folder: Path, spec: dict) -> Plan:
    _hidden_row_book(folder, wide=False, grouped=True)
    return Plan([clean(folder)], expect_rejected(folder, spec["detail"], [("book.xlsx", 3)]))


def _formula_book(folder: Path, *, wide: bool, column: str) -> int:
    """A workbook with one formula cell (openpyxl stores no cached value); its row."""
    rows = [list(r) for r in (WIDE if wide else long_sheet(GOOD))]
    line = 4 if wide else 2
    index = (["name", "unit", "value", "growth", "plan"] if wide else LONG_HEADER).index(column)
    rows[line - 1][index] = f"=C{line + 1}*1"
    save(workbook([("数据", rows)]), folder)
    return line


@case("formula_long_value", "formula_long_region", "formula_long_unit", "formula_long_yoy")
def _formula_long(folder: Path, spec: dict) -> Plan:
    column = {"value": "value", "region": "region_code", "unit": "unit",
              "yoy": "yoy_pct"}[spec["case"].rsplit("_", 1)[1]]  # fmt: skip
    line = _formula_book(folder, wide=False, column=column)
    return Plan([clean(folder)], expect_rejected(folder, spec["detail"], [("book.xlsx", line)]))


@case("formula_wide_value", "formula_wide_growth")
def _formula_wide(folder: Path, spec: dict) -> Plan:
    column = "value" if spec["case"].endswith("value") else "growth"
    line = _formula_book(folder, wide=True, column=column)
    return Plan([clean(folder)], expect_rejected(folder, spec["detail"], [("book.xlsx", line)]))


def _expect_decoded(folder: Path, encoding: str, text: str):
    def check(results):
        why = _cleaned(results[-1], folder)
        if why:
            return why
        figures, rejects, recon = outputs(folder)
        said = f"{recon['encoding'].iloc[0]} ({recon['encoding_reason'].iloc[0]})"
        if not _has(said, encoding):
            return f"read as {said}, not {encoding}"
        seen = {
            *figures["indicator_zh"],
            *figures["region_zh"],
            *figures["note"],
            *rejects.get("raw", []),
        }
        if not any(text in s for s in seen):
            return f"{text!r} does not come out of the file: {sorted(seen)[:5]}"
        return ""

    return check


TRADITIONAL = str.maketrans(
    dict(zip("亿个标单长计划项资态学区经济总产", "億個標單長計劃項資態學區經濟總產", strict=True))
)


@case("big5_long")
def _big5_long(folder: Path, spec: dict) -> Plan:
    rows = [
        {
            **r,
            "region_zh": "二七區",
            "indicator_zh": "",
            "unit": r["unit"].translate(TRADITIONAL),
            "note": "初步核算數據,來源:區統計局",
        }
        for r in GOOD
    ]
    write_long(folder, rows, encoding="big5")
    return Plan([clean(folder)], _expect_decoded(folder, spec["detail"], "區統計局"))


@case("big5_wide")
def _big5_wide(folder: Path, spec: dict) -> Plan:
    text = csv_text(WIDE).translate(TRADITIONAL)
    (folder / RAW / "wide.csv").write_bytes(text.encode("big5"))
    return Plan([clean(folder)], _expect_decoded(folder, spec["detail"], "地區生產總值"))


@case("big5_few_characters")
def _big5_few(folder: Path, spec: dict) -> Plan:
    rows = [dict(GOOD[2], region_zh="", indicator_zh="", unit="billion yuan", note="初步核算")]
    write_long(folder, rows, encoding="big5")
    return Plan([clean(folder)], _expect_decoded(folder, spec["detail"], "初步核算"))


@case("gbk_with_a_utf8_line", "utf8_with_a_gbk_line")
def _mixed(folder: Path, spec: dict) -> Plan:
    first, then = ("gbk", "utf-8") if spec["case"].startswith("gbk") else ("utf-8", "gbk")
    path = write_long(folder, GOOD[:2], encoding=first)
    extra = csv_text([[GOOD[2].get(c, "") for c in LONG_HEADER]]).encode(then)
    path.write_bytes(path.read_bytes() + extra)
    return Plan([clean(folder)], expect_refused(folder, spec["detail"]))


@case("sha256_differs_from_meta", "sha256_differs_from_meta_xlsx")
def _sha_mismatch(folder: Path, spec: dict) -> Plan:
    if spec["case"].endswith("xlsx"):
        path = save(workbook([("数据", long_sheet(GOOD))]), folder)
        write_meta(folder, path)
        save(workbook([("数据", long_sheet([row(value="333.3")]))]), folder)
    else:
        path = write_long(folder, GOOD)
        write_meta(folder, path)
        write_long(folder, [row(value="333.3"), *GOOD[1:]])
    return Plan([clean(folder)], expect_refused(folder, spec["detail"]))


# === impossible figures =====================================================================

URBAN = {"indicator": "urban_income", "indicator_zh": "城镇居民人均可支配收入"}
ALIAS = "规上工业增加值"  # an alias of industrial value added

#: case -> (rows, the rows that must be rejected or flagged (0-based))
ROW_CASES: dict[str, tuple[list[dict], list[int]]] = {
    "negative_gdp": ([row(value="-323.3")], [0]),
    "negative_investment": ([row(indicator="fixed_asset_investment", indicator_zh="固定资产投资",
                                 value="-120.5", yoy_pct="")], [0]),
    "negative_revenue_wan": ([row(indicator="budget_revenue", indicator_zh="一般公共预算收入",
                                  value="-5000", unit="万元", yoy_pct="")], [0]),
    "negative_per_capita_income": ([row(**URBAN,
                                        value="-21342", unit="元", yoy_pct="")], [0]),
    "negative_gdp_target": ([row(period="2019FY", value="-600", is_target="1", yoy_pct="")], [0]),
    "negative_count_target": ([row(period="2019FY", indicator="new_public_toilets",
                                   indicator_zh="新建公厕", value="-20", unit="座", yoy_pct="",
                                   is_target="1")], [0]),
    "negative_count": ([row(indicator="major_projects", indicator_zh="重大项目个数", value="-3",
                            unit="个", yoy_pct="")], [0]),
    "fractional_count": ([row(indicator="major_projects", indicator_zh="重大项目个数", value="3.5",
                              unit="个", yoy_pct="")], [0]),
    "fractional_parking_spaces": ([row(indicator="parking_spaces", indicator_zh="停车泊位建设",
                                       value="8000.5", unit="个", yoy_pct="")], [0]),
    "fractional_schools": ([row(indicator="new_schools", indicator_zh="新建中小学校",
                                value="7.25", unit="所", yoy_pct="")], [0]),
    "huge_gdp_1e26": ([row(value="1" + "0" * 26)], [0]),
    "huge_uncatalogued_money": ([row(indicator="税收收入合计", indicator_zh="税收收入合计",
                                     value="1" + "0" * 26, unit="万元", yoy_pct="")], [0]),
    "huge_per_capita_income": ([row(**URBAN,
                                    value="9" + "0" * 15, unit="元", yoy_pct="")], [0]),
    "huge_count": ([row(indicator="new_market_entities", indicator_zh="新增市场主体",
                        value="1" + "0" * 20, unit="万家", yoy_pct="")], [0]),
    "period_2099": ([row(period="2099H1")], [0]),
    "period_2099_label": ([row(period="2099年上半年")], [0]),
    "period_2099_target": ([row(period="2099FY", is_target="1", value="", yoy_pct="8")], [0]),
    "period_next_year_actual": ([row(period="2099Q1", yoy_pct="")], [0]),
    "per_capita_unit_on_gdp": ([row(value="50000", unit="元/人", yoy_pct="")], [0]),
    "per_capita_unit_on_investment": ([row(indicator="fixed_asset_investment",
                                           indicator_zh="固定资产投资", value="30000",
                                           unit="元/人", yoy_pct="")], [0]),
    "total_unit_on_per_capita": ([row(**URBAN,
                                      value="3.5", unit="亿元", yoy_pct="")], [0]),
    "region_code_vs_name": ([row(region_zh="金水区")], [0]),
    "region_code_vs_alias": ([row(region_code="jinshui", region_zh="二七")], [0]),
    "indicator_code_vs_name": ([row(indicator_zh="固定资产投资")], [0]),
    "indicator_code_vs_alias": ([row(indicator="retail_sales", indicator_zh=ALIAS)], [0]),
    "h1_larger_than_fy": ([row(value="600.0"), row(period="2019FY", value="567.0", yoy_pct="")],
                          [0, 1]),
    "q1_larger_than_h1": ([row(period="2019Q1", value="400.0", yoy_pct=""), row()], [0, 1]),
    "q3_larger_than_fy_revenue": ([row(indicator="budget_revenue", indicator_zh="一般公共预算收入",
                                       period="2019Q3", value="40.2", yoy_pct=""),
                                   row(indicator="budget_revenue", indicator_zh="一般公共预算收入",
                                       period="2019FY", value="31.0", yoy_pct="")], [0, 1]),
    "h1_larger_than_fy_in_wan": ([row(value="6000000", unit="万元"),
                                  row(period="2019FY", value="567.0", yoy_pct="")], [0, 1]),
}  # fmt: skip


@case(*ROW_CASES)
def _row_case(folder: Path, spec: dict) -> Plan:
    rows, bad = ROW_CASES[spec["case"]]
    write_long(folder, [*rows, GOOD[1]])
    expect = expect_flagged if spec["expect"] == "flagged" else expect_rejected
    return Plan(
        [clean(folder)], expect(folder, spec["detail"], [("figures.csv", i + 2) for i in bad])
    )


@case("h1_larger_than_fy_two_files")
def _two_files(folder: Path, spec: dict) -> Plan:
    write_long(folder, [row(value="600.0")], name="h1.csv")
    write_long(folder, [row(period="2019FY", value="567.0", yoy_pct="")], name="fy.csv")
    lines = [("h1.csv", 2), ("fy.csv", 2)]
    return Plan([clean(folder)], expect_flagged(folder, spec["detail"], lines))


@case("h1_larger_than_fy_wide")
def _wide_h1_fy(folder: Path, spec: dict) -> Plan:
    rows = [
        ["二七区2019年主要经济指标", "", "", ""],
        ["指标", "单位", "1-6月", "全年"],
        ["", "", "本期", "本期"],
        ["地区生产总值", "亿元", "700", "650"],
    ]
    (folder / RAW / "wide.csv").write_text(csv_text(rows), encoding="utf-8")
    return Plan([clean(folder)], expect_flagged(folder, spec["detail"], [("wide.csv", 4)]))


@case("period_2099_wide")
def _wide_2099(folder: Path, spec: dict) -> Plan:
    rows = [r[:] for r in WIDE]
    rows[0][0] = "二七区2099年上半年主要经济指标"
    (folder / RAW / "wide.csv").write_text(csv_text(rows), encoding="utf-8")
    return Plan([clean(folder)], expect_rejected(folder, spec["detail"], [("wide.csv", 4)]))


@case("huge_gdp_xlsx_number")
def _huge_xlsx(folder: Path, spec: dict) -> Plan:
    rows = [list(r) for r in WIDE]
    rows[3][2] = 1e26
    save(workbook([("数据", rows)]), folder)
    return Plan([clean(folder)], expect_rejected(folder, spec["detail"], [("book.xlsx", 4)]))


# === tracebacks =============================================================================


@case("meta_invalid_json", "meta_a_list", "meta_source_url_number", "meta_sha256_number",
      "meta_empty", "meta_gbk_bytes", "meta_directory", "meta_nested_source_url")  # fmt: skip
def _bad_meta(folder: Path, spec: dict) -> Plan:
    path = write_long(folder, GOOD)
    meta = path.with_name("figures.meta.json")
    kind = spec["case"].removeprefix("meta_")
    if kind == "invalid_json":
        meta.write_text('{"file": "figures.csv", "source_url": "http://x",}', encoding="utf-8")
    elif kind == "a_list":
        meta.write_text('["figures.csv"]', encoding="utf-8")
    elif kind == "source_url_number":
        write_meta(folder, path, source_url=12345)
    elif kind == "sha256_number":
        write_meta(folder, path, sha256=12345)
    elif kind == "empty":
        meta.write_bytes(b"")
    elif kind == "gbk_bytes":
        meta.write_bytes('{"file": "figures.csv", "source": "二七区统计局"}'.encode("gbk"))
    elif kind == "directory":
        meta.mkdir()
    elif kind == "nested_source_url":
        write_meta(folder, path, source_url={"url": "http://x"})
    return Plan([clean(folder)], expect_refused(folder, spec["detail"]))


@case("bom_then_gbk_long", "bom_then_gbk_wide")
def _bom_gbk(folder: Path, spec: dict) -> Plan:
    rows = long_rows(GOOD) if "long" in spec["case"] else WIDE
    (folder / RAW / "mixed.csv").write_bytes(b"\xef\xbb\xbf" + csv_text(rows).encode("gbk"))
    return Plan([clean(folder)], expect_refused(folder, spec["detail"]))


@case("utf16_without_bom", "nul_bytes")
def _nul(folder: Path, spec: dict) -> Plan:
    text = csv_text(long_rows(GOOD))
    data = text.encode("utf-16-le") if "utf16" in spec["case"] else text.encode().replace(
        b"323.3", b"323\x00.3")  # fmt: skip
    (folder / RAW / "odd.csv").write_bytes(data)
    return Plan([clean(folder)], expect_refused(folder, spec["detail"]))


def _xlsx_bytes(rows) -> bytes:
    buffer = io.BytesIO()
    workbook([("数据", rows)]).save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = change(item.filename, source.read(item.filename))
            if content is not None:
                target.writestr(item.filename, content)
    return out.getvalue()


XLSX_CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "xlsx_truncated": lambda d: d[: len(d) // 2],
    "xlsx_bad_sheet_xml": lambda d: _rezip(
        d, lambda n, c: c[: len(c) // 2] if n.startswith("xl/worksheets/") else c),
    "xlsx_missing_sheet_part": lambda d: _rezip(
        d, lambda n, c: None if n.startswith("xl/worksheets/") else c),
    "xlsx_bad_styles": lambda d: _rezip(
        d, lambda n, c: b"<styleSheet><cellXfs count='x'>" if n == "xl/styles.xml" else c),
    "xlsx_bad_content_types": lambda d: _rezip(
        d, lambda n, c: b"<Types><Default" if n == "[Content_Types].xml" else c
    ),
    "xlsx_bad_workbook_xml": lambda d: _rezip(
        d, lambda n, c: b"<workbook><sheets><sheet name='x'/></sheets>" if n == "xl/workbook.xml"
        else c),
    "xlsx_is_html": lambda d: b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    "xlsx_encrypted": lambda d: bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504,
}  # fmt: skip


@case(*XLSX_CORRUPTIONS)
def _corrupt_xlsx(folder: Path, spec: dict) -> Plan:
    data = XLSX_CORRUPTIONS[spec["case"]](_xlsx_bytes(long_sheet(GOOD)))
    (folder / RAW / "book.xlsx").write_bytes(data)
    return Plan([clean(folder)], expect_refused(folder, spec["detail"]))


def _processed_then(folder: Path, change: Callable[[Path], None], command: list[str],
                    *, timeout: float = 60) -> Plan:  # fmt: skip
    """Clean good data, spoil the processed files, then run a command on them."""
    write_long(folder, GOOD)

    def after_step(index: int, result: Result) -> None:
        if index == 0:
            change(folder / OUT)

    steps = [clean(folder), Step(argv=command, timeout=timeout)]
    return Plan(steps, lambda results: "", after_step)


def _table_change(kind: str) -> Callable[[Path], None]:
    def change(out: Path) -> None:
        import pandas as pd

        path = out / "figures.parquet"
        if kind == "truncated":
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
        elif kind == "empty_file":
            path.write_bytes(b"")
        elif kind == "directory":
            path.unlink()
            path.mkdir()
        elif kind == "missing_column":
            pd.read_parquet(path).drop(columns=["value"]).to_parquet(path)
            (out / "manifest.json").unlink()
        elif kind == "wrong_type":
            frame = pd.read_parquet(path)
            frame.assign(value=frame["value"].astype(str)).to_parquet(path)
            (out / "manifest.json").unlink()
        elif kind == "foreign_table":
            pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_parquet(path)
            (out / "manifest.json").unlink()
        elif kind == "manifest_mismatch":
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            frame = pd.read_parquet(path)
            frame.iloc[:1].to_parquet(path)
            assert manifest["figures"] != 1
        elif kind == "manifest_garbage":
            (out / "manifest.json").write_text("{not json", encoding="utf-8")
        else:
            raise ValueError(kind)

    return change


TABLE_CASES = {
    "parquet_truncated": ("truncated", "periods"),
    "parquet_empty_file": ("empty_file", "periods"),
    "parquet_is_directory": ("directory", "periods"),
    "parquet_missing_column": ("missing_column", "periods"),
    "parquet_wrong_type": ("wrong_type", "periods"),
    "parquet_foreign_table": ("foreign_table", "periods"),
    "parquet_disagrees_with_manifest": ("manifest_mismatch", "periods"),
    "manifest_not_json": ("manifest_garbage", "periods"),
    "batch_parquet_truncated": ("truncated", "batch"),
    "batch_parquet_missing_column": ("missing_column", "batch"),
    "report_parquet_missing_column": ("missing_column", "report"),
}


@case(*TABLE_CASES)
def _table_case(folder: Path, spec: dict) -> Plan:
    kind, command = TABLE_CASES[spec["case"]]
    data = table(folder)
    argv = {
        "periods": ["periods", "--data", data],
        "batch": ["batch", "--data", data, "--dry-run", "--region", "erqi", "--lang", "zh"],
        "report": ["report", "--data", data, "--out", str(folder / "reports"), "--lang", "zh"],
    }[command]
    base = _processed_then(folder, _table_change(kind), argv, timeout=240)
    base.check = expect_refused(folder, spec["detail"], out=None)
    return base


@case("clean_out_is_file", "clean_out_parent_is_file")
def _clean_out_file(folder: Path, spec: dict) -> Plan:
    write_long(folder, GOOD)
    blocker = folder / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    out = "blocker" if spec["case"] == "clean_out_is_file" else "blocker/out"
    step = Step(argv=["clean", "--raw", str(folder / RAW), "--out", str(folder / out)])
    return Plan([step], expect_refused(folder, spec["detail"], out=None))


@case("clean_out_read_only_fresh")
def _clean_out_ro(folder: Path, spec: dict) -> Plan:
    write_long(folder, GOOD)
    (folder / "locked").mkdir()
    step = Step(argv=["clean", "--raw", str(folder / RAW), "--out", str(folder / "locked/out")],
                fault={"user": "nobody", "modes": {"locked": 0o555}})  # fmt: skip
    return Plan([step], expect_refused(folder, spec["detail"], out=None))


@case("raw_file_unreadable", "raw_folder_unreadable")
def _raw_unreadable(folder: Path, spec: dict) -> Plan:
    write_long(folder, GOOD)
    target = RAW if "folder" in spec["case"] else f"{RAW}/figures.csv"
    mode = 0o311 if "folder" in spec["case"] else 0o200
    step = clean(folder, user="nobody", modes={target: mode})
    return Plan([step], expect_refused(folder, spec["detail"], out=None))


@case("report_out_is_file", "batch_out_is_file")
def _report_out_file(folder: Path, spec: dict) -> Plan:
    write_long(folder, [*GOOD, row(indicator="retail_sales", indicator_zh="社会消费品零售总额",
                                   value="100", yoy_pct="5")])  # fmt: skip
    (folder / "blocker").write_text("not a folder", encoding="utf-8")
    out = str(folder / "blocker")
    if spec["case"].startswith("report"):
        argv = ["report", "--data", table(folder), "--out", out, "--lang", "zh"]
    else:
        argv = ["batch", "--data", table(folder), "--out", out, "--region", "erqi",
                "--period", "2019H1", "--lang", "zh", "--jobs", "1", "--no-progress"]  # fmt: skip
    steps = [clean(folder), Step(argv=argv, timeout=240)]
    return Plan(steps, expect_refused(folder, spec["detail"], out=None))


@case("extract_out_parent_is_file", "extract_out_read_only", "extract_out_is_directory",
      "extract_out_wrong_suffix")  # fmt: skip
def _extract_out(folder: Path, spec: dict) -> Plan:
    text = folder / "bulletin.txt"
    text.write_text("上半年，全区地区生产总值323.3亿元，增长8.0%。", encoding="utf-8")
    fault = {}
    if spec["case"].endswith("parent_is_file"):
        (folder / "blocker").write_text("x", encoding="utf-8")
        out = folder / "blocker" / "review.csv"
    elif spec["case"].endswith("read_only"):
        (folder / "locked").mkdir()
        out = folder / "locked" / "review.csv"
        fault = {"user": "nobody", "modes": {"locked": 0o555}}
    elif spec["case"].endswith("wrong_suffix"):
        out = folder / "review.txt"
    else:
        out = folder / "review.csv"
        out.mkdir()
    step = Step(argv=["extract", str(text), "--region", "erqi", "--period", "2019H1",
                      "--out", str(out)], fault=fault)  # fmt: skip
    return Plan([step], expect_refused(folder, spec["detail"], out=None))


def _grid_plan(folder: Path, spec: dict, grid: bytes) -> Plan:
    write_long(folder, GOOD)
    path = folder / "grid.yaml"
    path.write_bytes(grid)
    argv = ["batch", "--grid", str(path), "--data", table(folder), "--dry-run"]
    steps = [clean(folder), Step(argv=argv, timeout=60)]
    return Plan(steps, expect_refused(folder, spec["detail"], out=None))


def _alias_bomb(levels: int = 9) -> bytes:
    """A grid whose last run expands, through nested aliases, to 9**9 names."""
    lines = ["runs:", "  - &a0 [erqi, erqi, erqi, erqi, erqi, erqi, erqi, erqi, erqi]"]
    for i in range(1, levels):
        lines.append(f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


@case("grid_nested_aliases", "grid_huge_file", "grid_not_utf8", "grid_deep_nesting",
      "grid_aliases_in_regions")  # fmt: skip
def _grid(folder: Path, spec: dict) -> Plan:
    kind = spec["case"].removeprefix("grid_")
    if kind == "nested_aliases":
        data = _alias_bomb()
    elif kind == "huge_file":
        data = b"regions: [" + b", ".join([b"erqi"] * 3_000_000) + b"]\n"
    elif kind == "not_utf8":
        data = "regions: [二七区]\n".encode("gbk")
    elif kind == "deep_nesting":
        data = b"regions: " + b"[" * 50_000 + b"]" * 50_000 + b"\n"
    else:
        data = b"a: &a [erqi, erqi]\nb: &b [*a, *a]\nregions: [*b, *b]\n"
    return _grid_plan(folder, spec, data)


# --- a report's files: replaced together -----------------------------------------------------


def report_notebook(path: Path, mark: str) -> Path:
    """A tiny report notebook whose HTML, record (so the sidecar) and outputs say ``mark``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell(
        'region = "erqi"\nperiod = "2019H1"\nlang = "zh"\ndata_path = ""'
    )
    parameters.metadata["tags"] = ["parameters"]
    record = {"title": f"title {mark}", "headline": f"headline {mark}"}
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell("from IPython.display import HTML, display"),
        nbformat.v4.new_code_cell(f'HTML("<p>{mark}</p>")'),
        nbformat.v4.new_code_cell(
            f"display({{'application/vnd.halfyear.record+json': {record!r}}}, raw=True)"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, path)
    return path


def report_run(folder: Path, *, mark: str, out: str = "reports") -> dict:
    """Run the report notebook saying ``mark`` into ``folder/out`` (``reporting.run``)."""
    from analysis.report import reporting

    notebook = report_notebook(folder / f"report-{mark}.ipynb", mark)
    params = reporting.ReportParameters("erqi", "2019H1", "zh", None)
    reporting.run(params, out_dir=folder / out, notebook=notebook, timeout=60)
    return {"ok": True}


def report_marks(out: Path) -> list[str]:
    """The mark each file of the report erqi_2019H1_zh in ``out`` carries (HTML, sidecar,
    executed notebook), '' for a file missing or carrying none."""
    marks = []
    for path in (out / "erqi_2019H1_zh.html", out / "erqi_2019H1_zh.json",
                 out / "executed" / "erqi_2019H1_zh.ipynb"):  # fmt: skip
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        found = {m for m in ("mark-A", "mark-B") if m in text}
        marks.append(found.pop() if len(found) == 1 else "")
    return marks


# --- chart text from data: never parsed as mathtext -----------------------------------------


def mathtext_chart(folder: Path, *, label: str, where: str) -> dict:
    """Draw a chart with ``label`` from data and say whether it was drawn as typed."""
    import pandas as pd

    from analysis.report import plots

    if where == "title":
        table = pd.DataFrame({"region": ["erqi", "jinshui"], "label": ["二七区", "金水区"],
                              "yoy_pct": [8.0, 7.5]})  # fmt: skip
        fig = plots.growth_comparison(table, highlight="二七区", title=label, xlabel="%")
    else:
        table = pd.DataFrame({"region": ["erqi", "x"], "label": [label, "金水区"],
                              "yoy_pct": [8.0, 7.5]})  # fmt: skip
        fig = plots.growth_comparison(table, highlight=label, title="增速", xlabel="%")
    plots.to_png(fig)
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "_preprocess_math")) if t.get_text()]
    parsed = [t.get_text() for t in texts if "$" in t.get_text() and t._preprocess_math(
        t.get_text())[1]]  # fmt: skip
    if parsed:
        return {"ok": False, "why": f"drawn as mathtext: {parsed}"}
    return {"ok": True}


@case("mathtext_broken_in_title", "mathtext_valid_in_title", "mathtext_in_label",
      "mathtext_dollar_amounts")  # fmt: skip
def _mathtext(folder: Path, spec: dict) -> Plan:
    label, where = {
        "mathtext_broken_in_title": (r"$\frac{增长$ 地区生产总值", "title"),
        "mathtext_valid_in_title": (r"工业增加值 $x^2$ 增长", "title"),
        "mathtext_in_label": (r"$\alpha$区", "label"),
        "mathtext_dollar_amounts": ("US$5 and US$6 亿元", "title"),
    }[spec["case"]]
    step = Step(call="mathtext_chart", kwargs={"label": label, "where": where})
    return Plan([step], expect_ok)


# === formula injection ======================================================================

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def live_cells(path: Path) -> list[str]:
    """Cells of a CSV or XLSX that a spreadsheet would run as a formula."""
    found = []
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            for cells in ws.iter_rows():
                for cell in cells:
                    text = cell.value
                    if cell.data_type == "f":
                        found.append(f"{cell.coordinate}: formula {text!r}")
                    elif (isinstance(text, str) and text.startswith(TRIGGERS)
                          and not cell.quotePrefix):  # fmt: skip
                        found.append(f"{cell.coordinate}: {text!r}")
        return found
    text = path.read_bytes().decode("utf-8-sig")
    for line, cells in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        for cell in cells:
            if cell.startswith(TRIGGERS) and not _is_number(cell):
                found.append(f"line {line}: {cell[:40]!r}")
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def review_file(folder: Path, *, text: str, suffix: str) -> dict:
    """Extract figures from ``text`` into a review file; say what it holds."""
    from analysis.data import reading
    from analysis.extract import extract_text, write_review

    rows = extract_text(text, region="erqi", period="2019H1")
    path = write_review(rows, folder / f"review{suffix}")
    back = reading.read_long(path)
    lost = [
        f"{c}: {a!r} read back as {b!r}"
        for c in ("indicator", "indicator_zh", "note", "value")
        for a, b in zip(rows[c], back[c], strict=True)
        if str(a) != str(b)
    ]
    live = live_cells(path)
    if live or lost:
        return {"ok": False, "why": "; ".join([*live, *lost])[:400]}
    return {"ok": True}


LINK = '=HYPERLINK("http://x","y")'
INJECTION_TEXTS = {
    "review_csv_equals": (LINK + "上半年，全区地区生产总值323.3亿元，增长8.0%。", ".csv"),
    "review_csv_plus": ("+1+1上半年，全区地区生产总值323.3亿元，增长8.0%。", ".csv"),
    "review_csv_minus": ("-2+3上半年，全区新建中小学校7所。", ".csv"),
    "review_csv_at": ("@SUM(1)上半年，全区新建中小学校7所。", ".csv"),
    "review_xlsx_equals": (LINK + "上半年，全区地区生产总值323.3亿元，增长8.0%。", ".xlsx"),
    "review_xlsx_plus": ("+1+1上半年，全区新建中小学校7所。", ".xlsx"),
    "review_xlsx_minus": ("-2+3上半年，全区新建中小学校7所。", ".xlsx"),
    "review_xlsx_at": ("@SUM(1)上半年，全区新建中小学校7所。", ".xlsx"),
}  # fmt: skip


@case(*INJECTION_TEXTS)
def _review(folder: Path, spec: dict) -> Plan:
    text, suffix = INJECTION_TEXTS[spec["case"]]
    return Plan([Step(call="review_file", kwargs={"text": text, "suffix": suffix})], expect_ok)


@case("rejects_file_name_equals", "rejects_file_name_plus", "rejects_file_name_minus",
      "rejects_file_name_at", "reconciliation_file_name_equals",
      "rejects_tab_file_name")  # fmt: skip
def _rejects_injection(folder: Path, spec: dict) -> Plan:
    name = {
        "rejects_file_name_equals": "=1+2.csv",
        "rejects_file_name_plus": "+1+2.csv",
        "rejects_file_name_minus": "-1+2.csv",
        "rejects_file_name_at": "@SUM(1).csv",
        "reconciliation_file_name_equals": "=1+2.csv",
        "rejects_tab_file_name": "\t=1+2.csv",
    }[spec["case"]]
    write_long(folder, [*GOOD, row(value="x")], name=name)
    target = "reconciliation.csv" if spec["case"].startswith("reconciliation") else "rejects.csv"

    def check(results):
        why = _cleaned(results[-1], folder)
        if why:
            return why
        live = live_cells(folder / OUT / target)
        return "; ".join(live)[:300]

    return Plan([clean(folder)], check)


# === duplicates =============================================================================


def _dups(folder: Path, rows: list[dict], *, files: int = 1) -> Plan:
    for i in range(files):
        write_long(folder, rows, name=f"dups{i}.csv")

    def check(results):
        why = _cleaned(results[-1], folder)
        if why:
            return why
        figures, _, _ = outputs(folder)
        longest = max((len(t) for c in ("value_conflict", "yoy_pct_conflict")
                       for t in figures[c]), default=0)  # fmt: skip
        if longest > 2000:
            return f"a conflict note of {longest} characters"
        if len(figures) and not (figures["value_conflict"] != "").any() and rows[0] != rows[-1]:
            return "conflicting values kept without a conflict note"
        return ""

    return Plan([Step(argv=clean(folder).argv, timeout=90)], check)


@case("dups_2000_conflicting", "dups_4000_conflicting", "dups_1000_pairs", "dups_2000_exact",
      "dups_2000_two_files")  # fmt: skip
def _duplicates(folder: Path, spec: dict) -> Plan:
    kind = spec["case"].removeprefix("dups_")
    if kind in ("2000_conflicting", "4000_conflicting"):
        n = int(kind.split("_")[0])
        return _dups(folder, [row(value=f"{300 + i / 10:.1f}") for i in range(n)])
    if kind == "1000_pairs":
        regions = [
            "erqi",
            "jinshui",
            "zhongyuan",
            "guancheng",
            "huiji",
            "shangjie",
            "gongyi",
            "xingyang",
            "xinmi",
            "xinzheng",
        ]
        keys = [(r, y, s) for r in regions for y in range(1970, 2020) for s in ("H1", "FY")]
        rows = [row(region_code=r, region_zh="", period=f"{y}{s}", value=f"{300 + j}.0")
                for r, y, s in keys[:1000] for j in range(2)]  # fmt: skip
        return _dups(folder, rows)
    if kind == "2000_exact":
        return _dups(folder, [row() for _ in range(2000)])
    return _dups(folder, [row(value=f"{300 + i / 10:.1f}") for i in range(1000)], files=2)


def unused() -> list[str]:
    """Builders without a manifest row (a test keeps the two in step)."""
    names = {r["case"] for r in manifest()}
    return sorted(set(BUILDERS) - names)


__all__ = ["BUILDERS", "manifest", "os", "plan", "shutil", "unused"]
