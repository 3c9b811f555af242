"""Change sets: drafts of edits to one classification, and their workflow.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
                          │                      │
                          └──────reject──────────┴──▶ rejected (a reason is required)

With the four-eyes rule on, nobody who wrote any part of a change set (its author, and every
``contributor``: whoever edited an item in it or changed its header) may approve or publish it.
A change set becomes one version when published: its ``label`` and ``effective`` date name it, and
every edit in it takes effect on ``effective``. Published versions are frozen, so ``effective`` may
not lie before the latest version already published (see ``edits.check_not_frozen``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kodeks.domain.item import Item
from kodeks.domain.release import Level

MAX_TEXT = 2000


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"


TRANSITIONS: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.SUBMITTED}),
    State.SUBMITTED: frozenset({State.APPROVED, State.REJECTED}),
    State.APPROVED: frozenset({State.PUBLISHED, State.REJECTED}),
    State.PUBLISHED: frozenset(),
    State.REJECTED: frozenset(),
}

#: Classification fields a change set may change (the rest are identity or set by the registry).
METADATA_FIELDS = frozenset({"titles", "description", "publisher", "licence", "source_uri"})


class RuleError(ValueError):
    """A governance rule refuses the step; subclasses say which."""


class StateError(RuleError):
    """The change set is not in a state that allows the step."""


class FourEyesError(RuleError):
    """The author tried to approve or publish their own change set."""


class MissingText(RuleError):
    """A reason (rejection) or note (publication) is required."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    classification_id: str
    title: str
    author: str
    label: str
    effective: date
    base: str
    created_at: datetime
    state: State = State.DRAFT
    revision: int = 1
    levels: tuple[Level, ...] | None = None
    metadata: dict[str, Any] | None = None
    reviewer: str | None = None
    publisher: str | None = None
    reason: str | None = None
    note: str | None = None
    updated_at: datetime | None = None
    published_at: datetime | None = None
    id: int | None = None
    contributors: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.title.strip() or len(self.title) > MAX_TEXT:
            raise ValueError(f"a change set needs a title of 1-{MAX_TEXT} characters")
        if not self.label.strip() or len(self.label) > 200:
            raise ValueError("a version label must be 1-200 characters")
        if self.metadata is not None and set(self.metadata) - METADATA_FIELDS:
            raise ValueError(f"only {', '.join(sorted(METADATA_FIELDS))} may be changed through a change set")

    @property
    def editable(self) -> bool:
        return self.state is State.DRAFT

    def touched(self, at: datetime) -> ChangeSet:
        return replace(self, revision=self.revision + 1, updated_at=at)


def _move(cs: ChangeSet, to: State, at: datetime, **changes: Any) -> ChangeSet:
    if to not in TRANSITIONS[cs.state]:
        raise StateError(f"change set {cs.id} is {cs.state}; it cannot become {to}")
    return replace(cs.touched(at), state=to, **changes)


def _text(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise MissingText(f"a {what} is required")
    if len(value) > MAX_TEXT:
        raise MissingText(f"the {what} is longer than {MAX_TEXT} characters")
    return value.strip()


def submit(cs: ChangeSet, at: datetime) -> ChangeSet:
    return _move(cs, State.SUBMITTED, at)


def wrote(cs: ChangeSet, who: str) -> bool:
    """Whether ``who`` wrote any part of ``cs`` (its author or a contributor)."""
    return who == cs.author or who in cs.contributors


def _four_eyes(cs: ChangeSet, by: str, verb: str, four_eyes: bool) -> None:
    if four_eyes and wrote(cs, by):
        role = "wrote" if by == cs.author else "contributed to"
        raise FourEyesError(f"four-eyes rule: {by} {role} change set {cs.id} and may not {verb} it")


def approve(cs: ChangeSet, by: str, at: datetime, *, four_eyes: bool) -> ChangeSet:
    _four_eyes(cs, by, "approve", four_eyes)
    return _move(cs, State.APPROVED, at, reviewer=by)


def reject(cs: ChangeSet, by: str, reason: str | None, at: datetime) -> ChangeSet:
    return _move(cs, State.REJECTED, at, reviewer=by, reason=_text(reason, "reason for the rejection"))


def publish(cs: ChangeSet, by: str, note: str | None, at: datetime, *, four_eyes: bool) -> ChangeSet:
    _four_eyes(cs, by, "publish", four_eyes)
    return _move(
        cs, State.PUBLISHED, at, publisher=by, note=_text(note, "note on the publication"), published_at=at
    )


class EntryOp(StrEnum):
    UPSERT = "upsert"  # the item's content, from the change set's effective date on
    EXPIRE = "expire"  # set the end of the item's open validity
    DROP = "drop"  # take the code out of the draft again
    LINK = "link"  # name the successors of an expired code (``item.replaced_by``)


@dataclass(frozen=True, slots=True)
class Entry:
    """One revision of one code in a draft. Entries are appended; the highest revision counts.

    ``base`` is the item's tag in the registry when the draft first touched the code: publishing
    refuses the change set if the item has changed in the registry since.
    """

    change_set_id: int
    code: str
    revision: int
    op: EntryOp
    base: str
    author: str
    at: datetime
    item: Item | None = None
    valid_to: date | None = None

    def __post_init__(self) -> None:
        if self.op is EntryOp.UPSERT and self.item is None:
            raise ValueError("an upsert entry carries the item")
        if self.op is EntryOp.LINK and (self.item is None or not self.item.replaced_by):
            raise ValueError("a link entry carries the successors")
        if self.op is EntryOp.EXPIRE and self.valid_to is None:
            raise ValueError("an expire entry carries the end date")
