"""Importing a file: parse, check, and record every bundle in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from kodeks.domain.classification import BASE_URI, Classification
from kodeks.domain.codec import content_digest, fingerprint_of, item_to_dict
from kodeks.domain.hierarchy import Problem, check_items
from kodeks.domain.release import Bundle, Release
from kodeks.domain.structure import Inference
from kodeks.domain.timeline import Fact, RecordedRelease, build
from kodeks.errors import (
    Conflict,
    ImportError_,
    InputTooLarge,
    InvalidContent,
    InvalidRequest,
    MalformedInput,
)
from kodeks.services.clock import Clock, next_recorded_at, utcnow
from kodeks.services.ports import (
    FormatCatalog,
    Importer,
    ImportOptions,
    NewFact,
    ReadsWhole,
    Registration,
    UnitOfWork,
    UnitOfWorkFactory,
)
from kodeks.services.stream_ports import StreamingImporter

Progress = Callable[[str], None]
#: Called inside the import's transaction after each classification is recorded (search index,
#: change feeds); an exception aborts the whole import.
Listener = Callable[[UnitOfWork, "ImportReport"], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one bundle's import did. ``already`` names the version that holds the same content when
    nothing was recorded; ``inferences`` lists what the structural rule inferred (``domain.structure``);
    ``date_source`` where the release date came from (``None``: the user gave it)."""

    classification_id: str
    release_label: str
    release_date: date
    format: str
    items: int
    inserted: int
    closed: int
    recorded_at: datetime
    already: str | None = None
    inferences: tuple[Inference, ...] = ()
    date_source: str | None = None
    warnings: tuple[str, ...] = ()  # what the importer tolerated or decided (``Bundle.warnings``)

    def describe(self) -> str:
        """One line for people: what was recorded, or that nothing was."""
        if self.already is not None:
            return (
                f"{self.classification_id}: already imported as version {self.already!r} "
                f"({self.release_date}); nothing recorded"
            )
        said = f"; release date from the file's {self.date_source}" if self.date_source else ""
        inferred = f"; {len(self.inferences)} structural inference(s)" if self.inferences else ""
        return (
            f"{self.classification_id} {self.release_label}: {self.items} items, "
            f"{self.inserted} facts recorded, {self.closed} closed{said}{inferred}"
        )


def read_bundles(
    formats: FormatCatalog,
    data: bytes,
    source: str,
    *,
    format: str | None = None,
    options: ImportOptions | None = None,
    max_bytes: int | None = None,
    memory_budget: int | None = None,
) -> tuple[str, list[Bundle]]:
    """Parse ``data`` into checked bundles; raises an ``ImportError_`` naming file, place, problem.
    With ``memory_budget`` (bytes), a file its format would need more memory than that to read is
    refused before it is parsed (``check_memory``)."""
    importer = pick_importer(formats, data, source, format=format, max_bytes=max_bytes)
    if memory_budget is not None:
        check_memory(importer, len(data), memory_budget, source)
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
            raise refusal(problems, len(problems), source)
        if not bundle.items:
            raise InvalidContent(f"classification {bundle.classification.id!r} has no items", source=source)
    return importer.name, bundles


def pick_importer(
    formats: FormatCatalog,
    data: bytes,
    source: str,
    *,
    format: str | None = None,
    max_bytes: int | None = None,
) -> Importer:
    """The importer named, else the one that recognises the file; a file over ``max_bytes`` is refused."""
    if max_bytes is not None and len(data) > max_bytes:
        raise InputTooLarge(f"file is {len(data):,} bytes; the limit is {max_bytes:,}", source=source)
    return formats.importer(format) if format else formats.detect(data[:8192], source)


MiB = 1024 * 1024


def check_memory(importer: Importer, size: int, budget: int, source: str) -> None:
    """``InputTooLarge`` when ``importer`` reads files whole and one of ``size`` bytes would need more
    than ``budget`` bytes of memory (its measured factor times the size); streaming importers pass."""
    if isinstance(importer, ReadsWhole) and size * importer.memory_factor > budget:
        advice = " Convert the file to Kodeks CSV (format csv), which streams, or raise the budget"
        raise memory_refusal(importer.name, size, importer.memory_factor, budget, source, advice)


def memory_refusal(what: str, size: int, factor: int, budget: int, source: str, advice: str) -> InputTooLarge:
    """The one line that refuses a file read whole for the memory it would need: format, size, need,
    budget and the setting, then ``advice`` (what to do instead)."""
    need = size * factor
    return InputTooLarge(
        f"this {what} file of {_mib(size)} needs about {_mib(need)} of memory to import "
        f"(it is read whole, about {factor} times its size); the import memory budget is "
        f"{_mib(budget)} (KODEKS_IMPORT_MEMORY_MB).{advice}",
        source=source,
        format=what,
        size=size,
        needed=need,
        budget=budget,
    )


def _mib(size: int) -> str:
    return f"{size / MiB:.2f} MiB" if size < 10 * MiB else f"{size / MiB:,.0f} MiB"


def refusal(problems: Sequence[Problem], total: int, source: str) -> InvalidContent:
    """The error for a release that breaks the structural rules: the first five problems of ``total``."""
    shown = "; ".join(p.message for p in problems[:5])
    more = f" (and {total - 5} more)" if total > 5 else ""
    return InvalidContent(
        f"{total} problem(s): {shown}{more}",
        source=source,
        location=f"code {problems[0].code}",
        problems=[p.message for p in problems[:50]],
    )


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
    memory_budget: int | None = None,
    clock: Clock = utcnow,
    actor: str | None = None,
    progress: Progress | None = None,
    listeners: Sequence[Listener] = (),
    base_uri: str = BASE_URI,
) -> list[ImportReport]:
    """Import a file as a new release of each classification it holds. All or nothing.

    A classification new to the registry gets its identity here, ``{base_uri}{id}``; a URI the file
    gives it is kept as its source (``source_uri``) and never reused as its identity, so a copy
    imported under another id is another dataset. ``memory_budget`` (bytes) bounds the memory of a
    format read whole (``check_memory``); a streaming import is not bounded by it.
    """
    say = progress or (lambda _msg: None)
    say("parsing")
    importer = pick_importer(formats, data, source, format=format, max_bytes=max_bytes)
    if memory_budget is not None:
        check_memory(importer, len(data), memory_budget, source)
    if isinstance(importer, StreamingImporter):
        from kodeks.services.streaming_import import import_stream

        streamed = import_stream(
            uow_factory,
            lambda: importer.stream(data, source, options or ImportOptions()),
            importer.name,
            source,
            release_label=release_label,
            release_date=release_date,
            clock=clock,
            actor=actor,
            progress=say,
            listeners=listeners,
            base_uri=base_uri,
        )
        if streamed is not None:
            return streamed
    format_name, bundles = read_bundles(
        formats, data, source, format=importer.name, options=options, max_bytes=max_bytes
    )
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
            uow.lock(f"classification:{bundle.classification.id}")
            bundle = replace(
                bundle, classification=own_identity(uow, bundle.classification, base_uri, recorded_at)
            )
            digest = content_digest(release, bundle.levels, bundle.items)
            same = uow.release_by_digest(bundle.classification.id, digest)
            if same is not None:
                reports.append(already_report(bundle, release, same.release, label, format_name, recorded_at))
                continue
            say(f"recording {bundle.classification.id} {release.label}")
            date_source = bundle.date_source if release_date is None else None
            report = record_release(uow, bundle, release, recorded_at, digest, format_name, actor)
            report = replace(report, date_source=date_source, warnings=bundle.warnings)
            for listener in listeners:
                listener(uow, report)
            reports.append(report)
        if any(r.already is None for r in reports):
            uow.commit()
    return reports


def own_identity(uow: UnitOfWork, c: Classification, base_uri: str, now: datetime) -> Classification:
    """The classification with this registry's URI: the one it was first recorded with, else a new one."""
    held = uow.classification(c.id, now)
    mine = held.uri if held is not None and held.uri else f"{base_uri}{c.id}"
    source = c.source_uri or (c.uri if c.uri != mine else None)
    return replace(c, uri=mine, source_uri=source)


def already_report(
    bundle: Bundle,
    release: Release,
    held: Release,
    label: str | None,
    format_name: str,
    recorded_at: datetime,
    items: int | None = None,
) -> ImportReport:
    """The report for content Kodeks holds already; a different label asked for it is a conflict."""
    cid = bundle.classification.id
    if label is not None and label != held.label:
        raise Conflict(
            f"{cid}: this content is already imported as version {held.label!r} ({held.release_date}); "
            f"Kodeks does not record it again as {label!r}",
            classification=cid,
            version=held.label,
        )
    count = len(bundle.items) if items is None else items
    return ImportReport(
        cid, held.label, release.release_date, format_name, count, 0, 0, recorded_at, held.label
    )


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
    timeline = build(releases, bundle.classification.canonical_uri)
    current = uow.current_fingerprints(cid)
    new: dict[str, NewFact] = {}
    for f in timeline.facts:
        fact = new_fact(f)
        new[fact.fingerprint] = fact
    closed = [rid for fp, rid in current.items() if fp not in new]
    inserted = [n for fp, n in new.items() if fp not in current]
    uow.close_records(closed, recorded_at)
    uow.insert_facts(cid, inserted, recorded_at)
    summary = summarize(
        release, len(bundle.items), len(inserted), len(closed), format_name, timeline.inferences
    )
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
        inferences=tuple(timeline.inferences),
    )


def new_fact(f: Fact) -> NewFact:
    """A fact ready to record: its dict form and its fingerprint, computed once."""
    data = item_to_dict(f.item)
    # A row is its content, its lifespan (in ``data``) and the period it holds: a change in any of
    # them is a new registration. A later release that says the same is not recorded again (the
    # row keeps the release that first said it), so change feeds show what changed, not who said it.
    return NewFact(fingerprint_of({**data, "period": [str(f.period.start), str(f.period.end)]}), f, data)


def summarize(
    release: Release,
    items: int,
    inserted: int,
    closed: int,
    format_name: str,
    inferences: Sequence[Inference],
) -> dict[str, int | str]:
    """The registration's summary of an import."""
    summary: dict[str, int | str] = {
        "release": release.label,
        "items": items,
        "inserted": inserted,
        "closed": closed,
        "format": format_name,
    }
    for kind in sorted({str(i.kind) for i in inferences}):
        summary[f"inferred_{kind}"] = sum(1 for i in inferences if str(i.kind) == kind)
    return summary
