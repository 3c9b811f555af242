"""Danish text analysis: folding, tokens, stemming, query terms and edit distance (pure, no database)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kodeks.domain.search_text import (
    analyse_query,
    code_key,
    compact_code,
    deletions,
    fold,
    raw_tokens,
    spelling_variants,
    stem,
    terms,
    within_one_edit,
)

TERM = re.compile(r"^[a-z0-9]+$")


def test_fold_is_danish_ascii() -> None:
    assert fold("Åbenrå") == "aabenraa"
    assert fold("Ærø Ø") == "aeroe oe"
    assert fold("Café Müller") == "cafe muller"
    assert fold("STRAßE") == "strasse"


def test_codes_stay_whole_and_words_split_at_hyphens() -> None:
    assert raw_tokens("Se 27.24.10, G01 og A00.1.") == ["se", "27.24.10", "g01", "og", "a00.1"]
    assert raw_tokens("børne- og ungepolitik, e-mail") == ["børne", "og", "ungepolitik", "e", "mail"]


def test_index_terms_are_folded_stems_without_stop_words() -> None:
    assert terms("Byggetilladelser til boliger") == [stem("byggetilladelser"), stem("boliger")]
    assert stem("byggetilladelse") == stem("byggetilladelser")
    assert terms("27.24.10") == ["272410"]


def test_aa_ae_oe_spellings_meet_the_danish_letters() -> None:
    assert analyse_query("hjemmehjaelp").terms[0].stems & set(terms("Hjemmehjælp"))
    assert analyse_query("Aabenraa").terms[0].stems & set(terms("Åbenrå"))
    assert analyse_query("boerneattest").terms[0].stems & set(terms("Børneattest"))
    assert "hjemmehjælp" in spelling_variants("hjemmehjaelp")


def test_query_terms_know_codes() -> None:
    query = analyse_query("27.24 G01 affald")
    assert query.codes == ("27.24", "g01")
    assert not query.is_code_only
    assert analyse_query("A00.1").is_code_only


def test_stop_words_are_dropped_unless_nothing_else_is_left() -> None:
    assert [t.surface for t in analyse_query("hjælp til og fra").terms] == ["hjaelp"]
    assert [t.surface for t in analyse_query("og i").terms] == ["og", "i"]


def test_short_words_get_no_prefix_and_long_ones_get_typo_tolerance() -> None:
    short, long_ = analyse_query("ab affald").terms
    assert not short.prefixes and not short.fuzzy
    assert long_.prefixes and long_.fuzzy


def test_code_helpers() -> None:
    assert code_key(" A00.1 ") == "a00.1"
    assert compact_code("27.24.10") == "272410"


@given(st.text(max_size=200))
def test_every_term_is_plain_ascii_whatever_the_input(text: str) -> None:
    assert all(TERM.match(t) for t in terms(text))
    for term in analyse_query(text).terms:
        assert all(TERM.match(s) for s in term.stems | term.prefixes)


def test_hostile_query_syntax_leaves_only_words() -> None:
    query = analyse_query("\"; DROP TABLE search_document; -- NEAR(a b) OR * ' <script>")
    assert all(TERM.match(s) for t in query.terms for s in t.stems)
    assert "near" in {t.surface for t in query.terms}


def _levenshtein(a: str, b: str) -> int:
    """Optimal string alignment distance (reference implementation)."""
    d = [[max(i, j) if min(i, j) == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(st.text("abcde", max_size=7), st.text("abcde", max_size=7))
def test_within_one_edit_agrees_with_the_reference_distance(a: str, b: str) -> None:
    assert within_one_edit(a, b) == (_levenshtein(a, b) <= 1)


@given(st.text("abcde", min_size=1, max_size=8), st.text("abcde", min_size=1, max_size=8))
def test_the_deletion_neighbourhood_finds_every_word_within_one_edit(a: str, b: str) -> None:
    if within_one_edit(a, b):
        assert (deletions(a) | {a}) & (deletions(b) | {b})
