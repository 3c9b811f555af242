"""Webhooks end to end with a real receiver on 127.0.0.1: signed, queued in the writing transaction,
delivered after commit, retried with bounded backoff, logged; SSRF targets refused."""

from __future__ import annotations

import json
import logging
import time
from datetime import date

import pytest

from kodeks.domain.local.webhook import RetryPolicy, verify
from kodeks.services import importing
from kodeks.services.local import delivery
from kodeks.storage.local import open_local_store
from kodeks.storage.local_http import HttpTransport
from tests.factories import FakeCatalog, item, tree_bundle
from tests.local.receiver import receiver
from tests.local.world import World, profile_body, world

FAST = RetryPolicy(max_attempts=3, base_seconds=0.0, cap_seconds=0.0)


def subscribe(w: World, url: str, who: str = "reader", **target: object) -> dict:  # type: ignore[type-arg]
    r = w.send(
        "POST", "/api/v1/webhooks", who, json={"url": url, **(target or {"classification": "own-plan"})}
    )
    assert r.status_code == 201, r.json()
    return r.json()  # type: ignore[no-any-return]


def new_release(w: World, *, listeners: tuple = ()) -> None:  # type: ignore[type-arg]
    items = [*tree_bundle(cid="own-plan").items, item("10.02", "Nyt emne", "10", start=date(2016, 1, 1))]
    importing.import_data(
        w.kodeks.uow,
        FakeCatalog([tree_bundle(date(2016, 1, 1), items=items, cid="own-plan")]),
        b"v2",
        "v2.fake",
        listeners=listeners or w.kodeks.listeners,
    )


def deliver(w: World, policy: RetryPolicy = FAST) -> delivery.DeliveryReport:
    return delivery.deliver_due(
        w.kodeks.uow, open_local_store, HttpTransport(allow_loopback=True), policy=policy, timeout=2.0
    )


def test_an_import_is_announced_signed_and_points_at_the_feed(w: World) -> None:
    with receiver() as r:
        hook = subscribe(w, r.url)
        assert hook["secret"] and w.get("/api/v1/webhooks", "reader").json()[0].get("secret") is None
        new_release(w)
        assert deliver(w).delivered == 1
        got = r.wait_for(1)[0]
        assert got.path == "/hook?tenant=aarhus" and got.headers["x-kodeks-event"] == "classification.changed"
        assert verify(hook["secret"], got.headers["x-kodeks-signature"], got.body, now=int(time.time()))
        assert not verify("wrong", got.headers["x-kodeks-signature"], got.body, now=int(time.time()))
        payload = json.loads(got.body)
        assert payload["classification"] == "own-plan" and payload["summary"]["inserted"] >= 1
        feed = w.get("/api/v1/classifications/own-plan/changes", params={"since": payload["since"]}).json()
        assert {e["code"] for e in feed["events"]}.issuperset({"10.02"})
        assert all(e["recorded_at"] == payload["recorded_at"] for e in feed["events"])
        assert deliver(w).attempted == 0  # nothing left


def test_a_rolled_back_import_announces_nothing(w: World) -> None:
    with receiver() as r:
        subscribe(w, r.url)

        def boom(_uow: object, _report: object) -> None:
            raise RuntimeError("later listener fails")

        with pytest.raises(RuntimeError):
            new_release(w, listeners=(*w.kodeks.listeners, boom))
        assert deliver(w).attempted == 0 and r.received == []


def test_retries_with_backoff_then_delivers_and_logs_every_attempt(w: World) -> None:
    with receiver() as r:
        r.answers = [500, 503]
        hook = subscribe(w, r.url)
        new_release(w)
        reports = [deliver(w) for _ in range(3)]
        assert [(x.delivered, x.retrying) for x in reports] == [(0, 1), (0, 1), (1, 0)]
        log = w.get(f"/api/v1/webhooks/{hook['id']}/deliveries", "reader").json()["deliveries"]
        assert log[0]["status"] == "delivered"
        assert [(a["status_code"], a["outcome"]) for a in log[0]["attempts"]] == [
            (500, "pending"),
            (503, "pending"),
            (200, "delivered"),
        ]


def test_gives_up_after_the_bounded_attempts(w: World) -> None:
    with receiver() as r:
        r.answers = [500] * 10
        hook = subscribe(w, r.url)
        new_release(w)
        outcomes = [deliver(w) for _ in range(5)]
        assert sum(o.attempted for o in outcomes) == 3 and outcomes[2].failed == 1
        assert len(r.received) == 3
        assert (
            w.get(f"/api/v1/webhooks/{hook['id']}/deliveries", "reader").json()["deliveries"][0]["status"]
            == "failed"
        )


def test_backoff_waits_before_the_next_try(w: World) -> None:
    with receiver() as r:
        r.answers = [500]
        subscribe(w, r.url)
        new_release(w)
        slow = RetryPolicy(max_attempts=3, base_seconds=3600, cap_seconds=3600)
        assert deliver(w, slow).retrying == 1
        assert deliver(w, slow).attempted == 0  # not due for an hour


def test_profile_and_sortiment_writes_and_upstream_changes_are_announced(w: World) -> None:
    with receiver() as r:
        w.send("POST", "/api/v1/classifications/own-plan/profiles", "reviewer", json=profile_body("skole"))
        subscribe(w, r.url, profile={"classification": "own-plan", "profile": "skole"})
        put = w.send(
            "PUT",
            "/api/v1/classifications/own-plan/profiles/skole",
            "reviewer",
            json=profile_body("skole", titles={"da": "Ny"}),
            headers={"If-Match": '"p-1"'},
        )
        assert put.status_code == 200
        first = r.wait_for(1)[0]  # the API delivers after its response
        assert json.loads(first.body)["type"] == "profile.changed"
        new_release(w)
        deliver(w)
        kinds = [json.loads(x.body)["type"] for x in r.wait_for(2)]
        assert kinds == ["profile.changed", "profile.upstream_changed"]


def test_deactivated_webhooks_get_nothing_and_others_cannot_see_them(w: World) -> None:
    with receiver() as r:
        hook = subscribe(w, r.url)
        assert w.get(f"/api/v1/webhooks/{hook['id']}", "editor").status_code == 404
        assert w.send("DELETE", f"/api/v1/webhooks/{hook['id']}", "editor").status_code == 404
        assert w.get(f"/api/v1/webhooks/{hook['id']}", "admin").status_code == 200
        gone = w.send("DELETE", f"/api/v1/webhooks/{hook['id']}", "reader")
        assert gone.status_code == 200 and gone.json()["active"] is False
        new_release(w)
        assert deliver(w).attempted == 0 and r.received == []


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://10.0.0.1/hook", "not a public address"),
        ("http://169.254.169.254/latest/meta-data", "not a public"),
        ("http://[::1]:9/x", "loopback"),
        ("http://127.0.0.1:9/x", "loopback"),
        ("ftp://127.0.0.1/x", "only http"),
        ("http://user:hunter2@127.0.0.1/x", "credentials"),
        ("http://no-such-host.invalid/x", "cannot be resolved"),
    ],
)
def test_ssrf_targets_are_refused(url: str, reason: str) -> None:
    with world(webhook_allow_loopback=False) as w:
        r = w.send("POST", "/api/v1/webhooks", "reader", json={"url": url, "classification": "own-plan"})
        assert r.status_code == 400 and reason in r.json()["error"]["message"]
        assert "hunter2" not in r.text
        assert w.get("/api/v1/webhooks", "reader").json() == []


def test_the_secret_never_reaches_logs_or_the_delivery_log(
    w: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with receiver() as r:
        r.answers = [500]
        hook = subscribe(w, r.url)
        new_release(w)
        deliver(w)
        log = w.get(f"/api/v1/webhooks/{hook['id']}/deliveries", "reader").text
    assert hook["secret"] not in caplog.text and hook["secret"] not in log
    assert "tenant=aarhus" not in log  # the receiver's own query token is not echoed either


def test_publishing_a_change_set_is_announced(w: World) -> None:
    from kodeks.domain.governance.etag import change_set_etag
    from kodeks.domain.item import Item
    from kodeks.services.governance import changesets, drafts, identity, publishing
    from tests.local.world import gov_of

    gov = gov_of(w.kodeks)
    author, approver = identity.local_actor(gov, "editor"), identity.local_actor(gov, "reviewer")
    with receiver() as r:
        subscribe(w, r.url)
        cs = changesets.open_change_set(
            gov, author, "own-plan", title="ny", label="2017-ny", effective=date(2017, 1, 1)
        )
        assert cs.id is not None
        drafts.put_item(
            gov, author, cs.id, "10.03", Item("10.03", {"da": "Nyt emne"}, level=2, parent="10"), None
        )
        submitted = changesets.submit(
            gov, author, cs.id, change_set_etag(cs.id, changesets.get(gov, author, cs.id)[0].revision)
        )
        approved = changesets.approve(gov, approver, cs.id, change_set_etag(cs.id, submitted.revision))
        publishing.publish(gov, approver, cs.id, change_set_etag(cs.id, approved.revision), "nyt emne")
        assert deliver(w).delivered == 1
        payload = json.loads(r.wait_for(1)[0].body)
        assert payload["type"] == "classification.changed" and payload["summary"]["inserted"] >= 1
