"""Mondrian local recoding: strict multidimensional partitioning (LeFevre, DeWitt & Ramakrishnan, 2006).

The distinct rows of the encoded table are split recursively. A partition is cut along the quasi-identifier
whose values in it are spread widest (normalized: the share of the attribute's domain it covers); the cut must
leave every part satisfying all class models (k-anonymity, max-risk, l-diversity, t-closeness), otherwise the
next attribute is tried, and a partition no attribute can cut becomes an equivalence class. Cuts are *strict*:
equal values never end up on both sides.

- **numeric** quasi-identifiers (hierarchies built with ``from_intervals``, or declared numeric) are cut at
  the weighted median; a class shows the range of its values, ``35-39``, or the value itself;
- **hierarchical** quasi-identifiers (classifications, ARX files) are cut into the children of the lowest
  common ancestor of the partition's values; a class shows that ancestor, e.g. ``27.34`` or ``Region
  Hovedstaden``.

No record is suppressed. The loss (GenILoss) is computed on the same scale as the global ``loss`` metric: a
value covering ``g`` of the ``D`` leaves of its domain loses ``(g - 1) / (D - 1)``, averaged over cells.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kodeks.privacy.classes import Classes
from kodeks.privacy.encoding import EncodedTable
from kodeks.privacy.errors import ConfigError, UnsatisfiableError
from kodeks.privacy.models import AverageRisk, ClassModel, PrivacyModel, required_k

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class MondrianResult:
    row_labels: list[tuple[str, ...]]  # per distinct row of the table: the released quasi-identifier values
    row_class: IntArray  # per distinct row: its equivalence class
    sizes: IntArray  # records per class
    loss: float
    seconds: float

    @property
    def n_classes(self) -> int:
        return int(self.sizes.shape[0])


@dataclass(frozen=True)
class _Numeric:
    values: FloatArray  # per leaf code: its number
    rank: IntArray  # per leaf code: rank among the distinct numbers
    distinct: int
    text: tuple[str, ...]  # per leaf code: the original text


class _Mondrian:
    def __init__(self, table: EncodedTable, models: Sequence[ClassModel], numeric: Collection[str]) -> None:
        self.table, self.models = table, list(models)
        self.min_size = required_k(models)
        self.numeric: dict[int, _Numeric] = {}
        for a, q in enumerate(table.qis):
            if q in numeric:
                self.numeric[a] = _numeric(table, a)
        self.leaf = table.leaf_codes
        self.counts = table.counts

    def ok(self, parts: Sequence[IntArray]) -> bool:
        """Does every part (distinct-row indices) satisfy every class model?"""
        sizes = np.array([int(self.counts[p].sum()) for p in parts], dtype=np.int64)
        if sizes.min() < self.min_size:
            return False
        rows = np.concatenate(parts)
        row_class = np.repeat(np.arange(len(parts), dtype=np.int64), [p.shape[0] for p in parts])
        classes = Classes(self.table, (), row_class, sizes, np.zeros((len(parts), 0), np.int64), rows=rows)
        return all(bool(model.class_ok(classes).all()) for model in self.models)

    def common_level(self, rows: IntArray, a: int) -> int:
        """Lowest level at which all ``rows`` share one ancestor for hierarchical attribute ``a``."""
        enc = self.table.encoded[a]
        leaves = self.leaf[rows, a]
        for level, codes in enumerate(enc.codes):
            at = codes[leaves]
            if (at == at[0]).all():
                return level
        return len(enc.codes) - 1

    def width(self, rows: IntArray, a: int) -> float:
        if a in self.numeric:
            num = self.numeric[a]
            ranks = num.rank[self.leaf[rows, a]]
            return float(ranks.max() - ranks.min()) / max(num.distinct - 1, 1)
        enc = self.table.encoded[a]
        level = self.common_level(rows, a)
        covered = enc.leaf_counts[level][enc.codes[level][self.leaf[rows[0], a]]]
        return float(covered - 1) / max(enc.cardinality(0) - 1, 1)

    def cut(self, rows: IntArray, a: int) -> list[IntArray] | None:
        leaves = self.leaf[rows, a]
        if a in self.numeric:
            values = self.numeric[a].values[leaves]
            order = np.argsort(values, kind="stable")
            cum = np.cumsum(self.counts[rows][order])
            median = values[order][int(np.searchsorted(cum, cum[-1] / 2))]
            left = values <= median
            if left.all():
                left = values < median
            if not left.any():
                return None
            return [rows[left], rows[~left]]
        enc = self.table.encoded[a]
        level = self.common_level(rows, a)
        if level == 0:
            return None
        child = enc.codes[level - 1][leaves]
        keys, group = np.unique(child, return_inverse=True)
        if keys.shape[0] < 2:
            return None
        order = np.argsort(group, kind="stable")
        bounds = np.cumsum(np.bincount(group))[:-1]
        return np.split(rows[order], bounds)

    def run(self) -> list[IntArray]:
        everything = np.arange(self.table.counts.shape[0], dtype=np.int64)
        if not self.ok([everything]):
            raise UnsatisfiableError("even the whole table as one class does not satisfy the privacy models")
        done: list[IntArray] = []
        todo = [everything]
        while todo:
            rows = todo.pop()
            if int(self.counts[rows].sum()) < 2 * self.min_size:
                done.append(rows)
                continue
            widths = [(self.width(rows, a), a) for a in range(len(self.table.qis))]
            for _width, a in sorted((wa for wa in widths if wa[0] > 0), key=lambda wa: (-wa[0], wa[1])):
                parts = self.cut(rows, a)
                if parts is not None and self.ok(parts):
                    todo.extend(parts)
                    break
            else:
                done.append(rows)
        return done

    def label(self, rows: IntArray, a: int) -> tuple[str, float]:
        """The released value of attribute ``a`` for a class, and its GenILoss per record."""
        leaves = self.leaf[rows, a]
        if a in self.numeric:
            num = self.numeric[a]
            ranks = num.rank[leaves]
            lo, hi = leaves[int(np.argmin(ranks))], leaves[int(np.argmax(ranks))]
            loss = float(num.rank[hi] - num.rank[lo]) / max(num.distinct - 1, 1)
            text = num.text[lo] if num.rank[lo] == num.rank[hi] else f"{num.text[lo]}-{num.text[hi]}"
            return text, loss
        enc = self.table.encoded[a]
        level = self.common_level(rows, a)
        code = enc.codes[level][leaves[0]]
        loss = float(enc.leaf_counts[level][code] - 1) / max(enc.cardinality(0) - 1, 1)
        return enc.labels[level][code], loss


def _numeric(table: EncodedTable, a: int) -> _Numeric:
    text = table.hierarchies[a].leaves
    try:
        values = np.array([float(v) for v in text], dtype=np.float64)
    except ValueError:
        bad = next(v for v in text if not _is_number(v))
        raise ConfigError(
            f"quasi-identifier {table.qis[a]!r} is declared numeric but has the value {bad!r}"
        ) from None
    distinct, rank = np.unique(values, return_inverse=True)
    return _Numeric(values, rank.astype(np.int64), int(distinct.shape[0]), text)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def mondrian(
    table: EncodedTable, models: Sequence[PrivacyModel], numeric: Collection[str] = ()
) -> MondrianResult:
    """Partition ``table`` so that every class satisfies ``models``; ``numeric`` names the numeric QIs."""
    if any(isinstance(m, AverageRisk) for m in models):
        raise ConfigError("local recoding (Mondrian) does not support the average-risk model; use global")
    k = required_k(models)
    if k > table.n_rows:
        raise UnsatisfiableError(
            f"the models need classes of at least {k} records but the data has only {table.n_rows} rows"
        )
    start = time.perf_counter()
    class_models = [m for m in models if not isinstance(m, AverageRisk)]
    search = _Mondrian(table, class_models, numeric)
    parts = search.run()
    n_rows, n_qis = table.counts.shape[0], len(table.qis)
    row_labels: list[tuple[str, ...]] = [()] * n_rows
    row_class = np.empty(n_rows, dtype=np.int64)
    sizes = np.empty(len(parts), dtype=np.int64)
    lost = 0.0
    for c, rows in enumerate(parts):
        labelled = [search.label(rows, a) for a in range(n_qis)]
        labels = tuple(text for text, _ in labelled)
        size = int(table.counts[rows].sum())
        lost += size * sum(loss for _, loss in labelled)
        sizes[c] = size
        row_class[rows] = c
        for r in rows.tolist():
            row_labels[r] = labels
    loss = lost / (table.n_rows * n_qis) if n_qis else 0.0
    return MondrianResult(row_labels, row_class, sizes, loss, time.perf_counter() - start)
