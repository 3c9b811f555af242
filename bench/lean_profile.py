"""Where one lean look-up's time goes: the application called in-process, no HTTP, on the real KLE.

    python bench/lean_profile.py [--db URL] [--requests 20000] [--profile]

Loads KLE 2015 into a temporary SQLite file (or ``--db``), builds the read model with one read, then
calls the ASGI application directly for ``--requests`` distinct ``items/{code}?at={date}`` URLs
(the ones ``http_lookup.py`` asks), a batch of 16 at a time on one event loop as a worker with 16
connections would; prints µs of CPU per request, and with ``--profile`` the top of cProfile's
cumulative listing. Also times the generation check alone (``GenerationWatch.current``), and
``FastReads.answer_now`` alone — what ``kodeks serve``'s HTTP protocol calls for such a look-up —
for the same URLs (with ``--profile``: its listing too).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
import time
from typing import Any

from _common import data
from http_lookup import distinct_paths

from kodeks.api.app import create_app
from kodeks.bootstrap import build
from kodeks.config import Settings
from kodeks.services import importing


async def call(app: Any, path: str) -> bytes:
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": "GET",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
    }
    out: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            out.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(out)


async def run(app: Any, paths: list[str], batch: int = 16) -> None:
    for i in range(0, len(paths), batch):
        await asyncio.gather(*(call(app, p) for p in paths[i : i + batch]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{tmp}/kle.sqlite"
        kodeks = build(Settings(database_url=db))
        kle = data("kle/kle_emneplan_2015-08-01.xml")
        importing.import_data(kodeks.uow, kodeks.formats, kle.read_bytes(), kle.name)
        paths = distinct_paths(kodeks, args.requests)
        app = create_app(kodeks)
        loop = asyncio.new_event_loop()
        try:
            import uvloop

            loop = uvloop.new_event_loop()
        except ImportError:
            pass
        loop.run_until_complete(call(app, paths[0] + "&x=1"))  # the application builds the model
        loop.run_until_complete(run(app, paths[:2000]))  # warm
        assert app.lean is not None
        before = app.lean.answered
        start, cpu = time.perf_counter(), time.process_time()
        loop.run_until_complete(run(app, paths))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        answered = app.lean.answered - before
        print(
            f"{db.split(':')[0]}: {len(paths):,} look-ups, {answered:,} on the lean path; "
            f"{wall / len(paths) * 1e6:.0f} µs wall, {cpu / len(paths) * 1e6:.0f} µs CPU each"
        )
        watch = app.lean.watch
        n = 2000
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            loop.run_until_complete(watch.current())
        print(
            f"generation check alone, one at a time: {(time.perf_counter() - start) / n * 1e6:.0f} µs wall, "
            f"{(time.process_time() - cpu) / n * 1e6:.0f} µs CPU; queries {watch.queries:,}"
        )
        asked = [(r, q.encode()) for r, _, q in (p.partition("?") for p in paths)]
        headers = [(b"host", b"localhost")]
        lean = app.lean
        start, cpu = time.perf_counter(), time.process_time()
        bodies = [lean.answer_now(route, query, headers) for route, query in asked]
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"answer_now (in the HTTP protocol): {sum(b is not None for b in bodies):,} answered; "
            f"{wall / len(paths) * 1e6:.1f} µs wall, {cpu / len(paths) * 1e6:.1f} µs CPU each"
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            loop.run_until_complete(run(app, paths))
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            profiler = cProfile.Profile()
            profiler.enable()
            for route, query in asked:
                lean.answer_now(route, query, headers)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        loop.close()
        kodeks.engine.dispose()


if __name__ == "__main__":
    main()
