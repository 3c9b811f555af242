"""``kodeks requirements ...`` and ``kodeks screening ...`` against a file database."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kodeks.cli.main import run
from tests.requirements.world import build


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A file database with the principles and catalog entries (built in memory, then backed up)."""
    import sqlite3

    world = build()
    path = tmp_path_factory.mktemp("reqcli") / "kodeks.sqlite"
    source = world.kodeks.engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        source.driver_connection.backup(target)  # type: ignore[union-attr]
        target.close()
    finally:
        source.close()
    return f"sqlite:///{path}"


def test_seed_export_answer_compare(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["requirements", "seed", "--db", db]) == 0
    assert "10 requirement(s) published, requirement set ski-arkitektur created" in capsys.readouterr().out
    assert run(["requirements", "seed", "--db", db]) == 0
    assert "0 requirement(s) published" in capsys.readouterr().out
    assert run(["requirements", "list", "--principle", "8", "--db", db]) == 0
    assert "ARK-09" in capsys.readouterr().out
    sheet = tmp_path / "krav.xlsx"
    assert run(["requirements", "export", "ski-arkitektur", "-f", "xlsx", "-o", str(sheet), "--db", db]) == 0
    assert f"10 requirement(s) written to {sheet}" in " ".join(capsys.readouterr().out.split())
    book = openpyxl.load_workbook(sheet)
    book["Krav"]["B2"], book["Krav"]["K4"], book["Krav"]["K5"] = "Alfa", "Ja", "Nej"
    filled = tmp_path / "alfa.xlsx"
    book.save(filled)
    capsys.readouterr()
    assert run(["requirements", "answers", "ski-arkitektur", str(filled), "--db", db]) == 0
    assert "10 answer(s) from Alfa imported" in capsys.readouterr().out
    assert run(["requirements", "compare", "ski-arkitektur", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Alfa: 1 ja, 0 delvist, 1 nej, 8 ubesvaret" in " ".join(out.split())
    for fmt in ("docx", "reqif"):
        target = tmp_path / f"krav.{fmt}"
        assert (
            run(["requirements", "export", "ski-arkitektur", "-f", fmt, "-o", str(target), "--db", db]) == 0
        )
        assert target.stat().st_size > 1000
    template = tmp_path / "skabelon.docx"
    template.write_bytes((tmp_path / "krav.docx").read_bytes())
    args = ["requirements", "export", "ski-arkitektur", "-f", "docx", "-o", str(tmp_path / "t.docx")]
    assert run([*args, "--template", str(template), "--db", db]) == 0
    assert run([*args[:4], "-f", "xlsx", "--template", str(template), "--db", db]) != 0
    assert run(["requirements", "import", str(tmp_path / "krav.reqif"), "--db", db]) == 0
    assert "0 requirement(s) published" in capsys.readouterr().out  # the same content is held already


def test_import_refuses_bad_files_with_one_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert run(["requirements", "import", str(bad), "--db", db]) != 0
    assert "not JSON" in capsys.readouterr().err
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"owner": "kl", "requirements": [{"id": "X"}]}))
    assert run(["requirements", "import", str(wrong), "--db", db]) != 0
    assert capsys.readouterr().err.strip().count("\n") == 0
    hostile = tmp_path / "bomb.reqif"
    hostile.write_bytes(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><REQ-IF>&b;</REQ-IF>')
    assert run(["requirements", "import", str(hostile), "--db", db]) != 0
    assert run(["requirements", "answers", "ski-arkitektur", str(bad), "--db", db]) != 0
    assert run(["requirements", "export", "nope", "--db", db]) != 0


def test_screening_define_run_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["screening", "define", "--db", db]) == 0
    assert "questionnaire arkitektur-screening version 1: 8 questions" in capsys.readouterr().out
    answers = {
        "personoplysninger": "nej",
        "sager": "ja",
        "brugere": "ingen",
        "data": "nej",
        "omfang": "afdeling",
        "ydelser": "nej",
        "breve": "nej",
        "stoerrelse": "lille",
    }
    args = [a for q, o in answers.items() for a in ("-a", f"{q}={o}")]
    assert run(["screening", "run", "arkitektur-screening", "--project", "Lille app", *args, "--db", db]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "score 3 of 25: architecture attention Lav" in out and "classifications: kle" in out
    assert run(["screening", "run", "arkitektur-screening", "--project", "X", "-a", "sager", "--db", db]) != 0
    assert run(["screening", "list", "--db", db]) == 0
    assert "Lille app" in capsys.readouterr().out
