"""Local use: reserved ranges, profiles, sortimenter, correspondences, webhook outbox and deliveries.

Revision ID: 0002loc
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002loc"
down_revision = "0001"
branch_labels = ("local",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_reserved_range",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index(
        "ix_local_reserved_range_current", "local_reserved_range", ["classification_id", "recorded_to"]
    )
    op.create_table(
        "local_profile",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("profile_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index(
        "ix_local_profile_current", "local_profile", ["classification_id", "profile_id", "recorded_to"]
    )
    op.create_index("ix_local_profile_owner", "local_profile", ["owner"])
    op.create_table(
        "local_profile_entry",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("profile_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index(
        "ix_local_profile_entry_current",
        "local_profile_entry",
        ["classification_id", "profile_id", "recorded_to"],
    )
    op.create_index(
        "ix_local_profile_entry_code", "local_profile_entry", ["classification_id", "profile_id", "code"]
    )
    op.create_index("ix_local_profile_entry_from", "local_profile_entry", ["recorded_from"])
    op.create_table(
        "local_sortiment",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sortiment_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index("ix_local_sortiment_current", "local_sortiment", ["sortiment_id", "recorded_to"])
    op.create_index("ix_local_sortiment_owner", "local_sortiment", ["owner"])
    op.create_table(
        "local_sortiment_code",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sortiment_pk", sa.Integer, sa.ForeignKey("local_sortiment.id"), nullable=False),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
    )
    op.create_index("ix_local_sortiment_code_sortiment_pk", "local_sortiment_code", ["sortiment_pk"])
    op.create_index("ix_local_sortiment_code_code", "local_sortiment_code", ["classification_id", "code"])
    op.create_table(
        "local_correspondence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("correspondence_id", sa.String(64), nullable=False),
        sa.Column("source_classification", sa.String(64), nullable=False),
        sa.Column("target_classification", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index(
        "ix_local_correspondence_current", "local_correspondence", ["correspondence_id", "recorded_to"]
    )
    op.create_table(
        "local_mapping",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("correspondence_pk", sa.Integer, sa.ForeignKey("local_correspondence.id"), nullable=False),
        sa.Column("source_code", sa.String(200), nullable=False),
        sa.Column("target_code", sa.String(200), nullable=True),
        sa.Column("partial", sa.Boolean, nullable=False),
        sa.Column("data", sa.JSON, nullable=True),
    )
    op.create_index("ix_local_mapping_source", "local_mapping", ["correspondence_pk", "source_code"])
    op.create_index("ix_local_mapping_target", "local_mapping", ["correspondence_pk", "target_code"])
    op.create_table(
        "local_webhook",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("webhook_id", sa.String(36), nullable=False, unique=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("target_kind", sa.String(20), nullable=False),
        sa.Column("target_id", sa.String(140), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("deactivated_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_local_webhook_target", "local_webhook", ["target_kind", "target_id"])
    op.create_table(
        "local_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.String(36), nullable=False, unique=True),
        sa.Column("webhook_pk", sa.Integer, sa.ForeignKey("local_webhook.id"), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
    )
    op.create_index("ix_local_outbox_webhook_pk", "local_outbox", ["webhook_pk"])
    op.create_index("ix_local_outbox_due", "local_outbox", ["status", "next_attempt_at"])
    op.create_table(
        "local_delivery",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("local_outbox.id"), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("attempted_at", sa.DateTime, nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
    )
    op.create_index("ix_local_delivery_outbox_id", "local_delivery", ["outbox_id"])


def downgrade() -> None:
    for table in (
        "local_delivery",
        "local_outbox",
        "local_webhook",
        "local_mapping",
        "local_correspondence",
        "local_sortiment_code",
        "local_sortiment",
        "local_profile_entry",
        "local_profile",
        "local_reserved_range",
    ):
        op.drop_table(table)
