"""The ``halfyear`` command (also ``python -m analysis``).

    halfyear clean                       data/raw -> data/processed, with the reconciliation
    halfyear report [--region R] [--period P] [--lang zh --lang en] [--pdf]
    halfyear periods [--region R]        what the data can report on
    halfyear regions QUERY               regions of the national registry by name, alias or code
    halfyear template --region R --period P --out FILE.xlsx   the workbook an office fills in
    halfyear extract FILE [--region R] [--period P]   figures out of bulletin prose
    halfyear batch [--jobs N] [--force] [--keep-going] [--shard K/N] [--scheduler ADDR]
    halfyear index [DIR]                 index.html of the reports in a folder
    halfyear backtest --region R [--indicator I] [--year Y] [--format csv]
    halfyear backtest --pooled [--min-folds 4] [--format csv]

A user's mistake (a file that cannot be read, a bad parameter) prints one message naming
the file, line or parameter and what is allowed, and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from analysis.config import DEFAULT_LANG, DEFAULT_PERIOD, DEFAULT_REGION, LANGUAGES, paths
from analysis.errors import HalfyearError, UserError


def _clean(args: argparse.Namespace) -> int:
    from analysis.data import pipeline, reading

    raw_dir = Path(args.raw) if args.raw else paths().raw
    out_dir = Path(args.out) if args.out else paths().processed
    if not raw_dir.is_dir():
        raise UserError(f"{raw_dir}: no such folder (expected the raw data files here)")
    files = reading.list_raw_files(raw_dir)
    if not files:
        raise UserError(f"{raw_dir}: no .csv or .xlsx data files found")
    result = pipeline.process_files(files)
    written = pipeline.write_outputs(result, directory=out_dir)
    for row in result.reconciliation.itertuples():
        print(f"{row.file}: encoding {row.encoding} ({row.encoding_reason})")
        if row.notes:
            print(f"{row.file}: {row.notes}")
    print(pipeline.format_reconciliation(result.reconciliation))
    flagged = result.figures[result.figures["flag"] != ""]
    for row in flagged.head(20).itertuples():
        print(f"flagged {row.source_file}:{row.source_line}: {row.flag}")
    if len(flagged) > 20:
        print(f"... and {len(flagged) - 20} more flagged figures (column flag of the table)")
    uncatalogued = sorted(set(result.figures.loc[~result.figures["catalogued"], "indicator"]))
    if uncatalogued:
        print(f"uncatalogued indicators (kept, listed here): {', '.join(uncatalogued)}")
    print(f"wrote {written['figures']} ({len(result.figures)} figures)")
    print(f"wrote {written['rejects']} ({len(result.rejects)} rejected rows, with reasons)")
    return 0


def _load(data: str | None):
    from analysis.data.pipeline import load_figures

    try:
        return load_figures(Path(data) if data else None)
    except FileNotFoundError as err:
        raise UserError(str(err)) from None


def _report(args: argparse.Namespace) -> int:
    from analysis.data import store
    from analysis.report import reporting

    data_path = Path(args.data) if args.data else None
    figures = _load(args.data)
    langs = args.lang or [DEFAULT_LANG]
    # every parameter set is checked before any kernel starts
    checked = [
        reporting.check_parameters(
            region=args.region,
            period=args.period,
            lang=lang,
            figures=figures,
            data_path=data_path,
        )
        for lang in langs
    ]
    if args.pdf:
        from analysis.report.browser import chromium_path

        chromium_path()  # a missing browser stops the run before any kernel starts
    out = Path(args.out) if args.out else None
    store.writable_folder(out or paths().reports, what="report folder")
    failed = 0
    for params in checked:
        try:
            html = reporting.run_report(params, out_dir=out)
        except Exception as err:  # the notebook failed: one line naming the executed notebook
            name = reporting.report_name(params)
            executed = (out or paths().reports) / "executed" / f"{name}.ipynb"
            print(f"halfyear report: failed: {_run_failure(err, executed)}", file=sys.stderr)
            failed += 1
            continue
        print(f"wrote {html}")
        if args.pdf:
            from analysis.report.pdf import write_pdf

            print(f"wrote {write_pdf(html)}")
    print(f"wrote {reporting.write_index(out)}")
    return 1 if failed else 0


def _run_failure(err: Exception, executed: Path) -> str:
    """A failed notebook run in one line: the executed notebook, the cell and the error."""
    from papermill.exceptions import PapermillExecutionError

    from analysis.report.reporting import ExportError

    if isinstance(err, ExportError):  # the notebook ran; a full disk, a folder in the way
        what = " ".join(str(err).split())[:300]
        return f"{executed} ran, but the report's files could not be written: {what}"
    if isinstance(err, PapermillExecutionError):
        cell = f"cell {err.exec_count}" if err.exec_count else f"cell #{err.cell_index + 1}"
        what = f"{err.ename}: {err.evalue}".strip().rstrip(":")
    else:
        cell, what = "a cell", f"{type(err).__name__}: {err}"
    what = " ".join(what.split())[:300]
    return f"{executed}: {cell} raised {what} (the executed notebook shows the traceback)"


def _index(args: argparse.Namespace) -> int:
    import json

    from analysis.data import store
    from analysis.report import reporting

    folder = Path(args.folder) if args.folder else paths().reports
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder; give the folder that holds the reports")
    store.writable_folder(folder, what="report folder")
    listed = 0
    for sidecar in sorted(folder.glob("*.json")):
        try:
            record = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and isinstance(record.get("html"), str):
            listed += 1
            if not (folder / record["html"]).exists():
                print(f"{sidecar.name}: names {record['html']}, which is not in {folder}")
    print(f"wrote {reporting.write_index(folder)} ({listed} reports)")
    return 0


def _periods(args: argparse.Namespace) -> int:
    from analysis.catalog import load as load_catalog
    from analysis.report import reporting

    table = reporting.report_periods(_load(args.data))
    if args.region:
        table = table[table["region"] == load_catalog().region_code(args.region)]
    for region, group in table.groupby("region"):
        spans = ", ".join(
            f"{p} ({n})" for p, n in zip(group["period"], group["figures"], strict=True)
        )
        print(f"{region}: {spans}")
    return 0


def _regions(args: argparse.Namespace) -> int:
    from analysis.catalog import load

    cat = load()
    hits = cat.search_regions(args.query, limit=args.limit)
    if hits.empty:
        raise UserError(
            f"no region matches {args.query!r}: give a name (岳阳县), an alias or short name "
            "(管城区, 岳阳), a former name (郫县), a six-digit code (430621) or a part of one"
        )
    for row in hits.itertuples():
        code = (
            row.code if row.code == row.adcode or not row.adcode else f"{row.code} ({row.adcode})"
        )
        group = cat.peer_group(row.code)
        peers = f"; peers: {cat.peer_groups.loc[group, 'name_zh']}" if group else ""
        former = cat.former_names(row.code)
        formerly = f"; formerly {', '.join(former)}" if former else ""
        print(f"{code}\t{row.name_zh}\t{row.type or row.level}\t{row.chain}{peers}{formerly}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from analysis.data.workbook import write_template

    out = write_template(Path(args.out), region=args.region, period=args.period)
    print(f"wrote {out}: fill in the yellow cells, put it in data/raw and run `make data`")
    return 0


def _format_table(table, *, level: float) -> str:
    """A backtest table as aligned text: n, MAPE, bias, ratio to same growth, coverage."""
    lines = [
        f"{'method':<22} {'n':>3} {'MAPE':>7} {'bias':>7} {'ratio to same growth':>21} "
        f"{round(100 * level)}% interval held"
    ]
    for r in table.itertuples():
        ratio = "" if math.isnan(r.ratio_to_same_growth) else f"{r.ratio_to_same_growth:.2f}"
        held = f"{r.n_covered} of {r.n_interval} years" if r.n_interval else "no interval"
        lines.append(
            f"{r.method:<22} {r.n:>3} {r.mape_pct:>6.2f}% {r.bias_pct:>+6.2f}% {ratio:>21} {held}"
        )
    return "\n".join(lines)


def _print_pooled(done, *, level: float, min_folds: int) -> None:
    from analysis.compute import evaluation

    print(f"series with at least {min_folds} backtest years:")
    for s in done.series.itertuples():
        print(f"  {s.region} {s.indicator}: {s.folds} years, {s.first}-{s.last}")
    by_series = done.by_series()
    for indicator, table in done.pooled().groupby("indicator", sort=True):
        print(f"\n{indicator}, pooled over its series:")
        print(_format_table(table, level=level))
        mine = by_series[by_series["indicator"] == indicator]
        for region, part in mine.groupby("region", sort=True):
            print(f"\n{indicator}, {region}:")
            print(_format_table(part, level=level))
        found = evaluation.goal(done, indicator=indicator)
        print(
            f"\n{indicator}: the lead method against the naive rules, on the years both projected"
        )
        for key, name in (("same_growth", "same growth"), ("published", "same_growth_published")):
            x = found[f"lead_vs_{key}"]
            if x["n"]:
                print(
                    f"  against {name}: lead MAPE {x['lead_mape_pct']:.2f}% vs "
                    f"{x['other_mape_pct']:.2f}% over {x['n']} years, ratio {x['ratio']:.2f}"
                )
        for region, x in found["lead_mape_by_region"].items():
            print(f"  {region}: lead MAPE {x['mape_pct']:.2f}% over {x['n']} years")
        c = found["lead_coverage"]
        print(
            f"  the lead's {c['level_pct']:.0f}% intervals held {c['n_covered']} of "
            f"{c['n_interval']} actuals ({c['coverage_pct']:.1f}%)"
        )


def _backtest(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.catalog import load as load_catalog
    from analysis.compute import evaluation, projection
    from analysis.report.texts import say

    figures = _load(args.data)
    if args.pooled:
        done = evaluation.evaluate(figures, min_folds=args.min_folds, level=args.level)
        if args.format == "csv":
            out = pd.concat([done.pooled(), done.by_series()], ignore_index=True)
            print(out.to_csv(index=False), end="")
        else:
            _print_pooled(done, level=args.level, min_folds=args.min_folds)
        return 0
    if not args.region:
        raise UserError("give --region R (and --indicator I), or --pooled")
    region = args.region
    if region not in set(figures["region"]):
        region = load_catalog().region_code(region)
    year = args.year
    if year is None:
        mine = figures.loc[(figures["region"] == region) & (figures["indicator"] == args.indicator)]
        if mine.empty:
            raise UserError(f"no {args.indicator} figures for {region}")
        year = int(mine["period"].astype(str).str[:4].astype(int).max()) + 1
    result = projection.project(
        figures, region=region, indicator=args.indicator, year=year, level=args.level
    )
    shown = None
    for code in reversed(list(result.backtests)):  # the region, then the levels above
        table = evaluation.backtest_table(result.backtest(code))
        if not table.empty:
            shown = (code, table)
            break
    if args.format == "csv":
        table = shown[1] if shown else evaluation.backtest_table(result.backtest())
        print(table.assign(indicator=args.indicator).to_csv(index=False), end="")
        return 0
    print(
        f"{region} {args.indicator}: every year before {year} projected from its own first half "
        f"(first releases known at the time; {round(100 * args.level)}% calibrated intervals)"
    )
    if shown is None:
        print(f"no backtest year for {region} or any level above it")
    else:
        if shown[0] != region:
            print(f"{region} has no backtest year: these are the errors of {shown[0]}")
        print(_format_table(shown[1], level=args.level))
    lead, why = result.lead_method()
    if lead:
        print(f"lead method for {year}: {lead}: {say(why, lang='en')}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``halfyear`` command."""
    parser = argparse.ArgumentParser(
        prog="halfyear", description="Half-year economic situation analysis: data and reports."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    clean = sub.add_parser("clean", help="clean data/raw into data/processed")
    clean.add_argument("--raw", help="folder of raw files (default data/raw)")
    clean.add_argument("--out", help="output folder (default data/processed)")
    clean.set_defaults(func=_clean)

    report = sub.add_parser("report", help="run the report notebook and write HTML")
    report.add_argument("--region", default=DEFAULT_REGION, help="region code or name")
    report.add_argument("--period", default=DEFAULT_PERIOD, help="e.g. 2019H1, 2019年上半年")
    report.add_argument(
        "--lang", action="append", help=f"one of {', '.join(LANGUAGES)}; repeat for several"
    )
    report.add_argument("--data", help="processed table (default data/processed)")
    report.add_argument("--out", help="output folder (default reports/)")
    report.add_argument(
        "--pdf", action="store_true", help="also print each report to an A4 PDF beside it"
    )
    report.set_defaults(func=_report)

    per = sub.add_parser("periods", help="list the regions and periods the data can report on")
    per.add_argument("--region", help="only this region")
    per.add_argument("--data", help="processed table (default data/processed)")
    per.set_defaults(func=_periods)

    regions = sub.add_parser(
        "regions", help="find regions of the national registry (name, alias, short name or code)"
    )
    regions.add_argument("query", help="e.g. 岳阳县, 管城区, 鼓楼, 430621")
    regions.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    regions.set_defaults(func=_regions)

    template = sub.add_parser(
        "template", help="write the Excel workbook an office fills in with its figures"
    )
    template.add_argument("--region", required=True, help="region code or name (岳阳县, 430621)")
    template.add_argument("--period", required=True, help="e.g. 2021H1, 2021年上半年, 2021FY")
    template.add_argument("--out", required=True, help="the .xlsx file to write")
    template.set_defaults(func=_template)

    back = sub.add_parser(
        "backtest", help="how each projection method did in past years, or pooled over series"
    )
    back.add_argument("--region", help="region code or name")
    back.add_argument("--indicator", default="gdp", help="indicator code (default gdp)")
    back.add_argument("--year", type=int, help="backtest the years before this one")
    back.add_argument("--level", type=float, default=0.8, help="nominal interval coverage")
    back.add_argument("--pooled", action="store_true", help="every series with enough years")
    back.add_argument("--min-folds", type=int, default=4, help="years a series needs (pooled)")
    back.add_argument("--format", choices=("text", "csv"), default="text")
    back.add_argument("--data", help="processed table (default data/processed)")
    back.set_defaults(func=_backtest)

    index = sub.add_parser(
        "index", help="write index.html for the reports in a folder (merged shards included)"
    )
    index.add_argument("folder", nargs="?", help="the folder of the reports (default reports/)")
    index.set_defaults(func=_index)

    from analysis import batch, extract

    extract.add_cli(sub)
    batch.add_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: run a subcommand; user errors print a message and return 2."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except HalfyearError as err:
        print(f"halfyear {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
