"""Search results say how many there are, page through them, count them per classification, and say
why a hit matched (service, API and the search page)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from kodeks.domain.item import Keyword
from kodeks.errors import InvalidRequest
from kodeks.services.search import SearchQuery, search
from kodeks.web import contexts as ctx
from tests.factories import item, tree_bundle
from tests.search.backends import BACKENDS, load, registry_on

START = date(2000, 1, 1)


@pytest.fixture(scope="module", params=BACKENDS)
def waste(request: pytest.FixtureRequest) -> Iterator[Kodeks]:
    """45 codes titled "Affald ...", one found only by a stikord, one only by its guidance; and a
    second plan with two more (on SQLite, and on PostgreSQL when one is configured)."""
    many = [item(f"{n:02d}", f"Affald nummer {n}", start=START) for n in range(1, 46)]
    many.append(
        item(
            "90",
            "Genbrugspladser",
            start=START,
            keywords=(Keyword("affaldssortering", 5), Keyword("affald", 50)),
        )
    )
    many.append(
        item(
            "91",
            "Renovation",
            start=START,
            description="Intro.\n\nHer journaliseres sager om affald fra boliger.",
        )
    )
    other = [item("A", "Affald fra virksomheder", start=START), item("B", "Farligt affald", start=START)]
    with registry_on(request.param) as kodeks:
        load(kodeks, tree_bundle(items=many, cid="plan"), tree_bundle(items=other, cid="andet"))
        yield kodeks


def run(kodeks: Kodeks, text: str, **kw: object):  # type: ignore[no-untyped-def]
    return search(kodeks.uow, kodeks.search_index, SearchQuery(text, **kw))  # type: ignore[arg-type]


def test_total_counts_past_the_limit_and_offset_pages_without_gaps(waste: Kodeks) -> None:
    first = run(waste, "affald", limit=20)
    assert first.total == 49 and len(first.hits) == 20
    pages = [run(waste, "affald", limit=20, offset=o).hits for o in (0, 20, 40)]
    assert [len(p) for p in pages] == [20, 20, 9]
    paged = [(h.classification_id, h.code) for p in pages for h in p]
    whole = [(h.classification_id, h.code) for h in run(waste, "affald", limit=100).hits]
    assert paged == whole and len(set(paged)) == 49


def test_facets_count_per_classification_whatever_the_filter(waste: Kodeks) -> None:
    result = run(waste, "affald", classification="andet")
    assert result.facets == {"plan": 47, "andet": 2}
    assert result.total == 2 and {h.classification_id for h in result.hits} == {"andet"}


def test_each_hit_says_where_it_matched(waste: Kodeks) -> None:
    by_code = {h.code: h for h in run(waste, "affald", classification="plan", limit=100).hits}
    assert by_code["01"].fields == ("title",)
    assert by_code["90"].fields == ("keywords",)
    assert by_code["91"].fields == ("body",)
    assert run(waste, "90", classification="plan").hits[0].fields == ("code",)


def test_paging_is_bounded(waste: Kodeks) -> None:
    with pytest.raises(InvalidRequest, match="offset"):
        run(waste, "affald", limit=100, offset=901)
    with pytest.raises(InvalidRequest, match="offset"):
        run(waste, "affald", offset=-1)


@pytest.fixture
def waste_client(waste: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(waste), raise_server_exceptions=False) as c:
        yield c


def test_the_api_gives_total_offset_facets_and_matched_in(waste_client: TestClient) -> None:
    body = waste_client.get("/api/v1/search", params={"q": "affald", "limit": 5, "offset": 45}).json()
    assert body["total"] == 49 and body["offset"] == 45 and body["count"] == 4 and body["limit"] == 5
    assert body["facets"] == [
        {"classification": "plan", "count": 47},
        {"classification": "andet", "count": 2},
    ]
    assert all(r["matched_in"] for r in body["results"])
    assert (
        waste_client.get("/api/v1/search", params={"q": "affald", "offset": 990, "limit": 20}).status_code
        == 400
    )


def test_the_search_page_pages_shows_facets_and_why(waste_client: TestClient) -> None:
    r = waste_client.get("/soeg", params={"q": "affald"})
    p = r.context["page"]  # type: ignore[attr-defined]
    assert isinstance(p, ctx.SearchPage)
    assert p.total == 49 and len(p.hits) == 20 and p.previous is None and p.next is not None
    assert "start=20" in p.next.href and "Viser 1–20 af 49" in r.text
    assert [(link.label, n) for link, n, _chosen in p.facets] == [("Testplan", 47), ("Testplan", 2)]
    assert "klassifikation=andet" in p.facets[1][0].href
    last = waste_client.get(p.next.href).context["page"]  # type: ignore[attr-defined]
    assert last.start == 20 and last.previous is not None
    why = {
        h.code: h
        for h in waste_client.get("/soeg", params={"q": "affald", "klassifikation": "plan", "start": 40})
        .context["page"]
        .hits
    }  # type: ignore[attr-defined]
    assert why["90"].reason == "fundet i stikord" and why["90"].snippet == "affald, affaldssortering"
    assert why["91"].reason == "fundet i beskrivelse eller vejledning"
    assert why["91"].snippet == "Her journaliseres sager om affald fra boliger."
