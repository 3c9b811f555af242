"""The further parents of a fact in a polyhierarchy (``Item.other_parents``), written beside the
facts an import records, by the whole-file and the streaming import alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from kodeks.storage.tables import item_other_parent, item_record

_CHUNK = 500


def insert_other_parents(
    conn: Connection, cid: str, wanted: dict[tuple[str, str], tuple[str, ...]], recorded_at: datetime
) -> None:
    """Rows of ``item_other_parent`` for the facts recorded at ``recorded_at`` with several parents (a
    polyhierarchy): ``wanted`` maps (code, fingerprint) to the further parents."""
    wanted = {key: parents for key, parents in wanted.items() if parents}
    codes = sorted({code for code, _ in wanted})
    rows = []
    for start in range(0, len(codes), _CHUNK):
        found = conn.execute(
            select(item_record.c.id, item_record.c.code, item_record.c.fingerprint).where(
                item_record.c.classification_id == cid,
                item_record.c.recorded_from == recorded_at,
                item_record.c.code.in_(codes[start : start + _CHUNK]),
            )
        )
        for rid, code, fp in found:
            rows += [
                {"item_record_id": rid, "classification_id": cid, "parent": parent}
                for parent in wanted.get((code, fp), ())
            ]
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(item_other_parent), rows[start : start + _CHUNK])
