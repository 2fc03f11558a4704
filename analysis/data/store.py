"""Files the package writes: the processed folder as one set, and tables safe in a spreadsheet.

**The processed folder** (``data/processed``) holds ``figures.parquet``, ``rejects.csv``,
``reconciliation.csv`` and ``manifest.json``: four views of one cleaning run that must
agree. :func:`staged` writes them as a set: into a staging folder first, then one
``rename(2)`` makes the new set current. A run killed at any point, a full disk or a
folder that cannot be written leaves the previous set whole (a write that fails says so in
one line). The four names are symbolic links into ``current``, itself a link to the set's
folder under ``.generations/``; a folder of plain files (an older layout) is taken over
without a moment in which its files disagree.

:func:`load_figures` reads the table back and checks it: that it is a table at all, that
it has the columns and types the package writes, and that it is the table its manifest
describes (by SHA-256). Any failure is one line naming the file and what to do.

**Tables for people** (rejects, the reconciliation, review files) are opened in Excel or
WPS. :func:`write_csv` and :func:`write_xlsx` neutralise text that a spreadsheet would run
as a formula (a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
other than a plain number): CSV cells get a leading apostrophe, XLSX cells are stored as
text with Excel's quote prefix. :func:`unescape` undoes the apostrophe when such a file is
read back, so a review file round-trips unchanged.

**A report's files** (its HTML, its sidecar, its executed notebook) are written into a
staging folder beside them (:func:`stage_folder`) and renamed into place together once
all are complete (:func:`replace_together`). A full disk, a failed write or a kill while
they are written leaves the previous files of that report as they were; the staging
folder records the renames before the first one, so that a kill among the renames is
finished by the next command that uses the folder (:func:`recover`): the report is then
the new one, whole.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from analysis.errors import HalfyearError

__all__ = [
    "FILES",
    "TYPES",
    "ProcessedDataError",
    "WriteError",
    "atomic_write",
    "check_table",
    "load_figures",
    "neutralize",
    "read_csv",
    "read_manifest",
    "recover",
    "replace_together",
    "stage_folder",
    "staged",
    "unescape",
    "writable_folder",
    "write_csv",
    "write_xlsx",
]

#: The files of the processed folder, written and replaced together.
FILES = ("figures.parquet", "rejects.csv", "reconciliation.csv", "manifest.json")

#: The processed table's columns, in order, and their types ('str' for text).
TYPES: dict[str, str] = {
    "region": "str", "region_zh": "str", "period": "str", "year": "int64",
    "start_month": "int64", "end_month": "int64", "indicator": "str", "indicator_zh": "str",
    "catalogued": "bool", "kind": "str", "value": "float64", "unit": "str",
    "yoy_pct": "float64", "plan_pct": "float64", "qualifier": "str", "is_target": "bool",
    "peer_group": "str", "vintage": "str", "release": "int64", "value_rounding": "float64",
    "yoy_rounding": "float64", "value_decimals": "float64", "stated": "str",
    "value_conflict": "str", "yoy_pct_conflict": "str", "plan_pct_conflict": "str",
    "flag": "str", "source_file": "str", "source_line": "int64", "source_column": "str",
    "source_url": "str", "note": "str",
}  # fmt: skip

_GENERATIONS = ".generations"
_CURRENT = "current"
_LOCK = ".lock"
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


class WriteError(HalfyearError):
    """A file or folder the package could not write (the previous files are kept)."""


class ProcessedDataError(HalfyearError):
    """A processed table that cannot be used: missing, unreadable, of another shape, or not
    the one its manifest describes."""


# --- single files -------------------------------------------------------------------------


def _why(err: OSError) -> str:
    """An OS error in a few words: 'No space left on device'."""
    return err.strerror or str(err)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, write: Callable[[Path], object], *, what: str = "") -> Path:
    """Write a file through a temporary file in its folder, renamed over it when complete.

    Parameters
    ----------
    path : str or Path
        The file; its folder is created when missing.
    write : callable
        Called with the temporary file's path; writes the content there.
    what : str, optional
        What the file is, for the message of a failure.

    Raises
    ------
    WriteError
        One line naming the file and the reason (a folder that is a file or read-only, a
        full disk); the file is then as it was.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a" / "b.txt"
    >>> atomic_write(path, lambda tmp: tmp.write_text("done")).read_text()
    'done'
    >>> atomic_write(path / "c.txt", lambda tmp: tmp.write_text("x"))
    Traceback (most recent call last):
    ...
    analysis.data.store.WriteError: cannot write .../b.txt/c.txt: ...
    """
    path = Path(path)
    tmp = None
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        write(tmp)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.chmod(0o666 & ~_umask())  # as a plain write would create it
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        raise WriteError(
            f"cannot write {what + ' ' if what else ''}{path}: {_why(err)}"
            + (f" ({err.filename})" if err.filename and str(err.filename) != str(path) else "")
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return path


_STAGE = ".staging-"
_JOURNAL = "renames.json"


def recover(folder: str | Path) -> None:
    """Finish or drop what processes killed while writing into ``folder`` left there.

    A staging folder of a process that is gone is removed; if it had recorded its renames
    (:func:`replace_together`), the renames not done yet are done first, so that each
    report is either its previous files or its new ones, whole.
    """
    for stage in Path(folder).glob(f"{_STAGE}*"):
        if not stage.is_dir() or _pid_alive(stage.name):
            continue
        with contextlib.suppress(OSError, ValueError, TypeError):
            journal = json.loads((stage / _JOURNAL).read_text(encoding="utf-8"))
            for name, target in journal:
                if (stage / name).is_file():
                    Path(target).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(stage / name, target)
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def stage_folder(folder: str | Path) -> Iterator[Path]:
    """A temporary folder inside ``folder``, removed when the block ends.

    Files written there are renamed into ``folder`` (one file system) with
    :func:`replace_together`. What killed processes left in ``folder`` is finished or
    removed on the way in (:func:`recover`).

    Raises
    ------
    WriteError
        One line naming the folder and the reason.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with stage_folder(out) as stage:
    ...     _ = (stage / "a.txt").write_text("new")
    ...     _ = replace_together([(stage / "a.txt", out / "a.txt")])
    >>> sorted(p.name for p in out.iterdir()), (out / "a.txt").read_text()
    (['a.txt'], 'new')
    """
    folder = Path(folder)
    stage = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        recover(folder)
        stage = Path(tempfile.mkdtemp(dir=folder, prefix=f"{_STAGE}{os.getpid()}-"))
        stage.chmod(0o777 & ~_umask())
    except OSError as err:
        raise WriteError(f"cannot write to {folder}: {_why(err)}") from None
    try:
        yield stage
    finally:
        if not (stage / _JOURNAL).exists():  # else renames to finish: left to recover()
            shutil.rmtree(stage, ignore_errors=True)


def replace_together(moves: list[tuple[Path, Path]]) -> list[Path]:
    """Rename complete files of one staging folder over their targets.

    Each ``(written, target)``: ``written`` is a finished file in a :func:`stage_folder`
    (the target's file system). All are made durable, then the renames are recorded in
    the staging folder, then done: a full disk or a failing write comes before any target
    changes (the renames take no space), and renames a kill interrupted are finished by
    :func:`recover`.

    Raises
    ------
    WriteError
        One line naming the file and the reason; when it comes before the renames, every
        target keeps its previous content.
    """
    moves = [(Path(w), Path(t)) for w, t in moves]
    stages = {w.parent for w, _ in moves}
    if len(stages) != 1:
        raise ValueError("the files replaced together come from one staging folder")
    stage = stages.pop()
    try:
        for written, target in moves:
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
            with written.open("rb+") as handle:
                os.fsync(handle.fileno())
            written.chmod(0o666 & ~_umask())  # as a plain write would create it
        journal = [[w.name, os.path.abspath(t)] for w, t in moves]
        atomic_write(stage / _JOURNAL, lambda tmp: tmp.write_text(json.dumps(journal)))
        _fsync_dir(stage)
    except (OSError, WriteError) as err:
        why = _why(err) if isinstance(err, OSError) else str(err)
        where = f" ({err.filename})" if isinstance(err, OSError) and err.filename else ""
        raise WriteError(f"cannot write {moves[0][1]}: {why}{where}") from None
    done = []
    for written, target in moves:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(written, target)
        except OSError as err:
            raise WriteError(
                f"cannot write {target}: {_why(err)}; the next command writing in "
                f"{stage.parent} finishes the replacement"
            ) from None
        done.append(target)
    for parent in {t.parent for t in done}:
        _fsync_dir(parent)
    with contextlib.suppress(OSError):  # else recover() finds nothing left to rename
        (stage / _JOURNAL).unlink(missing_ok=True)
    return done


def writable_folder(folder: str | Path, *, what: str = "output folder") -> Path:
    """Create a folder if needed and check that files can be written in it, before any
    work that would write there starts.

    Raises
    ------
    WriteError
        One line: the folder and why (a file in the way, no rights, a full disk).

    Examples
    --------
    >>> import tempfile
    >>> blocker = Path(tempfile.mkdtemp()) / "f"
    >>> _ = blocker.write_text("x")
    >>> writable_folder(blocker)
    Traceback (most recent call last):
    ...
    analysis.data.store.WriteError: cannot write to the output folder .../f: ...
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        reason = "it is a file, not a folder" if folder.is_file() else _why(err)
        raise WriteError(f"cannot write to the {what} {folder}: {reason}") from None
    return folder


# --- spreadsheets -------------------------------------------------------------------------


def neutralize(value: object) -> object:
    """A text cell as a spreadsheet shows it without running it: a leading apostrophe
    before ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (plain numbers stay).

    Examples
    --------
    >>> neutralize("=HYPERLINK(1)"), neutralize("@SUM(1)"), neutralize("-1+2")
    ("'=HYPERLINK(1)", "'@SUM(1)", "'-1+2")
    >>> neutralize("-3.5"), neutralize("+8%"), neutralize("二七区"), neutralize(3)
    ('-3.5', '+8%', '二七区', 3)
    """
    if (
        isinstance(value, str)
        and value.startswith(_TRIGGERS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def unescape(value: str) -> str:
    """Undo :func:`neutralize` on a cell read back from a CSV file.

    Examples
    --------
    >>> unescape("'=1+2"), unescape("'plain"), unescape("=1")
    ('=1+2', "'plain", '=1')
    """
    if value.startswith("'") and value[1:].startswith(_TRIGGERS):
        return value[1:]
    return value


def write_csv(frame, path: str | Path, *, encoding: str = "utf-8", what: str = "") -> Path:
    """Write a table as CSV, text neutralised against formulas, atomically.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"a": ["=1+2", "-3"]}), path).read_bytes()
    b"a\\r\\n'=1+2\\r\\n-3\\r\\n"
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype).startswith("str"):
            safe[column] = safe[column].map(neutralize)
    safe.columns = [neutralize(c) for c in safe.columns]
    # CRLF line ends (RFC 4180): a field holding a carriage return is quoted as well
    return atomic_write(
        path,
        lambda tmp: safe.to_csv(tmp, index=False, encoding=encoding, lineterminator="\r\n"),
        what=what,
    )


def read_csv(path: str | Path):
    """Read a CSV written by :func:`write_csv` back as text, as it was before neutralising.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> path = write_csv(pd.DataFrame({"a": ["=1+2"]}), Path(tempfile.mkdtemp()) / "t.csv")
    >>> read_csv(path)["a"].tolist()
    ['=1+2']
    """
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [unescape(str(c)) for c in frame.columns]
    return frame.map(unescape)


def write_xlsx(frame, path: str | Path, *, sheet: str = "Sheet1", what: str = "") -> Path:
    """Write a table as an XLSX workbook: every text cell stored as text (a cell that would
    start a formula gets Excel's quote prefix, shown as typed), atomically.

    Examples
    --------
    >>> import openpyxl, pandas as pd, tempfile
    >>> path = write_xlsx(pd.DataFrame({"a": ["=1+2", "x"], "n": [1.5, None]}),
    ...                   Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> cell = openpyxl.load_workbook(path).active["A2"]
    >>> cell.value, cell.data_type, cell.quotePrefix
    ('=1+2', 's', True)
    """
    import math

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for col, name in enumerate(frame.columns, 1):
        _text_cell(ws.cell(row=1, column=col), str(name))
    for r, values in enumerate(frame.itertuples(index=False, name=None), 2):
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=col)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, str):
                _text_cell(cell, value)
            else:
                cell.value = value
    return atomic_write(path, lambda tmp: book.save(tmp), what=what)


def _text_cell(cell, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever it starts with
    if text.startswith(_TRIGGERS):
        cell.quotePrefix = True


# --- the processed folder as a set --------------------------------------------------------


def _folder_problem(directory: Path) -> str:
    """Why the processed files cannot be put in ``directory`` ('' when they can)."""
    for name in FILES:
        path = directory / name
        if path.is_dir() and not path.is_symlink():
            return f"{path} is a folder; remove or rename it (it is where {name} goes)"
    return ""


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with (directory / _LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _replace_link(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target`` in one step (rename over it)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _adopt_plain_files(directory: Path, generations: Path) -> None:
    """Take over a folder of plain processed files (the layout before generations).

    Their content becomes a generation and each name becomes a link to it, one at a time,
    each link to the same content as the file it replaces: at no moment do they disagree.
    """
    plain = [n for n in FILES if (directory / n).is_file() and not (directory / n).is_symlink()]
    if not plain:
        return
    old = generations / f"adopted-{time.time_ns()}"
    old.mkdir()
    for name in plain:
        try:
            os.link(directory / name, old / name)
        except OSError:
            shutil.copy2(directory / name, old / name)
    _fsync_dir(old)
    if not (directory / _CURRENT).is_symlink():
        _replace_link(directory / _CURRENT, f"{_GENERATIONS}/{old.name}")
    for name in plain:
        _replace_link(directory / name, f"{_CURRENT}/{name}")


def _remove_others(generations: Path, keep: str) -> None:
    """Remove every generation but ``keep``, and staging folders of runs that ended."""
    for path in generations.iterdir():
        if path.name == keep:
            continue
        if path.name.startswith(".staging-") and _pid_alive(path.name):
            continue  # another run still at work
        shutil.rmtree(path, ignore_errors=True)


def _pid_alive(name: str) -> bool:
    try:
        pid = int(name.split("-")[1])
    except (IndexError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextlib.contextmanager
def staged(directory: str | Path) -> Iterator[Path]:
    """A staging folder for a new set of processed files, made current when the block ends.

    Write every file of :data:`FILES` into the folder yielded; when the block ends without
    an exception the set replaces the previous one in a single rename. An exception in the
    block, a kill or a full disk leaves the previous set in place.

    Raises
    ------
    WriteError
        When the folder cannot be created or written (one line: the folder, the reason,
        and that the previous files are kept).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with staged(out) as stage:
    ...     for name in FILES:
    ...         _ = (stage / name).write_text(name)
    >>> (out / "rejects.csv").read_text(), (out / "rejects.csv").is_symlink()
    ('rejects.csv', True)
    """
    directory = Path(directory)
    problem = _folder_problem(directory)
    if problem:
        raise WriteError(f"cannot write the processed files: {problem}")
    stage = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        generations = directory / _GENERATIONS
        generations.mkdir(exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=generations, prefix=f".staging-{os.getpid()}-"))
        stage.chmod(0o777 & ~_umask())
        yield stage
        missing = [n for n in FILES if not (stage / n).is_file()]
        if missing:
            raise RuntimeError(f"staged set without {missing}")  # a defect, not the user's
        for name in FILES:
            with (stage / name).open("rb+") as handle:
                os.fsync(handle.fileno())
        _fsync_dir(stage)
        with _locked(directory):
            _adopt_plain_files(directory, generations)
            final = (
                generations / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{stage.name[-8:]}"
            )
            os.rename(stage, final)
            stage = None
            _fsync_dir(generations)
            for name in FILES:  # links first (dangling on a first run), then one switch
                if not (directory / name).is_symlink():
                    _replace_link(directory / name, f"{_CURRENT}/{name}")
            _replace_link(directory / _CURRENT, f"{_GENERATIONS}/{final.name}")
            _fsync_dir(directory)
            _remove_others(generations, final.name)
    except OSError as err:
        where = err.filename if err.filename else directory
        raise WriteError(
            f"cannot write the processed files to {directory}: {_why(err)} ({where}); "
            "the previous files there are kept"
        ) from None
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


# --- reading the processed folder back -----------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(table: str | Path) -> dict:
    """The manifest beside a processed table ({} when there is none).

    Raises
    ------
    ProcessedDataError
        For a manifest that is not a JSON object.
    """
    path = Path(table).resolve().with_name("manifest.json")
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ProcessedDataError(
            f"{Path(table).with_name('manifest.json')}: not a readable manifest ({err}); "
            "run `halfyear clean` (make data) to write the processed files again"
        ) from None
    if not isinstance(manifest, dict):
        raise ProcessedDataError(
            f"{Path(table).with_name('manifest.json')}: not a manifest (a JSON object); "
            "run `halfyear clean` (make data)"
        )
    return manifest


def check_table(frame, *, file: str) -> None:
    """Check that a frame has the processed table's columns and types.

    Raises
    ------
    ProcessedDataError
        Naming the file and the columns missing, unknown or of the wrong type.

    Examples
    --------
    >>> import pandas as pd
    >>> check_table(pd.DataFrame({"region": ["erqi"]}), file="t.parquet")
    Traceback (most recent call last):
    ...
    analysis.data.store.ProcessedDataError: t.parquet: not the processed table: missing ...
    """
    import pandas as pd

    problems = []
    missing = [c for c in TYPES if c not in frame.columns]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    extra = [str(c) for c in frame.columns if c not in TYPES]
    if extra:
        problems.append(f"unknown column(s) {', '.join(extra)}")
    for column, kind in TYPES.items():
        if column not in frame.columns:
            continue
        dtype = frame[column].dtype
        ok = (
            pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)
            if kind == "str"
            else pd.api.types.is_bool_dtype(dtype)
            if kind == "bool"
            else pd.api.types.is_integer_dtype(dtype)
            if kind == "int64"
            else pd.api.types.is_float_dtype(dtype)
        )
        if not ok:
            problems.append(f"column {column} is {dtype}, not {kind}")
    if problems:
        raise ProcessedDataError(
            f"{file}: not the processed table: {'; '.join(problems)}; "
            "run `halfyear clean` (make data) to write it again"
        )


def load_figures(path: str | Path | None = None):
    """Read the processed table (every vintage) and check it before anything uses it.

    Parameters
    ----------
    path : str or Path, optional
        The table; by default ``data/processed/figures.parquet``.

    Raises
    ------
    ProcessedDataError
        One line naming the file: missing (with the command that makes it), not a
        readable Parquet table, without the columns and types the package writes, or
        another table than its manifest describes.

    Examples
    --------
    >>> load_figures("/nonexistent/figures.parquet")
    Traceback (most recent call last):
    ...
    analysis.data.store.ProcessedDataError: /nonexistent/figures.parquet does not exist yet: ...
    """
    import pandas as pd
    import pyarrow as pa

    from analysis.config import paths

    path = Path(path) if path else paths().processed_table
    if not path.exists():
        raise ProcessedDataError(f"{path} does not exist yet: run `make data` (halfyear clean)")
    if path.is_dir():
        raise ProcessedDataError(f"{path} is a folder, not a table: give the figures.parquet file")
    real = path.resolve()  # one generation, even if a clean switches while this reads
    manifest = read_manifest(path)
    try:
        frame = pd.read_parquet(real)
    except (OSError, ValueError, pa.ArrowException) as err:
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        raise ProcessedDataError(
            f"{path}: not a readable Parquet table ({reason}); run `halfyear clean` (make data)"
        ) from None
    check_table(frame, file=str(path))
    expected = manifest.get("outputs", {}).get("figures.parquet")
    if expected is None and manifest.get("figures", len(frame)) != len(frame):
        expected = "(another table)"  # a manifest of the older layout: by its count
    if expected is not None and expected != _sha256(real):
        raise ProcessedDataError(
            f"{path} is not the table its manifest ({path.with_name('manifest.json')}) "
            f"describes: run `halfyear clean` (make data) to write them again together"
        )
    return frame
