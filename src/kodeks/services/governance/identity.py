"""Organisations, users and API tokens; turning a credential into an ``Actor``.

A token is ``kodeks_`` + 43 random URL-safe characters (32 bytes). Kodeks shows it once, when it is
issued, and keeps only its SHA-256 (a 256-bit random secret needs no slow hash: it cannot be guessed,
and the hash is an exact-match index). Tokens expire, and are revoked by a revocation record.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from kodeks.domain.governance.identity import (
    ANONYMOUS,
    Actor,
    Organisation,
    TokenRecord,
    User,
    Via,
    system_actor,
)
from kodeks.domain.governance.policy import Resource, organisation_resource
from kodeks.domain.governance.roles import Action, ResourceKind
from kodeks.errors import Conflict, Forbidden, InvalidRequest, NotFound, Unauthorized
from kodeks.services.governance import audit, oidc
from kodeks.services.governance.authz import authorize
from kodeks.services.governance.context import Governance
from kodeks.services.governance.ports import GovernanceUnitOfWork

TOKEN_PREFIX = "kodeks_"
log = logging.getLogger("kodeks.governance")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``secret`` is shown to its owner now and never again."""

    record: TokenRecord
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_for_user(uow: GovernanceUnitOfWork, user: User, via: Via) -> Actor:
    grants = tuple(uow.governance.assignments(user_id=user.id))
    return Actor(user.id, user.organisation, admin=user.admin, grants=grants, via=via)


def authenticate(gov: Governance, credential: str | None) -> Actor:
    """The actor a bearer credential stands for; ``ANONYMOUS`` without one; 401 for a bad one.

    Refusals are logged at WARNING (for intrusion monitoring) with the reason and the token's id where
    known (else the first 12 hex digits of the credential's SHA-256) — never the credential itself.
    """
    try:
        return _authenticate(gov, credential)
    except Unauthorized as exc:
        known = getattr(exc, "token_id", None)
        digest = hash_secret(credential or "")[:12]
        which = f"token {known}" if known else f"unknown credential, sha256 {digest}..."
        log.warning("authentication refused: %s (%s)", exc.message, which)
        raise


def _refused(message: str, record: TokenRecord) -> Unauthorized:
    exc = Unauthorized(message)
    exc.token_id = f"{record.id} of {record.user_id}"  # type: ignore[attr-defined]  # the log, not the response
    return exc


def _authenticate(gov: Governance, credential: str | None) -> Actor:
    if credential is None:
        return ANONYMOUS
    for index, known in enumerate(gov.bootstrap_tokens):
        if hmac.compare_digest(credential.encode(), known.encode()):
            return Actor(f"token-{index + 1}", None, admin=True, via=Via.BOOTSTRAP)
    if credential.startswith(TOKEN_PREFIX):
        with gov.uow() as uow:
            record = uow.governance.token_by_hash(hash_secret(credential))
            if record is None:
                raise Unauthorized("the token is not valid")
            if record.revoked_at is not None:
                raise _refused("the token has been revoked", record)
            if gov.now() >= record.expires_at:
                raise _refused("the token has expired", record)
            user = uow.governance.user(record.user_id)
            if user is None:
                raise _refused("the token is not valid", record)
            return actor_for_user(uow, user, Via.TOKEN)
    if gov.oidc is not None and oidc.looks_like_jwt(credential):
        claims = oidc.verify(gov.oidc, credential)
        with gov.uow() as uow:
            user = uow.governance.user_by_subject(str(claims[gov.oidc.subject_claim]))
            if user is None:
                raise Unauthorized("the OIDC user is not registered in Kodeks; ask an administrator")
            return actor_for_user(uow, user, Via.OIDC)
    raise Unauthorized("the token is not valid")


def _audit(uow: GovernanceUnitOfWork, actor: Actor, action: str, gov: Governance, **details: Any) -> None:
    audit.record(uow, gov.now(), actor, action, **details)


def create_organisation(gov: Governance, actor: Actor, org: Organisation) -> Organisation:
    """Only administrators create organisations (an organisation nobody owns yet)."""
    authorize(actor, Action.CREATE, Resource(ResourceKind.ORGANISATION, org.id))
    with gov.uow(write=True) as uow:
        uow.governance.add_organisation(org, gov.now(), actor.name)
        _audit(uow, actor, "organisation.create", gov, organisation=org.id, name=org.name, kind=str(org.kind))
        uow.commit()
    return org


def organisations(gov: Governance, actor: Actor) -> list[Organisation]:
    if not actor.authenticated:
        raise Unauthorized("authentication required to list organisations")
    with gov.uow() as uow:
        return uow.governance.organisations()


def create_user(gov: Governance, actor: Actor, user: User) -> User:
    """An organisation's owners (and administrators) create its users; only administrators make admins."""
    authorize(actor, Action.MANAGE_USERS, organisation_resource(user.organisation))
    if user.admin and not actor.admin:
        raise Forbidden("only administrators may create administrators")
    with gov.uow(write=True) as uow:
        if uow.governance.organisation(user.organisation) is None:
            raise NotFound(f"no organisation {user.organisation!r}", organisation=user.organisation)
        uow.governance.add_user(user, gov.now(), actor.name)
        _audit(uow, actor, "user.create", gov, user=user.id, organisation=user.organisation, admin=user.admin)
        uow.commit()
    return user


def users(gov: Governance, actor: Actor, organisation: str) -> list[User]:
    authorize(actor, Action.MANAGE_USERS, organisation_resource(organisation))
    with gov.uow() as uow:
        return uow.governance.users(organisation)


def _target_user(uow: GovernanceUnitOfWork, actor: Actor, user_id: str) -> User:
    """The user whose tokens ``actor`` manages: oneself, or a user of an organisation one manages."""
    user = uow.governance.user(user_id)
    if user is None:
        if actor.admin:
            raise NotFound(f"no user {user_id!r}", user=user_id)
        raise Forbidden(f"{actor.name} may not manage the tokens of {user_id!r}")
    if user.id != actor.user_id:
        authorize(actor, Action.MANAGE_USERS, organisation_resource(user.organisation))
        if user.admin and not actor.admin:
            raise Forbidden("only administrators manage the tokens of administrators")
    return user


def issue_token(
    gov: Governance, actor: Actor, user_id: str | None, name: str, days: int | None = None
) -> IssuedToken:
    if not actor.authenticated:
        raise Unauthorized("authentication required to issue a token")
    days = gov.token_days if days is None else days
    if not 1 <= days <= gov.max_token_days:
        raise InvalidRequest(f"a token lives 1-{gov.max_token_days} days, not {days}")
    if not name.strip() or len(name) > 200:
        raise InvalidRequest("a token needs a name of 1-200 characters (what it is for)")
    with gov.uow(write=True) as uow:
        user = _target_user(uow, actor, user_id or actor.user_id or "")
        now = gov.now()
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = TokenRecord(
            secrets.token_hex(8),
            user.id,
            name.strip(),
            hash_secret(secret),
            now,
            now + timedelta(days=days),
            actor.name,
        )
        uow.governance.add_token(record)
        _audit(
            uow,
            actor,
            "token.issue",
            gov,
            token=record.id,
            user=user.id,
            name=record.name,
            expires_at=record.expires_at.isoformat(),
        )
        uow.commit()
    return IssuedToken(record, secret)


def revoke_token(gov: Governance, actor: Actor, token_id: str, reason: str | None = None) -> TokenRecord:
    if not actor.authenticated:
        raise Unauthorized("authentication required to revoke a token")
    with gov.uow(write=True) as uow:
        record = uow.governance.token(token_id)
        if record is None:
            raise NotFound(f"no token {token_id!r}", token=token_id)
        _target_user(uow, actor, record.user_id)
        now = gov.now()
        if not uow.governance.revoke("token", token_id, now, actor.name, reason):
            raise Conflict(f"token {token_id} is revoked already", token=token_id)
        _audit(uow, actor, "token.revoke", gov, token=token_id, user=record.user_id, reason=reason)
        uow.commit()
    return replace(record, revoked_at=now)


def tokens(gov: Governance, actor: Actor, user_id: str | None = None) -> list[TokenRecord]:
    if not actor.authenticated:
        raise Unauthorized("authentication required to list tokens")
    with gov.uow() as uow:
        user = _target_user(uow, actor, user_id or actor.user_id or "")
        return uow.governance.tokens(user.id)


def local_actor(gov: Governance, user_id: str | None) -> Actor:
    """Who the command line acts as: a registered user (``--as``), else a local administrator."""
    if user_id is None:
        return system_actor("cli")
    with gov.uow() as uow:
        user = uow.governance.user(user_id)
        if user is None:
            raise NotFound(f"no user {user_id!r}", user=user_id)
        return actor_for_user(uow, user, Via.LOCAL)
