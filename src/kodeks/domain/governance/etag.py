"""Version tags (ETags) for optimistic concurrency.

- a classification's tag names its latest registration (every recorded change makes a new one);
- an item's tag is a hash of the fingerprints of its current records (all its valid periods);
- a change set's tag is its id and revision; a draft entry's tag is its change set, code and revision.

A write carries the tag it read (``If-Match``); a different current tag means someone changed it since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def classification_etag(classification_id: str, head: str) -> str:
    return "c-" + _digest(classification_id, head)


def item_etag(classification_id: str, code: str, fingerprints: Iterable[str]) -> str:
    return "i-" + _digest(classification_id, code, *sorted(fingerprints))


def change_set_etag(change_set_id: int, revision: int) -> str:
    return f"cs-{change_set_id}-{revision}"


def entry_etag(change_set_id: int, code: str, revision: int) -> str:
    return "e-" + _digest(str(change_set_id), code, str(revision))
