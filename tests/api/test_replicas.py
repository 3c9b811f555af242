"""Two ``kodeks serve`` processes on one database (replicas behind any load balancer): a registration
made anywhere is seen by the next request in every replica — the read models never serve an older
generation. Runs on SQLite (one file) and, where a server is given, PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kodeks.bootstrap import build
from kodeks.config import Settings
from tests.api import live
from tests.factories import item, record, tree_bundle

POSTGRES_URL = os.environ.get("KODEKS_TEST_POSTGRES_URL")
ITEM = "/api/v1/classifications/tree/items/10.01"


def _serve(db: str, folder: Path) -> tuple[int, subprocess.Popen[bytes]]:
    # The response cache asks for the generation on every request.
    return live.start(folder, "--db", db, env={"KODEKS_READ_CACHE_SECONDS": "0"})


def _title(port: int, extra: dict[str, str] | None = None) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{ITEM}?at=2020-01-01", headers=extra or {})
    with urllib.request.urlopen(request, timeout=10) as r:
        return str(json.loads(r.read())["titles"]["da"])


@pytest.fixture(params=["sqlite-file", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
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


def test_a_registration_is_seen_by_the_next_request_in_every_replica(database: str, tmp_path: Path) -> None:
    kodeks = build(Settings(database_url=database, environment="test"))
    record(kodeks, tree_bundle())
    replicas = [_serve(database, tmp_path) for _ in range(2)]
    try:
        for port, _ in replicas:
            assert _title(port) == "Undervisning"  # each builds its read model
            assert _title(port) == "Undervisning"  # and answers from it (or its response cache)
        renamed = [item("10.01", "Undervisning og læring", "10", start=date(1988, 1, 1))]
        kept = [i for i in tree_bundle().items if i.code != "10.01"]
        record(kodeks, tree_bundle(date(2016, 1, 1), items=[*kept, *renamed]))  # a third process writes
        for port, _ in replicas:
            assert _title(port) == "Undervisning og læring"
            assert _title(port, {"Cache-Control": "no-cache"}) == "Undervisning og læring"
    finally:
        for _, process in replicas:
            process.terminate()
            process.wait(timeout=30)
        kodeks.engine.dispose()
