"""Solutions, contracts, task references and uses: the values of the landscape.

A **solution** is an IT system as SYS-AP describes it (``sys:ITSystem``): a name, a category, a
scope (common = *fælleskommunal*, e.g. KOMBIT's; cross = *tværkommunal*, shared by some
municipalities; local = one municipality's own), owner, supplier, contracts, predecessor, the data
sets and services it provides and uses, and its application purposes (``sys:hasApplicationPurpose``:
KLE or FORM tasks).

A **use** says that one municipality has a solution in a status (planned, adopted, phased out)
over a valid period ``[from, to)``. Uses are bitemporal: storage keeps when each was recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kodeks.domain.period import Period

MAX_TEXT = 2000
MAX_NAME = 300
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_KLE = re.compile(r"^\d{2}(\.\d{2}){0,2}$")
_FORM = re.compile(r"^\d{2}(\.\d{2}){0,3}$")


class Scope(StrEnum):
    """Who shares a solution: all municipalities (common), some (cross), one (local)."""

    COMMON = "common"
    CROSS = "cross"
    LOCAL = "local"


class Status(StrEnum):
    """A municipality's use of a solution over a period."""

    PLANNED = "planned"
    ADOPTED = "adopted"
    PHASED_OUT = "phased_out"


class TaskScheme(StrEnum):
    KLE = "KLE"
    FORM = "FORM"


@dataclass(frozen=True, slots=True, order=True)
class TaskRef:
    """A public task a solution serves: a KLE emne/gruppe/hovedgruppe or a FORM task code."""

    scheme: TaskScheme
    code: str

    def __post_init__(self) -> None:
        pattern = _KLE if self.scheme is TaskScheme.KLE else _FORM
        if not pattern.match(self.code):
            raise ValueError(f"{self.code!r} is not a {self.scheme.value} code (like 27.24.00)")

    def __str__(self) -> str:
        return f"{self.scheme.value} {self.code}"


def task_ref(text: str) -> TaskRef:
    """``"KLE 27.24.00"``, ``"FORM 65.50.05"`` or a bare KLE code ``"27.24.00"``."""
    text = text.strip()
    scheme, _, code = text.partition(" ")
    if code and scheme.upper() in ("KLE", "FORM"):
        return TaskRef(TaskScheme(scheme.upper()), code.strip())
    return TaskRef(TaskScheme.KLE, text)


@dataclass(frozen=True, slots=True)
class Contract:
    """A contract for a solution (``fibo-fnd-agr-ctr:Contract``): with whom, of what type, when."""

    id: str
    supplier: str | None = None
    kind: str | None = None  # development / maintenance / operations
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if not self.id or len(self.id) > MAX_NAME:
            raise ValueError("a contract needs an identifier of at most 300 characters")
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"contract {self.id!r} ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True, slots=True)
class Solution:
    id: str
    name: str
    scope: Scope = Scope.LOCAL
    category: str | None = None
    description: str | None = None
    alt_names: tuple[str, ...] = ()
    owner: str | None = None
    supplier: str | None = None
    predecessor: str | None = None
    uri: str | None = None
    purposes: tuple[TaskRef, ...] = ()
    contracts: tuple[Contract, ...] = ()
    provides: tuple[str, ...] = ()  # data sets / data services (IRIs or names)
    uses: tuple[str, ...] = ()
    in_use_from: date | None = None  # sys:inUseFromDate of the system itself
    in_use_until: date | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"{self.id!r} is not a solution id (lower-case letters, digits, '.', '_', '-')")
        if not self.name.strip() or len(self.name) > MAX_NAME:
            raise ValueError(f"solution {self.id!r} needs a name of 1-{MAX_NAME} characters")
        if self.description and len(self.description) > MAX_TEXT:
            raise ValueError(f"the description of {self.id!r} is longer than {MAX_TEXT} characters")
        if self.predecessor == self.id:
            raise ValueError(f"solution {self.id!r} cannot be its own predecessor")
        object.__setattr__(self, "purposes", tuple(sorted(set(self.purposes))))


@dataclass(frozen=True, slots=True)
class Use:
    """Municipality ``municipality`` has solution ``solution`` in ``status`` over ``valid``.

    ``purposes`` are the tasks this municipality uses it for; empty means the solution's own.
    """

    solution: str
    municipality: str
    status: Status
    valid: Period
    purposes: tuple[TaskRef, ...] = ()

    def __post_init__(self) -> None:
        if self.valid.is_empty:
            raise ValueError(
                f"the use of {self.solution!r} by {self.municipality} has an empty period {self.valid}"
            )

    def tasks(self, solution: Solution | None) -> tuple[TaskRef, ...]:
        return self.purposes or (solution.purposes if solution else ())


def slug(text: str) -> str:
    """An id for a name: ``"OS2mo (Magenta)"`` -> ``"os2mo-magenta"``."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
    out = re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-")
    return out[:100] or "solution"
