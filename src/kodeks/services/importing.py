"""Importing a file: parse, check, and record every bundle in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from kodeks.domain.codec import fingerprint_of, item_to_dict
from kodeks.domain.hierarchy import check_items
from kodeks.domain.release import Bundle, Release
from kodeks.domain.timeline import RecordedRelease, build_timeline
from kodeks.errors import ImportError_, InputTooLarge, InvalidContent, InvalidRequest, MalformedInput
from kodeks.services.clock import Clock, next_recorded_at, utcnow
from kodeks.services.ports import (
    FormatCatalog,
    ImportOptions,
    NewFact,
    Registration,
    UnitOfWork,
    UnitOfWorkFactory,
)

Progress = Callable[[str], None]
#: Called inside the import's transaction after each classification is recorded (search index,
#: change feeds); an exception aborts the whole import.
Listener = Callable[[UnitOfWork, "ImportReport"], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    classification_id: str
    release_label: str
    release_date: date
    format: str
    items: int
    inserted: int
    closed: int
    recorded_at: datetime


def read_bundles(
    formats: FormatCatalog,
    data: bytes,
    source: str,
    *,
    format: str | None = None,
    options: ImportOptions | None = None,
    max_bytes: int | None = None,
) -> tuple[str, list[Bundle]]:
    """Parse ``data`` into checked bundles; raises an ``ImportError_`` naming file, place, problem."""
    if max_bytes is not None and len(data) > max_bytes:
        raise InputTooLarge(f"file is {len(data):,} bytes; the limit is {max_bytes:,}", source=source)
    importer = formats.importer(format) if format else formats.detect(data[:8192], source)
    options = options or ImportOptions()
    try:
        bundles = importer.read(data, source, options)
    except ImportError_:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise MalformedInput(f"cannot be read as {importer.name}: {exc}", source=source) from exc
    if not bundles:
        raise InvalidContent("no classification found in the file", source=source)
    if options.classification:
        first = bundles[0]
        bundles[0] = replace(first, classification=replace(first.classification, id=options.classification))
    for bundle in bundles:
        problems = check_items(bundle.items, external_parents=bundle.levels_covered is not None)
        if problems:
            shown = "; ".join(p.message for p in problems[:5])
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise InvalidContent(
                f"{len(problems)} problem(s): {shown}{more}",
                source=source,
                location=f"code {problems[0].code}",
                problems=[p.message for p in problems[:50]],
            )
        if not bundle.items:
            raise InvalidContent(f"classification {bundle.classification.id!r} has no items", source=source)
    return importer.name, bundles


def import_data(
    uow_factory: UnitOfWorkFactory,
    formats: FormatCatalog,
    data: bytes,
    source: str,
    *,
    format: str | None = None,
    options: ImportOptions | None = None,
    release_label: str | None = None,
    release_date: date | None = None,
    max_bytes: int | None = None,
    clock: Clock = utcnow,
    actor: str | None = None,
    progress: Progress | None = None,
    listeners: Sequence[Listener] = (),
) -> list[ImportReport]:
    """Import a file as a new release of each classification it holds. All or nothing."""
    say = progress or (lambda _msg: None)
    say("parsing")
    format_name, bundles = read_bundles(
        formats, data, source, format=format, options=options, max_bytes=max_bytes
    )
    digest = hashlib.sha256(data).hexdigest()
    reports: list[ImportReport] = []
    with uow_factory() as uow:
        recorded_at = next_recorded_at(clock, uow.last_recorded_at())
        for index, bundle in enumerate(bundles):
            label = release_label if index == 0 else None
            try:
                release = bundle.release(label, release_date)
            except ValueError:
                raise InvalidRequest(
                    f"{source}: the file gives no release date for "
                    f"{bundle.classification.id!r}; pass a release date (--release-date)"
                ) from None
            say(f"recording {bundle.classification.id} {release.label}")
            uow.lock(f"classification:{bundle.classification.id}")
            report = record_release(uow, bundle, release, recorded_at, digest, format_name, actor)
            for listener in listeners:
                listener(uow, report)
            reports.append(report)
        uow.commit()
    return reports


def record_release(
    uow: UnitOfWork,
    bundle: Bundle,
    release: Release,
    recorded_at: datetime,
    digest: str | None,
    format_name: str,
    actor: str | None,
    *,
    action: str = "import",
    note: str | None = None,
) -> ImportReport:
    """Record ``release`` of ``bundle`` as one registration: the release, the rebuilt timeline, the closed
    and inserted item records. Imports use it, and so does publishing a change set (``action="publish"``,
    a ``ReleaseKind.PATCH`` release, ``note`` the publisher's note instead of the source file)."""
    cid = bundle.classification.id
    uow.record_classification(bundle.classification, recorded_at)
    sequence = uow.add_release(cid, release, bundle.levels, bundle.items, recorded_at, digest)
    releases = [r for r in uow.release_contents(cid, except_sequence=sequence)]
    releases.append(RecordedRelease(release, bundle.items, sequence))
    facts = build_timeline(releases, bundle.classification.canonical_uri)
    current = uow.current_fingerprints(cid)
    new: dict[str, NewFact] = {}
    for f in facts:
        data = item_to_dict(f.item)
        fp = fingerprint_of(data)
        new[fp] = NewFact(fp, f, data)
    closed = [rid for fp, rid in current.items() if fp not in new]
    inserted = [n for fp, n in new.items() if fp not in current]
    uow.close_records(closed, recorded_at)
    uow.insert_facts(cid, inserted, recorded_at)
    summary: dict[str, int | str] = {
        "release": release.label,
        "items": len(bundle.items),
        "inserted": len(inserted),
        "closed": len(closed),
        "format": format_name,
    }
    note = bundle.source if note is None else note
    registration = Registration(cid, recorded_at, action, actor, note, summary)
    uow.add_registration(registration, sequence)
    return ImportReport(
        cid,
        release.label,
        release.release_date,
        format_name,
        len(bundle.items),
        len(inserted),
        len(closed),
        recorded_at,
    )
