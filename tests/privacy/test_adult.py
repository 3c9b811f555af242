"""The real Adult data: reference risk figures and anonymization verified end to end."""

from __future__ import annotations

import polars as pl
import pytest

from kodeks.privacy.anonymize import AnonymizationConfig, anonymize
from kodeks.privacy.encoding import encode
from kodeks.privacy.hierarchy import Hierarchy
from kodeks.privacy.metrics import build_metric
from kodeks.privacy.models import KAnonymity
from kodeks.privacy.risk import assess
from kodeks.privacy.search import exhaustive_search, optimal_search
from kodeks.privacy.verify import verify

from .privacy_factories import ADULT_QIS


def test_raw_adult_risk_matches_the_reference(adult: pl.DataFrame) -> None:
    report = assess(adult, ADULT_QIS)
    assert report.records == 30_162
    assert report.classes == 19_502
    assert round(report.prosecutor_average, 4) == 0.6466
    assert round(report.sample_uniques * 100, 2) == 51.43
    assert report.prosecutor_max == 1.0


@pytest.mark.parametrize("limit", [0.0, 0.05])
def test_adult_k5_is_verified(
    adult: pl.DataFrame, adult_hierarchies: dict[str, Hierarchy], limit: float
) -> None:
    config = AnonymizationConfig(ADULT_QIS, adult_hierarchies, (KAnonymity(5),), limit)
    result = anonymize(adult, config)
    released = result.frame.collect()
    assert released.height == adult.height
    verdict = verify(released, ADULT_QIS, [KAnonymity(5)], limit)
    assert verdict.ok, verdict.failures
    assert verdict.min_class_size >= 5
    after = assess(released, ADULT_QIS, exclude_suppressed=True)
    assert after.prosecutor_max <= 0.2
    assert result.search.evaluated < result.search.lattice_size / 10


@pytest.mark.parametrize("limit", [0.0, 0.05])
def test_adult_optimum_on_five_qis_equals_exhaustive(
    adult: pl.DataFrame, adult_hierarchies: dict[str, Hierarchy], limit: float
) -> None:
    qis = ("age", "education", "marital-status", "workclass", "sex")
    table = encode(adult, qis, {q: adult_hierarchies[q] for q in qis})
    metric = build_metric("loss", table)
    full = exhaustive_search(table, (KAnonymity(5),), limit, metric)
    fast = optimal_search(table, (KAnonymity(5),), limit, metric)
    assert fast.value == pytest.approx(full.value, rel=1e-9)
    assert fast.levels in full.optimal_nodes


@pytest.mark.slow
@pytest.mark.parametrize("limit", [0.0, 0.05])
def test_adult_nine_qis_optimum_equals_exhaustive(
    adult: pl.DataFrame, adult_hierarchies: dict[str, Hierarchy], limit: float
) -> None:
    table = encode(adult, ADULT_QIS, adult_hierarchies)
    metric = build_metric("loss", table)
    full = exhaustive_search(table, (KAnonymity(5),), limit, metric)
    fast = optimal_search(table, (KAnonymity(5),), limit, metric)
    assert fast.value == pytest.approx(full.value, rel=1e-9)
    assert fast.levels in full.optimal_nodes
