"""The corpus of bad inputs and faults (tests/bad_inputs): every case is handled.

Each case runs its steps in child processes with a timeout (``runner``), so a hang fails
its case instead of blocking the suite; ``python -m tests.bad_inputs`` prints the counts
by kind and outcome.
"""

import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from .bad_inputs import build, runner

CASES = build.manifest()
KINDS = {"fault", "silent", "impossible", "traceback", "injection", "duplicates"}
EXPECTS = {"refused", "rejected", "flagged", "accounted", "decoded", "intact", "neutral",
           "finishes", "ok"}  # fmt: skip


def test_the_manifest_and_the_builders_agree():
    names = [row["case"] for row in CASES]
    assert len(names) == len(set(names)) >= 100
    assert set(names) == set(build.BUILDERS), build.unused()
    assert {row["kind"] for row in CASES} == KINDS
    assert {row["expect"] for row in CASES} <= EXPECTS


@pytest.fixture
def folder():
    """A folder an unprivileged user can reach (cases drop root rights to test file modes)."""
    path = Path(tempfile.mkdtemp(prefix="hy-bad-"))
    path.chmod(0o755)
    yield path

    def unlock(function, name, _):
        Path(name).parent.chmod(stat.S_IRWXU)
        function(name)

    shutil.rmtree(path, onerror=unlock)


@pytest.mark.parametrize("spec", CASES, ids=[row["case"] for row in CASES])
def test_bad_input_is_handled(spec, folder):
    got, why = runner.run_case(build.plan(spec, folder), folder)
    assert got == "handled", f"{spec['kind']}/{spec['case']} ({spec['what']}): {got}: {why}"
