"""Webhook subscriptions and the events written to the outbox inside write transactions.

Events are queued in the same transaction as the change they announce (an import, a profile or
sortiment version), so a rolled-back change never announces anything; ``delivery.deliver_due``
sends them after commit. A payload is small: what changed, when it was recorded, and the feed
``since`` value that lists exactly the changes of that registration and later ones.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from kodeks.domain.local.webhook import Target, TargetKind, url_problem
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.clock import Clock, utcnow
from kodeks.services.importing import ImportReport, Listener
from kodeks.services.local.common import classification
from kodeks.services.local.ports import DeliveryRecord, LocalStore, LocalStoreOpener, Transport, Webhook
from kodeks.services.ports import UnitOfWork, UnitOfWorkFactory

MAX_PER_ACTOR = 100
CURRENT = datetime(9999, 12, 31)


def _iso(at: datetime) -> str:
    return at.isoformat() + "Z"


def notify(
    store: LocalStore, targets: Sequence[Target], event_type: str, body: dict[str, Any], recorded_at: datetime
) -> int:
    """Queue an event for every active webhook on ``targets``; returns how many were queued."""
    queued = 0
    for hook in store.subscribers(targets):
        delivery_id = str(uuid.uuid4())
        payload = {
            "id": delivery_id,
            "type": event_type,
            "recorded_at": _iso(recorded_at),
            "target": {"kind": str(hook.target.kind), "id": hook.target.id},
            "since": _iso(recorded_at - timedelta(microseconds=1)),
            **body,
        }
        store.enqueue(hook, delivery_id, event_type, payload, recorded_at)
        queued += 1
    return queued


def import_listener(open_store: LocalStoreOpener) -> Listener:
    """An import listener that announces a recorded release to the classification's subscribers,
    and (as an upstream change) to those of its profiles and of the sortimenter that use it."""

    def listen(uow: UnitOfWork, report: ImportReport) -> None:
        store = open_store(uow)
        cid = report.classification_id
        body = {
            "classification": cid,
            "release": report.release_label,
            "release_date": report.release_date.isoformat(),
            "summary": {"items": report.items, "inserted": report.inserted, "closed": report.closed},
        }
        notify(
            store,
            [Target(TargetKind.CLASSIFICATION, cid)],
            "classification.changed",
            body,
            report.recorded_at,
        )
        profiles = [
            Target(TargetKind.PROFILE, f"{cid}/{p.profile.id}")
            for p in store.profiles(report.recorded_at, classification_id=cid)
        ]
        notify(store, profiles, "profile.upstream_changed", body, report.recorded_at)
        sortiments = [Target(TargetKind.SORTIMENT, sid) for sid in store.sortiments_using(cid)]
        notify(store, sortiments, "sortiment.upstream_changed", body, report.recorded_at)

    return listen


def register(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    transport: Transport,
    url: str,
    target: Target,
    *,
    actor: str | None,
    clock: Clock = utcnow,
    secret: Callable[[], str] = lambda: secrets.token_urlsafe(32),
) -> Webhook:
    """Subscribe ``url`` to changes of ``target``. The returned secret is shown once, never again."""
    problem = url_problem(url) or transport.check(url)
    if problem:
        raise InvalidRequest(f"cannot send webhooks to that URL: {problem}")
    with uow_factory() as uow:
        store = open_store(uow)
        _target_exists(uow, store, target)
        if actor is not None and sum(1 for w in store.webhooks(actor) if w.active) >= MAX_PER_ACTOR:
            raise InvalidRequest(f"at most {MAX_PER_ACTOR} active webhooks per user; remove one first")
        hook = Webhook(str(uuid.uuid4()), url, secret(), target, actor, clock())
        store.add_webhook(hook)
        uow.commit()
    return hook


def _target_exists(uow: UnitOfWork, store: LocalStore, target: Target) -> None:
    if target.kind is TargetKind.CLASSIFICATION:
        classification(uow, target.id, CURRENT)
    elif target.kind is TargetKind.PROFILE:
        cid, _, pid = target.id.partition("/")
        classification(uow, cid, CURRENT)
        if store.profile(cid, pid, CURRENT) is None:
            raise NotFound(f"{cid} has no profile {pid!r}", classification=cid, profile=pid)
    elif not store.sortiment_versions(target.id, CURRENT):
        raise NotFound(f"no sortiment {target.id!r}", sortiment=target.id)


def webhooks(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, actor: str | None
) -> list[Webhook]:
    with uow_factory() as uow:
        return open_store(uow).webhooks(actor)


def get(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, webhook_id: str, actor: str | None
) -> Webhook:
    """The webhook, if ``actor`` registered it (others get 404: ids are not disclosed)."""
    with uow_factory() as uow:
        return _own(open_store(uow), webhook_id, actor)


def _own(store: LocalStore, webhook_id: str, actor: str | None) -> Webhook:
    hook = store.webhook(webhook_id) if len(webhook_id) <= 36 else None
    if hook is None or (actor is not None and hook.actor != actor):
        raise NotFound(f"no webhook {webhook_id!r}", webhook=webhook_id)
    return hook


def deactivate(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    webhook_id: str,
    actor: str | None,
    clock: Clock = utcnow,
) -> Webhook:
    with uow_factory() as uow:
        store = open_store(uow)
        hook = _own(store, webhook_id, actor)
        store.deactivate_webhook(webhook_id, clock())
        uow.commit()
        return store.webhook(webhook_id) or hook


def deliveries(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    webhook_id: str,
    actor: str | None,
    limit: int = 100,
) -> list[DeliveryRecord]:
    with uow_factory() as uow:
        store = open_store(uow)
        _own(store, webhook_id, actor)
        return store.deliveries(webhook_id, limit)
