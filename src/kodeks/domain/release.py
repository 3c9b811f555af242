"""Releases (versions) of a classification, their levels, and what an importer hands over."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kodeks.domain.classification import Classification
from kodeks.domain.group import Group
from kodeks.domain.item import CONTENT_FIELDS, Item


class ReleaseKind(StrEnum):
    """How a release speaks about time.

    A *snapshot* says what holds from its release date on (OS2mo sheets, a FHIR CodeSystem).
    A *history* also states the past: its items carry their own validity (KLE's official XML with
    ``OprettetDato``, ``UdgaaetDato``, ``Flyttet``), so it speaks for all valid time.
    A *patch* is an edit published through the workflow: for each code it names, its items (with
    their own validity) replace that code's whole history; patches apply in recording order, after
    the releases. An item in a patch with an empty title set and validity ``[x, x)`` is not used:
    to withdraw a code entirely a patch states it with ``properties["withdrawn"] = "true"``.
    """

    SNAPSHOT = "snapshot"
    HISTORY = "history"
    PATCH = "patch"


@dataclass(frozen=True, slots=True)
class Level:
    number: int
    titles: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str = "da") -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), f"Level {self.number}")


@dataclass(frozen=True, slots=True)
class Release:
    """A version: a release label and date; what it governs is derived (see ``timeline``).

    ``fields`` names the item fields the source format carries; fields it does not carry are
    inherited from what earlier releases said about the same code.
    """

    label: str
    release_date: date
    kind: ReleaseKind = ReleaseKind.SNAPSHOT
    fields: frozenset[str] = CONTENT_FIELDS
    source: str | None = None
    format: str | None = None
    levels_covered: frozenset[int] | None = None
    groups: tuple[Group, ...] = ()

    def covers(self, level: int | None) -> bool:
        """Whether this release speaks for items at ``level`` (``None``: it covers every level)."""
        return self.levels_covered is None or level in self.levels_covered


@dataclass(frozen=True, slots=True)
class Bundle:
    """What an importer produces for one classification: metadata, levels, items, release facts.

    ``release_date`` and ``release_label`` are what the source says; ``None`` where it does not say
    (the import service then takes them from the user, or refuses). ``levels_covered`` is set by
    sources that state only some levels (the os2kle text file has only emner): the release then
    governs only those levels, and parents outside them are expected to come from other releases.
    ``date_source`` says where in the file ``release_date`` was found (``"CodeSystem.date"``,
    ``"version 20240530"``, ``"dct:modified"``), so the import can say which date it used.
    ``warnings`` are what the importer tells the user without refusing the file (rows it skipped,
    the language it chose for a title column, a flat list that looks hierarchical); they are not
    recorded. ``groups`` are the collections the source states (``skos:Collection``); which codes are
    in them the items say (``Item.groups``).
    """

    classification: Classification
    items: tuple[Item, ...]
    levels: tuple[Level, ...] = ()
    release_label: str | None = None
    release_date: date | None = None
    kind: ReleaseKind = ReleaseKind.SNAPSHOT
    fields: frozenset[str] = CONTENT_FIELDS
    source: str | None = None
    format: str | None = None
    levels_covered: frozenset[int] | None = None
    date_source: str | None = None
    warnings: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()

    def release(self, label: str | None = None, release_date: date | None = None) -> Release:
        """The release this bundle becomes, with the user's label/date where given."""
        day = release_date or self.release_date
        if day is None:
            raise ValueError("the source gives no release date")
        return Release(
            label=label or self.release_label or day.isoformat(),
            release_date=day,
            kind=self.kind,
            fields=self.fields,
            source=self.source,
            format=self.format,
            levels_covered=self.levels_covered,
            groups=self.groups,
        )


_DATE_SHAPED = re.compile(r"^\s*v?(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?\s*$")


def date_shaped(text: str | None) -> date | None:
    """The date a version label spells (``20240530``, ``2024-05-30``, ``v2024-05-30``), else ``None``."""
    found = _DATE_SHAPED.match(text or "")
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None
