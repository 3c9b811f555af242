"""The pure governance rules: scopes, access decisions, the workflow, edits and the frozen rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kodeks.domain.governance import changeset as workflow
from kodeks.domain.governance import edits
from kodeks.domain.governance.changeset import ChangeSet, Entry, EntryOp, State
from kodeks.domain.governance.etag import change_set_etag, classification_etag, entry_etag, item_etag
from kodeks.domain.governance.identity import ANONYMOUS, Actor, Organisation, OrgKind, User
from kodeks.domain.governance.policy import AccessPolicy, CodePath, Resource, decide, organisation_resource
from kodeks.domain.governance.roles import Action, CodeScope, ResourceKind, Role, RoleAssignment
from kodeks.domain.item import Item
from kodeks.domain.period import Period

NOW = datetime(2025, 3, 1, 12, 0)
KLE = Resource(ResourceKind.CLASSIFICATION, "kle", owner="kl")


def grant(
    role: Role, kind: ResourceKind = ResourceKind.CLASSIFICATION, rid: str = "kle", codes: str | None = None
) -> RoleAssignment:
    return RoleAssignment("u", role, kind, rid, CodeScope(codes) if codes else None)


def actor(*grants: RoleAssignment, admin: bool = False) -> Actor:
    return Actor("u", "751", admin=admin, grants=grants)


def test_code_scope_is_a_subtree_or_one_code() -> None:
    subtree, single = CodeScope("27.*"), CodeScope("27")
    assert subtree.covers("27") and subtree.covers("27.03.01", ("27.03", "27"))
    assert not subtree.covers("28.01", ("28",)) and not subtree.covers("270", ())
    assert single.covers("27") and not single.covers("27.03", ("27",))
    for bad in ("", "*", "2 7.*", "27/*", "a/b"):
        with pytest.raises(ValueError):
            CodeScope(bad)


def test_admin_may_everything_and_public_read_needs_no_one() -> None:
    assert decide(actor(admin=True), Action.ADMINISTER, KLE).allowed
    public = Resource(ResourceKind.CLASSIFICATION, "db07", public=True)
    assert decide(ANONYMOUS, Action.READ, public).allowed
    refused = decide(ANONYMOUS, Action.READ_AUDIT, public)
    assert not refused.allowed and refused.needs_authentication


def test_roles_allow_their_actions_only() -> None:
    assert decide(actor(grant(Role.EDITOR)), Action.DRAFT, KLE).allowed
    assert not decide(actor(grant(Role.EDITOR)), Action.PUBLISH, KLE).allowed
    assert decide(actor(grant(Role.REVIEWER)), Action.PUBLISH, KLE).allowed
    assert not decide(actor(grant(Role.REVIEWER)), Action.DRAFT, KLE).allowed
    assert decide(actor(grant(Role.READER)), Action.READ, KLE).allowed
    assert not decide(actor(grant(Role.READER)), Action.SUBMIT, KLE).allowed
    refused = decide(actor(grant(Role.READER)), Action.DRAFT, KLE)
    assert not refused.allowed and not refused.needs_authentication


def test_an_organisation_scope_covers_what_the_organisation_owns() -> None:
    org_owner = actor(grant(Role.OWNER, ResourceKind.ORGANISATION, "kl"))
    assert decide(org_owner, Action.ADMINISTER, KLE).allowed
    assert decide(org_owner, Action.CREATE, organisation_resource("kl")).allowed
    theirs = Resource(ResourceKind.CLASSIFICATION, "x", owner="751")
    assert not decide(org_owner, Action.DRAFT, theirs).allowed
    assert not decide(org_owner, Action.DRAFT, Resource(ResourceKind.CLASSIFICATION, "y", owner=None)).allowed
    on_kle = actor(grant(Role.EDITOR))
    assert not decide(on_kle, Action.DRAFT, Resource(ResourceKind.SORTIMENT, "kle", owner="kl")).allowed


def test_a_code_scope_narrows_item_actions_but_not_reads() -> None:
    scoped = actor(grant(Role.OWNER, codes="27.*"))
    inside = Resource(ResourceKind.CLASSIFICATION, "kle", owner="kl", codes=(CodePath("27.03", ("27",)),))
    outside = Resource(
        ResourceKind.CLASSIFICATION,
        "kle",
        owner="kl",
        codes=(CodePath("27.03", ("27",)), CodePath("28.01", ("28",))),
    )
    assert decide(scoped, Action.DRAFT, inside).allowed
    refused = decide(scoped, Action.DRAFT, outside)
    assert not refused.allowed and "28.01" in refused.reason
    assert decide(scoped, Action.READ, outside).allowed
    assert not decide(scoped, Action.ADMINISTER, KLE).allowed


def test_identities_validate() -> None:
    Organisation("751", "Aarhus Kommune", OrgKind.MUNICIPALITY)
    with pytest.raises(ValueError):
        Organisation("aarhus", "Aarhus Kommune", OrgKind.MUNICIPALITY)
    with pytest.raises(ValueError):
        Organisation("KL", "KL")
    with pytest.raises(ValueError):
        User("Anna Jensen", "751", "Anna")
    with pytest.raises(ValueError):
        RoleAssignment("u", Role.EDITOR, ResourceKind.ORGANISATION, "751", CodeScope("27.*"))


def test_default_read_policy_follows_copyright_and_the_installation() -> None:
    default = AccessPolicy(ResourceKind.CLASSIFICATION, "kle")
    assert default.is_public(copyrighted=False, public_copyrighted=False)
    assert default.is_public(copyrighted=True, public_copyrighted=True)
    assert not default.is_public(copyrighted=True, public_copyrighted=False)
    closed = AccessPolicy(ResourceKind.CLASSIFICATION, "x", public_read=False)
    assert not closed.is_public(copyrighted=False, public_copyrighted=True)


def cs(**kw: object) -> ChangeSet:
    fields: dict[str, object] = {
        "classification_id": "kle",
        "title": "t",
        "author": "anna",
        "label": "2025.2",
        "effective": date(2025, 7, 1),
        "base": "c-1",
        "created_at": NOW,
        "id": 7,
    }
    fields.update(kw)
    return ChangeSet(**fields)  # type: ignore[arg-type]


def test_the_workflow_moves_only_along_its_arrows() -> None:
    draft = cs()
    with pytest.raises(workflow.StateError):
        workflow.approve(draft, "bo", NOW, four_eyes=True)
    submitted = workflow.submit(draft, NOW)
    assert submitted.state is State.SUBMITTED and submitted.revision == 2
    with pytest.raises(workflow.StateError):
        workflow.publish(submitted, "bo", "note", NOW, four_eyes=True)
    approved = workflow.approve(submitted, "bo", NOW, four_eyes=True)
    published = workflow.publish(approved, "bo", "Q3 release", NOW, four_eyes=True)
    assert published.state is State.PUBLISHED
    assert published.publisher == "bo" and published.note == "Q3 release"
    for step in (lambda c: workflow.submit(c, NOW), lambda c: workflow.reject(c, "bo", "x", NOW)):
        with pytest.raises(workflow.StateError):
            step(published)


def test_four_eyes_reasons_and_notes() -> None:
    submitted = workflow.submit(cs(), NOW)
    with pytest.raises(workflow.FourEyesError):
        workflow.approve(submitted, "anna", NOW, four_eyes=True)
    approved = workflow.approve(submitted, "anna", NOW, four_eyes=False)
    with pytest.raises(workflow.FourEyesError):
        workflow.publish(approved, "anna", "note", NOW, four_eyes=True)
    with pytest.raises(workflow.MissingText):
        workflow.publish(approved, "bo", "   ", NOW, four_eyes=True)
    with pytest.raises(workflow.MissingText):
        workflow.reject(submitted, "bo", None, NOW)
    rejected = workflow.reject(approved, "bo", "wrong year", NOW)
    assert rejected.state is State.REJECTED and rejected.reason == "wrong year"
    with pytest.raises(ValueError):
        cs(metadata={"id": "other"})


def fact(code: str, start: date | None, end: date | None, title: str = "old") -> Item:
    return Item(code, {"da": title}, level=1, valid=Period(start, end))


def upsert(code: str, title: str, end: date | None = None) -> Entry:
    return Entry(
        7,
        code,
        1,
        EntryOp.UPSERT,
        "i-x",
        "anna",
        NOW,
        item=Item(code, {"da": title}, level=1, valid=Period(None, end)),
    )


def test_an_upsert_keeps_the_past_and_states_the_new_content_from_the_effective_date() -> None:
    history = [fact("10", date(2000, 1, 1), date(2010, 1, 1), "first"), fact("10", date(2010, 1, 1), None)]
    new = edits.apply_entry(history, upsert("10", "new"), date(2025, 7, 1))
    assert [(f.valid, f.title()) for f in new] == [
        (Period(date(2000, 1, 1), date(2010, 1, 1)), "first"),
        (Period(date(2010, 1, 1), date(2025, 7, 1)), "old"),
        (Period(date(2025, 7, 1), None), "new"),
    ]
    fresh = edits.apply_entry([], upsert("11", "brand new"), date(2025, 7, 1))
    assert [f.valid for f in fresh] == [Period(date(2025, 7, 1), None)]
    with pytest.raises(edits.InvalidEdit):
        edits.apply_entry([], upsert("11", "x", end=date(2025, 1, 1)), date(2025, 7, 1))


def test_expiring_sets_only_an_open_end() -> None:
    expire = Entry(7, "10", 2, EntryOp.EXPIRE, "i-x", "anna", NOW, valid_to=date(2026, 1, 1))
    done = edits.apply_entry([fact("10", date(2010, 1, 1), None)], expire, date(2025, 7, 1))
    assert done[-1].valid == Period(date(2010, 1, 1), date(2026, 1, 1))
    with pytest.raises(edits.FrozenError):
        edits.apply_entry([fact("10", date(2010, 1, 1), date(2020, 1, 1))], expire, date(2025, 7, 1))
    early = Entry(7, "10", 2, EntryOp.EXPIRE, "i-x", "anna", NOW, valid_to=date(2009, 1, 1))
    with pytest.raises(edits.InvalidEdit):
        edits.apply_entry([fact("10", date(2010, 1, 1), None)], early, date(2025, 7, 1))


def test_published_versions_are_frozen() -> None:
    edits.check_not_frozen(date(2025, 7, 1), date(2025, 7, 1))
    edits.check_not_frozen(date(2025, 7, 1), None)
    with pytest.raises(edits.FrozenError):
        edits.check_not_frozen(date(2025, 6, 30), date(2025, 7, 1))


def test_codes_that_cannot_live_in_a_url_path_are_refused() -> None:
    assert edits.check_code("27.03.01") == "27.03.01"
    for bad in ("", " 27", "27 03", "27/03", "27?", "27#", "a\x00b", "x" * 201, "50%"):
        with pytest.raises(edits.InvalidEdit):
            edits.check_code(bad)


def test_problems_name_unknown_parents_cycles_and_orphans() -> None:
    day = date(2025, 7, 1)
    state = {
        "1": Item("1", {"da": "a"}),
        "1.1": Item("1.1", {"da": "b"}, parent="1"),
        "2": Item("2", {"da": "c"}, parent="9"),
    }
    assert edits.problems(state, {"1.1"}, day) == []
    assert edits.problems(state, {"2"}, day) == ["2: parent '9' is not valid on 2025-07-01"]
    cyclic = {"a": Item("a", {"da": "a"}, parent="b"), "b": Item("b", {"da": "b"}, parent="a")}
    found = edits.problems(cyclic, {"a", "b"}, day)
    assert len([p for p in found if p.startswith("cycle")]) == 1
    orphaned = {"1.1": Item("1.1", {"da": "b"}, parent="1")}
    assert edits.problems(orphaned, {"1"}, day) == ["1.1 would lose its parent '1' on 2025-07-01"]
    assert edits.ancestors("1.1", state) == ("1",)


def test_version_tags_change_with_what_they_tag() -> None:
    assert item_etag("kle", "10", ["b", "a"]) == item_etag("kle", "10", ["a", "b"])
    assert item_etag("kle", "10", ["a"]) != item_etag("kle", "10", ["a", "b"])
    assert item_etag("kle", "10", ["a"]) != item_etag("kle", "11", ["a"])
    assert classification_etag("kle", "3:1") != classification_etag("kle", "4:1")
    assert change_set_etag(7, 2) == "cs-7-2"
    assert entry_etag(7, "10", 1) != entry_etag(7, "10", 2)
