"""Response models: they document the API (OpenAPI) and name every field once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    details: dict[str, Any] = {}


class ErrorOut(BaseModel):
    error: ErrorDetail


class ClassificationOut(BaseModel):
    id: str = Field(examples=["kle"])
    titles: dict[str, str]
    description: str | None = None
    owner: str | None = None
    publisher: str | None = None
    licence: str | None = None
    copyrighted: bool = False
    source_uri: str | None = None
    uri: str
    code_order: str
    links: dict[str, str] = {}


class LevelOut(BaseModel):
    number: int
    titles: dict[str, str]


class VersionOut(BaseModel):
    label: str
    release_date: date
    valid_from: date
    valid_to: date | None
    kind: str = Field(
        description="snapshot (states what holds from its date) or history (states the past too)"
    )
    source: str | None
    format: str | None
    item_count: int
    recorded_at: datetime
    levels: list[LevelOut]


class KeywordOut(BaseModel):
    term: str
    weight: int | None = None


class LegalReferenceOut(BaseModel):
    title: str
    reference: str | None = None


class TextOut(BaseModel):
    kind: str = Field(examples=["scopeNote"])
    lang: str = Field(examples=["de"], description="language tag; und = not stated")
    text: str


class ItemOut(BaseModel):
    code: str = Field(examples=["27.24.00"])
    uuid: str | None
    titles: dict[str, str]
    level: int | None
    parent: str | None
    valid_from: date | None = Field(description="first day valid (inclusive); null = since always")
    valid_to: date | None = Field(description="first day no longer valid (exclusive); null = still valid")
    description: str | None = None
    notes: list[str] = []
    alt_titles: list[list[str]] = []
    keywords: list[KeywordOut] = []
    replaced_by: list[str] = []
    legal_refs: list[LegalReferenceOut] = []
    properties: dict[str, str] = {}
    other_parents: list[str] = Field(
        default=[], description="further parents in a polyhierarchy (present only when there are any)"
    )
    related: list[str] = Field(default=[], description="related codes (skos:related); present when any")
    groups: list[str] = Field(default=[], description="groups (skos:Collection) the code is a member of")
    texts: list[TextOut] = Field(default=[], description="definitions and notes with their language")
    created: date | None = Field(default=None, description="the concept's own dct:created, when given")
    modified: date | None = Field(default=None, description="the concept's own dct:modified, when given")


class ItemDetailOut(ItemOut):
    classification: str
    at: date
    children: int
    successors_now: list[str] = Field(description="codes valid today that this item's replacements lead to")
    links: dict[str, str] = {}


class ItemListOut(BaseModel):
    classification: str
    at: date
    known_at: datetime
    count: int
    items: list[ItemOut]


class HistoryRecordOut(BaseModel):
    item: ItemOut
    release: str
    recorded_from: datetime
    recorded_to: datetime | None
    current: bool


class HistoryOut(BaseModel):
    classification: str
    code: str
    records: list[HistoryRecordOut]


class MoveOut(BaseModel):
    old: str
    new: str
    kind: str


class RenameOut(BaseModel):
    code: str
    old_title: str
    new_title: str


class ProposalOut(BaseModel):
    """A successor the data suggests for an expired code (never applied by itself)."""

    old: str
    new: str
    score: float
    reasons: list[str]
    old_title: str
    new_title: str


class ChangesOut(BaseModel):
    classification: str
    from_date: date = Field(alias="from")
    to_date: date = Field(alias="to")
    counts: dict[str, int]
    added: list[ItemOut]
    expired: list[ItemOut]
    renamed: list[RenameOut]
    moved: list[MoveOut]
    reused: list[RenameOut] = []
    proposed_moves: list[ProposalOut] | None = None


class HealthOut(BaseModel):
    status: str
    database: str
    version: str
