"""Sortimenter: versions in force, entry checks, diffs and validation."""

from __future__ import annotations

from datetime import date

from kodeks.domain.local.sortiment import (
    Sortiment,
    SortimentEntry,
    Status,
    check_entry,
    diff,
    governing,
    sortiment_problems,
)
from tests.factories import as_facts, item


def sortiment(version: int = 1, valid_from: date = date(2020, 1, 1), *entries: SortimentEntry) -> Sortiment:
    return Sortiment("esdh", "751", version, valid_from, {"da": "ESDH"}, entries=entries)


def test_the_governing_version_is_the_highest_number_in_force() -> None:
    v1, v2, v3 = (
        sortiment(1, date(2020, 1, 1)),
        sortiment(2, date(2022, 1, 1)),
        sortiment(3, date(2021, 1, 1)),
    )
    assert governing([v1, v2, v3], date(2019, 1, 1)) is None
    assert governing([v1, v2, v3], date(2020, 6, 1)) is v1
    assert governing([v1, v2, v3], date(2021, 6, 1)) is v3
    assert governing([v1, v2, v3], date(2023, 1, 1)) is v3


def test_entry_status_on_a_date() -> None:
    e = SortimentEntry("tree", "10.01.05")
    facts = as_facts([item("10.01.05", start=date(1990, 1, 1), end=date(2012, 1, 1))])
    assert check_entry(e, facts, date(2000, 1, 1)).status is Status.VALID
    expired = check_entry(e, facts, date(2013, 1, 1), ("20.02.01",))
    assert expired.status is Status.EXPIRED and expired.successors == ("20.02.01",)
    assert check_entry(e, facts, date(1980, 1, 1)).status is Status.NOT_YET_VALID
    assert check_entry(e, [], date(2000, 1, 1)).status is Status.UNKNOWN_CODE
    assert check_entry(e, None, date(2000, 1, 1)).status is Status.UNKNOWN_CLASSIFICATION


def test_ordered_by_rank_then_as_listed() -> None:
    s = sortiment(
        1,
        date(2020, 1, 1),
        SortimentEntry("a", "3"),
        SortimentEntry("a", "2", rank=2),
        SortimentEntry("a", "1", rank=1),
        SortimentEntry("a", "4"),
    )
    assert [e.code for e in s.ordered()] == ["1", "2", "3", "4"]


def test_diff_between_versions() -> None:
    old = sortiment(1, date(2020, 1, 1), SortimentEntry("a", "1"), SortimentEntry("a", "2"))
    new = sortiment(2, date(2021, 1, 1), SortimentEntry("a", "2", label="To"), SortimentEntry("b", "9"))
    d = diff(old, new)
    assert [e.code for e in d.added] == ["9"] and [e.code for e in d.removed] == ["1"]
    assert [e.label for e in d.changed] == ["To"]


def test_problems() -> None:
    twice = sortiment(1, date(2020, 1, 1), SortimentEntry("a", "1"), SortimentEntry("a", "1"))
    assert any("twice" in p for p in sortiment_problems(twice))
    assert any(
        "not a code" in p
        for p in sortiment_problems(sortiment(1, date(2020, 1, 1), SortimentEntry("a", "=1+1")))
    )
    assert any(
        "classification" in p
        for p in sortiment_problems(sortiment(1, date(2020, 1, 1), SortimentEntry("A B", "1")))
    )
    assert any(
        "rank" in p
        for p in sortiment_problems(sortiment(1, date(2020, 1, 1), SortimentEntry("a", "1", rank=-1)))
    )
    assert sortiment_problems(sortiment(1, date(2020, 1, 1), SortimentEntry("a", "1", 1, "Et"))) == []
