"""JSON shapes of the requirement routes."""

from __future__ import annotations

from typing import Any

from kodeks.domain.requirements.answers import Comparison
from kodeks.domain.requirements.codec import requirement_to_dict, set_to_dict
from kodeks.domain.requirements.requirement import Requirement
from kodeks.domain.requirements.tender import Line, RequirementSet
from kodeks.services.requirements.ports import Event

API = "/api/v1"


def requirement(r: Requirement) -> dict[str, Any]:
    return {
        **requirement_to_dict(r),
        "links": {"self": f"{API}/requirements/{r.id}?version={r.version}", "web": f"/krav/{r.id}"},
    }


def line(x: Line) -> dict[str, Any]:
    return {
        "requirement": x.requirement.id,
        "version": x.requirement.version,
        "title": x.requirement.title,
        "category": x.requirement.category,
        "text": x.text,
        "common_text": x.requirement.text,
        "priority": str(x.priority),
        "tailored": x.tailored,
        "source": x.source,
    }


def requirement_set(rset: RequirementSet, lines: list[Line] | None = None) -> dict[str, Any]:
    body = {
        **set_to_dict(rset),
        "links": {
            "self": f"{API}/requirement-sets/{rset.id}",
            "export": {
                f: f"{API}/requirement-sets/{rset.id}/export?format={f}" for f in ("xlsx", "docx", "reqif")
            },
            "web": f"/krav/saet/{rset.id}",
        },
    }
    if lines is not None:
        body["lines"] = [line(x) for x in lines]
    return body


def event(e: Event) -> dict[str, Any]:
    return {
        "action": e.action,
        "version": e.version,
        "actor": e.actor,
        "organisation": e.organisation,
        "at": e.at.isoformat() + "Z",
        "note": e.note,
    }


def comparison(c: Comparison) -> dict[str, Any]:
    return {
        "suppliers": list(c.suppliers),
        "rows": [
            {
                "requirement": x.requirement.id,
                "priority": str(x.priority),
                "answers": {
                    s: (
                        {"compliance": str(a.compliance) if a.compliance else None, "text": a.text}
                        if a
                        else None
                    )
                    for s, a in zip(c.suppliers, got, strict=True)
                },
            }
            for x, got in c.rows
        ],
        "summaries": [
            {
                "supplier": s.supplier,
                "yes": s.yes,
                "partly": s.partly,
                "no": s.no,
                "unanswered": s.unanswered,
                "must_gaps": list(s.must_gaps),
                "qualified": s.qualified,
            }
            for s in c.summaries
        ],
    }
