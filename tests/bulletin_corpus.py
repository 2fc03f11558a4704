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
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

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
