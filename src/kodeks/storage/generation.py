"""The registry's generation: changes whenever anything is registered, or a read policy changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from kodeks.storage.governance_tables import policy
from kodeks.storage.tables import classification_record, registration

Generation = tuple[int, int, int, datetime | None, datetime | None]


#: Built once: building the statement cost more than running it.
QUERY = select(
    select(func.max(registration.c.id)).scalar_subquery(),
    select(func.max(classification_record.c.id)).scalar_subquery(),
    select(func.max(policy.c.id)).scalar_subquery(),
    select(func.max(registration.c.recorded_at)).scalar_subquery(),
    select(func.max(classification_record.c.recorded_from)).scalar_subquery(),
)


def read_generation(conn: Any) -> Generation:
    """Newest registration id, classification record id, access policy id, and the newest
    registration's and classification record's recorded times: equal values mean nothing was
    registered since."""
    row = conn.execute(QUERY).one()
    return (row[0] or 0, row[1] or 0, row[2] or 0, row[3], row[4])


def generation(engine: Engine) -> Generation:
    """The registry's generation (``read_generation``) on a connection of its own: equal values mean
    nothing changed (a policy can turn a classification's public read off, so cached public reads
    of it must go)."""
    with engine.connect() as conn:
        return read_generation(conn)
