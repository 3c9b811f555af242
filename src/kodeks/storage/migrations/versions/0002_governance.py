"""Governance: organisations, users, tokens, roles, access policies, change sets, audit.

Revision ID: 0002gov
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002gov"
down_revision = "0001"
branch_labels = ("governance",)
depends_on = None

APPEND_ONLY = ("gov_revocation", "gov_change_entry", "gov_audit")


def upgrade() -> None:
    op.create_table(
        "gov_organisation",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "gov_user",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("organisation", sa.String(64), sa.ForeignKey("gov_organisation.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("admin", sa.Boolean, nullable=False),
        sa.Column("oidc_subject", sa.String(255), nullable=True, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_gov_user_organisation", "gov_user", ["organisation"])
    op.create_table(
        "gov_token",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(100), sa.ForeignKey("gov_user.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_gov_token_user_id", "gov_token", ["user_id"])
    op.create_table(
        "gov_role",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.String(100), sa.ForeignKey("gov_user.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("resource_kind", sa.String(20), nullable=False),
        sa.Column("resource_id", sa.String(64), nullable=False),
        sa.Column("codes", sa.String(210), nullable=True),
        sa.Column("granted_at", sa.DateTime, nullable=False),
        sa.Column("granted_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_gov_role_user_id", "gov_role", ["user_id"])
    op.create_index("ix_gov_role_resource", "gov_role", ["resource_kind", "resource_id"])
    op.create_table(
        "gov_revocation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=False),
        sa.Column("revoked_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.UniqueConstraint("kind", "target", name="uq_gov_revocation_target"),
    )
    op.create_table(
        "gov_policy",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("resource_kind", sa.String(20), nullable=False),
        sa.Column("resource_id", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("public_read", sa.Boolean, nullable=True),
        sa.Column("four_eyes", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_gov_policy_resource", "gov_policy", ["resource_kind", "resource_id", "id"])
    op.create_table(
        "gov_change_set",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("effective", sa.Date, nullable=False),
        sa.Column("base", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("levels", sa.JSON, nullable=True),
        sa.Column("meta", sa.JSON, nullable=True),
        sa.Column("reviewer", sa.String(100), nullable=True),
        sa.Column("publisher", sa.String(100), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("published_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_gov_change_set_classification_id", "gov_change_set", ["classification_id"])
    op.create_table(
        "gov_change_entry",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("change_set_id", sa.Integer, sa.ForeignKey("gov_change_set.id"), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("base", sa.String(64), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("item", sa.JSON, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.UniqueConstraint("change_set_id", "code", "revision", name="uq_gov_change_entry_revision"),
    )
    op.create_table(
        "gov_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("classification_id", sa.String(64), nullable=True),
        sa.Column("code", sa.String(200), nullable=True),
        sa.Column("change_set_id", sa.Integer, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_gov_audit_classification", "gov_audit", ["classification_id", "id"])
    op.create_index("ix_gov_audit_item", "gov_audit", ["classification_id", "code", "id"])
    op.create_table("gov_lock", sa.Column("name", sa.String(200), primary_key=True))
    _append_only_triggers()


def _append_only_triggers() -> None:
    """History tables refuse UPDATE and DELETE, whoever connects (not only through Kodeks)."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("""
            CREATE FUNCTION gov_append_only() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql""")
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION gov_append_only()"
            )
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS gov_append_only()")
    for table in (
        "gov_lock",
        "gov_audit",
        "gov_change_entry",
        "gov_change_set",
        "gov_policy",
        "gov_revocation",
        "gov_role",
        "gov_token",
        "gov_user",
        "gov_organisation",
    ):
        op.drop_table(table)
