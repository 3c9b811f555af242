"""Tables of the solution landscape (migration ``0002lsc``, branch ``landscape``).

Append and close like the registry: ``landscape_solution`` holds each recorded version of a solution
(``data`` is ``kodeks.domain.landscape.codec``'s dict); ``landscape_use`` holds one row per use
(solution × municipality × status × valid period ``[valid_from, valid_to)``), held over
``[recorded_from, recorded_to)``. A re-import that changes a pair's uses closes the pair's rows and
adds the new ones, so every earlier state can be read back (``known_at``). The AI code bank keeps its
entries the same way (``landscape_codebank_entry``); offers, requests and registered interest are
appended and never changed.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, Float, Index, Integer, MetaData, String, Table, Text

landscape_metadata = MetaData()

landscape_solution = Table(
    "landscape_solution",
    landscape_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("solution_id", String(100), nullable=False),
    Column("data", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_landscape_solution_current", "solution_id", "recorded_to"),
)

landscape_use = Table(
    "landscape_use",
    landscape_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("solution_id", String(100), nullable=False),
    Column("municipality", String(4), nullable=False),
    Column("status", String(16), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("purposes", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_landscape_use_pair", "solution_id", "municipality", "recorded_to"),
    Index("ix_landscape_use_municipality", "municipality", "recorded_to"),
)

landscape_codebank_entry = Table(
    "landscape_codebank_entry",
    landscape_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(100), nullable=False),
    Column("data", JSON, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime, nullable=True),
    Index("ix_landscape_codebank_entry_current", "entry_id", "recorded_to"),
)

landscape_codebank_offer = Table(
    "landscape_codebank_offer",
    landscape_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(100), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("municipality", String(4), nullable=False),
    Column("note", String(2000), nullable=False),
    Column("actor", String(200), nullable=True),
    Column("created_at", DateTime, nullable=False),
)

landscape_codebank_interest = Table(
    "landscape_codebank_interest",
    landscape_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("offer_id", Integer, nullable=False),
    Column("municipality", String(4), nullable=False),
    Column("note", String(2000), nullable=False),
    Column("actor", String(200), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_landscape_codebank_interest_offer", "offer_id"),
)

#: Municipal boundaries for the map, as SVG paths in a box 1000 wide and ``height`` high (imported
#: from DAGI's TopoJSON: ``kodeks landscape boundaries``); replaced whole on each import.
landscape_boundary = Table(
    "landscape_boundary",
    landscape_metadata,
    Column("municipality", String(4), primary_key=True),
    Column("path", Text, nullable=False),
    Column("height", Float, nullable=False),
)
