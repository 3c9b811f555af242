"""What Kodeks reads from the NemKonto XMI, compared with DIGST's own HTML rendering of the same model
(``digst_nemkontoregisteret_fdaprofil_report.htm``): the same classes with the same aliases, the same
attributes and roles per class, the same classifications with the same values, the same concepts."""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import html

from kodeks.domain.models.model import InfoModel
from tests.conftest import data_file
from tests.models.conftest import NEMKONTO, real_model

REPORT = "infomodels/digst_nemkontoregisteret_fdaprofil_report.htm"
_HEADING = re.compile(r"^(Klasse|Klassifikation|Begreb): (\S+)(?: \(([^)]*)\))?")


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _report() -> dict[str, dict[str, object]]:
    """Per kind and name: the alias, and the h4 lines (attributes, roles) or h3 values that follow."""
    doc = html.fromstring(data_file(REPORT).read_bytes())
    found: dict[str, dict[str, object]] = defaultdict(dict)
    current: dict[str, object] | None = None
    for el in doc.iter("h3", "h4"):
        text = " ".join(el.text_content().split())
        match = _HEADING.match(text) if el.tag == "h3" else None
        if match:
            current = {"alias": match.group(3) or "", "members": []}
            found[match.group(1)][match.group(2)] = current
        elif current is not None:
            current["members"].append(text.split(" (")[0].split(" ⇨ ")[0])  # type: ignore[union-attr]
    return found


def _roles(model: InfoModel, class_id: str) -> list[str]:
    return [
        _local(a.target.role) for a in model.associations if a.source.class_id == class_id and a.target.role
    ]


def test_classes_aliases_attributes_and_roles_match_digsts_report() -> None:
    model = real_model(NEMKONTO)
    report = _report()
    top = next(p for p in model.packages if p.parent is None)
    ours = {_local(c.name): c for c in model.classes if c.package == top.id}
    assert set(ours) == set(report["Klasse"]) == {"Address", "AccountOwner", "BankAccount"}
    for name, entry in report["Klasse"].items():
        cls = ours[name]
        assert cls.alias == entry["alias"]
        members = [_local(a.name) for a in cls.attributes] + _roles(model, cls.id)
        assert sorted(members) == sorted(entry["members"])  # type: ignore[arg-type]


def test_classifications_and_their_values_match() -> None:
    model = real_model(NEMKONTO)
    report = _report()
    classifications = {
        _local(c.name): c
        for c in model.classes
        if "ClassificationModel" in model.package_by_id[c.package or ""].stereotypes
    }
    assert set(classifications) == set(report["Klassifikation"])
    # the report lists a classification's values as the h3 headings after it
    doc = html.fromstring(data_file(REPORT).read_bytes())
    shown: dict[str, list[str]] = defaultdict(list)
    current = None
    for el in doc.iter("h1", "h3"):
        text = " ".join(el.text_content().split())
        match = _HEADING.match(text)
        if el.tag == "h1":
            current = None
        elif match:
            current = match.group(2) if match.group(1) == "Klassifikation" else None
        elif current is not None:
            shown[current].append(text)
    for name, cls in classifications.items():
        # DIGST lists the values of the classification's package; Kodeks reads the same instances there
        in_package = sorted(_local(i.name) for i in model.instances if i.package == cls.package)
        assert in_package == sorted(shown[name]), name
    # where the file types an instance by an rdf:type role, Kodeks names its classification
    general = next(i for i in model.instances if i.name == "nkr-at:General")
    assert general.classifier == classifications["AccountType"].id


def test_concepts_match() -> None:
    model = real_model(NEMKONTO)
    report = _report()
    assert {c.name for c in model.concepts} == set(report["Begreb"]) == {"Class1", "Class2", "Class3"}
    names = {c.id: c.name for c in model.concepts}
    assert ("Class2", "Class3") in {
        (names.get(g.specific), names.get(g.general)) for g in model.generalizations
    }
