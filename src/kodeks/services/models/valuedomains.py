"""Value domains from the registry: bind a model's attribute or enumeration to a classification, see
which model elements use a classification, compare an enumeration with one, and turn a classification
into each representation the model rules allow (enumeration, classification class with instances,
external reference, concept list).

Classifications are read through the registry's own services (``services.queries``), never its tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kodeks.domain.models.elements import (
    Attribute,
    Concept,
    EnumLiteral,
    Instance,
    ModelClass,
    Multiplicity,
    Package,
)
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.valuedomain import BoundDomain, EnumerationComparison, compare
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.clock import Clock, utcnow
from kodeks.services.models.library import get_model, recorded_time
from kodeks.services.models.ports import Binding, Event, ModelFormats, ModelStoreOpener
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When, changes, get_classification, items

REPRESENTATIONS = ("enumeration", "classes", "external", "conceptlist")


@dataclass(frozen=True, slots=True)
class Usage:
    """A model element whose value domain is a classification (for the classification's page)."""

    model_id: str
    model_name: str
    element_id: str
    element: str
    valid_at: date | None
    class_id: str = ""  # the class that holds the element (the element itself when it is a class)


def _owner_class(model: InfoModel, element_id: str) -> str:
    for cls, attribute in model.attributes():
        if attribute.id == element_id:
            return cls.id
    return element_id if element_id in model.class_by_id else ""


def _element_name(model: InfoModel, element_id: str) -> str | None:
    for cls, attribute in model.attributes():
        if attribute.id == element_id:
            return f"{cls.name}.{attribute.name}"
    found = model.class_by_id.get(element_id)
    return found.name if found is not None else None


def _resolve(model: InfoModel, element: str) -> str:
    """An element id, or ``Class.attribute`` / a class name, to the element's id."""
    if _element_name(model, element) is not None:
        return element
    for cls, attribute in model.attributes():
        if f"{cls.name}.{attribute.name}" == element:
            return attribute.id
    for cls in model.classes:
        if cls.name == element:
            return cls.id
    raise NotFound(f"model {model.id!r} has no attribute or class {element!r}", model=model.id)


def bind(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    model_id: str,
    element: str,
    classification_id: str,
    *,
    valid_at: date | None = None,
    actor: str | None = None,
    clock: Clock = utcnow,
) -> Binding:
    model = get_model(uow_factory, opener, model_id).model
    element_id = _resolve(model, element)
    get_classification(uow_factory, classification_id)  # NotFound when the registry holds none
    with uow_factory() as uow:
        uow.lock(f"model:{model_id}")
        store = opener(uow)
        at = recorded_time(uow, store, clock)
        binding = Binding(model_id, element_id, classification_id, valid_at, actor, at)
        store.put_binding(binding)
        store.add_event(
            Event(
                model_id,
                "bind",
                actor,
                None,
                {"element": element_id, "classification": classification_id, "valid_at": str(valid_at or "")},
                at,
            )
        )
        uow.commit()
    return binding


def unbind(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    model_id: str,
    element_id: str,
    *,
    actor: str | None = None,
    clock: Clock = utcnow,
) -> None:
    with uow_factory() as uow:
        store = opener(uow)
        at = recorded_time(uow, store, clock)
        if not store.remove_binding(model_id, element_id, at):
            raise NotFound(f"{element_id} of model {model_id!r} is not bound", model=model_id)
        store.add_event(Event(model_id, "unbind", actor, None, {"element": element_id}, at))
        uow.commit()


def bindings(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str) -> list[Binding]:
    with uow_factory() as uow:
        return opener(uow).bindings(model_id=model_id)


def usages(uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, classification_id: str) -> list[Usage]:
    """Every model element bound to ``classification_id`` (newest model versions)."""
    with uow_factory() as uow:
        store = opener(uow)
        found = store.bindings(classification_id=classification_id)
        out = []
        for b in found:
            stored = store.latest(b.model_id)
            if stored is None:
                continue
            name = _element_name(stored.model, b.element_id) or b.element_id
            owner = _owner_class(stored.model, b.element_id)
            out.append(Usage(b.model_id, stored.model.name, b.element_id, name, b.valid_at, owner))
    return out


@dataclass(frozen=True, slots=True)
class Impact:
    """What a change of a classification between two dates means for one model element bound to it:
    the codes its value domain gains and loses, and the codes renamed or moved."""

    usage: Usage
    added: tuple[str, ...]
    expired: tuple[str, ...]
    renamed: tuple[str, ...]
    moved: tuple[tuple[str, str], ...]

    @property
    def affected(self) -> bool:
        return bool(self.added or self.expired or self.renamed or self.moved)


def impact(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    classification_id: str,
    from_date: date,
    to_date: date,
) -> list[Impact]:
    """Every model element bound to the classification, with what changed in it between the dates
    (read through the registry's change service)."""
    change = changes(uow_factory, classification_id, from_date, to_date)
    added = tuple(sorted(i.code for i in change.added))
    expired = tuple(sorted(i.code for i in change.expired))
    renamed = tuple(sorted(r.code for r in change.renamed))
    moved = tuple(sorted((m.old, m.new) for m in change.moved))
    return [Impact(u, added, expired, renamed, moved) for u in usages(uow_factory, opener, classification_id)]


def bound_domains(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, model_id: str, at: date | None = None
) -> dict[str, BoundDomain]:
    """Each bound element's codes valid on ``at`` (or on the binding's own date, else today)."""
    out: dict[str, BoundDomain] = {}
    for b in bindings(uow_factory, opener, model_id):
        day = at or b.valid_at or utcnow().date()
        try:
            classification = get_classification(uow_factory, b.classification_id)
            codes = items(uow_factory, b.classification_id, When.of(day))
        except NotFound:
            continue  # the check reports it (rule value-domain)
        out[b.element_id] = BoundDomain(
            b.classification_id, day, tuple((i.code, i.title()) for i in codes), classification.canonical_uri
        )
    return out


def compare_enumeration(
    uow_factory: UnitOfWorkFactory,
    opener: ModelStoreOpener,
    model_id: str,
    enumeration: str,
    classification_id: str,
    at: date | None = None,
) -> EnumerationComparison:
    """An enumeration's literals (or a classification class's instances) against a classification's
    codes on ``at``: is the model's own list really that classification?"""
    model = get_model(uow_factory, opener, model_id).model
    element_id = _resolve(model, enumeration)
    cls = model.class_by_id.get(element_id)
    if cls is None:
        raise InvalidRequest(f"{enumeration!r} is not an enumeration or class of model {model_id!r}")
    literals = [lit.name for lit in cls.literals] or [
        i.name for i in model.instances if i.classifier == cls.id
    ]
    day = at or utcnow().date()
    codes = [i.code for i in items(uow_factory, classification_id, When.of(day))]
    return compare(cls.id, literals, classification_id, day, codes)


def classification_as_model(
    uow_factory: UnitOfWorkFactory,
    formats: ModelFormats,
    classification_id: str,
    representation: str,
    at: date | None = None,
) -> bytes:
    """The classification as a small model in one of the representations the model rules allow:
    an enumeration (XMI), a classification class with one instance per code (XMI), an external
    reference (a class naming the classification's URI, XMI), or a concept list (XLSX)."""
    if representation not in REPRESENTATIONS:
        raise InvalidRequest(f"--as must be one of {', '.join(REPRESENTATIONS)}")
    model = classification_model(uow_factory, classification_id, representation, at)
    writer = formats.writer("conceptlist" if representation == "conceptlist" else "xmi")
    return bytes(writer(model, {}))


def classification_model(
    uow_factory: UnitOfWorkFactory, classification_id: str, representation: str, at: date | None = None
) -> InfoModel:
    classification = get_classification(uow_factory, classification_id)
    day = at or utcnow().date()
    codes = items(uow_factory, classification_id, When.of(day))
    title = classification.titles.get("da") or classification.titles.get("en") or classification.id
    uri = classification.canonical_uri
    pkg = Package(f"PKG_{classification.id}", title, stereotypes=("ClassificationModel",))
    name = "".join(part[:1].upper() + part[1:] for part in classification.id.split("-")) + "Vaerdi"
    tags = (("URI", uri), ("source", uri), ("versionInfo", day.isoformat()))
    cid = f"CLS_{classification.id}"
    base = {
        "id": f"{classification.id}-{representation}",
        "name": title,
        "version": day.isoformat(),
        "kind": "classification",
        "description": classification.description or "",
        "packages": (pkg,),
        "profiles": ("FDAprofil",),
    }
    if representation == "enumeration":
        literals = tuple(
            EnumLiteral(f"LIT_{i}", item.code, item.title(), (("URI", f"{uri}/{item.code}"),))
            for i, item in enumerate(codes)
        )
        cls = ModelClass(
            cid,
            name,
            pkg.id,
            "enumeration",
            definition=title,
            stereotypes=("DKEnumeration",),
            tags=tags,
            literals=literals,
        )
        return InfoModel(**base, classes=(cls,))  # type: ignore[arg-type]
    if representation == "classes":
        cls = ModelClass(
            cid,
            name,
            pkg.id,
            "class",
            definition=title,
            stereotypes=("DKKlassifikation",),
            tags=tags,
            attributes=(
                Attribute(f"{cid}_code", "kode", "string", None, Multiplicity(1, 1), "brugervendt nøgle"),
            ),
        )
        instances = tuple(
            Instance(
                f"INS_{i}",
                item.code,
                cid,
                pkg.id,
                item.title(),
                ("Individual",),
                (("URI", f"{uri}/{item.code}"),),
            )
            for i, item in enumerate(codes)
        )
        return InfoModel(**base, classes=(cls,), instances=instances)  # type: ignore[arg-type]
    if representation == "external":
        cls = ModelClass(
            cid,
            name,
            pkg.id,
            "class",
            definition=f"{title}: kodeliste udstillet af "
            f"{classification.publisher or classification.owner or 'Kodeks'}",
            stereotypes=("DKKodeliste",),
            tags=tags,
        )
        return InfoModel(**base, classes=(cls,))  # type: ignore[arg-type]
    concepts = tuple(
        Concept(
            f"CON_{i}",
            item.title() or item.code,
            pkg.id,
            item.title(),
            uri,
            ("Concept",),
            (("URI", f"{uri}/{item.code}"), ("notation", item.code)),
        )
        for i, item in enumerate(codes)
    )
    return InfoModel(**{**base, "kind": "concept"}, concepts=concepts)  # type: ignore[arg-type]
