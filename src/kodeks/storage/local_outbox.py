"""Webhook subscriptions, the outbox filled inside write transactions, and the delivery log.

An outbox row is claimed by moving its ``next_attempt_at`` past the lease with a compare-and-set
UPDATE, so several delivery workers never send the same row at once; each attempt appends one row
to ``local_delivery`` and updates the outbox row's status.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from kodeks.domain.local.webhook import Outcome, Target, TargetKind
from kodeks.services.local.ports import Attempt, DeliveryRecord, OutboxItem, Webhook
from kodeks.storage.local_tables import local_delivery, local_outbox, local_webhook


def _webhook(row: Any) -> Webhook:
    return Webhook(
        row.webhook_id,
        row.url,
        row.secret,
        Target(TargetKind(row.target_kind), row.target_id),
        row.actor,
        row.created_at,
        row.deactivated_at,
    )


class OutboxQueries:
    conn: Connection

    def add_webhook(self, webhook: Webhook) -> None:
        self.conn.execute(
            insert(local_webhook).values(
                webhook_id=webhook.id,
                url=webhook.url,
                secret=webhook.secret,
                target_kind=str(webhook.target.kind),
                target_id=webhook.target.id,
                actor=webhook.actor,
                created_at=webhook.created_at,
            )
        )

    def webhook(self, webhook_id: str) -> Webhook | None:
        row = self.conn.execute(select(local_webhook).where(local_webhook.c.webhook_id == webhook_id)).first()
        return _webhook(row) if row else None

    def webhooks(self, actor: str | None = None) -> list[Webhook]:
        query = select(local_webhook).order_by(local_webhook.c.created_at, local_webhook.c.id)
        if actor is not None:
            query = query.where(local_webhook.c.actor == actor)
        return [_webhook(r) for r in self.conn.execute(query)]

    def deactivate_webhook(self, webhook_id: str, at: datetime) -> None:
        w = local_webhook
        self.conn.execute(
            update(w)
            .where(w.c.webhook_id == webhook_id, w.c.deactivated_at.is_(None))
            .values(deactivated_at=at)
        )

    def subscribers(self, targets: Sequence[Target]) -> list[Webhook]:
        if not targets:
            return []
        w = local_webhook
        match = or_(*(and_(w.c.target_kind == str(t.kind), w.c.target_id == t.id) for t in targets))
        return [
            _webhook(r)
            for r in self.conn.execute(select(w).where(match, w.c.deactivated_at.is_(None)).order_by(w.c.id))
        ]

    def enqueue(
        self, webhook: Webhook, delivery_id: str, event_type: str, payload: dict[str, Any], at: datetime
    ) -> None:
        pk = self.conn.execute(
            select(local_webhook.c.id).where(local_webhook.c.webhook_id == webhook.id)
        ).scalar()
        self.conn.execute(
            insert(local_outbox).values(
                delivery_id=delivery_id,
                webhook_pk=pk,
                event_type=event_type,
                payload=payload,
                created_at=at,
                status=str(Outcome.PENDING),
                attempts=0,
                next_attempt_at=at,
            )
        )

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[OutboxItem]:
        o, w = local_outbox, local_webhook
        rows = self.conn.execute(
            select(
                o.c.id,
                o.c.delivery_id,
                o.c.event_type,
                o.c.payload,
                o.c.attempts,
                o.c.next_attempt_at,
                w.c.webhook_id,
                w.c.url,
                w.c.secret,
                w.c.target_kind,
                w.c.target_id,
                w.c.actor,
                w.c.created_at,
                w.c.deactivated_at,
            )
            .join(w, w.c.id == o.c.webhook_pk)
            .where(o.c.status == str(Outcome.PENDING), o.c.next_attempt_at <= now)
            .order_by(o.c.next_attempt_at, o.c.id)
            .limit(limit)
        ).all()
        claimed: list[OutboxItem] = []
        for r in rows:
            done = self.conn.execute(
                update(o)
                .where(
                    o.c.id == r.id,
                    o.c.status == str(Outcome.PENDING),
                    o.c.next_attempt_at == r.next_attempt_at,
                )
                .values(next_attempt_at=lease_until)
            )
            if done.rowcount == 1:
                claimed.append(
                    OutboxItem(r.id, r.delivery_id, _webhook(r), r.event_type, r.payload, r.attempts)
                )
        return claimed

    def finish_attempt(self, attempt: Attempt) -> None:
        self.conn.execute(
            insert(local_delivery).values(
                outbox_id=attempt.outbox_id,
                attempt=attempt.attempt,
                attempted_at=attempt.attempted_at,
                status_code=attempt.status_code,
                error=attempt.error,
                duration_ms=attempt.duration_ms,
                outcome=str(attempt.outcome),
            )
        )
        self.conn.execute(
            update(local_outbox)
            .where(local_outbox.c.id == attempt.outbox_id)
            .values(
                status=str(attempt.outcome),
                attempts=attempt.attempt,
                next_attempt_at=attempt.next_attempt_at,
                last_error=attempt.error,
            )
        )

    def deliveries(self, webhook_id: str, limit: int) -> list[DeliveryRecord]:
        o, w, d = local_outbox, local_webhook, local_delivery
        outbox = self.conn.execute(
            select(o)
            .join(w, w.c.id == o.c.webhook_pk)
            .where(w.c.webhook_id == webhook_id)
            .order_by(o.c.id.desc())
            .limit(limit)
        ).all()
        attempts: dict[int, list[Attempt]] = defaultdict(list)
        if outbox:
            for r in self.conn.execute(
                select(d)
                .where(d.c.outbox_id.in_([x.id for x in outbox]))
                .order_by(d.c.outbox_id, d.c.attempt)
            ):
                attempts[r.outbox_id].append(
                    Attempt(
                        r.outbox_id,
                        r.attempt,
                        r.attempted_at,
                        r.status_code,
                        r.error,
                        r.duration_ms,
                        Outcome(r.outcome),
                        None,
                    )
                )
        return [
            DeliveryRecord(
                x.delivery_id, x.event_type, x.created_at, Outcome(x.status), tuple(attempts[x.id])
            )
            for x in outbox
        ]
