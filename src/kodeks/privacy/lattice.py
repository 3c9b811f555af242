"""The generalization lattice: one node per combination of hierarchy levels."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kodeks.privacy.errors import ConfigError

MAX_NODES = 5_000_000
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Lattice:
    heights: tuple[int, ...]
    nodes: npt.NDArray[np.int64]  # (size, attributes) levels of every node
    strides: tuple[int, ...]

    @classmethod
    def build(cls, heights: Sequence[int]) -> Lattice:
        size = 1
        for h in heights:
            size *= h
        if size > MAX_NODES:
            raise ConfigError(
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
        mask: BoolArray = np.all(self.nodes >= self.nodes[i], axis=1)
        return mask

    def predecessors(self, i: int) -> BoolArray:
        """Mask of the node and every more specific node."""
        mask: BoolArray = np.all(self.nodes <= self.nodes[i], axis=1)
        return mask

    def node_heights(self) -> npt.NDArray[np.int64]:
        result: npt.NDArray[np.int64] = self.nodes.sum(axis=1)
        return result
