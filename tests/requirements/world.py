"""A small world for the requirement tools: the principles classification, catalog entries, the
organisations KL and 751 with an editor, a reviewer and a colleague without a role, and tokens.

``build()`` makes it once (in-memory SQLite); tests work on ``clone``s of it (``tests.governance.world``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

from kodeks.bootstrap import Kodeks
from kodeks.bootstrap import build as build_registry
from kodeks.domain.governance.identity import Actor, Organisation, OrgKind, User, Via, system_actor
from kodeks.domain.governance.roles import ResourceKind, Role
from kodeks.services import catalog as catalog_service
from kodeks.services import importing
from kodeks.services.governance import identity, roles
from kodeks.services.governance.identity import actor_for_user
from kodeks.services.ports import ImportOptions
from kodeks.services.requirements.context import Requirements
from kodeks.services.screening.screenings import ScreeningContext
from kodeks.storage.requirements import open_requirements
from kodeks.storage.screening import open_screening
from tests.governance.world import World as GovWorld
from tests.governance.world import clone as clone_world
from tests.governance.world import settings

ORG = "751"


@dataclass
class World:
    kodeks: Kodeks
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    @property
    def ctx(self) -> Requirements:
        return open_requirements(self.kodeks.engine, self.kodeks.settings, self.kodeks.listeners)  # type: ignore[no-any-return]

    @property
    def screening(self) -> ScreeningContext:
        return open_screening(self.kodeks.engine, self.kodeks.settings, self.kodeks.listeners)  # type: ignore[no-any-return]

    def actor(self, user: str) -> Actor:
        gov = self.ctx.gov
        with gov.uow() as uow:
            found = uow.governance.user(user)
            assert found is not None
            return actor_for_user(uow, found, Via.TOKEN)


def import_principles(kodeks: Kodeks) -> None:
    data = (resources.files("kodeks") / "resources" / "fda-principper.ttl").read_bytes()
    importing.import_data(
        kodeks.uow,
        kodeks.formats,
        data,
        "fda-principper.ttl",
        format="skos",
        options=ImportOptions(classification="fda-principper"),
        release_label="Hvidbog 2017",
        release_date=date(2017, 1, 1),
        listeners=kodeks.listeners,
    )


def build() -> World:
    return populate(build_registry(settings()))


def populate(kodeks: Kodeks) -> World:
    """The principles, three catalog entries, the organisations, users, roles and tokens."""
    import_principles(kodeks)
    rows: list[dict[str, Any]] = [
        {"id": "kle", "titles": {"da": "KLE"}},
        {"id": "form", "titles": {"da": "FORM"}},
        {"id": "kle-handlingsfacetter", "titles": {"da": "KLE-handlingsfacetter"}},
    ]
    catalog_service.import_entries(kodeks.uow, kodeks.catalog, kodeks.search_index, rows, "test")
    world = World(kodeks)
    gov = world.ctx.gov
    admin = system_actor("setup")
    identity.create_organisation(gov, admin, Organisation("kl", "KL", OrgKind.ASSOCIATION))
    identity.create_organisation(gov, admin, Organisation(ORG, "Aarhus", OrgKind.MUNICIPALITY))
    for user, role in (("author", Role.EDITOR), ("approver", Role.REVIEWER), ("colleague", None)):
        identity.create_user(gov, admin, User(user, ORG, user.title()))
        if role is not None:
            roles.assign(gov, admin, user, role, ResourceKind.ORGANISATION, ORG)
        world.tokens[user] = identity.issue_token(gov, admin, user, "test").secret
    identity.create_user(gov, admin, User("admin", "kl", "Admin", admin=True))
    world.tokens["admin"] = identity.issue_token(gov, admin, "admin", "test").secret
    return world


def clone(world: World) -> World:
    copied = clone_world(GovWorld(world.kodeks))
    return World(copied.kodeks, dict(world.tokens))


def requirement(rid: str = "ARK-99", **kw: Any) -> dict[str, Any]:
    """A requirement's fields, as a body (owned by 751)."""
    return {
        "id": rid,
        "title": "Data via åbne API'er",
        "text": "Leverandøren skal stille data til rådighed via dokumenterede API'er.",
        "rationale": "Genbrug af data.",
        "principles": ["6", "6.1"],
        "category": "Integration",
        "priority": "must",
        "verification": "documentation",
        "references": [{"kind": "catalog", "target": "kle"}],
        "use_cases": ["Et fagsystem henter data."],
        "owner": ORG,
        **kw,
    }
