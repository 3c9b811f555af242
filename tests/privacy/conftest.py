"""Fixtures for the privacy tests: tiny named tables, and the shared real data when it is present."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[2]
if not any((Path(p) / "kodeks" / "privacy").is_dir() for p in sys.path if p):  # pragma: no cover
    sys.path.insert(0, str(_ROOT / "src"))

import polars as pl  # noqa: E402

from kodeks.privacy import hierarchy as hier  # noqa: E402

from .privacy_factories import ADULT_QIS  # noqa: E402


def shared_data() -> Path:
    override = os.environ.get("KODEKS_SHARED_DATA")
    return Path(override) if override else (_ROOT / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = shared_data()
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (set KODEKS_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def adult(data_dir: Path) -> pl.DataFrame:
    path = data_dir / "adult_arx" / "adult.csv"
    if not path.is_file():
        pytest.skip("adult_arx/adult.csv not in the shared data")
    return pl.read_csv(path, separator=";", infer_schema=False)


@pytest.fixture(scope="session")
def adult_hierarchies(data_dir: Path) -> dict[str, hier.Hierarchy]:
    folder = data_dir / "adult_arx"
    return {q: hier.from_arx_csv(folder / f"adult_hierarchy_{q}.csv", q) for q in ADULT_QIS}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Heavy privacy tests (marked ``slow``) run with ``-m slow`` or ``KODEKS_RUN_SLOW=1``."""
    if "slow" in (config.getoption("-m") or "") or os.environ.get("KODEKS_RUN_SLOW") == "1":
        return
    here = Path(__file__).resolve().parent
    skip = pytest.mark.skip(reason="slow: run with -m slow or KODEKS_RUN_SLOW=1")
    for item in items:
        if "slow" in item.keywords and here in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)
