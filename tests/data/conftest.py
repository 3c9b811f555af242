"""Fixtures of the data part: the shared real KLE registry, as a database file a command can open,
and its valid-time table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.services.data.tables import valid_time_table


@pytest.fixture(scope="session")
def kle_table(real_kle: Kodeks) -> ValidTimeTable:
    return valid_time_table(real_kle.uow, "kle")


@pytest.fixture(scope="session")
def kle_db(real_kle: Kodeks, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the shared real KLE registry in a file (SQLite's backup), for ``--db``."""
    target = tmp_path_factory.mktemp("kle") / "kle.sqlite"
    raw = real_kle.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        with sqlite3.connect(target) as copy:
            source.backup(copy)
    finally:
        raw.close()
    return f"sqlite:///{Path(target)}"
