"""The model catalogue: DIGST's real catalogue read and imported, every held model in the DCAT feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, model_formats
from kodeks.domain.models.catalogue import CatalogueEntry
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.models_catalogue import MODELCAT, read_catalogue
from kodeks.services.models import catalogue, library
from tests.conftest import data_file
from tests.factories import memory_registry, tree_bundle
from tests.models.conftest import SMALL_XMI

INFOMODELS = "infomodels"
CATALOGUE = f"{INFOMODELS}/digst_modelkatalog.rdf.xml"


@pytest.fixture(scope="module")
def entries() -> list[CatalogueEntry]:
    """The real catalogue read once for the module (about a second)."""
    path = data_file(CATALOGUE)
    return read_catalogue(path.read_bytes(), path.name)


def test_the_real_catalogue_is_read_with_its_vocabulary(entries: list[CatalogueEntry]) -> None:
    path = data_file(CATALOGUE)
    # counted in the file itself: rdf:about of every node typed dcat:Dataset (by element or rdf:type)
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    root = etree.parse(str(path)).getroot()
    typed = {
        el.getparent().get(f"{rdf}about")
        for el in root.iter(f"{rdf}type")
        if el.get(f"{rdf}resource") == "http://www.w3.org/ns/dcat#Dataset"
    }
    typed |= {el.get(f"{rdf}about") for el in root.iter("{http://www.w3.org/ns/dcat#}Dataset")}
    assert len(entries) == len(typed) == 129
    basic = next(e for e in entries if e.titles.get("da") == "Grunddatamodellen")
    assert basic.model_type == "https://data.gov.dk/model/core/modeltype#LogicalDataModel"
    assert basic.modelling_regime == "https://data.gov.dk/model/core/modellingregime#Grunddata"
    assert basic.titles["en"] == "The Basic Data Model" and "grunddata" in basic.keywords


def test_import_feed_and_reimport() -> None:
    kodeks = memory_registry()
    path = data_file(CATALOGUE)
    first = catalogue.import_catalogue(
        kodeks.uow, kodeks.models, read_catalogue, path.read_bytes(), path.name
    )
    assert (first.entries, first.recorded) == (129, 129)
    again = catalogue.import_catalogue(
        kodeks.uow, kodeks.models, read_catalogue, path.read_bytes(), path.name
    )
    assert again.recorded == 0
    library.import_model(kodeks.uow, kodeks.models, model_formats(), SMALL_XMI, "sag.xmi", model_id="sag")
    client = TestClient(create_app(kodeks), raise_server_exceptions=False)
    response = client.get("/api/v1/models/catalog")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=response.text, format="turtle")
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 130
    ours = URIRef("http://testserver/modeller/sag")
    assert ours in datasets
    assert g.value(ours, MODELCAT.modelType) == URIRef(
        "https://data.gov.dk/concept/core/modeltype#InformationModel"
    )
    assert str(g.value(ours, DCTERMS.title)) == "Sag"


@pytest.fixture(scope="module")
def empty() -> Kodeks:
    return memory_registry()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", MalformedInput),
        (b"<rdf:RDF", MalformedInput),
        (
            b'<!DOCTYPE r [<!ENTITY x "y">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
            MalformedInput,
        ),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', InvalidContent),
    ],
)
def test_bad_catalogues_are_refused_and_change_nothing(
    empty: Kodeks, data: bytes, error: type[Exception]
) -> None:
    kodeks = empty
    with pytest.raises(error):
        catalogue.import_catalogue(kodeks.uow, kodeks.models, read_catalogue, data, "bad.rdf")
    assert catalogue.catalogue(kodeks.uow, kodeks.models, "https://x") == []


def test_the_feed_is_stable(entries: list[CatalogueEntry]) -> None:
    from kodeks.formats.models_catalogue import write_catalogue

    first = write_catalogue(entries[:20], "https://x/modeller/katalog")
    assert first == write_catalogue(list(reversed(entries[:20])), "https://x/modeller/katalog")
    assert first.endswith(b"\n") and not first.endswith(b"\n\n")


def test_the_classification_catalog_feed_carries_the_models_too() -> None:
    """One harvest of /api/v1/catalog sees the classifications and every model Kodeks holds, the
    models in the model catalogue's vocabulary with their status and approval status."""
    from kodeks.formats.models_catalogue import ADMS, VOAG
    from kodeks.services.models import lifecycle
    from tests.models.conftest import NEMKONTO
    from tests.search.backends import load

    kodeks = memory_registry()
    load(kodeks, tree_bundle())  # with the listeners: the catalog holds the classification
    nemkonto = data_file(NEMKONTO)
    formats = model_formats()
    library.import_model(
        kodeks.uow, kodeks.models, formats, nemkonto.read_bytes(), nemkonto.name, model_id="nk"
    )
    library.import_model(kodeks.uow, kodeks.models, formats, SMALL_XMI, "sag.xmi", model_id="sag")
    lifecycle.set_status(kodeks.uow, kodeks.models, "sag", "review", actor="anne")
    client = TestClient(create_app(kodeks), raise_server_exceptions=False)
    for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld"), ("rdfxml", "xml")):
        response = client.get("/api/v1/catalog", params={"format": fmt})
        assert response.status_code == 200, fmt
        g = Graph().parse(data=response.text, format=parser)
        (feed,) = g.subjects(RDF.type, DCAT.Catalog)
        datasets = set(g.objects(feed, DCAT.dataset))
        assert datasets == set(g.subjects(RDF.type, DCAT.Dataset))
        identifiers = {str(g.value(d, DCTERMS.identifier)) for d in datasets}
        assert "https://kodeks.dk/id/tree" in identifiers, fmt  # the classification
        sag, nk = URIRef("http://testserver/modeller/sag"), URIRef("http://testserver/modeller/nk")
        assert {sag, nk} <= datasets and len(datasets) == 3, fmt
        information = URIRef("https://data.gov.dk/concept/core/modeltype#InformationModel")
        assert g.value(sag, MODELCAT.modelType) == information == g.value(nk, MODELCAT.modelType)
        assert g.value(sag, ADMS.status) == URIRef("http://purl.org/adms/status/UnderDevelopment")
        assert g.value(sag, VOAG.approvalStatus) == URIRef(
            "https://data.gov.dk/model/core/approvalstatus#AwaitingApproval"
        )
        assert g.value(nk, VOAG.approvalStatus) == URIRef(
            "https://data.gov.dk/model/core/approvalstatus#NotApplicable"
        )
        assert str(g.value(nk, DCTERMS.title)).startswith("NemKontoregisteret")
    # the JSON catalog lists the models too, beside the catalog entries, in the same vocabulary
    body = client.get("/api/v1/catalog", params={"format": "json"}).json()
    assert [e["id"] for e in body["entries"]] == ["tree"] and body["count"] == 1
    models = {m["model_id"]: m for m in body["models"]}
    assert sorted(models) == ["nk", "sag"] and body["model_count"] == 2
    sag = models["sag"]
    assert sag["uri"] == sag["landing_page"] == "http://testserver/modeller/sag"
    assert sag["titles"] == {"da": "Sag"}
    assert sag["model_type"] == "https://data.gov.dk/concept/core/modeltype#InformationModel"
    assert sag["status"] == "http://purl.org/adms/status/UnderDevelopment"
    assert sag["approval_status"] == "https://data.gov.dk/model/core/approvalstatus#AwaitingApproval"
    assert sag["links"] == {"self": "/api/v1/models/sag"}
    assert sag["version"] and sag["issued"]
    assert models["nk"]["approval_status"].endswith("#NotApplicable")
    assert client.get(sag["links"]["self"]).status_code == 200


def test_the_cli_catalog_export_carries_the_models(tmp_path: Path) -> None:
    from kodeks.cli.main import run

    db = f"sqlite:///{tmp_path / 'feed.sqlite'}"
    xmi = tmp_path / "sag.xmi"
    xmi.write_bytes(SMALL_XMI)
    assert run(["models", "import", str(xmi), "--model", "sag", "--db", db]) == 0
    target = tmp_path / "feed.ttl"
    assert (
        run(
            [
                "catalog",
                "export",
                "--format",
                "ttl",
                "--base-url",
                "https://x.dk",
                "-o",
                str(target),
                "--db",
                db,
            ]
        )
        == 0
    )
    g = Graph().parse(target, format="turtle")
    ours = URIRef("https://x.dk/modeller/sag")
    assert (URIRef("https://x.dk/api/v1/catalog"), DCAT.dataset, ours) in g
    assert g.value(ours, MODELCAT.modelType) is not None
    listed = tmp_path / "catalog.json"
    args = ["catalog", "export", "--format", "json", "--base-url", "https://x.dk", "-o", str(listed)]
    assert run([*args, "--db", db]) == 0
    document = json.loads(listed.read_text())
    assert document["entries"] == []
    (model,) = document["models"]
    assert model["model_id"] == "sag" and model["uri"] == "https://x.dk/modeller/sag"
    assert model["model_type"] == "https://data.gov.dk/concept/core/modeltype#InformationModel"
    assert model["status"] == "http://purl.org/adms/status/UnderDevelopment"
    assert "links" not in model and model["version"] and model["issued"]


def test_the_catalogue_vocabularies_import_as_registry_classifications() -> None:
    """DIGST's SKOS vocabularies of the catalogue import with the registry's own SKOS reader (their
    dd-mm-yyyy dates read as dates), and every status URI Kodeks writes is one of their concepts."""
    from datetime import date

    import pyoxigraph as ox

    from kodeks.domain.models.status import APPROVAL_STATUS, MODEL_STATUS
    from kodeks.formats.rdf_graph import literal_date
    from kodeks.services import importing
    from kodeks.services.queries import When, items

    kodeks = memory_registry()
    found: dict[str, set[str]] = {}
    for name in (
        "approvalstatus",
        "modelstatus",
        "modeltype",
        "modelscope",
        "modellingregime",
        "modellinglevel",
    ):
        path = data_file(f"{INFOMODELS}/digst_{name}.rdf")
        (report,) = importing.import_data(kodeks.uow, kodeks.formats, path.read_bytes(), path.name)
        codes = {i.code for i in items(kodeks.uow, report.classification_id, When.of(date(2020, 1, 1)))}
        found[name] = codes
    assert [len(found[n]) for n in sorted(found)] == [4, 3, 3, 2, 4, 7]  # as the files list them
    assert {u.rsplit("#", 1)[1] for u in APPROVAL_STATUS.values()} <= found["approvalstatus"]
    assert {u.rsplit("/", 1)[1] for u in MODEL_STATUS.values()} <= found["modelstatus"]
    day = literal_date(ox.Literal("23-10-2018"), source="s", subject="x", what="dct:modified")
    assert day == date(2018, 10, 23)
    with pytest.raises(InvalidContent):
        literal_date(ox.Literal("31-02-2018"), source="s", subject="x", what="dct:modified")
