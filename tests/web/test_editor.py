"""Editor screens over the governance workflow: sign in, draft, edit, submit, review, publish; with
CSRF, origin, four-eyes, stale and oversized input refused with a clear page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.web import contexts as ctx
from kodeks.web.access import SESSION_COOKIE
from tests.governance.world import World, build_world, clone
from tests.web.conftest import XSS

PLAN = "own-plan"


@pytest.fixture(scope="module")
def base_world() -> World:
    return build_world()


@pytest.fixture
def world(base_world: World) -> World:
    return clone(base_world)


@pytest.fixture
def browser(world: World) -> Iterator[TestClient]:
    with TestClient(
        create_app(world.kodeks), raise_server_exceptions=False, base_url="https://kodeks.test"
    ) as c:
        yield c


def sign_in(client: TestClient, world: World, who: str) -> None:
    client.cookies.clear()
    r = client.post("/redaktion/log-ind", data={"token": world.tokens[who]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/redaktion"


def csrf(client: TestClient, url: str = "/redaktion") -> str:
    page = client.get(url).context["page"]  # type: ignore[attr-defined]
    return str(page.csrf)


def test_signed_out_editor_home_is_the_sign_in_page(browser: TestClient) -> None:
    r = browser.get("/redaktion")
    assert r.status_code == 401 and r.template.name == "login.html"  # type: ignore[attr-defined]


def test_sign_in_sets_a_strict_http_only_cookie_and_bad_tokens_are_refused(
    browser: TestClient, world: World
) -> None:
    bad = browser.post("/redaktion/log-ind", data={"token": "kdx_not-a-token"})
    assert bad.status_code == 401 and "ikke gyldig" in bad.text and "kdx_not-a-token" not in bad.text
    for who in ("expired", "revoked"):
        assert browser.post("/redaktion/log-ind", data={"token": world.tokens[who]}).status_code == 401
    r = browser.post("/redaktion/log-ind", data={"token": world.tokens["editor"]}, follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert (
        SESSION_COOKIE in cookie
        and "HttpOnly" in cookie
        and "SameSite=strict" in cookie
        and "Secure" in cookie
    )
    response = browser.get("/redaktion")
    assert response.headers["cache-control"] == "no-store"
    home = response.context["page"]  # type: ignore[attr-defined]
    assert isinstance(home, ctx.EditorHome)
    assert [c.id for c in home.classifications] == [PLAN]
    plan = home.classifications[0]
    assert plan.can_draft and {cs.state for cs in plan.change_sets} >= {"draft", "submitted", "approved"}


def test_the_whole_workflow_through_the_screens(browser: TestClient, world: World) -> None:
    sign_in(browser, world, "editor")
    token = csrf(browser)
    r = browser.post(
        f"/redaktion/klassifikationer/{PLAN}/udkast",
        follow_redirects=False,
        data={"csrf": token, "titel": f"Ny gruppe {XSS}", "version": "2026-1", "gyldig_fra": "2026-01-01"},
    )
    assert r.status_code == 303
    cs_url = r.headers["location"].split("?")[0]
    cs_id = int(cs_url.rsplit("/", 1)[1])
    page = browser.get(r.headers["location"]).context["page"]  # type: ignore[attr-defined]
    assert isinstance(page, ctx.ChangeSetPage) and page.state == "draft" and page.message
    assert page.actions == {"edit", "submit"}
    assert XSS not in browser.get(cs_url).text

    r = browser.post(
        f"{cs_url}/kode",
        follow_redirects=False,
        data={
            "csrf": token,
            "kode": "03",
            "titel_da": "Tredje gruppe",
            "titel_en": "Third group",
            "beskrivelse": "- a\n- b",
        },
    )
    assert r.status_code == 303 and "besked=saved" in r.headers["location"]
    r = browser.post(
        f"{cs_url}/udloeb",
        follow_redirects=False,
        data={"csrf": token, "kode": "02.01", "gyldig_til": "2026-01-01"},
    )
    assert r.status_code == 303, r.text[:300]
    page = browser.get(cs_url).context["page"]  # type: ignore[attr-defined]
    assert [(e.code, e.op) for e in page.entries] == [("02.01", "expire"), ("03", "upsert")]

    r = browser.post(f"{cs_url}/indsend", follow_redirects=False, data={"csrf": token, "etag": page.etag})
    assert r.status_code == 303 and "besked=submitted" in r.headers["location"]

    sign_in(browser, world, "reviewer")
    token = csrf(browser)
    page = browser.get(cs_url).context["page"]  # type: ignore[attr-defined]
    assert page.state == "submitted" and "review" in page.actions and "edit" not in page.actions
    r = browser.post(f"{cs_url}/godkend", follow_redirects=False, data={"csrf": token, "etag": page.etag})
    assert r.status_code == 303
    page = browser.get(cs_url).context["page"]  # type: ignore[attr-defined]
    assert page.state == "approved" and "publish" in page.actions
    r = browser.post(
        f"{cs_url}/udgiv",
        follow_redirects=False,
        data={"csrf": token, "etag": page.etag, "tekst": "Ny gruppe 03"},
    )
    assert r.status_code == 303 and "besked=published" in r.headers["location"]
    page = browser.get(cs_url).context["page"]  # type: ignore[attr-defined]
    assert page.state == "published" and page.published_href == f"/klassifikationer/{PLAN}?dato=2026-01-01"
    assert page.actions == frozenset()

    item = browser.get(f"/klassifikationer/{PLAN}/koder/03?dato=2026-06-01").context["page"]  # type: ignore[attr-defined]
    assert item.title == "Tredje gruppe" and [b.items for b in item.guidance] == [("a", "b")]
    gone = browser.get(f"/klassifikationer/{PLAN}/koder/02.01?dato=2026-06-01")
    assert gone.status_code == 404
    assert cs_id > 0


def test_forms_without_csrf_or_from_another_site_are_refused(browser: TestClient, world: World) -> None:
    sign_in(browser, world, "editor")
    token = csrf(browser)
    data = {"titel": "x", "version": "y", "gyldig_fra": "2026-01-01"}
    url = f"/redaktion/klassifikationer/{PLAN}/udkast"
    assert browser.post(url, data=data).status_code == 403
    assert browser.post(url, data={**data, "csrf": "0" * 40}).status_code == 403
    r = browser.post(url, data={**data, "csrf": token}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = browser.post("/redaktion/log-ind", data={"token": "x"}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_refusals_show_the_change_set_again_with_the_reason(browser: TestClient, world: World) -> None:
    plan = world.plans["751"]
    sign_in(browser, world, "editor")
    token = csrf(browser)
    url = f"/redaktion/aendringssaet/{plan.submitted}"
    r = browser.post(
        f"{url}/godkend", data={"csrf": token, "etag": plan.submitted_etag}
    )  # an editor cannot review
    assert r.status_code == 403 and r.template.name == "change_set.html"  # type: ignore[attr-defined]
    assert r.context["page"].error  # type: ignore[attr-defined]
    draft = f"/redaktion/aendringssaet/{plan.draft}"
    r = browser.post(f"{draft}/indsend", data={"csrf": token, "etag": '"stale"'})
    assert r.status_code in (409, 412) and r.context["page"].error  # type: ignore[attr-defined]
    r = browser.post(f"{draft}/kode", data={"csrf": token, "kode": "09", "titel_da": ""})
    assert r.status_code == 400 and "dansk titel" in r.text
    r = browser.post(f"{draft}/kode", data={"csrf": token, "kode": "01", "titel_da": "Kopi", "etag": '"old"'})
    assert r.status_code in (409, 412)
    assert r.context["page"].form.title_da == "Kopi"  # type: ignore[attr-defined]  # the input is kept
    r = browser.post(f"{draft}/udloeb", data={"csrf": token, "kode": "01", "gyldig_til": "31-12-2026"})
    assert r.status_code == 400 and "ÅÅÅÅ-MM-DD" in r.text


def test_the_author_cannot_approve_their_own_change_set(browser: TestClient, world: World) -> None:
    """Four eyes: the owner may review, but not a change set they wrote themselves."""
    sign_in(browser, world, "owner")
    token = csrf(browser)
    r = browser.post(
        f"/redaktion/klassifikationer/{PLAN}/udkast",
        follow_redirects=False,
        data={"csrf": token, "titel": "Eget", "version": "v", "gyldig_fra": "2026-01-01"},
    )
    cs_url = r.headers["location"].split("?")[0]
    browser.post(f"{cs_url}/kode", data={"csrf": token, "kode": "05", "titel_da": "Fem"})
    page = browser.get(cs_url).context["page"]  # type: ignore[attr-defined]
    browser.post(f"{cs_url}/indsend", data={"csrf": token, "etag": page.etag})
    page = browser.get(cs_url).context["page"]  # type: ignore[attr-defined]
    r = browser.post(f"{cs_url}/godkend", data={"csrf": token, "etag": page.etag})
    assert r.status_code >= 400 and r.context["page"].state == "submitted"  # type: ignore[attr-defined]


def test_reject_needs_a_reason(browser: TestClient, world: World) -> None:
    plan = world.plans["751"]
    sign_in(browser, world, "reviewer")
    token = csrf(browser)
    url = f"/redaktion/aendringssaet/{plan.submitted}"
    r = browser.post(f"{url}/afvis", data={"csrf": token, "etag": plan.submitted_etag, "tekst": ""})
    assert r.status_code == 400
    r = browser.post(
        f"{url}/afvis",
        follow_redirects=False,
        data={"csrf": token, "etag": plan.submitted_etag, "tekst": "Forkert nummer"},
    )
    assert r.status_code == 303
    page = browser.get(url).context["page"]  # type: ignore[attr-defined]
    assert page.state == "rejected" and page.reason == "Forkert nummer"


def test_oversized_and_odd_forms(browser: TestClient, world: World) -> None:
    sign_in(browser, world, "editor")
    token = csrf(browser)
    url = f"/redaktion/aendringssaet/{world.plans['751'].draft}"
    r = browser.post(f"{url}/kode", data={"csrf": token, "kode": "x", "beskrivelse": "a" * 70_000})
    assert r.status_code == 413 and r.template.name == "error.html"  # type: ignore[attr-defined]
    assert browser.post(f"{url}/noget", data={"csrf": token}).status_code == 404
    assert browser.get("/redaktion/aendringssaet/999999").status_code == 404
    r = browser.get("/redaktion/aendringssaet/abc")
    assert r.status_code == 404 and r.template.name == "error.html"  # type: ignore[attr-defined]


def test_other_organisations_change_sets_are_not_shown(browser: TestClient, world: World) -> None:
    sign_in(browser, world, "editor")
    other = world.plans["101"].draft
    r = browser.get(f"/redaktion/aendringssaet/{other}")
    assert r.status_code == 403


def test_sign_out(browser: TestClient, world: World) -> None:
    sign_in(browser, world, "editor")
    r = browser.post("/redaktion/log-ud", follow_redirects=False)
    assert r.status_code == 303 and re.search(rf"{SESSION_COOKIE}=\"?\"?;", r.headers["set-cookie"])
    browser.cookies.clear()
    assert browser.get("/redaktion").status_code == 401


def test_a_classification_that_is_not_public_needs_a_reader(browser: TestClient, world: World) -> None:
    """The pages follow the same read policy as the read API (and the search hides its codes)."""
    from kodeks.domain.governance.identity import system_actor
    from kodeks.services.governance import classifications
    from tests.governance.world import gov_of

    gov = gov_of(world.kodeks)
    classifications.update_policy(
        gov, system_actor("test"), PLAN, world.plans["751"].etag, {"public_read": False}
    )
    browser.cookies.clear()
    for url in (
        f"/klassifikationer/{PLAN}",
        f"/klassifikationer/{PLAN}/koder/01",
        f"/klassifikationer/{PLAN}/koder/01/historik",
        f"/klassifikationer/{PLAN}/aendringer",
    ):
        r = browser.get(url)
        assert r.status_code == 401 and r.template.name == "error.html", url  # type: ignore[attr-defined]
        assert "/redaktion/log-ind" in r.text
    r = browser.get(f"/klassifikationer/{PLAN}/trae?under=01", headers={"HX-Request": "true"})
    assert r.status_code == 401
    sign_in(browser, world, "colleague-101")  # signed in, but no role on this plan
    assert browser.get(f"/klassifikationer/{PLAN}").status_code == 403
    sign_in(browser, world, "reader")
    assert browser.get(f"/klassifikationer/{PLAN}").status_code == 200
    assert browser.get(f"/klassifikationer/{PLAN}/koder/01").status_code == 200


def test_search_leaves_out_codes_the_reader_may_not_read(browser: TestClient, world: World) -> None:
    from kodeks.domain.governance.identity import system_actor
    from kodeks.services.governance import classifications
    from tests.governance.world import gov_of

    def plan_hits() -> list[str]:
        page = browser.get("/soeg?q=emne").context["page"]  # type: ignore[attr-defined]
        return [h.code for h in page.hits if h.classification.startswith("Plan 751")]

    browser.cookies.clear()
    assert plan_hits()  # public by default
    gov = gov_of(world.kodeks)
    classifications.update_policy(
        gov, system_actor("test"), PLAN, world.plans["751"].etag, {"public_read": False}
    )
    assert plan_hits() == []
    sign_in(browser, world, "reader")
    assert plan_hits()


def test_an_administrator_creates_and_edits_an_external_catalogue_entry(
    browser: TestClient, world: World
) -> None:
    from kodeks.services import catalog

    sign_in(browser, world, "admin")
    home = browser.get("/redaktion").context["page"]  # type: ignore[attr-defined]
    assert home.new_entry_href == "/redaktion/katalog/ny"
    form = browser.get("/redaktion/katalog/ny").context["page"]  # type: ignore[attr-defined]
    assert isinstance(form, ctx.CatalogForm) and form.id is None
    data = {
        "csrf": form.csrf,
        "id": "form-plan",
        "title_da": f"Formplan {XSS}",
        "description_da": f"Om {XSS}",
        "publisher": "KL",
        "themes": ["GOVE", "SOCI"],
        "keywords": "sager\njournal",
        "status": "Completed",
        "landing_page": "https://example.org/form",
        "distributions": "https://example.org/form.csv CSV-fil",
        "contact_email": "kontakt@example.org",
    }
    r = browser.post("/redaktion/katalog/ny", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/katalog/form-plan?besked=entry_saved"
    page = browser.get(r.headers["location"])
    assert XSS not in page.text and page.context["page"].message  # type: ignore[attr-defined]
    entry = catalog.get_entry(world.kodeks.uow, world.kodeks.catalog, "form-plan").entry
    assert entry.themes == ("GOVE", "SOCI") and entry.keywords == ("sager", "journal")
    assert [(d.url, d.title) for d in entry.distributions] == [("https://example.org/form.csv", "CSV-fil")]

    edit = browser.get("/redaktion/katalog/form-plan").context["page"]  # type: ignore[attr-defined]
    assert edit.values["keywords"] == "sager\njournal" and edit.values["themes"] == "GOVE\nSOCI"
    changed = {
        **edit.values,
        "csrf": edit.csrf,
        "keywords": "sager\njournal\narkiv",
        "themes": ["GOVE", "SOCI"],
    }
    r = browser.post("/redaktion/katalog/form-plan", data=changed, follow_redirects=False)
    assert r.status_code == 303
    stored = catalog.get_entry(world.kodeks.uow, world.kodeks.catalog, "form-plan")
    assert stored.entry.keywords == ("sager", "journal", "arkiv") and stored.entry.publisher == "KL"

    bad = {**changed, "landing_page": "javascript:alert(1)"}
    r = browser.post("/redaktion/katalog/form-plan", data=bad)
    assert r.status_code == 400 and r.template.name == "catalog_form.html"  # type: ignore[attr-defined]
    assert r.context["page"].values["landing_page"] == "javascript:alert(1)"  # type: ignore[attr-defined]
    assert 'href="javascript:' not in r.text
    assert browser.post("/redaktion/katalog/form-plan", data={**changed, "csrf": "x"}).status_code == 403


def test_editors_may_edit_only_their_classifications_entry(browser: TestClient, world: World) -> None:
    sign_in(browser, world, "editor")
    assert browser.get("/katalog/own-plan").context["page"].edit_href == "/redaktion/katalog/own-plan"  # type: ignore[attr-defined]
    assert browser.get("/katalog/other-plan").context["page"].edit_href is None  # type: ignore[attr-defined]
    assert browser.get("/redaktion/katalog/other-plan").status_code == 403
    assert browser.get("/redaktion/katalog/ny").status_code == 403
    form = browser.get("/redaktion/katalog/own-plan").context["page"]  # type: ignore[attr-defined]
    r = browser.post(
        "/redaktion/katalog/own-plan",
        follow_redirects=False,
        data={**form.values, "csrf": form.csrf, "used_by": "Aarhus Kommune\nSBSYS"},
    )
    assert r.status_code == 303
    from kodeks.services import catalog

    stored = catalog.get_entry(world.kodeks.uow, world.kodeks.catalog, "own-plan")
    assert stored.entry.used_by == ("Aarhus Kommune", "SBSYS") and stored.edited == frozenset({"used_by"})
    browser.cookies.clear()
    assert browser.get("/redaktion/katalog/own-plan").status_code == 401
