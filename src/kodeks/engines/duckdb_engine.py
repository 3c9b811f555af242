"""The embedded engine on DuckDB: the same plan as ``polars_engine``, in SQL.

The classification's valid-time table (a few thousand rows, the frame ``polars_engine`` builds) is
registered with the connection and left-joined to the data on the trimmed code, keeping the one
segment whose ``[start, end)`` holds the row's date; statuses are decided in the same order. Rows
keep their input order (each is numbered before the join and sorted by that number after). A
validated relation is lazy: ``COPY`` writes it to Parquet, CSV or JSON Lines without Python objects
per row. Importing this module imports nothing of DuckDB; an engine is built with a connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.status import Status
from kodeks.domain.data.summary import INVALID, Summary
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.engines.dates import TEXT_FORMATS
from kodeks.engines.polars_engine import CODE, DAY, FITS, KEY, SEG, check_columns, segments_frame
from kodeks.errors import InvalidRequest

_ROW = "__kodeks_row"
_ISO = r"^\d{4}-\d{2}-\d{2}([T ].*)?$"


def q(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def date_sql(column: str, dtype: str) -> str:
    """``column`` as a DATE (NULL where it is missing or cannot be read), the forms ``dates`` reads."""
    col = q(column)
    kind = dtype.upper()
    if kind == "DATE":
        return col
    if kind.startswith("TIMESTAMP"):
        return f"CAST({col} AS DATE)"
    text = f"trim(CAST({col} AS VARCHAR))"
    iso = (
        f"CASE WHEN regexp_full_match({text}, {lit(_ISO)}) "
        f"THEN CAST(try_strptime(substr({text}, 1, 10), '%Y-%m-%d') AS DATE) END"
    )
    forms = [f"CAST(try_strptime({text}, {lit(f)}) AS DATE)" for f in TEXT_FORMATS]
    return f"coalesce({iso}, {', '.join(forms)})"


def _code_sql(column: str) -> str:
    return f"trim(CAST({q(column)} AS VARCHAR))"


class DuckDBEngine:
    """``services.data.ports.DataEngine`` on DuckDB relations (of one connection)."""

    name = "duckdb"

    def __init__(self, connection: Any = None) -> None:
        import duckdb

        self.con = connection if connection is not None else duckdb.connect()
        self._registered: dict[int, tuple[ValidTimeTable, str]] = {}
        self._views = 0

    def _view(self, rel: Any) -> str:
        """``rel`` as a view of the connection, to be named in SQL."""
        self._views += 1
        name = f"__kodeks_view_{self._views}"
        rel.create_view(name, replace=True)
        return name

    def relation(self, data: Any) -> Any:
        """``data`` (a DuckDB relation, or a Polars frame) as a relation of this connection."""
        import polars as pl

        if isinstance(data, pl.LazyFrame):
            data = data.collect()
        if isinstance(data, pl.DataFrame):
            return self.con.from_arrow(data.to_arrow())
        return data

    def read(self, path: Path, kind: str, separator: str = ",") -> Any:
        """A Parquet, CSV (every column as text, as ``formats.datasets`` reads it) or JSON Lines file."""
        where = lit(str(path))
        if kind == "parquet":
            return self.con.sql(f"SELECT * FROM read_parquet({where})")
        if kind == "csv":
            return self.con.sql(
                f"SELECT * FROM read_csv({where}, header = true, all_varchar = true, "
                f"allow_quoted_nulls = false, delim = {lit(separator)})"
            )
        if kind == "jsonl":
            return self.con.sql(f"SELECT * FROM read_json({where}, format = 'newline_delimited')")
        raise InvalidRequest(f"{path.name}: the DuckDB engine reads Parquet, CSV or JSON Lines")

    def _segments(self, table: ValidTimeTable) -> str:
        found = self._registered.get(id(table))
        if found is not None and found[0] is table:
            return found[1]
        name = f"__kodeks_segments_{len(self._registered)}"
        self.con.register(name, segments_frame(table).to_arrow())
        self._registered[id(table)] = (table, name)
        return name

    def validate(self, data: Any, table: ValidTimeTable, spec: ValidateSpec) -> Any:
        rel = self.relation(data)
        names: Sequence[str] = rel.columns
        check_columns(names, spec)
        status_col, suggestion_col, title_col = spec.added
        day = _day_sql(rel, spec)
        segs = self._segments(table)
        s = {k: f"s.{q(v)}" for k, v in SEG.items()}
        wrong = (
            f"({s['status']} = {lit(Status.VALID.value)} AND coalesce({s['level']}, -1) <> {int(spec.level)})"
            if spec.level is not None
            else "false"
        )
        hinted = ", ".join(lit(x.value) for x in (Status.MOVED, Status.EXPIRED, Status.NOT_YET_VALID))
        kept = ", ".join(f"d.{q(n)}" for n in names)
        sql = f"""
        WITH numbered AS (SELECT *, row_number() OVER () AS {_ROW} FROM {self._view(rel)}),
        stepped AS (
            SELECT *, coalesce(regexp_full_match({q(CODE)}, {lit(table.shapes.regex())}), false) AS {q(FITS)},
                   CASE WHEN {q(DAY)} IS NOT NULL THEN {q(CODE)} END AS {q(KEY)}
            FROM (SELECT *, {_code_sql(spec.column)} AS {q(CODE)}, {day} AS {q(DAY)} FROM numbered)
        )
        SELECT {kept},
            CASE WHEN d.{q(CODE)} IS NULL OR d.{q(CODE)} = '' THEN {lit(Status.EMPTY.value)}
                 WHEN NOT d.{q(FITS)} THEN {lit(Status.MALFORMED.value)}
                 WHEN d.{q(DAY)} IS NULL THEN {lit(Status.BAD_DATE.value)}
                 WHEN {s["status"]} IS NULL THEN {lit(Status.UNKNOWN.value)}
                 WHEN {wrong} THEN {lit(Status.WRONG_LEVEL.value)}
                 ELSE {s["status"]} END AS {q(status_col)},
            CASE WHEN {s["status"]} IN ({hinted}) THEN {s["suggestion"]} END AS {q(suggestion_col)},
            {s["title"]} AS {q(title_col)}
        FROM stepped AS d LEFT JOIN {segs} AS s
          ON d.{q(KEY)} = {s["code"]}
         AND ({s["start"]} IS NULL OR {s["start"]} <= d.{q(DAY)})
         AND ({s["end"]} IS NULL OR d.{q(DAY)} < {s["end"]})
        ORDER BY d.{_ROW}
        """
        return self.con.sql(sql)

    def summarize(self, checked: Any, table: ValidTimeTable, spec: ValidateSpec) -> Summary:
        rel = self.relation(checked)
        day = _day_sql(rel, spec)
        slim = (
            f"(SELECT {q(spec.added[0])} AS status, {_code_sql(spec.column)} AS code, {day} AS day "
            f"FROM {self._view(rel)})"
        )
        invalid = ", ".join(lit(x.value) for x in INVALID)
        counts = self.con.sql(f"SELECT status, count(*) FROM {slim} GROUP BY status").fetchall()
        unknown = self.con.sql(
            f"SELECT code, count(*) AS n FROM {slim} WHERE status = {lit(Status.UNKNOWN.value)} "
            f"GROUP BY code ORDER BY n DESC, code LIMIT {int(spec.top_unknown)}"
        ).fetchall()
        years = self.con.sql(
            f"SELECT year(day) AS y, count(*) FROM {slim} WHERE status IN ({invalid}) AND day IS NOT NULL "
            "GROUP BY y ORDER BY y"
        ).fetchall()
        valid = self.con.sql(
            f"SELECT code, count(*) FROM {slim} WHERE status = {lit(Status.VALID.value)} GROUP BY code"
        ).fetchall()
        tops = {x.code: x.top for x in table.segments}
        by_top: dict[str, int] = {}
        for c, n in valid:
            top = tops.get(c, c)
            by_top[top] = by_top.get(top, 0) + int(n)
        statuses = {str(k): int(n) for k, n in counts}
        return Summary.of(
            sum(statuses.values()),
            statuses,
            top_unknown=tuple((str(v), int(n)) for v, n in unknown),
            invalid_by_year=tuple((int(y), int(n)) for y, n in years),
            by_top=tuple(sorted(by_top.items(), key=lambda kv: (-kv[1], kv[0]))),
            column=spec.column,
            classification=spec.classification,
        )

    def write(self, checked: Any, path: Path, kind: str) -> None:
        """Write a validated relation with ``COPY`` (streamed, in order). CSV quotes every value, so an
        empty code (``""``) stays apart from a missing one, as it does when Polars writes."""
        options = {
            "parquet": "FORMAT PARQUET",
            "csv": "FORMAT CSV, HEADER, FORCE_QUOTE *",
            "jsonl": "FORMAT JSON",
        }
        if kind not in options:
            raise InvalidRequest(f"{path.name}: the DuckDB engine writes Parquet, CSV or JSON Lines")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con.sql(f"COPY (SELECT * FROM {self._view(checked)}) TO {lit(str(path))} ({options[kind]})")


def _day_sql(rel: Any, spec: ValidateSpec) -> str:
    """The SQL of each row's date: the date column read by its type, or the one ``--at`` date."""
    if spec.date_column is not None:
        types = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
        return date_sql(spec.date_column, types[spec.date_column])
    return f"DATE {lit(spec.at.isoformat())}" if spec.at is not None else "CAST(NULL AS DATE)"
