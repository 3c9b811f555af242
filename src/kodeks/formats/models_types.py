"""Primitive type names as modellers write them (``xsd:string``, ``String``, ``int``, ``Date``, …) mapped
to XML Schema datatypes, JSON Schema types and LinkML ranges; and URIs for model elements."""

from __future__ import annotations

import re
from urllib.parse import quote

from kodeks.domain.models.elements import Tags, tag
from kodeks.domain.models.model import InfoModel

_XSD = {
    "string": "string",
    "str": "string",
    "text": "string",
    "char": "string",
    "characterstring": "string",
    "int": "integer",
    "integer": "integer",
    "long": "integer",
    "short": "integer",
    "boolean": "boolean",
    "bool": "boolean",
    "date": "date",
    "datetime": "dateTime",
    "decimal": "decimal",
    "real": "decimal",
    "float": "double",
    "double": "double",
    "anyuri": "anyURI",
    "uri": "anyURI",
}
_JSON = {
    "string": "string",
    "integer": "integer",
    "boolean": "boolean",
    "decimal": "number",
    "double": "number",
}
_FORMAT = {"date": "date", "dateTime": "date-time", "anyURI": "uri"}


def xsd_type(type_name: str) -> str | None:
    """``xsd:string`` / ``String`` / ``EAJava_int`` style names -> the XML Schema local name."""
    key = type_name.rsplit(":", 1)[-1].rsplit("_", 1)[-1].lower()
    return _XSD.get(key)


def json_type(type_name: str) -> dict[str, str]:
    xsd = xsd_type(type_name)
    if xsd is None:
        return {"type": "string"}
    if xsd in _FORMAT:
        return {"type": "string", "format": _FORMAT[xsd]}
    return {"type": _JSON[xsd]}


def identifier(name: str) -> str:
    """A name usable as an identifier (LinkML, JSON Schema ``$defs``): ``nkr:AccountOwner`` ->
    ``nkr_AccountOwner``."""
    out = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")
    return out if out and not out[0].isdigit() else f"_{out}"


def model_namespace(model: InfoModel, base: str = "https://kodeks.example/models") -> str:
    top = next((p for p in model.packages if p.parent is None), None)
    namespace = tag(top.tags, "namespace") if top is not None else ""
    if namespace.startswith("http") and not namespace.endswith("..."):
        return namespace if namespace.endswith(("#", "/")) else namespace + "#"
    return f"{base}/{model.id}#"


def element_uri(namespace: str, name: str, tags: Tags, element_id: str) -> str:
    """The element's ``URI`` tag when it is an absolute, specific URI; else one in the model's namespace."""
    uri = tag(tags, "URI").strip()
    if uri.startswith(("http://", "https://")) and not uri.endswith(("#", "/")):
        return quote(uri, safe=":/#?&=%~+-._!$'()*,;@")
    local = identifier(name.rsplit(":", 1)[-1]) if name else identifier(element_id)
    return namespace + local
