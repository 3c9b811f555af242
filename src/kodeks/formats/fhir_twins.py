"""Twin concept trees in one FHIR CodeSystem: the same concepts twice, once under UUID codes and once
under short or generated codes.

KL's FSIII CodeSystem (hl7dk/kl-term, version 20240530) holds 828 concepts but only 414 concepts of
FSIII: every area appears as two top-level trees with identical titles and identical children, one
coded with UUIDs (``370e6178-9a5d-...``, the codes FSIII is exchanged with) and one with the source's
FSH names (``F``, ``F3``, ``A14``, or the UUID with underscores, or a word such as
``Kommunalt_hjaelpemiddelomraade_tilstande``). Read as is, every concept shows twice.

``fold_twins`` keeps the UUID tree and drops its twin; where the twin's code is a short notation
(``F3``, ``J3.4``) it stays with the concept as the property ``notation``. Two trees are twins only
when their titles match all the way down and exactly one of them is UUID-coded, so ordinary code
systems pass through unchanged.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
NOTATION = re.compile(r"^[A-Z][0-9]{0,3}(\.[0-9]{1,3})*$")

Concept = dict[str, Any]
Signature = tuple[Any, ...]


def signature(concept: Concept) -> Signature:
    """The concept's title and its children's signatures (order does not matter)."""
    return (concept.get("display") or "", tuple(sorted(signature(c) for c in concept.get("concept") or [])))


def fold_twins(obj: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """``obj`` without twin trees; returns it and how many concepts were dropped."""
    top: list[Concept] = obj.get("concept") or []
    groups: dict[Signature, list[int]] = defaultdict(list)
    for index, concept in enumerate(top):
        groups[signature(concept)].append(index)
    dropped: set[int] = set()
    count = 0
    for indexes in groups.values():
        if len(indexes) != 2:
            continue
        a, b = (top[i] for i in indexes)
        kept, twin = (a, b) if _is_uuid(a) else (b, a)
        if not _is_uuid(kept) or _is_uuid(twin):
            continue
        _pair(kept, twin)
        dropped.add(indexes[1] if kept is a else indexes[0])
        count += _size(twin)
    if not dropped:
        return obj, 0
    return {**obj, "concept": [c for i, c in enumerate(top) if i not in dropped]}, count


def _is_uuid(concept: Concept) -> bool:
    return bool(UUID.match(str(concept.get("code", ""))))


def _size(concept: Concept) -> int:
    return 1 + sum(_size(c) for c in concept.get("concept") or [])


def _pair(kept: Concept, twin: Concept) -> None:
    """Give ``kept`` (and its children, matched by signature) the twin's short code as ``notation``."""
    code = str(twin.get("code", ""))
    if NOTATION.match(code):
        kept.setdefault("property", []).append(
            {"code": "property", "valueString": json.dumps(["notation", code], ensure_ascii=False)}
        )
    twins: dict[Signature, list[Concept]] = defaultdict(list)
    for child in twin.get("concept") or []:
        twins[signature(child)].append(child)
    for child in kept.get("concept") or []:
        matches = twins.get(signature(child))
        if matches:
            _pair(child, matches.pop(0))
