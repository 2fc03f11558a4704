"""The scheduler of a batch: runs in parallel (local processes or a Dask cluster), skipping
what is up to date, each run's files written by this process, then the index.

Each worker runs ``analysis.batch.worker.execute`` (``reporting.run`` in the worker's warm
kernel); only this process writes to the output folder, each file through a temporary file
renamed over it, so no half-written report is ever left.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.batch import worker
from analysis.batch.cache import (
    CACHE_DIR,
    cache_file,
    cached,
    index_key,
    index_up_to_date,
    input_fingerprint,
    known_failure,
    params_record,
    remember_index,
    run_key,
    up_to_date,
)
from analysis.batch.grid import GridError
from analysis.config import paths

#: Seconds a notebook cell may run before its run fails (papermill's execution timeout).
DEFAULT_TIMEOUT = 600


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What became of one run.

    Attributes
    ----------
    name : str
        The report's name (``<region>_<period>_<lang>``).
    status : {'ok', 'failed', 'skipped'}
        ``skipped`` when its report was up to date.
    seconds : float
        Wall time of the run (0 when skipped).
    cell : int or None
        Execution count of the failing cell.
    error : str
        ``<error type>: <message>`` of a failure.
    """

    name: str
    status: str
    seconds: float = 0.0
    cell: int | None = None
    error: str = ""


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """The outcomes of a batch, the invalid combinations left out, and the index written."""

    outcomes: tuple[Outcome, ...]
    invalid: tuple[str, ...]
    index: Path
    out_dir: Path
    seconds: float

    def count(self, status: str) -> int:
        """How many runs ended with ``status``."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 when every run is ok or up to date and nothing was invalid, else 1."""
        return 1 if self.count("failed") or self.invalid else 0

    def summary(self) -> str:
        """The closing lines: counts, then each failure with its cell and error.

        Examples
        --------
        >>> r = BatchResult((Outcome("a", "ok", 2.0), Outcome("b", "failed", 1.0, 4, "E: x")),
        ...                 (), Path("reports/index.html"), Path("reports"), 3.0)
        >>> print(r.summary())
        batch: 2 reports: 1 ok, 1 failed, 0 skipped (up to date) in 3.0 s; index reports/index.html
        failed:
          b: cell 4: E: x (executed notebook: reports/executed/b.ipynb)
        """
        head = (
            f"batch: {len(self.outcomes)} reports: {self.count('ok')} ok, "
            f"{self.count('failed')} failed, {self.count('skipped')} skipped (up to date) "
            f"in {_duration(self.seconds)}; index {self.index}"
        )
        lines = [head]
        if self.invalid:
            lines.append(f"not run, invalid ({len(self.invalid)}):")
            lines += [f"  {line}" for line in self.invalid]
        failed = [o for o in self.outcomes if o.status == "failed"]
        if failed:
            lines.append("failed:")
            for o in failed:
                where = f"cell {o.cell}: " if o.cell is not None else ""
                notebook = self.out_dir / "executed" / f"{o.name}.ipynb"
                lines.append(f"  {o.name}: {where}{o.error} (executed notebook: {notebook})")
        return "\n".join(lines)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {seconds % 60:02.0f} s"


def _log_line(outcome: Outcome, done: int, total: int, *, width: int = 0) -> str:
    """One run's line: ``[ 3/94] ok      erqi_2019H1_zh    2.6 s``.

    Examples
    --------
    >>> _log_line(Outcome("erqi_2019H1_zh", "failed", 1.5, 3, "ValueError: x"), 3, 94)
    '[ 3/94] failed  erqi_2019H1_zh    1.5 s  cell 3: ValueError: x'
    """
    tail = "up to date" if outcome.status == "skipped" else f"{outcome.seconds:5.1f} s"
    if outcome.status == "failed":
        where = f"cell {outcome.cell}: " if outcome.cell is not None else ""
        tail += f"  {where}{outcome.error}"
    count = f"[{done:>{len(str(total))}}/{total}]"
    return f"{count} {outcome.status:<7} {outcome.name:<{width}}  {tail}"


class _Progress:
    """One log line per run, and a progress bar over the runs that execute (on a terminal).

    The bar shows how many ran, failed and were skipped, and the time left at the rate of
    the runs so far.
    """

    def __init__(self, total: int, *, width: int, log: Callable[[str], None]):
        self.total, self.done, self.failed, self.skipped = total, 0, 0, 0
        self.width = width
        self.log = log
        self.bar = None

    def start(self, runs: int, *, show: bool) -> None:
        """Show the bar for ``runs`` runs to execute."""
        if show and runs:
            from tqdm import tqdm

            self.bar = tqdm(total=runs, unit="report", dynamic_ncols=True, disable=None,
                            file=sys.stderr, smoothing=0.2)  # fmt: skip
            if self.bar.disable:
                self.bar = None
            else:
                self.bar.set_postfix(failed=self.failed, skipped=self.skipped)

    def add(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.status == "failed"
        self.skipped += outcome.status == "skipped"
        line = _log_line(outcome, self.done, self.total, width=self.width)
        if self.bar is None:
            self.log(line)
            return
        self.bar.write(line, file=sys.stdout)
        self.bar.set_postfix(failed=self.failed, skipped=self.skipped, refresh=False)
        self.bar.update(1)

    def note(self, line: str) -> None:
        """A line that is not a run's (a worker left out), above the bar if there is one."""
        if self.bar is None:
            self.log(line)
        else:
            self.bar.write(line, file=sys.stdout)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Interrupted(BaseException):
    """A batch stopped by SIGINT (Ctrl-C) or SIGTERM; raised by :func:`interruptible`.

    Its exit status is the shell's for that signal: 130 (SIGINT), 143 (SIGTERM).

    Examples
    --------
    >>> stop = Interrupted(signal.SIGTERM, written=1, total=4)
    >>> stop.exit_code, stop.line()
    (143, 'interrupted: 1 of 4 reports written; run again to finish')
    """

    def __init__(self, signum: int, *, written: int = 0, total: int = 0):
        super().__init__(signum)
        self.signum, self.written, self.total = int(signum), written, total

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def line(self) -> str:
        if not self.total:  # before the runs were known
            return "interrupted: no report written; run again to finish"
        return f"interrupted: {self.written} of {self.total} reports written; run again to finish"


#: Signals that stop a batch; the one pending while a report's files are written.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_CRITICAL = {"depth": 0, "pending": None}


def _stop(signum, frame) -> None:
    if _CRITICAL["depth"]:
        _CRITICAL["pending"] = signum  # raised when the files being written are in place
        return
    for sig in _STOP_SIGNALS:  # the stop itself is not interrupted again
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible():
    """In the block (main thread), SIGINT and SIGTERM raise :class:`Interrupted`, except
    while a report's files are put in place (:func:`_uninterrupted`): then after it."""
    before = {sig: signal.getsignal(sig) for sig in _STOP_SIGNALS}
    for sig in _STOP_SIGNALS:
        signal.signal(sig, _stop)
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _uninterrupted():
    _CRITICAL["depth"] += 1
    try:
        yield
    finally:
        _CRITICAL["depth"] -= 1
        pending, _CRITICAL["pending"] = _CRITICAL["pending"], None
    if pending is not None and not _CRITICAL["depth"]:
        _stop(pending, None)


def _stop_workers(executor, grace: float = 20.0) -> None:
    """End a pool's worker processes now: each stops its kernels on SIGTERM
    (``worker.start``); one still there after ``grace`` seconds is killed."""
    processes = [p for p in (getattr(executor, "_processes", None) or {}).values()]
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(5)
    executor.shutdown(wait=False, cancel_futures=True)


#: Local workers started ahead (``_pool_ahead``), waiting for a batch of these options.
_AHEAD: dict = {}


@contextlib.contextmanager
def _pool_ahead(jobs: int, *, notebook: Path, fresh: bool):
    """Start the local workers (and their kernels) now, for the batch run in the block.

    Used when a batch is sure to run something, so that the kernels start while the grid
    is read and checked. Shut down at the end of the block if the batch did not take them.
    """
    executor, _ = _executor(jobs, scheduler=None, notebook=notebook, fresh=fresh)
    for _ in range(jobs):
        executor.submit(worker.noop)
    _AHEAD[(jobs, str(notebook), fresh)] = executor
    try:
        yield
    except BaseException:
        _stop_workers(executor)
        raise
    finally:
        _AHEAD.pop((jobs, str(notebook), fresh), None)
        executor.shutdown(wait=True, cancel_futures=True)


#: Seconds to wait for a Dask scheduler before giving up (an address that does not answer).
CONNECT_TIMEOUT = 5


def connect(scheduler: str):
    """A Dask client of the scheduler at ``scheduler``.

    Raises
    ------
    GridError
        In one line, within :data:`CONNECT_TIMEOUT` seconds, when no scheduler answers there.
    """
    import logging

    from dask.distributed import Client

    # distributed logs each failed attempt; the one line below says what happened
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        return Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        why = " ".join(str(err).split())[:160] or type(err).__name__
        raise GridError(
            f"--scheduler {scheduler}: no Dask scheduler answers there within "
            f"{CONNECT_TIMEOUT} s ({why}); start one (dask scheduler) or leave the option out "
            "to run on this machine"
        ) from None
    finally:
        quiet.setLevel(level)


def _local_batch() -> str:
    """The name of this process's local batches (their temporary folder)."""
    return f"local-{os.getpid()}"


def _executor(jobs: int, *, scheduler: str | None, notebook: Path, fresh: bool):
    """A concurrent.futures executor of local worker processes (``scheduler`` None), or the
    client of a Dask cluster (the executor then None: tasks go to the scheduler)."""
    ahead = None if scheduler else _AHEAD.pop((jobs, str(notebook), fresh), None)
    if ahead is not None:
        return ahead, None
    if scheduler:
        return None, connect(scheduler)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=worker.start,
        initargs=(str(notebook), fresh, _local_batch()),
    )
    return executor, None


def _cluster_batch() -> str:
    """A name for one batch on a cluster, unique among the batches sharing it."""
    import secrets

    return f"{os.getpid()}-{secrets.token_hex(4)}"


def default_jobs() -> int:
    """The number of cores this process may use.

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_batch(
    runs,
    *,
    out_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    scheduler: str | None = None,
    fresh_kernels: bool = False,
    notebook: Path | None = None,
    invalid: Iterable[str] = (),
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> BatchResult:
    """Run the report notebook for every parameter set, skipping those up to date.

    Parameters
    ----------
    runs : iterable of reporting.ReportParameters
        Checked parameter sets (``build_grid``), one per report name.
    out_dir : Path, optional
        Output folder (default ``reports/``).
    jobs : int, optional
        Runs at a time on local worker processes (default the number of cores); with
        ``scheduler``, the cluster's scheduler decides.
    force : bool, default False
        Run even the reports that are up to date.
    timeout : float or None, default DEFAULT_TIMEOUT
        Seconds a cell may run (papermill's ``execution_timeout``); None for no limit.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to run on instead of local
        processes; the workers need the project (code, data) at the same paths (a worker
        whose fingerprint differs is left out, with a line to ``log``).
    fresh_kernels : bool, default False
        A new kernel for every run instead of one warm kernel per worker.
    notebook : Path, optional
        The notebook to run (default ``notebooks/halfyear_report.ipynb``).
    invalid : iterable of str
        Invalid combinations left out of ``runs``, for the summary (``Grid.invalid``).
    progress : bool, default True
        Show a progress bar on a terminal.
    log : callable
        Where the log lines go (one per run).

    Returns
    -------
    BatchResult
        ``exit_code`` is 0 when every run is ok or up to date.

    Raises
    ------
    GridError
        For options out of range, two runs with one name, or reports in ``out_dir`` made
        from another data file (unless ``force``).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = run_batch([], out_dir=Path(folder), progress=False)
    ...     print(result.summary().split(";")[0], result.exit_code, result.index.name)
    batch: 0 reports: 0 ok, 0 failed, 0 skipped (up to date) in ... s 0 index.html
    """
    from analysis.report.params import report_name

    started = time.perf_counter()
    out_dir = Path(out_dir) if out_dir else paths().reports
    notebook = Path(notebook).resolve() if notebook else paths().report_notebook
    jobs = jobs if jobs is not None else (None if scheduler else default_jobs())
    if jobs is not None and jobs < 1:
        raise GridError(f"--jobs must be at least 1, not {jobs}")
    if timeout is not None and timeout <= 0:
        raise GridError(f"--timeout must be a positive number of seconds, not {timeout}")
    runs = list(runs)
    names = [report_name(p) for p in runs]
    if len(set(names)) != len(names):
        raise GridError("two runs have the same report name; build the grid with build_grid")
    fingerprints: dict[str, dict] = {}
    keys = {}
    for params, name in zip(runs, names, strict=True):
        data = str(params.data_path or "")
        if data not in fingerprints:
            fingerprints[data] = input_fingerprint(notebook=notebook, data_path=params.data_path)
        keys[name] = run_key(fingerprints[data], params)
    from analysis.data.store import recover

    recover(out_dir)  # reports whose renames a kill interrupted are made whole first
    if not force:
        _check_no_clash(out_dir, runs, names)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for params, name in zip(runs, names, strict=True):
        known = None if force else known_failure(out_dir, name, keys[name])
        if known:
            again = "; the same inputs failed before (--force runs it again)"
            outcomes[name] = Outcome(name, "failed", 0.0, known.get("cell"),
                                     known.get("error", "") + again)  # fmt: skip
        elif force or not up_to_date(out_dir, name, keys[name]):
            todo.append((params, name))
        else:
            outcomes[name] = Outcome(name, "skipped")
    width = max((len(n) for n in names), default=0)
    bar = _Progress(len(runs), width=width, log=log)
    for name in names:
        if name in outcomes:
            bar.add(outcomes[name])
    bar.start(len(todo), show=progress)
    try:
        if todo:
            batch = _cluster_batch() if scheduler else _local_batch()
            tasks = [
                {
                    "params": params_record(p),
                    "notebook": str(notebook),
                    "timeout": timeout,
                    "fresh": fresh_kernels,
                    "fingerprint": fingerprints[str(p.data_path or "")] if scheduler else None,
                    "batch": batch,
                }
                for p, _ in todo
            ]
            results = _run_tasks(
                tasks,
                jobs=jobs,
                scheduler=scheduler,
                notebook=notebook,
                fresh=fresh_kernels,
                log=bar.note,
            )
            try:
                for result in results:
                    with _uninterrupted():
                        outcome = _settle(result, out_dir=out_dir, key=keys[result["name"]])
                        outcomes[outcome.name] = outcome
                    bar.add(outcome)
            finally:
                results.close()  # interrupted here: its workers are stopped now
    except Interrupted as stop:
        stop.written = sum(outcomes[n].status == "ok" for _, n in todo if n in outcomes)
        stop.total = len(todo)
        raise
    finally:
        bar.close()
    with _locked(out_dir / CACHE_DIR / "index.lock"):  # batches sharing a folder
        index, key = out_dir / "index.html", index_key(out_dir)
        if not index_up_to_date(out_dir, key):  # (a batch with nothing to do stays light)
            from analysis.report import reporting

            index = reporting.write_index(out_dir)
            remember_index(out_dir, key)
    ordered = tuple(outcomes[n] for n in names if n in outcomes)
    return BatchResult(ordered, tuple(invalid), index, out_dir, time.perf_counter() - started)


def _run_tasks(tasks: list[dict], *, jobs, scheduler, notebook: Path, fresh: bool, log=print):
    """Run tasks, yielding each result as it comes (in any order)."""
    if scheduler:
        yield from _run_on_cluster(tasks, scheduler=scheduler, log=log)
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    executor, _ = _executor(jobs or 1, scheduler=None, notebook=notebook, fresh=fresh)
    pending = list(reversed(tasks))
    running: dict = {}
    finished = False
    try:
        while pending or running:
            while pending and len(running) < jobs:
                task = pending.pop()
                running[executor.submit(worker.execute, task)] = task
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    yield _lost(task, "its worker process died")
                except Exception as err:  # a pickling error
                    yield _lost(task, f"{type(err).__name__}: {err}")
            if broken:  # every run in that pool is lost: report them, start a new pool
                for task in running.values():
                    yield _lost(task, "its worker process died")
                running.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor, _ = _executor(jobs, scheduler=None, notebook=notebook, fresh=fresh)
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True, cancel_futures=True)
        else:  # interrupted: the runs under way are not waited for
            _stop_workers(executor)
        worker.cleanup(_local_batch())  # what a worker that died left behind


def _check_workers(
    client, task: dict, log, *, known: frozenset[str] = frozenset()
) -> tuple[set[str], set[str]]:
    """The workers whose code and data are the client's, and the others (one line each);
    workers in ``known`` (checked before) are not asked again."""
    workers = None
    if known:
        workers = sorted(set(client.scheduler_info().get("workers", {})) - known)
        if not workers:
            return set(), set()
    found = client.run(worker.fingerprint, task["notebook"], task["params"]["data_path"] or None,
                       task["batch"], workers=workers)  # fmt: skip
    good, bad = set(), set()
    for address, theirs in sorted(found.items()):
        why = worker.differs(task["fingerprint"], theirs)
        if why:
            log(f"worker {address}: excluded: {why}")
            bad.add(address)
        else:
            good.add(address)
    return good, bad


def _run_on_cluster(tasks: list[dict], *, scheduler: str, log):
    """Run tasks on a Dask cluster: all submitted at once (the scheduler queues them, and
    workers that join later take their share), results as they complete.

    Each worker's code and data are checked before it gets work; a worker that differs is
    left out with one line saying why (a run it was given anyway goes to a checked worker).
    At the end only this batch's kernels are shut down and its temporary folders removed,
    on every worker, even where a worker died.
    """
    from dask.distributed import as_completed

    client = connect(scheduler)
    batch = tasks[0]["batch"]
    futures: dict = {}
    try:
        good, excluded = _check_workers(client, tasks[0], log)
        if not good:
            raise GridError(
                f"no worker of the Dask cluster at {scheduler} has this project's code and data "
                "(each said why above); start workers where the project is, at the same path"
            )
        for task in tasks:
            name = f"{task['params']['region']}_{task['params']['period']}_{task['params']['lang']}"
            futures[client.submit(worker.execute, task, key=f"halfyear-{batch}-{name}",
                                  pure=False)] = task  # fmt: skip
        queue = as_completed(list(futures), loop=client.loop)
        for future in queue:
            task = futures.pop(future)
            try:
                result = future.result()
            except Exception as err:  # a run lost with its worker (after Dask's retries)
                yield _lost(task, " ".join(f"{type(err).__name__}: {err}".split())[:200])
                continue
            if result["status"] != "refused":
                good.add(result.get("worker", ""))
                yield result
                continue
            if result["worker"] not in excluded:
                excluded.add(result["worker"])
                log(f"worker {result['worker']}: excluded: {result['error']}")
            # workers that joined since the start are checked too, and may take the run
            with contextlib.suppress(Exception):
                joined, odd = _check_workers(client, task, log, known=frozenset(good | excluded))
                good |= joined
                excluded |= odd
            checked = sorted(good - excluded)
            if not checked:
                yield _lost(task, "no worker left with this project's code and data")
                continue
            again = client.submit(worker.execute, task, workers=checked,
                                  allow_other_workers=False, pure=False)  # fmt: skip
            futures[again] = task
            queue.add(again)
    finally:
        for future in futures:
            future.cancel()
        with contextlib.suppress(Exception):
            client.run(worker.drop_kernels, batch)  # this batch's kernels, no other's
        with contextlib.suppress(Exception):
            client.run(worker.cleanup, batch)
        worker.cleanup(batch)
        client.close()


def _lost(task: dict, why: str) -> dict:
    p = task["params"]
    return {
        "name": f"{p['region']}_{p['period']}_{p['lang']}",
        "status": "failed",
        "cell": None,
        "error": f"run lost: {why}",
        "files": {},
        "seconds": 0.0,
    }


def _check_no_clash(out_dir: Path, runs, names) -> None:
    """Refuse to replace a report made from another data file (same name, other data)."""
    clashes = []
    for params, name in zip(runs, names, strict=True):
        before = cached(out_dir, name).get("params", {}).get("data_path")
        if before is not None and before != str(params.data_path or ""):
            clashes.append(f"{name} (made from {before or 'the project data'})")
    if clashes:
        raise GridError(
            f"{out_dir} holds reports made from other data: {', '.join(clashes[:5])}"
            f"{' ...' if len(clashes) > 5 else ''}; write these to another --out, or --force "
            "to replace them"
        )


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on ``path`` for the block (where the OS has ``fcntl``)."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _settle(result: dict, *, out_dir: Path, key: str) -> Outcome:
    """Write a run's files into the output folder (together, atomically), then record its
    key: a run stopped before its record is run again."""
    from analysis.data.store import WriteError, atomic_write, replace_together, stage_folder

    def put(path: Path, data: bytes) -> None:
        atomic_write(path, lambda tmp: tmp.write_bytes(data))

    name = result["name"]
    with stage_folder(out_dir) as stage:
        moves = []
        for index, (relative, data) in enumerate(sorted(result["files"].items())):
            written = stage / str(index)
            try:
                written.write_bytes(data)
            except OSError as err:
                raise WriteError(f"cannot write {out_dir / relative}: {err.strerror}") from None
            moves.append((written, out_dir / relative))
        replace_together(moves)
    record_file = cache_file(out_dir, name)
    if result["status"] == "ok":
        html = out_dir / f"{name}.html"
        stat = html.stat()
        record = {
            "key": key,
            "params": result.get("params", {}),
            "sha256": hashlib.sha256(result["files"][html.name]).hexdigest(),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }
        put(record_file, (json.dumps(record, indent=1) + "\n").encode())
    else:
        before = cached(out_dir, name)
        if before.get("key") != key:
            # the report on disk is from other inputs: stale, so it leaves the index
            for path in (out_dir / f"{name}.html", out_dir / f"{name}.json", record_file):
                path.unlink(missing_ok=True)
            before = {}
        if result.get("raised") and "sha256" not in before:
            # the same inputs would raise again: remember it (a report from these same
            # inputs that once succeeded keeps its record)
            failed = {"cell": result.get("cell"), "error": result.get("error", "")}
            record = {"key": key, "params": result.get("params", {}), "failed": failed}
            put(record_file, (json.dumps(record, indent=1) + "\n").encode())
    return Outcome(
        name,
        result["status"],
        result.get("seconds", 0.0),
        result.get("cell"),
        result.get("error", ""),
    )
