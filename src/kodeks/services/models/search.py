"""Search across the models (newest version of each): names, aliases and definitions of classes,
attributes, concepts and enumeration values. Case-insensitive; a hit says where it matched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kodeks.errors import InvalidRequest
from kodeks.services.models.ports import ModelStoreOpener
from kodeks.services.ports import UnitOfWorkFactory

MAX_QUERY = 200


@dataclass(frozen=True, slots=True)
class ModelHit:
    model_id: str
    model_name: str
    kind: str  # class | attribute | concept | literal | package
    element_id: str
    class_id: str | None
    name: str
    definition: str
    in_name: bool


def _collector(hits: list[ModelHit], needle: str, model_id: str, model_name: str) -> Callable[..., None]:
    def add(
        kind: str, element_id: str, class_id: str | None, name: str, definition: str, alias: str = ""
    ) -> None:
        in_name = needle in name.casefold() or needle in alias.casefold()
        if in_name or needle in definition.casefold():
            hits.append(ModelHit(model_id, model_name, kind, element_id, class_id, name, definition, in_name))

    return add


def search_models(
    uow_factory: UnitOfWorkFactory, opener: ModelStoreOpener, text: str, limit: int = 50
) -> list[ModelHit]:
    needle = text.strip().casefold()
    if not needle:
        return []
    if len(needle) > MAX_QUERY:
        raise InvalidRequest(f"the query is longer than {MAX_QUERY} characters")
    hits: list[ModelHit] = []
    with uow_factory() as uow:
        store = opener(uow)
        models = [store.latest(info.model_id) for info in store.models()]
    for stored in models:
        if stored is None:
            continue
        m = stored.model
        add = _collector(hits, needle, m.id, m.name)

        for pkg in m.packages:
            add("package", pkg.id, None, pkg.name, pkg.definition)
        for cls in m.classes:
            add("class", cls.id, cls.id, cls.name, cls.definition, cls.alias)
            for a in cls.attributes:
                add("attribute", a.id, cls.id, f"{cls.name}.{a.name}", a.definition)
            for lit in cls.literals:
                add("literal", lit.id, cls.id, f"{cls.name}.{lit.name}", lit.definition)
        for concept in m.concepts:
            add("concept", concept.id, None, concept.name, concept.definition)
    hits.sort(key=lambda h: (not h.in_name, len(h.name), h.model_id, h.name))
    return hits[:limit]
