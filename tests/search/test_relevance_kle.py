"""Relevance on real KLE: the queries in ``relevance_queries.yaml`` with the hits a user expects.

KLE is KL's copyright and is not in the repository: the files are read from ../shared/data and
imported with the real importers (kle-xml, kle-os2mo, kle-os2kle); the module skips when they are
absent. Runs on SQLite, and on PostgreSQL when ``KODEKS_TEST_POSTGRES_URL`` is set. The hit rates
are printed (``pytest -s``) and must stay at or above the floor measured when the set was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from kodeks.bootstrap import Kodeks
from kodeks.services.search import SearchQuery, search
from tests.conftest import import_real_kle
from tests.search.backends import registry_on

QUERIES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "relevance_queries.yaml").read_text("utf-8")
)
AT = date(2026, 6, 1)
TOP1_FLOOR = 0.9
TOP5_FLOOR = 0.96


@pytest.fixture(scope="module")
def kle(backend: str, request: pytest.FixtureRequest) -> Iterator[Kodeks]:
    if backend == "sqlite":  # imported once per session, shared with other real-KLE tests
        yield request.getfixturevalue("real_kle")
        return
    with registry_on(backend) as kodeks:
        import_real_kle(kodeks)
        yield kodeks


def top_codes(kodeks: Kodeks, text: str) -> list[str]:
    result = search(kodeks.uow, kodeks.search_index, SearchQuery(text, classification="kle", at=AT, limit=5))
    return [h.code for h in result.hits if h.code is not None]


def test_the_set_is_big_and_explained() -> None:
    assert len(QUERIES) >= 40
    for q in QUERIES:
        assert q["expect"] and q["within"] in (1, 5) and len(q["why"]) > 20, q


@pytest.mark.slow
def test_hit_rates_on_real_kle(kle: Kodeks, backend: str) -> None:
    top1 = top5 = 0
    misses: list[str] = []
    for q in QUERIES:
        found = top_codes(kle, q["q"])
        first = bool(found) and found[0] in q["expect"]
        five = any(code in q["expect"] for code in found[:5])
        top1 += first
        top5 += five
        if not (first if q["within"] == 1 else five):
            misses.append(f"{q['q']!r}: expected {q['expect']} within {q['within']}, got {found}")
    n = len(QUERIES)
    print(
        f"\n[{backend}] relevance on real KLE: top-1 {top1}/{n} = {top1 / n:.0%}, "
        f"top-5 {top5}/{n} = {top5 / n:.0%}"
    )
    for miss in misses:
        print("  miss:", miss)
    assert top1 / n >= TOP1_FLOOR, misses
    assert top5 / n >= TOP5_FLOOR, misses
