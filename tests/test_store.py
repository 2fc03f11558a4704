"""The processed folder as one set (atomic, checked on load) and spreadsheet-safe tables."""

import json
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.data import pipeline, store

from .bad_inputs import build, runner

# --- tables for people ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "=", "-"]
)
def test_formula_text_is_neutralised_and_reads_back(tmp_path, text):
    frame = pd.DataFrame({"note": [text, "二七区"], text: ["x", "y"]})
    path = store.write_csv(frame, tmp_path / "t.csv")
    assert build.live_cells(path) == []
    back = store.read_csv(path)
    assert back["note"].tolist() == [text, "二七区"] and list(back.columns) == ["note", text]
    book = store.write_xlsx(frame, tmp_path / "t.xlsx")
    assert build.live_cells(book) == []
    ws = openpyxl.load_workbook(book).active
    # XML keeps a carriage return as a line feed
    assert ws["A2"].value == text.replace("\r", "\n") and ws["A2"].data_type == "s"


@pytest.mark.parametrize("number", ["-3.5", "+8", "-1e3", "12%", "-0.5%"])
def test_plain_numbers_stay_numbers(number):
    assert store.neutralize(number) == number


def test_atomic_write_names_the_file_and_keeps_the_old_one(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("old", encoding="utf-8")

    def fail(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(store.WriteError, match=r"cannot write .*a\.csv: No space left"):
        store.atomic_write(path, fail)
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # no temporary left


# --- the processed set ----------------------------------------------------------------------


def _write(out: Path, processed) -> dict:
    return pipeline.write_outputs(processed, directory=out)


def test_a_set_is_written_as_links_into_one_generation(processed, tmp_path):
    out = tmp_path / "processed"
    written = _write(out, processed)
    assert all(written[k].is_symlink() for k in written)
    folders = {written[k].resolve().parent for k in written}
    assert len(folders) == 1 and folders.pop().parent.name == ".generations"
    manifest = json.loads(written["manifest"].read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {"figures.parquet", "rejects.csv", "reconciliation.csv"}
    assert runner.consistency_problem(out) == ""
    _write(out, processed)  # the old generation goes when the new one is current
    assert len(list((out / ".generations").iterdir())) == 1


def test_plain_files_of_the_older_layout_are_taken_over(processed, tmp_path):
    out = tmp_path / "processed"
    _write(out, processed)
    for name in store.FILES:  # as an older version wrote them: plain files
        data = (out / name).read_bytes()
        (out / name).unlink()
        (out / name).write_bytes(data)
    shutil.rmtree(out / ".generations")
    (out / "current").unlink()
    assert pipeline.load_figures(out / "figures.parquet").shape == processed.figures.shape
    _write(out, processed)
    assert all((out / n).is_symlink() for n in store.FILES)
    assert runner.consistency_problem(out) == ""


def test_a_folder_in_the_way_is_refused_in_one_line(processed, tmp_path):
    out = tmp_path / "processed"
    (out / "rejects.csv").mkdir(parents=True)
    with pytest.raises(store.WriteError, match=r"rejects\.csv is a folder"):
        _write(out, processed)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[:100]), "not a readable Parquet table"),
        (lambda p: p.write_bytes(b""), "not a readable Parquet table"),
        (lambda p: pd.read_parquet(p).drop(columns="flag").to_parquet(p), "missing column"),
        (lambda p: pd.read_parquet(p).assign(year="x").to_parquet(p), "column year is"),
        (lambda p: pd.read_parquet(p).iloc[:3].to_parquet(p), "not the table its manifest"),
    ],
)
def test_a_spoilt_table_is_refused_when_loaded(processed, tmp_path, spoil, message):
    out = tmp_path / "processed"
    table = _write(out, processed)["figures"]
    spoil(table)
    with pytest.raises(store.ProcessedDataError, match=message):
        pipeline.load_figures(table)


def test_a_table_without_a_manifest_is_checked_for_its_columns(processed, tmp_path):
    path = tmp_path / "figures.parquet"
    processed.figures.to_parquet(path, index=False)
    assert len(store.load_figures(path)) == len(processed.figures)
    processed.figures.drop(columns=["value"]).to_parquet(path, index=False)
    with pytest.raises(store.ProcessedDataError, match=r"figures\.parquet: .*missing .*value"):
        store.load_figures(path)


# --- every point of a write interrupted -----------------------------------------------------


@pytest.fixture(scope="module")
def two_states():
    """A folder holding a clean of data A, and the reference clean of data B."""
    folder = Path(tempfile.mkdtemp(prefix="hy-store-"))
    folder.chmod(0o755)
    plan = build._fault_plan(folder, {"count": True})
    results = []
    for index, step in enumerate(plan.steps):
        results.append(runner.run_step(step, folder, index))
        plan.after_step(index, results[-1])
    assert plan.check(results) == ""
    writes = results[2].writes
    assert writes > 10
    # back to the previous state: clean A again into the output
    again = runner.run_step(plan.steps[1], folder, 9)
    assert again.rc == 0 and runner.state(folder / build.OUT) == plan.memo["before"]
    yield folder, plan, writes
    shutil.rmtree(folder, ignore_errors=True)


def _interrupted(two_states, fault: dict) -> str:
    folder, plan, _ = two_states
    case = folder / f"case-{'-'.join(map(str, fault.values()))}"
    shutil.copytree(folder / build.OUT, case / build.OUT, symlinks=True)
    step = plan.steps[2]
    argv = [*step.argv[:-1], str(case / build.OUT)]
    result = runner.run_step(runner.Step(argv=argv, fault=fault), case, 0)
    now = runner.state(case / build.OUT)
    if now not in (plan.memo["before"], plan.memo["new"]):
        return f"neither state: {runner.consistency_problem(case / build.OUT)}"
    if not result.killed and result.rc not in (0, 2):
        return f"exit {result.rc}: {result.traceback or result.stderr}"
    if result.rc == 2 and len(result.lines) != 1:
        return f"not one line: {result.stderr!r}"
    after = runner.run_step(runner.Step(argv=["periods", "--data",
                                              str(case / build.OUT / "figures.parquet")]),
                            case, 1)  # fmt: skip
    if after.rc != 0:
        return f"the next command failed: {after.stderr}"
    shutil.rmtree(case)
    return ""


def test_a_kill_at_any_write_leaves_one_whole_state(two_states):
    _, _, writes = two_states
    found = {k: _interrupted(two_states, {"kill_at": k}) for k in range(1, writes + 1)}
    assert {k: why for k, why in found.items() if why} == {}


def test_a_full_disk_at_any_write_leaves_one_whole_state(two_states):
    _, _, writes = two_states
    found = {k: _interrupted(two_states, {"fail_at": k}) for k in range(1, writes + 1, 3)}
    assert {k: why for k, why in found.items() if why} == {}


# --- a report's files: replaced together ----------------------------------------------------


@pytest.fixture(scope="module")
def two_reports():
    """A folder whose reports/ holds report A; the number of writes a run of report B makes."""
    folder = Path(tempfile.mkdtemp(prefix="hy-report-"))
    folder.chmod(0o755)
    first = runner.run_step(runner.Step(call="report_run", kwargs={"mark": "mark-A"}), folder, 0)
    assert first.rc == 0 and build.report_marks(folder / "reports") == ["mark-A"] * 3
    counted = runner.run_step(
        runner.Step(call="report_run", kwargs={"mark": "mark-B", "out": "b"},
                    fault={"count": True}),
        folder, 1,
    )  # fmt: skip
    assert counted.rc == 0 and build.report_marks(folder / "b") == ["mark-B"] * 3
    assert counted.writes > 10
    yield folder, counted.writes
    shutil.rmtree(folder, ignore_errors=True)


def _report_interrupted(two_reports, fault: dict) -> str:
    folder, _ = two_reports
    case = "case-" + "-".join(f"{k}{v}" for k, v in fault.items())
    shutil.copytree(folder / "reports", folder / case)
    step = runner.Step(call="report_run", kwargs={"mark": "mark-B", "out": case}, fault=fault)
    result = runner.run_step(step, folder, 2)
    # the next command that uses the folder (here: halfyear index) finds the report whole
    index = runner.run_step(runner.Step(argv=["index", str(folder / case)]), folder, 4)
    marks = build.report_marks(folder / case)
    if index.rc != 0 or marks not in (["mark-A"] * 3, ["mark-B"] * 3):
        return f"the report's files disagree: {marks} ({index.stderr.strip()})"
    said = (result.traceback.strip().splitlines() or [""])[-1]
    if not result.killed and result.rc != 0 and "ExportError: WriteError: cannot" not in said:
        return f"exit {result.rc}: {result.traceback or result.stderr}"
    left = sorted(p.name for p in (folder / case).iterdir() if p.name.startswith(".staging"))
    if left:
        return f"left behind: {left}"
    shutil.rmtree(folder / case)
    return ""


def test_a_report_killed_while_written_keeps_its_previous_files_whole(two_reports):
    _, writes = two_reports
    # two writes while the notebook runs, then each write of the export and the renames
    points = sorted({5, writes // 2, *range(writes - 9, writes + 1)})
    found = {k: _report_interrupted(two_reports, {"kill_at": k}) for k in points}
    assert {k: why for k, why in found.items() if why} == {}


def test_a_full_disk_while_a_report_is_written_keeps_its_previous_files_whole(two_reports):
    _, writes = two_reports
    points = range(writes - 8, writes + 1, 2)
    found = {k: _report_interrupted(two_reports, {"fail_at": k}) for k in points}
    assert {k: why for k, why in found.items() if why} == {}
