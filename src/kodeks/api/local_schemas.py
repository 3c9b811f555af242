"""Request bodies of the local-use API: strict (unknown fields refused), bounded, and documented."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kodeks.domain.local.profile import MAX_ENTRIES as MAX_PROFILE_ENTRIES
from kodeks.domain.local.sortiment import MAX_ENTRIES as MAX_SORTIMENT_ENTRIES

Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Owner = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
Titles = Annotated[
    dict[Annotated[str, StringConstraints(max_length=16)], Annotated[str, StringConstraints(max_length=500)]],
    Field(max_length=20, description='language tag → title, e.g. {"da": "..."}'),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Valid(Strict):
    valid_from: date | None = Field(None, description="first day valid (inclusive); null = since always")
    valid_to: date | None = Field(None, description="first day no longer valid (exclusive); null = open")

    @model_validator(mode="after")
    def _ordered(self) -> Any:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class SelectionIn(Valid):
    code: Code
    titles: Titles = {}
    subtree: bool = Field(False, description="select the code's descendants too")


class LocalCodeIn(Valid):
    code: Code
    parent: Code
    titles: Titles
    description: Text | None = None


class ProfileIn(Strict):
    """A profile definition. ``id`` may be left out on PUT (the path names it)."""

    id: Slug | None = Field(None, max_length=40)
    owner: Owner = Field(description="owning organisation: a municipality code (751) or an organisation id")
    titles: Titles
    description: Text | None = None
    include_all: bool = Field(False, description="take every common code; selections then only rename")
    based_on: date | None = Field(
        None,
        description="valid date of the common version the profile is aligned "
        "with; default: its latest release date",
    )
    selections: list[SelectionIn] = Field([], max_length=MAX_PROFILE_ENTRIES)
    local_codes: list[LocalCodeIn] = Field([], max_length=MAX_PROFILE_ENTRIES)


class RangeIn(Strict):
    level: int = Field(ge=1, le=20, description="level of the local codes")
    low: int = Field(ge=0, le=999_999_999, description="first local number (at most 9 digits)")
    high: int = Field(ge=0, le=999_999_999, description="last local number (at most 9 digits)")
    width: int = Field(2, ge=1, le=9, description="digits of the local number")
    separator: str = Field(".", max_length=1)
    under: Code | None = Field(None, description="only under parents whose code starts with this")
    note: Text | None = None


class RangesIn(Strict):
    ranges: list[RangeIn] = Field(max_length=100)


class EntryIn(Strict):
    classification: Slug
    code: Code
    rank: int | None = Field(None, ge=0, le=1_000_000)
    label: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None


class SortimentIn(Strict):
    id: Slug | None = None
    owner: Owner
    titles: Titles
    description: Text | None = None
    valid_from: date = Field(description="the valid date this version applies from")
    entries: list[EntryIn] = Field(max_length=MAX_SORTIMENT_ENTRIES)


class InvertIn(Strict):
    id: Slug = Field(description="id of the inverse correspondence to record")


class ProfileRef(Strict):
    classification: Slug
    profile: Slug


class WebhookIn(Strict):
    """Subscribe ``url`` to one of: a classification, a profile, a sortiment."""

    url: Annotated[str, StringConstraints(min_length=8, max_length=2000)]
    classification: Slug | None = None
    profile: ProfileRef | None = None
    sortiment: Slug | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Any:
        if sum(x is not None for x in (self.classification, self.profile, self.sortiment)) != 1:
            raise ValueError("name exactly one of classification, profile, sortiment")
        return self


class FeedEventOut(BaseModel):
    event: str = Field(description="recorded (Kodeks now holds the record) or superseded (no longer)")
    recorded_at: str = Field(description="when it was recorded or superseded (UTC)")
    model_config = ConfigDict(extra="allow")


class FeedOut(BaseModel):
    """A page of a change feed. Poll on with ``cursor``: it always points after the last event."""

    feed: str
    count: int
    events: list[FeedEventOut]
    cursor: str = Field(description="opaque; pass it back as ?cursor= for the next page")
    has_more: bool
