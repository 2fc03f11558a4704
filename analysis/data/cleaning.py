"""Numbers, units and wording of Chinese statistical text.

Figures arrive as text such as ``约1.1万个``, ``增长8%以上``, ``回落0.5个百分点``,
``居全市第二`` or ``１２３.４亿元`` (full-width). This module reads them into numbers with
a unit and a qualifier, and converts between units of one dimension.

The unit registry is data: ``analysis/reference/units.csv`` (``unit, dimension, factor,
aliases, name_en, prefixes``), read on first use. A unit's ``prefixes`` are the magnitudes
it is written with (``万|亿`` for 吨 gives 万吨 and 亿吨, with their factors); a factor may be
a fraction (亩 is ``10000/15`` square metres). ``%`` (a rate) and ``个百分点`` (a difference
of rates) are different dimensions and never convert into each other, and neither do units
of different dimensions (万头 and 万只, 吨 and 吨标准煤, 元 and 美元).
"""

from __future__ import annotations

import csv
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import NamedTuple

import pandas as pd

from analysis.errors import HalfyearError

__all__ = [
    "QUALIFIERS",
    "CleaningError",
    "Quantity",
    "chinese_numeral",
    "clean_numeric_column",
    "convert_unit",
    "known_unit_names",
    "known_units",
    "normalize_text",
    "parse_growth",
    "parse_quantity",
    "parse_rank",
    "parse_unit",
    "unit_dimension",
]

#: Qualifiers kept with a figure, exactly as written ("达" is dropped, not kept).
QUALIFIERS = ("约", "近", "以上", "左右", "余", "多", "突破", "超过", "超", "逾", "接近")

_PREFIX_QUALIFIERS = ("接近", "突破", "超过", "约", "近", "超", "逾")  # longest first
_SUFFIX_QUALIFIERS = ("以上", "左右", "余", "多")  # at the end: 8%以上, 20多
_INFIX_QUALIFIERS = ("余", "多")  # inside a unit: 22万余件, 300多亿元
_DROPPED = ("达到", "达")
_GROWTH_UNITS = ("%", "个百分点")
_UP = ("增长", "增加", "上升", "提高", "提升", "回升", "加快", "上涨")
_DOWN = ("下降", "减少", "回落", "降低", "下滑", "放缓", "下跌")
_CONTEXT = re.compile(
    r"^(?:同比|比上年同期|较上年同期|比去年同期|较去年同期|比上年|较上年|比去年|较去年"
    r"|与上年同期|与去年同期|与上年|与去年)?(?:增速|增幅)?"
)
_CN_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_TENS = re.compile(r"([一二三四五六七八九])?十([一二三四五六七八九])?")
_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十]+")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_RANK_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)", re.IGNORECASE)
_RANK_CHINESE = re.compile(r"([\u4e00-\u9fff]*?)第([〇零一二两三四五六七八九十\d]+)[位名]?")


class CleaningError(HalfyearError, ValueError):
    """Text that cannot be read as a number, a unit, a growth rate or a rank."""


@dataclass(frozen=True)
class Quantity:
    """A number read from text, with its canonical unit and its qualifier.

    Attributes
    ----------
    value : float or None
        The number, None when the text was empty.
    unit : str or None
        Canonical unit from ``units.csv``, None when the text stated none.
    qualifier : str or None
        One of :data:`QUALIFIERS` as written (``约``, ``以上`` ...), or None.

    Examples
    --------
    >>> Quantity(323.3, "亿元", None)
    Quantity(value=323.3, unit='亿元', qualifier=None)
    """

    value: float | None
    unit: str | None
    qualifier: str | None


class _Unit(NamedTuple):
    dimension: str
    factor: Decimal
    name_en: str


def _key(text: str) -> str:
    """Lookup key of a unit name or alias: NFKC, no whitespace, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


#: Magnitudes a unit may be written with (its ``prefixes`` in units.csv).
MAGNITUDES = {
    "十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6,
    "千万": 10**7, "亿": 10**8,
}  # fmt: skip


def _factor(text: str) -> Decimal:
    """A factor from units.csv: a decimal (``1e4``) or a fraction (``10000/15``)."""
    top, _, bottom = text.strip().partition("/")
    return Decimal(top) / Decimal(bottom) if bottom else Decimal(top)


def _expanded(rows: list[dict[str, str]]) -> list[tuple[str, _Unit, list[str]]]:
    """Each row as (name, unit, aliases), then its prefixed forms (万吨 from 吨, 万|亿)."""
    out = []
    for row in rows:
        name = row["unit"].strip()
        unit = _Unit(row["dimension"].strip(), _factor(row["factor"]), row["name_en"])
        aliases = [a.strip() for a in (row["aliases"] or "").split("|") if a.strip()]
        out.append((name, unit, aliases))
        for prefix in (p.strip() for p in (row.get("prefixes") or "").split("|")):
            if not prefix:
                continue
            if prefix not in MAGNITUDES:
                raise CleaningError(
                    f"units.csv: prefix {prefix!r} of {name} is not a magnitude "
                    f"({', '.join(MAGNITUDES)})"
                )
            scaled = unit._replace(
                factor=unit.factor * MAGNITUDES[prefix], name_en=f"{prefix} {unit.name_en}"
            )
            out.append((prefix + name, scaled, [prefix + a for a in aliases if not a.isascii()]))
    return out


@cache
def _expanded_rows() -> tuple[tuple[str, _Unit, list[str]], ...]:
    path = resources.files("analysis") / "reference" / "units.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(_expanded(list(csv.DictReader(handle))))


@cache
def _registry() -> tuple[dict[str, _Unit], dict[str, str]]:
    """Units by canonical name, and canonical names by lookup key (names and aliases)."""
    units: dict[str, _Unit] = {}
    lookup: dict[str, str] = {}
    for name, unit, aliases in _expanded_rows():
        if name in units:
            raise CleaningError(f"units.csv: {name} is defined twice")
        units[name] = unit
        for alias in (name, *aliases):
            key = _key(alias)
            if lookup.get(key, name) != name:
                raise CleaningError(
                    f"units.csv: {alias!r} names both {lookup[key]} and {name}; "
                    "each name or alias must belong to one unit"
                )
            lookup[key] = name
    return units, lookup


def known_unit_names() -> tuple[str, ...]:
    """Every name and alias the unit registry reads (as written in units.csv).

    Examples
    --------
    >>> {"万头", "千克", "亿元"} <= set(known_unit_names())
    True
    """
    return tuple(sorted({alias for name, _, names in _expanded_rows() for alias in (name, *names)}))


def known_units(*, dimension: str | None = None) -> tuple[str, ...]:
    """Canonical unit names of the registry, optionally of one dimension.

    Parameters
    ----------
    dimension : str, optional
        ``money``, ``percent``, ``points``, ``rank``, ``area``, ``count:个`` ...

    Examples
    --------
    >>> known_units(dimension="money")
    ('元', '千元', '万元', '百万元', '亿元', '十亿元', '万亿元')
    >>> "个百分点" in known_units()
    True
    """
    units, _ = _registry()
    dimensions = {u.dimension for u in units.values()}
    if dimension is not None and dimension not in dimensions:
        raise CleaningError(
            f"unknown dimension {dimension!r}; known: {', '.join(sorted(dimensions))}"
        )
    return tuple(n for n, u in units.items() if dimension in (None, u.dimension))


def normalize_text(text: str | None) -> str:
    """NFKC-normalise, trim, collapse whitespace and drop thousands separators.

    Full-width digits, ``％`` and ``（）`` become ASCII; the minus sign ``−`` becomes
    ``-``; ``1,234.5`` and ``1，234.5`` become ``1234.5``. None gives ``''``.

    Examples
    --------
    >>> normalize_text("  １２３.４ 亿元（初步） ")
    '123.4 亿元(初步)'
    >>> normalize_text("1，234.5"), normalize_text("1,234,567"), normalize_text("−1.6％")
    ('1234.5', '1234567', '-1.6%')
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        raise CleaningError(f"expected text, got {type(text).__name__} {text!r}")
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    return _THOUSANDS.sub("", " ".join(text.split()))


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isnan(value)


def _is_unit(text: str) -> bool:
    _, lookup = _registry()
    return _key(text) in lookup


def parse_unit(text: str) -> str:
    """The canonical name of a unit or of one of its aliases.

    Matching ignores width, whitespace and case (``十亿元 (billion yuan)``, ``PP``).

    Raises
    ------
    CleaningError
        For an unknown or empty unit, listing the known units.

    Examples
    --------
    >>> parse_unit("亿"), parse_unit("十亿元 (billion yuan)"), parse_unit("百分点")
    ('亿元', '十亿元', '个百分点')
    >>> parse_unit("万吨"), parse_unit("千克")
    ('万吨', '公斤')
    >>> parse_unit("光年")
    Traceback (most recent call last):
    ...
    analysis.data.cleaning.CleaningError: unknown unit '光年'; known units: 元, 千元, ...
    """
    units, lookup = _registry()
    name = lookup.get(_key(text)) if isinstance(text, str) else None
    if name is None:
        raise CleaningError(
            f"unknown unit {text!r}; known units: {', '.join(units)} "
            "(aliases in analysis/reference/units.csv)"
        )
    return name


def unit_dimension(unit: str) -> str:
    """The dimension of a unit: ``money``, ``percent``, ``points``, ``count:个`` ...

    Examples
    --------
    >>> unit_dimension("万元"), unit_dimension("万人次"), unit_dimension("个百分点")
    ('money', 'count:人次', 'points')
    """
    units, _ = _registry()
    return units[parse_unit(unit)].dimension


def chinese_numeral(text: str) -> int:
    """An integer written in Chinese numerals, 〇/零 to 九十九 (also 两); digits pass.

    Examples
    --------
    >>> chinese_numeral("十二"), chinese_numeral("二十"), chinese_numeral("两")
    (12, 20, 2)
    >>> chinese_numeral("九十九"), chinese_numeral("〇"), chinese_numeral("７")
    (99, 0, 7)
    >>> chinese_numeral("一百")
    Traceback (most recent call last):
    ...
    analysis.data.cleaning.CleaningError: cannot read '一百' as a Chinese numeral; ...
    """
    t = "".join(normalize_text(text).split()) if isinstance(text, str) else None
    if t is not None:
        if t.isascii() and t.isdigit():
            return int(t)
        if t in _CN_DIGITS:
            return _CN_DIGITS[t]
        if match := _CN_TENS.fullmatch(t):
            tens, units = match.groups()
            return 10 * (_CN_DIGITS[tens] if tens else 1) + (_CN_DIGITS[units] if units else 0)
    raise CleaningError(
        f"cannot read {text!r} as a Chinese numeral; allowed: 〇/零, 一..九, 两, "
        "十..九十九 (e.g. 十二, 二十三) or ASCII digits"
    )


def _split_unit(rest: str, text: object) -> tuple[str | None, str | None]:
    """Unit and qualifier of what follows the number: ``万余件`` -> (万件, 余)."""
    if not rest:
        return None, None
    candidates = [(rest, None)]
    candidates += [(rest[: -len(q)].strip(), q) for q in _SUFFIX_QUALIFIERS if rest.endswith(q)]
    candidates += [(rest.replace(q, "", 1).strip(), q) for q in _INFIX_QUALIFIERS if q in rest]
    for unit_text, qualifier in candidates:
        if not unit_text and qualifier:
            return None, qualifier
        try:
            return parse_unit(unit_text), qualifier
        except CleaningError:
            continue
    units, _ = _registry()
    raise CleaningError(
        f"cannot read {text!r}: {rest!r} is not a known unit (with an optional qualifier "
        f"{'/'.join(_SUFFIX_QUALIFIERS)}); known units: {', '.join(units)}"
    )


def parse_quantity(text: str | float | None) -> Quantity:
    """Read a number with an optional unit and qualifier from statistical text.

    ``达``/``达到`` before a number is dropped; a qualifier (:data:`QUALIFIERS`) is kept
    as written. ``余``/``多`` inside a unit are removed from it (``22万余件`` is 22 万件).
    Numbers (int, float) pass through without a unit; empty text, None and NaN give
    ``Quantity(None, None, None)``.

    Raises
    ------
    CleaningError
        Quoting the text, when it is not a number with a known unit.

    Examples
    --------
    >>> parse_quantity("323.3亿元")
    Quantity(value=323.3, unit='亿元', qualifier=None)
    >>> parse_quantity("约1.1万个")
    Quantity(value=1.1, unit='万个', qualifier='约')
    >>> parse_quantity("22万余件")
    Quantity(value=22.0, unit='万件', qualifier='余')
    >>> parse_quantity("超过1.36万亿元")
    Quantity(value=1.36, unit='万亿元', qualifier='超过')
    >>> parse_quantity("8%以上")
    Quantity(value=8.0, unit='%', qualifier='以上')
    >>> parse_quantity("１２３.４亿")
    Quantity(value=123.4, unit='亿元', qualifier=None)
    >>> parse_quantity("")
    Quantity(value=None, unit=None, qualifier=None)
    >>> parse_quantity("12..3")
    Traceback (most recent call last):
    ...
    analysis.data.cleaning.CleaningError: cannot read '12..3': '..3' is not a known unit ...
    """
    if _is_missing(text):
        return Quantity(None, None, None)
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        return Quantity(float(text), None, None)
    s = normalize_text(text)
    if not s:
        return Quantity(None, None, None)
    for word in _DROPPED:
        if s.startswith(word):
            s = s[len(word) :].lstrip()
            break
    prefix = next((q for q in _PREFIX_QUALIFIERS if s.startswith(q)), None)
    if prefix:
        s = s[len(prefix) :].lstrip()
    if _is_unit(s):
        raise CleaningError(f"cannot read {text!r}: a unit without a number")
    if match := _NUMBER.match(s):
        value = float(match.group())
    elif match := _CN_NUMBER.match(s):
        try:
            value = float(chinese_numeral(match.group()))
        except CleaningError:
            raise CleaningError(
                f"cannot read {text!r}: {match.group()!r} is not a number"
            ) from None
    else:
        raise CleaningError(
            f"cannot read {text!r} as a number: expected digits (e.g. 323.3亿元, 约1.1万个, "
            "8%以上) or a Chinese numeral up to 九十九"
        )
    unit, suffix = _split_unit(s[match.end() :].strip(), text)
    if prefix and suffix:
        raise CleaningError(
            f"cannot read {text!r}: two qualifiers ({prefix}, {suffix}); a figure has one"
        )
    return Quantity(value, unit, prefix or suffix)


def parse_growth(text: str | float | None) -> Quantity:
    """Read a growth rate or change in points; the sign comes from the wording.

    ``增长``/``提高``/... keep the sign, ``下降``/``减少``/``回落``/... negate it; ``持平`` is
    0. A plain number is a growth in %. The unit is ``%`` or ``个百分点``.

    Raises
    ------
    CleaningError
        For text without a number, a unit other than % or points, or a doubled negative
        (``下降-3%``).

    Examples
    --------
    >>> parse_growth("同比增长8.0%")
    Quantity(value=8.0, unit='%', qualifier=None)
    >>> parse_growth("下降3%")
    Quantity(value=-3.0, unit='%', qualifier=None)
    >>> parse_growth("回落0.5个百分点")
    Quantity(value=-0.5, unit='个百分点', qualifier=None)
    >>> parse_growth("增长8%以上")
    Quantity(value=8.0, unit='%', qualifier='以上')
    >>> parse_growth("持平").value, parse_growth("-3.0").value, parse_growth("增长-1.6%").value
    (0.0, -3.0, -1.6)
    """
    if _is_missing(text):
        return Quantity(None, None, None)
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        return Quantity(float(text), "%", None)
    s = "".join(normalize_text(text).split())
    if not s:
        return Quantity(None, None, None)
    body = s[_CONTEXT.match(s).end() :]
    if body == "持平":
        return Quantity(0.0, "%", None)
    sign, verb = 1.0, ""
    for words, direction in ((_UP, 1.0), (_DOWN, -1.0)):
        verb = next((w for w in words if body.startswith(w)), "")
        if verb:
            sign = direction
            break
    number = body[len(verb) :]
    if not number:
        raise CleaningError(
            f"cannot read growth {text!r}: no number (expected e.g. 增长8%, 下降3%, "
            "回落0.5个百分点, 持平 or a plain number)"
        )
    try:
        quantity = parse_quantity(number)
    except CleaningError as err:
        raise CleaningError(f"cannot read growth {text!r}: {err}") from None
    unit = quantity.unit or "%"
    if unit not in _GROWTH_UNITS:
        raise CleaningError(
            f"cannot read growth {text!r}: unit {unit} is not a growth unit; allowed: "
            f"{', '.join(_GROWTH_UNITS)}"
        )
    if sign < 0 and quantity.value < 0:
        raise CleaningError(
            f"cannot read growth {text!r}: {verb} with a negative number is ambiguous"
        )
    return Quantity(sign * quantity.value + 0.0, unit, quantity.qualifier)


def parse_rank(text: str | int) -> int:
    """A rank (1 = first) from ``第一``, ``第十二位``, ``居全市第二``, ``排名第3``, ``1``, ``1st``.

    Raises
    ------
    CleaningError
        For anything else, including ranks counted from the bottom (``倒数第一``) and 0.

    Examples
    --------
    >>> parse_rank("第一"), parse_rank("第十二位"), parse_rank("居全市第二")
    (1, 12, 2)
    >>> parse_rank("排名第3"), parse_rank("1"), parse_rank("2nd"), parse_rank(4)
    (3, 1, 2, 4)
    >>> parse_rank("倒数第一")
    Traceback (most recent call last):
    ...
    analysis.data.cleaning.CleaningError: cannot read rank '倒数第一': counted from the bottom, ...
    """
    allowed = "allowed: 第一, 第十二位, 居全市第二, 排名第3, 1, 1st"
    if isinstance(text, numbers.Integral) and not isinstance(text, bool):
        number = int(text)
    elif isinstance(text, str):
        t = "".join(normalize_text(text).split())
        if re.fullmatch(r"\d+(?:\.0+)?", t):
            number = int(float(t))
        elif match := _RANK_ORDINAL.fullmatch(t):
            number = int(match.group(1))
            expected = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
            if 10 <= number % 100 <= 20:
                expected = "th"
            if match.group(2).lower() != expected:
                raise CleaningError(f"cannot read rank {text!r}: write {number}{expected}")
        elif match := _RANK_CHINESE.fullmatch(t):
            if "倒数" in match.group(1):
                raise CleaningError(
                    f"cannot read rank {text!r}: counted from the bottom, which needs the "
                    "size of the peer group; state the rank from the top"
                )
            try:
                number = chinese_numeral(match.group(2))
            except CleaningError as err:
                raise CleaningError(f"cannot read rank {text!r}: {err}") from None
        else:
            raise CleaningError(f"cannot read rank {text!r}; {allowed}")
    else:
        raise CleaningError(f"cannot read rank {text!r}; {allowed}")
    if number < 1:
        raise CleaningError(f"rank {text!r} is {number}; ranks start at 1 (first)")
    return number


def convert_unit(value: float | None, *, from_unit: str, to_unit: str) -> float:
    """Convert a value between two units of one dimension (factors from units.csv).

    None and NaN give NaN.

    Raises
    ------
    CleaningError
        For unknown units, units of different dimensions, or a non-numeric value.

    Examples
    --------
    >>> convert_unit(1.36, from_unit="万亿元", to_unit="亿元")
    13600.0
    >>> convert_unit(3233000, from_unit="万元", to_unit="亿元")
    323.3
    >>> convert_unit(58, from_unit="万头", to_unit="头")
    580000.0
    >>> convert_unit(15, from_unit="亩", to_unit="公顷")
    1.0
    >>> convert_unit(None, from_unit="元", to_unit="亿元")
    nan
    >>> convert_unit(5, from_unit="个", to_unit="亿元")
    Traceback (most recent call last):
    ...
    analysis.data.cleaning.CleaningError: cannot convert 个 to 亿元: 个 is count:个, 亿元 is money
    """
    units, _ = _registry()
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if units[source].dimension != units[target].dimension:
        raise CleaningError(
            f"cannot convert {source} to {target}: {source} is {units[source].dimension}, "
            f"{target} is {units[target].dimension}"
        )
    if _is_missing(value):
        return math.nan
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise CleaningError(f"cannot convert {value!r}: expected a number, not text or other")
    # decimal arithmetic on the shortest repr: 1.36 万亿元 is 13600 亿元, not 13600.000000000002
    ratio = units[source].factor / units[target].factor
    return float(Decimal(repr(float(value))) * ratio)


def _where(df: pd.DataFrame, index: object, position: int) -> str:
    """Row index, with source_file:source_line when the frame has them."""
    place = f"row {index!r}"
    if "source_file" in df.columns and "source_line" in df.columns:
        row = df.iloc[position]
        place += f" ({row['source_file']}:{row['source_line']})"
    return place


def _in_row_unit(
    cell: object, quantity: Quantity, row_unit: object, has_units: bool
) -> tuple[float, object]:
    """A cell's value in its row's unit, and the row's unit (the cell's if the row has none)."""
    if not has_units:
        raise CleaningError(
            f"{cell!r} states unit {quantity.unit} but the frame has no unit column to keep it "
            "in; add one (unit_column=)"
        )
    if _is_missing(row_unit) or not str(row_unit).strip():
        return quantity.value, quantity.unit
    try:
        return convert_unit(quantity.value, from_unit=quantity.unit, to_unit=row_unit), row_unit
    except CleaningError as err:
        raise CleaningError(f"{cell!r} is not in the row's unit {row_unit!r}: {err}") from None


def clean_numeric_column(
    df: pd.DataFrame, *, column: str, unit_column: str | None = "unit"
) -> pd.DataFrame:
    """Parse a column of figures into floats, with a ``<column>_qualifier`` column.

    A cell that states a unit (``1.36万亿元``) is converted into its row's unit from
    ``unit_column``; a row with an empty unit takes the cell's unit. A cell that states a
    unit in a frame without ``unit_column`` is an error, since the unit would be lost.

    Parameters
    ----------
    df : DataFrame
        The figures; not modified.
    column : str
        Column of text or numbers to parse with :func:`parse_quantity`.
    unit_column : str or None, default 'unit'
        Column holding each row's unit; None when the frame has none.

    Returns
    -------
    DataFrame
        A copy with ``column`` as float64 (NaN where empty), ``<column>_qualifier``
        (text, missing where none) and, when cells stated units, ``unit_column`` filled in.

    Raises
    ------
    CleaningError
        Naming the row index (and ``source_file:source_line`` when present) and the text.

    Examples
    --------
    >>> df = pd.DataFrame({"value": ["323.3", "约1.1", "1.36万亿元", None],
    ...     "unit": ["亿元", "万个", "亿元", "亿元"]})
    >>> clean_numeric_column(df, column="value")
         value unit value_qualifier
    0    323.3   亿元             NaN
    1      1.1   万个               约
    2  13600.0   亿元             NaN
    3      NaN   亿元             NaN
    >>> clean_numeric_column(df.assign(value=["1", "x", "2", "3"]), column="value")
    Traceback (most recent call last):
    ...
    analysis.data.cleaning.CleaningError: row 1: cannot read 'x' as a number: ...
    """
    if column not in df.columns:
        raise CleaningError(f"frame has no column {column!r}; its columns: {list(df.columns)}")
    has_units = unit_column is not None and unit_column in df.columns
    row_units = df[unit_column].tolist() if has_units else [None] * len(df)
    values, qualifiers, filled = [], [], False
    for position, (index, cell) in enumerate(df[column].items()):
        try:
            quantity = parse_quantity(cell)
            value = quantity.value
            if quantity.unit is not None:
                value, unit = _in_row_unit(cell, quantity, row_units[position], has_units)
                filled = filled or unit != row_units[position]
                row_units[position] = unit
        except CleaningError as err:
            raise CleaningError(f"{_where(df, index, position)}: {err}") from None
        values.append(math.nan if value is None else value)
        qualifiers.append(quantity.qualifier)
    out = df.copy()
    out[column] = pd.Series(values, index=df.index, dtype="float64")
    if filled:
        out[unit_column] = pd.Series(row_units, index=df.index, dtype="str")
    out[f"{column}_qualifier"] = pd.Series(qualifiers, index=df.index, dtype="str")
    return out
