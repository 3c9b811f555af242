"""Information-loss metrics for a transformation with suppression, and monotone lower bounds for pruning.

Every metric has ``value(classes, suppressed)`` (lower is better) and a lower bound that never exceeds the
value of the node or of any more general node: the same metric computed without suppression. For ``loss`` and
``entropy`` the bound is a sum over attributes, so it is known for every node before any node is evaluated.

- ``loss``: Iyengar's loss metric / ARX GenILoss on hierarchies: a value covering ``g`` of ``D`` leaves loses
  ``(g - 1) / (D - 1)``; a suppressed value loses 1. Averaged over cells, in ``[0, 1]``.
- ``entropy``: non-uniform entropy (Gionis & Tassa): ``sum -log2(freq(original) / freq(generalized))`` in
  bits.
- ``discernibility``: ``sum |E|^2`` over released classes plus ``n`` for each suppressed record.
- ``aecs``: average equivalence class size ``n / classes`` (suppressed records count as one class).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from kodeks.privacy.classes import Classes
from kodeks.privacy.encoding import EncodedTable
from kodeks.privacy.errors import ConfigError

MetricName = Literal["loss", "entropy", "discernibility", "aecs"]
METRICS: tuple[MetricName, ...] = ("loss", "entropy", "discernibility", "aecs")
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Metric:
    name: MetricName
    per_level: tuple[tuple[FloatArray, ...], ...]  # separable: [attribute][level][generalized code] -> cost
    level_total: tuple[FloatArray, ...]  # separable: total cost per attribute per level (no suppression)
    suppressed_cost: float  # per suppressed record, summed over attributes (separable metrics)
    base: float  # constant term
    scale: float  # divide the sum by this
    n_rows: int

    @property
    def separable(self) -> bool:
        return self.name in ("loss", "entropy")

    def lower_bound_nodes(self, nodes: npt.NDArray[np.int64]) -> FloatArray:
        """Vectorised lower bound for all nodes (separable metrics); zeros otherwise."""
        if not self.separable:
            return np.zeros(nodes.shape[0])
        total = np.full(nodes.shape[0], self.base)
        for a, per in enumerate(self.level_total):
            total += per[nodes[:, a]]
        result: FloatArray = total / self.scale
        return result

    def lower_bound(self, classes: Classes) -> float:
        if self.separable:
            return float(self.lower_bound_nodes(np.array([classes.levels], dtype=np.int64))[0])
        return self.value(classes, np.zeros(classes.n_classes, dtype=bool))

    def value(self, classes: Classes, suppressed: BoolArray) -> float:
        sizes = classes.sizes
        kept = ~suppressed
        n_supp = int(sizes[suppressed].sum())
        if self.name == "discernibility":
            return float((sizes[kept].astype(np.float64) ** 2).sum() + n_supp * float(self.n_rows))
        if self.name == "aecs":
            groups = int(kept.sum()) + (1 if n_supp else 0)
            return float(self.n_rows) / groups if groups else float(self.n_rows)
        total = self.base + n_supp * self.suppressed_cost
        for a, lv in enumerate(classes.levels):
            cost = self.per_level[a][lv]
            total += float((cost[classes.codes[kept, a]] * sizes[kept]).sum())
        return total / self.scale


def build_metric(name: str, table: EncodedTable) -> Metric:
    if name not in METRICS:
        raise ConfigError(f"unknown loss metric {name!r}; choose one of {', '.join(METRICS)}")
    n = table.n_rows
    d = len(table.qis)
    per_level: list[tuple[FloatArray, ...]] = []
    level_total: list[FloatArray] = []
    base = 0.0
    suppressed_cost = 0.0
    for a, enc in enumerate(table.encoded):
        leaves = table.leaf_codes[:, a]
        totals: list[float] = []
        costs: list[FloatArray] = []
        if name == "loss":
            domain = enc.cardinality(0)
            for level in range(len(enc.codes)):
                cost = (enc.leaf_counts[level] - 1) / max(domain - 1, 1)
                costs.append(cost.astype(np.float64))
                totals.append(float((cost[enc.codes[level][leaves]] * table.counts).sum()))
            suppressed_cost += 1.0
        elif name == "entropy":
            leaf_freq = np.bincount(leaves, weights=table.counts, minlength=enc.cardinality(0))
            base += float(-(np.log2(leaf_freq[leaves]) * table.counts).sum())
            for level in range(len(enc.codes)):
                freq = np.bincount(
                    enc.codes[level][leaves], weights=table.counts, minlength=enc.cardinality(level)
                )
                cost = np.log2(np.maximum(freq, 1.0))
                costs.append(cost)
                totals.append(float((cost[enc.codes[level][leaves]] * table.counts).sum()))
            suppressed_cost += float(np.log2(n))
        per_level.append(tuple(costs))
        level_total.append(np.array(totals, dtype=np.float64))
    scale = float(n * d) if name == "loss" and d else 1.0
    return Metric(name, tuple(per_level), tuple(level_total), suppressed_cost, base, scale, n)  # type: ignore[arg-type]
