"""The CLI verbs against a SQLite file: parse → service → print, and exit codes."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.console import Console

from kodeks.bootstrap import build
from kodeks.cli import main
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.domain.release import ReleaseKind
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


LONG_ID = "kle-handlingsfacetter-og-stikord"


@pytest.fixture
def two_releases(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'list.sqlite'}"
    kodeks = build(Settings(database_url=url))
    record(kodeks, tree_bundle(date(2015, 8, 1), cid=LONG_ID), at=datetime(2026, 3, 1, 10, 0, 0))
    record(kodeks, tree_bundle(date(2023, 1, 1), kind=ReleaseKind.SNAPSHOT, cid=LONG_ID))
    return url


def test_an_empty_list_says_how_to_fill_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert run(["list", "--db", url]) == 0
    assert capsys.readouterr().out.startswith("no classifications yet: kodeks import FILE")
    assert run(["list", "--json", "--db", url]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_list_json_gives_every_version(two_releases: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["list", "--json", "--db", two_releases]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["id"] == LONG_ID and listed["title"] == "Testplan" and listed["owner"] == "Test"
    assert [v["release_date"] for v in listed["versions"]] == ["2015-08-01", "2023-01-01"]
    assert listed["versions"][0]["valid_to"] == "2023-01-01" and listed["versions"][1]["valid_to"] is None
    assert listed["versions"][0]["recorded_at"].startswith("2026-03-01T10:00:00")


@pytest.mark.parametrize("width", [30, 60, 120])
def test_list_shows_ids_in_full_and_the_versions_at_any_width(
    two_releases: str, width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main, "out", Console(width=width))
    assert run(["list", "--db", two_releases]) == 0
    text = capsys.readouterr().out
    assert LONG_ID in text  # on one line, untruncated
    assert "…" not in text
    folded = "".join(text.split())
    assert "2015-08-01:" in folded and "2023-01-01:" in folded


def test_known_at_before_the_first_import_says_when_it_was_first_recorded(
    two_releases: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["show", LONG_ID, "10", "--known-at", "2026-01-01T00:00:00Z", "--db", two_releases]
    assert run(args) == 3
    assert capsys.readouterr().err.strip() == (
        f"error: '{LONG_ID}' was first recorded at 2026-03-01T10:00:00Z; "
        "nothing was known of it at 2026-01-01T00:00:00Z"
    )
    assert run(["export", LONG_ID, "--format", "csv", "--known-at", "2025-06-01", "--db", two_releases]) == 3
    assert "was first recorded at 2026-03-01T10:00:00Z" in capsys.readouterr().err
    assert run(["show", "nope", "10", "--known-at", "2025-06-01", "--db", two_releases]) == 3
    assert "no classification 'nope'" in capsys.readouterr().err


PLAN_ARGS = [
    "--classification",
    "plan",
    "--release-date",
    "2024-01-01",
    "--map",
    "code=code",
    "--map",
    "title=title",
]
PLAN_ARGS += ["--map", "parent=parent", "--option", "lang=da"]


def test_an_import_shows_its_progress_on_a_terminal(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "plan.csv"
    source.write_text("code,title,parent\n1,Et,\n1.1,Et et,1\n", encoding="utf-8")
    terminal = io.StringIO()
    monkeypatch.setattr(main, "err", Console(file=terminal, force_terminal=True, width=100))
    assert run(["import", str(source), *PLAN_ARGS, "--db", db]) == 0
    shown = terminal.getvalue()
    assert "plan.csv: parsing" in shown and "plan.csv: recording plan" in shown
    assert "imported plan" in capsys.readouterr().out


def test_an_import_is_quiet_when_stderr_is_not_a_terminal(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.csv"
    source.write_text("code,title,parent\n1,Et,\n1.1,Et et,1\n", encoding="utf-8")
    assert run(["import", str(source), *PLAN_ARGS, "--db", db]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "imported plan" in captured.out
