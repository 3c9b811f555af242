"""Half-open validity intervals ``[start, end)``; ``None`` is an open end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kodeks.domain.period import ALWAYS, Period

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
D = date.fromisoformat


@st.composite
def periods(draw: st.DrawFn) -> Period:
    a, b = draw(st.none() | DAYS), draw(st.none() | DAYS)
    if a is not None and b is not None and b < a:
        a, b = b, a
    return Period(a, b)


def test_start_is_in_end_is_out() -> None:
    p = Period(D("2020-01-01"), D("2020-02-01"))
    assert p.contains(D("2020-01-01"))
    assert p.contains(D("2020-01-31"))
    assert not p.contains(D("2020-02-01"))
    assert not p.contains(D("2019-12-31"))


def test_open_ends_are_none() -> None:
    assert Period(None, None) == ALWAYS
    assert ALWAYS.contains(date.min) and ALWAYS.contains(date.max)
    assert Period(D("2020-01-01"), None).contains(date.max)
    assert Period(None, D("2020-01-01")).contains(date.min)
    assert str(ALWAYS) == "[-∞, ∞)"
    assert str(Period(D("2020-01-01"), D("2021-01-01"))) == "[2020-01-01, 2021-01-01)"


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period(D("2020-01-02"), D("2020-01-01"))


def test_an_empty_period_contains_nothing() -> None:
    empty = Period(D("2020-01-01"), D("2020-01-01"))
    assert empty.is_empty
    assert not empty.contains(D("2020-01-01"))
    assert empty.intersect(ALWAYS) is None
    assert not ALWAYS.is_empty


@given(periods(), DAYS)
def test_contains_is_the_half_open_rule(p: Period, day: date) -> None:
    assert p.contains(day) == ((p.start is None or p.start <= day) and (p.end is None or day < p.end))


@given(periods(), periods(), DAYS)
def test_intersection_holds_exactly_the_common_days(a: Period, b: Period, day: date) -> None:
    both = a.intersect(b)
    assert both == b.intersect(a)
    assert (both is not None and both.contains(day)) == (a.contains(day) and b.contains(day))


@given(periods(), periods(), periods())
def test_intersection_is_associative(a: Period, b: Period, c: Period) -> None:
    ab = a.intersect(b)
    bc = b.intersect(c)
    left = ab.intersect(c) if ab is not None else None
    right = a.intersect(bc) if bc is not None else None
    assert left == right


@given(periods())
def test_always_is_the_identity_of_intersection(p: Period) -> None:
    assert p.intersect(ALWAYS) == (None if p.is_empty else p)


@given(st.none() | DAYS, DAYS, st.none() | DAYS, DAYS)
def test_meeting_periods_split_time_without_gap_or_overlap(
    start: date | None, cut: date, end: date | None, day: date
) -> None:
    assume((start is None or start <= cut) and (end is None or cut <= end))
    left, right = Period(start, cut), Period(cut, end)
    assert left.meets(right)
    assert not (left.contains(day) and right.contains(day))
    assert (left.contains(day) or right.contains(day)) == Period(start, end).contains(day)
    assert left.intersect(right) is None


@given(DAYS)
def test_adjacent_days_meet(day: date) -> None:
    assert Period(None, day).meets(Period(day, None))
    assert not Period(None, day).meets(Period(day + timedelta(days=1), None))
    assert not Period(day, None).meets(Period(day, None))
