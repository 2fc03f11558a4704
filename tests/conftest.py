"""Shared fixtures: the real raw files and a processed table built from them once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from analysis.config import paths
from analysis.data import pipeline, reading

# Property tests draw the same examples on every run unless HYPOTHESIS_PROFILE=explore:
# CI stays repeatable, and a developer can still hunt for new counterexamples.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def raw_files() -> list[Path]:
    """The committed raw data files."""
    return reading.list_raw_files(paths().raw)


@pytest.fixture(scope="session")
def processed(raw_files) -> pipeline.ProcessResult:
    """The committed raw data, cleaned in memory (the same run as `halfyear clean`)."""
    return pipeline.process_files(raw_files)


@pytest.fixture(scope="session")
def processed_path(processed, tmp_path_factory) -> Path:
    """The processed table written to a temporary folder."""
    out = tmp_path_factory.mktemp("processed")
    return pipeline.write_outputs(processed, directory=out)["figures"]
