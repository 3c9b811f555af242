"""Helpers shared by the benchmarks: where the real data is, timing, and printing ratios."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED_DATA = Path(os.environ.get("KODEKS_SHARED_DATA", REPO.parent / "shared" / "data"))


def data(relative: str) -> Path:
    path = SHARED_DATA / relative
    if not path.exists():
        sys.exit(f"benchmark needs {relative} under ../shared/data (see its SOURCES.md)")
    return path


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of ``repeat`` runs, in seconds (the least noisy figure on a shared machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return pick(0.50), pick(0.95), pick(0.99)


def report(
    name: str, value: float, baseline_name: str, baseline: float, unit: str = "s", target: str = ""
) -> str:
    ratio = value / baseline if baseline else float("inf")
    line = f"{name}: {value:.4f} {unit} | {baseline_name}: {baseline:.4f} {unit} | ratio {ratio:.2f}×" + (
        f" (target {target})" if target else ""
    )
    print(line, flush=True)
    return line


def mean(values: list[float]) -> float:
    return statistics.fmean(values)
