"""Search documents show the code's lifespan: a document is found on its fact's period (``valid_*``)
and shows the code's lifespan (``life_*``). Documents indexed before this have none (``has_life``
false) and show their period until their classification is indexed again.

Revision ID: 0003cat
Revises: 0002cat
"""

import sqlalchemy as sa
from alembic import op

revision = "0003cat"
down_revision = "0002cat"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: SQLite must not rebuild the table (its FTS triggers).
    op.add_column("search_document", sa.Column("life_from", sa.Date, nullable=True))
    op.add_column("search_document", sa.Column("life_to", sa.Date, nullable=True))
    op.add_column(
        "search_document", sa.Column("has_life", sa.Boolean, nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    with op.batch_alter_table("search_document") as batch:
        batch.drop_column("has_life")
        batch.drop_column("life_to")
        batch.drop_column("life_from")
