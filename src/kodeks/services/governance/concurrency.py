"""Optimistic concurrency: a write names the version tag it read; a different current tag is a 409."""

from __future__ import annotations

from typing import Any

from kodeks.errors import Conflict, PreconditionRequired


def require_match(given: str | None, current: str, what: str, **changed: Any) -> None:
    """Pass when ``given`` is ``current``; 428 without a tag; 409 (with what changed) for a stale one."""
    if given is None:
        raise PreconditionRequired(f"editing {what} needs the ETag you read, sent as If-Match")
    if given != current:
        raise Conflict(f"{what} has changed since you read it; read it again and reapply your edit",
                       expected=given, current=current, **changed)
