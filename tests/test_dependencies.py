"""Every package the code imports is declared in pyproject.toml, in the right group.

The library and the notebooks import only runtime dependencies, except where a module
imports an extra's package inside the function that needs it (Dask for ``--scheduler``,
Playwright for the browser check and the PDF); tests and benchmarks may also use the extras. And the
locks pin every declared package, each in the lock of its group or in the runtime lock.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Modules of the library that import an extra's package, and the extra.
OPTIONAL_IMPORTS = {
    ("analysis/batch/run.py", "dask"): "cluster",
    ("analysis/batch/worker.py", "dask"): "cluster",
    ("analysis/report/browser.py", "playwright"): "pdf",
    ("analysis/report/pdf.py", "playwright"): "pdf",
}


def _name(requirement: str) -> str:
    """The normalized distribution name of a requirement line."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]).lower()


def _declared() -> dict[str, str]:
    """Declared distributions: name -> group ('runtime' or an extra)."""
    groups = {_name(r): "runtime" for r in PROJECT["project"]["dependencies"]}
    for extra, requirements in PROJECT["project"]["optional-dependencies"].items():
        for requirement in requirements:
            groups.setdefault(_name(requirement), extra)
    return groups


def _imports(path: Path) -> set[str]:
    """Top-level module names a .py file or a notebook imports (absolute imports)."""
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        source = "\n".join(
            cell.source
            for cell in notebook.cells
            if cell.cell_type == "code" and not cell.source.lstrip().startswith(("%", "!"))
        )
    else:
        source = path.read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _third_party(paths) -> dict[tuple[str, str], str]:
    """(file, module) -> distribution, for every third-party import in these files."""
    providers = metadata.packages_distributions()
    own = {"analysis", "benchmarks", "tests", "__future__"}
    out = {}
    for path in paths:
        for module in _imports(path):
            if module in sys.stdlib_module_names or module in own:
                continue
            assert module in providers, f"{path}: imports {module}, which no installed package has"
            out[(str(path.relative_to(ROOT)), module)] = _name(providers[module][0])
    return out


def _files(*folders: str, suffixes=(".py", ".ipynb")) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*") if p.suffix in suffixes)


def test_the_library_and_notebooks_import_only_runtime_dependencies():
    declared = _declared()
    wrong = []
    for (file, module), dist in _third_party(_files("analysis", "notebooks")).items():
        wanted = OPTIONAL_IMPORTS.get((file, module), "runtime")
        if declared.get(dist) != wanted:
            wrong.append(f"{file} imports {module} ({dist}): declared as {declared.get(dist)}")
    assert not wrong, "\n".join(wrong)


def test_tests_and_benchmarks_import_only_declared_packages():
    declared = _declared()
    undeclared = sorted(
        f"{file} imports {module} ({dist})"
        for (file, module), dist in _third_party(_files("tests", "benchmarks")).items()
        if dist not in declared
    )
    assert not undeclared, "\n".join(undeclared)


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{lock}.lock").read_text(encoding="utf-8")
    return {_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9][\w.-]*)==(\S+)", text, re.M)}


@pytest.mark.parametrize("group", ["runtime", "lab", "cluster", "pdf", "dev"])
def test_each_lock_pins_its_groups_packages_with_hashes(group):
    runtime = _pins("runtime")
    pins = runtime if group == "runtime" else {**runtime, **_pins(group)}
    wanted = [name for name, where in _declared().items() if where == group]
    assert wanted
    assert not [name for name in wanted if name not in pins]
    text = (ROOT / "requirements" / f"{group}.lock").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 4)[-1])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)


def test_the_locks_agree_on_every_version():
    seen: dict[str, tuple[str, str]] = {}
    for group in ("runtime", "lab", "cluster", "pdf", "dev"):
        for name, version in _pins(group).items():
            if name in seen:
                assert seen[name][0] == version, f"{name}: {seen[name]} and {group} {version}"
            seen[name] = (version, group)
    build = [_name(r) for r in PROJECT["build-system"]["requires"]]
    assert set(build) <= set(_pins("runtime")), "the build backend is not in runtime.lock"


def test_a_report_imports_no_cleaning_stage(processed_path):
    # a report reads the checked processed table: the cleaning stage and its schema
    # library (pandera) are not imported, so that every report starts faster
    import subprocess

    code = (
        "import sys\nimport analysis\n"
        "report = analysis.Report.load('erqi', '2019H1', lang='zh', "
        f"data_path={str(processed_path)!r})\n"
        "report.html()\n"
        "print(sorted(m for m in ('pandera', 'analysis.data.pipeline', 'analysis.data.validation',"
        " 'analysis.data.reading', 'analysis.extract', 'analysis.batch') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
