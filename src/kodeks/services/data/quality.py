"""Measure a dataset against its classification bindings (``domain.data.quality``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from kodeks.domain.data.quality import Declaration, Measurement
from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.summary import Summary
from kodeks.services import queries
from kodeks.services.data.ports import DataEngine
from kodeks.services.data.tables import cached_table
from kodeks.services.ports import UnitOfWorkFactory


def declare(
    uow_factory: UnitOfWorkFactory,
    engine: DataEngine,
    data: Any,
    dataset: str,
    bindings: Sequence[tuple[str, str]],
    *,
    date_column: str | None,
    today: date,
    now_shares: dict[str, float],
    median_age_days: float | None,
    between: Sequence[Measurement] = (),
) -> tuple[Declaration, dict[str, Summary]]:
    """The declaration of ``data``: per bound column, completeness (filled), accuracy (valid at the
    record's date, well formed), currentness (``now_shares``: valid then and not today, computed by
    the engine's caller) and reusability (the classification is registered with a licence).
    ``between``: measures between two columns the caller's engine computed (hierarchy consistency,
    agreement through a correspondence), declared under accuracy after the bound columns'."""
    measurements: list[Measurement] = []
    summaries: dict[str, Summary] = {}
    rows = 0
    for column, cid in bindings:
        spec = ValidateSpec(column, cid, date_column, None if date_column else today)
        table = cached_table(uow_factory, cid)
        summary = engine.summarize(engine.validate(data, table, spec), table, spec)
        summaries[column] = summary
        rows = summary.rows
        filled = summary.rows - summary.count("empty")
        judged = filled - summary.count("bad_date")
        fine = summary.count("valid") + summary.count("local")
        measurements += [
            Measurement("filled", filled / summary.rows if summary.rows else 0.0, column),
            Measurement("valid_at_date", fine / judged if judged else 0.0, column),
            Measurement("well_formed", 1 - summary.count("malformed") / filled if filled else 0.0, column),
            Measurement("outdated_now", now_shares.get(column, 0.0), column),
        ]
        classification = queries.get_classification(uow_factory, cid)
        published = 1.0 if classification.licence else 0.0
        measurements.append(Measurement("published_binding", published, column))
    measurements += between
    if median_age_days is not None:
        measurements.append(Measurement("median_age_days", median_age_days))
    return Declaration(dataset, rows, dict(bindings), tuple(measurements)), summaries
