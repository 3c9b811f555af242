"""Organisations, users and the actor a request acts as."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kodeks.domain.governance.roles import RoleAssignment

_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_USER_ID = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,99}$")
_MUNICIPALITY = re.compile(r"^\d{3}$")


class OrgKind(StrEnum):
    ASSOCIATION = "association"  # KL
    MUNICIPALITY = "municipality"
    REGION = "region"
    AGENCY = "agency"  # a state agency (Danmarks Statistik, Digitaliseringsstyrelsen, ...)
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation that owns data or employs users. A municipality's id is its 3-digit code (``751``)."""

    id: str
    name: str
    kind: OrgKind = OrgKind.OTHER

    def __post_init__(self) -> None:
        if not _ORG_ID.match(self.id):
            raise ValueError(f"organisation id {self.id!r} must be a slug (a-z, 0-9, '-')")
        if not self.name.strip() or len(self.name) > 200:
            raise ValueError("organisation name must be 1-200 characters")
        if self.kind is OrgKind.MUNICIPALITY and not _MUNICIPALITY.match(self.id):
            raise ValueError(f"a municipality's id is its 3-digit municipality code, not {self.id!r}")


@dataclass(frozen=True, slots=True)
class User:
    """A person or system account of one organisation. ``admin`` users administer Kodeks itself.

    ``oidc_subject`` links the user to the ``sub`` claim of the configured OpenID Connect provider.
    """

    id: str
    organisation: str
    name: str
    admin: bool = False
    oidc_subject: str | None = None

    def __post_init__(self) -> None:
        if not _USER_ID.match(self.id):
            raise ValueError(f"user id {self.id!r} must be lower-case letters, digits and . _ @ -")
        if not self.name.strip() or len(self.name) > 200:
            raise ValueError("user name must be 1-200 characters")
        if self.oidc_subject is not None and not 0 < len(self.oidc_subject) <= 255:
            raise ValueError("an OIDC subject must be 1-255 characters")


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """An API token as stored: never the secret, only its hash. ``revoked_at`` is set by a revocation."""

    id: str
    user_id: str
    name: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    created_by: str
    revoked_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class Via(StrEnum):
    ANONYMOUS = "anonymous"
    TOKEN = "token"
    OIDC = "oidc"
    BOOTSTRAP = "bootstrap"  # a token configured in the settings: administers a fresh installation
    LOCAL = "local"  # the command line, acting on the database directly


@dataclass(frozen=True, slots=True)
class Actor:
    """Who a request acts as: a user with the role assignments in force, or nobody (anonymous)."""

    user_id: str | None
    organisation: str | None = None
    admin: bool = False
    grants: tuple[RoleAssignment, ...] = field(default=())
    via: Via = Via.ANONYMOUS

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def name(self) -> str:
        """How the actor is named in audit entries and registrations."""
        return self.user_id or "anonymous"


ANONYMOUS = Actor(None)


def system_actor(name: str = "system") -> Actor:
    """An administrator acting outside any request (the command line, bootstrap tokens)."""
    return Actor(name, None, admin=True, via=Via.LOCAL)
