"""Imported once by the server that forks each case's steps (so a step starts in ms)."""

import matplotlib

matplotlib.use("Agg")

import openpyxl  # noqa: F401
import pandas  # noqa: F401
import pyarrow.parquet  # noqa: F401
import yaml  # noqa: F401

import analysis.batch
import analysis.cli
import analysis.data.pipeline
import analysis.extract
import analysis.report.plots
import analysis.report.reporting
from tests.bad_inputs import build  # noqa: F401


def _warm_up() -> None:
    """Run the commands once, so that a step that gives up root rights (to test file modes)
    finds every module it needs already imported (the interpreter's own files may be out
    of an unprivileged user's reach)."""
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    from tests.bad_inputs.build import GOOD, WIDE, csv_text, long_rows, long_sheet, workbook

    with tempfile.TemporaryDirectory() as name, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):  # fmt: skip
        folder = Path(name)
        raw = folder / "raw"
        raw.mkdir()
        (raw / "a.csv").write_text(csv_text(long_rows(GOOD)), encoding="utf-8")
        (raw / "b.csv").write_bytes(csv_text(WIDE).encode("gbk"))
        workbook([("a", long_sheet(GOOD))]).save(raw / "c.xlsx")
        out = folder / "out"
        text = folder / "t.txt"
        text.write_text("上半年，全区地区生产总值323.3亿元，增长8.0%。", encoding="utf-8")
        for argv in (
            ["clean", "--raw", str(raw), "--out", str(out)],
            ["clean", "--raw", str(raw), "--out", str(out)],
            ["clean", "--raw", str(raw), "--out", str(folder / "a" / "b")],
            ["periods", "--data", str(out / "figures.parquet")],
            ["extract", str(text), "--out", str(folder / "r.csv")],
            ["extract", str(text), "--out", str(folder / "r.xlsx")],
        ):
            with contextlib.suppress(BaseException):
                analysis.cli.main(argv)


_warm_up()
