"""Roles, actions and role assignments with their data scope.

A role assignment gives a user one role on a *resource*: a classification, sortiment or information
model by id, or every resource an *organisation* owns. An assignment may narrow item edits to a
*subtree of codes* (``27.*``: the code 27 and everything under it); reads are never narrowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

_CODE_PATTERN = re.compile(r"^[^\s*/?#]{1,200}$")


class Role(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    READER = "reader"


class Action(StrEnum):
    READ = "read"  # read a classification whose public read is off
    READ_AUDIT = "read_audit"  # read the audit trail (it names people)
    DRAFT = "draft"  # open change sets and edit drafts
    SUBMIT = "submit"  # submit a draft for review
    REVIEW = "review"  # approve or reject a submitted change set
    PUBLISH = "publish"  # publish an approved change set
    ADMINISTER = "administer"  # access policy, owner, four-eyes, role assignments on the resource
    CREATE = "create"  # create a resource owned by an organisation
    MANAGE_USERS = "manage_users"  # users and their tokens within an organisation


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.READER: frozenset({Action.READ, Action.READ_AUDIT}),
    Role.EDITOR: frozenset({Action.READ, Action.READ_AUDIT, Action.DRAFT, Action.SUBMIT}),
    Role.REVIEWER: frozenset({Action.READ, Action.READ_AUDIT, Action.REVIEW, Action.PUBLISH}),
    Role.OWNER: frozenset(Action),
}

#: Actions about a resource as a whole: an assignment narrowed to some codes never allows them.
WHOLE_RESOURCE: frozenset[Action] = frozenset({Action.ADMINISTER, Action.CREATE, Action.MANAGE_USERS})
#: Actions a code scope does not narrow.
UNSCOPED: frozenset[Action] = frozenset({Action.READ, Action.READ_AUDIT})


class ResourceKind(StrEnum):
    CLASSIFICATION = "classification"
    SORTIMENT = "sortiment"
    MODEL = "model"  # an information model (``kodeks.services.models.access``)
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class CodeScope:
    """A data scope over codes: ``27.*`` is the subtree rooted at 27; ``27`` is that code alone."""

    pattern: str

    def __post_init__(self) -> None:
        root = self.pattern[:-2] if self.pattern.endswith(".*") else self.pattern
        if not _CODE_PATTERN.match(root):
            raise ValueError(f"code scope {self.pattern!r} must be a code, or a code followed by '.*'")

    @property
    def root(self) -> str:
        return self.pattern[:-2] if self.subtree else self.pattern

    @property
    def subtree(self) -> bool:
        return self.pattern.endswith(".*")

    def covers(self, code: str, ancestors: Iterable[str] = ()) -> bool:
        """Whether ``code`` (whose parents, nearest first, are ``ancestors``) is inside the scope."""
        if code == self.root:
            return True
        return self.subtree and self.root in set(ancestors)


@dataclass(frozen=True, slots=True)
class RoleAssignment:
    """``role`` for ``user_id`` on ``(resource_kind, resource_id)``, optionally narrowed to ``codes``."""

    user_id: str
    role: Role
    resource_kind: ResourceKind
    resource_id: str
    codes: CodeScope | None = None
    id: int | None = None
    granted_at: datetime | None = None
    granted_by: str | None = None

    def __post_init__(self) -> None:
        if self.codes is not None and self.resource_kind in (ResourceKind.ORGANISATION, ResourceKind.MODEL):
            raise ValueError(
                "a code scope narrows a classification or sortiment only, "
                f"not a whole {self.resource_kind.value}"
            )

    def allows(self, action: Action) -> bool:
        return action in ROLE_ACTIONS[self.role]

    def describe(self) -> str:
        scope = f" codes {self.codes.pattern}" if self.codes else ""
        return f"{self.role} on {self.resource_kind} {self.resource_id}{scope}"
