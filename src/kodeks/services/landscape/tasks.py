"""Task references against the registry: is ``KLE 27.24.00`` valid on a day, moved, or gone?

Read only through the registry's services (``services.queries``): the KLE items valid on the day
(one read), and for a code not valid then its records and the codes its replacement links lead to.
A reference stays right when KLE moves an emne: it is shown under its successors and flagged.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kodeks.domain.landscape.model import TaskRef, TaskScheme
from kodeks.errors import NotFound
from kodeks.services import queries
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When

KLE = "kle"


class TaskState(StrEnum):
    VALID = "valid"  # the code is valid on the day
    MOVED = "moved"  # not valid, its replacement links lead to codes valid on the day
    EXPIRED = "expired"  # it was a KLE code, but not on the day, and nothing replaces it
    UNKNOWN = "unknown"  # never a code of the classification (an import refuses it)
    UNCHECKED = "unchecked"  # FORM, or KLE is not in the registry


@dataclass(frozen=True, slots=True)
class Resolution:
    ref: TaskRef
    state: TaskState
    codes: tuple[str, ...]  # the codes valid on the day it stands for (itself, or its successors)
    titles: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.state in (TaskState.MOVED, TaskState.EXPIRED, TaskState.UNKNOWN)


_CACHE: weakref.WeakKeyDictionary[object, dict[tuple[str, date, datetime | None], dict[str, str] | None]]
_CACHE = weakref.WeakKeyDictionary()
_CACHED_DAYS = 64


def _valid_codes(uow_factory: UnitOfWorkFactory, cid: str, when: When) -> dict[str, str] | None:
    """The codes valid on ``when.at`` with their titles (``None``: no such classification).

    Remembered per registry, day and recorded state: a read as known at or after the registry's
    last registration is the same read, so its key is that registration (nothing later changes it).
    """
    with uow_factory() as uow:
        last = uow.last_recorded_at()
    known = None if last is None or when.known_at >= last else when.known_at
    key = (cid, when.at, known if known is not None else last)
    try:
        per_registry = _CACHE.setdefault(uow_factory, {})
    except TypeError:  # a factory that cannot be weakly referenced is not cached
        per_registry = {}
    if key not in per_registry:
        if len(per_registry) >= _CACHED_DAYS:
            per_registry.clear()
        try:
            per_registry[key] = {i.code: i.title() for i in queries.items(uow_factory, cid, when)}
        except NotFound:
            per_registry[key] = None
    return per_registry[key]


class TaskResolver:
    """Resolves references on one day, as known at one instant; remembers what it looked up."""

    def __init__(self, uow_factory: UnitOfWorkFactory, when: When, classification: str = KLE) -> None:
        self._uow = uow_factory
        self._when = when
        self._cid = classification
        self._done: dict[TaskRef, Resolution] = {}
        found = _valid_codes(uow_factory, classification, when)
        self.available = found is not None
        self.valid: dict[str, str] = found or {}

    def title(self, code: str) -> str | None:
        return self.valid.get(code)

    def resolve(self, ref: TaskRef) -> Resolution:
        if ref not in self._done:
            self._done[ref] = self._resolve(ref)
        return self._done[ref]

    def _resolve(self, ref: TaskRef) -> Resolution:
        if ref.scheme is not TaskScheme.KLE or not self.available:
            return Resolution(ref, TaskState.UNCHECKED, (ref.code,))
        if ref.code in self.valid:
            return Resolution(ref, TaskState.VALID, (ref.code,), (self.valid[ref.code],))
        try:
            queries.history(self._uow, self._cid, ref.code, self._when.known_at)
        except NotFound:
            return Resolution(ref, TaskState.UNKNOWN, ())
        with self._uow() as uow:
            successors = queries.successors_on(uow, self._cid, ref.code, self._when)
        if successors:
            return Resolution(
                ref, TaskState.MOVED, tuple(s.code for s in successors), tuple(s.title() for s in successors)
            )
        return Resolution(ref, TaskState.EXPIRED, ())
