"""A requirement set for a tender (*kravsæt*): common requirements picked, and tailored locally.

An entry names a published version of a common requirement and may override its wording or priority
(a local profile of the requirement). The override never changes the common requirement; the entry
keeps the requirement's id and version, so every tailored line is traceable to what it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kodeks.domain.requirements.requirement import (
    ID_PATTERN,
    MAX_TEXT,
    MAX_TITLE,
    Priority,
    Requirement,
)

MAX_ENTRIES = 2_000


@dataclass(frozen=True, slots=True)
class SetEntry:
    """A common requirement (``requirement_id`` at ``version``) as the set uses it. Version 0 asks for
    the newest published version; saving the set replaces it by that version's number."""

    requirement_id: str
    version: int
    local_text: str | None = None
    local_priority: Priority | None = None
    local_note: str = ""

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.requirement_id):
            raise ValueError(f"{self.requirement_id[:70]!r} is not a requirement id")
        if self.version < 0:
            raise ValueError("version numbers start at 1 (0: the newest published, when the set is saved)")
        if self.local_text is not None and not 0 < len(self.local_text.strip()) <= MAX_TEXT:
            raise ValueError(f"a local wording must be 1-{MAX_TEXT:,} characters")
        if len(self.local_note) > 2000:
            raise ValueError("a local note must be at most 2,000 characters")

    @property
    def tailored(self) -> bool:
        return self.local_text is not None or self.local_priority is not None


@dataclass(frozen=True, slots=True)
class RequirementSet:
    id: str
    title: str
    owner: str
    entries: tuple[SetEntry, ...] = ()
    description: str = ""
    revision: int = 1

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise ValueError(
                f"requirement set id {self.id[:70]!r} must be 1-64 letters, digits, '.', '_' or '-'"
            )
        if not self.title.strip() or len(self.title) > MAX_TITLE or "\n" in self.title:
            raise ValueError(f"a title must be 1-{MAX_TITLE} characters on one line")
        if len(self.description) > MAX_TEXT:
            raise ValueError(f"a description must be at most {MAX_TEXT:,} characters")
        if len(self.entries) > MAX_ENTRIES:
            raise ValueError(f"a requirement set holds at most {MAX_ENTRIES:,} requirements")
        seen = [e.requirement_id for e in self.entries]
        if len(set(seen)) != len(seen):
            raise ValueError("a requirement is in the set twice")


@dataclass(frozen=True, slots=True)
class Line:
    """One requirement as a tender shows it: the common requirement and the set's tailoring."""

    requirement: Requirement
    entry: SetEntry

    @property
    def text(self) -> str:
        return self.entry.local_text if self.entry.local_text is not None else self.requirement.text

    @property
    def priority(self) -> Priority:
        return self.entry.local_priority or self.requirement.priority

    @property
    def tailored(self) -> bool:
        return self.entry.tailored

    @property
    def source(self) -> str:
        """Where the line comes from: ``ARK-001 v2`` (the common requirement and its version)."""
        return f"{self.requirement.id} v{self.requirement.version}"


def lines(rset: RequirementSet, requirements: Mapping[tuple[str, int], Requirement]) -> list[Line]:
    """The set's lines in category order, then in the order the set lists them."""
    found = [Line(requirements[(e.requirement_id, e.version)], e) for e in rset.entries]
    order = {name: i for i, name in enumerate(dict.fromkeys(line.requirement.category for line in found))}
    return sorted(found, key=lambda line: order[line.requirement.category])


def by_category(found: Iterable[Line]) -> dict[str, list[Line]]:
    grouped: dict[str, list[Line]] = {}
    for line in found:
        grouped.setdefault(line.requirement.category, []).append(line)
    return grouped
