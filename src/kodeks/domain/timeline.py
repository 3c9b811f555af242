"""From releases to the valid-time timeline of a classification.

The rule (docs/time.md): for every valid date *t*, the governing release is the latest one (by
release date, then by the order it was recorded) whose window contains *t* — decided per level,
among the releases that speak for that level. A snapshot's window is
``[release_date, ∞)``; a history release's window is all of time. Items of the governing release,
clipped to the span it governs, are the facts for that span. The result depends only on the *set*
of releases, never on the order they were imported in.

Patches (edits published through the workflow) then apply in recording order: each replaces the
whole history of the codes it names.

Fields a release's format does not carry are inherited from the previous fact about the same code;
a code's UUID comes from the latest release that gives one, else it is derived (``item_uuid``).
Adjacent facts about a code with equal content are joined into one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kodeks.domain.item import CONTENT_FIELDS, Item, item_uuid
from kodeks.domain.period import Period
from kodeks.domain.release import Release, ReleaseKind


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
    """What the registry holds about one code over ``item.valid``, and which release said it."""

    item: Item
    release: str


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
    """All facts of a classification, sorted by code and start of validity."""
    source_uuids: dict[str, Any] = {}
    for recorded in sorted(releases, key=lambda r: r.rank):
        if "uuid" in recorded.release.fields:
            for item in recorded.items:
                if item.uuid is not None:
                    source_uuids[item.code] = item.uuid
    pieces: dict[str, list[tuple[Period, Item, RecordedRelease]]] = defaultdict(list)
    patches = sorted((r for r in releases if r.release.kind is ReleaseKind.PATCH), key=lambda r: r.sequence)
    releases = [r for r in releases if r.release.kind is not ReleaseKind.PATCH]
    levels = {item.level for recorded in releases for item in recorded.items}
    for level in levels:
        speaking = [r for r in releases if r.release.covers(level)]
        for recorded, span in governing_spans(speaking):
            for item in recorded.items:
                if item.level != level:
                    continue
                period = item.valid.intersect(span)
                if period is not None:
                    pieces[item.code].append((period, item, recorded))
    for patch in patches:
        named: dict[str, list[tuple[Period, Item, RecordedRelease]]] = defaultdict(list)
        for item in patch.items:
            if item.properties.get("withdrawn") != "true":
                named[item.code].append((item.valid, item, patch))
            else:
                named.setdefault(item.code, [])
        for code, replacement in named.items():
            if replacement:
                pieces[code] = replacement
            else:
                pieces.pop(code, None)
    facts: list[Fact] = []
    for code in sorted(pieces):
        facts.extend(_facts_for_code(code, pieces[code], source_uuids.get(code), classification_uri))
    return facts


def _facts_for_code(
    code: str, pieces: list[tuple[Period, Item, RecordedRelease]], source_uuid: Any, classification_uri: str
) -> Iterable[Fact]:
    pieces.sort(key=lambda p: (p[0].start is not None, p[0].start or date.min))
    out: list[Fact] = []
    previous: Item | None = None
    for period, item, recorded in pieces:
        missing = CONTENT_FIELDS - recorded.release.fields - {"uuid"}
        if previous is not None and missing:
            item = replace(item, **{name: getattr(previous, name) for name in missing})
        uuid = item.uuid if "uuid" in recorded.release.fields and item.uuid else None
        item = replace(item, valid=period, uuid=uuid or source_uuid or item_uuid(classification_uri, code))
        last = out[-1].item if out else None
        if last is not None and last.valid.meets(period) and last.content() == item.content():
            out[-1] = Fact(last.with_valid(Period(last.valid.start, period.end)), out[-1].release)
        else:
            out.append(Fact(item, recorded.release.label))
        previous = item
    return out


def state_at(facts: Iterable[Fact], day: date) -> dict[str, Item]:
    """The items valid on ``day``, by code."""
    return {f.item.code: f.item for f in facts if f.item.valid.contains(day)}
