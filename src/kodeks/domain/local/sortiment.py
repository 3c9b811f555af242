"""Sortimenter: named, versioned, owned lists of codes across classifications.

A sortiment is what an IT system may use, e.g. "the KLE emner and FORM numbers our case system
offers". Each version has a number and the valid date it applies from; the version in force on a
date is the highest-numbered one whose ``valid_from`` is on or before it. An entry names a
classification and a code, optionally with a rank (display order) and a local label.

Checking a version against the source classifications on a date gives each entry a status: valid,
expired (with the successor(s) its replacement chain leads to), not yet valid, an unknown code, or
an unknown classification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kodeks.domain.classification import is_slug
from kodeks.domain.item import Item
from kodeks.domain.local.municipalities import owner_problem
from kodeks.domain.local.notation import code_problem, titles_problem
from kodeks.domain.period import Period
from kodeks.domain.timeline import Fact, lifespans

MAX_ENTRIES = 20_000
MAX_LABEL = 500


@dataclass(frozen=True, slots=True)
class SortimentEntry:
    classification: str
    code: str
    rank: int | None = None
    label: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.classification, self.code)


@dataclass(frozen=True, slots=True)
class Sortiment:
    id: str
    owner: str
    version: int
    valid_from: date
    titles: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    entries: tuple[SortimentEntry, ...] = ()

    def title(self, lang: str = "da") -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.id)

    def ordered(self) -> list[SortimentEntry]:
        """Entries by rank (unranked last), then as listed."""
        indexed = list(enumerate(self.entries))
        indexed.sort(key=lambda p: (p[1].rank is None, p[1].rank or 0, p[0]))
        return [e for _, e in indexed]


def sortiment_problems(s: Sortiment) -> list[str]:
    problems: list[str] = []
    if not is_slug(s.id):
        problems.append(f"sortiment id {s.id!r} is not a slug (a-z, 0-9, '-')")
    owner = owner_problem(s.owner)
    if owner:
        problems.append(owner)
    titles = titles_problem(s.titles)
    if titles:
        problems.append(titles)
    if len(s.entries) > MAX_ENTRIES:
        return [*problems, f"a sortiment holds at most {MAX_ENTRIES:,} entries"]
    seen: set[tuple[str, str]] = set()
    for n, e in enumerate(s.entries, 1):
        if not is_slug(e.classification):
            problems.append(f"entry {n}: classification {e.classification!r} is not a classification id")
        bad = code_problem(e.code)
        if bad:
            problems.append(f"entry {n}: {bad}")
        if e.key in seen:
            problems.append(f"entry {n}: {e.classification} {e.code} is listed twice")
        seen.add(e.key)
        if e.rank is not None and not 0 <= e.rank <= 1_000_000:
            problems.append(f"entry {n}: rank {e.rank} is not between 0 and 1,000,000")
        if e.label is not None and (len(e.label) > MAX_LABEL or not e.label.strip()):
            problems.append(f"entry {n}: the label is empty or longer than {MAX_LABEL} characters")
    return problems


def governing(versions: Sequence[Sortiment], at: date) -> Sortiment | None:
    """The version in force on ``at``: the highest version number among those valid from ``at`` or earlier."""
    candidates = [v for v in versions if v.valid_from <= at]
    return max(candidates, key=lambda v: v.version) if candidates else None


class Status(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_CLASSIFICATION = "unknown_classification"


@dataclass(frozen=True, slots=True)
class EntryCheck:
    entry: SortimentEntry
    status: Status
    item: Item | None = None
    valid: tuple[Period, ...] = ()
    successors: tuple[str, ...] = ()


def check_entry(
    entry: SortimentEntry, facts: Sequence[Fact] | None, at: date, successors: tuple[str, ...] = ()
) -> EntryCheck:
    """The status of ``entry`` on ``at`` given every fact of its code (``None``: unknown classification).
    ``periods`` are the code's lifespans."""
    if facts is None:
        return EntryCheck(entry, Status.UNKNOWN_CLASSIFICATION)
    if not facts:
        return EntryCheck(entry, Status.UNKNOWN_CODE)
    periods = tuple(lifespans(facts))
    now = next((f for f in facts if f.period.contains(at)), None)
    if now is not None:
        return EntryCheck(entry, Status.VALID, now.item, periods)
    later = [f for f in facts if f.period.start is not None and f.period.start > at]
    earlier = [f for f in facts if f not in later]
    if earlier:
        last = max(earlier, key=lambda f: (f.period.start is not None, f.period.start or date.min))
        return EntryCheck(entry, Status.EXPIRED, last.item, periods, successors)
    first = min(later, key=lambda f: f.period.start or date.min)
    return EntryCheck(entry, Status.NOT_YET_VALID, first.item, periods)


@dataclass(frozen=True, slots=True)
class EntryDiff:
    added: tuple[SortimentEntry, ...]
    removed: tuple[SortimentEntry, ...]
    changed: tuple[SortimentEntry, ...]


def diff(old: Sortiment | None, new: Sortiment) -> EntryDiff:
    before = {e.key: e for e in (old.entries if old else ())}
    after = {e.key: e for e in new.entries}
    return EntryDiff(
        tuple(after[k] for k in after if k not in before),
        tuple(before[k] for k in before if k not in after),
        tuple(after[k] for k in after if k in before and before[k] != after[k]),
    )
