"""Catalog entries and the search index (SQLite FTS5 / PostgreSQL tsvector).

Revision ID: 0002cat
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002cat"
down_revision = "0001"
branch_labels = ("catalog",)
depends_on = None

_TSV = (
    "setweight(to_tsvector('simple'::regconfig, fts_code), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, fts_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, fts_keywords), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, fts_body), 'D')"
)


def upgrade() -> None:
    op.create_table(
        "catalog_entry_record",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("edited", sa.JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("recorded_from", sa.DateTime, nullable=False),
        sa.Column("recorded_to", sa.DateTime, nullable=True),
    )
    op.create_index("ix_catalog_entry_record_current", "catalog_entry_record", ["entry_id", "recorded_to"])
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("classification_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(200), nullable=True),
        sa.Column("code_key", sa.String(200), nullable=True),
        sa.Column("code_compact", sa.String(200), nullable=True),
        sa.Column("level", sa.Integer, nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("titles", sa.JSON, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("rank_data", sa.JSON, nullable=False),
        sa.Column("fts_code", sa.Text, nullable=False),
        sa.Column("fts_title", sa.Text, nullable=False),
        sa.Column("fts_keywords", sa.Text, nullable=False),
        sa.Column("fts_body", sa.Text, nullable=False),
    )
    op.create_index("ix_search_document_classification", "search_document", ["classification_id", "kind"])
    op.create_index("ix_search_document_code_key", "search_document", ["code_key"])
    op.create_index("ix_search_document_code_compact", "search_document", ["code_compact"])
    op.create_table(
        "search_term_variant",
        sa.Column("variant", sa.String(100), primary_key=True),
        sa.Column("term", sa.String(100), primary_key=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({_TSV}) STORED")
        # fastupdate off: imports are rare and bulk; a pending list would slow every search until vacuumed
        op.execute(
            "CREATE INDEX ix_search_document_tsv ON search_document USING gin (tsv) WITH (fastupdate = off)"
        )
        op.execute(
            "CREATE INDEX ix_search_document_code_key_prefix ON search_document (code_key text_pattern_ops)"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(fts_code, fts_title, fts_keywords, fts_body, "
            "content='search_document', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    for table in ("search_term_variant", "search_document", "catalog_entry_record"):
        op.drop_table(table)
