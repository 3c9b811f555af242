"""The map of Denmark: boundaries in, one colour class per municipality out, for a solution's status
or a measure (how many solutions a municipality has in use)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kodeks.domain.landscape.model import Status
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.landscape.ports import LandscapeStoreOpener
from kodeks.services.landscape.queries import snapshot
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When

MEASURES = ("status", "count")
CLASSES = 5


def class_limits(values: list[int]) -> tuple[int, ...]:
    """Lower limits of up to five classes from the values' quintiles (``c0`` below the first limit):
    every class holds about a fifth of the municipalities, whatever the numbers' range."""
    ordered = sorted(values)
    if not ordered:
        return ()
    limits = {ordered[len(ordered) * k // CLASSES] for k in range(1, CLASSES)}
    return tuple(sorted(x for x in limits if x > ordered[0]))


def import_boundaries(
    uow_factory: UnitOfWorkFactory, open_store: LandscapeStoreOpener, paths: dict[str, str], height: float
) -> int:
    unknown = sorted(set(paths) - set(MUNICIPALITIES))
    if unknown:
        raise InvalidRequest(f"not municipality codes: {', '.join(unknown[:5])}")
    if not 0 < height < 10_000:
        raise InvalidRequest("the map's height must be between 0 and 10000")
    with uow_factory() as uow:
        open_store(uow).put_boundaries(paths, height)
        uow.commit()
    return len(paths)


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str
    path: str
    value: str  # a status (adopted, planned, phased_out, none) or a count class (c0..c4)
    count: int | None = None


@dataclass(frozen=True, slots=True)
class MapView:
    height: float
    areas: tuple[Area, ...]
    missing: tuple[str, ...]  # municipalities without a boundary
    limits: tuple[
        int, ...
    ] = ()  # measure=count: class c<i> holds counts from limits[i-1] (c0: below limits[0])


def map_view(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    when: When,
    *,
    solution: str | None = None,
    measure: str = "status",
) -> MapView:
    if measure not in MEASURES:
        raise InvalidRequest(f"measure must be one of {', '.join(MEASURES)}")
    if measure == "status" and not solution:
        raise InvalidRequest("choose a solution to colour the map by its status")
    with uow_factory() as uow:
        paths, height = open_store(uow).boundaries()
    if not paths:
        raise NotFound("no municipal boundaries: import them first (kodeks landscape boundaries FILE)")
    snap = snapshot(uow_factory, open_store, when, solution=solution if measure == "status" else None)
    if solution and solution not in snap.solutions:
        raise NotFound(f"no solution {solution!r}", solution=solution)
    status = {u.municipality: u.status.value for u in snap.uses}
    counts = Counter(u.municipality for u in snap.uses if u.status is Status.ADOPTED)
    limits = class_limits([counts[code] for code in paths]) if measure == "count" else ()
    areas = []
    for code, path in sorted(paths.items()):
        name = MUNICIPALITIES[code].name
        if measure == "status":
            areas.append(Area(code, name, path, status.get(code, "none")))
        else:
            n = counts[code]
            areas.append(Area(code, name, path, f"c{sum(1 for x in limits if n >= x)}", n))
    return MapView(height, tuple(areas), tuple(sorted(set(MUNICIPALITIES) - set(paths))), limits)
