"""Crosswalks: a code column mapped through one or more correspondence tables (``--via a,b``).

The tables are composed first (they are small): each source code gets the target codes its chain
leads to. A row then is ``mapped`` (one or more targets), ``ambiguous`` (several targets where one
is required, ``--single``), ``no_counterpart`` (the table says the code has none, as FORM's "Ikke
med i KLE"), ``unmapped`` (the table does not name the code; also when a later step does not name
an intermediate code) or ``empty``. Rows are never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kodeks.domain.codes import natural_key


class Outcome(StrEnum):
    MAPPED = "mapped"
    AMBIGUOUS = "ambiguous"
    NO_COUNTERPART = "no_counterpart"
    UNMAPPED = "unmapped"
    EMPTY = "empty"


#: One step: source code -> its targets (an empty tuple: no counterpart).
Step = dict[str, tuple[str, ...]]


def step_of(pairs: Iterable[tuple[str, str | None]]) -> Step:
    out: dict[str, list[str]] = {}
    for source, target in pairs:
        mine = out.setdefault(source, [])
        if target is not None and target not in mine:
            mine.append(target)
    return {s: tuple(sorted(t, key=natural_key)) for s, t in out.items()}


def compose(steps: Sequence[Step]) -> Step:
    """The steps chained: a source maps to every target its intermediates map to. An intermediate
    that the next step does not name drops out; if none is left, the source is not in the result
    (``unmapped``) unless the chain said 'no counterpart' on the way."""
    if not steps:
        raise ValueError("a crosswalk needs at least one correspondence")
    current = dict(steps[0])
    for nxt in steps[1:]:
        composed: dict[str, tuple[str, ...]] = {}
        for source, targets in current.items():
            if not targets:
                composed[source] = ()
                continue
            reached: list[str] = []
            named = False
            for t in targets:
                if t in nxt:
                    named = True
                    reached += [x for x in nxt[t] if x not in reached]
            if named:
                composed[source] = tuple(sorted(reached, key=natural_key))
        current = composed
    return current


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """A composed mapping and the names of the correspondences it came from (in order)."""

    via: tuple[str, ...]
    target: str
    mapping: Step
