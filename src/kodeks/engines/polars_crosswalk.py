"""Crosswalks on Polars: one join of the code column with the composed mapping (a small table)."""

from __future__ import annotations

import polars as pl

from kodeks.domain.data.crosswalk import Crosswalk, Outcome
from kodeks.errors import InvalidRequest

MODES = ("list", "explode", "single")
_SRC, _TARGETS, _N, _CODE = "__kodeks_cw_source", "__kodeks_cw_targets", "__kodeks_cw_n", "__kodeks_cw_code"


def columns(column: str, cw: Crosswalk) -> tuple[str, str]:
    """The target column (``<col>_<target>``) and the outcome column (``<col>_crosswalk``)."""
    return f"{column}_{cw.target}", f"{column}_crosswalk"


def mapping_frame(cw: Crosswalk) -> pl.DataFrame:
    sources = list(cw.mapping)
    return pl.DataFrame(
        {
            _SRC: sources,
            _TARGETS: [list(cw.mapping[s]) for s in sources],
            _N: [len(cw.mapping[s]) for s in sources],
        },
        schema={_SRC: pl.String, _TARGETS: pl.List(pl.String), _N: pl.Int64},
    )


def plan(data: pl.LazyFrame, cw: Crosswalk, column: str, mode: str = "list") -> pl.LazyFrame:
    if mode not in MODES:
        raise InvalidRequest(f"crosswalk mode {mode!r}: choose {', '.join(MODES)}")
    names = data.collect_schema().names()
    if column not in names:
        raise InvalidRequest(f"the data has no column {column!r}", column=column)
    target_col, outcome_col = columns(column, cw)
    taken = [c for c in (target_col, outcome_col) if c in names]
    if taken:
        raise InvalidRequest(
            f"the data already has the column {taken[0]!r} a crosswalk adds", column=taken[0]
        )
    code = pl.col(column).cast(pl.String, strict=False).str.strip_chars()
    joined = data.with_columns(code.alias(_CODE)).join(
        mapping_frame(cw).lazy(), left_on=_CODE, right_on=_SRC, how="left", maintain_order="left"
    )
    n = pl.col(_N)
    outcome = (
        pl.when(pl.col(_CODE).is_null() | (pl.col(_CODE) == ""))
        .then(pl.lit(Outcome.EMPTY.value))
        .when(n.is_null())
        .then(pl.lit(Outcome.UNMAPPED.value))
        .when(n == 0)
        .then(pl.lit(Outcome.NO_COUNTERPART.value))
        .when((n > 1) & pl.lit(mode == "single"))
        .then(pl.lit(Outcome.AMBIGUOUS.value))
        .otherwise(pl.lit(Outcome.MAPPED.value))
    )
    if mode == "single":
        target = pl.when(n == 1).then(pl.col(_TARGETS).list.first()).otherwise(None)
    else:
        target = pl.col(_TARGETS)
    out = joined.with_columns(target.alias(target_col), outcome.alias(outcome_col)).select(
        [*names, target_col, outcome_col]
    )
    return out.explode(target_col, empty_as_null=True, keep_nulls=True) if mode == "explode" else out


def counts(checked: pl.LazyFrame, column: str, cw: Crosswalk) -> dict[str, int]:
    _, outcome_col = columns(column, cw)
    found = checked.group_by(outcome_col).agg(pl.len().alias("n")).collect()
    got = {str(k): int(v) for k, v in found.iter_rows()}
    return {o.value: got.get(o.value, 0) for o in Outcome}
