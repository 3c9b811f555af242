"""The model catalogue: the entries of an imported catalogue (DIGST's) and one entry for every model
Kodeks holds, in the catalogue's vocabulary; harvestable as DCAT (``formats.models_catalogue``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kodeks.domain.models.catalogue import VOCABULARIES, CatalogueEntry, entry_key, local_name
from kodeks.domain.models.status import APPROVAL_STATUS, MODEL_STATUS
from kodeks.errors import NotFound
from kodeks.services.clock import Clock, utcnow
from kodeks.services.models import lifecycle
from kodeks.services.models.library import recorded_time
from kodeks.services.models.ports import Event, ModelStoreOpener
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When, items, list_classifications

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


def imported_entries(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener) -> list[CatalogueEntry]:
    """The current entries of the imported catalogues, by title."""
    with uow_factory() as uow:
        entries = opener(uow).catalogue_entries()
    return sorted(entries, key=lambda e: (e.title().casefold(), e.uri))


def imported_entry(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, key: str) -> CatalogueEntry:
    """The imported entry whose ``entry_key`` is ``key``."""
    found = [e for e in imported_entries(uow_factory, opener) if entry_key(e.uri) == key]
    if not found:
        raise NotFound(f"the model catalogue has no entry {key!r}")
    return found[0]


@dataclass(frozen=True, slots=True)
class VocabularyValue:
    """A value of an entry's vocabulary field: its URI, and the registry classification and code that
    hold it (``None`` when the registry has no such classification, or it has no such code)."""

    uri: str
    classification_id: str | None = None
    code: str | None = None
    titles: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("da") or local_name(self.uri) or self.uri


class Vocabularies:
    """The registry classifications of the catalogue's vocabularies (``VOCABULARIES``), found by their
    concept scheme's URI, with their codes as valid on a date."""

    def __init__(self, held: dict[str, tuple[str, dict[str, dict[str, str]]]]) -> None:
        self._held = held  # field -> (classification id, code -> titles)

    def value(self, field_name: str, uri: str) -> VocabularyValue:
        if not uri or field_name not in self._held:
            return VocabularyValue(uri)
        cid, codes = self._held[field_name]
        code = local_name(uri)
        if code not in codes:
            return VocabularyValue(uri)
        return VocabularyValue(uri, cid, code, codes[code])

    @property
    def classifications(self) -> dict[str, str]:
        """Field -> the registry classification that holds its values."""
        return {f: cid for f, (cid, _) in self._held.items()}


def vocabularies(uow_factory: UnitOfWorkFactory, when: When | None = None) -> Vocabularies:
    """Find the catalogue's vocabularies among the registry's classifications (read through the
    registry's services only) and read their codes on ``when`` (default: today). A vocabulary is the
    classification whose URI or source URI is its concept scheme's, else the one with the id DIGST's
    file gives it; a value is linked by its URI's local name (its code)."""
    when = when or When.of()
    held_classifications = list_classifications(uow_factory, when.known_at)
    by_uri = {u: c.id for c in held_classifications for u in (c.source_uri, c.uri) if u}
    ids = {c.id for c in held_classifications}
    held: dict[str, tuple[str, dict[str, dict[str, str]]]] = {}
    for name, (scheme, default_id) in VOCABULARIES.items():
        cid = by_uri.get(scheme) or (default_id if default_id in ids else None)
        if cid is not None:
            held[name] = (cid, {i.code: dict(i.titles) for i in items(uow_factory, cid, when)})
    return Vocabularies(held)
