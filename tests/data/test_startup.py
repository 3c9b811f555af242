"""``import kodeks.data`` and the data commands' help import no engine: Polars, pandas, DuckDB and
Spark are imported when a function or command runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.test_startup import imported_by

ENGINES = ("polars", "pandas", "pyarrow", "duckdb", "pyspark", "numpy", "sqlalchemy")


def test_importing_the_python_api_imports_no_engine() -> None:
    probe = f"import json, sys, kodeks.data; print(json.dumps([m for m in {ENGINES!r} if m in sys.modules]))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize(
    "args", [["data", "--help"], ["data", "validate", "--help"], ["scope", "expand", "--help"]]
)
def test_the_data_commands_help_imports_no_heavy_module(args: list[str]) -> None:
    assert imported_by(*args) == {"code": 0, "loaded": [], "sqlalchemy": False}
