"""The registry's generation: changes whenever anything is registered, or a read policy changes."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from kodeks.storage.governance_tables import policy
from kodeks.storage.tables import classification_record, registration


def generation(engine: Engine) -> tuple[int, int, int]:
    """Newest registration id, classification record id and access policy id: equal values mean
    nothing changed (a policy can turn a classification's public read off, so cached public reads
    of it must go)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                select(func.max(registration.c.id)).scalar_subquery(),
                select(func.max(classification_record.c.id)).scalar_subquery(),
                select(func.max(policy.c.id)).scalar_subquery(),
            )
        ).one()
    return (row[0] or 0, row[1] or 0, row[2] or 0)
