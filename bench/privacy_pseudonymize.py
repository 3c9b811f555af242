"""Pseudonymize CPR numbers: plain Python HMAC loop (baseline) vs the vectorised path, and FF1 rates.

Run: python bench/privacy_pseudonymize.py [N]   (default N = 10,000,000)
"""

from __future__ import annotations

import hashlib
import hmac
import sys
import time

import numpy as np
import polars as pl

from kodeks.privacy.cpr_fpe import matrix_to_series, transform
from kodeks.privacy.keyed_hash import hmac_hex


def cprs(n: int, seed: int = 0) -> pl.Series:
    rng = np.random.default_rng(seed)
    day = rng.integers(1, 29, n)
    month = rng.integers(1, 13, n)
    yy = rng.integers(0, 100, n)
    serial = rng.integers(0, 4000, n)  # seventh digit 0-3: 1900s, always valid
    m = np.stack(
        [
            day // 10,
            day % 10,
            month // 10,
            month % 10,
            yy // 10,
            yy % 10,
            serial // 1000,
            serial // 100 % 10,
            serial // 10 % 10,
            serial % 10,
        ],
        axis=1,
    )
    return matrix_to_series("cpr", m)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    key = bytes(range(32))
    values = cprs(n)
    base_n = min(n, 1_000_000)
    sample = [v.encode() for v in values[:base_n].to_list()]
    t = time.perf_counter()
    [hmac.new(key, v, hashlib.sha256).hexdigest()[:32] for v in sample]
    base = base_n / (time.perf_counter() - t)
    print(f"HMAC plain Python loop: {base / 1e6:.2f} M values/s (on {base_n:,})")
    t = time.perf_counter()
    out = hmac_hex(values, key)
    rate = n / (time.perf_counter() - t)
    print(
        f"HMAC kodeks: {rate / 1e6:.2f} M values/s on {n:,} (x{rate / base:.1f}); "
        f"unique {values.n_unique():,}"
    )
    assert out[0] == hmac.new(key, values[0].encode(), hashlib.sha256).hexdigest()[:32]
    for keep in (False, True):
        t = time.perf_counter()
        enc = transform(values, key, keep_rules=keep)
        rate = n / (time.perf_counter() - t)
        print(f"FF1 {'keep CPR rules' if keep else 'ten digits'}: {rate / 1e6:.2f} M values/s on {n:,}")
        assert enc.len() == n


if __name__ == "__main__":
    main()
