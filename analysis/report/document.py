"""A report in one language: its model and its sections, as the notebook shows them.

Examples
--------
>>> report = Report.load("二七区", "2019年上半年", lang="en")
>>> report.title
'Erqi: economic situation, 2019 H1'
>>> report.compare.data.set_index("indicator").loc["gdp", ["value", "yoy_pct"]].tolist()
[323.3, 8.0]
>>> report.record()["headline"]
'GDP 32.33 bn yuan, up 8.0%; stable and improving'
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from analysis.report import sections
from analysis.report.model import ReportModel
from analysis.report.params import RECORD_MIMETYPE
from analysis.report.sections import SECTIONS, Section


class Report:
    """One report: a :class:`~analysis.report.model.ReportModel` in one language.

    Each section is an attribute (``report.judgment``, ``report.blocks``, ...): a
    :class:`~analysis.report.sections.Section` with its numbers (``.data``), its charts
    (``.figures``, ``.draw(name)``) and its HTML (shown by JupyterLab).
    """

    def __init__(self, model: ReportModel, lang: str):
        from analysis.report.texts import language

        language(lang)  # an unknown language fails here, with what is available
        self.model, self.lang = model, lang

    @classmethod
    def load(
        cls, region: str, period: str, *, lang: str = "zh", data_path: str | Path | None = None
    ) -> Report:
        """Check the parameters against the processed table, then build the report.

        ``region`` and ``period`` may be codes or names (``二七区``, ``2019年上半年``); a
        parameter the data cannot serve raises ``ParameterError`` saying what is valid.
        """
        from analysis.data.store import load_figures
        from analysis.report.model import load_model
        from analysis.report.reporting import ParameterError, check_parameters

        try:
            figures = load_figures(Path(data_path) if data_path else None)
        except FileNotFoundError as err:
            raise ParameterError(str(err)) from None
        params = check_parameters(
            region=region, period=period, lang=lang, figures=figures, data_path=data_path
        )
        model = load_model(
            params.region, params.period, data_path=params.data_path, figures=figures
        )
        return cls(model, params.lang)

    @property
    def title(self) -> str:
        return sections.title(self.model, self.lang)

    @cached_property
    def header(self) -> Section:
        return sections.header(self.model, self.lang)

    @cached_property
    def judgment(self) -> Section:
        return sections.judgment(self.model, self.lang)

    @cached_property
    def blocks(self) -> Section:
        return sections.blocks(self.model, self.lang)

    @cached_property
    def targets(self) -> Section:
        return sections.targets(self.model, self.lang)

    @cached_property
    def peers(self) -> Section:
        return sections.peers(self.model, self.lang)

    @cached_property
    def problems(self) -> Section:
        return sections.problems(self.model, self.lang)

    @cached_property
    def outlook(self) -> Section:
        return sections.outlook(self.model, self.lang)

    @cached_property
    def compare(self) -> Section:
        return sections.compare(self.model, self.lang)

    @cached_property
    def notes(self) -> Section:
        return sections.notes(self.model, self.lang)

    @cached_property
    def methods(self) -> Section:
        return sections.methods(self.model, self.lang)

    def sections(self) -> list[Section]:
        """The header and every section, in the report's order."""
        return [self.header, *(getattr(self, key) for key in SECTIONS)]

    def html(self, *, charts: bool = True) -> str:
        """Every section's HTML, one after the other (the notebook shows each in a cell)."""
        return "\n".join(s.html(charts=charts) for s in self.sections())

    def record(self) -> dict:
        """The report's headline and key numbers, for the index of reports.

        ``headline`` is the judgment's headline indicator with its level and growth and
        the verdict (``sections.record_headline``); ``verdict`` the verdict's code;
        ``figures`` the level, unit and growth of each headline indicator.
        """
        headline = sections.record_headline(self.model, self.lang)
        values, units = self.model.measures, self.model.units
        figures = {
            code: {
                "value": _number(values.loc[code, "value"]),
                "unit": units[code],
                "yoy_pct": _number(values.loc[code, "yoy_pct"]),
            }
            for code in self.model.headline_codes()
        }
        return {
            "region": self.model.region,
            "period": self.model.period,
            "lang": self.lang,
            "title": self.title,
            "headline": headline,
            "verdict": self.model.assessment.judgment.verdict,
            "figures": figures,
        }

    def show_record(self) -> None:
        """Display :meth:`record` as JSON of its own mimetype (the notebook's last cell)."""
        from IPython.display import display

        display({RECORD_MIMETYPE: self.record()}, raw=True)

    def __repr__(self) -> str:
        return f"<Report {self.model.region} {self.model.period} ({self.lang})>"


def _number(x) -> float | None:
    return None if x != x else float(x)
