from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from tests.governance.world import World, build_world, clone


@pytest.fixture(scope="session")
def template() -> World:
    """The governed world, built once per test session; tests work on clones of it."""
    return build_world()


@pytest.fixture
def world(template: World) -> World:
    return clone(template)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.kodeks), raise_server_exceptions=False) as c:
        yield c
