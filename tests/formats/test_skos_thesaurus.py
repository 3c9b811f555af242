"""Thesauri lose nothing in a SKOS import: polyhierarchy, related links, collections, notes with their
language, concept dates, levels as depth; and export -> import is identity for all of it.

Counts were taken from the files themselves (pyoxigraph, SPARQL over the raw triples): STW 9.06
has 6,244 concepts, 4,566 with several ``skos:broader``, 13,228 ``skos:related`` triples (6,614
symmetric pairs) and no ``skos:Collection``; YSO (the Skosmos test copy) has one collection with 156
members; the Skosmos ``groups.ttl`` nests collections.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.domain.classification import Classification
from kodeks.domain.group import Group, group_problems, nested
from kodeks.domain.hierarchy import check_items, depths
from kodeks.domain.item import TEXT_KINDS, Item, LangText
from kodeks.domain.release import Bundle
from kodeks.errors import InvalidContent
from kodeks.formats.base import ExportSet, ImportOptions
from kodeks.formats.skos import EXPORTERS, IMPORTERS
from tests.conftest import data_file

SKOS = IMPORTERS[0]
FORMATS = {e.name: e for e in EXPORTERS}


def read_file(relative: str) -> Bundle:
    path = data_file(relative)
    (bundle,) = SKOS.read(path.read_bytes(), path.name, ImportOptions())
    return bundle


def read(data: bytes) -> Bundle:
    (bundle,) = SKOS.read(data, "t.ttl", ImportOptions())
    return bundle


def round_trip(bundle: Bundle, fmt: str) -> Bundle:
    exporter = FORMATS[fmt]
    data = exporter.write(
        ExportSet(bundle.classification, bundle.items, bundle.levels, (), None, bundle.groups)
    )
    (back,) = SKOS.read(data, f"export{exporter.extension}", ImportOptions())
    return back


def test_stw_polyhierarchy_is_whole(stw_bundle: Bundle) -> None:
    items = stw_bundle.items
    assert len(items) == 6244
    several = [i for i in items if len(i.parents) > 1]
    assert len(several) == 4566
    assert max(len(i.parents) for i in items) == 6
    assert sum(len(i.parents) for i in items) == 13252  # every skos:broader, none dropped
    assert not any("skos:broader" in i.properties for i in items)
    children = Counter(p for i in items for p in i.parents)
    first_only = Counter(i.parent for i in items)
    assert children["N.03.04"] == 105 and first_only["N.03.04"] == 11  # 94 children through a further parent
    assert not check_items(items)


def test_stw_related_links_are_kept_both_ways(stw_bundle: Bundle) -> None:
    items = {i.code: i for i in stw_bundle.items}
    links = [(i.code, r) for i in items.values() for r in i.related]
    assert len(links) == 13228
    assert len({frozenset(link) for link in links}) == 6614
    assert all(code in items[other].related for code, other in links)


def test_stw_notes_keep_their_language_and_levels_are_depths(stw_bundle: Bundle) -> None:
    # counted with SPARQL over the file: the notes whose subject is a skos:Concept
    texts = Counter((t.kind, t.lang) for i in stw_bundle.items for t in i.texts)
    assert texts == {
        ("scopeNote", "de"): 305,
        ("scopeNote", "en"): 120,
        ("historyNote", "de"): 15,
        ("historyNote", "en"): 15,
        ("editorialNote", "de"): 9,
    }
    levels = Counter(i.level for i in stw_bundle.items)
    assert levels[1] == 7 and None not in levels and max(levels) == 5  # 7 top concepts
    depth = depths(stw_bundle.items)
    assert all(i.level == depth[i.code] for i in stw_bundle.items)


def test_stw_round_trips_identically_through_turtle(stw_bundle: Bundle) -> None:
    back = round_trip(stw_bundle, "ttl")
    assert back.items == stw_bundle.items


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize(
    "relative",
    [
        "skos_skosmos_test_vocabs/yso.ttl",
        "skos_skosmos_test_vocabs/groups.ttl",
        "skos_eu_vocabularies/humansexes-skos.rdf",
        "skos_eu_vocabularies/data-theme-skos-ap-act.ttl",
    ],
)
def test_thesauri_round_trip_identically(relative: str, fmt: str) -> None:
    bundle = read_file(relative)
    back = round_trip(bundle, fmt)
    assert back.items == bundle.items
    assert back.groups == bundle.groups
    assert back.levels == bundle.levels


def test_yso_collection_dates_and_polyhierarchy() -> None:
    bundle = read_file("skos_skosmos_test_vocabs/yso.ttl")
    assert len(bundle.items) == 270
    assert len(bundle.groups) == 1 and sum(len(i.groups) for i in bundle.items) == 156
    assert sum(1 for i in bundle.items if i.created) == 270
    assert sum(1 for i in bundle.items if len(i.parents) > 1) == 11
    assert not group_problems(bundle.groups, bundle.items)


def test_nested_collections_and_their_members() -> None:
    bundle = read_file("skos_skosmos_test_vocabs/groups.ttl")
    groups = {g.code: g for g in bundle.groups}
    assert set(groups) == {"fish", "fresh", "salt", "sub"}
    assert groups["fish"].subgroups == ("sub",) and groups["fish"].titles == {"en": "Fish"}
    by_code = {i.code: i for i in bundle.items}
    assert by_code["ta111"].groups == ("salt", "sub")
    assert by_code["ta112"].groups == ("fresh",)
    assert nested(bundle.groups, "fish") == {"fish", "sub"}
    carp = by_code["ta112"]
    assert carp.texts == (LangText("scopeNote", "en", "Carp are oily freshwater fish"),)


def test_eu_definitions_keep_every_language() -> None:
    bundle = read_file("skos_eu_vocabularies/humansexes-skos.rdf")
    langs = {t.lang for i in bundle.items for t in i.texts if t.kind == "definition"}
    assert "en" in langs
    described = [i for i in bundle.items if i.description]
    assert described and all(any(t.text == i.description for t in i.texts) for i in described)


def test_concept_dates_and_a_date_that_is_not_one() -> None:
    bundle = read_file("skos_eu_vocabularies/data-theme-skos-ap-act.ttl")
    assert all(isinstance(i.created, date) for i in bundle.items)
    data = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix dct: <http://purl.org/dc/terms/> . @prefix : <http://ex.org/s/> . :s a skos:ConceptScheme .
    :a a skos:Concept ; skos:prefLabel "A"@da ;
       dct:created "last spring" ; dct:modified "2020-02-03T10:00:00Z" ."""
    (item,) = read(data).items
    assert item.created is None and item.properties["dct:created"] == "last spring"
    assert item.modified == date(2020, 2, 3)


def test_a_note_with_the_definitions_words_is_kept_beside_it() -> None:
    data = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://ex.org/s/> .
    :s a skos:ConceptScheme .
    :a a skos:Concept ; skos:prefLabel "A"@da ; skos:definition "1" ; skos:note "1" ."""
    (item,) = read(data).items
    assert item.description == "1"
    assert {(t.kind, t.lang, t.text) for t in item.texts} == {("note", "und", "1")}


def test_collections_that_nest_each_other_do_not_hang() -> None:
    data = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://ex.org/s/> .
    :s a skos:ConceptScheme . :a a skos:Concept ; skos:prefLabel "A"@da .
    :g1 a skos:Collection ; skos:member :g2, :a . :g2 a skos:Collection ; skos:member :g1 .
    :empty a skos:Collection ; skos:prefLabel "nothing of this scheme"@en ."""
    bundle = read(data)
    assert [g.code for g in bundle.groups] == ["g1", "g2"]
    assert nested(bundle.groups, "g2") == {"g1", "g2"}


def test_two_collections_with_one_code_are_refused() -> None:
    data = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://ex.org/s/> .
    :s a skos:ConceptScheme . :a a skos:Concept ; skos:prefLabel "A"@da .
    :g1 a skos:Collection ; skos:notation "G" ; skos:member :a .
    :g2 a skos:Collection ; skos:notation "G" ; skos:member :a ."""
    with pytest.raises(InvalidContent, match="group code 'G'"):
        read(data)


def test_cycles_through_a_further_parent_are_found() -> None:
    items = [Item("a", {"da": "A"}), Item("b", {"da": "B"}, parent="a", other_parents=("c",))]
    items.append(Item("c", {"da": "C"}, parent="b"))
    assert [p.message for p in check_items(items)] == ["cycle in hierarchy: b → c → b"]
    assert depths(items) == {"a": 1, "b": 2, "c": 3}


def test_an_item_names_each_further_parent_once_and_not_itself() -> None:
    with pytest.raises(ValueError, match="own parent"):
        Item("a", other_parents=("a",), parent="b")
    assert Item("a", other_parents=("b",)).parents == ()  # no first parent: a top item
    assert Item("a", parent="b", other_parents=("b", "c", "c")).parents == ("b", "c")
    poly = Item("a", parent="b", other_parents=("c",))
    assert replace(poly, parent=None).parents == ()  # what callers that know one parent mean
    assert replace(poly, parent="c").parents == ("c",)


def test_group_problems_name_unknown_groups() -> None:
    groups = (Group("g", subgroups=("h",)), Group("g"))
    problems = group_problems(groups, [Item("a", groups=("x",))])
    assert problems == [
        "group 'g' is stated twice",
        "group 'g' nests unknown group 'h'",
        "items are members of unknown group 'x'",
    ]


@pytest.mark.parametrize("name", ["json", "csv", "xlsx"])
def test_kodeks_own_formats_keep_a_thesaurus(name: str) -> None:
    from kodeks.formats import kodeks_csv, kodeks_json, kodeks_xlsx

    formats = {f.name: f for m in (kodeks_csv, kodeks_json, kodeks_xlsx) for f in m.IMPORTERS}
    bundle = read_file("skos_skosmos_test_vocabs/yso.ttl")
    fmt = formats[name]
    export = ExportSet(bundle.classification, bundle.items, bundle.levels, (), None, bundle.groups)
    (back,) = fmt.read(
        fmt.write(export), f"yso.{name}", ImportOptions(classification=bundle.classification.id)
    )
    assert back.items == bundle.items
    if name == "json":
        assert back.groups == bundle.groups
    assert {"other_parents", "related", "groups", "texts", "created"} <= back.fields


WORD = st.text(alphabet="abcæøå \"'<>&1", min_size=1, max_size=8).map(str.strip).filter(bool)
LANG = st.sampled_from(["da", "en", "de", "und"])


@st.composite
def thesauri(draw: st.DrawFn) -> ExportSet:
    codes = [f"c{n}" for n in range(draw(st.integers(1, 7)))]
    group_codes = draw(st.lists(st.sampled_from(["g1", "g2", "g3"]), unique=True, max_size=3))
    items = []
    related: dict[str, set[str]] = {c: set() for c in codes}
    for a, b in draw(st.lists(st.tuples(st.sampled_from(codes), st.sampled_from(codes)), max_size=5)):
        if a != b:
            related[a].add(b)
    for index, code in enumerate(codes):
        parents = sorted(draw(st.sets(st.sampled_from(codes[:index]), max_size=3)) if index else [])
        texts = draw(st.sets(st.builds(LangText, st.sampled_from(TEXT_KINDS), LANG, WORD), max_size=3))
        items.append(
            Item(
                code,
                {"da": draw(WORD)} | draw(st.dictionaries(st.sampled_from(["en", "de"]), WORD, max_size=2)),
                parent=parents[0] if parents else None,
                other_parents=tuple(parents[1:]),
                related=tuple(sorted(related[code])),
                groups=tuple(draw(st.sets(st.sampled_from(group_codes), max_size=2))) if group_codes else (),
                texts=tuple(texts),
                created=draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 1, 1))),
                modified=draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 1, 1))),
            )
        )
    groups = tuple(
        Group(
            g,
            draw(st.dictionaries(LANG, WORD, max_size=2)),
            tuple(draw(st.sets(st.sampled_from(group_codes)))),
        )
        for g in group_codes
    )
    cls = Classification(id="thesaurus", titles={"da": "Tesaurus"})
    return ExportSet(cls, tuple(items), (), (), None, groups)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export=thesauri())
def test_generated_thesauri_lose_nothing_and_round_trip(fmt: str, export: ExportSet) -> None:
    exporter = FORMATS[fmt]
    (once,) = SKOS.read(exporter.write(export), f"a{exporter.extension}", ImportOptions())
    by_code = {i.code: i for i in once.items}
    for item in export.items:  # nothing lost
        got = by_code[item.code]
        assert (got.parents, got.groups, got.created, got.modified) == (
            item.parents,
            tuple(sorted(item.groups)),
            item.created,
            item.modified,
        )
        assert set(item.related) <= set(got.related)  # completed to both directions
        kept = {(t.kind, t.lang, t.text) for t in got.texts} | {("scopeNote", "und", n) for n in got.notes}
        kept.add(("definition", "und", got.description or ""))  # the plain definition is the description
        assert {(t.kind, t.lang, t.text) for t in item.texts} <= kept
    used = {g for i in export.items for g in i.groups}
    assert {g.code for g in once.groups} >= used
    (twice,) = SKOS.read(
        exporter.write(ExportSet(once.classification, once.items, once.levels, (), None, once.groups)),
        f"b{exporter.extension}",
        ImportOptions(),
    )
    assert (twice.items, twice.groups) == (once.items, once.groups)  # identity from then on


def test_fhir_keeps_every_parent() -> None:
    from kodeks.formats import fhir

    bundle = read_file("skos_skosmos_test_vocabs/yso.ttl")
    export = ExportSet(bundle.classification, bundle.items, bundle.levels, (), None, bundle.groups)
    (back,) = fhir.IMPORTERS[0].read(fhir.EXPORTERS[0].write(export), "yso.json", ImportOptions())
    parents = {i.code: i.parents for i in bundle.items}
    assert {i.code: i.parents for i in back.items} == parents
    assert sum(1 for p in parents.values() if len(p) > 1) == 11
