"""Solution landscape at scale: 98 municipalities × 2,000 systems × 10 years (generated over the real
KLE 2015), in a SQLite file. Times the matrix page, the matrix and coverage service calls, and the
map-sized read (every use on a day), against a baseline in the same run: reading the same uses'
rows with bare SQL.

    python bench/landscape.py [--systems 2000] [--years 10]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import best_of, data

from kodeks.bootstrap import build
from kodeks.config import Settings
from kodeks.services import importing
from kodeks.services.landscape import queries
from kodeks.services.landscape.generating import generated_bundle
from kodeks.services.landscape.importing import import_bundle
from kodeks.services.ports import ImportOptions
from kodeks.services.queries import When


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kodeks = build(Settings(database_url=f"sqlite:///{Path(tmp) / 'k.db'}", read_cache_seconds=-1.0))
        kle = data("kle/kle_emneplan_2015-08-01.xml")
        importing.import_data(
            kodeks.uow, kodeks.formats, kle.read_bytes(), kle.name, format="kle-xml", options=ImportOptions()
        )
        start = time.perf_counter()
        bundle = generated_bundle(kodeks.uow, systems=args.systems, years=args.years, first_year=2015)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        report = import_bundle(kodeks.uow, kodeks.landscape, bundle)
        imported = time.perf_counter() - start
        print(
            f"generated {len(bundle.solutions)} solutions, {len(bundle.uses)} uses in {generated:.2f} s; "
            f"imported ({report.pairs_changed} pairs) in {imported:.2f} s"
        )
        when = When.of(date(2022, 1, 1))

        def bare() -> None:
            from sqlalchemy import text

            with kodeks.engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT solution_id, municipality, status FROM landscape_use "
                        "WHERE recorded_to IS NULL AND (valid_from IS NULL OR valid_from <= :d) "
                        "AND (valid_to IS NULL OR valid_to > :d)"
                    ),
                    {"d": "2022-01-01"},
                ).fetchall()

        from fastapi.testclient import TestClient

        from kodeks.formats.landscape import topojson
        from kodeks.services.landscape import maps

        topo = data("dk_municipalities/dagi_kommuner_2014.topojson")
        maps.import_boundaries(kodeks.uow, kodeks.landscape, *topojson.read(topo.read_bytes(), topo.name))

        from kodeks.api.app import create_app

        client = TestClient(create_app(kodeks))
        client.get("/landskab")  # the app's first request pays its start-up
        rows = [
            ("bare SQL: the day's uses", best_of(bare)),
            (
                "matrix (service, all 98 × first 60)",
                best_of(lambda: queries.matrix(kodeks.uow, kodeks.landscape, when)),
            ),
            (
                "matrix (service, nothing kept: a new day or a new recording)",
                best_of(
                    lambda: (queries.forget_snapshots(), queries.matrix(kodeks.uow, kodeks.landscape, when))
                ),
            ),
            (
                "matrix page /landskab (HTTP, in process)",
                best_of(lambda: client.get("/landskab?dato=2022-01-01")),
            ),
            (
                "usage on a day (map-sized read)",
                best_of(lambda: queries.usage(kodeks.uow, kodeks.landscape, when)),
            ),
            (
                "map page /landskab/kort (number of solutions in use)",
                best_of(lambda: client.get("/landskab/kort?maal=count&dato=2022-01-01")),
            ),
            (
                "map page, nothing kept",
                best_of(
                    lambda: (
                        queries.forget_snapshots(),
                        client.get("/landskab/kort?maal=count&dato=2022-01-01"),
                    )
                ),
            ),
            (
                "map page /landskab/kort (one solution's status)",
                best_of(lambda: client.get("/landskab/kort?loesning=aula&dato=2022-01-01")),
            ),
            (
                "coverage of one municipality (service)",
                best_of(lambda: queries.coverage(kodeks.uow, kodeks.landscape, "751", when)),
            ),
            (
                "coverage page /landskab/kommuner/751",
                best_of(lambda: client.get("/landskab/kommuner/751?dato=2022-01-01")),
            ),
        ]
        base = rows[0][1]
        print("| read | best of 5 | ratio to bare SQL |\n|---|---|---|")
        for name, seconds in rows:
            print(f"| {name} | {seconds * 1000:.1f} ms | {seconds / base:.1f}× |")
        kodeks.engine.dispose()


if __name__ == "__main__":
    main()
