"""``If-Match: *`` means "whatever it is now" (RFC 9110): accepted on something that exists."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.governance.world import World

PLAN = "/api/v1/classifications/own-plan"


def _fresh(client: TestClient, world: World, who: str) -> str:
    r = client.post(
        f"{PLAN}/changesets",
        json={"title": "t", "label": "2026.1", "effective": "2026-01-01"},
        headers=world.auth(who),
    )
    assert r.status_code == 201, r.text
    return f"{PLAN}/changesets/{r.json()['id']}"


@pytest.mark.parametrize("who", ["editor", "scoped-editor"])
def test_star_on_an_untouched_existing_item_is_accepted(client: TestClient, world: World, who: str) -> None:
    cs = _fresh(client, world, who)
    r = client.put(
        f"{cs}/items/01.01",
        json={"titles": {"da": "Ny titel"}, "parent": "01"},
        headers={**world.auth(who), "If-Match": "*"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["item"]["titles"] == {"da": "Ny titel"}
    again = client.put(
        f"{cs}/items/01.01",
        json={"titles": {"da": "Igen"}, "parent": "01"},
        headers={**world.auth(who), "If-Match": "*"},
    )
    assert again.status_code == 200, again.text


def test_star_on_a_code_that_does_not_exist_is_refused(client: TestClient, world: World) -> None:
    cs = _fresh(client, world, "editor")
    r = client.put(
        f"{cs}/items/09", json={"titles": {"da": "Ni"}}, headers={**world.auth("editor"), "If-Match": "*"}
    )
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "conflict"
    assert "does not exist" in r.json()["error"]["message"]


def test_star_on_a_change_set_step_is_accepted(client: TestClient, world: World) -> None:
    cs = _fresh(client, world, "editor")
    r = client.patch(cs, json={"title": "omdøbt"}, headers={**world.auth("editor"), "If-Match": "*"})
    assert r.status_code == 200, r.text


def test_a_stale_tag_is_still_refused(client: TestClient, world: World) -> None:
    cs = _fresh(client, world, "editor")
    r = client.put(
        f"{cs}/items/01.01",
        json={"titles": {"da": "x"}, "parent": "01"},
        headers={**world.auth("editor"), "If-Match": '"i-000000000000000000000000"'},
    )
    assert r.status_code == 409, r.text
