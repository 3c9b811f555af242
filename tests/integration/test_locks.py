"""On PostgreSQL an import waits for whoever holds its classification's lock (a publication)."""

from __future__ import annotations

import threading
import time

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.services import importing
from kodeks.storage.unit_of_work import ADVISORY_LOCK
from tests.factories import FakeCatalog, tree_bundle


def test_an_import_waits_for_the_classification_lock(registry: Kodeks) -> None:
    if registry.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: the database itself serialises imports and publications")
    done = threading.Event()

    def run_import() -> None:
        importing.import_data(registry.uow, FakeCatalog([tree_bundle()]), b"x", "tree.fake")
        done.set()

    with registry.engine.connect() as holder:
        holder.execute(ADVISORY_LOCK, {"name": "classification:tree"})  # as a publication of 'tree' does
        worker = threading.Thread(target=run_import)
        worker.start()
        time.sleep(0.5)
        assert not done.is_set(), "the import must wait while the lock is held"
        holder.commit()
    worker.join(timeout=30)
    assert done.is_set()
