"""Parents and levels of a generic code list, from one of three hierarchy modes.

- ``parent``: a column names each code's parent (empty at the top);
- ``pattern``: a code's parent is its longest proper prefix present in the file (ISCO ``2`` → ``21``
  → ``211`` → ``2111``; dotted ``01`` → ``01.1`` → ``01.11``; separators at the cut are dropped);
  A *range code* such as ``311-312`` (two codes of one length joined by ``-``) is a parent too: of the
  codes it spans (``3111`` sits under ``311``, which sits under ``311-312``, under ``31``);
- ``order``: the file order gives the top level: a code of letters only (a section, ``A``) is the
  parent of the codes after it up to the next section (``01``, ``02``...), as ISIC and NACE files
  list them; below that, code prefixes and ranges as in ``pattern``;
- ``levels``: one column per level (DB07: section, division, group, class, subclass); the code is
  the deepest filled column, its parent the deepest filled column above that is a code of the file.
  Ancestors missing from the file are skipped (DB07's ``99.99.99 Uoplyst`` names section ``X``,
  which the file does not list, so it sits at the top).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

_SEPARATORS = ".-_/ "
_RANGE = re.compile(r"^\s*([0-9A-Za-z.]+)\s*-\s*([0-9A-Za-z.]+)\s*$")
_SECTION = re.compile(r"^[A-Za-z]{1,3}$")


def range_bounds(code: str) -> tuple[str, str] | None:
    """``("311", "312")`` for the range code ``311-312``; ``None`` for other codes."""
    match = _RANGE.match(code)
    if not match:
        return None
    low, high = match.groups()
    if len(low) != len(high) or low >= high:
        return None
    return low, high


def _prefix_parent(code: str, known: set[str]) -> str | None:
    for cut in range(len(code) - 1, 0, -1):
        prefix = code[:cut].rstrip(_SEPARATORS)
        if prefix and prefix != code and prefix in known:
            return prefix
    return None


def pattern_parents(codes: Iterable[str]) -> dict[str, str | None]:
    """Each code's parent: its longest proper prefix in ``codes``, or the narrowest range spanning it."""
    known = set(codes)
    ranges = {c: b for c in known if (b := range_bounds(c)) is not None}
    parents: dict[str, str | None] = {}
    for code in known:
        bounds = ranges.get(code)
        if bounds is None:
            parents[code] = _best(code, code, code, _prefix_parent(code, known), ranges)
        else:
            low, high = bounds
            common = low[
                : next((i for i, (a, b) in enumerate(zip(low, high, strict=True)) if a != b), len(low))
            ]
            prefix = _prefix_parent(common + "\x00", known) if common else None
            parents[code] = _best(code, low, high, prefix, ranges)
    return parents


def _best(
    code: str, low: str, high: str, prefix: str | None, ranges: Mapping[str, tuple[str, str]]
) -> str | None:
    """The deepest candidate parent: ``prefix`` or a range other than ``code`` spanning ``low..high``.

    Depth is the length of the codes compared: a prefix of length k sits below a range of k-long codes
    (``311`` is under ``311-312``, so ``3111`` goes to ``311``), and a narrower range below a wider one.
    """
    best: tuple[int, int, int] | None = None
    chosen: str | None = None
    if prefix is not None:
        best, chosen = (len(prefix), 1, 0), prefix
    for other, (lo, hi) in ranges.items():
        width = len(lo)
        if other == code or width > len(low) or (lo, hi) == (low, high):
            continue
        if lo <= low[:width] and high[:width] <= hi:
            key = (width, 0, -_span(lo, hi))
            if best is None or key > best:
                best, chosen = key, other
    return chosen


def _span(low: str, high: str) -> int:
    return int(high) - int(low) if low.isdigit() and high.isdigit() else 0


def order_parents(codes: Sequence[str]) -> dict[str, str | None]:
    """Parents from the file order: a section (letters only) over the codes after it, then ``pattern``."""
    parents = pattern_parents(codes)
    section: str | None = None
    for code in codes:
        if _SECTION.match(code):
            section = code
            continue
        if parents.get(code) is None and section is not None:
            parents[code] = section
    return parents


def level_path(cells: Sequence[str]) -> tuple[str, int, tuple[str, ...]] | None:
    """``(code, level, ancestors top-down)`` from the level columns of a row; ``None`` if all are empty."""
    filled = [(n, c) for n, c in enumerate(cells, start=1) if c]
    if not filled:
        return None
    level, code = filled[-1]
    return code, level, tuple(c for _, c in filled[:-1])


def nearest_known(ancestors: Sequence[str], known: set[str]) -> str | None:
    return next((a for a in reversed(ancestors) if a in known), None)


def depths(parents: Mapping[str, str | None]) -> dict[str, int | None]:
    """Depth of each code (1 at the top); ``None`` where the chain has a cycle or an unknown parent."""
    out: dict[str, int | None] = {}
    for start in parents:
        chain: list[str] = []
        current: str | None = start
        depth: int | None = 0
        while current is not None:
            if current in out:
                known = out[current]
                depth = None if known is None else known + len(chain)
                break
            if current in chain or current not in parents:
                depth = None
                break
            chain.append(current)
            current = parents[current]
        else:
            depth = len(chain)
        for offset, code in enumerate(chain):
            out[code] = None if depth is None else depth - offset
    return out
