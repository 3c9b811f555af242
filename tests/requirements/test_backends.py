"""The requirement tools on SQLite and PostgreSQL: the workflow, a set, answers, a screening."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodeks.cli.requirements import seed
from kodeks.cli.screening import seed as seed_questionnaire
from kodeks.domain.governance.changeset import State
from kodeks.domain.governance.identity import ANONYMOUS, system_actor
from kodeks.domain.requirements.answers import Answer, Compliance
from kodeks.errors import Conflict
from kodeks.formats import requirements as formats
from kodeks.formats.requirements import reqif
from kodeks.services.requirements import catalogue, sets
from kodeks.services.screening import screenings
from tests.requirements.world import populate, requirement
from tests.search.backends import BACKENDS, registry_on


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_requirement_tools_work_on_each_backend(backend: str) -> None:
    with registry_on(backend) as kodeks:
        world = populate(kodeks)
        ctx = world.ctx
        assert seed(ctx, system_actor("cli")) == (10, True)
        catalogue.create(ctx, world.actor("author"), requirement())
        with pytest.raises(Conflict):
            catalogue.create(ctx, world.actor("author"), requirement())
        for action, who in (("submit", "author"), ("approve", "approver"), ("publish", "approver")):
            catalogue.transition(ctx, world.actor(who), "ARK-99", action)
        assert catalogue.get(ctx, ANONYMOUS, "ARK-99").state is State.PUBLISHED
        assert len(catalogue.listing(ctx, ANONYMOUS)) == 11
        body = {
            "id": "u",
            "title": "Udbud",
            "entries": [{"requirement": "ARK-99"}, {"requirement": "ARK-01"}],
        }
        sets.save(ctx, world.actor("author"), body, expected_revision=None)
        answers = [Answer("Alfa", "ARK-99", Compliance.YES, "ja"), Answer("Alfa", "ARK-01", None)]
        assert sets.import_answers(ctx, world.actor("author"), "u", "Alfa", answers) == 2
        summary = sets.comparison(ctx, world.actor("approver"), "u").summaries[0]
        assert (summary.yes, summary.must_gaps) == (1, ("ARK-01",))
        rset, lines = sets.get(ctx, "u")
        doc = reqif.read(formats.export("reqif", rset, lines), "u.reqif")
        assert doc.requirement_set is not None and doc.requirement_set.entries == rset.entries
        q = seed_questionnaire(world.screening)
        made = screenings.screen(
            world.screening, ANONYMOUS, q.id, "P", {x.id: x.options[0].id for x in q.questions}
        )
        assert screenings.get(world.screening, made.id).result == made.result


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_editors_saving_one_revision_of_a_set_conflict(backend: str, tmp_path: Path) -> None:
    """Two threads, two connections: an in-memory SQLite shares one connection between threads, so
    SQLite is tested on a file (the way a server runs it)."""
    import threading

    with registry_on(backend, file=tmp_path / "k.sqlite") as kodeks:
        world = populate(kodeks)
        ctx = world.ctx
        seed(ctx, system_actor("cli"))
        body = {"id": "u", "title": "Udbud", "owner": "751", "entries": [{"requirement": "ARK-01"}]}
        sets.save(ctx, world.actor("author"), body, expected_revision=None)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def save(title: str) -> None:
            barrier.wait()
            try:
                sets.save(ctx, world.actor("author"), {**body, "title": title}, expected_revision=1)
                outcomes.append("saved")
            except Conflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=save, args=(t,)) for t in ("A", "B")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["conflict", "saved"]
        assert sets.get(ctx, "u")[0].revision == 2
