"""Thesaurus pages on YSO (Skosmos' test copy): an item shows every parent, its related concepts,
groups, notes with their language and its dates; groups are browsable; the alphabetical index lists
labels per language (Danish by default where there is Danish, else English, else the commonest)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.formats.base import ImportOptions
from kodeks.services import importing, queries
from kodeks.services.queries import When
from kodeks.web import thesaurus
from tests.conftest import data_file

CID = "yso-general-finnish-ontology"


@pytest.fixture(scope="module")
def yso() -> Iterator[Kodeks]:
    path = data_file("skos_skosmos_test_vocabs/yso.ttl")
    kodeks = build(Settings(database_url="sqlite://", environment="test"))
    importing.import_data(
        kodeks.uow,
        kodeks.formats,
        path.read_bytes(),
        path.name,
        options=ImportOptions(),
        release_date=date(2020, 1, 1),
    )
    yield kodeks
    kodeks.engine.dispose()


@pytest.fixture(scope="module")
def client(yso: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(yso), raise_server_exceptions=False) as c:
        yield c


def page(client: TestClient, url: str, template: str) -> object:
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.template.name == template  # type: ignore[attr-defined]
    return r.context["page"]  # type: ignore[attr-defined]


def test_an_item_shows_every_parent_related_groups_texts_and_dates(yso: Kodeks, client: TestClient) -> None:
    items = queries.items(yso.uow, CID, When.of())
    poly = max(
        (i for i in items if len(i.parents) > 1),
        key=lambda i: (bool(i.related), bool(i.groups), bool(i.texts), bool(i.created), i.code),
    )
    assert poly.related and poly.created
    p = page(client, f"/klassifikationer/{CID}/koder/{poly.code}", "item.html")
    assert [link.href.split("/")[-1] for link in p.parents] == list(poly.parents)  # type: ignore[attr-defined]
    assert len(p.related) == len(poly.related)  # type: ignore[attr-defined]
    assert [g.label for g in p.groups] == list(poly.groups)  # type: ignore[attr-defined]
    assert {(k, lang) for k, lang, _ in p.texts} == {(t.kind, t.lang) for t in poly.texts}  # type: ignore[attr-defined]
    assert p.created == poly.created  # type: ignore[attr-defined]
    html = client.get(f"/klassifikationer/{CID}/koder/{poly.code}").text
    assert "Overordnede" in html and "Relaterede" in html and "Begreb oprettet" in html  # Danish by default
    for parent in poly.parents:  # the child is listed under each of its parents
        under = page(client, f"/klassifikationer/{CID}/koder/{parent}", "item.html")
        assert poly.code in {c.href.split("/")[-1] for c in under.children}  # type: ignore[attr-defined]


def test_groups_are_browsable(yso: Kodeks, client: TestClient) -> None:
    listing = page(client, f"/klassifikationer/{CID}/grupper", "groups.html")
    (row,) = listing.groups  # type: ignore[attr-defined]
    assert row.members == 156
    group = page(client, row.link.href, "group.html")
    assert len(group.members) == 156 and group.all_members == 156  # type: ignore[attr-defined]
    assert client.get(f"/klassifikationer/{CID}/grupper/nope").status_code == 404
    overview = page(client, f"/klassifikationer/{CID}", "classification.html")
    assert overview.groups_href and overview.alphabet_href  # type: ignore[attr-defined]


def test_alphabetical_index_per_language(client: TestClient) -> None:
    index = page(client, f"/klassifikationer/{CID}/alfabetisk", "alphabet.html")
    assert index.lang == "en"  # no Danish labels: English  # type: ignore[attr-defined]
    assert {link.label for link in index.languages} >= {"en", "fi", "sv"}  # type: ignore[attr-defined]
    labels = [e.label for e in index.entries]  # type: ignore[attr-defined]
    assert labels and all(thesaurus.initial(x) == index.letter for x in labels)  # type: ignore[attr-defined]
    assert labels == sorted(labels, key=lambda x: thesaurus.sort_key(x, "en"))
    finnish = page(client, f"/klassifikationer/{CID}/alfabetisk?sprog=fi&bogstav=k", "alphabet.html")
    assert finnish.lang == "fi" and finnish.letter == "K"  # type: ignore[attr-defined]
    assert all(e.label.upper().startswith("K") for e in finnish.entries)  # type: ignore[attr-defined]
    hostile = client.get(f"/klassifikationer/{CID}/alfabetisk?sprog=<script>&bogstav=" + "x" * 5000)
    assert hostile.status_code in (200, 400) and "<script>" not in hostile.text


def test_danish_alphabet_files_ae_oe_aa_after_z() -> None:
    words = ["Åbenrå", "Ærø", "Zealand", "Øre", "abe", "Æble"]
    assert sorted(words, key=lambda w: thesaurus.sort_key(w, "da")) == [
        "abe",
        "Zealand",
        "Æble",
        "Ærø",
        "Øre",
        "Åbenrå",
    ]
    assert [thesaurus.initial(w) for w in ("élan", "Øre", "42", "–x")] == ["E", "Ø", "#", "X"]
