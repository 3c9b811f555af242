"""Correspondence tables: import (parse → check → record, all or nothing), map a code, invert."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime

from kodeks.domain.local.correspondence import (
    Correspondence,
    Mapping,
    Side,
    cardinality,
    correspondence_problems,
    merge_duplicates,
    summary,
    valid_problem,
)
from kodeks.domain.period import ALWAYS, Period
from kodeks.errors import (
    ImportError_,
    InputTooLarge,
    InvalidContent,
    InvalidRequest,
    MalformedInput,
    NotFound,
)
from kodeks.services.clock import Clock, utcnow
from kodeks.services.local.common import recorded_time
from kodeks.services.local.ports import CorrespondenceReader, LocalStoreOpener, StoredCorrespondence
from kodeks.services.local.sortiments import successors
from kodeks.services.ports import UnitOfWork, UnitOfWorkFactory
from kodeks.services.queries import When

CURRENT = datetime(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class ImportSpec:
    """What the user says about a correspondence; ``None`` sides come from the reader's defaults.

    ``unknown_codes`` says what a code that its registered classification does not hold on the
    table's date (``valid.start``, else today) is: ``warn`` (the default: reported, imported) or
    ``error`` (the import is refused). A side whose classification is not registered is not checked.
    """

    id: str
    source: Side | None = None
    target: Side | None = None
    titles: dict[str, str] | None = None
    owner: str | None = None
    description: str | None = None
    valid: Period = ALWAYS
    unknown_codes: str = "warn"
    source_at: date | None = None  # check source codes on this date instead (a change table's old release)
    target_at: date | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    stored: StoredCorrespondence
    warnings: tuple[str, ...]
    duplicates: int


def import_correspondence(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    read: CorrespondenceReader,
    data: bytes,
    source_name: str,
    spec: ImportSpec,
    *,
    max_bytes: int,
    actor: str | None,
    clock: Clock = utcnow,
) -> ImportResult:
    """Parse ``data`` with ``read``, check it, and record it as the current version of ``spec.id``."""
    if len(data) > max_bytes:
        raise InputTooLarge(f"file is {len(data):,} bytes; the limit is {max_bytes:,}", source=source_name)
    try:
        parsed = read(data, source_name)
    except ImportError_:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise MalformedInput(f"cannot be read: {exc}", source=source_name) from exc
    source = spec.source or (Side(parsed.source, parsed.source_version) if parsed.source else None)
    target = spec.target or (Side(parsed.target, parsed.target_version) if parsed.target else None)
    if source is None or target is None:
        raise InvalidRequest("name the source and target classifications of this correspondence")
    mappings, duplicates = merge_duplicates(parsed.mappings)
    corr = Correspondence(
        spec.id,
        source,
        target,
        spec.titles or {"da": f"{source.describe()} → {target.describe()}"},
        spec.owner,
        spec.description,
        spec.valid,
        source_name,
        tuple(mappings),
    )
    problems = correspondence_problems(corr)
    if problems:
        raise InvalidContent("; ".join(problems[:5]), source=source_name, problems=problems[:50])
    if spec.unknown_codes not in UNKNOWN_CODES:
        raise InvalidRequest(
            f"unknown_codes must be one of {', '.join(UNKNOWN_CODES)}, not {spec.unknown_codes!r}"
        )
    warnings = list(parsed.warnings)
    with uow_factory() as uow:
        day = spec.valid.start or clock().date()
        source_codes = [m.source for m in mappings]
        target_codes = [m.target for m in mappings if m.target]
        now = clock()
        unknown = [
            *side_problems(uow, "source", source.classification, source_codes, spec.source_at or day, now),
            *side_problems(uow, "target", target.classification, target_codes, spec.target_at or day, now),
        ]
        errors = [p for p in unknown if p.startswith(tuple("0123456789"))]
        if errors and spec.unknown_codes == "error":
            raise InvalidContent("; ".join(errors), source=source_name, problems=errors)
        warnings += unknown
        store = open_store(uow)
        at = recorded_time(uow, store, clock)
        counts = summary(corr.mappings)
        store.save_correspondence(corr, counts, hashlib.sha256(data).hexdigest(), at, actor)
        uow.commit()
    return ImportResult(
        StoredCorrespondence(replace(corr, mappings=()), 0, counts, at, actor), tuple(warnings), duplicates
    )


UNKNOWN_CODES = ("warn", "error")


def side_problems(
    uow: UnitOfWork, side: str, cid: str, codes: list[str], day: date, known_at: datetime
) -> list[str]:
    """What is wrong with one side's codes on ``day``: a message naming up to ten unknown codes.

    An unregistered classification gives a message saying its codes were not checked (never an error).
    """
    if uow.classification(cid, known_at) is None:
        return [f"the {side} classification {cid!r} is not registered; its codes were not checked"]
    valid = {i.code for i in uow.items_at(cid, day, known_at)}
    unknown = sorted({c for c in codes if c not in valid})
    if not unknown:
        return []
    shown = ", ".join(repr(c) for c in unknown[:10]) + (", ..." if len(unknown) > 10 else "")
    return [f"{len(unknown)} {side} code(s) are not codes of {cid} on {day.isoformat()}: {shown}"]


def invert(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    new_id: str,
    *,
    actor: str | None,
    clock: Clock = utcnow,
) -> StoredCorrespondence:
    """Record the inverse of correspondence ``cid`` as ``new_id`` (sources and targets swapped)."""
    with uow_factory() as uow:
        store = open_store(uow)
        found = store.correspondence(cid, CURRENT, with_mappings=True)
        if found is None:
            raise NotFound(f"no correspondence {cid!r}", correspondence=cid)
        if new_id != cid and store.correspondence(new_id, CURRENT) is not None:
            raise InvalidRequest(f"correspondence {new_id!r} exists already; choose another id")
        inverse = replace(found.correspondence.inverted(new_id), origin=f"inverse of {cid}")
        problems = correspondence_problems(inverse)
        if problems:
            raise InvalidRequest("; ".join(problems[:5]))
        at = recorded_time(uow, store, clock)
        counts = summary(inverse.mappings)
        store.save_correspondence(inverse, counts, None, at, actor)
        uow.commit()
    return StoredCorrespondence(replace(inverse, mappings=()), 0, counts, at, actor)


def get(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    *,
    with_mappings: bool = False,
    known_at: datetime | None = None,
    inverse: bool = False,
) -> StoredCorrespondence:
    """The correspondence (its inverse, ``<id>-inverse``, when ``inverse``: then with its mappings)."""
    with uow_factory() as uow:
        found = open_store(uow).correspondence(
            cid, When.of(None, known_at).known_at, with_mappings=with_mappings or inverse
        )
    if found is None:
        raise NotFound(f"no correspondence {cid!r}", correspondence=cid)
    if inverse:
        inv = found.correspondence.inverted(f"{cid}-inverse")
        return replace(found, correspondence=inv, summary=summary(inv.mappings))
    return found


def list_correspondences(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, known_at: datetime | None = None
) -> list[StoredCorrespondence]:
    with uow_factory() as uow:
        return open_store(uow).correspondences(When.of(None, known_at).known_at)


@dataclass(frozen=True, slots=True)
class CodeView:
    """A code on one side, as the registry knows it on ``at`` (``valid`` ``None``: not registered)."""

    code: str
    title: str | None
    valid: bool | None
    successors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MapResult:
    correspondence: Correspondence
    at: date
    inverse: bool
    source: CodeView
    cardinality: str
    targets: tuple[tuple[Mapping, CodeView], ...]


def map_code(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    code: str,
    when: When,
    *,
    inverse: bool = False,
) -> MapResult:
    """The counterparts of ``code`` (a target code mapped back when ``inverse``) on ``when.at``."""
    with uow_factory() as uow:
        store = open_store(uow)
        found = store.correspondence(cid, when.known_at)
        if found is None:
            raise NotFound(f"no correspondence {cid!r}", correspondence=cid)
        corr = found.correspondence.inverted(cid) if inverse else found.correspondence
        problem = valid_problem(corr, when.at)
        if problem:
            raise NotFound(problem, correspondence=cid)
        mappings = store.mappings_of(found.key, code, inverse=inverse)
        if not mappings:
            side = corr.source.classification
            raise NotFound(
                f"{side} code {code!r} has no mapping in correspondence {cid}", correspondence=cid, code=code
            )
        targets = sorted({m.target for m in mappings if m.target is not None})
        shared = store.codes_per_other_side(found.key, targets, inverse=inverse) if targets else {}
        kind = cardinality([m.target for m in mappings], shared)
        source = _view(uow, corr.source.classification, code, mappings[0].source_title, when)
        views = tuple(
            (m, _view(uow, corr.target.classification, m.target, m.target_title, when))
            for m in mappings
            if m.target is not None
        )
    return MapResult(corr, when.at, inverse, source, kind, views)


def _view(uow: UnitOfWork, cid: str, code: str, fallback: str | None, when: When) -> CodeView:
    if uow.classification(cid, when.known_at) is None:
        return CodeView(code, fallback, None)
    now = uow.items_at(cid, when.at, when.known_at, code=code)
    if now:
        return CodeView(code, now[0].title(), True)
    facts = uow.facts_known_at(cid, when.known_at, codes=[code])
    title = max(facts, key=lambda f: f.period.start or date.min).item.title() if facts else fallback
    return CodeView(code, title, False, successors(uow, cid, code, when) if facts else ())
