"""The distributed engine: Apache Spark (PySpark), for data on a cluster or too large for one machine.

The same plan as ``polars_engine``: the classification's valid-time table (a few thousand rows) is
**broadcast** to every executor and joined with the data on the code, keeping the one segment whose
``[start, end)`` holds the row's date. Nothing is collected to the driver but the summary's
aggregates. Importing this module imports nothing of Spark; an engine is built with a session.
"""

from __future__ import annotations

from typing import Any

from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.status import Status
from kodeks.domain.data.summary import INVALID, Summary
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.errors import InvalidRequest

#: Spark's patterns for the text date forms ``dates.TEXT_FORMATS`` reads (same order).
SPARK_FORMATS = ("dd-MM-yyyy", "dd.MM.yyyy", "dd/MM/yyyy", "yyyy/MM/dd", "yyyyMMdd", "dd-MM-yy", "dd.MM.yy")
_P = "__kodeks_"
CODE, DAY, KEY, FITS = f"{_P}code", f"{_P}day", f"{_P}key", f"{_P}fits"
SEG = {name: f"{_P}seg_{name}" for name in ("code", "start", "end", "status", "title", "level", "suggestion")}


def _date(column: str, dtype: str) -> Any:
    from pyspark.sql import functions as F

    col = F.col(column)
    if dtype == "date":
        return col
    if dtype.startswith("timestamp"):
        return F.to_date(col)
    text = F.trim(col.cast("string"))
    iso = F.when(
        text.rlike(r"^\d{4}-\d{2}-\d{2}([T ].*)?$"),
        F.to_date(F.try_to_timestamp(F.substring(text, 1, 10), F.lit("yyyy-MM-dd"))),
    )
    return F.coalesce(iso, *(F.to_date(F.try_to_timestamp(text, F.lit(f))) for f in SPARK_FORMATS))


class SparkEngine:
    """``services.data.ports.DataEngine`` on Spark DataFrames."""

    name = "spark"

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def segments(self, table: ValidTimeTable) -> Any:
        from pyspark.sql import types as T

        schema = T.StructType(
            [
                T.StructField(SEG["code"], T.StringType()),
                T.StructField(SEG["start"], T.DateType()),
                T.StructField(SEG["end"], T.DateType()),
                T.StructField(SEG["status"], T.StringType()),
                T.StructField(SEG["title"], T.StringType()),
                T.StructField(SEG["level"], T.LongType()),
                T.StructField(SEG["suggestion"], T.StringType()),
            ]
        )
        rows = [
            (s.code, s.start, s.end, s.status.value, s.title, s.level, s.suggestion) for s in table.segments
        ]
        return self.spark.createDataFrame(rows, schema)

    def validate(self, data: Any, table: ValidTimeTable, spec: ValidateSpec) -> Any:
        from pyspark.sql import functions as F

        names = data.columns
        if spec.column not in names:
            raise InvalidRequest(f"the data has no column {spec.column!r}", column=spec.column)
        if spec.date_column is not None and spec.date_column not in names:
            raise InvalidRequest(f"the data has no date column {spec.date_column!r}", column=spec.date_column)
        status_col, suggestion_col, title_col = spec.added
        types = dict(data.dtypes)
        code = F.regexp_replace(F.col(spec.column).cast("string"), r"^\s+|\s+$", "")
        day = (
            _date(spec.date_column, types[spec.date_column])
            if spec.date_column
            else F.lit(spec.at).cast("date")
        )
        stepped = (
            data.withColumn(CODE, code)
            .withColumn(DAY, day)
            .withColumn(FITS, F.coalesce(F.col(CODE).rlike(table.shapes.regex()), F.lit(False)))
            .withColumn(KEY, F.when(F.col(DAY).isNotNull(), F.col(CODE)))
        )
        joined = stepped.join(F.broadcast(self.segments(table)), F.col(KEY) == F.col(SEG["code"]), "left")
        seg_status = F.col(SEG["status"])
        inside = seg_status.isNull() | (
            (F.col(SEG["start"]).isNull() | (F.col(SEG["start"]) <= F.col(DAY)))
            & (F.col(SEG["end"]).isNull() | (F.col(DAY) < F.col(SEG["end"])))
        )
        wrong = (
            (seg_status == Status.VALID.value) & (F.coalesce(F.col(SEG["level"]), F.lit(-1)) != spec.level)
            if spec.level is not None
            else F.lit(False)
        )
        status = (
            F.when(F.col(CODE).isNull() | (F.col(CODE) == ""), Status.EMPTY.value)
            .when(~F.col(FITS), Status.MALFORMED.value)
            .when(F.col(DAY).isNull(), Status.BAD_DATE.value)
            .when(seg_status.isNull(), Status.UNKNOWN.value)
            .when(wrong, Status.WRONG_LEVEL.value)
            .otherwise(seg_status)
        )
        hinted = seg_status.isin(Status.MOVED.value, Status.EXPIRED.value, Status.NOT_YET_VALID.value)
        return (
            joined.filter(inside)
            .withColumn(status_col, status)
            .withColumn(suggestion_col, F.when(hinted, F.col(SEG["suggestion"])))
            .withColumn(title_col, F.col(SEG["title"]))
            .select(*names, status_col, suggestion_col, title_col)
        )

    def summarize(self, checked: Any, table: ValidTimeTable, spec: ValidateSpec) -> Summary:
        from pyspark.sql import functions as F

        status = F.col(spec.added[0])
        code = F.regexp_replace(F.col(spec.column).cast("string"), r"^\s+|\s+$", "")
        types = dict(checked.dtypes)
        day = (
            _date(spec.date_column, types[spec.date_column])
            if spec.date_column
            else F.lit(spec.at).cast("date")
        )
        counts = {r[0]: int(r[1]) for r in checked.groupBy(status).count().collect()}
        unknown = (
            checked.filter(status == Status.UNKNOWN.value)
            .groupBy(code.alias("code"))
            .count()
            .orderBy(F.desc("count"), F.asc("code"))
            .limit(spec.top_unknown)
            .collect()
        )
        years = (
            checked.filter(status.isin(*(s.value for s in INVALID)))
            .groupBy(F.year(day).alias("year"))
            .count()
            .filter(F.col("year").isNotNull())
            .orderBy("year")
            .collect()
        )
        valid = checked.filter(status == Status.VALID.value).groupBy(code.alias("code")).count().collect()
        tops = {s.code: s.top for s in table.segments}
        by_top: dict[str, int] = {}
        for r in valid:
            top = tops.get(r["code"], r["code"])
            by_top[top] = by_top.get(top, 0) + int(r["count"])
        return Summary.of(
            sum(counts.values()),
            counts,
            top_unknown=tuple((str(r["code"]), int(r["count"])) for r in unknown),
            invalid_by_year=tuple((int(r["year"]), int(r["count"])) for r in years),
            by_top=tuple(sorted(by_top.items(), key=lambda kv: (-kv[1], kv[0]))),
            column=spec.column,
            classification=spec.classification,
        )
