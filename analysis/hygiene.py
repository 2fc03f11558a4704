"""Notebook hygiene: committed notebooks hold no outputs and define no functions or classes.

Logic belongs in ``analysis/`` where it is tested; a notebook only calls it. Run as
``python -m analysis.hygiene NOTEBOOK...`` (the pre-commit hook does); exits 1 on a problem.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path


def notebook_problems(path: Path) -> list[str]:
    """Problems of one notebook: outputs, execution counts, ``def``/``class``, bad syntax.

    Examples
    --------
    >>> import tempfile
    >>> nb = {"cells": [{"cell_type": "code", "source": "def f():\\n    pass",
    ...        "outputs": [], "execution_count": 3, "metadata": {}}],
    ...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "x.ipynb"
    ...     _ = p.write_text(json.dumps(nb))
    ...     for problem in notebook_problems(p):
    ...         print(problem)
    x.ipynb cell 1: has an execution count (commit notebooks without outputs)
    x.ipynb cell 1: defines function f (move it to analysis/ and test it there)
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        where = f"{Path(path).name} cell {number}"
        if cell.get("outputs"):
            problems.append(f"{where}: has outputs (commit notebooks without outputs)")
        if cell.get("execution_count") is not None:
            problems.append(f"{where}: has an execution count (commit notebooks without outputs)")
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError as err:
            problems.append(f"{where}: does not parse ({err.msg}, line {err.lineno})")
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                problems.append(
                    f"{where}: defines function {node.name} (move it to analysis/ "
                    "and test it there)"
                )
            elif isinstance(node, ast.ClassDef):
                problems.append(
                    f"{where}: defines class {node.name} (move it to analysis/ and test it there)"
                )
            elif isinstance(node, ast.Lambda):
                problems.append(f"{where}: defines a lambda (move it to analysis/)")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check the notebooks named (default: notebooks/*.ipynb); print problems; 1 if any."""
    from analysis.config import paths

    names = argv if argv is not None else sys.argv[1:]
    files = [Path(n) for n in names] or sorted(paths().notebooks.glob("*.ipynb"))
    problems = [p for f in files for p in notebook_problems(f)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
