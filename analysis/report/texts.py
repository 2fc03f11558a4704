"""Words and numbers as the reports write them, in Chinese and in English.

Every sentence template and label of a report lives here (``TEXTS``), and so does the
number formatting Chinese reports use: 亿元 with one decimal, growth with one decimal and a
sign, 个百分点 for a difference of two rates. Nothing here reads data.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

MONEY_UNITS = ("亿元", "万元", "万亿元", "千元", "百万元", "十亿元")

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "{region}{period}经济运行情况",
        "subtitle": "{region} · {period} · 所用数据为截至{vintage}的已公布数据",
        "toc": "目录",
        "sec_summary": "一、总体情况",
        "sec_headline": "二、主要指标",
        "sec_compare": "三、与上年比较",
        "sec_targets": "四、目标任务完成情况",
        "sec_peers": "五、与同类地区及上级比较",
        "sec_trend": "六、趋势与全年预测",
        "sec_notes": "七、数据说明",
        "sec_methods": "八、方法与来源",
        "col_indicator": "指标",
        "col_value": "本期",
        "col_growth": "同比增长",
        "col_prev_growth": "上年同期增长",
        "col_change": "增速变化",
        "col_target": "年度目标",
        "col_progress": "完成年度计划",
        "col_vs_time": "较时间进度",
        "col_rank": "排名",
        "col_region": "地区",
        "col_gap": "增速差",
        "col_required": "下半年需完成",
        "col_method": "方法",
        "col_projected": "全年预测",
        "col_interval": "区间",
        "col_assumptions": "假设",
        "none": "—",
        "no_section_data": "本期没有{what}的数据。",
        "what_compare": "可与上年比较",
        "what_targets": "年度目标或计划完成进度",
        "what_peers": "同类地区或上级地区可比较",
        "what_trend": "历史序列",
        "rank": "{group}第{rank}位",
        "rank_no_group": "第{rank}位",
        "rank_of": "{group}第{rank}位({n}/{m}个地区有数据)",
        "above": "高于平均",
        "below": "低于平均",
        "points": "{value}个百分点",
        "ahead": "超时间进度{value}个百分点",
        "behind": "慢于时间进度{value}个百分点",
        "on_time": "与时间进度持平",
        "summary_opening": "{period},{region}",
        "summary_level_growth": "{name}{verb}{value},同比{growth}。",
        "summary_growth_only": "{name}同比{growth}。",
        "summary_level_only": "{name}{verb}{value}。",
        "summary_vs_parents": "增速{comparisons}。",
        "summary_vs_parent": "{direction}{parent}{gap}个百分点",
        "higher": "高于",
        "lower": "低于",
        "equal": "与{parent}持平",
        "summary_plan": "{name}{value},完成年度计划的{plan},{timing}。",
        "summary_rank": "{name}居{rank}。",
        "summary_none": "{region}{period}没有可用于综述的指标数据。",
        "verb_level": "完成",
        "growth_up": "增长{value}%",
        "growth_down": "下降{value}%",
        "growth_flat": "持平",
        "chart_growth_parents": "{indicator}同比增长:{region}与上级地区",
        "chart_growth_years": "同比增长:本期与上年同期",
        "chart_plan": "完成年度计划进度(竖线为时间进度{progress}%)",
        "chart_peers": "{indicator}:{region}在{group}中({period})",
        "chart_level": "{indicator}历年水平",
        "axis_growth": "同比增长(%)",
        "axis_plan": "完成年度计划(%)",
        "this_period": "本期",
        "last_year": "上年同期",
        "peer_average": "平均",
        "full_year": "全年",
        "first_half": "上半年",
        "h2_required_growth": "下半年需增长{value}",
        "h2_required_amount": "下半年需完成{value}",
        "compare_h2": "与上年下半年比较:{name}本期{value},上年下半年{h2}。",
        "peers_other_period": "本期暂无同类地区数据,下图为有数据的最近一期({period})。",
        "parents_table": "与上级地区增速比较",
        "notes_gaps": "缺失数据",
        "notes_conflicts": "来源不一致",
        "notes_checks": "复核结果",
        "notes_rejected": "清洗中剔除的记录",
        "notes_sources": "数据来源",
        "notes_none_rejected": "本地区没有被剔除的记录。",
        "notes_none_conflicts": "本地区本期数据没有来源不一致的情况。",
        "notes_gap_line": "{name}:{reason}",
        "methods_formulas": "计算方法",
        "methods_provenance": "来源与版本",
        "prov_parameters": "参数",
        "prov_files": "数据文件(SHA-256)",
        "prov_code": "程序版本",
        "prov_versions": "运行环境",
        "prov_vintage": "数据版本",
    },
    "en": {
        "title": "{region}: economic situation, {period}",
        "subtitle": "{region} · {period} · published figures up to {vintage}",
        "toc": "Contents",
        "sec_summary": "1. Overview",
        "sec_headline": "2. Headline figures",
        "sec_compare": "3. Against last year",
        "sec_targets": "4. Targets and plans",
        "sec_peers": "5. Peers and the levels above",
        "sec_trend": "6. Trend and full-year projection",
        "sec_notes": "7. Data notes",
        "sec_methods": "8. Methods and provenance",
        "col_indicator": "Indicator",
        "col_value": "This period",
        "col_growth": "Year on year",
        "col_prev_growth": "A year earlier",
        "col_change": "Change",
        "col_target": "Annual target",
        "col_progress": "Share of annual plan",
        "col_vs_time": "Against time elapsed",
        "col_rank": "Rank",
        "col_region": "Region",
        "col_gap": "Growth gap",
        "col_required": "Second half must deliver",
        "col_method": "Method",
        "col_projected": "Full-year projection",
        "col_interval": "Interval",
        "col_assumptions": "Assumptions",
        "none": "—",
        "no_section_data": "No data {what} for this period.",
        "what_compare": "to compare with last year",
        "what_targets": "on annual targets or plan progress",
        "what_peers": "on peers or the levels above",
        "what_trend": "series",
        "rank": "{rank} among {group}",
        "rank_no_group": "rank {rank}",
        "rank_of": "{rank} among {group} ({n} of {m} have data)",
        "above": "above average",
        "below": "below average",
        "points": "{value} points",
        "ahead": "{value} points ahead",
        "behind": "{value} points behind",
        "on_time": "on time",
        "summary_opening": "In {period}, {region}: ",
        "summary_level_growth": "{name} {value}, {growth} year on year.",
        "summary_growth_only": "{name} {growth} year on year.",
        "summary_level_only": "{name} {value}.",
        "summary_vs_parents": "Growth was {comparisons}.",
        "summary_vs_parent": "{gap} points {direction} {parent}",
        "higher": "above",
        "lower": "below",
        "equal": "equal to {parent}",
        "summary_plan": "{name}: {value}, {plan} of the annual plan, {timing}.",
        "summary_rank": "{name}: {rank}.",
        "summary_none": "No figures for {region} in {period} to summarise.",
        "verb_level": "",
        "growth_up": "up {value}%",
        "growth_down": "down {value}%",
        "growth_flat": "flat",
        "chart_growth_parents": "{indicator} growth: {region} and the levels above",
        "chart_growth_years": "Growth: this period and a year earlier",
        "chart_plan": "Share of the annual plan completed (line: time elapsed, {progress}%)",
        "chart_peers": "{indicator}: {region} among {group} ({period})",
        "chart_level": "{indicator} over the years",
        "axis_growth": "Year-on-year growth (%)",
        "axis_plan": "Share of annual plan (%)",
        "this_period": "This period",
        "last_year": "A year earlier",
        "peer_average": "average",
        "full_year": "Full year",
        "first_half": "First half",
        "h2_required_growth": "second half must grow {value}",
        "h2_required_amount": "second half must deliver {value}",
        "compare_h2": "Against last year's second half: {name} {value} this period, {h2} in "
        "last year's second half.",
        "peers_other_period": "No peer figures for this period; the chart shows the latest "
        "period with peer data ({period}).",
        "parents_table": "Growth against the levels above",
        "notes_gaps": "Gaps",
        "notes_conflicts": "Sources that disagree",
        "notes_checks": "Published figures rechecked",
        "notes_rejected": "Rows rejected in cleaning",
        "notes_sources": "Sources",
        "notes_none_rejected": "No rows of this region were rejected.",
        "notes_none_conflicts": "No sources disagree for this region and period.",
        "notes_gap_line": "{name}: {reason}",
        "methods_formulas": "Formulas",
        "methods_provenance": "Provenance",
        "prov_parameters": "Parameters",
        "prov_files": "Data files (SHA-256)",
        "prov_code": "Code version",
        "prov_versions": "Environment",
        "prov_vintage": "Data vintage",
    },
}


def _missing(value: float | None) -> bool:
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


_QUALIFIER_EN = {
    "余": "over ",
    "多": "over ",
    "突破": "over ",
    "超过": "over ",
    "超": "over ",
    "逾": "over ",
    "以上": "at least ",
    "约": "about ",
    "左右": "about ",
    "接近": "nearly ",
    "近": "nearly ",
}


def _english(value: float, unit: str, qualifier: str) -> str:
    """A level for the English edition: yuan in billions, ten-thousands written out."""
    prefix = _QUALIFIER_EN.get(qualifier, "")
    if unit == "亿元":
        return f"{prefix}{rounded(value / 10, 2)} bn yuan"
    if unit == "万亿元":
        return f"{prefix}{rounded(value, 2)} tn yuan"
    if unit == "万元":
        return f"{prefix}{rounded(value / 100, 2)} m yuan"
    if unit == "元":
        return f"{prefix}{value:,.0f} yuan"
    if unit in ("%", "个百分点"):
        return f"{prefix}{format_number(value)}{'%' if unit == '%' else ' points'}"
    if unit.startswith("万"):
        return f"{prefix}{value * 1e4:,.0f}"
    return f"{prefix}{format_number(value)}"


def format_value(value: float | None, unit: str, qualifier: str = "", *, lang: str = "zh") -> str:
    """A level with its unit and qualifier: '323.3亿元', '22万余件', '—' for a gap.

    The English edition writes yuan in billions and counts in full.

    Examples
    --------
    >>> format_value(323.3, "亿元"), format_value(22, "万件", "余"), format_value(5688, "套")
    ('323.3亿元', '22万余件', '5688套')
    >>> format_value(55, "万人次", "突破"), format_value(float("nan"), "亿元")
    ('突破55万人次', '—')
    >>> format_value(323.3, "亿元", lang="en"), format_value(22, "万件", "余", lang="en")
    ('32.33 bn yuan', 'over 220,000')
    """
    if _missing(value):
        return "—"
    if lang == "en":
        return _english(value, unit, qualifier)
    number = format_number(value, unit=unit)
    if qualifier == "余" and unit.startswith("万"):
        return f"{number}万余{unit[1:]}"
    if qualifier in ("余", "以上", "左右", "多"):
        return f"{number}{unit}{qualifier}"
    if qualifier in ("约", "突破", "超过", "接近", "近", "逾", "超"):
        return f"{qualifier}{number}{unit}"
    return f"{number}{unit}"


def format_growth(value: float | None) -> str:
    """Growth with a sign and one decimal: '+8.0%'; a gap is '—'.

    Examples
    --------
    >>> format_growth(8), format_growth(-1.55), format_growth(float("nan"))
    ('+8.0%', '-1.6%', '—')
    """
    if _missing(value):
        return "—"
    text = rounded(value)
    return f"{text}%" if text.startswith("-") else f"+{text}%"


def format_points(value: float | None, *, lang: str) -> str:
    """A difference of two rates in percentage points: '+1.0个百分点' / '+1.0 points'.

    Examples
    --------
    >>> format_points(1, lang="zh"), format_points(-0.25, lang="en"), format_points(None, lang="zh")
    ('+1.0个百分点', '-0.3 points', '—')
    """
    if _missing(value):
        return "—"
    text = rounded(value)
    text = text if text.startswith("-") else f"+{text}"
    return f"{text}个百分点" if lang == "zh" else f"{text} points"


def format_percent(value: float | None) -> str:
    """A share or completion rate with one decimal: '51.0%'.

    Examples
    --------
    >>> format_percent(51), format_percent(float("nan"))
    ('51.0%', '—')
    """
    if _missing(value):
        return "—"
    return f"{rounded(value)}%"


def growth_words(value: float, *, lang: str) -> str:
    """Growth in words: '增长8.0%' / 'up 8.0%', '下降1.6%' / 'down 1.6%'.

    Examples
    --------
    >>> growth_words(8, lang="zh"), growth_words(-1.6, lang="en"), growth_words(0, lang="zh")
    ('增长8.0%', 'down 1.6%', '持平')
    """
    t = TEXTS[lang]
    if round(value, 1) == 0:
        return t["growth_flat"]
    key = "growth_up" if value > 0 else "growth_down"
    return t[key].format(value=rounded(abs(value)))


def timing_words(gap: float, *, lang: str) -> str:
    """Plan progress against time elapsed: '快1.0个百分点' / '1.0 points ahead'.

    Examples
    --------
    >>> timing_words(1.0, lang="zh"), timing_words(-2.5, lang="en"), timing_words(0, lang="zh")
    ('超时间进度1.0个百分点', '2.5 points behind', '与时间进度持平')
    """
    t = TEXTS[lang]
    if round(gap, 1) == 0:
        return t["on_time"]
    return t["ahead" if gap > 0 else "behind"].format(value=rounded(abs(gap)))


VINTAGE_WORDS = {
    "zh": {
        "preliminary": "初步数",
        "revised": "修订数",
        "final": "最终核实数",
        "estimate": "预计数",
        "unspecified": "未注明版本",
    },
    "en": {
        "preliminary": "preliminary",
        "revised": "revised",
        "final": "final",
        "estimate": "estimate",
        "unspecified": "release not stated",
    },
}

_PERIOD_CODE = re.compile(
    r"(?<![0-9A-Za-z])\d{4}(?:H[12]|FY|Q[1-4]|M\d\d(?:-\d\d)?)(?![0-9A-Za-z])"
)
_REASONS_ZH = [
    (r"^no level for (.+)$", "{0}无总量数据"),
    (r"^no growth for (\S+) in (.+)$", "{0}{1}无增速数据"),
    (r"^no growth for (.+)$", "{0}无增速数据"),
    (r"^no level published$", "未公布总量"),
    (r"^no growth published$", "未公布增速"),
    (r"^no growth target for (\d{4})$", "{0}年没有增速目标"),
    (r"^no growth target for (.+)$", "{0}未设增速目标"),
    (r"^no level target for (.+)$", "{0}未设总量目标"),
    (r"^no plan share published$", "未公布计划完成比例"),
    (r"^no level target or plan share$", "未设总量目标或计划"),
    (r"^needs last year's levels: no (.+)$", "缺少上年总量:{0}"),
    (r"^only (\d+) of (\d+) peers have a figure$", "仅{0}/{1}个地区有数据"),
    (r"^no other member of (\S+) has a growth for (.+)$", "{0}其他地区{1}无增速数据"),
    (r"^no other member of (\S+) has a level for (.+)$", "{0}其他地区{1}无总量数据"),
    (r"^base (.+) is zero or negative$", "{0}基数为零或负数"),
    (r"^conflicting sources: (.+)$", "来源不一致:{0}"),
    (r"^(.+) here vs (.+)$", "{0} 与 {1}"),
    (r"^defined for a first-half period$", "仅适用于上半年"),
    (r"^insufficient history \(n=(\d+), needs (\d+)\)$", "历史数据不足(现有{0}期,需要{1}期)"),
]


def localize_reason(reason: str, *, lang: str, names: dict[str, str] | None = None) -> str:
    """A gap's reason in the report's language, with periods and regions named for readers.

    Examples
    --------
    >>> localize_reason("no level for 2018H1", lang="zh")
    '2018年上半年无总量数据'
    >>> names = {"zhengzhou": "郑州市"}
    >>> localize_reason("no growth for zhengzhou in 2019H1", lang="zh", names=names)
    '郑州市2019年上半年无增速数据'
    >>> localize_reason("no level for 2018H1", lang="en")
    'no level for 2018 H1'
    """
    from analysis.periods import Period

    names = names or {}
    text = reason
    if lang == "zh":
        for pattern, template in _REASONS_ZH:
            match = re.match(pattern, reason)
            if match:
                text = template.format(*(names.get(g, g) for g in match.groups()))
                break
    return _PERIOD_CODE.sub(lambda m: Period.from_code(m.group(0)).label(lang), text)
