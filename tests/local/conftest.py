"""Fixtures for local use: a registry with the small tree plan and reserved ranges."""

from __future__ import annotations

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.local.ranges import ReservedRange
from kodeks.services.local import ranges
from kodeks.storage.local import open_local_store
from tests.factories import memory_registry, record, tree_bundle

#: Illustrative reserved ranges for the tree plan: emner 90-99 under every group.
RANGES = (ReservedRange(level=3, low=90, high=99),)


@pytest.fixture
def registry() -> Kodeks:
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    ranges.set_reserved_ranges(kodeks.uow, open_local_store, "tree", RANGES, actor="tester")
    return kodeks
