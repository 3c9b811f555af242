"""Search on SQLite and PostgreSQL: words, stems, æøå, prefixes, typos, codes, filters, index upkeep."""

from __future__ import annotations

from datetime import date

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.item import Keyword
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.search import SearchQuery, SearchResult, search
from kodeks.services.search_indexing import reindex
from tests.factories import item, tree_bundle
from tests.search.backends import load


def find(kodeks: Kodeks, text: str, **kw: object) -> SearchResult:
    return search(kodeks.uow, kodeks.search_index, SearchQuery(text, **kw))  # type: ignore[arg-type]


def codes(result: SearchResult) -> list[str | None]:
    return [h.code for h in result.hits if h.kind == "item"]


def test_a_word_finds_its_title_first(shared: Kodeks) -> None:
    assert codes(find(shared, "undervisning"))[0] == "10.01"


def test_inflected_and_ascii_spellings_find_the_same(shared: Kodeks) -> None:
    assert codes(find(shared, "Støtte"))[:2] == codes(find(shared, "stoette"))[:2]
    assert "20.02.01" in codes(find(shared, "børnene"))


def test_prefix_and_typo(shared: Kodeks) -> None:
    assert codes(find(shared, "underv"))[0] == "10.01"
    result = find(shared, "undervisnig")
    assert codes(result)[0] == "10.01"
    assert "undervisnig" in result.corrections


def test_keywords_find_items(shared: Kodeks) -> None:
    assert "10.01.00" in codes(find(shared, "skole"))


def test_exact_code_and_code_prefix(shared: Kodeks) -> None:
    assert codes(find(shared, "10.01"))[0] == "10.01"
    prefixed = codes(find(shared, "10.01"))
    assert "10.01.00" in prefixed and "20.02" not in prefixed
    assert codes(find(shared, "20"))[0] == "20"


def test_filters_classification_level_and_date(registry: Kodeks) -> None:
    load(registry, tree_bundle(cid="other"))
    assert {h.classification_id for h in find(registry, "skole").hits} == {"tree", "other"}
    assert {h.classification_id for h in find(registry, "skole", classification="other").hits} == {"other"}
    assert codes(find(registry, "undervisning", level=3, classification="tree")) == ["10.01.00"]
    assert "10.01.05" not in codes(find(registry, "gammel ordning"))
    assert codes(find(registry, "gammel ordning", at=date(2011, 1, 1)))[0] == "10.01.05"
    expired = find(registry, "gammel ordning", include_expired=True, classification="tree").hits
    assert expired[0].code == "10.01.05" and not expired[0].valid_at


def test_catalog_entries_are_found_by_title_and_id(shared: Kodeks) -> None:
    hits = find(shared, "testplan").hits
    assert hits[0].kind == "catalog" and hits[0].classification_id == "tree"
    assert find(shared, "tree").hits[0].kind == "catalog"


def test_a_new_release_replaces_what_the_index_held(registry: Kodeks) -> None:
    renamed = [item("10", "Skolevæsen"), item("10.01", "Pasning", "10", keywords=(Keyword("vuggestue", 50),))]
    load(registry, tree_bundle(release_date=date(2016, 1, 1), items=renamed, cid="tree"))
    assert codes(find(registry, "vuggestue"))[0] == "10.01"
    assert "10.01" not in codes(find(registry, "undervisning"))


def test_reindex_rebuilds_the_same_answers(registry: Kodeks) -> None:
    before = [(h.code, h.score) for h in find(registry, "skole").hits]
    count = reindex(registry.uow, registry.search_index, registry.catalog)
    assert count >= 9
    assert [(h.code, h.score) for h in find(registry, "skole").hits] == before


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "NEAR(a b)",
        "a OR b AND NOT c",
        "'); DROP TABLE search_document; --",
        "skole*",
        '"skole"',
        "^skole",
        "-skole",
        "skole:*",
        "(",
        "!!!",
        "%",
        "_",
    ],
)
def test_query_syntax_is_just_text(shared: Kodeks, text: str) -> None:
    result = find(shared, text)
    assert all(h.score > 0 for h in result.hits)
    assert codes(find(shared, "skole"))  # the index survived


def test_bad_queries_are_refused(shared: Kodeks) -> None:
    with pytest.raises(InvalidRequest, match="at most 500"):
        find(shared, "skole " * 2000)
    with pytest.raises(InvalidRequest, match="empty"):
        find(shared, "   ")
    with pytest.raises(InvalidRequest):
        find(shared, "skole", limit=0)
    with pytest.raises(NotFound, match="nope"):
        find(shared, "skole", classification="nope")
