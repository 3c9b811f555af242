"""A thesaurus' group becomes a sortiment: ``kodeks local sortiment from-group`` (Skosmos ``groups.ttl``,
where group ``fish`` nests ``sub``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.services import importing
from kodeks.services.local import sortiments
from kodeks.services.queries import When
from kodeks.storage.local import open_local_store
from tests.conftest import data_file

CID = "test-conceptscheme-with-groups"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kodeks.sqlite'}"
    kodeks = build(Settings(database_url=url))
    path = data_file("skos_skosmos_test_vocabs/groups.ttl")
    importing.import_data(
        kodeks.uow, kodeks.formats, path.read_bytes(), path.name, release_date=date(2020, 1, 1)
    )
    kodeks.engine.dispose()
    return url


def test_a_group_and_its_nested_groups_become_a_sortiment(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["local", "sortiment", "from-group", CID, "salt", "--id", "salt-fish", "--owner", "KL"]
    assert run([*args, "--valid-from", "2024-01-01", "--db", db]) == 0
    assert "2 codes of salt" in capsys.readouterr().out
    assert (
        run(["local", "sortiment", "from-group", CID, "fish", "--id", "fish", "--owner", "KL", "--db", db])
        == 0
    )
    kodeks = build(Settings(database_url=db))
    (stored,) = sortiments.versions(kodeks.uow, open_local_store, "fish")
    assert [e.code for e in stored.sortiment.entries] == ["ta111"]  # through the nested group "sub"
    assert stored.sortiment.titles == {"en": "Fish"}
    found = sortiments.codes(kodeks.uow, open_local_store, "salt-fish", When.of())
    assert {c.entry.code for c in found.valid} == {"ta111", "ta113"}
    assert (
        run(["local", "sortiment", "from-group", CID, "nope", "--id", "x", "--owner", "KL", "--db", db]) != 0
    )
    assert "no group 'nope'" in capsys.readouterr().err
    kodeks.engine.dispose()
