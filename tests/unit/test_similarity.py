"""Title similarity: a renamed code keeps its wording, a reused code does not (real ISCO-88 → ISCO-08)."""

from __future__ import annotations

import csv
import io

import pytest

from kodeks.domain.similarity import (
    REUSED_BELOW,
    idf_weights,
    is_reused,
    title_similarity,
    titles_similarity,
)
from tests.conftest import data_file


@pytest.fixture(scope="module")
def isco() -> tuple[dict[str, str], dict[str, str]]:
    """ISCO-88 titles (ILO's table) and ISCO-08 titles (ESCO) by code."""
    ilo = data_file("correspondences/ilo_isco88_isco08_correspondence.csv").read_text(encoding="utf-8")
    esco = data_file("esco/ISCOGroups_en.csv").read_text(encoding="utf-8")
    old = {r["isco88_code"]: r["isco88_title_en"] for r in csv.DictReader(io.StringIO(ilo))}
    new = {r["code"]: r["preferredLabel"] for r in csv.DictReader(io.StringIO(esco))}
    return old, new


def test_the_same_words_are_one_and_no_shared_word_is_zero() -> None:
    assert title_similarity("Physicists and astronomers", "physicists  and Astronomers") == 1.0
    assert title_similarity("Senior government officials", "Managing directors and chief executives") == 0.0
    assert title_similarity("Anlæg af ledningsnet", "Anlæg af ledningsnet til væsker", lang="da") > 0.6


def test_inflection_and_hyphens_do_not_change_the_meaning() -> None:
    assert title_similarity("Motor-cycle drivers", "Motorcycle drivers") >= 0.5
    assert title_similarity("Tool-makers and related workers", "Toolmakers and related workers") >= 0.6
    assert title_similarity("Dyrkning af korn", "Dyrkningen af kornet", lang="da") == 1.0


@pytest.mark.parametrize("code", ["1120", "7412", "5230", "4214", "3131"])
def test_codes_isco_08_gave_to_something_else_are_reused(
    isco: tuple[dict[str, str], dict[str, str]], code: str
) -> None:
    old, new = isco
    weights = idf_weights([*old.values(), *new.values()], "en")
    assert is_reused({"en": old[code]}, {"en": new[code]}, weights), (old[code], new[code])


@pytest.mark.parametrize("code", ["2111", "8321", "7222", "5141", "4221"])
def test_codes_isco_08_renamed_or_narrowed_are_not_reused(
    isco: tuple[dict[str, str], dict[str, str]], code: str
) -> None:
    old, new = isco
    weights = idf_weights([*old.values(), *new.values()], "en")
    assert not is_reused({"en": old[code]}, {"en": new[code]}, weights), (old[code], new[code])


def test_on_every_code_the_two_revisions_share(isco: tuple[dict[str, str], dict[str, str]]) -> None:
    old, new = isco
    weights = idf_weights([*old.values(), *new.values()], "en")
    shared = [c for c in old if c in new]
    scores = {c: title_similarity(old[c], new[c], weights, "en") for c in shared}
    same = [c for c in shared if old[c].casefold() == new[c].casefold()]
    assert len(shared) == 174 and len(same) == 38
    assert all(scores[c] == 1.0 for c in same)
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    disjoint = [c for c in shared if title_similarity(old[c], new[c], lang="en") == 0.0]
    assert len(disjoint) >= 60
    assert all(scores[c] < REUSED_BELOW for c in disjoint)


def test_rare_words_weigh_more_than_common_ones() -> None:
    titles = ["Mechanical engineers", "Chemical engineers", "Civil engineers", "Mining engineers", "Chemists"]
    weights = idf_weights(titles, "en")
    assert weights["engin"] < weights["mechan"]
    plain = title_similarity("Mechanical engineers", "Chemical engineers", lang="en")
    assert title_similarity("Mechanical engineers", "Chemical engineers", weights, "en") < plain


def test_languages_are_compared_where_both_versions_have_them() -> None:
    old = {"da": "Hjemmehjælp", "en": "Home help"}
    assert titles_similarity(old, {"da": "Hjemmehjælp til ældre"}) == pytest.approx(2 / 3)
    assert titles_similarity(old, {"en": "Home help services", "da": "Noget helt andet"}) == pytest.approx(
        0.8
    )
    assert titles_similarity({"de": "Hilfe"}, {"fr": "Hilfe"}) == 1.0  # no shared language: first titles
    assert titles_similarity({}, {"da": "x"}) is None
    assert not is_reused({}, {"da": "x"})
