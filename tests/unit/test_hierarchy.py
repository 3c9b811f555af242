"""Structural rules of a release: unique codes over overlapping validity, known parents, no cycles."""

from __future__ import annotations

from datetime import date

import pytest

from kodeks.domain.hierarchy import check_items
from kodeks.domain.item import Item
from kodeks.domain.period import Period

D = date.fromisoformat


def item(code: str, parent: str | None = None, start: str | None = None, end: str | None = None) -> Item:
    return Item(
        code, {"da": code}, parent=parent, valid=Period(D(start) if start else None, D(end) if end else None)
    )


def messages(items: list[Item], **kw: bool) -> list[str]:
    return [p.message for p in check_items(items, **kw)]


def test_a_clean_tree_has_no_problems() -> None:
    assert check_items([item("1"), item("1.1", "1"), item("1.1.1", "1.1"), item("2")]) == []
    assert check_items([]) == []


def test_duplicate_codes_with_overlapping_validity() -> None:
    problems = check_items([item("A", start="2000-01-01", end="2010-01-01"), item("A", start="2009-12-31")])
    assert [p.code for p in problems] == ["A"]
    assert "duplicate code 'A'" in problems[0].message
    assert "[2000-01-01, 2010-01-01)" in problems[0].message


def test_duplicate_codes_without_validity_overlap() -> None:
    assert [p.code for p in check_items([item("A"), item("A")])] == ["A"]
    assert len(check_items([item("A"), item("A", start="2020-01-01")])) == 1


def test_the_same_code_may_follow_itself_in_time() -> None:
    adjacent = [
        item("A", end="2010-01-01"),
        item("A", start="2010-01-01", end="2012-01-01"),
        item("A", start="2015-01-01"),
    ]
    assert check_items(adjacent) == []


def test_unknown_parent_unless_parents_may_be_external() -> None:
    items = [item("1.1", "1"), item("2")]
    assert messages(items) == ["code '1.1' has unknown parent '1'"]
    assert check_items(items, external_parents=True) == []


def test_an_item_cannot_be_its_own_parent() -> None:
    with pytest.raises(ValueError, match="its own parent"):
        Item("A", parent="A")


def test_a_two_node_cycle_is_reported_once() -> None:
    problems = check_items([item("A", "B"), item("B", "A")])
    assert len(problems) == 1
    assert problems[0].code == "A"
    assert problems[0].message == "cycle in hierarchy: A → B → A"


def test_a_cycle_reached_from_a_tail() -> None:
    problems = check_items([item("T", "C1"), item("C1", "C2"), item("C2", "C3"), item("C3", "C1"), item("X")])
    assert [p.code for p in problems] == ["C1"]
    assert problems[0].message.startswith("cycle in hierarchy: ")
    assert set(problems[0].message.removeprefix("cycle in hierarchy: ").split(" → ")) == {"C1", "C2", "C3"}


def test_two_separate_cycles() -> None:
    problems = check_items([item("A", "B"), item("B", "A"), item("X", "Y"), item("Y", "Z"), item("Z", "X")])
    assert sorted(p.code for p in problems) == ["A", "X"]


def chain(n: int) -> list[Item]:
    return [item(f"c{i}", f"c{i - 1}" if i else None) for i in range(n)]


def test_a_long_chain_is_fine_and_a_long_cycle_is_found() -> None:
    assert check_items(chain(300)) == []
    looped = [*chain(300)[1:], item("c0", "c299")]
    problems = check_items(looped)
    assert len(problems) == 1 and problems[0].code == "c0"
    assert problems[0].message.count("→") == 300


def test_a_deep_chain_is_checked_without_recursion_limits() -> None:
    # How the check's time grows with depth is measured in bench/hierarchy_check.py, not asserted here.
    assert check_items(chain(5000)) == []
