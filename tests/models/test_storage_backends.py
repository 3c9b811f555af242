"""The model store on both databases: versions, digests, bindings, audit, all-or-nothing."""

from __future__ import annotations

import pytest

from kodeks.bootstrap import model_formats
from kodeks.errors import InvalidContent
from kodeks.services.models import library, valuedomains
from tests.factories import tree_bundle
from tests.models.conftest import SMALL_XMI
from tests.search.backends import BACKENDS, load, registry_on


@pytest.mark.parametrize("backend", BACKENDS)
def test_models_on_each_database(backend: str) -> None:
    with registry_on(backend) as kodeks:
        load(kodeks, tree_bundle())
        formats = model_formats()
        first = library.import_model(kodeks.uow, kodeks.models, formats, SMALL_XMI, "sag.xmi", model_id="sag")
        assert library.import_model(
            kodeks.uow, kodeks.models, formats, SMALL_XMI, "sag.xmi", model_id="sag"
        ).already
        changed = SMALL_XMI.replace(b"Sagens titel", b"Titlen")
        second = library.import_model(kodeks.uow, kodeks.models, formats, changed, "sag2.xmi", model_id="sag")
        assert (first.sequence, second.sequence) == (1, 2)
        with pytest.raises(InvalidContent):
            library.import_model(
                kodeks.uow,
                kodeks.models,
                formats,
                SMALL_XMI.replace(b'general="EAID_C3"', b'general="X"'),
                "bad.xmi",
                model_id="sag",
            )
        assert [v.sequence for v in library.versions(kodeks.uow, kodeks.models, "sag")] == [1, 2]
        old = library.get_model(kodeks.uow, kodeks.models, "sag", 1).model
        assert old.class_by_id["EAID_C1"].attributes[0].definition == "Sagens titel"
        assert library.get_model(kodeks.uow, kodeks.models, "sag").model.counts() == first.counts
        valuedomains.bind(kodeks.uow, kodeks.models, "sag", "Sag.emne", "tree", actor="t")
        valuedomains.bind(
            kodeks.uow, kodeks.models, "sag", "Sag.emne", "tree", actor="t"
        )  # replaces, not adds
        assert len(valuedomains.bindings(kodeks.uow, kodeks.models, "sag")) == 1
        assert [u.element for u in valuedomains.usages(kodeks.uow, kodeks.models, "tree")] == ["Sag.emne"]
        valuedomains.unbind(kodeks.uow, kodeks.models, "sag", "EAID_A2")
        assert valuedomains.usages(kodeks.uow, kodeks.models, "tree") == []
        actions = [e.action for e in library.history(kodeks.uow, kodeks.models, "sag")]
        assert actions == ["import", "import", "bind", "bind", "unbind"]
