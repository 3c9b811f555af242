"""The model-rule checks: each rule found where it is broken (and only there), on real and tiny models."""

from __future__ import annotations

from dataclasses import replace

from kodeks.domain.models.elements import Attribute, Multiplicity
from kodeks.domain.models.rules import FDA_STEREOTYPES, RULE_BY_ID, RULES, check
from kodeks.formats.models_xmi import read_xmi
from tests.models.conftest import DATAQUALITY, FINT, NEMKONTO, PROFILE, SMALL_XMI, real_model


def _small():  # type: ignore[no-untyped-def]
    return read_xmi(SMALL_XMI, "small.xmi", "sag")


def test_every_rule_says_what_it_rests_on() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    assert all(r.cites and r.title for r in RULES)


def test_the_fda_stereotypes_are_the_profiles_own() -> None:
    profile = real_model(PROFILE)
    assert FDA_STEREOTYPES - {"ApplicationProfile"} == {c.name for c in profile.classes}


def test_small_model_findings_name_rule_and_element() -> None:
    report = check(_small())
    found = {(f.rule, f.element) for f in report.findings}
    assert ("definition", "Part") in found  # no documentation
    assert ("definition", "Sag") not in found
    assert ("definition", "Sag.emne") in found
    assert ("code-list-source", "EmneVaerdi") in found
    assert ("multiplicity", "Sag.titel") not in found
    # the small model uses FDA stereotypes (DKObjekttype), so the URI rule applies: Sag has one
    assert ("uri", "Sag") not in found and ("uri", "Part") in found
    assert report.broken_rules() == ["code-list-source", "definition", "model-metadata", "uri"]
    # binding the enumeration to a classification gives it a source
    assert "code-list-source" not in check(_small(), {"EAID_E1": True}).broken_rules()
    assert check(_small(), {"EAID_E1": False}).counts()["value-domain"] == 1


def test_naming_duplicates_and_multiplicity() -> None:
    model = _small()
    sag = model.class_by_id["EAID_C1"]
    bad = replace(
        sag,
        name="sag sag",
        attributes=(
            *sag.attributes,
            Attribute("EAID_X1", "Titel", "String", None, None, "d"),
            Attribute("EAID_X2", "emne", "String", None, Multiplicity(0, 1), "d"),
        ),
    )
    model = replace(model, classes=tuple(bad if c.id == sag.id else c for c in model.classes))
    found = {(f.rule, f.element_id) for f in check(model).findings}
    assert ("class-name", "EAID_C1") in found
    assert ("attribute-name", "EAID_X1") in found
    assert ("multiplicity", "EAID_X1") in found
    assert ("duplicate-name", "EAID_X2") in found and ("duplicate-name", "EAID_A2") in found
    assert ("attribute-name", "EAID_A1") not in found


def test_fda_rules_on_the_real_fda_model() -> None:
    report = check(real_model(NEMKONTO))
    counts = report.counts()
    assert counts["uri"] >= 1 and counts["multiplicity"] >= 1
    # NemKonto's classes all carry a URI tag; the ones without are named
    no_uri = {f.element for f in report.findings if f.rule == "uri"}
    assert "nkr:AccountOwner" not in no_uri
    assert all(f.rule in RULE_BY_ID for f in report.findings)


def test_fda_rules_do_not_apply_to_a_model_without_the_profile() -> None:
    counts = check(real_model(FINT)).counts()
    assert "uri" not in counts and "stereotype" not in counts
    assert counts["definition"] >= 1


def test_an_unapproved_stereotype_in_an_fda_model_is_named() -> None:
    findings = [f for f in check(real_model(DATAQUALITY)).findings if f.rule == "stereotype"]
    assert findings and all("is not in the FDA profile" in f.message for f in findings)
