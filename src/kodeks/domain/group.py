"""Groups (``skos:Collection``): named sets of a classification's codes, a thesaurus' subject groups.

A group has a code, titles per language and the codes of the groups nested in it (``subgroups``).
Which codes belong to a group is said by the items themselves (``Item.groups``), so membership has
valid time like every other fact of an item; a release states the groups it knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kodeks.domain.item import Item
from kodeks.domain.language import shown_title


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    titles: dict[str, str] = field(default_factory=dict)
    subgroups: tuple[str, ...] = ()

    def title(self, lang: str = "da") -> str:
        shown = shown_title(self.titles, lang)
        return shown[1] if shown else self.code


def members(items: Iterable[Item], group: str) -> list[Item]:
    """The items that are direct members of ``group``."""
    return [item for item in items if group in item.groups]


def nested(groups: Sequence[Group], code: str) -> set[str]:
    """``code`` and every group nested in it, at any depth (a cycle stops the walk)."""
    by_code = {g.code: g for g in groups}
    seen: set[str] = set()
    todo = [code]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        found = by_code.get(current)
        if found is not None:
            todo.extend(found.subgroups)
    return seen


def group_problems(groups: Sequence[Group], items: Sequence[Item]) -> list[str]:
    """Groups named twice, subgroups or memberships naming no group of the release."""
    problems: list[str] = []
    codes = [g.code for g in groups]
    known = set(codes)
    problems += [f"group {c!r} is stated twice" for c in sorted({c for c in codes if codes.count(c) > 1})]
    for g in groups:
        problems += [f"group {g.code!r} nests unknown group {s!r}" for s in g.subgroups if s not in known]
    unknown = sorted({gc for item in items for gc in item.groups if gc not in known})
    problems += [f"items are members of unknown group {gc!r}" for gc in unknown[:20]]
    return problems
