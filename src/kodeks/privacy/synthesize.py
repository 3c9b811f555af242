"""Differentially private synthetic data from noisy marginals on NumPy: AIM-style (the default, see
:mod:`kodeks.privacy.synth_aim`) or MST-style (McKenna et al., 2021), described here.

The privacy budget ``epsilon`` (with ``delta``) is turned into zero-concentrated DP ``rho`` and split in
three:

1. all 1-way marginals are measured with Gaussian noise; values whose noisy count is below ``3 sigma`` are
   merged into one rare bucket (domain compression, as in MST);
2. a maximum spanning tree over the columns is chosen with the exponential mechanism, scoring each pair by how
   far its 2-way marginal is from the independence estimate;
3. the 2-way marginals on the tree edges are measured with Gaussian noise.

Records are drawn by ancestral sampling down the tree; each conditional table combines the noisy 2-way
marginal with the child's noisy 1-way marginal (inverse-variance weighting of the two estimates of the child's
counts). Everything after the measurements is post-processing, so the output is ``(epsilon, delta)``-DP.
Columns are treated as categorical; ``max_values`` bounds their domains (numbers are binned first, also
numbers read as text: see :func:`numbers_in_text`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from kodeks.privacy.encoding import check_columns
from kodeks.privacy.errors import ConfigError, InputError
from kodeks.privacy.synth_aim import Groups, ZCDPAccountant, aim_fit, compress

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
RARE = "(other)"
ONE_WAY_SHARE = 0.25  # share of rho for the 1-way marginals in AIM


@dataclass
class SynthResult:
    frame: pl.DataFrame
    epsilon: float
    delta: float
    rho: float
    edges: list[tuple[str, str]]
    method: str = "mst"
    cliques: list[tuple[str, ...]] = field(default_factory=list)
    rho_spent: float = 0.0


def rho_from_epsilon(epsilon: float, delta: float) -> float:
    """Smallest zCDP rho that implies (epsilon, delta)-DP (Bun & Steinke's conversion)."""
    if epsilon <= 0 or not 0 < delta < 1:
        raise ConfigError(f"epsilon must be positive and delta in (0, 1); got {epsilon}, {delta}")
    log_inv = math.log(1 / delta)
    return (math.sqrt(epsilon + log_inv) - math.sqrt(log_inv)) ** 2


def _codes(
    frame: pl.DataFrame, columns: Sequence[str], max_values: int
) -> tuple[list[IntArray], list[list[str]]]:
    codes, domains = [], []
    for c in columns:
        s = frame[c]
        if s.n_unique() > max_values:
            s = numbers_in_text(s)
        if s.dtype.is_numeric() and s.n_unique() > max_values:
            s = _intervals(s, max_values)
        text = s.cast(pl.String).fill_null("")
        values = sorted(text.unique().to_list())
        index = {v: i for i, v in enumerate(values)}
        codes.append(np.fromiter((index[v] for v in text.to_list()), dtype=np.int64, count=len(text)))
        domains.append(values)
    return codes, domains


def _intervals(column: pl.Series, bins: int) -> pl.Series:
    """Numbers as labels of ``bins`` equal-width, right-closed intervals: ``(-inf, 2.5]``, ``(2.5, 5.0]``."""
    values = column.cast(pl.Float64).to_numpy()
    present = values[~np.isnan(values)]
    edges = np.linspace(float(present.min()), float(present.max()), bins + 1)[1:-1]
    bounds = [-math.inf, *edges.tolist(), math.inf]
    labels = [f"({bounds[i]}, {bounds[i + 1]}]" for i in range(len(bounds) - 1)]
    index = np.searchsorted(edges, values, side="left")
    return pl.Series(
        column.name, [None if np.isnan(v) else labels[i] for v, i in zip(values, index, strict=True)]
    )


def numbers_in_text(column: pl.Series) -> pl.Series:
    """``column`` as numbers when it is text in which every non-empty value is a number, else itself.

    Tables are read as text (codes keep their leading zeros), so an age or an amount arrives as text; binned
    as a number it has ``max_values`` categories instead of one per distinct value. A column with a value
    such as ``0101`` holds codes, not numbers, and stays text.
    """
    if column.dtype != pl.String or column.str.contains(r"^\s*[+-]?0\d").any():
        return column
    numbers = column.cast(pl.Float64, strict=False)
    present = int((column.fill_null("").str.strip_chars() != "").sum())
    if present == 0 or numbers.len() - numbers.null_count() != present:
        return column
    return numbers


def _marginal(a: IntArray, b: IntArray, na: int, nb: int) -> FloatArray:
    result: FloatArray = np.bincount(a * nb + b, minlength=na * nb).reshape(na, nb).astype(np.float64)
    return result


def _measure_one_way(
    codes: list[IntArray],
    domains: list[list[str]],
    sigma: float,
    rng: np.random.Generator,
) -> list[FloatArray]:
    """Noisy 1-way marginals; values under ``3 sigma`` are merged into ``RARE`` (codes, domains updated)."""
    ones: list[FloatArray] = []
    for a in range(len(codes)):
        noisy = np.bincount(codes[a], minlength=len(domains[a])) + rng.normal(0, sigma, len(domains[a]))
        keep = noisy >= 3 * sigma
        if keep.all() or (~keep).sum() == 1:
            ones.append(noisy)
            continue
        new_index = np.cumsum(keep) - 1
        rare = int(keep.sum())
        mapping = np.where(keep, new_index, rare)
        codes[a] = mapping[codes[a]]
        merged = np.zeros(rare + 1)
        np.add.at(merged, mapping, noisy)
        domains[a] = [v for v, k in zip(domains[a], keep, strict=True) if k] + [RARE]
        ones.append(merged)
    return ones


def _distribution(noisy: FloatArray) -> FloatArray:
    """Noisy counts as probabilities (uniform when the noise left nothing positive)."""
    positive = np.clip(noisy, 0, None)
    total = float(positive.sum())
    result: FloatArray = positive / total if total > 0 else np.full(len(noisy), 1 / len(noisy))
    return result


def synthesize(
    frame: pl.DataFrame,
    columns: Sequence[str] | None = None,
    epsilon: float = 1.0,
    delta: float = 1e-9,
    rows: int | None = None,
    seed: int | None = None,
    max_values: int = 100,
    method: str = "aim",
    rounds: int | None = None,
    hide_rare: bool = False,
) -> SynthResult:
    """A synthetic table; ``method`` is ``mst`` (a spanning tree, fast) or ``aim`` (adaptive marginals).

    With ``aim``, rare categories come out as themselves, in proportion to their noisy counts (the domain is
    taken as public, as in the reference implementations); ``hide_rare`` releases them as ``(other)`` instead,
    as ``mst`` always does (for columns whose values themselves are sensitive; costs fidelity).
    """
    cols = list(columns) if columns else frame.columns
    check_columns(frame.columns, cols)
    if frame.height == 0:
        raise InputError("cannot synthesize from an empty table")
    if len(cols) < 2:
        raise ConfigError("synthesis needs at least two columns")
    if method not in ("mst", "aim"):
        raise ConfigError(f"unknown synthesis method {method!r}; use 'aim' or 'mst'")
    rng = np.random.default_rng(seed)
    rho = rho_from_epsilon(epsilon, delta)
    accountant = ZCDPAccountant(rho)
    d = len(cols)
    codes, domains = _codes(frame, cols, max_values)
    n_out = rows if rows is not None else frame.height
    if method == "aim":
        one_rho = ONE_WAY_SHARE * rho
        sigma1 = math.sqrt(d / (2 * one_rho))
        groups: list[Groups] = []
        ones = []
        for a in range(d):
            noisy = np.bincount(codes[a], minlength=len(domains[a])) + rng.normal(0, sigma1, len(domains[a]))
            accountant.spend(f"one-way {cols[a]}", one_rho / d)
            mapping, group = compress(domains[a], noisy, 3 * sigma1, RARE if hide_rare else None)
            codes[a] = mapping[codes[a]]
            groups.append(group)
            ones.append(group.totals())
        sizes = [len(g.members) for g in groups]
        fit = aim_fit(codes, sizes, ones, sigma1, accountant, rng, n_out, rounds if rounds is not None else d)
        data = {c: groups[a].decode(fit.codes[:, a], rng) for a, c in enumerate(cols)}
        cliques = [tuple(cols[a] for a in c) for c in fit.cliques]
        pairs = [(c[0], c[1]) for c in cliques if len(c) == 2]
        return SynthResult(
            pl.DataFrame(data, schema=dict.fromkeys(cols, pl.String)),
            epsilon,
            delta,
            rho,
            pairs,
            "aim",
            cliques,
            accountant.spent,
        )
    # 1. one-way marginals, then compress rare values
    sigma1 = math.sqrt(d / (2 * rho / 3))
    ones = _measure_one_way(codes, domains, sigma1, rng)
    for a in range(d):
        accountant.spend(f"one-way {cols[a]}", rho / 3 / d)
    sizes = [len(v) for v in domains]
    n_est = max(float(np.mean([o.sum() for o in ones])), 1.0)
    probs = [_distribution(o) for o in ones]
    # 2. tree selection with the exponential mechanism (sensitivity of the L1 score is 1)
    eps_sel = math.sqrt(8 * (rho / 3) / max(d - 1, 1))
    scores: dict[tuple[int, int], float] = {}
    for i in range(d):
        for j in range(i + 1, d):
            real = _marginal(codes[i], codes[j], sizes[i], sizes[j])
            indep = n_est * np.outer(probs[i], probs[j])
            scores[(i, j)] = float(np.abs(real - indep).sum())
    component = list(range(d))
    edges: list[tuple[int, int]] = []
    for _ in range(d - 1):
        options = [e for e in scores if component[e[0]] != component[e[1]]]
        q = np.array([scores[e] for e in options])
        w = np.exp(eps_sel / 2 * (q - q.max()))
        pick = options[int(rng.choice(len(options), p=w / w.sum()))]
        old, new = component[pick[1]], component[pick[0]]
        component = [new if c == old else c for c in component]
        edges.append(pick)
        accountant.spend(f"select edge {len(edges)}", eps_sel**2 / 8)
    # 3. measure the tree's two-way marginals
    sigma2 = math.sqrt(max(d - 1, 1) / (2 * rho / 3))
    for e in edges:
        accountant.spend(f"measure {e}", 1 / (2 * sigma2**2))
    tables = {e: _marginal(codes[e[0]], codes[e[1]], sizes[e[0]], sizes[e[1]]) for e in edges}
    noisy2 = {e: t + rng.normal(0, sigma2, t.shape) for e, t in tables.items()}
    # sampling order: breadth first from column 0
    out = np.zeros((n_out, d), dtype=np.int64)
    out[:, 0] = rng.choice(sizes[0], n_out, p=probs[0])
    done, frontier = {0}, [0]
    while frontier:
        parent = frontier.pop(0)
        for e in edges:
            if parent not in e:
                continue
            child = e[1] if e[0] == parent else e[0]
            if child in done:
                continue
            joint = noisy2[e] if e[0] == parent else noisy2[e].T
            # child counts from the 2-way table (variance sizes[parent] * sigma2^2) and the 1-way (sigma1^2)
            v2, v1 = sizes[parent] * sigma2**2, sigma1**2
            child_est = (joint.sum(axis=0) / v2 + ones[child] / v1) / (1 / v2 + 1 / v1)
            joint = np.clip(joint, 0, None)
            colsum = joint.sum(axis=0)
            scale = np.where(colsum > 0, np.clip(child_est, 0, None) / np.maximum(colsum, 1e-12), 0.0)
            joint = joint * scale[None, :]
            rows_sum = joint.sum(axis=1, keepdims=True)
            cond = np.where(rows_sum > 0, joint / np.maximum(rows_sum, 1e-12), probs[child][None, :])
            cum = np.cumsum(cond, axis=1)
            cum /= cum[:, -1:]
            u = rng.random(n_out)
            pv = out[:, parent]
            out[:, child] = np.minimum((u[:, None] > cum[pv]).sum(axis=1), sizes[child] - 1)
            done.add(child)
            frontier.append(child)
    data = {c: [domains[a][i] for i in out[:, a]] for a, c in enumerate(cols)}
    names = [(cols[a], cols[b]) for a, b in edges]
    return SynthResult(
        pl.DataFrame(data, schema=dict.fromkeys(cols, pl.String)),
        epsilon,
        delta,
        rho,
        names,
        "mst",
        [(a, b) for a, b in names],
        accountant.spent,
    )
