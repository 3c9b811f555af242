"""Keeping the search index and the catalog in step with the registry.

``import_listener`` runs inside every import's transaction (``Kodeks.listeners``): it derives the
classification's catalog entry (keeping what editors set) and re-indexes the classification's
currently recorded facts. ``reindex`` rebuilds everything (after a migration, or to repair).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from kodeks.domain.catalog import CatalogEntry
from kodeks.domain.item import Item
from kodeks.domain.language import default_language, shown_title
from kodeks.domain.period import Period
from kodeks.domain.search_rank import MAX_BODY_TERMS, DocumentTerms
from kodeks.domain.search_text import compact_code, terms
from kodeks.services.catalog_ports import CatalogStore, CatalogStoreOpener
from kodeks.services.clock import utcnow
from kodeks.services.importing import ImportReport, Listener
from kodeks.services.ports import UnitOfWork, UnitOfWorkFactory
from kodeks.services.search_ports import SearchDocument, SearchIndex, SearchIndexOpener

DEFAULT_KEYWORD_WEIGHT = 5


def _dedupe(words: Iterable[str], cap: int | None = None) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(words))
    return out[:cap] if cap else out


def item_document(
    classification_id: str,
    item: Item,
    default_lang: str | None = None,
    period: Period | None = None,
) -> SearchDocument:
    """The search document of one item fact: found on the dates of ``period`` (the fact's; the item's
    validity when not given), showing the item's validity (its lifespan).

    The headline title is Danish, else English, else the classification's default language
    (``shown_title``); every title and alternative title is analysed in its own language, and texts
    without a language (description, notes, keywords) in ``default_lang`` (Danish when unknown).
    """
    lang, title = shown_title(item.titles, "da", default_lang) or ("da", item.code)
    others = [(lg, t) for lg, t in sorted(item.titles.items()) if lg != lang and t and t != title]
    alt = _dedupe(w for lg, text in [*others, *item.alt_titles] for w in terms(text, lg))
    weighted = [(k.term, k.weight or DEFAULT_KEYWORD_WEIGHT) for k in item.keywords]
    keywords = _keyword_weights(weighted, default_lang)
    body_texts = [(item.description, default_lang), *((n, default_lang) for n in item.notes)]
    body_texts += [(r.title, default_lang) for r in item.legal_refs]
    body_texts += [(t.text, default_lang if t.lang == "und" else t.lang) for t in item.texts]  # own language
    body = _dedupe((w for text, lg in body_texts for w in terms(text, lg)), MAX_BODY_TERMS)
    phrases = frozenset(" ".join(terms(k.term, default_lang)) for k in item.keywords) - {""}
    doc_terms = DocumentTerms(item.code, tuple(terms(title, lang)), alt, keywords, body, phrases)
    titles = {k: v for k, v in item.titles.items() if k in ("da", "en") or k == lang}
    return SearchDocument(
        "item",
        classification_id,
        title,
        titles,
        doc_terms,
        item.code,
        item.level,
        period or item.valid,
        _fts(doc_terms, compact_code(item.code)),
        lifespan=item.valid,
    )


def entry_document(entry: CatalogEntry) -> SearchDocument:
    """The search document of a catalog entry (found by title, id, keywords, publisher, description)."""
    title = entry.title()
    alt = _dedupe(
        w
        for text, lang in ((entry.titles.get("en"), "en"), (entry.id.replace("-", " "), "da"))
        for w in terms(text, lang)
    )
    extra = [*entry.keywords, entry.subject_area, entry.publisher, entry.owner]
    keywords = _keyword_weights((k, DEFAULT_KEYWORD_WEIGHT) for k in extra if k)
    body_texts = [*entry.descriptions.values(), *entry.used_by]
    body = _dedupe((w for text in body_texts for w in terms(text)), MAX_BODY_TERMS)
    phrases = frozenset(" ".join(terms(k)) for k in entry.keywords) - {""}
    doc_terms = DocumentTerms(None, tuple(terms(title)), alt, keywords, body, phrases)
    return SearchDocument("catalog", entry.id, title, dict(entry.titles), doc_terms, fts=_fts(doc_terms, ""))


def _keyword_weights(keywords: Iterable[tuple[str, int]], lang: str | None = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for text, weight in keywords:
        for word in terms(text, lang):
            out[word] = max(out.get(word, 0), weight)
    return out


def _fts(t: DocumentTerms, code: str) -> dict[str, str]:
    return {
        "code": code,
        "title": " ".join(t.title),
        "keywords": " ".join([*t.alt, *t.keywords]),
        "body": " ".join(t.body),
    }


def index_classification(
    uow: UnitOfWork, index: SearchIndex, classification_id: str, known_at: datetime
) -> int:
    """Replace the classification's item documents with its facts recorded at ``known_at``."""
    classification = uow.classification(classification_id, known_at)
    lang = default_language(classification.titles) if classification else None
    count = 0

    def documents() -> Iterator[SearchDocument]:
        nonlocal count
        # A document per fact, valid over the fact's period: a search at a date finds the content of
        # that date. The facts come in batches, so a large classification is never held whole.
        for batch in uow.fact_batches(classification_id, known_at):
            count += len(batch)
            yield from (item_document(classification_id, f.item, lang, f.period) for f in batch)

    index.replace_items(classification_id, documents())
    return count


def sync_entry(
    uow: UnitOfWork, store: CatalogStore, index: SearchIndex, classification_id: str, recorded_at: datetime
) -> CatalogEntry | None:
    """Derive the classification's entry from its metadata, keep editors' fields, store and index it."""
    from kodeks.services.catalog import derive_entry, merge_derived

    classification = uow.classification(classification_id, recorded_at)
    if classification is None:
        return None
    versions = uow.versions(classification_id, recorded_at)
    stored = store.get(classification_id)
    entry = merge_derived(derive_entry(classification, versions), stored)
    if stored is None or stored.entry != entry:
        last = store.last_recorded_at()
        at = recorded_at if last is None or recorded_at > last else last + timedelta(microseconds=1)
        store.put(entry, stored.edited if stored else frozenset(), stored.actor if stored else None, at)
    index.replace_entry(entry.id, entry_document(entry))
    return entry


def import_listener(open_index: SearchIndexOpener, open_catalog: CatalogStoreOpener) -> Listener:
    """The listener that keeps catalog and index in step with every import."""

    def listener(uow: UnitOfWork, report: ImportReport) -> None:
        index = open_index(uow)
        sync_entry(uow, open_catalog(uow), index, report.classification_id, report.recorded_at)
        index_classification(uow, index, report.classification_id, report.recorded_at)

    return listener


def reindex(
    uow_factory: UnitOfWorkFactory,
    open_index: SearchIndexOpener,
    open_catalog: CatalogStoreOpener,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Rebuild the whole index (and any missing registry entries); returns the documents indexed."""
    say = progress or (lambda _msg: None)
    with uow_factory() as uow:
        index, store = open_index(uow), open_catalog(uow)
        now = uow.last_recorded_at() or utcnow()
        index.clear()
        for classification in uow.classifications(now):
            say(f"indexing {classification.id}")
            sync_entry(uow, store, index, classification.id, max(now, utcnow()))
            index_classification(uow, index, classification.id, now)
        for stored in store.all():
            if stored.entry.kind == "external":
                index.replace_entry(stored.entry.id, entry_document(stored.entry))
        count = index.document_count()
        uow.commit()
    return count
