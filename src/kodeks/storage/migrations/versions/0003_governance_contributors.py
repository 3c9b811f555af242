"""Governance: everyone who contributed to a change set (the four-eyes rule covers co-authors).

Existing change sets get their contributors from what is recorded: the author, the author of every
draft revision, and whoever changed the change set's header (audit action ``changeset.update``).

Revision ID: 0003gov
Revises: 0002gov
"""

import sqlalchemy as sa
from alembic import op

revision = "0003gov"
down_revision = "0002gov"
branch_labels = None
depends_on = None

TABLE = "gov_contributor"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("change_set_id", sa.Integer, sa.ForeignKey("gov_change_set.id"), primary_key=True),
        sa.Column("user_id", sa.String(100), primary_key=True),
        sa.Column("first_at", sa.DateTime, nullable=False),
    )
    op.execute(f"""
        INSERT INTO {TABLE} (change_set_id, user_id, first_at)
        SELECT change_set_id, user_id, MIN(at) FROM (
            SELECT id AS change_set_id, author AS user_id, created_at AS at FROM gov_change_set
            UNION ALL
            SELECT change_set_id, author, at FROM gov_change_entry
            UNION ALL
            SELECT change_set_id, actor, at FROM gov_audit
             WHERE action = 'changeset.update' AND change_set_id IS NOT NULL
        ) AS everyone
        GROUP BY change_set_id, user_id""")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION gov_append_only()"
        )
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
    elif dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{verb}")
    op.drop_table(TABLE)
