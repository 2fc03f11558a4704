"""The kernels report notebooks run in: a fresh one per run, or a warm one kept for many.

- :class:`LocalKernelManager` is the kernel manager of a fresh-kernel run (papermill's
  default engine): kernels talk over IPC sockets, not TCP ports.
- :data:`ENGINE` (``halfyear-warm``) is a papermill engine, registered by
  :func:`register_engine`, that runs each notebook in this thread's warm kernel: started
  once (the package's imports done once), its namespace and execution count cleared before
  every run, so the outputs are those of a fresh kernel. ``reporting.run(params,
  engine=ENGINE)`` uses it; the batch does so in every worker.
"""

from __future__ import annotations

import ast
import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

#: The papermill engine that runs notebooks in a warm kernel.
ENGINE = "halfyear-warm"
#: What a warm kernel imports when it starts, besides the notebook's own imports.
WARM_IMPORTS = (
    "import analysis.report.document",
    "import analysis.report.plots",
    "import analysis.compute.projection",
)


class LocalKernelManager(KernelManager):
    """Kernels talk to papermill over local sockets (IPC), not TCP ports: no open port, no
    port clash between concurrent runs, and no warning about unencrypted TCP.

    Examples
    --------
    >>> LocalKernelManager(kernel_name="python3").transport
    'ipc'
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)


#: What clears a warm kernel: an empty namespace and execution count 1.
_CLEAR = 'get_ipython().run_line_magic("reset", "-f")\nget_ipython().execution_count = 1\n'


class WarmKernel:
    """One Jupyter kernel kept for many runs: started once, cleared between runs."""

    def __init__(self, *, cwd: Path, warm_code: str, folder: Path | None = None):
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.session import Session
        from jupyter_core.utils import run_sync

        self.run_sync = run_sync
        self.cwd = Path(cwd)
        if folder is not None and len(str(folder)) > 70:
            folder = None  # IPC socket paths are at most 107 bytes long
        if folder is not None:
            Path(folder).mkdir(parents=True, exist_ok=True)
        self.home = Path(tempfile.mkdtemp(prefix="hy-kernel-", dir=folder))
        # IPC sockets named after a private folder: concurrent kernels never race for ports;
        # an async manager, as nbclient's own, so that its timeouts and death checks work
        self.km = AsyncKernelManager(
            kernel_name="python3",
            transport="ipc",
            ip=str(self.home / "k"),
            connection_file=str(self.home / "kernel.json"),
        )
        self.log = self.home / "kernel.log"
        with self.log.open("ab") as log:
            # no history database: a kernel cleared between runs would write line numbers
            # that clash with its own earlier lines (and the database is shared by kernels)
            run_sync(self.km.start_kernel)(
                cwd=str(cwd),
                stdout=log,
                stderr=subprocess.STDOUT,
                extra_arguments=["--HistoryManager.enabled=False"],
            )
        # a client with a session of its own (replies are routed by session; papermill's
        # client of each run uses the manager's)
        session = Session(
            key=self.km.session.key, signature_scheme=self.km.session.signature_scheme
        )
        self.kc = BlockingKernelClient(session=session)
        self.kc.load_connection_info(self.km.get_connection_info())
        self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        if warm_code:
            self.kc.execute(warm_code, silent=True, store_history=False)
        #: The clear sent and not yet waited for (:meth:`clear_later`): the warm imports'
        #: names go before the first run, as a finished run's names before the next.
        self._clearing: str | None = None
        self.clear_later()

    def alive(self) -> bool:
        return bool(self.run_sync(self.km.is_alive)())

    def clear_later(self) -> None:
        """Start clearing the namespace now, without waiting: the kernel clears while this
        process does other work (a run's export); :meth:`clear` waits for it to be done."""
        if self._clearing is None:
            self._clearing = self.kc.execute(_CLEAR, silent=True, store_history=False)

    def clear(self, timeout: float = 120) -> None:
        """An empty namespace and execution count 1, as in a fresh kernel (the clear
        started by :meth:`clear_later`, else one now), when this returns."""
        self.clear_later()
        msg_id, self._clearing = self._clearing, None
        reply = self._reply(msg_id, timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"cannot clear the kernel: {reply['content']}")

    def _reply(self, msg_id: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def death(self, lines: int = 3) -> str:
        """How the kernel ended: its exit status and the last lines it wrote, if any."""
        process = getattr(self.km.provisioner, "process", None)
        status = process.poll() if process is not None else None
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            text = ""
        said = " | ".join(text.splitlines()[-lines:])
        return (f" (exit status {status})" if status is not None else "") + (
            f": {said}" if said else ""
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            self.run_sync(self.km.shutdown_kernel)(now=True)
        with contextlib.suppress(OSError):
            for path in self.home.iterdir():
                path.unlink()
            self.home.rmdir()


#: The warm kernel of each thread of this process (a Dask worker may have several) and the
#: batch that owns it ('' outside a batch on a shared cluster).
_KERNELS: dict[tuple[int, str], WarmKernel] = {}
_LOCK = threading.Lock()
_OWNER = threading.local()


@contextlib.contextmanager
def owned_by(owner: str, *, folder: Path | None = None):
    """Runs in the block use (and start) warm kernels owned by ``owner``, their files in
    ``folder``: a batch on a shared cluster shuts down only the kernels it owns."""
    before = (getattr(_OWNER, "name", ""), getattr(_OWNER, "folder", None))
    _OWNER.name, _OWNER.folder = owner, folder
    try:
        yield
    finally:
        _OWNER.name, _OWNER.folder = before


def _key() -> tuple[int, str]:
    return threading.get_ident(), getattr(_OWNER, "name", "")


#: Set when this process sends its first notebook to a warm kernel.
RUNNING = threading.Event()


def warm_code(notebook: Path) -> str:
    """The imports a warm kernel runs once: :data:`WARM_IMPORTS` and the notebook's own."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    lines = list(WARM_IMPORTS)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        lines += [
            ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
        ]
    return "\n".join(f"try:\n    {line}\nexcept Exception:\n    pass" for line in lines)


def warm_kernel(notebook: Path) -> WarmKernel:
    """This thread's warm kernel for ``notebook`` (started on first use, restarted if dead)."""
    me = _key()
    with _LOCK:
        kernel = _KERNELS.get(me)
    if kernel is not None and not kernel.alive():
        drop_kernel()
        kernel = None
    if kernel is None:
        notebook = Path(notebook)
        kernel = WarmKernel(
            cwd=notebook.parent,
            warm_code=warm_code(notebook),
            folder=getattr(_OWNER, "folder", None),
        )
        with _LOCK:
            _KERNELS[me] = kernel
    return kernel


def current_kernel() -> WarmKernel | None:
    """This thread's warm kernel, if it has one."""
    with _LOCK:
        return _KERNELS.get(_key())


def drop_kernel() -> None:
    """Shut this thread's warm kernel down (the next run starts a new one)."""
    with _LOCK:
        kernel = _KERNELS.pop(_key(), None)
    if kernel is not None:
        kernel.close()


def drop_kernels(owner: str | None = None) -> None:
    """Shut the warm kernels of this process down: every one, or those ``owner`` owns."""
    with _LOCK:
        mine = [key for key in _KERNELS if owner is None or key[1] == owner]
        kernels = [_KERNELS.pop(key) for key in mine]
    for kernel in kernels:
        kernel.close()


def _children() -> set[int]:
    """This process's child processes (from /proc; none found where there is no /proc)."""
    me, found = os.getpid(), set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == me:
                found.add(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)  # a child: reaped once it ended
        return done == pid
    except ChildProcessError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def kill_kernels(grace: float = 3.0) -> None:
    """Stop every kernel this process started (warm or fresh), at once: for a process told
    to end (no event loop, no message to the kernels). Each gets SIGTERM, then SIGKILL
    after ``grace`` seconds; the warm kernels' folders are removed."""
    kernels = list(_KERNELS.values())  # no lock: this may interrupt a thread holding it
    _KERNELS.clear()
    pids = _children()
    for kernel in kernels:
        process = getattr(getattr(kernel.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            pids.add(process.pid)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while pids and time.monotonic() < deadline:
            pids = {pid for pid in pids if not _gone(pid)}
            time.sleep(0.05)
        if not pids:
            break
    for kernel in kernels:
        shutil.rmtree(kernel.home, ignore_errors=True)


def _no_save(**kwargs) -> None:
    """A run's notebook not written at a cell's start or end (see ``register_engine``)."""


def register_engine() -> str:
    """Register :data:`ENGINE` with papermill (once); returns its name."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    if ENGINE in papermill_engines._engines:
        return ENGINE
    # nbclient's own messages (timeouts, a dead kernel) repeat what the run's error says
    logger = logging.getLogger("halfyear.kernel")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, in this thread's warm kernel."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            input_path=None,
            **kwargs,
        ):
            kernel = warm_kernel(Path(input_path))
            kernel.clear()
            RUNNING.set()
            client = PapermillNotebookClient(
                nb_man,
                km=kernel.km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            # the executed notebook is written when the run ends or fails (papermill's
            # notebook_complete), not at every cell's start and end as well: those writes
            # (the whole notebook, validated, twice a cell) held up each next cell
            nb_man.save = _no_save
            try:
                executed = client.execute()
            finally:
                del nb_man.save
                if client.kc is not None:
                    client.kc.stop_channels()
            # the next run's clear, done by the kernel while this run's HTML is written (a
            # run that failed drops its kernel instead)
            kernel.clear_later()
            return executed

    papermill_engines.register(ENGINE, WarmKernelEngine)
    return ENGINE
