"""The item page (one code as it was on a date, with its place and history) and the history page."""

from __future__ import annotations

from datetime import date, timedelta

from kodeks.bootstrap import Kodeks
from kodeks.domain.codec import item_to_dict
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.period_set import union
from kodeks.errors import NotFound
from kodeks.services import queries, web_queries
from kodeks.services.item_timeline import EventKind, ItemHistory, item_history
from kodeks.services.ports import ItemRecord
from kodeks.web.catalog import classification_title
from kodeks.web.classification import date_choice, reader
from kodeks.web.contexts import EventView, HistoryPage, ItemPage, Link, RecordRow
from kodeks.web.guidance import blocks
from kodeks.web.i18n import is_opaque, text_lang
from kodeks.web.urls import seg
from kodeks.web.visit import Visit


def day_within(period: Period) -> date | None:
    """A day on which ``period`` holds, to link to: its start, else its last day, else none (always)."""
    if period.start is not None:
        return period.start
    return period.end - timedelta(days=1) if period.end is not None else None


def last_day_within(period: Period) -> date | None:
    """The last day ``period`` holds (its start when open-ended): where an expired code is best shown."""
    if period.end is not None:
        last = period.end - timedelta(days=1)
        return last if period.start is None or last >= period.start else period.start
    return period.start


def _label(item: Item, lang: str) -> str:
    return item.title(lang) if is_opaque(item.code) else f"{item.code} {item.title(lang)}"


def _crumb(item: Item, lang: str) -> str:
    return item.title(lang)[:60] if is_opaque(item.code) else item.code


def item_page(kodeks: Kodeks, v: Visit, cid: str, code: str) -> ItemPage:
    when = v.when
    classification = queries.get_classification(kodeks.uow, cid, when.known_at)
    view = queries.item(kodeks.uow, cid, code, when)
    item = view.item
    chain = web_queries.ancestors(kodeks.uow, cid, item, when)
    kids = queries.children(kodeks.uow, cid, code, when) if view.children else []
    before = web_queries.predecessors(kodeks.uow, reader(kodeks), cid, code, when)
    history = item_history(queries.history(kodeks.uow, cid, code, when.known_at), when.known_at, v.lang)
    level_names = {lv.number: lv.title(v.lang) for lv in queries.levels(kodeks.uow, cid, when)}
    urls, lang = v.urls, v.lang
    ctitle = classification_title(kodeks, classification, lang)
    crumbs = (
        Link(urls.home(), v.t("nav_catalog")),
        Link(urls.classification(cid), ctitle),
        *(Link(urls.item(cid, a.code), _crumb(a, lang)) for a in chain),
        Link(urls.item(cid, code), _crumb(item, lang)),
    )
    at_end = urls.at_date(item.valid.end)
    return ItemPage(
        meta=v.meta(f"{_label(item, lang)} – {ctitle}", crumbs, "catalog"),
        classification_id=cid,
        classification_title=ctitle,
        code=code,
        title=item.title(lang) or v.t("no_title"),
        valid=item.valid,
        level_name=level_names.get(item.level) if item.level is not None else None,
        when=date_choice(
            v, urls.at_date(None).item(cid, code), f"/klassifikationer/{seg(cid)}/koder/{seg(code)}"
        ),
        titles=tuple(sorted(item.titles.items())),
        alt_titles=item.alt_titles,
        guidance=blocks(item.description),
        notes=tuple(blocks(n) for n in item.notes if n.strip()),
        legal_refs=item.legal_refs,
        keywords=tuple(sorted(item.keywords, key=lambda k: (-(k.weight or 0), k.term))),
        properties=tuple(sorted(item.properties.items())),
        parent=Link(urls.item(cid, chain[-1].code), _label(chain[-1], lang)) if chain else None,
        children=tuple(Link(urls.item(cid, k.code), _label(k, lang)) for k in kids),
        successors=tuple(Link(at_end.item(cid, s), s) for s in item.replaced_by),
        successors_now=tuple(
            Link(urls.at_date(None).item(cid, s), s)
            for s in view.successors_now
            if tuple(view.successors_now) != tuple(item.replaced_by)
        ),
        predecessors=tuple(
            Link(urls.at_date(last_day_within(p.item.valid)).item(cid, p.item.code), _label(p.item, lang))
            for p in before
        ),
        events=_events(v, cid, history),
        history_href=urls.history(cid, code),
        tree_href=urls.classification(cid, [a.code for a in chain] + ([code] if view.children else [])),
        uuid=str(item.uuid) if item.uuid else None,
        title_lang=text_lang(item.titles, lang),
        parents=_links(kodeks, v, cid, item.parents),
        related=_links(kodeks, v, cid, item.related),
        groups=tuple(Link(urls.group(cid, g), g) for g in item.groups),
        texts=tuple((t.kind, t.lang, t.text) for t in item.texts),
        created=item.created,
        modified=item.modified,
    )


def _links(kodeks: Kodeks, v: Visit, cid: str, codes: tuple[str, ...]) -> tuple[Link, ...]:
    """Links to ``codes`` titled as on the visit's date (a code not valid then shows its code)."""
    found = {}
    with kodeks.uow() as uow:
        for code in codes:
            items = uow.items_at(cid, v.when.at, v.when.known_at, code=code)
            found[code] = _label(items[0], v.lang) if items else code
    return tuple(Link(v.urls.item(cid, code), found[code]) for code in codes)


def _events(v: Visit, cid: str, history: ItemHistory) -> tuple[EventView, ...]:
    out: list[EventView] = []
    for e in history.events:
        if e.kind is EventKind.EXPIRED:
            shown = e.day - timedelta(days=1) if e.day else None
        else:
            shown = e.day or day_within(e.item.valid)
        links = tuple(Link(v.urls.at_date(e.day).item(cid, c), c) for c in e.codes)
        href = (
            v.urls.at_date(shown).item(cid, e.item.code)
            if shown is None or e.item.valid.contains(shown)
            else None
        )
        out.append(EventView(e.day, e.kind, e.item.title(v.lang), e.old, e.new, links, href))
    return tuple(out)


def not_valid(
    kodeks: Kodeks, v: Visit, cid: str, code: str, exc: NotFound
) -> tuple[str, str, tuple[Link, ...]]:
    """For a code not valid on the asked date: a heading, a sentence saying when it was valid (its
    lifespans) and what replaced it, and links to each successor, to each lifespan and to the history."""
    history = item_history(queries.history(kodeks.uow, cid, code, v.when.known_at), v.when.known_at, v.lang)
    spans = lifespans_of(history)
    periods = ", ".join(v.fmt.period(p) for p in spans)
    ended = all(p.end is not None and p.end <= v.when.at for p in spans)
    successors = exc.details.get("successors", [])
    links = [
        Link(v.urls.item(cid, s["code"]), v.t("successor_link", code=s["code"], title=s["title"]))
        for s in successors
    ]
    links += [
        Link(v.urls.at_date(day).item(cid, code), v.t("show_valid_then", code=code, day=day.isoformat()))
        for p in spans
        if (day := day_within(p)) is not None
    ]
    links += [
        Link(v.urls.history(cid, code), v.t("full_history")),
        Link(v.urls.at_date(None).classification(cid), v.t("go_classification", title=cid)),
    ]
    heading = v.t("no_longer_valid", code=code) if ended else v.t("not_valid_heading", code=code)
    text = v.t("not_valid_on", code=code, day=v.when.at.isoformat(), periods=periods)
    if successors:
        names = ", ".join(f"{s['code']} {s['title']}" for s in successors)
        text += " " + v.t("replaced_by_codes", codes=names)
    return heading, text, tuple(links)


def lifespans_of(history: ItemHistory) -> list[Period]:
    """The code's distinct lifespans, oldest first (every version of one run carries the same)."""
    return union(r.item.valid for r in history.facts)


def history_page(kodeks: Kodeks, v: Visit, cid: str, code: str) -> HistoryPage:
    when = v.when
    classification = queries.get_classification(kodeks.uow, cid, when.known_at)
    history = item_history(queries.history(kodeks.uow, cid, code, when.known_at), when.known_at, v.lang)
    latest = history.facts[-1].item if history.facts else history.superseded[-1].item
    ctitle = classification_title(kodeks, classification, v.lang)
    item_href = v.urls.at_date(day_within(latest.valid)).item(cid, code)
    crumbs = (
        Link(v.urls.home(), v.t("nav_catalog")),
        Link(v.urls.classification(cid), ctitle),
        Link(item_href, code),
        Link(v.urls.history(cid, code), v.t("history")),
    )
    return HistoryPage(
        meta=v.meta(v.t("history_title", code=code) + f" – {ctitle}", crumbs, "catalog"),
        classification_id=cid,
        code=code,
        title=latest.title(v.lang),
        item_href=item_href,
        events=_events(v, cid, history),
        facts=tuple(_row(v, cid, r, True) for r in history.facts),
        superseded=tuple(
            _row(v, cid, r, False, replaced_by(r, [*history.facts, *history.superseded]))
            for r in history.superseded
        ),
    )


#: Item fields by the name the history page gives a change in them.
CHANGED_FIELDS = (
    (("valid_from", "valid_to", "lifespan", "lifespan_end"), "field_valid"),
    (("titles",), "field_title"),
    (("alt_titles",), "field_alt_titles"),
    (("parent", "level"), "field_place"),
    (("description",), "field_guidance"),
    (("notes",), "field_notes"),
    (("keywords",), "field_keywords"),
    (("legal_refs",), "field_legal_refs"),
    (("replaced_by",), "field_successors"),
    (("properties",), "field_properties"),
    (("uuid",), "field_uuid"),
)


def replaced_by(record: ItemRecord, records: list[ItemRecord]) -> tuple[str, ...]:
    """What changed from a replaced recording to the recording(s) that replaced it (the same code
    recorded when this one stopped, overlapping it in valid time): i18n keys of the changed fields;
    ``("field_withdrawn",)`` when nothing replaced it."""
    if record.recorded_to is None:
        return ()
    successors = [
        r
        for r in records
        if r.recorded_from == record.recorded_to and r.period.intersect(record.period) is not None
    ]
    if not successors:
        return ("field_withdrawn",)
    before = _compared(record)
    after = [_compared(r) for r in successors]
    return tuple(
        label
        for names, label in CHANGED_FIELDS
        if any(a.get(n) != before.get(n) for a in after for n in names)
    ) or ("field_nothing",)


def _compared(record: ItemRecord) -> dict[str, object]:
    """The row's content, its validity being the period the row holds (the code's lifespan aside)."""
    data = item_to_dict(record.item)
    start, end = record.period.start, record.period.end
    return {
        **data,
        "valid_from": start,
        "valid_to": end,
        "lifespan": data.get("valid_from"),
        "lifespan_end": data.get("valid_to"),
    }


def _row(v: Visit, cid: str, record: ItemRecord, linked: bool, changed: tuple[str, ...] = ()) -> RecordRow:
    day = day_within(record.period)
    href = v.urls.at_date(day).item(cid, record.item.code) if linked else None
    return RecordRow(
        record.period,
        record.item.title(v.lang),
        record.item.parent,
        record.release,
        record.recorded_from,
        record.recorded_to,
        href,
        tuple(v.t(key) for key in changed),
    )
