"""Following a code's successors (``replaced_by``) to the codes valid on a day, over its facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from kodeks.domain.timeline import Fact

#: A replacement chain longer than this is treated as broken (it would be a data error).
MAX_STEPS = 100


def facts_by_code(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        out[fact.code].append(fact)
    return out


def last_fact_before(facts: list[Fact], day: date) -> Fact | None:
    """The latest fact of a code that started before ``day`` (what it said when it ended)."""
    earlier = [f for f in facts if f.period.start is None or f.period.start < day]
    if not earlier:
        return None
    return max(earlier, key=lambda f: (f.period.start is not None, f.period.start or date.min))


def valid_on(facts: list[Fact], day: date) -> Fact | None:
    return next((f for f in facts if f.period.contains(day)), None)


def successors_on(code: str, by_code: dict[str, list[Fact]], day: date) -> tuple[str, ...]:
    """Codes valid on ``day`` that ``code``'s replacement chain leads to (empty if none, or if the
    code itself is valid on ``day``)."""
    if valid_on(by_code.get(code, []), day) is not None:
        return ()
    found: list[str] = []
    seen = {code}
    frontier = [code]
    steps = 0
    while frontier and steps < MAX_STEPS:
        steps += 1
        last = last_fact_before(by_code.get(frontier.pop(0), []), day)
        if last is None:
            continue
        for nxt in last.item.replaced_by:
            if nxt in seen:
                continue
            seen.add(nxt)
            if valid_on(by_code.get(nxt, []), day) is not None:
                found.append(nxt)
            else:
                frontier.append(nxt)
    return tuple(found)
