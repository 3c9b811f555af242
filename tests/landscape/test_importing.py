"""Importing a landscape: validated against the registry's KLE, all or nothing, bitemporal."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.model import Scope, Solution, Status, Use, task_ref
from kodeks.domain.period import Period
from kodeks.errors import Forbidden, InvalidContent
from kodeks.formats import landscape as formats
from kodeks.services.landscape import queries
from kodeks.services.landscape.importing import import_bundle
from kodeks.services.queries import When
from tests.conftest import data_file

KY = Solution(
    "ky", "Kommunernes Ydelsessystem", Scope.COMMON, supplier="Netcompany", purposes=(task_ref("27.24.00"),)
)


def bundle(*uses: Use, solutions: tuple[Solution, ...] = (KY,)) -> LandscapeBundle:
    return LandscapeBundle("test", "test", list(solutions), list(uses))


def adopted(town: str, start: date, end: date | None = None, solution: str = "ky") -> Use:
    return Use(solution, town, Status.ADOPTED, Period(start, end))


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def run(kodeks: Kodeks, b: LandscapeBundle, clock: Clock | None = None, **kw: object):  # type: ignore[no-untyped-def]
    extra = {"clock": clock} if clock else {}
    return import_bundle(kodeks.uow, kodeks.landscape, b, **extra, **kw)  # type: ignore[arg-type]


def test_which_municipalities_used_a_solution_on_a_day_as_known_then(landscape: Kodeks) -> None:
    clock = Clock(datetime(2021, 6, 1))
    first = run(landscape, bundle(adopted("751", date(2020, 1, 1)), adopted("101", date(2022, 3, 1))), clock)
    assert (first.solutions_added, first.pairs_changed, first.municipalities) == (1, 2, 2)
    clock.now = datetime(2023, 1, 10)  # later we learn Aarhus stopped at the end of 2021
    second = run(landscape, bundle(adopted("751", date(2020, 1, 1), date(2022, 1, 1))), clock)
    assert (second.solutions_unchanged, second.pairs_changed) == (1, 1)

    def towns(at: date, known_at: datetime | None = None) -> list[str]:
        uses = queries.usage(landscape.uow, landscape.landscape, When.of(at, known_at), solution="ky")
        return sorted(u.municipality for u in uses)

    assert towns(date(2022, 1, 1), datetime(2022, 1, 1)) == ["751"]  # as we knew it then
    assert towns(date(2022, 1, 1)) == []  # as we know it now
    assert towns(date(2021, 12, 31)) == ["751"]  # the end day is not in the period
    assert towns(date(2022, 3, 1)) == ["101"]


def test_a_repeated_import_records_nothing(landscape: Kodeks) -> None:
    b = bundle(adopted("751", date(2020, 1, 1)))
    run(landscape, b)
    again = run(landscape, b)
    assert not again.changed and again.recorded_at is None and again.pairs_unchanged == 1


def test_a_bad_import_records_nothing_and_lists_every_problem(landscape: Kodeks) -> None:
    run(landscape, bundle(adopted("751", date(2020, 1, 1))))
    with landscape.uow() as uow:
        before = landscape.landscape(uow).last_recorded_at()
    bad = bundle(
        adopted("751", date(2020, 1, 1), date(2021, 1, 1)),
        adopted("751", date(2020, 6, 1)),  # overlaps the first
        adopted("998", date(2020, 1, 1)),  # no such municipality
        adopted("101", date(2020, 1, 1), solution="nowhere"),  # no such solution
        Use("ky", "147", Status.ADOPTED, Period(date(2020, 1, 1)), (task_ref("99.99.99"),)),  # never KLE
        solutions=(Solution("new", "New one"), KY),
    )
    with pytest.raises(InvalidContent) as caught:
        run(landscape, bad)
    problems = [p["message"] for p in caught.value.details["problems"]]
    assert any("periods overlap" in p for p in problems)
    assert any("'998' is not a Danish municipality code" in p for p in problems)
    assert any("no solution 'nowhere'" in p for p in problems)
    assert any("KLE 99.99.99 is not a KLE code" in p for p in problems)
    assert "nothing imported" in caught.value.message
    with landscape.uow() as uow:
        store = landscape.landscape(uow)
        assert store.last_recorded_at() == before
        assert store.solution("new", datetime(2100, 1, 1)) is None


def test_moved_and_expired_kle_codes_are_kept_and_flagged(landscape: Kodeks) -> None:
    """KLE 00.10.12 moved to 15.40.05 on 2014-11-01; 00.02.00 expired in 2000 without successor."""
    esdh = Solution("esdh", "ESDH", purposes=(task_ref("00.10.12"), task_ref("00.02.00")))
    report = run(landscape, bundle(adopted("751", date(2010, 1, 1), solution="esdh"), solutions=(esdh,)))
    assert report.flagged == [
        "KLE 00.02.00 has expired and nothing replaces it",
        "KLE 00.10.12 has moved: now 15.40.05",
    ]
    when = When.of(date(2015, 1, 1))
    view = queries.task(landscape.uow, landscape.landscape, "15.40.05", when)
    assert [s.solution.id for s in view.by_municipality["751"]] == ["esdh"]
    assert view.by_municipality["751"][0].resolution.state == "moved"
    coverage = queries.coverage(landscape.uow, landscape.landscape, "751", When.of(date(2012, 1, 1)))
    assert "00.10.12" in coverage.served  # still valid in 2012: served under its own code
    assert not any(code == "00.10.12" for code, _ in coverage.gaps)


def test_a_municipality_records_its_own_use_only(landscape: Kodeks) -> None:
    run(landscape, bundle(adopted("751", date(2020, 1, 1))))
    with pytest.raises(Forbidden, match="municipality 751 only"):
        run(landscape, bundle(adopted("101", date(2020, 1, 1)), solutions=()), only_municipality="751")
    report = run(landscape, bundle(adopted("751", date(2019, 1, 1)), solutions=()), only_municipality="751")
    assert report.pairs_changed == 1 and report.solutions_added == 0


def test_the_real_archives_example_imports(landscape: Kodeks) -> None:
    path = data_file("sysap/NationalArchivesExampleDataGraph.ttl")
    report = run(landscape, formats.read(path.read_bytes(), path.name))
    assert report.solutions_added == 1 and report.flagged == []
    assert any("FORM" not in n for n in report.notes) or report.notes == []
    [acadre] = queries.list_solutions(landscape.uow, landscape.landscape, When.of())
    assert acadre.name == "Acadre"


def test_queries_answer_the_architects_questions(landscape: Kodeks) -> None:
    sbsys = Solution(
        "sbsys", "SBSYS", Scope.CROSS, supplier="Fujitsu", category="ESDH", purposes=(task_ref("85.02.10"),)
    )
    acadre = Solution("acadre", "Acadre", supplier="Formpipe", category="ESDH", purposes=(task_ref("85.02"),))
    from kodeks.domain.landscape.model import Contract

    ky = Solution(
        "ky",
        "KY",
        Scope.COMMON,
        supplier="Netcompany",
        purposes=(task_ref("27.24.00"),),
        contracts=(Contract("KY-drift", "Netcompany", end=date(2024, 3, 31)),),
    )
    run(
        landscape,
        bundle(
            adopted("751", date(2020, 1, 1), solution="sbsys"),
            adopted("751", date(2018, 1, 1), solution="acadre"),
            adopted("101", date(2020, 1, 1), solution="ky"),
            adopted("461", date(2019, 1, 1), solution="ky"),
            solutions=(sbsys, acadre, ky),
        ),
    )
    when = When.of(date(2023, 6, 1))
    several = queries.several_systems(landscape.uow, landscape.landscape, when)
    assert [(s.municipality, s.task, s.solutions) for s in several] == [
        ("751", "85.02.10", ("acadre", "sbsys"))
    ]
    suppliers = queries.suppliers(landscape.uow, landscape.landscape, when)
    assert (suppliers[0].supplier, suppliers[0].municipalities, suppliers[0].uses) == ("Netcompany", 2, 2)
    ending = queries.contracts_ending(landscape.uow, landscape.landscape, when, within_days=365)
    assert [(r.solution.id, r.contract.id) for r in ending] == [("ky", "KY-drift")]
    gaps = queries.tasks_without_system(landscape.uow, landscape.landscape, when)
    codes = {c for c, _ in gaps}
    assert "27.24.00" not in codes and "85.02.10" not in codes and "85.02.05" not in codes  # acadre: group
    assert "00.01.00" in codes
    m = queries.matrix(landscape.uow, landscape.landscape, when, region="1082", sort="name")
    assert [s.id for s in m.solutions] == ["acadre", "ky", "sbsys"]
    assert m.cells[("751", "sbsys")] is Status.ADOPTED and ("101", "ky") not in m.cells  # 101: Hovedstaden
    assert all(t.region_code == "1082" for t in m.municipalities)
    known = When.of(date(2023, 6, 1), datetime.utcnow() - timedelta(days=1))
    assert queries.matrix(landscape.uow, landscape.landscape, known).total_solutions == 0


def test_a_kept_snapshot_never_hides_a_new_recording(landscape: Kodeks) -> None:
    run(landscape, bundle(adopted("751", date(2020, 1, 1))))
    when = When.of(date(2021, 1, 1))
    assert ("101", "ky") not in queries.matrix(landscape.uow, landscape.landscape, when).cells
    assert ("101", "ky") not in queries.matrix(
        landscape.uow, landscape.landscape, When.of(date(2021, 1, 1))
    ).cells
    run(landscape, bundle(adopted("101", date(2020, 6, 1))))
    assert ("101", "ky") in queries.matrix(
        landscape.uow, landscape.landscape, When.of(date(2021, 1, 1))
    ).cells
    earlier = When.of(date(2021, 1, 1), datetime.utcnow() - timedelta(days=1))  # before both: never kept
    assert queries.matrix(landscape.uow, landscape.landscape, earlier).cells == {}
