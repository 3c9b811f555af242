"""The audit entry: who did what, when, why. Entries are only ever appended."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One write. ``action`` is a dotted verb (``changeset.publish``, ``item.edit``, ``token.revoke``).

    ``classification_id`` and ``code`` place it in the per-classification and per-item trails;
    ``details`` says what changed (before/after tags, counts) — never a secret.
    """

    at: datetime
    actor: str
    action: str
    organisation: str | None = None
    classification_id: str | None = None
    code: str | None = None
    change_set_id: int | None = None
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
