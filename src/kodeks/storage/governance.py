"""The governance store on the registry's transaction, and its unit of work.

``SqlGovernanceUnitOfWork`` is a ``SqlUnitOfWork`` with a ``governance`` store on the same connection.
A *write* unit of work on SQLite starts with ``BEGIN IMMEDIATE`` (writers queue for the database's one
write lock instead of failing when their read snapshot goes stale); on PostgreSQL, ``lock(name)``
holds a row lock in ``gov_lock`` until the transaction ends, and each later statement sees what the
previous holder committed (READ COMMITTED).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, String, and_, cast, exists, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from kodeks.config import Settings
from kodeks.domain.codec import item_from_dict, item_to_dict, level_from_dict, level_to_dict
from kodeks.domain.governance.audit import AuditEntry
from kodeks.domain.governance.changeset import ChangeSet, Entry, EntryOp, State
from kodeks.domain.governance.identity import Organisation, OrgKind, TokenRecord, User
from kodeks.domain.governance.policy import AccessPolicy
from kodeks.domain.governance.roles import CodeScope, ResourceKind, Role, RoleAssignment
from kodeks.errors import Conflict
from kodeks.services.governance.context import Governance
from kodeks.services.governance.oidc import OidcConfig
from kodeks.services.importing import Listener
from kodeks.storage import governance_tables as t
from kodeks.storage.tables import item_record, registration, release
from kodeks.storage.unit_of_work import ADVISORY_LOCK, SqlUnitOfWork


def _org(row: Any) -> Organisation:
    return Organisation(row.id, row.name, OrgKind(row.kind))


def _user(row: Any) -> User:
    return User(row.id, row.organisation, row.name, bool(row.admin), row.oidc_subject)


def _role(row: Any) -> RoleAssignment:
    return RoleAssignment(
        row.user_id,
        Role(row.role),
        ResourceKind(row.resource_kind),
        row.resource_id,
        CodeScope(row.codes) if row.codes else None,
        row.id,
        row.granted_at,
        row.granted_by,
    )


def _change_set(row: Any, contributors: frozenset[str] = frozenset()) -> ChangeSet:
    return ChangeSet(
        classification_id=row.classification_id,
        title=row.title,
        author=row.author,
        label=row.label,
        effective=row.effective,
        base=row.base,
        created_at=row.created_at,
        state=State(row.state),
        revision=row.revision,
        levels=tuple(level_from_dict(x) for x in row.levels) if row.levels is not None else None,
        metadata=row.meta,
        reviewer=row.reviewer,
        publisher=row.publisher,
        reason=row.reason,
        note=row.note,
        updated_at=row.updated_at,
        published_at=row.published_at,
        id=row.id,
        contributors=contributors | {row.author},
    )


def _entry(row: Any) -> Entry:
    return Entry(
        row.change_set_id,
        row.code,
        row.revision,
        EntryOp(row.op),
        row.base,
        row.author,
        row.at,
        item_from_dict(row.item) if row.item is not None else None,
        row.valid_to,
    )


def _audit(row: Any) -> AuditEntry:
    return AuditEntry(
        row.at,
        row.actor,
        row.action,
        row.organisation,
        row.classification_id,
        row.code,
        row.change_set_id,
        row.note,
        dict(row.details or {}),
        row.id,
    )


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _not_revoked(kind: str, target: Any) -> Any:
    return ~exists().where(t.revocation.c.kind == kind, t.revocation.c.target == target)


class SqlGovernanceStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- locks ----------------------------------------------------------------------------------
    def lock(self, name: str) -> None:
        if self.conn.dialect.name == "postgresql":
            # The same advisory lock an import takes (``SqlUnitOfWork.lock``): imports and
            # publications of one classification take turns.
            self.conn.execute(ADVISORY_LOCK, {"name": name})
        elif self.conn.dialect.name == "sqlite":
            self.conn.execute(sqlite_insert(t.lock).values(name=name).on_conflict_do_nothing())

    # -- organisations and users ----------------------------------------------------------------
    def add_organisation(self, org: Organisation, at: datetime, by: str) -> None:
        self._insert(
            t.organisation,
            f"organisation {org.id!r} exists already",
            id=org.id,
            name=org.name,
            kind=str(org.kind),
            created_at=at,
            created_by=by,
        )

    def organisation(self, org_id: str) -> Organisation | None:
        row = self.conn.execute(select(t.organisation).where(t.organisation.c.id == org_id)).first()
        return _org(row) if row else None

    def organisations(self) -> list[Organisation]:
        return [_org(r) for r in self.conn.execute(select(t.organisation).order_by(t.organisation.c.id))]

    def add_user(self, user: User, at: datetime, by: str) -> None:
        self._insert(
            t.user,
            f"user {user.id!r} (or its OIDC subject) exists already",
            id=user.id,
            organisation=user.organisation,
            name=user.name,
            admin=user.admin,
            oidc_subject=user.oidc_subject,
            created_at=at,
            created_by=by,
        )

    def user(self, user_id: str) -> User | None:
        row = self.conn.execute(select(t.user).where(t.user.c.id == user_id)).first()
        return _user(row) if row else None

    def user_by_subject(self, subject: str) -> User | None:
        row = self.conn.execute(select(t.user).where(t.user.c.oidc_subject == subject)).first()
        return _user(row) if row else None

    def users(self, organisation: str | None = None) -> list[User]:
        query = select(t.user).order_by(t.user.c.id)
        if organisation is not None:
            query = query.where(t.user.c.organisation == organisation)
        return [_user(r) for r in self.conn.execute(query)]

    # -- tokens ---------------------------------------------------------------------------------
    def add_token(self, token: TokenRecord) -> None:
        self._insert(
            t.token,
            "token exists already",
            id=token.id,
            user_id=token.user_id,
            name=token.name,
            secret_hash=token.secret_hash,
            created_at=token.created_at,
            expires_at=token.expires_at,
            created_by=token.created_by,
        )

    def _tokens(self) -> Any:
        revoked = (
            select(t.revocation.c.revoked_at)
            .where(t.revocation.c.kind == "token", t.revocation.c.target == t.token.c.id)
            .scalar_subquery()
        )
        return select(t.token, revoked.label("revoked_at"))

    @staticmethod
    def _token(row: Any) -> TokenRecord:
        return TokenRecord(
            row.id,
            row.user_id,
            row.name,
            row.secret_hash,
            row.created_at,
            row.expires_at,
            row.created_by,
            row.revoked_at,
        )

    def token(self, token_id: str) -> TokenRecord | None:
        row = self.conn.execute(self._tokens().where(t.token.c.id == token_id)).first()
        return self._token(row) if row else None

    def token_by_hash(self, secret_hash: str) -> TokenRecord | None:
        row = self.conn.execute(self._tokens().where(t.token.c.secret_hash == secret_hash)).first()
        return self._token(row) if row else None

    def tokens(self, user_id: str) -> list[TokenRecord]:
        query = self._tokens().where(t.token.c.user_id == user_id).order_by(t.token.c.created_at)
        rows = self.conn.execute(query)
        return [self._token(r) for r in rows]

    # -- role assignments -------------------------------------------------------------------------
    def add_assignment(self, assignment: RoleAssignment) -> int:
        result = self.conn.execute(
            insert(t.role).values(
                user_id=assignment.user_id,
                role=str(assignment.role),
                resource_kind=str(assignment.resource_kind),
                resource_id=assignment.resource_id,
                codes=assignment.codes.pattern if assignment.codes else None,
                granted_at=assignment.granted_at,
                granted_by=assignment.granted_by,
            )
        )
        return _new_id(result)

    def _roles(self) -> Any:
        return select(t.role).where(_not_revoked("role", cast(t.role.c.id, String)))

    def assignment(self, assignment_id: int) -> RoleAssignment | None:
        row = self.conn.execute(self._roles().where(t.role.c.id == assignment_id)).first()
        return _role(row) if row else None

    def assignments(
        self, *, user_id: str | None = None, kind: ResourceKind | None = None, resource_id: str | None = None
    ) -> list[RoleAssignment]:
        query = self._roles().order_by(t.role.c.id)
        if user_id is not None:
            query = query.where(t.role.c.user_id == user_id)
        if kind is not None:
            query = query.where(t.role.c.resource_kind == str(kind))
        if resource_id is not None:
            query = query.where(t.role.c.resource_id == resource_id)
        return [_role(r) for r in self.conn.execute(query)]

    def revoke(self, kind: str, target: str, at: datetime, by: str, reason: str | None) -> bool:
        done = self.conn.execute(
            select(t.revocation.c.id).where(t.revocation.c.kind == kind, t.revocation.c.target == target)
        ).first()
        if done is not None:
            return False
        self._insert(
            t.revocation,
            f"{kind} {target} is revoked already",
            kind=kind,
            target=target,
            revoked_at=at,
            revoked_by=by,
            reason=reason,
        )
        return True

    # -- access policies ------------------------------------------------------------------------
    def policy(self, kind: ResourceKind, resource_id: str) -> AccessPolicy | None:
        row = self.conn.execute(
            select(t.policy)
            .where(t.policy.c.resource_kind == str(kind), t.policy.c.resource_id == resource_id)
            .order_by(t.policy.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return AccessPolicy(
            ResourceKind(row.resource_kind), row.resource_id, row.owner, row.public_read, bool(row.four_eyes)
        )

    def set_policy(self, policy: AccessPolicy, at: datetime, by: str) -> None:
        self.conn.execute(
            insert(t.policy).values(
                resource_kind=str(policy.kind),
                resource_id=policy.resource_id,
                owner=policy.owner,
                public_read=policy.public_read,
                four_eyes=policy.four_eyes,
                recorded_at=at,
                recorded_by=by,
            )
        )

    # -- change sets ----------------------------------------------------------------------------
    @staticmethod
    def _change_set_values(cs: ChangeSet) -> dict[str, Any]:
        return {
            "classification_id": cs.classification_id,
            "title": cs.title,
            "author": cs.author,
            "state": str(cs.state),
            "label": cs.label,
            "effective": cs.effective,
            "base": cs.base,
            "revision": cs.revision,
            "levels": [level_to_dict(lv) for lv in cs.levels] if cs.levels is not None else None,
            "meta": cs.metadata,
            "reviewer": cs.reviewer,
            "publisher": cs.publisher,
            "reason": cs.reason,
            "note": cs.note,
            "created_at": cs.created_at,
            "updated_at": cs.updated_at,
            "published_at": cs.published_at,
        }

    def add_change_set(self, change_set: ChangeSet) -> int:
        result = self.conn.execute(insert(t.change_set).values(**self._change_set_values(change_set)))
        return _new_id(result)

    def change_set(self, change_set_id: int, *, for_update: bool = False) -> ChangeSet | None:
        query = select(t.change_set).where(t.change_set.c.id == change_set_id)
        row = self.conn.execute(query.with_for_update() if for_update else query).first()
        return (
            _change_set(row, self._contributors([change_set_id]).get(change_set_id, frozenset()))
            if row
            else None
        )

    def _contributors(
        self, change_set_ids: Sequence[int] | None = None, classification_id: str | None = None
    ) -> dict[int, frozenset[str]]:
        query = select(t.contributor.c.change_set_id, t.contributor.c.user_id)
        if change_set_ids is not None:
            query = query.where(t.contributor.c.change_set_id.in_(change_set_ids))
        if classification_id is not None:
            query = query.join(t.change_set, t.change_set.c.id == t.contributor.c.change_set_id).where(
                t.change_set.c.classification_id == classification_id
            )
        found: dict[int, set[str]] = {}
        for cs_id, user_id in self.conn.execute(query):
            found.setdefault(cs_id, set()).add(user_id)
        return {k: frozenset(v) for k, v in found.items()}

    def add_contributor(self, change_set_id: int, user_id: str, at: datetime) -> None:
        values = {"change_set_id": change_set_id, "user_id": user_id, "first_at": at}
        if self.conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            self.conn.execute(pg_insert(t.contributor).values(**values).on_conflict_do_nothing())
        else:
            self.conn.execute(sqlite_insert(t.contributor).values(**values).on_conflict_do_nothing())

    def bump_change_set(self, change_set_id: int, at: datetime) -> int | None:
        row = self.conn.execute(
            update(t.change_set)
            .where(t.change_set.c.id == change_set_id, t.change_set.c.state == str(State.DRAFT))
            .values(revision=t.change_set.c.revision + 1, updated_at=at)
            .returning(t.change_set.c.revision)
        ).first()
        return int(row[0]) if row else None

    def change_sets(self, classification_id: str, state: State | None = None) -> list[ChangeSet]:
        query = select(t.change_set).where(t.change_set.c.classification_id == classification_id)
        if state is not None:
            query = query.where(t.change_set.c.state == str(state))
        contributors = self._contributors(classification_id=classification_id)
        rows = self.conn.execute(query.order_by(t.change_set.c.id))
        return [_change_set(r, contributors.get(r.id, frozenset())) for r in rows]

    def save_change_set(self, change_set: ChangeSet) -> None:
        self.conn.execute(
            update(t.change_set)
            .where(t.change_set.c.id == change_set.id)
            .values(**self._change_set_values(change_set))
        )

    def add_entry(self, entry: Entry) -> None:
        item = item_to_dict(entry.item) if entry.item is not None else None
        conflict = f"{entry.code} was changed in the draft meanwhile (revision {entry.revision})"
        self._insert(
            t.change_entry,
            conflict,
            change_set_id=entry.change_set_id,
            code=entry.code,
            revision=entry.revision,
            op=str(entry.op),
            base=entry.base,
            author=entry.author,
            at=entry.at,
            item=item,
            valid_to=entry.valid_to,
        )

    def entries(self, change_set_id: int) -> list[Entry]:
        latest = (
            select(t.change_entry.c.code, func.max(t.change_entry.c.revision).label("revision"))
            .where(t.change_entry.c.change_set_id == change_set_id)
            .group_by(t.change_entry.c.code)
            .subquery()
        )
        rows = self.conn.execute(
            select(t.change_entry)
            .join(
                latest,
                and_(t.change_entry.c.code == latest.c.code, t.change_entry.c.revision == latest.c.revision),
            )
            .where(t.change_entry.c.change_set_id == change_set_id)
            .order_by(t.change_entry.c.code)
        )
        return [_entry(r) for r in rows]

    def entry(self, change_set_id: int, code: str) -> Entry | None:
        row = self.conn.execute(
            select(t.change_entry)
            .where(t.change_entry.c.change_set_id == change_set_id, t.change_entry.c.code == code)
            .order_by(t.change_entry.c.revision.desc())
            .limit(1)
        ).first()
        return _entry(row) if row else None

    def entry_history(self, change_set_id: int, code: str | None = None) -> list[Entry]:
        query = select(t.change_entry).where(t.change_entry.c.change_set_id == change_set_id)
        if code is not None:
            query = query.where(t.change_entry.c.code == code)
        return [_entry(r) for r in self.conn.execute(query.order_by(t.change_entry.c.id))]

    # -- audit ------------------------------------------------------------------------------------
    def add_audit(self, entry: AuditEntry) -> None:
        self.conn.execute(
            insert(t.audit).values(
                at=entry.at,
                actor=entry.actor,
                organisation=entry.organisation,
                action=entry.action,
                classification_id=entry.classification_id,
                code=entry.code,
                change_set_id=entry.change_set_id,
                note=entry.note,
                details=entry.details,
            )
        )

    def audit(
        self, classification_id: str | None, code: str | None = None, *, after: int = 0, limit: int = 100
    ) -> list[AuditEntry]:
        query = select(t.audit).where(t.audit.c.id > after)
        if classification_id is not None:
            query = query.where(t.audit.c.classification_id == classification_id)
        if code is not None:
            query = query.where(t.audit.c.code == code)
        return [_audit(r) for r in self.conn.execute(query.order_by(t.audit.c.id).limit(limit))]

    def last_audit(self, classification_id: str, code: str, action: str | None = None) -> AuditEntry | None:
        query = select(t.audit).where(
            t.audit.c.classification_id == classification_id, t.audit.c.code == code
        )
        if action is not None:
            query = query.where(t.audit.c.action == action)
        row = self.conn.execute(query.order_by(t.audit.c.id.desc()).limit(1)).first()
        return _audit(row) if row else None

    # -- the registry, for version tags ---------------------------------------------------------
    def registry_head(self, classification_id: str) -> str:
        reg = self.conn.execute(
            select(func.max(registration.c.id)).where(registration.c.classification_id == classification_id)
        ).scalar()
        pol = self.conn.execute(
            select(func.max(t.policy.c.id)).where(
                t.policy.c.resource_kind == "classification", t.policy.c.resource_id == classification_id
            )
        ).scalar()
        return f"{reg or 0}:{pol or 0}"

    def item_fingerprints(self, classification_id: str, codes: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        wanted = list(dict.fromkeys(codes))
        for start in range(0, len(wanted), 500):
            rows = self.conn.execute(
                select(item_record.c.code, item_record.c.fingerprint).where(
                    item_record.c.classification_id == classification_id,
                    item_record.c.recorded_to.is_(None),
                    item_record.c.code.in_(wanted[start : start + 500]),
                )
            )
            for code, fp in rows:
                found.setdefault(code, []).append(fp)
        return found

    def latest_release_date(self, classification_id: str) -> date | None:
        value: date | None = self.conn.execute(
            select(func.max(release.c.release_date)).where(release.c.classification_id == classification_id)
        ).scalar()
        return value

    # -- helpers --------------------------------------------------------------------------------
    def _insert(self, table: Any, conflict: str, **values: Any) -> None:
        """Insert; a unique key taken already is a ``Conflict`` (the transaction is then rolled back)."""
        try:
            self.conn.execute(insert(table).values(**values))
        except IntegrityError:
            raise Conflict(conflict) from None


_SQLITE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_WRITERS_GUARD = threading.Lock()


def _writer_lock(engine: Engine) -> threading.RLock:
    with _WRITERS_GUARD:
        return _SQLITE_WRITERS.setdefault(engine, threading.RLock())


class SqlGovernanceUnitOfWork(SqlUnitOfWork):
    """The registry's unit of work plus the governance store, on one transaction.

    On SQLite, writers of one process also queue on a lock of their own before ``BEGIN IMMEDIATE``:
    SQLite has one writer at a time anyway, and its busy handler would otherwise make waiting writers
    sleep in growing steps (writers in other processes still queue through the busy timeout).
    """

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        super().__init__(engine)
        self._write = write and engine.dialect.name == "sqlite"
        self._lock = _writer_lock(engine) if self._write else None

    def __enter__(self) -> SqlGovernanceUnitOfWork:
        if self._lock is not None:
            self._lock.acquire()
        try:
            super().__enter__()
        except BaseException:
            self._release()
            raise
        if self._write:
            try:
                self.conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException as exc:
                self.__exit__(type(exc), exc, exc.__traceback__)
                raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()

    @property
    def governance(self) -> SqlGovernanceStore:
        return SqlGovernanceStore(self.conn)


class SqlGovernanceUowFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, *, write: bool = False) -> SqlGovernanceUnitOfWork:
        return SqlGovernanceUnitOfWork(self.engine, write=write)


def open_governance(engine: Engine, settings: Settings, listeners: Sequence[Listener] = ()) -> Governance:
    """The governance context for an engine and its settings (the adapters' one way to get it)."""
    oidc = None
    if settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks:
        oidc = OidcConfig.from_jwks(settings.oidc_issuer, settings.oidc_audience, settings.oidc_jwks)
    return Governance(
        SqlGovernanceUowFactory(engine),
        public_copyrighted=settings.public_copyrighted,
        bootstrap_tokens=settings.api_tokens,
        oidc=oidc,
        listeners=tuple(listeners),
        read_cache_seconds=max(settings.read_cache_seconds, 0.0),
    )
