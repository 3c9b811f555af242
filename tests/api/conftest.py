from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from tests.factories import memory_registry, record, tree_bundle
from tests.governance.world import World, build_world
from tests.postgres import schema_url


@pytest.fixture
def registry() -> Kodeks:
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    return kodeks


@pytest.fixture
def client(registry: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(registry), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def world() -> World:
    """The governed world of ``tests.governance`` (users, roles, tokens), on its own database."""
    return build_world()


@pytest.fixture
def gov_client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.kodeks), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(params=["sqlite-file", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A SQLite file, or a schema of its own on the test PostgreSQL (required in CI)."""
    if request.param == "sqlite-file":
        yield f"sqlite:///{tmp_path / 'replicas.sqlite'}"
        return
    with schema_url("r") as url:
        yield url
