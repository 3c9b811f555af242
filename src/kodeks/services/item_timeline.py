"""An item's history told as events in valid time: created, renamed, moved, changed, expired.

``queries.history`` gives every bitemporal record of a code. The records held at ``known_at`` are
the code's facts (one per valid period); comparing neighbouring facts tells what happened on each
boundary. Records superseded later in recorded time are kept apart: they are the corrections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kodeks.domain.item import Item
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
    held = sorted((r for r in records if _held(r, known_at)), key=lambda r: r.item.valid.start or date.min)
    superseded = tuple(
        sorted(
            (r for r in records if not _held(r, known_at)),
            key=lambda r: (r.recorded_from, r.item.valid.start or date.min),
        )
    )
    return ItemHistory(tuple(held), superseded, tuple(events([r.item for r in held], lang)))


def events(facts: list[Item], lang: str = "da") -> list[TimelineEvent]:
    """Events of consecutive facts (sorted by start): a gap between two is an expiry and a return."""
    out: list[TimelineEvent] = []
    previous: Item | None = None
    for fact in facts:
        if previous is None:
            out.append(TimelineEvent(fact.valid.start, EventKind.CREATED, fact, new=fact.title(lang)))
        elif previous.valid.end != fact.valid.start:
            out.append(
                TimelineEvent(previous.valid.end, EventKind.EXPIRED, previous, codes=previous.replaced_by)
            )
            out.append(TimelineEvent(fact.valid.start, EventKind.REINSTATED, fact, new=fact.title(lang)))
        else:
            out.extend(_differences(previous, fact, lang))
        previous = fact
    if previous is not None and previous.valid.end is not None:
        out.append(TimelineEvent(previous.valid.end, EventKind.EXPIRED, previous, codes=previous.replaced_by))
    return out


def _differences(old: Item, new: Item, lang: str) -> list[TimelineEvent]:
    day = new.valid.start
    found: list[TimelineEvent] = []
    if old.title(lang) != new.title(lang):
        found.append(TimelineEvent(day, EventKind.RENAMED, new, old=old.title(lang), new=new.title(lang)))
    if old.parent != new.parent:
        found.append(TimelineEvent(day, EventKind.MOVED, new, old=old.parent, new=new.parent))
    if not found and old.content() != new.content():
        found.append(TimelineEvent(day, EventKind.CHANGED, new))
    return found
