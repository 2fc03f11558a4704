"""Real bulletin passages with hand-made labels, and the scorer of extraction against them.

The passages in ``tests/extract_corpus/bulletins/`` are public half-year and full-year
bulletins of counties and districts (see that folder's README): ``<id>.txt`` is the text as
it was retrieved, ``<id>.labels`` its source and its figures, labelled by reading the text.

A labels file has header lines ``@key value`` (split, source, title, region, chain, period,
given, note) and then one line per row::

    indicator[|alternative ...] ; v 6.4 万头 ; g 81.8 ; g2 1.7 ; region 黄山市 ; period 2021Q1

with these measures, each a *figure*:

- ``v NUMBER UNIT``: a level, count, share or rate (``-`` for a figure without a unit);
- ``d NUMBER UNIT``: a change of a level (比上年增加 …, 比全市低 …), signed;
- ``g NUMBER``: growth year on year, % (signed; 增长N倍 is N×100);
- ``g2 NUMBER``: two-year average growth, %;
- ``m NUMBER``: growth month on month (环比), %;
- ``pp NUMBER``: a change or a gap in percentage points (signed), a pull in points;
- ``plan NUMBER``: share of the annual plan, %;
- ``rank N PEER``: a rank among a peer group;

and the options ``target`` (an annual target), ``region NAME`` and ``period CODE`` (when
not the passage's), ``note TEXT`` (ignored). The indicator is the subject the figure is
about, as written (alternatives separated by ``|``).

Scoring is by figure: within a passage, each labelled figure is paired with at most one
extracted figure of the same kind and value (levels compared in base units through the
unit registry), preferring a pair whose indicator also agrees.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

CORPUS = Path(__file__).resolve().parent / "extract_corpus" / "bulletins"
SPLITS = ("dev", "heldout", "fresh")
KINDS = ("v", "d", "g", "g2", "m", "pp", "plan", "rank")
GROUPS = {"levels": ("v", "d"), "growth": ("g", "g2", "m", "pp"), "ranks": ("rank",)}
GROUPS["plan"] = ("plan",)


@dataclass(frozen=True)
class Figure:
    """One figure: its kind, number, unit, and what it is about."""

    kind: str
    number: float
    unit: str
    names: frozenset[str]
    region: str
    period: str
    target: bool = False
    peer: str = ""


@dataclass
class Passage:
    """A labelled passage: its text, where it came from, and its figures."""

    id: str
    text: str
    meta: dict[str, str]
    figures: list[Figure] = field(default_factory=list)

    @property
    def split(self) -> str:
        return self.meta["split"]

    @property
    def given(self) -> dict[str, str]:
        """What a user passes because the text does not state it (region, period)."""
        words = self.meta.get("given", "").split()
        return {w: self.meta[w] for w in words}


class LabelError(ValueError):
    """A labels file that cannot be read."""


def _number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LabelError(f"{where}: {text!r} is not a number") from None


def parse_labels(text: str, name: str = "labels") -> tuple[dict[str, str], list[dict]]:
    """Header and rows of a labels file (rows as dicts of their measures and options)."""
    meta: dict[str, str] = {}
    rows: list[dict] = []
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{name}:{n}"
        line = line.strip()
        if not line:
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            meta[key] = value.strip()
            continue
        names, *fields = (f.strip() for f in line.split(" ; "))
        row: dict = {"names": names.split("|"), "line": n, "measures": []}
        for part in fields:
            word, _, rest = part.partition(" ")
            args = rest.split()
            if word in ("v", "d"):
                if len(args) != 2:
                    raise LabelError(f"{where}: {word} takes a number and a unit ('-' for none)")
                unit = "" if args[1] == "-" else args[1]
                row["measures"].append((word, _number(args[0], where), unit, ""))
            elif word in ("g", "g2", "m", "plan"):
                unit = {"plan": "%"}.get(word, "%")
                row["measures"].append((word, _number(rest, where), unit, ""))
            elif word == "pp":
                row["measures"].append((word, _number(rest, where), "个百分点", ""))
            elif word == "rank":
                number, _, peer = rest.partition(" ")
                row["measures"].append((word, _number(number, where), "位", peer.strip()))
            elif word in ("region", "period", "note"):
                row[word] = rest.strip()
            elif word == "target":
                row["target"] = True
            else:
                raise LabelError(f"{where}: unknown field {word!r} (known: {KINDS}, options)")
        if not row["measures"]:
            raise LabelError(f"{where}: a row without a figure")
        rows.append(row)
    for key in ("split", "source", "region", "period"):
        if key not in meta:
            raise LabelError(f"{name}: no @{key} line")
    if meta["split"] not in SPLITS:
        raise LabelError(f"{name}: split {meta['split']!r} is not one of {SPLITS}")
    return meta, rows


def load_passage(path: Path) -> Passage:
    """A passage from its labels file (and the text file of the same stem)."""
    meta, rows = parse_labels(path.read_text(encoding="utf-8"), path.name)
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    passage = Passage(path.stem, text, meta)
    for row in rows:
        for kind, number, unit, peer in row["measures"]:
            passage.figures.append(
                Figure(
                    kind=kind,
                    number=number,
                    unit=unit,
                    names=frozenset(row["names"]),
                    region=row.get("region", meta["region"]),
                    period=row.get("period", meta["period"]),
                    target=row.get("target", False),
                    peer=peer,
                )
            )
    return passage


def load(split: str | None = None) -> list[Passage]:
    """Every passage of one split (or of all), in file-name order."""
    passages = [load_passage(p) for p in sorted(CORPUS.glob("*.labels"))]
    return [p for p in passages if split is None or p.split == split]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def frozen_files(split: str) -> list[Path]:
    """The text and labels files of a split, passage by passage (as hashed when frozen)."""
    return [f for p in load(split) for f in (CORPUS / f"{p.id}.txt", CORPUS / f"{p.id}.labels")]


# ------------------------------------------------------------------------------ scoring


def normalize_name(name: str) -> str:
    """An indicator name compared loosely: width, spaces, brackets and a leading region word."""
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"\s+", "", name)
    return re.sub(r"^(?:全县|全区|全市|我县|我区|本县|本区|全年|上半年)", "", name)


def _base(number: float, unit: str) -> tuple[float, str]:
    """A level in its dimension's base unit when the unit registry knows the unit."""
    from analysis.data import cleaning

    if not unit:
        return number, ""
    try:
        dimension = cleaning.unit_dimension(unit)
        base = cleaning.known_units(dimension=dimension)[0]
        return cleaning.convert_unit(number, from_unit=unit, to_unit=base), dimension
    except cleaning.CleaningError:
        return number, unit


def same_number(a: Figure, b: Figure) -> bool:
    """Same kind and same number (levels and changes compared in base units)."""
    if a.kind != b.kind:
        return False
    if a.kind in ("v", "d"):
        (x, ux), (y, uy) = _base(a.number, a.unit), _base(b.number, b.unit)
        return ux == uy and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
    return math.isclose(a.number, b.number, rel_tol=1e-9, abs_tol=1e-9)


def same_indicator(label: Figure, found: Figure) -> bool:
    """The extracted row names the labelled subject (any alternative, or its catalog code)."""
    from analysis import catalog

    wanted = {normalize_name(n) for n in label.names}
    got = {normalize_name(n) for n in found.names}
    if wanted & got:
        return True
    codes = {catalog.indicator_code(n) for n in label.names} - {None}
    return bool(codes & found.names)


#: How an extracted row's measure column maps to the kinds of its value and growth.
_VALUE_KIND = {"level": "v", "share": "v", "change": "d", "points": "pp", "rank": "rank"}
_GROWTH_KIND = {"two_year_avg": "g2", "month_on_month": "m"}


def extracted_figures(rows: pd.DataFrame) -> list[Figure]:
    """The figures of extracted rows: a value (level, change, points, rank), a growth, a plan.

    Rows without a ``measure`` column (the extractor before it had one) are read by their
    unit: 个百分点 is a change in points, 位 a rank, a name with 增量 a change.
    """
    out = []
    for row in rows.to_dict("records"):
        names = frozenset(n for n in (row["indicator"], row["indicator_zh"], row["phrase"]) if n)
        common = {
            "names": names,
            "region": row["region_zh"],
            "period": row["period"],
            "target": row["is_target"] == "1",
            "peer": row["peer_group"],
        }
        measure = row.get("measure", "")
        if row["value"] not in ("", "nan"):
            unit = row["unit"]
            if measure:
                kind = _VALUE_KIND.get(measure, "v")
            else:
                kind = {"个百分点": "pp", "位": "rank"}.get(
                    unit, "d" if "增量" in row["indicator_zh"] else "v"
                )
            out.append(Figure(kind=kind, number=float(row["value"]), unit=unit, **common))
        if row["yoy_pct"] not in ("", "nan"):
            kind = _GROWTH_KIND.get(measure, "g")
            out.append(Figure(kind=kind, number=float(row["yoy_pct"]), unit="%", **common))
        if row["plan_pct"] not in ("", "nan"):
            out.append(Figure(kind="plan", number=float(row["plan_pct"]), unit="%", **common))
    return out


@dataclass
class Tally:
    """Correct, extracted and labelled counts."""

    hit: int = 0
    found: int = 0
    wanted: int = 0

    @property
    def precision(self) -> float:
        return self.hit / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.hit / self.wanted if self.wanted else 1.0

    def add(self, other: Tally) -> None:
        self.hit += other.hit
        self.found += other.found
        self.wanted += other.wanted


@dataclass
class Score:
    """Precision and recall per kind of figure, and how right the paired figures are."""

    kinds: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    paired: int = 0
    indicator: int = 0  # paired, and the indicator is right
    region_period: int = 0  # paired, and both region and period are right
    region: int = 0  # paired, and the region is right
    period: int = 0  # paired, and the period is right
    target: int = 0  # paired, and the target flag is right
    characters: int = 0
    seconds: float = 0.0
    mistakes: list[str] = field(default_factory=list)

    def group(self, name: str) -> Tally:
        total = Tally()
        for kind in GROUPS[name]:
            total.add(self.kinds[kind])
        return total

    @property
    def wanted(self) -> int:
        return sum(t.wanted for t in self.kinds.values())

    @property
    def attribution(self) -> float:
        """Labelled figures found with the right number and the right indicator."""
        return self.indicator / self.wanted if self.wanted else 1.0

    @property
    def region_period_right(self) -> float:
        return self.region_period / self.paired if self.paired else 1.0

    @property
    def target_right(self) -> float:
        return self.target / self.paired if self.paired else 1.0

    def summary(self) -> dict[str, float]:
        """The headline numbers, rounded to three places."""
        out = {}
        for name in ("levels", "growth", "ranks"):
            tally = self.group(name)
            out[f"{name}_precision"] = round(tally.precision, 3)
            out[f"{name}_recall"] = round(tally.recall, 3)
        out["attribution"] = round(self.attribution, 3)
        out["region_period"] = round(self.region_period_right, 3)
        out["region"] = round(self.region / self.paired if self.paired else 1.0, 3)
        out["period"] = round(self.period / self.paired if self.paired else 1.0, 3)
        out["target"] = round(self.target_right, 3)
        return out

    def table(self, title: str) -> str:
        """The scores as text: groups, then kinds, then the paired fields."""
        head = f"  {'':<8} {'precision':>9} {'recall':>7} {'hits':>5} {'found':>6} {'wanted':>6}"
        lines = [title, head]
        rows = [(g, self.group(g)) for g in GROUPS] + [(k, t) for k, t in self.kinds.items()]
        for name, t in rows:
            if t.found or t.wanted:
                lines.append(
                    f"  {name:<8} {t.precision:>9.3f} {t.recall:>7.3f} {t.hit:>5} "
                    f"{t.found:>6} {t.wanted:>6}"
                )
        lines.append(
            f"  indicator attribution {self.attribution:.3f} ({self.indicator} of "
            f"{self.wanted}); region and period right {self.region_period_right:.3f} "
            f"({self.region_period} of {self.paired} paired; region {self.region}, period "
            f"{self.period}); target flag right "
            f"{self.target_right:.3f}"
        )
        if self.seconds:
            rate = self.seconds / self.characters * 10_000
            lines.append(
                f"  {self.characters} characters in {self.seconds:.3f} s: {rate:.3f} s per 10,000"
            )
        return "\n".join(lines)


def _pair(labels: list[Figure], found: list[Figure]) -> list[tuple[int, int]]:
    """Pairs (label, found) of one number, greedily by how much else agrees."""
    scored = []
    for i, e in enumerate(labels):
        for j, x in enumerate(found):
            if same_number(e, x):
                agree = (same_indicator(e, x), e.region == x.region, e.period == x.period)
                scored.append((tuple(not a for a in agree), i, j))
    pairs, used_i, used_j = [], set(), set()
    for _, i, j in sorted(scored):
        if i not in used_i and j not in used_j:
            pairs.append((i, j))
            used_i.add(i)
            used_j.add(j)
    return pairs


def _describe(f: Figure) -> str:
    unit = f.unit if f.kind in ("v", "d") else {"pp": "pp", "rank": ""}.get(f.kind, "%")
    return f"{f.kind} {f.number:g}{unit} {'|'.join(sorted(f.names))} [{f.region} {f.period}]"


def extract_passage(passage: Passage, *, given: bool = True) -> pd.DataFrame:
    """What the extractor reads from a passage, given what a user would pass.

    An option the extractor refuses (a region it does not know) is dropped, first the
    region, and the text is read without it, as a user would then have to.
    """
    from analysis.errors import HalfyearError
    from analysis.extract import extract_text

    options = passage.given if given else {}
    while True:
        try:
            return extract_text(passage.text, **options, source=passage.meta["source"])
        except HalfyearError:
            if not options:
                raise
            options = {k: v for k, v in options.items() if k != next(iter(options))}


def score(passages: list[Passage]) -> Score:
    """Score the extractor on passages (one extraction each, timed)."""
    result = Score()
    if passages:
        extract_passage(passages[0])  # warm the caches, so that timing is of reading
    for passage in passages:
        started = time.perf_counter()
        rows = extract_passage(passage)
        result.seconds += time.perf_counter() - started
        result.characters += len(passage.text)
        found = extracted_figures(rows)
        labels = passage.figures
        pairs = _pair(labels, found)
        for kind in KINDS:
            tally = result.kinds[kind]
            tally.found += sum(f.kind == kind for f in found)
            tally.wanted += sum(f.kind == kind for f in labels)
            tally.hit += sum(labels[i].kind == kind for i, _ in pairs)
        for i, j in pairs:
            e, x = labels[i], found[j]
            result.paired += 1
            if same_indicator(e, x):
                result.indicator += 1
            else:
                result.mistakes.append(f"{passage.id} indicator: {_describe(e)} -> {_describe(x)}")
            result.region += e.region == x.region
            result.period += e.period == x.period
            if e.region == x.region and e.period == x.period:
                result.region_period += 1
            else:
                result.mistakes.append(
                    f"{passage.id} where: {_describe(e)} -> {x.region} {x.period}"
                )
            if e.target == x.target:
                result.target += 1
            else:
                result.mistakes.append(f"{passage.id} target: {_describe(e)} -> {x.target}")
        for i in sorted(set(range(len(labels))) - {i for i, _ in pairs}):
            result.mistakes.append(f"{passage.id} missed: {_describe(labels[i])}")
        for j in sorted(set(range(len(found))) - {j for _, j in pairs}):
            result.mistakes.append(f"{passage.id} spurious: {_describe(found[j])}")
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.bulletin_corpus [--split S] [--mistakes] [--json]``: print scores."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m tests.bulletin_corpus")
    parser.add_argument("--split", choices=SPLITS, action="append")
    parser.add_argument("--mistakes", action="store_true", help="list every mistake")
    parser.add_argument("--json", action="store_true", help="the summary as JSON")
    args = parser.parse_args(argv)
    for split in args.split or ["dev"]:
        passages = load(split)
        result = score(passages)
        figures = sum(len(p.figures) for p in passages)
        print(result.table(f"{split}: {len(passages)} passages, {figures} figures"))
        if args.json:
            print(json.dumps(result.summary(), ensure_ascii=False))
        if args.mistakes:
            print("\n".join(f"    {m}" for m in result.mistakes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
