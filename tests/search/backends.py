"""Fresh, migrated registries on SQLite and PostgreSQL for the catalog and search tests.

PostgreSQL runs when ``KODEKS_TEST_POSTGRES_URL`` names a server (``scripts/test`` starts one); each
registry gets its own schema, dropped afterwards. Without it the PostgreSQL cases skip (in CI they fail).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.release import Bundle
from kodeks.services import importing
from tests.factories import FakeCatalog
from tests.postgres import schema_url

TOKEN = "catalog-test-token-" + "x" * 24
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


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
    with schema_url("s") as url:
        kodeks = build(Settings(database_url=url, environment="test", api_tokens=(TOKEN,)))
        try:
            yield kodeks
        finally:
            kodeks.engine.dispose()


def load(kodeks: Kodeks, *bundles: Bundle) -> list[importing.ImportReport]:
    """Import prepared bundles with the registry's listeners (so catalog and index follow)."""
    return importing.import_data(
        kodeks.uow, FakeCatalog(bundles), b"fake", "tree.fake", listeners=kodeks.listeners
    )
