"""The words of the reports, one module per language: ``zh`` and ``en``.

Each language module holds every label and sentence template (``WORDS``), the template of
every reason code (``REASONS``, see :mod:`analysis.reasons`), the words that reason
arguments and verdicts stand for, and the way that language writes a level
(``level(value, unit, qualifier)``). This package turns codes into words:

- :func:`say` renders a reason (or several) in a language, naming periods, regions, groups
  and indicators for readers;
- :func:`format_value`, :func:`format_points`, :func:`growth_words`, :func:`timing_words`
  and :func:`target_text` write numbers with their words.

Nothing here reads data, and no other module of the package holds words for readers.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

from analysis.periods import Period
from analysis.reasons import ARGS, parse
from analysis.report.numbers import NONE, missing, rounded, signed
from analysis.report.texts import en, zh

#: The language modules, by code.
LANGS: dict[str, ModuleType] = {"zh": zh, "en": en}


def language(lang: str) -> ModuleType:
    """The words of a language.

    Examples
    --------
    >>> language("zh").WORDS["toc"]
    '目录'
    >>> language("fr")
    Traceback (most recent call last):
    ...
    ValueError: no words for language 'fr'; available: zh, en
    """
    try:
        return LANGS[lang]
    except KeyError:
        raise ValueError(f"no words for language {lang!r}; available: {', '.join(LANGS)}") from None


def words(lang: str) -> dict[str, str]:
    """The labels and sentence templates of a language.

    Examples
    --------
    >>> words("en")["sec_judgment"]
    '1. Overall assessment'
    """
    return language(lang).WORDS


#: Catalog names keep the brackets their sources use; Chinese prose writes them full-width.
_FULL_WIDTH_BRACKETS = str.maketrans({"(": "（", ")": "）"})


class Names:
    """Names of regions, peer groups, indicators and periods in a language, for readers.

    ``catalog`` is the reference tables to take them from (default the shipped ones).

    Examples
    --------
    >>> Names("zh").region("erqi"), Names("en").group("inner5"), Names("zh").period("2019H1")
    ('二七区', 'the five inner districts', '2019年上半年')
    >>> Names("zh").group("all16")
    '16个县（市）区'
    >>> Names("en").indicator("gdp"), Names("en").indicator("某项新指标")
    ('GDP', '某项新指标')
    """

    def __init__(self, lang: str, *, catalog=None):
        from analysis.catalog import load

        language(lang)
        self.lang = lang
        self._column = f"name_{lang}"
        self._catalog = catalog or load()

    def region(self, code: str) -> str:
        return self._catalog.regions.loc[code, self._column]

    def group(self, code: str) -> str:
        """The group's name; in Chinese prose with full-width brackets (16个县（市）区)."""
        name = self._catalog.peer_groups.loc[code, self._column]
        return name.translate(_FULL_WIDTH_BRACKETS) if self.lang == "zh" else name

    def indicator(self, code: str) -> str:
        """The indicator's name (the phrase as published when it is not catalogued)."""
        cat = self._catalog.indicators
        return cat.loc[code, self._column] if code in cat.index else code

    def period(self, code: str) -> str:
        return Period.from_code(code).label(self.lang)


def say(text: str, *, lang: str, names: Names | None = None) -> str:
    """The reasons of a cell (see :mod:`analysis.reasons`) in words; '' for none.

    Raises
    ------
    analysis.reasons.ReasonError
        For text that is not a reason code.

    Examples
    --------
    >>> say("no_level period=2018H1", lang="zh"), say("no_level period=2018H1", lang="en")
    ('2018年上半年无总量数据', 'no level for 2018 H1')
    >>> say("no_growth_of region=zhengzhou period=2019H1", lang="zh")
    '郑州市2019年上半年无增速数据'
    >>> say("needs_last_year periods=2018H1,2018FY", lang="en")
    "needs last year's levels: no 2018 H1 or 2018 full year"
    """
    words_ = language(lang)
    names = names or Names(lang)
    out = []
    for item in parse(text):
        fields = {name: _arg(item, name, words_, names) for name in item.args}
        out.append(words_.REASONS[item.code].format(**fields))
    return words_.REASON_JOINER.join(out)


def _arg(item, name: str, words_: ModuleType, names: Names) -> str:
    kind = ARGS[name]
    if kind == "periods":
        return words_.LIST_JOINER.join(names.period(v) for v in item.values(name))
    if kind == "years":
        return year_runs([int(v) for v in item.values(name)], lang=words_.LANG)
    if kind == "regions":
        return words_.SERIES_JOINER.join(names.region(v) for v in item.values(name))
    if kind == "methods":
        return words_.SERIES_JOINER.join(words_.METHODS[v] for v in item.values(name))
    value = item[name]
    if kind == "method":
        return words_.METHODS[value]
    if kind == "period":
        return names.period(value)
    if kind in ("region", "group", "indicator"):
        return getattr(names, kind)(value)
    if kind == "word":
        return words_.ARG_WORDS[name][value]
    if kind == "count":
        return str(int(float(value)))
    if kind == "number":
        return f"{float(value):g}"
    if kind == "decimal1":
        return rounded(float(value))
    if kind == "decimal2":
        return f"{float(value):.2f}"
    if kind == "reason":
        return say(value, lang=words_.LANG, names=names)
    return value


def year_runs(years: list[int], *, lang: str) -> str:
    """Years as runs: '2010–2014, 2016' in English, '2010-2014、2016' in Chinese.

    Examples
    --------
    >>> year_runs([2016, 2010, 2011, 2012], lang="en"), year_runs([2018], lang="zh")
    ('2010–2012, 2016', '2018')
    """
    words_ = language(lang)
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return words_.SERIES_JOINER.join(
        str(a) if a == b else f"{a}{words_.YEAR_DASH}{b}" for a, b in runs
    )


@cache
def _unit_names() -> dict[str, str]:
    """The English name of every unit of the unit registry (``reference/units.csv``)."""
    import csv

    from analysis.config import reference_file

    with reference_file("units.csv").open(encoding="utf-8", newline="") as handle:
        return {row["unit"]: row["name_en"] for row in csv.DictReader(handle)}


def unit_label(unit: str, *, lang: str) -> str:
    """A unit as an axis label: '亿元' in Chinese, '100m yuan' in English (the registry's).

    Examples
    --------
    >>> unit_label("亿元", lang="zh"), unit_label("亿元", lang="en"), unit_label("元", lang="en")
    ('亿元', '100m yuan', 'yuan')
    """
    if lang == "zh":
        return unit
    return _unit_names().get(unit, unit)


def format_value(
    value: float | None,
    unit: str,
    qualifier: str = "",
    *,
    lang: str,
    decimals: float | None = None,
) -> str:
    """A level with its unit and qualifier in a language; '—' for a gap.

    ``decimals`` are the source's (the indicator table's ``value_decimals``): a published
    level keeps them, in both languages; without them the level is written as derived.

    Examples
    --------
    >>> format_value(323.3, "亿元", lang="zh"), format_value(323.3, "亿元", lang="en")
    ('323.3亿元', '32.33 bn yuan')
    >>> format_value(22, "万件", "余", lang="en"), format_value(float("nan"), "亿元", lang="zh")
    ('over 220,000', '—')
    >>> format_value(80.05, "亿元", lang="zh", decimals=2), format_value(80.05, "亿元", lang="en",
    ...                                                                  decimals=2)
    ('80.05亿元', '8.005 bn yuan')
    """
    if missing(value):
        return NONE
    return language(lang).level(value, unit, qualifier or "", decimals)


def format_points(value: float | None, *, lang: str) -> str:
    """A difference of two rates in percentage points: '+1.0个百分点' / '+1.0 points'.

    Examples
    --------
    >>> format_points(1, lang="zh"), format_points(-0.25, lang="en"), format_points(None, lang="zh")
    ('+1.0个百分点', '-0.3 points', '—')
    """
    if missing(value):
        return NONE
    return words(lang)["points"].format(value=signed(value))


def growth_words(value: float, *, lang: str) -> str:
    """Growth in words: '增长8.0%' / 'up 8.0%', '下降1.6%' / 'down 1.6%'.

    Examples
    --------
    >>> growth_words(8, lang="zh"), growth_words(-1.6, lang="en"), growth_words(0, lang="zh")
    ('增长8.0%', 'down 1.6%', '持平')
    """
    w = words(lang)
    if round(value, 1) == 0:
        return w["growth_flat"]
    return w["growth_up" if value > 0 else "growth_down"].format(value=rounded(abs(value)))


def timing_words(gap: float, *, lang: str) -> str:
    """Plan progress against time elapsed: '超时间进度1.0个百分点' / '1.0 points ahead'.

    Examples
    --------
    >>> timing_words(1.0, lang="zh"), timing_words(-2.5, lang="en"), timing_words(0, lang="zh")
    ('超时间进度1.0个百分点', '2.5 points behind', '与时间进度持平')
    """
    w = words(lang)
    if round(gap, 1) == 0:
        return w["on_time"]
    return w["ahead" if gap > 0 else "behind"].format(value=rounded(abs(gap)))


def rank_words(n: float, *, lang: str) -> str:
    """A rank as the language writes it: '第一位' / '1st'.

    Examples
    --------
    >>> rank_words(1, lang="zh"), rank_words(3.0, lang="en")
    ('第一位', '3rd')
    """
    return language(lang).rank(int(n))


def target_text(growth: float, qualifier: str, *, lang: str) -> str:
    """A growth target with its qualifier: '8.0%以上' / 'at least 8.0%'.

    Examples
    --------
    >>> target_text(8, "以上", lang="zh"), target_text(8, "以上", lang="en")
    ('8.0%以上', 'at least 8.0%')
    """
    return language(lang).target_growth(f"{rounded(growth)}%", qualifier or "")
