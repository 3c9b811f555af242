"""``kodeks demo`` loads the bundled open data once; run again it loads nothing and says so."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.services.governance import identity
from kodeks.services.search import SearchQuery, search
from kodeks.storage.governance import open_governance


def test_demo_loads_bundled_open_data_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    no_real_data = str(tmp_path / "no-shared-data")
    assert run(["demo", "--no-serve", "--shared-data", no_real_data, "--db", db]) == 0
    first = capsys.readouterr().out
    for cid in ("db07", "isco-08", "eu-countries", "eu-file-types", "eu-data-themes", "dagi-kommuner"):
        assert f"loaded {cid}" in first
    assert "loaded fda-principper" in first
    assert (
        "requirements: 10 published, questionnaire arkitektur-screening v1, tender set aarhus-udbud-demo"
        in (" ".join(first.split()))
    )
    assert "catalog:" in first and "no real-data folder" in first
    assert "demo-redaktoer" in first and "demo-godkender" in first
    tokens = tmp_path / "kodeks-demo-tokens.txt"
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    secrets = [line.split("\t")[2] for line in tokens.read_text().splitlines() if not line.startswith("#")]
    assert len(secrets) == 2 and all(s in first for s in secrets)  # printed once, and kept

    assert run(["demo", "--no-serve", "--shared-data", no_real_data, "--db", db]) == 0
    second = capsys.readouterr().out
    assert "loaded db07" not in second and "demo-redaktoer  editor" not in second
    assert "requirements:" not in second
    assert "nothing new to load" in second and "already loaded, skipped: db07" in " ".join(second.split())
    assert "kodeks-demo-tokens.txt" in second.replace("\n", "")

    kodeks = build(Settings(database_url=db, environment="test"))
    gov = open_governance(kodeks.engine, kodeks.settings, kodeks.listeners)
    assert identity.authenticate(gov, secrets[0]).user_id == "demo-redaktoer"
    assert identity.authenticate(gov, secrets[1]).user_id == "demo-godkender"
    assert run(["show", "db07", "01.11.00", "--json", "--db", db]) == 0
    assert '"parent": "01.11"' in capsys.readouterr().out


def test_demo_municipalities_are_a_searchable_classification(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert run(["demo", "--no-serve", "--shared-data", str(tmp_path / "none"), "--db", db]) == 0
    kodeks = build(Settings(database_url=db, environment="test"))
    result = search(kodeks.uow, kodeks.search_index, SearchQuery("Aarhus", classification="dagi-kommuner"))
    assert [(h.code, h.title) for h in result.hits][:1] == [("751", "Aarhus")]
    from kodeks.services import queries

    items = queries.items(kodeks.uow, "dagi-kommuner", queries.When.of())
    assert sum(1 for i in items if i.level == 2) == 98 and sum(1 for i in items if i.level == 1) == 5
    assert {i.code: i.parent for i in items}["751"] == "1082"
