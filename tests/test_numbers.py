"""Levels as both editions write them: the published digits kept, the same quantity stated.

For every unit of the unit registry (``analysis/reference/units.csv``, prefixed forms such
as 万吨 and 亿美元 included), the Chinese and the English edition must state the same
quantity, and the English one must not be less precise: 80.05亿元 is 8.005 bn yuan, never
8.00 bn.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest

from analysis.config import reference_file
from analysis.data import cleaning
from analysis.report.texts import format_value

with open(reference_file("units.csv"), encoding="utf-8", newline="") as handle:
    _ROWS = list(csv.DictReader(handle))
#: The registry's units by English name (the root an English level is stated in).
BY_ENGLISH = {row["name_en"]: row["unit"] for row in _ROWS}
UNITS = [
    u for u in cleaning.known_units() if cleaning.unit_dimension(u) not in ("rank", "relation")
]
SAMPLES = [
    (80.05, 2),
    (18.12, 2),
    (253.0, 0),
    (323.3, 1),
    (1.11, 2),
    (0.35, 2),
    (5688.0, 0),
    (12.5, 1),
    (398000.0, -3),
    (13.835616, None),  # a derived level: no published decimals
]
_ENGLISH = re.compile(
    r"^(?P<number>-?[\d,]+(?:\.\d+)?)(?: (?P<scale>tn|bn|m)(?= |$))?(?P<word>.*)$"
)  # fmt: skip
_SCALE = {"tn": Decimal("1e12"), "bn": Decimal("1e9"), "m": Decimal("1e6"), None: Decimal(1)}


def _half_digit(number: str) -> Decimal:
    """Half a unit of the last digit a number is written with."""
    return Decimal("0.5").scaleb(-len(number.partition(".")[2]))


def _factor(unit: str, root: str) -> Decimal:
    return Decimal(repr(cleaning.convert_unit(1.0, from_unit=unit, to_unit=root)))


def chinese_quantity(text: str, root: str) -> tuple[Decimal, Decimal]:
    """The quantity a Chinese level states, in ``root`` units, and its rounding."""
    quantity = cleaning.parse_quantity(text)
    number = re.search(r"-?\d+(?:\.\d+)?", text).group(0)
    factor = _factor(quantity.unit, root)
    return Decimal(number) * factor, _half_digit(number) * factor


def english_quantity(text: str) -> tuple[Decimal, Decimal, str]:
    """The quantity an English level states, its rounding, and the unit word it names."""
    match = _ENGLISH.match(text)
    assert match, f"cannot read the English level {text!r}"
    number = match.group("number").replace(",", "")
    scale = _SCALE[match.group("scale")]
    return Decimal(number) * scale, _half_digit(number) * scale, match.group("word").strip()


def _root(unit: str, word: str) -> str:
    """The unit an English level is stated in: its word's unit, or a count's base."""
    dimension = cleaning.unit_dimension(unit)
    if word in ("%", "‰", "points"):
        return unit
    if dimension.startswith("count:"):
        assert word == "", f"a count is written without a unit word, not {word!r}"
        return dimension.removeprefix("count:")
    assert word in BY_ENGLISH, f"{word!r} is not the English name of a registry unit"
    return BY_ENGLISH[word]


@pytest.mark.parametrize("unit", UNITS)
def test_both_editions_state_the_same_quantity_in_every_unit(unit):
    for value, decimals in SAMPLES:
        zh = format_value(value, unit, lang="zh", decimals=decimals)
        en = format_value(value, unit, lang="en", decimals=decimals)
        if en.endswith(("%", "‰")):
            en = en[:-1] + " " + en[-1]
        amount, rounding, word = english_quantity(en)
        root = _root(unit, word)
        stated, zh_rounding = chinese_quantity(zh, root)
        assert abs(stated - amount) <= rounding + zh_rounding, (unit, zh, en)
        assert rounding <= zh_rounding, f"{en!r} is less precise than {zh!r}"


def test_published_digits_are_kept():
    assert format_value(18.12, "亿元", lang="zh", decimals=2) == "18.12亿元"
    assert format_value(253.0, "亿元", lang="zh", decimals=0) == "253亿元"
    assert format_value(80.05, "亿元", lang="en", decimals=2) == "8.005 bn yuan"
    # a derived level (the spending implied by a share) has one decimal
    assert format_value(13.835616, "亿元", lang="zh") == "13.8亿元"
    assert format_value(13.835616, "亿元", lang="en") == "1.38 bn yuan"
