"""Diffs of two model versions name the associations added, removed and changed (not only counts)."""

from __future__ import annotations

from dataclasses import replace

from kodeks.domain.models.diff import diff_models
from kodeks.domain.models.elements import Association, AssociationEnd, Multiplicity
from kodeks.formats.models_xmi import read_xmi
from tests.models.conftest import SMALL_XMI


def test_associations_added_removed_changed_by_name() -> None:
    old = read_xmi(SMALL_XMI, "sag.xmi")
    (has_part,) = old.associations
    assert diff_models(old, old).empty
    # the role's multiplicity changes: the same association, changed
    one = replace(has_part, target=replace(has_part.target, multiplicity=Multiplicity(0, 1)))
    changed = diff_models(old, replace(old, associations=(one,)))
    assert changed.associations_changed == ("Sag.part -> Part",) and changed.associations_added == ()
    # a new association, and the old one gone
    new = Association(
        "EAID_AS2", AssociationEnd("EAID_s2", "EAID_C2"), AssociationEnd("EAID_d2", "EAID_C1", "sag")
    )
    swapped = diff_models(old, replace(old, associations=(new,)))
    assert swapped.associations_added == ("Part.sag -> Sag",)
    assert swapped.associations_removed == ("Sag.part -> Part",)
    # EA gave the same association a new id: matched by its name, nothing added or removed
    renumbered = diff_models(old, replace(old, associations=(replace(has_part, id="EAID_AS9"),)))
    assert renumbered.empty
