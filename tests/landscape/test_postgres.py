"""The landscape's storage on PostgreSQL (runs when KODEKS_TEST_POSTGRES_URL is set): bitemporal
uses, the solution cache over JSON read as text, boundaries, the code bank."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.codec import entry_from_dict
from kodeks.domain.landscape.model import Contract, Scope, Solution, Status, Use, task_ref
from kodeks.domain.period import Period
from kodeks.services.landscape import codebank, maps, queries
from kodeks.services.landscape.importing import import_bundle
from kodeks.services.queries import When
from tests.search.backends import registry_on


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.postgres
def test_the_landscape_on_postgresql() -> None:
    with registry_on("postgres") as kodeks:
        ky = Solution(
            "ky",
            "KY",
            Scope.COMMON,
            supplier="KOMBIT",
            purposes=(task_ref("32.18.00"),),
            contracts=(Contract("KY-1", "KOMBIT", end=date(2026, 1, 1)),),
        )
        clock = Clock(datetime(2021, 1, 1))
        first = LandscapeBundle("a", "t", [ky], [Use("ky", "751", Status.ADOPTED, Period(date(2020, 1, 1)))])
        report = import_bundle(kodeks.uow, kodeks.landscape, first, clock=clock)
        assert report.solutions_added == 1 and any("not checked" in n for n in report.notes)
        clock.now = datetime(2023, 1, 1)
        later = LandscapeBundle(
            "b", "t", [], [Use("ky", "751", Status.ADOPTED, Period(date(2020, 1, 1), date(2022, 1, 1)))]
        )
        import_bundle(kodeks.uow, kodeks.landscape, later, clock=clock)
        then = queries.usage(kodeks.uow, kodeks.landscape, When.of(date(2022, 6, 1), datetime(2022, 1, 1)))
        now = queries.usage(kodeks.uow, kodeks.landscape, When.of(date(2022, 6, 1)))
        assert [u.municipality for u in then] == ["751"] and now == []
        assert queries.list_solutions(kodeks.uow, kodeks.landscape, When.of())[0] == ky
        assert (
            queries.matrix(kodeks.uow, kodeks.landscape, When.of(date(2021, 1, 1))).cells[("751", "ky")]
            is Status.ADOPTED
        )
        maps.import_boundaries(kodeks.uow, kodeks.landscape, {"751": "M0,0 1,0 1,1Z"}, 10.0)
        maps.import_boundaries(
            kodeks.uow, kodeks.landscape, {"751": "M0,0 2,0 2,2Z", "101": "M0,0 1,1 0,1Z"}, 10.0
        )
        view = maps.map_view(kodeks.uow, kodeks.landscape, When.of(date(2021, 1, 1)), solution="ky")
        assert [(a.code, a.value) for a in view.areas] == [("101", "none"), ("751", "adopted")]
        entry = entry_from_dict(
            {
                "id": "x",
                "name": "X",
                "purpose": "p",
                "task": "27.24.00",
                "owner": "751",
                "input_data": "i",
                "licence": "MIT",
            }
        )
        codebank.publish(kodeks.uow, kodeks.codebank, kodeks.landscape, entry)
        made = codebank.offer(kodeks.uow, kodeks.codebank, "x", "offer", "751")
        assert codebank.register_interest(kodeks.uow, kodeks.codebank, made.id, "101").interested == (
            ("101", ""),
        )
