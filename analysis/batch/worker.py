"""One run of a batch, in a worker process: ``reporting.run`` and the outcome's files.

A worker keeps one warm kernel (the papermill engine of ``analysis.report.kernels``) unless
the batch asks for fresh kernels. A run that fails (an error raised in a cell, a dead
kernel, a cell over the timeout) never raises here: its outcome says ``failed`` with the
cell and the error, and keeps the executed notebook with papermill's error banner.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

from analysis.batch.cache import input_fingerprint, params_record


def start(notebook: str, fresh: bool) -> None:
    """Process-pool initializer: start the kernel and the imports while others work."""
    from multiprocessing import util

    from analysis.report import kernels

    util.Finalize(None, kernels.drop_kernels, exitpriority=10)  # workers skip atexit
    if not fresh:
        kernels.warm_kernel(Path(notebook))
    # this process's imports while the kernel starts, its first export while it runs
    threading.Thread(target=_warm_worker, name="halfyear-warm", daemon=True).start()


def _warm_worker() -> None:
    """Do once what every run's export and sidecar need (imports, templates, the font)."""
    import shutil
    from multiprocessing import util

    import nbformat
    import papermill  # noqa: F401

    from analysis.report import kernels, reporting

    # the kernel's own start is the longest step of a first run: leave it the cores
    kernels.RUNNING.wait(timeout=60)
    folder = Path(tempfile.mkdtemp(prefix="hy-warm-"))
    # removed at exit even if the process ends while this thread is still at work
    util.Finalize(
        None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=5
    )
    empty = folder / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), empty)
    # nbconvert's templates, fontTools and the CJK font: loaded on first use
    reporting.export_html(empty, folder / "empty.html", title="二七区", lang="zh")
    shutil.rmtree(folder, ignore_errors=True)


def noop() -> None:
    """A task that makes a worker process start."""


def drop_kernels() -> None:
    """Shut this process's warm kernels down (the end of a batch on a cluster)."""
    from analysis.report import kernels

    kernels.drop_kernels()


def _banner(executed: Path, *, ename: str, evalue: str):
    """Mark the cell that was running as failed and write papermill's error banner."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    nb = nbformat.read(executed, as_version=4)
    started = [
        c
        for c in nb.cells
        if c.cell_type == "code" and c.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    cell = started[-1] if started else next(c for c in nb.cells if c.cell_type == "code")
    cell.setdefault("outputs", []).append(
        nbformat.v4.new_output(
            "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
        )
    )
    cell.metadata.setdefault("papermill", {}).update(exception=True, status="failed")
    try:
        raise_for_execution_errors(nb, str(executed))
    except PapermillExecutionError as err:
        return err
    return None


def _failure(err, executed: Path) -> dict:
    """Cell (its number among the code cells, as ``In [n]``) and error, for the summary."""
    import nbformat

    cell = None
    with contextlib.suppress(Exception):
        code = [c for c in nbformat.read(executed, as_version=4).cells if c.cell_type == "code"]
        failed = [
            i
            for i, c in enumerate(code, 1)
            if c.get("metadata", {}).get("papermill", {}).get("exception")
        ]
        cell = failed[0] if failed else None
    return {"cell": cell, "error": f"{err.ename}: {err.evalue}".strip().rstrip(":")}


def execute(task: dict) -> dict:
    """Run one report in this worker; return its outcome and the bytes of its files.

    ``task`` has ``params`` (a parameter record), ``notebook``, ``timeout``, ``fresh``
    (a fresh kernel instead of the warm one) and ``fingerprint`` (the client's inputs, on
    a cluster, or None). Never raises for a failing run.
    """
    from papermill.exceptions import PapermillExecutionError

    from analysis.report import kernels, reporting

    started = time.perf_counter()
    record = task["params"]
    params = reporting.ReportParameters(
        record["region"],
        record["period"],
        record["lang"],
        Path(record["data_path"]) if record["data_path"] else None,
    )
    name = reporting.report_name(params)
    notebook = Path(task["notebook"])
    outcome = {
        "params": params_record(params),
        "name": name,
        "status": "failed",
        "cell": None,
        "error": "",
        "files": {},
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    if task.get("fingerprint"):
        mine = input_fingerprint(notebook=notebook, data_path=params.data_path)
        differ = sorted(k for k in mine if mine[k] != task["fingerprint"].get(k))
        if differ:
            outcome["error"] = (
                f"worker {outcome['worker']} has other inputs than the client "
                f"({', '.join(differ)} differ): refusing to run"
            )
            outcome["seconds"] = time.perf_counter() - started
            return outcome
    engine = None if task["fresh"] else kernels.register_engine()
    stage = Path(tempfile.mkdtemp(prefix=f"hy-{name}-"))
    executed = stage / "executed" / f"{name}.ipynb"
    result = None
    try:
        result = reporting.run(
            params, out_dir=stage, notebook=notebook, engine=engine, timeout=task["timeout"]
        )
        outcome.update(status="ok")
        for path in (result.html, result.sidecar):
            outcome["files"][path.name] = path.read_bytes()
    except PapermillExecutionError as err:
        # an interrupted run (Ctrl-C) may pass next time: only errors are remembered
        outcome.update(_failure(err, executed), raised=err.ename != "KeyboardInterrupt")
    except reporting.ExportError as err:  # the notebook ran; its files could not be written
        first = str(err).strip().splitlines()[0]
        outcome["error"] = f"{first} (while writing the HTML and its sidecar)"
    except Exception as err:  # a dead kernel, a timeout: this run only
        outcome.update(_other_failure(err, executed, task, engine))
    finally:
        if outcome["status"] != "ok" and engine:
            kernels.drop_kernel()  # whatever state it is in, the next run gets a new kernel
        if executed.exists():
            outcome["files"][f"executed/{name}.ipynb"] = executed.read_bytes()
        for path in sorted(stage.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        stage.rmdir()
    outcome["seconds"] = time.perf_counter() - started
    return outcome


def _other_failure(err: Exception, executed: Path, task: dict, engine) -> dict:
    """The cell and error of a run that ended other than by an error raised in a cell."""
    from analysis.report import kernels

    kind = type(err).__name__
    text = str(err).strip().splitlines()[0] if str(err).strip() else kind
    if "Timeout" in kind:
        text = f"a cell ran longer than {task['timeout']:g} s (--timeout)"
    elif "DeadKernel" in kind:
        kernel = kernels.current_kernel() if engine else None
        text = "the kernel died" + (kernel.death() if kernel is not None else "")
    if executed.exists():
        banner = _banner(executed, ename=kind, evalue=text)
        return _failure(banner, executed) if banner else {"error": f"{kind}: {text}"}
    return {"error": f"{kind}: {text}"}
