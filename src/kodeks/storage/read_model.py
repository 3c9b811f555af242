"""Reads at memory speed: each classification's current facts held in the process, per generation.

A classification's whole timeline is small (KLE: ~9,000 facts over all history), so an as-of read
— which items hold on a date, a code's version on a date, a parent's children — is a dictionary
look-up and a short scan, not a database round trip. :class:`ReadModels` keeps one
:class:`ClassificationModel` per classification, built from the database after a change (before the
first read, or by it: see below) and shared by every request of the process.

**Never stale.** Every unit of work asks the database for the registry's generation once when it
opens (one indexed query) and reads the models of that generation only: a registration in any
process or replica is seen by the next unit of work anywhere. A reader keeps the generation it
started with. A model serves reads *as known now* (``known_at`` at or after the newest
registration); reads as known at an earlier instant, and reads inside a unit of work that has
written, go to the database.

**Built before the first read** when the process serves (``storage.read_model_warm``: in the
background at start, after a registration, when a new generation is seen; reads use the database
meanwhile); otherwise lazily, by the first read.

**Bounded.** Models hold at most ``max_facts`` facts together; a classification that does not fit
is read from the database (``ReadModels.fallbacks`` counts it).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.timeline import Fact
from kodeks.services.ports import NewFact, Registration
from kodeks.storage.generation import Generation, read_generation
from kodeks.storage.unit_of_work import SqlUnitOfWork, SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from kodeks.storage.read_model_warm import Warmer


def known_since(generation: Generation) -> datetime | None:
    """From this instant on, the registry holds what it holds now (``None``: it holds nothing)."""
    times = [t for t in generation[3:] if t is not None]
    return max(times) if times else None


def _start(f: Fact) -> date:
    return f.period.start or date.min


@dataclass
class ClassificationModel:
    """One classification's facts as known now, indexed for as-of reads."""

    classification: Classification | None
    by_code: dict[str, list[Fact]] = field(default_factory=dict)
    #: Per code, its facts of non-empty periods by start, and those starts (for a binary search).
    live: dict[str, list[Fact]] = field(default_factory=dict)
    starts: dict[str, list[date]] = field(default_factory=dict)
    by_parent: dict[str | None, list[Fact]] = field(default_factory=dict)
    by_level: dict[int | None, list[Fact]] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    #: What an adapter derived from this model (serialized answers), dropped with it.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, classification: Classification | None, facts: Sequence[Fact]) -> ClassificationModel:
        model = cls(classification, facts=list(facts))
        for f in facts:
            model.by_code.setdefault(f.code, []).append(f)
            for parent in f.item.parents or (None,):  # every parent of a polyhierarchy
                model.by_parent.setdefault(parent, []).append(f)
            model.by_level.setdefault(f.item.level, []).append(f)
        for code, mine in model.by_code.items():
            mine.sort(key=_start)
            # An empty period (a same-day registration's) holds on no day; beside a fact of the same
            # start it would hide that fact from the search, in whichever order the database gave them.
            live = [f for f in mine if not f.period.is_empty]
            model.live[code] = live
            model.starts[code] = [_start(f) for f in live]
        return model

    def version(self, code: str, at: date) -> Item | None:
        """The code's item on ``at``: a binary search over its versions."""
        found = self.fact_at(code, at)
        return found.item if found is not None else None

    def fact_at(self, code: str, at: date) -> Fact | None:
        """The code's fact in force on ``at``."""
        mine = self.live.get(code)
        if not mine:
            return None
        index = bisect_right(self.starts[code], at) - 1
        if index >= 0 and mine[index].period.contains(at):
            return mine[index]
        return None

    def items_at(
        self, at: date, *, level: int | None = None, parent: str | None = None, code: str | None = None
    ) -> list[Item]:
        if code is not None:
            found = self.version(code, at)
            if found is None or (level is not None and found.level != level):
                return []
            return [] if parent is not None and parent not in found.parents else [found]
        if parent is not None:
            pool = self.by_parent.get(parent, [])
        elif level is not None:
            pool = self.by_level.get(level, [])
        else:
            pool = self.facts
        return [f.item for f in pool if f.period.contains(at) and (level is None or f.item.level == level)]

    def facts_of(self, codes: Sequence[str] | None) -> list[Fact]:
        if codes is None:
            return list(self.facts)
        wanted = set(codes)
        return [f for code in sorted(wanted) for f in self.by_code.get(code, [])]


class ReadModels:
    """The models of one process, for the newest generation seen; thread-safe."""

    def __init__(self, engine: Engine, *, max_facts: int = 2_000_000) -> None:
        self.engine = engine
        self.max_facts = max_facts
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._models: dict[str, ClassificationModel | None] = {}
        self._held = 0
        self.builds = 0
        self.fallbacks = 0
        #: Builds models in the background (``storage.read_model_warm``); ``None``: on the first read.
        self.warmer: Warmer | None = None

    @property
    def generation(self) -> Generation | None:
        return self._generation

    def models_for(self, generation: Generation) -> dict[str, ClassificationModel | None]:
        """The models of ``generation`` (a new, empty set when the generation moved on; with a
        warmer, the classifications held before are built again for it in the background)."""
        with self._lock:
            if generation != self._generation:
                if self._generation is not None and generation < self._generation:
                    return {}  # an older reader: build nothing it could leave behind
                held = [cid for cid, model in self._models.items() if model is not None]
                self._generation = generation
                self._models = {}
                self._held = 0
                if self.warmer is not None and held:
                    self.warmer.schedule(generation, held)
            return self._models

    def admit(self, generation: Generation, cid: str, model: ClassificationModel) -> bool:
        """Keep ``model`` if its generation is still the newest and it fits the budget."""
        with self._lock:
            if generation != self._generation:
                return False
            if self._held + len(model.facts) > self.max_facts:
                self._models[cid] = None  # too large: this generation reads it from the database
                self.fallbacks += 1
                return False
            self._models[cid] = model
            self._held += len(model.facts)
            self.builds += 1
            return True

    def ready(self, generation: Generation, cid: str) -> ClassificationModel | None:
        """The model of ``cid`` if one is built for ``generation`` (``None``: build it elsewhere, or it
        does not fit); never builds, so it can be asked on the event loop."""
        models = self.models_for(generation)
        return models.get(cid)

    @property
    def held_facts(self) -> int:
        return self._held


class ModelReads:
    """A read-only unit of work over one built model, for reads *as known now*: the lean read path
    (``api.fast_reads``) runs the registry's query services over it without a database round trip.
    ``known_at`` is not consulted: the caller reads at or after the instant the model holds from."""

    def __init__(self, model: ClassificationModel) -> None:
        self.model = model

    def __call__(self) -> ModelReads:
        return self

    def __enter__(self) -> ModelReads:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def classification(self, classification_id: str, known_at: datetime) -> Classification | None:
        return self.model.classification

    def items_at(
        self,
        classification_id: str,
        at: date,
        known_at: datetime,
        *,
        level: int | None = None,
        parent: str | None = None,
        code: str | None = None,
    ) -> list[Item]:
        return self.model.items_at(at, level=level, parent=parent, code=code)

    def facts_known_at(
        self, classification_id: str, known_at: datetime, codes: Sequence[str] | None = None
    ) -> list[Fact]:
        return self.model.facts_of(codes)


class ModelUnitOfWork(SqlUnitOfWork):
    """The SQL unit of work, with reads as known now served from the process's read models."""

    def __init__(self, engine: Engine, models: ReadModels) -> None:
        super().__init__(engine)
        self._models_of = models
        self._generation: Generation | None = None
        self._models: dict[str, ClassificationModel | None] = {}
        self._wrote = False
        self._written: set[str] = set()

    def __enter__(self) -> ModelUnitOfWork:
        super().__enter__()
        self._generation = read_generation(self.conn)
        self._models = self._models_of.models_for(self._generation)
        self._wrote = False
        self._written = set()
        return self

    def commit(self) -> None:
        super().commit()
        warmer = self._models_of.warmer
        if self._wrote and warmer is not None:
            warmer.after_commit(self._written)  # built for the new generation before anyone reads it

    def model(self, cid: str, known_at: datetime) -> ClassificationModel | None:
        """``cid``'s read model for this unit of work's generation, if reads at ``known_at`` may use
        it (``None``: they read the database)."""
        since = known_since(self._generation) if self._generation else None
        if self._wrote or since is None or known_at < since or self._generation is None:
            return None
        if cid not in self._models:
            if self._models_of.warmer is not None:  # being built, or soon: this read uses the database
                self._models_of.warmer.missed(self._generation, cid)
                return None
            model = ClassificationModel.of(
                super().classification(cid, since), super().facts_known_at(cid, since)
            )
            if not self._models_of.admit(self._generation, cid, model):
                return model if len(model.facts) <= self._models_of.max_facts else None
            return model
        return self._models[cid]

    # -- reads ------------------------------------------------------------------------------------
    def classification(self, classification_id: str, known_at: datetime) -> Classification | None:
        model = self.model(classification_id, known_at)
        return (
            model.classification if model is not None else super().classification(classification_id, known_at)
        )

    def items_at(
        self,
        classification_id: str,
        at: date,
        known_at: datetime,
        *,
        level: int | None = None,
        parent: str | None = None,
        code: str | None = None,
    ) -> list[Item]:
        model = self.model(classification_id, known_at)
        if model is None:
            return super().items_at(classification_id, at, known_at, level=level, parent=parent, code=code)
        return model.items_at(at, level=level, parent=parent, code=code)

    def facts_known_at(
        self, classification_id: str, known_at: datetime, codes: Sequence[str] | None = None
    ) -> list[Fact]:
        model = self.model(classification_id, known_at)
        if model is None:
            return super().facts_known_at(classification_id, known_at, codes)
        return model.facts_of(codes)

    # -- writes: after one, this unit of work reads the database ---------------------------------
    def record_classification(self, classification: Classification, recorded_at: datetime) -> bool:
        self._wrote = True
        self._written.add(classification.id)
        return super().record_classification(classification, recorded_at)

    def add_release(self, *args: Any, **kwargs: Any) -> int:
        self._wrote = True
        return super().add_release(*args, **kwargs)

    def close_records(self, record_ids: Sequence[int], recorded_at: datetime) -> None:
        self._wrote = True
        super().close_records(record_ids, recorded_at)

    def insert_facts(self, classification_id: str, facts: Sequence[NewFact], recorded_at: datetime) -> None:
        self._wrote = True
        self._written.add(classification_id)
        super().insert_facts(classification_id, facts, recorded_at)

    def add_registration(self, reg: Registration, release_sequence: int | None) -> None:
        self._wrote = True
        self._written.add(reg.classification_id)
        super().add_registration(reg, release_sequence)


class ModelUnitOfWorkFactory(SqlUnitOfWorkFactory):
    def __init__(self, engine: Engine, models: ReadModels | None = None) -> None:
        super().__init__(engine)
        self.models = models or ReadModels(engine)

    def __call__(self) -> ModelUnitOfWork:
        return ModelUnitOfWork(self.engine, self.models)
