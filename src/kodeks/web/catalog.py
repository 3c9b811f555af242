"""The catalogue: the overview (every classification in the registry, and the entries Kodeks only
links to) and one entry's page with its DCAT-AP-DK metadata."""

from __future__ import annotations

from starlette.requests import Request

from kodeks.bootstrap import Kodeks
from kodeks.domain.catalog import CatalogEntry
from kodeks.services import catalog, queries
from kodeks.web.contexts import CatalogEntryPage, ClassificationSummary, HomePage, Link
from kodeks.web.urls import seg
from kodeks.web.visit import Visit

#: The EU data themes by name (the codes the catalogue stores).
THEME_NAMES = {
    "AGRI": ("Landbrug, fiskeri, skovbrug og fødevarer", "Agriculture, fisheries, forestry and food"),
    "ECON": ("Økonomi og finanser", "Economy and finance"),
    "EDUC": ("Uddannelse, kultur og sport", "Education, culture and sport"),
    "ENER": ("Energi", "Energy"),
    "ENVI": ("Miljø", "Environment"),
    "GOVE": ("Regeringen og den offentlige sektor", "Government and public sector"),
    "HEAL": ("Sundhed", "Health"),
    "INTR": ("Internationale spørgsmål", "International issues"),
    "JUST": ("Retsvæsen, retssystem og offentlig sikkerhed", "Justice, legal system and public safety"),
    "OP_DATPRO": ("Foreløbige data", "Provisional data"),
    "REGI": ("Regioner og byer", "Regions and cities"),
    "SOCI": ("Befolkning og samfund", "Population and society"),
    "TECH": ("Videnskab og teknologi", "Science and technology"),
    "TRAN": ("Transport", "Transport"),
}


def entry_href(v: Visit, entry_id: str) -> str:
    return v.urls.catalog_entry(entry_id)


def theme(v: Visit, code: str) -> str:
    names = THEME_NAMES.get(code)
    return names[0 if v.lang == "da" else 1] if names else code


def home_page(kodeks: Kodeks, v: Visit) -> HomePage:
    known_at = v.when.known_at
    entries = {s.entry.id: s.entry for s in catalog.list_entries(kodeks.uow, kodeks.catalog)}
    summaries = []
    for c in queries.list_classifications(kodeks.uow, known_at):
        versions = queries.versions(kodeks.uow, c.id, known_at)
        latest = versions[-1] if versions else None
        entry = entries.get(c.id)
        summaries.append(
            ClassificationSummary(
                c.id,
                c.title(v.lang),
                v.urls.classification(c.id),
                (entry.description(v.lang) if entry else None) or c.description,
                c.owner or (entry.owner if entry else None),
                c.licence,
                c.copyrighted,
                latest.label if latest else None,
                latest.release_date if latest else None,
                latest.item_count if latest else None,
                entry_href(v, c.id) if entry else None,
                tuple(theme(v, t) for t in entry.themes) if entry else (),
            )
        )
    external = [
        ClassificationSummary(
            e.id,
            e.title(v.lang),
            entry_href(v, e.id),
            e.description(v.lang) or None,
            e.owner or e.publisher,
            e.licence,
            False,
            e.version,
            e.modified,
            None,
            entry_href(v, e.id),
            tuple(theme(v, t) for t in e.themes),
        )
        for e in entries.values()
        if e.kind == "external"
    ]
    summaries.sort(key=lambda s: s.title.casefold())
    external.sort(key=lambda s: s.title.casefold())
    return HomePage(
        v.meta(v.t("catalog_title"), section="catalog"), tuple(summaries), "/soeg", tuple(external)
    )


def may_edit(kodeks: Kodeks, request: Request, entry: CatalogEntry) -> bool:
    from kodeks.web.catalog_editor import may_edit as allowed

    return allowed(kodeks, request, entry)


def entry_page(kodeks: Kodeks, v: Visit, entry_id: str) -> CatalogEntryPage:
    e: CatalogEntry = catalog.get_entry(kodeks.uow, kodeks.catalog, entry_id).entry
    t = v.t
    known = {s.entry.id for s in catalog.list_entries(kodeks.uow, kodeks.catalog)}
    facts = [
        (t(label), value)
        for label, value in (
            ("publisher", e.publisher),
            ("owner", e.owner),
            ("licence", e.licence),
            ("rights", e.rights),
            ("access", t(f"access_{e.access}")),
            ("subject_area", e.subject_area),
            ("frequency", t(f"frequency_{e.frequency}") if e.frequency else None),
            ("status", t(f"status_{e.status}")),
            ("version", e.version),
            ("issued", e.issued.isoformat() if e.issued else None),
            ("modified", e.modified.isoformat() if e.modified else None),
            ("contact", e.contact.name if e.contact else None),
        )
        if value
    ]
    links = [
        (t(label), Link(url, url))
        for label, url in (
            ("landing_page", e.landing_page),
            ("identifier", e.identifier),
            ("contact_page", e.contact.url if e.contact else None),
        )
        if url
    ]
    related = tuple(
        Link(entry_href(v, r), r) if r in known else Link(r, r)
        for r in e.related
        if r in known or r.startswith("http")
    )
    distributions = tuple(Link(d.url, d.title or d.media_type or d.url) for d in e.distributions)
    title = e.title(v.lang)
    registry_href = v.urls.classification(e.id) if e.kind == "registry" else None
    crumbs = (Link(v.urls.home(), t("nav_catalog")), Link(entry_href(v, e.id), title))
    return CatalogEntryPage(
        v.meta(title, crumbs, "catalog"),
        e.id,
        title,
        e.description(v.lang),
        e.kind,
        registry_href,
        tuple(facts),
        tuple(links),
        e.contact.email if e.contact else None,
        tuple(theme(v, x) for x in e.themes),
        e.keywords,
        e.used_by,
        related,
        distributions,
        f"/api/v1/catalog/entries/{seg(e.id)}",
        f"/redaktion/katalog/{seg(e.id)}" if may_edit(kodeks, v.request, e) else None,
        v.t("msg_entry_saved") if v.param("besked", limit=40) == "entry_saved" else None,
    )
