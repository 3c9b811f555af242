"""Draft → review → published, four eyes, and a new version starting a new draft."""

from __future__ import annotations

import pytest

from kodeks.bootstrap import model_formats
from kodeks.domain.models.status import transition_problem
from kodeks.errors import Forbidden, InvalidRequest
from kodeks.services.models import library, lifecycle
from tests.factories import memory_registry
from tests.models.conftest import SMALL_XMI


def test_transitions() -> None:
    assert transition_problem("draft", "review", "a", None) is None
    assert transition_problem("review", "published", "b", "a") is None
    assert "four eyes" in (transition_problem("review", "published", "a", "a") or "")
    assert "cannot become" in (transition_problem("draft", "published", "a", None) or "")
    assert "must be one of" in (transition_problem("draft", "gone", "a", None) or "")


def test_the_life_of_a_version() -> None:
    kodeks = memory_registry()
    formats = model_formats()
    library.import_model(kodeks.uow, kodeks.models, formats, SMALL_XMI, "sag.xmi", model_id="sag")
    assert lifecycle.status(kodeks.uow, kodeks.models, "sag").status == "draft"
    with pytest.raises(InvalidRequest, match="cannot become published"):
        lifecycle.set_status(kodeks.uow, kodeks.models, "sag", "published", actor="anne")
    lifecycle.set_status(kodeks.uow, kodeks.models, "sag", "review", actor="anne")
    with pytest.raises(Forbidden, match="four eyes"):
        lifecycle.set_status(kodeks.uow, kodeks.models, "sag", "published", actor="anne")
    done = lifecycle.set_status(kodeks.uow, kodeks.models, "sag", "published", actor="bo")
    assert (done.sequence, done.status, done.by) == (1, "published", "bo")
    changed = SMALL_XMI.replace(b"Sagens titel", b"Titlen")
    library.import_model(kodeks.uow, kodeks.models, formats, changed, "sag2.xmi", model_id="sag")
    now = lifecycle.status(kodeks.uow, kodeks.models, "sag")
    assert (now.sequence, now.status) == (2, "draft")
    statuses = [
        e.summary["status"] for e in library.history(kodeks.uow, kodeks.models, "sag") if e.action == "status"
    ]
    assert statuses == ["review", "published"]
