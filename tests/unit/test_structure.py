"""The structural rule for partial releases: no orphan, no emptied group, lifespans apart from versions."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.domain.item import CONTENT_FIELDS, Item, Keyword
from kodeks.domain.period import ALWAYS, Period
from kodeks.domain.period_set import difference, intersection, union
from kodeks.domain.release import Release, ReleaseKind
from kodeks.domain.structure import INFERRED, InferenceKind, pattern_parent
from kodeks.domain.timeline import Fact, RecordedRelease, build, state_at

URI = "https://example.org/id/test"
D = date.fromisoformat
P = Period


def item(code: str, title: str | None = None, **kw: object) -> Item:
    level = code.count(".") + 1
    return Item(code, {"da": title or f"title {code}"}, level=level, parent=pattern_parent(code), **kw)  # type: ignore[arg-type]


def rel(label: str, day: str, items: list[Item], seq: int, levels: set[int] | None = None) -> RecordedRelease:
    covered = frozenset(levels) if levels is not None else None
    return RecordedRelease(Release(label, D(day), levels_covered=covered), tuple(items), seq)


FULL_2023 = rel(
    "2023",
    "2023-01-01",
    [
        item("27"),
        item("27.24"),
        item("27.24.10"),
        item("27.30"),
        item("27.30.00"),
        item("28"),
        item("28.01"),
        item("28.01.00", keywords=(Keyword("old"),)),
    ],
    1,
)
EMNER_2026 = rel(
    "2026",
    "2026-02-01",
    [item("27.30.00"), item("28.01.00", keywords=(Keyword("new"),)), item("34.05.00"), item("34.05.05")],
    2,
    levels={3},
)


def test_period_sets() -> None:
    a = [P(D("2020-01-01"), D("2021-01-01")), P(D("2021-01-01"), D("2022-01-01"))]
    assert union(a) == [P(D("2020-01-01"), D("2022-01-01"))]
    assert difference([ALWAYS], [P(D("2020-01-01"), D("2021-01-01"))]) == [
        P(None, D("2020-01-01")),
        P(D("2021-01-01"), None),
    ]
    assert intersection([P(None, D("2021-01-01"))], [P(D("2020-06-01"), None)]) == [
        P(D("2020-06-01"), D("2021-01-01"))
    ]
    assert difference([P(D("2020-01-01"), None)], [ALWAYS]) == []


def test_a_keyword_change_is_a_version_not_a_new_validity() -> None:
    facts = build([FULL_2023, EMNER_2026], URI).facts
    mine = [f for f in facts if f.code == "28.01.00"]
    assert [f.period for f in mine] == [P(D("2023-01-01"), D("2026-02-01")), P(D("2026-02-01"), None)]
    assert {f.item.valid for f in mine} == {P(D("2023-01-01"), None)}


def test_a_group_left_empty_by_a_later_snapshot_of_its_children_is_retired_on_that_date() -> None:
    timeline = build([FULL_2023, EMNER_2026], URI)
    spans = {f.code: f.item.valid for f in timeline.facts}
    assert spans["27.24"] == P(D("2023-01-01"), D("2026-02-01"))
    assert spans["27.24.10"] == P(D("2023-01-01"), D("2026-02-01"))
    assert spans["27.30"] == P(D("2023-01-01"), None)  # keeps its emne
    assert spans["27"] == P(D("2023-01-01"), None)
    retired = [i for i in timeline.inferences if i.kind is InferenceKind.RETIRED]
    assert [(i.code, i.periods) for i in retired] == [("27.24", (P(D("2026-02-01"), None),))]


def test_a_group_whose_groups_are_all_retired_is_retired_too() -> None:
    emner = rel("2026", "2026-02-01", [item("28.01.00")], 2, levels={3})
    spans = {f.code: f.item.valid for f in build([FULL_2023, emner], URI).facts}
    assert spans["27"] == P(D("2023-01-01"), D("2026-02-01"))
    assert spans["28"] == P(D("2023-01-01"), None)


def test_missing_parents_are_inferred_without_a_title_and_marked() -> None:
    timeline = build([FULL_2023, EMNER_2026], URI)
    state = state_at(timeline.facts, D("2026-06-01"))
    assert state["34.05"].titles == {} and state["34"].titles == {}
    assert state["34.05"].parent == "34" and state["34.05"].level == 2 and state["34"].level == 1
    assert "title is not in this release" in state["34"].properties[INFERRED]
    assert state["34"].valid == P(D("2026-02-01"), None)
    kinds = {(i.code, i.kind) for i in timeline.inferences}
    assert {("34", InferenceKind.UNTITLED_PARENT), ("34.05", InferenceKind.UNTITLED_PARENT)} <= kinds


def test_an_inferred_parent_carries_its_last_title() -> None:
    groups = rel("2024", "2024-01-01", [item("27"), item("27.30")], 2, levels={1, 2})  # drops 28 and 28.01
    timeline = build([FULL_2023, groups], URI)
    state = state_at(timeline.facts, D("2024-06-01"))
    assert state["28.01"].title() == "title 28.01"
    assert "carried from release '2023'" in state["28.01"].properties[INFERRED]
    # The lifespan runs on: the code was never gone.
    assert state["28.01"].valid == P(D("2023-01-01"), None)


def test_full_releases_are_not_touched() -> None:
    timeline = build([FULL_2023], URI)
    assert timeline.inferences == []
    lone = rel("2023", "2023-01-01", [item("01"), item("02"), item("02.01")], 1)
    assert build([lone], URI).inferences == []  # a top item without children in a full release stays


# -- invariants ----------------------------------------------------------------------------------

TREE = ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "2", "2.1", "2.1.1", "3", "3.1", "3.1.1"]
LEAVES = [c for c in TREE if c.count(".") == 2]
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


def complete(leaves: list[str]) -> list[str]:
    """The leaves with every ancestor: a release that is whole in itself."""
    out = set(leaves)
    for leaf in leaves:
        code: str | None = leaf
        while (code := pattern_parent(code or "")) is not None:
            out.add(code)
    return sorted(out)


@st.composite
def releases(draw: st.DrawFn) -> list[RecordedRelease]:
    days = sorted(draw(st.lists(DAYS, unique=True, min_size=1, max_size=5)))
    out = []
    for n, day in enumerate(days):
        leaves = draw(st.lists(st.sampled_from(LEAVES), unique=True, min_size=1))
        codes = complete(leaves)
        levels = None if n == 0 else draw(st.sampled_from([None, {1}, {2}, {3}, {1, 2}, {2, 3}, {1, 3}]))
        items = [
            item(c, draw(st.sampled_from(["a", "b"])), keywords=(Keyword(draw(st.sampled_from(["k", "l"]))),))
            for c in codes
            if levels is None or c.count(".") + 1 in levels
        ]
        covered = frozenset(levels) if levels is not None else None
        fields = (
            CONTENT_FIELDS if n == 0 else draw(st.sampled_from([CONTENT_FIELDS, frozenset({"keywords"})]))
        )
        release = Release(f"r{n}", day, ReleaseKind.SNAPSHOT, fields, levels_covered=covered)
        out.append(RecordedRelease(release, tuple(items), n + 1))
    return out


def boundaries(facts: list[Fact]) -> list[date]:
    days = {d for f in facts for d in (f.period.start, f.period.end) if d is not None}
    return sorted(days | {date(1999, 1, 1)})


@settings(max_examples=300, deadline=None)
@given(releases())
def test_no_orphan_and_no_empty_group_on_any_date(recorded: list[RecordedRelease]) -> None:
    facts = build(recorded, URI).facts
    for day in boundaries(facts):
        state = state_at(facts, day)
        for code, it in state.items():
            assert it.parent is None or it.parent in state, (day, code, "orphan")
            if it.level is not None and it.level < 3:
                assert any(c.parent == code for c in state.values()), (day, code, "empty group")


@settings(max_examples=300, deadline=None)
@given(releases())
def test_the_lifespan_is_the_unbroken_run_of_a_codes_facts(recorded: list[RecordedRelease]) -> None:
    facts = build(recorded, URI).facts
    for code in {f.code for f in facts}:
        mine = [f for f in facts if f.code == code]
        runs = union(f.period for f in mine)
        for f in mine:
            assert f.item.valid in runs
            assert f.period.intersect(f.item.valid) == f.period


@settings(max_examples=200, deadline=None)
@given(releases(), st.data())
def test_the_lifespan_never_depends_on_attribute_changes(
    recorded: list[RecordedRelease], data: st.DataObject
) -> None:
    """Changing only keywords in any release changes no lifespan (and no code's presence)."""
    changed = [
        RecordedRelease(
            r.release,
            tuple(
                Item(**{**{f: getattr(i, f) for f in i.__dataclass_fields__}, "keywords": (Keyword("z"),)})
                if data.draw(st.booleans())
                else i
                for i in r.items
            ),
            r.sequence,
        )
        for r in recorded
    ]

    def spans(rs: list[RecordedRelease]) -> set[tuple[str, Period]]:
        return {(f.code, f.item.valid) for f in build(rs, URI).facts}

    assert spans(changed) == spans(recorded)
