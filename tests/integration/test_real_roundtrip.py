"""Export → import → identity, for every exporter, on every real classification in ../shared/data.

Each source is imported as the demo (or a user) would import it, exported at its release date in
every registered format, imported again as a new classification, and compared item by item on that
date: code, lifespan, parent, level, titles and every attribute (``codec.item_to_dict``). The
classification's URI is this registry's own, so the copy is another dataset; item UUIDs come back
because every exporter writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.codec import item_to_dict
from kodeks.services import exporting, importing, queries
from kodeks.services.ports import ImportOptions
from kodeks.services.queries import When
from tests.conftest import data_file
from tests.factories import memory_registry


@dataclass(frozen=True)
class Source:
    path: str
    cid: str
    format: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    release_date: date | None = None
    slow: bool = False


SOURCES = (
    Source("db07_dk_nace/db07_dksic.tsv", "db07", "tabular", {"preset": "db07"}, date(2008, 1, 1)),
    Source("esco/ISCOGroups_en.csv", "isco-08", "tabular", {"preset": "isco08"}, date(2008, 1, 1)),
    Source("fsiii/CodeSystem-FSIII.json", "fsiii", "fhir"),
    Source("fsiii/CodeSystem-FFB.json", "ffb", "fhir"),
    Source("fsiii/CodeSystem-FBOE.json", "fboe", "fhir"),
    Source("fsiii/CodeSystem-LTT.json", "ltt", "fhir"),
    Source("fsiii/CodeSystem-CareSocialCodes.json", "care-social", "fhir"),
    Source(
        "skos_eu_vocabularies/countries-skos.rdf", "eu-countries", "skos", release_date=date(2022, 12, 14)
    ),
    Source(
        "skos_eu_vocabularies/filetypes-skos.rdf", "eu-file-types", "skos", release_date=date(2022, 12, 14)
    ),
    Source(
        "skos_eu_vocabularies/data-theme-skos-ap-act.ttl",
        "eu-data-themes",
        "skos",
        release_date=date(2016, 12, 25),
    ),
    Source(
        "skos_eu_vocabularies/addresstypes-skos.rdf",
        "eu-address-types",
        "skos",
        release_date=date(2022, 12, 14),
    ),
    Source(
        "skos_eu_vocabularies/humansexes-skos.rdf", "eu-human-sexes", "skos", release_date=date(2022, 12, 14)
    ),
    Source(
        "skos_eu_vocabularies/honorifics-skos.rdf", "eu-honorifics", "skos", release_date=date(2022, 12, 14)
    ),
    Source(
        "skos_eu_vocabularies/corporate-body-classification-skos.rdf",
        "eu-corporate-bodies",
        "skos",
        release_date=date(2022, 12, 14),
    ),
    Source(
        "skos_skosmos_test_vocabs/test-hierarchy.ttl",
        "skosmos-hierarchy",
        "skos",
        release_date=date(2020, 1, 1),
    ),
    Source("icd10_da_sks/CodeSystem-icd10-da.json", "icd10-da", "fhir", slow=True),
    Source("skos_stw_thesaurus/stw-skos.ttl", "stw", "skos", release_date=date(2020, 1, 1), slow=True),
)
EXPORTERS = ("json", "csv", "xlsx", "ttl", "jsonld", "rdfxml", "fhir")


def _import(
    kodeks: Kodeks,
    data: bytes,
    name: str,
    cid: str,
    fmt: str | None,
    options: dict[str, str],
    day: date | None,
) -> date:
    [report] = importing.import_data(
        kodeks.uow,
        kodeks.formats,
        data,
        name,
        format=fmt,
        options=ImportOptions(classification=cid, options=options),
        release_date=day,
    )
    return report.release_date


def snapshot(kodeks: Kodeks, cid: str, day: date) -> dict[str, dict[str, object]]:
    return {i.code: item_to_dict(i) for i in queries.items(kodeks.uow, cid, When.of(day))}


_loaded: dict[str, tuple[Kodeks, date]] = {}


def loaded(source: Source) -> tuple[Kodeks, date]:
    if source.path not in _loaded:
        path = data_file(source.path)
        kodeks = memory_registry()
        day = _import(
            kodeks,
            path.read_bytes(),
            path.name,
            source.cid,
            source.format,
            source.options,
            source.release_date,
        )
        _loaded[source.path] = (kodeks, day)
    return _loaded[source.path]


#: The two largest sources (10^4 codes each) go through the writer of their own family (ICD-10:
#: FHIR, STW: SKOS Turtle), to keep the suite fast; every writer runs on all the others, and STW's
#: other syntaxes and Kodeks' own formats round-trip in tests/formats/test_skos_thesaurus.py.
NATIVE = {"fhir": "fhir", "skos": "ttl"}
CASES = [
    pytest.param(s, fmt, id=f"{s.cid}-{fmt}", marks=[pytest.mark.slow] if s.slow else [])
    for s in SOURCES
    for fmt in ((NATIVE[s.format or ""],) if s.slow else EXPORTERS)
]


@pytest.mark.parametrize(("source", "fmt"), CASES)
def test_export_and_reimport_is_identity(source: Source, fmt: str) -> None:
    kodeks, day = loaded(source)
    exported = exporting.export(kodeks.uow, kodeks.formats, source.cid, fmt, When.of(day))
    copy = memory_registry()
    _import(copy, exported.content, exported.filename, "copy", None, {}, day)
    original, again = snapshot(kodeks, source.cid, day), snapshot(copy, "copy", day)
    assert original, f"{source.path} has no item valid on {day}"
    assert sorted(again) == sorted(original)
    differing = [code for code in original if again[code] != original[code]]
    assert differing == [], (len(differing), original[differing[0]], again[differing[0]])
