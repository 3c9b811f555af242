"""An information model as a whole: its elements, counts and integrity.

``integrity_problems`` names every dangling reference and generalization cycle; readers refuse a
model that has any, so nothing half-connected is ever stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from kodeks.domain.models.elements import (
    Association,
    Attribute,
    Concept,
    Generalization,
    Instance,
    ModelClass,
    Package,
    Tags,
)

#: The model kinds of the model rules (and of DIGST's model catalogue), plus a UML profile.
MODEL_KINDS = ("concept", "information", "logical", "classification", "profile", "unknown")


@dataclass(frozen=True)
class InfoModel:
    id: str
    name: str
    version: str = ""
    kind: str = "unknown"
    description: str = ""
    packages: tuple[Package, ...] = ()
    classes: tuple[ModelClass, ...] = ()
    associations: tuple[Association, ...] = ()
    generalizations: tuple[Generalization, ...] = ()
    concepts: tuple[Concept, ...] = ()
    instances: tuple[Instance, ...] = ()
    tags: Tags = ()
    profiles: tuple[str, ...] = field(default=())

    # -- look-ups ---------------------------------------------------------------------------------
    @cached_property
    def class_by_id(self) -> dict[str, ModelClass]:
        return {c.id: c for c in self.classes}

    @cached_property
    def package_by_id(self) -> dict[str, Package]:
        return {p.id: p for p in self.packages}

    def attributes(self) -> Iterator[tuple[ModelClass, Attribute]]:
        for cls in self.classes:
            for attribute in cls.attributes:
                yield cls, attribute

    def enumerations(self) -> list[ModelClass]:
        return [c for c in self.classes if c.kind == "enumeration"]

    def counts(self) -> dict[str, int]:
        """What ``kodeks models list --json`` reports (and the round-trip tests compare)."""
        tags = len(self.tags) + sum(
            len(e.tags)
            for group in (self.packages, self.classes, self.associations, self.concepts, self.instances)
            for e in group
        )
        tags += sum(len(a.tags) for _, a in self.attributes())
        tags += sum(len(a.source.tags) + len(a.target.tags) for a in self.associations)
        tags += sum(len(lit.tags) for c in self.classes for lit in c.literals)
        return {
            "packages": len(self.packages),
            "classes": sum(1 for c in self.classes if c.kind != "enumeration"),
            "attributes": sum(1 for _ in self.attributes()),
            "associations": len(self.associations),
            "generalizations": len(self.generalizations),
            "enumerations": len(self.enumerations()),
            "literals": sum(len(c.literals) for c in self.classes),
            "concepts": len(self.concepts),
            "instances": len(self.instances),
            "tags": tags,
        }

    def package_path(self, package_id: str | None) -> list[Package]:
        """From the top package down to ``package_id``."""
        path: list[Package] = []
        seen: set[str] = set()
        while package_id is not None and package_id in self.package_by_id and package_id not in seen:
            seen.add(package_id)
            pkg = self.package_by_id[package_id]
            path.append(pkg)
            package_id = pkg.parent
        return path[::-1]

    def supertypes(self, class_id: str) -> list[str]:
        return [g.general for g in self.generalizations if g.specific == class_id]


def integrity_problems(model: InfoModel) -> list[str]:
    """Dangling ids, duplicate ids and generalization cycles, each naming the element."""
    problems: list[str] = []
    ids: dict[str, str] = {}
    for kind, elements in _elements(model):
        for element_id, name in elements:
            if element_id in ids:
                problems.append(f"{kind} {name!r}: id {element_id} is used twice")
            ids[element_id] = name
    packages = model.package_by_id
    classes = model.class_by_id
    for pkg in model.packages:
        if pkg.parent is not None and pkg.parent not in packages:
            problems.append(f"package {pkg.name!r}: parent {pkg.parent} does not exist")
    reachable = set(classes) | {c.id for c in model.concepts} | {i.id for i in model.instances}
    for cls in model.classes:
        if cls.package is not None and cls.package not in packages:
            problems.append(f"class {cls.name!r}: package {cls.package} does not exist")
        for attribute in cls.attributes:
            if attribute.type_ref is not None and attribute.type_ref not in reachable:
                problems.append(
                    f"attribute {cls.name}.{attribute.name}: type {attribute.type_ref} does not exist"
                )
    for assoc in model.associations:
        for end in (assoc.source, assoc.target):
            if end.class_id not in reachable:
                problems.append(
                    f"association {assoc.name or assoc.id}: end class {end.class_id} does not exist"
                )
    for gen in model.generalizations:
        for ref in (gen.specific, gen.general):
            if ref not in reachable:
                problems.append(f"generalization {gen.id}: class {ref} does not exist")
    problems.extend(_cycles(model))
    return problems


def _elements(model: InfoModel) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    yield "package", [(p.id, p.name) for p in model.packages]
    yield "class", [(c.id, c.name) for c in model.classes]
    yield "attribute", [(a.id, f"{c.name}.{a.name}") for c, a in model.attributes()]
    yield "association", [(a.id, a.name or a.id) for a in model.associations]
    yield "concept", [(c.id, c.name) for c in model.concepts]
    yield "instance", [(i.id, i.name) for i in model.instances]


def _cycles(model: InfoModel) -> list[str]:
    """Classes on a generalization cycle (iterative: a hostile chain of any depth is fine)."""
    parents: dict[str, set[str]] = {}
    children: dict[str, set[str]] = {}
    for gen in model.generalizations:
        parents.setdefault(gen.specific, set()).add(gen.general)
        children.setdefault(gen.general, set()).add(gen.specific)
    # peel off classes without supertypes until only cycles (and what hangs below them) remain
    pending = {node: len(ps) for node, ps in parents.items()}
    ready = [n for n in children if n not in pending]
    while ready:
        node = ready.pop()
        for child in children.get(node, ()):
            pending[child] -= 1
            if pending[child] == 0:
                del pending[child]
                ready.append(child)
    if not pending:
        return []
    # every class left has a supertype left: walking up from any of them must come round
    names = {c.id: c.name for c in model.classes}
    trail: list[str] = []
    where: dict[str, int] = {}
    node = min(pending)
    while node not in where:
        where[node] = len(trail)
        trail.append(node)
        node = min(p for p in parents[node] if p in pending)
    cycle = [*trail[where[node] :], node]
    return ["generalization cycle: " + " -> ".join(names.get(n, n) for n in cycle)]
