"""Every local-use write endpoint × every role × own/other organisation, in one matrix.

Actors: anonymous, an expired and a revoked token, and the 751 reader, editor, reviewer and owner,
and an administrator. Resources belong to 751 (own) or 101 (other). Only the allowed combinations
succeed; every refused one leaves the database exactly as it was. 9 endpoints × 8 actors × 2
organisations = 144 cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from kodeks.domain.local.webhook import Target, TargetKind
from kodeks.services.local import webhooks
from kodeks.storage.local import open_local_store
from kodeks.storage.local_http import HttpTransport
from tests.local.world import OTHER, OWN, PLAN, World, dump, profile_body, sortiment_body

ACTORS = (None, "expired", "revoked", "reader", "editor", "reviewer", "owner", "admin")
PAIRS = b"source,target,partial\n1,A,false\n2,A,true\n"


@dataclass(frozen=True)
class Case:
    """``prepare`` makes what the call needs (as an administrator) and returns (method, path, kwargs)."""

    prepare: Callable[[World, str, str | None], tuple[str, str, dict[str, Any]]]
    allowed_own: frozenset[str | None]
    allowed_other: frozenset[str | None]


ADMINISTER = frozenset({"owner", "admin"})
PUBLISH = frozenset({"reviewer", "owner", "admin"})
SIGNED_IN = frozenset({"reader", "editor", "reviewer", "owner", "admin"})


def _ranges(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    return "PUT", f"/api/v1/classifications/{PLAN[org]}/reserved-ranges", {"json": {"ranges": []}}


def _profile_create(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    return "POST", f"/api/v1/classifications/{PLAN[org]}/profiles", {"json": profile_body("p", owner=org)}


def _profile_replace(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    url = f"/api/v1/classifications/{PLAN[org]}/profiles"
    assert w.send("POST", url, "admin", json=profile_body("p", owner=org)).status_code == 201
    return (
        "PUT",
        f"{url}/p",
        {"json": profile_body("p", owner=org, titles={"da": "Ny"}), "headers": {"If-Match": '"p-1"'}},
    )


def _sortiment_create(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    return "POST", "/api/v1/sortiments", {"json": sortiment_body("s", owner=org)}


def _sortiment_version(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    assert (
        w.send("POST", "/api/v1/sortiments", "admin", json=sortiment_body("s", owner=org)).status_code == 201
    )
    return (
        "PUT",
        "/api/v1/sortiments/s",
        {"json": sortiment_body("s", owner=org, valid_from="2020-01-01"), "headers": {"If-Match": '"s-1"'}},
    )


def _import(org: str, cid: str = "c") -> dict[str, Any]:
    return {"content": PAIRS, "params": {"id": cid, "owner": org, "source": "x", "target": "y"}}


def _correspondence_import(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    return "POST", "/api/v1/correspondences", _import(org)


def _correspondence_invert(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    kw = _import(org)
    assert w.send("POST", "/api/v1/correspondences", "admin", **kw).status_code == 201
    return "POST", "/api/v1/correspondences/c/invert", {"json": {"id": "c-inverse"}}


def _webhook_register(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    return (
        "POST",
        "/api/v1/webhooks",
        {"json": {"url": "http://127.0.0.1:9/hook", "classification": PLAN[org]}},
    )


def _webhook_remove(w: World, org: str, who: str | None) -> tuple[str, str, dict[str, Any]]:
    """Own: a webhook the caller registered; other: one registered by 101's owner."""
    registrant = (who if who in SIGNED_IN else "lapsed") if org == OWN else "owner-101"
    hook = webhooks.register(
        w.kodeks.uow,
        open_local_store,
        HttpTransport(allow_loopback=True),
        "http://127.0.0.1:9/hook",
        Target(TargetKind.CLASSIFICATION, PLAN[org]),
        actor=registrant,
    )
    return "DELETE", f"/api/v1/webhooks/{hook.id}", {}


CASES = {
    "reserved-ranges PUT": Case(_ranges, ADMINISTER, frozenset({"admin"})),
    "profile POST": Case(_profile_create, PUBLISH, frozenset({"admin"})),
    "profile PUT": Case(_profile_replace, PUBLISH, frozenset({"admin"})),
    "sortiment POST": Case(_sortiment_create, PUBLISH, frozenset({"admin"})),
    "sortiment PUT": Case(_sortiment_version, PUBLISH, frozenset({"admin"})),
    "correspondence POST": Case(_correspondence_import, PUBLISH, frozenset({"admin"})),
    "correspondence invert": Case(_correspondence_invert, PUBLISH, frozenset({"admin"})),
    "webhook POST": Case(_webhook_register, SIGNED_IN, SIGNED_IN),
    "webhook DELETE": Case(_webhook_remove, SIGNED_IN, frozenset({"admin"})),
}


@pytest.mark.parametrize("org", [OWN, OTHER], ids=["own", "other"])
@pytest.mark.parametrize("who", ACTORS, ids=[a or "anonymous" for a in ACTORS])
@pytest.mark.parametrize("name", list(CASES))
def test_matrix(w: World, name: str, who: str | None, org: str) -> None:
    case = CASES[name]
    method, path, kw = case.prepare(w, org, who)
    before = dump(w.kodeks.engine)
    r = w.send(method, path, who, **kw)
    allowed = who in (case.allowed_own if org == OWN else case.allowed_other)
    if allowed:
        assert r.status_code in (200, 201), (r.status_code, r.json())
        return
    expected = 401 if who in (None, "expired", "revoked") else (404 if name == "webhook DELETE" else 403)
    assert r.status_code == expected, (r.status_code, r.json())
    assert set(r.json()) == {"error"}
    assert dump(w.kodeks.engine) == before, "a refused write changed something"


def test_matrix_size() -> None:
    assert len(CASES) * len(ACTORS) * 2 == 144
