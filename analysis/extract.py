"""Figures out of bulletin prose: Chinese text in, reviewable rows of the raw long format out.

Much of what an analyst needs exists only as prose: press releases, statistical bulletins and
government work reports ("1-6月,全区实现地区生产总值323.3亿元,同比增长8.0%,增速居全市第3位").
:func:`extract_text` reads such text into candidate rows of the raw long format
(:data:`analysis.reading.LONG_COLUMNS`) plus review columns: where each figure was found
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
(:func:`analysis.pipeline.process_files`) rejects a row whose ``review`` is not empty, so an
analyst corrects or clears those cells, and the reviewed file then goes the normal way into
``data/processed``. Dates, addresses, document numbers, phone numbers and meeting counts give
no row.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import catalog, cleaning, periods, reading
from analysis.config import paths

__all__ = [
    "COLUMNS",
    "FLAGS",
    "REVIEW_COLUMNS",
    "REVIEW_SUFFIXES",
    "add_cli",
    "extract_file",
    "extract_text",
    "write_review",
]

#: Columns added to the raw long format for the reviewer.
REVIEW_COLUMNS = ("flags", "phrase", "sentence", "span_start", "span_end")

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
}

# ------------------------------------------------------------------------------ patterns
# All patterns work on folded text (full-width digits and signs made ASCII, one character
# for one, so offsets stay those of the original); '，' stays full-width, so that an ASCII
# comma between digits is a thousands separator and a full-width one separates clauses.

_SENTENCE = re.compile(r"[^。；;！？!?\n\r]+")
_CLAUSE_SEP = "，,;:："
_CJK = re.compile(r"[\u4e00-\u9fff]")

_BLOCKED = re.compile(
    r"\d{4}\s*[-~—–至到]\s*\d{4}\s*年?"  # 2019-2021年
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?"  # 2019年, 2019年7月20日
    r"|\d{1,2}\s*[-~—–至到]\s*\d{1,2}\s*月"  # 1-6月
    r"|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"  # 6月, 7月15日
    r"|\d{1,2}\s*日"
    r"|\d{1,2}\s*:\s*\d{2}|\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?"  # 9:30, 9时30分
    r"|\d{3,4}\s*-\s*\d{7,8}|1[3-9]\d{9}"  # telephone numbers
    r"|[〔\[【(]\s*\d{4}\s*[〕\]】)]\s*\d+\s*号"  # 郑政〔2019〕12号
    r"|\d+\s*号"  # 88号, 1号线, 3号会议室
    r"|第\s*[\d一二三四五六七八九十]+"  # ordinals (ranks are read on their own)
    r"|(?:全市|全省|全国)?\d+\s*个\s*(?:县\s*\(\s*市\s*(?:、\s*区\s*)?\)\s*区?|县区|区县|省辖市|地市|城市)"
    r"|(?:附件|附表|表|图|编号|邮编|邮政编码|电话|代码|传真)\s*\d+"
)
_ARABIC = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?")
_CHINESE = re.compile(r"(?<![第一二三四五六七八九十两〇零])[一二三四五六七八九十两]+")
_RANGE = re.compile(r"\s*%?\s*[-~—–至到]\s*(\d+(?:\.\d+)?)")
_UNIT_TAIL = re.compile(
    r"\s*(?P<pre>余|多)?(?P<mag>万亿|百万|万|亿|千)?(?P<mid>余|多)?"
    r"(?P<base>个百分点|百分点|%|平方公里|平方米|㎡|千瓦时|人次|架次|标箱|美元|公里|千米|公顷|元"
    r"|人(?![均民])|个(?!月|工作日|小时|季度|百分点|点)|家(?!庭)|户(?![籍口])|件|套|条|所(?![有属在])"
    r"|座|处(?![置理级室])|次(?![会性])|项(?!目)|吨|辆|台(?![账阶])|亩|张|名(?![单额称])|床|栋"
    r"|场(?![所地馆])|米)?"
    r"(?P<post>余|多|以上|左右)?"
)
_PREFIX_QUALIFIER = re.compile(r"(?:接近|突破|超过|约有|多达|约|近|逾)\s*$")

_UP = ("增长", "增加", "上升", "提高", "提升", "回升", "加快", "上涨", "扩大")
_DOWN = ("下降", "减少", "回落", "降低", "下滑", "放缓", "下跌")
_VERBS = "|".join((*_UP, *_DOWN, "收窄"))
_A_RATE = re.compile(
    r"(?P<basis>增速|增幅|降幅|增长率|增长幅度)(?P<list>分别)?(?:为|是|达到|达|约为)?\s*$"
)
_A_GROWTH = re.compile(rf"(?P<list>分别)?(?:名义|实际)?(?P<verb>{_VERBS})了?(?:约)?\s*$")
_A_RELATION = re.compile(r"(?P<verb>高于|低于|快于|慢于|超出|超过|超)(?P<base>[^，,;:、]{0,16}?)\s*$")
_A_PLAN = re.compile(
    r"(?:占|完成|为|达到|达|超)?(?:年度|全年度|全年|本年度|年)(?:投资)?"
    r"(?:计划|目标任务|目标|任务|预算)(?:任务)?的?(?:比重|比例)?(?P<list>分别)?(?:为|达到|达)?\s*$"
)
_A_SHARE = re.compile(
    r"占(?P<whole>[^，,;:占]{0,24}?)的?(?:比重|比例|份额)?(?P<list>分别)?"
    r"(?:为|是|达到|达|提高到|提高至|提升到|提升至|升至|上升到|上升至|降至|下降到|下降至)?\s*$"
    r"|占比(?P<list2>分别)?(?:为|是|达到|达|提高到|升至)?\s*$"
)
_A_FLAT = re.compile(r"持平")
_RANK_NUMBER = re.compile(
    r"第(?P<n>\d+|[一二三四五六七八九十]+)(?P<w>位|名)?"
    r"(?!方阵|梯队|季度|批|次|个|期|产业|届|条|号|章|款|部分|阶段|年|轮)|(?P<top>首位|之首|榜首)"
)
_RANK_VERB = re.compile(
    r"位居|居于|居(?!民)|位列|排名|排位|排在|排|名列|位于|上升至|上升到|升至|提升至|提升到"
    r"|前移至|下降至|下降到|降至|后移至|跃居|跻身"
)
_PEER_IN = re.compile(r"在(?P<peer>[^，,;:]{1,24}?)中\s*$")

_FRAME = re.compile(
    r"(?P<prev>上年同期|去年同期|上年|去年)(?=[,，:、]|全区|全市|全省|我区)"
    r"|(?:(?P<year>\d{4})\s*年度?)?(?P<span>上半年|下半年|前三季度|全年|第?[一二三四1-4]季度"
    r"|1\s*[-~—–至到]\s*\d{1,2}\s*月份?|\d{1,2}\s*月(?:底|末)|年底|年末)"
    r"|(?P<yearonly>\d{4})\s*年度?(?![\d同])"
)
_NOT_FRAME_BEFORE = re.compile(r"(?:比|较|与|同|由|从)\s*$")
_NOT_FRAME_AFTER = re.compile(r"^\s*(?:同期|以来|相比|各月|的)")
_TARGET = re.compile(r"目标|预期|力争|确保|争取|计划|年底前|到年底|年底|年末|预计|全年")
_ACTUAL = re.compile(r"已|目前|截至|上半年|1\s*[-~—–至到]\s*\d{1,2}\s*月|实际完成")

_LEAD_PREFIX = re.compile(
    r"^(?:其中|同时|另外|此外|目前|当前|总体看|今年以来|年初以来|[一二三四]季度以来|今年|本年"
    r"|截至\s*\d{1,2}\s*月(?:底|末)|\d{4}\s*年度?|上年同期|去年同期|上半年|下半年|前三季度|全年"
    r"|第?[一二三四1-4]季度|1\s*[-~—–至到]\s*\d{1,2}\s*月份?|年底前|到年底|年底|年末|要|将|确保|力争"
    r"|争取|预计|努力|计划|主要预期目标是|预期目标是|主要目标是|目标是|共有|已有|现有|拥有|共计|总计"
    r"|合计|累计|共|按可比价格计算|按可比价计算|扣除价格因素|约有|有|的|[、和及与])\s*"
)
_LEAD_SUFFIX = re.compile(
    r"(?:同比|环比|(?:比|较|与|同)\s*(?:上年同期|去年同期|上年末|上年底|上年|去年|年初|上月|上季度"
    r"|前三季度|[一二三四]季度|\d{4}\s*年(?:同期)?|1\s*[-~—–至到]\s*\d{1,2}\s*月)(?:相比)?"
    r"|名义|实际|为|是|达到|达|约|共|共计|累计|已|有|的|突破|超过|接近|近|逾|中|分别|均|各|都"
    r"|增速|增幅|降幅|增长率|增长幅度|总量)\s*$"
)
_BASE = re.compile(
    r"(?:同比|环比|(?:比|较|与|同)\s*(?P<base>[^，,;:]{1,12}?)(?:相比)?)\s*"
    r"(?:增速|增幅|降幅)?\s*$"
)
_PARENTHETICAL = re.compile(r"\([A-Za-z]+\)")
_GENERIC = re.compile(
    r"^(?:已|累计|共)?(?:完成|实现)?(?:投资|总投资|施工招标|招标|挂网|开工建设|开工|竣工|建成|回迁)$"
)
_NOUN_STOP = re.compile(r"完成|实现|累计|共计|开工|竣工|签约|总投资|占|居(?!民)|增长|同比|比上年")
_NOUN_CUT = re.compile(r"(?<=..)(?:完成|实现|开工|建成|竣工|累计|已)")
_STOP_NOUNS = ("方面", "领域", "一批", "环节", "班子", "单位", "阶段", "层次", "方向")
_MEETING = re.compile(
    r"会议|会上|专题会|常务会|推进会|座谈会|调度会|分析会|现场会|观摩会|发言|召开|出席|参会|参加"
)
_LEADING_VERB = re.compile(r"^(?:实现|完成|达到|创建|打造|开展|实施)(?=.)")
_CONJUNCTION = re.compile(r"以及|、|和|与|及")
_LIST_GLUE = re.compile(r"^\s*[,，、]?\s*(?:和|及|与|以及)?\s*$")
_COMPOUND_NAMES = (
    "企业和群众",
    "住宿和餐饮业",
    "批发和零售业",
    "交通运输、仓储和邮政业",
    "信息传输、软件和信息技术服务业",
    "租赁和商务服务业",
    "科学研究和技术服务业",
    "水利、环境和公共设施管理业",
    "居民服务、修理和其他服务业",
    "卫生和社会工作",
    "文化、体育和娱乐业",
    "电力、热力、燃气及水生产和供应业",
    "社会保障和就业",
    "城乡社区",
    "文化旅游体育与传媒",
    "节能环保",
    "农林水",
)
_RELATIVE_REGIONS = {
    "全区": "self",
    "我区": "self",
    "本区": "self",
    "全县": "self",
    "我县": "self",
    "全市": "city",
    "我市": "city",
    "本市": "city",
    "全省": "province",
    "我省": "province",
    "全国": "nation",
}
_RELATIVE = re.compile("|".join(_RELATIVE_REGIONS))


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


def _fold(text: str) -> str:
    """Text with full-width digits, letters and signs made ASCII, offsets unchanged.

    Examples
    --------
    >>> _fold("增长８．０％（初步），")
    '增长8.0%(初步)，'
    """
    return text.translate(_fold_table())


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets, split on 。；; ！？ and line breaks, trimmed.

    Examples
    --------
    >>> _sentences("上半年，GDP增长8%。\\n  固投增长10%；")
    [(0, '上半年，GDP增长8%'), (14, '固投增长10%')]
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


@cache
def _region_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """Region names (and aliases ending in 区/市/县/省) as one pattern, and their codes."""
    names: dict[str, str] = {}
    for code, row in catalog.regions().iterrows():
        for name in (row["name_zh"], *row["aliases"].split("|")):
            if name == "全国" or (len(name) >= 3 and name[-1] in "区市县省"):
                names.setdefault(name, str(code))
    ordered = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in ordered)), names


def _ancestor(code: str, level: str) -> str:
    """The region of ``level`` that ``code`` is in (itself when it is of that level), or ''."""
    regions = catalog.regions()
    while code:
        if regions.loc[code, "level"] == level:
            return code
        code = regions.loc[code, "parent"]
    return ""


def _document_region(text: str) -> str:
    """The region a text is about: the first district-level name it states, else the first."""
    pattern, names = _region_pattern()
    found = [names[m.group()] for m in pattern.finditer(text[:2000])]
    levels = catalog.regions()["level"]
    local = [c for c in found if levels[c] in ("district", "county", "zone")]
    return (local or found or [""])[0]


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


def _document_period(text: str) -> periods.Period | None:
    """The first period the text states with its year (2019年上半年, 2019年1-6月), or None."""
    for _, _, match in _frames(_fold(text[:2000])):
        if match.group("year") and match.group("span"):
            try:
                return periods.parse_period(match.group("year") + "年" + match.group("span"))
            except periods.PeriodError:
                continue
    return None


def _frame_period(match: re.Match, default: periods.Period | None) -> tuple[int | None, tuple]:
    """The year (None when unstated) and (start, end) months a frame expression states."""
    year_default = default.year if default else None
    if match.group("prev"):
        span = (default.start_month, default.end_month) if default else (1, 12)
        return (year_default - 1 if year_default else None), span
    if match.group("yearonly"):
        return int(match.group("yearonly")), (1, 12)
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
    sign: int = 1
    verb: str = ""
    base: str = ""
    basis: str = ""
    peer: str = ""
    noun: str = ""
    noun_end: int = 0
    listed: bool = False


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


def _anchor(head: str, unit: str) -> tuple[str, re.Match | None]:
    """The role a figure plays from the words just before it, and the anchor's match."""
    window = head[-40:]
    offset = len(head) - len(window)
    tries: list[tuple[str, re.Pattern]]
    if unit == "个百分点":
        tries = [("points", _A_GROWTH), ("relation", _A_RELATION)]
    elif unit == "%":
        tries = [("plan", _A_PLAN), ("share", _A_SHARE), ("growth", _A_RATE), ("growth", _A_GROWTH)]
    else:
        tries = [("change", _A_GROWTH)]
    for role, pattern in tries:
        if match := pattern.search(window):
            if role == "change" and match.group("verb") not in (*_UP, *_DOWN):
                continue
            return role, _Shifted(match, offset)
    return ("points" if unit == "个百分点" else "level"), None


class _Shifted:
    """A regex match seen from a longer string: ``start()`` shifted by an offset."""

    def __init__(self, match: re.Match, offset: int) -> None:
        self.match = match
        self.offset = offset

    def start(self) -> int:
        return self.match.start() + self.offset

    def group(self, name: str) -> str | None:
        try:
            return self.match.group(name)
        except IndexError:
            return None


def _sign(verb: str, basis: str) -> int:
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
    tail = _UNIT_TAIL.match(s, end)
    mag, base = tail.group("mag") or "", tail.group("base") or ""
    after = s[tail.end() :].lstrip()
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
        if after and not after.startswith(tuple(_CLAUSE_SEP + "、)）」”")):
            return None
        if len(text.split(".")[0].replace(",", "")) > 5 and "." not in text:
            return None
    unit, known = _unit_of(mag, base)
    q_start = start
    negative = start > 0 and s[start - 1] == "-" and (start < 2 or not s[start - 2].isdigit())
    if negative:
        q_start -= 1
    if prefix := _PREFIX_QUALIFIER.search(s[:q_start]):
        qualifier = qualifier or prefix.group().strip()
        q_start = prefix.start()
    role, anchor = _anchor(s[:q_start], unit)
    if role == "level" and unit in ("个百分点",):
        role = "points"
    token = _Token(
        role=role,
        start=anchor.start() if anchor else q_start,
        end=tail.end(),
        number=("-" if negative else "") + text.replace(",", "") if not chinese else str(int(value)),
        unit=unit,
        unit_known=known,
        qualifier=qualifier,
        range_to=range_to,
    )
    if anchor is None:
        return token
    verb = anchor.group("verb") or ""
    basis = anchor.group("basis") or ""
    if role == "relation":
        return _replace(
            token, role="points", verb=verb, base=(anchor.group("base") or "").strip(),
            sign=_sign(verb, ""),
        )  # fmt: skip
    listed = bool(anchor.group("list") or anchor.group("list2"))
    whole = (anchor.group("whole") or "").strip() if role == "share" else ""
    return _replace(token, verb=verb, basis=basis, listed=listed, base=whole)


def _replace(token: _Token, **changes: object) -> _Token:
    return _Token(**{**token.__dict__, **changes})


def _count_noun(s: str, token: _Token, next_start: int) -> tuple[str, int]:
    """The noun a count stands before (175个重大项目 -> 重大项目) and where it ends."""
    pos = token.end
    if pos >= len(s) or not _CJK.match(s[pos]):
        return "", pos
    stop = pos
    while stop < min(len(s), next_start) and s[stop] not in _CLAUSE_SEP + "、":
        stop += 1
    body = s[pos:stop]
    if cut := _NOUN_STOP.search(body):
        if cut.start() > 0:
            return body[: cut.start()], pos + cut.start()
    return body, stop


def _ranks(s: str, blocked: list) -> list[_Token]:
    """Ranks: 第N (位/名), 首位, 之首 after 居 / 位列 / 排名 ... in the same clause."""
    out: list[_Token] = []
    for match in _RANK_NUMBER.finditer(s):
        clause_start = max((s.rfind(c, 0, match.start()) for c in _CLAUSE_SEP), default=-1) + 1
        clause_start = max(clause_start, out[-1].end if out else 0)
        before = s[clause_start : match.start()]
        verbs = list(_RANK_VERB.finditer(before))
        if not verbs:
            continue
        verb = verbs[-1]
        peer = before[verb.end() :].split("的")[-1].strip()
        start = clause_start + verb.start()
        if not peer and (inside := _PEER_IN.search(before[: verb.start()])):
            peer = inside.group("peer").strip()
            start = clause_start + inside.start()
        if not peer and out and out[-1].end >= clause_start - 1:
            peer = out[-1].peer
        if match.group("top"):
            number = "1"
        else:
            try:
                number = str(cleaning.parse_rank("第" + match.group("n")))
            except cleaning.CleaningError:
                continue
        basis = before[: verb.start()]
        out.append(
            _Token(
                role="rank",
                start=start,
                end=match.end(),
                number=number,
                unit="位",
                peer=peer,
                verb=verb.group(),
                basis="增速" if re.search(r"增速|增幅", basis) else (
                    "总量" if re.search(r"总量|规模", basis) else ""
                ),
            )  # fmt: skip
        )
    return out


def _tokens(s: str) -> list[_Token]:
    """Every figure and rank of a sentence, in order."""
    blocked = _blocked_spans(s)
    ranks = _ranks(s, blocked)
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
        found.append(_Token(role="growth", start=match.start(), end=match.end(), number="0", unit="%"))
    found.sort(key=lambda t: t.start)
    out: list[_Token] = []
    for token in found:
        if out and token.start < out[-1].end:
            token = _replace(token, start=out[-1].end)
        out.append(token)
    return out
