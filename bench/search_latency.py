"""Search latency over all bundled classifications + real KLE + ICD-10 (target p95 < 10 ms).

    python bench/search_latency.py                      # SQLite (a file in a temporary folder)
    KODEKS_TEST_POSTGRES_URL=postgresql+psycopg://... python bench/search_latency.py   # and PostgreSQL

Loads what ``kodeks demo`` loads (DB07, ISCO-08, three EU NALs; KLE from three sources, FSIII, ICD-10
from ../shared/data) with the import listener, so the index is built as in production. Then runs
every query of ``tests/search/relevance_queries.yaml`` plus codes, code prefixes, typos, prefixes and
multi-word queries through ``services.search.search`` (no filter: all classifications), ``ROUNDS``
times each, and reports p50/p95/p99. Baselines in the same run, on the same database:

* ``exact code``: one indexed ``item_record`` lookup by classification and code (the floor of any read);
* ``LIKE scan``: ``title LIKE '%word%'`` over the current item records, the naive search without an index.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

import yaml
from _common import REPO, SHARED_DATA, percentiles
from rich.console import Console
from sqlalchemy import create_engine, select, text

from kodeks.bootstrap import Kodeks, build
from kodeks.cli import demo
from kodeks.config import Settings
from kodeks.services.search import SearchQuery, search
from kodeks.storage.tables import item_record

ROUNDS = 20
EXTRA = [
    "27.24",
    "27.24.10",
    "G01",
    "A00.1",
    "DA00",
    "J15",
    "meningitis",
    "pneumoni",
    "diabetes",
    "kolera",
    "hjemmehjælp ældre",
    "byggetilladelse garage",
    "hjemmehj",
    "pneumonii",
    "restaurant",
    "skole",
    "pleje",
    "47.11",
    "88.10.10",
    "affald genanvendelse",
]


def load(url: str) -> Kodeks:
    kodeks = build(Settings(database_url=url))
    started = time.perf_counter()
    demo.load(kodeks, Console(quiet=True), SHARED_DATA)
    with kodeks.uow() as uow:
        docs = kodeks.search_index(uow).document_count()
        items = uow.conn.execute(text("SELECT count(*) FROM item_record WHERE recorded_to IS NULL")).scalar()
    print(
        f"  loaded {items:,} current item records, {docs:,} search documents "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return kodeks


def timed(fn: object, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def run(label: str, kodeks: Kodeks) -> list[str]:
    queries = [
        q["q"] for q in yaml.safe_load((REPO / "tests/search/relevance_queries.yaml").read_text("utf-8"))
    ]
    queries += EXTRA
    for q in queries:  # warm caches once (the stemmer's, SQLite's page cache)
        search(kodeks.uow, kodeks.search_index, SearchQuery(q))
    samples: list[float] = []
    for q in queries:
        samples += timed(lambda q=q: search(kodeks.uow, kodeks.search_index, SearchQuery(q)), ROUNDS)
    codes = [("kle", "27.24.00"), ("icd10-da", "A00.1"), ("db07", "47.11.00"), ("kle", "02.34.02")]

    def exact() -> None:
        for cid, code in codes[:1]:
            with kodeks.uow() as uow:
                uow.conn.execute(
                    select(item_record.c.data).where(
                        item_record.c.classification_id == cid,
                        item_record.c.code == code,
                        item_record.c.recorded_to.is_(None),
                    )
                ).all()

    words = ["affald", "pension", "meningitis", "skole"]

    def like() -> None:
        with kodeks.uow() as uow:
            uow.conn.execute(
                select(item_record.c.code, item_record.c.title)
                .where(item_record.c.recorded_to.is_(None), item_record.c.title.ilike(f"%{words[0]}%"))
                .limit(20)
            ).all()

    base_exact = timed(exact, 200)
    base_like = timed(like, 50)
    p50, p95, p99 = percentiles(samples)
    e50, e95, _ = percentiles(base_exact)
    l50, l95, _ = percentiles(base_like)
    lines = [
        f"{label}: search over {len(queries)} queries × {ROUNDS}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
        f"p99 {p99:.2f} ms "
        f"(target p95 < 10 ms: {'met' if p95 < 10 else 'NOT met'})",
        f"{label}: baseline exact-code lookup p50 {e50:.2f} ms, p95 {e95:.2f} ms | search/exact p50 ratio "
        f"{p50 / e50:.1f}×",
        f"{label}: baseline LIKE '%word%' scan p50 {l50:.2f} ms, p95 {l95:.2f} ms | search/LIKE p50 ratio "
        f"{p50 / l50:.2f}×",
    ]
    slowest = sorted(
        (
            (max(timed(lambda q=q: search(kodeks.uow, kodeks.search_index, SearchQuery(q)), 3)), q)
            for q in queries
        ),
        reverse=True,
    )[:3]
    lines.append(
        f"{label}: slowest queries (max of 3): " + ", ".join(f"{q!r} {t:.1f} ms" for t, q in slowest)
    )
    for line in lines:
        print(line, flush=True)
    return lines


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite (file):")
        run("sqlite", load(f"sqlite:///{Path(folder) / 'bench.sqlite'}"))
    url = os.environ.get("KODEKS_TEST_POSTGRES_URL")
    if not url:
        print("PostgreSQL: skipped (set KODEKS_TEST_POSTGRES_URL, e.g. from scripts/pg start)")
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        print("PostgreSQL:")
        kodeks = load(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}")
        with kodeks.uow() as uow:
            uow.conn.execute(text("ANALYZE"))
            uow.commit()
        run("postgres", kodeks)
        kodeks.engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
