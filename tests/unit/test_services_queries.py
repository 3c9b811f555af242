"""Reads at ``at`` and ``known_at``, and exports, against the in-memory unit of work."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kodeks.domain.changes import Move, MoveKind
from kodeks.domain.period import Period
from kodeks.domain.release import ReleaseKind
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services import exporting, queries
from kodeks.services.importing import import_data
from kodeks.services.queries import When
from tests.unit.fakes import FakeUnitOfWorkFactory, SteppingClock, catalog_for, make_bundle, make_item

D = date.fromisoformat
T0 = datetime(2024, 1, 1, 12, 0)


@pytest.fixture
def plan() -> tuple[FakeUnitOfWorkFactory, SteppingClock]:
    """A tiny invented plan with a history (00.10.00 moved to 15.40.00 on 2014-11-01), then a 2023 snapshot.

    Real KLE is tested in tests/integration/test_kle_registry.py; this is only its shape.
    """
    uow, clock = FakeUnitOfWorkFactory(), SteppingClock(T0)
    history = make_bundle(
        make_item("00", "Kommunens styrelse"),
        make_item("15", "Sociale"),
        make_item("00.10", "Gruppe", parent="00"),
        make_item("15.40", "Gruppe", parent="15"),
        make_item("00.10.00", "Gammelt emne", parent="00.10", end=D("2014-11-01"), replaced_by=("15.40.00",)),
        make_item("15.40.00", "Nyt emne", parent="15.40", start=D("2014-11-01")),
        make_item("00.10.2", "Emne 2", parent="00.10"),
        make_item("00.10.10", "Emne 10", parent="00.10"),
        cid="plan",
        day=D("2015-08-01"),
        label="2015",
        kind=ReleaseKind.HISTORY,
    )
    import_data(uow, catalog_for(history), b"", "plan.fake", clock=clock)
    clock.advance(days=30)
    snapshot = make_bundle(
        make_item("00", "Kommunens styrelse"),
        make_item("15", "Sociale"),
        make_item("00.10", "Gruppe", parent="00"),
        make_item("15.40", "Gruppe", parent="15"),
        make_item("15.40.00", "Nyt navn", parent="15.40"),
        make_item("00.10.2", "Emne 2", parent="00.10"),
        cid="plan",
        day=D("2023-01-01"),
        label="2023",
    )
    import_data(uow, catalog_for(snapshot), b"", "os2mo.fake", clock=clock)
    return uow, clock


def codes(items: list) -> list[str]:  # type: ignore[type-arg]
    return [i.code for i in items]


def test_items_at_a_date_in_natural_order(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    assert codes(queries.items(uow, "plan", When(D("2012-05-01"), T0.replace(year=2030)))) == [
        "00",
        "00.10",
        "00.10.00",
        "00.10.2",
        "00.10.10",
        "15",
        "15.40",
    ]
    assert codes(queries.items(uow, "plan", When(D("2024-01-01"), T0.replace(year=2030)), level=3)) == [
        "00.10.2",
        "15.40.00",
    ]


def test_known_at_sees_only_what_was_recorded(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    before_2023 = When(D("2024-01-01"), T0)
    assert "00.10.10" in codes(queries.items(uow, "plan", before_2023))
    assert queries.item(uow, "plan", "15.40.00", before_2023).item.title() == "Nyt emne"
    now = When(D("2024-01-01"), datetime(2030, 1, 1))
    assert "00.10.10" not in codes(queries.items(uow, "plan", now))
    assert queries.item(uow, "plan", "15.40.00", now).item.title() == "Nyt navn"
    with pytest.raises(NotFound, match="no classification 'plan'"):
        queries.items(uow, "plan", When(D("2024-01-01"), datetime(2023, 1, 1)))


def test_an_expired_item_tells_where_it_went(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    view = queries.item(uow, "plan", "00.10.00", When(D("2012-05-01"), datetime(2030, 1, 1)))
    assert view.item.valid == Period(None, D("2014-11-01"))
    assert view.successors_now == ("15.40.00",)
    with pytest.raises(
        NotFound,
        match=r"plan 00\.10\.00 is not valid on 2020-01-01; it was valid \[-∞, 2014-11-01\); "
        r"replaced by 15\.40\.00 \(Nyt emne\)",
    ) as refused:
        queries.item(uow, "plan", "00.10.00", When(D("2020-01-01"), datetime(2030, 1, 1)))
    assert refused.value.details["successors"] == [{"code": "15.40.00", "title": "Nyt emne"}]
    with pytest.raises(NotFound, match="plan has no code '99'"):
        queries.item(uow, "plan", "99", When(D("2020-01-01"), datetime(2030, 1, 1)))


def test_children_and_descendants(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    when = When(D("2012-05-01"), datetime(2030, 1, 1))
    assert codes(queries.children(uow, "plan", "00.10", when)) == ["00.10.00", "00.10.2", "00.10.10"]
    assert codes(queries.descendants(uow, "plan", "00", when)) == ["00.10", "00.10.00", "00.10.2", "00.10.10"]
    assert queries.item(uow, "plan", "00.10", when).children == 3
    with pytest.raises(NotFound):
        queries.children(uow, "plan", "15.40.00", when)
    with pytest.raises(NotFound):
        queries.descendants(uow, "plan", "15.40.00", when)


def test_changes_between_dates(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    cs = queries.changes(uow, "plan", D("2014-01-01"), D("2015-01-01"), known_at=datetime(2030, 1, 1))
    assert cs.moved == (Move("00.10.00", "15.40.00", MoveKind.REPLACED),)
    cs = queries.changes(uow, "plan", D("2022-01-01"), D("2023-06-01"), known_at=datetime(2030, 1, 1))
    assert codes(list(cs.expired)) == ["00.10.10"]
    assert [(r.code, r.new_title) for r in cs.renamed] == [("15.40.00", "Nyt navn")]
    with pytest.raises(InvalidRequest, match="before 'from'"):
        queries.changes(uow, "plan", D("2015-01-01"), D("2014-01-01"))


def test_versions_and_levels(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    versions = queries.versions(uow, "plan", datetime(2030, 1, 1))
    assert [(v.label, v.valid, v.kind) for v in versions] == [
        ("2015", Period(D("2015-08-01"), D("2023-01-01")), "history"),
        ("2023", Period(D("2023-01-01"), None), "snapshot"),
    ]
    assert [v.label for v in queries.versions(uow, "plan", T0)] == ["2015"]
    assert queries.levels(uow, "plan", When(D("2024-01-01"), datetime(2030, 1, 1)))[0].number == 1
    assert queries.levels(uow, "plan", When(D("2024-01-01"), datetime(2000, 1, 1))) == ()


def test_history_lists_every_record(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, clock = plan
    records = queries.history(uow, "plan", "15.40.00", datetime(2030, 1, 1))
    assert [(r.item.title(), r.period, r.recorded_from, r.recorded_to) for r in records] == [
        ("Nyt emne", Period(D("2014-11-01"), None), T0, clock.now),
        ("Nyt emne", Period(D("2014-11-01"), D("2023-01-01")), clock.now, None),
        ("Nyt navn", Period(D("2023-01-01"), None), clock.now, None),
    ]
    # The lifespan of the code is one: the rename in 2023 is a new version, not a new validity.
    assert {r.item.valid for r in records} == {Period(D("2014-11-01"), None)}
    with pytest.raises(NotFound):
        queries.history(uow, "plan", "99")


def test_classifications(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    assert [c.id for c in queries.list_classifications(uow)] == ["plan"]
    assert queries.list_classifications(uow, datetime(2000, 1, 1)) == []
    assert queries.get_classification(uow, "plan").title() == "PLAN"
    with pytest.raises(NotFound, match="no classification 'nope'"):
        queries.get_classification(uow, "nope")


def test_when_defaults_to_today_and_now() -> None:
    when = When.of()
    assert when.at == when.known_at.date()
    assert When.of(D("2020-01-01")).at == D("2020-01-01")


def test_export_at_a_date(plan: tuple[FakeUnitOfWorkFactory, SteppingClock]) -> None:
    uow, _ = plan
    catalog = catalog_for()
    when = When(D("2012-05-01"), datetime(2030, 1, 1))
    exported = exporting.export(uow, catalog, "plan", "repr", when)
    assert exported.content.decode().splitlines()[:3] == [
        "00\tKommunens styrelse",
        "00.10\tGruppe",
        "00.10.00\tGammelt emne",
    ]
    assert (exported.media_type, exported.filename) == ("text/plain", "plan-2012-05-01.txt")
    export_set = exporting.export_set(uow, "plan", when)
    assert [v.label for v in export_set.versions] == ["2015"]
    assert export_set.at == D("2012-05-01")
    with pytest.raises(InvalidRequest, match="unknown export format 'nope'; choose one of: repr"):
        exporting.export(uow, catalog, "plan", "nope", when)


def test_imports_in_any_order_end_in_the_same_state() -> None:
    bundles = [
        make_bundle(make_item("A", f"title {n}"), make_item(f"only{n}"), day=D(f"20{10 + n}-01-01"))
        for n in range(3)
    ]
    states = []
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        uow = FakeUnitOfWorkFactory()
        for n in order:
            import_data(uow, catalog_for(bundles[n]), b"", "x.fake")
        facts = queries.changes(uow, "test", D("2000-01-01"), D("2000-01-01"))  # smoke: reads work
        assert facts.counts["added"] == 0
        states.append(
            sorted(
                (r.fact.item.code, r.fact.item.title(), r.fact.period.start)
                for r in uow.store.rows
                if r.recorded_to is None
            )
        )
    assert states[0] == states[1] == states[2]
    assert ("A", "title 2", D("2012-01-01")) in states[0]
