"""The read guard's answer is reused briefly within a process, and dropped at once on a local change."""

from __future__ import annotations

from dataclasses import replace

from kodeks.services.governance import classifications
from kodeks.services.governance.identity import local_actor
from kodeks.services.governance.reading import read_resource
from tests.governance.world import World, gov_of


def test_public_read_decisions_are_reused_for_a_while_and_forgotten_on_local_changes(world: World) -> None:
    here = replace(gov_of(world.kodeks), read_cache_seconds=60.0)
    elsewhere = gov_of(world.kodeks)  # another process, as far as caching goes
    first = read_resource(here, "own-plan")
    assert first is not None and first.public and first.owner == "751"
    owner = local_actor(elsewhere, "owner")
    etag = classifications.governed(elsewhere, owner, "own-plan").etag
    classifications.update_policy(elsewhere, owner, "own-plan", etag, {"public_read": False})
    cached = read_resource(here, "own-plan")
    assert cached is not None and cached.public  # reused: another process changed it
    here.forget_reads()
    fresh = read_resource(here, "own-plan")
    assert fresh is not None and not fresh.public
    assert read_resource(here, "no-such-plan") is None
    classifications.update_policy(
        here, owner, "own-plan", classifications.governed(here, owner, "own-plan").etag, {"public_read": True}
    )
    again = read_resource(here, "own-plan")
    assert again is not None and again.public  # a change through this context takes effect at once
