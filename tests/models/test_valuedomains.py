"""Value domains from the registry: bind, usages, compare an enumeration, classification as a model."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from kodeks.bootstrap import Kodeks, model_formats
from kodeks.errors import InvalidRequest, NotFound
from kodeks.formats.models_xmi import read_xmi
from kodeks.services.models import checking, library, valuedomains
from tests.factories import memory_registry, record, tree_bundle
from tests.models.conftest import SMALL_XMI


@pytest.fixture(scope="module")
def registry() -> Kodeks:
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    library.import_model(kodeks.uow, kodeks.models, model_formats(), SMALL_XMI, "sag.xmi", model_id="sag")
    return kodeks


def test_bind_usages_and_audit(registry: Kodeks) -> None:
    b = valuedomains.bind(
        registry.uow, registry.models, "sag", "Sag.emne", "tree", valid_at=date(2013, 1, 1), actor="t"
    )
    assert (b.element_id, b.classification_id) == ("EAID_A2", "tree")
    (usage,) = valuedomains.usages(registry.uow, registry.models, "tree")
    assert (usage.model_id, usage.element) == ("sag", "Sag.emne")
    domains = valuedomains.bound_domains(registry.uow, registry.models, "sag")
    codes = {c for c, _ in domains["EAID_A2"].codes}
    assert "20.02.01" in codes and "10.01.05" not in codes  # as valid on the binding's date
    actions = [e.action for e in library.history(registry.uow, registry.models, "sag")]
    assert actions[-1] == "bind"
    with pytest.raises(NotFound):
        valuedomains.bind(registry.uow, registry.models, "sag", "Sag.emne", "nope")
    with pytest.raises(NotFound):
        valuedomains.bind(registry.uow, registry.models, "sag", "Sag.nothing", "tree")


def test_compare_an_enumeration_with_a_classification(registry: Kodeks) -> None:
    result = valuedomains.compare_enumeration(
        registry.uow, registry.models, "sag", "EmneVaerdi", "tree", date(2013, 1, 1)
    )
    assert result.both == () and "00.01" in result.only_enumeration and "20" in result.only_classification
    assert not result.matches


@pytest.mark.parametrize("representation", ["enumeration", "classes", "external"])
def test_classification_as_each_representation(registry: Kodeks, representation: str) -> None:
    data = valuedomains.classification_as_model(
        registry.uow, model_formats(), "tree", representation, date(2013, 1, 1)
    )
    model = read_xmi(data, "tree.xmi", "t")
    codes = {"10", "10.01", "20", "20.02", "20.02.01"}
    if representation == "enumeration":
        (enum,) = model.enumerations()
        assert codes <= {lit.name for lit in enum.literals} and "10.01.05" not in {
            lit.name for lit in enum.literals
        }
        assert enum.stereotypes == ("DKEnumeration",)
    elif representation == "classes":
        (cls,) = model.classes
        assert cls.stereotypes == ("DKKlassifikation",)
        assert codes <= {i.name for i in model.instances}
        assert all(i.classifier == cls.id for i in model.instances)
    else:
        (cls,) = model.classes
        assert cls.stereotypes == ("DKKodeliste",) and dict(cls.tags)["URI"].endswith("tree")
        assert not model.instances


def test_classification_as_a_concept_list(registry: Kodeks) -> None:
    from io import BytesIO

    data = valuedomains.classification_as_model(
        registry.uow, model_formats(), "tree", "conceptlist", date(2013, 1, 1)
    )
    sheet = load_workbook(BytesIO(data))["Begrebsliste DA"]
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Støtte til børn" in values
    with pytest.raises(InvalidRequest):
        valuedomains.classification_as_model(registry.uow, model_formats(), "tree", "table")


def test_check_knows_which_bound_classifications_exist(registry: Kodeks) -> None:
    report = checking.check_model(registry.uow, registry.models, "sag")
    assert "value-domain" not in report.counts()


def test_impact_of_a_classification_change_on_bound_elements(registry: Kodeks) -> None:
    valuedomains.bind(registry.uow, registry.models, "sag", "Sag.emne", "tree")
    (found,) = valuedomains.impact(registry.uow, registry.models, "tree", date(2009, 6, 1), date(2011, 6, 1))
    assert found.usage.element == "Sag.emne" and found.affected
    assert "20.02" in found.added  # valid from 2010-01-01
    assert "10.01.07" in found.expired  # expired 2011-01-01, no successor
    (moved,) = valuedomains.impact(registry.uow, registry.models, "tree", date(2011, 6, 1), date(2013, 1, 1))
    assert moved.moved == (("10.01.05", "20.02.01"),)  # replaced on 2012-01-01
    (calm,) = valuedomains.impact(registry.uow, registry.models, "tree", date(2013, 1, 1), date(2013, 6, 1))
    assert not calm.affected
