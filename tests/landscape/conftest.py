"""Fixtures of the landscape tests: one registry with real KLE (the 2015 XML, with its history of
moves) per session, its landscape tables emptied after each test that writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import data_file

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks

KLE_2015 = "kle/kle_emneplan_2015-08-01.xml"


@pytest.fixture(scope="session")
def kle_registry() -> Iterator[Kodeks]:
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.services import importing
    from kodeks.services.ports import ImportOptions

    path = data_file(KLE_2015)
    kodeks = build(Settings(database_url="sqlite://", environment="test"))
    importing.import_data(
        kodeks.uow, kodeks.formats, path.read_bytes(), path.name, format="kle-xml", options=ImportOptions()
    )
    yield kodeks
    kodeks.engine.dispose()


@pytest.fixture
def landscape(kle_registry: Kodeks) -> Iterator[Kodeks]:
    """The KLE registry with empty landscape tables (emptied again afterwards)."""
    from sqlalchemy import delete

    from kodeks.storage.landscape_tables import landscape_solution, landscape_use

    def empty() -> None:
        with kle_registry.engine.begin() as conn:
            conn.execute(delete(landscape_use))
            conn.execute(delete(landscape_solution))

    empty()
    yield kle_registry
    empty()
