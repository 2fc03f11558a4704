"""Numbers as the reports write them, the same in every language.

Money with one decimal (亿元), counts whole, growth with one decimal and a sign, shares with
one decimal, every rounding half up as statistical tables round. Words around the numbers
(units in English, 个百分点, qualifiers) are in ``analysis.report.texts``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MONEY_UNITS = ("亿元", "万元", "万亿元", "千元", "百万元", "十亿元")
NONE = "—"


def missing(value: object) -> bool:
    """Whether a value is a gap (None or NaN).

    Examples
    --------
    >>> missing(None), missing(float("nan")), missing(0.0)
    (True, True, False)
    """
    return value is None or (isinstance(value, float) and math.isnan(value))


def rounded(value: float, places: int = 1) -> str:
    """A number rounded half up, as statistical tables round (80.05 -> '80.1').

    Examples
    --------
    >>> rounded(80.05), rounded(8.0), rounded(-1.55), rounded(18.12, 2)
    ('80.1', '8.0', '-1.6', '18.12')
    """
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def format_number(value: float, *, unit: str = "") -> str:
    """A number as Chinese reports write it: money with one decimal, counts whole.

    Examples
    --------
    >>> format_number(323.3, unit="亿元"), format_number(253, unit="亿元")
    ('323.3', '253.0')
    >>> format_number(21342, unit="元"), format_number(1.11, unit="万家"), format_number(5688)
    ('21342', '1.11', '5688')
    """
    if unit in MONEY_UNITS:
        return rounded(value)
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_growth(value: float | None) -> str:
    """Growth with a sign and one decimal: '+8.0%'; a gap is '—'.

    Examples
    --------
    >>> format_growth(8), format_growth(-1.55), format_growth(float("nan"))
    ('+8.0%', '-1.6%', '—')
    """
    if missing(value):
        return NONE
    text = rounded(value)
    return f"{text}%" if text.startswith("-") else f"+{text}%"


def signed(value: float) -> str:
    """A difference with a sign and one decimal: '+1.0', '-0.3'.

    Examples
    --------
    >>> signed(1), signed(-0.25)
    ('+1.0', '-0.3')
    """
    text = rounded(value)
    return text if text.startswith("-") else f"+{text}"


def format_percent(value: float | None) -> str:
    """A share or completion rate with one decimal: '51.0%'.

    Examples
    --------
    >>> format_percent(51), format_percent(float("nan"))
    ('51.0%', '—')
    """
    if missing(value):
        return NONE
    return f"{rounded(value)}%"
