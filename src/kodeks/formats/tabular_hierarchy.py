"""Parents and levels of a generic code list, from one of three hierarchy modes.

- ``parent``: a column names each code's parent (empty at the top);
- ``pattern``: a code's parent is its longest proper prefix present in the file (ISCO ``2`` → ``21``
  → ``211`` → ``2111``; dotted ``01`` → ``01.1`` → ``01.11``; separators at the cut are dropped);
- ``levels``: one column per level (DB07: section, division, group, class, subclass); the code is
  the deepest filled column, its parent the deepest filled column above that is a code of the file.
  Ancestors missing from the file are skipped (DB07's ``99.99.99 Uoplyst`` names section ``X``,
  which the file does not list, so it sits at the top).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

_SEPARATORS = ".-_/ "


def pattern_parents(codes: Iterable[str]) -> dict[str, str | None]:
    known = set(codes)
    parents: dict[str, str | None] = {}
    for code in known:
        parents[code] = None
        for cut in range(len(code) - 1, 0, -1):
            prefix = code[:cut].rstrip(_SEPARATORS)
            if prefix and prefix != code and prefix in known:
                parents[code] = prefix
                break
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
