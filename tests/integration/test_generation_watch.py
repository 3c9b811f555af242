"""The generation watch: never older than the request that asks, and cheap when nothing changed."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine

from kodeks.storage.generation import Generation, generation
from kodeks.storage.generation_watch import GenerationWatch
from tests.factories import item, record, tree_bundle
from tests.integration.registry_kit import Databases, load
from tests.unit.fakes import make_bundle, make_item


def test_a_request_never_shares_a_query_that_started_before_it_arrived() -> None:
    """A query under way reads the registry as it was when it started; a request that arrives while
    it runs (after a commit) must get the next query's answer, not this one's."""
    committed = {"version": 0}

    def read() -> Generation:
        seen = committed["version"]  # the snapshot is taken when the query starts
        time.sleep(0.05)
        return (seen, 0, 0, None, None)

    engine = create_engine("sqlite://")
    watch = GenerationWatch(engine, read)

    async def scenario() -> tuple[list[Generation], Generation]:
        early = [asyncio.ensure_future(watch.current()) for _ in range(5)]
        await asyncio.sleep(0.01)  # the first query is running
        committed["version"] = 1
        late = [asyncio.ensure_future(watch.current()) for _ in range(20)]
        results = await asyncio.gather(*early, *late)
        return list(results), await watch.current()

    results, after = asyncio.run(scenario())
    # The first request's query started before the commit; every other request (the four that
    # arrived while it was running, too) waits for the next query, which started after it.
    assert results[0][0] == 0
    assert {r[0] for r in results[1:]} == {1}
    assert after[0] == 1
    assert watch.queries == 3  # 25 requests, two shared queries, and one for the last call
    engine.dispose()


def test_a_failed_query_fails_its_requests_and_the_next_request_asks_again() -> None:
    calls = {"n": 0}

    def read() -> Generation:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("database went away")
        return (7, 0, 0, None, None)

    watch = GenerationWatch(create_engine("sqlite://"), read)

    async def scenario() -> tuple[BaseException | Generation, Generation]:
        first = (await asyncio.gather(watch.current(), return_exceptions=True))[0]
        return first, await watch.current()

    first, second = asyncio.run(scenario())
    assert isinstance(first, OSError) and second[0] == 7


def test_on_a_sqlite_file_a_commit_elsewhere_is_seen_and_nothing_else_queries(tmp_path: Path) -> None:
    from kodeks.bootstrap import build
    from kodeks.config import Settings

    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    here, there = build(Settings(database_url=url)), build(Settings(database_url=url))
    watch = GenerationWatch(here.engine)
    record(there, tree_bundle())
    first = asyncio.run(watch.current())
    assert first == generation(here.engine) and watch.queries == 1
    for _ in range(5):
        assert asyncio.run(watch.current()) == first
    assert watch.queries == 1
    record(there, tree_bundle(date(2016, 1, 1), items=[item("10", "Ny", start=date(1988, 1, 1))]))
    moved = asyncio.run(watch.current())
    assert moved == generation(here.engine) and moved != first and watch.queries == 2
    here.engine.dispose()
    there.engine.dispose()


def test_every_database_a_registration_is_seen_by_the_next_call(databases: Databases) -> None:
    """SQLite file (data_version), SQLite in memory (a query in a thread), PostgreSQL (psycopg on the
    event loop): the watch answers what ``generation`` answers, before and after a registration."""
    registry = databases.new()
    load(registry.uow, make_bundle(make_item("1", "first")))
    watch = GenerationWatch(registry.engine)

    async def twice() -> tuple[Generation, Generation]:
        return await watch.current(), await watch.current()

    first, again = asyncio.run(twice())
    assert first == again == generation(registry.engine)
    load(registry.uow, make_bundle(make_item("1", "second"), day=date(2021, 1, 1)))
    after, _ = asyncio.run(twice())
    assert after == generation(registry.engine) and after != first
    registry.engine.dispose()
