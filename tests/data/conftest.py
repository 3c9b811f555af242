"""Fixtures of the data part: the shared real KLE registry, as a database file a command can open,
and its valid-time table."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.services.data.tables import valid_time_table
from tests.built_once import file_copy


@pytest.fixture(scope="session")
def kle_table(real_kle: Kodeks) -> ValidTimeTable:
    return valid_time_table(real_kle.uow, "kle")


@pytest.fixture(scope="session")
def kle_db(real_kle_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the shared real KLE registry in a file of its own, for ``--db``."""
    return file_copy(real_kle_file, tmp_path_factory.mktemp("kle"))
