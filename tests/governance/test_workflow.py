"""Edits through change sets over HTTP: one registration per publication, ETags, four eyes, the frozen
rule, stale publications, the audit trail and read access."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kodeks.domain.governance.changeset import State
from kodeks.domain.item import Item
from kodeks.services.governance import changesets, drafts, publishing
from kodeks.services.governance.drafts import cs_etag
from kodeks.services.governance.identity import local_actor
from tests.governance.world import OWN, World, dump, gov_of

PLAN = "/api/v1/classifications/own-plan"


def h(world: World, who: str | None, etag: str | None = None) -> dict[str, str]:
    headers = world.auth(who)
    if etag is not None:
        headers["If-Match"] = f'"{etag}"'
    return headers


def tag(response: Any) -> str:
    return str(response.headers["etag"]).strip('"')


def registrations(world: World) -> int:
    with world.kodeks.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM registration WHERE classification_id='own-plan'")
            ).scalar_one()
        )


def open_draft(client: TestClient, world: World, who: str = "editor", effective: str = "2026-01-01") -> str:
    r = client.post(
        f"{PLAN}/changesets",
        json={"title": "Q1", "label": "2026.1", "effective": effective},
        headers=h(world, who),
    )
    assert r.status_code == 201, r.text
    return f"{PLAN}/changesets/{r.json()['id']}"


def through_review(
    client: TestClient, world: World, cs: str, author: str = "editor", reviewer: str = "reviewer"
) -> str:
    r = client.post(f"{cs}/submit", headers=h(world, author, tag(client.get(cs, headers=h(world, author)))))
    assert r.status_code == 200, r.text
    r = client.post(f"{cs}/approve", headers=h(world, reviewer, tag(r)))
    assert r.status_code == 200, r.text
    return tag(r)


def test_a_published_change_set_is_one_registration_and_one_version(client: TestClient, world: World) -> None:
    before = registrations(world)
    cs = open_draft(client, world)
    assert (
        client.post(
            f"{cs}/items",
            json={"code": "03", "titles": {"da": "Tre"}, "level": 1},
            headers=h(world, "editor"),
        ).status_code
        == 201
    )
    current = client.get(f"{cs}/items/02", headers=h(world, "editor"))
    assert (
        client.put(
            f"{cs}/items/02",
            json={"titles": {"da": "Andet (ny)"}, "level": 1},
            headers=h(world, "editor", tag(current)),
        ).status_code
        == 200
    )
    etag = through_review(client, world, cs)
    r = client.post(f"{cs}/publish", json={"note": "Q1 2026"}, headers=h(world, "reviewer", etag))
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "published" and r.json()["registration"]["release"] == "2026.1"
    assert registrations(world) == before + 1
    versions = client.get(f"{PLAN}/versions").json()
    assert [v["label"] for v in versions][-1] == "2026.1" and versions[-1]["kind"] == "patch"
    now = {
        i["code"]: i["titles"]["da"]
        for i in client.get(f"{PLAN}/items", params={"at": "2026-02-01"}).json()["items"]
    }
    then = {
        i["code"]: i["titles"]["da"]
        for i in client.get(f"{PLAN}/items", params={"at": "2025-12-01"}).json()["items"]
    }
    assert now["03"] == "Tre" and now["02"] == "Andet (ny)"
    assert "03" not in then and then["02"] == "Emne 02"
    history = client.get(f"{PLAN}/items/02/history").json()["records"]
    assert {r["item"]["titles"]["da"] for r in history} >= {"Emne 02", "Andet (ny)"}


def test_an_edit_without_if_match_is_428_and_a_stale_one_409_naming_the_change(
    client: TestClient, world: World
) -> None:
    cs = open_draft(client, world)
    first = client.get(f"{cs}/items/01", headers=h(world, "editor"))
    assert first.json()["item"]["titles"]["da"] == "Emne 01"
    state = dump(world.kodeks.engine)
    r = client.put(f"{cs}/items/01", json={"titles": {"da": "A"}}, headers=h(world, "editor"))
    assert r.status_code == 428 and r.json()["error"]["code"] == "precondition_required"
    assert dump(world.kodeks.engine) == state
    assert (
        client.put(
            f"{cs}/items/01", json={"titles": {"da": "A"}, "level": 1}, headers=h(world, "owner", tag(first))
        ).status_code
        == 200
    )
    state = dump(world.kodeks.engine)
    stale = client.put(
        f"{cs}/items/01", json={"titles": {"da": "B"}, "level": 1}, headers=h(world, "editor", tag(first))
    )
    assert stale.status_code == 409
    details = stale.json()["error"]["details"]
    assert (
        details["code"] == "01" and details["changed_by"] == "owner" and details["change"] == "draft.upsert"
    )
    assert dump(world.kodeks.engine) == state
    assert client.get(f"{cs}/items/01", headers=h(world, "editor")).json()["item"]["titles"]["da"] == "A"


def test_publishing_a_draft_over_a_newer_registry_state_is_409(client: TestClient, world: World) -> None:
    slow, fast = open_draft(client, world), open_draft(client, world)
    for cs, title in ((slow, "Langsom"), (fast, "Hurtig")):
        read = client.get(f"{cs}/items/01", headers=h(world, "editor"))
        assert (
            client.put(
                f"{cs}/items/01",
                json={"titles": {"da": title}, "level": 1},
                headers=h(world, "editor", tag(read)),
            ).status_code
            == 200
        )
    etag = through_review(client, world, fast)
    assert (
        client.post(f"{fast}/publish", json={"note": "n"}, headers=h(world, "reviewer", etag)).status_code
        == 200
    )
    etag = through_review(client, world, slow)
    state = dump(world.kodeks.engine)
    refused = client.post(f"{slow}/publish", json={"note": "n"}, headers=h(world, "reviewer", etag))
    assert refused.status_code == 409
    changed = refused.json()["error"]["details"]["changed"]
    assert changed[0]["code"] == "01" and changed[0]["changed_by"] == "reviewer"
    assert dump(world.kodeks.engine) == state
    assert client.get(f"{slow}/items/01", headers=h(world, "editor")).json()["stale"] is True
    # an approved change set is frozen: the author reopens the work in a new draft instead
    assert (
        client.post(
            f"{slow}/items/01/rebase",
            headers=h(world, "editor", tag(client.get(f"{slow}/items/01", headers=h(world, "editor")))),
        ).status_code
        == 409
    )


def test_rebasing_a_draft_lets_it_publish_over_the_newer_state(world: World) -> None:
    gov = gov_of(world.kodeks)
    editor, reviewer = local_actor(gov, "editor"), local_actor(gov, "reviewer")
    cs = changesets.open_change_set(gov, editor, "own-plan", title="t", label="x", effective=date(2026, 1, 1))
    assert cs.id is not None
    read = drafts.draft_item(gov, editor, cs.id, "02.01")
    drafts.put_item(
        gov, editor, cs.id, "02.01", Item("02.01", {"da": "Min"}, level=2, parent="02"), read.etag
    )
    plan = world.plans[OWN]
    publishing.publish(gov, reviewer, plan.approved, plan.approved_etag, "another change came first")
    view = drafts.draft_item(gov, editor, cs.id, "02.01")
    assert view.stale and view.item is not None and view.item.title() == "Min"
    rebased = drafts.rebase_item(gov, editor, cs.id, "02.01", view.etag)
    assert not rebased.stale
    done = changesets.submit(gov, editor, cs.id, cs_etag(changesets.get(gov, editor, cs.id)[0]))
    done = changesets.approve(gov, reviewer, cs.id, cs_etag(done))
    published = publishing.publish(gov, reviewer, cs.id, cs_etag(done), "mine on top")
    assert published.change_set.state is State.PUBLISHED


def test_four_eyes_forbids_publishing_ones_own_change_unless_switched_off(
    client: TestClient, world: World
) -> None:
    cs = open_draft(client, world, who="owner")
    read = client.get(f"{cs}/items/02", headers=h(world, "owner"))
    client.put(
        f"{cs}/items/02", json={"titles": {"da": "Eget"}, "level": 1}, headers=h(world, "owner", tag(read))
    )
    submitted = client.post(
        f"{cs}/submit", headers=h(world, "owner", tag(client.get(cs, headers=h(world, "owner"))))
    )
    state = dump(world.kodeks.engine)
    own = client.post(f"{cs}/approve", headers=h(world, "owner", tag(submitted)))
    assert own.status_code == 403 and "four-eyes" in own.json()["error"]["message"]
    assert dump(world.kodeks.engine) == state
    policy = client.get(f"{PLAN}/policy", headers=h(world, "owner"))
    assert (
        client.patch(
            f"{PLAN}/policy", json={"four_eyes": False}, headers=h(world, "owner", tag(policy))
        ).status_code
        == 200
    )
    approved = client.post(f"{cs}/approve", headers=h(world, "owner", tag(submitted)))
    assert approved.status_code == 200
    assert (
        client.post(
            f"{cs}/publish", json={"note": "alene"}, headers=h(world, "owner", tag(approved))
        ).status_code
        == 200
    )


def test_published_versions_are_frozen(client: TestClient, world: World) -> None:
    state = dump(world.kodeks.engine)
    r = client.post(
        f"{PLAN}/changesets",
        json={"title": "t", "label": "old", "effective": "2019-06-01"},
        headers=h(world, "editor"),
    )
    assert r.status_code == 409 and "frozen" in r.json()["error"]["message"]
    assert dump(world.kodeks.engine) == state
    cs = open_draft(client, world)
    read = client.get(f"{cs}/items/01", headers=h(world, "editor"))
    expired = client.post(
        f"{cs}/items/01/expire", json={"valid_to": "2027-01-01"}, headers=h(world, "editor", tag(read))
    )
    assert expired.status_code == 200
    assert expired.json()["history"][-1]["valid_to"] == "2027-01-01"
    again = client.post(
        f"{cs}/items/01/expire", json={"valid_to": "2028-01-01"}, headers=h(world, "editor", tag(expired))
    )
    assert again.status_code == 200  # the draft's own edit can still move its end
    patched = client.patch(
        cs,
        json={"effective": "2019-01-01"},
        headers=h(world, "editor", tag(client.get(cs, headers=h(world, "editor")))),
    )
    assert patched.status_code == 409


def test_a_submitted_or_published_change_set_takes_no_more_edits(client: TestClient, world: World) -> None:
    plan = world.plans[OWN]
    submitted = f"{PLAN}/changesets/{plan.submitted}"
    read = client.get(f"{submitted}/items/02", headers=h(world, "editor"))
    r = client.put(
        f"{submitted}/items/02", json={"titles": {"da": "x"}}, headers=h(world, "editor", tag(read))
    )
    assert r.status_code == 409 and "only a draft" in r.json()["error"]["message"]


def test_rejecting_needs_a_reason_and_ends_the_change_set(client: TestClient, world: World) -> None:
    plan = world.plans[OWN]
    cs = f"{PLAN}/changesets/{plan.submitted}"
    assert (
        client.post(f"{cs}/reject", json={}, headers=h(world, "reviewer", plan.submitted_etag)).status_code
        == 400
    )
    assert (
        client.post(
            f"{cs}/reject", json={"reason": "   "}, headers=h(world, "reviewer", plan.submitted_etag)
        ).status_code
        == 400
    )
    r = client.post(
        f"{cs}/reject", json={"reason": "Forkert år"}, headers=h(world, "reviewer", plan.submitted_etag)
    )
    assert r.status_code == 200 and r.json()["state"] == "rejected" and r.json()["reason"] == "Forkert år"
    assert client.post(f"{cs}/approve", headers=h(world, "reviewer", tag(r))).status_code == 409


def test_the_audit_trail_says_who_when_why_and_what_and_cannot_be_changed(
    client: TestClient, world: World
) -> None:
    plan = world.plans[OWN]
    cs = f"{PLAN}/changesets/{plan.approved}"
    assert (
        client.post(
            f"{cs}/publish",
            json={"note": "Kvartalsudgivelse"},
            headers=h(world, "reviewer", plan.approved_etag),
        ).status_code
        == 200
    )
    trail = client.get(f"{PLAN}/audit", headers=h(world, "reader")).json()["entries"]
    published = [e for e in trail if e["action"] == "changeset.publish"][-1]
    assert published["actor"] == "reviewer" and published["note"] == "Kvartalsudgivelse"
    assert published["details"]["author"] == "author-751" and published["at"].endswith("Z")
    item = client.get(f"{PLAN}/items/02.01/audit", headers=h(world, "reader")).json()["entries"]
    assert [e["action"] for e in item][-2:] == ["draft.upsert", "item.publish"]
    assert item[-1]["details"]["before"] != item[-1]["details"]["after"]
    assert client.get(f"{PLAN}/audit").status_code == 401
    assert (
        client.get("/api/v1/classifications/other-plan/audit", headers=h(world, "reader")).status_code == 403
    )
    paged = client.get(
        f"{PLAN}/audit", params={"after": trail[0]["id"], "limit": 2}, headers=h(world, "reader")
    )
    assert [e["id"] for e in paged.json()["entries"]] == [e["id"] for e in trail[1:3]]
    for statement in (
        "UPDATE gov_audit SET note = 'x'",
        "DELETE FROM gov_audit",
        "DELETE FROM gov_change_entry",
        "UPDATE gov_revocation SET reason = 'x'",
    ):
        with world.kodeks.engine.begin() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))


def test_public_read_off_needs_a_reader_role(client: TestClient, world: World) -> None:
    items = f"{PLAN}/items"
    assert client.get(items).status_code == 200
    policy = client.get(f"{PLAN}/policy", headers=h(world, "owner"))
    r = client.patch(f"{PLAN}/policy", json={"public_read": False}, headers=h(world, "owner", tag(policy)))
    assert r.status_code == 200 and r.json()["public"] is False
    assert client.get(items).status_code == 401
    assert client.get(f"{PLAN}/items/01").status_code == 401
    assert client.get(f"{PLAN}/export", params={"format": "csv"}).status_code == 401
    assert client.get(items, headers=h(world, "reader")).status_code == 200
    assert client.get(items, headers=h(world, "colleague-101")).status_code == 403
    assert client.get("/api/v1/classifications/other-plan/items").status_code == 200
    assert client.get(f"{PLAN}/items", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert (
        client.patch(f"{PLAN}/policy", json={"public_read": None}, headers=h(world, "owner", tag(r))).json()[
            "public"
        ]
        is True
    )


def test_copyrighted_content_follows_the_installation_default() -> None:
    from fastapi.testclient import TestClient as Client

    from kodeks.api.app import create_app
    from tests.factories import record, tree_bundle
    from tests.governance.world import build_world

    closed = build_world(public_copyrighted=False)
    bundle = tree_bundle(cid="kle-copy")
    copyrighted = replace(bundle.classification, copyrighted=True)
    record(closed.kodeks, replace(bundle, classification=copyrighted))
    with Client(create_app(closed.kodeks), raise_server_exceptions=False) as c:
        assert c.get("/api/v1/classifications/kle-copy/items").status_code == 401
        assert (
            c.get("/api/v1/classifications/kle-copy/items", headers=closed.auth("admin")).status_code == 200
        )
        assert c.get("/api/v1/classifications/own-plan/items").status_code == 200


def test_a_code_scoped_editor_edits_only_inside_the_subtree(client: TestClient, world: World) -> None:
    r = client.post(
        "/api/v1/users",
        json={"id": "scoped", "organisation": OWN, "name": "Scoped"},
        headers=h(world, "owner"),
    )
    assert r.status_code == 201
    assert (
        client.post(
            "/api/v1/roles",
            json={
                "user": "scoped",
                "role": "editor",
                "resource_kind": "classification",
                "resource_id": "own-plan",
                "codes": "02.*",
            },
            headers=h(world, "owner"),
        ).status_code
        == 201
    )
    secret = client.post("/api/v1/tokens", json={"name": "t", "user": "scoped"}, headers=h(world, "owner"))
    world.tokens["scoped"] = secret.json()["token"]
    cs = open_draft(client, world, who="scoped")
    inside = client.get(f"{cs}/items/02.01", headers=h(world, "scoped"))
    assert (
        client.put(
            f"{cs}/items/02.01",
            json={"titles": {"da": "ok"}, "parent": "02", "level": 2},
            headers=h(world, "scoped", tag(inside)),
        ).status_code
        == 200
    )
    state = dump(world.kodeks.engine)
    outside = client.get(f"{cs}/items/01.01", headers=h(world, "scoped"))
    r = client.put(
        f"{cs}/items/01.01",
        json={"titles": {"da": "nej"}, "parent": "01", "level": 2},
        headers=h(world, "scoped", tag(outside)),
    )
    assert r.status_code == 403 and "01.01" in r.json()["error"]["message"]
    moved = client.put(
        f"{cs}/items/02.01",
        json={"titles": {"da": "flyt"}, "parent": "01", "level": 2},
        headers=h(world, "scoped", tag(client.get(f"{cs}/items/02.01", headers=h(world, "scoped")))),
    )
    assert moved.status_code == 403
    assert dump(world.kodeks.engine) == state


def test_tokens_are_hashed_at_rest_expire_and_are_revoked_by_a_record(
    client: TestClient, world: World
) -> None:
    issued = client.post("/api/v1/tokens", json={"name": "laptop", "days": 30}, headers=h(world, "reader"))
    assert issued.status_code == 201 and issued.headers["cache-control"] == "no-store"
    secret, token_id = issued.json()["token"], issued.json()["id"]
    assert secret.startswith("kodeks_") and len(secret) >= 40
    assert secret not in repr(dump(world.kodeks.engine))
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["user"] == "reader"
    listed = client.get("/api/v1/tokens", headers=h(world, "reader")).json()
    assert token_id in [t["id"] for t in listed] and all("token" not in t for t in listed)
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=h(world, "reader")).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=h(world, "reader")).status_code == 409
    with world.kodeks.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM gov_token WHERE id = :i"), {"i": token_id}).scalar_one()
            == 1
        )
        assert (
            conn.execute(
                text("SELECT count(*) FROM gov_revocation WHERE target = :i"), {"i": token_id}
            ).scalar_one()
            == 1
        )
    for who in ("expired", "revoked"):
        r = client.get("/api/v1/me", headers=h(world, who))
        assert r.status_code == 401 and ("expired" in r.json()["error"]["message"]) == (who == "expired")
    assert (
        client.post(
            "/api/v1/tokens", json={"name": "long", "days": 5000}, headers=h(world, "reader")
        ).status_code
        == 400
    )


def test_bootstrap_tokens_and_require_user_keep_working(client: TestClient, world: World) -> None:
    from kodeks.api.deps import require_user
    from tests.governance.world import BOOTSTRAP

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {BOOTSTRAP}"}).json()
    assert me["admin"] is True and me["user"] == "token-1"
    assert require_user(world.kodeks, f"Bearer {BOOTSTRAP}") == "token-1"
    assert require_user(world.kodeks, f"Bearer {world.tokens['reader']}") == "reader"
    from kodeks.errors import Unauthorized

    for bad in (None, "Bearer ", "Basic abc", "Bearer kodeks_nope"):
        with pytest.raises(Unauthorized):
            require_user(world.kodeks, bad)


def test_roles_listing_and_revocation(client: TestClient, world: World) -> None:
    mine = client.get("/api/v1/roles", headers=h(world, "editor")).json()
    assert [(r["role"], r["resource_id"]) for r in mine] == [("editor", OWN)]
    everyone = client.get(
        "/api/v1/roles",
        params={"resource_kind": "organisation", "resource_id": OWN},
        headers=h(world, "owner"),
    ).json()
    assert {"editor", "reader", "reviewer", "owner"} <= {r["user"] for r in everyone}
    assert (
        client.get("/api/v1/roles", params={"user": "boss-101"}, headers=h(world, "editor")).status_code
        == 403
    )
    role_id = world.plans[OWN].reader_role
    assert (
        client.delete(
            f"/api/v1/roles/{role_id}", params={"reason": "moved"}, headers=h(world, "owner")
        ).status_code
        == 200
    )
    assert client.delete(f"/api/v1/roles/{role_id}", headers=h(world, "owner")).status_code == 404
    audit = client.get("/api/v1/audit", headers=h(world, "admin")).json()
    assert audit[-1]["action"] == "role.revoke" and audit[-1]["details"]["reason"] == "moved"
    assert client.get("/api/v1/audit", headers=h(world, "owner")).status_code == 403


def test_cached_public_reads_end_when_public_read_is_switched_off() -> None:
    import time

    from kodeks.api.app import create_app
    from tests.governance.world import build_world

    cached = build_world(read_cache_seconds=0.2)
    with TestClient(create_app(cached.kodeks), raise_server_exceptions=False) as c:
        assert c.get(f"{PLAN}/items").status_code == 200
        assert c.get(f"{PLAN}/items").status_code == 200  # now served from the response cache
        policy = c.get(f"{PLAN}/policy", headers=h(cached, "owner"))
        assert (
            c.patch(
                f"{PLAN}/policy", json={"public_read": False}, headers=h(cached, "owner", tag(policy))
            ).status_code
            == 200
        )
        time.sleep(0.3)
        assert c.get(f"{PLAN}/items").status_code == 401


def test_a_change_set_can_carry_levels_and_classification_metadata(client: TestClient, world: World) -> None:
    r = client.post(
        f"{PLAN}/changesets",
        json={
            "title": "Nye niveauer",
            "label": "2026.2",
            "effective": "2026-07-01",
            "levels": [
                {"number": 1, "titles": {"da": "Hovedgruppe"}},
                {"number": 2, "titles": {"da": "Gruppe"}},
            ],
        },
        headers=h(world, "editor"),
    )
    assert r.status_code == 201
    cs = f"{PLAN}/changesets/{r.json()['id']}"
    patched = client.patch(
        cs,
        json={"metadata": {"titles": {"da": "Plan for Aarhus", "en": "Aarhus plan"}, "description": "Ny"}},
        headers=h(world, "editor", tag(r)),
    )
    assert patched.status_code == 200 and patched.json()["metadata"]["description"] == "Ny"
    etag = through_review(client, world, cs)
    assert (
        client.post(
            f"{cs}/publish", json={"note": "niveauer"}, headers=h(world, "reviewer", etag)
        ).status_code
        == 200
    )
    assert client.get(PLAN).json()["titles"] == {"da": "Plan for Aarhus", "en": "Aarhus plan"}
    latest = client.get(f"{PLAN}/versions").json()[-1]
    assert latest["label"] == "2026.2" and [lv["titles"]["da"] for lv in latest["levels"]] == [
        "Hovedgruppe",
        "Gruppe",
    ]
    assert client.get(f"{PLAN}/items", params={"at": "2026-08-01"}).json()["count"] == 4
