"""Start-up stays short: the CLI imports a heavy library only in the command that uses it.

Structural, not timed (timings are in bench/cli_startup.py): a fresh interpreter runs the CLI and
reports which heavy modules it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.config import Settings
from tests.factories import record, tree_bundle

HEAVY = (
    "polars",
    "rdflib",
    "pyoxigraph",
    "fhir.resources",
    "fastapi",
    "uvicorn",
    "numpy",
    "scipy",
    "kodeks.privacy",
    "openpyxl",
    "lxml",
    "jinja2",
)
PROBE = """
import json, sys
from kodeks.cli.main import run
code = run(sys.argv[1:]) if sys.argv[1:] != ["--no-run"] else 0
heavy = %r
print(json.dumps({"code": code, "loaded": sorted(m for m in heavy if m in sys.modules),
                  "sqlalchemy": "sqlalchemy" in sys.modules}), file=sys.stderr)
"""


def imported_by(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), *args], capture_output=True, text=True, timeout=120
    )
    report: dict[str, object] = json.loads(result.stderr.strip().splitlines()[-1])
    return report


def test_importing_the_cli_imports_no_heavy_module_and_no_database_driver() -> None:
    assert imported_by("--no-run") == {"code": 0, "loaded": [], "sqlalchemy": False}


@pytest.mark.parametrize("args", [["--help"], ["show", "--help"], ["list", "--help"]])
def test_help_imports_no_heavy_module_and_no_database_driver(args: list[str]) -> None:
    assert imported_by(*args) == {"code": 0, "loaded": [], "sqlalchemy": False}


def test_a_sub_group_imports_only_its_own_needs() -> None:
    assert imported_by("governance", "--help")["loaded"] == []


def test_show_imports_the_database_but_no_heavy_module(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    record(build(Settings(database_url=url)), tree_bundle())
    assert imported_by("show", "tree", "10.01.05", "--at", "2011-05-01", "--db", url) == {
        "code": 0,
        "loaded": [],
        "sqlalchemy": True,
    }
