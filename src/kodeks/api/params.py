"""Bounded parameters shared by the route modules: every integer in a path or query fits a signed
64-bit column, so an out-of-range number is a 400 (``invalid_request``), never a database error."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

#: The largest value of a signed 64-bit integer (PostgreSQL ``bigint``, SQLite ``INTEGER``).
MAX_INT64 = 2**63 - 1

ChangeSetId = Annotated[int, Path(ge=1, le=MAX_INT64, description="the change set's id")]
AssignmentId = Annotated[int, Path(ge=1, le=MAX_INT64, description="the role assignment's id")]
After = Annotated[int, Query(ge=0, le=MAX_INT64, description="only entries after this audit id (paging)")]
Limit = Annotated[int, Query(ge=1, le=500)]
