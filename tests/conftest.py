"""Shared test fixtures. Real data is read from ``../shared/data`` beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("KODEKS_SHARED_DATA", REPO.parent / "shared" / "data"))


def data_file(relative: str) -> Path:
    """Path of a real data file; skips the test with a clear reason when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data file {relative} not found under ../shared/data (see its SOURCES.md)")
    return path


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is absent: real-data tests need it (see SOURCES.md)")
    return SHARED_DATA
