"""Export a stored model in a machine-readable format, with its bound value domains as of a date: the
version asked for, else the version valid on that date, else the newest."""

from __future__ import annotations

from datetime import date

from kodeks.services.models.library import get_model, get_model_at
from kodeks.services.models.ports import ModelFormats, ModelStoreOpener
from kodeks.services.models.valuedomains import bound_domains
from kodeks.services.ports import UnitOfWorkFactory


def export_model(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    formats: ModelFormats,
    model_id: str,
    format: str,
    *,
    at: date | None = None,
    sequence: int | None = None,
) -> bytes:
    writer = formats.writer(format)
    if sequence is None and at is not None:
        stored = get_model_at(uow_factory, opener, model_id, at)
    else:
        stored = get_model(uow_factory, opener, model_id, sequence)
    return bytes(writer(stored.model, bound_domains(uow_factory, opener, model_id, at)))
