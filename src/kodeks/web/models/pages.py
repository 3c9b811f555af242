"""Build the information-model pages' contexts from the model services."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from urllib.parse import urlencode

from kodeks.bootstrap import Kodeks
from kodeks.domain.models.elements import tag
from kodeks.errors import NotFound
from kodeks.services.models import catalogue, checking, library, lifecycle, valuedomains
from kodeks.services.models.search import search_models
from kodeks.services.search import SearchQuery, search
from kodeks.web.contexts import Link
from kodeks.web.models.contexts import (
    AttributeRow,
    ClassPage,
    ClassRow,
    HitRow,
    ModelPage,
    ModelRow,
    ModelsPage,
    PackagePage,
    PackageRow,
)
from kodeks.web.models.labels import labels
from kodeks.web.urls import seg
from kodeks.web.visit import Visit

ROOT = "/modeller"
_SVG_CACHE: OrderedDict[tuple[str, int, str, str], str | None] = OrderedDict()
_SVG_LOCK = Lock()
_SVG_CACHE_SIZE = 64


def href(v: Visit, *parts: str, **query: str) -> str:
    path = "/".join([ROOT, *(seg(p) for p in parts)])
    params = {**({"lang": v.lang} if v.lang != "da" else {}), **query}
    return f"{path}?{urlencode(params)}" if params else path


def models_page(kodeks: Kodeks, v: Visit) -> ModelsPage:
    L = labels(v.lang)
    q = v.param("q", "soeg") or ""
    status = lifecycle.statuses(kodeks.uow, kodeks.models)
    rows = tuple(
        ModelRow(
            i.model_id,
            i.name,
            href(v, i.model_id),
            i.sequence,
            "",
            i.counts,
            status[i.model_id].status if i.model_id in status else "draft",
        )
        for i in library.list_models(kodeks.uow, kodeks.models)
    )
    hits: tuple[HitRow, ...] = ()
    found: tuple[HitRow, ...] = ()
    if q:
        hits = tuple(
            HitRow(
                h.kind,
                h.name,
                href(v, h.model_id, "klasser", h.class_id) if h.class_id else href(v, h.model_id),
                h.model_name,
                h.definition[:200],
            )
            for h in search_models(kodeks.uow, kodeks.models, q)
        )
        result = search(kodeks.uow, kodeks.search_index, SearchQuery(text=q, limit=10))
        found = tuple(
            HitRow(
                h.kind,
                f"{h.code} {h.title}" if h.code else h.title,
                v.urls.item(h.classification_id, h.code)
                if h.code
                else v.urls.classification(h.classification_id),
                h.classification_id,
                "",
            )
            for h in result.hits
        )
    meta = v.meta(L["models"], (Link(href(v), L["models"]),), section="models")
    entries = len(catalogue.imported_entries(kodeks.uow, kodeks.models))
    return ModelsPage(meta, L, rows, q, hits, found, href(v, "katalog"), entries)


def model_page(kodeks: Kodeks, v: Visit, model_id: str) -> ModelPage:
    L = labels(v.lang)
    stored = library.get_model(kodeks.uow, kodeks.models, model_id)
    m = stored.model
    per_package: dict[str | None, int] = {}
    for c in m.classes:
        per_package[c.package] = per_package.get(c.package, 0) + 1
    packages = tuple(
        PackageRow(
            len(m.package_path(p.id)) - 1, p.name, href(v, m.id, "pakker", p.id), per_package.get(p.id, 0)
        )
        for p in m.packages
    )
    versions = tuple(
        (i.sequence, i.recorded_at.strftime("%Y-%m-%d %H:%M"), i.source_name)
        for i in library.versions(kodeks.uow, kodeks.models, m.id)
    )
    report = checking.check_model(kodeks.uow, kodeks.models, m.id)
    exports = tuple(
        Link(f"/api/v1/models/{seg(m.id)}/export?format={fmt}", fmt)
        for fmt in ("xmi", "rdf", "shacl", "jsonschema", "linkml", "html", "conceptlist")
    )
    crumbs = (Link(href(v), L["models"]), Link(href(v, m.id), m.name))
    state = lifecycle.status(kodeks.uow, kodeks.models, m.id)
    return ModelPage(
        v.meta(m.name, crumbs, section="models"),
        L,
        m.id,
        m.name,
        stored.info.sequence,
        m.version,
        m.kind,
        m.description,
        m.counts(),
        packages,
        versions,
        report.counts(),
        exports,
        state.status,
        state.by,
    )


def diagram_svg(kodeks: Kodeks, v: Visit, model_id: str, package_id: str) -> str | None:
    """The package's diagram as SVG text (cached per model version, package and language)."""
    from kodeks.formats.models_diagram import dot_source, render_svg

    stored = library.get_model(kodeks.uow, kodeks.models, model_id)
    key = (model_id, stored.info.sequence, package_id, v.lang)
    with _SVG_LOCK:
        if key in _SVG_CACHE:
            _SVG_CACHE.move_to_end(key)
            return _SVG_CACHE[key]
    m = stored.model
    if package_id not in m.package_by_id:
        raise NotFound(f"model {model_id!r} has no package {package_id!r}")
    svg = render_svg(dot_source(m, package_id, lambda element_id: href(v, model_id, "klasser", element_id)))
    text = svg.decode() if svg is not None else None
    with _SVG_LOCK:
        _SVG_CACHE[key] = text
        while len(_SVG_CACHE) > _SVG_CACHE_SIZE:
            _SVG_CACHE.popitem(last=False)
    return text


def package_page(kodeks: Kodeks, v: Visit, model_id: str, package_id: str) -> PackagePage:
    L = labels(v.lang)
    m = library.get_model(kodeks.uow, kodeks.models, model_id).model
    pkg = m.package_by_id.get(package_id)
    if pkg is None:
        raise NotFound(f"model {model_id!r} has no package {package_id!r}")
    classes = tuple(
        ClassRow(
            c.name,
            href(v, m.id, "klasser", c.id),
            c.kind,
            ", ".join(c.stereotypes),
            c.definition[:300],
            len(c.attributes) + len(c.literals),
        )
        for c in m.classes
        if c.package == pkg.id
    )
    concepts = tuple((c.name, c.definition, c.source) for c in m.concepts if c.package == pkg.id)
    instances = tuple((i.name, tag(i.tags, "URI")) for i in m.instances if i.package == pkg.id)
    subpackages = tuple(Link(href(v, m.id, "pakker", p.id), p.name) for p in m.packages if p.parent == pkg.id)
    crumbs = (
        Link(href(v), L["models"]),
        Link(href(v, m.id), m.name),
        *(Link(href(v, m.id, "pakker", p.id), p.name) for p in m.package_path(pkg.id)),
    )
    svg = diagram_svg(kodeks, v, model_id, package_id) if (classes or concepts) else None
    return PackagePage(
        v.meta(pkg.name, crumbs, section="models"),
        L,
        m.id,
        pkg.name,
        pkg.definition,
        classes,
        concepts,
        instances,
        subpackages,
        svg,
        href(v, m.id, "pakker", pkg.id, "diagram.svg"),
    )


def class_page(kodeks: Kodeks, v: Visit, model_id: str, class_id: str) -> ClassPage:
    L = labels(v.lang)
    m = library.get_model(kodeks.uow, kodeks.models, model_id).model
    cls = m.class_by_id.get(class_id)
    if cls is None:
        raise NotFound(f"model {model_id!r} has no class {class_id!r}")
    bound = {b.element_id: b for b in valuedomains.bindings(kodeks.uow, kodeks.models, m.id)}
    names = {c.id: c.name for c in m.classes} | {c.id: c.name for c in m.concepts}
    names |= {i.id: i.name for i in m.instances}

    def cls_link(element_id: str) -> Link:
        return Link(href(v, m.id, "klasser", element_id), names.get(element_id, element_id))

    attributes = tuple(
        AttributeRow(
            a.name,
            names.get(a.type_ref, a.type_name) if a.type_ref else a.type_name,
            href(v, m.id, "klasser", a.type_ref) if a.type_ref in m.class_by_id else None,
            str(a.multiplicity) if a.multiplicity else "",
            a.definition,
            bound[a.id].classification_id if a.id in bound else "",
        )
        for a in cls.attributes
    )
    outgoing = tuple(
        (a.target.role or a.name, cls_link(a.target.class_id), str(a.target.multiplicity or ""))
        for a in m.associations
        if a.source.class_id == cls.id
    )
    incoming = tuple(
        (a.target.role or a.name, cls_link(a.source.class_id), str(a.target.multiplicity or ""))
        for a in m.associations
        if a.target.class_id == cls.id
    )
    crumbs = (
        Link(href(v), L["models"]),
        Link(href(v, m.id), m.name),
        *(Link(href(v, m.id, "pakker", p.id), p.name) for p in m.package_path(cls.package)),
        Link(href(v, m.id, "klasser", cls.id), cls.name),
    )
    return ClassPage(
        v.meta(cls.name, crumbs, section="models"),
        L,
        cls.id,
        cls.name,
        cls.kind,
        ", ".join(cls.stereotypes),
        cls.definition,
        cls.alias,
        attributes,
        outgoing,
        incoming,
        tuple(cls_link(g.general) for g in m.generalizations if g.specific == cls.id),
        tuple(cls_link(g.specific) for g in m.generalizations if g.general == cls.id),
        tuple((lit.name, lit.definition) for lit in cls.literals),
        tuple((k, val) for k, val in cls.tags if val),
    )
