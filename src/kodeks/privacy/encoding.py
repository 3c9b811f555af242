"""Compress a table to its distinct (quasi-identifier, sensitive) rows with counts, as integer codes.

Anonymization only ever needs these distinct rows: 30,162 Adult records become about 20,000 rows, and ten
million resampled records become the same 20,000 after one streaming Polars ``group_by``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from kodeks.privacy.errors import ColumnError, InputError
from kodeks.privacy.hierarchy import EncodedHierarchy, Hierarchy

IntArray = npt.NDArray[np.int64]
COUNT = "__kodeks_n"


@dataclass(frozen=True)
class EncodedTable:
    """Distinct rows of the quasi-identifiers (leaf codes) and sensitive columns (value codes) with counts."""

    qis: tuple[str, ...]
    hierarchies: tuple[Hierarchy, ...]
    encoded: tuple[EncodedHierarchy, ...]
    leaf_codes: npt.NDArray[np.int64]  # shape (rows, len(qis))
    counts: IntArray
    sensitive: tuple[str, ...]
    sensitive_codes: tuple[IntArray, ...]
    sensitive_values: tuple[tuple[str, ...], ...]
    n_rows: int
    row_codes: tuple[
        tuple[IntArray, ...], ...
    ] = ()  # [attribute][level] generalized code of each distinct row

    def __post_init__(self) -> None:
        if not self.row_codes and self.qis:
            rows = tuple(
                tuple(np.ascontiguousarray(codes[self.leaf_codes[:, a]]) for codes in enc.codes)
                for a, enc in enumerate(self.encoded)
            )
            object.__setattr__(self, "row_codes", rows)

    @property
    def heights(self) -> tuple[int, ...]:
        return tuple(h.height for h in self.hierarchies)

    def sensitive_index(self, column: str) -> int:
        try:
            return self.sensitive.index(column)
        except ValueError:
            raise ColumnError(f"{column!r} is not declared as a sensitive column") from None


def check_columns(schema_names: Sequence[str], wanted: Sequence[str]) -> None:
    missing = [c for c in wanted if c not in schema_names]
    if missing:
        raise ColumnError(
            f"column(s) {', '.join(repr(c) for c in missing)} not found; "
            f"the data has {', '.join(schema_names)}"
        )


def as_text(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String)


def encode(
    frame: pl.DataFrame | pl.LazyFrame,
    qis: Sequence[str],
    hierarchies: Mapping[str, Hierarchy],
    sensitive: Sequence[str] = (),
) -> EncodedTable:
    lazy = frame.lazy()
    names = lazy.collect_schema().names()
    check_columns(names, [*qis, *sensitive])
    unknown = [c for c in hierarchies if c not in names]
    if unknown:
        raise ColumnError(f"hierarchies given for unknown column(s): {', '.join(unknown)}")
    for q in qis:
        if q not in hierarchies:
            raise ColumnError(f"quasi-identifier {q!r} has no hierarchy")
    keys = list(dict.fromkeys([*qis, *sensitive]))
    grouped = (
        lazy.select([as_text(c) for c in keys])
        .group_by(keys)
        .agg(pl.len().alias(COUNT))
        .collect(engine="streaming")
    )
    if grouped.height == 0:
        raise InputError("the input has no data rows")
    hier = tuple(hierarchies[q] for q in qis)
    leaf_cols: list[IntArray] = []
    for q, h in zip(qis, hier, strict=True):
        values = grouped[q].to_list()
        h.check_covers(set(values))
        index = h.leaf_index()
        leaf_cols.append(np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values)))
    sens_codes: list[IntArray] = []
    sens_values: list[tuple[str, ...]] = []
    for s in sensitive:
        col = grouped[s].fill_null("")
        uniq = sorted(set(col.to_list()))
        idx = {v: i for i, v in enumerate(uniq)}
        sens_codes.append(np.fromiter((idx[v] for v in col.to_list()), dtype=np.int64, count=grouped.height))
        sens_values.append(tuple(uniq))
    counts = grouped[COUNT].to_numpy().astype(np.int64)
    leaf = np.stack(leaf_cols, axis=1) if leaf_cols else np.zeros((grouped.height, 0), dtype=np.int64)
    return EncodedTable(
        qis=tuple(qis),
        hierarchies=hier,
        encoded=tuple(h.encoded() for h in hier),
        leaf_codes=leaf,
        counts=counts,
        sensitive=tuple(sensitive),
        sensitive_codes=tuple(sens_codes),
        sensitive_values=tuple(sens_values),
        n_rows=int(counts.sum()),
    )
