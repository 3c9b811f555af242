"""Proposed successor links between expired and added codes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.domain.item import Item, Keyword
from kodeks.domain.successors import keyword_overlap, propose, title_similarity


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


# The pruned search in ``propose`` must answer exactly as weighing every pair in full does.
_WORDS = ["børn", "unge", "pleje", "familie", "og", "i", "almindelighed", "sag", "tilsyn", "hjælp"]
_titles = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=5).map(" ".join)
_items = st.builds(
    item,
    code=st.text("0123456789.", min_size=1, max_size=6),
    title=_titles,
    level=st.integers(1, 2),
    keywords=st.lists(st.sampled_from(_WORDS), max_size=4).map(tuple),
)


def naive_propose(expired: list[Item], added: list[Item], threshold: float) -> list[tuple[str, str, float]]:
    out: list[tuple[str, str, float]] = []
    for old in expired:
        scored = []
        for new in added:
            if new.level != old.level:
                continue
            score = max(title_similarity(old.title("da"), new.title("da")), keyword_overlap(old, new))
            if score > 0 and round(score, 3) >= threshold:
                scored.append((old.code, new.code, round(score, 3)))
        if scored:
            best = max(s for *_, s in scored)
            out.extend(sorted((p for p in scored if p[2] >= best - 0.05), key=lambda p: (-p[2], p[1])))
    return out


@settings(max_examples=80, deadline=None)
@given(st.lists(_items, max_size=6), st.lists(_items, max_size=6), st.sampled_from([0.3, 0.5, 0.75, 0.9]))
def test_proposals_equal_weighing_every_pair_in_full(
    expired: list[Item], added: list[Item], threshold: float
) -> None:
    found = [(p.old, p.new, p.score) for p in propose(expired, added, threshold=threshold)]
    assert found == naive_propose(expired, added, threshold)
