"""Tables of the information-model part (migration ``0002mod``, branch ``models``).

``model_version`` keeps every imported version of a model whole (its JSON), never overwritten: a new
import adds a version. ``model_binding`` ties an attribute's value domain to a registry
classification, append-and-close like the registry's rows. ``model_event`` is the audit trail (who
imported, bound, changed status, and when). ``model_catalogue_entry`` holds the entries of an imported
model catalogue (DIGST's), append-and-close.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text

models_metadata = MetaData()

model_version = Table(
    "model_version",
    models_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("label", String(200), nullable=False),
    Column("format", String(32), nullable=False),
    Column("source_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("counts", JSON, nullable=False),
    Column("data", JSON, nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("actor", String(200), nullable=True),
    Column("recorded_at", DateTime, nullable=False),
    Index("ix_model_version_model", "model_id", "sequence", unique=True),
)

model_binding = Table(
    "model_binding",
    models_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", String(64), nullable=False),
    Column("element_id", String(200), nullable=False),
    Column("classification_id", String(64), nullable=False),
    Column("valid_at", Date, nullable=True),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_model_binding_current", "model_id", "element_id", "recorded_to"),
    Index("ix_model_binding_classification", "classification_id", "recorded_to"),
)

model_catalogue_entry = Table(
    "model_catalogue_entry",
    models_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uri", String(500), nullable=False),
    Column("data", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_model_catalogue_entry_current", "uri", "recorded_to"),
)

model_event = Table(
    "model_event",
    models_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(200), nullable=True),
    Column("note", Text, nullable=True),
    Column("summary", JSON, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Index("ix_model_event_model", "model_id", "recorded_at"),
)
