"""Tables of the catalog and of the search index (migration ``0002cat``, branch ``catalog``).

``catalog_entry_record`` is append-and-close like the registry: an edit closes the current row
(``recorded_to``) and adds a new one; deleting an external entry closes its row. ``edited`` lists
the fields an editor set, which later imports leave alone.

``search_document`` holds one row per searchable thing (an item fact currently recorded, or a catalog
entry) with its analysed terms in ``fts_*`` columns: SQLite indexes them in the FTS5 table
``search_fts`` (external content), PostgreSQL in the generated ``tsv`` column (GIN).
``search_term_variant`` is the typo index: each title/keyword term and its one-deletion variants.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text

catalog_metadata = MetaData()

catalog_entry_record = Table(
    "catalog_entry_record",
    catalog_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("data", JSON, nullable=False),
    Column("edited", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_catalog_entry_record_current", "entry_id", "recorded_to"),
)

#: A dataset's quality declaration (``domain.data.quality``, as its ``as_dict``) attached to a catalog
#: entry (migration ``0004cat``): the DCAT feed gives the entry's dataset ``dqv:hasQualityMeasurement``.
#: Append and close: a new declaration closes the entry's current one.
catalog_quality_record = Table(
    "catalog_quality_record",
    catalog_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(64), nullable=False),
    Column("declaration", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_catalog_quality_record_current", "entry_id", "recorded_to"),
)

search_document = Table(
    "search_document",
    catalog_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("classification_id", String(64), nullable=False),
    Column("code", String(200), nullable=True),
    Column("code_key", String(200), nullable=True),
    Column("code_compact", String(200), nullable=True),
    Column("level", Integer, nullable=True),
    Column("title", Text, nullable=False),
    Column("titles", JSON, nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("rank_data", JSON, nullable=False),
    Column("life_from", Date, nullable=True),
    Column("life_to", Date, nullable=True),
    Column("has_life", Boolean, nullable=False, default=False),
    Column("fts_code", Text, nullable=False),
    Column("fts_title", Text, nullable=False),
    Column("fts_keywords", Text, nullable=False),
    Column("fts_body", Text, nullable=False),
    Index("ix_search_document_classification", "classification_id", "kind"),
    Index("ix_search_document_code_key", "code_key"),
    Index("ix_search_document_code_compact", "code_compact"),
)

search_term_variant = Table(
    "search_term_variant",
    catalog_metadata,
    Column("variant", String(100), primary_key=True),
    Column("term", String(100), primary_key=True),
)
