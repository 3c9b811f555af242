"""The security matrix: every write endpoint × every kind of caller × own/other organisation.

Callers act for organisation 751 with an organisation-wide role (reader, editor, reviewer, owner), or
with a role on the own plan narrowed to a subtree of codes (scoped editor ``01.*``, scoped reviewer
``02.*``, scoped owner ``01.*``), or are an owner who co-authored the submitted and approved change
sets, an administrator, anonymous, or hold an expired or a revoked token of an owner. "own" targets
what 751 owns; "other" targets the same things owned by 101, where the callers have no role.
Only the allowed combinations succeed; every other one gets 401/403 in the one error shape and
leaves every table of the database exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from tests.governance.world import OTHER, OWN, PLANS, World, clone, dump

CALLERS = (
    "anonymous",
    "reader",
    "editor",
    "reviewer",
    "owner",
    "admin",
    "expired",
    "revoked",
    "scoped-editor",
    "scoped-reviewer",
    "scoped-owner",
    "coauthor",
)
ORGS = {"own": OWN, "other": OTHER}
CS = "/api/v1/classifications/{cid}/changesets/{cs}"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: dict[str, Any] | None = None
    if_match: str | None = None


@dataclass(frozen=True)
class Endpoint:
    name: str
    allowed: frozenset[str]  # roles (besides admin) that may call it on their own organisation's data
    call: Callable[[World, str], Call]


def _plan(world: World, org: str) -> Any:
    return world.plans[org]


def _draft(world: World, org: str, suffix: str = "") -> str:
    p = _plan(world, org)
    return CS.format(cid=p.id, cs=p.draft) + suffix


#: Item edits inside the 01 subtree, and draft steps that touch only such items.
IN_SCOPE = frozenset({"editor", "owner", "coauthor", "scoped-editor", "scoped-owner"})
#: Edits outside every scope, or of the classification itself (metadata, levels).
EDITING = frozenset({"editor", "owner", "coauthor"})
#: Approve and publish: the co-author may not (four eyes); the scoped reviewer covers 02.*.
REVIEWING = frozenset({"reviewer", "owner", "scoped-reviewer"})
REJECTING = REVIEWING | {"coauthor"}
OWNING = frozenset({"owner", "coauthor"})
METADATA = {"titles": {"da": "Taken over"}}
LEVELS = [{"number": 1, "titles": {"da": "Niveau"}}]

ENDPOINTS = [
    Endpoint(
        "create organisation",
        frozenset(),
        lambda w, org: Call("POST", "/api/v1/organisations", {"id": f"new-{org}", "name": "Ny"}),
    ),
    Endpoint(
        "create user",
        OWNING,
        lambda w, org: Call("POST", "/api/v1/users", {"id": "new-user", "organisation": org, "name": "Ny"}),
    ),
    Endpoint(
        "issue token for a colleague",
        OWNING,
        lambda w, org: Call("POST", "/api/v1/tokens", {"name": "ci", "user": f"colleague-{org}"}),
    ),
    Endpoint(
        "revoke a colleague's token",
        OWNING,
        lambda w, org: Call("DELETE", f"/api/v1/tokens/{w.token_ids[f'colleague-{org}']}"),
    ),
    Endpoint(
        "assign a role",
        OWNING,
        lambda w, org: Call(
            "POST",
            "/api/v1/roles",
            {
                "user": f"colleague-{org}",
                "role": "editor",
                "resource_kind": "classification",
                "resource_id": PLANS[org],
            },
        ),
    ),
    Endpoint(
        "revoke a role", OWNING, lambda w, org: Call("DELETE", f"/api/v1/roles/{_plan(w, org).reader_role}")
    ),
    Endpoint(
        "create classification",
        OWNING,
        lambda w, org: Call(
            "POST", "/api/v1/classifications", {"id": "new-plan", "titles": {"da": "Ny"}, "owner": org}
        ),
    ),
    Endpoint(
        "change policy",
        OWNING,
        lambda w, org: Call(
            "PATCH",
            f"/api/v1/classifications/{PLANS[org]}/policy",
            {"public_read": False},
            _plan(w, org).etag,
        ),
    ),
    Endpoint(
        "set reserved ranges",
        OWNING,
        lambda w, org: Call(
            "PUT",
            f"/api/v1/classifications/{PLANS[org]}/reserved-ranges",
            {"ranges": [{"level": 2, "low": 90, "high": 99}]},
        ),
    ),
    Endpoint(
        "open change set",
        IN_SCOPE,
        lambda w, org: Call(
            "POST",
            f"/api/v1/classifications/{PLANS[org]}/changesets",
            {"title": "x", "label": "2026.1", "effective": "2026-01-01"},
        ),
    ),
    Endpoint(
        "open change set with metadata",
        EDITING,
        lambda w, org: Call(
            "POST",
            f"/api/v1/classifications/{PLANS[org]}/changesets",
            {"title": "x", "label": "2026.1", "effective": "2026-01-01", "metadata": METADATA},
        ),
    ),
    Endpoint(
        "open change set with levels",
        EDITING,
        lambda w, org: Call(
            "POST",
            f"/api/v1/classifications/{PLANS[org]}/changesets",
            {"title": "x", "label": "2026.1", "effective": "2026-01-01", "levels": LEVELS},
        ),
    ),
    Endpoint(
        "change draft header",
        IN_SCOPE,
        lambda w, org: Call("PATCH", _draft(w, org), {"title": "renamed"}, _plan(w, org).draft_etag),
    ),
    Endpoint(
        "change draft metadata",
        EDITING,
        lambda w, org: Call("PATCH", _draft(w, org), {"metadata": METADATA}, _plan(w, org).draft_etag),
    ),
    Endpoint(
        "change draft levels",
        EDITING,
        lambda w, org: Call("PATCH", _draft(w, org), {"levels": LEVELS}, _plan(w, org).draft_etag),
    ),
    Endpoint(
        "add item",
        EDITING,
        lambda w, org: Call("POST", _draft(w, org, "/items"), {"code": "03", "titles": {"da": "Tre"}}),
    ),
    Endpoint(
        "edit item",
        IN_SCOPE,
        lambda w, org: Call(
            "PUT", _draft(w, org, "/items/01"), {"titles": {"da": "Rettet"}}, _plan(w, org).draft_item_etag
        ),
    ),
    Endpoint(
        "expire item",
        IN_SCOPE,
        lambda w, org: Call(
            "POST",
            _draft(w, org, "/items/01/expire"),
            {"valid_to": "2030-01-01"},
            _plan(w, org).draft_item_etag,
        ),
    ),
    Endpoint(
        "rebase item",
        IN_SCOPE,
        lambda w, org: Call("POST", _draft(w, org, "/items/01/rebase"), None, _plan(w, org).draft_item_etag),
    ),
    Endpoint(
        "drop item",
        IN_SCOPE,
        lambda w, org: Call("DELETE", _draft(w, org, "/items/01"), None, _plan(w, org).draft_item_etag),
    ),
    Endpoint(
        "submit",
        IN_SCOPE,
        lambda w, org: Call("POST", _draft(w, org, "/submit"), None, _plan(w, org).draft_etag),
    ),
    Endpoint(
        "approve",
        REVIEWING,
        lambda w, org: Call(
            "POST",
            CS.format(cid=PLANS[org], cs=_plan(w, org).submitted) + "/approve",
            None,
            _plan(w, org).submitted_etag,
        ),
    ),
    Endpoint(
        "reject",
        REJECTING,
        lambda w, org: Call(
            "POST",
            CS.format(cid=PLANS[org], cs=_plan(w, org).submitted) + "/reject",
            {"reason": "not now"},
            _plan(w, org).submitted_etag,
        ),
    ),
    Endpoint(
        "publish",
        REVIEWING,
        lambda w, org: Call(
            "POST",
            CS.format(cid=PLANS[org], cs=_plan(w, org).approved) + "/publish",
            {"note": "release"},
            _plan(w, org).approved_etag,
        ),
    ),
]

CASES = [(e, caller, where) for e in ENDPOINTS for caller in CALLERS for where in ORGS]
MATRIX_SIZE = len(CASES)


def expected(endpoint: Endpoint, caller: str, where: str) -> int | None:
    """``None`` when the call must succeed, else the status it must be refused with."""
    if caller in ("anonymous", "expired", "revoked"):
        return 401
    if caller == "admin":
        return None
    return None if where == "own" and caller in endpoint.allowed else 403


@pytest.fixture(scope="module")
def baseline(template: World) -> dict[str, list[tuple[object, ...]]]:
    return dump(template.kodeks.engine)


@pytest.fixture(scope="module")
def app_client(template: World) -> Iterator[TestClient]:
    with TestClient(create_app(template.kodeks), raise_server_exceptions=False) as c:
        yield c


def _template(path: str) -> str:
    return re.sub(r"/(own-plan|\d+|01|[0-9a-f]{32}|[A-Za-z0-9_-]{16,})(?=/|$)", "/{}", path)


def test_the_matrix_covers_every_write_endpoint(template: World) -> None:
    """Every write route of the governance API (and the reserved ranges) is in the matrix."""
    from kodeks.api import governance, governance_changesets

    writes = {
        (m, re.sub(r"\{[^}]+\}", "{}", r.path))
        for mod in (governance, governance_changesets)
        for r in mod.router.routes
        for m in getattr(r, "methods", ())
        if m in ("POST", "PUT", "PATCH", "DELETE")
    }
    writes.add(("PUT", "/api/v1/classifications/{}/reserved-ranges"))
    called = {(c.method, _template(c.path)) for c in (e.call(template, OWN) for e in ENDPOINTS)}
    assert writes == called
    assert MATRIX_SIZE == len(ENDPOINTS) * len(CALLERS) * 2 == 24 * 12 * 2


@pytest.mark.parametrize(
    ("endpoint", "caller", "where"), CASES, ids=[f"{e.name}-{c}-{w}" for e, c, w in CASES]
)
def test_only_allowed_combinations_succeed(
    template: World,
    baseline: dict[str, list[tuple[object, ...]]],
    app_client: TestClient,
    endpoint: Endpoint,
    caller: str,
    where: str,
) -> None:
    world = clone(template)
    app_client.app.state.kodeks = world.kodeks  # type: ignore[attr-defined]
    call = endpoint.call(world, ORGS[where])
    headers = world.auth(None if caller == "anonymous" else caller)
    if call.if_match:
        headers["If-Match"] = f'"{call.if_match}"'
    response = app_client.request(call.method, call.path, json=call.json, headers=headers)
    refused = expected(endpoint, caller, where)
    after = dump(world.kodeks.engine)
    if refused is None:
        assert response.status_code in (200, 201), response.text
        assert after != baseline
    else:
        assert response.status_code == refused, response.text
        assert response.json()["error"]["code"] == {401: "unauthorized", 403: "forbidden"}[refused]
        assert after == baseline
