"""Importing a release that streams: memory bounded by one code's items, not by the file.

An importer that can stream (``StreamingImporter``: Kodeks CSV) hands over its items one at a
time. They go straight to the staging area (temporary tables in the import's one transaction,
``Staging``), where the database sorts them; the checks of ``hierarchy.check_items``, the content
digest and the release's stored content are computed from there, and the timeline
(``domain.timeline``) is built one code at a time, from every release's items of that code, into
staged facts that two statements turn into records. What the process holds at once is one code's
items and a batch of rows, whatever the size of the file.

The structural rule (``domain.structure``) is the exception: it looks at the whole classification
at once. It changes nothing unless some levels are governed by different releases or a fact is
valid where its parent is not, and the staged facts say whether that is so; only then is the
classification built in memory, up to ``MAX_ITEMS_IN_MEMORY`` items (about ``BYTES_PER_ITEM`` each);
beyond that the import is refused with one line saying so.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

import orjson

from kodeks.domain.classification import BASE_URI
from kodeks.domain.codec import item_from_dict, streamed_digest
from kodeks.domain.hierarchy import Problem, check_items
from kodeks.domain.item import Item
from kodeks.domain.release import Bundle, Release, ReleaseKind
from kodeks.domain.structure import Inference
from kodeks.domain.timeline import Fact, Plan, RecordedRelease, build
from kodeks.errors import ImportError_, InputTooLarge, InvalidContent, InvalidRequest, MalformedInput
from kodeks.services.clock import Clock, next_recorded_at, utcnow
from kodeks.services.importing import (
    ImportReport,
    Listener,
    already_report,
    new_fact,
    own_identity,
    refusal,
    summarize,
)
from kodeks.services.ports import Registration, UnitOfWork, UnitOfWorkFactory
from kodeks.services.stream_ports import ItemStream, Staging, StagingUnitOfWork

#: Items of a classification the structural rule may hold in memory at once, when it has work to do.
MAX_ITEMS_IN_MEMORY = 250_000
#: Peak memory of an in-memory timeline per item, measured by ``bench/import_memory.py`` (rounded up).
BYTES_PER_ITEM = 4_000
_SHOWN = 50


def import_stream(
    uow_factory: UnitOfWorkFactory,
    open_stream: Callable[[], ItemStream],
    format_name: str,
    source: str,
    *,
    release_label: str | None = None,
    release_date: date | None = None,
    clock: Clock = utcnow,
    actor: str | None = None,
    progress: Callable[[str], None] | None = None,
    listeners: Sequence[Listener] = (),
    base_uri: str = BASE_URI,
) -> list[ImportReport] | None:
    """``importing.import_data`` for a streaming importer; ``None`` when the unit of work cannot stage
    (the caller then reads the file whole)."""
    say = progress or (lambda _msg: None)
    with uow_factory() as uow:
        if not isinstance(uow, StagingUnitOfWork):
            return None
        stream = _opened(open_stream, source, format_name)
        bundle = stream.bundle
        cid = bundle.classification.id
        try:
            release = bundle.release(release_label, release_date)
        except ValueError:
            raise InvalidRequest(
                f"{bundle.source}: the file gives no release date for {cid!r}; "
                "pass a release date (--release-date)"
            ) from None
        recorded_at = next_recorded_at(clock, uow.last_recorded_at())
        uow.lock(f"classification:{cid}")
        bundle = replace(
            bundle, classification=own_identity(uow, bundle.classification, base_uri, recorded_at)
        )
        with uow.staging() as stage:
            count = _stage(stage, stream.items, source, format_name)
            if not count:
                raise InvalidContent(f"classification {cid!r} has no items", source=bundle.source)
            digest = _checked_digest(stage, bundle, release)
            same = uow.release_by_digest(cid, digest)
            if same is not None:
                return [
                    already_report(
                        bundle, release, same.release, release_label, format_name, recorded_at, count
                    )
                ]
            say(f"recording {cid} {release.label}")
            report = _record(uow, stage, bundle, release, recorded_at, digest, format_name, actor, count)
        report = replace(
            report, date_source=bundle.date_source if release_date is None else None, warnings=bundle.warnings
        )
        for listener in listeners:
            listener(uow, report)
        uow.commit()
    return [report]


def _opened(open_stream: Callable[[], ItemStream], source: str, format_name: str) -> ItemStream:
    try:
        return open_stream()
    except ImportError_:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise MalformedInput(f"cannot be read as {format_name}: {exc}", source=source) from exc


def _stage(stage: Staging, items: Iterator[Item], source: str, format_name: str) -> int:
    try:
        return stage.add_items(0, items)
    except ImportError_:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise MalformedInput(f"cannot be read as {format_name}: {exc}", source=source) from exc


def _checked_digest(stage: Staging, bundle: Bundle, release: Release) -> str:
    """The content digest, read from the staged items in order; on the way, the checks of
    ``hierarchy.check_items`` (codes that overlap, unknown parents, cycles): refused if any fails."""
    problems: list[Problem] = []
    total = 0

    def in_order() -> Iterator[bytes]:
        nonlocal total
        for _code, rows in itertools.groupby(stage.digest_order(0), key=lambda r: r[0]):
            texts = [text for _, text in rows]
            if len(texts) > 1:  # a code given more than once: its validities must not overlap
                found = check_items([item_from_dict(orjson.loads(t)) for t in texts], external_parents=True)
                total += len(found)
                problems.extend(found[: _SHOWN - len(problems)])
            yield from texts

    digest = streamed_digest(release, bundle.levels, in_order())
    if bundle.levels_covered is None:
        count, unknown = stage.unknown_parents(0, _SHOWN)
        total += count
        problems += [Problem(c, f"code {c!r} has unknown parent {p!r}") for c, p in unknown][
            : _SHOWN - len(problems)
        ]
    knots = stage.hierarchy_knots(0)
    if knots:
        cycles = check_items([Item(c, parent=p) for c, p in knots.items()], external_parents=True)
        total += len(cycles)
        problems += cycles[: _SHOWN - len(problems)]
    if total:
        raise refusal(problems, total, bundle.source or "")
    return digest


def _record(
    uow: UnitOfWork,
    stage: Staging,
    bundle: Bundle,
    release: Release,
    recorded_at: datetime,
    digest: str,
    format_name: str,
    actor: str | None,
    count: int,
) -> ImportReport:
    """``importing.record_release`` from the staging area."""
    cid, uri = bundle.classification.id, bundle.classification.canonical_uri
    uow.record_classification(bundle.classification, recorded_at)
    sequence = stage.add_release(cid, release, bundle.levels, recorded_at, digest)
    by_rank = {r.sequence: r for r in stage.add_recorded(cid, except_sequence=sequence)}
    by_rank[0] = RecordedRelease(release, (), sequence)
    plain = [rank for rank, r in by_rank.items() if r.release.kind is not ReleaseKind.PATCH]
    plan = Plan(list(by_rank.values()), stage.levels(plain))

    def facts() -> Iterator[Fact]:
        for code, ranked in stage.by_code():
            said = [(by_rank[rank], item) for rank, item in ranked]
            uuid = plan.source_uuid(said)
            yield from plan.facts(code, plan.pieces(code, said, uuid, uri), uuid, uri)

    stage.add_facts(new_fact(f) for f in facts())
    inferences: list[Inference] = []
    if plan.mixed or stage.orphans():
        inferences = _settled_in_memory(stage, by_rank, cid, uri)
    inserted, closed = stage.record_facts(cid, recorded_at)
    summary = summarize(release, count, inserted, closed, format_name, inferences)
    uow.add_registration(Registration(cid, recorded_at, "import", actor, bundle.source, summary), sequence)
    return ImportReport(
        cid,
        release.label,
        release.release_date,
        format_name,
        count,
        inserted,
        closed,
        recorded_at,
        inferences=tuple(inferences),
    )


def _settled_in_memory(
    stage: Staging, by_rank: dict[int, RecordedRelease], cid: str, uri: str
) -> list[Inference]:
    """The structural rule has work to do: the whole timeline in memory, within the budget."""
    total = stage.count()
    if total > MAX_ITEMS_IN_MEMORY:
        raise InputTooLarge(
            f"{cid}: {total:,} items across its releases need the structural rule (a parent missing where "
            f"its child is valid, or levels from different releases), which holds them all in memory "
            f"(about {total * BYTES_PER_ITEM / 1e9:.1f} GB); the limit is {MAX_ITEMS_IN_MEMORY:,} items"
        )
    releases = [
        RecordedRelease(r.release, tuple(stage.items(rank)), r.sequence) for rank, r in by_rank.items()
    ]
    timeline = build(releases, uri)
    stage.clear_facts()
    stage.add_facts(new_fact(f) for f in timeline.facts)
    return timeline.inferences
