"""The report's layers stay apart: numbers in the model, words in texts, markup in templates.

These read the package's source (no report is run), so a shortcut across the layers fails
here with the file and line, before it reaches a reader.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"

#: What computes numbers from figures: only the report model may call it.
COMPUTING = {
    "analysis.data.pipeline",
    "analysis.data.vintages",
    "analysis.data.reading",
    "analysis.compute.indicator_table",
    "analysis.compute.indicators",
    "analysis.compute.projection",
    "analysis.compute.checks",
}
#: Modules that present the model (sections, their charts, markup, words).
PRESENTING = ["report/sections.py", "report/render.py", "report/plots.py", "report/texts"]

#: An HTML tag in a string: <p>, </td>, <img src=...>, <br/> (not a regex's (?P<base>...)).
ELEMENTS = (
    "a|b|base|body|br|code|div|em|figcaption|figure|footer|h[1-6]|head|header|html|i|img|li|"
    "link|meta|nav|ol|p|script|section|small|span|strong|style|sub|sup|svg|table|tbody|td|"
    "th|thead|title|tr|ul"
)
TAG = re.compile(rf"(?<!\?P)</?(?:{ELEMENTS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
#: Playwright takes the PDF's page header and footer as HTML strings, nothing else does.
MARKUP_ALLOWED = {"report/pdf.py"}


def _modules(*parts: str) -> list[Path]:
    out = []
    for part in parts:
        path = PACKAGE / part
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _markup(path: Path) -> list[tuple[int, str]]:
    """Strings outside docstrings that hold a tag, with their line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and TAG.search(node.value)
    ]


@pytest.mark.parametrize("path", _modules(*PRESENTING), ids=lambda p: p.name)
def test_a_presenting_module_never_computes_from_figures(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    crossing = [
        f"{path.name}:{line} imports {name}"
        for line, name in _imports(tree)
        if any(name == m or name.startswith(m + ".") for m in COMPUTING)
    ]
    assert crossing == []


def test_the_model_is_where_the_report_computes():
    tree = ast.parse((PACKAGE / "report" / "model.py").read_text(encoding="utf-8"))
    names = {name for _, name in _imports(tree)}
    assert "analysis.compute.indicator_table.indicator_table" in names
    assert "analysis.compute.projection" in names


def test_no_python_string_holds_markup():
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text[:60]!r}"
        for path in _modules(".")
        if str(path.relative_to(PACKAGE)) not in MARKUP_ALLOWED
        for line, text in _markup(path)
    ]
    assert found == []


def test_the_markup_check_sees_a_tag_built_in_python(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring may show <p>markup</p>."""\n'
        "def cell(x):\n"
        "    return f\"<td class='num'>{x}</td>\"\n",
        encoding="utf-8",
    )
    assert _markup(sample) == [(3, "<td class='num'>"), (3, "</td>")]
