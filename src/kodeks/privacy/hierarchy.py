"""Generalization hierarchies: one row per leaf value, one column per level (ARX layout).

``levels[0]`` are the original values, the last level is the most general one (normally ``*``). A hierarchy is
valid when every row has the same height and each value at level ``l`` always generalizes to the same value at
level ``l + 1`` (the hierarchy is a tree, so full-domain generalization is well defined).

Builders: :meth:`Hierarchy.from_rows` (ARX rows), :func:`from_arx_csv`, :func:`from_parent_pairs` (registry
classifications as ``(code, parent_code)``), :func:`from_dotted_codes` (KLE style ``27.24.10 → 27.24 → 27 →
*``), :func:`from_intervals` (numbers) and :func:`from_dates` (ISO dates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kodeks.privacy.errors import HierarchyCoverageError, HierarchyError, NonMonotoneHierarchyError

TOP = "*"
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Hierarchy:
    """A validated full-domain generalization hierarchy for one column."""

    name: str
    rows: tuple[tuple[str, ...], ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _validate(self.name, self.rows)
        object.__setattr__(self, "_index", {row[0]: i for i, row in enumerate(self.rows)})

    @classmethod
    def from_rows(cls, name: str, rows: Iterable[Sequence[str]]) -> Hierarchy:
        return cls(name, tuple(tuple(str(v) for v in row) for row in rows))

    @property
    def height(self) -> int:
        """Number of levels including the original values (levels ``0 .. height - 1``)."""
        return len(self.rows[0])

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(row[0] for row in self.rows)

    def level_values(self, level: int) -> list[str]:
        """Distinct values at ``level`` in first-seen order."""
        return list(dict.fromkeys(row[level] for row in self.rows))

    def generalize(self, value: str, level: int) -> str:
        try:
            return self.rows[self._index[value]][level]
        except KeyError:
            raise HierarchyCoverageError(
                f"hierarchy {self.name!r} does not cover the value {value!r}"
            ) from None

    def mapping(self, level: int) -> dict[str, str]:
        return {row[0]: row[level] for row in self.rows}

    def leaf_index(self) -> Mapping[str, int]:
        return self._index

    def check_covers(self, values: Iterable[str | None]) -> None:
        missing = sorted({"<null>" if v is None else v for v in values if v is None or v not in self._index})
        if missing:
            shown = ", ".join(repr(v) for v in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise HierarchyCoverageError(
                f"hierarchy {self.name!r} does not cover {len(missing)} value(s) in the data: {shown}{more}"
            )

    def encoded(self) -> EncodedHierarchy:
        return EncodedHierarchy.build(self)


@dataclass(frozen=True)
class EncodedHierarchy:
    """Integer form: ``codes[l][leaf]`` is the code of the leaf's ancestor at level ``l``."""

    codes: tuple[IntArray, ...]
    labels: tuple[tuple[str, ...], ...]
    leaf_counts: tuple[IntArray, ...]  # number of leaves under each code at each level

    @classmethod
    def build(cls, hierarchy: Hierarchy) -> EncodedHierarchy:
        codes: list[IntArray] = []
        labels: list[tuple[str, ...]] = []
        counts: list[IntArray] = []
        for level in range(hierarchy.height):
            values = hierarchy.level_values(level)
            index = {v: i for i, v in enumerate(values)}
            arr = np.fromiter((index[row[level]] for row in hierarchy.rows), dtype=np.int64)
            codes.append(arr)
            labels.append(tuple(values))
            counts.append(np.bincount(arr, minlength=len(values)).astype(np.int64))
        return cls(tuple(codes), tuple(labels), tuple(counts))

    _parents: dict[tuple[int, int], IntArray] = field(default_factory=dict, repr=False, compare=False)

    def cardinality(self, level: int) -> int:
        return len(self.labels[level])

    def parent_codes(self, low: int, high: int) -> IntArray:
        """For each code at level ``low``, the code of its ancestor at level ``high`` (cached)."""
        found = self._parents.get((low, high))
        if found is None:
            found = np.zeros(self.cardinality(low), dtype=np.int64)
            found[self.codes[low]] = self.codes[high]
            self._parents[(low, high)] = found
        return found


def _validate(name: str, rows: tuple[tuple[str, ...], ...]) -> None:
    if not rows:
        raise HierarchyError(f"hierarchy {name!r} is empty")
    heights = {len(r) for r in rows}
    if len(heights) != 1:
        bad = next(r for r in rows if len(r) != len(rows[0]))
        raise NonMonotoneHierarchyError(
            f"hierarchy {name!r} has rows of different heights {sorted(heights)} (e.g. {bad[0]!r}); "
            "every value needs the same number of levels"
        )
    seen: set[str] = set()
    for row in rows:
        if row[0] in seen:
            raise HierarchyError(f"hierarchy {name!r} lists the value {row[0]!r} twice")
        seen.add(row[0])
    height = len(rows[0])
    for level in range(height - 1):
        parent: dict[str, str] = {}
        for row in rows:
            prev = parent.setdefault(row[level], row[level + 1])
            if prev != row[level + 1]:
                raise NonMonotoneHierarchyError(
                    f"hierarchy {name!r} is not monotone: {row[level]!r} at level {level} generalizes to "
                    "both "
                    f"{prev!r} and {row[level + 1]!r} at level {level + 1}"
                )
    if height > 1 and len({row[-1] for row in rows}) != 1:
        raise NonMonotoneHierarchyError(f"hierarchy {name!r} has more than one value at its top level")


def from_arx_csv(
    path: Path, name: str | None = None, delimiter: str = ";", encoding: str = "utf-8"
) -> Hierarchy:
    """Read an ARX hierarchy file (no header; one row per original value)."""
    try:
        with path.open(newline="", encoding=encoding) as fh:
            rows = [row for row in csv.reader(fh, delimiter=delimiter) if row]
    except UnicodeDecodeError as exc:
        raise HierarchyError(f"hierarchy file {path.name} is not {encoding}: {exc}") from None
    except OSError as exc:
        raise HierarchyError(f"cannot read hierarchy file {path.name}: {exc.strerror}") from None
    return Hierarchy.from_rows(name or path.stem, rows)


def to_arx_csv(hierarchy: Hierarchy, delimiter: str = ";") -> str:
    """The hierarchy as an ARX hierarchy file (no header, one row per value), read by :func:`from_arx_csv`."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(hierarchy.rows)
    return out.getvalue()


def from_parent_pairs(
    name: str, pairs: Iterable[tuple[str, str | None]], leaves: Iterable[str] | None = None, top: str = TOP
) -> Hierarchy:
    """Build from ``(code, parent_code)`` pairs, as the registry hands out classifications.

    Leaves default to codes without children. Shorter paths are padded at the bottom (the leaf repeats), so
    a leaf at depth 2 in a depth-3 tree stays itself one level longer. A single ``top`` is added above the
    roots.
    """
    parent: dict[str, str | None] = {}
    for code, par in pairs:
        if code in parent and parent[code] != par:
            raise NonMonotoneHierarchyError(
                f"hierarchy {name!r}: code {code!r} has two parents {parent[code]!r} and {par!r}"
            )
        parent[code] = par or None
    for par in list(parent.values()):
        if par is not None and par not in parent:
            parent[par] = None
    has_child = {p for p in parent.values() if p is not None}
    leaf_list = list(leaves) if leaves is not None else [c for c in parent if c not in has_child]
    paths: list[list[str]] = []
    for leaf in leaf_list:
        if leaf not in parent:
            raise HierarchyCoverageError(f"hierarchy {name!r}: leaf {leaf!r} is not among the codes")
        path = [leaf]
        node = parent[leaf]
        while node is not None:
            if node in path:
                raise HierarchyError(f"hierarchy {name!r} has a cycle through {node!r}")
            path.append(node)
            node = parent[node]
        if path[-1] != top:
            path.append(top)
        paths.append(path)
    if not paths:
        raise HierarchyError(f"hierarchy {name!r} has no leaves")
    depth = max(len(p) for p in paths)
    rows = [[p[0]] * (depth - len(p)) + p for p in paths]
    return Hierarchy.from_rows(name, rows)


def dotted_parent(code: str) -> str | None:
    """``27.24.10 → 27.24 → 27 → None``; a trailing ``.00`` group (KLE) is just another level."""
    return code.rsplit(".", 1)[0] if "." in code else None


def from_dotted_codes(name: str, codes: Iterable[str], top: str = TOP) -> Hierarchy:
    """KLE-style dotted codes: each dot-separated prefix is one level up."""
    pairs: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    leaves = list(dict.fromkeys(codes))
    for code in leaves:
        node: str | None = code
        while node is not None and node not in seen:
            seen.add(node)
            par = dotted_parent(node)
            pairs.append((node, par))
            node = par
    return from_parent_pairs(name, pairs, leaves=leaves, top=top)


def _interval_label(lo: float, width: float, integer: bool) -> str:
    if integer:
        return f"{int(lo)}-{int(lo + width - 1)}"
    return f"[{lo:g}, {lo + width:g})"


def from_intervals(
    name: str, values: Iterable[float | int | str], widths: Sequence[float], top: str = TOP
) -> Hierarchy:
    """Nested intervals: ``widths=(5, 10, 20)`` gives ``37 → 35-39 → 30-39 → 20-39 → *``.

    Each width must be a multiple of the previous one so the intervals nest (monotone hierarchy).
    """
    if not widths:
        raise HierarchyError(f"hierarchy {name!r}: give at least one interval width")
    for a, b in itertools.pairwise(widths):
        if b <= a or (b / a) != int(b / a):
            raise NonMonotoneHierarchyError(
                f"hierarchy {name!r}: interval widths must each be a multiple of the previous one, "
                f"got {list(widths)}"
            )
    leaves = list(dict.fromkeys(str(v) for v in values))
    rows: list[list[str]] = []
    for text in leaves:
        try:
            x = float(text)
        except ValueError:
            raise HierarchyError(f"hierarchy {name!r}: {text!r} is not a number") from None
        integer = all(float(w).is_integer() for w in widths) and x.is_integer()
        rows.append([text] + [_interval_label((x // w) * w, w, integer) for w in widths] + [top])
    return Hierarchy.from_rows(name, rows)


def from_dates(
    name: str,
    values: Iterable[str | dt.date],
    levels: Sequence[str] = ("month", "year", "decade"),
    top: str = TOP,
) -> Hierarchy:
    """ISO dates: ``2024-03-15 → 2024-03 → 2024 → 2020-2029 → *`` (levels chosen from month/year/decade)."""
    known = {"month", "year", "decade"}
    if not set(levels) <= known:
        raise HierarchyError(f"hierarchy {name!r}: unknown date levels {sorted(set(levels) - known)}")
    rows: list[list[str]] = []
    for value in dict.fromkeys(values):
        try:
            d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            raise HierarchyError(f"hierarchy {name!r}: {value!r} is not an ISO date") from None
        row = [str(value)]
        for level in levels:
            if level == "month":
                row.append(f"{d.year:04d}-{d.month:02d}")
            elif level == "year":
                row.append(f"{d.year:04d}")
            else:
                start = d.year - d.year % 10
                row.append(f"{start}-{start + 9}")
        rows.append([*row, top])
    return Hierarchy.from_rows(name, rows)


def identity(name: str, values: Iterable[str], top: str = TOP) -> Hierarchy:
    """Two levels: the value or ``*`` (suppression only)."""
    return Hierarchy.from_rows(name, [[v, top] for v in dict.fromkeys(values)])
