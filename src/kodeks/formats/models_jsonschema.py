"""A model as JSON Schema (2020-12): one ``$defs`` entry per class, attributes as properties.

Multiplicity gives ``required`` (lower ≥ 1) and arrays (upper ≠ 1, with ``minItems``/``maxItems``);
an attribute typed by an enumeration or bound to a registry classification gets ``enum`` with the
exact codes (a bound classification's codes valid on the export date); supertypes come in by
``allOf``. Output is stable: keys sorted, one final newline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kodeks.domain.models.elements import Multiplicity
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.valuedomain import BoundDomain
from kodeks.formats.models_types import identifier, json_type, model_namespace

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _many(schema: dict[str, Any], m: Multiplicity | None) -> dict[str, Any]:
    if m is None or m.upper == 1:
        return schema
    out: dict[str, Any] = {"type": "array", "items": schema}
    if m.lower:
        out["minItems"] = m.lower
    if m.upper is not None:
        out["maxItems"] = m.upper
    return out


def schema(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> dict[str, Any]:
    bound = bound or {}
    names = {c.id: identifier(c.name) for c in model.classes} | {
        c.id: identifier(c.name) for c in model.concepts
    }
    defs: dict[str, Any] = {}
    for cls in model.classes:
        key = names[cls.id]
        if cls.kind == "enumeration":
            codes = (
                [code for code, _ in bound[cls.id].codes]
                if cls.id in bound
                else [lit.name for lit in cls.literals]
            )
            defs[key] = {"enum": codes, **({"description": cls.definition} if cls.definition else {})}
            continue
        if cls.kind == "primitive":
            defs[key] = {**json_type(cls.name), **({"description": cls.definition} if cls.definition else {})}
            continue
        props: dict[str, Any] = {}
        required: list[str] = []
        for a in cls.attributes:
            if a.id in bound:
                value: dict[str, Any] = {"enum": [code for code, _ in bound[a.id].codes]}
            elif a.type_ref in names:
                value = {"$ref": f"#/$defs/{names[a.type_ref]}"}
            else:
                value = json_type(a.type_name)
            if a.definition:
                value = {**value, "description": a.definition}
            props[a.name] = _many(value, a.multiplicity)
            if a.multiplicity is not None and a.multiplicity.lower >= 1:
                required.append(a.name)
        for assoc in model.associations:
            end, other = assoc.target, assoc.source
            if other.class_id == cls.id and end.role and end.class_id in names:
                props[end.role] = _many({"$ref": f"#/$defs/{names[end.class_id]}"}, end.multiplicity)
                if end.multiplicity is not None and end.multiplicity.lower >= 1:
                    required.append(end.role)
        body: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            body["required"] = sorted(set(required))
        if cls.definition:
            body["description"] = cls.definition
        supers = [names[s] for s in model.supertypes(cls.id) if s in names]
        defs[key] = {"allOf": [*({"$ref": f"#/$defs/{s}"} for s in supers), body]} if supers else body
    return {
        "$schema": DIALECT,
        "$id": model_namespace(model).rstrip("#/") + "/schema.json",
        "title": model.name,
        **({"description": model.description} if model.description else {}),
        "$defs": defs,
    }


def write_jsonschema(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> bytes:
    return (json.dumps(schema(model, bound), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
