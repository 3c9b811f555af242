"""Export a stored model in a machine-readable format, with its bound value domains as of a date."""

from __future__ import annotations

from datetime import date

from kodeks.services.models.library import get_model
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
    stored = get_model(uow_factory, opener, model_id, sequence)
    return bytes(writer(stored.model, bound_domains(uow_factory, opener, model_id, at)))
