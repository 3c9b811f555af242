"""Storage fixtures: fresh, migrated registries on SQLite (file and in-memory) and PostgreSQL.

PostgreSQL runs when ``KODEKS_TEST_POSTGRES_URL`` names a server (``scripts/test`` starts one with
``scripts/pg``); each registry gets its own schema, dropped afterwards. Without the variable the
PostgreSQL cases skip, except in CI (``CI=true``), where they fail: CI must test PostgreSQL.
Imports go through a fake format catalog (``registry_kit``), so these tests need no real format.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kodeks.bootstrap import Kodeks
from tests.integration.registry_kit import POSTGRES_URL, Databases

BACKENDS = ["sqlite-file", "sqlite-memory", pytest.param("postgres", marks=pytest.mark.postgres)]
#: The property tests (many examples, each a fresh database) run on the two SQL dialects; a SQLite
#: file differs from memory in connections, not in what a query answers, and the other storage tests
#: cover it.
PROPERTY_BACKENDS = pytest.mark.parametrize(
    "databases", ["sqlite-memory", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture(params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    if request.param == "postgres" and not POSTGRES_URL:
        reason = (
            "KODEKS_TEST_POSTGRES_URL is not set, so PostgreSQL is not tested "
            "(scripts/test starts a throwaway server with scripts/pg)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test PostgreSQL: {reason}")
        pytest.skip(reason)
    dbs = Databases(request.param, tmp_path)
    yield dbs
    dbs.close()


@pytest.fixture
def registry(databases: Databases) -> Kodeks:
    return databases.new()
