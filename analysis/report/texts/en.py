"""The English edition's words: labels, sentence templates, reasons by code, number words.

Every key here has its twin in ``zh.py`` (the tests check it). Yuan are written in billions
(亿元 / 10) and counts in full (22万 = 220,000).
"""

from __future__ import annotations

from analysis.report.numbers import in_english

LANG = "en"
HTML_LANG = "en"

WORDS: dict[str, str] = {
    "title": "{region}: economic situation, {period}",
    "subtitle": "{region} · {period} · published figures up to {vintage}",
    "toc": "Contents",
    "sec_judgment": "1. Overall assessment",
    "sec_blocks": "2. Main indicators",
    "sec_targets": "3. Annual targets: first-half status",
    "sec_peers": "4. Peers and the levels above",
    "sec_problems": "5. Problems",
    "sec_outlook": "6. Outlook for the second half",
    "sec_compare": "7. Against the same period last year",
    "sec_notes": "8. Data notes",
    "sec_methods": "9. Methods and provenance",
    "col_indicator": "Indicator",
    "col_value": "This period",
    "col_growth": "Year on year",
    "col_rank": "Rank",
    "col_nominal": "Nominal growth (computed)",
    "col_check_verdict": "Verdict",
    "col_period": "Period",
    "conflict_line": "{what}, {period}: {values}",
    "conflict_what": "{name}, {measure}",
    "conflict_value": "{value} ({source})",
    "conflict_joiner": "; ",
    "conflict_many": "{n} sources differ: lowest {lowest}, highest {highest}",
    "col_published": "Published",
    "col_recomputed": "Recomputed",
    "col_detail": "Detail",
    "col_where": "File:line",
    "col_reason": "Reason",
    "none": "—",
    "no_section_data": "No data {what} for this period.",
    "what_compare": "to compare with last year",
    "what_peers": "on peers or the levels above",
    "what_trend": "series",
    "rank": "{rank} among {group}",
    "rank_no_group": "{rank}",
    "above": "above average",
    "below": "below average",
    "ahead": "{value} points ahead",
    "behind": "{value} points behind",
    "on_time": "on time",
    "list_joiner": ", ",
    "list_and": " and ",
    "list_or": " or ",
    "list_clause": " and ",
    "list_count": " and ",
    "growth_up": "up {value}%",
    "growth_down": "down {value}%",
    "growth_flat": "flat",
    "points": "{value} points",
    "chart_growth_parents": "{indicator} growth: {region} and the levels above",
    "chart_growth_years": "Growth: this period and a year earlier",
    "chart_peers": "{indicator}: {region} among {group} ({period})",
    "chart_level": "{indicator} over the years",
    "axis_growth": "Year-on-year growth (%)",
    "this_period": "This period",
    "last_year": "A year earlier",
    "peer_average": "average",
    "full_year": "Full year",
    "first_half": "First half",
    "compare_h2": "Against last year's second half: {name} {value} this period, {h2} in "
    "last year's second half.",
    "compare_missing": "{label}: {names}: {reason}",
    "year_targets": "Targets for the year",
    "peers_other_period": "No peer figures for this period; the chart shows the latest "
    "period with peer data ({period}).",
    "peers_caption": "{group}: {n}/{m} have data",
    "parents_table": "Growth against the levels above",
    "notes_gaps": "Gaps",
    "notes_conflicts": "Sources that disagree",
    "notes_checks": "Published figures rechecked",
    "notes_rejected": "Rows rejected in cleaning",
    "notes_sources": "Sources",
    "notes_source": "{file} ({n}): {where}",
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
    "prov_rows": "{encoding}, {rows} rows",
    "proj_heading": "{indicator}: full-year projection",
    "proj_chart": "{indicator}: full years and the {year} projection",
    "proj_lead": "Leading method: {method}, projecting {value} for {year} ({level}% interval "
    "{lower} to {upper}).",
    "proj_lead_no_interval": "Leading method: {method}, projecting {value} for {year} (no "
    "{level}% interval: too few past errors).",
    "proj_why": " Why: {reason}.",
    "proj_methods": "Projection by method",
    "proj_backtest": "Backtest: each past year projected from its own first half with the "
    "first releases known at the time; rules, intervals and the lead chosen from earlier years "
    "only",
    "proj_none": "{indicator}: too little history to project the full year ({detail}).",
    "proj_none_item": "{method}: {reason}",
    "proj_none_joiner": "; ",
    "proj_no_backtest": "No past year has both a first half and a full year: no backtest.",
    "proj_col_method": "Method",
    "proj_col_projected": "Full year",
    "proj_col_interval": "Interval",
    "proj_col_years": "Years",
    "proj_col_mape": "MAPE",
    "proj_col_bias": "Mean error",
    "proj_col_coverage": "{level}% interval held",
    "proj_col_vs_same": "Error ratio to same growth",
    "proj_coverage": "{covered} of {n} years",
    "proj_proxy_backtest": "This region has no past year to backtest: the table shows the "
    "errors of {proxy} for the same indicator, not this region's.",
    "proj_not_h1": "Full-year projections are given for first-half reports.",
    "proj_interval": "{lower} – {upper}",
    "peer_rule_named": "{group} (a named group: {members})",
    "peer_rule_same_prefecture_type": "{group} (by rule: {region} is in no named group, so it is "
    "compared with the units of its type in {parent})",
    "peer_rule_same_province_type": "{group} (by rule: {region}'s prefecture has fewer than three "
    "units of its type, so it is compared with those of {parent})",
    # overall assessment
    "judgment_opening": "In {period}, {region}'s ",
    "judgment_level_growth": "{name} was {value}, {growth} year on year",
    "judgment_growth_only": "{name} was {growth} year on year",
    "judgment_speed": "; growth was {comparisons}",
    "judgment_faster": "{diff} points faster than {when}",
    "judgment_slower": "{diff} points slower than {when}",
    "judgment_flat": "about the same as {when}",
    "judgment_above": "{diff} points above {parent}",
    "judgment_below": "{diff} points below {parent}",
    "judgment_equal": "level with {parent}",
    "judgment_unknown": "; there is no comparable growth for {what}",
    "judgment_end": ".",
    "judgment_targets": " Of the {total} annual targets: {counts}.",
    "judgment_count_ahead": "{n} ahead of the time line or met",
    "judgment_count_behind": "{n} behind it or not met",
    "judgment_count_on_time": "{n} on it",
    "judgment_count_unmeasured": "{n} without a figure for {so_far}",
    "judgment_verdict": " Overall, {region}'s economy is {verdict}.",
    "judgment_none": "In {period}, {region} has no growth figure for its main indicators, so "
    "no overall assessment is made.",
    "judgment_rule": "Rule {rule}: {condition}. The rules are listed under Methods.",
    "when_last_year": "a year earlier",
    "when_peers": "the peer average",
    "when_earlier_H1": "the first quarter",
    "when_earlier_Q3": "the first half",
    "when_earlier_FY": "the first three quarters",
    "when_earlier": "the previous cumulative period",
    # main indicators
    "col_change_last_year": "vs a year earlier (points)",
    "col_change_earlier": "vs {when} (points)",
    "col_plan": "Share of annual plan",
    "col_gap_time": "vs time line (points)",
    "col_position": "Rank",
    "blocks_none": "No figures for the main indicator tables this period.",
    "block_whole": "{part}: {part_value}, {share} of {whole}, which implies {whole} of about "
    "{whole_value}.",
    # targets
    "target_level": "{name}: annual target {target}; {achieved} done in {so_far}{via}, {progress} "
    "of the target, {timing}{required}.",
    "target_completed": "{name}: annual target {target}; {achieved} done in {so_far}{via}: the "
    "annual target is already met ({progress}).",
    "target_plan": "{name}: {achieved} in {so_far}, {progress} of the annual plan, {timing}; "
    "this implies an annual plan of about {target}{required}.",
    "target_growth": "{name}: annual target {target} growth; {growth} in {so_far}, {verdict}"
    "{required}.",
    "target_end_level": "{name}: target {target}; {achieved} in {so_far}{via}, {status}.",
    "target_end_gap": "{status} (short by {gap})",
    "target_via": " ({name})",
    "target_pace_more": ", {pace}% more than in {so_far}",
    "target_pace_less": ", {pace}% less than in {so_far}",
    "target_pace_same": ", about as much as in {so_far}",
    "target_unmeasured": "{n} annual targets have no figure for {so_far}, so their progress "
    "cannot be judged: {items}.",
    "target_item": "{name} ({target})",
    "target_item_growth": "{name} ({target} growth)",
    "targets_none": "No annual targets or plan shares in the data for this period.",
    "chart_target_progress": "Progress on annual targets (line: time elapsed, {progress}%)",
    "axis_target_progress": "Share of annual target (%)",
    # peers
    "peers_group": "Peer group: {rule}.",
    "peers_no_figures": " No other member of the group has a figure in the data.",
    # problems
    "problems_none": "By this report's problem rules (see Methods), nothing lags this period.",
    "problem_headline_missing": "No figure this period for {names}, so those areas cannot be "
    "judged.",
    "problem_target_unmeasured": "{n} annual targets have no figure for {so_far}, so their "
    "progress cannot be judged: {names}.",
    # outlook
    "outlook_targets": "What {rest} must deliver",
    "outlook_level": "{name}: {rest} must deliver {h2}{pace}.",
    "outlook_growth": "{name}: to reach the annual target of {target} growth, {rest} must grow "
    "{h2}.",
    "outlook_growth_down": "{name}: the annual target of {target} growth is reached even if "
    "{rest} shrinks by {h2}.",
    "outlook_growth_unknown": "{name}: annual target {target} growth; the growth {rest} needs "
    "cannot be computed ({reason}).",
    "outlook_projections": "The full year projected",
    "outlook_projection": "{name}: the {method} method projects about {projected} for the "
    "full year ({level}% range {lower} to {upper}){record}{position}.",
    "outlook_record_own": "; in the backtest, the method's {level}% range held the outcome in "
    "{covered} of {n} years",
    "outlook_record_proxy": "; this region has no past year to backtest: for {proxy}, the "
    "method's {level}% range held the outcome in {covered} of {n} years",
    "outlook_record_none": "; the method has no past year in the backtest, so the range is "
    "untested",
    "outlook_projection_no_interval": "{name}: the {method} method projects about {projected} "
    "for the full year (no range: too few past errors){position}.",
    "outlook_projection_none": "{name}: too little history to project the full year.",
    "outlook_target_above": "; the growth target means about {target}, above that range, so it "
    "will be hard to reach",
    "outlook_target_within": "; the growth target means about {target}, within that range",
    "outlook_target_below": "; the growth target means about {target}, below that range, so it "
    "is likely to be met",
    "outlook_point_above": "; the growth target means about {target}, above the projection, so "
    "it will be hard to reach",
    "outlook_point_within": "; the growth target means about {target}, about the projection",
    "outlook_point_below": "; the growth target means about {target}, below the projection, so "
    "it is likely to be met",
    "outlook_none": "No annual target remains for the second half and no full-year "
    "projection this period.",
    # record, methods
    "index_title": "Economic situation reports",
    "index_missing": "No English edition",
    "target_required": "; {rest} must deliver {h2}{pace}",
    "target_required_growth": "; {rest} must grow {value}",
    "target_required_growth_down": "; it is reached even if {rest} shrinks by {value}",
    "target_required_reason": "; {reason}",
    "so_far_Q1": "the first quarter",
    "so_far_H1": "the first half",
    "so_far_Q3": "the first three quarters",
    "so_far_FY": "the year",
    "so_far": "this period",
    "rest_Q1": "the rest of the year",
    "rest_H1": "the second half",
    "rest_Q3": "the fourth quarter",
    "rest": "the rest of the year",
    "record_headline": "{name} {value}, {growth}; {verdict}",
    "record_headline_growth": "{name} {growth}; {verdict}",
    "methods_rules": "Rules of the assessment",
    "rule_item": "{rule}: {condition}",
}

#: A reason by code (see ``analysis.reasons.CODES`` for the arguments).
REASONS: dict[str, str] = {
    "no_level": "no level for {period}",
    "no_level_of": "no level for {indicator}",
    "no_growth": "no growth for {period}",
    "no_growth_of": "no growth for {region} in {period}",
    "no_level_published": "no level published",
    "no_growth_published": "no growth published",
    "no_plan_published": "no plan share published",
    "no_growth_target": "no growth target for {period}",
    "no_level_target": "no level target for {period}",
    "no_level_target_or_plan": "no level target or plan share",
    "no_level_completed": "no level completed",
    "needs_last_year": "needs last year's levels: no {periods}",
    "mixed_vintages": "last year's levels are of different vintages ({period} release {release}, "
    "{later} release {later_release}): no second half on one basis",
    "base_not_positive": "base {period} is zero or negative",
    "last_h2_not_positive": "last year's second half is zero or negative",
    "first_half_only": "defined for a first-half period",
    "not_year_to_date": "not a year-to-date period",
    "not_computed_for_kind": "not computed for a {kind}",
    "not_ranked_kind": "not ranked: {indicator} is a {kind}",
    "no_peer_group": "{region} belongs to no peer group",
    "no_own_figure": "no {measure} for {region}",
    "no_other_peer": "no other member of {group} has a {measure} for {period}",
    "ranked_among_few": "only {n} of {m} peers have a figure",
    "no_peer_growth": "no growth for the region or its peers",
    "growth_gap": "computed nominal growth {computed}% differs from published {published}% by "
    "{gap} points (> {threshold}): price effect, coverage change, or a data error",
    "growth_gap_real": "computed nominal growth {computed}% differs from published "
    "{published}% by {gap} points (> {threshold}); published growth is real (comparable "
    "prices), so a gap is expected",
    "not_comparable": "not comparable: {missing} growth missing",
    "not_computable": "not computable",
    "no_earlier_period": "{period} has no earlier cumulative period this year",
    "conflicting_sources": "conflicting sources: {conflict}",
    "disagree": "{value} here vs {others}",
    "reject_review": "flagged for review and not cleared: {value}",
    "reject_problem": "a problem found in reading: {value}",
    "reject_region": "unknown region: {value}",
    "reject_period": "period not understood: {value}",
    "reject_indicator": "no indicator name or code",
    "reject_value": "value or unit not understood, or not the catalog's: {value} {unit}",
    "reject_growth": "growth not understood: {value}",
    "reject_plan": "share of plan not understood: {value}",
    "reject_is_target": "is_target must be 1 or 0 (or empty): {value}",
    "reject_peer_group": "unknown peer group: {value}",
    "reject_no_figure": "no figure: value, growth and share of plan are all empty",
    "reject_rank_whole": "a rank must be a whole number >= 1",
    "reject_share_range": "a share or rate must lie between 0 and 100 (%)",
    "reject_relation_sign": "an above/below figure must be +1 or -1",
    "reject_column": "{column} not allowed: {value}",
    "reject_duplicate": "duplicate of {file} line {line} (same figure, same release, same values)",
    "reject_implausible": "implausible ({check}): {value}",
    "disagree_many": "{value} here vs {n} other values from {lowest} to {highest}",
    "check_growth_real": "published growth is real (comparable prices); nominal growth from "
    "levels {computed}% differs by {gap} points (price effect)",
    "check_levels": "levels {before} -> {after}",
    "check_levels_mismatch": "levels {before} -> {after} give {result}% (rounding allows "
    "{low}..{high}); the two levels may be of different coverage or vintages",
    "check_two_year": "sqrt((1 + {first}%)(1 + {second}%)) - 1",
    "check_two_year_mismatch": "sqrt((1 + {first}%)(1 + {second}%)) - 1 = {result}%; the "
    "source likely used a revised {period} growth",
    "check_assessment_rank": "an assessment rank: the scores behind it are not published",
    "check_rank_no_base": "no {indicator} {measure} for {region}; {n} of {m} peers have one",
    "check_rank_peers": "{n} of {m} peers in {group} have a figure",
    "check_group_unstated": "group not stated; checked against {group}",
    "check_no_gdp_growth": "no GDP growth for {region} in {period}",
    "check_vs_city": "{own}% vs city {theirs}%",
    "check_plan_unpublished": "the annual plan is not published; implied plan {implied}",
    "check_whole_unpublished": "the whole ({indicator}) is not published",
    "check_whole_unknown": "the whole (unknown) is not published",
    # full-year projections
    "insufficient_history": "too little history ({n} of the {needs} years needed)",
    "levels_not_positive": "needs positive levels (logs); not positive in {years}",
    "no_deflator": "no implicit deflator for {period} (needs its level, the level a year "
    "earlier and its published growth)",
    "needs_methods": "needs {methods}, which cannot run",
    "no_method_can_run": "no method can run",
    "share_rule": "H1 share {share}%: {rule}, from {years}",
    "share_rule_kept": "last year's share kept: the best other rule ({rule}) had {ratio} times "
    "its error in {n} earlier projections ({regions})",
    "share_rule_chosen": "{rule} chosen: its error in {n} earlier projections ({regions}) was "
    "{ratio} times that of last year's share",
    "share_rule_default": "last year's share: fewer than {needs} earlier years to compare rules",
    "share_rule_only": "{rule}: the only rule the history allows",
    "shares_borrowed": "shares of {region}, the nearest level above with first halves and full "
    "years",
    "shares_named": "shares of {region}, as the analyst named",
    "nominal_growth_from_levels": "the second half grows as the first did, at current prices: "
    "{growth}% ({period} against {base}, levels)",
    "levels_aligned": "{period} and {later} both from release {release} (a later revision has "
    "no partner)",
    "real_growth_with_deflator": "no first-half level to compare: published growth {growth}% "
    "(comparable prices) plus {deflator}% for prices, the implicit deflator of {period} assumed "
    "again",
    "nominal_growth_published": "no first-half level to compare: published growth {growth}%",
    "log_drift": "random walk with drift on the logs of {n} full years ({years}): {growth}% a year",
    "gap_before": "no level for {period}: earlier years left out",
    "equal_weights": "mean of {methods}",
    "growth_target": "growth target {target}%{qualifier}",
    "h2_must_grow": "the second half must grow {growth}%",
    "h2_growth_unknown": "the second-half growth needed is not known (needs {period} and its "
    "first half on one basis)",
    "target_deflator": "carried to current prices with {deflator}%, the implicit deflator of "
    "{period}",
    "at_prices_of": "at the prices of {period} (no deflator known)",
    "not_a_forecast": "a target, not a forecast: no interval",
    "calibrated_interval": "{level}% interval from {n} past errors ({regions}): ±{half_width}%",
    "deflator_error_included": "the deflator's own error included (±{half_width}%, {n} years)",
    "too_few_errors": "no {level}% interval: {n} past errors, {needs} needed",
    "deflator_error_unknown": "no interval: the deflator's error needs {needs} years, {n} known",
    "break_in_data": "possible break in {years} in the data used",
    "not_in_catalog": "{indicator} is not in the catalog: assumed a cumulative flow",
    "no_level_for": "no level for {region} in {period}: the methods built on it cannot run",
    "census_revision": "the {census} economic census revises the first release of {period}; "
    "its first half was published before the revision",
    "break_vs_published": "possible break in {period}: level {growth}% against published growth "
    "{published}% (usual gap {gap} points): census revision or price effect?",
    "break_robust": "possible break in {period}: level {growth}% against a usual {usual}% ± "
    "{spread}: census revision?",
    "beats_same_growth": "{method} leads: its error in {n} earlier projections ({regions}) was "
    "{ratio} times that of same growth (MAPE {mape}%)",
    "same_growth_leads": "same growth leads: MAPE {mape}% in {n} earlier projections ({regions})",
    "same_growth_leads_over": "same growth leads: MAPE {mape}% in {n} earlier projections "
    "({regions}); the best other method, {method}, had {ratio} times its error",
    "lowest_mape": "{method} leads: lowest MAPE ({mape}%, {n} earlier projections, {regions}); "
    "same growth cannot run",
    "too_few_backtest_years": "{method} leads: fewer than {needs} earlier years to compare methods",
}

#: Words that arguments of reasons stand for.
ARG_WORDS: dict[str, dict[str, str]] = {
    "check": {  # the rules of analysis/reference/plausibility.csv
        "negative_flow": "negative: a level of output, spending or income is never below 0",
        "negative_count": "negative: a count cannot be below 0",
        "whole_count": "not a whole number: a count is whole in its smallest unit",
        "money_too_large": "too large to be real: more than 10^15 yuan",
        "per_capita_too_large": "too large for a per-capita figure: over 10 million yuan",
        "count_too_large": "too large to be real: a count of more than 10^10",
        "actual_in_future": "in the future: an actual figure for a year after this one",
        "target_in_future": "in the future: a target for more than a year ahead",
        "per_capita_unit_on_total": "a per-capita unit (元/人, 人均) on a total",
        "total_unit_on_per_capita": "a per-capita figure in a unit of totals (百万元 or more)",
        "region_code_vs_name": "the region code contradicts the region name in the row",
        "indicator_code_vs_name": "the indicator code contradicts the indicator name in the row",
    },
    "column": {
        "region": "region",
        "region_zh": "region name",
        "period": "period",
        "year": "year",
        "start_month": "first month",
        "end_month": "last month",
        "indicator": "indicator",
        "indicator_zh": "indicator name",
        "catalogued": "catalogued",
        "kind": "kind of indicator",
        "value": "value",
        "unit": "unit",
        "yoy_pct": "growth",
        "plan_pct": "share of plan",
        "qualifier": "qualifier",
        "is_target": "target or not",
        "peer_group": "peer group",
        "vintage": "vintage",
        "release": "release",
        "value_rounding": "rounding of the value",
        "yoy_rounding": "rounding of the growth",
        "value_decimals": "decimals",
        "stated": "text as stated",
        "value_conflict": "value conflict",
        "yoy_pct_conflict": "growth conflict",
        "plan_pct_conflict": "plan share conflict",
        "flag": "flag",
        "source_file": "source file",
        "source_line": "source line",
        "source_column": "source column",
        "source_url": "source address",
        "note": "note",
    },
    "kind": {
        "flow": "flow",
        "stock": "stock",
        "rate": "rate",
        "share": "share",
        "count": "count",
        "rank": "rank",
        "relation": "relation",
        "uncatalogued": "uncatalogued indicator",
    },
    "measure": {"growth": "growth", "level": "level"},
    "missing": {"computed": "computed", "published": "published", "both": "computed and published"},
    "rule": {
        "last": "last year's share",
        "mean3": "mean of the last three years",
        "trend": "linear trend of the last five years",
    },
    "qualifier": {
        "以上": " (at least)",
        "左右": " (about)",
        "区间": " (lower end of a range)",
        "": "",
    },
}
#: How a list argument's elements are joined, and several reasons in one cell.
LIST_JOINER = " or "
#: How years, regions and methods in a list are joined, and a run of years.
SERIES_JOINER = ", "
YEAR_DASH = "–"
REASON_JOINER = "; "

#: Growth achieved against a growth target (``analysis.compute.indicators.VERDICTS``).
VERDICTS = {
    "met": "met",
    "not met": "not met",
    "above": "above",
    "below": "below",
    "no data": "no data",
}

#: The blocks of the main-indicator tables (``analysis.compute.assessment.BLOCKS``).
BLOCKS = {
    "economy": "Economic output",
    "industry": "Industry",
    "investment": "Investment",
    "consumption": "Consumption",
    "trade": "Foreign trade and investment",
    "fiscal": "Public finance and banking",
    "income": "Household income",
    "projects": "Projects",
    "promotion": "Investment promotion",
    "urban": "Urban development",
    "ecology": "Environment",
    "livelihood": "Public services",
    "other": "Other",
}

#: The overall verdict (``analysis.compute.assessment.JUDGMENT_RULES``).
JUDGMENT = {
    "advancing": "stable and improving",
    "steady": "stable overall",
    "easing": "stable but slowing",
    "pressure": "under growing downward pressure",
    "undetermined": "not assessed",
}

#: A target's first-half status, as the tag beside it (``assessment.target_status``).
STATUS = {
    "ahead": "ahead",
    "on time": "on time",
    "behind": "behind",
    "completed": "done",
    "met": "met",
    "not met": "not met",
    "above": "above",
    "below": "below",
    "reached": "reached",
    "short": "short",
    "no achievement": "no figure",
    "no time line": "no time line",
}

#: The problems (``analysis.compute.assessment.PROBLEM_RULES``), one sentence each.
PROBLEMS = {
    "target_behind": "{name}: annual target {target}, {achieved} done in {so_far} "
    "({progress}), {diff} points behind the time line.",
    "growth_target_not_met": "{name} {growth}, {diff} points below its annual target of "
    "{target} growth.",
    "end_target_short": "{name} stands at {value}, short of its target of {target} by {gap}.",
    "decline": "{name} {growth} year on year.",
    "slower_than_last_year": "{name} {growth}, {diff} points slower than a year earlier "
    "({reference}).",
    "slower_than_earlier": "{name} {growth}, {diff} points slower than in {when} ({reference}).",
    "below_parent": "{name} {growth}, {diff} points below {parent} ({reference}).",
    "adverse_count": "{name}: {value}.",
}

#: The rules of the judgment and the problems, as the methods section lists them.
RULES = {
    "J1": "no growth figure for the main indicators: no verdict",
    "J2": "main indicator's growth below zero: under growing downward pressure",
    "J3": "growth 0.5 points or more slower than a year earlier and than the previous "
    "cumulative period (where known), and below every level above with a figure: under "
    "growing downward pressure",
    "J4": "growth 0.5 points or more slower than a year earlier or than the previous "
    "cumulative period: stable but slowing",
    "J5": "more than half of the assessed annual targets behind: stable but slowing",
    "J6": "growth 0.5 points or more faster than a year earlier or the previous cumulative "
    "period, or above every level above with a figure; and no more targets behind than "
    "ahead: stable and improving",
    "J7": "otherwise: stable overall",
    "P1": "an annual target behind the time line",
    "P2": "growth below its annual growth target",
    "P3": "a rate or year-end level short of its target",
    "P4": "an indicator moving the wrong way (falling where it should rise, or the reverse)",
    "P5": "growth 0.5 points or more slower than a year earlier",
    "P6": "growth 0.5 points or more slower than the previous cumulative period",
    "P7": "growth below a level above or the peer average",
    "P8": "a count where fewer is better above zero (key projects not started)",
    "P9": "a main indicator with neither level nor growth this period",
    "P10": "an annual target with no first-half figure",
}


def index_count(count: int, regions: int) -> str:
    """The index's count line.

    Examples
    --------
    >>> index_count(2, 1), index_count(1, 3)
    ('2 reports, 1 region', '1 report, 3 regions')
    """
    reports = "report" if count == 1 else "reports"
    return f"{count} {reports}, {regions} region{'' if regions == 1 else 's'}"


def rank(n: int) -> str:
    """A rank in English: '1st', '2nd', '12th', '23rd'.

    Examples
    --------
    >>> rank(1), rank(2), rank(3), rank(11), rank(12), rank(23)
    ('1st', '2nd', '3rd', '11th', '12th', '23rd')
    """
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


#: Verdicts of rechecked published figures (``analysis.compute.checks.VERDICTS``).
CHECKS = {
    "reproduced": "reproduced",
    "consistent": "consistent (partial data)",
    "mismatch": "mismatch",
    "not recomputable": "not recomputable",
}

VINTAGES = {
    "preliminary": "preliminary",
    "revised": "revised",
    "final": "final",
    "estimate": "estimate",
    "unspecified": "release not stated",
}

#: Projection methods (``analysis.compute.projection.METHODS``).
METHODS = {
    "h1_share": "H1 share",
    "same_growth": "same growth",
    "drift": "random walk with drift",
    "combination": "combination (H1 share and drift)",
    "target_path": "target path",
    "lead": "lead method (chosen each year from earlier years)",
    "same_growth_published": "same growth at the published rate (benchmark)",
}

FORMULAS = (
    "Year-on-year growth = (this period / same period last year − 1) × 100; GDP and "
    "industrial value added growth are real (comparable prices); nominal growth computed "
    "from current-price levels is shown beside it, never over it.",
    "Change in growth = growth now − growth a year ago (percentage points).",
    "Time elapsed = months / 12; plan share = completed / annual plan; the gap between "
    "them is ahead (+) or behind (−) time.",
    "Implied annual plan = completed / plan share; implied whole = part / share.",
    "Required second-half growth = ((1 + g)(A0 + B0) − A1) / B0 − 1 with last year's "
    "halves A0, B0 and this year's first half A1.",
    "Ranks: 1 is best, ties share a rank, regions without a figure are not ranked and the "
    "count of regions with a figure is stated.",
)

_QUALIFIERS = {
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


def level(value: float, unit: str, qualifier: str = "", decimals: float | None = None) -> str:
    """A level for the English edition: the same quantity in English magnitudes.

    Money in yuan with m, bn or tn, ten-thousands written out, no digit of the Chinese
    edition lost (``decimals``: as the source wrote the level; see
    :func:`analysis.report.numbers.in_english`).

    Examples
    --------
    >>> level(323.3, "亿元"), level(80.05, "亿元", decimals=2), level(22, "万件", "余")
    ('32.33 bn yuan', '8.005 bn yuan', 'over 220,000')
    >>> level(5688, "套"), level(73, "%"), level(1.5, "个百分点")
    ('5,688', '73%', '1.5 points')
    """
    prefix = _QUALIFIERS.get(qualifier, "")
    number, word = in_english(value, unit, decimals=decimals)
    if word in ("%", "‰"):
        return f"{prefix}{number}{word}"
    return f"{prefix}{number}" + (f" {word}" if word else "")


def target_growth(value: str, qualifier: str) -> str:
    """A growth target with its qualifier: 'at least 8.0%', 'about 7.0%'.

    Examples
    --------
    >>> target_growth("8.0%", "以上"), target_growth("6.0%", "区间"), target_growth("7.0%", "")
    ('at least 8.0%', '6.0% (lower end of a range)', '7.0%')
    """
    if qualifier == "区间":
        return f"{value} (lower end of a range)"
    return _QUALIFIERS.get(qualifier, "") + value
