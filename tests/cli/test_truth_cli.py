"""The CLI on the real KLE 2023 and 2026 releases: inferences reported, moves proposed, a repeated
import records nothing, an inferred code shown as such, a file's own date used."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from kodeks.cli.main import run
from tests.conftest import data_file

OS2MO = "kle/os2mo_kle_2023_emner.csv"
OS2KLE = "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt"


IMPORT_2026 = ["import", str(data_file(OS2KLE)), "--release", "KLE 2026-02", "--release-date", "2026-02-01"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A database with the 2023 and 2026 releases, and what the 2026 import printed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('truth') / 'kle.sqlite'}"
    assert run(["import", str(data_file(OS2MO)), "--release-date", "2023-01-01", "--db", url]) == 0
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert run([*IMPORT_2026, "--db", url]) == 0
    return url, printed.getvalue()


def test_an_import_reports_what_the_structural_rule_inferred(loaded: tuple[str, str]) -> None:
    _, out = loaded
    assert "18 groups retired (no child left): 01.16, 03.16" in out
    assert "29 parents inferred without a title (in no release): 00.75, 01.18" in out


def test_the_same_import_again_records_nothing(
    loaded: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = loaded
    assert run([*IMPORT_2026[:2], "--release-date", "2026-02-01", "--db", db]) == 0
    assert "already imported as version 'KLE 2026-02'" in capsys.readouterr().out
    assert run([*IMPORT_2026[:2], "--release", "Other", "--release-date", "2026-02-01", "--db", db]) != 0
    assert "already imported as version 'KLE 2026-02'" in capsys.readouterr().err
    run(["list", "--json", "--db", db])
    [kle] = [c for c in json.loads(capsys.readouterr().out) if c["id"] == "kle"]
    assert len(kle["versions"]) == 2


def test_an_inferred_code_says_so(loaded: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = loaded
    assert run(["show", "kle", "34", "--at", "2026-06-01", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "(no title in any release)" in out and "its title is not in this release" in out


def test_changes_propose_moves(loaded: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = loaded
    args = ["changes", "kle", "--from", "2025-01-01", "--to", "2026-06-01", "--propose-moves", "--db", db]
    assert run([*args, "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert ("27.24.20", "34.15.61") in {(p["old"], p["new"]) for p in body["proposed_moves"]}
    assert run(args) == 0
    assert "proposed moves" in capsys.readouterr().out


def test_a_file_that_states_its_date_needs_no_release_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fsiii.sqlite'}"
    assert run(["import", str(data_file("fsiii/CodeSystem-FSIII.json")), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "(2024-05-30)" in out and "from the file's CodeSystem.version 20240530" in out
