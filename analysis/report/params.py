"""A report's parameters and its file name (light: imported by the batch's up-to-date check
without the data stack; ``reporting`` checks parameters against the data)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
