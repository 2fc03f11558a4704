"""Reporting periods: cumulative year-to-date spans, their codes, labels and algebra.

Chinese statistics are published year-to-date (1-3月, 1-6月, 1-9月, 全年). A
:class:`Period` is a span of months within one year; it is *cumulative* when it starts in
January. Every period has one canonical code:

- cumulative: ``2019Q1`` (1-3月, 一季度), ``2019H1`` (1-6月, 上半年), ``2019Q3`` (1-9月,
  前三季度), ``2019FY`` (1-12月, 全年), and ``2019Mmm`` for any other January-to-month-mm
  span (``2019M02`` is 1-2月);
- single: ``2019Q2`` (4-6月, 二季度), ``2019Q4`` (10-12月, 四季度), ``2019H2`` (7-12月,
  下半年), and ``2019Maa-bb`` for any other span (``2019M03-06`` is 3-6月).

``Q3`` is the *cumulative* 1-9 because that is what is published (前三季度); the single
third quarter is ``2019M07-09``. A single span is derived from two cumulatives
(Q2 = H1 - Q1), which is valid for cumulative flow indicators only: see
:func:`single_period` and :func:`derive_single`.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from analysis.errors import HalfyearError

__all__ = [
    "ACCEPTED_FORMS",
    "LANGUAGES",
    "Period",
    "PeriodError",
    "derive_single",
    "parse_period",
    "parse_periods",
    "period_grid",
    "previous_year",
    "single_period",
]

#: Languages :meth:`Period.label` writes.
LANGUAGES = ("zh", "en")

#: The forms :func:`parse_period` reads, quoted in its error messages.
ACCEPTED_FORMS = (
    "codes 2019Q1 2019H1 2019Q3 2019FY 2019M05 2019Q2 2019Q4 2019H2 2019M03-06; "
    "2019年上半年 / 上半年, 下半年, 2019年1-6月 / 1-6月 (also 1～6月, 1—6月, 1至6月, 一至六月), "
    "1月, 3月 (single month), 一季度 / 第一季度 / 1季度, 二季度, 三季度, 四季度, 前三季度, "
    "全年 / 2019年 / 2019年全年 / 2019年度, 6月末 / 年末 (end of a cumulative span)"
)

_FLOW = "flow"
_KEYS = ("region", "indicator")

# canonical codes: cumulative spans by end month, single spans by (start, end)
_CUMULATIVE_CODES = {3: "Q1", 6: "H1", 9: "Q3", 12: "FY"}
_SINGLE_CODES = {(4, 6): "Q2", (10, 12): "Q4", (7, 12): "H2"}
_CODE_SPANS = {
    **{code: (1, end) for end, code in _CUMULATIVE_CODES.items()},
    **{code: span for span, code in _SINGLE_CODES.items()},
}

# labels: named spans first, month ranges for the rest
_NAMES = {
    "zh": {
        (1, 3): "一季度", (1, 6): "上半年", (1, 9): "1-9月", (1, 12): "全年",
        (4, 6): "二季度", (7, 9): "三季度", (10, 12): "四季度", (7, 12): "下半年",
    },
    "en": {
        (1, 3): "Q1", (1, 6): "H1", (1, 9): "Jan-Sep", (1, 12): "full year",
        (4, 6): "Q2", (7, 9): "Jul-Sep", (10, 12): "Q4", (7, 12): "H2",
    },
}  # fmt: skip
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Chinese words for whole spans (after NFKC and with whitespace removed)
_WORDS = {
    "全年": (1, 12), "全年度": (1, 12), "年度": (1, 12),
    "上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9),
}  # fmt: skip
_QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_CN_DIGITS = "一二三四五六七八九"
_CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
_DASHES = "-~—–―‒‐−〜至到"

_CODE = re.compile(r"^(\d{4})(Q1|Q2|Q3|Q4|H1|H2|FY|M(\d{2})(?:-(\d{2}))?)$")
_LOOSE_CODE = re.compile(r"^(Q[1-4]|H[12]|FY|M(\d{1,2})(?:-(\d{1,2}))?)$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})(?:年度|年)?(.*)$")
_QUARTER = re.compile(r"^第?([一二三四1-4])季度?$")
_MONTHS = re.compile(rf"^(\d{{1,2}}|{_CN_MONTH})(?:[{_DASHES}](\d{{1,2}}|{_CN_MONTH}))?月份?$")


class PeriodError(HalfyearError, ValueError):
    """A period label, code or period arithmetic that the project cannot accept."""


def _check_span(start: int, end: int) -> None:
    """Raise unless both months are in 1..12 and the span runs forward."""
    for name, month in (("start_month", start), ("end_month", end)):
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} ({name}) is out of range; months are 1..12")
    if start > end:
        raise PeriodError(
            f"start month {start} is after end month {end}; "
            "a span runs forward within one year (e.g. 1-6月)"
        )


@dataclass(frozen=True, order=True)
class Period:
    """A span of months within one year; ordered by year, start month, end month.

    Parameters
    ----------
    year : int
        Four-digit year.
    start_month, end_month : int
        First and last month of the span, 1..12, ``start_month <= end_month``.

    Raises
    ------
    PeriodError
        When a month is outside 1..12, the span is reversed or the year is not 4 digits.

    Examples
    --------
    >>> h1 = Period(2019, 1, 6)
    >>> h1.code, h1.is_cumulative, h1.months, h1.time_progress
    ('2019H1', True, 6, 0.5)
    >>> str(Period(2019, 7, 9))
    '2019M07-09'
    >>> Period(2019, 6, 1)
    Traceback (most recent call last):
    ...
    analysis.periods.PeriodError: start month 6 is after end month 1; a span runs forward ...
    """

    year: int
    start_month: int
    end_month: int

    def __post_init__(self) -> None:
        for name in ("year", "start_month", "end_month"):
            value = getattr(self, name)
            if isinstance(value, bool):
                raise PeriodError(f"{name} must be an integer, not {value!r}")
            try:
                object.__setattr__(self, name, operator.index(value))
            except TypeError:
                raise PeriodError(f"{name} must be an integer, not {value!r}") from None
        if not 1000 <= self.year <= 9999:
            raise PeriodError(f"year {self.year} is not a four-digit year (1000..9999)")
        _check_span(self.start_month, self.end_month)

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """The canonical code, e.g. ``2019H1``, ``2019M05``, ``2019Q2``, ``2019M03-06``.

        Examples
        --------
        >>> [Period(2019, 1, m).code for m in (2, 3, 9, 12)]
        ['2019M02', '2019Q1', '2019Q3', '2019FY']
        >>> [Period(2019, *span).code for span in ((4, 6), (7, 12), (3, 6), (5, 5))]
        ['2019Q2', '2019H2', '2019M03-06', '2019M05-05']
        """
        if self.is_cumulative:
            suffix = _CUMULATIVE_CODES.get(self.end_month, f"M{self.end_month:02d}")
        else:
            span = (self.start_month, self.end_month)
            suffix = _SINGLE_CODES.get(span, f"M{self.start_month:02d}-{self.end_month:02d}")
        return f"{self.year}{suffix}"

    @property
    def is_cumulative(self) -> bool:
        """True when the span starts in January (a year-to-date figure).

        Examples
        --------
        >>> Period(2019, 1, 9).is_cumulative, Period(2019, 4, 6).is_cumulative
        (True, False)
        """
        return self.start_month == 1

    @property
    def months(self) -> int:
        """Number of months in the span.

        Examples
        --------
        >>> Period(2019, 1, 6).months, Period(2019, 7, 12).months, Period(2019, 3, 3).months
        (6, 6, 1)
        """
        return self.end_month - self.start_month + 1

    @property
    def time_progress(self) -> float:
        """Share of the year elapsed at the end of a cumulative span (时间进度).

        Raises
        ------
        PeriodError
            For a single (non-cumulative) span, which has no time progress.

        Examples
        --------
        >>> Period(2019, 1, 6).time_progress, Period(2019, 1, 9).time_progress
        (0.5, 0.75)
        >>> Period(2019, 4, 6).time_progress
        Traceback (most recent call last):
        ...
        analysis.periods.PeriodError: time progress needs a cumulative period; 2019Q2 ...
        """
        if not self.is_cumulative:
            raise PeriodError(
                f"time progress needs a cumulative period; {self.code} runs "
                f"{self.start_month}-{self.end_month}, not from January"
            )
        return self.end_month / 12

    @classmethod
    def from_code(cls, code: str) -> Period:
        """The period of a canonical code (strict: only the codes :attr:`code` writes).

        Parameters
        ----------
        code : str
            A canonical code such as ``2019H1`` or ``2019M03-06``.

        Raises
        ------
        PeriodError
            For anything that is not a canonical code, naming the canonical spelling
            when the code is a recognisable alias (``2019M06`` is ``2019H1``).

        Examples
        --------
        >>> Period.from_code("2019Q3")
        Period(year=2019, start_month=1, end_month=9)
        >>> Period.from_code("2019M07-09").label("zh")
        '2019年三季度'
        >>> Period.from_code("2019M06")
        Traceback (most recent call last):
        ...
        analysis.periods.PeriodError: '2019M06' is not a canonical period code: write '2019H1'
        """
        match = _CODE.match(code) if isinstance(code, str) else None
        if match is None:
            raise PeriodError(
                f"{code!r} is not a canonical period code; allowed: YYYYQ1 YYYYH1 YYYYQ3 "
                "YYYYFY YYYYMmm (January to month mm), YYYYQ2 YYYYQ4 YYYYH2 YYYYMaa-bb"
            )
        year, suffix, first, second = match.groups()
        if first is None:
            start, end = _CODE_SPANS[suffix]
        elif second is None:
            start, end = 1, int(first)
        else:
            start, end = int(first), int(second)
        try:
            period = cls(int(year), start, end)
        except PeriodError as err:
            raise PeriodError(f"period code {code!r}: {err}") from None
        if period.code != code:
            raise PeriodError(f"{code!r} is not a canonical period code: write {period.code!r}")
        return period

    def label(self, lang: str = "zh") -> str:
        """The period as a reader sees it, in Chinese or English.

        Parameters
        ----------
        lang : {'zh', 'en'}
            Language of the label.

        Raises
        ------
        PeriodError
            For any other language.

        Examples
        --------
        >>> h1, q3, fy = Period(2019, 1, 6), Period(2019, 1, 9), Period(2019, 1, 12)
        >>> h1.label("zh"), q3.label("zh"), fy.label("zh")
        ('2019年上半年', '2019年1-9月', '2019年全年')
        >>> h1.label("en"), q3.label("en"), fy.label("en")
        ('2019 H1', '2019 Jan-Sep', '2019 full year')
        >>> Period(2019, 1, 5).label("zh"), Period(2019, 3, 3).label("en")
        ('2019年1-5月', '2019 Mar')
        """
        if lang not in LANGUAGES:
            raise PeriodError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
        span = (self.start_month, self.end_month)
        name = _NAMES[lang].get(span)
        if name is None:
            if lang == "zh":
                months = [str(m) for m in span]
                sep, suffix = "-", "月"
            else:
                months = [_MONTHS_EN[m - 1] for m in span]
                sep, suffix = "-", ""
            name = (months[0] if self.months == 1 else sep.join(months)) + suffix
        return f"{self.year}年{name}" if lang == "zh" else f"{self.year} {name}"


def _cn_month(text: str) -> int:
    """A month number written in digits or Chinese (一..十二)."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.index(text[1]) + 1 if len(text) > 1 else 0)
    return _CN_DIGITS.index(text) + 1


def _span(body: str) -> tuple[int, int] | None:
    """Start and end month of a label without its year, or None if not recognised."""
    if body in _WORDS:
        return _WORDS[body]
    if match := _LOOSE_CODE.match(body):
        suffix, first, second = match.groups()
        if first is None:
            return _CODE_SPANS[suffix.upper()]
        return (1, int(first)) if second is None else (int(first), int(second))
    if match := _QUARTER.match(body):
        number = match.group(1)
        quarter = int(number) if number.isdigit() else _CN_DIGITS.index(number) + 1
        return _QUARTERS[quarter]
    if match := _MONTHS.match(body):
        first, second = match.groups()
        start = _cn_month(first)
        return (start, start) if second is None else (start, _cn_month(second))
    if body.endswith(("末", "底")):  # 6月末, 二季度末, 年末: end of a cumulative span
        inner = body[:-1]
        if inner in ("", "年"):
            return (1, 12)
        span = _span(inner)
        return None if span is None else (1, span[1])
    if body.endswith("累计"):
        return _span(body[: -len("累计")])
    return None


def _check_year(year: object) -> int | None:
    if year is None:
        return None
    if isinstance(year, bool):
        raise PeriodError(f"year= must be an integer year such as 2019, not {year!r}")
    if isinstance(year, float) and year.is_integer():  # a year column holding NaN is float
        return int(year)
    if isinstance(year, str) and year.strip().isdigit():
        return int(year.strip())
    try:
        return operator.index(year)
    except TypeError:
        raise PeriodError(f"year= must be an integer year such as 2019, not {year!r}") from None


def parse_period(label: str | Period, *, year: int | None = None) -> Period:
    """Read a period from a canonical code or a Chinese label.

    Full-width characters are normalised first (NFKC) and whitespace is ignored.
    A year written in the label wins; ``year=`` supplies it when the label has none.
    ``N月`` is the single month N (``1月`` is therefore also January year-to-date); a
    trailing ``末``/``底`` (``6月末``, ``年末``) means the cumulative span ending there,
    as used for stocks.

    Parameters
    ----------
    label : str or Period
        A code (``2019H1``) or label (``2019年上半年``, ``1-6月``, ``一季度`` ...).
    year : int, optional
        The year for labels that do not state one.

    Returns
    -------
    Period

    Raises
    ------
    PeriodError
        For unknown text (listing the accepted forms), a missing year, a year that
        contradicts ``year=``, a month outside 1..12 or a reversed span.

    Examples
    --------
    >>> parse_period("2019年上半年").code
    '2019H1'
    >>> parse_period("１－６月", year=2019).code, parse_period("前三季度", year=2019).code
    ('2019H1', '2019Q3')
    >>> parse_period("二季度", year=2019).code, parse_period("三季度", year=2019).code
    ('2019Q2', '2019M07-09')
    >>> parse_period("2019年"), parse_period("1-2月", year=2020).label("zh")
    (Period(year=2019, start_month=1, end_month=12), '2020年1-2月')
    >>> parse_period("上半年")
    Traceback (most recent call last):
    ...
    analysis.periods.PeriodError: period '上半年' states no year: pass year= (e.g. year=2019)
    """
    given_year = _check_year(year)
    if isinstance(label, Period):
        if given_year is not None and given_year != label.year:
            raise PeriodError(f"period {label.code} contradicts year={given_year}")
        return label
    if not isinstance(label, str):
        raise PeriodError(f"a period label must be text, not {label!r}; {ACCEPTED_FORMS}")
    text = "".join(unicodedata.normalize("NFKC", label).split())
    if not text:
        raise PeriodError(f"empty period label {label!r}; accepted: {ACCEPTED_FORMS}")
    stated_year, body = None, text
    if match := _YEAR.match(text):
        stated_year, body = int(match.group(1)), match.group(2)
    span = (1, 12) if stated_year is not None and body == "" else _span(body)
    if span is None:
        raise PeriodError(f"unknown period label {label!r}; accepted: {ACCEPTED_FORMS}")
    try:
        _check_span(*span)
    except PeriodError as err:
        raise PeriodError(f"period {label!r}: {err}") from None
    if stated_year is not None and given_year is not None and stated_year != given_year:
        raise PeriodError(
            f"period {label!r} states year {stated_year} but year={given_year} was given"
        )
    period_year = stated_year if stated_year is not None else given_year
    if period_year is None:
        raise PeriodError(f"period {label!r} states no year: pass year= (e.g. year=2019)")
    try:
        return Period(period_year, *span)
    except PeriodError as err:
        raise PeriodError(f"period {label!r}: {err}") from None


def parse_periods(
    df: pd.DataFrame, *, column: str = "period", year: int | None = None
) -> pd.DataFrame:
    """Replace a column of period labels by canonical codes, adding year and months.

    Parameters
    ----------
    df : DataFrame
        Any frame with a column of period labels or codes.
    column : str, default 'period'
        The column to parse.
    year : int, optional
        The year for labels that do not state one. When it is None and the frame already
        has a ``year`` column, each row's ``year`` is used instead.

    Returns
    -------
    DataFrame
        A copy with ``column`` holding codes and columns ``year``, ``start_month``,
        ``end_month`` (int64) set.

    Raises
    ------
    PeriodError
        Naming the row index and the label of the first row that cannot be read.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["上半年", "2019年1-9月", "2019FY"], "value": [1, 2, 3]})
    >>> parse_periods(df, year=2019)
      period  value  year  start_month  end_month
    0 2019H1      1  2019            1          6
    1 2019Q3      2  2019            1          9
    2 2019FY      3  2019            1         12
    >>> parse_periods(df.assign(period=["1-13月", "全年", "全年"]), year=2019)
    Traceback (most recent call last):
    ...
    analysis.periods.PeriodError: row 0: period '1-13月': month 13 (end_month) is out of ...
    """
    if column not in df.columns:
        raise PeriodError(f"frame has no column {column!r}; its columns: {list(df.columns)}")
    row_years = df["year"] if year is None and "year" in df.columns else None
    parsed: dict[tuple[object, object], Period] = {}
    periods = []
    for position, (index, label) in enumerate(df[column].items()):
        row_year = year if row_years is None else row_years.iloc[position]
        if row_year is not None and pd.isna(row_year):
            row_year = None
        key = (label, row_year)
        if key not in parsed:
            if not isinstance(label, str | Period):
                raise PeriodError(f"row {index!r}: missing or non-text period {label!r}")
            try:
                parsed[key] = parse_period(label, year=row_year)
            except PeriodError as err:
                raise PeriodError(f"row {index!r}: {err}") from None
        periods.append(parsed[key])
    out = df.copy()
    out[column] = pd.Series([p.code for p in periods], index=df.index, dtype="str")
    for name in ("year", "start_month", "end_month"):
        out[name] = pd.Series([getattr(p, name) for p in periods], index=df.index, dtype="int64")
    return out


def _as_period(period: str | Period) -> Period:
    return period if isinstance(period, Period) else parse_period(period)


def previous_year(period: str | Period) -> str | Period:
    """The same span one year earlier, as the type given (code in, code out).

    Parameters
    ----------
    period : str or Period
        A Period, a code or a label stating its year.

    Examples
    --------
    >>> previous_year("2019H1"), previous_year("2019年1-5月")
    ('2018H1', '2018M05')
    >>> previous_year(Period(2019, 4, 6))
    Period(year=2018, start_month=4, end_month=6)
    """
    current = _as_period(period)
    earlier = Period(current.year - 1, current.start_month, current.end_month)
    return earlier if isinstance(period, Period) else earlier.code


def single_period(later: str | Period, earlier: str | Period) -> Period:
    """The single span between two cumulative periods of one year (Q2 = H1 - Q1).

    Parameters
    ----------
    later, earlier : str or Period
        Cumulative periods of the same year, ``earlier`` ending before ``later``.

    Returns
    -------
    Period
        From the month after ``earlier`` ends to the end of ``later``.

    Raises
    ------
    PeriodError
        When a period is not cumulative, the years differ, or ``earlier`` does not end first.

    Examples
    --------
    >>> q2 = single_period("2019H1", "2019Q1")
    >>> q2, q2.code
    (Period(year=2019, start_month=4, end_month=6), '2019Q2')
    >>> single_period("2019FY", "2019H1").code, single_period("2019Q3", "2019H1").code
    ('2019H2', '2019M07-09')
    >>> single_period("2019Q1", "2019H1")
    Traceback (most recent call last):
    ...
    analysis.periods.PeriodError: earlier period 2019H1 must end before later period 2019Q1 ...
    """
    late, early = _as_period(later), _as_period(earlier)
    for role, p in (("later", late), ("earlier", early)):
        if not p.is_cumulative:
            raise PeriodError(
                f"{role} period {p.code} is a single span; only cumulative periods "
                "(starting in January) can be differenced"
            )
    if late.year != early.year:
        raise PeriodError(
            f"periods {late.code} and {early.code} are in different years; "
            "a single span is the difference of two cumulatives of one year"
        )
    if early.end_month >= late.end_month:
        raise PeriodError(
            f"earlier period {early.code} must end before later period {late.code} "
            f"(ends in month {early.end_month}, not before {late.end_month})"
        )
    return Period(late.year, early.end_month + 1, late.end_month)


def _require_columns(df: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise PeriodError(
            f"frame lacks column(s) {missing}; needed: {list(columns)}, has: {list(df.columns)}"
        )


def _frame_periods(codes: pd.Series) -> dict[object, Period]:
    """Periods of the distinct codes in a column; every code must be canonical."""
    found = {}
    for code in pd.unique(codes):
        if not isinstance(code, str):
            raise PeriodError(f"missing or non-text period {code!r}; run parse_periods first")
        try:
            found[code] = Period.from_code(code)
        except PeriodError as err:
            raise PeriodError(f"{err} (run parse_periods on the frame first)") from None
    return found


def _refuse_mixed_releases(rows: pd.DataFrame, *, late: Period, early: Period) -> None:
    """Raise when a region and indicator has its two figures from different releases."""
    if "release" not in rows.columns:
        return
    valued = rows[rows["value"].notna()]
    late_rel = valued.loc[valued["period"] == late.code, [*_KEYS, "release"]]
    early_rel = valued.loc[valued["period"] == early.code, [*_KEYS, "release"]]
    both = late_rel.merge(early_rel, on=list(_KEYS), suffixes=("_later", "_earlier"))
    clash = both[both["release_later"].ne(both["release_earlier"])]
    if not clash.empty:
        listing = ", ".join(
            f"{r}/{i} ({late.code} release {a}, {early.code} release {b})"
            for r, i, a, b in clash[[*_KEYS, "release_later", "release_earlier"]].to_numpy()
        )
        raise PeriodError(
            f"figures of different vintages: {listing}; a difference needs one basis "
            "(both first releases or both revised): align them first "
            "(analysis.data.vintages.one_basis)"
        )


def derive_single(
    df: pd.DataFrame,
    *,
    later: str | Period,
    earlier: str | Period,
    kind_column: str = "kind",
) -> pd.DataFrame:
    """Single-span values of cumulative flows: value(later) - value(earlier).

    For each region and indicator in ``later`` or ``earlier``, one row for the single
    span (e.g. H2 from FY and H1). Where either figure is missing the value is NaN: a
    gap stays a gap.

    Parameters
    ----------
    df : DataFrame
        Tidy figures with columns ``region, indicator, period, value`` and ``kind_column``;
        ``period`` holds canonical codes only and ``value`` is numeric. A ``unit`` column, when
        present, must agree between the two periods and is carried over, as are ``year``,
        ``start_month`` and ``end_month``. A ``release`` column, when present, must agree
        too: two figures of different vintages (a revised full year and a first-release
        first half) do not give a single span; put them on one basis first
        (:func:`analysis.data.vintages.one_basis`).
    later, earlier : str or Period
        Cumulative periods of one year (see :func:`single_period`).
    kind_column : str, default 'kind'
        Column holding the indicator kind (flow, stock, rate, share, count, rank, relation).

    Returns
    -------
    DataFrame
        New rows ``region, indicator, period, value, kind`` (plus the carried columns).

    Raises
    ------
    PeriodError
        When a row of either period is not a flow (naming the indicators), when a region
        and indicator have two figures for one period, when units or releases differ, or
        when the periods or the frame are unsuitable.

    Examples
    --------
    >>> df = pd.DataFrame({"region": "erqi", "indicator": ["gdp", "gdp"],
    ...     "period": ["2019Q1", "2019H1"], "value": [150.0, 323.3], "kind": "flow"})
    >>> derive_single(df, later="2019H1", earlier="2019Q1")
      region indicator  period  value  kind
    0   erqi       gdp  2019Q2  173.3  flow
    >>> derive_single(df.assign(kind="rate"), later="2019H1", earlier="2019Q1")
    Traceback (most recent call last):
    ...
    analysis.periods.PeriodError: cannot difference a stock/rate/share/count/rank: ...
    """
    target = single_period(later, earlier)
    late, early = _as_period(later), _as_period(earlier)
    _require_columns(df, (*_KEYS, "period", "value", kind_column))
    _frame_periods(df["period"])
    rows = df[df["period"].isin([late.code, early.code])]
    kinds = rows[kind_column]
    refused = rows[kinds.isna() | kinds.ne(_FLOW)]
    if not refused.empty:
        named = refused[["indicator", kind_column]].drop_duplicates()
        listing = ", ".join(f"{i} ({k})" for i, k in named.itertuples(index=False))
        raise PeriodError(
            "cannot difference a stock/rate/share/count/rank: "
            f"{listing} in {early.code}/{late.code}; only cumulative flows (kind 'flow') "
            f"give a single-span value"
        )
    if not pd.api.types.is_numeric_dtype(rows["value"]):
        raise PeriodError(
            f"column 'value' must be numeric, not {rows['value'].dtype}; clean it first"
        )
    doubled = rows[rows.duplicated([*_KEYS, "period"], keep=False)]
    if not doubled.empty:
        pairs = sorted({f"{r}/{i}/{p}" for r, i, p in doubled[[*_KEYS, "period"]].to_numpy()})
        raise PeriodError(
            f"more than one figure for {pairs}; keep one vintage per region, indicator and "
            "period before deriving"
        )
    _refuse_mixed_releases(rows, late=late, early=early)
    keys = rows[list(_KEYS)].drop_duplicates()
    carried = ["value", "unit"] if "unit" in rows.columns else ["value"]
    late_rows = rows.loc[rows["period"] == late.code, [*_KEYS, *carried]]
    early_rows = rows.loc[rows["period"] == early.code, [*_KEYS, *carried]]
    both = keys.merge(late_rows, on=list(_KEYS), how="left").merge(
        early_rows, on=list(_KEYS), how="left", suffixes=("_later", "_earlier")
    )
    out = both[list(_KEYS)].assign(
        period=pd.Series(target.code, index=both.index, dtype="str"),
        value=both["value_later"] - both["value_earlier"],
    )
    out[kind_column] = _FLOW
    if "unit" in rows.columns:
        unit_late, unit_early = both["unit_later"], both["unit_earlier"]
        clash = unit_late.notna() & unit_early.notna() & unit_late.ne(unit_early)
        if clash.any():
            bad = both.loc[clash, [*_KEYS, "unit_later", "unit_earlier"]].to_numpy().tolist()
            raise PeriodError(
                f"units differ between {late.code} and {early.code} for (region, indicator, "
                f"{late.code} unit, {early.code} unit) {bad}; convert to one unit first"
            )
        out["unit"] = unit_late.fillna(unit_early)
    for name in ("year", "start_month", "end_month"):
        if name in df.columns:
            out[name] = getattr(target, name)
    order = [c for c in df.columns if c in out.columns]
    return out[order].reset_index(drop=True)


def period_grid(df: pd.DataFrame) -> pd.DataFrame:
    """Count of figures per region and period: which periods exist for which region.

    Parameters
    ----------
    df : DataFrame
        Figures with columns ``region`` and ``period`` (canonical codes). When a ``value``
        column is present only rows with a value count, so a region whose figures for a
        period are all missing shows 0.

    Returns
    -------
    DataFrame
        Index ``region`` (in order of first appearance), columns ``period`` in time order
        (by year, end month, start month), int64 counts.

    Examples
    --------
    >>> df = pd.DataFrame({"region": ["erqi", "erqi", "jinshui", "jinshui"],
    ...     "period": ["2019H1", "2018FY", "2019H1", "2019H1"],
    ...     "value": [323.3, 600.0, None, 800.0]})
    >>> period_grid(df)
    period   2018FY  2019H1
    region
    erqi          1       1
    jinshui       0       1
    """
    _require_columns(df, ("region", "period"))
    found = _frame_periods(df["period"])
    order = sorted(found, key=lambda c: (found[c].year, found[c].end_month, found[c].start_month))
    regions = pd.unique(df["region"])
    counted = df[df["value"].notna()] if "value" in df.columns else df
    sizes = counted.groupby(["region", "period"], sort=False).size()
    grid = pd.DataFrame(
        [[int(sizes.get((r, p), 0)) for p in order] for r in regions],
        index=pd.Index(regions, name="region"),
        columns=pd.Index(order, name="period"),
        dtype="int64",
    )
    return grid
