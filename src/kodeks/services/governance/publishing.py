"""Publishing an approved change set: atomically, as ONE bitemporal registration.

The change set becomes a ``ReleaseKind.PATCH`` release labelled with its version label and dated on
its effective date. For each code it names, the patch states the code's whole new history (what the
published versions said before the effective date is kept unchanged, so they stay frozen). The release
is recorded through ``importing.record_release``, exactly as an import is: timeline rebuilt, records
closed and inserted, one registration (action ``publish``, the publisher's note). Listeners (change
feeds, search) run in the same transaction.

Publishing refuses (409) when any code changed in the registry after the draft first touched it;
the message names the codes and who changed them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from kodeks.domain.codec import item_to_dict
from kodeks.domain.governance import changeset as workflow
from kodeks.domain.governance import edits
from kodeks.domain.governance.changeset import ChangeSet, Entry, EntryOp
from kodeks.domain.governance.etag import item_etag
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.roles import Action, ResourceKind
from kodeks.domain.item import Item
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import Conflict
from kodeks.services.clock import next_recorded_at
from kodeks.services.governance import audit
from kodeks.services.governance.authz import CURRENT, authorize, classification_resource, policy_for
from kodeks.services.governance.changesets import check, code_paths, whole_classification
from kodeks.services.governance.concurrency import require_match
from kodeks.services.governance.context import Governance
from kodeks.services.governance.drafts import DraftView, cs_etag, load, rules
from kodeks.services.governance.ports import GovernanceUnitOfWork
from kodeks.services.importing import ImportReport, record_release

FORMAT = "changeset"


@dataclass(frozen=True, slots=True)
class Published:
    change_set: ChangeSet
    report: ImportReport


def publish(gov: Governance, actor: Actor, cs_id: int, if_match: str | None, note: str | None) -> Published:
    public = gov.public_copyrighted
    with gov.uow(write=True) as uow:
        cs = load(uow, cs_id)
        cid = cs.classification_id
        authorize(actor, Action.PUBLISH, classification_resource(uow, cid, public_copyrighted=public))
        uow.governance.lock(f"classification:{cid}")
        cs = load(uow, cs_id, for_update=True)
        require_match(if_match, cs_etag(cs), f"change set {cs_id}", state=str(cs.state))
        draft = DraftView(uow, cs)
        entries = [e for e in uow.governance.entries(cs_id) if e.op is not EntryOp.DROP]
        authorize(
            actor,
            Action.PUBLISH,
            classification_resource(
                uow,
                cid,
                public_copyrighted=public,
                codes=code_paths(draft, entries),
                whole=whole_classification(cs),
            ),
        )
        four_eyes = policy_for(uow, ResourceKind.CLASSIFICATION, cid).four_eyes
        with rules():
            workflow.publish(cs, actor.name, note, gov.now(), four_eyes=four_eyes)
            edits.check_not_frozen(cs.effective, uow.governance.latest_release_date(cid))
        before = _refuse_stale(uow, cid, entries)
        histories = check(uow, draft, entries)
        bundle = _bundle(uow, cs, histories)
        at = next_recorded_at(gov.clock, uow.last_recorded_at())
        report = record_release(
            uow,
            bundle,
            bundle.release(),
            at,
            _digest(bundle),
            FORMAT,
            actor.name,
            action="publish",
            note=note,
        )
        for listener in gov.listeners:
            listener(uow, report)
        with rules():
            published = workflow.publish(cs, actor.name, note, at, four_eyes=four_eyes)
        uow.governance.save_change_set(published)
        after = uow.governance.item_fingerprints(cid, list(histories))
        for code in histories:
            audit.record(
                uow,
                at,
                actor,
                "item.publish",
                classification_id=cid,
                code=code,
                change_set_id=cs_id,
                note=note,
                label=cs.label,
                before=before[code],
                after=item_etag(cid, code, after.get(code, [])),
            )
        audit.record(
            uow,
            at,
            actor,
            "changeset.publish",
            classification_id=cid,
            change_set_id=cs_id,
            note=note,
            label=cs.label,
            effective=cs.effective.isoformat(),
            items=report.items,
            inserted=report.inserted,
            closed=report.closed,
            author=cs.author,
            reviewer=cs.reviewer,
        )
        uow.commit()
    return Published(published, report)


def _refuse_stale(uow: GovernanceUnitOfWork, cid: str, entries: list[Entry]) -> dict[str, str]:
    """The codes' current tags; ``Conflict`` naming who changed them if any moved since the draft's base."""
    fingerprints = uow.governance.item_fingerprints(cid, [e.code for e in entries])
    current = {e.code: item_etag(cid, e.code, fingerprints.get(e.code, [])) for e in entries}
    stale = [e for e in entries if e.base != current[e.code]]
    if not stale:
        return current
    changed = []
    for e in stale[:20]:
        last = uow.governance.last_audit(cid, e.code, "item.publish")
        changed.append(
            {
                "code": e.code,
                "base": e.base,
                "current": current[e.code],
                "changed_by": last.actor if last else None,
                "change_set": last.change_set_id if last else None,
            }
        )
    codes = ", ".join(e.code for e in stale[:10])
    raise Conflict(
        f"{len(stale)} code(s) changed in {cid} after this draft touched them: {codes}; "
        "read them, then rebase or redo the edits",
        changed=changed,
    )


def _bundle(uow: GovernanceUnitOfWork, cs: ChangeSet, histories: dict[str, tuple[Item, ...]]) -> Bundle:
    classification = uow.classification(cs.classification_id, CURRENT)
    assert classification is not None
    if cs.metadata:
        classification = replace(classification, **cs.metadata)
    versions = uow.versions(cs.classification_id, CURRENT)
    levels = cs.levels if cs.levels is not None else (versions[-1].levels if versions else ())
    items = tuple(item for facts in histories.values() for item in facts)
    return Bundle(
        classification,
        items,
        levels,
        release_label=cs.label,
        release_date=cs.effective,
        kind=ReleaseKind.PATCH,
        source=f"changeset/{cs.id}",
        format=FORMAT,
    )


def _digest(bundle: Bundle) -> str:
    canonical = json.dumps([item_to_dict(i) for i in bundle.items], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
