"""What the local-use route modules share: the store, webhook delivery after a write, version tags,
feed rendering, and — in one place — who may write what.

Authorization (governance's ``authorize``; the owner is always taken from what is stored, never
from the caller, once something exists):

- reserved ranges of a classification: ``administer`` the classification (its owner);
- a profile or a sortiment (create, replace, new version), a correspondence (import, invert):
  ``publish`` for the owning organisation — its reviewers and owners (these writes take effect at
  once, so they need the right to publish); a sortiment role on the sortiment itself counts too;
- a webhook: any signed-in user who may read its target; only its registrant sees or removes it;
- reads follow the read policy of every classification involved.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from fastapi import BackgroundTasks, Request

from kodeks.api.governance_http import if_match
from kodeks.bootstrap import Kodeks
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import Resource
from kodeks.domain.governance.roles import Action, ResourceKind
from kodeks.errors import InvalidRequest
from kodeks.services.governance.authz import authorize, classification_resource
from kodeks.services.governance.context import Governance
from kodeks.services.governance.reading import read_resource
from kodeks.services.local import delivery
from kodeks.services.local.feeds import FeedResult
from kodeks.services.queries import When
from kodeks.storage.local import open_local_store
from kodeks.storage.local_http import HttpTransport

log = logging.getLogger("kodeks.api.local")
API = "/api/v1"
STORE = open_local_store


# -- authorization: the one place -------------------------------------------------------------------
def may_administer(gov: Governance, actor: Actor, classification_id: str) -> None:
    with gov.uow() as uow:
        resource = classification_resource(uow, classification_id, public_copyrighted=gov.public_copyrighted)
    authorize(actor, Action.ADMINISTER, resource)


def may_publish_for(
    actor: Actor, owner: str, kind: ResourceKind = ResourceKind.ORGANISATION, resource_id: str | None = None
) -> None:
    authorize(actor, Action.PUBLISH, Resource(kind, resource_id or owner, owner=owner, public=True))


def may_read(gov: Governance, actor: Actor, classification_ids: Iterable[str]) -> None:
    """401/403 unless every registered classification named is public or readable by ``actor``."""
    for cid in sorted(set(classification_ids)):
        resource = read_resource(gov, cid)
        if resource is not None and not resource.public:
            authorize(actor, Action.READ, resource)


# -- plumbing ---------------------------------------------------------------------------------------
def when(at: date | None, known_at: datetime | None) -> When:
    return When.of(at, known_at)


def transport(kodeks: Kodeks) -> HttpTransport:
    return HttpTransport(allow_loopback=kodeks.settings.webhook_allow_loopback)


def deliver_soon(background: BackgroundTasks, kodeks: Kodeks) -> None:
    """After the response: send what this write queued (and anything else due)."""
    background.add_task(_deliver, kodeks)


def _deliver(kodeks: Kodeks) -> None:
    try:
        delivery.deliver_due(kodeks.uow, STORE, transport(kodeks), limit=50)
    except Exception:  # delivery is retried later; the write has succeeded
        log.exception("webhook delivery failed")


def expected_version(request: Request, prefix: str) -> int | None:
    """The version in ``If-Match: "<prefix>-<n>"``; ``None`` without the header."""
    tag = if_match(request)
    if tag is None:
        return None
    match = re.fullmatch(rf"{prefix}-(\d{{1,9}})", tag)
    if match is None:
        raise InvalidRequest(f'If-Match must be a tag this resource handed out ("{prefix}-<version>")')
    return int(match.group(1))


def etag(prefix: str, version: int) -> dict[str, str]:
    return {"ETag": f'"{prefix}-{version}"'}


def feed(result: FeedResult) -> dict[str, Any]:
    return {
        "feed": result.scope,
        "count": len(result.events),
        "events": [e.data for e in result.events],
        "cursor": result.cursor,
        "has_more": result.has_more,
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value is not None else None
