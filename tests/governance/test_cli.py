"""``kodeks governance``: the same rules from the command line, on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kodeks.cli.main import run
from tests.conftest import data_file


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'gov.sqlite'}"
    steps = [
        ["orgs", "add", "751", "Aarhus Kommune", "--kind", "municipality"],
        ["users", "add", "anna", "--org", "751", "--name", "Anna"],
        ["users", "add", "bo", "--org", "751", "--name", "Bo"],
        ["roles", "assign", "anna", "owner", "--organisation", "751"],
        ["roles", "assign", "bo", "reviewer", "--organisation", "751"],
        ["create-classification", "sager", "--title", "Sagsplan", "--owner", "751", "--as", "anna"],
    ]
    for step in steps:
        assert run(["governance", *step, "--db", url]) == 0, step
    return url


def gov(db: str, *args: str) -> int:
    return run(["governance", *args, "--db", db])


def test_a_change_set_from_draft_to_published(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        gov(
            db,
            "changeset",
            "create",
            "sager",
            "--title",
            "Første",
            "--label",
            "2025.1",
            "--effective",
            "2025-01-01",
            "--as",
            "anna",
        )
        == 0
    )
    cs = capsys.readouterr().out.strip().splitlines()[-1]
    assert (
        gov(db, "changeset", "add", cs, "01", "--title", "Borgerservice", "--level", "1", "--as", "anna") == 0
    )
    assert (
        gov(
            db,
            "changeset",
            "add",
            cs,
            "01.01",
            "--title",
            "Pas",
            "--parent",
            "01",
            "--level",
            "2",
            "--as",
            "anna",
        )
        == 0
    )
    assert gov(db, "changeset", "add", cs, "01", "--title", "Borgerservice i alt", "--as", "anna") == 0
    assert gov(db, "changeset", "submit", cs, "--as", "anna") == 0
    capsys.readouterr()
    assert gov(db, "changeset", "approve", cs, "--as", "anna") == 1
    assert "four-eyes" in capsys.readouterr().err
    assert gov(db, "changeset", "approve", cs, "--as", "bo") == 0
    assert gov(db, "changeset", "publish", cs, "--as", "bo") == 2  # --note is required
    assert gov(db, "changeset", "publish", cs, "--note", "Første udgave", "--as", "bo") == 0
    assert "published 2025.1: 2 records added" in capsys.readouterr().out
    assert run(["show", "sager", "01", "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["titles"]["da"] == "Borgerservice i alt"
    assert gov(db, "audit", "sager", "--json", "--as", "bo") == 0
    trail = json.loads(capsys.readouterr().out)
    assert [e["action"] for e in trail][-1] == "changeset.publish" and trail[-1]["note"] == "Første udgave"


def test_rejection_needs_a_reason_and_roles_apply(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        gov(
            db,
            "changeset",
            "create",
            "sager",
            "--title",
            "x",
            "--label",
            "x",
            "--effective",
            "2025-01-01",
            "--as",
            "anna",
        )
        == 0
    )
    cs = capsys.readouterr().out.strip().splitlines()[-1]
    assert gov(db, "changeset", "add", cs, "01", "--title", "A", "--as", "bo") == 1
    assert "no role that allows draft" in capsys.readouterr().err
    assert gov(db, "changeset", "add", cs, "0 1", "--title", "A", "--as", "anna") == 5
    assert gov(db, "changeset", "add", cs, "01", "--title", "A", "--as", "anna") == 0
    assert gov(db, "changeset", "submit", cs, "--as", "anna") == 0
    assert gov(db, "changeset", "reject", cs, "--reason", " ", "--as", "bo") == 5
    assert gov(db, "changeset", "reject", cs, "--reason", "Ikke nu", "--as", "bo") == 0
    capsys.readouterr()
    assert gov(db, "changeset", "show", cs, "--as", "bo") == 0
    assert "rejected" in capsys.readouterr().out


def test_tokens_are_printed_once_and_revocable(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert gov(db, "tokens", "issue", "anna", "--name", "laptop", "--days", "7") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    secret, token_id = lines[-1], lines[0].split()[1]
    assert secret.startswith("kodeks_")
    assert gov(db, "tokens", "list", "anna") == 0
    listed = capsys.readouterr().out
    assert token_id in listed and secret not in listed
    assert gov(db, "tokens", "revoke", token_id, "--reason", "lost") == 0
    assert gov(db, "tokens", "revoke", token_id) == 1
    assert gov(db, "tokens", "list", "anna") == 0
    assert "revoked" in capsys.readouterr().out


def test_policy_and_roles(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert gov(db, "policy", "sager", "--private", "--no-four-eyes", "--as", "anna") == 0
    assert "public read off, four eyes off" in capsys.readouterr().out
    assert gov(db, "policy", "sager", "--public", "--as", "bo") == 1
    assert gov(db, "roles", "assign", "bo", "reader", "--as", "anna") == 5
    assert (
        gov(
            db,
            "roles",
            "assign",
            "bo",
            "editor",
            "--classification",
            "sager",
            "--codes",
            "01.*",
            "--as",
            "anna",
        )
        == 0
    )
    assert gov(db, "roles", "list", "--user", "bo") == 0
    assert "editor on classification sager codes 01.*" in capsys.readouterr().out


def test_municipalities_seed_from_the_dawa_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_file("dk_municipalities/dawa_testdata_dagi_kommune.json")
    assert gov(db, "orgs", "seed-municipalities", str(path)) == 0
    assert "known already" in capsys.readouterr().out
    assert gov(db, "orgs", "list", "--json") == 0
    found = {o["id"]: o["name"] for o in json.loads(capsys.readouterr().out)}
    assert found["751"] == "Aarhus Kommune" and found["165"] == "Albertslund Kommune"
