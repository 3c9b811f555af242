"""The composition root: settings in, a ready registry (database migrated, formats loaded) out.

The search index, the catalog store and the local store (and the import listeners that write to
them) are imported on first use, so a command that only reads (``kodeks show``) starts without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from kodeks.config import Settings
from kodeks.formats.registry import Registry
from kodeks.storage.engine import make_engine, migrate
from kodeks.storage.read_model import ModelUnitOfWorkFactory, ReadModels
from kodeks.storage.unit_of_work import SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from kodeks.services.catalog_ports import CatalogStore, CatalogStoreOpener
    from kodeks.services.importing import ImportReport, Listener
    from kodeks.services.landscape.codebank_ports import CodeBankStore, CodeBankStoreOpener
    from kodeks.services.landscape.ports import LandscapeStore, LandscapeStoreOpener
    from kodeks.services.models.ports import ModelFormats, ModelStore, ModelStoreOpener
    from kodeks.services.ports import UnitOfWork
    from kodeks.services.search_ports import SearchIndex, SearchIndexOpener


def open_search_index(uow: UnitOfWork) -> SearchIndex:
    from kodeks.storage.search_index import open_search_index as open_index

    return open_index(uow)


def open_catalog_store(uow: UnitOfWork) -> CatalogStore:
    from kodeks.storage.catalog_store import open_catalog_store as open_catalog

    return open_catalog(uow)


def open_landscape_store(uow: UnitOfWork) -> LandscapeStore:
    from kodeks.storage.landscape import open_landscape_store as open_landscape

    return open_landscape(uow)


def open_codebank_store(uow: UnitOfWork) -> CodeBankStore:
    from kodeks.storage.landscape_codebank import open_codebank_store as open_bank

    return open_bank(uow)


def open_model_store(uow: UnitOfWork) -> ModelStore:
    from kodeks.storage.models import open_model_store as open_models

    return open_models(uow)


def model_formats() -> ModelFormats:
    from kodeks.formats.models_registry import ModelFormatRegistry

    return ModelFormatRegistry()


def index_on_import(uow: UnitOfWork, report: ImportReport) -> None:
    """Keep the catalog and the search index in step with every import."""
    from kodeks.services.search_indexing import import_listener

    import_listener(open_search_index, open_catalog_store)(uow, report)


def announce_on_import(uow: UnitOfWork, report: ImportReport) -> None:
    """Queue the webhook events of every import (and of every published change set)."""
    from kodeks.services.local.webhooks import import_listener
    from kodeks.storage.local import open_local_store

    import_listener(open_local_store)(uow, report)


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
    landscape: LandscapeStoreOpener = open_landscape_store
    codebank: CodeBankStoreOpener = open_codebank_store
    models: ModelStoreOpener = open_model_store


def build(settings: Settings, *, engine: Engine | None = None) -> Kodeks:
    engine = engine or make_engine(settings.database_url)
    migrate(engine)
    return Kodeks(
        settings,
        engine,
        ModelUnitOfWorkFactory(engine, ReadModels(engine, max_facts=settings.read_model_max_facts)),
        Registry(),
        listeners=(index_on_import, announce_on_import),
    )
