"""Danmarks Statistik's discretion rule for aggregated outputs: no count published rests on under 3 people.

:func:`count_table` counts the rows of a table by one or more columns (a one-way or a two-way table, or more),
with totals, and protects every cell whose count comes from fewer than ``min_count`` individuals:

- **who counts.** Cells count rows (or sum a ``weight`` column for tables that are already aggregated). With
  ``unit`` (e.g. ``cpr``) the rule looks at the number of *distinct individuals* behind a cell, so ten cases
  of two citizens are still protected. Empty cells (0) are published unless ``suppress_zeros``.
- **suppress** (default). Small cells are suppressed (primary suppression). Then cells are suppressed in
  addition (secondary suppression, smallest non-zero cells first, totals last) until no suppressed cell can be
  worked out from the published margins: first until no row, column or total line has exactly one suppressed
  cell, then an audit solves, for every suppressed cell, the smallest and largest value that agrees with
  everything published (linear programs over all row and column equations, with suppressed cells at least 1
  when zeros are shown). A cell is exposed when that range is a single value, or, for a small cell, when it
  proves the count is below ``min_count``; an exposed cell gets a partner suppressed in one of its lines and
  the audit runs again. For one- and two-way tables with totals the equations are totally unimodular, so the
  audit is exact; for three or more columns it is the linear relaxation.
- **combine.** Categories that give small cells are first merged into one ``Øvrige`` category (column by
  column, the rarest first, until the merged category itself is large enough); whatever is still small is then
  suppressed as above.

The result keeps primary and secondary suppressions indistinguishable: a published table must not tell which
cells are the small ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from kodeks.privacy.encoding import check_columns
from kodeks.privacy.errors import ConfigError, InputError

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
MAX_CELLS = 200_000
MISSING = "(mangler)"


@dataclass(frozen=True)
class DiscretionRule:
    min_count: int = 3
    method: Literal["suppress", "combine"] = "suppress"
    suppress_zeros: bool = False
    other_label: str = "Øvrige"
    total_label: str = "I alt"

    def __post_init__(self) -> None:
        if self.min_count < 1:
            raise ConfigError(f"the minimum count must be at least 1, got {self.min_count}")
        if self.method not in ("suppress", "combine"):
            raise ConfigError(f"unknown discretion method {self.method!r} (suppress, combine)")


@dataclass
class CountTable:
    """Counts by ``by`` in long form (one row per cell, totals labelled ``rule.total_label``)."""

    frame: pl.DataFrame  # by columns + "antal" (Int64, null where suppressed)
    by: tuple[str, ...]
    rule: DiscretionRule
    suppressed_cells: int
    cells: int
    merged: dict[str, list[str]] = field(default_factory=dict)  # column -> categories merged into "Øvrige"

    def publishable(self, marker: str = "..") -> pl.DataFrame:
        """The table as text, suppressed cells shown as ``marker`` (Danmarks Statistik writes ``..``)."""
        return self.frame.with_columns(pl.col("antal").cast(pl.String).fill_null(marker))

    def wide(self, marker: str = "..") -> pl.DataFrame:
        """A two-way table with the second column's categories as columns."""
        if len(self.by) != 2:
            raise ConfigError("a wide layout needs exactly two columns to count by")
        first, second = self.by
        return self.publishable(marker).pivot(on=second, index=first, values="antal", sort_columns=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "by": list(self.by),
            "min_count": self.rule.min_count,
            "method": self.rule.method,
            "cells": self.cells,
            "suppressed_cells": self.suppressed_cells,
            "merged": self.merged,
        }


def count_table(
    frame: pl.DataFrame | pl.LazyFrame,
    by: Sequence[str],
    rule: DiscretionRule | None = None,
    unit: str | None = None,
    weight: str | None = None,
    totals: bool = True,
) -> CountTable:
    """Count ``frame`` by ``by`` and apply the discretion ``rule`` (see the module docstring)."""
    rule = rule or DiscretionRule()
    dims = list(by)
    if not dims or len(set(dims)) != len(dims):
        raise ConfigError("name one or more different columns to count by")
    lazy = frame.lazy()
    check_columns(
        lazy.collect_schema().names(), [*dims, *([unit] if unit else []), *([weight] if weight else [])]
    )
    text = [pl.col(c).cast(pl.String).fill_null(MISSING).alias(c) for c in dims]
    extra = [pl.col(unit).cast(pl.String).alias("__unit")] if unit else []
    if weight:
        extra.append(pl.col(weight).cast(pl.Int64, strict=False).alias("__weight"))
    data = lazy.select([*text, *extra]).collect()
    if data.height == 0:
        raise InputError("the input has no data rows")
    if weight and (data["__weight"].null_count() or (data["__weight"] < 0).any()):
        raise InputError(f"the weight column {weight!r} must hold non-negative whole numbers")
    categories = [sorted(data[c].unique().to_list()) for c in dims]
    cells = int(np.prod([len(c) + 1 for c in categories]))
    if cells > MAX_CELLS:
        raise ConfigError(
            f"the table would have {cells:,} cells (more than {MAX_CELLS:,}); count by fewer values"
        )
    merged: dict[str, list[str]] = {}
    while True:
        counts, people = _aggregate(data, dims, categories, unit is not None, weight is not None)
        small = (people > 0) & (people < rule.min_count)
        if (
            rule.method != "combine"
            or not small.any()
            or not _combine(data, dims, categories, small, rule, merged)
        ):
            break
        data = data.with_columns(
            pl.col(c).replace(merged[c], [rule.other_label] * len(merged[c])) for c in dims if c in merged
        )
        categories = [_ordered(data[c].unique().to_list(), rule.other_label) for c in dims]
    if rule.suppress_zeros:
        small |= people == 0
    if not totals:
        counts, small = counts[tuple(slice(0, -1) for _ in dims)], small[tuple(slice(0, -1) for _ in dims)]
        hidden = small.copy()
    else:
        hidden = protect(counts, small, rule.min_count, zeros_shown=not rule.suppress_zeros)
    return CountTable(
        _long(dims, categories, counts, hidden, rule.total_label, totals),
        tuple(dims),
        rule,
        int(hidden.sum()),
        int(hidden.size),
        merged,
    )


def _ordered(values: list[str], other: str) -> list[str]:
    return sorted(v for v in values if v != other) + ([other] if other in values else [])


def _aggregate(
    data: pl.DataFrame, dims: list[str], categories: list[list[str]], by_unit: bool, weighted: bool
) -> tuple[IntArray, IntArray]:
    """Counts and individuals per cell, with a total index (the last) on every axis."""
    shape = tuple(len(c) + 1 for c in categories)
    counts = np.zeros(shape, dtype=np.int64)
    people = np.zeros(shape, dtype=np.int64)
    index = [{v: i for i, v in enumerate(c)} for c in categories]
    count = pl.col("__weight").sum() if weighted else pl.len()
    who = pl.col("__unit").n_unique() if by_unit else count
    for size in range(len(dims) + 1):
        for subset in itertools.combinations(range(len(dims)), size):
            keys = [dims[a] for a in subset]
            agg = [count.alias("__n"), who.alias("__p")]
            grouped = data.group_by(keys).agg(agg) if keys else data.select(agg)
            for row in grouped.iter_rows():
                pos = [len(c) for c in categories]
                for a, value in zip(subset, row[: len(keys)], strict=True):
                    pos[a] = index[a][value]
                counts[tuple(pos)] = row[-2]
                people[tuple(pos)] = row[-1]
    return counts, people


def _combine(
    data: pl.DataFrame,
    dims: list[str],
    categories: list[list[str]],
    small: BoolArray,
    rule: DiscretionRule,
    merged: dict[str, list[str]],
) -> bool:
    """Merge into ``Øvrige`` the categories of the first column that has small cells; False if none can be."""
    for a, column in enumerate(dims):
        body = np.take(
            small, np.arange(len(categories[a])), axis=a
        )  # this column's categories, not its total
        other_axes = tuple(b for b in range(len(dims)) if b != a)
        offending: BoolArray = np.asarray(body.any(axis=other_axes) if other_axes else body, dtype=bool)
        names = [c for c, bad in zip(categories[a], offending, strict=True) if bad and c != rule.other_label]
        if (
            not names
            and rule.other_label in categories[a]
            and offending[categories[a].index(rule.other_label)]
        ):
            rest = data.filter(pl.col(column) != rule.other_label).group_by(column).len().sort("len", column)
            names = rest[column].head(1).to_list()  # the merged category is still small: add the rarest
        if names:
            merged.setdefault(column, []).extend(names)
            return True
    return False


def _long(
    dims: list[str],
    categories: list[list[str]],
    counts: IntArray,
    hidden: BoolArray,
    total: str,
    totals: bool,
) -> pl.DataFrame:
    labels = [[*c, total] if totals else list(c) for c in categories]
    columns: dict[str, list[str]] = {d: [] for d in dims}
    values: list[int | None] = []
    for pos in itertools.product(*[range(len(lab)) for lab in labels]):
        for d, lab, p in zip(dims, labels, pos, strict=True):
            columns[d].append(lab[p])
        values.append(None if hidden[pos] else int(counts[pos]))
    return pl.DataFrame(
        {**columns, "antal": values}, schema={**dict.fromkeys(dims, pl.String), "antal": pl.Int64}
    )


def protect(counts: IntArray, small: BoolArray, min_count: int = 3, zeros_shown: bool = True) -> BoolArray:
    """Primary plus secondary suppression for a table whose last index on every axis is the total."""
    hidden = small.copy()
    while True:
        _close_singletons(counts, hidden, zeros_shown)
        exposed = audit(counts, hidden, small, min_count, zeros_shown)
        if not exposed:
            return hidden
        before = int(hidden.sum())
        lines: set[tuple[int, tuple[int, ...]]] = set()  # lines that got a partner in this round
        for cell in exposed:
            if any((axis, cell[:axis] + cell[axis + 1 :]) in lines for axis in range(counts.ndim)):
                continue  # its line has a new unknown; the next audit tells whether that was enough
            found = _partner(counts, hidden, cell, zeros_shown)
            if found is not None:
                axis, partner = found
                line = tuple(slice(None) if a == axis else partner[a] for a in range(counts.ndim))
                if hidden[line].sum() <= 2:  # a short line of hidden cells: its new partner may free them all
                    lines.add((axis, partner[:axis] + partner[axis + 1 :]))
                hidden[partner] = True
        if int(hidden.sum()) == before:  # no partner left anywhere: hide every non-empty cell
            hidden |= counts > 0
            return hidden


def _lines(shape: tuple[int, ...], axis: int) -> list[list[int]]:
    """Every line along ``axis``, as a cell index whose ``axis`` entry is to be filled in."""
    others = [range(n) if a != axis else [0] for a, n in enumerate(shape)]
    return [list(p) for p in itertools.product(*others)]


def _close_singletons(counts: IntArray, hidden: BoolArray, zeros_shown: bool) -> None:
    """Until no line (row, column, ... with its total) has exactly one suppressed cell."""
    changed = True
    while changed:
        changed = False
        for axis in range(counts.ndim):
            singles = np.argwhere(hidden.sum(axis=axis) == 1)
            for rest in singles:
                line = tuple(
                    int(rest[j - (j > axis)]) if j != axis else slice(None) for j in range(counts.ndim)
                )
                pick = _smallest(counts[line], hidden[line], zeros_shown)
                if pick is not None:
                    cell = list(line)
                    cell[axis] = pick
                    hidden[tuple(cell)] = True
                    changed = True


def _smallest(values: IntArray, hidden: BoolArray, zeros_shown: bool) -> int | None:
    """The smallest published cell of a line: non-total cells first, and non-zero ones if zeros are shown."""
    n = values.shape[0]
    for allowed in (np.arange(n) < n - 1, np.ones(n, dtype=bool)):
        ok = allowed & ~hidden & ((values > 0) if zeros_shown else True)
        if ok.any():
            candidates = np.nonzero(ok)[0]
            return int(candidates[np.argmin(values[candidates])])
    return None


def _partner(
    counts: IntArray, hidden: BoolArray, cell: tuple[int, ...], zeros_shown: bool
) -> tuple[int, tuple[int, ...]] | None:
    """The cheapest published cell sharing a line with ``cell`` (totals last), and that line's axis."""
    best: tuple[int, tuple[int, ...], int] | None = None
    for axis in range(counts.ndim):
        line = tuple(slice(None) if a == axis else cell[a] for a in range(counts.ndim))
        pick = _smallest(counts[line], hidden[line], zeros_shown)
        if pick is not None:
            found = list(cell)
            found[axis] = pick
            cost = int(counts[tuple(found)]) + (10**12 if pick == counts.shape[axis] - 1 else 0)
            if best is None or (cost, tuple(found)) < best[:2]:
                best = (cost, tuple(found), axis)
    return (best[2], best[1]) if best else None


def audit(
    counts: IntArray, hidden: BoolArray, small: BoolArray, min_count: int = 3, zeros_shown: bool = True
) -> list[tuple[int, ...]]:
    """Suppressed cells an attacker can pin down from the published cells and the totals.

    For each suppressed cell the smallest and largest values consistent with every line equation are found by
    linear programming. Exposed: a range of one value, or a small cell whose range stays below ``min_count``.
    """
    cells = [tuple(int(i) for i in c) for c in np.argwhere(hidden)]
    if not cells:
        return []
    var = {c: j for j, c in enumerate(cells)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    rhs: list[int] = []
    for axis in range(counts.ndim):
        for line in _lines(counts.shape, axis):
            positions = []
            for k in range(counts.shape[axis]):
                cell = list(line)
                cell[axis] = k
                positions.append(tuple(cell))
            if not any(p in var for p in positions):
                continue
            known, eq = 0, len(rhs)
            for p in positions:
                sign = -1 if p == positions[-1] else 1  # the cells of a line add up to its total
                if p in var:
                    rows.append(eq)
                    cols.append(var[p])
                    vals.append(sign)
                else:
                    known += sign * int(counts[p])
            rhs.append(-known)
    a_eq = coo_matrix((vals, (rows, cols)), shape=(len(rhs), len(cells))).tocsr()
    low = 1 if zeros_shown else 0
    # Values seen in any feasible solution: a cell already seen with two values (and, if small, with one of
    # at least min_count) is safe without its own linear programs.
    seen_low = np.array([float(counts[c]) for c in cells])
    seen_high = seen_low.copy()
    exposed = []
    for c, j in var.items():
        if seen_high[j] - seen_low[j] >= 0.5 and not (small[c] and seen_high[j] < min_count - 1e-9):
            continue
        bounds: list[float] = []
        for direction in (1.0, -1.0):
            objective = np.zeros(len(cells))
            objective[j] = direction
            res = linprog(objective, A_eq=a_eq, b_eq=rhs, bounds=(low, None), method="highs")
            if res.status == 0:
                np.minimum(seen_low, res.x, out=seen_low)
                np.maximum(seen_high, res.x, out=seen_high)
                bounds.append(direction * res.fun)
            else:  # unbounded above
                bounds.append(np.inf)
        lowest, highest = bounds
        if highest - lowest < 0.5 or (small[c] and highest < min_count - 1e-9):
            exposed.append(c)
    return exposed
