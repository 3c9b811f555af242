"""Fresh, migrated registries on SQLite and PostgreSQL for the catalog and search tests.

PostgreSQL runs when ``KODEKS_TEST_POSTGRES_URL`` names a server (``scripts/test`` starts one); each
registry gets its own schema, dropped afterwards. Without it the PostgreSQL cases skip (in CI they fail).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.release import Bundle
from kodeks.services import importing
from tests.factories import FakeCatalog

POSTGRES_URL = os.environ.get("KODEKS_TEST_POSTGRES_URL")
TOKEN = "catalog-test-token-" + "x" * 24
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def require_postgres() -> str:
    if not POSTGRES_URL:
        reason = "KODEKS_TEST_POSTGRES_URL is not set, so PostgreSQL is not tested (scripts/test starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test PostgreSQL: {reason}")
        pytest.skip(reason)
    return POSTGRES_URL


@contextmanager
def registry_on(backend: str, file: Path | None = None) -> Iterator[Kodeks]:
    """A new, empty, migrated registry on ``backend`` (``sqlite`` in memory, or in ``file`` when
    given; or ``postgres``)."""
    if backend == "sqlite":
        url = f"sqlite:///{file}" if file else "sqlite://"
        kodeks = build(Settings(database_url=url, environment="test", api_tokens=(TOKEN,)))
        yield kodeks
        kodeks.engine.dispose()
        return
    url = require_postgres()
    schema = f"s_{uuid.uuid4().hex[:16]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    kodeks = build(
        Settings(
            database_url=f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}",
            environment="test",
            api_tokens=(TOKEN,),
        )
    )
    try:
        yield kodeks
    finally:
        kodeks.engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def load(kodeks: Kodeks, *bundles: Bundle) -> list[importing.ImportReport]:
    """Import prepared bundles with the registry's listeners (so catalog and index follow)."""
    return importing.import_data(
        kodeks.uow, FakeCatalog(bundles), b"fake", "tree.fake", listeners=kodeks.listeners
    )
