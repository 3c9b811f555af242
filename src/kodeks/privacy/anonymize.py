"""Anonymize a table: optimal full-domain generalization (or Mondrian local recoding) plus record suppression.

Suppressed records keep their non-QI columns and get ``*`` in every quasi-identifier (ARX convention), or are
dropped (``suppression="drop"``). Direct identifiers are removed. The result is lazy: write it with
:func:`kodeks.privacy.tableio.write_table` to stream it to disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from kodeks.privacy.encoding import EncodedTable, as_text, check_columns, encode
from kodeks.privacy.errors import ConfigError
from kodeks.privacy.hierarchy import Hierarchy
from kodeks.privacy.metrics import MetricName, build_metric
from kodeks.privacy.models import (
    DistinctLDiversity,
    EntropyLDiversity,
    PrivacyModel,
    RecursiveCLDiversity,
    TCloseness,
)
from kodeks.privacy.search import SearchResult, exhaustive_search, optimal_search

SUPPRESSED = "*"
FLAG = "__kodeks_suppressed"


@dataclass(frozen=True)
class AnonymizationConfig:
    quasi_identifiers: tuple[str, ...]
    hierarchies: Mapping[str, Hierarchy]
    models: tuple[PrivacyModel, ...]
    suppression_limit: float = 0.0
    metric: MetricName = "loss"
    identifiers: tuple[str, ...] = ()
    suppression: Literal["mask", "drop"] = "mask"
    search: Literal["optimal", "exhaustive"] = "optimal"

    def __post_init__(self) -> None:
        if not 0.0 <= self.suppression_limit <= 1.0:
            raise ConfigError(f"suppression limit must be between 0 and 1, got {self.suppression_limit}")
        if not self.models:
            raise ConfigError("declare at least one privacy model")
        if not self.quasi_identifiers:
            raise ConfigError("declare at least one quasi-identifier")
        overlap = set(self.quasi_identifiers) & set(self.identifiers)
        if overlap:
            raise ConfigError(f"column(s) {sorted(overlap)} declared both identifier and quasi-identifier")

    @property
    def sensitive(self) -> tuple[str, ...]:
        cols = [
            m.column
            for m in self.models
            if isinstance(m, DistinctLDiversity | EntropyLDiversity | RecursiveCLDiversity | TCloseness)
        ]
        return tuple(dict.fromkeys(cols))


@dataclass
class AnonymizationResult:
    frame: pl.LazyFrame
    levels: dict[str, int]
    labels: dict[str, str]
    suppressed_rows: int
    n_rows: int
    loss: float
    search: SearchResult
    table: EncodedTable = field(repr=False)


def anonymize(frame: pl.DataFrame | pl.LazyFrame, config: AnonymizationConfig) -> AnonymizationResult:
    lazy = frame.lazy()
    check_columns(lazy.collect_schema().names(), [*config.quasi_identifiers, *config.identifiers])
    table = encode(lazy, config.quasi_identifiers, config.hierarchies, config.sensitive)
    metric = build_metric(config.metric, table)
    searcher = optimal_search if config.search == "optimal" else exhaustive_search
    result = searcher(table, config.models, config.suppression_limit, metric)
    released = apply_transformation(lazy, table, result, config)
    levels = dict(zip(config.quasi_identifiers, result.levels, strict=True))
    labels = {q: _level_label(config.hierarchies[q], lv) for q, lv in levels.items()}
    return AnonymizationResult(
        released, levels, labels, result.evaluation.suppressed_rows, table.n_rows, result.value, result, table
    )


def _level_label(hierarchy: Hierarchy, level: int) -> str:
    return f"{level}/{hierarchy.height - 1}"


def apply_transformation(
    lazy: pl.LazyFrame, table: EncodedTable, result: SearchResult, config: AnonymizationConfig
) -> pl.LazyFrame:
    ev = result.evaluation
    qis = list(config.quasi_identifiers)
    row_suppressed = ev.suppressed[ev.classes.row_class]
    out = lazy.drop(list(config.identifiers))
    if row_suppressed.any():
        leaves = {q: table.hierarchies[a].leaves for a, q in enumerate(qis)}
        sup = pl.DataFrame(
            {q: [leaves[q][i] for i in table.leaf_codes[row_suppressed, a]] for a, q in enumerate(qis)},
            schema=dict.fromkeys(qis, pl.String),
        ).unique()
        out = (
            out.with_columns([as_text(q) for q in qis])
            .join(sup.lazy().with_columns(pl.lit(True).alias(FLAG)), on=qis, how="left", nulls_equal=True)
            .with_columns(pl.col(FLAG).fill_null(False))
        )
    else:
        out = out.with_columns(pl.lit(False).alias(FLAG))
    generalized = []
    for a, q in enumerate(qis):
        level = result.levels[a]
        mapping = config.hierarchies[q].mapping(level)
        expr = as_text(q).replace_strict(mapping, return_dtype=pl.String)
        generalized.append(pl.when(pl.col(FLAG)).then(pl.lit(SUPPRESSED)).otherwise(expr).alias(q))
    out = out.with_columns(generalized)
    if config.suppression == "drop":
        out = out.filter(~pl.col(FLAG))
    return out.drop(FLAG)
