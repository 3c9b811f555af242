"""Profile read against plain classification read, on the real KLE, in one run.

    python bench/profile_read.py [--repeat 40] [--db URL]

Loads the official KLE XML of 2015-08-01 (``kle-xml``) into a temporary SQLite file (or ``--db``),
reserves emner 90-99 under every group for local use, and saves Aarhus' (751) profile of KLE: every
common code (``include_all``), 100 local titles and 200 local codes (10 under each of 20 groups).
Then measures, interleaved (plain, profile, plain, profile, ...), the median latency of:

- the items list on 2015-09-01 through the service (``queries.items`` vs ``profile_reads.items``);
- the same over HTTP (in-process ASGI, JSON; the registry's read cache is off for both);
- one emne, and the children of one group, over HTTP.

Each line prints profile / plain. Target: ≤ 1.3× for the list reads.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from _common import data
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.local.profile import LocalCode, Profile, Selection
from kodeks.domain.local.ranges import ReservedRange
from kodeks.formats import kle_xml
from kodeks.services import importing, queries
from kodeks.services.local import profile_reads, profiles, ranges
from kodeks.services.queries import When
from kodeks.storage.local import open_local_store

DAY = date(2015, 9, 1)


class _Catalog:
    """Only the KLE XML importer (the bench does not depend on the rest of the format registry)."""

    def importer(self, name: str) -> object:
        return kle_xml.IMPORTERS[0]


def load(kodeks: Kodeks) -> tuple[int, str, str]:
    path = data("kle/kle_emneplan_2015-08-01.xml")
    importing.import_data(kodeks.uow, _Catalog(), path.read_bytes(), path.name, format="kle-xml")  # type: ignore[arg-type]
    ranges.set_reserved_ranges(
        kodeks.uow, open_local_store, "kle", [ReservedRange(level=3, low=90, high=99)], actor="bench"
    )
    common = queries.items(kodeks.uow, "kle", When.of(DAY))
    used = {i.code for i in common}
    groups = [i for i in common if i.level == 2 and not any(f"{i.code}.{n}" in used for n in range(90, 100))][
        :20
    ]
    local = tuple(
        LocalCode(f"{g.code}.{n}", g.code, {"da": f"Lokalt emne {g.code}.{n}"})
        for g in groups
        for n in range(90, 100)
    )
    renamed = tuple([Selection(i.code, {"da": f"Aarhus: {i.title()}"}) for i in common if i.level == 3][:100])
    profile = Profile(
        "aarhus",
        "kle",
        "751",
        {"da": "Aarhus Kommunes KLE"},
        include_all=True,
        selections=renamed,
        local_codes=local,
    )
    profiles.save_profile(kodeks.uow, open_local_store, profile, expected_version=None, actor="bench")
    emne = next(i.code for i in common if i.level == 3)
    return len(common), emne, groups[0].code


def race(
    plain: Callable[[], object], profile: Callable[[], object], repeat: int
) -> tuple[list[float], list[float]]:
    """Interleaved timings in ms (plain, profile, plain, ...), after one warm-up call of each."""
    plain(), profile()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        for fn, into in ((plain, a), (profile, b)):
            gc.collect()
            start = time.perf_counter()
            fn()
            into.append((time.perf_counter() - start) * 1000)
    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        kodeks = build(Settings(database_url=url, read_cache_seconds=-1))
        started = time.perf_counter()
        count, emne, group = load(kodeks)
        print(
            f"KLE 2015-08-01: {count:,} items valid on {DAY}; profile aarhus: every code, 100 local titles, "
            f"200 local codes (setup {time.perf_counter() - started:.1f} s, {url.split(':')[0]})"
        )
        when = When.of(DAY)
        client = TestClient(create_app(kodeks))
        base, prof = "/api/v1/classifications/kle", "/api/v1/classifications/kle/profiles/aarhus"
        cases: list[tuple[str, Callable[[], object], Callable[[], object], bool]] = [
            (
                "items list, service",
                lambda: queries.items(kodeks.uow, "kle", when),
                lambda: profile_reads.items(kodeks.uow, open_local_store, "kle", "aarhus", when),
                True,
            ),
            (
                "items list, HTTP JSON",
                lambda: _ok(client.get(f"{base}/items", params={"at": DAY.isoformat()})),
                lambda: _ok(client.get(f"{prof}/items", params={"at": DAY.isoformat()})),
                True,
            ),
            (
                "one item, HTTP",
                lambda: _ok(client.get(f"{base}/items/{emne}", params={"at": DAY.isoformat()})),
                lambda: _ok(client.get(f"{prof}/items/{emne}", params={"at": DAY.isoformat()})),
                False,
            ),
            (
                "children of a group, HTTP",
                lambda: _ok(client.get(f"{base}/items/{group}/children", params={"at": DAY.isoformat()})),
                lambda: _ok(client.get(f"{prof}/items/{group}/children", params={"at": DAY.isoformat()})),
                False,
            ),
        ]
        worst = 0.0
        print(
            f"{'':28s} {'median plain':>13s} {'profile':>9s} {'ratio':>6s} | "
            f"{'best plain':>11s} {'profile':>9s} {'ratio':>6s}"
        )
        for name, plain, profile, listed in cases:
            a, b = race(plain, profile, args.repeat)
            med = statistics.median(b) / statistics.median(a)
            best = min(b) / min(a)
            worst = max(worst, med) if listed else worst
            print(
                f"{name:28s} {statistics.median(a):10.2f} ms {statistics.median(b):6.2f} ms {med:5.2f}× | "
                f"{min(a):8.2f} ms {min(b):6.2f} ms {best:5.2f}×{' (target ≤ 1.3×)' if listed else ''}",
                flush=True,
            )
        print(f"worst list-read ratio (medians): {worst:.2f}× — {'met' if worst <= 1.3 else 'NOT met'}")


def _ok(response: object) -> object:
    status = getattr(response, "status_code", 0)
    if status != 200:
        sys.exit(f"unexpected HTTP {status}: {getattr(response, 'text', '')[:200]}")
    return response


if __name__ == "__main__":
    main()
