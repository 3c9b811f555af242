"""JSON shapes of the landscape API (one function per noun)."""

from __future__ import annotations

from typing import Any

from kodeks.domain.landscape.codec import solution_to_dict, use_to_dict
from kodeks.domain.landscape.model import Solution, Use
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.services.landscape.importing import LandscapeImportReport
from kodeks.services.landscape.queries import Coverage, Support, TaskView

API = "/api/v1/landscape"


def solution(s: Solution) -> dict[str, Any]:
    return {
        **solution_to_dict(s),
        "links": {"self": f"{API}/solutions/{s.id}", "web": f"/landskab/loesninger/{s.id}"},
    }


def use(u: Use) -> dict[str, Any]:
    town = MUNICIPALITIES.get(u.municipality)
    return {**use_to_dict(u), "municipality_name": town.name if town else None}


def support(s: Support) -> dict[str, Any]:
    r = s.resolution
    return {"solution": s.solution.id, "name": s.solution.name, "via": str(r.ref), "state": r.state.value}


def task(view: TaskView) -> dict[str, Any]:
    return {
        "code": view.code,
        "title": view.title,
        "municipalities": {
            m: [support(s) for s in group] for m, group in sorted(view.by_municipality.items())
        },
        "solutions": [x.id for x in view.solutions],
    }


def coverage(c: Coverage) -> dict[str, Any]:
    return {
        "municipality": c.municipality.code,
        "municipality_name": c.municipality.name,
        "at": c.at.isoformat(),
        "kle_available": c.kle_available,
        "served": {code: [support(s) for s in group] for code, group in sorted(c.served.items())},
        "overlaps": sorted(c.overlaps),
        "gaps": [{"code": code, "title": title} for code, title in c.gaps],
        "flagged": [
            {"reference": str(r.ref), "state": r.state.value, "now": list(r.codes)} for r in c.flagged
        ],
    }


def report(r: LandscapeImportReport) -> dict[str, Any]:
    return {
        "source": r.source,
        "format": r.format,
        "changed": r.changed,
        "solutions_added": r.solutions_added,
        "solutions_changed": r.solutions_changed,
        "solutions_unchanged": r.solutions_unchanged,
        "pairs_changed": r.pairs_changed,
        "pairs_unchanged": r.pairs_unchanged,
        "uses": r.uses,
        "municipalities": r.municipalities,
        "flagged": r.flagged,
        "notes": r.notes,
        "recorded_at": r.recorded_at,
    }
