"""Exports written once per span of days (``services.exporting``, ``memo``): on any day, the bytes are
those written for that day, in every format; a format whose bytes carry the day is restamped or
not kept; the kept bytes stay within their budget."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.bootstrap import Kodeks
from kodeks.services import exporting
from kodeks.services.queries import When
from tests.factories import item, memory_registry, record, tree_bundle

DAYS = st.dates(date(1985, 1, 1), date(2030, 12, 31))


@pytest.fixture(scope="module")
def two_releases() -> Kodeks:
    """The tree plan in two releases (a version, levels and items that change on release dates)."""
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    kept = [i for i in tree_bundle().items if i.code != "10.01"]
    renamed = item("10.01", "Undervisning og læring", "10", start=date(1988, 1, 1))
    record(kodeks, tree_bundle(date(2016, 1, 1), items=[*kept, renamed]))
    return kodeks


def written(kodeks: Kodeks, fmt: str, day: date, memo: dict[Any, Any] | None) -> bytes:
    return exporting.export(kodeks.uow, kodeks.formats, "tree", fmt, When.of(day), memo=memo).content


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(DAYS, min_size=2, max_size=6))
def test_any_format_on_any_day_is_what_is_written_for_that_day(
    two_releases: Kodeks, days: list[date]
) -> None:
    memo: dict[Any, Any] = {}
    for fmt in two_releases.formats.exporter_names():
        for day in days:
            assert written(two_releases, fmt, day, memo) == written(two_releases, fmt, day, None), (fmt, day)


def test_one_span_is_written_once_and_the_json_header_restamped(
    two_releases: Kodeks, monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = two_releases.formats.exporter("json")
    calls: list[date] = []
    original = type(exporter).write

    def counting(self: Any, export: Any, options: Any = None) -> bytes:
        calls.append(export.at)
        return original(self, export, options)

    monkeypatch.setattr(type(exporter), "write", counting)
    memo: dict[Any, Any] = {}
    first = written(two_releases, "json", date(2013, 3, 1), memo)
    second = written(two_releases, "json", date(2014, 6, 30), memo)  # no fact or release changes between
    assert calls == [date(2013, 3, 1)]
    assert b'\n  "at": "2014-06-30"' in second and first.replace(b"2013-03-01", b"2014-06-30", 1) == second
    written(two_releases, "json", date(2016, 1, 1), memo)  # the second release: another span
    assert calls == [date(2013, 3, 1), date(2016, 1, 1)]


def test_a_format_that_carries_the_day_and_cannot_restamp_it_is_not_kept(two_releases: Kodeks) -> None:
    memo: dict[Any, Any] = {}
    a = written(two_releases, "xlsx", date(2013, 3, 1), memo)
    b = written(two_releases, "xlsx", date(2014, 6, 30), memo)
    assert a != b and getattr(two_releases.formats.exporter("xlsx"), "dated", True)


def test_kept_exports_stay_within_their_budget(two_releases: Kodeks, monkeypatch: pytest.MonkeyPatch) -> None:
    size = len(written(two_releases, "csv", date(2013, 3, 1), None))
    monkeypatch.setattr(exporting, "EXPORT_MEMO_BYTES", size * 2)
    memo: dict[Any, Any] = {}
    for day in (date(2010, 6, 1), date(2011, 6, 1), date(2013, 3, 1), date(2017, 1, 1)):  # four spans
        written(two_releases, "csv", day, memo)
    kept = memo[("exports", "tree")]
    assert kept._bytes <= size * 2 and len(kept._kept) == 2  # the newest two
