"""Relevance rules on tiny documents (pure)."""

from __future__ import annotations

from kodeks.domain.search_rank import DocumentTerms, keyword_factor, score
from kodeks.domain.search_text import analyse_query, terms


def doc(
    title: str, keywords: dict[str, int] | None = None, body: str = "", code: str | None = None
) -> DocumentTerms:
    kw: dict[str, int] = {}
    for text, weight in (keywords or {}).items():
        for word in terms(text):
            kw[word] = max(kw.get(word, 0), weight)
    return DocumentTerms(
        code,
        tuple(terms(title)),
        (),
        kw,
        tuple(terms(body)),
        frozenset(" ".join(terms(k)) for k in keywords or {}),
    )


def value(query: str, d: DocumentTerms, code: str | None = None, level: int | None = 3) -> float:
    return score(analyse_query(query), d, {}, code=code, level=level).score


def test_title_beats_keyword_beats_body() -> None:
    in_title = value("affald", doc("Farligt affald"))
    in_keyword = value("affald", doc("Genbrugspladser", {"affald": 5}))
    in_body = value("affald", doc("Genbrugspladser", body="om affald"))
    assert in_title > in_keyword > in_body > 0


def test_a_title_that_is_the_query_wins_over_a_longer_one() -> None:
    assert value("byggetilladelse", doc("Byggetilladelse")) > value(
        "byggetilladelse", doc("Byggetilladelse og anmeldelse om byggearbejde")
    )


def test_heavier_keywords_count_more() -> None:
    assert keyword_factor(1000) > keyword_factor(100) > keyword_factor(5) == 1.0
    assert value("sponsor", doc("Markedsføring", {"sponsor": 500})) > value(
        "sponsor", doc("Markedsføring", {"sponsor": 5})
    )


def test_broad_codes_come_before_narrow_ones_on_equal_match() -> None:
    d = doc("Affald og genanvendelse")
    assert value("affald", d, level=1) > value("affald", d, level=2) > value("affald", d, level=3)


def test_exact_code_beats_code_prefix_and_deeper_codes_score_less() -> None:
    empty = DocumentTerms()
    exact = value("27.24", empty, code="27.24")
    child = value("27.24", empty, code="27.24.10")
    assert exact >= 100 > child > 0


def test_prefix_and_typo_matches_count_less_than_exact() -> None:
    d = doc("Skoleindskrivning")
    exact = value("skoleindskrivning", d)
    prefix = value("skoleindskr", d)
    typo = score(
        analyse_query("skoleindskrivnig"), d, {"skoleindskrivnig": frozenset({"skoleindskrivning"})}, level=3
    ).score
    assert exact > typo > 0 and exact > prefix > 0


def test_nothing_matched_scores_zero() -> None:
    assert value("parkering", doc("Affald")) == 0


def test_terms_round_trip_through_storage_form() -> None:
    d = doc("Vielse", {"bryllup": 10}, "borgerlig vielse", "23.01")
    assert DocumentTerms.from_dict(d.to_dict()) == d
