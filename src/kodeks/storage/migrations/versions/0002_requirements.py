"""Requirement tools: common requirements (versions), their trail, requirement sets, supplier answers.

Revision ID: 0002req
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002req"
down_revision = "0001"
branch_labels = ("requirements",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "req_requirement",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("requirement_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("author", sa.String(200), nullable=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("requirement_id", "version", name="uq_req_requirement_version"),
    )
    op.create_table(
        "req_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ix_req_event_subject", "req_event", ["subject_kind", "subject_id"])
    op.create_table(
        "req_set",
        sa.Column("set_id", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
    )
    op.create_table(
        "req_answer",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("set_id", sa.String(64), nullable=False),
        sa.Column("supplier", sa.String(200), nullable=False),
        sa.Column("requirement_id", sa.String(64), nullable=False),
        sa.Column("compliance", sa.String(16), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.UniqueConstraint("set_id", "supplier", "requirement_id", name="uq_req_answer"),
    )


def downgrade() -> None:
    for table in ("req_answer", "req_set", "req_event", "req_requirement"):
        op.drop_table(table)
