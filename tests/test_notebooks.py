"""The report notebook: hygiene, papermill runs checked against the library, the HTML."""

import json
import re

import nbformat
import pytest

from analysis import hygiene
from analysis.config import paths
from analysis.report import reporting, sections
from analysis.report.document import RECORD_MIMETYPE, Report
from analysis.report.render import escape

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


@pytest.fixture(scope="session", params=["zh", "en"])
def report_run(request, processed_path, tmp_path_factory):
    """The default report, executed by papermill and exported, for one language."""
    out = tmp_path_factory.mktemp(f"reports_{request.param}")
    params = reporting.ReportParameters("erqi", "2019H1", request.param, processed_path)
    html = reporting.run_report(params, out_dir=out)
    executed = nbformat.read(out / "executed" / f"{html.stem}.ipynb", as_version=4)
    return params, executed, html


def _shown(executed) -> str:
    return "\n".join(
        o["data"].get("text/html", "")
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o["output_type"] == "display_data"
    )


@pytest.mark.notebook
def test_notebook_outputs_only_sections_and_the_record(report_run):
    _, executed, _ = report_run
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert outputs
    assert {o["output_type"] for o in outputs} == {"display_data"}
    assert all(set(o["data"]) <= {"text/html", "text/plain", RECORD_MIMETYPE} for o in outputs)
    plain = [o["data"]["text/plain"] for o in outputs if "text/plain" in o["data"]]
    assert plain and all(p.startswith("<Section ") for p in plain)
    records = [o for o in outputs if RECORD_MIMETYPE in o["data"]]
    assert len(records) == 1 and records[0] is outputs[-1]  # the last cell, tagged remove
    assert "remove" in executed.cells[-1].metadata.get("tags", [])


@pytest.mark.notebook
def test_notebook_numbers_equal_the_library(report_run):
    params, executed, _ = report_run
    shown = _shown(executed)
    report = Report.load(params.region, params.period, lang=params.lang,
                         data_path=params.data_path)  # fmt: skip
    for _, _, table in sections.block_tables(report.model, params.lang):
        for cell in table.to_numpy().ravel():
            assert str(escape(cell)) in shown, cell
    assert str(escape(sections.judgment_text(report.model, params.lang))) in shown
    due, projected = sections.outlook_sentences(report.model, params.lang)
    for sentence in [*sections.problem_sentences(report.model, params.lang), *due, *projected]:
        assert str(escape(sentence)) in shown, sentence
    assert str(escape(reporting.report_title(params))) in shown
    # the runner reads the headline and key numbers back from the executed notebook
    recorded = reporting.read_record(paths_of(report_run)["executed"])
    assert recorded == json.loads(json.dumps(report.record()))


def paths_of(report_run) -> dict:
    _, _, html = report_run
    return {"executed": html.parent / "executed" / f"{html.stem}.ipynb"}


@pytest.mark.notebook
def test_reader_html(report_run):
    params, _, html = report_run
    text = html.read_text(encoding="utf-8")
    assert html.stat().st_size < 1_500_000
    assert f"<title>{reporting.report_title(params)}</title>" in text
    for key in sections.SECTIONS:
        assert f'id="sec-{key}"' in text and f'href="#sec-{key}"' in text
    gdp = "323.3亿元" if params.lang == "zh" else "32.33 bn yuan"
    assert gdp in text and "+8.0%" in text
    assert "@media print" in text
    # one self-contained file: nothing refers to another host
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", text)
    assert refs and all(r.startswith(("#", "data:")) for r in refs), refs
    assert not re.search(r"url\(\s*['\"]?(?!data:)", text)
    assert "@import" not in text
    assert "<script" not in text.lower()
    # no code, no parameters, no prompts, no warnings or reprs
    for leak in (
        "Report.load",
        "show_record",
        RECORD_MIMETYPE,
        "injected-parameters",
        "data_path",
        "Traceback",
        "Warning",
        "<IPython",
        'class="jp-InputArea',
        "In&nbsp;[",
    ):
        assert leak not in text, leak
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', text)) >= 4
    assert all(alt for alt in re.findall(r'<img [^>]*alt="([^"]*)"', text))


@pytest.mark.notebook
def test_rerun_gives_the_same_file(report_run, tmp_path):
    params, _, html = report_run
    again = reporting.run_report(params, out_dir=tmp_path)
    assert again.read_bytes() == html.read_bytes()


@pytest.mark.notebook
def test_an_analyst_restyles_a_section_and_draws_a_chart_of_their_own(processed_path, tmp_path):
    import papermill

    out = tmp_path / "restyled.ipynb"
    papermill.execute_notebook(
        str(paths().notebooks / "restyle_a_section.ipynb"),
        str(out),
        parameters={"data_path": str(processed_path)},
        kernel_name="python3",
        cwd=str(paths().notebooks),
        progress_bar=False,
        kernel_manager_class="analysis.report.kernels.LocalKernelManager",
    )
    executed = {c.id: c for c in nbformat.read(out, as_version=4).cells}
    table = executed["load"].outputs[0]["data"]["text/html"]
    assert "yoy_pct" in table and "gdp" in table  # the section's numbers, a DataFrame
    for cell in ("report-chart", "restyled", "own-chart"):
        assert any("image/png" in o.get("data", {}) for o in executed[cell].outputs), cell
    streams = [o.get("text", "") for c in executed.values() for o in c.get("outputs", [])]
    assert not any("Glyph" in s or "missing from font" in s for s in streams)
    first = executed["report-chart"].outputs[-1]["data"]["image/png"]
    assert first != executed["restyled"].outputs[-1]["data"]["image/png"]
