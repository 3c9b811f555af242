"""Build the requirement and screening pages' contexts from the services."""

from __future__ import annotations

from collections.abc import Sequence

from kodeks.bootstrap import Kodeks
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import organisation_resource
from kodeks.domain.governance.roles import Action
from kodeks.domain.requirements.requirement import RefKind
from kodeks.errors import Forbidden, InvalidRequest, NotFound, Unauthorized
from kodeks.services import queries
from kodeks.services.governance.authz import may
from kodeks.services.queries import When
from kodeks.services.requirements import catalogue, sets
from kodeks.services.requirements.context import Requirements
from kodeks.services.screening import screenings
from kodeks.services.screening.screenings import ScreeningContext
from kodeks.web.access import csrf_token
from kodeks.web.contexts import Link
from kodeks.web.requirements.contexts import (
    RequirementListPage,
    RequirementPage,
    RequirementSetPage,
    ScreeningComparisonPage,
    ScreeningFormPage,
    ScreeningResultPage,
    UploadForm,
)
from kodeks.web.urls import seg
from kodeks.web.visit import Visit


def principle_titles(kodeks: Kodeks, ctx: Requirements) -> dict[str, str]:
    """Code → title of every principle and rule (empty when the classification is not imported)."""
    try:
        found = queries.items(kodeks.uow, ctx.principles, When.of(None, None))
    except NotFound:
        return {}
    return {i.code: i.title("da") for i in found}


def _lang(v: Visit, href: str) -> str:
    return href if v.lang == "da" else f"{href}{'&' if '?' in href else '?'}lang={v.lang}"


def list_page(kodeks: Kodeks, ctx: Requirements, v: Visit, actor: Actor) -> RequirementListPage:
    q = v.param("q") or ""
    principle = v.param("princip", "principle", limit=64) or ""
    found = catalogue.listing(ctx, actor, q=q or None, principle=principle or None)
    titles = principle_titles(kodeks, ctx)
    return RequirementListPage(
        meta=v.meta(v.t("req_heading"), (Link(_lang(v, "/krav"), v.t("nav_requirements")),), "requirements"),
        q=q,
        principle=principle,
        principles=tuple((code, f"{code} {title}") for code, title in titles.items()),
        requirements=tuple(found),
        sets=tuple(sets.listing(ctx)),
        action="/krav",
    )


def _reference(v: Visit, kind: RefKind, target: str) -> Link | str:
    if kind is RefKind.CATALOG:
        return Link(v.urls.catalog_entry(target), target)
    if kind is RefKind.CLASSIFICATION:
        cid, _, code = target.partition(":")
        href = f"/klassifikationer/{seg(cid)}" + (f"/{seg(code)}" if code else "")
        return Link(_lang(v, href), target)
    if kind is RefKind.URL:
        return Link(target, target)
    return f"{kind}: {target}"


def requirement_page(
    kodeks: Kodeks, ctx: Requirements, v: Visit, actor: Actor, requirement_id: str
) -> RequirementPage:
    version = v.int_param("version", low=1)
    req = catalogue.get(ctx, actor, requirement_id, version)
    titles = principle_titles(kodeks, ctx)
    crumbs = (
        Link(_lang(v, "/krav"), v.t("nav_requirements")),
        Link(_lang(v, f"/krav/{seg(req.id)}"), req.id),
    )
    return RequirementPage(
        meta=v.meta(f"{req.id} {req.title}", crumbs, "requirements"),
        requirement=req,
        principles=tuple((p, titles.get(p, "")) for p in req.principles),
        references=tuple(_reference(v, r.kind, r.target) for r in req.references),
        versions=tuple(catalogue.versions(ctx, actor, requirement_id)),
    )


def set_page(
    ctx: Requirements, v: Visit, actor: Actor, set_id: str, credential: str | None = None
) -> RequirementSetPage:
    rset, lines = sets.get(ctx, set_id)
    try:
        comparison = sets.comparison(ctx, actor, set_id)
    except (Unauthorized, Forbidden):
        comparison = None
    upload = None
    if credential and may(actor, Action.DRAFT, organisation_resource(rset.owner)):
        upload = UploadForm(_lang(v, f"/krav/saet/{seg(rset.id)}/svar"), csrf_token(credential))
    count = v.int_param("svar", low=0, high=100_000)
    base = f"/api/v1/requirement-sets/{seg(rset.id)}/export?format="
    crumbs = (
        Link(_lang(v, "/krav"), v.t("nav_requirements")),
        Link(_lang(v, f"/krav/saet/{seg(rset.id)}"), rset.id),
    )
    return RequirementSetPage(
        meta=v.meta(rset.title, crumbs, "requirements"),
        requirement_set=rset,
        lines=tuple(lines),
        downloads=tuple(Link(base + f, v.t(f"req_{f}")) for f in ("xlsx", "docx", "reqif")),
        comparison=comparison,
        upload=upload,
        message=v.t("req_imported", count=count) if count is not None else "",
    )


def form_page(ctx: ScreeningContext, v: Visit) -> ScreeningFormPage:
    wanted = v.param("skema", "questionnaire", limit=64)
    found = screenings.questionnaires(ctx)
    chosen = next((q for q in found if q.id == wanted), None) if wanted else (found[0] if found else None)
    if wanted and chosen is None:
        raise NotFound(f"no questionnaire {wanted!r}")
    return ScreeningFormPage(
        meta=v.meta(v.t("scr_heading"), (Link(_lang(v, "/screening"), v.t("nav_screening")),), "screening"),
        questionnaire=chosen,
        action=_lang(v, "/screening"),
        screenings=tuple(screenings.listing(ctx, limit=50)),
    )


def _linked(v: Visit, names: Sequence[str], known: set[str], href: str) -> tuple[Link | str, ...]:
    return tuple(Link(_lang(v, href + seg(n)), n) if n in known else n for n in names)


def result_page(
    kodeks: Kodeks, rctx: Requirements, ctx: ScreeningContext, v: Visit, screening_id: int
) -> ScreeningResultPage:
    s = screenings.get(ctx, screening_id)
    q = screenings.questionnaire(ctx, s.questionnaire_id, s.questionnaire_version)
    answers = []
    for question in q.questions:
        option = question.option(s.answers.get(question.id, ""))
        answers.append((question.text, option.label if option else "–"))
    set_ids = {x.id for x in sets.listing(rctx)}
    classes = {c.id for c in queries.list_classifications(kodeks.uow)}
    crumbs = (
        Link(_lang(v, "/screening"), v.t("nav_screening")),
        Link(_lang(v, f"/screening/{s.id}"), s.project),
    )
    return ScreeningResultPage(
        meta=v.meta(f"{v.t('scr_result')}: {s.project}", crumbs, "screening"),
        screening=s,
        questionnaire=q,
        answers=tuple(answers),
        requirement_sets=_linked(v, s.result.requirement_sets, set_ids, "/krav/saet/"),
        classifications=_linked(v, s.result.classifications, classes, "/klassifikationer/"),
    )


MAX_COMPARED = 10


def comparison_page(ctx: ScreeningContext, v: Visit) -> ScreeningComparisonPage:
    """Up to ten screenings (``id`` repeated) side by side, in the order asked."""
    ids = v.params("id", limit=MAX_COMPARED)
    if not all(i.isdigit() and len(i) <= 9 for i in ids) or not ids:
        raise InvalidRequest(v.t("scr_compare_pick", limit=MAX_COMPARED), translated=True)
    found = [screenings.get(ctx, int(i)) for i in dict.fromkeys(ids)]
    labels: dict[str, str] = {}
    answers: list[dict[str, str]] = []
    for s in found:
        q = screenings.questionnaire(ctx, s.questionnaire_id, s.questionnaire_version)
        chosen: dict[str, str] = {}
        for question in q.questions:
            labels.setdefault(question.id, question.text)
            option = question.option(s.answers.get(question.id, ""))
            chosen[question.id] = option.label if option else "–"
        answers.append(chosen)
    rows = tuple((text, tuple(a.get(qid, "–") for a in answers)) for qid, text in labels.items())
    crumbs = (
        Link(_lang(v, "/screening"), v.t("nav_screening")),
        Link(_lang(v, "/screening/sammenlign"), v.t("scr_compare")),
    )
    return ScreeningComparisonPage(v.meta(v.t("scr_compare"), crumbs, "screening"), tuple(found), rows)
