"""What changed between two versions of a model: classes, attributes and associations added, removed,
changed.

Elements are matched by id (EA keeps ids across exports) and, failing that, by qualified name. An
association is named ``Source.role -> Target`` (the role the source holds; else the association's
name): ends, roles, multiplicities, name, definition, stereotypes and tags count as its content.
"""

from __future__ import annotations

from dataclasses import dataclass

from kodeks.domain.models.elements import Association, Attribute, ModelClass
from kodeks.domain.models.model import InfoModel


@dataclass(frozen=True, slots=True)
class ModelDiff:
    classes_added: tuple[str, ...] = ()
    classes_removed: tuple[str, ...] = ()
    classes_changed: tuple[str, ...] = ()
    attributes_added: tuple[str, ...] = ()
    attributes_removed: tuple[str, ...] = ()
    attributes_changed: tuple[str, ...] = ()
    associations_added: tuple[str, ...] = ()
    associations_removed: tuple[str, ...] = ()
    associations_changed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__slots__)


def _key(cls: ModelClass) -> str:
    return cls.id


def _attr_view(a: Attribute) -> tuple[object, ...]:
    return (a.name, a.type_name, a.type_ref, a.multiplicity, a.definition, a.stereotypes, a.tags)


def _class_view(c: ModelClass) -> tuple[object, ...]:
    return (c.name, c.kind, c.abstract, c.definition, c.stereotypes, c.tags, c.literals, c.package)


def _assoc_label(model: InfoModel, a: Association) -> str:
    def name(class_id: str) -> str:
        found = model.class_by_id.get(class_id)
        return found.name if found is not None else class_id

    role = a.target.role or a.name or a.id
    return f"{name(a.source.class_id)}.{role} -> {name(a.target.class_id)}"


def _assoc_view(model: InfoModel, a: Association) -> tuple[object, ...]:
    ends = tuple((e.role, str(e.multiplicity or ""), e.tags) for e in (a.source, a.target))
    return (_assoc_label(model, a), ends, a.name, a.definition, a.stereotypes, a.tags)


def _association_diff(
    old: InfoModel, new: InfoModel
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    before = {a.id: a for a in old.associations}
    after = {a.id: a for a in new.associations}
    # associations whose id changed but whose label did not are the same association
    by_label = {_assoc_label(old, a): k for k, a in before.items() if k not in after}
    for key in [k for k in after if k not in before]:
        old_key = by_label.pop(_assoc_label(new, after[key]), None)
        if old_key is not None:
            before[key] = before.pop(old_key)
    added = sorted(_assoc_label(new, after[k]) for k in after.keys() - before.keys())
    removed = sorted(_assoc_label(old, before[k]) for k in before.keys() - after.keys())
    changed = sorted(
        _assoc_label(new, after[k])
        for k in before.keys() & after.keys()
        if _assoc_view(old, before[k]) != _assoc_view(new, after[k])
    )
    return tuple(added), tuple(removed), tuple(changed)


def diff_models(old: InfoModel, new: InfoModel) -> ModelDiff:
    before = {_key(c): c for c in old.classes}
    after = {_key(c): c for c in new.classes}
    # classes whose id changed but whose name did not are the same class
    by_name_before = {c.name: k for k, c in before.items() if k not in after}
    for key in [k for k in after if k not in before]:
        old_key = by_name_before.get(after[key].name)
        if old_key is not None:
            before[key] = before.pop(old_key)
    added = sorted(after[k].name for k in after.keys() - before.keys())
    removed = sorted(before[k].name for k in before.keys() - after.keys())
    changed, a_added, a_removed, a_changed = [], [], [], []
    for key in sorted(before.keys() & after.keys()):
        o, n = before[key], after[key]
        if _class_view(o) != _class_view(n):
            changed.append(n.name)
        o_attrs = {a.name: a for a in o.attributes}
        n_attrs = {a.name: a for a in n.attributes}
        a_added += [f"{n.name}.{x}" for x in sorted(n_attrs.keys() - o_attrs.keys())]
        a_removed += [f"{n.name}.{x}" for x in sorted(o_attrs.keys() - n_attrs.keys())]
        a_changed += [
            f"{n.name}.{x}"
            for x in sorted(o_attrs.keys() & n_attrs.keys())
            if _attr_view(o_attrs[x]) != _attr_view(n_attrs[x])
        ]
    return ModelDiff(
        tuple(added),
        tuple(removed),
        tuple(changed),
        tuple(a_added),
        tuple(a_removed),
        tuple(a_changed),
        *_association_diff(old, new),
    )
