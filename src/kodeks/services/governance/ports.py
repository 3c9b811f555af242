"""What the governance use cases need from storage: one Protocol, implemented in ``storage.governance``.

A ``GovernanceUnitOfWork`` is the registry's unit of work with a ``governance`` store on the same
transaction, so publishing a change set (registry) and closing it (governance) commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from kodeks.domain.governance.audit import AuditEntry
from kodeks.domain.governance.changeset import ChangeSet, Entry, State
from kodeks.domain.governance.identity import Organisation, TokenRecord, User
from kodeks.domain.governance.policy import AccessPolicy
from kodeks.domain.governance.roles import ResourceKind, RoleAssignment
from kodeks.services.ports import UnitOfWork


class GovernanceStore(Protocol):
    # -- serialising writers ------------------------------------------------------------------
    def lock(self, name: str) -> None:
        """Hold a named lock until the transaction ends (concurrent holders wait)."""
        ...

    # -- organisations and users ----------------------------------------------------------------
    def add_organisation(self, org: Organisation, at: datetime, by: str) -> None: ...

    def organisation(self, org_id: str) -> Organisation | None: ...

    def organisations(self) -> list[Organisation]: ...

    def add_user(self, user: User, at: datetime, by: str) -> None: ...

    def user(self, user_id: str) -> User | None: ...

    def user_by_subject(self, subject: str) -> User | None: ...

    def users(self, organisation: str | None = None) -> list[User]: ...

    # -- tokens ---------------------------------------------------------------------------------
    def add_token(self, token: TokenRecord) -> None: ...

    def token(self, token_id: str) -> TokenRecord | None: ...

    def token_by_hash(self, secret_hash: str) -> TokenRecord | None: ...

    def tokens(self, user_id: str) -> list[TokenRecord]: ...

    # -- role assignments -------------------------------------------------------------------------
    def add_assignment(self, assignment: RoleAssignment) -> int: ...

    def assignment(self, assignment_id: int) -> RoleAssignment | None:
        """An assignment in force (``None`` when unknown or revoked)."""
        ...

    def assignments(
        self, *, user_id: str | None = None, kind: ResourceKind | None = None, resource_id: str | None = None
    ) -> list[RoleAssignment]:
        """Assignments in force, filtered."""
        ...

    def revoke(self, kind: str, target: str, at: datetime, by: str, reason: str | None) -> bool:
        """Record a revocation (``kind`` ``token`` or ``role``); ``False`` if it was revoked already."""
        ...

    # -- access policies ------------------------------------------------------------------------
    def policy(self, kind: ResourceKind, resource_id: str) -> AccessPolicy | None: ...

    def set_policy(self, policy: AccessPolicy, at: datetime, by: str) -> None: ...

    # -- change sets ----------------------------------------------------------------------------
    def add_change_set(self, change_set: ChangeSet) -> int: ...

    def change_set(self, change_set_id: int, *, for_update: bool = False) -> ChangeSet | None:
        """The change set; ``for_update`` locks its row until the transaction ends."""
        ...

    def bump_change_set(self, change_set_id: int, at: datetime) -> int | None:
        """Raise a draft's revision by one (atomically); ``None`` if it is no longer a draft."""
        ...

    def change_sets(self, classification_id: str, state: State | None = None) -> list[ChangeSet]: ...

    def save_change_set(self, change_set: ChangeSet) -> None:
        """Store the change set's new state and revision (its history is in the audit trail)."""
        ...

    def add_contributor(self, change_set_id: int, user_id: str, at: datetime) -> None:
        """Record that ``user_id`` wrote part of the change set (once; later calls change nothing)."""
        ...

    def add_entry(self, entry: Entry) -> None:
        """Append a revision; ``Conflict`` if that revision of the code exists already."""
        ...

    def entries(self, change_set_id: int) -> list[Entry]:
        """The latest revision of every code in the change set, by code."""
        ...

    def entry(self, change_set_id: int, code: str) -> Entry | None: ...

    def entry_history(self, change_set_id: int, code: str | None = None) -> list[Entry]:
        """Every revision appended, oldest first."""
        ...

    # -- audit ------------------------------------------------------------------------------------
    def add_audit(self, entry: AuditEntry) -> None: ...

    def audit(
        self, classification_id: str | None, code: str | None = None, *, after: int = 0, limit: int = 100
    ) -> list[AuditEntry]: ...

    def last_audit(self, classification_id: str, code: str, action: str | None = None) -> AuditEntry | None:
        """The newest audit entry of a code (of one ``action``, if given)."""
        ...

    # -- what the registry holds, for version tags --------------------------------------------
    def registry_head(self, classification_id: str) -> str:
        """Names the latest registration of the classification ('' when there is none)."""
        ...

    def item_fingerprints(self, classification_id: str, codes: Sequence[str]) -> dict[str, list[str]]:
        """Fingerprints of the current records of ``codes`` (codes without records are absent)."""
        ...

    def latest_release_date(self, classification_id: str) -> date | None: ...


class GovernanceUnitOfWork(UnitOfWork, Protocol):
    @property
    def governance(self) -> GovernanceStore: ...

    def __enter__(self) -> GovernanceUnitOfWork: ...


class GovernanceUowFactory(Protocol):
    def __call__(self, *, write: bool = False) -> GovernanceUnitOfWork:
        """A unit of work; ``write=True`` takes the database's write lock up front where it has one."""
        ...
