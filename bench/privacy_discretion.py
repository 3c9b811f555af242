"""Discretion rule on the Danish test table: counts by group with primary and audited secondary suppression.

Run: python bench/privacy_discretion.py [ROWS]   (default 100,000; needs the shared data for the generator)

The baseline is the plain Polars count of the same groups in the same run (no protection).
"""

from __future__ import annotations

import os
import sys
import time

import polars as pl
from privacy_anonymize import data_dir

from kodeks.privacy import testdata
from kodeks.privacy.discretion import DiscretionRule, count_table


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"cores {os.cpu_count()}, load average before {os.getloadavg()}", flush=True)
    frame = testdata.generate(testdata.load_sources(data_dir()), rows, seed=1)
    frame = frame.with_columns(pl.col("kle").str.slice(0, 2).alias("hovedgruppe"))
    for by in (
        ["kommune"],
        ["kommune", "afgoerelse"],
        ["hovedgruppe", "afgoerelse"],
        ["kommune", "hovedgruppe"],
    ):
        t = time.perf_counter()
        frame.group_by(by).agg(pl.len(), pl.col("cpr").n_unique())
        base = time.perf_counter() - t
        for method in ("suppress", "combine"):
            t = time.perf_counter()
            table = count_table(frame, by, DiscretionRule(method=method), unit="cpr")  # type: ignore[arg-type]
            seconds = time.perf_counter() - t
            merged = sum(len(v) for v in table.merged.values())
            print(
                f"{' x '.join(by)} ({method}): {seconds:.3f} s "
                f"(plain count {base:.3f} s, x{seconds / base:.0f}), "
                f"{table.cells} cells, {table.suppressed_cells} suppressed, {merged} categories merged",
                flush=True,
            )
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
