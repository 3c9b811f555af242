"""Governance API for classifications: create them, set their policy, edit them through change sets
(draft → submitted → approved → published, or rejected), and read their audit trail.

Every edit carries the ETag it read in ``If-Match``: 428 without it, 409 (with what changed) when it is
stale. ETags come in the ``ETag`` header of the GET of the same thing (and in its body as ``etag``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kodeks.api import governance_http as render
from kodeks.api.governance_deps import ActorDep, GovernanceDep
from kodeks.api.governance_http import GovernedRoute, if_match, tagged
from kodeks.api.governance_schemas import (
    ChangeSetIn,
    ChangeSetPatch,
    ClassificationIn,
    ExpireIn,
    ItemIn,
    NewItemIn,
    NoteIn,
    PolicyIn,
    PublishIn,
    RejectIn,
)
from kodeks.api.params import After, ChangeSetId, Limit
from kodeks.domain.classification import Classification
from kodeks.domain.codec import item_from_dict, level_from_dict
from kodeks.domain.governance.changeset import ChangeSet, State
from kodeks.domain.item import Item
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.governance import audit, changesets, classifications, drafts, publishing
from kodeks.services.governance.drafts import cs_etag

CID = "/api/v1/classifications/{classification_id}"
CS = CID + "/changesets/{change_set_id}"
router = APIRouter(tags=["governance"], route_class=GovernedRoute)


@router.post("/api/v1/classifications", status_code=201)
def create_classification(body: ClassificationIn, gov: GovernanceDep, actor: ActorDep) -> JSONResponse:
    """Register a new, empty classification owned by an organisation; items come through change sets."""
    try:
        new = Classification(
            body.id,
            dict(body.titles),
            body.description,
            body.owner,
            body.publisher,
            body.licence,
            body.copyrighted,
            body.source_uri,
            None,
            body.code_order,
        )
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    made = classifications.create(
        gov,
        actor,
        new,
        owner=body.owner,
        public_read=body.public_read,
        four_eyes=body.four_eyes,
        note=body.note,
    )
    return tagged(render.governed(made), made.etag, 201)


@router.get(CID + "/policy")
def get_policy(classification_id: str, gov: GovernanceDep, actor: ActorDep) -> JSONResponse:
    found = classifications.governed(gov, actor, classification_id)
    return tagged(render.governed(found), found.etag)


@router.patch(CID + "/policy")
def update_policy(
    classification_id: str, body: PolicyIn, request: Request, gov: GovernanceDep, actor: ActorDep
) -> JSONResponse:
    """Change the owner, public read (``null``: the default for its licence) or the four-eyes rule."""
    changed = classifications.update_policy(
        gov, actor, classification_id, if_match(request), body.model_dump(exclude_unset=True)
    )
    return tagged(render.governed(changed), changed.etag)


@router.get(CID + "/audit")
def classification_audit(
    classification_id: str, gov: GovernanceDep, actor: ActorDep, after: After = 0, limit: Limit = 100
) -> JSONResponse:
    trail = audit.classification_trail(gov, actor, classification_id, after=after, limit=limit)
    entries = [render.audit_entry(a) for a in trail]
    return JSONResponse({"classification": classification_id, "entries": entries})


@router.get(CID + "/items/{code}/audit")
def item_audit(
    classification_id: str,
    code: str,
    gov: GovernanceDep,
    actor: ActorDep,
    after: After = 0,
    limit: Limit = 100,
) -> JSONResponse:
    trail = audit.classification_trail(gov, actor, classification_id, code=code, after=after, limit=limit)
    return JSONResponse(
        {"classification": classification_id, "code": code, "entries": [render.audit_entry(a) for a in trail]}
    )


@router.post(CID + "/changesets", status_code=201)
def open_change_set(
    classification_id: str, body: ChangeSetIn, gov: GovernanceDep, actor: ActorDep
) -> JSONResponse:
    cs = changesets.open_change_set(
        gov,
        actor,
        classification_id,
        title=body.title,
        label=body.label,
        effective=body.effective,
        levels=_levels(body.levels),
        metadata=_metadata(body.metadata),
    )
    return tagged(render.change_set(cs, []), cs_etag(cs), 201)


@router.get(CID + "/changesets")
def list_change_sets(
    classification_id: str, gov: GovernanceDep, actor: ActorDep, state: State | None = None
) -> JSONResponse:
    found = changesets.list_for(gov, actor, classification_id, state)
    return JSONResponse([render.change_set(cs) for cs in found])


def _mine(cs: ChangeSet, classification_id: str) -> None:
    if cs.classification_id != classification_id:
        raise NotFound(f"change set {cs.id} is not a change set of {classification_id}")


@router.get(CS)
def get_change_set(
    classification_id: str, change_set_id: ChangeSetId, gov: GovernanceDep, actor: ActorDep
) -> JSONResponse:
    cs, entries = changesets.get(gov, actor, change_set_id)
    _mine(cs, classification_id)
    return tagged(render.change_set(cs, entries), cs_etag(cs))


def _check(gov: Any, actor: Any, classification_id: str, change_set_id: ChangeSetId) -> None:
    cs, _entries = changesets.get(gov, actor, change_set_id)
    _mine(cs, classification_id)


@router.patch(CS)
def update_change_set(
    classification_id: str,
    change_set_id: ChangeSetId,
    body: ChangeSetPatch,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    changes = body.model_dump(exclude_unset=True)
    if "levels" in changes:
        changes["levels"] = _levels(body.levels)
    if "metadata" in changes:
        changes["metadata"] = _metadata(body.metadata)
    _check(gov, actor, classification_id, change_set_id)
    cs = changesets.update(gov, actor, change_set_id, if_match(request), changes)
    return tagged(render.change_set(cs), cs_etag(cs))


@router.post(CS + "/items", status_code=201)
def add_item(
    classification_id: str,
    change_set_id: ChangeSetId,
    body: NewItemIn,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    """Add a new code to the draft (409 if the classification or the draft has it already)."""
    _check(gov, actor, classification_id, change_set_id)
    item = _item(body, body.code)
    done = drafts.put_item(gov, actor, change_set_id, body.code, item, if_match(request), create=True)
    return tagged(render.draft_item(done), done.etag, 201)


@router.get(CS + "/items/{code}")
def get_item(
    classification_id: str, change_set_id: ChangeSetId, code: str, gov: GovernanceDep, actor: ActorDep
) -> JSONResponse:
    """The code as the draft would publish it, with the ETag the next edit sends in If-Match."""
    _check(gov, actor, classification_id, change_set_id)
    found = drafts.draft_item(gov, actor, change_set_id, code)
    return tagged(render.draft_item(found), found.etag)


@router.put(CS + "/items/{code}")
def put_item(
    classification_id: str,
    change_set_id: ChangeSetId,
    code: str,
    body: ItemIn,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    """State the code's content from the change set's effective date on (If-Match when it exists)."""
    _check(gov, actor, classification_id, change_set_id)
    done = drafts.put_item(gov, actor, change_set_id, code, _item(body, code), if_match(request))
    return tagged(render.draft_item(done), done.etag)


@router.post(CS + "/items/{code}/expire")
def expire_item(
    classification_id: str,
    change_set_id: ChangeSetId,
    code: str,
    body: ExpireIn,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    """End the code's open validity (the one change allowed to what published versions say)."""
    _check(gov, actor, classification_id, change_set_id)
    done = drafts.expire_item(gov, actor, change_set_id, code, body.valid_to, if_match(request))
    return tagged(render.draft_item(done), done.etag)


@router.post(CS + "/items/{code}/rebase")
def rebase_item(
    classification_id: str,
    change_set_id: ChangeSetId,
    code: str,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    """Keep the draft's edit over what the registry published since (after reading it)."""
    _check(gov, actor, classification_id, change_set_id)
    done = drafts.rebase_item(gov, actor, change_set_id, code, if_match(request))
    return tagged(render.draft_item(done), done.etag)


@router.delete(CS + "/items/{code}")
def drop_item(
    classification_id: str,
    change_set_id: ChangeSetId,
    code: str,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    """Take the code out of the draft (the draft's history keeps the revision; the registry is untouched)."""
    _check(gov, actor, classification_id, change_set_id)
    done = drafts.drop_item(gov, actor, change_set_id, code, if_match(request))
    return tagged(render.draft_item(done), done.etag)


@router.post(CS + "/submit")
def submit(
    classification_id: str, change_set_id: ChangeSetId, request: Request, gov: GovernanceDep, actor: ActorDep
) -> JSONResponse:
    _check(gov, actor, classification_id, change_set_id)
    cs = changesets.submit(gov, actor, change_set_id, if_match(request))
    return tagged(render.change_set(cs), cs_etag(cs))


@router.post(CS + "/approve")
def approve(
    classification_id: str,
    change_set_id: ChangeSetId,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
    body: NoteIn | None = None,
) -> JSONResponse:
    _check(gov, actor, classification_id, change_set_id)
    cs = changesets.approve(gov, actor, change_set_id, if_match(request), body.note if body else None)
    return tagged(render.change_set(cs), cs_etag(cs))


@router.post(CS + "/reject")
def reject(
    classification_id: str,
    change_set_id: ChangeSetId,
    body: RejectIn,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    _check(gov, actor, classification_id, change_set_id)
    cs = changesets.reject(gov, actor, change_set_id, if_match(request), body.reason)
    return tagged(render.change_set(cs), cs_etag(cs))


@router.post(CS + "/publish")
def publish(
    classification_id: str,
    change_set_id: ChangeSetId,
    body: PublishIn,
    request: Request,
    gov: GovernanceDep,
    actor: ActorDep,
) -> JSONResponse:
    """Publish an approved change set as one new version (one registration); a note is required."""
    _check(gov, actor, classification_id, change_set_id)
    done = publishing.publish(gov, actor, change_set_id, if_match(request), body.note)
    r = done.report
    registration = {
        "recorded_at": r.recorded_at.isoformat() + "Z",
        "release": r.release_label,
        "items": r.items,
        "inserted": r.inserted,
        "closed": r.closed,
    }
    out = {**render.change_set(done.change_set), "registration": registration}
    return tagged(out, cs_etag(done.change_set))


def _item(body: ItemIn, code: str) -> Item:
    try:
        return item_from_dict(body.as_dict(code))
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None


def _levels(levels: Any) -> Any:
    return tuple(level_from_dict(lv.model_dump()) for lv in levels) if levels is not None else None


def _metadata(metadata: Any) -> dict[str, Any] | None:
    return metadata.model_dump(exclude_unset=True) if metadata is not None else None
