"""Adult resampled to N rows: write CSV, then risk + optimal k=5 (5%) + write, with time and peak memory.

Run: python bench/privacy_scale.py 1000000   (and 10000000)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from privacy_anonymize import QIS, data_dir

from kodeks.privacy.anonymize import AnonymizationConfig, anonymize
from kodeks.privacy.hierarchy import from_arx_csv
from kodeks.privacy.models import KAnonymity
from kodeks.privacy.risk import assess
from kodeks.privacy.tableio import read_table, write_table


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    folder = data_dir() / "adult_arx"
    adult = pl.read_csv(folder / "adult.csv", separator=";", infer_schema=False)
    hierarchies = {q: from_arx_csv(folder / f"adult_hierarchy_{q}.csv", q) for q in QIS}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "big.csv"
        adult.sample(n, with_replacement=True, seed=1).write_csv(src)
        t0 = time.perf_counter()
        lazy = read_table(src)
        risk = assess(lazy, QIS)
        t1 = time.perf_counter()
        result = anonymize(
            lazy, AnonymizationConfig(QIS, hierarchies, (KAnonymity(5),), 0.05, recoding="global")
        )
        write_table(result.frame, Path(tmp) / "out.csv")
        t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n:,} rows: risk {t1 - t0:.1f} s ({risk.classes} classes); anonymize+write {t2 - t1:.1f} s "
        f"(levels {result.levels}); total {t2 - t0:.1f} s; peak RSS {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
