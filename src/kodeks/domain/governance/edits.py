"""What an edit does to a code's history, and the rules a published state must keep.

An *upsert* keeps everything the code said before the change set's effective date ``D`` and states
the new content from ``D`` on (to the item's own ``valid_to``, open by default). An *expire* sets the
end of the code's open validity, and a *link* names the successors of a code that has expired — the
two changes allowed to what published versions say. The result is the code's whole new history,
which a patch release records (``ReleaseKind.PATCH``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from kodeks.domain.governance.changeset import Entry, EntryOp, RuleError
from kodeks.domain.item import Item
from kodeks.domain.period import Period

MAX_CODE = 200
_BAD_CODE = re.compile(r"[\s/?#\\%\x00-\x1f\x7f]")


class FrozenError(RuleError):
    """The edit would change what a published version says."""


class InvalidEdit(RuleError):
    """The edit itself is malformed (a bad code, an end before the start, ...)."""


def check_code(code: str) -> str:
    """A code as it may be written in a URL path: 1-200 characters, no spaces, slashes or controls."""
    if not code or len(code) > MAX_CODE or _BAD_CODE.search(code):
        raise InvalidEdit(
            f"invalid code {code[:MAX_CODE]!r}: 1-{MAX_CODE} characters, no spaces, "
            "control characters or / ? # \\ %"
        )
    return code


def check_not_frozen(effective: date, latest_version: date | None) -> None:
    if latest_version is not None and effective < latest_version:
        day = latest_version.isoformat()
        raise FrozenError(
            f"versions up to {day} are published and frozen; an edit may take effect "
            f"on {day} or later, not {effective.isoformat()}"
        )


def _start(item: Item) -> date:
    return item.valid.start or date.min


def apply_entry(history: Sequence[Item], entry: Entry, effective: date) -> tuple[Item, ...]:
    """The code's new history (sorted by start) after ``entry``; ``history`` is its current facts."""
    ordered = sorted(history, key=_start)
    if entry.op is EntryOp.DROP:
        return tuple(ordered)
    if entry.op is EntryOp.EXPIRE:
        return _expire(ordered, entry)
    if entry.op is EntryOp.LINK:
        return _link(ordered, entry, effective)
    assert entry.item is not None
    new = entry.item
    kept: list[Item] = []
    for fact in ordered:
        if fact.valid.end is not None and fact.valid.end <= effective:
            kept.append(fact)
        elif fact.valid.start is None or fact.valid.start < effective:
            kept.append(fact.with_valid(Period(fact.valid.start, effective)))
    start = effective if ordered else max(effective, new.valid.start or effective)
    if new.valid.end is not None and new.valid.end <= start:
        raise InvalidEdit(f"{entry.code}: valid_to {new.valid.end} is not after the start {start}")
    uuid = new.uuid or next((f.uuid for f in reversed(ordered) if f.uuid is not None), None)
    kept.append(replace(new, code=entry.code, uuid=uuid, valid=Period(start, new.valid.end)))
    return tuple(kept)


def _expire(ordered: list[Item], entry: Entry) -> tuple[Item, ...]:
    assert entry.valid_to is not None
    open_facts = [f for f in ordered if f.valid.end is None]
    if not open_facts:
        raise FrozenError(f"{entry.code} has no open validity; only an open valid_to may be set")
    last = open_facts[-1]
    if last.valid.start is not None and entry.valid_to <= last.valid.start:
        raise InvalidEdit(
            f"{entry.code}: valid_to {entry.valid_to} must be after its start {last.valid.start}"
        )
    return tuple(f.with_valid(Period(f.valid.start, entry.valid_to)) if f is last else f for f in ordered)


def _link(ordered: list[Item], entry: Entry, effective: date) -> tuple[Item, ...]:
    """The successors go on the last fact that ended by ``effective`` (what the code said when it ended)."""
    assert entry.item is not None
    ended = [f for f in ordered if f.valid.end is not None and f.valid.end <= effective]
    if not ended:
        raise InvalidEdit(f"{entry.code} has not expired by {effective}; only an expired code has successors")
    last = max(ended, key=lambda f: f.valid.end or date.min)
    successors = tuple(dict.fromkeys(entry.item.replaced_by))
    if entry.code in successors:
        raise InvalidEdit(f"{entry.code} cannot succeed itself")
    return tuple(replace(f, replaced_by=successors) if f is last else f for f in ordered)


def state_on(histories: Mapping[str, Iterable[Item]], day: date) -> dict[str, Item]:
    """The items valid on ``day`` among ``histories`` (code -> facts)."""
    return {code: f for code, facts in histories.items() for f in facts if f.valid.contains(day)}


def ancestors(code: str, state: Mapping[str, Item], limit: int = 100) -> tuple[str, ...]:
    """Parents of ``code`` in ``state``, nearest first (stops at a cycle or after ``limit`` steps)."""
    out: list[str] = []
    current = state.get(code)
    while current is not None and current.parent is not None and len(out) < limit:
        if current.parent in out or current.parent == code:
            break
        out.append(current.parent)
        current = state.get(current.parent)
    return tuple(out)


def problems(state: Mapping[str, Item], touched: Iterable[str], day: date) -> list[str]:
    """What is wrong on ``day`` around the ``touched`` codes: unknown parents, cycles, orphans."""
    found: list[str] = []
    cycles: list[set[str]] = []
    touched = set(touched)
    for code in sorted(touched):
        item = state.get(code)
        if item is None:
            continue
        if item.parent is not None and item.parent not in state:
            found.append(f"{code}: parent {item.parent!r} is not valid on {day.isoformat()}")
        seen = [code]
        current: Item | None = item
        while current is not None and current.parent is not None:
            if current.parent in seen:
                cycle = seen[seen.index(current.parent) :]
                message = "cycle in hierarchy: " + " → ".join([*cycle, current.parent])
                if not any(set(cycle) == c for c in cycles):
                    cycles.append(set(cycle))
                    found.append(message)
                break
            seen.append(current.parent)
            current = state.get(current.parent)
    for code, item in sorted(state.items()):
        if code not in touched and item.parent in touched and item.parent not in state:
            found.append(f"{code} would lose its parent {item.parent!r} on {day.isoformat()}")
    return found
