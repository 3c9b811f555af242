"""Write an information model as XMI in Enterprise Architect's shape (UML 2013 namespaces).

The UML part carries packages, classes, attributes with types and multiplicities, associations with
both ends, generalizations, enumerations and instances; EA's ``xmi:Extension`` carries documentation,
aliases, stereotypes and tagged values, where EA reads them and where :mod:`models_xmi` reads them
back. Ids are the model's own, so a re-import finds the same elements. Output is stable: the same
model gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from kodeks.domain.models.elements import Association, AssociationEnd, Multiplicity, Tags
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.valuedomain import BoundDomain

XMI = "http://www.omg.org/spec/XMI/20131001"
UML = "http://www.omg.org/spec/UML/20131001"
_X = f"{{{XMI}}}"
_KIND = {
    "class": "uml:Class",
    "enumeration": "uml:Enumeration",
    "datatype": "uml:DataType",
    "primitive": "uml:PrimitiveType",
}


def write_xmi(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> bytes:
    if model.kind == "profile":
        return _profile(model)
    profiles = {
        p: f"http://www.sparxsystems.com/profiles/{p}/1.0" for p in model.profiles if p.isidentifier()
    }
    root = etree.Element(f"{_X}XMI", nsmap={"xmi": XMI, "uml": UML, **profiles})
    etree.SubElement(root, f"{_X}Documentation", exporter="Kodeks", exporterVersion="6.5")
    uml_model = etree.SubElement(root, f"{{{UML}}}Model", {f"{_X}type": "uml:Model", "name": "EA_Model"})
    ext = etree.Element(f"{_X}Extension", extender="Enterprise Architect", extenderID="6.5")
    elements = etree.SubElement(ext, "elements")
    connectors = etree.Element("connectors")
    containers: dict[str | None, etree._Element] = {None: uml_model}
    for pkg in model.packages:
        parent = containers.get(pkg.parent, uml_model)
        el = _packaged(parent, "uml:Package", pkg.id, pkg.name)
        containers[pkg.id] = el
        info = _ext(elements, pkg.id, "uml:Package", pkg.name, pkg.definition, "", pkg.stereotypes, pkg.tags)
        if model.packages and pkg.id == _top(model):
            etree.SubElement(info, "project", version=model.version)
    owners: dict[str, etree._Element] = {}
    rank = _reading_order(model)
    for cls in sorted(model.classes, key=lambda c: rank[c.package]):
        el = _packaged(containers.get(cls.package, uml_model), _KIND[cls.kind], cls.id, cls.name)
        if cls.abstract:
            el.set("isAbstract", "true")
        owners[cls.id] = el
        info = _ext(
            elements, cls.id, _KIND[cls.kind], cls.name, cls.definition, cls.alias, cls.stereotypes, cls.tags
        )
        attrs = etree.SubElement(info, "attributes")
        for a in cls.attributes:
            prop = etree.SubElement(
                el, "ownedAttribute", {f"{_X}type": "uml:Property", f"{_X}id": a.id, "name": a.name}
            )
            _multiplicity(prop, a.id, a.multiplicity)
            ref = a.type_ref or (f"EAnone_{a.type_name}" if a.type_name else "")
            if ref:
                etree.SubElement(prop, "type", {f"{_X}idref": ref})
            _ext_attribute(attrs, a.id, a.name, a.definition, a.type_name, a.stereotypes, a.tags)
        for lit in cls.literals:
            etree.SubElement(
                el,
                "ownedLiteral",
                {f"{_X}type": "uml:EnumerationLiteral", f"{_X}id": lit.id, "name": lit.name},
            )
            _ext_attribute(attrs, lit.id, lit.name, lit.definition, "", (), lit.tags)
    for concept in sorted(model.concepts, key=lambda c: rank[c.package]):
        el = _packaged(containers.get(concept.package, uml_model), "uml:Class", concept.id, concept.name)
        owners[concept.id] = el
        stereotypes = concept.stereotypes or ("Concept",)
        _ext(
            elements, concept.id, "uml:Class", concept.name, concept.definition, "", stereotypes, concept.tags
        )
    for inst in sorted(model.instances, key=lambda i: rank[i.package]):
        el = _packaged(
            containers.get(inst.package, uml_model), "uml:InstanceSpecification", inst.id, inst.name
        )
        if inst.classifier:
            el.set("classifier", inst.classifier)
        owners[inst.id] = el
        _ext(
            elements,
            inst.id,
            "uml:InstanceSpecification",
            inst.name,
            inst.definition,
            "",
            inst.stereotypes,
            inst.tags,
        )
    for gen in model.generalizations:
        owner = owners.get(gen.specific)
        if owner is not None:
            etree.SubElement(
                owner,
                "generalization",
                {f"{_X}type": "uml:Generalization", f"{_X}id": gen.id, "general": gen.general},
            )
    for assoc in sorted(model.associations, key=lambda a: rank[a.package]):
        _association(containers.get(assoc.package, uml_model), connectors, elements, assoc)
    ext.append(connectors)
    root.append(ext)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _profile(model: InfoModel) -> bytes:
    """A UML profile as read from one (the FDA profile): stereotypes with their tag definitions."""
    pkg = model.packages[0] if model.packages else None
    root = etree.Element(
        f"{{{UML}}}Profile",
        {f"{_X}id": pkg.id if pkg else "profile", "nsPrefix": model.name, "name": model.name},
        nsmap={"uml": UML, "xmi": XMI},
    )
    if model.version:
        comment = etree.SubElement(root, "ownedComment", {f"{_X}type": "uml:Comment", f"{_X}id": "version"})
        etree.SubElement(comment, "body").text = f" Version:{model.version}"
    for cls in model.classes:
        el = etree.SubElement(
            root, "packagedElement", {f"{_X}type": "uml:Stereotype", f"{_X}id": cls.id, "name": cls.name}
        )
        if cls.abstract:
            el.set("isAbstract", "true")
        for gen in model.generalizations:
            if gen.specific == cls.id:
                etree.SubElement(
                    el,
                    "generalization",
                    {f"{_X}type": "uml:Generalization", f"{_X}id": gen.id, "general": gen.general},
                )
        for a in cls.attributes:
            prop = etree.SubElement(
                el, "ownedAttribute", {f"{_X}type": "uml:Property", f"{_X}id": a.id, "name": a.name}
            )
            if a.type_name:
                etree.SubElement(prop, "type", href=f"{UML}/UML.xmi#{a.type_name}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _reading_order(model: InfoModel) -> dict[str | None, int]:
    """The order in which a reader meets each package's own elements in the written document: a
    package's sub-packages come before its classes, and the model's own elements come last. Writing in
    that order makes ``write(read(write(m))) == write(m)``."""
    children: dict[str | None, list[str]] = {}
    for pkg in model.packages:
        children.setdefault(pkg.parent if pkg.parent in model.package_by_id else None, []).append(pkg.id)
    rank: dict[str | None, int] = {}
    stack: list[tuple[str, bool]] = [(p, False) for p in reversed(children.get(None, []))]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            rank[node] = len(rank)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children.get(node, [])))
    rank[None] = len(rank)
    for pkg in model.packages:
        rank.setdefault(pkg.id, len(rank))
    return rank


def _top(model: InfoModel) -> str | None:
    tops = [p.id for p in model.packages if p.parent is None]
    if len(tops) != 1:
        return None
    children = [p for p in model.packages if p.parent == tops[0]]
    if len(children) == 1 and model.packages[0].name in ("Model", "EA_Model") and len(model.packages) > 1:
        return children[0].id
    return tops[0]


def _packaged(parent: etree._Element, kind: str, element_id: str, name: str) -> etree._Element:
    return etree.SubElement(
        parent, "packagedElement", {f"{_X}type": kind, f"{_X}id": element_id, "name": name}
    )


def _multiplicity(prop: etree._Element, owner_id: str, m: Multiplicity | None) -> None:
    if m is None:
        return
    etree.SubElement(
        prop,
        "lowerValue",
        {f"{_X}type": "uml:LiteralInteger", f"{_X}id": f"{owner_id}_lower", "value": str(m.lower)},
    )
    etree.SubElement(
        prop,
        "upperValue",
        {
            f"{_X}type": "uml:LiteralUnlimitedNatural",
            f"{_X}id": f"{owner_id}_upper",
            "value": "*" if m.upper is None else str(m.upper),
        },
    )


def _tags(parent: etree._Element, element_id: str, tags: Tags) -> None:
    holder = etree.SubElement(parent, "tags")
    for i, (name, value) in enumerate(tags):
        etree.SubElement(
            holder,
            "tag",
            {f"{_X}id": f"{element_id}_tag{i}", "name": name, "value": value, "modelElement": element_id},
        )


def _ext(
    elements: etree._Element,
    element_id: str,
    kind: str,
    name: str,
    documentation: str,
    alias: str,
    stereotypes: tuple[str, ...],
    tags: Tags,
) -> etree._Element:
    el = etree.SubElement(elements, "element", {f"{_X}idref": element_id, f"{_X}type": kind, "name": name})
    props = etree.SubElement(el, "properties", documentation=documentation)
    if alias:
        props.set("alias", alias)
    if stereotypes:
        props.set("stereotype", ",".join(stereotypes))
    _tags(el, element_id, tags)
    return el


def _ext_attribute(
    attrs: etree._Element,
    element_id: str,
    name: str,
    documentation: str,
    type_name: str,
    stereotypes: tuple[str, ...],
    tags: Tags,
) -> None:
    el = etree.SubElement(attrs, "attribute", {f"{_X}idref": element_id, "name": name})
    etree.SubElement(el, "documentation", value=documentation)
    if type_name:
        etree.SubElement(el, "properties", type=type_name)
    if stereotypes:
        etree.SubElement(el, "stereotype", stereotype=",".join(stereotypes))
    _tags(el, element_id, tags)


def _association(
    container: etree._Element, connectors: etree._Element, elements: etree._Element, assoc: Association
) -> None:
    el = _packaged(container, "uml:Association", assoc.id, assoc.name)
    # EA's order: the destination's end first, then the source's
    for end in (assoc.target, assoc.source):
        etree.SubElement(el, "memberEnd", {f"{_X}idref": end.id})
    for end in (assoc.target, assoc.source):
        _end(el, assoc.id, end)
    tagged = [end for end in (assoc.target, assoc.source) if end.tags]
    if tagged:  # the roles' tags, where EA keeps an attribute's: one record per end
        holder = etree.SubElement(elements, "element", {f"{_X}idref": f"{assoc.id}_ends"})
        attrs = etree.SubElement(holder, "attributes")
        for end in tagged:
            _ext_attribute(attrs, end.id, end.role, "", "", (), end.tags)
    connector = etree.SubElement(connectors, "connector", {f"{_X}idref": assoc.id})
    props = etree.SubElement(connector, "properties")
    if assoc.stereotypes:
        props.set("stereotype", ",".join(assoc.stereotypes))
    etree.SubElement(connector, "documentation", value=assoc.definition)
    _tags(connector, assoc.id, assoc.tags)


def _end(parent: etree._Element, assoc_id: str, end: AssociationEnd) -> None:
    prop = etree.SubElement(
        parent,
        "ownedEnd",
        {
            f"{_X}type": "uml:Property",
            f"{_X}id": end.id,
            "association": assoc_id,
            **({"name": end.role} if end.role else {}),
        },
    )
    etree.SubElement(prop, "type", {f"{_X}idref": end.class_id})
    _multiplicity(prop, end.id, end.multiplicity)
