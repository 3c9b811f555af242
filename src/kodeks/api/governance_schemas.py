"""Request bodies of the governance API: strict (unknown fields are refused), bounded in size."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kodeks.domain.codes import CodeOrder
from kodeks.domain.governance.identity import OrgKind
from kodeks.domain.governance.roles import ResourceKind, Role

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
Titles = Annotated[dict[Lang, Text], Field(min_length=1, max_length=20)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganisationIn(Strict):
    id: Annotated[str, StringConstraints(max_length=64)]
    name: Name
    kind: OrgKind = OrgKind.OTHER


class UserIn(Strict):
    id: Annotated[str, StringConstraints(max_length=100)]
    organisation: Annotated[str, StringConstraints(max_length=64)]
    name: Name
    admin: bool = False
    oidc_subject: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None


class TokenIn(Strict):
    name: Name
    user: Annotated[str, StringConstraints(max_length=100)] | None = None
    days: Annotated[int, Field(ge=1, le=3660)] | None = None


class RoleIn(Strict):
    user: Annotated[str, StringConstraints(max_length=100)]
    role: Role
    resource_kind: ResourceKind
    resource_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    codes: Annotated[str, StringConstraints(min_length=1, max_length=202)] | None = None


class ModelRoleIn(Strict):
    user: Annotated[str, StringConstraints(max_length=100)]
    role: Role


class ClassificationIn(Strict):
    id: Annotated[str, StringConstraints(max_length=64)]
    titles: Titles
    owner: Annotated[str, StringConstraints(max_length=64)]
    description: LongText | None = None
    publisher: Name | None = None
    licence: Text | None = None
    copyrighted: bool = False
    source_uri: Text | None = None
    code_order: CodeOrder = CodeOrder.NATURAL
    public_read: bool | None = None
    four_eyes: bool = True
    note: Text | None = None


class PolicyIn(Strict):
    owner: Annotated[str, StringConstraints(max_length=64)] | None = None
    public_read: bool | None = None
    four_eyes: bool = True


class LevelIn(Strict):
    number: Annotated[int, Field(ge=0, le=99)]
    titles: Titles


class MetadataIn(Strict):
    titles: Titles | None = None
    description: LongText | None = None
    publisher: Name | None = None
    licence: Text | None = None
    source_uri: Text | None = None


class ChangeSetIn(Strict):
    title: Text
    label: Name
    effective: date
    levels: Annotated[list[LevelIn], Field(max_length=100)] | None = None
    metadata: MetadataIn | None = None


class ChangeSetPatch(Strict):
    title: Text | None = None
    label: Name | None = None
    effective: date | None = None
    levels: Annotated[list[LevelIn], Field(max_length=100)] | None = None
    metadata: MetadataIn | None = None


class KeywordIn(Strict):
    term: Text
    weight: Annotated[int, Field(ge=-1000, le=1000)] | None = None


class LegalRefIn(Strict):
    title: Text
    reference: Text | None = None


class ItemIn(Strict):
    """An item's content. ``valid_from`` only places a new code later than the change set's date."""

    titles: Titles
    level: Annotated[int, Field(ge=0, le=99)] | None = None
    parent: Code | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    description: LongText | None = None
    notes: Annotated[list[LongText], Field(max_length=100)] = []
    alt_titles: Annotated[list[tuple[Lang, Text]], Field(max_length=200)] = []
    keywords: Annotated[list[KeywordIn], Field(max_length=1000)] = []
    replaced_by: Annotated[list[Code], Field(max_length=100)] = []
    legal_refs: Annotated[list[LegalRefIn], Field(max_length=200)] = []
    properties: Annotated[
        dict[Annotated[str, StringConstraints(min_length=1, max_length=100)], Text], Field(max_length=100)
    ] = {}

    @field_validator("properties")
    @classmethod
    def _not_withdrawn(cls, value: dict[str, str]) -> dict[str, str]:
        if "withdrawn" in value:
            raise ValueError("'withdrawn' is reserved; expire a code instead (published versions are frozen)")
        return value

    def as_dict(self, code: str) -> dict[str, Any]:
        data = self.model_dump()
        data["code"] = code
        data["alt_titles"] = [list(pair) for pair in self.alt_titles]
        return data


class NewItemIn(ItemIn):
    code: Code


class ExpireIn(Strict):
    valid_to: date


class NoteIn(Strict):
    note: Text | None = None


class RejectIn(Strict):
    reason: Text


class PublishIn(Strict):
    note: Text
