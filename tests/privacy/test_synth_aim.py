from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.privacy.errors import ConfigError
from kodeks.privacy.fidelity import fidelity
from kodeks.privacy.synth_aim import ZCDPAccountant, compress, epsilon_from_rho, systematic
from kodeks.privacy.synthesize import rho_from_epsilon, synthesize

from .privacy_factories import small_table


def test_accountant_refuses_to_overspend() -> None:
    acc = ZCDPAccountant(0.01)
    sigma = acc.gaussian("a", 0.004)
    assert sigma == pytest.approx(math.sqrt(1 / 0.008))
    assert acc.exponential("b", 0.006) == pytest.approx(math.sqrt(8 * 0.006))
    assert acc.remaining == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ConfigError):
        acc.spend("c", 1e-6)
    with pytest.raises(ConfigError):
        ZCDPAccountant(0.0)
    assert [w for w, _ in acc.ledger] == ["a", "b"]


@given(st.floats(0.001, 50), st.floats(1e-15, 0.1))
def test_zcdp_conversion_round_trips(epsilon: float, delta: float) -> None:
    rho = rho_from_epsilon(epsilon, delta)
    assert epsilon_from_rho(rho, delta) == pytest.approx(epsilon, rel=1e-9)
    assert epsilon_from_rho(rho * 1.01, delta) > epsilon


_TABLE = small_table(120, 3).drop("name")


@settings(max_examples=25, deadline=None)
@given(
    epsilon=st.floats(0.01, 20),
    delta=st.floats(1e-12, 1e-3),
    method=st.sampled_from(["aim", "mst"]),
    rounds=st.integers(1, 12),
    width=st.integers(2, 4),
    seed=st.integers(0, 2**16),
)
def test_composed_budget_never_exceeds_epsilon(
    epsilon: float, delta: float, method: str, rounds: int, width: int, seed: int
) -> None:
    frame = _TABLE.select(_TABLE.columns[:width])
    result = synthesize(frame, epsilon=epsilon, delta=delta, seed=seed, method=method, rounds=rounds)
    assert result.rho_spent <= result.rho * (1 + 1e-12)
    assert epsilon_from_rho(result.rho_spent, delta) <= epsilon * (1 + 1e-9)
    # the whole budget is used: nothing is wasted either
    assert result.rho_spent == pytest.approx(result.rho, rel=1e-9)
    assert result.frame.shape == frame.shape
    for column in frame.columns:
        assert set(result.frame[column].unique()) <= set(frame[column].unique()) | {"(other)"}


def test_compress_groups_rare_numbers_with_their_neighbours() -> None:
    domain = ["1", "10", "2", "3", "4", "5"]
    noisy = np.array([5.0, 100.0, 3.0, 4.0, 50.0, 2.0])  # by value: 1:5, 2:3, 3:4, 4:50, 5:2, 10:100
    mapping, groups = compress(domain, noisy, 10.0)
    # runs close once they reach the threshold; a short tail joins the last run
    assert groups.members == [["1", "2", "3"], ["4"], ["5", "10"]]
    assert list(mapping) == [0, 2, 0, 0, 1, 2]
    mapping, groups = compress(["a", "b", "c", "d"], np.array([50.0, 1.0, 2.0, 30.0]), 10.0)
    assert groups.members == [["a"], ["d"], ["b", "c"]]
    decoded = groups.decode(np.array([0, 2, 2, 1]), np.random.default_rng(0))
    assert decoded[0] == "a" and decoded[3] == "d" and set(decoded[1:3]) <= {"b", "c"}
    _, groups = compress(["a", "b", "c", "d"], np.array([50.0, 1.0, 2.0, 30.0]), 10.0, "(other)")
    assert groups.decode(np.array([0, 2, 2, 1]), np.random.default_rng(0)) == ["a", "(other)", "(other)", "d"]


def test_hide_rare_keeps_rare_categories_out() -> None:
    rng = np.random.default_rng(5)
    unique = [f"n{i}" for i in range(600)]
    frame = pl.DataFrame({"name": ["a"] * 1200 + ["b"] * 1200 + unique, "x": rng.choice(["c", "d"], 3000)})
    shown = synthesize(frame, epsilon=1.0, seed=1)
    hidden = synthesize(frame, epsilon=1.0, seed=1, hide_rare=True)
    assert set(shown.frame["name"]) & set(unique)  # the domain is public by default
    assert "(other)" in set(hidden.frame["name"])
    # a name held by one person passes the 3-sigma threshold only by noise (rarely; DP bounds it)
    assert len(set(hidden.frame["name"]) & set(unique)) <= 3


def test_unknown_method() -> None:
    with pytest.raises(ConfigError):
        synthesize(_TABLE, method="gan")


def test_aim_beats_mst_on_adult(adult: pl.DataFrame) -> None:
    train = adult.sample(fraction=0.5, seed=3)
    mst = fidelity(train, synthesize(train, epsilon=1.0, seed=4, method="mst").frame, target="salary-class")
    result = synthesize(train, epsilon=1.0, seed=4, method="aim")
    aim = fidelity(train, result.frame, target="salary-class")
    assert aim.tvd_2way < mst.tvd_2way - 0.01
    assert aim.tvd_1way < mst.tvd_1way
    assert result.cliques and all(2 <= len(c) <= 3 for c in result.cliques)


@given(st.lists(st.floats(0, 10), min_size=1, max_size=20), st.integers(1, 500), st.integers(0, 99))
def test_systematic_draws_follow_the_weights(raw: list[float], n: int, seed: int) -> None:
    weights = np.array(raw) + 1e-3
    weights /= weights.sum()
    counts = np.bincount(systematic(weights, n, np.random.default_rng(seed)), minlength=len(weights))
    assert counts.sum() == n
    assert np.all(counts >= np.floor(n * weights) - 1) and np.all(counts <= np.ceil(n * weights) + 1)
