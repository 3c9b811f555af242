"""Webhooks: subscribe a URL to a classification, a profile or a sortiment; see the delivery log.

The response to ``POST /api/v1/webhooks`` is the only time the signing secret is shown. Payloads
are signed: ``X-Kodeks-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import GovernanceDep, RequiredActor
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.local_common import STORE, iso, may_read, transport
from kodeks.api.local_schemas import WebhookIn
from kodeks.domain.governance.identity import Actor
from kodeks.domain.local.webhook import Target, TargetKind
from kodeks.services.local import webhooks
from kodeks.services.local.ports import Attempt, DeliveryRecord, Webhook

router = APIRouter(prefix="/api/v1/webhooks", tags=["local: webhooks"], route_class=LimitedRoute)


def _owner(actor: Actor) -> str | None:
    """Whose webhooks the actor sees: their own; an administrator sees all."""
    return None if actor.admin else actor.name


def _out(hook: Webhook) -> dict[str, Any]:
    return {
        "id": hook.id,
        "url": hook.url,
        "target": {"kind": str(hook.target.kind), "id": hook.target.id},
        "active": hook.active,
        "created_at": iso(hook.created_at),
        "deactivated_at": iso(hook.deactivated_at),
        "links": {
            "self": f"/api/v1/webhooks/{hook.id}",
            "deliveries": f"/api/v1/webhooks/{hook.id}/deliveries",
        },
    }


def _attempt(a: Attempt) -> dict[str, Any]:
    return {
        "attempt": a.attempt,
        "at": iso(a.attempted_at),
        "status_code": a.status_code,
        "error": a.error,
        "duration_ms": a.duration_ms,
        "outcome": str(a.outcome),
    }


def _delivery(d: DeliveryRecord) -> dict[str, Any]:
    return {
        "delivery": d.delivery_id,
        "event": d.event_type,
        "queued_at": iso(d.created_at),
        "status": str(d.status),
        "attempts": [_attempt(a) for a in d.attempts],
    }


@router.post("", status_code=201, summary="Subscribe a URL; the signing secret is shown only in this answer")
def register(kodeks: KodeksDep, gov: GovernanceDep, actor: RequiredActor, body: WebhookIn) -> JSONResponse:
    if body.classification is not None:
        target = Target(TargetKind.CLASSIFICATION, body.classification)
        may_read(gov, actor, [body.classification])
    elif body.profile is not None:
        target = Target(TargetKind.PROFILE, f"{body.profile.classification}/{body.profile.profile}")
        may_read(gov, actor, [body.profile.classification])
    else:
        target = Target(TargetKind.SORTIMENT, body.sortiment or "")
    hook = webhooks.register(kodeks.uow, STORE, transport(kodeks), body.url, target, actor=actor.name)
    return JSONResponse(
        {**_out(hook), "secret": hook.secret}, status_code=201, headers={"Cache-Control": "no-store"}
    )


@router.get("", summary="Your webhooks (an administrator sees all)")
def list_webhooks(kodeks: KodeksDep, actor: RequiredActor) -> JSONResponse:
    return JSONResponse([_out(h) for h in webhooks.webhooks(kodeks.uow, STORE, _owner(actor))])


@router.get("/{webhook_id}", summary="One of your webhooks")
def get_webhook(kodeks: KodeksDep, actor: RequiredActor, webhook_id: str) -> JSONResponse:
    return JSONResponse(_out(webhooks.get(kodeks.uow, STORE, webhook_id, _owner(actor))))


@router.delete("/{webhook_id}", summary="Stop a webhook (it is kept, deactivated, with its delivery log)")
def deactivate(kodeks: KodeksDep, actor: RequiredActor, webhook_id: str) -> JSONResponse:
    return JSONResponse(_out(webhooks.deactivate(kodeks.uow, STORE, webhook_id, _owner(actor))))


@router.get(
    "/{webhook_id}/deliveries", summary="The delivery log: every event and every attempt, newest first"
)
def deliveries(
    kodeks: KodeksDep, actor: RequiredActor, webhook_id: str, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> JSONResponse:
    found = webhooks.deliveries(kodeks.uow, STORE, webhook_id, _owner(actor), limit)
    return JSONResponse({"webhook": webhook_id, "deliveries": [_delivery(d) for d in found]})
