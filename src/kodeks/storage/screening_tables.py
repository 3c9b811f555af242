"""Tables of the screening tool (migration ``0002scr``, branch ``screening``).

``scr_questionnaire`` keeps every version of a questionnaire (``data`` is the codec's dict);
``scr_result`` every screening of a project: the answers, the questionnaire version they answered,
and the result computed then (results are never recomputed, so old screenings stay comparable).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, MetaData, String, Table, UniqueConstraint

screening_metadata = MetaData()

scr_questionnaire = Table(
    "scr_questionnaire",
    screening_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("questionnaire_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("actor", String(200), nullable=True),
    UniqueConstraint("questionnaire_id", "version", name="uq_scr_questionnaire_version"),
)

scr_result = Table(
    "scr_result",
    screening_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("questionnaire_id", String(64), nullable=False),
    Column("questionnaire_version", Integer, nullable=False),
    Column("project", String(300), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("result", JSON, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("organisation", String(64), nullable=True),
    Index("ix_scr_result_project", "project"),
)
