"""The search page: one form (words or a code, classification, level, date, expired too), hits that
link to the item as it was valid (at the asked date, else within its own validity), the total with a
pager, counts per classification (facets) and, per hit, where it matched (a stikord, a line of the
guidance) when the title does not say it."""

from __future__ import annotations

import re

from kodeks.bootstrap import Kodeks
from kodeks.domain.search_text import analyse_query, terms
from kodeks.errors import KodeksError
from kodeks.services import queries
from kodeks.services.queries import When
from kodeks.services.search import SearchHit, SearchQuery, search
from kodeks.web.access import readable
from kodeks.web.catalog import entries_by_id, entry_href, order, shown_title
from kodeks.web.contexts import Link, SearchPage
from kodeks.web.contexts import SearchHit as HitView
from kodeks.web.item import last_day_within
from kodeks.web.visit import Visit

RESULTS = 20
#: Longest guidance line shown as the reason for a hit.
SNIPPET = 180
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def search_page(kodeks: Kodeks, v: Visit) -> SearchPage:
    q = v.param("q") or ""
    cid = v.param("klassifikation", "classification", limit=64) or ""
    level = v.int_param("niveau", "level", low=0, high=99)
    start = v.int_param("start", "offset", low=0, high=1000 - RESULTS) or 0
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
    total = 0
    facets: tuple[tuple[Link, int, bool], ...] = ()
    pages: tuple[Link | None, Link | None] = (None, None)
    if q:
        query = SearchQuery(q, cid or None, level, v.at, include_expired, RESULTS, start)
        result = search(kodeks.uow, kodeks.search_index, query)
        allowed: dict[str, bool] = {}
        for h in (*result.hits, *(_facet_hit(x) for x in result.facets)):
            if h.classification_id not in allowed:  # the same read policy as the classification pages
                allowed[h.classification_id] = h.kind != "item" or readable(
                    kodeks, v.request, h.classification_id
                )
        hits = tuple(_hit(kodeks, v, h, titles, q) for h in result.hits if allowed[h.classification_id])
        total = result.total
        filters = {"niveau": level, "dato": v.at, "udgaaede": "1" if include_expired else None}
        facets = tuple(
            (Link(v.urls.search(q, klassifikation=fid, **filters), titles.get(fid, fid)), n, fid == cid)
            for fid, n in sorted(result.facets.items(), key=lambda p: (-p[1], p[0]))
            if allowed.get(fid, True)
        )
        here = {"klassifikation": cid or None, **filters}
        previous = (
            Link(v.urls.search(q, **here, start=max(0, start - RESULTS) or None), v.t("previous_page"))
            if start > 0
            else None
        )
        following = (
            Link(v.urls.search(q, **here, start=start + RESULTS), v.t("next_page"))
            if start + RESULTS < min(total, 1000)
            else None
        )
        pages = (previous, following)
    title = v.t("n_results", count=v.fmt.number(total), q=q) if q else v.t("search_title")
    return SearchPage(
        v.meta(title, section="search"),
        "/soeg",
        q,
        cid,
        level,
        v.at,
        include_expired,
        options,
        hits,
        total,
        bool(q),
        start=start,
        facets=facets,
        previous=pages[0],
        next=pages[1],
    )


def _facet_hit(cid: str) -> SearchHit:
    from kodeks.domain.period import ALWAYS

    return SearchHit("item", cid, None, "", {}, None, ALWAYS, True, 0.0, ())


def _hit(kodeks: Kodeks, v: Visit, hit: SearchHit, titles: dict[str, str], q: str) -> HitView:
    title = hit.titles.get(v.lang) or hit.title
    if hit.kind == "item" and hit.code is not None:
        urls = v.urls if hit.valid_at else v.urls.at_date(last_day_within(hit.valid))
        reason, snippet = _why(kodeks, v, hit, q)
        return HitView(
            urls.item(hit.classification_id, hit.code),
            hit.code,
            title,
            titles.get(hit.classification_id, hit.classification_id),
            "item",
            hit.valid,
            snippet,
            reason,
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


def _why(kodeks: Kodeks, v: Visit, hit: SearchHit, q: str) -> tuple[str | None, str | None]:
    """Where a hit matched when its title does not show it: the field, and the stikord or guidance
    line that holds the words (read from the item as it was valid)."""
    fields = hit.fields
    if not fields or fields[0] in ("code", "title"):
        return None, None
    where = fields[0]
    reason = v.t(f"matched_in_{where}")
    if where not in ("keywords", "body") or hit.code is None:
        return reason, None
    day = v.at if hit.valid_at else last_day_within(hit.valid)
    try:
        found = queries.item(kodeks.uow, hit.classification_id, hit.code, When.of(day, v.known_at)).item
    except KodeksError:
        return reason, None
    wanted = [(t.stems, tuple(t.prefixes)) for t in analyse_query(q).terms if not t.code]

    def matches(text: str) -> bool:
        words = terms(text)
        return any(
            w in stems or (prefixes and w.startswith(prefixes)) for w in words for stems, prefixes in wanted
        )

    if where == "keywords":
        by_weight = sorted(found.keywords, key=lambda k: (-(k.weight or 0), k.term))
        shown = [k.term for k in by_weight if matches(k.term)]
        return reason, ", ".join(shown[:5]) or None
    texts = [found.description or "", *found.notes, *(r.title for r in found.legal_refs)]
    for text in texts:
        for sentence in _SENTENCES.split(text):
            if sentence.strip() and matches(sentence):
                return reason, v.fmt.shorten(" ".join(sentence.split()), SNIPPET)
    return reason, None
