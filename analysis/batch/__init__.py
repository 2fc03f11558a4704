"""Batch runs of the report notebook: a grid of regions x periods x languages.

``halfyear batch`` (``make reports``) runs ``notebooks/halfyear_report.ipynb`` once per
parameter set of a grid, in parallel on the local cores or on a Dask cluster, writes each
report as ``halfyear report`` does (``<region>_<period>_<lang>.html``, its ``.json``
sidecar, the executed notebook under ``executed/``), then regenerates ``index.html``::

    halfyear batch                                  # the default grid (see below)
    halfyear batch --region erqi --lang zh          # every period of erqi with enough data
    halfyear batch --region erqi --period 2019H1 --period 2018H1 --keep-going
    halfyear batch --grid reports.yaml --jobs 4     # the grid in a YAML file
    halfyear batch --shard 2/4                      # the 2nd of 4 shards (a CI matrix)
    halfyear batch --scheduler tcp://10.0.0.5:8786  # on a Dask cluster
    halfyear batch --force                          # run even what is up to date

A grid file has any of ``regions``, ``periods``, ``langs`` (a name or a list),
``min_figures`` and ``runs`` (a list of ``{region, period, lang}``); command-line options
replace its keys. Regions and periods given together make their full product; a side
left out is every region (or period) the data can report on. The default grid is every
region and period with actual figures (targets excluded) of at least
``DEFAULT_MIN_FIGURES`` distinct indicators, in both languages: fewer figures do not make
a situation report. The whole grid is checked with ``reporting.check_parameters`` before
any kernel starts; invalid combinations are listed with what is valid, and
``--keep-going`` runs the valid rest. ``--shard K/N`` takes every N-th run of the sorted
grid from the K-th: shards are disjoint, cover the grid and do not depend on the machine.

A run is skipped when nothing that affects it changed since it last ran: its parameters,
the notebook, the library (``analysis/**``: code, reference tables, templates), the data
(the processed table and the files beside it that reports read, by content hash), the
locked environment (``requirements/runtime.lock``, the Python version) and the git state the
report prints. A run whose cell raised an error is not redone either until one of these
changes (it would raise again): it is listed as failed, from its record. ``--force`` runs
everything. The records are kept in ``<out>/.cache/<name>.json``.

Each worker keeps one Jupyter kernel warm (started once, the notebook's imports done once)
and runs its notebooks in it through papermill's nbclient engine, clearing the kernel's
namespace and execution count between runs, so the outputs are those of a fresh kernel
(the tests compare the bytes with ``reporting.run_report``); ``--fresh-kernels`` starts a
kernel per run instead. Kernels talk over IPC sockets in private folders: concurrent
kernels never share a port. A run that fails (an error raised in a cell, a dead kernel, a
cell over ``--timeout`` seconds) does not stop the others: it keeps its executed notebook
with papermill's error banner, the next run gets a new kernel, and the summary lists it
with its cell and error. Only the parent process writes to the output folder, each file
through a temporary file renamed over it: no half-written report is ever left. On a Dask
cluster the workers (which need the project, code and data, at the same paths, checked by
content hash) send the files back to the client, which writes them the same way.

The exit status is 0 when every run is ok or up to date, 1 when a run failed (or, with
``--keep-going``, the grid had invalid combinations), 2 when the grid or an option cannot
run (nothing ran; the message says what is allowed).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.config import LANGUAGES, git_version, paths
from analysis.errors import HalfyearError

#: A region and period make a report with figures of at least this many indicators.
DEFAULT_MIN_FIGURES = 3
#: Seconds a notebook cell may run before its run fails (papermill's execution timeout).
DEFAULT_TIMEOUT = 600
#: Keys a grid file may have.
GRID_KEYS = ("regions", "periods", "langs", "runs", "min_figures")
#: Folder (inside the output folder) of the run records.
CACHE_DIR = ".cache"
#: Bumped when what a run writes changes, so that every run is redone once.
PROTOCOL = 1
_ENGINE = "halfyear-warm"


class GridError(HalfyearError, ValueError):
    """A grid (or a batch option) that cannot be run; the message says what is allowed."""


# --- the grid ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Grid:
    """The runs of a batch, checked, and the combinations that were not valid.

    Attributes
    ----------
    runs : tuple of reporting.ReportParameters
        Valid parameter sets, one per report name, sorted by name.
    invalid : tuple of str
        One line per invalid combination, saying what is valid instead.
    """

    runs: tuple
    invalid: tuple = ()


def reportable(figures, *, min_figures: int = DEFAULT_MIN_FIGURES):
    """Regions and periods with actual figures of at least ``min_figures`` indicators.

    Parameters
    ----------
    figures : DataFrame
        The processed table.
    min_figures : int, default DEFAULT_MIN_FIGURES
        Distinct indicators (targets excluded) a report needs.

    Returns
    -------
    DataFrame
        Columns ``region``, ``period``, ``indicators``, sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"region": ["a", "a", "a", "b"], "period": ["2019H1"] * 4,
    ...     "indicator": ["gdp", "gdp", "retail_sales", "gdp"], "is_target": [False] * 4})
    >>> reportable(f, min_figures=2).values.tolist()
    [['a', '2019H1', 2]]
    """
    if min_figures < 1:
        raise GridError(f"min_figures must be at least 1, not {min_figures}")
    actual = figures[~figures["is_target"].astype(bool)]
    counts = (
        actual.groupby(["region", "period"])["indicator"].nunique().rename("indicators")
    ).reset_index()
    counts = counts[counts["indicators"] >= min_figures]
    return counts.sort_values(["region", "period"], kind="stable").reset_index(drop=True)


def _as_list(value, key: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str | int):
        return [str(value)]
    if isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value]
    raise GridError(f"{key} must be a name or a list of names, not {_short(repr(value), 80)}")


def build_grid(
    figures,
    *,
    regions: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
    langs: Iterable[str] | None = None,
    runs: Iterable[dict] | None = None,
    min_figures: int = DEFAULT_MIN_FIGURES,
    data_path: Path | None = None,
) -> Grid:
    """Check a grid of report parameters against the data: the valid runs, the rest listed.

    Regions and periods given together make their full product; a side left out is every
    region (or period) the data can report on with at least ``min_figures`` indicators;
    both left out is the default grid. ``runs`` adds explicit parameter sets (mappings with
    ``region``, ``period`` and ``lang``). Names and labels are accepted as in
    ``halfyear report`` (二七区, 2019年上半年) and each run is named by its canonical codes,
    so a report asked for twice runs once.

    Parameters
    ----------
    figures : DataFrame
        The processed table.
    regions, periods : iterable of str, optional
        Region codes or names; period codes or labels.
    langs : iterable of str, optional
        Report languages; default every language (``zh``, ``en``).
    runs : iterable of dict, optional
        Explicit parameter sets.
    min_figures : int, default DEFAULT_MIN_FIGURES
        Indicators a region and period need to be chosen for a side left out.
    data_path : Path, optional
        The processed table the notebooks read (default the project's).

    Returns
    -------
    Grid

    Examples
    --------
    >>> from analysis.data.pipeline import load_figures
    >>> figures = load_figures()
    >>> grid = build_grid(figures, regions=["二七区"], periods=["2019H1", "2018H1"],
    ...                   langs=["zh"])
    >>> [(p.region, p.period, p.lang) for p in grid.runs]
    [('erqi', '2019H1', 'zh')]
    >>> print(grid.invalid[0])
    二七区 2018H1 zh: no figures for erqi in 2018H1; periods with data for erqi: ...
    >>> len(build_grid(figures).runs) > 50
    True
    """
    from analysis import catalog
    from analysis import periods as period_codes
    from analysis.report import reporting

    langs = list(langs) if langs else list(LANGUAGES)
    table = reportable(figures, min_figures=min_figures)
    wanted: list[tuple[str, str, str]] = []
    invalid: list[str] = []
    regions = None if regions is None else list(regions)
    periods = None if periods is None else list(periods)
    if regions is not None and periods is not None:
        wanted += [(r, p, lang) for r in regions for p in periods for lang in langs]
    elif regions is not None:
        for region in regions:
            try:
                code = catalog.region_code(region)
            except catalog.CatalogError:
                invalid.append(
                    f"{region}: unknown region; regions with enough data for a report: "
                    f"{', '.join(sorted(set(table['region'])))}"
                )
                continue
            have = table.loc[table["region"] == code, "period"].tolist()
            if not have:
                invalid.append(
                    f"{region}: no period with figures of {min_figures} indicators or more; "
                    f"regions that have one: {', '.join(sorted(set(table['region'])))} "
                    "(or name the periods, or lower --min-figures)"
                )
            wanted += [(region, p, lang) for p in have for lang in langs]
    elif periods is not None:
        for period in periods:
            try:
                code = period_codes.parse_period(str(period)).code
            except period_codes.PeriodError as err:
                invalid.append(f"{period}: {err}")
                continue
            have = table.loc[table["period"] == code, "region"].tolist()
            if not have:
                invalid.append(
                    f"{period}: no region with figures of {min_figures} indicators or more; "
                    f"periods that have one: {', '.join(sorted(set(table['period'])))}"
                )
            wanted += [(r, period, lang) for r in have for lang in langs]
    elif runs is None:
        wanted += [
            (r, p, lang)
            for r, p in zip(table["region"], table["period"], strict=True)
            for lang in langs
        ]
    for i, run in enumerate(runs or []):
        if not isinstance(run, dict) or not {"region", "period", "lang"} <= set(run):
            invalid.append(
                f"runs[{i}]: {_short(repr(run), 80)}: a run needs region, period and lang"
            )
            continue
        extra = sorted(set(run) - {"region", "period", "lang"})
        if extra:
            invalid.append(f"runs[{i}]: unknown keys {extra}; allowed: region, period, lang")
            continue
        wanted.append((str(run["region"]), str(run["period"]), str(run["lang"])))
    checked = {}
    for region, period, lang in wanted:
        try:
            params = reporting.check_parameters(
                region=region, period=period, lang=lang, figures=figures, data_path=data_path
            )
        except reporting.ParameterError as err:
            invalid.append(f"{region} {period} {lang}: {err}")
            continue
        checked.setdefault(reporting.report_name(params), params)
    return Grid(tuple(checked[name] for name in sorted(checked)), tuple(invalid))


#: The largest grid file read (a grid lists regions, periods and languages: a few kB).
MAX_GRID_BYTES = 256_000


def _grid_loader():
    import yaml

    class GridLoader(yaml.SafeLoader):
        """PyYAML's safe loader without anchors and aliases (no expansion bombs)."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in a grid file",
                    event.start_mark,
                )  # fmt: skip
            return super().compose_node(parent, index)

    return GridLoader


def _short(value: object, limit: int = 200) -> str:
    """A value's text, cut to ``limit`` characters.

    Examples
    --------
    >>> _short("x" * 300, 10)
    'xxxxxxxxxx...'
    """
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "..."


def read_grid_file(path: str | Path) -> dict:
    """The grid of a YAML file: ``regions``, ``periods``, ``langs``, ``runs``, ``min_figures``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = Path(d) / "grid.yaml"
    ...     _ = path.write_text("regions: [erqi]\\nlangs: zh\\n", encoding="utf-8")
    ...     read_grid_file(path)
    {'regions': ['erqi'], 'langs': ['zh']}
    """
    import yaml

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_GRID_BYTES:
            raise GridError(
                f"{path}: a grid file of {size / 1e6:.1f} MB; a grid file is at most "
                f"{MAX_GRID_BYTES // 1000} kB (list regions, periods and languages, not runs)"
            )
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise GridError(f"{path}: cannot read the grid file: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise GridError(
            f"{path}: not UTF-8 (byte 0x{err.object[err.start]:02x}); save the grid file as UTF-8"
        ) from None
    try:
        data = yaml.load(text, Loader=_grid_loader()) or {}  # a safe loader, no aliases
    except yaml.MarkedYAMLError as err:
        line = f", line {err.problem_mark.line + 1}" if err.problem_mark else ""
        problem = " ".join(str(err.problem or err.context or "").split())
        raise GridError(f"{path}{line}: not valid YAML: {_short(problem)}") from None
    except yaml.YAMLError as err:
        raise GridError(f"{path}: not valid YAML: {_short(' '.join(str(err).split()))}") from None
    except RecursionError:
        raise GridError(f"{path}: nested too deeply to be a grid file") from None
    if not isinstance(data, dict):
        raise GridError(f"{path}: a grid file is a mapping with keys {', '.join(GRID_KEYS)}")
    unknown = sorted(set(data) - set(GRID_KEYS))
    if unknown:
        raise GridError(f"{path}: unknown keys {unknown}; allowed: {', '.join(GRID_KEYS)}")
    grid = {}
    for key in ("regions", "periods", "langs"):
        if key in data:
            grid[key] = _as_list(data[key], f"{path}: {key}")
    if "runs" in data:
        if not isinstance(data["runs"], list):
            raise GridError(f"{path}: runs must be a list of {{region, period, lang}}")
        grid["runs"] = data["runs"]
    if "min_figures" in data:
        if not isinstance(data["min_figures"], int) or data["min_figures"] < 1:
            raise GridError(f"{path}: min_figures must be a whole number >= 1")
        grid["min_figures"] = data["min_figures"]
    return grid


def parse_shard(text: str) -> tuple[int, int]:
    """``K/N`` as (K, N): the K-th of N shards, counted from 1.

    Examples
    --------
    >>> parse_shard("2/4")
    (2, 4)
    >>> parse_shard("5/4")
    Traceback (most recent call last):
    ...
    analysis.batch.GridError: --shard 5/4: write K/N with 1 <= K <= N, e.g. 1/4 ... 4/4
    """
    k, sep, n = str(text).partition("/")
    if sep and k.strip().isdigit() and n.strip().isdigit() and 1 <= int(k) <= int(n):
        return int(k), int(n)
    raise GridError(f"--shard {text}: write K/N with 1 <= K <= N, e.g. 1/4 ... 4/4")


def take_shard(runs, shard: tuple[int, int]) -> list:
    """The runs of shard ``(K, N)``: every N-th run of the sorted grid, from the K-th.

    The shards of a grid are disjoint, cover it, and do not depend on the machine.

    Examples
    --------
    >>> take_shard(list("abcdefg"), (1, 3)), take_shard(list("abcdefg"), (3, 3))
    (['a', 'd', 'g'], ['c', 'f'])
    """
    k, n = shard
    return list(runs)[k - 1 :: n]


# --- what a run depends on ---------------------------------------------------------------


def _digest(paths_: Iterable[Path], *, root: Path) -> str:
    """sha256 over the relative names and bytes of files (sorted by name)."""
    h = hashlib.sha256()
    for path in sorted(paths_, key=lambda p: p.relative_to(root).as_posix()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _library_files() -> list[Path]:
    package = Path(__file__).resolve().parents[1]
    files = [p for p in package.rglob("*.py") if "__pycache__" not in p.parts]
    files += list((package / "reference").glob("*.csv"))
    files += [p for p in (package / "report" / "templates").rglob("*") if p.is_file()]
    return files


def _data_files(data_path: Path | None) -> list[Path]:
    """The processed table and what reports read beside it (manifest, rejects, sources)."""
    table = Path(data_path) if data_path else paths().processed_table
    files = [table, *(table.with_name(n) for n in ("manifest.json", "rejects.csv"))]
    files += list(paths().raw.glob("*.meta.json"))  # the notes section quotes the sources
    return [f for f in files if f.exists()]


def input_fingerprint(*, notebook: Path | None = None, data_path: Path | None = None) -> dict:
    """Content hashes of everything besides its parameters that a report depends on.

    Parameters
    ----------
    notebook : Path, optional
        The report notebook (default the project's).
    data_path : Path, optional
        The processed table (default the project's).

    Returns
    -------
    dict
        ``notebook``, ``library``, ``data``, ``environment`` (requirements/runtime.lock and the
        Python version), ``git`` and ``protocol``.

    Examples
    --------
    >>> sorted(input_fingerprint())
    ['data', 'environment', 'git', 'library', 'notebook', 'protocol']
    """
    root = paths().root
    notebook = Path(notebook) if notebook else paths().report_notebook
    lock = root / "requirements" / "runtime.lock"
    environment = hashlib.sha256(lock.read_bytes() if lock.exists() else b"")
    environment.update(sys.version.encode())
    data = _data_files(data_path)
    return {
        "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
        "library": _digest(_library_files(), root=Path(__file__).resolve().parents[2]),
        "data": _digest(data, root=Path("/")) if data else "",
        "environment": environment.hexdigest(),
        "git": git_version(root),  # the report prints it
        "protocol": str(PROTOCOL),
    }


def run_key(fingerprint: dict, params) -> str:
    """The cache key of one run: its parameters and the inputs' fingerprint.

    Examples
    --------
    >>> from analysis.report.reporting import ReportParameters
    >>> a = run_key({"data": "1"}, ReportParameters("erqi", "2019H1", "zh", None))
    >>> b = run_key({"data": "2"}, ReportParameters("erqi", "2019H1", "zh", None))
    >>> len(a), a == b
    (64, False)
    """
    record = {"inputs": fingerprint, "params": _params_record(params)}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def _params_record(params) -> dict:
    return {
        "region": params.region,
        "period": params.period,
        "lang": params.lang,
        "data_path": str(params.data_path or ""),
    }


# --- files --------------------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as handle:
        handle.write(data)
        tmp = Path(handle.name)
    tmp.chmod(0o666 & ~_umask())  # as a plain write would create it
    os.replace(tmp, path)


def _cache_file(out_dir: Path, name: str) -> Path:
    return out_dir / CACHE_DIR / f"{name}.json"


def _cached(out_dir: Path, name: str) -> dict:
    try:
        return json.loads(_cache_file(out_dir, name).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _known_failure(out_dir: Path, name: str, key: str) -> dict | None:
    """The failure of the last run, if it had this key and a cell raised an error.

    An error raised in a cell fails again with the same inputs, so the run is not redone;
    a timeout or a dead kernel may not (a busy machine), so those runs are always redone.
    """
    record = _cached(out_dir, name)
    failed = record.get("failed")
    executed = out_dir / "executed" / f"{name}.ipynb"
    if record.get("key") == key and failed and executed.exists():
        return failed
    return None


def _up_to_date(out_dir: Path, name: str, key: str) -> bool:
    """Whether the run's report exists, unchanged, from a run with this key."""
    record = _cached(out_dir, name)
    html, sidecar = out_dir / f"{name}.html", out_dir / f"{name}.json"
    if record.get("key") != key or not sidecar.exists() or record.get("failed"):
        return False
    try:
        stat = html.stat()
    except OSError:
        return False
    if (stat.st_size, stat.st_mtime_ns) == (record.get("size"), record.get("mtime_ns")):
        return True
    return hashlib.sha256(html.read_bytes()).hexdigest() == record.get("sha256")


# --- the worker: a warm kernel and one run ------------------------------------------------


class _WarmKernel:
    """One Jupyter kernel kept for many runs: started once, cleared between runs."""

    def __init__(self, *, cwd: Path, warm_code: str):
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.session import Session
        from jupyter_core.utils import run_sync

        self.run_sync = run_sync
        self.home = Path(tempfile.mkdtemp(prefix="hy-kernel-"))
        # IPC sockets named after a private folder: concurrent kernels never race for ports;
        # an async manager, as nbclient's own, so that its timeouts and death checks work
        self.km = AsyncKernelManager(
            kernel_name="python3",
            transport="ipc",
            ip=str(self.home / "k"),
            connection_file=str(self.home / "kernel.json"),
        )
        self.log = self.home / "kernel.log"
        with self.log.open("ab") as log:
            # no history database: a kernel cleared between runs would write line numbers
            # that clash with its own earlier lines (and the database is shared by kernels)
            run_sync(self.km.start_kernel)(
                cwd=str(cwd),
                stdout=log,
                stderr=subprocess.STDOUT,
                extra_arguments=["--HistoryManager.enabled=False"],
            )
        # a client with a session of its own (replies are routed by session; papermill's
        # client of each run uses the manager's)
        session = Session(
            key=self.km.session.key, signature_scheme=self.km.session.signature_scheme
        )
        self.kc = BlockingKernelClient(session=session)
        self.kc.load_connection_info(self.km.get_connection_info())
        self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        if warm_code:
            self.kc.execute(warm_code, silent=True, store_history=False)

    def alive(self) -> bool:
        return bool(self.run_sync(self.km.is_alive)())

    def clear(self, timeout: float = 120) -> None:
        """An empty namespace and execution count 1, as in a fresh kernel."""
        code = 'get_ipython().run_line_magic("reset", "-f")\nget_ipython().execution_count = 1\n'
        reply = self._reply(self.kc.execute(code, silent=True, store_history=False), timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"cannot clear the kernel: {reply['content']}")

    def evaluate(self, code: str, expression: str, *, timeout: float = 120):
        """Run ``code`` quietly, then return the value of ``expression`` (a Python literal)."""
        import ast

        msg_id = self.kc.execute(code, silent=True, store_history=False,
                                 user_expressions={"value": expression})  # fmt: skip
        reply = self._reply(msg_id, timeout)["content"]
        result = reply.get("user_expressions", {}).get("value", {})
        if reply["status"] != "ok" or result.get("status") != "ok":
            failed = result if reply["status"] == "ok" else reply
            raise RuntimeError(f"{failed.get('ename')}: {failed.get('evalue')}")
        return ast.literal_eval(result["data"]["text/plain"])

    def _reply(self, msg_id: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def death(self, lines: int = 3) -> str:
        """How the kernel ended: its exit status and the last lines it wrote, if any."""
        process = getattr(self.km.provisioner, "process", None)
        status = process.poll() if process is not None else None
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            text = ""
        said = " | ".join(text.splitlines()[-lines:])
        return (f" (exit status {status})" if status is not None else "") + (
            f": {said}" if said else ""
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            self.run_sync(self.km.shutdown_kernel)(now=True)
        with contextlib.suppress(OSError):
            for path in self.home.iterdir():
                path.unlink()
            self.home.rmdir()


#: The warm kernel of each thread of this worker process (a Dask worker may have several).
_KERNELS: dict[int, _WarmKernel] = {}
_KERNELS_LOCK = threading.Lock()


def _warm_code(notebook: Path) -> str:
    """The import statements of a notebook's code cells (run once per kernel)."""
    import ast

    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    lines = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        lines += [
            ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
        ]
    return "\n".join(f"try:\n    {line}\nexcept Exception:\n    pass" for line in lines)


def _register_engine() -> None:
    """papermill's nbclient engine, running in a kernel it is given (``km=``)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    # nbclient's own messages (timeouts, a dead kernel) repeat what the outcome says
    logger = logging.getLogger("halfyear.batch.kernel")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            km=None,
            **kwargs,
        ):
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(_ENGINE, WarmKernelEngine)


def _kernel(notebook: Path, cwd: Path) -> _WarmKernel:
    """This thread's warm kernel (started on first use, restarted after a failure)."""
    me = threading.get_ident()
    with _KERNELS_LOCK:
        kernel = _KERNELS.get(me)
    if kernel is not None and not kernel.alive():
        _drop_kernel()
        kernel = None
    if kernel is None:
        kernel = _WarmKernel(cwd=cwd, warm_code=_warm_code(notebook))
        with _KERNELS_LOCK:
            _KERNELS[me] = kernel
    return kernel


def _drop_kernel() -> None:
    """Shut this thread's kernel down."""
    with _KERNELS_LOCK:
        kernel = _KERNELS.pop(threading.get_ident(), None)
    if kernel is not None:
        kernel.close()


def _drop_kernels() -> None:
    """Shut every kernel of this process down (end of a batch, end of a worker)."""
    with _KERNELS_LOCK:
        kernels = list(_KERNELS.values())
        _KERNELS.clear()
    for kernel in kernels:
        kernel.close()


def _worker_start(notebook: str, fresh: bool) -> None:
    """Process-pool initializer: start the kernel and the imports while others work."""
    from multiprocessing import util

    util.Finalize(None, _drop_kernels, exitpriority=10)  # worker processes skip atexit
    if not fresh:
        notebook_path = Path(notebook)
        _kernel(notebook_path, notebook_path.parent)
    # this process's imports while the kernel starts, its first export while it runs
    threading.Thread(target=_warm_worker, name="halfyear-warm", daemon=True).start()


#: Set when this worker process sends its first notebook to its kernel.
_RUNNING = threading.Event()


def _warm_worker() -> None:
    """Do once what every run's export and sidecar need (imports, templates, the font)."""
    import shutil
    from multiprocessing import util

    import nbformat
    import papermill  # noqa: F401

    from analysis.report import reporting

    # the kernel's own start is the longest step of a first run: leave it the cores
    _RUNNING.wait(timeout=60)
    folder = Path(tempfile.mkdtemp(prefix="hy-warm-"))
    # removed at exit even if the process ends while this thread is still at work
    util.Finalize(None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                  exitpriority=5)  # fmt: skip
    empty = folder / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), empty)
    # nbconvert's templates, fontTools and the CJK font: loaded on first use
    reporting.export_html(empty, folder / "empty.html", title="二七区", lang="zh")
    shutil.rmtree(folder, ignore_errors=True)


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


def _headline_in(kernel: _WarmKernel, params) -> str:
    """``reporting.headline_figure(params)``, computed in the kernel."""
    data = f"__import__('pathlib').Path({str(params.data_path)!r})" if params.data_path else "None"
    return kernel.evaluate(
        "from analysis.report.reporting import ReportParameters as _P, headline_figure as _h",
        f"_h(_P({params.region!r}, {params.period!r}, {params.lang!r}, {data}))",
    )


def _failure(err, executed: Path) -> dict:
    """Cell (its number among the code cells, as ``In [n]``) and error, for the summary."""
    import nbformat

    cell = None
    with contextlib.suppress(Exception):
        code = [c for c in nbformat.read(executed, as_version=4).cells if c.cell_type == "code"]
        failed = [i for i, c in enumerate(code, 1)
                  if c.get("metadata", {}).get("papermill", {}).get("exception")]  # fmt: skip
        cell = failed[0] if failed else None
    return {"cell": cell, "error": f"{err.ename}: {err.evalue}".strip().rstrip(":")}


def _execute(task: dict) -> dict:
    """Run one report in this worker; return its outcome and the bytes of its files.

    Never raises for a failing run: the outcome says ``failed`` with the cell and error.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis.report import reporting

    started = time.perf_counter()
    params = reporting.ReportParameters(
        **{
            **task["params"],
            "data_path": (
                Path(task["params"]["data_path"]) if task["params"]["data_path"] else None
            ),
        }
    )
    name = reporting.report_name(params)
    notebook = Path(task["notebook"])
    outcome = {
        "params": _params_record(params),
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
    stage = Path(tempfile.mkdtemp(prefix=f"hy-{name}-"))
    executed = stage / "executed" / f"{name}.ipynb"
    executed.parent.mkdir()
    engine = {}
    fresh = {"kernel_manager_class": "analysis.report.kernels.LocalKernelManager"}  # as run_report
    if not task["fresh"]:
        _register_engine()
        engine, fresh = {"engine_name": _ENGINE, "km": None}, {}
    kernel, executed_ok = None, False
    # the index's headline (``reporting.headline_figure``): in a fresh-kernel run, worked
    # out here meanwhile; with a warm kernel, in it afterwards (the library is loaded there)
    from concurrent.futures import ThreadPoolExecutor

    aside = ThreadPoolExecutor(max_workers=1)
    headline = None if engine else aside.submit(reporting.headline_figure, params)
    try:
        if engine:
            kernel = _kernel(notebook, notebook.parent)
            kernel.clear()
            engine["km"] = kernel.km
        _RUNNING.set()
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=_params_record(params),
            kernel_name="python3",
            cwd=None if engine else str(notebook.parent),
            progress_bar=False,
            log_output=False,
            execution_timeout=task["timeout"],
            **engine,
            **fresh,
        )
        executed_ok = True
        if headline is None:
            headline = aside.submit(_headline_in, kernel, params)
        title = reporting.report_title(params)
        html = reporting.export_html(
            executed, stage / f"{name}.html", title=title, lang=params.lang
        )
        record = {
            **_params_record(params),
            "title": title,
            "html": html.name,
            "headline": headline.result(),
        }
        sidecar = json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        outcome.update(status="ok")
        outcome["files"] = {
            f"{name}.html": html.read_bytes(),
            f"{name}.json": sidecar.encode("utf-8"),
        }
    except PapermillExecutionError as err:
        # an interrupted run (Ctrl-C) may pass next time: only errors are remembered
        outcome.update(_failure(err, executed), raised=err.ename != "KeyboardInterrupt")
    except Exception as err:  # a dead kernel, a timeout, a failing export: this run only
        kind = type(err).__name__
        text = str(err).strip().splitlines()[0] if str(err).strip() else kind
        if executed_ok:  # the notebook ran; writing the HTML or the sidecar failed
            text += " (while writing the HTML and its sidecar)"
        elif "Timeout" in kind:
            text = f"a cell ran longer than {task['timeout']:g} s (--timeout)"
        elif "DeadKernel" in kind:
            text = "the kernel died" + (kernel.death() if kernel is not None else "")
        if executed.exists() and not executed_ok:
            banner = _banner(executed, ename=kind, evalue=text)
            failure = _failure(banner, executed) if banner else {"error": f"{kind}: {text}"}
            outcome.update(failure)
        else:
            outcome["error"] = f"{kind}: {text}"
    finally:
        aside.shutdown(wait=True)
        if outcome["status"] != "ok" and engine:
            _drop_kernel()  # whatever state it is in, the next run gets a new kernel
        if executed.exists():
            outcome["files"][f"executed/{name}.ipynb"] = executed.read_bytes()
        for path in sorted(stage.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        stage.rmdir()
    outcome["seconds"] = time.perf_counter() - started
    return outcome


# --- the batch ----------------------------------------------------------------------------


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

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


#: Local workers started ahead (``_pool_ahead``), waiting for a batch of these options.
_AHEAD: dict = {}


def _noop() -> None:
    """A task that makes a worker process start."""


@contextlib.contextmanager
def _pool_ahead(jobs: int, *, notebook: Path, fresh: bool):
    """Start the local workers (and their kernels) now, for the batch run in the block.

    Used when a batch is sure to run something, so that the kernels start while the grid
    is read and checked. Shut down at the end of the block if the batch did not take them.
    """
    executor, _ = _executor(jobs, scheduler=None, notebook=notebook, fresh=fresh)
    for _ in range(jobs):
        executor.submit(_importable()._noop)
    _AHEAD[(jobs, str(notebook), fresh)] = executor
    try:
        yield
    finally:
        _AHEAD.pop((jobs, str(notebook), fresh), None)
        executor.shutdown(wait=True, cancel_futures=True)


def _executor(jobs: int, *, scheduler: str | None, notebook: Path, fresh: bool):
    """A concurrent.futures executor: local worker processes, or a Dask cluster's."""
    ahead = None if scheduler else _AHEAD.pop((jobs, str(notebook), fresh), None)
    if ahead is not None:
        return ahead, None
    if scheduler:
        from dask.distributed import Client

        client = Client(scheduler, timeout="30s")
        return client.get_executor(pure=False), client
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_importable()._worker_start,
        initargs=(str(notebook), fresh),
    )
    return executor, None


def _importable():
    """This module as worker processes import it (also when it runs as ``__main__``)."""
    import importlib

    return importlib.import_module("analysis.batch")


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
        Runs at a time: local worker processes (default the number of cores) or, with
        ``scheduler``, tasks in flight (default the cluster's threads).
    force : bool, default False
        Run even the reports that are up to date.
    timeout : float or None, default DEFAULT_TIMEOUT
        Seconds a cell may run (papermill's ``execution_timeout``); None for no limit.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to run on instead of local
        processes; the workers need the project (code, data) at the same paths.
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
    batch: 0 reports: 0 ok, 0 failed, 0 skipped (up to date) in 0.0 s 0 index.html
    """
    from analysis.report import reporting

    started = time.perf_counter()
    out_dir = Path(out_dir) if out_dir else paths().reports
    notebook = Path(notebook).resolve() if notebook else paths().report_notebook
    jobs = jobs if jobs is not None else (None if scheduler else default_jobs())
    if jobs is not None and jobs < 1:
        raise GridError(f"--jobs must be at least 1, not {jobs}")
    if timeout is not None and timeout <= 0:
        raise GridError(f"--timeout must be a positive number of seconds, not {timeout}")
    runs = list(runs)
    names = [reporting.report_name(p) for p in runs]
    if len(set(names)) != len(names):
        raise GridError("two runs have the same report name; build the grid with build_grid")
    fingerprints: dict[str, dict] = {}
    keys = {}
    for params, name in zip(runs, names, strict=True):
        data = str(params.data_path or "")
        if data not in fingerprints:
            fingerprints[data] = input_fingerprint(notebook=notebook, data_path=params.data_path)
        keys[name] = run_key(fingerprints[data], params)
    if not force:
        _check_no_clash(out_dir, runs, names)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for params, name in zip(runs, names, strict=True):
        known = None if force else _known_failure(out_dir, name, keys[name])
        if known:
            again = "; the same inputs failed before (--force runs it again)"
            outcomes[name] = Outcome(name, "failed", 0.0, known.get("cell"),
                                     known.get("error", "") + again)  # fmt: skip
        elif force or not _up_to_date(out_dir, name, keys[name]):
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
            tasks = [
                {
                    "params": _params_record(p),
                    "notebook": str(notebook),
                    "timeout": timeout,
                    "fresh": fresh_kernels,
                    "fingerprint": fingerprints[str(p.data_path or "")] if scheduler else None,
                }
                for p, _ in todo
            ]
            for result in _run_tasks(
                tasks, jobs=jobs, scheduler=scheduler, notebook=notebook, fresh=fresh_kernels
            ):
                outcome = _settle(result, out_dir=out_dir, key=keys[result["name"]])
                outcomes[outcome.name] = outcome
                bar.add(outcome)
    finally:
        bar.close()
    with _locked(out_dir / CACHE_DIR / "index.lock"):  # batches sharing a folder
        index = reporting.write_index(out_dir)
    ordered = tuple(outcomes[n] for n in names if n in outcomes)
    return BatchResult(ordered, tuple(invalid), index, out_dir, time.perf_counter() - started)


def _run_tasks(tasks: list[dict], *, jobs, scheduler, notebook: Path, fresh: bool):
    """Run tasks, a few at a time, yielding each result as it comes (in any order)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    executor, client = _executor(jobs or 1, scheduler=scheduler, notebook=notebook, fresh=fresh)
    if client is not None and jobs is None:
        jobs = max(1, sum(client.nthreads().values()))
    pending = list(reversed(tasks))
    running: dict = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                task = pending.pop()
                running[executor.submit(_importable()._execute, task)] = task
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    yield _lost(task, "its worker process died")
                except Exception as err:  # a worker lost on a cluster, a pickling error
                    yield _lost(task, f"{type(err).__name__}: {err}")
            if broken:  # every run in that pool is lost: report them, start a new pool
                for task in running.values():
                    yield _lost(task, "its worker process died")
                running.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor, _ = _executor(jobs, scheduler=None, notebook=notebook, fresh=fresh)
    finally:
        if client is None:
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            for future in running:
                future.cancel()
            with contextlib.suppress(Exception):
                client.run(_importable()._drop_kernels)  # leave no kernel on the cluster
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
        before = _cached(out_dir, name).get("params", {}).get("data_path")
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
    """Write a run's files into the output folder (atomically) and record its key."""
    name = result["name"]
    for relative, data in sorted(result["files"].items()):
        _atomic_write(out_dir / relative, data)
    record_file = _cache_file(out_dir, name)
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
        _atomic_write(record_file, (json.dumps(record, indent=1) + "\n").encode())
    else:
        before = _cached(out_dir, name)
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
            _atomic_write(record_file, (json.dumps(record, indent=1) + "\n").encode())
    return Outcome(
        name,
        result["status"],
        result.get("seconds", 0.0),
        result.get("cell"),
        result.get("error", ""),
    )


# --- the command --------------------------------------------------------------------------


def add_cli(subparsers) -> argparse.ArgumentParser:
    """Register ``halfyear batch`` on the ``halfyear`` command's subparsers.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="halfyear")
    >>> _ = add_cli(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["batch", "--region", "erqi", "--jobs", "2", "--shard", "1/2"])
    >>> args.region, args.jobs, args.shard, args.force
    (['erqi'], 2, '1/2', False)
    """
    batch = subparsers.add_parser(
        "batch",
        help="run the report notebook over a grid of regions x periods x languages",
        description="Run the report notebook over a grid of regions x periods x languages, "
        "in parallel and incrementally; write the HTML reports and reports/index.html.",
    )
    grid = batch.add_argument_group("the grid (default: every region and period with enough data)")
    grid.add_argument("--grid", metavar="FILE", help=f"YAML file with {', '.join(GRID_KEYS)}")
    grid.add_argument("--region", action="append", help="region code or name; repeat for several")
    grid.add_argument("--period", action="append", help="period code or label; repeat")
    grid.add_argument("--lang", action="append", help=f"one of {', '.join(LANGUAGES)}; repeat")
    grid.add_argument(
        "--min-figures",
        type=int,
        default=None,
        metavar="N",
        help=f"indicators a region and period need for a side left out "
        f"(default {DEFAULT_MIN_FIGURES})",
    )
    grid.add_argument("--data", help="processed table (default data/processed)")
    grid.add_argument("--shard", metavar="K/N", help="only the K-th of N shards of the grid")
    grid.add_argument(
        "--keep-going",
        action="store_true",
        help="run the valid part of a grid with invalid combinations",
    )
    run = batch.add_argument_group("running")
    run.add_argument("--out", help="output folder (default reports/)")
    run.add_argument("--jobs", type=int, help="runs at a time (default the number of cores)")
    run.add_argument("--force", action="store_true", help="run even the reports up to date")
    run.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds a cell may run (default {DEFAULT_TIMEOUT})",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster at this address (tcp://host:8786)",
    )
    run.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="a new kernel per run (slower) instead of one per worker",
    )
    run.add_argument(
        "--dry-run", action="store_true", help="check the grid and list what would run, then stop"
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    batch.set_defaults(func=main)
    return batch


def main(args: argparse.Namespace) -> int:
    """``halfyear batch``: check the grid, run it, print the summary; the exit status.

    0 when every run is ok or up to date, 1 when a run failed (or, with ``--keep-going``,
    the grid had invalid combinations), 2 for a grid or option that cannot run (the
    message says what is allowed).

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="halfyear")
    >>> _ = add_cli(parser.add_subparsers(dest="command"))
    >>> main(parser.parse_args(["batch", "--region", "二七区", "--period", "2019H1",
    ...                         "--lang", "zh", "--dry-run"]))
    erqi 2019H1 zh
    1 runs
    0
    """
    return _batch(args)


def _batch(args: argparse.Namespace) -> int:
    from analysis.data import store

    out_dir = Path(args.out) if args.out else paths().reports
    if not args.dry_run:
        store.writable_folder(out_dir, what="report folder")
    jobs = args.jobs or default_jobs()
    sure = args.force or not any((out_dir / CACHE_DIR).glob("*.json"))
    ahead = contextlib.nullcontext()
    if sure and not (args.dry_run or args.scheduler) and jobs >= 1:
        # every run will execute: start the workers' kernels while the grid is checked
        ahead = _pool_ahead(jobs, notebook=paths().report_notebook, fresh=args.fresh_kernels)
    with ahead:
        return _batch_runs(args, out_dir)


def _load_figures(data_path: Path | None):
    """The processed table, checked (``store.load_figures``: without importing the cleaning
    stage, a faster start)."""
    from analysis.data import store

    return store.load_figures(data_path)


def _batch_runs(args: argparse.Namespace, out_dir: Path) -> int:
    spec = read_grid_file(args.grid) if args.grid else {}
    for key, value in (
        ("regions", args.region),
        ("periods", args.period),
        ("langs", args.lang),
        ("min_figures", args.min_figures),
    ):
        if value is not None:
            spec[key] = value
    data_path = Path(os.path.abspath(args.data)) if args.data else None  # links kept
    figures = _load_figures(data_path)
    grid = build_grid(figures, data_path=data_path, **spec)
    if grid.invalid and not args.keep_going:
        lines = "\n  ".join(grid.invalid)
        raise GridError(
            f"{len(grid.invalid)} invalid combination(s), nothing was run (--keep-going runs "
            f"the {len(grid.runs)} valid ones):\n  {lines}"
        )
    runs = list(grid.runs)
    if args.shard:
        runs = take_shard(runs, parse_shard(args.shard))
    if not runs:
        raise GridError("the grid is empty: nothing to run")
    if args.dry_run:
        for params in runs:
            print(f"{params.region} {params.period} {params.lang}")
        print(f"{len(runs)} runs")
        return 0
    result = run_batch(
        runs,
        out_dir=out_dir,
        jobs=args.jobs,
        force=args.force,
        timeout=args.timeout or None,
        scheduler=args.scheduler,
        fresh_kernels=args.fresh_kernels,
        invalid=grid.invalid,
        progress=not args.no_progress,
    )
    print(result.summary())
    return result.exit_code


def _main(argv: list[str] | None = None) -> int:
    """``python -m analysis.batch``: the ``batch`` subcommand on its own."""
    from analysis.cli import main

    return main(["batch", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main())
