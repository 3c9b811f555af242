"""The AI code bank: entries with their rules, publishing by the owner, offers, interest, DCAT."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from kodeks.domain.landscape.codebank import AiActRisk, CodeBankEntry, DpiaStatus
from kodeks.domain.landscape.codec import entry_from_dict, entry_to_dict
from kodeks.domain.landscape.model import task_ref

API = "/api/v1/codebank"
ENTRY: dict[str, Any] = {
    "name": "Prioritering af hjemmeplejebesøg",
    "purpose": "Foreslår en rækkefølge for dagens besøg ud fra tidsvinduer og transporttid.",
    "task": "KLE 27.24.00",
    "owner": "751",
    "input_data": "Besøgsadresser (kun koordinater), tidsvinduer, medarbejdernes vagter. Ingen CPR-numre.",
    "licence": "MPL-2.0",
    "repository": "https://github.com/OS2/eksempel",
    "evaluation": "Sparede 9 % køretid i en pilot med 40 ruter (2024).",
    "risk": "limited",
    "dpia": "done",
    "contact": "ai@aarhus.dk",
}


def bearer(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def test_entry_rules() -> None:
    e = entry_from_dict({**ENTRY, "id": "besoeg"})
    assert entry_from_dict(entry_to_dict(e)) == e and e.task == task_ref("27.24.00")
    assert e.solution().category == "AI-algoritme (kodebank)" and e.solution().supplier == "Aarhus Kommune"
    for bad, message in (
        ({"risk": "unacceptable"}, "may not be shared"),
        ({"risk": "high", "dpia": "not_needed"}, "needs a DPIA"),
        ({"repository": "http://insecure.example"}, "https://"),
        ({"owner": "999"}, "not a municipality"),
        ({"contact": "not-an-email"}, "e-mail"),
        ({"risk": "extreme"}, "risk must be"),
    ):
        with pytest.raises(ValueError, match=message):
            entry_from_dict({**ENTRY, "id": "x", **bad})
    assert (
        CodeBankEntry(
            "y",
            "Y",
            "p",
            task_ref("00.01.00"),
            "101",
            "i",
            "MIT",
            risk=AiActRisk.HIGH,
            dpia=DpiaStatus.IN_PROGRESS,
        ).risk
        is AiActRisk.HIGH
    )


def test_publish_offer_request_and_interest(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.put(f"{API}/entries/besoeg", json=ENTRY).status_code == 401
    other = client.put(
        f"{API}/entries/besoeg", json={**ENTRY, "owner": "101"}, headers=bearer(tokens, "aarhus")
    )
    assert other.status_code == 403
    made = client.put(f"{API}/entries/besoeg", json=ENTRY, headers=bearer(tokens, "aarhus"))
    assert made.status_code == 200 and made.json()["task_state"] == "valid"
    unknown = client.put(
        f"{API}/entries/x", json={**ENTRY, "task": "99.99.99"}, headers=bearer(tokens, "aarhus")
    )
    assert unknown.status_code == 400
    # the entry is a solution: its use is recorded like any other
    use = [{"status": "adopted", "valid_from": "2024-01-01"}]
    assert (
        client.put(
            "/api/v1/landscape/usage/besoeg/751", json=use, headers=bearer(tokens, "aarhus")
        ).status_code
        == 200
    )
    assert client.get(f"{API}/entries/besoeg").json()["used_by"] == ["751"]
    assert [e["id"] for e in client.get(f"{API}/entries?q=hjemmepleje besøg&task=27").json()] == ["besoeg"]
    assert client.get(f"{API}/entries?q=skoleskema").json() == []
    offer = client.post(
        f"{API}/entries/besoeg/offers",
        json={"kind": "offer", "municipality": "751"},
        headers=bearer(tokens, "aarhus"),
    )
    assert offer.status_code == 200, offer.text
    offer_id = offer.json()["id"]
    as_other = client.post(
        f"{API}/offers/{offer_id}/interest", json={"municipality": "101"}, headers=bearer(tokens, "aarhus")
    )
    assert as_other.status_code == 403  # Aarhus's user cannot speak for København
    own = client.post(
        f"{API}/offers/{offer_id}/interest", json={"municipality": "751"}, headers=bearer(tokens, "aarhus")
    )
    assert own.status_code == 400  # not in its own offer
    interested = client.post(
        f"{API}/offers/{offer_id}/interest",
        json={"municipality": "101", "note": "Gerne"},
        headers=bearer(tokens, "admin"),
    )
    assert interested.json()["interested"] == [{"municipality": "101", "note": "Gerne"}]
    request = client.post(
        f"{API}/entries/besoeg/offers",
        json={"kind": "request", "municipality": "101"},
        headers=bearer(tokens, "admin"),
    )
    assert request.json()["kind"] == "request"
    offering = client.post(
        f"{API}/entries/besoeg/offers",
        json={"kind": "offer", "municipality": "101"},
        headers=bearer(tokens, "admin"),
    )
    assert offering.status_code == 403  # only the owner offers it
    assert len(client.get(f"{API}/offers?entry=besoeg").json()) == 2
    page = client.get("/landskab/kodebank?q=hjemmepleje")
    assert page.status_code == 200 and page.template.name == "landscape/codebank.html"  # type: ignore[attr-defined]
    [row] = page.context["page"].rows  # type: ignore[attr-defined]
    assert (row.owner, row.risk, row.dpia, row.used_by) == ("Aarhus", "begrænset risiko", "udført", 1)
    assert row.offers == ("Tilbudt af Aarhus (1 interesserede)", "Efterspurgt af København (0 interesserede)")
    ttl = client.get(f"{API}/dcat").text
    assert "dcat:Resource" in ttl and 'kodeks:aiActRisk "limited"' in ttl and "kle-online.dk" in ttl
    import pyoxigraph as ox

    assert len(list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE))) > 10


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("get", f"{API}/entries/nowhere", None, 404),
        ("get", f"{API}/entries?q=" + "x" * 300, None, 400),
        ("post", f"{API}/offers/99999/interest", {"municipality": "101"}, 404),
        ("post", f"{API}/offers/0/interest", {"municipality": "101"}, 400),
        ("put", f"{API}/entries/Bad Id", ENTRY, 400),
        ("put", f"{API}/entries/x", [1, 2], 400),
        ("put", f"{API}/entries/x", {**ENTRY, "purpose": "x" * 3000}, 400),
    ],
)
def test_bad_code_bank_requests(
    client: TestClient, tokens: dict[str, str], method: str, url: str, body: object, status: int
) -> None:
    got = getattr(client, method)(
        url, headers=bearer(tokens, "admin"), **({"json": body} if body is not None else {})
    )
    assert got.status_code == status, got.text
    assert "error" in got.json()
