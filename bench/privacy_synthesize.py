"""Synthetic Adult (9 categorical columns) at epsilon = 1: MST-style (old) and AIM-style (new), side by side.

Both run on the same training half and seeds; the noise floor is the other half (a real holdout) against the
training half. Run from bench/: python privacy_synthesize.py [seeds]
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from statistics import mean

import polars as pl
from privacy_anonymize import data_dir

from kodeks.privacy.fidelity import FidelityReport, fidelity
from kodeks.privacy.synthesize import synthesize

METHODS = ("mst", "aim")


def main() -> None:
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"load average {os.getloadavg()[0]:.1f}")
    frame = pl.read_csv(data_dir() / "adult_arx" / "adult.csv", separator=";", infer_schema=False)
    frame = frame.sample(fraction=1.0, shuffle=True, seed=7)
    half = frame.height // 2
    train, holdout = frame[:half], frame[half:]
    floor = fidelity(train, holdout, target="salary-class", holdout=holdout)
    print(
        f"noise floor (holdout vs training half): 1-way TVD {floor.tvd_1way:.4f}, "
        f"2-way TVD {floor.tvd_2way:.4f}, corr diff {floor.correlation_difference:.4f}"
    )
    runs: dict[str, list[tuple[float, FidelityReport, float]]] = {m: [] for m in METHODS}
    for seed in range(seeds):
        for method in METHODS:
            t = time.perf_counter()
            result = synthesize(train, epsilon=1.0, seed=seed, method=method)
            seconds = time.perf_counter() - t
            f = fidelity(train, result.frame, target="salary-class", holdout=holdout)
            runs[method].append((seconds, f, result.rho_spent / result.rho))
            print(
                f"seed {seed} {method}: {seconds:6.2f} s, 1-way {f.tvd_1way:.4f}, 2-way {f.tvd_2way:.4f} "
                f"(x{f.tvd_2way / floor.tvd_2way:.2f} floor), corr diff {f.correlation_difference:.4f}, "
                f"TSTR {f.tstr_accuracy:.3f} (TRTR {f.trtr_accuracy:.3f}), exact matches "
                f"{f.exact_match_share:.1%}, DCR median {f.dcr_median}, rho spent/budget "
                f"{result.rho_spent / result.rho:.6f}"
            )
    print(f"\nmeans over {seeds} seeds   " + "   ".join(f"{m:>8}" for m in METHODS) + "   new/old")
    Run = tuple[float, FidelityReport, float]
    rows: list[tuple[str, Callable[[Run], float]]] = [
        ("time s", lambda r: r[0]),
        ("1-way TVD", lambda r: r[1].tvd_1way),
        ("2-way TVD", lambda r: r[1].tvd_2way),
        ("corr diff", lambda r: r[1].correlation_difference),
        ("TSTR acc", lambda r: r[1].tstr_accuracy or 0.0),
        ("exact match", lambda r: r[1].exact_match_share),
    ]
    for name, get in rows:
        old, new = (mean(get(r) for r in runs[m]) for m in METHODS)
        print(f"{name:<22}   {old:8.4f}   {new:8.4f}   x{new / old:.2f}")
    old2, new2 = (mean(r[1].tvd_2way for r in runs[m]) for m in METHODS)
    print(f"2-way TVD / noise floor    {old2 / floor.tvd_2way:8.2f}   {new2 / floor.tvd_2way:8.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
