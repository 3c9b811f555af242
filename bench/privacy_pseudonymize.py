"""Pseudonymize N CPR numbers: HMAC-SHA-256 and FF1 rates against plain-Python baselines in the same run.

Run: python bench/privacy_pseudonymize.py [N]   (default N = 10,000,000)

Prints wall-clock rates and CPU rates (CPU seconds of this process and its workers), the load average before
and after, and the core count: on a shared machine the wall rate depends on what else runs, the CPU rate much
less so.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import resource
import sys
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import polars as pl

from kodeks.privacy.cpr_fpe import FIRST, format_column, tables, transform, unrank
from kodeks.privacy.ff1 import FF1
from kodeks.privacy.keyed_hash import hmac_hex


def cprs(n: int, seed: int = 0) -> pl.Series:
    """``n`` random valid CPR numbers (any birth date 1858-2057, both sexes), half of them with a hyphen."""
    rng = np.random.default_rng(seed)
    ranks = rng.integers(0, tables().total, n)
    x = unrank(ranks, rng.integers(0, 2, n))
    return format_column("cpr", x, rng.random(n) < 0.5, np.ones(n, dtype=bool))


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, n: int, fn: Callable[[], object], baseline: float | None = None) -> float:
    wall, cpu = time.perf_counter(), cpu_seconds()
    fn()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    rate = n / wall
    ratio = f"  x{rate / baseline:.1f} the baseline" if baseline else ""
    print(
        f"{label}: {rate / 1e6:.2f} M values/s wall, {n / cpu / 1e6:.2f} M values per CPU-second "
        f"({n:,} values, {wall:.2f} s wall, {cpu:.2f} s CPU){ratio}",
        flush=True,
    )
    return rate


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    print(f"cores {os.cpu_count()}, load average before {os.getloadavg()}", flush=True)
    key = bytes(range(32))
    values = cprs(n)
    plain = values.str.replace("-", "", literal=True)
    sample = [v.encode() for v in plain[: min(n, 300_000)].to_list()]
    base = timed(
        "HMAC baseline, plain Python loop (hmac.new per value)",
        len(sample),
        lambda: [hmac.new(key, v, hashlib.sha256).hexdigest()[:32] for v in sample],
    )
    out = pl.Series()

    def run_hmac() -> None:
        nonlocal out
        out = hmac_hex(plain, key)

    timed("HMAC kodeks (hmac_hex, all cores)", n, run_hmac, base)
    assert out[0] == hmac.new(key, plain[0].encode(), hashlib.sha256).hexdigest()[:32]
    ff1 = FF1(key, 10)
    few = [[int(c) for c in v] for v in plain[:20_000].to_list()]
    ff1_base = timed(
        "FF1 baseline, reference FF1 per value (pure Python)",
        len(few),
        lambda: [ff1.encrypt(d, b"t") for d in few],
    )
    for keep in (False, True):
        label = "FF1 kodeks, CPR rules kept" if keep else "FF1 kodeks, ten digits"
        timed(label, n, partial(transform, values, key, keep), ff1_base)
    print(f"load average after {os.getloadavg()}; first birth date supported {FIRST}")


if __name__ == "__main__":
    main()
