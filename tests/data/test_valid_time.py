"""The valid-time table, thresholds and code shapes (pure; the real KLE table is built once)."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from datetime import date

import pytest

from kodeks.domain.data import thresholds
from kodeks.domain.data.shapes import shapes_of
from kodeks.domain.data.status import Status
from kodeks.domain.data.summary import Summary
from kodeks.domain.data.valid_time import ValidTimeTable, build_table
from kodeks.domain.timeline import Fact
from tests.factories import as_facts, item

D = date


def test_every_real_kle_code_has_one_segment_on_every_date(kle_table: ValidTimeTable) -> None:
    """Segments of a code follow each other without gap or overlap from 'always' to 'for ever', so a
    join on the code and a filter on the date keeps exactly one segment per row."""
    by_code = defaultdict(list)
    for s in kle_table.segments:
        by_code[s.code].append(s)
    assert len(by_code) > 4000
    for code, mine in by_code.items():
        assert mine[0].start is None, code
        assert mine[-1].end is None, code
        for a, b in itertools.pairwise(mine):
            assert a.end is not None and a.end == b.start, code
            assert a.start is None or a.start < a.end, code


def test_the_real_kle_table_holds_each_status_and_the_2014_move(kle_table: ValidTimeTable) -> None:
    found = {s.status for s in kle_table.segments}
    assert {Status.VALID, Status.EXPIRED, Status.MOVED, Status.NOT_YET_VALID} <= found
    moved = kle_table.lookup("00.10.00", D(2016, 1, 1))
    assert moved is not None and (moved.status, moved.suggestion, moved.top) == (
        Status.MOVED,
        "15.40.00",
        "00",
    )


def chain() -> list[Fact]:
    return as_facts(
        [
            item("10", "Top"),
            item("10.01", "Old", parent="10", end=D(2010, 1, 1), replaced_by=("10.02",)),
            item(
                "10.02", "Middle", parent="10", start=D(2010, 1, 1), end=D(2015, 1, 1), replaced_by=("10.03",)
            ),
            item("10.03", "New", parent="10", start=D(2015, 1, 1)),
            item("10.04", "Loop", parent="10", end=D(2001, 1, 1), replaced_by=("10.05",)),
            item("10.05", "Loop back", parent="10", end=D(2000, 1, 1), replaced_by=("10.04",)),
        ]
    )


@pytest.mark.parametrize(
    ("code", "day", "status", "suggestion"),
    [
        ("10.01", D(2009, 12, 31), Status.VALID, None),
        ("10.01", D(2012, 1, 1), Status.MOVED, "10.02"),
        ("10.01", D(2020, 1, 1), Status.MOVED, "10.03"),  # the chain followed to the code valid then
        ("10.03", D(2014, 12, 31), Status.NOT_YET_VALID, "2015-01-01"),
        ("10.04", D(2005, 1, 1), Status.EXPIRED, "2001-01-01"),  # a cycle leads nowhere valid
    ],
)
def test_successor_chains_are_followed_to_the_rows_date(
    code: str, day: date, status: Status, suggestion: str | None
) -> None:
    found = build_table("t", chain()).lookup(code, day)
    assert found is not None and (found.status, found.suggestion) == (status, suggestion)


def test_local_codes_are_local_over_their_validity_only() -> None:
    local = as_facts([item("10.90", "Lokal", parent="10", start=D(2020, 1, 1), end=D(2022, 1, 1))])
    table = build_table("t", chain(), local, profile="p")
    statuses = [(s.status, s.start, s.end) for s in table.segments if s.code == "10.90"]
    assert statuses == [
        (Status.NOT_YET_VALID, None, D(2020, 1, 1)),
        (Status.LOCAL, D(2020, 1, 1), D(2022, 1, 1)),
        (Status.EXPIRED, D(2022, 1, 1), None),
    ]
    assert table.lookup("10.90", D(2021, 1, 1)).top == "10"  # type: ignore[union-attr]


def test_a_local_code_never_hides_a_common_code() -> None:
    table = build_table("t", chain(), as_facts([item("10.03", "Lokal kopi", parent="10")]))
    assert {s.status for s in table.segments if s.code == "10.03"} == {Status.VALID, Status.NOT_YET_VALID}


def test_shapes_are_fine_for_kle_and_coarse_for_uuids() -> None:
    kle = shapes_of(["00", "00.01", "00.01.00"])
    assert not kle.coarse and kle.fits("27.24.03") and not kle.fits("27.24.3") and not kle.fits("2724")
    uuids = shapes_of([str(uuid.uuid5(uuid.NAMESPACE_URL, f"kodeks/{i}")) for i in range(200)])
    assert uuids.coarse and uuids.fits("ffffffff-0000-4abc-8def-0123456789ab") and not uuids.fits("ffff")


def test_thresholds_read_shares_and_counts() -> None:
    summary = Summary.of(200, {"valid": 190, "unknown": 4, "malformed": 6})
    rules = thresholds.parse("unknown>0.01, malformed>=6, invalid>=5%, empty>0")
    assert [t.text for t in thresholds.broken(rules, summary)] == [
        "unknown>0.01",
        "malformed>=6",
        "invalid>=5%",
    ]


@pytest.mark.parametrize("text", ["unknown", "unknown>>1", "nonsense>1", "valid>-1", "unknown>1e3"])
def test_an_unreadable_threshold_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="threshold"):
        thresholds.parse(text)


def test_a_summary_refuses_words_that_are_not_statuses() -> None:
    with pytest.raises(ValueError, match="not status words"):
        Summary.of(1, {"fine": 1})


@pytest.mark.parametrize("coarse", [False, True])
def test_the_engines_shape_regex_agrees_with_the_shapes(coarse: bool) -> None:
    import polars as pl

    codes = (
        [str(uuid.uuid5(uuid.NAMESPACE_URL, f"kodeks/{i}")) for i in range(200)]
        if coarse
        else ["00", "00.01", "00.01.00", "Æ1-b"]
    )
    shapes = shapes_of(codes)
    assert shapes.coarse is coarse
    values = [
        *codes,
        "27.24.3",
        "2724",
        "27.24.03",
        "ø9-Q",
        "Æ1-bb",
        "",
        "x" * 36,
        str(uuid.uuid4()),
        "a.b(c)*",
    ]
    matched = pl.Series(values).str.contains(shapes.regex()).to_list()
    assert matched == [shapes.fits(v) for v in values]
