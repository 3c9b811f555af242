"""LinkML YAML: write a model as a LinkML schema, and read a LinkML schema as a model.

Classes become LinkML classes (``is_a`` for the first supertype, ``mixins`` for the rest), attributes
become ``attributes`` with ``range``/``required``/``multivalued``; association roles become attributes
whose range is the class they reach; enumerations become ``enums``. What LinkML has no place for (the
element's id, stereotypes, tags, the original type name, which attribute is an association role) is
kept in ``annotations``, so a model written and read back is the same model. The schema's own
annotations carry, in the model codec's JSON (``kodeks.domain.models.codec``), the packages, the
model's tags, its concepts and instances (LinkML schemas have no place for either), and the
associations and generalizations that are not between two classes (those of concepts and instances).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from kodeks.domain.models.codec import model_from_dict, model_to_dict
from kodeks.domain.models.elements import (
    Association,
    AssociationEnd,
    Attribute,
    EnumLiteral,
    Generalization,
    ModelClass,
    Multiplicity,
    Package,
    Tags,
)
from kodeks.domain.models.model import InfoModel, integrity_problems
from kodeks.domain.models.valuedomain import BoundDomain
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.models_types import identifier, model_namespace, xsd_type

_RANGE = {"dateTime": "datetime", "anyURI": "uri"}
_TYPES = {"string", "integer", "boolean", "date", "datetime", "decimal", "float", "double", "uri"}
MAX_YAML_BYTES = 16 * 1024 * 1024
#: What the schema's annotations carry in the model codec's JSON (``kodeks_<key>``).
_KEPT = ("tags", "concepts", "instances", "associations", "generalizations")
#: libyaml's loader and dumper when PyYAML was built with it (ten times faster on a large model).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _annotations(element_id: str, stereotypes: tuple[str, ...], tags: Tags, **extra: str) -> dict[str, Any]:
    out: dict[str, Any] = {"kodeks_id": element_id}
    if stereotypes:
        out["stereotypes"] = json.dumps(list(stereotypes), ensure_ascii=False)
    if tags:
        out["tags"] = json.dumps([list(t) for t in tags], ensure_ascii=False)
    out.update({k: v for k, v in extra.items() if v})
    return out


def _mult(m: Multiplicity | None) -> dict[str, Any]:
    if m is None:
        return {}
    out: dict[str, Any] = {"required": m.lower >= 1, "multivalued": m.upper != 1}
    if m.lower > 1:
        out["minimum_cardinality"] = m.lower
    if m.upper is not None and m.upper > 1:
        out["maximum_cardinality"] = m.upper
    return out


def schema(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> dict[str, Any]:
    bound = bound or {}
    ns = model_namespace(model)
    names: dict[str, str] = {}
    used: set[str] = set()
    for c in model.classes:
        name = identifier(c.name)
        while name in used:
            name += "_"
        used.add(name)
        names[c.id] = name
    classes: dict[str, Any] = {}
    enums: dict[str, Any] = {}
    # what LinkML has no place for, in the model codec's JSON
    kept = model_to_dict(
        InfoModel(
            model.id,
            model.name,
            associations=tuple(
                a
                for a in model.associations
                if a.source.class_id not in names or a.target.class_id not in names
            ),
            generalizations=tuple(
                g for g in model.generalizations if g.specific not in names or g.general not in names
            ),
            concepts=model.concepts,
            instances=model.instances,
            tags=model.tags,
        )
    )
    extra = {f"kodeks_{key}": json.dumps(kept[key], ensure_ascii=False) for key in _KEPT if kept[key]}
    for cls in model.classes:
        if cls.kind == "enumeration":
            values: dict[str, Any] = {
                lit.name: {
                    **({"description": lit.definition} if lit.definition else {}),
                    "annotations": _annotations(lit.id, (), lit.tags),
                }
                for lit in cls.literals
            }
            if cls.id in bound:
                values = {code: {"description": title} for code, title in bound[cls.id].codes}
            enums[names[cls.id]] = {
                **({"description": cls.definition} if cls.definition else {}),
                "permissible_values": values,
                "annotations": _annotations(
                    cls.id, cls.stereotypes, cls.tags, name=cls.name, package=cls.package or ""
                ),
            }
            continue
        attributes: dict[str, Any] = {}
        for a in cls.attributes:
            key = a.name
            while key in attributes:
                key += "_"
            if a.type_ref in names:
                rng = names[a.type_ref]
            else:
                xsd = xsd_type(a.type_name) or "string"
                rng = _RANGE.get(xsd, xsd) if _RANGE.get(xsd, xsd) in _TYPES else "string"
            attributes[key] = {
                "range": rng,
                **_mult(a.multiplicity),
                **({"description": a.definition} if a.definition else {}),
                "annotations": _annotations(a.id, a.stereotypes, a.tags, name=a.name, type_name=a.type_name),
            }
        for assoc in model.associations:
            if assoc.source.class_id != cls.id or assoc.target.class_id not in names:
                continue
            key = assoc.target.role or f"assoc_{identifier(assoc.id)}"
            while key in attributes:
                key += "_"
            attributes[key] = {
                "range": names[assoc.target.class_id],
                **_mult(assoc.target.multiplicity),
                **({"description": assoc.definition} if assoc.definition else {}),
                "annotations": _association(assoc),
            }
        supers = [names[s] for s in model.supertypes(cls.id) if s in names]
        body: dict[str, Any] = {}
        if cls.definition:
            body["description"] = cls.definition
        if supers:
            body["is_a"] = supers[0]
            if supers[1:]:
                body["mixins"] = supers[1:]
        if cls.abstract:
            body["abstract"] = True
        if attributes:
            body["attributes"] = attributes
        body["annotations"] = _annotations(
            cls.id,
            cls.stereotypes,
            cls.tags,
            name=cls.name,
            kind=cls.kind,
            alias=cls.alias,
            package=cls.package or "",
        )
        classes[names[cls.id]] = body
    return {
        "id": ns.rstrip("#/"),
        "name": identifier(model.id),
        "title": model.name,
        **({"version": model.version} if model.version else {}),
        **({"description": model.description} if model.description else {}),
        "prefixes": {"linkml": "https://w3id.org/linkml/", "m": ns},
        "default_prefix": "m",
        "default_range": "string",
        "imports": ["linkml:types"],
        "annotations": {
            "kodeks_packages": json.dumps(
                [
                    [p.id, p.name, p.parent, list(p.stereotypes), [list(t) for t in p.tags], p.definition]
                    for p in model.packages
                ],
                ensure_ascii=False,
            ),
            "kodeks_kind": model.kind,
            **extra,
        },
        "classes": classes,
        **({"enums": enums} if enums else {}),
    }


def _association(assoc: Association) -> dict[str, Any]:
    s, t = assoc.source, assoc.target
    return _annotations(
        assoc.id,
        assoc.stereotypes,
        assoc.tags,
        association=json.dumps(
            {
                "name": assoc.name,
                "package": assoc.package,
                "source": [
                    s.id,
                    s.role,
                    str(s.multiplicity) if s.multiplicity else None,
                    [list(x) for x in s.tags],
                ],
                "target": [t.id, t.role, [list(x) for x in t.tags], t.multiplicity is None],
            },
            ensure_ascii=False,
        ),
    )


def write_linkml(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> bytes:
    text = yaml.dump(schema(model, bound), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return text.encode()


# -- reading -----------------------------------------------------------------------------------------
def _ann(body: Mapping[str, Any]) -> dict[str, str]:
    raw = body.get("annotations") or {}
    if not isinstance(raw, dict):
        return {}
    out = {}
    for key, value in raw.items():
        out[str(key)] = str(value.get("value", "")) if isinstance(value, dict) else str(value)
    return out


def _tags_of(ann: Mapping[str, str]) -> Tags:
    if "tags" not in ann:
        return ()
    return tuple((str(k), str(v)) for k, v in json.loads(ann["tags"]))


def _stereo_of(ann: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(str(s) for s in json.loads(ann["stereotypes"])) if "stereotypes" in ann else ()


def _mult_of(body: Mapping[str, Any]) -> Multiplicity | None:
    if "required" not in body and "multivalued" not in body:
        return None
    lower = int(body.get("minimum_cardinality") or (1 if body.get("required") else 0))
    upper: int | None = 1
    if body.get("multivalued"):
        upper = int(body["maximum_cardinality"]) if body.get("maximum_cardinality") else None
    return Multiplicity(lower, upper)


def read_linkml(data: bytes, source: str, model_id: str | None = None) -> InfoModel:
    if len(data) > MAX_YAML_BYTES:
        raise MalformedInput(
            f"a LinkML schema of {len(data):,} bytes is more than {MAX_YAML_BYTES:,}", source=source
        )
    try:
        doc = yaml.load(data, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MalformedInput(
            f"YAML is not well-formed: {getattr(exc, 'problem', exc)}",
            source=source,
            location=f"line {mark.line + 1}" if mark is not None else None,
        ) from None
    if not isinstance(doc, dict) or ("classes" not in doc and "enums" not in doc):
        raise MalformedInput("not a LinkML schema (no classes or enums)", source=source)
    try:
        model = _model(doc, model_id)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InvalidContent(f"LinkML schema: {exc}", source=source) from None
    problems = integrity_problems(model)
    if problems:
        raise InvalidContent("; ".join(problems[:5]), source=source)
    return model


def _model(doc: dict[str, Any], model_id: str | None) -> InfoModel:
    ann = _ann(doc)
    packages = tuple(
        Package(str(i), str(n), p, str(d), tuple(map(str, st)), tuple((str(k), str(v)) for k, v in tg))
        for i, n, p, st, tg, d in json.loads(ann.get("kodeks_packages", "[]"))
    )
    classes_doc = doc.get("classes") or {}
    enums_doc = doc.get("enums") or {}
    if not isinstance(classes_doc, dict) or not isinstance(enums_doc, dict):
        raise ValueError("classes and enums must be mappings")
    ids: dict[str, str] = {}
    for name, body in [*classes_doc.items(), *enums_doc.items()]:
        ids[str(name)] = _ann(body or {}).get("kodeks_id") or f"linkml:{name}"
    classes: list[ModelClass] = []
    generalizations: list[Generalization] = []
    associations: list[Association] = []
    for name, body in classes_doc.items():
        body = body or {}
        a = _ann(body)
        cid = ids[str(name)]
        attributes = []
        for attr_name, attr in (body.get("attributes") or {}).items():
            attr = attr or {}
            aa = _ann(attr)
            rng = str(attr.get("range") or doc.get("default_range") or "string")
            if "association" in aa:
                associations.append(_association_from(aa, cid, ids[rng], attr))
                continue
            type_ref = ids.get(rng)
            attributes.append(
                Attribute(
                    aa.get("kodeks_id") or f"{cid}.{attr_name}",
                    aa.get("name") or str(attr_name),
                    aa.get("type_name", "" if type_ref else rng),
                    type_ref,
                    _mult_of(attr),
                    str(attr.get("description") or ""),
                    _stereo_of(aa),
                    _tags_of(aa),
                )
            )
        supers = [body["is_a"]] if body.get("is_a") else []
        supers += list(body.get("mixins") or [])
        for i, sup in enumerate(supers):
            generalizations.append(Generalization(f"{cid}-isa-{i}", cid, ids[str(sup)]))
        kind = a.get("kind", "class")
        classes.append(
            ModelClass(
                cid,
                a.get("name") or str(name),
                a.get("package") or None,
                kind if kind in ("class", "datatype", "primitive") else "class",  # type: ignore[arg-type]
                bool(body.get("abstract")),
                str(body.get("description") or ""),
                a.get("alias", ""),
                _stereo_of(a),
                _tags_of(a),
                tuple(attributes),
            )
        )
    for name, body in enums_doc.items():
        body = body or {}
        a = _ann(body)
        values = body.get("permissible_values") or {}
        literals = tuple(
            EnumLiteral(
                _ann(v or {}).get("kodeks_id") or f"{ids[str(name)]}.{code}",
                str(code),
                str((v or {}).get("description") or ""),
                _tags_of(_ann(v or {})),
            )
            for code, v in values.items()
        )
        classes.append(
            ModelClass(
                ids[str(name)],
                a.get("name") or str(name),
                a.get("package") or None,
                "enumeration",
                definition=str(body.get("description") or ""),
                stereotypes=_stereo_of(a),
                tags=_tags_of(a),
                literals=literals,
            )
        )
    kept = model_from_dict(
        {
            "id": "kept",
            "name": "kept",
            **{key: json.loads(ann[f"kodeks_{key}"]) for key in _KEPT if f"kodeks_{key}" in ann},
        }
    )
    return InfoModel(
        id=model_id
        or identifier(str(doc.get("name") or "linkml")).lower().replace("_", "-").strip("-")
        or "linkml",
        name=str(doc.get("title") or doc.get("name") or "LinkML"),
        version=str(doc.get("version") or ""),
        kind=ann.get("kodeks_kind", "information"),
        description=str(doc.get("description") or ""),
        packages=packages,
        classes=tuple(classes),
        associations=(*associations, *kept.associations),
        generalizations=(*generalizations, *kept.generalizations),
        concepts=kept.concepts,
        instances=kept.instances,
        tags=kept.tags,
    )


def _association_from(
    aa: Mapping[str, str], source_id: str, target_id: str, attr: Mapping[str, Any]
) -> Association:
    info = json.loads(aa["association"])
    s_id, s_role, s_mult, s_tags = info["source"]
    t_id, t_role, t_tags, t_none = info["target"]
    return Association(
        aa.get("kodeks_id") or f"{source_id}-{t_role}",
        AssociationEnd(
            s_id,
            source_id,
            s_role,
            Multiplicity.parse(s_mult) if s_mult else None,
            tuple((str(k), str(v)) for k, v in s_tags),
        ),
        AssociationEnd(
            t_id,
            target_id,
            t_role,
            None if t_none else _mult_of(attr),
            tuple((str(k), str(v)) for k, v in t_tags),
        ),
        str(info.get("name") or ""),
        info.get("package"),
        str(attr.get("description") or ""),
        _stereo_of(aa),
        _tags_of(aa),
    )
