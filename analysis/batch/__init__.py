"""Batch runs of the report notebook: a grid of regions x periods x languages.

``halfyear batch`` (``make reports``) runs ``notebooks/halfyear_report.ipynb`` once per
parameter set of a grid, in parallel on the local cores or on a Dask cluster, writes each
report as ``halfyear report`` does (``<region>_<period>_<lang>.html``, its ``.json``
sidecar, the executed notebook under ``executed/``), then regenerates ``index.html``::

    halfyear batch                                  # the default grid (see below)
    halfyear batch --region erqi --lang zh          # every period of erqi with enough data
    halfyear batch --region erqi --period 2019H1 --period 2018H1 --keep-going
    halfyear batch --grid reports.yaml --jobs 4     # the grid in a YAML file
    halfyear batch --shard 2/4                      # the 2nd of 4 shards (a CI matrix)
    halfyear batch --scheduler tcp://10.0.0.5:8786  # on a Dask cluster
    halfyear batch --force                          # run even what is up to date

A grid file has any of ``regions``, ``periods``, ``langs`` (a name or a list),
``min_figures`` and ``runs`` (a list of ``{region, period, lang}``); command-line options
replace its keys. Regions and periods given together make their full product; a side
left out is every region (or period) the data can report on. The default grid is every
region and period with actual figures (targets excluded) of at least
``DEFAULT_MIN_FIGURES`` distinct indicators, in both languages: fewer figures do not make
a situation report. The whole grid is checked with ``reporting.check_parameters`` before
any kernel starts; invalid combinations are listed with what is valid, and
``--keep-going`` runs the valid rest. ``--shard K/N`` deals the grid out in N shards by
language and region: shards are disjoint, cover the grid, each holds its share of every
language and region, and they do not depend on the machine (``halfyear index DIR`` lists
the reports of shards copied into one folder).

A run is skipped when nothing that affects it changed since it last ran: its parameters,
the notebook, the library (``analysis/**``: code, reference tables, templates), the data
(the processed table and the files beside it that reports read, by content hash), the
locked environment (``requirements/runtime.lock``, the Python version) and the git state
the report prints. A run whose cell raised an error is not redone either until one of these
changes (it would raise again): it is listed as failed, from its record. ``--force`` runs
everything. The records are kept in ``<out>/.cache/<name>.json``.

Every run is ``reporting.run`` (the one way a report is made: notebook, HTML, sidecar); a
batch schedules them. Each worker keeps one Jupyter kernel warm (papermill's engine
``halfyear-warm`` of ``analysis.report.kernels``: started once, the imports done once, its
namespace and execution count cleared between runs, so the outputs are those of a fresh
kernel; the tests compare the bytes); ``--fresh-kernels`` starts a kernel per run instead.
Kernels talk over IPC sockets in private folders: concurrent kernels never share a port.
A run that fails (an error raised in a cell, a dead kernel, a cell over ``--timeout``
seconds) does not stop the others: it keeps its executed notebook with papermill's error
banner, the next run gets a new kernel, and the summary lists it with its cell and error.
Only the parent process writes to the output folder, each file through a temporary file
renamed over it: no half-written report is ever left. On a Dask cluster every run is
submitted at once (the scheduler queues them; workers that join later take their share) and
the workers send the files back to the client, which writes them the same way. A worker
needs the project (code and data) at the same path as the client: its fingerprint is
checked before it gets work, and a worker that differs is left out with one line saying why.
A batch shuts down only the kernels it started and removes its temporary folders on every
worker at its end, even those of a worker that died, so batches can share a cluster.

The exit status is 0 when every run is ok or up to date, 1 when a run failed (or, with
``--keep-going``, the grid had invalid combinations), 2 when the grid or an option cannot
run (nothing ran; the message says what is allowed).

Modules: ``grid`` (the grid and its checks), ``cache`` (what a run depends on, the
records), ``worker`` (one run in a worker process), ``run`` (the scheduler), ``cli`` (the
command).
"""

from analysis.batch.cache import CACHE_DIR, PROTOCOL, input_fingerprint, run_key
from analysis.batch.cli import add_cli, main
from analysis.batch.grid import (
    DEFAULT_MIN_FIGURES,
    GRID_KEYS,
    Grid,
    GridError,
    build_grid,
    parse_shard,
    read_grid_file,
    reportable,
    take_shard,
)
from analysis.batch.run import DEFAULT_TIMEOUT, BatchResult, Outcome, default_jobs, run_batch

__all__ = [
    "CACHE_DIR",
    "DEFAULT_MIN_FIGURES",
    "DEFAULT_TIMEOUT",
    "GRID_KEYS",
    "PROTOCOL",
    "BatchResult",
    "Grid",
    "GridError",
    "Outcome",
    "add_cli",
    "build_grid",
    "default_jobs",
    "input_fingerprint",
    "main",
    "parse_shard",
    "read_grid_file",
    "reportable",
    "run_batch",
    "run_key",
    "take_shard",
]
