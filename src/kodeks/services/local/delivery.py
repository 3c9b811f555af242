"""Delivering queued webhook events after commit: claim, sign, POST, log, retry with backoff.

Run by ``kodeks local deliver`` (once, or in a loop) or by the API after its own writes. Claiming
happens in a short transaction; the HTTP call happens outside any transaction; each attempt is then
logged in its own transaction. A 2xx answer delivers; anything else (another status, a refused
address, a timeout) is retried after the policy's backoff until it gives up.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import timedelta

from kodeks.domain.local.webhook import SIGNATURE_HEADER, Outcome, RetryPolicy, sign
from kodeks.services.clock import Clock, utcnow
from kodeks.services.local.ports import Attempt, LocalStoreOpener, OutboxItem, Transport
from kodeks.services.ports import UnitOfWorkFactory

USER_AGENT = "Kodeks-Webhook/1"


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed


def body_of(item: OutboxItem) -> bytes:
    return json.dumps(item.payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def deliver_due(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    transport: Transport,
    *,
    policy: RetryPolicy = RetryPolicy(),
    clock: Clock = utcnow,
    limit: int = 100,
    timeout: float = 5.0,
    lease: timedelta = timedelta(minutes=2),
) -> DeliveryReport:
    """Try every outbox item that is due, once. Returns what happened."""
    now = clock()
    with uow_factory() as uow:
        claimed = open_store(uow).claim_due(now, now + lease, limit)
        uow.commit()
    counts = {Outcome.DELIVERED: 0, Outcome.PENDING: 0, Outcome.FAILED: 0}
    for item in claimed:
        attempt = _attempt(item, transport, policy, clock, timeout)
        with uow_factory() as uow:
            open_store(uow).finish_attempt(attempt)
            uow.commit()
        counts[attempt.outcome] += 1
    return DeliveryReport(counts[Outcome.DELIVERED], counts[Outcome.PENDING], counts[Outcome.FAILED])


def _attempt(
    item: OutboxItem, transport: Transport, policy: RetryPolicy, clock: Clock, timeout: float
) -> Attempt:
    number = item.attempts + 1
    started = time.monotonic()
    status: int | None = None
    error: str | None = None
    if not item.webhook.active:
        error = "the webhook was removed"
    else:
        body = body_of(item)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Kodeks-Event": item.event_type,
            "X-Kodeks-Delivery": item.delivery_id,
            SIGNATURE_HEADER: sign(item.webhook.secret, int(time.time()), body),
        }
        try:
            response = transport.post(item.webhook.url, body, headers, timeout)
            status = response.status
            if not 200 <= status < 300:
                error = f"the receiver answered HTTP {status}"
        except OSError as exc:
            error = _describe(exc)
    elapsed = int((time.monotonic() - started) * 1000)
    at = clock()
    if error is None:
        return Attempt(item.id, number, at, status, None, elapsed, Outcome.DELIVERED, None)
    delay = None if not item.webhook.active else policy.delay(number)
    if delay is None:
        return Attempt(item.id, number, at, status, error, elapsed, Outcome.FAILED, None)
    return Attempt(item.id, number, at, status, error, elapsed, Outcome.PENDING, at + delay)


def _describe(exc: OSError) -> str:
    """A short reason without the URL (it may carry a receiver's own token in its query)."""
    reason = getattr(exc, "reason", None) or exc.strerror or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {reason}"[:300]
