"""Ordering of codes (notations).

Classifications sort their codes either *naturally* (numeric runs compare as numbers, so ``30.8``
comes before ``30.11`` and ``A9`` before ``A10``) or *lexically* (plain string order, for code lists
where leading zeros or letters carry the order). The choice is a property of the classification.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

_RUNS = re.compile(r"(\d+)")


class CodeOrder(StrEnum):
    NATURAL = "natural"
    LEXICAL = "lexical"


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Key that compares digit runs as integers and everything else case-insensitively."""
    key: list[tuple[int, int | str]] = []
    for index, part in enumerate(_RUNS.split(code)):
        if not part:
            continue
        if index % 2:
            key.append((0, int(part)))
        else:
            key.append((1, part.casefold()))
    # Codes equal as numbers ("0", "00") still have one order: fewer written digits first. The marker
    # -1 sorts before any further part, so "30" stays before "30.8".
    key.append((-1, "".join(_RUNS.findall(code))))
    return tuple(key)


def lexical_key(code: str) -> tuple[tuple[int, int | str], ...]:
    return ((1, code),)


def sort_key(order: CodeOrder | str) -> Callable[[str], tuple[tuple[int, int | str], ...]]:
    return natural_key if CodeOrder(order) is CodeOrder.NATURAL else lexical_key
