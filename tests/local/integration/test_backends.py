"""The local store on SQLite (file) and PostgreSQL: the same use cases, the same answers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.local.correspondence import Correspondence, Mapping, Side
from kodeks.domain.local.feed import FeedKey
from kodeks.domain.local.profile import LocalCode, Profile, Selection
from kodeks.domain.local.ranges import ReservedRange
from kodeks.domain.local.sortiment import Sortiment, SortimentEntry, Status
from kodeks.domain.local.webhook import Outcome, Target, TargetKind
from kodeks.services.local import (
    correspondences,
    feeds,
    profile_reads,
    profiles,
    ranges,
    sortiments,
    webhooks,
)
from kodeks.services.local.ports import Attempt, Response
from kodeks.services.queries import When
from kodeks.storage.local import open_local_store
from tests.factories import record, tree_bundle
from tests.integration.registry_kit import POSTGRES_URL, Databases


class NoNetwork:
    def check(self, url: str) -> str | None:
        return None

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
        return Response(200)


@pytest.fixture(params=["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)])
def kodeks(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kodeks]:
    if request.param == "postgres" and not POSTGRES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must test PostgreSQL (KODEKS_TEST_POSTGRES_URL is not set)")
        pytest.skip("KODEKS_TEST_POSTGRES_URL is not set (scripts/test starts a server with scripts/pg)")
    dbs = Databases(request.param, tmp_path)
    registry = dbs.new()
    record(registry, tree_bundle())
    ranges.set_reserved_ranges(registry.uow, open_local_store, "tree", [ReservedRange(3, 90, 99)], actor="t")
    yield registry
    dbs.close()


def test_profiles_sortiments_correspondences(kodeks: Kodeks) -> None:
    p = Profile(
        "p",
        "tree",
        "751",
        {"da": "P"},
        selections=(Selection("20", subtree=True),),
        local_codes=(LocalCode("20.02.90", "20.02", {"da": "Lokal"}),),
    )
    profiles.save_profile(kodeks.uow, open_local_store, p, expected_version=None, actor="t")
    at = When.of(date(2013, 6, 1))
    assert [i.code for i in profile_reads.items(kodeks.uow, open_local_store, "tree", "p", at).items] == [
        "20",
        "20.02",
        "20.02.01",
        "20.02.90",
    ]
    assert [
        i.code for i in profile_reads.children(kodeks.uow, open_local_store, "tree", "p", "20.02", at)
    ] == ["20.02.01", "20.02.90"]
    s = Sortiment("s", "751", 0, date(2010, 1, 1), {"da": "S"}, entries=(SortimentEntry("tree", "10.01.05"),))
    sortiments.save(kodeks.uow, open_local_store, s, expected_version=None, actor="t")
    check = sortiments.codes(kodeks.uow, open_local_store, "s", When.of(date(2013, 6, 1))).checks[0]
    assert (check.status, check.successors) == (Status.EXPIRED, ("20.02.01",))
    c = Correspondence(
        "c",
        Side("tree"),
        Side("other"),
        mappings=(Mapping("10", "A"), Mapping("20", "A"), Mapping("10.01", None)),
    )

    def read(data: bytes, source: str) -> object:
        from kodeks.services.local.ports import ParsedMappings

        return ParsedMappings(c.mappings, "tree", "other")

    correspondences.import_correspondence(
        kodeks.uow,
        open_local_store,
        read,
        b"x",
        "x.csv",  # type: ignore[arg-type]
        correspondences.ImportSpec("c"),
        max_bytes=1000,
        actor="t",
    )
    at = When.of(date(2013, 6, 1))
    mapped = correspondences.map_code(kodeks.uow, open_local_store, "c", "10", at)
    assert mapped.cardinality == "n:1" and mapped.source.title == "Skole"
    back = correspondences.map_code(kodeks.uow, open_local_store, "c", "A", at, inverse=True)
    assert [v.code for _, v in back.targets] == ["10", "20"] and back.cardinality == "1:n"


def test_feeds_page_across_sources(kodeks: Kodeks) -> None:
    p = Profile("p", "tree", "751", {"da": "P"}, selections=(Selection("10.01.00"),))
    profiles.save_profile(kodeks.uow, open_local_store, p, expected_version=None, actor="t")
    since = datetime(2000, 1, 1)
    whole = feeds.profile_feed(kodeks.uow, open_local_store, "tree", "p", since=since, limit=1000).events
    seen, cursor = [], None
    for _ in range(50):
        page = feeds.profile_feed(
            kodeks.uow, open_local_store, "tree", "p", since=since, cursor=cursor, limit=2
        )
        seen += page.events
        cursor = page.cursor
        if not page.has_more:
            break
    assert [e.key for e in seen] == [e.key for e in whole] and len(whole) >= 5
    classification = feeds.classification_feed(kodeks.uow, open_local_store, "tree", since=since, limit=1000)
    assert len(classification.events) == 8 and all(
        e.key > FeedKey.after(since) for e in classification.events
    )


def test_outbox_claims_once(kodeks: Kodeks) -> None:
    hook = webhooks.register(
        kodeks.uow,
        open_local_store,
        NoNetwork(),
        "https://example.org/h",
        Target(TargetKind.CLASSIFICATION, "tree"),
        actor="t",
    )
    record(kodeks, tree_bundle(date(2016, 1, 1)), at=None)
    with kodeks.uow() as uow:
        webhooks.notify(open_local_store(uow), [hook.target], "test", {}, datetime(2030, 1, 1))
        uow.commit()
    now = datetime.now().replace(tzinfo=None) + timedelta(days=36500)
    with kodeks.uow() as uow:
        first = open_local_store(uow).claim_due(now, now + timedelta(minutes=1), 10)
        again = open_local_store(uow).claim_due(now, now + timedelta(minutes=1), 10)
        uow.commit()
    assert len(first) == 1 and again == []
    with kodeks.uow() as uow:
        open_local_store(uow).finish_attempt(
            Attempt(first[0].id, 1, now, 200, None, 3, Outcome.DELIVERED, None)
        )
        uow.commit()
    log = webhooks.deliveries(kodeks.uow, open_local_store, hook.id, "t")
    assert log[0].status is Outcome.DELIVERED and log[0].attempts[0].status_code == 200
