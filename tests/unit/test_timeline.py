"""The valid-time rule: which release governs which span, per level; inheritance; UUIDs; coalescing."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.domain.item import CONTENT_FIELDS, Item, item_uuid
from kodeks.domain.period import ALWAYS, Period
from kodeks.domain.release import Release, ReleaseKind
from kodeks.domain.timeline import Fact, RecordedRelease, build_timeline, governing_spans, state_at

URI = "https://kodeks.dk/id/test"
D = date.fromisoformat


def item(
    code: str,
    title: str | None = None,
    *,
    level: int | None = 1,
    parent: str | None = None,
    valid: Period = ALWAYS,
    **kw: object,
) -> Item:
    return Item(code, {"da": title or code}, level=level, parent=parent, valid=valid, **kw)  # type: ignore[arg-type]


def rel(
    label: str,
    day: str,
    items: list[Item],
    seq: int,
    *,
    kind: ReleaseKind = ReleaseKind.SNAPSHOT,
    fields: frozenset[str] = CONTENT_FIELDS,
    levels: frozenset[int] | None = None,
) -> RecordedRelease:
    return RecordedRelease(Release(label, D(day), kind, fields, levels_covered=levels), tuple(items), seq)


def periods(facts: list[Fact], code: str) -> list[tuple[date | None, date | None, str]]:
    return [(f.period.start, f.period.end, f.release) for f in facts if f.item.code == code]


def test_no_release_no_facts() -> None:
    assert governing_spans([]) == []
    assert build_timeline([], URI) == []


def test_a_snapshot_speaks_from_its_release_date_on() -> None:
    facts = build_timeline([rel("2020", "2020-01-01", [item("A")], 1)], URI)
    assert periods(facts, "A") == [(D("2020-01-01"), None, "2020")]


def test_a_snapshot_clips_items_to_its_window() -> None:
    old = item("A", valid=Period(D("1999-01-01"), D("2021-01-01")))
    earlier = rel("2010", "2010-01-01", [item("B")], 1)
    facts = build_timeline([earlier, rel("2020", "2020-01-01", [old], 2)], URI)
    assert periods(facts, "A") == [(D("2020-01-01"), D("2021-01-01"), "2020")]


def test_the_first_snapshot_speaks_before_its_date_for_items_that_state_their_start() -> None:
    """An export at a date carries lifespans; imported alone it keeps them (items without a start don't)."""
    stated = item("A", valid=Period(D("1999-01-01"), D("2021-01-01")))
    facts = build_timeline([rel("2020", "2020-01-01", [stated, item("B")], 1)], URI)
    assert periods(facts, "A") == [(D("1999-01-01"), D("2021-01-01"), "2020")]
    assert periods(facts, "B") == [(D("2020-01-01"), None, "2020")]


def test_a_history_speaks_for_all_valid_time() -> None:
    items = [item("A", valid=Period(D("1990-01-01"), D("2010-01-01"))), item("B", valid=Period(None, None))]
    facts = build_timeline([rel("H", "2015-08-01", items, 1, kind=ReleaseKind.HISTORY)], URI)
    assert periods(facts, "A") == [(D("1990-01-01"), D("2010-01-01"), "H")]
    assert periods(facts, "B") == [(None, None, "H")]


def test_a_later_snapshot_ends_what_it_does_not_list() -> None:
    r1 = rel("2020", "2020-01-01", [item("A"), item("B")], 1)
    r2 = rel("2022", "2022-01-01", [item("A"), item("C")], 2)
    facts = build_timeline([r1, r2], URI)
    assert periods(facts, "A") == [(D("2020-01-01"), None, "2020")]  # equal content: one coalesced fact
    assert periods(facts, "B") == [(D("2020-01-01"), D("2022-01-01"), "2020")]
    assert periods(facts, "C") == [(D("2022-01-01"), None, "2022")]


def test_history_governs_until_a_later_snapshot_and_before_everything() -> None:
    history = rel(
        "H",
        "2015-08-01",
        [item("A", "old", valid=Period(D("2000-01-01"), None))],
        1,
        kind=ReleaseKind.HISTORY,
    )
    early = rel("S2010", "2010-01-01", [item("A", "snapshot 2010")], 2)
    late = rel("S2023", "2023-01-01", [item("A", "new")], 3)
    facts = build_timeline([history, early, late], URI)
    assert [(f.item.title(), f.period) for f in facts] == [
        (
            "old",
            Period(D("2000-01-01"), D("2023-01-01")),
        ),  # the 2010 snapshot is outranked by the 2015 history
        ("new", Period(D("2023-01-01"), None)),
    ]
    spans = governing_spans([history, early, late])
    assert [(r.release.label, p) for r, p in spans] == [
        ("H", Period(None, D("2023-01-01"))),
        ("S2023", Period(D("2023-01-01"), None)),
    ]


def test_only_the_latest_history_counts() -> None:
    h1 = rel("H1", "2010-01-01", [item("A"), item("GONE")], 1, kind=ReleaseKind.HISTORY)
    h2 = rel("H2", "2015-01-01", [item("A")], 2, kind=ReleaseKind.HISTORY)
    facts = build_timeline([h1, h2], URI)
    assert periods(facts, "GONE") == []
    assert periods(facts, "A") == [(None, None, "H2")]


def test_same_date_releases_are_ordered_by_recording_sequence() -> None:
    first = rel("first", "2020-01-01", [item("A", "first")], 1)
    second = rel("second", "2020-01-01", [item("A", "second")], 2)
    for order in ([first, second], [second, first]):
        assert [f.item.title() for f in build_timeline(order, URI)] == ["second"]
    again = rel("first", "2020-01-01", [item("A", "first")], 3)
    assert [f.item.title() for f in build_timeline([first, second, again], URI)] == ["first"]


def test_partial_release_governs_only_its_levels() -> None:
    full = rel(
        "2023",
        "2023-01-01",
        [
            item("01", level=1),
            item("01.01", level=2, parent="01"),
            item("01.01.01", "old", level=3, parent="01.01"),
            item("01.01.02", level=3, parent="01.01"),
        ],
        1,
    )
    emner = rel(
        "2026", "2026-02-01", [item("01.01.01", "new", level=3, parent="01.01")], 2, levels=frozenset({3})
    )
    facts = build_timeline([full, emner], URI)
    assert periods(facts, "01") == [(D("2023-01-01"), None, "2023")]  # level 1 untouched by the 2026 release
    assert periods(facts, "01.01") == [(D("2023-01-01"), None, "2023")]
    assert periods(facts, "01.01.02") == [(D("2023-01-01"), D("2026-02-01"), "2023")]
    assert [(f.item.title(), f.period.start) for f in facts if f.item.code == "01.01.01"] == [
        ("old", D("2023-01-01")),
        ("new", D("2026-02-01")),
    ]
    state = state_at(facts, D("2026-06-01"))
    assert sorted(state) == ["01", "01.01", "01.01.01"]


def test_fields_a_release_does_not_carry_are_inherited() -> None:
    rich = item("A", "old", description="guidance", notes=("note",), valid=Period(D("2000-01-01"), None))
    history = rel("H", "2015-01-01", [rich], 1, kind=ReleaseKind.HISTORY)
    titles_only = rel(
        "S", "2023-01-01", [item("A", "new")], 2, fields=frozenset({"titles", "level", "parent"})
    )
    facts = build_timeline([history, titles_only], URI)
    assert [(f.item.title(), f.item.description, f.item.notes) for f in facts] == [
        ("old", "guidance", ("note",)),
        ("new", "guidance", ("note",)),
    ]


def test_inherited_fields_make_equal_facts_that_coalesce() -> None:
    history = rel(
        "H",
        "2015-01-01",
        [item("A", description="guidance", valid=Period(D("2000-01-01"), None))],
        1,
        kind=ReleaseKind.HISTORY,
    )
    same_title = rel("S", "2023-01-01", [item("A")], 2, fields=frozenset({"titles", "level", "parent"}))
    facts = build_timeline([history, same_title], URI)
    assert [(f.period, f.item.description, f.release) for f in facts] == [
        (Period(D("2000-01-01"), None), "guidance", "H")
    ]


def test_a_carried_field_is_not_inherited_even_when_empty() -> None:
    r1 = rel("1", "2020-01-01", [item("A", description="x")], 1)
    r2 = rel("2", "2021-01-01", [item("A")], 2)
    facts = build_timeline([r1, r2], URI)
    assert [f.item.description for f in facts] == ["x", None]


def test_uuid_from_source_else_derived() -> None:
    facts = build_timeline([rel("1", "2020-01-01", [item("A")], 1)], URI)
    assert facts[0].item.uuid == item_uuid(URI, "A")
    given_uuid = uuid.uuid4()
    facts = build_timeline([rel("1", "2020-01-01", [item("A", uuid=given_uuid)], 1)], URI)
    assert facts[0].item.uuid == given_uuid


def test_uuid_of_a_release_without_uuids_comes_from_the_latest_release_that_gives_one() -> None:
    u1, u2 = uuid.uuid4(), uuid.uuid4()
    no_uuid = CONTENT_FIELDS - {"uuid"}
    r1 = rel("1", "2019-01-01", [item("A", "one", uuid=u1)], 1)
    r2 = rel("2", "2020-01-01", [item("A", "two", uuid=u2)], 2)
    r3 = rel("3", "2021-01-01", [item("A", "three", uuid=uuid.uuid4())], 3, fields=no_uuid)
    facts = build_timeline([r3, r1, r2], URI)
    assert [(f.item.title(), f.item.uuid) for f in facts] == [("one", u1), ("two", u2), ("three", u2)]


def test_adjacent_equal_facts_coalesce_and_different_ones_do_not() -> None:
    history = rel(
        "H",
        "2015-01-01",
        [
            item("A", valid=Period(D("2000-01-01"), D("2005-01-01"))),
            item("A", valid=Period(D("2005-01-01"), D("2008-01-01"))),
            item("A", "other", valid=Period(D("2008-01-01"), D("2009-01-01"))),
            item("A", "other", valid=Period(D("2010-01-01"), None)),
        ],
        1,
        kind=ReleaseKind.HISTORY,
    )
    facts = build_timeline([history], URI)
    assert [(f.item.title(), f.period) for f in facts] == [
        ("A", Period(D("2000-01-01"), D("2008-01-01"))),
        ("other", Period(D("2008-01-01"), D("2009-01-01"))),
        ("other", Period(D("2010-01-01"), None)),  # a gap: not joined
    ]


def test_facts_are_sorted_by_code_and_start() -> None:
    r = rel("1", "2020-01-01", [item("B"), item("A", valid=Period(None, D("2021-01-01"))), item("C")], 1)
    assert [f.item.code for f in build_timeline([r], URI)] == ["A", "B", "C"]


def test_a_patch_replaces_the_whole_history_of_the_codes_it_names() -> None:
    history = rel(
        "H",
        "2015-01-01",
        [
            item("A", "old", valid=Period(D("2000-01-01"), D("2010-01-01"))),
            item("A", "older", valid=Period(D("2010-01-01"), None)),
            item("B"),
        ],
        1,
        kind=ReleaseKind.HISTORY,
    )
    patch = rel(
        "P",
        "2016-01-01",
        [item("A", "fixed", valid=Period(D("2001-01-01"), None))],
        2,
        kind=ReleaseKind.PATCH,
    )
    facts = build_timeline([history, patch], URI)
    assert [(f.item.title(), f.period, f.release) for f in facts if f.item.code == "A"] == [
        ("fixed", Period(D("2001-01-01"), None), "P")
    ]
    assert periods(facts, "B") == [(None, None, "H")]


def test_patches_apply_in_recording_order_after_every_release() -> None:
    snapshot = rel("S", "2030-01-01", [item("A", "snapshot")], 3)
    p1 = rel("P1", "2016-01-01", [item("A", "first")], 1, kind=ReleaseKind.PATCH)
    p2 = rel("P2", "2016-01-01", [item("A", "second")], 2, kind=ReleaseKind.PATCH)
    assert [f.item.title() for f in build_timeline([p2, snapshot, p1], URI)] == ["second"]


def test_a_patch_withdraws_a_code() -> None:
    history = rel("H", "2015-01-01", [item("A"), item("B")], 1, kind=ReleaseKind.HISTORY)
    patch = rel("P", "2016-01-01", [item("A", properties={"withdrawn": "true"})], 2, kind=ReleaseKind.PATCH)
    assert [f.item.code for f in build_timeline([history, patch], URI)] == ["B"]


# -- order independence --------------------------------------------------------------------------

CODES = ["1", "1.1", "1.2", "2", "2.1"]
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def release_contents(draw: st.DrawFn, label: str, day: date) -> tuple[Release, tuple[Item, ...]]:
    kind = draw(
        st.sampled_from([ReleaseKind.SNAPSHOT, ReleaseKind.HISTORY])
    )  # patches apply in recording order
    codes = draw(st.lists(st.sampled_from(CODES), unique=True, min_size=1))
    items = []
    for code in codes:
        parent = code.rsplit(".", 1)[0] if "." in code else None
        start = draw(st.none() | DAYS) if kind is ReleaseKind.HISTORY else None
        items.append(
            Item(
                code,
                {"da": draw(st.sampled_from(["x", "y", "z"]))},
                level=code.count(".") + 1,
                parent=parent if parent in codes else None,
                valid=Period(start, None),
                description=draw(st.none() | st.just("d")),
            )
        )
    fields = draw(st.sampled_from([CONTENT_FIELDS, frozenset({"titles", "level", "parent"})]))
    levels = draw(st.sampled_from([None, frozenset({2})]))
    return Release(label, day, kind, fields, levels_covered=levels), tuple(items)


@st.composite
def release_sets(draw: st.DrawFn) -> list[tuple[Release, tuple[Item, ...]]]:
    days = draw(st.lists(DAYS, unique=True, min_size=1, max_size=5))
    return [draw(release_contents(f"r{i}", day)) for i, day in enumerate(days)]


@settings(max_examples=200, deadline=None)
@given(release_sets(), st.randoms(use_true_random=False))
def test_timeline_does_not_depend_on_recording_order(
    contents: list[tuple[Release, tuple[Item, ...]]], random: object
) -> None:
    in_order = [RecordedRelease(r, items, i + 1) for i, (r, items) in enumerate(contents)]
    shuffled = list(contents)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    permuted = [RecordedRelease(r, items, i + 1) for i, (r, items) in enumerate(shuffled)]
    assert build_timeline(permuted, URI) == build_timeline(in_order, URI)


@settings(max_examples=200, deadline=None)
@given(release_sets())
def test_facts_of_a_code_never_overlap(contents: list[tuple[Release, tuple[Item, ...]]]) -> None:
    facts = build_timeline([RecordedRelease(r, items, i + 1) for i, (r, items) in enumerate(contents)], URI)
    for code in CODES:
        mine = [f.period for f in facts if f.item.code == code]
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                assert a.intersect(b) is None, (code, a, b)


@pytest.mark.parametrize("day", ["1999-12-31", "2020-01-01", "2021-06-30", "2040-01-01"])
def test_state_at_agrees_with_contains(day: str) -> None:
    r1 = rel("1", "2020-01-01", [item("A"), item("B", valid=Period(None, D("2021-06-30")))], 1)
    facts = build_timeline([r1], URI)
    assert sorted(state_at(facts, D(day))) == sorted(f.item.code for f in facts if f.period.contains(D(day)))
