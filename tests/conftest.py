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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly how many browser tests were skipped, and why (they skip when Chromium is missing)."""
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if "browser" in getattr(r, "keywords", {})
    ]
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    terminalreporter.write_sep("!", f"{len(skipped)} browser tests were SKIPPED", red=True, bold=True)
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        terminalreporter.write_line(f"{count:4d} × {reason}", red=True)
