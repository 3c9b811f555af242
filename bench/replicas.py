"""Scale-out: N stateless ``kodeks serve`` replicas on one PostgreSQL, and a registration seen by all.

    python bench/replicas.py --db postgresql+psycopg://… [--replicas 2] [--duration 6] [--publications 20]

Loads the real KLE 2015 into the database (a schema of its own is the caller's choice, e.g.
``?options=-csearch_path%3Dbench``), then:

1. **Throughput**: the distinct ``items/{code}?at=`` URLs of ``http_lookup.py`` against one replica
   (one ``kodeks serve`` process, one worker), then against ``--replicas`` of them at once (one
   ``wrk`` per replica, the URL list split between them), same run: requests/s and the ratio.
2. **A registration seen by all**: ``--publications`` times, a third process records a new version
   of a one-code classification (its title ``v1``, ``v2``, …); as soon as the commit returns, each
   replica is asked for the code: every answer must carry the new title (stale answers are
   counted), and the time of that first request after the commit is reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from _common import data
from http_lookup import LUA, PATH, distinct_paths, ensure_tools, free_port, serve, stop, wait

from kodeks.bootstrap import build
from kodeks.config import Settings
from kodeks.services import importing
from kodeks.services.ports import ImportOptions

ONE = "/api/v1/classifications/bench-replicas/items/A"


def one_code(kodeks_db: str, title: str, day: date) -> None:
    kodeks = build(Settings(database_url=kodeks_db))
    csv = f"code,title\nA,{title}\n".encode()
    importing.import_data(
        kodeks.uow,
        kodeks.formats,
        csv,
        "bench-replicas.csv",
        options=ImportOptions(classification="bench-replicas", mapping={"code": "code", "title": "title"}),
        release_label=title,
        release_date=day,
    )
    kodeks.engine.dispose()


def title(port: int) -> tuple[str, float]:
    start = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{ONE}", timeout=30) as r:
        body = json.loads(r.read())
    return str(body["titles"]["da"]), time.perf_counter() - start


def throughput(ports: list[int], lua_files: list[str], duration: int) -> float:
    """Requests/s of one wrk per replica, run at once, summed."""
    runs = [
        subprocess.Popen(
            [
                "wrk",
                "-t1",
                "-c16",
                f"-d{duration}s",
                "--latency",
                "-s",
                lua,
                f"http://127.0.0.1:{port}{PATH}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for port, lua in zip(ports, lua_files, strict=True)
    ]
    total = 0.0
    for run in runs:
        out = run.communicate()[0]
        total += float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a PostgreSQL URL")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--urls", type=int, default=20_000)
    parser.add_argument("--publications", type=int, default=20)
    args = parser.parse_args()
    ensure_tools()
    kodeks = build(Settings(database_url=args.db))
    kle = data("kle/kle_emneplan_2015-08-01.xml")
    importing.import_data(kodeks.uow, kodeks.formats, kle.read_bytes(), kle.name)
    paths = distinct_paths(kodeks, args.urls)
    kodeks.engine.dispose()
    one_code(args.db, "v0", date(2000, 1, 1))
    with tempfile.TemporaryDirectory() as tmp:
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115
        ports = [free_port() for _ in range(args.replicas)]
        servers = [serve(port, 1, args.db, {}, log) for port in ports]
        try:
            for port in ports:
                wait(f"http://127.0.0.1:{port}{paths[0]}")

            # 1. Throughput: one replica with all URLs, then every replica with its share.
            def lua(share: list[str], name: str) -> str:
                listing = Path(tmp) / f"{name}.txt"
                listing.write_text("\n".join(share) + "\n")
                script = Path(tmp) / f"{name}.lua"
                script.write_text(LUA % listing)
                return str(script)

            alone = [throughput([ports[0]], [lua(paths, "all")], args.duration) for _ in range(2)]
            n = args.replicas
            shares = [lua(paths[i::n], f"share{i}") for i in range(n)]
            together = [throughput(ports, shares, args.duration) for _ in range(2)]
            print(f"wrk -t1 -c16 per replica, {args.duration} s, {len(paths):,} distinct URLs, PostgreSQL")
            print(f"  1 replica:  {max(alone):>9,.0f} req/s (best of 2)")
            print(
                f"  {n} replicas: {max(together):>9,.0f} req/s (best of 2): "
                f"{max(together) / max(alone):.2f}× one replica"
            )
            # 2. A registration seen by every replica on its next request.
            stale, first = 0, []
            for k in range(1, args.publications + 1):
                one_code(args.db, f"v{k}", date(2000, 1, 1) + timedelta(days=k))
                for port in ports:
                    seen, took = title(port)
                    stale += seen != f"v{k}"
                    first.append(took)
            print(
                f"  {args.publications} registrations × {n} replicas: {stale} stale answers; first request "
                f"after the commit: median {statistics.median(first) * 1000:.1f} ms, "
                f"max {max(first) * 1000:.1f} ms"
            )
        finally:
            for server in servers:
                stop(server)


if __name__ == "__main__":
    main()
