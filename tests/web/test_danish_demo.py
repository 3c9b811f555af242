"""The Danish UI speaks Danish: the rendered pages of a database loaded as ``kodeks demo`` loads it (real
KLE, FSIII, ICD-10, the bundled EU vocabularies, municipalities, demo users) hold no English UI text.

Text in another language that the page marks as such (``lang="en"``: ISCO-08's English-only titles,
the countries' labels in 24 languages) and identifiers (``<code>``) are not UI text and are skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import lxml.html
import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, build
from kodeks.cli import demo
from kodeks.config import Settings
from kodeks.web import contexts as ctx
from tests.built_once import built_once, file_copy
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.slow

#: English words and phrases that must not appear in Danish pages (whole words, case-sensitive where
#: capitalised): UI words, and the English source texts the demo data carry.
ENGLISH = (
    "the",
    "and",
    "of",
    "from",
    "with",
    "not",
    "valid",
    "Valid",
    "until",
    "through",
    "expired",
    "Expired",
    "Country",
    "File type",
    "Data theme",
    "Named Authority",
    "Codes from",
    "translations",
    "Generated",
    "used under",
    "terms",
    "Sign in",
    "Search",
    "Results",
    "results",
    "Catalogue",
    "Download",
    "History",
    "Keywords",
    "Guidance",
    "Licence",
    "Owner",
    "Children",
    "Parent",
    "weight",
    "found in",
    "Previous",
    "Next",
    "Show",
    "Version",
    "Released",
    "Recorded",
    "supplement",
    "display",
)
_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
#: Danish data that contain such words: proper names.
NAMES = ("Isle of Man",)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Kodeks, TestClient]]:
    if not (SHARED_DATA / "kle" / "kle_emneplan_2015-08-01.xml").exists():
        pytest.skip("../shared/data is absent: the demo-like database needs real KLE (see SOURCES.md)")

    def loaded(url: str) -> None:
        made = build(Settings(database_url=url, environment="test"))
        demo.load(made, Console(file=io.StringIO()), SHARED_DATA)
        made.engine.dispose()

    # The demo's import takes half a minute: built once per test run, each worker reads a copy.
    url = file_copy(built_once(tmp_path_factory, "demo", loaded), tmp_path_factory.mktemp("demo"))
    kodeks = build(Settings(database_url=url, environment="test", read_cache_seconds=-1))
    with TestClient(create_app(kodeks), raise_server_exceptions=False) as client:
        yield kodeks, client


def english(html: str) -> list[str]:
    """English words in the page's Danish text (marked foreign text and identifiers left out)."""
    doc = lxml.html.fromstring(html)
    for el in doc.xpath("//script|//style|//code|//*[@lang and not(starts-with(@lang, 'da'))]"):
        if el.getparent() is not None and el is not doc:
            el.drop_tree()
    text = " ".join(doc.text_content().split())
    for name in NAMES:
        text = text.replace(name, "")
    return sorted({m.group(0) for m in _WORDS.finditer(text)})


def pages(client: TestClient) -> list[str]:
    home = client.get("/").context["page"]  # type: ignore[attr-defined]
    assert isinstance(home, ctx.HomePage)
    urls = ["/", "/klassifikationer", "/soeg?q=hjemmehjælp", "/soeg?q=Aarhus", "/soeg?q=affald&udgaaede=1"]
    urls += ["/redaktion", "/klassifikationer/kle/koder/00.10.00?dato=2012-05-01"]
    urls += [
        "/klassifikationer/kle/koder/27.24.00/historik",
        "/klassifikationer/kle/aendringer?fra=2012-01-01&til=2015-01-01",
    ]
    urls += ["/klassifikationer/kle/koder/00.10.00", "/klassifikationer/ingen"]
    for c in (*home.classifications, *home.external):
        urls.append(c.href)
        if c.catalog_href:
            urls.append(c.catalog_href)
    for c in home.classifications:
        page = client.get(c.href).context["page"]  # type: ignore[attr-defined]
        if page.tree.nodes:
            node = page.tree.nodes[0]
            urls.append(node.href)
            if node.child_count:
                urls.append(client.get(node.href).context["page"].children[0].href)  # type: ignore[attr-defined]
    return urls


def test_danish_pages_hold_no_english(demo_site: tuple[Kodeks, TestClient]) -> None:
    _kodeks, client = demo_site
    found = {}
    for url in pages(client):
        r = client.get(url)
        assert r.status_code in (200, 401, 404), url
        words = english(r.text)
        if words:
            found[url] = words
    assert found == {}


def test_the_demo_catalogue_starts_with_kle_and_fsiii(demo_site: tuple[Kodeks, TestClient]) -> None:
    home = demo_site[1].get("/").context["page"]  # type: ignore[attr-defined]
    assert [c.id for c in home.classifications][:2] == ["kle", "fsiii"]
    titles = {c.id: c.title for c in home.classifications}
    assert titles["eu-countries"] == "Lande (EU-autoritetstabel)"
    assert titles["icd10-da"] == "ICD-10 (dansk udgave fra SKS)"
    kle = next(c for c in home.classifications if c.id == "kle")
    assert kle.licence_label == "rights" and kle.licence and kle.licence.startswith("© KL")
    entry = demo_site[1].get("/katalog/kle").context["page"]  # type: ignore[attr-defined]
    assert ("Adgang", "offentlig") in entry.facts


def test_fsiii_shows_each_concept_once_and_icd10_has_chapters(demo_site: tuple[Kodeks, TestClient]) -> None:
    client = demo_site[1]
    fsiii = client.get("/klassifikationer/fsiii").context["page"]  # type: ignore[attr-defined]
    top = [n.title for n in fsiii.tree.nodes]
    assert len(top) == len(set(top)) == 17
    icd = client.get("/klassifikationer/icd10-da").context["page"]  # type: ignore[attr-defined]
    assert [n.code for n in icd.tree.nodes][:2] == ["A00-B99", "C00-D48"] and len(icd.tree.nodes) == 21


def test_the_demo_correspondences_map_with_titles(demo_site: tuple[Kodeks, TestClient]) -> None:
    client = demo_site[1]
    kle_form = client.get(
        "/api/v1/correspondences/kle-form/map", params={"code": "27.24.00", "at": "2020-01-01"}
    )
    assert kle_form.status_code == 200
    body = kle_form.json()
    assert body["source"]["title"] == "Særlig støtte til børn og unge i almindelighed"
    assert {t["code"] for t in body["targets"]} == {"26.15", "26.15.30", "26.15.40"}
    form_kle = client.get(
        "/api/v1/correspondences/form-kle/map", params={"code": "26.15.30.05", "at": "2020-01-01"}
    )
    assert form_kle.json()["targets"][0]["title"] == "Underretningspligt m.v."


def test_map_prints_the_source_title(
    demo_site: tuple[Kodeks, TestClient], capsys: pytest.CaptureFixture[str]
) -> None:
    from kodeks.cli.main import run

    kodeks = demo_site[0]
    assert (
        run(
            [
                "local",
                "correspondence",
                "map",
                "kle-form",
                "27.24.00",
                "--at",
                "2020-01-01",
                "--db",
                kodeks.settings.database_url,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("27.24.00 Særlig støtte til børn og unge i almindelighed (n:m)")
    assert "form is not in the registry and the table gives no titles" in out


def test_aarhus_is_found(demo_site: tuple[Kodeks, TestClient]) -> None:
    body = demo_site[1].get("/api/v1/search", params={"q": "Aarhus"}).json()
    assert body["results"][0]["classification"] == "dagi-kommuner" and body["results"][0]["code"] == "751"
