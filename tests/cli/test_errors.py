"""Errors are one line on stderr and a non-zero exit: never wrapped, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from tests.factories import record, tree_bundle

LONG_CODE = "x" * 200


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    record(build(Settings(database_url=url)), tree_bundle())
    return url


def one_error_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, f"not one line: {text!r}"
    assert lines[0].startswith("error: ")
    return lines[0]


def test_a_long_message_is_one_line_when_stderr_is_not_a_terminal(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert run(["show", "tree", LONG_CODE, "--db", db]) == 3
    line = one_error_line(capsys.readouterr().err)
    assert LONG_CODE in line and len(line) > 200


def test_a_long_message_is_one_line_in_a_fresh_process_at_80_columns(db: str) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    result = subprocess.run(
        [sys.executable, "-m", "kodeks.cli.main", "show", "tree", LONG_CODE, "--db", db],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 3
    assert LONG_CODE in one_error_line(result.stderr)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("notaurl", "'notaurl' is not a database URL; use sqlite:///PATH or postgresql://"),
        ("mysql://kodeks:secret@localhost/kodeks", "database URL scheme 'mysql' is not supported"),
        ("sqlite://kodeks.sqlite", "a SQLite URL has three slashes"),
        ("sqlite:///no/such/folder/kodeks.sqlite", "the folder no/such/folder does not exist"),
        (
            "postgresql://kodeks:secret@127.0.0.1:1/kodeks",
            "cannot open postgresql+psycopg://kodeks:***@127.0.0.1:1",
        ),
    ],
    ids=["not-a-url", "mysql", "two-slashes", "missing-folder", "unreachable-postgresql"],
)
def test_a_bad_db_is_one_clear_line_and_creates_nothing(
    url: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["list", "--db", url]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert says in line
    assert "secret" not in line
    assert list(tmp_path.iterdir()) == []


def test_a_bad_database_url_in_the_environment_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KODEKS_DATABASE_URL", "kodeks")
    assert run(["show", "kle", "27.24.00"]) == 1
    assert "'kodeks' is not a database URL" in one_error_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["show"], "Missing argument 'ID'. (see: kodeks show --help)"),
        (["show", "--nope", "a", "b"], "No such option: --nope"),
        (["nope"], "No such command 'nope'."),
    ],
)
def test_usage_errors_are_one_line_too(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(args) == 2
    assert says in one_error_line(capsys.readouterr().err)
