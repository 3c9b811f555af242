"""Privacy models, checked per equivalence class (vectorised) or on the whole released table.

``monotone`` says whether a transformation that satisfies the model keeps satisfying it when generalized
further (with no suppression); ``monotone_with_suppression`` whether that still holds with a record
suppression limit. The search uses these flags for pruning exactly as ARX does: k-anonymity is monotone in
both senses; l-diversity and t-closeness only without suppression; the average-risk threshold is a property of
the whole table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from kodeks.privacy.classes import Classes
from kodeks.privacy.encoding import EncodedTable
from kodeks.privacy.errors import ConfigError
from kodeks.privacy.hierarchy import Hierarchy

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
EPS = 1e-9


@dataclass(frozen=True)
class KAnonymity:
    k: int
    monotone: bool = field(default=True, init=False)
    monotone_with_suppression: bool = field(default=True, init=False)

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ConfigError(f"k must be at least 1, got {self.k}")

    def class_ok(self, classes: Classes) -> BoolArray:
        return classes.sizes >= self.k

    def describe(self) -> dict[str, object]:
        return {"model": "k-anonymity", "k": self.k}


@dataclass(frozen=True)
class MaxRisk:
    """Highest prosecutor re-identification risk (1 / class size) at most ``threshold``."""

    threshold: float
    monotone: bool = field(default=True, init=False)
    monotone_with_suppression: bool = field(default=True, init=False)

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ConfigError(f"maximum risk threshold must be in (0, 1], got {self.threshold}")

    @property
    def k(self) -> int:
        return math.ceil(1 / self.threshold - EPS)

    def class_ok(self, classes: Classes) -> BoolArray:
        return classes.sizes >= self.k

    def describe(self) -> dict[str, object]:
        return {"model": "max-risk", "threshold": self.threshold}


@dataclass(frozen=True)
class DistinctLDiversity:
    column: str
    l: int  # noqa: E741
    monotone: bool = field(default=True, init=False)
    monotone_with_suppression: bool = field(default=False, init=False)

    def class_ok(self, classes: Classes) -> BoolArray:
        hist = classes.histogram(classes.table.sensitive_index(self.column))
        ok: BoolArray = (hist > 0).sum(axis=1) >= self.l
        return ok

    def describe(self) -> dict[str, object]:
        return {"model": "distinct-l-diversity", "column": self.column, "l": self.l}


@dataclass(frozen=True)
class EntropyLDiversity:
    column: str
    l: float  # noqa: E741
    monotone: bool = field(default=True, init=False)
    monotone_with_suppression: bool = field(default=False, init=False)

    def class_ok(self, classes: Classes) -> BoolArray:
        hist = classes.histogram(classes.table.sensitive_index(self.column))
        p = hist / hist.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = -np.where(p > 0, p * np.log(p), 0.0).sum(axis=1)
        ok: BoolArray = h >= math.log(self.l) - EPS
        return ok

    def describe(self) -> dict[str, object]:
        return {"model": "entropy-l-diversity", "column": self.column, "l": self.l}


@dataclass(frozen=True)
class RecursiveCLDiversity:
    """Most frequent value count ``r1 < c * (r_l + ... + r_m)`` in every class."""

    column: str
    c: float
    l: int  # noqa: E741
    monotone: bool = field(default=True, init=False)
    monotone_with_suppression: bool = field(default=False, init=False)

    def class_ok(self, classes: Classes) -> BoolArray:
        hist = classes.histogram(classes.table.sensitive_index(self.column))
        r = -np.sort(-hist, axis=1)
        tail = r[:, self.l - 1 :].sum(axis=1) if r.shape[1] >= self.l else np.zeros(r.shape[0])
        ok: BoolArray = r[:, 0] < self.c * tail
        return ok

    def describe(self) -> dict[str, object]:
        return {"model": "recursive-cl-diversity", "column": self.column, "c": self.c, "l": self.l}


Distance = Literal["equal", "hierarchical", "ordered"]


@dataclass(frozen=True)
class TCloseness:
    """Earth mover's distance of each class's sensitive distribution to the whole table's at most ``t``."""

    column: str
    t: float
    distance: Distance = "equal"
    hierarchy: Hierarchy | None = None
    monotone: bool = field(default=True, init=False)
    monotone_with_suppression: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        if self.distance == "hierarchical" and self.hierarchy is None:
            raise ConfigError(
                f"hierarchical t-closeness on {self.column!r} needs a hierarchy for that column"
            )
        if self.distance not in ("equal", "hierarchical", "ordered"):
            raise ConfigError(f"unknown t-closeness distance {self.distance!r}")

    def class_ok(self, classes: Classes) -> BoolArray:
        index = classes.table.sensitive_index(self.column)
        hist = classes.histogram(index)
        p = hist / hist.sum(axis=1, keepdims=True)
        q = global_distribution(classes.table, index)
        values = classes.table.sensitive_values[index]
        ok: BoolArray = emd(p, q, values, self.distance, self.hierarchy) <= self.t + EPS
        return ok

    def describe(self) -> dict[str, object]:
        return {"model": "t-closeness", "column": self.column, "t": self.t, "distance": self.distance}


def global_distribution(table: EncodedTable, index: int) -> FloatArray:
    counts = np.bincount(
        table.sensitive_codes[index], weights=table.counts, minlength=len(table.sensitive_values[index])
    )
    result: FloatArray = counts / counts.sum()
    return result


def ordered_values_order(values: tuple[str, ...]) -> list[int]:
    try:
        keys: list[float] = [float(v) for v in values]
        return sorted(range(len(values)), key=lambda i: keys[i])
    except ValueError:
        return sorted(range(len(values)), key=lambda i: values[i])


def emd(
    p: FloatArray, q: FloatArray, values: tuple[str, ...], distance: Distance, hierarchy: Hierarchy | None
) -> FloatArray:
    """Row-wise EMD of distributions ``p`` (classes x values) to ``q`` (Li et al., 2007)."""
    extra = p - q[None, :]
    if distance == "equal":
        result: FloatArray = 0.5 * np.abs(extra).sum(axis=1)
        return result
    if distance == "ordered":
        order = ordered_values_order(values)
        m = len(values)
        if m < 2:
            return np.zeros(p.shape[0])
        cum = np.cumsum(extra[:, order], axis=1)[:, :-1]
        ordered: FloatArray = np.abs(cum).sum(axis=1) / (m - 1)
        return ordered
    assert hierarchy is not None
    hierarchy.check_covers(values)
    enc = hierarchy.encoded()
    top = hierarchy.height - 1
    if top == 0:
        return np.zeros(p.shape[0], dtype=np.float64)
    leaf_of_value = np.array([hierarchy.leaf_index()[v] for v in values], dtype=np.int64)
    total = np.zeros(p.shape[0])
    child_extra = extra
    child_card = len(values)
    child_of_value = np.arange(len(values))
    for level in range(1, hierarchy.height):
        parent_codes_of_value = enc.codes[level][leaf_of_value]
        # parent of each child node at the previous level
        parent_of_child = np.zeros(child_card, dtype=np.int64)
        parent_of_child[child_of_value] = parent_codes_of_value
        n_parent = enc.cardinality(level)
        link = np.zeros((child_card, n_parent))
        link[np.arange(child_card), parent_of_child] = 1.0
        pos = np.maximum(child_extra, 0.0) @ link
        neg = np.maximum(-child_extra, 0.0) @ link
        total += (level / top) * np.minimum(pos, neg).sum(axis=1)
        child_extra = child_extra @ link
        child_card = n_parent
        child_of_value = parent_codes_of_value
    return total


@dataclass(frozen=True)
class AverageRisk:
    """Average prosecutor risk of the released records (classes / records) at most ``threshold``."""

    threshold: float
    monotone: bool = field(default=True, init=False)
    monotone_with_suppression: bool = field(default=False, init=False)

    def table_ok(self, retained_sizes: npt.NDArray[np.int64]) -> bool:
        n = int(retained_sizes.sum())
        return n == 0 or retained_sizes.shape[0] / n <= self.threshold + EPS

    def describe(self) -> dict[str, object]:
        return {"model": "average-risk", "threshold": self.threshold}


ClassModel = KAnonymity | MaxRisk | DistinctLDiversity | EntropyLDiversity | RecursiveCLDiversity | TCloseness
PrivacyModel = ClassModel | AverageRisk


def required_k(models: Sequence[PrivacyModel]) -> int:
    ks = [m.k for m in models if isinstance(m, KAnonymity | MaxRisk)]
    ls = [
        math.ceil(m.l)
        for m in models
        if isinstance(m, DistinctLDiversity | EntropyLDiversity | RecursiveCLDiversity)
    ]
    return max([1, *ks, *ls])
