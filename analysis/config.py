"""One place for paths and defaults.

Every path the package uses is derived here from the project root, which is the folder
holding ``pyproject.toml`` above this package (the package is installed editable). Set
``HALFYEAR_ROOT`` to point the package at another copy of the project's folders.
Nothing is read or created at import time.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: The default report: Erqi District, first half of 2019.
DEFAULT_REGION = "erqi"
DEFAULT_PERIOD = "2019H1"
DEFAULT_LANG = "zh"
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Paths:
    """The project's folders and files, all derived from one root.

    Examples
    --------
    >>> p = Paths(Path("/srv/halfyear"))
    >>> p.raw.as_posix(), p.processed_table.name
    ('/srv/halfyear/data/raw', 'figures.parquet')
    """

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def processed_table(self) -> Path:
        return self.processed / "figures.parquet"

    @property
    def rejects(self) -> Path:
        return self.processed / "rejects.csv"

    @property
    def reconciliation(self) -> Path:
        return self.processed / "reconciliation.csv"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def report_notebook(self) -> Path:
        return self.notebooks / "halfyear_report.ipynb"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


def project_root() -> Path:
    """The project root: ``$HALFYEAR_ROOT`` if set, else the folder above the package.

    Examples
    --------
    >>> (project_root() / "pyproject.toml").exists()
    True
    """
    env = os.environ.get("HALFYEAR_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[1]


def paths() -> Paths:
    """The project's paths.

    Examples
    --------
    >>> paths().raw.name
    'raw'
    """
    return Paths(project_root())


def reference_file(name: str) -> Path:
    """Path of a reference table shipped with the package (catalog, regions, units).

    Examples
    --------
    >>> reference_file("indicators.csv").name
    'indicators.csv'
    """
    path = Path(str(resources.files("analysis") / "reference" / name))
    if not path.exists():
        known = sorted(p.name for p in path.parent.glob("*.csv"))
        raise FileNotFoundError(f"no reference table {name!r}; the package ships {known}")
    return path


def git_version(root: Path | None = None) -> str:
    """The project's git commit (with '-dirty' for uncommitted changes), or 'unknown'.

    Examples
    --------
    >>> import re, tempfile
    >>> bool(re.fullmatch(r"[0-9a-f]{12}(-dirty)?", git_version()))  # this checkout's commit
    True
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     git_version(Path(folder))
    'unknown (not a git checkout)'
    """
    root = root or paths().root
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + ("-dirty" if dirty else "")
