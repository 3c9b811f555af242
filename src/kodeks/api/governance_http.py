"""HTTP plumbing of the governance API: body limits, ETag headers, and JSON renderings."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from kodeks.api.governance_deps import write_gate
from kodeks.domain.codec import item_to_dict, level_to_dict
from kodeks.domain.governance.audit import AuditEntry
from kodeks.domain.governance.changeset import ChangeSet, Entry
from kodeks.domain.governance.identity import Organisation, TokenRecord, User
from kodeks.domain.governance.roles import RoleAssignment
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.services.governance.classifications import Governed
from kodeks.services.governance.drafts import DraftItem, cs_etag

API = "/api/v1"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AuthFirstRoute(APIRoute):
    """Writes authenticate before anything reads the body: anonymous callers and bad credentials get
    401 however malformed the body is (the API's shape is not shown to callers without credentials).
    ``governed`` routes also refuse (403), before the body, a caller with no role that may change the
    classification the path names."""

    governed = False

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = self.body_handler()

        async def gated(request: Request) -> Response:
            if request.method in WRITES:
                write_gate(request, governed=self.governed)
            return await handler(request)

        return gated

    def body_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return super().get_route_handler()


class LimitedRoute(AuthFirstRoute):
    """Writes authenticate first (``AuthFirstRoute``), then request bodies over
    ``Settings.max_request_bytes`` are refused (413) before anything parses them."""

    def body_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().body_handler()

        async def limited(request: Request) -> Response:
            if request.method in WRITES:
                limit = request.app.state.kodeks.settings.max_request_bytes
                declared = request.headers.get("content-length")
                if declared is not None:
                    if not (declared.isascii() and declared.isdigit()):
                        raise InvalidRequest("Content-Length is not a number")
                    if int(declared) > limit:
                        raise _too_large(int(declared), limit)
                body = bytearray()
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > limit:
                        raise _too_large(len(body), limit)
                request._body = bytes(body)
            return await handler(request)

        return limited


class GovernedRoute(LimitedRoute):
    """A ``LimitedRoute`` whose writes also need a role that may change the named classification."""

    governed = True


def _too_large(size: int, limit: int) -> InputTooLarge:
    return InputTooLarge(f"the request body is {size:,} bytes or more; the limit is {limit:,}")


def if_match(request: Request) -> str | None:
    """The tag of an ``If-Match`` header, unquoted (``W/`` prefixes are ignored); ``None`` without one."""
    value = request.headers.get("if-match")
    if value is None or not value.strip():
        return None
    tag = value.strip()
    if "," in tag:
        raise InvalidRequest("send one ETag in If-Match")
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


def tagged(body: Any, etag: str, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"ETag": f'"{etag}"'})


def organisation(org: Organisation) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "kind": str(org.kind)}


def user(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "organisation": u.organisation,
        "name": u.name,
        "admin": u.admin,
        "oidc_subject": u.oidc_subject,
    }


def token(t: TokenRecord) -> dict[str, Any]:
    """A token's record — never its secret (that is shown once, by the endpoint that issues it)."""
    return {
        "id": t.id,
        "user": t.user_id,
        "name": t.name,
        "created_at": _ts(t.created_at),
        "expires_at": _ts(t.expires_at),
        "created_by": t.created_by,
        "revoked_at": _ts(t.revoked_at) if t.revoked_at else None,
    }


def role(a: RoleAssignment) -> dict[str, Any]:
    return {
        "id": a.id,
        "user": a.user_id,
        "role": str(a.role),
        "resource_kind": str(a.resource_kind),
        "resource_id": a.resource_id,
        "codes": a.codes.pattern if a.codes else None,
        "granted_at": _ts(a.granted_at) if a.granted_at else None,
        "granted_by": a.granted_by,
    }


def governed(g: Governed) -> dict[str, Any]:
    return {
        "classification": g.classification.id,
        "owner": g.policy.owner,
        "public_read": g.policy.public_read,
        "four_eyes": g.policy.four_eyes,
        "public": g.public,
        "etag": g.etag,
        "links": {
            "classification": f"{API}/classifications/{g.classification.id}",
            "changesets": f"{API}/classifications/{g.classification.id}/changesets",
        },
    }


def change_set(cs: ChangeSet, entries: list[Entry] | None = None) -> dict[str, Any]:
    base = f"{API}/classifications/{cs.classification_id}/changesets/{cs.id}"
    body: dict[str, Any] = {
        "id": cs.id,
        "classification": cs.classification_id,
        "title": cs.title,
        "author": cs.author,
        "contributors": sorted(cs.contributors | {cs.author}),
        "state": str(cs.state),
        "label": cs.label,
        "effective": cs.effective.isoformat(),
        "revision": cs.revision,
        "etag": cs_etag(cs),
        "levels": [level_to_dict(lv) for lv in cs.levels] if cs.levels is not None else None,
        "metadata": cs.metadata,
        "reviewer": cs.reviewer,
        "publisher": cs.publisher,
        "reason": cs.reason,
        "note": cs.note,
        "created_at": _ts(cs.created_at),
        "updated_at": _ts(cs.updated_at),
        "published_at": _ts(cs.published_at),
        "links": {"self": base, "items": f"{base}/items"},
    }
    if entries is not None:
        body["entries"] = [entry(e) for e in entries]
    return body


def entry(e: Entry) -> dict[str, Any]:
    return {
        "code": e.code,
        "revision": e.revision,
        "op": str(e.op),
        "author": e.author,
        "at": _ts(e.at),
        "item": item_to_dict(e.item) if e.item is not None else None,
        "valid_to": e.valid_to.isoformat() if e.valid_to else None,
    }


def draft_item(d: DraftItem) -> dict[str, Any]:
    return {
        "change_set": d.change_set_id,
        "code": d.code,
        "item": item_to_dict(d.item) if d.item is not None else None,
        "history": [item_to_dict(i) for i in d.history],
        "etag": d.etag,
        "registry_etag": d.registry_etag,
        "stale": d.stale,
        "entry": entry(d.entry) if d.entry is not None else None,
    }


def audit_entry(a: AuditEntry) -> dict[str, Any]:
    return {
        "id": a.id,
        "at": _ts(a.at),
        "actor": a.actor,
        "organisation": a.organisation,
        "action": a.action,
        "classification": a.classification_id,
        "code": a.code,
        "change_set": a.change_set_id,
        "note": a.note,
        "details": a.details,
    }


def _ts(value: Any) -> str | None:
    return value.isoformat() + "Z" if value is not None else None
