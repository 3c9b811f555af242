"""Governance tables: organisations, users, tokens, roles, policies, change sets, audit.

Append-only where history matters: ``gov_revocation`` (a token or role is revoked by a new row, never
deleted), ``gov_change_entry`` (every revision of a draft edit), ``gov_contributor`` (everyone who
wrote any part of a change set: the four-eyes rule keeps them from approving or publishing it) and
``gov_audit`` refuse UPDATE and DELETE with database triggers (migrations ``0002gov``, ``0003gov``).
``gov_policy`` keeps every policy ever set; the latest row counts. ``gov_change_set`` holds a change
set's current state; each transition is audited.
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
    UniqueConstraint,
)

governance_metadata = MetaData()

APPEND_ONLY = ("gov_revocation", "gov_change_entry", "gov_audit", "gov_contributor")

organisation = Table(
    "gov_organisation",
    governance_metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
)

user = Table(
    "gov_user",
    governance_metadata,
    Column("id", String(100), primary_key=True),
    Column("organisation", String(64), ForeignKey("gov_organisation.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("admin", Boolean, nullable=False),
    Column("oidc_subject", String(255), nullable=True, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
)

token = Table(
    "gov_token",
    governance_metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", String(100), ForeignKey("gov_user.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
)

role = Table(
    "gov_role",
    governance_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(100), ForeignKey("gov_user.id"), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("resource_kind", String(20), nullable=False),
    Column("resource_id", String(64), nullable=False),
    Column("codes", String(210), nullable=True),
    Column("granted_at", DateTime, nullable=False),
    Column("granted_by", String(100), nullable=False),
    Index("ix_gov_role_resource", "resource_kind", "resource_id"),
)

revocation = Table(
    "gov_revocation",
    governance_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("target", String(64), nullable=False),
    Column("revoked_at", DateTime, nullable=False),
    Column("revoked_by", String(100), nullable=False),
    Column("reason", Text, nullable=True),
    UniqueConstraint("kind", "target", name="uq_gov_revocation_target"),
)

policy = Table(
    "gov_policy",
    governance_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resource_kind", String(20), nullable=False),
    Column("resource_id", String(64), nullable=False),
    Column("owner", String(64), nullable=True),
    Column("public_read", Boolean, nullable=True),
    Column("four_eyes", Boolean, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("recorded_by", String(100), nullable=False),
    Index("ix_gov_policy_resource", "resource_kind", "resource_id", "id"),
)

change_set = Table(
    "gov_change_set",
    governance_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("classification_id", String(64), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("state", String(20), nullable=False),
    Column("label", String(200), nullable=False),
    Column("effective", Date, nullable=False),
    Column("base", String(64), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("levels", JSON, nullable=True),
    Column("meta", JSON, nullable=True),
    Column("reviewer", String(100), nullable=True),
    Column("publisher", String(100), nullable=True),
    Column("reason", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=True),
    Column("published_at", DateTime, nullable=True),
)

change_entry = Table(
    "gov_change_entry",
    governance_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("change_set_id", Integer, ForeignKey("gov_change_set.id"), nullable=False),
    Column("code", String(200), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("op", String(10), nullable=False),
    Column("base", String(64), nullable=False),
    Column("author", String(100), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("item", JSON, nullable=True),
    Column("valid_to", Date, nullable=True),
    UniqueConstraint("change_set_id", "code", "revision", name="uq_gov_change_entry_revision"),
)

contributor = Table(
    "gov_contributor",
    governance_metadata,
    Column("change_set_id", Integer, ForeignKey("gov_change_set.id"), primary_key=True),
    Column("user_id", String(100), primary_key=True),
    Column("first_at", DateTime, nullable=False),
)

audit = Table(
    "gov_audit",
    governance_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("organisation", String(64), nullable=True),
    Column("action", String(60), nullable=False),
    Column("classification_id", String(64), nullable=True),
    Column("code", String(200), nullable=True),
    Column("change_set_id", Integer, nullable=True),
    Column("note", Text, nullable=True),
    Column("details", JSON, nullable=False),
    Index("ix_gov_audit_classification", "classification_id", "id"),
    Index("ix_gov_audit_item", "classification_id", "code", "id"),
)

lock = Table(
    "gov_lock",
    governance_metadata,
    Column("name", String(200), primary_key=True),
)
