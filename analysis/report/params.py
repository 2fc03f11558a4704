"""A report's parameters, its file name and the mimetype of its record (light: imported by
the batch's up-to-date check and the runner without the data and chart stacks;
``reporting`` checks parameters against the data)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The mimetype of the record the report notebook's last cell displays (``Report.show_record``):
#: the runner reads the headline and key numbers back from the executed notebook.
RECORD_MIMETYPE = "application/vnd.halfyear.record+json"


@dataclass(frozen=True)
class ReportParameters:
    """Validated report parameters: region code, canonical period, language, data path.

    ``data_path`` None means the project's processed table.
    """

    region: str
    period: str
    lang: str
    data_path: Path | None


def report_name(params: ReportParameters) -> str:
    """File stem of a report: region, period and language.

    Examples
    --------
    >>> report_name(ReportParameters("erqi", "2019H1", "zh", None))
    'erqi_2019H1_zh'
    """
    return f"{params.region}_{params.period}_{params.lang}"
