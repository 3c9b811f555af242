"""The read cache: repeated anonymous reads, never across a generation or to a caller with credentials."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.api.cache import ResponseCache
from tests.factories import item, memory_registry, record, tree_bundle


def counting_app() -> tuple[FastAPI, dict[str, int]]:
    calls = {"n": 0}
    app = FastAPI()

    @app.get("/api/v1/classifications/{cid}")
    def read(cid: str) -> dict[str, object]:
        calls["n"] += 1
        return {"cid": cid, "n": calls["n"]}

    @app.get("/other")
    def other() -> dict[str, int]:
        calls["n"] += 1
        return {"n": calls["n"]}

    return app, calls


def test_repeated_reads_are_served_from_the_cache_until_the_generation_moves() -> None:
    app, calls = counting_app()
    gen = {"v": 1}
    cached = ResponseCache(app, generation=lambda: gen["v"], check_every=0)
    client = TestClient(cached)
    first = client.get("/api/v1/classifications/a").json()
    assert client.get("/api/v1/classifications/a").json() == first
    assert calls["n"] == 1 and cached.hits == 1
    gen["v"] = 2
    assert client.get("/api/v1/classifications/a").json()["n"] == 2


def test_credentials_no_cache_and_other_paths_bypass_the_cache() -> None:
    app, calls = counting_app()
    client = TestClient(ResponseCache(app, generation=lambda: 1, check_every=60))
    client.get("/api/v1/classifications/a")
    client.get("/api/v1/classifications/a", headers={"Authorization": "Bearer x"})
    client.get("/api/v1/classifications/a", headers={"Cache-Control": "no-cache"})
    client.get("/other")
    client.get("/other")
    assert calls["n"] == 5


def test_query_and_accept_are_part_of_the_key() -> None:
    app, calls = counting_app()
    client = TestClient(ResponseCache(app, generation=lambda: 1, check_every=60))
    client.get("/api/v1/classifications/a?at=2012-01-01")
    client.get("/api/v1/classifications/a?at=2013-01-01")
    client.get("/api/v1/classifications/a?at=2013-01-01", headers={"Accept": "text/csv"})
    assert calls["n"] == 3


def test_an_import_is_visible_to_the_next_read_through_the_real_app() -> None:
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    client = TestClient(create_app(kodeks))
    assert client.get("/api/v1/classifications/tree/items/10").json()["titles"]["da"] == "Skole"
    record(kodeks, tree_bundle(date(2016, 1, 1), items=[item("10", "Ny", start=date(1988, 1, 1))]))
    assert client.get("/api/v1/classifications/tree/items/10").json()["titles"]["da"] == "Ny"
