"""Polars' errors while reading or computing, as the project's errors (one line, naming the file)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kodeks.errors import MalformedInput


@contextmanager
def read_errors(source: str | None) -> Iterator[None]:
    """Inside: a Polars error (bad bytes, a ragged CSV line, a JSON line that does not parse, mixed
    types) becomes ``MalformedInput`` with Polars' first line."""
    import polars as pl

    try:
        yield
    except (pl.exceptions.PolarsError, OSError) as exc:
        text = str(exc).strip().splitlines()
        first = text[0] if text else type(exc).__name__
        raise MalformedInput(f"cannot read the data: {first[:300]}", source=source) from None
