"""A small governed world for tests: organisations, users with roles, tokens, classifications, drafts.

``build_world()`` makes it once (in-memory SQLite); ``clone(world)`` copies its database in a few
milliseconds, so every test case can start from the same state and change it freely.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.classification import Classification
from kodeks.domain.governance.etag import change_set_etag
from kodeks.domain.governance.identity import Actor, Organisation, OrgKind, TokenRecord, User, system_actor
from kodeks.domain.governance.roles import ResourceKind, Role
from kodeks.domain.item import Item
from kodeks.services.governance import changesets, classifications, drafts, identity, publishing, roles
from kodeks.services.governance.context import Governance
from kodeks.storage.governance import open_governance
from kodeks.storage.unit_of_work import SqlUnitOfWorkFactory

BOOTSTRAP = "bootstrap-" + "b" * 32
OWN, OTHER = "751", "101"
PLANS = {OWN: "own-plan", OTHER: "other-plan"}
ROLES = ("reader", "editor", "reviewer", "owner")
#: Callers whose role on the own plan is narrowed to a subtree of codes (the draft edits 01; the
#: submitted and approved change sets edit only the 02 subtree).
SCOPED = {
    "scoped-editor": (Role.EDITOR, "01.*"),
    "scoped-reviewer": (Role.REVIEWER, "02.*"),
    "scoped-owner": (Role.OWNER, "01.*"),
}
#: "coauthor" (an owner of 751) added an item to the own plan's submitted and approved change sets.


def settings(**kw: object) -> Settings:
    values: dict[str, object] = {
        "database_url": "sqlite://",
        "api_tokens": (BOOTSTRAP,),
        "max_request_bytes": 64 * 1024,
        "read_cache_seconds": 0.0,
    }
    return Settings(**{**values, **kw})  # type: ignore[arg-type]


def gov_of(kodeks: Kodeks) -> Governance:
    return open_governance(kodeks.engine, kodeks.settings, kodeks.listeners)


def item(code: str, title: str = "", parent: str | None = None) -> Item:
    return Item(code, {"da": title or f"Emne {code}"}, level=code.count(".") + 1, parent=parent)


@dataclass
class Plan:
    """One governed classification and its change sets in each workflow state."""

    id: str
    etag: str = ""
    draft: int = 0
    draft_etag: str = ""
    draft_item_etag: str = ""
    submitted: int = 0
    submitted_etag: str = ""
    approved: int = 0
    approved_etag: str = ""
    reader_role: int = 0


@dataclass
class World:
    kodeks: Kodeks
    tokens: dict[str, str] = field(default_factory=dict)  # who -> bearer secret
    token_ids: dict[str, str] = field(default_factory=dict)  # who -> token id
    plans: dict[str, Plan] = field(default_factory=dict)  # org -> plan

    def auth(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}


def _token(gov: Governance, user: str, *, expired: bool = False) -> tuple[str, str]:
    if not expired:
        issued = identity.issue_token(gov, system_actor(), user, "test")
        return issued.record.id, issued.secret
    secret = identity.TOKEN_PREFIX + f"expired-{user}-" + "e" * 20
    now = datetime(2020, 1, 1)
    record = TokenRecord(
        f"exp-{user}"[:32],
        user,
        "expired",
        identity.hash_secret(secret),
        now,
        now + timedelta(days=1),
        "test",
    )
    with gov.uow(write=True) as uow:
        uow.governance.add_token(record)
        uow.commit()
    return record.id, secret


def build_world(**settings_kw: object) -> World:
    kodeks = build(settings(**settings_kw))
    gov = gov_of(kodeks)
    admin = system_actor("setup")
    world = World(kodeks)
    identity.create_organisation(gov, admin, Organisation("kl", "KL", OrgKind.ASSOCIATION))
    for org in (OWN, OTHER):
        identity.create_organisation(gov, admin, Organisation(org, f"Kommune {org}", OrgKind.MUNICIPALITY))
        for who, role in (
            ("author", Role.EDITOR),
            ("approver", Role.REVIEWER),
            ("boss", Role.OWNER),
            ("colleague", None),
        ):
            identity.create_user(gov, admin, User(f"{who}-{org}", org, who.title()))
            if role is not None:
                roles.assign(gov, admin, f"{who}-{org}", role, ResourceKind.ORGANISATION, org)
    for name in ROLES:
        identity.create_user(gov, admin, User(name, OWN, name.title()))
        roles.assign(gov, admin, name, Role(name), ResourceKind.ORGANISATION, OWN)
        world.token_ids[name], world.tokens[name] = _token(gov, name)
    identity.create_user(gov, admin, User("admin", "kl", "Admin", admin=True))
    world.token_ids["admin"], world.tokens["admin"] = _token(gov, "admin")
    identity.create_user(gov, admin, User("lapsed", OWN, "Lapsed owner"))
    roles.assign(gov, admin, "lapsed", Role.OWNER, ResourceKind.ORGANISATION, OWN)
    world.token_ids["expired"], world.tokens["expired"] = _token(gov, "lapsed", expired=True)
    world.token_ids["revoked"], world.tokens["revoked"] = _token(gov, "lapsed")
    identity.revoke_token(gov, admin, world.token_ids["revoked"], "left the team")
    identity.create_user(gov, admin, User("coauthor", OWN, "Co-author"))
    roles.assign(gov, admin, "coauthor", Role.OWNER, ResourceKind.ORGANISATION, OWN)
    for org in (OWN, OTHER):
        colleague = f"colleague-{org}"
        world.token_ids[colleague], world.tokens[colleague] = _token(gov, colleague)
        world.plans[org] = _plan(gov, org)
    for who, (role, codes) in SCOPED.items():
        identity.create_user(gov, admin, User(who, OWN, who.title()))
        roles.assign(gov, admin, who, role, ResourceKind.CLASSIFICATION, PLANS[OWN], codes)
    for who in (*SCOPED, "coauthor"):
        world.token_ids[who], world.tokens[who] = _token(gov, who)
    return world


def _plan(gov: Governance, org: str) -> Plan:
    cid = PLANS[org]
    author = identity.local_actor(gov, f"author-{org}")
    approver = identity.local_actor(gov, f"approver-{org}")
    boss = identity.local_actor(gov, f"boss-{org}")
    classifications.create(gov, boss, Classification(cid, {"da": f"Plan {org}"}), owner=org)
    base = _change_set(
        gov,
        author,
        cid,
        "base",
        date(2020, 1, 1),
        [item("01"), item("01.01", parent="01"), item("02"), item("02.01", parent="02")],
    )
    cs = changesets.submit(gov, author, base, _tag(gov, author, base))
    cs = changesets.approve(gov, approver, base, change_set_etag(base, cs.revision))
    publishing.publish(gov, approver, base, change_set_etag(base, cs.revision), "base version")
    plan = Plan(cid)
    plan.reader_role = (
        roles.assign(gov, boss, f"colleague-{org}", Role.READER, ResourceKind.CLASSIFICATION, cid).id or 0
    )
    plan.draft = _change_set(gov, author, cid, "draft", date(2025, 1, 1), [item("01", "Ny titel")])
    plan.draft_etag = _tag(gov, author, plan.draft)
    plan.draft_item_etag = drafts.draft_item(gov, author, plan.draft, "01").etag
    plan.submitted = _change_set(gov, author, cid, "submitted", date(2025, 1, 1), [item("02", "Andet")])
    coauthor = identity.local_actor(gov, "coauthor") if org == OWN else author
    drafts.put_item(gov, coauthor, plan.submitted, "02.02", item("02.02", parent="02"), None)
    plan.submitted_etag = change_set_etag(
        plan.submitted,
        changesets.submit(gov, author, plan.submitted, _tag(gov, author, plan.submitted)).revision,
    )
    plan.approved = _change_set(
        gov, author, cid, "approved", date(2025, 1, 1), [item("02.01", "Tredje", "02")]
    )
    drafts.put_item(gov, coauthor, plan.approved, "02.03", item("02.03", parent="02"), None)
    cs = changesets.submit(gov, author, plan.approved, _tag(gov, author, plan.approved))
    cs = changesets.approve(gov, approver, plan.approved, change_set_etag(plan.approved, cs.revision))
    plan.approved_etag = change_set_etag(plan.approved, cs.revision)
    plan.etag = classifications.governed(gov, boss, cid).etag
    return plan


def _tag(gov: Governance, actor: Actor, cs_id: int) -> str:
    cs, _ = changesets.get(gov, actor, cs_id)
    return change_set_etag(cs_id, cs.revision)


def _change_set(
    gov: Governance, author: Actor, cid: str, title: str, effective: date, items: list[Item]
) -> int:
    cs = changesets.open_change_set(
        gov, author, cid, title=title, label=f"{effective.year}-{title}", effective=effective
    )
    assert cs.id is not None
    for it in items:
        current = drafts.draft_item(gov, author, cs.id, it.code)
        exists = bool(current.history) or current.entry is not None
        drafts.put_item(gov, author, cs.id, it.code, it, current.etag if exists else None)
    return cs.id


def clone(world: World) -> World:
    """A copy of the world on its own in-memory database (SQLite's backup API)."""
    source = world.kodeks.engine.raw_connection()
    try:
        target = sqlite3.connect(":memory:", check_same_thread=False)
        source.driver_connection.backup(target)  # type: ignore[union-attr]
    finally:
        source.close()
    engine = create_engine("sqlite://", creator=lambda: target, poolclass=StaticPool)
    event.listen(engine, "connect", lambda conn, _rec: conn.execute("PRAGMA foreign_keys=ON"))
    kodeks = replace(world.kodeks, engine=engine, uow=SqlUnitOfWorkFactory(engine))
    return replace(world, kodeks=kodeks)


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: equal dumps mean nothing changed."""
    with engine.connect() as conn:
        names = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT name FROM sqlite_master"
                    " WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            )
        ]
        return {
            n: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{n}"'))), key=repr) for n in names
        }
