"""``halfyear batch``: the command line of a batch (also ``python -m analysis.batch``)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from analysis.batch.cache import CACHE_DIR, cached_grid, grid_key, remember_grid
from analysis.batch.grid import (
    DEFAULT_MIN_FIGURES,
    GRID_KEYS,
    Grid,
    GridError,
    build_grid,
    parse_shard,
    read_grid_file,
    take_shard,
)
from analysis.batch.run import (
    DEFAULT_TIMEOUT,
    Interrupted,
    _pool_ahead,
    default_jobs,
    interruptible,
    run_batch,
)
from analysis.config import LANGUAGES, paths


def add_cli(subparsers) -> argparse.ArgumentParser:
    """Register ``halfyear batch`` on the ``halfyear`` command's subparsers.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="halfyear")
    >>> _ = add_cli(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["batch", "--region", "erqi", "--jobs", "2", "--shard", "1/2"])
    >>> args.region, args.jobs, args.shard, args.force
    (['erqi'], 2, '1/2', False)
    """
    batch = subparsers.add_parser(
        "batch",
        help="run the report notebook over a grid of regions x periods x languages",
        description="Run the report notebook over a grid of regions x periods x languages, "
        "in parallel and incrementally; write the HTML reports and reports/index.html.",
    )
    grid = batch.add_argument_group("the grid (default: every region and period with enough data)")
    grid.add_argument("--grid", metavar="FILE", help=f"YAML file with {', '.join(GRID_KEYS)}")
    grid.add_argument("--region", action="append", help="region code or name; repeat for several")
    grid.add_argument("--period", action="append", help="period code or label; repeat")
    grid.add_argument("--lang", action="append", help=f"one of {', '.join(LANGUAGES)}; repeat")
    grid.add_argument(
        "--min-figures",
        type=int,
        default=None,
        metavar="N",
        help=f"indicators a region and period need for a side left out "
        f"(default {DEFAULT_MIN_FIGURES})",
    )
    grid.add_argument("--data", help="processed table (default data/processed)")
    grid.add_argument("--shard", metavar="K/N", help="only the K-th of N shards of the grid")
    grid.add_argument(
        "--keep-going",
        action="store_true",
        help="run the valid part of a grid with invalid combinations",
    )
    run = batch.add_argument_group("running")
    run.add_argument("--out", help="output folder (default reports/)")
    run.add_argument("--jobs", type=int, help="runs at a time (default the number of cores)")
    run.add_argument("--force", action="store_true", help="run even the reports up to date")
    run.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds a cell may run (default {DEFAULT_TIMEOUT})",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster at this address (tcp://host:8786)",
    )
    run.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="a new kernel per run (slower) instead of one per worker",
    )
    run.add_argument(
        "--dry-run", action="store_true", help="check the grid and list what would run, then stop"
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    batch.set_defaults(func=main)
    return batch


def main(args: argparse.Namespace) -> int:
    """``halfyear batch``: check the grid, run it, print the summary; the exit status.

    0 when every run is ok or up to date, 1 when a run failed (or, with ``--keep-going``,
    the grid had invalid combinations), 2 for a grid or option that cannot run (the
    message says what is allowed), 130 when stopped by SIGINT (Ctrl-C), 143 by SIGTERM:
    then the workers and their kernels are stopped, the reports written so far kept, and
    one line says how many.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="halfyear")
    >>> _ = add_cli(parser.add_subparsers(dest="command"))
    >>> main(parser.parse_args(["batch", "--region", "二七区", "--period", "2019H1",
    ...                         "--lang", "zh", "--dry-run"]))
    erqi 2019H1 zh
    1 runs
    0
    """
    return _batch(args)


def _batch(args: argparse.Namespace) -> int:
    from analysis.data import store

    out_dir = Path(args.out) if args.out else paths().reports
    if not args.dry_run:
        store.writable_folder(out_dir, what="report folder")
    jobs = args.jobs or default_jobs()
    sure = args.force or not any((out_dir / CACHE_DIR).glob("*.json"))
    ahead = contextlib.nullcontext()
    if sure and not (args.dry_run or args.scheduler) and jobs >= 1:
        # every run will execute: start the workers' kernels while the grid is checked
        ahead = _pool_ahead(jobs, notebook=paths().report_notebook, fresh=args.fresh_kernels)
    try:
        with interruptible(), ahead:
            return _batch_runs(args, out_dir)
    except Interrupted as stop:
        print(stop.line(), file=sys.stderr)
        return stop.exit_code


def _load_figures(data_path: Path | None):
    """The processed table, checked (``store.load_figures``: without importing the cleaning
    stage, a faster start)."""
    from analysis.data import store

    return store.load_figures(data_path)


def _grid(spec: dict, *, data_path: Path | None, out_dir: Path | None) -> Grid:
    """``build_grid`` on the processed table, remembered in ``out_dir`` by what it is built
    from: with nothing changed, the table is not read (None: neither looked up nor kept)."""
    key = grid_key(spec, data_path=data_path) if out_dir else ""
    grid = cached_grid(out_dir, key) if out_dir else None
    if grid is None:
        grid = build_grid(_load_figures(data_path), data_path=data_path, **spec)
        if out_dir:
            remember_grid(out_dir, key, grid)
    return grid


def _batch_runs(args: argparse.Namespace, out_dir: Path) -> int:
    spec = read_grid_file(args.grid) if args.grid else {}
    for key, value in (
        ("regions", args.region),
        ("periods", args.period),
        ("langs", args.lang),
        ("min_figures", args.min_figures),
    ):
        if value is not None:
            spec[key] = value
    data_path = Path(os.path.abspath(args.data)) if args.data else None  # links kept
    grid = _grid(spec, data_path=data_path, out_dir=None if args.dry_run else out_dir)
    if grid.invalid and not args.keep_going:
        lines = "\n  ".join(grid.invalid)
        raise GridError(
            f"{len(grid.invalid)} invalid combination(s), nothing was run (--keep-going runs "
            f"the {len(grid.runs)} valid ones):\n  {lines}"
        )
    runs = list(grid.runs)
    if args.shard:
        runs = take_shard(runs, parse_shard(args.shard))
    if not runs:
        raise GridError("the grid is empty: nothing to run")
    if args.dry_run:
        for params in runs:
            print(f"{params.region} {params.period} {params.lang}")
        print(f"{len(runs)} runs")
        return 0
    result = run_batch(
        runs,
        out_dir=out_dir,
        jobs=args.jobs,
        force=args.force,
        timeout=args.timeout or None,
        scheduler=args.scheduler,
        fresh_kernels=args.fresh_kernels,
        invalid=grid.invalid,
        progress=not args.no_progress,
    )
    print(result.summary())
    return result.exit_code


def _main(argv: list[str] | None = None) -> int:
    """``python -m analysis.batch``: the ``batch`` subcommand on its own."""
    from analysis.cli import main

    return main(["batch", *(sys.argv[1:] if argv is None else argv)])
