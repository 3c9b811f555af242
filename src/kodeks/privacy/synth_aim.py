"""AIM-style adaptive DP synthesis (McKenna et al., 2022) on NumPy, with an exact zCDP accountant.

The budget ``epsilon`` (with ``delta``) becomes zCDP ``rho`` (:func:`rho_from_epsilon`), held by a
:class:`ZCDPAccountant` that refuses any spend beyond it. Then:

1. all 1-way marginals are measured with Gaussian noise (``ONE_WAY_SHARE`` of rho, in ``synthesize``); values
   under ``3 sigma`` are grouped (:func:`compress`: numbers with their neighbours, others in one group);
2. ``rounds`` rounds, each with ``rho_t = rest / rounds``: the exponential mechanism (``alpha``-split: a share
   ``1 - alpha`` of ``rho_t``) picks the 2-way or small 3-way marginal whose current model estimate is worst,
   by AIM's quality score ``|M_c(model) - M_c(data)|_1 - sqrt(2/pi) sigma |dom c|`` (sensitivity 1); the
   chosen marginal is measured with Gaussian noise (share ``alpha``);
3. the model is a distribution over a pool of candidate records drawn from the noisy 1-way marginals; its
   weights are fitted to all noisy measurements by entropic mirror descent on Private-PGM's objective
   ``sum_c ||N mu_c(w) - y_c||^2 / sigma_c`` (the noisy marginals are never used as exact constraints);
4. synthetic records are drawn from the pool with the fitted weights; a group's records get one of its values,
   drawn by the values' noisy 1-way counts.

A Gaussian measurement of a count vector (L2 sensitivity 1 under adding or removing a record) with scale
``sigma`` costs ``1 / (2 sigma^2)``; the exponential mechanism with ``epsilon_t`` costs ``epsilon_t^2 / 8``;
zCDP composes by addition. Everything after the measurements is post-processing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kodeks.privacy.errors import ConfigError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_TOLERANCE = 1e-12


def epsilon_from_rho(rho: float, delta: float) -> float:
    """The (epsilon, delta)-DP guarantee of rho-zCDP (Bun & Steinke 2016, Prop. 1.3)."""
    return rho + 2 * math.sqrt(rho * math.log(1 / delta))


class ZCDPAccountant:
    """Adds up zCDP costs and refuses any spend that would exceed the total."""

    def __init__(self, rho: float) -> None:
        if not rho > 0:
            raise ConfigError(f"rho must be positive; got {rho}")
        self.total = rho
        self.spent = 0.0
        self.ledger: list[tuple[str, float]] = []

    @property
    def remaining(self) -> float:
        return max(self.total - self.spent, 0.0)

    def spend(self, what: str, rho: float) -> None:
        if rho < 0 or self.spent + rho > self.total * (1 + _TOLERANCE):
            raise ConfigError(f"privacy budget exceeded: {what} needs {rho}, {self.remaining} left")
        self.spent += rho
        self.ledger.append((what, rho))

    def gaussian(self, what: str, rho: float) -> float:
        """Spend ``rho`` on a Gaussian measurement with L2 sensitivity 1; returns its sigma."""
        self.spend(what, rho)
        return math.sqrt(1 / (2 * rho))

    def exponential(self, what: str, rho: float) -> float:
        """Spend ``rho`` on an exponential mechanism; returns its epsilon (``rho = epsilon^2 / 8``)."""
        self.spend(what, rho)
        return math.sqrt(8 * rho)


@dataclass
class Measurement:
    clique: tuple[int, ...]
    noisy: FloatArray  # flat noisy counts over the clique's domain
    sigma: float


@dataclass
class AimFit:
    codes: IntArray  # synthetic rows x columns, codes into the (compressed) domains
    cliques: list[tuple[int, ...]]
    accountant: ZCDPAccountant


def systematic(weights: FloatArray, n: int, rng: np.random.Generator) -> IntArray:
    """``n`` draws in random order, each index ``floor`` or ``ceil`` of ``n * weight`` times (systematic
    resampling): the drawn counts follow the weights without the extra noise of independent draws."""
    cum = np.cumsum(weights)
    positions = (rng.random() + np.arange(n)) / n * cum[-1]
    chosen = np.minimum(np.searchsorted(cum, positions, side="right"), len(weights) - 1)
    result: IntArray = rng.permutation(chosen).astype(np.int64)
    return result


def _flat(clique: tuple[int, ...], columns: Sequence[IntArray], sizes: Sequence[int]) -> IntArray:
    """Cell index of each row in the clique's marginal (row-major over the clique's columns)."""
    index = np.zeros(len(columns[clique[0]]), dtype=np.int64)
    for a in clique:
        index = index * sizes[a] + columns[a]
    return index


def _domain(clique: tuple[int, ...], sizes: Sequence[int]) -> int:
    return math.prod(sizes[a] for a in clique)


class _PoolModel:
    """A distribution over a fixed pool of candidate records, fitted by mirror descent."""

    def __init__(self, pool: IntArray, sizes: Sequence[int], total: float) -> None:
        self.pool = pool
        self.sizes = sizes
        self.total = total
        self.log_w = np.zeros(pool.shape[0])
        self.weights = np.full(pool.shape[0], 1 / pool.shape[0])
        self.index: dict[tuple[int, ...], IntArray] = {}
        self.step = 1.0

    def cells(self, clique: tuple[int, ...]) -> IntArray:
        if clique not in self.index:
            self.index[clique] = _flat(clique, list(self.pool.T), self.sizes)
        return self.index[clique]

    def marginal(self, clique: tuple[int, ...], weights: FloatArray | None = None) -> FloatArray:
        w = self.weights if weights is None else weights
        counts = np.bincount(self.cells(clique), weights=w, minlength=_domain(clique, self.sizes))
        result: FloatArray = counts.astype(np.float64) * self.total
        return result

    def _loss(self, weights: FloatArray, ms: Sequence[Measurement]) -> tuple[float, list[FloatArray]]:
        loss, residuals = 0.0, []
        for m in ms:
            r = self.marginal(m.clique, weights) - m.noisy
            loss += float(r @ r) / m.sigma
            residuals.append(r)
        return loss, residuals

    def fit(self, ms: Sequence[Measurement], iterations: int) -> None:
        loss, residuals = self._loss(self.weights, ms)
        for _ in range(iterations):
            grad = np.zeros(self.pool.shape[0])
            for m, r in zip(ms, residuals, strict=True):
                grad += (2 * self.total / m.sigma) * r[self.cells(m.clique)]
            scale = float(np.abs(grad).max()) or 1.0
            while True:
                log_w = self.log_w - (self.step / scale) * grad
                log_w -= log_w.max()
                w = np.exp(log_w)
                w /= w.sum()
                new_loss, new_res = self._loss(w, ms)
                if new_loss <= loss or self.step < 1e-4:
                    break
                self.step /= 2
            self.log_w, self.weights, loss, residuals = log_w, w, new_loss, new_res
            self.step = min(self.step * 1.5, 50.0)


def aim_fit(
    codes: Sequence[IntArray],
    sizes: Sequence[int],
    ones: Sequence[FloatArray],
    one_sigma: float,
    accountant: ZCDPAccountant,
    rng: np.random.Generator,
    n_out: int,
    rounds: int,
    alpha: float = 0.9,
    pool_size: int = 60_000,
    max_cells: int = 2_000,
    max_candidates: int = 300,
    round_iterations: int = 8,
    final_iterations: int = 120,
) -> AimFit:
    """Rounds of select-measure-fit on already compressed codes whose 1-way marginals are measured."""
    d = len(codes)
    n_est = max(float(np.mean([o.sum() for o in ones])), 1.0)
    probs = [np.clip(o, 1e-9, None) / np.clip(o, 1e-9, None).sum() for o in ones]
    pool_size = min(pool_size, max(20 * n_out, 5_000))
    pool = np.stack([rng.choice(sizes[a], pool_size, p=probs[a]) for a in range(d)], axis=1)
    model = _PoolModel(pool, sizes, n_est)
    measurements = [Measurement((a,), np.asarray(ones[a], dtype=np.float64), one_sigma) for a in range(d)]
    model.fit(measurements, 30)
    candidates: list[tuple[int, ...]] = [c for c in itertools.combinations(range(d), 2)]
    # small 3-way marginals, the smallest first, while the candidates stay few enough to score every round
    # (the sizes come from the noisy 1-way marginals, so this choice is post-processing)
    triples = sorted(
        (c for c in itertools.combinations(range(d), 3) if _domain(c, sizes) <= max_cells),
        key=lambda c: _domain(c, sizes),
    )
    candidates += triples[: max(max_candidates - len(candidates), 0)]
    real = {c: np.bincount(_flat(c, codes, sizes), minlength=_domain(c, sizes)) for c in candidates}
    rho_round = accountant.remaining / max(rounds, 1)
    for t in range(rounds):
        last = t == rounds - 1
        rho_t = accountant.remaining if last else rho_round
        epsilon = accountant.exponential(f"select {t}", (1 - alpha) * rho_t)
        sigma = math.sqrt(1 / (2 * alpha * rho_t))
        scores = np.array(
            [
                float(np.abs(model.marginal(c) - real[c]).sum())
                - math.sqrt(2 / math.pi) * sigma * len(real[c])
                for c in candidates
            ]
        )
        gumbel = rng.gumbel(size=len(candidates))
        pick = candidates[int(np.argmax(epsilon / 2 * scores + gumbel))]
        sigma = accountant.gaussian(f"measure {pick}", accountant.remaining if last else alpha * rho_t)
        noisy = real[pick] + rng.normal(0, sigma, len(real[pick]))
        measurements.append(Measurement(pick, noisy, sigma))
        model.fit(measurements, round_iterations)
    model.fit(measurements, final_iterations)
    chosen = systematic(model.weights, n_out, rng)
    return AimFit(pool[chosen], [m.clique for m in measurements[d:]], accountant)


@dataclass
class Groups:
    """A compressed domain: each model value stands for a group of original values.

    A group with a ``label`` is released as that label (rare categories: ``(other)``); a group without one as
    its members, in proportion to their noisy counts (numbers grouped with their neighbours).
    """

    members: list[list[str]]
    noisy: list[FloatArray]  # the members' noisy 1-way counts
    labels: list[str | None]

    def totals(self) -> FloatArray:
        return np.array([float(n.sum()) for n in self.noisy])

    def decode(self, column: IntArray, rng: np.random.Generator) -> list[str]:
        """Model codes to values; a group's records get members drawn by their noisy counts."""
        out = np.empty(len(column), dtype=object)
        for g, (members, noisy) in enumerate(zip(self.members, self.noisy, strict=True)):
            at = np.flatnonzero(column == g)
            if len(members) == 1 or self.labels[g] is not None:
                out[at] = self.labels[g] or members[0]
                continue
            weights = np.clip(noisy, 0, None)
            p = weights / weights.sum() if weights.sum() > 0 else np.full(len(members), 1 / len(members))
            out[at] = np.array(members, dtype=object)[systematic(p, len(at), rng)]
        return [str(v) for v in out]


def _as_number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def compress(
    domain: list[str], noisy: FloatArray, threshold: float, rare_label: str | None = None
) -> tuple[IntArray, Groups]:
    """Group values whose noisy count is under ``threshold`` (post-processing of the noisy 1-way marginal).

    Numbers are grouped with their neighbours (runs of adjacent values until the run's noisy count reaches the
    threshold), so that the young and the old are not one bucket; other values below the threshold are merged
    into one group, released as its members or, given a ``rare_label``, as that label (rare names or
    categories seen in the data are then not written out). Returns the map from original code to group and
    the groups.
    """
    numbers = [_as_number(v) for v in domain]
    mapping = np.zeros(len(domain), dtype=np.int64)
    groups: list[list[int]] = []
    labels: list[str | None] = []
    if len(domain) > 2 and all(x is not None for x in numbers):
        order = sorted(range(len(domain)), key=lambda i: numbers[i] or 0.0)
        run: list[int] = []
        for i in order:
            run.append(i)
            if float(noisy[run].sum()) >= threshold:
                groups.append(run)
                run = []
        if run:
            if groups:
                groups[-1].extend(run)
            else:
                groups.append(run)
        labels = [None] * len(groups)
    else:
        keep = [i for i in range(len(domain)) if noisy[i] >= threshold]
        rare = [i for i in range(len(domain)) if noisy[i] < threshold]
        groups = [[i] for i in keep]
        labels = [None] * len(groups)
        if rare:
            groups.append(rare)
            labels.append(rare_label)  # None: released as its members
    for g, members in enumerate(groups):
        mapping[members] = g
    return mapping, Groups([[domain[i] for i in m] for m in groups], [noisy[m] for m in groups], labels)
