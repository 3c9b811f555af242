"""A screening questionnaire, and the rules that turn a project's answers into a recommendation.

- Each question has answer options with a weight; the score is the sum of the chosen options' weights.
- Thresholds map the score to a level of architecture attention (the highest threshold not above the
  score wins): e.g. 0 → ``lav``, 5 → ``middel``, 12 → ``høj``.
- Rules add what applies when an option is chosen: requirement sets to use, common solutions (from the
  solution landscape), classifications to use (``kle``) and a note ("Journalisér efter KLE").
Every question must be answered with one of its options; an unknown question or option is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MAX_QUESTIONS = 100
MAX_OPTIONS = 20


def _check_id(kind: str, value: str) -> None:
    if not _ID.match(value):
        raise ValueError(f"{kind} id {value[:70]!r} must be 1-64 lower-case letters, digits, '.', '_' or '-'")


def _check_text(kind: str, value: str, limit: int = 2000) -> None:
    if not value.strip() or len(value) > limit:
        raise ValueError(f"{kind} must be 1-{limit:,} characters")


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str
    weight: int = 0

    def __post_init__(self) -> None:
        _check_id("option", self.id)
        _check_text("an option's label", self.label, 500)
        if not -1000 <= self.weight <= 1000:
            raise ValueError("a weight must be between -1000 and 1000")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]
    help: str = ""

    def __post_init__(self) -> None:
        _check_id("question", self.id)
        _check_text("a question's text", self.text)
        if not 2 <= len(self.options) <= MAX_OPTIONS:
            raise ValueError(f"question {self.id} needs 2-{MAX_OPTIONS} options")
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id} names an option twice")
        if len(self.help) > 2000:
            raise ValueError("help text must be at most 2,000 characters")

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class Threshold:
    min_score: int
    level: str
    recommendation: str

    def __post_init__(self) -> None:
        _check_text("a level", self.level, 100)
        _check_text("a recommendation", self.recommendation)


@dataclass(frozen=True, slots=True)
class Rule:
    """When ``question`` is answered ``option``: add these."""

    question: str
    option: str
    requirement_sets: tuple[str, ...] = ()
    solutions: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if len(self.note) > 2000:
            raise ValueError("a rule's note must be at most 2,000 characters")
        for name in (*self.requirement_sets, *self.solutions, *self.classifications):
            if not name.strip() or len(name) > 200:
                raise ValueError(
                    "a rule names requirement sets, solutions and classifications of 1-200 characters"
                )


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    title: str
    questions: tuple[Question, ...]
    thresholds: tuple[Threshold, ...]
    rules: tuple[Rule, ...] = ()
    version: int = 1

    def __post_init__(self) -> None:
        _check_id("questionnaire", self.id)
        _check_text("a title", self.title, 300)
        if not 1 <= len(self.questions) <= MAX_QUESTIONS:
            raise ValueError(f"a questionnaire has 1-{MAX_QUESTIONS} questions")
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("a question id is used twice")
        if not self.thresholds or len(self.thresholds) > 20:
            raise ValueError("a questionnaire needs 1-20 thresholds")
        scores = [t.min_score for t in self.thresholds]
        if scores != sorted(set(scores)):
            raise ValueError("thresholds must be in rising order of score, each score once")
        if len(self.rules) > 500:
            raise ValueError("at most 500 rules")
        for rule in self.rules:
            question = self.question(rule.question)
            if question is None or question.option(rule.option) is None:
                raise ValueError(f"a rule names an unknown answer {rule.question}={rule.option}")

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True, slots=True)
class Result:
    score: int
    max_score: int
    level: str
    recommendation: str
    requirement_sets: tuple[str, ...]
    solutions: tuple[str, ...]
    classifications: tuple[str, ...]
    notes: tuple[str, ...]


def evaluate(q: Questionnaire, answers: Mapping[str, str]) -> Result:
    """Score ``answers`` (question id → option id) and apply thresholds and rules."""
    unknown = sorted(set(answers) - {x.id for x in q.questions})
    if unknown:
        raise ValueError(f"unknown question(s): {', '.join(u[:64] for u in unknown[:5])}")
    missing = [x.id for x in q.questions if x.id not in answers]
    if missing:
        raise ValueError(f"unanswered question(s): {', '.join(missing[:10])}")
    score = 0
    for question in q.questions:
        option = question.option(answers[question.id])
        if option is None:
            raise ValueError(f"question {question.id} has no option {answers[question.id][:64]!r}")
        score += option.weight
    max_score = sum(max(o.weight for o in x.options) for x in q.questions)
    reached = [t for t in q.thresholds if t.min_score <= score] or [q.thresholds[0]]
    chosen = reached[-1]
    fired = [r for r in q.rules if answers.get(r.question) == r.option]

    def union(values: list[tuple[str, ...]]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for group in values for v in group))

    return Result(
        score,
        max_score,
        chosen.level,
        chosen.recommendation,
        union([r.requirement_sets for r in fired]),
        union([r.solutions for r in fired]),
        union([r.classifications for r in fired]),
        tuple(r.note for r in fired if r.note),
    )
