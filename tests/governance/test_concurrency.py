"""Concurrent writers on SQLite (a file) and PostgreSQL: a stale write is a 409, never a lost update."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kodeks.domain.governance.changeset import State
from kodeks.domain.item import Item
from kodeks.errors import Conflict
from kodeks.services.governance import changesets, drafts, publishing
from kodeks.services.governance.drafts import cs_etag
from kodeks.services.governance.identity import local_actor
from tests.governance.world import OWN, World, build_world, gov_of
from tests.postgres import schema_url


@pytest.fixture(params=["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "sqlite-file":
        world = build_world(database_url=f"sqlite:///{tmp_path / 'gov.sqlite'}")
        yield world
        world.kodeks.engine.dispose()
        return
    with schema_url("g") as url:
        world = build_world(database_url=url)
        yield world
        world.kodeks.engine.dispose()


def race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs at once (a barrier releases them together); each result or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = jobs[index]()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_writers_with_the_same_etag_one_wins_the_rest_get_409(shared: World) -> None:
    gov = gov_of(shared.kodeks)
    plan = shared.plans[OWN]
    writers = [local_actor(gov, name) for name in ("editor", "owner", "author-751", "boss-751")]
    jobs = [
        (
            lambda w=w, n=n: drafts.put_item(
                gov, w, plan.draft, "01", Item("01", {"da": f"by {n}"}, level=1), plan.draft_item_etag
            )
        )
        for n, w in enumerate(writers)
    ]
    results = race(jobs)
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 3
    assert all(isinstance(e, Conflict) for e in lost), lost
    with gov.uow() as uow:
        history = uow.governance.entry_history(plan.draft, "01")
    assert [e.revision for e in history] == [1, 2]
    assert history[-1].item is not None and history[-1].item.title() == won[0].item.title()


def test_two_publications_of_the_same_code_one_wins_the_other_gets_409(shared: World) -> None:
    gov = gov_of(shared.kodeks)
    editor, reviewer = local_actor(gov, "editor"), local_actor(gov, "reviewer")
    approved: list[int] = []
    for title in ("first", "second"):
        cs = changesets.open_change_set(
            gov,
            editor,
            "own-plan",
            title=title,
            label=title,
            effective=date(2026, 1, 1),
        )
        assert cs.id is not None
        read = drafts.draft_item(gov, editor, cs.id, "01.01")
        drafts.put_item(
            gov, editor, cs.id, "01.01", Item("01.01", {"da": title}, level=2, parent="01"), read.etag
        )
        done = changesets.submit(gov, editor, cs.id, cs_etag(changesets.get(gov, editor, cs.id)[0]))
        done = changesets.approve(gov, reviewer, cs.id, cs_etag(done))
        approved.append(cs.id)
    with shared.kodeks.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM registration")).scalar_one()
    tags = {cs_id: cs_etag(changesets.get(gov, reviewer, cs_id)[0]) for cs_id in approved}
    results = race([lambda c=c: publishing.publish(gov, reviewer, c, tags[c], "race") for c in approved])
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], Conflict), results
    assert "01.01" in str(lost[0])
    with shared.kodeks.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM registration")).scalar_one() == before + 1
    states = {changesets.get(gov, reviewer, c)[0].state for c in approved}
    assert states == {State.PUBLISHED, State.APPROVED}


def test_history_tables_are_append_only_in_the_database(shared: World) -> None:
    for statement in ("UPDATE gov_audit SET actor = 'x'", "DELETE FROM gov_change_entry"):
        with shared.kodeks.engine.begin() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
