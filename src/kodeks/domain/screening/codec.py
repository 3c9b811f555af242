"""Questionnaires and results to and from plain dicts (bundled JSON, API bodies, storage)."""

from __future__ import annotations

from typing import Any

from kodeks.domain.screening.questionnaire import Option, Question, Questionnaire, Result, Rule, Threshold


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object")
    return value


def _list(value: Any, what: str, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list")
    if len(value) > limit:
        raise ValueError(f"{what} has more than {limit} entries")
    return value


def _s(d: dict[str, Any], name: str, default: str | None = None) -> str:
    value = d.get(name, default)
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string")
    return value


def _i(d: dict[str, Any], name: str, default: int | None = None) -> int:
    value = d.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name!r} must be a whole number")
    return value


def _names(d: dict[str, Any], name: str) -> tuple[str, ...]:
    values = _list(d.get(name, []), name, 100)
    if not all(isinstance(v, str) for v in values):
        raise ValueError(f"{name!r} must be a list of strings")
    return tuple(values)


def questionnaire_from_dict(data: Any) -> Questionnaire:
    d = _obj(data, "a questionnaire")
    questions = []
    for raw in _list(d.get("questions"), "questions", 100):
        q = _obj(raw, "a question")
        options = tuple(
            Option(_s(o, "id"), _s(o, "label"), _i(o, "weight", 0))
            for o in (_obj(x, "an option") for x in _list(q.get("options"), "options", 20))
        )
        questions.append(Question(_s(q, "id"), _s(q, "text"), options, _s(q, "help", "")))
    thresholds = tuple(
        Threshold(_i(t, "min_score"), _s(t, "level"), _s(t, "recommendation"))
        for t in (_obj(x, "a threshold") for x in _list(d.get("thresholds"), "thresholds", 20))
    )
    rules = tuple(
        Rule(
            _s(r, "question"),
            _s(r, "option"),
            _names(r, "requirement_sets"),
            _names(r, "solutions"),
            _names(r, "classifications"),
            _s(r, "note", ""),
        )
        for r in (_obj(x, "a rule") for x in _list(d.get("rules", []), "rules", 500))
    )
    return Questionnaire(
        _s(d, "id"), _s(d, "title"), tuple(questions), thresholds, rules, _i(d, "version", 1)
    )


def questionnaire_to_dict(q: Questionnaire) -> dict[str, Any]:
    return {
        "id": q.id,
        "title": q.title,
        "version": q.version,
        "questions": [
            {
                "id": x.id,
                "text": x.text,
                "help": x.help,
                "options": [{"id": o.id, "label": o.label, "weight": o.weight} for o in x.options],
            }
            for x in q.questions
        ],
        "thresholds": [
            {"min_score": t.min_score, "level": t.level, "recommendation": t.recommendation}
            for t in q.thresholds
        ],
        "rules": [
            {
                "question": r.question,
                "option": r.option,
                "requirement_sets": list(r.requirement_sets),
                "solutions": list(r.solutions),
                "classifications": list(r.classifications),
                "note": r.note,
            }
            for r in q.rules
        ],
    }


def result_to_dict(r: Result) -> dict[str, Any]:
    return {
        "score": r.score,
        "max_score": r.max_score,
        "level": r.level,
        "recommendation": r.recommendation,
        "requirement_sets": list(r.requirement_sets),
        "solutions": list(r.solutions),
        "classifications": list(r.classifications),
        "notes": list(r.notes),
    }


def result_from_dict(d: dict[str, Any]) -> Result:
    return Result(
        int(d["score"]),
        int(d["max_score"]),
        str(d["level"]),
        str(d["recommendation"]),
        tuple(d["requirement_sets"]),
        tuple(d["solutions"]),
        tuple(d["classifications"]),
        tuple(d["notes"]),
    )
