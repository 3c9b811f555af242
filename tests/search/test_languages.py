"""Every label in its own language: the headline title falls back Danish → English → default, and search
analyses Danish and English with their own stemmers and other languages as written (real STW and EU
country vocabularies)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from rich.console import Console

from kodeks.api import render
from kodeks.bootstrap import Kodeks
from kodeks.cli.output import print_item
from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.language import default_language, guess_language, language_of_name, shown_title
from kodeks.domain.release import Bundle
from kodeks.domain.search_text import analyse_query, terms
from kodeks.formats.base import ImportOptions
from kodeks.formats.skos import IMPORTERS as SKOS
from kodeks.services.queries import ItemView
from kodeks.services.search import SearchQuery, search
from kodeks.services.search_indexing import item_document
from tests.conftest import data_file
from tests.search.backends import load, registry_on

# --- the title shown ----------------------------------------------------------------------------------


def test_shown_title_falls_back_danish_english_default_first() -> None:
    many = {"ar": "جينات", "de": "Gene", "en": "Genes"}
    assert shown_title(many) == ("en", "Genes")
    assert shown_title({**many, "da": "Gener"}) == ("da", "Gener")
    assert shown_title({"ar": "x", "de": "Gene"}, default="de") == ("de", "Gene")
    assert shown_title({"ar": "x", "de": "Gene"}) == ("ar", "x")
    assert shown_title({"fr": "Gènes", "en": "Genes"}, lang="fr") == ("fr", "Gènes")
    assert shown_title({"da": "", "en": "Genes"}) == ("en", "Genes")
    assert shown_title({}) is None
    assert default_language({"en": "STW", "de": "Standard-Thesaurus"}) == "en"


def test_language_of_a_column_name_and_of_words() -> None:
    assert [language_of_name(n) for n in ("title_en", "Titel (da)", "English label", "Tekst", "code")] == [
        "en",
        "da",
        "en",
        None,
        None,
    ]
    assert guess_language(["Dyrkning af korn og andre afgrøder"] * 2)[0] == "da"
    assert guess_language(["Growing of cereals and other crops"] * 2)[0] == "en"
    assert guess_language(["Gizmo"])[0] is None


# --- analysis per language -----------------------------------------------------------------------------


def test_each_text_is_analysed_in_its_language() -> None:
    assert terms("Job vacancies", "en") == ["job", "vacanc"]
    assert terms("Job vacancies") == ["job", "vacanci"]  # Danish: the default
    assert terms("Öffentliche Einrichtungen", "de") == ["oeffentliche", "einrichtungen"]  # as written
    assert terms("The theory of the firm", "en") == ["theori", "firm"]  # English stop words
    assert terms("Teori om virksomheden", "da") == ["teori", "virksom"]


def test_a_query_word_is_tried_as_danish_english_and_as_written() -> None:
    [vacancy] = analyse_query("vacancy").terms
    assert "vacanc" in vacancy.stems  # English
    assert {"vacancy"} <= vacancy.stems  # as written (and Danish, which leaves it)
    [einrichtungen] = analyse_query("Einrichtungen").terms
    assert "einrichtungen" in einrichtungen.stems
    assert [t.surface for t in analyse_query("genes of the mice").terms] == ["genes", "mice"]
    assert [t.surface for t in analyse_query("the").terms] == ["the"]  # nothing else left


def test_an_item_document_headlines_english_and_analyses_each_title() -> None:
    path = data_file("skos_stw_thesaurus/stw-skos.ttl")
    [bundle] = SKOS[0].read(path.read_bytes(), path.name, ImportOptions())
    vacancies = next(i for i in bundle.items if i.code == "11278-0")
    assert set(vacancies.titles) == {"de", "en"}  # in the reader's order, German first for many concepts
    doc = item_document("stw", vacancies, default_language(bundle.classification.titles))
    assert (doc.title, doc.titles) == ("Job vacancies", {"en": "Job vacancies"})
    assert doc.terms.title == ("job", "vacanc")
    assert {"offene", "stellen"} <= set(doc.terms.alt)  # German, as written


# --- search on real multilingual vocabularies ---------------------------------------------------------------


def _stw_sample() -> Bundle:
    """600 STW concepts (flattened: the sample does not keep their parents) with the ones asked for below."""
    path = data_file("skos_stw_thesaurus/stw-skos.ttl")
    [bundle] = SKOS[0].read(path.read_bytes(), path.name, ImportOptions())
    wanted = {"11278-0", "11793-5", "10508-0", "11352-0"}
    items = [i for n, i in enumerate(bundle.items) if i.code in wanted or n % 10 == 0][:600]
    flat = tuple(replace(i, parent=None, level=1) for i in items)
    return replace(bundle, items=flat, release_date=date(2024, 1, 1))


def _countries() -> Bundle:
    path = data_file("skos_eu_vocabularies/countries-skos.rdf")
    [bundle] = SKOS[0].read(path.read_bytes(), path.name, ImportOptions())
    return replace(bundle, release_date=date(2024, 1, 1))


@pytest.fixture(scope="module")
def vocabularies() -> Iterator[Kodeks]:
    with registry_on("sqlite") as kodeks:
        load(kodeks, _stw_sample(), _countries())
        yield kodeks


def _top(kodeks: Kodeks, text: str, classification: str) -> tuple[str | None, str, dict[str, str]]:
    hit = search(kodeks.uow, kodeks.search_index, SearchQuery(text, classification=classification)).hits[0]
    return hit.code, hit.title, hit.titles


def test_english_words_find_english_titles(vocabularies: Kodeks) -> None:
    assert _top(vocabularies, "vacancy", "stw")[:2] == ("11278-0", "Job vacancies")
    assert _top(vocabularies, "growth industry", "stw")[0] == "11793-5"
    assert _top(vocabularies, "emerging economy", "stw")[0] == "10508-0"


def test_other_languages_are_found_as_written(vocabularies: Kodeks) -> None:
    code, title, titles = _top(vocabularies, "Allgemeinbildung", "stw")
    assert (code, title) == ("11352-0", "General education") and "de" not in titles
    assert _top(vocabularies, "Deutschland", "country")[0] == "DEU"
    assert _top(vocabularies, "Allemagne", "country")[0] == "DEU"


def test_a_danish_title_is_the_headline_when_there_is_one(vocabularies: Kodeks) -> None:
    code, title, titles = _top(vocabularies, "Tyskland", "country")
    assert (code, title) == ("DEU", "Tyskland") and set(titles) == {"da", "en"}


# --- the CLI and the API say which language they show -----------------------------------------------------


def _view() -> ItemView:
    genes = Item(code="G1", titles={"ar": "جينات", "de": "Gene", "en": "Genes"}, level=1)
    return ItemView(genes, "thesaurus", date(2024, 1, 1), 0, ())


def test_the_cli_headlines_english_and_says_so() -> None:
    console = Console(record=True, width=200)
    print_item(console, _view())
    first, *rest = console.export_text().splitlines()
    assert first == "thesaurus G1 Genes (en)"
    assert any("title (de): Gene" in line for line in rest) and not any(
        "(en): Genes" in line for line in rest
    )


def test_the_api_item_has_the_title_and_its_language() -> None:
    body = render.item_view(_view())
    assert (body["title"], body["title_lang"]) == ("Genes", "en")


def test_items_and_classifications_headline_the_same_way() -> None:
    item = Item(code="11278-0", titles={"de": "Offene Stellen", "en": "Job vacancies"}, level=1)
    assert item.title() == "Job vacancies" and item.title("de") == "Offene Stellen"
    assert Item(code="x", titles={"ar": "x", "fr": "y"}, level=1).title() == "x"
    stw = Classification(id="stw", titles={"de": "Standard-Thesaurus Wirtschaft", "en": "STW Thesaurus"})
    assert stw.title() == "STW Thesaurus" and Classification(id="empty").title() == "empty"
