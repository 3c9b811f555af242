"""Registries per backend: ``shared`` (one per module, read only) and ``registry`` (fresh per test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from tests.factories import tree_bundle
from tests.search.backends import BACKENDS, load, registry_on


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def shared(backend: str) -> Iterator[Kodeks]:
    """The tree plan, indexed; tests must not write to it."""
    with registry_on(backend) as kodeks:
        load(kodeks, tree_bundle())
        yield kodeks


@pytest.fixture(scope="module")
def shared_client(shared: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(shared), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def registry(backend: str) -> Iterator[Kodeks]:
    with registry_on(backend) as kodeks:
        load(kodeks, tree_bundle())
        yield kodeks
