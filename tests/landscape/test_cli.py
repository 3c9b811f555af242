"""``kodeks landscape ...``: the contract commands against a file database holding real KLE."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.cli.main import run
from tests.conftest import data_file


@pytest.fixture
def db(kle_registry: Kodeks, tmp_path: Path) -> str:
    """A file copy of the session's KLE registry (SQLite's backup: no second KLE import)."""
    path = tmp_path / "kodeks.sqlite"
    source = kle_registry.engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        source.driver_connection.backup(target)  # type: ignore[union-attr]
        target.close()
    finally:
        source.close()
    return f"sqlite:///{path}"


def test_generate_export_and_import_round_trip(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "landskab.csv"
    assert (
        run(
            [
                "landscape",
                "generate",
                "--systems",
                "30",
                "--years",
                "4",
                "--first-year",
                "2014",
                "-o",
                str(sheet),
                "--db",
                db,
            ]
        )
        == 0
    )
    assert "30 solutions" in capsys.readouterr().out
    assert run(["landscape", "import", str(sheet), "--format", "sheet", "--db", db]) == 0
    said = capsys.readouterr().out
    assert "30 solutions added" in said and "98 municipalities" in said
    assert run(["landscape", "import", str(sheet), "--db", db]) == 0
    assert "nothing new" in capsys.readouterr().out
    ttl = tmp_path / "landskab.ttl"
    assert run(["landscape", "export", "--format", "sysap-ttl", "-o", str(ttl), "--db", db]) == 0
    assert (
        run(
            [
                "landscape",
                "export",
                "--format",
                "xlsx",
                "--at",
                "2016-01-01",
                "-o",
                str(tmp_path / "l.xlsx"),
                "--db",
                db,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert run(["landscape", "import", str(ttl), "--db", db]) == 0  # the SYS-AP export says the same
    assert "nothing new" in capsys.readouterr().out
    assert run(["landscape", "usage", "--solution", "aula", "--at", "2017-06-01", "--db", db]) == 0
    assert '"solution": "aula"' in capsys.readouterr().out
    for command in (["coverage", "751"], ["task", "85.02.10"], ["suppliers"], ["contracts"], ["overlaps"]):
        assert run(["landscape", *command, "--at", "2017-06-01", "--db", db]) == 0, command
    assert "KOMBIT" in capsys.readouterr().out


def test_errors_are_one_line_with_an_exit_code(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("kommunekode;system;kle\n751;X;99.99.99\n998;Y;\n", encoding="utf-8")
    assert run(["landscape", "import", str(bad), "--db", db]) == 4
    err = capsys.readouterr().err.strip()
    assert "nothing imported" in err and "998" in err and len(err.splitlines()) == 1
    assert run(["landscape", "import", str(bad), "--format", "pdf", "--db", db]) == 5
    assert run(["landscape", "coverage", "999", "--db", db]) == 3
    assert run(["landscape", "export", "--format", "pdf", "-o", str(tmp_path / "x"), "--db", db]) == 4
    path = data_file("sysap/SYS-AP-ExampleDataGraph.ttl")
    assert run(["landscape", "import", str(path), "--db", db]) == 4
    assert "line 33, column 3" in capsys.readouterr().err
