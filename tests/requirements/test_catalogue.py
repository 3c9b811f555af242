"""The requirement catalogue's use cases on a real (in-memory) database: workflow, governance, checks."""

from __future__ import annotations

import pytest

from kodeks.domain.governance.changeset import State
from kodeks.domain.governance.identity import ANONYMOUS, system_actor
from kodeks.errors import Conflict, Forbidden, InvalidRequest, NotFound, Unauthorized
from kodeks.services.governance import audit
from kodeks.services.requirements import catalogue
from tests.governance.world import dump
from tests.requirements.world import World, requirement


def publish(world: World, rid: str = "ARK-99", **kw: object) -> None:
    catalogue.create(world.ctx, world.actor("author"), requirement(rid, **kw))
    for action in ("submit", "approve", "publish"):
        who = "author" if action == "submit" else "approver"
        catalogue.transition(world.ctx, world.actor(who), rid, action)


def test_a_requirement_is_drafted_reviewed_and_published_with_four_eyes(world: World) -> None:
    ctx, author, approver = world.ctx, world.actor("author"), world.actor("approver")
    made = catalogue.create(ctx, author, requirement())
    assert (made.state, made.version, made.author) == (State.DRAFT, 1, "author")
    assert catalogue.listing(ctx, ANONYMOUS) == []  # drafts are not public
    with pytest.raises(NotFound):
        catalogue.get(ctx, ANONYMOUS, "ARK-99")
    assert catalogue.get(ctx, approver, "ARK-99").state is State.DRAFT  # a role on the owner reads drafts
    with pytest.raises(Forbidden):
        catalogue.transition(ctx, approver, "ARK-99", "submit")  # reviewers do not submit
    catalogue.transition(ctx, author, "ARK-99", "submit")
    with pytest.raises(Forbidden):
        catalogue.transition(ctx, author, "ARK-99", "approve")
    catalogue.transition(ctx, approver, "ARK-99", "approve")
    published = catalogue.transition(ctx, approver, "ARK-99", "publish", "første version")
    assert published.state is State.PUBLISHED
    assert [r.id for r in catalogue.listing(ctx, ANONYMOUS)] == ["ARK-99"]
    trail = catalogue.trail(ctx, approver, "ARK-99")
    assert [(e.action, e.actor) for e in trail] == [
        ("create", "author"),
        ("submit", "author"),
        ("approve", "approver"),
        ("publish", "approver"),
    ]
    logged = [e.action for e in audit.full_trail(ctx.gov, system_actor(), limit=500)]
    assert logged[-4:] == [
        "requirement.create",
        "requirement.submit",
        "requirement.approve",
        "requirement.publish",
    ]
    with pytest.raises(Unauthorized):
        catalogue.trail(ctx, ANONYMOUS, "ARK-99")


def test_a_published_version_is_frozen_and_a_change_is_the_next_version(world: World) -> None:
    publish(world)
    ctx, author = world.ctx, world.actor("author")
    second = catalogue.revise(ctx, author, "ARK-99", {**requirement(), "title": "Ny titel"})
    assert (second.version, second.state) == (2, State.DRAFT)
    edited = catalogue.revise(ctx, author, "ARK-99", {**requirement(), "title": "Rettet titel"})
    assert (edited.version, edited.title) == (2, "Rettet titel")
    # readers see version 1 until version 2 is published
    assert catalogue.get(ctx, ANONYMOUS, "ARK-99").title == "Data via åbne API'er"
    assert [r.version for r in catalogue.versions(ctx, ANONYMOUS, "ARK-99")] == [1]
    assert [r.version for r in catalogue.listing(ctx, author, drafts=True)] == [2]
    assert [r.version for r in catalogue.listing(ctx, ANONYMOUS, drafts=True)] == [1]
    catalogue.transition(ctx, author, "ARK-99", "submit")
    with pytest.raises(Conflict):
        catalogue.revise(ctx, author, "ARK-99", requirement())  # under review: not edited
    rejected = catalogue.transition(ctx, world.actor("approver"), "ARK-99", "reject", "for vag")
    assert rejected.state is State.REJECTED
    assert catalogue.revise(ctx, author, "ARK-99", requirement()).version == 3


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"principles": ["9.9"]}, "no principle or rule '9.9'"),
        ({"references": [{"kind": "catalog", "target": "nope"}]}, "no catalog entry 'nope'"),
        ({"references": [{"kind": "classification", "target": "fda-principper:77"}]}, "has no code '77'"),
        ({"references": [{"kind": "classification", "target": "unknown"}]}, "no classification 'unknown'"),
        ({"priority": "sometimes"}, "priority"),
        ({"id": "x" * 65}, "requirement id"),
        ({"use_cases": "one"}, "list of strings"),
    ],
)
def test_what_a_requirement_names_must_exist_and_nothing_is_written_otherwise(
    world: World, change: dict[str, object], problem: str
) -> None:
    before = dump(world.kodeks.engine)
    with pytest.raises(InvalidRequest, match=problem):
        catalogue.create(world.ctx, world.actor("author"), {**requirement(), **change})
    assert dump(world.kodeks.engine) == before


def test_roles_decide_who_writes(world: World) -> None:
    with pytest.raises(Forbidden):
        catalogue.create(world.ctx, world.actor("colleague"), requirement())
    with pytest.raises(Unauthorized):
        catalogue.create(world.ctx, ANONYMOUS, requirement())
    with pytest.raises(Forbidden):
        catalogue.create(world.ctx, world.actor("author"), requirement(owner="kl"))  # another organisation's
    catalogue.create(world.ctx, world.actor("author"), requirement())
    with pytest.raises(Conflict):
        catalogue.create(world.ctx, world.actor("author"), requirement())


def test_listing_filters_by_words_principle_and_category(world: World) -> None:
    publish(world, "A-1", principles=["6.1"], title="Del data")
    publish(world, "A-2", principles=["4.2"], title="Sikker adgang", category="Sikkerhed")
    ctx = world.ctx
    assert [r.id for r in catalogue.listing(ctx, ANONYMOUS, principle="6")] == ["A-1"]
    assert [r.id for r in catalogue.listing(ctx, ANONYMOUS, principle="4.2")] == ["A-2"]
    assert [r.id for r in catalogue.listing(ctx, ANONYMOUS, q="SIKKER adgang")] == ["A-2"]
    assert [r.id for r in catalogue.listing(ctx, ANONYMOUS, category="Sikkerhed")] == ["A-2"]
    with pytest.raises(InvalidRequest):
        catalogue.listing(ctx, ANONYMOUS, q="x" * 501)


def test_import_publishes_once_and_a_changed_text_is_a_new_version(world: World) -> None:
    admin = system_actor("cli")
    rows = [requirement("I-1"), requirement("I-2")]
    assert len(catalogue.import_published(world.ctx, admin, rows, owner="kl")) == 2
    assert catalogue.import_published(world.ctx, admin, rows, owner="kl") == []
    changed = catalogue.import_published(world.ctx, admin, [{**rows[0], "text": "Ny tekst"}], owner="kl")
    assert [(r.id, r.version) for r in changed] == [("I-1", 2)]
    with pytest.raises(InvalidRequest):
        catalogue.import_published(world.ctx, world.actor("author"), rows, owner="751")
    before = dump(world.kodeks.engine)
    with pytest.raises(InvalidRequest):  # the second row is bad: the first is not written either
        catalogue.import_published(
            world.ctx, admin, [requirement("I-3"), {**requirement("I-4"), "principles": ["0"]}], owner="kl"
        )
    with pytest.raises(InvalidRequest, match="twice"):
        catalogue.import_published(world.ctx, admin, [requirement("I-5"), requirement("I-5")], owner="kl")
    assert dump(world.kodeks.engine) == before


def test_the_principles_classification_holds_the_eight_principles_and_the_checked_rules(world: World) -> None:
    from kodeks.services import queries

    items = queries.items(world.kodeks.uow, "fda-principper", queries.When.of())
    principles = [i.code for i in items if i.parent is None]
    rules = sorted(i.code for i in items if i.parent is not None)
    assert principles == [str(n) for n in range(1, 9)]
    assert rules == ["1.1", "1.2", "1.4", "2.1", "2.6", "4.2", "6.1", "8.1"]
    assert all(i.parent == i.code.split(".")[0] for i in items if i.parent)
    assert all(i.description for i in items)
    found = queries.get_classification(world.kodeks.uow, "fda-principper")
    assert "ikke den officielle tekst" in (found.description or "")
