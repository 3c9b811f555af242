"""``kodeks catalog ...``: every command against a file database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from tests.factories import tree_bundle
from tests.search.backends import load


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'kodeks.sqlite'}"
    kodeks = build(Settings(database_url=url))
    load(kodeks, tree_bundle())
    kodeks.engine.dispose()
    return url


def test_seed_list_show(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["catalog", "seed", "--db", db]) == 0
    assert "created" in capsys.readouterr().out
    assert run(["catalog", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "form" in listed and "tree" in listed
    assert run(["catalog", "show", "sks", "--db", db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["publisher"] == "Sundhedsdatastyrelsen" and shown["themes"] == ["HEAL"]


def test_add_search_export_reindex(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["catalog", "add", "postnumre", "--title-da", "Postnumre", "--theme", "REGI", "--db", db]) == 0
    assert run(["catalog", "search", "postnumre", "--json", "--db", db]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("[") :])[0]["classification"] == "postnumre"
    target = tmp_path / "catalog.ttl"
    assert run(["catalog", "export", "--format", "ttl", "-o", str(target), "--db", db]) == 0
    assert b"dcat:Dataset" in target.read_bytes()
    assert run(["catalog", "reindex", "--db", db]) == 0
    assert run(["catalog", "search", "undervisning", "--db", db]) == 0
    assert "10.01" in capsys.readouterr().out


def test_import_sheet_and_errors(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "katalog.csv"
    sheet.write_text("id,titel,udgiver\nvejnavne,Vejnavne,Kommunen\n", encoding="utf-8")
    assert run(["catalog", "import-sheet", str(sheet), "--db", db]) == 0
    assert "1 created" in capsys.readouterr().out
    sheet.write_text("id,farve\nx,blå\n", encoding="utf-8")
    assert run(["catalog", "import-sheet", str(sheet), "--db", db]) == 4
    assert run(["catalog", "import-sheet", str(tmp_path / "missing.csv"), "--db", db]) == 5
    assert run(["catalog", "show", "nope", "--db", db]) == 3
    assert run(["catalog", "search", "x" * 600, "--db", db]) == 5
    assert run(["catalog", "search", "skole", "--at", "igår", "--db", db]) == 5
    assert run(["catalog", "export", "--format", "pdf", "--db", db]) == 5
    assert "error" in capsys.readouterr().err
