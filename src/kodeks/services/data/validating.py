"""Validate a dataset's code column against a classification, each row at its own date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.summary import Summary
from kodeks.domain.data.thresholds import Threshold, broken
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.services.clock import utcnow
from kodeks.services.data.ports import DataEngine
from kodeks.services.data.tables import cached_table
from kodeks.services.local.ports import LocalStoreOpener
from kodeks.services.ports import UnitOfWorkFactory

#: Writes a validated frame and returns a frame that reads back what was written (or ``None``).
Sink = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Validation:
    summary: Summary
    broken: tuple[Threshold, ...]
    table: ValidTimeTable


def dated(spec: ValidateSpec) -> ValidateSpec:
    """``spec`` with today as its date when it names neither a date column nor a date."""
    if spec.date_column is None and spec.at is None:
        return replace(spec, at=utcnow().date())
    return spec


def validate_data(
    uow_factory: UnitOfWorkFactory,
    engine: DataEngine,
    data: Any,
    spec: ValidateSpec,
    *,
    known_at: datetime | None = None,
    profile: str | None = None,
    open_local_store: LocalStoreOpener | None = None,
    sink: Sink | None = None,
    thresholds: tuple[Threshold, ...] = (),
    table: ValidTimeTable | None = None,
) -> Validation:
    """Validate ``data`` (a frame of the engine's kind); ``sink`` writes the result, and the summary is
    then read from what was written, so the data is passed over once more and never held."""
    spec = dated(spec)
    table = table or cached_table(
        uow_factory, spec.classification, known_at, profile=profile, open_local_store=open_local_store
    )
    checked = engine.validate(data, table, spec)
    if sink is not None:
        checked = sink(checked)
    summary = engine.summarize(checked, table, spec)
    return Validation(summary, tuple(broken(thresholds, summary)), table)
