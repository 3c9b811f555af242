"""The requirement tools' rules, without a database: requirements, workflow, sets, answers, screening."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.domain.governance.changeset import FourEyesError, MissingText, State, StateError
from kodeks.domain.requirements.answers import Answer, Compliance, compare, read_compliance
from kodeks.domain.requirements.codec import (
    requirement_from_dict,
    requirement_to_dict,
    set_from_dict,
    stored_requirement,
)
from kodeks.domain.requirements.requirement import Priority, Reference, RefKind, Requirement
from kodeks.domain.requirements.tender import RequirementSet, SetEntry, lines
from kodeks.domain.requirements.workflow import check_editable, step
from kodeks.domain.screening.codec import questionnaire_from_dict, questionnaire_to_dict
from kodeks.domain.screening.questionnaire import Option, Question, Questionnaire, Rule, Threshold, evaluate
from tests.requirements.world import requirement


def req(rid: str = "R-1", **kw: object) -> Requirement:
    return Requirement(**{"id": rid, "title": "Titel", "text": "Leverandøren skal ...", "owner": "751", **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "has space"),
        ("id", ""),
        ("title", ""),
        ("title", "two\nlines"),
        ("text", "x" * 10_001),
        ("text", "bell\x07"),
        ("principles", ("6", "6")),
        ("principles", tuple(str(i) for i in range(51))),
        ("owner", "Not an org"),
    ],
)
def test_a_malformed_requirement_is_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        req(**{field: value})


def test_references_say_what_they_point_to() -> None:
    assert Reference(RefKind.CLASSIFICATION, "kle:27.24").classification == ("kle", "27.24")
    assert Reference(RefKind.CLASSIFICATION, "kle").classification == ("kle", None)
    with pytest.raises(ValueError):
        Reference(RefKind.URL, "javascript:alert(1)")
    with pytest.raises(ValueError):
        Reference(RefKind.STANDARD, "two\nlines")


def test_the_codec_round_trips_and_refuses_unknown_fields() -> None:
    made = replace(requirement_from_dict(requirement()), version=3, state=State.PUBLISHED, author="a")
    assert stored_requirement(requirement_to_dict(made)) == made
    with pytest.raises(ValueError, match="unknown field"):
        requirement_from_dict({**requirement(), "secret": 1})
    with pytest.raises(ValueError, match="priority"):
        requirement_from_dict({**requirement(), "priority": "maybe"})


def test_the_workflow_is_the_change_sets_with_four_eyes() -> None:
    draft = req(author="anna")
    submitted = step(draft, "submit", "anna")
    with pytest.raises(FourEyesError):
        step(submitted, "approve", "anna")
    approved = step(submitted, "approve", "bo")
    with pytest.raises(StateError):
        step(draft, "publish", "bo")
    with pytest.raises(MissingText):
        step(approved, "reject", "bo")
    published = step(approved, "publish", "bo")
    assert published.state is State.PUBLISHED and published.frozen
    with pytest.raises(StateError):
        check_editable(published)
    with pytest.raises(StateError):
        step(published, "submit", "anna")
    assert step(approved, "publish", "anna", four_eyes=False).state is State.PUBLISHED


def test_a_tailored_line_keeps_the_common_requirement_it_came_from() -> None:
    common = {
        ("A", 1): req("A", category="Sikkerhed"),
        ("B", 2): req("B", version=2, priority=Priority.SHOULD),
    }
    rset = RequirementSet(
        "s", "Udbud", "751", (SetEntry("B", 2, "Lokal tekst", Priority.MUST), SetEntry("A", 1))
    )
    got = lines(rset, common)
    assert [x.requirement.id for x in got] == ["B", "A"]  # categories in the order the set meets them
    assert got[0].text == "Lokal tekst" and got[0].requirement.text == "Leverandøren skal ..."
    assert got[0].priority is Priority.MUST and got[0].tailored and got[0].source == "B v2"
    assert not got[1].tailored and got[1].text == got[1].requirement.text
    with pytest.raises(ValueError, match="twice"):
        RequirementSet("s", "t", "751", (SetEntry("A", 1), SetEntry("A", 1)))
    with pytest.raises(ValueError):
        set_from_dict({"id": "s", "title": "t", "owner": "751", "entries": ["A"]})


def test_the_comparison_counts_answers_and_must_gaps() -> None:
    common = {("A", 1): req("A"), ("B", 1): req("B", priority=Priority.SHOULD), ("C", 1): req("C")}
    rset = RequirementSet("s", "t", "751", tuple(SetEntry(k, 1) for k in "ABC"))
    answers = [
        Answer("Beta", "A", Compliance.YES),
        Answer("Beta", "B", Compliance.NO),
        Answer("Beta", "C", Compliance.PARTLY, "delvist"),
        Answer("alfa", "A", Compliance.NO),
        Answer("alfa", "B", None),
    ]
    result = compare(lines(rset, common), answers)
    assert result.suppliers == ("alfa", "Beta")
    alfa, beta = result.summaries
    assert (alfa.yes, alfa.no, alfa.unanswered, alfa.must_gaps) == (0, 1, 2, ("A", "C"))
    assert (beta.yes, beta.partly, beta.no, beta.must_gaps, beta.qualified) == (1, 1, 1, (), True)
    assert read_compliance(" DELVIST ") is Compliance.PARTLY and read_compliance("") is None
    with pytest.raises(ValueError):
        read_compliance("måske")


def questionnaire(**kw: object) -> Questionnaire:
    yes_no = (Option("nej", "Nej", 0), Option("ja", "Ja", 3))
    return Questionnaire(
        **{  # type: ignore[arg-type]
            "id": "q",
            "title": "Skema",
            "questions": (Question("cpr", "CPR?", yes_no), Question("sager", "Sager?", yes_no)),
            "thresholds": (
                Threshold(0, "Lav", "Intet"),
                Threshold(3, "Middel", "Arkitekt"),
                Threshold(6, "Høj", "Review"),
            ),
            "rules": (
                Rule(
                    "cpr",
                    "ja",
                    requirement_sets=("ski",),
                    solutions=("Serviceplatformen",),
                    note="CPR via SP",
                ),
                Rule("sager", "ja", requirement_sets=("ski",), classifications=("kle",)),
            ),
            **kw,
        }
    )


def test_screening_scores_maps_thresholds_and_applies_rules() -> None:
    q = questionnaire()
    low = evaluate(q, {"cpr": "nej", "sager": "nej"})
    assert (low.score, low.max_score, low.level, low.requirement_sets) == (0, 6, "Lav", ())
    mid = evaluate(q, {"cpr": "nej", "sager": "ja"})
    assert (mid.level, mid.requirement_sets, mid.classifications, mid.notes) == (
        "Middel",
        ("ski",),
        ("kle",),
        (),
    )
    high = evaluate(q, {"cpr": "ja", "sager": "ja"})
    assert high.level == "Høj" and high.requirement_sets == ("ski",)  # named once, though two rules add it
    assert high.solutions == ("Serviceplatformen",) and high.notes == ("CPR via SP",)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"cpr": "nej"}, "unanswered"),
        ({"cpr": "nej", "sager": "nej", "extra": "x"}, "unknown question"),
        ({"cpr": "måske", "sager": "nej"}, "no option"),
    ],
)
def test_screening_refuses_incomplete_or_unknown_answers(answers: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate(questionnaire(), answers)


def test_a_questionnaire_is_checked_when_defined() -> None:
    with pytest.raises(ValueError, match="unknown answer"):
        questionnaire(rules=(Rule("cpr", "perhaps"),))
    with pytest.raises(ValueError, match="rising"):
        questionnaire(thresholds=(Threshold(5, "a", "b"), Threshold(1, "c", "d")))
    with pytest.raises(ValueError, match="options"):
        Question("x", "X?", (Option("a", "A"),))
    with pytest.raises(ValueError, match="must be a list"):
        questionnaire_from_dict({"id": "q", "title": "t", "questions": "nope", "thresholds": []})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=2, max_size=2))
def test_the_level_never_falls_when_the_score_rises(flags: list[bool]) -> None:
    q = questionnaire()
    names = ("cpr", "sager")
    order = [t.level for t in q.thresholds]
    base = evaluate(q, {n: "ja" if f else "nej" for n, f in zip(names, flags, strict=True)})
    more = evaluate(q, dict.fromkeys(names, "ja"))
    assert 0 <= base.score <= more.score <= more.max_score
    assert order.index(base.level) <= order.index(more.level)


def test_the_bundled_questionnaire_and_requirements_fit_together() -> None:
    root = resources.files("kodeks") / "resources"
    q = questionnaire_from_dict(json.loads((root / "arkitektur-screening.json").read_text("utf-8")))
    assert questionnaire_from_dict(questionnaire_to_dict(q)) == q
    seed = json.loads((root / "ski-arkitekturkrav.json").read_text("utf-8"))
    assert "IKKE den officielle tekst" in seed["note"]
    reqs = [requirement_from_dict(r, owner=seed["owner"]) for r in seed["requirements"]]
    assert all(r.text.startswith("Leverandøren") for r in reqs)
    named = {s for rule in q.rules for s in rule.requirement_sets}
    assert named == {seed["set"]["id"]}
    everything = evaluate(q, {x.id: max(x.options, key=lambda o: o.weight).id for x in q.questions})
    assert everything.level == q.thresholds[-1].level
    nothing = evaluate(q, {x.id: min(x.options, key=lambda o: o.weight).id for x in q.questions})
    assert nothing.level == q.thresholds[0].level and nothing.score == 0
