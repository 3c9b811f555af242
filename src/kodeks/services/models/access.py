"""Who may change an information model: governance's roles, with the model as the governed resource.

A model is a resource of kind ``model`` (``ResourceKind.MODEL``, its id the model id); roles on it are
granted and revoked as on a classification (``kodeks.services.governance.roles``), and decided by the
same function (``authorize``). Models are read by anyone.

- importing a *new* model: any signed-in user; a registered importer becomes its owner, in the same
  transaction as the import;
- re-importing, binding a value domain, sending to review or back to draft: a role on that model
  that allows drafting (owner, editor) — back to draft also a reviewer;
- publishing: a role that allows publishing (owner, reviewer), and four eyes as before (who sent the
  version to review does not publish it).

Administrators may do everything.
"""

from __future__ import annotations

from datetime import date

from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import Resource
from kodeks.domain.governance.roles import Action, ResourceKind, Role, RoleAssignment
from kodeks.errors import Unauthorized
from kodeks.services.clock import Clock
from kodeks.services.governance import audit, roles
from kodeks.services.governance.authz import authorize, authorize_any
from kodeks.services.governance.context import Governance
from kodeks.services.models import library, lifecycle, valuedomains
from kodeks.services.models.ports import Binding, ModelFormats, ModelStoreOpener

#: What moving a version to each status needs (any one of the actions).
STATUS_ACTIONS: dict[str, tuple[Action, ...]] = {
    "review": (Action.SUBMIT,),
    "draft": (Action.SUBMIT, Action.REVIEW),
    "published": (Action.PUBLISH,),
}


def model_resource(model_id: str) -> Resource:
    return Resource(ResourceKind.MODEL, model_id, public=True)


def import_model(
    gov: Governance,
    opener: ModelStoreOpener,
    formats: ModelFormats,
    actor: Actor,
    data: bytes,
    filename: str,
    *,
    model_id: str | None = None,
    format: str | None = None,
    valid_from: date | None = None,
    max_bytes: int = library.MAX_MODEL_BYTES,
    memory_budget: int | None = None,
    clock: Clock | None = None,
) -> library.ModelImport:
    """Import as ``actor``: a new model makes its importer the owner; an existing one needs a role."""
    if not actor.authenticated:
        raise Unauthorized("authentication required to import a model")
    read = library.read_model(
        formats,
        data,
        filename,
        model_id=model_id,
        format=format,
        max_bytes=max_bytes,
        memory_budget=memory_budget,
    )
    new_id = read.model.id
    with gov.uow(write=True) as uow:
        uow.lock(f"model:{new_id}")
        store = opener(uow)
        exists = store.latest(new_id) is not None
        if exists:
            authorize(actor, Action.DRAFT, model_resource(new_id))
        result = library.record_import(
            uow, store, read, valid_from=valid_from, actor=actor.name, clock=clock or gov.clock
        )
        importer = None if exists else actor.user_id
        if importer is not None and uow.governance.user(importer) is not None:  # a registered user
            now = gov.now()
            owner = RoleAssignment(
                importer, Role.OWNER, ResourceKind.MODEL, new_id, None, None, now, actor.name
            )
            assignment = uow.governance.add_assignment(owner)
            audit.record(
                uow,
                now,
                actor,
                "role.assign",
                assignment=assignment,
                user=importer,
                role=str(Role.OWNER),
                resource=f"{ResourceKind.MODEL}:{new_id}",
                codes=None,
            )
        if not result.already:
            uow.commit()
    return result


def bind(
    gov: Governance,
    opener: ModelStoreOpener,
    actor: Actor,
    model_id: str,
    element: str,
    classification_id: str,
    *,
    valid_at: date | None = None,
) -> Binding:
    authorize(actor, Action.DRAFT, model_resource(model_id))
    return valuedomains.bind(
        gov.uow,
        opener,
        model_id,
        element,
        classification_id,
        valid_at=valid_at,
        actor=actor.name,
        clock=gov.clock,
    )


def set_status(
    gov: Governance, opener: ModelStoreOpener, actor: Actor, model_id: str, target: str
) -> lifecycle.ModelStatus:
    authorize_any(actor, STATUS_ACTIONS.get(target, (Action.ADMINISTER,)), model_resource(model_id))
    return lifecycle.set_status(gov.uow, opener, model_id, target, actor=actor.name, clock=gov.clock)


def grant(gov: Governance, actor: Actor, user_id: str, role: Role, model_id: str) -> RoleAssignment:
    """Give ``user_id`` ``role`` on the model (its owners may; as on a classification)."""
    return roles.assign(gov, actor, user_id, role, ResourceKind.MODEL, model_id)
