"""Batches on a shared Dask cluster, shards, the index of a folder, and one-line failures of
the commands that run notebooks.

The cluster tests run a tiny notebook that only sleeps (by region), so that what is tested
is the scheduling: two batches sharing one LocalCluster, a worker killed in the middle of
a run, a worker whose project differs from the client's.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from analysis import batch
from analysis.data import pipeline
from analysis.report import reporting

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def figures(processed_path):
    return pipeline.load_figures(processed_path)


def sleepy_notebook(
    path: Path, seconds: dict[str, float], *, fail: str = "", gate: Path | None = None
) -> Path:
    """A notebook that sleeps a few seconds (by region) and shows its parameters.

    With ``gate``, a run first writes its region and its worker's process id (the kernel's
    parent) to ``gate.with_suffix('.log')``, then waits until the file ``gate`` exists.
    """
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell(
        'region = "erqi"\nperiod = "2019H1"\nlang = "zh"\ndata_path = ""'
    )
    parameters.metadata["tags"] = ["parameters"]
    waits = ""
    if gate is not None:
        waits = (
            f"with open({str(gate.with_suffix('.log'))!r}, 'a') as log:\n"
            "    print(region, lang, os.getppid(), file=log)\n"
            f"while not os.path.exists({str(gate)!r}):\n"
            "    time.sleep(0.1)\n"
        )
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell("import os\nimport time\n\nfrom IPython.display import HTML"),
        nbformat.v4.new_code_cell(f"{waits}time.sleep({seconds!r}.get(region, 0.5))"),
        nbformat.v4.new_code_cell(
            f"if region == {fail!r}:\n    raise ValueError('no figures for ' + region)"
        ),
        nbformat.v4.new_code_cell('HTML(f"<p>{region} {period} {lang}</p>")'),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, path)
    return path


@pytest.fixture
def private_tmp(monkeypatch):
    """A temporary folder of its own for this test and the workers it starts (short: the
    kernels' sockets live there)."""
    folder = Path(tempfile.mkdtemp(prefix="hyt-", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def runs(figures, processed_path, regions):
    grid = batch.build_grid(figures, regions=regions, periods=["2019H1"], data_path=processed_path)
    assert not grid.invalid
    return list(grid.runs)


def local_cluster(n: int):
    from dask.distributed import LocalCluster

    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                        dashboard_address=None)  # fmt: skip


# --- two batches, one cluster ---------------------------------------------------------------


def test_two_batches_on_one_cluster_leave_each_other_alone(
    figures, processed_path, tmp_path, private_tmp
):
    quick = sleepy_notebook(tmp_path / "quick.ipynb", {})
    slow = sleepy_notebook(tmp_path / "slow.ipynb", {"china": 8.0, "henan": 8.0})
    results = {}

    def run(name, notebook, regions):
        results[name] = batch.run_batch(
            runs(figures, processed_path, regions),
            out_dir=tmp_path / name,
            scheduler=address,
            notebook=notebook,
            progress=False,
            log=lambda line: None,
            timeout=120,
        )

    # three workers, four slow runs: the quick batch ends while the last slow run is going
    with local_cluster(3) as cluster:
        address = cluster.scheduler_address
        slow_batch = threading.Thread(target=run, args=("slow", slow, ["china", "henan"]))
        slow_batch.start()
        time.sleep(2)
        run("quick", quick, ["erqi"])
        slow_batch.join(300)
    for name in ("quick", "slow"):
        outcomes = results[name].outcomes
        assert [o.status for o in outcomes] == ["ok"] * len(outcomes), outcomes
    assert len(results["slow"].outcomes) == 4 and len(results["quick"].outcomes) == 2
    assert sorted(private_tmp.glob("hy-batch-*")) == []  # no temporary folder left


def test_a_worker_killed_mid_run_loses_no_run_and_leaves_no_folder(
    figures, processed_path, tmp_path, private_tmp
):
    from dask.distributed import Client

    notebook = sleepy_notebook(tmp_path / "slow.ipynb", {"erqi": 5.0, "china": 5.0})
    result = {}
    with local_cluster(2) as cluster, Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)
        work = threading.Thread(
            target=lambda: result.update(
                done=batch.run_batch(
                    runs(figures, processed_path, ["erqi", "china"]),
                    out_dir=tmp_path / "out",
                    scheduler=cluster.scheduler_address,
                    notebook=notebook,
                    progress=False,
                    log=lambda line: None,
                    timeout=120,
                )
            )
        )
        work.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(private_tmp.rglob("hy-*_2019H1_*")):
            time.sleep(0.2)  # until a run has its folder
        time.sleep(2)  # inside the run's sleep
        busy = next(address for address, keys in client.processing().items() if keys)
        os.kill(pids[busy], signal.SIGKILL)
        work.join(300)
    outcomes = result["done"].outcomes
    assert [o.status for o in outcomes] == ["ok"] * 4, outcomes
    assert sorted(private_tmp.glob("hy-batch-*")) == []
    assert not list(private_tmp.glob("hy-*"))


def test_a_worker_with_another_project_is_left_out_with_one_line(
    figures, processed_path, tmp_path, private_tmp
):
    from dask.distributed import Client

    notebook = sleepy_notebook(tmp_path / "quick.ipynb", {})
    other = tmp_path / "other-project"
    other.mkdir()
    lines = []
    with local_cluster(1) as cluster, Client(cluster.scheduler_address) as client:
        stranger = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
             "--nthreads", "1", "--no-nanny", "--no-dashboard"],
            env={**os.environ, "HALFYEAR_ROOT": str(other)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            client.wait_for_workers(2, timeout=120)
            result = batch.run_batch(
                runs(figures, processed_path, ["erqi", "china"]),
                out_dir=tmp_path / "out",
                scheduler=cluster.scheduler_address,
                notebook=notebook,
                progress=False,
                log=lines.append,
                timeout=120,
            )
        finally:
            stranger.terminate()
            stranger.wait(60)
    assert [o.status for o in result.outcomes] == ["ok"] * 4
    excluded = [line for line in lines if "excluded" in line]
    assert len(excluded) == 1, lines
    assert "git state" in excluded[0] and "differ from the client's" in excluded[0]


def test_workers_that_join_during_a_batch_take_their_share_or_are_left_out(
    figures, processed_path, tmp_path, private_tmp
):
    from dask.distributed import Client

    gate = tmp_path / "gate"
    notebook = sleepy_notebook(tmp_path / "gated.ipynb", {}, gate=gate)
    other = tmp_path / "other-project"
    other.mkdir()
    lines, result = [], {}

    def dask_worker(**env):
        return subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
             "--nthreads", "1", "--no-nanny", "--no-dashboard"],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    with local_cluster(1) as cluster, Client(cluster.scheduler_address) as client:
        work = threading.Thread(
            target=lambda: result.update(
                done=batch.run_batch(
                    runs(figures, processed_path, ["erqi", "china", "henan"]),
                    out_dir=tmp_path / "out",
                    scheduler=cluster.scheduler_address,
                    notebook=notebook,
                    progress=False,
                    log=lines.append,
                    timeout=300,
                )
            )
        )
        work.start()
        joined = stranger = None
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and not gate.with_suffix(".log").exists():
                time.sleep(0.2)  # the first worker holds a run at the gate; the rest queue
            joined = dask_worker()  # the same project: takes queued runs
            client.wait_for_workers(2, timeout=120)
            stranger = dask_worker(HALFYEAR_ROOT=str(other))  # another project: refuses them
            client.wait_for_workers(3, timeout=120)
            while time.monotonic() < deadline and not any("excluded" in x for x in lines):
                time.sleep(0.2)
            gate.touch()
            work.join(300)
        finally:
            gate.touch()
            for process in (joined, stranger):
                if process is not None:
                    process.terminate()
                    process.wait(60)
    outcomes = result["done"].outcomes
    assert [o.status for o in outcomes] == ["ok"] * 6, outcomes
    ran = [line.split() for line in gate.with_suffix(".log").read_text().splitlines()]
    assert joined.pid in {int(pid) for *_, pid in ran}, ran  # the late worker had work
    assert stranger.pid not in {int(pid) for *_, pid in ran}, ran
    excluded = [line for line in lines if "excluded" in line]
    assert len(excluded) == 1 and "git state" in excluded[0], lines
    assert sorted(private_tmp.glob("hy-batch-*")) == []


def test_an_unreachable_scheduler_is_one_line_and_exit_2(processed_path, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "batch", "--scheduler", "tcp://127.0.0.1:9",
         "--data", str(processed_path), "--region", "erqi", "--period", "2019H1",
         "--lang", "zh", "--out", str(tmp_path), "--no-progress"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert (
        len(lines) == 1 and "--scheduler tcp://127.0.0.1:9: no Dask scheduler answers" in lines[0]
    )


# --- shards and the index -------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 4])
def test_shards_share_out_every_language_and_region(figures, n):
    grid = batch.build_grid(figures).runs
    shards = [batch.take_shard(grid, (k, n)) for k in range(1, n + 1)]
    names = [reporting.report_name(p) for shard in shards for p in shard]
    assert sorted(names) == sorted(reporting.report_name(p) for p in grid)
    for key in ("lang", "region"):
        totals = Counter(getattr(p, key) for p in grid)
        for shard in shards:
            mine = Counter(getattr(p, key) for p in shard)
            for value, count in totals.items():
                assert abs(mine[value] - count / n) <= 1, (key, value, mine[value], count)


def test_index_of_a_folder_lists_the_reports_of_every_shard(tmp_path):
    for name, title in (("erqi_2019H1_zh", "二七区"), ("china_2019H1_en", "China")):
        region, period, lang = name.split("_")
        (tmp_path / f"{name}.html").write_text("<html></html>", encoding="utf-8")
        (tmp_path / f"{name}.json").write_text(
            f'{{"region": "{region}", "period": "{period}", "lang": "{lang}", '
            f'"html": "{name}.html", "title": "{title}", "headline": ""}}',
            encoding="utf-8",
        )
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "index", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "(2 reports)" in done.stdout
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "erqi_2019H1_zh.html" in index and "china_2019H1_en.html" in index


def test_index_of_a_missing_folder_is_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "index", str(tmp_path / "nowhere")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


# --- a failing notebook in halfyear report --------------------------------------------------


def test_a_failing_cell_in_halfyear_report_is_one_line_naming_the_executed_notebook(
    processed_path, tmp_path
):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    sleepy_notebook(root / "notebooks" / "halfyear_report.ipynb", {"erqi": 0}, fail="erqi")
    out = tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--data", str(processed_path),
         "--out", str(out), "--lang", "zh"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "HALFYEAR_ROOT": str(root)},
    )  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    executed = out / "executed" / "erqi_2019H1_zh.ipynb"
    assert f"{executed}: cell " in lines[0] and "ValueError: no figures for erqi" in lines[0]
    assert executed.exists()
