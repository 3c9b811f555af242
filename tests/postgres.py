"""The test PostgreSQL (``KODEKS_TEST_POSTGRES_URL``, started by ``scripts/test``): required in CI,
skipped with the reason elsewhere; a schema of its own per test registry."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("KODEKS_TEST_POSTGRES_URL")


def require_postgres() -> str:
    if not POSTGRES_URL:
        reason = "KODEKS_TEST_POSTGRES_URL is not set, so PostgreSQL is not tested (scripts/test starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test PostgreSQL: {reason}")
        pytest.skip(reason)
    return POSTGRES_URL


@contextmanager
def schema_url(prefix: str) -> Iterator[str]:
    """The test PostgreSQL's URL with a new, empty schema as its search path; dropped afterwards."""
    url = require_postgres()
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
