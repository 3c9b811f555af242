"""``kodeks data quality --catalog-entry ID`` attaches the declaration to a catalog entry, and the
DCAT feed (``GET /api/v1/catalog?format=ttl``, ``kodeks catalog export``) then gives that dataset
``dqv:hasQualityMeasurement``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, RDF, XSD

from kodeks.api.app import create_app
from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from tests.data.test_validate_real_kle import CASES, cases_frame

DQV = Namespace("http://www.w3.org/ns/dqv#")
METRIC = Namespace("https://kodeks.dk/id/data-quality/metric/")


def test_the_dcat_feed_carries_the_quality_attached_to_an_entry(
    kle_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kle.sqlite"
    shutil.copy(kle_db.removeprefix("sqlite:///"), target)
    url = f"sqlite:///{target}"
    source = tmp_path / "sager.parquet"
    cases_frame().write_parquet(source)
    args = ["data", "quality", str(source), "--bind", "kle=kle", "--date-column", "oprettet"]
    assert run([*args, "--catalog-entry", "kle", "--json", "--db", url]) == 0
    capsys.readouterr()
    with TestClient(create_app(build(Settings(database_url=url, environment="test")))) as client:
        r = client.get("/api/v1/catalog", params={"format": "ttl"})
        entry = client.get("/api/v1/catalog/entries/kle").json()
    assert r.status_code == 200, r.text
    graph = Graph().parse(data=r.text, format="turtle")
    kle = URIRef(entry.get("identifier") or "http://testserver/api/v1/catalog/entries/kle")
    assert (kle, RDF.type, DCAT.Dataset) in graph
    measured = {
        graph.value(m, DQV.isMeasurementOf): graph.value(m, DQV.value)
        for m in graph.objects(kle, DQV.hasQualityMeasurement)
    }
    filled = sum(1 for c in CASES if c[0]) / len(CASES)
    assert measured[METRIC.filled] == Literal(round(filled, 6), datatype=XSD.double)
    assert METRIC.valid_at_date in measured and len(measured) >= 6
    others = [d for d in graph.subjects(RDF.type, DCAT.Dataset) if d != kle]
    assert others and all(graph.value(d, DQV.hasQualityMeasurement) is None for d in others)
    exported = tmp_path / "catalog.ttl"
    assert run(["catalog", "export", "--format", "ttl", "-o", str(exported), "--db", url]) == 0
    again = Graph().parse(exported, format="turtle")
    assert len(list(again.objects(None, DQV.hasQualityMeasurement))) == len(measured)


def test_an_unknown_catalog_entry_is_one_clear_error(
    kle_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "sager.parquet"
    cases_frame().write_parquet(source)
    code = run(
        ["data", "quality", str(source), "--bind", "kle=kle", "--catalog-entry", "nope", "--db", kle_db]
    )
    err = capsys.readouterr().err
    assert code != 0 and "no catalog entry 'nope'" in err and "Traceback" not in err
