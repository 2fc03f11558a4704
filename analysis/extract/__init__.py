"""Figures out of bulletin prose: Chinese text in, reviewable rows of the raw long format out.

Much of what an analyst needs exists only as prose: press releases, statistical bulletins and
government work reports ("1-6月,全区实现地区生产总值323.3亿元,同比增长8.0%,增速居全市第3位").
:func:`extract_text` reads such text into candidate rows of the raw long format
(:data:`analysis.data.reading.LONG_COLUMNS`) plus review columns: where each figure was found
(``span_start``/``span_end``, character offsets into the text, and the ``sentence``), the
indicator ``phrase`` as written and the ``flags`` raised.

What is read, sentence by sentence (split on 。；; and line breaks):

- levels with a unit (亿元, 元, 万人次, 万平方米, 个/套/条/所/座/家/处 ...), in ASCII, full-width
  or Chinese digits, with qualifiers (约, 余, 多, 突破, 超过, 以上, 左右) kept in ``note``;
- growth (增长 / 下降 ... %, ``yoy_pct``) and changes in points (提高 / 回落 / 高于全市 ...
  个百分点, a row of their own in the unit 个百分点);
- completion of plan (占年度计划的51%, ``plan_pct``), shares (占 ... 的比重为73%, a row of
  their own), ranks (居 / 位列 / 排名 ... 第N, with the peer group), year-end targets
  (``is_target``, period ``<year>FY``);
- the period from the text (2019年上半年, 1-6月, 一季度, 全年 ...) or ``period=``, and the
  region from the text (全区, 全市, 二七区 ...) or ``region=``.

Ambiguity is surfaced, never guessed: the ``review`` column says what to check (a list of
values, one number for two indicators, no unit, a unit the registry does not know, another
year than the report period, a rank among a group the catalog does not know). Cleaning
(:func:`analysis.data.pipeline.process_files`) rejects a row whose ``review`` is not empty, so an
analyst corrects or clears those cells, and the reviewed file then goes the normal way into
``data/processed``. Dates, addresses, document numbers, phone numbers and meeting counts give
no row.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import catalog, periods
from analysis.catalog import Catalog
from analysis.catalog import load as load_catalog
from analysis.config import paths
from analysis.data import cleaning, reading, store
from analysis.errors import HalfyearError
from analysis.extract import layout, regions, words

__all__ = [
    "COLUMNS",
    "FLAGS",
    "MEASURES",
    "REVIEW_COLUMNS",
    "REVIEW_SUFFIXES",
    "add_cli",
    "default_review_path",
    "extract_file",
    "extract_text",
    "write_review",
]

#: Columns added to the raw long format for the reviewer.
REVIEW_COLUMNS = ("measure", "flags", "phrase", "sentence", "span_start", "span_end")

#: What a row's figure is (the ``measure`` column): its value is a level, a share, a change
#: of a level, a change in points or a rank; a row of growth only has ``growth``; two-year
#: average and month-on-month growth are rows of their own, in ``yoy_pct``.
MEASURES = (
    "level", "share", "change", "points", "rank", "growth", "two_year_avg", "month_on_month",
)  # fmt: skip

#: Columns of :func:`extract_text`'s frame: the raw long format, then the review columns.
COLUMNS = (*reading.LONG_COLUMNS, *REVIEW_COLUMNS)

#: Review file formats :func:`write_review` writes.
REVIEW_SUFFIXES = (".csv", ".xlsx")

#: What a flag in the ``flags`` column means; the ``review`` column says it in full.
FLAGS = {
    "list": "a list of values (分别 ...): check how values pair with indicators",
    "two_indicators": "one number could belong to two indicators",
    "no_unit": "a figure without a unit",
    "unknown_unit": "a unit that analysis/reference/units.csv does not know",
    "other_year": "the sentence is about another year than the report period",
    "peer_group": "a rank among a group the catalog does not know, or among none",
    "not_indicator": "a figure with no indicator phrase: perhaps not an indicator",
    "no_period": "no period in the text and none given",
    "no_region": "no region in the text and none given",
    "table_header": "a table whose header was not read: which column is which is a guess",
}

# ------------------------------------------------------------------------------ patterns
# All patterns work on folded text (full-width digits and signs made ASCII, one character
# for one, so offsets stay those of the original); '，' stays full-width, so that an ASCII
# comma between digits is a thousands separator and a full-width one separates clauses.

_SENTENCE = re.compile(r"[^。；;！？!?\n\r]+")
_CLAUSE_SEP = "，,;:："
_CJK = re.compile(r"[\u4e00-\u9fff]")

_BLOCKED = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # 2022-08-05, 2023/07/28
    r"|\d{4}\s*[-~—–至到]\s*\d{4}\s*年?"  # 2019-2021年
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?"  # 2019年, 2019年7月20日
    r"|\d{1,2}\s*[-~—–至到]\s*\d{1,2}\s*月"  # 1-6月
    r"|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"  # 6月, 7月15日
    r"|\d{1,2}\s*日"
    r"|\d+(?:\.\d+)?(?:\s*:\s*\d+(?:\.\d+)?){2,}"  # ratios 35:21:44 (before times)
    r"|\d{1,2}\s*:\s*\d{2}|\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?"  # 9:30, 9时30分
    r"|\d{3,4}\s*-\s*\d{7,8}|1[3-9]\d{9}"  # telephone numbers
    r"|[〔\[【(]\s*\d{4}\s*[〕\]】)]\s*\d+\s*号"  # 郑政〔2019〕12号
    r"|\d+\s*号"  # 88号, 1号线, 3号会议室
    r"|第\s*[\d一二三四五六七八九十]+"  # ordinals (ranks are read on their own)
    r"|(?:全市|全省|全国)?\d+\s*个\s*(?:县\s*\(\s*市\s*(?:、\s*区\s*)?\)\s*区?|县区|区县|省辖市|地市|城市)"
    r"|(?:附件|附表|表|图|编号|邮编|邮政编码|电话|代码|传真)\s*\d+"
    r"|\d+(?:\.\d+)?(?:\s*:\s*\d+(?:\.\d+)?)+"  # ratios 1.2:35.6:63.2
    r"|\d+\s*\+\s*\d+"  # 3+2 (a name, not a sum)
)
_ARABIC = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?")
_CHINESE = re.compile(r"(?<![第一二三四五六七八九十两〇零])[一二三四五六七八九十两]+")
_LIST_TAIL = re.compile(r"(?:\s*[、和]\s*-?\d+(?:\.\d+)?)+")
_BRACKETED_AFTER = re.compile(r"^[(（][^()（）]{0,20}[)）]")
_CJK_RUN = re.compile(r"(?![的以左余多])[\u4e00-\u9fff]{1,3}")
_RANGE = re.compile(r"\s*%?\s*[-~—–至到]\s*(\d+(?:\.\d+)?)")
_MAGNITUDE_WORDS = "万亿|千万|百万|十万|万|亿|千|百"


@cache
def _unit_tail() -> re.Pattern:
    """What follows a number: qualifiers, a magnitude and a unit the unit registry knows.

    The units are those of analysis/reference/units.csv (names and aliases, longest
    first); a one-character unit is not one before the characters its ``unit_guard`` in
    extract_words.csv lists (人 before 均 is 人均).
    """
    guards = words.unit_guards()
    names = {
        n
        for n in cleaning.known_unit_names()
        if not n.isascii()
        and cleaning.unit_dimension(n) not in ("rank", "relation")
        and not re.fullmatch(_MAGNITUDE_WORDS, n)  # 亿 alone is a magnitude here
    }
    names |= {"%", "‰", "百分点", "名"}
    alternatives = []
    for name in sorted(names, key=lambda n: (-len(n), n)):
        guard = guards.get(name)
        alternatives.append(re.escape(name) + (f"(?!{guard})" if guard else ""))
    return re.compile(
        rf"\s*(?P<pre>余|多)?(?:(?P<mag>{_MAGNITUDE_WORDS})?(?P<mid>余|多)?"
        rf"(?P<base>{'|'.join(alternatives)})|(?P<bare>{_MAGNITUDE_WORDS}))?"
        r"(?P<post>余|多|以上|左右|以内|以下)?"
    )


_RELATION_VERBS = {
    "高": "高于", "高出": "高于", "快": "快于", "多": "高于",
    "低": "低于", "慢": "慢于", "少": "低于",
}  # fmt: skip
_PREFIX_QUALIFIER = re.compile(r"(?:接近|突破|超过|约有|多达|约|近|逾)\s*$")

_UP = ("增长", "增加", "净增", "多增", "上升", "提高", "提升", "回升", "加快", "上涨", "扩大")
_DOWN = ("下降", "减少", "净减", "少增", "回落", "降低", "下滑", "放缓", "下跌", "缩小")
_VERBS = "|".join((*_UP, *_DOWN, "收窄"))
_A_RATE = re.compile(
    r"(?P<basis>增速|增幅|降幅|增长率|增长幅度)(?P<list>分别)?(?:为|是|达到|达|约为)?\s*$"
)
_A_GROWTH = re.compile(
    rf"(?P<measure>两年平均|年均|环比)?(?P<list>分别)?(?:名义|实际)?(?P<verb>{_VERBS})了?(?:约)?\s*$"
)
#: A figure in brackets after a comparison: the base's own figure (较一季度(-10.8%)).
_A_BRACKET = re.compile(
    r"(?:比|较|与|同)\s*(?P<base>上年同期|去年同期|上年末|上年|去年|[一二三四1-4]季度"
    r"|1\s*[-~—–至到]\s*\d{1,2}\s*月份?|\d{4}\s*年(?:同期)?)\s*\(\s*$"
)
#: A growth given without its % sign, after 同比/比上年 (同比增长2.2,).
_NO_PERCENT = re.compile(r"(?:同比|比上年|比去年|较上年|较去年)(?:同期)?(?:增长|下降)\s*$")
_A_RELATION = re.compile(
    r"(?P<verb>高于|低于|快于|慢于|超出|超过|超)(?P<base>[^，,;:、]{0,16}?)\s*$"
    r"|(?:比|较)(?P<base2>[^，,;:、]{1,16}?)(?P<verb2>高出|高|低|快|慢)了?\s*$"
)
#: A level's gap to another region or period: 比全市低2568元, 高于全省1271元.
_A_GAP = re.compile(
    r"(?:比|较)(?P<base2>全[市省国]|上年同期|去年同期|上年末?|去年|年初)(?P<verb2>高出|高|低|多|少)了?\s*$"
    r"|(?P<verb>高于|低于)(?P<base>全[市省国](?:平均水平)?)\s*$"
)
_A_PLAN = re.compile(
    r"(?:(?:占|完成|为|达到|达|超)(?:年度|全年度|全年|本年度|年)?|年度|全年度|全年|本年度|年)"
    r"(?:投资)?"
    r"(?:计划|目标任务|目标|任务|预算)(?:任务)?的?(?:比重|比例)?(?P<list>分别)?(?:为|达到|达)?\s*$"
)
_A_SHARE = re.compile(
    r"占(?P<whole>[^，,;:占]{0,24}?)的?(?:比重|比例|份额)?(?P<list>分别)?"
    r"(?:为|是|达到|达|提高到|提高至|提升到|提升至|升至|上升到|上升至|降至|下降到|下降至)?\s*$"
    r"|占比(?P<list2>分别)?(?:为|是|达到|达|提高到|升至)?\s*$"
)
_A_FLAT = re.compile(r"(?<!保)持平(?!稳)")
_FLAT_WITH = re.compile(r"与(?P<base>全[市省国](?:平均水平)?)(?:基本)?(?:保持)?\s*$")
_RANK_NUMBER = re.compile(
    r"第(?P<n>\d+|[一二三四五六七八九十]+)(?P<w>位|名)?"
    r"(?!方阵|梯队|季度|批|次|个|期|产业|届|条|号|章|款|部分|阶段|年|轮)|(?P<top>首位|之首|榜首)"
)
_RANK_VERB = re.compile(
    r"位居|居于|居(?!民)|位列|排名|排位|排在|排|名列|位于|上升至|上升到|升至|提升至|提升到"
    r"|前移至|下降至|下降到|降至|后移至|跃居|跻身"
)
#: A clause that is only a peer group before 第N: 全市第九, 小组第四, 七县(市)第二.
_PEER_ONLY = re.compile(
    r"(?:在)?(?:全[市省国区县]|[\u4e00-\u9fff]{0,6}(?:组|片区|县\(市\)|县区|区县|城区|[市省区县]))"
)
_RANK_GLUE = re.compile(r"^[，,、和]\s*[^\d，,;:。]{0,12}$")
_PEER_IN = re.compile(r"在(?P<peer>[^，,;:]{1,24}?)中\s*$")

_FRAME = re.compile(
    r"(?P<prev>上年同期|去年同期|上年|去年)(?=[,，:、]|全区|全市|全省|我区)"
    r"|(?:(?P<year>\d{4})\s*年?度?)?(?P<span>上半年|下半年|前三季度|全年|第?[一二三四1-4]季度"
    r"|1\s*[-~—–至到]\s*\d{1,2}\s*月份?|\d{1,2}\s*月(?:底|末)|年底|年末)"
    r"|(?:(?P<year2>\d{4})\s*年)?(?<![\d-])(?P<month>\d{1,2})\s*月份?(?![\d底末日号])"
    r"|(?P<yearonly>\d{4})\s*年度?(?![\d同]|平均汇率|不变价|可比价|价格)"
)
_NOT_FRAME_BEFORE = re.compile(r"(?:比|较|与|同|由|从)\s*$")
_NOT_FRAME_AFTER = re.compile(r"^\s*(?:同期|以来|相比|各月|的)")
#: Words that make a figure an annual target.
_TARGET = re.compile(
    r"目标(?!完成情况)|预期|力争|确保|预计|年底前|到年底"
    r"|计划(?=完成|实现|实施|新建|建设|开工|新增|投资|总投资|任务)"
)
#: Words that make a target only in a text about part of a year (全年新建公厕20座), and not
#: when what follows says it is done so far (全年累计 is the year to date).
_WEAK_TARGET = re.compile(r"全年|(?<!上)年底|控制在")  # 年末 dates a stock: no target
_SO_FAR = re.compile(r"累计|已|实际|截至|目前")
_ACTUAL = re.compile(r"已|目前|截至|上半年|1\s*[-~—–至到]\s*\d{1,2}\s*月|实际完成")

_BASES = (
    r"上年同期|去年同期|上年末|上年底|去年末|去年底|上年|去年|年初|上月|上季度|前三季度|[一二三四]季度"
    r"|\d{4}\s*年(?:同期)?|1\s*[-~—–至到]\s*\d{1,2}\s*月|全市|全省|全国"
)
_LEAD_PREFIX = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|其中|同时|另外|此外|目前|当前|总体看|今年以来|年初以来|[一二三四]季度以来|今年|本年"
    r"|截至\s*\d{1,2}\s*月(?:底|末)|\d{4}\s*年度?|上年同期|去年同期|上半年|下半年|前三季度|全年"
    r"|第?[一二三四1-4]季度|1\s*[-~—–至到]\s*\d{1,2}\s*月份?|\d{1,2}\s*月份?|年底前|到年底|年底|年末|年内"
    r"|要|将|确保"
    r"|力争|预计|努力|可(?=完成|实现|达到)|转为|已(?=累计|完成|实现)|计划|主要预期目标是|预期目标是|主要目标是|目标是"
    r"|共|按可比价格计算|按可比价计算|扣除价格因素|有|的|[、和及]|与(?!上年|去年|全[市省国]))\s*"
)
_LEAD_SUFFIX = re.compile(
    r"(?:全年累计|本年累计|年累计|全年|合计|总计|名义|实际|为|是|达到|达|约|共|共计|累计完成|累计|已|有|的|突破"
    r"|超过|接近|近|逾|中|分别|全部|均|各"
    r"|都|完成|实现|力争|预期目标|预期|预计|计划|目标|控制在|增速|增幅|降幅|增长率|增长幅度|总量"
    rf"|由\s*(?:{_BASES}))\s*$"
)
_BASE = re.compile(
    rf"(?:同比|环比|同口径|可比|(?:比|较|与|同)\s*(?P<base>{_BASES})(?:相比|平均水平)?)\s*"
    r"(?:增速|增幅|降幅)?\s*(?:基本)?(?:保持)?\s*$"
)
_PARENTHETICAL = re.compile(r"\([A-Za-z]+\)")
_FOOTNOTE = re.compile(r"\[\d{1,2}\]")
_GENERIC = re.compile(
    r"^(?:已|累计|共)?(?:完成|实现)?(?:投资|总投资|施工招标|招标|挂网|开工建设|开工|竣工|建成|回迁)$"
)
_NOUN_STOP = re.compile(
    r"完成|实现|累计|共计|开工|竣工|签约|总投资|占|居(?!民)|增长|同比|比上年|参与|参加|全部"
)
_NOUN_CUT = re.compile(r"(?<=..)(?:完成|实现|开工|建成|竣工|累计|已)")
_MEETING = re.compile(
    r"会议|会上|专题会|常务会|推进会|座谈会|调度会|分析会|现场会|观摩会|发言|召开|出席|参会|参加"
)
_LEADING_VERB = re.compile(r"^(?:实现|完成|达到)(?=.)")
_CONJUNCTION = re.compile(r"以及|、|和|与|(?<![惠涉普危波顾触企])及(?![时早])")
_LIST_GLUE = re.compile(r"^\s*[,，、]?\s*(?:和|及|与|以及)?\s*$")


# ------------------------------------------------------------------------------ text


@cache
def _fold_table() -> dict[int, str]:
    """One-for-one folding: full-width ASCII forms and signs, but not '，' (see patterns)."""
    table = {}
    for code in range(0xFF01, 0xFF5F):
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and chr(code) != "，":
            table[code] = folded
    table.update({0x2212: "-", 0x3000: " ", 0x00A0: " "})
    return table


_MIDDLE_DOT = re.compile(r"(?<=\d)[·•・](?=\d)")


def _fold(text: str) -> str:
    """Text with full-width digits, letters and signs made ASCII, offsets unchanged.

    Examples
    --------
    >>> _fold("增长８．０％（初步），")
    '增长8.0%(初步)，'
    """
    return _MIDDLE_DOT.sub(".", text.translate(_fold_table()))


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets, split on 。；; ！？ and line breaks, trimmed.

    Examples
    --------
    >>> _sentences("上半年，GDP增长8%。\\n  固投增长10%；")
    [(0, '上半年，GDP增长8%'), (15, '固投增长10%')]
    """
    out = []
    for match in _SENTENCE.finditer(text):
        body = match.group()
        stripped = body.strip()
        if stripped:
            out.append((match.start() + body.index(stripped), stripped))
    return out


# ------------------------------------------------------------------------------ context


@dataclass(frozen=True)
class _Context:
    """What the whole text (and the arguments) say: region, period and where they came from."""

    region: str
    period: periods.Period | None
    source: str
    index: regions.RegionIndex


def _frames(text: str) -> list[tuple[int, int, re.Match]]:
    """Period expressions that set a time frame (not a comparison base), as (start, end, match)."""
    out = []
    for match in _FRAME.finditer(text):
        if _NOT_FRAME_BEFORE.search(text[max(0, match.start() - 2) : match.start()]):
            continue
        if _NOT_FRAME_AFTER.match(text[match.end() : match.end() + 3]):
            continue
        out.append((match.start(), match.end(), match))
    return out


_PART_OF_YEAR = re.compile(
    r"上半年|下半年|前三季度|[一二三四1-4]季度|\d{1,2}\s*[-~—–至到]\s*\d{1,2}\s*月"
)
_FULL_YEAR_TEXT = re.compile(
    r"(?P<year>(?:19|20)\d\d)\s*年(?:度)?[^\n。]{0,30}(?:国民经济和社会发展)?统计公报"
    r"|(?:^|[\n。])\s*(?:初步核算，|初步核算,)?(?P<year2>(?:19|20)\d\d)\s*年(?:度|全年)?[，,全]"
)


def _document_period(text: str) -> periods.Period | None:
    """The period a text is about, from its headline and first sentences.

    The first period stated with its year (2019年上半年, 2019年1-6月); a cumulative period
    before a single quarter that ends with it (a 二季度 headline over 上半年 figures); a
    year alone when the text is a full-year bulletin (统计公报, or a year that opens a
    sentence with no part of a year near it). None when the text states none.
    """
    head = _fold(text[:2000])
    found: list[periods.Period] = []
    for _, _, match in _frames(head):
        if match.group("year") and match.group("span"):
            try:
                found.append(periods.parse_period(match.group("year") + "年" + match.group("span")))
            except periods.PeriodError:
                continue
    for period in found:
        if period.start_month > 1:
            better = [p for p in found if p.start_month == 1 and p.end_month == period.end_month]
            return better[0] if better else period
        return period
    opening = head[:600]
    if (bulletin := _FULL_YEAR_TEXT.search(opening)) and bulletin.group("year"):
        return periods.Period(int(bulletin.group("year")), 1, 12)  # …年…统计公报
    if _PART_OF_YEAR.search(opening):
        return None
    if year := _FULL_YEAR_TEXT.search(opening):
        return periods.Period(int(year.group("year") or year.group("year2")), 1, 12)
    return None


def _frame_period(match: re.Match, default: periods.Period | None) -> tuple[int | None, tuple]:
    """The year (None when unstated) and (start, end) months a frame expression states."""
    year_default = default.year if default else None
    if match.group("prev"):
        span = (default.start_month, default.end_month) if default else (1, 12)
        return (year_default - 1 if year_default else None), span
    if match.group("yearonly"):
        return int(match.group("yearonly")), (1, 12)
    if match.group("month"):
        month = int(match.group("month"))
        return (int(match.group("year2")) if match.group("year2") else None), (month, month)
    year = int(match.group("year")) if match.group("year") else None
    try:
        found = periods.parse_period(match.group("span"), year=year or year_default or 2000)
    except periods.PeriodError:
        return year, (default.start_month, default.end_month) if default else (1, 12)
    return year, (found.start_month, found.end_month)


# ------------------------------------------------------------------------------ tokens


@dataclass(frozen=True)
class _Token:
    """A figure (or rank) in a sentence: its role, where its anchor starts, what it says."""

    role: str  # level, growth, points, change, plan, share, rank
    start: int  # start of the anchor (增长, 占, 居 ...) or of the figure; the lead ends here
    end: int
    number: str = ""
    unit: str = ""
    unit_known: bool = True
    qualifier: str = ""
    range_to: str = ""
    verb: str = ""
    base: str = ""  # comparison base (高于全市 ...) or the whole of a share (占一般公共预算支出)
    basis: str = ""  # 增速 / 总量 for ranks and rates
    peer: str = ""
    listed: bool = False  # 分别


def _blocked_spans(s: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BLOCKED.finditer(s)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _unit_of(mag: str, base: str) -> tuple[str, bool]:
    """Canonical unit of a magnitude and a base word, and whether the registry knows it."""
    base = {"名": "人", "百分点": "个百分点"}.get(base, base)
    text = mag + base
    if not text:
        return "", True
    try:
        return cleaning.parse_unit(text), True
    except cleaning.CleaningError:
        return text, False


def _number_value(text: str) -> float | None:
    """The value of ASCII digits (thousands separators allowed) or a Chinese numeral."""
    if text[0].isdigit():
        return float(text.replace(",", ""))
    try:
        return float(cleaning.chinese_numeral(text))
    except cleaning.CleaningError:
        return None


def _anchor(head: str, unit: str) -> tuple[str, dict[str, str], int | None]:
    """The role a figure plays from the words just before it (增长, 占, 高于 ...).

    Returns the role, the anchor's named groups and where the anchor starts in ``head``
    (None without an anchor: a level).

    Examples
    --------
    >>> _anchor("同比增长", "%")
    ('growth', {'verb': '增长'}, 2)
    >>> _anchor("占一般公共预算支出的", "%")
    ('share', {'whole': '一般公共预算支出'}, 0)
    >>> _anchor("实现地区生产总值", "亿元")
    ('level', {}, None)
    """
    window = head[-40:]
    offset = len(head) - len(window)
    if unit == "%" and (match := _A_BRACKET.search(window)):
        return "bracket", {"base": match.group("base")}, offset + match.start()
    tries: list[tuple[str, re.Pattern]]
    if unit == "个百分点":
        tries = [("points", _A_GROWTH), ("relation", _A_RELATION)]
    elif unit == "%":
        tries = [("plan", _A_PLAN), ("share", _A_SHARE), ("growth", _A_RATE), ("growth", _A_GROWTH)]
    else:
        tries = [("change", _A_GROWTH), ("change_vs", _A_GAP)]
    for role, pattern in tries:
        if match := pattern.search(window):
            groups = {k: v for k, v in match.groupdict().items() if v}
            if role == "change" and groups.get("verb") not in (*_UP, *_DOWN):
                continue
            if role == "growth" and groups.get("measure"):
                role = "two_year" if groups["measure"] in ("两年平均", "年均") else "month"
            return role, groups, offset + match.start()
    return ("points" if unit == "个百分点" else "level"), {}, None


def _sign(verb: str, basis: str) -> int:
    """+1 or -1 from the verb (增长, 下降, 高于 ...) and, for 收窄/扩大, what narrows."""
    if verb == "收窄":
        return 1 if basis == "降幅" else -1
    if verb == "扩大":
        return -1 if basis == "降幅" else 1
    if verb in ("低于", "慢于") or verb in _DOWN:
        return -1
    return 1


def _figure(s: str, match: re.Match, blocked: list) -> _Token | None:
    """The figure a number starts, or None when it is not one (a date, a code, 5G, 500强)."""
    start, end = match.span()
    text = match.group()
    chinese = not text[0].isdigit()
    range_to = ""
    if not chinese and (rng := _RANGE.match(s, end)) and not _inside(blocked, *rng.span()):
        range_to, end = rng.group(1), rng.end()
    tail = _unit_tail().match(s, end)
    mag, base = tail.group("mag") or tail.group("bare") or "", tail.group("base") or ""
    tail_end = tail.end()
    times = False
    if not chinese and not (mag or base):
        if s.startswith("倍", end):  # 增长1.4倍 is 140%
            times, base, tail_end = True, "%", end + 1
        elif listed := _LIST_TAIL.match(s, end):
            # 2.74、1.96、5.1个百分点: the unit of the list's last figure
            last = _unit_tail().match(s, listed.end())
            if last.group("base") and not last.group("mag"):
                base = last.group("base")
    unknown_word = ""
    if mag and not base and (word := _CJK_RUN.match(s, tail.end())):
        unknown_word = word.group()  # 1.2亿欧元: a unit the registry does not know
    after = s[tail_end:].lstrip()
    if chinese and (not (mag or base) or base in ("%", "个百分点", "百分点")):
        return None
    if chinese and text == "一" and not mag:
        return None
    value = _number_value(text)
    if value is None:
        return None
    qualifier = next(
        (q for q in (tail.group("pre"), tail.group("mid"), tail.group("post")) if q), ""
    )
    if not (mag or base):
        # no unit: a figure only at the end of a clause, not a code or a long number
        if after and not after.startswith(tuple(_CLAUSE_SEP + "、)）")):
            return None
        if len(text.split(".")[0].replace(",", "")) > 5 and "." not in text:
            return None
        if re.fullmatch(r"(?:19|20)\d\d", text):
            return None  # a year (公报 2021), not a figure
        if _NO_PERCENT.search(s[max(0, start - 12) : start]):
            base = "%"  # 同比增长2.2, : a growth whose % sign is missing
    if tail.group("post") in ("以上", "以下") and _CJK.match(s[tail_end : tail_end + 1]):
        return None  # 5000万元以上项目: a threshold inside a name
    after = _BRACKETED_AFTER.sub("", after)
    if after.startswith("的") and not re.match(r"的(?:目标|任务)", after):
        return None  # a threshold inside a name: 年收入超过50万元的村
    unit, known = _unit_of(mag, base)
    if unknown_word:
        unit, known = mag + unknown_word, False
        tail_end = tail.end() + len(unknown_word)
    q_start = start
    negative = start > 0 and s[start - 1] == "-" and (start < 2 or not s[start - 2].isdigit())
    if negative:
        q_start -= 1
    if prefix := _PREFIX_QUALIFIER.search(s[:q_start]):
        qualifier = qualifier or prefix.group().strip()
        q_start = prefix.start()
    role, groups, anchor_start = _anchor(s[:q_start], unit)
    if role in ("relation", "change_vs"):  # 高于全市…个百分点, 比全市低2568元
        verb = groups.get("verb") or _RELATION_VERBS[groups["verb2"]]
        base = groups.get("base") or groups.get("base2") or ""
        role = "points" if role == "relation" else "change"
        groups = {"verb": verb, "base": base.strip()}
    number = str(int(value)) if chinese else ("-" if negative else "") + text.replace(",", "")
    if times:
        number = _times_percent(number)
        qualifier = qualifier or ""
    return _Token(
        role=role,
        start=q_start if anchor_start is None else anchor_start,
        end=tail_end,
        number=number,
        unit=unit,
        unit_known=known,
        qualifier=qualifier,
        range_to=range_to,
        verb=groups.get("verb", ""),
        basis=groups.get("basis", ""),
        base=groups.get("base", groups.get("whole", "")).strip(),
        listed=bool(groups.get("list") or groups.get("list2")),
    )


def _times_percent(number: str) -> str:
    """增长N倍 as a percentage: N × 100, written without a trailing .0.

    Examples
    --------
    >>> _times_percent("1.4"), _times_percent("3"), _times_percent("-0.25")
    ('140', '300', '-25')
    """
    value = Decimal(number) * 100
    return format(value.normalize(), "f") if value != value.to_integral() else str(int(value))


def _count_noun(s: str, token: _Token, next_start: int) -> tuple[str, int]:
    """The noun a count stands before (175个重大项目 -> 重大项目) and where it ends."""
    pos = token.end
    if pos >= len(s) or not _CJK.match(s[pos]) or s.startswith(words.words("ignored_noun"), pos):
        return "", pos
    stop = pos
    while stop < min(len(s), next_start) and s[stop] not in _CLAUSE_SEP + "、":
        stop += 1
    body = s[pos:stop]
    if (cut := _NOUN_STOP.search(body)) and cut.start() > 0:
        return body[: cut.start()], pos + cut.start()
    return body, stop


def _rank_text(match: re.Match) -> str:
    """The rank a 第N / 首位 match states, as text ('' when it is not a rank)."""
    if match.group("top"):
        return "1"
    try:
        return str(cleaning.parse_rank("第" + match.group("n")))
    except cleaning.CleaningError:
        return ""


def _rank_basis(text: str) -> str:
    """What a rank is by, from the words before its verb: 增速 (growth), 总量 (level) or ''."""
    if re.search(r"增速|增幅", text):
        return "增速"
    return "总量" if re.search(r"总量|规模", text) else ""


def _ranks(s: str) -> list[_Token]:
    """Ranks: 第N (位/名), 首位, 之首 after 居 / 位列 / 排名 ... in the same clause.

    Examples
    --------
    >>> [(t.number, t.peer, t.basis) for t in _ranks("增速居市内五区第三、全市第九")]
    [('3', '市内五区', '增速'), ('9', '全市', '增速')]
    """
    out: list[_Token] = []
    for match in _RANK_NUMBER.finditer(s):
        clause_start = max((s.rfind(c, 0, match.start()) for c in _CLAUSE_SEP), default=-1) + 1
        clause_start = max(clause_start, out[-1].end if out else 0)
        before = s[clause_start : match.start()]
        verbs = list(_RANK_VERB.finditer(before))
        if not verbs and _PEER_ONLY.fullmatch(before.strip()) and clause_start > 0:
            number = _rank_text(match)
            if number:
                out.append(
                    _Token(
                        role="rank",
                        start=clause_start + len(before) - len(before.lstrip()),
                        end=match.end(),
                        number=number,
                        unit="位",
                        peer=before.strip(),
                    )
                )
            continue
        if not verbs:
            glue = s[out[-1].end : match.start()] if out else ""
            if out and len(glue) <= 16 and _RANK_GLUE.match(glue):
                # 居市内五区第三、全市第九: a further rank under the same verb
                peer = glue.strip(_CLAUSE_SEP + "、 ")
                out.append(
                    replace(
                        out[-1],
                        start=out[-1].end,
                        end=match.end(),
                        peer=peer,
                        number=_rank_text(match) or out[-1].number,
                    )
                )
            continue
        verb = verbs[-1]
        peer = before[verb.end() :].split("的")[-1].strip()
        start = clause_start + verb.start()
        if not peer and (inside := _PEER_IN.search(before[: verb.start()])):
            peer = inside.group("peer").strip()
            start = clause_start + inside.start()
        if not peer and out and out[-1].end >= clause_start - 1:
            peer = out[-1].peer
        number = _rank_text(match)
        if not number:
            continue
        out.append(
            _Token(
                role="rank",
                start=start,
                end=match.end(),
                number=number,
                unit="位",
                peer=peer,
                verb=verb.group(),
                basis=_rank_basis(before[: verb.start()]),
            )
        )
    return out


def _tokens(s: str) -> list[_Token]:
    """Every figure and rank of a sentence, in order."""
    blocked = _blocked_spans(s)
    ranks = _ranks(s)
    taken = blocked + [(t.start, t.end) for t in ranks]
    found: list[_Token] = list(ranks)
    for pattern in (_ARABIC, _CHINESE):
        for match in pattern.finditer(s):
            if _inside(taken, *match.span()):
                continue
            if (token := _figure(s, match, blocked)) is not None:
                found.append(token)
                taken.append((match.start(), token.end))
    for match in _A_FLAT.finditer(s):
        if against := _FLAT_WITH.search(s[: match.start()]):  # 增幅与全市持平
            token = _Token(
                role="points", start=against.start(), end=match.end(), number="0",
                unit="个百分点", verb="高于", base=against.group("base"),
            )  # fmt: skip
        else:
            token = _Token(
                role="growth", start=match.start(), end=match.end(), number="0", unit="%"
            )
        found.append(token)
    found.sort(key=lambda t: t.start)
    out: list[_Token] = []
    for token in found:
        if out and token.start < out[-1].end:
            token = replace(token, start=out[-1].end)
        out.append(token)
    return out


# ------------------------------------------------------------------------------ subjects


@dataclass(frozen=True)
class _Subject:
    """The indicator phrase a figure's lead text names, with what the lead says about it."""

    display: str = ""
    start: int = 0  # offset in the sentence where the phrase starts
    basis: str = ""  # 增速, 降幅, 总量 or ''
    base: str = ""  # comparison base (上年同期, 一季度, 全市 ...)
    listed: bool = False  # 分别
    distribute: bool = False  # 均 / 各 / 都
    generic: bool = False  # 完成投资, 已挂网 ...: the noun comes from the figure before
    regions: tuple[str, ...] = ()  # regions named before the phrase (codes)
    relative: str = ""  # 全区 / 全市 / 全省 / 全国 as self, city, province, nation
    pull: str = ""  # 拉动 <what>
    real: bool = False  # 实际增长
    written: str = ""  # the clause as written, for names that start like a prefix (全年…)


#: Headings before the sentence, up to its last space (财政收入 全县…, 二、农 业 全年…).
_RUN_IN_HEADING = re.compile(r".*\S[ \u3000]+(?=[\u4e00-\u9fff]{2})")


def _strip_prefixes(text: str, start: int, ctx: _Context) -> tuple[str, int, list[str], str]:
    """Leading connectors, periods and regions removed; the regions and relative word found."""
    idx = ctx.index
    near = {ctx.region, *idx.ancestors(ctx.region)} if ctx.region else set()
    named: list[str] = []
    if heading := _RUN_IN_HEADING.match(text):  # 财政收入 全县…, 二、农 业 全年…, 单位:人 全年…
        text, start = text[heading.end() :], start + heading.end()
    if text[:1] in "(（":
        text, start = text[1:], start + 1
    relative = ""
    leads = words.words("lead")
    while True:
        text_before = text
        if match := _LEAD_PREFIX.match(text):
            text, start = text[match.end() :], start + match.end()
        if word := next((w for w in leads if text.startswith(w)), ""):
            text, start = text[len(word) :], start + len(word)
        if word := next((w for w in words.words("relative_region") if text.startswith(w)), ""):
            relative = words.relative_regions()[word]
            text, start = text[len(word) :], start + len(word)
        if idx.pattern is not None and (match := idx.pattern.match(text)):
            if code := idx.resolve(idx.names[match.group()], near):
                named.append(code)
            text, start = text[match.end() :], start + match.end()
        stripped = text.lstrip()
        start += len(text) - len(stripped)
        text = stripped
        if text == text_before:
            return text, start, named, relative


#: A name that says it is a share: 第二产业增加值比重, 服务业在全区经济中的比重.
_SHARE_NAME = re.compile(r"(?P<part>.+?)(?:在[^在]{1,10}中)?的?(?:比重|占比|比例)")
_METHOD = re.compile(r"按[^，,按]{1,16}?计算(?:比上年)?(?:[(（][^()（）]{0,12}[)）])?(?:为)?")
_INNER_MONTH = re.compile(r"(?<=[\u4e00-\u9fff])\d{1,2}\s*月份?(?:实现|完成)?")
_RANK_PEER = re.compile(r"在[^在]{1,12}?中?$")
_BASIS_WORDS = ("增速", "增幅", "增长率", "增长幅度", "降幅", "总量")


def _subject(lead: str, lead_start: int, ctx: _Context, role: str = "") -> _Subject:
    """The subject of a figure from the text between the previous figure and this one."""
    cut = max(lead.rfind(c) for c in _CLAUSE_SEP)
    local, start = lead[cut + 1 :], lead_start + cut + 1
    text, start, named, relative = _strip_prefixes(local, start, ctx)
    basis = base = pull = ""
    listed = distribute = real = False
    if "拉动" in text:
        text, pull = text.split("拉动", 1)
    while True:
        before = text
        if match := _BASE.search(text):
            base = base or match.group("base") or "上年同期"
            text = text[: match.start()].rstrip()
        if match := _LEAD_SUFFIX.search(text):
            word = match.group().strip()
            if role in ("level", "change") and word in _BASIS_WORDS:
                break  # 自然增长率1.66‰, 能源能耗总量540.8万吨标准煤: part of the name
            if word in ("增速", "增幅", "增长率", "增长幅度"):
                basis = basis or "增速"
            elif word in ("降幅", "总量"):
                basis = basis or word
            elif word == "分别":
                listed = True
            elif word in ("均", "各", "都"):
                distribute = True
            elif word == "实际":
                real = True
            text = text[: match.start()].rstrip()
        if text == before:
            break
    text = _FOOTNOTE.sub("", _PARENTHETICAL.sub("", text)).lstrip(" )）").rstrip(" (（")
    text = _METHOD.sub("", text)  # 按2018年平均汇率计算, 按现价计算(以下简称同比)
    text = _INNER_MONTH.sub("", text)  # 纺织业6月份实现工业总产值
    if role == "rank" and (peer := _RANK_PEER.search(text)):  # 收入增幅在中心城区 (排位第五)
        text = text[: peer.start()]
        if match := re.search(r"(?:增速|增幅|降幅|总量)$", text):
            basis = basis or {"增幅": "增速"}.get(match.group(), match.group())
            text = text[: match.start()]
    generic = bool(_GENERIC.match(text))
    if not generic and (verb := _LEADING_VERB.match(text)):
        text, start = text[verb.end() :], start + verb.end()
    return _Subject(
        written=local.strip(),
        display=text,
        start=start,
        basis=basis,
        base=base,
        listed=listed,
        distribute=distribute,
        generic=generic,
        regions=tuple(named),
        relative=relative,
        pull=pull.strip(),
        real=real,
    )


def _noun_of(phrase: str) -> str:
    """The noun part of a phrase, to prefix a bare verb phrase: 路网开工建设 -> 路网."""
    if match := _NOUN_CUT.search(phrase):
        phrase = phrase[: match.start()]
    return re.sub(r"(?:个数|数量|数)$", "", phrase)


def _lookup(*names: str) -> str | None:
    """The catalog code of the first name the catalog knows."""
    for name in names:
        if name and (code := catalog.indicator_code(name)):
            return code
    return None


def _display_variants(display: str) -> tuple[str, tuple[str, ...]]:
    """A phrase as shown (without 实现, 累计 inside) and the ways to look it up.

    Examples
    --------
    >>> _display_variants("规模以上工业企业实现主营业务收入")[0]
    '规模以上工业企业主营业务收入'
    >>> _display_variants("创建优秀红旗路段")
    ('创建优秀红旗路段', ('创建优秀红旗路段', '优秀红旗路段'))
    """
    shown = re.sub(r"(?<=.)(?:实现|累计|完成(?!投资|任务|情况))", "", display)
    no_verb = re.sub(r"^(?:创建|打造|开展|实施|实现|完成|达到)", "", shown)
    return shown, tuple(dict.fromkeys((shown, display, no_verb)))


@cache
def _catalog_pattern() -> re.Pattern:
    """Catalog names and aliases (3 characters or more), longest first."""
    cat = catalog.indicators()
    names = {n for _, row in cat.iterrows() for n in (row["name_zh"], *row["aliases"].split("|"))}
    ordered = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in ordered))


def _catalog_in(text: str) -> tuple[str, int] | None:
    """The last catalog name in a text, and where it starts (for a figure with no subject)."""
    found = list(_catalog_pattern().finditer(text))
    return (found[-1].group(), found[-1].start()) if found else None


def _conjuncts(phrase: str) -> list[str]:
    """The indicators a phrase joined by 、/和/与/及 names; [phrase] when it names one.

    A short first part shares the head of the last (城镇、农村居民人均可支配收入 is
    城镇居民人均可支配收入 and 农村居民人均可支配收入).

    Examples
    --------
    >>> _conjuncts("城镇、农村居民人均可支配收入")
    ['城镇居民人均可支配收入', '农村居民人均可支配收入']
    >>> _conjuncts("新开工和竣工项目"), _conjuncts("住宿和餐饮业增加值")
    (['新开工项目', '竣工项目'], ['住宿和餐饮业增加值'])
    """
    if _lookup(phrase):
        return [phrase]
    masked = phrase
    for name in words.words("compound"):
        masked = masked.replace(name, "\x00" * len(name))
    cuts = [m.span() for m in _CONJUNCTION.finditer(masked)]
    if not cuts:
        return [phrase]
    parts, pos = [], 0
    for a, b in cuts:
        parts.append(phrase[pos:a])
        pos = b
    parts.append(phrase[pos:])
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return [phrase]
    last = parts[-1]
    out = []
    for part in parts[:-1]:
        if _lookup(part) or len(part) >= 4 or len(part) >= len(last):
            out.append(part)
            continue
        head = ""
        for k in range(len(part), 0, -1):
            if (found := last.find(part[-k:])) > 0:
                head = last[found + k :]
                break
        head = head or last[len(part) :]
        out.append(part + head if len(head) >= 2 else part)  # 牛、家禽: no shared head
    return [*out, last]


_ORDINAL_LIST = re.compile(
    r"(?P<pre>第?)(?P<first>[一二三四五六七八九十])(?P<rest>(?:[、,，和及与][一二三四五六七八九十])+)"
    r"(?P<tail>[\u4e00-\u9fff].*)"
)


_CONTRIBUTION = re.compile(r"对[^对]{1,12}?的?贡献率$")
_MEASURE_END = re.compile(r"(?:值|额|量|数|率|价)$")


def _list_parts(display: str, n: int) -> list[str]:
    """The indicators a list's subject names, for a list of ``n`` figures.

    Examples
    --------
    >>> _list_parts("生猪、牛、羊、家禽分别出栏", 4)
    ['生猪出栏', '牛出栏', '羊出栏', '家禽出栏']
    >>> _list_parts("第一、二、三产业", 3), _list_parts("城乡居民收入", 2)
    (['第一产业', '第二产业', '第三产业'], ['城镇居民收入', '农村居民收入'])
    >>> _list_parts("蔬菜及食用菌、瓜果产量", 2), _list_parts("三次产业", 3)[2]
    (['蔬菜及食用菌产量', '瓜果产量'], '第三产业')
    """
    if "分别" in display.strip("分别"):
        head, _, tail = display.partition("分别")
        parts = _list_parts(head, n)
        return [p + tail for p in parts] if len(parts) == n else parts
    if match := _ORDINAL_LIST.fullmatch(display):
        rest = re.findall(r"[一二三四五六七八九十]", match.group("rest"))
        numbers = [match.group("first"), *rest]
        if len(numbers) == n:
            return [match.group("pre") + k + match.group("tail") for k in numbers]
    for word, parts in words.expansions().items():
        if display.startswith(word) and len(parts) == n:
            return [p + display[len(word) :] for p in parts]
    parts = _conjuncts(display)
    measures = words.words("measure")
    if len(parts) > 1 and (shared := next((m for m in measures if parts[-1].endswith(m)), "")):
        parts = [
            p if _lookup(p) or _MEASURE_END.search(p) or p.endswith(measures) else p + shared
            for p in parts[:-1]
        ] + [parts[-1]]
    return parts


# ------------------------------------------------------------------------------ rows


@dataclass
class _Row:
    """A candidate row while a sentence is read (the frame is built from these)."""

    indicator: str
    indicator_zh: str
    phrase: str
    region: str
    period: str
    start: int
    end: int
    kind: str = "main"  # main, share, rank, points, change
    value: str = ""
    unit: str = ""
    yoy_pct: str = ""
    plan_pct: str = ""
    is_target: bool = False
    peer_group: str = ""
    notes: list[str] = field(default_factory=list)
    flags: dict[str, str] = field(default_factory=dict)


def _named(code: str | None, display: str) -> tuple[str, str]:
    """(indicator, indicator_zh) of a catalogued code or an uncatalogued phrase."""
    if code:
        return code, str(catalog.indicators().loc[code, "name_zh"])
    return display, display


def _share_code(part: str | None, whole: str) -> str | None:
    if part is None:
        return None
    cat = catalog.indicators()
    whole_code = _lookup(whole, re.sub(r"^(?:全区|全市|全部)", "", whole))
    hits = cat[(cat["share_part"] == part) & (cat["kind"] == "share")]
    if whole_code:
        hits = hits[hits["share_whole"] == whole_code]
    return str(hits.index[0]) if len(hits) == 1 else None


def _rank_code(subject: str | None, display: str, basis: str) -> str | None:
    cat = catalog.indicators()
    if subject:
        by = "yoy_pct" if basis in ("增速", "降幅") else "value"
        hits = cat[(cat["rank_of"] == subject) & (cat["rank_by"] == by)]
        if len(hits) == 1:
            return str(hits.index[0])
    return _lookup(f"{display}排名", f"{display}{basis}排名")


@dataclass(frozen=True)
class _Where:
    """Region, period, target and year flag of one figure."""

    region: str
    period: str
    is_target: bool
    other_year: str


class _SentenceReader:
    """Reads the figures of one sentence into rows.

    Figures are read left to right. A figure whose lead text names an indicator starts a
    row; a growth rate or a plan share without one attaches to the row before it (全区实现
    地区生产总值323.3亿元，同比增长8%); a share, a rank or a change in points gets a row of
    its own, named after the current subject. The reader keeps that subject, the current
    row and the region (全市 in one clause, 我区 in the next) while it reads.
    """

    def __init__(
        self, sentence: str, offset: int, ctx: _Context, carry: tuple[str, str | None] = ("", None)
    ) -> None:
        self.raw = sentence
        self.s = _fold(sentence)
        self.offset = offset
        self.ctx = ctx
        self.carry = carry  # the subject of the sentence before: 其中…, 两年平均增长…
        self.rows: list[_Row] = []
        self.main: _Row | None = None
        # the current subject as shown, and its catalog code; a sentence that starts with
        # 其中 (of which) is about the subject of the sentence before
        self.subject, self.subject_code = carry
        self.group: list[_Row] = []  # rows sharing the current figure (均 / 各)
        self.last_role = ""  # level, rate, growth, points, share or rank
        self.last_share: _Row | None = None
        self.last_basis = ""  # 增速 / 总量 of the last rank
        self.last_parts: list[str] = []  # the indicators of the last list
        self.bracket_base = ""  # the base of a bracketed figure, for the change after it
        self.region = ctx.region

    # -- context of a figure

    def _masked(self, tokens: list[_Token]) -> str:
        chars = list(self.s)
        for t in tokens:
            for i in range(t.start, t.end):
                chars[i] = "\x00"
        return "".join(chars)

    def _where(self, masked: str, token: _Token, region: str) -> _Where:
        ctx = self.ctx
        before = masked[: token.start]
        year, span, frame_at = None, None, -1
        for at, end, match in _frames(before):
            year, span = _frame_period(match, ctx.period)
            frame_at = at
            if match.group("month"):
                month = int(match.group("month"))
                between = before[end:]
                part = before[max(0, at - 3) : at].endswith("其中")
                span = (1, month) if "累计" in between and not part else (month, month)
        markers = [
            *((m.start(), "target") for m in _TARGET.finditer(before) if self._is_target(m)),
            *((m.start(), "actual") for m in _ACTUAL.finditer(before)),
        ]
        last_at, last = max(markers) if markers else (-1, "")
        if last == "actual" and last_at > frame_at and year is None:
            span = None  # 全年规划…127条，目前已开工61条: 目前 is the report period again
        bounded = token.qualifier in ("以上", "左右", "以内", "以下")
        full_year = ctx.period is not None and ctx.period.months == 12
        weak = [m.end() for m in _WEAK_TARGET.finditer(before)]
        is_target = (
            last == "target"
            or (not last and bounded and not _ACTUAL.search(masked))
            or (
                bool(weak)
                and not full_year
                and max(weak) > last_at
                and not _SO_FAR.search(before[max(weak) :])
            )
        )
        if (
            span is not None
            and ctx.period is not None
            and ctx.period.start_month == 1
            and span[0] > 1
            and span[1] - span[0] == 2
            and span[1] == ctx.period.end_month
            and (year is None or year == ctx.period.year)
        ):
            span = (1, span[1])  # 二季度 in a first-half text: the first half to its end
        base_year = ctx.period.year if ctx.period else None
        the_year = year or base_year
        if the_year is None:
            period = ""
        elif is_target:
            period = f"{the_year}FY"
        elif span is not None:
            period = periods.Period(the_year, *span).code
        else:
            period = ctx.period.code if ctx.period else ""
        other = ""
        if year is not None and base_year is not None and year != base_year:
            other = f"sentence is about {year}, report period is {ctx.period.code}"
        return _Where(region, period, is_target, other)

    def _is_target(self, match: re.Match) -> bool:
        return True

    def _region_of(self, subject: _Subject) -> str:
        if subject.regions:
            self.region = subject.regions[-1]
        elif subject.relative:
            self.region = self.ctx.index.relative(self.ctx.region, subject.relative)
        return self.region

    # -- rows

    def _new(
        self,
        where: _Where,
        code: str | None,
        display: str,
        phrase: str,
        start: int,
        token: _Token,
        kind: str = "main",
    ) -> _Row:
        indicator, indicator_zh = _named(code, display)
        row = _Row(
            indicator=indicator,
            indicator_zh=indicator_zh,
            phrase=phrase,
            region=where.region,
            period=where.period,
            start=min(start, token.start),
            end=token.end,
            kind=kind,
            is_target=where.is_target,
        )
        if where.other_year:
            row.flags["other_year"] = where.other_year
        if not where.period:
            row.flags["no_period"] = "no period: pass --period or state it in the text"
        if not where.region:
            row.flags["no_region"] = "no region: pass --region or name it in the text"
        self.rows.append(row)
        return row

    def _put(self, row: _Row, token: _Token, role: str, sign: int = 1) -> None:
        """Write a token's figure into a row's value, yoy_pct or plan_pct."""
        number = token.number
        if sign < 0 and not number.startswith("-"):
            number = "-" + number  # 下降-1.4% is a doubled sign, not a double negative
        if role == "growth":
            row.yoy_pct = number
        elif role == "plan":
            row.plan_pct = number
        else:
            row.value, row.unit = number, token.unit
            if not token.unit:
                row.flags["no_unit"] = f"no unit: {token.number} is stated without a unit"
            elif not token.unit_known:
                row.flags["unknown_unit"] = (
                    f"unit {token.unit} is not in analysis/reference/units.csv: convert the "
                    "value or ask for the unit to be added"
                )
        if token.qualifier:
            row.notes.append(f"qualifier {token.qualifier}")
        if token.range_to:
            row.notes.append(f"区间 {token.number}-{token.range_to}{token.unit}")
        row.end = max(row.end, token.end)

    def _resolve(self, subject: _Subject, *, count: bool = False) -> tuple[str | None, str]:
        """Catalog code and display phrase of a subject, inheriting a noun for verb phrases."""
        display = subject.display
        if subject.generic and self.subject:
            noun = _noun_of(self.subject)
            joined = noun + display
            code = _lookup(joined, noun + display.replace("完成", "").replace("已", ""))
            return code, joined
        shown, variants = _display_variants(display)
        extra = (shown + "个数",) if count else ()
        return _lookup(*variants, *extra, subject.written), shown

    def read(self) -> list[_Row]:
        tokens = _tokens(self.s)
        if not tokens:
            return []
        masked = self._masked(tokens)
        prev_end = 0
        skip = 0
        for i, token in enumerate(tokens):
            if skip:
                skip -= 1
                prev_end = token.end
                continue
            lead = self.s[prev_end : token.start]
            subject = _subject(lead, prev_end, self.ctx, token.role)
            if not subject.display and not self.subject and (named := _catalog_in(lead)):
                subject = _Subject(display=named[0], start=prev_end + named[1])
            next_start = tokens[i + 1].start if i + 1 < len(tokens) else len(self.s)
            if token.listed or subject.listed or self._starts_list(tokens, i, subject):
                skip = self._read_list(tokens, i, subject, masked)
            else:
                self._read_one(token, subject, masked, next_start)
            prev_end = token.end
        return self.rows

    def _starts_list(self, tokens: list[_Token], i: int, subject: _Subject) -> bool:
        """A figure followed by bare figures joined by 、/和 (增长9.6%、4.3%); after a
        subject with 分别 inside, of any unit (分别出栏6.4万头、1342头、1.2万只)."""
        if i + 1 >= len(tokens) or tokens[i].role == "rank":
            return False
        nxt = tokens[i + 1]
        glue = self.s[tokens[i].end : nxt.start]
        same = nxt.unit == tokens[i].unit or ("分别" in subject.display and bool(nxt.unit))
        return bool(_LIST_GLUE.match(glue)) and nxt.role == "level" and same

    def _list_items(self, tokens: list[_Token], i: int) -> list[_Token]:
        items = [tokens[i]]
        for nxt in tokens[i + 1 :]:
            glue = self.s[items[-1].end : nxt.start]
            if not _LIST_GLUE.match(glue) or nxt.role not in ("level", tokens[i].role):
                break
            items.append(replace(nxt, role=tokens[i].role, verb=tokens[i].verb))
        return items

    def _read_list(self, tokens: list[_Token], i: int, subject: _Subject, masked: str) -> int:
        """Rows of a list of figures (分别 ...); returns how many further tokens it used."""
        items = self._list_items(tokens, i)
        first = items[0]
        region = self._region_of(subject)
        earlier = [
            r for r in self.rows if r.kind in ("main", "share") and not r.yoy_pct and not r.plan_pct
        ]
        if not subject.display and first.role in ("growth", "plan") and len(earlier) >= len(items):
            # 实现A…, 接待B…, 分别增长x%和y%: the figures belong to the rows before
            targets = earlier[-len(items) :]
            names = "、".join(r.phrase or r.indicator_zh for r in targets)
            values = "、".join(t.number + t.unit for t in items)
            for token, row in zip(items, targets, strict=True):
                if row.kind == "share":  # the growth of the share's subject, not of the share
                    code = _lookup(row.phrase)
                    where = self._where(masked, token, row.region)
                    row = self._new(where, code, row.phrase, row.phrase, subject.start, token)
                self._put(row, token, first.role, _sign(first.verb, subject.basis))
                row.flags["list"] = (
                    f"list of values (分别): check the pairing of {names} with {values}"
                )
            self.last_role = first.role
            self.last_parts = [r.phrase or r.indicator_zh for r in targets]
            return len(items) - 1
        display = subject.display or self.subject
        parts = _list_parts(display, len(items)) if display else [""]
        if display.startswith("对") and len(self.last_parts) == len(items):
            # …分别拉动…，对经济增长的贡献率分别为…: the same parts as the list before
            parts = list(self.last_parts)
        regions = list(subject.regions)
        if len(regions) == len(items) and len(parts) == 1:
            pairs = [(parts[0], r) for r in regions]
        elif len(parts) == len(items):
            pairs = [(p, region) for p in parts]
        else:
            pairs = [(display, region)] * len(items)
        values = "、".join(t.number + t.unit for t in items)
        names = "、".join(dict.fromkeys(p for p, _ in pairs)) or "?"
        kind = {"share": "share", "points": "points", "change": "change"}.get(first.role, "main")
        kind = {"two_year": "two_year", "month": "month"}.get(first.role, kind)
        put_as = {"growth": "growth", "two_year": "growth", "month": "growth", "plan": "plan"}
        for token, (part, part_region) in zip(items, pairs, strict=True):
            where = self._where(masked, token, part_region)
            code, shown = self._resolve(_Subject(display=part))
            name = shown or part
            if kind == "points" and subject.pull:
                name = f"{name}拉动{subject.pull}增长"
            elif kind in ("share", "two_year", "month"):
                suffix = {"share": "比重", "two_year": "两年平均增长"}.get(kind, "环比增长")
                name = f"{name}{suffix}"
            phrase = _CONTRIBUTION.sub("", part) or part  # 第一产业对GDP增长的贡献率
            row = self._new(
                where,
                code if kind == "main" else None,
                name,
                phrase,
                subject.start,
                token,
                kind=kind,
            )
            sign = _sign(first.verb, subject.basis)
            self._put(row, token, put_as.get(first.role, "level"), sign)
            row.flags["list"] = f"list of values (分别): check the pairing of {names} with {values}"
            if kind == "main":
                self.main = row
        self.subject, self.subject_code = display, _lookup(display)
        self.last_role = first.role
        self.last_parts = [p for p, _ in pairs]
        return len(items) - 1

    def _read_one(self, token: _Token, subject: _Subject, masked: str, next_start: int) -> None:
        before = self.region
        region = self._region_of(subject)
        where = self._where(masked, token, region)
        role = token.role
        bracketed = subject.written.startswith(("(", "（"))
        main = self.main
        if bracketed:
            self.region = before  # （全市为21585元）: the other region holds in the brackets only
            growthish = self.last_role in ("growth", "points")
            if role == "level" and token.unit == "%" and not subject.display and growthish:
                role = "growth"  # 增幅比全市低1.5个百分点（全市为5.4%）
                token = replace(token, role=role)
        share = _SHARE_NAME.fullmatch(subject.display) if token.unit == "%" else None
        if role == "level" and share:
            self._named_share(token, subject, share.group("part"), where)
        elif role == "level":
            self._level(token, subject, where, next_start)
        elif role == "growth":
            self._growth(token, subject, where)
        elif role == "plan":
            self._plan(token, subject, where)
        elif role == "share":
            self._share(token, subject, where)
        elif role == "rank":
            self._rank(token, subject, where)
        elif role in ("points", "change"):
            self._change(token, subject, where)
        elif role in ("two_year", "month"):
            self._other_growth(token, subject, where)
        elif role == "bracket":
            self._bracket(token, subject, where)
        if bracketed:
            self.main = main  # what follows the brackets is about the row before them

    def _own_subject(self, subject: _Subject) -> bool:
        return bool(subject.display) and not subject.generic

    def _adopt(self, subject: _Subject, *, count: bool = False) -> tuple[str | None, str]:
        """Code and display of a new subject, which becomes the sentence's current one."""
        code, display = self._resolve(subject, count=count)
        self.subject, self.subject_code = display, code
        return code, display

    def _level(self, token: _Token, subject: _Subject, where: _Where, next_start: int) -> None:
        noun, noun_end = "", token.end
        counted = (
            token.unit == ""
            or not token.unit_known
            or (cleaning.unit_dimension(token.unit).startswith("count"))
        )
        if counted:
            noun, noun_end = _count_noun(self.s, token, next_start)
        phrase_text = subject.display + noun
        if noun.startswith(words.words("stop_noun")) or _MEETING.search(phrase_text):
            return
        measure = next((m for m in words.words("measure") if noun.endswith(m)), "")
        split = bool(measure) and len(noun) > len(measure) + 1 and token.unit_known
        if split:
            noun = noun[: -len(measure)]
        if noun:
            tail = self.s[noun_end:next_start]
            tail = tail[: min((tail.find(c) for c in _CLAUSE_SEP if c in tail), default=len(tail))]
            combined = _Subject(display=subject.display + noun, start=subject.start)
            code, display = self._resolve(combined, count=True)
            if code is None and tail and next_start >= len(self.s):
                code = _lookup(noun + tail.replace("实现", ""), noun + tail)
            self.subject, self.subject_code = display, code
            row = self._new(where, code, display, subject.display + noun, subject.start, token)
            row.end = max(row.end, noun_end)
            if split:  # what follows (同比增长30.3%) is about the noun and its measure
                whole = subject.display + noun + measure
                self.subject, self.subject_code = whole, _lookup(whole)
                self.main = None
                for each in self._same_figure(row):
                    self._put(each, token, "level")
                self.last_role = "level"
                return
        elif self._own_subject(subject) or subject.generic:
            if subject.generic and not self.subject:
                code, display = None, subject.display
            else:
                code, display = self._adopt(subject, count=counted)
            rows = self._distributed(where, code, display, subject, token)
            row = rows[-1]
        elif self.main is not None and not self.main.value and self.main.kind == "main":
            row = self.main
        else:
            code, display = self.subject_code, self.subject
            row = self._new(where, code, display, display, subject.start, token)
            if not display:
                row.flags["not_indicator"] = (
                    f"no indicator phrase before {token.number}{token.unit}: not an indicator?"
                )
        for each in self._same_figure(row):
            self._put(each, token, "level")
        self.main = row
        self.last_role = "level" if token.unit != "%" else "rate"

    def _same_figure(self, row: _Row) -> list[_Row]:
        """The row and the rows it was distributed to (均 / 各), which share one figure."""
        return self.group if row in self.group else [row]

    def _distributed(
        self, where: _Where, code: str | None, display: str, subject: _Subject, token: _Token
    ) -> list[_Row]:
        parts = _conjuncts(display) if code is None else [display]
        if subject.distribute and len(parts) > 1:
            rows = []
            for part in parts:
                part_code, shown = self._resolve(_Subject(display=part))
                rows.append(self._new(where, part_code, shown, part, subject.start, token))
            self.group = rows
            return rows
        row = self._new(where, code, display, subject.display or display, subject.start, token)
        if len(parts) > 1:
            row.flags["two_indicators"] = (
                f"number {token.number}{token.unit} could belong to {' or '.join(parts)}"
            )
        self.group = [row]
        return [row]

    def _growth(self, token: _Token, subject: _Subject, where: _Where) -> None:
        sign = _sign(token.verb, subject.basis)
        if self._own_subject(subject):
            code, display = self._adopt(subject)
            rows = self._distributed(where, code, display, subject, token)
            for row in rows:
                self._put(row, token, "growth", sign)
                if subject.real:
                    row.notes.append("real growth (实际)")
            self.main = rows[-1]
        elif (
            self.main is not None
            and self.main.kind == "main"
            and not self.main.yoy_pct
            and not subject.real
        ):
            for row in self._same_figure(self.main):
                self._put(row, token, "growth", sign)
        else:
            display = self.subject
            name = f"{display}(实际增长)" if subject.real else display
            code = None if subject.real else self.subject_code
            row = self._new(where, code, name, display, subject.start, token)
            self._put(row, token, "growth", sign)
            if subject.real:
                row.notes.append("real growth (实际)")
            self.main = row
        self.last_role = "growth"

    def _named_share(self, token: _Token, subject: _Subject, part: str, where: _Where) -> None:
        """第二产业增加值比重为42.5%: a share, of the subject before 比重."""
        _, display = self._adopt(replace(subject, display=part))
        row = self._new(where, None, subject.display, display, subject.start, token, kind="share")
        self._put(row, token, "level")
        self.last_role, self.last_share = "share", row

    def _other_growth(self, token: _Token, subject: _Subject, where: _Where) -> None:
        """两年平均增长 / 环比增长: a growth of its own beside the year-on-year one."""
        if self._own_subject(subject):
            code, display = self._adopt(subject)
        else:
            code, display = self.subject_code, self.subject
        word = "两年平均增长" if token.role == "two_year" else "环比增长"
        indicator = f"{code}_{'two_year_avg' if token.role == 'two_year' else 'mom'}"
        row = self._new(where, None, f"{display}{word}", display, subject.start, token)
        row.kind = token.role
        if code:
            row.indicator = indicator
        self._put(row, token, "growth", _sign(token.verb, subject.basis))
        row.notes.append(word)

    def _bracket(self, token: _Token, subject: _Subject, where: _Where) -> None:
        """较一季度(-10.8%): the growth of the same indicator in the base period."""
        code, display = self.subject_code, self.subject
        base = periods_of_base(token.base, self.ctx.period)
        row = self._new(where, code, display, display, subject.start, token)
        if base is not None:
            row.period = base.code
        else:
            row.flags["no_period"] = f"the period of {token.base} cannot be told"
        row.kind = "main"
        self._put(row, token, "growth")
        row.notes.append(f"growth of {token.base}, in brackets")
        self.bracket_base = token.base  # 较一季度(-10.8%)回升2.1个百分点: against 一季度

    def _plan(self, token: _Token, subject: _Subject, where: _Where) -> None:
        if self._own_subject(subject):
            code, display = self._adopt(subject)
            row = self._new(where, code, display, subject.display, subject.start, token)
            self.main = row
        elif self.main is not None and self.main.kind == "main" and not self.main.plan_pct:
            row = self.main
        else:
            row = self._new(
                where, self.subject_code, self.subject, self.subject, subject.start, token
            )
        self._put(row, token, "plan")

    def _share(self, token: _Token, subject: _Subject, where: _Where) -> None:
        if self._own_subject(subject):
            code, display = self._adopt(subject)
        else:
            code, display = self.subject_code, self.subject
        whole = token.base
        share = _share_code(code, whole)
        name = f"{display}占{whole}比重" if whole else f"{display}占比"
        row = self._new(where, share, name, display, subject.start, token, kind="share")
        self._put(row, token, "level")
        self.last_role = "share"
        self.last_share = row

    def _rank(self, token: _Token, subject: _Subject, where: _Where) -> None:
        if self._own_subject(subject):
            code, display = self._adopt(subject)
        else:
            code, display = self.subject_code, self.subject
        basis = token.basis or subject.basis
        if not basis and not self._own_subject(subject):
            if self.last_role == "rank":
                basis = self.last_basis
            else:
                basis = "增速" if self.last_role in ("growth", "points") else "总量"
        self.last_role, self.last_basis = "rank", basis
        basis_word = {"降幅": "增速"}.get(basis, basis)
        parts = _conjuncts(display) if subject.distribute and display else [display]
        for part in parts:  # 收入、增加值增速均居全市第二: one rank each
            part_code = code if len(parts) == 1 else _lookup(part)
            rank = _rank_code(part_code, part, basis)
            name = f"{part}{basis_word}排名"
            row = self._new(where, rank, name, part, subject.start, token, kind="rank")
            row.value, row.unit = token.number, "位"
            self._peer(row, token.peer)

    def _peer(self, row: _Row, said: str) -> None:
        """The rank's peer group: a catalogued one, or the words as written and a flag."""
        peer = catalog.peer_group_code(said) if said else None
        if peer:
            row.peer_group = str(catalog.peer_groups().loc[peer, "name_zh"])
            return
        known = ", ".join(catalog.peer_groups()["name_zh"])
        what = f"among {said}" if said else "without a peer group"
        row.flags["peer_group"] = f"rank {what}: not a catalogued peer group (known: {known})"
        if said:
            row.notes.append(f"rank among {said}")

    def _change(self, token: _Token, subject: _Subject, where: _Where) -> None:
        own = self._own_subject(subject)
        if share := _SHARE_NAME.fullmatch(subject.display):
            subject = replace(subject, display=share.group("part"))  # 服务业…的比重下降3.2个百分点
        if own:
            code, display = self._adopt(subject)
        else:
            code, display = self.subject_code, self.subject
        sign = _sign(token.verb, subject.basis)
        base = token.base  # only a comparison (高于全市 ...) has one
        growthish = subject.basis in ("增速", "降幅") or (
            not own and self.last_role in ("growth", "points")
        )
        ref = f"{display}增速" if growthish else display
        if not own and self.last_share is not None and self.last_role == "share":
            ref = self.last_share.indicator_zh
        relation_code = None
        if token.role == "change" and base:
            name = f"{display}与{base}差额"  # 比全市低300元
        elif token.role == "change":
            name = f"{display}较{subject.base or '上年同期'}增量"
        elif "进度" in base:
            name = f"{display}完成进度与时间进度比较"
        elif base:
            name = f"{ref}与{base}比较"
            # the catalog's name for the comparison, if it has one (…增速与全市平均比较)
            place = re.sub(r"(?:平均)?水平$|平均$", "", base)
            refs = [ref]
            if code:  # the catalog's own name of the subject (GDP is 地区生产总值)
                refs.append(ref.replace(display, _named(code, display)[1], 1))
            relation_code = _lookup(
                *(f"{r}与{p}比较" for r in refs for p in (base, f"{place}平均", place))
            )
        elif subject.pull:
            name = f"{display}拉动{subject.pull}增长"
        else:
            if not subject.base and self.bracket_base:
                subject = replace(subject, base=self.bracket_base)
                self.bracket_base = ""
            name = f"{ref}较{subject.base or '上年同期'}变动"
        kind = "points" if token.unit == "个百分点" else "change"
        row = self._new(where, relation_code, name, display, subject.start, token, kind=kind)
        self._put(row, token, "level", sign)
        if base:
            side = "高于 (above)" if sign > 0 else "低于 (below)"
            row.notes.append(f"{side} {base} {token.number}{token.unit}")
        elif subject.base:
            row.notes.append(f"compared with {subject.base}")
        self.last_role = "points" if growthish else self.last_role


# ------------------------------------------------------------------------------ public


def periods_of_base(base: str, period: periods.Period | None) -> periods.Period | None:
    """The period a comparison base names, relative to the report period.

    Examples
    --------
    >>> h1 = periods.parse_period("2024H1")
    >>> periods_of_base("一季度", h1).code, periods_of_base("上年同期", h1).code
    ('2024Q1', '2023H1')
    >>> periods_of_base("上年", h1).code, periods_of_base("1-5月", h1).code
    ('2023FY', '2024M05')
    """
    if period is None:
        return None
    base = re.sub(r"\s+", "", base)
    if base in ("上年同期", "去年同期"):
        return periods.Period(period.year - 1, period.start_month, period.end_month)
    if base in ("上年", "去年", "上年末"):
        return periods.Period(period.year - 1, 1, 12)
    if match := re.fullmatch(r"(\d{4})年(同期)?", base):
        year = int(match.group(1))
        return periods.Period(year, period.start_month, period.end_month)
    try:
        return periods.parse_period(base, year=period.year)
    except periods.PeriodError:
        return None


def _check_option(name: str, value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise TypeError(f"{name}= must be a non-empty string or None, not {value!r}")


def _context(
    text: str, *, region: str | None, period: str | None, source: str, cat: Catalog
) -> _Context:
    """Region and period of a text: the arguments, else what its head states."""
    _check_option("region", region)
    _check_option("period", period)
    idx = regions.index(cat)
    code = cat.region_code(region) if region else idx.document_region(_fold(text))
    found = periods.parse_period(period) if period else _document_period(text)
    return _Context(code, found, source, idx)


def _table_rows(table: layout.Table, ctx: _Context) -> list[_Row]:
    """Rows of a table: each row's name is the indicator, its cells the figures."""
    period = ctx.period.code if ctx.period else ""
    out = []
    for cells in table.rows:
        code = _lookup(cells.name)
        indicator, indicator_zh = _named(code, cells.name)
        main = _Row(indicator, indicator_zh, cells.name, ctx.region, period, cells.start, cells.end)
        shares = []
        for role, number, unit in cells.cells:
            if role == "growth":
                main.yoy_pct = number
            elif role == "share":
                share = _Row(
                    f"{indicator_zh}比重", f"{indicator_zh}比重", cells.name, ctx.region,
                    period, cells.start, cells.end, kind="share", value=number, unit="%",
                )  # fmt: skip
                shares.append(share)
            elif not main.value:
                main.value, main.unit = number, unit
                try:
                    main.unit = cleaning.parse_unit(unit) if unit else ""
                except cleaning.CleaningError:
                    main.flags["unknown_unit"] = (
                        f"unit {unit} is not in analysis/reference/units.csv: convert the "
                        "value or ask for the unit to be added"
                    )
        for row in (main, *shares):
            row.notes.append("read from a table")
            if not table.header_read:
                row.flags["table_header"] = (
                    "a table whose header was not read: check which column is which"
                )
            if not period:
                row.flags["no_period"] = "no period: pass --period or state it in the text"
            if not ctx.region:
                row.flags["no_region"] = "no region: pass --region or name it in the text"
        out.extend(r for r in (main, *shares) if r.value or r.yoy_pct)
    return out


def _measure(row: _Row) -> str:
    """The ``measure`` of a row (see :data:`MEASURES`)."""
    if row.kind == "main":
        return "level" if row.value else "growth"
    return {"two_year": "two_year_avg", "month": "month_on_month"}.get(row.kind, row.kind)


def _frame_rows(rows: list[_Row], sentence: str, offset: int, ctx: _Context) -> list[dict]:
    """Records of :data:`COLUMNS` for the rows of one sentence (offsets into the whole text)."""
    out = []
    for row in rows:
        out.append(
            {
                "region_code": row.region,
                "region_zh": ctx.index.name(row.region),
                "period": row.period,
                "indicator": row.indicator,
                "indicator_zh": row.indicator_zh,
                "value": row.value,
                "unit": row.unit,
                "yoy_pct": row.yoy_pct,
                "plan_pct": row.plan_pct,
                "is_target": "1" if row.is_target else "0",
                "peer_group": row.peer_group,
                "source_url": ctx.source,
                "note": "; ".join(dict.fromkeys(row.notes)),
                "review": "; ".join(row.flags.values()),
                "measure": _measure(row),
                "flags": ",".join(row.flags),
                "phrase": row.phrase,
                "sentence": sentence,
                # a row's lead can sit after its figure ("占0亿0%"): the span covers both
                "span_start": offset + min(row.start, row.end),
                "span_end": offset + max(row.start, row.end),
            }
        )
    return out


def extract_text(
    text: str,
    *,
    region: str | None = None,
    period: str | None = None,
    source: str = "",
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Candidate rows of the raw long format read from Chinese prose, for review.

    Parameters
    ----------
    text : str
        Bulletin, press release or work report text.
    region : str, optional
        The region the text is about (code or name); by default the first region the text
        names (a district before the city it is in). ``全区`` means this region, ``全市``
        its city, ``全省`` its province.
    period : str, optional
        The report period (``2019H1``, ``2019年上半年`` ...); by default the first period
        the text states with a year. A sentence about another year is flagged.
    source : str, default ''
        Where the text came from, written to ``source_url``.
    catalog : Catalog, optional
        The catalog whose regions and indicators the text is read against (the shipped
        one by default).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: the raw long columns as text, then ``flags`` (codes of
        :data:`FLAGS`, comma-separated), ``phrase`` (the indicator as written),
        ``sentence``, and ``span_start``/``span_end`` (int offsets into ``text``; the
        span runs from the indicator phrase to the figure). ``review`` is '' for a
        confident row, otherwise what to check.

    Raises
    ------
    analysis.catalog.CatalogError
        For an unknown region, listing the known ones.
    analysis.periods.PeriodError
        For a period that cannot be read, listing the accepted forms.
    TypeError
        For an option that is not a non-empty string.

    Examples
    --------
    >>> text = "1-6月,全区实现地区生产总值323.3亿元,同比增长8.0%,增速居市内五区第2位。"
    >>> rows = extract_text(text, region="二七区", period="2019H1")
    >>> rows[["indicator", "value", "unit", "yoy_pct", "peer_group", "review"]]
             indicator  value unit yoy_pct peer_group review
    0              gdp  323.3   亿元     8.0
    1  gdp_growth_rank      2    位              市内五区
    >>> rows.loc[0, ["period", "region_code"]].tolist()
    ['2019H1', 'erqi']
    >>> text[rows.loc[0, "span_start"] : rows.loc[0, "span_end"]]
    '地区生产总值323.3亿元,同比增长8.0%'
    >>> flagged = extract_text("城镇和农村居民人均可支配收入分别增长7.6%和8.9%。",
    ...                        region="erqi", period="2019H1")
    >>> flagged[["indicator", "yoy_pct", "flags"]]
          indicator yoy_pct flags
    0  urban_income     7.6  list
    1  rural_income     8.9  list
    >>> len(extract_text("7月15日，区委在陇海路召开3次会议。", region="erqi"))
    0
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    cat = load_catalog() if catalog is None else catalog
    ctx = _context(text, region=region, period=period, source=source, cat=cat)
    tables = layout.find_tables(text)
    table_spans = [(t.start, t.end) for t in tables]
    prose = layout.mask(text, table_spans + layout.chrome_spans(text, tables=table_spans))
    records: list[dict] = []
    carry: tuple[str, str | None] = ("", None)
    for offset, sentence in _sentences(prose):
        reader = _SentenceReader(sentence, offset, ctx, carry)
        rows = reader.read()
        carry = (reader.subject, reader.subject_code)
        records.extend(_frame_rows(rows, text[offset : offset + len(sentence)], offset, ctx))
    for table in tables:
        for row in _table_rows(table, ctx):
            records.extend(_frame_rows([row], text[row.start : row.end], 0, ctx))
    records.sort(key=lambda r: r["span_start"])
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    for column in COLUMNS:
        if column in ("span_start", "span_end"):
            frame[column] = frame[column].astype("int64")
        else:
            frame[column] = frame[column].astype("str")
    return frame


def extract_file(
    path: str | Path, *, region: str | None = None, period: str | None = None
) -> pd.DataFrame:
    """Candidate rows read from a UTF-8 or GBK/GB18030 text file (see :func:`extract_text`).

    Parameters
    ----------
    path : str or Path
        A text file; its encoding is detected as for CSV files
        (:func:`analysis.data.reading.detect_encoding`).
    region, period : str, optional
        As for :func:`extract_text`.

    Returns
    -------
    DataFrame
        As :func:`extract_text`, ``source_url`` holding the file name; ``attrs`` has
        ``encoding``, ``encoding_reason`` and ``source_file``.

    Raises
    ------
    analysis.data.reading.ReadError
        For a missing, empty or undecodable file.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "bulletin.txt"
    >>> _ = path.write_bytes("上半年，全区新建中小学校7所。".encode("gbk"))
    >>> rows = extract_file(path, region="erqi", period="2019H1")
    >>> rows.attrs["encoding"], rows.loc[0, ["indicator", "value", "unit"]].tolist()
    ('gb18030', ['new_schools', '7', '所'])
    """
    path = Path(path)
    encoding = reading.detect_encoding(path)
    data = path.read_bytes()
    if not data.strip():
        raise reading.ReadError(str(path), None, "empty file: no text to read figures from")
    text = data.decode(encoding.name)
    rows = extract_text(text, region=region, period=period, source=path.name)
    rows.attrs.update(
        {"encoding": encoding.name, "encoding_reason": encoding.reason, "source_file": str(path)}
    )
    return rows


class ReviewFileError(HalfyearError, ValueError):
    """A review file name the package cannot write (another suffix than .csv or .xlsx)."""


def write_review(rows: pd.DataFrame, path: str | Path) -> Path:
    """Write candidate rows as a review file: CSV (UTF-8 with BOM, for Excel) or XLSX.

    Either file has the columns of a long raw file, so once the analyst has corrected or
    cleared the ``review`` cells it goes through cleaning as it is
    (``analysis.data.pipeline.process_files([path])``, or into ``data/raw/``); the review
    columns are ignored there.

    Parameters
    ----------
    rows : DataFrame
        Rows from :func:`extract_text`; not modified.
    path : str or Path
        ``.csv`` or ``.xlsx``; missing folders are created.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ReviewFileError
        For another suffix, listing the allowed ones (a ValueError).
    analysis.data.store.WriteError
        When the file cannot be written (a folder in the way, no rights, a full disk).

    Examples
    --------
    >>> import tempfile
    >>> rows = extract_text("全区新增市场主体1.11万家。", region="erqi", period="2019H1")
    >>> out = write_review(rows, Path(tempfile.mkdtemp()) / "review.csv")
    >>> out.read_bytes()[:3] == b"\\xef\\xbb\\xbf", reading.read_long(out).loc[0, "value"]
    (True, '1.11')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REVIEW_SUFFIXES:
        raise ReviewFileError(
            f"cannot write a review file {path.name!r}: allowed suffixes "
            f"{', '.join(REVIEW_SUFFIXES)}"
        )
    # text that starts like a formula (=, +, -, @) is written so that no spreadsheet runs it
    if suffix == ".csv":
        return store.write_csv(rows, path, encoding="utf-8-sig", what="the review file")
    return store.write_xlsx(rows, path, sheet="review", what="the review file")


# ------------------------------------------------------------------------------ command


def _region_argument(text: str) -> str:
    try:
        return catalog.region_code(text)
    except catalog.CatalogError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _period_argument(text: str) -> str:
    try:
        return periods.parse_period(text).code
    except periods.PeriodError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def default_review_path(source: str | Path) -> Path:
    """Where ``halfyear extract`` writes the review file of a text by default.

    Examples
    --------
    >>> default_review_path("texts/erqi_2019H1.txt").relative_to(paths().root).as_posix()
    'reports/extract/erqi_2019H1.review.csv'
    """
    return paths().reports / "extract" / f"{Path(source).stem}.review.csv"


def _run(args: argparse.Namespace) -> int:
    rows = extract_file(args.file, region=args.region, period=args.period)
    out = write_review(rows, Path(args.out) if args.out else default_review_path(args.file))
    flagged = rows[rows["review"] != ""]
    print(f"{args.file}: encoding {rows.attrs['encoding']} ({rows.attrs['encoding_reason']})")
    print(f"{len(rows)} candidate rows, {len(flagged)} need review (review column not empty)")
    counts = flagged["flags"].str.split(",").explode().value_counts()
    for flag, n in counts.items():
        print(f"  {flag}: {n} ({FLAGS[flag]})")
    print(f"wrote {out}")
    print("clear or correct the review cells, then clean it: halfyear clean (with it in data/raw)")
    return 0


def add_cli(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``halfyear extract FILE [--region R] [--period P] [--out REVIEW]``.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned.

    Returns
    -------
    argparse.ArgumentParser
        The ``extract`` parser; its handler is ``args.func``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="halfyear")
    >>> sub = parser.add_subparsers(dest="command")
    >>> _ = add_cli(sub)
    >>> args = parser.parse_args(
    ...     ["extract", "a.txt", "--region", "二七区", "--period", "2019年上半年"]
    ... )
    >>> args.region, args.period, args.func.__name__
    ('erqi', '2019H1', '_run')
    """
    parser = subparsers.add_parser(
        "extract",
        help="read candidate figures out of bulletin prose into a review file",
        description="Read figures out of a UTF-8 or GBK text (bulletin, press release, work "
        "report) into a review CSV in the raw long format; rows whose review column is not "
        "empty are rejected by cleaning until cleared.",
    )
    parser.add_argument("file", help="the text file (UTF-8 or GBK)")
    parser.add_argument(
        "--region", type=_region_argument, help="region code or name (default: from the text)"
    )
    parser.add_argument(
        "--period", type=_period_argument, help="e.g. 2019H1, 2019年上半年 (default: from the text)"
    )
    parser.add_argument(
        "--out", help="review file, .csv or .xlsx (default reports/extract/<name>.review.csv)"
    )
    parser.set_defaults(func=_run)
    return parser
