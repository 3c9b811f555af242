"""The lean read path (``api.fast_reads``) answers exactly as the application does, or lets it answer.

Each look-up is asked twice: as a client asks it, and with a cookie (which the lean path always
leaves to the application). Status, headers and body must be the same bytes; the lean path must
have answered every 200 it may answer, and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.api.app import KodeksAPI, create_app
from kodeks.api.fast_reads import FastReads
from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.services import exporting
from kodeks.services.governance import classifications
from kodeks.services.governance.identity import local_actor
from kodeks.services.queries import When
from tests.factories import item, memory_registry, record, tree_bundle
from tests.governance.world import World, gov_of

BASE = "/api/v1/classifications/tree/items"
CODES = ["10", "10.01", "10.01.00", "10.01.05", "10.01.07", "20", "20.02", "20.02.01", "99"]
QUERIES = ["", "?at=2011-06-01", "?at=2012-01-01"]
NOW = re.compile(rb'"known_at":"[^"]*"')
ODD_QUERIES = [
    "?at=2015-9-1",
    "?at=2015-02-30",
    "?at=",
    "?at=2015-09-01&at=2016-01-01",
    "?at=2015-09-01&known_at=2000-01-01T00:00:00",
    "?known_at=2100-01-01T00:00:00",
    "?at=%32015-09-01",
    "?at=2015-09-01T00:00",
    "?at=" + "9" * 5000,
    "?AT=2015-09-01",
]


def fast_reads(app: KodeksAPI) -> FastReads:
    assert app.lean is not None
    return app.lean


def asked_both_ways(client: TestClient, url: str) -> tuple[Any, Any]:
    return client.get(url), client.get(url, headers={"Cookie": "x=1"})


def answer(response: Any) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body and headers, but for the instant an error reports (``known_at``: now, asked twice)."""
    return response.status_code, NOW.sub(b"", response.content), list(response.headers.items())


def same(fast: Any, slow: Any) -> None:
    assert answer(fast) == answer(slow)


@pytest.fixture
def app(registry: Kodeks) -> Iterator[tuple[TestClient, FastReads]]:
    application = create_app(registry)
    with TestClient(application, raise_server_exceptions=False) as client:
        client.get(f"{BASE}/10?at=2015-09-01", headers={"Cookie": "x=1"})  # the application builds the model
        yield client, fast_reads(application)


def test_item_children_and_descendants_are_the_applications_answers(
    app: tuple[TestClient, FastReads],
) -> None:
    client, fast = app
    oks = 0
    for code in CODES:
        for tail in ("", "/children", "/descendants"):
            for query in QUERIES:
                before = fast.answered
                answer, application = asked_both_ways(client, f"{BASE}/{code}{tail}{query}")
                same(answer, application)
                assert fast.answered - before == (1 if answer.status_code == 200 else 0)
                oks += answer.status_code == 200
    assert oks > 40 and fast.answered == oks  # and it served none of the cookie requests


def test_odd_queries_and_paths_are_left_to_the_application(app: tuple[TestClient, FastReads]) -> None:
    client, fast = app
    for url in [
        *(f"{BASE}/10.01{q}" for q in ODD_QUERIES),
        f"{BASE}/10.01/history",
        f"{BASE}/10.01/children/x",
        f"{BASE}//children",
        "/api/v1/classifications/nope/items/10",
        "/api/v1/classifications/tree/items",
        f"{BASE}/{'9' * 3000}",
    ]:
        answer, application = asked_both_ways(client, url)
        same(answer, application)
    assert fast.answered == 0
    with_token = client.get(f"{BASE}/10", headers={"Authorization": "Bearer nonsense"})
    assert with_token.status_code == 200 and fast.answered == 0  # credentials: the application decides
    assert client.head(f"{BASE}/10").status_code in (200, 405) and fast.answered == 0
    oversized = client.get(f"{BASE}/10", headers={"X-Filler": "x" * 70_000})
    assert oversized.status_code == 431 and oversized.json()["error"]["code"] == "headers_too_large"
    assert fast.answered == 0


def test_a_registration_is_seen_by_the_next_lean_read(
    app: tuple[TestClient, FastReads], registry: Kodeks
) -> None:
    client, fast = app
    assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Undervisning"
    renamed = [i for i in tree_bundle().items if i.code != "10.01"]
    record(
        registry,
        tree_bundle(date(2016, 1, 1), items=[*renamed, item("10.01", "Ny", "10", start=date(1988, 1, 1))]),
    )
    assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Ny"  # the application: model rebuilt
    before = fast.answered
    assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Ny"
    assert fast.answered == before + 1


def test_a_commit_by_another_process_on_a_sqlite_file_is_seen_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    here = build(Settings(database_url=url, read_cache_seconds=0))
    elsewhere = build(Settings(database_url=url))  # its own engine and read models: another process
    record(elsewhere, tree_bundle())
    application = create_app(here)
    with TestClient(application) as client:
        client.get(f"{BASE}/10.01", headers={"Cookie": "x=1"})
        fast = fast_reads(application)
        assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Undervisning"
        assert fast.answered == 1 and fast.watch.queries == 1
        for _ in range(3):
            client.get(f"{BASE}/10.01")
        assert fast.watch.queries == 1  # no commit: no generation query
        kept = [i for i in tree_bundle().items if i.code != "10.01"]
        record(
            elsewhere,
            tree_bundle(date(2016, 1, 1), items=[*kept, item("10.01", "Ny", "10", start=date(1988, 1, 1))]),
        )
        assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Ny"
        assert fast.watch.queries == 2
    here.engine.dispose()
    elsewhere.engine.dispose()


def test_a_classification_whose_public_read_is_turned_off_is_left_to_the_guard(world: World) -> None:
    application = create_app(world.kodeks)
    url = "/api/v1/classifications/own-plan/items/01.01?at=2021-01-01"
    with TestClient(application, raise_server_exceptions=False) as client:
        client.get(url, headers={"Cookie": "x=1"})
        fast = fast_reads(application)
        assert client.get(url).status_code == 200 and fast.answered == 1
        gov = gov_of(world.kodeks)
        owner = local_actor(gov, "boss-751")
        etag = classifications.governed(gov, owner, "own-plan").etag
        classifications.update_policy(gov, owner, "own-plan", etag, {"public_read": False})
        assert client.get(url).status_code == 401
        assert fast.answered == 1


def test_without_read_models_nothing_is_answered_here() -> None:
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    small = build(Settings(database_url="sqlite://", read_model_max_facts=0), engine=kodeks.engine)
    application = create_app(small)
    with TestClient(application) as client:
        assert client.get(f"{BASE}/10").status_code == 200
        assert client.get(f"{BASE}/10").status_code == 200
        assert fast_reads(application).answered == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.sampled_from(CODES), day=st.dates(date(1985, 1, 1), date(2030, 12, 31)))
def test_any_day_any_code_alike(app: tuple[TestClient, FastReads], code: str, day: date) -> None:
    client, _fast = app
    for tail in ("", "/children", "/descendants"):
        lean, full = asked_both_ways(client, f"{BASE}/{code}{tail}?at={day.isoformat()}")
        assert answer(lean) == answer(full), (code, tail, day)


def test_served_the_model_is_built_before_the_first_read_and_again_after_a_registration(
    tmp_path: Path,
) -> None:
    """``kodeks serve`` (``create_app(warm=True)``): built in the background at start, and again
    once another process's registration is seen; meanwhile the application reads the database."""
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    here = build(Settings(database_url=url, read_cache_seconds=-1))
    elsewhere = build(Settings(database_url=url))
    record(elsewhere, tree_bundle())
    application = create_app(here, warm=True)
    models = here.uow.models  # type: ignore[attr-defined]
    assert models.warmer is not None and models.warmer.wait(60)
    with TestClient(application) as client:
        fast = fast_reads(application)
        assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Undervisning"
        assert fast.answered == 1 and models.builds == 1  # the very first read: from the model
        kept = [i for i in tree_bundle().items if i.code != "10.01"]
        record(
            elsewhere,
            tree_bundle(date(2016, 1, 1), items=[*kept, item("10.01", "Ny", "10", start=date(1988, 1, 1))]),
        )
        assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Ny"  # never stale
        assert models.warmer.wait(60) and models.builds == 2
        assert client.get(f"{BASE}/10.01").json()["titles"]["da"] == "Ny"
        assert fast.answered == 2
    models.warmer.close()
    here.engine.dispose()
    elsewhere.engine.dispose()


@pytest.fixture(scope="module")
def kle_app(real_kle: Kodeks) -> Iterator[tuple[TestClient, list[str]]]:
    """The application on real KLE (all three releases), its model built, and the codes that have
    had children at some time."""
    application = create_app(real_kle)
    with real_kle.uow() as uow:
        facts = uow.facts_known_at("kle", datetime(2100, 1, 1))
    parents = sorted({p for f in facts for p in f.item.parents})
    with TestClient(application, raise_server_exceptions=False) as client:
        client.get("/api/v1/classifications/kle/items/27?at=2015-01-01", headers={"Cookie": "x=1"})
        client.get("/api/v1/classifications/kle/items/27?at=2015-01-01")
        yield client, parents


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), day=st.dates(date(1987, 1, 1), date(2027, 12, 31)))
def test_real_kle_children_and_descendants_served_once_per_span_are_the_applications(
    kle_app: tuple[TestClient, list[str]], data: st.DataObject, day: date
) -> None:
    """A list of children or descendants is serialized once per span of days in which it cannot
    change; asked on any day, it is what the application answers on that day."""
    client, parents = kle_app
    code = data.draw(st.sampled_from(parents))
    for tail in ("/children", "/descendants"):
        for asked in (day, data.draw(st.dates(date(1987, 1, 1), date(2027, 12, 31)))):
            url = f"/api/v1/classifications/kle/items/{code}{tail}?at={asked.isoformat()}"
            lean, full = asked_both_ways(client, url)
            assert answer(lean) == answer(full), (code, tail, asked)


def test_real_kle_exports_at_dates_are_written_once_per_span_and_right_on_every_day(
    kle_app: tuple[TestClient, list[str]], real_kle: Kodeks
) -> None:
    """Exports over HTTP keep what they wrote per span of days (the read model's memo): each day's
    answer is still what is written for that day (2013-03-01 and 2013-03-02 share a span with high
    likelihood; 2026-06-01 is after the last release)."""
    client, _ = kle_app
    for fmt in ("json", "csv"):
        for day in (date(2013, 3, 1), date(2013, 3, 2), date(2026, 6, 1), date(2013, 3, 1)):
            served = client.get(f"/api/v1/classifications/kle/export?format={fmt}&at={day.isoformat()}")
            direct = exporting.export(real_kle.uow, real_kle.formats, "kle", fmt, When.of(day))
            assert served.status_code == 200 and served.content == direct.content, (fmt, day)
