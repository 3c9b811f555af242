"""An item's history told as events in valid time: created, renamed, moved, changed, expired.

``queries.history`` gives every bitemporal record of a code. The records held at ``known_at`` are
the code's facts (one per valid period); comparing neighbouring facts tells what happened on each
boundary. Records superseded later in recorded time are kept apart: they are the corrections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kodeks.domain.changes import same_title
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.services.ports import ItemRecord


class EventKind(StrEnum):
    CREATED = "created"
    RENAMED = "renamed"
    MOVED = "moved"
    CHANGED = "changed"
    EXPIRED = "expired"
    REINSTATED = "reinstated"


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """``day`` is ``None`` for "since always"; ``old``/``new`` hold titles (renamed) or parents (moved);
    ``codes`` the successors named when the code expired."""

    day: date | None
    kind: EventKind
    item: Item
    old: str | None = None
    new: str | None = None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemHistory:
    facts: tuple[ItemRecord, ...]  # held at known_at, oldest valid period first
    superseded: tuple[ItemRecord, ...]  # records replaced later in recorded time (corrections)
    events: tuple[TimelineEvent, ...]


def _held(record: ItemRecord, known_at: datetime) -> bool:
    return record.recorded_from <= known_at and (record.recorded_to is None or record.recorded_to > known_at)


def item_history(records: list[ItemRecord], known_at: datetime, lang: str = "da") -> ItemHistory:
    held = sorted((r for r in records if _held(r, known_at)), key=lambda r: r.period.start or date.min)
    superseded = tuple(
        sorted(
            (r for r in records if not _held(r, known_at)),
            key=lambda r: (r.recorded_from, r.period.start or date.min),
        )
    )
    return ItemHistory(tuple(held), superseded, tuple(events([(r.period, r.item) for r in held], lang)))


def events(facts: list[tuple[Period, Item]], lang: str = "da") -> list[TimelineEvent]:
    """Events of consecutive facts (period, item), sorted by start: a gap between two is an expiry
    and a return; a change of content within one lifespan is a rename, move or change."""
    out: list[TimelineEvent] = []
    previous: tuple[Period, Item] | None = None
    for period, fact in facts:
        if previous is None:
            out.append(TimelineEvent(period.start, EventKind.CREATED, fact, new=fact.title(lang)))
        elif previous[0].end != period.start:
            gone = previous[1]
            out.append(TimelineEvent(previous[0].end, EventKind.EXPIRED, gone, codes=gone.replaced_by))
            out.append(TimelineEvent(period.start, EventKind.REINSTATED, fact, new=fact.title(lang)))
        else:
            out.extend(_differences(previous[1], fact, period.start, lang))
        previous = (period, fact)
    if previous is not None and previous[0].end is not None:
        gone = previous[1]
        out.append(TimelineEvent(previous[0].end, EventKind.EXPIRED, gone, codes=gone.replaced_by))
    return out


def _differences(old: Item, new: Item, day: date | None, lang: str) -> list[TimelineEvent]:
    found: list[TimelineEvent] = []
    if not same_title(old.title(lang), new.title(lang)):
        found.append(TimelineEvent(day, EventKind.RENAMED, new, old=old.title(lang), new=new.title(lang)))
    if set(old.parents) != set(new.parents):  # every parent counts in a polyhierarchy
        before, after = ", ".join(old.parents) or None, ", ".join(new.parents) or None
        found.append(TimelineEvent(day, EventKind.MOVED, new, old=before, new=after))
    if not found and old.content() != new.content():
        found.append(TimelineEvent(day, EventKind.CHANGED, new))
    return found
