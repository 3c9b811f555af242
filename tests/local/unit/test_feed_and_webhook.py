"""Feed cursors and merging; webhook URL rules, signatures and backoff; municipalities."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kodeks.domain.local.feed import FeedEvent, FeedKey, decode_cursor, encode_cursor, merge
from kodeks.domain.local.municipalities import MUNICIPALITIES, owner_problem
from kodeks.domain.local.webhook import RetryPolicy, address_problem, sign, url_problem, verify

T = datetime(2024, 5, 1, 12, 0, 0)


def ev(seconds: int, source: str = "item", row: int = 1, kind: int = 0) -> FeedEvent:
    return FeedEvent(FeedKey(T + timedelta(seconds=seconds), source, row, kind), {})


def test_cursor_round_trip_and_scope() -> None:
    key = FeedKey(T, "item", 42, 1)
    cursor = encode_cursor("classification:kle", key)
    assert decode_cursor("classification:kle", cursor) == key
    with pytest.raises(ValueError, match="another feed"):
        decode_cursor("classification:other", cursor)
    for junk in ("", "!!!", "eyJ2IjoyfQ", "a" * 600, encode_cursor("s", key)[:-3]):
        with pytest.raises(ValueError):
            decode_cursor("classification:kle", junk)


def test_start_after_since_excludes_events_at_since() -> None:
    page = merge([[ev(0), ev(1)], [ev(0, "profile"), ev(2, "profile")]], FeedKey.after(T), 10)
    assert [e.key.time for e in page.events] == [T + timedelta(seconds=1), T + timedelta(seconds=2)]
    assert not page.has_more


def test_merge_pages_in_key_order() -> None:
    a = [ev(1, "item", 1), ev(1, "item", 1, 1), ev(3, "item", 2)]
    b = [ev(1, "profile", 7), ev(2, "profile", 8)]
    first = merge([a, b], FeedKey.after(T), 3)
    assert [(e.key.source, e.key.row, e.key.kind) for e in first.events] == [
        ("item", 1, 0),
        ("item", 1, 1),
        ("profile", 7, 0),
    ]
    assert first.has_more
    second = merge(
        [[e for e in a if e.key > first.next_key], [e for e in b if e.key > first.next_key]],
        first.next_key,
        3,
    )
    assert [(e.key.source, e.key.row) for e in second.events] == [("profile", 8), ("item", 2)]
    assert not second.has_more and second.next_key == second.events[-1].key


def test_url_rules() -> None:
    assert url_problem("https://hooks.example.dk/kodeks?x=1") is None
    for bad, why in [
        ("ftp://x.dk/", "only http"),
        ("file:///etc/passwd", "only http"),
        ("https://", "no host"),
        ("https://user:pw@x.dk/", "credentials"),
        ("https://x.dk/a b", "spaces"),
        ("https://x.dk:99999/", "cannot be parsed"),
        ("https://x.dk/#f", "fragment"),
        ("https://x.dk/" + "a" * 2000, "longer"),
    ]:
        assert why in (url_problem(bad) or ""), bad


def test_address_rules() -> None:
    assert address_problem("93.184.216.34", allow_loopback=False) is None
    assert address_problem("127.0.0.1", allow_loopback=True) is None
    assert address_problem("127.0.0.1", allow_loopback=False)
    for private in (
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "169.254.169.254",
        "::ffff:10.0.0.1",
        "fd00::1",
        "0.0.0.0",
        "224.0.0.1",
        "100.64.0.1",
    ):
        assert address_problem(private, allow_loopback=True), private


def test_signatures_verify_and_expire() -> None:
    header = sign("s3cret", 1_700_000_000, b'{"a":1}')
    assert verify("s3cret", header, b'{"a":1}', now=1_700_000_010)
    assert not verify("other", header, b'{"a":1}', now=1_700_000_010)
    assert not verify("s3cret", header, b'{"a":2}', now=1_700_000_010)
    assert not verify("s3cret", header, b'{"a":1}', now=1_700_001_000)
    assert not verify("s3cret", "garbage", b"", now=0)


def test_backoff_is_exponential_capped_and_bounded() -> None:
    policy = RetryPolicy(max_attempts=5, base_seconds=2, cap_seconds=10)
    assert [policy.delay(n) for n in range(1, 6)] == [
        timedelta(seconds=2),
        timedelta(seconds=4),
        timedelta(seconds=8),
        timedelta(seconds=10),
        None,
    ]
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_municipalities() -> None:
    assert len(MUNICIPALITIES) == 98
    assert MUNICIPALITIES["751"].name == "Aarhus" and MUNICIPALITIES["751"].region == "Region Midtjylland"
    assert MUNICIPALITIES["101"].name == "København"
    assert owner_problem("751") is None and owner_problem("KL") is None
    assert owner_problem("411") and owner_problem("99") and owner_problem("<b>")
