"""As-of read latency with 1 vs 20 releases of the same classification (target ≤ 1.2×).

    python bench/asof_latency.py

Registry A holds the real KLE 2015 XML. Registry B holds the same plus 19 later snapshot releases
(2016-01-01 … 2034-01-01), each derived from the real plan: every release renames 3% of the emner
and retires 1% — so B carries many superseded and closed records, as years of real use would.
Both are SQLite files. Measured: one item lookup (service call, as the API does it) and a full
list of the items valid on a date, each at the newest date and at 2012-05-01.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import replace
from datetime import date

from _common import data, percentiles, report
from tests.factories import FakeCatalog

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.period import ALWAYS
from kodeks.domain.release import ReleaseKind
from kodeks.services import importing, queries


def registry(path: str, releases: int) -> Kodeks:
    kodeks = build(Settings(database_url=f"sqlite:///{path}"))
    kle = data("kle/kle_emneplan_2015-08-01.xml")
    importing.import_data(kodeks.uow, kodeks.formats, kle.read_bytes(), kle.name, format="kle-xml")
    if releases > 1:
        [bundle] = kodeks.formats.importer("kle-xml").read(
            kle.read_bytes(), kle.name, importing.ImportOptions()
        )
        alive = [i for i in bundle.items if i.valid.end is None]
        rng = random.Random(7)
        for n in range(1, releases):
            day = date(2015 + n, 1, 1)
            alive = [i for i in alive if rng.random() > 0.01 or i.level != 3]
            alive = [
                replace(i, titles={"da": f"{i.title()} ({day.year})"}) if rng.random() < 0.03 else i
                for i in alive
            ]
            snap = replace(
                bundle,
                items=tuple(replace(i, valid=ALWAYS) for i in alive),
                release_date=day,
                release_label=f"synthetic {day.year}",
                kind=ReleaseKind.SNAPSHOT,
            )
            importing.import_data(kodeks.uow, FakeCatalog([snap]), b"", f"synthetic-{day.year}")
    return kodeks


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    import time

    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one = registry(f"{tmp}/one.sqlite", 1)
        twenty = registry(f"{tmp}/twenty.sqlite", 20)
        for label, at in (("newest", date(2035, 1, 1)), ("2012-05-01", date(2012, 5, 1))):
            when = queries.When.of(at)
            code = "27.24.00" if at.year > 2013 else "00.10.00"
            a = timed(lambda: queries.item(one.uow, "kle", code, when), 300)  # noqa: B023
            b = timed(lambda: queries.item(twenty.uow, "kle", code, when), 300)  # noqa: B023
            pa, pb = percentiles(a), percentiles(b)
            report(
                f"item lookup at {label}, 20 releases (p50)",
                pb[0] * 1000,
                "1 release",
                pa[0] * 1000,
                unit="ms",
                target="≤ 1.2×",
            )
            a = timed(lambda: queries.items(one.uow, "kle", when), 15)  # noqa: B023
            b = timed(lambda: queries.items(twenty.uow, "kle", when), 15)  # noqa: B023
            report(
                f"all items at {label}, 20 releases (p50)",
                percentiles(b)[0] * 1000,
                "1 release",
                percentiles(a)[0] * 1000,
                unit="ms",
                target="≤ 1.2×",
            )


if __name__ == "__main__":
    main()
