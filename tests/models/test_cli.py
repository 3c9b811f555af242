"""``kodeks models …`` (contract names): import, list --json, check, export, diff; one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kodeks.cli.main import run
from tests.conftest import data_file
from tests.models.conftest import NEMKONTO, SMALL_XMI


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'models.sqlite'}"


def test_import_list_check_export_round_trip(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nemkonto = data_file(NEMKONTO)
    assert run(["models", "import", str(nemkonto), "--model", "nemkonto", "--db", db]) == 0
    assert (
        "imported model nemkonto version 1 from xmi: 8 classes, 16 attributes, 20 associations"
        in capsys.readouterr().out
    )
    assert run(["models", "import", str(nemkonto), "--model", "nemkonto", "--db", db]) == 0
    assert "already held as version 1" in capsys.readouterr().out
    assert run(["models", "list", "--json", "--db", db]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert {
        k: listed[k] for k in ("id", "classes", "attributes", "associations", "enumerations", "concepts")
    } == {
        "id": "nemkonto",
        "classes": 8,
        "attributes": 16,
        "associations": 20,
        "enumerations": 0,
        "concepts": 3,
    }
    assert run(["models", "check", "nemkonto", "--json", "--db", db]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["uri"] >= 1 and {r["id"] for r in report["rules"]} >= {"definition", "uri"}
    exported = tmp_path / "nk.xmi"
    assert run(["models", "export", "nemkonto", "--format", "xmi", "-o", str(exported), "--db", db]) == 0
    capsys.readouterr()
    assert run(["models", "import", str(exported), "--model", "nemkonto", "--db", db]) == 0
    assert "version 2" in capsys.readouterr().out
    assert run(["models", "diff", "nemkonto", "1", "2", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["classes_changed"] == []


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["models", "show", "nope"], 3, "no model 'nope'"),
        (["models", "export", "nope", "--format", "xmi", "-o", "x"], 3, "no model"),
        (["models", "import", "missing.xmi"], 5, "no such file"),
    ],
)
def test_errors_are_one_line(
    db: str, args: list[str], code: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*args, "--db", db]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0]


def test_a_bad_file_is_exit_4_and_records_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xmi"
    bad.write_bytes(SMALL_XMI.replace(b'general="EAID_C3"', b'general="EAID_X"'))
    assert run(["models", "import", str(bad), "--db", db]) == 4
    assert "EAID_X" in capsys.readouterr().err
    assert run(["models", "list", "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_bind_and_from_classification(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.formats.models_xmi import read_xmi
    from tests.factories import record, tree_bundle

    db = f"sqlite:///{tmp_path / 'bound.sqlite'}"
    record(build(Settings(database_url=db)), tree_bundle())
    small = tmp_path / "sag.xmi"
    small.write_bytes(SMALL_XMI)
    assert run(["models", "import", str(small), "--model", "sag", "--db", db]) == 0
    assert run(["models", "bind", "sag", "Sag.emne", "tree", "--at", "2013-01-01", "--db", db]) == 0
    assert "bound EAID_A2 of sag to tree" in capsys.readouterr().out
    shapes = tmp_path / "sag.shacl.ttl"
    assert run(["models", "export", "sag", "--format", "shacl", "-o", str(shapes), "--db", db]) == 0
    assert '"20.02.01"' in shapes.read_text()
    enum = tmp_path / "tree.xmi"
    args = ["models", "from-classification", "tree", "--as", "enumeration", "--at", "2013-01-01"]
    assert run([*args, "-o", str(enum), "--db", db]) == 0
    (enumeration,) = read_xmi(enum.read_bytes(), "tree.xmi").enumerations()
    assert "20.02.01" in {lit.name for lit in enumeration.literals}
    sheet = tmp_path / "tree.xlsx"
    args = ["models", "from-classification", "tree", "--as", "conceptlist", "-o", str(sheet), "--db", db]
    assert run(args) == 0
    assert load_workbook(sheet)["Begrebsliste DA"].max_row > 3
    assert run(["models", "from-classification", "tree", "--as", "table", "-o", str(sheet), "--db", db]) == 5


def test_status(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small = tmp_path / "sag.xmi"
    small.write_bytes(SMALL_XMI)
    assert run(["models", "import", str(small), "--model", "sag", "--db", db]) == 0
    assert run(["models", "status", "sag", "--db", db]) == 0
    assert "sag version 1: draft" in capsys.readouterr().out
    assert run(["models", "status", "sag", "review", "--db", db]) == 0
    assert run(["models", "status", "sag", "published", "--db", db]) == 1  # the same user: four eyes
    assert "four eyes" in capsys.readouterr().err
