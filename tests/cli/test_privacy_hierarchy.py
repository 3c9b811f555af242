"""A generalization hierarchy straight from the registry, for the privacy tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.privacy.hierarchy import from_arx_csv
from tests.factories import record, tree_bundle


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    record(build(Settings(database_url=url)), tree_bundle())
    return url


def test_the_registry_hierarchy_as_valid_on_a_date(db: str, tmp_path: Path) -> None:
    out = tmp_path / "tree.csv"
    assert (
        run(["privacy", "hierarchy", "tree", str(out), "--at", "2011-05-01", "--level", "3", "--db", db]) == 0
    )
    rows = [line.split(";") for line in out.read_text().splitlines()]
    assert ["10.01.05", "10.01", "10", "*"] in rows
    assert all(len(r) == 4 for r in rows)
    later = tmp_path / "later.csv"
    assert (
        run(["privacy", "hierarchy", "tree", str(later), "--at", "2013-05-01", "--level", "3", "--db", db])
        == 0
    )
    codes = {line.split(";")[0] for line in later.read_text().splitlines()}
    assert "10.01.05" not in codes and "20.02.01" in codes
    assert from_arx_csv(later, "tree").height == 4


def test_an_empty_level_and_a_bad_date_are_clear_errors(db: str, tmp_path: Path) -> None:
    assert run(["privacy", "hierarchy", "tree", str(tmp_path / "x.csv"), "--level", "7", "--db", db]) == 5
    assert (
        run(["privacy", "hierarchy", "tree", str(tmp_path / "x.csv"), "--at", "2019-02-30", "--db", db]) == 5
    )
    assert not (tmp_path / "x.csv").exists()
