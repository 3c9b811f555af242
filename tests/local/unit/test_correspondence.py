"""Correspondences: cardinality, inversion, duplicates and validation."""

from __future__ import annotations

from datetime import date

from kodeks.domain.local.correspondence import (
    Correspondence,
    Mapping,
    Side,
    cardinality,
    correspondence_problems,
    merge_duplicates,
    summary,
    valid_problem,
)
from kodeks.domain.period import Period

MAPPINGS = (
    Mapping("a", "1"),
    Mapping("b", "2"),
    Mapping("b", "3"),
    Mapping("c", "4", partial=True),
    Mapping("d", "4"),
    Mapping("e", None),
)


def corr() -> Correspondence:
    return Correspondence(
        "x-y",
        Side("x"),
        Side("y", "2008"),
        {"da": "X til Y"},
        valid=Period(date(2018, 7, 11), None),
        mappings=MAPPINGS,
    )


def test_cardinality_per_source_code() -> None:
    s = summary(MAPPINGS)
    assert s["cardinality 1:1"] == 1 and s["cardinality 1:n"] == 1 and s["cardinality n:1"] == 2
    assert s["cardinality 1:0"] == 1 and s["no_counterpart"] == 1 and s["partial"] == 1
    assert cardinality(["1", "4"], {"1": 1, "4": 2}) == "n:m"


def test_inverting_swaps_sides_and_drops_missing_counterparts() -> None:
    inv = corr().inverted("y-x")
    assert inv.source == Side("y", "2008") and inv.target == Side("x")
    assert {(m.source, m.target, m.partial) for m in inv.mappings} == {
        ("1", "a", False),
        ("2", "b", False),
        ("3", "b", False),
        ("4", "c", True),
        ("4", "d", False),
    }
    assert inv.inverted("x-y").mappings == tuple(m for m in MAPPINGS if m.target is not None)


def test_duplicates_are_merged() -> None:
    merged, dropped = merge_duplicates(
        [Mapping("a", "1"), Mapping("a", "1"), Mapping("a", None), Mapping("b", None)]
    )
    assert merged == [Mapping("a", "1"), Mapping("b", None)] and dropped == 2


def test_a_pair_listed_twice_with_two_notes_keeps_both() -> None:
    merged, dropped = merge_duplicates(
        [
            Mapping("1229", "1213", True, "Policy departments"),
            Mapping("1229", "1213", False, "Planning departments", target_title="Policy managers"),
            Mapping("1229", "1213", False, "Policy departments"),
        ]
    )
    assert dropped == 2
    assert merged == [
        Mapping("1229", "1213", True, "Policy departments | Planning departments", None, "Policy managers")
    ]


def test_problems_and_validity() -> None:
    assert correspondence_problems(corr()) == []
    bad = Correspondence("X Y", Side("x"), Side("y"), mappings=(Mapping("=cmd", "1"),))
    problems = correspondence_problems(bad)
    assert any("slug" in p for p in problems) and any("not a code" in p for p in problems)
    assert correspondence_problems(Correspondence("x", Side("x"), Side("y"))) == [
        "the correspondence has no mappings"
    ]
    assert valid_problem(corr(), date(2018, 7, 11)) is None
    assert "not on 2018-01-01" in (valid_problem(corr(), date(2018, 1, 1)) or "")
