"""Plain dicts for solutions and uses (stored as JSON, served by the API, read from KITOS-shaped JSON
after mapping). ``from_dict`` raises ``ValueError`` with a readable reason on any bad field."""

from __future__ import annotations

from datetime import date
from typing import Any

from kodeks.domain.landscape.codebank import AiActRisk, CodeBankEntry, DpiaStatus
from kodeks.domain.landscape.model import Contract, Scope, Solution, Status, TaskRef, Use, task_ref
from kodeks.domain.period import Period


def _day(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a date (YYYY-MM-DD), not {type(value).__name__}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"{name} {value[:40]!r} is not a date (YYYY-MM-DD)") from None


def _text(value: Any, name: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")
    return value.strip() or None


def _texts(value: Any, name: str) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of texts")
    return tuple(v.strip() for v in value if v.strip())


def task_to_str(ref: TaskRef) -> str:
    return str(ref)


def tasks_from(value: Any, name: str = "purposes") -> tuple[TaskRef, ...]:
    return tuple(sorted(set(task_ref(t) for t in _texts(value, name))))


def contract_to_dict(c: Contract) -> dict[str, Any]:
    return {
        "id": c.id,
        "supplier": c.supplier,
        "kind": c.kind,
        "start": c.start.isoformat() if c.start else None,
        "end": c.end.isoformat() if c.end else None,
    }


def contract_from_dict(d: Any) -> Contract:
    if not isinstance(d, dict):
        raise ValueError("a contract must be an object")
    return Contract(
        id=_text(d.get("id"), "contract id") or "",
        supplier=_text(d.get("supplier"), "contract supplier"),
        kind=_text(d.get("kind"), "contract kind"),
        start=_day(d.get("start"), "contract start"),
        end=_day(d.get("end"), "contract end"),
    )


def solution_to_dict(s: Solution) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "scope": s.scope.value,
        "category": s.category,
        "description": s.description,
        "alt_names": list(s.alt_names),
        "owner": s.owner,
        "supplier": s.supplier,
        "predecessor": s.predecessor,
        "uri": s.uri,
        "purposes": [str(t) for t in s.purposes],
        "contracts": [contract_to_dict(c) for c in s.contracts],
        "provides": list(s.provides),
        "uses": list(s.uses),
        "in_use_from": s.in_use_from.isoformat() if s.in_use_from else None,
        "in_use_until": s.in_use_until.isoformat() if s.in_use_until else None,
    }


def solution_from_dict(d: Any) -> Solution:
    if not isinstance(d, dict):
        raise ValueError("a solution must be an object")
    contracts = d.get("contracts") or []
    if not isinstance(contracts, list):
        raise ValueError("contracts must be a list")
    try:
        scope = Scope(d.get("scope") or "local")
    except ValueError:
        raise ValueError(f"scope {str(d.get('scope'))[:40]!r} is not one of common, cross, local") from None
    return Solution(
        id=_text(d.get("id"), "id") or "",
        name=_text(d.get("name"), "name") or "",
        scope=scope,
        category=_text(d.get("category"), "category"),
        description=_text(d.get("description"), "description"),
        alt_names=_texts(d.get("alt_names"), "alt_names"),
        owner=_text(d.get("owner"), "owner"),
        supplier=_text(d.get("supplier"), "supplier"),
        predecessor=_text(d.get("predecessor"), "predecessor"),
        uri=_text(d.get("uri"), "uri"),
        purposes=tasks_from(d.get("purposes")),
        contracts=tuple(contract_from_dict(c) for c in contracts),
        provides=_texts(d.get("provides"), "provides"),
        uses=_texts(d.get("uses"), "uses"),
        in_use_from=_day(d.get("in_use_from"), "in_use_from"),
        in_use_until=_day(d.get("in_use_until"), "in_use_until"),
    )


def use_to_dict(u: Use) -> dict[str, Any]:
    return {
        "solution": u.solution,
        "municipality": u.municipality,
        "status": u.status.value,
        "valid_from": u.valid.start.isoformat() if u.valid.start else None,
        "valid_to": u.valid.end.isoformat() if u.valid.end else None,
        "purposes": [str(t) for t in u.purposes],
    }


def status_from(value: Any) -> Status:
    text = str(value or "adopted").strip().lower().replace(" ", "_").replace("-", "_")
    aliases = {
        "i_drift": "adopted",
        "anvendt": "adopted",
        "ibrugtaget": "adopted",
        "operational": "adopted",
        "planlagt": "planned",
        "build": "planned",
        "udfaset": "phased_out",
        "retired": "phased_out",
        "transition": "adopted",
    }
    try:
        return Status(aliases.get(text, text))
    except ValueError:
        raise ValueError(f"status {str(value)[:40]!r} is not one of planned, adopted, phased_out") from None


def use_from_dict(d: Any) -> Use:
    if not isinstance(d, dict):
        raise ValueError("a use must be an object")
    return Use(
        solution=_text(d.get("solution"), "solution") or "",
        municipality=_text(d.get("municipality"), "municipality") or "",
        status=status_from(d.get("status")),
        valid=Period(_day(d.get("valid_from"), "valid_from"), _day(d.get("valid_to"), "valid_to")),
        purposes=tasks_from(d.get("purposes")),
    )


def entry_to_dict(e: CodeBankEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "purpose": e.purpose,
        "task": str(e.task),
        "owner": e.owner,
        "input_data": e.input_data,
        "licence": e.licence,
        "repository": e.repository,
        "evaluation": e.evaluation,
        "risk": e.risk.value,
        "dpia": e.dpia.value,
        "contact": e.contact,
    }


def entry_from_dict(d: Any) -> CodeBankEntry:
    if not isinstance(d, dict):
        raise ValueError("an entry must be an object")
    try:
        risk = AiActRisk(d.get("risk") or "minimal")
        dpia = DpiaStatus(d.get("dpia") or "planned")
    except ValueError:
        raise ValueError(
            "risk must be minimal, limited, high or unacceptable; dpia not_needed, planned, "
            "in_progress or done"
        ) from None
    return CodeBankEntry(
        id=_text(d.get("id"), "id") or "",
        name=_text(d.get("name"), "name") or "",
        purpose=_text(d.get("purpose"), "purpose") or "",
        task=task_ref(_text(d.get("task"), "task") or ""),
        owner=(_text(d.get("owner"), "owner") or "").lstrip("0"),
        input_data=_text(d.get("input_data"), "input_data") or "",
        licence=_text(d.get("licence"), "licence") or "",
        repository=_text(d.get("repository"), "repository"),
        evaluation=_text(d.get("evaluation"), "evaluation"),
        risk=risk,
        dpia=dpia,
        contact=_text(d.get("contact"), "contact"),
    )
