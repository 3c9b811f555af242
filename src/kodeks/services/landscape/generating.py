"""A generated landscape over the registry's real KLE emner (``domain.landscape.generator``)."""

from __future__ import annotations

from datetime import date

from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.generator import generate
from kodeks.domain.landscape.tasks import level
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services import queries
from kodeks.services.landscape.tasks import KLE
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When


def generated_bundle(
    uow_factory: UnitOfWorkFactory,
    *,
    systems: int = 100,
    years: int = 10,
    first_year: int = 2016,
    seed: int = 14,
) -> LandscapeBundle:
    """``systems`` solutions over ``years`` years, serving KLE emner valid on 1 January of ``first_year``."""
    if not 1 <= systems <= 100_000 or not 1 <= years <= 100 or not 1900 <= first_year <= 2100:
        raise InvalidRequest("systems must be 1-100000, years 1-100 and the first year 1900-2100")
    try:
        items = queries.items(uow_factory, KLE, When.of(date(first_year, 1, 1)))
    except NotFound:
        raise NotFound("KLE is not in the registry: import it first (kodeks demo imports it)") from None
    emner = [i.code for i in items if level(i.code) == 3]
    made = generate(emner, systems=systems, years=years, first_year=first_year, seed=seed)
    source = f"generated: {systems} systems, {years} years from {first_year}, seed {seed}"
    return LandscapeBundle(source, "generated", made.solutions, made.uses)
