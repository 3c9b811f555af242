"""What changed between two dates: added, expired, renamed, moved (with successor chains)."""

from __future__ import annotations

from datetime import date

import pytest

from kodeks.domain.changes import Move, MoveKind, Rename, changes_between
from kodeks.domain.item import Item
from kodeks.domain.period import ALWAYS, Period
from kodeks.domain.timeline import Fact

D = date.fromisoformat


def item(
    code: str,
    title: str | None = None,
    *,
    parent: str | None = None,
    start: str | None = None,
    end: str | None = None,
    replaced_by: tuple[str, ...] = (),
) -> Item:
    valid = Period(D(start) if start else None, D(end) if end else None)
    return Item(code, {"da": title or code}, parent=parent, valid=valid, replaced_by=replaced_by)


def as_facts(items: list[Item]) -> list[Fact]:
    """One fact per item here: its period is its lifespan."""
    return [Fact(i, "r", i.valid) for i in items]


def test_added_and_expired() -> None:
    facts = [item("A"), item("OLD", end="2020-01-01"), item("NEW", start="2020-01-01")]
    cs = changes_between(as_facts(facts), D("2019-06-01"), D("2020-06-01"))
    assert [i.code for i in cs.added] == ["NEW"]
    assert [i.code for i in cs.expired] == ["OLD"]
    assert cs.renamed == () and cs.moved == ()
    assert cs.counts == {"added": 1, "expired": 1, "renamed": 0, "moved": 0, "reused": 0}
    assert (cs.from_date, cs.to_date) == (D("2019-06-01"), D("2020-06-01"))


def test_the_end_date_is_excluded_and_the_start_date_included() -> None:
    facts = [item("OLD", end="2020-01-01"), item("NEW", start="2020-01-01")]
    cs = changes_between(as_facts(facts), D("2019-12-31"), D("2020-01-01"))
    assert [i.code for i in cs.added] == ["NEW"] and [i.code for i in cs.expired] == ["OLD"]
    assert changes_between(as_facts(facts), D("2020-01-01"), D("2020-01-01")).counts == {
        "added": 0,
        "expired": 0,
        "renamed": 0,
        "moved": 0,
        "reused": 0,
    }


def test_renamed_in_the_asked_language() -> None:
    facts = [
        Item("A", {"da": "gammel", "en": "same"}, valid=Period(None, D("2020-01-01"))),
        Item("A", {"da": "ny", "en": "same"}, valid=Period(D("2020-01-01"), None)),
    ]
    assert changes_between(as_facts(facts), D("2019-01-01"), D("2021-01-01")).renamed == (
        Rename("A", "gammel", "ny"),
    )
    assert changes_between(as_facts(facts), D("2019-01-01"), D("2021-01-01"), lang="en").renamed == ()


def test_moved_kle_style_and_the_successor_is_not_also_added() -> None:
    facts = [
        item("00.10.00", end="2014-11-01", replaced_by=("15.40.00",)),
        item("15.40.00", start="2014-11-01"),
        item("99.99.99", start="2014-11-01"),
    ]
    cs = changes_between(as_facts(facts), D("2014-01-01"), D("2015-01-01"))
    assert cs.moved == (Move("00.10.00", "15.40.00", MoveKind.REPLACED),)
    assert [i.code for i in cs.added] == ["99.99.99"]
    assert cs.expired == ()


def test_a_move_to_several_successors() -> None:
    facts = [
        item("A", end="2020-01-01", replaced_by=("B", "C")),
        item("B", start="2020-01-01"),
        item("C", start="2020-01-01"),
    ]
    cs = changes_between(as_facts(facts), D("2019-01-01"), D("2021-01-01"))
    assert cs.moved == (Move("A", "B", MoveKind.REPLACED), Move("A", "C", MoveKind.REPLACED))
    assert cs.added == ()


def test_successor_chains_are_followed_to_what_is_valid_at_the_end() -> None:
    facts = [
        item("A", end="2010-01-01", replaced_by=("B",)),
        item("B", start="2010-01-01", end="2012-01-01", replaced_by=("C",)),
        item("C", start="2012-01-01"),
    ]
    cs = changes_between(as_facts(facts), D("2009-01-01"), D("2013-01-01"))
    assert cs.moved == (Move("A", "C", MoveKind.REPLACED),)
    assert cs.added == () and cs.expired == ()


def test_a_successor_that_is_gone_again_makes_an_expiry() -> None:
    facts = [item("A", end="2010-01-01", replaced_by=("B",)), item("B", start="2010-01-01", end="2011-01-01")]
    cs = changes_between(as_facts(facts), D("2009-01-01"), D("2013-01-01"))
    assert [i.code for i in cs.expired] == ["A"] and cs.moved == ()


def test_a_cycle_of_successors_ends() -> None:
    facts = [
        item("A", end="2010-01-01", replaced_by=("B",)),
        item("B", start="2010-01-01", end="2011-01-01", replaced_by=("A",)),
    ]
    cs = changes_between(as_facts(facts), D("2009-01-01"), D("2013-01-01"))
    assert [i.code for i in cs.expired] == ["A"]


def test_the_successor_links_of_the_last_fact_before_the_end_count() -> None:
    facts = [
        item("A", "v1", end="2005-01-01", replaced_by=("WRONG",)),
        item("A", "v2", start="2005-01-01", end="2010-01-01", replaced_by=("B",)),
        item("B", start="2010-01-01"),
        item("WRONG", start="2010-01-01"),
    ]
    cs = changes_between(as_facts(facts), D("2006-01-01"), D("2011-01-01"))
    assert cs.moved == (Move("A", "B", MoveKind.REPLACED),)
    assert [i.code for i in cs.added] == ["WRONG"]


def test_reparented() -> None:
    facts = [
        item("P1"),
        item("P2"),
        item("X", parent="P1", end="2020-01-01"),
        item("X", parent="P2", start="2020-01-01"),
    ]
    cs = changes_between(as_facts(facts), D("2019-01-01"), D("2021-01-01"))
    assert cs.moved == (Move("X", "X", MoveKind.REPARENTED),)
    assert cs.added == () and cs.expired == () and cs.renamed == ()


def test_nothing_changes_for_facts_valid_always() -> None:
    facts = [Item("A", valid=ALWAYS), Item("B", valid=ALWAYS, parent="A")]
    assert changes_between(as_facts(facts), date.min, date.max).counts == {
        "added": 0,
        "expired": 0,
        "renamed": 0,
        "moved": 0,
        "reused": 0,
    }


def test_to_before_from_is_an_error() -> None:
    with pytest.raises(ValueError, match="before 'from'"):
        changes_between([], D("2020-01-02"), D("2020-01-01"))


def test_a_code_that_now_names_something_else_is_reused_not_renamed() -> None:
    facts = [
        item("7", "Chemical engineers", end="2020-01-01"),
        item("7", "Dancers and choreographers", start="2020-01-01"),
        item("8", "Motor-cycle drivers", end="2020-01-01"),
        item("8", "Motorcycle drivers", start="2020-01-01"),
    ]
    cs = changes_between(as_facts(facts), D("2019-01-01"), D("2021-01-01"), lang="da")
    assert [r.code for r in cs.reused] == ["7"] and [r.code for r in cs.renamed] == ["8"]
    assert cs.counts["reused"] == 1
