"""Import, list and read information models. Every import is all or nothing, and adds a version.

A file already held (same bytes for the same model) is not recorded again; any other import adds the
next version, so nothing earlier is overwritten. Each import writes an audit event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from kodeks.domain.models.diff import ModelDiff, diff_models
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.validity import valid_periods, version_at
from kodeks.domain.period import Period
from kodeks.errors import InputTooLarge, InvalidContent, MalformedInput, NotFound
from kodeks.services.clock import Clock, next_recorded_at, utcnow
from kodeks.services.importing import memory_refusal
from kodeks.services.models.ports import (
    Event,
    ModelFormats,
    ModelStore,
    ModelStoreOpener,
    StoredModel,
    VersionInfo,
)
from kodeks.services.ports import UnitOfWork, UnitOfWorkFactory

#: Largest model file read by default (EA exports of large models run to tens of megabytes).
MAX_MODEL_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ModelImport:
    model_id: str
    sequence: int
    name: str
    format: str
    counts: dict[str, int]
    already: bool = False


def recorded_time(uow: UnitOfWork, store: ModelStore, clock: Clock) -> datetime:
    times = [t for t in (uow.last_recorded_at(), store.last_recorded_at()) if t is not None]
    return next_recorded_at(clock, max(times) if times else None)


@dataclass(frozen=True, slots=True)
class ReadModel:
    """A model file read and checked, not yet recorded."""

    model: InfoModel
    format: str
    filename: str
    sha256: str


#: Ids a model cannot have: paths of the web UI beside ``/modeller/{id}``.
RESERVED_IDS = frozenset({"katalog"})


def read_model(
    formats: ModelFormats,
    data: bytes,
    filename: str,
    *,
    model_id: str | None = None,
    format: str | None = None,
    max_bytes: int = MAX_MODEL_BYTES,
    memory_budget: int | None = None,
) -> ReadModel:
    """Read ``data`` as a model. Every model reader reads a file whole: with ``memory_budget``
    (bytes), a file its format would need more memory than that for is refused before it is parsed,
    as classification imports are (``importing.memory_refusal``)."""
    if len(data) > max_bytes:
        raise InputTooLarge(f"file is {len(data):,} bytes; the limit is {max_bytes:,}", source=filename)
    if not data.strip():
        raise MalformedInput("file is empty", source=filename)
    name = format or formats.detect(data[:4096], filename)
    factor = formats.memory_factor(name)
    if memory_budget is not None and len(data) * factor > memory_budget:
        raise memory_refusal(f"{name} model", len(data), factor, memory_budget, filename, " Raise the budget")
    model = formats.reader(name)(data, filename, model_id)
    if not model.id or len(model.id) > 64:
        raise InvalidContent(f"model id {model.id!r} must be 1-64 characters", source=filename)
    if model.id in RESERVED_IDS:
        raise InvalidContent(
            f"model id {model.id!r} is taken by the web UI's model catalogue page; give another (--model ID)",
            source=filename,
        )
    return ReadModel(model, name, filename, hashlib.sha256(data).hexdigest())


def record_import(
    uow: UnitOfWork,
    store: ModelStore,
    read: ReadModel,
    *,
    valid_from: date | None,
    actor: str | None,
    clock: Clock,
) -> ModelImport:
    """Record ``read`` as the model's next version, in the caller's transaction (which holds the
    model's lock and commits); a file already held is not recorded again."""
    model = read.model
    held = store.by_digest(model.id, read.sha256)
    if held is not None:
        return ModelImport(model.id, held.sequence, held.name, held.format, held.counts, already=True)
    at = recorded_time(uow, store, clock)
    sequence = store.add_version(
        model,
        format=read.format,
        source_name=read.filename,
        sha256=read.sha256,
        valid_from=valid_from,
        actor=actor,
        recorded_at=at,
    )
    counts = model.counts()
    summary = {"sequence": sequence, "format": read.format, **counts}
    store.add_event(Event(model.id, "import", actor, read.filename, summary, at))
    return ModelImport(model.id, sequence, model.name, read.format, counts)


def import_model(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    formats: ModelFormats,
    data: bytes,
    filename: str,
    *,
    model_id: str | None = None,
    format: str | None = None,
    valid_from: date | None = None,
    actor: str | None = None,
    max_bytes: int = MAX_MODEL_BYTES,
    memory_budget: int | None = None,
    clock: Clock = utcnow,
) -> ModelImport:
    """Import without access checks (the command line, acting locally; tests). Adapters serving
    users go through ``kodeks.services.models.access.import_model``."""
    read = read_model(
        formats,
        data,
        filename,
        model_id=model_id,
        format=format,
        max_bytes=max_bytes,
        memory_budget=memory_budget,
    )
    with uow_factory() as uow:
        uow.lock(f"model:{read.model.id}")
        store = opener(uow)
        result = record_import(uow, store, read, valid_from=valid_from, actor=actor, clock=clock)
        if not result.already:
            uow.commit()
    return result


def list_models(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener) -> list[VersionInfo]:
    with uow_factory() as uow:
        return opener(uow).models()


def get_model(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str, sequence: int | None = None
) -> StoredModel:
    with uow_factory() as uow:
        store = opener(uow)
        found = store.latest(model_id) if sequence is None else store.version(model_id, sequence)
    if found is None:
        what = (
            f"no model {model_id!r}" if sequence is None else f"model {model_id!r} has no version {sequence}"
        )
        raise NotFound(what, model=model_id)
    return found


def versions(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str) -> list[VersionInfo]:
    with uow_factory() as uow:
        found = opener(uow).versions(model_id)
    if not found:
        raise NotFound(f"no model {model_id!r}", model=model_id)
    return found


def periods(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str
) -> list[tuple[VersionInfo, Period | None]]:
    """Every version with its valid time (``domain.models.validity``; ``None``: governs no day)."""
    found = versions(uow_factory, opener, model_id)
    valid = valid_periods([(v.sequence, v.valid_from) for v in found])
    return [(v, valid[v.sequence]) for v in found]


def get_model_at(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str, day: date
) -> StoredModel:
    """The version of the model valid on ``day``."""
    found = versions(uow_factory, opener, model_id)
    sequence = version_at([(v.sequence, v.valid_from) for v in found], day)
    if sequence is None:
        first = min((v.valid_from for v in found if v.valid_from), default=None)
        raise NotFound(f"no version of model {model_id!r} is valid on {day} (the first from {first})")
    return get_model(uow_factory, opener, model_id, sequence)


def history(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str) -> list[Event]:
    with uow_factory() as uow:
        return opener(uow).events(model_id)


def compare_versions(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str, old: int, new: int
) -> ModelDiff:
    return diff_models(
        get_model(uow_factory, opener, model_id, old).model,
        get_model(uow_factory, opener, model_id, new).model,
    )
