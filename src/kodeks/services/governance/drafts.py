"""Editing the items of a draft change set, and reading a draft as it would publish.

Each edit appends a revision of the code's entry. An edit of a code that exists (in the registry or
in the draft) must carry the tag the editor read (``If-Match``): the entry's tag once the draft holds
the code, else the registry item's tag. Two editors who read the same revision both try to append the
next one; the store's unique (change set, code, revision) lets one in and turns the other into a 409,
so a stale edit never overwrites. Edits of different codes of one draft run side by side, and queue
only for the last statement, which bumps the change set's revision if it is still a draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from kodeks.domain.governance import edits
from kodeks.domain.governance.changeset import (
    ChangeSet,
    Entry,
    EntryOp,
    FourEyesError,
    MissingText,
    RuleError,
    StateError,
)
from kodeks.domain.governance.etag import change_set_etag, entry_etag, item_etag
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import CodePath
from kodeks.domain.governance.roles import Action
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.errors import Conflict, Forbidden, InvalidContent, InvalidRequest, NotFound
from kodeks.services.governance import audit
from kodeks.services.governance.authz import CURRENT, authorize, classification_resource
from kodeks.services.governance.concurrency import ANY, require_match
from kodeks.services.governance.context import Governance
from kodeks.services.governance.ports import GovernanceUnitOfWork


@contextmanager
def rules() -> Iterator[None]:
    """Translate the domain's rule errors into the Kodeks error tree."""
    try:
        yield
    except FourEyesError as exc:
        raise Forbidden(str(exc)) from None
    except (StateError, edits.FrozenError) as exc:
        raise Conflict(str(exc)) from None
    except (MissingText, edits.InvalidEdit) as exc:
        raise InvalidRequest(str(exc)) from None
    except RuleError as exc:
        raise InvalidRequest(str(exc)) from None


@dataclass(frozen=True, slots=True)
class DraftItem:
    """A code as the draft would publish it: ``item`` on the effective date, and its whole history.

    ``etag`` is what the next edit sends as If-Match; ``stale`` says the registry changed the code
    after the draft first touched it (publish will refuse until the edit is rebased).
    """

    change_set_id: int
    code: str
    item: Item | None
    history: tuple[Item, ...]
    etag: str
    registry_etag: str
    entry: Entry | None

    @property
    def stale(self) -> bool:
        return self.entry is not None and self.entry.base != self.registry_etag


class DraftView:
    """The registry overlaid with one change set's entries (as of this transaction)."""

    def __init__(self, uow: GovernanceUnitOfWork, cs: ChangeSet) -> None:
        self.uow = uow
        self.cs = cs
        assert cs.id is not None
        self.cs_id: int = cs.id
        self._entries: dict[str, Entry | None] = {}
        self._registry: dict[str, tuple[Item, ...]] = {}
        self._tags: dict[str, str] = {}

    def entry(self, code: str) -> Entry | None:
        if code not in self._entries:
            self._entries[code] = self.uow.governance.entry(self.cs_id, code)
        return self._entries[code]

    def registry(self, code: str) -> tuple[Item, ...]:
        if code not in self._registry:
            # Edits work on the code's versions: each item valid over its fact's period, as a patch states it.
            found = self.uow.facts_known_at(self.cs.classification_id, CURRENT, codes=[code])
            self._registry[code] = tuple(f.item.with_valid(f.period) for f in found)
        return self._registry[code]

    def registry_etag(self, code: str) -> str:
        if code not in self._tags:
            fps = self.uow.governance.item_fingerprints(self.cs.classification_id, [code]).get(code, [])
            self._tags[code] = item_etag(self.cs.classification_id, code, fps)
        return self._tags[code]

    def history(self, code: str) -> tuple[Item, ...]:
        entry = self.entry(code)
        facts = self.registry(code)
        if entry is None:
            return tuple(sorted(facts, key=lambda f: f.valid.start or date.min))
        return edits.apply_entry(facts, entry, self.cs.effective)

    def on(self, code: str, day: date) -> Item | None:
        return next((f for f in self.history(code) if f.valid.contains(day)), None)

    def ancestors(self, item: Item | None, day: date) -> tuple[str, ...]:
        """Parents of ``item`` on ``day``, nearest first; ``InvalidContent`` for unknown parents, cycles."""
        chain: list[str] = []
        current = item
        while current is not None and current.parent is not None:
            parent = current.parent
            if item is not None and (parent == item.code or parent in chain):
                raise InvalidContent(
                    "cycle in hierarchy: " + " → ".join([item.code, *chain, parent]),
                    location=f"code {item.code}",
                )
            parent_item = self.on(parent, day)
            if parent_item is None:
                raise InvalidContent(
                    f"parent {parent!r} of {current.code} is not valid on {day.isoformat()}",
                    location=f"code {current.code}",
                )
            chain.append(parent)
            current = parent_item
            if len(chain) > 100:
                break
        return tuple(chain)

    def view(self, code: str) -> DraftItem:
        entry = self.entry(code)
        registry_tag = self.registry_etag(code)
        tag = entry_etag(self.cs_id, code, entry.revision) if entry is not None else registry_tag
        history = self.history(code)
        item = self.on(code, self.cs.effective)
        return DraftItem(self.cs_id, code, item, history, tag, registry_tag, entry)


def load(uow: GovernanceUnitOfWork, cs_id: int, *, for_update: bool = False) -> ChangeSet:
    """The change set; ``for_update`` holds its row until the transaction ends (workflow steps)."""
    cs = uow.governance.change_set(cs_id, for_update=for_update)
    if cs is None:
        raise NotFound(f"no change set {cs_id}", change_set=cs_id)
    return cs


def draft_item(gov: Governance, actor: Actor, cs_id: int, code: str) -> DraftItem:
    with gov.uow() as uow:
        cs = load(uow, cs_id)
        authorize(
            actor,
            Action.READ_AUDIT,
            classification_resource(uow, cs.classification_id, public_copyrighted=gov.public_copyrighted),
        )
        return DraftView(uow, cs).view(code)


MakeEntry = Callable[[DraftView, DraftItem, int, str], Entry]


def _edit(
    gov: Governance,
    actor: Actor,
    cs_id: int,
    code: str,
    if_match: str | None,
    make: MakeEntry,
    *,
    create: bool = False,
) -> DraftItem:
    with rules():
        edits.check_code(code)
    with gov.uow(write=True) as uow:
        cs = load(uow, cs_id)
        cid = cs.classification_id
        resource = classification_resource(uow, cid, public_copyrighted=gov.public_copyrighted)
        authorize(actor, Action.DRAFT, resource)
        if not cs.editable:
            raise Conflict(
                f"change set {cs_id} is {cs.state}; only a draft can be edited", state=str(cs.state)
            )
        draft = DraftView(uow, cs)
        before = draft.view(code)
        exists = before.entry is not None or bool(draft.registry(code))
        if create and exists:
            raise Conflict(f"{cid} has the code {code!r} already; edit it with PUT and If-Match", code=code)
        if if_match == ANY and not exists:
            raise Conflict(
                f"{cid} {code} does not exist, so If-Match: * does not match; send no If-Match to add it",
                code=code,
            )
        if exists or if_match is not None:
            require_match(
                if_match, before.etag, f"{cid} {code}", lambda: _last_change(uow, cid, code), code=code
            )
        revision = before.entry.revision + 1 if before.entry is not None else 1
        base = before.entry.base if before.entry is not None else before.registry_etag
        with rules():
            entry = make(draft, before, revision, base)
            draft._entries[code] = entry
            after = draft.view(code)
        old_path = CodePath(code, draft.ancestors(before.item, cs.effective)) if before.item else None
        new_path = CodePath(code, draft.ancestors(after.item, cs.effective))
        paths = (new_path,) if old_path is None else (new_path, old_path)
        authorize(actor, Action.DRAFT, replace(resource, codes=paths))
        uow.governance.add_entry(entry)
        uow.governance.add_contributor(cs_id, actor.name, entry.at)
        audit.record(
            uow,
            entry.at,
            actor,
            f"draft.{entry.op}",
            classification_id=cid,
            code=code,
            change_set_id=cs_id,
            revision=revision,
            before=before.etag,
            after=after.etag,
            item=_item_json(after.item),
        )
        if uow.governance.bump_change_set(cs_id, entry.at) is None:
            raise Conflict(f"change set {cs_id} was submitted meanwhile; only a draft can be edited")
        uow.commit()
        return after


def _item_json(item: Item | None) -> dict[str, object] | None:
    from kodeks.domain.codec import item_to_dict

    return item_to_dict(item) if item is not None else None


def _last_change(uow: GovernanceUnitOfWork, cid: str, code: str) -> dict[str, object]:
    """What changed the code last, for a 409: who, when, what."""
    last = uow.governance.last_audit(cid, code)
    if last is None:
        return {}
    return {
        "changed_by": last.actor,
        "changed_at": last.at.isoformat() + "Z",
        "change": last.action,
        "change_set": last.change_set_id,
    }


def put_item(
    gov: Governance,
    actor: Actor,
    cs_id: int,
    code: str,
    item: Item,
    if_match: str | None,
    *,
    create: bool = False,
) -> DraftItem:
    """State the code's content from the change set's effective date on."""

    def make(draft: DraftView, before: DraftItem, revision: int, base: str) -> Entry:
        content = replace(item, code=code, uuid=None)
        if before.item is not None or draft.registry(code):
            content = replace(content, valid=Period(None, item.valid.end))
        return Entry(cs_id, code, revision, EntryOp.UPSERT, base, actor.name, gov.now(), item=content)

    return _edit(gov, actor, cs_id, code, if_match, make, create=create)


def expire_item(
    gov: Governance, actor: Actor, cs_id: int, code: str, valid_to: date, if_match: str | None
) -> DraftItem:
    """End the code's open validity on ``valid_to`` (the one change allowed to published versions)."""

    def make(draft: DraftView, before: DraftItem, revision: int, base: str) -> Entry:
        if not before.history:
            raise edits.InvalidEdit(f"{code} is not in {draft.cs.classification_id}; nothing to expire")
        entry = before.entry
        if entry is not None and entry.op is EntryOp.UPSERT and entry.item is not None:
            content = entry.item.with_valid(Period(entry.item.valid.start, valid_to))
            return Entry(cs_id, code, revision, EntryOp.UPSERT, base, actor.name, gov.now(), item=content)
        made = Entry(cs_id, code, revision, EntryOp.EXPIRE, base, actor.name, gov.now(), valid_to=valid_to)
        edits.apply_entry(draft.registry(code), made, draft.cs.effective)
        return made

    return _edit(gov, actor, cs_id, code, if_match, make)


def link_successors(
    gov: Governance, actor: Actor, cs_id: int, code: str, successors: tuple[str, ...], if_match: str | None
) -> DraftItem:
    """Name the codes that succeed ``code`` (expired by the change set's effective date)."""

    def make(draft: DraftView, before: DraftItem, revision: int, base: str) -> Entry:
        if not before.history:
            raise edits.InvalidEdit(f"{code} is not in {draft.cs.classification_id}; nothing to link")
        for successor in successors:
            if not draft.history(successor):
                raise edits.InvalidEdit(f"successor {successor} is not in {draft.cs.classification_id}")
        link = Item(code, replaced_by=successors)
        made = Entry(cs_id, code, revision, EntryOp.LINK, base, actor.name, gov.now(), item=link)
        edits.apply_entry(draft.registry(code), made, draft.cs.effective)
        return made

    return _edit(gov, actor, cs_id, code, if_match, make)


def drop_item(gov: Governance, actor: Actor, cs_id: int, code: str, if_match: str | None) -> DraftItem:
    """Take the code out of the draft again (the registry is untouched)."""

    def make(draft: DraftView, before: DraftItem, revision: int, base: str) -> Entry:
        if before.entry is None or before.entry.op is EntryOp.DROP:
            raise edits.InvalidEdit(f"{code} is not in change set {cs_id}")
        return Entry(cs_id, code, revision, EntryOp.DROP, base, actor.name, gov.now())

    return _edit(gov, actor, cs_id, code, if_match, make)


def rebase_item(gov: Governance, actor: Actor, cs_id: int, code: str, if_match: str | None) -> DraftItem:
    """Keep the draft's edit of ``code`` over a newer registry state (after reading what changed)."""

    def make(draft: DraftView, before: DraftItem, revision: int, base: str) -> Entry:
        if before.entry is None:
            raise edits.InvalidEdit(f"{code} is not in change set {cs_id}")
        return replace(
            before.entry, revision=revision, base=before.registry_etag, author=actor.name, at=gov.now()
        )

    return _edit(gov, actor, cs_id, code, if_match, make)


def cs_etag(cs: ChangeSet) -> str:
    assert cs.id is not None
    return change_set_etag(cs.id, cs.revision)
