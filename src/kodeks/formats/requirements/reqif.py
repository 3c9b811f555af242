"""A requirement set as ReqIF 1.2 (OMG), and ReqIF read back into requirements and a set.

Written with lxml: one SPEC-OBJECT-TYPE ``kodeks-requirement`` whose string attributes carry every
field (``ReqIF.ForeignID`` = the requirement id, ``ReqIF.Name`` = title, ``ReqIF.Text`` = the text the
tender uses, ``ReqIF.ChapterName`` = category, and ``Kodeks.*`` for the rest, list fields as JSON),
one SPECIFICATION for the set whose SPEC-HIERARCHY lists the requirements in order. ReqIF requires a
LAST-CHANGE on every element; Kodeks writes one fixed time so the same set gives the same bytes.

Reading parses with the safe parser (``formats.xml``: no entities, no DTDs) and accepts files Kodeks
wrote, and other tools' files that use the same attribute long names; what is missing is named.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from kodeks.domain.governance.changeset import State
from kodeks.domain.requirements.codec import reference_from_dict
from kodeks.domain.requirements.requirement import Priority, Requirement, Verification
from kodeks.domain.requirements.tender import Line, RequirementSet, SetEntry
from kodeks.errors import InputTooLarge, InvalidContent
from kodeks.formats.xml import parse_xml

NS = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
_N = "{" + NS + "}"
LAST_CHANGE = "2000-01-01T00:00:00Z"
MAX_BYTES = 20 * 1024 * 1024
MAX_OBJECTS = 5_000
TYPE_ID = "kodeks-requirement"
ATTRIBUTES = (
    "ReqIF.ForeignID",
    "Kodeks.Version",
    "ReqIF.ChapterName",
    "ReqIF.Name",
    "ReqIF.Text",
    "Kodeks.CommonText",
    "Kodeks.Priority",
    "Kodeks.LocalPriority",
    "Kodeks.Verification",
    "Kodeks.Principles",
    "Kodeks.Rationale",
    "Kodeks.References",
    "Kodeks.UseCases",
    "Kodeks.Owner",
    "Kodeks.LocalNote",
)


def _attr_id(name: str) -> str:
    return "attr-" + name.replace(".", "-").lower()


def _el(parent: Any, tag: str, **attrs: str) -> Any:
    return etree.SubElement(parent, _N + tag, {k.replace("_", "-").upper(): v for k, v in attrs.items()})


def _ref(parent: Any, wrapper: str, tag: str, target: str) -> None:
    _el(_el(parent, wrapper), tag).text = target


def _values(line: Line) -> dict[str, str]:
    r = line.requirement
    return {
        "ReqIF.ForeignID": r.id,
        "Kodeks.Version": str(r.version),
        "ReqIF.ChapterName": r.category,
        "ReqIF.Name": r.title,
        "ReqIF.Text": line.text,
        "Kodeks.CommonText": r.text,
        "Kodeks.Priority": str(r.priority),
        "Kodeks.LocalPriority": str(line.entry.local_priority or ""),
        "Kodeks.Verification": str(r.verification),
        "Kodeks.Principles": json.dumps(list(r.principles), ensure_ascii=False),
        "Kodeks.Rationale": r.rationale,
        "Kodeks.References": json.dumps(
            [{"kind": str(x.kind), "target": x.target, "note": x.note} for x in r.references],
            ensure_ascii=False,
        ),
        "Kodeks.UseCases": json.dumps(list(r.use_cases), ensure_ascii=False),
        "Kodeks.Owner": r.owner,
        "Kodeks.LocalNote": line.entry.local_note,
    }


def write_set(rset: RequirementSet, lines: Sequence[Line]) -> bytes:
    root = etree.Element(_N + "REQ-IF", nsmap={None: NS})  # type: ignore[dict-item]
    header = _el(_el(root, "THE-HEADER"), "REQ-IF-HEADER", identifier=f"header-{rset.id}")
    for tag, text in (
        ("COMMENT", f"Kodeks requirement set {rset.id} revision {rset.revision}; owner {rset.owner}"),
        ("REQ-IF-TOOL-ID", "Kodeks"),
        ("REQ-IF-VERSION", "1.0"),
        ("SOURCE-TOOL-ID", "Kodeks"),
        ("TITLE", rset.title),
    ):
        _el(header, tag).text = text
    content = _el(_el(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
    _el(
        _el(content, "DATATYPES"),
        "DATATYPE-DEFINITION-STRING",
        identifier="dt-string",
        last_change=LAST_CHANGE,
        long_name="Tekst",
        max_length="100000",
    )
    types = _el(content, "SPEC-TYPES")
    otype = _el(types, "SPEC-OBJECT-TYPE", identifier=TYPE_ID, last_change=LAST_CHANGE, long_name="Krav")
    attrs = _el(otype, "SPEC-ATTRIBUTES")
    for name in ATTRIBUTES:
        d = _el(
            attrs,
            "ATTRIBUTE-DEFINITION-STRING",
            identifier=_attr_id(name),
            last_change=LAST_CHANGE,
            long_name=name,
        )
        _ref(d, "TYPE", "DATATYPE-DEFINITION-STRING-REF", "dt-string")
    _el(types, "SPECIFICATION-TYPE", identifier="kodeks-set", last_change=LAST_CHANGE, long_name="Kravsæt")
    objects = _el(content, "SPEC-OBJECTS")
    for line in lines:
        obj = _el(objects, "SPEC-OBJECT", identifier=f"req-{line.requirement.id}", last_change=LAST_CHANGE)
        values = _el(obj, "VALUES")
        for name, value in _values(line).items():
            v = _el(values, "ATTRIBUTE-VALUE-STRING", the_value=value)
            _ref(v, "DEFINITION", "ATTRIBUTE-DEFINITION-STRING-REF", _attr_id(name))
        _ref(obj, "TYPE", "SPEC-OBJECT-TYPE-REF", TYPE_ID)
    spec = _el(
        _el(content, "SPECIFICATIONS"),
        "SPECIFICATION",
        identifier=f"set-{rset.id}",
        last_change=LAST_CHANGE,
        long_name=rset.title,
        desc=rset.description,
    )
    _ref(spec, "TYPE", "SPECIFICATION-TYPE-REF", "kodeks-set")
    children = _el(spec, "CHILDREN")
    for line in lines:
        h = _el(children, "SPEC-HIERARCHY", identifier=f"h-{line.requirement.id}", last_change=LAST_CHANGE)
        _ref(h, "OBJECT", "SPEC-OBJECT-REF", f"req-{line.requirement.id}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True, slots=True)
class ReqifDocument:
    """What a ReqIF file holds: the requirements (as published common requirements) and the set."""

    requirements: tuple[Requirement, ...]
    requirement_set: RequirementSet | None


def read(data: bytes, source: str, *, owner: str | None = None) -> ReqifDocument:
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"the file is {len(data):,} bytes; at most {MAX_BYTES:,}", source=source)
    root = parse_xml(data, source)
    if root.tag != _N + "REQ-IF":
        raise InvalidContent("not a ReqIF document (the root is not REQ-IF)", source=source)
    names = {
        d.get("IDENTIFIER"): d.get("LONG-NAME")
        for d in root.iter(_N + "ATTRIBUTE-DEFINITION-STRING", _N + "ATTRIBUTE-DEFINITION-XHTML")
    }
    objects = list(root.iter(_N + "SPEC-OBJECT"))
    if len(objects) > MAX_OBJECTS:
        raise InputTooLarge(f"more than {MAX_OBJECTS:,} requirements", source=source)
    reqs: dict[str, tuple[Requirement, SetEntry]] = {}
    for obj in objects:
        where = f"SPEC-OBJECT {obj.get('IDENTIFIER')!r}"[:120]
        values: dict[str, str] = {}
        for v in obj.iter(_N + "ATTRIBUTE-VALUE-STRING"):
            ref = v.find(f"{_N}DEFINITION/{_N}ATTRIBUTE-DEFINITION-STRING-REF")
            name = names.get(ref.text if ref is not None else None)
            if name:
                values[name] = v.get("THE-VALUE", "")
        try:
            pair = _requirement(values, owner)
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidContent(f"requirement not readable: {exc}", source=source, location=where) from None
        reqs[obj.get("IDENTIFIER") or pair[0].id] = pair
    rset = _set(root, reqs, source, owner)
    return ReqifDocument(tuple(r for r, _ in reqs.values()), rset)


def _requirement(values: dict[str, str], owner: str | None) -> tuple[Requirement, SetEntry]:
    missing = [n for n in ("ReqIF.ForeignID", "ReqIF.Name", "ReqIF.Text") if not values.get(n)]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")

    def json_list(name: str) -> list[Any]:
        raw = values.get(name) or "[]"
        try:
            found = json.loads(raw)
        except ValueError:
            raise ValueError(f"{name} is not a JSON list") from None
        if not isinstance(found, list):
            raise ValueError(f"{name} must be a JSON list")
        return found

    common = values.get("Kodeks.CommonText") or values["ReqIF.Text"]
    principles = json_list("Kodeks.Principles")
    cases = json_list("Kodeks.UseCases")
    if not all(isinstance(x, str) for x in (*principles, *cases)):
        raise ValueError("principles and use cases must be strings")
    version = values.get("Kodeks.Version") or "1"
    if not version.isdigit() or len(version) > 9:
        raise ValueError("Kodeks.Version must be a whole number")
    req = Requirement(
        id=values["ReqIF.ForeignID"],
        title=values["ReqIF.Name"],
        text=common,
        owner=owner or values.get("Kodeks.Owner") or "",
        rationale=values.get("Kodeks.Rationale", ""),
        principles=tuple(principles),
        category=values.get("ReqIF.ChapterName") or "Arkitektur",
        priority=Priority(values.get("Kodeks.Priority") or "must"),
        verification=Verification(values.get("Kodeks.Verification") or "documentation"),
        references=tuple(reference_from_dict(x) for x in json_list("Kodeks.References")),
        use_cases=tuple(cases),
        version=int(version),
        state=State.PUBLISHED,
    )
    local = values.get("Kodeks.LocalPriority")
    entry = SetEntry(
        req.id,
        req.version,
        values["ReqIF.Text"] if values["ReqIF.Text"] != common else None,
        Priority(local) if local else None,
        values.get("Kodeks.LocalNote", ""),
    )
    return req, entry


def _set(
    root: Any, reqs: dict[str, tuple[Requirement, SetEntry]], source: str, owner: str | None
) -> RequirementSet | None:
    spec = root.find(f".//{_N}SPECIFICATION")
    if spec is None:
        return None
    order = [r.text for r in spec.iter(_N + "SPEC-OBJECT-REF")]
    unknown = [o for o in order if o not in reqs]
    if unknown:
        raise InvalidContent(
            f"the specification names unknown objects: {', '.join(map(str, unknown[:5]))}", source=source
        )
    ident = spec.get("IDENTIFIER") or ""
    set_id = ident[4:] if ident.startswith("set-") else ident
    comment = root.findtext(f".//{_N}COMMENT") or ""
    set_owner = owner or (comment.rsplit("owner ", 1)[1].strip() if "owner " in comment else "")
    try:
        return RequirementSet(
            id=set_id,
            title=spec.get("LONG-NAME") or set_id,
            owner=set_owner or next(iter(reqs.values()))[0].owner,
            entries=tuple(reqs[o][1] for o in order),
            description=spec.get("DESC") or "",
        )
    except (ValueError, StopIteration) as exc:
        raise InvalidContent(f"the specification is not a requirement set: {exc}", source=source) from None
