"""The tree reader and the pages that use it, on SQLite and PostgreSQL (``KODEKS_TEST_POSTGRES_URL``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from kodeks.domain.item import Item
from kodeks.domain.release import ReleaseKind
from kodeks.services import web_queries
from kodeks.services.queries import When
from kodeks.storage.tree_reader import SqlTreeReader
from tests.factories import item, record, tree_bundle
from tests.integration.registry_kit import POSTGRES_URL, Databases


@pytest.fixture(params=["sqlite-memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def kodeks(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kodeks]:
    if request.param == "postgres" and not POSTGRES_URL:
        reason = "KODEKS_TEST_POSTGRES_URL is not set, so PostgreSQL is not tested (scripts/test starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test PostgreSQL: {reason}")
        pytest.skip(reason)
    dbs = Databases(request.param, tmp_path)
    registry = dbs.new()
    odd = [
        item("Ø62", "Facet med Ø", start=date(2000, 1, 1), replaced_by=("10.01.00",), end=date(2001, 1, 1)),
        item("50%_x", "Kode med % og _", start=date(2000, 1, 1)),
    ]
    items: list[Item] = [*tree_bundle().items, *odd]
    record(registry, tree_bundle(items=items))
    yield registry
    dbs.close()


def test_reader_levels_counts_nodes_and_stamp(kodeks: Kodeks) -> None:
    reader = SqlTreeReader(kodeks.engine)
    when = When.of(date(2010, 6, 1))
    assert sorted(reader.child_codes("tree", None, when.at, when.known_at)) == ["10", "20", "50%_x"]
    assert sorted(reader.child_codes("tree", "10.01", when.at, when.known_at)) == [
        "10.01.00",
        "10.01.05",
        "10.01.07",
    ]
    assert reader.child_counts("tree", ["10", "10.01", "10.01.00", "nope"], when.at, when.known_at) == {
        "10": 1,
        "10.01": 3,
    }
    rows = {r.code: r for r in reader.nodes("tree", ["10", "20", "nope"], when.at, when.known_at)}
    assert set(rows) == {"10", "20"} and rows["10"].title() == "Skole"
    stamp = reader.stamp("tree", when.known_at)
    assert stamp is not None and stamp <= when.known_at
    assert reader.stamp("tree", stamp.replace(year=2000)) is None


def test_codes_mentioning_finds_odd_codes(kodeks: Kodeks) -> None:
    """The prefilter for predecessors matches codes with æøå and LIKE's own wildcards literally."""
    reader = SqlTreeReader(kodeks.engine)
    now = When.of().known_at
    assert "Ø62" in reader.codes_mentioning("tree", "10.01.00", now)
    assert reader.codes_mentioning("tree", "50%_x", now) == ["50%_x"]
    assert reader.codes_mentioning("tree", "50%", now) == []  # % is not a wildcard here
    found = web_queries.predecessors(kodeks.uow, reader, "tree", "10.01.00", When.of())
    assert [p.item.code for p in found] == ["Ø62"]


def test_pages_on_the_backend(kodeks: Kodeks) -> None:
    with TestClient(create_app(kodeks), raise_server_exceptions=False) as client:
        page = client.get("/klassifikationer/tree?dato=2010-06-01&aaben=10").context["page"]  # type: ignore[attr-defined]
        assert [n.code for n in page.tree.nodes] == ["10", "20", "50%_x"]
        assert page.tree.nodes[0].children is not None
        r = client.get("/klassifikationer/tree/koder/50%25_x")
        assert r.status_code == 200 and r.context["page"].code == "50%_x"  # type: ignore[attr-defined]
        item_page = client.get("/klassifikationer/tree/koder/10.01.00").context["page"]  # type: ignore[attr-defined]
        assert [p.label for p in item_page.predecessors] == ["Ø62 Facet med Ø"]
        assert client.get("/klassifikationer/tree/koder/10.01.05/historik").status_code == 200
        diff = client.get("/klassifikationer/tree/aendringer?fra=2010-06-01&til=2013-01-01").context["page"]  # type: ignore[attr-defined]
        assert diff.counts["moved"] == 1


def test_snapshot_releases_on_the_backend(kodeks: Kodeks) -> None:
    for day, title in ((date(2020, 1, 1), "Før"), (date(2021, 1, 1), "Efter")):
        record(
            kodeks,
            tree_bundle(items=[item("1", title)], release_date=day, kind=ReleaseKind.SNAPSHOT, cid="snap"),
        )
    reader = SqlTreeReader(kodeks.engine)
    level = web_queries.tree_level(kodeks.uow, reader, "snap", None, When.of(date(2020, 6, 1)))
    assert [(n.row.code, n.row.title()) for n in level.nodes] == [("1", "Før")]
    level = web_queries.tree_level(kodeks.uow, reader, "snap", None, When.of(date(2021, 6, 1)))
    assert [(n.row.code, n.row.title()) for n in level.nodes] == [("1", "Efter")]
