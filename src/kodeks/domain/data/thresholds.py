"""Thresholds that fail a pipeline: ``unknown>0.01``, ``invalid>=100``, ``malformed>0``.

A threshold names a status word (or ``invalid``: every status that is not fine, ``summary.INVALID``),
a comparison (``>``, ``>=``, ``<``, ``<=``, ``=``) and a number: with a decimal point or a ``%`` it is a
share of the rows (``0.01`` = ``1%``), else a count. Several are separated by commas.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kodeks.domain.data.status import Status
from kodeks.domain.data.summary import Summary

_FORM = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|>|<|=)\s*([0-9]+(?:\.[0-9]*)?)\s*(%?)\s*$")
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
}
NAMES = frozenset({*(s.value for s in Status), "invalid"})


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    op: str
    value: float
    share: bool
    text: str

    def broken(self, summary: Summary) -> bool:
        seen = summary.share(self.name) if self.share else summary.count(self.name)
        return _OPS[self.op](seen, self.value)


def parse(text: str) -> list[Threshold]:
    """The thresholds in ``text``; ``ValueError`` names the first one that cannot be read."""
    out = []
    for part in (p for p in text.split(",") if p.strip()):
        m = _FORM.match(part)
        if not m:
            raise ValueError(f"cannot read threshold {part.strip()!r} (write it like 'unknown>0.01')")
        name, op, number, percent = m.groups()
        if name not in NAMES:
            raise ValueError(
                f"threshold {part.strip()!r}: {name!r} is not a status ({', '.join(sorted(NAMES))})"
            )
        share = bool(percent) or "." in number
        value = float(number) / (100 if percent else 1)
        out.append(Threshold(name, op, value, share, part.strip()))
    return out


def broken(thresholds: Sequence[Threshold], summary: Summary) -> list[Threshold]:
    return [t for t in thresholds if t.broken(summary)]
