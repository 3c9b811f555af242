"""The properties every registered exporter must have: export → import → the same model.

Parametrized over ``registry.exporters()``, so every format added to the registry is covered. The
output is read back with the importer of the same name, or (for formats whose one importer reads
several syntaxes, like ``skos`` for ``ttl``/``jsonld``/``rdfxml``) the one the registry detects. A format
that by design cannot carry something lists it in ``CANNOT_CARRY`` (kept as small as possible):
item field names, or ``classification`` / ``levels`` / ``release`` for the document-level parts.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.domain.classification import Classification
from kodeks.domain.codec import classification_to_dict
from kodeks.domain.item import Item, Keyword, LegalReference, item_uuid
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Release, ReleaseKind
from kodeks.errors import ImportError_
from kodeks.formats import registry
from kodeks.formats.base import ExportSet, Importer, ImportOptions
from kodeks.formats.tabular_mapping import DB07

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

#: What a format cannot carry, by exporter name. Everything not listed must survive the round trip.
#: Besides field names: ``unordered`` (list fields come back as the same multiset, e.g. RDF) and
#: ``one_fact_per_code`` (only each code's latest fact survives, e.g. a FHIR CodeSystem).
CANNOT_CARRY: dict[str, frozenset[str]] = {
    # Kodeks CSV holds items only: the classification id comes back from the file name.
    "csv": frozenset({"classification", "levels", "release"}),
    # RDF: repeated values of a property (notes, keywords, alt labels) form a set, not a sequence.
    "ttl": frozenset({"unordered"}),
    "jsonld": frozenset({"unordered"}),
    "rdfxml": frozenset({"unordered"}),
    # A FHIR CodeSystem lists each code once: a full-history export keeps each code's latest fact.
    "fhir": frozenset({"one_fact_per_code"}),
}
ITEM_FIELDS = (
    "titles",
    "level",
    "parent",
    "uuid",
    "description",
    "notes",
    "alt_titles",
    "keywords",
    "replaced_by",
    "legal_refs",
    "properties",
)


def db07_items() -> tuple[Item, ...]:
    """Real DB07 rows (tests/fixtures/db07_excerpt.tsv, see its .md) read by the tabular importer."""
    data = (FIXTURES / "db07_excerpt.tsv").read_bytes()
    bundle = registry.get_importer("tabular").read(data, "db07_excerpt.tsv", ImportOptions())[0]
    return bundle.items


def hand_made_items() -> tuple[Item, ...]:
    """Items exercising every field and the characters that break naive writers."""
    keep = Period(date(2008, 1, 1), None)
    return (
        Item("Z", {"da": "Særlige koder: æøå ÆØÅ", "en": "Special codes"}, level=1, valid=keep),
        Item(
            "Z.1",
            {
                "da": 'Hjemmehjælp, "praktisk" og personlig',
                "en": "Home help; practical",
                "de": "Häusliche Hilfe",
            },
            level=2,
            parent="Z",
            valid=Period(date(2010, 1, 1), date(2020, 1, 1)),
            description='Beskrivelse med "citater", kommaer, semikolon;\nog linjeskift\n\nog <tegn> & mere.',
            notes=("Første note", "Anden note, med komma"),
            alt_titles=(("da", "Praktisk hjælp"), ("en", "Home care")),
            keywords=(Keyword("ældre", 3), Keyword("rengøring"), Keyword("indkøb", 1)),
            replaced_by=("Z.2", "Z.3"),
            legal_refs=(
                LegalReference("Serviceloven § 83", "https://www.retsinformation.dk/eli/lta/2024/909"),
                LegalReference("Uden reference"),
            ),
            properties={"bevaring": "B", "sletning": "5 år efter sagens afslutning"},
        ),
        Item("Z.2", {"da": "Praktisk hjælp"}, level=2, parent="Z", valid=Period(date(2020, 1, 1), None)),
        Item(
            "Z.3",
            {"da": "Personlig pleje", "en": "Personal care"},
            level=2,
            parent="Z",
            valid=Period(date(2020, 1, 1), None),
            keywords=(Keyword("bad", 2),),
        ),
        Item(
            "Z.4",
            {"da": "Gammel titel"},
            level=2,
            parent="Z",
            valid=Period(date(2008, 1, 1), date(2015, 7, 1)),
        ),
        Item("Z.4", {"da": "Ny titel"}, level=2, parent="Z", valid=Period(date(2015, 7, 1), None)),
    )


def realistic_export() -> ExportSet:
    classification = Classification(
        "db07",
        {"da": "Dansk Branchekode 2007 (DB07)", "en": "Danish industrial classification"},
        description="Testudgave: DB07-uddrag og håndlavede koder",
        owner="Danmarks Statistik",
        publisher="Danmarks Statistik",
        licence="CC-BY-4.0",
        source_uri="https://www.dst.dk/",
    )
    items = [*db07_items(), *hand_made_items()]
    items = [replace(i, uuid=item_uuid(classification.canonical_uri, i.code)) for i in items]
    versions = (
        Release("DB07 v1", date(2008, 1, 1)),
        Release(
            "DB07 v3", date(2014, 1, 1), kind=ReleaseKind.HISTORY, source="db07_dksic.tsv", format="tabular"
        ),
    )
    return ExportSet(classification, tuple(items), DB07.levels, versions)


def round_trip(name: str, export: ExportSet, options: dict[str, str] | None = None) -> tuple[bytes, Bundle]:
    exporter = registry.get_exporter(name)
    data = exporter.write(export, options)
    source = f"{export.classification.id}{exporter.extension}"
    bundles = importer_for(name, data, source).read(data, source, ImportOptions())
    assert len(bundles) == 1, f"{name}: one classification exported, {len(bundles)} bundles read"
    return data, bundles[0]


def importer_for(name: str, data: bytes, source: str) -> Importer:
    return registry.importers().get(name) or registry.detect(data[:4096], source)


def _facts(items: tuple[Item, ...]) -> dict[tuple[str, Period], Item]:
    facts = {(i.code, i.valid): i for i in items}
    assert len(facts) == len(items), "two items share code and validity"
    return facts


def assert_same_model(name: str, export: ExportSet, bundle: Bundle) -> None:
    limits = CANNOT_CARRY.get(name, frozenset())
    assert bundle.classification.id == export.classification.id
    wanted = export.items
    if "one_fact_per_code" in limits:
        latest = {i.code: i for i in sorted(wanted, key=lambda i: (i.valid.start is not None, i.valid.start))}
        wanted = tuple(latest.values())
    expected, got = _facts(wanted), _facts(bundle.items)
    if "valid" in limits:
        expected = {(c, Period()): i for (c, _), i in expected.items()}
        got = {(c, Period()): i for (c, _), i in got.items()}
    assert sorted(got, key=str) == sorted(expected, key=str), f"{name}: codes/validity differ"
    for key, want in expected.items():
        for field in ITEM_FIELDS:
            if field not in limits:
                assert _value(got[key], field, limits) == _value(want, field, limits), (
                    f"{name}: {key[0]} {field}"
                )
    if "classification" not in limits:
        assert classification_to_dict(bundle.classification) == classification_to_dict(export.classification)
    if "levels" not in limits:
        number = lambda lv: lv.number  # noqa: E731
        assert sorted(bundle.levels, key=number) == sorted(export.levels, key=number)
    if "release" not in limits and export.versions:
        assert (bundle.release_label, bundle.release_date) == (
            export.versions[-1].label,
            export.versions[-1].release_date,
        )


def _value(item: Item, field: str, limits: frozenset[str]) -> object:
    value = getattr(item, field)
    return sorted(value, key=repr) if "unordered" in limits and isinstance(value, tuple) else value


def is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type.endswith(("json", "xml", "turtle"))


EXPORTERS = sorted(registry.exporters())


def test_the_own_formats_are_registered_both_ways() -> None:
    for name in ("json", "csv", "xlsx"):
        assert name in registry.exporters() and name in registry.importers()


@pytest.mark.parametrize("name", EXPORTERS)
def test_export_then_import_gives_the_same_model(name: str) -> None:
    export = realistic_export()
    _, bundle = round_trip(name, export)
    assert_same_model(name, export, bundle)


@pytest.mark.parametrize("name", EXPORTERS)
def test_output_is_stable(name: str) -> None:
    export = realistic_export()
    exporter = registry.get_exporter(name)
    first = exporter.write(export, None)
    assert first == exporter.write(export, None), f"{name}: two exports of the same set differ"
    shuffled = list(export.items)
    random.Random(7).shuffle(shuffled)
    assert first == exporter.write(replace(export, items=tuple(shuffled)), None), (
        f"{name}: the order of the given items changes the output"
    )


@pytest.mark.parametrize("name", EXPORTERS)
def test_output_is_non_empty_and_text_ends_with_a_newline(name: str) -> None:
    exporter = registry.get_exporter(name)
    data = exporter.write(realistic_export(), None)
    assert data
    if is_text(exporter.media_type):
        assert data.endswith(b"\n"), f"{name}: text output must end with a newline"
        data.decode("utf-8")


@pytest.mark.parametrize("name", EXPORTERS)
def test_the_registry_recognises_the_output(name: str) -> None:
    exporter = registry.get_exporter(name)
    data = exporter.write(realistic_export(), None)
    source = f"db07{exporter.extension}"
    assert registry.detect(data[:4096], source).name == importer_for(name, data, source).name


@pytest.mark.parametrize("name", EXPORTERS)
def test_an_empty_item_set_exports_and_reads_back_empty_or_refused_clearly(name: str) -> None:
    export = replace(realistic_export(), items=())
    exporter = registry.get_exporter(name)
    data = exporter.write(export, None)
    assert data
    source = f"db07{exporter.extension}"
    try:
        bundles = importer_for(name, data, source).read(data, source, ImportOptions())
    except ImportError_ as exc:  # a format may refuse a file without codes, but must say so clearly
        assert source in str(exc)
    else:
        assert all(b.items == () for b in bundles)


# --- generated item sets for Kodeks' own text formats ---------------------------------------------

_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_text = st.text(_chars, min_size=1, max_size=30)
_codes = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,8}", fullmatch=True)
_langs = st.sampled_from(["da", "en", "de", "kl"])
_days = st.dates(date(1900, 1, 1), date(2100, 1, 1))


@st.composite
def items(draw: st.DrawFn) -> tuple[Item, ...]:
    codes = draw(st.lists(_codes, min_size=0, max_size=8, unique=True))
    out: list[Item] = []
    for n, code in enumerate(codes):
        start, end = draw(st.none() | _days), draw(st.none() | _days)
        if start and end and end < start:
            start, end = end, start
        out.append(
            Item(
                code=code,
                titles=draw(st.dictionaries(_langs, _text, max_size=3)),
                level=draw(st.none() | st.integers(0, 9)),
                parent=codes[n - 1] if n and draw(st.booleans()) else None,
                valid=Period(start, end),
                uuid=draw(st.none() | st.uuids()),
                description=draw(st.none() | _text),
                notes=tuple(draw(st.lists(_text, max_size=2))),
                alt_titles=tuple(draw(st.lists(st.tuples(_langs, _text), max_size=2))),
                keywords=tuple(
                    draw(st.lists(st.builds(Keyword, _text, st.none() | st.integers(-5, 100)), max_size=3))
                ),
                replaced_by=tuple(draw(st.lists(_codes, max_size=2))),
                legal_refs=tuple(
                    draw(st.lists(st.builds(LegalReference, _text, st.none() | _text), max_size=2))
                ),
                properties=draw(st.dictionaries(_text, _text, max_size=2)),
            )
        )
    return tuple(out)


@pytest.mark.parametrize("name", ["json", "csv"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=items())
def test_generated_item_sets_round_trip(name: str, generated: tuple[Item, ...]) -> None:
    export = ExportSet(Classification("gen"), generated)
    _, bundle = round_trip(name, export, None)
    assert_same_model(name, export, bundle)


@settings(max_examples=30, deadline=None)
@given(generated=items(), sep=st.sampled_from([",", ";", "\t"]))
def test_csv_round_trips_with_every_separator(generated: tuple[Item, ...], sep: str) -> None:
    export = ExportSet(Classification("gen"), generated)
    _, bundle = round_trip("csv", export, {"sep": sep})
    assert_same_model("csv", export, bundle)
