"""Optimal full-domain generalization: Flash-style pruned search and the exhaustive baseline.

The optimal search returns a node whose information loss equals the minimum over the whole lattice:

1. **Privacy monotonicity** (when every model is monotone under the configured suppression limit): a node that
   satisfies the models makes every more general node satisfy them; a failing node makes every more specific
   node fail. As in Flash, the search builds a path upwards from an unknown node and binary-searches it, so
   one failing check tags a whole down-set of the lattice as failing.
2. **Lower bounds**: every metric has a lower bound that is monotone upwards and never exceeds the real value
   (:mod:`kodeks.privacy.metrics`). Nodes whose bound reaches the best value found so far are skipped together
   with everything above them. Without suppression the bound equals the value, so nodes above a satisfying
   node are never evaluated.

Nodes are visited by increasing lower bound, then height. ``exhaustive_search`` evaluates every node.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kodeks.privacy.classes import Classes, compute_classes, roll_up
from kodeks.privacy.encoding import EncodedTable
from kodeks.privacy.errors import UnsatisfiableError
from kodeks.privacy.lattice import Lattice
from kodeks.privacy.metrics import Metric
from kodeks.privacy.models import AverageRisk, ClassModel, PrivacyModel, required_k

BoolArray = npt.NDArray[np.bool_]
UNKNOWN, SATISFIED, FAILING = 0, 1, -1
CACHE_SIZE = 64


@dataclass
class Evaluation:
    levels: tuple[int, ...]
    classes: Classes
    suppressed: BoolArray  # per class
    suppressed_rows: int
    satisfied: bool
    value: float
    lower_bound: float


@dataclass
class SearchResult:
    levels: tuple[int, ...]
    value: float
    evaluation: Evaluation
    lattice_size: int
    evaluated: int
    tagged: int = 0
    pruned: int = 0
    seconds: float = 0.0
    optimal_nodes: list[tuple[int, ...]] = field(default_factory=list)


def allowed_suppression(n_rows: int, limit: float) -> int:
    return math.floor(limit * n_rows + 1e-9)


def evaluate(
    table: EncodedTable,
    levels: Sequence[int],
    models: Sequence[PrivacyModel],
    limit: float,
    metric: Metric,
    base: Classes | None = None,
) -> Evaluation:
    """Check and score one node; ``base`` (classes of a more specific node) lets the classes be rolled up."""
    classes = roll_up(base, levels) if base is not None else compute_classes(table, levels)
    ok = np.ones(classes.n_classes, dtype=bool)
    for model in models:
        if not isinstance(model, AverageRisk):
            ok &= model.class_ok(classes)
    suppressed = ~ok
    n_supp = int(classes.sizes[suppressed].sum())
    satisfied = n_supp <= allowed_suppression(table.n_rows, limit)
    if satisfied:
        kept = classes.sizes[ok]
        satisfied = all(m.table_ok(kept) for m in models if isinstance(m, AverageRisk))
    value = metric.value(classes, suppressed) if satisfied else math.inf
    bound = metric.lower_bound(classes)
    return Evaluation(tuple(int(x) for x in levels), classes, suppressed, n_supp, satisfied, value, bound)


def _monotone(models: Sequence[PrivacyModel], limit: float) -> bool:
    if limit > 0:
        return all(m.monotone_with_suppression for m in models)
    return all(m.monotone for m in models)


def _check_feasible(table: EncodedTable, models: Sequence[PrivacyModel], limit: float) -> None:
    k = required_k(models)
    if k > table.n_rows:
        raise UnsatisfiableError(
            f"the models need classes of at least {k} records but the data has only {table.n_rows} rows"
        )


def _better(a: Evaluation, b: Evaluation | None) -> bool:
    if b is None:
        return True
    return (a.value, sum(a.levels), a.levels) < (b.value, sum(b.levels), b.levels)


def exhaustive_search(
    table: EncodedTable, models: Sequence[PrivacyModel], limit: float, metric: Metric
) -> SearchResult:
    """Evaluate every node of the lattice (the baseline the optimal search is tested against)."""
    _check_feasible(table, models, limit)
    start = time.perf_counter()
    lattice = Lattice.build(table.heights)
    best: Evaluation | None = None
    values: list[tuple[float, tuple[int, ...]]] = []
    for row in lattice.nodes:
        ev = evaluate(table, tuple(int(x) for x in row), models, limit, metric)
        if ev.satisfied:
            values.append((ev.value, ev.levels))
            if _better(ev, best):
                best = ev
    if best is None:
        raise UnsatisfiableError(
            "no transformation satisfies the privacy models within the suppression limit"
        )
    optimum = best.value
    tol = 1e-9 * max(1.0, abs(optimum))
    optimal = sorted(levels for value, levels in values if value <= optimum + tol)
    return SearchResult(
        best.levels,
        best.value,
        best,
        lattice.size,
        lattice.size,
        seconds=time.perf_counter() - start,
        optimal_nodes=optimal,
    )


class _OptimalSearch:
    def __init__(
        self, table: EncodedTable, models: Sequence[PrivacyModel], limit: float, metric: Metric
    ) -> None:
        self.table, self.models, self.limit, self.metric = table, list(models), limit, metric
        self.lattice = Lattice.build(table.heights)
        n = self.lattice.size
        self.status = np.zeros(n, dtype=np.int8)
        self.evaluated = np.zeros(n, dtype=bool)
        self.static_lb = metric.lower_bound_nodes(self.lattice.nodes)
        self.lb = self.static_lb.copy()
        self.monotone = _monotone(models, limit)
        self.best: Evaluation | None = None
        self.count = 0
        self.cache: dict[int, Classes] = {}  # classes of recently evaluated nodes, for roll-ups

    @property
    def best_value(self) -> float:
        return self.best.value if self.best is not None else math.inf

    def pruned(self, i: int) -> bool:
        best = self.best_value
        return bool(self.lb[i] >= best - 1e-12 * max(1.0, abs(best)))

    def base_for(self, i: int) -> Classes | None:
        """The cached classes of a more specific node with the fewest classes, if any."""
        if not self.cache:
            return None
        keys = np.fromiter(self.cache, dtype=np.int64, count=len(self.cache))
        below = np.all(self.lattice.nodes[keys] <= self.lattice.nodes[i], axis=1)
        if not below.any():
            return None
        return min((self.cache[int(k)] for k in keys[below]), key=lambda c: c.n_classes)

    def visit(self, i: int) -> Evaluation:
        levels = tuple(int(x) for x in self.lattice.nodes[i])
        ev = evaluate(self.table, levels, self.models, self.limit, self.metric, self.base_for(i))
        self.count += 1
        self.evaluated[i] = True
        if len(self.cache) >= CACHE_SIZE:
            self.cache.pop(next(iter(self.cache)))
        self.cache[i] = ev.classes
        succ = self.lattice.successors(i)
        if not self.metric.separable:  # separable bounds are exact per node already (static_lb)
            np.maximum(self.lb, ev.lower_bound, out=self.lb, where=succ)
        if ev.satisfied:
            self.status[i] = SATISFIED
            if self.monotone:
                self.status[succ & (self.status == UNKNOWN)] = SATISFIED
            if _better(ev, self.best):
                self.best = ev
        else:
            self.status[i] = FAILING
            if self.monotone:
                self.status[self.lattice.predecessors(i)] = FAILING
        return ev

    def path_up(self, i: int) -> list[int]:
        """Greedy chain from node ``i`` upwards through unknown, unpruned nodes (cheapest bound first)."""
        nodes, heights, strides = self.lattice.nodes, self.lattice.heights, self.lattice.strides
        path = [i]
        current = i
        while True:
            options = []
            for a, h in enumerate(heights):
                if nodes[current, a] + 1 < h:
                    j = current + strides[a]
                    if self.status[j] != FAILING and not self.pruned(j):
                        options.append((self.static_lb[j], a, j))
            if not options:
                return path
            current = min(options)[2]
            path.append(current)

    def probe(self, i: int) -> None:
        """Binary-search the lowest satisfying node on a path up from ``i`` (Flash's idea).

        Along a chain the status is monotone (failing ... failing, satisfying ... satisfying), so the last
        failing node found tags ``i`` and everything below it without evaluating them.
        """
        path = self.path_up(i)
        lo, hi = 0, len(path)
        while lo < hi:
            mid = (lo + hi) // 2
            j = path[mid]
            if self.status[j] == UNKNOWN:
                if self.pruned(j):
                    return
                self.visit(j)
            if self.status[j] == SATISFIED:
                hi = mid
            else:
                lo = mid + 1

    def run(self) -> SearchResult:
        start = time.perf_counter()
        order = np.lexsort((self.lattice.node_heights(), self.static_lb))
        for i in order.tolist():
            if self.evaluated[i] or self.status[i] == FAILING or self.pruned(i):
                continue
            if self.monotone and self.status[i] == UNKNOWN:
                self.probe(i)
                if self.evaluated[i] or self.status[i] == FAILING or self.pruned(i):
                    continue
            self.visit(i)
        if self.best is None:
            raise UnsatisfiableError(
                "no transformation satisfies the privacy models within the suppression limit"
            )
        evaluated = int(self.evaluated.sum())
        tagged = int(((self.status != UNKNOWN) & ~self.evaluated).sum())
        return SearchResult(
            self.best.levels,
            self.best.value,
            self.best,
            self.lattice.size,
            evaluated,
            tagged,
            self.lattice.size - evaluated - tagged,
            time.perf_counter() - start,
        )


def optimal_search(
    table: EncodedTable, models: Sequence[PrivacyModel], limit: float, metric: Metric
) -> SearchResult:
    """Find a transformation with minimal information loss among all that satisfy ``models``."""
    _check_feasible(table, models, limit)
    return _OptimalSearch(table, models, limit, metric).run()


def class_models(models: Sequence[PrivacyModel]) -> list[ClassModel]:
    return [m for m in models if not isinstance(m, AverageRisk)]
