"""The report notebook: hygiene, a papermill run checked against the library, the HTML."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis import hygiene, reporting
from analysis.config import paths
from analysis.pipeline import load_figures

NOTEBOOKS = sorted(paths().notebooks.glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(notebook):
    assert hygiene.notebook_problems(notebook) == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_exactly_one_parameters_cell(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1


def test_hygiene_catches_outputs_and_definitions(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("class Helper:\n    pass")]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="hi")]
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, path)
    problems = hygiene.notebook_problems(path)
    assert any("has outputs" in p for p in problems)
    assert any("defines class Helper" in p for p in problems)
    assert hygiene.main([str(path)]) == 1


def _outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.fixture(scope="module", params=["zh", "en"])
def report_run(request, processed_path, tmp_path_factory):
    """The default report, executed by papermill, for one language."""
    out = tmp_path_factory.mktemp(f"reports_{request.param}")
    figures = load_figures(processed_path)
    params = reporting.check_parameters(
        region="erqi",
        period="2019H1",
        lang=request.param,
        figures=figures,
        data_path=processed_path,
    )
    html = reporting.run_report(params, out_dir=out)
    executed = nbformat.read(out / "executed" / f"{html.stem}.ipynb", as_version=4)
    return params, figures, executed, html


@pytest.mark.notebook
def test_notebook_numbers_equal_the_library(report_run):
    params, figures, executed, _ = report_run
    outputs = _outputs(executed)
    assert not [o for o in outputs if o["output_type"] in ("error", "stream")]
    shown = "\n".join(
        o["data"].get("text/html", "") + o["data"].get("text/markdown", "")
        for o in outputs
        if o["output_type"] == "display_data"
    )
    expected = reporting.format_headline(
        reporting.headline_figures(figures, region="erqi", period="2019H1"), lang=params.lang
    )
    assert len(expected) > 30
    for cell in expected.to_numpy().ravel():
        assert cell in shown, cell
    gdp = "323.3亿元</td>\n      <td>+8.0%"
    assert gdp in shown
    assert reporting.report_title(params) in shown
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1


@pytest.mark.notebook
def test_html_has_no_code_and_no_parameters(report_run):
    params, _, _, html = report_run
    text = Path(html).read_text(encoding="utf-8")
    assert reporting.report_title(params) in text
    assert "323.3亿元" in text
    assert re.search(r'<img[^>]+src="data:image/png;base64,', text)
    for leak in (
        "load_figures",
        "check_parameters",
        "injected-parameters",
        "data_path",
        "Traceback",
        '<div class="jp-InputArea',
    ):
        assert leak not in text, leak
