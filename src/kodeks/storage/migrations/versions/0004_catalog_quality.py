"""Quality declarations attached to catalog entries (``kodeks data quality --catalog-entry``): the
DCAT feed carries them as ``dqv:hasQualityMeasurement``.

Revision ID: 0004cat
Revises: 0003cat
"""

import sqlalchemy as sa
from alembic import op

revision = "0004cat"
down_revision = "0003cat"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_quality_record",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("declaration", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index(
        "ix_catalog_quality_record_current", "catalog_quality_record", ["entry_id", "recorded_to"]
    )


def downgrade() -> None:
    op.drop_index("ix_catalog_quality_record_current", table_name="catalog_quality_record")
    op.drop_table("catalog_quality_record")
