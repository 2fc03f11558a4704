"""What a batch run depends on, and the records that say a report is up to date.

A run is skipped when nothing that affects it changed since it last ran: its parameters,
the notebook, the library (``analysis/**``: code, reference tables, templates), the data
(the processed table and the files beside it that reports read, by content hash), the
locked environment (``requirements/runtime.lock``, the Python version) and the git state
the report prints. The records are kept in ``<out>/.cache/<name>.json``.

The grid itself (``build_grid`` on the processed table) is remembered too, in
``<out>/.cache/grid-<key>.json`` (a key per set of the grid's options) with the hash of
what it was built from (the data and the library), and so is what ``index.html`` was
written from (``index.json``): a batch with nothing changed neither reads the table nor
imports pandas, so that it answers "up to date" at once.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from analysis.config import git_version, paths

#: Folder (inside the output folder) of the run records.
CACHE_DIR = ".cache"
#: Bumped when what a run writes changes, so that every run is redone once.
PROTOCOL = 2


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
        ``notebook``, ``library``, ``data``, ``environment`` (requirements/runtime.lock and
        the Python version), ``git`` and ``protocol``.

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
    record = {"inputs": fingerprint, "params": params_record(params)}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def params_record(params) -> dict:
    return {
        "region": params.region,
        "period": params.period,
        "lang": params.lang,
        "data_path": str(params.data_path or ""),
    }


def grid_key(spec: dict, *, data_path: Path | None) -> tuple[str, str]:
    """Which grid (its options: ``build_grid``'s keywords, and the data path) and the key of
    what it is built from (the processed table and the files beside it, the library).

    Examples
    --------
    >>> a, inputs = grid_key({"regions": ["erqi"]}, data_path=None)
    >>> b, same = grid_key({"regions": ["china"]}, data_path=None)
    >>> len(a), a == b, inputs == same
    (64, False, True)
    """
    which = json.dumps([spec, str(data_path or "")], sort_keys=True, ensure_ascii=False,
                       default=str)  # fmt: skip
    data = _data_files(data_path)
    inputs = {
        "data": _digest(data, root=Path("/")) if data else "",
        "library": _digest(_library_files(), root=Path(__file__).resolve().parents[2]),
        "protocol": PROTOCOL,
    }
    inputs = json.dumps(inputs, sort_keys=True)
    return hashlib.sha256(which.encode()).hexdigest(), hashlib.sha256(inputs.encode()).hexdigest()


def cached_grid(out_dir: Path, key: tuple[str, str]):
    """The grid remembered under ``key`` (a ``grid.Grid``), or None."""
    from analysis.batch.grid import Grid
    from analysis.report.params import ReportParameters

    which, inputs = key
    try:
        record = json.loads(cache_file(out_dir, f"grid-{which}").read_text(encoding="utf-8"))
        if record["inputs"] != inputs:
            return None
        runs = tuple(ReportParameters(*r[:3], Path(r[3]) if r[3] else None)
                     for r in record["runs"])  # fmt: skip
        return Grid(runs, tuple(record["invalid"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def remember_grid(out_dir: Path, key: tuple[str, str], grid) -> None:
    """Keep ``grid`` under ``key`` (replacing that grid's record from other inputs)."""
    from analysis.data.store import atomic_write

    which, inputs = key
    record = {
        "inputs": inputs,
        "runs": [[p.region, p.period, p.lang, str(p.data_path or "")] for p in grid.runs],
        "invalid": list(grid.invalid),
    }
    text = json.dumps(record, ensure_ascii=False, indent=0) + "\n"
    path = cache_file(out_dir, f"grid-{which}")
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), what="grid record")


def index_key(out_dir: Path) -> str:
    """What ``index.html`` of a folder is made from: its reports' sidecars and the library
    (names, labels, templates, the font)."""
    sidecars = [p for p in out_dir.glob("*.json") if p.is_file()]
    library = _digest(_library_files(), root=Path(__file__).resolve().parents[2])
    return _digest(sidecars, root=out_dir) + library


def index_up_to_date(out_dir: Path, key: str) -> bool:
    """Whether ``index.html`` is the one written from inputs with this ``key``, unchanged."""
    record = cached(out_dir, "index")
    try:
        stat = (out_dir / "index.html").stat()
    except OSError:
        return False
    return record.get("key") == key and [stat.st_size, stat.st_mtime_ns] == record.get("stat")


def remember_index(out_dir: Path, key: str) -> None:
    from analysis.data.store import atomic_write

    stat = (out_dir / "index.html").stat()
    text = json.dumps({"key": key, "stat": [stat.st_size, stat.st_mtime_ns]}) + "\n"
    atomic_write(cache_file(out_dir, "index"), lambda tmp: tmp.write_text(text))


def cache_file(out_dir: Path, name: str) -> Path:
    return out_dir / CACHE_DIR / f"{name}.json"


def cached(out_dir: Path, name: str) -> dict:
    try:
        return json.loads(cache_file(out_dir, name).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def known_failure(out_dir: Path, name: str, key: str) -> dict | None:
    """The failure of the last run, if it had this key and a cell raised an error.

    An error raised in a cell fails again with the same inputs, so the run is not redone;
    a timeout or a dead kernel may not (a busy machine), so those runs are always redone.
    """
    record = cached(out_dir, name)
    failed = record.get("failed")
    executed = out_dir / "executed" / f"{name}.ipynb"
    if record.get("key") == key and failed and executed.exists():
        return failed
    return None


def up_to_date(out_dir: Path, name: str, key: str) -> bool:
    """Whether the run's report exists, unchanged, from a run with this key."""
    record = cached(out_dir, name)
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
