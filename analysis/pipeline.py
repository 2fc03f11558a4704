"""From data/raw to data/processed: read, clean, validate, reconcile.

``standardize`` turns the raw string rows of one file into typed records (one per figure)
and rejects; ``process_files`` runs every file and writes the processed table, the rejects
file and the reconciliation (rows read = rows kept + rows rejected, per file).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import catalog, cleaning, periods, reading, validation
from analysis.vintages import RELEASE_ORDER, vintage_from_note

_TRUE = {"1", "true", "yes", "是", "y", "t"}
_FALSE = {"", "0", "false", "no", "否", "n", "f"}
_NOTE_QUALIFIER = re.compile(r"(以上|左右|区间|余|突破|超过|接近|约|近)")
_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


def empty_records() -> pd.DataFrame:
    """An empty processed table with the right columns and types.

    Examples
    --------
    >>> list(empty_records().columns[:3])
    ['region', 'region_zh', 'period']
    """
    types = {
        "year": "int64", "start_month": "int64", "end_month": "int64", "release": "int64",
        "source_line": "int64", "catalogued": "bool", "is_target": "bool",
        "value": "float64", "yoy_pct": "float64", "plan_pct": "float64",
        "value_rounding": "float64", "yoy_rounding": "float64",
    }  # fmt: skip
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, "str")) for c in validation.COLUMNS})


def rounding_of(text: str, *, factor: float = 1.0) -> float:
    """Half a unit of the last digit stated in a number, times a unit factor.

    Examples
    --------
    >>> rounding_of("39.8"), rounding_of("397983"), rounding_of("39.8", factor=1e4)
    (0.05, 0.5, 500.0)
    >>> bool(np.isnan(rounding_of("")))
    True
    """
    match = _NUMBER.search(cleaning.normalize_text(text or ""))
    if not match:
        return np.nan
    decimals = len(match.group(1) or "")
    return 0.5 * 10.0 ** (-decimals) * factor


def target_qualifier(note: str) -> str:
    """The qualifier a note states for a target or an approximate figure.

    Examples
    --------
    >>> target_qualifier("target qualifier 左右 (2013 河南政府工作报告)")
    '左右'
    >>> target_qualifier("target RANGE 6.5%-7%; yoy_pct holds lower bound")
    '区间'
    >>> target_qualifier("more than (余)"), target_qualifier("preliminary")
    ('余', '')
    """
    if re.search(r"\brange\b", note or "", re.IGNORECASE):
        return "区间"
    if re.search(r"\bAPPROXIMATE\b", note or ""):
        return "左右"
    match = _NOTE_QUALIFIER.search(note or "")
    return match.group(1) if match else ""


def _relation_value(note: str) -> float:
    text = (note or "").lower()
    if "above" in text or "高于" in text:
        return 1.0
    if "below" in text or "低于" in text:
        return -1.0
    return np.nan


def _is_target(text: str) -> bool:
    key = (text or "").strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"is_target must be 1 or 0 (or empty), not {text!r}")


_ENUMERATOR = re.compile(
    r"^\s*(?:\d+[.、]|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*"
)


def _indicator(raw: pd.Series) -> tuple[str, str, bool]:
    for name in (raw.get("indicator", ""), raw.get("indicator_zh", "")):
        if not name:
            continue
        code = catalog.indicator_code(name) or catalog.indicator_code(_ENUMERATOR.sub("", name))
        if code:
            return code, catalog.indicators().loc[code, "name_zh"], True
    name = raw.get("indicator", "") or raw.get("indicator_zh", "")
    if not name:
        raise ValueError("no indicator name or code")
    return name, raw.get("indicator_zh", "") or name, False


def _value_and_unit(raw: pd.Series, kind: str, canonical: str | None):
    """Parse value and unit; convert to the catalog's unit. Returns value, unit, qual, rounding."""
    quantity = cleaning.parse_quantity(raw.get("value", ""))
    unit_text = raw.get("unit", "").strip()
    stated_unit = cleaning.parse_unit(unit_text) if unit_text else (quantity.unit or "")
    if quantity.unit and stated_unit and quantity.unit != stated_unit:
        raise ValueError(
            f"value {raw['value']!r} carries unit {quantity.unit} but the unit column says "
            f"{stated_unit}"
        )
    value = quantity.value
    if canonical is None:
        rounding = rounding_of(raw.get("value", ""))
        return value, stated_unit, quantity.qualifier or "", rounding
    if value is None or (isinstance(value, float) and np.isnan(value)):
        # growth-only rows state the unit of the growth (%), not of the level
        return np.nan, canonical, quantity.qualifier or "", np.nan
    if stated_unit == "" and kind in ("rank", "relation"):
        stated_unit = canonical
    if stated_unit == "":
        raise ValueError(f"value {raw['value']!r} has no unit; the catalog unit is {canonical}")
    try:
        converted = cleaning.convert_unit(value, from_unit=stated_unit, to_unit=canonical)
        factor = cleaning.convert_unit(1.0, from_unit=stated_unit, to_unit=canonical)
    except cleaning.CleaningError as err:
        raise ValueError(f"unit {stated_unit} contradicts the catalog: {err}") from None
    rounding = rounding_of(raw.get("value", ""), factor=factor)
    return converted, canonical, quantity.qualifier or "", rounding


def standardize_row(raw: pd.Series) -> dict:
    """One raw row (strings) to one typed record; raises ValueError with the reason.

    Examples
    --------
    >>> raw = pd.Series({"region": "erqi", "period": "2019H1", "indicator": "gdp",
    ...     "value": "323.3", "unit": "亿元", "yoy_pct": "8", "is_target": "0",
    ...     "source_file": "x.csv", "source_line": "2"})
    >>> rec = standardize_row(raw)
    >>> rec["region"], rec["period"], rec["value"], rec["yoy_pct"], rec["kind"]
    ('erqi', '2019H1', 323.3, 8.0, 'flow')
    >>> standardize_row(raw.replace({"亿元": "个"}))
    Traceback (most recent call last):
    ...
    ValueError: unit 个 contradicts the catalog: ...
    """
    raw = raw.fillna("").astype(str)
    reasons = []
    if raw.get("review", "").strip():
        reasons.append(f"flagged for review and not cleared: {raw['review'].strip()}")
    region = ""
    try:
        region = catalog.region_code(raw.get("region", "") or raw.get("region_zh", ""))
    except catalog.CatalogError as err:
        reasons.append(str(err).split("; known")[0] + " (see analysis/reference/regions.csv)")
    try:
        period = periods.parse_period(raw.get("period", ""))
    except periods.PeriodError as err:
        reasons.append(f"period: {err}")
        period = None
    indicator, indicator_zh, catalogued = _indicator(raw)
    cat = catalog.indicators().loc[indicator] if catalogued else None
    kind = cat["kind"] if catalogued else "uncatalogued"
    note = raw.get("note", "")
    value = unit = qualifier = None
    rounding = np.nan
    try:
        if kind == "relation":
            value, unit, qualifier, rounding = _relation_value(note), "sign", "", np.nan
        else:
            value, unit, qualifier, rounding = _value_and_unit(
                raw, kind, cat["unit"] if catalogued else None
            )
    except (ValueError, cleaning.CleaningError) as err:
        reasons.append(str(err))
    growth = plan = None
    yoy_rounding = np.nan
    try:
        if raw.get("yoy_pct", "").strip():
            g = cleaning.parse_growth(raw["yoy_pct"])
            if g.unit not in ("%", None):
                raise ValueError(f"yoy_pct must be a growth in %, not in {g.unit}")
            growth = g.value
            qualifier = qualifier or g.qualifier or ""
            yoy_rounding = rounding_of(raw["yoy_pct"])
    except (ValueError, cleaning.CleaningError) as err:
        reasons.append(f"yoy_pct: {err}")
    try:
        if raw.get("plan_pct", "").strip():
            plan = cleaning.parse_quantity(raw["plan_pct"]).value
    except (ValueError, cleaning.CleaningError) as err:
        reasons.append(f"plan_pct: {err}")
    try:
        is_target = _is_target(raw.get("is_target", ""))
    except ValueError as err:
        reasons.append(str(err))
        is_target = False
    group_text = raw.get("peer_group", "")
    peer_group = ""
    if group_text:
        peer_group = catalog.peer_group_code(group_text) or ""
        if not peer_group:
            known = ", ".join(catalog.peer_groups()["name_zh"])
            reasons.append(f"unknown peer group {group_text!r}; known: {known}")
    elif kind == "rank":
        peer_group = catalog.peer_group_code(note) or ""
    if reasons:
        raise ValueError("; ".join(reasons))
    vintage = vintage_from_note(note)
    return {
        "region": region,
        "region_zh": catalog.regions().loc[region, "name_zh"],
        "period": period.code,
        "year": period.year,
        "start_month": period.start_month,
        "end_month": period.end_month,
        "indicator": indicator,
        "indicator_zh": indicator_zh,
        "catalogued": catalogued,
        "kind": kind,
        "value": np.nan if value is None else float(value),
        "unit": unit or "",
        "yoy_pct": np.nan if growth is None else float(growth),
        "plan_pct": np.nan if plan is None else float(plan),
        "qualifier": qualifier or target_qualifier(note),
        "is_target": is_target,
        "peer_group": peer_group,
        "vintage": vintage,
        "release": RELEASE_ORDER[vintage],
        "value_rounding": rounding,
        "yoy_rounding": yoy_rounding,
        "stated": " ".join(
            t for t in (raw.get("value", ""), raw.get("unit", ""), raw.get("yoy_pct", "")) if t
        ),
        "value_conflict": "",
        "yoy_pct_conflict": "",
        "plan_pct_conflict": "",
        "source_file": raw.get("source_file", ""),
        "source_line": int(raw.get("source_line", "0") or 0),
        "source_column": raw.get("source_column", ""),
        "source_url": raw.get("source_url", ""),
        "note": note,
    }


def standardize(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw rows of one file to typed records and rejects (row-level parsing and schema).

    Returns
    -------
    records, rejected : DataFrame
        ``records`` has the columns of the processed table; ``rejected`` has
        ``source_file``, ``source_line`` and ``reason``. ``len(records) + len(rejected)``
        equals ``len(raw)``.

    Examples
    --------
    >>> raw = pd.DataFrame({"region": ["erqi", "nowhere"], "period": ["2019H1"] * 2,
    ...     "indicator": ["gdp"] * 2, "value": ["323.3", "1"], "unit": ["亿元"] * 2,
    ...     "source_file": ["x.csv"] * 2, "source_line": ["2", "3"]})
    >>> records, rejected = standardize(raw)
    >>> len(records), rejected["reason"].str.contains("unknown region").tolist()
    (1, [True])
    """
    records, rejected = [], []
    for _, row in raw.iterrows():
        try:
            records.append(standardize_row(row))
        except ValueError as err:
            rejected.append(
                {
                    "source_file": row.get("source_file", ""),
                    "source_line": int(row.get("source_line", 0) or 0),
                    "source_column": row.get("source_column", ""),
                    "reason": str(err),
                }
            )
    frame = pd.DataFrame(records, columns=validation.COLUMNS) if records else empty_records()
    frame = frame.astype(empty_records().dtypes.to_dict())
    valid, invalid = validation.validate(frame)
    rejects = pd.concat(
        [pd.DataFrame(rejected, columns=validation.REJECT_COLUMNS), invalid], ignore_index=True
    )
    return valid.reset_index(drop=True), rejects


@dataclass(frozen=True)
class ProcessResult:
    """What ``process_files`` produced: the table, the rejects and the reconciliation."""

    figures: pd.DataFrame
    rejects: pd.DataFrame
    reconciliation: pd.DataFrame


def _raw_fields(raw: pd.DataFrame, rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejects with the raw fields of their rows, for a person to fix."""
    if rejects.empty:
        return rejects.assign(raw="")
    key = ["source_file", "source_line", "source_column"]
    keyed = raw.assign(source_line=raw["source_line"].astype(int))
    fields = [c for c in raw.columns if c not in key]
    keyed = keyed.assign(
        raw=keyed[fields].apply(lambda r: " | ".join(f"{k}={v}" for k, v in r.items() if v), axis=1)
    )[[*key, "raw"]].drop_duplicates(key)
    return rejects.merge(keyed, on=key, how="left")


def process_files(files: list[Path]) -> ProcessResult:
    """Read, clean and validate raw files into one processed table.

    Parameters
    ----------
    files : list of Path
        Raw data files (long or wide, CSV or Excel).

    Returns
    -------
    ProcessResult
        ``figures`` (every valid record, all vintages), ``rejects`` (one row per rejected
        record with file, line, reason and the raw fields), ``reconciliation`` (per file:
        rows read, kept, rejected, encoding).

    Raises
    ------
    analysis.reading.ReadError
        A file that cannot be read at all (missing, empty, undecodable, missing column).
    """
    frames, rejects, recon = [], [], []
    for path in files:
        raw = reading.read_raw(path)
        attrs = dict(raw.attrs)
        # provenance names the file, not where this machine keeps it (reruns stay identical)
        raw = raw.assign(source_file=Path(path).name)
        meta = _meta(path)
        url = meta.get("source_url", "")
        if url.startswith("http") and "source_url" in raw:
            raw = raw.assign(source_url=raw["source_url"].mask(raw["source_url"] == "", url))
        records, rejected = standardize(raw)
        frames.append(records)
        rejects.append(_raw_fields(raw, rejected))
        recon.append(
            {
                "file": path.name,
                "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                "encoding": attrs.get("encoding", ""),
                "encoding_reason": attrs.get("encoding_reason", ""),
                "rows_read": len(raw),
                "rows_kept": len(records),
                "rows_rejected": len(rejected),
            }
        )
    figures = pd.concat(frames, ignore_index=True) if frames else empty_records()
    figures, dup_rejects = validation.mark_duplicates(figures)
    if not dup_rejects.empty:
        for row in recon:
            n = int((dup_rejects["source_file"].map(lambda f: Path(f).name) == row["file"]).sum())
            row["rows_kept"] -= n
            row["rows_rejected"] += n
        rejects.append(dup_rejects.assign(raw=""))
    rejects_frame = pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame()
    reconciliation = pd.DataFrame(recon)
    if not reconciliation.empty:
        balance = reconciliation["rows_kept"] + reconciliation["rows_rejected"]
        broken = reconciliation[balance != reconciliation["rows_read"]]
        if not broken.empty:
            raise AssertionError(f"reconciliation does not balance:\n{broken}")
    figures = figures.sort_values(["region", "period", "indicator", "release"], kind="stable")
    return ProcessResult(figures.reset_index(drop=True), rejects_frame, reconciliation)


def _meta(path: Path) -> dict:
    meta_path = path.with_name(f"{path.stem}.meta.json")
    if meta_path.exists():
        return json.loads(meta_path.read_text(encoding="utf-8"))
    return {}


def write_outputs(result: ProcessResult, *, directory: Path) -> dict[str, Path]:
    """Write the processed table (Parquet), the rejects and the reconciliation (CSV).

    Returns the paths written, by name.
    """
    directory.mkdir(parents=True, exist_ok=True)
    out = {
        "figures": directory / "figures.parquet",
        "rejects": directory / "rejects.csv",
        "reconciliation": directory / "reconciliation.csv",
        "manifest": directory / "manifest.json",
    }
    result.figures.to_parquet(out["figures"], index=False)
    result.rejects.to_csv(out["rejects"], index=False, encoding="utf-8")
    result.reconciliation.to_csv(out["reconciliation"], index=False, encoding="utf-8")
    manifest = {
        "files": result.reconciliation.to_dict(orient="records"),
        "figures": len(result.figures),
        "rejects": len(result.rejects),
    }
    out["manifest"].write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True, default=int) + "\n",
        encoding="utf-8",
    )
    return out


def format_reconciliation(reconciliation: pd.DataFrame) -> str:
    """The reconciliation as lines a person reads: one per file, then the total.

    Examples
    --------
    >>> rec = pd.DataFrame([{"file": "a.csv", "encoding": "utf-8", "encoding_reason": "valid",
    ...     "rows_read": 5, "rows_kept": 4, "rows_rejected": 1}])
    >>> print(format_reconciliation(rec))
    a.csv (utf-8): read 5 = kept 4 + rejected 1
    total: read 5 = kept 4 + rejected 1
    """
    lines = [
        f"{r.file} ({r.encoding}): read {r.rows_read} = kept {r.rows_kept} "
        f"+ rejected {r.rows_rejected}"
        for r in reconciliation.itertuples()
    ]
    total = reconciliation[["rows_read", "rows_kept", "rows_rejected"]].sum()
    lines.append(
        f"total: read {total.rows_read} = kept {total.rows_kept} + rejected {total.rows_rejected}"
    )
    return "\n".join(lines)


def load_figures(path: Path | None = None) -> pd.DataFrame:
    """Read the processed table (all vintages).

    Raises
    ------
    FileNotFoundError
        With the command that builds it, when the table does not exist yet.
    """
    from analysis.config import paths

    path = Path(path) if path else paths().processed_table
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist yet: run `make data` (halfyear clean)")
    return pd.read_parquet(path)
