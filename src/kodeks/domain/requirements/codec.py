"""Requirements and requirement sets to and from plain dicts (JSON bodies, bundled files, storage).

Reading raises ``ValueError`` with a message a user can act on; adapters turn it into their error.
"""

from __future__ import annotations

from typing import Any

from kodeks.domain.governance.changeset import State
from kodeks.domain.requirements.requirement import Priority, Reference, RefKind, Requirement, Verification
from kodeks.domain.requirements.tender import RequirementSet, SetEntry

FIELDS = frozenset(
    {
        "id",
        "title",
        "text",
        "rationale",
        "principles",
        "category",
        "priority",
        "verification",
        "references",
        "use_cases",
        "owner",
    }
)


def _str(data: dict[str, Any], name: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string")
    return value


def _strings(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name!r} must be a list of strings")
    return tuple(value)


def _enum(kind: Any, value: Any, name: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValueError(f"{name!r} must be one of {allowed}") from None


def reference_from_dict(data: Any) -> Reference:
    if isinstance(data, str):  # "kle:27.24" shorthand for a classification reference
        return Reference(RefKind.CLASSIFICATION, data)
    if not isinstance(data, dict):
        raise ValueError("a reference is an object with 'kind' and 'target'")
    return Reference(_enum(RefKind, data.get("kind"), "kind"), _str(data, "target"), _str(data, "note", ""))


def requirement_from_dict(data: Any, *, owner: str | None = None) -> Requirement:
    """A draft requirement from the fields of :data:`FIELDS` (unknown fields are refused)."""
    if not isinstance(data, dict):
        raise ValueError("a requirement is a JSON object")
    unknown = sorted(set(data) - FIELDS - {"version", "state", "author"})
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(u[:40] for u in unknown[:5])}")
    refs = data.get("references", [])
    if not isinstance(refs, list):
        raise ValueError("'references' must be a list")
    return Requirement(
        id=_str(data, "id"),
        title=_str(data, "title"),
        text=_str(data, "text"),
        owner=owner or _str(data, "owner"),
        rationale=_str(data, "rationale", ""),
        principles=_strings(data, "principles"),
        category=_str(data, "category", "Arkitektur"),
        priority=_enum(Priority, data.get("priority", "must"), "priority"),
        verification=_enum(Verification, data.get("verification", "documentation"), "verification"),
        references=tuple(reference_from_dict(r) for r in refs[:1000]),
        use_cases=_strings(data, "use_cases"),
    )


def requirement_to_dict(req: Requirement) -> dict[str, Any]:
    return {
        "id": req.id,
        "version": req.version,
        "state": str(req.state),
        "owner": req.owner,
        "author": req.author,
        "title": req.title,
        "text": req.text,
        "rationale": req.rationale,
        "principles": list(req.principles),
        "category": req.category,
        "priority": str(req.priority),
        "verification": str(req.verification),
        "references": [{"kind": str(r.kind), "target": r.target, "note": r.note} for r in req.references],
        "use_cases": list(req.use_cases),
    }


def stored_requirement(data: dict[str, Any]) -> Requirement:
    """A requirement as storage holds it (the dict of :func:`requirement_to_dict`)."""
    from dataclasses import replace

    req = requirement_from_dict({k: v for k, v in data.items() if k not in ("version", "state", "author")})
    return replace(req, version=int(data["version"]), state=State(data["state"]), author=data.get("author"))


def entry_from_dict(data: Any) -> SetEntry:
    if isinstance(data, str):
        raise ValueError("a set entry is an object with 'requirement' and 'version'")
    if not isinstance(data, dict):
        raise ValueError("a set entry is an object with 'requirement' and 'version'")
    version = data.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ValueError("'version' must be a whole number")
    text = data.get("local_text")
    if text is not None and not isinstance(text, str):
        raise ValueError("'local_text' must be a string")
    priority = data.get("local_priority")
    return SetEntry(
        _str(data, "requirement"),
        version or 0,
        text,
        _enum(Priority, priority, "local_priority") if priority is not None else None,
        _str(data, "local_note", ""),
    )


def set_from_dict(data: Any, *, owner: str | None = None) -> RequirementSet:
    if not isinstance(data, dict):
        raise ValueError("a requirement set is a JSON object")
    entries = data.get("entries", [])
    if not isinstance(entries, list):
        raise ValueError("'entries' must be a list")
    if len(entries) > 2000:
        raise ValueError("a requirement set holds at most 2,000 requirements")
    return RequirementSet(
        id=_str(data, "id"),
        title=_str(data, "title"),
        owner=owner or _str(data, "owner"),
        entries=tuple(entry_from_dict(e) for e in entries),
        description=_str(data, "description", ""),
    )


def set_to_dict(rset: RequirementSet) -> dict[str, Any]:
    return {
        "id": rset.id,
        "title": rset.title,
        "owner": rset.owner,
        "description": rset.description,
        "revision": rset.revision,
        "entries": [
            {
                "requirement": e.requirement_id,
                "version": e.version,
                "local_text": e.local_text,
                "local_priority": str(e.local_priority) if e.local_priority else None,
                "local_note": e.local_note,
            }
            for e in rset.entries
        ],
    }
