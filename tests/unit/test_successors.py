"""Proposed successor links between expired and added codes."""

from __future__ import annotations

from kodeks.domain.item import Item, Keyword
from kodeks.domain.successors import propose, title_similarity


def item(code: str, title: str, level: int = 3, keywords: tuple[str, ...] = ()) -> Item:
    return Item(code, {"da": title}, level=level, keywords=tuple(Keyword(k) for k in keywords))


def test_the_same_title_elsewhere_is_proposed_with_its_reason() -> None:
    [p] = propose(
        [item("27.24.20", "Netværkssamråd")], [item("34.15.61", "Netværkssamråd"), item("34.15.62", "Andet")]
    )
    assert (p.old, p.new, p.score, p.reasons) == ("27.24.20", "34.15.61", 1.0, ("same title",))


def test_spacing_around_slashes_and_case_do_not_count() -> None:
    assert (
        title_similarity(
            "Familievejlederordning/familievejledning", "familievejlederordning / familievejledning"
        )
        == 1.0
    )


def test_generic_words_make_no_match() -> None:
    assert (
        propose(
            [item("04.05.00", "Hundetoiletter i almindelighed")],
            [item("23.30.00", "Delegation i almindelighed")],
        )
        == []
    )


def test_a_title_contained_in_a_longer_one_is_close() -> None:
    [p] = propose(
        [item("27.24.03", "Børnefaglig undersøgelse")],
        [item("34.10.10", "Screening, afdækning og børnefaglig undersøgelse")],
    )
    assert p.new == "34.10.10" and p.reasons[0].startswith("close title")


def test_shared_keywords_count_and_levels_must_agree() -> None:
    old = item("1.1", "Gammel", keywords=("a", "b", "c"))
    new = item("2.1", "Ny", keywords=("a", "b", "c", "d"))
    [p] = propose([old], [new])
    assert p.reasons[-1] == "shared keywords (0.75)"
    assert propose([old], [item("2.1", "Ny", level=2, keywords=("a", "b", "c"))]) == []


def test_near_ties_are_all_offered() -> None:
    found = propose([item("1", "Plejefamilier")], [item("2", "Plejefamilier"), item("3", "Plejefamilier")])
    assert [p.new for p in found] == ["2", "3"]
