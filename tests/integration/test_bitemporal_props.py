"""The bitemporal promise, as properties over random releases, on every storage backend.

1. A read at any ``known_at`` before an import returns exactly what was returned then.
2. Importing the same releases in another order ends in the same current state.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kodeks.bootstrap import Kodeks
from kodeks.domain.item import CONTENT_FIELDS, Item
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import NotFound
from kodeks.services import queries
from kodeks.services.queries import When
from tests.integration.conftest import PROPERTY_BACKENDS
from tests.integration.registry_kit import Databases, load
from tests.unit.fakes import SteppingClock, make_bundle, make_item

CODES = ["1", "1.1", "1.2", "1.10", "2", "2.1"]
PROBES = [
    date(1999, 1, 1),
    date(2005, 6, 1),
    date(2012, 1, 1),
    date(2018, 3, 1),
    date(2024, 1, 1),
    date(2040, 1, 1),
]
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
# Each example builds fresh databases: few examples, and no shrinking in CI (it can take minutes).
PHASES = [p for p in Phase if p is not Phase.shrink or os.environ.get("CI") != "true"]
SETTINGS = settings(
    max_examples=10,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@st.composite
def bundles(draw: st.DrawFn, day: date) -> Bundle:
    kind = draw(st.sampled_from([ReleaseKind.SNAPSHOT, ReleaseKind.HISTORY]))
    partial = draw(st.booleans())
    pool = [c for c in CODES if "." in c] if partial else CODES
    codes = draw(st.lists(st.sampled_from(pool), unique=True, min_size=1))
    items = []
    for code in codes:
        start = end = None
        if kind is ReleaseKind.HISTORY:
            start = draw(st.none() | DAYS)
            end = draw(st.none() | DAYS.filter(lambda d, s=start: s is None or d > s))
        parent = parent_of(code)
        items.append(
            Item(
                code,
                {"da": draw(st.sampled_from(["a", "b", "c"]))},
                level=code.count(".") + 1,
                parent=parent if partial or parent in codes else None,
                valid=Period(start, end),
                description=draw(st.none() | st.just("guidance")),
                replaced_by=tuple(draw(st.lists(st.sampled_from(CODES), max_size=2, unique=True))),
            )
        )
    fields = draw(st.sampled_from([CONTENT_FIELDS, frozenset({"titles", "level", "parent"})]))
    return make_bundle(
        *items, day=day, kind=kind, fields=fields, levels_covered=frozenset({2}) if partial else None
    )


@st.composite
def release_lists(draw: st.DrawFn, distinct_days: bool = False) -> list[Bundle]:
    days = draw(st.lists(DAYS, min_size=1, max_size=4, unique=distinct_days))
    return [draw(bundles(day)) for day in days]


def not_found(exc: NotFound) -> dict[str, Any]:
    """What a NotFound says, less the recorded time the read was made at."""
    said = {k: v for k, v in exc.details.items() if k != "known_at"}
    if "valid" in said:  # the order of the periods is not part of the promise
        said["valid"] = sorted(said["valid"])
    return said


def everything_read(registry: Kodeks, known_at: datetime | None) -> dict[str, Any]:
    """Every read the services offer, for one recorded time (``None``: now)."""
    uow, reads = registry.uow, {}
    reads["classification"] = queries.get_classification(uow, "test", known_at)
    reads["versions"] = queries.versions(uow, "test", known_at)
    when = When.of(None, known_at)
    for day in PROBES:
        at = When(day, when.known_at)
        reads[f"items {day}"] = queries.items(uow, "test", at)
        reads[f"levels {day}"] = queries.levels(uow, "test", at)
        for code in CODES if day in PROBES[1::2] else ():
            try:
                reads[f"item {code} {day}"] = queries.item(uow, "test", code, at).item
            except NotFound as exc:  # the message may add "as known at": compare what it says
                reads[f"item {code} {day}"] = not_found(exc)
    for earlier, later in pairwise(PROBES):
        reads[f"changes {earlier}"] = queries.changes(uow, "test", earlier, later, known_at)
    for code in CODES:
        try:
            reads[f"history {code}"] = queries.history(uow, "test", code, known_at)
        except NotFound as exc:
            reads[f"history {code}"] = not_found(exc)
    with uow() as unit:
        facts = unit.facts_known_at("test", when.known_at)
    # What each fact says and when; which release first said it is provenance and may differ.
    reads["facts"] = sorted(
        ((f.item, f.period) for f in facts), key=lambda f: (f[0].code, f[1].start or date.min)
    )
    return reads


@PROPERTY_BACKENDS
@SETTINGS
@given(releases=release_lists(), steps=st.lists(st.sampled_from([0, 1, 90]), min_size=4, max_size=4))
def test_a_read_as_known_at_an_earlier_time_returns_what_was_read_then(
    databases: Databases, releases: list[Bundle], steps: list[int]
) -> None:
    registry = databases.new()
    clock = SteppingClock(datetime(2024, 5, 1, 8, 0))
    seen: list[tuple[datetime, dict[str, Any]]] = []
    for release, minutes in zip(releases, steps, strict=False):
        clock.advance(minutes=minutes)  # 0: a frozen clock
        [report] = load(registry.uow, release, clock=clock)
        seen.append((report.recorded_at, everything_read(registry, None)))
    for recorded_at, then in seen:
        again = everything_read(registry, recorded_at)
        assert again.keys() == then.keys()
        for key in then:
            assert again[key] == then[key], key
    registry.engine.dispose()  # keep PostgreSQL's connection count low across examples


@PROPERTY_BACKENDS
@SETTINGS
@given(releases=release_lists(distinct_days=True), order=st.randoms(use_true_random=False))
def test_the_order_of_imports_does_not_change_the_current_state(
    databases: Databases, releases: list[Bundle], order: Any
) -> None:
    shuffled = list(releases)
    order.shuffle(shuffled)
    states = []
    for sequence in (releases, shuffled):
        registry = databases.new()
        for release in sequence:
            load(registry.uow, release)
        reads = everything_read(registry, None)
        registry.engine.dispose()
        states.append({k: v for k, v in reads.items() if k != "versions" and not k.startswith("history")})
    assert states[0] == states[1]


def test_history_as_known_at_shows_only_what_was_known_then(registry: Kodeks) -> None:
    clock = SteppingClock(datetime(2024, 5, 1, 8, 0))
    [first] = load(registry.uow, make_bundle(make_item("1", "old")), clock=clock)
    then = queries.history(registry.uow, "test", "1", first.recorded_at)
    clock.advance(hours=1)
    load(registry.uow, make_bundle(make_item("1", "new"), day=date(2021, 1, 1)), clock=clock)
    assert [r.recorded_to for r in then] == [None]
    assert queries.history(registry.uow, "test", "1", first.recorded_at) == then
