from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.local.world import World, world


@pytest.fixture
def w() -> Iterator[World]:
    with world() as built:
        yield built
