"""Moves between releases: proposed from the data, accepted by an editor in a change set, reviewed,
published — and then an expired code points on to its successor."""

from __future__ import annotations

from datetime import date

import pytest

from kodeks.domain.governance.changeset import EntryOp
from kodeks.domain.governance.etag import change_set_etag
from kodeks.domain.item import Item
from kodeks.errors import NotFound
from kodeks.services import queries
from kodeks.services.governance import changesets, drafts, identity, proposals, publishing
from kodeks.services.queries import When
from tests.governance.world import OWN, World, build_world, clone, gov_of, item


@pytest.fixture(scope="module")
def base() -> World:
    return build_world()


def _publish(world: World, cs_id: int) -> None:
    gov = gov_of(world.kodeks)
    author = identity.local_actor(gov, f"author-{OWN}")
    approver = identity.local_actor(gov, f"approver-{OWN}")
    cs, _ = changesets.get(gov, author, cs_id)
    cs = changesets.submit(gov, author, cs_id, change_set_etag(cs_id, cs.revision))
    cs = changesets.approve(gov, approver, cs_id, change_set_etag(cs_id, cs.revision))
    publishing.publish(gov, approver, cs_id, change_set_etag(cs_id, cs.revision), "moves")


def _change(world: World, effective: date, edits: list[Item], expire: list[str]) -> None:
    gov = gov_of(world.kodeks)
    author = identity.local_actor(gov, f"author-{OWN}")
    cs = changesets.open_change_set(
        gov, author, "own-plan", title="t", label=str(effective), effective=effective
    )
    assert cs.id is not None
    for it in edits:
        current = drafts.draft_item(gov, author, cs.id, it.code)
        exists = bool(current.history) or current.entry is not None
        drafts.put_item(gov, author, cs.id, it.code, it, current.etag if exists else None)
    for code in expire:
        drafts.expire_item(
            gov, author, cs.id, code, effective, drafts.draft_item(gov, author, cs.id, code).etag
        )
    _publish(world, cs.id)


def test_a_proposed_move_accepted_through_review_makes_the_old_code_point_on(base: World) -> None:
    world = clone(base)
    kodeks = world.kodeks
    # 2026: 02.01 "Emne 02.01" disappears, 03.07 with the same title appears elsewhere.
    _change(world, date(2026, 2, 1), [item("03", "Nyt"), item("03.07", "Emne 02.01", "03")], ["02.01"])
    [proposal] = queries.proposed_moves(kodeks.uow, "own-plan", date(2025, 6, 1), date(2026, 6, 1))
    assert (proposal.old, proposal.new, proposal.reasons) == ("02.01", "03.07", ("same title",))
    with pytest.raises(NotFound) as before:
        queries.item(kodeks.uow, "own-plan", "02.01", When(date(2026, 6, 1), When.of().known_at))
    assert before.value.details["successors"] == []  # nothing applied by itself

    gov = gov_of(kodeks)
    author = identity.local_actor(gov, f"author-{OWN}")
    cs = proposals.draft_links(
        gov, author, "own-plan", {"02.01": ("03.07",)}, effective=date(2026, 2, 1), title="Moves", label="m"
    )
    assert cs.id is not None
    _, entries = changesets.get(gov, author, cs.id)
    assert [(e.code, e.op) for e in entries] == [("02.01", EntryOp.LINK)]
    _publish(world, cs.id)

    with pytest.raises(NotFound, match=r"replaced by 03\.07 \(Emne 02\.01\)") as after:
        queries.item(kodeks.uow, "own-plan", "02.01", When(date(2026, 6, 1), When.of().known_at))
    assert after.value.details["successors"] == [{"code": "03.07", "title": "Emne 02.01"}]
    moved = queries.changes(kodeks.uow, "own-plan", date(2025, 6, 1), date(2026, 6, 1))
    assert [(m.old, m.new) for m in moved.moved] == [("02.01", "03.07")]
    # The link did not change when 02.01 was valid.
    view = queries.item(kodeks.uow, "own-plan", "02.01", When(date(2025, 6, 1), When.of().known_at))
    assert view.item.valid.end == date(2026, 2, 1)


def test_a_link_on_a_code_that_has_not_expired_is_refused(base: World) -> None:
    world = clone(base)
    gov = gov_of(world.kodeks)
    author = identity.local_actor(gov, f"author-{OWN}")
    with pytest.raises(Exception, match="has not expired"):
        proposals.draft_links(
            gov, author, "own-plan", {"01": ("02",)}, effective=date(2026, 2, 1), title="x", label="y"
        )
