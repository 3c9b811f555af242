"""The CLI verbs against a SQLite file: parse → service → print, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from tests.factories import record, tree_bundle


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    record(build(Settings(database_url=url)), tree_bundle())
    return url


def test_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["list", "--db", db]) == 0
    assert "tree" in capsys.readouterr().out


def test_show_json_at_a_date(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["show", "tree", "10.01.05", "--at", "2011-05-01", "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["replaced_by"] == ["20.02.01"]
    assert data["valid_to"] == "2012-01-01"


def test_show_human(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["show", "tree", "10.01.05", "--at", "2011-05-01", "--db", db]) == 0
    text = capsys.readouterr().out
    assert "Gammel ordning" in text and "replaced by 20.02.01" in text


def test_show_not_valid_exits_3_with_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["show", "tree", "10.01.05", "--at", "2013-05-01", "--db", db]) == 3
    assert "is not valid on 2013-05-01" in capsys.readouterr().err


def test_changes(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["changes", "tree", "--from", "2010-06-01", "--to", "2013-01-01", "--json", "--db", db]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["moved"] == [{"old": "10.01.05", "new": "20.02.01", "kind": "replaced"}]


def test_bad_dates_exit_5(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["changes", "tree", "--from", "2013-02-30", "--to", "2014-01-01", "--db", db]) == 5
    assert "--from" in capsys.readouterr().err
    assert run(["show", "tree", "10", "--known-at", "soon", "--db", db]) == 5


def test_import_missing_file_and_unknown_format(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["import", str(tmp_path / "nope.xml"), "--db", db]) == 5
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02 not a classification")
    assert run(["import", str(junk), "--db", db]) == 4
    assert "junk.bin" in capsys.readouterr().err


def test_usage_error_exits_2(db: str) -> None:
    assert run(["show", "--db", db]) == 2
