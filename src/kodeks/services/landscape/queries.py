"""Reads of the landscape, each on a valid date ``at`` as known at ``known_at`` (``When``).

The architect's questions: which solutions serve KLE task X in each municipality; which tasks have
no solution; where one municipality runs several solutions for one task; who supplies what;
which contracts run out; the matrix municipality × solution.
"""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kodeks.domain.landscape.model import Contract, Scope, Solution, Status, TaskRef, TaskScheme, Use
from kodeks.domain.landscape.tasks import level, serves
from kodeks.domain.local.municipalities import MUNICIPALITIES, Municipality
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.landscape.ports import LandscapeStoreOpener
from kodeks.services.landscape.tasks import Resolution, TaskResolver
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The landscape on one day as known at one instant: solutions by id and the uses valid then."""

    when: When
    solutions: dict[str, Solution]
    uses: list[Use]


#: Whole-landscape snapshots per registry, by day and recorded state (the store's ``state()``: its
#: last recording and row counts). A read as known at or after that state is the same read, so it is
#: kept until something new is recorded; a read of an earlier recorded time is never kept.
_SNAPSHOTS: weakref.WeakKeyDictionary[object, dict[tuple[object, ...], Snapshot]]
_SNAPSHOTS = weakref.WeakKeyDictionary()
_KEPT = 16


def snapshot(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    when: When,
    *,
    solution: str | None = None,
    municipality: str | None = None,
) -> Snapshot:
    """Solutions by id and the uses valid on ``when.at``, as known at ``when.known_at`` (optionally
    one solution's or one municipality's uses). Do not modify what it returns: it may be shared."""
    kept: dict[tuple[object, ...], Snapshot] | None = None
    key: tuple[object, ...] = ()
    with uow_factory() as uow:
        store = open_store(uow)
        if solution is None and municipality is None:
            state = store.state()
            if state[0] is not None and when.known_at >= state[0]:
                key = (when.at, *state)
                try:
                    kept = _SNAPSHOTS.setdefault(uow_factory, {})
                except TypeError:  # a factory that cannot be weakly referenced is not cached
                    kept = None
                if kept is not None and key in kept:
                    return kept[key]
        solutions = {s.id: s for s in store.solutions(when.known_at)}
        uses = store.uses(when.known_at, at=when.at, solution=solution, municipality=municipality)
    found = Snapshot(when, solutions, uses)
    if kept is not None:
        if len(kept) >= _KEPT:
            kept.clear()
        kept[key] = found
    return found


def forget_snapshots() -> None:
    """Drop every kept snapshot (benchmarks measure the uncached read with it)."""
    _SNAPSHOTS.clear()


def municipality_or_404(code: str) -> Municipality:
    found = MUNICIPALITIES.get(code.lstrip("0") if code.isdigit() else code)
    if found is None:
        raise NotFound(f"{code!r} is not a Danish municipality code (e.g. 751 for Aarhus)", municipality=code)
    return found


def solution_or_404(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, solution_id: str, when: When
) -> Solution:
    with uow_factory() as uow:
        found = open_store(uow).solution(solution_id, when.known_at)
    if found is None:
        raise NotFound(f"no solution {solution_id!r}", solution=solution_id)
    return found


def list_solutions(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    when: When,
    *,
    scope: str | None = None,
    category: str | None = None,
    supplier: str | None = None,
) -> list[Solution]:
    with uow_factory() as uow:
        found = open_store(uow).solutions(when.known_at)
    return [s for s in found if _matches(s, scope, category, supplier)]


def _matches(s: Solution, scope: str | None, category: str | None, supplier: str | None) -> bool:
    if scope and s.scope.value != scope:
        return False
    if category and (s.category or "") != category:
        return False
    return not supplier or (s.supplier or "") == supplier


def usage(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    when: When,
    *,
    solution: str | None = None,
    municipality: str | None = None,
    status: str | None = None,
) -> list[Use]:
    """Uses valid on ``when.at`` as known at ``when.known_at``: "which municipalities used X on
    2022-01-01, as we knew it then" is ``solution=X, at=2022-01-01, known_at=2022-01-01``."""
    if municipality is not None:
        municipality = municipality_or_404(municipality).code
    if status is not None and status not in {s.value for s in Status}:
        raise InvalidRequest(f"status {status!r} is not one of planned, adopted, phased_out")
    with uow_factory() as uow:
        found = open_store(uow).uses(when.known_at, at=when.at, solution=solution, municipality=municipality)
    return [u for u in found if status is None or u.status.value == status]


# -- tasks ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Support:
    """A solution a municipality has adopted, serving a task through reference ``ref``."""

    solution: Solution
    municipality: str
    resolution: Resolution


def _emner(codes: tuple[str, ...], resolver: TaskResolver) -> list[str]:
    """The emner (level 3) codes stand for: a group stands for every emne under it valid on the day."""
    out: list[str] = []
    for code in codes:
        if level(code) >= 3 or not resolver.available:
            out.append(code)
        else:
            out.extend(c for c in resolver.valid if level(c) == 3 and c.startswith(code + "."))
    return out


def _supports(snap: Snapshot, resolver: TaskResolver) -> list[Support]:
    out: list[Support] = []
    for use in snap.uses:
        if use.status is not Status.ADOPTED:
            continue
        solution = snap.solutions.get(use.solution)
        if solution is None:
            continue
        for ref in use.tasks(solution):
            out.append(Support(solution, use.municipality, resolver.resolve(ref)))
    return out


@dataclass
class TaskView:
    """A task on a day: per municipality, the solutions that serve it."""

    code: str
    title: str | None
    by_municipality: dict[str, list[Support]] = field(default_factory=dict)

    @property
    def solutions(self) -> list[Solution]:
        found = {s.solution.id: s.solution for group in self.by_municipality.values() for s in group}
        return sorted(found.values(), key=lambda s: s.name.casefold())


def task(uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, code: str, when: When) -> TaskView:
    """Which solutions serve KLE task ``code`` in each municipality (a reference to a code KLE has
    moved counts for its successors)."""
    try:
        ref = TaskRef(TaskScheme.KLE, code)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    resolver = TaskResolver(uow_factory, when)
    view = TaskView(ref.code, resolver.title(ref.code))
    snap = snapshot(uow_factory, open_store, when)
    for support in _supports(snap, resolver):
        if any(serves(c, ref.code) for c in support.resolution.codes):
            view.by_municipality.setdefault(support.municipality, []).append(support)
    return view


@dataclass
class Coverage:
    """One municipality's KLE tasks on a day: the solutions serving each emne it has a solution for,
    the emner served by several solutions (overlaps), and the emner with none (gaps)."""

    municipality: Municipality
    at: date
    kle_available: bool
    served: dict[str, list[Support]] = field(default_factory=dict)  # emne or group -> supports
    gaps: list[tuple[str, str]] = field(default_factory=list)  # (emne, title) with no solution
    flagged: list[Resolution] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def overlaps(self) -> dict[str, list[Support]]:
        return {c: s for c, s in self.served.items() if len({x.solution.id for x in s}) > 1}


def coverage(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, municipality: str, when: When
) -> Coverage:
    found = municipality_or_404(municipality)
    resolver = TaskResolver(uow_factory, when)
    snap = snapshot(uow_factory, open_store, when, municipality=found.code)
    result = Coverage(found, when.at, resolver.available, titles=resolver.valid)
    flagged: dict[TaskRef, Resolution] = {}
    for support in _supports(snap, resolver):
        if support.resolution.flagged:
            flagged[support.resolution.ref] = support.resolution
        for code in _emner(support.resolution.codes, resolver):
            result.served.setdefault(code, []).append(support)
    result.gaps = [
        (code, title)
        for code, title in sorted(resolver.valid.items())
        if level(code) == 3 and code not in result.served
    ]
    result.flagged = sorted(flagged.values(), key=lambda r: r.ref)
    return result


@dataclass(frozen=True, slots=True)
class SeveralSystems:
    municipality: str
    task: str
    solutions: tuple[str, ...]


def several_systems(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, when: When
) -> list[SeveralSystems]:
    """Where one municipality has adopted more than one solution for one task (on the day)."""
    resolver = TaskResolver(uow_factory, when)
    by: dict[tuple[str, str], set[str]] = defaultdict(set)
    for support in _supports(snapshot(uow_factory, open_store, when), resolver):
        for code in _emner(support.resolution.codes, resolver):
            by[(support.municipality, code)].add(support.solution.id)
    return [SeveralSystems(m, t, tuple(sorted(ids))) for (m, t), ids in sorted(by.items()) if len(ids) > 1]


def tasks_without_system(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, when: When
) -> list[tuple[str, str]]:
    """KLE emner valid on the day that no municipality has an adopted solution for."""
    resolver = TaskResolver(uow_factory, when)
    if not resolver.available:
        raise NotFound("KLE is not in the registry: import it first (kodeks demo imports it)")
    served = {
        c for s in _supports(snapshot(uow_factory, open_store, when), resolver) for c in s.resolution.codes
    }
    groups = {c for c in served if level(c) < 3}
    return [
        (code, title)
        for code, title in sorted(resolver.valid.items())
        if level(code) == 3 and code not in served and not any(code.startswith(g + ".") for g in groups)
    ]


# -- suppliers and contracts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplierRow:
    supplier: str
    solutions: tuple[str, ...]
    municipalities: int
    uses: int
    share: float  # of all adopted uses on the day


def suppliers(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, when: When
) -> list[SupplierRow]:
    """Supplier concentration: per supplier its solutions, how many municipalities have adopted one
    of them on the day, and its share of all adopted uses."""
    snap = snapshot(uow_factory, open_store, when)
    solutions: dict[str, set[str]] = defaultdict(set)
    for s in snap.solutions.values():
        solutions[s.supplier or "(ukendt)"].add(s.id)
    towns: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    adopted = [u for u in snap.uses if u.status is Status.ADOPTED and u.solution in snap.solutions]
    for use in adopted:
        name = snap.solutions[use.solution].supplier or "(ukendt)"
        towns[name].add(use.municipality)
        counts[name] += 1
    total = len(adopted) or 1
    rows = [
        SupplierRow(name, tuple(sorted(ids)), len(towns[name]), counts[name], round(counts[name] / total, 4))
        for name, ids in solutions.items()
    ]
    return sorted(rows, key=lambda r: (-r.uses, r.supplier))


@dataclass(frozen=True, slots=True)
class ContractRow:
    solution: Solution
    contract: Contract


def contracts_ending(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, when: When, *, within_days: int = 365
) -> list[ContractRow]:
    """Contracts whose end date falls in ``[at, at + within_days)``, soonest first."""
    if not 0 <= within_days <= 36_500:
        raise InvalidRequest("within_days must be between 0 and 36500")
    horizon = when.at + timedelta(days=within_days)
    with uow_factory() as uow:
        found = open_store(uow).solutions(when.known_at)
    rows = [
        ContractRow(s, c)
        for s in found
        for c in s.contracts
        if c.end is not None and when.at <= c.end < horizon
    ]
    return sorted(rows, key=lambda r: (r.contract.end or date.max, r.solution.id, r.contract.id))


# -- the matrix -------------------------------------------------------------------------------------


@dataclass
class Matrix:
    """Municipalities (rows) × solutions (columns) on a day; a cell is the status of the use."""

    when: When
    municipalities: list[Municipality]
    solutions: list[Solution]
    cells: dict[tuple[str, str], Status]  # (municipality, solution) -> status
    total_solutions: int
    categories: tuple[str, ...] = ()  # of every solution, for the filters
    suppliers: tuple[str, ...] = ()

    def adopted(self, solution_id: str) -> int:
        return sum(1 for m in self.municipalities if self.cells.get((m.code, solution_id)) is Status.ADOPTED)


SORTS = ("name", "adoption", "supplier", "category")


def matrix(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    when: When,
    *,
    region: str | None = None,
    scope: str | None = None,
    category: str | None = None,
    supplier: str | None = None,
    sort: str = "adoption",
    limit: int = 60,
) -> Matrix:
    """The matrix on the day, filtered by region (code or name), scope, category and supplier;
    columns sorted by ``sort`` and cut to the first ``limit`` (the page shows how many there are)."""
    if sort not in SORTS:
        raise InvalidRequest(f"sort must be one of {', '.join(SORTS)}")
    if scope is not None and scope not in {s.value for s in Scope}:
        raise InvalidRequest(f"scope {scope!r} is not one of common, cross, local")
    if not 1 <= limit <= 5000:
        raise InvalidRequest("limit must be between 1 and 5000")
    towns = sorted(MUNICIPALITIES.values(), key=lambda m: m.name)
    if region:
        towns = [m for m in towns if region in (m.region_code, m.region)]
        if not towns:
            raise InvalidRequest(f"{region!r} is not a region code (1081-1085) or name")
    snap = snapshot(uow_factory, open_store, when)
    wanted = {m.code for m in towns}
    cells = {(u.municipality, u.solution): u.status for u in snap.uses if u.municipality in wanted}
    chosen = [s for s in snap.solutions.values() if _matches(s, scope, category, supplier)]
    adoption: Counter[str] = Counter(s for (_, s), st in cells.items() if st is Status.ADOPTED)
    keys = {
        "name": lambda s: (s.name.casefold(), s.id),
        "adoption": lambda s: (-adoption[s.id], s.name.casefold(), s.id),
        "supplier": lambda s: ((s.supplier or "~").casefold(), s.name.casefold(), s.id),
        "category": lambda s: ((s.category or "~").casefold(), s.name.casefold(), s.id),
    }
    chosen.sort(key=keys[sort])
    every = snap.solutions.values()
    return Matrix(
        when,
        towns,
        chosen[:limit],
        cells,
        len(chosen),
        tuple(sorted({s.category for s in every if s.category})),
        tuple(sorted({s.supplier for s in every if s.supplier})),
    )


def everything(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    known_at: datetime,
    at: date | None = None,
) -> tuple[list[Solution], list[Use]]:
    """Every solution and every use (valid on ``at`` when given) as known at ``known_at``: an export."""
    with uow_factory() as uow:
        store = open_store(uow)
        return store.solutions(known_at), store.uses(known_at, at=at)


def adoption(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, solution_id: str, known_at: datetime
) -> tuple[list[Use], list[tuple[int, int]]]:
    """Every use of a solution (all periods) and, per year from its first use to next year, how many
    municipalities had it adopted on 1 January: the adoption curve."""
    with uow_factory() as uow:
        uses = open_store(uow).uses(known_at, solution=solution_id)
    starts = [u.valid.start.year for u in uses if u.valid.start]
    if not uses:
        return uses, []
    first = min(starts) if starts else date.today().year
    last = max([date.today().year + 1, *(u.valid.start.year + 1 for u in uses if u.valid.start)])
    curve = [
        (
            year,
            len(
                {
                    u.municipality
                    for u in uses
                    if u.status is Status.ADOPTED and u.valid.contains(date(year, 1, 1))
                }
            ),
        )
        for year in range(first, min(last, first + 60) + 1)
    ]
    return uses, curve


@dataclass(frozen=True, slots=True)
class Curve:
    solution: Solution
    points: tuple[tuple[int, int], ...]  # (year, municipalities with it adopted on 1 January)


def adoption_curves(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    when: When,
    *,
    first_year: int,
    last_year: int,
    solutions: list[str] | None = None,
    top: int = 8,
) -> list[Curve]:
    """Adoption over time, a curve per solution: the named ones, else the ``top`` most adopted on
    ``when.at``; one point per 1 January from ``first_year`` to ``last_year``."""
    if not 1900 <= first_year <= last_year <= first_year + 100 or last_year > 2200:
        raise InvalidRequest("the years must be a span of at most 100 years between 1900 and 2200")
    if not 1 <= top <= 30 or (solutions is not None and len(solutions) > 30):
        raise InvalidRequest("at most 30 curves")
    with uow_factory() as uow:
        store = open_store(uow)
        by_id = {s.id: s for s in store.solutions(when.known_at)}
        uses = [u for u in store.uses(when.known_at) if u.status is Status.ADOPTED]
    if solutions:
        unknown = [s for s in solutions if s not in by_id]
        if unknown:
            raise NotFound(f"no solution {unknown[0]!r}", solution=unknown[0])
        chosen = list(dict.fromkeys(solutions))
    else:
        now = Counter(u.solution for u in uses if u.valid.contains(when.at))
        chosen = [
            s for s, _ in sorted(now.items(), key=lambda x: (-x[1], by_id[x[0]].name))[:top] if s in by_id
        ]
    wanted = set(chosen)
    by_solution: dict[str, list[Use]] = defaultdict(list)
    for u in uses:
        if u.solution in wanted:
            by_solution[u.solution].append(u)
    years = range(first_year, last_year + 1)
    return [
        Curve(
            by_id[s],
            tuple(
                (y, len({u.municipality for u in by_solution[s] if u.valid.contains(date(y, 1, 1))}))
                for y in years
            ),
        )
        for s in chosen
    ]
