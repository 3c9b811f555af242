"""The composition root: settings in, a ready registry (database migrated, formats loaded) out."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from kodeks.config import Settings
from kodeks.formats.registry import Registry
from kodeks.services.catalog_ports import CatalogStoreOpener
from kodeks.services.importing import Listener
from kodeks.services.local.webhooks import import_listener as webhook_listener
from kodeks.services.search_indexing import import_listener
from kodeks.services.search_ports import SearchIndexOpener
from kodeks.storage.catalog_store import open_catalog_store
from kodeks.storage.engine import make_engine, migrate
from kodeks.storage.local import open_local_store
from kodeks.storage.read_model import ModelUnitOfWorkFactory, ReadModels
from kodeks.storage.search_index import open_search_index
from kodeks.storage.unit_of_work import SqlUnitOfWorkFactory


@dataclass(frozen=True)
class Kodeks:
    """Everything an adapter needs. ``listeners`` run inside every import's transaction.

    ``search_index`` and ``catalog`` open the search index and the catalog store inside a unit of work
    (``kodeks.services.search`` and ``kodeks.services.catalog`` take them as arguments).
    """

    settings: Settings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    formats: Registry
    listeners: tuple[Listener, ...] = field(default=())
    search_index: SearchIndexOpener = open_search_index
    catalog: CatalogStoreOpener = open_catalog_store


def build(settings: Settings, *, engine: Engine | None = None) -> Kodeks:
    engine = engine or make_engine(settings.database_url)
    migrate(engine)
    return Kodeks(
        settings,
        engine,
        ModelUnitOfWorkFactory(engine, ReadModels(engine, max_facts=settings.read_model_max_facts)),
        Registry(),
        listeners=(
            import_listener(open_search_index, open_catalog_store),
            webhook_listener(open_local_store),
        ),
    )
