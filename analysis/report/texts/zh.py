"""The Chinese edition's words: labels, sentence templates, reasons by code, number words.

Every key here has its twin in ``en.py`` (the tests check it). Templates use ``str.format``
fields; a reason's fields are the arguments of its code in ``analysis.reasons.CODES``.
"""

from __future__ import annotations

from analysis.report.numbers import format_number

LANG = "zh"
HTML_LANG = "zh-CN"

WORDS: dict[str, str] = {
    "title": "{region}{period}经济运行情况",
    "subtitle": "{region} · {period} · 所用数据为截至{vintage}的已公布数据",
    "toc": "目录",
    "sec_judgment": "一、总体判断",
    "sec_blocks": "二、主要指标完成情况",
    "sec_targets": "三、目标任务完成情况",
    "sec_peers": "四、与同类地区及上级比较",
    "sec_problems": "五、存在问题",
    "sec_outlook": "六、下半年形势预判",
    "sec_compare": "七、与上年同期比较",
    "sec_notes": "八、数据说明",
    "sec_methods": "九、方法与来源",
    "col_indicator": "指标",
    "col_value": "本期",
    "col_growth": "同比增长",
    "col_rank": "排名",
    "col_nominal": "名义增长（按现价计算）",
    "col_check_verdict": "结论",
    "col_period": "时期",
    "conflict_line": "{period}{what}：{values}",
    "conflict_what": "{name}{measure}",
    "conflict_value": "{value}（{source}）",
    "conflict_joiner": "；",
    "conflict_many": "{n}个来源数值不一，最低{lowest}，最高{highest}",
    "col_published": "公布值",
    "col_recomputed": "复算值",
    "col_detail": "说明",
    "col_where": "文件：行",
    "col_reason": "原因",
    "none": "—",
    "no_section_data": "本期没有{what}的数据。",
    "what_compare": "可与上年比较",
    "what_peers": "同类地区或上级地区可比较",
    "what_trend": "历史序列",
    "rank": "{group}{rank}",
    "rank_no_group": "{rank}",
    "above": "高于平均",
    "below": "低于平均",
    "ahead": "超时间进度{value}个百分点",
    "behind": "慢于时间进度{value}个百分点",
    "on_time": "与时间进度持平",
    "list_joiner": "、",
    "list_and": "和",
    "list_or": "和",
    "list_clause": "、",
    "list_count": "，",
    "growth_up": "增长{value}%",
    "growth_down": "下降{value}%",
    "growth_flat": "持平",
    "points": "{value}个百分点",
    "chart_growth_parents": "{indicator}同比增长：{region}与上级地区",
    "chart_growth_years": "同比增长：本期与上年同期",
    "chart_peers": "{indicator}：{region}在{group}中（{period}）",
    "chart_level": "{indicator}历年水平",
    "axis_growth": "同比增长（%）",
    "this_period": "本期",
    "last_year": "上年同期",
    "peer_average": "平均",
    "full_year": "全年",
    "first_half": "上半年",
    "compare_h2": "与上年下半年比较：{name}本期{value}，上年下半年{h2}。",
    "compare_missing": "{label}：{names}：{reason}",
    "year_targets": "年度目标任务",
    "peers_other_period": "本期暂无同类地区数据，下图为有数据的最近一期（{period}）。",
    "peers_caption": "{group}：{m}个地区中{n}个有数据",
    "parents_table": "与上级地区增速比较",
    "notes_gaps": "缺失数据",
    "notes_conflicts": "来源不一致",
    "notes_checks": "复核结果",
    "notes_rejected": "清洗中剔除的记录",
    "notes_sources": "数据来源",
    "notes_source": "{file}（{n}项）：{where}",
    "notes_none_rejected": "本地区没有被剔除的记录。",
    "notes_none_conflicts": "本地区本期数据没有来源不一致的情况。",
    "notes_gap_line": "{name}：{reason}",
    "methods_formulas": "计算方法",
    "methods_provenance": "来源与版本",
    "prov_parameters": "参数",
    "prov_files": "数据文件（SHA-256）",
    "prov_code": "程序版本",
    "prov_versions": "运行环境",
    "prov_vintage": "数据版本",
    "prov_rows": "{encoding}，{rows}行",
    "proj_heading": "{indicator}全年预测",
    "proj_chart": "{indicator}：历年全年水平与{year}年全年预测",
    "proj_lead": "以{method}为主要预测方法，预测{year}年全年{value}"
    "（{level}%区间{lower}至{upper}）。",
    "proj_lead_no_interval": "以{method}为主要预测方法，预测{year}年全年{value}（以往误差太少，"
    "不给{level}%区间）。",
    "proj_why": "理由：{reason}。",
    "proj_methods": "各方法预测",
    "proj_backtest": "历年回测（用当年上半年及当时已公布的初步数预测当年全年；规则、区间和主要方法"
    "只依据此前年份选定）",
    "proj_none": "{indicator}：历史数据不足，无法预测全年（{detail}）。",
    "proj_none_item": "{method}：{reason}",
    "proj_none_joiner": "；",
    "proj_no_backtest": "没有同时公布上半年和全年数据的往年，无法回测。",
    "proj_col_method": "方法",
    "proj_col_projected": "全年预测",
    "proj_col_interval": "区间",
    "proj_col_years": "回测年数",
    "proj_col_mape": "平均绝对百分比误差",
    "proj_col_bias": "平均误差",
    "proj_col_coverage": "{level}%区间覆盖",
    "proj_col_vs_same": "误差与同速增长法之比",
    "proj_coverage": "{n}年中{covered}年",
    "proj_proxy_backtest": "本地区没有可回测的往年：下表为{proxy}同一指标的回测误差，"
    "并非本地区的。",
    "proj_not_h1": "全年预测只对上半年报告给出。",
    "proj_interval": "{lower} – {upper}",
    "peer_rule_named": "{group}（已命名的比较组：{members}）",
    "peer_rule_same_prefecture_type": "{group}（{region}不在已命名的比较组中，"
    "按规则取{parent}同类型县级单位比较）",
    "peer_rule_same_province_type": "{group}（{region}所在地级市同类型单位不足三个，"
    "按规则取{parent}同类型县级单位比较）",
    # 总体判断
    "judgment_opening": "{period}，{region}",
    "judgment_level_growth": "{name}{value}，同比{growth}",
    "judgment_growth_only": "{name}同比{growth}",
    "judgment_speed": "，增速{comparisons}",
    "judgment_faster": "比{when}加快{diff}个百分点",
    "judgment_slower": "比{when}回落{diff}个百分点",
    "judgment_flat": "与{when}基本持平",
    "judgment_above": "高于{parent}{diff}个百分点",
    "judgment_below": "低于{parent}{diff}个百分点",
    "judgment_equal": "与{parent}持平",
    "judgment_unknown": "；{what}暂无可比增速",
    "judgment_end": "。",
    "judgment_targets": "{total}项年度目标中，{counts}。",
    "judgment_count_ahead": "{n}项快于时间进度或已达标",
    "judgment_count_behind": "{n}项慢于时间进度或未达标",
    "judgment_count_on_time": "{n}项与时间进度持平",
    "judgment_count_unmeasured": "{n}项{so_far}无完成数据",
    "judgment_verdict": "总体看，{region}经济运行{verdict}。",
    "judgment_none": "{period}，{region}主要指标无增速数据，暂不作总体判断。",
    "judgment_rule": "判断规则{rule}：{condition}。规则表见“方法与来源”。",
    "when_last_year": "上年同期",
    "when_peers": "同组地区平均",
    "when_earlier_H1": "一季度",
    "when_earlier_Q3": "上半年",
    "when_earlier_FY": "前三季度",
    "when_earlier": "本年上一累计期",
    # 主要指标完成情况
    "col_change_last_year": "较上年同期（个百分点）",
    "col_change_earlier": "较{when}（个百分点）",
    "col_plan": "完成年度计划",
    "col_gap_time": "较时间进度（个百分点）",
    "col_position": "位次",
    "blocks_none": "本期没有可列入主要指标表的数据。",
    "block_whole": "{part}{part_value}，占{whole}的{share}，据此推算{whole}约{whole_value}。",
    # 目标任务完成情况
    "target_level": "{name}：全年目标{target}，{so_far}完成{achieved}{via}，"
    "占全年目标的{progress}，{timing}{required}。",
    "target_completed": "{name}：全年目标{target}，{so_far}完成{achieved}{via}，已完成全年目标"
    "（{progress}）。",
    "target_plan": "{name}：{so_far}完成{achieved}，完成年度计划的{progress}，{timing}；"
    "按此推算全年计划约{target}{required}。",
    "target_growth": "{name}：全年目标增长{target}，{so_far}{growth}，{verdict}{required}。",
    "target_end_level": "{name}：全年目标{target}，{so_far}为{achieved}{via}，{status}。",
    "target_end_gap": "{status}（差{gap}）",
    "target_via": "（{name}）",
    "target_pace_more": "，比{so_far}多{pace}%",
    "target_pace_less": "，比{so_far}少{pace}%",
    "target_pace_same": "，与{so_far}相当",
    "target_unmeasured": "以下{n}项年度目标{so_far}无完成数据，进度无法判断：{items}。",
    "target_item": "{name}{target}",
    "target_item_growth": "{name}增长{target}",
    "targets_none": "本期数据中没有年度目标或计划完成进度。",
    "chart_target_progress": "年度目标完成进度（竖线为时间进度{progress}%）",
    "axis_target_progress": "完成年度目标（%）",
    # 横向比较
    "peers_group": "比较组：{rule}。",
    "peers_no_figures": "该组其他地区在数据中暂无可比数值。",
    # 存在问题
    "problems_none": "按本报告的问题规则（见“方法与来源”），本期未发现滞后指标。",
    "problem_headline_missing": "本期未公布{names}数据，相关领域运行情况无法判断。",
    "problem_target_unmeasured": "{names}共{n}项年度目标{so_far}无完成数据，进度无法判断。",
    # 下半年形势预判
    "outlook_targets": "完成全年目标，{rest}需要",
    "outlook_level": "{name}：{rest}需完成{h2}{pace}。",
    "outlook_growth": "{name}：实现全年增长{target}的目标，{rest}需增长{h2}。",
    "outlook_growth_down": "{name}：全年增长{target}的目标，{rest}即使下降{h2}也能实现。",
    "outlook_growth_unknown": "{name}：全年目标增长{target}，{rest}所需增速无法计算（{reason}）。",
    "outlook_projections": "全年预测",
    "outlook_projection": "{name}：按{method}预测，全年约{projected}"
    "（{level}%区间{lower}至{upper}）{record}{position}。",
    "outlook_record_own": "；此前回测中，该方法的{level}%区间{n}年中有{covered}年覆盖实际值",
    "outlook_record_proxy": "；本地区没有可回测的往年，{proxy}同一方法的{level}%区间"
    "{n}年中有{covered}年覆盖实际值",
    "outlook_record_none": "；该方法没有往年回测，区间未经检验",
    "outlook_projection_no_interval": "{name}：按{method}预测，全年约{projected}"
    "（以往误差太少，不给区间）{position}。",
    "outlook_projection_none": "{name}：历史数据不足，无法预测全年。",
    "outlook_target_above": "；全年增长目标对应约{target}，高于预测区间，完成难度较大",
    "outlook_target_within": "；全年增长目标对应约{target}，处于预测区间之内",
    "outlook_target_below": "；全年增长目标对应约{target}，低于预测区间，有望完成",
    "outlook_point_above": "；全年增长目标对应约{target}，高于预测值，完成难度较大",
    "outlook_point_within": "；全年增长目标对应约{target}，与预测值相当",
    "outlook_point_below": "；全年增长目标对应约{target}，低于预测值，有望完成",
    "outlook_none": "本期没有需要下半年完成的年度目标，也没有全年预测。",
    # 记录、方法
    "index_title": "经济运行分析报告",
    "index_missing": "暂无中文版",
    "target_required": "；{rest}需完成{h2}{pace}",
    "target_required_growth": "；{rest}需增长{value}",
    "target_required_growth_down": "；{rest}即使下降{value}也能实现",
    "target_required_reason": "；{reason}",
    "so_far_Q1": "一季度",
    "so_far_H1": "上半年",
    "so_far_Q3": "前三季度",
    "so_far_FY": "全年",
    "so_far": "本期",
    "rest_Q1": "后三个季度",
    "rest_H1": "下半年",
    "rest_Q3": "四季度",
    "rest": "年内余下时间",
    "record_headline": "{name}{value}，{growth}；{verdict}",
    "record_headline_growth": "{name}{growth}；{verdict}",
    "methods_rules": "判断与问题规则",
    "rule_item": "{rule}：{condition}",
}

#: A reason by code (see ``analysis.reasons.CODES`` for the arguments).
REASONS: dict[str, str] = {
    "no_level": "{period}无总量数据",
    "no_level_of": "{indicator}无总量数据",
    "no_growth": "{period}无增速数据",
    "no_growth_of": "{region}{period}无增速数据",
    "no_level_published": "未公布总量",
    "no_growth_published": "未公布增速",
    "no_plan_published": "未公布计划完成比例",
    "no_growth_target": "{period}未设增速目标",
    "no_level_target": "{period}未设总量目标",
    "no_level_target_or_plan": "未设总量目标或计划",
    "no_level_completed": "无完成量数据",
    "needs_last_year": "缺少上年总量：{periods}",
    "mixed_vintages": "上年上半年与全年数据版本不同（{period}为第{release}版，{later}为第"
    "{later_release}版），无法得出同口径的下半年",
    "base_not_positive": "{period}基数为零或负数",
    "last_h2_not_positive": "上年下半年为零或负数",
    "first_half_only": "仅适用于上半年",
    "not_year_to_date": "不是年初至今的累计期",
    "not_computed_for_kind": "{kind}不计算增速",
    "not_ranked_kind": "{indicator}为{kind}，不参与排名",
    "no_peer_group": "{region}不属于任何同类地区组",
    "no_own_figure": "{region}无{measure}数据",
    "no_other_peer": "{group}其他地区{period}无{measure}数据",
    "ranked_among_few": "仅{n}/{m}个地区有数据",
    "no_peer_growth": "本地区或同类地区无增速数据",
    "growth_gap": "按现价水平计算的名义增速{computed}%与公布增速{published}%相差{gap}个百分点"
    "（超过{threshold}个百分点）：可能是价格因素、口径变化或数据错误",
    "growth_gap_real": "按现价水平计算的名义增速{computed}%与公布增速{published}%相差{gap}"
    "个百分点（超过{threshold}个百分点）；公布增速为可比价，存在差距属正常",
    "not_comparable": "无法比较：{missing}增速缺失",
    "not_computable": "无法计算",
    "no_earlier_period": "{period}没有本年更早的累计期可比",
    "conflicting_sources": "来源不一致：{conflict}",
    "disagree": "{value} 与 {others}",
    "reject_review": "标记为待复核且未确认：{value}",
    "reject_problem": "读取时发现问题：{value}",
    "reject_region": "地区无法识别：{value}",
    "reject_period": "时期无法识别：{value}",
    "reject_indicator": "没有指标名称或代码",
    "reject_value": "数值或单位无法识别或与目录不符：{value} {unit}",
    "reject_growth": "同比增速无法识别：{value}",
    "reject_plan": "完成计划比例无法识别：{value}",
    "reject_is_target": "是否为目标只能填1或0（或留空）：{value}",
    "reject_peer_group": "比较组无法识别：{value}",
    "reject_no_figure": "无数值：总量、增速和完成计划比例均为空",
    "reject_rank_whole": "排名必须是不小于1的整数",
    "reject_share_range": "比重或比率必须在0到100（%）之间",
    "reject_relation_sign": "高于或低于的比较只能是+1或-1",
    "reject_column": "{column}不符合要求：{value}",
    "reject_duplicate": "与{file}第{line}行重复（同一指标、同一版本、数值相同）",
    "reject_implausible": "数值不合理（{check}）：{value}",
    "disagree_many": "{value} 与另外{n}个不同数值（{lowest}至{highest}）",
    "check_growth_real": "公布增速为可比价；按现价水平计算的名义增速为{computed}%，"
    "相差{gap}个百分点（价格因素）",
    "check_levels": "上年同期{before}，本期{after}",
    "check_levels_mismatch": "上年同期{before}，本期{after}，计算增速{result}%"
    "（按数据精度应在{low}%至{high}%之间）；两期总量可能口径或版本不同",
    "check_two_year": "两年平均增速 = √((1 + {first}%)(1 + {second}%)) − 1",
    "check_two_year_mismatch": "√((1 + {first}%)(1 + {second}%)) − 1 = {result}%;"
    "来源可能使用了修订后的{period}增速",
    "check_assessment_rank": "考评排名：未公布所依据的得分",
    "check_rank_no_base": "{region}无{indicator}{measure}数据；{n}/{m}个地区有数据",
    "check_rank_peers": "{group}中{n}/{m}个地区有数据",
    "check_group_unstated": "未注明比较范围，按{group}复核",
    "check_no_gdp_growth": "{region}{period}无地区生产总值增速数据",
    "check_vs_city": "本地区{own}%，全市{theirs}%",
    "check_plan_unpublished": "未公布年度计划；隐含年度计划{implied}",
    "check_whole_unpublished": "未公布总数（{indicator}）",
    "check_whole_unknown": "未公布总数",
    # 全年预测
    "insufficient_history": "历史数据不足（现有{n}年，需要{needs}年）",
    "levels_not_positive": "需要正的总量（取对数）；{years}年不是正数",
    "no_deflator": "无{period}的隐含价格指数（需要该年及上一年总量和该年公布增速）",
    "needs_methods": "需要{methods}，但其无法计算",
    "no_method_can_run": "没有可用的方法",
    "share_rule": "上半年占全年比重{share}%：{rule}，依据{years}年",
    "share_rule_kept": "沿用上年占比：其他规则中最好的（{rule}）在此前{n}次回测（{regions}）"
    "的误差是其{ratio}倍",
    "share_rule_chosen": "采用{rule}：此前{n}次回测（{regions}）其误差为上年占比的{ratio}倍",
    "share_rule_default": "采用上年占比：此前不足{needs}年，无法比较各规则",
    "share_rule_only": "{rule}：现有历史只允许这一规则",
    "shares_borrowed": "借用{region}的占比（上级中最近的有上半年和全年数据的地区）",
    "shares_named": "借用{region}的占比（由分析人员指定）",
    "nominal_growth_from_levels": "下半年按上半年的现价增速增长：{growth}%"
    "（{period}与{base}总量之比）",
    "levels_aligned": "{period}与{later}均取第{release}版数据（较新的修订数无同版本对应数）",
    "real_growth_with_deflator": "无上半年总量可比：公布增速{growth}%（可比价）"
    "加价格因素{deflator}%（沿用{period}的隐含价格指数）",
    "nominal_growth_published": "无上半年总量可比：按公布增速{growth}%",
    "log_drift": "全年总量取对数的带漂移随机游走，{n}年（{years}年）：年均增长{growth}%",
    "gap_before": "{period}无总量数据：更早的年份未使用",
    "equal_weights": "{methods}的平均",
    "growth_target": "增长目标{target}%{qualifier}",
    "h2_must_grow": "下半年需增长{growth}%",
    "h2_growth_unknown": "下半年所需增速无法计算（需要同口径的{period}及其上半年数据）",
    "target_deflator": "按{period}的隐含价格指数{deflator}%折算为现价",
    "at_prices_of": "按{period}价格计算（无价格指数）",
    "not_a_forecast": "这是目标而非预测：不给区间",
    "calibrated_interval": "{level}%区间依据以往{n}个误差（{regions}）：±{half_width}%",
    "deflator_error_included": "已计入价格指数本身的误差（±{half_width}%，{n}年）",
    "too_few_errors": "无{level}%区间：以往误差{n}个，需要{needs}个",
    "deflator_error_unknown": "无区间：价格指数误差需要{needs}年数据，现有{n}年",
    "break_in_data": "所用数据在{years}年可能存在断点",
    "not_in_catalog": "{indicator}不在指标目录中：按累计流量指标处理",
    "no_level_for": "{region}{period}无总量数据：依赖该数据的方法无法计算",
    "census_revision": "{census}年经济普查将修订{period}的初步数；该年上半年数据发布于修订之前",
    "break_vs_published": "{period}可能存在断点：总量变化{growth}%，公布增速{published}%"
    "（通常相差{gap}个百分点）：经济普查修订还是价格因素？",
    "break_robust": "{period}可能存在断点：总量变化{growth}%，通常为{usual}%±{spread}："
    "经济普查修订？",
    "beats_same_growth": "以{method}为主：此前{n}次回测（{regions}）其误差为同速增长法的{ratio}倍"
    "（平均绝对百分比误差{mape}%）",
    "same_growth_leads": "以同速增长法为主：此前{n}次回测（{regions}）平均绝对百分比误差{mape}%",
    "same_growth_leads_over": "以同速增长法为主：此前{n}次回测（{regions}）平均绝对百分比误差"
    "{mape}%；其他方法中最好的{method}误差为其{ratio}倍",
    "lowest_mape": "以{method}为主：平均绝对百分比误差最低（{mape}%，此前{n}次回测，{regions}）；"
    "同速增长法无法计算",
    "too_few_backtest_years": "以{method}为主：此前不足{needs}年，无法比较各方法",
}

#: Words that arguments of reasons stand for.
ARG_WORDS: dict[str, dict[str, str]] = {
    "check": {  # the rules of analysis/reference/plausibility.csv
        "negative_flow": "负数：产出、支出、收入等总量不可能小于0",
        "negative_count": "负数：个数不可能小于0",
        "whole_count": "非整数：个数按最小单位计应为整数",
        "money_too_large": "数值过大：超过10^15元，不可能真实",
        "per_capita_too_large": "人均数值过大：每人超过1000万元",
        "count_too_large": "个数过大：超过10^10",
        "actual_in_future": "时期在未来：实际数的年份晚于今年",
        "target_in_future": "时期在未来：目标的年份晚于明年",
        "per_capita_unit_on_total": "总量指标使用了人均单位（元/人、人均）",
        "total_unit_on_per_capita": "人均指标使用了总量单位（百万元及以上）",
        "region_code_vs_name": "同一行中地区代码与地区名称不符",
        "indicator_code_vs_name": "同一行中指标代码与指标名称不符",
    },
    "column": {
        "region": "地区",
        "region_zh": "地区名称",
        "period": "时期",
        "year": "年份",
        "start_month": "起始月",
        "end_month": "截止月",
        "indicator": "指标",
        "indicator_zh": "指标名称",
        "catalogued": "是否在目录中",
        "kind": "指标类型",
        "value": "数值",
        "unit": "单位",
        "yoy_pct": "同比增速",
        "plan_pct": "完成计划比例",
        "qualifier": "限定词",
        "is_target": "是否为目标",
        "peer_group": "比较组",
        "vintage": "数据版本",
        "release": "发布次序",
        "value_rounding": "数值精度",
        "yoy_rounding": "增速精度",
        "value_decimals": "小数位数",
        "stated": "原文",
        "value_conflict": "数值冲突",
        "yoy_pct_conflict": "增速冲突",
        "plan_pct_conflict": "计划比例冲突",
        "flag": "标记",
        "source_file": "来源文件",
        "source_line": "来源行",
        "source_column": "来源列",
        "source_url": "来源网址",
        "note": "备注",
    },
    "kind": {
        "flow": "流量指标",
        "stock": "存量指标",
        "rate": "比率",
        "share": "比重",
        "count": "计数",
        "rank": "排名",
        "relation": "比较关系",
        "uncatalogued": "未编目指标",
    },
    "measure": {"growth": "增速", "level": "总量"},
    "missing": {"computed": "计算", "published": "公布", "both": "计算和公布"},
    "rule": {"last": "上年占比", "mean3": "近三年平均占比", "trend": "近五年占比线性趋势"},
    "qualifier": {"以上": "以上", "左右": "左右", "区间": "（区间下限）", "": ""},
}
#: How a list argument's elements are joined, and several reasons in one cell.
LIST_JOINER = "、"
#: How years, regions and methods in a list are joined, and a run of years.
SERIES_JOINER = "、"
YEAR_DASH = "-"
REASON_JOINER = "；"

#: Growth achieved against a growth target (``analysis.compute.indicators.VERDICTS``).
VERDICTS = {
    "met": "完成目标",
    "not met": "未完成目标",
    "above": "高于目标",
    "below": "低于目标",
    "no data": "无数据",
}

#: The blocks of the main-indicator tables (``analysis.compute.assessment.BLOCKS``).
BLOCKS = {
    "economy": "经济总量",
    "industry": "工业",
    "investment": "投资",
    "consumption": "消费",
    "trade": "外贸外资",
    "fiscal": "财政金融",
    "income": "居民收入",
    "projects": "项目建设",
    "promotion": "招商引资",
    "urban": "城市建设",
    "ecology": "生态",
    "livelihood": "民生",
    "other": "其他",
}

#: The overall verdict (``analysis.compute.assessment.JUDGMENT_RULES``).
JUDGMENT = {
    "advancing": "稳中有进",
    "steady": "总体平稳",
    "easing": "稳中趋缓",
    "pressure": "下行压力加大",
    "undetermined": "暂不作判断",
}

#: A target's first-half status, as the tag beside it (``assessment.target_status``).
STATUS = {
    "ahead": "快于进度",
    "on time": "与进度持平",
    "behind": "慢于进度",
    "completed": "已完成",
    "met": "达到目标",
    "not met": "未达目标",
    "above": "高于目标",
    "below": "低于目标",
    "reached": "已达到",
    "short": "未达到",
    "no achievement": "无完成数据",
    "no time line": "无时间进度",
}

#: The problems (``analysis.compute.assessment.PROBLEM_RULES``), one sentence each.
PROBLEMS = {
    "target_behind": "{name}：全年目标{target}，{so_far}完成{achieved}，占{progress}，"
    "慢于时间进度{diff}个百分点。",
    "growth_target_not_met": "{name}{growth}，低于全年增长{target}的目标{diff}个百分点。",
    "end_target_short": "{name}为{value}，距全年目标{target}还差{gap}。",
    "decline": "{name}同比{growth}。",
    "slower_than_last_year": "{name}{growth}，比上年同期（{reference}）回落{diff}个百分点。",
    "slower_than_earlier": "{name}{growth}，比{when}（{reference}）回落{diff}个百分点。",
    "below_parent": "{name}{growth}，低于{parent}（{reference}）{diff}个百分点。",
    "adverse_count": "{name}{value}。",
}

#: The rules of the judgment and the problems, as the methods section lists them.
RULES = {
    "J1": "主要指标无增速数据：不作判断",
    "J2": "主要指标增速为负：下行压力加大",
    "J3": "增速比上年同期和上一累计期（有数据者）均回落0.5个百分点以上，"
    "且低于所有有数据的上级地区：下行压力加大",
    "J4": "增速比上年同期或上一累计期回落0.5个百分点以上：稳中趋缓",
    "J5": "一半以上已评估的年度目标滞后：稳中趋缓",
    "J6": "增速比上年同期或上一累计期加快0.5个百分点以上，或高于所有有数据的上级地区；且滞后目标"
    "不多于领先目标：稳中有进",
    "J7": "其他情况：总体平稳",
    "P1": "年度目标完成进度慢于时间进度",
    "P2": "增速低于全年增长目标",
    "P3": "比率或年末水平未达到目标",
    "P4": "指标向不利方向变化（应增长的下降，应下降的增长）",
    "P5": "增速比上年同期回落0.5个百分点以上",
    "P6": "增速比本年上一累计期回落0.5个百分点以上",
    "P7": "增速低于上级地区或同组地区平均",
    "P8": "越少越好的计数大于零（如未开工的重点项目）",
    "P9": "主要指标本期既无总量也无增速",
    "P10": "年度目标上半年无完成数据",
}

_NUMERALS = "零一二三四五六七八九"


def index_count(count: int, regions: int) -> str:
    """The index's count line.

    Examples
    --------
    >>> index_count(2, 1)
    '共2份报告，1个地区'
    """
    return f"共{count}份报告，{regions}个地区"


def rank(n: int) -> str:
    """A rank as Chinese reports write it: '第一位', '第十二位'.

    Examples
    --------
    >>> rank(1), rank(10), rank(12), rank(20), rank(35), rank(120)
    ('第一位', '第十位', '第十二位', '第二十位', '第三十五位', '第120位')
    """
    n = int(n)
    if n < 1 or n > 99:
        return f"第{n}位"
    tens, ones = divmod(n, 10)
    if tens == 0:
        words = _NUMERALS[ones]
    else:
        words = ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")
    return f"第{words}位"


#: Verdicts of rechecked published figures (``analysis.compute.checks.VERDICTS``).
CHECKS = {
    "reproduced": "一致",
    "consistent": "相容(数据不全)",
    "mismatch": "不一致",
    "not recomputable": "无法复算",
}

VINTAGES = {
    "preliminary": "初步数",
    "revised": "修订数",
    "final": "最终核实数",
    "estimate": "预计数",
    "unspecified": "未注明版本",
}

#: Projection methods (``analysis.compute.projection.METHODS``).
METHODS = {
    "h1_share": "上半年占比法",
    "same_growth": "同速增长法",
    "drift": "带漂移随机游走",
    "combination": "组合法（占比法与随机游走平均）",
    "target_path": "目标路径",
    "lead": "主要方法（每年按此前年份选定）",
    "same_growth_published": "按公布增速的同速增长（对照）",
}

FORMULAS = (
    "同比增长 = (本期 / 上年同期 − 1) × 100；地区生产总值、工业增加值增速为可比价，"
    "按现价水平计算的名义增速仅作参考，不覆盖公布增速。",
    "增速变化 = 本期增速 − 上年同期增速（个百分点）。",
    "时间进度 = 已过月数 / 12；完成年度计划 = 累计完成 / 年度计划；较时间进度 = 两者之差。",
    "隐含年度计划 = 累计完成 / 完成年度计划比例；隐含总额 = 部分 / 占比。",
    "下半年需增长 = ((1 + g)(A0 + B0) − A1) / B0 − 1，A0、B0 为上年上、下半年，A1 为本年上半年。",
    "排名：1为最好，并列取相同名次，无数据的地区不参与排名并注明有数据的地区数。",
)

_AFTER = ("余", "以上", "左右", "多")
_BEFORE = ("约", "突破", "超过", "接近", "近", "逾", "超")


def level(value: float, unit: str, qualifier: str = "", decimals: float | None = None) -> str:
    """A level as Chinese reports write it: '323.3亿元', '22万余件', '突破55万人次'.

    ``decimals``: as the source wrote the level (253亿元 stays 253); without it a derived
    level, money with one decimal.

    Examples
    --------
    >>> level(323.3, "亿元"), level(22, "万件", "余"), level(55, "万人次", "突破")
    ('323.3亿元', '22万余件', '突破55万人次')
    >>> level(253, "亿元", decimals=0), level(18.12, "亿元", decimals=2), level(13.8356, "亿元")
    ('253亿元', '18.12亿元', '13.8亿元')
    """
    number = format_number(value, unit=unit, decimals=decimals)
    if qualifier == "余" and unit.startswith("万"):
        return f"{number}万余{unit[1:]}"
    if qualifier in _AFTER:
        return f"{number}{unit}{qualifier}"
    if qualifier in _BEFORE:
        return f"{qualifier}{number}{unit}"
    return f"{number}{unit}"


def target_growth(value: str, qualifier: str) -> str:
    """A growth target with its qualifier: '8.0%以上', '7.0%左右'.

    Examples
    --------
    >>> target_growth("8.0%", "以上"), target_growth("6.0%", "区间")
    ('8.0%以上', '6.0%（区间下限）')
    """
    if qualifier == "区间":
        return f"{value}（区间下限）"
    return value + (qualifier or "")
