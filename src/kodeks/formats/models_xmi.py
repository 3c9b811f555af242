"""Read Enterprise Architect's XMI (XMI 2.1 and the UML 2013 namespaces), with or without the FDA
profile, into an :class:`~kodeks.domain.models.model.InfoModel`.

What matters is read from the UML part (packages, classes, attributes with types and multiplicities,
associations, generalizations, enumerations, instances); EA's ``xmi:Extension`` adds documentation,
aliases, stereotypes and tagged values; the profile applications after the model
(``<FDAprofil:ModelElement base_Element=… URI=…/>``) add stereotypes and tag values. Anything else is
passed over without failing. An EA type reference (``EAJava_int``, ``EAXSD_xsd_string``) becomes a
type name; a reference to an ``EAID_…`` the file does not hold is refused, naming the element.
A UML profile (``uml:Profile``, e.g. the FDA profile itself) is read as a model of kind ``profile``:
its stereotypes are classes, their tag definitions attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from kodeks.domain.models.elements import (
    Association,
    AssociationEnd,
    Attribute,
    ClassKind,
    Concept,
    EnumLiteral,
    Generalization,
    Instance,
    ModelClass,
    Multiplicity,
    Package,
    Tags,
    tag,
)
from kodeks.domain.models.model import InfoModel, integrity_problems
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.xml import parse_xml

_XMI_NS = re.compile(r"^https?://(schema|www)\.omg\.org/spec/XMI/[0-9.]+$")
_UML_NS = re.compile(r"^https?://(schema|www)\.omg\.org/spec/UML/[0-9.]+$")
_CLASS_KINDS: dict[str, ClassKind] = {
    "uml:Class": "class",
    "uml:Interface": "class",
    "uml:Enumeration": "enumeration",
    "uml:DataType": "datatype",
    "uml:PrimitiveType": "primitive",
}
#: Stereotypes that make a class a concept (begreb) rather than a class of the information model.
CONCEPT_STEREOTYPES = frozenset({"Concept", "Begreb"})
#: Package stereotypes of the FDA profile (and its predecessors) and the model kind they mean.
MODEL_KIND_BY_STEREOTYPE = {
    "ConceptModel": "concept",
    "InformationModel": "information",
    "ApplicationProfile": "information",
    "LogicalDataModel": "logical",
    "ClassificationModel": "classification",
}
#: EA element types that EA exports as ``uml:Class`` but are its diagram notation, not model classes.
_EA_ONLY = frozenset({"uml:ProxyConnector"})
_EA_BUILTIN = ("EAJava_", "EAXSD_", "EAnone_", "EAC_", "EAC#_", "EAVB_", "EAUML_", "EADDL_")
#: Tag names in profile applications encode " (da)" as "__da_".
_LANG = re.compile(r"__([A-Za-z-]+)_$")


def is_xmi(head: bytes) -> bool:
    return b"omg.org/spec/XMI" in head or b"omg.org/spec/UML" in head


@dataclass
class _Ext:
    """What EA's extension says about one element."""

    documentation: str = ""
    alias: str = ""
    stereotypes: list[str] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    type_name: str = ""
    version: str = ""
    kind: str = ""  # EA's own element type (``uml:ProxyConnector`` for a class in the UML part)


def read_xmi(data: bytes, source: str, model_id: str | None = None) -> InfoModel:
    root = parse_xml(data, source)
    xmi = _namespace(root, _XMI_NS)
    uml = _namespace(root, _UML_NS)
    if xmi is None or uml is None:
        raise MalformedInput("not an XMI file (no OMG XMI and UML namespaces)", source=source)
    reader = _Reader(root, xmi, uml, source)
    model = reader.read(model_id)
    problems = integrity_problems(model)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise InvalidContent("; ".join(problems[:5]) + more, source=source)
    return model


def _namespace(root: etree._Element, pattern: re.Pattern[str]) -> str | None:
    candidates = [root.nsmap.get(p) for p in root.nsmap]
    if isinstance(root.tag, str) and root.tag.startswith("{"):
        candidates.append(root.tag[1:].split("}")[0])
    for uri in candidates:
        if uri and pattern.match(uri):
            return uri
    return None


def _local(el: etree._Element) -> str:
    tag_ = el.tag
    return tag_.split("}")[1] if isinstance(tag_, str) and "}" in tag_ else str(tag_)


def slug(text: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))
    return out.strip("-")[:64] or "model"


def _tag_value(raw: str) -> str:
    """EA writes ``value#NOTES#notes``, ``<memo>#NOTES#text`` and ``value$ea_notes=notes``."""
    value, sep, notes = raw.partition("#NOTES#")
    if not sep:
        value, sep, notes = raw.partition("$ea_notes=")
    if value == "<memo>":
        return notes if sep and not notes.startswith(("Values:", "Description:", "Default:")) else ""
    return value


def _tag_name(attr: str) -> str:
    match = _LANG.search(attr)
    return f"{attr[: match.start()]} ({match.group(1)})" if match else attr


class _Reader:
    def __init__(self, root: etree._Element, xmi: str, uml: str, source: str) -> None:
        self.root, self.source = root, source
        self.x_id, self.x_type, self.x_idref = (f"{{{xmi}}}{n}" for n in ("id", "type", "idref"))
        self.uml = uml
        self.xmi = xmi
        self.ext: dict[str, _Ext] = {}
        self.ids: set[str] = set()
        self.packages: list[Package] = []
        self.classes: list[ModelClass] = []
        self.concepts: list[Concept] = []
        self.instances: list[Instance] = []
        self.generalizations: list[Generalization] = []
        self.associations: list[etree._Element] = []
        self.properties: dict[str, tuple[etree._Element, str | None]] = {}
        self.applied: dict[str, list[tuple[str, Tags]]] = {}
        self._refs: set[str] | None = None

    # -- top --------------------------------------------------------------------------------------
    def read(self, model_id: str | None) -> InfoModel:
        root = self.root
        self.ids = {el.get(self.x_id) or "" for el in root.iter() if isinstance(el.tag, str)} - {""}
        if _local(root) == "Profile":
            return self._profile(root, model_id)
        models = [el for el in root.iter(f"{{{self.uml}}}Model")] or (
            [root] if _local(root) == "Model" else []
        )
        if not models:
            raise MalformedInput("XMI holds no uml:Model", source=self.source)
        self._extension()
        self._applications()
        for model in models:
            for child in model:
                if isinstance(child.tag, str) and _local(child) == "packagedElement":
                    self._element(child, None)
        tops = [p for p in self.packages if p.parent is None]
        top = tops[0] if len(tops) == 1 else None
        if top is not None and len(self.packages) > 1 and _only_child(self.packages, top.id):
            # EA exports wrap the model's package in a "Model" view: name the model by what is inside
            inner = _only_child(self.packages, top.id)
            top = inner if top.name in ("Model", "EA_Model") and inner is not None else top
        name = top.name if top is not None else (models[0].get("name") or "model")
        kind = "unknown"
        for pkg in ([top] if top is not None else []) + self.packages:
            kinds = [MODEL_KIND_BY_STEREOTYPE[s] for s in pkg.stereotypes if s in MODEL_KIND_BY_STEREOTYPE]
            if kinds:
                kind = kinds[0]
                break
        version = ""
        tags: Tags = ()
        if top is not None:
            version = tag(top.tags, "versionInfo") or self.ext.get(top.id, _Ext()).version
        associations = tuple(self._associations())
        profiles = sorted({p for p in self.root.nsmap if p and p not in ("xmi", "uml", "umldi", "dc", "xsi")})
        return InfoModel(
            id=model_id or slug(name),
            name=name,
            version=version,
            kind=kind,
            description=top.definition if top is not None else "",
            packages=tuple(self.packages),
            classes=tuple(self.classes),
            associations=associations,
            generalizations=tuple(self.generalizations),
            concepts=tuple(self.concepts),
            instances=_typed(self.instances, associations),
            tags=tags,
            profiles=tuple(profiles),
        )

    # -- extension and profile applications -------------------------------------------------------
    def _extension(self) -> None:
        for ext in self.root.iter(f"{{{self.xmi}}}Extension"):
            for el in ext.iter():
                if not isinstance(el.tag, str):
                    continue
                name = _local(el)
                if name in ("element", "attribute") and el.get(self.x_idref):
                    self._ext_element(el, el.get(self.x_idref) or "")
                elif name == "connector" and el.get(self.x_idref):
                    self._ext_connector(el, el.get(self.x_idref) or "")

    def _ext_element(self, el: etree._Element, ref: str) -> None:
        info = self.ext.setdefault(ref, _Ext())
        info.kind = info.kind or (el.get(self.x_type) or "")
        for child in el:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            if name == "properties":
                info.documentation = info.documentation or (child.get("documentation") or "")
                info.alias = info.alias or (child.get("alias") or "")
                if child.get("type"):
                    info.type_name = child.get("type") or ""
                _add(info.stereotypes, child.get("stereotype"))
            elif name == "documentation":
                info.documentation = info.documentation or (child.get("value") or "")
            elif name == "stereotype":
                _add(info.stereotypes, child.get("stereotype"))
            elif name == "project":
                info.version = child.get("version") or ""
            elif name == "tags":
                info.tags.extend(self._tags(child))

    def _tags(self, tags_el: etree._Element) -> Iterator[tuple[str, str]]:
        for t in tags_el:
            if isinstance(t.tag, str) and t.get("name"):
                yield (t.get("name") or "", _tag_value(t.get("value") or ""))

    def _ext_connector(self, el: etree._Element, ref: str) -> None:
        info = self.ext.setdefault(ref, _Ext())
        for child in el:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            if name == "properties":
                _add(info.stereotypes, child.get("stereotype"))
            elif name == "documentation":
                info.documentation = info.documentation or (child.get("value") or "")
            elif name == "tags":
                info.tags.extend(self._tags(child))

    def _applications(self) -> None:
        """``<Profile:Stereotype base_X="id" tag=value/>`` elements outside the model."""
        for el in self.root:
            if not isinstance(el.tag, str) or not el.tag.startswith("{"):
                continue
            ns = el.tag[1:].split("}")[0]
            if ns in (self.xmi, self.uml) or "omg.org" in ns:
                continue
            base = next((v for k, v in el.attrib.items() if str(k).startswith("base_")), None)
            if not base:
                continue
            values = tuple(
                (_tag_name(str(k)), _tag_value(str(v)))
                for k, v in el.attrib.items()
                if not str(k).startswith("base_") and "}" not in str(k)
            )
            self.applied.setdefault(str(base), []).append((_local(el), values))

    def _meta(self, element_id: str) -> tuple[str, str, tuple[str, ...], Tags]:
        """(documentation, alias, stereotypes, tags) from the extension and profile applications."""
        info = self.ext.get(element_id, _Ext())
        stereotypes = list(info.stereotypes)
        tags = list(info.tags)
        for stereotype, values in self.applied.get(element_id, []):
            _add(stereotypes, stereotype)
            for key, value in values:
                known = [i for i, (k, _) in enumerate(tags) if k == key]
                if not known:
                    tags.append((key, value))
                elif value and not tags[known[0]][1]:
                    tags[known[0]] = (key, value)
        return info.documentation, info.alias, tuple(stereotypes), tuple(tags)

    # -- the UML part -----------------------------------------------------------------------------
    def _element(self, el: etree._Element, package: str | None) -> None:
        kind = el.get(self.x_type) or ""
        element_id = el.get(self.x_id) or ""
        if not element_id:
            return
        if kind in ("uml:Package", "uml:Model"):
            doc, _alias, stereo, tags = self._meta(element_id)
            self.packages.append(
                Package(element_id, el.get("name") or "", package, _definition(doc, tags), stereo, tags)
            )
            for child in el:
                if isinstance(child.tag, str) and _local(child) == "packagedElement":
                    self._element(child, element_id)
        elif kind in _CLASS_KINDS:
            if self.ext.get(element_id, _Ext()).kind in _EA_ONLY and element_id not in self._referenced():
                return  # EA's own notation (a proxy connector) exported as a class: not part of the model
            self._class(el, element_id, _CLASS_KINDS[kind], package)
        elif kind == "uml:Association":
            self.associations.append(el)
            for end in el:
                if isinstance(end.tag, str) and _local(end) == "ownedEnd" and end.get(self.x_id):
                    self.properties[end.get(self.x_id) or ""] = (end, None)
        elif kind == "uml:InstanceSpecification":
            doc, _alias, stereo, tags = self._meta(element_id)
            classifier = el.get("classifier") or self._ref(el, "classifier")
            self.instances.append(
                Instance(
                    element_id,
                    el.get("name") or "",
                    classifier if classifier in self.ids else None,
                    package,
                    _definition(doc, tags),
                    stereo,
                    tags,
                )
            )
            self._owned_properties(el, element_id)

    def _referenced(self) -> set[str]:
        """Every value of an attribute other than an element's own id (what something points to)."""
        if self._refs is None:
            self._refs = {
                str(v)
                for el in self.root.iter()
                if isinstance(el.tag, str)
                for k, v in el.attrib.items()
                if k != self.x_id and str(v).startswith("EA")
            }
            self._refs -= {
                el.get(self.x_idref) or ""
                for ext in self.root.iter(f"{{{self.xmi}}}Extension")
                for el in ext.iter("element")
            }
        return self._refs

    def _ref(self, el: etree._Element, child_name: str) -> str | None:
        for child in el:
            if isinstance(child.tag, str) and _local(child) == child_name:
                return child.get(self.x_idref) or child.get("href")
        return None

    def _owned_properties(self, el: etree._Element, owner: str) -> list[etree._Element]:
        plain = []
        for child in el:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            if name == "ownedAttribute" and child.get(self.x_id):
                if child.get("association"):
                    self.properties[child.get(self.x_id) or ""] = (child, owner)
                else:
                    plain.append(child)
            elif name == "generalization":
                general = child.get("general") or self._ref(child, "general")
                if general:
                    self.generalizations.append(
                        Generalization(child.get(self.x_id) or f"{owner}-gen-{general}", owner, general)
                    )
        return plain

    def _class(self, el: etree._Element, element_id: str, kind: ClassKind, package: str | None) -> None:
        doc, alias, stereo, tags = self._meta(element_id)
        plain = self._owned_properties(el, element_id)
        if CONCEPT_STEREOTYPES & set(stereo):
            source = tag(tags, "source") or tag(tags, "legalSource")
            self.concepts.append(
                Concept(
                    element_id, el.get("name") or "", package, _definition(doc, tags), source, stereo, tags
                )
            )
            return
        attributes = tuple(self._attribute(p) for p in plain)
        literals = tuple(
            EnumLiteral(lit.get(self.x_id) or "", lit.get("name") or "", *self._literal_meta(lit))
            for lit in el
            if isinstance(lit.tag, str) and _local(lit) == "ownedLiteral" and lit.get(self.x_id)
        )
        self.classes.append(
            ModelClass(
                element_id,
                el.get("name") or "",
                package,
                kind,
                el.get("isAbstract") == "true",
                _definition(doc, tags),
                alias,
                stereo,
                tags,
                attributes,
                literals,
            )
        )

    def _literal_meta(self, lit: etree._Element) -> tuple[str, Tags]:
        doc, _alias, _stereo, tags = self._meta(lit.get(self.x_id) or "")
        return _definition(doc, tags), tags

    def _attribute(self, prop: etree._Element) -> Attribute:
        prop_id = prop.get(self.x_id) or ""
        doc, _alias, stereo, tags = self._meta(prop_id)
        type_ref, type_name = self._type(prop, prop_id)
        return Attribute(
            prop_id,
            prop.get("name") or "",
            type_name,
            type_ref,
            self._multiplicity(prop),
            _definition(doc, tags),
            stereo,
            tags,
        )

    def _type(self, prop: etree._Element, prop_id: str) -> tuple[str | None, str]:
        ref = prop.get("type") or self._ref(prop, "type") or ""
        ext_name = self.ext.get(prop_id, _Ext()).type_name
        if not ref:
            return None, ext_name
        for prefix in _EA_BUILTIN:
            if ref.startswith(prefix):
                return None, ext_name or ref[len(prefix) :]
        if ref in self.ids:
            return ref, ext_name
        if ref.startswith("EAID_") or ref.startswith("EAPK_"):
            raise InvalidContent(
                f"attribute {prop.get('name')!r} ({prop_id}) is typed by {ref}, which the file does not hold",
                source=self.source,
            )
        if "#" in ref:  # href="http://www.omg.org/spec/UML/20131001/PrimitiveTypes.xmi#String"
            return None, ext_name or ref.rsplit("#", 1)[1]
        return None, ext_name or ref

    def _multiplicity(self, prop: etree._Element) -> Multiplicity | None:
        lower = upper = None
        for child in prop:
            if isinstance(child.tag, str) and _local(child) == "lowerValue":
                lower = child.get("value", "0")
            elif isinstance(child.tag, str) and _local(child) == "upperValue":
                upper = child.get("value", "0")
        if lower is None and upper is None:
            return None
        try:
            low = int(lower) if lower not in (None, "", "*") else 0
            high = None if upper in ("*", "-1") else int(upper) if upper is not None else low
            if high is not None and high < low:
                raise ValueError
            return Multiplicity(low, high)
        except ValueError:
            raise InvalidContent(
                f"property {prop.get('name')!r} ({prop.get(self.x_id)}) has the invalid multiplicity "
                f"{lower}..{upper}",
                source=self.source,
            ) from None

    def _associations(self) -> Iterator[Association]:
        for el in self.associations:
            element_id = el.get(self.x_id) or ""
            ends = [
                m.get(self.x_idref) or "" for m in el if isinstance(m.tag, str) and _local(m) == "memberEnd"
            ]
            if not ends and el.get("memberEnd"):
                ends = (el.get("memberEnd") or "").split()
            if len(ends) != 2:
                raise InvalidContent(
                    f"association {el.get('name') or element_id} has {len(ends)} member ends, not 2",
                    source=self.source,
                )
            resolved = []
            for end_id in ends:
                if end_id not in self.properties:
                    raise InvalidContent(
                        f"association {el.get('name') or element_id}: member end {end_id} does not exist",
                        source=self.source,
                    )
                prop, _owner = self.properties[end_id]
                reached = prop.get("type") or self._ref(prop, "type") or ""
                _doc, _alias, _stereo, tags = self._meta(end_id)
                resolved.append(
                    AssociationEnd(end_id, reached, prop.get("name") or "", self._multiplicity(prop), tags)
                )
            # EA: memberEnd 1 is the destination ("dst"), memberEnd 2 the source ("src")
            target, source = resolved
            doc, _alias, stereo, tags = self._meta(element_id)
            yield Association(
                element_id,
                source,
                target,
                el.get("name") or "",
                self._package_of(el),
                _definition(doc, tags),
                stereo,
                tags,
            )

    def _package_of(self, el: etree._Element) -> str | None:
        parent = el.getparent()
        return (
            parent.get(self.x_id) if parent is not None and parent.get(self.x_type) == "uml:Package" else None
        )

    # -- a UML profile ----------------------------------------------------------------------------
    def _profile(self, root: etree._Element, model_id: str | None) -> InfoModel:
        name = root.get("name") or "profile"
        pkg = Package(root.get(self.x_id) or "profile", name)
        classes = []
        for el in root:
            if not isinstance(el.tag, str) or el.get(self.x_type) != "uml:Stereotype":
                continue
            element_id = el.get(self.x_id) or ""
            plain = self._owned_properties(el, element_id)
            attributes = tuple(
                Attribute(p.get(self.x_id) or "", p.get("name") or "", self._type(p, "")[1]) for p in plain
            )
            classes.append(
                ModelClass(
                    element_id,
                    el.get("name") or "",
                    pkg.id,
                    "class",
                    el.get("isAbstract") == "true",
                    stereotypes=("Stereotype",),
                    attributes=attributes,
                )
            )
        version = ""
        for comment in root.iter("{*}ownedComment"):
            body = "".join(str(t) for t in comment.itertext()) or comment.get("body") or ""
            if "Version:" in body:
                version = body.split("Version:", 1)[1].strip()
        return InfoModel(
            id=model_id or slug(name),
            name=name,
            version=version,
            kind="profile",
            packages=(pkg,),
            classes=tuple(classes),
            generalizations=tuple(self.generalizations),
        )


def _typed(instances: list[Instance], associations: tuple[Association, ...]) -> tuple[Instance, ...]:
    """An instance without a classifier whose ``rdf:type`` role points to a class is of that class
    (the FDA profile models a classification's values so)."""
    typed = {
        a.source.class_id: a.target.class_id
        for a in associations
        if a.target.role in ("rdf:type", "type") and a.source.class_id != a.target.class_id
    }
    return tuple(
        replace(i, classifier=typed[i.id]) if i.classifier is None and i.id in typed else i for i in instances
    )


def _definition(documentation: str, tags: Tags) -> str:
    return (documentation.strip() or tag(tags, "definition (da)") or tag(tags, "definition")).strip()


def _add(values: list[str], value: str | None) -> None:
    for part in (value or "").split(","):
        part = part.strip()
        if part and part not in values:
            values.append(part)


def _only_child(packages: list[Package], parent: str) -> Package | None:
    children = [p for p in packages if p.parent == parent]
    return children[0] if len(children) == 1 else None
