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
    for code, same in sorted(by_code.items()):  # by code, as an import that streams finds them
        ordered = sorted(same, key=lambda i: (i.valid.start is not None, i.valid.start or ""))
        for a, b in pairwise(ordered):
            if a.valid.intersect(b.valid) is not None:
                problems.append(
                    Problem(code, f"duplicate code {code!r} (validity {a.valid} and {b.valid} overlap)")
                )
    parents: dict[str, set[str]] = defaultdict(set)
    for item in items:
        parents[item.code].update(item.parents)
        for parent in item.parents:
            if parent not in by_code and not external_parents:
                problems.append(Problem(item.code, f"code {item.code!r} has unknown parent {parent!r}"))
    problems.extend(_cycles(parents))
    return problems


def _cycles(parents: dict[str, set[str]]) -> list[Problem]:
    """Cycles in linear time: a depth-first walk up the parents (several per code in a polyhierarchy),
    colouring what is settled; each cycle found is reported once, by its smallest code."""
    settled: set[str] = set()
    found: list[Problem] = []
    for start in sorted(parents):
        if start in settled:
            continue
        path: list[str] = [start]
        on_path: dict[str, int] = {start: 0}
        stack = [iter(sorted(parents[start]))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                done = path.pop()
                del on_path[done]
                settled.add(done)
                continue
            if step in on_path:
                cycle = path[on_path[step] :]
                found.append(Problem(min(cycle), "cycle in hierarchy: " + " → ".join([*cycle, step])))
            elif step in parents and step not in settled:
                on_path[step] = len(path)
                path.append(step)
                stack.append(iter(sorted(parents[step])))
    return found


def depths(items: Sequence[Item]) -> dict[str, int]:
    """Each code's level counted from the top (1): one more than its shallowest parent, through all
    parents of a polyhierarchy. Codes only reachable through a cycle get none."""
    children: dict[str, list[str]] = defaultdict(list)
    codes = {item.code for item in items}
    tops: list[str] = []
    for item in items:
        inside = [p for p in item.parents if p in codes]
        if not inside:
            tops.append(item.code)
        for parent in inside:
            children[parent].append(item.code)
    depth = dict.fromkeys(tops, 1)
    frontier = list(dict.fromkeys(tops))
    while frontier:
        following: list[str] = []
        for code in frontier:
            for child in children.get(code, ()):
                if child not in depth:
                    depth[child] = depth[code] + 1
                    following.append(child)
        frontier = following
    return depth
