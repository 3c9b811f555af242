"""Optimistic concurrency: a write names the version tag it read; a different current tag is a 409.

``*`` (``If-Match: *``) matches any current tag: the caller edits whatever is there now. Callers
pass it here only for things that exist (``require_match`` is called with a current tag).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kodeks.errors import Conflict, PreconditionRequired

ANY = "*"


def require_match(
    given: str | None,
    current: str,
    what: str,
    changed: Callable[[], dict[str, Any]] | None = None,
    **details: Any,
) -> None:
    """Pass when ``given`` is ``current`` or ``*``; 428 without a tag; 409 for a stale one, with
    ``details`` and what ``changed()`` says (called only then: who changed it, when)."""
    if given is None:
        raise PreconditionRequired(f"editing {what} needs the ETag you read, sent as If-Match")
    if given != current and given != ANY:
        more = changed() if changed is not None else {}
        raise Conflict(
            f"{what} has changed since you read it; read it again and reapply your edit",
            expected=given,
            current=current,
            **details,
            **more,
        )
