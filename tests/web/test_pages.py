"""Each page: its template, its typed context, Danish by default, English on request, permalinks."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from kodeks.bootstrap import Kodeks
from kodeks.domain.release import ReleaseKind
from kodeks.web import contexts as ctx
from tests.factories import item, record, tree_bundle

TREE = "/klassifikationer/tree"


def page(client: TestClient, url: str, template: str, status: int = 200, **kw: object) -> object:
    r = client.get(url, **kw)  # type: ignore[arg-type]
    assert r.status_code == status, r.text[:500]
    assert r.template.name == template  # type: ignore[attr-defined]
    return r.context["page"]  # type: ignore[attr-defined]


def test_home_lists_every_classification(client: TestClient) -> None:
    home = page(client, "/", "home.html")
    assert isinstance(home, ctx.HomePage)
    assert {c.id for c in home.classifications} == {"tree", "xss"}
    tree = next(c for c in home.classifications if c.id == "tree")
    assert tree.title == "Testplan" and tree.href == TREE and tree.item_count == 8
    assert home.meta.lang == "da" and home.meta.section == "catalog"


def test_classification_page_has_versions_levels_downloads_and_the_top_level(client: TestClient) -> None:
    p = page(client, f"{TREE}?dato=2010-06-01", "classification.html")
    assert isinstance(p, ctx.ClassificationPage)
    assert p.when.at == date(2010, 6, 1) and p.when.chosen
    assert [n.code for n in p.tree.nodes] == ["10", "20"]
    assert [n.child_count for n in p.tree.nodes] == [1, 1]
    assert all(n.children is None for n in p.tree.nodes)  # lazy: one level only
    assert p.levels == ((1, "Hovedgruppe"), (2, "Gruppe"), (3, "Emne"))
    assert [v.label for v in p.versions] == ["2015-08-01"]
    formats = {parse_qs(urlsplit(d.href).query)["format"][0] for d in p.downloads}
    assert formats == {"csv", "xlsx", "json", "ttl", "jsonld", "rdfxml", "fhir"}
    assert all(
        "at=2010-06-01" in d.href and d.href.startswith("/api/v1/classifications/tree/export?")
        for d in p.downloads
    )
    assert p.meta.title == "Testplan"


def test_every_download_link_works(client: TestClient) -> None:
    p = page(client, f"{TREE}?dato=2013-01-01", "classification.html")
    for d in p.downloads:
        r = client.get(d.href)
        assert r.status_code == 200, d.href
        assert re.search(r'attachment; filename="tree-2013-01-01\.[a-z]+"$', r.headers["content-disposition"])


def test_open_nodes_in_the_url_are_rendered_open(client: TestClient) -> None:
    p = page(client, f"{TREE}?dato=2010-06-01&aaben=10&aaben=10.01", "classification.html")
    ten = p.tree.nodes[0]
    assert ten.children is not None and [n.code for n in ten.children.nodes] == ["10.01"]
    assert ten.children.nodes[0].children is not None
    assert [n.code for n in ten.children.nodes[0].children.nodes] == ["10.01.00", "10.01.05", "10.01.07"]


def test_tree_fragment_is_one_level_for_htmx(client: TestClient) -> None:
    r = client.get(f"{TREE}/trae?under=10.01&dato=2013-01-01", headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.template.name == "tree_fragment.html"  # type: ignore[attr-defined]
    frag = r.context["page"]  # type: ignore[attr-defined]
    assert isinstance(frag, ctx.TreeFragment)
    assert [n.code for n in frag.tree.nodes] == ["10.01.00"]  # the others expired before 2013
    assert "<html" not in r.text and r.text.lstrip().startswith("<li>")


def test_tree_fragment_opened_directly_redirects_to_the_page_with_the_node_open(client: TestClient) -> None:
    r = client.get(f"{TREE}/trae?under=10.01", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{TREE}?aaben=10.01"


def test_tree_pages_a_long_level(client: TestClient, registry: object) -> None:
    from kodeks.services import web_queries
    from kodeks.services.queries import When
    from kodeks.web.classification import reader

    level = web_queries.tree_level(
        registry.uow,
        reader(registry),
        "tree",
        None,  # type: ignore[attr-defined]
        When.of(date(2013, 1, 1)),
        offset=1,
        limit=1,
    )
    assert [n.row.code for n in level.nodes] == ["20"] and level.total == 2 and level.remaining == 0
    first = web_queries.tree_level(
        registry.uow,
        reader(registry),
        "tree",
        None,  # type: ignore[attr-defined]
        When.of(date(2013, 1, 1)),
        limit=1,
    )
    assert first.remaining == 1 and first.next_offset == 1


def test_item_page(client: TestClient) -> None:
    p = page(client, f"{TREE}/koder/10.01.00?dato=2013-01-01", "item.html")
    assert isinstance(p, ctx.ItemPage)
    assert p.code == "10.01.00" and p.title == "Undervisning i almindelighed"
    assert [k.term for k in p.keywords] == ["skole"]
    assert [r.title for r in p.legal_refs] == ["Folkeskoleloven"]
    assert p.parent is not None and p.parent.href == f"{TREE}/koder/10.01?dato=2013-01-01"
    assert [c.label for c in p.meta.breadcrumbs] == ["Katalog", "Testplan", "10", "10.01", "10.01.00"]
    assert p.level_name == "Emne"
    assert [e.kind for e in p.events] == ["created"]
    assert p.tree_href == f"{TREE}?dato=2013-01-01&aaben=10&aaben=10.01"


def test_item_page_links_successors_and_predecessors(client: TestClient) -> None:
    old = page(client, f"{TREE}/koder/10.01.05?dato=2011-05-01", "item.html")
    assert [s.label for s in old.successors] == ["20.02.01"]
    assert old.successors[0].href == f"{TREE}/koder/20.02.01?dato=2012-01-01"
    assert old.successors_now == ()  # the same as its successors: not said twice
    assert [e.kind for e in old.events] == ["created", "expired"]
    assert [link.label for link in old.events[1].links] == ["20.02.01"]
    new = page(client, f"{TREE}/koder/20.02.01", "item.html")
    assert [p.label for p in new.predecessors] == ["10.01.05 Gammel ordning"]
    assert new.predecessors[0].href == f"{TREE}/koder/10.01.05?dato=2011-12-31"  # its last day


def test_item_not_valid_then_is_404_saying_when_it_was(client: TestClient) -> None:
    p = page(client, f"{TREE}/koder/10.01.05?dato=2013-05-01", "error.html", 404)
    assert isinstance(p, ctx.ErrorPage)
    assert "fra 1990-01-01 til og med 2011-12-31" in p.message and "2013-05-01" in p.message
    assert p.heading == "10.01.05 er ikke længere gyldig"
    assert "Den er afløst af 20.02.01 Støtte til børn." in p.message
    assert (p.links[0].href, p.links[0].label) == (
        f"{TREE}/koder/20.02.01?dato=2013-05-01",
        "Gå til afløseren 20.02.01 Støtte til børn",
    )
    assert p.links[1].href == f"{TREE}/koder/10.01.05?dato=1990-01-01"


def test_history_page(client: TestClient) -> None:
    p = page(client, f"{TREE}/koder/10.01.05/historik", "history.html")
    assert isinstance(p, ctx.HistoryPage)
    assert [str(r.valid) for r in p.facts] == ["[1990-01-01, 2012-01-01)"]
    assert p.superseded == ()
    assert p.item_href == f"{TREE}/koder/10.01.05?dato=1990-01-01"


def test_history_shows_superseded_recordings(fresh: object, fresh_client: TestClient) -> None:
    """A later history release that corrects the past supersedes the earlier recording."""
    changed = [item("10", "Skole og uddannelse", start=date(1988, 1, 1))]
    record(fresh, tree_bundle(items=changed, release_date=date(2016, 1, 1)))  # type: ignore[arg-type]
    p = page(fresh_client, f"{TREE}/koder/10/historik", "history.html")
    assert [r.title for r in p.facts] == ["Skole og uddannelse"]
    assert [r.title for r in p.superseded] == ["Skole"]
    assert p.superseded[0].recorded_to == p.facts[0].recorded_from


def test_timeline_tells_a_rename_in_valid_time(fresh: object, fresh_client: TestClient) -> None:
    """Two snapshots: the title in force changes on the second release date."""
    for day, title in ((date(2001, 1, 1), "Gammel"), (date(2005, 1, 1), "Ny")):
        bundle = tree_bundle(
            items=[item("1", title)], release_date=day, kind=ReleaseKind.SNAPSHOT, cid="snap"
        )
        record(fresh, bundle)  # type: ignore[arg-type]
    p = page(fresh_client, "/klassifikationer/snap/koder/1", "item.html")
    renamed = [e for e in p.events if e.kind == "renamed"]
    assert [(e.day, e.old, e.new) for e in renamed] == [(date(2005, 1, 1), "Gammel", "Ny")]
    assert renamed[0].href == "/klassifikationer/snap/koder/1?dato=2005-01-01"


def test_changes_page(client: TestClient) -> None:
    p = page(client, f"{TREE}/aendringer?fra=2010-06-01&til=2013-01-01", "changes.html")
    assert isinstance(p, ctx.ChangesPage) and p.compared
    assert [c.code for c in p.expired] == ["10.01.07"]
    assert [(m.old, m.new) for m, _, _ in p.moved] == [("10.01.05", "20.02.01")]
    assert p.counts == {"added": 0, "expired": 1, "renamed": 0, "moved": 1, "reused": 0}
    assert p.expired[0].href == f"{TREE}/koder/10.01.07?dato=2010-06-01"


def test_changes_page_english_aliases(client: TestClient) -> None:
    p = page(client, "/classifications/tree/changes?from=2010-06-01&to=2013-01-01&lang=en", "changes.html")
    assert p.compared and p.meta.lang == "en"


def test_changes_without_dates_shows_the_form(client: TestClient) -> None:
    p = page(client, f"{TREE}/aendringer", "changes.html")
    assert not p.compared and p.fra is None


def test_english_by_query_then_cookie(client: TestClient) -> None:
    r = client.get(f"{TREE}?lang=en")
    assert '<html lang="en">' in r.text and "Hierarchy as of" in r.text
    assert r.cookies.get("kodeks_lang") == "en"
    p = r.context["page"]  # type: ignore[attr-defined]
    assert p.title == "Test plan"
    assert all("lang=en" in n.href for n in p.tree.nodes)  # permalinks keep the language
    again = client.get(TREE)  # the cookie remembers
    assert '<html lang="en">' in again.text
    back = client.get(f"{TREE}?lang=da")
    assert '<html lang="da">' in back.text and "Hierarki pr." in back.text


def test_danish_is_the_default(client: TestClient) -> None:
    r = client.get(TREE)
    assert '<html lang="da">' in r.text and r.headers["content-language"] == "da"
    assert "<title>Testplan · Kodeks</title>" in r.text


def test_english_alias_paths_reach_the_same_pages(client: TestClient) -> None:
    assert client.get("/classifications/tree/items/10").template.name == "item.html"  # type: ignore[attr-defined]
    assert client.get("/classifications/tree").template.name == "classification.html"  # type: ignore[attr-defined]
    assert client.get("/classifications/tree/items/10/history").status_code == 200


def test_pages_have_landmarks_skip_link_and_security_headers(client: TestClient) -> None:
    for url in ["/", TREE, f"{TREE}/koder/10", f"{TREE}/koder/10/historik", f"{TREE}/aendringer", "/soeg"]:
        r = client.get(url)
        assert r.status_code == 200, url
        for needle in (
            '<a class="skip-link" href="#indhold">',
            "<header",
            "<nav",
            '<main id="indhold"',
            "<footer",
        ):
            assert needle in r.text, (url, needle)
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"


def test_static_files_are_served(client: TestClient) -> None:
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/static/kodeks.css").status_code == 200


def test_catalogue_lists_registry_and_external_entries(client: TestClient) -> None:
    home = page(client, "/", "home.html")
    assert [c.id for c in home.external] == ["ext-plan"]
    assert home.external[0].href == "/katalog/ext-plan"
    tree = next(c for c in home.classifications if c.id == "tree")
    assert tree.catalog_href == "/katalog/tree"


def test_catalogue_entry_page(client: TestClient) -> None:
    p = page(client, "/katalog/ext-plan", "catalog_entry.html")
    assert isinstance(p, ctx.CatalogEntryPage)
    assert p.kind == "external" and p.classification_href is None
    assert p.themes == ("Regeringen og den offentlige sektor",)
    assert [(label, link.href) for label, link in p.links] == [("Hjemmeside", "https://example.org/plan")]
    assert [r.href for r in p.related] == ["/katalog/tree", "https://example.org/x"]
    assert p.contact_email == "redaktion@example.org"
    registry = page(client, "/catalog/tree?lang=en", "catalog_entry.html")
    assert registry.classification_href == "/klassifikationer/tree?lang=en"
    assert page(client, "/katalog/nope", "error.html", 404)


def test_search_page_finds_items_and_links_them_valid(client: TestClient) -> None:
    p = page(client, "/soeg?q=undervisning", "search.html")
    assert isinstance(p, ctx.SearchPage) and p.searched
    codes = [h.code for h in p.hits if h.kind == "item"]
    assert "10.01.00" in codes
    assert next(h for h in p.hits if h.code == "10.01.00").href == f"{TREE}/koder/10.01.00"


def test_search_expired_hits_link_to_their_last_valid_day(client: TestClient) -> None:
    p = page(client, "/soeg?q=nedlagt+ordning&udgaaede=1", "search.html")
    hit = next(h for h in p.hits if h.code == "10.01.07")
    assert hit.href == f"{TREE}/koder/10.01.07?dato=2010-12-31"
    without = page(client, "/soeg?q=nedlagt+ordning", "search.html")
    assert "10.01.07" not in [h.code for h in without.hits]


def test_search_by_code_and_filters(client: TestClient) -> None:
    p = page(client, "/soeg?q=10.01&klassifikation=tree&niveau=3&dato=2011-01-01", "search.html")
    assert p.classification == "tree" and p.level == 3 and p.at == date(2011, 1, 1)
    assert p.hits and all(h.code and h.code.startswith("10.01.") for h in p.hits)


def test_search_finds_external_catalogue_entries(client: TestClient) -> None:
    p = page(client, "/soeg?q=ekstern+plan", "search.html")
    assert any(h.href == "/katalog/ext-plan" for h in p.hits)


def test_search_with_operators_and_quotes_is_not_an_error(client: TestClient) -> None:
    for q in ['"skole" OR 1=1 --', "skole*", "NEAR(a b)", "a AND (b", "'; DROP TABLE item_record; --"]:
        r = client.get("/soeg", params={"q": q})
        assert r.status_code == 200, q


def test_a_new_registration_shows_at_once_in_the_tree(fresh: object, fresh_client: TestClient) -> None:
    """The sorted levels are kept between requests, but only until the classification is registered again."""
    before = page(fresh_client, f"{TREE}?dato=2016-01-01", "classification.html")
    assert [n.code for n in before.tree.nodes] == ["10", "20"]
    added = [item("15", "Ny hovedgruppe", start=date(2016, 1, 1))]
    record(fresh, tree_bundle(items=added, release_date=date(2016, 1, 1), kind=ReleaseKind.SNAPSHOT))  # type: ignore[arg-type]
    after = page(fresh_client, f"{TREE}?dato=2016-01-01", "classification.html")
    assert "15" in [n.code for n in after.tree.nodes]
    known = before.versions[0].recorded_at.isoformat()
    as_then = page(fresh_client, f"{TREE}?dato=2016-01-01&kendt={known}", "classification.html")
    assert [n.code for n in as_then.tree.nodes] == ["10", "20"]  # as known then: still without it


def test_opaque_codes_are_not_shown_as_codes(fresh: object, fresh_client: TestClient) -> None:
    """FSIII's codes are UUIDs: the pages show titles and keep the UUID in the details."""
    uid = "0fa991ef-adf5-4202-8cfe-a31454ed6e9d"
    bundle = tree_bundle(
        items=[item(uid, "Sundhedsfremme", level=1), item("c0de", "Under", uid, level=2)], cid="fs"
    )
    record(fresh, bundle)  # type: ignore[arg-type]
    r = fresh_client.get("/klassifikationer/fs")
    assert f'<span class="code">{uid}</span>' not in r.text and "Sundhedsfremme" in r.text
    assert 'aria-label="Underpunkter til Sundhedsfremme"' in r.text
    p = page(fresh_client, f"/klassifikationer/fs/koder/{uid}", "item.html")
    assert p.meta.title.startswith("Sundhedsfremme – ") and p.meta.breadcrumbs[-1].label == "Sundhedsfremme"
    child = page(fresh_client, "/klassifikationer/fs/koder/c0de", "item.html")
    assert child.parent is not None and child.parent.label == "Sundhedsfremme"


def test_danish_titles_on_english_pages_are_marked_as_danish(client: TestClient) -> None:
    """WCAG 3.1.2 (language of parts): a title shown in another language than the page says so."""
    en = page(client, f"{TREE}?lang=en", "classification.html")
    assert {n.lang for n in en.tree.nodes} == {"da"}
    assert '<span lang="da">Skole</span>' in client.get(f"{TREE}?lang=en").text
    item_en = page(client, f"{TREE}/koder/10?lang=en", "item.html")
    assert item_en.title_lang == "da"
    da = page(client, f"{TREE}?lang=da", "classification.html")
    assert {n.lang for n in da.tree.nodes} == {None}
    assert page(client, f"{TREE}/koder/10", "item.html").title_lang is None


def test_an_item_without_a_title_says_so(fresh: Kodeks, fresh_client: TestClient) -> None:
    """An inferred parent that no release titles (KLE's hovedgruppe 34) is shown as such."""
    untitled = replace(item("30", start=date(1988, 1, 1)), titles={})
    record(fresh, tree_bundle(date(2016, 1, 1), items=[*tree_bundle().items, untitled]))
    p = page(fresh_client, f"{TREE}/koder/30", "item.html")
    assert p.title == "(titel ikke i nogen udgave)"  # type: ignore[attr-defined]
