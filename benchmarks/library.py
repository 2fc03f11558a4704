"""Time the library alone on a SYNTHETIC panel: cleaning, then the indicator table.

Run by ``benchmarks.bench`` in a process of its own (so that its peak memory is its own);
prints one JSON object. Every region of the panel is made up (``benchmarks.synthetic``):
nothing here reads or writes the project's data or reports.

Stages timed:

- ``generate``: building the synthetic raw frame (not part of the target);
- ``clean``: ``pipeline.standardize`` (parsing, units, periods, schema validation) and
  ``validation.mark_duplicates``, as ``pipeline.process_files`` runs them;
- ``table``: ``indicator_table.indicator_table`` for every region, latest first half;
- ``read_csv`` (informational): the same panel written as a long CSV and read back by
  ``reading.read_raw``;
- ``before_*`` (informational): the row-by-row reference code of ``tests/reference.py`` on
  a sample, scaled to the panel.

Examples
--------
>>> timings = run(n_regions=12, years=2, indicators=3, read_csv=False, before=False)
>>> sorted(timings)[:4]
['clean', 'figures', 'generate', 'period']
>>> timings["table_rows"] > 0
True
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import synthetic_catalog, synthetic_panel


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def run(
    *,
    n_regions: int = 3000,
    years: int = 15,
    indicators: int = 10,
    read_csv: bool = True,
    csv_rows: int = 1_000_000,
    before: bool = True,
) -> dict:
    """Time each stage on a synthetic panel of this size; seconds (and sizes) by stage.

    Parameters
    ----------
    n_regions, years, indicators : int
        Size of the synthetic panel.
    read_csv : bool, default True
        Also time reading the panel, as a long CSV file of ``csv_rows`` rows (its rows
        repeated or cut to that number), with ``reading.read_raw``.
    csv_rows : int, default 1,000,000
    before : bool, default True
        Also time the row-by-row code on a sample and scale it to the panel.
    """
    from analysis.compute import indicator_table
    from analysis.data import pipeline, validation
    from tests import reference

    (raw, regions, groups), generate = _timed(
        synthetic_panel, n_regions=n_regions, years=years, indicators=indicators
    )
    out = {"generate": generate, "raw_rows": len(raw), "regions": len(regions)}
    latest_h1 = sorted(p for p in set(raw["period"]) if p.endswith("H1"))[-1]
    cat = synthetic_catalog(regions, groups)
    started = time.perf_counter()
    records, rejects = pipeline.standardize(raw, catalog=cat)
    figures, duplicates = validation.mark_duplicates(records)
    out["clean"] = time.perf_counter() - started
    out["figures"] = len(figures)
    out["rejects"] = len(rejects) + len(duplicates)
    panel, out["table"] = _timed(
        indicator_table.indicator_table, figures, region=None, period=latest_h1, catalog=cat
    )
    out["table_rows"] = len(panel)
    out["table_regions"] = int(panel["region"].nunique())
    out["period"] = latest_h1
    if before:
        sample = raw.iloc[: min(len(raw), 3000)]
        _, seconds = _timed(reference.standardize_by_row, sample, catalog=cat)
        out["before_clean"] = seconds * len(raw) / len(sample)
        few = sorted(set(figures["region"]))[:3]
        subset = figures[figures["region"].isin(few)]
        _, seconds = _timed(reference.select_vintage_by_row, subset, "latest")
        out["before_select_vintage"] = seconds * len(figures) / len(subset)
        _, seconds = _timed(
            lambda: [
                reference.indicator_table_by_row(figures, region=r, period=latest_h1, catalog=cat)
                for r in few
            ]
        )
        out["before_table"] = seconds * out["table_regions"] / len(few)
    if read_csv:
        out.update(_read_csv_timings(raw, rows=csv_rows, before=before))
    return out


def _read_csv_timings(raw, *, rows: int, before: bool) -> dict:
    """Time ``reading.read_raw`` on the panel written as a long CSV of ``rows`` rows."""
    import pandas as pd

    from analysis.data import reading

    columns = ["region", "period", "indicator", "value", "unit", "yoy_pct", "plan_pct"]
    columns += ["is_target", "note"]
    long = raw[columns].rename(columns={"region": "region_code"})
    long = pd.concat([long] * (rows // len(long) + 1), ignore_index=True).iloc[:rows]
    out = {"read_csv_rows": rows}
    with tempfile.TemporaryDirectory(prefix="hy-synthetic-") as folder:
        path = Path(folder) / "SYNTHETIC_panel.csv"
        long.to_csv(path, index=False)
        read, out["read_csv"] = _timed(reading.read_raw, path)
        # the line numbers are kept: row i of the file is on line i + 2
        if len(read) != rows or read["source_line"].iloc[-1] != str(rows + 1):
            raise RuntimeError("read_raw lost rows or line numbers of the synthetic CSV")
        if before:  # the row-by-row reader (now only for files the columnar one refuses)
            sample = Path(folder) / "SYNTHETIC_sample.csv"
            long.iloc[: min(rows, 100_000)].to_csv(sample, index=False)
            text, encoding = reading._decoded(sample)
            _, seconds = _timed(
                reading._long_frame, reading._csv_records(text), file="x", encoding=encoding
            )
            out["before_read_csv"] = seconds * rows / min(rows, 100_000)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.library``: print the timings as one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--no-read-csv", action="store_true")
    parser.add_argument("--no-before", action="store_true")
    args = parser.parse_args(argv)
    timings = run(
        n_regions=args.regions,
        years=args.years,
        indicators=args.indicators,
        read_csv=not args.no_read_csv,
        before=not args.no_before,
    )
    json.dump(timings, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
