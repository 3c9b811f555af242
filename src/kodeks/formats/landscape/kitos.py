"""JSON in the shape of KITOS's public API (v2): IT systems and their usages per organisation.

Supported input (every other field is ignored and counted in the report's notes)::

    {"itSystems": [ {"uuid", "name", "description", "formerName",
                     "rightsHolder": {"name"}, "businessType": {"name"},
                     "scope": "Global" | "Local", "parentSystem": {"uuid"},
                     "kle": [{"kleNumber": "27.24.00"} | "27.24.00"] } ],
     "itSystemUsages": [ {"uuid", "systemContext": {"uuid", "name"},
                          "organizationContext": {"name": "Aarhus Kommune", "municipalityCode": "751"},
                          "general": {"validity": {"validFrom", "validTo"},
                                      "lifeCycleStatus": "Undecided" | "NotInUse" | "PhasingIn"
                                                        | "Operational" | "PhasingOut"},
                          "kle": {"addedKLE": [...], "removedKLE": [...]} } ]}

A top-level list is read as ``itSystemUsages``. Mapping: ``systemContext.uuid`` → solution id
(``kitos-<uuid>``, or the ``itSystems`` entry's); ``organizationContext`` → municipality (its
``municipalityCode``, else its name); ``validity`` → the use's period; ``lifeCycleStatus``
Undecided/PhasingIn → planned, Operational → adopted, PhasingOut/NotInUse → phased out;
``kle.addedKLE`` → the use's tasks (added to the system's, ``removedKLE`` taken away);
``scope`` Global → cross (tværkommunal: one system in many KITOS organisations), Local → local;
``businessType.name`` → category; ``rightsHolder.name`` → supplier; ``parentSystem`` → predecessor.
This follows KITOS API v2's field names as documented by OS2/KITOS; it has not been checked against
a live KITOS export.
"""

from __future__ import annotations

import json
from typing import Any

from kodeks.domain.landscape.bundle import LandscapeBundle, Problem
from kodeks.domain.landscape.model import Scope, Solution, Status, TaskRef, Use, task_ref
from kodeks.domain.landscape.places import municipality_code
from kodeks.domain.period import Period
from kodeks.errors import InputTooLarge, MalformedInput

MAX_BYTES = 50 * 1024 * 1024
_LIFE = {
    "undecided": Status.PLANNED,
    "phasingin": Status.PLANNED,
    "operational": Status.ADOPTED,
    "phasingout": Status.PHASED_OUT,
    "notinuse": Status.PHASED_OUT,
}


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _kle(value: Any) -> tuple[TaskRef, ...]:
    out: set[TaskRef] = set()
    for entry in value if isinstance(value, list) else []:
        text = (
            _str(entry) or _str(_obj(entry).get("kleNumber")) or _str(_obj(entry).get("name")).split(" ")[0]
        )
        if text:
            out.add(task_ref(text))
    return tuple(sorted(out))


def _day(value: Any) -> Any:
    from datetime import date

    text = _str(value)
    return date.fromisoformat(text[:10]) if text else None


def _sid(uuid: str) -> str:
    return "kitos-" + uuid.lower()[:90]


def read(data: bytes, source: str) -> LandscapeBundle:
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"more than {MAX_BYTES // 2**20} MiB of JSON", source=source)
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise MalformedInput(f"not JSON: {str(exc)[:200]}", source=source) from None
    if isinstance(doc, list):
        doc = {"itSystemUsages": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("itSystemUsages", []), list):
        raise MalformedInput("expected an object with 'itSystems' and 'itSystemUsages' lists", source=source)
    bundle = LandscapeBundle(source, "kitos")
    systems: dict[str, Solution] = {}
    for n, raw in enumerate(doc.get("itSystems") or [], start=1):
        where = f"itSystems[{n}]"
        try:
            s = _obj(raw)
            uuid = _str(s.get("uuid"))
            if not uuid:
                raise ValueError("has no uuid")
            parent = _str(_obj(s.get("parentSystem")).get("uuid"))
            scope = Scope.CROSS if _str(s.get("scope")).lower() == "global" else Scope.LOCAL
            systems[uuid] = Solution(
                id=_sid(uuid),
                name=_str(s.get("name"))[:300] or uuid,
                scope=scope,
                category=_str(_obj(s.get("businessType")).get("name")) or None,
                description=_str(s.get("description"))[:2000] or None,
                alt_names=(_str(s.get("formerName")),) if _str(s.get("formerName")) else (),
                supplier=_str(_obj(s.get("rightsHolder")).get("name")) or None,
                predecessor=_sid(parent) if parent else None,
                purposes=_kle(s.get("kle")),
            )
        except (ValueError, TypeError) as exc:
            bundle.problems.append(Problem(where, str(exc)))
    for n, raw in enumerate(doc.get("itSystemUsages") or [], start=1):
        where = f"itSystemUsages[{n}]"
        try:
            u = _obj(raw)
            context = _obj(u.get("systemContext"))
            uuid = _str(context.get("uuid"))
            if not uuid:
                raise ValueError("systemContext has no uuid")
            if uuid not in systems:
                systems[uuid] = Solution(_sid(uuid), _str(context.get("name"))[:300] or uuid)
            org = _obj(u.get("organizationContext"))
            code = municipality_code(_str(org.get("municipalityCode")) or _str(org.get("name")))
            if code is None:
                raise ValueError(f"organisation {_str(org.get('name'))[:80]!r} is not a Danish municipality")
            general = _obj(u.get("general"))
            validity = _obj(general.get("validity"))
            life = _str(general.get("lifeCycleStatus")).lower()
            status = _LIFE.get(life, Status.ADOPTED)
            kle = _obj(u.get("kle"))
            added = set(_kle(kle.get("addedKLE")))
            removed = set(_kle(kle.get("removedKLE")))
            tasks = (set(systems[uuid].purposes) | added) - removed if added or removed else set()
            bundle.uses.append(
                Use(
                    _sid(uuid),
                    code,
                    status,
                    Period(_day(validity.get("validFrom")), _day(validity.get("validTo"))),
                    tuple(sorted(tasks)),
                )
            )
        except (ValueError, TypeError) as exc:
            bundle.problems.append(Problem(where, str(exc)))
    bundle.solutions = list(systems.values())
    return bundle
