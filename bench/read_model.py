"""The in-process read model: build time, memory, and as-of reads against the database, same run.

    python bench/read_model.py [--synthetic 100000,1000000]
    python bench/read_model.py --synthetic-db 1000000 [--warm]

For the real KLE (three releases, all history) and ICD-10: the time to build the model after an
import (read the facts + index them), its memory (tracemalloc), and 2,000 as-of item look-ups on
distinct code×date pairs through the unit of work with the model and without it (the database),
side by side. For synthetic classifications of 10^5 and 10^6 facts: build time and memory only.
``--synthetic-db``: that many synthetic facts recorded in a SQLite file first, then the model built
by the first read, as after an import (build time and the process's RSS growth).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, datetime, timedelta

from _common import data

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.classification import Classification
from kodeks.domain.codec import fingerprint_of, item_to_dict
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.timeline import Fact
from kodeks.services import importing
from kodeks.services.ports import ImportOptions, NewFact
from kodeks.storage.engine import make_engine, migrate
from kodeks.storage.read_model import ClassificationModel, ModelUnitOfWork, ReadModels
from kodeks.storage.read_model_warm import Warmer
from kodeks.storage.unit_of_work import SqlUnitOfWork

NOW = datetime(2100, 1, 1)


def load(kodeks: Kodeks, path: str, cid: str | None, label: str | None, day: date | None) -> None:
    file = data(path)
    options = ImportOptions(classification=cid) if cid else None
    importing.import_data(
        kodeks.uow,
        kodeks.formats,
        file.read_bytes(),
        file.name,
        options=options,
        release_label=label,
        release_date=day,
    )


def measured(fn: object) -> tuple[object, float, int]:
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    took = time.perf_counter() - start
    held = tracemalloc.get_traced_memory()[0]  # what the result holds (it is still referenced)
    tracemalloc.stop()
    return result, took, held


def lookups(kodeks: Kodeks, cid: str, count: int = 2000) -> None:
    with SqlUnitOfWork(kodeks.engine) as uow:
        facts = uow.facts_known_at(cid, NOW)
    rng = random.Random(16)
    probes = []
    for f in rng.choices(facts, k=count):
        start = f.period.start or date(1988, 1, 1)
        end = min(f.period.end or date(2026, 12, 31), date(2026, 12, 31))
        day = start + timedelta(days=rng.randrange(max(1, (end - start).days)))
        probes.append((f.code, day))
    models = ReadModels(kodeks.engine)

    def run(make: object) -> float:
        start = time.perf_counter()
        for code, day in probes:
            with make() as uow:  # type: ignore[operator]
                uow.items_at(cid, day, NOW, code=code)
                uow.items_at(cid, day, NOW, parent=code)
        return (time.perf_counter() - start) / len(probes)

    run(lambda: ModelUnitOfWork(kodeks.engine, models))  # build once
    fast = min(run(lambda: ModelUnitOfWork(kodeks.engine, models)) for _ in range(3))
    slow = min(run(lambda: SqlUnitOfWork(kodeks.engine)) for _ in range(3))
    print(
        f"  look-up (item + its children) per unit of work: model {fast * 1e6:.0f} µs, database "
        f"{slow * 1e6:.0f} µs: {slow / fast:.1f}× faster"
    )


def real(name: str, kodeks: Kodeks, cid: str) -> None:
    with SqlUnitOfWork(kodeks.engine) as uow:
        model, took, memory = measured(
            lambda: ClassificationModel.of(uow.classification(cid, NOW), uow.facts_known_at(cid, NOW))
        )
    assert isinstance(model, ClassificationModel)
    print(f"{name}: {len(model.facts):,} facts; build {took:.2f} s; {memory / 2**20:.0f} MiB")
    lookups(kodeks, cid)


def synthetic(n: int) -> None:
    def facts() -> list[Fact]:
        out = []
        for i in range(n):
            code = f"{i // 10000:02d}.{i // 100 % 100:02d}.{i % 100:02d}"
            item = Item(
                code, {"da": f"Emne {code}"}, level=3, parent=code[:5], valid=Period(date(2000, 1, 1), None)
            )
            out.append(Fact(item, "synthetic", item.valid))
        return out

    made = facts()
    _model, took, memory = measured(lambda: ClassificationModel.of(None, made))
    print(
        f"synthetic {n:,} facts: index {took:.2f} s; {memory / 2**20:.0f} MiB for the index "
        "(the facts built apart)"
    )
    _, _, with_facts = measured(lambda: ClassificationModel.of(None, facts()))
    print(f"  with the facts themselves: {with_facts / 2**20:.0f} MiB ({with_facts / n:.0f} bytes a fact)")


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def synthetic_database(n: int, folder: str, warm: bool = False) -> None:
    """``n`` synthetic facts recorded in a SQLite file (as an import leaves them), then the model
    built from it the way the first read builds it: build time, and the process's RSS growth.
    ``warm``: built in the background as ``kodeks serve`` builds it; the first reads' latency
    meanwhile (from the database), and after."""
    engine = make_engine(f"sqlite:///{folder}/synthetic-{n}.sqlite")
    migrate(engine)
    recorded = datetime(2026, 1, 1)
    start = time.perf_counter()
    with SqlUnitOfWork(engine) as uow:
        uow.record_classification(Classification("synthetic", {"da": "Syntetisk"}), recorded)
        batch: list[NewFact] = []
        for i in range(n):
            code = f"{i // 10000:03d}.{i // 100 % 100:02d}.{i % 100:02d}"
            item = Item(
                code,
                {"da": f"Emne {code}", "en": f"Subject {code}"},
                uuid=uuid.UUID(int=i + 1),
                level=3,
                parent=code[:6],
                valid=Period(date(2000, 1, 1) + timedelta(days=i % 5000), None),
                description=f"Beskrivelse af emne {code}",
            )
            data = item_to_dict(item)
            batch.append(NewFact(fingerprint_of(data), Fact(item, "synthetic", item.valid), data))
            if len(batch) == 10_000:
                uow.insert_facts("synthetic", batch, recorded)
                batch = []
        uow.insert_facts("synthetic", batch, recorded)
        uow.commit()
    print(f"synthetic {n:,} facts in SQLite: recorded in {time.perf_counter() - start:.0f} s")
    gc.collect()
    before = rss()
    models = ReadModels(engine, max_facts=2 * n)
    if warm:
        warmed(engine, models, n)
        engine.dispose()
        return
    start = time.perf_counter()
    with ModelUnitOfWork(engine, models) as uow:
        found = uow.items_at("synthetic", date(2030, 1, 1), NOW, code="000.00.00")
    took = time.perf_counter() - start
    gc.collect()
    grown = rss() - before
    assert found and models.builds == 1
    print(
        f"  model built by the first read: {took:.1f} s; RSS +{grown / 2**20:,.0f} MiB "
        f"({grown / n:,.0f} bytes a fact)"
    )
    engine.dispose()


def warmed(engine: object, models: ReadModels, n: int) -> None:
    def read(code: str) -> float:
        start = time.perf_counter()
        with ModelUnitOfWork(engine, models) as uow:  # type: ignore[arg-type]
            assert uow.items_at("synthetic", date(2030, 1, 1), NOW, code=code)
        return time.perf_counter() - start

    start = time.perf_counter()
    warmer = Warmer(models).start()  # as ``kodeks serve`` starts
    during = [read(f"000.{i:02d}.00") for i in range(5)]
    assert warmer.wait(3600)
    built = time.perf_counter() - start
    after = [read(f"000.{i:02d}.01") for i in range(5)]
    assert models.builds == 1
    print(
        f"  built in the background: ready after {built:.1f} s; first 5 reads meanwhile (the database) "
        f"{max(during) * 1000:.1f} ms at most; 5 reads after {max(after) * 1000:.2f} ms at most"
    )
    warmer.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", default="100000,1000000")
    parser.add_argument(
        "--synthetic-db", default="", help="e.g. 1000000: facts recorded in SQLite, then built"
    )
    parser.add_argument("--warm", action="store_true", help="--synthetic-db: built in the background")
    args = parser.parse_args()
    if args.synthetic_db:
        with tempfile.TemporaryDirectory() as folder:
            for n in (int(x) for x in args.synthetic_db.split(",")):
                synthetic_database(n, folder, args.warm)
        return
    kodeks = build(Settings(database_url="sqlite://"))
    load(kodeks, "kle/kle_emneplan_2015-08-01.xml", None, None, None)
    load(kodeks, "kle/os2mo_kle_2023_emner.csv", None, "KLE 2023", date(2023, 1, 1))
    load(kodeks, "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt", None, "KLE 2026-02", date(2026, 2, 1))
    load(kodeks, "icd10_da_sks/CodeSystem-icd10-da.json", "icd10-da", None, None)
    real("KLE (3 releases, all history)", kodeks, "kle")
    real("ICD-10 (da)", kodeks, "icd10-da")
    for n in (int(x) for x in args.synthetic.split(",") if x):
        synthetic(n)


if __name__ == "__main__":
    main()
