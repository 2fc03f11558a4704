"""The reference tables: catalog, the national region registry, peer groups."""

import json

import pandas as pd
import pytest

from analysis import catalog
from analysis.config import reference_file
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


def test_the_catalog_is_read_once_per_folder_and_passed_around():
    first = catalog.load()
    assert catalog.load() is first
    assert catalog.load(reference_file("indicators.csv").parent) is first
    assert catalog.regions() is first.regions  # the module shims read the same object


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("管城区", "guancheng"),
        ("管城回族区", "guancheng"),
        ("410104", "guancheng"),
        ("航空港区", "hangkonggang"),
        ("郑州经济技术开发区", "jingkai"),
        ("Erqi", "erqi"),
        ("河南", "henan"),
        ("河南省", "henan"),
        ("410000", "henan"),
        ("全国", "china"),
        ("岳阳县", "430621"),
        ("岳阳", "430600"),  # a short name shared by a city and a county means the city
        ("湖南省岳阳县", "430621"),
        ("开封市鼓楼区", "410204"),
        ("开封鼓楼区", "410204"),
        ("镜湖区", "340202"),
        ("柳林县", "141125"),
        ("郫县", "510117"),  # renamed 郫都区 in 2016: a figure of 2015 still finds it
        ("510124", "510117"),  # and so does its old code
        ("神农架林区", "429021"),
        ("Yueyang County", "430621"),
    ],
)
def test_region_names_codes_aliases_and_former_names(name, code):
    assert catalog.region_code(name) == code


def test_a_name_several_regions_share_is_ambiguous_and_says_how_to_choose():
    with pytest.raises(
        catalog.CatalogError, match=r"ambiguous region '鼓楼区': .*开封市鼓楼区 \(410204\)"
    ):
        catalog.region_code("鼓楼区")


def test_unknown_region_points_to_the_search():
    with pytest.raises(catalog.CatalogError, match=r"unknown region '火星区'.*halfyear regions"):
        catalog.region_code("火星区")


def test_registry_counts_types_and_parent_chains():
    cat = catalog.load()
    regions = cat.regions
    county_level = regions[regions["level"].isin(["district", "county"])]
    assert len(county_level) >= 2800
    assert {"市辖区", "县", "县级市", "自治县", "旗", "自治旗", "林区", "特区"} <= set(
        county_level["type"]
    )
    assert set(regions.loc[regions["level"] == "city", "type"]) == {
        "地级市",
        "地区",
        "自治州",
        "盟",
    }
    assert len(regions[regions["level"] == "province"]) == 34
    assert cat.ancestors("430621") == ["430600", "430000", "china"]
    assert cat.ancestors("110105") == ["110000", "china"]  # a municipality's district
    assert cat.ancestors("419001") == ["henan", "china"]  # 济源: under the province directly
    meta = json.loads(reference_file("divisions.meta.json").read_text(encoding="utf-8"))
    assert meta["county_level_units"] == len(county_level)  # overrides replace, never add
    assert meta["source"]["package"] and meta["as_of"]


def test_overrides_keep_their_codes_and_zones_stay_their_own_kind():
    regions = catalog.regions()
    assert regions.loc["erqi", "adcode"] == "410103"
    assert "410103" not in regions.index  # overridden, not duplicated
    assert not regions.index.isin(["410102", "410104", "410122"]).any()
    zones = regions[regions["level"] == "zone"]
    assert set(zones.index) >= {"zhengdong", "jingkai", "gaoxin", "hangkonggang"}
    assert set(zones["parent"]) == {"zhengzhou"} and set(zones["type"]) == {"功能区"}
    # the other cities of the province hang under the overridden province
    assert regions.loc["410200", "parent"] == "henan"


def test_named_peer_groups_are_subsets_of_the_city():
    regions = catalog.regions()
    groups = catalog.peer_groups()
    named = groups[groups["rule"] == "named"]
    for code, members in named["members"].items():
        assert all(regions.loc[m, "parent"] == "zhengzhou" for m in members), code
    assert set(groups.loc["inner5", "members"]) < set(groups.loc["inner6", "members"])
    assert set(groups.loc["inner6", "members"]) - set(groups.loc["inner5", "members"]) == {
        "shangjie"
    }


def test_peer_groups_by_rule_for_regions_in_no_named_group():
    cat = catalog.load()
    groups = cat.peer_groups
    # named first
    assert cat.peer_group("erqi") == "inner5"
    # same prefecture, same type
    group = groups.loc[cat.peer_group("430621")]
    assert group["rule"] == "same_prefecture_type"
    members = cat.regions.loc[group["members"]]
    assert set(members["parent"]) == {"430600"} and set(members["type"]) <= {"县", "自治县"}
    assert "430621" in group["members"] and len(group["members"]) >= catalog.MIN_RULE_PEERS
    # a prefecture with fewer than three units of a type widens to the province
    sizes = groups[groups["rule"] == "same_prefecture_type"]["members"].map(len)
    assert sizes.min() >= catalog.MIN_RULE_PEERS or (
        groups.loc[sizes.idxmin(), "basis"].split("|")[0]
        in set(cat.regions.query("level == 'province'").index)
    )
    wide = groups[groups["rule"] == "same_province_type"]
    assert len(wide) and all(
        cat.regions.loc[b.split("|")[0], "level"] == "province" for b in wide["basis"]
    )
    # every county-level unit outside the named groups has a group
    county_level = cat.regions[cat.regions["level"].isin(["district", "county"])].index
    assert all(cat.peer_group(c) for c in county_level[::97])
    # rule groups are not named in rank notes
    assert cat.peer_group_code("岳阳市各县") is None


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


def test_a_synthetic_catalog_is_passed_in_not_patched_in():
    cat = catalog.load()
    extra = pd.DataFrame(
        [{"code": "t1", "name_zh": "测试区", "name_en": "T", "level": "district",
          "parent": "zhengzhou", "aliases": ""}]
    )  # fmt: skip
    bigger = cat.with_additions(regions=extra)
    assert bigger.region_code("测试区") == "t1"
    with pytest.raises(catalog.CatalogError):
        cat.region_code("测试区")
    with pytest.raises(catalog.CatalogError, match="already in the catalog"):
        bigger.with_additions(regions=extra)
