"""Change feeds: what was recorded since a time, in a total order, paged with an opaque cursor.

Every bitemporal row gives up to two events: *recorded* at its ``recorded_from`` (Kodeks now holds
this fact) and *superseded* at its ``recorded_to`` (Kodeks no longer holds it). An event's key is
``(time, source, row, kind)``: the recorded time, the table it comes from, the row id and the kind
(0 recorded, 1 superseded). Keys are unique and totally ordered, so a page ends at a key and the next
page starts strictly after it. A cursor is that key, bound to the feed it belongs to (``scope``),
encoded so consumers treat it as opaque.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

RECORDED = 0
SUPERSEDED = 1
KIND_NAMES = {RECORDED: "recorded", SUPERSEDED: "superseded"}
#: Sorts after every real source tag: the start position "just after ``since``".
AFTER_ALL_SOURCES = "~"
MAX_PAGE = 1000


@dataclass(frozen=True, slots=True, order=True)
class FeedKey:
    time: datetime
    source: str
    row: int
    kind: int

    @classmethod
    def after(cls, since: datetime) -> FeedKey:
        """The position after every event recorded at or before ``since``."""
        return cls(since, AFTER_ALL_SOURCES, 0, 0)


@dataclass(frozen=True, slots=True)
class FeedEvent:
    key: FeedKey
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return KIND_NAMES[self.key.kind]


def encode_cursor(scope: str, key: FeedKey) -> str:
    raw = json.dumps(
        {"v": 1, "s": scope, "t": key.time.isoformat(), "src": key.source, "r": key.row, "k": key.kind},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(scope: str, cursor: str) -> FeedKey:
    """The key in ``cursor``; ``ValueError`` if it is malformed or belongs to another feed."""
    if len(cursor) > 512:
        raise ValueError("the cursor is too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError("the cursor is not one this feed handed out") from None
    if not isinstance(data, dict) or data.get("v") != 1:
        raise ValueError("the cursor is not one this feed handed out")
    if data.get("s") != scope:
        raise ValueError("the cursor belongs to another feed")
    try:
        time = datetime.fromisoformat(data["t"])
        source, row, kind = data["src"], data["r"], data["k"]
    except (KeyError, TypeError, ValueError):
        raise ValueError("the cursor is not one this feed handed out") from None
    if time.tzinfo is not None or not isinstance(source, str) or len(source) > 40:
        raise ValueError("the cursor is not one this feed handed out")
    if not isinstance(row, int) or not isinstance(kind, int) or kind not in (0, 1) or row < 0:
        raise ValueError("the cursor is not one this feed handed out")
    return FeedKey(time, source, row, kind)


@dataclass(frozen=True, slots=True)
class FeedPage:
    events: tuple[FeedEvent, ...]
    next_key: FeedKey
    has_more: bool


def merge(sources: Iterable[Sequence[FeedEvent]], start: FeedKey, limit: int) -> FeedPage:
    """The first ``limit`` events after ``start`` of several sorted sources.

    Each source must hold its ``limit + 1`` first events after ``start`` (or all it has), sorted.
    """
    merged = list(heapq.merge(*sources, key=lambda e: e.key))
    page = [e for e in merged if e.key > start][: limit + 1]
    has_more = len(page) > limit
    page = page[:limit]
    return FeedPage(tuple(page), page[-1].key if page else start, has_more)
