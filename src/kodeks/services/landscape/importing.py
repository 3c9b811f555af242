"""Import a landscape bundle: validate everything first, then write it in one transaction.

A bundle's uses replace, per (solution, municipality) pair it names, the uses held for that pair;
pairs it does not name are left alone. The import is refused (``InvalidContent``, every problem
listed in ``details["problems"]``) when the reader found bad rows, a use names an unknown solution or
municipality, two periods of one pair overlap, or a KLE code was never a KLE code. Task references
to codes KLE has moved or expired are kept and reported (``flagged``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from kodeks.domain.landscape.bundle import LandscapeBundle, Problem
from kodeks.domain.landscape.model import TaskRef, Use
from kodeks.domain.landscape.rules import overlaps, same_uses
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.errors import Forbidden, InvalidContent
from kodeks.services.clock import Clock, next_recorded_at, utcnow
from kodeks.services.landscape.ports import LandscapeStoreOpener
from kodeks.services.landscape.tasks import TaskResolver, TaskState
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When

MAX_LISTED = 50


@dataclass
class LandscapeImportReport:
    source: str
    format: str
    solutions_added: int = 0
    solutions_changed: int = 0
    solutions_unchanged: int = 0
    pairs_changed: int = 0
    pairs_unchanged: int = 0
    uses: int = 0
    municipalities: int = 0
    flagged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    recorded_at: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.solutions_added or self.solutions_changed or self.pairs_changed)


def _refuse(bundle: LandscapeBundle, problems: list[Problem]) -> InvalidContent:
    listed = "; ".join(str(p) for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return InvalidContent(
        f"{len(problems)} problem(s), nothing imported: {listed}{more}",
        source=bundle.source,
        problems=[{"location": p.location, "message": p.message} for p in problems[:MAX_LISTED]],
        problem_count=len(problems),
    )


def _task_problems(
    resolver: TaskResolver, refs: dict[TaskRef, str], report: LandscapeImportReport
) -> list[Problem]:
    problems: list[Problem] = []
    for ref, where in sorted(refs.items()):
        found = resolver.resolve(ref)
        if found.state is TaskState.UNKNOWN:
            problems.append(Problem(where, f"{ref} is not a KLE code (never was one in the registry)"))
        elif found.state is TaskState.MOVED:
            report.flagged.append(f"{ref} has moved: now {', '.join(found.codes)}")
        elif found.state is TaskState.EXPIRED:
            report.flagged.append(f"{ref} has expired and nothing replaces it")
    if not resolver.available and any(r.scheme.value == "KLE" for r in refs):
        report.notes.append("KLE is not in the registry: KLE task codes were not checked")
    return problems


def validate(
    bundle: LandscapeBundle,
    known_solutions: set[str],
    resolver: TaskResolver,
    report: LandscapeImportReport,
    only_municipality: str | None = None,
) -> list[Problem]:
    problems = list(bundle.problems)
    ids = {s.id for s in bundle.solutions}
    seen: set[str] = set()
    refs: dict[TaskRef, str] = {}
    for s in bundle.solutions:
        if s.id in seen:
            problems.append(Problem(f"solution {s.id}", "is stated twice"))
        seen.add(s.id)
        if s.predecessor and s.predecessor not in ids | known_solutions:
            report.notes.append(f"solution {s.id}: predecessor {s.predecessor!r} is not a known solution")
        for ref in s.purposes:
            refs.setdefault(ref, f"solution {s.id}")
    for use in bundle.uses:
        where = f"use {use.solution} in {use.municipality}"
        if use.municipality not in MUNICIPALITIES:
            problems.append(Problem(where, f"{use.municipality!r} is not a Danish municipality code"))
        elif only_municipality is not None and use.municipality != only_municipality:
            raise Forbidden(
                f"you may record the use of municipality {only_municipality} only, not {use.municipality}"
            )
        if use.solution not in ids | known_solutions:
            problems.append(Problem(where, f"no solution {use.solution!r} in the input or in Kodeks"))
        for ref in use.purposes:
            refs.setdefault(ref, where)
    for found in overlaps(bundle.uses):
        problems.append(Problem(f"use {found.solution} in {found.municipality}", f"periods overlap: {found}"))
    problems.extend(_task_problems(resolver, refs, report))
    return problems


def import_bundle(
    uow_factory: UnitOfWorkFactory,
    open_store: LandscapeStoreOpener,
    bundle: LandscapeBundle,
    *,
    actor: str | None = None,
    only_municipality: str | None = None,
    clock: Clock = utcnow,
    today: date | None = None,
) -> LandscapeImportReport:
    """Validate ``bundle`` against what is held and the registry, then record it (all or nothing).

    ``only_municipality`` (governance): the caller speaks for that municipality only; a use of any
    other municipality refuses the whole import (``Forbidden``), and solutions are not changed.
    """
    report = LandscapeImportReport(bundle.source, bundle.format, notes=list(bundle.notes))
    resolver = TaskResolver(uow_factory, When.of(today))
    with uow_factory() as uow:
        uow.lock("landscape")
        store = open_store(uow)
        recorded_at = next_recorded_at(clock, store.last_recorded_at())
        known = {s.id for s in store.solutions(recorded_at)}
        problems = validate(bundle, known, resolver, report, only_municipality)
        if problems:
            raise _refuse(bundle, problems)
        if only_municipality is not None and bundle.solutions:
            unknown = [s.id for s in bundle.solutions if s.id not in known]
            if unknown:
                raise Forbidden(f"a municipality may record uses only; solutions {unknown[:5]} are new")
        else:
            for solution in bundle.solutions:
                existed = solution.id in known
                if store.put_solution(solution, actor, recorded_at):
                    if existed:
                        report.solutions_changed += 1
                    else:
                        report.solutions_added += 1
                else:
                    report.solutions_unchanged += 1
        pairs: dict[tuple[str, str], list[Use]] = defaultdict(list)
        for use in bundle.uses:
            pairs[(use.solution, use.municipality)].append(use)
        current = store.current_pairs()
        changed = sorted(p for p, uses in pairs.items() if not same_uses(uses, current.get(p, [])))
        store.close_uses([p for p in changed if p in current], recorded_at)
        store.add_uses([u for p in changed for u in pairs[p]], actor, recorded_at)
        report.pairs_changed = len(changed)
        report.pairs_unchanged = len(pairs) - len(changed)
        report.uses = len(bundle.uses)
        report.municipalities = len({m for _, m in pairs})
        if report.changed:
            uow.commit()
            report.recorded_at = recorded_at.isoformat() + "Z"
    return report
