"""Two ``kodeks serve`` processes on one database (replicas behind any load balancer): a registration
made anywhere is seen by the next request in every replica — the read models never serve an older
generation. Runs on SQLite (one file) and, where a server is given, PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from datetime import date
from pathlib import Path

from kodeks.bootstrap import build
from kodeks.config import Settings
from tests.api import live
from tests.factories import item, record, tree_bundle

ITEM = "/api/v1/classifications/tree/items/10.01"


def _serve(db: str, folder: Path) -> tuple[int, subprocess.Popen[bytes]]:
    # The response cache asks for the generation on every request.
    return live.start(folder, "--db", db, env={"KODEKS_READ_CACHE_SECONDS": "0"})


def _title(port: int, extra: dict[str, str] | None = None) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{ITEM}?at=2020-01-01", headers=extra or {})
    with urllib.request.urlopen(request, timeout=10) as r:
        return str(json.loads(r.read())["titles"]["da"])


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
