"""Migration 0003gov gives change sets made before it their contributors from what was recorded:
the author, every draft revision's author, and whoever changed the header (audit trail)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kodeks.storage.engine import alembic_config, make_engine, migrate


def test_existing_change_sets_get_their_contributors(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    command.upgrade(alembic_config(engine), "0002gov")
    now = "2026-01-01 00:00:00"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO gov_change_set (id, classification_id, title, author, state, label,"
                " effective, base, revision, created_at)"
                " VALUES (1, 'k', 't', 'anna', 'draft', 'l', '2026-01-01', 'b', 3, :t)"
            ),
            {"t": now},
        )
        for revision, author in ((1, "anna"), (2, "bo")):
            conn.execute(
                text(
                    "INSERT INTO gov_change_entry (change_set_id, code, revision, op, base, author, at)"
                    " VALUES (1, '01', :r, 'drop', 'b', :a, :t)"
                ),
                {"r": revision, "a": author, "t": now},
            )
        for action, actor in (("changeset.update", "carl"), ("changeset.submit", "dina")):
            conn.execute(
                text(
                    "INSERT INTO gov_audit (at, actor, action, classification_id, change_set_id, details)"
                    " VALUES (:t, :a, :action, 'k', 1, '{}')"
                ),
                {"t": now, "a": actor, "action": action},
            )
    migrate(engine)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT user_id FROM gov_contributor WHERE change_set_id = 1")).scalars()
        assert sorted(found) == ["anna", "bo", "carl"]
        with pytest.raises(DBAPIError):
            conn.execute(text("DELETE FROM gov_contributor"))
