"""From releases to the valid-time timeline of a classification.

The rule (docs/time.md): for every valid date *t*, the governing release is the latest one (by
release date, then by the order it was recorded) whose window contains *t* — decided per level,
among the releases that speak for that level. A snapshot's window is
``[release_date, ∞)``; a history release's window is all of time. Before the first release of a
level nothing governs; there the first release, if a snapshot, speaks for those of its items that
state an earlier start of their own (a snapshot exported by Kodeks carries each code's lifespan).
Items of the governing release, clipped to the span it governs, are the facts for that span. The
result depends only on the *set* of releases, never on the order they were imported in.

Patches (edits published through the workflow) then apply in recording order: each replaces the
whole history of the codes it names.

Fields a release's format does not carry are inherited from the previous fact about the same code;
a code's UUID comes from the latest release that gives one, else it is derived (``item_uuid``).
Adjacent facts about a code with equal content are joined into one.

Where releases speak for only some levels, the structural rule (``structure``) then retires emptied
groups and infers missing parents, so that on no date an item is valid without its parent.

A code whose source lifespan is empty (created and retired on the same day) is kept as a fact with
that empty period: it is never valid on any date, but its registration is part of its history.

Finally every fact gets the code's **lifespan**: the unbroken run of valid time its facts cover
together (created → expired). ``Fact.item.valid`` is that lifespan — what a reader asks when they ask
"is this code valid, since when, until when" — and ``Fact.period`` the span over which this fact's
content (title, guidance, keywords …) holds: an attribute version. A new release that only changes
keywords therefore adds a version, never a new "valid from".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kodeks.domain.item import CONTENT_FIELDS, Item, item_uuid
from kodeks.domain.period import Period
from kodeks.domain.period_set import covering, union
from kodeks.domain.release import Release, ReleaseKind
from kodeks.domain.structure import Inference, Piece, settle


@dataclass(frozen=True, slots=True)
class RecordedRelease:
    """A release as recorded: its content and the sequence number it was recorded with."""

    release: Release
    items: tuple[Item, ...]
    sequence: int

    @property
    def rank(self) -> tuple[date, int]:
        return (self.release.release_date, self.sequence)


@dataclass(frozen=True, slots=True)
class Fact:
    """What the registry holds about one code over ``period``, and which release said it.

    ``item.valid`` is the code's lifespan around ``period`` (see the module text); ``period`` lies
    within it.
    """

    item: Item
    release: str
    period: Period

    @property
    def code(self) -> str:
        return self.item.code


@dataclass(frozen=True, slots=True)
class Timeline:
    """The facts of a classification and what the structural rule inferred to make them whole."""

    facts: list[Fact]
    inferences: list[Inference]


def governing_spans(releases: Sequence[RecordedRelease]) -> list[tuple[RecordedRelease, Period]]:
    """Split valid time into spans, each governed by one release."""
    if not releases:
        return []
    ordered = sorted(releases, key=lambda r: r.rank)
    histories = [r for r in ordered if r.release.kind is ReleaseKind.HISTORY]
    latest_history = histories[-1] if histories else None
    days = sorted({r.release.release_date for r in ordered})
    bounds: list[tuple[date | None, date | None]] = [(None, days[0])]
    bounds += [(day, days[i + 1] if i + 1 < len(days) else None) for i, day in enumerate(days)]
    spans: list[tuple[RecordedRelease, Period]] = []
    for start, end in bounds:
        candidates = [r for r in ordered if start is not None and r.release.release_date <= start]
        if latest_history is not None:
            candidates.append(latest_history)
        if not candidates:
            continue
        best = max(candidates, key=lambda r: r.rank)
        if spans and spans[-1][0] is best:
            spans[-1] = (best, Period(spans[-1][1].start, end))
        else:
            spans.append((best, Period(start, end)))
    return spans


def build_timeline(releases: Sequence[RecordedRelease], classification_uri: str) -> list[Fact]:
    """All facts of a classification, sorted by code and start of their period."""
    return build(releases, classification_uri).facts


def build(releases: Sequence[RecordedRelease], classification_uri: str) -> Timeline:
    """The timeline of ``releases``: facts with lifespans, and the structural inferences made."""
    plan = Plan(
        releases, {i.level for r in releases if r.release.kind is not ReleaseKind.PATCH for i in r.items}
    )
    said: dict[str, list[tuple[RecordedRelease, Item]]] = defaultdict(list)
    for recorded in releases:
        for item in recorded.items:
            said[item.code].append((recorded, item))
    uuids = {code: plan.source_uuid(s) for code, s in said.items()}
    merged = {code: plan.pieces(code, s, uuids[code], classification_uri) for code, s in said.items()}
    settled, inferences = settle(merged, plan.mixed)
    facts: list[Fact] = []
    for code in sorted(settled):
        facts.extend(plan.facts(code, settled[code], uuids.get(code), classification_uri))
    return Timeline(facts, inferences)


class Plan:
    """What the releases decide before any item is read: per level, which release governs when.

    The rule works code by code except for the structural rule (``settle``), so an import can feed
    one code's items at a time (``pieces`` then ``facts``) and hold only that code in memory; the
    structural rule changes nothing when ``mixed`` is empty and no fact is valid where its parent is
    not (``streaming_import`` checks that, and otherwise runs ``build`` over everything).
    """

    def __init__(self, releases: Sequence[RecordedRelease], levels: Iterable[int | None]) -> None:
        self.patches = sorted(
            (r for r in releases if r.release.kind is ReleaseKind.PATCH), key=lambda r: r.sequence
        )
        plain = [r for r in releases if r.release.kind is not ReleaseKind.PATCH]
        self.levels = tuple(levels)
        self._spans: dict[int | None, tuple[list[tuple[RecordedRelease, Period]], ...]] = {}
        #: per level: its place in ``levels``, whether it has a backfill, and all its spans in order
        self._ranked: dict[int | None, tuple[int, bool, list[tuple[RecordedRelease, Period]]]] = {}
        for n, level in enumerate(self.levels):
            spans = governing_spans([r for r in plain if r.release.covers(level)])
            self._spans[level] = (_backfill(spans), spans)
            if level not in self._ranked:  # (``levels.index``: the first place)
                self._ranked[level] = (n, bool(self._spans[level][0]), [*self._spans[level][0], *spans])
        self.mixed = _mixed({lv: s for lv, (_, s) in self._spans.items() if lv is not None})

    @staticmethod
    def source_uuid(said: Sequence[tuple[RecordedRelease, Item]]) -> Any:
        """The UUID of the latest release that gives one for this code (``None``: derive it)."""
        found = None
        for recorded, item in sorted(said, key=lambda p: p[0].rank) if len(said) > 1 else said:
            if "uuid" in recorded.release.fields and item.uuid is not None:
                found = item.uuid
        return found

    def pieces(
        self,
        code: str,
        said: Sequence[tuple[RecordedRelease, Item]],
        source_uuid: Any,
        classification_uri: str,
    ) -> list[Piece]:
        """One code's pieces from what each release said of it: clipped to the spans its release
        governs, patches applied, inherited fields filled in (before the structural rule)."""
        keyed: list[tuple[tuple[int, int, int], tuple[Period, Item, RecordedRelease]]] = []
        for n, (recorded, item) in enumerate(said):
            if recorded.release.kind is ReleaseKind.PATCH:
                continue
            place, backfill, spans = self._ranked[item.level]
            for k, (governing, span) in enumerate(spans):
                if governing is not recorded or (backfill and k == 0 and item.valid.start is None):
                    continue  # before its release, only an item that states its own start speaks
                period = item.valid.intersect(span)
                if period is None and _registered_only(item.valid, span):
                    period = item.valid
                if period is not None:
                    keyed.append(((place, k, n), (period, item, recorded)))
        keyed.sort(key=lambda p: p[0])
        found = [piece for _, piece in keyed]
        for patch in self.patches:
            named = [item for recorded, item in said if recorded is patch]
            if named:
                found = [(i.valid, i, patch) for i in named if i.properties.get("withdrawn") != "true"]
        return _merge_code(code, found, source_uuid, classification_uri) if found else []

    @staticmethod
    def facts(code: str, pieces: list[Piece], source_uuid: Any, classification_uri: str) -> list[Fact]:
        """One code's facts from its settled pieces: equal neighbours joined, lifespans set."""
        return _with_lifespans(_coalesce(pieces, source_uuid, classification_uri, code))


def _registered_only(valid: Period, span: Period) -> bool:
    """An empty lifespan ``[d, d)`` on a day ``span`` governs: a code created and retired on one day
    (KLE has 119). It is never valid, but it was registered, so it is kept as a fact with an empty
    period: no read on a date serves it, its history does."""
    return valid.is_empty and valid.start is not None and span.contains(valid.start)


def _backfill(spans: list[tuple[RecordedRelease, Period]]) -> list[tuple[RecordedRelease, Period]]:
    """Before the first release of a level nothing governs it; the first release, a snapshot, speaks
    there for the items that state an earlier start of their own (an export of Kodeks at a date
    carries each code's lifespan), so a re-import keeps the codes' lifespans."""
    if not spans or spans[0][1].start is None or spans[0][0].release.kind is not ReleaseKind.SNAPSHOT:
        return []
    return [(spans[0][0], Period(None, spans[0][1].start))]


def _mixed(spans_by_level: dict[int, list[tuple[RecordedRelease, Period]]]) -> dict[int, list[Period]]:
    """Per level, where it and the level below it are governed by different releases."""
    out: dict[int, list[Period]] = {}
    for level, spans in spans_by_level.items():
        below = spans_by_level.get(level + 1, [])
        found = [
            both
            for upper, s1 in spans
            for lower, s2 in below
            if upper is not lower and (both := s1.intersect(s2)) is not None
        ]
        if found:
            out[level] = union(found)
    return out


def _merge_code(
    code: str, pieces: list[tuple[Period, Item, RecordedRelease]], source_uuid: Any, classification_uri: str
) -> list[Piece]:
    """One code's pieces in order, with inherited fields filled in and its UUID set."""
    pieces.sort(key=lambda p: (p[0].start is not None, p[0].start or date.min))
    out: list[Piece] = []
    previous: Item | None = None
    for period, item, recorded in pieces:
        missing = CONTENT_FIELDS - recorded.release.fields - {"uuid"}
        inherited = {name: getattr(previous, name) for name in missing} if previous is not None else {}
        uuid = item.uuid if "uuid" in recorded.release.fields and item.uuid else None
        uuid = uuid or source_uuid or item_uuid(classification_uri, code)
        item = replace(item, valid=period, uuid=uuid, **inherited)  # one copy: replace is costly
        out.append(Piece(period, item, recorded.release.label))
        previous = item
    return out


def _coalesce(pieces: list[Piece], source_uuid: Any, classification_uri: str, code: str) -> list[Piece]:
    """Adjacent pieces with equal content become one (the first one's release names it)."""
    out: list[Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.period.start is not None, p.period.start or date.min)):
        item = piece.item
        if item.uuid is None:  # (a UUID is derived only where needed: uuid5 is costly per row)
            item = replace(item, uuid=source_uuid or item_uuid(classification_uri, code))
        last = out[-1] if out else None
        if last is not None and last.period.meets(piece.period) and last.item.content() == item.content():
            out[-1] = Piece(Period(last.period.start, piece.period.end), last.item, last.release)
        else:
            out.append(Piece(piece.period, item, piece.release))
    return out


def _with_lifespans(pieces: list[Piece]) -> list[Fact]:
    """Each piece as a fact whose item's validity is the unbroken run of time the pieces cover."""
    if len(pieces) == 1 and not pieces[0].period.is_empty:  # most codes: the lifespan is the period
        p = pieces[0]
        return [
            Fact(p.item if p.item.valid == p.period else p.item.with_valid(p.period), p.release, p.period)
        ]
    runs = union(p.period for p in pieces)
    facts: list[Fact] = []
    for p in pieces:
        day = p.period.start
        life = covering(runs, day) if day is not None else runs[0]
        life = life or p.period
        facts.append(Fact(p.item if p.item.valid == life else p.item.with_valid(life), p.release, p.period))
    return facts


def lifespans(facts: Iterable[Fact]) -> list[Period]:
    """The distinct lifespans among the facts of one code, oldest first."""
    return union(f.item.valid for f in facts)


def state_at(facts: Iterable[Fact], day: date) -> dict[str, Item]:
    """The items valid on ``day``, by code (each with the content that holds on that day)."""
    return {f.item.code: f.item for f in facts if f.period.contains(day)}


def fact_at(facts: Iterable[Fact], day: date) -> Fact | None:
    """The fact whose period holds ``day``."""
    return next((f for f in facts if f.period.contains(day)), None)
