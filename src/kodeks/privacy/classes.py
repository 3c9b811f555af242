"""Equivalence classes of one full-domain transformation (a lattice node) over an encoded table.

:func:`compute_classes` groups all distinct rows of the table. :func:`roll_up` gets the same classes from
those of a more specific node (the roll-up of ARX's Flash): rows in one class of the specific node share their
generalized codes at every more general node, so it is enough to group the few classes of the specific node,
weighted by their sizes, and map the rows through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kodeks.privacy.encoding import EncodedTable

IntArray = npt.NDArray[np.int64]
_DIRECT_LIMIT = 1 << 22


@dataclass
class Classes:
    """Classes of a node: ``row_class[i]`` is the class of distinct row ``i``; ``codes[c]`` its generalized
    codes."""

    table: EncodedTable
    levels: tuple[int, ...]
    row_class: IntArray
    sizes: IntArray
    codes: npt.NDArray[np.int64]  # (classes, qis) generalized code per attribute
    _hist: dict[int, npt.NDArray[np.float64]] = field(default_factory=dict, repr=False)
    rows: IntArray | None = None  # when set, ``row_class[i]`` is the class of distinct row ``rows[i]``

    @property
    def n_classes(self) -> int:
        return int(self.sizes.shape[0])

    def histogram(self, sensitive_index: int) -> npt.NDArray[np.float64]:
        """Counts of each sensitive value per class, shape (classes, values)."""
        if sensitive_index not in self._hist:
            codes = self.table.sensitive_codes[sensitive_index]
            weights = self.table.counts
            if self.rows is not None:
                codes, weights = codes[self.rows], weights[self.rows]
            width = len(self.table.sensitive_values[sensitive_index])
            flat = np.bincount(
                self.row_class * width + codes, weights=weights, minlength=self.n_classes * width
            )
            self._hist[sensitive_index] = flat.reshape(self.n_classes, width).astype(np.float64)
        return self._hist[sensitive_index]


def generalized_codes(table: EncodedTable, levels: Sequence[int]) -> npt.NDArray[np.int64]:
    """Generalized code of every distinct row, shape (rows, attributes)."""
    if not table.qis:
        return np.zeros((table.counts.shape[0], 0), dtype=np.int64)
    return np.stack([table.row_codes[a][lv] for a, lv in enumerate(levels)], axis=1)


def group_columns(columns: Sequence[IntArray], cards: Sequence[int], n: int) -> tuple[IntArray, int]:
    """Dense group ids for rows described by integer ``columns`` (mixed-radix key, densified)."""
    if not columns:
        return np.zeros(n, dtype=np.int64), 1
    key = columns[0].copy()
    space = cards[0]
    for col, card in zip(columns[1:], cards[1:], strict=True):
        if space * card >= (1 << 62):
            _, key = np.unique(key, return_inverse=True)
            space = int(key.max()) + 1
        key *= card
        key += col
        space *= card
    if space <= _DIRECT_LIMIT and space <= 8 * n + 1024:
        present = np.zeros(space, dtype=np.int64)
        present[key] = 1
        dense = np.cumsum(present) - 1
        return dense[key], int(dense[-1] + 1)
    uniq, inverse = np.unique(key, return_inverse=True)
    return inverse.astype(np.int64, copy=False), int(uniq.shape[0])


def compute_classes(table: EncodedTable, levels: Sequence[int]) -> Classes:
    n = table.counts.shape[0]
    columns = [table.row_codes[a][lv] for a, lv in enumerate(levels)]
    cards = [enc.cardinality(lv) for enc, lv in zip(table.encoded, levels, strict=True)]
    row_class, n_classes = group_columns(columns, cards, n)
    sizes = np.bincount(row_class, weights=table.counts, minlength=n_classes).astype(np.int64)
    first = np.empty(n_classes, dtype=np.int64)
    first[row_class[::-1]] = np.arange(n - 1, -1, -1)
    codes = (
        np.stack([col[first] for col in columns], axis=1)
        if columns
        else np.zeros((n_classes, 0), dtype=np.int64)
    )
    return Classes(table, tuple(levels), row_class, sizes, codes)


def roll_up(base: Classes, levels: Sequence[int]) -> Classes:
    """Classes of ``levels`` from the classes of a more specific node ``base`` (``base.levels <= levels``)."""
    table = base.table
    columns = [
        table.encoded[a].parent_codes(lb, lv)[base.codes[:, a]] if lv != lb else base.codes[:, a]
        for a, (lb, lv) in enumerate(zip(base.levels, levels, strict=True))
    ]
    cards = [enc.cardinality(lv) for enc, lv in zip(table.encoded, levels, strict=True)]
    group, n_classes = group_columns(columns, cards, base.n_classes)
    sizes = np.bincount(group, weights=base.sizes, minlength=n_classes).astype(np.int64)
    first = np.empty(n_classes, dtype=np.int64)
    first[group[::-1]] = np.arange(base.n_classes - 1, -1, -1)
    codes = (
        np.stack([col[first] for col in columns], axis=1)
        if columns
        else np.zeros((n_classes, 0), dtype=np.int64)
    )
    return Classes(table, tuple(levels), group[base.row_class], sizes, codes)
