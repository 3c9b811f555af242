"""The requirement and screening routes: contracts, error shapes, hostile bodies; and the web pages."""

from __future__ import annotations

import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.governance.world import dump
from tests.requirements.world import World, requirement

ANSWERS = {
    "personoplysninger": "cpr-foelsomme",
    "sager": "ja",
    "brugere": "medarbejdere",
    "data": "levere",
    "omfang": "kommuner",
    "ydelser": "fsiii",
    "breve": "ja",
    "stoerrelse": "stor",
}


def error_code(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return str(body["error"]["code"])


def test_the_contract_routes_answer(seeded: World, seeded_client: TestClient) -> None:
    listed = seeded_client.get("/api/v1/requirements")
    assert listed.status_code == 200 and listed.json()["count"] == 10
    first = listed.json()["requirements"][0]
    assert first["id"] == "ARK-01" and first["state"] == "published" and first["owner"] == "kl"
    assert seeded_client.get("/api/v1/requirements?principle=8").json()["count"] == 1
    for fmt, media in (
        ("xlsx", "spreadsheetml"),
        ("docx", "wordprocessingml"),
        ("reqif", "application/xml"),
    ):
        got = seeded_client.get(f"/api/v1/requirement-sets/ski-arkitektur/export?format={fmt}")
        assert got.status_code == 200 and media in got.headers["content-type"]
        assert f'filename="ski-arkitektur.{fmt}"' in got.headers["content-disposition"]
    bad = seeded_client.get("/api/v1/requirement-sets/ski-arkitektur/export?format=pdf")
    assert bad.status_code in (400, 422) and error_code(bad)
    assert seeded_client.get("/api/v1/requirement-sets/nope/export").status_code == 404
    made = seeded_client.post(
        "/api/v1/screenings",
        json={"questionnaire": "arkitektur-screening", "project": "Omsorg", "answers": ANSWERS},
        headers=seeded.auth("author"),
    )
    assert made.status_code == 201
    result = made.json()["result"]
    assert result["level"] == "Høj" and result["requirement_sets"] == ["ski-arkitektur"]
    assert "kle" in result["classifications"] and "Serviceplatformen" in result["solutions"]
    again = seeded_client.get(made.headers["location"]).json()
    assert again["result"] == result and again["questionnaire_version"] == 1
    assert seeded_client.get("/api/v1/screenings?project=Omsorg").json()["count"] == 1


def test_the_workflow_over_http(world: World, client: TestClient) -> None:
    made = client.post("/api/v1/requirements", json=requirement(), headers=world.auth("author"))
    assert made.status_code == 201 and made.json()["state"] == "draft"
    assert client.get("/api/v1/requirements/ARK-99").status_code == 404  # a draft is not public
    assert client.get("/api/v1/requirements/ARK-99", headers=world.auth("approver")).json()["version"] == 1
    assert client.post("/api/v1/requirements/ARK-99/submit", headers=world.auth("author")).status_code == 200
    own = client.post("/api/v1/requirements/ARK-99/approve", headers=world.auth("author"))
    assert own.status_code == 403 and error_code(own) == "forbidden"
    assert (
        client.post("/api/v1/requirements/ARK-99/approve", headers=world.auth("approver")).status_code == 200
    )
    no_reason = client.post("/api/v1/requirements/ARK-99/reject", json={}, headers=world.auth("approver"))
    assert no_reason.status_code == 400
    assert (
        client.post("/api/v1/requirements/ARK-99/publish", headers=world.auth("approver")).status_code == 200
    )
    assert client.get("/api/v1/requirements/ARK-99").json()["state"] == "published"
    trail = client.get("/api/v1/requirements/ARK-99/trail", headers=world.auth("approver")).json()["trail"]
    assert [e["action"] for e in trail] == ["create", "submit", "approve", "publish"]
    assert client.get("/api/v1/requirements/ARK-99/trail").status_code == 401
    created = client.post(
        "/api/v1/requirement-sets",
        json={"id": "u1", "title": "Udbud", "entries": [{"requirement": "ARK-99"}]},
        headers=world.auth("author"),
    )
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    body = {"title": "Udbud 2", "entries": [{"requirement": "ARK-99", "local_text": "Lokal"}]}
    assert (
        client.put("/api/v1/requirement-sets/u1", json=body, headers=world.auth("author")).status_code == 428
    )
    stale = {**world.auth("author"), "If-Match": '"5"'}
    assert client.put("/api/v1/requirement-sets/u1", json=body, headers=stale).status_code == 409
    ok = client.put(
        "/api/v1/requirement-sets/u1", json=body, headers={**world.auth("author"), "If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.json()["lines"][0]["tailored"] is True
    sheet = client.get("/api/v1/requirement-sets/u1/export?format=xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(sheet))
    book["Krav"]["B2"], book["Krav"]["K4"] = "Alfa", "Ja"
    raw = io.BytesIO()
    book.save(raw)
    posted = client.post(
        "/api/v1/requirement-sets/u1/answers", content=raw.getvalue(), headers=world.auth("author")
    )
    assert posted.json() == {"supplier": "Alfa", "answers": 1}
    compared = client.get("/api/v1/requirement-sets/u1/comparison", headers=world.auth("approver")).json()
    assert compared["suppliers"] == ["Alfa"] and compared["summaries"][0]["qualified"] is True
    assert client.get("/api/v1/requirement-sets/u1/comparison").status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/requirements"),
        ("put", "/api/v1/requirements/ARK-01"),
        ("post", "/api/v1/requirements/ARK-01/publish"),
        ("post", "/api/v1/requirement-sets"),
        ("post", "/api/v1/requirement-sets/ski-arkitektur/answers"),
        ("post", "/api/v1/screenings"),
        ("put", "/api/v1/screening/questionnaires/arkitektur-screening"),
    ],
)
def test_writes_need_a_token_before_the_body_is_read(
    seeded: World, seeded_client: TestClient, method: str, path: str
) -> None:
    got = getattr(seeded_client, method)(path, content=b"\x00{not json")
    assert got.status_code == 401 and error_code(got) == "unauthorized"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/requirements", b"{not json", 400),
        ("/api/v1/requirements", b"[1, 2]", 400),
        ("/api/v1/requirements", b'{"id": "x"}', 400),
        ("/api/v1/requirements", b"[" * 30_000 + b"]" * 30_000, 400),
        ("/api/v1/requirements", b'{"a": "' + b"x" * (1024 * 1024) + b'"}', 413),
        ("/api/v1/requirement-sets", b'{"id": "s", "title": "t", "entries": {"a": 1}}', 400),
        ("/api/v1/requirement-sets", b'{"id": "s", "title": "t", "entries": [{"requirement": "nope"}]}', 400),
        ("/api/v1/requirement-sets/ski-arkitektur/answers", b"PK\x03\x04garbage", 422),
        ("/api/v1/requirement-sets/ski-arkitektur/answers", b"", 422),
        (
            "/api/v1/screenings",
            b'{"questionnaire": "arkitektur-screening", "project": "p", "answers": []}',
            400,
        ),
        ("/api/v1/screenings", b'{"questionnaire": "nope", "project": "p", "answers": {}}', 404),
        (
            "/api/v1/screenings",
            b'{"questionnaire": "arkitektur-screening", "project": "", "answers": {}}',
            400,
        ),
        ("/api/v1/requirements/ARK-01/dance", b"", 400),
    ],
)
def test_malformed_hostile_and_oversized_bodies_are_refused_and_change_nothing(
    seeded: World, seeded_client: TestClient, path: str, body: bytes, status: int
) -> None:
    before = dump(seeded.kodeks.engine)
    got = seeded_client.post(
        path, content=body, headers={**seeded.auth("admin"), "Content-Type": "application/json"}
    )
    assert got.status_code == status, got.text
    assert error_code(got)
    assert dump(seeded.kodeks.engine) == before


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(
    seeded: World, seeded_client: TestClient
) -> None:
    limit = seeded.kodeks.settings.max_request_bytes
    got = seeded_client.post(
        "/api/v1/requirement-sets/ski-arkitektur/answers",
        content=b"P" * (limit + 1),
        headers=seeded.auth("admin"),
    )
    assert got.status_code == 413 and error_code(got) == "input_too_large"


def test_questionnaires_are_defined_by_administrators_only(seeded: World, seeded_client: TestClient) -> None:
    q = seeded_client.get("/api/v1/screening/questionnaires/arkitektur-screening").json()
    q["title"] = "Ny titel"
    assert (
        seeded_client.put(
            f"/api/v1/screening/questionnaires/{q['id']}", json=q, headers=seeded.auth("author")
        ).status_code
        == 403
    )
    defined = seeded_client.put(
        f"/api/v1/screening/questionnaires/{q['id']}", json=q, headers=seeded.auth("admin")
    )
    assert defined.status_code == 200 and defined.json()["version"] == 2
    assert (
        seeded_client.get(f"/api/v1/screening/questionnaires/{q['id']}?version=1").json()["title"]
        != "Ny titel"
    )
    assert seeded_client.get("/api/v1/screenings/99999999999").status_code == 400
    assert seeded_client.get("/api/v1/screenings/12345").status_code == 404


def test_the_pages_render_typed_contexts_in_danish(seeded: World, seeded_client: TestClient) -> None:
    listing = seeded_client.get("/krav")
    assert listing.status_code == 200 and listing.template.name == "krav_list.html"  # type: ignore[attr-defined]
    page = listing.context["page"]  # type: ignore[attr-defined]
    assert len(page.requirements) == 10 and ("6.1", "6.1 Del og genbrug data") in page.principles
    assert 'lang="da"' in listing.text and "Fælles kravbeskrivelser" in listing.text
    filtered = seeded_client.get("/krav?princip=8").context["page"]  # type: ignore[attr-defined]
    assert [r.id for r in filtered.requirements] == ["ARK-09"]
    one = seeded_client.get("/krav/ARK-01")
    assert one.context["page"].principles[0] == ("6", "Gode data deles og genbruges")  # type: ignore[attr-defined]
    assert "/katalog/kle" in one.text
    assert seeded_client.get("/krav/NOPE").status_code == 404
    the_set = seeded_client.get("/krav/saet/ski-arkitektur")
    assert the_set.context["page"].comparison is None  # type: ignore[attr-defined]
    assert "export?format=reqif" in the_set.text
    assert seeded_client.get("/requirements?lang=en").text.count("Common requirements") >= 1


def test_a_project_is_screened_in_the_web_form(seeded: World, seeded_client: TestClient) -> None:
    form = seeded_client.get("/screening")
    assert form.template.name == "screening_form.html"  # type: ignore[attr-defined]
    assert form.text.count('type="radio"') == sum(
        len(q.options) for q in form.context["page"].questionnaire.questions
    )  # type: ignore[attr-defined]
    fields = {"skema": "arkitektur-screening", "projekt": "Nyt omsorgssystem", **ANSWERS}
    sent = seeded_client.post("/screening", data=fields, follow_redirects=False)
    assert sent.status_code == 303
    result = seeded_client.get(sent.headers["location"])
    page = result.context["page"]  # type: ignore[attr-defined]
    assert result.template.name == "screening_result.html"  # type: ignore[attr-defined]
    assert page.screening.result.level == "Høj" and "/krav/saet/ski-arkitektur" in result.text
    assert "Behov for arkitekturbehandling: Høj" in result.text
    listed = seeded_client.get("/screening").context["page"].screenings  # type: ignore[attr-defined]
    assert [(s.project, s.result.level) for s in listed] == [("Nyt omsorgssystem", "Høj")]
    elsewhere = seeded_client.post("/screening", data=fields, headers={"Origin": "https://evil.example"})
    assert elsewhere.status_code == 403
    missing = seeded_client.post("/screening", data={**fields, "sager": ""})
    assert missing.status_code == 400 and "<html" in missing.text
    assert seeded_client.get("/screening/abc").status_code == 400
    assert seeded_client.get("/screening/999").status_code == 404
    assert seeded_client.get("/screening?skema=nope").status_code == 404


def test_an_editor_imports_a_suppliers_workbook_on_the_sets_page(
    seeded: World, seeded_client: TestClient
) -> None:
    from kodeks.services.requirements import sets

    client = seeded_client
    body = {"id": "aarhus", "title": "Aarhus' udbud", "owner": "751", "entries": [{"requirement": "ARK-01"}]}
    sets.save(seeded.ctx, seeded.actor("author"), body, expected_revision=None)
    assert client.get("/krav/saet/aarhus").context["page"].upload is None  # type: ignore[attr-defined]
    client.cookies.set("kodeks_editor", seeded.tokens["author"])
    page = client.get("/krav/saet/aarhus").context["page"]  # type: ignore[attr-defined]
    assert page.upload is not None and page.upload.action == "/krav/saet/aarhus/svar"
    sheet = client.get("/api/v1/requirement-sets/aarhus/export?format=xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(sheet))
    book["Krav"]["K4"], book["Krav"]["L4"] = "Delvist", "Fra version 3"
    raw = io.BytesIO()
    book.save(raw)
    files = {"fil": ("alfa.xlsx", raw.getvalue(), "application/octet-stream")}
    before = dump(seeded.kodeks.engine)
    no_token = client.post("/krav/saet/aarhus/svar", data={"leverandoer": "Alfa"}, files=files)
    assert no_token.status_code == 403 and dump(seeded.kodeks.engine) == before
    garbage = client.post(
        "/krav/saet/aarhus/svar",
        data={"csrf": page.upload.csrf, "leverandoer": "Alfa"},
        files={"fil": ("x.xlsx", b"PK\x03\x04 broken", "application/octet-stream")},
    )
    assert garbage.status_code == 422 and "<html" in garbage.text and dump(seeded.kodeks.engine) == before
    sent = client.post(
        "/krav/saet/aarhus/svar",
        data={"csrf": page.upload.csrf, "leverandoer": "Alfa"},
        files=files,
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/krav/saet/aarhus?svar=1"
    shown = client.get(sent.headers["location"])
    assert "1 svar er indlæst." in shown.text
    compared = shown.context["page"].comparison  # type: ignore[attr-defined]
    assert compared.suppliers == ("Alfa",) and compared.summaries[0].partly == 1
    huge = client.post(
        "/krav/saet/aarhus/svar",
        content=b"x" * 10,
        headers={"Content-Length": str(30 * 1024 * 1024), "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert huge.status_code == 413
    client.cookies.set("kodeks_editor", seeded.tokens["colleague"])
    forbidden = client.post("/krav/saet/aarhus/svar", data={"csrf": "x"}, files=files)
    assert forbidden.status_code == 403


def test_the_screening_form_refuses_oversized_and_hostile_posts(
    seeded: World, seeded_client: TestClient
) -> None:
    client = seeded_client
    before = dump(seeded.kodeks.engine)
    big = client.post(
        "/screening",
        content=b"a=" + b"x" * 70_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert big.status_code == 413 and "<html" in big.text
    many = "&".join(f"f{i}=x" for i in range(300))
    assert (
        client.post(
            "/screening", content=many, headers={"Content-Type": "application/x-www-form-urlencoded"}
        ).status_code
        == 400
    )
    odd = {"skema": "arkitektur-screening", "projekt": "\x00\x07", **ANSWERS}
    assert client.post("/screening", data=odd).status_code == 400
    unknown = {"skema": "arkitektur-screening", "projekt": "P", **ANSWERS, "<script>": "x"}
    refused = client.post("/screening", data=unknown)
    assert refused.status_code == 400 and "<script>" not in refused.text
    assert client.post("/screening", data={"projekt": "P"}).status_code == 400
    assert dump(seeded.kodeks.engine) == before


def test_screenings_are_compared_side_by_side(seeded: World, seeded_client: TestClient) -> None:
    client = seeded_client
    small = {**ANSWERS, "personoplysninger": "nej", "stoerrelse": "lille", "omfang": "afdeling"}
    for project, answers in (("Stort", ANSWERS), ("Lille", small)):
        sent = client.post(
            "/screening", data={"skema": "arkitektur-screening", "projekt": project, **answers}
        )
        assert sent.status_code == 200
    form = client.get("/screening")
    ids = [s.id for s in form.context["page"].screenings]  # type: ignore[attr-defined]
    assert 'name="id"' in form.text and 'action="/screening/sammenlign"' in form.text
    compared = client.get(f"/screening/sammenlign?id={ids[1]}&id={ids[0]}")
    assert compared.template.name == "screening_compare.html"  # type: ignore[attr-defined]
    page = compared.context["page"]  # type: ignore[attr-defined]
    assert [s.project for s in page.screenings] == ["Stort", "Lille"]
    assert [s.result.level for s in page.screenings] == ["Høj", "Middel"]
    first = dict(page.rows)["Behandler løsningen oplysninger om personer?"]
    assert first == ("Ja, CPR-numre eller følsomme oplysninger", "Nej")
    assert client.get("/screening/sammenlign").status_code == 400
    assert client.get("/screening/sammenlign?id=abc").status_code == 400
    assert client.get("/screening/sammenlign?" + "&".join(f"id={i}" for i in range(1, 12))).status_code == 400
    assert client.get("/screening/sammenlign?id=424242").status_code == 404
