"""Run one case of the bad-input corpus and say what became of it.

A case is a list of steps (``build.Plan``); each step runs in a child process forked from a
server that has the package imported once (multiprocessing's forkserver), so that a hang is
cut off by a timeout, a kill takes only the child, and a memory bomb meets a memory limit.
A step is a ``halfyear`` command (``argv``) or a function of ``build`` (``call``); a step may
carry a fault: the process killed, or a write failing, at the k-th write to the file system,
a file size limit (a disk that fills up), or the rights of an unprivileged user.

The outcome of a case is one of:

- ``handled``: what the manifest expects happened;
- ``accepted wrongly``: the input was taken (or the failure reported) without what the
  manifest expects: a lost row, a figure without its reason, data left inconsistent, a
  message that is not one line naming the file;
- ``traceback``: the user would have seen a Python traceback;
- ``hung``: a step did not finish within its timeout.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import multiprocessing
import os
import re
import resource
import signal
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

OUTCOMES = ("handled", "accepted wrongly", "traceback", "hung")
#: Memory a step may use (a YAML bomb meets this, not the machine's memory).
MEMORY_LIMIT = 6 * 1024**3
NOBODY = 65534


@dataclass
class Step:
    """One command or function call of a case, with an optional fault."""

    argv: list[str] | None = None
    call: str | None = None
    kwargs: dict = field(default_factory=dict)
    fault: dict = field(default_factory=dict)
    timeout: float = 60.0
    label: str = ""


@dataclass
class Result:
    """What a step did: exit status, output, and the traceback of an uncaught exception."""

    rc: int | None = None
    stdout: str = ""
    stderr: str = ""
    traceback: str = ""
    value: object = None
    error: str = ""
    killed: bool = False
    hung: bool = False
    writes: int = 0
    signal: int | None = None

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


# --- faults ---------------------------------------------------------------------------------

_WRITE_MODES = re.compile(r"[wax+]")
#: Writes counted in this process (by a fault with ``count``, or a fault at the k-th write).
WRITES = [0]


def _install_write_fault(*, at: int, action: str, code: int = errno.ENOSPC) -> None:
    """Kill the process, or fail with ``code``, at the ``at``-th write to the file system.

    Writes are: opening a file for writing (``open``, ``io.open``, ``os.open`` with a write
    flag), and ``os.replace``, ``os.rename``, ``os.unlink``, ``os.remove``, ``os.rmdir``,
    ``os.mkdir``, ``os.symlink``, ``os.link``, ``os.truncate``, ``os.fsync``.
    """
    import builtins

    count = WRITES

    def hit(what: str) -> None:
        count[0] += 1
        if count[0] != at:
            return
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise OSError(code, os.strerror(code), what)

    def wrap_open(original):
        def opened(file, mode="r", *args, **kwargs):
            if isinstance(file, str | bytes | os.PathLike) and _WRITE_MODES.search(mode):
                hit(os.fspath(file) if not isinstance(file, bytes) else file.decode())
            return original(file, mode, *args, **kwargs)

        return opened

    builtins.open = wrap_open(builtins.open)
    io.open = builtins.open
    os_open = os.open

    def low_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND):
            hit(os.fspath(path) if not isinstance(path, int) else str(path))
        return os_open(path, flags, *args, **kwargs)

    os.open = low_open
    for name in ("replace", "rename", "unlink", "remove", "rmdir", "mkdir", "symlink", "link",
                 "truncate", "fsync"):  # fmt: skip
        original = getattr(os, name)

        def patched(*args, _original=original, _name=name, **kwargs):
            hit(f"os.{_name}{args[:2]!r}")
            return _original(*args, **kwargs)

        setattr(os, name, patched)


def _drop_privileges(folder: Path) -> None:
    """Become an unprivileged user (when root), owning the case's folder, so that file
    modes apply as they do to an ordinary user."""
    if os.geteuid() != 0:
        return
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _apply_fault(fault: dict, folder: Path) -> None:
    if "user" in fault:
        _drop_privileges(folder)
        for relative, mode in fault.get("modes", {}).items():
            os.chmod(folder / relative, mode)
    if "fsize" in fault:
        # a write past this size fails (EFBIG) or, with the default action, kills the process
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL if fault.get("kill") else signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (fault["fsize"], fault["fsize"]))
    if "kill_at" in fault:
        _install_write_fault(at=fault["kill_at"], action="kill")
    if "count" in fault:
        _install_write_fault(at=0, action="count")
    if "fail_at" in fault:
        _install_write_fault(at=fault["fail_at"], action="fail", code=fault.get("errno", 28))


# --- the child ------------------------------------------------------------------------------


def _child(step: Step, folder: str, out: str) -> None:
    """Run a step (in a forked child) and write its Result as JSON to ``out``."""
    folder_path = Path(folder)
    result = Result()
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    stdout, stderr = io.StringIO(), io.StringIO()
    os.environ.setdefault("MPLCONFIGDIR", str(folder_path / ".mpl"))
    report = None
    try:
        # the report is written by this process before any fault can stop it from writing
        report = open(out, "w", encoding="utf-8")  # noqa: SIM115
        _apply_fault(step.fault, folder_path)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            if step.argv is not None:
                from analysis import cli

                try:
                    result.rc = cli.main(step.argv)
                except SystemExit as done:  # argparse
                    result.rc = done.code if isinstance(done.code, int) else 2
            else:
                from analysis.errors import HalfyearError

                from . import build

                try:
                    result.value = getattr(build, step.call)(folder_path, **step.kwargs)
                    result.rc = 0
                except HalfyearError as err:
                    result.error, result.rc = str(err), 2
    except BaseException:  # what a user would see as a traceback
        result.traceback = traceback.format_exc()
        result.rc = 1
    result.stdout, result.stderr = stdout.getvalue(), stderr.getvalue()
    result.writes = WRITES[0]
    if report is not None:
        json.dump(result.__dict__, report, ensure_ascii=False, default=str)
        report.close()


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.bad_inputs.preload"])
    return context


def run_step(step: Step, folder: Path, index: int) -> Result:
    """Run a step in a child process with a timeout; its Result."""
    out = folder / f".step{index}.json"
    process = _context().Process(target=_child, args=(step, str(folder), str(out)))
    process.start()
    process.join(step.timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return Result(hung=True)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    out.unlink(missing_ok=True)
    try:
        data = json.loads(text) if text else None
    except json.JSONDecodeError:
        data = None
    if data is None or process.exitcode != 0:
        return Result(killed=True, signal=-process.exitcode if process.exitcode else None)
    return Result(**data)


# --- the state of data/processed ------------------------------------------------------------

STATE_FILES = ("figures.parquet", "rejects.csv", "reconciliation.csv", "manifest.json")


def state(out: Path) -> dict | None:
    """The content hashes of the processed files (None when none exists)."""
    found = {}
    for name in STATE_FILES:
        path = out / name
        if path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found or None


def read_csv(path: Path):
    """A CSV as a spreadsheet shows it: text, a leading apostrophe that protects a cell
    from running as a formula not shown."""
    import pandas as pd

    def shown(text: str) -> str:
        return text[1:] if text.startswith("'") and text[1:2] in "=+-@\t\r" and text[1:2] else text

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.map(shown)


def consistency_problem(out: Path) -> str:
    """Why the processed files in ``out`` do not agree with one another ('' when they do).

    Independent of how the package writes them: the manifest's counts and files against
    the table, the rejects and the reconciliation.
    """
    import pandas as pd

    missing = [n for n in STATE_FILES if not (out / n).is_file()]
    if missing:
        return f"missing {missing}"
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        figures = pd.read_parquet(out / "figures.parquet")
        rejects = read_csv(out / "rejects.csv")
        recon = read_csv(out / "reconciliation.csv")
    except Exception as err:
        return f"unreadable: {type(err).__name__}: {err}"
    if manifest.get("figures") != len(figures):
        return f"manifest says {manifest.get('figures')} figures, the table has {len(figures)}"
    if manifest.get("rejects") != len(rejects):
        return f"manifest says {manifest.get('rejects')} rejects, rejects.csv has {len(rejects)}"
    files = [f.get("file") for f in manifest.get("files", [])]
    if files != recon["file"].tolist():
        return f"manifest lists {files}, the reconciliation {recon['file'].tolist()}"
    if recon["rows_kept"].astype(int).sum() != len(figures):
        return "the reconciliation's kept rows do not add up to the table"
    return ""


# --- the outcome ----------------------------------------------------------------------------


def _one_line(result: Result, detail: str) -> str:
    """'' when the result is a one-line refusal (exit 2) that names ``detail``."""
    message = result.error or "\n".join(result.lines)
    if result.rc != 2:
        return f"exit status {result.rc}, not 2"
    if not result.error and len(result.lines) != 1:
        return f"{len(result.lines)} lines on stderr, not 1: {result.stderr[:300]!r}"
    if detail and not all(d.lower() in message.lower() for d in detail.split("&")):
        return f"the message does not name {detail!r}: {message!r}"
    return ""


def outcome(plan, results: list[Result]) -> tuple[str, str]:
    """The outcome of a case and why."""
    for result in results:
        if result.hung:
            return "hung", "a step did not finish within its timeout"
    for result in results:
        if result.traceback:
            return "traceback", result.traceback.strip().splitlines()[-1][:300]
        if "Traceback (most recent call last)" in result.stderr:
            return "traceback", result.stderr.strip().splitlines()[-1][:300]
    why = plan.check(results)
    return ("handled", "") if not why else ("accepted wrongly", why)


def run_case(plan, folder: Path) -> tuple[str, str]:
    """Run a case's steps in order (each in its own child) and judge the outcome."""
    results = []
    for index, step in enumerate(plan.steps):
        result = run_step(step, folder, index)
        results.append(result)
        if plan.after_step:
            plan.after_step(index, result)
        if result.hung:
            break
    return outcome(plan, results)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - a report for people
    """Run the corpus and print the counts by kind and outcome (``python -m tests.bad_inputs``)."""
    import argparse
    import tempfile
    from collections import Counter

    from . import build

    parser = argparse.ArgumentParser(prog="python -m tests.bad_inputs")
    parser.add_argument("cases", nargs="*", help="only these cases")
    parser.add_argument("--json", help="write each case's outcome here")
    args = parser.parse_args(argv)
    rows = [r for r in build.manifest() if not args.cases or r["case"] in args.cases]
    counts: Counter = Counter()
    found = []
    for row in rows:
        with tempfile.TemporaryDirectory(prefix="hy-bad-") as folder:
            os.chmod(folder, 0o755)
            got, why = run_case(build.plan(row, Path(folder)), Path(folder))
        counts[(row["kind"], got)] += 1
        found.append({**row, "outcome": got, "why": why})
        print(f"{got:<17} {row['kind']:<11} {row['case']:<36} {why[:150]}", flush=True)
    kinds = sorted({r["kind"] for r in rows})
    print(f"\n{'kind':<12}" + "".join(f"{o:>18}" for o in OUTCOMES) + f"{'total':>8}")
    for kind in kinds:
        n = [counts[(kind, o)] for o in OUTCOMES]
        print(f"{kind:<12}" + "".join(f"{x:>18}" for x in n) + f"{sum(n):>8}")
    totals = [sum(counts[(k, o)] for k in kinds) for o in OUTCOMES]
    print(f"{'all':<12}" + "".join(f"{x:>18}" for x in totals) + f"{sum(totals):>8}")
    if args.json:
        Path(args.json).write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
