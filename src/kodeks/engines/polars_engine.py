"""The embedded engine: Polars, lazy and streaming.

A validation is one plan: the code column is trimmed, its shape computed (``domain.data.shapes``),
the row's date read (``dates``), and the classification's valid-time table (a few thousand rows)
joined on the code, keeping the one segment whose ``[start, end)`` holds the date. Segments cover
all of time for every code, so each input row leaves exactly once (tests count rows in and out).
The plan streams: sinks write Parquet, CSV or JSON Lines batch by batch, in input order, without
holding the data (or any per-row Python object) in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.status import Status
from kodeks.domain.data.summary import INVALID, Summary
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.engines.dates import date_expr
from kodeks.errors import InvalidRequest

_P = "__kodeks_"  # prefix of the plan's own columns; none of them leaves the plan
CODE, DAY, KEY, FITS = f"{_P}code", f"{_P}day", f"{_P}key", f"{_P}fits"
SEG = {name: f"{_P}seg_{name}" for name in ("code", "start", "end", "status", "title", "level", "suggestion")}


_frames: dict[int, tuple[ValidTimeTable, pl.DataFrame]] = {}
_frames_lock = threading.Lock()


def segments_frame(table: ValidTimeTable) -> pl.DataFrame:
    """The valid-time table as a Polars frame (columns named ``SEG``), kept for the last few tables."""
    with _frames_lock:
        found = _frames.get(id(table))
        if found is not None and found[0] is table:
            return found[1]
    frame = _segments_frame(table)
    with _frames_lock:
        while len(_frames) >= 8:
            _frames.pop(next(iter(_frames)))
        _frames[id(table)] = (table, frame)
    return frame


def _segments_frame(table: ValidTimeTable) -> pl.DataFrame:
    s = table.segments
    return pl.DataFrame(
        {
            SEG["code"]: [x.code for x in s],
            SEG["start"]: [x.start for x in s],
            SEG["end"]: [x.end for x in s],
            SEG["status"]: [x.status.value for x in s],
            SEG["title"]: [x.title for x in s],
            SEG["level"]: [x.level for x in s],
            SEG["suggestion"]: [x.suggestion for x in s],
        },
        schema={
            SEG["code"]: pl.String,
            SEG["start"]: pl.Date,
            SEG["end"]: pl.Date,
            SEG["status"]: pl.String,
            SEG["title"]: pl.String,
            SEG["level"]: pl.Int64,
            SEG["suggestion"]: pl.String,
        },
    )


def _fits(code: pl.Expr, table: ValidTimeTable) -> pl.Expr:
    return code.str.contains(table.shapes.regex())


def check_columns(schema: Sequence[str], spec: ValidateSpec) -> None:
    names = set(schema)
    if spec.column not in names:
        raise InvalidRequest(
            f"the data has no column {spec.column!r} (it has {', '.join(sorted(names)[:12])})",
            column=spec.column,
        )
    if spec.date_column is not None and spec.date_column not in names:
        raise InvalidRequest(f"the data has no date column {spec.date_column!r}", column=spec.date_column)
    taken = [c for c in spec.added if c in names]
    if taken:
        raise InvalidRequest(
            f"the data already has the column {taken[0]!r} a validation adds", column=taken[0]
        )


def plan(
    data: pl.LazyFrame, table: ValidTimeTable, spec: ValidateSpec, *, keep_day: bool = False
) -> pl.LazyFrame:
    """Every row of ``data`` with ``<col>_status``, ``<col>_suggestion`` and ``<col>_title`` added."""
    schema = data.collect_schema()
    check_columns(schema.names(), spec)
    status_col, suggestion_col, title_col = spec.added
    code = pl.col(spec.column).cast(pl.String, strict=False).str.strip_chars()
    if spec.date_column is not None:
        day = date_expr(spec.date_column, schema[spec.date_column])
    else:
        day = pl.lit(spec.at, dtype=pl.Date)
    stepped = data.with_columns(code.alias(CODE), day.alias(DAY)).with_columns(
        _fits(pl.col(CODE), table).fill_null(False).alias(FITS),
        pl.when(pl.col(DAY).is_not_null()).then(pl.col(CODE)).alias(KEY),
    )
    segs = segments_frame(table).lazy()
    joined = stepped.join(segs, left_on=KEY, right_on=SEG["code"], how="left", maintain_order="left")
    inside = pl.col(SEG["status"]).is_null() | (
        (pl.col(SEG["start"]).is_null() | (pl.col(SEG["start"]) <= pl.col(DAY)))
        & (pl.col(SEG["end"]).is_null() | (pl.col(DAY) < pl.col(SEG["end"])))
    )
    blank = pl.col(CODE).is_null() | (pl.col(CODE) == "")
    seg_status = pl.col(SEG["status"])
    wrong_level = (
        (seg_status == Status.VALID.value) & (pl.col(SEG["level"]).fill_null(-1) != spec.level)
        if spec.level is not None
        else pl.lit(False)
    )
    status = (
        pl.when(blank)
        .then(pl.lit(Status.EMPTY.value))
        .when(~pl.col(FITS))
        .then(pl.lit(Status.MALFORMED.value))
        .when(pl.col(DAY).is_null())
        .then(pl.lit(Status.BAD_DATE.value))
        .when(seg_status.is_null())
        .then(pl.lit(Status.UNKNOWN.value))
        .when(wrong_level)
        .then(pl.lit(Status.WRONG_LEVEL.value))
        .otherwise(seg_status)
    )
    hinted = seg_status.is_in([Status.MOVED.value, Status.EXPIRED.value, Status.NOT_YET_VALID.value])
    added = [
        status.alias(status_col),
        pl.when(hinted).then(pl.col(SEG["suggestion"])).otherwise(None).cast(pl.String).alias(suggestion_col),
        pl.col(SEG["title"]).alias(title_col),
    ]
    keep = [*schema.names(), status_col, suggestion_col, title_col, *([DAY, CODE] if keep_day else [])]
    return joined.filter(inside).with_columns(added).select(keep)


def summarize(
    checked: pl.LazyFrame, table: ValidTimeTable, spec: ValidateSpec, *, day: pl.Expr | None = None
) -> Summary:
    """Counts per status, top unknown values, invalid rows by year and valid rows by top-level code,
    from a validated plan (or a validated file scanned again)."""
    status_col = spec.added[0]
    schema = checked.collect_schema()
    if day is None:
        if spec.date_column is not None:
            day = date_expr(spec.date_column, schema[spec.date_column])
        else:
            day = pl.lit(spec.at, dtype=pl.Date)
    code = pl.col(spec.column).cast(pl.String, strict=False).str.strip_chars()
    slim = checked.select(pl.col(status_col).alias("status"), code.alias("code"), day.alias("day"))
    counts, unknown, years, valid = pl.collect_all(
        [
            slim.group_by("status").agg(pl.len().alias("n")),
            slim.filter(pl.col("status") == Status.UNKNOWN.value)
            .group_by("code")
            .agg(pl.len().alias("n"))
            .sort(["n", "code"], descending=[True, False])
            .head(spec.top_unknown),
            slim.filter(pl.col("status").is_in([s.value for s in INVALID]))
            .group_by(pl.col("day").dt.year().alias("year"))
            .agg(pl.len().alias("n"))
            .drop_nulls("year")
            .sort("year"),
            slim.filter(pl.col("status") == Status.VALID.value).group_by("code").agg(pl.len().alias("n")),
        ]
    )
    tops = {s.code: s.top for s in table.segments}
    by_top: dict[str, int] = {}
    for c, n in valid.iter_rows():
        top = tops.get(c, c)
        by_top[top] = by_top.get(top, 0) + n
    statuses = {str(s): int(n) for s, n in counts.iter_rows()}
    return Summary.of(
        sum(statuses.values()),
        statuses,
        top_unknown=tuple((str(v), int(n)) for v, n in unknown.iter_rows()),
        invalid_by_year=tuple((int(y), int(n)) for y, n in years.iter_rows()),
        by_top=tuple(sorted(by_top.items(), key=lambda kv: (-kv[1], kv[0]))),
        column=spec.column,
        classification=spec.classification,
    )


def validate_frame(data: Any, table: ValidTimeTable, spec: ValidateSpec) -> pl.DataFrame:
    """A Polars DataFrame (or LazyFrame) validated in memory."""
    lazy = data.lazy() if isinstance(data, pl.DataFrame) else data
    return plan(lazy, table, spec).collect()


class PolarsEngine:
    """``services.data.ports.DataEngine`` on Polars LazyFrames."""

    name = "polars"

    def validate(self, data: Any, table: ValidTimeTable, spec: ValidateSpec) -> pl.LazyFrame:
        lazy = data.lazy() if isinstance(data, pl.DataFrame) else data
        return plan(lazy, table, spec)

    def summarize(self, checked: Any, table: ValidTimeTable, spec: ValidateSpec) -> Summary:
        return summarize(checked, table, spec)


_NOW = "__kodeks_now"


def outdated_share(
    data: pl.LazyFrame, table: ValidTimeTable, column: str, date_column: str | None, today: date
) -> float:
    """Of the rows whose code was valid at the row's date, the share whose code is not valid ``today``."""
    then = plan(
        data, table, ValidateSpec(column, table.classification, date_column, None if date_column else today)
    )
    again = then.with_columns(pl.col(column).alias(_NOW))
    now = plan(again, table, ValidateSpec(_NOW, table.classification, at=today))
    found = (
        now.filter(pl.col(f"{column}_status") == Status.VALID.value)
        .select((pl.col(f"{_NOW}_status") != Status.VALID.value).mean())
        .collect()
        .item()
    )
    return float(found) if found is not None else 0.0


def median_age_days(data: pl.LazyFrame, date_column: str, today: date) -> float | None:
    day = date_expr(date_column, data.collect_schema()[date_column])
    found = data.select((pl.lit(today, dtype=pl.Date) - day).dt.total_days().median()).collect().item()
    return float(found) if found is not None else None


def valid_share_by(
    data: pl.LazyFrame, table: ValidTimeTable, spec: ValidateSpec, by: str
) -> dict[str, float]:
    """Per value of ``by`` (a municipality code, as three digits): the share of filled codes that are
    valid or local at the row's date."""
    if by not in data.collect_schema().names():
        raise InvalidRequest(f"the data has no column {by!r}", column=by)
    status = pl.col(spec.added[0])
    key = pl.col(by).cast(pl.String, strict=False).str.strip_chars().str.strip_chars_start("0").str.zfill(3)
    found = (
        plan(data, table, spec)
        .filter(status != Status.EMPTY.value)
        .group_by(key.alias("by"))
        .agg(status.is_in([Status.VALID.value, Status.LOCAL.value]).mean().alias("share"))
        .drop_nulls("by")
        .collect()
    )
    return {str(k): float(v) for k, v in found.iter_rows()}
