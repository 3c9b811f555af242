"""The composition root: settings in, a ready registry (database migrated, formats loaded) out."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from kodeks.config import Settings
from kodeks.formats.registry import Registry
from kodeks.services.importing import Listener
from kodeks.storage.engine import make_engine, migrate
from kodeks.storage.unit_of_work import SqlUnitOfWorkFactory


@dataclass(frozen=True)
class Kodeks:
    """Everything an adapter needs. ``listeners`` run inside every import's transaction."""

    settings: Settings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    formats: Registry
    listeners: tuple[Listener, ...] = field(default=())


def build(settings: Settings, *, engine: Engine | None = None) -> Kodeks:
    engine = engine or make_engine(settings.database_url)
    migrate(engine)
    return Kodeks(settings, engine, SqlUnitOfWorkFactory(engine), Registry())
