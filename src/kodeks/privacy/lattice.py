"""The generalization lattice: one node per combination of hierarchy levels.

Up- and down-sets are computed from per-attribute masks made once (``nodes[:, a] >= level``), so tagging the
successors or predecessors of a node costs one AND per attribute over a boolean array, not a comparison of the
whole node matrix.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kodeks.privacy.errors import SearchSpaceTooLarge

MAX_NODES = 5_000_000
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Lattice:
    heights: tuple[int, ...]
    nodes: npt.NDArray[np.int64]  # (size, attributes) levels of every node
    strides: tuple[int, ...]
    _at_least: tuple[tuple[BoolArray, ...], ...] = field(default=(), repr=False, compare=False)
    _at_most: tuple[tuple[BoolArray, ...], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = [self.nodes[:, a] for a in range(len(self.heights))]
        ge = tuple(tuple(col >= lv for lv in range(h)) for col, h in zip(columns, self.heights, strict=True))
        le = tuple(tuple(col <= lv for lv in range(h)) for col, h in zip(columns, self.heights, strict=True))
        object.__setattr__(self, "_at_least", ge)
        object.__setattr__(self, "_at_most", le)

    @classmethod
    def build(cls, heights: Sequence[int]) -> Lattice:
        size = 1
        for h in heights:
            size *= h
        if size > MAX_NODES:
            raise SearchSpaceTooLarge(
                f"the generalization lattice has {size:,} nodes (more than {MAX_NODES:,}); use fewer "
                "quasi-identifiers, shorter hierarchies, or local recoding (Mondrian)"
            )
        nodes = np.array(list(itertools.product(*[range(h) for h in heights])), dtype=np.int64)
        if nodes.ndim == 1:
            nodes = nodes.reshape(1, 0)
        strides = []
        step = 1
        for h in reversed(heights):
            strides.append(step)
            step *= h
        return cls(tuple(heights), nodes, tuple(reversed(strides)))

    @property
    def size(self) -> int:
        return int(self.nodes.shape[0])

    def index(self, levels: Sequence[int]) -> int:
        return sum(lv * s for lv, s in zip(levels, self.strides, strict=True))

    def successors(self, i: int) -> BoolArray:
        """Mask of the node and every more general node."""
        return self._combine(self._at_least, i)

    def predecessors(self, i: int) -> BoolArray:
        """Mask of the node and every more specific node."""
        return self._combine(self._at_most, i)

    def _combine(self, masks: tuple[tuple[BoolArray, ...], ...], i: int) -> BoolArray:
        levels = self.nodes[i].tolist()
        if not levels:
            return np.ones(self.size, dtype=bool)
        mask: BoolArray = masks[0][levels[0]].copy()
        for a in range(1, len(levels)):
            mask &= masks[a][levels[a]]
        return mask

    def node_heights(self) -> npt.NDArray[np.int64]:
        result: npt.NDArray[np.int64] = self.nodes.sum(axis=1)
        return result
