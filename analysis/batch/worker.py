"""One run of a batch, in a worker process: ``reporting.run`` and the outcome's files.

A worker keeps one warm kernel (the papermill engine of ``analysis.report.kernels``) unless
the batch asks for fresh kernels. A run that fails (an error raised in a cell, a dead
kernel, a cell over the timeout) never raises here: its outcome says ``failed`` with the
cell and the error, and keeps the executed notebook with papermill's error banner.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

from analysis.batch.cache import input_fingerprint, params_record


def temp_root(batch: str) -> Path:
    """The folder of one batch's temporary files on this machine: each run's stage and the
    warm kernels' connection files. Removed at the end of the batch (:func:`cleanup`), even
    when a worker died in the middle.

    Examples
    --------
    >>> temp_root("local-12").name
    'hy-batch-local-12'
    """
    return Path(tempfile.gettempdir()) / f"hy-batch-{batch}"


#: A temporary folder of a batch untouched this long is left over by a client that died.
STALE_SECONDS = 24 * 3600


def cleanup(batch: str) -> list[str]:
    """Remove a batch's temporary folder on this machine, and folders of batches untouched
    for :data:`STALE_SECONDS` (their client died); the folders removed."""
    import shutil

    removed = []
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob("hy-batch-*"):
        try:
            stale = now - folder.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if folder == temp_root(batch) or stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return removed


#: The temporary folder of this process's batch (local worker processes).
_ROOT: list[Path] = []


def start(notebook: str, fresh: bool, batch: str = "") -> None:
    """Process-pool initializer: start the kernel and the imports while others work."""
    from multiprocessing import util

    from analysis.report import kernels

    util.Finalize(None, kernels.drop_kernels, exitpriority=10)  # workers skip atexit
    # the batch's own process stops its workers (SIGTERM) when it is interrupted: a worker
    # ignores Ctrl-C at the terminal and, told to end, stops its kernels before it exits
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    if batch:
        _ROOT[:] = [temp_root(batch)]
    _without_iri_grammar()
    if not fresh:
        with kernels.owned_by("", folder=_ROOT[0] if _ROOT else None):
            kernels.warm_kernel(Path(notebook))
    # this process's imports while the kernel starts, its first export while it runs
    threading.Thread(target=_warm_worker, name="halfyear-warm", daemon=True).start()


def _without_iri_grammar() -> None:
    """Leave jsonschema's optional IRI format check out of this worker process.

    papermill imports nbformat, which imports jsonschema, which imports ``rfc3987_syntax``
    when it is installed (JupyterLab's environment brings it, for jupyter-events): that
    builds a Lark grammar on import, 1 to 2 s of a worker's start. Nothing a worker runs
    checks the ``iri`` format (nbformat validates notebooks without a format checker), so
    the worker imports jsonschema without it, as where it is not installed.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def _terminated(signum, frame) -> None:
    """A local worker told to end: its kernels stopped, then the process, at once."""
    from analysis.report import kernels

    kernels.kill_kernels()
    os._exit(128 + signum)


def _warm_worker() -> None:
    """Do once what every run's export and sidecar need (imports, templates, the font)."""
    import shutil
    from multiprocessing import util

    import nbformat
    import papermill  # noqa: F401

    from analysis.report import kernels, reporting

    # the kernel's own start is the longest step of a first run: leave it the cores
    kernels.RUNNING.wait(timeout=60)
    if _ROOT:
        _ROOT[0].mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="hy-warm-", dir=_ROOT[0] if _ROOT else None))
    # removed at exit even if the process ends while this thread is still at work
    util.Finalize(
        None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=5
    )
    empty = folder / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), empty)
    # nbconvert's templates, fontTools and the CJK font: loaded on first use
    reporting.export_html(empty, folder / "empty.html", title="二七区", lang="zh")
    shutil.rmtree(folder, ignore_errors=True)
    reporting.prepare_font()  # the first run's, while its notebook runs


def noop() -> None:
    """A task that makes a worker process start."""


def drop_kernels(batch: str | None = None) -> None:
    """Shut down the warm kernels this process keeps for ``batch`` (all with None): the end
    of a batch on a cluster leaves other batches' kernels alone."""
    from analysis.report import kernels

    kernels.drop_kernels(batch)


def address() -> str:
    """This worker: its Dask address on a cluster, else host:process (a local worker
    does not import Dask to find out)."""
    if "distributed" in sys.modules:
        try:
            from dask.distributed import get_worker

            return get_worker().address
        except (ImportError, ValueError):
            pass
    return f"{socket.gethostname()}:{os.getpid()}"


_FINGERPRINTS: dict[tuple, dict] = {}


def fingerprint(notebook: str, data_path: str | None, batch: str = "") -> dict:
    """This worker's fingerprint of a batch's inputs (computed once per batch), or
    ``{"error": why}`` when it cannot have one (no project at that path)."""
    key = (batch, notebook, data_path)
    if key not in _FINGERPRINTS or not batch:
        try:
            if not Path(notebook).is_file():
                raise FileNotFoundError(f"no notebook {notebook} on this machine")
            if data_path and not Path(data_path).is_file():
                raise FileNotFoundError(f"no table {data_path} on this machine")
            found = input_fingerprint(
                notebook=Path(notebook), data_path=Path(data_path) if data_path else None
            )
        except Exception as err:
            found = {"error": f"{type(err).__name__}: {err}".splitlines()[0]}
        _FINGERPRINTS[key] = found
    return _FINGERPRINTS[key]


def differs(theirs: dict, mine: dict) -> str:
    """Why a worker's fingerprint is not the client's, in a few words ('' when it is).

    Examples
    --------
    >>> print(differs({"library": "a", "data": "b"}, {"library": "a", "data": "c"}))
    its data differ from the client's
    >>> differs({"library": "a"}, {"error": "no notebook /x.ipynb on this machine"})
    'no notebook /x.ipynb on this machine'
    """
    if "error" in theirs:
        return theirs["error"]
    if "error" in mine:
        return mine["error"]
    keys = sorted(k for k in mine if mine[k] != theirs.get(k))
    if not keys:
        return ""
    names = {"git": "git state", "data": "data", "library": "library (code, reference tables)",
             "notebook": "notebook", "environment": "environment (lock file, Python)"}  # fmt: skip
    return f"its {', '.join(names.get(k, k) for k in keys)} differ from the client's"


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
        "worker": address(),
    }
    batch = task.get("batch", "")
    if task.get("fingerprint"):
        # a worker whose code or data are not the client's runs nothing: the client sends
        # the run to another worker and says why this one is left out
        mine = fingerprint(str(notebook), record["data_path"] or None, batch)
        why = differs(task["fingerprint"], mine)
        if why:
            outcome.update(status="refused", error=why, seconds=time.perf_counter() - started)
            return outcome
    engine = None if task["fresh"] else kernels.register_engine()
    root = temp_root(batch) if batch else (_ROOT[0] if _ROOT else None)
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"hy-{name}-", dir=root))
    executed = stage / "executed" / f"{name}.ipynb"
    owner = batch if task.get("fingerprint") else ""  # on a shared cluster, per batch
    result = None
    if kernels.RUNNING.is_set():  # (a worker's first run: its warm thread does it)
        reporting.prepare_font()  # for this run's HTML, parsed while its notebook runs
    try:
        with kernels.owned_by(owner, folder=root):
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
        with kernels.owned_by(owner, folder=root):
            outcome.update(_other_failure(err, executed, task, engine))
    finally:
        if outcome["status"] != "ok" and engine:
            with kernels.owned_by(owner, folder=root):
                kernels.drop_kernel()  # whatever state it is in, the next run gets a new one
        if executed.exists():
            outcome["files"][f"executed/{name}.ipynb"] = executed.read_bytes()
        shutil.rmtree(stage, ignore_errors=True)
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
