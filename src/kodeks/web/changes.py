"""The version diff page: what was added, expired, renamed and moved between two dates."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from kodeks.bootstrap import Kodeks
from kodeks.domain.item import Item
from kodeks.errors import InvalidRequest
from kodeks.services import queries
from kodeks.web.catalog import classification_title
from kodeks.web.contexts import ChangedItem, ChangesPage, Link
from kodeks.web.urls import Urls, seg
from kodeks.web.visit import Visit


def changes_page(kodeks: Kodeks, v: Visit, cid: str, fra: date | None, til: date | None) -> ChangesPage:
    when = v.when
    classification = queries.get_classification(kodeks.uow, cid, when.known_at)
    ctitle = classification_title(kodeks, classification, v.lang)
    days = sorted({x.release_date for x in queries.versions(kodeks.uow, cid, when.known_at)})
    suggestions = tuple(
        Link(v.urls.changes(cid, a, b), v.t("changes_between", fra=a.isoformat(), til=b.isoformat()))
        for a, b in pairwise(days)
    )
    crumbs = (
        Link(v.urls.home(), v.t("nav_catalog")),
        Link(v.urls.classification(cid), ctitle),
        Link(v.urls.changes(cid, fra, til), v.t("changes")),
    )
    meta = v.meta(
        v.t("changes_title", title=ctitle) + (f" {fra} – {til}" if fra and til else ""), crumbs, "catalog"
    )
    base = ChangesPage(
        meta, cid, ctitle, f"/klassifikationer/{seg(cid)}/aendringer", fra, til, suggestions, False
    )
    if fra is None or til is None:
        return base
    if til < fra:
        raise InvalidRequest(v.t("to_before_from", fra=fra.isoformat(), til=til.isoformat()), translated=True)
    cs = queries.changes(kodeks.uow, cid, fra, til, when.known_at)
    before, after = v.urls.at_date(fra), v.urls.at_date(til)

    def listed(items: tuple[Item, ...], at_urls: Urls) -> tuple[ChangedItem, ...]:
        return tuple(ChangedItem(i.code, i.title(v.lang), at_urls.item(cid, i.code)) for i in items)

    return ChangesPage(
        meta,
        cid,
        ctitle,
        base.action,
        fra,
        til,
        suggestions,
        True,
        dict(cs.counts),
        added=listed(cs.added, after),
        expired=listed(cs.expired, before),
        renamed=tuple((r, after.item(cid, r.code)) for r in cs.renamed),
        moved=tuple((m, before.item(cid, m.old), after.item(cid, m.new)) for m in cs.moved),
    )
