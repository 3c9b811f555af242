"""What the data services need from an engine. ``kodeks.engines`` implements it (Polars, Spark)."""

from __future__ import annotations

from typing import Any, Protocol

from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.summary import Summary
from kodeks.domain.data.valid_time import ValidTimeTable


class DataEngine(Protocol):
    """Applies a valid-time table to a frame of the engine's own kind, never pulling rows into Python."""

    name: str

    def validate(self, data: Any, table: ValidTimeTable, spec: ValidateSpec) -> Any:
        """``data`` with ``<col>_status``, ``<col>_suggestion`` and ``<col>_title`` added (lazily)."""
        ...

    def summarize(self, checked: Any, table: ValidTimeTable, spec: ValidateSpec) -> Summary: ...
