"""Regions named in bulletin prose, resolved through the catalog's region registry.

Every region of the catalog (``catalog.load().regions``: its name and aliases, its level
and its parent) can be named in a text. :class:`RegionIndex` finds those names in a text
(longest first), tells apart regions that share a name by the other regions the text
names (鼓楼区 after 福州市 is Fuzhou's), and answers what 全县, 全市 and 全省 mean for the
region a text is about (:meth:`RegionIndex.relative`).

:func:`index` is the one place that builds the index from a catalog; everything in
extraction that needs a region goes through it.

Examples
--------
>>> idx = index()
>>> idx.document_region("二七区2019年上半年经济运行情况。全区地区生产总值增长8%。")
'erqi'
>>> idx.relative("erqi", "city"), idx.relative("erqi", "province"), idx.name("erqi")
('zhengzhou', 'henan', '二七区')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis import catalog as catalog_module
from analysis.extract import words

__all__ = ["COUNTY_LEVELS", "RegionIndex", "index"]

#: Levels of the county-level units (and the functional zones the data uses).
COUNTY_LEVELS = ("district", "county", "zone")
_SUFFIXES = "区县市省旗州盟"


@dataclass
class RegionIndex:
    """Region names of a catalog, their codes, levels and parents."""

    names: dict[str, list[str]]
    level: dict[str, str]
    parent: dict[str, str]
    display: dict[str, str]
    pattern: re.Pattern | None = field(default=None, repr=False)

    @classmethod
    def from_catalog(cls, cat: catalog_module.Catalog) -> RegionIndex:
        regions = cat.regions
        common = set(words.words("common_place"))
        codes = [str(c) for c in regions.index]
        level = dict(zip(codes, regions["level"].astype(str).tolist(), strict=True))
        parent = dict(zip(codes, regions["parent"].fillna("").astype(str).tolist(), strict=True))
        display = dict(zip(codes, regions["name_zh"].astype(str).tolist(), strict=True))
        aliases = (
            regions["aliases"].fillna("").astype(str).tolist()
            if "aliases" in regions
            else [""] * len(codes)
        )
        names: dict[str, list[str]] = {}
        for code, name_zh, alias_text in zip(codes, display.values(), aliases, strict=True):
            for name in (name_zh, *(a for a in alias_text.split("|") if a)):
                if name == "全国" or (
                    len(name) >= 2 and name[-1] in _SUFFIXES and name not in common
                ):
                    found = names.setdefault(name, [])
                    if code not in found:
                        found.append(code)
        ordered = sorted(names, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(n) for n in ordered)) if ordered else None
        return cls(names, level, parent, display, pattern)

    def name(self, code: str) -> str:
        """The region's name (empty for no region)."""
        return self.display.get(code, "")

    def ancestors(self, code: str) -> list[str]:
        """The codes above a region, nearest first."""
        chain, seen = [], {code}
        up = self.parent.get(code, "")
        while up and up not in seen and up in self.level:
            chain.append(up)
            seen.add(up)
            up = self.parent.get(up, "")
        return chain

    def found(self, text: str) -> list[tuple[int, int, list[str]]]:
        """Region names in a text: (start, end, candidate codes), in order."""
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.names[m.group()]) for m in self.pattern.finditer(text)]

    def resolve(self, candidates: list[str], context: set[str]) -> str:
        """One code of several sharing a name: the one under a region the text names."""
        if len(candidates) == 1:
            return candidates[0]
        within = [c for c in candidates if context & set(self.ancestors(c))]
        return within[0] if len(within) == 1 else ""

    def regions_in(self, text: str) -> list[tuple[int, int, str]]:
        """Regions named in a text, resolved: (start, end, code); ambiguous ones left out."""
        hits = self.found(text)
        unique = {c[0] for _, _, c in hits if len(c) == 1}
        out = []
        for start, end, candidates in hits:
            if code := self.resolve(candidates, unique):
                out.append((start, end, code))
        return out

    def document_region(self, text: str) -> str:
        """The region a text is about: the first county-level unit its head names, else the
        first region it names (its headline and first sentences, 2,000 characters)."""
        found = [
            code
            for start, _, code in self.regions_in(text[:2000])
            if self.level.get(code) != "nation" or start < 30  # 全国领先 in passing
        ]
        local = [c for c in found if self.level.get(c) in COUNTY_LEVELS]
        return (local or found or [""])[0]

    def relative(self, code: str, what: str) -> str:
        """What 全县 (``self``), 全市 (``city``), 全省 (``province``), 全国 (``nation``)
        mean in a text about region ``code``; a county-level city is its own 全市."""
        if what == "nation":
            return next((c for c, lv in self.level.items() if lv == "nation"), "")
        if not code:
            return ""
        if what == "self":
            return code
        if what == "city":
            if self.level.get(code) in COUNTY_LEVELS and self.display[code].endswith("市"):
                return code
            for up in [code, *self.ancestors(code)]:
                if self.level.get(up) == "city":
                    return up
            # a district of a municipality (重庆市巴南区): the municipality is its city
            return next((u for u in self.ancestors(code) if self.level.get(u) == "province"), "")
        if what == "province":
            chain = [code, *self.ancestors(code)]
            return next((u for u in chain if self.level.get(u) == "province"), "")
        raise ValueError(f"unknown relative region {what!r}: self, city, province or nation")


_INDEXES: dict[int, tuple[catalog_module.Catalog, RegionIndex]] = {}


def index(cat: catalog_module.Catalog | None = None) -> RegionIndex:
    """The region index of a catalog (the shipped one by default), built once per catalog."""
    cat = cat if cat is not None else catalog_module.load()
    key = id(cat)
    if key not in _INDEXES or _INDEXES[key][0] is not cat:
        _INDEXES[key] = (cat, RegionIndex.from_catalog(cat))
    return _INDEXES[key][1]
