"""Draft → review → published for the newest version of a model, recorded as audit events."""

from __future__ import annotations

from dataclasses import dataclass

from kodeks.domain.models.status import transition_problem
from kodeks.errors import Conflict, Forbidden, InvalidRequest
from kodeks.services.clock import Clock, utcnow
from kodeks.services.models.library import get_model, recorded_time
from kodeks.services.models.ports import Event, ModelStoreOpener
from kodeks.services.ports import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ModelStatus:
    model_id: str
    sequence: int
    status: str
    by: str | None


def _status(events: list[Event], sequence: int) -> tuple[str, str | None, str | None]:
    """(status, who set it, who sent it to review) of version ``sequence``, from its events."""
    status, by, sent_by = "draft", None, None
    for e in events:
        if e.action == "status" and e.summary.get("sequence") == sequence:
            status, by = str(e.summary["status"]), e.actor
            if status == "review":
                sent_by = e.actor
    return status, by, sent_by


def status(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str) -> ModelStatus:
    sequence = get_model(uow_factory, opener, model_id).info.sequence
    with uow_factory() as uow:
        events = opener(uow).events(model_id)
    current, by, _sent = _status(events, sequence)
    return ModelStatus(model_id, sequence, current, by)


def statuses(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener) -> dict[str, ModelStatus]:
    """The status of every model's newest version, by model id."""
    with uow_factory() as uow:
        store = opener(uow)
        out = {}
        for info in store.models():
            current, by, _sent = _status(store.events(info.model_id), info.sequence)
            out[info.model_id] = ModelStatus(info.model_id, info.sequence, current, by)
    return out


def set_status(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    model_id: str,
    target: str,
    *,
    actor: str | None,
    clock: Clock = utcnow,
) -> ModelStatus:
    sequence = get_model(uow_factory, opener, model_id).info.sequence
    with uow_factory() as uow:
        uow.lock(f"model:{model_id}")
        store = opener(uow)
        latest = store.latest(model_id)
        if latest is None or latest.info.sequence != sequence:
            raise Conflict(f"model {model_id!r} got a new version meanwhile; try again")
        current, _by, sent_by = _status(store.events(model_id), sequence)
        problem = transition_problem(current, target, actor, sent_by)
        if problem is not None:
            error = Forbidden if "four eyes" in problem else InvalidRequest
            raise error(problem, model=model_id)
        at = recorded_time(uow, store, clock)
        store.add_event(Event(model_id, "status", actor, None, {"sequence": sequence, "status": target}, at))
        uow.commit()
    return ModelStatus(model_id, sequence, target, actor)
