"""Re-resolve the lock files beside this script from ``pyproject.toml`` (``make lock``).

One lock per group, each installable alone on top of the runtime lock, all together in any
combination:

- ``runtime.lock``: the project's dependencies and its build backend (for the editable
  install), what ``make report`` needs;
- ``lab.lock``, ``cluster.lock``, ``pdf.lock``, ``dev.lock``: what the extra of the same
  name adds to the runtime (JupyterLab; Dask's distributed scheduler; Playwright, for
  ``halfyear report --pdf``; tests, linters and benchmarks).

Everything is resolved once, together, so a package has the same version in every lock.
Every entry is a wheel for CPython 3.11 on manylinux x86_64, pinned with its hashes, so
the locks install with ``pip install --no-index --find-links WHEELHOUSE --require-hashes``
(``make wheelhouse`` fills the folder; ``make check-offline`` proves it). Where a
dependency's newest release is only a source distribution, :data:`OVERRIDES` pins a
release that has a wheel (with the reason).

Needs ``uv`` (``make lock`` installs it into the virtual environment) and the registry.

    python requirements/lock.py                 # rewrite the locks
    python requirements/lock.py --prefer OLD    # keep the versions pinned in OLD where possible
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = "3.11"
PLATFORM = "x86_64-manylinux_2_28"

#: Extras with a lock of their own (each holds only what it adds to runtime.lock).
EXTRAS = ("lab", "cluster", "pdf", "dev")

#: Pins that replace what a dependency asks for, with the reason.
OVERRIDES = {
    # mplfonts (the CJK font files) asks for fontmeta>=1.6.1, which is published only as a
    # source distribution; 1.0.0 is a wheel with the one call mplfonts makes
    # (FontMeta(path).get_data()), and the project itself never imports fontmeta.
    "fontmeta": "fontmeta==1.0.0",
}

_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==")


def normalize(name: str) -> str:
    """A package name as registries compare them (PEP 503).

    Examples
    --------
    >>> normalize("Jupyter_Client")
    'jupyter-client'
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def entries(text: str) -> dict[str, str]:
    """The entries of a uv/pip-compile lock, by normalized name: each entry's lines.

    Examples
    --------
    >>> lock = "# header\\na==1.0 \\\\\\n    --hash=sha256:00\\n    # via b\\nB_c==2 \\\\\\n"
    >>> sorted(entries(lock))
    ['a', 'b-c']
    """
    out: dict[str, str] = {}
    name = None
    for line in text.splitlines(keepends=True):
        match = _NAME.match(line)
        if match:
            name = normalize(match[1])
            out[name] = line
        elif name and line.startswith(" "):
            out[name] += line
        else:
            name = None
    return out


def compile_lock(uv: str, requirements: list[str], *, extra: list[str]) -> str:
    """``uv pip compile`` of some requirement lines, for the target Python and platform."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "requirements.in"
        source.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        overrides = Path(folder) / "overrides.txt"
        overrides.write_text("\n".join(OVERRIDES.values()) + "\n", encoding="utf-8")
        command = [
            uv,
            "pip",
            "compile",
            str(source),
            "--quiet",
            "--no-header",
            "--python-version",
            PYTHON,
            "--python-platform",
            PLATFORM,
            "--only-binary",
            ":all:",
            "--override",
            str(overrides),
            *extra,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"uv pip compile failed:\n{done.stderr}")
        text = done.stdout.replace(str(source), "pyproject.toml")
        return _without_temporary_files(text.replace(str(overrides), "requirements/lock.py"))


def _without_temporary_files(text: str) -> str:
    """A compiled lock without the annotations that name this script's temporary files.

    Examples
    --------
    >>> lock = "a==1\\n    # via\\n    #   -c /tmp/x/pins.txt\\n    #   b\\n"
    >>> print(_without_temporary_files(lock))
    a==1
        # via b
    <BLANKLINE>
    """
    out = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith(("#   -c ", "# via -c ")):
            continue
        out.append(line)
    # "# via" followed by a single "#   x" line reads better as "# via x"
    text = "".join(out)
    return re.sub(r"# via\n\s+#   (\S+)\n(?!\s+#   )", r"# via \1\n", text)


def groups() -> dict[str, list[str]]:
    """The requirement lines of each group, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    optional = project["project"]["optional-dependencies"]
    missing = sorted(set(EXTRAS) - set(optional))
    if missing:
        sys.exit(f"pyproject.toml has no extra(s) {missing}")
    return {"runtime": runtime, **{name: [*runtime, *optional[name]] for name in EXTRAS}}


HEADER = """\
# {name}.lock: {what}
# Generated by `make lock` (requirements/lock.py) from pyproject.toml: do not edit.
# Wheels only (CPython {python}, {platform}), each with its hashes; installs offline with
#   pip install --no-index --find-links WHEELHOUSE --require-hashes --no-deps -r {name}.lock
"""

WHAT = {
    "runtime": "what a report needs (the dependencies and the build backend)",
    "lab": "what JupyterLab adds to runtime.lock (install both)",
    "cluster": "what a Dask cluster adds to runtime.lock (install both)",
    "pdf": "what `halfyear report --pdf` (Playwright) adds to runtime.lock (install both)",
    "dev": "what the tests, linters and benchmarks add to runtime.lock (install both)",
}


def main(argv: list[str] | None = None) -> int:
    """Resolve everything once, then write each group's lock."""
    parser = argparse.ArgumentParser(description="Re-resolve requirements/*.lock.")
    parser.add_argument("--prefer", type=Path, help="a lock whose versions to keep if possible")
    parser.add_argument("--uv", default=shutil.which("uv") or "uv")
    args = parser.parse_args(argv)
    wanted = groups()
    everything = sorted({line for lines in wanted.values() for line in lines})
    preferred = []
    if args.prefer:
        pins = entries(args.prefer.read_text(encoding="utf-8"))
        preferred = [block.split(" ")[0].strip() for block in pins.values()]
    with tempfile.TemporaryDirectory() as folder:
        prefer = Path(folder) / "prefer.txt"
        # a preferred pin that no longer fits is dropped, not forced
        prefer.write_text("\n".join(preferred) + "\n", encoding="utf-8")
        try:
            resolved = compile_lock(args.uv, everything, extra=["--constraint", str(prefer)])
        except RuntimeError:
            resolved = compile_lock(args.uv, everything, extra=[])
        pins_file = Path(folder) / "pins.txt"
        pins_file.write_text(
            "\n".join(block.split(" ")[0].strip() for block in entries(resolved).values()) + "\n",
            encoding="utf-8",
        )
        locks = {
            name: entries(
                compile_lock(
                    args.uv,
                    lines,
                    extra=["--constraint", str(pins_file), "--generate-hashes"],
                )
            )
            for name, lines in wanted.items()
        }
    runtime = locks["runtime"]
    for name, found in locks.items():
        own = found if name == "runtime" else {k: v for k, v in found.items() if k not in runtime}
        text = HEADER.format(name=name, what=WHAT[name], python=PYTHON, platform=PLATFORM)
        text += "".join(own[key] for key in sorted(own))
        (HERE / f"{name}.lock").write_text(text, encoding="utf-8")
        print(f"requirements/{name}.lock: {len(own)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
