"""``make bench``: the report batch against the naive loop and the plain-script floor.

Measured on this machine, in one run, over the default grid (``analysis.batch``):

(a) the naive way: a shell loop of the papermill command line, then
    ``jupyter nbconvert --to html``, per report;
(b) ``halfyear batch``, cold (a fresh output folder);
(c) ``halfyear batch`` again, nothing changed;
(d) the floor: the notebook's code as a plain Python script (parameters injected), for one
    report;

then one report through the batch from a cold start, and the library alone on a SYNTHETIC
panel (``benchmarks.library``: 3,000 made-up regions x 15 years x 10 indicators, never mixed
with the real data). Prints a table with the ratios against the targets and the peak memory
(the resident memory of the process tree, summed, sampled every 50 ms). Everything is
written to a temporary folder; ``reports/`` and ``data/`` are not touched.

    python -m benchmarks.bench                    # everything (the naive loop takes minutes)
    python -m benchmarks.bench --naive-sample 10  # naive loop on 10 reports, scaled up
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: The report timed alone (the project's default report).
ONE = ("erqi", "2019H1", "zh")


class _Peak:
    """The peak resident memory of a process and its children, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.05):
        import psutil

        self.peak = 0
        self._stop = threading.Event()
        self._root = psutil.Process(pid)
        self._thread = threading.Thread(target=self._sample, args=(every,), daemon=True)
        self._thread.start()

    def _sample(self, every: float) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                tree = [self._root, *self._root.children(recursive=True)]
                total = 0
                for process in tree:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        continue
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(command: list[str], *, cwd: Path = ROOT, capture: bool = False, allowed=(0,)) -> dict:
    """Run a command; its wall time, peak memory and (optionally) its output.

    ``allowed`` are the exit statuses that are not an error (the batch exits 1 when a
    report fails, and still did its work).
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = _Peak(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    memory = peak.stop()
    if process.returncode not in allowed:
        raise RuntimeError(f"{' '.join(command[:4])} ... failed ({process.returncode}):\n{err}")
    return {"seconds": seconds, "peak": memory, "out": out or ""}


def naive_script(runs, *, out: Path) -> str:
    """The naive way, as a shell script: papermill's CLI then nbconvert's, per report.

    A report that fails is left without HTML and the loop goes on, as the batch does.
    """
    notebook = ROOT / "notebooks" / "halfyear_report.ipynb"
    lines = [f"mkdir -p {out}/executed", "failed=0"]
    for p in runs:
        name = f"{p.region}_{p.period}_{p.lang}"
        lines.append(
            f'"{BIN}/papermill" "{notebook}" "{out}/executed/{name}.ipynb" -r region {p.region} '
            f'-r period {p.period} -r lang {p.lang} -r data_path "" --cwd "{notebook.parent}" '
            "-k python3 --no-progress-bar --log-level WARNING 2> /dev/null && "
            f'"{BIN}/jupyter" nbconvert --to html "{out}/executed/{name}.ipynb" '
            f'--output-dir "{out}" --log-level WARN || failed=$((failed + 1))'
        )
    lines.append('echo "naive loop: $failed failed"')
    return "\n".join(lines) + "\n"


def floor_script(region: str, period: str, lang: str) -> str:
    """The report notebook's code as a plain script, its parameters injected (as papermill)."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "halfyear_report.ipynb", as_version=4)
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts.append(cell.source)
        if "parameters" in cell.metadata.get("tags", []):
            parts.append(
                f"# Parameters\nregion = {region!r}\nperiod = {period!r}\n"
                f"lang = {lang!r}\ndata_path = ''"
            )
    parts.append("report.html()  # what display() renders in a kernel: every section, PNGs")
    return "\n\n".join(parts) + "\n"


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n else ""


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the table; 0 even when a target is missed."""
    parser = argparse.ArgumentParser(description="Time the batch, the naive loop, the floor.")
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=0,
        metavar="N",
        help="time the naive loop on N reports of the grid and scale it up "
        "(default 0: the whole grid)",
    )
    parser.add_argument("--jobs", type=int, help="batch jobs (default the number of cores)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the one-report timings")
    parser.add_argument("--regions", type=int, default=3000, help="synthetic panel regions")
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--json", metavar="FILE", help="also write the numbers here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)

    from analysis import batch
    from analysis.data.store import load_figures

    figures = load_figures()
    runs = list(batch.build_grid(figures).runs)
    jobs = args.jobs or batch.default_jobs()
    work = Path(tempfile.mkdtemp(prefix="hy-bench-"))
    python = sys.executable
    results: dict = {"reports": len(runs), "jobs": jobs, "cores": os.cpu_count()}
    print(
        f"benchmark: {len(runs)} reports in the default grid, {jobs} jobs, "
        f"{os.cpu_count()} cores; work folder {work}",
        flush=True,
    )
    try:
        # (a) the naive loop
        sample = runs
        if args.naive_sample and args.naive_sample < len(runs):
            step = len(runs) / args.naive_sample
            sample = [runs[int(i * step)] for i in range(args.naive_sample)]
        script = work / "naive.sh"
        script.write_text(naive_script(sample, out=work / "naive"), encoding="utf-8")
        print(f"(a) naive loop over {len(sample)} reports ...", flush=True)
        naive = timed(["bash", str(script)], capture=True)
        naive["scaled"] = naive["seconds"] * len(runs) / len(sample)
        results["naive"] = {**naive, "sample": len(sample)}

        # (b) cold and (c) nothing changed
        command = [
            python,
            "-m",
            "analysis",
            "batch",
            "--out",
            str(work / "batch"),
            "--no-progress",
            "--jobs",
            str(jobs),
        ]
        print("(b) batch, cold ...", flush=True)
        cold = timed(command, capture=True, allowed=(0, 1))
        per_run = [float(m) for m in re.findall(r"\]\s+ok\s+\S+\s+([\d.]+) s", cold["out"])]
        print("(c) batch, nothing changed ...", flush=True)
        again = timed(command, capture=True, allowed=(0, 1))
        if f"{len(runs)} reports: 0 ok" not in again["out"]:
            raise RuntimeError(f"the rerun ran something:\n{again['out'][-2000:]}")
        failed = re.findall(r"^  (\S+): (.*) \(executed notebook", cold["out"], re.MULTILINE)
        # (e) what a user runs: `make reports` with nothing changed, end to end (make, the
        # data step's check, the batch finding every report up to date)
        print("(e) make reports, nothing changed ...", flush=True)
        batch_args = f"--out {work / 'batch'} --no-progress --jobs {jobs}"
        make_again = [
            timed(["make", "--no-print-directory", "-s", "reports", f"BATCH={batch_args}"])
            for _ in range(args.repeat)
        ]
        results.update(
            cold=cold, again=again, per_run=per_run, failed=failed, make_again=make_again
        )

        # (d) the floor, and one report through the batch from a cold start
        floor = work / "floor.py"
        floor.write_text(floor_script(*ONE), encoding="utf-8")
        print("(d) the plain-script floor, and one report through the batch ...", flush=True)
        floors = [timed([python, str(floor)], cwd=ROOT / "notebooks") for _ in range(args.repeat)]
        one_command = [
            python,
            "-m",
            "analysis",
            "batch",
            "--region",
            ONE[0],
            "--period",
            ONE[1],
            "--lang",
            ONE[2],
            "--force",
            "--jobs",
            "1",
            "--no-progress",
            "--out",
            str(work / "one"),
        ]
        ones = [timed(one_command) for _ in range(args.repeat)]
        papermill_one = [
            timed(
                [
                    "bash",
                    "-c",
                    naive_script(
                        [
                            batch.build_grid(
                                figures, regions=[ONE[0]], periods=[ONE[1]], langs=[ONE[2]]
                            ).runs[0]
                        ],
                        out=work / "naive-one",
                    ),
                ]
            )
            for _ in range(args.repeat)
        ]
        results.update(floor=floors, one=ones, papermill_one=papermill_one)

        # the library on the synthetic panel, in a process of its own
        print(
            f"library on a SYNTHETIC panel of {args.regions} regions x {args.years} years x "
            f"{args.indicators} indicators ...",
            flush=True,
        )
        library = timed(
            [
                python,
                "-m",
                "benchmarks.library",
                "--regions",
                str(args.regions),
                "--years",
                str(args.years),
                "--indicators",
                str(args.indicators),
            ],
            capture=True,
        )
        results["library"] = {**json.loads(library["out"]), "peak": library["peak"]}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(table(results))
    if args.json:
        for key in ("naive", "cold", "again"):
            results[key].pop("out", None)
        for key in ("floor", "one", "papermill_one", "make_again"):
            for item in results[key]:
                item.pop("out", None)
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


def table(r: dict) -> str:
    """The results as a Markdown table, with the ratios and the targets."""
    n, jobs = r["reports"], r["jobs"]
    naive, cold, again = r["naive"], r["cold"], r["again"]
    floor = statistics.median(x["seconds"] for x in r["floor"])
    one = statistics.median(x["seconds"] for x in r["one"])
    pm_one = statistics.median(x["seconds"] for x in r["papermill_one"])
    per_run = statistics.median(r["per_run"]) if r["per_run"] else float("nan")
    make_again = statistics.median(x["seconds"] for x in r["make_again"])
    lib = r["library"]
    speedup = naive["scaled"] / cold["seconds"]
    rerun = cold["seconds"] / again["seconds"]
    scaled = ""
    if naive["sample"] < n:
        scaled = f" (timed on {naive['sample']} reports: {naive['seconds']:.1f} s, scaled)"
    cleaned = lib["clean"] + lib["table"]
    rows = [
        (
            "(a) naive: papermill CLI + `jupyter nbconvert --to html`, per report, "
            f"{n} reports{scaled}",
            f"{naive['scaled']:.1f}",
            _mb(naive["peak"]),
            "",
            "",
        ),
        (
            f"(b) `halfyear batch`, cold, {n} reports, {jobs} jobs",
            f"{cold['seconds']:.1f}",
            _mb(cold["peak"]),
            f"(a)/(b) = {speedup:.1f}x",
            f">= 4x: {_verdict(speedup >= 4)}",
        ),
        (
            "(c) `halfyear batch`, nothing changed",
            f"{again['seconds']:.2f}",
            _mb(again["peak"]),
            f"(b)/(c) = {rerun:.0f}x",
            f">= 50x and < 2 s: {_verdict(rerun >= 50 and again['seconds'] < 2)}",
        ),
        (
            "(e) `make reports`, nothing changed, end to end (make, data check, batch)",
            f"{make_again:.2f}",
            "",
            "",
            f"< 1 s: {_verdict(make_again < 1)}",
        ),
        (
            f"(d) floor: the notebook's code as a plain script, one report ({'/'.join(ONE)})",
            f"{floor:.2f}",
            _mb(max(x["peak"] for x in r["floor"])),
            "",
            "",
        ),
        (
            "one report inside the batch: execution + HTML (median of (b)'s runs, per worker)",
            f"{per_run:.2f}",
            "",
            f"{per_run / floor:.2f}x (d)",
            f"<= 0.3x: {_verdict(per_run <= 0.3 * floor)}",
        ),
        (
            "one report, `halfyear batch --force --jobs 1` from a cold start (process start to "
            "exit: workers, kernel, imports)",
            f"{one:.2f}",
            _mb(max(x["peak"] for x in r["one"])),
            f"{one / floor:.2f}x (d)",
            f"<= 1.2x: {_verdict(one <= 1.2 * floor)}",
        ),
        (
            "one report, papermill CLI + nbconvert CLI (as in (a))",
            f"{pm_one:.2f}",
            "",
            f"{pm_one / floor:.2f}x (d)",
            "",
        ),
        (
            f"SYNTHETIC panel: {lib['regions']} regions, {lib['raw_rows']:,} raw rows: cleaning "
            "(standardize + validation + duplicates)",
            f"{lib['clean']:.2f}",
            "",
            "",
            "",
        ),
        (
            f"SYNTHETIC panel: indicator table of {lib['table_regions']} regions "
            f"({lib['period']}, {lib['table_rows']:,} rows)",
            f"{lib['table']:.2f}",
            "",
            "",
            "",
        ),
        (
            "SYNTHETIC panel: cleaning + indicator table",
            f"{cleaned:.2f}",
            _mb(lib["peak"]),
            "",
            f"< 3 s: {_verdict(cleaned < 3)}",
        ),
    ]
    if "before_clean" in lib:
        before = lib["before_clean"] + lib["before_select_vintage"] + lib["before_table"]
        rows.append(
            (
                "SYNTHETIC panel, for comparison: the row-by-row code (timed on a sample, scaled)",
                f"{before:.0f}",
                "",
                f"{before / cleaned:.0f}x slower",
                "",
            )
        )
    if "read_csv" in lib:
        rows.append(
            (
                f"reading a {lib['read_csv_rows']:,}-row long CSV of the SYNTHETIC panel "
                "(`reading.read_raw`, line numbers kept)",
                f"{lib['read_csv']:.2f}",
                "",
                "",
                f"< 3 s: {_verdict(lib['read_csv'] < 3)}",
            )
        )
    if "before_read_csv" in lib:
        rows.append(
            (
                "the same CSV, for comparison: the row-by-row reader (timed on 100,000 rows, "
                "scaled)",
                f"{lib['before_read_csv']:.1f}",
                "",
                f"{lib['before_read_csv'] / lib['read_csv']:.0f}x slower",
                "",
            )
        )
    head = "| measure | seconds | peak memory | ratio | target |\n|---|---:|---:|---|---|"
    body = "\n".join("| " + " | ".join(row) + " |" for row in rows)
    if r.get("failed"):
        body += (
            "\n\nReports that failed in (b) (a failing report counts in the timing; the "
            "summary lists it):\n" + "\n".join(f"- {n}: {e}" for n, e in r["failed"])
        )
    machine = (
        f"{r['cores']} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}"
    )
    return (
        f"{head}\n{body}\n\nMachine: {machine}. Peak memory: resident, summed over the "
        "process tree (workers and kernels included)."
    )


if __name__ == "__main__":
    sys.exit(main())
