"""The in-process read model answers every as-of read exactly as the database does."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from kodeks.domain.period import Period
from kodeks.domain.timeline import Fact
from kodeks.storage.read_model import ClassificationModel, ModelUnitOfWork, ReadModels
from kodeks.storage.unit_of_work import SqlUnitOfWork
from tests.integration.conftest import PROPERTY_BACKENDS
from tests.integration.registry_kit import Databases, load
from tests.integration.test_bitemporal_props import CODES, PROBES, SETTINGS, release_lists
from tests.unit.fakes import SteppingClock, make_bundle, make_item


def reads(uow: SqlUnitOfWork, known_at: datetime) -> dict[str, object]:
    out: dict[str, object] = {"classification": uow.classification("test", known_at)}
    for day in PROBES:
        out[f"all {day}"] = sorted(uow.items_at("test", day, known_at), key=lambda i: i.code)
        for level in (1, 2, None):
            out[f"level {level} {day}"] = sorted(
                uow.items_at("test", day, known_at, level=level), key=lambda i: i.code
            )
        for code in CODES:
            out[f"code {code} {day}"] = uow.items_at("test", day, known_at, code=code)
            out[f"children {code} {day}"] = sorted(
                uow.items_at("test", day, known_at, parent=code), key=lambda i: i.code
            )
    out["facts"] = uow.facts_known_at("test", known_at)
    out["some facts"] = uow.facts_known_at("test", known_at, codes=["1", "2.1"])
    return out


@PROPERTY_BACKENDS
@SETTINGS
@given(releases=release_lists(), steps=st.lists(st.sampled_from([0, 1, 90]), min_size=4, max_size=4))
def test_the_read_model_and_the_database_answer_every_read_alike(
    databases: Databases, releases: list, steps: list[int]
) -> None:
    registry = databases.new()
    clock = SteppingClock(datetime(2024, 5, 1, 8, 0))
    models = ReadModels(registry.engine)
    known: list[datetime] = []
    for release, minutes in zip(releases, steps, strict=False):
        clock.advance(minutes=minutes)
        [report] = load(registry.uow, release, clock=clock)
        known.append(report.recorded_at)
        for when in [*known, datetime(2100, 1, 1)]:  # as known at each import, and now
            with SqlUnitOfWork(registry.engine) as plain, ModelUnitOfWork(registry.engine, models) as fast:
                assert reads(fast, when) == reads(plain, when)
    registry.engine.dispose()


def test_a_registration_in_another_process_is_seen_by_the_next_unit_of_work(databases: Databases) -> None:
    """Two processes: two ReadModels on one database. A new generation is visible at once."""
    registry = databases.new()
    load(registry.uow, make_bundle(make_item("1", "first")))
    here, there = ReadModels(registry.engine), ReadModels(registry.engine)
    now = datetime(2100, 1, 1)
    with ModelUnitOfWork(registry.engine, here) as uow:
        assert uow.items_at("test", date(2024, 1, 1), now, code="1")[0].title() == "first"
        assert here.builds == 1
        load(registry.uow, make_bundle(make_item("1", "second"), day=date(2021, 1, 1)))  # "there"
        # A reader keeps the generation it started with.
        assert uow.items_at("test", date(2024, 1, 1), now, code="1")[0].title() == "first"
    with ModelUnitOfWork(registry.engine, here) as uow:
        assert uow.items_at("test", date(2024, 1, 1), now, code="1")[0].title() == "second"
    with ModelUnitOfWork(registry.engine, there) as uow:
        assert uow.items_at("test", date(2024, 1, 1), now, code="1")[0].title() == "second"
    registry.engine.dispose()


def test_a_classification_beyond_the_budget_is_read_from_the_database(databases: Databases) -> None:
    registry = databases.new()
    load(registry.uow, make_bundle(*(make_item(str(n)) for n in range(20))))
    small = ReadModels(registry.engine, max_facts=5)
    with ModelUnitOfWork(registry.engine, small) as uow:
        assert len(uow.items_at("test", date(2024, 1, 1), datetime(2100, 1, 1))) == 20
    assert (small.builds, small.fallbacks, small.held_facts) == (0, 1, 0)
    registry.engine.dispose()


def test_an_empty_period_beside_a_fact_of_the_same_start_hides_nothing() -> None:
    """A same-day registration leaves a fact of an empty period; the database may list it after the
    fact that holds (PostgreSQL did, for KLE 06.04): the day's look-up must still find that one."""
    holds = Fact(make_item("1"), "r", Period(date(1988, 1, 1), date(1989, 1, 1)))
    empty = Fact(make_item("1"), "r", Period(date(1988, 1, 1), date(1988, 1, 1)))
    for facts in ([holds, empty], [empty, holds]):
        model = ClassificationModel.of(None, facts)
        assert model.fact_at("1", date(1988, 12, 4)) is holds
        assert model.facts_of(["1"]) == facts  # every fact still listed, as the database lists them
