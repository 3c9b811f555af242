from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from tests.factories import memory_registry, record, tree_bundle
from tests.governance.world import World, build_world

POSTGRES_URL = os.environ.get("KODEKS_TEST_POSTGRES_URL")


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
    if not POSTGRES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must test PostgreSQL: KODEKS_TEST_POSTGRES_URL is not set")
        pytest.skip("KODEKS_TEST_POSTGRES_URL is not set (scripts/test starts a throwaway server)")
    schema = f"r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}{'&' if '?' in POSTGRES_URL else '?'}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
