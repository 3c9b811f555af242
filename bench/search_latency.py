"""Search latency over all bundled classifications + real KLE + ICD-10 (target p95 < 10 ms).

    python bench/search_latency.py                      # SQLite (a file in a temporary folder)
    KODEKS_TEST_POSTGRES_URL=postgresql+psycopg://... python bench/search_latency.py   # and PostgreSQL

Loads what ``kodeks demo`` loads (DB07, ISCO-08, three EU NALs; KLE from three sources, FSIII, ICD-10
from ../shared/data) with the import listener, so the index is built as in production. Then runs
every query of ``tests/search/relevance_queries.yaml`` plus codes, code prefixes, typos, prefixes and
multi-word queries through ``services.search.search`` (no filter: all classifications), ``ROUNDS``
times each, and reports p50/p95/p99. Baselines in the same run, on the same database:

* ``exact code``: one indexed ``item_record`` lookup by classification and code (the floor of any read);
* ``LIKE scan``: ``title ILIKE '%word%'`` (the query's first word) over the current item records: the
  naive search without an index.

The three are interleaved query by query, so load on the machine hits them alike.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable
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


def clock(fn: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall milliseconds of one call; with ``cpu``, also this process's CPU milliseconds (which a busy
    machine does not inflate; for SQLite that is the whole search, for PostgreSQL the client side)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    if cpu is not None:
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def run(label: str, kodeks: Kodeks) -> list[str]:
    queries = [
        q["q"] for q in yaml.safe_load((REPO / "tests/search/relevance_queries.yaml").read_text("utf-8"))
    ]
    queries += EXTRA
    for q in queries:  # warm caches once (the stemmer's, the database's pages)
        search(kodeks.uow, kodeks.search_index, SearchQuery(q))
    code = ("kle", "27.24.00")

    def exact() -> None:
        with kodeks.uow() as uow:
            uow.conn.execute(
                select(item_record.c.data).where(
                    item_record.c.classification_id == code[0],
                    item_record.c.code == code[1],
                    item_record.c.recorded_to.is_(None),
                )
            ).all()

    def like(word: str) -> None:
        with kodeks.uow() as uow:
            uow.conn.execute(
                select(item_record.c.code, item_record.c.title)
                .where(item_record.c.recorded_to.is_(None), item_record.c.title.ilike(f"%{word}%"))
                .limit(20)
            ).all()

    # Interleaved, so a busy machine slows search and baselines alike and the ratios stay fair.
    samples: list[float] = []
    cpu: list[float] = []
    base_exact: list[float] = []
    base_like: list[float] = []
    for _ in range(ROUNDS):
        for q in queries:
            samples.append(clock(lambda q=q: search(kodeks.uow, kodeks.search_index, SearchQuery(q)), cpu))
            base_exact.append(clock(exact))
            base_like.append(clock(lambda q=q: like(q.split()[0])))
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
    c50, c95, _ = percentiles(cpu)
    lines.append(f"{label}: search CPU time in this process p50 {c50:.2f} ms, p95 {c95:.2f} ms")
    load = os.getloadavg()[0]
    lines.append(f"{label}: load average during the run {load:.1f} on {os.cpu_count()} cores")
    slowest = sorted(
        (
            (
                max(
                    clock(lambda q=q: search(kodeks.uow, kodeks.search_index, SearchQuery(q)))
                    for _ in range(3)
                ),
                q,
            )
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
