"""Fixtures of the landscape tests: one registry with real KLE (the 2015 XML, with its history of
moves) per session, its landscape tables emptied after each test that writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

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


@pytest.fixture(scope="session")
def tokens(kle_registry: Kodeks) -> dict[str, str]:
    """Bearer secrets: ``admin`` (an administrator of KL), ``aarhus`` (a user of municipality 751),
    ``kl`` (a user of KL, not an administrator)."""
    from kodeks.domain.governance.identity import Organisation, OrgKind, User, system_actor
    from kodeks.services.governance import identity
    from kodeks.storage.governance import open_governance

    gov = open_governance(kle_registry.engine, kle_registry.settings, kle_registry.listeners)
    setup = system_actor("setup")
    identity.create_organisation(gov, setup, Organisation("kl", "KL", OrgKind.ASSOCIATION))
    identity.create_organisation(gov, setup, Organisation("751", "Aarhus Kommune", OrgKind.MUNICIPALITY))
    out: dict[str, str] = {}
    for name, org, admin in (("admin", "kl", True), ("aarhus", "751", False), ("kl", "kl", False)):
        identity.create_user(gov, setup, User(name, org, name.title(), admin=admin))
        out[name] = identity.issue_token(gov, setup, name, "test").secret
    return out


@pytest.fixture
def landscape(kle_registry: Kodeks) -> Iterator[Kodeks]:
    """The KLE registry with empty landscape tables (emptied again afterwards)."""
    from sqlalchemy import delete

    from kodeks.storage import landscape_tables as tables

    def empty() -> None:
        with kle_registry.engine.begin() as conn:
            for table in reversed(tables.landscape_metadata.sorted_tables):
                conn.execute(delete(table))

    empty()
    yield kle_registry
    empty()


@pytest.fixture(scope="session")
def app_client(kle_registry: Kodeks) -> Iterator[TestClient]:
    """One app for the session (an app's first request costs about half a second)."""
    from kodeks.api.app import create_app

    with TestClient(create_app(kle_registry), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def client(landscape: Kodeks, app_client: TestClient) -> TestClient:
    """The session's app over empty landscape tables."""
    return app_client
