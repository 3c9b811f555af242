"""Governance of models: owners, editors and reviewers per model, through the API and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.governance.identity import Organisation, OrgKind, User, system_actor
from kodeks.services.governance import identity
from kodeks.storage.governance import open_governance
from tests.factories import record, tree_bundle
from tests.models.conftest import SMALL_XMI

URL = "/api/v1/models"
PEOPLE = ("anne", "bo", "carl", "dora")


@pytest.fixture(scope="module")
def world() -> tuple[Kodeks, dict[str, dict[str, str]]]:
    kodeks = build(Settings(database_url="sqlite://", read_cache_seconds=0.0))  # type: ignore[call-arg]
    record(kodeks, tree_bundle())
    gov = open_governance(kodeks.engine, kodeks.settings, kodeks.listeners)
    admin = system_actor("setup")
    identity.create_organisation(gov, admin, Organisation("751", "Kommune 751", OrgKind.MUNICIPALITY))
    auth = {}
    for who in PEOPLE:
        identity.create_user(gov, admin, User(who, "751", who.title()))
        auth[who] = {"Authorization": f"Bearer {identity.issue_token(gov, admin, who, 'test').secret}"}
    return kodeks, auth


@pytest.fixture(scope="module")
def client(world: tuple[Kodeks, dict[str, dict[str, str]]]) -> TestClient:
    return TestClient(create_app(world[0]), raise_server_exceptions=False)


def test_the_importer_owns_a_new_model_and_others_need_a_role(
    world: tuple[Kodeks, dict[str, dict[str, str]]], client: TestClient
) -> None:
    _kodeks, auth = world
    new = client.post(f"{URL}?filename=sag.xmi&model=owned", content=SMALL_XMI, headers=auth["anne"])
    assert new.status_code == 201, new.text
    mine = client.get("/api/v1/me", headers=auth["anne"]).json()["roles"]
    assert [(r["role"], r["resource_kind"], r["resource_id"]) for r in mine] == [("owner", "model", "owned")]
    # carl has no role on the model: no binding, no status change, no new version, no grant
    bind = client.put(
        f"{URL}/owned/bindings/Sag.emne", params={"classification": "tree"}, headers=auth["carl"]
    )
    assert bind.status_code == 403, bind.text
    status = client.put(f"{URL}/owned/status", params={"to": "review"}, headers=auth["carl"])
    assert status.status_code == 403
    changed = SMALL_XMI.replace(b'name="titel"', b'name="overskrift"')
    again = client.post(f"{URL}?filename=sag2.xmi&model=owned", content=changed, headers=auth["carl"])
    assert again.status_code == 403
    assert [v["version"] for v in client.get(f"{URL}/owned/versions").json()] == [1]
    grant = client.post(f"{URL}/owned/roles", json={"user": "carl", "role": "owner"}, headers=auth["carl"])
    assert grant.status_code == 403
    # anonymous callers are asked to sign in
    assert client.put(f"{URL}/owned/status", params={"to": "review"}).status_code == 401


def test_the_owner_grants_an_editor_who_may_bind_and_send_to_review(
    world: tuple[Kodeks, dict[str, dict[str, str]]], client: TestClient
) -> None:
    _kodeks, auth = world
    assert (
        client.post(
            f"{URL}?filename=sag.xmi&model=edited", content=SMALL_XMI, headers=auth["anne"]
        ).status_code
        == 201
    )
    grant = client.post(f"{URL}/edited/roles", json={"user": "dora", "role": "editor"}, headers=auth["anne"])
    assert grant.status_code == 201, grant.text
    assert grant.json()["role"] == "editor" and grant.json()["resource_kind"] == "model"
    bind = client.put(
        f"{URL}/edited/bindings/Sag.emne", params={"classification": "tree"}, headers=auth["dora"]
    )
    assert bind.status_code == 200, bind.text
    changed = SMALL_XMI.replace(b'name="titel"', b'name="overskrift"')
    again = client.post(f"{URL}?filename=sag2.xmi&model=edited", content=changed, headers=auth["dora"])
    assert again.status_code == 201 and again.json()["version"] == 2
    review = client.put(f"{URL}/edited/status", params={"to": "review"}, headers=auth["dora"])
    assert review.status_code == 200 and review.json()["status"] == "review"
    # an editor does not publish; the owner may (four eyes: dora sent it to review, anne publishes)
    assert (
        client.put(f"{URL}/edited/status", params={"to": "published"}, headers=auth["dora"]).status_code
        == 403
    )
    done = client.put(f"{URL}/edited/status", params={"to": "published"}, headers=auth["anne"])
    assert done.status_code == 200 and done.json()["status"] == "published"
    # an editor may not hand out roles
    assert (
        client.post(
            f"{URL}/edited/roles", json={"user": "carl", "role": "editor"}, headers=auth["dora"]
        ).status_code
        == 403
    )
    # the owner still cannot publish what she sent to review herself (four eyes keep)
    third = SMALL_XMI.replace(b'name="titel"', b'name="navn"')
    assert (
        client.post(f"{URL}?filename=sag3.xmi&model=edited", content=third, headers=auth["anne"]).status_code
        == 201
    )
    assert (
        client.put(f"{URL}/edited/status", params={"to": "review"}, headers=auth["anne"]).status_code == 200
    )
    four_eyes = client.put(f"{URL}/edited/status", params={"to": "published"}, headers=auth["anne"])
    assert four_eyes.status_code == 403 and "four eyes" in four_eyes.json()["error"]["message"]


def test_a_grant_on_a_model_kodeks_does_not_hold_is_404(
    world: tuple[Kodeks, dict[str, dict[str, str]]], client: TestClient
) -> None:
    r = client.post(f"{URL}/nothing/roles", json={"user": "bo", "role": "editor"}, headers=world[1]["anne"])
    assert r.status_code == 404


def test_the_cli_grants_a_role_on_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kodeks.cli.main import run

    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    steps = [
        ["orgs", "add", "751", "Aarhus Kommune", "--kind", "municipality"],
        ["users", "add", "bo", "--org", "751", "--name", "Bo"],
        ["roles", "assign", "bo", "editor", "--model", "sag"],
    ]
    for step in steps:
        assert run(["governance", *step, "--db", db]) == 0, step
    assert run(["governance", "roles", "list", "--user", "bo", "--db", db]) == 0
    assert "editor on model sag" in capsys.readouterr().out
