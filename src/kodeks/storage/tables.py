"""The tables. Rows are appended and closed, never updated in content or deleted.

Bitemporal rows carry valid time (``valid_from``/``valid_to``, dates, half-open, NULL = open) and
recorded time (``recorded_from``/``recorded_to``, UTC timestamps, half-open, NULL = still current).
The only UPDATE Kodeks ever issues sets ``recorded_to`` on a row that a newer registration replaces.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

classification_record = Table(
    "classification_record",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("public_read", Boolean, nullable=False, default=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_classification_record_current", "classification_id", "recorded_to"),
)

release = Table(
    "release",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False, index=True),
    Column("sequence", Integer, nullable=False),
    Column("label", String(200), nullable=False),
    Column("release_date", Date, nullable=False),
    Column("data", JSON, nullable=False),
    Column("levels", JSON, nullable=False),
    Column("sha256", String(64), nullable=True),
    Column("item_count", Integer, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
)

release_item = Table(
    "release_item",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("release_id", Integer, ForeignKey("release.id"), nullable=False, index=True),
    Column("data", JSON, nullable=False),
)

item_record = Table(
    "item_record",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False),
    Column("code", String(200), nullable=False),
    Column("uuid", String(36), nullable=False),
    Column("level", Integer, nullable=True),
    Column("parent", String(200), nullable=True),
    Column("title", Text, nullable=True),
    Column("data", JSON, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("release_label", String(200), nullable=False),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_item_record_code", "classification_id", "code"),
    Index("ix_item_record_parent", "classification_id", "parent"),
    Index("ix_item_record_current", "classification_id", "recorded_to"),
)

#: The further parents of a fact in a polyhierarchy (``Item.other_parents``; the first parent is
#: ``item_record.parent``), one row each, so "the children of P" is an indexed read either way.
item_other_parent = Table(
    "item_other_parent",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_record_id", Integer, ForeignKey("item_record.id"), nullable=False),
    Column("classification_id", String(64), nullable=False),
    Column("parent", String(200), nullable=False),
    Index("ix_item_other_parent_parent", "classification_id", "parent"),
    Index("ix_item_other_parent_record", "item_record_id"),
)

registration = Table(
    "registration",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False, index=True),
    Column("recorded_at", DateTime, nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("release_id", Integer, ForeignKey("release.id"), nullable=True),
    Column("actor", String(200), nullable=True),
    Column("note", Text, nullable=True),
    Column("summary", JSON, nullable=False),
)
