"""The imported model catalogue in the web UI (/modeller/katalog), its vocabulary values linked to the
registry classifications of DIGST's own SKOS vocabularies; and the JSON catalog listing the models."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import model_formats
from kodeks.domain.models.catalogue import entry_key
from kodeks.formats.models_catalogue import read_catalogue
from kodeks.services import importing
from kodeks.services.models import catalogue, library
from kodeks.web.models.contexts import CatalogueEntryPage, CataloguePage, CatalogueRow, ModelsPage
from tests.conftest import data_file
from tests.factories import memory_registry
from tests.models.conftest import SMALL_XMI

VOCABULARIES = ("approvalstatus", "modelstatus", "modeltype", "modelscope", "modellingregime")


@pytest.fixture(scope="module")
def client() -> TestClient:
    """DIGST's catalogue, its five vocabularies as registry classifications, and one model of ours."""
    kodeks = memory_registry()
    for name in VOCABULARIES:
        path = data_file(f"infomodels/digst_{name}.rdf")
        importing.import_data(kodeks.uow, kodeks.formats, path.read_bytes(), path.name)
    path = data_file("infomodels/digst_modelkatalog.rdf.xml")
    catalogue.import_catalogue(kodeks.uow, kodeks.models, read_catalogue, path.read_bytes(), path.name)
    library.import_model(kodeks.uow, kodeks.models, model_formats(), SMALL_XMI, "sag.xmi", model_id="sag")
    return TestClient(create_app(kodeks), raise_server_exceptions=False)


def _row(page: CataloguePage, title: str) -> CatalogueRow:
    (row,) = [e for e in page.entries if e.title == title]
    return row


def test_the_catalogue_page_lists_the_entries_with_linked_values(client: TestClient) -> None:
    r = client.get("/modeller/katalog")
    assert r.status_code == 200 and r.template.name == "models/catalogue.html"  # type: ignore[attr-defined]
    page: CataloguePage = r.context["page"]  # type: ignore[attr-defined]
    assert len(page.entries) == 129  # every entry of the real catalogue, none of the held models
    basic = _row(page, "Grunddatamodellen")
    assert basic.modelling_regime.href == "/klassifikationer/modelleringsregimer/koder/Grunddata"
    assert basic.modelling_regime.label == "Grunddata"
    assert basic.model_scope.uri == "https://data.gov.dk/model/core/modelscope#ApplicationModel"  # the file's
    assert basic.model_scope.label == "anvendelsesmodel"
    assert basic.model_scope.href == "/klassifikationer/modelomfang/koder/ApplicationModel"
    # LogicalDataModel is not a concept of DIGST's model-type vocabulary: shown, not linked
    assert basic.model_type.label == "LogicalDataModel" and basic.model_type.href is None
    fields = ("status", "approval_status", "model_scope", "modelling_regime", "model_type")
    linked = {f: sum(getattr(e, f).href is not None for e in page.entries) for f in fields}
    # counted in the file: 20 adms:status Completed; 38 + 3 approval statuses Approved/AwaitingApproval
    # (the one spelt awaitingApproval, and the Development statuses, are no concepts of the
    # vocabularies); 78 + 50 scopes; 26 + 13 + 42 regimes; 15 ConceptModel (the others' types are not
    # in digst_modeltype.rdf)
    assert linked == {
        "status": 20,
        "approval_status": 41,
        "model_scope": 128,
        "modelling_regime": 81,
        "model_type": 15,
    }
    assert {link.label for link in page.vocabularies} == {
        "Modeltype",
        "Modelomfang",
        "Modelleringsregime",
        "Status",
        "Godkendelsesstatus",
    }
    assert 'href="/klassifikationer/modelleringsregimer/koder/Grunddata"' in r.text
    assert f'href="{basic.href}"' in r.text


def test_an_entry_page_and_english(client: TestClient) -> None:
    page: CataloguePage = client.get("/modeller/katalog").context["page"]  # type: ignore[attr-defined]
    basic = _row(page, "Grunddatamodellen")
    r = client.get(basic.href, params={"lang": "en"})
    assert r.status_code == 200 and r.template.name == "models/catalogue_entry.html"  # type: ignore[attr-defined]
    entry: CatalogueEntryPage = r.context["page"]  # type: ignore[attr-defined]
    assert entry.title == "The Basic Data Model" and "grunddata" in entry.keywords
    assert basic.href == f"/modeller/katalog/{entry_key(entry.uri)}"
    facts = dict(entry.facts)
    assert facts["model_scope"].label == "application model"
    assert facts["model_scope"].href == "/klassifikationer/modelomfang/koder/ApplicationModel?lang=en"
    assert "Model catalogue" in r.text and "Model scope" in r.text and "not in the registry" in r.text
    assert client.get("/modeller/katalog/000000000000").status_code == 404


def test_the_models_page_links_the_catalogue(client: TestClient) -> None:
    r = client.get("/modeller", params={"lang": "da"})  # the client keeps the language chosen before
    page: ModelsPage = r.context["page"]  # type: ignore[attr-defined]
    assert page.catalogue_href == "/modeller/katalog" and page.catalogue_entries == 129
    assert 'href="/modeller/katalog"' in r.text and "Modelkatalog" in r.text
