"""Recorded time: UTC timestamps that never go backwards within one database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """Now, in UTC, as a naive timestamp (how every recorded time is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def next_recorded_at(clock: Clock, last: datetime | None) -> datetime:
    """A registration time strictly after ``last``, so every registration has its own instant."""
    now = clock()
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)
    if last is not None and now <= last:
        return last + timedelta(microseconds=1)
    return now


def as_recorded(value: datetime) -> datetime:
    """A user-given timestamp in the stored form (naive UTC)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value
