"""Tables of the requirement tools (migration ``0002req``, branch ``requirements``).

``req_requirement`` holds one row per version of a common requirement (``data`` is the codec's dict);
its ``state`` moves through the governance workflow; a published row is never changed again.
``req_event`` is the requirement part's own trail (append-only): every write names who, when, what.
``req_set`` is a requirement set for a tender (``revision`` counts its saves);
``req_answer`` holds the supplier answers imported for a set (one row per supplier and requirement).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

requirement_metadata = MetaData()

req_requirement = Table(
    "req_requirement",
    requirement_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("requirement_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("owner", String(64), nullable=False),
    Column("author", String(200), nullable=True),
    Column("data", JSON, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("changed_at", DateTime, nullable=False),
    UniqueConstraint("requirement_id", "version", name="uq_req_requirement_version"),
)

req_event = Table(
    "req_event",
    requirement_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_kind", String(16), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("version", Integer, nullable=True),
    Column("action", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("organisation", String(64), nullable=True),
    Column("at", DateTime, nullable=False),
    Column("note", Text, nullable=True),
    Index("ix_req_event_subject", "subject_kind", "subject_id"),
)

req_set = Table(
    "req_set",
    requirement_metadata,
    Column("set_id", String(64), primary_key=True),
    Column("owner", String(64), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Column("actor", String(200), nullable=True),
)

req_answer = Table(
    "req_answer",
    requirement_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("set_id", String(64), nullable=False),
    Column("supplier", String(200), nullable=False),
    Column("requirement_id", String(64), nullable=False),
    Column("compliance", String(16), nullable=True),
    Column("text", Text, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("actor", String(200), nullable=True),
    UniqueConstraint("set_id", "supplier", "requirement_id", name="uq_req_answer"),
)
