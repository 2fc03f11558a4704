"""Tests of analysis.compute.indicators: worked examples, slow references, properties, edges."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis.compute import indicators as ind

NAN = math.nan

# ---------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------

#: A level as published: positive, zero, negative, or missing.
levels = st.one_of(
    # statistical levels: no subnormal magnitudes (a ratio of 1e9 to 1e-308 is not a growth)
    st.floats(min_value=-1e6, max_value=1e9, allow_nan=False, allow_infinity=False).filter(
        lambda x: x == 0 or abs(x) >= 1e-6
    ),
    st.sampled_from([0.0, -0.0, NAN]),
    st.none(),
)
#: A growth rate in percent, including impossible ones below -100 and missing ones.
growths = st.one_of(
    st.floats(min_value=-200.0, max_value=500.0, allow_nan=False),
    st.sampled_from([-100.0, 0.0, NAN]),
)
positive_levels = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False)


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _same(actual: float, expected: float, *, rel: float = 1e-12, abs_: float = 1e-10) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_)


# ---------------------------------------------------------------------------------------
# Slow, obviously correct reference versions
# ---------------------------------------------------------------------------------------


def ref_yoy_growth(current, previous) -> float:
    if _is_missing(current) or _is_missing(previous) or previous <= 0:
        return NAN
    return float((Fraction(current) / Fraction(previous) - 1) * 100)


def ref_two_year_average_growth(g1, g2) -> float:
    if _is_missing(g1) or _is_missing(g2) or g1 < -100 or g2 < -100:
        return NAN
    product = (1 + Fraction(g1) / 100) * (1 + Fraction(g2) / 100)
    return (math.sqrt(product) - 1) * 100


def ref_required_h2_growth(g, a0, fy0, a1=None, g_h1=None) -> float:
    if a1 is None:
        a1 = Fraction(a0) * (1 + Fraction(g_h1) / 100)
    b0 = Fraction(fy0) - Fraction(a0)
    if b0 <= 0:
        return NAN
    g = Fraction(g) / 100
    return float((((1 + g) * (Fraction(a0) + b0) - Fraction(a1)) / b0 - 1) * 100)


def ref_rank(values, higher_is_better=True) -> list[float]:
    ranks = []
    for v in values:
        if _is_missing(v):
            ranks.append(NAN)
            continue
        better = 0
        for w in values:
            if _is_missing(w):
                continue
            if (w > v) if higher_is_better else (w < v):
                better += 1
        ranks.append(float(better + 1))
    return ranks


# ---------------------------------------------------------------------------------------
# 1. Worked examples of the domain note (二七区, first half of 2019)
# ---------------------------------------------------------------------------------------


def test_time_progress_end_of_june_is_50():
    assert ind.time_progress(6) == 50.0


def test_major_projects_253_at_51_percent_imply_plan_of_about_496():
    plan = ind.implied_total(253.0, 51.0)
    assert plan == pytest.approx(496.08, abs=0.005)
    assert round(plan) == 496
    assert round(plan, 1) == 496.1
    assert ind.plan_completion(253.0, plan) == pytest.approx(51.0)


def test_51_percent_against_time_progress_is_1_point_ahead():
    assert ind.progress_gap(51.0, ind.time_progress(6)) == pytest.approx(1.0)


def test_ecological_projects_72_9_percent_is_22_9_points_ahead():
    plan = ind.implied_total(18.12, 72.9)
    completion = ind.plan_completion(18.12, plan)
    assert completion == pytest.approx(72.9)
    assert ind.progress_gap(completion, ind.time_progress(6)) == pytest.approx(22.9)


def test_livelihood_spending_10_1_at_73_percent_implies_13_8():
    total = ind.implied_total(10.1, 73.0)
    assert total == pytest.approx(13.836, abs=5e-4)
    assert round(total, 1) == 13.8
    assert ind.share(10.1, total) == pytest.approx(73.0)


# ---------------------------------------------------------------------------------------
# 2. Against the reference versions
# ---------------------------------------------------------------------------------------


@given(st.lists(st.tuples(levels, levels), min_size=1, max_size=20))
def test_yoy_growth_matches_reference(pairs):
    current = [c for c, _ in pairs]
    previous = [p for _, p in pairs]
    expected = [ref_yoy_growth(c, p) for c, p in pairs]
    for (c, p), e in zip(pairs, expected, strict=True):
        assert _same(ind.yoy_growth(c, p), e)
    vector = ind.yoy_growth(current, previous)
    assert isinstance(vector, np.ndarray)
    assert all(_same(a, e) for a, e in zip(vector, expected, strict=True))


@given(st.lists(st.tuples(growths, growths), min_size=1, max_size=20))
def test_two_year_average_growth_matches_reference(pairs):
    expected = [ref_two_year_average_growth(a, b) for a, b in pairs]
    for (a, b), e in zip(pairs, expected, strict=True):
        assert _same(ind.two_year_average_growth(a, b), e)
    series = ind.two_year_average_growth(
        pd.Series([a for a, _ in pairs]), pd.Series([b for _, b in pairs])
    )
    assert all(_same(a, e) for a, e in zip(series, expected, strict=True))


def _h2_tolerance(g, fy0, a0, a1) -> float:
    """Float error bound: the formula divides a difference of sizeable terms by B0."""
    b0 = fy0 - a0
    scale = (abs((1 + g / 100) * fy0) + abs(a1)) / b0 if b0 > 0 else 1.0
    return 1e-9 * (1 + scale) * 100


@given(
    g=st.floats(min_value=-50, max_value=50),
    a0=positive_levels,
    fy0=positive_levels,
    a1=positive_levels,
)
def test_required_h2_growth_from_levels_matches_reference(g, a0, fy0, a1):
    expected = ref_required_h2_growth(g, a0, fy0, a1=a1)
    actual = ind.required_h2_growth(target_growth=g, h1_prev=a0, fy_prev=fy0, h1_now=a1)
    if math.isnan(expected):
        assert math.isnan(actual)
    else:
        assert actual == pytest.approx(expected, abs=_h2_tolerance(g, fy0, a0, a1))


@given(
    g=st.floats(min_value=-50, max_value=50),
    a0=positive_levels,
    fy0=positive_levels,
    g_h1=st.floats(min_value=-50, max_value=50),
)
def test_required_h2_growth_from_h1_growth_matches_reference(g, a0, fy0, g_h1):
    expected = ref_required_h2_growth(g, a0, fy0, g_h1=g_h1)
    actual = ind.required_h2_growth(target_growth=g, h1_prev=a0, fy_prev=fy0, h1_growth=g_h1)
    a1 = a0 * (1 + g_h1 / 100)
    if math.isnan(expected):
        assert math.isnan(actual)
    else:
        assert actual == pytest.approx(expected, abs=_h2_tolerance(g, fy0, a0, a1))


rank_inputs = st.lists(
    st.one_of(
        st.sampled_from([1.0, 2.0, 3.0, NAN]),  # plenty of ties
        st.floats(min_value=-100, max_value=100, allow_nan=False),
    ),
    max_size=25,
)


@given(rank_inputs, st.booleans())
def test_rank_values_matches_naive_count(values, higher_is_better):
    expected = ref_rank(values, higher_is_better)
    actual = ind.rank_values(values, higher_is_better=higher_is_better)
    assert actual.dtype == float
    assert all(_same(a, e) for a, e in zip(actual, expected, strict=True))


@given(rank_inputs, st.booleans())
def test_rank_values_keeps_series_index(values, higher_is_better):
    series = pd.Series(values, index=[f"r{i}" for i in range(len(values))], dtype=float)
    before = series.copy()
    ranks = ind.rank_values(series, higher_is_better=higher_is_better)
    assert isinstance(ranks, pd.Series)
    assert ranks.dtype == float
    assert ranks.index.equals(series.index)
    pd.testing.assert_series_equal(series, before)  # input untouched
    expected = ref_rank(values, higher_is_better)
    assert all(_same(a, e) for a, e in zip(ranks, expected, strict=True))


# ---------------------------------------------------------------------------------------
# 3. Properties
# ---------------------------------------------------------------------------------------


@given(
    g=st.floats(min_value=-30, max_value=60),
    a0=positive_levels,
    b0=positive_levels,
    a1=positive_levels,
)
def test_growing_h2_by_the_required_rate_meets_the_target(g, a0, b0, a1):
    fy0 = a0 + b0
    assume(fy0 - a0 > 0)
    b0 = fy0 - a0  # the B0 the function sees
    g_h2 = ind.required_h2_growth(target_growth=g, h1_prev=a0, fy_prev=fy0, h1_now=a1)
    full_year = a1 + b0 * (1 + g_h2 / 100)
    target = (1 + g / 100) * (a0 + b0)
    assert full_year == pytest.approx(target, rel=1e-9, abs=1e-9 * (a1 + abs(target)))


@given(rank_inputs, st.booleans())
def test_ranks_are_a_permutation_with_ties(values, higher_is_better):
    ranks = ind.rank_values(np.array(values, dtype=float), higher_is_better=higher_is_better)
    missing = np.isnan(np.array(values, dtype=float))
    assert np.array_equal(np.isnan(ranks), missing)  # a missing figure has no rank
    ranked = np.sort(ranks[~missing])
    n_ranked = ranked.size
    if n_ranked:
        assert ranked[0] == 1
        assert ranked.max() <= n_ranked
    position = 0
    while position < n_ranked:  # a tied block of size k starting at r fills r..r+k-1
        r = ranked[position]
        k = int(np.sum(ranked == r))
        assert r == position + 1
        assert np.all(ranked[position : position + k] == r)
        position += k


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=8))
def test_contributions_of_all_components_sum_to_100_and_pulls_to_growth(levels_):
    frame = pd.DataFrame(
        {
            "part": [f"c{i}" for i in range(len(levels_))],
            "prev": [float(p) for p, _ in levels_],
            "now": [float(n) for _, n in levels_],
        }
    )
    total_prev, total_now = frame["prev"].sum(), frame["now"].sum()
    assume(total_prev > 0 and total_now != total_prev)
    before = frame.copy()
    out = ind.contributions(
        frame, component="part", prev="prev", now="now", total_prev=total_prev, total_now=total_now
    )
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    spread = out["increase"].abs().sum() / abs(total_now - total_prev)
    assert out["contribution_pct"].sum() == pytest.approx(100.0, abs=1e-9 * (1 + spread))
    growth = ind.yoy_growth(total_now, total_prev)
    assert out["pull_pts"].sum() == pytest.approx(growth, rel=1e-9, abs=1e-9 * (1 + spread))


@given(rank_inputs, st.lists(st.sampled_from(["六区", "五区", None]), max_size=25))
def test_rank_within_groups_matches_ranking_each_group(values, groups):
    n = min(len(values), len(groups))
    frame = pd.DataFrame({"v": values[:n], "g": groups[:n]}, index=range(100, 100 + n))
    out = ind.rank_within_groups(frame, value="v", group="g")
    assert list(out.columns) == ["v", "g", "rank", "n_ranked", "n_members"]
    for name in ["六区", "五区"]:
        rows = out[out["g"] == name]
        expected = ref_rank(list(rows["v"]))
        assert all(_same(a, e) for a, e in zip(rows["rank"], expected, strict=True))
        assert (rows["n_members"] == len(rows)).all()
        assert (rows["n_ranked"] == rows["v"].notna().sum()).all()
    no_group = out[out["g"].isna()]
    assert no_group["rank"].isna().all()
    assert no_group["n_members"].isna().all()


# ---------------------------------------------------------------------------------------
# 4. Edge cases and arguments
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [0.0, -5.0, None, NAN, pd.NA])
def test_growth_on_zero_negative_or_missing_base_is_nan(base):
    assert math.isnan(ind.yoy_growth(110.0, base))


def test_growth_keeps_series_index_and_reads_nullable_floats():
    now = pd.Series([108.0, 50.0, None], index=["a", "b", "c"], dtype="Float64")
    prev = pd.Series([100.0, 0.0, 10.0], index=["a", "b", "c"])
    growth = ind.yoy_growth(now, prev)
    assert list(growth.index) == ["a", "b", "c"]
    assert growth["a"] == pytest.approx(8.0)
    assert growth[["b", "c"]].isna().all()


def test_series_on_different_indexes_are_refused():
    with pytest.raises(ValueError, match="share one index"):
        ind.yoy_growth(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]))


def test_other_ratios_on_bad_bases_are_nan():
    assert math.isnan(ind.plan_completion(10.0, 0.0))
    assert math.isnan(ind.plan_completion(10.0, -1.0))
    assert math.isnan(ind.implied_total(10.0, 0.0))
    assert math.isnan(ind.share(1.0, 0.0))
    assert math.isnan(ind.contribution(3.0, 0.0))
    assert math.isnan(ind.compound_annual_growth(0.0, 5.0, years=3))
    assert math.isnan(ind.compound_annual_growth(5.0, -1.0, years=3))
    assert ind.compound_annual_growth(5.0, 0.0, years=3) == -100.0


def test_contribution_with_a_falling_total_still_sums_to_100():
    rates = ind.contribution([-6.0, 2.0], -4.0)
    assert rates.sum() == pytest.approx(100.0)
    assert ind.pull(rates, -4.0).sum() == pytest.approx(-4.0)


def test_required_h2_growth_from_h1_growth_only():
    # last year 100 + 120; H1 grew 6%, so A1 = 106; the year must grow 8% to 237.6
    g_h2 = ind.required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=220.0, h1_growth=6.0)
    assert g_h2 == pytest.approx((237.6 - 106.0) / 120.0 * 100 - 100)
    same = ind.required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=220.0, h1_now=106.0)
    assert g_h2 == pytest.approx(same)


def test_required_h2_growth_uses_level_and_falls_back_to_growth_where_level_missing():
    g_h2 = ind.required_h2_growth(
        target_growth=8.0,
        h1_prev=np.array([100.0, 100.0]),
        fy_prev=220.0,
        h1_now=np.array([110.0, NAN]),
        h1_growth=6.0,
    )
    assert g_h2[0] == pytest.approx((237.6 - 110.0) / 120.0 * 100 - 100)
    assert g_h2[1] == pytest.approx((237.6 - 106.0) / 120.0 * 100 - 100)


@pytest.mark.parametrize("fy_prev", [100.0, 90.0, NAN])
def test_required_h2_growth_without_a_second_half_base_is_nan(fy_prev):
    g = ind.required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=fy_prev, h1_now=106.0)
    assert math.isnan(g)


def test_required_h2_growth_needs_h1_level_or_growth():
    with pytest.raises(ValueError, match=r"h1_now .* or h1_growth"):
        ind.required_h2_growth(target_growth=8.0, h1_prev=100.0, fy_prev=220.0)


def test_required_h2_amount():
    assert ind.required_h2_amount(level_target=496.1, completed=253.0) == pytest.approx(243.1)
    assert ind.required_h2_amount(level_target=100.0, completed=120.0) == -20.0


@pytest.mark.parametrize(
    ("achieved", "target", "qualifier", "verdict"),
    [
        (8.0, 8.0, "以上", "met"),
        (8.1, 8.0, "以上", "met"),
        (7.9, 8.0, "以上", "not met"),
        (8.0, 8.0, None, "met"),
        (7.99, 8.0, "", "not met"),
        (7.5, 8.0, "左右", "met"),  # boundaries are within "about"
        (8.5, 8.0, "左右", "met"),
        (7.6, 7.1, "左右", "met"),  # 0.5000000000000009 apart in floats
        (6.6, 7.1, "左右", "met"),
        (8.51, 8.0, "左右", "above"),
        (7.49, 8.0, "左右", "below"),
        (NAN, 8.0, "以上", "no data"),
        (8.0, None, "左右", "no data"),
    ],
)
def test_target_verdict_boundaries(achieved, target, qualifier, verdict):
    assert ind.target_verdict(achieved, target, qualifier=qualifier) == verdict


def test_target_verdict_tolerance_and_vectors():
    assert ind.target_verdict(8.9, 8.0, qualifier="左右", tolerance=1.0) == "met"
    assert ind.target_verdict(7.0, 8.0, qualifier="左右", tolerance=0.0) == "below"
    verdicts = ind.target_verdict(pd.Series([9.0, 7.0, None], index=list("xyz")), 8.0)
    assert verdicts.to_dict() == {"x": "met", "y": "not met", "z": "no data"}
    assert set(ind.VERDICTS) >= set(verdicts)


@pytest.mark.parametrize("qualifier", ["约", "区间", "above", 1])
def test_target_verdict_unknown_qualifier_lists_the_allowed(qualifier):
    with pytest.raises(ValueError, match="以上") as error:
        ind.target_verdict(8.0, 8.0, qualifier=qualifier)
    assert "左右" in str(error.value)
    assert "None" in str(error.value)


def test_growth_consistency_flags_and_reasons():
    diff, flag, reason = ind.growth_consistency(9.6, 8.0)
    assert diff == pytest.approx(1.6)
    assert flag is True
    assert reason == (
        "computed nominal growth 9.6% differs from published 8.0% by 1.6 points (> 1.0): "
        "price effect, coverage change, or a data error"
    )
    assert ind.growth_consistency(9.0, 8.0) == (1.0, False, "")  # boundary: not more than 1
    assert ind.growth_consistency(NAN, 8.0)[1:] == (
        False,
        "not comparable: computed growth missing",
    )
    assert ind.growth_consistency(8.0, None)[2] == "not comparable: published growth missing"
    assert ind.growth_consistency(None, None)[2] == (
        "not comparable: computed and published growth missing"
    )


def test_growth_consistency_message_agrees_with_its_threshold():
    _, flag, reason = ind.growth_consistency(9.04, 8.0)
    assert flag
    assert "by 1.04 points (> 1.0)" in reason


def test_growth_consistency_frame_keeps_index():
    computed = pd.Series([6.0, 8.2, None], index=["gdp", "iva", "fai"])
    table = ind.growth_consistency(computed, pd.Series([8.0, 8.0, 5.0], index=computed.index))
    assert list(table.columns) == ["difference_pts", "flag", "reason"]
    assert table.index.equals(computed.index)
    assert table["flag"].tolist() == [True, False, False]
    assert table.loc["gdp", "reason"].startswith("computed nominal growth 6.0%")


def test_two_year_average_growth_and_change():
    assert ind.two_year_average_growth(0.0, 0.0) == 0.0
    assert ind.two_year_average_growth(-100.0, 50.0) == -100.0
    assert ind.two_year_average_growth(21.0, 0.0) == pytest.approx(10.0)
    assert ind.growth_change(8.0, 8.3) == pytest.approx(-0.3)


def test_peers():
    assert ind.peer_average([8.0, None, 6.0]) == (7.0, 2)
    mean, count = ind.peer_average(pd.Series([], dtype=float))
    assert math.isnan(mean) and count == 0
    assert ind.gap_to(8.0, 7.3) == pytest.approx(0.7)
    assert math.isnan(ind.rank_values(NAN))
    assert ind.rank_values(5.0) == 1.0


@pytest.mark.parametrize("month", [0, 13, -1, 6.5])
def test_time_progress_rejects_months_outside_1_to_12(month):
    with pytest.raises(ValueError, match="1 to 12"):
        ind.time_progress(month)


def test_time_progress_vectors_keep_gaps():
    progress = ind.time_progress(pd.Series([3, None, 12]))
    assert progress[0] == 25.0 and math.isnan(progress[1]) and progress[2] == 100.0


@pytest.mark.parametrize("years", [0, -1, NAN, "3", True])
def test_compound_growth_rejects_bad_years(years):
    with pytest.raises(ValueError, match="years must be a finite number > 0"):
        ind.compound_annual_growth(100.0, 120.0, years=years)


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="threshold must be a finite number >= 0"):
        ind.growth_consistency(8.0, 8.0, threshold=-1.0)
    with pytest.raises(ValueError, match="tolerance must be a finite number >= 0"):
        ind.target_verdict(8.0, 8.0, qualifier="左右", tolerance=-0.5)
    with pytest.raises(ValueError, match="True or False"):
        ind.rank_values([1.0, 2.0], higher_is_better="desc")


def test_frame_helpers_name_missing_columns():
    frame = pd.DataFrame({"region": ["a"], "v": [1.0]})
    with pytest.raises(ValueError, match=r"group='peer_group'.*\['region', 'v'\]"):
        ind.rank_within_groups(frame, value="v", group="peer_group")
    with pytest.raises(ValueError, match="now='h1'"):
        ind.contributions(frame, component="region", prev="v", now="h1", total_prev=1, total_now=2)


def test_contributions_refuse_a_component_listed_twice():
    frame = pd.DataFrame({"c": ["二产", "二产"], "p": [1.0, 2.0], "n": [2.0, 3.0]})
    with pytest.raises(ValueError, match="二产"):
        ind.contributions(frame, component="c", prev="p", now="n", total_prev=3, total_now=5)


def test_rank_within_groups_does_not_touch_its_input():
    frame = pd.DataFrame({"v": [2.0, 1.0, None], "g": ["x", "x", "x"]})
    before = frame.copy()
    out = ind.rank_within_groups(frame, value="v", group=["g"], higher_is_better=False)
    pd.testing.assert_frame_equal(frame, before)
    assert out["rank"].tolist()[:2] == [2.0, 1.0]
    assert out["n_ranked"].tolist() == [2, 2, 2]
    assert out["n_members"].tolist() == [3, 3, 3]


@settings(max_examples=50)
@given(st.lists(levels, min_size=1, max_size=10))
def test_vector_results_equal_scalar_results(values):
    previous = list(reversed(values))
    vector = ind.plan_completion(values, previous)
    for v, p, out in zip(values, previous, vector, strict=True):
        assert _same(out, ind.plan_completion(v, p), rel=0, abs_=0)
