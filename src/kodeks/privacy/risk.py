"""Re-identification risk of a table from its equivalence classes over the quasi-identifiers.

Definitions (as in ARX and El Emam's textbook):

- prosecutor risk of a record = ``1 / |class|``; the average over records equals ``classes / records``;
- journalist risk equals prosecutor risk when no population table is given (the sample is treated as the
  population); marketer risk is the expected share of records re-identified, also ``classes / records``;
- sample uniques are records alone in their class; records at risk have a risk above ``threshold``;
- population uniques are estimated with Zayatz's method for a sampling fraction below 1 (equal to the sample
  uniques when the table is the whole population).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from kodeks.privacy.encoding import check_columns
from kodeks.privacy.errors import ConfigError, InputError

IntArray = npt.NDArray[np.int64]
HISTOGRAM_BINS = ((1, 1), (2, 2), (3, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, None))


@dataclass(frozen=True)
class RiskReport:
    records: int
    classes: int
    min_class_size: int
    max_class_size: int
    average_class_size: float
    prosecutor_max: float
    prosecutor_average: float
    records_at_highest_risk: float
    journalist_max: float
    journalist_average: float
    marketer: float
    sample_uniques: float
    records_at_risk: float
    threshold: float
    population_uniques: float
    sampling_fraction: float
    size_histogram: tuple[tuple[str, int, int], ...]  # (bin label, classes, records)
    risk_distribution: tuple[tuple[str, float], ...]  # share of records per risk band

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def class_sizes(frame: pl.DataFrame | pl.LazyFrame, quasi_identifiers: Sequence[str]) -> IntArray:
    lazy = frame.lazy()
    check_columns(lazy.collect_schema().names(), quasi_identifiers)
    if not quasi_identifiers:
        raise ConfigError("risk needs at least one quasi-identifier")
    sizes = (
        lazy.select([pl.col(q).cast(pl.String) for q in quasi_identifiers])
        .group_by(list(quasi_identifiers))
        .agg(pl.len().alias("n"))
        .collect(engine="streaming")["n"]
        .to_numpy()
        .astype(np.int64)
    )
    if sizes.size == 0:
        raise InputError("the input has no data rows")
    return sizes


def zayatz_population_uniques(sizes: IntArray, fraction: float) -> float:
    """Share of records estimated unique in the population (Zayatz 1991)."""
    n = int(sizes.sum())
    uniques = int((sizes == 1).sum())
    if fraction >= 1.0 or uniques == 0:
        return uniques / n
    freq = np.bincount(sizes)
    j = np.nonzero(freq)[0]
    p1_given_j = j * fraction * (1 - fraction) ** (j - 1)  # P(seen once | population class of size j)
    weights = freq[j] * p1_given_j
    prob_unique = weights[j == 1].sum() / weights.sum()
    return float(uniques * prob_unique / n)


def risk_from_sizes(sizes: IntArray, threshold: float = 0.2, sampling_fraction: float = 1.0) -> RiskReport:
    if not 0 < threshold <= 1:
        raise ConfigError(f"risk threshold must be in (0, 1], got {threshold}")
    if not 0 < sampling_fraction <= 1:
        raise ConfigError(f"sampling fraction must be in (0, 1], got {sampling_fraction}")
    n = int(sizes.sum())
    c = int(sizes.shape[0])
    smallest = int(sizes.min())
    risk = 1.0 / sizes
    histogram = []
    for lo, hi in HISTOGRAM_BINS:
        mask = (sizes >= lo) & (sizes <= (hi if hi is not None else n))
        label = f"{lo}" if lo == hi else (f"{lo}-{hi}" if hi is not None else f"{lo}+")
        histogram.append((label, int(mask.sum()), int(sizes[mask].sum())))
    bands = ((0.5, 1.0), (0.2, 0.5), (0.1, 0.2), (0.05, 0.1), (0.0, 0.05))
    distribution = []
    for low, high in bands:
        band = (risk > low) & (risk <= high)
        distribution.append((f"({low:g}, {high:g}]", float(sizes[band].sum()) / n))
    return RiskReport(
        records=n,
        classes=c,
        min_class_size=smallest,
        max_class_size=int(sizes.max()),
        average_class_size=n / c,
        prosecutor_max=1.0 / smallest,
        prosecutor_average=c / n,
        records_at_highest_risk=float(sizes[sizes == smallest].sum()) / n,
        journalist_max=1.0 / smallest,
        journalist_average=c / n,
        marketer=c / n,
        sample_uniques=float((sizes == 1).sum()) / n,
        records_at_risk=float(sizes[risk > threshold].sum()) / n,
        threshold=threshold,
        population_uniques=zayatz_population_uniques(sizes, sampling_fraction),
        sampling_fraction=sampling_fraction,
        size_histogram=tuple(histogram),
        risk_distribution=tuple(distribution),
    )


def assess(
    frame: pl.DataFrame | pl.LazyFrame,
    quasi_identifiers: Sequence[str],
    threshold: float = 0.2,
    sampling_fraction: float = 1.0,
    exclude_suppressed: bool = False,
) -> RiskReport:
    """Risk of ``frame``; ``exclude_suppressed`` leaves out rows whose quasi-identifiers are all ``*``."""
    lazy = frame.lazy()
    if exclude_suppressed:
        lazy = lazy.filter(~pl.all_horizontal([pl.col(q).cast(pl.String) == "*" for q in quasi_identifiers]))
    return risk_from_sizes(class_sizes(lazy, quasi_identifiers), threshold, sampling_fraction)
