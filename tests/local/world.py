"""A small governed world for local-use API tests.

Two municipalities (``751`` own, ``101`` other) and KL; in 751 one user per role (reader, editor,
reviewer, owner), in 101 an owner; an administrator; an expired and a revoked token. Two copies of
the small tree plan: ``own-plan`` owned by 751 and ``other-plan`` owned by 101, each with the reserved
range "emner 90-99 under every group".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.governance.identity import Organisation, OrgKind, TokenRecord, User, system_actor
from kodeks.domain.governance.roles import ResourceKind, Role
from kodeks.domain.local.ranges import ReservedRange
from kodeks.services.governance import classifications, identity, roles
from kodeks.services.governance.context import Governance
from kodeks.services.local import ranges
from kodeks.storage.governance import open_governance
from kodeks.storage.local import open_local_store
from kodeks.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.factories import record, tree_bundle

BOOTSTRAP = "bootstrap-" + "b" * 32
OWN, OTHER = "751", "101"
PLAN = {OWN: "own-plan", OTHER: "other-plan"}
ROLES = ("reader", "editor", "reviewer", "owner")
RANGES = (ReservedRange(level=3, low=90, high=99),)


@dataclass
class World:
    kodeks: Kodeks
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    def get(self, path: str, who: str | None = None, **kw: Any) -> Any:
        return self.client.get(path, headers={**self.auth(who), **kw.pop("headers", {})}, **kw)

    def send(self, method: str, path: str, who: str | None, **kw: Any) -> Any:
        return self.client.request(method, path, headers={**self.auth(who), **kw.pop("headers", {})}, **kw)


def settings(**kw: Any) -> Settings:
    base: dict[str, Any] = {
        "database_url": "sqlite://",
        "api_tokens": (BOOTSTRAP,),
        "max_request_bytes": 64 * 1024,
        "webhook_allow_loopback": True,
        "read_cache_seconds": -1,  # the read cache is the registry's; these tests read their own writes
    }
    return Settings(**{**base, **kw})


def gov_of(kodeks: Kodeks) -> Governance:
    return open_governance(kodeks.engine, kodeks.settings, kodeks.listeners)


def _token(gov: Governance, user: str) -> str:
    return identity.issue_token(gov, system_actor(), user, "test").secret


def _expired(gov: Governance, user: str) -> str:
    secret = identity.TOKEN_PREFIX + f"expired-{user}-" + "e" * 20
    then = datetime(2020, 1, 1)
    with gov.uow(write=True) as uow:
        uow.governance.add_token(
            TokenRecord(
                f"exp-{user}",
                user,
                "expired",
                identity.hash_secret(secret),
                then,
                then + timedelta(days=1),
                "test",
            )
        )
        uow.commit()
    return secret


@cache
def _template() -> tuple[Kodeks, tuple[tuple[str, str], ...]]:
    kodeks = build(settings())
    gov = gov_of(kodeks)
    admin = system_actor("setup")
    tokens: dict[str, str] = {}
    identity.create_organisation(gov, admin, Organisation("kl", "KL", OrgKind.ASSOCIATION))
    for org in (OWN, OTHER):
        identity.create_organisation(gov, admin, Organisation(org, f"Kommune {org}", OrgKind.MUNICIPALITY))
        record(kodeks, tree_bundle(cid=PLAN[org]))
        etag = classifications.governed(gov, admin, PLAN[org]).etag
        classifications.update_policy(gov, admin, PLAN[org], etag, {"owner": org})
        ranges.set_reserved_ranges(kodeks.uow, open_local_store, PLAN[org], RANGES, actor="setup")
    for role in ROLES:
        identity.create_user(gov, admin, User(role, OWN, role.title()))
        roles.assign(gov, admin, role, Role(role), ResourceKind.ORGANISATION, OWN)
        tokens[role] = _token(gov, role)
    identity.create_user(gov, admin, User("owner-101", OTHER, "Owner 101"))
    roles.assign(gov, admin, "owner-101", Role.OWNER, ResourceKind.ORGANISATION, OTHER)
    tokens["owner-101"] = _token(gov, "owner-101")
    identity.create_user(gov, admin, User("admin", "kl", "Admin", admin=True))
    tokens["admin"] = _token(gov, "admin")
    identity.create_user(gov, admin, User("lapsed", OWN, "Lapsed"))
    roles.assign(gov, admin, "lapsed", Role.OWNER, ResourceKind.ORGANISATION, OWN)
    tokens["expired"] = _expired(gov, "lapsed")
    revoked = identity.issue_token(gov, admin, "lapsed", "revoked")
    identity.revoke_token(gov, admin, revoked.record.id, "left")
    tokens["revoked"] = revoked.secret
    return kodeks, tuple(tokens.items())


def _clone(kodeks: Kodeks, **settings_kw: Any) -> Kodeks:
    """A copy on its own in-memory database (SQLite's backup API): milliseconds, not a migration."""
    source = kodeks.engine.raw_connection()
    try:
        target = sqlite3.connect(":memory:", check_same_thread=False)
        source.driver_connection.backup(target)  # type: ignore[union-attr]
    finally:
        source.close()
    engine = create_engine("sqlite://", creator=lambda: target, poolclass=StaticPool)
    event.listen(engine, "connect", lambda conn, _rec: conn.execute("PRAGMA foreign_keys=ON"))
    # share compiled SQL with the template (same dialect): a clone then costs no recompilation
    engine.dialect = kodeks.engine.dialect
    engine._compiled_cache = kodeks.engine._compiled_cache  # type: ignore[attr-defined]
    return replace(
        kodeks,
        settings=replace(kodeks.settings, **settings_kw),
        engine=engine,
        uow=SqlUnitOfWorkFactory(engine),
    )


@cache
def _shared_app() -> FastAPI:
    """One app for every default world: FastAPI prepares each route on its first request, per app."""
    return create_app(_template()[0])


@contextmanager
def world(**settings_kw: Any) -> Iterator[World]:
    """A fresh copy of the governed world (settings may differ, e.g. a smaller request limit)."""
    template, tokens = _template()
    kodeks = _clone(template, **settings_kw)
    app = create_app(kodeks) if settings_kw else _shared_app()
    app.state.kodeks = kodeks
    with TestClient(app, raise_server_exceptions=False) as client:
        yield World(kodeks, client, dict(tokens))


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: equal dumps mean nothing changed."""
    with engine.connect() as conn:
        names = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                    "AND name NOT LIKE 'search_fts%' ORDER BY name"
                )
            )
        ]
        return {
            n: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{n}"'))), key=repr) for n in names
        }


def profile_body(pid: str, owner: str = OWN, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": pid,
        "owner": owner,
        "titles": {"da": f"Profil {pid}"},
        "selections": [
            {"code": "10.01.00", "titles": {"da": "Skoleundervisning"}},
            {"code": "20", "subtree": True},
        ],
        "local_codes": [
            {
                "code": "10.01.90",
                "parent": "10.01",
                "titles": {"da": "Lokal skoleordning"},
                "valid_from": "2013-01-01",
            }
        ],
    }
    return {**body, **kw}


def sortiment_body(sid: str, owner: str = OWN, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": sid,
        "owner": owner,
        "titles": {"da": f"Sortiment {sid}"},
        "valid_from": "2010-01-01",
        "entries": [
            {"classification": "own-plan", "code": "10.01.00", "rank": 1, "label": "Undervisning"},
            {"classification": "own-plan", "code": "10.01.05", "rank": 2},
            {"classification": "other-plan", "code": "20.02.01", "rank": 3},
        ],
    }
    return {**body, **kw}
