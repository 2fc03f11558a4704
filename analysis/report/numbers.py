"""Numbers as the reports write them, the same in every language.

A published level keeps the decimals its source wrote (253亿元 stays 253, 18.12亿元 stays
18.12: the indicator table's ``value_decimals``); a derived level has one decimal for money
and as few as it needs for counts. Growth has one decimal and a sign, shares one decimal,
every rounding half up as statistical tables round. :func:`in_english` restates a level in
English magnitudes (80.05亿元 = 8.005 bn yuan) without losing a digit. Words around the
numbers (units in English, 个百分点, qualifiers) are in ``analysis.report.texts``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from analysis.data import cleaning

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


def decimals_for(value: float, *, unit: str = "", decimals: float | None = None) -> int:
    """How many decimals a level is written with: as published, else the derived rule.

    Examples
    --------
    >>> decimals_for(253.0, unit="亿元", decimals=0), decimals_for(13.8356, unit="亿元")
    (0, 1)
    >>> decimals_for(1.11, unit="万家"), decimals_for(5688.0, unit="套")
    (2, 0)
    """
    if not missing(decimals):
        return max(0, int(decimals))
    if unit in MONEY_UNITS:
        return 1
    if float(value).is_integer():
        return 0
    return len(f"{value:.2f}".rstrip("0").partition(".")[2])


def format_number(value: float, *, unit: str = "", decimals: float | None = None) -> str:
    """A level's number as Chinese reports write it: as published, else derived.

    With ``decimals`` (the source's), the number keeps them; a derived number has one
    decimal for money and as few as it needs (at most two) for counts.

    Examples
    --------
    >>> format_number(253, unit="亿元", decimals=0), format_number(18.12, unit="亿元", decimals=2)
    ('253', '18.12')
    >>> format_number(323.3, unit="亿元"), format_number(13.8356, unit="亿元")
    ('323.3', '13.8')
    >>> format_number(21342, unit="元"), format_number(1.11, unit="万家"), format_number(5688)
    ('21342', '1.11', '5688')
    """
    return rounded(value, decimals_for(value, unit=unit, decimals=decimals))


#: English magnitudes, largest first.
_SCALES = ((Decimal("1e12"), "tn"), (Decimal("1e9"), "bn"), (Decimal("1e6"), "m"))


@cache
def _english_unit_names() -> dict[str, str]:
    """English names of the registry's units (``name_en`` of units.csv)."""
    import csv

    from analysis.config import reference_file

    with open(reference_file("units.csv"), encoding="utf-8", newline="") as handle:
        return {row["unit"]: row["name_en"] for row in csv.DictReader(handle)}


def _root(unit: str) -> tuple[str, Decimal]:
    """A unit as a root unit of the registry and the factor to it (亿美元: 美元, 1e8)."""
    if cleaning.unit_dimension(unit) == "money":
        return "元", Decimal(repr(cleaning.convert_unit(1.0, from_unit=unit, to_unit="元")))
    for prefix, factor in sorted(cleaning.MAGNITUDES.items(), key=lambda kv: -len(kv[0])):
        root = unit.removeprefix(prefix)
        if root != unit and root in _english_unit_names():
            return root, Decimal(factor)
    return unit, Decimal(1)


def in_english(value: float, unit: str, *, decimals: float | None = None) -> tuple[str, str]:
    """A level restated in English magnitudes: the number and the unit's English word.

    The quantity is the same and no digit the Chinese edition shows is lost: 80.05亿元 is
    8.005 bn yuan, 22万件 is 220,000, 5.2亿美元 is 520 m US dollars. Money is in yuan with
    m, bn or tn; counts have no word (the indicator's name says what is counted).

    Examples
    --------
    >>> in_english(80.05, "亿元", decimals=2), in_english(323.3, "亿元")
    (('8.005 bn', 'yuan'), ('32.33 bn', 'yuan'))
    >>> in_english(22, "万件", decimals=0), in_english(5.2, "亿美元", decimals=1)
    (('220,000', ''), ('520 m', 'US dollars'))
    >>> in_english(73, "%"), in_english(12.5, "万吨", decimals=1)
    (('73', '%'), ('125,000', 'tonnes'))
    """
    shown = decimals_for(value, unit=unit, decimals=decimals)
    try:
        dimension = cleaning.unit_dimension(unit)
    except cleaning.CleaningError:
        return rounded(value, shown), unit
    if dimension in ("percent", "points", "permille", "rank", "relation"):
        word = {"percent": "%", "points": "points", "permille": "‰"}.get(dimension, "")
        return rounded(value, shown), word
    root, factor = _root(unit)
    quantity = Decimal(repr(float(value))) * factor
    places = shown - (factor.adjusted())  # decimals of the quantity in the root unit
    scale, suffix = next(((s, w) for s, w in _SCALES if abs(quantity) >= s), (Decimal(1), ""))
    places += scale.adjusted()
    number = (quantity / scale).quantize(Decimal(1).scaleb(-max(0, places)), ROUND_HALF_UP)
    text = f"{number:,f}" + (f" {suffix}" if suffix else "")
    word = "" if dimension.startswith("count") else _english_unit_names().get(root, root)
    return text, word


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
