"""The classification page (metadata, versions, levels, downloads) and its lazily loaded tree."""

from __future__ import annotations

import re
from datetime import date
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

from kodeks.bootstrap import Kodeks
from kodeks.services import queries, web_queries
from kodeks.services.models import valuedomains
from kodeks.services.queries import Version
from kodeks.services.web_queries import TreeLevel, TreeReader
from kodeks.storage.tree_reader import SqlTreeReader
from kodeks.web.catalog import entries_by_id, shown_description, shown_licence, shown_title
from kodeks.web.contexts import (
    ClassificationPage,
    DateChoice,
    Link,
    ModelImpactView,
    ModelUsageRow,
    TreeFragment,
    TreeNodeView,
    TreeView,
    VersionRow,
)
from kodeks.web.i18n import text_lang
from kodeks.web.urls import seg
from kodeks.web.visit import Visit

#: Export formats in the order offered, with their names on the button (others follow by name).
FORMAT_LABELS = {
    "csv": "CSV",
    "xlsx": "Excel (XLSX)",
    "json": "JSON",
    "ttl": "SKOS Turtle",
    "jsonld": "SKOS JSON-LD",
    "rdfxml": "SKOS RDF/XML",
    "fhir": "FHIR CodeSystem",
}
#: Most nodes the URL may ask to be open at once (each costs one level read).
MAX_OPEN = 20
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


_readers: WeakKeyDictionary[Engine, SqlTreeReader] = WeakKeyDictionary()


def reader(kodeks: Kodeks) -> TreeReader:
    """One tree reader per database (it keeps the sorted levels it has read)."""
    found = _readers.get(kodeks.engine)
    if found is None:
        found = _readers.setdefault(kodeks.engine, SqlTreeReader(kodeks.engine))
    return found


def dom_id(code: str) -> str:
    """An HTML id for a node's child list (any code maps to a distinct, selector-safe id)."""
    return "n-" + _UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", code)


def tree_view(
    kodeks: Kodeks,
    v: Visit,
    cid: str,
    level: TreeLevel,
    open_codes: set[str],
    budget: list[int] | None = None,
) -> TreeView:
    """Nodes of one level; nodes named in ``open_codes`` get their children too (at most ``MAX_OPEN``)."""
    budget = budget if budget is not None else [MAX_OPEN]
    nodes: list[TreeNodeView] = []
    item_href, children_href = v.urls.item_links(cid), v.urls.tree_links(cid)
    for node in level.nodes:
        code = node.row.code
        children = None
        if node.child_count and code in open_codes and budget[0] > 0:
            budget[0] -= 1
            sub = web_queries.tree_level(kodeks.uow, reader(kodeks), cid, code, v.when)
            children = tree_view(kodeks, v, cid, sub, open_codes, budget)
        nodes.append(
            TreeNodeView(
                code,
                node.row.title(v.lang) or v.t("no_title"),
                item_href(code),
                node.child_count,
                children_href(code),
                dom_id(code),
                children,
                text_lang(node.row.titles, v.lang),
            )
        )
    more = v.urls.tree(cid, level.parent, level.next_offset) if level.remaining else None
    return TreeView(tuple(nodes), level.total, level.remaining, more)


def tree_fragment(kodeks: Kodeks, v: Visit, cid: str, parent: str | None, start: int) -> TreeFragment:
    level = web_queries.tree_level(kodeks.uow, reader(kodeks), cid, parent, v.when, offset=start)
    return TreeFragment(tree_view(kodeks, v, cid, level, set()), v.lang)


def classification_page(kodeks: Kodeks, v: Visit, cid: str, open_codes: list[str]) -> ClassificationPage:
    when = v.when
    c = queries.get_classification(kodeks.uow, cid, when.known_at)
    versions = queries.versions(kodeks.uow, cid, when.known_at)
    levels = queries.levels(kodeks.uow, cid, when)
    level = web_queries.tree_level(kodeks.uow, reader(kodeks), cid, None, when)
    entry = entries_by_id(kodeks).get(cid)
    title = shown_title(c, entry, v.lang)
    licence_label, licence = shown_licence(c, entry)
    choice = date_choice(v, v.urls.at_date(None).classification(cid), f"/klassifikationer/{seg(cid)}")
    rows = _version_rows(v, cid, versions)
    released = sorted({x.release_date for x in versions if x.release_date <= when.at})
    usages, impact = model_usages(kodeks, v, cid, compare_from(released, when.at), when.at)
    return ClassificationPage(
        meta=v.meta(
            title,
            (Link(v.urls.home(), v.t("nav_catalog")), Link(v.urls.classification(cid), title)),
            "catalog",
        ),
        id=c.id,
        title=title,
        description=shown_description(c, entry, v.lang),
        owner=c.owner,
        publisher=c.publisher,
        licence=licence,
        copyrighted=c.copyrighted,
        uri=c.canonical_uri,
        when=choice,
        versions=rows,
        levels=tuple((lv.number, lv.title(v.lang)) for lv in levels),
        tree=tree_view(kodeks, v, cid, level, set(open_codes[:MAX_OPEN])),
        downloads=tuple(
            Link(v.urls.export(cid, name), FORMAT_LABELS.get(name, name.upper()))
            for name in _format_order(kodeks.formats.exporter_names())
        ),
        changes_action=f"/klassifikationer/{seg(cid)}/aendringer",
        changes_from=compare_from(released, when.at),
        changes_to=when.at,
        licence_label=licence_label,
        alphabet_href=v.urls.alphabet(cid),
        groups_href=v.urls.groups(cid) if queries.groups(kodeks.uow, cid, when) else None,
        model_usages=usages,
        model_impact=impact,
    )


def model_usages(
    kodeks: Kodeks, v: Visit, cid: str, from_date: date, to_date: date
) -> tuple[tuple[ModelUsageRow, ...], ModelImpactView | None]:
    """The model elements bound to the classification, and what its change between the two dates
    (the page's own comparison) means for them; read through the model services."""
    found = valuedomains.usages(kodeks.uow, kodeks.models, cid)
    if not found:
        return (), None
    lang = "" if v.lang == "da" else f"?lang={v.lang}"
    rows = tuple(
        ModelUsageRow(
            Link(f"/modeller/{seg(u.model_id)}{lang}", u.model_name or u.model_id),
            Link(
                f"/modeller/{seg(u.model_id)}/klasser/{seg(u.class_id)}{lang}"
                if u.class_id
                else f"/modeller/{seg(u.model_id)}{lang}",
                u.element,
            ),
            u.valid_at,
        )
        for u in sorted(found, key=lambda u: (u.model_name, u.element))
    )
    if from_date >= to_date:
        return rows, None
    effects = valuedomains.impact(kodeks.uow, kodeks.models, cid, from_date, to_date)
    first = effects[0]
    counts = {
        "added": len(first.added),
        "expired": len(first.expired),
        "renamed": len(first.renamed),
        "moved": len(first.moved),
    }
    changes_href = f"/klassifikationer/{seg(cid)}/aendringer?fra={from_date}&til={to_date}"
    api_href = f"/api/v1/classifications/{seg(cid)}/model-impact?from={from_date}&to={to_date}"
    return rows, ModelImpactView(from_date, to_date, counts, changes_href, api_href)


def compare_from(released: list[date], at: date) -> date:
    """The compare box's "from": the release before the latest one, else the first release (if it is
    before the date shown), else a year before it."""
    if len(released) > 1:
        return released[-2]
    if released and released[0] < at:
        return released[0]
    return (
        at.replace(year=at.year - 1)
        if not (at.month == 2 and at.day == 29)
        else at.replace(year=at.year - 1, day=28)
    )


def date_choice(v: Visit, today_href: str, action: str) -> DateChoice:
    """The date picker: submits ``dato`` to ``action``, keeping language and recorded time."""
    hidden = tuple(
        (k, val)
        for k, val in (
            ("lang", v.lang if v.lang != "da" else ""),
            ("kendt", v.known_at.isoformat(timespec="seconds") if v.known_at else ""),
        )
        if val
    )
    return DateChoice(v.when.at, v.at is not None, today_href, action, hidden)


def _format_order(names: list[str]) -> list[str]:
    known = [n for n in FORMAT_LABELS if n in names]
    return known + sorted(n for n in names if n not in FORMAT_LABELS)


def _version_rows(v: Visit, cid: str, versions: list[Version]) -> tuple[VersionRow, ...]:
    rows: list[VersionRow] = []
    earlier = None
    for version in versions:
        changes = None
        if earlier is not None and earlier < version.release_date:
            changes = v.urls.changes(cid, earlier, version.release_date)
        rows.append(
            VersionRow(
                version.label,
                version.release_date,
                version.valid,
                version.kind,
                version.item_count,
                version.recorded_at,
                v.urls.at_date(version.release_date).classification(cid),
                changes,
            )
        )
        earlier = version.release_date
    return tuple(rows)
