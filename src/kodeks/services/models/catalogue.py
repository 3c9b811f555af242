"""The model catalogue: the entries of an imported catalogue (DIGST's) and one entry for every model
Kodeks holds, in the catalogue's vocabulary; harvestable as DCAT (``formats.models_catalogue``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kodeks.domain.models.catalogue import CatalogueEntry
from kodeks.domain.models.status import APPROVAL_STATUS, MODEL_STATUS
from kodeks.services.clock import Clock, utcnow
from kodeks.services.models import lifecycle
from kodeks.services.models.library import recorded_time
from kodeks.services.models.ports import Event, ModelStoreOpener
from kodeks.services.ports import UnitOfWorkFactory

#: Model kinds as the model catalogue's model types (URIs as the catalogue itself writes them).
MODEL_TYPE_BY_KIND = {
    "concept": "https://data.gov.dk/model/core/modeltype#ConceptModel",
    "information": "https://data.gov.dk/concept/core/modeltype#InformationModel",
    "logical": "https://data.gov.dk/model/core/modeltype#LogicalDataModel",
    "classification": "https://data.gov.dk/concept/core/modeltype#ClassificationModel",
}


@dataclass(frozen=True, slots=True)
class CatalogueImport:
    entries: int
    recorded: int


def import_catalogue(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    read: Callable[[bytes, str], Sequence[CatalogueEntry]],
    data: bytes,
    filename: str,
    *,
    actor: str | None = None,
    clock: Clock = utcnow,
) -> CatalogueImport:
    """Record every entry of the catalogue file; an entry already held as it is is not recorded again.
    All or nothing."""
    entries = read(data, filename)
    with uow_factory() as uow:
        uow.lock("model-catalogue")
        store = opener(uow)
        at = recorded_time(uow, store, clock)
        recorded = sum(store.put_catalogue_entry(e, actor, at) for e in entries)
        store.add_event(
            Event(
                "catalogue",
                "import-catalogue",
                actor,
                filename,
                {"entries": len(entries), "recorded": recorded},
                at,
            )
        )
        uow.commit()
    return CatalogueImport(len(entries), recorded)


def held_entries(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, base_url: str
) -> list[CatalogueEntry]:
    """One entry per model Kodeks holds (newest version), with its status and approval status."""
    base = base_url.rstrip("/")
    with uow_factory() as uow:
        store = opener(uow)
        held = [store.latest(info.model_id) for info in store.models()]
    states = lifecycle.statuses(uow_factory, opener)
    own = []
    for stored in held:
        if stored is None:
            continue
        m = stored.model
        state = states[m.id].status if m.id in states else "draft"
        own.append(
            CatalogueEntry(
                uri=f"{base}/modeller/{m.id}",
                titles={"da": m.name},
                descriptions={"da": m.description} if m.description else {},
                model_type=MODEL_TYPE_BY_KIND.get(m.kind, ""),
                status=MODEL_STATUS[state],
                approval_status=APPROVAL_STATUS[state],
                landing_page=f"{base}/modeller/{m.id}",
                version=m.version or str(stored.info.sequence),
                issued=stored.info.recorded_at.date().isoformat(),
                model_id=m.id,
            )
        )
    return own


def catalogue(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, base_url: str
) -> list[CatalogueEntry]:
    """The imported entries, then one per model Kodeks holds (newest version)."""
    with uow_factory() as uow:
        imported = opener(uow).catalogue_entries()
    return [*imported, *held_entries(uow_factory, opener, base_url)]
