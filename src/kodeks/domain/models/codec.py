"""Information models as plain dicts of JSON types, and back (storage and the API share the shape).

``model_from_dict`` is strict about the shape (``ValueError`` naming the field), so a stored or
posted dict never becomes a half-formed model.
"""

from __future__ import annotations

from typing import Any

from kodeks.domain.models.elements import (
    CLASS_KINDS,
    Association,
    AssociationEnd,
    Attribute,
    Concept,
    EnumLiteral,
    Generalization,
    Instance,
    ModelClass,
    Multiplicity,
    Package,
    Tags,
)
from kodeks.domain.models.model import InfoModel


def _mult(m: Multiplicity | None) -> str | None:
    return None if m is None else f"{m.lower}..{'*' if m.upper is None else m.upper}"


def _tags(tags: Tags) -> list[list[str]]:
    return [[k, v] for k, v in tags]


def _common(e: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "name": e.name}
    if getattr(e, "definition", ""):
        out["definition"] = e.definition
    if getattr(e, "stereotypes", ()):
        out["stereotypes"] = list(e.stereotypes)
    if e.tags:
        out["tags"] = _tags(e.tags)
    return out


def model_to_dict(model: InfoModel) -> dict[str, Any]:
    return {
        "id": model.id,
        "name": model.name,
        "version": model.version,
        "kind": model.kind,
        "description": model.description,
        "tags": _tags(model.tags),
        "profiles": list(model.profiles),
        "packages": [{**_common(p), "parent": p.parent} for p in model.packages],
        "classes": [_class(c) for c in model.classes],
        "associations": [
            {
                **_common(a),
                "package": a.package,
                "source": _end(a.source),
                "target": _end(a.target),
            }
            for a in model.associations
        ],
        "generalizations": [[g.id, g.specific, g.general] for g in model.generalizations],
        "concepts": [
            {**_common(c), "package": c.package, **({"source": c.source} if c.source else {})}
            for c in model.concepts
        ],
        "instances": [
            {**_common(i), "package": i.package, "classifier": i.classifier} for i in model.instances
        ],
    }


def _end(end: AssociationEnd) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": end.id,
        "class": end.class_id,
        "role": end.role,
        "multiplicity": _mult(end.multiplicity),
    }
    if end.tags:
        out["tags"] = _tags(end.tags)
    return out


def _class(c: ModelClass) -> dict[str, Any]:
    out = {**_common(c), "package": c.package, "kind": c.kind}
    if c.abstract:
        out["abstract"] = True
    if c.alias:
        out["alias"] = c.alias
    out["attributes"] = [
        {
            **_common(a),
            "type": a.type_name,
            "type_ref": a.type_ref,
            "multiplicity": _mult(a.multiplicity),
        }
        for a in c.attributes
    ]
    if c.literals:
        out["literals"] = [_common(lit) for lit in c.literals]
    return out


# -- back -------------------------------------------------------------------------------------------
def _str(d: dict[str, Any], key: str, default: str = "") -> str:
    value = d.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    return value


def _opt(d: dict[str, Any], key: str) -> str | None:
    value = d.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} must be a string or null")
    return value


def _list(d: dict[str, Any], key: str) -> list[Any]:
    value = d.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list")
    return value


def _tags_from(d: dict[str, Any]) -> Tags:
    out = []
    for pair in _list(d, "tags"):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise ValueError("tags must be [name, value] pairs of strings")
        out.append((pair[0], pair[1]))
    return tuple(out)


def _stereo(d: dict[str, Any]) -> tuple[str, ...]:
    values = _list(d, "stereotypes")
    if not all(isinstance(v, str) for v in values):
        raise ValueError("stereotypes must be strings")
    return tuple(values)


def _mult_from(d: dict[str, Any], key: str) -> Multiplicity | None:
    value = _opt(d, key)
    return None if value is None else Multiplicity.parse(value)


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object")
    return value


def model_from_dict(data: dict[str, Any]) -> InfoModel:
    data = _obj(data, "model")
    classes = []
    for raw in _list(data, "classes"):
        c = _obj(raw, "class")
        kind = _str(c, "kind", "class")
        if kind not in CLASS_KINDS:
            raise ValueError(f"class kind {kind!r} is unknown")
        attributes = tuple(
            Attribute(
                _str(a, "id"),
                _str(a, "name"),
                _str(a, "type"),
                _opt(a, "type_ref"),
                _mult_from(a, "multiplicity"),
                _str(a, "definition"),
                _stereo(a),
                _tags_from(a),
            )
            for a in (_obj(x, "attribute") for x in _list(c, "attributes"))
        )
        literals = tuple(
            EnumLiteral(_str(lit, "id"), _str(lit, "name"), _str(lit, "definition"), _tags_from(lit))
            for lit in (_obj(x, "literal") for x in _list(c, "literals"))
        )
        classes.append(
            ModelClass(
                _str(c, "id"),
                _str(c, "name"),
                _opt(c, "package"),
                kind,  # type: ignore[arg-type]
                bool(c.get("abstract", False)),
                _str(c, "definition"),
                _str(c, "alias"),
                _stereo(c),
                _tags_from(c),
                attributes,
                literals,
            )
        )
    associations = []
    for raw in _list(data, "associations"):
        a = _obj(raw, "association")
        ends = [_obj(a.get(k), f"association {k}") for k in ("source", "target")]
        source, target = (
            AssociationEnd(
                _str(e, "id"), _str(e, "class"), _str(e, "role"), _mult_from(e, "multiplicity"), _tags_from(e)
            )
            for e in ends
        )
        associations.append(
            Association(
                _str(a, "id"),
                source,
                target,
                _str(a, "name"),
                _opt(a, "package"),
                _str(a, "definition"),
                _stereo(a),
                _tags_from(a),
            )
        )
    generalizations = []
    for g in _list(data, "generalizations"):
        if not (isinstance(g, list) and len(g) == 3 and all(isinstance(x, str) for x in g)):
            raise ValueError("generalizations must be [id, specific, general]")
        generalizations.append(Generalization(g[0], g[1], g[2]))
    packages = tuple(
        Package(
            _str(p, "id"),
            _str(p, "name"),
            _opt(p, "parent"),
            _str(p, "definition"),
            _stereo(p),
            _tags_from(p),
        )
        for p in (_obj(x, "package") for x in _list(data, "packages"))
    )
    concepts = tuple(
        Concept(
            _str(c, "id"),
            _str(c, "name"),
            _opt(c, "package"),
            _str(c, "definition"),
            _str(c, "source"),
            _stereo(c),
            _tags_from(c),
        )
        for c in (_obj(x, "concept") for x in _list(data, "concepts"))
    )
    instances = tuple(
        Instance(
            _str(i, "id"),
            _str(i, "name"),
            _opt(i, "classifier"),
            _opt(i, "package"),
            _str(i, "definition"),
            _stereo(i),
            _tags_from(i),
        )
        for i in (_obj(x, "instance") for x in _list(data, "instances"))
    )
    profiles = _list(data, "profiles")
    if not all(isinstance(p, str) for p in profiles):
        raise ValueError("profiles must be strings")
    return InfoModel(
        id=_str(data, "id"),
        name=_str(data, "name"),
        version=_str(data, "version"),
        kind=_str(data, "kind", "unknown"),
        description=_str(data, "description"),
        packages=packages,
        classes=tuple(classes),
        associations=tuple(associations),
        generalizations=tuple(generalizations),
        concepts=concepts,
        instances=instances,
        tags=_tags_from(data),
        profiles=tuple(profiles),
    )
