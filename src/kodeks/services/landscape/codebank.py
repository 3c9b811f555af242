"""The AI code bank's use cases: publish an entry, search entries, offer, request, register interest.

Who may do what: an administrator (``as_municipality=None``) anything; a municipality's user only
for that municipality: publish entries it owns, offer or request in its own name, register its own
interest. Publishing an entry also records it as a solution of the landscape (its ``solution()``),
so its use by municipalities is recorded, read and exported like any other solution's.
"""

from __future__ import annotations

from dataclasses import dataclass

from kodeks.domain.landscape.codebank import CodeBankEntry, Offer, OfferKind
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.errors import Forbidden, InvalidRequest, NotFound
from kodeks.services.clock import Clock, next_recorded_at, utcnow
from kodeks.services.landscape.codebank_ports import CodeBankStoreOpener
from kodeks.services.landscape.ports import LandscapeStoreOpener
from kodeks.services.landscape.tasks import TaskResolver, TaskState
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When

MAX_NOTE = 2000


@dataclass(frozen=True, slots=True)
class Published:
    entry: CodeBankEntry
    changed: bool
    task_state: str


def publish(
    uow_factory: UnitOfWorkFactory,
    open_bank: CodeBankStoreOpener,
    open_landscape: LandscapeStoreOpener,
    entry: CodeBankEntry,
    *,
    actor: str | None = None,
    as_municipality: str | None = None,
    clock: Clock = utcnow,
) -> Published:
    if as_municipality is not None and entry.owner != as_municipality:
        raise Forbidden(
            f"municipality {as_municipality} may publish its own entries only (owner {entry.owner})"
        )
    state = TaskResolver(uow_factory, When.of()).resolve(entry.task)
    if state.state is TaskState.UNKNOWN:
        raise InvalidRequest(f"{entry.task} is not a KLE code")
    with uow_factory() as uow:
        uow.lock("landscape")
        bank, landscape = open_bank(uow), open_landscape(uow)
        at = next_recorded_at(clock, landscape.last_recorded_at())
        existing = bank.entry(entry.id, at)
        if existing is not None and as_municipality is not None and existing.owner != as_municipality:
            raise Forbidden(f"entry {entry.id!r} belongs to municipality {existing.owner}")
        changed = bank.put_entry(entry, actor, at)
        landscape.put_solution(entry.solution(), actor, at)
        uow.commit()
    return Published(entry, changed, state.state.value)


def search(
    uow_factory: UnitOfWorkFactory,
    open_bank: CodeBankStoreOpener,
    *,
    q: str | None = None,
    task: str | None = None,
) -> list[CodeBankEntry]:
    """Entries whose text has every word of ``q`` (case-insensitive) and that serve KLE ``task`` (or a
    task under it)."""
    if q is not None and len(q) > 200:
        raise InvalidRequest("q is longer than 200 characters")
    with uow_factory() as uow:
        found = open_bank(uow).entries(utcnow())
    words = (q or "").casefold().split()
    out = [e for e in found if all(w in e.text().casefold() for w in words)]
    if task:
        out = [e for e in out if e.task.code == task or e.task.code.startswith(task + ".")]
    return out


def entry(uow_factory: UnitOfWorkFactory, open_bank: CodeBankStoreOpener, entry_id: str) -> CodeBankEntry:
    with uow_factory() as uow:
        found = open_bank(uow).entry(entry_id, utcnow())
    if found is None:
        raise NotFound(f"no code bank entry {entry_id!r}", entry=entry_id)
    return found


def _who(municipality: str, as_municipality: str | None) -> str:
    code = municipality.lstrip("0")
    if code not in MUNICIPALITIES:
        raise InvalidRequest(f"{municipality!r} is not a Danish municipality code")
    if as_municipality is not None and code != as_municipality:
        raise Forbidden(f"you may act for municipality {as_municipality} only")
    return code


def _note(note: str) -> str:
    if len(note) > MAX_NOTE:
        raise InvalidRequest(f"the note is longer than {MAX_NOTE} characters")
    return note.strip()


def offer(
    uow_factory: UnitOfWorkFactory,
    open_bank: CodeBankStoreOpener,
    entry_id: str,
    kind: str,
    municipality: str,
    note: str = "",
    *,
    actor: str | None = None,
    as_municipality: str | None = None,
) -> Offer:
    """A municipality offers an entry (it must own it) or requests one like it."""
    try:
        what = OfferKind(kind)
    except ValueError:
        raise InvalidRequest("kind must be 'offer' or 'request'") from None
    code = _who(municipality, as_municipality)
    with uow_factory() as uow:
        bank = open_bank(uow)
        found = bank.entry(entry_id, utcnow())
        if found is None:
            raise NotFound(f"no code bank entry {entry_id!r}", entry=entry_id)
        if what is OfferKind.OFFER and found.owner != code:
            raise Forbidden(f"only its owner (municipality {found.owner}) may offer {entry_id!r}")
        new_id = bank.add_offer(entry_id, what, code, _note(note), actor, utcnow())
        uow.commit()
        made = bank.offer(new_id)
    assert made is not None
    return made


def register_interest(
    uow_factory: UnitOfWorkFactory,
    open_bank: CodeBankStoreOpener,
    offer_id: int,
    municipality: str,
    note: str = "",
    *,
    actor: str | None = None,
    as_municipality: str | None = None,
) -> Offer:
    code = _who(municipality, as_municipality)
    with uow_factory() as uow:
        bank = open_bank(uow)
        found = bank.offer(offer_id)
        if found is None:
            raise NotFound(f"no offer {offer_id}", offer=offer_id)
        if found.municipality == code:
            raise InvalidRequest("a municipality cannot register interest in its own offer")
        bank.add_interest(offer_id, code, _note(note), actor, utcnow())
        uow.commit()
        made = bank.offer(offer_id)
    assert made is not None
    return made


def offers(
    uow_factory: UnitOfWorkFactory, open_bank: CodeBankStoreOpener, entry_id: str | None = None
) -> list[Offer]:
    with uow_factory() as uow:
        return open_bank(uow).offers(entry_id)
