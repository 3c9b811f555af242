"""The catalog (*klassifikationskatalog*): list, read, create, edit, delete and import entries.

Functions take the unit-of-work factory and the two openers (catalog store, search index) that the
composition root holds as ``kodeks.uow``, ``kodeks.catalog`` and ``kodeks.search_index``. Input
dicts use the field names of ``kodeks.domain.catalog_codec``; bad input raises ``InvalidRequest``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from kodeks.domain.catalog import THEMES, CatalogEntry, apply_changes, enrich
from kodeks.domain.catalog_codec import fields_from_dict
from kodeks.domain.classification import Classification, is_slug
from kodeks.domain.data.quality import Declaration, declaration_from_dict
from kodeks.errors import Conflict, InvalidRequest, NotFound
from kodeks.services.catalog_ports import CatalogStore, CatalogStoreOpener, StoredEntry
from kodeks.services.clock import Clock, next_recorded_at, utcnow
from kodeks.services.ports import RecordedVersion, UnitOfWork, UnitOfWorkFactory
from kodeks.services.search_indexing import entry_document
from kodeks.services.search_ports import SearchIndexOpener


def derive_entry(c: Classification, versions: Sequence[RecordedVersion]) -> CatalogEntry:
    """A registry classification's entry, from its metadata and its latest version.

    Never fails: text is cut to the entry's limits, a missing Danish title falls back to another
    title (or the id), and values the entry cannot hold (a non-http landing page) are left out.
    """
    latest = max(versions, key=lambda v: (v.release.release_date, v.sequence)) if versions else None
    first = min((v.release.release_date for v in versions), default=None)
    titles = {"da": _clean(c.titles.get("da") or c.titles.get("en") or c.title(), 500) or c.id}
    if c.titles.get("en"):
        titles["en"] = _clean(c.titles["en"], 500) or c.id
    # Access is who may read the codes: Kodeks serves every registry classification's codes openly
    # (KLE too); the owner's copyright is a matter of rights, stated in ``rights``.
    entry = CatalogEntry(id=c.id, kind="registry", titles=titles, access="PUBLIC")
    optional: dict[str, Any] = {
        "descriptions": {"da": _clean(c.description, 10_000)} if c.description else {},
        "publisher": _clean(c.publisher, 500),
        "owner": _clean(c.owner, 500),
        "licence": None if c.copyrighted else _clean(c.licence, 500),
        "rights": _clean(c.licence, 500) if c.copyrighted else None,
        "landing_page": c.source_uri if _is_http(c.source_uri) else None,
        "identifier": c.canonical_uri if _is_http(c.canonical_uri) else None,
        "version": _clean(latest.release.label, 500) if latest else None,
        "issued": first,
        "modified": latest.release.release_date if latest else None,
    }
    for name, value in optional.items():
        try:
            entry = replace(entry, **{name: value})
        except ValueError:
            continue
    return entry


def _clean(value: str | None, limit: int) -> str | None:
    if not value:
        return None
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in value).strip()
    return text[:limit] or None


def _is_http(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://"))


def merge_derived(derived: CatalogEntry, stored: StoredEntry | None) -> CatalogEntry:
    if stored is None:
        return derived
    return enrich(derived, stored.entry, stored.edited)


#: The bundled EU data-theme vocabulary, when imported, names the themes.
THEMES_CLASSIFICATION = "eu-data-themes"


def theme_labels(uow_factory: UnitOfWorkFactory, lang: str = "da") -> dict[str, str]:
    """Theme code → label from the ``eu-data-themes`` classification (codes only when it is absent)."""
    labels = {code: code for code in sorted(THEMES)}
    with uow_factory() as uow:
        now = utcnow()
        if uow.classification(THEMES_CLASSIFICATION, now) is None:
            return labels
        for item in uow.items_at(THEMES_CLASSIFICATION, now.date(), now):
            if item.code in labels:
                labels[item.code] = item.title(lang)
    return labels


def _now(store: CatalogStore, uow: UnitOfWork, clock: Clock) -> datetime:
    lasts = [t for t in (store.last_recorded_at(), uow.last_recorded_at()) if t is not None]
    return next_recorded_at(clock, max(lasts) if lasts else None)


def list_entries(uow_factory: UnitOfWorkFactory, open_catalog: CatalogStoreOpener) -> list[StoredEntry]:
    with uow_factory() as uow:
        return open_catalog(uow).all()


def attach_quality(
    uow_factory: UnitOfWorkFactory,
    open_catalog: CatalogStoreOpener,
    entry_id: str,
    declaration: Declaration,
    actor: str | None = None,
    clock: Clock = utcnow,
) -> None:
    """Attach ``declaration`` to the entry ``entry_id`` (replacing the one it had): the DCAT feed then
    gives the entry's dataset the declaration's measurements."""
    if not is_slug(entry_id):
        raise NotFound(f"no catalog entry {entry_id[:80]!r}")
    with uow_factory() as uow:
        store = open_catalog(uow)
        if store.get(entry_id) is None:
            raise NotFound(f"no catalog entry {entry_id!r}", entry=entry_id)
        store.put_quality(entry_id, declaration.as_dict(), actor, _now(store, uow, clock))
        uow.commit()


def qualities(uow_factory: UnitOfWorkFactory, open_catalog: CatalogStoreOpener) -> dict[str, Declaration]:
    """The quality declaration attached to each entry that has one."""
    with uow_factory() as uow:
        found = open_catalog(uow).qualities()
    return {k: declaration_from_dict(v) for k, v in found.items()}


def get_entry(uow_factory: UnitOfWorkFactory, open_catalog: CatalogStoreOpener, entry_id: str) -> StoredEntry:
    if not is_slug(entry_id):
        raise NotFound(f"no catalog entry {entry_id[:80]!r}")
    with uow_factory() as uow:
        found = open_catalog(uow).get(entry_id)
    if found is None:
        raise NotFound(f"no catalog entry {entry_id!r}", entry=entry_id)
    return found


def _parse(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    try:
        return fields_from_dict(data, partial=partial)
    except ValueError as exc:
        raise InvalidRequest(f"invalid catalog entry: {exc}") from None


def create_entry(
    uow_factory: UnitOfWorkFactory,
    open_catalog: CatalogStoreOpener,
    open_index: SearchIndexOpener,
    data: dict[str, Any],
    actor: str | None,
    clock: Clock = utcnow,
) -> CatalogEntry:
    """Create an external entry (a classification Kodeks links to but holds no items for)."""
    fields = _parse(data, partial=False)
    if fields.get("kind", "external") != "external":
        raise InvalidRequest("only external entries can be created; registry entries come with imports")
    try:
        entry = CatalogEntry(**{**fields, "kind": "external"})
    except ValueError as exc:
        raise InvalidRequest(f"invalid catalog entry: {exc}") from None
    with uow_factory() as uow:
        store = open_catalog(uow)
        if store.get(entry.id) is not None or uow.classification(entry.id, utcnow()) is not None:
            raise Conflict(f"catalog entry {entry.id!r} exists; change it with PATCH", entry=entry.id)
        store.put(entry, frozenset(fields) - {"id", "kind"}, actor, _now(store, uow, clock))
        open_index(uow).replace_entry(entry.id, entry_document(entry))
        uow.commit()
    return entry


def update_entry(
    uow_factory: UnitOfWorkFactory,
    open_catalog: CatalogStoreOpener,
    open_index: SearchIndexOpener,
    entry_id: str,
    data: dict[str, Any],
    actor: str | None,
    clock: Clock = utcnow,
) -> CatalogEntry:
    """Change some fields; they become the editor's and later imports keep them."""
    changes = _parse(data, partial=True)
    if changes.pop("id", entry_id) != entry_id:
        raise InvalidRequest("the id of an entry cannot be changed")
    kind = changes.pop("kind", None)
    if not is_slug(entry_id):
        raise NotFound(f"no catalog entry {entry_id[:80]!r}")
    with uow_factory() as uow:
        store = open_catalog(uow)
        stored = store.get(entry_id)
        if stored is None:
            raise NotFound(f"no catalog entry {entry_id!r}", entry=entry_id)
        if kind is not None and kind != stored.entry.kind:
            raise InvalidRequest("the kind of an entry (registry or external) cannot be changed")
        try:
            entry = apply_changes(stored.entry, changes)
        except ValueError as exc:
            raise InvalidRequest(f"invalid catalog entry: {exc}") from None
        if entry != stored.entry:
            store.put(entry, stored.edited | frozenset(changes), actor, _now(store, uow, clock))
            open_index(uow).replace_entry(entry.id, entry_document(entry))
            uow.commit()
    return entry


def delete_entry(
    uow_factory: UnitOfWorkFactory,
    open_catalog: CatalogStoreOpener,
    open_index: SearchIndexOpener,
    entry_id: str,
    clock: Clock = utcnow,
) -> None:
    """Delete an external entry; a registry classification's entry stays as long as the classification."""
    if not is_slug(entry_id):
        raise NotFound(f"no catalog entry {entry_id[:80]!r}")
    with uow_factory() as uow:
        store = open_catalog(uow)
        stored = store.get(entry_id)
        if stored is None:
            raise NotFound(f"no catalog entry {entry_id!r}", entry=entry_id)
        if stored.entry.kind == "registry":
            raise Conflict(f"{entry_id!r} describes a classification in the registry and cannot be deleted")
        store.remove(entry_id, _now(store, uow, clock))
        open_index(uow).replace_entry(entry_id, None)
        uow.commit()


@dataclass(frozen=True, slots=True)
class SheetReport:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


def import_entries(
    uow_factory: UnitOfWorkFactory,
    open_catalog: CatalogStoreOpener,
    open_index: SearchIndexOpener,
    rows: Sequence[dict[str, Any]],
    actor: str | None,
    clock: Clock = utcnow,
) -> SheetReport:
    """Create or update entries from sheet rows (field dicts; empty cells left out). All or nothing."""
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    with uow_factory() as uow:
        store, index = open_catalog(uow), open_index(uow)
        at = _now(store, uow, clock)
        for number, row in enumerate(rows, start=1):
            fields = _parse(row, partial=True)
            fields.pop("kind", None)
            entry_id = fields.get("id")
            if not entry_id:
                raise InvalidRequest(f"row {number}: id is required")
            stored = store.get(entry_id)
            classification = uow.classification(entry_id, utcnow()) if stored is None else None
            try:
                if stored is None and classification is None:
                    entry = CatalogEntry(**{"titles": {}, **fields, "kind": "external"})
                    edited = frozenset(fields) - {"id"}
                else:
                    if stored is not None:
                        base = stored.entry
                    else:
                        assert classification is not None
                        base = derive_entry(classification, uow.versions(entry_id, utcnow()))
                    changes = {k: v for k, v in fields.items() if k != "id"}
                    entry = replace(base, **changes)
                    edited = (stored.edited if stored else frozenset()) | frozenset(changes)
            except ValueError as exc:
                raise InvalidRequest(f"row {number} ({entry_id}): {exc}") from None
            if stored is not None and stored.entry == entry:
                unchanged.append(entry_id)
                continue
            (updated if stored else created).append(entry_id)
            store.put(entry, edited, actor, at)
            index.replace_entry(entry_id, entry_document(entry))
            at += timedelta(microseconds=1)
        uow.commit()
    return SheetReport(tuple(created), tuple(updated), tuple(unchanged))
