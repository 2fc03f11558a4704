"""The reference tables: catalog, regions, peer groups."""

import pytest

from analysis import catalog
from analysis.data import cleaning


def test_every_catalog_unit_is_a_known_unit():
    for code, unit in catalog.indicators()["unit"].items():
        assert cleaning.parse_unit(unit) == unit, code


def test_catalog_columns_and_kinds():
    cat = catalog.indicators()
    assert {
        "code",
        "name_zh",
        "name_en",
        "unit",
        "kind",
        "comparable_prices",
        "higher_is_better",
    } <= set(cat.columns)
    assert set(cat["kind"]) <= set(catalog.KINDS)
    assert (
        cat.loc["gdp", "comparable_prices"]
        and cat.loc["industrial_value_added", "comparable_prices"]
    )
    assert not cat.loc["urban_income", "comparable_prices"]
    # a rank is better when lower
    assert not cat.loc["gdp_growth_rank", "higher_is_better"]


def test_every_indicator_in_the_raw_data_is_catalogued(processed):
    assert processed.figures["catalogued"].all(), sorted(
        set(processed.figures.loc[~processed.figures["catalogued"], "indicator"])
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("管城区", "guancheng"),
        ("管城回族区", "guancheng"),
        ("航空港区", "hangkonggang"),
        ("郑州经济技术开发区", "jingkai"),
        ("Erqi", "erqi"),
        ("河南", "henan"),
        ("全国", "china"),
    ],
)
def test_region_aliases(name, code):
    assert catalog.region_code(name) == code


def test_unknown_region_lists_the_known_ones():
    with pytest.raises(catalog.CatalogError, match=r"unknown region '火星区'.*erqi \(二七区\)"):
        catalog.region_code("火星区")


def test_peer_groups_are_subsets_of_the_city():
    regions = catalog.regions()
    for code, members in catalog.peer_groups()["members"].items():
        assert all(regions.loc[m, "parent"] == "zhengzhou" for m in members), code
    groups = catalog.peer_groups()
    assert set(groups.loc["inner5", "members"]) < set(groups.loc["inner6", "members"])
    assert set(groups.loc["inner6", "members"]) - set(groups.loc["inner5", "members"]) == {
        "shangjie"
    }


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("市内五区", "inner5"),
        ("市内六区", "inner6"),
        ("among 六县(市)", "counties6"),
        ("4th of 16 县(市)区; also 3rd of 六县(市)", "all16"),
        ("comparison group not stated", None),
    ],
)
def test_peer_group_from_text(text, code):
    assert catalog.peer_group_code(text) == code
