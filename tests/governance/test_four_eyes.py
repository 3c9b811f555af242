"""Four eyes means: nobody who wrote any part of a change set may approve or publish it.

The property is checked over sequences of edits by several users (item edits and header changes),
followed by a review and a publication by users drawn from the same pool.
"""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.api.app import create_app
from kodeks.domain.governance.changeset import State
from kodeks.errors import Forbidden
from kodeks.services.governance import changesets, drafts, publishing
from kodeks.services.governance.drafts import cs_etag
from kodeks.services.governance.identity import local_actor
from tests.governance.world import OWN, PLANS, World, clone, gov_of, item

CID = PLANS[OWN]
DRAFTERS = ("editor", "owner", "author-751", "boss-751")
REVIEWERS = ("reviewer", "owner", "approver-751", "boss-751")
EDITS = st.lists(
    st.tuples(st.sampled_from(DRAFTERS), st.sampled_from(("01", "02", "03", "header"))),
    min_size=0,
    max_size=5,
)


def _edit(world: World, who: str, cs_id: int, what: str, n: int) -> None:
    gov = gov_of(world.kodeks)
    actor = local_actor(gov, who)
    if what == "header":
        cs, _ = changesets.get(gov, actor, cs_id)
        changesets.update(gov, actor, cs_id, cs_etag(cs), {"title": f"edit {n}"})
        return
    current = drafts.draft_item(gov, actor, cs_id, what)
    exists = bool(current.history) or current.entry is not None
    drafts.put_item(gov, actor, cs_id, what, item(what, f"Titel {n}"), current.etag if exists else None)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    opener=st.sampled_from(DRAFTERS),
    edits=EDITS,
    approver=st.sampled_from(REVIEWERS),
    publisher=st.sampled_from(REVIEWERS),
)
def test_no_contributor_approves_or_publishes(
    template: World, opener: str, edits: list[tuple[str, str]], approver: str, publisher: str
) -> None:
    world = clone(template)
    gov = gov_of(world.kodeks)
    cs = changesets.open_change_set(
        gov, local_actor(gov, opener), CID, title="t", label="2026.1", effective=date(2026, 1, 1)
    )
    assert cs.id is not None
    _edit(world, opener, cs.id, "01", 0)
    for n, (who, what) in enumerate(edits, start=1):
        _edit(world, who, cs.id, what, n)
    wrote = {opener} | {who for who, _ in edits}
    cs = changesets.submit(
        gov, local_actor(gov, opener), cs.id, cs_etag(changesets.get(gov, local_actor(gov, opener), cs.id)[0])
    )
    assert cs.contributors == wrote
    try:
        cs = changesets.approve(gov, local_actor(gov, approver), cs.id or 0, cs_etag(cs))
    except Forbidden as exc:
        assert approver in wrote, str(exc)
        return
    assert approver not in wrote
    try:
        done = publishing.publish(gov, local_actor(gov, publisher), cs.id or 0, cs_etag(cs), "release")
    except Forbidden as exc:
        assert publisher in wrote, str(exc)
        return
    assert publisher not in wrote
    assert done.change_set.state is State.PUBLISHED


def test_a_co_author_may_not_approve_over_http(world: World) -> None:
    """The outside test's case: an owner adds an edit to an editor's change set, then approves it."""
    with TestClient(create_app(world.kodeks), raise_server_exceptions=False) as client:
        base = f"/api/v1/classifications/{CID}/changesets"
        editor, owner = world.auth("editor"), world.auth("owner")
        r = client.post(
            base, json={"title": "t", "label": "2026.1", "effective": "2026-01-01"}, headers=editor
        )
        cs = f"{base}/{r.json()['id']}"
        r = client.post(f"{cs}/items", json={"code": "03", "titles": {"da": "Tre"}}, headers=editor)
        assert r.status_code == 201, r.text
        r = client.post(f"{cs}/items", json={"code": "04", "titles": {"da": "Fire"}}, headers=owner)
        assert r.status_code == 201, r.text
        etag = client.get(cs, headers=editor).headers["etag"]
        r = client.post(f"{cs}/submit", headers={**editor, "If-Match": etag})
        assert r.status_code == 200, r.text
        assert r.json()["contributors"] == ["editor", "owner"]
        r = client.post(f"{cs}/approve", headers={**owner, "If-Match": r.headers["etag"]})
        assert r.status_code == 403, r.text
        assert r.json()["error"]["code"] == "forbidden"
        assert "contributed" in r.json()["error"]["message"]
