"""The SQL registry on SQLite and PostgreSQL: reads at/known_at, atomic imports, append-only rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.item import Item, Keyword, LegalReference
from kodeks.domain.period import Period
from kodeks.domain.release import ReleaseKind
from kodeks.domain.timeline import Fact
from kodeks.errors import InvalidContent, InvalidRequest
from kodeks.services import queries
from kodeks.services.queries import When
from kodeks.storage.engine import migrate
from kodeks.storage.tables import item_record, registration
from kodeks.storage.unit_of_work import SqlUnitOfWork
from tests.integration.registry_kit import Databases, dump, load
from tests.unit.fakes import SteppingClock, make_bundle, make_item

D = date.fromisoformat
LATER = datetime(2099, 1, 1)
TREE = (make_item("1"), make_item("1.1", parent="1"), make_item("1.2", parent="1"), make_item("2"))


def codes(items: Sequence[Item]) -> list[str]:
    return [i.code for i in items]


def test_import_then_read_at_and_known_at(registry: Kodeks) -> None:
    clock = SteppingClock()
    [first] = load(registry.uow, make_bundle(*TREE, label="2020"), clock=clock)
    clock.advance(hours=1)
    changed = (make_item("1", "renamed"), make_item("1.1", parent="1"), make_item("1.10", parent="1"))
    [second] = load(registry.uow, make_bundle(*changed, day=D("2022-01-01"), label="2022"), clock=clock)
    assert second.recorded_at == first.recorded_at + timedelta(hours=1)

    now = When(D("2023-01-01"), LATER)
    assert codes(queries.items(registry.uow, "test", now)) == ["1", "1.1", "1.10"]
    assert codes(queries.items(registry.uow, "test", When(D("2021-01-01"), LATER))) == [
        "1",
        "1.1",
        "1.2",
        "2",
    ]
    assert codes(queries.items(registry.uow, "test", When(D("2019-12-31"), LATER))) == []
    then = When(D("2023-01-01"), first.recorded_at)
    assert codes(queries.items(registry.uow, "test", then)) == ["1", "1.1", "1.2", "2"]
    assert queries.item(registry.uow, "test", "1", then).item.title() == "title 1"
    assert queries.item(registry.uow, "test", "1", now).item.title() == "renamed"
    assert queries.item(registry.uow, "test", "1", now).children == 2
    assert [v.label for v in queries.versions(registry.uow, "test", first.recorded_at)] == ["2020"]
    assert [v.label for v in queries.versions(registry.uow, "test", LATER)] == ["2020", "2022"]
    just_before = first.recorded_at - timedelta(microseconds=1)
    assert queries.list_classifications(registry.uow, just_before) == []
    cs = queries.changes(registry.uow, "test", D("2021-01-01"), D("2023-01-01"), known_at=LATER)
    assert cs.counts == {
        "added": 1,
        "expired": 2,
        "renamed": 0,
        "moved": 0,
        "reused": 1,
    }  # "title 1" → "renamed"


def test_every_item_field_survives_storage(registry: Kodeks) -> None:
    rich = Item(
        "ÆØÅ.1",
        {"da": "Æbleskiver & Ølkort", "en": "Pancakes"},
        level=2,
        parent="ÆØÅ",
        valid=Period(D("2001-02-03"), D("2031-12-31")),
        uuid=uuid.UUID(int=7),
        description="Vejledning\n2 linjer",
        notes=("a", "b"),
        alt_titles=(("da", "Alt"), ("en", "Other")),
        keywords=(Keyword("stikord", 3), Keyword("uden vægt")),
        replaced_by=("X", "Y"),
        legal_refs=(LegalReference("Lov om social service", "LBK nr 1 af 2020"),),
        properties={"bevaring": "B", "sletning": "5 år"},
    )
    top = Item("ÆØÅ", {"da": "Top"}, level=1, valid=Period(D("2001-02-03"), None))
    load(registry.uow, make_bundle(top, rich, day=D("1990-01-01"), kind=ReleaseKind.HISTORY))
    view = queries.item(registry.uow, "test", "ÆØÅ.1", When(D("2010-01-01"), LATER))
    assert view.item == rich


def test_a_rejected_bundle_leaves_the_database_unchanged(registry: Kodeks) -> None:
    load(registry.uow, make_bundle(*TREE))
    before = dump(registry.engine)
    cyclic = make_bundle(make_item("A", parent="B"), make_item("B", parent="A"), day=D("2021-01-01"))
    with pytest.raises(InvalidContent, match="cycle in hierarchy"):
        load(registry.uow, cyclic)
    assert dump(registry.engine) == before


class FailingUnitOfWork(SqlUnitOfWork):
    """Writes the facts, then fails: everything written in the transaction must be rolled back."""

    def insert_facts(
        self, classification_id: str, facts: Sequence[tuple[str, Fact]], recorded_at: datetime
    ) -> None:
        super().insert_facts(classification_id, facts, recorded_at)
        raise RuntimeError("disk full")


def fail_in_insert(registry: Kodeks, changed: Any) -> None:
    with pytest.raises(RuntimeError, match="disk full"):
        load(lambda: FailingUnitOfWork(registry.engine), changed)


def fail_in_listener(registry: Kodeks, changed: Any) -> None:
    def listener(uow: Any, report: Any) -> None:
        raise RuntimeError("search index down")

    with pytest.raises(RuntimeError, match="search index down"):
        load(registry.uow, changed, listeners=[listener])


def fail_in_second_bundle(registry: Kodeks, changed: Any) -> None:
    with pytest.raises(InvalidRequest, match="no release date"):
        load(registry.uow, changed, make_bundle(*TREE, cid="other", day=None))


@pytest.mark.parametrize("fail", [fail_in_insert, fail_in_listener, fail_in_second_bundle])
def test_a_failure_midway_leaves_the_database_byte_for_byte_unchanged(
    registry: Kodeks, fail: Callable[[Kodeks, Any], None]
) -> None:
    load(registry.uow, make_bundle(*TREE))
    before = dump(registry.engine)
    changed = make_bundle(make_item("1", "changed"), make_item("3"), cid="test", day=D("2021-01-01"))
    fail(registry, changed)
    assert dump(registry.engine) == before
    assert sum(len(rows) for rows in before.values()) > 10


def assert_only_grew(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> None:
    """Rows are never deleted; a row changes only by closing its recorded time."""
    for table, rows in before.items():
        now = {row.get("id", i): row for i, row in enumerate(after[table])}
        assert len(after[table]) >= len(rows), table
        for i, row in enumerate(rows):
            later = now[row.get("id", i)]
            if row != later:
                assert row.get("recorded_to") is None and later["recorded_to"] is not None, (
                    table,
                    row,
                    later,
                )
                assert {k: v for k, v in row.items() if k != "recorded_to"} == {
                    k: v for k, v in later.items() if k != "recorded_to"
                }, table


def test_nothing_is_ever_deleted(registry: Kodeks) -> None:
    clock = SteppingClock()
    releases = [
        make_bundle(*TREE, day=D("2020-01-01")),
        make_bundle(make_item("1", "renamed"), make_item("1.1", parent="1"), day=D("2021-01-01")),
        make_bundle(*TREE, day=D("2019-01-01"), kind=ReleaseKind.HISTORY),
        make_bundle(
            make_item("1.1", "only emner", parent="1"), day=D("2022-01-01"), levels_covered=frozenset({2})
        ),
        make_bundle(make_item("9"), day=D("2021-01-01")),
    ]
    previous = dump(registry.engine)
    for release in releases:
        clock.advance(minutes=1)
        load(registry.uow, release, clock=clock)
        current = dump(registry.engine)
        assert_only_grew(previous, current)
        previous = current
    closed = [r for r in previous["item_record"] if r["recorded_to"] is not None]
    assert closed, "the releases were meant to supersede some facts"
    assert all(r["recorded_from"] < r["recorded_to"] for r in closed)


def test_reimporting_a_release_adds_no_fact(registry: Kodeks) -> None:
    load(registry.uow, make_bundle(*TREE))
    facts = dump(registry.engine)["item_record"]
    [report] = load(registry.uow, make_bundle(*TREE))
    assert (report.inserted, report.closed) == (0, 0)
    assert dump(registry.engine)["item_record"] == facts


def current_state(registry: Kodeks) -> list[tuple[Any, ...]]:
    with registry.uow() as uow:
        facts = uow.facts_known_at("test", LATER)
    return sorted(
        (
            f.code,
            f.period.start or date.min,
            f.period.end or date.max,
            f.item.title(),
            f.item.parent,
            f.item.uuid,
        )
        for f in facts
    )


def test_out_of_order_imports_end_in_the_same_state(databases: Databases) -> None:
    releases = [
        make_bundle(
            *TREE, make_item("0.old", end=D("2015-01-01")), day=D("2016-01-01"), kind=ReleaseKind.HISTORY
        ),
        make_bundle(make_item("1", "v2018"), make_item("1.1", parent="1"), day=D("2018-01-01")),
        make_bundle(make_item("1", "v2020"), make_item("2"), day=D("2020-01-01")),
        make_bundle(make_item("2.1", "emne", parent="2"), day=D("2021-01-01"), levels_covered=frozenset({2})),
    ]
    states = []
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]):
        registry = databases.new()
        for n in order:
            load(registry.uow, releases[n])
        states.append(current_state(registry))
    assert states[0] == states[1] == states[2]
    assert ("2.1", D("2021-01-01"), date.max, "emne", "2") in [s[:5] for s in states[0]]


def test_recorded_time_strictly_increases_with_a_frozen_clock(registry: Kodeks) -> None:
    frozen = SteppingClock()
    reports = [load(registry.uow, make_bundle(make_item("1", f"v{n}")), clock=frozen)[0] for n in range(4)]
    times = [r.recorded_at for r in reports]
    assert times == sorted(set(times)) and times[0] == frozen.now
    assert times[-1] - times[0] == timedelta(microseconds=3)
    with registry.engine.connect() as conn:
        stored = list(conn.execute(select(registration.c.recorded_at).order_by(registration.c.id)).scalars())
    assert stored == times
    for n, t in enumerate(times):  # each microsecond apart instant reads back its own registration
        assert queries.item(registry.uow, "test", "1", When(D("2024-01-01"), t)).item.title() == f"v{n}"


def count_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(item_record)).scalar_one())


def test_migrations_run_twice_change_nothing(registry: Kodeks) -> None:
    load(registry.uow, make_bundle(*TREE))
    before = dump(registry.engine)
    migrate(registry.engine)
    again = build(Settings(database_url=str(registry.engine.url), environment="test"), engine=registry.engine)
    assert dump(again.engine) == before
    assert len(before["alembic_version"]) >= 1
    assert count_rows(registry.engine) == 4
