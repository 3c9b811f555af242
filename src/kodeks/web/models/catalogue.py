"""The model catalogue's pages: the imported entries (DIGST's catalogue) with their vocabulary values
linked to the registry classifications that hold them."""

from __future__ import annotations

from kodeks.bootstrap import Kodeks
from kodeks.domain.models.catalogue import VOCABULARIES, CatalogueEntry, entry_key
from kodeks.services.models import catalogue
from kodeks.services.models.catalogue import Vocabularies
from kodeks.web.contexts import Link
from kodeks.web.models.contexts import CatalogueEntryPage, CataloguePage, CatalogueRow, VocabularyCell
from kodeks.web.models.labels import labels
from kodeks.web.models.pages import href
from kodeks.web.visit import Visit

SEGMENT = "katalog"
FEED = "/api/v1/models/catalog"


def _cell(v: Visit, vocab: Vocabularies, field_name: str, uri: str) -> VocabularyCell:
    value = vocab.value(field_name, uri)
    link = (
        v.urls.item(value.classification_id, value.code) if value.classification_id and value.code else None
    )
    return VocabularyCell(value.label(v.lang) if uri else "", uri, link)


def _crumbs(v: Visit, L: dict[str, str]) -> tuple[Link, ...]:
    return (Link(href(v), L["models"]), Link(href(v, SEGMENT), L["catalogue"]))


def catalogue_page(kodeks: Kodeks, v: Visit) -> CataloguePage:
    L = labels(v.lang)
    vocab = catalogue.vocabularies(kodeks.uow)

    def row(e: CatalogueEntry) -> CatalogueRow:
        cells = {f: _cell(v, vocab, f, getattr(e, f)) for f in VOCABULARIES}
        return CatalogueRow(
            e.title(v.lang),
            href(v, SEGMENT, entry_key(e.uri)),
            cells["model_type"],
            cells["model_scope"],
            cells["modelling_regime"],
            cells["status"],
            cells["approval_status"],
            e.publisher,
        )

    rows = tuple(row(e) for e in catalogue.imported_entries(kodeks.uow, kodeks.models))
    held = vocab.classifications
    linked = tuple(Link(v.urls.classification(held[f]), L[f]) for f in VOCABULARIES if f in held)
    return CataloguePage(v.meta(L["catalogue"], _crumbs(v, L), section="models"), L, rows, linked, FEED)


def catalogue_entry_page(kodeks: Kodeks, v: Visit, key: str) -> CatalogueEntryPage:
    L = labels(v.lang)
    e = catalogue.imported_entry(kodeks.uow, kodeks.models, key)
    vocab = catalogue.vocabularies(kodeks.uow)
    title = e.title(v.lang)
    return CatalogueEntryPage(
        v.meta(title, (*_crumbs(v, L), Link(href(v, SEGMENT, key), title)), section="models"),
        L,
        e.uri,
        title,
        tuple(sorted(e.titles.items())),
        tuple(sorted(e.descriptions.items())),
        tuple((f, _cell(v, vocab, f, getattr(e, f))) for f in VOCABULARIES),
        e.publisher,
        e.landing_page,
        e.version,
        e.issued,
        e.keywords,
    )
