"""Rules of plausibility (analysis/reference/plausibility.csv): what they catch, and that
the real figures pass them."""

import pandas as pd
import pytest

from analysis.data import plausibility
from analysis.data.pipeline import standardize


def test_every_rule_names_a_known_check_and_action():
    table = plausibility.rules()
    assert set(table["check"]) <= set(plausibility.CHECKS)
    assert set(table["action"]) == {"reject", "flag"}
    assert table["reason"].str.len().gt(20).all()


def test_the_real_figures_pass_every_rule(processed):
    by_rule = processed.rejects["reason"].str.contains("(rule ", regex=False)
    assert not by_rule.any(), processed.rejects.loc[by_rule, "reason"].tolist()
    assert (processed.figures["flag"] == "").all()


def raw(**fields):
    base = {"region": "erqi", "period": "2019H1", "indicator": "gdp", "value": "323.3",
            "unit": "亿元", "source_file": "x.csv", "source_line": "2"}  # fmt: skip
    return pd.DataFrame([{**base, **fields}])


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"value": "-1"}, "negative_flow"),
        ({"indicator": "new_schools", "value": "7.5", "unit": "所"}, "whole_count"),
        ({"value": "1" + "0" * 20}, "money_too_large"),
        ({"period": "2099H1"}, "actual_in_future"),
        ({"value": "5", "unit": "元/人"}, "per_capita_unit_on_total"),
        ({"region_zh": "金水区"}, "region_code_vs_name"),
        ({"indicator_zh": "固定资产投资"}, "indicator_code_vs_name"),
    ],
)
def test_a_rule_rejects_with_its_name_and_the_figure(fields, rule):
    kept, rejected = standardize(raw(**fields))
    assert kept.empty
    assert f"rule {rule})" in rejected.loc[0, "reason"]


def test_a_count_in_ten_thousands_is_whole_in_its_smallest_unit():
    kept, rejected = standardize(raw(indicator="new_market_entities", value="1.11", unit="万家"))
    assert len(kept) == 1 and rejected.empty


def test_per_capita_income_in_wan_yuan_is_fine():
    kept, rejected = standardize(raw(indicator="urban_income", value="4.2", unit="万元"))
    assert kept.loc[0, "value"] == pytest.approx(42000.0) and rejected.empty


def test_every_rule_has_its_words_in_every_language():
    from analysis.report import texts

    for lang in ("zh", "en"):
        words = texts.language(lang).ARG_WORDS["check"]
        assert set(plausibility.rules().index) - {"cumulative_shrinks"} <= set(words), lang


def test_a_rejected_figure_carries_its_reason_code():
    _, rejected = standardize(raw(value="-1"))
    assert rejected.loc[0, "code"].startswith("reject_implausible check=negative_flow value=")
