"""Batch runs of the report notebook.

The batch tests run a few reports only (a real one, and a tiny notebook that fails in the
ways a run can fail).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import batch, cli, config
from analysis.data import pipeline
from analysis.report import reporting

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def figures(processed_path) -> pd.DataFrame:
    return pipeline.load_figures(processed_path)


# --- the grid -----------------------------------------------------------------------------


def test_default_grid_is_every_region_and_period_with_enough_data_in_both_languages(figures):
    grid = batch.build_grid(figures)
    table = batch.reportable(figures)
    assert grid.invalid == ()
    assert len(grid.runs) == 2 * len(table) > 50
    names = [reporting.report_name(p) for p in grid.runs]
    assert names == sorted(set(names))
    assert "erqi_2019H1_zh" in names and "erqi_2019H1_en" in names
    # a region-period with figures of fewer indicators is left out
    counts = figures[~figures["is_target"]].groupby(["region", "period"])["indicator"].nunique()
    thin = counts[counts < batch.DEFAULT_MIN_FIGURES].index[0]
    assert f"{thin[0]}_{thin[1]}_zh" not in names


def test_grid_lists_each_invalid_combination_with_what_is_valid(figures):
    grid = batch.build_grid(
        figures,
        regions=["二七区", "erqi", "火星区"],
        periods=["2019年上半年", "2018H1"],
        langs=["zh"],
    )
    assert [reporting.report_name(p) for p in grid.runs] == ["erqi_2019H1_zh"]  # asked twice
    assert len(grid.invalid) == 4
    assert any(
        line.startswith("二七区 2018H1 zh: no figures for erqi in 2018H1; periods with data")
        for line in grid.invalid
    )
    unknown = [line for line in grid.invalid if "unknown region '火星区'; regions with" in line]
    assert unknown and all("china" in line and "330782" in line for line in unknown)
    bad = batch.build_grid(figures, regions=["erqi"], periods=["2019H1"], langs=["fr"])
    assert bad.runs == () and "unknown language 'fr'; available: zh, en" in bad.invalid[0]


def test_grid_sides_left_out_come_from_the_data(figures):
    erqi = batch.build_grid(figures, regions=["erqi"], langs=["en"])
    assert {p.period for p in erqi.runs} == set(
        batch.reportable(figures).query("region == 'erqi'")["period"]
    )
    h1 = batch.build_grid(figures, periods=["2019H1"], min_figures=1, langs=["zh"])
    assert {p.region for p in h1.runs} >= {"erqi", "china", "henan"}
    explicit = batch.build_grid(
        figures, runs=[{"region": "erqi", "period": "2019H1", "lang": "en"}]
    )
    assert [reporting.report_name(p) for p in explicit.runs] == ["erqi_2019H1_en"]
    nothing = batch.build_grid(figures, regions=["dengfeng"])
    assert nothing.runs == () and "no period with figures of 3 indicators" in nothing.invalid[0]


def test_grid_file(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("regions: [erqi, china]\nperiods: 2019H1\nmin_figures: 2\n", encoding="utf-8")
    assert batch.read_grid_file(path) == {
        "regions": ["erqi", "china"],
        "periods": ["2019H1"],
        "min_figures": 2,
    }
    path.write_text("region: erqi\n", encoding="utf-8")
    with pytest.raises(batch.GridError, match=r"unknown keys \['region'\]; allowed: regions"):
        batch.read_grid_file(path)
    path.write_text("runs: {region: erqi}\n", encoding="utf-8")
    with pytest.raises(batch.GridError, match="runs must be a list"):
        batch.read_grid_file(path)


@given(items=st.lists(st.integers(), unique=True), n=st.integers(1, 6), data=st.data())
def test_shards_are_disjoint_cover_the_grid_and_are_deterministic(items, n, data):
    shards = [batch.take_shard(items, (k, n)) for k in range(1, n + 1)]
    assert sorted(x for s in shards for x in s) == sorted(items)
    assert sum(len(s) for s in shards) == len(items)
    k = data.draw(st.integers(1, n))
    assert batch.parse_shard(f"{k}/{n}") == (k, n)
    assert batch.take_shard(items, (k, n)) == shards[k - 1]


@pytest.mark.parametrize("text", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_bad_shard_says_what_is_allowed(text):
    with pytest.raises(batch.GridError, match="write K/N with 1 <= K <= N"):
        batch.parse_shard(text)


def _args(*argv: str):
    import argparse

    parser = argparse.ArgumentParser(prog="halfyear")
    batch.add_cli(parser.add_subparsers(dest="command"))
    return parser.parse_args(["batch", *argv])


def test_invalid_grid_stops_before_any_kernel_with_the_list(processed_path, tmp_path, capsys):
    status = cli.main(
        [
            "batch",
            "--region",
            "erqi",
            "--period",
            "2018H1",
            "--period",
            "2019H1",
            "--lang",
            "zh",
            "--data",
            str(processed_path),
            "--out",
            str(tmp_path),
            "--force",
        ]
    )
    assert status == 2  # the grid is checked before any kernel starts: nothing ran
    err = capsys.readouterr().err
    assert "1 invalid combination(s), nothing was run (--keep-going runs the 1 valid ones)" in err
    assert "erqi 2018H1 zh: no figures for erqi in 2018H1; periods with data for erqi:" in err
    assert not list(tmp_path.glob("*.html"))


def test_cache_key_follows_every_input(figures):
    params = batch.build_grid(figures, regions=["erqi"], periods=["2019H1"], langs=["zh"]).runs[0]
    base = batch.input_fingerprint()
    assert set(base) == {"notebook", "library", "data", "environment", "git", "protocol"}
    keys = {batch.run_key(base, params)}
    for part in base:
        keys.add(batch.run_key({**base, part: base[part] + "x"}, params))
    other = reporting.ReportParameters("erqi", "2019H1", "en", None)
    keys.add(batch.run_key(base, other))
    assert len(keys) == len(base) + 2
    assert batch.input_fingerprint() == base  # nothing changed: the same key
    assert base["git"] == config.git_version()  # what the report prints


# --- running a grid -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_batch(figures, processed_path, tmp_path_factory):
    """Three reports of the real notebook, two at a time."""
    out = tmp_path_factory.mktemp("batch")
    grid = batch.build_grid(
        figures, regions=["erqi", "china"], periods=["2019H1"], data_path=processed_path
    )
    runs = [p for p in grid.runs if reporting.report_name(p) != "china_2019H1_zh"]
    lines: list[str] = []
    result = batch.run_batch(runs, out_dir=out, jobs=2, progress=False, log=lines.append)
    return runs, out, result, lines


def test_batch_writes_every_report_sidecar_notebook_and_index(small_batch):
    runs, out, result, lines = small_batch
    names = [reporting.report_name(p) for p in runs]
    assert [o.status for o in result.outcomes] == ["ok"] * 3, result.summary()
    assert result.exit_code == 0
    for name in names:
        assert (out / f"{name}.html").stat().st_size > 100_000
        sidecar = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert sidecar["html"] == f"{name}.html"
        assert (out / "executed" / f"{name}.ipynb").exists()
        assert json.loads((out / ".cache" / f"{name}.json").read_text())["key"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}.html"' in index for name in names)
    assert len(lines) == 3 and all(" ok " in line and line.endswith(" s") for line in lines)
    assert "3 reports: 3 ok, 0 failed, 0 skipped" in result.summary()
    assert not list(out.rglob("*.tmp"))


def test_warm_kernel_gives_the_bytes_of_a_fresh_papermill_run(small_batch, tmp_path):
    runs, out, _, _ = small_batch
    params = next(p for p in runs if reporting.report_name(p) == "erqi_2019H1_en")
    html = reporting.run_report(params, out_dir=tmp_path)
    assert (out / html.name).read_bytes() == html.read_bytes()
    assert (out / "erqi_2019H1_en.json").read_bytes() == (
        tmp_path / "erqi_2019H1_en.json"
    ).read_bytes()
    executed = nbformat.read(out / "executed" / "erqi_2019H1_en.ipynb", as_version=4)
    counts = [c.execution_count for c in executed.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))  # as in a fresh kernel


def test_rerun_with_nothing_changed_skips_everything(small_batch):
    # how fast: `make bench` times it (a wall clock in a test fails on a loaded machine)
    runs, out, _, _ = small_batch
    again = batch.run_batch(runs, out_dir=out, progress=False, log=lambda line: None)
    assert [o.status for o in again.outcomes] == ["skipped"] * 3
    assert again.exit_code == 0 and (out / "index.html").exists()


def test_force_reruns_and_gives_identical_bytes(small_batch):
    runs, out, _, _ = small_batch
    one = [p for p in runs if reporting.report_name(p) == "china_2019H1_en"]
    before = (out / "china_2019H1_en.html").read_bytes()
    again = batch.run_batch(one, out_dir=out, jobs=1, force=True, progress=False, log=print)
    assert [o.status for o in again.outcomes] == ["ok"]
    assert (out / "china_2019H1_en.html").read_bytes() == before


def test_up_to_date_checks_the_key_and_the_report_bytes(small_batch):
    _, out, _, _ = small_batch
    name = "erqi_2019H1_zh"
    key = json.loads((out / ".cache" / f"{name}.json").read_text())["key"]
    html = out / f"{name}.html"
    assert batch.cache.up_to_date(out, name, key)
    assert not batch.cache.up_to_date(out, name, "another key")
    os.utime(html)  # touched, same bytes: still up to date
    assert batch.cache.up_to_date(out, name, key)
    kept = html.read_bytes()
    try:
        html.write_bytes(kept + b"<!-- edited -->")
        assert not batch.cache.up_to_date(out, name, key)
    finally:
        html.write_bytes(kept)


def test_reports_from_other_data_are_not_replaced(small_batch, processed_path, tmp_path):
    runs, out, _, _ = small_batch
    copy = tmp_path / "figures.parquet"
    copy.write_bytes(processed_path.read_bytes())
    other = [reporting.ReportParameters(p.region, p.period, p.lang, copy) for p in runs]
    with pytest.raises(batch.GridError, match="holds reports made from other data"):
        batch.run_batch(other, out_dir=out, progress=False)


def test_no_change_rerun_from_the_command_line_loads_no_kernel_machinery(
    small_batch, processed_path
):
    _, out, _, _ = small_batch
    code = (
        "import sys\nfrom analysis.batch.cli import _main\n"
        f"rc = _main(['--region', 'erqi', '--region', 'china', '--period', '2019H1', "
        f"'--lang', 'en', '--data', {str(processed_path)!r}, '--out', {str(out)!r}, "
        "'--no-progress'])\n"
        "heavy = [m for m in ('papermill', 'nbconvert', 'matplotlib', 'jupyter_client') "
        "if m in sys.modules]\n"
        "print('heavy:', heavy)\nsys.exit(rc)\n"
    )
    for light in ("papermill', 'nbconvert', 'matplotlib', 'jupyter_client", "pandas"):
        # the first command remembers the grid; from then on not even the table is read
        run = code.replace("papermill', 'nbconvert', 'matplotlib', 'jupyter_client", light)
        done = subprocess.run(
            [sys.executable, "-c", run], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "heavy: []" in done.stdout
        assert "2 skipped (up to date)" in done.stdout


def test_a_remembered_grid_holds_until_the_data_or_the_options_change(small_batch, tmp_path):
    runs, _, _, _ = small_batch
    table = tmp_path / "figures.parquet"
    table.write_bytes(b"a table")
    grid = batch.Grid(tuple(runs[:2]), ("x 2031H1 zh: no such period",))
    key = batch.cache.grid_key({"regions": ["erqi"]}, data_path=table)
    batch.cache.remember_grid(tmp_path, key, grid)
    assert batch.cache.cached_grid(tmp_path, key) == grid
    assert batch.cache.grid_key({"regions": ["erqi"]}, data_path=table) == key
    other = batch.cache.grid_key({"regions": ["china"]}, data_path=table)
    assert other[0] != key[0] and batch.cache.cached_grid(tmp_path, other) is None
    table.write_bytes(b"another table")
    changed = batch.cache.grid_key({"regions": ["erqi"]}, data_path=table)
    assert changed[0] == key[0] and changed[1] != key[1]
    assert batch.cache.cached_grid(tmp_path, changed) is None


def test_the_index_is_rewritten_only_when_its_reports_change(small_batch):
    runs, out, _, _ = small_batch
    index = out / "index.html"
    batch.run_batch(runs, out_dir=out, progress=False, log=lambda line: None)
    written = index.stat().st_mtime_ns
    batch.run_batch(runs, out_dir=out, progress=False, log=lambda line: None)
    assert index.stat().st_mtime_ns == written
    sidecar = out / "china_2019H1_en.json"
    kept = sidecar.read_bytes()
    try:
        sidecar.unlink()  # a report gone: the index is rewritten without it
        batch.run_batch(runs[:0], out_dir=out, progress=False, log=lambda line: None)
        assert "china_2019H1_en.html" not in index.read_text(encoding="utf-8")
    finally:
        sidecar.write_bytes(kept)
    batch.run_batch(runs, out_dir=out, progress=False, log=lambda line: None)
    assert "china_2019H1_en.html" in index.read_text(encoding="utf-8")


# --- failures -----------------------------------------------------------------------------


def _failing_notebook(path: Path) -> Path:
    """A small notebook that fails differently by parameters (and runs fast)."""
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell(
        'region = "erqi"\nperiod = "2019H1"\nlang = "zh"\ndata_path = ""'
    )
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell("import os\nimport time\n\nfrom IPython.display import HTML"),
        nbformat.v4.new_code_cell('HTML(f"<p>{region} {period} {lang}</p>")'),
        nbformat.v4.new_code_cell(
            'if (region, lang) == ("erqi", "en"):\n    raise ValueError("no data for " + region)\n'
            'if (region, lang) == ("china", "zh"):\n    os._exit(3)\n'
            'if (region, lang) == ("china", "en"):\n    time.sleep(60)'
        ),
        nbformat.v4.new_code_cell('HTML("<p>end</p>")'),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def failing_batch(figures, processed_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("failing")
    notebook = _failing_notebook(folder / "failing.ipynb")
    out = folder / "out"
    grid = batch.build_grid(
        figures, regions=["erqi", "china"], periods=["2019H1"], data_path=processed_path
    )
    # a report from earlier inputs, for a run that now fails: it must leave the index
    out.mkdir()
    (out / "erqi_2019H1_en.html").write_text("<html>old</html>", encoding="utf-8")
    (out / "erqi_2019H1_en.json").write_text(
        json.dumps(
            {
                "region": "erqi",
                "period": "2019H1",
                "lang": "en",
                "html": "erqi_2019H1_en.html",
                "title": "old",
            }
        ),
        encoding="utf-8",
    )
    result = batch.run_batch(
        grid.runs,
        out_dir=out,
        jobs=2,
        timeout=3,
        notebook=notebook,
        progress=False,
        log=lambda line: None,
    )
    return grid.runs, notebook, out, result


def test_each_failure_is_isolated_and_reported_with_its_cell(failing_batch):
    _, _, _, result = failing_batch
    got = {o.name: o for o in result.outcomes}
    assert got["erqi_2019H1_zh"].status == "ok"
    assert got["erqi_2019H1_en"].error == "ValueError: no data for erqi"
    assert got["china_2019H1_zh"].error.startswith("DeadKernelError: the kernel died (exit")
    assert got["china_2019H1_en"].error == (
        "CellTimeoutError: a cell ran longer than 3 s (--timeout)"
    )
    assert {got[n].cell for n in got if n != "erqi_2019H1_zh"} == {5}
    assert result.exit_code == 1
    summary = result.summary()
    assert "4 reports: 1 ok, 3 failed" in summary
    assert "erqi_2019H1_en: cell 5: ValueError: no data for erqi (executed notebook: " in summary


def test_failed_runs_keep_their_notebook_with_the_banner_and_no_html(failing_batch):
    _, _, out, _ = failing_batch
    for name in ("erqi_2019H1_en", "china_2019H1_zh", "china_2019H1_en"):
        assert not (out / f"{name}.html").exists()
        executed = nbformat.read(out / "executed" / f"{name}.ipynb", as_version=4)
        assert "An Exception was encountered at" in executed.cells[0].source
        assert any("papermill-error-cell" in c.source for c in executed.cells[1:])
    # an error raised in a cell is remembered; a timeout or a dead kernel is retried
    record = json.loads((out / ".cache" / "erqi_2019H1_en.json").read_text())
    assert record["failed"] == {"cell": 5, "error": "ValueError: no data for erqi"}
    assert not (out / ".cache" / "china_2019H1_zh.json").exists()
    assert not (out / ".cache" / "china_2019H1_en.json").exists()
    assert (out / "erqi_2019H1_zh.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "erqi_2019H1_zh.html" in index and "erqi_2019H1_en.html" not in index
    assert not list(out.rglob("*.tmp"))


def test_a_run_that_raised_is_not_redone_until_its_inputs_change(failing_batch):
    runs, notebook, out, _ = failing_batch
    again = [p for p in runs if reporting.report_name(p) in ("erqi_2019H1_zh", "erqi_2019H1_en")]
    result = batch.run_batch(
        again, out_dir=out, notebook=notebook, progress=False, log=lambda line: None
    )
    got = {o.name: o for o in result.outcomes}
    assert got["erqi_2019H1_zh"].status == "skipped"
    assert got["erqi_2019H1_en"].status == "failed" and got["erqi_2019H1_en"].cell == 5
    assert "the same inputs failed before (--force runs it again)" in got["erqi_2019H1_en"].error
    assert result.exit_code == 1


def test_keep_going_runs_the_valid_part_and_fails_the_exit_status(
    small_batch, processed_path, capsys
):
    _, out, _, _ = small_batch
    args = _args(
        "--region",
        "erqi",
        "--period",
        "2019H1",
        "--period",
        "2018H1",
        "--lang",
        "zh",
        "--data",
        str(processed_path),
        "--out",
        str(out),
        "--keep-going",
        "--no-progress",
    )
    assert batch.main(args) == 1  # erqi 2019H1 zh runs (or is up to date); 2018H1 is invalid
    text = capsys.readouterr().out
    assert "1 reports: " in text and " 0 failed" in text  # up to date, or redone if edited
    assert "not run, invalid (1):\n  erqi 2018H1 zh: no figures for erqi in 2018H1" in text


def test_dask_cluster_runs_the_grid_and_gathers_the_outputs(failing_batch, tmp_path):
    from dask.distributed import LocalCluster

    runs, notebook, out, _ = failing_batch
    ok = [p for p in runs if reporting.report_name(p) in ("erqi_2019H1_zh", "erqi_2019H1_en")]
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = batch.run_batch(
            ok,
            out_dir=tmp_path,
            scheduler=cluster.scheduler_address,
            notebook=notebook,
            progress=False,
            log=lambda line: None,
        )
    got = {o.name: o for o in result.outcomes}
    assert got["erqi_2019H1_zh"].status == "ok" and got["erqi_2019H1_en"].status == "failed"
    assert (tmp_path / "erqi_2019H1_zh.html").read_bytes() == (
        out / "erqi_2019H1_zh.html"
    ).read_bytes()
    assert (tmp_path / "executed" / "erqi_2019H1_en.ipynb").exists()
    assert "erqi_2019H1_zh.html" in (tmp_path / "index.html").read_text(encoding="utf-8")
