"""Screening: define a questionnaire (administrators), screen a project (anyone), read and compare results.

A screening is stored with the questionnaire version it answered and the result computed then, so a
later version of the questionnaire never changes an old result; comparing projects compares results.
Recommended requirement sets that do not exist are reported, not silently listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from kodeks.domain.governance.identity import Actor
from kodeks.domain.screening.codec import questionnaire_from_dict, questionnaire_to_dict
from kodeks.domain.screening.questionnaire import Questionnaire, evaluate
from kodeks.errors import Forbidden, InvalidRequest, NotFound, Unauthorized
from kodeks.services.governance import audit
from kodeks.services.governance.context import Governance
from kodeks.services.screening.ports import Screening, ScreeningStoreOpener

MAX_PROJECT = 300


@dataclass(frozen=True)
class ScreeningContext:
    gov: Governance
    store: ScreeningStoreOpener


def define(ctx: ScreeningContext, actor: Actor, data: Any) -> Questionnaire:
    """Record the next version of a questionnaire (administrators only); an unchanged one is not recorded."""
    if not actor.authenticated:
        raise Unauthorized("authentication required to define a questionnaire")
    if not actor.admin:
        raise Forbidden("only administrators define screening questionnaires")
    try:
        q = questionnaire_from_dict(data)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    with ctx.gov.uow(write=True) as uow:
        store = ctx.store(uow)
        old = store.questionnaire(q.id)
        if old is not None and questionnaire_to_dict(replace(old, version=1)) == questionnaire_to_dict(
            replace(q, version=1)
        ):
            return old
        q = replace(q, version=old.version + 1 if old else 1)
        at = ctx.gov.now()
        store.add_questionnaire(q, at, actor.name)
        audit.record(uow, at, actor, "questionnaire.define", questionnaire=q.id, version=q.version)
        uow.commit()
    return q


def questionnaire(ctx: ScreeningContext, questionnaire_id: str, version: int | None = None) -> Questionnaire:
    with ctx.gov.uow() as uow:
        q = ctx.store(uow).questionnaire(questionnaire_id, version)
    if q is None:
        raise NotFound(f"no questionnaire {questionnaire_id!r}", questionnaire=questionnaire_id)
    return q


def questionnaires(ctx: ScreeningContext) -> list[Questionnaire]:
    with ctx.gov.uow() as uow:
        return ctx.store(uow).questionnaires()


def screen(
    ctx: ScreeningContext, actor: Actor, questionnaire_id: str, project: str, answers: Mapping[str, Any]
) -> Screening:
    """Answer the newest version of a questionnaire for ``project``; the result is stored."""
    project = project.strip() if isinstance(project, str) else ""
    if not project or len(project) > MAX_PROJECT or any(not ch.isprintable() for ch in project):
        raise InvalidRequest(f"name the project (1-{MAX_PROJECT} printable characters)")
    if not isinstance(answers, Mapping) or len(answers) > 200:
        raise InvalidRequest("answers are an object of question id → option id")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        raise InvalidRequest("answers are an object of question id → option id (strings)")
    q = questionnaire(ctx, questionnaire_id)
    try:
        result = evaluate(q, answers)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    with ctx.gov.uow(write=True) as uow:
        store = ctx.store(uow)
        at = ctx.gov.now()
        made = Screening(
            0, q.id, q.version, project, dict(answers), result, at, actor.name, actor.organisation
        )
        made = replace(made, id=store.add_screening(made))
        audit.record(uow, at, actor, "screening.run", questionnaire=q.id, project=project, level=result.level)
        uow.commit()
    return made


def get(ctx: ScreeningContext, screening_id: int) -> Screening:
    with ctx.gov.uow() as uow:
        found = ctx.store(uow).screening(screening_id)
    if found is None:
        raise NotFound(f"no screening {screening_id}", screening=screening_id)
    return found


def listing(ctx: ScreeningContext, *, project: str | None = None, limit: int = 100) -> list[Screening]:
    if not 1 <= limit <= 500:
        raise InvalidRequest("limit must be 1-500")
    with ctx.gov.uow() as uow:
        return ctx.store(uow).screenings(project=project, limit=limit)
