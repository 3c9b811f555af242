"""Correctness measures between two columns, on Polars: hierarchy consistency (a parent column holds
an ancestor of the child column's code at the row's date, ``domain.data.hierarchy``) and agreement
through a correspondence (the other column holds one of the code's targets, ``domain.data.crosswalk``).
"""

from __future__ import annotations

import polars as pl

from kodeks.domain.data.crosswalk import Crosswalk
from kodeks.domain.data.hierarchy import ancestries
from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.status import ACCEPTED
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.engines.polars_crosswalk import mapping_frame
from kodeks.engines.polars_engine import CODE, DAY, plan
from kodeks.errors import InvalidRequest

_ROW, _OTHER = "__kodeks_q_row", "__kodeks_q_other"
_A = {k: f"__kodeks_anc_{k}" for k in ("code", "start", "end", "ancestor")}


def _other(data: pl.LazyFrame, column: str) -> pl.Expr:
    if column not in data.collect_schema().names():
        raise InvalidRequest(f"the data has no column {column!r}", column=column)
    return pl.col(column).cast(pl.String, strict=False).str.strip_chars()


def _share(judged: pl.LazyFrame, agreeing: pl.LazyFrame) -> float:
    total, good = pl.collect_all([judged.select(pl.len()), agreeing.select(pl.len())])
    n = int(total.item())
    return int(good.item()) / n if n else 0.0


def parent_consistent_share(
    data: pl.LazyFrame, table: ValidTimeTable, spec: ValidateSpec, parent: str
) -> float:
    """Of the rows whose child code is valid (or local) at the row's date and whose ``parent`` column
    is filled: the share where ``parent`` holds an ancestor of the child code on that date."""
    other = _other(data, parent)
    checked = plan(data.with_columns(other.alias(_OTHER)), table, spec, keep_day=True)
    judged = (
        checked.filter(pl.col(spec.added[0]).is_in([s.value for s in ACCEPTED]))
        .filter(pl.col(_OTHER).is_not_null() & (pl.col(_OTHER) != ""))
        .with_row_index(_ROW)
    )
    found = ancestries(table)
    anc = pl.DataFrame(
        {
            _A["code"]: [a.code for a in found],
            _A["start"]: [a.start for a in found],
            _A["end"]: [a.end for a in found],
            _A["ancestor"]: [a.ancestor for a in found],
        },
        schema={_A["code"]: pl.String, _A["start"]: pl.Date, _A["end"]: pl.Date, _A["ancestor"]: pl.String},
    ).lazy()
    day = pl.col(DAY)
    agreeing = (
        judged.join(anc, left_on=[CODE, _OTHER], right_on=[_A["code"], _A["ancestor"]], how="inner")
        .filter(
            (pl.col(_A["start"]).is_null() | (pl.col(_A["start"]) <= day))
            & (pl.col(_A["end"]).is_null() | (day < pl.col(_A["end"])))
        )
        .select(_ROW)
        .unique()
    )
    return _share(judged, agreeing)


def agreement_share(data: pl.LazyFrame, cw: Crosswalk, column: str, other: str) -> float:
    """Of the rows with both columns filled: the share where ``other`` holds one of the targets the
    crosswalk gives ``column``'s code (an unmapped code agrees with nothing)."""
    source, target = _other(data, column), _other(data, other)
    slim = data.select(source.alias(CODE), target.alias(_OTHER)).filter(
        pl.col(CODE).is_not_null()
        & (pl.col(CODE) != "")
        & pl.col(_OTHER).is_not_null()
        & (pl.col(_OTHER) != "")
    )
    pairs = (
        mapping_frame(cw)
        .explode("__kodeks_cw_targets")
        .drop_nulls("__kodeks_cw_targets")
        .select(pl.col("__kodeks_cw_source").alias(CODE), pl.col("__kodeks_cw_targets").alias(_OTHER))
        .unique()
        .lazy()
    )
    agreeing = slim.join(pairs, on=[CODE, _OTHER], how="semi")
    return _share(slim, agreeing)
