"""A thesaurus in the registry: every parent finds its children (SQL, read model, web tree), groups come
back from the version in force, and export -> import -> export gives the same bytes.

YSO (the Skosmos test copy: 270 concepts, 11 with several parents, related links, a collection, dates)
stands in for a thesaurus: importing STW's 6,244 concepts into a registry takes ~25 s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.formats.base import ImportOptions
from kodeks.services import exporting, importing, queries
from kodeks.services.queries import When
from kodeks.storage.read_model import ModelUnitOfWorkFactory
from kodeks.storage.tree_reader import SqlTreeReader
from kodeks.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import data_file
from tests.integration.registry_kit import Databases

CID = "yso-general-finnish-ontology"


def registry_with(data: bytes, name: str) -> Kodeks:
    kodeks = build(Settings(database_url="sqlite://", environment="test"))
    importing.import_data(
        kodeks.uow, kodeks.formats, data, name, options=ImportOptions(), release_date=date(2020, 1, 1)
    )
    return kodeks


@pytest.fixture(scope="module")
def yso() -> Iterator[Kodeks]:
    path = data_file("skos_skosmos_test_vocabs/yso.ttl")
    kodeks = registry_with(path.read_bytes(), path.name)
    yield kodeks
    kodeks.engine.dispose()


def test_children_are_found_through_every_parent(yso: Kodeks) -> None:
    when = When.of()
    items = queries.items(yso.uow, CID, when)
    poly = [i for i in items if len(i.parents) > 1]
    assert len(poly) == 11
    expected = Counter(p for i in items for p in i.parents)
    reader = SqlTreeReader(yso.engine)
    counts = reader.child_counts(CID, list(expected), when.at, when.known_at)
    assert counts == dict(expected)
    for item in poly:
        for parent in item.parents:
            for uow_factory in (yso.uow, SqlUnitOfWorkFactory(yso.engine)):
                assert item.code in {c.code for c in queries.children(uow_factory, CID, parent, when)}
            assert item.code in reader.child_codes(CID, parent, when.at, when.known_at)
            assert item.code in {c.code for c in queries.descendants(yso.uow, CID, parent, when)}
    assert isinstance(yso.uow, ModelUnitOfWorkFactory)  # the read model answered the first loop


def test_groups_and_levels_come_back(yso: Kodeks) -> None:
    when = When.of()
    (group,) = queries.groups(yso.uow, CID, when)
    members = [i for i in queries.items(yso.uow, CID, when) if group.code in i.groups]
    assert len(members) == 156
    assert len(queries.items(yso.uow, CID, when, level=1)) > 0


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "rdfxml"])
def test_export_import_export_is_identity(yso: Kodeks, fmt: str) -> None:
    when = When.of()
    first = exporting.export(yso.uow, yso.formats, CID, fmt, when)
    again = registry_with(first.content, first.filename)
    try:
        when = When.of(when.at)  # known now, after the second import
        second = exporting.export(again.uow, again.formats, CID, fmt, when)
        assert second.content == first.content
        assert queries.items(again.uow, CID, when) == queries.items(yso.uow, CID, when)
    finally:
        again.engine.dispose()


SMALL = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://ex.org/t/> .
:t a skos:ConceptScheme ; skos:prefLabel "Tesaurus"@da .
:a a skos:Concept ; skos:inScheme :t ; skos:prefLabel "A"@da .
:b a skos:Concept ; skos:inScheme :t ; skos:prefLabel "B"@da .
:c a skos:Concept ; skos:inScheme :t ; skos:prefLabel "C"@da ; skos:broader :a, :b ; skos:related :a ."""


def test_every_backend_finds_children_through_a_further_parent(databases: Databases) -> None:
    kodeks = databases.new()
    importing.import_data(kodeks.uow, kodeks.formats, SMALL, "t.ttl", release_date=date(2020, 1, 1))
    when = When.of()
    for uow_factory in (kodeks.uow, SqlUnitOfWorkFactory(kodeks.engine)):
        assert [i.code for i in queries.children(uow_factory, "tesaurus", "b", when)] == ["c"]
        assert [i.code for i in queries.children(uow_factory, "tesaurus", "a", when)] == ["c"]
    reader = SqlTreeReader(kodeks.engine)
    assert reader.child_codes("tesaurus", "b", when.at, when.known_at) == ["c"]
    assert reader.child_counts("tesaurus", ["a", "b"], when.at, when.known_at) == {"a": 1, "b": 1}
    (c,) = queries.items(kodeks.uow, "tesaurus", when, level=2)
    assert (c.parents, c.related) == (("a", "b"), ("a",))
