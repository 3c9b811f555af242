"""Registry core: classifications, releases, bitemporal item records, registrations.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classification_record",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("public_read", sa.Boolean, nullable=False),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index(
        "ix_classification_record_current", "classification_record", ["classification_id", "recorded_to"]
    )
    op.create_table(
        "release",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("release_date", sa.Date, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("levels", sa.JSON, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("item_count", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_release_classification_id", "release", ["classification_id"])
    op.create_table(
        "release_item",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("release.id"), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_release_item_release_id", "release_item", ["release_id"])
    op.create_table(
        "item_record",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("level", sa.Integer, nullable=True),
        sa.Column("parent", sa.String(200), nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("release_label", sa.String(200), nullable=False),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index("ix_item_record_code", "item_record", ["classification_id", "code"])
    op.create_index("ix_item_record_parent", "item_record", ["classification_id", "parent"])
    op.create_index("ix_item_record_current", "item_record", ["classification_id", "recorded_to"])
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("release.id"), nullable=True),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("summary", sa.JSON, nullable=False),
    )
    op.create_index("ix_registration_classification_id", "registration", ["classification_id"])
    op.create_index("ix_registration_recorded_at", "registration", ["recorded_at"])


def downgrade() -> None:
    for table in ("registration", "item_record", "release_item", "release", "classification_record"):
        op.drop_table(table)
