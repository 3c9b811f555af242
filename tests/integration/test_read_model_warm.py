"""Read models built in the background: after an import, no read waits for a build, and the
answers are the database's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.item import Item
from kodeks.storage.generation import generation
from kodeks.storage.read_model import ModelUnitOfWork, ReadModels
from kodeks.storage.read_model_warm import Warmer
from kodeks.storage.unit_of_work import SqlUnitOfWork
from tests.integration.registry_kit import Databases, load
from tests.integration.test_read_model import reads
from tests.unit.fakes import make_bundle, make_item

NOW = datetime(2100, 1, 1)
#: A background thread reads the database: a SQLite file or PostgreSQL (as ``kodeks serve`` does).
WARM_BACKENDS = pytest.mark.parametrize(
    "databases", ["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
def warm(databases: Databases) -> Iterator[tuple[Kodeks, Warmer]]:
    registry = databases.new()
    warmer = Warmer(registry.uow.models).start()  # type: ignore[attr-defined]
    yield registry, warmer
    warmer.close()
    assert warmer.wait(60)


def tree() -> list[Item]:
    return [make_item("1", "first"), make_item("1.1", "child", parent="1"), make_item("2", "other")]


@WARM_BACKENDS
def test_after_an_import_the_model_is_built_without_a_read(warm: tuple[Kodeks, Warmer]) -> None:
    registry, warmer = warm
    models: ReadModels = registry.uow.models  # type: ignore[attr-defined]
    load(registry.uow, make_bundle(*tree()))
    assert warmer.wait(60)
    now = generation(registry.engine)
    assert models.ready(now, "test") is not None and models.builds == 1  # before any read
    with SqlUnitOfWork(registry.engine) as plain, ModelUnitOfWork(registry.engine, models) as fast:
        assert reads(fast, NOW) == reads(plain, NOW)
    assert models.builds == 1  # the reads used the model built in the background


@WARM_BACKENDS
def test_a_registration_in_another_process_is_built_again_once_seen(
    warm: tuple[Kodeks, Warmer], databases: Databases
) -> None:
    registry, warmer = warm
    models: ReadModels = registry.uow.models  # type: ignore[attr-defined]
    load(registry.uow, make_bundle(*tree()))
    assert warmer.wait(60)
    elsewhere = ReadModels(registry.engine)  # another replica's models, without a warmer
    load(
        lambda: ModelUnitOfWork(registry.engine, elsewhere),
        make_bundle(make_item("1", "second"), day=date(2021, 1, 1)),
    )
    after = generation(registry.engine)
    assert models.ready(after, "test") is None  # seen now (as a request sees it): built in the background
    assert warmer.wait(60)
    model = models.ready(after, "test")
    assert model is not None and model.version("1", date(2024, 1, 1)).title() == "second"  # type: ignore[union-attr]


@WARM_BACKENDS
def test_a_read_that_finds_no_model_uses_the_database_and_asks_for_one(warm: tuple[Kodeks, Warmer]) -> None:
    registry, warmer = warm
    models: ReadModels = registry.uow.models  # type: ignore[attr-defined]
    warmer.close()
    assert warmer.wait(60)
    load(registry.uow, make_bundle(*tree()))
    assert models.builds == 0
    later = Warmer(models)  # turned on, but nothing asked yet
    models.warmer = later
    with SqlUnitOfWork(registry.engine) as plain, ModelUnitOfWork(registry.engine, models) as fast:
        assert reads(fast, NOW) == reads(plain, NOW)  # from the database: nothing built by the read
    assert later.wait(60) and models.builds == 1
    later.close()
