"""Shared helpers of the storage tests: fresh databases per backend, a fake format catalog, dumps.

A plain module (not ``conftest``) so test modules can import it by name.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, create_engine, inspect, select, text

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.release import Bundle
from kodeks.errors import UnknownFormat
from kodeks.services.importing import ImportReport, import_data
from kodeks.services.ports import Exporter, Importer, ImportOptions, UnitOfWorkFactory

POSTGRES_URL = os.environ.get("KODEKS_TEST_POSTGRES_URL")


class Databases:
    """Fresh, migrated registries of one backend; all removed by ``close``."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.made: list[Kodeks] = []
        self.schemas: list[str] = []

    def url(self) -> str:
        if self.backend == "sqlite-file":
            return f"sqlite:///{self.folder / f'kodeks-{len(self.made)}.sqlite'}"
        if self.backend == "sqlite-memory":
            return "sqlite://"
        assert POSTGRES_URL is not None
        schema = f"t_{uuid.uuid4().hex[:16]}"
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        self.schemas.append(schema)
        return f"{POSTGRES_URL}{'&' if '?' in POSTGRES_URL else '?'}options=-csearch_path%3D{schema}"

    def new(self) -> Kodeks:
        registry = build(Settings(database_url=self.url(), environment="test"))
        self.made.append(registry)
        return registry

    def close(self) -> None:
        for registry in self.made:
            registry.engine.dispose()
        if self.schemas and POSTGRES_URL:
            admin = create_engine(POSTGRES_URL)
            with admin.begin() as conn:
                for schema in self.schemas:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


# -- a format catalog that hands over prepared bundles --------------------------------------------


class BundleImporter:
    name = "fake"
    description = "hands over prepared bundles"
    extensions = (".fake",)

    def __init__(self, bundles: list[Bundle]) -> None:
        self.bundles = bundles

    def sniff(self, head: bytes, filename: str) -> int:
        return 100

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        return list(self.bundles)


class BundleCatalog:
    def __init__(self, bundles: list[Bundle]) -> None:
        self.bundles = bundles

    def detect(self, head: bytes, filename: str) -> Importer:
        return BundleImporter(self.bundles)

    def importer(self, name: str) -> Importer:
        return BundleImporter(self.bundles)

    def exporter(self, name: str) -> Exporter:
        raise UnknownFormat(f"no exporter {name!r} in tests")

    def exporter_names(self) -> list[str]:
        return []


def load(
    uow: UnitOfWorkFactory, *bundles: Bundle, clock: Callable[[], datetime] | None = None, **kw: Any
) -> list[ImportReport]:
    """Import ``bundles`` as one file through the real import service."""
    if clock is not None:
        kw["clock"] = clock
    return import_data(uow, BundleCatalog(list(bundles)), b"prepared", "prepared.fake", **kw)


def dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in a stable order: equal dumps mean an unchanged database."""
    out: dict[str, list[dict[str, Any]]] = {}
    meta = MetaData()
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            table = Table(name, meta, autoload_with=conn)
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [dict(row._mapping) for row in conn.execute(select(table).order_by(*order))]
    return out
