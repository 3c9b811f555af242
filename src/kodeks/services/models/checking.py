"""Check a stored model against the machine-checkable model rules (``domain.models.rules``)."""

from __future__ import annotations

from kodeks.domain.models.rules import CheckReport, check
from kodeks.services.models.library import get_model
from kodeks.services.models.ports import ModelStoreOpener
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import list_classifications


def check_model(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str, sequence: int | None = None
) -> CheckReport:
    stored = get_model(uow_factory, opener, model_id, sequence)
    with uow_factory() as uow:
        bindings = opener(uow).bindings(model_id=model_id)
    held = {c.id for c in list_classifications(uow_factory)}
    return check(stored.model, {b.element_id: b.classification_id in held for b in bindings})
