"""The valid time of model versions: [valid-from, next version's valid-from); --at picks the version."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import model_formats
from kodeks.cli.main import run
from kodeks.domain.models.validity import valid_periods, version_at
from kodeks.domain.period import Period
from kodeks.errors import NotFound
from kodeks.services.models import exporting, library
from tests.factories import memory_registry
from tests.models.conftest import SMALL_XMI

D = date


def test_periods_end_where_the_next_version_begins() -> None:
    assert valid_periods([(1, D(2026, 1, 1)), (2, D(2026, 7, 1))]) == {
        1: Period(D(2026, 1, 1), D(2026, 7, 1)),
        2: Period(D(2026, 7, 1), None),
    }
    # no stated valid time at all: the newest version governs always (as before valid time)
    assert valid_periods([(1, None), (2, None)]) == {1: None, 2: Period(None, None)}
    # a version without one begins where the one before began, and corrects it
    assert valid_periods([(1, D(2026, 1, 1)), (2, None)]) == {1: None, 2: Period(D(2026, 1, 1), None)}
    # a later-recorded version valid from an earlier date governs until the earlier-recorded one begins
    assert valid_periods([(1, D(2026, 7, 1)), (2, D(2026, 1, 1))]) == {
        1: Period(D(2026, 7, 1), None),
        2: Period(D(2026, 1, 1), D(2026, 7, 1)),
    }
    versions = [(1, D(2026, 1, 1)), (2, D(2026, 7, 1))]
    assert [version_at(versions, d) for d in (D(2025, 12, 31), D(2026, 6, 30), D(2026, 7, 1))] == [None, 1, 2]


SECOND = SMALL_XMI.replace(b'name="Aktoer"', b'name="Aktor"')


def test_export_at_a_date_takes_the_version_valid_then(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'valid.sqlite'}"
    first, second = tmp_path / "v1.xmi", tmp_path / "v2.xmi"
    first.write_bytes(SMALL_XMI)
    second.write_bytes(SECOND)
    for path, day in ((first, "2026-01-01"), (second, "2026-07-01")):
        assert run(["models", "import", str(path), "--model", "sag", "--valid-from", day, "--db", db]) == 0
    capsys.readouterr()
    assert run(["models", "versions", "sag", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "valid [2026-01-01, 2026-07-01)" in lines[0] and "valid [2026-07-01, ∞)" in lines[1]
    names = {}
    for day in ("2026-03-01", "2026-07-01"):
        target = tmp_path / f"{day}.json"
        args = ["models", "export", "sag", "--format", "jsonschema", "--at", day, "-o", str(target)]
        assert run([*args, "--db", db]) == 0
        names[day] = set(json.loads(target.read_text())["$defs"])
    assert "Aktoer" in names["2026-03-01"] and "Aktor" not in names["2026-03-01"]
    assert "Aktor" in names["2026-07-01"] and "Aktoer" not in names["2026-07-01"]
    # before the first version's valid time: no version, named so
    assert (
        run(["models", "export", "sag", "--format", "xmi", "--at", "2025-01-01", "-o", "x", "--db", db]) != 0
    )
    assert "no version of model 'sag' is valid on 2025-01-01" in capsys.readouterr().err


def test_the_api_gives_each_version_its_valid_time() -> None:
    kodeks = memory_registry()
    formats = model_formats()
    library.import_model(kodeks.uow, kodeks.models, formats, SMALL_XMI, "a.xmi", valid_from=D(2026, 1, 1))
    library.import_model(kodeks.uow, kodeks.models, formats, SECOND, "b.xmi", model_id="sag")
    client = TestClient(create_app(kodeks), raise_server_exceptions=False)
    body = client.get("/api/v1/models/sag/versions").json()
    # the second states no valid-from: it begins where the first began, and corrects it
    assert [v["valid"] for v in body] == [None, {"from": "2026-01-01", "to": None}]
    assert [v["valid_from"] for v in body] == ["2026-01-01", None]
    exported = client.get("/api/v1/models/sag/export", params={"format": "jsonschema", "at": "2026-02-01"})
    assert "Aktor" in exported.json()["$defs"]
    with pytest.raises(NotFound):
        exporting.export_model(kodeks.uow, kodeks.models, formats, "sag", "xmi", at=D(2025, 1, 1))
