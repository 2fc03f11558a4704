"""halfyear: cleaning, indicators and reports for half-year economic situation analysis.

The package is named ``analysis``; its subpackages follow the pipeline's stages: ``data``
(raw files in, cleaning, validation, vintages), ``extract`` (figures out of bulletin
prose), ``compute`` (the arithmetic, the indicator table, rechecks, projections),
``report`` (model, sections, words, charts, templates, the notebook run) and ``batch``
(many reports at once). For analysts, the few names below are enough::

    import analysis

    figures = analysis.load_figures()                         # the processed table
    table = analysis.indicator_table(figures, region="erqi", period="2019H1")
    report = analysis.Report.load("erqi", "2019H1", lang="zh")
    report.compare.data                                       # a section's numbers
    report.compare.draw("growth")                             # its chart, current theme

Importing the package is light (nothing heavy is imported until a name is used). It
registers the CJK font the project ships with matplotlib, as a fallback family, once
matplotlib is in use (``analysis.fonts``): Chinese renders in any chart.
"""

from analysis import fonts as _fonts

__version__ = "0.1.0"

#: The public names, and the module each comes from (imported on first use).
_PUBLIC = {
    "load_figures": "analysis.data.pipeline",
    "indicator_table": "analysis.compute.indicator_table",
    "project": "analysis.compute.projection",
    "load_catalog": "analysis.catalog",
    "Report": "analysis.report.document",
    "ReportModel": "analysis.report.model",
    "load_model": "analysis.report.model",
    "HalfyearError": "analysis.errors",
    "add_cjk_fallback": "analysis.fonts",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    if name in _PUBLIC:
        import importlib

        module = importlib.import_module(_PUBLIC[name])
        value = getattr(module, "load" if name == "load_catalog" else name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


_fonts.install()
