from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from tests.factories import memory_registry, record, tree_bundle


@pytest.fixture
def registry() -> Kodeks:
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    return kodeks


@pytest.fixture
def client(registry: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(registry), raise_server_exceptions=False) as c:
        yield c
