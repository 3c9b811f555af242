"""What a new common version does to a profile's entries, and the profile's own change view."""

from __future__ import annotations

from datetime import date

from kodeks.domain.changes import changes_between
from kodeks.domain.local.profile import LocalCode, Profile, Selection, compose
from kodeks.domain.local.upstream import Effect, affected, profile_changes
from tests.factories import as_facts, item, tree_bundle

OLD, NEW = date(2010, 6, 1), date(2013, 6, 1)
FACTS = [
    *tree_bundle().items,
    item("10.02", "Gammel titel", "10", start=date(1988, 1, 1), end=date(2013, 1, 1)),
    item("10.02", "Ny titel", "10", start=date(2013, 1, 1)),
    item("10.03", "Flyttes", "10", start=date(1988, 1, 1), end=date(2013, 1, 1)),
    item("10.03", "Flyttes", "20", start=date(2013, 1, 1)),
]


def profile(**kw: object) -> Profile:
    return Profile(**{"id": "p", "classification": "tree", "owner": "751", **kw})  # type: ignore[arg-type]


def effects(p: Profile) -> dict[str, tuple[Effect, tuple[str, ...]]]:
    return {a.code: (a.effect, a.proposed) for a in affected(p, as_facts(FACTS), OLD, NEW)}


def test_selections_affected_upstream_propose_successors() -> None:
    p = profile(
        selections=(
            Selection("10.01.05"),
            Selection("10.01.07"),
            Selection("10.02"),
            Selection("10.03"),
            Selection("10.01.00"),
        )
    )
    assert effects(p) == {
        "10.01.05": (Effect.MOVED, ("20.02.01",)),
        "10.01.07": (Effect.EXPIRED, ()),
        "10.02": (Effect.RENAMED, ()),
        "10.03": (Effect.REPARENTED, ()),
    }


def test_a_selection_already_invalid_is_reported_with_its_successor() -> None:
    p = profile(selections=(Selection("10.01.05"),))
    found = affected(p, as_facts(FACTS), date(2012, 6, 1), NEW)
    assert [(a.effect, a.proposed) for a in found] == [(Effect.NOT_VALID, ("20.02.01",))]


def test_local_codes_follow_their_parent_and_collisions_are_caught() -> None:
    p = profile(
        local_codes=(
            LocalCode("10.01.05.90", "10.01.05", {"da": "Lokal"}),
            LocalCode("10.01.07.90", "10.01.07", {"da": "Lokal"}),
            LocalCode("20.02.01", "20.02", {"da": "Lokal"}),
        )
    )
    assert effects(p) == {
        "10.01.05.90": (Effect.PARENT_MOVED, ("20.02.01.90",)),
        "10.01.07.90": (Effect.PARENT_EXPIRED, ()),
        "20.02.01": (Effect.COLLISION, ()),
    }


def test_entries_that_ended_are_not_reported() -> None:
    from kodeks.domain.period import Period

    p = profile(selections=(Selection("10.01.07", valid=Period(None, date(2011, 1, 1))),))
    assert affected(p, as_facts(FACTS), OLD, NEW) == []


def test_the_profile_view_of_changes_includes_local_renames_and_codes() -> None:
    p = profile(
        selections=(Selection("10.01.05"), Selection("10.02", titles={"da": "Lokal titel"})),
        local_codes=(LocalCode("10.02.90", "10.02", {"da": "Lokal"}, valid=item("x", start=NEW).valid),),
    )
    uri = "https://kodeks.dk/id/tree"

    def at(day: date) -> list:  # type: ignore[type-arg]
        return compose(p, [f for f in FACTS if f.valid.contains(day)], day, uri)

    cs = profile_changes(at(OLD), at(NEW), changes_between(as_facts(FACTS), OLD, NEW))
    assert [(m.old, m.new) for m in cs.moved] == [("10.01.05", "20.02.01")]
    assert [i.code for i in cs.added] == ["10.02.90"]
    assert cs.renamed == ()  # the local title hides the upstream rename
    assert {i.code for i in cs.expired} == {"10.01"}  # context: nothing selected under it any more
