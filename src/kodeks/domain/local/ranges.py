"""Ranges of codes an owner reserves for local use (KLE: the local number intervals).

The owner of a common classification decides where others may add local codes. A range says: at
``level``, a child of a parent code ``P`` may be ``P`` + ``separator`` + a number from ``low`` to
``high`` written with ``width`` digits. ``under`` optionally limits the range to parents whose code
starts with that prefix. For example ``ReservedRange(level=3, low=90, high=99)`` lets a municipality
add emner ``27.24.90`` to ``27.24.99`` under every KLE group (an illustration: configure what the
owner actually reserves).

A local code whose parent is itself a local code needs no range: the whole subtree is local.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReservedRange:
    level: int
    low: int
    high: int
    width: int = 2
    separator: str = "."
    under: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 20:
            raise ValueError(f"level {self.level} is not between 1 and 20")
        if not 1 <= self.width <= 9:
            raise ValueError(f"width {self.width} is not between 1 and 9")
        if not 0 <= self.low <= self.high < 10**self.width:
            raise ValueError(f"range {self.low}-{self.high} does not fit {self.width} digit(s) low to high")
        if len(self.separator) > 1 or self.separator.isalnum():
            raise ValueError(f"separator {self.separator!r} must be empty or one punctuation character")

    def admits(self, code: str, parent: str, parent_level: int | None) -> bool:
        """Whether ``code`` under ``parent`` (at ``parent_level``) falls in this range."""
        if parent_level is None or parent_level + 1 != self.level:
            return False
        if self.under is not None and not parent.startswith(self.under):
            return False
        prefix = parent + self.separator
        if not code.startswith(prefix):
            return False
        tail = code[len(prefix) :]
        return len(tail) == self.width and tail.isdigit() and self.low <= int(tail) <= self.high

    def describe(self) -> str:
        under = f" under {self.under}*" if self.under else ""
        first, last = f"{self.low:0{self.width}d}", f"{self.high:0{self.width}d}"
        return f"level {self.level}{under}: <parent>{self.separator}{first}-{last}"


def range_problem(
    code: str, parent: str, parent_level: int | None, ranges: Iterable[ReservedRange]
) -> str | None:
    """Why the local ``code`` may not sit under the common ``parent``, or ``None``."""
    ranges = list(ranges)
    if any(r.admits(code, parent, parent_level) for r in ranges):
        return None
    if not ranges:
        return f"local code {code!r}: the owner reserves no range for local codes"
    shown = "; ".join(r.describe() for r in ranges)
    return f"local code {code!r} under {parent!r} is outside the reserved ranges ({shown})"
