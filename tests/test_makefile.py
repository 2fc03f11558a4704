"""The Makefile's own logic: the incremental data step and ``make lab``'s command line.

The data step is run against a stand-in ``halfyear`` in a scratch copy of the project's
layout, so the test sees exactly when make decides to clean again.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def _variable(name: str) -> str:
    """A ``NAME := ...`` variable of the Makefile, continuation lines joined."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(rf"^{name}\s*:=(.*)$", text, re.MULTILINE)
    assert match, f"{name} is not set in the Makefile"
    return match[1]


def _expand(words: str, root: Path) -> set[Path]:
    """Paths of Makefile words, ``$(wildcard ...)`` expanded against ``root``."""
    found = set()
    for word in re.sub(r"\$\(wildcard ([^)]*)\)", r"\1", words).split():
        found |= {Path(p).resolve() for p in glob.glob(str(root / word))}
    return found


def test_clean_inputs_name_every_module_the_clean_step_imports():
    code = (
        "import sys\n"
        "from analysis import cli\n"
        "from analysis.data import pipeline, reading\n"
        "print('\\n'.join(sorted(m.__file__ for n, m in sys.modules.items()\n"
        "    if n == 'analysis' or n.startswith('analysis.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    imported = {Path(line).resolve() for line in done.stdout.split()}
    listed = _expand(_variable("CLEAN_CODE"), ROOT)
    assert imported, "nothing imported?"
    assert imported <= listed, f"not in CLEAN_CODE: {sorted(map(str, imported - listed))}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project: the Makefile, stand-ins for the inputs, an installed .venv
    whose ``halfyear`` records each call and writes the manifest."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for word in re.sub(r"\$\(wildcard ([^)]*)\)", r"\1", _variable("CLEAN_CODE")).split():
        path = tmp_path / word.replace("*", "x")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# stand-in\n")
    for name in ("data/raw/a.csv", "data/raw/a.meta.json", "analysis/reference/regions.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    (tmp_path / "data/processed").mkdir(parents=True)
    (tmp_path / "requirements").mkdir()
    for name in ("requirements/runtime.lock", "pyproject.toml"):
        (tmp_path / name).write_text("\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    halfyear = bin_dir / "halfyear"
    halfyear.write_text(
        "#!/bin/sh\necho \"$@\" >> calls.log\necho '{}' > data/processed/manifest.json\n"
    )
    halfyear.chmod(0o755)
    # every input older than the installed environment, which is older than now
    for path in tmp_path.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    (tmp_path / ".venv" / ".runtime").touch()
    os.utime(tmp_path / ".venv" / ".runtime", (1_000_000_100, 1_000_000_100))
    return tmp_path


def _make_data(project: Path) -> int:
    """Run ``make data`` in the scratch project; how many times it cleaned so far.

    All times stay in the past (a clean's output is dated just after its newest input),
    so that the test does not depend on the clock's resolution.
    """
    log = project / "calls.log"
    before = len(log.read_text().splitlines()) if log.exists() else 0
    subprocess.run(
        [MAKE, "--no-print-directory", "data"],
        cwd=project,
        check=True,
        capture_output=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    after = len(log.read_text().splitlines()) if log.exists() else 0
    if after > before:
        newest = max(
            p.stat().st_mtime
            for p in project.rglob("*")
            if p.name not in ("manifest.json", "calls.log") and ".venv" not in p.parts
        )
        os.utime(project / "data/processed/manifest.json", (newest + 10, newest + 10))
    return after


def _later(project: Path, *names: str) -> None:
    """Date these paths after the last clean (still in the past)."""
    stamp = (project / "data/processed/manifest.json").stat().st_mtime + 5
    for name in names:
        os.utime(project / name, (stamp, stamp))


def test_make_data_cleans_only_when_an_input_changed(project: Path):
    assert _make_data(project) == 1  # nothing processed yet
    assert _make_data(project) == 1  # nothing changed: nothing runs
    assert _make_data(project) == 1

    _later(project, "data/raw/a.csv")  # a raw file edited
    assert _make_data(project) == 2
    assert _make_data(project) == 2

    (project / "data/raw/b.csv").write_text("y\n")  # a raw file added
    _later(project, "data/raw/b.csv", "data/raw")
    assert _make_data(project) == 3
    assert _make_data(project) == 3

    (project / "data/raw/b.csv").unlink()  # a raw file removed: only its folder changed
    _later(project, "data/raw")
    assert _make_data(project) == 4

    _later(project, "analysis/reference/regions.csv")  # a reference table
    assert _make_data(project) == 5

    _later(project, "analysis/data/x.py")  # the cleaning code
    assert _make_data(project) == 6
    assert _make_data(project) == 6

    (project / "data/processed/manifest.json").unlink()  # make clean
    assert _make_data(project) == 7
    assert _make_data(project) == 7


def _lab_command(**env: str) -> str:
    """The shell line ``make lab`` runs (dry run), with ``jupyter`` replaced by ``echo``."""
    done = subprocess.run(
        [MAKE, "--no-print-directory", "-n", "lab", *[f"{k}={v}" for k, v in env.items()]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if "jupyter lab" in x)
    return line.replace(".venv/bin/jupyter", "echo")


def test_make_lab_passes_lab_args_and_allows_root_only_for_root():
    line = _lab_command(LAB_ARGS="--port 8899 --no-browser")
    shown = subprocess.run(
        ["bash", "-c", line], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown[:2] == ["lab", "notebooks"]
    assert shown[-3:] == ["--port", "8899", "--no-browser"]
    assert ("--allow-root" in shown) == (os.geteuid() == 0)
    runuser = shutil.which("runuser")
    if os.geteuid() == 0 and runuser:  # the same line as an ordinary user
        as_user = subprocess.run(
            [runuser, "-u", "nobody", "--", "bash", "-c", line],
            cwd="/",
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert "--allow-root" not in as_user
        assert as_user[-3:] == ["--port", "8899", "--no-browser"]
