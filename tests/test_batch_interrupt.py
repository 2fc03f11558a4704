"""A local batch stopped by SIGINT or SIGTERM: its workers and their kernels end with it,
its temporary and staging folders are removed, and it exits with the signal's status."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from analysis.batch import worker

ROOT = Path(__file__).resolve().parents[1]
#: Seconds allowed for a kernel to start, and for the batch to stop (a shared machine).
PATIENCE = 240


def _kernels(process: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in process.children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["term", "int"]
)
def test_an_interrupted_batch_stops_its_workers_and_kernels(
    processed_path, tmp_path, signum, status
):
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "analysis.batch", "--region", "erqi", "--region", "china",
               "--period", "2019H1", "--data", str(processed_path), "--out", str(out),
               "--jobs", "2", "--force", "--no-progress"]  # fmt: skip
    batch = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a signal meant for it reaches nothing else
    )
    me = psutil.Process(batch.pid)
    descendants: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + PATIENCE
        runs = worker.temp_root(f"local-{batch.pid}")
        while not (_kernels(me) and list(runs.glob("hy-*_2019H1_*"))):  # a run under way
            assert batch.poll() is None, batch.communicate()
            assert time.monotonic() < deadline, "no run started"
            time.sleep(0.2)
        descendants = me.children(recursive=True)
        assert any("ipykernel" in " ".join(p.cmdline()) for p in descendants)
        batch.send_signal(signum)
        _, stderr = batch.communicate(timeout=PATIENCE)
        _gone, alive = psutil.wait_procs(descendants, timeout=30)
        assert alive == [], [(p.pid, p.cmdline()) for p in alive]
        assert batch.returncode == status, stderr
        lines = [line for line in stderr.splitlines() if line.startswith("interrupted: ")]
        assert len(lines) == 1, stderr
        assert lines[0].endswith("of 4 reports written; run again to finish")
        assert "Traceback" not in stderr
        assert not list(out.glob(".staging-*"))
        assert not runs.exists()
        for html in out.glob("*.html"):  # reports written before the signal are whole
            assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
        for process in descendants:  # what this test started, if the batch left it
            if process.is_running():
                process.kill()
