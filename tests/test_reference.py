"""The library's column-wise code equals the obvious row-by-row code of ``tests/reference.py``.

On the real data and on a synthetic panel: the indicator table, vintage selection, cleaning
and duplicate marking.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analysis.compute import indicator_table
from analysis.config import paths
from analysis.data import pipeline, reading, validation, vintages
from tests import reference


@pytest.fixture(scope="module")
def raw_frames() -> list[pd.DataFrame]:
    return [
        reading.read_raw(path).assign(source_file=path.name)
        for path in reading.list_raw_files(paths().raw)
    ]


def _same(fast: tuple, slow: tuple) -> None:
    for a, b in zip(fast, slow, strict=True):
        assert_frame_equal(a, b, check_exact=True)


def test_standardize_equals_the_row_by_row_path_on_the_real_files(raw_frames):
    for raw in raw_frames:
        _same(pipeline.standardize(raw), reference.standardize_by_row(raw))


ODD_CELLS = {
    "region": ["erqi", "二七区", "nowhere", "", "管城"],
    "period": ["2019H1", "2019年上半年", "2019H3", "", "上半年", "２０１９H1"],
    "indicator": [
        "gdp",
        "",
        "1.地区生产总值",
        "某项新指标",
        "gdp_growth_rank",
        "gdp_growth_vs_city_avg",
    ],
    "value": [
        "323.3",
        "",
        "约1.1",
        "１２３.４",
        "12..3",
        "-0.0",
        "22万余件",
        "8%以上",
        "1,234.5",
        " 7 ",
        "1.36万亿元",
        "三",
    ],
    "unit": ["亿元", "", "万元", "%", "个", "吨", "位", " 亿元 "],
    "yoy_pct": ["", "8", "-0.0", "增长8%", "下降3%", "回落0.5个百分点", "abc", " ", "5亿元"],
    "plan_pct": ["", "51", "51%", "x"],
    "is_target": ["", "0", "1", "是", "maybe"],
    "peer_group": ["", "市内五区", "nowhere group"],
    "note": [
        "",
        "preliminary 初步核算",
        "revised 最终核实",
        "above the city average",
        "1st among 市内五区",
        "target qualifier 左右",
    ],
    "review": ["", "check this"],
    "source_line": ["2", "", "x", "4.0"],
}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_standardize_equals_the_row_by_row_path_on_odd_rows(raw_frames, data):
    raw = pd.concat(raw_frames, ignore_index=True)
    rows = data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=12))
    sample = raw.iloc[rows].reset_index(drop=True).astype(object)
    for column, cells in ODD_CELLS.items():
        changed = data.draw(
            st.lists(st.sampled_from(cells), min_size=len(sample), max_size=len(sample))
        )
        keep = data.draw(st.lists(st.booleans(), min_size=len(sample), max_size=len(sample)))
        sample[column] = [
            old if k else new for old, new, k in zip(sample[column], changed, keep, strict=True)
        ]
    sample = sample.astype("str")
    fast = pipeline.standardize(sample)
    _same(fast, reference.standardize_by_row(sample))
    # a line number that is not a whole number is a rejected row with its reason, not a crash
    records, rejected = fast
    odd = sample["source_line"].str.strip().map(lambda t: bool(t) and not t.isdigit())
    assert len(records) + len(rejected) == len(sample)
    assert rejected["reason"].str.contains("source_line must be a whole number").sum() == odd.sum()


def test_select_vintage_equals_the_figure_by_figure_rule(processed):
    figures = processed.figures
    rng = np.random.default_rng(0)
    frames = [figures]
    for seed in range(2):
        shuffled = figures.sample(frac=0.4, random_state=seed)
        shuffled = shuffled.assign(
            release=rng.integers(0, 3, len(shuffled)),
            value_rounding=np.where(rng.random(len(shuffled)) < 0.3, np.nan, 0.05),
        )
        shuffled.loc[shuffled.sample(frac=0.1, random_state=seed).index, "value_conflict"] = "x"
        frames.append(shuffled)
    for frame in frames:
        for which in ("latest", "first"):
            assert_frame_equal(
                vintages.select_vintage(frame, which=which),
                reference.select_vintage_by_row(frame, which),
                check_exact=True,
            )


def test_mark_duplicates_equals_the_group_by_group_rule(processed):
    rng = np.random.default_rng(1)
    for seed in range(6):
        frame = processed.figures.sample(n=300, replace=True, random_state=seed)
        frame = frame.reset_index(drop=True)
        frame.loc[rng.random(len(frame)) < 0.2, "value"] = -0.0
        frame.loc[rng.random(len(frame)) < 0.2, "value"] = 0.0
        frame.loc[rng.random(len(frame)) < 0.2, "yoy_pct"] = np.nan
        frame["release"] = rng.integers(0, 2, len(frame))
        _same(validation.mark_duplicates(frame), reference.mark_duplicates_by_group(frame))


def test_many_conflicting_rows_are_summarised_as_the_group_by_group_rule(processed):
    rng = np.random.default_rng(3)
    gdp = processed.figures[processed.figures["indicator"] == "gdp"].iloc[:1]
    frame = pd.concat([gdp] * 40, ignore_index=True)
    frame["value"] = rng.choice([300.0, 300.04, 300.5, 301.0, 290.0, 310.0], len(frame))
    frame["value_rounding"] = rng.choice([0.05, 0.5, 5.0], len(frame))
    frame["yoy_pct"] = rng.choice([8.0, 8.1, np.nan], len(frame))
    frame["source_line"] = range(2, len(frame) + 2)
    mine, theirs = validation.mark_duplicates(frame), reference.mark_duplicates_by_group(frame)
    _same(mine, theirs)
    assert mine[0]["value_conflict"].str.startswith("disagree_many").any()


def test_indicator_table_equals_the_figure_by_figure_table_of_each_region(processed):
    figures = processed.figures
    actual = figures[~figures["is_target"]]
    for period in sorted(set(actual["period"])):
        panel = indicator_table.indicator_table(figures, region=None, period=period)
        regions = sorted(set(actual.loc[actual["period"] == period, "region"]))
        assert list(dict.fromkeys(panel["region"])) == regions
        for region in regions:
            table = reference.indicator_table_by_row(figures, region=region, period=period)
            mine = panel[panel["region"] == region].reset_index(drop=True)
            assert_frame_equal(mine, table, check_exact=True, obj=f"{region} {period}")
            alone = indicator_table.indicator_table(figures, region=region, period=period)
            assert_frame_equal(alone, table, check_exact=True, obj=f"{region} {period} alone")
    first = indicator_table.indicator_table(
        figures, period="2019H1", which="first", region=["henan", "erqi"]
    )
    expected = pd.concat(
        [
            reference.indicator_table_by_row(figures, region=r, period="2019H1", which="first")
            for r in ("henan", "erqi")
        ],
        ignore_index=True,
    )
    assert_frame_equal(first, expected, check_exact=True)
    wider = indicator_table.indicator_table(
        figures, region="erqi", period="2019H1", peer_group="inner6"
    )
    assert_frame_equal(
        wider,
        reference.indicator_table_by_row(
            figures, region="erqi", period="2019H1", peer_group="inner6"
        ),
        check_exact=True,
    )
    with pytest.raises(indicator_table.TableError, match="no figures for erqi in 2018H1"):
        indicator_table.indicator_table(figures, period="2018H1", region=["erqi"])


def test_the_fast_paths_equal_the_slow_ones_on_a_synthetic_panel():
    from analysis import catalog
    from benchmarks.synthetic import synthetic_catalog, synthetic_panel

    raw, regions, groups = synthetic_panel(n_regions=30, years=2, indicators=5, seed=7)
    cat = synthetic_catalog(regions, groups)
    _same(pipeline.standardize(raw, catalog=cat), reference.standardize_by_row(raw, catalog=cat))
    records, _ = pipeline.standardize(raw, catalog=cat)
    _same(validation.mark_duplicates(records), reference.mark_duplicates_by_group(records))
    figures, _ = validation.mark_duplicates(records)
    assert_frame_equal(
        vintages.select_vintage(figures),
        reference.select_vintage_by_row(figures, "latest"),
        check_exact=True,
    )
    for period in ("2011H1", "2011FY"):
        panel = indicator_table.indicator_table(figures, region=None, period=period, catalog=cat)
        for region in regions.index[::7]:
            table = reference.indicator_table_by_row(
                figures, region=region, period=period, catalog=cat
            )
            mine = panel[panel["region"] == region].reset_index(drop=True)
            assert_frame_equal(mine, table, check_exact=True)
    assert "syn0001" not in catalog.load().regions.index  # the shipped catalog is untouched
    with pytest.raises(ValueError, match="unknown region 'syn0000'"):
        pipeline.standardize_row(raw.iloc[0])  # without the synthetic catalog
