"""The Python API of classifications on data: validate a DataFrame's code column.

    import kodeks.data
    checked = kodeks.data.validate(df, "kle", date_column="oprettet")    # Polars, pandas or Spark
    summary = kodeks.data.summarize(df, "kle", date_column="oprettet")

A thin adapter over ``kodeks.services.data`` with the embedded engine (``kodeks.engines``): it
returns the kind of frame it was given (a Polars DataFrame or LazyFrame, a pandas DataFrame, a
Spark DataFrame: Spark's is validated by ``engines.spark_engine`` on the cluster, lazily). The
registry is the one ``registry`` names, else the database ``db`` (default ``KODEKS_DATABASE_URL``).
Nothing heavy is imported until a function is called.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks
    from kodeks.domain.data.summary import Summary
    from kodeks.services.data.validating import Validation

__all__ = ["summarize", "validate"]


def _registry(registry: Kodeks | None, db: str | None) -> Kodeks:
    if registry is not None:
        return registry
    from kodeks.bootstrap import build
    from kodeks.config import load_settings

    return build(load_settings(database_url=db))


def _is_pandas(data: Any) -> bool:
    return type(data).__module__.split(".", 1)[0] == "pandas"


def _is_spark(data: Any) -> bool:
    return type(data).__module__.split(".", 1)[0] == "pyspark"


def _spark(
    data: Any,
    spec: Any,
    registry: Kodeks | None,
    db: str | None,
    known_at: datetime | None,
    profile: str | None,
    *,
    summarize: bool,
) -> tuple[Any, Validation | None]:
    """A Spark DataFrame: the valid-time table is broadcast to the executors and the result stays a
    lazy Spark DataFrame; only a summary (when asked for) collects its aggregates."""
    from kodeks.engines.spark_engine import SparkEngine
    from kodeks.services.data.tables import cached_table
    from kodeks.services.data.validating import dated, validate_data
    from kodeks.storage.local import open_local_store

    kodeks = _registry(registry, db)
    engine = SparkEngine(data.sparkSession)
    if not summarize:
        spec = dated(spec)
        table = cached_table(
            kodeks.uow, spec.classification, known_at, profile=profile, open_local_store=open_local_store
        )
        return engine.validate(data, table, spec), None
    result = validate_data(
        kodeks.uow, engine, data, spec, known_at=known_at, profile=profile, open_local_store=open_local_store
    )
    return None, result


def _run(
    data: Any,
    column: str,
    classification: str | None,
    *,
    date_column: str | None,
    at: date | None,
    known_at: datetime | None,
    level: int | None,
    profile: str | None,
    registry: Kodeks | None,
    db: str | None,
    summarize: bool = True,
) -> tuple[Any, Validation | None]:
    import polars as pl

    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.errors import read_errors
    from kodeks.engines.polars_engine import PolarsEngine
    from kodeks.errors import InvalidRequest
    from kodeks.services.data.validating import validate_data
    from kodeks.storage.local import open_local_store

    if _is_spark(data):
        return _spark(
            data,
            ValidateSpec(column, classification or column, date_column, at, level),
            registry,
            db,
            known_at,
            profile,
            summarize=summarize,
        )
    if _is_pandas(data):
        frame: Any = pl.from_pandas(data).lazy()
    elif isinstance(data, pl.DataFrame | pl.LazyFrame):
        frame = data.lazy()
    else:
        raise InvalidRequest(f"cannot validate a {type(data).__name__}: give a Polars or pandas DataFrame")
    kodeks = _registry(registry, db)
    spec = ValidateSpec(column, classification or column, date_column, at, level)
    collected: list[pl.DataFrame] = []

    def keep(checked: pl.LazyFrame) -> pl.LazyFrame:
        collected.append(checked.collect())
        return collected[0].lazy()

    with read_errors(None):
        result = validate_data(
            kodeks.uow,
            PolarsEngine(),
            frame,
            spec,
            known_at=known_at,
            profile=profile,
            open_local_store=open_local_store,
            sink=keep,
        )
    return collected[0], result


def validate(
    data: Any,
    column: str,
    classification: str | None = None,
    *,
    date_column: str | None = None,
    at: date | None = None,
    known_at: datetime | None = None,
    level: int | None = None,
    profile: str | None = None,
    registry: Kodeks | None = None,
    db: str | None = None,
) -> Any:
    """``data`` with ``<column>_status``, ``<column>_suggestion`` and ``<column>_title`` added, every
    row kept in order; ``classification`` defaults to the column's name."""
    frame, _ = _run(
        data,
        column,
        classification,
        date_column=date_column,
        at=at,
        known_at=known_at,
        level=level,
        profile=profile,
        registry=registry,
        db=db,
        summarize=False,
    )
    if _is_pandas(data):
        return frame.to_pandas()
    if _is_spark(data):
        return frame
    import polars as pl

    return frame.lazy() if isinstance(data, pl.LazyFrame) else frame


def summarize(
    data: Any,
    column: str,
    classification: str | None = None,
    *,
    date_column: str | None = None,
    at: date | None = None,
    known_at: datetime | None = None,
    level: int | None = None,
    profile: str | None = None,
    registry: Kodeks | None = None,
    db: str | None = None,
) -> Summary:
    """Counts and shares per status, top unknown values, invalid rows by year (``Summary``)."""
    _, result = _run(
        data,
        column,
        classification,
        date_column=date_column,
        at=at,
        known_at=known_at,
        level=level,
        profile=profile,
        registry=registry,
        db=db,
    )
    assert result is not None
    return result.summary
