"""Structural rules every imported release must satisfy: unique codes, known parents, no cycles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from kodeks.domain.item import Item


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str


def check_items(items: Sequence[Item], *, external_parents: bool = False) -> list[Problem]:
    """Problems in a release's items; an empty list means it may be recorded.

    - a code may occur more than once only with non-overlapping validity;
    - a parent must be a code of the same release (unless ``external_parents``: a partial release);
    - following parents must never come back to the start (a cycle).
    """
    problems: list[Problem] = []
    by_code: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_code[item.code].append(item)
    for code, same in by_code.items():
        ordered = sorted(same, key=lambda i: (i.valid.start is not None, i.valid.start or ""))
        for a, b in pairwise(ordered):
            if a.valid.intersect(b.valid) is not None:
                problems.append(
                    Problem(code, f"duplicate code {code!r} (validity {a.valid} and {b.valid} overlap)")
                )
    parents = {item.code: item.parent for item in items}
    for item in items:
        if item.parent is not None and item.parent not in by_code and not external_parents:
            problems.append(Problem(item.code, f"code {item.code!r} has unknown parent {item.parent!r}"))
    problems.extend(_cycles(parents))
    return problems


def _cycles(parents: dict[str, str | None]) -> list[Problem]:
    """Each cycle once, in linear time: walk up from every code, colouring what is settled."""
    settled: set[str] = set()
    found: list[Problem] = []
    for start in parents:
        path: list[str] = []
        on_path: dict[str, int] = {}
        current: str | None = start
        while current is not None and current in parents and current not in settled:
            if current in on_path:
                cycle = path[on_path[current] :]
                found.append(Problem(min(cycle), "cycle in hierarchy: " + " → ".join([*cycle, current])))
                break
            on_path[current] = len(path)
            path.append(current)
            current = parents[current]
        settled.update(path)
    return found
