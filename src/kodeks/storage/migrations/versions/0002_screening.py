"""Screening: questionnaires (every version) and the screenings of projects.

Revision ID: 0002scr
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002scr"
down_revision = "0001"
branch_labels = ("screening",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scr_questionnaire",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.UniqueConstraint("questionnaire_id", "version", name="uq_scr_questionnaire_version"),
    )
    op.create_table(
        "scr_result",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("questionnaire_version", sa.Integer, nullable=False),
        sa.Column("project", sa.String(300), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("organisation", sa.String(64), nullable=True),
    )
    op.create_index("ix_scr_result_project", "scr_result", ["project"])


def downgrade() -> None:
    op.drop_table("scr_result")
    op.drop_table("scr_questionnaire")
