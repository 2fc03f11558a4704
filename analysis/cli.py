"""The ``halfyear`` command (also ``python -m analysis``).

    halfyear clean                       data/raw -> data/processed, with the reconciliation
    halfyear report [--region R] [--period P] [--lang zh --lang en]
    halfyear periods [--region R]        what the data can report on
    halfyear regions QUERY               regions of the national registry by name, alias or code
    halfyear template --region R --period P --out FILE.xlsx   the workbook an office fills in
    halfyear extract FILE [--region R] [--period P]   figures out of bulletin prose
    halfyear batch [--jobs N] [--force] [--keep-going] [--shard K/N] [--scheduler ADDR]

A user's mistake (a file that cannot be read, a bad parameter) prints one message naming
the file, line or parameter and what is allowed, and exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
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
    print(pipeline.format_reconciliation(result.reconciliation))
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
    out = Path(args.out) if args.out else None
    for params in checked:
        html = reporting.run_report(params, out_dir=out)
        print(f"wrote {html}")
    print(f"wrote {reporting.write_index(out)}")
    return 0


def _periods(args: argparse.Namespace) -> int:
    from analysis import catalog
    from analysis.report import reporting

    table = reporting.report_periods(_load(args.data))
    if args.region:
        table = table[table["region"] == catalog.region_code(args.region)]
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
