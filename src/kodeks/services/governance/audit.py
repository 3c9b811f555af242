"""The audit trail: written by every governance write, read per classification, per item or in full."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from kodeks.domain.governance.audit import AuditEntry
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.roles import Action
from kodeks.errors import Forbidden, InvalidRequest, Unauthorized
from kodeks.services.governance.authz import authorize, classification_resource
from kodeks.services.governance.context import Governance
from kodeks.services.governance.ports import GovernanceUnitOfWork

MAX_PAGE = 500
log = logging.getLogger("kodeks.governance")


def record(
    uow: GovernanceUnitOfWork,
    at: datetime,
    actor: Actor,
    action: str,
    *,
    classification_id: str | None = None,
    code: str | None = None,
    change_set_id: int | None = None,
    note: str | None = None,
    **details: Any,
) -> None:
    """Append one audit entry (inside the caller's transaction)."""
    log.info(
        "%s by %s%s%s",
        action,
        actor.name,
        f" on {classification_id}" if classification_id else "",
        f" {code}" if code else "",
    )
    uow.governance.add_audit(
        AuditEntry(
            at, actor.name, action, actor.organisation, classification_id, code, change_set_id, note, details
        )
    )


def _page(after: int, limit: int) -> None:
    if after < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(f"'after' must be ≥ 0 and 'limit' 1-{MAX_PAGE}")


def classification_trail(
    gov: Governance,
    actor: Actor,
    classification_id: str,
    *,
    code: str | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[AuditEntry]:
    """Audit entries of a classification (or of one of its codes), oldest first, after entry ``after``.

    The trail names people, so it needs a role on the classification even when its content is public.
    """
    _page(after, limit)
    with gov.uow() as uow:
        resource = classification_resource(uow, classification_id, public_copyrighted=gov.public_copyrighted)
        authorize(actor, Action.READ_AUDIT, resource)
        return uow.governance.audit(classification_id, code, after=after, limit=limit)


def full_trail(gov: Governance, actor: Actor, *, after: int = 0, limit: int = 100) -> list[AuditEntry]:
    """Every audit entry (organisations, users, tokens and roles too): administrators only."""
    _page(after, limit)
    if not actor.authenticated:
        raise Unauthorized("authentication required to read the audit trail")
    if not actor.admin:
        raise Forbidden("only administrators read the full audit trail")
    with gov.uow() as uow:
        return uow.governance.audit(None, after=after, limit=limit)
