"""Fidelity and privacy of a synthetic table against the real one.

- 1-way and 2-way marginal total variation distance (average over columns / column pairs);
- correlation difference: mean absolute difference of the Cramér's V matrices;
- TSTR: a categorical naive Bayes classifier trained on synthetic (and, for reference, on real) data, both
  tested on real data, for one target column;
- distance to closest record (Hamming distance over columns, from a sample of synthetic rows to all real rows)
  and the share of synthetic rows that exactly copy a real row.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from kodeks.privacy.encoding import check_columns

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FidelityReport:
    tvd_1way: float
    tvd_2way: float
    correlation_difference: float
    target: str | None
    tstr_accuracy: float | None
    trtr_accuracy: float | None
    dcr_median: float
    dcr_min: float
    exact_match_share: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _encode(frames: Sequence[pl.DataFrame], cols: Sequence[str]) -> tuple[list[IntArray], list[int]]:
    """Integer-code several frames over a shared per-column domain."""
    per_frame: list[list[list[int]]] = [[] for _ in frames]
    sizes = []
    for c in cols:
        texts = [f[c].cast(pl.String).fill_null("").to_list() for f in frames]
        index = {v: i for i, v in enumerate(sorted(set().union(*texts)))}
        for out, text in zip(per_frame, texts, strict=True):
            out.append([index[v] for v in text])
        sizes.append(len(index))
    return [
        np.array(cols_, dtype=np.int64).T.reshape(len(f), len(cols))
        for cols_, f in zip(per_frame, frames, strict=True)
    ], sizes


def _dist(x: IntArray, size: int) -> npt.NDArray[np.float64]:
    counts: npt.NDArray[np.float64] = np.bincount(x, minlength=size) / max(len(x), 1)
    return counts


def _cramers_v(a: IntArray, b: IntArray, na: int, nb: int) -> float:
    table = np.bincount(a * nb + b, minlength=na * nb).reshape(na, nb).astype(float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return 0.0
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = ((table - expected) ** 2 / expected).sum()
    return float(np.sqrt(chi2 / (n * (min(table.shape) - 1))))


def _naive_bayes(train: IntArray, test: IntArray, target: int, sizes: list[int]) -> float:
    k = sizes[target]
    prior = np.log(np.bincount(train[:, target], minlength=k) + 1.0)
    score = np.tile(prior - np.log(prior.size + len(train)), (len(test), 1))
    for a, size in enumerate(sizes):
        if a == target:
            continue
        joint = np.bincount(train[:, target] * size + train[:, a], minlength=k * size).reshape(k, size) + 1.0
        logp = np.log(joint / joint.sum(axis=1, keepdims=True))
        score += logp[:, test[:, a]].T
    return float((score.argmax(axis=1) == test[:, target]).mean())


def fidelity(
    real: pl.DataFrame,
    synthetic: pl.DataFrame,
    columns: Sequence[str] | None = None,
    target: str | None = None,
    holdout: pl.DataFrame | None = None,
    sample: int = 2000,
    seed: int = 0,
) -> FidelityReport:
    cols = list(columns) if columns else list(real.columns)
    check_columns(real.columns, cols)
    check_columns(synthetic.columns, cols)
    frames = [real, synthetic] + ([holdout] if holdout is not None else [])
    check_columns(frames[-1].columns, cols)
    encoded, sizes = _encode(frames, cols)
    r, s = encoded[0], encoded[1]
    tvd1 = [0.5 * np.abs(_dist(r[:, a], n) - _dist(s[:, a], n)).sum() for a, n in enumerate(sizes)]
    tvd2, corr = [], []
    for a, b in itertools.combinations(range(len(cols)), 2):
        size = sizes[a] * sizes[b]
        tvd2.append(
            0.5
            * np.abs(
                _dist(r[:, a] * sizes[b] + r[:, b], size) - _dist(s[:, a] * sizes[b] + s[:, b], size)
            ).sum()
        )
        corr.append(
            abs(
                _cramers_v(r[:, a], r[:, b], sizes[a], sizes[b])
                - _cramers_v(s[:, a], s[:, b], sizes[a], sizes[b])
            )
        )
    tstr = trtr = None
    if target is not None:
        t = cols.index(target)
        test = encoded[2] if holdout is not None else r
        tstr = _naive_bayes(s, test, t, sizes)
        trtr = _naive_bayes(r, test, t, sizes)
    rng = np.random.default_rng(seed)
    picked = s[rng.choice(len(s), min(sample, len(s)), replace=False)]
    dcr = np.empty(len(picked))
    for i in range(0, len(picked), 64):
        block = picked[i : i + 64]
        dcr[i : i + 64] = (block[:, None, :] != r[None, :, :]).sum(axis=2).min(axis=1)
    return FidelityReport(
        tvd_1way=float(np.mean(tvd1)),
        tvd_2way=float(np.mean(tvd2)) if tvd2 else 0.0,
        correlation_difference=float(np.mean(corr)) if corr else 0.0,
        target=target,
        tstr_accuracy=tstr,
        trtr_accuracy=trtr,
        dcr_median=float(np.median(dcr)),
        dcr_min=float(dcr.min()),
        exact_match_share=float((dcr == 0).mean()),
    )
