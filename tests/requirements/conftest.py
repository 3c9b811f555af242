from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from tests.requirements.world import World, build, clone


@pytest.fixture(scope="session")
def requirements_template() -> World:
    """The world, built once per session; tests work on clones."""
    return build()


@pytest.fixture
def world(requirements_template: World) -> World:
    return clone(requirements_template)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.kodeks), raise_server_exceptions=False) as c:
        yield c
