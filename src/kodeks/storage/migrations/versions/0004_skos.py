"""Thesauri: the further parents of a code in a polyhierarchy (``Item.other_parents``), so that a
parent's children are found through any of their parents with an index.

Revision ID: 0004skos
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004skos"
down_revision = "0001"
branch_labels = ("skos",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_other_parent",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item_record_id", sa.Integer, sa.ForeignKey("item_record.id"), nullable=False),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("parent", sa.String(200), nullable=False),
    )
    op.create_index("ix_item_other_parent_parent", "item_other_parent", ["classification_id", "parent"])
    op.create_index("ix_item_other_parent_record", "item_other_parent", ["item_record_id"])


def downgrade() -> None:
    op.drop_table("item_other_parent")
