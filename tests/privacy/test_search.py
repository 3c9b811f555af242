"""Optimal search equals exhaustive search; every released table passes the independent verifier."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.privacy.anonymize import AnonymizationConfig, anonymize
from kodeks.privacy.classes import Classes, compute_classes, roll_up
from kodeks.privacy.encoding import encode
from kodeks.privacy.errors import UnsatisfiableError
from kodeks.privacy.lattice import Lattice
from kodeks.privacy.metrics import METRICS, build_metric
from kodeks.privacy.models import (
    AverageRisk,
    DistinctLDiversity,
    EntropyLDiversity,
    KAnonymity,
    MaxRisk,
    PrivacyModel,
    RecursiveCLDiversity,
    TCloseness,
)
from kodeks.privacy.search import exhaustive_search, optimal_search
from kodeks.privacy.verify import verify

from .privacy_factories import disease_hierarchy, small_hierarchies, small_table

QIS = ("age", "sex", "zip")


def model_sets() -> list[tuple[PrivacyModel, ...]]:
    return [
        (KAnonymity(3),),
        (KAnonymity(5),),
        (MaxRisk(0.25),),
        (KAnonymity(2), DistinctLDiversity("disease", 2)),
        (EntropyLDiversity("disease", 1.8),),
        (RecursiveCLDiversity("disease", 3.0, 2),),
        (TCloseness("disease", 0.3, "equal"),),
        (TCloseness("disease", 0.25, "hierarchical", disease_hierarchy()),),
        (KAnonymity(2), AverageRisk(0.2)),
    ]


@pytest.mark.parametrize(
    "models", model_sets(), ids=lambda ms: "+".join(str(m.describe()["model"]) for m in ms)
)
@pytest.mark.parametrize("limit", [0.0, 0.1])
@pytest.mark.parametrize("seed", [1, 2])
def test_optimal_equals_exhaustive(models: tuple[PrivacyModel, ...], limit: float, seed: int) -> None:
    frame = small_table(80, seed)
    table = encode(frame, QIS, small_hierarchies(frame), ["disease"])
    for name in METRICS:
        metric = build_metric(name, table)
        try:
            full = exhaustive_search(table, models, limit, metric)
        except UnsatisfiableError:
            with pytest.raises(UnsatisfiableError):
                optimal_search(table, models, limit, metric)
            continue
        fast = optimal_search(table, models, limit, metric)
        assert fast.value == pytest.approx(full.value, rel=1e-9), name
        assert fast.levels in full.optimal_nodes, name
        assert fast.evaluated <= full.evaluated


def test_pruning_saves_work() -> None:
    frame = small_table(200, 7)
    table = encode(frame, QIS, small_hierarchies(frame), ["disease"])
    result = optimal_search(table, (KAnonymity(4),), 0.0, build_metric("loss", table))
    assert result.evaluated < result.lattice_size / 2
    assert result.evaluated + result.tagged + result.pruned == result.lattice_size


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    rows=st.integers(5, 120),
    k=st.integers(1, 6),
    limit=st.sampled_from([0.0, 0.05, 0.2]),
    extra=st.sampled_from(["none", "distinct", "entropy", "recursive", "t-equal", "t-hier", "avg"]),
    metric=st.sampled_from(METRICS),
    mode=st.sampled_from(["mask", "drop"]),
)
def test_released_data_satisfies_the_models(
    seed: int, rows: int, k: int, limit: float, extra: str, metric: str, mode: str
) -> None:
    frame = small_table(rows, seed)
    models: list[PrivacyModel] = [KAnonymity(k)]
    models += {
        "none": [],
        "distinct": [DistinctLDiversity("disease", 2)],
        "entropy": [EntropyLDiversity("disease", 1.5)],
        "recursive": [RecursiveCLDiversity("disease", 2.0, 2)],
        "t-equal": [TCloseness("disease", 0.4)],
        "t-hier": [TCloseness("disease", 0.4, "hierarchical", disease_hierarchy())],
        "avg": [AverageRisk(0.3)],
    }[extra]
    config = AnonymizationConfig(
        QIS,
        small_hierarchies(frame),
        tuple(models),
        limit,
        metric,
        ("name",),
        mode,  # type: ignore[arg-type]
    )
    try:
        result = anonymize(frame, config)
    except UnsatisfiableError:
        return
    released = result.frame.collect()
    assert "name" not in released.columns
    verdict = verify(released, QIS, models, limit, original_rows=rows, reference=frame)
    assert verdict.ok, verdict.failures
    assert verdict.suppressed_rows == result.suppressed_rows


def test_k_larger_than_data_is_a_clear_error() -> None:
    frame = small_table(4)
    config = AnonymizationConfig(QIS, small_hierarchies(frame), (KAnonymity(10),))
    with pytest.raises(UnsatisfiableError, match="at least 10 records but the data has only 4"):
        anonymize(frame, config)


def test_verifier_catches_a_violation() -> None:
    frame = small_table(30, 3)
    verdict = verify(frame, QIS, [KAnonymity(2)])
    assert not verdict.ok and "fails" in verdict.failures[0]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rows=st.integers(1, 150), data=st.data())
def test_roll_up_gives_the_same_classes_as_grouping_the_rows(
    seed: int, rows: int, data: st.DataObject
) -> None:
    frame = small_table(rows, seed)
    table = encode(frame, QIS, small_hierarchies(frame), ["disease"])
    low = tuple(data.draw(st.integers(0, h - 1)) for h in table.heights)
    high = tuple(data.draw(st.integers(lv, h - 1)) for lv, h in zip(low, table.heights, strict=True))
    direct = compute_classes(table, high)
    rolled = roll_up(compute_classes(table, low), high)

    def partition(c: Classes) -> set[frozenset[int]]:
        return {frozenset(np.nonzero(c.row_class == k)[0].tolist()) for k in range(c.n_classes)}

    assert partition(rolled) == partition(direct)
    order = np.argsort(rolled.row_class)
    assert sorted(rolled.sizes.tolist()) == sorted(direct.sizes.tolist())
    assert rolled.codes[rolled.row_class[order]].tolist() == direct.codes[direct.row_class[order]].tolist()
    assert rolled.histogram(0).sum() == direct.histogram(0).sum() == rows


def test_lattice_up_and_down_sets() -> None:
    lattice = Lattice.build((3, 2, 4))
    for i in range(lattice.size):
        node = lattice.nodes[i]
        assert lattice.successors(i).tolist() == np.all(lattice.nodes >= node, axis=1).tolist()
        assert lattice.predecessors(i).tolist() == np.all(lattice.nodes <= node, axis=1).tolist()
