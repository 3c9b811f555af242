"""The model pages under /modeller: typed contexts, Danish by default, the diagram, search, errors."""

from __future__ import annotations

import os
import shutil

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, model_formats
from kodeks.services.models import library, lifecycle, valuedomains
from kodeks.web.models.contexts import ClassPage, ModelPage, ModelsPage, PackagePage
from tests.conftest import data_file
from tests.factories import memory_registry, tree_bundle
from tests.models.conftest import NEMKONTO, SMALL_XMI
from tests.search.backends import load


def _need_graphviz() -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must render the class diagrams: run scripts/graphviz")
        pytest.skip("Graphviz (dot) is not installed: scripts/graphviz installs it")


@pytest.fixture(scope="module")
def client() -> TestClient:
    kodeks: Kodeks = memory_registry()
    load(kodeks, tree_bundle())  # with the listeners: the search index holds the items
    library.import_model(kodeks.uow, kodeks.models, model_formats(), SMALL_XMI, "sag.xmi", model_id="sag")
    nemkonto = data_file(NEMKONTO)
    library.import_model(
        kodeks.uow, kodeks.models, model_formats(), nemkonto.read_bytes(), nemkonto.name, model_id="nemkonto"
    )
    valuedomains.bind(kodeks.uow, kodeks.models, "sag", "Sag.emne", "tree")
    valuedomains.bind(kodeks.uow, kodeks.models, "nemkonto", "locn:Address.locn:adminUnitL1", "tree")
    return TestClient(create_app(kodeks), raise_server_exceptions=False)


def test_models_page_lists_models_in_danish(client: TestClient) -> None:
    r = client.get("/modeller")
    assert r.status_code == 200 and r.template.name == "models/models.html"  # type: ignore[attr-defined]
    page: ModelsPage = r.context["page"]  # type: ignore[attr-defined]
    assert {m.id for m in page.models} == {"sag", "nemkonto"}
    assert "Informationsmodeller" in r.text and 'lang="da"' in r.text
    assert "Information models" in client.get("/modeller?lang=en").text


def test_search_finds_model_elements_and_classification_items(client: TestClient) -> None:
    page: ModelsPage = client.get("/modeller", params={"q": "titel"}).context["page"]  # type: ignore[attr-defined]
    assert [h.name for h in page.hits] == ["Sag.titel"]
    page = client.get("/modeller", params={"q": "kontoejer"}).context["page"]  # type: ignore[attr-defined]
    assert any(h.name == "nkr:AccountOwner" for h in page.hits)
    page = client.get("/modeller", params={"q": "Støtte"}).context["page"]  # type: ignore[attr-defined]
    assert any("20.02.01" in h.name for h in page.classification_hits)


def test_model_page(client: TestClient) -> None:
    r = client.get("/modeller/nemkonto")
    page: ModelPage = r.context["page"]  # type: ignore[attr-defined]
    assert page.counts["classes"] == 8 and page.kind == "information"
    assert page.findings.get("uri", 0) >= 1
    assert page.packages[0].name.startswith("NemKontoregisteret")
    assert {link.label for link in page.exports} >= {"xmi", "rdf", "shacl", "jsonschema", "linkml"}


def test_package_page_has_the_diagram(client: TestClient) -> None:
    _need_graphviz()
    r = client.get("/modeller/sag/pakker/EAPK_1")
    page: PackagePage = r.context["page"]  # type: ignore[attr-defined]
    assert [c.name for c in page.classes] == ["Sag", "Part", "Aktoer", "EmneVaerdi"]
    assert page.svg is not None and page.svg.startswith("<svg")
    assert "Sag" in page.svg and "/modeller/sag/klasser/EAID_C1" in page.svg
    svg = client.get("/modeller/sag/pakker/EAPK_1/diagram.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")


def test_class_page_shows_attributes_relations_and_the_bound_classification(client: TestClient) -> None:
    page: ClassPage = client.get("/modeller/sag/klasser/EAID_C1").context["page"]  # type: ignore[attr-defined]
    assert [(a.name, a.type_name, a.multiplicity) for a in page.attributes] == [
        ("titel", "String", "1"),
        ("emne", "EmneVaerdi", "0..*"),
    ]
    assert page.attributes[1].binding == "tree"
    assert [(role, link.label, mult) for role, link, mult in page.outgoing] == [("part", "Part", "0..*")]
    part: ClassPage = client.get("/modeller/sag/klasser/EAID_C2").context["page"]  # type: ignore[attr-defined]
    assert [link.label for link in part.supertypes] == ["Aktoer"]
    enum: ClassPage = client.get("/modeller/sag/klasser/EAID_E1").context["page"]  # type: ignore[attr-defined]
    assert [name for name, _ in enum.literals] == ["00.01", "00.03"]


@pytest.mark.parametrize(
    "url",
    [
        "/modeller/nope",
        "/modeller/sag/pakker/nope",
        "/modeller/sag/klasser/nope",
        "/modeller/sag/pakker/nope/diagram.svg",
    ],
)
def test_unknown_things_are_404_pages(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


def test_hostile_query_is_escaped_and_long_ones_refused(client: TestClient) -> None:
    r = client.get("/modeller", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200 and "<script>alert(1)" not in r.text
    assert client.get("/modeller", params={"q": "x" * 600}).status_code == 400


def test_without_graphviz_the_page_says_so_and_lists_the_classes(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kodeks.formats import models_diagram
    from kodeks.web.models import pages

    monkeypatch.setattr(models_diagram.shutil, "which", lambda _name: None)
    monkeypatch.setattr(pages, "_SVG_CACHE", type(pages._SVG_CACHE)())
    r = client.get("/modeller/sag/pakker/EAPK_1", params={"lang": "da"})
    page: PackagePage = r.context["page"]  # type: ignore[attr-defined]
    assert r.status_code == 200 and page.svg is None and len(page.classes) == 4
    assert "kræver Graphviz" in r.text
    assert client.get("/modeller/sag/pakker/EAPK_1/diagram.svg").status_code == 404


def test_the_diagram_escapes_what_the_file_says() -> None:
    from kodeks.domain.models.elements import ModelClass, Package
    from kodeks.domain.models.model import InfoModel
    from kodeks.formats.models_diagram import dot_source

    hostile = 'x" image="/etc/passwd'
    model = InfoModel(
        "m",
        "m",
        packages=(Package("P", "P"),),
        classes=(ModelClass(hostile, "<b>&", "P"), ModelClass("B", "B\\", "P")),
    )
    dot = dot_source(model, "P", lambda element_id: f"/x/{element_id}")
    assert 'image="' not in dot and hostile not in dot  # the quote cannot end the string it is in
    assert "&lt;b&gt;&amp;" in dot
    if shutil.which("dot"):
        from kodeks.formats.models_diagram import render_svg

        svg = render_svg(dot)
        assert svg is not None and b"<image" not in svg


def test_model_pages_show_the_status_and_approval_status(client: TestClient) -> None:
    page: ModelPage = client.get("/modeller/sag").context["page"]  # type: ignore[attr-defined]
    assert (page.status, page.status_by) == ("draft", None)
    assert "Kladde" in client.get("/modeller/sag", params={"lang": "da"}).text
    kodeks: Kodeks = client.app.state.kodeks  # type: ignore[attr-defined]
    lifecycle.set_status(kodeks.uow, kodeks.models, "sag", "review", actor="anne")
    r = client.get("/modeller/sag", params={"lang": "da"})
    page = r.context["page"]  # type: ignore[attr-defined]
    assert (page.status, page.status_by) == ("review", "anne")
    assert "Til godkendelse" in r.text and "Afventer godkendelse" in r.text and "Under udvikling" in r.text
    english = client.get("/modeller/sag?lang=en").text
    assert "In review" in english and "Awaiting approval" in english and "Til godkendelse" not in english
    listed: ModelsPage = client.get("/modeller").context["page"]  # type: ignore[attr-defined]
    assert {m.id: m.status for m in listed.models} == {"sag": "review", "nemkonto": "draft"}
    lifecycle.set_status(kodeks.uow, kodeks.models, "sag", "draft", actor="anne")


def test_the_classification_page_lists_the_models_bound_to_it_and_the_change_s_impact(
    client: TestClient,
) -> None:
    from kodeks.web.contexts import ClassificationPage

    # the page shown on 2012-06-01 compares with a year before: 10.01.05 was replaced by 20.02.01
    r = client.get("/klassifikationer/tree", params={"dato": "2012-06-01", "lang": "da"})
    page: ClassificationPage = r.context["page"]  # type: ignore[attr-defined]
    rows = [(u.model.label, u.model.href, u.element.label, u.element.href) for u in page.model_usages]
    assert rows == [
        (
            "NemKontoregisteret - konverteret til FDA-profil",
            "/modeller/nemkonto",
            "locn:Address.locn:adminUnitL1",
            "/modeller/nemkonto/klasser/EAID_AA7DC65C_3D6C_4183_98C2_FBC4B93F4718",
        ),
        ("Sag", "/modeller/sag", "Sag.emne", "/modeller/sag/klasser/EAID_C1"),
    ]
    impact = page.model_impact
    assert impact is not None
    assert (impact.from_date.isoformat(), impact.to_date.isoformat()) == ("2011-06-01", "2012-06-01")
    assert impact.counts == {"added": 0, "expired": 0, "renamed": 0, "moved": 1}
    assert "Bruges i informationsmodeller" in r.text and 'href="/modeller/nemkonto"' in r.text
    assert "1 flyttet" in r.text and "model-impact?from=2011-06-01&amp;to=2012-06-01" in r.text
    for u in page.model_usages:  # the links lead to the model pages
        assert client.get(u.element.href).status_code == 200
    # today the classification did not change since its release: the page says so
    quiet = client.get("/klassifikationer/tree", params={"lang": "da"}).context["page"]  # type: ignore[attr-defined]
    assert quiet.model_impact is not None and sum(quiet.model_impact.counts.values()) == 0
    english = client.get("/classifications/tree", params={"at": "2012-06-01", "lang": "en"}).text
    assert "Used in information models" in english and "1 moved" in english
