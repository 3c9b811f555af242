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


@pytest.fixture(scope="session")
def seeded_template(requirements_template: World) -> World:
    """The world with the bundled requirements, their set and the screening questionnaire."""
    from kodeks.cli.requirements import seed
    from kodeks.cli.screening import seed as seed_questionnaire
    from kodeks.domain.governance.identity import system_actor

    made = clone(requirements_template)
    seed(made.ctx, system_actor("cli"))
    seed_questionnaire(made.screening)
    return made


@pytest.fixture
def seeded(seeded_template: World) -> World:
    return clone(seeded_template)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.kodeks), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def seeded_client(seeded: World) -> Iterator[TestClient]:
    with TestClient(create_app(seeded.kodeks), raise_server_exceptions=False) as c:
        yield c
