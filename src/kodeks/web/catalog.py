"""The catalogue: the overview (every classification in the registry, and the entries Kodeks only
links to) and one entry's page with its DCAT-AP-DK metadata."""

from __future__ import annotations

from starlette.requests import Request

from kodeks.bootstrap import Kodeks
from kodeks.domain.catalog import CatalogEntry
from kodeks.domain.classification import Classification
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


#: The classifications most readers come for, shown first (KLE for case filing, FSIII for care);
#: the rest follow by title.
FIRST = ("kle", "fsiii", "kle-handlingsfacetter")


def order(cid: str, title: str) -> tuple[int, str]:
    return (FIRST.index(cid) if cid in FIRST else len(FIRST), title.casefold())


def shown_title(c: Classification, entry: CatalogEntry | None, lang: str) -> str:
    """The catalogue entry's title in ``lang`` (editors and the catalogue seed give Danish titles the
    source may lack: the EU vocabularies are titled in English only), else the classification's."""
    if entry is not None and entry.titles.get(lang):
        return entry.titles[lang]
    return c.title(lang)


def shown_description(c: Classification, entry: CatalogEntry | None, lang: str) -> str | None:
    """The entry's description in ``lang``; the source's own description only where the entry has
    none (a source's description may be in another language, or be a build note)."""
    if entry is not None:
        return entry.description(lang) or None
    return c.description


def shown_licence(c: Classification, entry: CatalogEntry | None) -> tuple[str, str | None]:
    """``("licence", text)`` or, for a copyrighted classification such as KLE, ``("rights", text)``:
    as the catalogue states it, else as the source does."""
    if entry is not None and (entry.licence or entry.rights):
        return ("licence", entry.licence) if entry.licence else ("rights", entry.rights)
    return ("rights" if c.copyrighted else "licence", c.licence)


def entries_by_id(kodeks: Kodeks) -> dict[str, CatalogEntry]:
    return {s.entry.id: s.entry for s in catalog.list_entries(kodeks.uow, kodeks.catalog)}


def classification_title(kodeks: Kodeks, c: Classification, lang: str) -> str:
    """``shown_title`` for one classification (pages other than the catalogue)."""
    return shown_title(c, entries_by_id(kodeks).get(c.id), lang)


def home_page(kodeks: Kodeks, v: Visit) -> HomePage:
    known_at = v.when.known_at
    entries = entries_by_id(kodeks)
    summaries = []
    for c in queries.list_classifications(kodeks.uow, known_at):
        versions = queries.versions(kodeks.uow, c.id, known_at)
        latest = versions[-1] if versions else None
        entry = entries.get(c.id)
        licence_label, licence = shown_licence(c, entry)
        summaries.append(
            ClassificationSummary(
                c.id,
                shown_title(c, entry, v.lang),
                v.urls.classification(c.id),
                shown_description(c, entry, v.lang),
                c.owner or (entry.owner if entry else None),
                licence,
                c.copyrighted,
                latest.label if latest else None,
                latest.release_date if latest else None,
                latest.item_count if latest else None,
                entry_href(v, c.id) if entry else None,
                tuple(theme(v, t) for t in entry.themes) if entry else (),
                licence_label,
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
    summaries.sort(key=lambda s: order(s.id, s.title))
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
