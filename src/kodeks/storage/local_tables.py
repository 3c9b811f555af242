"""Tables of local use: reserved ranges, profiles, sortimenter, correspondences, webhooks.

Like the registry's tables, content rows are appended and closed (``recorded_to``), never updated
in content or deleted. Only the webhook outbox is operational state: a row's delivery status and
next attempt change as it is delivered; every attempt is appended to ``local_delivery``.
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
    String,
    Table,
    Text,
)

from kodeks.storage.tables import metadata

local_reserved_range = Table(
    "local_reserved_range",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_local_reserved_range_current", "classification_id", "recorded_to"),
)

local_profile = Table(
    "local_profile",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False),
    Column("profile_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("owner", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_local_profile_current", "classification_id", "profile_id", "recorded_to"),
    Index("ix_local_profile_owner", "owner"),
)

local_profile_entry = Table(
    "local_profile_entry",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False),
    Column("profile_id", String(64), nullable=False),
    Column("code", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("data", JSON, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_local_profile_entry_current", "classification_id", "profile_id", "recorded_to"),
    Index("ix_local_profile_entry_code", "classification_id", "profile_id", "code"),
    Index("ix_local_profile_entry_from", "recorded_from"),
)

local_sortiment = Table(
    "local_sortiment",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sortiment_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("owner", String(64), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("data", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_local_sortiment_current", "sortiment_id", "recorded_to"),
    Index("ix_local_sortiment_owner", "owner"),
)

local_sortiment_code = Table(
    "local_sortiment_code",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sortiment_pk", Integer, ForeignKey("local_sortiment.id"), nullable=False, index=True),
    Column("classification_id", String(64), nullable=False),
    Column("code", String(200), nullable=False),
    Index("ix_local_sortiment_code_code", "classification_id", "code"),
)

local_correspondence = Table(
    "local_correspondence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("correspondence_id", String(64), nullable=False),
    Column("source_classification", String(64), nullable=False),
    Column("target_classification", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("summary", JSON, nullable=False),
    Column("sha256", String(64), nullable=True),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_local_correspondence_current", "correspondence_id", "recorded_to"),
)

local_mapping = Table(
    "local_mapping",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("correspondence_pk", Integer, ForeignKey("local_correspondence.id"), nullable=False),
    Column("source_code", String(200), nullable=False),
    Column("target_code", String(200), nullable=True),
    Column("partial", Boolean, nullable=False),
    Column("data", JSON, nullable=True),
    Index("ix_local_mapping_source", "correspondence_pk", "source_code"),
    Index("ix_local_mapping_target", "correspondence_pk", "target_code"),
)

local_webhook = Table(
    "local_webhook",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", String(36), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("target_kind", String(20), nullable=False),
    Column("target_id", String(140), nullable=False),
    Column("actor", String(200), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("deactivated_at", DateTime, nullable=True),
    Index("ix_local_webhook_target", "target_kind", "target_id"),
)

local_outbox = Table(
    "local_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), nullable=False, unique=True),
    Column("webhook_pk", Integer, ForeignKey("local_webhook.id"), nullable=False, index=True),
    Column("event_type", String(60), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_local_outbox_due", "status", "next_attempt_at"),
)

local_delivery = Table(
    "local_delivery",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("outbox_id", Integer, ForeignKey("local_outbox.id"), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("attempted_at", DateTime, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False),
    Column("outcome", String(12), nullable=False),
)
