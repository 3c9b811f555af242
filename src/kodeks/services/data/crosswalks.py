"""Crosswalks read from the registry's correspondence tables (local use), at a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from kodeks.domain.data.crosswalk import Crosswalk, compose, step_of
from kodeks.domain.local.correspondence import valid_problem
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.local.ports import LocalStoreOpener
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When


def crosswalk(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    via: Sequence[str],
    at: date | None = None,
    known_at: datetime | None = None,
) -> Crosswalk:
    """The correspondences ``via`` composed; each must be valid on ``at`` and each step's target must
    be the next step's source."""
    if not via:
        raise InvalidRequest("name at least one correspondence (--via ID[,ID...])")
    when = When.of(at, known_at)
    steps = []
    previous = None
    with uow_factory() as uow:
        store = open_store(uow)
        for cid in via:
            found = store.correspondence(cid, when.known_at, with_mappings=True)
            if found is None:
                raise NotFound(f"no correspondence {cid!r}", correspondence=cid)
            corr = found.correspondence
            problem = valid_problem(corr, when.at)
            if problem:
                raise NotFound(problem, correspondence=cid)
            if previous is not None and previous != corr.source.classification:
                raise InvalidRequest(
                    f"{cid} maps {corr.source.classification}, but the step before it ends in {previous}"
                )
            previous = corr.target.classification
            steps.append(step_of((m.source, m.target) for m in corr.mappings))
    return Crosswalk(tuple(via), previous or "", compose(steps))
