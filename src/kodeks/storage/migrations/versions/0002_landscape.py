"""Solution landscape: solutions and their use per municipality (bitemporal), and the AI code bank.

Revision ID: 0002lsc
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002lsc"
down_revision = "0001"
branch_labels = ("landscape",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "landscape_solution",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("solution_id", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index("ix_landscape_solution_current", "landscape_solution", ["solution_id", "recorded_to"])
    op.create_table(
        "landscape_use",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("solution_id", sa.String(100), nullable=False),
        sa.Column("municipality", sa.String(4), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("purposes", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index("ix_landscape_use_pair", "landscape_use", ["solution_id", "municipality", "recorded_to"])
    op.create_index("ix_landscape_use_municipality", "landscape_use", ["municipality", "recorded_to"])

    op.create_table(
        "landscape_codebank_entry",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index(
        "ix_landscape_codebank_entry_current", "landscape_codebank_entry", ["entry_id", "recorded_to"]
    )
    op.create_table(
        "landscape_codebank_offer",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("municipality", sa.String(4), nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "landscape_codebank_interest",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("offer_id", sa.Integer, nullable=False),
        sa.Column("municipality", sa.String(4), nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_landscape_codebank_interest_offer", "landscape_codebank_interest", ["offer_id"])
    op.create_table(
        "landscape_boundary",
        sa.Column("municipality", sa.String(4), primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("height", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("landscape_boundary")
    op.drop_table("landscape_codebank_interest")
    op.drop_table("landscape_codebank_offer")
    op.drop_table("landscape_codebank_entry")
    op.drop_table("landscape_use")
    op.drop_table("landscape_solution")
