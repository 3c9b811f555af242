"""The search page: one form (words or a code, classification, level, date, expired too) and hits
that link to the item as it was valid (at the asked date, else within its own validity)."""

from __future__ import annotations

from kodeks.bootstrap import Kodeks
from kodeks.services import queries
from kodeks.services.search import SearchHit, SearchQuery, search
from kodeks.web.access import readable
from kodeks.web.catalog import entries_by_id, entry_href, order, shown_title
from kodeks.web.contexts import Link, SearchPage
from kodeks.web.contexts import SearchHit as HitView
from kodeks.web.item import last_day_within
from kodeks.web.visit import Visit

RESULTS = 50


def search_page(kodeks: Kodeks, v: Visit) -> SearchPage:
    q = v.param("q") or ""
    cid = v.param("klassifikation", "classification", limit=64) or ""
    level = v.int_param("niveau", "level", low=0, high=99)
    include_expired = (v.param("udgaaede", "include_expired", limit=5) or "") in (
        "1",
        "true",
        "on",
        "ja",
        "yes",
    )
    classifications = queries.list_classifications(kodeks.uow, v.when.known_at)
    entries = entries_by_id(kodeks)
    titles = {c.id: shown_title(c, entries.get(c.id), v.lang) for c in classifications}
    options = tuple(Link(cid, title) for cid, title in sorted(titles.items(), key=lambda p: order(*p)))
    hits: tuple[HitView, ...] = ()
    if q:
        result = search(
            kodeks.uow,
            kodeks.search_index,
            SearchQuery(q, cid or None, level, v.at, include_expired, RESULTS),
        )
        allowed: dict[str, bool] = {}
        for h in result.hits:  # the same read policy as the classification pages
            if h.classification_id not in allowed:
                allowed[h.classification_id] = h.kind != "item" or readable(
                    kodeks, v.request, h.classification_id
                )
        hits = tuple(_hit(v, h, titles) for h in result.hits if allowed[h.classification_id])
    meta = v.meta(v.t("n_results", count=len(hits), q=q) if q else v.t("search_title"), section="search")
    return SearchPage(meta, "/soeg", q, cid, level, v.at, include_expired, options, hits, len(hits), bool(q))


def _hit(v: Visit, hit: SearchHit, titles: dict[str, str]) -> HitView:
    title = hit.titles.get(v.lang) or hit.title
    if hit.kind == "item" and hit.code is not None:
        urls = v.urls if hit.valid_at else v.urls.at_date(last_day_within(hit.valid))
        return HitView(
            urls.item(hit.classification_id, hit.code),
            hit.code,
            title,
            titles.get(hit.classification_id, hit.classification_id),
            "item",
            hit.valid,
        )
    return HitView(
        v.urls.classification(hit.classification_id)
        if hit.classification_id in titles
        else entry_href(v, hit.classification_id),
        None,
        title,
        titles.get(hit.classification_id, hit.classification_id),
        hit.kind,
    )
