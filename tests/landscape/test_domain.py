"""The landscape's pure rules: task references, uses, overlaps, places, codecs."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.domain.landscape.codec import solution_from_dict, solution_to_dict, status_from
from kodeks.domain.landscape.model import (
    Contract,
    Scope,
    Solution,
    Status,
    TaskRef,
    TaskScheme,
    Use,
    slug,
    task_ref,
)
from kodeks.domain.landscape.places import municipality_code
from kodeks.domain.landscape.rules import overlaps, same_uses, status_on
from kodeks.domain.landscape.tasks import serves
from kodeks.domain.period import Period

D = date


def use(start: date | None, end: date | None, status: Status = Status.ADOPTED, town: str = "751") -> Use:
    return Use("sbsys", town, status, Period(start, end))


def test_task_references_parse_kle_and_form() -> None:
    assert task_ref("27.24.00") == TaskRef(TaskScheme.KLE, "27.24.00")
    assert task_ref("FORM 65.50.05") == TaskRef(TaskScheme.FORM, "65.50.05")
    assert str(task_ref("kle 27.24")) == "KLE 27.24"
    with pytest.raises(ValueError, match="not a KLE code"):
        task_ref("27.2x")


def test_periods_that_meet_do_not_overlap_and_shared_days_do() -> None:
    assert overlaps([use(D(2020, 1, 1), D(2021, 1, 1)), use(D(2021, 1, 1), None)]) == []
    found = overlaps([use(D(2020, 1, 1), D(2021, 1, 2)), use(D(2021, 1, 1), None, Status.PHASED_OUT)])
    assert len(found) == 1 and "overlaps" in str(found[0])
    # an open start overlaps everything before the other's end; other municipalities never clash
    assert len(overlaps([use(None, D(2020, 1, 1)), use(D(2019, 6, 1), D(2019, 7, 1))])) == 1
    assert overlaps([use(None, None), use(None, None, town="101")]) == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), min_size=1, max_size=6))
def test_overlap_finder_agrees_with_checking_every_pair(spans: list[tuple[int, int]]) -> None:
    uses = [
        use(D(2000 + a // 10, 1 + a % 10, 1), D(2000 + (a + n) // 10, 1 + (a + n) % 10, 1)) for a, n in spans
    ]
    pairwise = any(
        uses[i].valid.intersect(uses[j].valid) is not None
        for i in range(len(uses))
        for j in range(i + 1, len(uses))
    )
    assert bool(overlaps(uses)) == pairwise


def test_status_on_a_day_is_half_open() -> None:
    uses = [use(D(2020, 1, 1), D(2021, 1, 1), Status.PLANNED), use(D(2021, 1, 1), None)]
    assert status_on(uses, D(2020, 12, 31)) is Status.PLANNED
    assert status_on(uses, D(2021, 1, 1)) is Status.ADOPTED
    assert status_on(uses, D(2019, 12, 31)) is None
    with pytest.raises(ValueError, match="empty period"):
        use(D(2021, 1, 1), D(2021, 1, 1))


def test_same_uses_ignores_order() -> None:
    a, b = use(D(2020, 1, 1), D(2021, 1, 1)), use(D(2021, 1, 1), None)
    assert same_uses([a, b], [b, a]) and not same_uses([a], [b])


def test_municipalities_by_code_komkode_name_and_iri() -> None:
    assert municipality_code("751") == municipality_code("0751") == "751"
    assert municipality_code("Aarhus Kommune") == "751"
    assert municipality_code("https://api.dataforsyningen.dk/kommuner/0101") == "101"
    assert municipality_code("999") is None and municipality_code("Kommune x") is None


def test_group_references_serve_their_emner_and_back() -> None:
    assert serves("27.24", "27.24.00") and serves("27.24.00", "27.24")
    assert not serves("27.2", "27.24.00") and not serves("27.24.00", "27.25.00")


def test_solution_codec_round_trips_and_refuses_bad_fields() -> None:
    s = Solution(
        "sbsys",
        "SBSYS",
        Scope.CROSS,
        category="ESDH",
        purposes=(task_ref("85.02.10"),),
        contracts=(Contract("K-1", "Fujitsu", end=D(2026, 6, 30)),),
        predecessor="acadre",
    )
    assert solution_from_dict(solution_to_dict(s)) == s
    with pytest.raises(ValueError, match="not one of common"):
        solution_from_dict({**solution_to_dict(s), "scope": "global"})
    with pytest.raises(ValueError, match="not a date"):
        solution_from_dict({**solution_to_dict(s), "in_use_from": "2020-13-01"})
    with pytest.raises(ValueError, match="own predecessor"):
        Solution("x", "X", predecessor="x")
    with pytest.raises(ValueError, match="not a solution id"):
        Solution("X Y", "X")
    assert status_from("i drift") is Status.ADOPTED and status_from("retired") is Status.PHASED_OUT
    assert slug("Kommunernes Ydelsessystem (KY)") == "kommunernes-ydelsessystem-ky"
