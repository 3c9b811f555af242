"""Databases that several test workers need, built once per test run and copied by each.

The real-data registries (real KLE, the demo) take half a minute each to import. With pytest-xdist
every worker would import them again; :func:`built_once` lets the first worker that needs one build
it into a SQLite file under the run's shared temporary folder (a file lock keeps the others waiting
meanwhile), and every worker then copies the finished file: SQLite's backup into an in-memory
database (:func:`in_memory`), or a file copy for a test that opens a database by URL.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kodeks.storage.engine import make_engine


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this test run, shared by its xdist workers (each has a subfolder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[str], None]) -> Path:
    """The SQLite file ``name`` of this test run: ``build(url)`` fills it the first time it is asked
    for, in whichever worker asks first; a build that fails leaves nothing behind, so the next
    asker tries again (and fails as clearly)."""
    folder = run_folder(tmp_path_factory)
    target = folder / f"{name}.sqlite"
    with (folder / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            partial = folder / f"{name}.partial.sqlite"
            for leftover in (partial, *(Path(f"{partial}{s}") for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
            build(f"sqlite:///{partial}")
            with sqlite3.connect(partial) as db:  # one self-contained file: no write-ahead log beside it
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                db.execute("PRAGMA journal_mode=DELETE")
            partial.replace(target)
    return target


def in_memory(path: Path) -> Engine:
    """An in-memory SQLite engine (one shared connection) holding a copy of the database at ``path``."""
    engine = make_engine("sqlite://")
    raw = engine.raw_connection()
    try:
        memory = raw.driver_connection
        assert isinstance(memory, sqlite3.Connection)
        with sqlite3.connect(path) as source:
            source.backup(memory)
    finally:
        raw.close()
    return engine


def file_copy(path: Path, folder: Path) -> str:
    """A URL of this worker's own copy of the database at ``path``, in ``folder``."""
    target = folder / path.name
    shutil.copyfile(path, target)
    return f"sqlite:///{target}"
