"""Information models: their versions, value-domain bindings to classifications, model catalogue
entries, and audit events.

Revision ID: 0002mod
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002mod"
down_revision = "0001"
branch_labels = ("models",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("source_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_model_version_model", "model_version", ["model_id", "sequence"], unique=True)
    op.create_table(
        "model_binding",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.Column("element_id", sa.String(200), nullable=False),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("valid_at", sa.Date, nullable=True),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index("ix_model_binding_current", "model_binding", ["model_id", "element_id", "recorded_to"])
    op.create_index("ix_model_binding_classification", "model_binding", ["classification_id", "recorded_to"])
    op.create_table(
        "model_catalogue_entry",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uri", sa.String(500), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index("ix_model_catalogue_entry_current", "model_catalogue_entry", ["uri", "recorded_to"])
    op.create_table(
        "model_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_model_event_model", "model_event", ["model_id", "recorded_at"])


def downgrade() -> None:
    op.drop_table("model_event")
    op.drop_table("model_catalogue_entry")
    op.drop_table("model_binding")
    op.drop_table("model_version")
