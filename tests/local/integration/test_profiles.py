"""Profiles through the services and the SQL store: save, concurrency, reads, history, changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.local.profile import LocalCode, Profile, Selection, origin
from kodeks.domain.local.upstream import Effect
from kodeks.errors import Conflict, InvalidRequest, NotFound, PreconditionRequired
from kodeks.services.local import profile_reads, profiles
from kodeks.services.queries import When
from kodeks.storage.local import open_local_store
from tests.factories import item, record, tree_bundle


def day() -> When:
    return When.of(date(2013, 6, 1))


def aarhus(**kw: object) -> Profile:
    base = Profile(
        "aarhus",
        "tree",
        "751",
        {"da": "Aarhus' plan"},
        selections=(Selection("10.01.00", {"da": "Skoleundervisning"}), Selection("20", subtree=True)),
        local_codes=(LocalCode("10.01.90", "10.01", {"da": "Lokal skoleordning"}),),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def save(kodeks: Kodeks, p: Profile, expected: int | None = None, create: bool = False) -> int:
    stored = profiles.save_profile(
        kodeks.uow, open_local_store, p, expected_version=expected, actor="u1", create=create
    )
    return stored.version


def test_save_and_read_like_a_classification(registry: Kodeks) -> None:
    assert save(registry, aarhus()) == 1
    read = profile_reads.items(registry.uow, open_local_store, "tree", "aarhus", day())
    assert [(i.code, origin(i)) for i in read.items] == [
        ("10", "context"),
        ("10.01", "context"),
        ("10.01.00", "selected"),
        ("10.01.90", "local"),
        ("20", "selected"),
        ("20.02", "selected"),
        ("20.02.01", "selected"),
    ]
    assert read.profile.based_on == date(2015, 8, 1)
    view = profile_reads.item(registry.uow, open_local_store, "tree", "aarhus", "10.01", day())
    assert view.children == 2
    assert [
        i.code
        for i in profile_reads.children(registry.uow, open_local_store, "tree", "aarhus", "10.01", day())
    ] == ["10.01.00", "10.01.90"]
    assert [
        i.code
        for i in profile_reads.descendants(registry.uow, open_local_store, "tree", "aarhus", "20", day())
    ] == ["20.02", "20.02.01"]


def test_codes_outside_the_profile_are_404_with_a_reason(registry: Kodeks) -> None:
    save(registry, aarhus())
    with pytest.raises(NotFound, match="not in the profile"):
        profile_reads.item(
            registry.uow, open_local_store, "tree", "aarhus", "10.01.05", When.of(date(2011, 1, 1))
        )
    with pytest.raises(NotFound, match="no profile"):
        profile_reads.items(registry.uow, open_local_store, "tree", "nobody", day())


def test_concurrency_and_idempotence(registry: Kodeks) -> None:
    save(registry, aarhus())
    with pytest.raises(Conflict, match="already"):
        save(registry, aarhus(), create=True)
    with pytest.raises(PreconditionRequired):
        save(registry, aarhus(titles={"da": "Ny"}))
    assert save(registry, aarhus(), expected=1) == 1  # nothing changed: nothing recorded
    assert save(registry, aarhus(titles={"da": "Ny"}), expected=1) == 2
    with pytest.raises(Conflict, match="version 2, not 1"):
        save(registry, aarhus(titles={"da": "Nyere"}), expected=1)


def test_bad_profiles_change_nothing(registry: Kodeks) -> None:
    save(registry, aarhus())
    outside = aarhus(local_codes=(LocalCode("10.01.50", "10.01", {"da": "Uden for"}),))
    with pytest.raises(InvalidRequest, match="outside the reserved ranges") as info:
        save(registry, outside, expected=1)
    assert info.value.details["problems"][0]["code"] == "10.01.50"
    assert profiles.get_profile(registry.uow, open_local_store, "tree", "aarhus").version == 1
    with pytest.raises(InvalidRequest, match="owner cannot change"):
        save(registry, aarhus(owner="101"), expected=1)


def test_known_at_reads_the_profile_as_it_was(registry: Kodeks) -> None:
    save(registry, aarhus())
    before = profiles.get_profile(registry.uow, open_local_store, "tree", "aarhus").recorded_at
    save(registry, aarhus(selections=(Selection("10.01.00"),)), expected=1)
    then = profile_reads.items(
        registry.uow, open_local_store, "tree", "aarhus", When.of(date(2013, 6, 1), before)
    )
    now = profile_reads.items(registry.uow, open_local_store, "tree", "aarhus", day())
    assert "20" in {i.code for i in then.items} and "20" not in {i.code for i in now.items}
    history = profile_reads.history(registry.uow, open_local_store, "tree", "aarhus", "10.01.00")
    profile_rows = [h for h in history if h.source == "profile"]
    assert [h.record.recorded_to is None for h in profile_rows] == [False, True]
    assert profile_rows[0].record.item.titles == {"da": "Skoleundervisning"}
    assert any(h.source == "common" for h in history)


def test_profile_changes_and_affected_entries(registry: Kodeks) -> None:
    save(
        registry, aarhus(selections=(Selection("10.01.05"), Selection("10.01.00")), based_on=date(2010, 6, 1))
    )
    cs = profile_reads.changes(
        registry.uow, open_local_store, "tree", "aarhus", date(2010, 6, 1), date(2013, 6, 1)
    )
    assert [(m.old, m.new) for m in cs.moved] == [("10.01.05", "20.02.01")]
    report = profiles.affected_entries(registry.uow, open_local_store, "tree", "aarhus")
    assert report.from_date == date(2010, 6, 1)
    assert [(a.code, a.effect, a.proposed) for a in report.entries] == [
        ("10.01.05", Effect.MOVED, ("20.02.01",))
    ]


def test_a_new_common_version_shows_what_it_affects(registry: Kodeks) -> None:
    save(registry, aarhus(based_on=date(2015, 8, 1)))
    items = [i for i in tree_bundle().items if i.code != "10.01.00"]
    items.append(
        item(
            "10.01.00",
            "Undervisning",
            "10.01",
            start=date(1988, 1, 1),
            end=date(2016, 1, 1),
            replaced_by=("10.01.01",),
        )
    )
    items.append(item("10.01.01", "Undervisning (ny)", "10.01", start=date(2016, 1, 1)))
    record(registry, tree_bundle(date(2016, 1, 1), items=items))
    report = profiles.affected_entries(registry.uow, open_local_store, "tree", "aarhus")
    assert report.to_date >= date(2016, 1, 1)
    assert [(a.code, a.effect, a.proposed) for a in report.entries] == [
        ("10.01.00", Effect.MOVED, ("10.01.01",))
    ]


def test_item_reads_follow_new_releases_and_new_profile_versions(registry: Kodeks) -> None:
    save(registry, aarhus(selections=(Selection("20", subtree=True),)))
    at = When.of(date(2016, 6, 1))
    assert [
        i.code for i in profile_reads.children(registry.uow, open_local_store, "tree", "aarhus", "20.02", at)
    ] == ["20.02.01"]
    before = profile_reads.items(registry.uow, open_local_store, "tree", "aarhus", at).items[-1].code
    items = [i for i in tree_bundle().items if i.code != "20.02.01"]
    items += [
        item("20.02.01", "Støtte til børn", "20.02", start=date(2012, 1, 1), end=date(2016, 1, 1)),
        item("20.02.02", "Ny støtte", "20.02", start=date(2016, 1, 1)),
    ]
    record(registry, tree_bundle(date(2016, 1, 1), items=items))
    now = When.of(date(2016, 6, 1))
    assert [
        i.code for i in profile_reads.children(registry.uow, open_local_store, "tree", "aarhus", "20.02", now)
    ] == ["20.02.02"]
    assert profile_reads.item(registry.uow, open_local_store, "tree", "aarhus", "20.02", now).children == 1
    then = profile_reads.children(
        registry.uow, open_local_store, "tree", "aarhus", "20.02", When.of(date(2016, 6, 1), at.known_at)
    )
    assert [i.code for i in then] == ["20.02.01"] and before == "20.02.01"  # as known before the release
    save(registry, aarhus(selections=(Selection("20"),)), expected=1)
    with pytest.raises(NotFound, match="not in the profile"):
        profile_reads.item(
            registry.uow, open_local_store, "tree", "aarhus", "20.02.02", When.of(date(2016, 6, 1))
        )
