"""Words extraction knows, read from ``analysis/reference/extract_words.csv``.

The file has one word a line with its ``role`` and a ``detail``:

- ``compound``: a name that contains 和, 及 or 、 and still names one thing
  (批发和零售业, 蔬菜及食用菌), so that a list is not split inside it;
- ``relative_region``: 全县, 全市, 全省 ... with what they mean (``self``, ``city``,
  ``province``, ``nation``);
- ``stop_noun`` and ``ignored_noun``: what after a count means it is no indicator
  (三个方面), or is no part of its noun (突破1亿元大关);
- ``unit_guard``: a one-character unit and what may not follow it for it to be a unit
  (人 before 均 is 人均, not persons), as alternatives separated by ``|``;
- ``chrome``: a word that marks a line of page chrome (发布时间, 浏览量, 签到天数 ...);
- ``lead``: a word before an indicator that is no part of its name (其中, 特别是);
- ``basis``: a comparison basis such as 同口径, never an indicator;
- ``expand``: a word that names several indicators of a list (三次产业 is 第一产业,
  第二产业 and 第三产业; 城乡 is 城镇 and 农村), alternatives in ``detail``;
- ``measure``: a word that ends an indicator's name (产量, 增加值); the parts of a list
  share the one the last part ends with;
- ``common_place``: a two-character word that is also the name of a region (城区, 郊区)
  and is not read as one.

Examples
--------
>>> "批发和零售业" in words("compound")
True
>>> relative_regions()["全县"], unit_guards()["人"]
('self', '均|民|口|员|才')
"""

from __future__ import annotations

import csv
from functools import cache

from analysis.config import reference_file

__all__ = ["ROLES", "expansions", "relative_regions", "unit_guards", "words"]

#: The roles a word may have.
ROLES = (
    "compound",
    "relative_region",
    "stop_noun",
    "ignored_noun",
    "unit_guard",
    "chrome",
    "lead",
    "basis",
    "expand",
    "measure",
    "common_place",
)


@cache
def _rows() -> tuple[tuple[str, str, str], ...]:
    path = reference_file("extract_words.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = tuple((r["word"], r["role"], r["detail"] or "") for r in csv.DictReader(handle))
    unknown = {role for _, role, _ in rows} - set(ROLES)
    if unknown:
        raise ValueError(f"{path.name}: unknown roles {sorted(unknown)}; known: {ROLES}")
    return rows


@cache
def words(role: str) -> tuple[str, ...]:
    """The words of one role, longest first."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; known: {', '.join(ROLES)}")
    found = {w for w, r, _ in _rows() if r == role}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


@cache
def relative_regions() -> dict[str, str]:
    """全县 -> self, 全市 -> city ...: what a relative region word means."""
    return {w: d for w, r, d in _rows() if r == "relative_region"}


@cache
def unit_guards() -> dict[str, str]:
    """One-character units and the characters (alternatives) that may not follow them."""
    return {w: d for w, r, d in _rows() if r == "unit_guard"}


@cache
def expansions() -> dict[str, tuple[str, ...]]:
    """三次产业 -> (第一产业, 第二产业, 第三产业): words that name a list's indicators."""
    return {w: tuple(d.split("|")) for w, r, d in _rows() if r == "expand"}
