"""The registry's generation: changes whenever anything is registered."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from kodeks.storage.tables import classification_record, registration


def generation(engine: Engine) -> tuple[int, int]:
    """Newest registration id and classification record id: equal values mean nothing changed."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                select(func.max(registration.c.id)).scalar_subquery(),
                select(func.max(classification_record.c.id)).scalar_subquery(),
            )
        ).one()
    return (row[0] or 0, row[1] or 0)
